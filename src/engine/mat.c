/*
 * Dense matrices of the engine: allocation under caps, products,
 * transposes, the spectral norm (from the Gram matrix's eigenvalues), the
 * orthogonal factor U V^T through GSL's SVD, and detection of circular
 * shifts between two images.
 */
#include "redpen/engine.h"

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
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

rp_status rp_mat_alloc(rp_arena *a, size_t rows, size_t cols, rp_mat *out)
{
    memset(out, 0, sizeof *out);
    if (rows == 0 || cols == 0)
        return RP_EINPUT;
    if (rows > RP_ENGINE_MAX_DIM || cols > RP_ENGINE_MAX_DIM ||
        rows * cols > RP_ENGINE_MAX_CELLS)
        return RP_ELIMIT;
    double *v = rp_arena_alloc(a, rows * cols * sizeof *v);
    if (!v)
        return RP_ENOMEM;
    out->rows = rows;
    out->cols = cols;
    out->v = v;
    return RP_OK;
}

rp_status rp_mat_from(rp_arena *a, size_t rows, size_t cols,
                      const double *values, rp_mat *out)
{
    rp_status st = rp_mat_alloc(a, rows, cols, out);
    if (st == RP_OK)
        memcpy(out->v, values, rows * cols * sizeof *values);
    return st;
}

rp_status rp_mat_mul(rp_arena *a, const rp_mat *x, const rp_mat *y,
                     rp_mat *out)
{
    if (x->cols != y->rows)
        return RP_EINPUT;
    rp_status st = rp_mat_alloc(a, x->rows, y->cols, out);
    if (st != RP_OK)
        return st;
    for (size_t i = 0; i < x->rows; i++)
        for (size_t k = 0; k < x->cols; k++) {
            double xik = RP_MAT_AT(x, i, k);
            if (xik == 0.0)
                continue;
            for (size_t j = 0; j < y->cols; j++)
                RP_MAT_AT(out, i, j) += xik * RP_MAT_AT(y, k, j);
        }
    return RP_OK;
}

rp_status rp_mat_transpose(rp_arena *a, const rp_mat *x, rp_mat *out)
{
    rp_status st = rp_mat_alloc(a, x->cols, x->rows, out);
    if (st != RP_OK)
        return st;
    for (size_t i = 0; i < x->rows; i++)
        for (size_t j = 0; j < x->cols; j++)
            RP_MAT_AT(out, j, i) = RP_MAT_AT(x, i, j);
    return RP_OK;
}

/* The SVD of x (or of x^T when x is wide, since GSL needs rows >= cols):
 * u (M x N) holds U, v (N x N) holds V, s the singular values, with
 * M >= N.  *transposed says which. */
typedef struct svd_work {
    gsl_matrix *u;
    gsl_matrix *v;
    gsl_vector *s;
    bool transposed;
} svd_work;

static void svd_free(svd_work *w)
{
    if (w->u)
        gsl_matrix_free(w->u);
    if (w->v)
        gsl_matrix_free(w->v);
    if (w->s)
        gsl_vector_free(w->s);
}

static rp_status svd_run(const rp_mat *x, svd_work *w)
{
    memset(w, 0, sizeof *w);
    if (!x->v || x->rows == 0 || x->cols == 0)
        return RP_EINPUT;
    if (x->rows > RP_ENGINE_MAX_DIM || x->cols > RP_ENGINE_MAX_DIM)
        return RP_ELIMIT;
    w->transposed = x->rows < x->cols;
    size_t m = w->transposed ? x->cols : x->rows;
    size_t n = w->transposed ? x->rows : x->cols;
    w->u = gsl_matrix_alloc(m, n);
    w->v = gsl_matrix_alloc(n, n);
    w->s = gsl_vector_alloc(n);
    if (!w->u || !w->v || !w->s) {
        svd_free(w);
        return RP_ENOMEM;
    }
    for (size_t i = 0; i < x->rows; i++)
        for (size_t j = 0; j < x->cols; j++) {
            double val = RP_MAT_AT(x, i, j);
            if (!isfinite(val)) {
                svd_free(w);
                return RP_EINPUT;
            }
            if (w->transposed)
                gsl_matrix_set(w->u, j, i, val);
            else
                gsl_matrix_set(w->u, i, j, val);
        }
    gsl_quiet();
    int rc = gsl_linalg_SV_decomp_jacobi(w->u, w->v, w->s);
    if (rc != GSL_SUCCESS) {
        svd_free(w);
        return RP_EEVAL;
    }
    return RP_OK;
}

/* The Gram matrix of x scaled by 2^-e, on the smaller side: x^T x when x
 * is tall, x x^T when it is wide, so its order is min(rows, cols).  The
 * power-of-two scale keeps the largest entry near 1, so squaring neither
 * overflows on huge entries nor rounds differently from the unscaled
 * product; *e receives the exponent.  Only the lower triangle is filled
 * (gsl_eigen_symm reads no more). */
static rp_status gram_scaled(const rp_mat *x, gsl_matrix **out, int *e)
{
    *out = NULL;
    *e = 0;
    if (!x->v || x->rows == 0 || x->cols == 0)
        return RP_EINPUT;
    if (x->rows > RP_ENGINE_MAX_DIM || x->cols > RP_ENGINE_MAX_DIM)
        return RP_ELIMIT;
    double amax = 0.0;
    for (size_t i = 0; i < x->rows * x->cols; i++) {
        if (!isfinite(x->v[i]))
            return RP_EINPUT;
        if (fabs(x->v[i]) > amax)
            amax = fabs(x->v[i]);
    }
    if (amax > 0.0)
        frexp(amax, e);
    bool wide = x->rows < x->cols;
    size_t n = wide ? x->rows : x->cols, m = wide ? x->cols : x->rows;
    gsl_matrix *g = gsl_matrix_alloc(n, n);
    /* the scaled matrix with the long side along rows, so each Gram
     * entry is a dot product of two contiguous rows */
    double *t = malloc(n * m * sizeof *t);
    if (!g || !t) {
        if (g)
            gsl_matrix_free(g);
        free(t);
        return RP_ENOMEM;
    }
    for (size_t i = 0; i < x->rows; i++)
        for (size_t j = 0; j < x->cols; j++) {
            double v = ldexp(RP_MAT_AT(x, i, j), -*e);
            if (wide)
                t[i * m + j] = v;
            else
                t[j * m + i] = v;
        }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j <= i; j++) {
            const double *a = t + i * m, *b = t + j * m;
            double acc = 0.0;
            for (size_t k = 0; k < m; k++)
                acc += a[k] * b[k];
            gsl_matrix_set(g, i, j, acc);
        }
    free(t);
    *out = g;
    return RP_OK;
}

/* The largest singular value is the square root of the largest
 * eigenvalue of the Gram matrix.  A symmetric eigensolver on the small
 * Gram matrix (tridiagonal QR, eigenvalues only) costs a fraction of a
 * full Jacobi SVD, and the largest eigenvalue comes out to a few ulps,
 * which the square root halves. */
rp_status rp_mat_spectral_norm(const rp_mat *x, double *out)
{
    gsl_matrix *g;
    int e;
    rp_status st = gram_scaled(x, &g, &e);
    if (st != RP_OK)
        return st;
    size_t n = g->size1;
    gsl_vector *eval = gsl_vector_alloc(n);
    gsl_eigen_symm_workspace *w = gsl_eigen_symm_alloc(n);
    if (!eval || !w) {
        st = RP_ENOMEM;
        goto done;
    }
    gsl_quiet();
    if (gsl_eigen_symm(g, eval, w) != GSL_SUCCESS) {
        st = RP_EEVAL;
        goto done;
    }
    double best = 0.0;
    for (size_t i = 0; i < n; i++)
        if (gsl_vector_get(eval, i) > best)
            best = gsl_vector_get(eval, i);
    *out = ldexp(sqrt(best), e);
done:
    if (w)
        gsl_eigen_symm_free(w);
    if (eval)
        gsl_vector_free(eval);
    gsl_matrix_free(g);
    return st;
}

rp_status rp_mat_orthogonalize(rp_arena *a, const rp_mat *x, double rel_tol,
                               rp_mat *out, size_t *rank)
{
    if (rel_tol <= 0)
        rel_tol = 1e-10;
    svd_work w;
    rp_status st = svd_run(x, &w);
    if (st != RP_OK)
        return st;
    st = rp_mat_alloc(a, x->rows, x->cols, out);
    if (st != RP_OK) {
        svd_free(&w);
        return st;
    }
    double smax = 0.0;
    for (size_t i = 0; i < w.s->size; i++)
        if (gsl_vector_get(w.s, i) > smax)
            smax = gsl_vector_get(w.s, i);
    size_t kept = 0;
    size_t m = w.u->size1, n = w.u->size2;
    for (size_t r = 0; r < n; r++) {
        if (smax == 0.0 || gsl_vector_get(w.s, r) <= rel_tol * smax)
            continue;
        kept++;
        /* add u_r v_r^T (of the possibly transposed problem) */
        for (size_t i = 0; i < m; i++) {
            double ui = gsl_matrix_get(w.u, i, r);
            for (size_t j = 0; j < n; j++) {
                double t = ui * gsl_matrix_get(w.v, j, r);
                if (w.transposed)
                    RP_MAT_AT(out, j, i) += t;
                else
                    RP_MAT_AT(out, i, j) += t;
            }
        }
    }
    if (rank)
        *rank = kept;
    svd_free(&w);
    return RP_OK;
}

static size_t wrap(long i, size_t n)
{
    long r = i % (long)n;
    return (size_t)(r < 0 ? r + (long)n : r);
}

bool rp_mat_circshift_of(const rp_mat *a, const rp_mat *b, double tol,
                         long *dr, long *dc)
{
    if (!a->v || !b->v || a->rows != b->rows || a->cols != b->cols)
        return false;
    size_t R = a->rows, C = a->cols;
    for (size_t sr = 0; sr < R; sr++)
        for (size_t sc = 0; sc < C; sc++) {
            bool same = true;
            for (size_t i = 0; i < R && same; i++)
                for (size_t j = 0; j < C; j++) {
                    double av = RP_MAT_AT(a, wrap((long)i - (long)sr, R),
                                          wrap((long)j - (long)sc, C));
                    if (fabs(av - RP_MAT_AT(b, i, j)) > tol) {
                        same = false;
                        break;
                    }
                }
            if (same) {
                if (dr)
                    *dr = (long)sr;
                if (dc)
                    *dc = (long)sc;
                return true;
            }
        }
    return false;
}
