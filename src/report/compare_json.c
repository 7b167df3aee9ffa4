/*
 * The model comparison as JSON (`compare --format json`; the form is in
 * redpen/report.h at rp_compare_render), written with the tool's one JSON
 * writer in cJSON's pretty layout.  Rates are rounded to four decimals;
 * a rate over nothing is null.
 */
#include "compare_int.h"

#include "redpen/jsonw.h"

#include <math.h>

/* a / b rounded to four decimals, or null when b is 0. */
static void rate(rp_jw *j, const char *key, size_t a, size_t b)
{
    if (b)
        rp_jw_num(j, key, round(1e4 * (double)a / (double)b) / 1e4);
    else
        rp_jw_null(j, key);
}

static void model_json(rp_jw *j, const rp_cmp *c, const rp_cmp_model *m)
{
    rp_jw_obj_open(j, NULL);
    rp_jw_str(j, "model", m->name);
    rp_jw_str(j, "name_from", m->from);
    rp_jw_num(j, "transcripts", (double)m->transcripts);
    rp_jw_num(j, "parts", (double)m->parts);
    rp_jw_num(j, "answered", (double)m->answered);
    rp_jw_num(j, "first_pass", (double)m->first_pass);
    rp_jw_num(j, "final_pass", (double)m->final_pass);
    rate(j, "first_pass_rate", m->first_pass, m->parts);
    rate(j, "final_pass_rate", m->final_pass, m->parts);
    rp_jw_obj_open(j, "corrections");
    rp_jw_num(j, "total", (double)m->corrections);
    if (m->answered) /* the same double as the other formats' per part, rounded */
        rp_jw_num(j, "per_part", round(1e4 * rp_cmp_per_part(m)) / 1e4);
    else
        rp_jw_null(j, "per_part");
    rp_jw_num(j, "nudge", (double)m->kinds[0]);
    rp_jw_num(j, "hint", (double)m->kinds[1]);
    rp_jw_num(j, "solution", (double)m->kinds[2]);
    rp_jw_obj_close(j);
    rp_jw_num(j, "revealed", (double)m->revealed);
    rp_jw_num(j, "ungraded", (double)m->ungraded);
    rp_jw_num(j, "failed_attempts", (double)m->failed_attempts);
    rp_jw_obj_open(j, "categories");
    for (size_t x = 0; x < c->cats.n; x++)
        if (m->cats[x])
            rp_jw_num(j, c->cats.s[x], (double)m->cats[x]);
    rp_jw_obj_close(j);
    rp_jw_obj_close(j);
}

/* A cell under its model's name; the verdicts and the first error's
 * category only when one transcript makes it. */
static void cell_json(rp_jw *j, const char *key, const rp_cmp_cell *e)
{
    rp_jw_obj_open(j, key);
    rp_jw_num(j, "transcripts", (double)e->n);
    rp_jw_num(j, "answered", (double)e->answered);
    rp_jw_num(j, "first_pass", (double)e->first_pass);
    rp_jw_num(j, "final_pass", (double)e->final_pass);
    rp_jw_num(j, "corrections", (double)e->corrections);
    rp_jw_num(j, "revealed", (double)e->revealed);
    if (e->n == 1) {
        const rp_part_result *p = e->last;
        rp_jw_str(j, "first", rp_verdict_name(p->first.verdict));
        rp_jw_str(j, "final", rp_verdict_name(p->final.verdict));
        rp_jw_str(j, "category", p->first.category);
    }
    rp_jw_obj_close(j);
}

rp_status rp_cmp_render_json(const rp_cmp *c, rp_buf *out)
{
    rp_jw j;
    rp_jw_begin(&j, out, true);
    rp_jw_obj_open(&j, NULL);
    rp_jw_str(&j, "redpen", REDPEN_VERSION);
    rp_jw_num(&j, "schema", 1);
    rp_jw_num(&j, "transcripts", (double)c->n_reports);
    rp_jw_str(&j, "rows", c->rows);
    rp_jw_arr_open(&j, "models");
    for (size_t k = 0; k < c->n_models; k++)
        model_json(&j, c, &c->models[k]);
    rp_jw_arr_close(&j);
    rp_jw_arr_open(&j, "parts");
    for (size_t q = 0; q < c->n_parts; q++) {
        rp_jw_obj_open(&j, NULL);
        rp_jw_str(&j, "part", c->parts[q].id);
        rp_jw_str(&j, "title", c->parts[q].title);
        rp_jw_obj_open(&j, "models");
        for (size_t k = 0; k < c->n_models; k++)
            if (c->models[k].cells[q].n)
                cell_json(&j, c->models[k].name, &c->models[k].cells[q]);
        rp_jw_obj_close(&j);
        rp_jw_obj_close(&j);
    }
    rp_jw_arr_close(&j);
    rp_jw_obj_close(&j);
    rp_status st = rp_jw_end(&j);
    return st == RP_OK ? rp_buf_putc(out, '\n') : st;
}
