/*
 * The reduce step of `redpen compare`: every input folded into one
 * comparison, in input order; and one input graded into a set of reports
 * for `redpen annotate`.  Saved reports are read by the report module
 * (JSON Lines as a stream); any other input comes back from it as text and
 * is read as transcripts and graded here, through the same run loop and
 * rubric registry as `redpen grade`, so that both commands grade a
 * transcript the same way.
 */
#include "pipeline_int.h"

#include <stdlib.h>
#include <string.h>

/* Where the graded reports of one input go. */
typedef struct fold {
    rp_compare *c;
    const char *path;  /* the input, for model names guessed from it */
    const char *model; /* --model */
    rp_report_set *set; /* rp_pipeline_grade_file: where the reports go */
    const rp_naming *naming; /* compare: --group-by, --models (NULL: model) */
} fold;

/* A sink folding each report into the comparison, with its model name. */
static rp_status fold_report(void *ctx, size_t input, rp_transcript *t, rp_report *r)
{
    (void)input;
    fold *F = ctx;
    rp_naming n = {F->model, NULL, NULL};
    rp_status st = rp_report_name(r, F->path, F->naming ? F->naming : &n);
    if (st == RP_OK)
        (void)rp_compare_add(F->c, r); /* a failure sticks in c */
    rp_report_free(r);
    rp_transcript_free(t);
    return st;
}

static bool is_url(const char *p)
{
    return strncmp(p, "http://", 7) == 0 || strncmp(p, "https://", 8) == 0;
}

/* Fold input path into c (see rp_pipeline_compare). */
static rp_status fold_input(const rp_pipeline *p, const char *path, bool saved,
                            const rp_reduce_opts *o, rp_compare *c, rp_diags *d)
{
    fold F = {c, path, o->model, NULL, o->naming};
    rp_input in = {path, NULL, 0};
    if (is_url(path))
        return rp_pipeline_grade(p, &in, 1, fold_report, &F, d);
    rp_buf text;
    rp_buf_init(&text, 0);
    rp_collect_opts co;
    memset(&co, 0, sizeof co);
    co.model = o->model;
    co.naming = o->naming;
    co.saved_only = saved;
    co.keep_going = p->keep_going;
    co.ingest = p->ingest;
    co.other = &text;
    rp_status st = rp_report_collect_into(path, &co, c, d);
    if (st == RP_OK && text.data) {
        in.data = text.data;
        in.len = text.len;
        st = rp_pipeline_grade(p, &in, 1, fold_report, &F, d);
    }
    rp_buf_free(&text);
    return st;
}

rp_status rp_pipeline_compare(const rp_pipeline *p, const char *const *files, size_t n,
                              const rp_reduce_opts *o, rp_compare *c, rp_diags *d)
{
    rp_reduce_opts none = {NULL, NULL, NULL};
    if (!o)
        o = &none;
    rp_status failed = RP_OK; /* the first input that failed, with keep_going */
    for (size_t f = 0; f < n; f++) {
        rp_status st = fold_input(p, files[f], o->saved && o->saved[f], o, c, d);
        if (st == RP_OK)
            continue;
        if (!p->keep_going || st == RP_ENOMEM || st == RP_EINTERNAL)
            return st;
        if (failed == RP_OK)
            failed = st;
    }
    return failed;
}

/* A sink naming each report's model, then pushing it into the set. */
static rp_status push_named(void *ctx, size_t input, rp_transcript *t, rp_report *r)
{
    fold *F = ctx;
    rp_status st = rp_report_name_model(r, F->path, F->model);
    rp_status pst = rp_pipeline_sink_set(F->set, input, t, r);
    return st != RP_OK ? st : pst;
}

rp_status rp_pipeline_grade_file(const rp_pipeline *p, const char *path, const char *model,
                                 bool *saved, rp_report_set *set, rp_diags *d)
{
    *saved = false;
    fold F = {NULL, path, model, set, NULL};
    rp_input in = {path, NULL, 0};
    if (is_url(path))
        return rp_pipeline_grade(p, &in, 1, push_named, &F, d);
    rp_buf b;
    rp_buf_init(&b, 0);
    rp_status st = rp_file_read(path, p->ingest.max_bytes ? p->ingest.max_bytes : RP_MAX_INPUT_DEFAULT,
                                p->ingest.max_line ? p->ingest.max_line : RP_MAX_LINE_DEFAULT, &b, d);
    in.data = b.data ? b.data : "";
    in.len = b.len;
    if (st == RP_OK && rp_report_json_detect(in.data, in.len)) {
        *saved = true;
        st = rp_report_load_json(path, in.data, in.len, set, d);
    } else if (st == RP_OK) {
        st = rp_pipeline_grade(p, &in, 1, push_named, &F, d);
    }
    rp_buf_free(&b);
    return st;
}
