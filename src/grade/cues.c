/*
 * The cue words of corrections in user turns: four lists (negative,
 * positive, hint, solution) found in one pass by an Aho-Corasick automaton
 * built once per process.  Only words about talking to a model stand here;
 * a subject's words come from the rubric's vocabulary (corrections.c).
 */
#include "grade_internal.h"

#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

static const char *const negative_cues[] = {
    "incorrect", "wrong", "not correct", "isn't correct", "not right", "isn't right",
    "mistake", "error", "missing", "forgot", "forget", "neglect", "flipped", "redo",
    "re-do", "recheck", "re-check", "reevaluate", "re-evaluate", "reconsider", "fix ",
    "no longer", "instead of", "should be", "supposed to", "doesn't match",
    "does not match", "don't match", "off by", "why is this", "where did you go wrong",
    "where are you", "need the", "we need", "can you format", "aren't you", "are you sure",
    "not quite", "try again", "remove", "issue", "problem with", "losing", "lost",
    "double check", "double-check", "go back", "not what", "doesn't look", "not the same",
    "still not", "still incorrect", "not match", "overlooked", "ignored", "ignoring", NULL};

static const char *const positive_cues[] = {
    "look good", "looks good", "is correct", "are correct", "correct!", "flawless",
    "great", "perfect", "well done", "nice", "good job", "right answer", "looks right",
    NULL};

/* Words that name a cause in any subject; a subject's own words ("the
 * biases", "the padding") come from the rubric (rp_grade_names_mistake). */
static const char *const hint_cues[] = {
    "missing", "forgot", "forget", "neglect", "flipped", "flip", "sign", "negative",
    "factor", "multiple of", "constant", "transpose", "boundary",
    "row", "column", "entry", "entries", "instead of", "format",
    "general", "in terms of", "include", "inequalit", "case", "should be", "account",
    "scaling", "swap", "order", "index", "square", "root", NULL};

/* Phrases that give the answer away.  "your solution" is the model's own
 * answer, so a phrase counts only where "your" does not stand right before
 * it (see rp_grade_find_cues()). */
static const char *const solution_cues[] = {
    "solution:", "here is the solution", "here's the solution", "the solution is",
    "the solution in the", "homework solution", "official solution", "solutions say",
    "solution says", "the answer is", "the correct answer", "answer key",
    "the solutions", "the solution", NULL};


#define N_SOLUTION_CUES (sizeof solution_cues / sizeof *solution_cues - 1)
/* Room for the automaton: the lists hold 1070 bytes of 30 distinct
 * characters today.  Grow these before the lists outgrow them: what does
 * not fit is left out of the automaton. */
#define CUE_STATES 1536 /* more than all cues' bytes together */
#define CUE_CLASSES 40  /* the bytes cues are made of, case folded, and "other" */

/* An Aho-Corasick automaton over all four cue lists: one table step per
 * byte of a clause finds every cue of every list, where a strstr per cue
 * read each clause some 120 times.  Upper case steps like lower case, so
 * the text needs no lower-case copy.  Built once per process; read-only
 * after. */
typedef struct cue_automaton {
    uint8_t cls[256];                          /* byte -> class, 0 for other */
    uint16_t next[CUE_STATES][CUE_CLASSES];    /* the step, failures folded in */
    uint16_t fail[CUE_STATES];
    uint8_t lists[CUE_STATES];     /* CUE_* bits of cues ending here, through the failure
                                      chain; CUE_SOLUTION: see sol_at */
    uint16_t sol_at[CUE_STATES];   /* nearest state on the failure chain (this one
                                      included) where a solution cue ends; 0: none */
    int16_t sol_cue[CUE_STATES];   /* the solution cue ending at this state, or -1 */
    uint8_t depth[CUE_STATES];     /* bytes from the root */
    size_t n_states;
    bool overflow;                 /* a cue did not fit (see rp_grade_cues_complete) */
} cue_automaton;

static cue_automaton cue_ac;
static pthread_once_t cue_once = PTHREAD_ONCE_INIT;

static void add_cue(cue_automaton *t, const char *w, unsigned list, int sol)
{
    size_t st = 0;
    for (const char *p = w; *p; p++) {
        uint8_t c = t->cls[(unsigned char)*p];
        if (!t->next[st][c]) {
            if (t->n_states >= CUE_STATES) {
                t->overflow = true; /* unit.grade fails: grow CUE_STATES */
                return;
            }
            t->depth[t->n_states] = (uint8_t)(t->depth[st] + 1);
            t->sol_cue[t->n_states] = -1;
            t->next[st][c] = (uint16_t)t->n_states++;
        }
        st = t->next[st][c];
    }
    if (list == CUE_SOLUTION)
        t->sol_cue[st] = (int16_t)sol;
    else
        t->lists[st] |= (uint8_t)list;
}

static void build_cues(void)
{
    static const struct {
        const char *const *words;
        unsigned list;
    } all[] = {{negative_cues, CUE_NEGATIVE},
               {positive_cues, CUE_POSITIVE},
               {hint_cues, CUE_HINT},
               {solution_cues, CUE_SOLUTION}};
    cue_automaton *t = &cue_ac;
    uint8_t n_cls = 1;
    for (size_t l = 0; l < sizeof all / sizeof *all; l++)
        for (size_t i = 0; all[l].words[i]; i++)
            for (const char *p = all[l].words[i]; *p; p++) {
                unsigned char c = (unsigned char)*p;
                if (!t->cls[c] && n_cls >= CUE_CLASSES)
                    t->overflow = true; /* unit.grade fails: grow CUE_CLASSES */
                if (!t->cls[c] && n_cls < CUE_CLASSES) {
                    t->cls[c] = n_cls;
                    t->cls[toupper(c)] = n_cls;
                    n_cls++;
                }
            }
    t->n_states = 1;
    t->sol_cue[0] = -1;
    for (size_t l = 0; l < sizeof all / sizeof *all; l++)
        for (size_t i = 0; all[l].words[i]; i++)
            add_cue(t, all[l].words[i], all[l].list, (int)i);
    /* breadth first: failure links, steps that fail over, and what ends
     * at each state through its failure chain */
    uint16_t queue[CUE_STATES];
    size_t head = 0, tail = 0;
    for (int c = 0; c < CUE_CLASSES; c++)
        if (t->next[0][c])
            queue[tail++] = t->next[0][c];
    while (head < tail) {
        uint16_t st = queue[head++];
        uint16_t f = t->fail[st];
        t->lists[st] |= t->lists[f];
        t->sol_at[st] = t->sol_cue[st] >= 0 ? st : t->sol_at[f];
        if (t->sol_at[st])
            t->lists[st] |= CUE_SOLUTION; /* only a candidate: see "your" */
        for (int c = 0; c < CUE_CLASSES; c++) {
            uint16_t to = t->next[st][c];
            if (to) {
                t->fail[to] = t->next[f][c];
                queue[tail++] = to;
            } else {
                t->next[st][c] = t->next[f][c];
            }
        }
    }
}

/* Is the word right before text[at] "your"?  "your solution" is the
 * model's own answer, not the solution given away. */
static bool yours_before(const char *text, size_t at)
{
    size_t b = at;
    while (b > 0 && text[b - 1] == ' ')
        b--;
    size_t w = b;
    while (w > 0 && isalpha((unsigned char)text[w - 1]))
        w--;
    return b - w == 4 && strncasecmp(text + w, "your", 4) == 0;
}

/* A solution cue counts where "your" does not stand before it; after one
 * that does, that cue is looked for again past its end, as a strstr loop
 * over the text would. */
bool rp_grade_cues_complete(void)
{
    pthread_once(&cue_once, build_cues);
    return !cue_ac.overflow;
}

/* The cues that end at text[i] in state st (one whose lists are not
 * empty): the lists other than solution, and solution where a solution
 * cue ending here has no "your" before it.  Apart from the byte loop of
 * rp_grade_find_cues(), which then keeps its state in registers. */
static unsigned cues_at(const cue_automaton *t, const char *text, size_t i, size_t st,
                        size_t *resume)
{
    unsigned found = t->lists[st] & ~CUE_SOLUTION;
    for (size_t q = t->sol_at[st]; q; q = t->sol_at[t->fail[q]]) {
        size_t c = (size_t)t->sol_cue[q], at = i + 1 - t->depth[q];
        if (at < resume[c])
            continue;
        if (yours_before(text, at))
            resume[c] = i + 1;
        else
            found |= CUE_SOLUTION;
    }
    return found;
}

unsigned rp_grade_find_cues(const char *text, size_t n)
{
    pthread_once(&cue_once, build_cues);
    const cue_automaton *t = &cue_ac;
    const char *nul = memchr(text, '\0', n);
    if (nul)
        n = (size_t)(nul - text);
    size_t resume[N_SOLUTION_CUES] = {0};
    unsigned found = 0;
    size_t st = 0;
    const unsigned char *u = (const unsigned char *)text;
    for (const unsigned char *q = u; q < u + n; q++) {
        st = t->next[st][t->cls[*q]];
        if (!t->lists[st])
            continue; /* no cue ends here: most bytes */
        found |= cues_at(t, text, (size_t)(q - u), st, resume);
        if (found == CUE_ALL)
            break;
    }
    return found;
}
