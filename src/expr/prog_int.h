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

#endif
