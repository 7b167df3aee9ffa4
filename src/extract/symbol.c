/*
 * Symbol spellings: the normalised form in which a left side and a target
 * are compared (wrappers, braces and spaces dropped, Unicode Greek as
 * commands), the targets of one search, and whether a left side names one.
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
char *rpx_norm_symbol(rp_arena *arena, const char *s, size_t n)
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
