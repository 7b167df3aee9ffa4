/*
 * The ingest front end: read a path, standard input or URL, check that it
 * is text, detect the format and hand it to that format's reader.
 */
#include "fmt_util.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Every reader: its name for --input-format, an alias, and for the JSON
 * formats the function that converts one parsed document (JSONL lines are
 * routed by it).  The order is the order of rp_ingest_formats(). */
static const struct fmt {
    const char *name;
    const char *alias;
    rp_reader_fn read;
    rp_jdoc_fn doc;
} fmts[] = {
    {"chat-text", "text", rp_read_chat_text, NULL},
    {"markdown", "md", rp_read_markdown, NULL},
    {"openai", "jsonl", rp_read_openai, rp_doc_openai},
    {"responses", "openai-responses", rp_read_responses, rp_doc_responses},
    {"lmsys", NULL, rp_read_lmsys, rp_doc_lmsys},
    {"sharegpt", NULL, rp_read_sharegpt, rp_doc_sharegpt},
    {"chatgpt", NULL, rp_read_chatgpt, rp_doc_chatgpt},
    {"claude", NULL, rp_read_claude, rp_doc_claude},
    {"openwebui", NULL, rp_read_openwebui, rp_doc_openwebui},
    {"aistudio", NULL, rp_read_aistudio, rp_doc_aistudio},
    {"gemini", NULL, rp_read_gemini, rp_doc_gemini},
    {"grok", NULL, rp_read_grok, rp_doc_grok},
    {"librechat", NULL, rp_read_librechat, rp_doc_librechat},
    {"lmstudio", NULL, rp_read_lmstudio, rp_doc_lmstudio},
    {"sillytavern", NULL, rp_read_sillytavern, rp_doc_sillytavern},
};
#define N_FMTS (sizeof fmts / sizeof fmts[0])

const char *const *rp_ingest_formats(void)
{
    static const char *names[N_FMTS + 1];
    if (!names[0])
        for (size_t i = 0; i < N_FMTS; i++)
            names[i] = fmts[i].name;
    return names;
}

static const struct fmt *fmt_named(const char *format)
{
    for (size_t i = 0; format && i < N_FMTS; i++)
        if (strcmp(format, fmts[i].name) == 0 || (fmts[i].alias && strcmp(format, fmts[i].alias) == 0))
            return &fmts[i];
    return NULL;
}

rp_reader_fn rp_reader_for(const char *format)
{
    const struct fmt *f = fmt_named(format);
    return f ? f->read : NULL;
}

rp_jdoc_fn rp_doc_for(const char *format, const char **name)
{
    const struct fmt *f = fmt_named(format);
    if (!f || !f->doc)
        return NULL;
    *name = f->name;
    return f->doc;
}

/* "unknown input format": the valid names, and the nearest one when a
 * typo is likely (at most two edits away). */
static void unknown_format(rp_diags *d, const char *label, const char *fmt)
{
    char names[512];
    size_t w = 0, best = 3;
    const char *near = NULL;
    names[0] = '\0';
    for (size_t i = 0; i < N_FMTS; i++) {
        int k = snprintf(names + w, sizeof names - w, "%s%s", i ? ", " : "", fmts[i].name);
        if (k > 0 && (size_t)k < sizeof names - w)
            w += (size_t)k;
        size_t e = rp_edit_distance(fmt, fmts[i].name);
        if (e < best) {
            best = e;
            near = fmts[i].name;
        }
    }
    if (near)
        rp_diag_add(d, label, 0, 0, "unknown input format '%s': did you mean '%s'? (valid: %s)",
                    fmt, near, names);
    else
        rp_diag_add(d, label, 0, 0, "unknown input format '%s' (valid: %s)", fmt, names);
}

static bool is_url(const char *p)
{
    return strncmp(p, "http://", 7) == 0 || strncmp(p, "https://", 8) == 0;
}

/* The first line of s[0..n), valid UTF-8 text without NUL bytes, where
 * rp_text_check would report a line longer than max_line: one where a
 * character starts max_line or more bytes in (a line that only ends inside
 * a multibyte character there passes).  0 when there is none.  A memchr
 * per line, for text rp_file_read has already checked. */
static unsigned long_line(const char *s, size_t n, size_t max_line)
{
    unsigned line = 1;
    for (size_t start = 0;; line++) {
        const char *nl = memchr(s + start, '\n', n - start);
        size_t end = nl ? (size_t)(nl - s) : n;
        /* at most three continuation bytes before a character starts */
        for (size_t i = start + max_line; i < end; i++)
            if (((unsigned char)s[i] & 0xC0) != 0x80)
                return line;
        if (!nl)
            return 0;
        start = end + 1;
    }
}

/* Most warning lines one input adds to the diagnostics; the rest are
 * counted in one line (each transcript keeps all of its own). */
#define WARN_LINES_MAX 20

/* Warn about what every reader can leave behind: a conversation without
 * a model turn has nothing to grade.  Then copy the transcripts' warnings
 * into d, where the command line prints them. */
static rp_status warn_all(const char *label, rp_transcript_set *out, rp_diags *d)
{
    size_t shown = 0, more = 0;
    for (size_t i = 0; i < out->n; i++) {
        rp_transcript *t = out->items[i];
        if (rp_transcript_count(t, RP_ROLE_MODEL) == 0 &&
            rp_tb_warn(t, "no model turn: nothing to grade (a reply read as the user's? "
                          "see --input-format)") != RP_OK)
            return RP_ENOMEM;
        for (size_t w = 0; w < t->n_warnings; w++) {
            if (shown == WARN_LINES_MAX) {
                more++;
                continue;
            }
            shown++;
            if (out->n > 1)
                rp_diag_add(d, label, t->n_turns ? t->turns[0].line : 0, 0,
                            "warning: conversation %zu: %s", i + 1, t->warnings[w]);
            else
                rp_diag_add(d, label, 0, 0, "warning: %s", t->warnings[w]);
        }
    }
    if (more)
        rp_diag_add(d, label, 0, 0, "warning: %zu more warnings (see the reports)", more);
    return RP_OK;
}

/* ingest_text, on text whose BOMs and CRs are normalised; the line-based
 * readers' invisible characters are removed here, with a warning. */
static rp_status ingest_normalised(const char *label, const char *data, size_t n,
                                   const rp_ingest_opts *opts, rp_transcript_set *out,
                                   rp_diags *d, bool checked)
{
    rp_ingest_opts o;
    if (opts)
        o = *opts;
    else
        memset(&o, 0, sizeof o);
    if (!o.max_line)
        o.max_line = RP_MAX_LINE_DEFAULT;
    if (!o.max_turns)
        o.max_turns = 100000;
    if (!o.max_depth)
        o.max_depth = 256;
    out->items = NULL;
    out->n = 0;
    const char *fmt = o.format ? o.format : rp_ingest_detect(data, n);
    rp_reader_fn fn = rp_reader_for(fmt);
    /* JSON exports are often one long line (conversations.json): the
     * default line cap guards the line-based readers only, and a cap the
     * caller set (--max-line) every format. */
    bool line_based = fn == rp_read_chat_text || fn == rp_read_markdown;
    size_t line_cap = line_based || (opts && opts->max_line) ? o.max_line : 0;
    rp_status st = RP_OK;
    rp_buf clean;
    rp_buf_init(&clean, 0);
    rp_norm w = {0, 0, 0};
    if (line_based) {
        /* speaker labels are read from the text: what hides them goes */
        if (rp_ingest_normalise(data, n, true, &clean, &w) != RP_OK) {
            rp_buf_free(&clean);
            return RP_ENOMEM;
        }
        if (w.invisible) {
            data = clean.data ? clean.data : "";
            n = clean.len;
        }
    }
    if (!checked) {
        st = rp_text_check(label, data, n, line_cap, d);
    } else if (line_cap) {
        unsigned line = long_line(data, n, line_cap);
        if (line) {
            rp_diag_add(d, label, line, 1,
                        "line longer than %zu bytes (raise the limit with --max-line)",
                        o.max_line);
            st = RP_ELIMIT;
        }
    }
    if (st == RP_OK && !fn) {
        unknown_format(d, label, fmt);
        st = RP_EUNSUPPORTED;
    }
    if (st == RP_OK)
        st = fn(label, data, n, &o, out, d);
    rp_buf_free(&clean);
    if (st != RP_OK) {
        rp_transcript_set_free(out);
        return st;
    }
    for (size_t i = 0; i < out->n && w.invisible; i++)
        if (rp_tb_warn(out->items[i], "%zu invisible character%s (zero-width or direction "
                                      "marks, which can hide a speaker label) removed",
                       w.invisible, w.invisible == 1 ? "" : "s") != RP_OK)
            return RP_ENOMEM;
    for (size_t i = 0; i < out->n; i++) {
        if (out->items[i]->n_turns > o.max_turns) {
            rp_diag_add(d, label, 0, 0, "more than %zu turns (raise the limit with --max-turns)",
                        o.max_turns);
            rp_transcript_set_free(out);
            return RP_ELIMIT;
        }
    }
    if (out->n == 0) {
        rp_diag_add(d, label, 0, 0, "no conversation found");
        return RP_EINPUT;
    }
    return warn_all(label, out, d);
}

/* rp_ingest_buffer, where checked says that data is already known to be
 * valid UTF-8 without NUL bytes (rp_file_read checks that), so that only
 * the line cap is left to check.  Byte order marks and lone CRs are
 * normalised before the format is detected. */
static rp_status ingest_text(const char *label, const char *data, size_t n,
                             const rp_ingest_opts *opts, rp_transcript_set *out,
                             rp_diags *d, bool checked)
{
    rp_buf clean;
    rp_buf_init(&clean, 0);
    rp_norm w;
    if (rp_ingest_normalise(data, n, false, &clean, &w) != RP_OK) {
        rp_buf_free(&clean);
        return RP_ENOMEM;
    }
    if (w.boms || w.crs) {
        data = clean.data ? clean.data : "";
        n = clean.len;
    }
    rp_status st = ingest_normalised(label, data, n, opts, out, d, checked);
    rp_buf_free(&clean);
    return st;
}

rp_status rp_ingest_buffer(const char *label, const char *data, size_t n,
                           const rp_ingest_opts *opts, rp_transcript_set *out,
                           rp_diags *d)
{
    return ingest_text(label, data, n, opts, out, d, false);
}

rp_status rp_ingest_path(const char *path, const rp_ingest_opts *opts,
                         rp_transcript_set *out, rp_diags *d)
{
    rp_buf b;
    size_t max = opts && opts->max_bytes ? opts->max_bytes : RP_MAX_INPUT_DEFAULT;
    rp_buf_init(&b, max + 1);
    rp_status st;
    out->items = NULL;
    out->n = 0;
    bool url = is_url(path);
    if (url)
        st = rp_fetch_url(path, opts, &b, d);
    else
        st = rp_file_read(path, max, 0, &b, d); /* text checked; lines: ingest_text */
    if (st == RP_OK)
        st = ingest_text(strcmp(path, "-") == 0 ? "<stdin>" : path, b.data ? b.data : "",
                         b.len, opts, out, d, !url);
    rp_buf_free(&b);
    return st;
}
