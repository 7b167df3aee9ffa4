/*
 * redpen expr: numeric evaluation of parsed LaTeX, equivalence of a claim
 * with a reference, and the diagnosis of why they differ.
 *
 * CONTRACT used by src/grade and src/rubric (keep these signatures; add
 * fields at the ends of structs only).
 */
#ifndef REDPEN_EXPR_H
#define REDPEN_EXPR_H

#include "redpen/category.h"
#include "redpen/core.h"

/* The domain a variable is sampled from when comparing expressions. */
typedef struct rp_var_domain {
    const char *name;  /* LaTeX spelling, e.g. "d_{out}", "\\sigma_x", "L" */
    double lo, hi;     /* closed range */
    bool integer;      /* sample integers only */
    int rows, cols;    /* > 0: the symbol is a matrix of this shape */
    bool has_value;    /* the problem fixes this symbol (e.g. L = 7): when the */
    double value;      /* claim does not mention it, both sides use value */
    bool function;     /* the name is a function: name(...) applies it (else a
                        * product), on either side */
} rp_var_domain;

/* Options for rp_equiv().  Zero-initialised gives sensible defaults:
 * positive reals 0.5..8 for unknown symbols, 24 points, rel_tol 1e-6. */
typedef struct rp_equiv_opts {
    const rp_var_domain *vars; /* declared variables */
    size_t n_vars;
    const char *const *aliases; /* pairs: aliases[2i] is the same symbol as aliases[2i+1] */
    size_t n_aliases;           /* number of pairs */
    unsigned n_points;          /* random points; 0: default */
    double rel_tol;             /* 0: default */
    double abs_tol;             /* values this close are equal too (0: none) */
    uint64_t seed;              /* 0: a fixed default seed (results repeatable) */
    bool e_is_variable;         /* treat e as a variable, not Euler's number */
    bool accept_bound;          /* a bound (<=) equal to the truth passes */
    bool strict_units;          /* a unit the truth has must be given (else wrong_unit) */
    bool verdict_only;          /* the caller reads only the verdict: no diagnosis (a
                                 * DIFFERENT result has category arithmetic, no detail) */
} rp_equiv_opts;

typedef enum rp_equiv_verdict {
    RP_EQUIV_EQUAL = 0,
    RP_EQUIV_DIFFERENT = 1,
    RP_EQUIV_ERROR = 2 /* unparseable or unevaluable; see error/error_pos */
} rp_equiv_verdict;

/* The outcome of one comparison.  All text is owned by the struct (fixed
 * buffers); no freeing needed. */
typedef struct rp_equiv_result {
    rp_equiv_verdict verdict;
    rp_category category; /* why, when DIFFERENT (RP_CAT_NONE otherwise) */
    char detail[256];     /* human detail ("missing factor c"), for display only:
                           * decisions read the structured fields below */
    char note[256];      /* a remark even when EQUAL (e.g. "\\sigma_y read as \\sigma_g") */
    char error[256];     /* when ERROR: the reason */
    int error_side;      /* when ERROR: 0 truth, 1 claim */
    size_t error_pos;    /* when ERROR: byte offset in that side */
    /* Structured details of a DIFFERENT verdict. */
    bool const_factor;   /* truth = k * claim for a constant k (no variables): */
    double const_k;      /* k, and its LaTeX in factor */
    char factor[200];    /* the factor's LaTeX for the factor categories, else "" */
    int entries[2];      /* the first differing entry, or the two swapped ones: 1-based
                          * flat (row-major) indices; 0 when none */
} rp_equiv_result;

/* Compare claim with truth (the reference).  Categories are relative to the
 * truth.  Both may be any LaTeX the latex module parses: scalars, relations
 * (the right-hand side of "x = ..." is compared when the left side is a
 * plain symbol), matrices, vectors, tuples, cases, O(.).  A product written
 * with \times ("28 \times 28 \times 10") is compared as a product, unless
 * the other side is a tuple of as many entries: then as a shape, entry by
 * entry.  Names in opts (vars, aliases) may be written in any spelling the
 * parser accepts ("d_out", "\\sigma_x").  Returns RP_OK and
 * fills *res in every case where inputs were processed (including
 * verdict ERROR); non-OK only for out-of-memory. */
rp_status rp_equiv(const char *truth, size_t truth_len, const char *claim,
                   size_t claim_len, const rp_equiv_opts *opts,
                   rp_equiv_result *res);

/* A reusable comparison context: it caches parsed expressions, so
 * comparing one truth with many claims (a batch, a transcript) parses each
 * distinct string once.  Not thread-safe; one per thread. */
typedef struct rp_equiv_ctx rp_equiv_ctx;

/* A new context, NULL when out of memory.  Free with rp_equiv_ctx_free(). */
rp_equiv_ctx *rp_equiv_ctx_new(void);
void rp_equiv_ctx_free(rp_equiv_ctx *ctx);

/* rp_equiv() through ctx (same contract and results). */
rp_status rp_equiv_ctx_run(rp_equiv_ctx *ctx, const char *truth, size_t truth_len,
                           const char *claim, size_t claim_len,
                           const rp_equiv_opts *opts, rp_equiv_result *res);

#endif
