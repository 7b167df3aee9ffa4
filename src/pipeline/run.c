/*
 * The run loop over whole inputs (files, URLs, standard input, text
 * already read), in constant memory whatever their number.  The caller's
 * thread takes the inputs one at a time and fills batches ("slots"): one
 * whole input, or up to 16 records (256 KB) of a large JSON array or JSON
 * Lines file read a record at a time (split.c).  Worker threads read,
 * ingest and grade the batches; the caller's thread hands the reports of
 * each finished batch to the sink in input order, then frees it.  At most
 * 4 x jobs batches are in flight, so reading, grading and writing overlap
 * and nothing of an input is kept after its reports are handed on.
 */
#include "pipeline_int.h"

#include "redpen/rubric.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SLOT_RECORDS 16
#define SLOT_BYTES ((size_t)256 << 10)

enum { SLOT_FREE, SLOT_READY, SLOT_DONE };
enum { UNIT_PATH, UNIT_DATA, UNIT_RECORDS };

/* One record of a batch: its text is text[off .. off + len), NUL-ended. */
typedef struct record {
    size_t off, len;
    unsigned line;  /* its first line in the input */
    size_t index;   /* its index in the input (a JSON array's "$[i]") */
} record;

/* A conversation graded, waiting for the sink. */
typedef struct graded {
    rp_transcript *t;
    rp_report *rep;
    struct rp_rubric *own; /* a record's own rubric (gold_field), or NULL */
} graded;

/* A batch in flight. */
typedef struct slot {
    int state;
    int kind;                /* UNIT_* */
    size_t input;            /* index of its input */
    char *label;             /* the input's name (owned) */
    const char *data;        /* UNIT_DATA: the caller's text */
    size_t len;
    rp_buf text;             /* UNIT_RECORDS: the records' texts */
    record recs[SLOT_RECORDS];
    size_t n;
    bool wrap;               /* array elements, each read as "[element]" */
    char format[32];         /* the format of the array's first elements */
    graded *out;             /* conversations graded, in order */
    size_t nout, capout;
    rp_diags d;
    rp_status st;            /* the first failure, RP_OK when none */
    bool stop;               /* the input stops at this batch */
    bool last;               /* the last batch of its input */
    char tail[160];          /* a failure after the records (split.c) */
    unsigned tail_line;
    uint64_t bytes;          /* bytes of input it covers (progress) */
} slot;

typedef struct run {
    const rp_pipeline *P;
    const rp_run *R;
    rp_diags *d;
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    slot *slots;
    size_t W;
    size_t next_read, next_grab, next_write; /* sequence numbers */
    bool quit;
    /* the input being split (caller's thread only) */
    bool splitting;
    rp_split sp;
    char *sp_label;
    size_t sp_input, sp_index;
    uint64_t sp_bytes;      /* bytes of it already counted */
    bool sp_wrap;
    char sp_format[32];
    size_t inputs;          /* inputs taken */
    size_t stopped;         /* 1 + the input that stopped, else 0 */
    rp_status last;         /* the last failure */
    rp_status halt;         /* the sink's failure: the run stops */
    rp_progress *progress;
} run;

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

rp_grade_memo *rp_pipeline_own(const rp_pipeline *p, rp_pipeline *own)
{
    *own = *p;
    if (own->grade.memo)
        return NULL;
    own->grade.memo = rp_grade_memo_new_views();
    return own->grade.memo;
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

static bool is_url(const char *p)
{
    return strncmp(p, "http://", 7) == 0 || strncmp(p, "https://", 8) == 0;
}

static size_t max_record(const rp_pipeline *p)
{
    return p->ingest.max_bytes ? p->ingest.max_bytes : RP_MAX_INPUT_DEFAULT;
}

/* ------------------------------------------------------------- grading */

/* Grade t (the slot's from now on) against its gold, or the registry's
 * rubric when gold is NULL, and keep the result in s->out. */
static rp_status grade_conv(const rp_pipeline *p, slot *s, rp_transcript *t, const char *gold,
                            const char *question)
{
    if (s->nout == s->capout) {
        size_t c = s->capout ? s->capout * 2 : 8;
        graded *v = realloc(s->out, c * sizeof *v);
        if (!v) {
            rp_transcript_free(t);
            return RP_ENOMEM;
        }
        s->out = v;
        s->capout = c;
    }
    graded g = {t, NULL, NULL};
    rp_status st = gold ? rp_pipeline_grade_gold(p, t, gold, question, &g.rep, &g.own, &s->d)
                        : rp_pipeline_grade_one(p, t, &g.rep, &s->d);
    if (st != RP_OK) {
        rp_report_free(g.rep);
        rp_rubric_free(g.own);
        rp_transcript_free(t);
        return st;
    }
    s->out[s->nout++] = g;
    return RP_OK;
}

/* Grade the transcripts of ts in order (the slot takes them); the first
 * failure stops it unless --keep-going. */
static rp_status grade_set(const rp_pipeline *p, slot *s, rp_transcript_set *ts,
                           const char *gold, const char *question)
{
    rp_status first = RP_OK;
    for (size_t k = 0; k < ts->n; k++) {
        rp_transcript *t = ts->items[k];
        ts->items[k] = NULL;
        if (first != RP_OK && !p->keep_going) {
            rp_transcript_free(t);
            continue;
        }
        const char *tg = gold ? rp_arena_strdup(t->arena, gold) : NULL;
        const char *tq = question ? rp_arena_strdup(t->arena, question) : NULL;
        rp_status st = (gold && !tg) || (question && !tq) ? RP_ENOMEM : RP_OK;
        if (tq && !t->title)
            t->title = tq; /* the question shows where a title would */
        if (st == RP_OK)
            st = grade_conv(p, s, t, tg, tq);
        else
            rp_transcript_free(t);
        if (st != RP_OK && first == RP_OK)
            first = st;
    }
    rp_transcript_set_free(ts);
    return first;
}

/* Give the diagnostics from g on, made for the record alone, their place
 * in the input: lines counted from the record's first line, and for an
 * array element read as "[element]" the element's own index. */
static void place_diags(rp_diags *d, rp_diag *g, const record *r, bool wrap)
{
    for (; g; g = g->next) {
        if (wrap) {
            if (g->line)
                g->line += r->line - 1;
            if (g->path && strncmp(g->path, "$[0]", 4) == 0) {
                char *np = rp_arena_printf(d->arena, "$[%zu]%s", r->index, g->path + 4);
                if (np)
                    g->path = np;
            }
        } else {
            g->line = g->line ? g->line + r->line - 1 : r->line;
        }
    }
}

/* One record of an input of JSON records: with gold_field its gold and
 * question are read and it is named LABEL:LINE; otherwise it is one
 * conversation (or a few) of the input, read in the slot's format. */
static rp_status grade_record(const rp_pipeline *p, slot *s, const char *label, const char *text,
                              size_t n, const record *r)
{
    rp_transcript_set ts = {NULL, 0};
    if (p->gold_field) {
        rp_arena *a = rp_arena_new(0);
        if (!a)
            return RP_ENOMEM;
        const char *gold, *question;
        rp_status st = rp_gold_read(p, text, n, label, r->line, a, &gold, &question, &s->d);
        char *name = rp_arena_printf(a, "%s:%u", label, r->line);
        if (st == RP_OK)
            st = name ? rp_ingest_buffer(name, text, n, &p->ingest, &ts, &s->d) : RP_ENOMEM;
        if (st == RP_OK)
            st = grade_set(p, s, &ts, gold, question);
        rp_transcript_set_free(&ts);
        rp_arena_free(a);
        return st;
    }
    rp_ingest_opts io = p->ingest;
    if (s->wrap && !io.format && s->format[0])
        io.format = s->format;
    rp_diag *before = s->d.tail;
    rp_status st = rp_ingest_buffer(label, text, n, &io, &ts, &s->d);
    place_diags(&s->d, before ? before->next : s->d.head, r, s->wrap);
    if (st == RP_OK)
        st = grade_set(p, s, &ts, NULL, NULL);
    rp_transcript_set_free(&ts);
    return st;
}

/* Note the status of one record: a record without a gold is skipped with
 * --keep-going and still counts as a failure; any failure stops the input
 * without it.  Returns whether to go on. */
static bool record_done(const rp_pipeline *p, slot *s, rp_status st)
{
    if (st == RP_OK)
        return true;
    if (s->st == RP_OK || st != RP_ENOTFOUND)
        s->st = st;
    if (!p->keep_going)
        s->stop = true;
    return p->keep_going;
}

/* A whole input of JSON records with their golds, already read: the
 * elements of a JSON array, or one record a line. */
static void gold_buffer(const rp_pipeline *p, slot *s, const char *data, size_t len)
{
    size_t lead = 0;
    while (lead < len && isspace((unsigned char)data[lead]))
        lead++;
    if (lead < len && data[lead] == '[') {
        size_t at = lead, start, n;
        while ((n = rp_gold_next_element(data, len, &at, &start)) > 0) {
            record r = {start, n, 0, 0};
            unsigned col;
            rp_line_col(data, len, start, &r.line, &col);
            if (!record_done(p, s, grade_record(p, s, s->label, data + start, n, &r)))
                return;
        }
        return;
    }
    unsigned line = 0;
    for (size_t i = 0; i < len;) {
        const char *e = memchr(data + i, '\n', len - i);
        size_t n = e ? (size_t)(e - (data + i)) : len - i;
        const char *t = data + i;
        i += n + 1;
        line++;
        size_t k = 0;
        while (k < n && isspace((unsigned char)t[k]))
            k++;
        if (k == n)
            continue;
        record r = {0, n, line, 0};
        if (!record_done(p, s, grade_record(p, s, s->label, t, n, &r)))
            return;
    }
}

/* A whole input: read it, then grade its conversations. */
static void grade_whole(const rp_pipeline *p, slot *s)
{
    if (p->gold_field) {
        rp_buf b;
        rp_buf_init(&b, 0);
        const char *data = s->data;
        size_t len = s->len;
        if (s->kind == UNIT_PATH) {
            size_t line_max = p->ingest.max_line ? p->ingest.max_line : RP_MAX_LINE_DEFAULT;
            s->st = rp_file_read(s->label, max_record(p), line_max, &b, &s->d);
            data = b.data ? b.data : "";
            len = b.len;
        }
        if (s->st == RP_OK)
            gold_buffer(p, s, data, len);
        rp_buf_free(&b);
        return;
    }
    rp_transcript_set ts = {NULL, 0};
    if (s->kind == UNIT_DATA)
        s->st = rp_ingest_buffer(s->label, s->data, s->len, &p->ingest, &ts, &s->d);
    else
        s->st = rp_ingest_path(s->label, &p->ingest, &ts, &s->d);
    if (s->st == RP_OK)
        s->st = grade_set(p, s, &ts, NULL, NULL);
    rp_transcript_set_free(&ts);
}

/* Grade the batch of s into s->out and s->d. */
static void grade_slot(const rp_pipeline *p, slot *s)
{
    s->st = RP_OK;
    if (rp_diags_init(&s->d) != RP_OK) {
        s->st = RP_ENOMEM;
        return;
    }
    if (s->kind != UNIT_RECORDS) {
        grade_whole(p, s);
        return;
    }
    for (size_t i = 0; i < s->n; i++) {
        const record *r = &s->recs[i];
        if (!record_done(p, s, grade_record(p, s, s->label, s->text.data + r->off, r->len, r)))
            break;
    }
    if (s->tail[0] && !s->stop) {
        rp_diag_add(&s->d, s->label, s->tail_line, 0, "%s", s->tail);
        s->st = RP_EINPUT;
    }
}

/* ------------------------------------------------------------- reading */

/* Whether the records of path are to be read one at a time: a regular
 * file of RP_SPLIT_MIN bytes or more (any size with gold_field) that
 * opens as a JSON array or JSON Lines, whose first two records read as
 * two conversations (an array of messages is one conversation, and so are
 * the lines of a SillyTavern chat).  Leaves R->sp open at the start. */
static bool split_start(run *R, const char *path)
{
    const rp_pipeline *p = R->P;
    struct stat sb;
    if (is_url(path) || strcmp(path, "-") == 0 || stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
        return false;
    if (!p->gold_field && (size_t)sb.st_size < RP_SPLIT_MIN)
        return false;
    if (rp_split_open(&R->sp, path) != RP_OK)
        return false;
    R->sp_wrap = R->sp.array && !p->gold_field;
    R->sp_format[0] = '\0';
    if (p->gold_field)
        return true;
    /* the first two records, read together as the whole file would be */
    rp_buf b;
    rp_buf_init(&b, 2 * max_record(p) + 4);
    unsigned line;
    bool two = rp_buf_putc(&b, R->sp.array ? '[' : '\n') == RP_OK &&
               rp_split_next(&R->sp, &b, max_record(p), &line) &&
               rp_buf_putc(&b, R->sp.array ? ',' : '\n') == RP_OK &&
               rp_split_next(&R->sp, &b, max_record(p), &line) &&
               rp_buf_putc(&b, R->sp.array ? ']' : '\n') == RP_OK;
    rp_split_close(&R->sp);
    if (two) {
        rp_transcript_set ts = {NULL, 0};
        rp_diags d;
        two = rp_diags_init(&d) == RP_OK &&
              rp_ingest_buffer(path, b.data, b.len, &p->ingest, &ts, &d) == RP_OK && ts.n == 2 &&
              strcmp(ts.items[0]->format, ts.items[1]->format) == 0;
        if (two)
            snprintf(R->sp_format, sizeof R->sp_format, "%s", ts.items[0]->format);
        rp_transcript_set_free(&ts);
        rp_diags_free(&d);
    }
    rp_buf_free(&b);
    return two && rp_split_open(&R->sp, path) == RP_OK;
}

/* Fill s with the next records of the input being split. */
static void fill_records(run *R, slot *s)
{
    const rp_pipeline *p = R->P;
    s->kind = UNIT_RECORDS;
    s->input = R->sp_input;
    s->wrap = R->sp_wrap;
    snprintf(s->format, sizeof s->format, "%s", R->sp_format);
    s->label = strdup(R->sp_label);
    rp_buf_truncate(&s->text, 0);
    s->n = 0;
    while (s->n < SLOT_RECORDS && s->text.len < SLOT_BYTES) {
        size_t off = s->text.len;
        record r = {off, 0, 0, R->sp_index};
        if (s->wrap && rp_buf_putc(&s->text, '[') != RP_OK)
            break;
        if (!rp_split_next(&R->sp, &s->text, max_record(p), &r.line)) {
            rp_buf_truncate(&s->text, off);
            const char *msg;
            if (rp_split_error(&R->sp, &s->tail_line, &msg))
                snprintf(s->tail, sizeof s->tail, "%s", msg);
            s->last = true;
            break;
        }
        if ((s->wrap && rp_buf_putc(&s->text, ']') != RP_OK) ||
            rp_buf_putc(&s->text, '\0') != RP_OK) {
            snprintf(s->tail, sizeof s->tail, "out of memory");
            s->tail_line = r.line;
            s->last = true;
            break;
        }
        r.len = s->text.len - 1 - off;
        s->recs[s->n++] = r;
        R->sp_index++;
    }
    s->bytes = R->sp.bytes - R->sp_bytes;
    R->sp_bytes = R->sp.bytes;
    if (s->last) {
        rp_split_close(&R->sp);
        free(R->sp_label);
        R->sp_label = NULL;
        R->splitting = false;
    }
}

/* Fill s with the next batch: the next records of the input being split,
 * or the next input.  false when there is none. */
static bool fill_slot(run *R, slot *s)
{
    s->tail[0] = '\0';
    s->last = false;
    s->stop = false;
    s->nout = 0;
    if (R->splitting && R->stopped == R->sp_input + 1) {
        rp_split_close(&R->sp); /* the input failed: the rest is not read */
        free(R->sp_label);
        R->sp_label = NULL;
        R->splitting = false;
    }
    if (R->splitting) {
        fill_records(R, s);
        return true;
    }
    rp_input in;
    memset(&in, 0, sizeof in);
    if (!R->R->next(R->R->next_ctx, &in))
        return false;
    size_t input = R->inputs++;
    const char *label = in.label ? in.label : "-";
    s->input = input;
    s->bytes = 0;
    if (in.data) {
        s->kind = UNIT_DATA;
        s->data = in.data;
        s->len = in.len;
        s->bytes = in.len;
    } else if (split_start(R, label)) {
        struct stat sb;
        if (R->R->total <= 1 && fstat(R->sp.fd, &sb) == 0)
            rp_progress_expect(R->progress, (uint64_t)sb.st_size);
        R->splitting = true;
        R->sp_label = strdup(label);
        R->sp_input = input;
        R->sp_index = 0;
        R->sp_bytes = 0;
        if (R->sp_label) {
            fill_records(R, s);
            return true;
        }
        rp_split_close(&R->sp);
        R->splitting = false;
        s->kind = UNIT_PATH;
    } else {
        s->kind = UNIT_PATH;
        struct stat sb;
        if (!is_url(label) && stat(label, &sb) == 0 && S_ISREG(sb.st_mode))
            s->bytes = (uint64_t)sb.st_size;
    }
    s->label = strdup(label);
    s->last = true;
    return true;
}

/* ------------------------------------------------------------- writing */

/* Hand the reports of s to the sink (unless its input stopped before),
 * its diagnostics on, and make the slot free again. */
static void emit(run *R, slot *s)
{
    const rp_run *o = R->R;
    bool drop = R->stopped == s->input + 1 || R->halt != RP_OK;
    size_t convs = 0;
    for (size_t i = 0; i < s->nout; i++) {
        graded *g = &s->out[i];
        if (drop || !s->label || R->halt != RP_OK) { /* a failed write stops the rest */
            rp_report_free(g->rep);
            rp_rubric_free(g->own);
            rp_transcript_free(g->t);
            continue;
        }
        rp_status st = o->sink(o->sink_ctx, s->input, g->t, g->rep);
        convs++;
        if (g->own) {
            if (o->sink_frees)
                rp_rubric_free(g->own);
            else if (rp_registry_adopt(R->P->rubrics, g->own) != RP_OK && st == RP_OK)
                st = RP_ENOMEM; /* the report may point into it: kept */
        }
        if (st != RP_OK && R->halt == RP_OK)
            R->halt = st;
    }
    if (!s->label && !drop)
        R->last = RP_ENOMEM;
    if (!drop) {
        if (o->diag_to && s->d.head) {
            fflush(NULL); /* the reports handed on before their diagnostics */
            rp_diags_print(&s->d, o->diag_to);
        }
        else if (R->d)
            rp_diags_copy(R->d, &s->d);
        if (s->st != RP_OK)
            R->last = s->st;
        if (s->stop)
            R->stopped = s->input + 1;
    }
    rp_progress_add(R->progress, s->last, convs, s->bytes);
    rp_diags_free(&s->d);
    free(s->label);
    s->label = NULL;
    s->nout = 0;
    if (s->text.cap > 4 * SLOT_BYTES)
        rp_buf_free(&s->text);
    rp_buf_truncate(&s->text, 0);
    s->n = 0;
    s->state = SLOT_FREE;
}

/* -------------------------------------------------------------- the loop */

static void *worker(void *arg)
{
    run *R = arg;
    pthread_mutex_lock(&R->mu);
    for (;;) {
        while (R->next_grab == R->next_read && !R->quit)
            pthread_cond_wait(&R->work, &R->mu);
        if (R->next_grab == R->next_read)
            break;
        slot *s = &R->slots[R->next_grab++ % R->W];
        pthread_mutex_unlock(&R->mu);
        grade_slot(R->P, s);
        pthread_mutex_lock(&R->mu);
        s->state = SLOT_DONE;
        pthread_cond_signal(&R->done);
    }
    pthread_mutex_unlock(&R->mu);
    return NULL;
}

/* The caller's loop: fill batches while there is room, hand the finished
 * ones on in order.  With one job it grades each batch itself.  Called
 * and returns with R->mu held. */
static void loop(run *R, bool threads)
{
    bool end = false;
    for (;;) {
        while (R->next_write < R->next_read &&
               R->slots[R->next_write % R->W].state == SLOT_DONE) {
            slot *s = &R->slots[R->next_write % R->W];
            pthread_mutex_unlock(&R->mu);
            emit(R, s);
            pthread_mutex_lock(&R->mu);
            R->next_write++;
        }
        if (R->halt != RP_OK)
            end = true;
        if (end && R->next_write == R->next_read)
            break;
        if (!end && R->next_read - R->next_write < R->W) {
            slot *s = &R->slots[R->next_read % R->W];
            pthread_mutex_unlock(&R->mu);
            bool got = fill_slot(R, s);
            if (got && !threads) {
                grade_slot(R->P, s);
                s->state = SLOT_DONE;
            }
            pthread_mutex_lock(&R->mu);
            if (!got) {
                end = true;
                continue;
            }
            if (threads) {
                s->state = SLOT_READY;
                pthread_cond_signal(&R->work);
            } else {
                R->next_grab++;
            }
            R->next_read++;
            continue;
        }
        if (R->slots[R->next_write % R->W].state != SLOT_DONE)
            pthread_cond_wait(&R->done, &R->mu);
    }
}

rp_status rp_pipeline_run(const rp_pipeline *p, const rp_run *o, rp_diags *d)
{
    run R;
    memset(&R, 0, sizeof R);
    rp_pipeline own;
    rp_grade_memo *views = rp_pipeline_own(p, &own);
    R.P = &own;
    R.R = o;
    R.d = d;
    R.sp.fd = -1;
    unsigned jobs = p->jobs ? p->jobs : 1;
    if (jobs > RP_PIPELINE_MAX_JOBS)
        jobs = RP_PIPELINE_MAX_JOBS;
    R.W = jobs > 1 ? 4 * (size_t)jobs : 1;
    R.slots = calloc(R.W, sizeof *R.slots);
    if (!R.slots) {
        rp_grade_memo_free(views);
        return RP_ENOMEM;
    }
    for (size_t i = 0; i < R.W; i++)
        rp_buf_init(&R.slots[i].text, SLOT_BYTES + 2 * max_record(p) + SLOT_RECORDS * 3 + 8);
    R.progress = rp_progress_new(p->progress, o->total, 0);
    pthread_mutex_init(&R.mu, NULL);
    pthread_cond_init(&R.work, NULL);
    pthread_cond_init(&R.done, NULL);
    pthread_t th[RP_PIPELINE_MAX_JOBS];
    size_t nth = 0;
    for (; jobs > 1 && nth < jobs; nth++)
        if (pthread_create(&th[nth], NULL, worker, &R) != 0)
            break;
    pthread_mutex_lock(&R.mu);
    loop(&R, nth > 0);
    R.quit = true;
    pthread_cond_broadcast(&R.work);
    pthread_mutex_unlock(&R.mu);
    for (size_t i = 0; i < nth; i++)
        pthread_join(th[i], NULL);
    if (R.splitting) {
        rp_split_close(&R.sp);
        free(R.sp_label);
    }
    rp_progress_end(R.progress);
    for (size_t i = 0; i < R.W; i++) {
        rp_buf_free(&R.slots[i].text);
        free(R.slots[i].out);
        free(R.slots[i].label);
    }
    free(R.slots);
    pthread_cond_destroy(&R.work);
    pthread_cond_destroy(&R.done);
    pthread_mutex_destroy(&R.mu);
    rp_grade_memo_free(views);
    return R.halt != RP_OK ? R.halt : R.last;
}

/* The inputs of an array, one at a time. */
typedef struct array_inputs {
    const rp_input *in;
    size_t n, i;
} array_inputs;

static bool array_next(void *ctx, rp_input *in)
{
    array_inputs *a = ctx;
    if (a->i >= a->n)
        return false;
    *in = a->in[a->i++];
    return true;
}

rp_status rp_pipeline_grade(const rp_pipeline *p, const rp_input *in, size_t n,
                            rp_report_sink sink, void *ctx, rp_diags *d)
{
    array_inputs a = {in, n, 0};
    rp_run o;
    memset(&o, 0, sizeof o);
    o.next = array_next;
    o.next_ctx = &a;
    o.total = n;
    o.sink = sink;
    o.sink_ctx = ctx;
    return rp_pipeline_run(p, &o, d);
}
