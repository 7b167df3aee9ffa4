/*
 * redpen engine: the numeric operations that recompute the truth of a
 * homework part from its specification instead of trusting a typed key.
 *
 *  - dense matrices (rp_mat): products, transposes, spectral norm (Gram
 *    eigenvalues), the orthogonal factor U V^T through GSL's SVD,
 *    circular-shift detection;
 *  - 1-D convolution of signals over an index range, 2-D convolution with
 *    zero or circular padding and stride, true convolution or correlation;
 *  - pooling forward and backward (max / average);
 *  - CNN layer tables (CONV-K-F, POOL, FLATTEN, FC, GAP): parameters with or
 *    without biases and activation shapes; receptive fields;
 *  - seeded, repeatable Monte Carlo estimates;
 *  - monomial fitting K * prod v^e with small rational exponents from values
 *    computed at several sizes, printed as LaTeX;
 *  - the quantities such fits are made of: scaling of a linear layer's
 *    initialization, update norm, learning rates and backpropagated gain;
 *    the cost of matrix products; the moments of a convolution's weight
 *    gradient under random inputs.
 *
 * Nothing here knows a homework: sizes, symbols, constants and bounds come
 * from the caller (the rubric's params).
 *
 * Memory: matrices are allocated from an rp_arena given by the caller and
 * live until that arena is freed.  Every size is capped (RP_ENGINE_MAX_*);
 * larger inputs are refused with RP_ELIMIT, never truncated.  No function
 * aborts on bad input.
 */
#ifndef REDPEN_ENGINE_H
#define REDPEN_ENGINE_H

#include "redpen/core.h"

#define RP_ENGINE_MAX_DIM 4096               /* rows or columns of a matrix */
#define RP_ENGINE_MAX_CELLS ((size_t)1 << 22) /* rows * cols */
#define RP_ENGINE_MAX_TERMS ((size_t)1 << 24) /* terms of one 1-D sum */

/* ------------------------------------------------------------ matrices */

/* A dense row-major matrix.  v has rows*cols doubles, owned by whoever
 * allocated it (usually an arena through rp_mat_alloc). */
typedef struct rp_mat {
    size_t rows;
    size_t cols;
    double *v;
} rp_mat;

#define RP_MAT_AT(m, i, j) ((m)->v[(size_t)(i) * (m)->cols + (size_t)(j)])

/* A zeroed rows x cols matrix from arena a.  RP_ELIMIT past the caps,
 * RP_EINPUT for a zero dimension, RP_ENOMEM when the arena is full. */
rp_status rp_mat_alloc(rp_arena *a, size_t rows, size_t cols, rp_mat *out);

/* A matrix from a row-major array of rows*cols values (copied into a). */
rp_status rp_mat_from(rp_arena *a, size_t rows, size_t cols,
                      const double *values, rp_mat *out);

/* out = x * y; RP_EINPUT when the inner dimensions differ. */
rp_status rp_mat_mul(rp_arena *a, const rp_mat *x, const rp_mat *y,
                     rp_mat *out);

/* out = x^T. */
rp_status rp_mat_transpose(rp_arena *a, const rp_mat *x, rp_mat *out);

/* The largest singular value of x: the square root of the largest
 * eigenvalue of the (scaled) Gram matrix on the smaller side, through GSL's
 * symmetric eigensolver.  RP_EINPUT for non-finite entries. */
rp_status rp_mat_spectral_norm(const rp_mat *x, double *out);

/* The orthogonal factor of the compact SVD x = U S V^T: out = U V^T over
 * the singular values above rel_tol * the largest (rel_tol <= 0: 1e-10).
 * *rank receives how many were kept (may be NULL). */
rp_status rp_mat_orthogonalize(rp_arena *a, const rp_mat *x, double rel_tol,
                               rp_mat *out, size_t *rank);

/* True when b is a circular shift of a: b[i][j] == a[(i-dr) mod R][(j-dc) mod C]
 * for some (dr, dc), entries compared within tol.  The smallest shift in
 * row-major order is reported through dr/dc (either may be NULL). */
bool rp_mat_circshift_of(const rp_mat *a, const rp_mat *b, double tol,
                         long *dr, long *dc);

/* --------------------------------------------------------- convolution */

typedef enum rp_conv_mode {
    RP_CONV_TRUE,        /* flip and drag: sum_i x[n-i] h[i] */
    RP_CONV_CORRELATION  /* CNN style, no flip: sum_i x[n+i] h[i] */
} rp_conv_mode;

typedef enum rp_pad_kind {
    RP_PAD_ZERO,
    RP_PAD_CIRCULAR /* wrap around: the image lives on a torus */
} rp_pad_kind;

typedef enum rp_signal_kind {
    RP_SIG_SAMPLES,  /* samples[k] at index start + k, zero elsewhere */
    RP_SIG_RECT,     /* amp at start .. start+len-1, zero elsewhere */
    RP_SIG_GEOMETRIC /* amp * ratio^(n-start) for n >= start, zero before */
} rp_signal_kind;

/* A 1-D discrete-time signal.  Only RP_SIG_GEOMETRIC has infinite
 * support (to the right). */
typedef struct rp_signal {
    rp_signal_kind kind;
    long start;
    size_t len;             /* samples: count; rect: length L */
    const double *samples;  /* RP_SIG_SAMPLES only; not owned */
    double amp;             /* rect and geometric: 0 is read as 1 */
    double ratio;           /* geometric */
} rp_signal;

/* The value of s at index n. */
double rp_signal_at(const rp_signal *s, long n);

/* y[k] for n = lo + k, k = 0 .. hi-lo, of x (*) h in the given mode.
 * y must hold hi-lo+1 doubles.  RP_EUNSUPPORTED when the sum is infinite
 * (correlation of two right-infinite signals), RP_ELIMIT past
 * RP_ENGINE_MAX_TERMS terms, RP_EINPUT when hi < lo. */
rp_status rp_conv1d(const rp_signal *x, const rp_signal *h,
                    rp_conv_mode mode, long lo, long hi, double *y);

/* Options of a 2-D convolution; zero-initialised is: true convolution,
 * zero padding 0, stride 1. */
typedef struct rp_conv2d_opts {
    rp_conv_mode mode;
    rp_pad_kind pad_kind;
    size_t pad;    /* on every side */
    size_t stride; /* 0 is read as 1 */
} rp_conv2d_opts;

/* out[r][c] = sum_{i,j} xpad[r*s+i][c*s+j] * k[i][j], with k = h for
 * correlation and h rotated by 180 degrees for a true convolution.  The
 * output is floor((R + 2p - kh)/s) + 1 by floor((C + 2p - kw)/s) + 1;
 * RP_EINPUT when the kernel does not fit. */
rp_status rp_conv2d(rp_arena *a, const rp_mat *x, const rp_mat *h,
                    const rp_conv2d_opts *o, rp_mat *out);

/* ------------------------------------------------------------- pooling */

typedef enum rp_pool_kind { RP_POOL_MAX, RP_POOL_AVG } rp_pool_kind;

/* k x k pooling with the given stride (0: k), no padding. */
rp_status rp_pool2d(rp_arena *a, const rp_mat *x, size_t k, size_t stride,
                    rp_pool_kind kind, rp_mat *out);

/* The gradient with respect to x given the upstream gradient dy (the shape
 * of the pooled output): max pooling routes each dy entry to the first
 * maximum of its window (row-major), average pooling spreads dy / k^2 over
 * the window.  Overlapping windows accumulate. */
rp_status rp_pool2d_backward(rp_arena *a, const rp_mat *x, const rp_mat *dy,
                             size_t k, size_t stride, rp_pool_kind kind,
                             rp_mat *dx);

/* The backward pass as a linear map: jac is (x cells) x (pooled cells),
 * row-major on both sides, jac[i][o] = d dx_i / d dy_o (what a unit
 * gradient at output o sends to input cell i).  RP_ELIMIT when the map has
 * more than RP_ENGINE_MAX_CELLS entries. */
rp_status rp_pool2d_backward_jacobian(rp_arena *a, const rp_mat *x, size_t k,
                                      size_t stride, rp_pool_kind kind,
                                      rp_mat *jac);

/* ---------------------------------------------------------- CNN tables */

typedef enum rp_layer_kind {
    RP_LAYER_CONV,    /* CONV<k>-<filters> */
    RP_LAYER_POOL,    /* POOL<k> (max pooling, stride k by default) */
    RP_LAYER_FLATTEN, /* FLATTEN */
    RP_LAYER_FC,      /* FC-<outputs> */
    RP_LAYER_GAP      /* GAP: global average pool, one value per channel */
} rp_layer_kind;

typedef struct rp_layer {
    rp_layer_kind kind;
    long k;       /* kernel size (conv, pool) */
    long outputs; /* filters (conv) or neurons (fc) */
    long pad;     /* conv default (k-1)/2, pool default 0 */
    long stride;  /* conv default 1, pool default k */
    char name[32];
} rp_layer;

/* Parse "CONV3-10", "POOL2", "FLATTEN", "FC-3", "GAP" (case-insensitive)
 * with the defaults above.  RP_EINPUT when the text is none of these. */
rp_status rp_layer_parse(const char *spec, rp_layer *out);

/* An activation shape: h x w x c, or a flat vector of n when flat. */
typedef struct rp_shape {
    long h, w, c;
    bool flat;
    long n;
} rp_shape;

/* Number of values in a shape. */
long rp_shape_size(const rp_shape *s);

/* One row of a CNN table: the layer, its parameters and output shape. */
typedef struct rp_layer_row {
    rp_layer layer;
    long weights;
    long biases; /* 0 when bias is false */
    long params; /* weights + biases */
    rp_shape out;
} rp_layer_row;

/* Fill rows[0..n) for the layers applied in order to input.  FC applied to
 * an unflattened shape flattens it first.  RP_EINPUT when a layer does not
 * fit its input (kernel larger than the padded input), RP_ELIMIT on
 * overflow. */
rp_status rp_cnn_table(const rp_shape *input, const rp_layer *layers,
                       size_t n, bool bias, rp_layer_row *rows);

/* Receptive field (in input pixels, per side) of one output of the stack,
 * and the total stride ("jump") of the last layer; either may be NULL.
 * FLATTEN, FC and GAP are refused (RP_EINPUT). */
rp_status rp_receptive_field(const rp_layer *layers, size_t n, long *rf,
                             long *jump);

/* --------------------------------------------------------- Monte Carlo */

/* A seeded random number generator: MT19937, the same stream as GSL's
 * gsl_rng_mt19937 for the same seed.  Same seed, same stream.  Free with
 * rp_rng_free(). */
typedef struct rp_rng rp_rng;

rp_rng *rp_rng_new(uint64_t seed);
void rp_rng_free(rp_rng *r);
double rp_rng_gauss(rp_rng *r, double sigma);
double rp_rng_uniform(rp_rng *r); /* [0, 1) */
/* Uniform on [-sqrt(3) sigma, sqrt(3) sigma): mean 0, variance sigma^2. */
double rp_rng_uniform_sym(rp_rng *r, double sigma);
/* out[0..n) = n successive draws of rp_rng_gauss / rp_rng_uniform_sym:
 * the same values, in the same order, without a call per draw. */
void rp_rng_gauss_fill(rp_rng *r, double sigma, double *out, size_t n);
void rp_rng_uniform_sym_fill(rp_rng *r, double sigma, double *out, size_t n);

/* One Monte Carlo draw of k values at once (values drawn together, e.g.
 * the outputs of one random layer; k = 1 for one value): fill out[0..k);
 * set *st to a non-OK status to stop the run. */
typedef void (*rp_mc_draw_fn)(void *ctx, rp_rng *rng, double *out, size_t k,
                              rp_status *st);

/* Sample statistics of n values (n >= 2). */
typedef struct rp_mc_result {
    double mean;
    double var;    /* unbiased sample variance of the values */
    double stderr_mean;
    size_t n;
} rp_mc_result;

/* Run `draws` draws of k values each with a generator seeded by seed (0: a
 * fixed default): the statistics of all draws * k values, taken in the
 * order drawn (out->n = draws * k).  RP_EINPUT for fewer than 2 values,
 * RP_ELIMIT past 2^26 values, RP_EEVAL for a non-finite value, or the
 * status a draw set. */
rp_status rp_mc_estimate(rp_mc_draw_fn f, void *ctx, size_t draws, size_t k,
                         uint64_t seed, rp_mc_result *out);

/* ---------------------------------------------------- monomial fitting */

#define RP_FIT_MAX_VARS 8

/* A variable of a fit: its LaTeX name and the range to sample. */
typedef struct rp_fit_var {
    const char *name; /* LaTeX, e.g. "m", "\\sigma_x", "(N+1)" */
    double lo, hi;    /* 0 < lo < hi */
    bool integer;     /* round sampled values */
} rp_fit_var;

/* Compute the quantity at vals[0..n_vars), told the point's index in the
 * fit's design order (0, 1, ...); set *st on failure.  A simulation seeds
 * its random stream from the index, so that each value depends on its
 * point alone and the points may be computed in any order, or at once
 * (rp_fit_opts.jobs). */
typedef double (*rp_fit_point_fn)(void *ctx, size_t point, const double *vals,
                                  rp_status *st);

typedef struct rp_fit_opts {
    double rel_tol;     /* max relative misfit accepted; 0: 1e-6 (exact) */
    int max_den;        /* exponent denominators tried: 1..max_den; 0: 4 */
    unsigned n_random;  /* extra random points; 0: 8 */
    uint64_t seed;      /* sampling seed; 0: a fixed default */
    unsigned jobs;      /* threads computing the points; 0 or 1: the caller's
                         * alone.  With more, f is called concurrently and
                         * must be safe so */
} rp_fit_opts;

/* K * prod v_i^(num_i/den_i).  K = sign * kp/kq, or sign * sqrt(kp/kq)
 * when k_sqrt; k holds the snapped value. */
typedef struct rp_monomial {
    size_t n_vars;
    const char *names[RP_FIT_MAX_VARS]; /* not owned (the fit vars' names) */
    int num[RP_FIT_MAX_VARS];
    int den[RP_FIT_MAX_VARS];
    double k;
    long kp, kq;
    bool k_sqrt;
    bool k_exact;     /* K snapped to a small rational or its root */
    double max_rel_err; /* worst misfit over the sampled points */
    size_t n_points;
} rp_monomial;

/* Fit f to a monomial of the variables.  RP_EEVAL when f is not a monomial
 * within opts->rel_tol (changes sign, is zero, or misfits); *out holds the
 * best attempt in every case where f could be evaluated.  With
 * opts->jobs > 1 the points are shared among that many threads (f must be
 * safe to call concurrently); the fit is the same as with one (the values
 * depend on the points alone), and when threads cannot be started the
 * caller computes them all. */
rp_status rp_fit_monomial_points(const rp_fit_var *vars, size_t n_vars,
                                 rp_fit_point_fn f, void *ctx,
                                 const rp_fit_opts *opts, rp_monomial *out);

/* The monomial's value at vals[0..n_vars). */
double rp_monomial_eval(const rp_monomial *m, const double *vals);

/* The monomial as LaTeX, e.g. "2c\\,m^{2}\\,p",
 * "\\frac{1}{\\sqrt{p}}", "\\sqrt{m}".  Variables with exponent
 * 0 are left out.  RP_ELIMIT when buf (cap bytes) is too small. */
rp_status rp_monomial_latex(const rp_monomial *m, char *buf, size_t cap);

/* ------------------------------------------- scaling of linear layers */

/* Quantities of a linear layer y = c W x whose weights W (out x in) have
 * N(0,1) entries, computed at out = v[0], in = v[1] so that a monomial fit
 * over sizes gives their scaling law. */
typedef enum rp_linear_qty {
    RP_LINEAR_INIT_CONST,    /* c with Var(c (W x)_i) = 1 for x with N(0,1)
                              * entries: 1/std of (W x)_i by Monte Carlo */
    RP_LINEAR_MAX_UPDATE,    /* the largest ||dW||_2 the update bound allows */
    RP_LINEAR_SIGN_LR,       /* that norm / ||sign(G)||_2, G = d x^T a random
                              * rank-1 gradient (SignSGD's learning rate) */
    RP_LINEAR_ORTHO_LR,      /* that norm / ||U V^T||_2 of G's compact SVD
                              * (an orthogonalized update, Muon's) */
    RP_LINEAR_BACKPROP_GAIN, /* ||c W^T||_2 for a rank-1 W with entries +-1:
                              * what one layer multiplies gradients by */
    RP_LINEAR_BACKPROP_MULT  /* 1 / that gain: the multiplier that undoes it */
} rp_linear_qty;

/* How an update dW is bounded: B = factor * out^e_out * in^e_in, and
 *  - RP_UPDATE_RMS_GAIN: ||c dW x||_rms <= B for every x of RMS norm 1
 *    (the RMS-to-RMS gain c ||dW||_2 sqrt(in / out) at most B);
 *  - RP_UPDATE_SPECTRAL: ||c dW||_2 <= B. */
typedef enum rp_update_norm { RP_UPDATE_RMS_GAIN, RP_UPDATE_SPECTRAL } rp_update_norm;

typedef struct rp_update_bound {
    rp_update_norm norm;
    double factor;
    double e_out, e_in;
} rp_update_bound;

/* One quantity to compute; plain data, shared by concurrent callers. */
typedef struct rp_linear_spec {
    rp_linear_qty quantity;
    rp_update_bound bound; /* MAX_UPDATE, SIGN_LR and ORTHO_LR */
    size_t samples;        /* values of (W x)_i per point (INIT_CONST) */
    uint64_t seed;
    rp_monomial c;         /* c(out, in), fitted from INIT_CONST: every other
                            * quantity scales by it */
} rp_linear_spec;

/* The quantity of spec (an rp_linear_spec) at out = v[0], in = v[1]: an
 * rp_fit_point_fn.  Each point's random stream comes from the seed, the
 * point's index and its sizes alone; safe to call concurrently.  Sets *st
 * (RP_ENOMEM, RP_EEVAL) on failure. */
double rp_linear_at(void *spec, size_t point, const double *v, rp_status *st);


/* ----------------------------------------------------- counting costs */

#define RP_MATMUL_MAX_PRODUCTS 16

/* The runtime of a sum of matrix products, (m x n) times (n x p) costing
 * m n p each, times a constant: indices into the point's values. */
typedef struct rp_matmul_cost_spec {
    size_t n_prod;
    int dims[RP_MATMUL_MAX_PRODUCTS][3]; /* m, n, p of each product */
    int const_idx;                       /* -1: no constant */
} rp_matmul_cost_spec;

/* The cost of spec (an rp_matmul_cost_spec) at v: an rp_fit_point_fn. */
double rp_matmul_cost_at(void *spec, size_t point, const double *v,
                         rp_status *st);

/* ------------------------------------ moments of a convolution gradient */

/* The weight gradient of a valid k x k correlation layer,
 *   dW_{h,l} = sum_{i,j} dY_{i,j} X_{i+h-1, j+l-1},
 * with the input X ((m+k-1) square) and the upstream gradient dY (m x m)
 * drawn at random with independent zero-mean entries. */
typedef struct rp_conv_grad_spec {
    size_t m;        /* dY is m x m, 1 .. 64 */
    size_t k;        /* the kernel is k x k, 1 .. 32 */
    double sigma_x;  /* standard deviation of X's entries, > 0 */
    double sigma_g;  /* ... and of dY's */
    bool gauss;      /* Gaussian entries, else uniform */
    size_t samples;  /* entries of dW to draw, rounded up to whole draws of
                      * k*k; at least 2 */
    uint64_t seed;
} rp_conv_grad_spec;

/* Sample moments of dW's entries by Monte Carlo (rp_mc_estimate): the
 * random stream comes from the seed, point (the caller's index of this
 * estimate) and the spec's sizes, so equal arguments give equal moments.
 * RP_EINPUT for sizes out of range, RP_ENOMEM. */
rp_status rp_conv_grad_moments(const rp_conv_grad_spec *s, size_t point,
                               rp_mc_result *out);

#endif
