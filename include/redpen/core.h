/*
 * redpen core: status codes, arenas, text spans, capped growable buffers,
 * diagnostics and atomic file writes.  Every other module builds on these.
 *
 * Ownership: memory from an arena lives until rp_arena_free(); an rp_buf owns
 * its data until rp_buf_free(); diagnostics live in the arena given to
 * rp_diags_init().
 */
#ifndef REDPEN_CORE_H
#define REDPEN_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REDPEN_VERSION "0.1.0"

#if defined(__GNUC__) || defined(__clang__)
#define RP_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define RP_PRINTF(a, b)
#endif

/* Status codes returned by every fallible function. */
typedef enum rp_status {
    RP_OK = 0,
    RP_ENOMEM,       /* allocation failed or an arena/buffer cap was reached */
    RP_EIO,          /* reading or writing a file failed */
    RP_EINPUT,       /* the input is malformed (binary, bad UTF-8, bad JSON, ...) */
    RP_ELIMIT,       /* the input exceeds a configured limit */
    RP_EPARSE,       /* a LaTeX or other expression could not be parsed */
    RP_ENOTFOUND,    /* a file, part or rubric was not found */
    RP_EUNSUPPORTED, /* the operation or format is not supported */
    RP_EEVAL,        /* an expression could not be evaluated (budget, domain) */
    RP_ENET,         /* a network transfer failed */
    RP_EINTERNAL     /* a bug: an invariant did not hold */
} rp_status;

/* A static English description of a status code. */
const char *rp_strerror(rp_status st);

/* Exit codes of the command-line tool (DESIGN.md). */
enum { RP_EXIT_OK = 0, RP_EXIT_FAILURES = 1, RP_EXIT_BADINPUT = 2, RP_EXIT_INTERNAL = 3 };

/* Map a status to the exit code the CLI uses for it. */
int rp_status_exit(rp_status st);

/* ---------------------------------------------------------------- spans */

/* A view into text owned elsewhere: pointer + length, not NUL-terminated. */
typedef struct rp_span {
    const char *p; /* first byte (may be NULL when n == 0) */
    size_t n;      /* length in bytes */
} rp_span;

static inline rp_span rp_span_make(const char *p, size_t n)
{
    rp_span s;
    s.p = p;
    s.n = n;
    return s;
}

rp_span rp_span_cstr(const char *s);
rp_span rp_span_trim(rp_span s); /* strip ASCII white space at both ends */
bool rp_span_eq(rp_span a, const char *lit);
bool rp_span_ieq(rp_span a, const char *lit);   /* ASCII case-insensitive */
bool rp_span_starts(rp_span a, const char *lit);
bool rp_span_istarts(rp_span a, const char *lit);

/* --------------------------------------------------------------- arenas */

/* A bump allocator.  All allocations are freed together by rp_arena_free(). */
typedef struct rp_arena rp_arena;

#define RP_ARENA_DEFAULT_CAP ((size_t)1 << 30) /* 1 GiB */

/* A new arena that refuses to grow past cap bytes (0: RP_ARENA_DEFAULT_CAP).
 * Returns NULL when out of memory. */
rp_arena *rp_arena_new(size_t cap);
void rp_arena_free(rp_arena *a);
/* Zeroed, 16-byte aligned memory; NULL when the cap is reached. */
void *rp_arena_alloc(rp_arena *a, size_t n);
/* The same, not zeroed: for callers that write it all at once (cJSON's
 * nodes and strings while ingest parses a document). */
void *rp_arena_alloc_raw(rp_arena *a, size_t n);

/* The arena cJSON takes the memory of the trees it builds on this thread
 * from (src/core/cjson_mem.c): with a set, nothing is freed one by one and
 * the trees go with a (a tree built while a was set must be deleted while
 * it is still set, or not at all); NULL: malloc and free.  Returns the
 * arena set before, to be set again after. */
rp_arena *rp_cjson_arena(rp_arena *a);
/* Grow the last or any block: returns new memory with old contents copied. */
void *rp_arena_realloc(rp_arena *a, void *old, size_t old_n, size_t new_n);
/* NUL-terminated copies in the arena; NULL when the cap is reached. */
char *rp_arena_strndup(rp_arena *a, const char *s, size_t n);
char *rp_arena_strdup(rp_arena *a, const char *s);
char *rp_arena_printf(rp_arena *a, const char *fmt, ...) RP_PRINTF(2, 3);
char *rp_arena_vprintf(rp_arena *a, const char *fmt, va_list ap);
size_t rp_arena_used(const rp_arena *a);

/* -------------------------------------------------------------- buffers */

/* A growable byte buffer with a hard maximum size.  data is always
 * NUL-terminated when non-NULL.  Owned by the caller: rp_buf_free(). */
typedef struct rp_buf {
    char *data;
    size_t len;
    size_t cap;
    size_t max; /* appends that would exceed max fail with RP_ELIMIT */
} rp_buf;

#define RP_BUF_DEFAULT_MAX ((size_t)1 << 31)

void rp_buf_init(rp_buf *b, size_t max); /* max 0: RP_BUF_DEFAULT_MAX */
void rp_buf_free(rp_buf *b);
void rp_buf_clear(rp_buf *b);
void rp_buf_truncate(rp_buf *b, size_t n); /* keep the first n <= len bytes */
rp_status rp_buf_append(rp_buf *b, const char *s, size_t n);
rp_status rp_buf_puts(rp_buf *b, const char *s);
rp_status rp_buf_putc(rp_buf *b, char c);
rp_status rp_buf_printf(rp_buf *b, const char *fmt, ...) RP_PRINTF(2, 3);
rp_status rp_buf_vprintf(rp_buf *b, const char *fmt, va_list ap);

/* ---------------------------------------------------------- diagnostics */

/* One message about the input: where and why.  line/col are 1-based; 0 means
 * unknown.  path is a JSON path ("$.mapping.abc.parent") where that is the
 * better locator, else NULL. */
typedef struct rp_diag {
    const char *file;
    unsigned line;
    unsigned col;
    const char *path;
    const char *msg;
    struct rp_diag *next;
} rp_diag;

/* A list of diagnostics accumulated on a context; memory from its arena. */
typedef struct rp_diags {
    rp_diag *head;
    rp_diag *tail;
    size_t n;
    rp_arena *arena; /* owned by the rp_diags (rp_diags_free) */
} rp_diags;

rp_status rp_diags_init(rp_diags *d);
void rp_diags_free(rp_diags *d);
void rp_diag_add(rp_diags *d, const char *file, unsigned line, unsigned col,
                 const char *fmt, ...) RP_PRINTF(5, 6);
void rp_diag_add_path(rp_diags *d, const char *file, const char *jsonpath,
                      const char *fmt, ...) RP_PRINTF(4, 5);
/* Write every diagnostic as "file:line:col: msg" (or "file: path: msg"),
 * one per line, to the stdio stream f (a FILE *). */
void rp_diags_print(const rp_diags *d, void *f);

/* ------------------------------------------------------------- text I/O */

/* Limits on input files. */
#define RP_MAX_INPUT_DEFAULT ((size_t)256 << 20) /* 256 MB */
#define RP_MAX_LINE_DEFAULT ((size_t)16 << 20)   /* 16 MB */

/* Read a whole file into b (which must be initialised).  Refuses, with a
 * diagnostic naming the file (and line:col where it applies): a directory,
 * an unreadable file, a file larger than max_bytes, a file with NUL bytes
 * (binary), invalid UTF-8, a line longer than max_line.  A leading UTF-8 BOM
 * is dropped.  path "-" reads standard input. */
rp_status rp_file_read(const char *path, size_t max_bytes, size_t max_line,
                       rp_buf *b, rp_diags *d);

/* Check that s[0..n) is text: valid UTF-8 without NUL bytes and with no line
 * longer than max_line (0: no limit).  On failure the diagnostic names
 * label:line:col and the reason. */
rp_status rp_text_check(const char *label, const char *s, size_t n,
                        size_t max_line, rp_diags *d);

/* 1-based line and column (in bytes) of offset off in s. */
void rp_line_col(const char *s, size_t n, size_t off, unsigned *line,
                 unsigned *col);

/* Write data to path as rp_out_open() says (a regular file is replaced
 * atomically; anything else is written in place or refused), then close it
 * with rp_out_close().  On any failure a regular file at path is untouched
 * and the temporary file removed. */
rp_status rp_write_atomic(const char *path, const char *data, size_t n,
                          rp_diags *d);

/* ---------------------------------------------------------------- outputs */

/* Where an output goes: the one set of rules every writer of a report
 * follows (src/core/out.c). */
typedef struct rp_out {
    int fd;            /* where the bytes go; -1 once closed */
    bool own_fd;       /* fd was opened by rp_out_open() and is closed by rp_out_close() */
    char *tmp;         /* the temporary file renamed over target; NULL when writing in place */
    char *target;      /* the regular file replaced (a symlink's final target); NULL in place */
    const char *label; /* the path as given, for messages (the caller's) */
    int slot;          /* the temporary file's place in the signal-cleanup table, -1 none */
} rp_out;

/* Open the output path.  The rules:
 * - "-", and any name of one of this process's descriptors (/dev/stdout,
 *   /dev/fd/N, /proc/self/fd/N, a symlink to one), is written in place
 *   into that descriptor (standard output is flushed first);
 * - a symlink is followed and its final target replaced, never the link;
 * - a regular file (or a name that does not exist yet) gets a temporary
 *   file beside it, renamed over it by rp_out_close(); the new file keeps
 *   the mode (and, where permitted, the owner) of the file it replaces,
 *   else it has 0666 less the umask; the temporary file is removed if the
 *   process is stopped by SIGINT, SIGTERM or SIGHUP;
 * - a device, FIFO or terminal is opened and written in place, never
 *   replaced; a directory or socket is refused.
 * On failure a diagnostic names path and *o needs no closing. */
rp_status rp_out_open(const char *path, rp_out *o, rp_diags *d);

/* Write all of data to o; a failure is diagnosed under o's label. */
rp_status rp_out_write(rp_out *o, const char *data, size_t n, rp_diags *d);

/* Finish o: with keep, flush the temporary file to disk and rename it over
 * the target; without keep (or on any failure) remove it.  Closes what
 * rp_out_open() opened.  Returns the first failure. */
rp_status rp_out_close(rp_out *o, bool keep, rp_diags *d);

/* Refuse an output that is one of the inputs: RP_EINPUT, with a
 * diagnostic, when out names the same file (device and inode) as one of
 * inputs[0..n) ("-" is standard input; names that do not exist and URLs
 * are skipped, as are NULL entries).  Reports are never written over a
 * transcript, a rubric or a key. */
rp_status rp_out_check_inputs(const char *out, const char *const *inputs, size_t n,
                              rp_diags *d);

/* ------------------------------------------------------------- escaping */

/* What reports embed from their inputs, made safe for each output
 * (src/core/escape.c). */

/* The byte a renderer writes in place of ESC to start one of its own
 * colour sequences (RP_SGR_MARK "[31m"); 0xFF never occurs in UTF-8, so
 * no input can forge one. */
#define RP_SGR_MARK "\xff"

/* Strip b->data[from..) for a terminal, in place: C0 controls but newline
 * and tab, DEL and C1 controls go, so a model name or a judge's reason
 * cannot set the window title, clear the screen or change colours.  Every
 * ESC goes, a colour sequence of the input's too.  Colour sequences marked
 * RP_SGR_MARK "[digits;m" (the renderers' own) become real ones with
 * keep_sgr and are dropped without. */
void rp_term_clean(rp_buf *b, size_t from, bool keep_sgr);

/* Append s as Markdown text that renders as itself: & < > as entities
 * (no raw HTML), the characters that open emphasis, code, links, math and
 * table cells (\ ` * _ [ ] | ~ $) backslash-escaped, line breaks as
 * spaces, other control characters dropped. */
rp_status rp_md_escape(rp_buf *b, const char *s);

/* Whether the URL url[0..n) may be a link in a report: http:// and
 * https:// (any case) and fragments ("#..."); never javascript:, data:,
 * file: or a relative name. */
bool rp_url_safe(const char *url, size_t n);

/* Within b->data[from..) (HTML): the value of every href="..." and
 * src="..." that rp_url_safe() refuses becomes "#".  Values end at the
 * next '"' (HTML writers escape quotes inside them). */
rp_status rp_html_safe_links(rp_buf *b, size_t from);

/* ------------------------------------------------------------ http client */

/* Where a response body goes (CURLOPT_WRITEDATA of a handle from
 * rp_curl_new): st becomes RP_ELIMIT once the body would pass max bytes,
 * RP_ENOMEM when b cannot grow; either aborts the transfer. */
typedef struct rp_curl_sink {
    rp_buf *b;       /* the body (the caller's) */
    size_t max;      /* most bytes accepted (at most b's own cap) */
    rp_status st;    /* RP_OK while the body fits */
} rp_curl_sink;

/* A libcurl easy handle (CURL *) set up as every redpen request is: http
 * and https only, also on redirects (at most max_redirs), the two
 * timeouts, no signals, bodies over max_bytes refused, compressed
 * transfers, redpen's user agent, and rp_curl_write as the write
 * function.  libcurl is initialised on the first call.  NULL when it
 * cannot be; free with curl_easy_cleanup(). */
void *rp_curl_new(long connect_timeout_ms, long timeout_ms, long max_redirs, size_t max_bytes);

/* The write function of those handles: appends to the rp_curl_sink given
 * as its user data. */
size_t rp_curl_write(char *p, size_t size, size_t nmemb, void *ud);

/* ------------------------------------------------- installed data, names */

/* The folder of the running executable (from /proc/self/exe) in buf;
 * false when it cannot be told or does not fit in cap bytes. */
bool rp_exe_dir(char *buf, size_t cap);

/* The installed data folder sub ("rubrics", "katex") in buf (cap bytes):
 * DATADIR/redpen/sub as configured, else the same folder relative to the
 * running executable, or, for code running inside libredpen, relative to
 * the library (a relocated install); the first for which ok(path) holds.
 * False when neither does. */
bool rp_data_dir(const char *sub, bool (*ok)(const char *path), char *buf, size_t cap);

/* The edit distance of a and b (insertions, deletions, substitutions and
 * swaps of two neighbours), ignoring ASCII case, capped at 9
 * (names longer than 63 bytes count as 9 away): what "did you mean"
 * suggestions measure. */
size_t rp_edit_distance(const char *a, const char *b);

/* ---------------------------------------------------------- model names */

/* A model family ("qwen" → "Qwen") or a word that continues a model's name
 * after its family ("sonnet" → "Sonnet"): src/core/model_names.c holds the
 * one list of both. */
typedef struct rp_model_family {
    const char *word; /* lower case, as names contain it */
    const char *name; /* as people write it */
    bool bare;        /* the word alone names a model ("claude"; not "o1", "yi") */
} rp_model_family;

/* The families and the continuation words, each ended by a NULL word. */
const rp_model_family *rp_model_families(void);
const rp_model_family *rp_model_suffixes(void);

/* The family whose word w[0..n) starts with (any case; the longest such
 * word), or NULL.  The caller checks what follows the family word. */
const rp_model_family *rp_model_family_at(const char *w, size_t n);

/* The continuation word w[0..n) is (any case), or NULL. */
const rp_model_family *rp_model_suffix(const char *w, size_t n);

/* Whether the word w[0..n) names a model: a family word alone (when that
 * is enough) or followed by a version ("qwen3", "gpt-4o", "o1-mini"). */
bool rp_model_word(const char *w, size_t n);

#endif
