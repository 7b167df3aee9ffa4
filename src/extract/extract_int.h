/*
 * Private declarations of the extract module, shared by its files:
 *   math.c       math segments of a text ($..$, \(..\), environments)
 *   symbol.c     normalised symbol spellings and the targets of a search
 *   chain.c      relation chains "a = b \le c", the side a claim takes
 *   candidates.c what is known of each math segment, candidates, choice
 *   table.c      Markdown and tab-separated tables
 *   markers.c    "Answer:", "Therefore" and component cue words
 *   claim.c      rp_extract_claim(): the union of the spans, per expectation
 */
#ifndef RP_EXTRACT_INT_H
#define RP_EXTRACT_INT_H

#include "redpen/extract.h"
#include "redpen/latex.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_MATH 4096       /* math segments considered per claim */
#define MAX_UNION (4u << 20) /* bytes of span text considered per claim */

static inline bool starts(const char *s, size_t n, size_t i, const char *lit)
{
    size_t k = strlen(lit);
    return i + k <= n && memcmp(s + i, lit, k) == 0;
}

static inline bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A literal with its length, for tables scanned in inner loops. */
typedef struct lit {
    const char *s;
    size_t n;
} lit;
#define LIT(x) {x, sizeof x - 1}

static inline bool starts_lit(const char *s, size_t n, size_t i, const lit *l)
{
    /* the tables share first bytes: the second decides most often */
    return i + l->n <= n && (l->n < 2 || s[i + 1] == l->s[1]) &&
           memcmp(s + i, l->s, l->n) == 0;
}

typedef enum rel { REL_NONE, REL_EQ, REL_LE, REL_GE, REL_LT, REL_GT, REL_APPROX, REL_OTHER } rel;

#define MAX_SIDES 16

typedef struct chain {
    size_t n;                 /* sides */
    size_t a[MAX_SIDES], b[MAX_SIDES]; /* side i is s[a[i]..b[i]) */
    rel r[MAX_SIDES];         /* r[i] relates side i and i+1 */
} chain;

/* The targets of a search normalised (rp_extract_norm_symbol()), once per
 * claim rather than once per comparison. */
typedef struct targets {
    const char *const *raw; /* as the rubric spells them */
    const char **norm;
    size_t n;
} targets;

typedef struct cand {
    bool fallback;     /* a closed form where cases were expected */
    size_t pos;        /* offset in the union text */
    size_t end;        /* end of its math segment */
    const char *latex; /* what to compare */
    const char *shown;
} cand;

typedef struct ctx {
    const char *u;  /* union text */
    const char *lu; /* the same in ASCII lower case */
    size_t n;
    bool prefer_asym; /* take O(.) sides of chains */
    int comp;         /* the tuple component being extracted, or -1 */
    int *owner;       /* per math segment: the component whose cue precedes it */
    const struct targets *whole; /* tuples: the part's own targets (dX of "max: dX = M") */
    rp_arena *a;
    rp_math *m;
    size_t nm;
    size_t primary;   /* offset of the last primary marker, or SIZE_MAX */
    size_t secondary; /* offset of the last secondary marker, or SIZE_MAX */
    struct seg *sg;   /* per math segment: what is known of it (seg_*()) */
    bool debug;       /* a trace sink is set (rp_extract_set_trace()) */
    bool has_latex;   /* some segment is LaTeX: prose math and numbers are incidental */
    size_t sent_pos, sent_b; /* sentence_has_word(): sent_b is 1 + the last sentence
                              * break before sent_pos, or 0 (0, 0 holds at the start) */
} ctx;

/* What the search has learnt about one math segment.  The passes of
 * rpx_candidates(), the tuple components and rpx_bullet_cases() ask the same
 * questions of the same segments, so each answer is worked out on first
 * use and kept for the rest of the claim. */
typedef struct seg {
    bool have_lhs;    /* lhs is valid */
    bool have_clause; /* clo and chi are valid */
    size_t clo, chi;  /* its clause (rpx_clause()) */
    char empty;       /* the content is rpx_blank: 'y', 'n', or 0 not yet known */
    chain *ch;        /* the content split at relations, or NULL until needed (a
                       * chain is over 300 bytes: zeroing one per segment up front
                       * cost more than splitting the few that are asked) */
    const char *lhs;  /* its first side by rpx_lhs_norm() */
    const char *norm; /* the content normalised, or NULL until needed */
    const char *pre;  /* the prose before it normalised, or NULL until needed */
} seg;


/* The next x or y of a text, for a scan that only moves forward: each
 * byte's next x and next y are searched for once, not again after every
 * stop (with no x left, a memchr per stop made the scan quadratic). */
typedef struct next2 {
    char x, y;
    size_t px, py; /* offsets of the next x and y (n: none), SIZE_MAX: unknown */
} next2;

#define NEXT2(x, y) ((next2){(x), (y), SIZE_MAX, SIZE_MAX})

/* The offset of the first x or y in t[i..n), or n; i never decreases
 * between calls on the same q. */
static inline size_t next2_at(next2 *q, const char *t, size_t n, size_t i)
{
    if (q->px == SIZE_MAX || q->px < i) {
        const char *p = memchr(t + i, q->x, n - i);
        q->px = p ? (size_t)(p - t) : n;
    }
    if (q->py == SIZE_MAX || q->py < i) {
        const char *p = memchr(t + i, q->y, n - i);
        q->py = p ? (size_t)(p - t) : n;
    }
    return q->px < q->py ? q->px : q->py;
}

/* ---- notation.c */

/* rp_extract_math_all(); lean: when the text has LaTeX math, only what a
 * claim can take from its prose is looked for there (statements with a
 * relation, no prose numbers: see candidates.c), which spares reading
 * every line of a LaTeX reply. */
rp_status rpx_math_all(const char *t, size_t n, const char *const *known, size_t n_known,
                       bool lean, rp_arena *arena, rp_math **out, size_t *n_out);

/* ---- symbol.c */

/* rp_extract_norm_symbol() into a writable arena string (NULL: no memory). */
char *rpx_norm_symbol(rp_arena *arena, const char *s, size_t n);
/* s with every derivative of the loss written as d<var>, the notation of
 * the rubric's keys: "w - \\eta \\frac{\\partial L}{\\partial w}" reads
 * "w - \\eta  dw "; s itself when it has none. */
const char *rpx_loss_derivatives(rp_arena *a, const char *s);
/* Normalise the n target spellings raw[] into *t (arrays in a). */
rp_status rpx_targets_make(rp_arena *a, const char *const *raw, size_t n, targets *t);
/* Longest normalised left side that rpx_lhs_names() compares. */
#define MAX_LHS 255
/* The normalised left side s[0..n) as rpx_lhs_names() reads it: "|\alpha|"
 * reads "\alpha"; NULL when longer than MAX_LHS (never a target). */
const char *rpx_lhs_norm(rp_arena *a, const char *s, size_t n);
/* Does a left side (normalised by rpx_lhs_norm()) name one of the targets?
 * "y[n]", "y_2(n)" and "|\alpha|" name y, y_2 and \alpha. */
bool rpx_lhs_names(const char *l, const targets *t);
/* An identifier with an optional subscript ("x", "\\alpha", "dw_h,l",
 * "SD"), not a number or an expression. */
bool rpx_bare_symbol(const char *ns);

/* ---- chain.c */

/* Split s[0..n) at relations outside braces, brackets and environments. */
void rpx_split_chain(const char *s, size_t n, chain *c);
/* s[0..n) is an O(.), \Theta(.) or \Omega(.) side. */
bool rpx_is_asymptotic(const char *s, size_t n);
/* s[0..n) is only white space. */
bool rpx_blank(const char *s, size_t n);
/* s[0..n) trimmed, as an arena string ("" when out of memory). */
const char *rpx_dup(rp_arena *a, const char *s, size_t n);
/* Pick the side of a chain to claim, starting after side `from`: the last
 * exact side (not O(.), not empty), else the first side.  A bound between
 * the target side and the chosen side is kept when keep_bound. */
const char *rpx_pick_side(ctx *c, const char *s, const chain *ch, size_t from,
                          bool keep_bound);

/* ---- candidates.c */

/* The content of math segment i and its length. */
const char *rpx_seg_text(const ctx *c, size_t i, size_t *len);
/* Segment i split at its relations (worked out once). */
const chain *rpx_seg_chain(ctx *c, size_t i);
/* The clause of math segment i: from after the last delimiter (, ; a
 * newline, a sentence end) or math before it to the next delimiter or math
 * after it, at most 200 bytes each way. */
void rpx_clause(const ctx *c, size_t i, size_t *lo, size_t *hi);
/* Is the left side of segment i a word label naming one of the words
 * (lower case): "receptive_field = ..." names "receptive field", and a
 * word cut short names the word ("params" names "parameters")? */
bool rpx_seg_lhs_words(ctx *c, size_t i, const char *const *words, size_t nw);
/* Does the first side of segment i name one of the targets? */
bool rpx_seg_lhs_names(ctx *c, size_t i, const targets *t);
/* The candidate answer for a scalar, matrix, vector or cases expectation
 * in the claim's text, by the marker rules (see extract.h); *latex is NULL
 * when there is none.  *how says which rule chose it. */
rp_status rpx_scalar_like(ctx *c, const targets *t, const char *const *words, size_t nw,
                          rp_expect expect, const char **latex, const char **shown,
                          size_t *pos, const char **how);

/* ---- claim.c */

/* Send one trace line, printf-style, to the sink of rp_extract_set_trace()
 * (nothing when none is set). */
void rpx_trace(const char *fmt, ...) RP_PRINTF(1, 2);

/* ---- table.c */

/* The table claim for sp's row labels; out is left as it is when no row
 * of the text has one of them. */
rp_status rpx_table(ctx *c, const rp_extract_spec *sp, rp_claim *out);

/* ---- markers.c */

/* The first occurrence of word in s[from..n), or (size_t)-1. */
size_t rpx_next_cue(const char *s, size_t n, size_t from, const char *word);

#endif
