/*
 * A readable model name from a transcript's file name, for reports of
 * transcripts that do not name their model: "claude-hw4.txt" gives
 * "Claude", "qwen3-max-hw4.txt" "Qwen3-Max", "gpt-4o_run2.json" "GPT-4o".
 * The families and the words after them come from core's one list of
 * model names.
 */
#include "redpen/grade.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* A version-like token: digits with dots, optionally a short letter tail
 * ("4", "2.5", "4o", "70b", "4.1"). */
static bool version_like(const char *t, size_t n)
{
    size_t i = 0;
    while (i < n && (isdigit((unsigned char)t[i]) || t[i] == '.'))
        i++;
    return i > 0 && isdigit((unsigned char)t[0]) && n - i <= 1;
}

const char *rp_grade_model_guess(const char *path, rp_arena *a)
{
    if (!path || !*path)
        return NULL;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    /* keep dots inside versions ("gemini-2.5-pro.txt"): drop only the
     * extension, the last dot followed by letters */
    const char *ext = strrchr(base, '.');
    if (ext && ext != base) {
        bool letters = ext[1] != '\0';
        for (const char *p = ext + 1; *p; p++)
            if (!isalpha((unsigned char)*p) && *p != '-')
                letters = false;
        if (letters)
            n = (size_t)(ext - base);
    }
    if (n == 0)
        return NULL;
    /* split into tokens at - _ space and dots that are not between digits */
    size_t ts[32], tl[32], nt = 0;
    for (size_t i = 0; i < n && nt < 32;) {
        while (i < n && (base[i] == '-' || base[i] == '_' || base[i] == ' ' || base[i] == '.'))
            i++;
        size_t s = i;
        while (i < n && base[i] != '-' && base[i] != '_' && base[i] != ' ' &&
               !(base[i] == '.' && !(i > s && isdigit((unsigned char)base[i - 1]) && i + 1 < n &&
                                     isdigit((unsigned char)base[i + 1]))))
            i++;
        if (i > s) {
            ts[nt] = s;
            tl[nt++] = i - s;
        }
    }
    for (size_t k = 0; k < nt; k++) {
        const char *t = base + ts[k];
        for (const rp_model_family *f = rp_model_families(); f->word; f++) {
            size_t wl = strlen(f->word);
            if (tl[k] < wl || strncasecmp(t, f->word, wl) != 0)
                continue;
            /* the family word, alone or with a version glued on ("qwen3") */
            if (tl[k] > wl && !version_like(t + wl, tl[k] - wl))
                continue;
            rp_buf b;
            rp_buf_init(&b, 256);
            rp_status st = rp_buf_puts(&b, f->name);
            if (st == RP_OK && tl[k] > wl)
                st = rp_buf_append(&b, t + wl, tl[k] - wl);
            for (size_t j = k + 1; j < nt && st == RP_OK; j++) {
                const char *u = base + ts[j];
                const rp_model_family *sw = rp_model_suffix(u, tl[j]);
                const char *word = sw ? sw->name : NULL;
                if (!word && !version_like(u, tl[j]))
                    break;
                st = rp_buf_putc(&b, '-');
                if (st == RP_OK)
                    st = word ? rp_buf_puts(&b, word) : rp_buf_append(&b, u, tl[j]);
            }
            const char *out = st == RP_OK ? rp_arena_strdup(a, b.data) : NULL;
            rp_buf_free(&b);
            return out;
        }
    }
    return rp_arena_strndup(a, base, n);
}

