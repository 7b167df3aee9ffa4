/*
 * Shared declarations of the command-line tool: one function per
 * subcommand (cmd_<name>.c) and small helpers for argument handling.
 * The CLI uses only the public headers in include/redpen/.
 */
#ifndef RP_CLI_H
#define RP_CLI_H

#include <stdbool.h>
#include <stddef.h>

int rp_cmd_ingest(int argc, char **argv);
int rp_cmd_equiv(int argc, char **argv);
int rp_cmd_solve(int argc, char **argv);
int rp_cmd_check_key(int argc, char **argv);
int rp_cmd_rubric(int argc, char **argv);
int rp_cmd_grade(int argc, char **argv);
int rp_cmd_extract(int argc, char **argv);
int rp_cmd_compare(int argc, char **argv);
int rp_cmd_annotate(int argc, char **argv);

/* Print "redpen: <msg>" to stderr and return exit code 2 (usage error). */
int rp_cli_usage_error(const char *fmt, ...);

/* If argv[*i] is "--name VALUE" or "--name=VALUE", store VALUE in *out,
 * advance *i past it and return true.  A missing value is reported and
 * *bad set. */
bool rp_cli_opt(int argc, char **argv, int *i, const char *name,
                const char **out, bool *bad);

#endif
