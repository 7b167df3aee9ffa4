/*
 * Seeded, repeatable Monte Carlo: a thin wrapper over GSL's Mersenne
 * Twister and a sample-statistics loop (Welford's update, so long runs do
 * not lose precision).
 */
#include "redpen/engine.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

#define RP_MC_DEFAULT_SEED 20251209u
#define RP_MC_MAX_DRAWS ((size_t)1 << 26)

struct rp_rng {
    gsl_rng *g;
};

rp_rng *rp_rng_new(uint64_t seed)
{
    rp_rng *r = malloc(sizeof *r);
    if (!r)
        return NULL;
    r->g = gsl_rng_alloc(gsl_rng_mt19937);
    if (!r->g) {
        free(r);
        return NULL;
    }
    /* mt19937 takes an unsigned long seed; fold the high half in */
    gsl_rng_set(r->g, (unsigned long)((seed ? seed : RP_MC_DEFAULT_SEED) ^
                                      (seed >> 32)));
    return r;
}

void rp_rng_free(rp_rng *r)
{
    if (!r)
        return;
    gsl_rng_free(r->g);
    free(r);
}

double rp_rng_gauss(rp_rng *r, double sigma)
{
    return gsl_ran_gaussian_ziggurat(r->g, sigma);
}

double rp_rng_uniform(rp_rng *r)
{
    return gsl_rng_uniform(r->g);
}

double rp_rng_uniform_sym(rp_rng *r, double sigma)
{
    return (2.0 * gsl_rng_uniform(r->g) - 1.0) * sqrt(3.0) * sigma;
}

rp_status rp_mc_estimate(rp_mc_draw_fn f, void *ctx, size_t n, uint64_t seed,
                         rp_mc_result *out)
{
    out->mean = out->var = out->stderr_mean = 0.0;
    out->n = 0;
    if (!f || n < 2)
        return RP_EINPUT;
    if (n > RP_MC_MAX_DRAWS)
        return RP_ELIMIT;
    rp_rng *rng = rp_rng_new(seed);
    if (!rng)
        return RP_ENOMEM;
    double mean = 0.0, m2 = 0.0;
    rp_status st = RP_OK;
    for (size_t i = 0; i < n; i++) {
        double x = f(ctx, rng, &st);
        if (st != RP_OK)
            break;
        if (!isfinite(x)) {
            st = RP_EEVAL;
            break;
        }
        double d = x - mean;
        mean += d / (double)(i + 1);
        m2 += d * (x - mean);
    }
    rp_rng_free(rng);
    if (st != RP_OK)
        return st;
    out->n = n;
    out->mean = mean;
    out->var = m2 / (double)(n - 1);
    out->stderr_mean = sqrt(out->var / (double)n);
    return RP_OK;
}
