/*
 * Answer formats of school and competition mathematics, read before the
 * numeric comparison of one value (equiv.c, ex_equiv_value).
 *
 * Both sides are first normalised as text (spacing, \left/\right, \dfrac,
 * escaped backslashes "\\frac", thousands separators such as 1{,}000,
 * 32,\!349 and 1\,000); identical normalised sides are equal even when
 * they cannot be evaluated.  Then the structure of the truth decides how
 * the claim is read:
 *   - text answers (\text{Evelyn}, a choice "(C)", \textbf{(B)}) compare
 *     as lower-cased words;
 *   - a list ("1, -2", "x = 1 or x = -2", "\{1, 2\}", "(2,2), (6,2)") or a
 *     value with \pm / \mp is a set: the claim must hold the same values in
 *     any order;
 *   - intervals with open/closed ends, unions (\cup), "x \in [a, b]" and
 *     inequality chains with constant bounds are sets of intervals;
 *   - a value with a unit, percent, currency or degrees: the unit may be
 *     dropped, a percent equals the number or the number / 100, units of
 *     one dimension convert, a value right in a wrong unit is wrong_unit;
 *   - equations compare as relations (equal when one is a nonzero multiple
 *     of the other: lhs - rhs of the claim is a constant times the truth's,
 *     or when both, solved for a symbol they share, give it the same value:
 *     answer_rel.c), unless both define the same symbol (then equiv.c
 *     compares the values);
 *     inequalities compare as relations too (g > 0 with g scaled by a
 *     positive constant; strictness must agree).
 * Everything else goes to ex_equiv_value() unchanged, so expressions of
 * the deep-learning homework take exactly the path they took before.
 * Values inside these structures are compared by the same function,
 * recursively (depth bounded).
 */
#include "answer_int.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AN_ITEMS 16  /* most values of a set */
#define AN_DEPTH 4   /* nesting of structures */
#define AN_BUDGET 4000 /* comparisons of values in one rp_equiv (sets of sets multiply) */

typedef struct actx {
    ectx *c;
    ex_cache *cache;
    const rp_equiv_opts *o;
    int depth;
    int budget; /* comparisons left (AN_BUDGET) */
} actx;

static rp_status cmp_any(actx *ax, sp t, sp c, rp_equiv_result *res);

/* ------------------------------------------------------------ helpers */

/* Split x at depth 0 wherever sep(x, i) gives a separator length. */
static size_t split_top(sp x, size_t (*sep)(sp, size_t), sp *out, size_t cap)
{
    size_t n = 0, start = 0;
    int d = 0;
    for (size_t i = 0, l; i < x.n; i += l) {
        size_t k = d == 0 ? sep(x, i) : 0;
        if (k) {
            if (n + 1 >= cap)
                return 0;
            out[n++] = trim((sp){x.s + start, i - start});
            start = i + k;
            l = k;
            continue;
        }
        d += an_depth_step(x, i, &l);
        if (d < 0)
            d = 0;
    }
    out[n++] = trim((sp){x.s + start, x.n - start});
    return n;
}

static size_t sep_word(sp x, size_t i)
{
    static const char *const words[] = {"\\text{or}", "\\text{and}", "or", "and"};
    for (size_t k = 0; k < sizeof words / sizeof *words; k++) {
        size_t l = strlen(words[k]);
        /* a bare word stands apart from letters: "x=1 or x=2", "(1,2)or(2,1)" */
        if (!at(x, i, words[k]))
            continue;
        bool apart_before = i == 0 || (!isalpha((unsigned char)x.s[i - 1]) && x.s[i - 1] != '\\');
        bool apart_after = i + l == x.n || !isalpha((unsigned char)x.s[i + l]);
        if (k < 2 || (apart_before && apart_after))
            return l;
    }
    return 0;
}

static size_t sep_list(sp x, size_t i)
{
    if (x.s[i] == ',' || x.s[i] == ';')
        return 1;
    return sep_word(x, i);
}

/* Where solutions are separated by ';' and their values by ',' ("p=5,q=2;
 * p=7,q=2"), only ';' separates the items. */
static size_t sep_semicolon(sp x, size_t i)
{
    return x.s[i] == ';' ? 1 : sep_word(x, i);
}

static size_t sep_cup(sp x, size_t i)
{
    return at_cmd(x, i, "\\cup") ? 4 : 0;
}

/* ------------------------------------------------------------- results */

static void differ(rp_equiv_result *res, rp_category cat, const char *fmt, ...) RP_PRINTF(3, 4);
static void differ(rp_equiv_result *res, rp_category cat, const char *fmt, ...)
{
    memset(res, 0, sizeof *res);
    ex_set_category(res, cat);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(res->detail, sizeof res->detail, fmt, ap);
    va_end(ap);
}

static void equal(rp_equiv_result *res)
{
    memset(res, 0, sizeof *res);
    res->verdict = RP_EQUIV_EQUAL;
}

/* Compare the sides built by printf-like formats (each into its own buffer). */
static rp_status cmp_built(actx *ax, const char *t, const char *c, rp_equiv_result *res)
{
    return cmp_any(ax, (sp){t, strlen(t)}, (sp){c, strlen(c)}, res);
}

static bool same(actx *ax, sp t, sp c, rp_status *st)
{
    rp_equiv_result r;
    *st = cmp_any(ax, t, c, &r);
    return *st == RP_OK && r.verdict == RP_EQUIV_EQUAL;
}

/* ---------------------------------------------------------------- text */

/* The words of x when x is text only: \text{...} groups (with spaces,
 * parentheses, a full stop), or a choice letter "(C)".  Lower-cased into
 * out; false otherwise. */
static bool text_only(sp x, char *out, size_t cap, bool *choice)
{
    size_t o = 0;
    bool any_text = false;
    *choice = false;
    for (size_t i = 0; i < x.n;) {
        if (at(x, i, "\\text{")) {
            int d = 1;
            size_t j = i + 6;
            for (; j < x.n && d > 0; j++) {
                if (x.s[j] == '{')
                    d++;
                else if (x.s[j] == '}' && --d == 0)
                    break;
                if (o + 1 < cap && (isalnum((unsigned char)x.s[j]) || x.s[j] == ' ' ||
                                    (unsigned char)x.s[j] >= 0x80))
                    out[o++] = (char)tolower((unsigned char)x.s[j]);
            }
            if (d != 0)
                return false;
            any_text = true;
            i = j + 1;
            continue;
        }
        char ch = x.s[i];
        if (ch == '(' || ch == ')' || ch == ' ' || ch == '.' || ch == '{' || ch == '}') {
            i++;
            continue;
        }
        /* a choice: one capital letter in parentheses, "(C)" */
        if (isupper((unsigned char)ch) && i > 0 && x.s[i - 1] == '(' && i + 1 < x.n && x.s[i + 1] == ')') {
            if (o + 1 < cap)
                out[o++] = (char)tolower((unsigned char)ch);
            *choice = true;
            i++;
            continue;
        }
        return false;
    }
    /* trim and squeeze spaces */
    size_t w = 0;
    for (size_t i = 0; i < o; i++)
        if (out[i] != ' ' || (w > 0 && out[w - 1] != ' '))
            out[w++] = out[i];
    while (w > 0 && out[w - 1] == ' ')
        w--;
    out[w] = 0;
    return (any_text || *choice) && w > 0;
}

/* The letters of x lower-cased when x is one word or a choice letter
 * written without markup ("even", "C"). */
static bool bare_word(sp x, char *out, size_t cap)
{
    if (x.n == 0 || x.n + 1 > cap)
        return false;
    for (size_t i = 0; i < x.n; i++) {
        if (!isalpha((unsigned char)x.s[i]) && x.s[i] != ' ')
            return false;
        out[i] = (char)tolower((unsigned char)x.s[i]);
    }
    out[x.n] = 0;
    return true;
}

/* Text answers: true when handled.  The truth must be text (or a choice);
 * the claim may be text, a choice or a bare word. */
static bool cmp_text(sp t, sp c, rp_equiv_result *res)
{
    char tw[256], cw[256];
    bool tch, cch;
    bool tt = text_only(t, tw, sizeof tw, &tch);
    bool ct = text_only(c, cw, sizeof cw, &cch);
    if (!tt && ct && bare_word(t, tw, sizeof tw))
        tt = true;
    if (!tt)
        return false;
    if (!ct && !bare_word(c, cw, sizeof cw)) {
        if (!tch)
            return false; /* a text truth against math: equiv.c says why */
        differ(res, RP_CAT_ARITHMETIC, "expected choice (%s)", tw);
        return true;
    }
    if (strcmp(tw, cw) == 0)
        equal(res);
    else
        differ(res, RP_CAT_ARITHMETIC, "expected \"%s\", the claim says \"%s\"", tw, cw);
    return true;
}

/* ----------------------------------------------------------------- sets */

/* The values of a set: every truth value is among the claim's and every
 * claim value among the truth's (a value given twice counts once). */
static rp_status cmp_sets(actx *ax, const sp *t, size_t nt, const sp *c, size_t nc,
                          rp_equiv_result *res)
{
    bool tcov[AN_ITEMS] = {false}, ccov[AN_ITEMS] = {false};
    rp_status st = RP_OK;
    for (size_t i = 0; i < nt; i++)
        for (size_t j = 0; j < nc; j++) {
            if (tcov[i] && ccov[j])
                continue;
            if (same(ax, t[i], c[j], &st)) {
                tcov[i] = ccov[j] = true;
            }
            if (st != RP_OK)
                return st;
        }
    for (size_t i = 0; i < nt; i++)
        if (!tcov[i]) {
            if (nc < nt)
                differ(res, RP_CAT_WRONG_SHAPE, "%zu value%s where %zu are expected", nc,
                       nc == 1 ? "" : "s", nt);
            else
                differ(res, RP_CAT_ARITHMETIC, "the value %.*s is not in the claim",
                       (int)(t[i].n > 80 ? 80 : t[i].n), t[i].s);
            res->entries[0] = (int)i + 1;
            return RP_OK;
        }
    for (size_t j = 0; j < nc; j++)
        if (!ccov[j]) {
            differ(res, RP_CAT_ARITHMETIC, "the claim's value %.*s is not in the answer",
                   (int)(c[j].n > 80 ? 80 : c[j].n), c[j].s);
            return RP_OK;
        }
    equal(res);
    return RP_OK;
}

/* The two values of x with its \pm / \mp read as + and as - (x has one
 * kind of sign pair; \mp takes the other sign). */
static bool expand_pm(sp x, char *plus, char *minus, size_t cap)
{
    size_t op = 0, om = 0;
    bool any = false;
    for (size_t i = 0; i < x.n;) {
        bool pm = at_cmd(x, i, "\\pm"), mp = at_cmd(x, i, "\\mp");
        if (pm || mp) {
            any = true;
            bool lead = op == 0; /* "\pm 3": no sign for "+" */
            if (op + 2 >= cap || om + 2 >= cap)
                return false;
            if (!(lead && pm))
                plus[op++] = pm ? '+' : '-';
            if (!(lead && mp))
                minus[om++] = pm ? '-' : '+';
            i += 3;
            if (i < x.n && x.s[i] == ' ')
                i++;
            continue;
        }
        if (op + 2 >= cap || om + 2 >= cap)
            return false;
        plus[op++] = x.s[i];
        minus[om++] = x.s[i];
        i++;
    }
    plus[op] = minus[om] = 0;
    return any;
}

/* ------------------------------------------------------------ intervals */

typedef struct ival {
    sp lo, hi;
    bool lo_closed, hi_closed;
} ival;

static bool is_inf(sp x, int sign)
{
    x = trim(x);
    if (x.n && x.s[0] == '+') {
        x.s++;
        x.n--;
    }
    if (sign < 0) {
        if (!x.n || x.s[0] != '-')
            return false;
        x = trim((sp){x.s + 1, x.n - 1});
    }
    return at_cmd(x, 0, "\\infty") && x.n == 6;
}

/* "[a, b)" as an interval. */
static bool interval_of(sp x, ival *v)
{
    if (!an_wrapped(x) || (x.s[0] != '(' && x.s[0] != '[') ||
        (x.s[x.n - 1] != ')' && x.s[x.n - 1] != ']'))
        return false;
    sp parts[3];
    size_t n = split_top((sp){x.s + 1, x.n - 2}, sep_list, parts, 3);
    if (n != 2 || !parts[0].n || !parts[1].n)
        return false;
    v->lo = parts[0];
    v->hi = parts[1];
    v->lo_closed = x.s[0] == '[';
    v->hi_closed = x.s[x.n - 1] == ']';
    return true;
}

typedef struct rel {
    sp side[4];
    int op[3]; /* 'e' =, '<', 'l' <=, '>', 'g' >=, 'n' !=, 'i' \in, 'o' other */
    size_t n;  /* sides */
} rel;

static size_t rel_at(sp x, size_t i, int *op)
{
    static const struct {
        const char *s;
        int op;
    } rels[] = {{"\\le", 'l'},     {"\\ge", 'g'},     {"\\ne", 'n'},     {"\\in", 'i'},
                {"\\approx", 'o'}, {"\\sim", 'o'},    {"\\propto", 'o'}, {"\\to", 'o'},
                {"\\equiv", 'o'},  {"\\simeq", 'o'},  {"\\notin", 'o'},  {"\\subset", 'o'},
                {":=", 'o'}};
    char ch = x.s[i];
    if (ch == '!' && i + 1 < x.n && x.s[i + 1] == '=') {
        *op = 'n';
        return 2;
    }
    if (ch == '=' || ch == '<' || ch == '>') {
        *op = ch == '=' ? 'e' : ch;
        if (i + 1 < x.n && x.s[i + 1] == '=') {
            *op = ch == '<' ? 'l' : ch == '>' ? 'g' : 'e';
            return 2;
        }
        return 1;
    }
    for (size_t k = 0; k < sizeof rels / sizeof *rels; k++)
        if (ch == rels[k].s[0] && at_cmd(x, i, rels[k].s)) {
            *op = rels[k].op;
            return strlen(rels[k].s);
        }
    return 0;
}

/* x split at its top-level relations; false when it has none or too many. */
static bool rel_of(sp x, rel *r)
{
    r->n = 0;
    size_t start = 0;
    int d = 0;
    for (size_t i = 0, l; i < x.n; i += l) {
        int op;
        size_t k = d == 0 ? rel_at(x, i, &op) : 0;
        if (k) {
            if (r->n >= 3)
                return false;
            r->side[r->n] = trim((sp){x.s + start, i - start});
            r->op[r->n++] = op;
            start = i + k;
            l = k;
            continue;
        }
        d += an_depth_step(x, i, &l);
        if (d < 0)
            d = 0;
    }
    if (r->n == 0)
        return false;
    r->side[r->n++] = trim((sp){x.s + start, x.n - start});
    for (size_t i = 0; i < r->n; i++)
        if (!r->side[i].n)
            return false;
    return true;
}

static bool ineq_op(int op)
{
    return op == '<' || op == '>' || op == 'l' || op == 'g';
}

/* A name of a quantity rather than an expression: no sum or difference at
 * the top level and no digit outside a subscript ("AB", "\frac{NO}{BO}",
 * "(p, q)", "V_{1}:V_{2}", "f(x)"; not "2x", "a + 3z", "f(4)"). */
static bool label(sp x)
{
    if (!x.n || an_is_const(x) || x.s[0] == '-')
        return false;
    int d = 0;
    for (size_t i = 0, l; i < x.n; i += l) {
        char ch = x.s[i];
        if (ch == '_') {
            l = 1;
            if (i + 1 < x.n && x.s[i + 1] == '{') {
                int e = 0;
                size_t j = i + 1;
                for (; j < x.n; j++)
                    if (x.s[j] == '{')
                        e++;
                    else if (x.s[j] == '}' && --e == 0)
                        break;
                l = j - i + 1;
            } else if (i + 1 < x.n) {
                l = 2;
            }
            continue;
        }
        if (isdigit((unsigned char)ch) || (d == 0 && (ch == '+' || ch == '-')))
            return false;
        d += an_depth_step(x, i, &l);
    }
    return true;
}

/* The canonical symbol of x, or false. */
static bool symbol(sp x, char *out, size_t cap)
{
    return x.n && !an_is_const(x) && rp_latex_symbol_name(x.s, x.n, out, cap);
}

static const char inf_pos[] = "\\infty", inf_neg[] = "-\\infty";

/* An inequality chain in one symbol with constant bounds ("-2 \le x < 7",
 * "x > 3", "5 \ge x") as an interval; name gets the symbol. */
static bool chain_interval(const rel *r, ival *v, char *name, size_t cap)
{
    if (r->n < 2 || r->n > 3)
        return false;
    for (size_t i = 0; i + 1 < r->n; i++)
        if (!ineq_op(r->op[i]))
            return false;
    size_t k = r->n == 3 ? 1 : symbol(r->side[0], name, cap) || label(r->side[0]) ? 0 : 1;
    if (!symbol(r->side[k], name, cap)) {
        if (!label(r->side[k]))
            return false;
        snprintf(name, cap, "%.*s", (int)r->side[k].n, r->side[k].s); /* "f(x)" */
    }
    v->lo = (sp){inf_neg, strlen(inf_neg)};
    v->hi = (sp){inf_pos, strlen(inf_pos)};
    v->lo_closed = v->hi_closed = false;
    for (size_t i = 0; i + 1 < r->n; i++) {
        /* side i op side i+1, with the symbol on one of them */
        bool sym_left = i == k;
        sp other = r->side[sym_left ? i + 1 : i];
        if (!an_is_const(other))
            return false;
        int op = r->op[i];
        bool less = op == '<' || op == 'l'; /* left < right */
        bool closed = op == 'l' || op == 'g';
        bool upper = sym_left ? less : !less; /* other bounds the symbol from above */
        if (upper) {
            v->hi = other;
            v->hi_closed = closed;
        } else {
            v->lo = other;
            v->lo_closed = closed;
        }
    }
    if (r->n == 3) {
        int a = r->op[0], b = r->op[1];
        bool la = a == '<' || a == 'l', lb = b == '<' || b == 'l';
        if (la != lb)
            return false; /* "1 < x > 3" is no interval */
    }
    return true;
}

/* x as a union of intervals ("[0,1) \cup (2, \infty)", "x \in [a,b]",
 * "-2 \le x \le 7").  evidence: written in a way only intervals are
 * (mixed brackets, an infinite end, \cup, \in, an inequality). */
static size_t intervals_of(sp x, ival *v, size_t cap, char *name, size_t ncap, bool *evidence)
{
    name[0] = 0;
    *evidence = false;
    rel r;
    if (rel_of(x, &r)) {
        if (r.n == 2 && r.op[0] == 'i') {
            if (!symbol(r.side[0], name, ncap))
                return 0;
            x = r.side[1];
            *evidence = true;
        } else if (chain_interval(&r, &v[0], name, ncap)) {
            *evidence = true;
            return 1;
        } else {
            return 0;
        }
    }
    sp parts[AN_ITEMS];
    size_t n = split_top(x, sep_cup, parts, cap < AN_ITEMS ? cap : AN_ITEMS);
    if (n > 1)
        *evidence = true;
    for (size_t i = 0; i < n; i++) {
        if (!interval_of(parts[i], &v[i]))
            return 0;
        if (v[i].lo_closed != v[i].hi_closed || is_inf(v[i].lo, -1) || is_inf(v[i].hi, 1))
            *evidence = true;
    }
    return n;
}

static bool plain_number(sp x, double *v);

/* A whole number written with digits only (and a sign). */
static bool whole_number(sp x, double *v)
{
    for (size_t i = 0; i < x.n; i++)
        if (!isdigit((unsigned char)x.s[i]) && !(i == 0 && x.s[i] == '-'))
            return false;
    return x.n > 0 && x.n < 16 && plain_number(x, v);
}

static bool plain_number(sp x, double *v)
{
    char buf[64];
    if (!x.n || x.n >= sizeof buf)
        return false;
    memcpy(buf, x.s, x.n);
    buf[x.n] = 0;
    char *end;
    *v = strtod(buf, &end);
    return *end == 0;
}

/* Intervals: true when handled. */
static bool cmp_intervals(actx *ax, sp t, sp c, rp_equiv_result *res, rp_status *st)
{
    ival tv[AN_ITEMS], cv[AN_ITEMS];
    char tn[96], cn[96];
    bool te, ce;
    size_t nt = intervals_of(t, tv, AN_ITEMS, tn, sizeof tn, &te);
    if (!nt)
        return false;
    size_t nc = intervals_of(c, cv, AN_ITEMS, cn, sizeof cn, &ce);
    if (!te && !ce) {
        /* "(1, 2)" against "[1, 2]": a point and a vector, or two
         * intervals.  Two increasing numbers with different ends are read
         * as intervals (a shape such as [64, 10] is not increasing). */
        double a, b;
        if (nt != 1 || nc != 1 || !plain_number(tv[0].lo, &a) || !plain_number(tv[0].hi, &b) ||
            !(a < b) || (tv[0].lo_closed == cv[0].lo_closed && tv[0].hi_closed == cv[0].hi_closed))
            return false;
    }
    if (!nc) {
        rel r;
        /* an inequality the claim writes otherwise ("-x > -1"), or a value
         * for a bound (equiv.c decides): only interval notation demands one */
        if (!te || rel_of(c, &r) || !an_wrapped(t))
            return false;
        differ(res, RP_CAT_WRONG_SHAPE, "an interval is expected");
        return true;
    }
    if (tn[0] && cn[0] && strcmp(tn, cn) != 0) {
        differ(res, RP_CAT_ARITHMETIC, "the interval is of %s, not %s", tn, cn);
        return true;
    }
    if (nt != nc) {
        differ(res, RP_CAT_WRONG_SHAPE, "%zu intervals where %zu are expected", nc, nt);
        return true;
    }
    /* two inequalities that differ: a wrong bound (strictness, direction) */
    rel rt, rc;
    bool ineq_t = rel_of(t, &rt) && rt.op[0] != 'i', ineq_c = rel_of(c, &rc) && rc.op[0] != 'i';
    rp_category cat = ineq_t && ineq_c ? RP_CAT_INEQUALITY : RP_CAT_ARITHMETIC;
    bool used[AN_ITEMS] = {false};
    for (size_t i = 0; i < nt; i++) {
        bool found = false, ends_only = false;
        for (size_t j = 0; j < nc && !found; j++) {
            if (used[j])
                continue;
            bool lo = (is_inf(tv[i].lo, -1) && is_inf(cv[j].lo, -1)) || same(ax, tv[i].lo, cv[j].lo, st);
            if (*st)
                return true;
            bool hi = lo && ((is_inf(tv[i].hi, 1) && is_inf(cv[j].hi, 1)) || same(ax, tv[i].hi, cv[j].hi, st));
            if (*st)
                return true;
            if (lo && hi && tv[i].lo_closed == cv[j].lo_closed && tv[i].hi_closed == cv[j].hi_closed) {
                used[j] = found = true;
            } else if (lo && hi) {
                ends_only = true;
            }
        }
        if (!found) {
            if (ends_only)
                differ(res, cat, "an end of the interval is open where it is closed, or closed where it is open");
            else
                differ(res, cat, "the interval from %.*s to %.*s is not in the claim",
                       (int)(tv[i].lo.n > 60 ? 60 : tv[i].lo.n), tv[i].lo.s,
                       (int)(tv[i].hi.n > 60 ? 60 : tv[i].hi.n), tv[i].hi.s);
            return true;
        }
    }
    equal(res);
    return true;
}

/* ---------------------------------------------------------------- ratios */

static size_t sep_colon(sp x, size_t i)
{
    return x.s[i] == ':' && (i + 1 >= x.n || x.s[i + 1] != '=') ? 1 : 0;
}

/* A time of day "h:mm" (one or two digits, then minutes 00 to 59). */
static bool clock_time(const sp *p)
{
    return p[0].n >= 1 && p[0].n <= 2 && p[1].n == 2 && is_digit((unsigned char)p[0].s[0]) &&
           is_digit((unsigned char)p[0].s[p[0].n - 1]) && p[1].s[0] >= '0' && p[1].s[0] <= '5' &&
           is_digit((unsigned char)p[1].s[1]);
}

/* Ratios "a:b" of constants: equal when a/b is the claim's c/d ("3:4" is
 * "6:8"); a time "12:30" only as the same time.  True when handled. */
static bool cmp_ratio(actx *ax, sp t, sp c, rp_equiv_result *res, rp_status *st)
{
    sp tp[3], cp[3];
    if (split_top(t, sep_colon, tp, 3) != 2 || !an_is_const(tp[0]) || !an_is_const(tp[1]))
        return false;
    size_t nc = split_top(c, sep_colon, cp, 3);
    if (nc == 1 && an_is_const(c)) { /* 3:4 given as 0.75 */
        cp[0] = c;
        cp[1] = (sp){"1", 1};
    } else if (nc != 2 || !an_is_const(cp[0]) || !an_is_const(cp[1])) {
        return false;
    }
    /* two times: the same time (a ratio 12:30 is also 24:60) */
    if (clock_time(tp) && nc == 2 && clock_time(cp)) {
        bool h = same(ax, tp[0], cp[0], st), m = !*st && same(ax, tp[1], cp[1], st);
        if (!*st && h && m)
            equal(res);
        else if (!*st)
            differ(res, RP_CAT_ARITHMETIC, "another time");
        return true;
    }
    char a[AN_CAP + 16], b[AN_CAP + 16];
    int wa = snprintf(a, sizeof a, "\\frac{%.*s}{%.*s}", (int)tp[0].n, tp[0].s, (int)tp[1].n, tp[1].s);
    int wb = snprintf(b, sizeof b, "\\frac{%.*s}{%.*s}", (int)cp[0].n, cp[0].s, (int)cp[1].n, cp[1].s);
    if (wa < 0 || (size_t)wa >= sizeof a || wb < 0 || (size_t)wb >= sizeof b)
        return false;
    *st = cmp_built(ax, a, b, res);
    if (!*st && res->verdict == RP_EQUIV_DIFFERENT)
        differ(res, RP_CAT_ARITHMETIC, "the ratio differs");
    return true;
}

/* ------------------------------------------------------------ relations */

/* The difference "(a)-(b)" into out. */
static bool diff_of(sp a, sp b, char *out, size_t cap)
{
    int w = snprintf(out, cap, "(%.*s)-(%.*s)", (int)a.n, a.s, (int)b.n, b.s);
    return w > 0 && (size_t)w < cap;
}

/* g with g > 0 (or >= 0) for "a op b". */
static bool positive_form(sp a, int op, sp b, char *out, size_t cap, bool *strict)
{
    *strict = op == '<' || op == '>';
    return op == '<' || op == 'l' ? diff_of(b, a, out, cap) : diff_of(a, b, out, cap);
}

/* Is the claim's form k times the truth's (k a nonzero constant, k > 0
 * when positive)? */
static bool multiple(actx *ax, const char *tf, const char *cf, bool positive, rp_status *st)
{
    rp_equiv_result r;
    *st = cmp_built(ax, tf, cf, &r);
    if (*st)
        return false;
    if (r.verdict == RP_EQUIV_EQUAL)
        return true;
    if (r.verdict != RP_EQUIV_DIFFERENT)
        return false;
    if (r.category == RP_CAT_SIGN_ERROR)
        return !positive;
    return r.category == RP_CAT_WRONG_FACTOR && r.const_factor && isfinite(r.const_k) &&
           r.const_k != 0 && (!positive || r.const_k > 0);
}

#define AN_ROOT (3 * AN_CAP + 256)

/* Is the text s the same as u (cmp_any)? */
static bool same_text(actx *ax, const char *s, const char *u, rp_status *st)
{
    return same(ax, (sp){s, strlen(s)}, (sp){u, strlen(u)}, st);
}

/* The equations tf = 0 and cf = 0 have the same solutions: both are
 * affine in a symbol they share and give it the same value (answer_rel.c
 * says why that suffices). */
static bool same_solutions(actx *ax, const char *tf, const char *cf, rp_status *st)
{
    char names[4][64];
    size_t n = an_rel_symbols((sp){tf, strlen(tf)}, names, 4);
    /* large for the stack; one comparison at a time per thread (busy) */
    static _Thread_local char rt[AN_ROOT], t1[AN_ROOT], t2[AN_ROOT], rc[AN_ROOT], c1[AN_ROOT],
        c2[AN_ROOT];
    static _Thread_local bool busy;
    if (busy)
        return false;
    busy = true;
    bool found = false;
    for (size_t k = 0; k < n && !*st && !found; k++) {
        if (!an_rel_solved((sp){tf, strlen(tf)}, names[k], rt, t1, t2, AN_ROOT) ||
            !an_rel_solved((sp){cf, strlen(cf)}, names[k], rc, c1, c2, AN_ROOT))
            continue;
        found = same_text(ax, t2, t1, st) && same_text(ax, c2, c1, st) && same_text(ax, rt, rc, st);
    }
    busy = false;
    return found;
}

/* Relations: true when handled (res filled), false to compare values. */
static bool cmp_relations(actx *ax, sp t, sp c, rp_equiv_result *res, rp_status *st)
{
    rel rt, rc;
    bool ht = rel_of(t, &rt), hc = rel_of(c, &rc);
    /* "x \neq 2" is never "x = 2" nor 2 */
    bool tne = ht && rt.n == 2 && rt.op[0] == 'n', cne = hc && rc.n == 2 && rc.op[0] == 'n';
    if (tne != cne) {
        differ(res, RP_CAT_ARITHMETIC, tne ? "an equality where \\neq is expected"
                                           : "\\neq where an equality or a value is expected");
        return true;
    }
    if (!ht)
        return false;
    for (size_t i = 0; i + 1 < rt.n; i++)
        if (rt.op[i] == 'o' || rt.op[i] == 'i' || rt.op[i] == 'n')
            return false;
    if (hc)
        for (size_t i = 0; i + 1 < rc.n; i++)
            if (rc.op[i] == 'o' || rc.op[i] == 'i' || rc.op[i] == 'n')
                return false;
    char tf[AN_CAP + 8], cf[AN_CAP + 8];
    char ts[96], cs[96];
    bool t_eq = rt.n == 2 && rt.op[0] == 'e';
    bool c_eq = hc && rc.n == 2 && rc.op[0] == 'e';
    if (t_eq) {
        sp L = rt.side[0], R = rt.side[1];
        bool tsym = symbol(L, ts, sizeof ts);
        /* "3 + 4 = 7" is a computation, "\frac{1}{2} = c" names its value */
        if ((an_is_const(L) && an_is_const(R)) || symbol(R, cs, sizeof cs))
            return false;
        if (!c_eq) {
            /* "x = 5", "AB = 4", "(p, q) = (3, 2)": the value of a name */
            if (tsym || hc)
                return false;
            if (label(L)) {
                *st = cmp_any(ax, R, c, res);
                return true;
            }
            differ(res, RP_CAT_WRONG_SHAPE, "a value where an equation is expected");
            return true;
        }
        bool csym = symbol(rc.side[0], cs, sizeof cs);
        if (tsym && csym && strcmp(ts, cs) == 0)
            return false; /* the same name defined: equiv.c compares the values */
        if (eq_sp(L, rc.side[0])) {
            *st = cmp_any(ax, R, rc.side[1], res);
            return true;
        }
        if (!diff_of(rt.side[0], rt.side[1], tf, sizeof tf) ||
            !diff_of(rc.side[0], rc.side[1], cf, sizeof cf))
            return false;
        if (multiple(ax, tf, cf, false, st) || (!*st && same_solutions(ax, tf, cf, st)))
            equal(res);
        else if (!*st)
            differ(res, RP_CAT_ARITHMETIC, "the equations differ (not a multiple of each other)");
        return true;
    }
    /* one inequality each */
    if (rt.n != 2 || !ineq_op(rt.op[0]) || !hc || rc.n != 2 || !ineq_op(rc.op[0]))
        return false;
    bool s1, s2;
    if (!positive_form(rt.side[0], rt.op[0], rt.side[1], tf, sizeof tf, &s1) ||
        !positive_form(rc.side[0], rc.op[0], rc.side[1], cf, sizeof cf, &s2))
        return false;
    if (multiple(ax, tf, cf, true, st)) {
        if (s1 == s2)
            equal(res);
        else
            differ(res, RP_CAT_INEQUALITY, "%s inequality where a %s one is expected",
                   s2 ? "a strict" : "a non-strict", s1 ? "strict" : "non-strict");
        return true;
    }
    if (*st)
        return true;
    /* the same left side: equiv.c compares the bounds and their direction */
    if (eq_sp(rt.side[0], rc.side[0]))
        return false;
    differ(res, RP_CAT_INEQUALITY, "the inequalities differ");
    return true;
}

/* ---------------------------------------------------------------- units */

/* Units: true when handled. */
static bool cmp_units(actx *ax, sp t, sp c, rp_equiv_result *res, rp_status *st)
{
    sp tv = t, cv = c;
    unit tu, cu;
    bool ht = an_unit_of(t, &tv, &tu), hc = an_unit_of(c, &cv, &cu);
    if (!ht && !hc)
        return false;
    char a[AN_CAP + 32], b[AN_CAP + 32];
    bool eq = same(ax, tv, cv, st);
    if (*st)
        return true;
    if (!eq && (tu.percent || cu.percent)) {
        /* 10\% is 0.1 */
        bool scale_t = tu.percent && !cu.percent;
        snprintf(a, sizeof a, "\\frac{%.*s}{100}", (int)(scale_t ? tv.n : cv.n), scale_t ? tv.s : cv.s);
        eq = same(ax, scale_t ? (sp){a, strlen(a)} : tv, scale_t ? cv : (sp){a, strlen(a)}, st);
    }
    if (!eq && tu.degree != cu.degree) {
        /* 90^\circ is \frac{\pi}{2} */
        sp d = tu.degree ? tv : cv;
        snprintf(a, sizeof a, "\\frac{(%.*s)\\pi}{180}", (int)d.n, d.s);
        eq = same(ax, tu.degree ? (sp){a, strlen(a)} : tv, tu.degree ? cv : (sp){a, strlen(a)}, st);
    }
    if (*st)
        return true;
    char nt[AN_CAP], nc[AN_CAP];
    an_unit_norm(tu.name, nt, sizeof nt);
    an_unit_norm(cu.name, nc, sizeof nc);
    if (nt[0] && nc[0] && strcmp(nt, nc) != 0) {
        /* Units that differ convert only when every factor is known and the
         * dimensions agree; otherwise (or when the number is right as
         * written) the value is in the wrong unit, never compared bare. */
        int dt[4], dc[4];
        double st_, sc;
        bool kt = an_unit_dims(tu.name, dt, &st_), kc = an_unit_dims(cu.name, dc, &sc);
        if (kt && kc && memcmp(dt, dc, sizeof dt) == 0) {
            snprintf(b, sizeof b, "(%.*s) \\cdot %.17g", (int)tv.n, tv.s, st_ / sc);
            bool conv = same(ax, (sp){b, strlen(b)}, cv, st);
            if (*st)
                return true;
            if (conv) {
                equal(res);
                return true;
            }
            if (!eq) {
                /* the truth in the claim's unit, compared with the claim */
                *st = cmp_any(ax, (sp){b, strlen(b)}, cv, res);
                return true;
            }
        }
        differ(res, RP_CAT_WRONG_UNIT, "the value in %s where %s is expected", cu.name, tu.name);
        return true;
    }
    if (eq) {
        equal(res);
        if (ax->o->strict_units && tu.name[0] && !cu.name[0]) {
            differ(res, RP_CAT_WRONG_UNIT, "the unit (%s) is missing", tu.name);
        } else if (tu.name[0] && !cu.name[0]) {
            snprintf(res->note, sizeof res->note, "the unit (%s) left out", tu.name);
        }
        return true;
    }
    *st = cmp_any(ax, tv, cv, res);
    return true;
}

/* ----------------------------------------------------------------- main */

static rp_status plain(actx *ax, sp t, sp c, rp_equiv_result *res)
{
    return ex_equiv_value(ax->c, ax->cache, t.s, t.n, c.s, c.n, ax->o, res);
}

/* x with its number written with comma thousands or a decimal comma
 * ("1,250", "\$1,250.50", "0,375") spelled plainly into out. */
static bool comma_number(sp x, char *out, size_t cap)
{
    sp v;
    unit u;
    if (!an_unit_of(x, &v, &u))
        v = x;
    char num[64];
    if (!an_plain_thousands(v, num, sizeof num) && !an_decimal_comma(v, num, sizeof num))
        return false;
    int w = snprintf(out, cap, "%.*s%s%.*s", (int)(v.s - x.s), x.s, num,
                     (int)(x.s + x.n - (v.s + v.n)), v.s + v.n);
    return w > 0 && (size_t)w < cap;
}

/* Items with \pm become two items (their text in pool); false when they
 * do not fit. */
static bool expand_items(sp *items, size_t *n, char *pool, size_t cap)
{
    size_t used = 0, m = *n;
    for (size_t i = 0; i < m; i++) {
        size_t room = items[i].n + 8;
        char *p = pool + used, *q = pool + used + room;
        if (used + 2 * room > cap || !expand_pm(items[i], p, q, room))
            continue;
        if (*n >= AN_ITEMS)
            return false;
        items[i] = (sp){p, strlen(p)};
        items[(*n)++] = (sp){q, strlen(q)};
        used += 2 * room;
    }
    return true;
}

/* The values of a list side (its items; a \{...\} set's items); 1 when it
 * is not a list.  set: written as a set (\{\} or a bare list). */
static size_t list_items(sp x, sp *items, bool *set)
{
    *set = false;
    if (x.n >= 4 && at(x, 0, "\\{") && x.s[x.n - 2] == '\\' && x.s[x.n - 1] == '}' && an_wrapped(x)) {
        *set = true;
        return split_top(trim((sp){x.s + 2, x.n - 4}), sep_list, items, AN_ITEMS);
    }
    size_t n = split_top(x, sep_semicolon, items, AN_ITEMS);
    bool commas = false;
    for (size_t i = 0; i < n && !commas; i++) {
        sp inner[2];
        commas = split_top(items[i], sep_list, inner, 2) != 1; /* 0: more than fit */
    }
    if (n < 2 || !commas)
        n = split_top(x, sep_list, items, AN_ITEMS);
    if (n > 1)
        *set = true;
    return n;
}

static rp_status cmp_any(actx *ax, sp t0, sp c0, rp_equiv_result *res)
{
    char tb[AN_CAP], cb[AN_CAP];
    size_t tn, cn;
    bool tsem, csem;
    if (--ax->budget < 0) {
        memset(res, 0, sizeof *res);
        res->verdict = RP_EQUIV_ERROR;
        snprintf(res->error, sizeof res->error, "more than %d values to compare", AN_BUDGET);
        return RP_OK;
    }
    if (ax->depth > AN_DEPTH || t0.n >= AN_CAP || c0.n >= AN_CAP ||
        !an_normalise(t0, tb, sizeof tb, &tn, &tsem) || !an_normalise(c0, cb, sizeof cb, &cn, &csem))
        return plain(ax, t0, c0, res);
    sp t = {tb, tn}, c = {cb, cn};
    if (tsem)
        t0 = t;
    if (csem)
        c0 = c;
    if (tn > 0 && tn == cn && memcmp(tb, cb, tn) == 0) {
        equal(res);
        return RP_OK;
    }
    ax->depth++;
    rp_status st = RP_OK;
    if (cmp_text(t, c, res))
        goto done;
    /* a list or a set of values; \pm gives two */
    sp ti[AN_ITEMS], ci[AN_ITEMS];
    bool tset, cset;
    size_t nt = list_items(t, ti, &tset);
    size_t nc = list_items(c, ci, &cset);
    char tp[AN_CAP], tm[AN_CAP], cp[AN_CAP], cm[AN_CAP];
    if (nt == 1 && expand_pm(t, tp, tm, sizeof tp)) {
        ti[0] = (sp){tp, strlen(tp)};
        ti[1] = (sp){tm, strlen(tm)};
        nt = 2;
        tset = true;
    }
    if (nt == 2 && nc == 1 && expand_pm(c, cp, cm, sizeof cp)) {
        ci[0] = (sp){cp, strlen(cp)};
        ci[1] = (sp){cm, strlen(cm)};
        nc = 2;
    }
    char tnum[AN_CAP], cnum[AN_CAP];
    /* a number with comma thousands or a decimal comma against one value */
    if (nt > 1 && nc == 1 && comma_number(t, tnum, sizeof tnum)) {
        st = cmp_any(ax, (sp){tnum, strlen(tnum)}, c, res);
        goto done;
    }
    if (nt == 1 && nc > 1 && comma_number(c, cnum, sizeof cnum)) {
        st = cmp_any(ax, t, (sp){cnum, strlen(cnum)}, res);
        goto done;
    }
    if (nt > 1 && tset) {
        /* a tuple claim "(1, -2)" for the set "1, -2" (of numbers, not points) */
        bool points = false;
        for (size_t i = 0; i < nt; i++)
            points = points || an_wrapped(ti[i]);
        if (nc == 1 && !points && an_wrapped(c) && (c.s[0] == '(' || c.s[0] == '['))
            nc = split_top((sp){c.s + 1, c.n - 2}, sep_list, ci, AN_ITEMS);
        char tpool[AN_CAP], cpool[AN_CAP];
        if (!expand_items(ti, &nt, tpool, sizeof tpool) ||
            !expand_items(ci, &nc, cpool, sizeof cpool)) {
            st = plain(ax, t0, c0, res);
            goto done;
        }
        st = cmp_sets(ax, ti, nt, ci, nc, res);
        goto done;
    }
    if (cmp_ratio(ax, t, c, res, &st))
        goto done;
    if (cmp_intervals(ax, t, c, res, &st))
        goto done;
    if (cmp_units(ax, t, c, res, &st))
        goto done;
    if (cmp_relations(ax, t, c, res, &st))
        goto done;
    sp tv = an_number_form(t, tnum, sizeof tnum, false), cv = an_number_form(c, cnum, sizeof cnum, false);
    if (tv.s != t.s || cv.s != c.s) {
        st = cmp_any(ax, tv, cv, res);
        goto done;
    }
    /* two whole numbers are equal only as the same number (a relative
     * tolerance would make 3456789 equal 3456788) */
    double a, b;
    if (whole_number(t, &a) && whole_number(c, &b) && a != b) {
        st = plain(ax, t0, c0, res);
        if (st == RP_OK && res->verdict == RP_EQUIV_EQUAL)
            differ(res, RP_CAT_ARITHMETIC, "expected %.*s, the claim gives %.*s", (int)t.n, t.s,
                   (int)c.n, c.s);
        goto done;
    }
    /* nothing of these formats: equiv.c compares the sides as written */
    st = plain(ax, t0, c0, res);
done:
    ax->depth--;
    return st;
}

/* What needs_answer() does at a character: 0 pass over it, 1 the side
 * needs answer.c (";", "%", "$", "~", ":", any byte of UTF-8), 2 look
 * closer. */
static unsigned char stop_class(unsigned char ch)
{
    static const unsigned char cls[128] = {
        [';'] = 1, ['%'] = 1, ['$'] = 1, ['~'] = 1, [':'] = 1, [','] = 2, ['='] = 2, ['<'] = 2,
        ['>'] = 2, ['('] = 2, ['{'] = 2, ['}'] = 2, ['\\'] = 2, [' '] = 2, ['o'] = 2, ['a'] = 2,
        [')'] = 2, ['['] = 2, [']'] = 2, ['!'] = 2};
    return ch >= 0x80 ? 1 : cls[ch];
}

/* Where the environment begun just before from ends: the offset after the
 * name of its matching \end ("\end{cases}"); 0 when it does not end. */
static size_t env_end(sp x, size_t from)
{
    int depth = 1;
    for (const char *p = x.s + from; (p = memchr(p, '\\', (size_t)(x.s + x.n - p))) != NULL;) {
        size_t i = (size_t)(p - x.s);
        if (at(x, i, "\\begin")) {
            depth++;
        } else if (at(x, i, "\\end") && --depth == 0) {
            const char *close = memchr(p, '}', (size_t)(x.s + x.n - p));
            return close ? (size_t)(close - x.s) + 1 : 0;
        }
        p++;
    }
    return 0;
}

/* Is the command name s[0..n) one answer.c reads?  Relations count when
 * relations (the truth, outside braces and environments); \text boxes unless
 * they are a subscript's. */
static bool command_read(const char *s, size_t n, bool relations, bool in_sub)
{
#define IS(lit) (n == sizeof(lit) - 1 && memcmp(s, lit, n) == 0)
    switch (s[0]) {
    case 'p': return IS("pm");
    case 'm': return IS("mp") || IS("mbox") || IS("mathrm");
    case 'c': return IS("cup") || IS("circ");
    case 'i': return IS("in") || IS("infty");
    case 't':
        return IS("tfrac") || (!in_sub && (IS("text") || IS("textbf") || IS("textrm") ||
                                            IS("textnormal")));
    case 'o': return IS("overline");
    case 'd': return IS("dot") || IS("degree") || IS("dfrac");
    case 'e': return IS("euro");
    case 'l': return IS("lbrace") || (relations && (IS("le") || IS("leq") || IS("lt") || IS("leqslant")));
    case 'g': return relations && (IS("ge") || IS("geq") || IS("gt") || IS("geqslant"));
    case 'n': return IS("ne") || IS("neq"); /* a claim "x \\neq 2" is no value */
    case '{':
    case '%':
    case '$':
    case ',':
    case '!':
    case ' ':
        return n == 1;
    default: return false;
    }
#undef IS
}

/* Does x hold anything this file reads (one pass; most expressions of
 * the deep-learning homework hold none and go straight to equiv.c)?  A
 * relation matters in the truth only (a claim "c = ..." for a value is
 * equiv.c's), and outside braces and environments (\sum_{i=1}, cases);
 * \text inside a subscript (p_{\text{out}}) is a name. */
static bool needs_answer(sp x, bool relations)
{
    int sub = 0;        /* depth of braces opened by a subscript */
    int d = 0, env = 0; /* brace depth; \begin ... \end depth */
    char open[16];      /* the ( and [ open (a tuple's commas are equiv.c's) */
    int nopen = 0;
    for (size_t i = 0; i < x.n; i++) {
        unsigned char ch = (unsigned char)x.s[i];
        unsigned char k = stop_class(ch);
        if (k == 0)
            continue;
        if (k == 1)
            return true;
        if (ch == ',') {
            if (nopen == 0 && d == 0 && env == 0)
                return true; /* a list, or "1,000" */
            continue;
        }
        if (ch == '(' || ch == '[') {
            if (nopen < 16)
                open[nopen] = (char)ch;
            nopen++;
        } else if (ch == ')' || ch == ']') {
            /* "[0, 9)": an interval */
            if (nopen > 0 && nopen <= 16 && open[nopen - 1] != (ch == ')' ? '(' : '['))
                return true;
            if (nopen > 0)
                nopen--;
            continue;
        }
        bool after_digit = i > 0 && is_digit((unsigned char)x.s[i - 1]);
        switch (ch) {
        case '=':
        case '<':
        case '>':
            if (relations && env == 0 && d == 0)
                return true;
            continue;
        case '(': /* a choice "(C)" */
            if (i + 2 < x.n && x.s[i + 1] >= 'A' && x.s[i + 1] <= 'Z' && x.s[i + 2] == ')')
                return true;
            continue;
        case '{':
            d++;
            if (i > 0 && x.s[i - 1] == '_' && !sub)
                sub = d;
            continue;
        case '}':
            if (sub == d)
                sub = 0;
            d--;
            continue;
        case '!': /* "x != 2" */
            if (i + 1 < x.n && x.s[i + 1] == '=')
                return true;
            continue;
        case ' ': /* "1 000" */
            if (after_digit && i + 1 < x.n && is_digit((unsigned char)x.s[i + 1]))
                return true;
            continue;
        case 'o': /* words between values: "x = 1 or x = 2" */
        case 'a':
            if ((i == 0 || (!is_alpha((unsigned char)x.s[i - 1]) && x.s[i - 1] != '\\')) &&
                (at(x, i, "or") || at(x, i, "and")))
                return true;
            continue;
        default:
            break;
        }
        /* a command */
        if (i + 1 >= x.n)
            continue;
        if (x.s[i + 1] == '\\' && i + 2 < x.n && is_alpha((unsigned char)x.s[i + 2]))
            return true; /* an escaped "\\frac" */
        if (after_digit && at(x, i, "\\frac"))
            return true; /* a mixed number "2\frac{1}{2}" */
        size_t j = i + 1;
        while (j < x.n && is_alpha((unsigned char)x.s[j]))
            j++;
        if (j == i + 1)
            j++;
        size_t n = j - i - 1;
        if (n == 5 && memcmp(x.s + i + 1, "begin", 5) == 0) {
            /* a matrix or cases is equiv.c's: pass over it to its \end */
            size_t e = env_end(x, j);
            if (e) {
                i = e - 1;
                continue;
            }
            env++;
        } else if (n == 3 && memcmp(x.s + i + 1, "end", 3) == 0 && env > 0) {
            env--;
        }
        /* spacing is a thousands separator only after a digit */
        if (n == 1 && strchr(",! ", x.s[i + 1]) && !after_digit) {
            i = j - 1;
            continue;
        }
        if (command_read(x.s + i + 1, n, relations && !env && !d, sub > 0))
            return true;
        i = j - 1;
    }
    return false;
}

rp_status ex_answer_run(ectx *c, ex_cache *cache, const char *truth, size_t truth_len,
                        const char *claim, size_t claim_len, const rp_equiv_opts *opts,
                        rp_equiv_result *res)
{
    rp_equiv_opts defaults;
    memset(&defaults, 0, sizeof defaults);
    actx ax = {c, cache, opts ? opts : &defaults, 0, AN_BUDGET};
    memset(res, 0, sizeof *res);
    sp t = {truth ? truth : "", truth ? truth_len : 0};
    sp cl = {claim ? claim : "", claim ? claim_len : 0};
    if (t.n > 0 && eq_sp(t, cl)) {
        equal(res);
        return RP_OK;
    }
    /* "(1, 2)" against "[1, 2]": a point or an interval (cmp_intervals) */
    bool brackets = t.n && cl.n && (t.s[0] == '(' || t.s[0] == '[') &&
                    (cl.s[0] == '(' || cl.s[0] == '[') && t.s[0] != cl.s[0];
    /* a claim's relation matters where the truth may be an interval */
    bool interval = t.n && (t.s[0] == '(' || t.s[0] == '[');
    if (!brackets && !needs_answer(t, true) && !needs_answer(cl, interval))
        return plain(&ax, t, cl, res);
    return cmp_any(&ax, t, cl, res);
}
