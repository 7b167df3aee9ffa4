/*
 * The quantities scaling laws are fitted from, one size at a time:
 *  - a linear layer y = c W x with N(0,1) weights: the initialization
 *    constant c (Monte Carlo), the largest spectral norm of an update under
 *    a bound given by the caller, the SignSGD and orthogonalized (Muon)
 *    learning rates that reach it for a rank-1 gradient, and the gain of
 *    the backpropagated gradient (SVD of random matrices);
 *  - the cost of a sum of matrix products, counted.
 * The caller fits them over sizes with rp_fit_monomial_points; every value
 * depends on its point alone, so points may be computed concurrently.
 */
#include "redpen/engine.h"

#include <math.h>
#include <stdlib.h>

/* The random stream of one point of a fit: from the point's index and
 * sizes only, so that points can be computed in any order, at once, and
 * whether c came from a cache or not. */
static uint64_t point_seed(const rp_linear_spec *m, size_t point, const double *v)
{
    return m->seed * 1000003u + (uint64_t)v[0] * 7919u +
           (uint64_t)v[1] * 104729u + (unsigned)point;
}

/* Draws of (W x)_i for one x: the scratch for x and its size. */
typedef struct layer_draw {
    size_t din;
    double *x;
} layer_draw;

/* Given x, the outputs y_i = w_i . x of independent N(0, 1) rows w_i are
 * independent N(0, |x|^2): drawn as |x| z_i, the same distribution for din
 * times fewer draws.  out has the dout outputs of one layer. */
static void layer_outputs(void *ctx, rp_rng *g, double *out, size_t dout,
                          rp_status *st)
{
    (void)st;
    layer_draw *d = ctx;
    rp_rng_gauss_fill(g, 1.0, d->x, d->din);
    double nx = 0;
    for (size_t j = 0; j < d->din; j++)
        nx += d->x[j] * d->x[j];
    nx = sqrt(nx);
    rp_rng_gauss_fill(g, 1.0, out, dout);
    for (size_t i = 0; i < dout; i++)
        out[i] *= nx;
}

/* 1 / std of (W x)_i for W and x with N(0,1) entries: the c with
 * Var(c W x) = Var(x) = 1. */
static double init_const(const rp_linear_spec *m, size_t point, const double *v,
                         rp_status *st)
{
    size_t dout = (size_t)v[0];
    layer_draw d = {(size_t)v[1], malloc((size_t)v[1] * sizeof(double))};
    if (!d.x) {
        *st = RP_ENOMEM;
        return 0;
    }
    rp_mc_result r;
    *st = rp_mc_estimate(layer_outputs, &d, (m->samples + dout - 1) / dout,
                               dout, point_seed(m, point, v), &r);
    free(d.x);
    return *st == RP_OK ? 1.0 / sqrt(r.var) : 0;
}

/* The bound B of b at out = v[0], in = v[1]. */
static double bound_at(const rp_update_bound *b, const double *v)
{
    double x = b->factor;
    if (b->e_out != 0)
        x *= pow(v[0], b->e_out);
    if (b->e_in != 0)
        x *= pow(v[1], b->e_in);
    return x;
}

/* The largest spectral norm of dW the bound allows.  Under the RMS reading
 * the gain of c dW is c ||dW||_2 sqrt(in / out), with ||dW||_2 of a random
 * update by SVD. */
static double max_update(const rp_linear_spec *m, rp_arena *a, rp_rng *g,
                         const double *v, rp_status *st)
{
    size_t dout = (size_t)v[0], din = (size_t)v[1];
    double c = rp_monomial_eval(&m->c, v);
    double b = bound_at(&m->bound, v);
    if (m->bound.norm == RP_UPDATE_SPECTRAL)
        return b / c;
    rp_mat dw;
    if ((*st = rp_mat_alloc(a, dout, din, &dw)) != RP_OK)
        return 0;
    rp_rng_gauss_fill(g, 1.0, dw.v, dout * din);
    double s;
    if ((*st = rp_mat_spectral_norm(&dw, &s)) != RP_OK)
        return 0;
    double gain = c * s * sqrt((double)din) / sqrt((double)dout);
    return b * s / gain;
}

/* A rank-1 gradient of a minibatch of one: delta x^T (entries +-1 when
 * signs). */
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

/* The quantities computed from random matrices of one point. */
static double from_matrices(const rp_linear_spec *m, rp_arena *a, rp_rng *g,
                            const double *v, rp_status *st)
{
    size_t dout = (size_t)v[0], din = (size_t)v[1];
    rp_mat gm, o, t;
    double s;
    switch (m->quantity) {
    case RP_LINEAR_MAX_UPDATE:
        return max_update(m, a, g, v, st);
    case RP_LINEAR_SIGN_LR: /* alpha = max update / ||sign(grad)||_2 */
        if ((*st = rank1(a, g, dout, din, false, &gm)) != RP_OK)
            return 0;
        for (size_t i = 0; i < dout * din; i++)
            gm.v[i] = gm.v[i] < 0 ? -1.0 : 1.0;
        if ((*st = rp_mat_spectral_norm(&gm, &s)) != RP_OK)
            return 0;
        return max_update(m, a, g, v, st) / s;
    case RP_LINEAR_ORTHO_LR: /* alpha = max update / ||U V^T||_2 */
        if ((*st = rank1(a, g, dout, din, false, &gm)) != RP_OK ||
            (*st = rp_mat_orthogonalize(a, &gm, 0, &o, NULL)) != RP_OK ||
            (*st = rp_mat_spectral_norm(&o, &s)) != RP_OK)
            return 0;
        return max_update(m, a, g, v, st) / s;
    case RP_LINEAR_BACKPROP_GAIN:
    case RP_LINEAR_BACKPROP_MULT: /* grad_x_n = c W^T grad_x_{n+1} */
        if ((*st = rank1(a, g, dout, din, true, &gm)) != RP_OK ||
            (*st = rp_mat_transpose(a, &gm, &t)) != RP_OK)
            return 0;
        {
            double c = rp_monomial_eval(&m->c, v);
            for (size_t i = 0; i < dout * din; i++)
                t.v[i] *= c;
        }
        if ((*st = rp_mat_spectral_norm(&t, &s)) != RP_OK)
            return 0;
        return m->quantity == RP_LINEAR_BACKPROP_MULT ? 1.0 / s : s;
    case RP_LINEAR_INIT_CONST:
        break;
    }
    *st = RP_EINPUT;
    return 0;
}

double rp_linear_at(void *spec, size_t point, const double *v, rp_status *st)
{
    const rp_linear_spec *m = spec;
    if (m->quantity == RP_LINEAR_INIT_CONST)
        return init_const(m, point, v, st);
    rp_arena *a = rp_arena_new((size_t)64 << 20);
    rp_rng *g = rp_rng_new(point_seed(m, point, v));
    double result = 0;
    if (!a || !g)
        *st = RP_ENOMEM;
    else
        result = from_matrices(m, a, g, v, st);
    rp_rng_free(g);
    rp_arena_free(a);
    return result;
}

double rp_matmul_cost_at(void *spec, size_t point, const double *v,
                         rp_status *st)
{
    (void)point;
    (void)st;
    const rp_matmul_cost_spec *c = spec;
    double total = 0.0;
    for (size_t i = 0; i < c->n_prod; i++)
        total += v[c->dims[i][0]] * v[c->dims[i][1]] * v[c->dims[i][2]];
    return c->const_idx >= 0 ? v[c->const_idx] * total : total;
}
