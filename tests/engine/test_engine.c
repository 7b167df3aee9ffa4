/*
 * Unit tests of the numeric engine with hand-checked values: matrices and
 * SVD, 1-D and 2-D convolution (the homework's Sobel example among
 * others), pooling forward and backward, CNN tables, receptive fields,
 * Monte Carlo (one value or a batch per draw), circular shifts, monomial
 * fitting, and the quantities fits are made of (linear-layer scaling,
 * matrix-product costs, convolution-gradient moments) with sizes, bounds
 * and deviations of the test's own.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "redpen/engine.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdatomic.h>
#include <string.h>

static const double X5[25] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13,
                              14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25};
static const double SOBEL[9] = {-1, -2, -1, 0, 0, 0, 1, 2, 1};

static void assert_mat(const rp_mat *m, size_t rows, size_t cols,
                       const double *want)
{
    assert_int_equal(m->rows, rows);
    assert_int_equal(m->cols, cols);
    for (size_t i = 0; i < rows * cols; i++)
        assert_float_equal(m->v[i], want[i], 1e-9);
}

static void test_mat_mul_transpose(void **state)
{
    (void)state;
    rp_arena *a = rp_arena_new(0);
    rp_mat x, y, z, t;
    assert_int_equal(rp_mat_from(a, 2, 2, (double[]){1, 2, 3, 4}, &x), RP_OK);
    assert_int_equal(rp_mat_from(a, 2, 2, (double[]){5, 6, 7, 8}, &y), RP_OK);
    assert_int_equal(rp_mat_mul(a, &x, &y, &z), RP_OK);
    assert_mat(&z, 2, 2, (double[]){19, 22, 43, 50});
    rp_mat w;
    assert_int_equal(rp_mat_from(a, 2, 3, (double[]){1, 2, 3, 4, 5, 6}, &w), RP_OK);
    assert_int_equal(rp_mat_transpose(a, &w, &t), RP_OK);
    assert_mat(&t, 3, 2, (double[]){1, 4, 2, 5, 3, 6});
    /* inner dimensions must agree */
    assert_int_equal(rp_mat_mul(a, &w, &w, &z), RP_EINPUT);
    /* caps */
    assert_int_equal(rp_mat_alloc(a, RP_ENGINE_MAX_DIM + 1, 1, &z), RP_ELIMIT);
    assert_int_equal(rp_mat_alloc(a, 0, 3, &z), RP_EINPUT);
    rp_arena_free(a);
}

static void test_spectral_norm_and_orthogonalize(void **state)
{
    (void)state;
    rp_arena *a = rp_arena_new(0);
    rp_mat m;
    double s;
    rp_mat_from(a, 2, 2, (double[]){3, 0, 0, -4}, &m);
    assert_int_equal(rp_mat_spectral_norm(&m, &s), RP_OK);
    assert_float_equal(s, 4.0, 1e-12);
    rp_mat_from(a, 2, 2, (double[]){1, 1, 1, 1}, &m);
    rp_mat_spectral_norm(&m, &s);
    assert_float_equal(s, 2.0, 1e-12);
    /* a wide matrix (GSL needs tall ones: the engine transposes) */
    rp_mat_from(a, 1, 3, (double[]){1, 2, 2}, &m);
    rp_mat_spectral_norm(&m, &s);
    assert_float_equal(s, 3.0, 1e-12);
    /* through the Gram matrix: huge and tiny entries neither overflow nor
     * underflow, a zero matrix has norm 0, non-finite entries are refused */
    rp_mat_from(a, 2, 2, (double[]){1e200, 0, 0, -2e200}, &m);
    assert_int_equal(rp_mat_spectral_norm(&m, &s), RP_OK);
    assert_true(fabs(s / 2e200 - 1.0) < 1e-12);
    rp_mat_from(a, 3, 1, (double[]){3e-200, 0, 4e-200}, &m);
    assert_int_equal(rp_mat_spectral_norm(&m, &s), RP_OK);
    assert_true(fabs(s / 5e-200 - 1.0) < 1e-12);
    rp_mat_from(a, 2, 3, (double[]){0, 0, 0, 0, 0, 0}, &m);
    assert_int_equal(rp_mat_spectral_norm(&m, &s), RP_OK);
    assert_float_equal(s, 0.0, 0.0);
    rp_mat_from(a, 1, 2, (double[]){1, NAN}, &m);
    assert_int_equal(rp_mat_spectral_norm(&m, &s), RP_EINPUT);
    /* rank 1: [3 4]^T [1 2] -> U V^T = [3 4]^T/5 [1 2]/sqrt(5) */
    rp_mat_from(a, 2, 2, (double[]){3, 6, 4, 8}, &m);
    rp_mat o;
    size_t rank = 0;
    assert_int_equal(rp_mat_orthogonalize(a, &m, 0, &o, &rank), RP_OK);
    assert_int_equal(rank, 1);
    double r5 = sqrt(5.0);
    assert_mat(&o, 2, 2,
               (double[]){3 / (5 * r5), 6 / (5 * r5), 4 / (5 * r5), 8 / (5 * r5)});
    rp_mat_spectral_norm(&o, &s);
    assert_float_equal(s, 1.0, 1e-12);
    /* full rank wide 2x3: U V^T has all singular values 1 */
    rp_mat_from(a, 2, 3, (double[]){1, 0, 2, 0, 3, 1}, &m);
    assert_int_equal(rp_mat_orthogonalize(a, &m, 0, &o, &rank), RP_OK);
    assert_int_equal(rank, 2);
    rp_mat ot, p;
    rp_mat_transpose(a, &o, &ot);
    rp_mat_mul(a, &o, &ot, &p);
    assert_mat(&p, 2, 2, (double[]){1, 0, 0, 1});
    rp_arena_free(a);
}

static void test_conv2d_homework(void **state)
{
    (void)state;
    rp_arena *a = rp_arena_new(0);
    rp_mat x, h, y;
    rp_mat_from(a, 5, 5, X5, &x);
    rp_mat_from(a, 3, 3, SOBEL, &h);
    rp_conv2d_opts o = {RP_CONV_TRUE, RP_PAD_ZERO, 0, 1};
    assert_int_equal(rp_conv2d(a, &x, &h, &o, &y), RP_OK);
    double m40[9], p40[9];
    for (int i = 0; i < 9; i++) {
        m40[i] = -40;
        p40[i] = 40;
    }
    assert_mat(&y, 3, 3, m40);
    o.mode = RP_CONV_CORRELATION;
    rp_conv2d(a, &x, &h, &o, &y);
    assert_mat(&y, 3, 3, p40);
    /* stride 1, pad 1 */
    o.mode = RP_CONV_TRUE;
    o.pad = 1;
    rp_conv2d(a, &x, &h, &o, &y);
    assert_mat(&y, 5, 5,
               (double[]){-19, -28, -32, -36, -29, -30, -40, -40, -40, -30,
                          -30, -40, -40, -40, -30, -30, -40, -40, -40, -30,
                          49,  68,  72,  76,  59});
    /* stride 2, pad 1 */
    o.stride = 2;
    rp_conv2d(a, &x, &h, &o, &y);
    assert_mat(&y, 3, 3, (double[]){-19, -32, -29, -30, -40, -30, 49, 72, 59});
    /* a kernel larger than the padded input */
    rp_mat big;
    rp_mat_alloc(a, 9, 9, &big);
    o.pad = 1;
    assert_int_equal(rp_conv2d(a, &x, &big, &o, &y), RP_EINPUT);
    rp_arena_free(a);
}

static void test_conv2d_circular_and_asymmetric(void **state)
{
    (void)state;
    rp_arena *a = rp_arena_new(0);
    rp_mat x, h, y;
    rp_mat_from(a, 2, 2, (double[]){1, 2, 3, 4}, &x);
    rp_mat_from(a, 1, 1, (double[]){1}, &h);
    rp_conv2d_opts o = {RP_CONV_CORRELATION, RP_PAD_CIRCULAR, 1, 1};
    assert_int_equal(rp_conv2d(a, &x, &h, &o, &y), RP_OK);
    /* the padded torus itself */
    assert_mat(&y, 4, 4,
               (double[]){4, 3, 4, 3, 2, 1, 2, 1, 4, 3, 4, 3, 2, 1, 2, 1});
    /* asymmetric kernel: true convolution flips it.  x=[1 2 3], h=[1 10]:
     * correlation gives [21 32], convolution [12 23] */
    rp_mat_from(a, 1, 3, (double[]){1, 2, 3}, &x);
    rp_mat_from(a, 1, 2, (double[]){1, 10}, &h);
    o = (rp_conv2d_opts){RP_CONV_CORRELATION, RP_PAD_ZERO, 0, 1};
    rp_conv2d(a, &x, &h, &o, &y);
    assert_mat(&y, 1, 2, (double[]){21, 32});
    o.mode = RP_CONV_TRUE;
    rp_conv2d(a, &x, &h, &o, &y);
    assert_mat(&y, 1, 2, (double[]){12, 23});
    rp_arena_free(a);
}

static void test_conv1d(void **state)
{
    (void)state;
    rp_signal x = {RP_SIG_RECT, 0, 7, NULL, 0, 0};
    rp_signal h = {RP_SIG_GEOMETRIC, 0, 0, NULL, 0, 0.5};
    double y[19];
    assert_int_equal(rp_conv1d(&x, &h, RP_CONV_TRUE, -6, 12, y), RP_OK);
    for (int n = -6; n < 0; n++)
        assert_float_equal(y[n + 6], 0.0, 1e-15);
    assert_float_equal(y[6 + 0], 1.0, 1e-15);
    assert_float_equal(y[6 + 1], 1.5, 1e-15);
    assert_float_equal(y[6 + 6], 2.0 - 1.0 / 64, 1e-15);
    assert_float_equal(y[6 + 7], 127.0 / 128, 1e-15);
    assert_float_equal(y[6 + 12], 127.0 / 4096, 1e-15);
    /* shifted input: shifted output (time invariance) */
    rp_signal x2 = x;
    x2.start = 5;
    double y2[19];
    rp_conv1d(&x2, &h, RP_CONV_TRUE, -1, 17, y2);
    for (int n = -1; n <= 17; n++)
        assert_float_equal(y2[n + 1], n - 5 >= -6 ? y[n - 5 + 6] : 0.0, 1e-15);
    /* correlation: y[0] = sum_{i=0..6} 2^-i */
    double c;
    assert_int_equal(rp_conv1d(&x, &h, RP_CONV_CORRELATION, 0, 0, &c), RP_OK);
    assert_float_equal(c, 127.0 / 64, 1e-15);
    /* finite samples: [1 2 3] * [0 1 .5] = [0 1 2.5 4 1.5] */
    double xs[3] = {1, 2, 3}, hs[3] = {0, 1, 0.5}, out[5];
    rp_signal sx = {RP_SIG_SAMPLES, 0, 3, xs, 0, 0};
    rp_signal sh = {RP_SIG_SAMPLES, 0, 3, hs, 0, 0};
    rp_conv1d(&sx, &sh, RP_CONV_TRUE, 0, 4, out);
    double want[5] = {0, 1, 2.5, 4, 1.5};
    for (int i = 0; i < 5; i++)
        assert_float_equal(out[i], want[i], 1e-15);
    /* correlation of two right-infinite signals diverges: refused */
    assert_int_equal(rp_conv1d(&h, &h, RP_CONV_CORRELATION, 0, 0, &c),
                     RP_EUNSUPPORTED);
    assert_int_equal(rp_conv1d(&x, &h, RP_CONV_TRUE, 3, 2, &c), RP_EINPUT);
}

static void test_pooling(void **state)
{
    (void)state;
    rp_arena *a = rp_arena_new(0);
    rp_mat x, y, dy, dx;
    rp_mat_from(a, 4, 4,
                (double[]){1, 3, 0, 0, 2, 0, 0, 7, 5, 5, 1, 1, 5, 5, 1, 2},
                &x);
    assert_int_equal(rp_pool2d(a, &x, 2, 2, RP_POOL_MAX, &y), RP_OK);
    assert_mat(&y, 2, 2, (double[]){3, 7, 5, 2});
    rp_pool2d(a, &x, 2, 0, RP_POOL_AVG, &y);
    assert_mat(&y, 2, 2, (double[]){1.5, 1.75, 5, 1.25});
    rp_mat_from(a, 2, 2, (double[]){10, 20, 30, 40}, &dy);
    assert_int_equal(rp_pool2d_backward(a, &x, &dy, 2, 2, RP_POOL_MAX, &dx), RP_OK);
    /* each gradient goes to its window's first maximum (ties: row-major) */
    assert_mat(&dx, 4, 4,
               (double[]){0, 10, 0, 0, 0, 0, 0, 20, 30, 0, 0, 0, 0, 0, 0, 40});
    rp_pool2d_backward(a, &x, &dy, 2, 2, RP_POOL_AVG, &dx);
    assert_mat(&dx, 4, 4,
               (double[]){2.5, 2.5, 5, 5, 2.5, 2.5, 5, 5, 7.5, 7.5, 10, 10,
                          7.5, 7.5, 10, 10});
    /* wrong upstream shape */
    rp_mat_alloc(a, 3, 3, &dy);
    assert_int_equal(rp_pool2d_backward(a, &x, &dy, 2, 2, RP_POOL_MAX, &dx),
                     RP_EINPUT);
    rp_arena_free(a);
}

/* The backward pass as a linear map, for max pooling (where the first
 * maximum of each window takes the gradient) and overlapping average
 * pooling (windows sharing cells add their shares). */
static void test_pool_jacobian(void **state)
{
    (void)state;
    rp_arena *a = rp_arena_new(1 << 20);
    const double xv[9] = {1, 5, 2, 7, 0, 3, 4, 6, 9};
    rp_mat x, jac;
    rp_mat_from(a, 3, 3, xv, &x);
    assert_int_equal(rp_pool2d_backward_jacobian(a, &x, 2, 1, RP_POOL_MAX, &jac), RP_OK);
    assert_int_equal(jac.rows, 9);
    assert_int_equal(jac.cols, 4);
    /* windows' maxima: 7 (cell 3), 5 (cell 1), 7 (cell 3), 9 (cell 8) */
    const size_t argmax[4] = {3, 1, 3, 8};
    for (size_t i = 0; i < 9; i++)
        for (size_t o = 0; o < 4; o++)
            assert_float_equal(RP_MAT_AT(&jac, i, o), argmax[o] == i ? 1 : 0, 0);
    assert_int_equal(rp_pool2d_backward_jacobian(a, &x, 2, 1, RP_POOL_AVG, &jac), RP_OK);
    /* the centre cell is in all four windows, a corner in one */
    for (size_t o = 0; o < 4; o++)
        assert_float_equal(RP_MAT_AT(&jac, 4, o), 0.25, 0);
    assert_float_equal(RP_MAT_AT(&jac, 0, 0), 0.25, 0);
    assert_float_equal(RP_MAT_AT(&jac, 0, 3), 0, 0);
    assert_int_equal(rp_pool2d_backward_jacobian(a, &x, 4, 1, RP_POOL_AVG, &jac),
                     RP_EINPUT);
    rp_arena_free(a);
}

static void test_cnn_table(void **state)
{
    (void)state;
    const char *names[] = {"CONV3-10", "POOL2", "CONV3-10", "POOL2", "FLATTEN", "FC-3"};
    rp_layer layers[6];
    for (int i = 0; i < 6; i++)
        assert_int_equal(rp_layer_parse(names[i], &layers[i]), RP_OK);
    assert_int_equal(layers[0].pad, 1);
    assert_int_equal(layers[1].stride, 2);
    rp_shape in = {28, 28, 1, false, 0};
    rp_layer_row rows[6];
    assert_int_equal(rp_cnn_table(&in, layers, 6, true, rows), RP_OK);
    long params[6] = {100, 0, 910, 0, 0, 1473};
    for (int i = 0; i < 6; i++)
        assert_int_equal(rows[i].params, params[i]);
    assert_int_equal(rows[0].out.h, 28);
    assert_int_equal(rows[0].out.c, 10);
    assert_int_equal(rows[1].out.h, 14);
    assert_int_equal(rows[3].out.h, 7);
    assert_int_equal(rows[3].out.w, 7);
    assert_int_equal(rows[3].out.c, 10);
    assert_true(rows[4].out.flat);
    assert_int_equal(rows[4].out.n, 490);
    assert_int_equal(rows[5].out.n, 3);
    assert_int_equal(rp_cnn_table(&in, layers, 6, false, rows), RP_OK);
    assert_int_equal(rows[0].params, 90);
    assert_int_equal(rows[2].params, 900);
    assert_int_equal(rows[5].params, 1470);
    rp_layer bad;
    assert_int_equal(rp_layer_parse("CONV-3", &bad), RP_EINPUT);
    assert_int_equal(rp_layer_parse("POOL", &bad), RP_EINPUT);
    assert_int_equal(rp_layer_parse("FC-0", &bad), RP_EINPUT);
    assert_int_equal(rp_layer_parse("gap", &bad), RP_OK);
    /* a kernel that does not fit */
    rp_shape tiny = {2, 2, 1, false, 0};
    rp_layer c5;
    rp_layer_parse("CONV5-1", &c5);
    c5.pad = 0;
    assert_int_equal(rp_cnn_table(&tiny, &c5, 1, true, rows), RP_EINPUT);
}

static void test_receptive_field(void **state)
{
    (void)state;
    rp_layer l[3];
    long rf, jump;
    for (int i = 0; i < 3; i++)
        rp_layer_parse("CONV3-1", &l[i]);
    assert_int_equal(rp_receptive_field(l, 3, &rf, &jump), RP_OK);
    assert_int_equal(rf, 7); /* 1 + L(K-1) */
    rp_layer_parse("POOL2", &l[1]);
    rp_receptive_field(l, 3, &rf, &jump);
    assert_int_equal(rf, 8); /* 3, then +1, then +2*2 */
    assert_int_equal(jump, 2);
    rp_layer_parse("FLATTEN", &l[2]);
    assert_int_equal(rp_receptive_field(l, 3, &rf, NULL), RP_EINPUT);
}

/* k uniform draws per call. */
static void draw_uniform(void *ctx, rp_rng *rng, double *out, size_t k,
                         rp_status *st)
{
    (void)ctx;
    (void)st;
    for (size_t i = 0; i < k; i++)
        out[i] = rp_rng_uniform(rng);
}

static void test_monte_carlo(void **state)
{
    (void)state;
    rp_mc_result r1, r2;
    assert_int_equal(rp_mc_estimate(draw_uniform, NULL, 20000, 1, 42, &r1), RP_OK);
    assert_true(fabs(r1.mean - 0.5) < 4 * r1.stderr_mean);
    assert_true(fabs(r1.var - 1.0 / 12) < 0.005);
    rp_mc_estimate(draw_uniform, NULL, 20000, 1, 42, &r2);
    assert_true(r1.mean == r2.mean); /* repeatable */
    rp_mc_estimate(draw_uniform, NULL, 20000, 1, 43, &r2);
    assert_true(r1.mean != r2.mean);
    assert_int_equal(rp_mc_estimate(draw_uniform, NULL, 1, 1, 42, &r2), RP_EINPUT);
    rp_rng *g = rp_rng_new(5);
    double s = 0, s2 = 0;
    for (int i = 0; i < 20000; i++) {
        double u = rp_rng_uniform_sym(g, 2.0);
        s += u;
        s2 += u * u;
    }
    rp_rng_free(g);
    assert_true(fabs(s / 20000) < 0.1);
    assert_true(fabs(s2 / 20000 - 4.0) < 0.2);
}

/* Stops the run on its fifth call; NaN when ctx is set. */
static void draw_failing(void *ctx, rp_rng *rng, double *out, size_t k,
                         rp_status *st)
{
    static _Thread_local int calls;
    (void)rng;
    for (size_t i = 0; i < k; i++)
        out[i] = ctx ? NAN : 1.0;
    if (!ctx && ++calls == 5)
        *st = RP_ELIMIT;
}

/* Draws of several values at once: the same statistics as one at a time
 * over the same stream; the errors. */
static void test_monte_carlo_batch(void **state)
{
    (void)state;
    rp_mc_result one, three;
    assert_int_equal(rp_mc_estimate(draw_uniform, NULL, 30000, 1, 9, &one), RP_OK);
    assert_int_equal(rp_mc_estimate(draw_uniform, NULL, 10000, 3, 9, &three),
                     RP_OK);
    assert_int_equal(three.n, 30000);
    /* the same values in the same order: the same statistics, bit for bit */
    assert_true(one.mean == three.mean);
    assert_true(one.var == three.var);
    assert_true(one.stderr_mean == three.stderr_mean);
    assert_true(fabs(three.var - 1.0 / 12) < 0.003);
    assert_int_equal(rp_mc_estimate(draw_uniform, NULL, 1, 2, 9, &three), RP_OK);
    assert_int_equal(three.n, 2);
    assert_int_equal(rp_mc_estimate(draw_uniform, NULL, 1, 1, 9, &three),
                     RP_EINPUT);
    assert_int_equal(rp_mc_estimate(draw_uniform, NULL, 10, 0, 9, &three),
                     RP_EINPUT);
    assert_int_equal(rp_mc_estimate(NULL, NULL, 10, 2, 9, &three), RP_EINPUT);
    assert_int_equal(rp_mc_estimate(draw_uniform, NULL, (size_t)1 << 20,
                                          (size_t)1 << 10, 9, &three),
                     RP_ELIMIT);
    assert_int_equal(three.n, 0);
    assert_int_equal(rp_mc_estimate(draw_failing, NULL, 100, 4, 9, &three),
                     RP_ELIMIT);
    assert_int_equal(three.n, 0);
    int nan_ctx;
    assert_int_equal(rp_mc_estimate(draw_failing, &nan_ctx, 100, 4, 9, &three),
                     RP_EEVAL);
}

/* The weight gradient of a valid correlation has mean 0 and variance
 * m^2 sigma_x^2 sigma_g^2 (a sum of m^2 independent products), whatever
 * the kernel size: checked for kernel sizes, deviations and both
 * distributions. */
static void test_conv_grad_moments(void **state)
{
    (void)state;
    const rp_conv_grad_spec specs[] = {
        {5, 2, 2.0, 0.5, true, 40000, 11},   /* var 25 */
        {3, 5, 1.5, 1.0, false, 40000, 12},  /* var 20.25 */
        {7, 1, 0.5, 3.0, false, 40000, 13},  /* var 110.25 */
    };
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
        const rp_conv_grad_spec *s = &specs[i];
        double want = (double)(s->m * s->m) * s->sigma_x * s->sigma_x *
                      s->sigma_g * s->sigma_g;
        rp_mc_result r;
        assert_int_equal(rp_conv_grad_moments(s, 0, &r), RP_OK);
        /* whole draws of k*k entries */
        assert_int_equal(r.n % (s->k * s->k), 0);
        assert_true(r.n >= s->samples);
        assert_true(fabs(r.mean) < 5 * r.stderr_mean);
        assert_true(fabs(r.var / want - 1) < 0.06);
        rp_mc_result again, other;
        rp_conv_grad_moments(s, 0, &again);
        rp_conv_grad_moments(s, 1, &other);
        assert_true(again.var == r.var); /* repeatable */
        assert_true(other.var != r.var); /* another point, another stream */
    }
    rp_conv_grad_spec bad = specs[0];
    rp_mc_result r;
    bad.k = 0;
    assert_int_equal(rp_conv_grad_moments(&bad, 0, &r), RP_EINPUT);
    bad = specs[0];
    bad.sigma_g = 0;
    assert_int_equal(rp_conv_grad_moments(&bad, 0, &r), RP_EINPUT);
}

/* c(out, in) = 1 / sqrt(in), written as a fitted monomial would be. */
static rp_monomial inv_sqrt_in(void)
{
    rp_monomial c = {0};
    c.n_vars = 2;
    c.num[0] = 0;
    c.den[0] = 1;
    c.num[1] = -1;
    c.den[1] = 2;
    c.k = 1;
    return c;
}

/* The linear-layer quantities at one size, against their closed forms,
 * for bounds other than a unit RMS one. */
static void test_linear_quantities(void **state)
{
    (void)state;
    double v[2] = {18, 50};
    rp_status st = RP_OK;
    rp_linear_spec m = {RP_LINEAR_INIT_CONST, {RP_UPDATE_RMS_GAIN, 2, 0, 0}, 40000, 3,
                        inv_sqrt_in()};
    double c = rp_linear_at(&m, 0, v, &st);
    assert_int_equal(st, RP_OK);
    assert_true(fabs(c * sqrt(50) - 1) < 0.03);
    /* RMS gain c ||dW|| sqrt(in/out) <= 2: ||dW|| = 2 sqrt(out/in) / c */
    m.quantity = RP_LINEAR_MAX_UPDATE;
    assert_float_equal(rp_linear_at(&m, 1, v, &st), 2 * sqrt(18.0), 1e-9);
    /* an orthogonalized rank-1 update has norm 1 */
    m.quantity = RP_LINEAR_ORTHO_LR;
    assert_float_equal(rp_linear_at(&m, 2, v, &st), 2 * sqrt(18.0), 1e-9);
    /* sign(G) of a rank-1 G is rank-1 with norm sqrt(out in) */
    m.quantity = RP_LINEAR_SIGN_LR;
    assert_float_equal(rp_linear_at(&m, 3, v, &st), 2 / sqrt(50.0), 1e-9);
    /* ||c W^T|| for a rank-1 +-1 W: c sqrt(out in) = sqrt(out) */
    m.quantity = RP_LINEAR_BACKPROP_GAIN;
    assert_float_equal(rp_linear_at(&m, 4, v, &st), sqrt(18.0), 1e-9);
    m.quantity = RP_LINEAR_BACKPROP_MULT;
    assert_float_equal(rp_linear_at(&m, 4, v, &st), 1 / sqrt(18.0), 1e-9);
    /* a spectral bound 3 out^(1/2) in^(1/4): ||dW|| = B / c */
    m.quantity = RP_LINEAR_MAX_UPDATE;
    m.bound = (rp_update_bound){RP_UPDATE_SPECTRAL, 3, 0.5, 0.25};
    assert_float_equal(rp_linear_at(&m, 0, v, &st),
                       3 * sqrt(18.0) * pow(50, 0.25) * sqrt(50.0), 1e-9);
    assert_int_equal(st, RP_OK);

    /* fitted over sizes: exponents 1/2 and 3/4, K = 3 */
    rp_fit_var vars[2] = {{"a", 8, 64, true}, {"b", 8, 64, true}};
    rp_monomial fit;
    rp_fit_opts fo = {1e-9, 4, 4, 1, 1};
    assert_int_equal(rp_fit_monomial_points(vars, 2, rp_linear_at, &m, &fo, &fit), RP_OK);
    assert_int_equal(fit.num[0], 1);
    assert_int_equal(fit.den[0], 2);
    assert_int_equal(fit.num[1], 3);
    assert_int_equal(fit.den[1], 4);
    assert_true(fit.k_exact && !fit.k_sqrt);
    assert_int_equal(fit.kp, 3);
    assert_int_equal(fit.kq, 1);
}

static void test_matmul_cost(void **state)
{
    (void)state;
    /* c (m n p + p p n) with v = {m, n, p, c} */
    rp_matmul_cost_spec s = {2, {{0, 1, 2}, {2, 2, 1}}, 3};
    double v[4] = {2, 3, 5, 0.5};
    rp_status st = RP_OK;
    assert_float_equal(rp_matmul_cost_at(&s, 0, v, &st), 0.5 * (30 + 75), 0);
    s.const_idx = -1;
    assert_float_equal(rp_matmul_cost_at(&s, 0, v, &st), 105, 0);
}

/* The engine's own MT19937 gives GSL's mt19937 stream bit for bit (past
 * several regenerations of the state), for the uniform and the Gaussian
 * draws, the fills included, and for seeds whose fold is 0. */
static void test_rng_matches_gsl(void **state)
{
    (void)state;
    const uint64_t seeds[] = {0, 1, 5, 4357, 0x100000001ull, 123456789012ull};
    for (size_t k = 0; k < sizeof seeds / sizeof *seeds; k++) {
        uint64_t seed = seeds[k];
        rp_rng *r = rp_rng_new(seed);
        gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
        assert_non_null(r);
        assert_non_null(g);
        gsl_rng_set(g, (unsigned long)((seed ? seed : 20251209u) ^ (seed >> 32)));
        double buf[700];
        for (int i = 0; i < 2000; i++) {
            assert_true(rp_rng_uniform(r) == gsl_rng_uniform(g));
            assert_true(rp_rng_gauss(r, 1.5) == gsl_ran_gaussian_ziggurat(g, 1.5));
            double u = (2.0 * gsl_rng_uniform(g) - 1.0) * sqrt(3.0) * 0.5;
            assert_true(rp_rng_uniform_sym(r, 0.5) == u);
        }
        rp_rng_gauss_fill(r, 2.0, buf, 700);
        for (int i = 0; i < 700; i++)
            assert_true(buf[i] == gsl_ran_gaussian_ziggurat(g, 2.0));
        rp_rng_uniform_sym_fill(r, 3.0, buf, 700);
        for (int i = 0; i < 700; i++)
            assert_true(buf[i] == (2.0 * gsl_rng_uniform(g) - 1.0) * sqrt(3.0) * 3.0);
        gsl_rng_free(g);
        rp_rng_free(r);
    }
}

static void test_circshift(void **state)
{
    (void)state;
    rp_arena *a = rp_arena_new(0);
    double v1[64] = {0}, v2[64] = {0}, v3[64] = {0}, v4[64] = {0};
    for (int j = 0; j < 8; j++)
        v1[8 + j] = 1; /* horizontal edge in row 1 */
    for (int i = 0; i < 8; i++) {
        v2[i * 8 + 1] = 1; /* vertical edge in column 1 */
        v3[i * 8 + 6] = 1; /* vertical edge in column 6 */
    }
    for (int j = 0; j < 8; j++)
        v4[5 * 8 + j] = 1; /* horizontal edge in row 5 */
    rp_mat x1, x2, x3, x4;
    rp_mat_from(a, 8, 8, v1, &x1);
    rp_mat_from(a, 8, 8, v2, &x2);
    rp_mat_from(a, 8, 8, v3, &x3);
    rp_mat_from(a, 8, 8, v4, &x4);
    long dr = -1, dc = -1;
    assert_true(rp_mat_circshift_of(&x2, &x3, 1e-12, &dr, &dc));
    assert_int_equal(dr, 0);
    assert_int_equal(dc, 5);
    assert_true(rp_mat_circshift_of(&x1, &x4, 1e-12, &dr, &dc));
    assert_int_equal(dr, 4);
    assert_int_equal(dc, 0);
    assert_false(rp_mat_circshift_of(&x1, &x3, 1e-12, NULL, NULL));
    assert_false(rp_mat_circshift_of(&x2, &x4, 1e-12, NULL, NULL));
    rp_arena_free(a);
}

/* f = coef * c * d_out^p * d_in^q with optional noise */
typedef struct fit_ctx {
    double coef;
    double p, q;
    int form;
    rp_rng *noise;
} fit_ctx;

static double fit_fn(void *vctx, size_t point, const double *v, rp_status *st)
{
    (void)point;
    (void)st;
    fit_ctx *c = vctx;
    double val;
    if (c->form == 1)
        val = v[0] + v[1]; /* not a monomial */
    else
        val = c->coef * v[0] * pow(v[1], c->p) * pow(v[2], c->q);
    if (c->noise)
        val *= 1.0 + 0.02 * (2 * rp_rng_uniform(c->noise) - 1);
    return val;
}

static void fit_expect(double coef, double p, double q, const char *want)
{
    rp_fit_var vars[3] = {{"c", 0.5, 4, false}, {"d_{out}", 2, 512, true},
                          {"d_{in}", 2, 512, true}};
    fit_ctx c = {coef, p, q, 0, NULL};
    rp_monomial m;
    assert_int_equal(rp_fit_monomial_points(vars, 3, fit_fn, &c, NULL, &m), RP_OK);
    char buf[256];
    assert_int_equal(rp_monomial_latex(&m, buf, sizeof buf), RP_OK);
    assert_string_equal(buf, want);
}

/* A point function whose value is seeded by its index (as the rubric's
 * simulations are) and which fails from point fail_from on. */
typedef struct point_ctx {
    size_t fail_from;
    atomic_size_t calls;
} point_ctx;

static double point_fn(void *vctx, size_t point, const double *v, rp_status *st)
{
    point_ctx *c = vctx;
    atomic_fetch_add(&c->calls, 1);
    if (point >= c->fail_from) {
        *st = point == c->fail_from ? RP_ELIMIT : RP_ENOMEM;
        return 0;
    }
    rp_rng *r = rp_rng_new(1000 + point);
    double noise = 1.0 + 0.02 * (2 * rp_rng_uniform(r) - 1);
    rp_rng_free(r);
    return 3.0 * v[0] * v[0] / sqrt(v[1]) * noise;
}

/* Points shared among threads give the very fit of one thread, and the
 * first failing point (in design order) decides the status. */
static void test_monomial_fit_jobs(void **state)
{
    (void)state;
    rp_fit_var vars[2] = {{"a", 2, 64, true}, {"b", 1, 50, false}};
    rp_monomial m1, m4;
    point_ctx c1 = {SIZE_MAX, 0}, c4 = {SIZE_MAX, 0};
    rp_fit_opts o = {0.1, 4, 24, 9, 1};
    assert_int_equal(rp_fit_monomial_points(vars, 2, point_fn, &c1, &o, &m1), RP_OK);
    o.jobs = 4;
    assert_int_equal(rp_fit_monomial_points(vars, 2, point_fn, &c4, &o, &m4), RP_OK);
    assert_int_equal(m1.n_points, 32);
    assert_int_equal(atomic_load(&c4.calls), 32);
    assert_int_equal(m1.num[0], 2);
    assert_int_equal(m1.num[1], -1);
    assert_int_equal(m1.den[1], 2);
    assert_true(m1.k == m4.k && m1.max_rel_err == m4.max_rel_err);
    assert_memory_equal(m1.num, m4.num, sizeof m1.num);
    assert_memory_equal(m1.den, m4.den, sizeof m1.den);
    for (unsigned jobs = 1; jobs <= 100; jobs += 33) {
        point_ctx bad = {5, 0};
        o.jobs = jobs;
        assert_int_equal(rp_fit_monomial_points(vars, 2, point_fn, &bad, &o, &m4),
                         RP_ELIMIT);
        if (jobs == 1) /* one job stops at the failing point */
            assert_int_equal(atomic_load(&bad.calls), 6);
    }
}

static void test_monomial_fit(void **state)
{
    (void)state;
    fit_expect(2, 2, 1, "2c\\,d_{out}^{2}\\,d_{in}");
    fit_expect(2, 1, 2, "2c\\,d_{out}\\,d_{in}^{2}");
    fit_expect(1, 0, -0.5, "\\frac{c}{\\sqrt{d_{in}}}");
    fit_expect(1, 0.5, 0.5, "c\\,\\sqrt{d_{out}\\,d_{in}}");
    fit_expect(-1.5, -1, 0, "-\\frac{3c}{2d_{out}}");
    fit_expect(sqrt(2.0), 1.5, 0, "c\\,d_{out}\\,\\sqrt{2\\,d_{out}}");
    fit_expect(1.0 / 3, 0, 1.0 / 3, "\\frac{c\\,d_{in}^{\\frac{1}{3}}}{3}");

    /* not a monomial: refused */
    rp_fit_var vars[3] = {{"x", 1, 100, false}, {"y", 1, 100, false},
                          {"z", 1, 2, false}};
    fit_ctx bad = {1, 1, 1, 1, NULL};
    rp_monomial m;
    assert_int_equal(rp_fit_monomial_points(vars, 2, fit_fn, &bad, NULL, &m), RP_EEVAL);

    /* noisy values with a tolerance: exponents still exact */
    fit_ctx noisy = {1, 0.5, 0, 0, rp_rng_new(3)};
    rp_fit_opts o = {0.1, 4, 8, 1, 0};
    rp_fit_var v3[3] = {{"c", 0.5, 4, false}, {"d_{out}", 4, 256, true},
                        {"d_{in}", 4, 256, true}};
    assert_int_equal(rp_fit_monomial_points(v3, 3, fit_fn, &noisy, &o, &m), RP_OK);
    assert_int_equal(m.num[1], 1);
    assert_int_equal(m.den[1], 2);
    assert_int_equal(m.num[2], 0);
    assert_true(m.k_exact);
    assert_float_equal(m.k, 1.0, 1e-12);
    assert_true(m.max_rel_err < 0.1);
    rp_rng_free(noisy.noise);
    double at[3] = {2, 16, 9};
    assert_float_equal(rp_monomial_eval(&m, at), 8.0, 1e-12);
    /* buffer too small */
    char tiny[4];
    assert_int_equal(rp_monomial_latex(&m, tiny, sizeof tiny), RP_ELIMIT);
    /* bad ranges */
    rp_fit_var badv = {"x", 0, 1, false};
    assert_int_equal(rp_fit_monomial_points(&badv, 1, fit_fn, &bad, NULL, &m), RP_EINPUT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mat_mul_transpose),
        cmocka_unit_test(test_spectral_norm_and_orthogonalize),
        cmocka_unit_test(test_conv2d_homework),
        cmocka_unit_test(test_conv2d_circular_and_asymmetric),
        cmocka_unit_test(test_conv1d),
        cmocka_unit_test(test_pooling),
        cmocka_unit_test(test_pool_jacobian),
        cmocka_unit_test(test_cnn_table),
        cmocka_unit_test(test_receptive_field),
        cmocka_unit_test(test_monte_carlo),
        cmocka_unit_test(test_monte_carlo_batch),
        cmocka_unit_test(test_conv_grad_moments),
        cmocka_unit_test(test_linear_quantities),
        cmocka_unit_test(test_matmul_cost),
        cmocka_unit_test(test_rng_matches_gsl),
        cmocka_unit_test(test_circshift),
        cmocka_unit_test(test_monomial_fit),
        cmocka_unit_test(test_monomial_fit_jobs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
