/*
 * Complex answers: i as the imaginary unit where the answer is a complex
 * number (1+2i is i(2-i), \frac{1}{1+i} is \frac{1-i}{2}).
 *
 * The rule (evidence, not a word list): the truth's only free symbol is
 * i, written bare (no subscript, no brackets), and i is not declared a
 * variable in the options.  A sum over i binds it (\sum_{i=1}^{5} i has
 * no free i), x_i is the symbol x_{i}, and a truth with any other symbol
 * beside i (n - i + 1) keeps i an ordinary variable; so does every claim
 * whose truth has no i.  Both sides are then evaluated in complex
 * arithmetic; other symbols of the claim take the values of the sampled
 * points.  Written decimals agree within their rounding (0.707+0.707i for
 * e^{i\pi/4}).
 */
#include "expr_int.h"

#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* C11's CMPLX is missing where the compiler does not say it is GCC 4.7 or
 * later (glibc's test; clang is one): build the value through its two
 * parts, which C11 lays out as an array of two doubles. */
#ifndef CMPLX
static inline double complex cx_make(double re, double im)
{
    double complex z;
    double *p = (double *)&z;
    p[0] = re;
    p[1] = im;
    return z;
}
#define CMPLX(re, im) cx_make((re), (im))
#endif

#define CX_POINTS 8

typedef rp_latex_node node;
typedef double complex cplx;

bool ex_complex_wanted(const ectx *c)
{
    int unit = -1;
    for (int k = 0; k < c->nsym; k++) {
        const esym *s = &c->sym[k];
        if (s->n_truth == 0)
            continue;
        if (strcmp(s->key, "i") != 0 || s->declared || s->kind != SK_SCALAR || s->bound_var)
            return false; /* another symbol in the truth, or i declared */
        unit = k;
    }
    return unit >= 0 && !c->has_matrix;
}

/* The symbol of x at the current point: i the unit, e Euler's number,
 * others their sampled values; false for what is no scalar. */
static bool cx_sym(ectx *c, const node *x, cplx *v)
{
    if (x->aux == -4) {
        *v = M_E;
        return true;
    }
    if (x->aux <= 0)
        return false;
    const esym *s = &c->sym[x->aux - 1];
    if (s->kind != SK_SCALAR)
        return false;
    *v = strcmp(s->key, "i") == 0 ? I : s->cur;
    return true;
}

/* x without a negative zero imaginary part: on the branch cut of sqrt,
 * log and powers, -1 - 0i would give -i for \sqrt{-1}. */
static cplx cut(cplx x)
{
    cplx real = creal(x); /* a real converted: the imaginary part is +0 */
    return cimag(x) == 0 ? real : x;
}

/* a^b, exactly for small whole exponents (i^2 is -1, not -1 + 1e-16 i). */
static cplx cx_pow(cplx a, cplx b)
{
    double e = creal(b);
    if (cimag(b) == 0 && e == floor(e) && fabs(e) <= 64) {
        cplx r = 1, x = a;
        for (long n = (long)fabs(e); n; n >>= 1) {
            if (n & 1)
                r *= x;
            x *= x;
        }
        return e < 0 ? 1 / r : r;
    }
    return cpow(cut(a), b);
}

static bool cx_eval(ectx *c, const node *x, cplx *v, int depth);


static bool cx_func(ectx *c, const node *x, cplx *v, int depth)
{
    cplx a;
    if (x->n_kid == 0 || !cx_eval(c, x->kid[0], &a, depth + 1))
        return false;
    switch (x->op) {
    case RP_LF_EXP: *v = cexp(a); return true;
    case RP_LF_SIN: *v = csin(a); return true;
    case RP_LF_COS: *v = ccos(a); return true;
    case RP_LF_TAN: *v = ctan(a); return true;
    case RP_LF_TANH: *v = ctanh(a); return true;
    case RP_LF_LN:
    case RP_LF_LOG:
        if (x->flags & RP_LXF_BRACKET)
            return false; /* a base: real logarithms only */
        *v = clog(cut(a));
        return true;
    default: break;
    }
    if (x->name && strcmp(x->name, "sinh") == 0)
        *v = csinh(a);
    else if (x->name && strcmp(x->name, "cosh") == 0)
        *v = ccosh(a);
    else
        return false;
    return true;
}

/* x in complex arithmetic at the current point; false for what this file
 * does not evaluate (matrices, sums, cases, relations, unknown functions). */
static bool cx_eval(ectx *c, const node *x, cplx *v, int depth)
{
    if (!x || depth > RP_LATEX_MAX_TREE)
        return false;
    cplx a, b;
    switch (x->kind) {
    case RP_LX_NUM: *v = x->num; return true;
    case RP_LX_CONST:
        if (x->op == RP_LC_INF)
            return false;
        *v = x->op == RP_LC_PI ? M_PI : M_E;
        return true;
    case RP_LX_SYM: return cx_sym(c, x, v);
    case RP_LX_NEG:
        if (!cx_eval(c, x->kid[0], &a, depth + 1))
            return false;
        *v = -a;
        return true;
    case RP_LX_ABS:
        if (!cx_eval(c, x->kid[0], &a, depth + 1))
            return false;
        *v = cabs(a);
        return true;
    case RP_LX_SQRT:
        if (!cx_eval(c, x->kid[0], &a, depth + 1))
            return false;
        if (x->n_kid == 1) {
            *v = csqrt(cut(a));
            return true;
        }
        if (!cx_eval(c, x->kid[1], &b, depth + 1))
            return false;
        /* a real odd root of a negative number is real (\sqrt[3]{-8} = -2) */
        if (cimag(a) == 0 && cimag(b) == 0 && creal(a) < 0 && fmod(creal(b), 2) != 0 &&
            creal(b) == floor(creal(b)))
            *v = -pow(-creal(a), 1 / creal(b));
        else
            *v = cpow(cut(a), 1 / b);
        return true;
    case RP_LX_FUNC: return cx_func(c, x, v, depth);
    case RP_LX_ADD:
    case RP_LX_SUB:
    case RP_LX_MUL:
    case RP_LX_DIV:
    case RP_LX_POW:
        if (x->kind == RP_LX_MUL && x->aux != 0)
            return false; /* an entry y(n) or a function f(x) */
        if (!cx_eval(c, x->kid[0], &a, depth + 1) || !cx_eval(c, x->kid[1], &b, depth + 1))
            return false;
        *v = x->kind == RP_LX_ADD ? a + b : x->kind == RP_LX_SUB ? a - b
           : x->kind == RP_LX_MUL ? a * b : x->kind == RP_LX_DIV ? a / b : cx_pow(a, b);
        return true;
    default: return false;
    }
}

/* The fewest significant digits of a decimal written in x (0: none), for
 * the tolerance of a claim such as 0.707 + 0.707i. */
static int fewest_digits(const node *x, int depth)
{
    if (!x || depth > RP_LATEX_MAX_TREE)
        return 0;
    int best = x->kind == RP_LX_NUM && x->decimals > 0 && x->sig >= 2 ? x->sig : 0;
    for (size_t i = 0; i < x->n_kid; i++) {
        int k = fewest_digits(x->kid[i], depth + 1);
        if (k && (!best || k < best))
            best = k;
    }
    return best;
}

static void cx_print(cplx z, char *out, size_t cap)
{
    double re = creal(z), im = cimag(z);
    if (fabs(im) <= 1e-12 * fmax(1, fabs(re)))
        snprintf(out, cap, "%.6g", re);
    else if (fabs(re) <= 1e-12 * fmax(1, fabs(im)))
        snprintf(out, cap, "%.6gi", im);
    else
        snprintf(out, cap, "%.6g %s %.6gi", re, im < 0 ? "-" : "+", fabs(im));
}

static bool cx_close(cplx a, cplx b, double tol)
{
    double d = cabs(a - b);
    return d <= tol * fmax(cabs(a), cabs(b)) || d <= 1e-12;
}

bool ex_complex_compare(ectx *c, const node *T, const node *C, double tol, rp_equiv_result *res)
{
    int digits = fewest_digits(C, 0);
    if (digits)
        tol = fmax(tol, 0.5 * pow(10, 1 - digits) * (1 + 1e-9));
    for (unsigned k = 0; k < CX_POINTS; k++) {
        ex_sample(c, k);
        cplx t, v;
        if (!cx_eval(c, T, &t, 0) || !cx_eval(c, C, &v, 0))
            return false; /* the usual comparison says what it can */
        if (!isfinite(creal(t)) || !isfinite(cimag(t)) || !isfinite(creal(v)) ||
            !isfinite(cimag(v)))
            return false;
        if (cx_close(t, v, tol))
            continue;
        char ts[64], vs[64];
        cx_print(t, ts, sizeof ts);
        cx_print(v, vs, sizeof vs);
        bool neg = cx_close(t, -v, tol), conj_ = cx_close(t, conj(v), tol);
        ex_set_category(res, neg ? RP_CAT_SIGN_ERROR : RP_CAT_ARITHMETIC);
        snprintf(res->detail, sizeof res->detail, "%s: expected %s, the claim gives %s",
                 neg ? "the opposite sign" : conj_ ? "the complex conjugate" : "complex values differ",
                 ts, vs);
        return true;
    }
    res->verdict = RP_EQUIV_EQUAL;
    return true;
}
