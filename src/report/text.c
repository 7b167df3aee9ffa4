/*
 * One graded transcript for people: a compact terminal table (colored when
 * the caller asks, which it does for a terminal without NO_COLOR) and the
 * same as Markdown.  Columns: part, first verdict, final verdict,
 * corrections (with their kinds), error category; then a one-line summary.
 */
#include "report_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool rp_report_color_wanted(int fd)
{
    if (getenv("NO_COLOR"))
        return false;
    const char *term = getenv("TERM");
    if (term && strcmp(term, "dumb") == 0)
        return false;
    return isatty(fd) == 1;
}

#define C_RESET "\x1b[0m"
#define C_BOLD "\x1b[1m"
#define C_DIM "\x1b[2m"
#define C_GREEN "\x1b[32m"
#define C_RED "\x1b[31m"
#define C_YELLOW "\x1b[33m"
#define C_MAGENTA "\x1b[35m"

static const char *verdict_color(rp_verdict v)
{
    switch (v) {
    case RP_VERDICT_PASS: return C_GREEN;
    case RP_VERDICT_FAIL: return C_RED;
    case RP_VERDICT_MISSING: return C_DIM;
    case RP_VERDICT_UNGRADED: return C_YELLOW;
    }
    return "";
}

/* Display width of a UTF-8 string (code points; our marks are narrow). */
static size_t width(const char *s)
{
    size_t w = 0;
    for (; s && *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

/* s padded with spaces to w columns, colored when col is non-NULL. */
static rp_status cell(rp_buf *b, const char *s, size_t w, const char *col)
{
    rp_status st = RP_OK;
    if (col && *col)
        st = rp_buf_puts(b, col);
    if (st == RP_OK)
        st = rp_buf_puts(b, s ? s : "");
    if (st == RP_OK && col && *col)
        st = rp_buf_puts(b, C_RESET);
    for (size_t i = width(s); i < w && st == RP_OK; i++)
        st = rp_buf_putc(b, ' ');
    return st;
}

/* "2 (nudge, hint)" into buf. */
static void corrections_label(const rp_part_result *p, char *buf, size_t cap)
{
    size_t k[3] = {0, 0, 0};
    for (size_t i = 0; i < p->n_corrections; i++)
        if ((unsigned)p->corrections[i].kind < 3)
            k[p->corrections[i].kind]++;
    int n = snprintf(buf, cap, "%zu", p->n_corrections);
    const char *sep = " (";
    for (int i = 0; i < 3 && n > 0 && (size_t)n < cap; i++)
        if (k[i]) {
            n += k[i] > 1 ? snprintf(buf + n, cap - (size_t)n, "%s%zu %s", sep, k[i],
                                     rp_correction_kind_name((rp_correction_kind)i))
                          : snprintf(buf + n, cap - (size_t)n, "%s%s", sep,
                                     rp_correction_kind_name((rp_correction_kind)i));
            sep = ", ";
        }
    if (n > 0 && (size_t)n < cap && p->n_corrections)
        snprintf(buf + n, cap - (size_t)n, ")");
}

/* The category worth showing: the final one when still failing, else the
 * first failure's. */
static const rp_attempt *shown_failure(const rp_part_result *p)
{
    if (p->final.verdict == RP_VERDICT_FAIL)
        return &p->final;
    if (p->first.verdict == RP_VERDICT_FAIL)
        return &p->first;
    return NULL;
}

rp_status rp_report_render_text(const rp_report *r, bool color, rp_buf *out)
{
    const rp_report_summary *s = &r->summary;
    size_t wpart = 4;
    for (size_t i = 0; i < r->n_parts; i++)
        if (r->parts[i].part && width(r->parts[i].part) > wpart)
            wpart = width(r->parts[i].part);
    if (wpart > 12)
        wpart = 12;
    rp_status st = rp_buf_printf(out, "%s%s%s  %s  (rubric %s)\n", color ? C_BOLD : "",
                                 rp_report_display_model(r), color ? C_RESET : "",
                                 rp_report_display_path(r), r->rubric_id ? r->rubric_id : "none");
    if (st == RP_OK)
        st = cell(out, "part", wpart + 2, color ? C_DIM : NULL);
    if (st == RP_OK)
        st = rp_buf_printf(out, "%s%-12s%-12s%-22s%s%s\n", color ? C_DIM : "", "first", "final",
                           "corrections", "category", color ? C_RESET : "");
    for (size_t i = 0; i < r->n_parts && st == RP_OK; i++) {
        const rp_part_result *p = &r->parts[i];
        char v1[32], v2[32], corr[96];
        snprintf(v1, sizeof v1, "%s %s", rp_verdict_mark(p->first.verdict),
                 rp_verdict_name(p->first.verdict));
        snprintf(v2, sizeof v2, "%s %s", rp_verdict_mark(p->final.verdict),
                 rp_verdict_name(p->final.verdict));
        corrections_label(p, corr, sizeof corr);
        if (p->revealed && strlen(corr) + 10 < sizeof corr)
            strcat(corr, " revealed");
        const rp_attempt *f = shown_failure(p);
        st = cell(out, p->part, wpart + 2, NULL);
        if (st == RP_OK)
            st = cell(out, v1, 12, color ? verdict_color(p->first.verdict) : NULL);
        if (st == RP_OK)
            st = cell(out, v2, 12, color ? verdict_color(p->final.verdict) : NULL);
        if (st == RP_OK)
            st = cell(out, corr, 22, NULL);
        if (st == RP_OK && f && f->category)
            st = cell(out, f->category, 0, color ? C_MAGENTA : NULL);
        if (st == RP_OK && f && f->detail)
            st = rp_buf_printf(out, "  %s%s%s", color ? C_DIM : "", f->detail, color ? C_RESET : "");
        /* strip the padding a short last column left */
        while (st == RP_OK && out->len && out->data[out->len - 1] == ' ')
            out->data[--out->len] = '\0';
        if (st == RP_OK)
            st = rp_buf_putc(out, '\n');
    }
    if (st == RP_OK)
        st = rp_buf_printf(out,
                           "%s: %zu parts, %zu answered, first try %zu/%zu, final %zu/%zu, "
                           "%zu corrections, %zu revealed\n",
                           rp_report_display_model(r), s->parts, s->answered, s->first_pass,
                           s->parts, s->final_pass, s->parts, s->corrections, s->revealed);
    return st;
}

/* Markdown table cells must not contain | or line breaks. */
static rp_status md_cell(rp_buf *b, const char *s)
{
    rp_status st = RP_OK;
    for (; s && *s && st == RP_OK; s++) {
        if (*s == '|')
            st = rp_buf_puts(b, "\\|");
        else if (*s == '\n' || *s == '\r')
            st = rp_buf_putc(b, ' ');
        else
            st = rp_buf_putc(b, *s);
    }
    return st;
}

rp_status rp_report_render_md(const rp_report *r, rp_buf *out)
{
    const rp_report_summary *s = &r->summary;
    rp_status st = rp_buf_puts(out, "# ");
    if (st == RP_OK)
        st = md_cell(out, rp_report_display_model(r));
    if (st == RP_OK)
        st = rp_buf_puts(out, "\n\n`");
    if (st == RP_OK)
        st = md_cell(out, rp_report_display_path(r));
    if (st == RP_OK)
        st = rp_buf_printf(out,
                           "` · rubric `%s`\n\n"
                           "**%zu/%zu** answered · **%zu/%zu** pass on the first try · "
                           "**%zu/%zu** pass in the end · **%zu** corrections · **%zu** revealed\n\n"
                           "| part | title | first | final | corrections | category |\n"
                           "| --- | --- | --- | --- | --- | --- |\n",
                           r->rubric_id ? r->rubric_id : "none", s->answered, s->parts,
                           s->first_pass, s->parts, s->final_pass, s->parts, s->corrections,
                           s->revealed);
    for (size_t i = 0; i < r->n_parts && st == RP_OK; i++) {
        const rp_part_result *p = &r->parts[i];
        char corr[96];
        corrections_label(p, corr, sizeof corr);
        const rp_attempt *f = shown_failure(p);
        st = rp_buf_puts(out, "| ");
        if (st == RP_OK)
            st = md_cell(out, p->part);
        if (st == RP_OK)
            st = rp_buf_puts(out, " | ");
        if (st == RP_OK)
            st = md_cell(out, p->title);
        if (st == RP_OK)
            st = rp_buf_printf(out, " | %s %s | %s %s | %s%s | ", rp_verdict_mark(p->first.verdict),
                               rp_verdict_name(p->first.verdict), rp_verdict_mark(p->final.verdict),
                               rp_verdict_name(p->final.verdict), corr,
                               p->revealed ? ", revealed" : "");
        if (st == RP_OK && f && f->category) {
            st = rp_buf_printf(out, "`%s`", f->category);
            if (st == RP_OK && f->detail) {
                st = rp_buf_puts(out, ": ");
                if (st == RP_OK)
                    st = md_cell(out, f->detail);
            }
        }
        if (st == RP_OK)
            st = rp_buf_puts(out, " |\n");
    }
    return st;
}
