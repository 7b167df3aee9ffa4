/*
 * redpen grade: the per-part outcome of grading one transcript against a
 * rubric.  This is the in-memory form of the JSON report (DESIGN.md,
 * "JSON report of grade", schema 1); src/report renders it.
 *
 * All strings live in the report's arena (rp_report_free()).
 */
#ifndef REDPEN_GRADE_H
#define REDPEN_GRADE_H

#include "redpen/core.h"
#include "redpen/ingest.h"

typedef enum rp_verdict {
    RP_VERDICT_PASS,
    RP_VERDICT_FAIL,
    RP_VERDICT_MISSING,  /* never answered */
    RP_VERDICT_UNGRADED  /* free text without a judge */
} rp_verdict;

/* "pass", "fail", "missing", "ungraded". */
const char *rp_verdict_name(rp_verdict v);

/* One answer the model gave to a part, in one model turn. */
typedef struct rp_attempt {
    int turn;               /* turn index (1-based); 0 when verdict is missing */
    rp_verdict verdict;
    const char *category;   /* error category id, NULL when passing */
    const char *detail;     /* why, for people; NULL when none */
    const char *claim;      /* the claimed answer as found (LaTeX or text), or NULL */
    const char *note;       /* remark on a pass (e.g. a symbol unified), or NULL */
} rp_attempt;

typedef enum rp_correction_kind {
    RP_CORR_NUDGE,    /* says it is wrong */
    RP_CORR_HINT,     /* names the cause */
    RP_CORR_SOLUTION  /* states the key's answer or pastes the solution */
} rp_correction_kind;

/* "nudge", "hint", "solution". */
const char *rp_correction_kind_name(rp_correction_kind k);

/* A user turn that told or hinted the model that a part was wrong. */
typedef struct rp_correction {
    int turn;
    rp_correction_kind kind;
    const char *text; /* the sentence(s) of the user turn about this part */
} rp_correction;

/* Everything about one rubric part in one transcript. */
typedef struct rp_part_result {
    const char *part;   /* "1a", "3d.i" */
    const char *title;
    rp_attempt *attempts; /* in turn order */
    size_t n_attempts;
    rp_attempt first;   /* copy of attempts[0], or verdict missing */
    rp_attempt final;   /* copy of the last attempt, or verdict missing */
    rp_correction *corrections;
    size_t n_corrections;
    bool revealed;       /* a solution correction came before the first pass */
    const char *key_note; /* claim equals the engine's derivation, not the key */
    const char *truth;    /* the expected answer (LaTeX: the solved truth, else
                             the key), or NULL when it is not a formula or not
                             known; set by rp_report_set_truth() or read from
                             a saved report, never by grading */
} rp_part_result;

typedef struct rp_report_summary {
    size_t parts, answered, first_pass, final_pass, corrections, revealed,
        ungraded;
} rp_report_summary;

/* The graded transcript. */
typedef struct rp_report {
    const rp_transcript *transcript; /* not owned */
    const char *model;        /* transcript's model, file name stem, or --model */
    const char *rubric_id;
    const char *rubric_path;
    rp_part_result *parts;
    size_t n_parts;
    rp_report_summary summary;
    /* What the grader could not tell and says rather than guess ("no part
     * of rubric hw4 was answered in FILE: is this the right rubric?");
     * each is also added to the diagnostics of rp_grade_transcript(). */
    const char **warnings;
    size_t n_warnings;
    rp_arena *arena; /* owns the parts and their strings */
    const char *model_from; /* where model came from, for people ("the file
                               name", "--model", "the map m.tsv", …), set by
                               rp_report_name(); NULL: not said */
} rp_report;

void rp_report_free(rp_report *r);

/* A readable model name guessed from the file name of path: known model
 * words in the stem ("claude-hw4.txt" -> "Claude", "qwen3-max-hw4.txt" ->
 * "Qwen3-Max"), else the stem itself.  A string in arena a, or NULL when
 * out of memory or path is empty. */
const char *rp_grade_model_guess(const char *path, rp_arena *a);

/* ------------------------------------------------------------ grading */

struct rp_rubric; /* include/redpen/rubric.h */

/* A memo of comparisons (claim against a part's truth) kept across the
 * transcripts of a run: answers repeat between samples of the same homework
 * and a comparison always gives the same result.  Thread-safe: one memo may
 * serve every grading thread.  Keys include the rubric's address, so every
 * rubric graded with a memo must outlive it.  The memo also keeps each
 * rubric's grading view (built once, not per transcript), and reports
 * graded with a memo may refer to it: free the memo after them. */
typedef struct rp_grade_memo rp_grade_memo;

/* A new memo holding at most max_bytes (0: 4 MB; when full it starts
 * again), or NULL when out of memory.  Free with rp_grade_memo_free(). */
rp_grade_memo *rp_grade_memo_new(size_t max_bytes);
/* A memo that keeps only what is the same for every transcript of a
 * rubric (its grading view, where its key and the engine disagree) and
 * lets every claim be compared anew: what a pipeline run without a memo
 * (`grade --no-memo`) uses, so that no transcript rebuilds rubric-level
 * facts.  Same contract as rp_grade_memo_new(). */
rp_grade_memo *rp_grade_memo_new_views(void);
void rp_grade_memo_free(rp_grade_memo *m);
/* Lookups answered from the memo and lookups that had to compare. */
void rp_grade_memo_stats(rp_grade_memo *m, size_t *hits, size_t *misses);

/* Options for grading.  Zero-initialised: defaults. */
typedef struct rp_grade_opts {
    const char *model;     /* override the model name (--model) */
    const char *judge_url; /* free-text judge endpoint, or NULL */
    const char *judge_model;
    const char *cache_dir;
    bool no_cache;
    long judge_budget_ms;  /* the judge's time budget for the run; 0: its default */
    struct rp_judge_run *judge_run; /* what the run's judges share (budget,
                                       down), or NULL: each transcript alone */
    rp_grade_memo *memo;   /* comparisons remembered across calls, or NULL */
} rp_grade_opts;

/* Grade one transcript against a solved rubric.  *out is a new report that
 * refers to t (t must outlive it); free with rp_report_free(). */
rp_status rp_grade_transcript(const rp_transcript *t, struct rp_rubric *rubric,
                              const rp_grade_opts *opts, rp_report **out,
                              rp_diags *d);

/* A sink for grade's debug traces: one call per line (without its newline)
 * saying which truth and claim were compared, the verdict and the variables
 * drawn.  user is passed back as given. */
typedef void (*rp_grade_trace_fn)(void *user, const char *line);

/* Set the trace sink for every later comparison (NULL, the default: no
 * traces, no cost).  Process-wide: set it before grading starts.  The CLI
 * sets one that writes to stderr when REDPEN_DEBUG_GRADE is in the
 * environment; the library reads no environment. */
void rp_grade_set_trace(rp_grade_trace_fn fn, void *user);

#endif
