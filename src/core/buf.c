/*
 * Capped growable buffers and text spans.  A buffer never grows past its
 * maximum: an append that would is refused with RP_ELIMIT and leaves the
 * buffer unchanged.
 */
#include "redpen/core.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rp_buf_init(rp_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max ? max : RP_BUF_DEFAULT_MAX;
}

void rp_buf_free(rp_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void rp_buf_clear(rp_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void rp_buf_truncate(rp_buf *b, size_t n)
{
    if (n < b->len)
        b->len = n;
    if (b->data)
        b->data[b->len] = '\0';
}

static rp_status reserve(rp_buf *b, size_t extra)
{
    if (extra > b->max || b->len > b->max - extra)
        return RP_ELIMIT;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return RP_OK;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    if (cap > b->max + 1)
        cap = b->max + 1;
    char *p = realloc(b->data, cap);
    if (!p)
        return RP_ENOMEM;
    b->data = p;
    b->cap = cap;
    return RP_OK;
}

rp_status rp_buf_append(rp_buf *b, const char *s, size_t n)
{
    rp_status st = reserve(b, n);
    if (st != RP_OK)
        return st;
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return RP_OK;
}

rp_status rp_buf_puts(rp_buf *b, const char *s)
{
    return rp_buf_append(b, s, strlen(s));
}

rp_status rp_buf_putc(rp_buf *b, char c)
{
    return rp_buf_append(b, &c, 1);
}

rp_status rp_buf_vprintf(rp_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return RP_EINTERNAL;
    rp_status st = reserve(b, (size_t)n);
    if (st != RP_OK)
        return st;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return RP_OK;
}

rp_status rp_buf_printf(rp_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rp_status st = rp_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return st;
}

rp_span rp_span_cstr(const char *s)
{
    return rp_span_make(s, s ? strlen(s) : 0);
}

rp_span rp_span_trim(rp_span s)
{
    while (s.n && isspace((unsigned char)s.p[0])) {
        s.p++;
        s.n--;
    }
    while (s.n && isspace((unsigned char)s.p[s.n - 1]))
        s.n--;
    return s;
}

bool rp_span_eq(rp_span a, const char *lit)
{
    size_t n = strlen(lit);
    return a.n == n && (n == 0 || memcmp(a.p, lit, n) == 0);
}

static bool ieq_n(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
            return false;
    return true;
}

bool rp_span_ieq(rp_span a, const char *lit)
{
    size_t n = strlen(lit);
    return a.n == n && ieq_n(a.p, lit, n);
}

bool rp_span_starts(rp_span a, const char *lit)
{
    size_t n = strlen(lit);
    return a.n >= n && memcmp(a.p, lit, n) == 0;
}

bool rp_span_istarts(rp_span a, const char *lit)
{
    size_t n = strlen(lit);
    return a.n >= n && ieq_n(a.p, lit, n);
}
