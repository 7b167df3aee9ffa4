/*
 * What prog.c and prog_memo.c share of a compiled program: its layout
 * (the instructions stay prog.c's) and the run of every point without the
 * memo of runs.
 */
#ifndef RP_EXPR_PROG_INT_H
#define RP_EXPR_PROG_INT_H

#include "prog.h"

#include <string.h>

struct ins;
struct block;

/* The bits of a double, and the double of bits. */
static inline uint64_t ex_bits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

static inline double ex_dbl(uint64_t u)
{
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

struct ex_prog {
    struct ins *ins;
    int nins;
    struct block *blk;
    int nblk;
    int nreg;
    int result;   /* register of the value (level 0) */
    double *regs; /* nreg x LANES, scratch of runs */
    /* for the memo of runs (programs with sums only): the program as
     * words, and what it reads of a point */
    uint64_t *key;
    size_t nkey;
    int *syms;    /* symbols read */
    int nsyms;
    bool seeds;   /* reads the point seed (array entries) */
    uint64_t memo_id; /* its id in the memo of runs, 0: not looked up yet */
};

/* Run p at every point of pts into out and terms (see ex_prog_run()),
 * every point evaluated. */
void ex_prog_run_all(ectx *c, const ex_prog *p, const ex_points *pts, double *out, long *terms);

/* ------------------------------------------------ the memo of walks */

/* The memo of walks (prog_memo.c): the values of a side without sums
 * walked over a run of points (vec_run() in prog.c), remembered in the
 * thread's context. */
#define EX_VMEMO_KEY 256 /* words of the largest tree remembered */
#define EX_VMEMO_PTS 32  /* points of the longest run remembered */
#define EX_VMEMO_COLS 6  /* symbols read by a tree remembered */

/* The key of a walked tree: the words of every node the walk reads, a
 * symbol by the order of its first appearance (cols: the symbols, as
 * numbered in the comparison); the inputs of a run are read from its
 * points. */
typedef struct ex_vmkey {
    bool ok;       /* the tree can be remembered */
    bool seeds;    /* the tree reads the point seed (array entries) */
    int ncols;
    int cols[EX_VMEMO_COLS];
    uint64_t hash; /* of the words (ex_vmkey_keep()) */
    size_t nkey;
    uint64_t key[EX_VMEMO_KEY]; /* nkey of them (a kept key holds no more) */
} ex_vmkey;

/* An empty key. */
void ex_vmkey_start(ex_vmkey *k);

/* The words of an array entry or a relation chain beyond the two of every
 * node (prog_memo.c). */
void ex_vmkey_more(ex_vmkey *k, const rp_latex_node *x);

/* The number (from 1) of symbol i among the symbols k has seen (added
 * when new); 0 when there are too many (k is then not ok). */
static inline unsigned ex_vmkey_col(ex_vmkey *k, int i)
{
    for (int j = 0; j < k->ncols; j++)
        if (k->cols[j] == i)
            return (unsigned)j + 1;
    if (k->ncols >= EX_VMEMO_COLS) {
        k->ok = false;
        return 0;
    }
    k->cols[k->ncols] = i;
    return (unsigned)++k->ncols;
}

/* Append the words of node x (NULL: a case's missing condition) to k:
 * the fields vec_eval() reads of it, not its children's (the walk that
 * builds the key appends them in its order); k is no longer ok when full.
 * The words of a node: the first the kind, the children's count and the
 * flags (UINT64_MAX for a missing condition, which no node gives: the
 * count is below 2^23), the second the operator and aux (for a symbol
 * read, its number from 1; vec_ok() in prog.c takes no other symbol but
 * aux -1 and -4), then the number of a NUM, the relations of a REL, the
 * base name of an array entry (its length, then 8 bytes a word).  What a
 * node's words say decides which of its children the walk reads and in
 * what order, so no two trees give the same words. */
static inline void ex_vmkey_node(ex_vmkey *k, const rp_latex_node *x)
{
    if (!k->ok)
        return;
    if (k->nkey + 3 > EX_VMEMO_KEY) {
        k->ok = false;
        return;
    }
    uint64_t *w = k->key + k->nkey;
    if (!x) { /* a case without a condition: "otherwise" */
        w[0] = UINT64_MAX;
        k->nkey++;
        return;
    }
    if ((unsigned)x->kind > 255 || x->n_kid >= (1u << 23)) {
        k->ok = false;
        return;
    }
    int aux = x->aux;
    if (x->kind == RP_LX_SYM && aux > 0)
        aux = (int)ex_vmkey_col(k, aux - 1);
    w[0] = (uint64_t)x->kind | (uint64_t)x->n_kid << 8 | (uint64_t)x->flags << 32;
    w[1] = (uint64_t)(uint32_t)x->op | (uint64_t)(uint32_t)aux << 32;
    k->nkey += 2;
    if (x->kind == RP_LX_NUM)
        k->key[k->nkey++] = ex_bits(x->num);
    if ((x->kind == RP_LX_SYM && x->aux == -1) || (x->kind == RP_LX_REL && x->rel))
        ex_vmkey_more(k, x);
}

/* A copy of k holding its words only, in c->a, its hash set; NULL when k
 * is not ok or out of memory. */
const ex_vmkey *ex_vmkey_keep(ectx *c, const ex_vmkey *k);

/* The values of the tree of key at every point of pts into out when this
 * thread's context walked it over the same inputs before (true); else
 * false, *slot where ex_vec_memo_put() keeps them (NULL: nowhere). */
bool ex_vec_memo_find(const ectx *c, const ex_vmkey *key, const ex_points *pts, double *out,
                      void **slot);

/* Remember out, the values of the tree of key at pts, in slot. */
void ex_vec_memo_put(const ectx *c, const ex_vmkey *key, void *slot, const ex_points *pts,
                     const double *out);

#endif
