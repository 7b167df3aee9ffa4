/*
 * Compiled evaluation of one side of a comparison (prog.c): a resolved
 * scalar tree is turned once into a flat register program that is run at
 * many random points in one pass, each instruction looping over the points
 * (and, inside a sum, over a block of the sum's terms).  It computes the
 * very same floating-point operations in the same order as ex_fast(), so
 * its values are bit for bit those of the tree walk; what it does not
 * support (cases, matrices, unknown functions) is not compiled, and a point
 * where a sum could fail (budget, infinite bounds) is left to the tree
 * walk, which then reports the error itself.
 *
 * Also here: the arithmetic that the tree walk and the program share
 * (powers, the hash of array entries), so that there is one definition.
 */
#ifndef RP_EXPR_PROG_H
#define RP_EXPR_PROG_H

#include "expr_int.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>

/* ------------------------------------------------ shared arithmetic */

/* ex_mix, the mixing step of the point and array-entry hashes, is
 * expr_int.h's. */

/* floor(x), exactly as libm's (the sign of a zero too), without a call
 * into libm for |x| < 2^52. */
static inline double ex_floor_exact(double x)
{
    if (!(fabs(x) < 4503599627370496.0))
        return floor(x);
    double t = (double)(long long)x; /* toward zero */
    return t == x ? x : t > x ? t - 1 : t;
}

/* x^n for an integer n by squaring. */
static inline double ex_ipow(double x, long n)
{
    int inv = n < 0;
    unsigned long e = inv ? (unsigned long)(-n) : (unsigned long)n;
    double r = 1;
    while (e) {
        if (e & 1)
            r *= x;
        x *= x;
        e >>= 1;
    }
    return inv ? 1 / r : r;
}

/* a^b as the evaluator computes it: small integer exponents exactly. */
static inline double ex_powd(double a, double b)
{
    if (b == ex_floor_exact(b) && fabs(b) <= 64)
        return ex_ipow(a, (long)b);
    return pow(a, b);
}

/* The n-th root of a (odd roots of negative numbers are negative). */
static inline double ex_root(double a, double n)
{
    if (a < 0 && n == floor(n) && fmod(n, 2) != 0)
        return -pow(-a, 1 / n);
    return pow(a, 1 / n);
}

/* a choose k through lgamma, exact (rounded) for integers below 1e15. */
static inline double ex_binom(double a, double k)
{
    double r = exp(lgamma(a + 1) - lgamma(k + 1) - lgamma(a - k + 1));
    if (a == floor(a) && k == floor(k) && r < 1e15)
        r = floor(r + 0.5);
    return r;
}

/* floor (up: ceiling) with a little slack, so that 2.9999999999 is 3. */
static inline double ex_round(double a, bool up)
{
    double eps = 1e-9 * fmax(1, fabs(a));
    return up ? ceil(a - eps) : floor(a + eps);
}

/* floor(x) for |x| < 9e18, without a call into libm */
static inline long long ex_floor_ll(double x)
{
    long long t = (long long)x; /* toward zero */
    return (double)t > x ? t - 1 : t;
}

/* Array entries (x_{i+1}, y[n]) are a hash of the name, the point and the
 * indices: the name's part (FNV-1a) ... */
static inline uint64_t ex_entry_name(const char *base)
{
    uint64_t h = 1469598103934665603ull;
    for (const char *p = base; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    return h;
}

/* ... mixed with the point's seed ... */
static inline uint64_t ex_entry_start(uint64_t name, uint64_t pseed)
{
    return ex_mix(name ^ pseed);
}

/* ... then index i of value v (an index beyond long long, or NaN, hashes
 * as one value) ... */
static inline uint64_t ex_entry_index(uint64_t h, double v, uint64_t i)
{
    long long q = fabs(v) < 9e18 ? ex_floor_ll(v + 0.5) : LLONG_MAX;
    return ex_mix(h ^ (uint64_t)q ^ (i << 56));
}

/* ... and the entry's value in [0.5, 2). */
static inline double ex_entry_value(uint64_t h)
{
    return 0.5 + 1.5 * (double)(ex_mix(h) >> 11) * (1.0 / 9007199254740992.0);
}

/* ------------------------------------------------------- programs */

typedef struct ex_prog ex_prog;

/* The sampled values of a run of points k0 .. k0+n-1: every symbol's value
 * and the point seed (arrays), as ex_sample() draws them. */
typedef struct ex_points {
    unsigned k0, n;
    int nsym;
    double *sym;     /* n x nsym, point-major */
    uint64_t *pseed; /* n */
} ex_points;

/* Compile x, a tree resolved in c (ex_resolve) whose comparison has no
 * matrix, for ex_prog_run().  Memory comes from c->a.  Returns NULL when x
 * has something the compiler does not support (the caller then walks the
 * tree) or memory runs out. */
ex_prog *ex_prog_compile(ectx *c, const rp_latex_node *x);

/* Is compiling x worth it?  True when x has a sum or product (\\sum,
 * \\prod): a side without one is a few operations per point, which the tree
 * walk evaluates at 24 points in about the time compiling takes. */
bool ex_prog_worth(const rp_latex_node *x);

/* Draw points k0 .. k0+n-1 with ex_sample() into *pts (memory from c->a).
 * The symbol table is left at point k0+n-1: the caller samples again the
 * point it goes on with.  False when out of memory. */
bool ex_prog_sample(ectx *c, unsigned k0, unsigned n, ex_points *pts);

/* Run p at every point of pts: out[i] is the value at point k0+i, and
 * terms[i] the number of sum terms the tree walk counts there, or -1 when
 * the point must be left to the tree walk (a sum over too many terms,
 * with infinite bounds, ...).  Points this thread ran p at before are
 * taken from its memo of runs (prog.c).  Always true (out of memory, the
 * memo is bypassed). */
bool ex_prog_run(ectx *c, ex_prog *p, const ex_points *pts, double *out, long *terms);

/* The sum terms of p at every point of pts into terms, as ex_prog_run()
 * counts them, without the values: the body of a sum with no sum in it
 * is not run. */
void ex_prog_count(ectx *c, const ex_prog *p, const ex_points *pts, long *terms);

/* The values of x, a tree without sums, at every point of pts into out,
 * walked once over them all, as ex_fast() gives them (so it counts no
 * terms and sets no error); false (out untouched) for a tree it can not
 * walk so. */
bool ex_vec_values(const ectx *c, const rp_latex_node *x, const ex_points *pts, double *out);

/* The case of x (cases) that holds at each point of pts into sel, as
 * ex_active_case() finds it (-1: none), its conditions walked once over
 * all the points; false (sel untouched) when x can not be walked so. */
bool ex_vec_cases(const ectx *c, const rp_latex_node *x, const ex_points *pts, int *sel);

/* ------------------------------------------------------- batches */

/* The two sides of a comparison compiled (those worth it) and their
 * values at a run of points: what a comparison and its diagnosis read
 * instead of walking the trees at every point. */
typedef struct ex_batch {
    ex_prog *t, *c; /* the compiled sides (those with sums), or NULL */
    bool wt, wc;    /* else: the side is walked over all the points at once */
    const rp_latex_node *T, *C; /* the sides (walked) */
    ex_points pts;
    double *vt, *vc;
    long *nt, *nc;  /* sum terms at each point, -1: the tree walk's */
    bool *have;     /* ex_batch_fill_lazy(): the points whose values are in */
} ex_batch;

/* Compile each side T, C worth it (ex_prog_worth()) when fast (the
 * comparison is numbers only; else the batch is empty); when all, also
 * the other sides that can be walked over all the points at once. */
void ex_batch_init(ectx *c, ex_batch *b, const rp_latex_node *T, const rp_latex_node *C,
                   bool fast, bool all);

/* Take every side b does not hold yet that can be walked over all the
 * points at once, when it is fast, for the points of the next
 * ex_batch_fill() (the values it holds are dropped). */
void ex_batch_more(ectx *c, ex_batch *b, const rp_latex_node *T, const rp_latex_node *C,
                   bool fast);

/* Values of the compiled sides at points k .. k+n-1 (a no-op when there
 * is none); when out of memory, both sides are walked from then on. */
void ex_batch_fill(ectx *c, ex_batch *b, unsigned k, unsigned n);

/* ex_batch_fill() whose compiled sides only count their terms (cheap:
 * the bodies of the innermost sums are not run) and whose walked sides
 * wait; ex_batch_need() runs and walks them at a point asked for. */
void ex_batch_fill_lazy(ectx *c, ex_batch *b, unsigned k, unsigned n);

/* The values of point k (and of a few points after it) into a batch of
 * ex_batch_fill_lazy(); a no-op when b holds them or not the point. */
void ex_batch_need(ectx *c, ex_batch *b, unsigned k);

/* Does the batch hold point k? */
static inline bool ex_batch_has(const ex_batch *b, unsigned k)
{
    return (b->t || b->c || b->wt || b->wc) && k >= b->pts.k0 && k - b->pts.k0 < b->pts.n;
}

/* Does b count the terms of both sides at point k within the budget of
 * the comparison (their values may be still to run: ex_batch_need())? */
static inline bool ex_batch_counted(const ectx *c, const ex_batch *b, unsigned k)
{
    if (!(b->t || b->wt) || !(b->c || b->wc) || c->err || !ex_batch_has(b, k))
        return false;
    unsigned i = k - b->pts.k0;
    return b->nt[i] >= 0 && b->nc[i] >= 0 &&
           c->total_terms + b->nt[i] + b->nc[i] <= EX_TOTAL_BUDGET;
}

/* Does b give both sides at point k, their terms within the budget of
 * the comparison?  Then ex_batch_side() reads no symbol, and point k need
 * not be sampled. */
static inline bool ex_batch_ready(const ectx *c, const ex_batch *b, unsigned k)
{
    return ex_batch_counted(c, b, k) && (!b->have || b->have[k - b->pts.k0]);
}

/* Point k of b left out where ex_batch_counted(): its terms are counted
 * as taking both sides (ex_batch_take()) counts them, the only trace a
 * point read from b leaves in c. */
static inline void ex_batch_skip(ectx *c, const ex_batch *b, unsigned k)
{
    unsigned i = k - b->pts.k0;
    c->total_terms += b->nt[i] + b->nc[i];
    c->budget = EX_SUM_BUDGET - b->nc[i];
}

/* The value of side (0 the truth, 1 the claim) at point k from b into *v,
 * its sum terms counted as the tree walk counts them (budgets,
 * c->total_terms); false when the tree walk must give it (after an error
 * too: the walk then counts no terms). */
static inline bool ex_batch_take(ectx *c, const ex_batch *b, int side, unsigned k, double *v)
{
    bool on = side ? b->c || b->wc : b->t || b->wt;
    if (!on || c->err || !ex_batch_has(b, k))
        return false;
    unsigned i = k - b->pts.k0;
    if (b->have && !b->have[i])
        return false;
    long terms = (side ? b->nc : b->nt)[i];
    if (terms < 0 || c->total_terms + terms > EX_TOTAL_BUDGET)
        return false;
    c->total_terms += terms;
    c->budget -= terms;
    *v = (side ? b->vc : b->vt)[i];
    return true;
}

/* Side x (side 0 the truth, 1 the claim) at point k, the symbol table
 * sampled there unless ex_batch_ready(): ex_batch_take(), else the tree
 * walk (ex_eval, or ex_fast when fast). */
static inline val ex_batch_side(ectx *c, const ex_batch *b, int side, unsigned k,
                                const rp_latex_node *x, bool fast)
{
    val r = {0, 0, false, 0, NULL};
    if (ex_batch_take(c, b, side, k, &r.s))
        return r;
    if (!fast)
        return ex_eval(c, x);
    r.s = ex_fast(c, x);
    return r;
}

/* ex_batch_side() as a number: the tree walk is ex_eval_scalar() when not
 * fast. */
static inline double ex_batch_scalar(ectx *c, const ex_batch *b, int side, unsigned k,
                                     const rp_latex_node *x, bool fast)
{
    double v;
    if (ex_batch_take(c, b, side, k, &v))
        return v;
    return fast ? ex_fast(c, x) : ex_eval_scalar(c, x);
}

#endif
