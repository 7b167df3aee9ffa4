/*
 * Convolution in one and two dimensions.  1-D: signals with finite or
 * right-infinite (geometric) support, evaluated over an index range by
 * summing over the finite part of the supports.  2-D: true convolution
 * (kernel rotated by 180 degrees) or CNN-style correlation, with zero or
 * circular padding and a stride.
 */
#include "redpen/engine.h"

#include <limits.h>
#include <math.h>
#include <stddef.h>

double rp_signal_at(const rp_signal *s, long n)
{
    double amp = s->amp == 0.0 ? 1.0 : s->amp;
    switch (s->kind) {
    case RP_SIG_SAMPLES:
        if (!s->samples || n < s->start || (size_t)(n - s->start) >= s->len)
            return 0.0;
        return s->samples[n - s->start];
    case RP_SIG_RECT:
        if (n < s->start || (size_t)(n - s->start) >= s->len)
            return 0.0;
        return amp;
    case RP_SIG_GEOMETRIC:
        if (n < s->start)
            return 0.0;
        return amp * pow(s->ratio, (double)(n - s->start));
    }
    return 0.0;
}

/* The support [lo, hi] of s; hi = LONG_MAX for a right-infinite one.
 * Returns false for an empty support. */
static bool support(const rp_signal *s, long *lo, long *hi)
{
    *lo = s->start;
    if (s->kind == RP_SIG_GEOMETRIC) {
        *hi = LONG_MAX;
        return true;
    }
    if (s->len == 0 || s->len > (size_t)LONG_MAX / 4)
        return false;
    *hi = s->start + (long)s->len - 1;
    return true;
}

static long lmax(long a, long b) { return a > b ? a : b; }
static long lmin(long a, long b) { return a < b ? a : b; }

rp_status rp_conv1d(const rp_signal *x, const rp_signal *h,
                    rp_conv_mode mode, long lo, long hi, double *y)
{
    if (hi < lo || (unsigned long)(hi - lo) >= RP_ENGINE_MAX_TERMS)
        return hi < lo ? RP_EINPUT : RP_ELIMIT;
    if (x->start < -(LONG_MAX / 4) || x->start > LONG_MAX / 4 ||
        h->start < -(LONG_MAX / 4) || h->start > LONG_MAX / 4 ||
        lo < -(LONG_MAX / 4) || hi > LONG_MAX / 4)
        return RP_ELIMIT;
    long xa = 0, xb = 0, ha = 0, hb = 0;
    bool xs = support(x, &xa, &xb), hs = support(h, &ha, &hb);
    size_t terms = 0;
    for (long n = lo; n <= hi; n++) {
        double acc = 0.0;
        y[n - lo] = 0.0;
        if (!xs || !hs)
            continue;
        long i0, i1; /* summation range over i */
        if (mode == RP_CONV_TRUE) {
            /* sum_i x[i] h[n-i]: i in [xa,xb] and n-i in [ha,hb] */
            i0 = lmax(xa, hb == LONG_MAX ? LONG_MIN : n - hb);
            i1 = lmin(xb, n - ha);
        } else {
            /* sum_i x[n+i] h[i]: i in [ha,hb] and n+i in [xa,xb] */
            i0 = lmax(ha, xa - n);
            i1 = lmin(hb, xb == LONG_MAX ? LONG_MAX : xb - n);
        }
        if (i1 == LONG_MAX || i0 == LONG_MIN)
            return RP_EUNSUPPORTED;
        for (long i = i0; i <= i1; i++) {
            if (++terms > RP_ENGINE_MAX_TERMS)
                return RP_ELIMIT;
            if (mode == RP_CONV_TRUE)
                acc += rp_signal_at(x, i) * rp_signal_at(h, n - i);
            else
                acc += rp_signal_at(x, n + i) * rp_signal_at(h, i);
        }
        y[n - lo] = acc;
    }
    return RP_OK;
}

/* x at (i, j) of the padded image (i, j relative to the unpadded one). */
static double padded_at(const rp_mat *x, long i, long j, rp_pad_kind kind)
{
    long R = (long)x->rows, C = (long)x->cols;
    if (kind == RP_PAD_CIRCULAR) {
        i %= R;
        j %= C;
        if (i < 0)
            i += R;
        if (j < 0)
            j += C;
        return RP_MAT_AT(x, i, j);
    }
    if (i < 0 || j < 0 || i >= R || j >= C)
        return 0.0;
    return RP_MAT_AT(x, i, j);
}

/* acc plus k[j * kstep] * x[j] for j = 0 .. n-1, added one after another
 * in that order (four per pass, to spend fewer instructions on the loop
 * than on the products; the sum is that of the plain loop, bit for bit). */
static double dot_in_order(double acc, const double *k, ptrdiff_t kstep,
                           const double *x, size_t n)
{
    size_t j = 0;
    for (; j + 4 <= n; j += 4, k += 4 * kstep) {
        acc += k[0] * x[j];
        acc += k[kstep] * x[j + 1];
        acc += k[2 * kstep] * x[j + 2];
        acc += k[3 * kstep] * x[j + 3];
    }
    for (; j < n; j++, k += kstep)
        acc += k[0] * x[j];
    return acc;
}

rp_status rp_conv2d(rp_arena *a, const rp_mat *x, const rp_mat *h,
                    const rp_conv2d_opts *o, rp_mat *out)
{
    rp_conv2d_opts def = {RP_CONV_TRUE, RP_PAD_ZERO, 0, 1};
    if (!o)
        o = &def;
    size_t s = o->stride ? o->stride : 1;
    if (!x->v || !h->v || x->rows == 0 || h->rows == 0 || x->cols == 0 ||
        h->cols == 0)
        return RP_EINPUT;
    if (o->pad > RP_ENGINE_MAX_DIM || s > RP_ENGINE_MAX_DIM)
        return RP_ELIMIT;
    size_t pr = x->rows + 2 * o->pad, pc = x->cols + 2 * o->pad;
    if (h->rows > pr || h->cols > pc)
        return RP_EINPUT;
    size_t orows = (pr - h->rows) / s + 1, ocols = (pc - h->cols) / s + 1;
    rp_status st = rp_mat_alloc(a, orows, ocols, out);
    if (st != RP_OK)
        return st;
    size_t kr = h->rows, kc = h->cols;
    /* the kernel as applied: row i starts at krow(i) and steps by kstep
     * (backwards through h, rotated by 180 degrees, for a true
     * convolution) */
    bool flip = o->mode == RP_CONV_TRUE;
    ptrdiff_t kstep = flip ? -1 : 1;
    for (size_t r = 0; r < orows; r++)
        for (size_t c = 0; c < ocols; c++) {
            long xi0 = (long)(r * s) - (long)o->pad;
            long xj0 = (long)(c * s) - (long)o->pad;
            /* a window inside the image reads it directly; one that
             * overlaps the padding goes through padded_at.  Same terms,
             * same order, so the same sum either way. */
            bool inside = xi0 >= 0 && xj0 >= 0 &&
                          (size_t)xi0 + kr <= x->rows && (size_t)xj0 + kc <= x->cols;
            double acc = 0.0;
            for (size_t i = 0; i < kr; i++) {
                const double *krow =
                    flip ? h->v + (kr - 1 - i) * kc + (kc - 1) : h->v + i * kc;
                long xi = xi0 + (long)i;
                if (inside) {
                    acc = dot_in_order(acc, krow, kstep,
                                       x->v + (size_t)xi * x->cols + (size_t)xj0, kc);
                } else {
                    for (size_t j = 0; j < kc; j++)
                        acc += krow[(ptrdiff_t)j * kstep] *
                               padded_at(x, xi, xj0 + (long)j, o->pad_kind);
                }
            }
            RP_MAT_AT(out, r, c) = acc;
        }
    return RP_OK;
}
