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

static const char *verdict_color(rp_verdict v)
{
    switch (v) {
    case RP_VERDICT_PASS: return RP_ANSI_GREEN;
    case RP_VERDICT_FAIL: return RP_ANSI_RED;
    case RP_VERDICT_MISSING: return RP_ANSI_DIM;
    case RP_VERDICT_UNGRADED: return RP_ANSI_YELLOW;
    }
    return "";
}

/* "2 (nudge, hint)" into buf, with " revealed" when with_reveal. */
static void corrections_label(const rp_part_result *p, bool with_reveal, char *buf, size_t cap)
{
    size_t k[3] = {0, 0, 0};
    for (size_t i = 0; i < p->n_corrections; i++)
        if ((unsigned)p->corrections[i].kind < 3)
            k[p->corrections[i].kind]++;
    rp_buf b;
    rp_buf_init(&b, cap - 1);
    rp_w w = rp_w_on(&b);
    rp_w_printf(&w, "%zu", p->n_corrections);
    const char *sep = " (";
    for (int i = 0; i < 3; i++)
        if (k[i]) {
            if (k[i] > 1)
                rp_w_printf(&w, "%s%zu %s", sep, k[i], rp_correction_kind_name((rp_correction_kind)i));
            else
                rp_w_printf(&w, "%s%s", sep, rp_correction_kind_name((rp_correction_kind)i));
            sep = ", ";
        }
    if (p->n_corrections)
        rp_w_putc(&w, ')');
    if (with_reveal && p->revealed)
        rp_w_puts(&w, ", revealed");
    snprintf(buf, cap, "%s", b.data ? b.data : "0");
    rp_buf_free(&b);
}

#define DETAIL_TEXT_MAX 100 /* a terminal line, not a page */
#define ANSWER_TEXT_MAX 60   /* an expected or claimed answer on that line */

/* s, cut back to a whole UTF-8 character before max bytes with "…" after
 * it when longer; line breaks as spaces (a table row stays one line). */
static void put_clipped(rp_w *w, const char *s, size_t max)
{
    size_t n = strlen(s), cut = n;
    if (n > max) {
        cut = max;
        while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
            cut--;
    }
    for (size_t i = 0; i < cut; i++)
        rp_w_putc(w, s[i] == '\n' || s[i] == '\r' ? ' ' : s[i]);
    if (cut < n)
        rp_w_puts(w, "\xe2\x80\xa6");
}

/* The line under a part that fails in the end: what the rubric expects and
 * what the model last claimed, so that a reader can check the verdict. */
static void expected_line(rp_w *w, const rp_part_result *p, bool color)
{
    if (p->final.verdict != RP_VERDICT_FAIL || !p->truth)
        return;
    rp_w_printf(w, "%s  expected ", color ? RP_ANSI_DIM : "");
    put_clipped(w, p->truth, ANSWER_TEXT_MAX);
    if (p->final.claim) {
        rp_w_puts(w, "  claimed ");
        put_clipped(w, p->final.claim, ANSWER_TEXT_MAX);
    }
    rp_w_printf(w, "%s\n", color ? RP_ANSI_RESET : "");
}

rp_status rp_report_render_text(const rp_report *r, bool color, rp_buf *out)
{
    size_t from = out->len;
    const rp_report_summary *s = &r->summary;
    size_t wpart = 4, wcorr = 11;
    for (size_t i = 0; i < r->n_parts; i++) {
        char corr[96];
        corrections_label(&r->parts[i], true, corr, sizeof corr);
        if (rp_u8width(corr) > wcorr)
            wcorr = rp_u8width(corr);
        if (rp_u8width(r->parts[i].part) > wpart)
            wpart = rp_u8width(r->parts[i].part);
    }
    if (wpart > 12)
        wpart = 12;
    rp_w w = rp_w_on(out);
    const char *dim = color ? RP_ANSI_DIM : NULL;
    rp_w_printf(&w, "%s%s%s  %s  (rubric %s)\n", color ? RP_ANSI_BOLD : "", rp_report_display_model(r),
                color ? RP_ANSI_RESET : "", rp_report_display_path(r), r->rubric_id ? r->rubric_id : "none");
    if (dim)
        rp_w_puts(&w, dim);
    rp_w_cell(&w, "part", wpart + 2, NULL);
    rp_w_cell(&w, "first", 12, NULL);
    rp_w_cell(&w, "final", 12, NULL);
    rp_w_cell(&w, "corrections", wcorr + 2, NULL);
    rp_w_puts(&w, "diagnosis");
    if (dim)
        rp_w_puts(&w, RP_ANSI_RESET);
    rp_w_putc(&w, '\n');
    for (size_t i = 0; i < r->n_parts; i++) {
        const rp_part_result *p = &r->parts[i];
        char v1[32], v2[32], corr[96];
        snprintf(v1, sizeof v1, "%s %s", rp_verdict_mark(p->first.verdict),
                 rp_verdict_name(p->first.verdict));
        snprintf(v2, sizeof v2, "%s %s", rp_verdict_mark(p->final.verdict),
                 rp_verdict_name(p->final.verdict));
        corrections_label(p, true, corr, sizeof corr);
        const rp_attempt *f = rp_part_failure(p);
        bool more = f && (f->category || f->detail);
        rp_w_cell(&w, p->part, wpart + 2, NULL);
        rp_w_cell(&w, v1, 12, color ? verdict_color(p->first.verdict) : NULL);
        rp_w_cell(&w, v2, 12, color ? verdict_color(p->final.verdict) : NULL);
        rp_w_cell(&w, corr, more ? wcorr + 2 : 0, NULL);
        if (more && f->category)
            rp_w_cell(&w, f->category, 0, color ? RP_ANSI_MAGENTA : NULL);
        if (more && f->detail) {
            rp_w_printf(&w, "%s%s", f->category ? "  " : "", color ? RP_ANSI_DIM : "");
            put_clipped(&w, f->detail, DETAIL_TEXT_MAX);
            if (color)
                rp_w_puts(&w, RP_ANSI_RESET);
        }
        rp_w_putc(&w, '\n');
        expected_line(&w, p, color);
    }
    rp_w_printf(&w,
                "%s: %zu parts, %zu answered, first try %zu/%zu, final %zu/%zu, "
                "%zu corrections, %zu revealed\n",
                rp_report_display_model(r), s->parts, s->answered, s->first_pass, s->parts,
                s->final_pass, s->parts, s->corrections, s->revealed);
    /* the colours become real; the inputs' controls go (model names, the
     * judge's reasons) */
    rp_term_clean(out, from, color);
    return w.st;
}

rp_status rp_report_render_md(const rp_report *r, rp_buf *out)
{
    const rp_report_summary *s = &r->summary;
    rp_w w = rp_w_on(out);
    rp_w_puts(&w, "# ");
    if (w.st == RP_OK) /* the input's name: no raw HTML, no Markdown of its own */
        w.st = rp_md_escape(w.b, rp_report_display_model(r));
    rp_w_puts(&w, "\n\n`");
    rp_w_md_cell(&w, rp_report_display_path(r));
    rp_w_printf(&w,
                "` · rubric `%s`\n\n"
                "**%zu/%zu** answered · **%zu/%zu** pass on the first try · "
                "**%zu/%zu** pass in the end · **%zu** corrections · **%zu** revealed\n\n"
                "| part | title | expected | first | final | corrections | diagnosis |\n"
                "| --- | --- | --- | --- | --- | --- | --- |\n",
                r->rubric_id ? r->rubric_id : "none", s->answered, s->parts, s->first_pass,
                s->parts, s->final_pass, s->parts, s->corrections, s->revealed);
    for (size_t i = 0; i < r->n_parts; i++) {
        const rp_part_result *p = &r->parts[i];
        char corr[96];
        corrections_label(p, true, corr, sizeof corr);
        const rp_attempt *f = rp_part_failure(p);
        rp_w_puts(&w, "| ");
        rp_w_md_cell(&w, p->part);
        rp_w_puts(&w, " | ");
        rp_w_md_cell(&w, p->title);
        rp_w_puts(&w, " | ");
        if (p->truth) {
            rp_w_putc(&w, '$');
            rp_w_md_cell(&w, p->truth);
            rp_w_putc(&w, '$');
        }
        rp_w_printf(&w, " | %s %s | %s %s | %s | ", rp_verdict_mark(p->first.verdict),
                    rp_verdict_name(p->first.verdict), rp_verdict_mark(p->final.verdict),
                    rp_verdict_name(p->final.verdict), corr);
        if (f && f->category)
            rp_w_printf(&w, "`%s`", f->category);
        if (f && f->detail) {
            rp_w_puts(&w, f->category ? ": " : "");
            rp_w_md_cell(&w, f->detail);
        }
        rp_w_puts(&w, " |\n");
    }
    return w.st;
}
