/*
 * What a report embeds from its inputs (model names, turn text, a judge's
 * reason) is written by strangers, and each output has its own way to be
 * subverted: a terminal obeys escape sequences (set the window title,
 * clear the screen), Markdown passes raw HTML through, and an HTML page
 * follows any link scheme (javascript:).  One function per output here,
 * called where a report is finished or a stranger's string is embedded.
 */
#include "redpen/core.h"

#include <string.h>
#include <strings.h>

/* Length of a renderer's own Select Graphic Rendition sequence
 * (RP_SGR_MARK [ digits and ';' m: colours and bold, which move nothing)
 * at s, else 0. */
static size_t sgr_len(const char *s, size_t n)
{
    if (n < 3 || s[0] != RP_SGR_MARK[0] || s[1] != '[')
        return 0;
    size_t k = 2;
    while (k < n && k < 32 && ((s[k] >= '0' && s[k] <= '9') || s[k] == ';'))
        k++;
    return k < n && s[k] == 'm' ? k + 1 : 0;
}

void rp_term_clean(rp_buf *b, size_t from, bool keep_sgr)
{
    if (!b->data || from >= b->len)
        return;
    char *s = b->data;
    size_t w = from;
    for (size_t r = from; r < b->len;) {
        unsigned char c = (unsigned char)s[r];
        size_t k = c == (unsigned char)RP_SGR_MARK[0] ? sgr_len(s + r, b->len - r) : 0;
        if (k && keep_sgr) {
            s[w++] = '\x1b';
            memmove(s + w, s + r + 1, k - 1);
            w += k - 1;
            r += k;
        } else if (k) {
            r += k;
        } else if (c == (unsigned char)RP_SGR_MARK[0]) {
            r++; /* a stray mark: never text (0xFF is no UTF-8) */
        } else if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
            r++; /* C0 controls (ESC, BEL, CR, backspace) and DEL */
        } else if (c == 0xC2 && r + 1 < b->len && (unsigned char)s[r + 1] >= 0x80 &&
                   (unsigned char)s[r + 1] <= 0x9F) {
            r += 2; /* C1 controls, U+0080..U+009F (CSI, OSC as one character) */
        } else {
            s[w++] = s[r++];
        }
    }
    b->len = w;
    s[w] = '\0';
}

rp_status rp_md_escape(rp_buf *b, const char *s)
{
    rp_status st = RP_OK;
    for (; s && *s && st == RP_OK; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '&')
            st = rp_buf_puts(b, "&amp;");
        else if (c == '<')
            st = rp_buf_puts(b, "&lt;");
        else if (c == '>')
            st = rp_buf_puts(b, "&gt;");
        else if (c == '\n' || c == '\r' || c == '\t')
            st = rp_buf_putc(b, ' ');
        else if (c < 0x20 || c == 0x7f)
            continue;
        else if (strchr("\\`*_[]|~$", (char)c)) { /* what opens emphasis, code, links, math */
            st = rp_buf_putc(b, '\\');
            if (st == RP_OK)
                st = rp_buf_putc(b, (char)c);
        } else
            st = rp_buf_putc(b, (char)c);
    }
    return st;
}

bool rp_url_safe(const char *url, size_t n)
{
    if (n >= 1 && url[0] == '#')
        return true;
    return (n > 7 && strncasecmp(url, "http://", 7) == 0) ||
           (n > 8 && strncasecmp(url, "https://", 8) == 0);
}

rp_status rp_html_safe_links(rp_buf *b, size_t from)
{
    static const char *const attrs[] = {" href=\"", " src=\""};
    for (size_t a = 0; a < 2; a++) {
        size_t na = strlen(attrs[a]);
        size_t at = from;
        while (b->data && at < b->len) {
            char *p = strstr(b->data + at, attrs[a]);
            if (!p)
                break;
            size_t v = (size_t)(p - b->data) + na; /* the value's start */
            char *q = memchr(b->data + v, '"', b->len - v);
            if (!q)
                break;
            size_t e = (size_t)(q - b->data);
            if (e > v && !rp_url_safe(b->data + v, e - v)) {
                b->data[v] = '#';
                memmove(b->data + v + 1, b->data + e, b->len - e + 1);
                b->len -= e - v - 1;
                e = v + 1;
            }
            at = e + 1;
        }
    }
    return RP_OK;
}
