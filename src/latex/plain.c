/*
 * Plain math to LaTeX: the one translation of math typed without LaTeX
 * (ASCII as in code or a calculator, and the Unicode a chat model or a
 * student types) into LaTeX that rp_latex_parse() reads.  equiv, the
 * extractor and rubric keys all go through rp_latex_from_plain(), so a
 * claim reads the same whichever way it was written.
 *
 * What is translated (everything else is copied, and the lexer reads the
 * Unicode it knows, such as × · ≤ π σ, as it does inside $..$):
 *   x**2, x^(n+1), x^-1      x^{2}, x^{n+1}, x^{-1}
 *   p_out, x_(i+1)           p_{out}, x_{i+1}
 *   2*c                      2 \cdot c
 *   sqrt(x), cbrt(x)         \sqrt{x}, \sqrt[3]{x}
 *   abs(x), floor(x), ceil(x), norm(x)   |x|, \lfloor x\rfloor, ...
 *   log2(n), log10(n)        \log_{2}(n), \log_{10}(n)
 *   sigma, alpha_t, pi, inf  \sigma, \alpha_{t}, \pi, \infty (whole names)
 *   x1 (one letter, digits)  x_{1}
 *   [[1,2],[3,4]]            \begin{bmatrix}1 & 2 \\ 3 & 4\end{bmatrix}
 *   np.array([[..]])         the matrix (a wrapper around a nested list)
 *   3 x 3, (n+1) x (n+1) x F 3 \times 3 ... (a spaced x after a number or
 *                            a bracket, before a number, bracket or name)
 *   ->, =>, a <- b           \to, \Rightarrow, a \gets b
 *   √x, √(x+1), ∛x, ∜x       \sqrt{x}, \sqrt{x+1}, \sqrt[3]{x}, \sqrt[4]{x}
 *   x², xⁿ⁺¹, x⁻¹            x^{2}, x^{n+1}, x^{-1}
 *   x₁, d₍ᵢₙ₎, xᵢⱼ            x_{1}, d_{(in)}, x_{ij}
 *   ‖x‖₂, ⌊n/2⌋              \|x\|_{2}, \lfloor n/2\rfloor
 * Input that is LaTeX already (it has a command or a brace) is copied as
 * it is, so the translation can be applied to any answer.
 * Deciding which part of a text is math is the caller's business (the
 * extractor decides by evidence); this file only translates.
 */
#include "latex_int.h"

#include <pthread.h>
#include <string.h>

#define PLAIN_MAX_DEPTH 64

static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }

typedef struct tr {
    const char *s;
    size_t n;
    rp_buf *b;
    rp_status st;
} tr;

static void put(tr *t, const char *s, size_t n)
{
    if (t->st == RP_OK)
        t->st = rp_buf_append(t->b, s, n);
}

static void puts_(tr *t, const char *s) { put(t, s, strlen(s)); }

static void translate(tr *t, size_t i, size_t e, int depth);

/* The offset of the bracket closing the one at s[i] (same kind), or e. */
static size_t match_close(const char *s, size_t i, size_t e)
{
    char open = s[i], close = open == '(' ? ')' : open == '[' ? ']' : '}';
    int d = 0;
    for (size_t k = i; k < e; k++) {
        if (s[k] == open)
            d++;
        else if (s[k] == close && --d == 0)
            return k;
    }
    return e;
}

/* Unicode superscript and subscript characters and what they stand for. */
typedef struct script {
    unsigned cp;
    char c;
} script;

static const script sups[] = {
    {0x2070, '0'}, {0x00B9, '1'}, {0x00B2, '2'}, {0x00B3, '3'}, {0x2074, '4'},
    {0x2075, '5'}, {0x2076, '6'}, {0x2077, '7'}, {0x2078, '8'}, {0x2079, '9'},
    {0x207A, '+'}, {0x207B, '-'}, {0x207C, '='}, {0x207D, '('}, {0x207E, ')'},
    {0x207F, 'n'}, {0x2071, 'i'}, {0x1D40, 'T'}, {0x1D4F, 'k'}, {0x1D50, 'm'},
    {0x02E3, 'x'}, {0x02B8, 'y'}, {0x1D48, 'd'}, {0x1D43, 'a'}, {0x1D47, 'b'},
    {0x1D9C, 'c'}, {0x1D49, 'e'}, {0x02B2, 'j'}, {0x02E1, 'l'}, {0x1D56, 'p'},
    {0x02B3, 'r'}, {0x02E2, 's'}, {0x1D57, 't'}, {0x1D58, 'u'}, {0x1D5B, 'v'},
    {0x02B7, 'w'}, {0x1D3A, 'N'}, {0x1D3F, 'R'}, {0x1D38, 'L'}, {0x1D37, 'K'}};

static const script subs[] = {
    {0x2080, '0'}, {0x2081, '1'}, {0x2082, '2'}, {0x2083, '3'}, {0x2084, '4'},
    {0x2085, '5'}, {0x2086, '6'}, {0x2087, '7'}, {0x2088, '8'}, {0x2089, '9'},
    {0x208A, '+'}, {0x208B, '-'}, {0x208C, '='}, {0x208D, '('}, {0x208E, ')'},
    {0x2090, 'a'}, {0x2091, 'e'}, {0x2092, 'o'}, {0x2093, 'x'}, {0x2095, 'h'},
    {0x2096, 'k'}, {0x2097, 'l'}, {0x2098, 'm'}, {0x2099, 'n'}, {0x209A, 'p'},
    {0x209B, 's'}, {0x209C, 't'}, {0x1D62, 'i'}, {0x2C7C, 'j'}, {0x1D63, 'r'},
    {0x1D64, 'u'}, {0x1D65, 'v'}};

static char script_char(const script *v, size_t nv, unsigned cp)
{
    for (size_t k = 0; k < nv; k++)
        if (v[k].cp == cp)
            return v[k].c;
    return 0;
}

/* A run of Unicode scripts of one kind at s[i..e) written as ^{..} or
 * _{..}; returns the end of the run (i when there is none). */
static size_t script_run(tr *t, size_t i, size_t e, const script *v, size_t nv, char mark)
{
    char run[64];
    size_t k = i, o = 0;
    while (k < e && o + 1 < sizeof run) {
        unsigned cp;
        size_t l = rp_lx_utf8(t->s + k, e - k, &cp);
        char c = l ? script_char(v, nv, cp) : 0;
        if (!c)
            break;
        run[o++] = c;
        k += l;
    }
    if (!o)
        return i;
    char head[3] = {mark, '{', 0};
    puts_(t, head);
    put(t, run, o);
    puts_(t, "}");
    return k;
}

/* Functions written name(args) in plain math and their LaTeX: the opening
 * and closing text around the translated argument. */
static const struct {
    const char *name, *open, *close;
} calls[] = {
    {"sqrt", "\\sqrt{", "}"},        {"cbrt", "\\sqrt[3]{", "}"},
    {"abs", "\\left|", "\\right|"},  {"floor", "\\lfloor ", "\\rfloor "},
    {"ceil", "\\lceil ", "\\rceil "}, {"norm", "\\|", "\\|"},
    {"exp", "\\exp\\left(", "\\right)"}, {"log", "\\log\\left(", "\\right)"},
    {"ln", "\\ln\\left(", "\\right)"}, {"sin", "\\sin\\left(", "\\right)"},
    {"cos", "\\cos\\left(", "\\right)"}, {"tan", "\\tan\\left(", "\\right)"},
    {"tanh", "\\tanh\\left(", "\\right)"}, {"max", "\\max\\left(", "\\right)"},
    {"min", "\\min\\left(", "\\right)"}, {"det", "\\det\\left(", "\\right)"},
    {"Var", "\\operatorname{Var}\\left(", "\\right)"},
    {"var", "\\operatorname{Var}\\left(", "\\right)"},
    {"Cov", "\\operatorname{Cov}\\left(", "\\right)"}};

/* Greek letters and constants spelled out as whole names. */
static const char *const spelled[] = {
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota",
    "kappa", "lambda", "mu", "nu", "xi", "rho", "sigma", "tau", "phi", "chi", "psi",
    "omega", "Gamma", "Delta", "Theta", "Lambda", "Sigma", "Phi", "Psi", "Omega",
    "pi", "varepsilon", "nabla", NULL};

static bool name_is(const char *s, size_t n, const char *lit)
{
    /* the first two bytes reject almost every entry of a table */
    return n && lit[0] == s[0] && (n == 1 ? lit[1] == '\0' : lit[1] == s[1]) &&
           strncmp(lit, s, n) == 0 && lit[n] == '\0';
}

/* For each first byte, the lengths (bits) of the names above that start
 * with it: a word that is none of them (most words of a text) is told
 * without a scan of the tables.  Built once from the tables. */
static unsigned short name_lens[128];
static pthread_once_t name_once = PTHREAD_ONCE_INIT;

static void name_mark(const char *lit)
{
    name_lens[(unsigned char)lit[0] & 127] |= (unsigned short)(1u << strlen(lit));
}

static void name_init(void)
{
    for (size_t f = 0; f < sizeof calls / sizeof *calls; f++)
        name_mark(calls[f].name);
    for (size_t g = 0; spelled[g]; g++)
        name_mark(spelled[g]);
    static const char *const more[] = {"log2", "log10", "O", "inf", "infinity", "infty"};
    for (size_t i = 0; i < sizeof more / sizeof *more; i++)
        name_mark(more[i]);
}

rp_plain_name rp_latex_plain_name(const char *s, size_t n)
{
    if (n == 0 || n > 10)
        return RP_PLAIN_NONE; /* longer than every name of the tables */
    pthread_once(&name_once, name_init);
    if ((unsigned char)s[0] > 127 || !((name_lens[(unsigned char)s[0]] >> n) & 1))
        return RP_PLAIN_NONE;
    for (size_t f = 0; f < sizeof calls / sizeof *calls; f++)
        if (name_is(s, n, calls[f].name))
            return RP_PLAIN_FUNCTION;
    if (n > 3 && name_is(s, 3, "log") && (name_is(s + 3, n - 3, "2") || name_is(s + 3, n - 3, "10")))
        return RP_PLAIN_FUNCTION;
    if (name_is(s, n, "O"))
        return RP_PLAIN_FUNCTION;
    for (size_t g = 0; spelled[g]; g++)
        if (name_is(s, n, spelled[g]))
            return RP_PLAIN_SYMBOL;
    if (name_is(s, n, "inf") || name_is(s, n, "infinity") || name_is(s, n, "infty"))
        return RP_PLAIN_SYMBOL;
    return RP_PLAIN_NONE;
}

/* A nested list [[a, b], [c, d]] at s[i] (i at the outer '[', c its match)
 * as a bmatrix; false (nothing written) when the rows are not lists of one
 * length. */
static bool nested_list(tr *t, size_t i, size_t c, int depth)
{
    const char *s = t->s;
    size_t rows[256][2], nr = 0;
    size_t cols = 0;
    size_t k = i + 1;
    for (;;) {
        while (k < c && (s[k] == ' ' || s[k] == '\n' || s[k] == '\t'))
            k++;
        if (k >= c)
            break;
        if (s[k] != '[' || nr == 256)
            return false;
        size_t rc = match_close(s, k, c);
        if (rc >= c)
            return false;
        /* count the entries: commas at depth 0 */
        size_t nc = 1;
        int d = 0;
        for (size_t q = k + 1; q < rc; q++) {
            if (s[q] == '(' || s[q] == '[' || s[q] == '{')
                d++;
            else if (s[q] == ')' || s[q] == ']' || s[q] == '}')
                d--;
            else if (s[q] == ',' && d == 0)
                nc++;
        }
        if (nr && nc != cols)
            return false;
        cols = nc;
        rows[nr][0] = k + 1;
        rows[nr][1] = rc;
        nr++;
        k = rc + 1;
        while (k < c && (s[k] == ' ' || s[k] == '\n' || s[k] == '\t'))
            k++;
        if (k < c && s[k] != ',')
            return false;
        k++;
    }
    if (!nr)
        return false;
    puts_(t, "\\begin{bmatrix}");
    for (size_t r = 0; r < nr; r++) {
        if (r)
            puts_(t, " \\\\ ");
        size_t a = rows[r][0];
        int d = 0;
        for (size_t q = a; q <= rows[r][1]; q++) {
            if (q < rows[r][1] && (s[q] == '(' || s[q] == '[' || s[q] == '{'))
                d++;
            else if (q < rows[r][1] && (s[q] == ')' || s[q] == ']' || s[q] == '}'))
                d--;
            else if (q == rows[r][1] || (s[q] == ',' && d == 0)) {
                while (a < q && s[a] == ' ')
                    a++;
                translate(t, a, q, depth + 1);
                if (q < rows[r][1])
                    puts_(t, " & ");
                a = q + 1;
            }
        }
    }
    puts_(t, "\\end{bmatrix}");
    return true;
}

/* The operand of ^, _ or √ at s[i..e): a bracketed group, or a signed
 * number or name (with its own subscript for √).  Writes it braced and
 * returns its end; i when there is none. */
static size_t operand(tr *t, size_t i, size_t e, int depth, bool with_sub)
{
    const char *s = t->s;
    size_t k = i;
    if (k < e && (s[k] == '(' || s[k] == '{')) {
        size_t c = match_close(s, k, e);
        if (c >= e)
            return i;
        puts_(t, "{");
        translate(t, k + 1, c, depth + 1);
        puts_(t, "}");
        return c + 1;
    }
    if (k < e && s[k] == '-')
        k++;
    size_t st = k;
    if (k < e && is_digit(s[k])) {
        while (k < e && (is_digit(s[k]) || (s[k] == '.' && k + 1 < e && is_digit(s[k + 1]))))
            k++;
    } else if (k < e && s[k] == '\\' && k + 1 < e && is_alpha(s[k + 1])) {
        k++;
        while (k < e && is_alpha(s[k]))
            k++;
    } else {
        while (k < e && is_alnum(s[k]))
            k++;
    }
    if (k == st) {
        /* a Unicode letter the lexer knows (Greek) */
        unsigned cp;
        size_t l = k < e ? rp_lx_utf8(s + k, e - k, &cp) : 0;
        char ch;
        if (!l || !rp_lx_unicode(cp, &ch))
            return i;
        k += l;
    }
    if (with_sub && k < e && s[k] == '_') {
        size_t q = k + 1;
        while (q < e && is_alnum(s[q]))
            q++;
        if (q > k + 1)
            k = q;
    }
    puts_(t, "{");
    translate(t, i, k, depth + 1);
    puts_(t, "}");
    return k;
}

/* A name at s[i..e) (letters, then letters and digits): a function call, a
 * spelled-out Greek letter or constant, or a symbol.  Returns its end. */
static size_t name(tr *t, size_t i, size_t e, int depth)
{
    const char *s = t->s;
    size_t k = i;
    while (k < e && is_alpha(s[k]))
        k++;
    size_t letters = k;
    while (k < e && is_alnum(s[k]))
        k++;
    /* np.array([[..]]), torch.tensor([..]): a wrapper around a list */
    size_t w = k;
    while (w < e && (s[w] == '.' || is_alnum(s[w]) || s[w] == '_'))
        w++;
    if (w < e && s[w] == '(' && w + 1 < e && s[w + 1] == '[') {
        size_t c = match_close(s, w, e);
        size_t lc = match_close(s, w + 1, e);
        if (c < e && lc + 1 == c) {
            translate(t, w + 1, c, depth + 1);
            return c + 1;
        }
    }
    size_t n = letters - i;
    if (k < e && s[k] == '(') {
        size_t c = match_close(s, k, e);
        for (size_t f = 0; c < e && f < sizeof calls / sizeof *calls; f++)
            if (name_is(s + i, n, calls[f].name) && (k == letters || n == 3)) {
                /* log2(n), log10(n): the digits are the base */
                if (k > letters) {
                    if (!name_is(s + i, n, "log"))
                        break;
                    puts_(t, "\\log_{");
                    put(t, s + letters, k - letters);
                    puts_(t, "}\\left(");
                } else {
                    puts_(t, calls[f].open);
                }
                translate(t, k + 1, c, depth + 1);
                puts_(t, k > letters ? "\\right)" : calls[f].close);
                return c + 1;
            }
    }
    if (k == letters) {
        for (size_t g = 0; spelled[g]; g++)
            if (name_is(s + i, n, spelled[g])) {
                puts_(t, "\\");
                put(t, s + i, n);
                puts_(t, " ");
                return k;
            }
        if (name_is(s + i, n, "inf") || name_is(s + i, n, "infinity") ||
            name_is(s + i, n, "infty")) {
            puts_(t, "\\infty ");
            return k;
        }
    }
    if (n == 1 && k > letters) {
        /* x1, W2: one letter and an index */
        put(t, s + i, 1);
        puts_(t, "_{");
        put(t, s + letters, k - letters);
        puts_(t, "}");
        return k;
    }
    put(t, s + i, k - i);
    return k;
}

/* The end of the exponent of a number in scientific notation when s[i] is
 * its e ("1.5e3", "6.02E-23": a digit or '.' just before, digits after an
 * optional sign), else i.  The lexer reads that form as one number, so it
 * is copied as it is and never becomes the symbol e with an index. */
static size_t sci_exponent(const char *s, size_t i, size_t e, size_t start)
{
    if ((s[i] != 'e' && s[i] != 'E') || i == start || !(is_digit(s[i - 1]) || s[i - 1] == '.'))
        return i;
    size_t k = i + 1;
    if (k < e && (s[k] == '+' || s[k] == '-'))
        k++;
    if (k >= e || !is_digit(s[k]))
        return i;
    while (k < e && is_digit(s[k]))
        k++;
    return k < e && is_alpha(s[k]) ? i : k;
}

/* Is s[i] an 'x' standing for × between two numbers ("3 x 3")? */
static bool times_x(const char *s, size_t i, size_t e, size_t start)
{
    if (s[i] != 'x' || i == start || i + 1 >= e)
        return false;
    size_t a = i, b = i + 1;
    while (a > start && s[a - 1] == ' ')
        a--;
    while (b < e && s[b] == ' ')
        b++;
    if (a == i || b == i + 1 || a == start || b >= e)
        return false; /* spaced on both sides: "2x" and "x y" keep x */
    /* after a number or a bracket, before an operand: 3 x 3, (n+1) x (n+1) x F */
    bool left = is_digit(s[a - 1]) || s[a - 1] == ')';
    bool right = is_digit(s[b]) || s[b] == '(' || (s[a - 1] == ')' && is_alpha(s[b]));
    return left && right &&
           (a == start + 1 || !is_alpha(s[a - 2]) || is_digit(s[a - 2]) || s[a - 1] == ')');
}

/* A Unicode character at s[i]: roots, scripts, double bars, or what the
 * lexer maps it to.  Returns its end. */
static size_t unicode(tr *t, size_t i, size_t e, int depth)
{
    const char *s = t->s;
    unsigned cp;
    size_t l = rp_lx_utf8(s + i, e - i, &cp);
    if (!l) {
        put(t, s + i, 1);
        return i + 1;
    }
    if (cp == 0x221A || cp == 0x221B || cp == 0x221C) {
        size_t k = i + l;
        while (k < e && s[k] == ' ')
            k++;
        puts_(t, cp == 0x221A ? "\\sqrt" : cp == 0x221B ? "\\sqrt[3]" : "\\sqrt[4]");
        size_t r = operand(t, k, e, depth, true);
        if (r == k)
            puts_(t, "{}");
        return r;
    }
    size_t r = script_run(t, i, e, sups, sizeof sups / sizeof *sups, '^');
    if (r > i)
        return r;
    r = script_run(t, i, e, subs, sizeof subs / sizeof *subs, '_');
    if (r > i)
        return r;
    char ch;
    const char *cmd = rp_lx_unicode(cp, &ch);
    if (cmd) {
        puts_(t, "\\");
        puts_(t, cmd);
        puts_(t, " ");
    } else if (ch) {
        put(t, &ch, 1);
    } else {
        put(t, s + i, l);
    }
    return i + l;
}

static void translate(tr *t, size_t i, size_t e, int depth)
{
    const char *s = t->s;
    size_t start = i;
    if (depth > PLAIN_MAX_DEPTH) {
        put(t, s + i, e - i);
        return;
    }
    while (i < e && t->st == RP_OK) {
        char c = s[i];
        if (c == '\\') {
            /* LaTeX already: copy the command whole */
            size_t k = i + 1;
            while (k < e && is_alpha(s[k]))
                k++;
            if (k == i + 1 && k < e)
                k++;
            put(t, s + i, k - i);
            i = k;
        } else if (c == '*' && i + 1 < e && s[i + 1] == '*') {
            puts_(t, "^");
            size_t r = operand(t, i + 2, e, depth, false);
            i = r > i + 2 ? r : i + 2;
        } else if (c == '^' || c == '_') {
            put(t, &c, 1);
            size_t r = operand(t, i + 1, e, depth, false);
            i = r > i + 1 ? r : i + 1;
        } else if (c == '*') {
            puts_(t, " \\cdot ");
            i++;
        } else if (c == '[' && i + 1 < e) {
            size_t q = i + 1;
            while (q < e && s[q] == ' ')
                q++;
            size_t cl = match_close(s, i, e);
            if (q < e && s[q] == '[' && cl < e && nested_list(t, i, cl, depth)) {
                i = cl + 1;
            } else {
                put(t, "[", 1);
                i++;
            }
        } else if (c == '-' && i + 1 < e && s[i + 1] == '>') {
            puts_(t, " \\to ");
            i += 2;
        } else if (c == '<' && i + 2 < e && s[i + 1] == '-' && s[i + 2] == ' ') {
            puts_(t, " \\gets "); /* "a <- b" (spaced) assigns; "a < -b" compares */
            i += 2;
        } else if (c == '=' && i + 1 < e && s[i + 1] == '>') {
            puts_(t, " \\Rightarrow ");
            i += 2;
        } else if (times_x(s, i, e, start)) {
            puts_(t, " \\times ");
            i++;
        } else if (sci_exponent(s, i, e, start) > i) {
            size_t k = sci_exponent(s, i, e, start);
            put(t, s + i, k - i);
            i = k;
        } else if (is_alpha(c)) {
            i = name(t, i, e, depth);
        } else if (c == '%') {
            puts_(t, "\\%");
            i++;
        } else if ((unsigned char)c >= 0x80) {
            i = unicode(t, i, e, depth);
        } else {
            put(t, &c, 1);
            i++;
        }
    }
}

/* Bytes translate() copies as they are wherever they stand: digits,
 * spaces and most punctuation (1); letters, which may start a name (2);
 * '-', '<', '=' which start an arrow only before '>' or '-' (3); '^' (5),
 * the same read only before one character; the rest (* _ [ % and any
 * byte of UTF-8) may be rewritten (0).  A backslash and '{' are 4: with a
 * letter after the backslash the input is LaTeX. */
static unsigned char plain_class(unsigned char ch)
{
    static const unsigned char cls[128] = {
        ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1,
        ['7'] = 1, ['8'] = 1, ['9'] = 1, [' '] = 1, ['+'] = 1, ['/'] = 1, ['('] = 1,
        [')'] = 1, ['.'] = 1, [','] = 1, ['>'] = 1, ['!'] = 1, ['|'] = 1, [';'] = 1,
        [':'] = 1, ['&'] = 1, ['\''] = 1, [']'] = 1, ['}'] = 1, ['\t'] = 1,
        ['-'] = 3, ['<'] = 3, ['='] = 3, ['\\'] = 4, ['{'] = 4, ['^'] = 5};
    if (ch >= 0x80)
        return 0;
    return is_alpha((char)ch) ? 2 : cls[ch];
}

/* The end of a run of letters at src[i] that translate() copies as it is
 * (a name that is no function, Greek letter or constant, with no index
 * digits or '_' after it, not x or e alone: 3 x 3, 2e5), else i. */
static size_t plain_name_end(const char *src, size_t n, size_t i)
{
    size_t j = i;
    while (j < n && is_alpha(src[j]))
        j++;
    if (j < n && (is_digit(src[j]) || src[j] == '_'))
        return i;
    char c0 = src[i];
    if ((j == i + 1 && c0 == 'x') || ((c0 == 'e' || c0 == 'E') && (j == i + 1 || (i > 0 &&
        (is_digit(src[i - 1]) || src[i - 1] == '.')))))
        return i;
    if (j == i + 1) /* one letter: O( is the only name of the tables */
        return c0 == 'O' ? i : j;
    return rp_latex_plain_name(src + i, j - i) == RP_PLAIN_NONE ? j : i;
}

/* The end of "^2" or "^a" at src[i] (an exponent of one digit or letter,
 * which LaTeX reads as translate()'s "^{2}"), else i. */
static size_t plain_power_end(const char *src, size_t n, size_t i)
{
    if (i + 1 >= n || !(is_digit(src[i + 1]) || is_alpha(src[i + 1])))
        return i;
    if (i + 2 < n && (is_alnum(src[i + 2]) || src[i + 2] == '.' || src[i + 2] == '_' ||
                      src[i + 2] == '('))
        return i;
    return i + 2;
}

/* How src[0..n) is translated: 2 it is LaTeX already (a command or a
 * group: the lexer reads it as it is), 1 it reads the same as its
 * translation (translate() copies it, but for a one-character exponent
 * "^2" it writes "^{2}"), 0 it may read otherwise.  One pass. */
static int plain_kind(const char *src, size_t n)
{
    int kind = 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char k = plain_class((unsigned char)src[i]);
        if (k == 1)
            continue;
        if (k == 4) {
            if (src[i] == '{' || (i + 1 < n && is_alpha(src[i + 1])))
                return 2;
            kind = 0;
        } else if (k == 3) {
            char nx = i + 1 < n ? src[i + 1] : 0;
            if (nx == '>' || (src[i] == '<' && nx == '-'))
                kind = 0;
        } else if (k == 2) {
            size_t j = i > 0 && is_digit(src[i - 1]) && (src[i] == 'e' || src[i] == 'E')
                           ? i : plain_name_end(src, n, i);
            if (j == i)
                kind = 0;
            else
                i = j - 1;
        } else if (src[i] == '^') {
            size_t j = plain_power_end(src, n, i);
            if (j == i)
                kind = 0;
            else
                i = j - 1;
        } else {
            kind = 0;
        }
    }
    return kind;
}

rp_status rp_latex_from_plain(const char *src, size_t n, rp_buf *b)
{
    if (n > RP_LATEX_MAX_INPUT)
        return RP_ELIMIT;
    if (plain_kind(src, n))
        return rp_buf_append(b, src, n);
    tr t = {src, n, b, RP_OK};
    translate(&t, 0, n, 0);
    return t.st;
}

const char *rp_latex_as_latex(const char *s, size_t n, rp_buf *b, size_t *len)
{
    rp_buf_clear(b);
    *len = n;
    if (n <= RP_LATEX_MAX_INPUT && plain_kind(s, n))
        return s; /* nothing to translate: no copy */
    if (rp_latex_from_plain(s, n, b) != RP_OK || !b->data)
        return s;
    *len = b->len;
    return b->data;
}
