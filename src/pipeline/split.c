/*
 * The records of a large input, one at a time: the top-level elements of
 * a JSON array, or the lines of JSON Lines, read from a file in chunks so
 * that an input of any size costs one record of memory.  Only strings and
 * nesting are followed (each record is parsed and validated by ingest
 * when it is read); the array's own punctuation is checked here: a comma
 * between elements, a closing bracket, nothing after it but white space.
 */
#include "pipeline_int.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* Fill s->buf when it is used up; false at the end or after an error. */
static bool split_fill(rp_split *s)
{
    return s->pos < s->len ||
           rp_fd_refill(s->fd, s->buf, sizeof s->buf, &s->pos, &s->len, &s->eof, &s->err);
}

/* The next byte, or -1 at the end (not consumed). */
static int split_peek(rp_split *s)
{
    return split_fill(s) ? (unsigned char)s->buf[s->pos] : -1;
}

static void split_take(rp_split *s)
{
    if (s->buf[s->pos] == '\n')
        s->line++;
    s->pos++;
    s->bytes++;
}

/* Skip white space (and a byte order mark at the very start). */
static void split_space(rp_split *s)
{
    int c;
    while ((c = split_peek(s)) == ' ' || c == '\t' || c == '\r' || c == '\n')
        split_take(s);
}

rp_status rp_split_open(rp_split *s, const char *path)
{
    memset(s, 0, sizeof *s);
    s->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (s->fd < 0)
        return RP_EIO;
    s->line = 1;
    if (split_fill(s) && s->len >= 3 && memcmp(s->buf, "\xEF\xBB\xBF", 3) == 0) {
        s->pos = 3;
        s->bytes = 3;
    }
    split_space(s);
    int c = split_peek(s);
    if (c == '[') {
        s->array = true;
        split_take(s);
        return RP_OK;
    }
    if (c == '{')
        return RP_OK; /* JSON Lines: each line one record */
    rp_split_close(s);
    return RP_EUNSUPPORTED;
}

void rp_split_close(rp_split *s)
{
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
}

/* Append one line of JSON Lines to b (blank lines skipped). */
static int split_line(rp_split *s, rp_buf *b, size_t max, unsigned *line)
{
    for (;;) {
        split_space(s);
        if (split_peek(s) < 0)
            return 0;
        *line = s->line;
        size_t start = b->len;
        for (;;) {
            if (!split_fill(s))
                return 1;
            const char *p = s->buf + s->pos;
            const char *nl = memchr(p, '\n', s->len - s->pos);
            size_t k = nl ? (size_t)(nl - p) : s->len - s->pos;
            if (b->len - start + k > max || rp_buf_append(b, p, k) != RP_OK) {
                snprintf(s->msg, sizeof s->msg, "a record longer than %zu bytes", max);
                return -1;
            }
            s->pos += k;
            s->bytes += k;
            if (nl)
                return 1;
        }
    }
}

/* Append one element of the array to b, then step over the comma or the
 * closing bracket that follows it. */
static int split_element(rp_split *s, rp_buf *b, size_t max, unsigned *line)
{
    split_space(s);
    int c = split_peek(s);
    if (c < 0) {
        snprintf(s->msg, sizeof s->msg, "the JSON array is not closed");
        return -1;
    }
    if (c == ']' && !s->seen) {
        split_take(s);
        s->done = true;
        return 0;
    }
    *line = s->line;
    size_t start = b->len, depth = 0;
    bool str = false, esc = false, end = false;
    while (!end) {
        if (!split_fill(s)) {
            snprintf(s->msg, sizeof s->msg, "the JSON array is not closed");
            return -1;
        }
        /* copy up to the next byte that matters to the nesting */
        size_t i = s->pos;
        for (; i < s->len; i++) {
            char ch = s->buf[i];
            if (ch == '\n')
                s->line++;
            if (esc) {
                esc = false;
            } else if (str) {
                if (ch == '\\')
                    esc = true;
                else if (ch == '"')
                    str = false;
            } else if (ch == '"') {
                str = true;
            } else if (ch == '{' || ch == '[') {
                depth++;
            } else if (ch == '}' || ch == ']') {
                end = depth <= 1; /* depth 0: the array's own bracket */
                if (depth == 1)
                    i++;
                if (end)
                    break;
                depth--;
            } else if (ch == ',' && depth == 0) {
                end = true;
                break;
            }
        }
        size_t k = i - s->pos;
        if (b->len - start + k > max || rp_buf_append(b, s->buf + s->pos, k) != RP_OK) {
            snprintf(s->msg, sizeof s->msg, "an element longer than %zu bytes", max);
            return -1;
        }
        s->pos = i;
        s->bytes += k;
    }
    /* the element ended: a comma or the closing bracket follows */
    while (b->len > start && strchr(" \t\r\n", b->data[b->len - 1]))
        b->len--;
    if (b->len == start) {
        snprintf(s->msg, sizeof s->msg, "an empty element in the JSON array");
        return -1;
    }
    split_space(s);
    c = split_peek(s);
    if (c == ',') {
        split_take(s);
        s->seen = true;
        return 1;
    }
    if (c == ']') {
        split_take(s);
        s->done = true;
        split_space(s);
        if (split_peek(s) >= 0) {
            snprintf(s->msg, sizeof s->msg, "text after the end of the JSON array");
            *line = s->line;
            return -2;
        }
        return 1;
    }
    if (c < 0)
        snprintf(s->msg, sizeof s->msg, "the JSON array is not closed");
    else
        snprintf(s->msg, sizeof s->msg,
                 "expected ',' or ']' after an element of the JSON array");
    return -2;
}

bool rp_split_next(rp_split *s, rp_buf *b, size_t max, unsigned *line)
{
    if (s->done || s->failed)
        return false;
    int r = s->array ? split_element(s, b, max, line) : split_line(s, b, max, line);
    if (r == -2) {
        /* the element is whole: hand it on, the error is told at the end */
        s->failed = true;
        s->err_line = s->line;
        return true;
    }
    if (r < 0) {
        s->failed = true;
        s->err_line = s->line;
    }
    return r > 0;
}

bool rp_split_error(const rp_split *s, unsigned *line, const char **msg)
{
    if (!s->failed && !s->err)
        return false;
    *line = s->err_line;
    *msg = s->err && !s->msg[0] ? strerror(s->err) : s->msg;
    return true;
}
