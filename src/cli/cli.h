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

struct rp_ingest_opts; /* redpen/ingest.h */

/* Usage text of the input-limit options (src/cli/limits.c). */
#define RP_CLI_LIMITS_USAGE \
    "[--max-input SIZE] [--max-line SIZE] [--max-turns N] [--max-depth N] [--timeout S]"

/* If argv[*i] is an input-limit option (--max-input SIZE, --max-line SIZE,
 * --max-turns N, --max-depth N for JSON nesting, --timeout S for URLs),
 * store its value in *o, advance *i and return true.  A missing or bad
 * value is reported and *bad set.  Sizes take K, M or G (1024-based). */
/* Threads a command may start (--jobs). */
#define RP_CLI_MAX_JOBS 256

/* Parse the value of --jobs for command cmd into *jobs (0: one per
 * processor).  Returns -1 when it is good, else the exit code (the usage
 * error printed). */
int rp_cli_jobs(const char *cmd, const char *text, unsigned *jobs);

bool rp_cli_limit_opt(int argc, char **argv, int *i, struct rp_ingest_opts *o, bool *bad);

#endif
