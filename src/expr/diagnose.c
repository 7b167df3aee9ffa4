/*
 * Diagnosis of why a claim differs from the truth (DESIGN.md, "Error
 * categories").
 *
 * Scalars: the ratio truth/claim at many points.  A constant ratio is a
 * sign_error (-1) or wrong_factor (k).  Otherwise log|ratio| is fitted by
 * least squares (GSL) to a monomial K * prod v^e of the variables, then of
 * the variables and one or two of the truth's (or claim's) own composite
 * factors such as (n - k + 1); exponents are rounded to halves or thirds
 * and the fit is accepted only when the rounded monomial reproduces the
 * ratio exactly at every point.  The factor is printed as LaTeX: "missing
 * factor c", "missing factor \sqrt{p_{in}}", "extra factor (n - k + 1)".
 * A constant difference is arithmetic ("off by 1").
 *
 * Matrices and vectors: wrong_shape, transposed, sign_error,
 * boundary_error (interior right, border wrong), swapped (two entries
 * exchanged), wrong_factor, else arithmetic naming the differing entries.
 */
#include "expr_int.h"
#include "prog.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define DIAG_POINTS 20
#define MAX_FEAT 24
#define MAX_COMPOSITE 6

typedef rp_latex_node node;

static void set(rp_equiv_result *res, const char *prefix, rp_category cat, const char *fmt,
                ...) RP_PRINTF(4, 5);
/* A DIFFERENT verdict of category cat, its structured details cleared (the
 * caller fills those that apply), and the display detail prefix + fmt. */
static void set(rp_equiv_result *res, const char *prefix, rp_category cat, const char *fmt, ...)
{
    ex_set_category(res, cat);
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    snprintf(res->detail, sizeof res->detail, "%s%s", prefix ? prefix : "", tmp);
}

/* ------------------------------------------------------------ constants */

static bool rational(double k, long *p, long *q)
{
    for (long d = 1; d <= 16; d++) {
        double n = k * (double)d;
        double rn = floor(n + 0.5);
        if (rn == 0 && k != 0)
            return false;
        if (fabs(rn) < 1e9 && fabs(n - rn) <= 1e-7 * fmax(1, fabs(n))) {
            *p = (long)rn;
            *q = d;
            return true;
        }
    }
    return false;
}

static void fmt_rat(long p, long q, char *out, size_t cap)
{
    if (q == 1)
        snprintf(out, cap, "%ld", p);
    else
        snprintf(out, cap, "%s\\frac{%ld}{%ld}", p < 0 ? "-" : "", p < 0 ? -p : p, q);
}

void ex_fmt_const(double k, char *out, size_t cap)
{
    long p, q;
    if (rational(k, &p, &q)) {
        fmt_rat(p, q, out, cap);
        return;
    }
    if (rational(k * k, &p, &q) && p > 0 && q <= 16) {
        char in[64];
        fmt_rat(p, q, in, sizeof in);
        snprintf(out, cap, "%s\\sqrt{%s}", k < 0 ? "-" : "", in);
        return;
    }
    if (rational(k / M_PI, &p, &q)) {
        char pn[32] = "";
        if (labs(p) != 1)
            snprintf(pn, sizeof pn, "%ld", labs(p));
        if (q == 1)
            snprintf(out, cap, "%s%s\\pi", p < 0 ? "-" : "", pn);
        else
            snprintf(out, cap, "%s\\frac{%s\\pi}{%ld}", p < 0 ? "-" : "", pn, q);
        return;
    }
    if (rational(1 / k, &p, &q) && labs(p) <= 4096) {
        char in[64];
        fmt_rat(q, 1, in, sizeof in);
        snprintf(out, cap, "%s\\frac{%s}{%ld}", p < 0 ? "-" : "", in, labs(p));
        return;
    }
    snprintf(out, cap, "%.6g", k);
}

/* -------------------------------------------------------- factor search */

typedef struct feat {
    char name[96]; /* LaTeX of the factor */
    const node *src; /* composite factor: its tree; NULL for a variable */
    double v[DIAG_POINTS];
} feat;

typedef struct fitdata {
    unsigned n;          /* valid points */
    double ratio[DIAG_POINTS];
    double logr[DIAG_POINTS];            /* log|ratio| */
    double logf[MAX_FEAT][DIAG_POINTS];  /* log|feature| */
    bool logok[MAX_FEAT];                /* the feature is non-zero everywhere */
    feat f[MAX_FEAT];
    int nf;
    int nvars;           /* f[0..nvars) are variables */
} fitdata;

/* Composite factors of a product: (n - k + 1) of (n-k+1)^2 \sigma^2. */
static void collect_factors(const node *x, const node **out, int *n, int cap, int depth)
{
    if (!x || *n >= cap || depth > 12)
        return;
    switch (x->kind) {
    case RP_LX_MUL:
    case RP_LX_DIV:
        collect_factors(x->kid[0], out, n, cap, depth + 1);
        collect_factors(x->kid[1], out, n, cap, depth + 1);
        return;
    case RP_LX_NEG:
    case RP_LX_SQRT:
        collect_factors(x->kid[0], out, n, cap, depth + 1);
        return;
    case RP_LX_POW:
        if (x->kid[1]->kind == RP_LX_NUM || x->kid[1]->kind == RP_LX_NEG ||
            x->kid[1]->kind == RP_LX_DIV)
            collect_factors(x->kid[0], out, n, cap, depth + 1);
        return;
    case RP_LX_SYM:
    case RP_LX_NUM:
    case RP_LX_CONST:
        return;
    default:
        out[(*n)++] = x;
    }
}

static bool is_product(const node *x)
{
    return x->kind == RP_LX_MUL || x->kind == RP_LX_DIV || x->kind == RP_LX_NEG ||
           x->kind == RP_LX_POW || x->kind == RP_LX_SQRT;
}

static void print_factor(const node *x, char *out, size_t cap)
{
    rp_buf b;
    rp_buf_init(&b, 512);
    out[0] = 0;
    bool wrap = x->kind == RP_LX_ADD || x->kind == RP_LX_SUB;
    if (rp_latex_print(x, &b) == RP_OK && b.data)
        snprintf(out, cap, wrap ? "(%s)" : "%s", b.data);
    rp_buf_free(&b);
}

static double signed_pow(double x, double e)
{
    if (e == floor(e))
        return pow(x, e);
    return x > 0 ? pow(x, e) : NAN;
}

/* Round e to a multiple of 1/2 or 1/3; false when neither is close. */
static bool round_exp(double e, double *r)
{
    double h = floor(e * 2 + 0.5) / 2;
    if (fabs(e - h) <= 0.03) {
        *r = h;
        return true;
    }
    double t = floor(e * 3 + 0.5) / 3;
    if (fabs(e - t) <= 0.03) {
        *r = t;
        return true;
    }
    return false;
}

/* The rounded monomial prod f^e must reproduce the ratio, up to one
 * constant *K, at every point. */
static bool verify(const fitdata *d, const int *use, int nu, const double *exps, double *K)
{
    double k0 = 0;
    for (unsigned i = 0; i < d->n; i++) {
        double mono = 1;
        for (int j = 0; j < nu; j++)
            mono *= signed_pow(d->f[use[j]].v[i], exps[j]);
        double k = d->ratio[i] / mono;
        if (i == 0)
            k0 = k;
        if (!isfinite(k) || !ex_close(k, k0, 1e-6))
            return false;
    }
    *K = k0;
    return true;
}

/* Fit log|ratio| on the features in use[0..nu) with GSL (workspace w of at
 * least d->n x (nu + 1)); on success exps[] and *K. */
static bool fit(const fitdata *d, gsl_multifit_linear_workspace *w, const int *use, int nu,
                double *exps, double *K)
{
    size_t m = d->n, p = (size_t)nu + 1;
    if (m < p + 2 || p > MAX_FEAT + 1)
        return false;
    for (int j = 0; j < nu; j++)
        if (!d->logok[use[j]])
            return false;
    double xa[DIAG_POINTS * (MAX_FEAT + 1)], ya[DIAG_POINTS], ba[MAX_FEAT + 1];
    double ca[(MAX_FEAT + 1) * (MAX_FEAT + 1)];
    for (size_t i = 0; i < m; i++) {
        xa[i * p] = 1.0;
        for (int j = 0; j < nu; j++)
            xa[i * p + (size_t)j + 1] = d->logf[use[j]][i];
        ya[i] = d->logr[i];
    }
    gsl_matrix_view X = gsl_matrix_view_array(xa, m, p);
    gsl_vector_view y = gsl_vector_view_array(ya, m);
    gsl_vector_view b = gsl_vector_view_array(ba, p);
    gsl_matrix_view cov = gsl_matrix_view_array(ca, p, p);
    double chisq;
    size_t rank;
    ex_gsl_quiet();
    bool ok = gsl_multifit_linear_tsvd(&X.matrix, &y.vector, 1e-10, &b.vector, &cov.matrix,
                                       &chisq, &rank, w) == 0;
    if (ok) {
        bool any = false;
        for (int j = 0; j < nu && ok; j++) {
            ok = round_exp(ba[j + 1], &exps[j]);
            any = any || exps[j] != 0;
        }
        ok = ok && any;
    }
    return ok && verify(d, use, nu, exps, K);
}

/* One feature alone, its exponent estimated from the two points farthest
 * apart in that feature: no least squares needed for "missing c". */
static bool quick(const fitdata *d, int j, double *e, double *K)
{
    if (!d->logok[j] || d->n < 3)
        return false;
    unsigned lo = 0, hi = 0;
    for (unsigned i = 1; i < d->n; i++) {
        if (d->logf[j][i] < d->logf[j][lo])
            lo = i;
        if (d->logf[j][i] > d->logf[j][hi])
            hi = i;
    }
    double span = d->logf[j][hi] - d->logf[j][lo];
    if (!(span > 1e-3))
        return false;
    if (!round_exp((d->logr[hi] - d->logr[lo]) / span, e) || *e == 0)
        return false;
    return verify(d, &j, 1, e, K);
}

static void term(char *out, size_t cap, const char *name, double e)
{
    long p, q;
    if (e == 1)
        snprintf(out, cap, "%s", name);
    else if (e == 0.5)
        snprintf(out, cap, "\\sqrt{%s}", name);
    else if (fabs(e - 1.0 / 3) < 1e-9)
        snprintf(out, cap, "\\sqrt[3]{%s}", name);
    else if (e == floor(e))
        snprintf(out, cap, "%s^{%ld}", name, (long)e);
    else if (rational(e, &p, &q))
        snprintf(out, cap, "%s^{%ld/%ld}", name, p, q);
    else
        snprintf(out, cap, "%s^{%g}", name, e);
}

/* K * prod f^e as LaTeX. */
static void monomial(const fitdata *d, const int *use, int nu, const double *e, double K,
                     char *out, size_t cap)
{
    char num[200] = "", den[200] = "";
    long p = 1, q = 1;
    bool rat = rational(fabs(K), &p, &q);
    char kc[64] = "";
    if (!rat)
        ex_fmt_const(fabs(K), kc, sizeof kc);
    if (rat && p != 1)
        snprintf(num, sizeof num, "%ld", p);
    else if (!rat)
        snprintf(num, sizeof num, "%s", kc);
    if (rat && q != 1)
        snprintf(den, sizeof den, "%ld", q);
    for (int j = 0; j < nu; j++) {
        if (e[j] == 0)
            continue;
        char t[128];
        term(t, sizeof t, d->f[use[j]].name, fabs(e[j]));
        char *dst = e[j] > 0 ? num : den;
        size_t l = strlen(dst);
        bool sep = l > 0 && (dst[l - 1] >= '0' && dst[l - 1] <= '9') &&
                   t[0] >= '0' && t[0] <= '9';
        snprintf(dst + l, sizeof num - l, "%s%s%s", l && !sep ? " " : "", sep ? " \\cdot " : "", t);
    }
    const char *sg = K < 0 ? "-" : "";
    if (!den[0])
        snprintf(out, cap, "%s%s", sg, num[0] ? num : "1");
    else
        snprintf(out, cap, "%s\\frac{%s}{%s}", sg, num[0] ? num : "1", den);
}

static bool search(const fitdata *d, rp_equiv_result *res, const char *prefix)
{
    int use[MAX_FEAT];
    double e[MAX_FEAT], K = 1;
    int nu = 0;
    for (int j = 0; j < d->nvars; j++)
        use[nu++] = j;
    int ncomp = d->nf - d->nvars;
    bool found = false;
    for (int j = 0; j < d->nf && !found; j++)
        if (quick(d, j, &e[0], &K)) {
            use[0] = j;
            nu = 1;
            found = true;
        }
    gsl_multifit_linear_workspace *w =
        found ? NULL : gsl_multifit_linear_alloc(d->n, (size_t)d->nf + 1);
    if (!found && !w)
        return false;
    /* variables; then one or two composite factors with the variables */
    for (int a = -1; a < ncomp && !found; a++)
        for (int b = a; b < ncomp && b < a + 4 && !found; b++) {
            if (a < 0 && b >= 0)
                continue;
            if (a >= 0 && b == a)
                b = a; /* single composite when b == a */
            int n2 = nu;
            if (a >= 0)
                use[n2++] = d->nvars + a;
            if (b >= 0 && b != a)
                use[n2++] = d->nvars + b;
            if (fit(d, w, use, n2, e, &K)) {
                nu = n2;
                found = true;
            }
        }
    if (w)
        gsl_multifit_linear_free(w);
    if (!found)
        return false;
    bool pos = false, neg = false;
    for (int j = 0; j < nu; j++) {
        pos = pos || e[j] > 0;
        neg = neg || e[j] < 0;
    }
    char m[200];
    if (K < 0) {
        monomial(d, use, nu, e, K, m, sizeof m);
        set(res, prefix, RP_CAT_WRONG_FACTOR, "off by a factor %s (truth = claim \\times %s)", m, m);
    } else if (pos && !neg) {
        monomial(d, use, nu, e, K, m, sizeof m);
        set(res, prefix, RP_CAT_MISSING_FACTOR, "missing factor %s", m);
    } else if (neg && !pos) {
        double inv[MAX_FEAT];
        for (int j = 0; j < nu; j++)
            inv[j] = -e[j];
        monomial(d, use, nu, inv, 1 / K, m, sizeof m);
        set(res, prefix, RP_CAT_EXTRA_FACTOR, "extra factor %s", m);
    } else {
        monomial(d, use, nu, e, K, m, sizeof m);
        set(res, prefix, RP_CAT_WRONG_FACTOR, "off by a factor %s (truth = claim \\times %s)", m, m);
    }
    ex_copy(res->factor, sizeof res->factor, m);
    return true;
}

/* Is truth - claim a monomial of the variables ("missing term F")? */
static bool diff_term_in(fitdata *d, const double *tv, const double *cv, rp_equiv_result *res,
                         const char *prefix);

/* diff_term_in() on d's variables with the differences in place of the
 * ratios; d is as it was on return (saved and restored: copying the whole
 * fit data cost 2.5 % of a batch of mixed pairs). */
static bool diff_term(fitdata *d, const double *tv, const double *cv, unsigned nt,
                      rp_equiv_result *res, const char *prefix)
{
    if (d->nvars == 0 || nt != d->n)
        return false;
    double ratio[DIAG_POINTS], logr[DIAG_POINTS];
    memcpy(ratio, d->ratio, sizeof ratio);
    memcpy(logr, d->logr, sizeof logr);
    int nf = d->nf;
    d->nf = d->nvars;
    bool found = diff_term_in(d, tv, cv, res, prefix);
    memcpy(d->ratio, ratio, sizeof ratio);
    memcpy(d->logr, logr, sizeof logr);
    d->nf = nf;
    return found;
}

/* A missing or extra term: truth - claim is one monomial of the variables. */
static bool diff_term_in(fitdata *d, const double *tv, const double *cv, rp_equiv_result *res,
                         const char *prefix)
{
    for (unsigned i = 0; i < d->n; i++) {
        d->ratio[i] = tv[i] - cv[i];
        if (!(fabs(d->ratio[i]) > 1e-12 * fmax(fabs(tv[i]), fabs(cv[i]))))
            return false;
        d->logr[i] = log(fabs(d->ratio[i]));
    }
    double e[MAX_FEAT], K = 1;
    int use[MAX_FEAT], nu = 0;
    bool found = false;
    for (int j = 0; j < d->nf && !found; j++)
        if (quick(d, j, &e[0], &K)) {
            use[0] = j;
            nu = 1;
            found = true;
        }
    if (!found) {
        for (int j = 0; j < d->nvars; j++)
            use[nu++] = j;
        gsl_multifit_linear_workspace *w = gsl_multifit_linear_alloc(d->n, (size_t)nu + 1);
        if (!w)
            return false;
        found = fit(d, w, use, nu, e, &K);
        gsl_multifit_linear_free(w);
    }
    if (!found)
        return false;
    char m[200];
    monomial(d, use, nu, e, fabs(K), m, sizeof m);
    set(res, prefix, RP_CAT_ARITHMETIC, "%s term %s (truth - claim = %s%s)",
        K > 0 ? "missing" : "extra", m, K > 0 ? "" : "-", m);
    return true;
}

/* Both sides at point k (from b when it holds them); false when either is
 * undefined there.  When rows and b holds both sides at k, the point is
 * not sampled: *row is then its symbols' values (in b), else NULL. */
static bool pair_at(ectx *c, const ex_batch *b, bool rows, const node *T, const node *C,
                    bool fast, unsigned k, double *t, double *v, const double **row)
{
    c->err = 0;
    *row = NULL;
    if (rows && ex_batch_pair(c, b, k, t, v)) { /* both sides, no error */
        *row = b->pts.sym + (size_t)(k - b->pts.k0) * (size_t)b->pts.nsym;
        return isfinite(*t) && isfinite(*v);
    }
    if (rows && ex_batch_ready(c, b, k))
        *row = b->pts.sym + (size_t)(k - b->pts.k0) * (size_t)b->pts.nsym;
    else
        ex_sample(c, k);
    c->budget = EX_SUM_BUDGET;
    *t = ex_batch_scalar(c, b, 0, k, T, fast);
    c->budget = EX_SUM_BUDGET;
    *v = ex_batch_scalar(c, b, 1, k, C, fast);
    return !c->err && isfinite(*t) && isfinite(*v);
}

static bool has_rounding(const node *x)
{
    if (!x)
        return false;
    if (x->kind == RP_LX_FLOOR || x->kind == RP_LX_CEIL)
        return true;
    for (size_t i = 0; i < x->n_kid; i++)
        if (has_rounding(x->kid[i]))
            return true;
    return false;
}

/* Long (over 120 lines) because it is one ordered list of diagnoses tried on
 * the same sampled values (factor features, constant ratio, constant
 * difference, fitted monomial): each step reads what the ones before left
 * in d, and the order is the order of evidence. */
void ex_diag_scalar(ectx *c, const rp_latex_node *T, const rp_latex_node *C,
                    rp_equiv_result *res, const char *prefix)
{
    fitdata dz;
    fitdata *d = &dz;
    /* the counts only: every array is written up to them before it is
     * read (clearing 10 kB cost 5 % of a batch of mixed pairs) */
    d->n = 0;
    d->nf = d->nvars = 0;
    /* features: the varying scalar symbols, then composite factors */
    int symidx[MAX_FEAT];
    for (int i = 0; i < c->nsym && d->nf < MAX_FEAT - MAX_COMPOSITE; i++) {
        esym *s = &c->sym[i];
        if (s->kind != SK_SCALAR || s->fixed || i == c->unify_from)
            continue;
        ex_copy(d->f[d->nf].name, sizeof d->f[d->nf].name, s->name);
        d->f[d->nf].src = NULL;
        symidx[d->nf++] = i;
    }
    d->nvars = d->nf;
    const int nv0 = d->nvars;
    const node *comp[2 * MAX_COMPOSITE];
    int ncomp = 0;
    /* proper factors only: a whole sum is not "a factor" of itself */
    if (is_product(T))
        collect_factors(T, comp, &ncomp, MAX_COMPOSITE, 0);
    if (is_product(C))
        collect_factors(C, comp, &ncomp, 2 * MAX_COMPOSITE, 0);
    for (int i = 0; i < ncomp && d->nf < MAX_FEAT; i++) {
        char nm[96];
        print_factor(comp[i], nm, sizeof nm);
        bool dup = !nm[0];
        for (int j = d->nvars; j < d->nf && !dup; j++)
            dup = strcmp(d->f[j].name, nm) == 0;
        if (dup)
            continue;
        ex_copy(d->f[d->nf].name, sizeof d->f[d->nf].name, nm);
        d->f[d->nf].src = comp[i];
        d->nf++;
    }
    bool fast = !c->has_matrix && ex_scalar_tree(T) && ex_scalar_tree(C);
    double tv[DIAG_POINTS], cv[DIAG_POINTS];
    unsigned nt = 0, first_bad = DIAG_POINTS;
    double bad_t = 0, bad_c = 0;
    double xs[DIAG_POINTS][4];
    /* both sides are compiled and run at every point in one pass, and the
     * composite factors walked at once when they can be: then the points
     * need not be sampled (pair_at) */
    ex_batch b;
    ex_batch_init(c, &b, T, C, fast, true);
    ex_batch_fill(c, &b, 0, DIAG_POINTS);
    double fv[MAX_FEAT][DIAG_POINTS];
    bool rows = ex_batch_has(&b, 0) && b.pts.n == DIAG_POINTS;
    for (int j = d->nvars; j < d->nf && rows; j++)
        rows = ex_vec_values(c, d->f[j].src, &b.pts, fv[j]);
    for (unsigned k = 0; k < DIAG_POINTS; k++) {
        double t, v;
        const double *row;
        if (!pair_at(c, &b, rows, T, C, fast, k, &t, &v, &row))
            continue;
        if (first_bad == DIAG_POINTS && !ex_close(t, v, 1e-6)) {
            first_bad = k;
            bad_t = t;
            bad_c = v;
            for (int j = 0; j < nv0 && j < 4; j++)
                xs[0][j] = row ? row[symidx[j]] : c->sym[symidx[j]].cur;
        }
        tv[nt] = t;
        cv[nt] = v;
        if (t != 0 && v != 0) {
            unsigned i = d->n;
            d->ratio[i] = t / v;
            for (int j = 0; j < d->nvars; j++)
                d->f[j].v[i] = row ? row[symidx[j]] : c->sym[symidx[j]].cur;
            for (int j = d->nvars; j < d->nf; j++) {
                c->budget = EX_SUM_BUDGET;
                if (row)
                    d->f[j].v[i] = fv[j][k];
                else
                    d->f[j].v[i] = fast ? ex_fast(c, d->f[j].src)
                                        : ex_eval_scalar(c, d->f[j].src);
            }
            if (!c->err)
                d->n++;
        }
        nt++;
    }
    c->err = 0;
    if (first_bad == DIAG_POINTS) {
        set(res, prefix, RP_CAT_ARITHMETIC, "differs where one side is undefined");
        return;
    }
    /* constant ratio */
    if (d->n >= 3) {
        bool cst = true;
        for (unsigned i = 1; i < d->n && cst; i++)
            cst = ex_close(d->ratio[i], d->ratio[0], 1e-6);
        if (cst) {
            double k = d->ratio[0];
            if (ex_close(k, -1, 1e-9)) {
                set(res, prefix, RP_CAT_SIGN_ERROR, "claim = -truth (sign flipped)");
                return;
            }
            char kc[64];
            ex_fmt_const(k, kc, sizeof kc);
            /* between plain numbers only a whole multiple reads as a factor */
            double ik = fabs(k) >= 1 ? fabs(k) : 1 / fabs(k);
            if (d->nvars > 0 || fabs(ik - floor(ik + 0.5)) < 1e-9) {
                set(res, prefix, RP_CAT_WRONG_FACTOR,
                    "off by a constant factor %s (truth = %s \\times claim)", kc, kc);
                res->const_factor = true;
                res->const_k = k;
                ex_copy(res->factor, sizeof res->factor, kc);
                return;
            }
        }
        /* drop features that do not vary (fixed or held symbols) */
        int w = 0, nv = 0;
        for (int j = 0; j < d->nf; j++) {
            bool varies = false;
            for (unsigned i = 1; i < d->n && !varies; i++)
                varies = d->f[j].v[i] != d->f[j].v[0];
            if (!varies)
                continue;
            if (j < d->nvars)
                nv++;
            if (w != j)
                d->f[w] = d->f[j];
            w++;
        }
        d->nf = w;
        d->nvars = nv;
        for (unsigned i = 0; i < d->n; i++)
            d->logr[i] = log(fabs(d->ratio[i]));
        for (int j = 0; j < d->nf; j++) {
            d->logok[j] = true;
            for (unsigned i = 0; i < d->n; i++) {
                double v = fabs(d->f[j].v[i]);
                d->logok[j] = d->logok[j] && v > 0 && isfinite(v);
                d->logf[j][i] = v > 0 ? log(v) : 0;
            }
        }
        /* the floor or ceiling left out */
        if (has_rounding(T) && !has_rounding(C)) {
            bool same = true;
            ex_batch nob; /* the values without rounding: walked */
            memset(&nob, 0, sizeof nob);
            c->no_round = true;
            for (unsigned k = 0; k < DIAG_POINTS && same; k++) {
                double t, v;
                const double *row;
                if (pair_at(c, &nob, false, T, C, fast, k, &t, &v, &row))
                    same = ex_close(t, v, 1e-9);
            }
            c->no_round = false;
            c->err = 0;
            if (same) {
                set(res, prefix, RP_CAT_ARITHMETIC, "the rounding (floor or ceiling) is missing");
                return;
            }
        }
        if (search(d, res, prefix)) {
            /* a mixed monomial (search names every such ratio wrong_factor) may
             * rather be a missing or extra term */
            if (res->category == RP_CAT_WRONG_FACTOR && diff_term(d, tv, cv, nt, res, prefix))
                return;
            return;
        }
        if (diff_term(d, tv, cv, nt, res, prefix))
            return;
    }
    /* constant difference */
    if (nt >= 3) {
        bool cst = true;
        double d0 = tv[0] - cv[0];
        for (unsigned i = 1; i < nt && cst; i++)
            cst = fabs((tv[i] - cv[i]) - d0) <= 1e-9 * fmax(1, fmax(fabs(tv[i]), fabs(cv[i])));
        if (cst) {
            char kc[64];
            ex_fmt_const(d0, kc, sizeof kc);
            set(res, prefix, RP_CAT_ARITHMETIC, "off by %s (truth - claim = %s)", kc, kc);
            return;
        }
    }
    char where[160] = "";
    size_t o = 0;
    for (int j = 0; j < nv0 && j < 3; j++) {
        int w = snprintf(where + o, sizeof where - o, "%s%s = %.4g", j ? ", " : " at ",
                         c->sym[symidx[j]].name, xs[0][j]);
        if (w < 0 || (size_t)w >= sizeof where - o)
            break;
        o += (size_t)w;
    }
    set(res, prefix, RP_CAT_ARITHMETIC, "values differ%s: expected %.6g, claim gives %.6g", where,
        bad_t, bad_c);
}

/* ------------------------------------------------------------- matrices */

static bool near(double a, double b, double scale)
{
    return ex_close(a, b, 1e-6) || fabs(a - b) <= 1e-9 * scale;
}

/* Long (over 120 lines) because it is one ordered list of checks over the
 * same flattened entries (shape, sign, transpose, swapped pair, border,
 * constant ratio, differing entries); the first that explains the
 * difference wins. */
void ex_diag_matrix(ectx *c, const rp_latex_node *T, const rp_latex_node *C,
                    val vt, val vc, rp_equiv_result *res)
{
    (void)T;
    (void)C;
    if (vt.r <= 0 || vc.r <= 0) {
        set(res, NULL, RP_CAT_WRONG_SHAPE, "%s where %s is expected",
            vc.r > 0 ? (vc.r == 1 || vc.c == 1 || vc.vec ? "a vector" : "a matrix") : "a number",
            vt.r > 0 ? (vt.r == 1 || vt.c == 1 || vt.vec ? "a vector" : "a matrix") : "a number");
        return;
    }
    int nt = vt.r * vt.c, nc = vc.r * vc.c;
    bool tv = vt.vec || vt.r == 1 || vt.c == 1, cvv = vc.vec || vc.r == 1 || vc.c == 1;
    double scale = 0;
    for (int i = 0; i < nt; i++)
        scale = fmax(scale, fabs(vt.m[i]));
    bool flat = tv && cvv && nt == nc;
    if (!flat && (vt.r != vc.r || vt.c != vc.c)) {
        if (vt.r == vc.c && vt.c == vc.r) {
            bool tr = true;
            for (int i = 0; i < vt.r && tr; i++)
                for (int j = 0; j < vt.c && tr; j++)
                    tr = near(vt.m[i * vt.c + j], vc.m[j * vc.c + i], scale);
            if (tr) {
                set(res, NULL, RP_CAT_TRANSPOSED, "claim is the transpose of the truth (%dx%d instead of %dx%d)",
                    vc.r, vc.c, vt.r, vt.c);
                return;
            }
        }
        if (tv && cvv)
            set(res, NULL, RP_CAT_WRONG_SHAPE, "%d entries where %d are expected", nc, nt);
        else
            set(res, NULL, RP_CAT_WRONG_SHAPE, "claim is %dx%d, truth is %dx%d", vc.r, vc.c, vt.r, vt.c);
        return;
    }
    int ndiff = 0, first[2] = {-1, -1};
    bool neg = true, anynz = false;
    for (int i = 0; i < nt; i++) {
        if (!near(vt.m[i], vc.m[i], scale)) {
            if (ndiff < 2)
                first[ndiff] = i;
            ndiff++;
        }
        if (!near(vt.m[i], -vc.m[i], scale))
            neg = false;
        if (vt.m[i] != 0)
            anynz = true;
    }
    if (ndiff == 0) {
        set(res, NULL, RP_CAT_ARITHMETIC, "entries differ at some sample points");
        return;
    }
    if (neg && anynz) {
        set(res, NULL, RP_CAT_SIGN_ERROR, "every entry has the wrong sign");
        return;
    }
    if (!flat && vt.r == vt.c && vt.r > 1) {
        bool tr = true;
        for (int i = 0; i < vt.r && tr; i++)
            for (int j = 0; j < vt.c && tr; j++)
                tr = near(vt.m[i * vt.c + j], vc.m[j * vt.c + i], scale);
        if (tr) {
            set(res, NULL, RP_CAT_TRANSPOSED, "claim is the transpose of the truth");
            return;
        }
    }
    if (ndiff == 2) {
        int a = first[0], b = first[1];
        if (near(vt.m[a], vc.m[b], scale) && near(vt.m[b], vc.m[a], scale)) {
            if (flat)
                set(res, NULL, RP_CAT_SWAPPED, "entries %d and %d are swapped", a + 1, b + 1);
            else
                set(res, NULL, RP_CAT_SWAPPED, "entries (%d,%d) and (%d,%d) are swapped",
                    a / vt.c + 1, a % vt.c + 1, b / vt.c + 1, b % vt.c + 1);
            res->entries[0] = a + 1;
            res->entries[1] = b + 1;
            return;
        }
    }
    if (!flat && vt.r >= 3 && vt.c >= 3) {
        bool interior = true;
        int border = 0;
        for (int i = 0; i < vt.r; i++)
            for (int j = 0; j < vt.c; j++) {
                bool edge = i == 0 || j == 0 || i == vt.r - 1 || j == vt.c - 1;
                bool ok = near(vt.m[i * vt.c + j], vc.m[i * vt.c + j], scale);
                if (!edge && !ok)
                    interior = false;
                if (edge && !ok)
                    border++;
            }
        if (interior && border > 0) {
            set(res, NULL, RP_CAT_BOUNDARY_ERROR, "interior entries right, %d border entr%s wrong",
                border, border == 1 ? "y" : "ies");
            return;
        }
    }
    /* constant ratio */
    double k = NAN;
    bool cst = true;
    for (int i = 0; i < nt && cst; i++) {
        if (vt.m[i] == 0 && vc.m[i] == 0)
            continue;
        if (vc.m[i] == 0) {
            cst = false;
            break;
        }
        double r = vt.m[i] / vc.m[i];
        if (isnan(k))
            k = r;
        cst = ex_close(r, k, 1e-6);
    }
    if (cst && !isnan(k)) {
        char kc[64];
        ex_fmt_const(k, kc, sizeof kc);
        set(res, NULL, RP_CAT_WRONG_FACTOR, "every entry off by a factor %s (truth = %s \\times claim)",
            kc, kc);
        ex_copy(res->factor, sizeof res->factor, kc);
        return;
    }
    if (c->has_matrix) { /* random matrices: their entries mean nothing to a reader */
        set(res, NULL, RP_CAT_ARITHMETIC, "the matrix expressions differ (%d of %d entries at a random point)",
            ndiff, nt);
        return;
    }
    char d[240];
    size_t o = 0;
    int shown = 0;
    d[0] = 0;
    for (int i = 0; i < nt && shown < 4; i++) {
        if (near(vt.m[i], vc.m[i], scale))
            continue;
        int w;
        if (flat)
            w = snprintf(d + o, sizeof d - o, "%sentry %d: %.6g (expected %.6g)", shown ? "; " : "",
                         i + 1, vc.m[i], vt.m[i]);
        else
            w = snprintf(d + o, sizeof d - o, "%sentry (%d,%d): %.6g (expected %.6g)",
                         shown ? "; " : "", i / vt.c + 1, i % vt.c + 1, vc.m[i], vt.m[i]);
        if (w < 0 || (size_t)w >= sizeof d - o)
            break;
        o += (size_t)w;
        shown++;
    }
    if (ndiff > shown)
        snprintf(d + o, sizeof d - o, "; %d more", ndiff - shown);
    /* differing entries that are the truth with the sign flipped */
    int nflip = 0;
    for (int i = 0; i < nt; i++)
        if (!near(vt.m[i], vc.m[i], scale) && near(vt.m[i], -vc.m[i], scale))
            nflip++;
    if (nflip == ndiff) { /* not claim = -truth, so not a sign_error as such */
        set(res, NULL, RP_CAT_ARITHMETIC, "%d of %d entries have the wrong sign: %s", ndiff, nt, d);
        res->entries[0] = first[0] + 1;
        return;
    }
    if (nflip > 0) {
        size_t l = strlen(d);
        snprintf(d + l, sizeof d - l, " (%d with the sign flipped)", nflip);
    }
    set(res, NULL, RP_CAT_ARITHMETIC, "%d of %d entries differ: %s", ndiff, nt, d);
    res->entries[0] = first[0] + 1;
}
