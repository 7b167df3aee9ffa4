/*
 * Paragraph scores for the chat-UI text reader.
 *
 * ct_note_score() measures how much a paragraph reads like the annotator's
 * remark about the model rather than part of the conversation: the model
 * as a third-person subject ("The model gets…", "Qwen one shots…",
 * "Claude is able…"), the student's first person describing the process
 * ("I try to nudge…", "Now I decide…", "At this point I…"), verdicts
 * ("One-shot success.", "Correctly derived…", "Recognized …"), and remarks
 * about feelings ("I find this very useful").  Second person ("you",
 * "your"), the model's own voice ("I'll", "Let me", "Wait"), display math
 * and long bodies count against.
 *
 * ct_role_score() tells the user's voice (requests, corrections, pasted
 * problem statements) from the model's (openings such as "I'll work
 * through", "You're right!", answers).  Both are linear in the paragraph.
 */
#include "chat_text_int.h"

#include <stdint.h>
#include <string.h>

#define MAX_WORDS 48 /* words of a sentence looked at */

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* The ASCII characters of words, each mapped to its lowered form (0: not
 * a word character).  One look-up per byte in split_words, which every
 * sentence of every paragraph goes through. */
#define WL_LETTER(c) [c] = c, [c - 'a' + 'A'] = c
static const char word_lower[128] = {
    WL_LETTER('a'), WL_LETTER('b'), WL_LETTER('c'), WL_LETTER('d'), WL_LETTER('e'),
    WL_LETTER('f'), WL_LETTER('g'), WL_LETTER('h'), WL_LETTER('i'), WL_LETTER('j'),
    WL_LETTER('k'), WL_LETTER('l'), WL_LETTER('m'), WL_LETTER('n'), WL_LETTER('o'),
    WL_LETTER('p'), WL_LETTER('q'), WL_LETTER('r'), WL_LETTER('s'), WL_LETTER('t'),
    WL_LETTER('u'), WL_LETTER('v'), WL_LETTER('w'), WL_LETTER('x'), WL_LETTER('y'),
    WL_LETTER('z'), ['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4',
    ['5'] = '5', ['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9', ['\''] = '\'',
    ['-'] = '-'};
#undef WL_LETTER

/* Letters, digits, apostrophes, hyphens and any non-ASCII byte. */
static inline bool is_wordch(unsigned char c)
{
    return c >= 0x80 || word_lower[c];
}

/* A word: a view plus its lowered ASCII copy (truncated to 23 bytes). */
typedef struct word {
    rp_span s;
    char lw[24];
    unsigned mask; /* W_* classes */
    size_t len;    /* strlen(lw) */
} word;

static inline bool weq(const word *w, const char *lit)
{
    if (w->lw[0] != lit[0])
        return false;
    size_t m = strlen(lit);
    return w->len == m && memcmp(w->lw, lit, m) == 0;
}

static bool win(const word *w, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(w->lw, list[i]) == 0)
            return true;
    return false;
}

static bool ends_with(const word *w, const char *suf)
{
    size_t n = w->len, m = strlen(suf);
    return n > m && strcmp(w->lw + n - m, suf) == 0;
}

/* Split s into words (letters, digits, apostrophes, hyphens; curly
 * apostrophes count).  Returns the number stored (at most max). */
static unsigned word_mask(const char *lw);

static size_t split_words(const char *p, size_t n, word *out, size_t max)
{
    size_t k = 0, i = 0;
    while (i < n && k < max) {
        while (i < n && !is_wordch((unsigned char)p[i]))
            i++;
        if (i >= n)
            break;
        size_t st = i;
        word *w = &out[k];
        size_t m = 0;
        for (; i < n; i++) {
            unsigned char c = (unsigned char)p[i];
            if (c < 0x80) {
                char lc = word_lower[c];
                if (!lc)
                    break; /* the end of the word */
                if (m < sizeof w->lw - 1)
                    w->lw[m++] = lc;
            } else if (m < sizeof w->lw - 1 && c == 0xE2 && i + 2 < n &&
                       (unsigned char)p[i + 1] == 0x80 && (unsigned char)p[i + 2] == 0x99) {
                w->lw[m++] = '\''; /* ’ */
                i += 2;
            }
        }
        w->s = rp_span_make(p + st, i - st);
        /* strip a trailing hyphen or apostrophe */
        while (m && (w->lw[m - 1] == '-' || w->lw[m - 1] == '\''))
            m--;
        w->lw[m] = '\0';
        w->len = m;
        w->mask = m >= 2 && m <= 14 && w->lw[0] >= 'a' && w->lw[0] <= 'z' ? word_mask(w->lw) : 0;
        if (m)
            k++;
    }
    return k;
}

/* ----------------------------------------------------------- word classes */

/* What a word can signal; one word may carry several classes. */
enum {
    W_MODEL_NOUN = 1u << 0,
    W_VERBISH = 1u << 1,
    W_EVAL = 1u << 2,
    W_STUDENT_STRONG = 1u << 3,
    W_STUDENT_VERB = 1u << 4,
    W_VOICE = 1u << 5,
    W_PAST_EVAL = 1u << 6,
    W_PRESENT_EVAL = 1u << 7,
    W_FEELING = 1u << 8,
    W_YOU = 1u << 9,
    W_ADVERB_LY = 1u << 10,
};

/* Every word the scores look for, sorted (strcmp order) for binary search:
 * model nouns ("model"), verbs that follow a third-person subject, words of
 * evaluation, the student's first-person process verbs, openers of the
 * model's own voice, subjectless verdict verbs, feelings, second person. */
static const struct wclass {
    const char *w;
    unsigned mask;
} wclasses[] = {
    {"accurately", W_ADVERB_LY},
    {"actually", W_VERBISH | W_VOICE},
    {"again", W_VERBISH},
    {"ah", W_VOICE},
    {"ai", W_MODEL_NOUN},
    {"almost", W_VERBISH},
    {"also", W_STUDENT_VERB | W_VERBISH},
    {"am", W_STUDENT_VERB},
    {"amazing", W_FEELING},
    {"annoying", W_FEELING},
    {"answer", W_EVAL | W_VOICE},
    {"answered", W_PAST_EVAL},
    {"answers", W_EVAL},
    {"applied", W_PAST_EVAL},
    {"arrived", W_EVAL | W_PAST_EVAL},
    {"arrives", W_EVAL | W_PRESENT_EVAL | W_VERBISH},
    {"ask", W_STUDENT_VERB},
    {"asked", W_STUDENT_VERB},
    {"assistant", W_MODEL_NOUN},
    {"attempt", W_STUDENT_STRONG},
    {"attempted", W_STUDENT_STRONG},
    {"believe", W_STUDENT_VERB},
    {"bot", W_MODEL_NOUN},
    {"can", W_STUDENT_VERB | W_VERBISH},
    {"can't", W_VERBISH},
    {"certainly", W_VOICE},
    {"challenging", W_EVAL},
    {"chatbot", W_MODEL_NOUN},
    {"cleanly", W_ADVERB_LY},
    {"clearly", W_VERBISH},
    {"computed", W_PAST_EVAL},
    {"confused", W_EVAL | W_PAST_EVAL},
    {"confuses", W_PRESENT_EVAL},
    {"converted", W_PAST_EVAL},
    {"copied", W_STUDENT_VERB},
    {"correct", W_EVAL | W_STUDENT_VERB},
    {"corrected", W_PAST_EVAL | W_STUDENT_VERB},
    {"correction", W_EVAL},
    {"correctly", W_ADVERB_LY | W_EVAL | W_VERBISH},
    {"could", W_VERBISH},
    {"couldn't", W_VERBISH},
    {"decide", W_STUDENT_STRONG},
    {"decided", W_STUDENT_STRONG},
    {"demonstrated", W_PAST_EVAL},
    {"derived", W_PAST_EVAL},
    {"described", W_PAST_EVAL},
    {"describes", W_PRESENT_EVAL},
    {"did", W_VERBISH},
    {"didn't", W_STUDENT_VERB | W_VERBISH},
    {"difficult", W_EVAL},
    {"disappointing", W_FEELING},
    {"does", W_VERBISH},
    {"doesn't", W_VERBISH},
    {"don't", W_STUDENT_VERB},
    {"doubled", W_PAST_EVAL},
    {"error", W_EVAL},
    {"errors", W_EVAL},
    {"eventually", W_VERBISH},
    {"expected", W_STUDENT_VERB},
    {"explained", W_PAST_EVAL},
    {"explains", W_PRESENT_EVAL},
    {"fail", W_EVAL},
    {"failed", W_EVAL | W_PAST_EVAL | W_VERBISH},
    {"fails", W_EVAL | W_PRESENT_EVAL | W_VERBISH},
    {"feel", W_STUDENT_VERB},
    {"felt", W_STUDENT_VERB},
    {"figure", W_STUDENT_STRONG},
    {"figured", W_STUDENT_STRONG},
    {"finally", W_ADVERB_LY | W_VERBISH},
    {"find", W_STUDENT_VERB},
    {"first", W_STUDENT_VERB},
    {"forgets", W_PRESENT_EVAL},
    {"forgot", W_PAST_EVAL},
    {"found", W_STUDENT_VERB},
    {"frustrating", W_FEELING},
    {"gave", W_PAST_EVAL | W_STUDENT_VERB},
    {"gets", W_PRESENT_EVAL | W_VERBISH},
    {"give", W_STUDENT_VERB},
    {"gives", W_PRESENT_EVAL},
    {"glad", W_FEELING},
    {"got", W_PAST_EVAL | W_VERBISH},
    {"great", W_VOICE},
    {"guess", W_STUDENT_VERB},
    {"had", W_VERBISH},
    {"hallucination", W_EVAL},
    {"handled", W_PAST_EVAL},
    {"handles", W_PRESENT_EVAL},
    {"happy", W_FEELING},
    {"has", W_VERBISH},
    {"helpful", W_FEELING},
    {"hence", W_VOICE},
    {"here", W_EVAL},
    {"here's", W_VOICE},
    {"hint", W_EVAL},
    {"hmm", W_VOICE},
    {"hoped", W_STUDENT_VERB},
    {"i'd", W_VOICE},
    {"i'll", W_VOICE},
    {"i'm", W_VOICE},
    {"i've", W_VOICE},
    {"idea", W_EVAL},
    {"identified", W_PAST_EVAL},
    {"ignored", W_PAST_EVAL},
    {"immediately", W_VERBISH},
    {"impressed", W_FEELING},
    {"impressive", W_FEELING},
    {"impressively", W_FEELING},
    {"incorrect", W_EVAL},
    {"incorrectly", W_ADVERB_LY | W_EVAL | W_VERBISH},
    {"initially", W_VERBISH},
    {"interesting", W_FEELING},
    {"interventions", W_EVAL},
    {"is", W_VERBISH},
    {"isn't", W_VERBISH},
    {"just", W_VERBISH},
    {"keeps", W_PRESENT_EVAL | W_VERBISH},
    {"kept", W_VERBISH},
    {"later", W_STUDENT_VERB},
    {"let", W_VOICE},
    {"let's", W_VOICE},
    {"llm", W_MODEL_NOUN},
    {"made", W_VERBISH},
    {"makes", W_VERBISH},
    {"matched", W_PAST_EVAL},
    {"misread", W_PAST_EVAL},
    {"missed", W_PAST_EVAL},
    {"misses", W_PRESENT_EVAL},
    {"mistake", W_EVAL},
    {"mistaken", W_EVAL},
    {"mistakenly", W_ADVERB_LY},
    {"mistakes", W_EVAL},
    {"model", W_MODEL_NOUN},
    {"move", W_STUDENT_VERB},
    {"moved", W_STUDENT_VERB},
    {"nailed", W_PAST_EVAL},
    {"nails", W_PRESENT_EVAL},
    {"nearly", W_VERBISH},
    {"neglected", W_PAST_EVAL},
    {"never", W_VERBISH},
    {"nice", W_FEELING},
    {"noted", W_PAST_EVAL},
    {"notice", W_STUDENT_VERB},
    {"noticed", W_STUDENT_VERB},
    {"now", W_VERBISH},
    {"nudge", W_EVAL | W_STUDENT_STRONG},
    {"nudged", W_EVAL | W_STUDENT_STRONG},
    {"ok", W_VOICE},
    {"okay", W_VOICE},
    {"one", W_VERBISH},
    {"overlooked", W_PAST_EVAL},
    {"pasted", W_STUDENT_VERB},
    {"point", W_STUDENT_VERB},
    {"probe", W_STUDENT_STRONG},
    {"probed", W_STUDENT_STRONG},
    {"prompted", W_STUDENT_STRONG},
    {"properly", W_ADVERB_LY},
    {"provides", W_PRESENT_EVAL},
    {"quickly", W_ADVERB_LY | W_VERBISH},
    {"realised", W_PAST_EVAL},
    {"realized", W_PAST_EVAL | W_STUDENT_VERB},
    {"realizes", W_VERBISH},
    {"really", W_VERBISH},
    {"recognised", W_PAST_EVAL},
    {"recognized", W_PAST_EVAL},
    {"recognizes", W_PRESENT_EVAL},
    {"recovered", W_PAST_EVAL},
    {"related", W_PAST_EVAL},
    {"repeated", W_PAST_EVAL},
    {"repeats", W_PRESENT_EVAL},
    {"reprompted", W_STUDENT_STRONG},
    {"reran", W_STUDENT_VERB},
    {"retried", W_STUDENT_VERB},
    {"right", W_EVAL},
    {"seems", W_VERBISH},
    {"send", W_STUDENT_VERB},
    {"sent", W_STUDENT_VERB},
    {"should", W_VERBISH},
    {"showed", W_PAST_EVAL},
    {"shows", W_PRESENT_EVAL},
    {"since", W_VOICE},
    {"so", W_VOICE},
    {"solution", W_EVAL},
    {"solutions", W_EVAL},
    {"solved", W_PAST_EVAL},
    {"start", W_STUDENT_VERB},
    {"started", W_STUDENT_VERB},
    {"step", W_VOICE},
    {"still", W_VERBISH},
    {"struggle", W_EVAL},
    {"struggled", W_EVAL | W_PAST_EVAL | W_VERBISH},
    {"struggles", W_EVAL | W_PRESENT_EVAL | W_VERBISH},
    {"succeeds", W_EVAL},
    {"success", W_EVAL},
    {"successfully", W_ADVERB_LY | W_VERBISH},
    {"sure", W_VOICE},
    {"surprised", W_FEELING},
    {"surprising", W_FEELING},
    {"suspect", W_STUDENT_VERB},
    {"switched", W_STUDENT_VERB},
    {"tell", W_STUDENT_VERB},
    {"then", W_STUDENT_VERB | W_VERBISH},
    {"therefore", W_VOICE},
    {"think", W_STUDENT_VERB},
    {"thought", W_STUDENT_VERB},
    {"thus", W_VOICE},
    {"told", W_STUDENT_STRONG},
    {"tried", W_STUDENT_STRONG},
    {"try", W_STUDENT_STRONG},
    {"understand", W_EVAL},
    {"understands", W_EVAL | W_VERBISH},
    {"understood", W_EVAL | W_PAST_EVAL | W_VERBISH},
    {"uploaded", W_STUDENT_VERB},
    {"used", W_PAST_EVAL},
    {"useful", W_FEELING},
    {"wait", W_VOICE},
    {"want", W_STUDENT_VERB},
    {"wanted", W_STUDENT_VERB},
    {"was", W_STUDENT_VERB | W_VERBISH},
    {"wasn't", W_VERBISH},
    {"we", W_VOICE},
    {"will", W_VERBISH},
    {"wish", W_STUDENT_VERB},
    {"would", W_STUDENT_VERB | W_VERBISH},
    {"wrong", W_EVAL},
    {"wrongly", W_ADVERB_LY},
    {"yes", W_VOICE},
    {"you", W_YOU},
    {"you'd", W_YOU},
    {"you'll", W_YOU},
    {"you're", W_VOICE | W_YOU},
    {"you've", W_YOU},
    {"your", W_YOU},
    {"yours", W_YOU},
    {"yourself", W_YOU},
};

/* Open-addressing index of wclasses by the FNV-1a hash of the word (32-bit,
 * slot = hash % 1024, linear probing; -1 empty), computed when the list was
 * written: regenerate it whenever the list changes (the unit test checks
 * that every word is found). */
static const short wslots[1024] = {
    -1, -1, -1, -1, -1, -1, -1, 96, -1, -1, -1, -1, -1, -1, 207, -1,
    -1, -1, 160, -1, 132, -1, -1, 180, 164, -1, -1, 140, 168, -1, -1, -1,
    -1, -1, -1, 17, -1, -1, -1, -1, -1, -1, 176, -1, 173, 80, -1, -1,
    0, -1, 74, -1, 8, 65, -1, -1, -1, -1, 30, 63, 57, 183, 39, -1,
    -1, 70, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 163, 14, -1,
    133, -1, 188, -1, 122, -1, -1, -1, 120, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, 1, -1, -1, 79, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 90, -1, 22, -1,
    -1, 228, -1, -1, -1, -1, -1, 218, -1, 138, -1, -1, -1, -1, -1, -1,
    -1, 151, 170, 40, 101, -1, -1, -1, -1, -1, -1, -1, 226, -1, 11, -1,
    214, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 161, 174,
    125, 130, -1, -1, -1, -1, -1, -1, 144, -1, -1, -1, -1, 28, -1, -1,
    -1, 103, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, 187, -1, -1, -1, -1, -1, -1, -1, -1, 195, -1, -1, -1, -1, 184,
    86, 115, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 233, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 119, -1, -1, -1,
    -1, -1, 189, -1, -1, -1, -1, -1, -1, 66, 95, -1, -1, 59, -1, -1,
    105, -1, -1, -1, -1, 85, 44, -1, -1, -1, -1, -1, 77, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, 84, -1, 27, 49, -1, -1, -1, -1, 19, 215,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 47, -1,
    191, -1, -1, -1, -1, -1, -1, -1, 36, -1, -1, -1, -1, -1, -1, 2,
    156, 37, 87, 7, -1, -1, -1, -1, -1, -1, 69, -1, -1, -1, -1, -1,
    -1, -1, 222, 159, 229, 23, 102, -1, -1, -1, -1, -1, 109, 53, -1, -1,
    -1, -1, -1, -1, 205, -1, 200, 182, -1, -1, -1, 108, -1, -1, -1, -1,
    -1, -1, -1, 104, -1, -1, -1, -1, -1, -1, -1, -1, -1, 89, 220, -1,
    225, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 179, -1, 42,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, 117, -1, -1, 76, -1, -1, -1,
    51, 141, 152, -1, -1, -1, -1, -1, 93, 97, -1, 167, -1, 78, -1, -1,
    -1, -1, -1, -1, 12, -1, -1, -1, 198, 29, -1, 91, -1, -1, 72, -1,
    -1, -1, -1, -1, 9, -1, -1, -1, -1, -1, -1, -1, 98, -1, -1, 10,
    227, -1, -1, -1, -1, 172, -1, -1, -1, -1, -1, -1, -1, 177, 81, 148,
    216, -1, 217, -1, -1, -1, -1, -1, -1, -1, -1, -1, 139, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, 209, -1, -1, -1, 3, -1, -1, 186,
    -1, -1, 16, -1, -1, -1, -1, 123, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 157, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, 166, -1, -1, -1, -1, 111, -1, -1,
    -1, -1, -1, -1, -1, -1, 162, -1, 99, -1, -1, -1, -1, 204, 197, 142,
    153, -1, 25, -1, 145, -1, -1, -1, 121, -1, 131, 202, 210, 178, -1, 114,
    -1, -1, -1, -1, 150, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, 223, 32, 201, -1, -1, -1, -1, -1, -1, -1,
    194, -1, -1, -1, -1, 110, 56, 126, 169, 26, -1, -1, -1, -1, -1, -1,
    -1, -1, 83, -1, -1, -1, -1, 67, -1, -1, 100, -1, -1, -1, -1, -1,
    -1, -1, -1, 43, -1, -1, -1, -1, -1, -1, 231, 208, -1, -1, -1, 213,
    50, 212, -1, -1, -1, -1, -1, -1, -1, -1, 154, -1, -1, 64, 196, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 13, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, 92, -1, -1, -1, 58, -1, -1, 134, -1, -1, -1,
    -1, -1, -1, 127, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 31, -1,
    -1, 35, 113, 203, -1, -1, -1, 143, 137, -1, 38, -1, -1, 60, -1, -1,
    171, 46, -1, -1, 54, -1, -1, -1, -1, -1, -1, -1, -1, 211, -1, -1,
    192, -1, -1, -1, -1, 112, -1, -1, -1, 94, -1, -1, -1, -1, -1, -1,
    -1, 41, -1, -1, 75, -1, -1, 18, -1, -1, -1, -1, -1, -1, -1, 20,
    -1, -1, -1, -1, -1, -1, 221, 106, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, 147, -1, -1, -1, -1, -1, -1,
    -1, 55, 6, -1, -1, -1, -1, -1, -1, 116, 165, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, 45, 124, -1, -1, -1, -1, -1, -1, 107, 61, -1, 5,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 181, 175,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, 135, 48, -1, -1, -1, -1, -1, -1, -1, 232, -1, -1, 185, 4,
    73, 155, 199, -1, 193, 149, -1, -1, 68, 219, -1, -1, -1, -1, -1, 146,
    -1, -1, -1, -1, 62, 224, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, 158, -1, -1, -1, -1, -1, -1, -1, -1, 71, -1, -1,
    -1, -1, 82, -1, -1, -1, 24, 15, -1, -1, -1, -1, -1, -1, -1, 206,
    136, -1, -1, 88, -1, 34, -1, -1, 129, 52, -1, -1, -1, -1, -1, -1,
    230, -1, -1, 190, -1, -1, -1, 128, -1, 33, 118, -1, -1, -1, -1, 21,
};

static unsigned word_mask(const char *lw)
{
    uint32_t h = 2166136261u;
    for (const char *q = lw; *q; q++) {
        h ^= (unsigned char)*q;
        h *= 16777619u;
    }
    for (size_t k = h & 1023, probes = 0; probes < 1024; k = (k + 1) & 1023, probes++) {
        int i = wslots[k];
        if (i < 0)
            return 0;
        if (strcmp(lw, wclasses[i].w) == 0)
            return wclasses[i].mask;
    }
    return 0;
}




/* first-person verbs of a student describing their process */

/* openers of the model's (or an explanation's) voice */







/* Is w a model's name for this transcript (its family or short name)? */
static bool is_model_name(const ct_ctx *c, const word *w)
{
    if (ct_is_model_word(w->s))
        return true;
    if (c && c->model_short.n && c->model_short.n == w->len) {
        for (size_t i = 0; i < c->model_short.n; i++)
            if (lower(c->model_short.p[i]) != w->lw[i])
                return false;
        return true;
    }
    return false;
}

/* Score of one sentence of k words; first: the paragraph's first sentence. */
static double sentence_score(const ct_ctx *c, const word *w, size_t k, bool first,
                             bool *has_you, bool *model_ref)
{
    if (k == 0)
        return 0;
    double s = 0;
    size_t st = 0;
    /* numbering ("1", "2") before a recap item */
    if (first && k > 1 && w[0].lw[0] >= '0' && w[0].lw[0] <= '9' && w[0].len <= 2)
        st = 1;
    const word *w0 = &w[st];
    size_t kk = k - st;

    bool eval = false;
    for (size_t i = st; i < k; i++) {
        if (w[i].mask & W_YOU)
            *has_you = true;
        if (w[i].mask & W_EVAL)
            eval = true;
    }
    if (w0->mask & W_VOICE)
        s -= 3;

    double best = 0;
    for (size_t i = st; i < k; i++) {
        const word *x = &w[i];
        /* "the model" / "this model" */
        if ((weq(x, "the") || weq(x, "this")) && i + 1 < k && (w[i + 1].mask & W_MODEL_NOUN)) {
            bool verb = i + 2 < k && ((w[i + 2].mask & W_VERBISH) || ends_with(&w[i + 2], "s") ||
                                      ends_with(&w[i + 2], "ed"));
            double v = verb && eval ? 3 : (eval ? 2 : 1);
            if (i == st && verb)
                v = eval ? 3.5 : 2;
            if (v >= 3)
                *model_ref = true;
            if (v > best)
                best = v;
        }
        /* a model family named in the third person */
        if (is_model_name(c, x)) {
            bool verb = i + 1 < k && ((w[i + 1].mask & W_VERBISH) || ends_with(&w[i + 1], "s") ||
                                      ends_with(&w[i + 1], "ed"));
            double v = verb ? 3 : 2;
            if (verb)
                *model_ref = true;
            if (v > best)
                best = v;
        }
        /* the student's first person */
        if (weq(x, "i") && i + 1 < k) {
            double v = 0;
            if (w[i + 1].mask & W_STUDENT_STRONG)
                v = 3;
            else if (w[i + 1].mask & W_STUDENT_VERB)
                v = 2;
            else if (weq(&w[i + 1], "had") && i + 2 < k && weq(&w[i + 2], "hoped"))
                v = 3;
            if (v > 0) {
                /* the model referred to in the third person in the sentence */
                for (size_t j = st; j < k; j++)
                    if (is_model_name(c, &w[j]) ||
                        ((weq(&w[j], "the")) && j + 1 < k && (w[j + 1].mask & W_MODEL_NOUN)))
                        v += 1;
                if (v > best)
                    best = v;
            }
        }
        /* "at this point(,) I", "in the next chat" */
        if (i == st && weq(x, "at") && i + 2 < k && weq(&w[i + 1], "this") &&
            weq(&w[i + 2], "point")) {
            for (size_t j = i + 3; j < k; j++)
                if (weq(&w[j], "i") && 3 > best)
                    best = 3;
        }
        if (i == st && weq(x, "in") && i + 3 < k && weq(&w[i + 1], "the") &&
            (weq(&w[i + 2], "next") || weq(&w[i + 2], "following")) &&
            (weq(&w[i + 3], "chat") || weq(&w[i + 3], "prompt") || weq(&w[i + 3], "message") ||
             weq(&w[i + 3], "turn")) && 3 > best)
            best = 3;
        /* "one-shot", "one shots" */
        if (weq(x, "one-shot") || weq(x, "one-shots") || weq(x, "one-shotted") ||
            weq(x, "oneshot") ||
            (weq(x, "one") && i + 1 < k &&
             (weq(&w[i + 1], "shot") || weq(&w[i + 1], "shots") || weq(&w[i + 1], "shotted")))) {
            double v = 3;
            size_t nx = weq(x, "one") ? i + 2 : i + 1;
            if (nx < k && weq(&w[nx], "success"))
                v = 4;
            if (v > best)
                best = v;
        }
        if (x->mask & W_FEELING) {
            double v = weq(x, "impressive") || weq(x, "impressively") || weq(x, "impressed") ? 2 : 1;
            s += v;
        }
        /* "as someone who", "I would have liked", "nice to see", "I wish" */
        if (weq(x, "someone") && i > 0 && weq(&w[i - 1], "as") && 2 > best)
            best = 2;
        /* "the/official/homework solutions", "answer key" */
        if ((weq(x, "solutions") && i > 0 &&
             (weq(&w[i - 1], "the") || weq(&w[i - 1], "homework") || weq(&w[i - 1], "official"))) ||
            (weq(x, "key") && i > 0 && weq(&w[i - 1], "answer")))
            s += 1.5;
        /* "its answer", "its first pass" */
        if (weq(x, "its") && i + 1 < k &&
            (weq(&w[i + 1], "answer") || weq(&w[i + 1], "solution") || weq(&w[i + 1], "first") ||
             weq(&w[i + 1], "final") || weq(&w[i + 1], "thinking") || weq(&w[i + 1], "reasoning") ||
             weq(&w[i + 1], "computations") || weq(&w[i + 1], "mistake")))
            s += 1.5;
    }
    /* subjectless verdicts: "Correctly derived …", "Recognized …" */
    if (kk >= 2 && (w0->mask & W_ADVERB_LY) && ends_with(&w[st + 1], "ed") && 3 > best)
        best = 3;
    if (first && (w0->mask & W_PAST_EVAL) && w0->s.p[0] >= 'A' && w0->s.p[0] <= 'Z' && 2 > best)
        best = 2;
    if (first && st == 0 && (w0->mask & W_PRESENT_EVAL) && w0->s.p[0] >= 'A' && w0->s.p[0] <= 'Z' &&
        1.5 > best)
        best = 1.5;
    return s + best;
}

/* Ends of sentences: ". ", "! ", "? ", newline. */
static size_t sentence_end(const char *p, size_t n, size_t i)
{
    /* the bytes that may end a sentence: one look-up for all other bytes */
    static const bool may_end[256] = {['\n'] = true, ['.'] = true, ['!'] = true, ['?'] = true};
    while (i < n) {
        char ch = p[i];
        if (!may_end[(unsigned char)ch]) {
            i++;
            continue;
        }
        if (ch == '\n')
            return i + 1;
        if ((ch == '.' || ch == '!' || ch == '?') && (i + 1 == n || p[i + 1] == ' ' || p[i + 1] == '\n')) {
            /* not after the number of a list item ("2. Related …") */
            size_t d = i;
            while (d > 0 && p[d - 1] >= '0' && p[d - 1] <= '9' && i - d < 3)
                d--;
            bool item = ch == '.' && d < i;
            for (size_t q = d; item && q > 0 && p[q - 1] != '\n'; q--)
                if (p[q - 1] != ' ' && p[q - 1] != '\t')
                    item = false;
            if (!item)
                return i + 1;
        }
        i++;
    }
    return n;
}

/* Does the paragraph open with an annotator's label? */
static bool label_opens(const char *text, size_t n)
{
    static const char *const labels[] = {
        "verdict:", "comment:", "comments:", "annotation:", "evaluation:", "grade:",
        "assessment:", "observation:", "my note:", "student note:", "note to self:",
        "grader note:", "remark:", "reviewer note:", "[note]", "(note:", NULL};
    for (size_t i = 0; labels[i]; i++) {
        if (n == 0 || lower(text[0]) != labels[i][0])
            continue; /* the first letter decides most, before strlen */
        size_t m = strlen(labels[i]);
        if (n < m)
            continue;
        size_t j = 0;
        while (j < m && lower(text[j]) == labels[i][j])
            j++;
        if (j == m)
            return true;
    }
    return false;
}

double ct_note_score(const ct_ctx *c, const char *text, size_t n)
{
    if (n > 1500)
        return -5; /* a body this long is never a margin remark */
    /* display math, tables, code and formula bullets are never remarks */
    if (n >= 2 && ((text[0] == '$' && text[1] == '$') || text[0] == '|' || text[0] == '`' ||
                   (text[0] == '\\' && text[1] == '[')))
        return -5;
    if (n >= 3 && (text[0] == '-' || text[0] == '*') && text[1] == ' ' && text[2] == '$')
        return -5;
    double par = 0;
    size_t lines = 1;
    bool dollars2 = false;
    for (const char *q = text, *e = text + n; (q = memchr(q, '\n', (size_t)(e - q))); q++)
        lines++;
    for (const char *q = text, *e = text + n; !dollars2 && (q = memchr(q, '$', (size_t)(e - q)));
         q++)
        dollars2 = q + 1 < e && q[1] == '$';
    if (dollars2)
        par -= 2;
    if (n > 900)
        par -= 2;
    if (lines > 8)
        par -= 1;
    size_t b = 0;
    while (b < n && (text[b] == ' ' || text[b] == '\t'))
        b++;
    if (b < n && (text[b] == '#' || text[b] == '|' || text[b] == '(' ||
                  (text[b] == '*' && b + 1 < n && text[b + 1] == '*') ||
                  (text[b] == '-' && b + 2 < n && text[b + 2] == '(')))
        par -= 2;

    bool has_you = false, model_ref = false;
    double best = -1e9;
    size_t i = 0;
    bool first = true;
    int nsent = 0;
    while (i < n && nsent < 64) {
        size_t e = sentence_end(text, n, i);
        word w[MAX_WORDS];
        size_t k = split_words(text + i, e - i, w, MAX_WORDS);
        if (k) {
            double s = sentence_score(c, w, k, first, &has_you, &model_ref);
            if (s > best)
                best = s;
            first = false;
            nsent++;
        }
        i = e;
    }
    if (best < -1e8)
        return -5;
    /* an annotation label: "Verdict: …", "Comment: …", "Student note: …" */
    if (label_opens(text, n) && best < 3)
        best = 3;
    /* second person speaks to the model, unless the remark is plainly about
     * it ("As you can see, the model gets…") */
    if (has_you)
        par -= model_ref ? 1 : 3;
    return best + par;
}

/* --------------------------------------------------------- role voice */

static bool starts_words(const word *w, size_t k, const char *const *seq)
{
    size_t i = 0;
    for (; seq[i]; i++)
        if (i >= k || !weq(&w[i], seq[i]))
            return false;
    return true;
}

typedef struct opening {
    const char *w[5];
    double v; /* > 0 model, < 0 user */
} opening;

static const opening openers[] = {
    {{"i'll"}, 4}, {{"i", "will", "work"}, 4}, {{"let", "me"}, 4},
    {{"you're", "right"}, 4}, {{"you're", "absolutely"}, 4}, {{"you", "are", "right"}, 4},
    {{"you", "are", "absolutely"}, 4}, {{"ah"}, 3}, {{"sure"}, 3}, {{"certainly"}, 3},
    {{"great", "question"}, 4}, {{"good", "catch"}, 4}, {{"i", "now", "understand"}, 4},
    {{"i", "need", "to"}, 3}, {{"i", "apologize"}, 4}, {{"here's"}, 2}, {{"looking", "at"}, 2},
    {{"wait"}, 3}, {{"hmm"}, 3}, {{"absolutely"}, 3}, {{"of", "course"}, 3},
    {{"i", "understand"}, 3}, {{"i", "see"}, 3}, {{"thank", "you", "for"}, 3},
    {{"thanks", "for", "the"}, 2}, {{"i'm", "still"}, 3}, {{"i", "made"}, 3},
    {{"my", "apologies"}, 4}, {{"part"}, 1}, {{"answer"}, 1.5}, {{"step"}, 1},
    {{"solutions", "to"}, 2}, {{"problem"}, 0.5}, {{"therefore"}, 1}, {{"so"}, 0.5},
    {{"this", "is", "consistent"}, 1}, {{"yes"}, 1},
    /* the user's voice */
    {{"here", "is", "problem"}, -4}, {{"here", "is", "question"}, -4},
    {{"here", "is", "the", "solution"}, -4}, {{"here", "is", "part"}, -4},
    {{"here's", "problem"}, -4}, {{"here's", "question"}, -4}, {{"can", "you"}, -4},
    {{"could", "you"}, -4}, {{"would", "you"}, -4}, {{"please"}, -4}, {{"redo"}, -4},
    {{"recheck"}, -4}, {{"reread"}, -4}, {{"remove"}, -4}, {{"try", "again"}, -4},
    {{"that's", "wrong"}, -4}, {{"that", "is", "wrong"}, -4}, {{"this", "is", "incorrect"}, -3},
    {{"this", "is", "still", "incorrect"}, -4}, {{"this", "is", "wrong"}, -3},
    {{"your"}, -4}, {{"for", "part"}, -2}, {{"aren't", "you"}, -4}, {{"are", "you"}, -4},
    {{"why"}, -2}, {{"great", "work"}, -4}, {{"good", "job"}, -4}, {{"nice", "work"}, -4},
    {{"thanks"}, -2}, {{"we", "now", "move"}, -4}, {{"lets", "move"}, -4},
    {{"let's", "move"}, -4}, {{"lets", "start"}, -4}, {{"let's", "start"}, -4},
    {{"let's", "go"}, -3}, {{"now", "do"}, -4}, {{"next"}, -2}, {{"you", "are", "an"}, -4},
    {{"you", "will"}, -4}, {{"solve"}, -4}, {{"what", "about"}, -4}, {{"how", "can", "i"}, -4},
    {{"how", "do", "i"}, -4}, {{"explain"}, -3}, {{"now", "solve"}, -4}, {{"continue"}, -3},
    {{"does", "this", "make"}, -4}, {{"do", "you"}, -4}, {{"hint"}, -2}, {{"note"}, -1},
    {{"assume"}, -1}, {{"consider"}, -1}, {{"derive"}, -2}, {{"compute"}, -1},
    {{"what", "is"}, -2}, {{"what", "should"}, -2}, {{"the", "last"}, -1},
    {{"only", "the"}, -1}, {{"i", "want", "you"}, -4}, {{"i", "will", "provide"}, -4},
    {{"i", "will", "give"}, -4}, {{"we", "are", "done"}, -4}, {{"ok", "now"}, -3},
    {{"okay", "now"}, -3}, {{"good"}, -1},
};

/* "3. Understanding Convolution as Finite Impulse Response Filter": a
 * numbered title line, as problem statements pasted by the user open. */
static bool heading_line(const char *text, size_t n)
{
    size_t i = 0;
    while (i < n && text[i] >= '0' && text[i] <= '9' && i < 3)
        i++;
    if (i == 0 || i + 2 >= n || text[i] != '.' || text[i + 1] != ' ')
        return false;
    if (!(text[i + 2] >= 'A' && text[i + 2] <= 'Z'))
        return false;
    size_t e = i;
    while (e < n && text[e] != '\n')
        e++;
    return e == n && e < 90 && text[e - 1] != '.' && text[e - 1] != ':' && text[e - 1] != '$';
}

/* A numbered display equation: "\quad (7)$$" as in a pasted assignment. */
static bool numbered_equation(const char *text, size_t n)
{
    /* where "\quad (" may start: i + 6 < n, within the first 1500 bytes */
    size_t lim = n > 6 ? n - 6 : 0;
    if (lim > 1500)
        lim = 1500;
    for (size_t i = 0; i < lim; i++) {
        const char *bs = memchr(text + i, '\\', lim - i);
        if (!bs)
            break;
        i = (size_t)(bs - text);
        if (strncmp(text + i, "\\quad (", 7) == 0) {
            size_t j = i + 7;
            while (j < n && text[j] >= '0' && text[j] <= '9')
                j++;
            if (j > i + 7 && j < n && text[j] == ')')
                return true;
        }
    }
    return false;
}

double ct_role_score(const char *text, size_t n, int *opener)
{
    if (opener)
        *opener = -1;
    size_t b = 0;
    /* skip list markers and numbering of the first line */
    while (b < n && (text[b] == ' ' || text[b] == '-' || text[b] == '*' || text[b] == '+' ||
                     text[b] == '#' || text[b] == '>'))
        b++;
    word w[12];
    size_t k = split_words(text + b, n - b, w, 12);
    double s = 0;
    for (size_t i = 0; i < sizeof openers / sizeof openers[0]; i++) {
        if (starts_words(w, k, openers[i].w)) {
            if (openers[i].v > 0 ? openers[i].v > s : openers[i].v < s)
                s = openers[i].v;
            if (opener && (openers[i].v <= -4 || openers[i].v >= 4))
                *opener = openers[i].v > 0 ? RP_ROLE_MODEL : RP_ROLE_USER;
            if (openers[i].v <= -3 || openers[i].v >= 3)
                break;
        }
    }
    /* second person and questions read as the user, in short paragraphs */
    bool you = false, q = false, disp = false, bold_q = false;
    size_t lim = n < 600 ? n : 600;
    /* the bytes the switch below acts on: one look-up for all other bytes */
    static const bool acts[256] = {['y'] = true, ['Y'] = true, ['?'] = true, ['$'] = true,
                                   ['*'] = true};
    for (size_t i = 0; i < lim; i++) {
        char ch = text[i];
        if (!acts[(unsigned char)ch])
            continue;
        switch (ch) {
        case 'y':
        case 'Y':
            /* "you" or "your" as a whole word */
            if ((i == 0 || !is_wordch((unsigned char)text[i - 1])) && i + 3 <= n &&
                lower(text[i + 1]) == 'o' && lower(text[i + 2]) == 'u') {
                size_t we = i + 3;
                if (we < n && lower(text[we]) == 'r')
                    we++;
                if (we >= n || !is_wordch((unsigned char)text[we]) || text[we] == '\'')
                    you = true;
            }
            break;
        case '?':
            q = true;
            break;
        case '$':
            if (i + 1 < n && text[i + 1] == '$')
                disp = true;
            break;
        case '*':
            if (i + 1 < n && text[i + 1] == '*') {
                /* a bold question: "**What is the runtime?**" */
                size_t k2 = i + 2;
                while (k2 + 1 < n && k2 < i + 400 && !(text[k2] == '*' && text[k2 + 1] == '*'))
                    k2++;
                if (k2 > i + 2 && text[k2 - 1] == '?')
                    bold_q = true;
                i = k2 + 1;
            }
            break;
        default:
            break;
        }
    }
    if (s > -3 && s < 3) {
        if (you)
            s -= n < 600 ? 1.5 : 0.5;
        if (q && n < 400)
            s -= 1;
        if (bold_q)
            s -= 1.5;
        if (disp)
            s += 0.1;
        if (heading_line(text, n))
            s -= 1.5;
        if (numbered_equation(text, n))
            s -= 1;
    }
    return s;
}

/* ------------------------------------------------------------ shapes */

bool ct_is_numbered_item(const char *text, size_t n)
{
    /* every line starts with "N. " or "N) " */
    size_t i = 0;
    while (i < n) {
        while (i < n && (text[i] == ' ' || text[i] == '\t'))
            i++;
        size_t d = 0;
        while (i < n && text[i] >= '0' && text[i] <= '9' && d < 3) {
            i++;
            d++;
        }
        if (!d || i + 1 >= n || (text[i] != '.' && text[i] != ')') || text[i + 1] != ' ')
            return false;
        while (i < n && text[i] != '\n')
            i++;
        i++;
    }
    return true;
}

bool ct_is_short_verdict(const char *text, size_t n)
{
    if (n > 200 || n < 8)
        return false;
    for (size_t i = 0; i < n; i++)
        if (text[i] == '\n' || text[i] == '!' || text[i] == '?')
            return false;
    word w[MAX_WORDS];
    size_t k = split_words(text, n, w, MAX_WORDS);
    if (k < 2)
        return false;
    /* "Correct explanations …", not an interjection ("Good. Now …") */
    const char *after = w[0].s.p + w[0].s.n;
    if (after < text + n && *after != ' ')
        return false;
    for (size_t i = 0; i < k; i++)
        if (w[i].mask & W_YOU)
            return false;
    static const char *const v[] = {"correct", "incorrect", "good", "great", "nice", "clean",
                                    "solid", "wrong", "excellent", "perfect", "clear",
                                    "accurate", "right", "strong", "weak", "poor", NULL};
    return win(&w[0], v) && w[0].s.p[0] >= 'A' && w[0].s.p[0] <= 'Z';
}

bool ct_word_table_ok(void)
{
    for (size_t i = 0; i < sizeof wclasses / sizeof wclasses[0]; i++)
        if (word_mask(wclasses[i].w) != wclasses[i].mask)
            return false;
    return true;
}

/* --------------------------------------------------------- keys */

size_t ct_norm_key(const char *p, size_t n, char *out, size_t cap)
{
    size_t i = 0;
    /* leading markers: white space, "-", "+", "•", "◦", "*", ">" */
    for (;;) {
        while (i < n && (p[i] == ' ' || p[i] == '\t'))
            i++;
        if (i < n && (p[i] == '-' || p[i] == '+' || p[i] == '>') && i + 1 < n && p[i + 1] == ' ') {
            i += 2;
            continue;
        }
        if (i < n && (p[i] == '-' || p[i] == '+') && i + 1 == n) {
            i++;
            continue;
        }
        if (i + 3 <= n && (unsigned char)p[i] == 0xE2 &&
            (((unsigned char)p[i + 1] == 0x80 && (unsigned char)p[i + 2] == 0xA2) || /* • */
             ((unsigned char)p[i + 1] == 0x97 && (unsigned char)p[i + 2] == 0xA6))) { /* ◦ */
            i += 3;
            continue;
        }
        if (i < n && p[i] == '*' && i + 1 < n && p[i + 1] == ' ') {
            i += 2;
            continue;
        }
        break;
    }
    size_t e = n;
    /* trailing "...", "…" and white space */
    for (;;) {
        while (e > i && (p[e - 1] == ' ' || p[e - 1] == '.'))
            e--;
        if (e >= i + 3 && (unsigned char)p[e - 3] == 0xE2 && (unsigned char)p[e - 2] == 0x80 &&
            (unsigned char)p[e - 1] == 0xA6) {
            e -= 3;
            continue;
        }
        break;
    }
    /* bytes left out of a key (1), and the lead byte of U+00A0 (2); one
     * table look-up per byte, as keys are made for every line */
    static const unsigned char drop[256] = {
        [' '] = 1, ['\t'] = 1, ['$'] = 1, ['*'] = 1, ['\n'] = 1, ['\r'] = 1, [0xC2] = 2};
    size_t k = 0;
    for (; i < e && k < cap; i++) {
        char ch = p[i];
        unsigned char t = drop[(unsigned char)ch];
        if (t == 1)
            continue;
        /* non-breaking and narrow spaces */
        if (t == 2 && i + 1 < e && (unsigned char)p[i + 1] == 0xA0) {
            i++;
            continue;
        }
        out[k++] = lower(ch);
    }
    return k;
}

/* Character-bigram Dice coefficient with a small open-addressing table. */
double ct_similarity(const char *a, size_t an, const char *b, size_t bn)
{
    if (an > 512)
        an = 512;
    if (bn > 512)
        bn = 512;
    if (an < 2 || bn < 2)
        return (an == bn && (an == 0 || a[0] == b[0])) ? 1.0 : 0.0;
    enum { TB = 1024 };
    unsigned short key[TB];
    short cnt[TB];
    unsigned char used[TB];
    memset(used, 0, sizeof used);
    for (size_t i = 0; i + 1 < an; i++) {
        unsigned short g = (unsigned short)(((unsigned char)a[i] << 8) | (unsigned char)a[i + 1]);
        size_t h = ((g * 2654435761u) >> 22) & (TB - 1);
        while (used[h] && key[h] != g)
            h = (h + 1) & (TB - 1);
        if (!used[h]) {
            used[h] = 1;
            key[h] = g;
            cnt[h] = 0;
        }
        cnt[h]++;
    }
    size_t inter = 0;
    for (size_t i = 0; i + 1 < bn; i++) {
        unsigned short g = (unsigned short)(((unsigned char)b[i] << 8) | (unsigned char)b[i + 1]);
        size_t h = ((g * 2654435761u) >> 22) & (TB - 1);
        while (used[h] && key[h] != g)
            h = (h + 1) & (TB - 1);
        if (used[h] && cnt[h] > 0) {
            cnt[h]--;
            inter++;
        }
    }
    return 2.0 * (double)inter / (double)((an - 1) + (bn - 1));
}
