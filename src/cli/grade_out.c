/*
 * The output of `redpen grade` over whole inputs, written as the reports
 * arrive (in input order, from the pipeline's sink) so that a run over any
 * number of inputs keeps none of them: text, Markdown and JSON Lines
 * report by report; JSON as one object for one report and {"reports": […]}
 * for several, the first report held until a second shows which; HTML is
 * one page over every report, so it keeps them all and is written at the
 * end.  The output follows the rules of every writer (src/core/out.c):
 * -o OUT is written beside and renamed over OUT when the run ends with
 * something written, so OUT is never half written.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* The text of one report as an element of {"reports": […]}: the
 * rendering of a one-report set without its first two lines (the opening,
 * kept in w->head) and its last three (the closing, kept in w->foot), so
 * that both renderings stay one. */
static rp_status json_element(rp_grade_out *w, const rp_report *r, rp_buf *out)
{
    rp_buf one;
    rp_buf_init(&one, 0);
    rp_report *const v[1] = {(rp_report *)r};
    rp_status st = rp_reports_write_json(v, 1, &one);
    const char *s = one.data ? one.data : "";
    const char *a = strchr(s, '\n');
    a = a ? strchr(a + 1, '\n') : NULL;
    size_t end = one.len, lines = 0;
    while (end > 0 && lines < 3)
        if (s[--end] == '\n')
            lines++;
    size_t head = a ? (size_t)(a + 1 - s) : 0;
    if (st == RP_OK && (!a || lines < 3 || head > end || head >= sizeof w->head ||
                        one.len - end >= sizeof w->foot))
        st = RP_EINTERNAL;
    if (st == RP_OK) {
        memcpy(w->head, s, head);
        w->head[head] = '\0';
        memcpy(w->foot, s + end, one.len - end);
        w->foot[one.len - end] = '\0';
        st = rp_buf_append(out, s + head, end - head);
    }
    rp_buf_free(&one);
    return st;
}

/* Between two elements: the closing's first line with its last character
 * (the array's ']') replaced by ", {", the opening of the next. */
static rp_status json_between(const rp_grade_out *w, rp_buf *out)
{
    const char *nl = strchr(w->foot + 1, '\n');
    size_t n = nl ? (size_t)(nl - w->foot) : 0;
    if (n < 2)
        return RP_EINTERNAL;
    rp_status st = rp_buf_append(out, w->foot, n - 1);
    return st == RP_OK ? rp_buf_puts(out, ", {\n") : st;
}

/* Print and free the diagnostics of an output call. */
static rp_status told(rp_diags *d, rp_status st)
{
    rp_diags_print(d, stderr);
    rp_diags_free(d);
    return st;
}

rp_status rp_grade_out_open(rp_grade_out *w, const char *format, const char *out_path)
{
    memset(w, 0, sizeof *w);
    w->format = format;
    w->out.fd = -1;
    rp_buf_init(&w->buf, 0);
    rp_report_set_init(&w->set);
    w->color = (!out_path || strcmp(out_path, "-") == 0) && rp_report_color_wanted(1);
    rp_diags d;
    if (rp_diags_init(&d) != RP_OK)
        return RP_ENOMEM;
    rp_status st = rp_out_open(out_path ? out_path : "-", &w->out, &d);
    w->open = st == RP_OK;
    return told(&d, st);
}

/* Write w->buf out (the output's rules: src/core/out.c) and empty it. */
static rp_status flush_buf(rp_grade_out *w)
{
    rp_diags d;
    if (rp_diags_init(&d) != RP_OK)
        return RP_ENOMEM;
    rp_status st = w->buf.len ? rp_out_write(&w->out, w->buf.data, w->buf.len, &d) : RP_OK;
    rp_buf_truncate(&w->buf, 0);
    return told(&d, st);
}

/* Render r after the w->n reports before it into w->buf. */
static rp_status render(rp_grade_out *w, const rp_report *r)
{
    rp_status st = RP_OK;
    if (strcmp(w->format, "jsonl") == 0) {
        st = rp_report_write_json(r, false, &w->buf);
        return st == RP_OK ? rp_buf_putc(&w->buf, '\n') : st;
    }
    if (strcmp(w->format, "json") == 0) {
        if (w->n == 1) { /* the held first report opens the set */
            rp_buf body;
            rp_buf_init(&body, 0);
            st = json_element(w, w->first, &body);
            if (st == RP_OK)
                st = rp_buf_puts(&w->buf, w->head);
            if (st == RP_OK)
                st = rp_buf_append(&w->buf, body.data, body.len);
            rp_buf_free(&body);
            rp_report_free(w->first);
            rp_transcript_free(w->first_t);
            w->first = NULL;
            w->first_t = NULL;
        }
        if (st == RP_OK)
            st = json_between(w, &w->buf);
        return st == RP_OK ? json_element(w, r, &w->buf) : st;
    }
    if (w->n)
        st = rp_buf_putc(&w->buf, '\n');
    if (st == RP_OK && strcmp(w->format, "md") == 0)
        st = rp_report_render_md(r, &w->buf);
    else if (st == RP_OK) {
        /* terminal-safe: the renderer strips the inputs' controls */
        st = rp_report_render_text(r, w->color, &w->buf);
    }
    return st;
}

rp_status rp_grade_out_sink(void *ctx, size_t input, rp_transcript *t, rp_report *r)
{
    (void)input;
    rp_grade_out *w = ctx;
    if (strcmp(w->format, "html") == 0) {
        rp_status st = rp_report_set_push(&w->set, r);
        rp_status tst = rp_transcript_set_push(&w->set.transcripts, t);
        w->n++;
        return st != RP_OK ? st : tst;
    }
    if (strcmp(w->format, "json") == 0 && w->n == 0) {
        w->first = r; /* one report is one object: wait for a second */
        w->first_t = t;
        w->n++;
        return RP_OK;
    }
    rp_status st = render(w, r);
    rp_report_free(r);
    rp_transcript_free(t);
    w->n++;
    return st == RP_OK ? flush_buf(w) : st;
}

/* What is left to write at the end: the one JSON report or the closing
 * of the set, or the HTML page. */
static rp_status finish(rp_grade_out *w)
{
    rp_status st = RP_OK;
    if (strcmp(w->format, "json") == 0) {
        if (w->n == 1) {
            st = rp_report_write_json(w->first, true, &w->buf);
            if (st == RP_OK)
                st = rp_buf_putc(&w->buf, '\n');
        } else if (w->n == 0) {
            st = rp_reports_write_json(NULL, 0, &w->buf);
        } else {
            st = rp_buf_puts(&w->buf, w->foot);
        }
    } else if (strcmp(w->format, "html") == 0) {
        st = rp_reports_render_html(w->set.items, w->set.n, NULL, &w->buf);
    }
    return st == RP_OK ? flush_buf(w) : st;
}

rp_status rp_grade_out_close(rp_grade_out *w, rp_status run)
{
    bool any = w->n > 0 || run == RP_OK;
    rp_status st = any && w->open ? finish(w) : RP_OK;
    if (w->open) {
        rp_diags d;
        bool have = rp_diags_init(&d) == RP_OK;
        rp_status cst = rp_out_close(&w->out, any && st == RP_OK, have ? &d : NULL);
        if (have)
            told(&d, RP_OK);
        if (st == RP_OK)
            st = cst;
    }
    rp_report_free(w->first);
    rp_transcript_free(w->first_t);
    rp_report_set_free(&w->set);
    rp_buf_free(&w->buf);
    memset(w, 0, sizeof *w);
    return st;
}
