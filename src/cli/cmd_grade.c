/*
 * redpen grade FILE… [--rubric R | --rubric-dir DIR] [--format text|json|jsonl|md|html]
 *                    [-o OUT] [--model NAME] [--input-format NAME]
 *                    [--keep-going] [--jobs N] [--judge URL [--judge-model NAME]
 *                    [--judge-cache DIR] [--no-cache]]
 *
 * Grades every conversation in every input against a rubric (the one
 * given, else the one the pipeline's registry finds for it) and prints the
 * report: a table per transcript, the JSON contract of DESIGN.md (one
 * object, or {"reports": […]} for several), JSON Lines, Markdown or HTML.
 * Output is written atomically; on bad input nothing is written and the
 * exit code is 2.
 *
 * This file parses the command line and chooses the output; the pipeline
 * (redpen/pipeline.h) reads, grades and orders: --jobs N reads the inputs
 * and grades their conversations on N threads, the output keeping the
 * input order; `redpen grade - --format jsonl` streams a JSON Lines input
 * (one report line per conversation, in constant memory).
 */
#include "cli.h"
#include "help.h"

#include "redpen/pipeline.h"
#include "redpen/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int rp_cli_grade_args(int argc, char **argv, rp_grade_args *o)
{
    memset(o, 0, sizeof *o);
    o->jobs = 1;
    const char *jobs = NULL;
    bool bad = false;
    o->files = calloc((size_t)argc + 1, sizeof *o->files);
    if (!o->files)
        return RP_EXIT_INTERNAL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return rp_cli_help_exit("grade");
        if (rp_cli_flag(argv[i], "--keep-going", &o->keep_going) ||
            rp_cli_flag(argv[i], "--no-cache", &o->no_cache) ||
            rp_cli_flag(argv[i], "--no-memo", &o->no_memo) ||
            rp_cli_flag(argv[i], "--strict-units", &o->strict_units))
            continue;
        if (rp_cli_rubric_opt(argc, argv, &i, &o->rubric_path, &o->rubric_dir, &bad) ||
            rp_cli_opt(argc, argv, &i, "--format", &o->format, &bad) ||
            rp_cli_opt(argc, argv, &i, "--key", &o->key_path, &bad) ||
            rp_cli_opt(argc, argv, &i, "--answer", &o->answer, &bad) ||
            rp_cli_opt(argc, argv, &i, "--answer-field", &o->answer_field, &bad) ||
            rp_cli_opt(argc, argv, &i, "--question-field", &o->question_field, &bad) ||
            rp_cli_output_opt(argc, argv, &i, &o->out_path, &bad) ||
            rp_cli_opt(argc, argv, &i, "--model", &o->model, &bad) ||
            rp_cli_opt(argc, argv, &i, "--input-format", &o->input_format, &bad) ||
            rp_cli_opt(argc, argv, &i, "--jobs", &jobs, &bad) ||
            rp_cli_opt(argc, argv, &i, "-j", &jobs, &bad) ||
            rp_cli_opt(argc, argv, &i, "--judge", &o->judge, &bad) ||
            rp_cli_opt(argc, argv, &i, "--judge-model", &o->judge_model, &bad) ||
            rp_cli_opt(argc, argv, &i, "--judge-cache", &o->judge_cache, &bad) ||
            rp_cli_limit_opt(argc, argv, &i, &o->limits, &bad)) {
            if (bad)
                return RP_EXIT_BADINPUT;
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0')
            return rp_cli_unknown_option("grade", argv[i]);
        o->files[o->nfiles++] = argv[i];
    }
    if (!o->nfiles)
        return rp_cli_usage("grade");
    if ((o->rubric_path != NULL) + (o->key_path != NULL) + (o->answer != NULL) +
            (o->answer_field != NULL) > 1)
        return rp_cli_usage_error("grade: --rubric, --key, --answer and --answer-field "
                                  "exclude each other");
    if (o->question_field && !o->answer_field)
        return rp_cli_usage_error("grade: --question-field goes with --answer-field");
    const char *given = o->format;
    o->format = rp_report_format_pick(given, o->out_path, "text"); /* -o x.html: html */
    if (rp_cli_choice("grade", "--format", given ? NULL : "the format of -o's extension",
                      o->format) >= 0)
        return RP_EXIT_BADINPUT;
    int rc = rp_cli_output_not_input("grade", o->out_path, o->files, o->nfiles, o->rubric_path,
                                     o->key_path);
    if (rc >= 0)
        return rc;
    if (jobs)
        return rp_cli_jobs("grade", jobs, &o->jobs);
    return -1;
}

/* Render the reports in the chosen format and write them atomically. */
static rp_status render_all(const rp_grade_args *o, rp_report_set *reports, rp_diags *d)
{
    rp_buf out;
    rp_buf_init(&out, 0);
    rp_status st = RP_OK;
    bool color = !o->out_path && rp_report_color_wanted(1);
    if (strcmp(o->format, "json") == 0) {
        if (reports->n == 1) {
            st = rp_report_write_json(reports->items[0], true, &out);
            if (st == RP_OK)
                st = rp_buf_putc(&out, '\n');
        } else {
            st = rp_reports_write_json(reports->items, reports->n, &out);
        }
    } else if (strcmp(o->format, "jsonl") == 0) {
        st = rp_reports_write_jsonl(reports->items, reports->n, &out);
    } else if (strcmp(o->format, "html") == 0) {
        /* one page for every report */
        st = rp_reports_render_html(reports->items, reports->n, NULL, &out);
    } else {
        for (size_t i = 0; i < reports->n && st == RP_OK; i++) {
            if (i)
                st = rp_buf_putc(&out, '\n');
            if (st != RP_OK)
                break;
            if (strcmp(o->format, "md") == 0)
                st = rp_report_render_md(reports->items[i], &out);
            else {
                size_t from = out.len;
                st = rp_report_render_text(reports->items[i], color, &out);
                rp_term_clean(&out, from, color); /* the input's strings, the judge's reasons */
            }
        }
    }
    if (st == RP_OK)
        st = rp_write_atomic(o->out_path ? o->out_path : "-", out.data ? out.data : "", out.len,
                             d);
    rp_buf_free(&out);
    return st;
}

/* Grade whole inputs (pre: standard input already read) and write the
 * reports; diagnostics after the output, in input order. */
static rp_status grade_files(const rp_grade_args *o, const rp_pipeline *p, const rp_buf *pre)
{
    rp_input *in = calloc(o->nfiles + 1, sizeof *in);
    rp_diags d;
    if (!in || rp_diags_init(&d) != RP_OK) {
        free(in);
        return RP_ENOMEM;
    }
    for (size_t f = 0; f < o->nfiles; f++) {
        in[f].label = o->files[f];
        if (pre && strcmp(o->files[f], "-") == 0) {
            in[f].label = "<stdin>";
            in[f].data = pre->data ? pre->data : "";
            in[f].len = pre->len;
        }
    }
    rp_report_set reports;
    rp_report_set_init(&reports);
    rp_status st = rp_pipeline_grade(p, in, o->nfiles, rp_pipeline_sink_set, &reports, &d);
    rp_diags rd; /* the rendering's, printed after the inputs' */
    bool rok = rp_diags_init(&rd) == RP_OK;
    if (rok && (st == RP_OK || (o->keep_going && reports.n))) {
        rp_status rst = render_all(o, &reports, &rd);
        if (rst != RP_OK && st == RP_OK)
            st = rst;
    }
    rp_diags_print(&d, stderr);
    if (rok)
        rp_diags_print(&rd, stderr);
    rp_diags_free(&rd);
    rp_diags_free(&d);
    rp_report_set_free(&reports);
    free(in);
    return st;
}

int rp_cmd_grade(int argc, char **argv)
{
    rp_grade_args o;
    int rc = rp_cli_grade_args(argc, argv, &o);
    if (rc >= 0) {
        free(o.files);
        return rc;
    }
    rp_pipeline p;
    memset(&p, 0, sizeof p);
    p.ingest = o.limits;
    p.ingest.format = o.input_format;
    p.jobs = o.jobs;
    p.keep_going = o.keep_going;
    p.grade.model = o.model;
    p.grade.judge_url = o.judge;
    p.grade.judge_model = o.judge_model;
    p.grade.cache_dir = o.judge_cache;
    p.grade.no_cache = o.no_cache;
    if (!o.no_memo)
        p.grade.memo = rp_grade_memo_new(0); /* shared by the threads; NULL: none */
    rp_diags d;
    if (rp_diags_init(&d) != RP_OK) {
        rp_grade_memo_free(p.grade.memo);
        free(o.files);
        return RP_EXIT_INTERNAL;
    }
    p.gold_field = o.answer_field;
    p.question_field = o.answer_field ? (o.question_field ? o.question_field : "question")
                                      : NULL;
    rp_registry_opts ro = {o.rubric_path, o.rubric_dir, o.jobs, o.key_path, o.answer};
    rp_status st = rp_registry_new(&ro, &p.rubrics, &d);
    if (st == RP_OK && o.strict_units)
        rp_registry_require_units(p.rubrics);
    rp_diags_print(&d, stderr);
    rp_diags_free(&d);
    if (st == RP_OK) {
        bool streamed = false;
        rp_buf pre;
        rp_buf_init(&pre, 0);
        /* standard input that is not a stream was read whole: pre */
        bool try_stream = o.nfiles == 1 && strcmp(o.files[0], "-") == 0 &&
                          strcmp(o.format, "jsonl") == 0;
        if (try_stream)
            st = rp_pipeline_stream(&p, STDIN_FILENO, o.out_path, &streamed, &pre);
        if (!streamed && st == RP_OK)
            st = grade_files(&o, &p, try_stream ? &pre : NULL);
        rp_buf_free(&pre);
    }
    if (getenv("REDPEN_MEMO_STATS")) {
        size_t hits, misses;
        rp_grade_memo_stats(p.grade.memo, &hits, &misses);
        fprintf(stderr, "memo: %zu hits, %zu misses\n", hits, misses);
    }
    rp_grade_memo_free(p.grade.memo);
    rp_registry_free(p.rubrics);
    free(o.files);
    return rp_status_exit(st);
}
