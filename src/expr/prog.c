/*
 * Compiled evaluation of a resolved scalar tree (see prog.h).
 *
 * A program is a set of blocks of instructions over registers.  Block 0
 * runs over the points (up to LANES at a time); the body of a sum is a
 * block one level deeper that runs over the sum's terms, LANES at a time,
 * once for every lane of the level where the sum stands.  Each node is
 * compiled at the level of the deepest sum index it depends on, so that
 * the index arithmetic of \sum_i \sum_j dy_{i,j} x_{i+h-1,j+l-1} that
 * depends on i alone (i+h-1, and the hash of x's first index) is computed
 * once per i, not once per term; a value of a shallower level is copied
 * into the lanes of a deeper block where it is used (BCAST).  Nothing is
 * reassociated: every node is the operation ex_fast() performs, on the same
 * operands, so values are identical to the tree walk's.  Sums stay at the
 * level where they are written (never hoisted), so they run as often as in
 * the tree walk and their terms are counted the same way.
 *
 * Not compiled (ex_prog_compile() returns NULL): cases, relations, text,
 * functions other than the common ones, unresolved symbols, sums nested
 * or borrowing bounds too deeply.  At run time, a point where a sum's
 * bounds are not finite or too large, or where the terms pass the
 * evaluation budget, is flagged for the tree walk.
 */
#include "prog_int.h"

#include <stdio.h>
#include <string.h>

#define LANES 64     /* lanes of a register: points, or terms of a sum */
#define MAXLEV 8     /* sums nested in one another */
#define MAXINS 4096  /* instructions of a program */
#define STACK_INS 128 /* instructions compiled without the arena */
#define MAXBLK 64    /* blocks: the top and one per sum */
#define MAXBC 128    /* copies of shallower values into deeper blocks */
#define MAXHASH 64   /* array names of one program */
#define EXACT_INT 4503599627370496.0 /* 2^52: sum bounds counted exactly */

typedef rp_latex_node node;

enum {
    I_CONST, I_SYM, I_IDX, I_BCAST, I_ADD, I_SUB, I_MUL, I_DIV, I_NEG, I_POW, I_SQRT,
    I_ROOT, I_FLOOR, I_CEIL, I_ABS, I_F1, I_LOGB, I_SIGMOID, I_SIGN, I_MAX, I_MIN,
    I_BINOM, I_FACT, I_HINIT, I_HSTEP, I_HOUT, I_SUM
};

typedef struct ins {
    int op, blk;         /* opcode; the block it belongs to */
    int dst, a, b;       /* registers (-1 unused) */
    int aux;             /* SYM: symbol; HSTEP: index position; SUM: body result; BCAST: level of a */
    int body;            /* SUM: the body's block */
    bool prod;           /* SUM: \prod */
    double k;            /* CONST */
    uint64_t u;          /* HINIT: hash of the name */
    double (*f)(double); /* F1 */
} ins;

typedef struct block {
    int lev;
    int first, n; /* its instructions: ins[first .. first+n) after ordering */
    bool sums;    /* a sum stands among them */
} block;


/* A compiled value: a register of some level, or a constant (reg < 0). */
typedef struct ref {
    int reg, lev;
    double k;
} ref;

typedef struct cstate {
    ectx *c;
    ins *ins;
    int nins, cap; /* instructions and registers (one each) allocated */
    int *reglev;
    int nreg;
    block blk[MAXBLK];
    int nblk;
    int stack[MAXLEV + 1];         /* block of each level of the current nest */
    const char *sname[MAXLEV + 1]; /* index of the sum of each level (1..depth) */
    int sidx[MAXLEV + 1];          /* its IDX register */
    int depth;
    int symreg[EX_MAXSYM];         /* SYM loads, one per symbol */
    struct { uint64_t name; int reg; } hinit[MAXHASH];
    int nhinit;
    struct { int blk, src, dst; } bc[MAXBC];
    int nbc;
    int bounds_depth;
    bool fail;
    ins *last; /* the instruction op2() emitted */
    ins sink;  /* where instructions go once the program is full */
    /* the first instructions and register levels: most programs fit, and
     * growing them in the arena zeroed kilobytes for every compile */
    ins ins0[STACK_INS];
    int reglev0[STACK_INS];
} cstate;

/* ---------------------------------------------------------- compiling */

/* Room for one more instruction and register (doubling up to MAXINS). */
static bool grow(cstate *s)
{
    if (s->nins < s->cap && s->nreg < s->cap)
        return true;
    if (s->cap >= MAXINS)
        return false;
    if (!s->cap) {
        s->ins = s->ins0;
        s->reglev = s->reglev0;
        s->cap = STACK_INS;
        return true;
    }
    int cap = 2 * s->cap;
    ins *in = rp_arena_alloc(s->c->a, (size_t)cap * sizeof *in);
    int *rl = in ? rp_arena_alloc(s->c->a, (size_t)cap * sizeof *rl) : NULL;
    if (!in || !rl)
        return false;
    memcpy(in, s->ins, (size_t)s->cap * sizeof *in);
    memcpy(rl, s->reglev, (size_t)s->cap * sizeof *rl);
    s->ins = in;
    s->reglev = rl;
    s->cap = cap;
    return true;
}

/* A register of level lev (emit() made the room). */
static int new_reg(cstate *s, int lev)
{
    if (s->nreg >= s->cap) {
        s->fail = true;
        return 0;
    }
    s->reglev[s->nreg] = lev;
    return s->nreg++;
}

/* Append an instruction to the current block of level lev; returns it
 * (a scratch slot once the program is full: s->fail is then set). */
static ins *emit(cstate *s, int op, int lev)
{
    if (s->fail || !grow(s)) {
        s->fail = true;
        memset(&s->sink, 0, sizeof s->sink);
        return &s->sink;
    }
    ins *i = &s->ins[s->nins++];
    memset(i, 0, sizeof *i);
    i->op = op;
    i->blk = s->stack[lev];
    i->a = i->b = -1;
    i->dst = new_reg(s, lev);
    return i;
}

/* r as a register of level lev (>= its own). */
static int at_level(cstate *s, ref r, int lev)
{
    if (s->fail)
        return 0;
    if (r.reg < 0) {
        ins *i = emit(s, I_CONST, lev);
        i->k = r.k;
        return i->dst;
    }
    if (r.lev == lev)
        return r.reg;
    if (r.lev > lev) { /* a compiler error: never hoist a deeper value */
        s->fail = true;
        return 0;
    }
    int b = s->stack[lev];
    for (int i = 0; i < s->nbc; i++)
        if (s->bc[i].blk == b && s->bc[i].src == r.reg)
            return s->bc[i].dst;
    if (s->nbc >= MAXBC) {
        s->fail = true;
        return 0;
    }
    ins *i = emit(s, I_BCAST, lev);
    i->a = r.reg;
    i->aux = r.lev;
    s->bc[s->nbc].blk = b;
    s->bc[s->nbc].src = r.reg;
    s->bc[s->nbc].dst = i->dst;
    s->nbc++;
    return i->dst;
}

static int lev_of(ref r)
{
    return r.reg < 0 ? 0 : r.lev;
}

static ref reg_ref(const ins *i, int lev)
{
    ref r = {i->dst, lev, 0};
    return r;
}

/* An operation of up to two operands (b.reg == -2: none). */
static ref op2(cstate *s, int op, ref a, ref b)
{
    bool two = b.reg != -2;
    int lev = lev_of(a);
    if (two && lev_of(b) > lev)
        lev = lev_of(b);
    int ra = at_level(s, a, lev);
    int rb = two ? at_level(s, b, lev) : -1;
    ins *i = emit(s, op, lev);
    i->a = ra;
    i->b = rb;
    s->last = i;
    return reg_ref(i, lev);
}

static const ref NONE = {-2, 0, 0};

static ref konst(double k)
{
    ref r = {-1, 0, k};
    return r;
}

static ref compile(cstate *s, const node *x);

/* The entry of array base at indices ix[0..n) (entry_of in eval.c). */
static ref compile_entry(cstate *s, const char *base, node *const *ix, size_t n)
{
    uint64_t name = ex_entry_name(base);
    int h = -1;
    for (int i = 0; i < s->nhinit; i++)
        if (s->hinit[i].name == name)
            h = s->hinit[i].reg;
    if (h < 0) {
        if (s->nhinit >= MAXHASH) {
            s->fail = true;
            return konst(0);
        }
        ins *i = emit(s, I_HINIT, 0);
        i->u = name;
        h = i->dst;
        s->hinit[s->nhinit].name = name;
        s->hinit[s->nhinit++].reg = h;
    }
    ref hr = {h, 0, 0};
    for (size_t k = 0; k < n && !s->fail; k++) {
        ref v = compile(s, ix[k]);
        hr = op2(s, I_HSTEP, hr, v);
        s->last->aux = (int)k;
    }
    return op2(s, I_HOUT, hr, NONE);
}

static ref compile_sym(cstate *s, const node *x)
{
    ectx *c = s->c;
    if (x->aux > 0) {
        int i = x->aux - 1;
        if (i == c->unify_from && c->unify_to >= 0)
            i = c->unify_to;
        if (s->symreg[i] < 0) {
            ins *in = emit(s, I_SYM, 0);
            in->aux = i;
            s->symreg[i] = in->dst;
        }
        ref r = {s->symreg[i], 0, 0};
        return r;
    }
    if (x->aux == -2) { /* bound_value: by address, then by spelling */
        for (int d = s->depth; d >= 1; d--)
            if (s->sname[d] == x->name) {
                ref r = {s->sidx[d], d, 0};
                return r;
            }
        for (int d = s->depth; d >= 1; d--)
            if (strcmp(s->sname[d], x->name) == 0) {
                ref r = {s->sidx[d], d, 0};
                return r;
            }
        return konst(NAN);
    }
    if (x->aux == -1)
        return compile_entry(s, x->base, x->kid, x->n_kid);
    if (x->aux == -4)
        return konst(M_E);
    s->fail = true; /* the identity, or unresolved */
    return konst(0);
}

/* sum_range and fast_sum of eval.c: bounds (borrowed from the truth's sums
 * when the claim wrote none) at the current level, the body one deeper. */
static ref compile_sum(cstate *s, const node *x)
{
    ectx *c = s->c;
    const node *lon = x->kid[0], *hin = x->kid[1];
    if (x->name && (!lon || !hin))
        for (int i = 0; i < c->nsumb; i++)
            if (strcmp(c->sumb[i]->name, x->name) == 0) {
                lon = lon ? lon : c->sumb[i]->kid[0];
                hin = hin ? hin : c->sumb[i]->kid[1];
                break;
            }
    if (!x->name || !lon || !hin || s->bounds_depth >= 16 || s->depth >= MAXLEV ||
        s->nblk >= MAXBLK) {
        s->fail = true;
        return konst(0);
    }
    int lev = s->depth;
    s->bounds_depth++;
    ref lo = compile(s, lon);
    ref hi = compile(s, hin);
    s->bounds_depth--;
    if (s->fail)
        return konst(0);
    int rlo = at_level(s, lo, lev), rhi = at_level(s, hi, lev);
    /* the body's block */
    int b = s->nblk++;
    s->blk[b].lev = lev + 1;
    s->depth = lev + 1;
    s->stack[lev + 1] = b;
    s->sname[lev + 1] = x->name;
    ins *ix = emit(s, I_IDX, lev + 1);
    s->sidx[lev + 1] = ix->dst;
    ref body = compile(s, x->kid[2]);
    int rbody = at_level(s, body, lev + 1);
    s->depth = lev;
    ins *i = emit(s, I_SUM, lev);
    i->a = rlo;
    i->b = rhi;
    i->aux = rbody;
    i->body = b;
    i->prod = x->op != 0;
    return reg_ref(i, lev);
}

/* The instruction of function x on its first argument: I_F1 (with *f),
 * I_LOGB, I_SIGMOID, I_SIGN, I_MAX, I_MIN or I_BINOM; -1 for a function
 * the compiler does not know (eval_func in eval.c has them all). */
static int func_op(const node *x, double (**f)(double))
{
    size_t nargs = x->n_kid - ((x->flags & RP_LXF_BRACKET) ? 1 : 0);
    static const struct {
        int op;
        double (*f)(double);
    } one[] = {{RP_LF_LG, log2}, {RP_LF_EXP, exp}, {RP_LF_SIN, sin},
               {RP_LF_COS, cos}, {RP_LF_TAN, tan}, {RP_LF_TANH, tanh}};
    *f = NULL;
    if (nargs == 0 || x->op == RP_LF_DET || x->op == RP_LF_TR || x->op == RP_LF_OTHER)
        return -1;
    switch (x->op) {
    case RP_LF_LOG:
    case RP_LF_LN:
        if (x->flags & RP_LXF_BRACKET)
            return I_LOGB;
        *f = log;
        return I_F1;
    case RP_LF_SIGMOID: return I_SIGMOID;
    case RP_LF_SIGN: return I_SIGN;
    case RP_LF_MAX: return I_MAX;
    case RP_LF_MIN: return I_MIN;
    case RP_LF_BINOM: return nargs < 2 ? -1 : I_BINOM;
    default:
        for (size_t i = 0; i < sizeof one / sizeof *one; i++)
            if (one[i].op == x->op) {
                *f = one[i].f;
                return I_F1;
            }
        return -1;
    }
}

static ref compile_func(cstate *s, const node *x)
{
    size_t nargs = x->n_kid - ((x->flags & RP_LXF_BRACKET) ? 1 : 0);
    double (*f)(double);
    int op = func_op(x, &f);
    if (op < 0) {
        s->fail = true;
        return konst(0);
    }
    ref a = compile(s, x->kid[0]);
    switch (op) {
    case I_LOGB:
        return op2(s, I_LOGB, a, compile(s, x->kid[x->n_kid - 1]));
    case I_MAX:
    case I_MIN:
        for (size_t i = 1; i < nargs; i++)
            a = op2(s, op, a, compile(s, x->kid[i]));
        return a;
    case I_BINOM:
        return op2(s, I_BINOM, a, compile(s, x->kid[1]));
    default: {
        ref r = op2(s, op, a, NONE);
        s->last->f = f;
        return r;
    }
    }
}

/* The node as ex_fast() evaluates it (ex_eval for what ex_fast hands on,
 * which gives the same values on a scalar tree). */
static ref compile(cstate *s, const node *x)
{
    if (s->fail)
        return konst(0);
    switch (x->kind) {
    case RP_LX_NUM:
        return konst(x->num);
    case RP_LX_CONST:
        return konst(x->op == RP_LC_PI ? M_PI : x->op == RP_LC_E ? M_E : INFINITY);
    case RP_LX_SYM:
        return compile_sym(s, x);
    case RP_LX_SUM:
        return compile_sum(s, x);
    case RP_LX_ADD:
        return op2(s, I_ADD, compile(s, x->kid[0]), compile(s, x->kid[1]));
    case RP_LX_SUB:
        return op2(s, I_SUB, compile(s, x->kid[0]), compile(s, x->kid[1]));
    case RP_LX_MUL:
        if (x->aux == -5) { /* y(n) of a sequence: the entry y[n] */
            const node *arg = x->kid[1];
            if (arg->kind == RP_LX_TUPLE)
                return compile_entry(s, x->kid[0]->base, arg->kid, arg->n_kid);
            return compile_entry(s, x->kid[0]->base, &x->kid[1], 1);
        }
        if (x->aux != 0) /* an application the compiler does not know (a drawn function) */
            break;
        return op2(s, I_MUL, compile(s, x->kid[0]), compile(s, x->kid[1]));
    case RP_LX_DIV:
        return op2(s, I_DIV, compile(s, x->kid[0]), compile(s, x->kid[1]));
    case RP_LX_NEG:
        return op2(s, I_NEG, compile(s, x->kid[0]), NONE);
    case RP_LX_POW:
        return op2(s, I_POW, compile(s, x->kid[0]), compile(s, x->kid[1]));
    case RP_LX_SQRT:
        if (x->n_kid > 1)
            return op2(s, I_ROOT, compile(s, x->kid[0]), compile(s, x->kid[1]));
        return op2(s, I_SQRT, compile(s, x->kid[0]), NONE);
    case RP_LX_FUNC:
        return compile_func(s, x);
    case RP_LX_ABS:
    case RP_LX_NORM:
        return op2(s, I_ABS, compile(s, x->kid[0]), NONE);
    case RP_LX_FLOOR:
    case RP_LX_CEIL:
        return op2(s, x->kind == RP_LX_FLOOR ? I_FLOOR : I_CEIL, compile(s, x->kid[0]), NONE);
    case RP_LX_FACT:
        return op2(s, I_FACT, compile(s, x->kid[0]), NONE);
    case RP_LX_TRANSPOSE:
    case RP_LX_BIGO:
        return compile(s, x->kid[0]);
    default:
        break;
    }
    s->fail = true;
    return konst(0);
}


/* The words that identify p (every field of every instruction), and the
 * symbols it reads, for the memo of runs; programs without sums are not
 * remembered (running them costs less than looking them up). */
static bool prog_key(ectx *c, ex_prog *p)
{
    bool sums = false;
    int nsym = 0;
    for (int i = 0; i < p->nins; i++) {
        sums |= p->ins[i].op == I_SUM;
        nsym += p->ins[i].op == I_SYM;
        p->seeds |= p->ins[i].op == I_HINIT;
    }
    if (!sums)
        return true;
    p->nkey = 3 + (size_t)p->nblk + 11 * (size_t)p->nins;
    p->key = rp_arena_alloc(c->a, p->nkey * sizeof *p->key);
    p->syms = rp_arena_alloc(c->a, ((size_t)nsym + 1) * sizeof *p->syms);
    if (!p->key || !p->syms)
        return false;
    uint64_t *k = p->key;
    *k++ = (uint64_t)p->nins;
    *k++ = (uint64_t)p->nreg;
    *k++ = (uint64_t)p->result;
    for (int b = 0; b < p->nblk; b++)
        *k++ = (uint64_t)p->blk[b].lev;
    for (int i = 0; i < p->nins; i++) {
        const ins *in = &p->ins[i];
        *k++ = (uint64_t)in->op;
        *k++ = (uint64_t)in->blk;
        *k++ = (uint64_t)(int64_t)in->dst;
        *k++ = (uint64_t)(int64_t)in->a;
        *k++ = (uint64_t)(int64_t)in->b;
        *k++ = (uint64_t)(int64_t)in->aux;
        *k++ = (uint64_t)(int64_t)in->body;
        *k++ = (uint64_t)in->prod;
        *k++ = ex_bits(in->k);
        *k++ = in->u;
        *k++ = (uint64_t)(uintptr_t)in->f;
        if (in->op == I_SYM)
            p->syms[p->nsyms++] = in->aux;
    }
    return true;
}

ex_prog *ex_prog_compile(ectx *c, const rp_latex_node *x)
{
    if (!x)
        return NULL;
    for (int i = 0; i < c->nsym; i++)
        if (c->sym[i].hold || c->sym[i].kind != SK_SCALAR)
            return NULL;
    cstate cs; /* on the stack: the arena would zero its tables */
    cstate *s = &cs;
    s->c = c;
    s->ins = NULL;
    s->reglev = NULL;
    s->nins = s->cap = s->nreg = 0;
    s->depth = s->nhinit = s->nbc = s->bounds_depth = 0;
    s->fail = false;
    s->last = &s->sink;
    for (int i = 0; i < EX_MAXSYM; i++)
        s->symreg[i] = -1;
    s->nblk = 1;
    s->blk[0].lev = 0;
    s->stack[0] = 0;
    ref r = compile(s, x);
    int res = at_level(s, r, 0);
    if (s->fail)
        return NULL;
    /* order the instructions block by block, keeping their order */
    ex_prog *p = rp_arena_alloc(c->a, sizeof *p);
    if (!p)
        return NULL;
    p->blk = rp_arena_alloc(c->a, (size_t)s->nblk * sizeof *p->blk);
    p->ins = rp_arena_alloc(c->a, (size_t)(s->nins + 1) * sizeof *p->ins);
    p->regs = rp_arena_alloc(c->a, (size_t)s->nreg * LANES * sizeof *p->regs);
    if (!p->blk || !p->ins || !p->regs)
        return NULL;
    int n = 0;
    for (int b = 0; b < s->nblk; b++) {
        p->blk[b].lev = s->blk[b].lev;
        p->blk[b].first = n;
        p->blk[b].sums = false;
        for (int i = 0; i < s->nins; i++)
            if (s->ins[i].blk == b) {
                p->blk[b].sums |= s->ins[i].op == I_SUM;
                p->ins[n++] = s->ins[i];
            }
        p->blk[b].n = n - p->blk[b].first;
    }
    p->nins = n;
    p->nblk = s->nblk;
    p->nreg = s->nreg;
    p->result = res;
    return prog_key(c, p) ? p : NULL;
}

bool ex_prog_worth(const rp_latex_node *x)
{
    if (!x)
        return false;
    if (x->kind == RP_LX_SUM)
        return true;
    for (size_t i = 0; i < x->n_kid; i++)
        if (ex_prog_worth(x->kid[i]))
            return true;
    return false;
}

/* ------------------------------------------------------------ points */

bool ex_prog_sample(ectx *c, unsigned k0, unsigned n, ex_points *pts)
{
    pts->k0 = k0;
    pts->n = n;
    pts->nsym = c->nsym;
    pts->sym = rp_arena_alloc(c->a, ((size_t)n * (size_t)c->nsym + 1) * sizeof *pts->sym);
    pts->pseed = rp_arena_alloc(c->a, ((size_t)n + 1) * sizeof *pts->pseed);
    if (!pts->sym || !pts->pseed)
        return false;
    ex_sample_run(c, k0, n, pts->sym, pts->pseed);
    return true;
}

/* ------------------------------------------------------------ running */

typedef struct rstate {
    const ex_prog *p;
    const ex_points *pts;
    double *R;               /* registers */
    long *terms;             /* per point; -1: left to the tree walk */
    unsigned base;           /* first point of the current chunk of points */
    int cur[MAXLEV + 1];     /* lane of each level that deeper blocks run for */
    double lo[MAXLEV + 1];   /* the first index of each level's sum */
    long start[MAXLEV + 1];  /* the first term of each level's current chunk */
    bool no_round;
    bool count_only;         /* the terms only (ex_prog_count) */
} rstate;

#define REG(r) (st->R + (size_t)(r) * LANES)

static void run_block(rstate *st, int b, int w);

/* One SUM instruction over the w lanes of its level lev. */
static void run_sum(rstate *st, const ins *in, int lev, int w)
{
    double *D = REG(in->dst);
    const double *LO = REG(in->a), *HI = REG(in->b), *B = REG(in->aux);
    for (int l = 0; l < w; l++) {
        unsigned pt = st->base + (unsigned)(lev == 0 ? l : st->cur[0]);
        D[l] = NAN;
        if (st->terms[pt] < 0)
            continue;
        double lo = LO[l], hi = HI[l];
        if (!isfinite(lo) || !isfinite(hi)) {
            st->terms[pt] = -1;
            continue;
        }
        lo = ceil(lo - 1e-9);
        hi = floor(hi + 1e-9);
        if (fabs(lo) > EXACT_INT || fabs(hi) > EXACT_INT) {
            st->terms[pt] = -1;
            continue;
        }
        long n = hi >= lo ? (long)(hi - lo) + 1 : 0;
        st->terms[pt] += n;
        if (st->terms[pt] > EX_SUM_BUDGET) {
            st->terms[pt] = -1;
            continue;
        }
        /* only sums count terms: a body without one need not run */
        if (st->count_only && !st->p->blk[in->body].sums)
            continue;
        st->cur[lev] = l;
        st->lo[lev + 1] = lo;
        double acc = in->prod ? 1 : 0;
        for (long s0 = 0; s0 < n && st->terms[pt] >= 0; s0 += LANES) {
            int w2 = n - s0 < LANES ? (int)(n - s0) : LANES;
            st->start[lev + 1] = s0;
            run_block(st, in->body, w2);
            for (int t = 0; t < w2; t++)
                acc = in->prod ? acc * B[t] : acc + B[t];
        }
        if (st->terms[pt] >= 0)
            D[l] = acc;
    }
}

/* The operation of in over w lanes: D from A and B, the arithmetic that
 * programs and vector walks (vec_eval) share, so it is written once.
 * no_round: floor and ceiling are the identity.  One switch over the
 * opcodes, each a loop of one line over the lanes. */
static void lane_op(const ins *in, double *D, const double *A, const double *B, int w,
                    bool no_round)
{
    switch (in->op) {
    case I_CONST:
        for (int l = 0; l < w; l++)
            D[l] = in->k;
        break;
    case I_ADD:
        for (int l = 0; l < w; l++)
            D[l] = A[l] + B[l];
        break;
    case I_SUB:
        for (int l = 0; l < w; l++)
            D[l] = A[l] - B[l];
        break;
    case I_MUL:
        for (int l = 0; l < w; l++)
            D[l] = A[l] * B[l];
        break;
    case I_DIV:
        for (int l = 0; l < w; l++)
            D[l] = A[l] / B[l];
        break;
    case I_NEG:
        for (int l = 0; l < w; l++)
            D[l] = -A[l];
        break;
    case I_POW:
        for (int l = 0; l < w; l++)
            D[l] = ex_powd(A[l], B[l]);
        break;
    case I_SQRT:
        for (int l = 0; l < w; l++)
            D[l] = sqrt(A[l]);
        break;
    case I_ROOT:
        for (int l = 0; l < w; l++)
            D[l] = ex_root(A[l], B[l]);
        break;
    case I_FLOOR:
    case I_CEIL:
        for (int l = 0; l < w; l++)
            D[l] = no_round ? A[l] : ex_round(A[l], in->op == I_CEIL);
        break;
    case I_ABS:
        for (int l = 0; l < w; l++)
            D[l] = fabs(A[l]);
        break;
    case I_F1:
        for (int l = 0; l < w; l++)
            D[l] = in->f(A[l]);
        break;
    case I_LOGB:
        for (int l = 0; l < w; l++)
            D[l] = log(A[l]) / log(B[l]);
        break;
    case I_SIGMOID:
        for (int l = 0; l < w; l++)
            D[l] = 1 / (1 + exp(-A[l]));
        break;
    case I_SIGN:
        for (int l = 0; l < w; l++)
            D[l] = A[l] > 0 ? 1 : A[l] < 0 ? -1 : 0;
        break;
    case I_MAX:
        for (int l = 0; l < w; l++)
            D[l] = fmax(A[l], B[l]);
        break;
    case I_MIN:
        for (int l = 0; l < w; l++)
            D[l] = fmin(A[l], B[l]);
        break;
    case I_BINOM:
        for (int l = 0; l < w; l++)
            D[l] = ex_binom(A[l], B[l]);
        break;
    case I_FACT:
        for (int l = 0; l < w; l++)
            D[l] = tgamma(A[l] + 1);
        break;
    case I_HSTEP:
        for (int l = 0; l < w; l++)
            D[l] = ex_dbl(ex_entry_index(ex_bits(A[l]), B[l], (uint64_t)in->aux));
        break;
    case I_HOUT:
        for (int l = 0; l < w; l++)
            D[l] = ex_entry_value(ex_bits(A[l]));
        break;
    default:
        break;
    }
}

/* The instructions of block b over w lanes. */
static void run_block(rstate *st, int b, int w)
{
    const ex_prog *p = st->p;
    const block *bk = &p->blk[b];
    int lev = bk->lev;
    for (int q = bk->first; q < bk->first + bk->n; q++) {
        const ins *in = &p->ins[q];
        double *D = REG(in->dst);
        const double *A = in->a >= 0 ? REG(in->a) : NULL;
        const double *B = in->b >= 0 ? REG(in->b) : NULL;
        switch (in->op) {
        case I_SYM: {
            const ex_points *pts = st->pts;
            for (int l = 0; l < w; l++)
                D[l] = pts->sym[(size_t)(st->base + (unsigned)l) * (size_t)pts->nsym +
                                (size_t)in->aux];
            break;
        }
        case I_IDX: {
            /* the index of the tree walk, lo then lo + 1 + 1 ...: exact for
             * integers below 2^52, and lo itself first (it may be -0) */
            double lo = st->lo[lev];
            long s0 = st->start[lev];
            for (int l = 0; l < w; l++)
                D[l] = s0 + l == 0 ? lo : lo + (double)(s0 + l);
            break;
        }
        case I_BCAST: {
            double v = A[st->cur[in->aux]];
            for (int l = 0; l < w; l++)
                D[l] = v;
            break;
        }
        case I_HINIT:
            for (int l = 0; l < w; l++)
                D[l] = ex_dbl(ex_entry_start(in->u, st->pts->pseed[st->base + (unsigned)l]));
            break;
        case I_SUM:
            run_sum(st, in, lev, w);
            break;
        default:
            lane_op(in, D, A, B, w, st->no_round);
            break;
        }
    }
}

/* Every point of pts, LANES at a time: the values into out unless
 * count_only (out unused). */
static void run_pts(ectx *c, const ex_prog *p, const ex_points *pts, double *out, long *terms,
                    bool count_only)
{
    rstate st;
    memset(&st, 0, sizeof st);
    st.p = p;
    st.pts = pts;
    st.R = p->regs;
    st.terms = terms;
    st.no_round = c->no_round;
    st.count_only = count_only;
    for (unsigned k = 0; k < pts->n; k++)
        terms[k] = 0;
    for (unsigned k0 = 0; k0 < pts->n; k0 += LANES) {
        int w = pts->n - k0 < LANES ? (int)(pts->n - k0) : LANES;
        st.base = k0;
        run_block(&st, 0, w);
        const double *V = st.R + (size_t)p->result * LANES;
        for (int l = 0; l < w && !count_only; l++)
            out[k0 + (unsigned)l] = V[l];
    }
}

void ex_prog_run_all(ectx *c, const ex_prog *p, const ex_points *pts, double *out, long *terms)
{
    run_pts(c, p, pts, out, terms, false);
}

void ex_prog_count(ectx *c, const ex_prog *p, const ex_points *pts, long *terms)
{
    run_pts(c, p, pts, NULL, terms, true);
}

/* ------------------------------------------------------- vector walks */

/* A side without sums is not compiled: compiling it cost as much as
 * walking its tree at every point.  It is walked once over all the
 * points instead, each node an operation over the lanes (lane_op(), as
 * a program runs it), so its values are again those of ex_fast(). */
#define VEC_HEIGHT 48 /* taller trees are walked point by point (stack) */
#define VEC_MIN_HEIGHT 2 /* lower trees are walked point by point (cheap) */

static bool vec_cond_ok(const node *x);

/* Can vec_eval() walk x: is every node one ex_fast() evaluates without
 * a sum, a case, an error or a function the programs do not know? */
static bool vec_ok_in(const node *x)
{
    double (*f)(double);
    switch (x->kind) {
    case RP_LX_NUM:
    case RP_LX_CONST:
        return true;
    case RP_LX_SYM:
        if (x->aux > 0 || x->aux == -4)
            return true;
        if (x->aux != -1)
            return false;
        for (size_t i = 0; i < x->n_kid; i++)
            if (!vec_ok_in(x->kid[i]))
                return false;
        return true;
    case RP_LX_MUL:
        if (x->aux != 0)
            return false;
        /* fall through */
    case RP_LX_ADD:
    case RP_LX_SUB:
    case RP_LX_DIV:
    case RP_LX_POW:
        return vec_ok_in(x->kid[0]) && vec_ok_in(x->kid[1]);
    case RP_LX_SQRT:
        return vec_ok_in(x->kid[0]) && (x->n_kid == 1 || vec_ok_in(x->kid[1]));
    case RP_LX_NEG:
    case RP_LX_ABS:
    case RP_LX_NORM:
    case RP_LX_FLOOR:
    case RP_LX_CEIL:
    case RP_LX_FACT:
    case RP_LX_TRANSPOSE:
    case RP_LX_BIGO:
        return vec_ok_in(x->kid[0]);
    case RP_LX_CASES:
        for (size_t i = 0; i + 1 < x->n_kid; i += 2)
            if (!vec_ok_in(x->kid[i]) || !vec_cond_ok(x->kid[i + 1]))
                return false;
        return true;
    case RP_LX_FUNC: {
        int op = func_op(x, &f);
        size_t nargs = x->n_kid - ((x->flags & RP_LXF_BRACKET) ? 1 : 0);
        size_t last = op == I_LOGB ? x->n_kid : op == I_MAX || op == I_MIN ? nargs
                    : op == I_BINOM ? 2 : 1;
        if (op < 0)
            return false;
        for (size_t i = 0; i < last; i++)
            if (!vec_ok_in(x->kid[i]))
                return false;
        return true;
    }
    default:
        return false;
    }
}

/* A condition of a case vec_cond() can walk: a relation chain or a
 * conjunction of them over such trees, or none ("otherwise"). */
static bool vec_cond_ok(const node *x)
{
    if (!x)
        return true;
    if (x->kind != RP_LX_AND && x->kind != RP_LX_REL)
        return false;
    for (size_t i = 0; i < x->n_kid; i++)
        if (!(x->kind == RP_LX_AND ? vec_cond_ok(x->kid[i]) : vec_ok_in(x->kid[i])))
            return false;
    return true;
}

static bool vec_ok(const node *x)
{
    return x && x->height <= VEC_HEIGHT && vec_ok_in(x);
}

/* Is x worth walking over the points at once: is it vec_ok and tall
 * enough that walking it at every point costs more than the batch? */
static bool vec_worth(const node *x)
{
    return x && x->height >= VEC_MIN_HEIGHT && vec_ok(x);
}

typedef struct vstate {
    const ectx *c;
    const ex_points *pts;
    unsigned base; /* first point of the lanes */
    int w;
} vstate;

static void vec_eval(const vstate *v, const node *x, double *D);

/* One operation of the lanes: D = op(D, B). */
static void vec_op(const vstate *v, int op, double *D, const double *B)
{
    ins in;
    memset(&in, 0, sizeof in);
    in.op = op;
    lane_op(&in, D, D, B, v->w, v->c->no_round);
}

/* The entry of array base at indices ix[0..n) (entry_of in eval.c). */
static void vec_entry(const vstate *v, const char *base, node *const *ix, size_t n, double *D)
{
    uint64_t name = ex_entry_name(base);
    double V[LANES];
    for (int l = 0; l < v->w; l++)
        D[l] = ex_dbl(ex_entry_start(name, v->pts->pseed[v->base + (unsigned)l]));
    ins in;
    memset(&in, 0, sizeof in);
    for (size_t i = 0; i < n; i++) {
        vec_eval(v, ix[i], V);
        in.op = I_HSTEP;
        in.aux = (int)i;
        lane_op(&in, D, D, V, v->w, false);
    }
    in.op = I_HOUT;
    lane_op(&in, D, D, NULL, v->w, false);
}

/* Condition x (vec_cond_ok) at the lanes' points into H, as ex_cond()
 * decides it (every relation of every lane is evaluated: no node of such
 * a tree has an effect beyond its value). */
static void vec_cond(const vstate *v, const node *x, bool *H)
{
    for (int l = 0; l < v->w; l++)
        H[l] = true;
    if (!x)
        return;
    if (x->kind == RP_LX_AND) {
        bool K[LANES];
        for (size_t i = 0; i < x->n_kid; i++) {
            vec_cond(v, x->kid[i], K);
            for (int l = 0; l < v->w; l++)
                H[l] = H[l] && K[l];
        }
        return;
    }
    double P[LANES], Q[LANES];
    vec_eval(v, x->kid[0], P);
    for (size_t i = 1; i < x->n_kid; i++) {
        vec_eval(v, x->kid[i], Q);
        for (int l = 0; l < v->w; l++) {
            H[l] = H[l] && ex_rel_holds(x->rel[i - 1], P[l], Q[l]);
            P[l] = Q[l];
        }
    }
}

/* The case of x (a CASES node, vec_ok) that holds at each lane, the first
 * whose condition holds (active_case in eval.c): its number, -1 when
 * none does. */
static void vec_select(const vstate *v, const node *x, int *sel)
{
    bool H[LANES];
    for (int l = 0; l < v->w; l++)
        sel[l] = -1;
    for (size_t i = 0; i + 1 < x->n_kid; i += 2) {
        vec_cond(v, x->kid[i + 1], H);
        for (int l = 0; l < v->w; l++)
            if (sel[l] < 0 && H[l])
                sel[l] = (int)(i / 2);
    }
}

/* Cases x (vec_ok) into D: each lane the value of its case (vec_select),
 * NaN when none holds. */
static void vec_cases(const vstate *v, const node *x, double *D)
{
    int sel[LANES];
    double B[LANES];
    vec_select(v, x, sel);
    for (int l = 0; l < v->w; l++)
        D[l] = NAN;
    for (size_t i = 0; i + 1 < x->n_kid; i += 2) {
        bool any = false;
        for (int l = 0; l < v->w && !any; l++)
            any = sel[l] == (int)(i / 2);
        if (!any)
            continue;
        vec_eval(v, x->kid[i], B);
        for (int l = 0; l < v->w; l++)
            if (sel[l] == (int)(i / 2))
                D[l] = B[l];
    }
}

/* x (vec_ok) at the lanes' points into D, as ex_fast() evaluates it. */
static void vec_eval(const vstate *v, const node *x, double *D)
{
    int w = v->w;
    double B[LANES];
    switch (x->kind) {
    case RP_LX_NUM:
    case RP_LX_CONST: {
        double k = x->kind == RP_LX_NUM ? x->num
                 : x->op == RP_LC_PI ? M_PI : x->op == RP_LC_E ? M_E : INFINITY;
        for (int l = 0; l < w; l++)
            D[l] = k;
        return;
    }
    case RP_LX_SYM: {
        if (x->aux == -1) {
            vec_entry(v, x->base, x->kid, x->n_kid, D);
            return;
        }
        if (x->aux == -4) {
            for (int l = 0; l < w; l++)
                D[l] = M_E;
            return;
        }
        const ectx *c = v->c;
        int i = x->aux - 1;
        if (i == c->unify_from && c->unify_to >= 0)
            i = c->unify_to;
        const ex_points *p = v->pts;
        for (int l = 0; l < w; l++)
            D[l] = p->sym[(size_t)(v->base + (unsigned)l) * (size_t)p->nsym + (size_t)i];
        return;
    }
    case RP_LX_ADD:
    case RP_LX_SUB:
    case RP_LX_MUL:
    case RP_LX_DIV:
    case RP_LX_POW:
        vec_eval(v, x->kid[0], D);
        vec_eval(v, x->kid[1], B);
        vec_op(v, x->kind == RP_LX_ADD ? I_ADD : x->kind == RP_LX_SUB ? I_SUB
                : x->kind == RP_LX_MUL ? I_MUL : x->kind == RP_LX_DIV ? I_DIV : I_POW, D, B);
        return;
    case RP_LX_SQRT:
        vec_eval(v, x->kid[0], D);
        if (x->n_kid > 1)
            vec_eval(v, x->kid[1], B);
        vec_op(v, x->n_kid > 1 ? I_ROOT : I_SQRT, D, B);
        return;
    case RP_LX_NEG:
    case RP_LX_ABS:
    case RP_LX_NORM:
    case RP_LX_FLOOR:
    case RP_LX_CEIL:
    case RP_LX_FACT:
        vec_eval(v, x->kid[0], D);
        vec_op(v, x->kind == RP_LX_NEG ? I_NEG : x->kind == RP_LX_FLOOR ? I_FLOOR
                : x->kind == RP_LX_CEIL ? I_CEIL : x->kind == RP_LX_FACT ? I_FACT : I_ABS, D, NULL);
        return;
    case RP_LX_FUNC: {
        double (*f)(double);
        int op = func_op(x, &f);
        size_t nargs = x->n_kid - ((x->flags & RP_LXF_BRACKET) ? 1 : 0);
        vec_eval(v, x->kid[0], D);
        if (op == I_F1) {
            ins in;
            memset(&in, 0, sizeof in);
            in.op = I_F1;
            in.f = f;
            lane_op(&in, D, D, NULL, w, false);
        } else if (op == I_LOGB || op == I_BINOM) {
            vec_eval(v, x->kid[op == I_LOGB ? x->n_kid - 1 : 1], B);
            vec_op(v, op, D, B);
        } else if (op == I_MAX || op == I_MIN) {
            for (size_t i = 1; i < nargs; i++) {
                vec_eval(v, x->kid[i], B);
                vec_op(v, op, D, B);
            }
        } else {
            vec_op(v, op, D, NULL);
        }
        return;
    }
    case RP_LX_CASES:
        vec_cases(v, x, D);
        return;
    default: /* TRANSPOSE, BIGO: the value itself */
        vec_eval(v, x->kid[0], D);
        return;
    }
}

/* x (vec_ok) at every point of pts into out. */
static void vec_run(const ectx *c, const node *x, const ex_points *pts, double *out)
{
    vstate v = {c, pts, 0, 0};
    double D[LANES];
    for (unsigned k0 = 0; k0 < pts->n; k0 += LANES) {
        v.base = k0;
        v.w = pts->n - k0 < LANES ? (int)(pts->n - k0) : LANES;
        vec_eval(&v, x, D);
        memcpy(out + k0, D, (size_t)v.w * sizeof *D);
    }
}

bool ex_vec_values(const ectx *c, const node *x, const ex_points *pts, double *out)
{
    if (!vec_ok(x))
        return false;
    vec_run(c, x, pts, out);
    return true;
}

bool ex_vec_cases(const ectx *c, const node *x, const ex_points *pts, int *sel)
{
    if (x->kind != RP_LX_CASES || !vec_ok(x))
        return false;
    vstate v = {c, pts, 0, 0};
    for (unsigned k0 = 0; k0 < pts->n; k0 += LANES) {
        v.base = k0;
        v.w = pts->n - k0 < LANES ? (int)(pts->n - k0) : LANES;
        vec_select(&v, x, sel + k0);
    }
    return true;
}

/* ------------------------------------------------------------ batches */

void ex_batch_init(ectx *c, ex_batch *b, const node *T, const node *C, bool fast, bool all)
{
    memset(b, 0, sizeof *b);
    if (!fast)
        return;
    b->t = ex_prog_worth(T) ? ex_prog_compile(c, T) : NULL;
    b->c = ex_prog_worth(C) ? ex_prog_compile(c, C) : NULL;
    if (all)
        ex_batch_more(c, b, T, C, fast);
}

void ex_batch_more(ectx *c, ex_batch *b, const node *T, const node *C, bool fast)
{
    (void)c;
    if (!fast)
        return;
    b->wt = b->wt || (!b->t && vec_worth(T));
    b->wc = b->wc || (!b->c && vec_worth(C));
    b->pts.n = 0;
    b->T = T;
    b->C = C;
}

void ex_batch_fill(ectx *c, ex_batch *b, unsigned k, unsigned n)
{
    b->have = NULL;
    if (!b->t && !b->c && !b->wt && !b->wc)
        return;
    b->vt = rp_arena_alloc(c->a, 2 * (size_t)n * sizeof *b->vt);
    b->nt = rp_arena_alloc(c->a, 2 * (size_t)n * sizeof *b->nt);
    if (!b->vt || !b->nt || !ex_prog_sample(c, k, n, &b->pts)) {
        b->t = b->c = NULL;
        b->wt = b->wc = false;
        return;
    }
    b->vc = b->vt + n;
    b->nc = b->nt + n;
    if (b->t)
        ex_prog_run(c, b->t, &b->pts, b->vt, b->nt);
    else if (b->wt)
        vec_run(c, b->T, &b->pts, b->vt); /* no sums: no terms */
    if (b->c)
        ex_prog_run(c, b->c, &b->pts, b->vc, b->nc);
    else if (b->wc)
        vec_run(c, b->C, &b->pts, b->vc);
}

void ex_batch_fill_lazy(ectx *c, ex_batch *b, unsigned k, unsigned n)
{
    if (!b->t && !b->c && !b->wt && !b->wc) {
        ex_batch_fill(c, b, k, n);
        return;
    }
    b->vt = rp_arena_alloc(c->a, 2 * (size_t)n * sizeof *b->vt);
    b->nt = rp_arena_alloc(c->a, 2 * (size_t)n * sizeof *b->nt);
    b->have = rp_arena_alloc(c->a, (size_t)n * sizeof *b->have); /* zeroed: none */
    if (!b->vt || !b->nt || !b->have || !ex_prog_sample(c, k, n, &b->pts)) {
        b->t = b->c = NULL;
        b->wt = b->wc = false;
        b->have = NULL;
        return;
    }
    b->vc = b->vt + n;
    b->nc = b->nt + n;
    /* a walked side has no sums: no terms (nt, nc stay 0) */
    if (b->t)
        ex_prog_count(c, b->t, &b->pts, b->nt);
    if (b->c)
        ex_prog_count(c, b->c, &b->pts, b->nc);
}

#define NEED_RUN 8 /* points a value asked for runs with (the next are often asked too) */

void ex_batch_need(ectx *c, ex_batch *b, unsigned k)
{
    if (!b->have || !ex_batch_has(b, k) || b->have[k - b->pts.k0])
        return;
    unsigned i = k - b->pts.k0, m = 0;
    while (i + m < b->pts.n && m < NEED_RUN && !b->have[i + m])
        m++;
    ex_points sub = b->pts;
    sub.k0 = b->pts.k0 + i;
    sub.n = m;
    sub.sym = b->pts.sym + (size_t)i * (size_t)b->pts.nsym;
    sub.pseed = b->pts.pseed + i;
    long terms[NEED_RUN]; /* those counted before */
    if (b->t)
        ex_prog_run(c, b->t, &sub, b->vt + i, terms);
    else if (b->wt)
        vec_run(c, b->T, &sub, b->vt + i);
    if (b->c)
        ex_prog_run(c, b->c, &sub, b->vc + i, terms);
    else if (b->wc)
        vec_run(c, b->C, &sub, b->vc + i);
    for (unsigned j = 0; j < m; j++)
        b->have[i + j] = true;
}
