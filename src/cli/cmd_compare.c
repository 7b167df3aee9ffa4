/*
 * redpen compare FILE… [--rubric R] [--format text|md|html|json|csv] [-o OUT]
 *                      [--model NAME] [--input-format NAME] [--no-katex]
 *                      [--from-jsonl SAVED]… [--keep-going]
 *
 * Compares models across transcripts.  Each FILE is a transcript (read,
 * then graded against --rubric or the rubric found for it) or saved JSON
 * reports of `redpen grade` (one object, {"reports": […]} or JSON Lines),
 * told apart by content; --from-jsonl SAVED is always read as saved
 * reports.  Transcripts of the same model aggregate.  Output is written
 * atomically; on bad input nothing is written and the exit code is 2 —
 * with --keep-going the inputs that fail are left out (and named), the
 * comparison of the others is written, and the exit code is still 2; in
 * JSON Lines only the bad line is left out.  Saved JSON Lines are read as
 * a stream and folded one report at a time, so their size has no limit
 * and memory stays flat.
 */
#include "cli.h"

#include "redpen/report.h"
#include "redpen/rubric.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(f,
            "usage: redpen compare FILE... [--rubric R] [--format text|md|html|json|csv] [-o OUT]\n"
            "                      [--model NAME] [--input-format NAME] [--no-katex]\n"
            "                      [--from-jsonl SAVED]... [--keep-going]\n"
            "FILE: a transcript, or saved reports of 'redpen grade --format json|jsonl'.\n"
            "--model NAME gives every transcript that model name (they then aggregate).\n");
}

/* The inputs and options of one run. */
typedef struct args {
    const char *rubric_path, *format, *out_path, *model, *input_format;
    bool no_katex, keep_going;
    const char **files;
    bool *saved; /* files[i] came with --from-jsonl */
    size_t n;
} args;

/* Parse argv into a; returns -1 to go on, else the exit code. */
static int parse(int argc, char **argv, args *a)
{
    bool bad = false;
    for (int i = 1; i < argc; i++) {
        const char *from = NULL;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return RP_EXIT_OK;
        }
        if (strcmp(argv[i], "--no-katex") == 0 || strcmp(argv[i], "--keep-going") == 0) {
            *(argv[i][2] == 'n' ? &a->no_katex : &a->keep_going) = true;
            continue;
        }
        if (rp_cli_opt(argc, argv, &i, "--from-jsonl", &from, &bad)) {
            if (bad)
                return RP_EXIT_BADINPUT;
            a->saved[a->n] = true;
            a->files[a->n++] = from;
            continue;
        }
        if (rp_cli_opt(argc, argv, &i, "--rubric", &a->rubric_path, &bad) ||
            rp_cli_opt(argc, argv, &i, "--format", &a->format, &bad) ||
            rp_cli_opt(argc, argv, &i, "-o", &a->out_path, &bad) ||
            rp_cli_opt(argc, argv, &i, "--output", &a->out_path, &bad) ||
            rp_cli_opt(argc, argv, &i, "--model", &a->model, &bad) ||
            rp_cli_opt(argc, argv, &i, "--input-format", &a->input_format, &bad)) {
            if (bad)
                return RP_EXIT_BADINPUT;
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0')
            return rp_cli_usage_error("compare: unknown option '%s'", argv[i]);
        a->files[a->n++] = argv[i];
    }
    if (!a->n) {
        usage(stderr);
        return RP_EXIT_BADINPUT;
    }
    return -1;
}

static int compare(const args *a, rp_compare_format fmt)
{
    rp_diags d;
    if (rp_diags_init(&d) != RP_OK)
        return RP_EXIT_INTERNAL;
    rp_status st = RP_OK;
    rp_rubric *given = NULL;
    if (a->rubric_path) {
        st = rp_rubric_load(a->rubric_path, &given, &d);
        if (st == RP_OK)
            st = rp_rubric_solve(given, &d);
    }
    /* each report is folded into the comparison as it is read, then freed */
    rp_compare *cmp = NULL;
    if (st == RP_OK)
        st = rp_compare_new(fmt, &cmp);
    rp_collect_opts co;
    memset(&co, 0, sizeof co);
    co.rubric = given;
    co.model = a->model;
    co.ingest.format = a->input_format;
    co.keep_going = a->keep_going;
    rp_status failed = RP_OK; /* the first input that failed, with --keep-going */
    for (size_t f = 0; f < a->n && st == RP_OK; f++) {
        co.saved_only = a->saved[f];
        st = rp_report_collect_into(a->files[f], &co, cmp, &d);
        if (st != RP_OK && a->keep_going && st != RP_ENOMEM && st != RP_EINTERNAL) {
            failed = failed == RP_OK ? st : failed;
            st = RP_OK;
        }
    }
    if (st == RP_OK && failed != RP_OK && rp_compare_count(cmp) == 0)
        st = failed;
    if (st == RP_OK) {
        rp_buf out;
        rp_buf_init(&out, 0);
        rp_html_opts ho;
        memset(&ho, 0, sizeof ho);
        ho.no_katex = a->no_katex;
        bool to_stdout = !a->out_path || strcmp(a->out_path, "-") == 0;
        bool color = fmt == RP_COMPARE_TEXT && to_stdout && rp_report_color_wanted(1);
        st = rp_compare_finish(cmp, color, &ho, &out);
        if (st == RP_OK)
            st = rp_write_atomic(to_stdout ? "-" : a->out_path, out.data ? out.data : "", out.len, &d);
        else
            rp_diag_add(&d, to_stdout ? "<stdout>" : a->out_path, 0, 0,
                        "cannot render the comparison: %s", rp_strerror(st));
        rp_buf_free(&out);
    }
    rp_diags_print(&d, stderr);
    rp_diags_free(&d);
    rp_compare_free(cmp);
    rp_rubric_free(given);
    return rp_status_exit(st != RP_OK ? st : failed);
}

int rp_cmd_compare(int argc, char **argv)
{
    args a;
    memset(&a, 0, sizeof a);
    a.files = calloc((size_t)argc + 1, sizeof *a.files);
    a.saved = calloc((size_t)argc + 1, sizeof *a.saved);
    int rc = a.files && a.saved ? parse(argc, argv, &a) : RP_EXIT_INTERNAL;
    if (rc < 0) {
        const char *given = a.format;
        a.format = rp_report_format_pick(given, a.out_path, "text"); /* -o x.html: html */
        rp_compare_format fmt;
        if (rp_compare_format_parse(a.format, &fmt) == RP_OK)
            rc = compare(&a, fmt);
        else
            rc = rp_cli_usage_error("compare: %s is text, md, html, json or csv, not '%s'",
                                    given ? "--format" : "the format of -o's extension", a.format);
    }
    free(a.files);
    free(a.saved);
    return rc;
}
