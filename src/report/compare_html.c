/*
 * The model comparison as one self-contained HTML page (`compare --format
 * html`): the table of models with pass-rate bars, a part × model heat map
 * and stacked bars of error categories as SVG drawn here, the parts in
 * detail with the diagnosis of each failure, and the table of transcripts
 * (its rows written while the reports were folded).
 */
#include "compare_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Color of an outcome score: red (0) through amber to green (1). */
static void score_rgb(double s, char *buf, size_t cap)
{
    static const double stops[4][4] = {{0.0, 229, 83, 75},
                                       {0.35, 244, 180, 60},
                                       {0.7, 150, 205, 110},
                                       {1.0, 45, 164, 78}};
    if (s < 0) {
        snprintf(buf, cap, "%s", s == RP_CMP_NOT_GRADED ? "#c9d1da" : "#eaeef2");
        return;
    }
    int i = 0;
    while (i < 2 && s > stops[i + 1][0])
        i++;
    double t = (s - stops[i][0]) / (stops[i + 1][0] - stops[i][0]);
    if (t < 0)
        t = 0;
    if (t > 1)
        t = 1;
    int rgb[3];
    for (int k = 0; k < 3; k++)
        rgb[k] = (int)lround(stops[i][k + 1] + t * (stops[i + 1][k + 1] - stops[i][k + 1]));
    snprintf(buf, cap, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
}

/* Width of the label column of the charts: room for the longest model
 * name (13px bold is about 9px a character). */
static int label_width(const rp_cmp *c)
{
    size_t n = 6;
    for (size_t k = 0; k < c->n_models; k++)
        if (rp_u8width(c->models[k].name) > n)
            n = rp_u8width(c->models[k].name);
    int wd = 24 + 9 * (int)n;
    return wd > 300 ? 300 : wd;
}

static void svg_open(rp_w *w, const char *id, int width, int height, const char *title)
{
    rp_w_printf(w, "<svg id=\"%s\" class=\"chart\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\" "
                   "viewBox=\"0 0 %d %d\" width=\"%d\" style=\"max-width:100%%;height:auto\">\n"
                   "<title>%s</title>\n", id, width, height, width, title);
}

/* A model's name at the left of a chart row whose middle is at y. */
static void svg_row_label(rp_w *w, const char *name, int label_w, int y)
{
    rp_w_printf(w, "<text x=\"%d\" y=\"%d\" font-size=\"13\" font-weight=\"600\" "
                   "text-anchor=\"end\" fill=\"#1f2328\">", label_w - 10, y + 5);
    rp_w_esc(w, name);
    rp_w_puts(w, "</text>\n");
}

/* The tooltip of a heat-map cell. */
static void cell_title(rp_w *w, const rp_cmp *c, const rp_cmp_model *m, size_t q)
{
    const rp_cmp_cell *e = &m->cells[q];
    rp_w_esc(w, c->parts[q].id);
    rp_w_puts(w, " \xc2\xb7 ");
    rp_w_esc(w, m->name);
    if (e->n == 1) {
        const rp_part_result *p = e->last;
        rp_w_printf(w, ": first %s, final %s, %zu correction%s%s", rp_verdict_name(p->first.verdict),
                    rp_verdict_name(p->final.verdict), e->corrections, e->corrections == 1 ? "" : "s",
                    p->revealed ? ", answer revealed" : "");
        if (p->first.category) {
            rp_w_puts(w, "; first error: ");
            rp_w_esc(w, p->first.category);
        }
    } else if (e->n > 1) {
        rp_w_printf(w, ": %zu transcripts, first try %zu, final %zu, %zu corrections", e->n,
                    e->first_pass, e->final_pass, e->corrections);
    } else {
        rp_w_puts(w, ": not in these reports");
    }
}

/* Whether any attempt passed and a later one failed: a right answer
 * replaced by a wrong one, which first and final verdicts alone hide. */
static bool regressed(const rp_part_result *p)
{
    bool passed = false;
    for (size_t a = 0; a < p->n_attempts; a++) {
        if (passed && p->attempts[a].verdict == RP_VERDICT_FAIL)
            return true;
        passed |= p->attempts[a].verdict == RP_VERDICT_PASS;
    }
    return false;
}

/* "✗ turn 2 → ✓ turn 6": the attempts of a cell's only transcript. */
static void attempt_sequence(rp_w *w, const rp_part_result *p)
{
    for (size_t a = 0; a < p->n_attempts; a++)
        rp_w_printf(w, "%s%s turn %d", a ? " \xe2\x86\x92 " : "", rp_verdict_mark(p->attempts[a].verdict),
                    p->attempts[a].turn);
}

/* s as a relative URL path: bytes other than letters, digits and . _ ~ -
 * as %XX, so that no name can make a scheme ("javascript:") or leave the
 * attribute. */
static void url_path(rp_w *w, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
            strchr("._~-", *c))
            rp_w_putc(w, (char)*c);
        else
            rp_w_printf(w, "%%%c%c", hex[*c >> 4], hex[*c & 15]);
    }
}

/* Whether the annotated page of a cell is in o->link_dir. */
static bool page_written(const rp_html_opts *o, const char *page)
{
    if (!o || !o->link_dir || !page)
        return false;
    rp_buf path;
    rp_buf_init(&path, 0);
    bool ok = rp_buf_puts(&path, o->link_dir) == RP_OK && rp_buf_putc(&path, '/') == RP_OK &&
              rp_buf_puts(&path, page) == RP_OK && access(path.data, R_OK) == 0;
    rp_buf_free(&path);
    return ok;
}

/* One heat-map cell: a link to the part in the annotated page when that
 * page was written alongside, else a focusable group; its details (the
 * tooltip, the attempts, a regression) in data-* for the page's script
 * and in <title> for a hover without it; a dot per attempt at the bottom
 * and a dashed border when a right answer was later replaced. */
static void heat_cell(rp_w *w, const rp_cmp *c, const rp_cmp_model *m, size_t q, int x, int y, int cw,
                      int ch, const rp_html_opts *o)
{
    const rp_cmp_cell *e = &m->cells[q];
    const rp_part_result *p = e->n == 1 ? e->last : NULL;
    char col[16], lab[48];
    score_rgb(e->score, col, sizeof col);
    rp_cmp_cell_label(e, lab, sizeof lab);
    rp_buf tip;
    rp_buf_init(&tip, 0);
    rp_w t = rp_w_on(&tip);
    cell_title(&t, c, m, q);
    bool link = p && page_written(o, e->page);
    if (link) {
        rp_w_puts(w, "<a class=\"cell\" href=\"");
        url_path(w, e->page);
        rp_w_putc(w, '#');
        rp_w_part_anchor(w, c->parts[q].id);
        rp_w_puts(w, "\"");
    } else {
        rp_w_puts(w, "<g class=\"cell\" tabindex=\"0\"");
    }
    rp_w_puts(w, " data-part=\"");
    rp_w_esc(w, c->parts[q].id);
    rp_w_puts(w, "\" data-tip=\"");
    rp_w_esc(w, tip.data ? tip.data : "");
    rp_w_puts(w, "\"");
    bool back = p && regressed(p);
    if (p && p->n_attempts) {
        rp_w_puts(w, " data-seq=\"");
        attempt_sequence(w, p);
        rp_w_puts(w, "\"");
    }
    if (back)
        rp_w_puts(w, " data-regress=\"1\"");
    rp_w_printf(w, "><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"4\" "
                   "fill=\"%s\" stroke=\"#ffffff\" stroke-width=\"2\"/><title>",
                x, y, cw, ch, e->n ? col : "#f6f8fa");
    rp_w_esc(w, tip.data ? tip.data : "");
    if (p && p->n_attempts > 1) {
        rp_w_puts(w, "; attempts: ");
        attempt_sequence(w, p);
    }
    rp_w_puts(w, "</title>");
    if (t.st != RP_OK && w->st == RP_OK)
        w->st = t.st;
    rp_buf_free(&tip);
    if (back)
        rp_w_printf(w, "<rect class=\"regress\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"3\" "
                       "fill=\"none\" stroke=\"#6639ba\" stroke-width=\"2\" stroke-dasharray=\"4 2\"/>",
                    x + 3, y + 3, cw - 6, ch - 6);
    size_t dots = p && p->n_attempts > 1 ? (p->n_attempts > 6 ? 6 : p->n_attempts) : 0;
    for (size_t a = 0; a < dots; a++) {
        rp_verdict v = p->attempts[a].verdict;
        rp_w_printf(w, "<circle cx=\"%.1f\" cy=\"%d\" r=\"2.6\" fill=\"%s\" stroke=\"#ffffff\" "
                       "stroke-width=\"0.8\"/>",
                    x + cw / 2.0 + ((double)a - (double)(dots - 1) / 2.0) * 7.0, y + ch - 6,
                    v == RP_VERDICT_PASS ? "#0f5323" : v == RP_VERDICT_FAIL ? "#cf222e" : "#8c959f");
    }
    bool light_text = e->score >= 0 && (e->score < 0.2 || e->score > 0.9);
    rp_w_printf(w, "<text x=\"%d\" y=\"%d\" font-size=\"12\" font-weight=\"600\" "
                   "text-anchor=\"middle\" fill=\"%s\" pointer-events=\"none\">",
                x + cw / 2, y + ch / 2 + (dots ? 1 : 4), light_text ? "#ffffff" : "#1f2328");
    rp_w_esc(w, lab);
    rp_w_printf(w, "</text></%s>\n", link ? "a" : "g");
}

static void svg_heatmap(rp_w *w, const rp_cmp *c, const rp_html_opts *o)
{
    const int label_w = label_width(c), cw = c->n_parts > 30 ? 40 : 50, ch = 34, top = 26;
    int width = label_w + (int)c->n_parts * cw + 10;
    svg_open(w, "heatmap", width, top + (int)c->n_models * ch + 6, "Outcome per part and model");
    for (size_t q = 0; q < c->n_parts; q++) {
        rp_w_printf(w, "<text x=\"%d\" y=\"%d\" font-size=\"12\" font-weight=\"600\" "
                       "text-anchor=\"middle\" fill=\"#59636e\">", label_w + (int)q * cw + cw / 2, top - 9);
        rp_w_esc(w, c->parts[q].id);
        rp_w_puts(w, "</text>\n");
    }
    for (size_t k = 0; k < c->n_models; k++) {
        const rp_cmp_model *m = &c->models[k];
        int y = top + (int)k * ch;
        svg_row_label(w, m->name, label_w, y + ch / 2);
        for (size_t q = 0; q < c->n_parts; q++)
            heat_cell(w, c, m, q, label_w + (int)q * cw, y, cw, ch, o);
    }
    rp_w_puts(w, "</svg>\n<div class=\"legend\">");
    static const struct {
        double s;
        const char *what;
    } leg[] = {{1.0, "right on the first try"},
               {0.7, "right after corrections"},
               {0.35, "right once the answer was revealed"},
               {0.0, "still wrong"},
               {RP_CMP_NOT_GRADED, "not graded (free text)"},
               {RP_CMP_NOT_ANSWERED, "not answered"}};
    for (size_t i = 0; i < sizeof leg / sizeof leg[0]; i++) {
        char col[16];
        score_rgb(leg[i].s, col, sizeof col);
        rp_w_printf(w, "<span><i style=\"background:%s\"></i>%s</span>", col, leg[i].what);
    }
    rp_w_puts(w, "</div>\n<p class=\"muted small\">A cell shows \xe2\x9c\x93 (right on the first try), "
                 "\xe2\x9c\x97\xe2\x86\x92\xe2\x9c\x93 N (right after N corrections) or "
                 "\xe2\x9c\x97 N (still wrong after N corrections); over several transcripts of a "
                 "model, k/n were right in the end and the color is the mean outcome. Dots are the "
                 "attempts in turn order (green right, red wrong); a dashed purple border marks a right "
                 "answer later replaced by a wrong one. Hover, tap or focus a cell for details; a cell "
                 "links to the part in the transcript\xe2\x80\x99s annotated page when that page "
                 "(<code>NAME.annotated.html</code>, NAME the transcript\xe2\x80\x99s file name without "
                 "its extension) is in the same folder.</p>\n");
}

static void svg_rates(rp_w *w, const rp_cmp *c)
{
    const int label_w = label_width(c), bar_w = 520, bh = 16, gap = 14;
    int height = 24 + (int)c->n_models * (2 * bh + gap) + 6;
    svg_open(w, "passrates", label_w + bar_w + 90, height, "Pass rates per model");
    for (int t = 0; t <= 4; t++) {
        int x = label_w + t * bar_w / 4;
        rp_w_printf(w, "<line x1=\"%d\" x2=\"%d\" y1=\"16\" y2=\"%d\" stroke=\"#d1d9e0\" "
                       "stroke-dasharray=\"2 3\"/><text x=\"%d\" y=\"11\" font-size=\"11\" "
                       "text-anchor=\"middle\" fill=\"#59636e\">%d%%</text>\n",
                    x, x, height - 4, x, t * 25);
    }
    for (size_t k = 0; k < c->n_models; k++) {
        const rp_cmp_model *m = &c->models[k];
        int y = 22 + (int)k * (2 * bh + gap);
        svg_row_label(w, m->name, label_w, y + bh);
        const struct {
            size_t v;
            const char *col, *what;
        } bars[2] = {{m->first_pass, "#54aeff", "first try"}, {m->final_pass, "#1a7f37", "final"}};
        for (int i = 0; i < 2; i++) {
            double p = rp_cmp_pct(bars[i].v, m->parts);
            int len = (int)lround(p / 100.0 * bar_w);
            rp_w_printf(w, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"2\" "
                           "fill=\"%s\"><title>%s: %zu of %zu parts</title></rect>"
                           "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#1f2328\">%s %.0f%%</text>\n",
                        label_w, y + i * bh, len > 0 ? len : 1, bh - 2, bars[i].col, bars[i].what,
                        bars[i].v, m->parts, label_w + len + 5, y + i * bh + 11, bars[i].what, p);
        }
    }
    rp_w_puts(w, "</svg>\n");
}

static void svg_categories(rp_w *w, const rp_cmp *c)
{
    const int label_w = label_width(c), bar_w = 560, bh = 24, gap = 12;
    size_t maxv = 1;
    for (size_t k = 0; k < c->n_models; k++)
        if (c->models[k].failed_attempts > maxv)
            maxv = c->models[k].failed_attempts;
    svg_open(w, "categories", label_w + bar_w + 50, 10 + (int)c->n_models * (bh + gap),
             "Error categories over all failed attempts");
    for (size_t k = 0; k < c->n_models; k++) {
        const rp_cmp_model *m = &c->models[k];
        int y = 6 + (int)k * (bh + gap);
        svg_row_label(w, m->name, label_w, y + bh / 2);
        double x = label_w;
        for (size_t i = 0; i < c->cats.n; i++) {
            if (!m->cats[i])
                continue;
            double len = (double)m->cats[i] / (double)maxv * bar_w;
            rp_w_printf(w, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\" "
                           "stroke=\"#ffffff\" stroke-width=\"1\"><title>",
                        x, y, len, bh, rp_category_color(c->cats.s[i]));
            rp_w_esc(w, m->name);
            rp_w_puts(w, ": ");
            rp_w_esc(w, c->cats.s[i]);
            rp_w_printf(w, " \xc3\x97 %zu</title></rect>\n", m->cats[i]);
            if (len >= 16)
                rp_w_printf(w, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" "
                               "fill=\"#ffffff\" font-weight=\"600\" pointer-events=\"none\">%zu</text>\n",
                            x + len / 2, y + bh / 2 + 4, m->cats[i]);
            x += len;
        }
        rp_w_printf(w, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" fill=\"#59636e\">%zu</text>\n",
                    x + 6, y + bh / 2 + 4, m->failed_attempts);
    }
    rp_w_puts(w, "</svg>\n<div class=\"legend\">");
    for (size_t i = 0; i < c->cats.n; i++) {
        rp_w_printf(w, "<span><i style=\"background:%s\"></i><code>", rp_category_color(c->cats.s[i]));
        rp_w_esc(w, c->cats.s[i]);
        rp_w_puts(w, "</code></span>");
    }
    rp_w_puts(w, "</div>\n");
}

static const char compare_css[] =
    ".legend{display:flex;flex-wrap:wrap;gap:6px 16px;font-size:13px;color:#59636e;margin:2px 0 8px}\n"
    ".legend i{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:5px;"
    "vertical-align:-1px}\n"
    ".small{font-size:13px}\n"
    "td.c{white-space:nowrap}\n"
    "td.c .det{display:block;font-size:12px;color:#59636e;white-space:normal;max-width:280px}\n"
    ".grid{overflow-x:auto}\n";

static void models_table(rp_w *w, const rp_cmp *c)
{
    rp_w_puts(w, "<table class=\"sortable\">\n<tr><th>");
    rp_w_esc(w, c->rows);
    rp_w_puts(w, "</th><th class=\"num\">transcripts</th>"
                 "<th class=\"num\">answered</th><th class=\"num\">first try</th>"
                 "<th class=\"num\">final</th><th class=\"num\">corrections per part</th>"
                 "<th class=\"num\">nudge / hint / solution</th><th class=\"num\">revealed</th>"
                 "<th>name from</th></tr>\n");
    for (size_t i = 0; i < c->n_models; i++) {
        const rp_cmp_model *m = &c->models[i];
        rp_w_puts(w, "<tr><th>");
        rp_w_esc(w, m->name);
        double first = rp_cmp_pct(m->first_pass, m->parts), final = rp_cmp_pct(m->final_pass, m->parts);
        rp_w_printf(w, "</th><td class=\"num\">%zu</td><td class=\"num\" data-sort=\"%.4f\">%zu/%zu</td>"
                       "<td class=\"num\" data-sort=\"%.4f\">%zu/%zu <b>%.0f%%</b></td>"
                       "<td class=\"num\" data-sort=\"%.4f\">%zu/%zu <b>%.0f%%</b></td><td class=\"num\">%.2f</td>"
                       "<td class=\"num\" data-sort=\"%zu\">%zu / %zu / %zu</td><td class=\"num\">%zu</td><td>",
                    m->transcripts, rp_cmp_pct(m->answered, m->parts), m->answered, m->parts, first,
                    m->first_pass, m->parts, first, final, m->final_pass, m->parts, final, rp_cmp_per_part(m),
                    m->corrections, m->kinds[0], m->kinds[1], m->kinds[2], m->revealed);
        rp_w_esc(w, m->from ? m->from : "");
        rp_w_puts(w, "</td></tr>\n");
    }
    rp_w_puts(w, "</table>\n");
}

/* The part × model table, with the diagnosis of each failure. */
static void parts_table(rp_w *w, const rp_cmp *c)
{
    rp_w_puts(w, "<div class=\"grid\"><table class=\"sortable\">\n<tr><th>part</th><th>title</th>");
    for (size_t i = 0; i < c->n_models; i++) {
        rp_w_puts(w, "<th>");
        rp_w_esc(w, c->models[i].name);
        rp_w_puts(w, "</th>");
    }
    rp_w_puts(w, "</tr>\n");
    for (size_t q = 0; q < c->n_parts; q++) {
        rp_w_puts(w, "<tr><td><b>");
        rp_w_esc(w, c->parts[q].id);
        rp_w_puts(w, "</b></td><td>");
        rp_w_esc(w, c->parts[q].title);
        rp_w_puts(w, "</td>");
        for (size_t i = 0; i < c->n_models; i++) {
            const rp_cmp_cell *e = &c->models[i].cells[q];
            rp_w_printf(w, "<td class=\"c\" data-sort=\"%.3f\">", e->score); /* the heat map's outcome */
            if (e->n == 1) {
                const rp_part_result *p = e->last;
                rp_html_verdict(w, p->first.verdict);
                if (p->final.verdict != p->first.verdict) {
                    rp_w_puts(w, " \xe2\x86\x92 ");
                    rp_html_verdict(w, p->final.verdict);
                }
                if (p->n_corrections)
                    rp_w_printf(w, " <span class=\"muted small\">%zu corr.%s</span>", p->n_corrections,
                                p->revealed ? ", revealed" : "");
                const rp_attempt *f = p->first.verdict == RP_VERDICT_FAIL ? &p->first : rp_part_failure(p);
                if (f && (f->category || f->detail)) {
                    rp_w_puts(w, "<span class=\"det\">");
                    rp_html_diagnosis(w, f);
                    rp_w_puts(w, "</span>");
                }
            } else if (e->n > 1) {
                rp_w_printf(w, "first try %zu/%zu, final %zu/%zu<span class=\"det\">%zu corrections, "
                               "%zu revealed</span>",
                            e->first_pass, e->n, e->final_pass, e->n, e->corrections, e->revealed);
            }
            rp_w_puts(w, "</td>");
        }
        rp_w_puts(w, "</tr>\n");
    }
    rp_w_puts(w, "</table></div>\n");
}

rp_status rp_cmp_html_row(const rp_report *r, rp_buf *rows)
{
    rp_w w = rp_w_on(rows);
    rp_w_puts(&w, "<tr><td><code>");
    rp_w_esc(&w, rp_report_display_path(r));
    rp_w_puts(&w, "</code></td><td>");
    rp_w_esc(&w, rp_report_display_model(r));
    rp_w_puts(&w, "</td><td>");
    rp_w_esc(&w, r->rubric_id ? r->rubric_id : "none");
    rp_w_printf(&w, "</td><td class=\"num\">%zu/%zu</td><td class=\"num\">%zu/%zu</td>"
                    "<td class=\"num\">%zu</td></tr>\n",
                r->summary.first_pass, r->summary.parts, r->summary.final_pass, r->summary.parts,
                r->summary.corrections);
    return w.st;
}

static void transcripts_table(rp_w *w, const rp_buf *rows)
{
    rp_w_puts(w, "<table class=\"sortable\">\n<tr><th>file</th><th>model</th><th>rubric</th><th class=\"num\">first try</th>"
                 "<th class=\"num\">final</th><th class=\"num\">corrections</th></tr>\n");
    rp_w_put(w, rows->data ? rows->data : "", rows->len);
    rp_w_puts(w, "</table>\n");
}

rp_status rp_cmp_render_html(const rp_cmp *c, const rp_buf *rows, const rp_html_opts *o, rp_buf *out)
{
    rp_html_opts none = {0};
    rp_katex_assets *k = rp_katex_assets_load(o ? o : &none);
    rp_w w = rp_w_on(out);
    rp_buf css;
    rp_buf_init(&css, 0);
    if (rp_buf_puts(&css, compare_css) != RP_OK || rp_buf_puts(&css, rp_compare_ui_css) != RP_OK)
        w.st = RP_ENOMEM;
    rp_html_begin(&w, "redpen: model comparison", css.data ? css.data : "", k);
    rp_buf_free(&css);
    size_t n = c->n_reports;
    rp_w_printf(&w, "<main>\n<h1>Model comparison</h1>\n<p class=\"sub\">%zu transcript%s, %zu ",
                n, n == 1 ? "" : "s", c->n_models);
    rp_w_esc(&w, c->rows);
    rp_w_puts(&w, c->n_models == 1 ? "" : "s");
    for (size_t i = 0; i < c->rubrics.n; i++) {
        rp_w_puts(&w, i ? ", " : " &middot; rubric ");
        rp_w_esc(&w, c->rubrics.s[i]);
    }
    rp_w_puts(&w, " &middot; graded by redpen " REDPEN_VERSION "</p>\n<h2>Models</h2>\n");
    models_table(&w, c);
    rp_w_puts(&w, "<div class=\"grid\">\n");
    svg_rates(&w, c);
    rp_w_puts(&w, "</div>\n");
    rp_w_puts(&w, "<h2>Outcome per part</h2>\n<div class=\"grid\">\n");
    svg_heatmap(&w, c, o);
    rp_w_puts(&w, "</div>\n<h2>Error categories</h2>\n<p class=\"muted small\">Every failed attempt "
                  "counts once, under the category redpen diagnosed; the number after a bar is the "
                  "model's failed attempts.</p>\n");
    if (c->cats.n) {
        rp_w_puts(&w, "<div class=\"grid\">\n");
        svg_categories(&w, c);
        rp_w_puts(&w, "</div>\n");
    } else {
        rp_w_puts(&w, "<p>No failed attempts.</p>\n<svg id=\"categories\" class=\"chart\" "
                      "xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"></svg>\n");
    }
    rp_w_puts(&w, "<h2>Parts in detail</h2>\n");
    parts_table(&w, c);
    rp_w_puts(&w, "<h2>Transcripts</h2>\n");
    transcripts_table(&w, rows);
    rp_w_puts(&w, "</main>\n");
    rp_html_end(&w, k, rp_compare_ui_js);
    rp_katex_assets_free(k);
    return w.st;
}

