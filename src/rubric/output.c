/*
 * JSON output of answers and of a solved rubric ("redpen solve"): LaTeX
 * for formulas, arrays of numbers for matrices and vectors (strings where
 * a cell is symbolic), structured cases and samples for piecewise answers.
 * Written with the tool's one JSON writer (redpen/jsonw.h), in cJSON's
 * pretty layout; a string that is absent is left out, member or element,
 * as cJSON left it out.
 */
#include "rubric_int.h"

#include "redpen/jsonw.h"

#include <math.h>
#include <stdlib.h>

/* A string member or element, left out when s is NULL. */
static void opt_str(rp_jw *j, const char *key, const char *s)
{
    if (s)
        rp_jw_str(j, key, s);
}

static void cell_json(rp_jw *j, const char *cell, double value)
{
    if (isnan(value))
        opt_str(j, NULL, cell);
    else
        rp_jw_num(j, NULL, value);
}

static void strs_json(rp_jw *j, const char *key, const char *const *s, size_t n)
{
    rp_jw_arr_open(j, key);
    for (size_t i = 0; i < n; i++)
        opt_str(j, NULL, s[i]);
    rp_jw_arr_close(j);
}

void rp_rubric_write_cjson(rp_jw *j, const char *key, const cJSON *v)
{
    if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
        bool obj = cJSON_IsObject(v);
        if (obj)
            rp_jw_obj_open(j, key);
        else
            rp_jw_arr_open(j, key);
        for (const cJSON *c = v->child; c; c = c->next)
            rp_rubric_write_cjson(j, obj ? c->string : NULL, c);
        if (obj)
            rp_jw_obj_close(j);
        else
            rp_jw_arr_close(j);
    } else if (cJSON_IsString(v)) {
        rp_jw_str(j, key, v->valuestring);
    } else if (cJSON_IsNumber(v)) {
        rp_jw_num(j, key, v->valuedouble);
    } else if (cJSON_IsBool(v)) {
        rp_jw_bool(j, key, cJSON_IsTrue(v));
    } else {
        rp_jw_null(j, key);
    }
}

static void answer_obj(rp_jw *j, const char *key, const rp_answer *a);

static void matrix_json(rp_jw *j, const rp_answer *a)
{
    rp_jw_arr_open(j, "value");
    for (size_t i = 0; i < a->mat.rows; i++) {
        if (a->kind == RP_ANS_VECTOR) {
            cell_json(j, a->mat.cells[i], a->mat.values[i]);
            continue;
        }
        rp_jw_arr_open(j, NULL);
        for (size_t k = i * a->mat.cols; k < (i + 1) * a->mat.cols; k++)
            cell_json(j, a->mat.cells[k], a->mat.values[k]);
        rp_jw_arr_close(j);
    }
    rp_jw_arr_close(j);
    rp_jw_num(j, "rows", (double)a->mat.rows);
    rp_jw_num(j, "cols", (double)a->mat.cols);
}

static void tuple_json(rp_jw *j, const rp_answer *a)
{
    rp_jw_arr_open(j, "items");
    for (size_t i = 0; i < a->n_items; i++) {
        rp_jw_obj_open(j, NULL);
        opt_str(j, "name", a->items[i].name);
        if (a->items[i].n_spellings)
            strs_json(j, "spellings", a->items[i].spellings, a->items[i].n_spellings);
        answer_obj(j, "answer", a->items[i].answer);
        rp_jw_obj_close(j);
    }
    rp_jw_arr_close(j);
}

static void table_json(rp_jw *j, const rp_answer *a)
{
    const rp_table_val *t = &a->table;
    strs_json(j, "columns", t->col_labels, t->cols);
    rp_jw_arr_open(j, "rows");
    for (size_t i = 0; i < t->rows; i++) {
        rp_jw_obj_open(j, NULL);
        opt_str(j, "label", t->row_labels[i]);
        strs_json(j, "cells", t->cells + i * t->cols, t->cols);
        rp_jw_arr_open(j, "values");
        for (size_t k = 0; k < t->cols; k++)
            rp_jw_num(j, NULL, t->values[i * t->cols + k]); /* NaN: null */
        rp_jw_arr_close(j);
        rp_jw_arr_open(j, "given");
        for (size_t k = 0; k < t->cols; k++)
            rp_jw_bool(j, NULL, t->given && t->given[i * t->cols + k]);
        rp_jw_arr_close(j);
        rp_jw_obj_close(j);
    }
    rp_jw_arr_close(j);
}

static void piecewise_json(rp_jw *j, const rp_answer *a)
{
    rp_jw_str(j, "var", a->sample_var ? a->sample_var : "n");
    rp_jw_arr_open(j, "cases");
    for (size_t i = 0; i < a->n_cases; i++) {
        rp_jw_obj_open(j, NULL);
        opt_str(j, "expr", a->cases[i].expr);
        opt_str(j, "cond", a->cases[i].cond);
        rp_jw_str(j, "from", a->cases[i].from); /* NULL: unbounded, null */
        rp_jw_str(j, "to", a->cases[i].to);
        rp_jw_obj_close(j);
    }
    rp_jw_arr_close(j);
    if (a->samples) {
        rp_jw_obj_open(j, "samples");
        rp_jw_num(j, "from", (double)a->sample_from);
        rp_jw_num(j, "to", (double)(a->sample_from + (long)a->n_samples - 1));
        rp_jw_arr_open(j, "values");
        for (size_t i = 0; i < a->n_samples; i++)
            rp_jw_num(j, NULL, a->samples[i]);
        rp_jw_arr_close(j);
        rp_jw_obj_close(j);
    }
}

/* An answer as an object (NULL: an empty one). */
static void answer_obj(rp_jw *j, const char *key, const rp_answer *a)
{
    rp_jw_obj_open(j, key);
    if (!a) {
        rp_jw_obj_close(j);
        return;
    }
    rp_jw_str(j, "kind", rp_answer_kind_name(a->kind));
    opt_str(j, "latex", a->latex);
    switch (a->kind) {
    case RP_ANS_EXPR:
        if (a->up_to_constant)
            rp_jw_bool(j, "up_to_constant", true);
        break;
    case RP_ANS_MATRIX:
    case RP_ANS_VECTOR: matrix_json(j, a); break;
    case RP_ANS_TUPLE: tuple_json(j, a); break;
    case RP_ANS_TABLE: table_json(j, a); break;
    case RP_ANS_PIECEWISE: piecewise_json(j, a); break;
    case RP_ANS_TEXT:
        strs_json(j, "points", a->points, a->n_points);
        if (a->n_patterns)
            strs_json(j, "patterns", a->patterns, a->n_patterns);
        break;
    case RP_ANS_COMPUTE: {
        rp_jw_str(j, "op", a->op ? a->op : "");
        cJSON *params = cJSON_Parse(a->params_json ? a->params_json : "{}");
        if (params) /* unreadable parameters are left out */
            rp_rubric_write_cjson(j, "params", params);
        cJSON_Delete(params);
        break;
    }
    }
    opt_str(j, "derivation", a->derivation);
    if (a->check != RP_CHECK_NONE) {
        rp_jw_obj_open(j, "check");
        rp_jw_str(j, "status", rp_check_status_name(a->check));
        opt_str(j, "detail", a->check_detail);
        rp_jw_obj_close(j);
    }
    rp_jw_obj_close(j);
}

/* What the writer wrote into b, handed to the caller (NULL on failure). */
static char *finish(rp_jw *j, rp_buf *b)
{
    if (rp_jw_end(j) != RP_OK || !b->data) {
        rp_buf_free(b);
        return NULL;
    }
    return b->data;
}

char *rp_answer_json(const rp_answer *a)
{
    rp_buf b;
    rp_buf_init(&b, 0);
    rp_jw j;
    rp_jw_begin(&j, &b, true);
    answer_obj(&j, NULL, a);
    return finish(&j, &b);
}

static void part_json(rp_jw *j, const rp_part *p)
{
    rp_jw_obj_open(j, NULL);
    opt_str(j, "part", p->id);
    rp_jw_num(j, "problem", p->problem);
    opt_str(j, "title", p->title);
    strs_json(j, "targets", p->targets, p->n_targets);
    const rp_answer *t = p->truth ? p->truth : p->spec;
    rp_jw_str(j, "kind", t ? rp_answer_kind_name(t->kind) : "?");
    if (p->truth)
        answer_obj(j, "truth", p->truth);
    else
        rp_jw_null(j, "truth");
    if (p->key)
        answer_obj(j, "key", p->key);
    else
        rp_jw_null(j, "key");
    opt_str(j, "key_source", p->key_source);
    opt_str(j, "key_note", p->key_note);
    rp_jw_arr_open(j, "variants");
    for (size_t v = 0; v < p->n_variants; v++) {
        rp_jw_obj_open(j, NULL);
        rp_jw_str(j, "category", p->variants[v].category ? p->variants[v].category : "");
        opt_str(j, "detail", p->variants[v].detail);
        answer_obj(j, "answer", p->variants[v].answer);
        rp_jw_obj_close(j);
    }
    rp_jw_arr_close(j);
    if (p->accept_bound)
        rp_jw_bool(j, "accept_bound", true);
    if (p->strict_units)
        rp_jw_bool(j, "strict_units", true);
    if (p->n_points)
        strs_json(j, "points", p->points, p->n_points);
    rp_jw_obj_close(j);
}

char *rp_rubric_solution_json(const rp_rubric *r)
{
    rp_buf b;
    rp_buf_init(&b, 0);
    rp_jw j;
    rp_jw_begin(&j, &b, true);
    rp_jw_obj_open(&j, NULL);
    rp_jw_obj_open(&j, "rubric");
    rp_jw_str(&j, "id", r->id ? r->id : "");
    rp_jw_str(&j, "path", r->path ? r->path : "");
    rp_jw_obj_close(&j);
    rp_jw_arr_open(&j, "parts");
    for (size_t i = 0; i < r->n_parts; i++)
        part_json(&j, &r->parts[i]);
    rp_jw_arr_close(&j);
    rp_jw_obj_close(&j);
    return finish(&j, &b);
}
