/*
 * The streaming JSON writer of jsonw.h: the JSON report is written with it
 * straight into the output buffer instead of through a cJSON tree, which
 * cost a malloc per value, a strdup per string and a second copy of the
 * whole text.  What it prints is cJSON 1.7.15's form exactly (jsonw.h lists
 * the rules); tests/report/test_json_write.c holds it to cJSON itself.
 */
#include "jsonw.h"

#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Append to b what the stage holds. */
static void flush(rp_jw *j)
{
    if (j->st == RP_OK && j->n_stage)
        j->st = rp_buf_append(j->b, j->stage, j->n_stage);
    j->n_stage = 0;
}

static void put_slow(rp_jw *j, const char *s, size_t n)
{
    flush(j);
    if (j->st != RP_OK)
        return;
    if (n > sizeof j->stage) /* a long string goes straight in */
        j->st = rp_buf_append(j->b, s, n);
    else {
        memcpy(j->stage, s, n);
        j->n_stage = n;
    }
}

/* Inlined where n is a constant, so that a token is a store or two. */
static inline void put(rp_jw *j, const char *s, size_t n)
{
    if (n <= sizeof j->stage - j->n_stage) {
        memcpy(j->stage + j->n_stage, s, n);
        j->n_stage += n;
    } else {
        put_slow(j, s, n);
    }
}

void rp_jw_begin(rp_jw *j, rp_buf *b, bool pretty)
{
    j->b = b;
    j->start = b->len;
    j->st = RP_OK;
    j->depth = 0;
    j->pretty = pretty;
    j->first = true;
    j->n_stage = 0;
}

rp_status rp_jw_end(rp_jw *j)
{
    flush(j);
    if (j->st != RP_OK && j->b->data) {
        /* as cJSON, which printed all or nothing */
        j->b->len = j->start;
        j->b->data[j->start] = '\0';
    }
    return j->st;
}

/* ------------------------------------------------------------- strings */

/* The escape of byte c, or NULL when c is copied as it is.  cJSON escapes
 * only " \ and the bytes below 0x20; UTF-8 and DEL go through untouched. */
static const char *escape_of(unsigned char c, char tmp[8])
{
    switch (c) {
    case '"': return "\\\"";
    case '\\': return "\\\\";
    case '\b': return "\\b";
    case '\f': return "\\f";
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\t': return "\\t";
    default:
        break;
    }
    if (c >= 0x20)
        return NULL;
    static const char hex[] = "0123456789abcdef";
    memcpy(tmp, "\\u00", 4);
    tmp[4] = hex[c >> 4];
    tmp[5] = hex[c & 15];
    tmp[6] = '\0';
    return tmp;
}

/* Whether any of the 8 bytes of w needs an escape: a byte below 0x20, a
 * quote or a backslash.  The usual bit tricks: (x - 0x0101..) & ~x & 0x8080..
 * is non-zero when some byte of x is zero, and with n * 0x0101.. in place
 * of 0x0101.. when some byte is below n (n <= 128).  Exact about whether,
 * not about which byte, which the byte loop after it finds. */
#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL
static inline uint64_t word_needs_escape(uint64_t w)
{
    uint64_t q = w ^ (ONES * '"');
    uint64_t bs = w ^ (ONES * '\\');
    return (((w - ONES * 0x20) & ~w) | ((q - ONES) & ~q) | ((bs - ONES) & ~bs)) & HIGHS;
}

/* Where the first byte of s[i..n) that needs an escape is, or n. */
static size_t plain_run(const unsigned char *s, size_t i, size_t n)
{
    while (i + 8 <= n) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (word_needs_escape(w))
            break;
        i += 8;
    }
    for (; i < n; i++)
        if (s[i] < 0x20 || s[i] == '"' || s[i] == '\\')
            return i;
    return n;
}

static void escape(rp_jw *j, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t e = plain_run(u, i, n);
        put(j, s + i, e - i);
        if (e == n)
            break;
        char tmp[8];
        const char *x = escape_of(u[e], tmp);
        put(j, x, strlen(x));
        i = e + 1;
    }
}

rp_status rp_json_escape(rp_buf *b, const char *s, size_t n)
{
    rp_jw j;
    rp_jw_begin(&j, b, false);
    escape(&j, s, n);
    return rp_jw_end(&j);
}

static void quoted(rp_jw *j, const char *s)
{
    put(j, "\"", 1);
    escape(j, s, strlen(s));
    put(j, "\"", 1);
}

/* ----------------------------------------------------------- structure */

static void indent(rp_jw *j, unsigned n)
{
    static const char tabs[] = "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t";
    while (n > 0) {
        unsigned k = n < sizeof tabs - 1 ? n : (unsigned)(sizeof tabs - 1);
        put(j, tabs, k);
        n -= k;
    }
}

/* What comes before a value: the separator from the previous one, and for
 * a member its indentation and key.  cJSON ends each pretty member line
 * with "\n" after the comma, so the newline goes with the separator here
 * and rp_jw_obj_close() adds the last one. */
static void lead(rp_jw *j, const char *key)
{
    if (!j->first) {
        if (!j->pretty)
            put(j, ",", 1);
        else if (key)
            put(j, ",\n", 2);
        else
            put(j, ", ", 2);
    }
    j->first = false;
    if (!key)
        return;
    if (j->pretty)
        indent(j, j->depth);
    quoted(j, key);
    put(j, ":\t", j->pretty ? 2 : 1);
}

void rp_jw_obj_open(rp_jw *j, const char *key)
{
    lead(j, key);
    put(j, "{\n", j->pretty ? 2 : 1);
    j->depth++;
    j->first = true;
}

void rp_jw_obj_close(rp_jw *j)
{
    j->depth--;
    if (j->pretty) {
        if (!j->first)
            put(j, "\n", 1);
        indent(j, j->depth);
    }
    put(j, "}", 1);
    j->first = false;
}

void rp_jw_arr_open(rp_jw *j, const char *key)
{
    lead(j, key);
    put(j, "[", 1);
    j->depth++;
    j->first = true;
}

void rp_jw_arr_close(rp_jw *j)
{
    j->depth--;
    put(j, "]", 1);
    j->first = false;
}

/* -------------------------------------------------------------- values */

void rp_jw_str(rp_jw *j, const char *key, const char *s)
{
    lead(j, key);
    if (s)
        quoted(j, s);
    else
        put(j, "null", 4);
}

void rp_jw_bool(rp_jw *j, const char *key, bool v)
{
    lead(j, key);
    put(j, v ? "true" : "false", v ? 4 : 5);
}

void rp_jw_null(rp_jw *j, const char *key)
{
    lead(j, key);
    put(j, "null", 4);
}

/* cJSON's test that %1.15g read back is the same double. */
static bool same_double(double a, double b)
{
    double m = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
    return fabs(a - b) <= m * DBL_EPSILON;
}

/* A double as cJSON 1.7.15 prints it: %1.15g when that reads back, else
 * %1.17g, with the locale's decimal point made '.'. */
static size_t format_double(double d, char out[32])
{
    int n = snprintf(out, 32, "%1.15g", d);
    if (n > 0 && !same_double(strtod(out, NULL), d))
        n = snprintf(out, 32, "%1.17g", d);
    if (n <= 0 || n >= 32)
        return 0;
    char point = localeconv()->decimal_point[0];
    for (int i = 0; i < n; i++)
        if (out[i] == point)
            out[i] = '.';
    return (size_t)n;
}

void rp_jw_num(rp_jw *j, const char *key, double d)
{
    lead(j, key);
    char tmp[32];
    size_t n;
    if (isnan(d) || isinf(d)) {
        put(j, "null", 4);
        return;
    }
    if (fabs(d) < 1e15 && d == (double)(long long)d) {
        /* What %1.15g makes of an integer below 1e15: its digits, and a
         * sign when negative (-0 included).  Written by hand: turns and
         * counts are nearly every number of a report. */
        long long v = (long long)d;
        unsigned long long m = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
        n = sizeof tmp;
        do {
            tmp[--n] = (char)('0' + m % 10);
            m /= 10;
        } while (m);
        if (signbit(d))
            tmp[--n] = '-';
        put(j, tmp + n, sizeof tmp - n);
        return;
    }
    n = format_double(d, tmp);
    if (n == 0 && j->st == RP_OK)
        j->st = RP_EINTERNAL;
    put(j, tmp, n);
}
