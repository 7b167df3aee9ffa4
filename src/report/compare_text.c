/*
 * The model comparison as a terminal table (`redpen compare`, the default
 * format): a row per model (runs, answered, first-try and final pass
 * rates, corrections per part and their kinds, revealed), the error
 * categories of each model, and the part × model grid of cell labels,
 * colored by outcome when the caller asks.
 */
#include "compare_int.h"

#include <stdio.h>

/* The color of a cell by its mean outcome (dim: not graded or answered). */
static const char *score_color(double s)
{
    if (s < 0)
        return RP_ANSI_DIM;
    if (s >= 0.999)
        return RP_ANSI_GREEN;
    if (s >= 0.5)
        return RP_ANSI_CYAN;
    if (s > 0)
        return RP_ANSI_YELLOW;
    return RP_ANSI_RED;
}

rp_status rp_cmp_render_text(const rp_cmp *c, bool color, rp_buf *out)
{
    size_t from = out->len;
    rp_w w = rp_w_on(out);
    size_t n_reports = c->n_reports;
    size_t wm = rp_u8width(c->rows) > 5 ? rp_u8width(c->rows) : 5;
    for (size_t k = 0; k < c->n_models; k++)
        if (rp_u8width(c->models[k].name) > wm)
            wm = rp_u8width(c->models[k].name);
    const char *bold = color ? RP_ANSI_BOLD : NULL, *dim = color ? RP_ANSI_DIM : NULL;
    rp_w_printf(&w, "%s%zu transcript%s, %zu %s%s%s\n\n", color ? RP_ANSI_BOLD : "", n_reports,
                n_reports == 1 ? "" : "s", c->n_models, c->rows, c->n_models == 1 ? "" : "s",
                color ? RP_ANSI_RESET : "");
    rp_w_puts(&w, dim);
    static const struct {
        const char *h;
        size_t wd;
    } cols[] = {{"runs", 6}, {"answered", 10}, {"first try", 16}, {"final", 16},
                {"corr/part", 11}, {"nudge/hint/solution", 21}, {"revealed", 0}};
    rp_w_cell(&w, c->rows, wm + 2, NULL);
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        rp_w_cell(&w, cols[i].h, cols[i].wd, NULL);
    if (dim)
        rp_w_puts(&w, RP_ANSI_RESET);
    rp_w_putc(&w, '\n');
    for (size_t k = 0; k < c->n_models; k++) {
        const rp_cmp_model *m = &c->models[k];
        char v[7][48];
        snprintf(v[0], sizeof v[0], "%zu", m->transcripts);
        snprintf(v[1], sizeof v[1], "%zu/%zu", m->answered, m->parts);
        snprintf(v[2], sizeof v[2], "%zu/%zu %.0f%%", m->first_pass, m->parts, rp_cmp_pct(m->first_pass, m->parts));
        snprintf(v[3], sizeof v[3], "%zu/%zu %.0f%%", m->final_pass, m->parts, rp_cmp_pct(m->final_pass, m->parts));
        snprintf(v[4], sizeof v[4], "%.2f", rp_cmp_per_part(m));
        snprintf(v[5], sizeof v[5], "%zu/%zu/%zu", m->kinds[0], m->kinds[1], m->kinds[2]);
        snprintf(v[6], sizeof v[6], "%zu", m->revealed);
        rp_w_cell(&w, m->name, wm + 2, bold);
        for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
            rp_w_cell(&w, v[i], cols[i].wd, NULL);
        rp_w_putc(&w, '\n');
    }
    if (dim)
        rp_w_puts(&w, dim);
    rp_cmp_names_line(&w, c, false);
    if (dim)
        rp_w_puts(&w, RP_ANSI_RESET);
    if (c->cats.n) {
        rp_w_printf(&w, "\n%serror categories (all failed attempts)%s\n", color ? RP_ANSI_BOLD : "",
                    color ? RP_ANSI_RESET : "");
        for (size_t k = 0; k < c->n_models; k++) {
            const rp_cmp_model *m = &c->models[k];
            rp_w_cell(&w, m->name, wm + 2, bold);
            bool any = false;
            for (size_t x = 0; x < c->cats.n; x++)
                if (m->cats[x]) {
                    rp_w_printf(&w, "%s%s %zu", any ? ", " : "", c->cats.s[x], m->cats[x]);
                    any = true;
                }
            rp_w_puts(&w, any ? "\n" : "none\n");
        }
    }
    rp_w_printf(&w, "\n%sparts (first \xe2\x86\x92 final, corrections)%s\n", color ? RP_ANSI_BOLD : "",
                color ? RP_ANSI_RESET : "");
    size_t wp = 4;
    for (size_t q = 0; q < c->n_parts; q++)
        if (rp_u8width(c->parts[q].id) > wp)
            wp = rp_u8width(c->parts[q].id);
    size_t wc = wm > 10 ? wm + 2 : 12;
    rp_w_cell(&w, "part", wp + 2, dim);
    for (size_t k = 0; k < c->n_models; k++)
        rp_w_cell(&w, c->models[k].name, k + 1 < c->n_models ? wc : 0, bold);
    rp_w_putc(&w, '\n');
    for (size_t q = 0; q < c->n_parts; q++) {
        rp_w_cell(&w, c->parts[q].id, wp + 2, NULL);
        for (size_t k = 0; k < c->n_models; k++) {
            const rp_cmp_cell *e = &c->models[k].cells[q];
            char lab[48];
            rp_cmp_cell_label(e, lab, sizeof lab);
            rp_w_cell(&w, lab, k + 1 < c->n_models ? wc : 0, color ? score_color(e->score) : NULL);
        }
        rp_w_putc(&w, '\n');
    }
    /* the colours become real; the inputs' controls go (model names, titles) */
    rp_term_clean(out, from, color);
    return w.st;
}

