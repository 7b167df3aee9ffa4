/*
 * The JSON Lines stream of `redpen grade - --format jsonl`: standard input
 * read line by line, in constant memory, and one report line written per
 * conversation as soon as it and all the lines before it are graded (the
 * map step of Spark's rdd.pipe, Hadoop Streaming or GNU parallel).  Lines
 * go to the threads in batches (up to 64 lines or 256 KB, fewer when the
 * input has no more ready); at most 4 x jobs batches are in flight; a line
 * is capped at the input line limit (16 MB).  The rubric is the one given,
 * else the one found for the first conversation, reused for the whole
 * stream.  A bad line is reported with its line number; without
 * --keep-going the stream stops there (the lines before it are already
 * written), with it the line is skipped.
 */
#include "pipeline_int.h"

#include "redpen/rubric.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define READ_CHUNK 65536
#define KEEP_BUF ((size_t)1 << 20) /* line and output buffers kept between lines */

/* ------------------------------------------------------------- streams */

/* Standard input read in chunks, handed out line by line. */
typedef struct reader {
    int fd;
    char buf[READ_CHUNK];
    size_t pos, len;
    bool eof;
    int err;            /* errno of a failed read, else 0 */
    unsigned long line; /* number of the last line returned */
    bool stop_long;     /* a line over its limit ends the read at once (the first line) */
} reader;

bool rp_fd_refill(int fd, char *buf, size_t cap, size_t *pos, size_t *len, bool *eof, int *err)
{
    if (*eof)
        return false;
    for (;;) {
        ssize_t k = read(fd, buf, cap);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            *err = errno;
        if (k <= 0) {
            *eof = true;
            return false;
        }
        *pos = 0;
        *len = (size_t)k;
        return true;
    }
}

static bool reader_fill(reader *r)
{
    return rp_fd_refill(r->fd, r->buf, sizeof r->buf, &r->pos, &r->len, &r->eof, &r->err);
}

/* Append the next line to b (no newline kept).  Returns 1 for a line, 0 at
 * the end of the input, -1 for a line longer than max or than b can hold
 * (its whole text is consumed and dropped, unless r->stop_long: b is as before). */
static int reader_line(reader *r, rp_buf *b, size_t max)
{
    size_t start = b->len;
    bool any = false, too_long = false;
    for (;;) {
        if (r->pos == r->len && !reader_fill(r))
            break;
        any = true;
        const char *s = r->buf + r->pos;
        const char *nl = memchr(s, '\n', r->len - r->pos);
        size_t k = nl ? (size_t)(nl - s) : r->len - r->pos;
        if (!too_long && (k > max - (b->len - start) || rp_buf_append(b, s, k) != RP_OK)) {
            too_long = true;
            rp_buf_truncate(b, start);
            if (r->stop_long)
                break; /* refused: the rest is never read (it may not end) */
        }
        r->pos += k + (nl ? 1 : 0);
        if (nl)
            break;
    }
    if (!any)
        return 0;
    r->line++;
    return too_long ? -1 : 1;
}

/* Whether the next read would return at once: bytes are buffered, or the
 * input has more ready (a file always; a pipe when the writer is ahead). */
static bool reader_ready(const reader *r)
{
    if (r->pos < r->len || r->eof)
        return true;
    struct pollfd p = {r->fd, POLLIN, 0};
    return poll(&p, 1, 0) > 0;
}

static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strchr(" \t\r", s[i]))
            return false;
    return true;
}

/* Whether a first line reads as one JSON object (a JSONL stream). */
static bool jsonl_line(const char *s, size_t n)
{
    size_t a = 0;
    if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        a = 3;
    while (a < n && strchr(" \t\r", s[a]))
        a++;
    while (n > a && strchr(" \t\r", s[n - 1]))
        n--;
    return n - a >= 2 && s[a] == '{' && s[n - 1] == '}';
}

enum { SLOT_FREE, SLOT_READY, SLOT_DONE };

/* Lines go to the threads in batches: one line at a time cost two context
 * switches per conversation (72,000 on 220 MB) and more cpu than the second
 * thread gave back. */
#define BATCH_LINES 64
#define BATCH_BYTES ((size_t)256 << 10)

/* One line of a batch: its text is in[off .. off + len), NUL-terminated. */
typedef struct line_ref {
    size_t off, len;
    unsigned long line; /* line number in the stream */
    bool too_long;
} line_ref;

/* A batch of lines in flight. */
typedef struct slot {
    int state;
    rp_buf in;          /* the texts of the lines, one after another */
    line_ref lines[BATCH_LINES];
    size_t n;           /* lines in the batch */
    rp_buf out;         /* their report lines */
    rp_diags d;
    rp_status st;       /* the first failure, RP_OK when none */
    size_t ok;          /* lines graded and written to out */
} slot;

typedef struct stream {
    const rp_pipeline *P;
    const char *out_path;        /* NULL, "-": standard output */
    size_t max_line;
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    slot *slots;
    size_t W;                    /* slots */
    size_t next_read, next_grab, next_write; /* sequence numbers */
    bool quit;
    rp_progress *progress;       /* the progress line, or NULL */
} stream;

/* Give the diagnostics from g on, made for a one-line buffer, the line
 * number in the stream. */
static void shift_lines(rp_diag *g, unsigned long line)
{
    for (; g; g = g->next)
        g->line = g->line ? g->line + (unsigned)line - 1 : (unsigned)line;
}

/* Read the lines of a batch into s (empty): BATCH_LINES lines, BATCH_BYTES
 * bytes or the lines that have arrived, whichever comes first (a slow pipe
 * gets its reports as soon as its lines are in).  first, when given, is the
 * stream's first line, already read.  Returns the number of lines, 0 at the
 * end of the input. */
static size_t fill_batch(stream *S, reader *rd, slot *s, const rp_buf *first)
{
    rp_buf_truncate(&s->in, 0);
    s->n = 0;
    while (s->n < BATCH_LINES && s->in.len < BATCH_BYTES) {
        if (s->n && !reader_ready(rd))
            break;
        size_t off = s->in.len;
        int got = 1;
        if (first) {
            if (rp_buf_append(&s->in, first->data ? first->data : "", first->len) != RP_OK)
                got = -1;
            first = NULL;
        } else {
            do {
                rp_buf_truncate(&s->in, off);
                got = reader_line(rd, &s->in, S->max_line);
            } while (got == 1 && blank(s->in.data + off, s->in.len - off));
        }
        if (got == 0)
            break;
        size_t len = s->in.len - off;
        /* each text ends in a NUL of its own, as the readers want */
        if (rp_buf_putc(&s->in, '\0') != RP_OK) {
            rp_buf_truncate(&s->in, off);
            got = -1;
            len = 0;
        }
        s->lines[s->n++] = (line_ref){off, got < 0 ? 0 : len, rd->line, got < 0};
    }
    return s->n;
}

/* Ingest, grade and render line l of s: its report line is appended to
 * s->out (nothing of it when it fails), its diagnostics to s->d. */
static rp_status grade_line(stream *S, slot *s, const line_ref *l)
{
    if (l->too_long) {
        rp_diag_add(&s->d, "<stdin>", (unsigned)l->line, 0,
                    "line longer than the limit of %zu bytes", S->max_line);
        return RP_ELIMIT;
    }
    const char *text = s->in.data + l->off;
    rp_ingest_opts io = S->P->ingest;
    if (!io.format && !jsonl_line(text, l->len)) {
        rp_diag_add(&s->d, "<stdin>", (unsigned)l->line, 1,
                    "expected a JSON object: one conversation per line");
        return RP_EINPUT;
    }
    if (!io.format)
        io.format = rp_ingest_detect(text, l->len);
    rp_diag *before = s->d.tail;
    size_t out0 = s->out.len;
    rp_transcript_set ts = {NULL, 0};
    /* a record's own gold answer (gold.c): read first, its line number
     * given below like every diagnostic of the line */
    rp_arena *ga = S->P->gold_field ? rp_arena_new(0) : NULL;
    const char *gold = NULL, *question = NULL;
    rp_status st = S->P->gold_field && !ga ? RP_ENOMEM : RP_OK;
    if (ga)
        st = rp_gold_read(S->P, text, l->len, "<stdin>", 1, ga, &gold, &question, &s->d);
    if (st == RP_OK)
        st = rp_ingest_buffer("<stdin>", text, l->len, &io, &ts, &s->d);
    for (size_t k = 0; st == RP_OK && k < ts.n; k++) {
        rp_report *rep = NULL;
        struct rp_rubric *own = NULL;
        if (gold) {
            if (question && !ts.items[k]->title)
                ts.items[k]->title = question;
            st = rp_pipeline_grade_gold(S->P, ts.items[k], gold, question, &rep, &own, &s->d);
        } else {
            st = rp_pipeline_grade_one(S->P, ts.items[k], &rep, &s->d);
        }
        if (st == RP_OK)
            st = rp_report_write_json(rep, false, &s->out);
        if (st == RP_OK)
            st = rp_buf_putc(&s->out, '\n');
        rp_report_free(rep);
        rp_rubric_free(own);
    }
    rp_transcript_set_free(&ts);
    rp_arena_free(ga);
    shift_lines(before ? before->next : s->d.head, l->line);
    if (st != RP_OK)
        rp_buf_truncate(&s->out, out0);
    return st;
}

/* Grade the batch of s.  Without --keep-going the lines after a failing
 * one are not graded: the stream stops there. */
static void grade_batch(stream *S, slot *s)
{
    s->st = RP_OK;
    s->ok = 0;
    if (rp_diags_init(&s->d) != RP_OK) {
        s->st = RP_ENOMEM;
        return;
    }
    for (size_t i = 0; i < s->n; i++) {
        rp_status st = grade_line(S, s, &s->lines[i]);
        if (st == RP_OK) {
            s->ok++;
            continue;
        }
        if (s->st == RP_OK)
            s->st = st;
        if (!S->P->keep_going)
            break;
    }
}

static void *stream_worker(void *arg)
{
    stream *S = arg;
    pthread_mutex_lock(&S->mu);
    for (;;) {
        while (S->next_grab == S->next_read && !S->quit)
            pthread_cond_wait(&S->work, &S->mu);
        if (S->next_grab == S->next_read)
            break;
        slot *s = &S->slots[S->next_grab++ % S->W];
        pthread_mutex_unlock(&S->mu);
        grade_batch(S, s);
        pthread_mutex_lock(&S->mu);
        s->state = SLOT_DONE;
        pthread_cond_signal(&S->done);
    }
    pthread_mutex_unlock(&S->mu);
    return NULL;
}

/* Write the result of s (or drop it once the stream stopped) and make the
 * slot free again.  Sets *stop on the first failure without --keep-going;
 * adds the lines written to *emitted. */
static void emit(stream *S, slot *s, FILE *out, rp_status *st, bool *stop, size_t *emitted)
{
    if (!*stop) {
        if (s->out.len && fwrite(s->out.data, 1, s->out.len, out) != s->out.len && *st == RP_OK)
            *st = RP_EINTERNAL;
        *emitted += s->ok;
        /* the lines' bytes, each with its newline (the NUL in s->in) */
        rp_progress_add(S->progress, 0, s->ok, s->in.len);
        if (s->d.head)
            rp_diags_print(&s->d, stderr);
        if (s->st != RP_OK) {
            if (*st == RP_OK)
                *st = s->st;
            if (!S->P->keep_going)
                *stop = true;
        }
    }
    rp_diags_free(&s->d);
    memset(&s->d, 0, sizeof s->d);
    if (s->in.cap > KEEP_BUF)
        rp_buf_free(&s->in);
    if (s->out.cap > KEEP_BUF)
        rp_buf_free(&s->out);
    rp_buf_truncate(&s->in, 0);
    rp_buf_truncate(&s->out, 0);
    s->n = 0;
    s->state = SLOT_FREE;
}

/* Open the output of a stream as rp_out_open() says (standard output, a
 * device written in place, or a temporary file beside OUT renamed over it
 * at the end, so OUT is never half written).  NULL after a message. */
static FILE *stream_open(const char *out_path, rp_out *o)
{
    if (!out_path || strcmp(out_path, "-") == 0)
        out_path = "-";
    rp_diags d;
    if (rp_diags_init(&d) != RP_OK)
        return NULL;
    rp_status st = rp_out_open(out_path, o, &d);
    rp_diags_print(&d, stderr);
    rp_diags_free(&d);
    if (st != RP_OK)
        return NULL;
    if (o->fd == STDOUT_FILENO)
        return stdout;
    int fd = dup(o->fd);
    FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
    if (!f) {
        fprintf(stderr, "%s: cannot write: %s\n", out_path, strerror(errno));
        if (fd >= 0)
            close(fd);
        rp_out_close(o, false, NULL);
    }
    return f;
}

/* Close the output of a stream: report a failed read or write, and rename
 * the temporary file over OUT when the run succeeded (or wrote something
 * with --keep-going), else remove it.  Returns st or the first new
 * failure. */
static rp_status stream_close(stream *S, reader *rd, FILE *out, rp_out *o, size_t emitted,
                              rp_status st)
{
    if (rd->err) {
        fprintf(stderr, "<stdin>: cannot read: %s\n", strerror(rd->err));
        if (st == RP_OK)
            st = RP_EIO;
    }
    bool keep = st == RP_OK || (S->P->keep_going && emitted);
    if (fflush(out) != 0 || ferror(out)) {
        fprintf(stderr, "%s: cannot write: %s\n", o->label, strerror(errno));
        keep = false;
        if (st == RP_OK)
            st = RP_EIO;
    }
    if (out != stdout && fclose(out) != 0)
        keep = false;
    rp_diags d;
    bool have_d = rp_diags_init(&d) == RP_OK;
    rp_status cst = rp_out_close(o, keep, have_d ? &d : NULL);
    if (have_d) {
        rp_diags_print(&d, stderr);
        rp_diags_free(&d);
    }
    return st != RP_OK ? st : cst;
}

static void slots_free(stream *S)
{
    for (size_t i = 0; i < S->W; i++) {
        rp_buf_free(&S->slots[i].in);
        rp_buf_free(&S->slots[i].out);
        rp_diags_free(&S->slots[i].d);
    }
    free(S->slots);
}

/* The stream's loop on the caller's thread: read batches, hand them to
 * the threads (or grade them here until the rubric is known), write the
 * finished ones in order.  Called and returns with S->mu held. */
static rp_status stream_loop(stream *S, reader *rd, rp_buf *first, FILE *out, size_t *emitted,
                             pthread_t *th, size_t *nth)
{
    const rp_pipeline *P = S->P;
    bool have_first = true, eof = false, stop = false, threads = false;
    rp_status st = RP_OK;
    for (;;) {
        /* write finished batches in order */
        while (S->next_write < S->next_read && S->slots[S->next_write % S->W].state == SLOT_DONE) {
            slot *s = &S->slots[S->next_write % S->W];
            pthread_mutex_unlock(&S->mu);
            emit(S, s, out, &st, &stop, emitted);
            pthread_mutex_lock(&S->mu);
            S->next_write++;
        }
        if (S->next_write == S->next_read && (eof || stop))
            break;
        /* the rubric comes from the first conversation: grade inline until
         * it is known, then start the threads (with a gold answer in each
         * record, every record brings its own rubric: start them at once) */
        if (!threads && P->jobs > 1 && (P->gold_field || rp_registry_settled(P->rubrics))) {
            /* the caller grades no more from now on: it reads and writes */
            for (; *nth < P->jobs && *nth < RP_PIPELINE_MAX_JOBS; ++*nth)
                if (pthread_create(&th[*nth], NULL, stream_worker, S) != 0)
                    break;
            threads = *nth > 0;
        }
        if (!eof && !stop && S->next_read - S->next_write < (threads ? S->W : 1)) {
            if (!reader_ready(rd)) {
                /* the input is slow: write what is graded before waiting
                 * for it, so that every report is out as soon as it can
                 * be */
                bool busy = S->next_write < S->next_read;
                pthread_mutex_unlock(&S->mu);
                fflush(out);
                pthread_mutex_lock(&S->mu);
                if (busy) {
                    if (S->slots[S->next_write % S->W].state != SLOT_DONE)
                        pthread_cond_wait(&S->done, &S->mu);
                    continue;
                }
            }
            slot *s = &S->slots[S->next_read % S->W];
            pthread_mutex_unlock(&S->mu);
            size_t got = fill_batch(S, rd, s, have_first ? first : NULL);
            have_first = false;
            if (got != 0 && !threads) {
                grade_batch(S, s);
                s->state = SLOT_DONE;
            }
            pthread_mutex_lock(&S->mu);
            if (got == 0) {
                eof = true;
                continue;
            }
            if (threads) {
                s->state = SLOT_READY;
                pthread_cond_signal(&S->work);
            } else {
                S->next_grab++;
            }
            S->next_read++;
            continue;
        }
        pthread_mutex_unlock(&S->mu);
        fflush(out);
        pthread_mutex_lock(&S->mu);
        if (S->next_write < S->next_read && S->slots[S->next_write % S->W].state != SLOT_DONE)
            pthread_cond_wait(&S->done, &S->mu);
    }
    return st;
}

/* Grade a JSONL stream from rd; first holds its first line (already read,
 * line 1 of rd's count).  See the top of the file. */
static rp_status grade_stream(const rp_pipeline *P, const char *out_path, reader *rd,
                              rp_buf *first)
{
    stream S;
    memset(&S, 0, sizeof S);
    rp_pipeline own;
    rp_grade_memo *views = rp_pipeline_own(P, &own);
    S.P = &own;
    S.out_path = out_path;
    S.max_line = P->ingest.max_line ? P->ingest.max_line : RP_MAX_LINE_DEFAULT;
    S.W = P->jobs > 1 ? 4 * (size_t)P->jobs : 1;
    S.slots = calloc(S.W, sizeof *S.slots);
    if (!S.slots) {
        rp_grade_memo_free(views);
        return RP_ENOMEM;
    }
    for (size_t i = 0; i < S.W; i++) {
        /* room for a batch and the line that passes BATCH_BYTES, NULs
         * included */
        rp_buf_init(&S.slots[i].in, BATCH_BYTES + S.max_line + BATCH_LINES + 1);
        rp_buf_init(&S.slots[i].out, 0);
    }
    rp_out o;
    FILE *out = stream_open(out_path, &o);
    if (!out) {
        slots_free(&S);
        rp_grade_memo_free(views);
        return RP_EIO;
    }
    pthread_mutex_init(&S.mu, NULL);
    pthread_cond_init(&S.work, NULL);
    pthread_cond_init(&S.done, NULL);
    rp_registry_stick(P->rubrics);
    struct stat sb; /* the time left is known when the input is a file */
    bool sized = fstat(rd->fd, &sb) == 0 && S_ISREG(sb.st_mode);
    S.progress = rp_progress_new(P->progress, 0, sized ? (uint64_t)sb.st_size : 0);

    pthread_t th[RP_PIPELINE_MAX_JOBS];
    size_t nth = 0, emitted = 0;
    pthread_mutex_lock(&S.mu);
    rp_status st = stream_loop(&S, rd, first, out, &emitted, th, &nth);
    S.quit = true;
    pthread_cond_broadcast(&S.work);
    pthread_mutex_unlock(&S.mu);
    for (size_t i = 0; i < nth; i++)
        pthread_join(th[i], NULL);

    rp_progress_end(S.progress);
    st = stream_close(&S, rd, out, &o, emitted, st);
    slots_free(&S);
    pthread_cond_destroy(&S.work);
    pthread_cond_destroy(&S.done);
    pthread_mutex_destroy(&S.mu);
    rp_grade_memo_free(views);
    return st;
}

/* Read the rest of a standard input that is not a stream of objects into
 * pre, as `grade -` reads it: the blank lines before the first line kept
 * for line numbers, then first (without a byte order mark of bom bytes),
 * then what is buffered in rd and what is left of the input. */
static rp_status read_rest(const rp_pipeline *P, reader *rd, int got, const rp_buf *first,
                           size_t bom, rp_buf *pre)
{
    size_t max = P->ingest.max_bytes ? P->ingest.max_bytes : RP_MAX_INPUT_DEFAULT;
    rp_buf_init(pre, max + 1);
    rp_status st = RP_OK;
    for (unsigned long i = 1; i < rd->line && st == RP_OK; i++)
        st = rp_buf_putc(pre, '\n');
    if (st == RP_OK && got != 0)
        st = rp_buf_append(pre, first->data ? first->data + (rd->line <= 1 ? bom : 0) : "",
                           first->len - (rd->line <= 1 ? bom : 0));
    /* the first line ended in a newline unless the input ended with it */
    if (st == RP_OK && got != 0 && (rd->pos < rd->len || !rd->eof))
        st = rp_buf_putc(pre, '\n');
    if (st == RP_OK)
        st = rp_buf_append(pre, rd->buf + rd->pos, rd->len - rd->pos);
    rp_diags d;
    if (rp_diags_init(&d) != RP_OK)
        return RP_ENOMEM;
    if (st != RP_OK)
        rp_diag_add(&d, "<stdin>", 0, 0,
                    "file larger than %zu bytes (raise the limit with --max-input)", max);
    else if (!rd->eof)
        st = rp_file_read("-", max, 0, pre, &d);
    if (st != RP_OK)
        rp_diags_print(&d, stderr);
    rp_diags_free(&d);
    return st;
}

rp_status rp_pipeline_stream(const rp_pipeline *p, int fd, const char *out_path, bool *streamed,
                             rp_buf *pre)
{
    *streamed = false;
    rp_buf_init(pre, 0);
    reader *rd = calloc(1, sizeof *rd);
    if (!rd)
        return RP_ENOMEM;
    rd->fd = fd;
    size_t max_line = p->ingest.max_line ? p->ingest.max_line : RP_MAX_LINE_DEFAULT;
    size_t max = p->ingest.max_bytes ? p->ingest.max_bytes : RP_MAX_INPUT_DEFAULT;
    rp_buf first;
    rp_buf_init(&first, max + 1);
    int got;
    rd->stop_long = true;
    do {
        rp_buf_truncate(&first, 0);
        got = reader_line(rd, &first, SIZE_MAX);
    } while (got == 1 && blank(first.data, first.len));
    rd->stop_long = false;
    rp_status st;
    if (got < 0) {
        /* one line over the input limit: too large as a stream and as a document */
        fprintf(stderr, "<stdin>:%lu:1: line longer than the input limit of %zu bytes "
                        "(raise the limit with --max-input)\n", rd->line, max);
        rp_buf_free(&first);
        free(rd);
        return RP_ELIMIT;
    }
    size_t bom = first.len >= 3 && memcmp(first.data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    if (got == 1 && first.len - bom <= max_line && jsonl_line(first.data, first.len)) {
        *streamed = true;
        if (bom) {
            memmove(first.data, first.data + bom, first.len - bom);
            first.len -= bom;
        }
        first.max = max_line;
        st = grade_stream(p, out_path, rd, &first);
    } else {
        st = read_rest(p, rd, got, &first, bom, pre);
    }
    rp_buf_free(&first);
    free(rd);
    return st;
}
