/*
 * Rubric operations whose answers are scaling laws: each reads and
 * validates its params, has the engine compute the quantity at many sizes
 * (src/engine/scaling.c, convgrad.c: counting, SVD, seeded Monte Carlo),
 * fits a monomial and writes the answer.  Every symbol, bound, kernel size,
 * deviation and probe point comes from the params; defaults here are only
 * the engine's sampling choices (ranges, samples, seeds).
 *  - matmul_cost: runtime c*m*n*p summed over a list of matrix products;
 *  - linear_scaling: quantities of a linear layer y = c W x with N(0,1)
 *    weights (initialization constant c, the largest spectral norm of an
 *    update under a given bound, SignSGD and Muon learning rates, the
 *    backpropagated gain and whether gradients explode);
 *  - conv_grad_moments: mean, variance and growth of a convolution's
 *    weight gradient with random inputs and upstream gradients.
 */
#include "rubric_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Is j a pair [lo, hi] with 0 < lo < hi <= max_hi? */
static bool range_ok(const cJSON *j, double max_hi)
{
    return cJSON_IsArray(j) && cJSON_GetArraySize(j) == 2 &&
           cJSON_IsNumber(j->child) && cJSON_IsNumber(j->child->next) &&
           j->child->valuedouble > 0 &&
           j->child->next->valuedouble > j->child->valuedouble &&
           j->child->next->valuedouble <= max_hi;
}

void rp_validate_ranges(rp_vctx *c, const cJSON *params, double max_hi)
{
    const cJSON *r = rp_vobj(c, params, "ranges", false);
    for (const cJSON *k = r ? r->child : NULL; k; k = k->next) {
        if (!range_ok(k, max_hi)) {
            size_t o = rp_vpush_key(c, "ranges");
            size_t o2 = rp_vpush_key(c, k->string);
            rp_verr(c, "expected [lo, hi] with 0 < lo < hi <= %g", max_hi);
            rp_vpop(c, o2);
            rp_vpop(c, o);
        }
    }
}

/* Validate params[key] (an object) whose members named in keys are
 * symbols (strings); those in need are required, each error naming why. */
static void validate_symbols(rp_vctx *c, const cJSON *p, const char *key,
                             const char *const *keys, const char *const *need,
                             const char *why)
{
    if (need && need[0] && !rp_vneed(c, p, key, why))
        return;
    const cJSON *sy = rp_vobj(c, p, key, false);
    if (!sy)
        return;
    size_t o = rp_vpush_key(c, key);
    rp_vkeys(c, sy, keys);
    for (size_t i = 0; keys[i]; i++)
        rp_vstr(c, sy, keys[i], false);
    for (size_t i = 0; need && need[i]; i++)
        rp_vneed(c, sy, need[i], why);
    rp_vpop(c, o);
}

/* obj[key], a number > 0, reported at path.key when it is not. */
static void validate_positive(rp_vctx *c, const cJSON *obj, const char *key,
                              bool required)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (rp_vnum(c, obj, key, required, 1) > 0 || !cJSON_IsNumber(j))
        return;
    size_t o = rp_vpush_key(c, key);
    rp_verr(c, "expected a positive number, got %g", j->valuedouble);
    rp_vpop(c, o);
}

/* params[key][name] copied to the arena (validated present). */
static const char *symbol(rp_arena *a, const cJSON *p, const char *key,
                          const char *name)
{
    const cJSON *sy = cJSON_GetObjectItemCaseSensitive(p, key);
    const cJSON *j = sy ? cJSON_GetObjectItemCaseSensitive(sy, name) : NULL;
    return cJSON_IsString(j) ? rp_arena_strdup(a, j->valuestring) : NULL;
}

/* p[key] as a number, or fallback when absent. */
static double json_num(const cJSON *p, const char *key, double fallback)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(p, key);
    return cJSON_IsNumber(j) ? j->valuedouble : fallback;
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
    const cJSON *prods = rp_varr(c, p, "products", true, RP_MATMUL_MAX_PRODUCTS);
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
    rp_matmul_cost_spec c = {.const_idx = -1};
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
    for (const cJSON *e = prods->child; e && c.n_prod < RP_MATMUL_MAX_PRODUCTS; e = e->next) {
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
            c.dims[c.n_prod][k] = ix;
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
            c.dims[i][k] = (int)inv[c.dims[i][k]];
    if (c.const_idx >= 0)
        c.const_idx = (int)inv[c.const_idx];
    rp_status st = rp_fit_to_answer(s, sorted, nv, rp_matmul_cost_at, &c, NULL, out);
    if (st == RP_OK)
        out->derivation = rp_arena_printf(
            s->rubric->arena, "cost c*m*n*p summed over %zu matrix products, %s",
            c.n_prod, out->derivation);
    return st;
}

const rp_op rp_op_matmul_cost = {"matmul_cost", cost_validate, cost_solve, false};

/* ----------------------------------------------------- linear_scaling */

static const char *const lin_quantities[] = {
    "xavier_c", "max_spectral_norm", "signsgd_lr", "muon_lr",
    "backprop_multiplier", "backprop_behavior", NULL};
enum { Q_XAVIER, Q_SMAX, Q_SIGN, Q_MUON, Q_BACKPROP, Q_BEHAVIOR };
static const rp_linear_qty lin_engine_qty[] = {
    RP_LINEAR_INIT_CONST, RP_LINEAR_MAX_UPDATE, RP_LINEAR_SIGN_LR,
    RP_LINEAR_ORTHO_LR, RP_LINEAR_BACKPROP_MULT, RP_LINEAR_BACKPROP_GAIN};
static const char *const norms[] = {"rms", "spectral", NULL};
static const char *const lin_symbols[] = {"out", "in", NULL};
/* how the backpropagated gain changes with size: its exponents' sum > 0,
 * < 0 or 0 */
static const char *const trends[] = {"grow", "shrink", "steady", NULL};

static void lin_validate(rp_vctx *c, const cJSON *p)
{
    static const char *const keys[] = {"quantity", "symbols", "constraint",
                                       "behavior_words", "samples", "seed",
                                       "ranges", NULL};
    rp_vkeys(c, p, keys);
    rp_vneed(c, p, "quantity", NULL);
    int q = rp_venum(c, p, "quantity", lin_quantities, -1);
    validate_symbols(c, p, "symbols", lin_symbols, lin_symbols,
                     "for the symbols of the layer's output and input sizes");
    /* the bound on an update: needed by the quantities that reach it */
    bool need = q == Q_SMAX || q == Q_SIGN || q == Q_MUON;
    const cJSON *cs = rp_vobj(c, p, "constraint", false);
    if (need && !cs)
        rp_vneed(c, p, "constraint",
                 rp_arena_printf(c->arena, "for quantity %s: how an update is "
                                           "bounded", lin_quantities[q]));
    if (cs) {
        size_t o = rp_vpush_key(c, "constraint");
        static const char *const ck[] = {"norm", "factor", "out", "in", NULL};
        rp_vkeys(c, cs, ck);
        rp_vneed(c, cs, "norm", "for the norm bounded: rms or spectral");
        rp_venum(c, cs, "norm", norms, 0);
        validate_positive(c, cs, "factor", true);
        rp_vnum(c, cs, "out", false, 0);
        rp_vnum(c, cs, "in", false, 0);
        rp_vpop(c, o);
    }
    /* the words a text answer about the gain says and is matched by */
    if (q == Q_BEHAVIOR)
        rp_vneed(c, p, "behavior_words",
                 "for quantity backprop_behavior: {grow, shrink, steady: "
                 "{word, pattern}}");
    const cJSON *bw = rp_vobj(c, p, "behavior_words", false);
    if (bw) {
        size_t o = rp_vpush_key(c, "behavior_words");
        rp_vkeys(c, bw, trends);
        for (size_t i = 0; trends[i]; i++) {
            const cJSON *t = rp_vobj(c, bw, trends[i], true);
            size_t o2 = rp_vpush_key(c, trends[i]);
            static const char *const tk[] = {"word", "pattern", NULL};
            rp_vkeys(c, t, tk);
            rp_vstr(c, t, "word", t != NULL);
            rp_vstr(c, t, "pattern", t != NULL);
            rp_vpop(c, o2);
        }
        rp_vpop(c, o);
    }
    rp_vint(c, p, "samples", false, 1000, 200000, 20000);
    rp_vint(c, p, "seed", false, 0, 1L << 40, 0);
    rp_validate_ranges(c, p, 1024); /* simulated sizes: keep solving fast */
}

/* The constraint's bound as text: "1", "2 m^{0.5}". */
static const char *bound_text(rp_arena *a, const rp_update_bound *b,
                              const rp_fit_var *vars)
{
    const char *t = rp_arena_printf(a, "%g", b->factor);
    double e[2] = {b->e_out, b->e_in};
    for (size_t i = 0; i < 2; i++)
        if (e[i] != 0)
            t = b->factor == 1 && t[0] == '1' && t[1] == '\0'
                    ? rp_arena_printf(a, "%s^{%g}", vars[i].name, e[i])
                    : rp_arena_printf(a, "%s %s^{%g}", t, vars[i].name, e[i]);
    return t;
}

/* The engine's c(out, in), fitted once per rubric for the same symbols,
 * ranges, samples and seed (every quantity scales by it). */
static rp_status lin_init_const(rp_solve_ctx *s, rp_linear_spec *m,
                                const rp_fit_var *vars, const rp_fit_opts *fo)
{
    char key[256];
    snprintf(key, sizeof key, "xavier|%zu|%llu|%s %g %g|%s %g %g", m->samples,
             (unsigned long long)m->seed, vars[0].name, vars[0].lo, vars[0].hi,
             vars[1].name, vars[1].lo, vars[1].hi);
    for (size_t i = 0; s->cache && i < s->cache->n; i++)
        if (strcmp(s->cache->key[i], key) == 0) {
            m->c = s->cache->fit[i];
            return RP_OK;
        }
    rp_linear_spec init = *m;
    init.quantity = RP_LINEAR_INIT_CONST;
    rp_status st = rp_fit_monomial_points(vars, 2, rp_linear_at, &init, fo, &m->c);
    if (st != RP_OK)
        return rp_solve_fail(s, st, "linear_scaling: fitting the Xavier constant "
                                    "failed (worst misfit %.3g)", m->c.max_rel_err);
    if (s->cache && s->cache->n < RP_SOLVE_CACHE) {
        memcpy(s->cache->key[s->cache->n], key, sizeof key);
        s->cache->fit[s->cache->n++] = m->c;
    }
    return RP_OK;
}

/* backprop_behavior: a text answer saying whether the fitted gain makes
 * gradients grow, shrink or stay steady across layers, in the words and
 * pattern params.behavior_words gives for that trend. */
static rp_status lin_behavior(rp_solve_ctx *s, const cJSON *p, rp_linear_spec *m,
                              const rp_fit_var *vars, const rp_fit_opts *fo,
                              const char *how, rp_answer *out)
{
    rp_arena *a = s->rubric->arena;
    rp_monomial gm;
    rp_status st = rp_fit_monomial_points(vars, 2, rp_linear_at, m, fo, &gm);
    if (st != RP_OK)
        return rp_solve_fail(s, st, "linear_scaling: fitting the backprop gain failed");
    char buf[256];
    rp_monomial_latex(&gm, buf, sizeof buf);
    double e = 0;
    for (size_t i = 0; i < 2; i++)
        e += (double)gm.num[i] / gm.den[i];
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(p, "behavior_words"),
        trends[e > 0 ? 0 : e < 0 ? 1 : 2]);
    const char *word = cJSON_GetObjectItemCaseSensitive(t, "word")->valuestring;
    out->kind = RP_ANS_TEXT;
    out->points = rp_arena_alloc(a, 2 * sizeof *out->points);
    out->patterns = rp_arena_alloc(a, 2 * sizeof *out->patterns);
    if (!out->points || !out->patterns)
        return RP_ENOMEM;
    out->points[0] = rp_arena_printf(
        a, "without adjustment the backpropagated gradients %s: each layer "
           "multiplies their norm by %s", word, buf);
    out->n_points = 1;
    out->patterns[0] = rp_arena_strdup(
        a, cJSON_GetObjectItemCaseSensitive(t, "pattern")->valuestring);
    if (!out->points[0] || !out->patterns[0])
        return RP_ENOMEM;
    out->n_patterns = 1;
    out->derivation = rp_arena_printf(a, "%s = %s", how, buf);
    return RP_OK;
}

static rp_status lin_solve(rp_solve_ctx *s, const cJSON *p, rp_answer *out)
{
    rp_arena *a = s->rubric->arena;
    int q = rp_json_enum(p, "quantity", lin_quantities);
    rp_linear_spec m = {0};
    m.quantity = lin_engine_qty[q];
    m.samples = (size_t)rp_json_int(p, "samples", 20000);
    m.seed = (uint64_t)rp_json_int(p, "seed", 4);
    const cJSON *cs = cJSON_GetObjectItemCaseSensitive(p, "constraint");
    m.bound = (rp_update_bound){
        rp_json_enum(cs, "norm", norms) ? RP_UPDATE_SPECTRAL : RP_UPDATE_RMS_GAIN,
        json_num(cs, "factor", 1), json_num(cs, "out", 0), json_num(cs, "in", 0)};
    rp_fit_var vars[2];
    rp_fit_range(s, p, symbol(a, p, "symbols", "out"), 8, 96, false, &vars[0]);
    rp_fit_range(s, p, symbol(a, p, "symbols", "in"), 8, 96, false, &vars[1]);
    if (!vars[0].name || !vars[1].name)
        return RP_ENOMEM;
    vars[0].integer = vars[1].integer = true;
    rp_fit_opts fo = {0.05, 2, 8, m.seed, s->jobs};
    /* the work before doing it: a fit samples 16 sizes (each variable at 4,
     * then 8 random points) up to the ranges' tops; each draws the samples
     * of W x, and every quantity but the constant takes an SVD there */
    double pts = 4.0 * 2 + fo.n_random, ho = vars[0].hi, hi = vars[1].hi;
    double work = pts * (double)m.samples * hi + (q == Q_XAVIER ? 0 : pts * ho * hi * fmin(ho, hi));
    rp_status st = rp_solve_charge(s, work, rp_arena_printf(a, "linear_scaling %s at sizes up to "
                                                               "%gx%g", lin_quantities[q], ho, hi));
    if (st != RP_OK)
        return st;
    st = lin_init_const(s, &m, vars, &fo);
    if (st != RP_OK)
        return st;
    const char *bound = bound_text(a, &m.bound, vars);
    const char *how[] = {
        "Monte Carlo variance of W x with N(0,1) entries; c = 1/std",
        m.bound.norm == RP_UPDATE_SPECTRAL
            ? rp_arena_printf(a, "largest spectral norm keeping ||c dW||_2 <= %s", bound)
            : rp_arena_printf(a, "largest spectral norm (SVD) keeping ||c dW x||_rms "
                                 "<= %s for ||x||_rms = 1", bound),
        "SignSGD on a rank-1 gradient: alpha = max spectral norm / ||sign(G)||_2 (SVD)",
        "Muon on a rank-1 gradient: alpha = max spectral norm / ||U V^T||_2 (SVD)",
        "backprop gain ||c W^T||_2 (SVD) for rank-1 unit-scaled W; multiplier = 1/gain",
        "backprop gain ||c W^T||_2 (SVD) for rank-1 unit-scaled W"};
    if (q == Q_BEHAVIOR)
        return lin_behavior(s, p, &m, vars, &fo, how[q], out);
    if (q == Q_XAVIER) {
        char buf[256];
        if (rp_monomial_latex(&m.c, buf, sizeof buf) != RP_OK)
            return RP_ELIMIT;
        out->kind = RP_ANS_EXPR;
        out->latex = rp_arena_strdup(a, buf);
        out->derivation = rp_arena_printf(a, "%s; monomial fit over %zu sizes "
                                             "(worst misfit %.2g)",
                                          how[q], m.c.n_points, m.c.max_rel_err);
        return RP_OK;
    }
    st = rp_fit_to_answer(s, vars, 2, rp_linear_at, &m, &fo, out);
    if (st == RP_OK)
        out->derivation = rp_arena_printf(
            a, "%s%s; %s", how[q],
            m.bound.norm == RP_UPDATE_SPECTRAL && q != Q_SMAX
                ? rp_arena_printf(a, " (constraint read as ||c dW||_2 <= %s)", bound)
                : "",
            out->derivation);
    return st;
}

const rp_op rp_op_linear_scaling = {"linear_scaling", lin_validate, lin_solve, false};

/* -------------------------------------------------- conv_grad_moments */

static const char *const grad_quantities[] = {"mean", "variance", "std_growth", NULL};
enum { G_MEAN, G_VARIANCE, G_GROWTH };
static const char *const distributions[] = {"uniform", "gauss", NULL};
/* the fit variables of the variance, in this order */
static const char *const grad_vars[] = {"m", "k", "sigma_x", "sigma_g", NULL};

/* Validate a point {m, k, sigma_x, sigma_g}; without with_m, the fixed
 * values {k, sigma_x, sigma_g} of the growth fit (whose "m" is a range). */
static void validate_point(rp_vctx *c, const cJSON *pt, bool with_m)
{
    static const char *const growth_keys[] = {"k", "sigma_x", "sigma_g", "m", NULL};
    rp_vkeys(c, pt, with_m ? grad_vars : growth_keys);
    if (with_m)
        rp_vint(c, pt, "m", true, 1, 64, 1);
    rp_vint(c, pt, "k", true, 1, 32, 1);
    for (size_t i = 2; i < 4; i++)
        validate_positive(c, pt, grad_vars[i], true);
}

static void grad_validate(rp_vctx *c, const cJSON *p)
{
    static const char *const keys[] = {"quantity", "distribution", "symbols",
                                       "probe_points", "growth", "samples",
                                       "seed", "ranges", NULL};
    static const char *const sk[] = {"m", "k", "n", "sigma_x", "sigma_g", NULL};
    static const char *const need_var[] = {"m", "k", "sigma_x", "sigma_g", NULL};
    static const char *const need_growth[] = {"m", "n", NULL};
    rp_vkeys(c, p, keys);
    rp_vneed(c, p, "quantity", NULL);
    int q = rp_venum(c, p, "quantity", grad_quantities, -1);
    rp_vneed(c, p, "distribution", "for the inputs' distribution: uniform or gauss");
    rp_venum(c, p, "distribution", distributions, 0);
    validate_symbols(c, p, "symbols", sk,
                     q == G_VARIANCE ? need_var : q == G_GROWTH ? need_growth : NULL,
                     q == G_VARIANCE ? "for quantity variance"
                                     : "for quantity std_growth");
    if (q == G_MEAN)
        rp_vneed(c, p, "probe_points",
                 "for quantity mean: the points {m, k, sigma_x, sigma_g} it is checked at");
    const cJSON *pts = rp_varr(c, p, "probe_points", false, 16);
    size_t o = rp_vpush_key(c, "probe_points");
    size_t i = 0;
    if (pts && cJSON_GetArraySize(pts) == 0)
        rp_verr(c, "expected at least one point {m, k, sigma_x, sigma_g}");
    for (const cJSON *e = pts ? pts->child : NULL; e; e = e->next, i++) {
        size_t o2 = rp_vpush_index(c, i);
        if (!cJSON_IsObject(e))
            rp_verr(c, "expected a point {m, k, sigma_x, sigma_g}");
        else
            validate_point(c, e, true);
        rp_vpop(c, o2);
    }
    rp_vpop(c, o);
    if (q == G_GROWTH)
        rp_vneed(c, p, "growth",
                 "for quantity std_growth: {k, sigma_x, sigma_g, m: [lo, hi]}");
    const cJSON *g = rp_vobj(c, p, "growth", false);
    if (g) {
        o = rp_vpush_key(c, "growth");
        validate_point(c, g, false);
        if (rp_vneed(c, g, "m", "for the range [lo, hi] of m the growth is fitted over") &&
            !range_ok(cJSON_GetObjectItemCaseSensitive(g, "m"), 64)) {
            size_t o2 = rp_vpush_key(c, "m");
            rp_verr(c, "expected [lo, hi] with 0 < lo < hi <= 64");
            rp_vpop(c, o2);
        }
        rp_vpop(c, o);
    }
    rp_vint(c, p, "samples", false, 500, 50000, 4000);
    rp_vint(c, p, "seed", false, 0, 1L << 40, 0);
    rp_validate_ranges(c, p, 32); /* simulated sizes: keep solving fast */
}

typedef struct grad_ctx {
    rp_conv_grad_spec spec; /* distribution, samples and seed */
    bool want_std;          /* the fitted value: the std of dw, else its variance */
    double fixed[3];        /* k, sigma_x, sigma_g of the growth fit */
} grad_ctx;

/* The engine's moments of dw at m = v[0], k = v[1], sigma_x = v[2],
 * sigma_g = v[3]. */
static rp_status grad_moments(const grad_ctx *g, size_t point, const double *v,
                              rp_mc_result *out)
{
    rp_conv_grad_spec s = g->spec;
    s.m = (size_t)v[0];
    s.k = (size_t)v[1];
    s.sigma_x = v[2];
    s.sigma_g = v[3];
    return rp_conv_grad_moments(&s, point, out);
}

/* The fitted quantity at one point: the variance or the std of dw. */
static double grad_fn(void *vctx, size_t point, const double *v, rp_status *st)
{
    const grad_ctx *g = vctx;
    rp_mc_result r;
    if ((*st = grad_moments(g, point, v, &r)) != RP_OK)
        return 0;
    return g->want_std ? sqrt(r.var) : r.var;
}

/* The standard deviation as a function of m alone (the growth's fixed
 * kernel size and deviations). */
static double growth_fn(void *vctx, size_t point, const double *v, rp_status *st)
{
    const grad_ctx *g = vctx;
    double full[4] = {v[0], g->fixed[0], g->fixed[1], g->fixed[2]};
    return grad_fn(vctx, point, full, st);
}

/* mean: zero within 5 standard errors at every probe point. */
static rp_status grad_mean(rp_solve_ctx *s, const grad_ctx *g, const cJSON *p,
                           const char *dist, rp_answer *out)
{
    const cJSON *pts = cJSON_GetObjectItemCaseSensitive(p, "probe_points");
    size_t i = 0;
    for (const cJSON *e = pts->child; e; e = e->next, i++) {
        double v[4];
        for (size_t k = 0; k < 4; k++)
            v[k] = json_num(e, grad_vars[k], 1);
        rp_mc_result r;
        rp_status st = grad_moments(g, i, v, &r);
        if (st != RP_OK)
            return rp_solve_fail(s, st, "conv_grad_moments: %s", rp_strerror(st));
        if (fabs(r.mean) > 5 * r.stderr_mean)
            return rp_solve_fail(s, RP_EEVAL, "the mean of dw is not zero "
                                              "(%g, standard error %g)",
                                 r.mean, r.stderr_mean);
    }
    out->kind = RP_ANS_EXPR;
    out->latex = "0";
    out->derivation = rp_arena_printf(s->rubric->arena,
                                      "Monte Carlo mean of dw with %s "
                                      "inputs: zero within 5 standard errors",
                                      dist);
    return RP_OK;
}

/* std_growth: the std of dw fitted over m alone (kernel size and
 * deviations fixed by params.growth), written in the image size's symbol
 * up to a constant. */
static rp_status grad_growth(rp_solve_ctx *s, grad_ctx *g, const cJSON *p,
                             const rp_fit_opts *fo, const char *dist,
                             rp_answer *out)
{
    rp_arena *a = s->rubric->arena;
    const cJSON *gr = cJSON_GetObjectItemCaseSensitive(p, "growth");
    const cJSON *mr = cJSON_GetObjectItemCaseSensitive(gr, "m");
    g->want_std = true;
    for (size_t i = 0; i < 3; i++)
        g->fixed[i] = json_num(gr, grad_vars[i + 1], 1);
    rp_fit_var one = {symbol(a, p, "symbols", "m"),
                      cJSON_GetArrayItem(mr, 0)->valuedouble,
                      cJSON_GetArrayItem(mr, 1)->valuedouble, true};
    const char *n = symbol(a, p, "symbols", "n");
    if (!one.name || !n)
        return RP_ENOMEM;
    rp_monomial mono;
    rp_status st = rp_fit_monomial_points(&one, 1, growth_fn, g, fo, &mono);
    if (st != RP_OK)
        return rp_solve_fail(s, st, "conv_grad_moments: growth fit failed");
    int num = mono.num[0], den = mono.den[0];
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
        one.name, num, den, dist, out->latex);
    return RP_OK;
}

static rp_status grad_solve(rp_solve_ctx *s, const cJSON *p, rp_answer *out)
{
    rp_arena *a = s->rubric->arena;
    grad_ctx g = {0};
    int q = rp_json_enum(p, "quantity", grad_quantities);
    g.spec.gauss = rp_json_enum(p, "distribution", distributions) == 1;
    g.spec.samples = (size_t)rp_json_int(p, "samples", 4000);
    g.spec.seed = (uint64_t)rp_json_int(p, "seed", 7);
    const char *dist = g.spec.gauss ? "Gaussian" : "uniform (not Gaussian)";
    if (q == G_MEAN)
        return grad_mean(s, &g, p, dist, out);
    rp_fit_opts fo = {0.15, 2, 8, g.spec.seed, s->jobs};
    if (q == G_VARIANCE) {
        rp_fit_var vars[4];
        static const double lo[] = {2, 1, 0.5, 0.5}, hi[] = {16, 4, 2, 2};
        for (size_t i = 0; i < 4; i++) {
            rp_fit_range(s, p, symbol(a, p, "symbols", grad_vars[i]), lo[i], hi[i],
                         false, &vars[i]);
            vars[i].integer = i < 2;
            if (!vars[i].name)
                return RP_ENOMEM;
        }
        rp_status st = rp_fit_to_answer(s, vars, 4, grad_fn, &g, &fo, out);
        if (st == RP_OK)
            out->derivation = rp_arena_printf(a, "Monte Carlo variance of dw with "
                                                 "%s inputs; %s",
                                              dist, out->derivation);
        return st;
    }
    return grad_growth(s, &g, p, &fo, dist, out);
}

const rp_op rp_op_conv_grad_moments = {"conv_grad_moments", grad_validate,
                                       grad_solve, false};
