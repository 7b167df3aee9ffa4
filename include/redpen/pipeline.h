/*
 * redpen pipeline: the one driver behind `grade`, `compare`, `extract` and
 * `annotate`.  It owns
 *  - the rubric registry: one search order for the rubric directory, one
 *    cache of loaded and solved rubrics, one choice of "the rubric whose
 *    problems match the transcript", so that every command grades a
 *    transcript against the same rubric;
 *  - the run loop over inputs (files, URLs, standard input, buffers already
 *    read), any number of them in constant memory: inputs read and their
 *    conversations graded in parallel, each report handed back in input
 *    order as soon as it and those before it are graded, every input tried;
 *  - the JSONL stream of `grade - --format jsonl`: batches of lines on a
 *    thread pool, reports written in input order as soon as they can be;
 *  - the reduce step of `compare`: every input (saved reports or
 *    transcripts, graded here) folded into one comparison.
 * The report module renders; it never grades.
 */
#ifndef REDPEN_PIPELINE_H
#define REDPEN_PIPELINE_H

#include "redpen/core.h"
#include "redpen/grade.h"
#include "redpen/ingest.h"
#include "redpen/report.h"

#include <stdio.h>

/* ------------------------------------------------------ rubric registry */

/* Where rubrics come from for one run; thread-safe.  Free with
 * rp_registry_free() after every report graded with its rubrics. */
typedef struct rp_registry rp_registry;

typedef struct rp_registry_opts {
    const char *rubric_path; /* --rubric: every transcript is graded with it */
    const char *rubric_dir;  /* --rubric-dir; NULL: see rp_rubrics_dir() */
    unsigned jobs;           /* threads lent to a rubric's solve (0, 1: none) */
    const char *key_path;    /* --key: the rubric built from this answer key
                                (rp_rubric_from_key) grades every transcript */
    const char *answer;      /* --answer: a one-part rubric of this answer */
} rp_registry_opts;

/* The directory rubrics are chosen from, in this order: given (--rubric-dir)
 * when not NULL, $REDPEN_RUBRICS when set and not empty, ./rubrics when it
 * is a directory, the installed DATADIR/redpen/rubrics (or the same
 * relative to the executable: a relocated install; rp_data_dir), rubrics/
 * in the executable's directory or in one of its 3 parents (build/redpen
 * finds the source tree's rubrics/), else "rubrics".  The result is given, a static string or buf (cap bytes). */
const char *rp_rubrics_dir(const char *given, char *buf, size_t cap);

/* A new registry.  With o->rubric_path the rubric is loaded and solved now
 * (diagnostics and a status on failure, *out NULL then); otherwise the
 * directory is scanned at the first rp_registry_for(). */
rp_status rp_registry_new(const rp_registry_opts *o, rp_registry **out, rp_diags *d);
void rp_registry_free(rp_registry *rg);

/* Distinct problem cues a transcript must contain for a rubric to be
 * chosen without --rubric. */
#define RP_RUBRIC_MIN_CUES 2

/* The solved rubric to grade t with, in *out (owned by rg): --rubric's, or
 * the rubric of the directory whose problem cues appear most often in t's
 * text: at least RP_RUBRIC_MIN_CUES distinct cues and more than any other
 * rubric (every rubric file is loaded once per registry and solved once,
 * when first chosen).  The first time a rubric is chosen among several, a
 * diagnostic "note: rubric ID (PATH): N cues; runner-up ..." says why.
 * RP_ENOTFOUND with a diagnostic naming t, the best candidates and their
 * scores when there is no directory, or no rubric matches clearly.  When
 * the directory is the working directory's ./rubrics (found by the
 * search, not given), the built-in rubrics are candidates too; one of
 * ./rubrics replaces a built-in rubric of the same id. */
rp_status rp_registry_for(rp_registry *rg, const rp_transcript *t, struct rp_rubric **out,
                          rp_diags *d);

/* From now on the first rubric rp_registry_for() chooses is reused for
 * every transcript (a stream of conversations is one homework). */
void rp_registry_stick(rp_registry *rg);

/* Whether rp_registry_for() answers without looking at the transcript
 * (--rubric given, or stuck on a rubric already chosen). */
bool rp_registry_settled(rp_registry *rg);

/* grade --strict-units: from now on every part of every rubric rg gives
 * demands its unit (rp_rubric_require_units); call it before grading
 * starts. */
void rp_registry_require_units(rp_registry *rg);
/* Whether rp_registry_require_units() was called: a rubric made elsewhere
 * for the same run (a record's gold) then demands units too. */
bool rp_registry_strict_units(const rp_registry *rg);

/* The directory the registry chooses from (see rp_rubrics_dir()). */
const char *rp_registry_dir(const rp_registry *rg);

/* How many of r's problem cues (case-insensitive) occur as words (not inside
 * a longer word: "fir" is not in "first") in lower, a text
 * in lower case: the score rp_registry_for() ranks rubrics by. */
size_t rp_rubric_cue_score(const struct rp_rubric *r, const char *lower);

/* ------------------------------------------------------------ run loop */

/* What every run shares (read-only while it runs; the registry locks
 * itself). */
typedef struct rp_pipeline {
    rp_registry *rubrics; /* not owned */
    rp_ingest_opts ingest;
    rp_grade_opts grade;
    unsigned jobs;        /* threads, the caller's included (0, 1: one) */
    bool keep_going;      /* a failing input is reported and skipped */
    const char *gold_field;     /* not NULL: every JSON record carries its gold
                                   answer at this dotted path (gold.c) */
    const char *question_field; /* with gold_field: the record's question */
    int progress;         /* RP_PROGRESS_*: a progress line on stderr */
} rp_pipeline;

/* rp_pipeline.progress: none (the default), on a terminal once a run takes
 * about a second, or always (--progress). */
enum { RP_PROGRESS_OFF = 0, RP_PROGRESS_AUTO, RP_PROGRESS_ON };

/* One input: a path ("-" standard input, an http(s) URL) or, when data is
 * not NULL, text already read (label names it in diagnostics). */
typedef struct rp_input {
    const char *label;
    const char *data;
    size_t len;
} rp_input;

/* Called in input order for every conversation graded; takes t and r
 * (keep them or free them).  A status other than RP_OK stops the run. */
typedef rp_status (*rp_report_sink)(void *ctx, size_t input, rp_transcript *t, rp_report *r);

/* The next input of a run in *in (valid until the next call): false at
 * the end. */
typedef bool (*rp_input_next_fn)(void *ctx, rp_input *in);

/* A run over inputs given one at a time (any number, in constant memory). */
typedef struct rp_run {
    rp_input_next_fn next;
    void *next_ctx;
    size_t total;        /* inputs when known (the progress line), else 0 */
    rp_report_sink sink; /* called in input order */
    void *sink_ctx;
    bool sink_frees;     /* the sink frees each report before it returns, so
                            a record's own rubric (gold_field) goes with it;
                            else those rubrics live as long as the registry */
    FILE *diag_to;       /* not NULL: each input's diagnostics are printed
                            here when its reports are handed on, and none is
                            kept in d */
} rp_run;

/* Grade every input r->next gives: inputs are read and their
 * conversations graded on p->jobs threads, at most 4 x jobs batches in
 * flight, and the reports handed to r->sink in input order as soon as an
 * input and all before it are graded; nothing of an input is kept after.
 * Every input is tried: one that cannot be read or parsed is reported and
 * the run goes on with the next.  Inside an input of several
 * conversations (or records), the first that fails stops that input
 * without p->keep_going (those before it are handed on), and is skipped
 * with it.  A JSON array or JSON Lines file of RP_SPLIT_MIN bytes or more
 * (any size with gold_field) is read one element or line at a time, when
 * its first two elements read as two conversations.  Returns RP_OK, the
 * status of the last failure, or the sink's first failure (which stops the
 * run).  Diagnostics go to r->diag_to as they come, else to d (may be NULL:
 * dropped). */
rp_status rp_pipeline_run(const rp_pipeline *p, const rp_run *r, rp_diags *d);

/* Files from this size on are read a record at a time (see above). */
#define RP_SPLIT_MIN ((size_t)1 << 20)

/* rp_pipeline_run() over the n inputs in (diagnostics to d). */
rp_status rp_pipeline_grade(const rp_pipeline *p, const rp_input *in, size_t n,
                            rp_report_sink sink, void *ctx, rp_diags *d);

/* A sink that pushes every report into the rp_report_set ctx and every
 * transcript into its transcripts (the set owns both afterwards). */
rp_status rp_pipeline_sink_set(void *ctx, size_t input, rp_transcript *t, rp_report *r);

/* -------------------------------------------------------------- stream */

/* Grade standard input (fd) as a JSON Lines stream when its first line
 * that is not blank reads as one JSON object (no longer than the line
 * limit): one compact report line per conversation, written to out_path
 * ("-" or NULL: standard output; a file is written beside and renamed, so
 * it is never half written) in input order as soon as the conversation and
 * every line before it are graded.  Lines go to p->jobs threads in batches
 * of up to 64 lines or 256 KB (fewer when the input has no more ready);
 * output is flushed before waiting for input.  Without --rubric the rubric
 * of the first conversation grades the whole stream.  A bad line is
 * reported on stderr with its line number; without p->keep_going the stream
 * stops there (the lines before are written), with it the line is skipped.
 * When the input is not a stream, *streamed is false and pre (initialised
 * here) holds the whole input for rp_pipeline_grade() (caller frees).
 * Returns RP_OK or the first failure. */
rp_status rp_pipeline_stream(const rp_pipeline *p, int fd, const char *out_path, bool *streamed,
                             rp_buf *pre);

/* -------------------------------------------------------------- reduce */

/* Options of rp_pipeline_compare(). */
typedef struct rp_reduce_opts {
    const char *model;   /* --model: every report's model name */
    const bool *saved;   /* saved[i]: input i is saved reports whatever it
                            looks like (--from-jsonl); may be NULL */
    const rp_naming *naming; /* --group-by, --models (NULL: by model, with
                                model above) */
} rp_reduce_opts;

/* Fold the n inputs into c, in order: saved reports (told apart by
 * content, JSON Lines read as a stream) as they are, anything else read as
 * transcripts and graded (p's rubrics; their model name: o->model, the
 * transcript's, or a guess from the file name).  Without p->keep_going the
 * first input that fails stops the fold; with it, failing inputs (and bad
 * lines of JSON Lines) are named and skipped.  Diagnostics go to d.
 * Returns RP_OK or the first failure (the caller renders with keep_going
 * when something was folded). */
rp_status rp_pipeline_compare(const rp_pipeline *p, const char *const *files, size_t n,
                              const rp_reduce_opts *o, rp_compare *c, rp_diags *d);

/* Read one input (a file, "-" or a URL) and grade its conversations into
 * set (reports and transcripts), each report's model named as compare
 * names it (model, the transcript's, a guess from the file name).  A file
 * of saved reports (detected by content) is loaded into set instead, with
 * *saved set: the caller decides whether reports without transcripts do. */
rp_status rp_pipeline_grade_file(const rp_pipeline *p, const char *path, const char *model,
                                 bool *saved, rp_report_set *set, rp_diags *d);

#endif
