/*
 * Private declarations of the LaTeX module: the token stream the lexer
 * produces and the helpers the parser and printer share.
 */
#ifndef RP_LATEX_INT_H
#define RP_LATEX_INT_H

#include "redpen/latex.h"

#include <stdint.h>

typedef enum tk_type {
    TK_END,
    TK_NUM,    /* num, decimals, sig */
    TK_LETTER, /* one ASCII letter: c */
    TK_CMD,    /* \name (s, n: the name without backslash; Unicode maps here) */
    TK_CHAR,   /* one punctuation character: c */
    TK_ROWSEP, /* \\ */
    TK_SUPNUM, /* Unicode superscript digits: num */
    TK_SUPT    /* Unicode superscript T */
} tk_type;

typedef struct tok {
    tk_type t;
    size_t pos, end; /* byte range in the source */
    const char *s;   /* TK_CMD: the command name (not NUL-terminated) */
    size_t n;
    char c;          /* TK_LETTER, TK_CHAR */
    double num;
    int decimals, sig;
} tok;

/* Lex the token starting at or after pos (white space and spacing commands
 * are skipped) in src[0..lim). */
void rp_lx_lex(const char *src, size_t lim, size_t pos, tok *t);

/* True when the command token t is named lit. */
bool rp_lx_is(const tok *t, const char *lit);

/* Canonical form of the raw text src[0..n) of a subscript or superscript:
 * font and \text wrappers, braces and spaces dropped, Unicode Greek spelled
 * as commands.  Writes at most cap-1 bytes and a NUL. */
void rp_lx_canon(const char *src, size_t n, char *out, size_t cap);

/* Canonical spelling of a Greek-letter command name ("varepsilon" ->
 * "epsilon"), or NULL when name is not a Greek letter. */
const char *rp_lx_greek(const char *name, size_t n);

/* Decode one UTF-8 sequence at s[0..lim) into *cp; returns its length, 0
 * when the bytes are not valid UTF-8. */
size_t rp_lx_utf8(const char *s, size_t lim, unsigned *cp);

/* How the lexer reads the Unicode code point cp: the command it stands for
 * ("times" for U+00D7, "sigma" for U+03C3), or NULL; when it reads as one
 * ASCII character instead (U+2212 as '-'), *ch gets it (else 0). */
const char *rp_lx_unicode(unsigned cp, char *ch);

/* A hash of the name s[0..n) in 0..1023 (FNV-1a), for the filters of the
 * tables of names (lex.c, plain.c): a bit per name they hold. */
static inline unsigned rp_lx_name_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return (h ^ (h >> 15)) & 1023;
}

#endif
