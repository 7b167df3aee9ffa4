/*
 * Reading text files safely.  Inputs come from strangers: a directory, a
 * binary file, invalid UTF-8 or an endless line is refused with a message
 * that names the file, the line and the reason.  (Outputs: out.c.)
 */
#include "redpen/core.h"
#include "redpen/bytes.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void rp_line_col(const char *s, size_t n, size_t off, unsigned *line,
                 unsigned *col)
{
    unsigned l = 1;
    size_t start = 0;
    if (off > n)
        off = n;
    for (size_t i = 0; i < off; i++)
        if (s[i] == '\n') {
            l++;
            start = i + 1;
        }
    if (line)
        *line = l;
    if (col)
        *col = (unsigned)(off - start + 1);
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned min;
    unsigned cp;
    if ((c & 0xE0) == 0xC0) {
        len = 2;
        cp = c & 0x1F;
        min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3;
        cp = c & 0x0F;
        min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4;
        cp = c & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

/* Non-zero unless the 8 bytes of w are ASCII with neither NUL nor newline:
 * the bytes the check passes over without looking at each (most of a
 * transcript); exact about whether (redpen/bytes.h). */
static inline uint64_t not_plain(uint64_t w)
{
    return rp_bytes_high(w) | rp_bytes_below(w, 1) | rp_bytes_eq(w, '\n');
}

/* The end of the run of plain bytes (as not_plain()) from u[i], taken
 * 32 and then 8 bytes at a time and never past lim; the bytes after it
 * are looked at one by one.  A block of 32 is passed over when no byte is
 * above 0x7F or below 0x0B (NUL and newline among them): a cheaper test
 * than not_plain() that also stops at tabs, which not_plain() then
 * passes. */
static size_t plain_run(const unsigned char *u, size_t i, size_t lim)
{
    while (i + 32 <= lim) {
        uint64_t a = rp_load8(u + i), b = rp_load8(u + i + 8), c = rp_load8(u + i + 16),
                 e = rp_load8(u + i + 24);
        if (rp_bytes_high(a | b | c | e) | rp_bytes_below(a, 0x0B) | rp_bytes_below(b, 0x0B) |
            rp_bytes_below(c, 0x0B) | rp_bytes_below(e, 0x0B))
            break;
        i += 32;
    }
    while (i + 8 <= lim && !not_plain(rp_load8(u + i)))
        i += 8;
    return i;
}

rp_status rp_text_check(const char *label, const char *s, size_t n,
                        size_t max_line, rp_diags *d)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned line = 1;
    size_t line_start = 0;
    size_t i = 0;
    while (i < n) {
        /* Plain bytes before the line reaches max_line pass every test
         * below and change nothing: they are skipped in runs. */
        size_t lim = !max_line || max_line >= n - line_start ? n : line_start + max_line;
        i = plain_run(u, i, lim);
        if (i >= n)
            break;
        if (u[i] == '\n') {
            line++;
            line_start = i + 1;
            i++;
            continue;
        }
        if (max_line && i - line_start >= max_line) {
            rp_diag_add(d, label, line, 1,
                        "line longer than %zu bytes (raise the limit with --max-line)",
                        max_line);
            return RP_ELIMIT;
        }
        if (u[i] == 0) {
            rp_diag_add(d, label, line, (unsigned)(i - line_start + 1),
                        "NUL byte: this looks like a binary file, not a text transcript");
            return RP_EINPUT;
        }
        size_t k = u[i] < 0x80 ? 1 : utf8_seq(u + i, n - i);
        if (k == 0) {
            rp_diag_add(d, label, line, (unsigned)(i - line_start + 1),
                        "invalid UTF-8 (byte 0x%02X)", u[i]);
            return RP_EINPUT;
        }
        i += k;
    }
    return RP_OK;
}

static rp_status read_fd(int fd, const char *label, size_t max_bytes,
                         rp_buf *b, rp_diags *d)
{
    char tmp[65536];
    for (;;) {
        ssize_t r = read(fd, tmp, sizeof tmp);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            rp_diag_add(d, label, 0, 0, "cannot read: %s", strerror(errno));
            return RP_EIO;
        }
        if (r == 0)
            break;
        if (b->len + (size_t)r > max_bytes) {
            rp_diag_add(d, label, 0, 0,
                        "file larger than %zu bytes (raise the limit with --max-input)",
                        max_bytes);
            return RP_ELIMIT;
        }
        rp_status st = rp_buf_append(b, tmp, (size_t)r);
        if (st != RP_OK) {
            rp_diag_add(d, label, 0, 0, "cannot hold the file in memory: %s",
                        rp_strerror(st));
            return st;
        }
    }
    return RP_OK;
}

rp_status rp_file_read(const char *path, size_t max_bytes, size_t max_line,
                       rp_buf *b, rp_diags *d)
{
    if (!max_bytes)
        max_bytes = RP_MAX_INPUT_DEFAULT;
    const char *label = strcmp(path, "-") == 0 ? "<stdin>" : path;
    int fd;
    if (strcmp(path, "-") == 0) {
        fd = STDIN_FILENO;
    } else {
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            rp_diag_add(d, label, 0, 0, "cannot open: %s", strerror(errno));
            return errno == ENOENT ? RP_ENOTFOUND : RP_EIO;
        }
        struct stat sb;
        if (fstat(fd, &sb) == 0) {
            if (S_ISDIR(sb.st_mode)) {
                close(fd);
                rp_diag_add(d, label, 0, 0, "is a directory, not a file");
                return RP_EINPUT;
            }
            if (S_ISREG(sb.st_mode) && (uint64_t)sb.st_size > max_bytes) {
                close(fd);
                rp_diag_add(d, label, 0, 0,
                            "file is %llu bytes, larger than the limit of %zu (raise it with --max-input)",
                            (unsigned long long)sb.st_size, max_bytes);
                return RP_ELIMIT;
            }
        }
    }
    size_t start = b->len;
    rp_status st = read_fd(fd, label, max_bytes, b, d);
    if (fd != STDIN_FILENO)
        close(fd);
    if (st != RP_OK)
        return st;
    /* Drop a UTF-8 byte order mark. */
    if (b->len - start >= 3 && memcmp(b->data + start, "\xEF\xBB\xBF", 3) == 0) {
        memmove(b->data + start, b->data + start + 3, b->len - start - 3);
        b->len -= 3;
        b->data[b->len] = '\0';
    }
    if (b->len == start && !b->data)
        rp_buf_append(b, "", 0);
    return rp_text_check(label, b->data + start, b->len - start, max_line, d);
}
