/*
 * LaTeX lexer: turns math text into tokens (numbers, single letters,
 * commands, punctuation, row separators).  White space and spacing commands
 * (\, \; \quad \left-less \big ...) are skipped here so the parser never
 * sees them.  The Unicode that models write (× ≤ ≥ √ − · π σ ² ᵀ ⌊ ...) is
 * mapped to the equivalent command or character.  Also the canonical
 * spelling of sub- and superscript text used for symbol names.
 */
#include "latex_int.h"

#include <pthread.h>
#include <string.h>

bool rp_lx_is(const tok *t, const char *lit)
{
    return t->t == TK_CMD && lit[0] == t->s[0] && strncmp(lit, t->s, t->n) == 0 &&
           lit[t->n] == '\0';
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Commands that only change spacing or size: skipped like white space. */
static const char *const skip_cmds[] = {
    ",", ";", ":", "!", " ", "quad", "qquad", "displaystyle", "textstyle",
    "scriptstyle", "limits", "nolimits", "big", "Big", "bigg", "Bigg", "bigl",
    "bigr", "Bigl", "Bigr", "biggl", "biggr", "Biggl", "Biggr", "bigm", "Bigm",
    "middle", "hline", "nonumber", "notag", "enspace", "thinspace", "medspace",
    "thickspace", "negthinspace", "allowbreak", "hfill", "relax", "ldotp",
    "(", ")", "[", "]", NULL};

/* Tables of command names get a filter of their first byte and length
 * (a bit per length below 32): most names of a text are in none of them,
 * and are told so without a scan.  Built once, with the Unicode filter
 * below (lex_init). */
typedef struct name_filter {
    unsigned lens[128];
} name_filter;

static void filter_add(name_filter *f, const char *name)
{
    size_t n = strlen(name);
    if (n < 32)
        f->lens[(unsigned char)name[0] & 127] |= 1u << n;
}

/* May s[0..n) be a name of the table f was built from? */
static bool filter_may(const name_filter *f, const char *s, size_t n)
{
    return n > 0 && n < 32 && !((unsigned char)s[0] & 128) &&
           (f->lens[(unsigned char)s[0]] >> n) & 1;
}

static name_filter skip_filter, rel_filter;
static pthread_once_t lex_once = PTHREAD_ONCE_INIT;
static void lex_init(void);

static bool skip_cmd(const char *s, size_t n)
{
    pthread_once(&lex_once, lex_init);
    if (!filter_may(&skip_filter, s, n))
        return false;
    for (size_t i = 0; skip_cmds[i]; i++)
        if (skip_cmds[i][0] == s[0] && strncmp(skip_cmds[i], s, n) == 0 &&
            skip_cmds[i][n] == 0)
            return true;
    return false;
}

/* Unicode code points mapped to tokens. */
typedef struct umap {
    unsigned cp;
    tk_type t;
    const char *cmd; /* TK_CMD name; TK_CHAR: first char */
    int val;         /* TK_SUPNUM value */
} umap;

static const umap umaps[] = {
    {0x00D7, TK_CMD, "times", 0},   {0x00B7, TK_CMD, "cdot", 0},
    {0x22C5, TK_CMD, "cdot", 0},    {0x2219, TK_CMD, "cdot", 0},
    {0x2212, TK_CHAR, "-", 0},      {0x2013, TK_CHAR, "-", 0},
    {0x2264, TK_CMD, "le", 0},      {0x2265, TK_CMD, "ge", 0},
    {0x2260, TK_CMD, "ne", 0},      {0x2248, TK_CMD, "approx", 0},
    {0x221A, TK_CMD, "sqrt", 0},    {0x221D, TK_CMD, "propto", 0},
    {0x223C, TK_CMD, "sim", 0},     {0x2208, TK_CMD, "in", 0},
    {0x2192, TK_CMD, "to", 0},      {0x00F7, TK_CMD, "div", 0},
    {0x00B1, TK_CMD, "pm", 0},      {0x221E, TK_CMD, "infty", 0},
    {0x2211, TK_CMD, "sum", 0},     {0x220F, TK_CMD, "prod", 0},
    {0x2016, TK_CMD, "|", 0},       {0x230A, TK_CMD, "lfloor", 0},
    {0x230B, TK_CMD, "rfloor", 0},  {0x2308, TK_CMD, "lceil", 0},
    {0x2309, TK_CMD, "rceil", 0},   {0x2026, TK_CMD, "ldots", 0},
    {0x22EF, TK_CMD, "cdots", 0},   {0x22A4, TK_CMD, "top", 0},
    {0x27E8, TK_CMD, "langle", 0},  {0x27E9, TK_CMD, "rangle", 0},
    {0x2225, TK_CMD, "|", 0},       {0x2217, TK_CHAR, "*", 0},
    {0x00B2, TK_SUPNUM, NULL, 2},   {0x00B3, TK_SUPNUM, NULL, 3},
    {0x00B9, TK_SUPNUM, NULL, 1},   {0x2074, TK_SUPNUM, NULL, 4},
    {0x1D40, TK_SUPT, NULL, 0},     {0x2032, TK_CHAR, "'", 0},
    {0x03B1, TK_CMD, "alpha", 0},   {0x03B2, TK_CMD, "beta", 0},
    {0x03B3, TK_CMD, "gamma", 0},   {0x03B4, TK_CMD, "delta", 0},
    {0x03B5, TK_CMD, "epsilon", 0}, {0x03F5, TK_CMD, "epsilon", 0},
    {0x03B6, TK_CMD, "zeta", 0},    {0x03B7, TK_CMD, "eta", 0},
    {0x03B8, TK_CMD, "theta", 0},   {0x03B9, TK_CMD, "iota", 0},
    {0x03BA, TK_CMD, "kappa", 0},   {0x03BB, TK_CMD, "lambda", 0},
    {0x03BC, TK_CMD, "mu", 0},      {0x03BD, TK_CMD, "nu", 0},
    {0x03BE, TK_CMD, "xi", 0},      {0x03C0, TK_CMD, "pi", 0},
    {0x03C1, TK_CMD, "rho", 0},     {0x03C3, TK_CMD, "sigma", 0},
    {0x03C4, TK_CMD, "tau", 0},     {0x03C5, TK_CMD, "upsilon", 0},
    {0x03C6, TK_CMD, "phi", 0},     {0x03D5, TK_CMD, "phi", 0},
    {0x03C7, TK_CMD, "chi", 0},     {0x03C8, TK_CMD, "psi", 0},
    {0x03C9, TK_CMD, "omega", 0},   {0x0393, TK_CMD, "Gamma", 0},
    {0x0394, TK_CMD, "Delta", 0},   {0x0398, TK_CMD, "Theta", 0},
    {0x039B, TK_CMD, "Lambda", 0},  {0x039E, TK_CMD, "Xi", 0},
    {0x03A0, TK_CMD, "Pi", 0},      {0x03A3, TK_CMD, "Sigma", 0},
    {0x03A6, TK_CMD, "Phi", 0},     {0x03A8, TK_CMD, "Psi", 0},
    {0x03A9, TK_CMD, "Omega", 0},   {0x2207, TK_CMD, "nabla", 0},
    {0x2202, TK_CMD, "partial", 0}, {0x2113, TK_CMD, "ell", 0},
    {0x2227, TK_CMD, "land", 0},    {0x21D2, TK_CMD, "Rightarrow", 0},
    /* assignments, equivalences and arrows */
    {0x2190, TK_CMD, "gets", 0},    {0x21A6, TK_CMD, "mapsto", 0},
    {0x2254, TK_CMD, "coloneqq", 0},{0x2261, TK_CMD, "equiv", 0},
    {0x226A, TK_CMD, "ll", 0},      {0x226B, TK_CMD, "gg", 0},
    {0x2243, TK_CMD, "simeq", 0},   {0x21D4, TK_CMD, "iff", 0},
    {0x27F6, TK_CMD, "to", 0},      {0x2194, TK_CMD, "leftrightarrow", 0},
};

/* Decode one UTF-8 sequence at s[0..lim); returns its length (0 if bad). */
static size_t utf8_dec(const unsigned char *s, size_t lim, unsigned *cp)
{
    if (lim >= 2 && (s[0] & 0xE0) == 0xC0 && (s[1] & 0xC0) == 0x80) {
        *cp = ((unsigned)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
        return 2;
    }
    if (lim >= 3 && (s[0] & 0xF0) == 0xE0 && (s[1] & 0xC0) == 0x80 &&
        (s[2] & 0xC0) == 0x80) {
        *cp = ((unsigned)(s[0] & 0x0F) << 12) | ((unsigned)(s[1] & 0x3F) << 6) |
              (s[2] & 0x3F);
        return 3;
    }
    if (lim >= 4 && (s[0] & 0xF8) == 0xF0 && (s[1] & 0xC0) == 0x80 &&
        (s[2] & 0xC0) == 0x80 && (s[3] & 0xC0) == 0x80) {
        *cp = ((unsigned)(s[0] & 0x07) << 18) | ((unsigned)(s[1] & 0x3F) << 12) |
              ((unsigned)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
        return 4;
    }
    return 0;
}

/* A filter of the table's code points by their low 10 bits: most of the
 * non-ASCII text a chat has (quotes, dashes, accents) is rejected without
 * a scan. */
static uint64_t umap_bits[16];

static const umap *umap_find(unsigned cp)
{
    pthread_once(&lex_once, lex_init);
    if (!(umap_bits[(cp & 1023) >> 6] & (1ull << (cp & 63))))
        return NULL;
    for (size_t i = 0; i < sizeof umaps / sizeof umaps[0]; i++)
        if (umaps[i].cp == cp)
            return &umaps[i];
    return NULL;
}

size_t rp_lx_utf8(const char *s, size_t lim, unsigned *cp)
{
    return utf8_dec((const unsigned char *)s, lim, cp);
}

const char *rp_lx_unicode(unsigned cp, char *ch)
{
    const umap *m = umap_find(cp);
    *ch = 0;
    if (!m)
        return NULL;
    if (m->t == TK_CMD)
        return m->cmd;
    if (m->t == TK_CHAR)
        *ch = m->cmd[0];
    return NULL;
}

/* Relation commands and the relation each one writes.  Assignments (the
 * answer's relation in "c := x", "\alpha \gets x") are RP_REL_DEF;
 * implications and arrows RP_REL_TO. */
static const struct {
    const char *n;
    int r;
} rel_cmds[] = {
    {"le", RP_REL_LE}, {"leq", RP_REL_LE}, {"leqslant", RP_REL_LE}, {"leqq", RP_REL_LE},
    {"ge", RP_REL_GE}, {"geq", RP_REL_GE}, {"geqslant", RP_REL_GE}, {"geqq", RP_REL_GE},
    {"lt", RP_REL_LT}, {"gt", RP_REL_GT}, {"ll", RP_REL_LT}, {"gg", RP_REL_GT},
    {"approx", RP_REL_APPROX}, {"simeq", RP_REL_APPROX}, {"approxeq", RP_REL_APPROX},
    {"propto", RP_REL_PROPTO}, {"sim", RP_REL_SIM}, {"ne", RP_REL_NE}, {"neq", RP_REL_NE},
    {"in", RP_REL_IN}, {"equiv", RP_REL_EQ}, {"doteq", RP_REL_EQ},
    {"coloneqq", RP_REL_DEF}, {"coloneq", RP_REL_DEF}, {"triangleq", RP_REL_DEF},
    {"eqqcolon", RP_REL_DEF}, {"defeq", RP_REL_DEF}, {"gets", RP_REL_DEF},
    {"leftarrow", RP_REL_DEF}, {"longleftarrow", RP_REL_DEF}, {"mapsto", RP_REL_DEF},
    {"to", RP_REL_TO}, {"rightarrow", RP_REL_TO}, {"Rightarrow", RP_REL_TO},
    {"longrightarrow", RP_REL_TO}, {"Longrightarrow", RP_REL_TO}, {"implies", RP_REL_TO},
    {"iff", RP_REL_TO}, {"leftrightarrow", RP_REL_TO}};

static void lex_init(void)
{
    for (size_t i = 0; i < sizeof umaps / sizeof umaps[0]; i++)
        umap_bits[(umaps[i].cp & 1023) >> 6] |= 1ull << (umaps[i].cp & 63);
    for (size_t i = 0; skip_cmds[i]; i++)
        filter_add(&skip_filter, skip_cmds[i]);
    for (size_t r = 0; r < sizeof rel_cmds / sizeof rel_cmds[0]; r++)
        filter_add(&rel_filter, rel_cmds[r].n);
}

int rp_latex_rel_at(const char *s, size_t n, size_t i, size_t *len)
{
    if (i >= n)
        return -1;
    char c = s[i], nx = i + 1 < n ? s[i + 1] : 0;
    switch (c) {
    case '=':
        *len = nx == '=' ? 2 : 1;
        return RP_REL_EQ;
    case '<':
    case '>':
        *len = nx == '=' ? 2 : 1;
        return c == '<' ? (nx == '=' ? RP_REL_LE : RP_REL_LT) : (nx == '=' ? RP_REL_GE : RP_REL_GT);
    case '!':
        *len = 2;
        return nx == '=' ? RP_REL_NE : -1;
    case ':':
        *len = 2;
        return nx == '=' ? RP_REL_DEF : -1;
    case '\\': {
        size_t k = i + 1;
        while (k < n && is_alpha(s[k]))
            k++;
        size_t cn = k - i - 1;
        if (cn < 2)
            return -1;
        pthread_once(&lex_once, lex_init);
        if (!filter_may(&rel_filter, s + i + 1, cn))
            return -1;
        for (size_t r = 0; r < sizeof rel_cmds / sizeof rel_cmds[0]; r++)
            if (rel_cmds[r].n[0] == s[i + 1] && strncmp(rel_cmds[r].n, s + i + 1, cn) == 0 &&
                rel_cmds[r].n[cn] == 0) {
                *len = k - i;
                return rel_cmds[r].r;
            }
        return -1;
    }
    default:
        break;
    }
    if (((unsigned char)c & 0x80) == 0)
        return -1;
    unsigned cp;
    size_t l = utf8_dec((const unsigned char *)s + i, n - i, &cp);
    const umap *m = l ? umap_find(cp) : NULL;
    if (!m || m->t != TK_CMD)
        return -1;
    for (size_t r = 0; r < sizeof rel_cmds / sizeof rel_cmds[0]; r++)
        if (strcmp(rel_cmds[r].n, m->cmd) == 0) {
            *len = l;
            return rel_cmds[r].r;
        }
    return -1;
}

static bool is_uspace(unsigned cp)
{
    return cp == 0x00A0 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

/* Lex a number at s[i..lim). */
static void lex_number(const char *s, size_t lim, size_t i, tok *t)
{
    double v = 0, scale = 1;
    int dec = -1, sig = 0;
    bool lead = true;
    size_t j = i;
    for (;;) {
        if (j < lim && is_digit(s[j])) {
            int d = s[j] - '0';
            if (d != 0 || !lead)
                sig++, lead = false;
            if (dec >= 0) {
                dec++;
                scale /= 10;
                v += d * scale;
            } else {
                v = v * 10 + d;
            }
            j++;
        } else if (j < lim && s[j] == '.' && dec < 0 && j + 1 < lim &&
                   is_digit(s[j + 1])) {
            dec = 0;
            j++;
        } else if (dec < 0 && j + 5 < lim && memcmp(s + j, "{,}", 3) == 0 &&
                   is_digit(s[j + 3]) && is_digit(s[j + 4]) && is_digit(s[j + 5])) {
            j += 3; /* 1{,}024 */
        } else if (dec < 0 && s[i] != '0' && j - i <= 3 + 4 * 6 && j + 3 < lim && s[j] == ',' &&
                   is_digit(s[j + 1]) && is_digit(s[j + 2]) && is_digit(s[j + 3]) &&
                   !(j + 4 < lim && is_digit(s[j + 4])) &&
                   (j - i <= 3 || s[j - 4] == ',')) {
            j += 1; /* 7,840 and 1,024,000: a comma without a space between digit groups */
        } else {
            break;
        }
    }
    /* 2.5e-3: only when the exponent follows directly and is not a word */
    if (j < lim && (s[j] == 'e' || s[j] == 'E')) {
        size_t k = j + 1;
        int sign = 1;
        if (k < lim && (s[k] == '-' || s[k] == '+'))
            sign = s[k] == '-' ? -1 : 1, k++;
        if (k < lim && is_digit(s[k])) {
            int ex = 0;
            while (k < lim && is_digit(s[k]) && ex < 400)
                ex = ex * 10 + (s[k] - '0'), k++;
            if (!(k < lim && is_alpha(s[k]))) {
                double p = 1;
                for (int q = 0; q < ex; q++)
                    p *= 10;
                v = sign > 0 ? v * p : v / p;
                j = k;
            }
        }
    }
    t->t = TK_NUM;
    t->num = v;
    t->decimals = dec < 0 ? 0 : dec;
    t->sig = sig ? sig : 1;
    t->end = j;
}

void rp_lx_lex(const char *src, size_t lim, size_t pos, tok *t)
{
    const unsigned char *u = (const unsigned char *)src;
    size_t i = pos;
    memset(t, 0, sizeof *t);
    for (;;) {
        while (i < lim && (src[i] == ' ' || src[i] == '\t' || src[i] == '\n' ||
                           src[i] == '\r' || src[i] == '~' || src[i] == '$'))
            i++;
        if (i >= lim) {
            t->t = TK_END;
            t->pos = t->end = lim;
            return;
        }
        t->pos = i;
        char c = src[i];
        if (c == '\\') {
            if (i + 1 >= lim) {
                t->t = TK_CHAR;
                t->c = '\\';
                t->end = i + 1;
                return;
            }
            char d = src[i + 1];
            if (d == '\\') {
                t->t = TK_ROWSEP;
                t->end = i + 2;
                /* \\[4pt] */
                if (t->end < lim && src[t->end] == '[') {
                    size_t k = t->end + 1;
                    while (k < lim && k < t->end + 12 && src[k] != ']')
                        k++;
                    if (k < lim && src[k] == ']')
                        t->end = k + 1;
                }
                return;
            }
            size_t k = i + 1;
            if (is_alpha(d)) {
                while (k < lim && is_alpha(src[k]))
                    k++;
            } else {
                k++;
            }
            if (skip_cmd(src + i + 1, k - i - 1)) {
                i = k;
                continue;
            }
            t->t = TK_CMD;
            t->s = src + i + 1;
            t->n = k - i - 1;
            t->end = k;
            return;
        }
        if (is_digit(c) || (c == '.' && i + 1 < lim && is_digit(src[i + 1]))) {
            lex_number(src, lim, i, t);
            return;
        }
        if (is_alpha(c)) {
            t->t = TK_LETTER;
            t->c = c;
            t->end = i + 1;
            return;
        }
        if ((u[i] & 0x80) != 0) {
            unsigned cp = 0;
            size_t len = utf8_dec(u + i, lim - i, &cp);
            if (len == 0) {
                t->t = TK_CHAR;
                t->c = '?';
                t->end = i + 1;
                return;
            }
            if (is_uspace(cp)) {
                i += len;
                continue;
            }
            const umap *m = umap_find(cp);
            if (!m) {
                t->t = TK_CHAR;
                t->c = '?';
                t->end = i + len;
                return;
            }
            t->end = i + len;
            t->t = m->t;
            if (m->t == TK_CMD) {
                t->s = m->cmd;
                t->n = strlen(m->cmd);
            } else if (m->t == TK_CHAR) {
                t->c = m->cmd[0];
            } else if (m->t == TK_SUPNUM) {
                /* a run of superscript digits */
                double v = m->val;
                size_t k = t->end;
                for (;;) {
                    unsigned cp2;
                    size_t l2 = utf8_dec(u + k, lim - k, &cp2);
                    const umap *m2 = l2 ? umap_find(cp2) : NULL;
                    if (!m2 || m2->t != TK_SUPNUM || v > 1e6)
                        break;
                    v = v * 10 + m2->val;
                    k += l2;
                }
                t->num = v;
                t->end = k;
            }
            return;
        }
        t->t = TK_CHAR;
        t->c = c;
        t->end = i + 1;
        return;
    }
}

static const char *const greek[] = {
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta",
    "iota", "kappa", "lambda", "mu", "nu", "xi", "rho", "sigma", "tau",
    "upsilon", "phi", "chi", "psi", "omega", "Gamma", "Delta", "Theta",
    "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega", "nabla",
    "partial", "ell", "varrho", "varsigma", "digamma", NULL};

const char *rp_lx_greek(const char *name, size_t n)
{
    if (n == 10 && memcmp(name, "varepsilon", 10) == 0)
        return "epsilon";
    if (n == 6 && memcmp(name, "varphi", 6) == 0)
        return "phi";
    if (n == 8 && memcmp(name, "vartheta", 8) == 0)
        return "theta";
    if (n == 5 && memcmp(name, "varpi", 5) == 0)
        return "pi";
    for (size_t i = 0; greek[i]; i++)
        if (greek[i][0] == name[0] && strncmp(greek[i], name, n) == 0 && greek[i][n] == 0)
            return greek[i];
    return NULL;
}

/* Wrappers dropped from sub/superscript text. */
static const char *const wrap_cmds[] = {
    "text", "mathrm", "textrm", "mathit", "mathsf", "mathbf", "boldsymbol",
    "bm", "rm", "it", "bf", "operatorname", "textit", "textbf", "mbox",
    "textsf", "mathnormal", "textnormal", "emph", NULL};

void rp_lx_canon(const char *src, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    if (cap == 0)
        return;
    const unsigned char *u = (const unsigned char *)src;
#define PUT(ch)                        \
    do {                               \
        if (o + 1 < cap)               \
            out[o++] = (char)(ch);     \
    } while (0)
    for (size_t i = 0; i < n;) {
        char c = src[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '{' || c == '}' ||
            c == '~' || c == '$') {
            i++;
            continue;
        }
        if (c == '\\' && i + 1 < n) {
            size_t k = i + 1;
            if (is_alpha(src[k]))
                while (k < n && is_alpha(src[k]))
                    k++;
            else
                k++;
            const char *nm = src + i + 1;
            size_t nn = k - i - 1;
            bool drop = skip_cmd(nm, nn);
            for (size_t w = 0; !drop && wrap_cmds[w]; w++)
                if (strlen(wrap_cmds[w]) == nn && memcmp(wrap_cmds[w], nm, nn) == 0)
                    drop = true;
            if (!drop) {
                const char *g = rp_lx_greek(nm, nn);
                if (g) {
                    nm = g;
                    nn = strlen(g);
                }
                PUT('\\');
                for (size_t q = 0; q < nn; q++)
                    PUT(nm[q]);
                size_t k2 = k;
                while (k2 < n && (src[k2] == ' ' || src[k2] == '{' || src[k2] == '}'))
                    k2++;
                if (k2 < n && is_alpha(src[k2]) && is_alpha(nm[0]))
                    PUT(' ');
            }
            i = k;
            continue;
        }
        if ((u[i] & 0x80) != 0) {
            unsigned cp = 0;
            size_t len = utf8_dec(u + i, n - i, &cp);
            const umap *m = len ? umap_find(cp) : NULL;
            if (m && m->t == TK_CMD) {
                PUT('\\');
                for (const char *q = m->cmd; *q; q++)
                    PUT(*q);
                i += len;
                if (i < n && is_alpha(src[i]))
                    PUT(' ');
                continue;
            }
            if (m && m->t == TK_CHAR) {
                PUT(m->cmd[0]);
                i += len;
                continue;
            }
            if (len == 0)
                len = 1;
            for (size_t q = 0; q < len; q++)
                PUT(src[i + q]);
            i += len;
            continue;
        }
        PUT(c);
        i++;
    }
#undef PUT
    out[o] = '\0';
}
