/*
 * Monomial fitting: evaluate a quantity at several sizes, fit
 * log|f| = log K + sum e_i log v_i by least squares (GSL), snap the
 * exponents to small rationals and K to a small rational or the root of
 * one, check the snapped monomial against every sampled point, and print
 * it as LaTeX.  This is how scaling answers are derived from simulation.
 */
#include "redpen/engine.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* GSL's default error handler aborts.  It is turned off once for the
 * process (pthread_once) rather than saved and restored around each call,
 * which raced between grading threads; return codes are checked instead. */
static pthread_once_t gsl_once = PTHREAD_ONCE_INIT;

static void gsl_off(void)
{
    gsl_set_error_handler_off();
}

static void gsl_quiet(void)
{
    pthread_once(&gsl_once, gsl_off);
}

#define RP_FIT_MAX_POINTS (4 * RP_FIT_MAX_VARS + 64)
#define RP_FIT_MAX_KDEN 12

static double sample_value(const rp_fit_var *v, double t)
{
    /* t in [0, 1]: log-uniform between lo and hi */
    double x = exp(log(v->lo) + t * (log(v->hi) - log(v->lo)));
    if (v->integer) {
        x = floor(x + 0.5);
        if (x < v->lo)
            x = ceil(v->lo);
        if (x > v->hi)
            x = floor(v->hi);
    }
    return x;
}

/* The sampling design: each variable swept alone around the centre, then
 * seeded random points.  Returns the number of points. */
static size_t design(const rp_fit_var *vars, size_t nv, unsigned n_random,
                     uint64_t seed, double pts[][RP_FIT_MAX_VARS])
{
    static const double sweep[4] = {0.0, 1.0 / 3.0, 2.0 / 3.0, 1.0};
    size_t np = 0;
    for (size_t i = 0; i < nv; i++)
        for (size_t s = 0; s < 4; s++) {
            for (size_t j = 0; j < nv; j++)
                pts[np][j] = sample_value(&vars[j], j == i ? sweep[s] : 0.5);
            np++;
        }
    rp_rng *rng = rp_rng_new(seed ? seed : 7919u);
    for (unsigned r = 0; rng && r < n_random && np < RP_FIT_MAX_POINTS; r++) {
        for (size_t j = 0; j < nv; j++)
            pts[np][j] = sample_value(&vars[j], rp_rng_uniform(rng));
        np++;
    }
    rp_rng_free(rng);
    return np;
}

static long gcd_l(long a, long b)
{
    if (a < 0)
        a = -a;
    if (b < 0)
        b = -b;
    while (b) {
        long t = a % b;
        a = b;
        b = t;
    }
    return a ? a : 1;
}

double rp_monomial_eval(const rp_monomial *m, const double *vals)
{
    double v = m->k;
    for (size_t i = 0; i < m->n_vars; i++)
        if (m->num[i])
            v *= pow(vals[i], (double)m->num[i] / (double)m->den[i]);
    return v;
}

/* Snap |k| to p/q or sqrt(p/q) with q <= RP_FIT_MAX_KDEN within tol. */
static void snap_k(rp_monomial *m, double k, double tol)
{
    double ak = fabs(k), sign = k < 0 ? -1.0 : 1.0;
    m->k = k;
    m->k_exact = false;
    m->k_sqrt = false;
    m->kp = m->kq = 1;
    for (int pass = 0; pass < 2; pass++) {
        double target = pass == 0 ? ak : ak * ak;
        for (long q = 1; q <= RP_FIT_MAX_KDEN; q++) {
            double p = floor(target * (double)q + 0.5);
            if (p < 1 || p > 1e6)
                continue;
            double cand = p / (double)q;
            double got = pass == 0 ? cand : sqrt(cand);
            if (fabs(got - ak) <= tol * ak) {
                long g = gcd_l((long)p, q);
                m->kp = (long)p / g;
                m->kq = q / g;
                m->k_sqrt = pass == 1;
                m->k_exact = true;
                m->k = sign * got;
                return;
            }
        }
    }
}

/* Computing the sampled values, by the caller alone or by several
 * threads taking the next point from a shared counter.  Each point's
 * value and status land in its own slot, so the order in which threads
 * finish changes nothing.  After a failure no new point is started; every
 * point before it has been taken already and completes, so the first
 * failure in point order is found as if the points had been computed one
 * after another (which is what one job does). */
#define RP_FIT_MAX_JOBS 64

typedef struct eval_work {
    rp_fit_point_fn f;
    void *ctx;
    const double (*pts)[RP_FIT_MAX_VARS];
    size_t np;
    double *vals;
    rp_status *sts;
    atomic_size_t next;  /* the next point to compute */
    atomic_bool failed;  /* a point failed: start no more */
} eval_work;

static void *eval_run(void *arg)
{
    eval_work *w = arg;
    for (;;) {
        if (atomic_load(&w->failed))
            return NULL;
        size_t p = atomic_fetch_add(&w->next, 1);
        if (p >= w->np)
            return NULL;
        w->sts[p] = RP_OK;
        w->vals[p] = w->f(w->ctx, p, w->pts[p], &w->sts[p]);
        if (w->sts[p] != RP_OK)
            atomic_store(&w->failed, true);
    }
}

static void evaluate(eval_work *w, unsigned jobs)
{
    pthread_t th[RP_FIT_MAX_JOBS];
    size_t started = 0;
    if (jobs > RP_FIT_MAX_JOBS)
        jobs = RP_FIT_MAX_JOBS;
    atomic_init(&w->next, 0);
    atomic_init(&w->failed, false);
    /* the caller is one of the jobs; a thread that cannot start is one
     * job fewer, not an error */
    for (unsigned t = 1; t < jobs && t < w->np; t++) {
        if (pthread_create(&th[started], NULL, eval_run, w) != 0)
            break;
        started++;
    }
    eval_run(w);
    for (size_t t = 0; t < started; t++)
        pthread_join(th[t], NULL);
}

/* Fit log|vals| = log K + sum e_i log pts_i by least squares, snap the
 * exponents (denominators up to o->max_den) and K, and measure the worst
 * misfit over the points: into out, whose names, n_vars, n_points and
 * den are set.  RP_EEVAL when the fit fails or misfits past o->rel_tol. */
static rp_status fit_logs(const double (*pts)[RP_FIT_MAX_VARS], const double *vals,
                          size_t np, size_t n_vars, int sign, const rp_fit_opts *opts,
                          rp_monomial *out)
{
    const rp_fit_opts o = *opts;
    size_t nc = n_vars + 1;
    gsl_matrix *X = gsl_matrix_alloc(np, nc);
    gsl_vector *y = gsl_vector_alloc(np), *c = gsl_vector_alloc(nc);
    gsl_matrix *cov = gsl_matrix_alloc(nc, nc);
    gsl_multifit_linear_workspace *w = gsl_multifit_linear_alloc(np, nc);
    rp_status st = RP_OK;
    if (!X || !y || !c || !cov || !w) {
        st = RP_ENOMEM;
        goto done;
    }
    for (size_t p = 0; p < np; p++) {
        gsl_matrix_set(X, p, 0, 1.0);
        for (size_t i = 0; i < n_vars; i++)
            gsl_matrix_set(X, p, i + 1, log(pts[p][i]));
        gsl_vector_set(y, p, log(fabs(vals[p])));
    }
    double chisq;
    gsl_quiet();
    int rc = gsl_multifit_linear(X, y, c, cov, &chisq, w);
    if (rc != GSL_SUCCESS) {
        st = RP_EEVAL;
        goto done;
    }
    /* snap exponents: the smallest denominator within tolerance */
    double etol = o.rel_tol < 0.02 ? 0.02 : (o.rel_tol > 0.2 ? 0.2 : o.rel_tol);
    for (size_t i = 0; i < n_vars; i++) {
        double e = gsl_vector_get(c, i + 1);
        int best_num = (int)lround(e * o.max_den), best_den = o.max_den;
        for (int d = 1; d <= o.max_den; d++) {
            double pn = round(e * d);
            if (fabs(e - pn / d) <= etol) {
                best_num = (int)pn;
                best_den = d;
                break;
            }
        }
        long g = gcd_l(best_num, best_den);
        out->num[i] = best_num / (int)g;
        out->den[i] = best_den / (int)g;
        if (abs(out->num[i]) > 64)
            st = RP_EEVAL;
    }
    /* K from the snapped exponents: mean of the log residuals */
    double lk = 0.0;
    for (size_t p = 0; p < np; p++) {
        double r = log(fabs(vals[p]));
        for (size_t i = 0; i < n_vars; i++)
            r -= (double)out->num[i] / out->den[i] * log(pts[p][i]);
        lk += r;
    }
    lk /= (double)np;
    snap_k(out, sign * exp(lk), o.rel_tol < 1e-9 ? 1e-9 : o.rel_tol / 2);
    if (!out->k_exact)
        out->k = sign * exp(lk);
    for (size_t p = 0; p < np; p++) {
        double m = rp_monomial_eval(out, pts[p]);
        double err = fabs(m - vals[p]) / fabs(vals[p]);
        if (err > out->max_rel_err)
            out->max_rel_err = err;
    }
    if (st == RP_OK && out->max_rel_err > o.rel_tol)
        st = RP_EEVAL;
done:
    if (X)
        gsl_matrix_free(X);
    if (y)
        gsl_vector_free(y);
    if (c)
        gsl_vector_free(c);
    if (cov)
        gsl_matrix_free(cov);
    if (w)
        gsl_multifit_linear_free(w);
    return st;
}

rp_status rp_fit_monomial_points(const rp_fit_var *vars, size_t n_vars,
                                 rp_fit_point_fn f, void *ctx,
                                 const rp_fit_opts *opts, rp_monomial *out)
{
    memset(out, 0, sizeof *out);
    rp_fit_opts o = {0};
    if (opts)
        o = *opts;
    if (o.rel_tol <= 0)
        o.rel_tol = 1e-6;
    if (o.max_den <= 0)
        o.max_den = 4;
    if (o.max_den > 12)
        o.max_den = 12;
    if (o.n_random == 0)
        o.n_random = 8;
    if (!f || n_vars > RP_FIT_MAX_VARS)
        return n_vars > RP_FIT_MAX_VARS ? RP_ELIMIT : RP_EINPUT;
    for (size_t i = 0; i < n_vars; i++)
        if (!vars[i].name || !(vars[i].lo > 0) || !(vars[i].hi > vars[i].lo) ||
            !isfinite(vars[i].hi))
            return RP_EINPUT;

    double pts[RP_FIT_MAX_POINTS][RP_FIT_MAX_VARS];
    double vals[RP_FIT_MAX_POINTS];
    rp_status sts[RP_FIT_MAX_POINTS];
    size_t np = design(vars, n_vars, o.n_random, o.seed, pts);
    eval_work ev = {.f = f, .ctx = ctx,
                    .pts = (const double(*)[RP_FIT_MAX_VARS])pts, .np = np,
                    .vals = vals, .sts = sts};
    evaluate(&ev, o.jobs);
    /* judged in point order: the first failing point decides, as if the
     * points had been computed one after another */
    int sign = 0;
    for (size_t p = 0; p < np; p++) {
        if (sts[p] != RP_OK)
            return sts[p];
        if (!isfinite(vals[p]) || vals[p] == 0.0)
            return RP_EEVAL;
        int s = vals[p] < 0 ? -1 : 1;
        if (sign && s != sign)
            return RP_EEVAL;
        sign = s;
    }
    out->n_vars = n_vars;
    out->n_points = np;
    for (size_t i = 0; i < n_vars; i++) {
        out->names[i] = vars[i].name;
        out->den[i] = 1;
    }
    return fit_logs((const double(*)[RP_FIT_MAX_VARS])pts, vals, np, n_vars, sign,
                    &o, out);
}

/* ------------------------------------------------------------- LaTeX */

/* Append printf output to buf at *len; false when out of room. */
static bool put(char *buf, size_t cap, size_t *len, const char *fmt, ...)
    RP_PRINTF(4, 5);
static bool put(char *buf, size_t cap, size_t *len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *len, cap - *len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= cap - *len)
        return false;
    *len += (size_t)n;
    return true;
}

/* One side of the fraction: variables whose exponent has sign side. */
static bool render_side(const rp_monomial *m, int side, long kint,
                        long ksqrt, char *buf, size_t cap)
{
    size_t len = 0;
    bool any = false;
    buf[0] = '\0';
    if (kint > 1) {
        if (!put(buf, cap, &len, "%ld", kint))
            return false;
        any = true;
    }
    bool first_factor = true;
    for (size_t i = 0; i < m->n_vars; i++) {
        int num = m->num[i] * side, den = m->den[i];
        if (num <= 0)
            continue;
        const char *sep = (!any || (first_factor && kint > 1)) ? "" : "\\,";
        if (den == 1) {
            if (num == 1) {
                if (!put(buf, cap, &len, "%s%s", sep, m->names[i]))
                    return false;
            } else if (!put(buf, cap, &len, "%s%s^{%d}", sep, m->names[i], num))
                return false;
        } else if (den == 2) {
            if (num / 2 == 0)
                continue; /* only the root: goes into the sqrt group */
            if (num / 2 == 1) {
                if (!put(buf, cap, &len, "%s%s", sep, m->names[i]))
                    return false;
            } else if (!put(buf, cap, &len, "%s%s^{%d}", sep, m->names[i],
                            num / 2))
                return false;
        } else if (!put(buf, cap, &len, "%s%s^{\\frac{%d}{%d}}", sep,
                        m->names[i], num, den))
            return false;
        any = true;
        first_factor = false;
    }
    /* the square-root group: K's root and half exponents */
    bool open = false;
    if (ksqrt > 1) {
        if (!put(buf, cap, &len, "%s\\sqrt{%ld", any ? "\\," : "", ksqrt))
            return false;
        open = true;
    }
    for (size_t i = 0; i < m->n_vars; i++) {
        int num = m->num[i] * side;
        if (num <= 0 || m->den[i] != 2 || num % 2 == 0)
            continue;
        if (!put(buf, cap, &len, "%s%s", open ? "\\," : (any ? "\\,\\sqrt{" : "\\sqrt{"),
                 m->names[i]))
            return false;
        open = true;
    }
    if (open && !put(buf, cap, &len, "}"))
        return false;
    return true;
}

rp_status rp_monomial_latex(const rp_monomial *m, char *buf, size_t cap)
{
    if (!buf || cap < 2)
        return RP_ELIMIT;
    char num[512], den[512];
    long kn = 1, kd = 1, sn = 1, sd = 1;
    char kbuf[48] = "";
    if (m->k_exact) {
        if (m->k_sqrt) {
            sn = m->kp;
            sd = m->kq;
        } else {
            kn = m->kp;
            kd = m->kq;
        }
    } else {
        snprintf(kbuf, sizeof kbuf, "%.6g", fabs(m->k));
    }
    if (!render_side(m, 1, kn, sn, num, sizeof num) ||
        !render_side(m, -1, kd, sd, den, sizeof den))
        return RP_ELIMIT;
    const char *sign = m->k < 0 ? "-" : "";
    char nfull[600];
    int n;
    if (kbuf[0])
        n = snprintf(nfull, sizeof nfull, "%s%s%s", kbuf, num[0] ? "\\," : "",
                     num);
    else
        n = snprintf(nfull, sizeof nfull, "%s", num[0] ? num : "1");
    if (n < 0 || (size_t)n >= sizeof nfull)
        return RP_ELIMIT;
    if (den[0])
        n = snprintf(buf, cap, "%s\\frac{%s}{%s}", sign, nfull, den);
    else
        n = snprintf(buf, cap, "%s%s", sign, nfull);
    if (n < 0 || (size_t)n >= cap)
        return RP_ELIMIT;
    return RP_OK;
}
