/*
 * Private declarations of the rubric module: the validation context that
 * tracks the JSON path of the value being read, typed getters that report
 * errors against that path, the table of operations (each reads its
 * params and has the engine compute the truth), and helpers
 * shared by loading, solving, comparison and output.
 */
#ifndef RP_RUBRIC_INT_H
#define RP_RUBRIC_INT_H

#include "redpen/engine.h"
#include "redpen/rubric.h"

#include "redpen/jsonw.h"

#include <cjson/cJSON.h>

/* Validation context: where we are in the JSON, where errors go. */
typedef struct rp_vctx {
    rp_arena *arena;   /* the rubric's arena: built values live here */
    rp_diags *diags;
    const char *label; /* file name for diagnostics */
    size_t errors;
    char path[512];    /* current JSON path, "$.problems[2].parts[1]" */
    size_t plen;
} rp_vctx;

/* Report an error at the current path (with an optional suffix key). */
void rp_verr(rp_vctx *c, const char *fmt, ...) RP_PRINTF(2, 3);

/* Push ".key" or "[i]" on the path; return the length to restore. */
size_t rp_vpush_key(rp_vctx *c, const char *key);
size_t rp_vpush_index(rp_vctx *c, size_t i);
void rp_vpop(rp_vctx *c, size_t len);

/* Refuse keys of obj not in allowed (NULL-terminated) and allowed keys
 * given twice (cJSON keeps both, readers see the first); keys starting
 * with '_' or '$' are comments and always allowed. */
void rp_vkeys(rp_vctx *c, const cJSON *obj, const char *const *allowed);

/* Typed getters: report a missing required key or a type error at
 * path.key and return the fallback.  Strings are copied to the arena and
 * capped at RP_RUBRIC_MAX_STRING. */
const char *rp_vstr(rp_vctx *c, const cJSON *obj, const char *key,
                    bool required);
bool rp_vbool(rp_vctx *c, const cJSON *obj, const char *key, bool fallback);
double rp_vnum(rp_vctx *c, const cJSON *obj, const char *key, bool required,
               double fallback);
long rp_vint(rp_vctx *c, const cJSON *obj, const char *key, bool required,
             long lo, long hi, long fallback);
/* Report obj[key] missing at path.key, "missing (required WHY)" (why, a
 * phrase such as "for quantity mean: ...", may be NULL); true when
 * present. */
bool rp_vneed(rp_vctx *c, const cJSON *obj, const char *key, const char *why);
/* One of choices (NULL-terminated); returns its index or fallback. */
int rp_venum(rp_vctx *c, const cJSON *obj, const char *key,
             const char *const *choices, int fallback);
/* An array of strings; *n receives the count. */
const char **rp_vstrlist(rp_vctx *c, const cJSON *obj, const char *key,
                         size_t *n);
/* An object (or array) member of the right type, or NULL with an error
 * when required. */
const cJSON *rp_vobj(rp_vctx *c, const cJSON *obj, const char *key,
                     bool required);
const cJSON *rp_varr(rp_vctx *c, const cJSON *obj, const char *key,
                     bool required, size_t max);
/* A numeric matrix (array of arrays of numbers, rectangular). */
bool rp_vmatrix(rp_vctx *c, const cJSON *obj, const char *key, bool required,
                rp_mat *out);

/* Parse one answer object at the current path.  allow_compute: compute is
 * accepted; allow_tuple: tuple is accepted. */
rp_answer *rp_answer_read(rp_vctx *c, const cJSON *j, bool allow_compute,
                          bool allow_tuple);

/* Build the LaTeX of a bmatrix from cells. */
const char *rp_bmatrix_latex(rp_arena *a, size_t rows, size_t cols,
                             const char *const *cells);

/* A number as the shortest exact LaTeX: an integer as one ("-40", never
 * "-4e+01"), else the shortest %g that reads back, with an exponent written
 * "1.5 \times 10^{-7}" (fractions such as 127/4096 are not attempted). */
const char *rp_num_latex(rp_arena *a, double v);

/* ------------------------------------------------------ operations */

/* Fits shared between parts while one rubric is solved (e.g. the
 * initialization constant every linear_scaling quantity builds on), keyed
 * by their parameters. */
#define RP_SOLVE_CACHE 8
typedef struct rp_solve_cache {
    char key[RP_SOLVE_CACHE][256];
    rp_monomial fit[RP_SOLVE_CACHE];
    size_t n;
} rp_solve_cache;

/* What one rubric's solve may still spend (shared by its parts). */
typedef struct rp_solve_budget {
    double deadline;    /* CLOCK_MONOTONIC seconds */
    double seconds;     /* the time budget, for messages */
    double work;        /* multiply-adds charged so far */
    double max_work;
    bool spent;         /* a charge was refused: solving stops */
} rp_solve_budget;

/* Solving context for one compute answer. */
typedef struct rp_solve_ctx {
    rp_rubric *rubric;
    const rp_part *part;
    rp_diags *diags;
    const char *where;     /* "part ID" or "part ID variant 1 (CATEGORY)" */
    rp_solve_cache *cache; /* may be NULL */
    unsigned jobs;         /* threads a simulation's fit may use (0, 1: none) */
    rp_solve_budget *budget; /* may be NULL: no budget */
} rp_solve_ctx;

/* Charge work multiply-adds (what: "conv2d of 256x256 by 256x256") to the
 * solve's budget before doing them: RP_ELIMIT with a diagnostic naming the
 * part when the work, or the time already spent, is over budget; else
 * RP_OK. */
rp_status rp_solve_charge(rp_solve_ctx *s, double work, const char *what);

typedef struct rp_op {
    const char *name;
    /* validate params at the current path (errors through rp_verr) */
    void (*validate)(rp_vctx *c, const cJSON *params);
    /* compute the answer; params already validated */
    rp_status (*solve)(rp_solve_ctx *s, const cJSON *params, rp_answer *out);
    /* the answer is a grid (matrix, vector, table, or a tuple of vectors):
     * `rubric check` warns when such a part names no targets */
    bool grid;
} rp_op;

const rp_op *rp_op_find(const char *name);
/* "conv1d, conv2d, ..." for messages: the registry's names, in arena a. */
const char *rp_op_names(rp_arena *a);

/* Each operation family lives in its own file. */
extern const rp_op rp_op_conv1d, rp_op_conv2d, rp_op_pool_backward,
    rp_op_cnn_table, rp_op_shift_lookup, rp_op_receptive_field,
    rp_op_matmul_cost, rp_op_linear_scaling, rp_op_conv_grad_moments,
    rp_op_layer_formula;

/* Report a solve failure for s->where. */
rp_status rp_solve_fail(rp_solve_ctx *s, rp_status st, const char *fmt, ...)
    RP_PRINTF(3, 4);

/* Evaluate a bound "12", "L", "L-1", "N+5" with symbols from let (an
 * object of numbers).  False when it is not of that form or unknown. */
bool rp_bound_eval(const char *b, const cJSON *let, long *out);

/* Fit a monomial and set out to an expr answer with its derivation. */
rp_status rp_fit_to_answer(rp_solve_ctx *s, const rp_fit_var *vars,
                           size_t n_vars, rp_fit_point_fn f, void *ctx,
                           const rp_fit_opts *o, rp_answer *out);

/* Fit variable ranges: from params["ranges"][name] = [lo, hi] when given,
 * else (use_domain) from the part's variable domain, else [lo, hi].  The
 * integer flag comes from the part's domain. */
void rp_fit_range(const rp_solve_ctx *s, const cJSON *params,
                  const char *name, double lo, double hi, bool use_domain,
                  rp_fit_var *v);
/* Validate an optional "ranges" object: name -> [lo, hi], 0 < lo < hi <=
 * max_hi (simulations cap their sizes so solving stays fast). */
void rp_validate_ranges(rp_vctx *c, const cJSON *params, double max_hi);

/* A numeric matrix from validated JSON rows (arena a); false on OOM. */
bool rp_json_mat(rp_arena *a, const cJSON *arr, rp_mat *out);
/* A matrix (or, for one column, vector) answer with numeric cells. */
rp_status rp_answer_set_mat(rp_arena *a, const rp_mat *m, rp_answer *out);
/* Index of p[key] in choices (validated), 0 when absent. */
int rp_json_enum(const cJSON *p, const char *key, const char *const *choices);
/* p[key] as an integer, or fallback when absent. */
long rp_json_int(const cJSON *p, const char *key, long fallback);

/* Compare an expression pair through rp_equiv with the part's options
 * (after a cheap textual check).  */
rp_key_verdict rp_expr_compare(rp_arena *a, const rp_part *p, const char *x,
                               const char *y, const char **detail);

/* ------------------------------------------------- solved-rubric cache */

/* The cache key of a rubric: SHA-256 (hex) of its bytes, its key file's
 * (key_data may be NULL) and the identity of the solving code. */
void rp_rubric_cache_key(const char *data, size_t n, const char *key_data, size_t key_n,
                         char out[65]);

typedef enum rp_cache_result {
    RP_CACHE_MISS, /* no entry */
    RP_CACHE_HIT,  /* every computed answer read (truths and variants);
                    * the typed ones are left to solve, which is cheap */
    RP_CACHE_BAD   /* an entry that cannot be read (a warning on d); r unchanged */
} rp_cache_result;

/* Read r's computed answers from the cache in dir (NULL: none). */
rp_cache_result rp_rubric_cache_get(rp_rubric *r, const char *dir, rp_diags *d);
/* Keep the solved r in the cache in dir (atomically; a failure is a
 * warning on d). */
void rp_rubric_cache_put(const rp_rubric *r, const char *dir, rp_diags *d);

/* A parsed JSON value written again through the one JSON writer, as it is
 * (a compute answer's params in `solve`, a key's vars in `rubric from-key`). */
void rp_rubric_write_cjson(rp_jw *j, const char *key, const cJSON *v);

#endif
