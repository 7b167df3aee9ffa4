/*
 * What every renderer of src/report shares: the writer with a sticky
 * status, HTML escaping, display widths for terminal tables, and the facts
 * about verdicts, error categories and reports that all formats present
 * the same way (marks, colors, the failure worth explaining).
 */
#include "report_int.h"
#include "redpen/category.h"
#include "redpen/rubric.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

void rp_w_put(rp_w *w, const char *s, size_t n)
{
    if (w->st == RP_OK && n)
        w->st = rp_buf_append(w->b, s, n);
}

void rp_w_puts(rp_w *w, const char *s)
{
    if (s)
        rp_w_put(w, s, strlen(s));
}

void rp_w_putc(rp_w *w, char c)
{
    rp_w_put(w, &c, 1);
}

void rp_w_printf(rp_w *w, const char *fmt, ...)
{
    if (w->st != RP_OK)
        return;
    va_list ap;
    va_start(ap, fmt);
    w->st = rp_buf_vprintf(w->b, fmt, ap);
    va_end(ap);
}

void rp_w_esc_n(rp_w *w, const char *s, size_t n)
{
    if (!s)
        return;
    /* never cut a UTF-8 character in two */
    while (n > 0 && s[n] && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    size_t run = 0;
    for (size_t i = 0; i < n && w->st == RP_OK; i++) {
        const char *rep = NULL;
        switch (s[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        rp_w_put(w, s + run, i - run);
        rp_w_puts(w, rep);
        run = i + 1;
    }
    rp_w_put(w, s + run, n - run);
}

void rp_w_esc(rp_w *w, const char *s)
{
    if (s)
        rp_w_esc_n(w, s, strlen(s));
}

void rp_w_md_cell(rp_w *w, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '|')
            rp_w_puts(w, "\\|");
        else
            rp_w_putc(w, *s == '\n' || *s == '\r' ? ' ' : *s);
    }
}

size_t rp_u8width(const char *s)
{
    size_t n = 0;
    for (; s && *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

void rp_w_pad(rp_w *w, size_t used, size_t width)
{
    for (size_t i = used; i < width; i++)
        rp_w_putc(w, ' ');
}

void rp_w_cell(rp_w *w, const char *s, size_t width, const char *col)
{
    bool colored = col && *col;
    if (colored)
        rp_w_puts(w, col);
    rp_w_puts(w, s);
    if (colored)
        rp_w_puts(w, RP_ANSI_RESET);
    rp_w_pad(w, s ? rp_u8width(s) : 0, width);
}

bool rp_read_raw(const char *path, rp_buf *b)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    char chunk[16384];
    size_t got;
    bool ok = true;
    while (ok && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
        ok = rp_buf_append(b, chunk, got) == RP_OK;
    if (ferror(f))
        ok = false;
    fclose(f);
    return ok;
}

/* ------------------------------------------------------------ verdicts */

const char *rp_verdict_mark(rp_verdict v)
{
    switch (v) {
    case RP_VERDICT_PASS: return "\xe2\x9c\x93";    /* ✓ */
    case RP_VERDICT_FAIL: return "\xe2\x9c\x97";    /* ✗ */
    case RP_VERDICT_MISSING: return "\xe2\x80\x93"; /* – */
    case RP_VERDICT_UNGRADED: return "?";
    }
    return "?";
}

void rp_html_verdict(rp_w *w, rp_verdict v)
{
    rp_w_printf(w, "<span class=\"v %s\">%s %s</span>", rp_verdict_class(v), rp_verdict_mark(v),
                rp_verdict_name(v));
}

/* A word of a detail that is LaTeX: it has a command, a group, or a sub-
 * or superscript of one character or a group ("g_3", "p_{in}", "2^n"; not
 * the "_" of "wrong_case"). */
static bool tex_word(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' || s[i] == '{')
            return true;
        if ((s[i] == '^' || s[i] == '_') && i + 1 < n &&
            (s[i + 1] == '{' || i + 2 == n || !isalpha((unsigned char)s[i + 2])))
            return true;
    }
    return false;
}

/* A word that may sit inside a formula between LaTeX words. */
static bool tex_glue(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strchr("0123456789.+-*/=<>()|", s[i]) && !(n == 1 && isalpha((unsigned char)s[i])))
            return false;
    return true;
}

/* The word of s[0..n) at or after i (spaces skipped): its start, and its
 * end in *end. */
static size_t next_word(const char *s, size_t n, size_t i, size_t *end)
{
    while (i < n && s[i] == ' ')
        i++;
    size_t e = i;
    while (e < n && s[e] != ' ')
        e++;
    *end = e;
    return i;
}

void rp_html_detail(rp_w *w, const char *s)
{
    if (!s)
        return;
    if (strchr(s, '$')) { /* already delimited: the math pass finds it */
        rp_w_esc(w, s);
        return;
    }
    size_t n = strlen(s), i = 0;
    while (i < n) {
        /* the next word */
        size_t e, a = next_word(s, n, i, &e);
        if (!tex_word(s + a, e - a)) {
            rp_w_esc_n(w, s + i, e - i);
            i = e;
            continue;
        }
        /* a run of LaTeX words, with glue between them; an open brace
         * takes every word until it closes */
        size_t end = e, k = e;
        int braces = 0;
        for (size_t q = a; q < e; q++)
            braces += s[q] == '{' ? 1 : s[q] == '}' ? -1 : 0;
        while (k < n) {
            size_t f, b = next_word(s, n, k, &f);
            bool inside = braces > 0;
            if (f == b || !(inside || tex_word(s + b, f - b) || tex_glue(s + b, f - b)))
                break;
            for (size_t q = b; q < f; q++)
                braces += s[q] == '{' ? 1 : s[q] == '}' ? -1 : 0;
            if (inside || tex_word(s + b, f - b))
                end = f;
            k = f;
        }
        /* keep trailing punctuation and an unmatched ")" out of the formula */
        int depth = 0;
        for (size_t q = a; q < end; q++)
            depth += s[q] == '(' ? 1 : s[q] == ')' ? -1 : 0;
        while (end > a && (strchr(",;:.", s[end - 1]) || (s[end - 1] == ')' && depth < 0))) {
            depth += s[end - 1] == ')';
            end--;
        }
        rp_w_esc_n(w, s + i, a - i);
        rp_w_puts(w, "\\(");
        rp_w_esc_n(w, s + a, end - a);
        rp_w_puts(w, "\\)");
        i = end;
    }
}

void rp_html_diagnosis(rp_w *w, const rp_attempt *a)
{
    if (!a)
        return;
    if (a->category) {
        rp_w_puts(w, "<span class=\"cat\">");
        rp_w_esc(w, a->category);
        rp_w_puts(w, "</span> ");
    }
    rp_html_detail(w, a->detail);
}

void rp_html_cards(rp_w *w, const rp_report_summary *s)
{
    rp_w_printf(w,
        "<div class=\"cards\"><div class=\"card\"><b>%zu/%zu</b><span>parts answered</span></div>"
        "<div class=\"card\"><b>%zu/%zu</b><span>right on the first try</span></div>"
        "<div class=\"card\"><b>%zu/%zu</b><span>right in the end</span></div>"
        "<div class=\"card\"><b>%zu</b><span>corrections</span></div>"
        "<div class=\"card\"><b>%zu</b><span>answers revealed</span></div></div>\n",
        s->answered, s->parts, s->first_pass, s->parts, s->final_pass, s->parts, s->corrections,
        s->revealed);
}

void rp_w_part_anchor(rp_w *w, const char *part)
{
    static const char hex[] = "0123456789abcdef";
    rp_w_puts(w, "part-");
    for (const unsigned char *c = (const unsigned char *)(part ? part : ""); *c; c++) {
        if (isalnum(*c) || *c == '.' || *c == '_') {
            rp_w_putc(w, (char)*c);
        } else {
            rp_w_putc(w, '~');
            rp_w_putc(w, hex[*c >> 4]);
            rp_w_putc(w, hex[*c & 15]);
        }
    }
}

/* The facts the annotated page's part index and filters read from a row:
 * its anchor, final verdict, whether any attempt failed, corrections,
 * revealed, and the categories of its failed attempts. */
static void part_row_data(rp_w *w, const rp_part_result *p)
{
    rp_w_puts(w, " id=\"");
    rp_w_part_anchor(w, p->part);
    rp_w_puts(w, "\" data-part=\"");
    rp_w_esc(w, p->part);
    rp_w_printf(w, "\" data-final=\"%s\" data-corr=\"%zu\"", rp_verdict_class(p->final.verdict),
                p->n_corrections);
    bool failed = false;
    rp_w_puts(w, " data-cats=\"");
    for (size_t a = 0; a < p->n_attempts; a++) {
        const char *c = p->attempts[a].category;
        failed |= p->attempts[a].verdict == RP_VERDICT_FAIL;
        bool seen = !c || !*c;
        for (size_t b = 0; b < a && !seen; b++)
            seen = p->attempts[b].category && strcmp(p->attempts[b].category, c) == 0;
        if (seen)
            continue;
        rp_w_puts(w, " ");
        rp_w_esc(w, c);
    }
    rp_w_puts(w, "\"");
    if (failed)
        rp_w_puts(w, " data-fail=\"1\"");
    if (p->revealed)
        rp_w_puts(w, " data-rev=\"1\"");
}

void rp_html_part_row(rp_w *w, const rp_part_result *p, bool anchored)
{
    rp_w_puts(w, "<tr");
    if (anchored)
        part_row_data(w, p);
    rp_w_puts(w, "><td><b>");
    rp_w_esc(w, p->part);
    rp_w_puts(w, "</b></td><td>");
    rp_w_esc(w, p->title);
    rp_w_puts(w, "</td>");
}

const rp_attempt *rp_part_failure(const rp_part_result *p)
{
    if (p->final.verdict == RP_VERDICT_FAIL)
        return &p->final;
    if (p->first.verdict == RP_VERDICT_FAIL)
        return &p->first;
    return NULL;
}

/* the categories of redpen/category.h, in its order */
#define N_KNOWN (int)(RP_CAT_COUNT - 1)

static const char *const palette[] = {
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
    "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac", "#86bcb6", "#d37295",
    "#a0cbe8", "#8cd17d", "#499894", "#fabfd2", "#79706e", "#b6992d",
    /* for categories a rubric adds */
    "#2f4b7c", "#a05195", "#d45087", "#665191", "#ff7c43", "#3b8c6e"};
#define N_PALETTE (sizeof palette / sizeof palette[0])
_Static_assert(N_PALETTE > N_KNOWN, "a color for every known category, and more");

int rp_category_rank(const char *cat)
{
    if (!cat)
        return N_KNOWN + 1;
    rp_category c = rp_category_from_id(cat);
    return c != RP_CAT_NONE ? (int)c - 1 : N_KNOWN;
}

const char *rp_category_color(const char *cat)
{
    int r = rp_category_rank(cat);
    if (r < N_KNOWN)
        return palette[r];
    /* a rubric's own category: a color from its name, stable across pages */
    uint32_t h = 2166136261u;
    for (const char *p = cat ? cat : ""; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    return palette[N_KNOWN + h % (N_PALETTE - N_KNOWN)];
}

/* ------------------------------------------------------------- reports */

/* The expected answer of part in rb when rb is the rubric graded with. */
static const char *rubric_expected(const rp_rubric *rb, const rp_report *r, const char *part)
{
    if (!rb || !part || !r->rubric_id || !rb->id || strcmp(rb->id, r->rubric_id) != 0)
        return NULL;
    const rp_part *p = rp_rubric_part(rb, part);
    const rp_answer *a = p ? (p->truth ? p->truth : p->key) : NULL;
    return a && a->latex && *a->latex ? a->latex : NULL;
}

const char *rp_part_expected(const rp_html_opts *o, const rp_report *r, const char *part)
{
    for (size_t i = 0; part && i < r->n_parts; i++)
        if (r->parts[i].part && strcmp(r->parts[i].part, part) == 0 && r->parts[i].truth)
            return r->parts[i].truth;
    return rubric_expected(o ? o->rubric : NULL, r, part);
}

rp_status rp_report_set_truth(rp_report *r, const rp_rubric *rb)
{
    for (size_t i = 0; r && i < r->n_parts; i++) {
        const char *t = rubric_expected(rb, r, r->parts[i].part);
        if (!t)
            continue;
        r->parts[i].truth = rp_arena_strdup(r->arena, t);
        if (!r->parts[i].truth)
            return RP_ENOMEM;
    }
    return RP_OK;
}

size_t rp_report_turns(const rp_report *r, rp_role role)
{
    return r && r->transcript ? rp_transcript_count(r->transcript, role) : 0;
}

const char *rp_report_display_model(const rp_report *r)
{
    if (r->model && *r->model)
        return r->model;
    if (r->transcript && r->transcript->model && *r->transcript->model)
        return r->transcript->model;
    return "unknown model";
}

const char *rp_report_display_path(const rp_report *r)
{
    if (r->transcript && r->transcript->path)
        return r->transcript->path;
    return "(unknown)";
}
