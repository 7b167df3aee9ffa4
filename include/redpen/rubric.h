/*
 * redpen rubric: a homework's problems and parts, what each part asks for,
 * and its answer: typed (LaTeX, matrices, tables, ...) or computed by the
 * engine (kind "compute").  The format is documented in rubrics/README.md
 * and rubrics/rubric.schema.json.
 *
 * Life cycle: rp_rubric_load() (or rp_rubric_parse()) validates the JSON
 * and builds the rubric; rp_rubric_solve() runs the engine so that every
 * part has a truth that is never of kind compute, and every variant an
 * answer; rp_rubric_free() releases everything.  All strings and arrays
 * live in the rubric's arena.
 *
 * For the grader, every part offers: id, problem number, title, targets,
 * the truth (after solving), the official key (or NULL), the variants,
 * variable domains and alias pairs for rp_equiv_opts (rp_part_equiv_opts),
 * accept_bound, discussion points, and through its problem the cues that
 * identify the problem in a transcript.
 */
#ifndef REDPEN_RUBRIC_H
#define REDPEN_RUBRIC_H

#include "redpen/core.h"
#include "redpen/expr.h"

/* Limits on rubric files; anything larger is refused with a diagnostic. */
#define RP_RUBRIC_MAX_BYTES ((size_t)4 << 20)
#define RP_RUBRIC_MAX_PROBLEMS 64
#define RP_RUBRIC_MAX_PARTS 256      /* over all problems */
#define RP_RUBRIC_MAX_LIST 64        /* cues, targets, points, variants, vars */
#define RP_RUBRIC_MAX_ITEMS 16       /* tuple components, cases */
#define RP_RUBRIC_MAX_DIM 256        /* matrix rows/cols, table rows */
#define RP_RUBRIC_MAX_STRING 8192    /* bytes of one string */
#define RP_RUBRIC_MAX_DEPTH 24       /* JSON nesting */

typedef enum rp_answer_kind {
    RP_ANS_EXPR,      /* one LaTeX expression */
    RP_ANS_MATRIX,    /* rows x cols of cells */
    RP_ANS_VECTOR,    /* a column vector (cols == 1) */
    RP_ANS_TUPLE,     /* named sub-answers (g_3 and g_4; mean/variance) */
    RP_ANS_TABLE,     /* rows x columns of LaTeX cells with labels */
    RP_ANS_PIECEWISE, /* cases of (expression, condition) */
    RP_ANS_TEXT,      /* free text: the points a good answer makes */
    RP_ANS_COMPUTE    /* an engine operation; solved into another kind */
} rp_answer_kind;

/* "expr", "matrix", "vector", "tuple", "table", "piecewise", "text",
 * "compute". */
const char *rp_answer_kind_name(rp_answer_kind k);

struct rp_answer;

/* A matrix or vector: LaTeX per cell and, where a cell is a number, its
 * value (NaN where the cell is symbolic, e.g. "dy_{1,1}"). */
typedef struct rp_matrix_val {
    size_t rows, cols;
    const char **cells; /* rows*cols, row-major */
    double *values;     /* rows*cols, row-major */
    bool numeric;       /* every cell is a number */
} rp_matrix_val;

/* One named component of a tuple. */
typedef struct rp_tuple_item {
    const char *name;          /* canonical, e.g. "g_3" */
    const char **spellings;    /* other ways to write it: "\\mathbf{g}_3" */
    size_t n_spellings;
    struct rp_answer *answer;  /* never a tuple */
} rp_tuple_item;

/* One case of a piecewise answer.  The condition is var in [from, to]
 * where each bound is an integer, a symbol, or symbol +/- integer
 * ("L-1"); NULL means unbounded. */
typedef struct rp_case {
    const char *expr; /* LaTeX */
    const char *cond; /* LaTeX of the condition, e.g. "0 \\le n \\le L-1" */
    const char *var;  /* "n" */
    const char *from; /* NULL: -infinity */
    const char *to;   /* NULL: +infinity */
} rp_case;

/* A table: labels and row-major LaTeX cells; values where numeric (NaN
 * otherwise); given marks cells the problem statement already fills in. */
typedef struct rp_table_val {
    size_t rows, cols;
    const char **row_labels;
    const char **col_labels;
    const char **cells;
    double *values;
    bool *given;
} rp_table_val;

/* How the engine's own check of a typed formula went. */
typedef enum rp_check_status {
    RP_CHECK_NONE = 0,    /* nothing to check */
    RP_CHECK_PASSED,      /* formula agrees with the engine at every point */
    RP_CHECK_FAILED,      /* it does not (see check_detail) */
    RP_CHECK_UNAVAILABLE  /* the comparison could not run (rp_equiv error) */
} rp_check_status;

/* "none", "passed", "failed", "unavailable". */
const char *rp_check_status_name(rp_check_status s);

/* An answer of any kind.  latex is the whole answer as one LaTeX string
 * for every kind except text and table (a bmatrix for matrices and
 * vectors, a cases environment for piecewise, "g_3 = ..., g_4 = ..." for
 * tuples); the kind-specific fields hold the structure. */
typedef struct rp_answer {
    rp_answer_kind kind;
    const char *latex;
    rp_matrix_val mat;          /* matrix, vector */
    rp_tuple_item *items;       /* tuple */
    size_t n_items;
    rp_table_val table;         /* table */
    rp_case *cases;             /* piecewise */
    size_t n_cases;
    const char *sample_var;     /* piecewise: values computed by the engine */
    long sample_from;           /*   at sample_var = sample_from + i */
    double *samples;
    size_t n_samples;
    const char **points;        /* text: the points a good answer makes */
    size_t n_points;
    const char **patterns;      /* text: PCRE2 patterns that signal them */
    size_t n_patterns;
    bool up_to_constant;        /* expr: a growth rate (compare up to a constant) */
    const char *op;             /* compute: the engine operation */
    const char *params_json;    /* compute: its parameters as JSON text */
    const char *derivation;     /* solved: how the engine got it, or NULL */
    rp_check_status check;      /* solved: the engine's check of a typed formula */
    const char *check_detail;
} rp_answer;

/* A known wrong answer: the same computation with one thing changed. */
typedef struct rp_variant {
    const char *category; /* DESIGN.md category id or a rubric's own */
    const char *detail;   /* for people, e.g. "missing constant c" */
    rp_answer *answer;    /* solved: never compute */
} rp_variant;

typedef struct rp_problem rp_problem;

/* One part of a problem. */
typedef struct rp_part {
    const char *id;         /* "1a", "3d.i" */
    int problem;            /* problem number */
    const rp_problem *prob; /* the problem it belongs to */
    const char *title;
    const char **targets;   /* symbols or words the part asks for */
    size_t n_targets;
    rp_answer *spec;        /* the answer as written in the rubric */
    rp_answer *truth;       /* after rp_rubric_solve(): never compute; else NULL */
    rp_answer *key;         /* the official key, or NULL */
    const char *key_file;   /* the key file the key came from (NULL: the rubric) */
    const char *key_source; /* where the key was stated, or NULL */
    const char *key_note;   /* why key and engine may differ, or NULL */
    rp_variant *variants;   /* after solving: every answer resolved */
    size_t n_variants;
    rp_var_domain *vars;    /* variable domains (for rp_equiv_opts) */
    size_t n_vars;
    const char **aliases;   /* pairs: aliases[2i] is aliases[2i+1] */
    size_t n_aliases;       /* number of pairs */
    bool accept_bound;      /* a bound equal to the truth passes */
    double rel_tol;         /* "tolerance": relative (0: rp_equiv's default) */
    double abs_tol;         /*   and absolute (0: none); the part's, else the rubric's */
    const char **points;    /* discussion points (any kind), may be empty */
    size_t n_points;
    bool strict_units;      /* a unit the answer has must be given (else wrong_unit) */
} rp_part;

/* A problem: its number, title and the cues that identify it. */
struct rp_problem {
    int number;
    const char *title;
    const char **cues;      /* words: "Newton-Schulz", "MuP", ... */
    size_t n_cues;
    rp_part *parts;         /* points into the rubric's flat parts array */
    size_t n_parts;
};

/* A loaded rubric. */
typedef struct rp_rubric {
    const char *id;      /* "hw4" */
    const char *title;
    const char *path;    /* file it was loaded from, or the label */
    rp_problem *problems;
    size_t n_problems;
    rp_part *parts;      /* all parts in problem order */
    size_t n_parts;
    bool solved;
    char cache_key[65];  /* SHA-256 of its content and the solving code (hex) */
    rp_arena *arena;     /* owns everything above */
} rp_rubric;

/* Read, validate and build the rubric at path.  A "key_file" named in the
 * rubric is read relative to the rubric's directory and its keys merged by
 * part id.  On a validation error returns RP_EINPUT with one diagnostic per
 * problem, each naming the JSON path ("$.problems[2].parts[1].answer.kind:
 * expected one of ..."); *out is NULL then.  Free with rp_rubric_free(). */
rp_status rp_rubric_load(const char *path, rp_rubric **out, rp_diags *d);

/* The same from memory; label names the source in diagnostics.  base_dir
 * resolves "key_file" (NULL: key_file is refused). */
rp_status rp_rubric_parse(const char *label, const char *data, size_t n,
                          const char *base_dir, rp_rubric **out, rp_diags *d);

/* Run the engine over every part: resolve compute answers and variants,
 * check typed formulas where the rubric asks, within the default budget
 * (RP_SOLVE_SECONDS, RP_SOLVE_WORK).  Idempotent.  Diagnostics name the
 * part and the operation that failed; returns the first error. */
rp_status rp_rubric_solve(rp_rubric *r, rp_diags *d);

/* Default budget of one rubric's solve: seconds (a deadline checked
 * before every part, variant and sampled point of a fit) and work
 * (multiply-adds of the convolutions, estimated before they run).  A solve
 * over budget stops with RP_ELIMIT and a diagnostic naming the part. */
#define RP_SOLVE_SECONDS 30.0
#define RP_SOLVE_WORK 2e9 /* hw4 needs 2.6e8 */

/* Options of rp_rubric_solve_opts; zero-initialised is rp_rubric_solve. */
typedef struct rp_solve_opts {
    unsigned jobs; /* threads for the simulations (0, 1: the caller's alone;
                    * capped at 64).  The solved rubric is the same for
                    * every value: each sampled point has its own seeded
                    * stream. */
    double max_seconds; /* 0: $REDPEN_SOLVE_SECONDS when set, else RP_SOLVE_SECONDS */
    double max_work;    /* 0: $REDPEN_SOLVE_WORK when set, else RP_SOLVE_WORK */
    const char *cache_dir; /* the solved-rubric cache: answers computed before
                            * for the same rubric and key file by the same
                            * redpen are read from DIR/rubric/ instead, and new
                            * ones kept there; NULL: no cache */
} rp_solve_opts;

/* rp_rubric_solve with options (o may be NULL). */
rp_status rp_rubric_solve_opts(rp_rubric *r, const rp_solve_opts *o,
                               rp_diags *d);

void rp_rubric_free(rp_rubric *r);

/* `rubric check`'s look past the format (r need not be solved): every
 * LaTeX truth, key, variant, cell, case and compute formula parses, its
 * braces balance, no \frac{d}{dx} (read as a quotient), every free symbol
 * is a declared variable or alias (a warning when the part declares none),
 * every text pattern compiles, and a part whose answer is a matrix, vector
 * or table names its targets (a warning).  One diagnostic per finding,
 * naming the file and JSON path; warnings start with "warning: ".  Counts
 * go to *errors and *warnings (either may be NULL).  RP_EINPUT when there
 * is an error, RP_OK otherwise (RP_ENOMEM when out of memory). */
rp_status rp_rubric_lint(const rp_rubric *r, rp_diags *d, size_t *errors,
                         size_t *warnings);

/* The part with this id, or NULL. */
const rp_part *rp_rubric_part(const rp_rubric *r, const char *id);

/* Options for rp_equiv() comparing answers of this part: its variables,
 * aliases, accept_bound, tolerance and strict_units (other fields zero).  Points into
 * the part. */
rp_equiv_opts rp_part_equiv_opts(const rp_part *p);

/* Demand the unit in every part of r (grade --strict-units): a claim
 * without the unit its answer has is then wrong_unit. */
void rp_rubric_require_units(rp_rubric *r);

/* ------------------------------------------------------------ output */

/* The solved rubric as JSON ("redpen solve"): one object per part with
 * its truth, key and variants.  Returns a malloc'd string (caller frees
 * with free()), or NULL when out of memory. */
char *rp_rubric_solution_json(const rp_rubric *r);

/* An answer as JSON text (malloc'd, caller frees), or NULL. */
char *rp_answer_json(const rp_answer *a);

/* ----------------------------------------------------- key vs engine */

typedef enum rp_key_verdict {
    RP_KEY_AGREE,
    RP_KEY_DISAGREE,
    RP_KEY_UNCHECKED /* could not compare (text, or rp_equiv unavailable) */
} rp_key_verdict;

/* The comparison of one part's official key with the engine's truth. */
typedef struct rp_key_check {
    const rp_part *part;
    rp_key_verdict verdict;
    const char *detail;  /* which entries / component differ, or why unchecked */
} rp_key_check;

/* Compare every part that has a key with its truth (the rubric must be
 * solved).  *out is an array of *n checks in the rubric's arena. */
rp_status rp_rubric_check_key(rp_rubric *r, rp_key_check **out, size_t *n);

/* Compare two answers of the same part: RP_KEY_AGREE when equal (numbers
 * within 1e-9 relative, formulas through rp_equiv with the part's
 * options).  detail (arena of r) says what differs. */
rp_key_verdict rp_answer_compare(rp_rubric *r, const rp_part *p,
                                 const rp_answer *truth,
                                 const rp_answer *other, const char **detail);

/* ------------------------------------------------------ answer keys */

/* The JSON of a rubric (pretty, with a final newline) for an answer key
 * data[0..n): CSV lines "part,answer[,title][,points]" (an optional header
 * line "part,answer,..."; quote a field with commas; points separated by
 * ';') or a JSON object {"5a": answer, "6b": {"answer": .., "title": ..,
 * "points": [..], "vars": [..]}} (an answer: a string of LaTeX, plain or
 * Unicode math, a number, an array (vector) or array of arrays (matrix)).
 * Kinds are inferred, problems come from the part ids ("5a", "6", "Q8b"),
 * cues from the part titles.  Appended to out.  Bad keys: RP_EINPUT with a
 * diagnostic naming label and the line (CSV) or JSON path. */
rp_status rp_rubric_key_json(const char *label, const char *data, size_t n,
                             rp_buf *out, rp_diags *d);

/* The rubric of the key file at path (rp_rubric_key_json() read by
 * rp_rubric_parse()), solved.  Free with rp_rubric_free(). */
rp_status rp_rubric_from_key(const char *path, rp_rubric **out, rp_diags *d);

/* A rubric of one part (problem 1, its first part: the key of one line
 * "1,ANSWER,QUESTION") whose answer is the string answer (LaTeX, plain
 * math, a matrix, or prose read as a text point), solved; question
 * (may be NULL) is the part's title.  label names it in diagnostics. */
rp_status rp_rubric_from_answer(const char *label, const char *answer,
                                const char *question, rp_rubric **out,
                                rp_diags *d);

#endif
