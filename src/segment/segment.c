/*
 * Segmentation: which homework problem and part each piece of a turn is
 * about.  Model turns are scanned line by line for labels ("Problem 2:",
 * "Part (c)", "(d-ii)", "Answer for (a):", "i. stride...", "12e:"); each
 * label opens a span that runs to the next label.  User turns are scanned
 * sentence by sentence for references to parts ("part c", "12e", "part di",
 * "parts a and b", "starting at part d", "problem 7").
 *
 * The catalog of existing parts decides what a label means, so nothing here
 * depends on a particular transcript.  Patterns are PCRE2 with JIT, and
 * every match is bounded by the pattern's own match limit.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "redpen/segment.h"

#include <ctype.h>
#include <pcre2.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Pattern ids. */
enum {
    P_PROBLEM,   /* Problem 2(e) - Corrected / Question 4 */
    P_NUMTITLE,  /* 3. Understanding Convolution ... */
    P_PART,      /* (a) / Part (a) / Answer for (d-ii) / (d)(i) */
    P_PARTWORD,  /* Part a: / Part C. */
    P_COMPACT,   /* 2e: / 3d.i / 2(e) */
    P_SUB,       /* (ii) / ii. */
    P_UREF_NUM,  /* 2e / 3d.i inside a sentence */
    P_UREF_PART, /* part c / part di / parts a and b */
    P_UREF_PAREN, /* (c) / (d)(i) inside a sentence */
    P_UREF_PROB, /* problem 7 / question 3 */
    P_UREF_MORE, /* , b / and c  following a part reference */
    P_UREF_PROBPART, /* problem 2(c) / question 4, part (c) / problem 2c */
    P_COUNT
};

static const char *const patterns[P_COUNT] = {
    [P_PROBLEM] = "^(?:problem|question|exercise|prob\\.?)\\s*#?\\s*(\\d{1,3})"
                  "(?:\\s*\\(\\s*([a-z])\\s*\\)|([a-z])(?![a-z]))?"
                  "(?:\\s*(?:\\(|[-.]\\s*\\(?)\\s*(iii|ii|iv|vi|v|i)\\b\\)?)?",
    [P_NUMTITLE] = "^(\\d{1,3})\\.\\s+(\\S.{2,120})$",
    [P_PART] = "^(?:(?:final\\s+)?answer\\s*(?:for|to)?\\s*)?(?:part\\s*)?"
               "\\(\\s*([a-z])\\s*(?:[-.,]?\\s*\\(?\\s*(iii|ii|iv|vi|v|i)\\s*)?\\)"
               "(?:\\s*\\(\\s*(iii|ii|iv|vi|v|i)\\s*\\)|\\s*\\**\\s+(iii|ii|iv|vi|v|i)[.):])?",
    [P_PARTWORD] = "^(?:(?:final\\s+)?answer\\s*(?:for|to)?\\s*)?part\\s+([a-z])"
                   "(?:[-.]?(iii|ii|iv|vi|v|i))?(?:\\s*[:.)\\x{2013}\\x{2014}-]|\\s*$)",
    [P_COMPACT] = "^(\\d{1,2})\\s*\\(?([a-z])\\)?(?:[-.]?\\(?(iii|ii|iv|vi|v|i)\\)?)?"
                  "\\s*(?:[:.)\\x{2013}\\x{2014}-]|$)",
    [P_SUB] = "^(?:part\\s*)?(?:\\(\\s*(iii|ii|iv|vi|v|i)\\s*\\)|(iii|ii|iv|vi|v|i)[.)][*_]*\\s)",
    [P_UREF_NUM] = "(?<![\\w.])(\\d{1,2})\\s?\\(?([a-z])\\)?"
                   "(?:[-.]?\\(?(iii|ii|iv|vi|v|i)\\)?)?(?![\\w])",
    [P_UREF_PART] = "\\bparts?\\s*\\(?\\s*([a-z])"
                    "(?:\\s*[-.]?\\s*\\(?(iii|ii|iv|vi|v|i)\\)?)?(?![a-z])\\)?",
    [P_UREF_PAREN] = "\\(([a-z])\\)(?:\\s*\\((iii|ii|iv|vi|v|i)\\))?",
    [P_UREF_PROB] = "\\b(?:problem|question|prob\\.?|exercise)\\s*#?\\s*(\\d{1,3})(?![\\d(a-z])",
    [P_UREF_MORE] = "^\\s*(?:,\\s*(?:and\\s+|&\\s*|or\\s+)?|\\s+and\\s+|\\s*&\\s*|\\s+or\\s+)"
                    "\\(?([a-z])(?:\\s*[-.]?\\s*(iii|ii|iv|vi|v|i))?\\)?(?![a-z])",
    [P_UREF_PROBPART] = "\\b(?:problem|question|prob\\.?|exercise)\\s*#?\\s*(\\d{1,3})"
                        "(?:\\s*\\(\\s*([a-z])\\s*\\)|([a-z])(?![a-z])"
                        "|\\s*[,:]?\\s*part\\s*\\(?\\s*([a-z])\\s*\\)?(?![a-z]))"
                        "(?:\\s*[-.]?\\s*\\(?(iii|ii|iv|vi|v|i)\\)?(?![a-z]))?",
};

/* The patterns, compiled and JIT-compiled once per process (pthread_once):
 * compiling them for every transcript cost more than segmenting a short
 * conversation.  PCRE2 code is read-only after compilation and shared by
 * all segmenters and threads; each segmenter has its own match data. */
static pcre2_code *shared_re[P_COUNT];
/* The patterns with start words compiled anchored as well (see match()). */
static pcre2_code *shared_anch[P_COUNT];
/* Which of them were JIT-compiled (see run()). */
static bool shared_jit[P_COUNT], anch_jit[P_COUNT];
static bool shared_ok;
static pthread_once_t shared_once = PTHREAD_ONCE_INIT;

/* What PCRE2 itself knows of where a match can start: the bytes a match
 * can begin with and its least length.  Most lines of a model turn start
 * with a byte no label pattern can begin with, and most sentences hold no
 * digit or parenthesis; such subjects are refused here without a call
 * into PCRE2, whose fixed cost per call was most of segmenting. */
typedef struct start_info {
    bool anchored;
    uint32_t min_len;  /* characters, so at most as many bytes */
    bool can_start[256];
} start_info;

static start_info shared_start[P_COUNT];

/* Words every match of a pattern starts with, in lower case (a prefix of
 * each alternative is enough): a subject without one is refused before
 * PCRE2, and a match can start no earlier than the first one.  Most
 * sentences of a user turn have a 'p', 'q' or 'e' that the first-byte
 * table lets through, and few have these words; most lines of a model
 * turn that start with a byte a label can start with ("plugging in",
 * "as", "(1)") start no label word.  None holds an 's' or a 'k', the only
 * ASCII letters that a non-ASCII character matches under caseless UTF
 * matching (U+017F, U+212A), so an ASCII search finds every place PCRE2
 * could match. */
static const char *const prob_words[] = {"prob", "que", "exerci", NULL};
static const char *const part_words[] = {"part", NULL};
/* "final answer", "answer" (its "an": "answer" holds an 's'), "part" */
static const char *const answer_words[] = {"final", "an", "part", NULL};
static const char *const answer_paren_words[] = {"final", "an", "part", "(", NULL};
static const char *const sub_words[] = {"part", "(", "i", "v", NULL};
static const char *const *const start_words[P_COUNT] = {
    [P_PROBLEM] = prob_words,
    [P_PART] = answer_paren_words,
    [P_PARTWORD] = answer_words,
    [P_SUB] = sub_words,
    [P_UREF_PROB] = prob_words,
    [P_UREF_PROBPART] = prob_words,
    [P_UREF_PART] = part_words,
};

static char ascii_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c;
}

/* Does word (lower case) stand at s[i], in any ASCII case? */
static bool word_at(const char *s, size_t n, size_t i, const char *word)
{
    size_t k = 0;
    while (word[k] && i + k < n && ascii_lower(s[i + k]) == word[k])
        k++;
    return !word[k];
}

/* The first two bytes of the start words, in any ASCII case: bit k of
 * word_pair[a][b] is set when a word of list bit_words[k] (the k-th
 * distinct list; word_bit[id] is the bit of pattern id's list) can start
 * with the bytes a, b.  word_at() compares ascii_lower() of each byte with
 * the word, so a word stands at s[i] only where word_pair[s[i]][s[i+1]]
 * has its list's bit: most bytes, the 'e' of "the" among them, are passed
 * over by one table lookup.  Built once with the patterns
 * (compile_shared); read-only after. */
#define WORD_LISTS 8
static uint8_t word_pair[256][256];
static uint8_t word_first[256]; /* the bits of each row of word_pair */
static uint8_t word_bit[P_COUNT];
static const char *const *bit_words[WORD_LISTS];

/* The bit of start word list words, given it a new one when it has none. */
static uint8_t list_bit(const char *const *words)
{
    int k = 0;
    while (k < WORD_LISTS && bit_words[k] && bit_words[k] != words)
        k++;
    if (k == WORD_LISTS)
        return 0; /* more lists than bits: compile_shared() fails */
    if (bit_words[k])
        return (uint8_t)(1u << k);
    bit_words[k] = words;
    for (const char *const *w = words; *w; w++)
        for (int a = 0; a < 256; a++) {
            if (ascii_lower((char)a) != (*w)[0])
                continue;
            for (int c = 0; c < 256; c++)
                if (!(*w)[1] || ascii_lower((char)c) == (*w)[1])
                    word_pair[a][c] |= (uint8_t)(1u << k);
            word_first[a] |= (uint8_t)(1u << k);
        }
    return (uint8_t)(1u << k);
}

/* Does a word of a list among bits stand at s[i]? */
static bool list_word_at(const char *s, size_t n, size_t i, unsigned bits)
{
    for (int k = 0; bits; k++, bits >>= 1)
        if (bits & 1)
            for (const char *const *w = bit_words[k]; *w; w++)
                if (word_at(s, n, i, *w))
                    return true;
    return false;
}

/* Where the first word of the lists among bits stands in s[from..n), in
 * any ASCII case, or n. */
static size_t first_word(const char *s, size_t n, size_t from, unsigned bits)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = from;
    if (i + 1 < n) {
        /* a pointer walk that the compiler keeps to a few instructions a
         * byte: most bytes cost one lookup */
        const unsigned char *q = u + i, *e = u + n - 1;
        for (; q < e; q++) {
            if (!(word_first[*q] & bits))
                continue;
            unsigned hit = word_pair[q[0]][q[1]] & bits;
            if (hit && list_word_at(s, n, (size_t)(q - u), hit))
                return (size_t)(q - u);
        }
        i = n - 1;
    }
    /* the last byte: only a one-byte word could stand there */
    for (; i < n; i++)
        if (list_word_at(s, n, i, bits))
            return i;
    return n;
}

static void read_start_info(const pcre2_code *re, start_info *si)
{
    uint32_t opts = 0, first_type = 0, first = 0;
    const uint8_t *bitmap = NULL;
    pcre2_pattern_info(re, PCRE2_INFO_ALLOPTIONS, &opts);
    pcre2_pattern_info(re, PCRE2_INFO_MINLENGTH, &si->min_len);
    pcre2_pattern_info(re, PCRE2_INFO_FIRSTCODETYPE, &first_type);
    pcre2_pattern_info(re, PCRE2_INFO_FIRSTBITMAP, &bitmap);
    si->anchored = (opts & PCRE2_ANCHORED) != 0;
    if (first_type == 1) {
        /* one first code unit; the patterns are caseless, so both cases */
        pcre2_pattern_info(re, PCRE2_INFO_FIRSTCODEUNIT, &first);
        si->can_start[first & 0xFF] = true;
        si->can_start[tolower((int)first & 0xFF)] = true;
        si->can_start[toupper((int)first & 0xFF)] = true;
    } else if (bitmap) {
        for (int c = 0; c < 256; c++)
            si->can_start[c] = (bitmap[c / 8] >> (c % 8)) & 1;
    } else {
        for (int c = 0; c < 256; c++)
            si->can_start[c] = true;
    }
}

/* Can pattern id match subject[*off..n) at all, by its start_info?  When
 * it can, *off moves on to the first byte a match can start at, so that
 * PCRE2 does not scan the same bytes again (assertions such as \b still
 * see the bytes before the offset). */
static bool may_match(int id, const char *subject, size_t n, size_t *off)
{
    const start_info *si = &shared_start[id];
    if (*off > n || n - *off < si->min_len)
        return false;
    size_t last = si->anchored ? *off : n - si->min_len; /* the last place to start */
    size_t stop = last < n ? last + 1 : n;
    const unsigned char *u = (const unsigned char *)subject;
    for (const unsigned char *q = u + *off; q < u + stop; q++)
        if (si->can_start[*q]) {
            if (*q < 0x80 || *q >= 0xC0) /* not inside a UTF-8 character */
                *off = (size_t)(q - u);
            return true;
        }
    /* an empty match at the end */
    return si->min_len == 0;
}

/* The user-reference patterns a byte can start a match of (a bit per
 * pattern id, from their start_info): one pass over a sentence, the one
 * that finds its end, tells which patterns can match in it at all, where
 * each pattern would scan the sentence again to find no start. */
#define UREF_BIT(id) (1u << (id))
#define UREF_STOP (1u << 31) /* the byte can end a sentence: \n . ? ! */
static unsigned uref_first[256];
/* The bits of uref_first that belong to patterns with start words: at a
 * byte that can start one, the words themselves decide (words_at()). */
static unsigned uref_words;

/* The UREF_BITs of the patterns one of whose start words stands at s[i]. */
static unsigned words_at(const char *s, size_t n, size_t i, unsigned bits)
{
    static const int with_words[] = {P_UREF_PROB, P_UREF_PROBPART, P_UREF_PART};
    unsigned out = 0;
    for (size_t k = 0; k < sizeof with_words / sizeof *with_words; k++) {
        int id = with_words[k];
        if (!(bits & UREF_BIT(id)))
            continue;
        for (const char *const *w = start_words[id]; *w && !(out & UREF_BIT(id)); w++)
            if (word_at(s, n, i, *w))
                out |= UREF_BIT(id);
    }
    return out;
}

static void compile_shared(void)
{
    shared_ok = true;
    for (int i = 0; i < P_COUNT; i++) {
        int err;
        PCRE2_SIZE off;
        shared_re[i] = pcre2_compile((PCRE2_SPTR)patterns[i], PCRE2_ZERO_TERMINATED,
                                     PCRE2_CASELESS | PCRE2_UTF | PCRE2_NO_UTF_CHECK, &err,
                                     &off, NULL);
        if (!shared_re[i]) {
            shared_ok = false;
            continue;
        }
        read_start_info(shared_re[i], &shared_start[i]);
        if (!start_words[i] || shared_start[i].anchored)
            shared_jit[i] = pcre2_jit_compile(shared_re[i], PCRE2_JIT_COMPLETE) == 0;
        if (!start_words[i])
            continue;
        word_bit[i] = list_bit(start_words[i]);
        if (!word_bit[i])
            shared_ok = false;
        if (shared_start[i].anchored)
            continue;
        /* match() tries this pattern anchored: the unanchored code only
         * tells where it can start, and matches for rp_segmenter_plain()
         * (without JIT, which is no different in what it finds) */
        shared_anch[i] = pcre2_compile((PCRE2_SPTR)patterns[i], PCRE2_ZERO_TERMINATED,
                                       PCRE2_CASELESS | PCRE2_UTF | PCRE2_NO_UTF_CHECK |
                                           PCRE2_ANCHORED,
                                       &err, &off, NULL);
        if (!shared_anch[i]) {
            shared_ok = false;
            continue;
        }
        anch_jit[i] = pcre2_jit_compile(shared_anch[i], PCRE2_JIT_COMPLETE) == 0;
    }
    static const int uref[] = {P_UREF_NUM, P_UREF_PART, P_UREF_PAREN, P_UREF_PROB,
                               P_UREF_PROBPART};
    for (size_t k = 0; k < sizeof uref / sizeof *uref; k++)
        for (int c = 0; c < 256; c++)
            if (shared_start[uref[k]].can_start[c]) {
                uref_first[c] |= UREF_BIT(uref[k]);
                if (start_words[uref[k]])
                    uref_words |= UREF_BIT(uref[k]);
            }
    uref_first['\n'] |= UREF_STOP;
    uref_first['.'] |= UREF_STOP;
    uref_first['?'] |= UREF_STOP;
    uref_first['!'] |= UREF_STOP;
}

struct rp_segmenter {
    const rp_seg_catalog *cat;
    pcre2_code *const *re; /* shared_re (not owned) */
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    bool plain; /* rp_segmenter_plain(): no start words, every pattern unanchored */
};

void rp_segmenter_plain(rp_segmenter *s, bool on)
{
    s->plain = on;
}

void rp_segmenter_free(rp_segmenter *s)
{
    if (!s)
        return;
    pcre2_match_data_free(s->md);
    pcre2_match_context_free(s->mctx);
    free(s);
}

rp_segmenter *rp_segmenter_new(const rp_seg_catalog *cat)
{
    pthread_once(&shared_once, compile_shared);
    if (!shared_ok)
        return NULL;
    rp_segmenter *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->cat = cat;
    s->re = shared_re;
    s->md = pcre2_match_data_create(16, NULL);
    s->mctx = pcre2_match_context_create(NULL);
    if (!s->md || !s->mctx) {
        rp_segmenter_free(s);
        return NULL;
    }
    pcre2_set_match_limit(s->mctx, 100000);
    pcre2_set_depth_limit(s->mctx, 1000);
    return s;
}

/* PCRE2 match of re (JIT-compiled when jit) against subject[0..n) from
 * off, into s->md.  JIT code is run by pcre2_jit_match(), which is what
 * pcre2_match() runs for it too, less the checks of arguments that hold
 * here (a subject, an offset within it, valid UTF-8 by the caller). */
static int run(rp_segmenter *s, const pcre2_code *re, bool jit, const char *subject, size_t n,
               size_t off)
{
    if (jit)
        return pcre2_jit_match(re, (PCRE2_SPTR)subject, n, off, 0, s->md, s->mctx);
    return pcre2_match(re, (PCRE2_SPTR)subject, n, off, PCRE2_NO_UTF_CHECK, s->md, s->mctx);
}

/* Match pattern id against subject[0..n) starting at off; on success the
 * captures are in s->md. */
static bool match(rp_segmenter *s, int id, const char *subject, size_t n,
                  size_t off)
{
    if (start_words[id] && !s->plain) {
        /* Every match starts where a start word stands (start_words), so
         * the unanchored match from off is the anchored match at the first
         * such place where there is one: PCRE2 tries start positions in
         * order, each with the same steps and a match limit of its own
         * (per start position, in JIT and interpreter alike), and an
         * attempt at a byte where no start word stands fails on its first
         * letters.  The anchored copy is never asked to scan the bytes
         * between the words, where the unanchored one stopped at every
         * 'e', 'p' and 'q'. */
        const start_info *si = &shared_start[id];
        if (si->anchored) {
            /* a pattern anchored itself (^) is tried at off only, and
             * only a start word can stand there */
            if (off > n || n - off < si->min_len)
                return false;
            unsigned bit = word_bit[id];
            if (off + 1 < n)
                bit &= word_pair[(unsigned char)subject[off]][(unsigned char)subject[off + 1]];
            if (!bit || !list_word_at(subject, n, off, bit))
                return false;
            return run(s, s->re[id], shared_jit[id], subject, n, off) > 0;
        }
        for (size_t i = off; i <= n; i++) {
            i = first_word(subject, n, i, word_bit[id]);
            if (i >= n || n - i < si->min_len)
                return false;
            int rc = run(s, shared_anch[id], anch_jit[id], subject, n, i);
            if (rc != PCRE2_ERROR_NOMATCH)
                return rc > 0;
        }
        return false;
    }
    if (!may_match(id, subject, n, &off))
        return false;
    return run(s, s->re[id], shared_jit[id], subject, n, off) > 0;
}

/* Capture group g as a span (n == 0 when unset). */
static rp_span group(rp_segmenter *s, const char *subject, int g)
{
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
    if (ov[2 * g] == PCRE2_UNSET)
        return rp_span_make(NULL, 0);
    return rp_span_make(subject + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
}

static size_t match_end(rp_segmenter *s)
{
    return pcre2_get_ovector_pointer(s->md)[1];
}

static size_t match_start(rp_segmenter *s)
{
    return pcre2_get_ovector_pointer(s->md)[0];
}

static int roman(rp_span r)
{
    if (r.n == 0)
        return 0;
    char b[4] = {0};
    if (r.n > 3)
        return 0;
    for (size_t i = 0; i < r.n; i++)
        b[i] = (char)tolower((unsigned char)r.p[i]);
    static const char *const names[] = {"i", "ii", "iii", "iv", "v", "vi"};
    for (int i = 0; i < 6; i++)
        if (strcmp(b, names[i]) == 0)
            return i + 1;
    return 0;
}

static int number(rp_span r)
{
    int v = 0;
    for (size_t i = 0; i < r.n && i < 4; i++)
        if (isdigit((unsigned char)r.p[i]))
            v = v * 10 + (r.p[i] - '0');
    return v;
}

static char letter(rp_span r)
{
    return r.n ? (char)tolower((unsigned char)r.p[0]) : 0;
}

/* ------------------------------------------------------------- catalog */

static bool problem_exists(const rp_seg_catalog *c, int p)
{
    for (size_t i = 0; i < c->n_parts; i++)
        if (c->parts[i].problem == p)
            return true;
    return false;
}

static bool letter_exists(const rp_seg_catalog *c, int p, char l)
{
    for (size_t i = 0; i < c->n_parts; i++)
        if (c->parts[i].problem == p && c->parts[i].letter == l)
            return true;
    return false;
}

static bool letter_has_subs(const rp_seg_catalog *c, int p, char l)
{
    for (size_t i = 0; i < c->n_parts; i++)
        if (c->parts[i].problem == p && c->parts[i].letter == l && c->parts[i].sub)
            return true;
    return false;
}

/* The catalog index of (p, l, sub), or (size_t)-1. */
static size_t find_part(const rp_seg_catalog *c, int p, char l, int sub)
{
    for (size_t i = 0; i < c->n_parts; i++)
        if (c->parts[i].problem == p && c->parts[i].letter == l && c->parts[i].sub == sub)
            return i;
    return (size_t)-1;
}

/* Lower-case ASCII copy of s into buf (at most cap-1 bytes). */
static void lower_copy(char *buf, size_t cap, const char *s, size_t n)
{
    size_t k = n < cap - 1 ? n : cap - 1;
    for (size_t i = 0; i < k; i++)
        buf[i] = (char)tolower((unsigned char)s[i]);
    buf[k] = '\0';
}

static bool title_matches(const rp_seg_catalog *c, int p, const char *s, size_t n)
{
    char buf[256];
    lower_copy(buf, sizeof buf, s, n);
    for (size_t i = 0; i < c->n_problems; i++) {
        const rp_seg_problem *pr = &c->problems[i];
        if (pr->number != p)
            continue;
        for (size_t k = 0; k < pr->n_cues; k++)
            if (pr->cues[k] && pr->cues[k][0] && strstr(buf, pr->cues[k]))
                return true;
    }
    return false;
}

/* ---------------------------------------------------------- model turns */

/* Skip list markers, heading hashes, emphasis and quote marks at the start
 * of a line. */
static size_t skip_marks(const char *s, size_t i, size_t e)
{
    for (;;) {
        while (i < e && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i >= e)
            return i;
        unsigned char c = (unsigned char)s[i];
        if (c == '#' || c == '>' || c == '*' || c == '_') {
            while (i < e && (s[i] == '#' || s[i] == '>' || s[i] == '*' || s[i] == '_'))
                i++;
            continue;
        }
        if ((c == '-' || c == '+') && i + 1 < e && (s[i + 1] == ' ' || s[i + 1] == '\t')) {
            i += 2;
            continue;
        }
        /* U+2022 bullet, U+25E6 white bullet */
        if (e - i >= 3 && (memcmp(s + i, "\xE2\x80\xA2", 3) == 0 ||
                           memcmp(s + i, "\xE2\x97\xA6", 3) == 0)) {
            i += 3;
            continue;
        }
        return i;
    }
}

typedef struct span_vec {
    rp_part_span *v;
    size_t n, cap;
    rp_arena *arena;
} span_vec;

static rp_status push_span(span_vec *sv, size_t part, size_t a, size_t b, bool labelled)
{
    if (b <= a || part == (size_t)-1)
        return RP_OK;
    if (sv->n == sv->cap) {
        size_t nc = sv->cap ? sv->cap * 2 : 16;
        rp_part_span *nv = rp_arena_realloc(sv->arena, sv->v, sv->cap * sizeof *nv,
                                            nc * sizeof *nv);
        if (!nv)
            return RP_ENOMEM;
        sv->v = nv;
        sv->cap = nc;
    }
    sv->v[sv->n].part = part;
    sv->v[sv->n].start = a;
    sv->v[sv->n].end = b;
    sv->v[sv->n].labelled = labelled;
    sv->n++;
    return RP_OK;
}

/* The label a line starts with, if any. */
typedef struct label {
    int kind; /* 0 none, 1 problem, 2 part, 3 sub */
    int problem;
    char letter;
    int sub;
} label;

/* cur_subs: cur_letter of cur_problem has sub-parts. */
static label read_label(rp_segmenter *s, const char *line, size_t n, int cur_problem,
                        char cur_letter, bool cur_subs)
{
    const rp_seg_catalog *c = s->cat;
    label lb = {0, 0, 0, 0};
    if (n > 400)
        n = 400; /* a label stands at the start of a line */
    /* A sub-part label where the current part has sub-parts. */
    if (cur_problem && cur_letter && cur_subs && match(s, P_SUB, line, n, 0)) {
        rp_span a = group(s, line, 1), b = group(s, line, 2);
        int r = roman(a.n ? a : b);
        if (r && find_part(c, cur_problem, cur_letter, r) != (size_t)-1) {
            lb.kind = 3;
            lb.problem = cur_problem;
            lb.letter = cur_letter;
            lb.sub = r;
            return lb;
        }
    }
    if (match(s, P_PROBLEM, line, n, 0)) {
        int p = number(group(s, line, 1));
        if (problem_exists(c, p)) {
            rp_span l1 = group(s, line, 2), l2 = group(s, line, 3);
            char l = letter(l1.n ? l1 : l2);
            int r = roman(group(s, line, 4));
            lb.kind = 1;
            lb.problem = p;
            if (l && letter_exists(c, p, l)) {
                lb.kind = 2;
                lb.letter = l;
                if (r && find_part(c, p, l, r) != (size_t)-1)
                    lb.sub = r;
            }
            return lb;
        }
    }
    bool paren = cur_problem && match(s, P_PART, line, n, 0);
    if (paren || (cur_problem && match(s, P_PARTWORD, line, n, 0))) {
        char l = letter(group(s, line, 1));
        int r = roman(group(s, line, 2));
        if (!r && paren)
            r = roman(group(s, line, 3));
        if (!r && paren)
            r = roman(group(s, line, 4));
        if (letter_exists(c, cur_problem, l)) {
            lb.kind = 2;
            lb.problem = cur_problem;
            lb.letter = l;
            if (r && find_part(c, cur_problem, l, r) != (size_t)-1)
                lb.sub = r;
            return lb;
        }
    }
    if (match(s, P_COMPACT, line, n, 0)) {
        int p = number(group(s, line, 1));
        char l = letter(group(s, line, 2));
        int r = roman(group(s, line, 3));
        if (letter_exists(c, p, l)) {
            lb.kind = 2;
            lb.problem = p;
            lb.letter = l;
            if (r && find_part(c, p, l, r) != (size_t)-1)
                lb.sub = r;
            return lb;
        }
    }
    if (match(s, P_NUMTITLE, line, n, 0)) {
        int p = number(group(s, line, 1));
        rp_span t = group(s, line, 2);
        if (problem_exists(c, p) && title_matches(c, p, t.p, t.n)) {
            lb.kind = 1;
            lb.problem = p;
            return lb;
        }
    }
    return lb;
}

rp_status rp_segment_model_turn(rp_segmenter *s, const char *text, size_t n,
                                int context_problem, size_t context_part,
                                rp_arena *arena, rp_part_span **out,
                                size_t *n_out, int *problem_out)
{
    const rp_seg_catalog *c = s->cat;
    span_vec sv = {NULL, 0, 0, arena};
    span_vec whole = {NULL, 0, 0, arena}; /* spans of a letter with sub-parts */
    int problem = context_problem;
    char cur_letter = 0;
    bool cur_subs = false; /* cur_letter has sub-parts: known once per label, not per line */
    int cur_sub = 0;
    size_t open_at = 0;
    bool open = false;
    bool any_label = false;
    rp_status st = RP_OK;
    /* a turn about one part: its bare sub-part labels ("i.", "(ii)") are
     * that letter's */
    if (context_part < c->n_parts && c->parts[context_part].sub &&
        (!problem || problem == c->parts[context_part].problem)) {
        problem = c->parts[context_part].problem;
        cur_letter = c->parts[context_part].letter;
        cur_subs = true;
    }

    size_t i = 0;
    while (i <= n && st == RP_OK) {
        const char *nl = i < n ? memchr(text + i, '\n', n - i) : NULL;
        size_t e = nl ? (size_t)(nl - text) : n;
        size_t b = skip_marks(text, i, e);
        label lb = b < e ? read_label(s, text + b, e - b, problem, cur_letter, cur_subs)
                         : (label){0, 0, 0, 0};
        if (lb.kind) {
            any_label = true;
            /* close the open span */
            if (open) {
                size_t idx = find_part(c, problem, cur_letter, cur_sub);
                if (idx != (size_t)-1)
                    st = push_span(&sv, idx, open_at, i, true);
                else if (cur_subs)
                    st = push_span(&whole, find_part(c, problem, cur_letter, 1), open_at, i, true);
            }
            problem = lb.problem;
            if (lb.kind == 1) {
                cur_letter = 0;
                cur_sub = 0;
                open = false;
            } else {
                cur_letter = lb.letter;
                cur_sub = lb.sub;
                open = true;
                open_at = i;
            }
            cur_subs = letter_has_subs(c, problem, cur_letter);
        }
        if (e >= n)
            break;
        i = e + 1;
    }
    if (st == RP_OK && open) {
        size_t idx = find_part(c, problem, cur_letter, cur_sub);
        if (idx != (size_t)-1)
            st = push_span(&sv, idx, open_at, n, true);
        else if (letter_has_subs(c, problem, cur_letter))
            st = push_span(&whole, find_part(c, problem, cur_letter, 1), open_at, n, true);
    }
    /* Text about a whole letter counts for each of its sub-parts that has no
     * span of its own in this turn. */
    for (size_t w = 0; st == RP_OK && w < whole.n; w++) {
        const rp_seg_part *first = &c->parts[whole.v[w].part];
        for (size_t k = 0; k < c->n_parts; k++) {
            const rp_seg_part *p = &c->parts[k];
            if (p->problem != first->problem || p->letter != first->letter || !p->sub)
                continue;
            bool has = false;
            for (size_t j = 0; j < sv.n; j++)
                if (sv.v[j].part == k)
                    has = true;
            if (!has)
                st = push_span(&sv, k, whole.v[w].start, whole.v[w].end, false);
        }
    }
    /* A turn without labels answering the one part under discussion. */
    if (st == RP_OK && !any_label && context_part != (size_t)-1 && context_part < c->n_parts)
        st = push_span(&sv, context_part, 0, n, false);
    if (st != RP_OK)
        return st;
    *out = sv.v;
    *n_out = sv.n;
    if (problem_out)
        *problem_out = problem;
    return RP_OK;
}

/* ----------------------------------------------------------- user turns */

/* The first existing problem that pattern id (number in group 1) names in
 * text[0..n), and where it stands; 0 when none.  The plain way of
 * rp_segment_user_problem(), for rp_segmenter_plain(). */
static int first_problem(rp_segmenter *s, int id, const char *text, size_t n, size_t *at)
{
    size_t off = 0;
    while (off < n && match(s, id, text, n, off)) {
        int p = number(group(s, text, 1));
        if (problem_exists(s->cat, p)) {
            *at = match_start(s);
            return p;
        }
        off = match_end(s);
    }
    return 0;
}

int rp_segment_user_problem(rp_segmenter *s, const char *text, size_t n)
{
    const rp_seg_catalog *c = s->cat;
    if (s->plain) {
        size_t at1 = 0, at2 = 0;
        int p1 = first_problem(s, P_UREF_PROB, text, n, &at1);
        int p2 = first_problem(s, P_UREF_PROBPART, text, n, &at2);
        if (p1 && (!p2 || at1 <= at2))
            return p1;
        if (p2)
            return p2;
    }
    /* "problem 3" or "problem 2(c)": the first one named, each pattern's
     * matches taken in turn as a loop of unanchored matches would (the
     * next one from the end of a match that names no existing problem).
     * Both start with words (match()), so one walk over the places where
     * a word of either stands tries both, in text order and PROB first
     * at a place: the first existing problem found is the answer, the
     * earlier one winning and PROB winning a tie. */
    static const int ids[2] = {P_UREF_PROB, P_UREF_PROBPART};
    size_t from[2] = {0, 0}; /* no match of ids[k] starts before from[k] */
    bool done[2] = {false, false};
    unsigned bits = word_bit[ids[0]] | word_bit[ids[1]];
    for (size_t at = s->plain ? n : first_word(text, n, 0, bits); at < n && !(done[0] && done[1]);
         at = first_word(text, n, at + 1, bits)) {
        for (int k = 0; k < 2; k++) {
            int id = ids[k];
            if (done[k] || at < from[k] || !list_word_at(text, n, at, word_bit[id]))
                continue;
            if (n - at < shared_start[id].min_len) {
                done[k] = true; /* no later place fits either */
                continue;
            }
            int rc = run(s, shared_anch[id], anch_jit[id], text, n, at);
            if (rc == PCRE2_ERROR_NOMATCH)
                continue;
            if (rc <= 0) {
                done[k] = true; /* the match limit: this pattern finds nothing */
                continue;
            }
            int p = number(group(s, text, 1));
            if (problem_exists(c, p))
                return p;
            from[k] = match_end(s);
        }
    }
    /* A pasted statement: a line "N. Title" whose title is a problem's cue. */
    size_t i = 0;
    while (i < n) {
        const char *nl = memchr(text + i, '\n', n - i);
        size_t e = nl ? (size_t)(nl - text) : n;
        size_t b = skip_marks(text, i, e);
        if (e > b && e - b < 200 && match(s, P_NUMTITLE, text + b, e - b, 0)) {
            int p = number(group(s, text + b, 1));
            rp_span t = group(s, text + b, 2);
            if (problem_exists(c, p) && title_matches(c, p, t.p, t.n))
                return p;
        }
        i = e + 1;
    }
    return 0;
}

int rp_segment_problem_by_cues(rp_segmenter *s, const char *text, size_t n)
{
    const rp_seg_catalog *c = s->cat;
    char buf[4096];
    lower_copy(buf, sizeof buf, text, n);
    int found = 0;
    for (size_t i = 0; i < c->n_problems; i++) {
        const rp_seg_problem *pr = &c->problems[i];
        bool hit = false;
        for (size_t k = 0; k < pr->n_cues && !hit; k++)
            hit = pr->cues[k] && pr->cues[k][0] && strstr(buf, pr->cues[k]);
        if (!hit || !problem_exists(c, pr->number))
            continue;
        if (found && found != pr->number)
            return 0; /* two problems' words: undecided */
        found = pr->number;
    }
    return found;
}

typedef struct ref_vec {
    rp_part_ref *v;
    size_t n, cap;
    rp_arena *arena;
} ref_vec;

static rp_status push_ref(ref_vec *rv, size_t part, size_t a, size_t b, size_t at, bool expl)
{
    for (size_t i = 0; i < rv->n; i++)
        if (rv->v[i].part == part && rv->v[i].start == a)
            return RP_OK;
    if (rv->n == rv->cap) {
        size_t nc = rv->cap ? rv->cap * 2 : 16;
        rp_part_ref *nv = rp_arena_realloc(rv->arena, rv->v, rv->cap * sizeof *nv,
                                           nc * sizeof *nv);
        if (!nv)
            return RP_ENOMEM;
        rv->v = nv;
        rv->cap = nc;
    }
    rv->v[rv->n].part = part;
    rv->v[rv->n].start = a;
    rv->v[rv->n].end = b;
    rv->v[rv->n].at = at;
    rv->v[rv->n].explicit_ref = expl;
    rv->n++;
    return RP_OK;
}

/* Add references for (p, l, sub); a letter with sub-parts and no sub names
 * all of them; "from" adds every later letter of the problem too. */
static rp_status ref_letter(const rp_seg_catalog *c, ref_vec *rv, int p, char l, int sub,
                            bool from, size_t a, size_t b, size_t at)
{
    rp_status st = RP_OK;
    for (size_t k = 0; k < c->n_parts && st == RP_OK; k++) {
        const rp_seg_part *q = &c->parts[k];
        if (q->problem != p)
            continue;
        bool hit = from ? q->letter >= l : q->letter == l;
        if (!hit)
            continue;
        if (!from && sub && q->sub != sub)
            continue;
        st = push_ref(rv, k, a, b, at, true);
    }
    return st;
}

/* True when the sentence says the references start at a part ("starting
 * at part d", "from part d on"). */
static bool says_from(const char *s, size_t a, size_t ref_at)
{
    size_t lo = ref_at > a + 24 ? ref_at - 24 : a;
    char buf[64];
    lower_copy(buf, sizeof buf, s + lo, ref_at - lo);
    return strstr(buf, "starting") || strstr(buf, "from") || strstr(buf, "onward");
}

/* References by pattern id in the sentence sent[0..sn) (at a, ending at
 * end, of the turn): the problem number in group 1, the letter in the first
 * set group of 2..roman_group-1, a roman sub-part in roman_group; no match
 * starts before off.  Each sets *problem. */
static rp_status refs_numbered(rp_segmenter *s, ref_vec *rv, int id, int roman_group,
                               const char *sent, size_t sn, size_t off, size_t a, size_t end,
                               int *problem)
{
    rp_status st = RP_OK;
    while (st == RP_OK && off < sn && match(s, id, sent, sn, off)) {
        int p = number(group(s, sent, 1));
        char l = 0;
        for (int gi = 2; gi < roman_group && !l; gi++)
            l = letter(group(s, sent, gi));
        int r = roman(group(s, sent, roman_group));
        size_t me = match_end(s), ms = match_start(s);
        if (letter_exists(s->cat, p, l)) {
            st = ref_letter(s->cat, rv, p, l, r, false, a, end, a + ms);
            *problem = p;
        }
        off = me > off ? me : off + 1;
    }
    return st;
}

/* The end of the sentence that starts at text[a] (at . ? ! followed by
 * space, or a newline; n when none), read in one pass that also tells
 * which patterns can start a match in it (*cand, UREF_BITs) and where the
 * first match of each can start (from_at[id], from a: no match of it
 * starts before; a byte inside a UTF-8 character is no place to start
 * PCRE2 at, so from the sentence start then). */
static size_t sentence_end(const char *text, size_t n, size_t a, unsigned *cand_out,
                           size_t *from_at)
{
    const unsigned char *t = (const unsigned char *)text;
    unsigned cand = 0;
    size_t b = a;
    for (;; b++) {
        const unsigned char *q = t + b, *e = t + n;
        while (q < e && !uref_first[*q])
            q++; /* most bytes: no start, no end */
        b = (size_t)(q - t);
        if (b >= n)
            break;
        unsigned u = uref_first[t[b]];
        if (u & uref_words & ~cand) {
            /* a start word stands at b only where its first two bytes do
             * (word_pair) */
            unsigned need = u & uref_words & ~cand;
            u &= ~uref_words;
            if (b + 1 >= n || word_pair[t[b]][t[b + 1]])
                u |= words_at(text, n, b, need);
        }
        unsigned fresh = u & ~UREF_STOP & ~cand;
        if (fresh) {
            cand |= fresh;
            if (t[b] < 0x80 || t[b] >= 0xC0)
                for (int id = 0; fresh; id++, fresh >>= 1)
                    if (fresh & 1)
                        from_at[id] = b - a;
        }
        if (!(u & UREF_STOP))
            continue;
        if (t[b] == '\n')
            break;
        if ((b + 1 >= n || t[b + 1] == ' ' || t[b + 1] == '\n') &&
            !(b > a && isdigit(t[b - 1]) && b + 1 < n && isdigit(t[b + 1])))
            break;
    }
    *cand_out = cand;
    return b;
}

rp_status rp_segment_user_refs(rp_segmenter *s, const char *text, size_t n,
                               int context_problem, rp_arena *arena,
                               rp_part_ref **out, size_t *n_out)
{
    const rp_seg_catalog *c = s->cat;
    ref_vec rv = {NULL, 0, 0, arena};
    rp_status st = RP_OK;
    int problem = context_problem;
    size_t a = 0;
    while (a < n && st == RP_OK) {
        /* sentence [a, b) */
        unsigned cand = 0; /* UREF_BIT of the patterns that can start in the sentence */
        size_t from_at[P_COUNT] = {0};
        size_t b = sentence_end(text, n, a, &cand, from_at);
        if (s->plain) {
            cand = ~0u; /* every pattern, from the start of the sentence */
            memset(from_at, 0, sizeof from_at);
        }
        size_t end = b < n ? b + 1 : n;
        const char *sent = text + a;
        size_t sn = end - a;
        /* problem mentions move the context */
        size_t off = from_at[P_UREF_PROB];
        int whole = 0; /* the problem named alone, at whole_at */
        size_t whole_at = 0, refs_before = rv.n;
        while (st == RP_OK && (cand & UREF_BIT(P_UREF_PROB)) && off < sn &&
               match(s, P_UREF_PROB, sent, sn, off)) {
            int p = number(group(s, sent, 1));
            size_t me = match_end(s);
            if (problem_exists(c, p)) {
                problem = p;
                whole = p;
                whole_at = a + match_start(s);
            }
            off = me;
        }
        /* "problem 2(c)", "question 4, part (c)": that part, and its problem;
         * then "12e", "12d.i" */
        if (st == RP_OK && (cand & UREF_BIT(P_UREF_PROBPART)))
            st = refs_numbered(s, &rv, P_UREF_PROBPART, 5, sent, sn, from_at[P_UREF_PROBPART],
                               a, end, &problem);
        if (st == RP_OK && (cand & UREF_BIT(P_UREF_NUM)))
            st = refs_numbered(s, &rv, P_UREF_NUM, 3, sent, sn, from_at[P_UREF_NUM], a, end,
                               &problem);
        off = from_at[P_UREF_PART];
        while (st == RP_OK && problem && (cand & UREF_BIT(P_UREF_PART)) && off < sn &&
               match(s, P_UREF_PART, sent, sn, off)) {
            char l = letter(group(s, sent, 1));
            int r = roman(group(s, sent, 2));
            size_t ms = match_start(s), me = match_end(s);
            bool from = says_from(sent, 0, ms);
            if (letter_exists(c, problem, l)) {
                st = ref_letter(c, &rv, problem, l, r, from, a, end, a + ms);
                /* ", b and c" after the first letter */
                size_t k = me;
                while (st == RP_OK && k < sn && match(s, P_UREF_MORE, sent + k, sn - k, 0)) {
                    char l2 = letter(group(s, sent + k, 1));
                    int r2 = roman(group(s, sent + k, 2));
                    size_t adv = match_end(s);
                    if (!letter_exists(c, problem, l2))
                        break;
                    st = ref_letter(c, &rv, problem, l2, r2, false, a, end, a + k);
                    k += adv;
                }
                me = k;
            }
            off = me > off ? me : off + 1;
        }
        off = from_at[P_UREF_PAREN];
        while (st == RP_OK && problem && (cand & UREF_BIT(P_UREF_PAREN)) && off < sn &&
               match(s, P_UREF_PAREN, sent, sn, off)) {
            char l = letter(group(s, sent, 1));
            int r = roman(group(s, sent, 2));
            size_t me = match_end(s), ms = match_start(s);
            if (letter_exists(c, problem, l))
                st = ref_letter(c, &rv, problem, l, r, false, a, end, a + ms);
            off = me > off ? me : off + 1;
        }
        /* "redo problem 7" names all of its parts; "problem 4, part (c)" only c */
        if (st == RP_OK && whole && rv.n == refs_before)
            st = ref_letter(c, &rv, whole, 'a', 0, true, a, end, whole_at);
        a = end;
        while (a < n && (text[a] == ' ' || text[a] == '\n' || text[a] == '\t'))
            a++;
    }
    if (st != RP_OK)
        return st;
    *out = rv.v;
    *n_out = rv.n;
    return RP_OK;
}
