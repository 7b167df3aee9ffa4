/*
 * redpen annotate FILE [--rubric R | --rubric-dir DIR] [--format html|md|pdf] -o OUT
 *                      [--model NAME] [--report SAVED] [--input-format NAME]
 *                      [--no-katex]
 *
 * Writes the whole conversation of the transcript FILE with redpen's
 * findings in the margin (see rp_annotate_render).  The report comes from
 * grading FILE, or from --report SAVED: a saved JSON report of the same
 * transcript; a transcript is graded by the pipeline (redpen/pipeline.h),
 * with the rubric `redpen grade` would choose.  PDF is printed by headless Chromium (exit 2 with a message
 * when it is missing).  Output is written atomically: an error never
 * leaves a half-written file.
 */
#include "cli.h"
#include "help.h"

#include "redpen/pipeline.h"
#include "redpen/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int rp_cli_annotate_args(int argc, char **argv, rp_annotate_args *a)
{
    memset(a, 0, sizeof *a);
    bool bad = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return rp_cli_help_exit("annotate");
        if (rp_cli_flag(argv[i], "--no-katex", &a->no_katex))
            continue;
        if (rp_cli_rubric_opt(argc, argv, &i, &a->rubric_path, &a->rubric_dir, &bad) ||
            rp_cli_opt(argc, argv, &i, "--format", &a->format, &bad) ||
            rp_cli_output_opt(argc, argv, &i, &a->out_path, &bad) ||
            rp_cli_opt(argc, argv, &i, "--model", &a->model, &bad) ||
            rp_cli_opt(argc, argv, &i, "--report", &a->saved_path, &bad) ||
            rp_cli_opt(argc, argv, &i, "--input-format", &a->input_format, &bad) ||
            rp_cli_limit_opt(argc, argv, &i, &a->limits, &bad)) {
            if (bad)
                return RP_EXIT_BADINPUT;
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0')
            return rp_cli_unknown_option("annotate", argv[i]);
        if (a->file)
            return rp_cli_usage_error("annotate: one transcript at a time ('%s' and '%s')",
                                      a->file, argv[i]);
        a->file = argv[i];
    }
    if (!a->file || !a->out_path) {
        rp_cli_usage("annotate");
        return rp_cli_usage_error("annotate: %s",
                                  a->file ? "-o OUT is required" : "FILE is required");
    }
    const char *given = a->format;
    a->format = rp_report_format_pick(given, a->out_path, "html");
    bool pdf = strcmp(a->format, "pdf") == 0;
    if (rp_cli_choice("annotate", "--format", given ? NULL : "the format of -o's extension",
                      a->format) >= 0)
        return RP_EXIT_BADINPUT;
    if (pdf && strcmp(a->out_path, "-") == 0)
        return rp_cli_usage_error("annotate: PDF needs a file name (-o OUT.pdf)");
    return rp_cli_output_not_input("annotate", a->out_path, &a->file, 1, a->rubric_path,
                                   a->saved_path);
}

/* Grade file into set with the rubrics of *rubrics (the caller frees it
 * after set).  A saved report is refused: annotate needs the transcript. */
static rp_status grade_file(const rp_annotate_args *a, rp_report_set *set, rp_registry **rubrics,
                            rp_diags *d)
{
    rp_pipeline p;
    memset(&p, 0, sizeof p);
    p.ingest = a->limits;
    p.ingest.format = a->input_format;
    p.grade.model = a->model;
    rp_registry_opts ro = {a->rubric_path, a->rubric_dir, 0, NULL, NULL};
    rp_status st = rp_registry_new(&ro, rubrics, d);
    p.rubrics = *rubrics;
    bool saved = false;
    if (st == RP_OK)
        st = rp_pipeline_grade_file(&p, a->file, a->model, &saved, set, d);
    if (st == RP_OK && saved) {
        rp_diag_add(d, a->file, 0, 0,
                    "this is a saved report; annotate needs the transcript: "
                    "redpen annotate TRANSCRIPT --report %s -o OUT", a->file);
        st = RP_EINPUT;
    }
    if (st == RP_OK && !set->n) {
        rp_diag_add(d, a->file, 0, 0, "no conversation to annotate");
        st = RP_EINPUT;
    }
    return st;
}

int rp_cmd_annotate(int argc, char **argv)
{
    rp_annotate_args a;
    int rc = rp_cli_annotate_args(argc, argv, &a);
    if (rc >= 0)
        return rc;
    const char *file = a.file, *out_path = a.out_path, *format = a.format, *model = a.model,
               *saved_path = a.saved_path;
    bool pdf = strcmp(format, "pdf") == 0;
    rp_diags d;
    if (rp_diags_init(&d) != RP_OK)
        return RP_EXIT_INTERNAL;
    rp_status st = RP_OK;
    rp_registry *rubrics = NULL; /* outlives set: its reports refer to the rubric */
    rp_report_set set, saved;
    rp_report_set_init(&set);
    rp_report_set_init(&saved);
    const rp_transcript *t = NULL;
    rp_report *r = NULL;
    rp_ingest_opts io = a.limits;
    io.format = a.input_format;

    if (saved_path) {
        /* the transcript as it is, the report from the file */
        st = rp_ingest_path(file, &io, &set.transcripts, &d);
        rp_buf b;
        rp_buf_init(&b, 0);
        if (st == RP_OK)
            st = rp_file_read(saved_path, io.max_bytes ? io.max_bytes : RP_MAX_INPUT_DEFAULT,
                              io.max_line ? io.max_line : RP_MAX_LINE_DEFAULT, &b, &d);
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
        st = grade_file(&a, &set, &rubrics, &d);
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
        ho.no_katex = a.no_katex;
        struct rp_rubric *rb = NULL; /* graded here: its expected answers beside the claims */
        if (rubrics && rp_registry_for(rubrics, t, &rb, &d) == RP_OK)
            ho.rubric = rb;
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
    rp_registry_free(rubrics);
    return rp_status_exit(st);
}
