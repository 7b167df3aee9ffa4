/*
 * Answers: reading an answer object of any kind from the rubric JSON (with
 * path-naming errors), the LaTeX built for matrices, vectors, piecewise
 * answers and tuples, and the names of kinds and check states.
 */
#include "rubric_int.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = {"expr",      "matrix", "vector",
                                         "tuple",     "table",  "piecewise",
                                         "text",      "compute", NULL};

const char *rp_answer_kind_name(rp_answer_kind k)
{
    return (unsigned)k <= RP_ANS_COMPUTE ? kind_names[k] : "?";
}

const char *rp_check_status_name(rp_check_status s)
{
    switch (s) {
    case RP_CHECK_NONE: return "none";
    case RP_CHECK_PASSED: return "passed";
    case RP_CHECK_FAILED: return "failed";
    case RP_CHECK_UNAVAILABLE: return "unavailable";
    }
    return "?";
}

const char *rp_num_latex(rp_arena *a, double v)
{
    if (v == 0.0)
        v = 0.0; /* no "-0" */
    char buf[64];
    /* an integer as an integer (%g's shortest form of -40 is "-4e+01") */
    if (isfinite(v) && fabs(v) < 1e15 && v == floor(v)) {
        snprintf(buf, sizeof buf, "%.0f", v);
        return rp_arena_strdup(a, buf);
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    /* an exponent as LaTeX: 1.5e-07 is 1.5 \times 10^{-7} */
    char *e = strchr(buf, 'e');
    if (e && isfinite(v)) {
        int x = atoi(e + 1);
        *e = '\0';
        char out[96];
        snprintf(out, sizeof out, "%s \\times 10^{%d}", buf, x);
        return rp_arena_strdup(a, out);
    }
    return rp_arena_strdup(a, buf);
}

/* A cell that is all number ("-40", "0.8") has a value; else NaN. */
static double cell_value(const char *s)
{
    char *end;
    while (isspace((unsigned char)*s))
        s++;
    if (!*s)
        return NAN;
    double v = strtod(s, &end);
    while (isspace((unsigned char)*end))
        end++;
    return (*end || !isfinite(v)) ? NAN : v;
}

const char *rp_bmatrix_latex(rp_arena *a, size_t rows, size_t cols,
                             const char *const *cells)
{
    rp_buf b;
    rp_buf_init(&b, (size_t)1 << 22);
    rp_buf_puts(&b, "\\begin{bmatrix}");
    for (size_t i = 0; i < rows; i++) {
        for (size_t j = 0; j < cols; j++)
            rp_buf_printf(&b, "%s%s", j ? " & " : " ", cells[i * cols + j]);
        rp_buf_puts(&b, i + 1 < rows ? " \\\\" : " ");
    }
    rp_buf_puts(&b, "\\end{bmatrix}");
    const char *out = b.data ? rp_arena_strndup(a, b.data, b.len) : NULL;
    rp_buf_free(&b);
    return out;
}

/* One cell of a matrix, vector or table: a number or a LaTeX string. */
static bool read_cell(rp_vctx *c, const cJSON *e, const char **cell,
                      double *value)
{
    if (cJSON_IsNumber(e) && isfinite(e->valuedouble)) {
        *value = e->valuedouble;
        *cell = rp_num_latex(c->arena, e->valuedouble);
        return true;
    }
    if (cJSON_IsString(e) && strlen(e->valuestring) <= RP_RUBRIC_MAX_STRING) {
        *cell = rp_arena_strdup(c->arena, e->valuestring);
        *value = cell_value(e->valuestring);
        return true;
    }
    rp_verr(c, "expected a number or a LaTeX string");
    return false;
}

static void read_matrix(rp_vctx *c, const cJSON *j, bool vector, rp_answer *a)
{
    const cJSON *arr = rp_varr(c, j, "value", true, RP_RUBRIC_MAX_DIM);
    if (!arr)
        return;
    size_t old = rp_vpush_key(c, "value");
    size_t rows = (size_t)cJSON_GetArraySize(arr), cols = vector ? 1 : 0;
    if (rows == 0) {
        rp_verr(c, "expected at least one entry");
        rp_vpop(c, old);
        return;
    }
    if (!vector) {
        const cJSON *r0 = arr->child;
        cols = cJSON_IsArray(r0) ? (size_t)cJSON_GetArraySize(r0) : 0;
        if (cols == 0 || cols > RP_RUBRIC_MAX_DIM) {
            rp_verr(c, "expected rows: arrays of 1..%d entries", RP_RUBRIC_MAX_DIM);
            rp_vpop(c, old);
            return;
        }
    }
    a->mat.rows = rows;
    a->mat.cols = cols;
    a->mat.cells = rp_arena_alloc(c->arena, rows * cols * sizeof *a->mat.cells);
    a->mat.values = rp_arena_alloc(c->arena, rows * cols * sizeof *a->mat.values);
    if (!a->mat.cells || !a->mat.values) {
        rp_verr(c, "out of memory");
        rp_vpop(c, old);
        return;
    }
    a->mat.numeric = true;
    size_t i = 0;
    for (const cJSON *r = arr->child; r; r = r->next, i++) {
        size_t o2 = rp_vpush_index(c, i);
        if (vector) {
            if (!read_cell(c, r, &a->mat.cells[i], &a->mat.values[i]))
                a->mat.cells[i] = "?";
        } else if (!cJSON_IsArray(r) || (size_t)cJSON_GetArraySize(r) != cols) {
            rp_verr(c, "expected a row of %zu entries", cols);
            for (size_t k = 0; k < cols; k++)
                a->mat.cells[i * cols + k] = "?";
        } else {
            size_t k = 0;
            for (const cJSON *e = r->child; e; e = e->next, k++) {
                size_t o3 = rp_vpush_index(c, k);
                if (!read_cell(c, e, &a->mat.cells[i * cols + k],
                               &a->mat.values[i * cols + k]))
                    a->mat.cells[i * cols + k] = "?";
                rp_vpop(c, o3);
            }
        }
        rp_vpop(c, o2);
    }
    for (size_t k = 0; k < rows * cols; k++)
        if (isnan(a->mat.values[k]) || !a->mat.cells[k])
            a->mat.numeric = false;
    rp_vpop(c, old);
    a->latex = rp_bmatrix_latex(c->arena, rows, cols, a->mat.cells);
}

/* Check the tiny bound grammar: INT | SYMBOL | SYMBOL (+|-) INT. */
static bool bound_syntax(const char *b)
{
    const char *p = b;
    if (*p == '-' || *p == '+')
        p++;
    if (isdigit((unsigned char)*p)) {
        while (isdigit((unsigned char)*p))
            p++;
        return *p == '\0' && p - b < 12;
    }
    if (!isalpha((unsigned char)*p) && *p != '\\')
        return false;
    while (isalnum((unsigned char)*p) || *p == '_' || *p == '{' || *p == '}' ||
           *p == '\\')
        p++;
    if (*p == '\0')
        return true;
    if (*p != '+' && *p != '-')
        return false;
    p++;
    const char *d = p;
    while (isdigit((unsigned char)*p))
        p++;
    return p > d && *p == '\0' && p - d < 10;
}

static const char *read_bound(rp_vctx *c, const cJSON *cs, const char *key)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(cs, key);
    if (!j || cJSON_IsNull(j))
        return NULL;
    size_t old = rp_vpush_key(c, key);
    const char *out = NULL;
    if (cJSON_IsNumber(j) && j->valuedouble == floor(j->valuedouble) &&
        fabs(j->valuedouble) < 1e9)
        out = rp_arena_printf(c->arena, "%.0f", j->valuedouble);
    else if (cJSON_IsString(j) && strlen(j->valuestring) < 64 &&
             bound_syntax(j->valuestring))
        out = rp_arena_strdup(c->arena, j->valuestring);
    else
        rp_verr(c, "expected null, an integer, a symbol or symbol+/-integer "
                   "(e.g. \"L-1\")");
    rp_vpop(c, old);
    return out;
}

/* The cases environment of a piecewise answer. */
static const char *cases_latex(rp_arena *a, const rp_case *cs, size_t n)
{
    rp_buf b;
    rp_buf_init(&b, (size_t)1 << 20);
    rp_buf_puts(&b, "\\begin{cases}");
    for (size_t i = 0; i < n; i++)
        rp_buf_printf(&b, " %s & %s%s", cs[i].expr, cs[i].cond,
                      i + 1 < n ? " \\\\" : " ");
    rp_buf_puts(&b, "\\end{cases}");
    const char *out = b.data ? rp_arena_strndup(a, b.data, b.len) : NULL;
    rp_buf_free(&b);
    return out;
}

static void read_piecewise(rp_vctx *c, const cJSON *j, rp_answer *a)
{
    a->sample_var = rp_vstr(c, j, "var", false);
    if (!a->sample_var)
        a->sample_var = "n";
    const cJSON *arr = rp_varr(c, j, "cases", true, RP_RUBRIC_MAX_ITEMS);
    if (!arr)
        return;
    size_t n = (size_t)cJSON_GetArraySize(arr);
    size_t old = rp_vpush_key(c, "cases");
    if (n == 0)
        rp_verr(c, "expected at least one case");
    a->cases = rp_arena_alloc(c->arena, (n + 1) * sizeof *a->cases);
    size_t i = 0;
    for (const cJSON *cs = arr->child; cs && a->cases; cs = cs->next, i++) {
        size_t o2 = rp_vpush_index(c, i);
        static const char *const keys[] = {"expr", "from", "to", "cond", NULL};
        if (!cJSON_IsObject(cs)) {
            rp_verr(c, "expected an object with expr, from, to");
            rp_vpop(c, o2);
            continue;
        }
        rp_vkeys(c, cs, keys);
        rp_case *k = &a->cases[a->n_cases++];
        k->var = a->sample_var;
        k->expr = rp_vstr(c, cs, "expr", true);
        if (!k->expr)
            k->expr = "?";
        k->from = read_bound(c, cs, "from");
        k->to = read_bound(c, cs, "to");
        k->cond = rp_vstr(c, cs, "cond", false);
        if (!k->cond) {
            if (k->from && k->to)
                k->cond = rp_arena_printf(c->arena, "%s \\le %s \\le %s",
                                          k->from, k->var, k->to);
            else if (k->to)
                k->cond = rp_arena_printf(c->arena, "%s \\le %s", k->var, k->to);
            else if (k->from)
                k->cond = rp_arena_printf(c->arena, "%s \\ge %s", k->var, k->from);
            else
                k->cond = "\\text{otherwise}";
        }
        rp_vpop(c, o2);
    }
    rp_vpop(c, old);
    if (a->cases)
        a->latex = cases_latex(c->arena, a->cases, a->n_cases);
}

static void read_table(rp_vctx *c, const cJSON *j, rp_answer *a)
{
    rp_table_val *t = &a->table;
    t->col_labels = rp_vstrlist(c, j, "columns", &t->cols);
    if (!t->col_labels || t->cols == 0) {
        if (!c->errors || t->col_labels)
            rp_verr(c, "a table needs \"columns\": a non-empty list of labels");
        return;
    }
    const cJSON *rows = rp_varr(c, j, "rows", true, RP_RUBRIC_MAX_DIM);
    if (!rows)
        return;
    t->rows = (size_t)cJSON_GetArraySize(rows);
    size_t nc = t->rows * t->cols;
    t->row_labels = rp_arena_alloc(c->arena, (t->rows + 1) * sizeof *t->row_labels);
    t->cells = rp_arena_alloc(c->arena, (nc + 1) * sizeof *t->cells);
    t->values = rp_arena_alloc(c->arena, (nc + 1) * sizeof *t->values);
    t->given = rp_arena_alloc(c->arena, (nc + 1) * sizeof *t->given);
    if (!t->row_labels || !t->cells || !t->values || !t->given)
        return;
    size_t old = rp_vpush_key(c, "rows");
    size_t i = 0;
    for (const cJSON *r = rows->child; r; r = r->next, i++) {
        size_t o2 = rp_vpush_index(c, i);
        static const char *const keys[] = {"label", "cells", "given", NULL};
        rp_vkeys(c, r, keys);
        t->row_labels[i] = rp_vstr(c, r, "label", true);
        if (!t->row_labels[i])
            t->row_labels[i] = "?";
        const cJSON *cells = rp_varr(c, r, "cells", true, t->cols);
        for (size_t k = 0; k < t->cols; k++) {
            t->cells[i * t->cols + k] = "?";
            t->values[i * t->cols + k] = NAN;
        }
        if (cells) {
            if ((size_t)cJSON_GetArraySize(cells) != t->cols) {
                size_t o3 = rp_vpush_key(c, "cells");
                rp_verr(c, "expected %zu cells (one per column)", t->cols);
                rp_vpop(c, o3);
            }
            size_t o3 = rp_vpush_key(c, "cells");
            size_t k = 0;
            for (const cJSON *e = cells->child; e && k < t->cols; e = e->next, k++) {
                size_t o4 = rp_vpush_index(c, k);
                read_cell(c, e, &t->cells[i * t->cols + k],
                          &t->values[i * t->cols + k]);
                rp_vpop(c, o4);
            }
            rp_vpop(c, o3);
        }
        const cJSON *given = rp_varr(c, r, "given", false, t->cols);
        if (given) {
            size_t k = 0;
            for (const cJSON *e = given->child; e && k < t->cols; e = e->next, k++)
                t->given[i * t->cols + k] = cJSON_IsTrue(e);
        }
        rp_vpop(c, o2);
    }
    rp_vpop(c, old);
}

static void read_tuple(rp_vctx *c, const cJSON *j, bool allow_compute,
                       rp_answer *a)
{
    const cJSON *arr = rp_varr(c, j, "items", true, RP_RUBRIC_MAX_ITEMS);
    if (!arr)
        return;
    size_t n = (size_t)cJSON_GetArraySize(arr);
    size_t old = rp_vpush_key(c, "items");
    if (n == 0)
        rp_verr(c, "expected at least one item");
    a->items = rp_arena_alloc(c->arena, (n + 1) * sizeof *a->items);
    size_t i = 0;
    for (const cJSON *it = arr->child; it && a->items; it = it->next, i++) {
        size_t o2 = rp_vpush_index(c, i);
        static const char *const keys[] = {"name", "spellings", "answer", NULL};
        if (!cJSON_IsObject(it)) {
            rp_verr(c, "expected an object with name and answer");
            rp_vpop(c, o2);
            continue;
        }
        rp_vkeys(c, it, keys);
        rp_tuple_item *t = &a->items[a->n_items++];
        t->name = rp_vstr(c, it, "name", true);
        if (!t->name)
            t->name = "?";
        for (size_t k = 0; k + 1 < a->n_items; k++)
            if (strcmp(a->items[k].name, t->name) == 0)
                rp_verr(c, "duplicate item name \"%s\"", t->name);
        t->spellings = rp_vstrlist(c, it, "spellings", &t->n_spellings);
        const cJSON *ans = rp_vobj(c, it, "answer", true);
        if (ans) {
            size_t o3 = rp_vpush_key(c, "answer");
            t->answer = rp_answer_read(c, ans, allow_compute, false);
            rp_vpop(c, o3);
        }
        rp_vpop(c, o2);
    }
    rp_vpop(c, old);
}

rp_answer *rp_answer_read(rp_vctx *c, const cJSON *j, bool allow_compute,
                          bool allow_tuple)
{
    rp_answer *a = rp_arena_alloc(c->arena, sizeof *a);
    if (!a) {
        rp_verr(c, "out of memory");
        return NULL;
    }
    if (!cJSON_IsObject(j)) {
        rp_verr(c, "expected an answer object, got %s",
                cJSON_IsArray(j) ? "an array" : "a scalar");
        a->kind = RP_ANS_TEXT;
        return a;
    }
    int kind = rp_venum(c, j, "kind", kind_names, -1);
    if (!cJSON_GetObjectItemCaseSensitive(j, "kind")) {
        size_t old = rp_vpush_key(c, "kind");
        rp_verr(c, "missing (required)");
        rp_vpop(c, old);
    }
    if (kind < 0) {
        a->kind = RP_ANS_TEXT;
        return a;
    }
    a->kind = (rp_answer_kind)kind;
    if (a->kind == RP_ANS_COMPUTE && !allow_compute) {
        size_t old = rp_vpush_key(c, "kind");
        rp_verr(c, "compute is not allowed here (an official key or a typed "
                   "answer must be written out)");
        rp_vpop(c, old);
    }
    if (a->kind == RP_ANS_TUPLE && !allow_tuple) {
        size_t old = rp_vpush_key(c, "kind");
        rp_verr(c, "a tuple cannot contain a tuple");
        rp_vpop(c, old);
        a->kind = RP_ANS_TEXT;
        return a;
    }
    switch (a->kind) {
    case RP_ANS_EXPR: {
        static const char *const keys[] = {"kind", "latex", "up_to_constant", NULL};
        rp_vkeys(c, j, keys);
        a->latex = rp_vstr(c, j, "latex", true);
        a->up_to_constant = rp_vbool(c, j, "up_to_constant", false);
        break;
    }
    case RP_ANS_MATRIX:
    case RP_ANS_VECTOR: {
        static const char *const keys[] = {"kind", "value", NULL};
        rp_vkeys(c, j, keys);
        read_matrix(c, j, a->kind == RP_ANS_VECTOR, a);
        break;
    }
    case RP_ANS_TUPLE: {
        static const char *const keys[] = {"kind", "items", NULL};
        rp_vkeys(c, j, keys);
        read_tuple(c, j, allow_compute, a);
        break;
    }
    case RP_ANS_TABLE: {
        static const char *const keys[] = {"kind", "columns", "rows", NULL};
        rp_vkeys(c, j, keys);
        read_table(c, j, a);
        break;
    }
    case RP_ANS_PIECEWISE: {
        static const char *const keys[] = {"kind", "var", "cases", NULL};
        rp_vkeys(c, j, keys);
        read_piecewise(c, j, a);
        break;
    }
    case RP_ANS_TEXT: {
        static const char *const keys[] = {"kind", "points", "patterns", NULL};
        rp_vkeys(c, j, keys);
        a->points = rp_vstrlist(c, j, "points", &a->n_points);
        a->patterns = rp_vstrlist(c, j, "patterns", &a->n_patterns);
        if (a->n_points == 0 && a->n_patterns == 0)
            rp_verr(c, "a text answer needs \"points\" or \"patterns\"");
        break;
    }
    case RP_ANS_COMPUTE: {
        static const char *const keys[] = {"kind", "op", "params", NULL};
        rp_vkeys(c, j, keys);
        a->op = rp_vstr(c, j, "op", true);
        const cJSON *params = rp_vobj(c, j, "params", false);
        const rp_op *op = a->op ? rp_op_find(a->op) : NULL;
        if (a->op && !op) {
            size_t old = rp_vpush_key(c, "op");
            rp_verr(c, "expected one of %s, got \"%.40s\"", rp_op_names(c->arena), a->op);
            rp_vpop(c, old);
        }
        cJSON *empty = NULL;
        if (!params)
            params = empty = cJSON_CreateObject();
        if (op && params) {
            size_t old = rp_vpush_key(c, "params");
            op->validate(c, params);
            rp_vpop(c, old);
        }
        char *txt = params ? cJSON_PrintUnformatted(params) : NULL;
        a->params_json = txt ? rp_arena_strdup(c->arena, txt) : "{}";
        free(txt);
        cJSON_Delete(empty);
        break;
    }
    }
    return a;
}
