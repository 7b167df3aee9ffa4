/*
 * Math in every notation: besides the LaTeX segments of math.c, the lines
 * of fenced code blocks and inline code that read as math, plain ASCII or
 * Unicode math typed in prose ("2*c*p_out^2*p_in", "c = 1/√p_in"), and
 * numbers in prose ("10 spoons", "$500", "1,000", "75 %").  Each such
 * segment carries its LaTeX from rp_latex_from_plain().
 *
 * When is plain text math?  Prose is cut into runs of tokens that can be
 * math: numbers, operators, brackets, Unicode math, and names that are math
 * names.  A name is a math name when it is one letter ("c", "W"), one
 * letter with an index ("x1", "p_out", "sigma_x": the base is one letter
 * or a spelled Greek letter), a spelled Greek letter or constant ("sigma",
 * "pi"), a known function written as a call ("sqrt(", "log2(", "O("), or
 * a name the rubric knows (its symbols, any spelling: "dw").  Any other
 * word ("table", "rows", "the", "FC", "layer") is English and ends the run.
 * A run is math only with evidence: an operator between two operands
 * ("2*c", "n/2", "c = 1/√d"), a superscript, subscript or root written in
 * Unicode, or a call of a known function.  A lone letter, a number next to
 * a word ("table with 7 rows"), a hyphenated compound ("2-D", "3-layer")
 * and a range ("1-2") are not math.  A number that is not part of math is
 * a prose number; candidates.c lets it answer only where its sentence
 * names what the part asks for.
 *
 * Code: every line of a fenced block, and inline code, is math when the
 * same evidence holds for it; the name before its first "=" may be any
 * word ("receptive_field = 1 + L*(K-1)"), and a trailing comment is
 * dropped.  Program text ("y = conv(x, h)", "print(x)") has words that are
 * not math names and is not math.
 */
#include "extract_int.h"

/* Token kinds of plain text. */
typedef enum pk {
    PK_SPACE,  /* blanks within a line */
    PK_BREAK,  /* anything that ends a run: newline, punctuation, a word */
    PK_NUM,    /* 12, 0.5, 1,000 */
    PK_NAME,   /* letters, digits, underscores: a math name (see above) */
    PK_WORD,   /* a name that is English */
    PK_OP,     /* + - * / ^ = < > and Unicode operators; relations */
    PK_ROOT,   /* √ ∛ ∜: a prefix operator */
    PK_SCRIPT, /* Unicode superscripts and subscripts: ² ₁ ⁿ ᵀ */
    PK_OPEN,   /* ( [ ‖ ⌊ ⌈ | */
    PK_CLOSE,  /* ) ] ⌋ ⌉ */
    PK_COMMA,
    PK_GREEK   /* a Unicode Greek letter, ∞, ∂, ∇: an operand */
} pk;

typedef struct ptok {
    pk k;
    size_t a, b; /* text[a..b) */
    char c;      /* PK_OP, PK_OPEN, PK_CLOSE: the ASCII character or 0 */
} ptok;

/* What the scan knows: the normalised rubric names, and whether only
 * statements are wanted from prose (see rpx_math_all()). */
typedef struct known {
    const char *const *v;
    size_t n;
    bool statements_only;
} known;

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }

/* The kind of the Unicode code point cp in plain math. */
static pk unicode_kind(unsigned cp)
{
    if (cp == 0x00A0 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F)
        return PK_SPACE;
    if (cp == 0x221A || cp == 0x221B || cp == 0x221C)
        return PK_ROOT;
    if (cp == 0x00B2 || cp == 0x00B3 || cp == 0x00B9 || (cp >= 0x2070 && cp <= 0x209F) ||
        (cp >= 0x1D2C && cp <= 0x1D6A) || cp == 0x2C7C || (cp >= 0x02B0 && cp <= 0x02E4))
        return PK_SCRIPT;
    if ((cp >= 0x0391 && cp <= 0x03C9) || cp == 0x03D5 || cp == 0x03F5 || cp == 0x221E ||
        cp == 0x2202 || cp == 0x2207 || cp == 0x2113)
        return PK_GREEK;
    if (cp == 0x2016 || cp == 0x230A || cp == 0x2308 || cp == 0x27E8)
        return PK_OPEN; /* ‖ opens and closes: balance treats it as a bar */
    if (cp == 0x230B || cp == 0x2309 || cp == 0x27E9)
        return PK_CLOSE;
    if (cp == 0x00D7 || cp == 0x00B7 || cp == 0x00F7 || cp == 0x00B1 ||
        (cp >= 0x2190 && cp <= 0x21FF) || (cp >= 0x2200 && cp <= 0x22FF) ||
        cp == 0x2013 || cp == 0x27F6)
        return PK_OP;
    return PK_BREAK;
}

/* rp_latex_plain_name() of s[0..n), remembered: prose asks it of every
 * word, the same few hundred words come back in every turn, and the answer
 * is a function of the bytes alone.  A direct-mapped table per thread;
 * a name longer than PN_MAX bytes is asked every time. */
#define PN_SLOTS 1024 /* power of two */
#define PN_MAX 15

typedef struct pn_slot {
    unsigned char n; /* 0: empty */
    char s[PN_MAX];
    unsigned char pn;
} pn_slot;

static _Thread_local pn_slot pn_table[PN_SLOTS];

static rp_plain_name plain_name(const char *s, size_t n)
{
    if (n == 0 || n > PN_MAX)
        return rp_latex_plain_name(s, n);
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    pn_slot *e = &pn_table[h & (PN_SLOTS - 1)];
    if (e->n == n && memcmp(e->s, s, n) == 0)
        return (rp_plain_name)e->pn;
    rp_plain_name pn = rp_latex_plain_name(s, n);
    e->n = (unsigned char)n;
    memcpy(e->s, s, n);
    e->pn = (unsigned char)pn;
    return pn;
}

/* Is the name t[a..b) (letters, digits, underscores) a math name? */
static bool math_name(const char *t, size_t a, size_t b, size_t n, const known *kn)
{
    size_t len = b - a;
    if (len == 1)
        return true;
    size_t letters = 0;
    while (letters < len && is_alpha(t[a + letters]))
        letters++;
    const char *us = memchr(t + a, '_', len);
    if (us) {
        size_t base = (size_t)(us - (t + a));
        if (base == 1 || (base > 1 && plain_name(t + a, base) == RP_PLAIN_SYMBOL))
            return true;
    } else if (letters == 1) {
        return true; /* x1, W2 */
    }
    /* a function counts only as a call: "max(" but not "the max" */
    rp_plain_name pn = plain_name(t + a, len);
    if (pn == RP_PLAIN_SYMBOL || (pn == RP_PLAIN_FUNCTION && b < n && t[b] == '('))
        return true;
    for (size_t k = 0; k < kn->n; k++)
        if (kn->v[k][0] == t[a] && strncmp(kn->v[k], t + a, len) == 0 && kn->v[k][len] == '\0')
            return true;
    return false;
}

/* The token at t[i] (i < n, no newline crossing). */
static ptok next_tok(const char *t, size_t n, size_t i, const known *kn)
{
    ptok k = {PK_BREAK, i, i + 1, 0};
    char c = t[i];
    if (c == ' ' || c == '\t') {
        k.k = PK_SPACE;
        while (k.b < n && (t[k.b] == ' ' || t[k.b] == '\t'))
            k.b++;
        return k;
    }
    if (is_digit(c) || (c == '.' && i + 1 < n && is_digit(t[i + 1]))) {
        size_t j = i;
        for (;;) {
            while (j < n && is_digit(t[j]))
                j++;
            /* 0.5; 1,000 (a comma and three digits, no fourth) */
            if (j + 1 < n && t[j] == '.' && is_digit(t[j + 1])) {
                j++;
                continue;
            }
            if (j + 3 < n && t[j] == ',' && is_digit(t[j + 1]) && is_digit(t[j + 2]) &&
                is_digit(t[j + 3]) && !(j + 4 < n && is_digit(t[j + 4]))) {
                j++;
                continue;
            }
            break;
        }
        k.k = PK_NUM;
        k.b = j;
        return k;
    }
    if (is_alpha(c)) {
        size_t j = i;
        while (j < n && (is_alnum(t[j]) || (t[j] == '_' && j + 1 < n && is_alnum(t[j + 1]))))
            j++;
        while (j < n && t[j] == '\'')
            j++;
        k.b = j;
        size_t e = j;
        while (e > i && t[e - 1] == '\'')
            e--;
        k.k = math_name(t, i, e, n, kn) ? PK_NAME : PK_WORD;
        return k;
    }
    switch (c) {
    case '+': case '-': case '*': case '/': case '^': case '=': case '<': case '>':
        k.k = PK_OP;
        k.c = c;
        if (c == '*' && i + 1 < n && t[i + 1] == '*')
            k.b = i + 2;
        return k;
    case '!':
    case ':':
        if (i + 1 < n && t[i + 1] == '=') {
            k.k = PK_OP;
            k.c = '=';
            k.b = i + 2;
        }
        return k;
    case '(': case '[':
        k.k = PK_OPEN;
        k.c = c;
        return k;
    case ')': case ']':
        k.k = PK_CLOSE;
        k.c = c;
        return k;
    case '|':
        k.k = PK_OPEN;
        k.c = c;
        return k;
    case ',':
        k.k = PK_COMMA;
        return k;
    default:
        break;
    }
    if ((unsigned char)c >= 0x80) {
        unsigned cp = 0;
        size_t l = 0;
        /* decode UTF-8 */
        unsigned char u = (unsigned char)c;
        if ((u & 0xE0) == 0xC0 && i + 1 < n)
            cp = ((unsigned)(u & 0x1F) << 6) | ((unsigned char)t[i + 1] & 0x3F), l = 2;
        else if ((u & 0xF0) == 0xE0 && i + 2 < n)
            cp = ((unsigned)(u & 0x0F) << 12) | (((unsigned char)t[i + 1] & 0x3F) << 6) |
                 ((unsigned char)t[i + 2] & 0x3F),
            l = 3;
        else if ((u & 0xF8) == 0xF0 && i + 3 < n)
            l = 4;
        if (!l) {
            return k;
        }
        k.b = i + l;
        k.k = cp ? unicode_kind(cp) : PK_BREAK;
        if (cp == 0x2016)
            k.c = '|'; /* ‖ opens and closes like | */
        if (k.k == PK_GREEK) {
            /* σ_x, σ_{out}: a Greek letter keeps its index */
            size_t j = k.b;
            if (j + 1 < n && t[j] == '_' && (is_alnum(t[j + 1]) || t[j + 1] == '{')) {
                j++;
                if (t[j] == '{') {
                    while (j < n && t[j] != '}' && t[j] != '\n')
                        j++;
                    j += j < n && t[j] == '}';
                } else {
                    while (j < n && is_alnum(t[j]))
                        j++;
                }
                k.b = j;
            }
        }
        if (k.k == PK_SPACE)
            while (k.b < n && t[k.b] == ' ')
                k.b++;
    }
    return k;
}

static bool operand_end(pk k) { return k == PK_NUM || k == PK_NAME || k == PK_CLOSE || k == PK_SCRIPT || k == PK_GREEK; }
static bool operand_start(pk k) { return k == PK_NUM || k == PK_NAME || k == PK_OPEN || k == PK_ROOT || k == PK_GREEK; }

#define MAX_RUN_TOKS 512

/* The evidence that the tokens v[0..nv) are math; label: the first name
 * may be any word before "=" (a code line). */
static bool evidence(const char *t, const ptok *v, size_t nv)
{
    bool ev = false;
    for (size_t i = 0; i < nv && !ev; i++) {
        const ptok *k = &v[i];
        if (k->k == PK_SCRIPT || k->k == PK_ROOT)
            ev = true;
        else if (k->k == PK_NAME && k->b < v[nv - 1].b && t[k->b] == '(' &&
                 plain_name(t + k->a, k->b - k->a) == RP_PLAIN_FUNCTION)
            ev = true; /* a call of a known function: sqrt(, O( */
        else if (k->k == PK_OP) {
            /* an operator between two operands (spaces between allowed) */
            size_t p = i, q = i + 1;
            while (p > 0 && v[p - 1].k == PK_SPACE)
                p--;
            while (q < nv && v[q].k == PK_SPACE)
                q++;
            bool signed_next = q + 1 < nv && v[q].k == PK_OP && (v[q].c == '-' || v[q].c == '+');
            if (p == 0 || q >= nv || !operand_end(v[p - 1].k) ||
                !(operand_start(v[q].k) || signed_next))
                continue;
            /* 2-D, 1-2, 3-layer: a hyphen without spaces after a number */
            if (k->c == '-' && p == i && q == i + 1 && v[p - 1].k == PK_NUM &&
                (v[q].k == PK_NUM || v[q].k == PK_NAME))
                continue;
            ev = true;
        }
    }
    return ev;
}

/* Trim the run v[*lo..*hi) at both ends to tokens that can start and end
 * math, with brackets balanced; false when nothing is left. */
static bool trim_run(const char *t, const ptok *v, size_t *lo, size_t *hi)
{
    for (;;) {
        size_t l = *lo, h = *hi;
        while (l < h && (v[l].k == PK_SPACE || v[l].k == PK_COMMA || v[l].k == PK_CLOSE ||
                         (v[l].k == PK_OP && v[l].c != '-') || v[l].k == PK_SCRIPT))
            l++;
        while (h > l && (v[h - 1].k == PK_SPACE || v[h - 1].k == PK_COMMA ||
                         v[h - 1].k == PK_OP || v[h - 1].k == PK_ROOT ||
                         (v[h - 1].k == PK_OPEN && v[h - 1].c != '|')))
            h--;
        /* "a" and "I", the English words of one letter, before a space
         * and no operator do not start math: "is a p_out^2 matrix" */
        if (h - l >= 3 && v[l].k == PK_NAME && v[l].b - v[l].a == 1 &&
            (t[v[l].a] == 'a' || t[v[l].a] == 'A' || t[v[l].a] == 'I') &&
            v[l + 1].k == PK_SPACE && v[l + 2].k != PK_OP)
            l++;
        if (l == *lo && h == *hi)
            break;
        *lo = l;
        *hi = h;
    }
    if (*lo >= *hi)
        return false;
    /* balance: a closer at the end that nothing opened ("(the total is
     * n/2)") and an opener at the start that nothing closes are prose */
    for (;;) {
        int depth = 0, low = 0;
        for (size_t i = *lo; i < *hi; i++) {
            if (v[i].k == PK_OPEN && v[i].c != '|')
                depth++;
            else if (v[i].k == PK_CLOSE && --depth < low)
                low = depth;
        }
        if (depth == 0 && low == 0)
            return true;
        if (low < 0 && v[*hi - 1].k == PK_CLOSE)
            (*hi)--;
        else if (depth > low && v[*lo].k == PK_OPEN)
            (*lo)++;
        else
            return false;
        if (*lo >= *hi)
            return false;
    }
}

/* The growing result. */
typedef struct segs {
    rp_math *v;
    size_t n, cap;
    rp_arena *a;
} segs;

static rp_status seg_add(segs *s, const char *t, size_t start, size_t end, size_t cs, size_t ce,
                         rp_math_notation no, bool display, const char *tex_override)
{
    if (s->n >= MAX_MATH)
        return RP_OK; /* as many as rp_extract_math() keeps */
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 32;
        rp_math *nv = rp_arena_realloc(s->a, s->v, s->cap * sizeof *nv, cap * sizeof *nv);
        if (!nv)
            return RP_ENOMEM;
        s->v = nv;
        s->cap = cap;
    }
    const char *tex = tex_override;
    if (!tex) {
        rp_buf b;
        rp_buf_init(&b, 1 << 16);
        rp_status st = rp_latex_from_plain(t + cs, ce - cs, &b);
        tex = st == RP_OK ? rp_arena_strndup(s->a, b.data ? b.data : "", b.len) : NULL;
        rp_buf_free(&b);
        if (!tex)
            return st == RP_OK ? RP_ENOMEM : RP_OK; /* too long: not a claim */
    }
    s->v[s->n++] = (rp_math){start, end, cs, ce, display, no, tex};
    return RP_OK;
}

/* A prose number at v[i]: a sign before it, currency before and percent
 * after; list labels ("1." at a line start, "(3)") are not answers. */
static rp_status prose_number(segs *s, const char *t, size_t n, const ptok *v, size_t nv,
                              size_t i)
{
    size_t a = v[i].a, b = v[i].b;
    size_t start = a, end = b;
    bool line_start = true;
    for (size_t k = a; k > 0 && t[k - 1] != '\n'; k--)
        if (t[k - 1] != ' ' && t[k - 1] != '\t' && t[k - 1] != '>' && t[k - 1] != '*' &&
            t[k - 1] != '#' && t[k - 1] != '-') {
            line_start = false;
            break;
        }
    if (line_start && b < n && (t[b] == '.' || t[b] == ')'))
        return RP_OK; /* "1." "2)" */
    if (a > 0 && t[a - 1] == '(' && b < n && t[b] == ')')
        return RP_OK; /* "(3)" */
    if (a > 0 && (t[a - 1] == '#' || t[a - 1] == '_' || is_alpha(t[a - 1])))
        return RP_OK;
    if (b < n && (is_alpha(t[b]) || t[b] == '_'))
        return RP_OK; /* "2D", "3x3", "1st": part of a word */
    if ((b + 1 < n && t[b] == '-' && is_alnum(t[b + 1])) ||
        (a >= 2 && t[a - 1] == '-' && is_alnum(t[a - 2])))
        return RP_OK; /* "2-D", "3-layer", a range "1-2", "k-1" */
    char num[64];
    size_t o = 0;
    bool neg = i > 0 && v[i - 1].k == PK_OP && v[i - 1].c == '-' && v[i - 1].b == a &&
               (v[i - 1].a == 0 || t[v[i - 1].a - 1] == ' ' || t[v[i - 1].a - 1] == '(');
    if (neg) {
        start = v[i - 1].a;
        num[o++] = '-';
    }
    if (start > 0 && t[start - 1] == '$')
        start--;
    for (size_t k = a; k < b && o + 4 < sizeof num; k++)
        if (t[k] != ',')
            num[o++] = t[k];
    /* 75 % and 75% */
    size_t p = b;
    while (p < n && t[p] == ' ')
        p++;
    if (p < n && t[p] == '%') {
        memcpy(num + o, "\\%", 2);
        o += 2;
        end = p + 1;
    }
    num[o] = '\0';
    (void)nv;
    const char *tex = rp_arena_strdup(s->a, num);
    if (!tex)
        return RP_ENOMEM;
    return seg_add(s, t, start, end, start, end, RP_MATH_NUMBER, false, tex);
}

/* The bytes that make a line a statement: = < > and the lead byte 0xE2 of
 * the Unicode relations (U+2190..U+2BFF: arrows, \u2264, \u2265, \u2248, \u2260). */
static const char rel_byte[4] = {'=', '<', '>', '\xE2'};

/* The offset of the first relation byte in t[i..e), or e.  at[k] caches the
 * next rel_byte[k] at or after the last i asked (SIZE_MAX: not searched
 * yet); i never decreases between calls, so each byte is looked at by one
 * memchr per relation byte however many lines the stretch has. */
static size_t next_rel(const char *t, size_t e, size_t i, size_t at[4])
{
    size_t best = e;
    for (int k = 0; k < 4; k++) {
        if (at[k] == SIZE_MAX || at[k] < i) {
            const char *p = memchr(t + i, rel_byte[k], e - i);
            at[k] = p ? (size_t)(p - t) : e;
        }
        if (at[k] < best)
            best = at[k];
    }
    return best;
}

/* Scan prose t[a..e) (one stretch between LaTeX and code) for plain math
 * and numbers. */
static rp_status scan_prose(segs *s, const char *t, size_t n, size_t a, size_t e, const known *kn)
{
    ptok v[MAX_RUN_TOKS];
    size_t i = a;
    ptok word = {PK_BREAK, 0, 0, 0}; /* the word just before the run */
    size_t rel_at[4] = {SIZE_MAX, SIZE_MAX, SIZE_MAX, SIZE_MAX};
    /* the last token read: a word after a run ends the run and is read
     * again as the start of the next; next_tok() depends on the offset
     * alone (t, e and kn do not change), so the token is kept */
    ptok last = {PK_BREAK, SIZE_MAX, SIZE_MAX, 0};
    while (i < e) {
        if (kn->statements_only && (i == a || t[i - 1] == '\n')) {
            /* only lines with a relation can state a value */
            const char *nl = memchr(t + i, '\n', e - i);
            size_t le = nl ? (size_t)(nl - t) : e;
            if (next_rel(t, e, i, rel_at) >= le) {
                i = le < e ? le + 1 : e;
                continue;
            }
        }
        /* one run: tokens that can be math, up to a break or a word; a
         * word right before "=" is the run's label ("params = F*(K*K*C+1)") */
        size_t nv = 0;
        while (i < e && nv < MAX_RUN_TOKS) {
            if (t[i] == '\n')
                break;
            if (last.a != i)
                last = next_tok(t, e, i, kn);
            ptok k = last;
            if (k.k == PK_BREAK || k.k == PK_WORD) {
                if (nv == 0)
                    i = k.b;
                word = k;
                break;
            }
            if (nv == 0 && word.k == PK_WORD && word.b == k.a && k.k == PK_SPACE && k.b < e) {
                /* is the next token "=" (not "==")?  next_tok() reads "="
                 * from "=", ":=" and "!=" only: no need to read it whole */
                size_t p = k.b, qb = 0;
                if (t[p] == '=')
                    qb = p + 1;
                else if ((t[p] == ':' || t[p] == '!') && p + 1 < e && t[p + 1] == '=')
                    qb = p + 2;
                if (qb && !(qb < e && t[qb] == '='))
                    v[nv++] = (ptok){PK_NAME, word.a, word.b, 0};
            } else if (nv == 0 && word.k == PK_WORD && word.b == k.a && k.k == PK_OP &&
                       k.c == '=') {
                v[nv++] = (ptok){PK_NAME, word.a, word.b, 0};
            }
            v[nv++] = k;
            i = k.b;
        }
        if (i < e && t[i] == '\n')
            word.k = PK_BREAK;
        if (nv == 0) {
            if (i < e && t[i] == '\n')
                i++;
            continue;
        }
        size_t lo = 0, hi = nv;
        bool math = trim_run(t, v, &lo, &hi) && evidence(t, v + lo, hi - lo);
        if (math) {
            rp_status st = seg_add(s, t, v[lo].a, v[hi - 1].b, v[lo].a, v[hi - 1].b,
                                   RP_MATH_PLAIN, false, NULL);
            if (st != RP_OK)
                return st;
            continue;
        }
        for (size_t k = 0; k < nv && !kn->statements_only; k++)
            if (v[k].k == PK_NUM) {
                rp_status st = prose_number(s, t, n, v, nv, k);
                if (st != RP_OK)
                    return st;
            }
        if (nv == MAX_RUN_TOKS)
            continue;
    }
    return RP_OK;
}

/* A line of code t[a..e) that reads as math becomes a segment. */
static rp_status code_line(segs *s, const char *t, size_t a, size_t e, const known *kn)
{
    /* drop a trailing comment and semicolon */
    for (size_t k = a; k + 1 < e; k++)
        if ((t[k] == '#' && (k == a || t[k - 1] == ' ')) ||
            (t[k] == '/' && t[k + 1] == '/')) {
            e = k;
            break;
        }
    while (e > a && (t[e - 1] == ' ' || t[e - 1] == '\t' || t[e - 1] == ';' || t[e - 1] == '\r'))
        e--;
    while (a < e && (t[a] == ' ' || t[a] == '\t'))
        a++;
    if (a >= e)
        return RP_OK;
    /* LaTeX inside code: the lexer reads it */
    for (size_t k = a; k + 1 < e; k++)
        if (t[k] == '\\' && is_alpha(t[k + 1]))
            return rp_latex_parses(t + a, e - a)
                       ? seg_add(s, t, a, e, a, e, RP_MATH_CODE, true, rpx_dup(s->a, t + a, e - a))
                       : RP_OK;
    ptok v[MAX_RUN_TOKS];
    size_t nv = 0;
    for (size_t i = a; i < e;) {
        if (nv == MAX_RUN_TOKS)
            return RP_OK;
        ptok k = next_tok(t, e, i, kn);
        v[nv++] = k;
        i = k.b;
    }
    /* the name before the first "=" may be any word */
    size_t from = 0;
    if (nv >= 2 && (v[0].k == PK_WORD || v[0].k == PK_NAME)) {
        size_t q = 1;
        while (q < nv && v[q].k == PK_SPACE)
            q++;
        if (q < nv && v[q].k == PK_OP && v[q].c == '=')
            v[0].k = PK_NAME;
    }
    for (size_t k = from; k < nv; k++)
        if (v[k].k == PK_BREAK || v[k].k == PK_WORD)
            return RP_OK;
    size_t lo = 0, hi = nv;
    if (!trim_run(t, v, &lo, &hi) || lo != 0 || hi != nv)
        return RP_OK;
    /* a list of numbers ([1, 2], [[1,2],[3,4]]) is a vector or matrix */
    bool list = t[a] == '[';
    if (!list && !evidence(t, v, nv))
        return RP_OK;
    return seg_add(s, t, a, e, a, e, RP_MATH_CODE, true, NULL);
}

/* Is t[i] the start of a code fence (``` or ~~~ after at most 3 spaces)? */
static bool fence_at(const char *t, size_t n, size_t i)
{
    size_t k = i;
    while (k < n && k - i < 3 && t[k] == ' ')
        k++;
    return k + 3 <= n && ((t[k] == '`' && t[k + 1] == '`' && t[k + 2] == '`') ||
                          (t[k] == '~' && t[k + 1] == '~' && t[k + 2] == '~'));
}

static size_t line_end(const char *t, size_t n, size_t i)
{
    const char *nl = memchr(t + i, '\n', n - i);
    return nl ? (size_t)(nl - t) : n;
}

/* Plain math in t[a..e), a stretch outside LaTeX and fenced code: inline
 * code spans are code, the rest prose. */
static rp_status scan_stretch(segs *s, const char *t, size_t n, size_t a, size_t e,
                              const known *kn)
{
    size_t i = a;
    while (i < e) {
        const char *bt = memchr(t + i, '`', e - i);
        size_t stop = bt ? (size_t)(bt - t) : e;
        rp_status st = scan_prose(s, t, n, i, stop, kn);
        if (st != RP_OK || stop >= e)
            return st;
        /* `code` on one line */
        size_t le = line_end(t, e, stop + 1);
        const char *close = memchr(t + stop + 1, '`', le - stop - 1);
        if (!close) {
            i = stop + 1;
            continue;
        }
        size_t ce = (size_t)(close - t);
        st = code_line(s, t, stop + 1, ce, kn);
        if (st != RP_OK)
            return st;
        i = ce + 1;
    }
    return RP_OK;
}

static int seg_cmp(const void *pa, const void *pb)
{
    const rp_math *a = pa, *b = pb;
    return a->start < b->start ? -1 : a->start > b->start;
}

/* Do the starts of v[0..n) strictly increase? */
static bool strictly_ordered(const rp_math *v, size_t n)
{
    for (size_t k = 1; k < n; k++)
        if (v[k].start <= v[k - 1].start)
            return false;
    return true;
}

/* Put v[0..o) in order of start, when v[0..nl) and v[nl..o) are each in
 * strict order: a merge, v[0..nl) first on a tie, as the stable sort of
 * glibc's qsort() puts them (LaTeX and prose segments never start at the
 * same byte anyway).  When out of memory, qsort() does it. */
static void merge_ordered(rp_math *v, size_t nl, size_t o, rp_arena *arena)
{
    if (nl == 0 || nl == o || v[nl - 1].start < v[nl].start)
        return; /* already in order */
    rp_math *a = rp_arena_alloc(arena, nl * sizeof *a);
    if (!a) {
        qsort(v, o, sizeof *v, seg_cmp);
        return;
    }
    memcpy(a, v, nl * sizeof *a);
    size_t i = 0, j = nl, k = 0;
    while (i < nl && j < o)
        v[k++] = a[i].start <= v[j].start ? a[i++] : v[j++];
    while (i < nl)
        v[k++] = a[i++];
}

rp_status rp_extract_math_all(const char *t, size_t n, const char *const *known_names,
                              size_t n_known, rp_arena *arena, rp_math **out, size_t *n_out)
{
    return rpx_math_all(t, n, known_names, n_known, false, arena, out, n_out);
}

rp_status rpx_math_all(const char *t, size_t n, const char *const *known_names, size_t n_known,
                       bool lean, rp_arena *arena, rp_math **out, size_t *n_out)
{
    rp_math *lx;
    size_t nlx;
    rp_status st = rp_extract_math(t, n, arena, &lx, &nlx);
    if (st != RP_OK)
        return st;
    known kn = {NULL, 0, lean && nlx > 0};
    const char **kv = rp_arena_alloc(arena, (n_known + 1) * sizeof *kv);
    if (!kv)
        return RP_ENOMEM;
    for (size_t k = 0; k < n_known; k++) {
        const char *ns = rpx_norm_symbol(arena, known_names[k], strlen(known_names[k]));
        if (ns && rpx_bare_symbol(ns))
            kv[kn.n++] = ns;
    }
    kn.v = kv;
    segs s = {NULL, 0, 0, arena};
    bool *in_code = rp_arena_alloc(arena, (nlx + 1) * sizeof *in_code); /* zeroed */
    if (!in_code)
        return RP_ENOMEM;
    /* walk the text: fenced blocks, LaTeX segments, and the stretches
     * between them */
    size_t i = 0, m = 0;
    while (i < n && st == RP_OK) {
        while (m < nlx && lx[m].start < i)
            m++; /* only where a fence overlaps LaTeX */
        size_t next_latex = m < nlx ? lx[m].start : n;
        /* the next fence at a line start before the next LaTeX */
        size_t fence = n;
        for (size_t k = i; k < next_latex;) {
            if ((k == 0 || t[k - 1] == '\n') && fence_at(t, n, k)) {
                fence = k;
                break;
            }
            const char *nl = memchr(t + k, '\n', next_latex - k);
            if (!nl)
                break;
            k = (size_t)(nl - t) + 1;
        }
        size_t stop = fence < next_latex ? fence : next_latex;
        st = scan_stretch(&s, t, n, i, stop, &kn);
        if (st != RP_OK || stop >= n)
            break;
        if (stop == fence) {
            /* code lines up to the closing fence (or the end) */
            size_t k = line_end(t, n, fence) + 1;
            while (k < n && !fence_at(t, n, k)) {
                size_t le = line_end(t, n, k);
                st = code_line(&s, t, k, le, &kn);
                if (st != RP_OK)
                    return st;
                k = le + 1;
            }
            i = k < n ? line_end(t, n, k) : n;
            /* LaTeX segments inside the block are code */
            while (m < nlx && lx[m].start < i)
                in_code[m++] = true;
        } else {
            i = lx[m].end;
            m++;
        }
    }
    if (st != RP_OK)
        return st;
    /* merge, in text order */
    rp_math *v = rp_arena_alloc(arena, (s.n + nlx + 1) * sizeof *v);
    if (!v)
        return RP_ENOMEM;
    size_t o = 0;
    for (size_t k = 0; k < nlx; k++)
        if (!in_code[k])
            v[o++] = lx[k];
    size_t nl = o;
    for (size_t k = 0; k < s.n; k++)
        v[o++] = s.v[k];
    if (strictly_ordered(v, nl) && strictly_ordered(v + nl, o - nl))
        merge_ordered(v, nl, o, arena); /* the order qsort() gave */
    else
        qsort(v, o, sizeof *v, seg_cmp);
    if (o > MAX_MATH)
        o = MAX_MATH;
    *out = v;
    *n_out = o;
    return RP_OK;
}
