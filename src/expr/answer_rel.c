/*
 * Equations with the same solution set, for answer.c's relations: the
 * text of an equation F = 0 solved for one of its symbols v when F is
 * affine in v.
 *
 * F(v) = F(0) + v (F(1) - F(0)) holds for every v exactly when F is
 * affine in v, which the comparison checks as F(2) - F(1) = F(1) - F(0)
 * at random points of the other symbols; F = 0 is then v = R(F) with
 * R(F) = -F(0) / (F(1) - F(0)).  Two equations both affine in v, with the
 * same R, have the same solutions (x/y = 2 and x = 2y for x; xy = 1 and
 * y = 1/x for y), which no constant multiple shows.  Symbols are replaced
 * by a number where the parser put them (never inside a subscript, a
 * command name or another symbol), so the texts built here read as
 * F(0), F(1), F(2).
 */
#include "answer_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef rp_latex_node node;

typedef struct at_list {
    size_t pos[32], len[32]; /* ranges of the symbol in the source */
    size_t n;
    bool bad; /* sums, too many places: no substitution */
} at_list;

/* The range of the symbol x in src without the brackets the parser gives
 * a bracketed node ("(x)" or "\left( x" ranges start at the bracket). */
static void sym_range(const char *src, const node *x, size_t *pos, size_t *len)
{
    size_t a = x->pos, b = x->pos + x->len;
    for (;;) {
        if (a < b && strchr("([{ ", src[a]))
            a++;
        else if (b - a > 5 && memcmp(src + a, "\\left", 5) == 0)
            a += 5;
        else
            break;
    }
    for (;;) { /* the brace closing \mathbf{x} stays */
        if (b > a && strchr(")]} ", src[b - 1]) && (src[b - 1] != '}' || src[a] != '\\'))
            b--;
        else if (b - a > 6 && memcmp(src + b - 6, "\\right", 6) == 0)
            b -= 6;
        else
            break;
    }
    *pos = a;
    *len = b - a;
}

/* Where the symbol name stands in x. */
static void places(const char *src, const node *x, const char *name, at_list *l, int depth)
{
    if (!x || l->bad)
        return;
    if (depth > RP_LATEX_MAX_TREE || x->kind == RP_LX_SUM) {
        l->bad = true; /* a bound index may be the symbol */
        return;
    }
    if (x->kind == RP_LX_SYM) {
        if (strcmp(x->name, name) == 0 && !(x->flags & RP_LXF_BRACKET)) {
            if (l->n >= 32) {
                l->bad = true;
                return;
            }
            sym_range(src, x, &l->pos[l->n], &l->len[l->n]);
            l->n++;
        }
        return; /* a subscript is part of the name */
    }
    for (size_t i = 0; i < x->n_kid; i++)
        places(src, x->kid[i], name, l, depth + 1);
}

static int by_pos(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* f with every place of name replaced by " (with)" into out (spaced: x (0)
 * is a product, never an application x(0)). */
static bool substitute(sp f, const at_list *l, const char *with, char *out, size_t cap)
{
    size_t o = 0, from = 0;
    size_t order[32][2];
    for (size_t k = 0; k < l->n; k++) {
        order[k][0] = l->pos[k];
        order[k][1] = l->len[k];
    }
    qsort(order, l->n, sizeof order[0], by_pos);
    for (size_t k = 0; k <= l->n; k++) {
        size_t to = k < l->n ? order[k][0] : f.n;
        if (to < from || to > f.n)
            return false;
        int w = snprintf(out + o, cap - o, "%.*s%s%s%s", (int)(to - from), f.s + from,
                         k < l->n ? " (" : "", k < l->n ? with : "", k < l->n ? ")" : "");
        if (w < 0 || (size_t)w >= cap - o)
            return false;
        o += (size_t)w;
        if (k < l->n)
            from = order[k][0] + order[k][1];
    }
    return true;
}

size_t an_rel_symbols(sp f, char names[][64], size_t cap)
{
    rp_arena *a = rp_arena_new(1u << 20);
    if (!a)
        return 0;
    node *x;
    size_t n = 0;
    if (rp_latex_parse(a, f.s, f.n, &x, NULL) == RP_OK) {
        const node *stack[256];
        size_t top = 0;
        stack[top++] = x;
        while (top && n < cap) {
            const node *y = stack[--top];
            if (y->kind == RP_LX_SYM) {
                bool seen = strcmp(y->name, "e") == 0 || strlen(y->name) >= 64;
                for (size_t k = 0; k < n && !seen; k++)
                    seen = strcmp(names[k], y->name) == 0;
                if (!seen)
                    snprintf(names[n++], 64, "%s", y->name);
                continue;
            }
            for (size_t i = 0; i < y->n_kid && top < 256; i++)
                if (y->kid[i])
                    stack[top++] = y->kid[i];
        }
    }
    rp_arena_free(a);
    return n;
}

bool an_rel_solved(sp f, const char *name, char *root, char *step1, char *step2, size_t cap)
{
    rp_arena *a = rp_arena_new(1u << 20);
    if (!a)
        return false;
    node *x;
    at_list l;
    memset(&l, 0, sizeof l);
    bool ok = rp_latex_parse(a, f.s, f.n, &x, NULL) == RP_OK;
    if (ok)
        places(f.s, x, name, &l, 0);
    rp_arena_free(a);
    if (!ok || l.bad || l.n == 0)
        return false;
    char f0[AN_CAP + 64], f1[AN_CAP + 64], f2[AN_CAP + 64];
    if (!substitute(f, &l, "0", f0, sizeof f0) || !substitute(f, &l, "1", f1, sizeof f1) ||
        !substitute(f, &l, "2", f2, sizeof f2))
        return false;
    int w0 = snprintf(root, cap, "\\frac{-(%s)}{(%s)-(%s)}", f0, f1, f0);
    int w1 = snprintf(step1, cap, "(%s)-(%s)", f1, f0);
    int w2 = snprintf(step2, cap, "(%s)-(%s)", f2, f1);
    return w0 > 0 && (size_t)w0 < cap && w1 > 0 && (size_t)w1 < cap && w2 > 0 &&
           (size_t)w2 < cap;
}
