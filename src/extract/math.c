/*
 * Math segments of a text: $..$, $$..$$, \\(..\\), \\[..\\] and bare
 * environments \\begin{..}..\\end{..}, found in one forward pass whatever the
 * number of unmatched openers.
 */
#include "extract_int.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Every \end{name} of a text, sorted by name and then offset, so that the
 * \end of a bare environment is a binary search, not a scan to the end for
 * each unmatched \begin. */
typedef struct end_tag {
    const char *name;
    size_t len; /* bytes of name, below ENV_NAME_MAX */
    size_t at;  /* offset of the backslash */
} end_tag;

typedef struct end_index {
    bool built;
    end_tag *v;
    size_t n;
} end_index;

#define ENV_NAME_MAX 32

static int end_tag_cmp(const void *pa, const void *pb)
{
    const end_tag *a = pa, *b = pb;
    if (a->len != b->len)
        return a->len < b->len ? -1 : 1;
    int c = memcmp(a->name, b->name, a->len);
    if (c)
        return c;
    return a->at < b->at ? -1 : a->at > b->at;
}

/* The length of the environment name at t[s..n) (up to its '}'), or
 * SIZE_MAX when no '}' closes it within ENV_NAME_MAX bytes. */
static size_t env_name(const char *t, size_t n, size_t s)
{
    size_t e = s;
    while (e < n && t[e] != '}' && e - s < ENV_NAME_MAX)
        e++;
    return e < n && t[e] == '}' ? e - s : SIZE_MAX;
}

static bool end_at(const char *t, size_t n, size_t at)
{
    return n - at >= 5 && memcmp(t + at, "\\end{", 5) == 0;
}

static rp_status end_index_build(end_index *x, const char *t, size_t n, rp_arena *arena)
{
    x->built = true;
    size_t cap = 0;
    for (const char *p = t; (p = memchr(p, '\\', (size_t)(t + n - p))) != NULL; p++)
        cap += end_at(t, n, (size_t)(p - t));
    if (!cap)
        return RP_OK;
    x->v = rp_arena_alloc(arena, cap * sizeof *x->v);
    if (!x->v)
        return RP_ENOMEM;
    for (const char *p = t; (p = memchr(p, '\\', (size_t)(t + n - p))) != NULL; p++) {
        size_t at = (size_t)(p - t);
        size_t len = end_at(t, n, at) ? env_name(t, n, at + 5) : SIZE_MAX;
        if (len != SIZE_MAX)
            x->v[x->n++] = (end_tag){t + at + 5, len, at};
    }
    qsort(x->v, x->n, sizeof *x->v, end_tag_cmp);
    return RP_OK;
}

/* The offset of the first \end{name} at or after from, or SIZE_MAX. */
static size_t end_index_find(const end_index *x, const char *name, size_t len, size_t from)
{
    end_tag key = {name, len, from};
    size_t lo = 0, hi = x->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (end_tag_cmp(&x->v[mid], &key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < x->n && x->v[lo].len == len && memcmp(x->v[lo].name, name, len) == 0)
        return x->v[lo].at;
    return SIZE_MAX;
}

/* The offset of the first backslash, newline or dollar in t[j..n), or n. */
static size_t next_stop(const char *t, size_t n, size_t j)
{
#if defined(__SSE2__)
    /* 16 bytes at a time: LaTeX has a backslash every few bytes, too
     * often for three memchr calls to pay */
    const __m128i bs = _mm_set1_epi8('\\'), nl = _mm_set1_epi8('\n'), dl = _mm_set1_epi8('$');
    for (; j + 16 <= n; j += 16) {
        __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(t + j));
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(b, bs), _mm_cmpeq_epi8(b, nl)), _mm_cmpeq_epi8(b, dl)));
        if (m)
            return j + (size_t)__builtin_ctz(m);
    }
#endif
    while (j < n && t[j] != '\\' && t[j] != '\n' && t[j] != '$')
        j++;
    return j;
}

rp_status rp_extract_math(const char *t, size_t n, rp_arena *arena, rp_math **out,
                          size_t *n_out)
{
    /* closers known to be missing: once a search for "$$", "$", "\]" or
     * "\)" reached the end of the text from some offset, a later opener of
     * the same kind fails at once instead of searching to the end again
     * (many unmatched openers made the pass quadratic) */
    size_t none_from[4] = {SIZE_MAX, SIZE_MAX, SIZE_MAX, SIZE_MAX};
    next2 openers = NEXT2('$', '\\');
    end_index ends = {false, NULL, 0};
    size_t cap = 16, cnt = 0; /* grows; the arena zeroes what it gives */
    rp_math *v = rp_arena_alloc(arena, cap * sizeof *v);
    if (!v)
        return RP_ENOMEM;
    size_t i = 0;
    while (i < n && cnt < MAX_MATH) {
        size_t open = 0, close_len = 0;
        const char *close = NULL;
        int kind = -1; /* index into none_from */
        bool display = false;
        if (t[i] != '$' && t[i] != '\\') { /* every opener starts so */
            i = next2_at(&openers, t, n, i);
            continue;
        }
        if (t[i] == '\\' && i + 1 < n && t[i + 1] == '$') {
            i += 2; /* an escaped dollar outside math: text */
            continue;
        }
        if (starts(t, n, i, "$$")) {
            open = 2, close = "$$", close_len = 2, display = true, kind = 0;
        } else if (t[i] == '$') {
            open = 1, close = "$", close_len = 1, kind = 1;
        } else if (starts(t, n, i, "\\[")) {
            open = 2, close = "\\]", close_len = 2, display = true, kind = 2;
        } else if (starts(t, n, i, "\\(")) {
            open = 2, close = "\\)", close_len = 2, kind = 3;
        } else if (starts(t, n, i, "\\begin{")) {
            open = 0, close = "\\end{", close_len = 0, display = true;
        } else {
            i++;
            continue;
        }
        size_t cs = i + open;
        size_t j = cs;
        size_t ce = 0, e = 0;
        if (close_len == 0) {
            /* a bare environment: find its matching \end{name} */
            size_t ns = i + 7, len = env_name(t, n, ns);
            if (len == SIZE_MAX) {
                i++;
                continue;
            }
            if (!ends.built && end_index_build(&ends, t, n, arena) != RP_OK)
                return RP_ENOMEM;
            size_t hit = end_index_find(&ends, t + ns, len, ns + len);
            if (hit == SIZE_MAX) {
                i++;
                continue;
            }
            ce = hit + 5 + len + 1; /* past "\end{", the name and '}' */
            e = ce;
            cs = i;
        } else {
            bool found = false;
            if (cs >= none_from[kind])
                j = n; /* searched to the end from before here */
            while (j < n) {
                /* none of the tests below can hold but at a backslash, a
                 * newline or close[0] (a dollar or a backslash) */
                j = next_stop(t, n, j);
                if (j >= n)
                    break;
                if (t[j] == '\\' && j + 1 < n && t[j + 1] == '$' && close_len <= 2 &&
                    close[0] == '$') {
                    j += 2;
                    continue;
                }
                if (close[0] == '$' && t[j] == '\n' && j + 1 < n && t[j + 1] == '\n')
                    break; /* dollar math does not cross a paragraph */
                if (kind == 1 && t[j] == '$' && j + 1 < n && t[j + 1] >= '0' &&
                    t[j + 1] <= '9') {
                    j++; /* "$5 and $10": a dollar before a digit is money */
                    continue;
                }
                if (t[j] == close[0] && starts(t, n, j, close)) {
                    found = true;
                    break;
                }
                j++;
            }
            if (j >= n && !found && cs < none_from[kind])
                none_from[kind] = cs;
            if (!found || j == cs) {
                i += open ? open : 1;
                continue;
            }
            ce = j;
            e = j + close_len;
        }
        if (cnt == cap) {
            rp_math *nv = rp_arena_realloc(arena, v, cap * sizeof *v, 2 * cap * sizeof *v);
            if (!nv)
                return RP_ENOMEM;
            v = nv;
            cap *= 2;
        }
        v[cnt].start = i;
        v[cnt].end = e;
        v[cnt].cstart = cs;
        v[cnt].cend = ce;
        v[cnt].display = display;
        v[cnt].notation = RP_MATH_LATEX;
        v[cnt].tex = NULL;
        cnt++;
        i = e;
    }
    *out = v;
    *n_out = cnt;
    return RP_OK;
}
