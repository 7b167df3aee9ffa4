/*
 * Private declarations of the expr module: the symbol table of one
 * comparison, values (scalars, matrices, the identity of adaptable size),
 * the evaluator, and the diagnosis helpers equiv.c calls.
 */
#ifndef RP_EXPR_INT_H
#define RP_EXPR_INT_H

#include "redpen/expr.h"
#include "redpen/latex.h"

#include <math.h>
#include <string.h>

#define EX_MAXSYM 64     /* distinct symbols in one comparison */
#define EX_MSIZE 3       /* default size of a matrix symbol */
#define EX_MAXDIM 64     /* largest matrix evaluated */
#define EX_SUM_BUDGET 200000 /* terms of sums per evaluation */
#define EX_TOTAL_BUDGET 600000 /* terms of sums per comparison */

/* GSL's default error handler aborts the process.  Turn it off for good,
 * once (pthread_once): saving and restoring it around each call raced
 * between grading threads.  Errors are then the return codes checked. */
void ex_gsl_quiet(void);

/* One step of the splitmix64 generator: the hash behind random points,
 * array entries and drawn functions. */
static inline uint64_t ex_mix(uint64_t z)
{
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

enum { SK_SCALAR, SK_MATRIX, SK_IDENT, SK_E };

typedef struct ex_cache ex_cache;

/* One symbol of the comparison (after aliasing). */
typedef struct esym {
    const char *name;  /* display spelling (the truth's when it has one) */
    const char *key;   /* alias representative: equal keys are one symbol */
    const char *base;  /* the spelling without subscript ("\\sigma" of \\sigma_a) */
    int kind;          /* SK_* */
    double lo, hi;     /* sampling domain */
    bool integer;
    bool declared;     /* from opts->vars */
    bool has_value;    /* the problem fixes it ... */
    double value;      /* ... at this value */
    bool fixed;        /* held at value in this comparison */
    int rows, cols;    /* SK_MATRIX shape */
    int n_truth, n_claim; /* occurrences on each side */
    int n_cond;        /* occurrences in cases conditions */
    bool bound_var;    /* appears in sum bounds */
    bool case_var;     /* the variable the cases are split on */
    bool hold;         /* asymptotic comparison: held at one value */
    double cur;        /* current value (scalar) */
    double *mat;       /* current value (matrix), scratch arena */
} esym;

/* A value: r == 0 scalar s; r < 0 identity times s; else r x c matrix m
 * (row-major).  vec marks a list written as a tuple (orientation free). */
typedef struct val {
    int r, c;
    bool vec;
    double s;
    double *m;
} val;

enum { EX_OK = 0, EX_EUNEVAL = 1, EX_ESHAPE = 2, EX_ENOMEM = 3 };

typedef struct ectx {
    rp_arena *a;              /* the comparison's arena */
    rp_arena *scratch;        /* matrix values of the current point */
    const rp_equiv_opts *o;
    esym sym[EX_MAXSYM];
    int nsym;
    int unify_from, unify_to; /* claim symbol read as truth symbol, or -1 */
    bool has_matrix;
    bool e_var;
    uint64_t seed;
    uint64_t pseed;           /* seed of the current point (arrays) */
    const char *bnd_name[16]; /* bound sum indices */
    double bnd_val[16];
    int nbnd;
    long budget;
    long total_terms;         /* sum terms evaluated in this comparison */
    int err;                  /* EX_* of the last evaluation */
    char msg[160];
    bool big;                 /* asymptotic sampling (large values) */
    bool no_round;            /* floor and ceiling evaluate as the identity */
    ex_cache *cache;          /* parsed trees (rp_equiv_ctx), or NULL */
    const rp_latex_node *sumb[16]; /* the truth's sums with bounds, lent to */
    int nsumb;                     /* the claim's sums without bounds */
    int bounds_depth;              /* sum bounds being evaluated: borrowed bounds can cycle */
    const char **vname;       /* canonical names of o->vars[] (NULL entries: none) */
    const char **aname;       /* canonical names of o->aliases[] */
    const char **vkey;        /* alias keys of vname[] */
    uint64_t alias_bits[4];   /* filter of aname[]'s hashes (ex_entry_name) */
    uint64_t *ahash;          /* the hash of each aname[] (set where both of a pair are) */
    const char *seq[8];       /* sequences: y[n] on a side, y(n) read as the same entry */
    int nseq;
    const char *fn[8];        /* functions: f(x) applies f (sequence.c) */
    int nfn;
} ectx;

/* The parse cache of an rp_equiv_ctx (cache.c). */
ex_cache *ex_cache_new(void);
void ex_cache_free(ex_cache *c);
/* Start a comparison: empties a full cache.  False when out of memory. */
bool ex_cache_begin(ex_cache *c);
/* rp_latex_parse through the cache (c NULL: parse into fallback). */
rp_status ex_cache_parse(ex_cache *c, rp_arena *fallback, const char *s, size_t n,
                         rp_latex_node **out, rp_latex_error *err);
/* The memory of the memo of walks (prog_memo.c) that c keeps for its
 * context: size bytes, zeroed when first asked for (every call asks for
 * the same size), freed with c; NULL when out of memory. */
void *ex_cache_memo(ex_cache *c, size_t size);
/* Scratch memory of c's context, size bytes or more, not zeroed, valid
 * until the next call; NULL when out of memory. */
void *ex_cache_scratch(ex_cache *c, size_t size);

/* Canonical spellings of the declared names (opts->vars, opts->aliases),
 * so "\\sigma_b" matches \\sigma_{b} in the expressions. */
bool ex_canon_decls(ectx *c);

/* Record the sums of the truth that have bounds (for claims that leave
 * them out: \\sum_{i,j} for \\sum_{i=1}^{m}\\sum_{j=1}^{m}). */
void ex_collect_sum_bounds(ectx *c, const rp_latex_node *x);

/* Symbols: register every symbol of tree x (side 0 truth, 1 claim) and set
 * node->aux.  Returns false when there are too many. */
bool ex_resolve(ectx *c, rp_latex_node *x, int side);
/* Mark symbols that appear transposed (or declared with a shape). */
void ex_find_matrices(ectx *c, const rp_latex_node *x);
/* Names written as a sequence entry y[n] and applied y(n) elsewhere (never
 * bare): y(n) then evaluates as y[n] (ex_resolve). */
void ex_find_sequences(ectx *c, const rp_latex_node *t, const rp_latex_node *cl);
/* Is base (a symbol's name without subscript) one of the sequences
 * ex_find_sequences() found? */
bool ex_is_sequence(const ectx *c, const char *base);
/* Names applied as functions, f(x): declared so (rp_var_domain.function),
 * or applied on both sides and never written alone (sequence.c). */
void ex_find_functions(ectx *c, const rp_latex_node *t, const rp_latex_node *cl);
/* What the product x is: -5 an entry y(n) of a sequence, -6 a function
 * applied f(x), 0 a product (set as x->aux by ex_resolve). */
int ex_apply_kind(const ectx *c, const rp_latex_node *x);
/* The value of f(args) for x of kind -6: a smooth function drawn from f's
 * name and the point, the same on both sides.  fast: scalar arguments. */
double ex_apply_func(ectx *c, const rp_latex_node *x, bool fast);
/* Apply declared domains and aliases to the table. */
void ex_apply_decls(ectx *c);
/* Draw point k (deterministic in seed and k). */
void ex_sample(ectx *c, unsigned k);
/* Draw points k0 .. k0+n-1 as ex_sample() does, one after the other, into
 * sym (n rows of c->nsym values) and pseed (n point seeds); the table is
 * left at the last point. */
void ex_sample_run(ectx *c, unsigned k0, unsigned n, double *sym, uint64_t *pseed);
/* Evaluate x at the current point. */
val ex_eval(ectx *c, const rp_latex_node *x);
/* Scalar value of x (NaN with c->err set when not a scalar). */
double ex_eval_scalar(ectx *c, const rp_latex_node *x);
/* Scalar evaluation for comparisons without matrices (ex_scalar_tree). */
double ex_fast(ectx *c, const rp_latex_node *x);
bool ex_scalar_tree(const rp_latex_node *x);
/* Does relation rel hold between a and b (equalities within a relative
 * 1e-9)? */
static inline bool ex_rel_holds(int rel, double a, double b)
{
    /* fmax() of libm without its call: the larger, the other of a NaN
     * (no tie of zeros of two signs: both are magnitudes, then 1) */
    double fa = fabs(a), fb = fabs(b);
    double m = isnan(fa) ? fb : isnan(fb) ? fa : fa > fb ? fa : fb;
    double tol = 1e-9 * (isnan(m) || m < 1 ? 1 : m);
    switch (rel) {
    case RP_REL_EQ:
    case RP_REL_APPROX:
    case RP_REL_DEF:
        return fabs(a - b) <= tol;
    case RP_REL_NE: return fabs(a - b) > tol;
    case RP_REL_LE: return a <= b + tol;
    case RP_REL_LT: return a < b - tol;
    case RP_REL_GE: return a >= b - tol;
    case RP_REL_GT: return a > b + tol;
    default: return false;
    }
}

/* Evaluate a condition (relation) to true/false. */
bool ex_cond(ectx *c, const rp_latex_node *x);
/* Index of the case of x (a CASES node) that holds, -1 when none. */
int ex_active_case(ectx *c, const rp_latex_node *x);
/* The symbol index of a name, -1 when absent. */
int ex_sym_find(const ectx *c, const char *name);
/* Canonical alias key of a name. */
const char *ex_alias_key(ectx *c, const char *name);
/* Reset the scratch arena between points. */
bool ex_scratch_reset(ectx *c);

/* snprintf(dst, cap, "%s", src) without the printf machinery: the bytes
 * of src that fit before a NUL (cap > 0). */
static inline void ex_copy(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = 0;
}

/* Relative closeness with tolerance tol (inline: a comparison asks it at
 * every point). */
static inline bool ex_close(double a, double b, double tol)
{
    if (a == b)
        return true;
    if (isnan(a) || isnan(b) || isinf(a) || isinf(b))
        return false;
    double m = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
    return fabs(a - b) <= tol * m;
}

/* Diagnosis (diagnose.c).  Fill res with the category and detail for a
 * scalar claim C that differs from truth T. */
void ex_diag_scalar(ectx *c, const rp_latex_node *T, const rp_latex_node *C,
                    rp_equiv_result *res, const char *prefix);
/* Matrices / vectors: vt, vc evaluated at one point. */
void ex_diag_matrix(ectx *c, const rp_latex_node *T, const rp_latex_node *C,
                    val vt, val vc, rp_equiv_result *res);
/* Mark res DIFFERENT with category cat and clear its structured details
 * (equiv.c); the caller then fills the details that apply. */
void ex_set_category(rp_equiv_result *res, rp_category cat);
/* One comparison of two values as equiv.c reads them (rp_equiv() without
 * the answer formats of answer.c); cache may be NULL. */
rp_status ex_equiv_value(ectx *c, ex_cache *cache, const char *truth, size_t truth_len,
                         const char *claim, size_t claim_len, const rp_equiv_opts *opts,
                         rp_equiv_result *res);
/* rp_equiv(): answer formats (lists, sets, intervals, units, relations,
 * text) read first, values through ex_equiv_value() (answer.c). */
rp_status ex_answer_run(ectx *c, ex_cache *cache, const char *truth, size_t truth_len,
                        const char *claim, size_t claim_len, const rp_equiv_opts *opts,
                        rp_equiv_result *res);
/* Complex answers (complex.c).  Is the truth a complex number: is i its
 * only free symbol, bare and not declared (after ex_apply_decls)? */
bool ex_complex_wanted(const ectx *c);
/* Compare T and C in complex arithmetic (i the unit) and fill res; false
 * when a side can not be evaluated so (res untouched). */
bool ex_complex_compare(ectx *c, const rp_latex_node *T, const rp_latex_node *C, double tol,
                        rp_equiv_result *res);
/* A constant as LaTeX ("2", "\\frac{1}{2}", "\\sqrt{2}", "\\pi"). */
void ex_fmt_const(double k, char *out, size_t cap);

#endif
