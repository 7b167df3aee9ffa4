/*
 * Pooling forward and backward: k x k windows with a stride and no
 * padding.  The backward pass shows where the gradient goes: to the
 * (first) maximum of each window for max pooling, spread evenly over the
 * window for average pooling; as a number for a given upstream gradient,
 * or as the linear map from the upstream gradient (its Jacobian), from
 * which symbolic answers such as "dy_{1,1}" are written.
 */
#include "redpen/engine.h"

static rp_status pool_shape(const rp_mat *x, size_t k, size_t *stride,
                            size_t *orows, size_t *ocols)
{
    if (!x->v || k == 0 || x->rows < k || x->cols < k)
        return RP_EINPUT;
    if (*stride == 0)
        *stride = k;
    if (k > RP_ENGINE_MAX_DIM || *stride > RP_ENGINE_MAX_DIM)
        return RP_ELIMIT;
    *orows = (x->rows - k) / *stride + 1;
    *ocols = (x->cols - k) / *stride + 1;
    return RP_OK;
}

/* Row-major position of the first maximum of the window at (r0, c0). */
static void window_argmax(const rp_mat *x, size_t r0, size_t c0, size_t k,
                          size_t *bi, size_t *bj)
{
    *bi = r0;
    *bj = c0;
    for (size_t i = r0; i < r0 + k; i++)
        for (size_t j = c0; j < c0 + k; j++)
            if (RP_MAT_AT(x, i, j) > RP_MAT_AT(x, *bi, *bj)) {
                *bi = i;
                *bj = j;
            }
}

rp_status rp_pool2d(rp_arena *a, const rp_mat *x, size_t k, size_t stride,
                    rp_pool_kind kind, rp_mat *out)
{
    size_t orows, ocols;
    rp_status st = pool_shape(x, k, &stride, &orows, &ocols);
    if (st == RP_OK)
        st = rp_mat_alloc(a, orows, ocols, out);
    if (st != RP_OK)
        return st;
    for (size_t r = 0; r < orows; r++)
        for (size_t c = 0; c < ocols; c++) {
            if (kind == RP_POOL_MAX) {
                size_t bi, bj;
                window_argmax(x, r * stride, c * stride, k, &bi, &bj);
                RP_MAT_AT(out, r, c) = RP_MAT_AT(x, bi, bj);
            } else {
                double acc = 0.0;
                for (size_t i = 0; i < k; i++)
                    for (size_t j = 0; j < k; j++)
                        acc += RP_MAT_AT(x, r * stride + i, c * stride + j);
                RP_MAT_AT(out, r, c) = acc / (double)(k * k);
            }
        }
    return RP_OK;
}

rp_status rp_pool2d_backward(rp_arena *a, const rp_mat *x, const rp_mat *dy,
                             size_t k, size_t stride, rp_pool_kind kind,
                             rp_mat *dx)
{
    size_t orows, ocols;
    rp_status st = pool_shape(x, k, &stride, &orows, &ocols);
    if (st != RP_OK)
        return st;
    if (!dy->v || dy->rows != orows || dy->cols != ocols)
        return RP_EINPUT;
    st = rp_mat_alloc(a, x->rows, x->cols, dx);
    if (st != RP_OK)
        return st;
    for (size_t r = 0; r < orows; r++)
        for (size_t c = 0; c < ocols; c++) {
            double g = RP_MAT_AT(dy, r, c);
            if (kind == RP_POOL_MAX) {
                size_t bi, bj;
                window_argmax(x, r * stride, c * stride, k, &bi, &bj);
                RP_MAT_AT(dx, bi, bj) += g;
            } else {
                for (size_t i = 0; i < k; i++)
                    for (size_t j = 0; j < k; j++)
                        RP_MAT_AT(dx, r * stride + i, c * stride + j) +=
                            g / (double)(k * k);
            }
        }
    return RP_OK;
}

rp_status rp_pool2d_backward_jacobian(rp_arena *a, const rp_mat *x, size_t k,
                                      size_t stride, rp_pool_kind kind,
                                      rp_mat *jac)
{
    size_t orows, ocols;
    rp_status st = pool_shape(x, k, &stride, &orows, &ocols);
    size_t cells = x->rows * x->cols, outs = orows * ocols;
    rp_mat dy, dx;
    if (st == RP_OK)
        st = rp_mat_alloc(a, cells, outs, jac);
    if (st == RP_OK)
        st = rp_mat_alloc(a, orows, ocols, &dy);
    /* dx is linear in dy: column o is dx for a unit gradient at output o */
    for (size_t o = 0; st == RP_OK && o < outs; o++) {
        dy.v[o] = 1.0;
        st = rp_pool2d_backward(a, x, &dy, k, stride, kind, &dx);
        dy.v[o] = 0.0;
        for (size_t i = 0; st == RP_OK && i < cells; i++)
            RP_MAT_AT(jac, i, o) = dx.v[i];
    }
    return st;
}
