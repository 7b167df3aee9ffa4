/*
 * JSON output of answers and of a solved rubric ("redpen solve"): LaTeX
 * for formulas, arrays of numbers for matrices and vectors (strings where
 * a cell is symbolic), structured cases and samples for piecewise answers.
 */
#include "rubric_int.h"

#include <math.h>
#include <stdlib.h>

static cJSON *cell_json(const char *cell, double value)
{
    return isnan(value) ? cJSON_CreateString(cell) : cJSON_CreateNumber(value);
}

static cJSON *strs_json(const char *const *s, size_t n)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < n; i++)
        cJSON_AddItemToArray(arr, cJSON_CreateString(s[i]));
    return arr;
}

static cJSON *answer_obj(const rp_answer *a)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !a)
        return o;
    cJSON_AddStringToObject(o, "kind", rp_answer_kind_name(a->kind));
    if (a->latex)
        cJSON_AddStringToObject(o, "latex", a->latex);
    switch (a->kind) {
    case RP_ANS_EXPR:
        if (a->up_to_constant)
            cJSON_AddBoolToObject(o, "up_to_constant", true);
        break;
    case RP_ANS_MATRIX:
    case RP_ANS_VECTOR: {
        cJSON *v = cJSON_AddArrayToObject(o, "value");
        for (size_t i = 0; v && i < a->mat.rows; i++) {
            if (a->kind == RP_ANS_VECTOR) {
                cJSON_AddItemToArray(v, cell_json(a->mat.cells[i], a->mat.values[i]));
                continue;
            }
            cJSON *row = cJSON_CreateArray();
            for (size_t j = 0; row && j < a->mat.cols; j++) {
                size_t k = i * a->mat.cols + j;
                cJSON_AddItemToArray(row, cell_json(a->mat.cells[k], a->mat.values[k]));
            }
            cJSON_AddItemToArray(v, row);
        }
        cJSON_AddNumberToObject(o, "rows", (double)a->mat.rows);
        cJSON_AddNumberToObject(o, "cols", (double)a->mat.cols);
        break;
    }
    case RP_ANS_TUPLE: {
        cJSON *items = cJSON_AddArrayToObject(o, "items");
        for (size_t i = 0; items && i < a->n_items; i++) {
            cJSON *it = cJSON_CreateObject();
            cJSON_AddStringToObject(it, "name", a->items[i].name);
            if (a->items[i].n_spellings)
                cJSON_AddItemToObject(it, "spellings",
                                      strs_json(a->items[i].spellings,
                                                a->items[i].n_spellings));
            cJSON_AddItemToObject(it, "answer", answer_obj(a->items[i].answer));
            cJSON_AddItemToArray(items, it);
        }
        break;
    }
    case RP_ANS_TABLE: {
        const rp_table_val *t = &a->table;
        cJSON_AddItemToObject(o, "columns", strs_json(t->col_labels, t->cols));
        cJSON *rows = cJSON_AddArrayToObject(o, "rows");
        for (size_t i = 0; rows && i < t->rows; i++) {
            cJSON *r = cJSON_CreateObject();
            cJSON_AddStringToObject(r, "label", t->row_labels[i]);
            cJSON_AddItemToObject(r, "cells", strs_json(t->cells + i * t->cols, t->cols));
            cJSON *vals = cJSON_AddArrayToObject(r, "values");
            cJSON *given = cJSON_AddArrayToObject(r, "given");
            for (size_t j = 0; j < t->cols; j++) {
                double v = t->values[i * t->cols + j];
                cJSON_AddItemToArray(vals, isnan(v) ? cJSON_CreateNull()
                                                    : cJSON_CreateNumber(v));
                cJSON_AddItemToArray(given,
                                     cJSON_CreateBool(t->given && t->given[i * t->cols + j]));
            }
            cJSON_AddItemToArray(rows, r);
        }
        break;
    }
    case RP_ANS_PIECEWISE: {
        cJSON_AddStringToObject(o, "var", a->sample_var ? a->sample_var : "n");
        cJSON *cases = cJSON_AddArrayToObject(o, "cases");
        for (size_t i = 0; cases && i < a->n_cases; i++) {
            cJSON *c = cJSON_CreateObject();
            cJSON_AddStringToObject(c, "expr", a->cases[i].expr);
            cJSON_AddStringToObject(c, "cond", a->cases[i].cond);
            cJSON_AddItemToObject(c, "from", a->cases[i].from
                                                 ? cJSON_CreateString(a->cases[i].from)
                                                 : cJSON_CreateNull());
            cJSON_AddItemToObject(c, "to", a->cases[i].to
                                               ? cJSON_CreateString(a->cases[i].to)
                                               : cJSON_CreateNull());
            cJSON_AddItemToArray(cases, c);
        }
        if (a->samples) {
            cJSON *s = cJSON_AddObjectToObject(o, "samples");
            cJSON_AddNumberToObject(s, "from", (double)a->sample_from);
            cJSON_AddNumberToObject(s, "to",
                                    (double)(a->sample_from + (long)a->n_samples - 1));
            cJSON *v = cJSON_AddArrayToObject(s, "values");
            for (size_t i = 0; v && i < a->n_samples; i++)
                cJSON_AddItemToArray(v, cJSON_CreateNumber(a->samples[i]));
        }
        break;
    }
    case RP_ANS_TEXT:
        cJSON_AddItemToObject(o, "points", strs_json(a->points, a->n_points));
        if (a->n_patterns)
            cJSON_AddItemToObject(o, "patterns", strs_json(a->patterns, a->n_patterns));
        break;
    case RP_ANS_COMPUTE:
        cJSON_AddStringToObject(o, "op", a->op ? a->op : "");
        cJSON_AddItemToObject(o, "params", cJSON_Parse(a->params_json ? a->params_json : "{}"));
        break;
    }
    if (a->derivation)
        cJSON_AddStringToObject(o, "derivation", a->derivation);
    if (a->check != RP_CHECK_NONE) {
        cJSON *c = cJSON_AddObjectToObject(o, "check");
        cJSON_AddStringToObject(c, "status", rp_check_status_name(a->check));
        if (a->check_detail)
            cJSON_AddStringToObject(c, "detail", a->check_detail);
    }
    return o;
}

char *rp_answer_json(const rp_answer *a)
{
    cJSON *o = answer_obj(a);
    char *s = o ? cJSON_Print(o) : NULL;
    cJSON_Delete(o);
    return s;
}

char *rp_rubric_solution_json(const rp_rubric *r)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    cJSON *rb = cJSON_AddObjectToObject(root, "rubric");
    cJSON_AddStringToObject(rb, "id", r->id ? r->id : "");
    cJSON_AddStringToObject(rb, "path", r->path ? r->path : "");
    cJSON *parts = cJSON_AddArrayToObject(root, "parts");
    for (size_t i = 0; parts && i < r->n_parts; i++) {
        const rp_part *p = &r->parts[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "part", p->id);
        cJSON_AddNumberToObject(o, "problem", p->problem);
        cJSON_AddStringToObject(o, "title", p->title);
        cJSON_AddItemToObject(o, "targets", strs_json(p->targets, p->n_targets));
        const rp_answer *t = p->truth ? p->truth : p->spec;
        cJSON_AddStringToObject(o, "kind", t ? rp_answer_kind_name(t->kind) : "?");
        cJSON_AddItemToObject(o, "truth", p->truth ? answer_obj(p->truth)
                                                   : cJSON_CreateNull());
        cJSON_AddItemToObject(o, "key", p->key ? answer_obj(p->key) : cJSON_CreateNull());
        if (p->key_source)
            cJSON_AddStringToObject(o, "key_source", p->key_source);
        if (p->key_note)
            cJSON_AddStringToObject(o, "key_note", p->key_note);
        cJSON *vars = cJSON_AddArrayToObject(o, "variants");
        for (size_t v = 0; vars && v < p->n_variants; v++) {
            cJSON *vo = cJSON_CreateObject();
            cJSON_AddStringToObject(vo, "category", p->variants[v].category
                                                        ? p->variants[v].category
                                                        : "");
            if (p->variants[v].detail)
                cJSON_AddStringToObject(vo, "detail", p->variants[v].detail);
            cJSON_AddItemToObject(vo, "answer", answer_obj(p->variants[v].answer));
            cJSON_AddItemToArray(vars, vo);
        }
        if (p->accept_bound)
            cJSON_AddBoolToObject(o, "accept_bound", true);
        if (p->n_points)
            cJSON_AddItemToObject(o, "points", strs_json(p->points, p->n_points));
        cJSON_AddItemToArray(parts, o);
    }
    char *s = cJSON_Print(root);
    cJSON_Delete(root);
    return s;
}
