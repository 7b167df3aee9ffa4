/*
 * Sequences written two ways: y[n] is an entry of the sequence y, and where
 * y is written so somewhere and applied as y(n) elsewhere (never alone),
 * y(n) is the same entry (eval.c evaluates both from one hash of the name
 * and the index).  Without that evidence y(n) stays a product, as in
 * c(n+1).
 */
#include "expr_int.h"

#include <string.h>

bool ex_is_sequence(const ectx *c, const char *base)
{
    for (int i = 0; base && i < c->nseq; i++)
        if (strcmp(c->seq[i], base) == 0)
            return true;
    return false;
}

typedef struct seqscan {
    const char *brk[8], *app[8], *bare[16];
    int nbrk, napp, nbare;
} seqscan;

static void note_name(const char **list, int *n, int cap, const char *name)
{
    for (int i = 0; i < *n; i++)
        if (strcmp(list[i], name) == 0)
            return;
    if (*n < cap)
        list[(*n)++] = name;
}

static void scan_seq(seqscan *s, const rp_latex_node *x, int depth)
{
    if (!x || depth > RP_LATEX_MAX_TREE)
        return;
    if (x->kind == RP_LX_SYM && x->base) {
        if (x->flags & RP_LXF_BRACKET)
            note_name(s->brk, &s->nbrk, 8, x->base);
        else
            note_name(s->bare, &s->nbare, 16, x->base);
    }
    size_t from = 0;
    if (x->kind == RP_LX_MUL && (x->flags & RP_LXF_APPLY) && x->kid[0]->kind == RP_LX_SYM &&
        x->kid[0]->base && x->kid[0]->n_kid == 0) {
        note_name(s->app, &s->napp, 8, x->kid[0]->base);
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

