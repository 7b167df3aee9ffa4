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

#endif
