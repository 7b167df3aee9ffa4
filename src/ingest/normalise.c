/*
 * The characters of a transcript that are invisible on the page but change
 * how it is read, normalised once before any reader sees the text: byte
 * order marks at the start (a file saved twice through an editor has two,
 * and the second hid a JSON export's '{' from format detection), lone CR
 * line endings (old Mac files: the whole file was one line, so one user
 * turn), and, for the line-based readers, zero-width and bidi format
 * characters (a zero-width space or a left-to-right mark before "You
 * said:" turned the user into a model named "You").  What is removed is
 * counted, so that the caller can warn about what could have hidden a
 * speaker label.
 */
#include "reader.h"

#include <string.h>

/* Length of the invisible format character at s (zero-width spaces and
 * joiners, direction marks and embeddings, word joiner and invisible
 * operators, isolates, the BOM, the Arabic letter mark, the Mongolian vowel
 * separator: Unicode's Cf characters that draw nothing), else 0. */
static size_t invisible_len(const unsigned char *s, size_t n)
{
    if (n >= 2 && s[0] == 0xD8 && s[1] == 0x9C) /* U+061C */
        return 2;
    if (n < 3)
        return 0;
    if (s[0] == 0xE2 && s[1] == 0x80 &&
        ((s[2] >= 0x8B && s[2] <= 0x8F) || (s[2] >= 0xAA && s[2] <= 0xAE)))
        return 3; /* U+200B..U+200F, U+202A..U+202E */
    if (s[0] == 0xE2 && s[1] == 0x81 &&
        ((s[2] >= 0xA0 && s[2] <= 0xA4) || (s[2] >= 0xA6 && s[2] <= 0xA9)))
        return 3; /* U+2060..U+2064, U+2066..U+2069 */
    if (s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) /* U+FEFF */
        return 3;
    if (s[0] == 0xE1 && s[1] == 0xA0 && s[2] == 0x8E) /* U+180E */
        return 3;
    return 0;
}

/* One pass over s: counts into *w, and the normalised text appended to out
 * when out is not NULL. */
static rp_status pass(const unsigned char *s, size_t n, bool invisible, rp_buf *out,
                      rp_norm *w)
{
    memset(w, 0, sizeof *w);
    size_t i = 0;
    while (n - i >= 3 && memcmp(s + i, "\xEF\xBB\xBF", 3) == 0) {
        i += 3;
        w->boms++;
    }
    size_t keep = i; /* start of the bytes not yet copied */
    if (!invisible && !out) { /* counting CRs only: memchr from one to the next */
        for (const unsigned char *p = s + i; (p = memchr(p, '\r', n - (size_t)(p - s))); p++)
            w->crs += p + 1 == s + n || p[1] != '\n';
        return RP_OK;
    }
    for (; i < n; i++) {
        unsigned char ch = s[i];
        if (ch == '\r' && (i + 1 == n || s[i + 1] != '\n')) {
            w->crs++;
            if (out && (rp_buf_append(out, (const char *)s + keep, i - keep) != RP_OK ||
                        rp_buf_putc(out, '\n') != RP_OK))
                return RP_ENOMEM;
            keep = i + 1;
            continue;
        }
        size_t k = invisible && ch >= 0xD8 ? invisible_len(s + i, n - i) : 0;
        if (k) {
            w->invisible++;
            if (out && rp_buf_append(out, (const char *)s + keep, i - keep) != RP_OK)
                return RP_ENOMEM;
            i += k - 1;
            keep = i + 1;
        }
    }
    if (out && rp_buf_append(out, (const char *)s + keep, n - keep) != RP_OK)
        return RP_ENOMEM;
    return RP_OK;
}

rp_status rp_ingest_normalise(const char *s, size_t n, bool invisible, rp_buf *out, rp_norm *w)
{
    const unsigned char *u = (const unsigned char *)s;
    pass(u, n, invisible, NULL, w);
    if (!w->boms && !w->crs && !w->invisible)
        return RP_OK;
    rp_norm again;
    return pass(u, n, invisible, out, &again);
}
