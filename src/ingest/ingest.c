/*
 * The ingest front end: read a path, standard input or URL, check that it
 * is text, detect the format and hand it to that format's reader.
 */
#include "reader.h"

#include <string.h>

static const char *const formats[] = {
    "chat-text", "markdown", "openai", "sharegpt", "chatgpt", "claude",
    "openwebui", NULL};

const char *const *rp_ingest_formats(void)
{
    return formats;
}

rp_reader_fn rp_reader_for(const char *format)
{
    if (!format)
        return NULL;
    if (strcmp(format, "chat-text") == 0 || strcmp(format, "text") == 0)
        return rp_read_chat_text;
    if (strcmp(format, "markdown") == 0 || strcmp(format, "md") == 0)
        return rp_read_markdown;
    if (strcmp(format, "openai") == 0 || strcmp(format, "jsonl") == 0)
        return rp_read_openai;
    if (strcmp(format, "sharegpt") == 0)
        return rp_read_sharegpt;
    if (strcmp(format, "chatgpt") == 0)
        return rp_read_chatgpt;
    if (strcmp(format, "claude") == 0)
        return rp_read_claude;
    if (strcmp(format, "openwebui") == 0)
        return rp_read_openwebui;
    return NULL;
}

static bool is_url(const char *p)
{
    return strncmp(p, "http://", 7) == 0 || strncmp(p, "https://", 8) == 0;
}

rp_status rp_ingest_buffer(const char *label, const char *data, size_t n,
                           const rp_ingest_opts *opts, rp_transcript_set *out,
                           rp_diags *d)
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
    /* JSON exports are often one long line (conversations.json): the line
     * cap guards the line-based readers only. */
    bool line_based = fn == rp_read_chat_text || fn == rp_read_markdown;
    rp_status st = rp_text_check(label, data, n, line_based ? o.max_line : 0, d);
    if (st != RP_OK)
        return st;
    if (!fn) {
        rp_diag_add(d, label, 0, 0, "unknown input format '%s'", fmt);
        return RP_EUNSUPPORTED;
    }
    st = fn(label, data, n, &o, out, d);
    if (st != RP_OK) {
        rp_transcript_set_free(out);
        return st;
    }
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
    return RP_OK;
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
    if (is_url(path))
        st = rp_fetch_url(path, opts, &b, d);
    else
        st = rp_file_read(path, max, 0, &b, d); /* lines: rp_ingest_buffer */
    if (st == RP_OK)
        st = rp_ingest_buffer(strcmp(path, "-") == 0 ? "<stdin>" : path,
                              b.data ? b.data : "", b.len, opts, out, d);
    rp_buf_free(&b);
    return st;
}
