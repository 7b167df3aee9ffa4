/*
 * Symbol spellings: the normalised form in which a left side and a target
 * are compared, the targets of one search, and whether a left side names
 * one.  Targets and claims go through the same normalisation:
 *   wrappers, braces, spaces dropped      \mathbf{g}_{3}, g_3       -> g_3
 *   a font without braces                 \mathbb E[X]              -> E(X)
 *   Unicode Greek as commands             α                         -> \alpha
 *   every double bar as \|                \lVert x\rVert, \left\|x\right\|, ‖x‖
 *   square brackets as parentheses        E[X], E(X)                -> E(X)
 *   a star marking the optimum dropped    c^\star, c^{*}, c^\ast    -> c
 *   a derivative of the loss as d<var>    \frac{\partial L}{\partial w}, \partial L/\partial w,
 *                                         ∂ℓ/∂w                     -> dw
 * (the loss is one capital letter, \ell or \mathcal{L}: ∂y/∂x is kept).
 */
#include "extract_int.h"

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
    static const lit bars[] = {LIT("\\lVert"), LIT("\\rVert"), LIT("\\Vert"), LIT("\\|")};
    static const lit bar = LIT("\\|");
    /* the second bytes of the entries below: every test of an entry
     * compares at least its first two bytes, so no other command matches */
    static const bool second[256] = {
        ['m'] = true, ['b'] = true, ['t'] = true, ['o'] = true, ['v'] = true, ['l'] = true,
        ['r'] = true, ['V'] = true, ['|'] = true, [','] = true, [';'] = true, ['!'] = true,
        ['d'] = true, ['B'] = true};
    *tex = NULL;
    if (s[i] == '\\') {
        if (i + 1 >= n || !second[(unsigned char)s[i + 1]])
            return 0;
        for (size_t w = 0; w < sizeof wrappers / sizeof *wrappers; w++) {
            if (s[i + 1] != wrappers[w].s[1])
                continue;
            if (starts_lit(s, n, i, &wrappers[w]))
                return wrappers[w].n; /* keep the content; its } is dropped */
            /* \mathbb E: a font on the letter after a space */
            size_t k = i + wrappers[w].n - 1;
            if (i + wrappers[w].n - 1 < n && starts(s, n, i, "\\math") &&
                memcmp(s + i, wrappers[w].s, wrappers[w].n - 1) == 0 && k < n && s[k] == ' ') {
                while (k < n && s[k] == ' ')
                    k++;
                if (k < n && is_alpha(s[k]))
                    return k - i;
            }
        }
        for (size_t w = 0; w < sizeof bars / sizeof *bars; w++)
            if (starts_lit(s, n, i, &bars[w]) &&
                !(bars[w].n > 2 && i + bars[w].n < n && is_alpha(s[i + bars[w].n]))) {
                *tex = &bar;
                return bars[w].n;
            }
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
    if (starts(s, n, i, "\xE2\x80\x96")) { /* ‖ */
        *tex = &bar;
        return 3;
    }
    return 0;
}

/* The length of a star superscript at s[i] ('^' then \star, \ast, * or ⋆,
 * braced or not), or 0. */
static size_t star_sup(const char *s, size_t n, size_t i)
{
    size_t k = i + 1;
    bool brace = k < n && s[k] == '{';
    if (brace)
        k++;
    while (k < n && s[k] == ' ')
        k++;
    if (starts(s, n, k, "\\star") || starts(s, n, k, "\\ast"))
        k += s[k + 1] == 's' ? 5 : 4;
    else if (k < n && s[k] == '*')
        k++;
    else if (starts(s, n, k, "\xE2\x8B\x86"))
        k += 3;
    else
        return 0;
    while (k < n && s[k] == ' ')
        k++;
    if (brace) {
        if (k >= n || s[k] != '}')
            return 0;
        k++;
    }
    return k - i;
}

/* The length of a partial sign at s[i] (\partial or ∂), or 0. */
static size_t partial_at(const char *s, size_t n, size_t i)
{
    if (starts(s, n, i, "\\partial") && !(i + 8 < n && is_alpha(s[i + 8])))
        return 8;
    if (starts(s, n, i, "\xE2\x88\x82"))
        return 3;
    return 0;
}

/* Is s[a..b) the loss: one capital letter, \ell or \mathcal{L} (braces
 * and spaces aside)? */
static bool loss_name(const char *s, size_t a, size_t b)
{
    while (a < b && (s[a] == ' ' || s[a] == '{'))
        a++;
    while (b > a && (s[b - 1] == ' ' || s[b - 1] == '}'))
        b--;
    if (b - a == 1)
        return s[a] >= 'A' && s[a] <= 'Z';
    return (b - a == 4 && memcmp(s + a, "\\ell", 4) == 0) ||
           (b - a >= 10 && memcmp(s + a, "\\mathcal", 8) == 0 && s[b - 1] == 'L');
}

/* A derivative of the loss at s[i]: \frac{\partial L}{\partial X} or
 * \partial L / \partial X (∂ for \partial).  Sets X to s[*xa..*xb) and
 * returns the length taken, or 0. */
static size_t loss_derivative(const char *s, size_t n, size_t i, size_t *xa, size_t *xb)
{
    if (starts(s, n, i, "\\frac{")) {
        size_t k = i + 6, p = partial_at(s, n, k);
        if (!p)
            return 0;
        size_t a = k + p, e = a;
        int d = 1;
        while (e < n && (d > 1 || s[e] != '}')) {
            d += s[e] == '{' ? 1 : s[e] == '}' ? -1 : 0;
            e++;
        }
        if (e >= n || !loss_name(s, a, e) || e + 1 >= n || s[e + 1] != '{')
            return 0;
        k = e + 2;
        while (k < n && s[k] == ' ')
            k++;
        p = partial_at(s, n, k);
        if (!p)
            return 0;
        *xa = k + p;
        e = *xa;
        d = 1;
        while (e < n && (d > 1 || s[e] != '}')) {
            d += s[e] == '{' ? 1 : s[e] == '}' ? -1 : 0;
            e++;
        }
        if (e >= n)
            return 0;
        *xb = e;
        return e + 1 - i;
    }
    size_t p = partial_at(s, n, i);
    if (!p)
        return 0;
    const char *sl = memchr(s + i, '/', n - i < 40 ? n - i : 40);
    if (!sl || !loss_name(s, i + p, (size_t)(sl - s)))
        return 0;
    size_t k = (size_t)(sl - s) + 1;
    while (k < n && s[k] == ' ')
        k++;
    size_t q = partial_at(s, n, k);
    if (!q)
        return 0;
    *xa = k + q;
    size_t e = *xa;
    int d = 0;
    while (e < n && (d > 0 || !(s[e] == ' ' || s[e] == '=' || s[e] == '<' || s[e] == '>' ||
                                s[e] == ',' || s[e] == ')' || s[e] == ']'))) {
        d += s[e] == '{' ? 1 : s[e] == '}' ? -1 : 0;
        e++;
    }
    while (e < n && d > 0 && s[e] != '}')
        e++;
    *xb = e;
    return e - i;
}

const char *rpx_loss_derivatives(rp_arena *a, const char *s)
{
    if (!strstr(s, "\\partial") && !strstr(s, "\xE2\x88\x82"))
        return s;
    size_t n = strlen(s);
    rp_buf b;
    rp_buf_init(&b, 0);
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        size_t xa, xb, k;
        if ((s[i] != '\\' && s[i] != '\xE2') || !(k = loss_derivative(s, n, i, &xa, &xb)))
            continue;
        rp_buf_append(&b, s + run, i - run);
        rp_buf_puts(&b, " d");
        rp_buf_append(&b, s + xa, xb - xa);
        rp_buf_putc(&b, ' ');
        i += k - 1;
        run = i + 1;
    }
    rp_buf_append(&b, s + run, n - run);
    const char *out = rp_arena_strndup(a, b.data ? b.data : "", b.len);
    rp_buf_free(&b);
    return out ? out : s;
}

/* rp_extract_norm_symbol() into a writable arena string. */
char *rpx_norm_symbol(rp_arena *arena, const char *s, size_t n)
{
    /* a 2-byte Greek letter becomes up to 8 bytes ("\\epsilon") */
    char *out = rp_arena_alloc(arena, 4 * n + 16);
    if (!out)
        return NULL;
    /* the bytes the tests below do more with than copy: [ ] ^ \\, the
     * dropped bytes and the UTF-8 lead bytes 0xC0..0xFF */
#define LEAD4(x) [x] = true, [x + 1] = true, [x + 2] = true, [x + 3] = true
#define LEAD16(x) LEAD4(x), LEAD4(x + 4), LEAD4(x + 8), LEAD4(x + 12)
    static const bool special[256] = {
        ['['] = true, [']'] = true, ['^'] = true, ['\\'] = true, ['{'] = true, ['}'] = true,
        [' '] = true, ['\t'] = true, ['\n'] = true, ['$'] = true,
        LEAD16(0xC0), LEAD16(0xD0), LEAD16(0xE0), LEAD16(0xF0)};
#undef LEAD16
#undef LEAD4
    size_t o = 0;
    size_t i = 0;
    while (i < n) {
        /* a run of other bytes is copied as it is, as the tests below would */
        while (i < n && !special[(unsigned char)s[i]])
            out[o++] = s[i++];
        if (i >= n)
            break;
        char c = s[i];
        if (c == '[' || c == ']') {
            out[o++] = c == '[' ? '(' : ')';
            i++;
            continue;
        }
        if (c == '^') {
            size_t k = star_sup(s, n, i);
            if (k) {
                i += k;
                continue;
            }
        }
        /* only a backslash or a UTF-8 lead byte can start a table entry */
        if (c == '\\' || (unsigned char)c >= 0xC0) {
            size_t xa, xb, dk = loss_derivative(s, n, i, &xa, &xb);
            if (dk) {
                /* d and the variable, normalised in place */
                char *x = rpx_norm_symbol(arena, s + xa, xb - xa);
                if (!x)
                    return NULL;
                size_t xl = strlen(x);
                if (o + 1 + xl <= 4 * n + 15) {
                    out[o++] = 'd';
                    memcpy(out + o, x, xl);
                    o += xl;
                }
                i += dk;
                continue;
            }
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
    const char *out = rpx_norm_symbol(arena, s, n);
    return out ? out : "";
}
rp_status rpx_targets_make(rp_arena *a, const char *const *raw, size_t n, targets *t)
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

/* Longest normalised left side that rpx_lhs_names() compares. */
#define MAX_LHS 255

/* The normalised left side s[0..n) as rpx_lhs_names() reads it: "|\alpha|"
 * reads "\alpha"; NULL when longer than MAX_LHS (never a target). */
const char *rpx_lhs_norm(rp_arena *a, const char *s, size_t n)
{
    char *l = rpx_norm_symbol(a, s, n);
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

/* Does a left side (normalised by rpx_lhs_norm()) name one of the targets?
 * "y[n]", "y_2(n)" and "|\alpha|" name y, y_2 and \alpha. */
bool rpx_lhs_names(const char *l, const targets *t)
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
bool rpx_bare_symbol(const char *ns)
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
