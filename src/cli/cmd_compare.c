/*
 * redpen compare FILE… [--rubric R] [--format text|md|html|json] [-o OUT]
 *                      [--model NAME] [--input-format NAME] [--no-katex]
 *
 * Compares models across transcripts.  Each FILE is a transcript (read,
 * then graded against --rubric or the rubric found for it) or saved JSON
 * reports of `redpen grade` (one object, {"reports": […]} or JSON Lines),
 * told apart by content.  Transcripts of the same model aggregate.  Output
 * is written atomically; on bad input nothing is written and the exit code
 * is 2.
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
            "usage: redpen compare FILE... [--rubric R] [--format text|md|html|json] [-o OUT]\n"
            "                      [--model NAME] [--input-format NAME] [--no-katex]\n"
            "FILE: a transcript, or saved reports of 'redpen grade --format json|jsonl'.\n"
            "--model NAME gives every transcript that model name (they then aggregate).\n");
}

int rp_cmd_compare(int argc, char **argv)
{
    const char *rubric_path = NULL, *format = "text", *out_path = NULL, *model = NULL,
               *input_format = NULL;
    bool bad = false, no_katex = false;
    const char **files = calloc((size_t)argc + 1, sizeof *files);
    size_t nfiles = 0;
    if (!files)
        return RP_EXIT_INTERNAL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            free(files);
            return RP_EXIT_OK;
        }
        if (strcmp(argv[i], "--no-katex") == 0) {
            no_katex = true;
            continue;
        }
        if (rp_cli_opt(argc, argv, &i, "--rubric", &rubric_path, &bad) ||
            rp_cli_opt(argc, argv, &i, "--format", &format, &bad) ||
            rp_cli_opt(argc, argv, &i, "-o", &out_path, &bad) ||
            rp_cli_opt(argc, argv, &i, "--output", &out_path, &bad) ||
            rp_cli_opt(argc, argv, &i, "--model", &model, &bad) ||
            rp_cli_opt(argc, argv, &i, "--input-format", &input_format, &bad)) {
            if (bad) {
                free(files);
                return RP_EXIT_BADINPUT;
            }
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0') {
            free(files);
            return rp_cli_usage_error("compare: unknown option '%s'", argv[i]);
        }
        files[nfiles++] = argv[i];
    }
    rp_compare_format fmt;
    if (strcmp(format, "text") == 0)
        fmt = RP_COMPARE_TEXT;
    else if (strcmp(format, "md") == 0)
        fmt = RP_COMPARE_MD;
    else if (strcmp(format, "html") == 0)
        fmt = RP_COMPARE_HTML;
    else if (strcmp(format, "json") == 0)
        fmt = RP_COMPARE_JSON;
    else {
        free(files);
        return rp_cli_usage_error("compare: --format is text, md, html or json, not '%s'", format);
    }
    if (!nfiles) {
        free(files);
        usage(stderr);
        return RP_EXIT_BADINPUT;
    }

    rp_diags d;
    if (rp_diags_init(&d) != RP_OK) {
        free(files);
        return RP_EXIT_INTERNAL;
    }
    rp_status st = RP_OK;
    rp_rubric *given = NULL;
    if (rubric_path) {
        st = rp_rubric_load(rubric_path, &given, &d);
        if (st == RP_OK)
            st = rp_rubric_solve(given, &d);
    }
    rp_report_set set;
    rp_report_set_init(&set);
    rp_collect_opts co;
    memset(&co, 0, sizeof co);
    co.rubric = given;
    co.model = model;
    co.ingest.format = input_format;
    for (size_t f = 0; f < nfiles && st == RP_OK; f++)
        st = rp_report_collect(files[f], &co, &set, &d);
    if (st == RP_OK) {
        rp_buf out;
        rp_buf_init(&out, 0);
        rp_html_opts ho;
        memset(&ho, 0, sizeof ho);
        ho.no_katex = no_katex;
        bool to_stdout = !out_path || strcmp(out_path, "-") == 0;
        bool color = fmt == RP_COMPARE_TEXT && to_stdout && rp_report_color_wanted(1);
        st = rp_compare_render(set.items, set.n, fmt, color, &ho, &out);
        if (st == RP_OK)
            st = rp_write_atomic(to_stdout ? "-" : out_path, out.data ? out.data : "", out.len, &d);
        else
            rp_diag_add(&d, out_path ? out_path : "<stdout>", 0, 0, "cannot render the comparison: %s",
                        rp_strerror(st));
        rp_buf_free(&out);
    }
    rp_diags_print(&d, stderr);
    rp_diags_free(&d);
    rp_report_set_free(&set);
    rp_rubric_free(given);
    free(files);
    return rp_status_exit(st);
}
