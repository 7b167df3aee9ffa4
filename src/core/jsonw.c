/*
 * The streaming JSON writer of redpen/jsonw.h, the one every JSON output
 * of the tool goes through: straight into the output buffer instead of
 * through a cJSON tree, which cost a malloc per value, a strdup per string
 * and a second copy of the whole text.  What it prints is cJSON 1.7.15's
 * form exactly (jsonw.h lists the rules); tests/report/test_json_write.c
 * holds it to cJSON itself.
 */
#include "redpen/jsonw.h"
#include "redpen/bytes.h"

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

/* The stage flushed to make room for n bytes; false when n can never fit. */
static bool make_room(rp_jw *j, size_t n)
{
    flush(j);
    if (n <= sizeof j->stage)
        return true;
    if (j->st == RP_OK)
        j->st = RP_EINTERNAL; /* a caller's bug: never write past the stage */
    return false;
}

/* Room for n more bytes at the end of the stage, or NULL when n is more
 * than the stage holds.  The caller writes there and moves n_stage on.
 * After a failure the stage still takes bytes, but flush() drops them:
 * the one test on the common path is whether they fit. */
static inline char *room(rp_jw *j, size_t n)
{
    if (n > sizeof j->stage - j->n_stage && !make_room(j, n))
        return NULL;
    return j->stage + j->n_stage;
}

/* n bytes of a token (n <= RP_JW_STAGE); inlined where n is a constant,
 * so that a token is a store or two. */
static inline void put(rp_jw *j, const char *s, size_t n)
{
    char *o = room(j, n);
    if (o) {
        memcpy(o, s, n);
        j->n_stage += n;
    }
}

void rp_jw_begin(rp_jw *j, rp_buf *b, bool pretty)
{
    rp_jw_begin_at(j, b, pretty, 0);
}

void rp_jw_begin_at(rp_jw *j, rp_buf *b, bool pretty, unsigned depth)
{
    j->b = b;
    j->start = b->len;
    j->st = RP_OK;
    j->depth = depth;
    j->pretty = pretty;
    j->first = true;
    j->n_stage = 0;
    j->value_at = b->len;
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

/* The bytes cJSON escapes: those below 0x20, " and \.  UTF-8 (valid or
 * not), / and DEL go through untouched.  Bytes past 0x5c are 0. */
static const bool needs_escape[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x00 control */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x10 control */
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x20 " */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x30 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x40 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,          /* 0x50 \ */
};

/* Byte c at o, escaped as cJSON does (\" \\ \b \f \n \r \t, else \u00xx in
 * lower case) when it needs it: at most 6 bytes.  Returns the end. */
static inline char *put_byte(char *o, unsigned char c)
{
    if (!needs_escape[c]) {
        *o++ = (char)c;
        return o;
    }
    static const char hex[] = "0123456789abcdef";
    *o++ = '\\';
    switch (c) {
    case '"': *o++ = '"'; break;
    case '\\': *o++ = '\\'; break;
    case '\b': *o++ = 'b'; break;
    case '\f': *o++ = 'f'; break;
    case '\n': *o++ = 'n'; break;
    case '\r': *o++ = 'r'; break;
    case '\t': *o++ = 't'; break;
    default:
        memcpy(o, "u00", 3);
        o[3] = hex[c >> 4];
        o[4] = hex[c & 15];
        o += 5;
        break;
    }
    return o;
}

/* Whether any of the 8 bytes of w needs an escape (a control byte, '"'
 * or a backslash): exact about whether, and about which for the lowest
 * flagged byte (redpen/bytes.h). */
static inline uint64_t word_needs_escape(uint64_t w)
{
    return rp_bytes_below(w, 0x20) | rp_bytes_eq(w, '"') | rp_bytes_eq(w, '\\');
}

/* Input bytes escaped per reservation of the stage: each can take 6. */
#define CHUNK (RP_JW_STAGE / 8)

/* w (from rp_load8()) stored at o in the same byte order. */
static inline void store8(char *o, uint64_t w)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    memcpy(o, &w, 8);
}

/* The last r (1..7) bytes of a string, u[0..r), escaped at o, given that
 * the string has 8 bytes ending at u + r: they are taken in one word, as
 * its low bytes, with 'a' (never escaped, so never the lowest flagged
 * byte) filling the rest; the word is stored whole and o moves on by the
 * real bytes only.  Returns the end.  o must have room for 6 * r + 8. */
static char *escape_tail(char *o, const unsigned char *u, size_t r)
{
    uint64_t w = rp_load8(u + r - 8) >> (8 * (8 - r));
    for (;;) {
        w |= (RP_BYTES_ONES * 'a') << (8 * r);
        uint64_t m = word_needs_escape(w);
        store8(o, w);
        if (!m)
            return o + r;
        unsigned f = rp_first_flagged(m); /* < r: a fill byte is never the first */
        o = put_byte(o + f, (unsigned char)(w >> (8 * f)));
        r -= f + 1;
        if (!r)
            return o;
        w >>= 8 * (f + 1);
    }
}

/* A string of 4 to 7 bytes, u[0..n), copied to o when none of its bytes
 * needs an escape (two overlapping 4-byte moves); returns non-zero, with
 * nothing of use written, when some byte does. */
static inline uint64_t quick4(char *o, const unsigned char *u, size_t n)
{
    uint32_t lo, hi;
    memcpy(&lo, u, 4);
    memcpy(&hi, u + n - 4, 4);
    memcpy(o, &lo, 4);
    memcpy(o + n - 4, &hi, 4);
    return word_needs_escape((uint64_t)hi << 32 | lo);
}

/* s[0..n) escaped into the stage, between quotes when quotes is set,
 * eight bytes at a time: a word is copied whole, and when some byte of it
 * needs an escape the output stops at the first such byte (rp_first_flagged()
 * is exact for it), which is escaped, and the next word starts just after
 * it.  Text with a backslash every few bytes (LaTeX) thus costs a word
 * step per escape, not a byte step per byte of the word.  The last bytes
 * short of a word go through escape_tail() when the string is 8 bytes
 * long or more, and a string of 4 to 7 bytes through quick4(). */
static void escape(rp_jw *j, const char *s, size_t n, bool quotes)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t done = 0;
    do {
        size_t k = n - done < CHUNK ? n - done : CHUNK;
        /* 6 bytes per input byte, a word stored past the last, quotes */
        char *out = room(j, 6 * k + 8 + 2);
        if (!out)
            return;
        char *o = out;
        if (quotes && done == 0)
            *o++ = '"';
        size_t i = 0;
        while (i + 8 <= k) {
            uint64_t m = word_needs_escape(rp_load8(u + i));
            memcpy(o, u + i, 8);
            if (!m) {
                o += 8;
                i += 8;
                continue;
            }
            unsigned f = rp_first_flagged(m);
            o = put_byte(o + f, u[i + f]);
            i += f + 1;
        }
        if (i < k && done + k >= 8) {
            o = escape_tail(o, u + i, k - i);
        } else if (k - i >= 4 && !quick4(o, u + i, k - i)) {
            o += k - i;
        } else {
            for (; i < k; i++)
                o = put_byte(o, u[i]);
        }
        done += k;
        if (quotes && done == n)
            *o++ = '"';
        j->n_stage += (size_t)(o - out);
        u += k;
    } while (done < n);
}

rp_status rp_json_escape(rp_buf *b, const char *s, size_t n)
{
    rp_jw j;
    rp_jw_begin(&j, b, false);
    escape(&j, s, n, false);
    return rp_jw_end(&j);
}

/* ----------------------------------------------------------- structure */

/* n tabs at o; returns the end. */
static inline char *tabs(char *o, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        *o++ = '\t';
    return o;
}

/* Copy the key k[0..n) (n <= RP_JW_MAX_KEY) to o as it is when no byte
 * of it needs an escape; false, with o written over, when some byte does.
 * A word at a time (n is known, so the words stay inside the key; the
 * last one may overlap the one before): a key costs a few moves rather
 * than a scan and a call to memcpy. */
static inline bool put_key(char *o, const char *k, size_t n)
{
    if (n >= 8) {
        for (size_t i = 0; i + 8 < n; i += 8) {
            if (word_needs_escape(rp_load8(k + i)))
                return false;
            memcpy(o + i, k + i, 8);
        }
        if (word_needs_escape(rp_load8(k + n - 8)))
            return false;
        memcpy(o + n - 8, k + n - 8, 8);
        return true;
    }
    if (n >= 4) {
        uint32_t lo, hi;
        memcpy(&lo, k, 4);
        memcpy(&hi, k + n - 4, 4);
        if (word_needs_escape((uint64_t)hi << 32 | lo))
            return false;
        memcpy(o, &lo, 4);
        memcpy(o + n - 4, &hi, 4);
        return true;
    }
    for (size_t i = 0; i < n; i++) {
        if (needs_escape[(unsigned char)k[i]])
            return false;
        o[i] = k[i];
    }
    return true;
}

/* What comes before a value: the separator from the previous one, and for
 * a member its indentation and "key":, all in one reservation of the
 * stage (members are half the tokens of a report).  cJSON ends each
 * pretty member line with "\n" after the comma, so the newline goes with
 * the separator here and rp_jw_obj_close() adds the last one.  A key that
 * is long or needs escapes goes through the escaper after the first
 * half.  klen is strlen(key) (jsonw.h's macros pass it). */
static void lead(rp_jw *j, const char *key, size_t klen)
{
    bool short_key = klen <= RP_JW_MAX_KEY;
    char *o = room(j, 2 + j->depth + (short_key ? klen : 0) + 4);
    if (!o)
        return;
    char *start = o;
    if (!j->first) {
        *o++ = ',';
        if (j->pretty)
            *o++ = key ? '\n' : ' ';
    }
    j->first = false;
    if (key) {
        if (j->pretty)
            o = tabs(o, j->depth);
        if (short_key && put_key(o + 1, key, klen)) {
            *o = '"';
            o += klen + 1;
            *o++ = '"';
            *o++ = ':';
            if (j->pretty)
                *o++ = '\t';
        } else {
            j->n_stage += (size_t)(o - start);
            escape(j, key, klen, true);
            put(j, ":\t", j->pretty ? 2 : 1);
            j->value_at = rp_jw_pos(j);
            return;
        }
    }
    j->n_stage += (size_t)(o - start);
    j->value_at = rp_jw_pos(j);
}

bool rp_jw_repeat_k(rp_jw *j, const char *key, size_t klen, size_t from, size_t to)
{
    if (j->pretty)
        return false;
    lead(j, key, klen);
    /* Byte x of the output is b->data[x] below b->len, else in the stage
     * at x - b->len; room() may move the stage into b, so the split is
     * taken after it.  The source ends before the stage's end, so a copy
     * from the stage never overlaps where it goes.  After a failure the
     * output is dropped anyway: nothing is copied. */
    while (from < to && j->st == RP_OK) {
        size_t n = to - from < RP_JW_STAGE / 2 ? to - from : RP_JW_STAGE / 2;
        char *o = room(j, n);
        if (!o || j->st != RP_OK)
            break;
        size_t in_b = from >= j->b->len ? 0 : from + n <= j->b->len ? n : j->b->len - from;
        if (in_b)
            memcpy(o, j->b->data + from, in_b);
        if (n > in_b)
            memcpy(o + in_b, j->stage + (from + in_b - j->b->len), n - in_b);
        j->n_stage += n;
        from += n;
    }
    return true;
}

/* One level more; past RP_JW_MAX_DEPTH the writer stops with RP_ELIMIT. */
static void deeper(rp_jw *j)
{
    if (j->depth >= RP_JW_MAX_DEPTH && j->st == RP_OK)
        j->st = RP_ELIMIT;
    j->depth++;
    j->first = true;
}

void rp_jw_obj_open_k(rp_jw *j, const char *key, size_t klen)
{
    lead(j, key, klen);
    put(j, "{\n", j->pretty ? 2 : 1);
    deeper(j);
}

void rp_jw_obj_close(rp_jw *j)
{
    j->depth--;
    char *o = room(j, 2 + j->depth);
    if (!o)
        return;
    char *start = o;
    if (j->pretty) {
        if (!j->first)
            *o++ = '\n';
        o = tabs(o, j->depth);
    }
    *o++ = '}';
    j->n_stage += (size_t)(o - start);
    j->first = false;
}

void rp_jw_arr_open_k(rp_jw *j, const char *key, size_t klen)
{
    lead(j, key, klen);
    put(j, "[", 1);
    deeper(j);
}

void rp_jw_arr_close(rp_jw *j)
{
    j->depth--;
    put(j, "]", 1);
    j->first = false;
}

/* -------------------------------------------------------------- values */

void rp_jw_str_k(rp_jw *j, const char *key, size_t klen, const char *s)
{
    lead(j, key, klen);
    if (s)
        escape(j, s, strlen(s), true);
    else
        put(j, "null", 4);
}

void rp_jw_bool_k(rp_jw *j, const char *key, size_t klen, bool v)
{
    lead(j, key, klen);
    put(j, v ? "true" : "false", v ? 4 : 5);
}

void rp_jw_null_k(rp_jw *j, const char *key, size_t klen)
{
    lead(j, key, klen);
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

void rp_jw_num_k(rp_jw *j, const char *key, size_t klen, double d)
{
    lead(j, key, klen);
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
