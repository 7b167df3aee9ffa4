/*
 * redpen grade FILE… [--rubric R] [--format text|json|jsonl|md|html]
 *                    [-o OUT] [--model NAME] [--input-format NAME]
 *                    [--keep-going] [--jobs N] [--judge URL [--judge-model NAME]
 *                    [--judge-cache DIR] [--no-cache]]
 *
 * Grades every conversation in every input against a rubric (the one
 * given, else the one under rubrics/ whose problems match) and prints the
 * report: a table per transcript, the JSON contract of DESIGN.md (one
 * object, or {"reports": […]} for several), JSON Lines, Markdown or HTML.
 * Output is written atomically; on bad input nothing is written and the
 * exit code is 2.
 *
 * --jobs N grades with N threads: the inputs are read in parallel, then
 * their conversations are graded in parallel; the output keeps the input
 * order.  Rubrics are loaded and solved once (per rubric file) and shared
 * read-only by the threads.
 *
 * Streaming: `redpen grade - --format jsonl` with a JSON Lines stream on
 * standard input (one OpenAI-messages or ShareGPT conversation per line)
 * reads it line by line, in constant memory, and writes one report line per
 * conversation as soon as it and all the lines before it are graded: the
 * map step of Spark's rdd.pipe, Hadoop Streaming or GNU parallel.  Lines
 * go to the threads in batches (up to 64 lines or 256 KB, fewer when the
 * input has no more ready); at most 4 × N batches are in flight; a line is
 * capped at the input line limit (16 MB).  The rubric is the one given, else the one found for the first
 * conversation, reused for the whole stream.  A bad line is reported with
 * its line number; without --keep-going the stream stops there (the lines
 * before it are already written), with it the line is skipped.
 */
#include "cli.h"

#include "redpen/grade.h"
#include "redpen/ingest.h"
#include "redpen/report.h"
#include "redpen/rubric.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_JOBS RP_CLI_MAX_JOBS
#define READ_CHUNK 65536
#define KEEP_BUF ((size_t)1 << 20) /* line and output buffers kept between lines */

static void usage(FILE *f)
{
    fprintf(f,
            "usage: redpen grade FILE|URL|-... [--rubric R] [--format text|json|jsonl|md|html]\n"
            "                    [-o OUT] [--model NAME] [--input-format NAME] [--keep-going]\n"
            "                    [--jobs N] [--no-memo]\n"
            "                    [--judge URL [--judge-model NAME] [--judge-cache DIR] [--no-cache]]\n"
            "                    " RP_CLI_LIMITS_USAGE "\n"
            "  --jobs N   grade with N threads (0: one per processor); output keeps input order\n"
            "  --no-memo  compare every claim anew (not remembering repeated answers)\n"
            "  '-' with --format jsonl streams a JSONL input: one report line per conversation\n");
}

/* The rubric directory: ./rubrics, else rubrics/ beside the source tree the
 * binary was built in (build/redpen -> rubrics/). */
static const char *rubrics_dir(char *buf, size_t cap)
{
    const char *env = getenv("REDPEN_RUBRICS");
    if (env && *env)
        return env;
    struct stat sb;
    if (stat("rubrics", &sb) == 0 && S_ISDIR(sb.st_mode))
        return "rubrics";
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(buf, cap, "%s/../rubrics", exe);
            if (stat(buf, &sb) == 0 && S_ISDIR(sb.st_mode))
                return buf;
        }
    }
    return "rubrics";
}

/* ------------------------------------------------------------- options */

typedef struct gopts {
    const char *rubric_path, *format, *out_path, *model, *input_format, *judge,
        *judge_model, *judge_cache;
    bool keep_going, no_cache, no_memo;
    unsigned jobs;
    rp_ingest_opts limits; /* --max-input, --max-line, --max-turns, --max-depth, --timeout */
    const char **files;
    size_t nfiles;
} gopts;

/* Parse argv into o; returns -1 to go on, else the exit code. */
static int parse_args(int argc, char **argv, gopts *o)
{
    memset(o, 0, sizeof *o);
    o->jobs = 1;
    const char *jobs = NULL;
    bool bad = false;
    o->files = calloc((size_t)argc + 1, sizeof *o->files);
    if (!o->files)
        return RP_EXIT_INTERNAL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        }
        if (strcmp(argv[i], "--keep-going") == 0) {
            o->keep_going = true;
            continue;
        }
        if (strcmp(argv[i], "--no-cache") == 0) {
            o->no_cache = true;
            continue;
        }
        if (strcmp(argv[i], "--no-memo") == 0) {
            o->no_memo = true;
            continue;
        }
        if (rp_cli_opt(argc, argv, &i, "--rubric", &o->rubric_path, &bad) ||
            rp_cli_opt(argc, argv, &i, "--format", &o->format, &bad) ||
            rp_cli_opt(argc, argv, &i, "-o", &o->out_path, &bad) ||
            rp_cli_opt(argc, argv, &i, "--output", &o->out_path, &bad) ||
            rp_cli_opt(argc, argv, &i, "--model", &o->model, &bad) ||
            rp_cli_opt(argc, argv, &i, "--input-format", &o->input_format, &bad) ||
            rp_cli_opt(argc, argv, &i, "--jobs", &jobs, &bad) ||
            rp_cli_opt(argc, argv, &i, "-j", &jobs, &bad) ||
            rp_cli_opt(argc, argv, &i, "--judge", &o->judge, &bad) ||
            rp_cli_opt(argc, argv, &i, "--judge-model", &o->judge_model, &bad) ||
            rp_cli_opt(argc, argv, &i, "--judge-cache", &o->judge_cache, &bad) ||
            rp_cli_limit_opt(argc, argv, &i, &o->limits, &bad)) {
            if (bad)
                return RP_EXIT_BADINPUT;
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0')
            return rp_cli_usage_error("grade: unknown option '%s'", argv[i]);
        o->files[o->nfiles++] = argv[i];
    }
    if (!o->nfiles) {
        usage(stderr);
        return RP_EXIT_BADINPUT;
    }
    const char *given = o->format;
    o->format = rp_report_format_pick(given, o->out_path, "text"); /* -o x.html: html */
    if (strcmp(o->format, "text") && strcmp(o->format, "json") && strcmp(o->format, "jsonl") &&
        strcmp(o->format, "md") && strcmp(o->format, "html"))
        return rp_cli_usage_error("grade: %s is text, json, jsonl, md or html, not '%s'",
                                  given ? "--format" : "the format of -o's extension", o->format);
    if (jobs)
        return rp_cli_jobs("grade", jobs, &o->jobs);
    return -1;
}

/* ------------------------------------------------------------- threads */

/* Items are taken in index order; each runs exactly once. */
typedef void (*task_fn)(void *ctx, size_t i, size_t worker);

typedef struct pool {
    task_fn fn;
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

/* fn(ctx, i, worker) for every i < n on up to jobs threads, the caller's
 * included; worker (< jobs) tells the threads apart. */
static void parallel_for(size_t n, unsigned jobs, task_fn fn, void *ctx)
{
    pool p = {fn, ctx, n, 0};
    size_t extra = jobs > 1 ? jobs - 1 : 0;
    if (extra > n)
        extra = n ? n - 1 : 0;
    pthread_t th[MAX_JOBS];
    pool_arg args[MAX_JOBS];
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

/* ------------------------------------------------------------- rubrics */

/* The rubrics of one run: the one given, or those found for transcripts,
 * each loaded and solved once (under mu) and then shared read-only. */
typedef struct rubrics {
    pthread_mutex_t mu;
    const char *dir;
    rp_rubric *given;  /* --rubric (owned) */
    rp_rubric *sticky; /* streaming: the first one found, reused (in found) */
    bool make_sticky;
    unsigned jobs;     /* threads for solving (--jobs) */
    rp_rubric **found; /* owned */
    char **paths;      /* found[i] came from paths[i] (malloc) */
    size_t n_found;
} rubrics;

static void rubrics_free(rubrics *rb)
{
    for (size_t i = 0; i < rb->n_found; i++) {
        rp_rubric_free(rb->found[i]);
        free(rb->paths[i]);
    }
    free(rb->found);
    free(rb->paths);
    rp_rubric_free(rb->given);
    pthread_mutex_destroy(&rb->mu);
}

/* The solved rubric to grade t with, in *out (owned by rb). */
static rp_status rubric_for(rubrics *rb, const rp_transcript *t, rp_rubric **out, rp_diags *d)
{
    *out = rb->given ? rb->given : rb->sticky;
    if (*out)
        return RP_OK;
    char *path = NULL;
    rp_status st = rp_rubric_find_path(t, rb->dir, &path, d);
    if (st != RP_OK)
        return st;
    pthread_mutex_lock(&rb->mu);
    for (size_t i = 0; i < rb->n_found && !*out; i++)
        if (strcmp(rb->paths[i], path) == 0)
            *out = rb->found[i];
    if (!*out) {
        rp_rubric *r = NULL;
        rp_rubric **nf = realloc(rb->found, (rb->n_found + 1) * sizeof *nf);
        if (nf)
            rb->found = nf;
        char **np = realloc(rb->paths, (rb->n_found + 1) * sizeof *np);
        if (np)
            rb->paths = np;
        if (!nf || !np)
            st = RP_ENOMEM;
        if (st == RP_OK)
            st = rp_rubric_load(path, &r, d);
        if (st == RP_OK) {
            /* the other graders wait on rb->mu: lend them to the solve */
            rp_solve_opts so = {rb->jobs};
            st = rp_rubric_solve_opts(r, &so, d);
        }
        if (st == RP_OK) {
            rb->found[rb->n_found] = r;
            rb->paths[rb->n_found++] = path;
            path = NULL;
            *out = r;
        } else {
            rp_rubric_free(r);
        }
    }
    if (*out && rb->make_sticky)
        rb->sticky = *out;
    pthread_mutex_unlock(&rb->mu);
    free(path);
    return st;
}

/* What every grading task shares (read-only while threads run, except rb
 * under its mutex). */
typedef struct run {
    const gopts *o;
    rubrics rb;
    rp_ingest_opts io;
    rp_grade_opts go;
} run;

/* The grading options of worker w (all share R->go, memo included). */
static rp_grade_opts worker_opts(const run *R, size_t w)
{
    (void)w;
    return R->go;
}

/* ----------------------------------------------------------- file mode */

/* One input: read in phase 1. */
typedef struct file_item {
    rp_transcript_set ts;
    rp_status st;
    rp_diags d;
    rp_buf *pre; /* standard input already read (a stream that was not JSONL) */
} file_item;

/* One conversation: graded in phase 2. */
typedef struct conv_item {
    rp_transcript *t;
    size_t file;
    rp_report *rep;
    rp_status st;
    rp_diags d;
} conv_item;

typedef struct file_run {
    run *R;
    file_item *files;
    conv_item *convs;
} file_run;

static void ingest_task(void *ctx, size_t i, size_t worker)
{
    (void)worker;
    file_run *F = ctx;
    file_item *it = &F->files[i];
    const char *path = F->R->o->files[i];
    if (it->pre)
        it->st = rp_ingest_buffer("<stdin>", it->pre->data ? it->pre->data : "", it->pre->len,
                                  &F->R->io, &it->ts, &it->d);
    else
        it->st = rp_ingest_path(path, &F->R->io, &it->ts, &it->d);
}

static void grade_task(void *ctx, size_t i, size_t worker)
{
    file_run *F = ctx;
    conv_item *c = &F->convs[i];
    rp_rubric *r = NULL;
    rp_grade_opts go = worker_opts(F->R, worker);
    c->st = rubric_for(&F->R->rb, c->t, &r, &c->d);
    if (c->st == RP_OK)
        c->st = rp_grade_transcript(c->t, r, &go, &c->rep, &c->d);
}

/* Render the reports in the chosen format and write them atomically. */
static rp_status render_all(const gopts *o, rp_report_set *reports, rp_diags *d)
{
    rp_buf out;
    rp_buf_init(&out, 0);
    rp_status st = RP_OK;
    bool color = !o->out_path && rp_report_color_wanted(1);
    if (strcmp(o->format, "json") == 0) {
        if (reports->n == 1) {
            st = rp_report_write_json(reports->items[0], true, &out);
            if (st == RP_OK)
                st = rp_buf_putc(&out, '\n');
        } else {
            st = rp_reports_write_json(reports->items, reports->n, &out);
        }
    } else if (strcmp(o->format, "jsonl") == 0) {
        st = rp_reports_write_jsonl(reports->items, reports->n, &out);
    } else if (strcmp(o->format, "html") == 0) {
        /* one page for every report */
        st = rp_reports_render_html(reports->items, reports->n, NULL, &out);
    } else {
        for (size_t i = 0; i < reports->n && st == RP_OK; i++) {
            if (i)
                st = rp_buf_putc(&out, '\n');
            if (st != RP_OK)
                break;
            if (strcmp(o->format, "md") == 0)
                st = rp_report_render_md(reports->items[i], &out);
            else
                st = rp_report_render_text(reports->items[i], color, &out);
        }
    }
    if (st == RP_OK)
        st = rp_write_atomic(o->out_path ? o->out_path : "-", out.data ? out.data : "", out.len,
                             d);
    rp_buf_free(&out);
    return st;
}

static void print_diags(const rp_diags *d)
{
    if (d->head)
        rp_diags_print(d, stderr);
}

/* Grade whole inputs: read them all (in parallel), grade every
 * conversation (in parallel), then merge in input order exactly as a
 * sequential run would: without --keep-going the first input that fails
 * ends the run. */
static int grade_files(run *R, rp_buf *stdin_pre)
{
    const gopts *o = R->o;
    file_run F = {R, calloc(o->nfiles, sizeof *F.files), NULL};
    if (!F.files)
        return RP_EXIT_INTERNAL;
    int rc = RP_EXIT_OK;
    for (size_t f = 0; f < o->nfiles; f++) {
        if (rp_diags_init(&F.files[f].d) != RP_OK)
            rc = RP_EXIT_INTERNAL;
        if (stdin_pre && strcmp(o->files[f], "-") == 0)
            F.files[f].pre = stdin_pre;
    }
    size_t nconv = 0;
    if (rc == RP_EXIT_OK) {
        parallel_for(o->nfiles, o->jobs, ingest_task, &F);
        for (size_t f = 0; f < o->nfiles; f++)
            nconv += F.files[f].ts.n;
        F.convs = calloc(nconv + 1, sizeof *F.convs);
        if (!F.convs)
            rc = RP_EXIT_INTERNAL;
    }
    if (rc == RP_EXIT_OK) {
        size_t k = 0;
        for (size_t f = 0; f < o->nfiles; f++)
            for (size_t j = 0; j < F.files[f].ts.n; j++, k++) {
                F.convs[k].t = F.files[f].ts.items[j];
                F.convs[k].file = f;
                if (rp_diags_init(&F.convs[k].d) != RP_OK)
                    rc = RP_EXIT_INTERNAL;
            }
    }
    if (rc == RP_EXIT_OK)
        parallel_for(nconv, o->jobs, grade_task, &F);

    /* merge in input order */
    rp_report_set reports;
    rp_report_set_init(&reports);
    size_t reached = 0; /* inputs whose results count */
    size_t k = 0;
    for (size_t f = 0; f < o->nfiles && rc != RP_EXIT_INTERNAL; f++) {
        file_item *it = &F.files[f];
        reached = f + 1;
        if (it->st != RP_OK) {
            rc = rp_status_exit(it->st);
            if (!o->keep_going)
                break;
            continue;
        }
        for (size_t j = 0; j < it->ts.n; j++, k++) {
            conv_item *c = &F.convs[k];
            if (c->st != RP_OK) {
                rc = rp_status_exit(c->st);
                continue;
            }
            if (rp_report_set_push(&reports, c->rep) != RP_OK)
                rc = RP_EXIT_INTERNAL;
            c->rep = NULL;
        }
        /* the set keeps the transcripts the reports refer to */
        for (size_t j = 0; j < it->ts.n; j++)
            rp_transcript_set_push(&reports.transcripts, it->ts.items[j]);
        free(it->ts.items);
        it->ts.items = NULL;
        it->ts.n = 0;
        if (rc != RP_EXIT_OK && !o->keep_going)
            break;
    }
    rp_diags d;
    bool dok = rp_diags_init(&d) == RP_OK;
    if (dok && (rc == RP_EXIT_OK || (o->keep_going && reports.n))) {
        rp_status st = render_all(o, &reports, &d);
        if (st != RP_OK && rc == RP_EXIT_OK)
            rc = rp_status_exit(st);
    }
    /* diagnostics in input order, as a sequential run prints them */
    k = 0;
    for (size_t f = 0; f < o->nfiles; f++) {
        file_item *it = &F.files[f];
        if (f < reached)
            print_diags(&it->d);
        while (k < nconv && F.convs[k].file == f) {
            if (f < reached)
                print_diags(&F.convs[k].d);
            rp_report_free(F.convs[k].rep);
            rp_diags_free(&F.convs[k].d);
            k++;
        }
        rp_transcript_set_free(&it->ts);
        rp_diags_free(&it->d);
    }
    if (dok) {
        print_diags(&d);
        rp_diags_free(&d);
    }
    rp_report_set_free(&reports);
    free(F.convs);
    free(F.files);
    return rc;
}

/* ------------------------------------------------------------- streams */

/* Standard input read in chunks, handed out line by line. */
typedef struct reader {
    int fd;
    char buf[READ_CHUNK];
    size_t pos, len;
    bool eof;
    int err;            /* errno of a failed read, else 0 */
    unsigned long line; /* number of the last line returned */
} reader;

static bool reader_fill(reader *r)
{
    if (r->eof)
        return false;
    for (;;) {
        ssize_t k = read(r->fd, r->buf, sizeof r->buf);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            r->err = errno;
        if (k <= 0) {
            r->eof = true;
            return false;
        }
        r->pos = 0;
        r->len = (size_t)k;
        return true;
    }
}

/* Append the next line to b (no newline kept).  Returns 1 for a line, 0 at
 * the end of the input, -1 for a line longer than max or than b can hold
 * (its whole text is consumed and dropped: b is as before). */
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
    run *R;
    size_t max_line;
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    slot *slots;
    size_t W;                    /* slots */
    size_t next_read, next_grab, next_write; /* sequence numbers */
    bool quit;
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
static rp_status grade_line(stream *S, slot *s, const line_ref *l, const rp_grade_opts *go)
{
    run *R = S->R;
    if (l->too_long) {
        rp_diag_add(&s->d, "<stdin>", (unsigned)l->line, 0,
                    "line longer than the limit of %zu bytes", S->max_line);
        return RP_ELIMIT;
    }
    const char *text = s->in.data + l->off;
    rp_ingest_opts io = R->io;
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
    rp_status st = rp_ingest_buffer("<stdin>", text, l->len, &io, &ts, &s->d);
    for (size_t k = 0; st == RP_OK && k < ts.n; k++) {
        rp_rubric *r = NULL;
        rp_report *rep = NULL;
        st = rubric_for(&R->rb, ts.items[k], &r, &s->d);
        if (st == RP_OK)
            st = rp_grade_transcript(ts.items[k], r, go, &rep, &s->d);
        if (st == RP_OK)
            st = rp_report_write_json(rep, false, &s->out);
        if (st == RP_OK)
            st = rp_buf_putc(&s->out, '\n');
        rp_report_free(rep);
    }
    rp_transcript_set_free(&ts);
    shift_lines(before ? before->next : s->d.head, l->line);
    if (st != RP_OK)
        rp_buf_truncate(&s->out, out0);
    return st;
}

/* Grade the batch of s (on worker w).  Without --keep-going the lines after
 * a failing one are not graded: the stream stops there. */
static void grade_batch(stream *S, slot *s, size_t w)
{
    rp_grade_opts go = worker_opts(S->R, w);
    s->st = RP_OK;
    s->ok = 0;
    if (rp_diags_init(&s->d) != RP_OK) {
        s->st = RP_ENOMEM;
        return;
    }
    for (size_t i = 0; i < s->n; i++) {
        rp_status st = grade_line(S, s, &s->lines[i], &go);
        if (st == RP_OK) {
            s->ok++;
            continue;
        }
        if (s->st == RP_OK)
            s->st = st;
        if (!S->R->o->keep_going)
            break;
    }
}

typedef struct stream_arg {
    stream *S;
    size_t worker;
} stream_arg;

static void *stream_worker(void *arg)
{
    stream *S = ((stream_arg *)arg)->S;
    size_t w = ((stream_arg *)arg)->worker;
    pthread_mutex_lock(&S->mu);
    for (;;) {
        while (S->next_grab == S->next_read && !S->quit)
            pthread_cond_wait(&S->work, &S->mu);
        if (S->next_grab == S->next_read)
            break;
        slot *s = &S->slots[S->next_grab++ % S->W];
        pthread_mutex_unlock(&S->mu);
        grade_batch(S, s, w);
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
static void emit(stream *S, slot *s, FILE *out, int *rc, bool *stop, size_t *emitted)
{
    if (!*stop) {
        if (s->out.len && fwrite(s->out.data, 1, s->out.len, out) != s->out.len && *rc == 0)
            *rc = RP_EXIT_INTERNAL;
        *emitted += s->ok;
        print_diags(&s->d);
        if (s->st != RP_OK) {
            if (*rc == RP_EXIT_OK)
                *rc = rp_status_exit(s->st);
            if (!S->R->o->keep_going)
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

/* Open the output of a stream: standard output, or a temporary file beside
 * OUT renamed over it at the end (so OUT is never half written). */
static FILE *stream_open(const char *out_path, char **tmp)
{
    *tmp = NULL;
    if (!out_path || strcmp(out_path, "-") == 0)
        return stdout;
    size_t n = strlen(out_path) + 16;
    *tmp = malloc(n);
    if (!*tmp)
        return NULL;
    snprintf(*tmp, n, "%s.XXXXXX", out_path);
    int fd = mkstemp(*tmp);
    if (fd < 0) {
        free(*tmp);
        *tmp = NULL;
        return NULL;
    }
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        unlink(*tmp);
        free(*tmp);
        *tmp = NULL;
    }
    return f;
}

/* Grade a JSONL stream from standard input; first holds its first line
 * (already read, line 1 of r's count).  See the top of the file. */
static int grade_stream(run *R, reader *rd, rp_buf *first)
{
    const gopts *o = R->o;
    stream S;
    memset(&S, 0, sizeof S);
    S.R = R;
    S.max_line = R->io.max_line ? R->io.max_line : RP_MAX_LINE_DEFAULT;
    S.W = o->jobs > 1 ? 4 * (size_t)o->jobs : 1;
    S.slots = calloc(S.W, sizeof *S.slots);
    if (!S.slots)
        return RP_EXIT_INTERNAL;
    for (size_t i = 0; i < S.W; i++) {
        /* room for a batch and the line that passes BATCH_BYTES, NULs
         * included */
        rp_buf_init(&S.slots[i].in, BATCH_BYTES + S.max_line + BATCH_LINES + 1);
        rp_buf_init(&S.slots[i].out, 0);
    }
    bool have_first = true;

    char *tmp = NULL;
    FILE *out = stream_open(o->out_path, &tmp);
    if (!out) {
        fprintf(stderr, "%s: cannot create the output file: %s\n", o->out_path, strerror(errno));
        for (size_t i = 0; i < S.W; i++) {
            rp_buf_free(&S.slots[i].in);
            rp_buf_free(&S.slots[i].out);
        }
        free(S.slots);
        return RP_EXIT_BADINPUT;
    }
    pthread_mutex_init(&S.mu, NULL);
    pthread_cond_init(&S.work, NULL);
    pthread_cond_init(&S.done, NULL);
    R->rb.make_sticky = true;

    pthread_t th[MAX_JOBS];
    stream_arg targ[MAX_JOBS];
    size_t nth = 0;
    bool eof = false, stop = false, threads = false;
    int rc = RP_EXIT_OK;
    size_t emitted = 0;
    pthread_mutex_lock(&S.mu);
    for (;;) {
        /* write finished batches in order */
        while (S.next_write < S.next_read && S.slots[S.next_write % S.W].state == SLOT_DONE) {
            slot *s = &S.slots[S.next_write % S.W];
            pthread_mutex_unlock(&S.mu);
            emit(&S, s, out, &rc, &stop, &emitted);
            pthread_mutex_lock(&S.mu);
            S.next_write++;
        }
        if (S.next_write == S.next_read && (eof || stop))
            break;
        /* the rubric comes from the first conversation: grade inline until
         * it is known, then start the threads */
        if (!threads && o->jobs > 1 && (R->rb.given || R->rb.sticky)) {
            /* the caller grades no more from now on: it reads and writes */
            for (; nth < o->jobs; nth++) {
                targ[nth] = (stream_arg){&S, nth};
                if (pthread_create(&th[nth], NULL, stream_worker, &targ[nth]) != 0)
                    break;
            }
            threads = nth > 0;
        }
        if (!eof && !stop && S.next_read - S.next_write < (threads ? S.W : 1)) {
            if (!reader_ready(rd)) {
                /* the input is slow: write what is graded before waiting
                 * for it, so that every report is out as soon as it can
                 * be */
                bool busy = S.next_write < S.next_read;
                pthread_mutex_unlock(&S.mu);
                fflush(out);
                pthread_mutex_lock(&S.mu);
                if (busy) {
                    if (S.slots[S.next_write % S.W].state != SLOT_DONE)
                        pthread_cond_wait(&S.done, &S.mu);
                    continue;
                }
            }
            slot *s = &S.slots[S.next_read % S.W];
            pthread_mutex_unlock(&S.mu);
            size_t got = fill_batch(&S, rd, s, have_first ? first : NULL);
            have_first = false;
            if (got != 0 && !threads) {
                grade_batch(&S, s, 0);
                s->state = SLOT_DONE;
            }
            pthread_mutex_lock(&S.mu);
            if (got == 0) {
                eof = true;
                continue;
            }
            if (threads) {
                s->state = SLOT_READY;
                pthread_cond_signal(&S.work);
            } else {
                S.next_grab++;
            }
            S.next_read++;
            continue;
        }
        pthread_mutex_unlock(&S.mu);
        fflush(out);
        pthread_mutex_lock(&S.mu);
        if (S.next_write < S.next_read && S.slots[S.next_write % S.W].state != SLOT_DONE)
            pthread_cond_wait(&S.done, &S.mu);
    }
    S.quit = true;
    pthread_cond_broadcast(&S.work);
    pthread_mutex_unlock(&S.mu);
    for (size_t i = 0; i < nth; i++)
        pthread_join(th[i], NULL);

    if (rd->err) {
        fprintf(stderr, "<stdin>: cannot read: %s\n", strerror(rd->err));
        if (rc == RP_EXIT_OK)
            rc = rp_status_exit(RP_EIO);
    }
    if (fflush(out) != 0 || ferror(out)) {
        fprintf(stderr, "%s: cannot write: %s\n", tmp ? o->out_path : "<stdout>",
                strerror(errno));
        if (rc == RP_EXIT_OK)
            rc = rp_status_exit(RP_EIO);
    }
    if (tmp) {
        bool keep = rc == RP_EXIT_OK || (o->keep_going && emitted);
        if (fclose(out) != 0)
            keep = false;
        if (keep && rename(tmp, o->out_path) != 0) {
            fprintf(stderr, "%s: cannot write: %s\n", o->out_path, strerror(errno));
            keep = false;
            if (rc == RP_EXIT_OK)
                rc = rp_status_exit(RP_EIO);
        }
        if (!keep)
            unlink(tmp);
        free(tmp);
    }
    for (size_t i = 0; i < S.W; i++) {
        rp_buf_free(&S.slots[i].in);
        rp_buf_free(&S.slots[i].out);
        rp_diags_free(&S.slots[i].d);
    }
    free(S.slots);
    pthread_cond_destroy(&S.work);
    pthread_cond_destroy(&S.done);
    pthread_mutex_destroy(&S.mu);
    return rc;
}

/* Standard input with --format jsonl: stream it when its first line is a
 * JSON object (no longer than the line limit), else read it whole into
 * *pre (*have_pre set) for grade_files. */
static int grade_stdin(run *R, bool *streamed, rp_buf *pre, bool *have_pre)
{
    *streamed = *have_pre = false;
    reader *rd = calloc(1, sizeof *rd);
    if (!rd)
        return RP_EXIT_INTERNAL;
    rd->fd = STDIN_FILENO;
    size_t max_line = R->io.max_line ? R->io.max_line : RP_MAX_LINE_DEFAULT;
    size_t max = R->io.max_bytes ? R->io.max_bytes : RP_MAX_INPUT_DEFAULT;
    rp_buf first;
    rp_buf_init(&first, max + 1);
    int got;
    do {
        rp_buf_truncate(&first, 0);
        got = reader_line(rd, &first, SIZE_MAX);
    } while (got == 1 && blank(first.data, first.len));
    int rc = RP_EXIT_OK;
    size_t bom = first.len >= 3 && memcmp(first.data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    if (got == 1 && first.len - bom <= max_line && jsonl_line(first.data, first.len)) {
        *streamed = true;
        if (bom) {
            memmove(first.data, first.data + bom, first.len - bom);
            first.len -= bom;
        }
        first.max = max_line;
        rc = grade_stream(R, rd, &first);
    } else {
        /* not a stream of objects: the whole input, as `grade -` reads it
         * (blank lines before the first one kept for line numbers) */
        *have_pre = true;
        rp_buf_init(pre, max + 1);
        rp_status st = RP_OK;
        for (unsigned long i = 1; i < rd->line && st == RP_OK; i++)
            st = rp_buf_putc(pre, '\n');
        if (st == RP_OK && got != 0)
            st = rp_buf_append(pre, first.data ? first.data + (rd->line <= 1 ? bom : 0) : "",
                               first.len - (rd->line <= 1 ? bom : 0));
        /* the first line ended in a newline unless the input ended with it */
        if (st == RP_OK && got != 0 && (rd->pos < rd->len || !rd->eof))
            st = rp_buf_putc(pre, '\n');
        if (st == RP_OK)
            st = rp_buf_append(pre, rd->buf + rd->pos, rd->len - rd->pos);
        rp_diags d;
        if (rp_diags_init(&d) != RP_OK) {
            rc = RP_EXIT_INTERNAL;
        } else {
            if (st != RP_OK)
                rp_diag_add(&d, "<stdin>", 0, 0,
                            "file larger than %zu bytes (raise the limit with --max-input)", max);
            else if (!rd->eof)
                st = rp_file_read("-", max, 0, pre, &d);
            if (st != RP_OK) {
                rc = rp_status_exit(st);
                print_diags(&d);
            }
            rp_diags_free(&d);
        }
    }
    rp_buf_free(&first);
    free(rd);
    return rc;
}

int rp_cmd_grade(int argc, char **argv)
{
    gopts o;
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0) {
        free(o.files);
        return rc;
    }
    run R;
    memset(&R, 0, sizeof R);
    R.o = &o;
    pthread_mutex_init(&R.rb.mu, NULL);
    char dirbuf[PATH_MAX + 16];
    R.rb.dir = rubrics_dir(dirbuf, sizeof dirbuf);
    R.rb.jobs = o.jobs;
    R.io = o.limits;
    R.io.format = o.input_format;
    R.go.model = o.model;
    R.go.judge_url = o.judge;
    R.go.judge_model = o.judge_model;
    R.go.cache_dir = o.judge_cache;
    R.go.no_cache = o.no_cache;
    rc = RP_EXIT_OK;
    if (!o.no_memo)
        R.go.memo = rp_grade_memo_new(0); /* shared by the threads; NULL: none */
    if (o.rubric_path) {
        rp_diags d;
        if (rp_diags_init(&d) != RP_OK) {
            rubrics_free(&R.rb);
            free(o.files);
            return RP_EXIT_INTERNAL;
        }
        rp_status st = rp_rubric_load(o.rubric_path, &R.rb.given, &d);
        if (st == RP_OK) {
            rp_solve_opts so = {R.rb.jobs};
            st = rp_rubric_solve_opts(R.rb.given, &so, &d);
        }
        if (st != RP_OK) {
            print_diags(&d);
            rc = rp_status_exit(st);
        }
        rp_diags_free(&d);
    }
    if (rc == RP_EXIT_OK) {
        bool streamed = false, have_pre = false;
        rp_buf pre;
        rp_buf_init(&pre, 0);
        if (o.nfiles == 1 && strcmp(o.files[0], "-") == 0 && strcmp(o.format, "jsonl") == 0)
            rc = grade_stdin(&R, &streamed, &pre, &have_pre);
        if (!streamed && rc == RP_EXIT_OK)
            rc = grade_files(&R, have_pre ? &pre : NULL);
        rp_buf_free(&pre);
    }
    if (getenv("REDPEN_MEMO_STATS")) {
        size_t hits, misses;
        rp_grade_memo_stats(R.go.memo, &hits, &misses);
        fprintf(stderr, "memo: %zu hits, %zu misses\n", hits, misses);
    }
    rp_grade_memo_free(R.go.memo);
    rubrics_free(&R.rb);
    free(o.files);
    return rc;
}
