/*
 * The grader's own view of a rubric: for every part, what passes, the
 * known wrong variants, how to find the claim (extract spec) and how to
 * compare (equivalence options).  grade_rubric.c builds it from the public
 * rubric API; grade.c only reads it.
 */
#ifndef RP_GRADE_INTERNAL_H
#define RP_GRADE_INTERNAL_H

#include "redpen/expr.h"
#include "redpen/extract.h"
#include "redpen/grade.h"
#include "redpen/segment.h"

/* One named component of a tuple answer. */
typedef struct gcomp {
    const char *name;
    const char *latex;        /* NULL for free text */
    bool upc;                 /* compare up to a constant factor (a growth rate) */
    const char **patterns;    /* free text: PCRE2 patterns that must all match */
    size_t n_patterns;
} gcomp;

/* An answer in the form the grader compares. */
typedef struct gans {
    rp_expect kind;
    const char *latex;   /* scalar, matrix, vector, piecewise */
    bool upc;            /* scalar: compare up to a constant factor */
    gcomp *comps;        /* tuple: components, by name */
    size_t n_comp;
    const char **cells;  /* table: rows * cols cell LaTeX (NULL: given, not graded) */
    size_t rows, cols;
    const char *sample_var; /* piecewise: the truth's values at sample_var = */
    long sample_from;       /*   sample_from + i, i < n_samples */
    const double *samples;
    size_t n_samples;
} gans;

/* A known wrong answer and what it means; category "accept" marks another
 * correct form (a pass, with detail as its note). */
typedef struct gvariant {
    gans ans;
    const char *category;
    const char *detail;
} gvariant;

typedef struct gpart {
    const char *id;
    const char *title;
    const char **targets; /* symbols or words the part asks for */
    size_t n_targets;
    int problem;
    char letter;
    int sub;
    bool text;            /* free text: ungraded without a judge */
    const char **points;  /* free text: the points a good answer makes */
    size_t n_points;
    const char **patterns; /* free text: PCRE2 patterns of its points (graded without a judge) */
    size_t n_patterns;
    gans truth;           /* what passes: the official key where given */
    bool has_engine;      /* the engine derived something else than the key */
    gans engine;
    gvariant *variants;
    size_t n_variants;
    rp_extract_spec spec; /* how to find the claim */
    rp_equiv_opts eopts;
    rp_grade_memo *memo;  /* rp_grade_opts.memo (not owned) when it keeps claims, or NULL */
    const void *rubric;   /* the rubric, part of the memo's keys */
} gpart;

typedef struct grubric {
    const char *id;
    const char *path;
    gpart *parts;
    size_t n_parts;
    rp_seg_problem *problems;
    size_t n_problems;
    rp_seg_part *segparts;
    rp_seg_catalog cat;
    struct rp_content_index *content; /* the parts' words and weights (content.c),
                                         built with the view, read-only after */
} grubric;

/* The memo (memo.c): the vlen bytes stored for (rubric, part, truth,
 * claim) into val, true when known; store them. */
bool rp_grade_memo_get(rp_grade_memo *m, const void *rubric, const char *part,
                       const char *truth, const char *claim, void *val, size_t vlen);
void rp_grade_memo_put(rp_grade_memo *m, const void *rubric, const char *part,
                       const char *truth, const char *claim, const void *val, size_t vlen);

/* Whether memo m keeps comparisons of claims (false for NULL and for a
 * memo of views only, rp_grade_memo_new_views()). */
bool rp_grade_memo_claims(const rp_grade_memo *m);

/* The grading view of rubric r, built once per memo and shared by the
 * threads (read-only; its parts' memo is m).  NULL with *st RP_OK when the
 * memo keeps no more views: the caller builds its own. */
const grubric *rp_grade_memo_view(rp_grade_memo *m, struct rp_rubric *r, rp_diags *d,
                                  rp_status *st);

/* The cue lists of corrections in user turns (cues.c), as bits. */
enum { RP_CUE_NEGATIVE = 1u, RP_CUE_POSITIVE = 2u, RP_CUE_HINT = 4u, RP_CUE_SOLUTION = 8u };
enum { CUE_NEGATIVE = RP_CUE_NEGATIVE, CUE_POSITIVE = RP_CUE_POSITIVE, CUE_HINT = RP_CUE_HINT,
       CUE_SOLUTION = RP_CUE_SOLUTION, CUE_ALL = 15u };

/* Cues are looked for in the first bytes of a clause and of a turn only. */
#define CLAUSE_CUE_BYTES 2047
#define TURN_CUE_BYTES 4095

/* The cue lists (RP_CUE_* bits) with a cue in text[0..n), in any case, up
 * to a NUL. */
unsigned rp_grade_find_cues(const char *text, size_t n);

/* Whether every cue fits in the automaton's fixed tables (a test guards
 * the limits when the lists grow). */
bool rp_grade_cues_complete(void);

/* A clause of a user turn: bytes [a, b) of its text. */
typedef struct rp_clause {
    size_t a, b;
} rp_clause;

/* Split user text t[0..n) into at most max clauses (corrections.c):
 * sentences, cut again before " but ", ", but" and at ';'; returns how many. */
size_t rp_grade_split_clauses(const char *t, size_t n, rp_clause *out, size_t max);

/* Build the grader's view of a loaded and solved rubric in arena; memo (may
 * be NULL) remembers what is the same for every transcript, and its parts
 * compare through it. */
rp_status rp_grade_view(struct rp_rubric *r, rp_arena *arena, grubric *out,
                        rp_grade_memo *memo, rp_diags *d);

/* ------------------------------------------------ the walk over turns */

typedef struct attempt_vec {
    rp_attempt *v;
    size_t n, cap;
} attempt_vec;

typedef struct corr_vec {
    rp_correction *v;
    size_t n, cap;
} corr_vec;

/* What is known of one part so far in a transcript. */
typedef struct part_state {
    attempt_vec att;
    corr_vec corr;
    const char *key_note;
    const char **comps;   /* tuple: the last claim's components (truth order), or NULL */
    size_t n_comps;
} part_state;

struct rp_judge;

typedef struct rp_content_index rp_content_index;

/* The state of grading one transcript (grade.c walks the turns). */
typedef struct grader {
    const grubric *g;
    rp_segmenter *seg;
    rp_arena *a;        /* the report's arena */
    rp_arena *scratch;  /* per-turn work */
    part_state *ps;
    const rp_transcript *t;
    bool *prev_model_parts; /* parts the previous model turn answered */
    bool *discussed;        /* in a model turn: the parts the model turn before answered */
    struct rp_judge *judge; /* free-text judge, or NULL */
    int problem;
    size_t *asked;          /* the parts the last user turn asks about, in text order */
    size_t n_asked;
    const rp_turn *last_user; /* the last user turn, or NULL */
    bool problem_seen;      /* a problem of the rubric was named or set at some turn */
    /* The math of the last user texts read (corrections.c): one clause or
     * turn is asked for its math by several questions (a hint? the
     * solution? for each part it names).  Keyed by the text's address and
     * length: the texts are the transcript's, unchanged while it is graded;
     * the math lives in scratch. */
    struct {
        const char *text;
        size_t n;
        rp_math *m;
        size_t nm;
    } math_seen[4];
    size_t math_next; /* the entry replaced next */
} grader;

/* Build g->content, the words of every part and their weights, in a: once
 * per grading view (rp_grade_view), so that no transcript rebuilds them. */
rp_status rp_grade_content_build(grubric *g, rp_arena *a);

/* Make room in the arena array *v (capacity *cap, n used) for one more
 * element of elem bytes. */
rp_status rp_grade_grow(rp_arena *a, void **v, size_t *cap, size_t n, size_t elem);

/* Grade one claim of part p into *at (compare.c): its verdict, category,
 * detail, claim and note, strings in a; scratch for the work.  span_text
 * is the text of the part's spans (patterns, listed values).  *key_note is
 * set when the claim equals the engine's derivation but not the key. */
void rp_grade_claim(rp_arena *a, rp_arena *scratch, struct rp_judge *judge, const gpart *p,
                    const rp_claim *cl, const char *span_text, rp_attempt *at,
                    const char **key_note);

/* Does MATH claim cl name a symbol that part p's truth (every component)
 * does not have?  False for other claims and when cl cannot be parsed. */
bool rp_grade_foreign_claim(rp_arena *scratch, const gpart *p, const rp_claim *cl);

/* Does the math expression latex equal part p's scalar truth? */
bool rp_grade_equals_truth(rp_arena *scratch, const gpart *p, const char *latex);

/* Read user turn u for corrections of parts already attempted
 * (corrections.c); *focus receives the one part the turn is about when it
 * names one (for a following unlabelled answer), else (size_t)-1. */
rp_status rp_grade_user_turn(grader *G, const rp_turn *u, size_t *focus);

/* Corrections seen in the model's reaction: a part the model answers again
 * in model turn `turn` (answered[p]) with another claim than before the
 * last user turn was corrected by that turn when the turn named it, or
 * named no part while the part was under discussion (discussed[p]: the
 * model turn before it answered it).  A turn that only approves is none. */
rp_status rp_grade_model_reaction(grader *G, int turn, const bool *answered,
                                  const bool *discussed);

/* A tuple claim cl of part p in span_text that restates only some
 * components (it names them, not the others) takes the others from the
 * part's previous claim (attribute.c); remembers cl's components for the
 * next.  cl may be changed (strings in G->scratch / G->a). */
rp_status rp_grade_merge_revision(grader *G, size_t p, rp_claim *cl, const char *span_text);

/* Attribute what the segmenter left of model turn m (attribute.c): an
 * unlabelled reply split at the sentences that name a part, and the text
 * before the first label given to the part asked about.  *spans and *ns
 * are replaced when anything changes (new spans are not labelled). */
rp_status rp_grade_attribute(grader *G, const rp_turn *m, rp_part_span **spans, size_t *ns);

/* The one part among candidates[] (a flag per part) that text[0..n) names
 * by its rubric words (content.c) with a score of at least min_score (a
 * word only one part of the problem has scores 1, a word two share 1/2),
 * or (size_t)-1. */
size_t rp_grade_part_by_content(grader *G, const char *text, size_t n, const bool *candidates,
                                double min_score);

/* Does text[0..n) use the rubric's words for what goes wrong in part p
 * (the details of its known wrong variants and its points)? */
bool rp_grade_names_mistake(const grader *G, size_t p, const char *text, size_t n);

/* The kind of correction user turn u makes of part p, from what it gives
 * away: the answer (solution), a pointer to the error or an intermediate
 * fact (hint), or nothing specific (nudge). */
rp_correction_kind rp_grade_turn_kind(grader *G, size_t p, const rp_turn *u);

/* Add a correction of part p by user turn `turn` (one per part and turn,
 * the strongest kind kept); text[0..n) is what the user said of it.
 * Nothing when p was not attempted yet. */
rp_status rp_grade_add_correction(grader *G, size_t part, int turn, rp_correction_kind kind,
                                  const char *text, size_t n);

/* Read an answer stated in words where part pi's truth is an array or a
 * tuple with array components (prose.c): components cl lacks are filled
 * from the words of text (model turn `turn`'s spans) when their facts can
 * be read; *unread names, ", "-joined, the components whose facts the words
 * state but which could not be read (NULL: none).  cl may be changed
 * (strings in G->a). */
rp_status rp_grade_prose(grader *G, size_t pi, int turn, const char *text, rp_claim *cl,
                         const char **unread);

#endif
