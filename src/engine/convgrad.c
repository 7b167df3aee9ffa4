/*
 * Moments of a convolution layer's weight gradient under random inputs:
 * X and the upstream gradient dY are drawn with independent zero-mean
 * entries (Gaussian or uniform, given standard deviations), dW is their
 * valid correlation, and rp_mc_estimate takes the statistics of its
 * k*k entries over many draws.  Kernel size, deviations and sizes all come
 * from the caller; a fit over them gives the gradient's scaling law.
 */
#include "redpen/engine.h"

#include <stdlib.h>

/* Scratch of the draws of one estimate: the arena the correlations are
 * computed in and the two random matrices. */
typedef struct grad_draw {
    const rp_conv_grad_spec *s;
    rp_arena *a;
    rp_mat x, dy;
} grad_draw;

/* n draws of the spec's distribution with standard deviation sigma. */
static void draw(rp_rng *r, bool gauss, double sigma, double *out, size_t n)
{
    if (gauss)
        rp_rng_gauss_fill(r, sigma, out, n);
    else
        rp_rng_uniform_sym_fill(r, sigma, out, n);
}

/* One draw of X and dY; out receives the k*k entries of dW. */
static void grad_entries(void *ctx, rp_rng *r, double *out, size_t kk,
                         rp_status *st)
{
    grad_draw *d = ctx;
    const rp_conv_grad_spec *s = d->s;
    draw(r, s->gauss, s->sigma_x, d->x.v, d->x.rows * d->x.cols);
    draw(r, s->gauss, s->sigma_g, d->dy.v, s->m * s->m);
    rp_conv2d_opts o = {RP_CONV_CORRELATION, RP_PAD_ZERO, 0, 1};
    rp_mat dw;
    if ((*st = rp_conv2d(d->a, &d->x, &d->dy, &o, &dw)) != RP_OK)
        return;
    for (size_t i = 0; i < kk; i++)
        out[i] = dw.v[i];
}

rp_status rp_conv_grad_moments(const rp_conv_grad_spec *s, size_t point,
                               rp_mc_result *out)
{
    *out = (rp_mc_result){0, 0, 0, 0};
    if (s->m < 1 || s->m > 64 || s->k < 1 || s->k > 32 || !(s->sigma_x > 0) ||
        !(s->sigma_g > 0) || s->samples < 2)
        return RP_EINPUT;
    size_t m = s->m, k = s->k, n = m + k - 1;
    uint64_t seed = s->seed * 1000003u + (uint64_t)(m * 131 + k) * 7919u +
                    (uint64_t)(s->sigma_x * 1e6) + (uint64_t)(s->sigma_g * 1e3) +
                    (unsigned)point;
    grad_draw d = {s, rp_arena_new((size_t)256 << 20), {0}, {0}};
    rp_status st = RP_ENOMEM;
    if (d.a && rp_mat_alloc(d.a, n, n, &d.x) == RP_OK &&
        rp_mat_alloc(d.a, m, m, &d.dy) == RP_OK)
        st = rp_mc_estimate(grad_entries, &d, (s->samples + k * k - 1) / (k * k),
                                  k * k, seed, out);
    rp_arena_free(d.a);
    return st;
}
