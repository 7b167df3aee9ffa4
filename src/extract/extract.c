/*
 * Claim extraction: given the spans of one model turn about one part, find
 * the answer the model commits to.  The part's target (symbols such as
 * \alpha or y, words such as "runtime") guides the choice among the math
 * of the span:
 *   1. after the last explicit marker ("Answer for (a):", "Final answer",
 *      \boxed{}), the first math that fits the target;
 *   2. after the last "Therefore"/"Thus", the last math that fits;
 *   3. otherwise the last math of the span that fits.
 * A relation chain "a = b = O(c)" yields its last exact side; a bound
 * "\alpha \le x" is kept as a bound so that grading can say `inequality`.
 * Matrices, `cases`, bullet lists "y[n] = E for C", vectors, named tuples
 * and tables (Markdown pipes or tab-separated) are read as such.
 */
#include "redpen/extract.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#define MAX_MATH 4096       /* math segments considered per claim */
#define MAX_UNION (4u << 20) /* bytes of span text considered per claim */

/* ------------------------------------------------------------- helpers */

static bool starts(const char *s, size_t n, size_t i, const char *lit)
{
    size_t k = strlen(lit);
    return i + k <= n && memcmp(s + i, lit, k) == 0;
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A literal with its length, for tables scanned in inner loops. */
typedef struct lit {
    const char *s;
    size_t n;
} lit;
#define LIT(x) {x, sizeof x - 1}

static bool starts_lit(const char *s, size_t n, size_t i, const lit *l)
{
    /* the tables share first bytes: the second decides most often */
    return i + l->n <= n && (l->n < 2 || s[i + 1] == l->s[1]) &&
           memcmp(s + i, l->s, l->n) == 0;
}

/* Unicode letters models write in prose and math, with their LaTeX. */
static const struct {
    lit utf8;
    lit tex;
} greek[] = {
    {LIT("\xCE\xB1"), LIT("\\alpha")}, {LIT("\xCE\xB2"), LIT("\\beta")},
    {LIT("\xCE\xB3"), LIT("\\gamma")}, {LIT("\xCE\xB4"), LIT("\\delta")},
    {LIT("\xCE\x94"), LIT("\\Delta")}, {LIT("\xCE\xB7"), LIT("\\eta")},
    {LIT("\xCE\xB8"), LIT("\\theta")}, {LIT("\xCE\xBB"), LIT("\\lambda")},
    {LIT("\xCE\xBC"), LIT("\\mu")},    {LIT("\xCF\x83"), LIT("\\sigma")},
    {LIT("\xCE\xA3"), LIT("\\Sigma")}, {LIT("\xCF\x84"), LIT("\\tau")},
    {LIT("\xCF\x86"), LIT("\\phi")},   {LIT("\xCF\x80"), LIT("\\pi")},
    {LIT("\xCE\xB5"), LIT("\\epsilon")},
};

/* Bytes that a normalised symbol never keeps. */
static bool norm_dropped_byte(char c)
{
    return c == '{' || c == '}' || c == ' ' || c == '\t' || c == '\n' || c == '$';
}

/* The length of the table entry at s[i] that rp_extract_norm_symbol()
 * consumes (its LaTeX, if a Greek letter, goes to *tex), or 0.  Wrappers
 * and dropped commands start with a backslash and Greek letters with a
 * UTF-8 lead byte, so each byte is looked up in its own tables only. */
static size_t norm_entry(const char *s, size_t n, size_t i, const lit **tex)
{
    static const lit wrappers[] = {
        LIT("\\mathbf{"), LIT("\\boldsymbol{"), LIT("\\text{"), LIT("\\mathrm{"),
        LIT("\\operatorname{"), LIT("\\bm{"), LIT("\\vec{"), LIT("\\mathit{"),
        LIT("\\textbf{"), LIT("\\mathcal{"), LIT("\\mathbb{")};
    static const lit dropped[] = {LIT("\\left"), LIT("\\right"), LIT("\\,"), LIT("\\;"),
                                  LIT("\\!"), LIT("\\displaystyle"), LIT("\\big"),
                                  LIT("\\Big")};
    *tex = NULL;
    if (s[i] == '\\') {
        for (size_t w = 0; w < sizeof wrappers / sizeof *wrappers; w++)
            if (starts_lit(s, n, i, &wrappers[w]))
                return wrappers[w].n; /* keep the content; its } is dropped */
        for (size_t w = 0; w < sizeof dropped / sizeof *dropped; w++)
            if (starts_lit(s, n, i, &dropped[w]) &&
                !(i + dropped[w].n < n && is_alpha(s[i + dropped[w].n])))
                return dropped[w].n;
        return 0;
    }
    for (size_t g = 0; g < sizeof greek / sizeof *greek; g++)
        if (starts_lit(s, n, i, &greek[g].utf8)) {
            *tex = &greek[g].tex;
            return greek[g].utf8.n;
        }
    return 0;
}

/* rp_extract_norm_symbol() into a writable arena string. */
static char *norm_symbol(rp_arena *arena, const char *s, size_t n)
{
    /* a 2-byte Greek letter becomes up to 8 bytes ("\\epsilon") */
    char *out = rp_arena_alloc(arena, 4 * n + 16);
    if (!out)
        return NULL;
    size_t o = 0;
    size_t i = 0;
    while (i < n) {
        char c = s[i];
        /* only a backslash or a UTF-8 lead byte can start a table entry */
        if (c == '\\' || (unsigned char)c >= 0xC0) {
            const lit *tex;
            size_t k = norm_entry(s, n, i, &tex);
            if (k) {
                if (tex) {
                    memcpy(out + o, tex->s, tex->n);
                    o += tex->n;
                }
                i += k;
                continue;
            }
        }
        if (!norm_dropped_byte(c))
            out[o++] = c;
        i++;
    }
    out[o] = '\0';
    return out;
}

const char *rp_extract_norm_symbol(rp_arena *arena, const char *s, size_t n)
{
    const char *out = norm_symbol(arena, s, n);
    return out ? out : "";
}

/* ---------------------------------------------------------------- math */

/* The next x or y of a text, for a scan that only moves forward: each
 * byte's next x and next y are searched for once, not again after every
 * stop (with no x left, a memchr per stop made the scan quadratic). */
typedef struct next2 {
    char x, y;
    size_t px, py; /* offsets of the next x and y (n: none), SIZE_MAX: unknown */
} next2;

#define NEXT2(x, y) ((next2){(x), (y), SIZE_MAX, SIZE_MAX})

/* The offset of the first x or y in t[i..n), or n; i never decreases
 * between calls on the same q. */
static size_t next2_at(next2 *q, const char *t, size_t n, size_t i)
{
    if (q->px == SIZE_MAX || q->px < i) {
        const char *p = memchr(t + i, q->x, n - i);
        q->px = p ? (size_t)(p - t) : n;
    }
    if (q->py == SIZE_MAX || q->py < i) {
        const char *p = memchr(t + i, q->y, n - i);
        q->py = p ? (size_t)(p - t) : n;
    }
    return q->px < q->py ? q->px : q->py;
}

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
    size_t cap = 64, cnt = 0;
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
                if (t[j] != '\\' && t[j] != '\n' && t[j] != close[0]) {
                    j++; /* none of the tests below can hold */
                    continue;
                }
                if (t[j] == '\\' && j + 1 < n && t[j + 1] == '$' && close_len <= 2 &&
                    close[0] == '$') {
                    j += 2;
                    continue;
                }
                if (close[0] == '$' && t[j] == '\n' && j + 1 < n && t[j + 1] == '\n')
                    break; /* dollar math does not cross a paragraph */
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
        cnt++;
        i = e;
    }
    *out = v;
    *n_out = cnt;
    return RP_OK;
}

/* ------------------------------------------------------------ relations */

typedef enum rel { REL_NONE, REL_EQ, REL_LE, REL_GE, REL_LT, REL_GT, REL_APPROX, REL_OTHER } rel;

/* The relation token at s[i], its length in *len. */
static rel rel_at(const char *s, size_t n, size_t i, size_t *len)
{
    typedef struct rel_tok {
        lit tok;
        rel r;
    } rel_tok;
    /* grouped by first byte; within a group a longer token comes before
     * its prefix */
    static const rel_tok cmd_toks[] = {
        {LIT("\\leq"), REL_LE}, {LIT("\\le"), REL_LE}, {LIT("\\geq"), REL_GE},
        {LIT("\\ge"), REL_GE}, {LIT("\\lt"), REL_LT}, {LIT("\\gt"), REL_GT},
        {LIT("\\approx"), REL_APPROX}, {LIT("\\propto"), REL_APPROX},
        {LIT("\\sim"), REL_APPROX}, {LIT("\\equiv"), REL_EQ},
        {LIT("\\Rightarrow"), REL_OTHER}, {LIT("\\implies"), REL_OTHER},
        {LIT("\\to"), REL_OTHER}, {LIT("\\rightarrow"), REL_OTHER}, {LIT("\\neq"), REL_OTHER},
        {LIT("\\ne"), REL_OTHER}, {LIT("\\ll"), REL_OTHER}, {LIT("\\gg"), REL_OTHER},
    };
    static const rel_tok utf8_toks[] = {
        {LIT("\xE2\x89\xA4"), REL_LE}, {LIT("\xE2\x89\xA5"), REL_GE},
        {LIT("\xE2\x89\x88"), REL_APPROX}, {LIT("\xE2\x86\x92"), REL_OTHER},
        {LIT("\xE2\x87\x92"), REL_OTHER},
    };
    static const rel_tok ascii_toks[] = {
        {LIT("<="), REL_LE}, {LIT(">="), REL_GE}, {LIT("="), REL_EQ},
        {LIT("<"), REL_LT},  {LIT(">"), REL_GT},
    };
    const rel_tok *toks;
    size_t nt;
    switch (s[i]) {
    case '\\':
        toks = cmd_toks, nt = sizeof cmd_toks / sizeof *cmd_toks;
        break;
    case '\xE2':
        toks = utf8_toks, nt = sizeof utf8_toks / sizeof *utf8_toks;
        break;
    case '<':
    case '>':
    case '=':
        toks = ascii_toks, nt = sizeof ascii_toks / sizeof *ascii_toks;
        break;
    default:
        return REL_NONE; /* no token starts with another byte */
    }
    char c1 = i + 1 < n ? s[i + 1] : '\0';
    for (size_t k = 0; k < nt; k++) {
        const lit *t = &toks[k].tok;
        if (t->s[0] != s[i] || (t->n > 1 && t->s[1] != c1))
            continue; /* cheap test of the first two bytes */
        if (starts_lit(s, n, i, t)) {
            if (t->s[0] == '\\' && i + t->n < n && is_alpha(s[i + t->n]))
                continue;
            *len = t->n;
            return toks[k].r;
        }
    }
    return REL_NONE;
}

#define MAX_SIDES 16

typedef struct chain {
    size_t n;                 /* sides */
    size_t a[MAX_SIDES], b[MAX_SIDES]; /* side i is s[a[i]..b[i]) */
    rel r[MAX_SIDES];         /* r[i] relates side i and i+1 */
} chain;

/* Split s[0..n) at relations outside braces, brackets and environments. */
static void split_chain(const char *s, size_t n, chain *c)
{
    /* the bytes that open or close a group or can start a relation (see
     * rel_at()); all others leave the state as it is */
    static const bool special[256] = {
        ['\\'] = true, ['{'] = true, ['}'] = true, ['('] = true, [')'] = true, ['['] = true,
        [']'] = true, ['<'] = true, ['>'] = true, ['='] = true, [0xE2] = true};
    int depth = 0, env = 0;
    size_t start = 0;
    c->n = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (!special[(unsigned char)ch])
            continue;
        if (ch == '\\' && starts(s, n, i, "\\begin{")) {
            env++;
            i += 6;
            continue;
        }
        if (ch == '\\' && starts(s, n, i, "\\end{")) {
            if (env)
                env--;
            i += 4;
            continue;
        }
        if (ch == '\\' && i + 1 < n && (s[i + 1] == '{' || s[i + 1] == '}')) {
            i++;
            continue;
        }
        if (ch == '{' || ch == '(' || ch == '[') {
            depth++;
            continue;
        }
        if (ch == '}' || ch == ')' || ch == ']') {
            if (depth)
                depth--;
            continue;
        }
        if (depth || env)
            continue;
        size_t len = 0;
        rel r = rel_at(s, n, i, &len);
        if (r == REL_NONE)
            continue;
        if (c->n + 1 >= MAX_SIDES)
            break;
        c->a[c->n] = start;
        c->b[c->n] = i;
        c->r[c->n] = r;
        c->n++;
        start = i + len;
        i += len - 1;
    }
    c->a[c->n] = start;
    c->b[c->n] = n;
    c->r[c->n] = REL_NONE;
    c->n++;
}

static bool is_asymptotic(const char *s, size_t n)
{
    rp_span t = rp_span_trim(rp_span_make(s, n));
    if (t.n == 0 || (t.p[0] != 'O' && t.p[0] != '\\'))
        return false; /* every form below starts so */
    return rp_span_starts(t, "O(") || rp_span_starts(t, "O (") ||
           rp_span_starts(t, "\\mathcal{O}") || rp_span_starts(t, "\\Theta") ||
           rp_span_starts(t, "\\mathcal O") || rp_span_starts(t, "\\Omega") ||
           rp_span_starts(t, "O\\left(") || rp_span_starts(t, "\\operatorname{O}");
}

static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isspace((unsigned char)s[i]))
            return false;
    return true;
}

/* The targets of a search normalised (rp_extract_norm_symbol()), once per
 * claim rather than once per comparison. */
typedef struct targets {
    const char *const *raw; /* as the rubric spells them */
    const char **norm;
    size_t n;
} targets;

static rp_status targets_make(rp_arena *a, const char *const *raw, size_t n, targets *t)
{
    t->raw = raw;
    t->n = n;
    t->norm = rp_arena_alloc(a, (n + 1) * sizeof *t->norm);
    if (!t->norm)
        return RP_ENOMEM;
    for (size_t k = 0; k < n; k++)
        t->norm[k] = rp_extract_norm_symbol(a, raw[k], strlen(raw[k]));
    return RP_OK;
}

/* Longest normalised left side that lhs_names() compares. */
#define MAX_LHS 255

/* The normalised left side s[0..n) as lhs_names() reads it: "|\alpha|"
 * reads "\alpha"; NULL when longer than MAX_LHS (never a target). */
static const char *lhs_norm(rp_arena *a, const char *s, size_t n)
{
    char *l = norm_symbol(a, s, n);
    if (!l)
        return "";
    size_t ln = strlen(l);
    if (ln > MAX_LHS)
        return NULL;
    /* strip |x| */
    if (ln >= 2 && l[0] == '|' && l[ln - 1] == '|') {
        memmove(l, l + 1, ln - 2);
        l[ln - 2] = '\0';
    }
    return l;
}

/* Does a left side (normalised by lhs_norm()) name one of the targets?
 * "y[n]", "y_2(n)" and "|\alpha|" name y, y_2 and \alpha. */
static bool lhs_names(const char *l, const targets *t)
{
    if (!t->n || !l)
        return false;
    char buf[MAX_LHS + 1];
    memcpy(buf, l, strlen(l) + 1);
    for (int pass = 0; pass < 2; pass++) {
        for (size_t k = 0; k < t->n; k++)
            if (strcmp(buf, t->norm[k]) == 0)
                return true;
        /* drop a trailing argument: y[n], y_2(n), dw_{h,l} */
        size_t e = strlen(buf);
        if (e && (buf[e - 1] == ']' || buf[e - 1] == ')')) {
            char open = buf[e - 1] == ']' ? '[' : '(';
            char *p = strrchr(buf, open);
            if (!p || p == buf)
                break;
            *p = '\0';
        } else {
            break;
        }
    }
    return false;
}

/* An identifier with an optional subscript ("x", "\\alpha", "dw_h,l",
 * "SD"), not a number or an expression. */
static bool bare_symbol(const char *ns)
{
    size_t i = 0;
    if (ns[0] == '\\')
        i++;
    size_t letters = 0;
    while (is_alpha(ns[i])) {
        i++;
        letters++;
    }
    if (!letters)
        return false;
    if (ns[i] == '_') {
        i++;
        while (isalnum((unsigned char)ns[i]) || ns[i] == ',' || ns[i] == '\\')
            i++;
    }
    while (ns[i] == '\'')
        i++;
    return ns[i] == '\0';
}

bool rp_extract_bound(rp_arena *arena, const char *latex, const char **value, char *relation)
{
    size_t n = strlen(latex);
    chain ch;
    split_chain(latex, n, &ch);
    if (ch.n != 2)
        return false;
    char r;
    switch (ch.r[0]) {
    case REL_LE:
    case REL_LT: r = '<'; break;
    case REL_GE:
    case REL_GT: r = '>'; break;
    default: return false;
    }
    rp_span v = rp_span_trim(rp_span_make(latex + ch.a[1], ch.b[1] - ch.a[1]));
    *value = rp_arena_strndup(arena, v.p ? v.p : "", v.n);
    *relation = r;
    return *value != NULL;
}

/* ------------------------------------------------------------ candidates */

typedef struct cand {
    bool fallback;     /* a closed form where cases were expected */
    size_t pos;        /* offset in the union text */
    size_t end;        /* end of its math segment */
    const char *latex; /* what to compare */
    const char *shown;
} cand;

typedef struct ctx {
    const char *u;  /* union text */
    const char *lu; /* the same in ASCII lower case */
    size_t n;
    bool prefer_asym; /* take O(.) sides of chains */
    int comp;         /* the tuple component being extracted, or -1 */
    int *owner;       /* per math segment: the component whose cue precedes it */
    rp_arena *a;
    rp_math *m;
    size_t nm;
    size_t primary;   /* offset of the last primary marker, or SIZE_MAX */
    size_t secondary; /* offset of the last secondary marker, or SIZE_MAX */
    struct seg *sg;   /* per math segment: what is known of it (seg_*()) */
    bool debug;       /* REDPEN_DEBUG_EXTRACT is set: trace to stderr */
} ctx;

/* What the search has learnt about one math segment.  The passes of
 * candidates(), the tuple components and bullet_cases() ask the same
 * questions of the same segments, so each answer is worked out on first
 * use and kept for the rest of the claim. */
typedef struct seg {
    bool split;       /* ch is valid */
    bool have_lhs;    /* lhs is valid */
    char empty;       /* the content is blank: 'y', 'n', or 0 not yet known */
    chain ch;         /* the content split at relations */
    const char *lhs;  /* its first side by lhs_norm() */
    const char *norm; /* the content normalised, or NULL until needed */
    const char *pre;  /* the prose before it normalised, or NULL until needed */
} seg;

static const char *seg_text(const ctx *c, size_t i, size_t *len)
{
    *len = c->m[i].cend - c->m[i].cstart;
    return c->u + c->m[i].cstart;
}

static bool seg_blank(ctx *c, size_t i)
{
    seg *g = &c->sg[i];
    if (!g->empty) {
        size_t len;
        const char *s = seg_text(c, i, &len);
        g->empty = blank(s, len) ? 'y' : 'n';
    }
    return g->empty == 'y';
}

static const chain *seg_chain(ctx *c, size_t i)
{
    seg *g = &c->sg[i];
    if (!g->split) {
        size_t len;
        const char *s = seg_text(c, i, &len);
        split_chain(s, len, &g->ch);
        g->split = true;
    }
    return &g->ch;
}

/* Does the first side of segment i name one of the targets? */
static bool seg_lhs_names(ctx *c, size_t i, const targets *t)
{
    if (!t->n)
        return false;
    seg *g = &c->sg[i];
    if (!g->have_lhs) {
        const chain *ch = seg_chain(c, i);
        size_t len;
        const char *s = seg_text(c, i, &len);
        g->lhs = lhs_norm(c->a, s + ch->a[0], ch->b[0] - ch->a[0]);
        g->have_lhs = true;
    }
    return lhs_names(g->lhs, t);
}

static const char *seg_norm(ctx *c, size_t i)
{
    seg *g = &c->sg[i];
    if (!g->norm) {
        size_t len;
        const char *s = seg_text(c, i, &len);
        g->norm = rp_extract_norm_symbol(c->a, s, len);
    }
    return g->norm;
}

static const char *dup(rp_arena *a, const char *s, size_t n)
{
    rp_span t = rp_span_trim(rp_span_make(s, n));
    return rp_arena_strndup(a, t.p ? t.p : "", t.n);
}

static const char *rel_tex(rel r)
{
    switch (r) {
    case REL_LE: return " \\le ";
    case REL_GE: return " \\ge ";
    case REL_LT: return " < ";
    case REL_GT: return " > ";
    default: return " = ";
    }
}

/* Pick the side of a chain to claim, starting after side `from`: the last
 * exact side (not O(.), not empty), else the first side.  A bound between
 * the target side and the chosen side is kept. */
static const char *pick_side(ctx *c, const char *s, const chain *ch, size_t from,
                             bool keep_bound)
{
    size_t best = (size_t)-1;
    if (c->prefer_asym)
        for (size_t i = from; i < ch->n && best == (size_t)-1; i++)
            if (is_asymptotic(s + ch->a[i], ch->b[i] - ch->a[i]))
                best = i;
    bool have_asym = best != (size_t)-1;
    for (size_t i = from; i < ch->n && !have_asym; i++) {
        const char *p = s + ch->a[i];
        size_t len = ch->b[i] - ch->a[i];
        if (blank(p, len) || is_asymptotic(p, len))
            continue;
        if (ch->r[i ? i - 1 : 0] == REL_OTHER && i > from)
            break; /* "a \Rightarrow b": stop at an implication */
        best = i;
    }
    if (best == (size_t)-1)
        best = from < ch->n ? from : ch->n - 1;
    const char *side = dup(c->a, s + ch->a[best], ch->b[best] - ch->a[best]);
    if (keep_bound && from > 0) {
        rel strongest = REL_EQ;
        for (size_t i = from - 1; i < best; i++)
            if (ch->r[i] == REL_LE || ch->r[i] == REL_GE || ch->r[i] == REL_LT ||
                ch->r[i] == REL_GT)
                strongest = ch->r[i];
        if (strongest != REL_EQ) {
            const char *lhs = dup(c->a, s + ch->a[0], ch->b[0] - ch->a[0]);
            return rp_arena_printf(c->a, "%s%s%s", lhs, rel_tex(strongest), side);
        }
    }
    return side;
}

/* The prose before math segment i, normalised: at most 48 bytes, only
 * since the previous math segment and within the sentence. */
static const char *seg_pre(ctx *c, size_t i)
{
    seg *g = &c->sg[i];
    if (g->pre)
        return g->pre;
    size_t pos = c->m[i].start;
    size_t lo = pos > 48 ? pos - 48 : 0;
    /* segments are in order and do not overlap: the one before ends last */
    if (i > 0 && c->m[i - 1].end > lo)
        lo = c->m[i - 1].end;
    /* stay within the sentence */
    for (size_t k = pos; k > lo; k--)
        if (c->u[k - 1] == '\n' || (c->u[k - 1] == '.' && k < pos && c->u[k] == ' ')) {
            lo = k;
            break;
        }
    g->pre = rp_extract_norm_symbol(c->a, c->u + lo, pos - lo);
    return g->pre;
}

/* Text just before math segment i names the target in prose: "α should be
 * $x$", "alpha = $x$", "c is $x$".  Only the prose since the previous math
 * segment counts, and the target with its connecting words must end right
 * where the math begins. */
static bool prose_names_target(ctx *c, size_t i, const targets *t)
{
    static const char *const connectors[] = {"shouldbe", "mustbe", "is", "=", "tobe",
                                             "equals", "of", ":", NULL};
    const char *pre = NULL;
    for (size_t k = 0; k < t->n; k++) {
        const char *tk = t->norm[k];
        size_t tl = strlen(tk);
        if (tl < 2)
            continue; /* single letters are too common in prose */
        if (!pre)
            pre = seg_pre(c, i);
        /* the last occurrence of the target */
        const char *hit = NULL;
        for (const char *q = strstr(pre, tk); q; q = strstr(q + 1, tk))
            hit = q;
        if (!hit)
            continue;
        const char *rest = hit + tl;
        for (size_t j = 0; connectors[j]; j++)
            if (strcmp(rest, connectors[j]) == 0)
                return true;
    }
    return false;
}

/* The sentence around pos contains one of the words (ASCII, lower case). */
static bool sentence_has_word(ctx *c, size_t pos, const char *const *words, size_t nw)
{
    if (!nw)
        return false;
    /* back to the start of the sentence, at most 400 bytes */
    size_t lo = pos, floor = pos > 400 ? pos - 400 : 0;
    while (lo > floor && c->u[lo - 1] != '\n' &&
           !(c->u[lo - 1] == ' ' && lo >= 2 && c->u[lo - 2] == '.'))
        lo--;
    char buf[512];
    size_t k = pos - lo < sizeof buf - 1 ? pos - lo : sizeof buf - 1;
    for (size_t i = 0; i < k; i++)
        buf[i] = (char)tolower((unsigned char)c->u[lo + i]);
    buf[k] = '\0';
    for (size_t w = 0; w < nw; w++)
        if (words[w][0] && strstr(buf, words[w]))
            return true;
    return false;
}

/* Choose among candidates by the marker rules. */
static const cand *choose(ctx *c, const cand *v, size_t nv)
{
    if (!nv)
        return NULL;
    if (c->primary != (size_t)-1) {
        /* at or after the marker; \boxed{} marks from inside its math */
        for (size_t i = 0; i < nv; i++)
            if (v[i].end > c->primary)
                return &v[i];
    }
    if (c->secondary != (size_t)-1) {
        const cand *last = NULL;
        for (size_t i = 0; i < nv; i++)
            if (v[i].pos >= c->secondary)
                last = &v[i];
        if (last)
            return last;
    }
    return &v[nv - 1];
}

/* s[0..n) contains \\begin{kind}. */
static bool has_env(const char *s, size_t n, const char *kind)
{
    size_t kl = strlen(kind);
    for (size_t i = 0; i + 8 + kl <= n; i++)
        if (s[i] == '\\' && memcmp(s + i, "\\begin{", 7) == 0 &&
            memcmp(s + i + 7, kind, kl) == 0 && s[i + 7 + kl] == '}')
            return true;
    return false;
}

static bool has_matrix(const char *s, size_t n)
{
    return has_env(s, n, "bmatrix") || has_env(s, n, "pmatrix") ||
           has_env(s, n, "matrix") || has_env(s, n, "Bmatrix") || has_env(s, n, "vmatrix");
}

/* A side that is exactly one environment (a matrix or cases). */
static bool single_env(const char *s, size_t n)
{
    rp_span t = rp_span_trim(rp_span_make(s, n));
    if (!rp_span_starts(t, "\\begin{"))
        return false;
    /* the first \begin must be closed by the last \end of the text */
    int depth = 0;
    size_t close_at = 0;
    for (size_t i = 0; i < t.n; i++) {
        if (t.p[i] != '\\')
            continue;
        if (t.n - i >= 7 && memcmp(t.p + i, "\\begin{", 7) == 0) {
            depth++;
        } else if (t.n - i >= 5 && memcmp(t.p + i, "\\end{", 5) == 0) {
            if (--depth == 0) {
                close_at = i;
                break;
            }
        }
    }
    if (depth != 0 || close_at == 0)
        return false;
    /* nothing after the closing brace but ^T or punctuation */
    const char *close = memchr(t.p + close_at, '}', t.n - close_at);
    if (!close)
        return false;
    rp_span rest = rp_span_trim(rp_span_make(close + 1, (size_t)(t.p + t.n - close - 1)));
    return rest.n == 0 || rp_span_eq(rest, "^T") || rp_span_eq(rest, "^{T}") ||
           rp_span_eq(rest, ",") || rp_span_eq(rest, ".");
}

/* Vectors written [a, b, c]^T or (a, b, c). */
static bool looks_vector(const char *s, size_t n)
{
    rp_span t = rp_span_trim(rp_span_make(s, n));
    if (t.n < 3)
        return false;
    if (t.p[0] != '[' && t.p[0] != '(' && !rp_span_starts(t, "\\left"))
        return false;
    return memchr(t.p, ',', t.n) != NULL;
}

/* Collect the candidates for a scalar/matrix/vector/cases answer. */
static rp_status candidates(ctx *c, const targets *t, const char *const *words, size_t nw,
                            rp_expect expect, cand **out, size_t *nout)
{
    cand *v = rp_arena_alloc(c->a, (c->nm + 1) * sizeof *v);
    if (!v)
        return RP_ENOMEM;
    size_t nv = 0;
    /* pass 0: the target named on the left or in prose;
     * pass 1: the target word in the sentence;
     * pass 2: any math of the right shape */
    size_t n_real = 0;
    for (int pass = 0; pass < 3 && n_real == 0; pass++) {
        if (pass == 0 && t->n == 0)
            continue;
        if (pass == 1 && nw == 0)
            continue;
        for (size_t i = 0; i < c->nm; i++) {
            size_t len;
            const char *s = seg_text(c, i, &len);
            if (seg_blank(c, i))
                continue;
            const chain *ch = seg_chain(c, i);
            bool lhs_target = ch->n > 1 && seg_lhs_names(c, i, t);
            bool prose = !lhs_target && pass == 0 && prose_names_target(c, i, t);
            if (pass == 0 && !lhs_target && !prose)
                continue;
            if (pass == 1 && c->owner && c->comp >= 0 ? c->owner[i] != c->comp
                : pass == 1 && !sentence_has_word(c, c->m[i].start, words, nw))
                continue;
            size_t from = lhs_target ? 1 : 0;
            if (pass > 0 && ch->n > 1 && !lhs_target) {
                /* "W^TW = ..." names something else: take its value only
                 * when the left side is a number or the target is unknown */
                from = 0;
            }
            const char *latex = NULL;
            bool fallback = false;
            if (expect == RP_EXPECT_MATRIX || expect == RP_EXPECT_VECTOR ||
                expect == RP_EXPECT_PIECEWISE) {
                /* the chosen side must be one environment or a vector */
                size_t k = ch->n;
                for (size_t j = from; j < ch->n; j++) {
                    const char *p = s + ch->a[j];
                    size_t pl = ch->b[j] - ch->a[j];
                    bool ok;
                    if (expect == RP_EXPECT_PIECEWISE)
                        ok = single_env(p, pl) && has_env(p, pl, "cases");
                    else if (expect == RP_EXPECT_MATRIX)
                        ok = single_env(p, pl) && has_matrix(p, pl);
                    else
                        ok = (single_env(p, pl) && has_matrix(p, pl)) || looks_vector(p, pl);
                    if (ok)
                        k = j;
                }
                if (k == ch->n && expect == RP_EXPECT_PIECEWISE && lhs_target) {
                    /* "y_2(n) = y(n - 5)": a closed form instead of cases,
                     * used only when no cases are given */
                    latex = pick_side(c, s, ch, 1, true);
                    fallback = true;
                    goto have;
                }
                if (k == ch->n)
                    continue;
                if (!lhs_target && ch->n > 1) {
                    /* "M \odot h = 40" or "x = [..]" for another symbol */
                    rp_span lhs = rp_span_trim(rp_span_make(s + ch->a[0], ch->b[0] - ch->a[0]));
                    if (k != 0 || lhs.n == 0)
                        continue;
                }
                latex = dup(c->a, s + ch->a[k], ch->b[k] - ch->a[k]);
            } else {
                /* a lone symbol standing by itself ("Mean of $dw_{h,l}$:") is
                 * a mention, not an answer */
                if (ch->n == 1 && !memchr(s, '^', len) && bare_symbol(seg_norm(c, i)) &&
                    !strstr(seg_norm(c, i), "\\sqrt") && !strstr(seg_norm(c, i), "\\frac"))
                    continue;
                latex = pick_side(c, s, ch, from, lhs_target);
            }
        have:
            if (!latex || !latex[0])
                continue;
            if (!fallback)
                n_real++;
            v[nv].fallback = fallback;
            v[nv].end = c->m[i].end;
            v[nv].pos = c->m[i].start;
            v[nv].latex = latex;
            v[nv].shown = dup(c->a, c->u + c->m[i].start, c->m[i].end - c->m[i].start);
            nv++;
        }
    }
    /* closed forms count only when nothing else was found */
    size_t real = 0;
    for (size_t i = 0; i < nv; i++)
        if (!v[i].fallback)
            v[real++] = v[i];
    if (real)
        nv = real;
    *out = v;
    *nout = nv;
    return RP_OK;
}

/* ------------------------------------------------------- bullet cases */

/* Lines "y[n] = E for C" (math in one or two $..$) grouped into lists; the
 * longest list becomes a cases environment. */
static const char *bullet_cases(ctx *c, const targets *t, size_t *pos)
{
    const char *best = NULL;
    size_t best_n = 0;
    rp_buf b;
    rp_buf_init(&b, 1 << 20);
    size_t i = 0, run = 0, run_pos = 0;
    rp_buf cur;
    rp_buf_init(&cur, 1 << 20);
    size_t gap = 0;
    size_t first = 0; /* the first math segment that starts at or after i */
    while (i <= c->n) {
        size_t e = i;
        while (e < c->n && c->u[e] != '\n')
            e++;
        /* find two math segments on this line: "$y[n] = E$ for $C$" */
        /* segments are in order and do not overlap: those within the line
         * follow the first that starts in it */
        while (first < c->nm && c->m[first].start < i)
            first++;
        const rp_math *m1 = NULL, *m2 = NULL;
        size_t i1 = first;
        if (first < c->nm && c->m[first].end <= e) {
            m1 = &c->m[first];
            if (first + 1 < c->nm && c->m[first + 1].end <= e)
                m2 = &c->m[first + 1];
        }
        bool ok = false;
        if (m1 && m2) {
            size_t len;
            const char *s = seg_text(c, i1, &len);
            const chain *ch = seg_chain(c, i1);
            char between[64];
            size_t bl = m2->start - m1->end < sizeof between - 1 ? m2->start - m1->end
                                                                 : sizeof between - 1;
            for (size_t k = 0; k < bl; k++)
                between[k] = (char)tolower((unsigned char)c->u[m1->end + k]);
            between[bl] = '\0';
            if (ch->n >= 2 && seg_lhs_names(c, i1, t) &&
                (strstr(between, "for") || strstr(between, "when") || strstr(between, "if") ||
                 strchr(between, ','))) {
                const char *val = pick_side(c, s, ch, 1, false);
                const char *cond = dup(c->a, c->u + m2->cstart, m2->cend - m2->cstart);
                if (run == 0) {
                    rp_buf_clear(&cur);
                    run_pos = i;
                }
                rp_buf_printf(&cur, "%s%s & %s", run ? " \\\\ " : "", val, cond);
                run++;
                ok = true;
                gap = 0;
            }
        }
        if (!ok) {
            bool empty_line = blank(c->u + i, e - i);
            if (!empty_line || ++gap > 1) {
                if (run >= 2 && run >= best_n && cur.data) {
                    best = rp_arena_printf(c->a, "\\begin{cases} %s \\end{cases}", cur.data);
                    best_n = run;
                    *pos = run_pos;
                }
                run = 0;
            }
        }
        if (e >= c->n)
            break;
        i = e + 1;
    }
    if (run >= 2 && run >= best_n && cur.data) {
        best = rp_arena_printf(c->a, "\\begin{cases} %s \\end{cases}", cur.data);
        *pos = run_pos;
    }
    rp_buf_free(&cur);
    rp_buf_free(&b);
    return best;
}

/* ---------------------------------------------------------------- tables */

static const char *norm_label(rp_arena *a, const char *s, size_t n)
{
    char *o = rp_arena_alloc(a, n + 1);
    if (!o)
        return "";
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (isalnum(ch))
            o[k++] = (char)tolower(ch);
    }
    o[k] = '\0';
    return o;
}

/* Split a table row into cells: pipes, else tabs.  Returns the count. */
static size_t split_row(const char *s, size_t n, size_t *a, size_t *b, size_t max)
{
    rp_span t = rp_span_trim(rp_span_make(s, n));
    size_t cnt = 0;
    char sep = memchr(t.p, '|', t.n) ? '|' : '\t';
    if (sep == '\t' && !memchr(t.p, '\t', t.n))
        return 0;
    size_t i = 0;
    if (t.n && t.p[0] == '|')
        i = 1;
    size_t start = i;
    for (; i <= t.n && cnt < max; i++) {
        if (i == t.n || t.p[i] == sep) {
            if (i == t.n && sep == '|' && start == t.n)
                break;
            a[cnt] = (size_t)(t.p - s) + start;
            b[cnt] = (size_t)(t.p - s) + i;
            cnt++;
            start = i + 1;
        }
    }
    return cnt;
}

static rp_status extract_table(ctx *c, const rp_extract_spec *sp, rp_claim *out)
{
    size_t rows = sp->n_row_labels, cols = sp->n_cols ? sp->n_cols : 1;
    if (!rows)
        return RP_OK;
    const char **norm = rp_arena_alloc(c->a, rows * sizeof *norm);
    const char **best = rp_arena_alloc(c->a, rows * cols * sizeof *best);
    const char **cur = rp_arena_alloc(c->a, rows * cols * sizeof *cur);
    bool *used = rp_arena_alloc(c->a, rows * sizeof *used);
    if (!norm || !best || !cur || !used)
        return RP_ENOMEM;
    for (size_t r = 0; r < rows; r++)
        norm[r] = norm_label(c->a, sp->row_labels[r], strlen(sp->row_labels[r]));
    size_t best_hits = 0, best_pos = 0, cur_hits = 0, cur_pos = 0;
    size_t i = 0;
    bool in_table = false;
    while (i <= c->n) {
        size_t e = i;
        while (e < c->n && c->u[e] != '\n')
            e++;
        size_t a[16], b[16];
        size_t nc = split_row(c->u + i, e - i, a, b, 16);
        bool matched = false;
        if (nc >= 2) {
            const char *lab = norm_label(c->a, c->u + i + a[0], b[0] - a[0]);
            for (size_t r = 0; r < rows && lab[0]; r++) {
                if (used[r] || strcmp(lab, norm[r]) != 0)
                    continue;
                if (!in_table) {
                    memset(cur, 0, rows * cols * sizeof *cur);
                    memset(used, 0, rows * sizeof *used);
                    cur_hits = 0;
                    cur_pos = i;
                    in_table = true;
                }
                used[r] = true;
                for (size_t k = 0; k < cols && k + 1 < nc; k++) {
                    const char *cell = c->u + i + a[k + 1];
                    size_t cl = b[k + 1] - a[k + 1];
                    rp_span t = rp_span_trim(rp_span_make(cell, cl));
                    if (t.n == 0)
                        continue;
                    /* strip $..$ and take the last side of a chain */
                    rp_span in = t;
                    if (in.n >= 2 && in.p[0] == '$' && in.p[in.n - 1] == '$') {
                        while (in.n && in.p[0] == '$') {
                            in.p++;
                            in.n--;
                        }
                        while (in.n && in.p[in.n - 1] == '$')
                            in.n--;
                    }
                    chain ch;
                    split_chain(in.p, in.n, &ch);
                    cur[r * cols + k] = pick_side(c, in.p, &ch, 0, false);
                }
                cur_hits++;
                matched = true;
                break;
            }
        }
        bool sep_row = nc >= 2 && c->u[i + a[0]] == '-';
        if (!matched && !sep_row && in_table && !blank(c->u + i, e - i)) {
            if (cur_hits >= best_hits) {
                best_hits = cur_hits;
                best_pos = cur_pos;
                memcpy(best, cur, rows * cols * sizeof *best);
            }
            in_table = false;
        }
        if (e >= c->n)
            break;
        i = e + 1;
    }
    if (in_table && cur_hits >= best_hits) {
        best_hits = cur_hits;
        best_pos = cur_pos;
        memcpy(best, cur, rows * cols * sizeof *best);
    }
    if (!best_hits)
        return RP_OK;
    out->kind = RP_CLAIM_TABLE;
    out->cells = best;
    out->rows = rows;
    out->cols = cols;
    out->how = "table";
    out->offset = best_pos;
    out->shown = rp_arena_printf(c->a, "table with %zu of %zu rows", best_hits, rows);
    return RP_OK;
}

/* ------------------------------------------------------------- markers */

/* The explicit markers are read as these patterns would read them, caseless
 * and in UTF-8 (PCRE2 syntax; tests/extract holds the scanner to PCRE2):
 *   primary:   (?:^|\n)[ \t>*#_+-]*(?:\*\*)?(?:final\s+answer|answer)\b[^\n:]{0,48}:
 *              |\\boxed\{
 *   secondary: \b(?:therefore|thus|hence|consequently|so the answer)\b
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
static bool word_at(const char *s, size_t n, size_t i)
{
    return i < n && (mk_class[(unsigned char)s[i]] & MK_WORD);
}

/* \b holds between s[i-1] and s[i]. */
static bool word_boundary(const char *s, size_t n, size_t i)
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
    if (s[p] == '\\')
        return match_word(s, n, p, "\\boxed{");
    if (s[p] != '\n' && p != 0)
        return 0;
    size_t i = s[p] == '\n' ? p + 1 : p; /* ^ alone fails before a newline */
    /* the class takes the ** too: the word must start where it stops */
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '>' || s[i] == '*' || s[i] == '#' ||
                     s[i] == '_' || s[i] == '+' || s[i] == '-'))
        i++;
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

/* The end of a secondary marker starting at s[p], or 0. */
static size_t secondary_at(const char *s, size_t n, size_t p)
{
    static const char *const words[] = {"therefore", "thus", "hence", "consequently",
                                        "so the answer"};
    if (!word_boundary(s, n, p))
        return 0;
    /* only the words with this first letter (U+017F reads s) */
    char first = s[p] == '\xC5' ? 's' : (char)(s[p] | 0x20);
    for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
        if (words[w][0] != first)
            continue;
        size_t e = match_word(s, n, p, words[w]);
        if (e && word_boundary(s, n, e))
            return e;
    }
    return 0;
}

void rp_extract_markers(const char *s, size_t n, size_t *primary, size_t *secondary)
{
    /* each search goes on after the end of its last match, as a regular
     * expression search would */
    *primary = *secondary = (size_t)-1;
    /* a primary marker starts the text, or at a newline or a backslash */
    next2 starts_at = NEXT2('\n', '\\');
    for (size_t i = 0; i < n;) {
        size_t e = primary_at(s, n, i);
        if (e) {
            *primary = i;
            i = e;
        } else {
            i++;
        }
        if (i < n)
            i = next2_at(&starts_at, s, n, i);
    }
    for (size_t i = 0; i < n; i++) {
        unsigned cl = mk_class[(unsigned char)s[i]];
        if (!(cl & MK_SECONDARY))
            continue;
        /* most t h c s stand inside words: no \b before them */
        if (i > 0 && ((mk_class[(unsigned char)s[i - 1]] & MK_WORD) != 0) == ((cl & MK_WORD) != 0))
            continue;
        size_t e = secondary_at(s, n, i);
        if (e) {
            *secondary = i;
            i = e - 1;
        }
    }
}

/* The first occurrence of word in s[from..n), or (size_t)-1. */
static size_t next_cue(const char *s, size_t n, size_t from, const char *word)
{
    size_t wl = strlen(word);
    while (wl && from + wl <= n) {
        const char *hit = memchr(s + from, word[0], n - wl + 1 - from);
        if (!hit)
            break;
        size_t at = (size_t)(hit - s);
        if (memcmp(hit, word, wl) == 0)
            return at;
        from = at + 1;
    }
    return (size_t)-1;
}

/* ------------------------------------------------------------ the claim */

static rp_status scalar_like(ctx *c, const targets *t, const char *const *words, size_t nw,
                             rp_expect expect, const char **latex, const char **shown,
                             size_t *pos, const char **how)
{
    cand *v;
    size_t nv;
    *latex = NULL;
    rp_status st = candidates(c, t, words, nw, expect, &v, &nv);
    if (st != RP_OK)
        return st;
    const cand *pick = choose(c, v, nv);
    /* After an explicit "Answer:" with nothing that names the target, the
     * math right after the marker is the answer. */
    if (c->primary != (size_t)-1 && (!pick || pick->end <= c->primary)) {
        cand *w;
        size_t nw2;
        static const targets none = {NULL, NULL, 0};
        st = candidates(c, &none, NULL, 0, expect, &w, &nw2);
        if (st != RP_OK)
            return st;
        for (size_t i = 0; i < nw2; i++)
            if (w[i].end > c->primary && !w[i].fallback) {
                pick = &w[i];
                break;
            }
    }
    if (c->debug) {
        fprintf(stderr, "  target %s: %zu candidates\n", t->n ? t->raw[0] : nw ? words[0] : "?",
                nv);
        for (size_t i = 0; i < nv; i++)
            fprintf(stderr, "    %c @%zu %s\n", pick == &v[i] ? '*' : ' ', v[i].pos, v[i].latex);
    }
    if (expect == RP_EXPECT_PIECEWISE) {
        size_t bpos = 0;
        const char *bl = bullet_cases(c, t, &bpos);
        if (bl && (!pick || pick->fallback || bpos > pick->pos)) {
            *latex = bl;
            *shown = bl;
            *pos = bpos;
            *how = "list";
            return RP_OK;
        }
    }
    if (!pick)
        return RP_OK;
    *latex = pick->latex;
    *shown = pick->shown;
    *pos = pick->pos;
    *how = c->primary != (size_t)-1 && pick->pos >= c->primary     ? "marker"
           : c->secondary != (size_t)-1 && pick->pos >= c->secondary ? "therefore"
                                                                     : "last-math";
    return RP_OK;
}

/* Append s[0..n) to b, or as much of it as b's cap leaves room for;
 * false when it did not all fit. */
static bool append_capped(rp_buf *b, const char *s, size_t n)
{
    size_t room = b->max > b->len ? b->max - b->len : 0;
    if (n <= room)
        return rp_buf_append(b, s, n) == RP_OK;
    rp_buf_append(b, s, room);
    return false;
}

rp_status rp_extract_claim(const char *text, size_t n, const rp_part_span *spans,
                           size_t n_spans, const rp_extract_spec *sp,
                           rp_arena *arena, rp_claim *out)
{
    memset(out, 0, sizeof *out);
    out->kind = RP_CLAIM_NONE;
    if (!n_spans)
        return RP_OK;
    /* The union of the spans, "\$" read as "$" (screenshot text escapes
     * dollars). */
    rp_buf u;
    rp_buf_init(&u, MAX_UNION);
    for (size_t k = 0; k < n_spans; k++) {
        size_t a = spans[k].start, b = spans[k].end < n ? spans[k].end : n;
        size_t run = a; /* text[run..i) is still to be copied */
        bool full = false;
        for (size_t i = a; i < b && !full; i++) {
            const char *bs = memchr(text + i, '\\', b - i);
            if (!bs)
                break;
            i = (size_t)(bs - text);
            /* "$\$...\$$": display math whose inner dollars were escaped */
            if (i + 1 < b && text[i + 1] == '$' &&
                ((i > a && text[i - 1] == '$') || (i + 2 < b && text[i + 2] == '$') ||
                 (i + 3 < b && text[i + 2] == '\\' && text[i + 3] == '$') ||
                 (i >= a + 2 && text[i - 1] == '$' && text[i - 2] == '\\'))) {
                full = !append_capped(&u, text + run, i - run);
                run = i + 1;
            }
        }
        if (!full && b > run)
            append_capped(&u, text + run, b - run);
        rp_buf_puts(&u, "\n\n");
    }
    ctx c;
    memset(&c, 0, sizeof c);
    c.comp = -1;
    c.u = rp_arena_strndup(arena, u.data ? u.data : "", u.len);
    c.n = u.len;
    c.a = arena;
    rp_buf_free(&u);
    if (!c.u)
        return RP_ENOMEM;
    rp_status st = rp_extract_math(c.u, c.n, arena, &c.m, &c.nm);
    if (st != RP_OK)
        return st;
    c.sg = rp_arena_alloc(arena, (c.nm + 1) * sizeof *c.sg); /* zeroed: nothing known */
    if (!c.sg)
        return RP_ENOMEM;
    rp_extract_markers(c.u, c.n, &c.primary, &c.secondary);
    c.debug = getenv("REDPEN_DEBUG_EXTRACT") != NULL;
    if (c.debug) {
        fprintf(stderr, "---- extract: %zu bytes, %zu math, primary %zd, secondary %zd\n%s\n",
                c.n, c.nm, (ssize_t)c.primary, (ssize_t)c.secondary, c.u);
        for (size_t i = 0; i < c.nm; i++)
            fprintf(stderr, "  math %zu @%zu: %.*s\n", i, c.m[i].start,
                    (int)(c.m[i].cend - c.m[i].cstart), c.u + c.m[i].cstart);
    }
    size_t base = spans[0].start;

    switch (sp->expect) {
    case RP_EXPECT_TEXT: {
        rp_span t = rp_span_trim(rp_span_make(c.u, c.n));
        if (t.n == 0)
            return RP_OK;
        out->kind = RP_CLAIM_TEXT;
        out->text = rp_arena_strndup(arena, t.p, t.n > 8000 ? 8000 : t.n);
        out->shown = out->text;
        out->how = "text";
        out->offset = base;
        return RP_OK;
    }
    case RP_EXPECT_TABLE:
        st = extract_table(&c, sp, out);
        if (out->kind == RP_CLAIM_TABLE)
            out->offset += base;
        return st;
    case RP_EXPECT_TUPLE: {
        size_t nc = sp->n_components;
        const char **parts = rp_arena_alloc(arena, (nc + 1) * sizeof *parts);
        if (!parts)
            return RP_ENOMEM;
        size_t found = 0, first_pos = (size_t)-1;
        const char *how = "target";
        rp_buf shown;
        rp_buf_init(&shown, 1 << 20);
        /* each math segment belongs to the component whose cue word stands
         * closest before it ("Max-pooling: ... $M_1$ ... Average-pooling:
         * ... $M_2$") */
        char *lu = rp_arena_strndup(arena, c.u, c.n);
        c.owner = rp_arena_alloc(arena, (c.nm + 1) * sizeof *c.owner);
        targets *comp_targets = rp_arena_alloc(arena, (nc + 1) * sizeof *comp_targets);
        if (!lu || !c.owner || !comp_targets) {
            rp_buf_free(&shown);
            return RP_ENOMEM;
        }
        for (size_t k = 0; k < nc; k++) {
            st = targets_make(arena, sp->components[k].symbols, sp->components[k].n_symbols,
                              &comp_targets[k]);
            if (st != RP_OK) {
                rp_buf_free(&shown);
                return st;
            }
        }
        for (size_t i = 0; i < c.n; i++)
            lu[i] = (char)tolower((unsigned char)lu[i]);
        c.lu = lu;
        /* per cue word: the last occurrence ending before the current math
         * and the next one after it; math starts only grow, so one forward
         * pass over the text finds them all */
        size_t ncue = 0;
        for (size_t k = 0; k < nc; k++)
            ncue += sp->components[k].n_words;
        size_t *cue_last = rp_arena_alloc(arena, (ncue + 1) * sizeof *cue_last);
        size_t *cue_next = rp_arena_alloc(arena, (ncue + 1) * sizeof *cue_next);
        if (!cue_last || !cue_next) {
            rp_buf_free(&shown);
            return RP_ENOMEM;
        }
        for (size_t k = 0, x = 0; k < nc; k++)
            for (size_t w = 0; w < sp->components[k].n_words; w++, x++) {
                cue_last[x] = (size_t)-1;
                cue_next[x] = next_cue(lu, c.n, 0, sp->components[k].words[w]);
            }
        for (size_t i = 0; i < c.nm; i++) {
            size_t best_at = 0;
            c.owner[i] = -1;
            /* a left side naming a component decides */
            const chain *ch = seg_chain(&c, i);
            for (size_t k = 0; ch->n > 1 && k < nc && c.owner[i] < 0; k++)
                if (seg_lhs_names(&c, i, &comp_targets[k]))
                    c.owner[i] = (int)k;
            if (c.owner[i] >= 0)
                continue;
            size_t lo = c.m[i].start > 2000 ? c.m[i].start - 2000 : 0;
            for (size_t k = 0, x = 0; k < nc; k++) {
                const rp_extract_component *cp = &sp->components[k];
                for (size_t w = 0; w < cp->n_words; w++, x++) {
                    size_t wl = strlen(cp->words[w]);
                    if (!wl)
                        continue;
                    while (cue_next[x] != (size_t)-1 && cue_next[x] + wl <= c.m[i].start) {
                        cue_last[x] = cue_next[x];
                        cue_next[x] = next_cue(lu, c.n, cue_next[x] + 1, cp->words[w]);
                    }
                    /* the closest within 2000 bytes before the math */
                    size_t at = cue_last[x];
                    if (at != (size_t)-1 && at >= lo && at + 1 > best_at) {
                        best_at = at + 1;
                        c.owner[i] = (int)k;
                    }
                }
            }
        }
        for (size_t k = 0; k < nc; k++) {
            const rp_extract_component *cp = &sp->components[k];
            c.comp = (int)k;
            c.prefer_asym = cp->prefer_asymptotic;
            const char *latex = NULL, *sh = NULL;
            size_t pos = 0;
            st = scalar_like(&c, &comp_targets[k], cp->words, cp->n_words, cp->expect, &latex,
                             &sh, &pos, &how);
            if (st != RP_OK) {
                rp_buf_free(&shown);
                return st;
            }
            parts[k] = latex;
            if (latex) {
                found++;
                if (pos < first_pos)
                    first_pos = pos;
                rp_buf_printf(&shown, "%s%s: %s", shown.len ? "; " : "", cp->name, latex);
            }
        }
        if (found) {
            out->kind = RP_CLAIM_TUPLE;
            out->parts = parts;
            out->n_parts = nc;
            out->shown = rp_arena_strdup(arena, shown.data ? shown.data : "");
            out->how = how;
            out->offset = base + first_pos;
        }
        rp_buf_free(&shown);
        return RP_OK;
    }
    default: {
        const char *latex = NULL, *shown = NULL, *how = NULL;
        size_t pos = 0;
        c.prefer_asym = sp->prefer_asymptotic;
        targets t;
        st = targets_make(arena, sp->symbols, sp->n_symbols, &t);
        if (st != RP_OK)
            return st;
        st = scalar_like(&c, &t, sp->words, sp->n_words, sp->expect, &latex, &shown, &pos,
                         &how);
        if (st != RP_OK)
            return st;
        if (latex) {
            out->kind = RP_CLAIM_MATH;
            out->latex = latex;
            out->shown = shown;
            out->how = how;
            out->offset = base + pos;
        }
        return RP_OK;
    }
    }
}
