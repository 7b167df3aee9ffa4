/*
 * Private declarations shared by answer.c (answer formats) and
 * answer_fmt.c (their text work): spans of text and the helpers both use.
 */
#ifndef RP_ANSWER_INT_H
#define RP_ANSWER_INT_H

#include "expr_int.h"

#include <ctype.h>
#include <string.h>

#define AN_CAP 2048  /* longest side read as an answer format; longer sides go to equiv.c as written */

/* A span of text (not NUL-terminated). */
typedef struct sp {
    const char *s;
    size_t n;
} sp;

static inline bool at(sp x, size_t i, const char *lit)
{
    size_t n = strlen(lit);
    return i + n <= x.n && memcmp(x.s + i, lit, n) == 0;
}

/* lit at i, a command not followed by more letters ("\le" but not "\left") */
static inline bool at_cmd(sp x, size_t i, const char *lit)
{
    size_t n = strlen(lit);
    return at(x, i, lit) && (i + n >= x.n || !isalpha((unsigned char)x.s[i + n]));
}

static inline sp trim(sp x)
{
    while (x.n && isspace((unsigned char)x.s[0])) {
        x.s++;
        x.n--;
    }
    while (x.n && isspace((unsigned char)x.s[x.n - 1]))
        x.n--;
    return x;
}

static inline bool eq_sp(sp a, sp b)
{
    return a.n == b.n && memcmp(a.s, b.s, a.n) == 0;
}

/* ASCII classes without a call into the C library (answer.c reads every
 * character of every comparison once). */
static inline bool is_digit(unsigned char ch)
{
    return (unsigned)(ch - '0') < 10;
}

static inline bool is_alpha(unsigned char ch)
{
    return (unsigned)((ch | 0x20) - 'a') < 26;
}

/* Bracket depth change of the token at i ("\\{" and \\begin count) and
 * its length in *len. */
int an_depth_step(sp x, size_t i, size_t *len);
/* Is x one bracketed group from its first to its last character (the two
 * brackets may differ: "[0, 9)")? */
bool an_wrapped(sp x);
/* Brackets of x close in order and none is left open. */
bool an_balanced(sp x);
/* A constant: no letters outside command names (\frac, \sqrt, \pi). */
bool an_is_const(sp x);

/* Normalise x into out (cap bytes, NUL-terminated); false when it does not
 * fit.  *semantic: the text changed in a way the parser reads differently. */
bool an_normalise(sp x, char *out, size_t cap, size_t *olen, bool *semantic);

/* A unit, percent, currency or degree sign of a value. */
typedef struct unit {
    bool percent, degree, currency;
    char name[40]; /* lower-cased unit word with its power ("cm^2"), or "" */
} unit;

/* The dimension (L, M, T, V), power and size in SI units of a unit name
 * ("cm^2"); false when the unit is not known. */
bool an_unit_size(const char *name, char *dim, int *power, double *si);
/* The dimension exponents (L, M, T, V) and size in SI units of a compound
 * unit ("km/h", "m/s^2"); false unless every factor is known. */
bool an_unit_dims(const char *name, int dims[4], double *si);
/* name without spaces or product signs, into out (cap bytes). */
void an_unit_norm(const char *name, char *out, size_t cap);
/* The value of x with its unit taken off into u; false when x has none. */
bool an_unit_of(sp x, sp *v, unit *u);

/* "1,000": a number with comma thousands, its digits into out. */
bool an_plain_thousands(sp x, char *out, size_t cap);
/* "1000,99": a decimal comma, the number with a point into out. */
bool an_decimal_comma(sp x, char *out, size_t cap);
/* x rewritten from a number format (thousands, mixed number, repeating
 * decimal) into buf; x itself when none applies. */
sp an_number_form(sp x, char *buf, size_t cap, bool other_list);

/* Equations solved for a symbol (answer_rel.c).  The distinct symbol
 * names of the text f (at most cap, e aside) into names; their count. */
size_t an_rel_symbols(sp f, char names[][64], size_t cap);
/* For f (the text of F in F = 0) and the symbol name: root gets
 * -F(0)/(F(1)-F(0)), step1 F(1)-F(0) and step2 F(2)-F(1) (each cap bytes),
 * the symbol replaced by the number in each.  F is affine in the symbol
 * where step1 and step2 agree; F = 0 then holds for the symbol = root.
 * False when the symbol is not in f or a text does not fit. */
bool an_rel_solved(sp f, const char *name, char *root, char *step1, char *step2, size_t cap);

#endif
