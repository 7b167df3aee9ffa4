/*
 * The model comparison as Markdown (`compare --format md`): a table of
 * models, the error categories per model, and the part × model grid with
 * each cell's label, first error category and whether the answer was
 * revealed.
 */
#include "compare_int.h"

/* A model name (the input's) as Markdown that renders as itself. */
static void md_name(rp_w *w, const char *name)
{
    if (w->st == RP_OK)
        w->st = rp_md_escape(w->b, name);
}

/* "| a | b |" header cells for every model, then the alignment row. */
static void md_model_header(rp_w *w, const rp_cmp *c, const char *align)
{
    for (size_t k = 0; k < c->n_models; k++) {
        rp_w_putc(w, ' ');
        md_name(w, c->models[k].name);
        rp_w_puts(w, " |");
    }
    rp_w_putc(w, '\n');
    rp_w_puts(w, align);
    for (size_t k = 0; k < c->n_models; k++)
        rp_w_puts(w, " ---: |");
}

rp_status rp_cmp_render_md(const rp_cmp *c, rp_buf *out)
{
    rp_w w = rp_w_on(out);
    size_t n_reports = c->n_reports;
    rp_w_printf(&w, "# Model comparison\n\n%zu transcript%s, %zu %s%s", n_reports,
                n_reports == 1 ? "" : "s", c->n_models, c->rows, c->n_models == 1 ? "" : "s");
    for (size_t i = 0; i < c->rubrics.n; i++)
        rp_w_printf(&w, "%s`%s`", i ? ", " : "; rubric ", c->rubrics.s[i]);
    rp_w_printf(&w, ".\n\n## Models\n\n| %s | transcripts | answered | first try | final | "
                  "corrections per part | nudge / hint / solution | revealed |\n"
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n", c->rows);
    for (size_t k = 0; k < c->n_models; k++) {
        const rp_cmp_model *m = &c->models[k];
        rp_w_puts(&w, "| ");
        md_name(&w, m->name);
        rp_w_printf(&w, " | %zu | %zu/%zu | %zu/%zu (%.0f%%) | %zu/%zu (%.0f%%) | %.2f | "
                        "%zu / %zu / %zu | %zu |\n",
                    m->transcripts, m->answered, m->parts, m->first_pass, m->parts,
                    rp_cmp_pct(m->first_pass, m->parts), m->final_pass, m->parts, rp_cmp_pct(m->final_pass, m->parts),
                    rp_cmp_per_part(m), m->kinds[0], m->kinds[1], m->kinds[2], m->revealed);
    }
    rp_w_putc(&w, '\n');
    rp_cmp_names_line(&w, c, true);
    if (c->cats.n) {
        rp_w_puts(&w, "\n## Error categories\n\nCounted over every failed attempt.\n\n| category |");
        md_model_header(&w, c, "| --- |");
        for (size_t x = 0; x < c->cats.n; x++) {
            rp_w_printf(&w, "\n| `%s` |", c->cats.s[x]);
            for (size_t k = 0; k < c->n_models; k++)
                rp_w_printf(&w, " %zu |", c->models[k].cats[x]);
        }
        rp_w_putc(&w, '\n');
    }
    rp_w_puts(&w, "\n## Parts\n\n✓ right on the first try · ✗→✓ N right after N corrections · "
                  "✗ N still wrong after N corrections · – not answered · k/n: right in the end in "
                  "k of n transcripts\n\n| part | title |");
    md_model_header(&w, c, "| --- | --- |");
    for (size_t q = 0; q < c->n_parts; q++) {
        rp_w_puts(&w, "\n| ");
        rp_w_md_cell(&w, c->parts[q].id);
        rp_w_puts(&w, " | ");
        rp_w_md_cell(&w, c->parts[q].title);
        rp_w_puts(&w, " |");
        for (size_t k = 0; k < c->n_models; k++) {
            const rp_cmp_cell *e = &c->models[k].cells[q];
            char lab[48];
            rp_cmp_cell_label(e, lab, sizeof lab);
            rp_w_printf(&w, " %s", lab);
            if (e->n == 1 && e->last->first.verdict == RP_VERDICT_FAIL && e->last->first.category)
                rp_w_printf(&w, " `%s`", e->last->first.category);
            if (e->revealed)
                rp_w_puts(&w, " (revealed)");
            rp_w_puts(&w, " |");
        }
    }
    rp_w_putc(&w, '\n');
    return w.st;
}

