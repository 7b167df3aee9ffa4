/*
 * The run loop over whole inputs (files, URLs, standard input, text
 * already read): every input is read, in parallel, then every conversation
 * is graded, in parallel, then the reports are handed on in input order
 * exactly as a sequential run would hand them on.  Also the thread pool
 * both phases run on.
 */
#include "pipeline_int.h"

#include <ctype.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- pool */

typedef struct pool {
    rp_task_fn fn;
    void *ctx;
    size_t n;
    atomic_size_t next;
} pool;

typedef struct pool_arg {
    pool *p;
    size_t worker; /* 0 is the caller */
} pool_arg;

static void *pool_worker(void *arg)
{
    pool_arg *a = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&a->p->next, 1);
        if (i >= a->p->n)
            break;
        a->p->fn(a->p->ctx, i, a->worker);
    }
    return NULL;
}

void rp_parallel_for(size_t n, unsigned jobs, rp_task_fn fn, void *ctx)
{
    pool p = {fn, ctx, n, 0};
    size_t extra = jobs > 1 ? jobs - 1 : 0;
    if (extra > RP_PIPELINE_MAX_JOBS - 1)
        extra = RP_PIPELINE_MAX_JOBS - 1;
    if (extra > n)
        extra = n ? n - 1 : 0;
    pthread_t th[RP_PIPELINE_MAX_JOBS];
    pool_arg args[RP_PIPELINE_MAX_JOBS];
    size_t started = 0;
    for (; started < extra; started++) {
        args[started + 1] = (pool_arg){&p, started + 1};
        if (pthread_create(&th[started], NULL, pool_worker, &args[started + 1]) != 0)
            break; /* fewer threads: the caller does the rest */
    }
    args[0] = (pool_arg){&p, 0};
    pool_worker(&args[0]);
    for (size_t i = 0; i < started; i++)
        pthread_join(th[i], NULL);
}

/* ------------------------------------------------------------- helpers */

rp_status rp_pipeline_grade_one(const rp_pipeline *p, const rp_transcript *t, rp_report **out,
                                rp_diags *d)
{
    *out = NULL;
    struct rp_rubric *r = NULL;
    rp_status st = rp_registry_for(p->rubrics, t, &r, d);
    if (st == RP_OK)
        st = rp_grade_transcript(t, r, &p->grade, out, d);
    if (st == RP_OK && (st = rp_report_set_truth(*out, r)) != RP_OK) { /* expected answers */
        rp_report_free(*out);
        *out = NULL;
    }
    return st;
}

void rp_diags_copy(rp_diags *to, const rp_diags *from)
{
    for (const rp_diag *g = from->head; g; g = g->next) {
        if (g->path && !g->line)
            rp_diag_add_path(to, g->file, g->path, "%s", g->msg);
        else if (g->path)
            rp_diag_add(to, g->file, g->line, g->col, "%s: %s", g->path, g->msg);
        else
            rp_diag_add(to, g->file, g->line, g->col, "%s", g->msg);
    }
}

rp_status rp_pipeline_sink_set(void *ctx, size_t input, rp_transcript *t, rp_report *r)
{
    (void)input;
    rp_report_set *set = ctx;
    rp_status st = rp_report_set_push(set, r);
    rp_status tst = rp_transcript_set_push(&set->transcripts, t);
    return st != RP_OK ? st : tst;
}

/* ------------------------------------------------------------ the loop */

/* One input: read in phase 1. */
typedef struct input_item {
    rp_transcript_set ts;
    rp_status st;
    rp_diags d;
    const char **golds;     /* with a gold field: ts.items[j]'s gold (its arena) */
    const char **questions; /*   and question, or NULL */
    rp_status skipped;      /* records without a gold skipped (--keep-going) */
} input_item;

/* One conversation: graded in phase 2. */
typedef struct conv_item {
    rp_transcript *t;
    const char *gold, *question; /* the record's own, or NULL */
    size_t input;
    rp_report *rep;
    rp_status st;
    rp_diags d;
} conv_item;

typedef struct run {
    const rp_pipeline *p;
    const rp_input *in;
    input_item *inputs;
    conv_item *convs;
    size_t n, nconv;
} run;

/* Append the transcripts of one record (text[0..n), line `line` of the
 * input) with its gold and question to it. */
static rp_status read_record(const rp_pipeline *p, const char *label, const char *text,
                             size_t n, unsigned line, input_item *it, size_t *cap)
{
    rp_arena *a = rp_arena_new(0);
    if (!a)
        return RP_ENOMEM;
    const char *gold, *question;
    rp_status st = rp_gold_read(p, text, n, label, line, a, &gold, &question, &it->d);
    char *name = rp_arena_printf(a, "%s:%u", label, line);
    rp_transcript_set one = {NULL, 0};
    if (st == RP_OK)
        st = name ? rp_ingest_buffer(name, text, n, &p->ingest, &one, &it->d) : RP_ENOMEM;
    for (size_t k = 0; k < one.n && st == RP_OK; k++) {
        rp_transcript *t = one.items[k];
        if (it->ts.n == *cap) {
            size_t c = *cap ? *cap * 2 : 16;
            rp_transcript **v = realloc(it->ts.items, c * sizeof *v);
            const char **g = realloc(it->golds, c * sizeof *g);
            if (g)
                it->golds = g;
            const char **q = g ? realloc(it->questions, c * sizeof *q) : NULL;
            if (q)
                it->questions = q;
            if (v)
                it->ts.items = v;
            if (!v || !g || !q) {
                st = RP_ENOMEM;
                break;
            }
            *cap = c;
        }
        const char *tg = rp_arena_strdup(t->arena, gold);
        const char *tq = question ? rp_arena_strdup(t->arena, question) : NULL;
        if (!tg || (question && !tq)) {
            st = RP_ENOMEM;
            break;
        }
        if (tq && !t->title)
            t->title = tq; /* the question shows where a title would */
        it->golds[it->ts.n] = tg;
        it->questions[it->ts.n] = tq;
        it->ts.items[it->ts.n++] = t;
        one.items[k] = NULL;
    }
    rp_transcript_set_free(&one);
    rp_arena_free(a);
    return st;
}

/* A record read with status st: a record without a gold is skipped with
 * --keep-going (remembered in it->skipped); anything else is the input's. */
static void record_status(const rp_pipeline *p, input_item *it, rp_status st)
{
    if (st == RP_ENOTFOUND && p->keep_going)
        it->skipped = st;
    else
        it->st = st;
}

/* An input whose JSON records carry their gold answers: one record a line
 * (JSON Lines) or the elements of a JSON array, each ingested on its own so that its gold stays with its
 * conversation.  A record without a gold fails the input, or with
 * --keep-going is skipped (it->skipped). */
static void read_gold_input(const rp_pipeline *p, const rp_input *in, input_item *it)
{
    rp_buf b;
    rp_buf_init(&b, 0);
    const char *data = in->data;
    size_t len = in->len;
    if (!data) {
        size_t max = p->ingest.max_bytes ? p->ingest.max_bytes : RP_MAX_INPUT_DEFAULT;
        size_t line_max = p->ingest.max_line ? p->ingest.max_line : RP_MAX_LINE_DEFAULT;
        it->st = rp_file_read(in->label, max, line_max, &b, &it->d);
        data = b.data ? b.data : "";
        len = b.len;
    }
    size_t cap = 0;
    unsigned line = 0;
    size_t lead = 0;
    while (lead < len && isspace((unsigned char)data[lead]))
        lead++;
    if (lead < len && data[lead] == '[') {
        /* a JSON array of records: each element named by its line */
        size_t at = lead, start, n;
        while (it->st == RP_OK && (n = rp_gold_next_element(data, len, &at, &start)) > 0) {
            unsigned col;
            rp_line_col(data, len, start, &line, &col);
            record_status(p, it, read_record(p, in->label, data + start, n, line, it, &cap));
        }
        rp_buf_free(&b);
        return;
    }
    for (size_t i = 0; i < len && it->st == RP_OK;) {
        const char *e = memchr(data + i, '\n', len - i);
        size_t n = e ? (size_t)(e - (data + i)) : len - i;
        const char *s = data + i;
        i += n + 1;
        line++;
        size_t k = 0;
        while (k < n && isspace((unsigned char)s[k]))
            k++;
        if (k == n)
            continue;
        record_status(p, it, read_record(p, in->label, s, n, line, it, &cap));
    }
    rp_buf_free(&b);
}

static void read_task(void *ctx, size_t i, size_t worker)
{
    (void)worker;
    run *R = ctx;
    const rp_input *in = &R->in[i];
    input_item *it = &R->inputs[i];
    if (R->p->gold_field)
        read_gold_input(R->p, in, it);
    else if (in->data)
        it->st = rp_ingest_buffer(in->label, in->data, in->len, &R->p->ingest, &it->ts, &it->d);
    else
        it->st = rp_ingest_path(in->label, &R->p->ingest, &it->ts, &it->d);
}

static void grade_task(void *ctx, size_t i, size_t worker)
{
    (void)worker;
    run *R = ctx;
    conv_item *c = &R->convs[i];
    if (c->gold) {
        struct rp_rubric *r = NULL;
        c->st = rp_pipeline_grade_gold(R->p, c->t, c->gold, c->question, &c->rep, &r, &c->d);
        if (r) {
            rp_status st = rp_registry_adopt(R->p->rubrics, r);
            if (st != RP_OK && c->st == RP_OK) {
                rp_report_free(c->rep); /* it points into the rubric freed */
                c->rep = NULL;
                c->st = st;
            }
        }
        return;
    }
    c->st = rp_pipeline_grade_one(R->p, c->t, &c->rep, &c->d);
}

/* Phases 1 and 2: read every input, then grade every conversation. */
static rp_status read_and_grade(run *R)
{
    for (size_t f = 0; f < R->n; f++)
        if (rp_diags_init(&R->inputs[f].d) != RP_OK)
            return RP_ENOMEM;
    rp_parallel_for(R->n, R->p->jobs, read_task, R);
    for (size_t f = 0; f < R->n; f++)
        R->nconv += R->inputs[f].ts.n;
    R->convs = calloc(R->nconv + 1, sizeof *R->convs);
    if (!R->convs)
        return RP_ENOMEM;
    size_t k = 0;
    for (size_t f = 0; f < R->n; f++)
        for (size_t j = 0; j < R->inputs[f].ts.n; j++, k++) {
            R->convs[k].t = R->inputs[f].ts.items[j];
            R->convs[k].input = f;
            if (R->inputs[f].golds) {
                R->convs[k].gold = R->inputs[f].golds[j];
                R->convs[k].question = R->inputs[f].questions[j];
            }
            if (rp_diags_init(&R->convs[k].d) != RP_OK)
                return RP_ENOMEM;
        }
    rp_parallel_for(R->nconv, R->p->jobs, grade_task, R);
    return RP_OK;
}

/* Phase 3: hand the reports of every input on in input order; returns the
 * number of inputs reached (whose diagnostics count) in *reached. */
static rp_status merge(run *R, rp_report_sink sink, void *ctx, size_t *reached)
{
    rp_status last = RP_OK;
    size_t k = 0;
    for (size_t f = 0; f < R->n; f++) {
        input_item *it = &R->inputs[f];
        *reached = f + 1;
        if (it->st != RP_OK) {
            last = it->st;
            if (!R->p->keep_going)
                break;
            continue;
        }
        bool failed = false;
        for (size_t j = 0; j < it->ts.n; j++, k++) {
            conv_item *c = &R->convs[k];
            if (c->st != RP_OK) {
                last = c->st;
                failed = true;
                continue;
            }
            rp_status st = sink(ctx, f, c->t, c->rep);
            c->rep = NULL;
            it->ts.items[j] = NULL; /* the sink has it */
            if (st != RP_OK)
                return st;
        }
        if (failed && !R->p->keep_going)
            break;
        if (it->skipped != RP_OK)
            last = it->skipped;
    }
    return last;
}

/* Diagnostics of the inputs reached, in input order, then free it all. */
static void finish(run *R, size_t reached, rp_diags *d)
{
    size_t k = 0;
    for (size_t f = 0; f < R->n; f++) {
        input_item *it = &R->inputs[f];
        if (f < reached)
            rp_diags_copy(d, &it->d);
        while (R->convs && k < R->nconv && R->convs[k].input == f) {
            if (f < reached)
                rp_diags_copy(d, &R->convs[k].d);
            rp_report_free(R->convs[k].rep);
            rp_diags_free(&R->convs[k].d);
            k++;
        }
        for (size_t j = 0; j < it->ts.n; j++)
            rp_transcript_free(it->ts.items[j]);
        free(it->ts.items);
        free(it->golds);
        free(it->questions);
        rp_diags_free(&it->d);
    }
    free(R->convs);
    free(R->inputs);
}

rp_status rp_pipeline_grade(const rp_pipeline *p, const rp_input *in, size_t n,
                            rp_report_sink sink, void *ctx, rp_diags *d)
{
    run R = {p, in, calloc(n + 1, sizeof *R.inputs), NULL, n, 0};
    if (!R.inputs)
        return RP_ENOMEM;
    size_t reached = 0;
    rp_status st = read_and_grade(&R);
    if (st == RP_OK)
        st = merge(&R, sink, ctx, &reached);
    finish(&R, reached, d);
    return st;
}
