/*
 * The memo of runs of compiled programs (prog.h, ex_prog_run()): what a
 * program with sums gave at a point, remembered per thread.
 */
#include "prog_int.h"

#include <string.h>

/* The memo of runs: the value (and sum terms) of a program with sums at
 * one point, remembered per thread point by point.  A part's reference is
 * compared with every claim at the same points (the reference's symbols
 * are drawn first, so their values do not depend on the claim), a claim
 * that writes the reference's sum compiles to the same program, and a
 * diagnosis evaluates again points the comparison evaluated (the first 20
 * of the 96 of cases, those of the comparison before): such a point is
 * found here instead of evaluated again, and a run evaluates only the
 * points it does not find.  The key of a point is its program (every
 * field of every instruction, found in a table of programs that gives
 * each distinct one an id never given again) and every input the program
 * reads there (symbol values, the point seed, the rounding flag), compared
 * word for word, so a hit is the value the run would give: the points of
 * a run are independent of one another (each is a lane of its own).
 * Fixed slots, a point's slot chosen by its hash and replaced. */
#define MEMO_PROGS 8    /* programs whose ids are found by their words */
#define MEMO_KEY 1024   /* words of the longest program remembered */
#define MEMO_POINTS 512 /* points remembered (a power of two) */
#define MEMO_IN 14      /* inputs of a point: the symbols read, the seed */

typedef struct memo_prog {
    uint64_t hash, id; /* id 0: empty */
    size_t nkey;
    uint64_t w[MEMO_KEY];
} memo_prog;

typedef struct memo_point {
    uint64_t hash, id; /* id of the program, 0: empty */
    unsigned nin;
    uint64_t in[MEMO_IN];
    uint64_t out;      /* the value's bits */
    long terms;
} memo_point;

static _Thread_local memo_prog memo_progs[MEMO_PROGS];
static _Thread_local unsigned memo_prog_next;
static _Thread_local uint64_t memo_last_id;
static _Thread_local memo_point memo_points[MEMO_POINTS];

/* The id of p's words in this thread's table of programs (added when not
 * there); 0 when p is not remembered. */
static uint64_t prog_id(ex_prog *p)
{
    if (p->memo_id)
        return p->memo_id;
    if (!p->key || p->nkey > MEMO_KEY)
        return 0;
    uint64_t h = 0;
    for (size_t i = 0; i < p->nkey; i++)
        h = ex_mix(h ^ p->key[i]);
    for (int q = 0; q < MEMO_PROGS; q++) {
        const memo_prog *m = &memo_progs[q];
        if (m->id && m->hash == h && m->nkey == p->nkey &&
            memcmp(m->w, p->key, p->nkey * sizeof *p->key) == 0)
            return p->memo_id = m->id;
    }
    memo_prog *m = &memo_progs[memo_prog_next++ % MEMO_PROGS];
    m->hash = h;
    m->id = ++memo_last_id;
    m->nkey = p->nkey;
    memcpy(m->w, p->key, p->nkey * sizeof *p->key);
    return p->memo_id = m->id;
}

/* The inputs of point i of pts that p reads into in[] (their count). */
static unsigned point_inputs(const ectx *c, const ex_prog *p, const ex_points *pts, size_t i,
                             uint64_t *in)
{
    unsigned n = 0;
    in[n++] = (uint64_t)c->no_round;
    for (int s = 0; s < p->nsyms; s++)
        in[n++] = ex_bits(pts->sym[i * (size_t)pts->nsym + (size_t)p->syms[s]]);
    if (p->seeds)
        in[n++] = pts->pseed[i];
    return n;
}

static uint64_t point_hash(uint64_t id, const uint64_t *in, unsigned nin)
{
    uint64_t h = ex_mix(id);
    for (unsigned j = 0; j < nin; j++)
        h = ex_mix(h ^ in[j]);
    return h;
}

bool ex_prog_run(ectx *c, ex_prog *p, const ex_points *pts, double *out, long *terms)
{
    size_t n = pts->n;
    uint64_t id = 1 + (size_t)p->nsyms + (p->seeds ? 1 : 0) <= MEMO_IN ? prog_id(p) : 0;
    if (!id) {
        ex_prog_run_all(c, p, pts, out, terms);
        return true;
    }
    /* the points not found, copied into a run of their own */
    size_t *miss = rp_arena_alloc(c->a, (n + 1) * sizeof *miss);
    ex_points rest;
    rest.k0 = pts->k0;
    rest.nsym = pts->nsym;
    rest.sym = rp_arena_alloc(c->a, (n * (size_t)pts->nsym + 1) * sizeof *rest.sym);
    rest.pseed = rp_arena_alloc(c->a, (n + 1) * sizeof *rest.pseed);
    if (!miss || !rest.sym || !rest.pseed) {
        ex_prog_run_all(c, p, pts, out, terms);
        return true;
    }
    size_t nm = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t in[MEMO_IN];
        unsigned nin = point_inputs(c, p, pts, i, in);
        uint64_t h = point_hash(id, in, nin);
        const memo_point *m = &memo_points[h & (MEMO_POINTS - 1)];
        if (m->id == id && m->hash == h && m->nin == nin &&
            memcmp(m->in, in, nin * sizeof *in) == 0) {
            out[i] = ex_dbl(m->out);
            terms[i] = m->terms;
            continue;
        }
        memcpy(rest.sym + nm * (size_t)pts->nsym, pts->sym + i * (size_t)pts->nsym,
               (size_t)pts->nsym * sizeof *rest.sym);
        rest.pseed[nm] = pts->pseed[i];
        miss[nm++] = i;
    }
    if (!nm)
        return true;
    rest.n = (unsigned)nm;
    double *ro = rp_arena_alloc(c->a, nm * sizeof *ro);
    long *rt = rp_arena_alloc(c->a, nm * sizeof *rt);
    if (!ro || !rt) {
        ex_prog_run_all(c, p, pts, out, terms);
        return true;
    }
    ex_prog_run_all(c, p, &rest, ro, rt);
    for (size_t j = 0; j < nm; j++) {
        size_t i = miss[j];
        out[i] = ro[j];
        terms[i] = rt[j];
        uint64_t in[MEMO_IN];
        unsigned nin = point_inputs(c, p, pts, i, in);
        uint64_t h = point_hash(id, in, nin);
        memo_point *m = &memo_points[h & (MEMO_POINTS - 1)];
        m->hash = h;
        m->id = id;
        m->nin = nin;
        memcpy(m->in, in, nin * sizeof *in);
        m->out = ex_bits(ro[j]);
        m->terms = rt[j];
    }
    return true;
}
