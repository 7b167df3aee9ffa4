/*
 * The public API of include/redpen/redpen.h over the modules: equiv through
 * expr (with plain and Unicode math translated by latex), grading through
 * the pipeline's rubric registry and the report module's JSON writer.  No
 * state outlives a call, so every function is thread-safe.  Built into
 * libredpen (a shared library exporting only redpen.h's functions: see
 * redpen.map) and into the static rp_api for the tests.
 */
#include "redpen/redpen.h"

#include "redpen/category.h"
#include "redpen/core.h"
#include "redpen/expr.h"
#include "redpen/latex.h"
#include "redpen/pipeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *redpen_version(void) { return REDPEN_VERSION; }

void redpen_free(void *p) { free(p); }

int redpen_equiv(const char *truth, const char *claim, char *why, size_t why_cap)
{
    if (why && why_cap)
        why[0] = '\0';
    if (!truth || !claim) {
        if (why && why_cap)
            snprintf(why, why_cap, "truth and claim are required");
        return REDPEN_ERROR;
    }
    rp_buf bt, bc;
    rp_buf_init(&bt, 0);
    rp_buf_init(&bc, 0);
    size_t nt, nc;
    const char *t = rp_latex_as_latex(truth, strlen(truth), &bt, &nt);
    const char *c = rp_latex_as_latex(claim, strlen(claim), &bc, &nc);
    rp_equiv_opts o;
    memset(&o, 0, sizeof o);
    rp_equiv_result r;
    rp_status st = rp_equiv(t, nt, c, nc, &o, &r);
    rp_buf_free(&bt);
    rp_buf_free(&bc);
    if (st != RP_OK) {
        if (why && why_cap)
            snprintf(why, why_cap, "%s", rp_strerror(st));
        return REDPEN_ERROR;
    }
    if (why && why_cap) {
        if (r.verdict == RP_EQUIV_DIFFERENT)
            snprintf(why, why_cap, "%s: %s",
                     rp_category_id(r.category != RP_CAT_NONE ? r.category : RP_CAT_ARITHMETIC),
                     r.detail);
        else if (r.verdict == RP_EQUIV_ERROR)
            snprintf(why, why_cap, "%s", r.error); /* it names its side, as the CLI prints it */
        else
            snprintf(why, why_cap, "%s", r.note);
    }
    return r.verdict == RP_EQUIV_EQUAL ? REDPEN_EQUAL
           : r.verdict == RP_EQUIV_DIFFERENT ? REDPEN_DIFFERENT
                                             : REDPEN_ERROR;
}

/* The first report a run hands back (the others are freed). */
typedef struct first_report {
    rp_report *r;
    rp_transcript *t;
} first_report;

static rp_status keep_first(void *ctx, size_t input, rp_transcript *t, rp_report *r)
{
    (void)input;
    first_report *f = ctx;
    if (!f->r) {
        f->r = r;
        f->t = t;
        return RP_OK;
    }
    rp_report_free(r);
    rp_transcript_free(t);
    return RP_OK;
}

/* The diagnostics as one malloc'ed message, printed as the CLI prints them
 * ("file:line:col: msg", one per line, without the last newline), or what
 * when there are none. */
static char *diag_text(const rp_diags *d, const char *what)
{
    char *s = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&s, &n);
    if (!f)
        return NULL;
    if (d && d->head)
        rp_diags_print(d, f);
    else
        fputs(what, f);
    if (fclose(f) != 0) {
        free(s);
        return NULL;
    }
    if (n && s[n - 1] == '\n')
        s[n - 1] = '\0';
    return s;
}

/* Grade text[0..len) with the rubric ro's registry finds; see
 * redpen_grade(). */
static int grade_with(const char *text, size_t len, const rp_registry_opts *ro,
                      char **report_json, char **error)
{
    if (report_json)
        *report_json = NULL;
    if (error)
        *error = NULL;
    if (!text || !report_json) {
        if (error)
            *error = diag_text(NULL, "text and report_json are required");
        return RP_EXIT_BADINPUT;
    }
    rp_diags d;
    if (rp_diags_init(&d) != RP_OK)
        return RP_EXIT_INTERNAL;
    rp_pipeline p;
    memset(&p, 0, sizeof p);
    rp_status st = rp_registry_new(ro, &p.rubrics, &d);
    first_report f = {NULL, NULL};
    if (st == RP_OK) {
        rp_input in = {"conversation", text, len};
        st = rp_pipeline_grade(&p, &in, 1, keep_first, &f, &d);
    }
    if (st == RP_OK && !f.r) {
        rp_diag_add(&d, "conversation", 0, 0, "no conversation to grade");
        st = RP_EINPUT;
    }
    rp_buf b;
    rp_buf_init(&b, 0);
    if (st == RP_OK)
        st = rp_report_write_json(f.r, true, &b);
    if (st == RP_OK) {
        *report_json = malloc(b.len + 1);
        if (*report_json) {
            memcpy(*report_json, b.data, b.len);
            (*report_json)[b.len] = '\0';
        } else {
            st = RP_ENOMEM;
        }
    }
    if (st != RP_OK && error)
        *error = diag_text(&d, rp_strerror(st));
    rp_buf_free(&b);
    rp_report_free(f.r);
    rp_transcript_free(f.t);
    rp_registry_free(p.rubrics);
    rp_diags_free(&d);
    return rp_status_exit(st);
}

int redpen_grade(const char *text, size_t len, const char *rubric_path, char **report_json,
                 char **error)
{
    rp_registry_opts ro = {rubric_path, NULL, 0, NULL, NULL};
    return grade_with(text, len, &ro, report_json, error);
}

int redpen_grade_gold(const char *text, size_t len, const char *gold, char **report_json,
                      char **error)
{
    if (!gold) {
        if (report_json)
            *report_json = NULL;
        if (error)
            *error = diag_text(NULL, "gold is required");
        return RP_EXIT_BADINPUT;
    }
    rp_registry_opts ro = {NULL, NULL, 0, NULL, gold}; /* as `grade --answer GOLD` */
    return grade_with(text, len, &ro, report_json, error);
}
