/*
 * KaTeX for the HTML reports, installed from the npm registry into
 * node_modules/katex (package.json at the repository root), and installed
 * with redpen under DATADIR/redpen/katex.  The pages must
 * work offline and alone, so the style sheet, the library, the auto-render
 * extension and every font (as a data: URI) are inlined into the page.
 * Where KaTeX is not installed the pages still render, with the LaTeX shown
 * as text.
 */
#include "report_int.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KATEX_FILE_MAX ((size_t)4 << 20) /* no KaTeX file is near this */

static bool is_katex_dir(const char *dir)
{
    char p[PATH_MAX];
    struct stat sb;
    if (snprintf(p, sizeof p, "%s/katex.min.js", dir) >= (int)sizeof p)
        return false;
    return stat(p, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* Look for node_modules/katex/dist in dir and up to four parents. */
static char *search_up(const char *start)
{
    char dir[PATH_MAX];
    if (!start || snprintf(dir, sizeof dir, "%s", start) >= (int)sizeof dir)
        return NULL;
    for (int level = 0; level <= 4; level++) {
        char cand[PATH_MAX];
        if (snprintf(cand, sizeof cand, "%s/node_modules/katex/dist", dir) < (int)sizeof cand &&
            is_katex_dir(cand))
            return strdup(cand);
        char *slash = strrchr(dir, '/');
        if (!slash)
            break;
        if (slash == dir) {
            if (dir[1] == '\0')
                break;
            dir[1] = '\0';
        } else {
            *slash = '\0';
        }
    }
    return NULL;
}

static char *dir_of(const char *path)
{
    char real[PATH_MAX];
    if (!path || !realpath(path, real))
        return NULL;
    char *slash = strrchr(real, '/');
    if (slash && slash != real)
        *slash = '\0';
    return strdup(real);
}

char *rp_katex_find(const char *argv0)
{
    const char *env = getenv("REDPEN_KATEX_DIR");
    if (env && *env)
        return is_katex_dir(env) ? strdup(env) : NULL;
    char cwd[PATH_MAX];
    char *found = NULL;
    if (getcwd(cwd, sizeof cwd))
        found = search_up(cwd);
    char inst[PATH_MAX]; /* installed (meson install), or relocated */
    if (!found && rp_data_dir("katex", is_katex_dir, inst, sizeof inst))
        found = strdup(inst);
    const char *starts[2] = {argv0 && strchr(argv0, '/') ? argv0 : NULL, "/proc/self/exe"};
    for (int i = 0; i < 2 && !found; i++) {
        char *d = dir_of(starts[i]);
        if (d)
            found = search_up(d);
        free(d);
    }
    return found;
}

/* Whether s[0..n) contains the bytes of lit. */
static bool has_sub(const char *s, size_t n, const char *lit)
{
    size_t m = strlen(lit);
    for (size_t i = 0; s && i + m <= n; i++)
        if (memcmp(s + i, lit, m) == 0)
            return true;
    return false;
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static rp_status put_base64(rp_buf *b, const unsigned char *s, size_t n)
{
    rp_status st = RP_OK;
    char q[4];
    for (size_t i = 0; i < n && st == RP_OK; i += 3) {
        unsigned v = (unsigned)s[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)s[i + 1] << 8;
        if (i + 2 < n)
            v |= s[i + 2];
        q[0] = b64[(v >> 18) & 63];
        q[1] = b64[(v >> 12) & 63];
        q[2] = i + 1 < n ? b64[(v >> 6) & 63] : '=';
        q[3] = i + 2 < n ? b64[v & 63] : '=';
        st = rp_buf_append(b, q, 4);
    }
    return st;
}

/* The woff2 font a src: declaration names (relative, no "..") as a data:
 * URI appended to out; false when there is none or it cannot be read. */
static bool inline_font(const char *dist, const char *decl, size_t n, rp_buf *out)
{
    for (size_t i = 0; i + 4 < n; i++) {
        if (strncmp(decl + i, "url(", 4) != 0)
            continue;
        size_t s = i + 4, e = s;
        while (e < n && decl[e] != ')')
            e++;
        size_t len = e - s;
        if (len > 6 && len < 200 && strncmp(decl + e - 6, ".woff2", 6) == 0 &&
            decl[s] != '/' && !has_sub(decl + s, len, "..") &&
            !has_sub(decl + s, len, ":")) {
            char path[PATH_MAX];
            if (snprintf(path, sizeof path, "%s/%.*s", dist, (int)len, decl + s) >= (int)sizeof path)
                return false;
            rp_buf font;
            rp_buf_init(&font, KATEX_FILE_MAX);
            bool ok = rp_read_raw(path, &font) && font.len > 0;
            if (ok)
                ok = rp_buf_puts(out, "src:url(data:font/woff2;base64,") == RP_OK &&
                     put_base64(out, (const unsigned char *)font.data, font.len) == RP_OK &&
                     rp_buf_puts(out, ") format(\"woff2\")") == RP_OK;
            rp_buf_free(&font);
            return ok;
        }
        i = e;
    }
    return false;
}

/* css with every "src:…" font declaration replaced by its inlined woff2
 * (declarations whose font is missing are kept as they are). */
static rp_status inline_fonts(const char *dist, const rp_buf *css, rp_buf *out)
{
    const char *s = css->data ? css->data : "";
    size_t n = css->len, i = 0, run = 0;
    rp_status st = RP_OK;
    while (i + 4 < n && st == RP_OK) {
        if (strncmp(s + i, "src:", 4) != 0) {
            i++;
            continue;
        }
        size_t e = i;
        while (e < n && s[e] != ';' && s[e] != '}')
            e++;
        st = rp_buf_append(out, s + run, i - run);
        if (st != RP_OK)
            break;
        size_t mark = out->len;
        if (!inline_font(dist, s + i, e - i, out)) {
            out->len = mark;
            if (out->data)
                out->data[mark] = '\0';
            st = rp_buf_append(out, s + i, e - i);
        }
        i = run = e;
    }
    if (st == RP_OK)
        st = rp_buf_append(out, s + run, n - run);
    return st;
}

void rp_katex_assets_free(rp_katex_assets *k)
{
    if (!k)
        return;
    rp_buf_free(&k->css);
    rp_buf_free(&k->js);
    rp_buf_free(&k->autorender);
    free(k);
}

rp_katex_assets *rp_katex_assets_load(const rp_html_opts *o)
{
    if (o && o->no_katex)
        return NULL;
    char *dist = o && o->katex_dir ? strdup(o->katex_dir) : rp_katex_find(o ? o->argv0 : NULL);
    if (!dist)
        return NULL;
    rp_katex_assets *k = calloc(1, sizeof *k);
    rp_buf css;
    rp_buf_init(&css, KATEX_FILE_MAX);
    bool ok = k != NULL;
    if (ok) {
        rp_buf_init(&k->css, (size_t)16 << 20);
        rp_buf_init(&k->js, KATEX_FILE_MAX);
        rp_buf_init(&k->autorender, KATEX_FILE_MAX);
        char p[PATH_MAX];
        ok = snprintf(p, sizeof p, "%s/katex.min.css", dist) < (int)sizeof p && rp_read_raw(p, &css) &&
             snprintf(p, sizeof p, "%s/katex.min.js", dist) < (int)sizeof p && rp_read_raw(p, &k->js) &&
             snprintf(p, sizeof p, "%s/contrib/auto-render.min.js", dist) < (int)sizeof p &&
             rp_read_raw(p, &k->autorender) && inline_fonts(dist, &css, &k->css) == RP_OK;
        /* inlined scripts must not close their own element */
        ok = ok && !has_sub(k->js.data, k->js.len, "</script") &&
             !has_sub(k->autorender.data, k->autorender.len, "</script") &&
             !has_sub(k->css.data, k->css.len, "</style");
    }
    rp_buf_free(&css);
    free(dist);
    if (!ok) {
        rp_katex_assets_free(k);
        return NULL;
    }
    return k;
}
