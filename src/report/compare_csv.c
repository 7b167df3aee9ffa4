/*
 * The model comparison as CSV (`compare --format csv`), for spreadsheets
 * and data frames: one row per model and part that some transcript of the
 * model lists, models in the order met and parts in their order, under a
 * header row.  Fields are quoted as RFC 4180 says (those holding a comma,
 * a quote or a line break, quotes doubled); lines end in "\n".  first,
 * final and category are filled only when one transcript makes the cell;
 * score is the heat map's mean outcome (1 right on the first try, 0.7
 * after corrections, 0.35 once revealed, 0 still wrong), empty when no
 * answer was graded.
 */
#include "compare_int.h"

#include <math.h>
#include <string.h>

/* s as one CSV field (NULL: empty), then sep. */
static void field(rp_w *w, const char *s, char sep)
{
    if (s && s[strcspn(s, ",\"\r\n")]) {
        rp_w_putc(w, '"');
        for (const char *q; (q = strchr(s, '"')); s = q + 1) {
            rp_w_put(w, s, (size_t)(q - s) + 1);
            rp_w_putc(w, '"');
        }
        rp_w_puts(w, s);
        rp_w_putc(w, '"');
    } else {
        rp_w_puts(w, s);
    }
    rp_w_putc(w, sep);
}

rp_status rp_cmp_render_csv(const rp_cmp *c, rp_buf *out)
{
    rp_w w = rp_w_on(out);
    field(&w, c->rows, ',');
    rp_w_puts(&w, "part,title,transcripts,answered,first_pass,final_pass,corrections,"
                  "nudge,hint,solution,revealed,first,final,category,score\n");
    for (size_t k = 0; k < c->n_models; k++) {
        const rp_cmp_model *m = &c->models[k];
        for (size_t q = 0; q < c->n_parts; q++) {
            const rp_cmp_cell *e = &m->cells[q];
            if (!e->n)
                continue;
            field(&w, m->name, ',');
            field(&w, c->parts[q].id, ',');
            field(&w, c->parts[q].title, ',');
            rp_w_printf(&w, "%zu,%zu,%zu,%zu,%zu,%zu,%zu,%zu,%zu,", e->n, e->answered, e->first_pass,
                        e->final_pass, e->corrections, e->kinds[0], e->kinds[1], e->kinds[2],
                        e->revealed);
            const rp_part_result *p = e->n == 1 ? e->last : NULL;
            field(&w, p ? rp_verdict_name(p->first.verdict) : NULL, ',');
            field(&w, p ? rp_verdict_name(p->final.verdict) : NULL, ',');
            field(&w, p ? p->first.category : NULL, ',');
            if (e->score >= 0)
                rp_w_printf(&w, "%g", round(1e4 * e->score) / 1e4);
            rp_w_putc(&w, '\n');
        }
    }
    return w.st;
}
