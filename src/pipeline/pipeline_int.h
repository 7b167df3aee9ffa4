/*
 * What the files of the pipeline share: the thread pool of the run loop,
 * grading one conversation, and moving diagnostics between lists.
 */
#ifndef RP_PIPELINE_INT_H
#define RP_PIPELINE_INT_H

#include "redpen/pipeline.h"

/* Threads a run may start (--jobs). */
#define RP_PIPELINE_MAX_JOBS 256

/* A task of rp_parallel_for: item i on thread worker (0 is the caller). */
typedef void (*rp_task_fn)(void *ctx, size_t i, size_t worker);

/* fn(ctx, i, worker) for every i < n, taken in index order, each exactly
 * once, on up to jobs threads (the caller's included); worker (< jobs)
 * tells the threads apart. */
void rp_parallel_for(size_t n, unsigned jobs, rp_task_fn fn, void *ctx);

/* Grade t with the rubric p's registry chooses for it: *out a new report
 * (caller frees), diagnostics to d. */
rp_status rp_pipeline_grade_one(const rp_pipeline *p, const rp_transcript *t, rp_report **out,
                                rp_diags *d);

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

#endif
