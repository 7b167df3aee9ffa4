/*
 * Engine operations that derive scaling laws: compute a quantity at many
 * sizes (by counting, by SVD, or by seeded Monte Carlo) and fit a monomial.
 *  - matmul_cost: runtime c*m*n*p summed over a list of matrix products;
 *  - mup: the MuP-at-unit-scale quantities (Xavier constant c, the largest
 *    spectral norm of an update, SignSGD and Muon learning rates, the
 *    backpropagated gradient multiplier and whether gradients explode);
 *  - conv_grad_stats: mean, variance and growth of a convolution's weight
 *    gradient with random inputs and upstream gradients.
 */
#include "rubric_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rp_validate_ranges(rp_vctx *c, const cJSON *params, double max_hi)
{
    const cJSON *r = rp_vobj(c, params, "ranges", false);
    for (const cJSON *k = r ? r->child : NULL; k; k = k->next) {
        if (!cJSON_IsArray(k) || cJSON_GetArraySize(k) != 2 ||
            !cJSON_IsNumber(k->child) || !cJSON_IsNumber(k->child->next) ||
            !(k->child->valuedouble > 0) ||
            !(k->child->next->valuedouble > k->child->valuedouble) ||
            k->child->next->valuedouble > max_hi) {
            size_t o = rp_vpush_key(c, "ranges");
            size_t o2 = rp_vpush_key(c, k->string);
            rp_verr(c, "expected [lo, hi] with 0 < lo < hi <= %g", max_hi);
            rp_vpop(c, o2);
            rp_vpop(c, o);
        }
    }
}

/* -------------------------------------------------------- matmul_cost */

static void cost_validate(rp_vctx *c, const cJSON *p)
{
    static const char *const keys[] = {"products", "const", "ranges", NULL};
    rp_vkeys(c, p, keys);
    rp_validate_ranges(c, p, 1e6);
    const cJSON *cst = cJSON_GetObjectItemCaseSensitive(p, "const");
    if (cst && !cJSON_IsNull(cst) && !cJSON_IsString(cst)) {
        size_t o = rp_vpush_key(c, "const");
        rp_verr(c, "expected a symbol or null");
        rp_vpop(c, o);
    }
    const cJSON *prods = rp_varr(c, p, "products", true, 16);
    size_t o = rp_vpush_key(c, "products");
    size_t i = 0;
    if (prods && cJSON_GetArraySize(prods) == 0)
        rp_verr(c, "expected at least one product");
    for (const cJSON *e = prods ? prods->child : NULL; e; e = e->next, i++) {
        size_t o2 = rp_vpush_index(c, i);
        static const char *const pk[] = {"a", "b", NULL};
        rp_vkeys(c, e, pk);
        size_t na = 0, nb = 0;
        const char **a = rp_vstrlist(c, e, "a", &na);
        const char **b = rp_vstrlist(c, e, "b", &nb);
        if (!a || !b || na != 2 || nb != 2)
            rp_verr(c, "expected \"a\" and \"b\": [rows, cols] symbol pairs");
        else if (strcmp(a[1], b[0]) != 0)
            rp_verr(c, "inner dimensions differ: %s x %s times %s x %s", a[0],
                    a[1], b[0], b[1]);
        rp_vpop(c, o2);
    }
    rp_vpop(c, o);
}

typedef struct cost_ctx {
    int idx[16][3]; /* m, n, p of each product as fit variable indices */
    size_t n_prod;
    int const_idx;  /* -1: none */
} cost_ctx;

static double cost_fn(void *vctx, size_t point, const double *v, rp_status *st)
{
    (void)point;
    (void)st;
    cost_ctx *c = vctx;
    double total = 0.0;
    for (size_t i = 0; i < c->n_prod; i++)
        total += v[c->idx[i][0]] * v[c->idx[i][1]] * v[c->idx[i][2]];
    return c->const_idx >= 0 ? v[c->const_idx] * total : total;
}

static int symbol_index(rp_fit_var *vars, size_t *n, const char *name,
                        rp_solve_ctx *s, const cJSON *p)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(vars[i].name, name) == 0)
            return (int)i;
    if (*n >= RP_FIT_MAX_VARS)
        return -1;
    rp_fit_range(s, p, rp_arena_strdup(s->rubric->arena, name), 2, 64, true,
                 &vars[*n]);
    return (int)(*n)++;
}

static rp_status cost_solve(rp_solve_ctx *s, const cJSON *p, rp_answer *out)
{
    rp_fit_var vars[RP_FIT_MAX_VARS];
    size_t nv = 0;
    cost_ctx c = {.const_idx = -1};
    const cJSON *cst = cJSON_GetObjectItemCaseSensitive(p, "const");
    if (cJSON_IsString(cst)) {
        c.const_idx = symbol_index(vars, &nv, cst->valuestring, s, p);
        if (vars[c.const_idx].integer || vars[c.const_idx].hi > 100) {
            vars[c.const_idx].lo = 0.5; /* a constant: any positive scale */
            vars[c.const_idx].hi = 8;
            vars[c.const_idx].integer = false;
        }
    }
    const cJSON *prods = cJSON_GetObjectItemCaseSensitive(p, "products");
    for (const cJSON *e = prods->child; e && c.n_prod < 16; e = e->next) {
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(e, "a");
        const cJSON *b = cJSON_GetObjectItemCaseSensitive(e, "b");
        const char *dims[3] = {cJSON_GetArrayItem(a, 0)->valuestring,
                               cJSON_GetArrayItem(a, 1)->valuestring,
                               cJSON_GetArrayItem(b, 1)->valuestring};
        for (int k = 0; k < 3; k++) {
            int ix = symbol_index(vars, &nv, dims[k], s, p);
            if (ix < 0)
                return rp_solve_fail(s, RP_ELIMIT, "more than %d symbols",
                                     RP_FIT_MAX_VARS);
            c.idx[c.n_prod][k] = ix;
        }
        c.n_prod++;
    }
    /* print the variables in the order the part declares them */
    size_t rank[RP_FIT_MAX_VARS], perm[RP_FIT_MAX_VARS], inv[RP_FIT_MAX_VARS];
    for (size_t i = 0; i < nv; i++) {
        rank[i] = 1000 + i;
        for (size_t k = 0; s->part && k < s->part->n_vars; k++)
            if (strcmp(s->part->vars[k].name, vars[i].name) == 0)
                rank[i] = k;
        perm[i] = i;
    }
    for (size_t i = 1; i < nv; i++)
        for (size_t j = i; j > 0 && rank[perm[j]] < rank[perm[j - 1]]; j--) {
            size_t t = perm[j];
            perm[j] = perm[j - 1];
            perm[j - 1] = t;
        }
    rp_fit_var sorted[RP_FIT_MAX_VARS];
    for (size_t i = 0; i < nv; i++) {
        sorted[i] = vars[perm[i]];
        inv[perm[i]] = i;
    }
    for (size_t i = 0; i < c.n_prod; i++)
        for (int k = 0; k < 3; k++)
            c.idx[i][k] = (int)inv[c.idx[i][k]];
    if (c.const_idx >= 0)
        c.const_idx = (int)inv[c.const_idx];
    rp_status st = rp_fit_to_answer(s, sorted, nv, cost_fn, &c, NULL, out);
    if (st == RP_OK)
        out->derivation = rp_arena_printf(
            s->rubric->arena, "cost c*m*n*p summed over %zu matrix products, %s",
            c.n_prod, out->derivation);
    return st;
}

const rp_op rp_op_matmul_cost = {"matmul_cost", cost_validate, cost_solve};

/* ---------------------------------------------------------------- mup */

static const char *const mup_quantities[] = {
    "xavier_c", "max_spectral_norm", "signsgd_lr", "muon_lr",
    "backprop_multiplier", "backprop_behavior", NULL};
enum { Q_XAVIER, Q_SMAX, Q_SIGN, Q_MUON, Q_BACKPROP, Q_BEHAVIOR };
static const char *const mup_constraints[] = {"rms", "scaled_spectral", NULL};

static void mup_validate(rp_vctx *c, const cJSON *p)
{
    static const char *const keys[] = {"quantity", "constraint", "out_symbol",
                                       "in_symbol", "samples", "seed", "ranges",
                                       NULL};
    rp_vkeys(c, p, keys);
    if (!cJSON_GetObjectItemCaseSensitive(p, "quantity"))
        rp_verr(c, "quantity: missing (required)");
    rp_venum(c, p, "quantity", mup_quantities, 0);
    rp_venum(c, p, "constraint", mup_constraints, 0);
    rp_vstr(c, p, "out_symbol", false);
    rp_vstr(c, p, "in_symbol", false);
    rp_vint(c, p, "samples", false, 1000, 200000, 20000);
    rp_vint(c, p, "seed", false, 0, 1L << 40, 0);
    rp_validate_ranges(c, p, 1024); /* simulated sizes: keep solving fast */
}

typedef struct mup_ctx {
    int quantity;
    int constraint;
    size_t samples;
    uint64_t seed;
    rp_monomial c_fit; /* the engine's Xavier constant c(d_out, d_in) */
} mup_ctx;

/* The random stream of one point of a fit: from the point's index and
 * sizes only, so that points can be computed in any order, at once, and
 * whether c came from the cache or not. */
static rp_rng *point_rng(const mup_ctx *m, size_t point, const double *v)
{
    return rp_rng_new(m->seed * 1000003u + (uint64_t)v[0] * 7919u +
                      (uint64_t)v[1] * 104729u + (unsigned)point);
}

/* Var((W x)_i) for W and x with N(0,1) entries, by Monte Carlo. */
static double xavier_c(const mup_ctx *m, size_t point, const double *v,
                       rp_status *st)
{
    size_t dout = (size_t)v[0], din = (size_t)v[1];
    size_t trials = (m->samples + dout - 1) / dout;
    rp_rng *g = point_rng(m, point, v);
    double *x = malloc((din + dout) * sizeof *x), *w = x + din;
    if (!g || !x) {
        rp_rng_free(g);
        free(x);
        *st = RP_ENOMEM;
        return 0;
    }
    double s1 = 0, s2 = 0;
    size_t n = 0;
    for (size_t t = 0; t < trials; t++) {
        /* Given x, the outputs y_i = w_i . x of independent N(0, 1) rows
         * w_i are independent N(0, |x|^2): drawn as |x| z_i, the same
         * distribution for din times fewer draws. */
        rp_rng_gauss_fill(g, 1.0, x, din);
        double nx = 0;
        for (size_t j = 0; j < din; j++)
            nx += x[j] * x[j];
        nx = sqrt(nx);
        rp_rng_gauss_fill(g, 1.0, w, dout);
        for (size_t i = 0; i < dout; i++) {
            double y = nx * w[i];
            s1 += y;
            s2 += y * y;
            n++;
        }
    }
    rp_rng_free(g);
    free(x);
    double var = (s2 - s1 * s1 / (double)n) / (double)(n - 1);
    return 1.0 / sqrt(var); /* c such that Var(c W x) = Var(x) = 1 */
}

/* The largest spectral norm of Delta W with ||c DW x||_rms <= 1 for every
 * x of RMS norm 1: the RMS-to-RMS gain of c DW is c ||DW||_2
 * sqrt(d_in / d_out), with ||DW||_2 of a random update by SVD. */
static double max_spectral(const mup_ctx *m, rp_arena *a, rp_rng *g, const double *v,
                           rp_status *st)
{
    size_t dout = (size_t)v[0], din = (size_t)v[1];
    double c = rp_monomial_eval(&m->c_fit, v);
    if (m->constraint == 1)
        return sqrt((double)dout) / c; /* the key's reading: ||c DW||_2 <= sqrt(d_out) */
    rp_mat dw;
    if ((*st = rp_mat_alloc(a, dout, din, &dw)) != RP_OK)
        return 0;
    rp_rng_gauss_fill(g, 1.0, dw.v, dout * din);
    double s;
    if ((*st = rp_mat_spectral_norm(&dw, &s)) != RP_OK)
        return 0;
    double gain = c * s * sqrt((double)din) / sqrt((double)dout);
    return s / gain;
}

/* A rank-1 gradient of a minibatch of one: delta x^T. */
static rp_status rank1(rp_arena *a, rp_rng *g, size_t dout, size_t din,
                       bool signs, rp_mat *out)
{
    rp_status st = rp_mat_alloc(a, dout, din, out);
    if (st != RP_OK)
        return st;
    double *u = rp_arena_alloc(a, (dout + din) * sizeof *u);
    if (!u)
        return RP_ENOMEM;
    rp_rng_gauss_fill(g, 1.0, u, dout + din);
    for (size_t i = 0; signs && i < dout + din; i++)
        u[i] = u[i] < 0 ? -1.0 : 1.0;
    for (size_t i = 0; i < dout; i++)
        for (size_t j = 0; j < din; j++)
            RP_MAT_AT(out, i, j) = u[i] * u[dout + j];
    return RP_OK;
}

static double mup_fn(void *vctx, size_t point, const double *v, rp_status *st)
{
    const mup_ctx *m = vctx;
    if (m->quantity == Q_XAVIER)
        return xavier_c(m, point, v, st);
    size_t dout = (size_t)v[0], din = (size_t)v[1];
    rp_arena *a = rp_arena_new((size_t)64 << 20);
    rp_rng *g = point_rng(m, point, v);
    double result = 0;
    if (!a || !g) {
        *st = RP_ENOMEM;
        goto done;
    }
    rp_mat gm, o, t;
    double s;
    switch (m->quantity) {
    case Q_SMAX:
        result = max_spectral(m, a, g, v, st);
        break;
    case Q_SIGN: /* alpha = s_max / ||sign(grad)||_2 */
        if ((*st = rank1(a, g, dout, din, false, &gm)) != RP_OK)
            break;
        for (size_t i = 0; i < dout * din; i++)
            gm.v[i] = gm.v[i] < 0 ? -1.0 : 1.0;
        if ((*st = rp_mat_spectral_norm(&gm, &s)) == RP_OK)
            result = max_spectral(m, a, g, v, st) / s;
        break;
    case Q_MUON: /* alpha = s_max / ||U V^T||_2 */
        if ((*st = rank1(a, g, dout, din, false, &gm)) != RP_OK ||
            (*st = rp_mat_orthogonalize(a, &gm, 0, &o, NULL)) != RP_OK ||
            (*st = rp_mat_spectral_norm(&o, &s)) != RP_OK)
            break;
        result = max_spectral(m, a, g, v, st) / s;
        break;
    case Q_BACKPROP:
    case Q_BEHAVIOR: /* gain of grad_x_n = c W^T grad_x_{n+1}, W rank-1, unit entries */
        if ((*st = rank1(a, g, dout, din, true, &gm)) != RP_OK ||
            (*st = rp_mat_transpose(a, &gm, &t)) != RP_OK)
            break;
        {
            double c = rp_monomial_eval(&m->c_fit, v);
            for (size_t i = 0; i < dout * din; i++)
                t.v[i] *= c;
        }
        if ((*st = rp_mat_spectral_norm(&t, &s)) == RP_OK)
            result = m->quantity == Q_BACKPROP ? 1.0 / s : s;
        break;
    }
done:
    rp_rng_free(g);
    rp_arena_free(a);
    return result;
}

static rp_status mup_solve(rp_solve_ctx *s, const cJSON *p, rp_answer *out)
{
    rp_arena *a = s->rubric->arena;
    mup_ctx m = {0};
    m.quantity = rp_json_enum(p, "quantity", mup_quantities);
    m.constraint = rp_json_enum(p, "constraint", mup_constraints);
    m.samples = (size_t)rp_json_int(p, "samples", 20000);
    m.seed = (uint64_t)rp_json_int(p, "seed", 4);
    const cJSON *os = cJSON_GetObjectItemCaseSensitive(p, "out_symbol");
    const cJSON *is = cJSON_GetObjectItemCaseSensitive(p, "in_symbol");
    rp_fit_var vars[2];
    rp_fit_range(s, p, cJSON_IsString(os) ? rp_arena_strdup(a, os->valuestring) : "d_{out}",
                 8, 96, false, &vars[0]);
    rp_fit_range(s, p, cJSON_IsString(is) ? rp_arena_strdup(a, is->valuestring) : "d_{in}",
                 8, 96, false, &vars[1]);
    vars[0].integer = vars[1].integer = true;
    rp_fit_opts fo = {0.05, 2, 8, m.seed, s->jobs};
    /* every quantity builds on the engine's own Xavier constant */
    int q = m.quantity;
    m.quantity = Q_XAVIER;
    char key[256];
    snprintf(key, sizeof key, "xavier|%zu|%llu|%s %g %g|%s %g %g", m.samples,
             (unsigned long long)m.seed, vars[0].name, vars[0].lo, vars[0].hi,
             vars[1].name, vars[1].lo, vars[1].hi);
    rp_status st = RP_OK;
    size_t hit = s->cache ? s->cache->n : 0;
    for (size_t i = 0; s->cache && i < s->cache->n; i++)
        if (strcmp(s->cache->key[i], key) == 0)
            hit = i;
    if (s->cache && hit < s->cache->n) {
        m.c_fit = s->cache->fit[hit];
    } else {
        st = rp_fit_monomial_points(vars, 2, mup_fn, &m, &fo, &m.c_fit);
        if (st != RP_OK)
            return rp_solve_fail(s, st, "mup: fitting the Xavier constant failed "
                                        "(worst misfit %.3g)", m.c_fit.max_rel_err);
        if (s->cache && s->cache->n < RP_SOLVE_CACHE) {
            memcpy(s->cache->key[s->cache->n], key, sizeof key);
            s->cache->fit[s->cache->n++] = m.c_fit;
        }
    }
    m.quantity = q;
    const char *how[] = {
        "Monte Carlo variance of W x with N(0,1) entries; c = 1/std",
        "largest spectral norm (SVD) keeping ||c dW x||_rms <= 1 for ||x||_rms = 1",
        "SignSGD on a rank-1 gradient: alpha = max spectral norm / ||sign(G)||_2 (SVD)",
        "Muon on a rank-1 gradient: alpha = max spectral norm / ||U V^T||_2 (SVD)",
        "backprop gain ||c W^T||_2 (SVD) for rank-1 unit-scaled W; multiplier = 1/gain",
        "backprop gain ||c W^T||_2 (SVD) for rank-1 unit-scaled W"};
    if (q == Q_BEHAVIOR) {
        rp_monomial gm;
        st = rp_fit_monomial_points(vars, 2, mup_fn, &m, &fo, &gm);
        if (st != RP_OK)
            return rp_solve_fail(s, st, "mup: fitting the backprop gain failed");
        char buf[256];
        rp_monomial_latex(&gm, buf, sizeof buf);
        double e = 0;
        for (size_t i = 0; i < 2; i++)
            e += (double)gm.num[i] / gm.den[i];
        const char *word = e > 0 ? "explode" : e < 0 ? "vanish" : "stay stable";
        out->kind = RP_ANS_TEXT;
        out->points = rp_arena_alloc(a, 2 * sizeof *out->points);
        out->patterns = rp_arena_alloc(a, 2 * sizeof *out->patterns);
        if (!out->points || !out->patterns)
            return RP_ENOMEM;
        out->points[0] = rp_arena_printf(
            a, "without adjustment the backpropagated gradients %s: each layer "
               "multiplies their norm by %s", word, buf);
        out->n_points = 1;
        out->patterns[0] = e > 0 ? "explod|blow(s|ing)? up|grow"
                                 : e < 0 ? "vanish|shrink|decay" : "stable";
        out->n_patterns = 1;
        out->derivation = rp_arena_printf(a, "%s = %s", how[q], buf);
        return RP_OK;
    }
    if (q == Q_XAVIER) {
        char buf[256];
        if (rp_monomial_latex(&m.c_fit, buf, sizeof buf) != RP_OK)
            return RP_ELIMIT;
        out->kind = RP_ANS_EXPR;
        out->latex = rp_arena_strdup(a, buf);
        out->derivation = rp_arena_printf(a, "%s; monomial fit over %zu sizes "
                                             "(worst misfit %.2g)",
                                          how[q], m.c_fit.n_points,
                                          m.c_fit.max_rel_err);
        return RP_OK;
    }
    st = rp_fit_to_answer(s, vars, 2, mup_fn, &m, &fo, out);
    if (st == RP_OK)
        out->derivation = rp_arena_printf(a, "%s%s; %s", how[q],
                                          m.constraint ? " (constraint read as "
                                                         "||c dW||_2 <= sqrt(d_out))"
                                                       : "",
                                          out->derivation);
    return st;
}

const rp_op rp_op_mup = {"mup", mup_validate, mup_solve};

/* ---------------------------------------------------- conv_grad_stats */

static const char *const grad_quantities[] = {"mean", "variance", "std_growth", NULL};
static const char *const distributions[] = {"uniform", "gauss", NULL};

static void grad_validate(rp_vctx *c, const cJSON *p)
{
    static const char *const keys[] = {"quantity", "distribution", "samples",
                                       "seed", "ranges", "symbols", NULL};
    rp_vkeys(c, p, keys);
    if (!cJSON_GetObjectItemCaseSensitive(p, "quantity"))
        rp_verr(c, "quantity: missing (required)");
    rp_venum(c, p, "quantity", grad_quantities, 0);
    rp_venum(c, p, "distribution", distributions, 0);
    rp_vint(c, p, "samples", false, 500, 50000, 4000);
    rp_vint(c, p, "seed", false, 0, 1L << 40, 0);
    rp_validate_ranges(c, p, 32); /* simulated sizes: keep solving fast */
    const cJSON *sy = rp_vobj(c, p, "symbols", false);
    if (sy) {
        size_t o = rp_vpush_key(c, "symbols");
        static const char *const sk[] = {"m", "k", "n", "sigma_x", "sigma_g", NULL};
        rp_vkeys(c, sy, sk);
        for (int i = 0; sk[i]; i++)
            rp_vstr(c, sy, sk[i], false);
        rp_vpop(c, o);
    }
}

typedef struct grad_ctx {
    bool gauss;
    size_t samples;
    uint64_t seed;
    bool want_std; /* the fitted value: the std of dw, else its variance */
} grad_ctx;

/* Sample statistics of dw at one point. */
typedef struct grad_stats {
    double mean;
    double var;
    double se; /* standard error of the mean */
} grad_stats;

/* n draws of the chosen distribution with standard deviation sigma. */
static void draw(rp_rng *r, bool gauss, double sigma, double *out, size_t n)
{
    if (gauss)
        rp_rng_gauss_fill(r, sigma, out, n);
    else
        rp_rng_uniform_sym_fill(r, sigma, out, n);
}

/* Sample statistics of dw = X (correlated with) dY for m = v[0], k = v[1],
 * sigma_x = v[2], sigma_g = v[3]: n = m + k - 1.  The random stream comes
 * from the point's index and values alone (see point_rng). */
static rp_status grad_sample(const grad_ctx *g, size_t point, const double *v,
                             grad_stats *out)
{
    rp_status st = RP_OK;
    size_t m = (size_t)v[0], k = (size_t)v[1], n = m + k - 1;
    double sx = v[2], sg = v[3];
    size_t trials = (g->samples + k * k - 1) / (k * k);
    rp_arena *a = rp_arena_new((size_t)256 << 20);
    rp_rng *r = rp_rng_new(g->seed * 1000003u + (uint64_t)(m * 131 + k) * 7919u +
                           (uint64_t)(sx * 1e6) + (uint64_t)(sg * 1e3) + (unsigned)point);
    rp_mat x, dy, dw;
    double s1 = 0, s2 = 0;
    size_t cnt = 0;
    if (!a || !r || rp_mat_alloc(a, n, n, &x) != RP_OK ||
        rp_mat_alloc(a, m, m, &dy) != RP_OK) {
        st = RP_ENOMEM;
        goto done;
    }
    rp_conv2d_opts o = {RP_CONV_CORRELATION, RP_PAD_ZERO, 0, 1};
    for (size_t t = 0; t < trials; t++) {
        draw(r, g->gauss, sx, x.v, n * n);
        draw(r, g->gauss, sg, dy.v, m * m);
        /* dw_{h,l} = sum_{i,j} dy_{i,j} x_{i+h-1, j+l-1} */
        if ((st = rp_conv2d(a, &x, &dy, &o, &dw)) != RP_OK)
            goto done;
        for (size_t i = 0; i < k * k; i++) {
            s1 += dw.v[i];
            s2 += dw.v[i] * dw.v[i];
            cnt++;
        }
    }
done:
    rp_rng_free(r);
    rp_arena_free(a);
    *out = (grad_stats){0, 0, 0};
    if (st != RP_OK || cnt < 2)
        return st;
    out->mean = s1 / (double)cnt;
    out->var = (s2 - s1 * s1 / (double)cnt) / (double)(cnt - 1);
    out->se = sqrt(out->var / (double)cnt);
    return RP_OK;
}

/* The fitted quantity at one point: the variance or the std of dw. */
static double grad_fn(void *vctx, size_t point, const double *v, rp_status *st)
{
    const grad_ctx *g = vctx;
    grad_stats gs;
    if ((*st = grad_sample(g, point, v, &gs)) != RP_OK)
        return 0;
    return g->want_std ? sqrt(gs.var) : gs.var;
}

/* The standard deviation as a function of m alone (k = 3, sigmas 1). */
static double growth_fn(void *vctx, size_t point, const double *v, rp_status *st)
{
    double full[4] = {v[0], 3, 1, 1};
    return grad_fn(vctx, point, full, st);
}

static const char *sym(rp_arena *a, const cJSON *p, const char *key,
                       const char *fallback)
{
    const cJSON *sy = cJSON_GetObjectItemCaseSensitive(p, "symbols");
    const cJSON *j = sy ? cJSON_GetObjectItemCaseSensitive(sy, key) : NULL;
    return cJSON_IsString(j) ? rp_arena_strdup(a, j->valuestring) : fallback;
}

static rp_status grad_solve(rp_solve_ctx *s, const cJSON *p, rp_answer *out)
{
    rp_arena *a = s->rubric->arena;
    grad_ctx g = {0};
    int q = rp_json_enum(p, "quantity", grad_quantities);
    g.gauss = rp_json_enum(p, "distribution", distributions) == 1;
    g.samples = (size_t)rp_json_int(p, "samples", 4000);
    g.seed = (uint64_t)rp_json_int(p, "seed", 7);
    rp_fit_var vars[4];
    rp_fit_range(s, p, sym(a, p, "m", "(n-k+1)"), 2, 16, false, &vars[0]);
    rp_fit_range(s, p, sym(a, p, "k", "k"), 1, 4, false, &vars[1]);
    rp_fit_range(s, p, sym(a, p, "sigma_x", "\\sigma_x"), 0.5, 2, false, &vars[2]);
    rp_fit_range(s, p, sym(a, p, "sigma_g", "\\sigma_g"), 0.5, 2, false, &vars[3]);
    vars[0].integer = vars[1].integer = true;
    vars[2].integer = vars[3].integer = false;
    const char *dist = g.gauss ? "Gaussian" : "uniform (not Gaussian)";
    if (q == 0) { /* mean: zero within the Monte Carlo error everywhere */
        double pts[3][4] = {{2, 1, 1, 1}, {8, 3, 0.5, 2}, {16, 4, 2, 0.5}};
        for (size_t i = 0; i < 3; i++) {
            grad_stats gs;
            rp_status st = grad_sample(&g, i, pts[i], &gs);
            if (st != RP_OK)
                return rp_solve_fail(s, st, "conv_grad_stats: %s", rp_strerror(st));
            if (fabs(gs.mean) > 5 * gs.se)
                return rp_solve_fail(s, RP_EEVAL, "the mean of dw is not zero "
                                                  "(%g, standard error %g)",
                                     gs.mean, gs.se);
        }
        out->kind = RP_ANS_EXPR;
        out->latex = "0";
        out->derivation = rp_arena_printf(a, "Monte Carlo mean of dw with %s "
                                             "inputs: zero within 5 standard errors",
                                          dist);
        return RP_OK;
    }
    rp_fit_opts fo = {0.15, 2, 8, g.seed, s->jobs};
    if (q == 1) {
        rp_status st = rp_fit_to_answer(s, vars, 4, grad_fn, &g, &fo, out);
        if (st == RP_OK)
            out->derivation = rp_arena_printf(a, "Monte Carlo variance of dw with "
                                                 "%s inputs; %s",
                                              dist, out->derivation);
        return st;
    }
    /* growth of the standard deviation with the image size n */
    g.want_std = true;
    rp_fit_var one = vars[0];
    one.lo = 4;
    one.hi = 48;
    rp_monomial mono;
    rp_status st = rp_fit_monomial_points(&one, 1, growth_fn, &g, &fo, &mono);
    if (st != RP_OK)
        return rp_solve_fail(s, st, "conv_grad_stats: growth fit failed");
    int num = mono.num[0], den = mono.den[0];
    const char *n = sym(a, p, "n", "n");
    out->kind = RP_ANS_EXPR;
    out->up_to_constant = true;
    if (num == den)
        out->latex = n;
    else if (den == 1)
        out->latex = rp_arena_printf(a, "%s^{%d}", n, num);
    else if (den == 2 && num == 1)
        out->latex = rp_arena_printf(a, "\\sqrt{%s}", n);
    else
        out->latex = rp_arena_printf(a, "%s^{\\frac{%d}{%d}}", n, num, den);
    out->derivation = rp_arena_printf(
        a, "Monte Carlo std of dw grows as %s^(%d/%d) (%s inputs), i.e. "
           "O(%s) in the image size",
        vars[0].name, num, den, dist, out->latex);
    return RP_OK;
}

const rp_op rp_op_conv_grad_stats = {"conv_grad_stats", grad_validate, grad_solve};
