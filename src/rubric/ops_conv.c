/*
 * Rubric operations on signals and images: each reads its params, has the
 * engine compute (src/engine/conv.c, pool.c) and writes the answer.
 * conv1d (a 1-D convolution over an index range, with the rubric's
 * general formula checked against the engine at other parameter values),
 * conv2d (2-D convolution or correlation with padding and stride) and
 * pool_backward (where the gradient of a pooling layer goes, numerically
 * or, from the engine's Jacobian, symbolically).
 */
#include "rubric_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const conv_modes[] = {"convolution", "correlation", NULL};
static const char *const pad_kinds[] = {"zero", "circular", NULL};

bool rp_json_mat(rp_arena *a, const cJSON *arr, rp_mat *out)
{
    size_t rows = (size_t)cJSON_GetArraySize(arr);
    size_t cols = rows ? (size_t)cJSON_GetArraySize(arr->child) : 0;
    if (rp_mat_alloc(a, rows, cols, out) != RP_OK)
        return false;
    size_t i = 0;
    for (const cJSON *r = arr->child; r; r = r->next, i++) {
        size_t j = 0;
        for (const cJSON *e = r->child; e && j < cols; e = e->next, j++)
            RP_MAT_AT(out, i, j) = e->valuedouble;
    }
    return true;
}

rp_status rp_answer_set_mat(rp_arena *a, const rp_mat *m, rp_answer *out)
{
    out->kind = m->cols == 1 ? RP_ANS_VECTOR : RP_ANS_MATRIX;
    out->mat.rows = m->rows;
    out->mat.cols = m->cols;
    out->mat.numeric = true;
    out->mat.cells = rp_arena_alloc(a, m->rows * m->cols * sizeof *out->mat.cells);
    out->mat.values = rp_arena_alloc(a, m->rows * m->cols * sizeof *out->mat.values);
    if (!out->mat.cells || !out->mat.values)
        return RP_ENOMEM;
    for (size_t k = 0; k < m->rows * m->cols; k++) {
        out->mat.values[k] = m->v[k] == 0.0 ? 0.0 : m->v[k];
        out->mat.cells[k] = rp_num_latex(a, out->mat.values[k]);
    }
    out->latex = rp_bmatrix_latex(a, m->rows, m->cols, out->mat.cells);
    return out->latex ? RP_OK : RP_ENOMEM;
}

/* ------------------------------------------------------------ conv2d */

static void conv2d_validate(rp_vctx *c, const cJSON *p)
{
    static const char *const keys[] = {"x", "h", "mode", "pad", "padding",
                                       "stride", NULL};
    rp_vkeys(c, p, keys);
    rp_mat m;
    rp_vmatrix(c, p, "x", true, &m);
    rp_vmatrix(c, p, "h", true, &m);
    rp_venum(c, p, "mode", conv_modes, 0);
    rp_vint(c, p, "pad", false, 0, 64, 0);
    rp_venum(c, p, "padding", pad_kinds, 0);
    rp_vint(c, p, "stride", false, 1, 64, 1);
}

int rp_json_enum(const cJSON *p, const char *key, const char *const *choices)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(p, key);
    for (int i = 0; cJSON_IsString(j) && choices[i]; i++)
        if (strcmp(j->valuestring, choices[i]) == 0)
            return i;
    return 0;
}

long rp_json_int(const cJSON *p, const char *key, long fallback)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(p, key);
    return cJSON_IsNumber(j) ? (long)j->valuedouble : fallback;
}

static rp_status conv2d_solve(rp_solve_ctx *s, const cJSON *p, rp_answer *out)
{
    rp_arena *a = s->rubric->arena;
    rp_mat x, h, y;
    if (!rp_json_mat(a, cJSON_GetObjectItemCaseSensitive(p, "x"), &x) ||
        !rp_json_mat(a, cJSON_GetObjectItemCaseSensitive(p, "h"), &h))
        return rp_solve_fail(s, RP_ENOMEM, "cannot build x and h");
    rp_conv2d_opts o = {
        rp_json_enum(p, "mode", conv_modes) ? RP_CONV_CORRELATION : RP_CONV_TRUE,
        rp_json_enum(p, "padding", pad_kinds) ? RP_PAD_CIRCULAR : RP_PAD_ZERO,
        (size_t)rp_json_int(p, "pad", 0), (size_t)rp_json_int(p, "stride", 1)};
    /* the work before doing it: output cells times kernel cells */
    size_t step = o.stride ? o.stride : 1, pr = x.rows + 2 * o.pad, pc = x.cols + 2 * o.pad;
    double rows = pr >= h.rows ? (double)((pr - h.rows) / step + 1) : 0;
    double cols = pc >= h.cols ? (double)((pc - h.cols) / step + 1) : 0;
    rp_status st = rp_solve_charge(
        s, rows * cols * (double)h.rows * (double)h.cols,
        rp_arena_printf(a, "conv2d of a %zux%zu input by a %zux%zu kernel (pad %zu)", x.rows,
                        x.cols, h.rows, h.cols, o.pad));
    if (st != RP_OK)
        return st;
    st = rp_conv2d(a, &x, &h, &o, &y);
    if (st != RP_OK)
        return rp_solve_fail(s, st, "conv2d: %s (kernel %zux%zu, input %zux%zu, pad %zu)",
                             rp_strerror(st), h.rows, h.cols, x.rows, x.cols, o.pad);
    st = rp_answer_set_mat(a, &y, out);
    out->kind = RP_ANS_MATRIX;
    out->derivation = rp_arena_printf(
        a, "2-D %s, %s padding %zu, stride %zu: %zux%zu output",
        o.mode == RP_CONV_TRUE ? "convolution (kernel flipped)" : "correlation",
        o.pad_kind == RP_PAD_ZERO ? "zero" : "circular", o.pad, o.stride ? o.stride : 1,
        y.rows, y.cols);
    return st;
}

const rp_op rp_op_conv2d = {"conv2d", conv2d_validate, conv2d_solve, true};

/* ------------------------------------------------------------ conv1d */

static const char *const sig_kinds[] = {"rect", "geometric", "samples", NULL};

static void signal_validate(rp_vctx *c, const cJSON *p, const char *key)
{
    const cJSON *sig = rp_vobj(c, p, key, true);
    if (!sig)
        return;
    size_t old = rp_vpush_key(c, key);
    rp_vkeys(c, sig, sig_kinds);
    int n = 0;
    for (int i = 0; sig_kinds[i]; i++) {
        const cJSON *body = rp_vobj(c, sig, sig_kinds[i], false);
        if (!body)
            continue;
        n++;
        size_t o2 = rp_vpush_key(c, sig_kinds[i]);
        static const char *const keys[] = {"length", "start", "ratio", "amp",
                                           "values", NULL};
        rp_vkeys(c, body, keys);
        for (int k = 0; k < 2; k++) {
            const char *field = k ? "start" : "length";
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, field);
            if (v && !cJSON_IsNumber(v) && !cJSON_IsString(v)) {
                size_t o3 = rp_vpush_key(c, field);
                rp_verr(c, "expected an integer or a symbol bound in \"let\"");
                rp_vpop(c, o3);
            }
        }
        if (i == 0 && !cJSON_GetObjectItemCaseSensitive(body, "length"))
            rp_verr(c, "a rect needs \"length\"");
        if (i == 1)
            rp_vnum(c, body, "ratio", true, 0.5);
        if (i == 2) {
            const cJSON *vals = rp_varr(c, body, "values", true, 4096);
            for (const cJSON *e = vals ? vals->child : NULL; e; e = e->next)
                if (!cJSON_IsNumber(e)) {
                    rp_verr(c, "values: expected numbers");
                    break;
                }
        }
        rp_vnum(c, body, "amp", false, 1);
        rp_vpop(c, o2);
    }
    if (n != 1)
        rp_verr(c, "expected exactly one of rect, geometric, samples");
    rp_vpop(c, old);
}

static void conv1d_validate(rp_vctx *c, const cJSON *p)
{
    static const char *const keys[] = {"x", "h", "mode", "range", "let",
                                       "formula", "check_at", NULL};
    rp_vkeys(c, p, keys);
    signal_validate(c, p, "x");
    signal_validate(c, p, "h");
    rp_venum(c, p, "mode", conv_modes, 0);
    const cJSON *range = rp_varr(c, p, "range", true, 2);
    if (range && (cJSON_GetArraySize(range) != 2 ||
                  !cJSON_IsNumber(cJSON_GetArrayItem(range, 0)) ||
                  !cJSON_IsNumber(cJSON_GetArrayItem(range, 1)) ||
                  cJSON_GetArrayItem(range, 0)->valuedouble >
                      cJSON_GetArrayItem(range, 1)->valuedouble ||
                  cJSON_GetArrayItem(range, 1)->valuedouble -
                          cJSON_GetArrayItem(range, 0)->valuedouble > 4096)) {
        size_t o = rp_vpush_key(c, "range");
        rp_verr(c, "expected [lo, hi]: integers, lo <= hi, at most 4096 apart");
        rp_vpop(c, o);
    }
    const cJSON *let = rp_vobj(c, p, "let", false);
    for (const cJSON *k = let ? let->child : NULL; k; k = k->next)
        if (!cJSON_IsNumber(k) || k->valuedouble != floor(k->valuedouble) ||
            fabs(k->valuedouble) > 1e6) {
            size_t o = rp_vpush_key(c, "let");
            size_t o2 = rp_vpush_key(c, k->string);
            rp_verr(c, "expected an integer");
            rp_vpop(c, o2);
            rp_vpop(c, o);
        }
    const cJSON *f = rp_vobj(c, p, "formula", false);
    if (f) {
        size_t o = rp_vpush_key(c, "formula");
        rp_answer *a = rp_answer_read(c, f, false, false);
        if (a && a->kind != RP_ANS_PIECEWISE && a->kind != RP_ANS_EXPR)
            rp_verr(c, "expected a piecewise or expr answer");
        rp_vpop(c, o);
    }
    const cJSON *chk = rp_vobj(c, p, "check_at", false);
    for (const cJSON *k = chk ? chk->child : NULL; k; k = k->next) {
        size_t o = rp_vpush_key(c, "check_at");
        size_t o2 = rp_vpush_key(c, k->string);
        if (!cJSON_IsArray(k) || cJSON_GetArraySize(k) > 16)
            rp_verr(c, "expected an array of at most 16 integers");
        else if (!let || !cJSON_GetObjectItemCaseSensitive(let, k->string))
            rp_verr(c, "\"%s\" is not bound in \"let\"", k->string);
        for (const cJSON *e = cJSON_IsArray(k) ? k->child : NULL; e; e = e->next)
            if (!cJSON_IsNumber(e) || e->valuedouble != floor(e->valuedouble) ||
                fabs(e->valuedouble) > 1e6) {
                rp_verr(c, "expected integers");
                break;
            }
        rp_vpop(c, o2);
        rp_vpop(c, o);
    }
}

/* A value of a signal field: a number or a bound over let. */
static bool field_long(const cJSON *body, const char *key, const cJSON *let,
                       long fallback, long *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, key);
    if (!v) {
        *out = fallback;
        return true;
    }
    if (cJSON_IsNumber(v)) {
        if (!(fabs(v->valuedouble) <= 1e15)) /* also NaN: no cast beyond long */
            return false;
        *out = (long)v->valuedouble;
        return true;
    }
    return cJSON_IsString(v) && rp_bound_eval(v->valuestring, let, out);
}

static bool build_signal(const cJSON *p, const char *key, const cJSON *let,
                         rp_signal *sig, double *buf, size_t cap)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(p, key);
    memset(sig, 0, sizeof *sig);
    const cJSON *body;
    long v;
    if ((body = cJSON_GetObjectItemCaseSensitive(j, "rect"))) {
        sig->kind = RP_SIG_RECT;
        if (!field_long(body, "length", let, 0, &v) || v < 0 || v > 1000000)
            return false;
        sig->len = (size_t)v;
    } else if ((body = cJSON_GetObjectItemCaseSensitive(j, "geometric"))) {
        sig->kind = RP_SIG_GEOMETRIC;
        sig->ratio = cJSON_GetObjectItemCaseSensitive(body, "ratio")->valuedouble;
    } else if ((body = cJSON_GetObjectItemCaseSensitive(j, "samples"))) {
        const cJSON *vals = cJSON_GetObjectItemCaseSensitive(body, "values");
        size_t n = 0;
        for (const cJSON *e = vals ? vals->child : NULL; e && n < cap; e = e->next)
            buf[n++] = e->valuedouble;
        sig->kind = RP_SIG_SAMPLES;
        sig->samples = buf;
        sig->len = n;
    } else {
        return false;
    }
    const cJSON *amp = cJSON_GetObjectItemCaseSensitive(body, "amp");
    sig->amp = cJSON_IsNumber(amp) ? amp->valuedouble : 1.0;
    if (!field_long(body, "start", let, 0, &v))
        return false;
    sig->start = v;
    return true;
}

/* Compute y over range with let; y has hi-lo+1 slots. */
static rp_status conv1d_run(const cJSON *p, const cJSON *let, long lo, long hi,
                            double *y)
{
    double *xb = malloc(2 * 4096 * sizeof *xb);
    if (!xb)
        return RP_ENOMEM;
    rp_signal x, h;
    rp_status st = RP_EINPUT;
    if (build_signal(p, "x", let, &x, xb, 4096) &&
        build_signal(p, "h", let, &h, xb + 4096, 4096))
        st = rp_conv1d(&x, &h,
                       rp_json_enum(p, "mode", conv_modes) ? RP_CONV_CORRELATION
                                                      : RP_CONV_TRUE,
                       lo, hi, y);
    free(xb);
    return st;
}

/* Check the general formula at one binding of let over [lo, hi]. */
static rp_check_status check_formula(rp_solve_ctx *s, const rp_answer *f,
                                     const cJSON *let, long lo, const double *y,
                                     size_t ny, const char **detail)
{
    rp_arena *a = s->rubric->arena;
    rp_var_domain vars[17];
    size_t nv = 0;
    const char *var = f->kind == RP_ANS_PIECEWISE ? f->sample_var : "n";
    vars[nv++] = (rp_var_domain){var, 0, 0, true, 0, 0, true, 0, false};
    for (const cJSON *k = let->child; k && nv < 17; k = k->next)
        vars[nv++] = (rp_var_domain){k->string, k->valuedouble, k->valuedouble,
                                     true, 0, 0, true, k->valuedouble, false};
    rp_equiv_opts o = rp_part_equiv_opts(s->part);
    o.vars = vars;
    o.n_vars = nv;
    o.n_points = 1;
    rp_check_status worst = RP_CHECK_PASSED;
    for (size_t i = 0; i < ny; i++) {
        long n = lo + (long)i;
        const char *expr = f->kind == RP_ANS_EXPR ? f->latex : NULL;
        for (size_t c = 0; !expr && c < f->n_cases; c++) {
            long b;
            const rp_case *cs = &f->cases[c];
            if (cs->from && (!rp_bound_eval(cs->from, let, &b) || n < b))
                continue;
            if (cs->to && (!rp_bound_eval(cs->to, let, &b) || n > b))
                continue;
            expr = cs->expr;
        }
        if (!expr) {
            *detail = rp_arena_printf(a, "no case covers %s=%ld", var, n);
            return RP_CHECK_FAILED;
        }
        vars[0].lo = vars[0].hi = vars[0].value = (double)n;
        char num[40];
        snprintf(num, sizeof num, "%.17g", y[i]);
        rp_equiv_result res;
        if (rp_equiv(expr, strlen(expr), num, strlen(num), &o, &res) != RP_OK)
            return RP_CHECK_UNAVAILABLE;
        if (res.verdict == RP_EQUIV_DIFFERENT) {
            char *lets = cJSON_PrintUnformatted(let);
            *detail = rp_arena_printf(a, "the formula %s disagrees with the engine "
                                         "(%.17g) at %s=%ld, %s",
                                      expr, y[i], var, n, lets ? lets : "");
            free(lets);
            return RP_CHECK_FAILED;
        }
        if (res.verdict == RP_EQUIV_ERROR) {
            *detail = rp_arena_printf(a, "formula not checked: %s", res.error);
            worst = RP_CHECK_UNAVAILABLE;
        }
    }
    return worst;
}

static rp_status conv1d_solve(rp_solve_ctx *s, const cJSON *p, rp_answer *out)
{
    rp_arena *a = s->rubric->arena;
    const cJSON *range = cJSON_GetObjectItemCaseSensitive(p, "range");
    long lo = (long)cJSON_GetArrayItem(range, 0)->valuedouble;
    long hi = (long)cJSON_GetArrayItem(range, 1)->valuedouble;
    size_t ny = (size_t)(hi - lo + 1);
    double *y = rp_arena_alloc(a, ny * sizeof *y);
    cJSON *let = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(p, "let"), true);
    if (!let)
        let = cJSON_CreateObject();
    if (!y || !let) {
        cJSON_Delete(let);
        return RP_ENOMEM;
    }
    rp_status st = conv1d_run(p, let, lo, hi, y);
    if (st != RP_OK) {
        cJSON_Delete(let);
        return rp_solve_fail(s, st, "conv1d: %s", rp_strerror(st));
    }
    const cJSON *fj = cJSON_GetObjectItemCaseSensitive(p, "formula");
    rp_answer *f = NULL;
    if (fj) {
        rp_vctx c = {0};
        c.arena = a;
        c.diags = s->diags;
        c.label = s->rubric->path;
        memcpy(c.path, "$", 2);
        c.plen = 1;
        f = rp_answer_read(&c, fj, false, false);
    }
    if (f)
        *out = *f;
    else
        out->kind = RP_ANS_PIECEWISE;
    if (!out->sample_var)
        out->sample_var = "n";
    out->sample_from = lo;
    out->samples = y;
    out->n_samples = ny;
    if (!f) {
        /* no general formula: the samples are the answer */
        rp_mat m = {ny, 1, y};
        st = rp_answer_set_mat(a, &m, out);
        out->kind = RP_ANS_VECTOR;
    }
    out->derivation = rp_arena_printf(a, "1-D %s over %ld..%ld",
                                      rp_json_enum(p, "mode", conv_modes) ? "correlation"
                                                                     : "convolution",
                                      lo, hi);
    if (f) {
        const char *detail = NULL;
        out->check = check_formula(s, f, let, lo, y, ny, &detail);
        const cJSON *chk = cJSON_GetObjectItemCaseSensitive(p, "check_at");
        double *y2 = rp_arena_alloc(a, ny * sizeof *y2);
        size_t n_checked = 1;
        for (const cJSON *k = chk ? chk->child : NULL; y2 && k; k = k->next)
            for (const cJSON *e = k->child; e; e = e->next) {
                if (out->check == RP_CHECK_FAILED)
                    break;
                cJSON_ReplaceItemInObjectCaseSensitive(
                    let, k->string, cJSON_CreateNumber(e->valuedouble));
                if (conv1d_run(p, let, lo, hi, y2) != RP_OK)
                    continue;
                rp_check_status cs = check_formula(s, f, let, lo, y2, ny, &detail);
                n_checked++;
                if (cs == RP_CHECK_FAILED ||
                    (cs == RP_CHECK_UNAVAILABLE && out->check == RP_CHECK_PASSED))
                    out->check = cs;
            }
        out->check_detail = detail ? detail
                                   : rp_arena_printf(a, "formula agrees with the "
                                                        "engine at %zu parameter "
                                                        "values", n_checked);
    }
    cJSON_Delete(let);
    return st;
}

const rp_op rp_op_conv1d = {"conv1d", conv1d_validate, conv1d_solve, false};

/* ----------------------------------------------------- pool_backward */

static const char *const pool_kinds[] = {"max", "avg", NULL};

static void pool_validate(rp_vctx *c, const cJSON *p)
{
    static const char *const keys[] = {"x", "k", "stride", "pool", "upstream",
                                       "symbol", NULL};
    rp_vkeys(c, p, keys);
    rp_mat m;
    rp_vmatrix(c, p, "x", true, &m);
    rp_vint(c, p, "k", true, 1, 16, 2);
    rp_vint(c, p, "stride", false, 1, 16, 2);
    rp_venum(c, p, "pool", pool_kinds, 0);
    if (cJSON_GetObjectItemCaseSensitive(p, "upstream"))
        rp_vmatrix(c, p, "upstream", false, &m);
    /* without numbers upstream, the cells are written in a symbol */
    if (!cJSON_GetObjectItemCaseSensitive(p, "upstream"))
        rp_vneed(c, p, "symbol", "without upstream: the upstream gradient's symbol");
    rp_vstr(c, p, "symbol", false);
}

/* "\frac{1}{4}" for 0.25, "" for 1, "-" for -1, else %g. */
static const char *coef_latex(rp_arena *a, double v)
{
    if (v == 1.0)
        return "";
    if (v == -1.0)
        return "-";
    for (long q = 2; q <= 64; q++) {
        double pn = round(v * (double)q);
        if (fabs(pn / (double)q - v) < 1e-12)
            return rp_arena_printf(a, "%s\\frac{%.0f}{%ld}", pn < 0 ? "-" : "",
                                   fabs(pn), q);
    }
    return rp_arena_printf(a, "%.6g", v);
}

static rp_status pool_solve(rp_solve_ctx *s, const cJSON *p, rp_answer *out)
{
    rp_arena *a = s->rubric->arena;
    rp_mat x, dy, dx;
    if (!rp_json_mat(a, cJSON_GetObjectItemCaseSensitive(p, "x"), &x))
        return rp_solve_fail(s, RP_ENOMEM, "cannot build x");
    size_t k = (size_t)rp_json_int(p, "k", 2);
    size_t stride = (size_t)rp_json_int(p, "stride", (long)k);
    rp_pool_kind kind = rp_json_enum(p, "pool", pool_kinds) ? RP_POOL_AVG : RP_POOL_MAX;
    rp_mat y;
    rp_status st = rp_pool2d(a, &x, k, stride, kind, &y);
    if (st != RP_OK)
        return rp_solve_fail(s, st, "pooling: %s", rp_strerror(st));
    const cJSON *up = cJSON_GetObjectItemCaseSensitive(p, "upstream");
    const char *what = kind == RP_POOL_MAX ? "max" : "average";
    if (up) {
        if (!rp_json_mat(a, up, &dy))
            return RP_ENOMEM;
        st = rp_pool2d_backward(a, &x, &dy, k, stride, kind, &dx);
        if (st != RP_OK)
            return rp_solve_fail(s, st, "pool backward: %s", rp_strerror(st));
        st = rp_answer_set_mat(a, &dx, out);
        out->kind = RP_ANS_MATRIX;
        out->derivation = rp_arena_printf(a, "%s-pooling backward", what);
        return st;
    }
    /* symbolic upstream: each cell of dx as its terms in dy */
    const char *name = cJSON_GetObjectItemCaseSensitive(p, "symbol")->valuestring;
    size_t cells = x.rows * x.cols;
    rp_mat jac;
    st = rp_pool2d_backward_jacobian(a, &x, k, stride, kind, &jac);
    if (st != RP_OK)
        return rp_solve_fail(s, st, "pool backward: %s", rp_strerror(st));
    rp_buf *terms = calloc(cells, sizeof *terms);
    if (!terms)
        return RP_ENOMEM;
    for (size_t i = 0; i < cells; i++) {
        rp_buf_init(&terms[i], 1 << 16);
        for (size_t o = 0; o < jac.cols; o++)
            if (RP_MAT_AT(&jac, i, o) != 0.0)
                rp_buf_printf(&terms[i], "%s%s%s_{%zu,%zu}",
                              terms[i].len ? " + " : "",
                              coef_latex(a, RP_MAT_AT(&jac, i, o)), name,
                              o / y.cols + 1, o % y.cols + 1);
    }
    out->kind = RP_ANS_MATRIX;
    out->mat.rows = x.rows;
    out->mat.cols = x.cols;
    out->mat.cells = rp_arena_alloc(a, cells * sizeof *out->mat.cells);
    out->mat.values = rp_arena_alloc(a, cells * sizeof *out->mat.values);
    bool numeric = true, room = out->mat.cells && out->mat.values;
    for (size_t i = 0; i < cells; i++) {
        if (room) {
            out->mat.cells[i] = terms[i].len ? rp_arena_strdup(a, terms[i].data) : "0";
            out->mat.values[i] = terms[i].len ? NAN : 0.0;
        }
        if (terms[i].len)
            numeric = false;
        rp_buf_free(&terms[i]);
    }
    free(terms);
    if (!out->mat.cells || !out->mat.values)
        return RP_ENOMEM;
    out->mat.numeric = numeric;
    out->latex = rp_bmatrix_latex(a, x.rows, x.cols, out->mat.cells);
    out->derivation = rp_arena_printf(
        a, "%s-pooling backward (%zux%zu, stride %zu) with a unit %s at each output",
        what, k, k, stride, name);
    return RP_OK;
}

const rp_op rp_op_pool_backward = {"pool_backward", pool_validate, pool_solve, true};
