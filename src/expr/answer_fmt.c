/*
 * Text formats of answers (answer.c's helpers): normalising a side as
 * text, units, percent, currency and degrees, and number formats
 * (thousands separators, a decimal comma, mixed numbers, repeating
 * decimals).  Pure text work: nothing here evaluates.
 */
#include "answer_int.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ helpers */

static bool opener(char ch)
{
    return ch == '(' || ch == '[' || ch == '{';
}

static bool closer(char ch)
{
    return ch == ')' || ch == ']' || ch == '}';
}

/* Bracket depth change of the token at i and its length ("\{" counts). */
int an_depth_step(sp x, size_t i, size_t *len)
{
    *len = 1;
    if (x.s[i] == '\\' && i + 1 < x.n) {
        /* an environment nests like a bracket */
        if (at_cmd(x, i, "\\begin") || at_cmd(x, i, "\\end")) {
            *len = x.s[i + 1] == 'b' ? 6 : 4;
            return x.s[i + 1] == 'b' ? 1 : -1;
        }
        *len = 2;
        if (x.s[i + 1] == '{')
            return 1;
        if (x.s[i + 1] == '}')
            return -1;
        return 0;
    }
    return opener(x.s[i]) ? 1 : closer(x.s[i]) ? -1 : 0;
}

/* Is x one bracketed group from its first to its last character?  The
 * brackets may differ ("[0, 9)"). */
bool an_wrapped(sp x)
{
    if (x.n < 2)
        return false;
    int d = 0;
    for (size_t i = 0, l; i < x.n; i += l) {
        d += an_depth_step(x, i, &l);
        if (d <= 0)
            return i + l == x.n;
    }
    return false;
}

/* Brackets of x close in order and none is left open. */
bool an_balanced(sp x)
{
    int d = 0;
    for (size_t i = 0, l; i < x.n; i += l) {
        d += an_depth_step(x, i, &l);
        if (d < 0)
            return false;
    }
    return d == 0;
}

/* A constant: no letters outside command names (\frac, \sqrt, \pi, \infty). */
bool an_is_const(sp x)
{
    if (!x.n)
        return false;
    for (size_t i = 0; i < x.n; i++) {
        if (x.s[i] == '\\') {
            i++;
            while (i < x.n && isalpha((unsigned char)x.s[i]))
                i++;
            i--;
            continue;
        }
        if (isalpha((unsigned char)x.s[i]))
            return false;
    }
    return true;
}

/* --------------------------------------------------------- normalising */

static const struct {
    const char *from, *to;
} cmd_map[] = {
    {"dfrac", "\\frac"},  {"tfrac", "\\frac"},   {"displaystyle", ""}, {"left", ""},
    {"right", ""},        {"bigl", ""},          {"bigr", ""},         {"Bigl", ""},
    {"Bigr", ""},         {"big", ""},           {"Big", ""},          {"mbox", "\\text"},
    {"textrm", "\\text"}, {"textnormal", "\\text"}, {"textbf", "\\text"}, {"textit", "\\text"},
    {"textsf", "\\text"}, {"texttt", "\\text"},  {"leq", "\\le"},      {"leqslant", "\\le"},
    {"geq", "\\ge"},      {"geqslant", "\\ge"},  {"lt", "<"},          {"gt", ">"},
    {"neq", "\\ne"},      {"lbrace", "\\{"},     {"rbrace", "\\}"},    {"quad", " "},
    {"qquad", " "},       {"%", "%"},            {"$", "$"},           {"degree", "^\\circ"},
};

/* A thousands separator at i between a digit and exactly three digits:
 * its length, else 0.  A plain comma is not one here (it also separates
 * list items); see an_plain_thousands(). */
static size_t thousands_sep(sp x, size_t i)
{
    static const char *const seps[] = {"{,}", ",\\!", "\\,", "\\ ", "~", " ", "\\!"};
    for (size_t k = 0; k < sizeof seps / sizeof *seps; k++) {
        size_t l = strlen(seps[k]);
        if (!at(x, i, seps[k]))
            continue;
        size_t j = i + l;
        while (k != 5 && j < x.n && x.s[j] == ' ') /* ",\! 349" */
            j++;
        l = j - i;
        if (j + 3 <= x.n && isdigit((unsigned char)x.s[j]) && isdigit((unsigned char)x.s[j + 1]) &&
            isdigit((unsigned char)x.s[j + 2]) && (j + 3 == x.n || !isdigit((unsigned char)x.s[j + 3])))
            return l;
    }
    return 0;
}

static bool put(char *out, size_t cap, size_t *o, const char *s, size_t n)
{
    if (*o + n >= cap)
        return false;
    memcpy(out + *o, s, n);
    *o += n;
    return true;
}

/* UTF-8 spellings read as their LaTeX commands. */
static const struct {
    const char *u, *latex;
} utf_map[] = {{"\xe2\x88\x92", "-"},          {"\xe2\x89\xa4", "\\le "},  {"\xe2\x89\xa5", "\\ge "},
               {"\xe2\x88\x9e", "\\infty "},   {"\xc2\xb1", "\\pm "},      {"\xc2\xb0", "^\\circ "},
               {"\xe2\x88\xaa", "\\cup "},     {"\xe2\x88\x88", "\\in "},  {"\xe2\x89\xa0", "\\ne "},
               {"\xe2\x88\x93", "\\mp "},      {"\xe2\x80\xb2", "'"},   {"\xe2\x80\xb3", "''"}};

/* Write the replacement of the command name (without its backslash) when
 * cmd_map has one: 1 written, 0 none, -1 out of room. */
static int put_mapped(sp name, char *out, size_t cap, size_t *o, bool *semantic)
{
    for (size_t k = 0; k < sizeof cmd_map / sizeof *cmd_map; k++)
        if (name.n == strlen(cmd_map[k].from) && memcmp(name.s, cmd_map[k].from, name.n) == 0) {
            if (!put(out, cap, o, cmd_map[k].to, strlen(cmd_map[k].to)))
                return -1;
            /* a text box renamed (\mbox, \textbf): the parser reads them apart */
            *semantic = *semantic || (cmd_map[k].to[0] == '\\' && cmd_map[k].to[1] == 't');
            return 1;
        }
    return 0;
}

/* A trigonometric function among the first o characters of out. */
static bool trig_before(const char *out, size_t o)
{
    static const char *const fn[] = {"\\sin", "\\cos", "\\tan", "\\sec", "\\csc", "\\cot"};
    for (size_t i = 0; i + 4 <= o; i++)
        for (size_t k = 0; k < sizeof fn / sizeof *fn; k++)
            if (memcmp(out + i, fn[k], 4) == 0)
                return true;
    return false;
}

static bool has_begin(sp x)
{
    for (size_t i = 0; i + 6 <= x.n; i++)
        if (at(x, i, "\\begin"))
            return true;
    return false;
}

/* The length of a run of digits (with one decimal point) at s[i..n). */
static size_t digits_at(const char *s, size_t i, size_t n)
{
    size_t k = i;
    bool point = false;
    while (k < n && (isdigit((unsigned char)s[k]) || (s[k] == '.' && !point))) {
        point = point || s[k] == '.';
        k++;
    }
    return k > i && isdigit((unsigned char)s[i]) ? k - i : 0;
}

/* The length of the first mark of marks[] at s[i..n), 0 when none. */
static size_t mark_at(const char *s, size_t i, size_t n, const char *const *marks)
{
    for (; *marks; marks++) {
        size_t l = strlen(*marks);
        if (i + l <= n && memcmp(s + i, *marks, l) == 0)
            return l;
    }
    return 0;
}

/* Degrees, minutes and seconds ("12^\circ 30'", "12^\circ 30' 15''", the
 * Unicode primes mapped before) as one angle in degrees, in place in
 * out[0..*o): "(12+\frac{30}{60}+\frac{15}{3600})^\circ".  Minutes are
 * read only after a number of degrees (a prime alone is a derivative). */
static bool degrees_minutes(char *out, size_t cap, size_t *o)
{
    static const char *const deg[] = {"^\\circ", "^{\\circ}", NULL};
    static const char *const sec[] = {"''", "\"", "^{\\prime\\prime}", "^{\\prime \\prime}", NULL};
    static const char *const min[] = {"'", "^\\prime", "^{\\prime}", NULL};
    for (size_t i = 0; i < *o; i++) {
        size_t dl = mark_at(out, i, *o, deg);
        if (!dl)
            continue;
        size_t a = i;
        while (a > 0 && (isdigit((unsigned char)out[a - 1]) || out[a - 1] == '.'))
            a--;
        if (a == i || (a > 0 && (isalnum((unsigned char)out[a - 1]) || out[a - 1] == '}')))
            continue;
        size_t m = i + dl;
        while (m < *o && out[m] == ' ')
            m++;
        size_t ml = digits_at(out, m, *o);
        size_t mk = ml ? mark_at(out, m + ml, *o, min) : 0;
        if (!mk || (out[m + ml] == '\'' && m + ml + 1 < *o && out[m + ml + 1] == '\''))
            continue; /* no minutes (12^\circ 30'' would be seconds) */
        size_t end = m + ml + mk, s = end;
        while (s < *o && out[s] == ' ')
            s++;
        size_t sl = digits_at(out, s, *o);
        size_t sk = sl ? mark_at(out, s + sl, *o, sec) : 0;
        char buf[160];
        int w = sk ? snprintf(buf, sizeof buf, "(%.*s+\\frac{%.*s}{60}+\\frac{%.*s}{3600})^\\circ",
                              (int)(i - a), out + a, (int)ml, out + m, (int)sl, out + s)
                   : snprintf(buf, sizeof buf, "(%.*s+\\frac{%.*s}{60})^\\circ", (int)(i - a),
                              out + a, (int)ml, out + m);
        if (sk)
            end = s + sl + sk;
        if (w < 0 || (size_t)w >= sizeof buf || *o - (end - a) + (size_t)w + 1 > cap)
            return false;
        memmove(out + a + (size_t)w, out + end, *o - end);
        memcpy(out + a, buf, (size_t)w);
        *o = *o - (end - a) + (size_t)w;
        i = a + (size_t)w - 1;
    }
    return true;
}

/* Normalise x into out (cap bytes, NUL-terminated).  False when it does
 * not fit.  Spaces survive only between two letters or digits.  *semantic
 * is set when the text changed in a way the parser would read differently
 * (escaped backslashes, thousands separators, Unicode signs, text boxes). */
static bool normalise_chars(sp x, char *out, size_t cap, size_t *olen, bool *semantic)
{
    *semantic = false;
    x = trim(x);
    while (x.n >= 2 && x.s[0] == '$' && x.s[x.n - 1] == '$')
        x = trim((sp){x.s + 1, x.n - 2});
    if (x.n >= 4 && x.s[0] == '\\' && (x.s[1] == '(' || x.s[1] == '[') && x.s[x.n - 2] == '\\' &&
        (x.s[x.n - 1] == ')' || x.s[x.n - 1] == ']'))
        x = trim((sp){x.s + 2, x.n - 4});
    /* doubled backslashes of an escaped string: "\\frac" (a matrix's row
     * break "\\" is followed by a space or digit, and matrices have '&') */
    bool dbl = false;
    for (size_t i = 0; i + 2 < x.n && !dbl; i++)
        dbl = x.s[i] == '\\' && x.s[i + 1] == '\\' && isalpha((unsigned char)x.s[i + 2]);
    if (dbl && (memchr(x.s, '&', x.n) || has_begin(x)))
        dbl = false;
    *semantic = dbl;
    size_t o = 0;
    bool pending_space = false;
    int depth = 0;
    for (size_t i = 0; i < x.n;) {
        unsigned char ch = (unsigned char)x.s[i];
        if (o > 0 && isdigit((unsigned char)out[o - 1])) {
            size_t l = thousands_sep(x, i);
            if (l) {
                i += l;
                *semantic = true;
                continue;
            }
        }
        if (isspace(ch)) {
            pending_space = true;
            i++;
            continue;
        }
        /* kept: between words, and after a comma before a digit ("32, 349"
         * is a list, not 32349) */
        if (pending_space && o > 0 &&
            ((isalnum((unsigned char)out[o - 1]) && (isalnum(ch) || ch == '\\')) ||
             (out[o - 1] == ',' && isdigit(ch))))
            if (!put(out, cap, &o, " ", 1))
                return false;
        pending_space = false;
        /* a degree sign inside a trigonometric function: radians */
        if (ch == '^' && (at(x, i, "^\\circ") || at(x, i, "^{\\circ}")) && trig_before(out, o)) {
            size_t k = o;
            while (k > 0 && (isdigit((unsigned char)out[k - 1]) || out[k - 1] == '.'))
                k--;
            char num[64];
            if (k < o && o - k < sizeof num) {
                memcpy(num, out + k, o - k);
                num[o - k] = 0;
                o = k;
                char rad[96];
                snprintf(rad, sizeof rad, "{\\frac{%s\\pi}{180}}", num);
                if (!put(out, cap, &o, rad, strlen(rad)))
                    return false;
                i += at(x, i, "^\\circ") ? 6 : 8;
                *semantic = true;
                continue;
            }
        }
        if (ch == '\\') {
            if (dbl && i + 1 < x.n && x.s[i + 1] == '\\')
                i++;
            size_t j = i + 1;
            while (j < x.n && isalpha((unsigned char)x.s[j]))
                j++;
            if (j == i + 1 && j < x.n)
                j++; /* one-character command */
            sp name = {x.s + i + 1, j - i - 1};
            if (name.n == 1 && strchr(",;:! ", name.s[0])) {
                pending_space = true;
                i = j;
                continue;
            }
            int m = put_mapped(name, out, cap, &o, semantic);
            if (m < 0)
                return false;
            bool mapped = m > 0;
            if (mapped && ((name.n == 4 && memcmp(name.s, "left", 4) == 0) ||
                           (name.n == 5 && memcmp(name.s, "right", 5) == 0)) &&
                j < x.n && x.s[j] == '.')
                j++; /* \left. \right. */
            if (!mapped && !put(out, cap, &o, x.s + i, j - i))
                return false;
            i = j;
            continue;
        }
        if (ch >= 0x80) {
            bool mapped = false;
            for (size_t k = 0; k < sizeof utf_map / sizeof *utf_map && !mapped; k++)
                if (at(x, i, utf_map[k].u)) {
                    if (!put(out, cap, &o, utf_map[k].latex, strlen(utf_map[k].latex)))
                        return false;
                    i += strlen(utf_map[k].u);
                    mapped = true;
                    *semantic = true;
                }
            if (mapped)
                continue;
        }
        if (ch == '(' || ch == '[' || ch == '{')
            depth++;
        else if ((ch == ')' || ch == ']' || ch == '}') && depth > 0)
            depth--;
        else if (ch == ';' && depth > 0)
            ch = ','; /* "(0;-2;6)": a tuple written with semicolons */
        if (!put(out, cap, &o, (const char *)&ch, 1))
            return false;
        i++;
    }
    while (o > 0 && out[o - 1] == ' ')
        o--;
    /* a trailing full stop of a sentence */
    if (o > 1 && out[o - 1] == '.' && !isdigit((unsigned char)out[o - 2]))
        o--;
    out[o] = 0;
    *olen = o;
    return true;
}

/* normalise_chars(), then degrees and minutes read as one angle */
bool an_normalise(sp x, char *out, size_t cap, size_t *olen, bool *semantic)
{
    if (!normalise_chars(x, out, cap, olen, semantic))
        return false;
    if (!memchr(out, '\'', *olen) && !memchr(out, '"', *olen) && !strstr(out, "prime"))
        return true;
    size_t before = *olen;
    if (!degrees_minutes(out, cap, olen))
        return false;
    out[*olen] = 0;
    *semantic = *semantic || *olen != before;
    return true;
}

static const struct {
    const char *name;
    char dim; /* L length, M mass, T time, V volume */
    double si;
} units[] = {
    {"mm", 'L', 1e-3},    {"cm", 'L', 1e-2},     {"m", 'L', 1},        {"km", 'L', 1e3},
    {"in", 'L', 0.0254},  {"inch", 'L', 0.0254}, {"inches", 'L', 0.0254}, {"ft", 'L', 0.3048},
    {"feet", 'L', 0.3048}, {"foot", 'L', 0.3048}, {"yd", 'L', 0.9144},  {"mi", 'L', 1609.344},
    {"mile", 'L', 1609.344}, {"miles", 'L', 1609.344}, {"meter", 'L', 1}, {"meters", 'L', 1},
    {"mg", 'M', 1e-6},    {"g", 'M', 1e-3},      {"kg", 'M', 1},       {"lb", 'M', 0.45359237},
    {"lbs", 'M', 0.45359237}, {"ms", 'T', 1e-3},  {"s", 'T', 1},        {"sec", 'T', 1},
    {"second", 'T', 1},   {"seconds", 'T', 1},   {"min", 'T', 60},     {"minute", 'T', 60},
    {"minutes", 'T', 60}, {"h", 'T', 3600},      {"hr", 'T', 3600},    {"hour", 'T', 3600},
    {"hours", 'T', 3600}, {"day", 'T', 86400},   {"days", 'T', 86400}, {"ml", 'V', 1e-3},
    {"l", 'V', 1},        {"liter", 'V', 1},     {"liters", 'V', 1},
};

/* The dimension and size of a simple unit name with an optional power. */
bool an_unit_size(const char *name, char *dim, int *power, double *si)
{
    char base[40];
    snprintf(base, sizeof base, "%s", name);
    *power = 1;
    char *caret = strchr(base, '^');
    if (caret) {
        *caret = 0;
        *power = atoi(caret + 1);
        if (*power < 1 || *power > 3)
            return false;
    }
    for (size_t k = 0; k < sizeof units / sizeof *units; k++)
        if (strcmp(units[k].name, base) == 0) {
            *dim = units[k].dim;
            *si = pow(units[k].si, *power);
            return true;
        }
    return false;
}

/* A compound unit ("m/s^2", "km/h", "kg*m/s^2", "n m"): the product of
 * simple units with powers, each after a '/' divided.  Evidence: every
 * factor must be a known unit, else false (the caller compares names). */
bool an_unit_dims(const char *name, int dims[4], double *si)
{
    static const char order[] = "LMTV";
    memset(dims, 0, 4 * sizeof *dims);
    *si = 1;
    int sign = 1, factors = 0;
    const char *p = name;
    while (*p) {
        if (*p == '/' || *p == '*' || *p == '.' || *p == ' ') {
            if (*p == '/') {
                if (sign < 0 || factors == 0)
                    return false; /* "m/s/s" or "/s": not read */
                sign = -1;
            }
            p++;
            continue;
        }
        char f[40];
        size_t o = 0;
        while (*p && (isalpha((unsigned char)*p) || *p == '^' || isdigit((unsigned char)*p)) && o + 1 < sizeof f)
            f[o++] = *p++;
        f[o] = 0;
        if (o == 0)
            return false;
        char dim;
        int pw;
        double s1;
        if (!an_unit_size(f, &dim, &pw, &s1))
            return false;
        dims[strchr(order, dim) - order] += sign * pw;
        *si = sign > 0 ? *si * s1 : *si / s1;
        factors++;
    }
    return factors > 0;
}

/* name with its spaces and '*' dropped, for comparing units not known */
void an_unit_norm(const char *name, char *out, size_t cap)
{
    size_t o = 0;
    for (const char *p = name; *p && o + 1 < cap; p++)
        if (*p != ' ' && *p != '*' && *p != '.')
            out[o++] = *p;
    out[o] = 0;
}

static bool word_is(const char *w, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(w, *list) == 0)
            return true;
    return false;
}

/* Strip a trailing "^2", "^{2}" into pw ("^2"); returns the length left. */
static size_t strip_power(sp x, char *pw, size_t cap)
{
    pw[0] = 0;
    if (x.n >= 2 && x.s[x.n - 2] == '^' && isdigit((unsigned char)x.s[x.n - 1])) {
        snprintf(pw, cap, "^%c", x.s[x.n - 1]);
        return x.n - 2;
    }
    if (x.n >= 4 && x.s[x.n - 4] == '^' && x.s[x.n - 3] == '{' && isdigit((unsigned char)x.s[x.n - 2]) &&
        x.s[x.n - 1] == '}') {
        snprintf(pw, cap, "^%c", x.s[x.n - 2]);
        return x.n - 4;
    }
    return x.n;
}

/* Record the unit word w (full: with its power) in u (when not NULL);
 * true when w is a word for percent, degrees or money. */
static bool note_unit(unit *u, const char *w, const char *full)
{
    static const char *const pct[] = {"percent", "per cent", "pct", NULL};
    static const char *const deg[] = {"degree", "degrees", "deg", NULL};
    static const char *const cur[] = {"dollar", "dollars", "usd", "euro", "euros", "cents", NULL};
    bool p = word_is(w, pct), d = word_is(w, deg), c = word_is(w, cur);
    if (u) {
        u->percent |= p;
        u->degree |= d;
        u->currency |= c;
        if (!p && !d && !c)
            snprintf(u->name, sizeof u->name, "%s", full);
    }
    return p || d || c;
}

/* "\text{m}/\text{s}": boxes joined by '/' before the unit full are one
 * unit; their words go in front of full (cap bytes); returns what is left. */
static sp join_boxes(sp rest, char *full, size_t cap)
{
    while (rest.n > 1 && rest.s[rest.n - 1] == '/' && rest.s[rest.n - 2] == '}') {
        size_t op = rest.n - 2;
        while (op > 0 && rest.s[op] != '{')
            op--;
        size_t kw = op >= 5 && memcmp(rest.s + op - 5, "\\text", 5) == 0     ? 5
                    : op >= 7 && memcmp(rest.s + op - 7, "\\mathrm", 7) == 0 ? 7
                                                                             : 0;
        size_t lw = rest.n - 2 - op - 1, lf = strlen(full);
        if (!kw || lw == 0 || lw + 1 + lf + 1 > cap)
            break;
        memmove(full + lw + 1, full, lf + 1);
        for (size_t q = 0; q < lw; q++)
            full[q] = (char)tolower((unsigned char)rest.s[op + 1 + q]);
        full[lw] = '/';
        rest = trim((sp){rest.s, op - kw});
    }
    return rest;
}

/* The value of x with its unit, percent, currency or degree sign taken
 * off into u; false when x carries none. */
bool an_unit_of(sp x, sp *v, unit *u)
{
    memset(u, 0, sizeof *u);
    bool any = false;
    for (int guard = 0; guard < 4 && x.n; guard++) {
        x = trim(x);
        if (x.n && (x.s[0] == '$' || at(x, 0, "\xe2\x82\xac") || at(x, 0, "\\euro"))) {
            size_t l = x.s[0] == '$' ? 1 : x.s[0] == '\\' ? 5 : 3;
            x = (sp){x.s + l, x.n - l};
            u->currency = any = true;
            continue;
        }
        if (x.n && x.s[x.n - 1] == '$') {
            x.n--;
            u->currency = any = true;
            continue;
        }
        if (x.n >= 3 && memcmp(x.s + x.n - 3, "\xe2\x82\xac", 3) == 0) {
            x.n -= 3;
            u->currency = any = true;
            continue;
        }
        if (x.n && x.s[x.n - 1] == '%') {
            x.n--;
            u->percent = any = true;
            continue;
        }
        if (x.n >= 6 && memcmp(x.s + x.n - 6, "^\\circ", 6) == 0) {
            x.n -= 6;
            u->degree = any = true;
            continue;
        }
        if (x.n >= 8 && memcmp(x.s + x.n - 8, "^{\\circ}", 8) == 0) {
            x.n -= 8;
            u->degree = any = true;
            continue;
        }
        /* a trailing \text{word} or \mathrm{unit}, with a power */
        char pw[8];
        sp y = {x.s, strip_power(x, pw, sizeof pw)};
        if (y.n && y.s[y.n - 1] == '}') {
            size_t open = y.n - 1;
            while (open > 0 && y.s[open] != '{')
                open--;
            bool text = open >= 5 && memcmp(y.s + open - 5, "\\text", 5) == 0;
            bool rm = open >= 7 && memcmp(y.s + open - 7, "\\mathrm", 7) == 0;
            if (!text && !rm)
                break;
            char w[40];
            size_t o = 0;
            for (size_t i = open + 1; i + 1 < y.n && o + 1 < sizeof w; i++)
                if (y.s[i] != ' ' || (o > 0 && w[o - 1] != ' '))
                    w[o++] = (char)tolower((unsigned char)y.s[i]);
            while (o > 0 && w[o - 1] == ' ')
                o--;
            w[o] = 0;
            if (o == 0)
                break;
            /* a word, or a compound unit ("m/s", "m/s^2", "kg*m") */
            if (!isalpha((unsigned char)w[0]))
                return false;
            for (size_t i = 0; i < o; i++)
                if (!isalpha((unsigned char)w[i]) && !strchr(" /*", w[i]) &&
                    !(i > 0 && w[i - 1] == '^' && isdigit((unsigned char)w[i])) &&
                    !(w[i] == '^' && i + 1 < o && isdigit((unsigned char)w[i + 1])))
                    return false;
            char full[96];
            snprintf(full, sizeof full, "%s%s", w, pw);
            sp rest = trim((sp){x.s, open - (text ? 5 : 7)});
            rest = join_boxes(rest, full, sizeof full);
            int dims[4];
            double si;
            if (rm && !an_unit_dims(full, dims, &si))
                break;
            /* the box ends the answer at the top level ("p_{\text{in}}" is a name) */
            if (!rest.n || !an_balanced(rest) || strchr("_^{", rest.s[rest.n - 1]))
                break;
            x = rest;
            any = true;
            note_unit(u, w, full);
            continue;
        }
        /* "5 cm": a known unit after a space */
        size_t k = y.n;
        while (k > 0 && isalpha((unsigned char)y.s[k - 1]))
            k--;
        /* (a one-letter unit written bare, "2 s", reads as a product) */
        if (k > 1 && k + 1 < y.n && y.s[k - 1] == ' ' && an_is_const((sp){y.s, k - 1})) {
            char w[24], full[40], dim;
            int p;
            double si;
            snprintf(w, sizeof w, "%.*s", (int)(y.n - k), y.s + k);
            snprintf(full, sizeof full, "%s%s", w, pw);
            if (note_unit(NULL, w, full) || an_unit_size(full, &dim, &p, &si)) {
                x = trim((sp){y.s, k - 1});
                any = true;
                note_unit(u, w, full);
                continue;
            }
        }
        break;
    }
    *v = trim(x);
    return any && v->n > 0;
}

/* ------------------------------------------------------------- numbers */

/* "1,000" or "12,345,678.5": a number with comma thousands; its digits
 * without the commas into out. */
bool an_plain_thousands(sp x, char *out, size_t cap)
{
    size_t i = 0, o = 0, group = 0;
    bool comma = false;
    if (x.n && x.s[0] == '-')
        out[o++] = x.s[i++];
    for (; i < x.n && o + 1 < cap; i++) {
        char ch = x.s[i];
        if (isdigit((unsigned char)ch)) {
            out[o++] = ch;
            group++;
        } else if (ch == ',') {
            /* a first group "0" is a decimal comma ("0,111") */
            bool zero = !comma && group == 1 && out[o - 1] == '0';
            if ((!comma && (group < 1 || group > 3)) || (comma && group != 3) || zero)
                return false;
            comma = true;
            group = 0;
        } else if (ch == '.') {
            break;
        } else {
            return false;
        }
    }
    if (!comma || group != 3)
        return false;
    for (; i < x.n && o + 1 < cap; i++) {
        if (!isdigit((unsigned char)x.s[i]) && x.s[i] != '.')
            return false;
        out[o++] = x.s[i];
    }
    out[o] = 0;
    return true;
}

/* "1000,99": a decimal comma (one comma, not three digits after it). */
bool an_decimal_comma(sp x, char *out, size_t cap)
{
    const char *comma = memchr(x.s, ',', x.n);
    if (!comma || x.n + 1 > cap)
        return false;
    size_t k = (size_t)(comma - x.s), after = x.n - k - 1;
    bool zero = (k == 1 && x.s[0] == '0') || (k == 2 && x.s[0] == '-' && x.s[1] == '0');
    if (k == 0 || after == 0 || (after == 3 && !zero))
        return false;
    for (size_t i = 0; i < x.n; i++)
        if (i != k && !isdigit((unsigned char)x.s[i]) && !(i == 0 && x.s[i] == '-'))
            return false;
    memcpy(out, x.s, x.n);
    out[k] = '.';
    out[x.n] = 0;
    return true;
}

/* "2\frac{1}{2}": a whole number before a fraction is a mixed number. */
static bool mixed_number(sp x, char *out, size_t cap)
{
    size_t i = 0;
    bool neg = x.n && x.s[0] == '-';
    if (neg)
        i++;
    size_t d0 = i;
    while (i < x.n && isdigit((unsigned char)x.s[i]))
        i++;
    if (i == d0 || !at(x, i, "\\frac{"))
        return false;
    sp rest = {x.s + i, x.n - i};
    /* \frac{digits}{digits} and nothing after */
    size_t j = 6;
    size_t n0 = j;
    while (j < rest.n && isdigit((unsigned char)rest.s[j]))
        j++;
    if (j == n0 || !at(rest, j, "}{"))
        return false;
    j += 2;
    size_t m0 = j;
    while (j < rest.n && isdigit((unsigned char)rest.s[j]))
        j++;
    if (j == m0 || j + 1 != rest.n || rest.s[j] != '}')
        return false;
    int w = snprintf(out, cap, "%s(%.*s+%.*s)", neg ? "-" : "", (int)(i - d0), x.s + d0,
                     (int)rest.n, rest.s);
    return w > 0 && (size_t)w < cap;
}

/* "0.1\overline{6}" or "0.\overline{3}": a repeating decimal as a fraction. */
static bool repeating(sp x, char *out, size_t cap)
{
    const char *ov = NULL;
    for (size_t i = 0; i + 9 < x.n && !ov; i++)
        if (at(x, i, "\\overline{") || at(x, i, "\\dot{"))
            ov = x.s + i;
    if (!ov)
        return false;
    size_t k = (size_t)(ov - x.s);
    size_t open = k + (ov[1] == 'o' ? 10 : 5);
    const char *close = memchr(x.s + open, '}', x.n - open);
    if (!close || (size_t)(close - x.s) + 1 != x.n)
        return false;
    char head[64];
    if (k == 0 || k >= sizeof head)
        return false;
    memcpy(head, x.s, k);
    head[k] = 0;
    const char *dot = strchr(head, '.');
    if (!dot)
        return false;
    size_t nrep = (size_t)(close - (x.s + open));
    if (nrep == 0 || nrep > 9)
        return false;
    for (size_t i = 0; i < nrep; i++)
        if (!isdigit((unsigned char)x.s[open + i]))
            return false;
    /* value = head + rep / (10^nrep - 1) / 10^(digits after the point) */
    size_t after = strlen(dot + 1);
    for (const char *p = dot + 1; *p; p++)
        if (!isdigit((unsigned char)*p))
            return false;
    int w = snprintf(out, cap, "%s0+\\frac{%.*s}{(10^{%zu}-1) \\cdot 10^{%zu}}",
                     strcmp(head, "0.") == 0 || strcmp(head, ".") == 0 ? "" : head, (int)nrep,
                     x.s + open, nrep, after);
    if (strcmp(head, "0.") != 0 && strcmp(head, ".") != 0) {
        /* head is "0.1": append a zero so it stays a number */
        w = snprintf(out, cap, "%s0+\\frac{%.*s}{(10^{%zu}-1) \\cdot 10^{%zu}}", head, (int)nrep,
                     x.s + open, nrep, after);
    }
    return w > 0 && (size_t)w < cap;
}

/* One side rewritten as a plain number format, into buf; x when none. */
sp an_number_form(sp x, char *buf, size_t cap, bool other_list)
{
    if ((!other_list && an_plain_thousands(x, buf, cap)) || mixed_number(x, buf, cap) ||
        repeating(x, buf, cap))
        return (sp){buf, strlen(buf)};
    return x;
}

