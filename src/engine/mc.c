/*
 * Seeded, repeatable Monte Carlo: a thin wrapper over GSL's Mersenne
 * Twister and a sample-statistics loop (Welford's update, so long runs do
 * not lose precision), over draws of one value or of several at once (the
 * outputs of one random layer, the entries of one random gradient).
 */
#include "redpen/engine.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#define RP_MC_DEFAULT_SEED 20251209u
#define RP_MC_MAX_DRAWS ((size_t)1 << 26)

/* The Mersenne Twister MT19937 (Matsumoto and Nishimura, with their 2002
 * seeding), written out here so that the uniform draws are a few inlined
 * instructions instead of a call through gsl_rng's function pointer.  It
 * produces exactly the stream of GSL's gsl_rng_mt19937 for the same seed
 * (seed 0 is read as 4357, as GSL does), so every seeded estimate stays
 * what it was.  It is also registered as a gsl_rng_type, so GSL's
 * Gaussian ziggurat draws from the same stream. */
#define MT_N 624
#define MT_M 397

typedef struct mt_state {
    uint32_t mt[MT_N];  /* the state */
    uint32_t out[MT_N]; /* the state's words tempered: the output */
    size_t next;        /* index of the next output word; MT_N: regenerate */
} mt_state;

static void mt_seed(void *vstate, unsigned long s)
{
    mt_state *m = vstate;
    if (s == 0)
        s = 4357;
    m->mt[0] = (uint32_t)s;
    for (uint32_t i = 1; i < MT_N; i++)
        m->mt[i] = 1812433253u * (m->mt[i - 1] ^ (m->mt[i - 1] >> 30)) + i;
    m->next = MT_N;
}

/* Branch-free (the odd case masks the constant in), so the compiler can
 * regenerate several words per instruction. */
static uint32_t mt_twist(uint32_t a, uint32_t b, uint32_t c)
{
    uint32_t y = (a & 0x80000000u) | (b & 0x7fffffffu);
    return c ^ (y >> 1) ^ (0x9908b0dfu & (0u - (y & 1u)));
}

/* The output word of state word y. */
static inline uint32_t mt_temper(uint32_t y)
{
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    return y ^ (y >> 18);
}

/* The next MT_N words at once, tempered once for all readers.  The loops
 * run over fixed counts that are multiples of four (224 + 3 + 396 + 1
 * words), which lets the compiler twist and temper four words per
 * instruction: word k reads words k + 1 and k + 397 (not yet rewritten)
 * or k - 227 (rewritten), so four at a time read the same values as one
 * at a time. */
static void mt_refill(mt_state *m)
{
    uint32_t *mt = m->mt;
    for (size_t k = 0; k < 224; k++)
        mt[k] = mt_twist(mt[k], mt[k + 1], mt[k + MT_M]);
    for (size_t k = 224; k < MT_N - MT_M; k++)
        mt[k] = mt_twist(mt[k], mt[k + 1], mt[k + MT_M]);
    for (size_t k = MT_N - MT_M; k < MT_N - 1; k++)
        mt[k] = mt_twist(mt[k], mt[k + 1], mt[k + MT_M - MT_N]);
    mt[MT_N - 1] = mt_twist(mt[MT_N - 1], mt[0], mt[MT_M - 1]);
    for (size_t k = 0; k < MT_N; k++)
        m->out[k] = mt_temper(mt[k]);
    m->next = 0;
}

static inline uint32_t mt_next(mt_state *m)
{
    if (m->next >= MT_N)
        mt_refill(m);
    return m->out[m->next++];
}

static unsigned long mt_get(void *vstate)
{
    return mt_next(vstate);
}

/* [0, 1) in steps of 2^-32, as gsl_rng_uniform gives for mt19937 */
static inline double word_uniform(uint32_t word)
{
    return word / 4294967296.0;
}

static inline double mt_uniform(mt_state *m)
{
    return word_uniform(mt_next(m));
}

static double mt_get_double(void *vstate)
{
    return mt_uniform(vstate);
}

static const gsl_rng_type rp_mt19937 = {"rp-mt19937", 0xffffffffUL, 0,
                                        sizeof(mt_state), mt_seed, mt_get,
                                        mt_get_double};

struct rp_rng {
    gsl_rng *g;   /* over rp_mt19937, for GSL's samplers */
    mt_state *mt; /* g's state, for the inlined uniform draws */
};

rp_rng *rp_rng_new(uint64_t seed)
{
    rp_rng *r = malloc(sizeof *r);
    if (!r)
        return NULL;
    r->g = gsl_rng_alloc(&rp_mt19937);
    if (!r->g) {
        free(r);
        return NULL;
    }
    r->mt = r->g->state;
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
    return mt_uniform(r->mt);
}

static inline double word_uniform_sym(uint32_t word, double sigma)
{
    return (2.0 * word_uniform(word) - 1.0) * sqrt(3.0) * sigma;
}

double rp_rng_uniform_sym(rp_rng *r, double sigma)
{
    return word_uniform_sym(mt_next(r->mt), sigma);
}

void rp_rng_gauss_fill(rp_rng *r, double sigma, double *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i] = gsl_ran_gaussian_ziggurat(r->g, sigma);
}

/* A run of output words at a time: the words mt_next would give, one
 * after another, without its per-word bookkeeping. */
void rp_rng_uniform_sym_fill(rp_rng *r, double sigma, double *out, size_t n)
{
    mt_state *m = r->mt;
    for (size_t i = 0; i < n;) {
        if (m->next >= MT_N)
            mt_refill(m);
        size_t run = MT_N - m->next < n - i ? MT_N - m->next : n - i;
        const uint32_t *w = m->out + m->next;
        for (size_t k = 0; k < run; k++)
            out[i + k] = word_uniform_sym(w[k], sigma);
        m->next += run;
        i += run;
    }
}

rp_status rp_mc_estimate(rp_mc_draw_fn f, void *ctx, size_t draws, size_t k,
                         uint64_t seed, rp_mc_result *out)
{
    out->mean = out->var = out->stderr_mean = 0.0;
    out->n = 0;
    if (!f || k == 0 || draws == 0)
        return RP_EINPUT;
    if (draws > RP_MC_MAX_DRAWS || k > RP_MC_MAX_DRAWS / draws)
        return RP_ELIMIT;
    size_t n = draws * k;
    if (n < 2)
        return RP_EINPUT;
    double *vals = malloc(k * sizeof *vals);
    rp_rng *rng = rp_rng_new(seed);
    if (!rng || !vals) {
        rp_rng_free(rng);
        free(vals);
        return RP_ENOMEM;
    }
    double mean = 0.0, m2 = 0.0;
    size_t seen = 0;
    rp_status st = RP_OK;
    for (size_t d = 0; d < draws && st == RP_OK; d++) {
        f(ctx, rng, vals, k, &st);
        for (size_t i = 0; i < k && st == RP_OK; i++) {
            double x = vals[i];
            if (!isfinite(x)) {
                st = RP_EEVAL;
                break;
            }
            double dx = x - mean;
            mean += dx / (double)(++seen);
            m2 += dx * (x - mean);
        }
    }
    rp_rng_free(rng);
    free(vals);
    if (st != RP_OK)
        return st;
    out->n = n;
    out->mean = mean;
    out->var = m2 / (double)(n - 1);
    out->stderr_mean = sqrt(out->var / (double)n);
    return RP_OK;
}
