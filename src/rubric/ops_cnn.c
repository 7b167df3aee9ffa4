/*
 * Rubric operations on network architectures, over the engine's layer
 * tables and receptive fields (src/engine/cnn.c): cnn_table (parameters and
 * activation shapes per layer, with or without biases), shift_lookup
 * (outputs of a circularly padded CNN with global average pooling are the
 * same for images that are circular shifts of each other) and
 * receptive_field (a typed formula checked against the engine's count).
 */
#include "rubric_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------- cnn_table */

static void table_validate(rp_vctx *c, const cJSON *p)
{
    static const char *const keys[] = {"input", "layers", "bias", "conv_pad",
                                       "conv_stride", "pool_stride", "given",
                                       "columns", NULL};
    rp_vkeys(c, p, keys);
    const cJSON *in = rp_varr(c, p, "input", true, 3);
    if (in) {
        bool ok = cJSON_GetArraySize(in) == 3;
        for (const cJSON *e = in->child; e; e = e->next)
            if (!cJSON_IsNumber(e) || e->valuedouble < 1 || e->valuedouble > 1e6 ||
                e->valuedouble != floor(e->valuedouble))
                ok = false;
        if (!ok) {
            size_t o = rp_vpush_key(c, "input");
            rp_verr(c, "expected [height, width, channels]: integers 1..1000000");
            rp_vpop(c, o);
        }
    }
    size_t n = 0;
    const char **layers = rp_vstrlist(c, p, "layers", &n);
    for (size_t i = 0; layers && i < n; i++) {
        rp_layer l;
        if (rp_layer_parse(layers[i], &l) != RP_OK) {
            size_t o = rp_vpush_key(c, "layers");
            size_t o2 = rp_vpush_index(c, i);
            rp_verr(c, "\"%s\" is not a layer (CONV<k>-<filters>, POOL<k>, "
                       "FLATTEN, FC-<n>, GAP)", layers[i]);
            rp_vpop(c, o2);
            rp_vpop(c, o);
        }
    }
    if (layers && n == 0)
        rp_verr(c, "layers: expected at least one layer");
    rp_vbool(c, p, "bias", true);
    rp_vint(c, p, "conv_pad", false, 0, 64, 0);
    rp_vint(c, p, "conv_stride", false, 1, 64, 1);
    rp_vint(c, p, "pool_stride", false, 1, 64, 1);
    const cJSON *given = rp_varr(c, p, "given", false, 2 * RP_RUBRIC_MAX_DIM);
    for (const cJSON *g = given ? given->child : NULL; g; g = g->next)
        if (!cJSON_IsArray(g) || cJSON_GetArraySize(g) != 2 ||
            !cJSON_IsNumber(g->child) || !cJSON_IsNumber(g->child->next) ||
            g->child->valuedouble < 0 || g->child->valuedouble > (double)n ||
            g->child->next->valuedouble < 0 || g->child->next->valuedouble > 1) {
            size_t o = rp_vpush_key(c, "given");
            rp_verr(c, "expected [row, column] pairs (row 0 is the input, "
                       "column 0 parameters, 1 activations)");
            rp_vpop(c, o);
            break;
        }
    size_t nc = 0;
    if (rp_vneed(c, p, "columns", "for the table's headings: [parameters, activations]")) {
        rp_vstrlist(c, p, "columns", &nc);
        if (nc != 2) {
            size_t o = rp_vpush_key(c, "columns");
            rp_verr(c, "expected two labels");
            rp_vpop(c, o);
        }
    }
}

static const char *shape_latex(rp_arena *a, const rp_shape *s)
{
    if (s->flat)
        return rp_arena_printf(a, "%ld", s->n);
    return rp_arena_printf(a, "%ld\\times %ld\\times %ld", s->h, s->w, s->c);
}

static rp_status table_solve(rp_solve_ctx *s, const cJSON *p, rp_answer *out)
{
    rp_arena *a = s->rubric->arena;
    const cJSON *in = cJSON_GetObjectItemCaseSensitive(p, "input");
    rp_shape shape = {(long)cJSON_GetArrayItem(in, 0)->valuedouble,
                      (long)cJSON_GetArrayItem(in, 1)->valuedouble,
                      (long)cJSON_GetArrayItem(in, 2)->valuedouble, false, 0};
    const cJSON *lj = cJSON_GetObjectItemCaseSensitive(p, "layers");
    size_t n = (size_t)cJSON_GetArraySize(lj);
    rp_layer *layers = rp_arena_alloc(a, (n + 1) * sizeof *layers);
    rp_layer_row *rows = rp_arena_alloc(a, (n + 1) * sizeof *rows);
    if (!layers || !rows)
        return RP_ENOMEM;
    size_t i = 0;
    for (const cJSON *e = lj->child; e; e = e->next, i++) {
        rp_layer_parse(e->valuestring, &layers[i]);
        if (layers[i].kind == RP_LAYER_CONV) {
            layers[i].pad = rp_json_int(p, "conv_pad", layers[i].pad);
            layers[i].stride = rp_json_int(p, "conv_stride", layers[i].stride);
        } else if (layers[i].kind == RP_LAYER_POOL) {
            layers[i].stride = rp_json_int(p, "pool_stride", layers[i].stride);
        }
    }
    const cJSON *bias = cJSON_GetObjectItemCaseSensitive(p, "bias");
    bool with_bias = !cJSON_IsFalse(bias);
    rp_status st = rp_cnn_table(&shape, layers, n, with_bias, rows);
    if (st != RP_OK)
        return rp_solve_fail(s, st, "cnn_table: %s", rp_strerror(st));
    rp_table_val *t = &out->table;
    out->kind = RP_ANS_TABLE;
    t->rows = n + 1;
    t->cols = 2;
    t->row_labels = rp_arena_alloc(a, t->rows * sizeof *t->row_labels);
    t->col_labels = rp_arena_alloc(a, 2 * sizeof *t->col_labels);
    t->cells = rp_arena_alloc(a, 2 * t->rows * sizeof *t->cells);
    t->values = rp_arena_alloc(a, 2 * t->rows * sizeof *t->values);
    t->given = rp_arena_alloc(a, 2 * t->rows * sizeof *t->given);
    if (!t->row_labels || !t->col_labels || !t->cells || !t->values || !t->given)
        return RP_ENOMEM;
    const cJSON *cols = cJSON_GetObjectItemCaseSensitive(p, "columns");
    t->col_labels[0] = rp_arena_strdup(a, cJSON_GetArrayItem(cols, 0)->valuestring);
    t->col_labels[1] = rp_arena_strdup(a, cJSON_GetArrayItem(cols, 1)->valuestring);
    t->row_labels[0] = "Input";
    t->cells[0] = "0";
    t->values[0] = 0;
    t->cells[1] = shape_latex(a, &shape);
    t->values[1] = (double)rp_shape_size(&shape);
    for (i = 0; i < n; i++) {
        t->row_labels[i + 1] = rp_arena_strdup(a, rows[i].layer.name);
        t->cells[2 * (i + 1)] = rp_arena_printf(a, "%ld", rows[i].params);
        t->values[2 * (i + 1)] = (double)rows[i].params;
        t->cells[2 * (i + 1) + 1] = shape_latex(a, &rows[i].out);
        t->values[2 * (i + 1) + 1] = (double)rp_shape_size(&rows[i].out);
    }
    const cJSON *given = cJSON_GetObjectItemCaseSensitive(p, "given");
    for (const cJSON *g = given ? given->child : NULL; g; g = g->next) {
        size_t r = (size_t)g->child->valuedouble, c = (size_t)g->child->next->valuedouble;
        if (r < t->rows && c < 2)
            t->given[2 * r + c] = true;
    }
    long total = 0;
    for (i = 0; i < n; i++)
        total += rows[i].params;
    out->derivation = rp_arena_printf(a, "layer table %s biases: %ld parameters in all",
                                      with_bias ? "with" : "without", total);
    return RP_OK;
}

const rp_op rp_op_cnn_table = {"cnn_table", table_validate, table_solve, true};

/* ------------------------------------------------------- shift_lookup */

static void shift_validate(rp_vctx *c, const cJSON *p)
{
    static const char *const keys[] = {"known", "queries", NULL};
    rp_vkeys(c, p, keys);
    const char *lists[2] = {"known", "queries"};
    for (int l = 0; l < 2; l++) {
        const cJSON *arr = rp_varr(c, p, lists[l], true, RP_RUBRIC_MAX_ITEMS);
        size_t o = rp_vpush_key(c, lists[l]);
        size_t i = 0;
        for (const cJSON *e = arr ? arr->child : NULL; e; e = e->next, i++) {
            size_t o2 = rp_vpush_index(c, i);
            static const char *const kk[] = {"name", "image", "output", NULL};
            static const char *const qk[] = {"name", "spellings", "image", NULL};
            rp_vkeys(c, e, l ? qk : kk);
            rp_vstr(c, e, "name", l == 1);
            rp_mat m;
            if (rp_vmatrix(c, e, "image", true, &m) && (m.rows > 64 || m.cols > 64))
                rp_verr(c, "image: at most 64x64 (the shift search is quartic)");
            if (l == 0) {
                const cJSON *outv = rp_varr(c, e, "output", true, RP_RUBRIC_MAX_DIM);
                for (const cJSON *v = outv ? outv->child : NULL; v; v = v->next)
                    if (!cJSON_IsNumber(v)) {
                        rp_verr(c, "output: expected numbers");
                        break;
                    }
            } else {
                size_t ns;
                rp_vstrlist(c, e, "spellings", &ns);
            }
            rp_vpop(c, o2);
        }
        rp_vpop(c, o);
    }
}

static rp_status shift_solve(rp_solve_ctx *s, const cJSON *p, rp_answer *out)
{
    rp_arena *a = s->rubric->arena;
    const cJSON *known = cJSON_GetObjectItemCaseSensitive(p, "known");
    const cJSON *queries = cJSON_GetObjectItemCaseSensitive(p, "queries");
    size_t nq = (size_t)cJSON_GetArraySize(queries);
    out->kind = RP_ANS_TUPLE;
    out->items = rp_arena_alloc(a, (nq + 1) * sizeof *out->items);
    if (!out->items)
        return RP_ENOMEM;
    rp_buf how;
    rp_buf_init(&how, 4096);
    for (const cJSON *q = queries->child; q; q = q->next) {
        rp_mat qi;
        if (!rp_json_mat(a, cJSON_GetObjectItemCaseSensitive(q, "image"), &qi)) {
            rp_buf_free(&how);
            return RP_ENOMEM;
        }
        const char *qname = cJSON_GetObjectItemCaseSensitive(q, "name")->valuestring;
        const cJSON *match = NULL;
        long dr = 0, dc = 0;
        for (const cJSON *k = known->child; k && !match; k = k->next) {
            rp_mat ki;
            if (rp_json_mat(a, cJSON_GetObjectItemCaseSensitive(k, "image"), &ki) &&
                rp_mat_circshift_of(&ki, &qi, 1e-12, &dr, &dc))
                match = k;
        }
        if (!match) {
            rp_buf_free(&how);
            return rp_solve_fail(s, RP_EEVAL,
                                 "%s is not a circular shift of any known image", qname);
        }
        const cJSON *ov = cJSON_GetObjectItemCaseSensitive(match, "output");
        size_t nv = (size_t)cJSON_GetArraySize(ov), i = 0;
        rp_mat v;
        if (rp_mat_alloc(a, nv, 1, &v) != RP_OK) {
            rp_buf_free(&how);
            return RP_ENOMEM;
        }
        for (const cJSON *e = ov->child; e; e = e->next)
            v.v[i++] = e->valuedouble;
        rp_tuple_item *it = &out->items[out->n_items++];
        it->name = rp_arena_strdup(a, qname);
        it->answer = rp_arena_alloc(a, sizeof *it->answer);
        if (!it->answer || rp_answer_set_mat(a, &v, it->answer) != RP_OK) {
            rp_buf_free(&how);
            return RP_ENOMEM;
        }
        it->answer->kind = RP_ANS_VECTOR;
        const cJSON *sp = cJSON_GetObjectItemCaseSensitive(q, "spellings");
        size_t ns = sp ? (size_t)cJSON_GetArraySize(sp) : 0;
        it->spellings = rp_arena_alloc(a, (ns + 1) * sizeof *it->spellings);
        for (const cJSON *e = sp ? sp->child : NULL; it->spellings && e; e = e->next)
            it->spellings[it->n_spellings++] = rp_arena_strdup(a, e->valuestring);
        const cJSON *kn = cJSON_GetObjectItemCaseSensitive(match, "name");
        rp_buf_printf(&how, "%s%s is %s shifted by (%ld, %ld)", how.len ? "; " : "",
                      qname, cJSON_IsString(kn) ? kn->valuestring : "a known image",
                      dr, dc);
    }
    out->derivation = rp_arena_printf(a, "circular shifts: %s", how.data ? how.data : "");
    rp_buf_free(&how);
    return RP_OK;
}

const rp_op rp_op_shift_lookup = {"shift_lookup", shift_validate, shift_solve, true};

/* ---------------------------------------------------- receptive_field */

static void rf_validate(rp_vctx *c, const cJSON *p)
{
    static const char *const keys[] = {"formula", "layers_symbol",
                                       "kernel_symbol", "check", NULL};
    rp_vkeys(c, p, keys);
    rp_vstr(c, p, "formula", true);
    rp_vstr(c, p, "layers_symbol", true);
    rp_vstr(c, p, "kernel_symbol", true);
    const cJSON *chk = rp_varr(c, p, "check", true, 32);
    for (const cJSON *e = chk ? chk->child : NULL; e; e = e->next)
        if (!cJSON_IsArray(e) || cJSON_GetArraySize(e) != 2 ||
            !cJSON_IsNumber(e->child) || !cJSON_IsNumber(e->child->next) ||
            e->child->valuedouble < 1 || e->child->valuedouble > 1000 ||
            e->child->next->valuedouble < 1 || e->child->next->valuedouble > 1000) {
            size_t o = rp_vpush_key(c, "check");
            rp_verr(c, "expected [layers, kernel] pairs of integers 1..1000");
            rp_vpop(c, o);
            break;
        }
}

static rp_status rf_solve(rp_solve_ctx *s, const cJSON *p, rp_answer *out)
{
    rp_arena *a = s->rubric->arena;
    const char *formula = cJSON_GetObjectItemCaseSensitive(p, "formula")->valuestring;
    const char *lname = cJSON_GetObjectItemCaseSensitive(p, "layers_symbol")->valuestring;
    const char *kname = cJSON_GetObjectItemCaseSensitive(p, "kernel_symbol")->valuestring;
    out->kind = RP_ANS_EXPR;
    out->latex = rp_arena_strdup(a, formula);
    out->check = RP_CHECK_PASSED;
    size_t n_checked = 0;
    const cJSON *chk = cJSON_GetObjectItemCaseSensitive(p, "check");
    for (const cJSON *e = chk->child; e; e = e->next) {
        long L = (long)e->child->valuedouble, K = (long)e->child->next->valuedouble;
        rp_layer *layers = rp_arena_alloc(a, (size_t)L * sizeof *layers);
        if (!layers)
            return RP_ENOMEM;
        for (long i = 0; i < L; i++) {
            char name[32];
            snprintf(name, sizeof name, "CONV%ld-1", K);
            rp_layer_parse(name, &layers[i]);
            layers[i].stride = 1;
        }
        long rf;
        rp_status st = rp_receptive_field(layers, (size_t)L, &rf, NULL);
        if (st != RP_OK)
            return rp_solve_fail(s, st, "receptive field: %s", rp_strerror(st));
        rp_var_domain vars[2] = {
            {lname, (double)L, (double)L, true, 0, 0, true, (double)L, false},
            {kname, (double)K, (double)K, true, 0, 0, true, (double)K, false}};
        rp_equiv_opts o = rp_part_equiv_opts(s->part);
        o.vars = vars;
        o.n_vars = 2;
        o.n_points = 1;
        char num[32];
        snprintf(num, sizeof num, "%ld", rf);
        rp_equiv_result res;
        if (rp_equiv(formula, strlen(formula), num, strlen(num), &o, &res) != RP_OK)
            return RP_ENOMEM;
        n_checked++;
        if (res.verdict == RP_EQUIV_DIFFERENT) {
            out->check = RP_CHECK_FAILED;
            out->check_detail = rp_arena_printf(
                a, "the formula disagrees with the engine (%ld) at %s=%ld, %s=%ld",
                rf, lname, L, kname, K);
            break;
        }
        if (res.verdict == RP_EQUIV_ERROR) {
            out->check = RP_CHECK_UNAVAILABLE;
            out->check_detail = rp_arena_printf(a, "formula not checked: %s", res.error);
        }
    }
    if (out->check == RP_CHECK_PASSED)
        out->check_detail = rp_arena_printf(
            a, "formula agrees with the engine's receptive field at %zu stacks",
            n_checked);
    out->derivation = "receptive field of stacked stride-1 convolutions";
    return RP_OK;
}

const rp_op rp_op_receptive_field = {"receptive_field", rf_validate, rf_solve, false};

/* ------------------------------------------------------ layer_formula */

static const char *const layer_kinds[] = {"conv", "pool", NULL};
static const char *const layer_quantities[] = {"params", "weights", "biases",
                                               "shape", NULL};
/* what the symbols of the layer formulas stand for, in this order; the
 * symbols themselves are params.symbols[role] */
static const char *const layer_roles[] = {"width",  "height", "channels", "kernel",
                                          "padding", "stride", "filters", NULL};
enum { R_PAD = 4, R_FILTERS = 6, N_ROLES = 7 };

/* params.symbols[role] for every role (NULL where absent). */
static void layer_symbols(const cJSON *p, const char *names[N_ROLES + 1])
{
    const cJSON *sy = cJSON_GetObjectItemCaseSensitive(p, "symbols");
    for (int k = 0; k < N_ROLES; k++) {
        const cJSON *j = sy ? cJSON_GetObjectItemCaseSensitive(sy, layer_roles[k]) : NULL;
        names[k] = cJSON_IsString(j) ? j->valuestring : NULL;
    }
    names[N_ROLES] = NULL;
}

static void lf_validate(rp_vctx *c, const cJSON *p)
{
    static const char *const keys[] = {"layer", "symbols", "items", "check", NULL};
    rp_vkeys(c, p, keys);
    bool pool = rp_venum(c, p, "layer", layer_kinds, 0) == 1;
    /* a pooling layer has no padding or filters: their symbols are optional */
    const cJSON *sy = rp_vobj(c, p, "symbols", false);
    if (!sy)
        rp_vneed(c, p, "symbols", "for the formulas' symbols of width, height, "
                                  "channels, kernel, padding, stride, filters");
    size_t o = rp_vpush_key(c, "symbols");
    rp_vkeys(c, sy, layer_roles);
    for (int k = 0; sy && k < N_ROLES; k++)
        rp_vstr(c, sy, layer_roles[k], !(pool && (k == R_PAD || k == R_FILTERS)));
    rp_vpop(c, o);
    const char *names[N_ROLES + 1];
    layer_symbols(p, names);
    /* the check points assign values to the given symbols */
    const char *given[N_ROLES + 1];
    size_t n_given = 0;
    for (int k = 0; k < N_ROLES; k++)
        if (names[k])
            given[n_given++] = names[k];
    given[n_given] = NULL;
    const cJSON *items = rp_varr(c, p, "items", true, RP_RUBRIC_MAX_ITEMS);
    o = rp_vpush_key(c, "items");
    size_t i = 0;
    for (const cJSON *it = items ? items->child : NULL; it; it = it->next, i++) {
        size_t o2 = rp_vpush_index(c, i);
        static const char *const ik[] = {"name", "spellings", "latex", "quantity", NULL};
        rp_vkeys(c, it, ik);
        rp_vstr(c, it, "name", true);
        rp_vstr(c, it, "latex", true);
        size_t ns;
        rp_vstrlist(c, it, "spellings", &ns);
        if (!cJSON_GetObjectItemCaseSensitive(it, "quantity"))
            rp_verr(c, "quantity: missing (required)");
        rp_venum(c, it, "quantity", layer_quantities, 0);
        rp_vpop(c, o2);
    }
    if (items && i == 0)
        rp_verr(c, "expected at least one item");
    rp_vpop(c, o);
    const cJSON *chk = rp_varr(c, p, "check", true, 32);
    o = rp_vpush_key(c, "check");
    i = 0;
    for (const cJSON *pt = chk ? chk->child : NULL; pt; pt = pt->next, i++) {
        size_t o2 = rp_vpush_index(c, i);
        rp_vkeys(c, pt, given);
        for (int k = 0; k < N_ROLES; k++)
            if (names[k])
                rp_vint(c, pt, names[k], true, k == R_PAD ? 0 : 1, 4096, 1);
        rp_vpop(c, o2);
    }
    rp_vpop(c, o);
}

static rp_status lf_solve(rp_solve_ctx *s, const cJSON *p, rp_answer *out)
{
    rp_arena *a = s->rubric->arena;
    bool pool = rp_json_enum(p, "layer", layer_kinds) == 1;
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(p, "items");
    const cJSON *chk = cJSON_GetObjectItemCaseSensitive(p, "check");
    size_t n = (size_t)cJSON_GetArraySize(items);
    out->kind = RP_ANS_TUPLE;
    out->items = rp_arena_alloc(a, (n + 1) * sizeof *out->items);
    if (!out->items)
        return RP_ENOMEM;
    const char *names[N_ROLES + 1];
    layer_symbols(p, names);
    for (const cJSON *it = items->child; it; it = it->next) {
        rp_tuple_item *ti = &out->items[out->n_items++];
        ti->name = rp_arena_strdup(a, cJSON_GetObjectItemCaseSensitive(it, "name")->valuestring);
        const cJSON *sp = cJSON_GetObjectItemCaseSensitive(it, "spellings");
        size_t ns = sp ? (size_t)cJSON_GetArraySize(sp) : 0;
        ti->spellings = rp_arena_alloc(a, (ns + 1) * sizeof *ti->spellings);
        for (const cJSON *e = sp ? sp->child : NULL; ti->spellings && e; e = e->next)
            ti->spellings[ti->n_spellings++] = rp_arena_strdup(a, e->valuestring);
        rp_answer *x = rp_arena_alloc(a, sizeof *x);
        if (!x)
            return RP_ENOMEM;
        ti->answer = x;
        x->kind = RP_ANS_EXPR;
        x->latex = rp_arena_strdup(a, cJSON_GetObjectItemCaseSensitive(it, "latex")->valuestring);
        int q = rp_json_enum(it, "quantity", layer_quantities);
        x->check = RP_CHECK_PASSED;
        size_t n_checked = 0;
        for (const cJSON *pt = chk->child; pt; pt = pt->next) {
            long v[N_ROLES];
            for (int k = 0; k < N_ROLES; k++)
                v[k] = names[k] ? rp_json_int(pt, names[k], 1) : (k == R_PAD ? 0 : 1);
            rp_shape in = {v[1], v[0], v[2], false, 0};
            rp_layer l = {0};
            l.kind = pool ? RP_LAYER_POOL : RP_LAYER_CONV;
            l.k = v[3];
            l.pad = pool ? 0 : v[4];
            l.stride = v[5];
            l.outputs = v[6];
            rp_layer_row row;
            rp_status st = rp_cnn_table(&in, &l, 1, true, &row);
            if (st != RP_OK)
                continue; /* the kernel does not fit this point: skip it */
            double want = q == 0   ? (double)row.params
                          : q == 1 ? (double)row.weights
                          : q == 2 ? (double)row.biases
                                   : (double)rp_shape_size(&row.out);
            rp_var_domain vars[N_ROLES];
            size_t nv = 0;
            for (int k = 0; k < N_ROLES; k++)
                if (names[k])
                    vars[nv++] = (rp_var_domain){names[k], (double)v[k], (double)v[k],
                                                 true, 0, 0, true, (double)v[k], false};
            rp_equiv_opts o = rp_part_equiv_opts(s->part);
            o.vars = vars;
            o.n_vars = nv;
            o.n_points = 1;
            char num[32];
            snprintf(num, sizeof num, "%.0f", want);
            rp_equiv_result res;
            if (rp_equiv(x->latex, strlen(x->latex), num, strlen(num), &o, &res) != RP_OK)
                return RP_ENOMEM;
            n_checked++;
            if (res.verdict == RP_EQUIV_DIFFERENT) {
                x->check = RP_CHECK_FAILED;
                const char *at = "";
                for (int k = 0; k < N_ROLES; k++)
                    if (names[k])
                        at = rp_arena_printf(a, "%s%s%s=%ld", at, at[0] ? " " : "",
                                             names[k], v[k]);
                x->check_detail = rp_arena_printf(
                    a, "%s disagrees with the engine (%s) at %s", ti->name, num, at);
                break;
            }
            if (res.verdict == RP_EQUIV_ERROR) {
                x->check = RP_CHECK_UNAVAILABLE;
                x->check_detail = rp_arena_printf(a, "formula not checked: %s", res.error);
            }
        }
        if (x->check == RP_CHECK_PASSED)
            x->check_detail = rp_arena_printf(
                a, "formula agrees with the engine's layer table at %zu points", n_checked);
        x->derivation = pool ? "max pooling layer through the engine's layer table"
                             : "convolutional layer through the engine's layer table";
    }
    if (out->n_items == 1) { /* one formula: the answer is that expression */
        *out = *out->items[0].answer;
        return RP_OK;
    }
    out->derivation = "typed formulas checked against the engine's layer table";
    return RP_OK;
}

const rp_op rp_op_layer_formula = {"layer_formula", lf_validate, lf_solve, false};
