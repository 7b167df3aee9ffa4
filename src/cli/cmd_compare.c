/*
 * redpen compare FILE… [--rubric R | --rubric-dir DIR] [--format text|md|html|json|csv]
 *                      [-o OUT] [--model NAME] [--input-format NAME] [--no-katex]
 *                      [--from-jsonl SAVED]… [--keep-going] [--jobs N]
 *                      [--group-by model|file|dir|title|format|rubric] [--models MAP.tsv]
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
 * and memory stays flat.  This file parses the command line and chooses the
 * output; the pipeline's reduce step (redpen/pipeline.h) reads, grades
 * (with the rubric `redpen grade` would choose) and folds.
 */
#include "cli.h"
#include "help.h"

#include "redpen/pipeline.h"
#include "redpen/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int rp_cli_compare_args(int argc, char **argv, rp_compare_args *a)
{
    memset(a, 0, sizeof *a);
    a->jobs = 1;
    a->files = calloc((size_t)argc + 1, sizeof *a->files);
    a->saved = calloc((size_t)argc + 1, sizeof *a->saved);
    if (!a->files || !a->saved)
        return RP_EXIT_INTERNAL;
    const char *jobs = NULL;
    bool bad = false;
    for (int i = 1; i < argc; i++) {
        const char *from = NULL;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return rp_cli_help_exit("compare");
        if (rp_cli_flag(argv[i], "--no-katex", &a->no_katex) ||
            rp_cli_flag(argv[i], "--keep-going", &a->keep_going))
            continue;
        if (rp_cli_opt(argc, argv, &i, "--from-jsonl", &from, &bad)) {
            if (bad)
                return RP_EXIT_BADINPUT;
            a->saved[a->n] = true;
            a->files[a->n++] = from;
            continue;
        }
        if (rp_cli_rubric_opt(argc, argv, &i, &a->rubric_path, &a->rubric_dir, &bad) ||
            rp_cli_opt(argc, argv, &i, "--format", &a->format, &bad) ||
            rp_cli_output_opt(argc, argv, &i, &a->out_path, &bad) ||
            rp_cli_opt(argc, argv, &i, "--model", &a->model, &bad) ||
            rp_cli_opt(argc, argv, &i, "--group-by", &a->group_by, &bad) ||
            rp_cli_opt(argc, argv, &i, "--models", &a->models_map, &bad) ||
            rp_cli_opt(argc, argv, &i, "--input-format", &a->input_format, &bad) ||
            rp_cli_opt(argc, argv, &i, "--jobs", &jobs, &bad) ||
            rp_cli_opt(argc, argv, &i, "-j", &jobs, &bad) ||
            rp_cli_limit_opt(argc, argv, &i, &a->limits, &bad)) {
            if (bad)
                return RP_EXIT_BADINPUT;
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0')
            return rp_cli_unknown_option("compare", argv[i]);
        a->files[a->n++] = argv[i];
    }
    if (!a->n)
        return rp_cli_usage("compare");
    const char *given = a->format;
    a->format = rp_report_format_pick(given, a->out_path, "text"); /* -o x.html: html */
    rp_compare_format fmt;
    if (rp_compare_format_parse(a->format, &fmt) != RP_OK)
        return rp_cli_choice("compare", "--format",
                             given ? NULL : "the format of -o's extension", a->format) >= 0
                   ? RP_EXIT_BADINPUT
                   : RP_EXIT_INTERNAL; /* the table lists a format compare lacks */
    int rc = rp_cli_output_not_input("compare", a->out_path, a->files, a->n, a->rubric_path,
                                     NULL);
    if (rc >= 0)
        return rc;
    if (!rp_group_by_known(a->group_by))
        return rp_cli_usage_error("compare: --group-by is model, file, dir, title, format or rubric, "
                                  "not '%s'", a->group_by);
    if (jobs)
        return rp_cli_jobs("compare", jobs, &a->jobs);
    return -1;
}

static int compare(const rp_compare_args *a, rp_compare_format fmt)
{
    rp_diags d;
    if (rp_diags_init(&d) != RP_OK)
        return RP_EXIT_INTERNAL;
    rp_pipeline p;
    memset(&p, 0, sizeof p);
    p.ingest = a->limits;
    p.ingest.format = a->input_format;
    p.grade.model = a->model;
    p.jobs = a->jobs;
    p.keep_going = a->keep_going;
    rp_registry_opts ro = {a->rubric_path, a->rubric_dir, 0, NULL, NULL};
    rp_status st = rp_registry_new(&ro, &p.rubrics, &d);
    rp_naming naming = {a->model, a->group_by, NULL};
    rp_model_map *map = NULL;
    if (st == RP_OK && a->models_map && (st = rp_model_map_load(a->models_map, &map, &d)) == RP_OK) {
        naming.map = map;
        rp_model_map_check(map, a->files, a->n, &d);
    }
    /* each report is folded into the comparison as it is read, then freed */
    rp_compare *cmp = NULL;
    if (st == RP_OK)
        st = rp_compare_new(fmt, &cmp);
    if (st == RP_OK && a->group_by)
        st = rp_compare_set_rows(cmp, a->group_by);
    rp_status failed = RP_OK; /* an input that failed, with --keep-going */
    if (st == RP_OK) {
        rp_reduce_opts red = {a->model, a->saved, &naming};
        st = rp_pipeline_compare(&p, a->files, a->n, &red, cmp, &d);
        /* with --keep-going the others are compared, if there are any */
        if (st != RP_OK && a->keep_going && st != RP_ENOMEM && st != RP_EINTERNAL &&
            rp_compare_count(cmp) > 0) {
            failed = st;
            st = RP_OK;
        }
    }
    if (st == RP_OK) {
        rp_buf out;
        rp_buf_init(&out, 0);
        rp_html_opts ho;
        memset(&ho, 0, sizeof ho);
        ho.no_katex = a->no_katex;
        bool to_stdout = !a->out_path || strcmp(a->out_path, "-") == 0;
        /* heat-map cells link to annotated pages written beside the output */
        char *dir = to_stdout ? NULL : strdup(a->out_path);
        char *slash = dir ? strrchr(dir, '/') : NULL;
        if (slash)
            *(slash == dir ? slash + 1 : slash) = '\0';
        ho.link_dir = slash ? dir : ".";
        bool color = fmt == RP_COMPARE_TEXT && to_stdout && rp_report_color_wanted(1);
        /* text is terminal-safe: its renderer strips the inputs' controls */
        st = rp_compare_finish(cmp, color, &ho, &out);
        if (st == RP_OK)
            st = rp_write_atomic(to_stdout ? "-" : a->out_path, out.data ? out.data : "", out.len, &d);
        else
            rp_diag_add(&d, to_stdout ? "<stdout>" : a->out_path, 0, 0,
                        "cannot render the comparison: %s", rp_strerror(st));
        rp_buf_free(&out);
        free(dir);
    }
    rp_diags_print(&d, stderr);
    rp_diags_free(&d);
    rp_compare_free(cmp);
    rp_model_map_free(map);
    rp_registry_free(p.rubrics);
    return rp_status_exit(st != RP_OK ? st : failed);
}

int rp_cmd_compare(int argc, char **argv)
{
    rp_compare_args a;
    int rc = rp_cli_compare_args(argc, argv, &a);
    rp_compare_format fmt;
    if (rc < 0) /* the parser checked the format */
        rc = rp_compare_format_parse(a.format, &fmt) == RP_OK ? compare(&a, fmt) : RP_EXIT_INTERNAL;
    free(a.files);
    free(a.saved);
    return rc;
}
