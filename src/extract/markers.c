/*
 * Markers: the explicit answer markers ("Answer:", "Final answer for (b):",
 * \\boxed{) and the secondary ones ("Therefore", "thus") found by a hand
 * scanner, and the cue words of tuple components.
 */
#include "extract_int.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* The explicit markers are read as these patterns would read them, caseless
 * and in UTF-8 (PCRE2 syntax; tests/extract holds the scanner to PCRE2):
 *   primary:   (?:^|\n)[ \t>*#_+-]*(?:\*\*)?(?:final\s+answer|answer)\b[^\n:]{0,48}:
 *              |\\boxed\{
 *   secondary: \b(?:therefore|thus|hence|consequently|so the answer|the answer is)\b
 * Caseless UTF-8 matching lets an ASCII s also match U+017F (long s); \b, \s
 * and the classes are ASCII.  A hand scanner finds both in one pass over the
 * text: the regular expressions had no fixed first byte and cost about 20
 * instructions a byte each. */

/* What a byte can be to the marker scanner. */
enum {
    MK_WORD = 1,      /* \w: [A-Za-z0-9_] */
    MK_SECONDARY = 4, /* can start a secondary marker: t h c s, U+017F */
};

static const unsigned char mk_class[256] = {
    ['0'] = MK_WORD, ['1'] = MK_WORD, ['2'] = MK_WORD, ['3'] = MK_WORD, ['4'] = MK_WORD,
    ['5'] = MK_WORD, ['6'] = MK_WORD, ['7'] = MK_WORD, ['8'] = MK_WORD, ['9'] = MK_WORD,
    ['A'] = MK_WORD, ['B'] = MK_WORD, ['C'] = MK_WORD | MK_SECONDARY, ['D'] = MK_WORD,
    ['E'] = MK_WORD, ['F'] = MK_WORD, ['G'] = MK_WORD, ['H'] = MK_WORD | MK_SECONDARY,
    ['I'] = MK_WORD, ['J'] = MK_WORD, ['K'] = MK_WORD, ['L'] = MK_WORD, ['M'] = MK_WORD,
    ['N'] = MK_WORD, ['O'] = MK_WORD, ['P'] = MK_WORD, ['Q'] = MK_WORD, ['R'] = MK_WORD,
    ['S'] = MK_WORD | MK_SECONDARY, ['T'] = MK_WORD | MK_SECONDARY, ['U'] = MK_WORD,
    ['V'] = MK_WORD, ['W'] = MK_WORD, ['X'] = MK_WORD, ['Y'] = MK_WORD, ['Z'] = MK_WORD,
    ['_'] = MK_WORD,
    ['a'] = MK_WORD, ['b'] = MK_WORD, ['c'] = MK_WORD | MK_SECONDARY, ['d'] = MK_WORD,
    ['e'] = MK_WORD, ['f'] = MK_WORD, ['g'] = MK_WORD, ['h'] = MK_WORD | MK_SECONDARY,
    ['i'] = MK_WORD, ['j'] = MK_WORD, ['k'] = MK_WORD, ['l'] = MK_WORD, ['m'] = MK_WORD,
    ['n'] = MK_WORD, ['o'] = MK_WORD, ['p'] = MK_WORD, ['q'] = MK_WORD, ['r'] = MK_WORD,
    ['s'] = MK_WORD | MK_SECONDARY, ['t'] = MK_WORD | MK_SECONDARY, ['u'] = MK_WORD,
    ['v'] = MK_WORD, ['w'] = MK_WORD, ['x'] = MK_WORD, ['y'] = MK_WORD, ['z'] = MK_WORD,
    [0xC5] = MK_SECONDARY,
};

/* Is the byte at s[i] (a non-word byte past either end) part of a word
 * character?  Bytes of multibyte characters are not. */
static inline bool word_at(const char *s, size_t n, size_t i)
{
    return i < n && (mk_class[(unsigned char)s[i]] & MK_WORD);
}

/* \b holds between s[i-1] and s[i]. */
static inline bool word_boundary(const char *s, size_t n, size_t i)
{
    return (i > 0 && word_at(s, n, i - 1)) != word_at(s, n, i);
}

/* The end of word (lower-case ASCII) matched caselessly at s[i], or 0. */
static size_t match_word(const char *s, size_t n, size_t i, const char *word)
{
    for (const char *w = word; *w; w++) {
        if (*w == 's' && i + 1 < n && s[i] == '\xC5' && s[i + 1] == '\xBF') {
            i += 2; /* U+017F */
            continue;
        }
        if (i >= n)
            return 0;
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != *w)
            return 0;
        i++;
    }
    return i;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* The end of a primary marker starting at s[p], or 0. */
static size_t primary_at(const char *s, size_t n, size_t p)
{
    if (s[p] == '\\') /* most backslashes start other commands: b decides */
        return p + 1 < n && (s[p + 1] | 0x20) == 'b' ? match_word(s, n, p, "\\boxed{") : 0;
    if (s[p] != '\n' && p != 0)
        return 0;
    size_t i = s[p] == '\n' ? p + 1 : p; /* ^ alone fails before a newline */
    /* the class takes the ** too: the word must start where it stops */
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '>' || s[i] == '*' || s[i] == '#' ||
                     s[i] == '_' || s[i] == '+' || s[i] == '-'))
        i++;
    /* "final" and "answer" start with f and a (ASCII, caseless) */
    if (i >= n || ((s[i] | 0x20) != 'f' && (s[i] | 0x20) != 'a'))
        return 0;
    size_t e = match_word(s, n, i, "final");
    if (e && e < n && is_space(s[e])) {
        while (e < n && is_space(s[e]))
            e++;
        e = match_word(s, n, e, "answer");
    } else {
        e = 0;
    }
    if (!e)
        e = match_word(s, n, i, "answer");
    if (!e || !word_boundary(s, n, e))
        return 0;
    /* [^\n:]{0,48} then the colon */
    for (size_t k = 0;; k++) {
        if (e >= n || s[e] == '\n')
            return 0;
        if (s[e] == ':')
            return e + 1;
        if (k == 48)
            return 0;
        e++;
        while (e < n && ((unsigned char)s[e] & 0xC0) == 0x80)
            e++;
    }
}

/* The first offset at or after i where primary_at() can match: a newline,
 * or a backslash before a b (of \\boxed{, caseless); n when none.  LaTeX
 * has a backslash every few bytes, and memchr stopping at each cost more
 * than the test itself. */
static size_t primary_next(const char *s, size_t n, size_t i)
{
#if defined(__SSE2__)
    const __m128i nl = _mm_set1_epi8('\n'), bs = _mm_set1_epi8('\\'), b = _mm_set1_epi8('b');
    for (; i + 17 <= n; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i y = _mm_loadu_si128((const __m128i *)(const void *)(s + i + 1));
        __m128i m = _mm_or_si128(
            _mm_cmpeq_epi8(x, nl),
            _mm_and_si128(_mm_cmpeq_epi8(x, bs),
                          _mm_cmpeq_epi8(_mm_or_si128(y, _mm_set1_epi8(0x20)), b)));
        unsigned bits = (unsigned)_mm_movemask_epi8(m);
        if (bits)
            return i + (size_t)__builtin_ctz(bits);
    }
#endif
    for (; i < n; i++)
        if (s[i] == '\n' || (s[i] == '\\' && i + 1 < n && (s[i + 1] | 0x20) == 'b'))
            return i;
    return n;
}

/* The end of a secondary marker starting at s[p], where \\b holds, or 0. */
static size_t secondary_at(const char *s, size_t n, size_t p)
{
    static const char *const words[] = {"therefore", "thus", "hence", "consequently",
                                        "so the answer", "the answer is"};
    /* only the words with this first letter (U+017F reads s) */
    bool long_s = s[p] == '\xC5';
    char first = long_s ? 's' : (char)(s[p] | 0x20);
    /* and the second and third letters (h e o, and e u n or a space: never
     * an s, so ASCII decides; | 0x20 keeps every byte that lowers to them) */
    size_t at2 = long_s ? p + 2 : p + 1;
    char second = at2 < n ? (char)(s[at2] | 0x20) : 0;
    char third = at2 + 1 < n ? (char)(s[at2 + 1] | 0x20) : 0;
    for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
        if (words[w][0] != first || words[w][1] != second || words[w][2] != third)
            continue;
        size_t e = match_word(s, n, p, words[w]);
        if (e && word_boundary(s, n, e))
            return e;
    }
    return 0;
}

/* The end of a secondary marker at s[p] (the \\b before it included), or
 * 0: the test of the scalar scan, for one position. */
static size_t secondary_try(const char *s, size_t n, size_t p)
{
    unsigned cl = mk_class[(unsigned char)s[p]];
    if (!(cl & MK_SECONDARY))
        return 0;
    /* \b before it: most t h c s stand inside words */
    if (!word_boundary(s, n, p))
        return 0;
    return secondary_at(s, n, p);
}

#if defined(__SSE2__)
/* Bit k set when s[k] can start a secondary marker, for k in [0, 16);
 * reads s[0..17).  A superset of the starts secondary_at() accepts: every
 * word begins with t h c or s, matched caselessly in ASCII (the only bytes
 * b with b | 0x20 one of those are the letters in either case) or as
 * U+017F, whose lead byte 0xC5 is kept whatever follows; and its second
 * letter is h, e or o, never an s, so in ASCII at s[k + 1] after an ASCII
 * first letter. */
static unsigned secondary_starts16(const char *s)
{
    const __m128i lower = _mm_set1_epi8(0x20);
    __m128i a = _mm_loadu_si128((const __m128i *)(const void *)s);
    __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(s + 1));
    __m128i la = _mm_or_si128(a, lower), lb = _mm_or_si128(b, lower);
    __m128i first = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(la, _mm_set1_epi8('t')), _mm_cmpeq_epi8(la, _mm_set1_epi8('h'))),
        _mm_or_si128(_mm_cmpeq_epi8(la, _mm_set1_epi8('c')), _mm_cmpeq_epi8(la, _mm_set1_epi8('s'))));
    __m128i second = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(lb, _mm_set1_epi8('h')), _mm_cmpeq_epi8(lb, _mm_set1_epi8('e'))),
        _mm_cmpeq_epi8(lb, _mm_set1_epi8('o')));
    __m128i m = _mm_or_si128(_mm_and_si128(first, second),
                             _mm_cmpeq_epi8(a, _mm_set1_epi8((char)0xC5)));
    return (unsigned)_mm_movemask_epi8(m);
}
#endif

/* The start of the last secondary marker of s[0..n), matches taken left to
 * right without overlap, or (size_t)-1.  With SSE2, 16 bytes at a time are
 * sifted by secondary_starts16() and only the starts it keeps are tried;
 * the scalar loop takes the rest (and everything without SSE2), trying
 * every position.  The two try the same positions that can match, in the
 * same order, so they find the same matches (tests/extract holds the
 * result to PCRE2 on long generated texts). */
static size_t secondary_last(const char *s, size_t n)
{
    size_t last = (size_t)-1;
    size_t next = 0; /* a match may start here or later: the last one ends here */
    size_t i = 0;
#if defined(__SSE2__)
    for (; i + 17 <= n; i += 16) {
        for (unsigned m = secondary_starts16(s + i); m; m &= m - 1) {
            size_t p = i + (size_t)__builtin_ctz(m);
            size_t e = p >= next ? secondary_try(s, n, p) : 0;
            if (e) {
                last = p;
                next = e;
            }
        }
    }
#endif
    for (i = i > next ? i : next; i < n; i++) {
        size_t e = secondary_try(s, n, i);
        if (e) {
            last = i;
            i = e - 1;
        }
    }
    return last;
}

void rp_extract_markers(const char *s, size_t n, size_t *primary, size_t *secondary)
{
    /* each search goes on after the end of its last match, as a regular
     * expression search would */
    *primary = *secondary = (size_t)-1;
    /* a primary marker starts the text, or at a newline or a backslash */
    for (size_t i = 0; i < n;) {
        size_t e = primary_at(s, n, i);
        if (e) {
            *primary = i;
            i = e;
        } else {
            i++;
        }
        if (i < n)
            i = primary_next(s, n, i);
    }
    *secondary = secondary_last(s, n);
}

/* The first occurrence of word in s[from..n), or (size_t)-1. */
size_t rpx_next_cue(const char *s, size_t n, size_t from, const char *word)
{
    size_t wl = strlen(word);
#if defined(__SSE2__)
    /* 16 starts at a time, kept when the word's first two bytes are there
     * (cue words begin with letters that math text is full of, and a
     * memchr per false first byte cost more than the whole test); the
     * starts are tried in order, so the first occurrence is found */
    if (wl >= 2) {
        const __m128i w0 = _mm_set1_epi8(word[0]), w1 = _mm_set1_epi8(word[1]);
        for (; from + 17 <= n && from + wl <= n; from += 16) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + from));
            __m128i y = _mm_loadu_si128((const __m128i *)(const void *)(s + from + 1));
            for (unsigned m = (unsigned)_mm_movemask_epi8(
                     _mm_and_si128(_mm_cmpeq_epi8(x, w0), _mm_cmpeq_epi8(y, w1)));
                 m; m &= m - 1) {
                size_t at = from + (size_t)__builtin_ctz(m);
                if (at + wl <= n && memcmp(s + at, word, wl) == 0)
                    return at;
            }
        }
    }
#endif
    while (wl && from + wl <= n) {
        const char *hit = memchr(s + from, word[0], n - wl + 1 - from);
        if (!hit)
            break;
        size_t at = (size_t)(hit - s);
        /* the second byte first: it rules out most hits of the first */
        if ((wl < 2 || hit[1] == word[1]) && memcmp(hit, word, wl) == 0)
            return at;
        from = at + 1;
    }
    return (size_t)-1;
}
