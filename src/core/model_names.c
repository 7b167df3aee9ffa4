/*
 * The one list of LLM model names redpen knows: the families (as words
 * are written in file names, headings and chat pages, and how people
 * write the family's name) and the words that continue a name after its
 * family ("Sonnet", "mini", "Pro").  Ingest uses it to tell a model's
 * label from a person's, the grader to name a model from a file name.
 */
#include "redpen/core.h"

#include <string.h>
#include <strings.h>

/* bare: the family word alone names a model ("claude"), not only with a
 * version after it ("o1-mini", "phi-3", "command-r", "yi-34b"). */
static const rp_model_family families[] = {
    {"claude", "Claude", true},     {"qwen", "Qwen", true},         {"chatgpt", "ChatGPT", true},
    {"gpt", "GPT", true},           {"gemini", "Gemini", true},     {"llama", "Llama", true},
    {"mistral", "Mistral", true},   {"mixtral", "Mixtral", true},   {"deepseek", "DeepSeek", true},
    {"grok", "Grok", true},         {"kimi", "Kimi", true},         {"glm", "GLM", true},
    {"phi", "Phi", false},          {"gemma", "Gemma", true},       {"copilot", "Copilot", true},
    {"bard", "Bard", true},         {"perplexity", "Perplexity", true},
    {"o1", "o1", false},            {"o3", "o3", false},            {"o4", "o4", false},
    {"minimax", "MiniMax", true},   {"yi", "Yi", false},
    {NULL, NULL, false},
};

static const rp_model_family suffixes[] = {
    {"max", "Max", true},           {"plus", "Plus", true},         {"pro", "Pro", true},
    {"turbo", "Turbo", true},       {"flash", "Flash", true},       {"mini", "mini", true},
    {"nano", "nano", true},         {"lite", "Lite", true},         {"opus", "Opus", true},
    {"sonnet", "Sonnet", true},     {"haiku", "Haiku", true},       {"instruct", "Instruct", true},
    {"coder", "Coder", true},       {"chat", "Chat", true},         {"thinking", "Thinking", true},
    {"preview", "Preview", true},   {"high", "high", true},         {"low", "low", true},
    {"r1", "R1", true},             {"v3", "V3", true},             {"large", "Large", true},
    {"small", "Small", true},       {"medium", "Medium", true},     {"ultra", "Ultra", true},
    {"reasoner", "Reasoner", true}, {"instant", "Instant", true},   {"advanced", "Advanced", true},
    {NULL, NULL, false},
};

const rp_model_family *rp_model_families(void)
{
    return families;
}

const rp_model_family *rp_model_suffixes(void)
{
    return suffixes;
}

const rp_model_family *rp_model_family_at(const char *w, size_t n)
{
    const rp_model_family *best = NULL;
    for (const rp_model_family *f = families; f->word; f++) {
        size_t k = strlen(f->word);
        if (k <= n && strncasecmp(w, f->word, k) == 0 && (!best || k > strlen(best->word)))
            best = f; /* the longest: "chatgpt" over "gpt"... */
    }
    return best;
}

const rp_model_family *rp_model_suffix(const char *w, size_t n)
{
    for (const rp_model_family *s = suffixes; s->word; s++)
        if (strlen(s->word) == n && strncasecmp(w, s->word, n) == 0)
            return s;
    return NULL;
}

bool rp_model_word(const char *w, size_t n)
{
    const rp_model_family *f = rp_model_family_at(w, n);
    if (!f)
        return false;
    size_t m = strlen(f->word);
    if (n == m)
        return f->bare;
    char c = w[m];
    return (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
}
