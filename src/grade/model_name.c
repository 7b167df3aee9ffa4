/*
 * A readable model name from a transcript's file name, for reports of
 * transcripts that do not name their model: "claude-hw4.txt" gives
 * "Claude", "qwen3-max-hw4.txt" "Qwen3-Max", "gpt-4o_run2.json" "GPT-4o".
 */
#include "redpen/grade.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* Model families as they appear in file names, and how people write them. */
static const struct {
    const char *word;
    const char *name;
} families[] = {
    {"claude", "Claude"},   {"qwen", "Qwen"},         {"chatgpt", "ChatGPT"},
    {"gpt", "GPT"},         {"gemini", "Gemini"},     {"llama", "Llama"},
    {"mistral", "Mistral"}, {"mixtral", "Mixtral"},   {"deepseek", "DeepSeek"},
    {"grok", "Grok"},       {"kimi", "Kimi"},         {"glm", "GLM"},
    {"phi", "Phi"},         {"gemma", "Gemma"},       {"copilot", "Copilot"},
    {"o1", "o1"},           {"o3", "o3"},             {"o4", "o4"},
    {"minimax", "MiniMax"}, {"command", "Command"},   {"yi", "Yi"},
};

/* Words that continue a model name after its family, as people write them. */
static const struct {
    const char *word;
    const char *name;
} suffixes[] = {
    {"max", "Max"},       {"plus", "Plus"},     {"pro", "Pro"},           {"turbo", "Turbo"},
    {"flash", "Flash"},   {"mini", "mini"},     {"nano", "nano"},         {"lite", "Lite"},
    {"opus", "Opus"},     {"sonnet", "Sonnet"}, {"haiku", "Haiku"},       {"instruct", "Instruct"},
    {"coder", "Coder"},   {"chat", "Chat"},     {"thinking", "Thinking"}, {"preview", "Preview"},
    {"high", "high"},     {"r1", "R1"},         {"v3", "V3"},             {"large", "Large"},
    {"small", "Small"},   {"medium", "Medium"}, {"ultra", "Ultra"},       {"reasoner", "Reasoner"},
};

/* A version-like token: digits with dots, optionally a short letter tail
 * ("4", "2.5", "4o", "70b", "4.1"). */
static bool version_like(const char *t, size_t n)
{
    size_t i = 0;
    while (i < n && (isdigit((unsigned char)t[i]) || t[i] == '.'))
        i++;
    return i > 0 && isdigit((unsigned char)t[0]) && n - i <= 1;
}

static bool tok_eq(const char *t, size_t n, const char *w)
{
    return strlen(w) == n && strncasecmp(t, w, n) == 0;
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
        for (size_t f = 0; f < sizeof families / sizeof families[0]; f++) {
            size_t wl = strlen(families[f].word);
            if (tl[k] < wl || strncasecmp(t, families[f].word, wl) != 0)
                continue;
            /* the family word, alone or with a version glued on ("qwen3") */
            if (tl[k] > wl && !version_like(t + wl, tl[k] - wl))
                continue;
            rp_buf b;
            rp_buf_init(&b, 256);
            rp_status st = rp_buf_puts(&b, families[f].name);
            if (st == RP_OK && tl[k] > wl)
                st = rp_buf_append(&b, t + wl, tl[k] - wl);
            for (size_t j = k + 1; j < nt && st == RP_OK; j++) {
                const char *u = base + ts[j];
                const char *word = NULL;
                for (size_t s = 0; s < sizeof suffixes / sizeof suffixes[0]; s++)
                    if (tok_eq(u, tl[j], suffixes[s].word))
                        word = suffixes[s].name;
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

