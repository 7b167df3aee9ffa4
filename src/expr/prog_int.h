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

/* Append the words of node x (NULL: a case's missing condition) to k:
 * the fields vec_eval() reads of it, not its children's (the walk that
 * builds the key appends them in its order).  k is no longer ok when
 * full. */
void ex_vmkey_node(ex_vmkey *k, const rp_latex_node *x);

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
