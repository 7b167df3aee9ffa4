/*
 * LaTeX parser: recursive descent from the token stream of lex.c to the
 * expression tree of redpen/latex.h.
 *
 * Grammar (loosest first):
 *   list     := rel (',' rel)*                      -> TUPLE when commas
 *   rel      := add (relop add)*                    -> REL chain
 *   add      := term (('+'|'-'|'\pm') term)*
 *   term     := unary (('\cdot'|'\times'|'*'|'/'|'\div') unary | postfix)*
 *   unary    := ('-'|'+') unary | postfix
 *   postfix  := atom ('^' sup | '_' sub | '!' | "'" | '²' | 'ᵀ' | '\%')*
 *   atom     := number | symbol | group | \frac | \sqrt | function | |x|
 *             | \|x\| | floor/ceil | O(.) | \sum | environment | \text{}
 * Words (\text{ time}, "operations") parse to TEXT nodes that products
 * drop.  Every recursion passes through list or unary, which count depth.
 * The file is longer than 1,300 lines because the productions above call
 * one another: kept together, the grammar reads in one place.
 */
#include "latex_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LIST 4096 /* entries of one list, chain or matrix */
#define NAME_CAP 256

typedef struct P {
    rp_arena *a;
    const char *s;
    size_t lim; /* end of the range being parsed */
    tok cur;
    int depth;
    rp_latex_error *err;
    bool failed;
    bool nomem;
    bool grid;    /* & and \\ are tokens (matrix, cases) */
    bool in_cond; /* parsing a condition of a cases row */
    int abs_depth, norm_depth;
} P;

typedef rp_latex_node node;

static node *parse_list(P *p);
static node *parse_rel(P *p);
static node *parse_term(P *p);
static node *parse_unary(P *p);
static node *parse_postfix(P *p);
static node *parse_atom(P *p);

/* ------------------------------------------------------------ helpers */

static void next(P *p)
{
    for (;;) {
        rp_lx_lex(p->s, p->lim, p->cur.end, &p->cur);
        if (!p->grid && ((p->cur.t == TK_CHAR && p->cur.c == '&') ||
                         p->cur.t == TK_ROWSEP))
            continue;
        return;
    }
}

static void seek(P *p, size_t pos)
{
    p->cur.end = pos;
    next(p);
}

static void describe(const P *p, char *out, size_t cap)
{
    const tok *t = &p->cur;
    switch (t->t) {
    case TK_END: snprintf(out, cap, "end of input"); break;
    case TK_CMD: snprintf(out, cap, "'\\%.*s'", (int)(t->n > 30 ? 30 : t->n), t->s); break;
    case TK_ROWSEP: snprintf(out, cap, "'\\\\'"); break;
    case TK_NUM: snprintf(out, cap, "number"); break;
    default: snprintf(out, cap, "'%.*s'", (int)(t->end - t->pos > 8 ? 8 : t->end - t->pos),
                      p->s + t->pos);
    }
}

static node *fail(P *p, size_t pos, const char *fmt, ...) RP_PRINTF(3, 4);
static node *fail(P *p, size_t pos, const char *fmt, ...)
{
    if (!p->failed && p->err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(p->err->msg, sizeof p->err->msg, fmt, ap);
        va_end(ap);
        p->err->pos = pos;
    }
    p->failed = true;
    return NULL;
}

static node *fail_here(P *p, const char *what)
{
    char d[48];
    describe(p, d, sizeof d);
    return fail(p, p->cur.pos, "%s at %s", what, d);
}

static node *mk(P *p, rp_latex_kind k, size_t pos, size_t end, size_t nk)
{
    node *x = rp_arena_alloc(p->a, sizeof *x);
    if (x && nk) {
        x->kid = rp_arena_alloc(p->a, nk * sizeof *x->kid);
        if (!x->kid)
            x = NULL;
    }
    if (!x) {
        p->nomem = true;
        return fail(p, pos, "out of memory");
    }
    x->kind = k;
    x->pos = pos;
    x->len = end > pos ? end - pos : 0;
    x->n_kid = nk;
    return x;
}

/* Record the height of x from its children; fail when too tall. */
static node *fix_height(P *p, node *x)
{
    if (!x)
        return NULL;
    int h = 0;
    for (size_t i = 0; i < x->n_kid; i++)
        if (x->kid[i] && x->kid[i]->height > h)
            h = x->kid[i]->height;
    x->height = h + 1;
    if (x->height > RP_LATEX_MAX_TREE)
        return fail(p, x->pos, "expression nested deeper than %d", RP_LATEX_MAX_TREE);
    return x;
}

static node *mk1(P *p, rp_latex_kind k, node *a, size_t pos, size_t end)
{
    if (!a)
        return NULL;
    node *x = mk(p, k, pos, end, 1);
    if (x)
        x->kid[0] = a;
    return fix_height(p, x);
}

static node *mk2(P *p, rp_latex_kind k, node *a, node *b)
{
    if (!a || !b)
        return NULL;
    size_t end = b->pos + b->len > a->pos + a->len ? b->pos + b->len : a->pos + a->len;
    node *x = mk(p, k, a->pos, end, 2);
    if (x) {
        x->kid[0] = a;
        x->kid[1] = b;
    }
    return fix_height(p, x);
}

static node *mk_num(P *p, double v, size_t pos, size_t end)
{
    node *x = mk(p, RP_LX_NUM, pos, end, 0);
    if (x) {
        x->num = v;
        x->sig = 1;
    }
    return x;
}

/* A growable array of nodes in the arena. */
typedef struct nvec {
    node **v;
    size_t n, cap;
} nvec;

static bool push(P *p, nvec *v, node *x)
{
    if (v->n >= MAX_LIST) {
        fail(p, x ? x->pos : p->cur.pos, "more than %d entries", MAX_LIST);
        return false;
    }
    if (v->n == v->cap) {
        size_t nc = v->cap ? v->cap * 2 : 8;
        node **nv = rp_arena_realloc(p->a, v->v, v->cap * sizeof *nv, nc * sizeof *nv);
        if (!nv) {
            p->nomem = true;
            fail(p, p->cur.pos, "out of memory");
            return false;
        }
        v->v = nv;
        v->cap = nc;
    }
    v->v[v->n++] = x;
    return true;
}

static bool is_char(const P *p, char c) { return p->cur.t == TK_CHAR && p->cur.c == c; }
static bool is_cmd(const P *p, const char *n) { return rp_lx_is(&p->cur, n); }

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The raw content of the brace group opening at p->s[open]: [*cs, *ce),
 * and the position after the closing brace. */
static bool brace_span(P *p, size_t open, size_t *cs, size_t *ce, size_t *after)
{
    int lvl = 0;
    for (size_t i = open; i < p->lim; i++) {
        char c = p->s[i];
        if (c == '\\' && i + 1 < p->lim) {
            i++;
            continue;
        }
        if (c == '{')
            lvl++;
        else if (c == '}' && --lvl == 0) {
            *cs = open + 1;
            *ce = i;
            *after = i + 1;
            return true;
        }
    }
    fail(p, open, "unbalanced '{'");
    return false;
}

/* Expect the current token to be '{' and take its raw content. */
static bool raw_arg(P *p, size_t *cs, size_t *ce)
{
    if (!is_char(p, '{')) {
        fail_here(p, "expected '{'");
        return false;
    }
    size_t after;
    if (!brace_span(p, p->cur.pos, cs, ce, &after))
        return false;
    seek(p, after);
    return true;
}

static char *dup_canon(P *p, size_t cs, size_t ce)
{
    char buf[NAME_CAP];
    rp_lx_canon(p->s + cs, ce - cs, buf, sizeof buf);
    char *r = rp_arena_strdup(p->a, buf);
    if (!r) {
        p->nomem = true;
        fail(p, cs, "out of memory");
    }
    return r;
}

/* Parse p->s[cs..ce) as a list in a sub-parser sharing the arena.  strict:
 * errors propagate; else NULL is returned quietly. */
static node *parse_range(P *p, size_t cs, size_t ce, bool strict)
{
    P q = *p;
    rp_latex_error e2;
    q.lim = ce;
    q.grid = false;
    q.in_cond = false;
    q.abs_depth = q.norm_depth = 0;
    q.err = strict ? p->err : &e2;
    q.cur.end = cs;
    next(&q);
    if (q.cur.t == TK_END) {
        if (strict)
            return fail(p, cs, "empty group");
        return NULL;
    }
    node *x = parse_list(&q);
    if (x && q.cur.t != TK_END)
        x = fail_here(&q, "unexpected token");
    if (q.nomem)
        p->nomem = true;
    if (!x && (strict || q.nomem))
        p->failed = true;
    return x;
}

/* ----------------------------------------------------- classification */

static int rel_here(P *p, size_t *end)
{
    tok *t = &p->cur;
    *end = t->end;
    if (t->t == TK_CHAR) {
        char nx = t->end < p->lim ? p->s[t->end] : 0;
        switch (t->c) {
        case '=':
            if (nx == '=')
                *end = t->end + 1;
            return RP_REL_EQ;
        case '<':
            if (nx == '=') {
                *end = t->end + 1;
                return RP_REL_LE;
            }
            return RP_REL_LT;
        case '>':
            if (nx == '=') {
                *end = t->end + 1;
                return RP_REL_GE;
            }
            return RP_REL_GT;
        case '!':
            if (nx == '=') {
                *end = t->end + 1;
                return RP_REL_NE;
            }
            return -1;
        case ':':
            if (nx == '=') {
                *end = t->end + 1;
                return RP_REL_DEF;
            }
            return -1;
        default: return -1;
        }
    }
    if (t->t != TK_CMD)
        return -1;
    static const struct { const char *n; int r; } rels[] = {
        {"le", RP_REL_LE}, {"leq", RP_REL_LE}, {"leqslant", RP_REL_LE},
        {"ge", RP_REL_GE}, {"geq", RP_REL_GE}, {"geqslant", RP_REL_GE},
        {"lt", RP_REL_LT}, {"gt", RP_REL_GT}, {"approx", RP_REL_APPROX},
        {"simeq", RP_REL_APPROX}, {"approxeq", RP_REL_APPROX},
        {"propto", RP_REL_PROPTO}, {"sim", RP_REL_SIM}, {"ne", RP_REL_NE},
        {"neq", RP_REL_NE}, {"in", RP_REL_IN}, {"to", RP_REL_TO},
        {"rightarrow", RP_REL_TO}, {"Rightarrow", RP_REL_TO},
        {"implies", RP_REL_TO}, {"longrightarrow", RP_REL_TO},
        {"equiv", RP_REL_EQ}, {"coloneqq", RP_REL_DEF}, {"triangleq", RP_REL_DEF},
        {"doteq", RP_REL_EQ}, {"ll", RP_REL_LT}, {"gg", RP_REL_GT},
        {"leqq", RP_REL_LE}, {"geqq", RP_REL_GE}, {"mapsto", RP_REL_TO}};
    for (size_t i = 0; i < sizeof rels / sizeof rels[0]; i++)
        if (rp_lx_is(t, rels[i].n))
            return rels[i].r;
    return -1;
}

static const char *const func_names[] = {
    [RP_LF_LOG] = "log", [RP_LF_LN] = "ln", [RP_LF_LG] = "lg",
    [RP_LF_EXP] = "exp", [RP_LF_SIN] = "sin", [RP_LF_COS] = "cos",
    [RP_LF_TAN] = "tan", [RP_LF_MAX] = "max", [RP_LF_MIN] = "min",
    [RP_LF_SIGN] = "sign", [RP_LF_DET] = "det", [RP_LF_TR] = "tr",
    [RP_LF_BINOM] = "binom", [RP_LF_TANH] = "tanh", [RP_LF_SIGMOID] = "sigmoid"};

/* Function id of a name, -1 when none. */
static int func_id(const char *s, size_t n)
{
    for (int i = 0; i < RP_LF_OTHER; i++)
        if (func_names[i][0] == s[0] && strncmp(func_names[i], s, n) == 0 &&
            func_names[i][n] == 0)
            return i;
    static const struct { const char *n; int id; } more[] = {
        {"sgn", RP_LF_SIGN}, {"trace", RP_LF_TR}, {"Tr", RP_LF_TR},
        {"operatorname{tr}", RP_LF_TR}, {"dbinom", RP_LF_BINOM},
        {"tbinom", RP_LF_BINOM}};
    for (size_t i = 0; i < sizeof more / sizeof more[0]; i++)
        if (more[i].n[0] == s[0] && strncmp(more[i].n, s, n) == 0 && more[i].n[n] == 0)
            return more[i].id;
    return -1;
}

/* A run of plain letters that is an English word rather than a product. */
static bool is_word(const P *p, const char *s, size_t n)
{
    static const char *const short_words[] = {
        "if", "of", "or", "is", "as", "and", "for", "the", "are", "all", "per",
        "ops", "its", "via", "not", "but", "has", "use", "so", "be", "we",
        "at", "on", "by", "to", NULL};
    if (n >= 4) {
        for (size_t i = 0; i < n; i++)
            if (strchr("aeiouAEIOU", s[i]))
                return true;
        return false;
    }
    for (size_t i = 0; short_words[i]; i++)
        if (strlen(short_words[i]) == n && memcmp(short_words[i], s, n) == 0) {
            /* two-letter words only where a product is implausible */
            if (n == 2 && !p->in_cond && strcmp(short_words[i], "if") != 0 &&
                strcmp(short_words[i], "of") != 0)
                return false;
            return true;
        }
    return false;
}

static bool raw_is_conj(P *p)
{
    if (is_char(p, ','))
        return true;
    if (is_cmd(p, "land") || is_cmd(p, "wedge") || is_cmd(p, "lor") ||
        is_cmd(p, "vee"))
        return true;
    if (p->cur.t == TK_LETTER) {
        size_t j = p->cur.pos;
        while (j < p->lim && is_alpha(p->s[j]))
            j++;
        return (j - p->cur.pos == 3 && memcmp(p->s + p->cur.pos, "and", 3) == 0) ||
               (j - p->cur.pos == 2 && memcmp(p->s + p->cur.pos, "or", 2) == 0);
    }
    if (is_cmd(p, "text") || is_cmd(p, "mathrm") || is_cmd(p, "textrm") ||
        is_cmd(p, "mbox")) {
        size_t b = p->cur.end;
        while (b < p->lim && p->s[b] == ' ')
            b++;
        if (b < p->lim && p->s[b] == '{') {
            int lvl = 0;
            size_t e = b;
            for (; e < p->lim; e++) {
                if (p->s[e] == '{')
                    lvl++;
                else if (p->s[e] == '}' && --lvl == 0)
                    break;
            }
            char buf[32];
            if (e < p->lim && e - b - 1 < sizeof buf) {
                rp_lx_canon(p->s + b + 1, e - b - 1, buf, sizeof buf);
                return strcmp(buf, "and") == 0 || strcmp(buf, ",") == 0 ||
                       strcmp(buf, "or") == 0 || strcmp(buf, ",and") == 0;
            }
        }
    }
    return false;
}

/* Commands that can not begin an operand. */
static const char *const non_start[] = {
    "right", "end", "rfloor", "rceil", "rangle", "rvert", "rVert", "}", "cdot",
    "times", "div", "ast", "star", "pm", "mp", "circ", "bullet", "over",
    "cr", "&", "%", "odot", "otimes", "oplus", NULL};

static bool can_start(P *p)
{
    tok *t = &p->cur;
    switch (t->t) {
    case TK_NUM:
        return true;
    case TK_LETTER:
        return !(p->in_cond && raw_is_conj(p));
    case TK_CHAR:
        if (t->c == '(' || t->c == '[' || t->c == '{')
            return true;
        if (t->c == '|')
            return p->abs_depth == 0;
        return false;
    case TK_CMD: {
        size_t e;
        if (rel_here(p, &e) >= 0)
            return false;
        for (size_t i = 0; non_start[i]; i++)
            if (rp_lx_is(t, non_start[i]))
                return false;
        if (rp_lx_is(t, "|") || rp_lx_is(t, "Vert"))
            return p->norm_depth == 0;
        if (rp_lx_is(t, "vert"))
            return p->abs_depth == 0;
        if (p->in_cond && raw_is_conj(p))
            return false;
        return true;
    }
    default:
        return false;
    }
}

/* -------------------------------------------------------------- lists */

static node *parse_list(P *p)
{
    if (++p->depth > RP_LATEX_MAX_DEPTH) {
        p->depth--;
        return fail(p, p->cur.pos, "nesting deeper than %d", RP_LATEX_MAX_DEPTH);
    }
    size_t pos = p->cur.pos;
    node *x = parse_rel(p);
    if (!x || !is_char(p, ',') || p->in_cond) {
        p->depth--;
        return x;
    }
    /* a trailing comma ends the math ("x = 3,") */
    nvec v = {0};
    if (!push(p, &v, x)) {
        p->depth--;
        return NULL;
    }
    while (is_char(p, ',')) {
        size_t cpos = p->cur.pos;
        next(p);
        if (p->cur.t == TK_END || (p->cur.t == TK_CHAR && strchr(")]}", p->cur.c)) ||
            is_cmd(p, "right") || is_cmd(p, "end"))
            break;
        (void)cpos;
        node *y = parse_rel(p);
        if (!y || !push(p, &v, y)) {
            p->depth--;
            return NULL;
        }
    }
    p->depth--;
    if (v.n == 1)
        return x;
    node *tpl = mk(p, RP_LX_TUPLE, pos, p->cur.pos, 0);
    if (!tpl)
        return NULL;
    tpl->kid = v.v;
    tpl->n_kid = v.n;
    return fix_height(p, tpl);
}

static node *parse_add(P *p);

static node *parse_rel(P *p)
{
    node *x = parse_add(p);
    size_t e;
    int r;
    if (!x || (r = rel_here(p, &e)) < 0)
        return x;
    nvec v = {0};
    int rels[64];
    size_t nr = 0;
    if (!push(p, &v, x))
        return NULL;
    while ((r = rel_here(p, &e)) >= 0) {
        if (nr >= 63)
            return fail(p, p->cur.pos, "relation chain longer than 64");
        rels[nr++] = r;
        seek(p, e);
        node *y = parse_add(p);
        if (!y || !push(p, &v, y))
            return NULL;
    }
    node *rn = mk(p, RP_LX_REL, x->pos, p->cur.pos, 0);
    if (!rn)
        return NULL;
    rn->kid = v.v;
    rn->n_kid = v.n;
    rn->rel = rp_arena_alloc(p->a, nr * sizeof *rn->rel);
    if (!rn->rel) {
        p->nomem = true;
        return fail(p, x->pos, "out of memory");
    }
    memcpy(rn->rel, rels, nr * sizeof *rels);
    return fix_height(p, rn);
}

static node *parse_add(P *p)
{
    node *x = parse_term(p);
    while (x) {
        rp_latex_kind k;
        if (is_char(p, '+') || is_cmd(p, "pm"))
            k = RP_LX_ADD;
        else if (is_char(p, '-') || is_cmd(p, "mp"))
            k = RP_LX_SUB;
        else
            break;
        next(p);
        node *y = parse_term(p);
        if (!y)
            return NULL;
        if (y->kind == RP_LX_TEXT)
            continue;
        x = x->kind == RP_LX_TEXT ? (k == RP_LX_SUB ? mk1(p, RP_LX_NEG, y, y->pos, y->pos + y->len) : y)
                                  : mk2(p, k, x, y);
    }
    return x;
}

/* Join two factors, dropping words. */
static node *join(P *p, node *a, node *b, unsigned flags)
{
    if (!a || !b)
        return NULL;
    if (b->kind == RP_LX_TEXT)
        return a;
    if (a->kind == RP_LX_TEXT)
        return b;
    /* "3g(t)": the name beside the bracket takes it, 3 (g(t)) (the same
     * product, and g(t) an application where g is a function) */
    if ((flags & RP_LXF_IMPLICIT) && a->kind == RP_LX_MUL && (a->flags & RP_LXF_IMPLICIT) &&
        !(a->flags & RP_LXF_PAREN) && a->kid[1]->kind == RP_LX_SYM &&
        (b->flags & RP_LXF_PAREN) && a->kid[1]->pos + a->kid[1]->len == b->pos) {
        node *m = mk2(p, RP_LX_MUL, a->kid[0], join(p, a->kid[1], b, flags));
        if (m)
            m->flags |= a->flags;
        return m;
    }
    node *m = mk2(p, RP_LX_MUL, a, b);
    if (m) {
        m->flags |= flags;
        if ((flags & RP_LXF_IMPLICIT) && a->kind == RP_LX_SYM && (b->flags & RP_LXF_PAREN) &&
            a->pos + a->len == b->pos)
            m->flags |= RP_LXF_APPLY;
    }
    return m;
}

static node *parse_term(P *p)
{
    node *x = parse_unary(p);
    while (x) {
        if (is_cmd(p, "cdot") || is_char(p, '*') || is_cmd(p, "times") ||
            is_cmd(p, "ast") || is_cmd(p, "bullet") || is_cmd(p, "circ") ||
            is_cmd(p, "odot") || is_cmd(p, "otimes")) {
            unsigned fl = is_cmd(p, "times") ? RP_LXF_TIMES : 0;
            next(p);
            x = join(p, x, parse_unary(p), fl);
        } else if (is_char(p, '/') || is_cmd(p, "div") || is_cmd(p, "over")) {
            next(p);
            node *d = parse_unary(p);
            while (d && can_start(p) && d->kind != RP_LX_TEXT)
                d = join(p, d, parse_postfix(p), RP_LXF_IMPLICIT);
            if (!d)
                return NULL;
            x = d->kind == RP_LX_TEXT ? x : mk2(p, RP_LX_DIV, x, d);
        } else if (can_start(p)) {
            x = join(p, x, parse_postfix(p), RP_LXF_IMPLICIT);
        } else if (x->kind == RP_LX_TEXT && is_char(p, ':') &&
                   !(p->cur.end < p->lim && p->s[p->cur.end] == '=')) {
            next(p); /* "Answer: 42" */
        } else {
            break;
        }
    }
    return x;
}

static node *parse_unary(P *p)
{
    if (++p->depth > RP_LATEX_MAX_DEPTH) {
        p->depth--;
        return fail(p, p->cur.pos, "nesting deeper than %d", RP_LATEX_MAX_DEPTH);
    }
    node *x;
    size_t pos = p->cur.pos;
    if (is_char(p, '-') || is_cmd(p, "mp")) {
        next(p);
        node *y = parse_unary(p);
        x = y ? mk1(p, RP_LX_NEG, y, pos, y->pos + y->len) : NULL;
    } else if (is_char(p, '+') || is_cmd(p, "pm")) {
        next(p);
        x = parse_unary(p);
    } else {
        x = parse_postfix(p);
    }
    p->depth--;
    return x;
}

/* ------------------------------------------------------------ symbols */

static char *name_join(P *p, const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    if (na + nb >= NAME_CAP)
        return (char *)a;
    char *r = rp_arena_alloc(p->a, na + nb + 1);
    if (!r) {
        p->nomem = true;
        fail(p, p->cur.pos, "out of memory");
        return (char *)a;
    }
    memcpy(r, a, na);
    memcpy(r + na, b, nb + 1);
    return r;
}

/* Attach a subscript to symbol x (p at '_'). */
static bool attach_sub(P *p, node *x)
{
    size_t us = p->cur.end, cs, ce, after;
    size_t i = us;
    while (i < p->lim && p->s[i] == ' ')
        i++;
    if (i >= p->lim)
        return fail(p, us, "subscript missing") != NULL;
    char c = p->s[i];
    if (c == '{') {
        if (!brace_span(p, i, &cs, &ce, &after))
            return false;
    } else if (c == '\\') {
        size_t k = i + 1;
        while (k < p->lim && is_alpha(p->s[k]))
            k++;
        if (k == i + 1) {
            if (k >= p->lim)
                return fail(p, i, "subscript missing") != NULL;
            k++;
        }
        cs = i;
        ce = after = k;
        size_t k2 = k;
        while (k2 < p->lim && p->s[k2] == ' ')
            k2++;
        if (k2 < p->lim && p->s[k2] == '{') {
            size_t a2, b2;
            if (!brace_span(p, k2, &a2, &b2, &after))
                return false;
            ce = after;
        }
    } else if (is_alpha(c)) {
        size_t k = i;
        while (k < p->lim && is_alpha(p->s[k]))
            k++;
        cs = i;
        ce = after = k;
    } else if (c >= '0' && c <= '9') {
        size_t k = i;
        while (k < p->lim && p->s[k] >= '0' && p->s[k] <= '9')
            k++;
        cs = i;
        ce = after = k;
    } else if ((unsigned char)c >= 0x80) {
        size_t k = i + 1;
        while (k < p->lim && ((unsigned char)p->s[k] & 0xC0) == 0x80)
            k++;
        cs = i;
        ce = after = k;
    } else {
        return fail(p, i, "bad subscript") != NULL;
    }
    char buf[NAME_CAP];
    rp_lx_canon(p->s + cs, ce - cs, buf, sizeof buf);
    if (buf[0]) {
        char sub[NAME_CAP + 4];
        snprintf(sub, sizeof sub, "_{%s}", buf);
        const char *name = x->name;
        const char *sup = strstr(name, "^{");
        if (sup) { /* keep subscript before a label superscript */
            char tmp[2 * NAME_CAP];
            snprintf(tmp, sizeof tmp, "%.*s%s%s", (int)(sup - name), name, sub, sup);
            char *kept = name_join(p, tmp, "");
            /* too long to keep (or no memory): name_join() gives back tmp,
             * which dies here; the name stays as it was, as it does when
             * name_join() refuses the subscript below */
            x->name = kept == tmp ? name : kept;
        } else {
            x->name = name_join(p, name, sub);
        }
        /* index expressions for sums and arrays */
        if (x->n_kid == 0) {
            node *ix = parse_range(p, cs, ce, false);
            if (ix) {
                if (ix->kind == RP_LX_TUPLE) {
                    x->kid = ix->kid;
                    x->n_kid = ix->n_kid;
                } else {
                    x->kid = rp_arena_alloc(p->a, sizeof *x->kid);
                    if (x->kid) {
                        x->kid[0] = ix;
                        x->n_kid = 1;
                    }
                }
            }
        }
    }
    x->len = after - x->pos;
    fix_height(p, x);
    seek(p, after);
    return !p->failed;
}

static node *mk_sym(P *p, const char *base, size_t pos, size_t end)
{
    node *x = mk(p, RP_LX_SYM, pos, end, 0);
    if (!x)
        return NULL;
    x->base = rp_arena_strdup(p->a, base);
    x->name = x->base;
    if (!x->base) {
        p->nomem = true;
        return fail(p, pos, "out of memory");
    }
    return x;
}

/* A symbol whose base was just consumed: subscripts, y[n] indexing. */
static node *symbol_tail(P *p, node *x)
{
    if (!x)
        return NULL;
    if (is_char(p, '_') && !attach_sub(p, x))
        return NULL;
    if (is_char(p, '[') && p->cur.pos == x->pos + x->len) {
        size_t open = p->cur.pos;
        next(p);
        node *ix = parse_list(p);
        if (!ix)
            return NULL;
        if (!is_char(p, ']'))
            return fail(p, open, "unbalanced '['");
        x->len = p->cur.end - x->pos;
        next(p);
        if (ix->kind == RP_LX_TUPLE) {
            x->kid = ix->kid;
            x->n_kid = ix->n_kid;
        } else {
            x->kid = rp_arena_alloc(p->a, sizeof *x->kid);
            if (!x->kid)
                return fail(p, open, "out of memory");
            x->kid[0] = ix;
            x->n_kid = 1;
        }
        x->flags |= RP_LXF_BRACKET;
        return fix_height(p, x);
    }
    return x;
}

/* ------------------------------------------------------------ postfix */

static bool is_transpose_text(const char *c)
{
    return strcmp(c, "T") == 0 || strcmp(c, "\\top") == 0 ||
           strcmp(c, "\\intercal") == 0 || strcmp(c, "\\mathsf T") == 0 ||
           strcmp(c, "\\mathrm T") == 0 || strcmp(c, "\\mathsf{T}") == 0 ||
           strcmp(c, "\\dagger") == 0;
}

static bool is_label_text(const char *c)
{
    size_t n = strlen(c);
    if (n >= 2 && c[0] == '(' && c[n - 1] == ')')
        return true;
    return strcmp(c, "*") == 0 || strcmp(c, "\\star") == 0 ||
           strcmp(c, "\\prime") == 0 || strcmp(c, "\\ast") == 0 ||
           strcmp(c, "'") == 0 || strcmp(c, "''") == 0 ||
           strcmp(c, "\\prime\\prime") == 0;
}

/* One-token argument (\frac12, x^2, \sqrt x) or a brace group. */
static node *parse_arg(P *p)
{
    if (is_char(p, '{')) {
        size_t cs, ce, after;
        if (!brace_span(p, p->cur.pos, &cs, &ce, &after))
            return NULL;
        node *x = parse_range(p, cs, ce, true);
        if (x)
            seek(p, after);
        return x;
    }
    if (p->cur.t == TK_NUM) {
        size_t pos = p->cur.pos;
        if (p->cur.end - pos > 1 && p->s[pos] >= '0' && p->s[pos] <= '9') {
            node *x = mk_num(p, p->s[pos] - '0', pos, pos + 1);
            seek(p, pos + 1);
            return x;
        }
        node *x = mk_num(p, p->cur.num, pos, p->cur.end);
        if (x) {
            x->decimals = p->cur.decimals;
            x->sig = p->cur.sig;
        }
        next(p);
        return x;
    }
    if (p->cur.t == TK_LETTER) {
        char b[2] = {p->cur.c, 0};
        node *x = mk_sym(p, b, p->cur.pos, p->cur.end);
        next(p);
        return x;
    }
    if (p->cur.t == TK_CMD || is_char(p, '(') || is_char(p, '|'))
        return parse_atom(p);
    return fail_here(p, "expected an argument");
}

static node *parse_sup(P *p, node *x)
{
    size_t pos = p->cur.pos;
    next(p);
    char c[NAME_CAP];
    c[0] = 0;
    size_t cs = 0, ce = 0, after = 0;
    bool brace = is_char(p, '{');
    if (brace) {
        if (!brace_span(p, p->cur.pos, &cs, &ce, &after))
            return NULL;
        rp_lx_canon(p->s + cs, ce - cs, c, sizeof c);
    } else if (p->cur.t == TK_LETTER) {
        c[0] = p->cur.c;
        c[1] = 0;
        after = p->cur.end;
    } else if (p->cur.t == TK_CMD) {
        snprintf(c, sizeof c, "\\%.*s", (int)(p->cur.n > 40 ? 40 : p->cur.n), p->cur.s);
        after = p->cur.end;
    } else if (is_char(p, '*') || is_char(p, '\'')) {
        c[0] = p->cur.c;
        c[1] = 0;
        after = p->cur.end;
    }
    if (c[0] && is_transpose_text(c) && x->kind != RP_LX_NUM) {
        seek(p, after);
        return mk1(p, RP_LX_TRANSPOSE, x, x->pos, after);
    }
    if (c[0] && x->kind == RP_LX_SYM && is_label_text(c)) {
        char lab[NAME_CAP + 4];
        snprintf(lab, sizeof lab, "^{%s}", c);
        x->name = name_join(p, x->name, lab);
        x->len = after - x->pos;
        seek(p, after);
        return x;
    }
    node *e;
    if (is_char(p, '-')) { /* chat text: x^-1 */
        size_t mpos = p->cur.pos;
        next(p);
        node *a = parse_arg(p);
        e = a ? mk1(p, RP_LX_NEG, a, mpos, a->pos + a->len) : NULL;
    } else {
        e = parse_arg(p);
    }
    (void)pos;
    return e ? mk2(p, RP_LX_POW, x, e) : NULL;
}

static node *parse_postfix(P *p)
{
    node *x = parse_atom(p);
    while (x) {
        if (is_char(p, '^')) {
            x = parse_sup(p, x);
        } else if (is_char(p, '_')) {
            if (x->kind == RP_LX_SYM) {
                if (!attach_sub(p, x))
                    return NULL;
            } else { /* (..)_{ij}: the subscript is ignored */
                node tmp = {0};
                tmp.kind = RP_LX_SYM;
                tmp.name = "";
                tmp.pos = x->pos;
                if (!attach_sub(p, &tmp))
                    return NULL;
            }
        } else if (is_char(p, '!') && !(p->cur.end < p->lim && p->s[p->cur.end] == '=')) {
            size_t e = p->cur.end;
            next(p);
            x = mk1(p, RP_LX_FACT, x, x->pos, e);
        } else if (is_char(p, '\'')) {
            if (x->kind == RP_LX_SYM)
                x->name = name_join(p, x->name, "'");
            next(p);
        } else if (p->cur.t == TK_SUPNUM) {
            node *e = mk_num(p, p->cur.num, p->cur.pos, p->cur.end);
            next(p);
            x = mk2(p, RP_LX_POW, x, e);
        } else if (p->cur.t == TK_SUPT) {
            size_t e = p->cur.end;
            next(p);
            x = mk1(p, RP_LX_TRANSPOSE, x, x->pos, e);
        } else if (is_cmd(p, "%")) {
            node *h = mk_num(p, 100, p->cur.pos, p->cur.end);
            next(p);
            x = mk2(p, RP_LX_DIV, x, h);
        } else {
            break;
        }
    }
    return x;
}

/* --------------------------------------------------------------- atoms */

/* Content up to a closing token; close(p) says whether p->cur closes. */
static node *group_until(P *p, size_t open, bool (*close)(P *), const char *what)
{
    next(p);
    if (close(p))
        return fail(p, open, "empty %s", what);
    bool ic = p->in_cond; /* inside brackets a comma is a list again: (i, j) */
    p->in_cond = false;
    node *x = parse_list(p);
    p->in_cond = ic;
    if (!x)
        return NULL;
    if (is_cmd(p, "right")) {
        next(p); /* the delimiter after \right */
        if (p->cur.t == TK_END)
            return fail(p, p->cur.pos, "'\\right' without a delimiter");
        x->len = p->cur.end > x->pos ? p->cur.end - x->pos : x->len;
        next(p);
        return x;
    }
    if (!close(p))
        return fail(p, open, "unbalanced %s", what);
    next(p);
    return x;
}

static bool close_paren(P *p) { return is_char(p, ')') || is_char(p, ']') || is_cmd(p, "right"); }
static bool close_brace(P *p) { return is_char(p, '}') || is_cmd(p, "right"); }
static bool close_set(P *p) { return is_cmd(p, "}") || is_cmd(p, "right"); }
static bool close_bar(P *p) { return is_char(p, '|') || is_cmd(p, "vert") || is_cmd(p, "rvert") || is_cmd(p, "right"); }
static bool close_norm(P *p) { return is_cmd(p, "|") || is_cmd(p, "Vert") || is_cmd(p, "rVert") || is_cmd(p, "right") || (is_char(p, '|') && p->cur.end < p->lim && p->s[p->cur.end] == '|'); }
static bool close_floor(P *p) { return is_cmd(p, "rfloor") || is_cmd(p, "right"); }
static bool close_ceil(P *p) { return is_cmd(p, "rceil") || is_cmd(p, "right"); }
static bool close_angle(P *p) { return is_cmd(p, "rangle") || is_char(p, '>') || is_cmd(p, "right"); }

static node *paren_group(P *p, char opener)
{
    size_t open = p->cur.pos;
    node *x = group_until(p, open, opener == '{' ? close_brace : opener == 's' ? close_set : close_paren,
                          "brackets");
    if (!x)
        return NULL;
    if (opener != '{') {
        x->flags |= RP_LXF_PAREN;
        if (x->pos > open) { /* the group's range includes its brackets */
            x->len += x->pos - open;
            x->pos = open;
        }
        if (x->kind == RP_LX_TUPLE)
            x->op = opener == 's' ? '{' : opener;
    }
    return x;
}

static node *wrap_group(P *p, rp_latex_kind k, bool (*close)(P *), const char *what)
{
    size_t open = p->cur.pos;
    if (k == RP_LX_ABS)
        p->abs_depth++;
    if (k == RP_LX_NORM)
        p->norm_depth++;
    /* a plain || norm closes with || */
    bool dbl = k == RP_LX_NORM && is_char(p, '|');
    if (dbl)
        p->cur.end++;
    node *x = group_until(p, open, close, what);
    if (dbl && x && is_char(p, '|') && p->cur.pos == x->pos + x->len)
        next(p);
    else if (dbl && x && p->s[p->cur.pos - 1] == '|' && is_char(p, '|'))
        next(p);
    if (k == RP_LX_ABS)
        p->abs_depth--;
    if (k == RP_LX_NORM)
        p->norm_depth--;
    if (!x)
        return NULL;
    size_t end = p->cur.pos;
    node *w = mk1(p, k, x, open, end);
    if (w && k == RP_LX_NORM) {
        w->name = "";
        if (is_char(p, '_')) {
            node tmp = {0};
            tmp.kind = RP_LX_SYM;
            tmp.name = "";
            tmp.pos = open;
            if (!attach_sub(p, &tmp))
                return NULL;
            /* tmp.name is "_{2}" */
            size_t n = strlen(tmp.name);
            if (n >= 3)
                w->name = rp_arena_strndup(p->a, tmp.name + 2, n - 3);
            if (!w->name)
                w->name = "";
        }
    }
    return w;
}

static node *parse_left(P *p)
{
    size_t pos = p->cur.pos;
    next(p); /* the delimiter */
    if (is_char(p, '(') || is_char(p, '['))
        return paren_group(p, p->cur.c);
    if (is_char(p, '.') || is_cmd(p, "{"))
        return paren_group(p, is_char(p, '.') ? '(' : 's');
    if (is_char(p, '|') || is_cmd(p, "vert") || is_cmd(p, "lvert"))
        return wrap_group(p, RP_LX_ABS, close_bar, "'|'");
    if (is_cmd(p, "|") || is_cmd(p, "Vert") || is_cmd(p, "lVert"))
        return wrap_group(p, RP_LX_NORM, close_norm, "'\\|'");
    if (is_cmd(p, "lfloor"))
        return wrap_group(p, RP_LX_FLOOR, close_floor, "'\\lfloor'");
    if (is_cmd(p, "lceil"))
        return wrap_group(p, RP_LX_CEIL, close_ceil, "'\\lceil'");
    if (is_cmd(p, "langle")) {
        node *x = group_until(p, p->cur.pos, close_angle, "'\\langle'");
        if (x && x->kind == RP_LX_TUPLE)
            x->op = '<';
        return x;
    }
    return fail(p, pos, "unknown delimiter after '\\left'");
}

static bool starts_group(P *p)
{
    return is_char(p, '(') || (is_cmd(p, "left") && p->cur.end < p->lim &&
                               (p->s[p->cur.end] == '(' || p->s[p->cur.end] == ' '));
}

static node *parse_bigo(P *p, int op, size_t pos)
{
    node *arg = is_char(p, '(') ? paren_group(p, '(') : parse_left(p);
    if (!arg)
        return NULL;
    node *x = mk1(p, RP_LX_BIGO, arg, pos, arg->pos + arg->len + 1);
    if (x)
        x->op = op;
    return x;
}

/* Arguments of a function after its name. */
/* A power of -1 (written ^{-1} or ^-1). */
static bool inverse_power(const node *e)
{
    return e->kind == RP_LX_NEG && e->kid[0]->kind == RP_LX_NUM && e->kid[0]->num == 1;
}

/* Make f the inverse of its trigonometric or hyperbolic function; false
 * when f has no inverse by that name (then ^{-1} stays a power). */
static bool inverse_of(node *f)
{
    static const struct {
        const char *fn, *inv;
    } inv[] = {{"sin", "arcsin"},   {"cos", "arccos"},   {"tan", "arctan"},   {"cot", "arccot"},
               {"sec", "arcsec"},   {"csc", "arccsc"},   {"sinh", "arsinh"},  {"cosh", "arcosh"},
               {"tanh", "artanh"}};
    for (size_t i = 0; i < sizeof inv / sizeof *inv; i++)
        if (f->name && strcmp(f->name, inv[i].fn) == 0 && !(f->flags & RP_LXF_BRACKET)) {
            f->op = RP_LF_OTHER;
            f->name = inv[i].inv;
            return true;
        }
    return false;
}

static node *parse_func(P *p, int id, const char *name, size_t pos)
{
    node *base = NULL, *power = NULL;
    for (int round = 0; round < 2; round++) {
        if (is_char(p, '_')) {
            next(p);
            base = parse_arg(p);
            if (!base)
                return NULL;
            if (id == RP_LF_MAX || id == RP_LF_MIN)
                id = RP_LF_OTHER; /* \max_i: over an index set */
        } else if (is_char(p, '^')) {
            next(p);
            power = parse_arg(p);
            if (!power)
                return NULL;
        }
    }
    nvec args = {0};
    if (starts_group(p)) {
        node *g = is_char(p, '(') ? paren_group(p, '(') : parse_left(p);
        if (!g)
            return NULL;
        if (g->kind == RP_LX_TUPLE && (g->flags & RP_LXF_PAREN)) {
            for (size_t i = 0; i < g->n_kid; i++)
                if (!push(p, &args, g->kid[i]))
                    return NULL;
        } else if (!push(p, &args, g)) {
            return NULL;
        }
    } else if (is_char(p, '{')) {
        node *g = parse_arg(p);
        if (!g || !push(p, &args, g))
            return NULL;
    } else {
        if (!can_start(p))
            return fail_here(p, "function without an argument");
        node *g = parse_postfix(p);
        while (g && can_start(p) && p->cur.t != TK_CMD)
            g = join(p, g, parse_postfix(p), RP_LXF_IMPLICIT);
        if (!g || !push(p, &args, g))
            return NULL;
    }
    if (base && !push(p, &args, base))
        return NULL;
    node *f = mk(p, RP_LX_FUNC, pos, p->cur.pos, 0);
    if (!f)
        return NULL;
    f->op = id;
    f->name = name;
    f->kid = args.v;
    f->n_kid = args.n;
    if (base)
        f->flags |= RP_LXF_BRACKET; /* last kid is a log base */
    if (!fix_height(p, f))
        return NULL;
    if (power && inverse_power(power) && inverse_of(f))
        return f; /* \sin^{-1} x is \arcsin x, not 1 / \sin x */
    return power ? mk2(p, RP_LX_POW, f, power) : f;
}

/* \sum_{i=1}^{m} body, \sum_i body, \sum_{i,j} body (nested sums sharing
 * the bounds); bounds may be missing (the evaluator may borrow them). */
static node *parse_sum(P *p, int op, size_t pos)
{
    node *lo = NULL, *hi = NULL;
    const char *idx[4] = {NULL, NULL, NULL, NULL};
    int nidx = 0;
    for (int round = 0; round < 2; round++) {
        if (is_char(p, '_')) {
            next(p);
            size_t cs, ce, after;
            node *sub;
            if (is_char(p, '{')) {
                if (!brace_span(p, p->cur.pos, &cs, &ce, &after))
                    return NULL;
                sub = parse_range(p, cs, ce, true);
                seek(p, after);
            } else {
                sub = parse_arg(p);
            }
            if (!sub)
                return NULL;
            node *one[1] = {sub};
            node **items = sub->kind == RP_LX_TUPLE ? sub->kid : one;
            size_t n = sub->kind == RP_LX_TUPLE ? sub->n_kid : 1;
            for (size_t i = 0; i < n && nidx < 4; i++) {
                node *it = items[i];
                if (it->kind == RP_LX_REL && it->n_kid == 2 && it->kid[0]->kind == RP_LX_SYM) {
                    idx[nidx++] = it->kid[0]->name;
                    if (it->rel[0] == RP_REL_EQ)
                        lo = it->kid[1];
                } else if (it->kind == RP_LX_SYM) {
                    idx[nidx++] = it->name;
                }
            }
        } else if (is_char(p, '^')) {
            next(p);
            hi = parse_arg(p);
            if (!hi)
                return NULL;
        }
    }
    if (!can_start(p) && !is_char(p, '-'))
        return fail_here(p, "sum without a body");
    node *body = parse_term(p);
    if (!body)
        return NULL;
    if (nidx == 0)
        nidx = 1; /* \sum x: no index */
    for (int k = nidx - 1; k >= 0; k--) {
        node *s = mk(p, RP_LX_SUM, pos, body->pos + body->len, 3);
        if (!s)
            return NULL;
        s->op = op;
        s->name = idx[k];
        s->kid[0] = lo;
        s->kid[1] = hi;
        s->kid[2] = body;
        body = fix_height(p, s);
        if (!body)
            return NULL;
    }
    return body;
}

static bool env_end(P *p)
{
    return is_cmd(p, "end") || p->cur.t == TK_END;
}

static node *parse_grid(P *p, size_t pos, bool cases)
{
    bool g = p->grid;
    bool ic = p->in_cond;
    p->grid = true;
    nvec cells = {0};
    int rows = 0, cols = -1, ccount = 0;
    next(p);
    while (!env_end(p)) {
        if (p->cur.t == TK_ROWSEP) { /* empty row */
            next(p);
            continue;
        }
        node *val = parse_rel(p);
        if (!val)
            goto out;
        if (cases) {
            if (is_char(p, ','))
                next(p);
            node *cond = NULL;
            if (is_char(p, '&')) {
                next(p);
                p->in_cond = true;
                nvec items = {0};
                while (!env_end(p) && p->cur.t != TK_ROWSEP) {
                    if (raw_is_conj(p)) {
                        next(p);
                        continue;
                    }
                    if (!can_start(p) && !is_char(p, '-')) {
                        fail_here(p, "unexpected token in condition");
                        goto out;
                    }
                    node *c = parse_rel(p);
                    if (!c)
                        goto out;
                    if (c->kind != RP_LX_TEXT && !push(p, &items, c))
                        goto out;
                }
                p->in_cond = ic;
                if (items.n == 1) {
                    cond = items.v[0];
                } else if (items.n > 1) {
                    cond = mk(p, RP_LX_AND, items.v[0]->pos, p->cur.pos, 0);
                    if (!cond)
                        goto out;
                    cond->kid = items.v;
                    cond->n_kid = items.n;
                    if (!fix_height(p, cond))
                        goto out;
                }
            }
            if (!push(p, &cells, val) || !push(p, &cells, cond))
                goto out;
            rows++;
        } else {
            if (!push(p, &cells, val))
                goto out;
            ccount++;
            if (is_char(p, '&')) {
                next(p);
                continue;
            }
            if (cols < 0)
                cols = ccount;
            else if (cols != ccount) {
                fail(p, val->pos, "matrix rows of different lengths (%d and %d)", cols, ccount);
                goto out;
            }
            ccount = 0;
            rows++;
        }
        if (p->cur.t == TK_ROWSEP) {
            next(p);
        } else if (!env_end(p)) {
            fail_here(p, cases ? "expected '\\\\' in cases" : "expected '&' or '\\\\' in matrix");
            goto out;
        }
    }
    if (!is_cmd(p, "end")) {
        fail(p, pos, "environment without '\\end'");
        goto out;
    }
    p->grid = g;
    next(p);
    size_t cs, ce;
    if (!raw_arg(p, &cs, &ce))
        return NULL;
    if (rows == 0)
        return fail(p, pos, "empty %s", cases ? "cases" : "matrix");
    node *m = mk(p, cases ? RP_LX_CASES : RP_LX_MATRIX, pos, ce + 1, 0);
    if (!m)
        return NULL;
    m->kid = cells.v;
    m->n_kid = cells.n;
    m->rows = rows;
    m->cols = cases ? 2 : cols;
    return fix_height(p, m);
out:
    p->grid = g;
    p->in_cond = ic;
    return NULL;
}

/* Skip an optional raw brace argument (column spec of array). */
static bool skip_brace(P *p)
{
    size_t cs, ce;
    return !is_char(p, '{') || raw_arg(p, &cs, &ce);
}

static node *parse_env(P *p)
{
    size_t pos = p->cur.pos, cs, ce;
    next(p);
    if (!raw_arg(p, &cs, &ce))
        return NULL;
    char nm[32];
    size_t n = ce - cs < sizeof nm - 1 ? ce - cs : sizeof nm - 1;
    memcpy(nm, p->s + cs, n);
    nm[n] = 0;
    static const char *const mats[] = {"bmatrix", "pmatrix", "Bmatrix", "vmatrix",
                                       "Vmatrix", "matrix", "smallmatrix", "array",
                                       "bmatrix*", "pmatrix*", NULL};
    static const char *const cases[] = {"cases", "dcases", "rcases", "cases*", NULL};
    static const char *const aligns[] = {"aligned", "align", "align*", "gathered",
                                         "gather", "gather*", "split", "equation",
                                         "equation*", "eqnarray", "eqnarray*",
                                         "alignedat", "multline", "multline*", NULL};
    for (size_t i = 0; mats[i]; i++)
        if (strcmp(nm, mats[i]) == 0) {
            if (strcmp(nm, "array") == 0 && !skip_brace(p))
                return NULL;
            /* the grid starts at the current token: step back one */
            p->cur.end = p->cur.pos;
            node *m = parse_grid(p, pos, false);
            if (m && nm[0] == 'v')
                m->op = 'v';
            return m;
        }
    for (size_t i = 0; cases[i]; i++)
        if (strcmp(nm, cases[i]) == 0) {
            p->cur.end = p->cur.pos;
            return parse_grid(p, pos, true);
        }
    for (size_t i = 0; aligns[i]; i++)
        if (strcmp(nm, aligns[i]) == 0) {
            if (strcmp(nm, "alignedat") == 0 && !skip_brace(p))
                return NULL;
            bool g = p->grid;
            p->grid = false;
            node *x = parse_list(p);
            p->grid = g;
            if (!x)
                return NULL;
            if (!is_cmd(p, "end"))
                return fail(p, pos, "environment without '\\end'");
            next(p);
            if (!raw_arg(p, &cs, &ce))
                return NULL;
            return x;
        }
    return fail(p, pos, "unsupported environment '%s'", nm);
}

/* \text{...} and friends: a word, a function name or a symbol. */
static node *parse_textlike(P *p, bool operatorname)
{
    size_t pos = p->cur.pos, cs, ce;
    next(p);
    if (!raw_arg(p, &cs, &ce))
        return NULL;
    char buf[NAME_CAP];
    rp_lx_canon(p->s + cs, ce - cs, buf, sizeof buf);
    size_t n = strlen(buf);
    if (n == 0) {
        node *t = mk(p, RP_LX_TEXT, pos, p->cur.pos, 0);
        if (t)
            t->name = "";
        return t;
    }
    int fid = func_id(buf, n);
    if (fid < 0 && (strcmp(buf, "Var") == 0 || strcmp(buf, "var") == 0 ||
                    strcmp(buf, "ReLU") == 0 || strcmp(buf, "softmax") == 0 ||
                    strcmp(buf, "SVD") == 0 || strcmp(buf, "diag") == 0 ||
                    strcmp(buf, "rank") == 0 || strcmp(buf, "E") == 0))
        fid = RP_LF_OTHER;
    if ((fid >= 0 || operatorname) && (starts_group(p) || (fid >= 0 && can_start(p))))
        return parse_func(p, fid >= 0 ? fid : RP_LF_OTHER,
                          dup_canon(p, cs, ce), pos);
    bool one = (n == 1 && is_alpha(buf[0])) ||
               (buf[0] == '\\' && rp_lx_greek(buf + 1, n - 1));
    if (one)
        return symbol_tail(p, mk_sym(p, buf, pos, p->cur.pos));
    if (buf[0] >= '0' && buf[0] <= '9') {
        node *x = parse_range(p, cs, ce, false);
        if (x)
            return x;
    }
    node *t = mk(p, RP_LX_TEXT, pos, p->cur.pos, 0);
    if (t) { /* words keep their spaces */
        while (cs < ce && p->s[cs] == ' ')
            cs++;
        while (ce > cs && p->s[ce - 1] == ' ')
            ce--;
        t->name = rp_arena_strndup(p->a, p->s + cs, ce - cs);
        if (!t->name)
            return fail(p, pos, "out of memory");
    }
    return t;
}

/* \mathbf{x}, \vec{x}, \hat{x}, \mathbb{R}, \mathcal{O}. */
static node *parse_font(P *p, const char *deco)
{
    size_t pos = p->cur.pos, cs, ce;
    next(p);
    char buf[NAME_CAP];
    if (is_char(p, '{')) {
        if (!raw_arg(p, &cs, &ce))
            return NULL;
    } else if (p->cur.t == TK_LETTER || p->cur.t == TK_CMD) {
        cs = p->cur.t == TK_CMD ? p->cur.pos : p->cur.pos;
        ce = p->cur.end;
        next(p);
    } else {
        return fail_here(p, "expected an argument");
    }
    rp_lx_canon(p->s + cs, ce - cs, buf, sizeof buf);
    size_t n = strlen(buf);
    if (deco && strcmp(deco, "mathcal") == 0 && strcmp(buf, "O") == 0 && starts_group(p))
        return parse_bigo(p, 0, pos);
    if (deco && (strcmp(deco, "mathcal") == 0 || strcmp(deco, "mathbb") == 0 ||
                 strcmp(deco, "mathscr") == 0 || strcmp(deco, "mathfrak") == 0 ||
                 strcmp(deco, "hat") == 0 || strcmp(deco, "bar") == 0 ||
                 strcmp(deco, "tilde") == 0 || strcmp(deco, "dot") == 0 ||
                 strcmp(deco, "ddot") == 0 || strcmp(deco, "check") == 0)) {
        char nm[NAME_CAP + 16];
        snprintf(nm, sizeof nm, "\\%s{%s}", deco, buf);
        return symbol_tail(p, mk_sym(p, nm, pos, p->cur.pos));
    }
    bool one = (n == 1 && is_alpha(buf[0])) ||
               (buf[0] == '\\' && rp_lx_greek(buf + 1, n - 1));
    if (one)
        return symbol_tail(p, mk_sym(p, buf, pos, p->cur.pos));
    /* \mathbf{0}, \mathbf{Wx}: parse the content */
    node *x = parse_range(p, cs, ce, true);
    return x;
}

static node *parse_letters(P *p)
{
    size_t pos = p->cur.pos, j = pos;
    while (j < p->lim && is_alpha(p->s[j]))
        j++;
    size_t n = j - pos;
    const char *w = p->s + pos;
    if (n >= 2) {
        int fid = func_id(w, n);
        if (fid < 0 && n == 4 && memcmp(w, "sqrt", 4) == 0) {
            seek(p, j);
            node *a = parse_arg(p);
            return a ? mk1(p, RP_LX_SQRT, a, pos, a->pos + a->len) : NULL;
        }
        if (fid >= 0 && fid != RP_LF_TR) {
            seek(p, j);
            const char *nm = rp_arena_strndup(p->a, w, n);
            if (!nm)
                return fail(p, pos, "out of memory");
            return parse_func(p, fid, nm, pos);
        }
        if (is_word(p, w, n)) {
            node *t = mk(p, RP_LX_TEXT, pos, j, 0);
            if (t)
                t->name = rp_arena_strndup(p->a, w, n);
            seek(p, j);
            return t;
        }
    }
    char b[2] = {p->cur.c, 0};
    next(p);
    if (b[0] == 'O' && starts_group(p) && p->cur.pos == pos + 1)
        return parse_bigo(p, 0, pos);
    return symbol_tail(p, mk_sym(p, b, pos, pos + 1));
}

/* Long (over 120 lines) because it is one dispatch over command names, each
 * branch a production of a few lines or a call to the production's own
 * function. */
static node *parse_cmd(P *p)
{
    tok t = p->cur;
    size_t pos = t.pos;
    const char *g = rp_lx_greek(t.s, t.n);
    if (g) {
        next(p);
        if ((strcmp(g, "Theta") == 0 || strcmp(g, "Omega") == 0) && starts_group(p))
            return parse_bigo(p, g[0] == 'T' ? 1 : 2, pos);
        char nm[32];
        snprintf(nm, sizeof nm, "\\%s", g);
        return symbol_tail(p, mk_sym(p, nm, pos, t.end));
    }
    if (rp_lx_is(&t, "pi") || rp_lx_is(&t, "infty") || rp_lx_is(&t, "varpi")) {
        node *x = mk(p, RP_LX_CONST, pos, t.end, 0);
        if (x)
            x->op = rp_lx_is(&t, "infty") ? RP_LC_INF : RP_LC_PI;
        next(p);
        return x;
    }
    if (rp_lx_is(&t, "frac") || rp_lx_is(&t, "dfrac") || rp_lx_is(&t, "tfrac") ||
        rp_lx_is(&t, "cfrac")) {
        next(p);
        node *a = parse_arg(p);
        node *b = a ? parse_arg(p) : NULL;
        node *d = mk2(p, RP_LX_DIV, a, b);
        if (d) {
            d->pos = pos;
            d->len = p->cur.pos - pos;
        }
        return d;
    }
    if (rp_lx_is(&t, "binom") || rp_lx_is(&t, "dbinom") || rp_lx_is(&t, "tbinom")) {
        next(p);
        node *a = parse_arg(p);
        node *b = a ? parse_arg(p) : NULL;
        node *f = mk2(p, RP_LX_FUNC, a, b);
        if (f) {
            f->op = RP_LF_BINOM;
            f->name = "binom";
            f->pos = pos;
        }
        return f;
    }
    if (rp_lx_is(&t, "sqrt")) {
        bool uni = p->s[pos] != '\\';
        next(p);
        node *idx = NULL;
        if (!uni && is_char(p, '[')) {
            size_t s0 = p->cur.end, e = s0;
            while (e < p->lim && p->s[e] != ']')
                e++;
            if (e >= p->lim)
                return fail(p, pos, "unbalanced '[' in \\sqrt");
            idx = parse_range(p, s0, e, true);
            if (!idx)
                return NULL;
            seek(p, e + 1);
        }
        node *a = uni && !is_char(p, '{') ? parse_atom(p) : parse_arg(p);
        if (!a)
            return NULL;
        node *x = mk(p, RP_LX_SQRT, pos, a->pos + a->len, idx ? 2 : 1);
        if (x) {
            x->kid[0] = a;
            if (idx)
                x->kid[1] = idx;
        }
        return fix_height(p, x);
    }
    if (rp_lx_is(&t, "left"))
        return parse_left(p);
    if (rp_lx_is(&t, "lfloor"))
        return wrap_group(p, RP_LX_FLOOR, close_floor, "'\\lfloor'");
    if (rp_lx_is(&t, "lceil"))
        return wrap_group(p, RP_LX_CEIL, close_ceil, "'\\lceil'");
    if (rp_lx_is(&t, "|") || rp_lx_is(&t, "Vert") || rp_lx_is(&t, "lVert"))
        return wrap_group(p, RP_LX_NORM, close_norm, "'\\|'");
    if (rp_lx_is(&t, "vert") || rp_lx_is(&t, "lvert"))
        return wrap_group(p, RP_LX_ABS, close_bar, "'|'");
    if (rp_lx_is(&t, "langle")) {
        node *x = group_until(p, pos, close_angle, "'\\langle'");
        if (x && x->kind == RP_LX_TUPLE)
            x->op = '<';
        return x;
    }
    if (rp_lx_is(&t, "{") || rp_lx_is(&t, "lbrace"))
        return paren_group(p, 's');
    if (rp_lx_is(&t, "text") || rp_lx_is(&t, "textrm") || rp_lx_is(&t, "mathrm") ||
        rp_lx_is(&t, "textit") || rp_lx_is(&t, "mbox") || rp_lx_is(&t, "textbf") ||
        rp_lx_is(&t, "mathit") || rp_lx_is(&t, "textsf") || rp_lx_is(&t, "mathsf") ||
        rp_lx_is(&t, "texttt") || rp_lx_is(&t, "mathtt") || rp_lx_is(&t, "textnormal"))
        return parse_textlike(p, false);
    if (rp_lx_is(&t, "operatorname") || rp_lx_is(&t, "operatornamewithlimits"))
        return parse_textlike(p, true);
    if (rp_lx_is(&t, "mathbf") || rp_lx_is(&t, "boldsymbol") || rp_lx_is(&t, "bm") ||
        rp_lx_is(&t, "vec") || rp_lx_is(&t, "pmb") || rp_lx_is(&t, "mathbfit") ||
        rp_lx_is(&t, "bold") || rp_lx_is(&t, "overrightarrow"))
        return parse_font(p, NULL);
    static const struct { const char *cmd, *deco; } decos[] = {
        {"mathcal", "mathcal"}, {"mathbb", "mathbb"}, {"mathscr", "mathscr"},
        {"mathfrak", "mathfrak"}, {"hat", "hat"}, {"widehat", "hat"},
        {"bar", "bar"}, {"overline", "bar"}, {"tilde", "tilde"},
        {"widetilde", "tilde"}, {"dot", "dot"}, {"ddot", "ddot"}, {"check", "check"}};
    for (size_t i = 0; i < sizeof decos / sizeof decos[0]; i++)
        if (rp_lx_is(&t, decos[i].cmd))
            return parse_font(p, decos[i].deco);
    if (rp_lx_is(&t, "boxed") || rp_lx_is(&t, "underline") || rp_lx_is(&t, "cancel") ||
        rp_lx_is(&t, "underbrace") || rp_lx_is(&t, "overbrace") || rp_lx_is(&t, "bbox") ||
        rp_lx_is(&t, "fbox") || rp_lx_is(&t, "mathbin") || rp_lx_is(&t, "mathop") ||
        rp_lx_is(&t, "mathord") || rp_lx_is(&t, "smash")) {
        next(p);
        node *x = parse_arg(p);
        if (x && (rp_lx_is(&t, "underbrace") || rp_lx_is(&t, "overbrace")) &&
            (is_char(p, '_') || is_char(p, '^'))) {
            next(p);
            size_t cs, ce;
            if (is_char(p, '{')) {
                if (!raw_arg(p, &cs, &ce))
                    return NULL;
            } else {
                next(p);
            }
        }
        return x;
    }
    if (rp_lx_is(&t, "color") || rp_lx_is(&t, "textcolor") || rp_lx_is(&t, "colorbox")) {
        next(p);
        size_t cs, ce;
        if (!raw_arg(p, &cs, &ce))
            return NULL;
        return parse_arg(p);
    }
    if (rp_lx_is(&t, "label") || rp_lx_is(&t, "tag") || rp_lx_is(&t, "phantom") ||
        rp_lx_is(&t, "hspace") || rp_lx_is(&t, "vspace") || rp_lx_is(&t, "hphantom") ||
        rp_lx_is(&t, "vphantom")) {
        next(p);
        size_t cs, ce;
        if (!raw_arg(p, &cs, &ce))
            return NULL;
        node *x = mk(p, RP_LX_TEXT, pos, p->cur.pos, 0);
        if (x)
            x->name = "";
        return x;
    }
    if (rp_lx_is(&t, "begin"))
        return parse_env(p);
    if (rp_lx_is(&t, "sum") || rp_lx_is(&t, "prod")) {
        next(p);
        return parse_sum(p, rp_lx_is(&t, "prod") ? 1 : 0, pos);
    }
    if (rp_lx_is(&t, "cdots") || rp_lx_is(&t, "ldots") || rp_lx_is(&t, "dots") ||
        rp_lx_is(&t, "vdots") || rp_lx_is(&t, "ddots") || rp_lx_is(&t, "dotsc") ||
        rp_lx_is(&t, "dotsb") || rp_lx_is(&t, "dotsm")) {
        next(p);
        return mk(p, RP_LX_ELLIPSIS, pos, t.end, 0);
    }
    int fid = func_id(t.s, t.n);
    if (fid >= 0 || rp_lx_is(&t, "arg") || rp_lx_is(&t, "sec") || rp_lx_is(&t, "csc") ||
        rp_lx_is(&t, "cot") || rp_lx_is(&t, "sinh") || rp_lx_is(&t, "cosh") ||
        rp_lx_is(&t, "arcsin") || rp_lx_is(&t, "arccos") || rp_lx_is(&t, "arctan") ||
        rp_lx_is(&t, "argmax") || rp_lx_is(&t, "argmin") || rp_lx_is(&t, "Pr") ||
        rp_lx_is(&t, "sup") || rp_lx_is(&t, "inf") || rp_lx_is(&t, "lim") ||
        rp_lx_is(&t, "gcd") || rp_lx_is(&t, "deg") || rp_lx_is(&t, "dim") ||
        rp_lx_is(&t, "ker") || rp_lx_is(&t, "exp") || rp_lx_is(&t, "coth") ||
        rp_lx_is(&t, "sech") || rp_lx_is(&t, "csch") || rp_lx_is(&t, "arccot") ||
        rp_lx_is(&t, "arcsinh") || rp_lx_is(&t, "arccosh") || rp_lx_is(&t, "arctanh")) {
        next(p);
        const char *nm = rp_arena_strndup(p->a, t.s, t.n);
        if (!nm)
            return fail(p, pos, "out of memory");
        return parse_func(p, fid >= 0 ? fid : RP_LF_OTHER, nm, pos);
    }
    if (rp_lx_is(&t, "right") || rp_lx_is(&t, "end"))
        return fail(p, pos, "unbalanced '\\%.*s'", (int)t.n, t.s);
    if (t.n == 1 && !is_alpha(t.s[0]))
        return fail(p, pos, "unexpected '\\%c'", t.s[0]);
    /* any other command: a named symbol (\hbar, \emptyset) */
    char nm[NAME_CAP];
    snprintf(nm, sizeof nm, "\\%.*s", (int)(t.n > 60 ? 60 : t.n), t.s);
    next(p);
    return symbol_tail(p, mk_sym(p, nm, pos, t.end));
}

static node *parse_atom(P *p)
{
    if (p->failed)
        return NULL;
    switch (p->cur.t) {
    case TK_NUM: {
        node *x = mk_num(p, p->cur.num, p->cur.pos, p->cur.end);
        if (x) {
            x->decimals = p->cur.decimals;
            x->sig = p->cur.sig;
        }
        next(p);
        return x;
    }
    case TK_LETTER:
        return parse_letters(p);
    case TK_CMD:
        return parse_cmd(p);
    case TK_CHAR:
        switch (p->cur.c) {
        case '(':
        case '[':
            return paren_group(p, p->cur.c);
        case '{':
            return paren_group(p, '{');
        case '|':
            if (p->cur.end < p->lim && p->s[p->cur.end] == '|')
                return wrap_group(p, RP_LX_NORM, close_norm, "'||'");
            return wrap_group(p, RP_LX_ABS, close_bar, "'|'");
        case '.':
            if (p->cur.end + 1 < p->lim && p->s[p->cur.end] == '.' && p->s[p->cur.end + 1] == '.') {
                size_t pos = p->cur.pos;
                seek(p, p->cur.end + 2);
                return mk(p, RP_LX_ELLIPSIS, pos, pos + 3, 0);
            }
            break;
        default:
            break;
        }
        return fail_here(p, "unexpected character");
    default:
        return fail_here(p, "expected an expression");
    }
}

/* ----------------------------------------------------------------- API */

rp_status rp_latex_parse(rp_arena *a, const char *src, size_t n,
                         rp_latex_node **out, rp_latex_error *err)
{
    *out = NULL;
    if (err) {
        err->pos = 0;
        err->msg[0] = 0;
    }
    if (n > RP_LATEX_MAX_INPUT) {
        if (err)
            snprintf(err->msg, sizeof err->msg, "input longer than %d bytes", RP_LATEX_MAX_INPUT);
        return RP_ELIMIT;
    }
    P p;
    memset(&p, 0, sizeof p);
    p.a = a;
    p.s = src ? src : "";
    p.lim = src ? n : 0;
    p.err = err;
    next(&p);
    if (p.cur.t == TK_END) {
        fail(&p, 0, "empty expression");
        return RP_EPARSE;
    }
    node *x = parse_list(&p);
    /* trailing punctuation of the sentence: "x = 3." */
    while (x && p.cur.t == TK_CHAR && strchr(".,;:\\", p.cur.c))
        next(&p);
    if (x && p.cur.t != TK_END)
        x = fail_here(&p, "unexpected token");
    if (p.nomem)
        return RP_ENOMEM;
    if (!x)
        return RP_EPARSE;
    *out = x;
    return RP_OK;
}

bool rp_latex_parses(const char *src, size_t n)
{
    rp_arena *a = rp_arena_new(64u << 20);
    if (!a)
        return false;
    rp_latex_node *x;
    bool ok = rp_latex_parse(a, src, n, &x, NULL) == RP_OK;
    rp_arena_free(a);
    return ok;
}

bool rp_latex_symbol_name(const char *src, size_t n, char *out, size_t cap)
{
    if (cap)
        out[0] = 0;
    rp_arena *a = rp_arena_new(1u << 20);
    if (!a)
        return false;
    rp_latex_node *x;
    bool ok = rp_latex_parse(a, src, n, &x, NULL) == RP_OK && x->kind == RP_LX_SYM &&
              !(x->flags & RP_LXF_BRACKET) && strlen(x->name) < cap;
    if (ok)
        memcpy(out, x->name, strlen(x->name) + 1);
    rp_arena_free(a);
    return ok;
}
