/*
 * CNN layer tables and receptive fields: parse layer names such as
 * "CONV3-10", "POOL2", "FLATTEN", "FC-3" and "GAP", then walk a stack of
 * layers to count parameters (with or without biases) and the shape of
 * the activations after each layer.
 */
#include "redpen/engine.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define RP_CNN_MAX_VALUE (1L << 40) /* any count beyond this is refused */

/* Read a positive decimal at *p (at most 9 digits); advance *p. */
static bool read_num(const char **p, long *out)
{
    const char *s = *p;
    long v = 0;
    int nd = 0;
    while (isdigit((unsigned char)*s) && nd < 9) {
        v = v * 10 + (*s - '0');
        s++;
        nd++;
    }
    if (nd == 0 || isdigit((unsigned char)*s) || v <= 0)
        return false;
    *p = s;
    *out = v;
    return true;
}

rp_status rp_layer_parse(const char *spec, rp_layer *out)
{
    memset(out, 0, sizeof *out);
    if (!spec || strlen(spec) >= sizeof out->name)
        return RP_EINPUT;
    snprintf(out->name, sizeof out->name, "%s", spec);
    const char *p = spec;
    if (strncasecmp(p, "CONV", 4) == 0) {
        p += 4;
        out->kind = RP_LAYER_CONV;
        if (!read_num(&p, &out->k) || *p++ != '-' ||
            !read_num(&p, &out->outputs) || *p)
            return RP_EINPUT;
        out->pad = (out->k - 1) / 2;
        out->stride = 1;
        return RP_OK;
    }
    if (strncasecmp(p, "POOL", 4) == 0) {
        p += 4;
        out->kind = RP_LAYER_POOL;
        if (!read_num(&p, &out->k) || *p)
            return RP_EINPUT;
        out->stride = out->k;
        return RP_OK;
    }
    if (strncasecmp(p, "FC-", 3) == 0) {
        p += 3;
        out->kind = RP_LAYER_FC;
        if (!read_num(&p, &out->outputs) || *p)
            return RP_EINPUT;
        return RP_OK;
    }
    if (strcasecmp(p, "FLATTEN") == 0) {
        out->kind = RP_LAYER_FLATTEN;
        return RP_OK;
    }
    if (strcasecmp(p, "GAP") == 0) {
        out->kind = RP_LAYER_GAP;
        return RP_OK;
    }
    return RP_EINPUT;
}

long rp_shape_size(const rp_shape *s)
{
    return s->flat ? s->n : s->h * s->w * s->c;
}

static bool mul_ok(long a, long b, long *out)
{
    if (a < 0 || b < 0 || (a && b > RP_CNN_MAX_VALUE / a))
        return false;
    *out = a * b;
    return true;
}

/* Spatial output size of a window k, pad p, stride s over n. */
static bool window_out(long n, long k, long p, long s, long *out)
{
    if (k <= 0 || s <= 0 || p < 0 || p > RP_CNN_MAX_VALUE ||
        n > RP_CNN_MAX_VALUE || n + 2 * p < k)
        return false;
    *out = (n + 2 * p - k) / s + 1;
    return true;
}

rp_status rp_cnn_table(const rp_shape *input, const rp_layer *layers,
                       size_t n, bool bias, rp_layer_row *rows)
{
    rp_shape cur = *input;
    if (cur.flat ? cur.n <= 0 : (cur.h <= 0 || cur.w <= 0 || cur.c <= 0))
        return RP_EINPUT;
    long total;
    if (cur.flat ? cur.n > RP_CNN_MAX_VALUE
                 : (!mul_ok(cur.h, cur.w, &total) ||
                    !mul_ok(total, cur.c, &total)))
        return RP_ELIMIT;
    for (size_t i = 0; i < n; i++) {
        const rp_layer *l = &layers[i];
        rp_layer_row *row = &rows[i];
        memset(row, 0, sizeof *row);
        row->layer = *l;
        long kk, tmp;
        switch (l->kind) {
        case RP_LAYER_CONV:
            if (cur.flat || l->outputs <= 0)
                return RP_EINPUT;
            if (!mul_ok(l->k, l->k, &kk) || !mul_ok(kk, cur.c, &tmp) ||
                !mul_ok(tmp, l->outputs, &row->weights))
                return RP_ELIMIT;
            row->biases = bias ? l->outputs : 0;
            if (!window_out(cur.h, l->k, l->pad, l->stride, &cur.h) ||
                !window_out(cur.w, l->k, l->pad, l->stride, &cur.w))
                return RP_EINPUT;
            cur.c = l->outputs;
            break;
        case RP_LAYER_POOL:
            if (cur.flat)
                return RP_EINPUT;
            if (!window_out(cur.h, l->k, l->pad, l->stride, &cur.h) ||
                !window_out(cur.w, l->k, l->pad, l->stride, &cur.w))
                return RP_EINPUT;
            break;
        case RP_LAYER_GAP:
            if (cur.flat)
                return RP_EINPUT;
            cur.n = cur.c;
            cur.flat = true;
            break;
        case RP_LAYER_FLATTEN:
            cur.n = rp_shape_size(&cur);
            cur.flat = true;
            break;
        case RP_LAYER_FC:
            if (l->outputs <= 0)
                return RP_EINPUT;
            if (!mul_ok(rp_shape_size(&cur), l->outputs, &row->weights))
                return RP_ELIMIT;
            row->biases = bias ? l->outputs : 0;
            cur.flat = true;
            cur.n = l->outputs;
            break;
        }
        if (!cur.flat && (!mul_ok(cur.h, cur.w, &tmp) ||
                          !mul_ok(tmp, cur.c, &tmp)))
            return RP_ELIMIT;
        row->params = row->weights + row->biases;
        if (cur.flat) {
            cur.h = cur.w = 1;
            cur.c = cur.n;
        }
        row->out = cur;
    }
    return RP_OK;
}

rp_status rp_receptive_field(const rp_layer *layers, size_t n, long *rf,
                             long *jump)
{
    long r = 1, j = 1;
    for (size_t i = 0; i < n; i++) {
        const rp_layer *l = &layers[i];
        if (l->kind != RP_LAYER_CONV && l->kind != RP_LAYER_POOL)
            return RP_EINPUT;
        if (l->k <= 0 || l->stride <= 0)
            return RP_EINPUT;
        long add;
        if (!mul_ok(l->k - 1, j, &add) || r > RP_CNN_MAX_VALUE - add ||
            !mul_ok(j, l->stride, &j))
            return RP_ELIMIT;
        r += add;
    }
    if (rf)
        *rf = r;
    if (jump)
        *jump = j;
    return RP_OK;
}
