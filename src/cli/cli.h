/*
 * Shared declarations of the command-line tool: one function per
 * subcommand (cmd_<name>.c) and small helpers for argument handling.
 * The CLI uses only the public headers in include/redpen/.
 */
#ifndef RP_CLI_H
#define RP_CLI_H

#include "redpen/ingest.h"
#include "redpen/report.h"

#include <stdio.h>

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

/* If argv[*i] is "--name VALUE" or "--name=VALUE" (or "-xVALUE" when name
 * is one letter "-x"), store VALUE in *out, advance *i past it and return
 * true.  A missing value is reported and *bad set. */
bool rp_cli_opt(int argc, char **argv, int *i, const char *name,
                const char **out, bool *bad);

/* --rubric R and --rubric-dir DIR (the rubric registry's first two
 * sources), as rp_cli_opt() reads one option. */
bool rp_cli_rubric_opt(int argc, char **argv, int *i, const char **rubric, const char **dir,
                       bool *bad);

/* -o OUT and --output OUT, as rp_cli_opt() reads one option. */
bool rp_cli_output_opt(int argc, char **argv, int *i, const char **out, bool *bad);

/* Refuse -o OUT when it is one of the inputs (files[0..n), other1,
 * other2: a rubric, a key or a saved report; NULL entries skipped), as
 * rp_out_check_inputs() decides.  Returns -1 when it is not, else the exit
 * code (2, the message printed). */
int rp_cli_output_not_input(const char *cmd, const char *out, const char *const *files, size_t n,
                            const char *other1, const char *other2);

/* If arg is the flag name, set *out and return true. */
bool rp_cli_flag(const char *arg, const char *name, bool *out);

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

/* ------------------------------------------------- parsed command lines */

/* Every parser below reads argv (argv[0] is the command's name) into its
 * struct, zeroed first, and returns -1 when the command should run, else
 * the exit code (0 after --help, 2 after a usage error, printed).  Arrays
 * it allocates (files, saved) are the caller's to free in every case. */

/* redpen grade */
typedef struct rp_grade_args {
    const char *rubric_path, *rubric_dir, *format, *out_path, *model, *input_format, *judge,
        *judge_model, *judge_cache;
    long judge_budget_ms;   /* --judge-budget SECONDS; 0: the judge's default */
    const char *key_path, *answer;          /* --key KEY, --answer TEXT */
    const char *answer_field, *question_field; /* --answer-field, --question-field */
    bool keep_going, no_cache, no_memo;
    const char *files_from;  /* --files-from LIST: more inputs, one a line ("-": stdin) */
    bool progress, quiet;    /* --progress, --quiet */
    bool strict_units;     /* --strict-units: a missing unit is wrong_unit */
    unsigned jobs;         /* 1 unless --jobs */
    rp_ingest_opts limits; /* --max-input, --max-line, --max-turns, --max-depth, --timeout */
    const char **files;
    size_t nfiles;
} rp_grade_args;
int rp_cli_grade_args(int argc, char **argv, rp_grade_args *o);

/* The output of grade over whole inputs, written as reports arrive
 * (grade_out.c). */
typedef struct rp_grade_out {
    const char *format;
    rp_out out;             /* where it goes (src/core/out.c) */
    bool open;              /* out is open */
    bool color;
    size_t n;               /* reports taken */
    rp_report *first;       /* json: the first report, held until a second */
    rp_transcript *first_t;
    char head[64], foot[64]; /* json: the opening and closing of the set */
    rp_report_set set;      /* html: every report, for the one page */
    rp_buf buf;
} rp_grade_out;

/* Open the output of grade in format (text, json, jsonl, md, html) on
 * out_path (NULL or "-": standard output).  RP_EIO, printed, when it
 * cannot be created. */
rp_status rp_grade_out_open(rp_grade_out *w, const char *format, const char *out_path);

/* A report sink (rp_report_sink) that writes each report at once and
 * frees it, except the first JSON report and every HTML report, kept until
 * rp_grade_out_close. */
rp_status rp_grade_out_sink(void *ctx, size_t input, rp_transcript *t, rp_report *r);

/* Finish and close the output of a run that ended with status run: what
 * is left is written when a report was written or the run succeeded, and
 * -o OUT is renamed into place then, else removed.  Returns RP_OK or the
 * failure to write (printed). */
rp_status rp_grade_out_close(rp_grade_out *w, rp_status run);

/* redpen compare */
typedef struct rp_compare_args {
    const char *rubric_path, *rubric_dir, *format, *out_path, *model, *input_format;
    const char *group_by, *models_map; /* --group-by, --models */
    bool no_katex, keep_going;
    unsigned jobs;
    rp_ingest_opts limits; /* --max-input, --max-line, --max-turns, --max-depth, --timeout */
    const char **files;
    bool *saved; /* files[i] came with --from-jsonl */
    size_t n;
} rp_compare_args;
int rp_cli_compare_args(int argc, char **argv, rp_compare_args *a);

/* redpen extract */
typedef struct rp_extract_args {
    const char *file, *rubric_path, *rubric_dir, *format, *input_format;
    rp_ingest_opts limits;
} rp_extract_args;
int rp_cli_extract_args(int argc, char **argv, rp_extract_args *a);

/* redpen annotate; format is set from OUT's extension when not given */
typedef struct rp_annotate_args {
    const char *file, *rubric_path, *rubric_dir, *format, *out_path, *model, *input_format,
        *saved_path;
    bool no_katex;
    rp_ingest_opts limits; /* --max-input, --max-line, --max-turns, --max-depth, --timeout */
} rp_annotate_args;
int rp_cli_annotate_args(int argc, char **argv, rp_annotate_args *a);

#endif
