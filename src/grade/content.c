/*
 * Parts named by what they ask about ("the width formula", "my
 * momentum answer", "the variance") rather than by their label.  The evidence
 * is the rubric's own words for a part: the words of its title and of the
 * targets that are words.  A word shared by several parts of a problem says
 * less than a word only one part has, so each word found counts 1/df, df
 * being the number of the problem's letters that have it; a part is named
 * when it alone scores best among the candidates the caller allows (parts
 * already attempted, or asked about) and its score reaches the caller's
 * minimum (1: one word only that part has, or two it shares) (sub-parts of one letter do not compete: the first is returned).
 * Nothing here knows a subject: the words come from the rubric.
 */
#include "grade_internal.h"

#include <ctype.h>
#include <string.h>

#define MAX_WORDS 24
#define WORD_MAX 32

/* Function words long enough to pass the length filter; none says what a
 * part is about. */
static const char *const stop_words[] = {
    "with", "from", "that", "this", "what", "which", "when", "where", "their", "there",
    "than", "then", "into", "onto", "about", "after", "before", "each", "over", "under",
    "only", "also", "some", "such", "does", "have", "been", "being", "through", "between",
    "other", "these", "those", "more", "most", "less", "much", "many", "very", "your",
    "they", "them", "given", "shown", "using", "used", "same",
    "the", "and", "for", "are", "but", "not", "you", "all", "any", "can", "had", "was",
    "one", "two", "our", "out", "has", "how", "its", "may", "new", "now", "see", "way",
    "who", "did", "get", "let", "put", "say", "use", "why", "per", "via", NULL};

typedef struct wordlist {
    char w[MAX_WORDS][WORD_MAX];
    size_t n;
} wordlist;

static bool is_stop(const char *w)
{
    for (size_t i = 0; stop_words[i]; i++)
        if (stop_words[i][0] == w[0] && strcmp(stop_words[i], w) == 0)
            return true;
    return false;
}

/* Add the words of s (letters only, at least 3, lower case) to wl. */
static void add_words(wordlist *wl, const char *s)
{
    if (!s)
        return;
    for (const char *p = s; *p;) {
        while (*p && !isalpha((unsigned char)*p))
            p++;
        const char *b = p;
        while (*p && isalpha((unsigned char)*p))
            p++;
        size_t n = (size_t)(p - b);
        /* a LaTeX command (\Delta) or a symbol is no word */
        if (n < 3 || n >= WORD_MAX || (b > s && b[-1] == '\\'))
            continue;
        char w[WORD_MAX];
        for (size_t i = 0; i < n; i++)
            w[i] = (char)tolower((unsigned char)b[i]);
        w[n] = '\0';
        bool seen = is_stop(w);
        for (size_t i = 0; i < wl->n && !seen; i++)
            seen = wl->w[i][0] == w[0] && strcmp(wl->w[i], w) == 0;
        if (!seen && wl->n < MAX_WORDS)
            memcpy(wl->w[wl->n++], w, n + 1);
    }
}

static void part_words(const gpart *p, wordlist *wl)
{
    wl->n = 0;
    add_words(wl, p->title);
    for (size_t i = 0; i < p->n_targets; i++)
        add_words(wl, p->targets[i]);
}

/* Does the word w (or its stem: all but its last letters, at least 4;
 * a word of 3 letters whole) start a word of the lower-case text? */
static bool text_has(const char *text, const char *w)
{
    size_t n = strlen(w);
    size_t stem = n > 6 ? n - 3 : n < 4 ? n : 4;
    char key[WORD_MAX];
    memcpy(key, w, stem);
    key[stem] = '\0';
    for (const char *p = strstr(text, key); p; p = strstr(p + 1, key))
        if (p == text || !isalpha((unsigned char)p[-1]))
            return true;
    return false;
}

/* A lower-case copy of text[0..n) in low (its first cap-1 bytes). */
static void lower(char *low, size_t cap, const char *text, size_t n)
{
    size_t k = n < cap - 1 ? n : cap - 1;
    for (size_t i = 0; i < k; i++)
        low[i] = (char)tolower((unsigned char)text[i]);
    low[k] = '\0';
}

/* The words of what goes wrong in part p: the details of its known wrong
 * variants (not of other correct forms) and its points. */
static void mistake_words(const gpart *p, wordlist *wl)
{
    wl->n = 0;
    for (size_t i = 0; i < p->n_variants; i++)
        if (!p->variants[i].category || strcmp(p->variants[i].category, "accept") != 0)
            add_words(wl, p->variants[i].detail);
    for (size_t i = 0; i < p->n_points; i++)
        add_words(wl, p->points[i]);
}

/* Every part's words and their weights (1/df), and the words of its
 * mistakes, built once per grading view: tokenising the titles for every
 * call cost a third of grading, the details of the variants for every
 * clause 1 % more. */
struct rp_content_index {
    wordlist *words;
    double (*weight)[MAX_WORDS];
    wordlist *mistakes;
};

rp_status rp_grade_content_build(grubric *g, rp_arena *a)
{
    rp_content_index *ix = rp_arena_alloc(a, sizeof *ix);
    if (!ix)
        return RP_ENOMEM;
    ix->words = rp_arena_alloc(a, (g->n_parts + 1) * sizeof *ix->words);
    ix->weight = rp_arena_alloc(a, (g->n_parts + 1) * sizeof *ix->weight);
    ix->mistakes = rp_arena_alloc(a, (g->n_parts + 1) * sizeof *ix->mistakes);
    if (!ix->words || !ix->weight || !ix->mistakes)
        return RP_ENOMEM;
    for (size_t p = 0; p < g->n_parts; p++) {
        part_words(&g->parts[p], &ix->words[p]);
        mistake_words(&g->parts[p], &ix->mistakes[p]);
    }
    for (size_t p = 0; p < g->n_parts; p++) {
        const wordlist *mine = &ix->words[p];
        for (size_t w = 0; w < mine->n; w++) {
            /* how many letters of the problem have the word (sub-parts of
             * one letter count once) */
            size_t df = 0;
            for (size_t q = 0; q < g->n_parts; q++) {
                if (g->parts[q].problem != g->parts[p].problem ||
                    (q > 0 && g->parts[q - 1].problem == g->parts[q].problem &&
                     g->parts[q - 1].letter == g->parts[q].letter))
                    continue;
                for (size_t o = 0; o < ix->words[q].n; o++)
                    if (strcmp(ix->words[q].w[o], mine->w[w]) == 0) {
                        df++;
                        break;
                    }
            }
            ix->weight[p][w] = 1.0 / (double)(df ? df : 1);
        }
    }
    g->content = ix;
    return RP_OK;
}

size_t rp_grade_part_by_content(grader *G, const char *text, size_t n, const bool *candidates,
                                double min_score)
{
    const grubric *g = G->g;
    const rp_content_index *ix = g->content;
    if (!ix)
        return (size_t)-1;
    char low[2048];
    lower(low, sizeof low, text, n);
    size_t best = (size_t)-1;
    double best_score = 0, second = 0;
    for (size_t p = 0; p < g->n_parts; p++) {
        if (!candidates[p])
            continue;
        const wordlist *mine = &ix->words[p];
        double score = 0;
        for (size_t w = 0; w < mine->n; w++)
            if (text_has(low, mine->w[w]))
                score += ix->weight[p][w];
        /* sub-parts of one letter share their words: the first stands for them */
        bool sibling = best != (size_t)-1 && g->parts[best].problem == g->parts[p].problem &&
                       g->parts[best].letter == g->parts[p].letter;
        if (score > best_score) {
            if (!sibling)
                second = best_score;
            best_score = score;
            best = p;
        } else if (score > second && !sibling) {
            second = score;
        }
    }
    return best_score >= min_score && best_score > second ? best : (size_t)-1;
}

bool rp_grade_names_mistake(const grader *G, size_t p, const char *text, size_t n)
{
    const rp_content_index *ix = G->g->content;
    if (!ix || !ix->mistakes[p].n)
        return false;
    const wordlist *wl = &ix->mistakes[p];
    char low[2048];
    lower(low, sizeof low, text, n);
    for (size_t w = 0; w < wl->n; w++)
        if (text_has(low, wl->w[w]))
            return true;
    return false;
}
