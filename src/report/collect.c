/*
 * Reading saved reports for `redpen compare`: a saved JSON report (one
 * object, {"reports": [...]}) is loaded, JSON Lines of reports are read as
 * a stream and folded one line at a time.  Anything else is handed back to
 * the caller (the pipeline), which reads it as transcripts and grades it:
 * report renders and reads reports, it never grades.  Every report gets a
 * readable model name: --model, the grader's, the transcript's, or a guess
 * from the file name.
 */
#include "report_int.h"
#include "redpen/bytes.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

const char *rp_report_model_guess(const char *path, rp_arena *a)
{
    return rp_grade_model_guess(path, a);
}

const char *rp_annotated_page_name(const char *path, rp_arena *a)
{
    if (!path || strcmp(path, "-") == 0 || strcmp(path, "<stdin>") == 0)
        return NULL;
    size_t n = strlen(path);
    while (n > 0 && path[n - 1] == '/')
        n--;
    size_t b = n;
    while (b > 0 && path[b - 1] != '/')
        b--;
    size_t e = n;
    for (size_t k = n; k > b + 1; k--)
        if (path[k - 1] == '.') {
            e = k - 1;
            break;
        }
    if (e == b)
        return NULL;
    rp_buf name;
    rp_buf_init(&name, 0);
    const char *out = NULL;
    if (rp_buf_append(&name, path + b, e - b) == RP_OK && rp_buf_puts(&name, ".annotated.html") == RP_OK)
        out = rp_arena_strdup(a, name.data);
    rp_buf_free(&name);
    return out;
}

rp_status rp_report_name_model(rp_report *r, const char *path, const char *override)
{
    rp_naming n = {override, NULL, NULL};
    return rp_report_name(r, path, &n);
}

/* The naming of o: its own, else by model with o->model. */
static rp_status name_report(rp_report *r, const char *path, const rp_collect_opts *o)
{
    rp_naming n = {o->model, NULL, NULL};
    return rp_report_name(r, path, o->naming ? o->naming : &n);
}

/* ------------------------------------------------------------ streaming */

#define CHUNK ((size_t)1 << 20) /* bytes asked of one read() */

/* An input read in chunks and cut into lines.  buf[start..end) is read and
 * not yet handed out; while keep is set nothing is dropped from buf, so
 * offsets of lines handed out stay valid (deciding how to read a file may
 * need all of it).  A line longer than max_line bytes is refused as
 * rp_text_check() refuses it, so buf (doubling as it grows) stays below
 * 2 × (max_line + CHUNK) once streaming. */
typedef struct lines {
    int fd;
    const char *label;   /* the path, or "<stdin>" */
    char *buf;           /* owned */
    size_t start, end, cap;
    size_t scanned;      /* buf[start..scanned) has no newline */
    size_t max_line;
    size_t raw;          /* bytes read from fd */
    unsigned line;       /* number of the line last handed out */
    bool eof, keep;
} lines;

/* Read one more chunk into L->buf (making room first). */
static rp_status lines_fill(lines *L, rp_diags *d)
{
    if (!L->keep && L->start > 0) {
        memmove(L->buf, L->buf + L->start, L->end - L->start);
        L->scanned -= L->start;
        L->end -= L->start;
        L->start = 0;
    }
    if (L->cap - L->end < CHUNK) {
        size_t nc = L->cap ? 2 * L->cap : 2 * CHUNK;
        while (nc - L->end < CHUNK)
            nc *= 2;
        char *nb = realloc(L->buf, nc);
        if (!nb) {
            rp_diag_add(d, L->label, 0, 0, "cannot hold the file in memory: %s", rp_strerror(RP_ENOMEM));
            return RP_ENOMEM;
        }
        L->buf = nb;
        L->cap = nc;
    }
    for (;;) {
        ssize_t r = read(L->fd, L->buf + L->end, CHUNK);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rp_diag_add(d, L->label, 0, 0, "cannot read: %s", strerror(errno));
            return RP_EIO;
        }
        /* a UTF-8 byte order mark at the very start is dropped, as
           rp_file_read() drops it (once 3 bytes are in: a pipe may give
           fewer at a time; nothing is handed out before a newline) */
        size_t before = L->raw;
        L->raw += (size_t)r;
        L->end += (size_t)r;
        L->eof = r == 0;
        if (before < 3 && L->raw >= 3 && L->start == 0 && memcmp(L->buf, "\xEF\xBB\xBF", 3) == 0) {
            memmove(L->buf, L->buf + 3, L->end - 3);
            L->end -= 3;
            L->scanned = 0;
        }
        return RP_OK;
    }
}

/* The next line (without its newline) as buf[*off..*off + *n); *got false
 * at the end of the input. */
static rp_status lines_next(lines *L, size_t *off, size_t *n, bool *got, rp_diags *d)
{
    *got = false;
    for (;;) {
        char *nl = L->end > L->scanned ? memchr(L->buf + L->scanned, '\n', L->end - L->scanned) : NULL;
        size_t e = nl ? (size_t)(nl - L->buf) : L->end;
        if (e - L->start > L->max_line) {
            rp_diag_add(d, L->label, L->line + 1, 1,
                        "line longer than %zu bytes (raise the limit with --max-line)", L->max_line);
            return RP_ELIMIT;
        }
        L->scanned = e;
        if (nl || (L->eof && L->end > L->start)) {
            *off = L->start;
            *n = e - L->start;
            L->start = L->scanned = nl ? e + 1 : e;
            L->line++;
            *got = true;
            return RP_OK;
        }
        if (L->eof)
            return RP_OK;
        rp_status st = lines_fill(L, d);
        if (st != RP_OK)
            return st;
    }
}

static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return false;
    return true;
}

/* The next line that is not blank (JSON Lines skip those). */
static rp_status lines_next_content(lines *L, size_t *off, size_t *n, bool *got, rp_diags *d)
{
    rp_status st;
    do
        st = lines_next(L, off, n, got, d);
    while (st == RP_OK && *got && blank(L->buf + *off, *n));
    return st;
}

/* Whether the line s[0..n) on its own starts a stream of saved reports:
 * it parses as JSON, and unless saved_only, as a report object (what
 * rp_report_json_detect() asks of the first line of JSON Lines). */
static bool starts_stream(const char *s, size_t n, bool saved_only)
{
    cJSON *o = cJSON_ParseWithLength(s, n);
    bool yes = o && (saved_only || (cJSON_IsObject(o) && cJSON_GetObjectItemCaseSensitive(o, "schema") &&
                                    cJSON_GetObjectItemCaseSensitive(o, "parts")));
    cJSON_Delete(o);
    return yes;
}

/* Move the diagnostics of one line (read on its own, at some line or at
 * none) to d at line number line. */
static void move_diags(rp_diags *from, unsigned line, rp_diags *d)
{
    for (const rp_diag *g = from->head; g; g = g->next) {
        if (g->path)
            rp_diag_add(d, g->file, line, g->col, "%s: %s", g->path, g->msg);
        else
            rp_diag_add(d, g->file, line, g->col, "%s", g->msg);
    }
    rp_diags_free(from);
    rp_diags_init(from);
}

/* What folding a stream of saved reports needs beside the lines. */
typedef struct stream {
    const char *path;
    const rp_collect_opts *o;
    rp_compare *c;
    rp_diags scratch; /* the diagnostics of one line, before move_diags() */
    rp_buf one;       /* one line, then the empty report (see fold_line) */
    rp_diags *d;
} stream;

/* Whether s[0..n) is all ASCII without NUL bytes: text that
 * rp_text_check() has nothing to refuse in (lines are short enough by
 * then), so only the other lines need its byte-by-byte walk.  Eight bytes
 * at a time (redpen/bytes.h). */
static bool plain_ascii(const char *s, size_t n)
{
    uint64_t bad = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w = rp_load8(s + i);
        bad |= rp_bytes_high(w) | rp_bytes_below(w, 1);
    }
    for (; i < n; i++)
        bad |= (unsigned char)s[i] >= 0x80 || s[i] == 0;
    return !bad;
}

/* While a line is read, cJSON takes the memory of the line's tree from an
 * arena freed with the line (rp_cjson_arena()): one block now and then
 * instead of a malloc and a free for every value (they were half the cost
 * of reading a report).  rp_report_load_json() deletes the tree while the
 * arena is still set, which frees nothing one by one.  The arena has the
 * default cap of every arena. */
static rp_status load_in_arena(const char *path, const rp_buf *b, rp_report_set *set, rp_diags *d)
{
    rp_arena *a = rp_arena_new(0);
    if (!a)
        return RP_ENOMEM;
    rp_arena *before = rp_cjson_arena(a);
    rp_status st = rp_report_load_json(path, b->data, b->len, set, d);
    rp_cjson_arena(before);
    rp_arena_free(a);
    return st;
}

/* Fold the saved report of line number line, s[0..n), into the comparison.
 * The line goes to rp_report_load_json() after a line holding an empty
 * report, so that it is read as a later line of JSON Lines, exactly as
 * within the whole file (alone it would be a whole document: {"reports":
 * [...]} accepted, diagnostics without a line number); the empty report
 * costs next to nothing and is dropped. */
static rp_status fold_line(stream *S, const lines *L, const char *s, size_t n, unsigned line)
{
    static const char empty_report[] = "{\"schema\":1,\"parts\":[]}\n";
    rp_report_set set;
    rp_report_set_init(&set);
    rp_buf_clear(&S->one);
    rp_status st = plain_ascii(s, n) ? RP_OK : rp_text_check(L->label, s, n, 0, &S->scratch);
    if (st == RP_OK)
        st = rp_buf_append(&S->one, empty_report, sizeof empty_report - 1);
    if (st == RP_OK)
        st = rp_buf_append(&S->one, s, n);
    if (st == RP_OK)
        st = load_in_arena(S->path, &S->one, &set, &S->scratch);
    if (st == RP_OK && set.n != 2)
        st = RP_EINTERNAL;
    if (st == RP_OK)
        st = name_report(set.items[1], S->path, S->o);
    if (st == RP_OK)
        (void)rp_compare_add(S->c, set.items[1]); /* a failure sticks in c */
    rp_report_set_free(&set);
    if (S->scratch.n)
        move_diags(&S->scratch, line, S->d);
    return st;
}

/* The rest of the stream of saved reports, from the two first lines on. */
static rp_status fold_stream(const char *path, lines *L, const size_t off[2], const size_t len[2],
                             const unsigned at[2], const rp_collect_opts *o, rp_compare *c,
                             rp_diags *d)
{
    stream S = {path, o, c, {0}, {0}, d};
    if (rp_diags_init(&S.scratch) != RP_OK)
        return RP_ENOMEM;
    rp_buf_init(&S.one, 0);
    rp_status st = RP_OK, failed = RP_OK;
    bool got = true;
    for (int i = 0; got; i++) {
        size_t s = i < 2 ? off[i] : 0, n = i < 2 ? len[i] : 0;
        unsigned line = i < 2 ? at[i] : 0;
        if (i >= 2) {
            st = lines_next_content(L, &s, &n, &got, d);
            line = L->line;
            if (st != RP_OK || !got)
                break;
        }
        L->keep = false;
        st = fold_line(&S, L, L->buf + s, n, line);
        if (st != RP_OK && o->keep_going && st != RP_ENOMEM && st != RP_EINTERNAL) {
            failed = failed == RP_OK ? st : failed;
            st = RP_OK;
        }
        if (st != RP_OK)
            break;
    }
    rp_diags_free(&S.scratch);
    rp_buf_free(&S.one);
    return st != RP_OK ? st : failed;
}

/* Read the rest of L into its buffer (the whole input: L->keep is set),
 * within max_bytes, and check it is text, as rp_file_read() does. */
static rp_status lines_slurp(lines *L, size_t max_bytes, rp_diags *d)
{
    struct stat sb;
    if (fstat(L->fd, &sb) == 0 && S_ISREG(sb.st_mode) && (uint64_t)sb.st_size > max_bytes) {
        rp_diag_add(d, L->label, 0, 0,
                    "file is %llu bytes, larger than the limit of %zu (raise it with --max-input)",
                    (unsigned long long)sb.st_size, max_bytes);
        return RP_ELIMIT;
    }
    while (!L->eof) {
        rp_status st = lines_fill(L, d);
        if (st != RP_OK)
            return st;
        if (L->raw > max_bytes) {
            rp_diag_add(d, L->label, 0, 0,
                        "file larger than %zu bytes (raise the limit with --max-input)", max_bytes);
            return RP_ELIMIT;
        }
    }
    return rp_text_check(L->label, L->buf, L->end, L->max_line, d);
}

/* Fold the reports of set into c. */
static void fold_set(rp_compare *c, const rp_report_set *set)
{
    for (size_t i = 0; i < set->n; i++)
        (void)rp_compare_add(c, set->items[i]); /* a failure sticks in c */
}

/* Open path for reading as rp_file_read() does (same refusals). */
static rp_status open_input(const char *path, const char *label, int *fd, rp_diags *d)
{
    if (strcmp(path, "-") == 0) {
        *fd = STDIN_FILENO;
        return RP_OK;
    }
    *fd = open(path, O_RDONLY | O_CLOEXEC);
    if (*fd < 0) {
        rp_diag_add(d, label, 0, 0, "cannot open: %s", strerror(errno));
        return errno == ENOENT ? RP_ENOTFOUND : RP_EIO;
    }
    struct stat sb;
    if (fstat(*fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        close(*fd);
        rp_diag_add(d, label, 0, 0, "is a directory, not a transcript file");
        return RP_EINPUT;
    }
    return RP_OK;
}

/* The whole input in L (saved reports unless it is o->other's to grade):
 * saved reports (o->saved_only, or detected) are loaded and folded into c,
 * anything else is moved into o->other. */
static rp_status whole(const char *path, lines *L, const rp_collect_opts *o, rp_compare *c,
                       rp_diags *d)
{
    rp_status st = lines_slurp(L, o->ingest.max_bytes ? o->ingest.max_bytes : RP_MAX_INPUT_DEFAULT, d);
    if (st != RP_OK)
        return st;
    const char *data = L->buf ? L->buf : "";
    if (o->saved_only || rp_report_json_detect(data, L->end) || !o->other) {
        rp_report_set set;
        rp_report_set_init(&set);
        st = rp_report_load_json(path, data, L->end, &set, d);
        for (size_t i = 0; i < set.n && st == RP_OK; i++)
            st = name_report(set.items[i], path, o);
        fold_set(c, &set);
        rp_report_set_free(&set);
        return st;
    }
    /* transcripts: the caller's, with a data pointer even when empty */
    rp_buf_free(o->other);
    if (!L->buf && rp_buf_putc(o->other, '\0') == RP_OK)
        rp_buf_truncate(o->other, 0);
    if (L->buf) {
        o->other->data = L->buf;
        o->other->len = L->end;
        o->other->cap = L->cap;
        L->buf = NULL;
    }
    return o->other->data ? RP_OK : RP_ENOMEM;
}

/* How a file is read: as a stream when its first line that is not blank
 * is a whole saved report and another line follows (JSON Lines), else
 * whole (one JSON document, or transcripts: the first line alone tells too
 * little). */
rp_status rp_report_collect_into(const char *path, const rp_collect_opts *opts,
                                 rp_compare *c, rp_diags *d)
{
    rp_collect_opts none;
    memset(&none, 0, sizeof none);
    const rp_collect_opts *o = opts ? opts : &none;
    lines L;
    memset(&L, 0, sizeof L);
    L.label = strcmp(path, "-") == 0 ? "<stdin>" : path;
    L.max_line = o->ingest.max_line ? o->ingest.max_line : RP_MAX_LINE_DEFAULT;
    L.keep = true;
    rp_status st = open_input(path, L.label, &L.fd, d);
    if (st != RP_OK)
        return st;
    size_t off[2] = {0, 0}, len[2] = {0, 0};
    unsigned at[2] = {0, 0};
    bool got = false;
    st = lines_next_content(&L, &off[0], &len[0], &got, d);
    at[0] = L.line;
    bool streaming = st == RP_OK && got && starts_stream(L.buf + off[0], len[0], o->saved_only);
    if (streaming) {
        st = lines_next_content(&L, &off[1], &len[1], &got, d);
        at[1] = L.line;
        streaming = st == RP_OK && got;
    }
    if (streaming)
        st = fold_stream(path, &L, off, len, at, o, c, d);
    else if (st == RP_OK)
        st = whole(path, &L, o, c, d);
    if (L.fd != STDIN_FILENO)
        close(L.fd);
    free(L.buf);
    return st;
}
