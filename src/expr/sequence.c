/*
 * Names applied to an argument, y(n) and f(x), which are not products.
 * Sequences written two ways: y[n] is an entry of the sequence y, and where
 * y is written so somewhere and applied as y(n) elsewhere (never alone),
 * y(n) is the same entry (eval.c evaluates both from one hash of the name
 * and the index).  Functions: f(x), \sigma(x), g(2) where f is declared a
 * function or applied on both sides (ex_find_functions says the rule)
 * evaluate as one smooth random function of the argument per name and
 * point.  Without that evidence y(n) and f(x) stay products, as in c(n+1).
 */
#include "expr_int.h"

#include <math.h>
#include <string.h>

bool ex_is_sequence(const ectx *c, const char *base)
{
    for (int i = 0; base && i < c->nseq; i++)
        if (strcmp(c->seq[i], base) == 0)
            return true;
    return false;
}

typedef struct seqscan {
    const char *brk[8], *app[8], *bare[32], *papp[8];
    int nbrk, napp, nbare, npapp;
    bool full; /* a list overflowed: a name may be missing from one */
} seqscan;

static void note_in(seqscan *s, const char **list, int *n, int cap, const char *name)
{
    for (int i = 0; i < *n; i++)
        if (strcmp(list[i], name) == 0)
            return;
    if (*n < cap)
        list[(*n)++] = name;
    else
        s->full = true;
}

#define note_name(list, n, cap, name) note_in(s, list, n, cap, name)

/* "f(x)^2": a name beside a bracket raised to a power (the parser's
 * product f (x)^2), an application where f is a function. */
static bool applied_pow(const rp_latex_node *x)
{
    if (x->kind != RP_LX_MUL || !(x->flags & RP_LXF_IMPLICIT) || x->kid[0]->kind != RP_LX_SYM ||
        x->kid[0]->n_kid != 0 || !x->kid[0]->base)
        return false;
    const rp_latex_node *p = x->kid[1];
    return p->kind == RP_LX_POW && (p->kid[0]->flags & RP_LXF_PAREN) &&
           x->kid[0]->pos + x->kid[0]->len == p->kid[0]->pos;
}

static void scan_seq(seqscan *s, const rp_latex_node *x, int depth)
{
    if (!x || depth > RP_LATEX_MAX_TREE)
        return;
    if (x->kind == RP_LX_SYM && x->base) {
        if (x->flags & RP_LXF_BRACKET)
            note_name(s->brk, &s->nbrk, 8, x->base);
        else
            note_name(s->bare, &s->nbare, 32, x->base);
    }
    size_t from = 0;
    if (x->kind == RP_LX_MUL && (x->flags & RP_LXF_APPLY) && x->kid[0]->kind == RP_LX_SYM &&
        x->kid[0]->base && x->kid[0]->n_kid == 0) {
        note_name(s->app, &s->napp, 8, x->kid[0]->base);
        from = 1;
    } else if (applied_pow(x)) {
        note_name(s->papp, &s->npapp, 8, x->kid[0]->base);
        from = 1;
    }
    for (size_t i = from; i < x->n_kid; i++)
        scan_seq(s, x->kid[i], depth + 1);
}

void ex_find_sequences(ectx *c, const rp_latex_node *t, const rp_latex_node *cl)
{
    seqscan s;
    memset(&s, 0, sizeof s);
    scan_seq(&s, t, 0);
    scan_seq(&s, cl, 0);
    c->nseq = 0;
    /* evidence of a sequence: written y[n] somewhere, y(n) elsewhere, and
     * never y alone (then y(n) may be a product) */
    for (int i = 0; i < s.napp && c->nseq < 8; i++) {
        bool brk = false, bare = false;
        for (int j = 0; j < s.nbrk; j++)
            brk = brk || strcmp(s.brk[j], s.app[i]) == 0;
        for (int j = 0; j < s.nbare; j++)
            bare = bare || strcmp(s.bare[j], s.app[i]) == 0;
        if (brk && !bare)
            c->seq[c->nseq++] = s.app[i];
    }
}


/* ------------------------------------------------------------ functions */

static bool listed(const char *const *list, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(list[i], name) == 0)
            return true;
    return false;
}

int ex_apply_kind(const ectx *c, const rp_latex_node *x)
{
    if (c->nseq == 0 && c->nfn == 0)
        return 0;
    const char *base = x->kid[0]->base;
    if (!base)
        return 0;
    if (!(x->flags & RP_LXF_APPLY))
        return applied_pow(x) && listed(c->fn, c->nfn, base) ? -6 : 0;
    if (ex_is_sequence(c, base))
        return -5;
    return x->kid[0]->n_kid == 0 && listed(c->fn, c->nfn, base) ? -6 : 0;
}

/* Does x apply a name to a bracket somewhere ("f(x)", "\sigma(z)")?  The
 * names are collected only then. */
static bool applies_something(const rp_latex_node *x)
{
    if (!x)
        return false;
    if (x->kind == RP_LX_MUL && ((x->flags & RP_LXF_APPLY) || applied_pow(x)))
        return true;
    for (size_t i = 0; i < x->n_kid; i++)
        if (applies_something(x->kid[i]))
            return true;
    return false;
}

/* Evidence that a name is a function (the rule): it is declared one in
 * the options (rp_var_domain.function), or it is applied, name followed
 * by a bracketed argument, on both sides, and written alone (a factor
 * without its argument) on neither.  Without that evidence f(x) stays a
 * product, as in x(x+1) or a claim 2g against g(2). */
void ex_find_functions(ectx *c, const rp_latex_node *t, const rp_latex_node *cl)
{
    c->nfn = 0;
    const rp_equiv_opts *o = c->o;
    bool declared = false;
    for (size_t i = 0; o && i < o->n_vars; i++)
        declared = declared || o->vars[i].function;
    if (!declared && !(applies_something(t) && applies_something(cl)))
        return;
    seqscan st, sc;
    memset(&st, 0, sizeof st);
    memset(&sc, 0, sizeof sc);
    scan_seq(&st, t, 0);
    scan_seq(&sc, cl, 0);
    for (size_t i = 0; o && i < o->n_vars && c->nfn < 8; i++)
        if (o->vars[i].function && c->vname && c->vname[i] && !listed(c->fn, c->nfn, c->vname[i]))
            c->fn[c->nfn++] = c->vname[i];
    if (st.full || sc.full)
        return; /* too many names to be sure one is never alone */
    for (int i = 0; i < st.napp + st.npapp && c->nfn < 8; i++) {
        const char *f = i < st.napp ? st.app[i] : st.papp[i - st.napp];
        if ((listed(sc.app, sc.napp, f) || listed(sc.papp, sc.npapp, f)) &&
            !listed(st.bare, st.nbare, f) && !listed(sc.bare, sc.nbare, f) &&
            !listed(c->fn, c->nfn, f))
            c->fn[c->nfn++] = f;
    }
}

static double fn_unif(uint64_t *h)
{
    *h = ex_mix(*h);
    return (double)(*h >> 11) * (1.0 / 9007199254740992.0);
}

#define FN_TERMS 3
#define FN_ARGS 8

/* f(a_1, ..., a_n) = a sum of FN_TERMS waves sin(w . a + phase) with
 * weights, frequencies and phases drawn from f's name and the point: two
 * applications agree only where their arguments do (f(4) is not f(5),
 * f(a + b) is not f(a) + f(b)), and f(x) on both sides is one value. */
double ex_apply_func(ectx *c, const rp_latex_node *x, bool fast)
{
    const rp_latex_node *arg = x->kid[1];
    if (!(x->flags & RP_LXF_APPLY)) { /* f(x)^e (applied_pow) */
        double e = fast ? ex_fast(c, arg->kid[1]) : ex_eval_scalar(c, arg->kid[1]);
        rp_latex_node app = *x;
        app.flags |= RP_LXF_APPLY;
        rp_latex_node *kids[2] = {x->kid[0], arg->kid[0]};
        app.kid = kids;
        return pow(ex_apply_func(c, &app, fast), e);
    }
    rp_latex_node *const *args = &x->kid[1];
    size_t n = 1;
    if (arg->kind == RP_LX_TUPLE) {
        args = arg->kid;
        n = arg->n_kid;
    }
    if (n > FN_ARGS)
        n = FN_ARGS;
    double a[FN_ARGS];
    for (size_t i = 0; i < n; i++)
        a[i] = fast ? ex_fast(c, args[i]) : ex_eval_scalar(c, args[i]);
    uint64_t h = 1469598103934665603ull; /* FNV-1a of the name */
    for (const char *p = x->kid[0]->base; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    h ^= c->pseed + n;
    double v = 0;
    for (int k = 0; k < FN_TERMS; k++) {
        double s = 2 * M_PI * fn_unif(&h);
        for (size_t i = 0; i < n; i++)
            s += (0.3 + 1.2 * fn_unif(&h)) * a[i];
        v += (0.5 + fn_unif(&h)) * sin(s);
    }
    return v + 2.5;
}
