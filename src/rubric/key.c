/*
 * The official key against the engine: compare two answers of one part
 * kind by kind (numbers within a relative 1e-9, formulas through rp_equiv
 * with the part's variables and aliases) and list every part whose key
 * and truth disagree ("redpen check-key").
 */
#include "rubric_int.h"

#include <math.h>
#include <string.h>

static bool num_eq(double a, double b)
{
    return fabs(a - b) <= 1e-9 * fmax(1.0, fmax(fabs(a), fabs(b)));
}

/* Compare two LaTeX cells: numerically when both are numbers. */
static rp_key_verdict cell_compare(rp_rubric *r, const rp_part *p, const char *x,
                                   double xv, const char *y, double yv,
                                   const char **detail)
{
    if (!isnan(xv) && !isnan(yv)) {
        *detail = NULL;
        return num_eq(xv, yv) ? RP_KEY_AGREE : RP_KEY_DISAGREE;
    }
    return rp_expr_compare(r->arena, p, x, y, detail);
}

/* Matrices or vectors entry by entry; the first 8 differing entries are
 * listed. */
static rp_key_verdict compare_matrix(rp_rubric *r, const rp_part *p,
                                     const rp_answer *t, const rp_answer *o,
                                     const char **detail)
{
    rp_arena *a = r->arena;
    if (t->mat.rows != o->mat.rows || t->mat.cols != o->mat.cols) {
        *detail = rp_arena_printf(a, "wrong_shape: %zux%zu against %zux%zu",
                                  o->mat.rows, o->mat.cols, t->mat.rows, t->mat.cols);
        return RP_KEY_DISAGREE;
    }
    rp_key_verdict worst = RP_KEY_AGREE;
    rp_buf b;
    rp_buf_init(&b, 4096);
    size_t ndiff = 0;
    for (size_t i = 0; i < t->mat.rows * t->mat.cols; i++) {
        const char *d;
        rp_key_verdict v = cell_compare(r, p, t->mat.cells[i], t->mat.values[i],
                                        o->mat.cells[i], o->mat.values[i], &d);
        if (v == RP_KEY_DISAGREE) {
            worst = RP_KEY_DISAGREE;
            if (ndiff++ < 8)
                rp_buf_printf(&b, "%s(%zu,%zu): %s vs %s", b.len ? "; " : "",
                              i / t->mat.cols + 1, i % t->mat.cols + 1,
                              o->mat.cells[i], t->mat.cells[i]);
        } else if (v == RP_KEY_UNCHECKED && worst == RP_KEY_AGREE) {
            worst = RP_KEY_UNCHECKED;
            *detail = d;
        }
    }
    if (worst == RP_KEY_DISAGREE)
        *detail = rp_arena_printf(a, "%zu %s: %s", ndiff,
                                  ndiff == 1 ? "entry differs" : "entries differ",
                                  b.data ? b.data : "");
    rp_buf_free(&b);
    return worst;
}

/* Tuples item by item, over the items the other answer states. */
static rp_key_verdict compare_tuple(rp_rubric *r, const rp_part *p,
                                    const rp_answer *t, const rp_answer *o,
                                    const char **detail)
{
    rp_key_verdict worst = RP_KEY_AGREE;
    for (size_t i = 0; i < t->n_items; i++) {
        const rp_answer *oi = NULL;
        for (size_t k = 0; k < o->n_items; k++)
            if (strcmp(o->items[k].name, t->items[i].name) == 0)
                oi = o->items[k].answer;
        if (!oi)
            continue; /* the key may state only some components */
        const char *d;
        rp_key_verdict v = rp_answer_compare(r, p, t->items[i].answer, oi, &d);
        if (v == RP_KEY_DISAGREE) {
            *detail = rp_arena_printf(r->arena, "%s: %s", t->items[i].name,
                                      d ? d : "differs");
            return RP_KEY_DISAGREE;
        }
        if (v == RP_KEY_UNCHECKED && worst == RP_KEY_AGREE &&
            t->items[i].answer && t->items[i].answer->kind != RP_ANS_TEXT) {
            worst = RP_KEY_UNCHECKED;
            *detail = rp_arena_printf(r->arena, "%s: %s", t->items[i].name, d ? d : "");
        }
    }
    return worst;
}

/* Tables cell by cell; the first differing cell is named. */
static rp_key_verdict compare_table(rp_rubric *r, const rp_part *p,
                                    const rp_answer *t, const rp_answer *o,
                                    const char **detail)
{
    const rp_table_val *x = &t->table, *y = &o->table;
    if (x->rows != y->rows || x->cols != y->cols) {
        *detail = rp_arena_printf(r->arena, "wrong_shape: %zux%zu table against %zux%zu",
                                  y->rows, y->cols, x->rows, x->cols);
        return RP_KEY_DISAGREE;
    }
    rp_key_verdict worst = RP_KEY_AGREE;
    for (size_t i = 0; i < x->rows * x->cols; i++) {
        const char *d;
        rp_key_verdict v = cell_compare(r, p, x->cells[i], x->values[i],
                                        y->cells[i], y->values[i], &d);
        if (v == RP_KEY_DISAGREE) {
            *detail = rp_arena_printf(r->arena, "row %s, column %s: %s vs %s",
                                      x->row_labels[i / x->cols],
                                      x->col_labels[i % x->cols], y->cells[i],
                                      x->cells[i]);
            return RP_KEY_DISAGREE;
        }
        if (v == RP_KEY_UNCHECKED)
            worst = RP_KEY_UNCHECKED, *detail = d;
    }
    return worst;
}

/* Piecewise answers case by case: the same bounds and equal expressions. */
static rp_key_verdict compare_piecewise(rp_rubric *r, const rp_part *p,
                                        const rp_answer *t, const rp_answer *o,
                                        const char **detail)
{
    rp_arena *a = r->arena;
    if (t->n_cases != o->n_cases) {
        *detail = rp_arena_printf(a, "wrong_case: %zu cases against %zu",
                                  o->n_cases, t->n_cases);
        return RP_KEY_DISAGREE;
    }
    rp_key_verdict worst = RP_KEY_AGREE;
    for (size_t i = 0; i < t->n_cases; i++) {
        const rp_case *x = &t->cases[i], *y = &o->cases[i];
        bool same_bounds = (!x->from == !y->from) && (!x->to == !y->to) &&
                           (!x->from || strcmp(x->from, y->from) == 0) &&
                           (!x->to || strcmp(x->to, y->to) == 0);
        const char *d;
        rp_key_verdict v = rp_expr_compare(a, p, x->expr, y->expr, &d);
        if (!same_bounds || v == RP_KEY_DISAGREE) {
            *detail = rp_arena_printf(a, "wrong_case: case %zu (%s): %s vs %s",
                                      i + 1, x->cond, y->expr, x->expr);
            return RP_KEY_DISAGREE;
        }
        if (v == RP_KEY_UNCHECKED)
            worst = RP_KEY_UNCHECKED, *detail = d;
    }
    return worst;
}

rp_key_verdict rp_answer_compare(rp_rubric *r, const rp_part *p,
                                 const rp_answer *t, const rp_answer *o,
                                 const char **detail)
{
    *detail = NULL;
    if (!t || !o) {
        *detail = "missing answer";
        return RP_KEY_UNCHECKED;
    }
    bool t_mat = t->kind == RP_ANS_MATRIX || t->kind == RP_ANS_VECTOR;
    bool o_mat = o->kind == RP_ANS_MATRIX || o->kind == RP_ANS_VECTOR;
    if (t->kind == RP_ANS_TEXT || o->kind == RP_ANS_TEXT) {
        *detail = "free text is not compared";
        return RP_KEY_UNCHECKED;
    }
    if (t_mat && o_mat)
        return compare_matrix(r, p, t, o, detail);
    if (t->kind != o->kind) {
        if (t->latex && o->latex)
            return rp_expr_compare(r->arena, p, t->latex, o->latex, detail);
        *detail = rp_arena_printf(r->arena, "kinds differ: %s against %s",
                                  rp_answer_kind_name(o->kind),
                                  rp_answer_kind_name(t->kind));
        return RP_KEY_UNCHECKED;
    }
    switch (t->kind) {
    case RP_ANS_EXPR:
        return rp_expr_compare(r->arena, p, t->latex, o->latex, detail);
    case RP_ANS_TUPLE:
        return compare_tuple(r, p, t, o, detail);
    case RP_ANS_TABLE:
        return compare_table(r, p, t, o, detail);
    case RP_ANS_PIECEWISE:
        return compare_piecewise(r, p, t, o, detail);
    default:
        *detail = "not comparable";
        return RP_KEY_UNCHECKED;
    }
}

rp_status rp_rubric_check_key(rp_rubric *r, rp_key_check **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    rp_key_check *checks = rp_arena_alloc(r->arena, (r->n_parts + 1) * sizeof *checks);
    if (!checks)
        return RP_ENOMEM;
    for (size_t i = 0; i < r->n_parts; i++) {
        const rp_part *p = &r->parts[i];
        if (!p->key)
            continue;
        rp_key_check *c = &checks[(*n)++];
        c->part = p;
        if (!p->truth) {
            c->verdict = RP_KEY_UNCHECKED;
            c->detail = "the engine has no answer (not solved)";
            continue;
        }
        c->verdict = rp_answer_compare(r, p, p->truth, p->key, &c->detail);
    }
    *out = checks;
    return RP_OK;
}
