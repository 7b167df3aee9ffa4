/*
 * redpen annotate FILE [--rubric R] [--format html|md|pdf] -o OUT
 *                      [--model NAME] [--report SAVED] [--input-format NAME]
 *                      [--no-katex]
 *
 * Writes the whole conversation of the transcript FILE with redpen's
 * findings in the margin (see rp_annotate_render).  The report comes from
 * grading FILE, or from --report SAVED: a saved JSON report of the same
 * transcript.  PDF is printed by headless Chromium (exit 2 with a message
 * when it is missing).  Output is written atomically: an error never
 * leaves a half-written file.
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
            "usage: redpen annotate FILE [--rubric R] [--format html|md|pdf] -o OUT\n"
            "                       [--model NAME] [--report SAVED.json] [--input-format NAME]\n"
            "                       [--no-katex]\n"
            "Without --format the format follows OUT's extension (.pdf, .md, else html).\n"
            "--report uses a saved 'redpen grade --format json' report of FILE instead of grading.\n");
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && strcmp(s + n - m, tail) == 0;
}

/* The report in saved that belongs to transcript t: the one whose path
 * matches, else the only one. */
static rp_report *pick_saved(rp_report_set *saved, const rp_transcript *t)
{
    for (size_t i = 0; i < saved->n; i++) {
        const rp_transcript *s = saved->items[i]->transcript;
        if (s && s->path && t->path &&
            (strcmp(s->path, t->path) == 0 || ends_with(t->path, s->path) ||
             ends_with(s->path, t->path)))
            return saved->items[i];
    }
    return saved->n == 1 ? saved->items[0] : NULL;
}

/* Warn when the report names turns the transcript does not have. */
static void check_turns(const rp_report *r, const rp_transcript *t, const char *label, rp_diags *d)
{
    int last = t->n_turns ? t->turns[t->n_turns - 1].index : 0;
    for (size_t i = 0; i < r->n_parts; i++) {
        const rp_part_result *p = &r->parts[i];
        for (size_t a = 0; a < p->n_attempts; a++)
            if (p->attempts[a].turn > last) {
                rp_diag_add(d, label, 0, 0,
                            "warning: part %s names turn %d but the transcript has %d turns; "
                            "is the report of another transcript?", p->part, p->attempts[a].turn, last);
                return;
            }
    }
}

int rp_cmd_annotate(int argc, char **argv)
{
    const char *rubric_path = NULL, *format = NULL, *out_path = NULL, *model = NULL,
               *input_format = NULL, *saved_path = NULL, *file = NULL;
    bool bad = false, no_katex = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
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
            rp_cli_opt(argc, argv, &i, "--report", &saved_path, &bad) ||
            rp_cli_opt(argc, argv, &i, "--input-format", &input_format, &bad)) {
            if (bad)
                return RP_EXIT_BADINPUT;
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0')
            return rp_cli_usage_error("annotate: unknown option '%s'", argv[i]);
        if (file)
            return rp_cli_usage_error("annotate: one transcript at a time ('%s' and '%s')", file,
                                      argv[i]);
        file = argv[i];
    }
    if (!file || !out_path) {
        usage(stderr);
        return rp_cli_usage_error("annotate: %s", file ? "-o OUT is required" : "FILE is required");
    }
    const char *format_given = format;
    format = rp_report_format_pick(format_given, out_path, "html");
    bool pdf = strcmp(format, "pdf") == 0;
    if (!pdf && strcmp(format, "html") != 0 && strcmp(format, "md") != 0)
        return rp_cli_usage_error("annotate: %s is html, md or pdf, not '%s'",
                                  format_given ? "--format" : "the format of -o's extension", format);
    if (pdf && strcmp(out_path, "-") == 0)
        return rp_cli_usage_error("annotate: PDF needs a file name (-o OUT.pdf)");

    rp_diags d;
    if (rp_diags_init(&d) != RP_OK)
        return RP_EXIT_INTERNAL;
    rp_status st = RP_OK;
    rp_rubric *given = NULL;
    rp_report_set set, saved;
    rp_report_set_init(&set);
    rp_report_set_init(&saved);
    const rp_transcript *t = NULL;
    rp_report *r = NULL;
    rp_ingest_opts io;
    memset(&io, 0, sizeof io);
    io.format = input_format;

    if (saved_path) {
        /* the transcript as it is, the report from the file */
        st = rp_ingest_path(file, &io, &set.transcripts, &d);
        rp_buf b;
        rp_buf_init(&b, 0);
        if (st == RP_OK)
            st = rp_file_read(saved_path, RP_MAX_INPUT_DEFAULT, RP_MAX_LINE_DEFAULT, &b, &d);
        if (st == RP_OK)
            st = rp_report_load_json(saved_path, b.data, b.len, &saved, &d);
        rp_buf_free(&b);
        if (st == RP_OK) {
            t = set.transcripts.items[0];
            r = pick_saved(&saved, t);
            if (!r) {
                rp_diag_add(&d, saved_path, 0, 0, "%zu reports and none is of %s", saved.n, file);
                st = RP_EINPUT;
            } else if (model) {
                r->model = model;
            } else if (!r->model || !*r->model) {
                r->model = t->model ? t->model : rp_report_model_guess(t->path, r->arena);
            }
        }
    } else {
        if (rubric_path) {
            st = rp_rubric_load(rubric_path, &given, &d);
            if (st == RP_OK)
                st = rp_rubric_solve(given, &d);
        }
        rp_collect_opts co;
        memset(&co, 0, sizeof co);
        co.rubric = given;
        co.model = model;
        co.ingest = io;
        if (st == RP_OK)
            st = rp_report_collect(file, &co, &set, &d);
        if (st == RP_OK && set.transcripts.n == 0) {
            rp_diag_add(&d, file, 0, 0,
                        "this is a saved report; annotate needs the transcript: "
                        "redpen annotate TRANSCRIPT --report %s -o OUT", file);
            st = RP_EINPUT;
        }
        if (st == RP_OK) {
            t = set.transcripts.items[0];
            r = set.items[0];
        }
    }
    if (st == RP_OK && set.transcripts.n > 1)
        rp_diag_add(&d, file, 0, 0, "note: %zu conversations in the file; annotating the first",
                    set.transcripts.n);
    if (st == RP_OK)
        check_turns(r, t, saved_path ? saved_path : file, &d);
    if (st == RP_OK) {
        rp_buf out;
        rp_buf_init(&out, 0);
        rp_html_opts ho;
        memset(&ho, 0, sizeof ho);
        ho.no_katex = no_katex;
        st = rp_annotate_render(t, r, strcmp(format, "md") == 0 ? RP_ANNOTATE_MD : RP_ANNOTATE_HTML,
                                &ho, &out);
        if (st != RP_OK)
            rp_diag_add(&d, out_path, 0, 0, "cannot render the annotated transcript: %s",
                        rp_strerror(st));
        else if (pdf)
            st = rp_pdf_from_html(out.data, out.len, out_path, 0, &d);
        else
            st = rp_write_atomic(out_path, out.data ? out.data : "", out.len, &d);
        rp_buf_free(&out);
    }
    rp_diags_print(&d, stderr);
    rp_diags_free(&d);
    rp_report_set_free(&saved);
    rp_report_set_free(&set);
    rp_rubric_free(given);
    return rp_status_exit(st);
}
