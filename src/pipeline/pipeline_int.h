/*
 * What the files of the pipeline share: the thread pool of the run loop,
 * grading one conversation, and moving diagnostics between lists.
 */
#ifndef RP_PIPELINE_INT_H
#define RP_PIPELINE_INT_H

#include "redpen/pipeline.h"

#include <stdint.h>

/* Threads a run may start (--jobs). */
#define RP_PIPELINE_MAX_JOBS 256

/* ------------------------------------------------------------- split.c */

/* The records of one file read in chunks (split.c): the top-level
 * elements of a JSON array, or the non-blank lines of JSON Lines. */
typedef struct rp_split {
    int fd;
    char buf[65536];
    size_t pos, len;   /* unread bytes: buf[pos..len) */
    bool eof;
    int err;           /* errno of a failed read, else 0 */
    bool array;        /* a JSON array, else JSON Lines */
    bool seen;         /* an element was read (a ']' now closes nothing) */
    bool done, failed; /* the end was reached; the input is malformed */
    unsigned line;     /* line of buf[pos] */
    unsigned err_line; /* where the failure is */
    uint64_t bytes;    /* bytes consumed (progress) */
    char msg[96];      /* the failure */
} rp_split;

/* Open path and look at its first byte: '[' a JSON array, '{' JSON Lines
 * (a byte order mark and white space skipped).  RP_EIO when it cannot be
 * opened, RP_EUNSUPPORTED for anything else (closed then). */
rp_status rp_split_open(rp_split *s, const char *path);

/* Append the next record (at most max bytes) to b and its first line to
 * *line: true, or false at the end (rp_split_error tells whether the
 * input ended well). */
bool rp_split_next(rp_split *s, rp_buf *b, size_t max, unsigned *line);

/* Whether the input is malformed or could not be read: the line and the
 * reason. */
bool rp_split_error(const rp_split *s, unsigned *line, const char **msg);

void rp_split_close(rp_split *s);

/* ---------------------------------------------------------- progress.c */

/* A progress line on standard error (progress.c). */
typedef struct rp_progress rp_progress;

/* A progress line for a run of total inputs (0: unknown) of bytes bytes
 * (0: unknown), shown when mode is RP_PROGRESS_ON, or RP_PROGRESS_AUTO
 * and standard error is a terminal, once the run has taken about a
 * second; NULL when none is to be shown. */
rp_progress *rp_progress_new(int mode, size_t total, uint64_t bytes);

/* Count inputs and conversations done and bytes read; redraws at most
 * five times a second. */
void rp_progress_add(rp_progress *pr, size_t inputs, size_t convs, uint64_t bytes);

/* Expect bytes more bytes of input (the time left of a run whose
 * number of inputs is not known). */
void rp_progress_expect(rp_progress *pr, uint64_t bytes);

/* Clear the line and free pr (NULL: nothing). */
void rp_progress_end(rp_progress *pr);

/* Grade t with the rubric p's registry chooses for it: *out a new report
 * (caller frees), diagnostics to d. */
rp_status rp_pipeline_grade_one(const rp_pipeline *p, const rp_transcript *t, rp_report **out,
                                rp_diags *d);

/* *own = *p for a run, with a memo of grading views only
 * (rp_grade_memo_new_views()) when p has no memo: a run builds each
 * rubric's grading view once, whatever --no-memo says.  Returns that memo,
 * freed by the run at its end (reports refer to their rubric, never to the
 * view), or NULL when none was made (p's memo serves, or out of memory:
 * each transcript then builds its own view). */
rp_grade_memo *rp_pipeline_own(const rp_pipeline *p, rp_pipeline *own);

/* Copy every diagnostic of from to the end of to (as printed, the same
 * text). */
void rp_diags_copy(rp_diags *to, const rp_diags *from);

/* The gold answer (*gold, the answer it states: gold.c) and question
 * (*question, NULL when absent) of the JSON record text[0..n) at
 * p->gold_field and p->question_field, in arena a.  RP_EINPUT when the
 * text is no JSON object, RP_ENOTFOUND when the record has no gold; each
 * with a diagnostic at label:line. */
rp_status rp_gold_read(const rp_pipeline *p, const char *text, size_t n, const char *label,
                       unsigned line, rp_arena *a, const char **gold, const char **question,
                       rp_diags *d);

/* Grade t against a one-part rubric of gold (its title the question, may
 * be NULL): *out the report, *rubric the rubric it points into (free it
 * after the report). */
rp_status rp_pipeline_grade_gold(const rp_pipeline *p, const rp_transcript *t, const char *gold,
                                 const char *question, rp_report **out,
                                 struct rp_rubric **rubric, rp_diags *d);

/* The next element of the top-level JSON array s[0..n) from *at (the
 * array's '[' or a position after an element): its start in *start and its
 * length returned, *at moved past it; 0 at the end.  Only the nesting and
 * strings are followed: each element is validated when it is read. */
size_t rp_gold_next_element(const char *s, size_t n, size_t *at, size_t *start);

/* Keep r (a record's own rubric) until rg is freed: reports point into it. */
rp_status rp_registry_adopt(rp_registry *rg, struct rp_rubric *r);

/* Refill buf (cap bytes) from fd when it is used up: *pos and *len then
 * frame the bytes read.  False at the end of the input or after an error
 * (*err set to its errno); *eof stays set from then on.  Retries reads
 * interrupted by a signal.  The readers of streams and of split files
 * share it. */
bool rp_fd_refill(int fd, char *buf, size_t cap, size_t *pos, size_t *len, bool *eof, int *err);

#endif
