/*
 * Numeric evaluation of parsed LaTeX at random points.
 *
 * The symbol table of one comparison maps every symbol (after alias
 * normalisation) to a sampling domain.  Symbols that appear transposed, or
 * are declared with a shape, are random matrices; I beside matrices is the
 * identity of the size that fits; e is Euler's number unless declared a
 * variable; symbols subscripted by a bound sum index (x_{i+h-1}) or indexed
 * with brackets (y[n]) are entries of random arrays, a hash of the indices
 * and the point.  Values are scalars or small matrices; matrix memory comes
 * from a scratch arena reset at every point, so scalar evaluation never
 * allocates.
 */
#include "expr_int.h"
#include "prog.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static pthread_once_t gsl_once = PTHREAD_ONCE_INIT;

static void gsl_off(void)
{
    gsl_set_error_handler_off();
}

void ex_gsl_quiet(void)
{
    pthread_once(&gsl_once, gsl_off);
}

/* ------------------------------------------------------------- symbols */

static bool is_identity_name(const char *base)
{
    return strcmp(base, "I") == 0;
}

/* The innermost bound index named name (its slot), or -1. */
static int bound_slot(const ectx *c, const char *name)
{
    for (int i = c->nbnd - 1; i >= 0; i--)
        if (strcmp(c->bnd_name[i], name) == 0)
            return i;
    return -1;
}

static bool bound_here(const ectx *c, const char *name)
{
    return bound_slot(c, name) >= 0;
}

static bool mentions_bound(const ectx *c, const rp_latex_node *x)
{
    if (!x)
        return false;
    if (x->kind == RP_LX_SYM && bound_here(c, x->name))
        return true;
    for (size_t i = 0; i < x->n_kid; i++)
        if (mentions_bound(c, x->kid[i]))
            return true;
    return false;
}

static int add_sym(ectx *c, const char *name)
{
    const char *key = ex_alias_key(c, name);
    int i = ex_sym_find(c, key);
    if (i >= 0)
        return i;
    if (c->nsym >= EX_MAXSYM)
        return -1;
    esym *s = &c->sym[c->nsym];
    memset(s, 0, sizeof *s);
    s->name = name;
    s->key = key;
    s->kind = SK_SCALAR;
    s->lo = 0.5;
    s->hi = 8;
    return c->nsym++;
}

void ex_find_matrices(ectx *c, const rp_latex_node *x)
{
    if (!x)
        return;
    if (x->kind == RP_LX_TRANSPOSE && x->kid[0]->kind == RP_LX_SYM &&
        !(x->kid[0]->flags & RP_LXF_BRACKET)) {
        int i = add_sym(c, x->kid[0]->name);
        if (i >= 0) {
            c->sym[i].kind = SK_MATRIX;
            c->has_matrix = true;
        }
    }
    if (x->kind == RP_LX_NORM && x->name && (strcmp(x->name, "F") == 0 || strcmp(x->name, "2") == 0)) {
        /* \|W\|_F, \|\Delta W\|_2: an upper-case symbol in a matrix norm */
        const rp_latex_node *k = x->kid[0];
        if (k->kind == RP_LX_MUL)
            k = k->kid[1];
        if (k->kind == RP_LX_SYM && !(k->flags & RP_LXF_BRACKET) && k->base &&
            k->base[0] >= 'A' && k->base[0] <= 'Z' && k->base[1] == 0 && strcmp(k->base, "I") != 0) {
            int i = add_sym(c, k->name);
            if (i >= 0) {
                c->sym[i].kind = SK_MATRIX;
                c->has_matrix = true;
            }
        }
    }
    for (size_t i = 0; i < x->n_kid; i++)
        ex_find_matrices(c, x->kid[i]);
}

static bool resolve(ectx *c, rp_latex_node *x, int side, bool in_cond, bool in_bound)
{
    if (!x)
        return true;
    switch (x->kind) {
    case RP_LX_SYM: {
        int slot = bound_slot(c, x->name);
        if (slot >= 0 && !(x->flags & RP_LXF_BRACKET)) {
            x->aux = -2;
            /* the same text, but the very string its sum pushes when it is
             * evaluated: bound_value finds it by address (a lookup runs
             * once per term of every sum) */
            x->name = c->bnd_name[slot];
            return true;
        }
        if ((x->flags & RP_LXF_BRACKET) || (x->n_kid && mentions_bound(c, x))) {
            x->aux = -1; /* array entry */
            for (size_t i = 0; i < x->n_kid; i++)
                if (!resolve(c, x->kid[i], side, in_cond, in_bound))
                    return false;
            return true;
        }
        if (is_identity_name(x->base) && c->has_matrix) {
            x->aux = -3;
            return true;
        }
        if (strcmp(x->name, "e") == 0 && !c->e_var) {
            x->aux = -4;
            return true;
        }
        int i = add_sym(c, x->name);
        if (i < 0)
            return false;
        esym *s = &c->sym[i];
        if (!s->base)
            s->base = x->base;
        if (side == 0) {
            if (s->n_truth == 0 && s->n_claim > 0)
                s->name = x->name; /* prefer the truth's spelling */
            s->n_truth++;
        } else {
            s->n_claim++;
        }
        if (in_cond)
            s->n_cond++;
        if (in_bound)
            s->bound_var = true;
        x->aux = i + 1;
        return true;
    }
    case RP_LX_SUM: {
        if (!resolve(c, x->kid[0], side, in_cond, true) ||
            !resolve(c, x->kid[1], side, in_cond, true))
            return false;
        bool pushed = false;
        if (x->name && c->nbnd < 16) {
            c->bnd_name[c->nbnd++] = x->name;
            pushed = true;
        }
        bool ok = resolve(c, x->kid[2], side, in_cond, in_bound);
        if (pushed)
            c->nbnd--;
        return ok;
    }
    case RP_LX_CASES:
        for (size_t i = 0; i < x->n_kid; i++)
            if (!resolve(c, x->kid[i], side, in_cond || (i % 2 == 1), in_bound))
                return false;
        return true;
    case RP_LX_MUL:
        /* cached trees keep aux from an earlier comparison: set it afresh */
        x->aux = ex_apply_kind(c, x);
        if (x->aux == -6)
            x->kid[0]->aux = 0; /* the function's name is no symbol (nor a stale one) */
        if (x->aux == -5 || x->aux == -6)
            return resolve(c, x->kid[1], side, in_cond, in_bound);
        for (size_t i = 0; i < x->n_kid; i++)
            if (!resolve(c, x->kid[i], side, in_cond, in_bound))
                return false;
        return true;
    default:
        for (size_t i = 0; i < x->n_kid; i++)
            if (!resolve(c, x->kid[i], side, in_cond, in_bound))
                return false;
        return true;
    }
}

bool ex_resolve(ectx *c, rp_latex_node *x, int side)
{
    c->nbnd = 0;
    return resolve(c, x, side, false, false);
}

/* ------------------------------------------------------------- random */

static double unif(uint64_t *st)
{
    *st = ex_mix(*st);
    return (double)(*st >> 11) * (1.0 / 9007199254740992.0);
}

bool ex_scratch_reset(ectx *c)
{
    if (c->scratch)
        rp_arena_free(c->scratch);
    c->scratch = rp_arena_new(32u << 20);
    return c->scratch != NULL;
}

/* How a scalar symbol is drawn at a point (for ex_sample() and
 * ex_sample_run(), which draw the same values): its mode and the
 * constants of its domain, worked out once for a run of points. */
enum { SM_HOLD, SM_FIXED, SM_BIG, SM_INT, SM_UNIF };

typedef struct splan {
    int mode;
    bool whole;   /* SM_BIG: rounded down */
    double lo, d; /* SM_INT: ceil(lo) and the span; SM_UNIF: lo and hi - lo;
                   * SM_FIXED: the value in lo */
    double hi, fhi; /* SM_INT: a draw above hi is floor(hi) */
} splan;

/* The plan of scalar symbol s at a point k (> 0 or not: a held symbol
 * keeps its value after the first point). */
static splan plan_of(const ectx *c, const esym *s, bool first)
{
    splan p;
    memset(&p, 0, sizeof p);
    if (s->hold && !first) {
        p.mode = SM_HOLD;
        return p;
    }
    if (s->fixed) {
        p.mode = SM_FIXED;
        p.lo = s->value;
        return p;
    }
    double lo = s->lo, hi = s->hi;
    if (s->case_var) {
        lo = -5;
        hi = 25;
    } else if (s->n_cond > 0 && !s->declared) {
        lo = 1;
        hi = 10;
    }
    if (c->big && !s->hold) {
        /* asymptotic comparison: log-uniform in [1e3, 1e6] */
        p.mode = SM_BIG;
        p.whole = s->integer || s->case_var;
        return p;
    }
    if (s->integer || s->case_var || (s->n_cond > 0 && !s->declared)) {
        double span = floor(hi) - ceil(lo) + 1;
        p.mode = SM_INT;
        p.lo = ceil(lo);
        p.d = span > 0 ? span : 1;
        p.hi = hi;
        p.fhi = floor(hi);
    } else {
        p.mode = SM_UNIF;
        p.lo = lo;
        p.d = hi - lo;
    }
    return p;
}

/* The value plan p draws from u (cur: the symbol's value before). */
static inline double draw(const splan *p, double u, double cur)
{
    switch (p->mode) {
    case SM_HOLD:
        return cur;
    case SM_FIXED:
        return p->lo;
    case SM_BIG: {
        double v = exp(log(1e3) + u * (log(1e6) - log(1e3)));
        return p->whole ? floor(v) : v;
    }
    case SM_INT: {
        double v = p->lo + ex_floor_exact(u * p->d);
        return v > p->hi ? p->fhi : v;
    }
    default:
        return p->lo + u * p->d;
    }
}

/* The generator's state at point k, and the point's seed (arrays). */
static uint64_t point_state(const ectx *c, unsigned k, uint64_t *pseed)
{
    uint64_t st = c->seed * 0x2545F4914F6CDD1Dull + (uint64_t)k * 0x9E3779B97F4A7C15ull + 1;
    *pseed = ex_mix(st ^ 0xA5A5A5A5ull);
    return st;
}

void ex_sample(ectx *c, unsigned k)
{
    uint64_t st = point_state(c, k, &c->pseed);
    if (c->has_matrix && !ex_scratch_reset(c))
        c->err = EX_ENOMEM;
    for (int i = 0; i < c->nsym; i++) {
        esym *s = &c->sym[i];
        double u = unif(&st);
        if (s->kind == SK_MATRIX) {
            size_t n = (size_t)s->rows * (size_t)s->cols;
            s->mat = c->scratch ? rp_arena_alloc(c->scratch, n * sizeof(double)) : NULL;
            if (!s->mat) {
                c->err = EX_ENOMEM;
                continue;
            }
            for (size_t q = 0; q < n; q++)
                s->mat[q] = 2 * unif(&st) - 1;
            continue;
        }
        splan p = plan_of(c, s, k == 0);
        s->cur = draw(&p, u, s->cur);
    }
    if (c->unify_from >= 0 && c->unify_to >= 0) {
        c->sym[c->unify_from].cur = c->sym[c->unify_to].cur;
        c->sym[c->unify_from].mat = c->sym[c->unify_to].mat;
    }
}

/* The rows this thread drew last: the points' values depend on the plans
 * of the symbols, the seed, the point and the unified pair only, when no
 * symbol is held (a held symbol keeps the value of the point before), and
 * a comparison's runs of points (the first point, the rest, the
 * diagnosis' 20), and the next comparison of a part with the same
 * symbols, draw the same rows again.  Kept for the first ROWS_KEPT points
 * of one set of plans; other plans start the set afresh. */
#define ROWS_KEPT 96

static _Thread_local struct {
    bool ok;
    uint64_t seed;
    int ns, unify_from, unify_to;
    splan first[EX_MAXSYM], later[EX_MAXSYM];
    bool have[ROWS_KEPT];
    uint64_t pseed[ROWS_KEPT];
    double row[ROWS_KEPT * EX_MAXSYM]; /* row k at k * ns */
} rows_kept;

/* Make rows_kept the rows of these plans (kept ones when they are the
 * same); false when they can not be kept. */
static bool rows_kept_for(const ectx *c, int ns, const splan *first, const splan *later)
{
    if (ns <= 0 || ns > EX_MAXSYM)
        return false;
    size_t pb = (size_t)ns * sizeof *first;
    if (rows_kept.ok && rows_kept.seed == c->seed && rows_kept.ns == ns &&
        rows_kept.unify_from == c->unify_from && rows_kept.unify_to == c->unify_to &&
        memcmp(rows_kept.first, first, pb) == 0 && memcmp(rows_kept.later, later, pb) == 0)
        return true;
    rows_kept.ok = true;
    rows_kept.seed = c->seed;
    rows_kept.ns = ns;
    rows_kept.unify_from = c->unify_from;
    rows_kept.unify_to = c->unify_to;
    memcpy(rows_kept.first, first, pb);
    memcpy(rows_kept.later, later, pb);
    memset(rows_kept.have, 0, sizeof rows_kept.have);
    return true;
}

void ex_sample_run(ectx *c, unsigned k0, unsigned n, double *sym, uint64_t *pseed)
{
    int ns = c->nsym;
    if (c->has_matrix || ns > EX_MAXSYM) {
        for (unsigned k = 0; k < n; k++) {
            ex_sample(c, k0 + k);
            for (int i = 0; i < ns; i++)
                sym[(size_t)k * (size_t)ns + (size_t)i] = c->sym[i].cur;
            pseed[k] = c->pseed;
        }
        return;
    }
    splan first[EX_MAXSYM], later[EX_MAXSYM];
    bool held = false;
    for (int i = 0; i < ns; i++) {
        first[i] = plan_of(c, &c->sym[i], true);
        later[i] = plan_of(c, &c->sym[i], false);
        held = held || later[i].mode == SM_HOLD;
    }
    bool keep = !held && rows_kept_for(c, ns, first, later);
    const double *prev = NULL;
    for (unsigned k = 0; k < n; k++) {
        unsigned pk = k0 + k;
        double *row = sym + (size_t)k * (size_t)ns;
        prev = row;
        if (keep && pk < ROWS_KEPT && rows_kept.have[pk]) {
            memcpy(row, rows_kept.row + (size_t)pk * (size_t)ns, (size_t)ns * sizeof *row);
            pseed[k] = rows_kept.pseed[pk];
            continue;
        }
        uint64_t st = point_state(c, pk, &pseed[k]);
        const splan *pl = pk == 0 ? first : later;
        for (int i = 0; i < ns; i++)
            row[i] = draw(&pl[i], unif(&st), k ? row[i - ns] : c->sym[i].cur);
        if (c->unify_from >= 0 && c->unify_to >= 0)
            row[c->unify_from] = row[c->unify_to];
        if (keep && pk < ROWS_KEPT) {
            memcpy(rows_kept.row + (size_t)pk * (size_t)ns, row, (size_t)ns * sizeof *row);
            rows_kept.pseed[pk] = pseed[k];
            rows_kept.have[pk] = true;
        }
    }
    /* the table as ex_sample() leaves it: at the last point */
    for (int i = 0; prev && i < ns; i++)
        c->sym[i].cur = prev[i];
    if (n)
        c->pseed = pseed[n - 1];
}

/* --------------------------------------------------------------- values */

static val scalar(double s)
{
    val v = {0, 0, false, s, NULL};
    return v;
}

static val bad(ectx *c, int code, const char *msg)
{
    if (!c->err) {
        c->err = code;
        snprintf(c->msg, sizeof c->msg, "%s", msg);
    }
    return scalar(NAN);
}

static val newmat(ectx *c, int r, int cols)
{
    if (r <= 0 || cols <= 0 || r > EX_MAXDIM || cols > EX_MAXDIM)
        return bad(c, EX_ESHAPE, "matrix too large");
    if (!c->scratch && !ex_scratch_reset(c))
        return bad(c, EX_ENOMEM, "out of memory");
    val v = {r, cols, false, 0, NULL};
    v.m = rp_arena_alloc(c->scratch, (size_t)r * (size_t)cols * sizeof(double));
    if (!v.m)
        return bad(c, EX_ENOMEM, "out of memory");
    return v;
}

static val ident_as(ectx *c, double s, int n)
{
    val v = newmat(c, n, n);
    if (!v.m)
        return v;
    for (int i = 0; i < n; i++)
        v.m[i * n + i] = s;
    return v;
}

static val addv(ectx *c, val a, val b, double sb)
{
    if (a.r == 0 && b.r == 0)
        return scalar(a.s + sb * b.s);
    if (a.r < 0 && b.r < 0) {
        val v = {-1, 0, false, a.s + sb * b.s, NULL};
        return v;
    }
    if (a.r < 0 && b.r > 0)
        a = ident_as(c, a.s, b.r);
    if (b.r < 0 && a.r > 0)
        b = ident_as(c, b.s, a.r);
    if (a.r <= 0 || b.r <= 0)
        return bad(c, EX_ESHAPE, "adding a scalar and a matrix");
    if (a.r != b.r || a.c != b.c) {
        if (a.vec || b.vec) {
            if (a.r * a.c != b.r * b.c)
                return bad(c, EX_ESHAPE, "adding vectors of different lengths");
        } else {
            return bad(c, EX_ESHAPE, "adding matrices of different shapes");
        }
    }
    val v = newmat(c, a.r, a.c);
    if (!v.m)
        return v;
    v.vec = a.vec && b.vec;
    for (int i = 0; i < a.r * a.c; i++)
        v.m[i] = a.m[i] + sb * b.m[i];
    return v;
}

static val scalev(ectx *c, val a, double k)
{
    if (a.r <= 0) {
        a.s *= k;
        return a;
    }
    val v = newmat(c, a.r, a.c);
    if (!v.m)
        return v;
    v.vec = a.vec;
    for (int i = 0; i < a.r * a.c; i++)
        v.m[i] = a.m[i] * k;
    return v;
}

static val mulv(ectx *c, val a, val b)
{
    if (a.r == 0)
        return scalev(c, b, a.s);
    if (b.r == 0)
        return scalev(c, a, b.s);
    if (a.r < 0)
        return scalev(c, b, a.s);
    if (b.r < 0)
        return scalev(c, a, b.s);
    if (a.c != b.r)
        return bad(c, EX_ESHAPE, "matrix product of incompatible shapes");
    val v = newmat(c, a.r, b.c);
    if (!v.m)
        return v;
    for (int i = 0; i < a.r; i++)
        for (int j = 0; j < b.c; j++) {
            double s = 0;
            for (int k = 0; k < a.c; k++)
                s += a.m[i * a.c + k] * b.m[k * b.c + j];
            v.m[i * b.c + j] = s;
        }
    return v;
}

static val transv(ectx *c, val a)
{
    if (a.r <= 0)
        return a;
    val v = newmat(c, a.c, a.r);
    if (!v.m)
        return v;
    if (a.vec) { /* [a, b, c]^T: a column */
        memcpy(v.m, a.m, (size_t)a.r * (size_t)a.c * sizeof(double));
        v.r = a.r * a.c;
        v.c = 1;
        return v;
    }
    for (int i = 0; i < a.r; i++)
        for (int j = 0; j < a.c; j++)
            v.m[j * a.r + i] = a.m[i * a.c + j];
    return v;
}

static val inversev(ectx *c, val a)
{
    if (a.r != a.c)
        return bad(c, EX_ESHAPE, "inverse of a non-square matrix");
    int n = a.r;
    val v = newmat(c, n, n);
    if (!v.m)
        return v;
    double *tmp = rp_arena_alloc(c->scratch, (size_t)n * (size_t)n * sizeof(double));
    if (!tmp)
        return bad(c, EX_ENOMEM, "out of memory");
    memcpy(tmp, a.m, (size_t)n * (size_t)n * sizeof(double));
    gsl_matrix_view A = gsl_matrix_view_array(tmp, (size_t)n, (size_t)n);
    gsl_matrix_view B = gsl_matrix_view_array(v.m, (size_t)n, (size_t)n);
    gsl_permutation *perm = gsl_permutation_alloc((size_t)n);
    if (!perm)
        return bad(c, EX_ENOMEM, "out of memory");
    int sg;
    ex_gsl_quiet();
    int e1 = gsl_linalg_LU_decomp(&A.matrix, perm, &sg);
    int e2 = e1 ? e1 : gsl_linalg_LU_invert(&A.matrix, perm, &B.matrix);
    gsl_permutation_free(perm);
    if (e2)
        return bad(c, EX_EUNEVAL, "singular matrix");
    return v;
}

static double detv(ectx *c, val a)
{
    if (a.r == 0)
        return a.s;
    if (a.r < 0 || a.r != a.c) {
        bad(c, EX_ESHAPE, "determinant of a non-square matrix");
        return NAN;
    }
    int n = a.r;
    double *tmp = rp_arena_alloc(c->scratch, (size_t)n * (size_t)n * sizeof(double));
    if (!tmp)
        return NAN;
    memcpy(tmp, a.m, (size_t)n * (size_t)n * sizeof(double));
    gsl_matrix_view A = gsl_matrix_view_array(tmp, (size_t)n, (size_t)n);
    gsl_permutation *perm = gsl_permutation_alloc((size_t)n);
    if (!perm)
        return NAN;
    int sg;
    ex_gsl_quiet();
    gsl_linalg_LU_decomp(&A.matrix, perm, &sg);
    double d = gsl_linalg_LU_det(&A.matrix, sg);
    gsl_permutation_free(perm);
    return d;
}

/* Spectral norm (largest singular value). */
static double spectral(ectx *c, val a)
{
    int r = a.r, k = a.c;
    bool tr = r < k; /* GSL's SVD wants rows >= cols */
    int R = tr ? k : r, C = tr ? r : k;
    double *tmp = rp_arena_alloc(c->scratch, (size_t)R * (size_t)C * sizeof(double));
    double *vv = rp_arena_alloc(c->scratch, (size_t)C * (size_t)C * sizeof(double));
    double *ss = rp_arena_alloc(c->scratch, (size_t)C * sizeof(double));
    double *ww = rp_arena_alloc(c->scratch, (size_t)C * sizeof(double));
    if (!tmp || !vv || !ss || !ww)
        return NAN;
    for (int i = 0; i < r; i++)
        for (int j = 0; j < k; j++) {
            if (tr)
                tmp[j * C + i] = a.m[i * k + j];
            else
                tmp[i * C + j] = a.m[i * k + j];
        }
    gsl_matrix_view A = gsl_matrix_view_array(tmp, (size_t)R, (size_t)C);
    gsl_matrix_view V = gsl_matrix_view_array(vv, (size_t)C, (size_t)C);
    gsl_vector_view S = gsl_vector_view_array(ss, (size_t)C);
    gsl_vector_view W = gsl_vector_view_array(ww, (size_t)C);
    ex_gsl_quiet();
    int e = gsl_linalg_SV_decomp(&A.matrix, &V.matrix, &S.vector, &W.vector);
    return e ? NAN : ss[0];
}

static double normv(ectx *c, val a, const char *sub)
{
    if (a.r == 0)
        return fabs(a.s);
    if (a.r < 0)
        return fabs(a.s);
    int n = a.r * a.c;
    bool vecish = a.vec || a.r == 1 || a.c == 1;
    if (sub && (strcmp(sub, "1") == 0 || strcmp(sub, "\\infty") == 0) && vecish) {
        double s = 0;
        for (int i = 0; i < n; i++)
            s = sub[0] == '1' ? s + fabs(a.m[i]) : fmax(s, fabs(a.m[i]));
        return s;
    }
    bool frob = sub && (strcmp(sub, "F") == 0 || strcmp(sub, "Frobenius") == 0 ||
                        strcmp(sub, "HS") == 0);
    bool rms = sub && (strcmp(sub, "RMS") == 0 || strcmp(sub, "rms") == 0);
    if (vecish || frob) {
        double s = 0;
        for (int i = 0; i < n; i++)
            s += a.m[i] * a.m[i];
        return rms ? sqrt(s / n) : sqrt(s);
    }
    double sp = spectral(c, a);
    if (rms) /* RMS -> RMS operator norm */
        return sp * sqrt((double)a.c / (double)a.r);
    return sp;
}

/* ---------------------------------------------------------- evaluation */

bool ex_close(double a, double b, double tol)
{
    if (a == b)
        return true;
    if (isnan(a) || isnan(b) || isinf(a) || isinf(b))
        return false;
    double m = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
    return fabs(a - b) <= tol * m;
}


static inline double fast_kid(ectx *c, const rp_latex_node *x);

/* The entry of sequence base at indices ix[0..n): a value drawn from the
 * name, the indices and the point.  fast: the indices are scalar trees and
 * no symbol is a matrix (see ex_fast). */
static double entry_of(ectx *c, const char *base, rp_latex_node *const *ix, size_t n, bool fast)
{
    /* the hash steps are prog.h's, which compiled programs share */
    uint64_t h = ex_entry_start(ex_entry_name(base), c->pseed);
    for (size_t i = 0; i < n; i++) {
        double v = fast ? fast_kid(c, ix[i]) : ex_eval_scalar(c, ix[i]);
        h = ex_entry_index(h, v, (uint64_t)i);
    }
    return ex_entry_value(h);
}

static double array_entry(ectx *c, const rp_latex_node *x, bool fast)
{
    return entry_of(c, x->base, x->kid, x->n_kid, fast);
}

/* y(n) for a sequence y (aux -5): the entry y[n]; (a, b) gives two indices. */
static double apply_entry(ectx *c, const rp_latex_node *x, bool fast)
{
    const rp_latex_node *arg = x->kid[1];
    if (arg->kind == RP_LX_TUPLE)
        return entry_of(c, x->kid[0]->base, arg->kid, arg->n_kid, fast);
    return entry_of(c, x->kid[0]->base, &x->kid[1], 1, fast);
}

static double bound_value(const ectx *c, const char *name)
{
    for (int i = c->nbnd - 1; i >= 0; i--)
        if (c->bnd_name[i] == name)
            return c->bnd_val[i];
    int i = bound_slot(c, name);
    return i >= 0 ? c->bnd_val[i] : NAN;
}

void ex_collect_sum_bounds(ectx *c, const rp_latex_node *x)
{
    if (!x)
        return;
    if (x->kind == RP_LX_SUM && x->name && x->kid[0] && x->kid[1] && c->nsumb < 16)
        c->sumb[c->nsumb++] = x;
    for (size_t i = 0; i < x->n_kid; i++)
        ex_collect_sum_bounds(c, x->kid[i]);
}

/* The integer range lo..hi of the sum x, its bounds borrowed from the
 * reference when the claim wrote none.  Returns false (c->err set) when
 * the sum can not be evaluated. */
static bool sum_range(ectx *c, const rp_latex_node *x, double *lo, double *hi)
{
    const rp_latex_node *lon = x->kid[0], *hin = x->kid[1];
    if (x->name && (!lon || !hin)) /* borrow the reference's bounds */
        for (int i = 0; i < c->nsumb; i++)
            if (strcmp(c->sumb[i]->name, x->name) == 0) {
                lon = lon ? lon : c->sumb[i]->kid[0];
                hin = hin ? hin : c->sumb[i]->kid[1];
                break;
            }
    if (!x->name || !lon || !hin) {
        bad(c, EX_EUNEVAL, "a sum without bounds");
        return false;
    }
    /* a bound may hold a sum that borrows the bounds of this one */
    if (c->bounds_depth >= 16) {
        bad(c, EX_EUNEVAL, "sums nested too deeply");
        return false;
    }
    c->bounds_depth++;
    *lo = ex_eval_scalar(c, lon);
    *hi = ex_eval_scalar(c, hin);
    c->bounds_depth--;
    if (c->err)
        return false;
    if (!isfinite(*lo) || !isfinite(*hi)) {
        bad(c, EX_EUNEVAL, "a sum with infinite bounds");
        return false;
    }
    *lo = ceil(*lo - 1e-9);
    *hi = floor(*hi + 1e-9);
    if (*hi - *lo > (double)c->budget) {
        bad(c, EX_EUNEVAL, "a sum with too many terms");
        return false;
    }
    if (c->nbnd >= 16) {
        bad(c, EX_EUNEVAL, "sums nested too deeply");
        return false;
    }
    return true;
}

/* Counts one more term against the budgets; false (c->err set) when
 * they are spent. */
static bool sum_term(ectx *c)
{
    if (--c->budget < 0 || ++c->total_terms > EX_TOTAL_BUDGET) {
        bad(c, EX_EUNEVAL, "sums with too many terms");
        return false;
    }
    return true;
}

static val eval_sum(ectx *c, const rp_latex_node *x)
{
    double lo, hi;
    if (!sum_range(c, x, &lo, &hi))
        return scalar(NAN);
    int slot = c->nbnd++;
    c->bnd_name[slot] = x->name;
    val acc = x->op ? scalar(1) : scalar(0);
    for (double i = lo; i <= hi && !c->err; i += 1) {
        if (!sum_term(c))
            break;
        c->bnd_val[slot] = i;
        val t = ex_eval(c, x->kid[2]);
        acc = x->op ? mulv(c, acc, t) : addv(c, acc, t, 1);
    }
    c->nbnd--;
    return c->err ? scalar(NAN) : acc;
}

/* eval_sum for a scalar body (the caller checked): the terms in doubles,
 * as sums over array entries such as dy_{i,j} x_{i+h-1,j+l-1} take most
 * of the time of a comparison. */
static double fast_sum(ectx *c, const rp_latex_node *x)
{
    double lo, hi;
    if (!sum_range(c, x, &lo, &hi))
        return NAN;
    int slot = c->nbnd++;
    c->bnd_name[slot] = x->name;
    double acc = x->op ? 1 : 0;
    for (double i = lo; i <= hi && !c->err; i += 1) {
        if (!sum_term(c))
            break;
        c->bnd_val[slot] = i;
        double t = ex_fast(c, x->kid[2]);
        acc = x->op ? acc * t : acc + t;
    }
    c->nbnd--;
    return c->err ? NAN : acc;
}

bool ex_cond(ectx *c, const rp_latex_node *x)
{
    if (!x)
        return true;
    if (x->kind == RP_LX_AND) {
        for (size_t i = 0; i < x->n_kid; i++)
            if (!ex_cond(c, x->kid[i]))
                return false;
        return true;
    }
    if (x->kind != RP_LX_REL) {
        bad(c, EX_EUNEVAL, "a condition that is not a relation");
        return false;
    }
    double prev = ex_eval_scalar(c, x->kid[0]);
    for (size_t i = 1; i < x->n_kid; i++) {
        double cur = ex_eval_scalar(c, x->kid[i]);
        if (!ex_rel_holds(x->rel[i - 1], prev, cur))
            return false;
        prev = cur;
    }
    return true;
}

/* Active case of a cases node, -1 when none holds. */
static int active_case(ectx *c, const rp_latex_node *x)
{
    for (size_t i = 0; i + 1 < x->n_kid; i += 2)
        if (ex_cond(c, x->kid[i + 1]))
            return (int)(i / 2);
    return -1;
}

static double gcd2(double a, double b)
{
    a = fabs(a);
    b = fabs(b);
    for (int guard = 0; b > 0.5 && guard < 200; guard++) {
        double t = fmod(a, b);
        a = b;
        b = t;
    }
    return a;
}

/* Functions the parser leaves by name (trigonometry beyond sin/cos/tan,
 * inverse and hyperbolic functions, gcd and lcm): *r gets the value of
 * the function at a (the first argument); false when the name is none of
 * them. */
static bool named_func(ectx *c, const rp_latex_node *x, size_t nargs, double a, double *r)
{
    static const struct {
        const char *name;
        double (*f)(double);
    } one[] = {{"arcsin", asin}, {"arccos", acos}, {"arctan", atan}, {"sinh", sinh},
               {"cosh", cosh},   {"arsinh", asinh}, {"arcsinh", asinh}, {"arcosh", acosh},
               {"arccosh", acosh}, {"artanh", atanh}, {"arctanh", atanh}};
    for (size_t i = 0; i < sizeof one / sizeof *one; i++)
        if (strcmp(x->name, one[i].name) == 0) {
            *r = one[i].f(a);
            return true;
        }
    if (strcmp(x->name, "sec") == 0)
        *r = 1 / cos(a);
    else if (strcmp(x->name, "csc") == 0 || strcmp(x->name, "cosec") == 0)
        *r = 1 / sin(a);
    else if (strcmp(x->name, "cot") == 0)
        *r = cos(a) / sin(a);
    else if (strcmp(x->name, "coth") == 0)
        *r = 1 / tanh(a);
    else if (strcmp(x->name, "sech") == 0)
        *r = 1 / cosh(a);
    else if (strcmp(x->name, "csch") == 0)
        *r = 1 / sinh(a);
    else if (strcmp(x->name, "arccot") == 0)
        *r = atan(1 / a);
    else if (strcmp(x->name, "arcsec") == 0)
        *r = acos(1 / a);
    else if (strcmp(x->name, "arccsc") == 0)
        *r = asin(1 / a);
    else if (strcmp(x->name, "gcd") == 0 || strcmp(x->name, "lcm") == 0) {
        bool lcm = x->name[0] == 'l';
        double g = a;
        for (size_t i = 1; i < nargs; i++) {
            double b = ex_eval_scalar(c, x->kid[i]);
            if (a != floor(a) || b != floor(b))
                return false;
            g = lcm ? fabs(g * b) / gcd2(g, b) : gcd2(g, b);
        }
        *r = g;
    } else {
        return false;
    }
    return true;
}

static val eval_func(ectx *c, const rp_latex_node *x)
{
    size_t nargs = x->n_kid - ((x->flags & RP_LXF_BRACKET) ? 1 : 0);
    if (nargs == 0)
        return bad(c, EX_EUNEVAL, "function without arguments");
    if (x->op == RP_LF_DET || x->op == RP_LF_TR) {
        val m = ex_eval(c, x->kid[0]);
        if (m.r <= 0)
            return scalar(m.r < 0 && x->op == RP_LF_TR ? NAN : m.s);
        if (x->op == RP_LF_DET)
            return scalar(detv(c, m));
        if (m.r != m.c)
            return bad(c, EX_ESHAPE, "trace of a non-square matrix");
        double s = 0;
        for (int i = 0; i < m.r; i++)
            s += m.m[i * m.c + i];
        return scalar(s);
    }
    double a = ex_eval_scalar(c, x->kid[0]);
    switch (x->op) {
    case RP_LF_LOG:
    case RP_LF_LN:
        if (x->flags & RP_LXF_BRACKET) {
            double b = ex_eval_scalar(c, x->kid[x->n_kid - 1]);
            return scalar(log(a) / log(b));
        }
        return scalar(log(a));
    case RP_LF_LG: return scalar(log2(a));
    case RP_LF_EXP: return scalar(exp(a));
    case RP_LF_SIN: return scalar(sin(a));
    case RP_LF_COS: return scalar(cos(a));
    case RP_LF_TAN: return scalar(tan(a));
    case RP_LF_TANH: return scalar(tanh(a));
    case RP_LF_SIGMOID: return scalar(1 / (1 + exp(-a)));
    case RP_LF_SIGN: return scalar(a > 0 ? 1 : a < 0 ? -1 : 0);
    case RP_LF_MAX:
    case RP_LF_MIN: {
        double r = a;
        for (size_t i = 1; i < nargs; i++) {
            double b = ex_eval_scalar(c, x->kid[i]);
            r = x->op == RP_LF_MAX ? fmax(r, b) : fmin(r, b);
        }
        return scalar(r);
    }
    case RP_LF_BINOM: {
        if (nargs < 2)
            return bad(c, EX_EUNEVAL, "binomial needs two arguments");
        double k = ex_eval_scalar(c, x->kid[1]);
        return scalar(ex_binom(a, k));
    }
    default: {
        double r;
        if (x->name && named_func(c, x, nargs, a, &r))
            return scalar(r);
        char m[120];
        snprintf(m, sizeof m, "unknown function '%s'", x->name ? x->name : "?");
        return bad(c, EX_EUNEVAL, m);
    }
    }
}

/* Long (over 120 lines) because it is one switch over the node kinds, a few
 * lines each; the larger kinds call helpers above. */
val ex_eval(ectx *c, const rp_latex_node *x)
{
    if (c->err)
        return scalar(NAN);
    switch (x->kind) {
    case RP_LX_NUM:
        return scalar(x->num);
    case RP_LX_CONST:
        return scalar(x->op == RP_LC_PI ? M_PI : x->op == RP_LC_E ? M_E : INFINITY);
    case RP_LX_SYM:
        if (x->aux > 0) {
            esym *s = &c->sym[x->aux - 1];
            if (x->aux - 1 == c->unify_from && c->unify_to >= 0)
                s = &c->sym[c->unify_to];
            if (s->kind == SK_MATRIX) {
                val v = {s->rows, s->cols, false, 0, s->mat};
                if (!s->mat)
                    return bad(c, EX_ENOMEM, "out of memory");
                return v;
            }
            return scalar(s->cur);
        }
        if (x->aux == -2)
            return scalar(bound_value(c, x->name));
        if (x->aux == -1)
            return scalar(array_entry(c, x, false));
        if (x->aux == -3) {
            val v = {-1, 0, false, 1, NULL};
            return v;
        }
        if (x->aux == -4)
            return scalar(M_E);
        return bad(c, EX_EUNEVAL, "unresolved symbol");
    case RP_LX_ADD:
    case RP_LX_SUB: {
        val a = ex_eval(c, x->kid[0]);
        val b = ex_eval(c, x->kid[1]);
        if (a.r == 0 && b.r == 0)
            return scalar(x->kind == RP_LX_ADD ? a.s + b.s : a.s - b.s);
        return addv(c, a, b, x->kind == RP_LX_ADD ? 1 : -1);
    }
    case RP_LX_MUL: {
        if (x->aux == -5)
            return scalar(apply_entry(c, x, false));
        if (x->aux == -6)
            return scalar(ex_apply_func(c, x, false));
        val a = ex_eval(c, x->kid[0]);
        val b = ex_eval(c, x->kid[1]);
        if (a.r == 0 && b.r == 0)
            return scalar(a.s * b.s);
        return mulv(c, a, b);
    }
    case RP_LX_DIV: {
        val a = ex_eval(c, x->kid[0]);
        val b = ex_eval(c, x->kid[1]);
        if (b.r == 0)
            return a.r == 0 ? scalar(a.s / b.s) : scalev(c, a, 1 / b.s);
        if (b.r < 0)
            return scalev(c, a, 1 / b.s);
        return mulv(c, a, inversev(c, b));
    }
    case RP_LX_NEG: {
        val a = ex_eval(c, x->kid[0]);
        return a.r == 0 ? scalar(-a.s) : scalev(c, a, -1);
    }
    case RP_LX_POW: {
        val a = ex_eval(c, x->kid[0]);
        double e = ex_eval_scalar(c, x->kid[1]);
        if (a.r == 0)
            return scalar(ex_powd(a.s, e));
        if (a.r < 0) {
            a.s = ex_powd(a.s, e);
            return a;
        }
        if (e != floor(e) || fabs(e) > 64)
            return bad(c, EX_EUNEVAL, "non-integer power of a matrix");
        if (a.r != a.c)
            return bad(c, EX_ESHAPE, "power of a non-square matrix");
        val base = e < 0 ? inversev(c, a) : a;
        val r = ident_as(c, 1, a.r);
        for (long i = 0; i < (long)fabs(e) && !c->err; i++)
            r = mulv(c, r, base);
        return r;
    }
    case RP_LX_SQRT: {
        double a = ex_eval_scalar(c, x->kid[0]);
        if (x->n_kid > 1) {
            return scalar(ex_root(a, ex_eval_scalar(c, x->kid[1])));
        }
        return scalar(sqrt(a));
    }
    case RP_LX_FUNC:
        return eval_func(c, x);
    case RP_LX_ABS: {
        val a = ex_eval(c, x->kid[0]);
        if (a.r == 0 || a.r < 0)
            return scalar(fabs(a.s));
        if (a.vec || a.r == 1 || a.c == 1)
            return scalar(normv(c, a, "2"));
        return scalar(detv(c, a));
    }
    case RP_LX_NORM:
        return scalar(normv(c, ex_eval(c, x->kid[0]), x->name));
    case RP_LX_FLOOR:
    case RP_LX_CEIL: {
        double a = ex_eval_scalar(c, x->kid[0]);
        return scalar(c->no_round ? a : ex_round(a, x->kind == RP_LX_CEIL));
    }
    case RP_LX_FACT: {
        double a = ex_eval_scalar(c, x->kid[0]);
        return scalar(tgamma(a + 1));
    }
    case RP_LX_TRANSPOSE:
        return transv(c, ex_eval(c, x->kid[0]));
    case RP_LX_BIGO:
        return ex_eval(c, x->kid[0]);
    case RP_LX_SUM:
        return eval_sum(c, x);
    case RP_LX_MATRIX:
    case RP_LX_TUPLE: {
        int r = x->kind == RP_LX_MATRIX ? x->rows : (int)x->n_kid;
        int k = x->kind == RP_LX_MATRIX ? x->cols : 1;
        val v = newmat(c, r, k);
        if (!v.m)
            return v;
        v.vec = x->kind == RP_LX_TUPLE;
        for (size_t i = 0; i < x->n_kid && !c->err; i++)
            v.m[i] = ex_eval_scalar(c, x->kid[i]);
        if (x->kind == RP_LX_MATRIX && x->op == 'v')
            return scalar(detv(c, v));
        return v;
    }
    case RP_LX_CASES: {
        int k = active_case(c, x);
        if (c->err)
            return scalar(NAN);
        if (k < 0)
            return scalar(NAN);
        return ex_eval(c, x->kid[2 * (size_t)k]);
    }
    case RP_LX_REL:
    case RP_LX_AND:
        return scalar(ex_cond(c, x) ? 1 : 0);
    case RP_LX_TEXT:
        return bad(c, EX_EUNEVAL, "text, not math");
    case RP_LX_ELLIPSIS:
        return bad(c, EX_EUNEVAL, "'\\cdots' can not be evaluated");
    }
    return bad(c, EX_EUNEVAL, "unknown node");
}

/* True when x has no matrix or list literal (scalar evaluation suffices
 * once no symbol is a matrix). */
bool ex_scalar_tree(const rp_latex_node *x)
{
    if (!x)
        return true;
    if (x->kind == RP_LX_MATRIX || x->kind == RP_LX_TUPLE)
        return false;
    for (size_t i = 0; i < x->n_kid; i++)
        if (!ex_scalar_tree(x->kid[i]))
            return false;
    return true;
}

/* ex_fast of a child: numbers, variables and sum indices (most of the
 * leaves of a sum's terms) without a call of ex_fast. */
static inline double fast_kid(ectx *c, const rp_latex_node *x)
{
    if (x->kind == RP_LX_NUM)
        return x->num;
    if (x->kind == RP_LX_SYM) {
        if (x->aux > 0 && x->aux - 1 != c->unify_from)
            return c->sym[x->aux - 1].cur;
        if (x->aux == -2)
            return bound_value(c, x->name);
    }
    return ex_fast(c, x);
}

double ex_fast(ectx *c, const rp_latex_node *x)
{
    switch (x->kind) {
    case RP_LX_NUM:
        return x->num;
    case RP_LX_SYM:
        if (x->aux > 0) {
            int i = x->aux - 1;
            if (i == c->unify_from && c->unify_to >= 0)
                i = c->unify_to;
            return c->sym[i].cur;
        }
        if (x->aux == -2)
            return bound_value(c, x->name);
        if (x->aux == -1)
            return array_entry(c, x, true);
        break;
    case RP_LX_SUM:
        return fast_sum(c, x);
    case RP_LX_CASES: {
        int k = active_case(c, x);
        return c->err || k < 0 ? NAN : ex_fast(c, x->kid[2 * (size_t)k]);
    }
    case RP_LX_ADD:
        return fast_kid(c, x->kid[0]) + fast_kid(c, x->kid[1]);
    case RP_LX_SUB:
        return fast_kid(c, x->kid[0]) - fast_kid(c, x->kid[1]);
    case RP_LX_MUL:
        if (x->aux == -5)
            return apply_entry(c, x, true);
        if (x->aux == -6)
            return ex_apply_func(c, x, true);
        return fast_kid(c, x->kid[0]) * fast_kid(c, x->kid[1]);
    case RP_LX_DIV:
        return fast_kid(c, x->kid[0]) / fast_kid(c, x->kid[1]);
    case RP_LX_NEG:
        return -ex_fast(c, x->kid[0]);
    case RP_LX_POW:
        return ex_powd(fast_kid(c, x->kid[0]), fast_kid(c, x->kid[1]));
    case RP_LX_SQRT:
        if (x->n_kid == 1)
            return sqrt(ex_fast(c, x->kid[0]));
        break;
    case RP_LX_FLOOR:
    case RP_LX_CEIL: {
        double a = ex_fast(c, x->kid[0]);
        return c->no_round ? a : ex_round(a, x->kind == RP_LX_CEIL);
    }
    case RP_LX_ABS:
    case RP_LX_NORM:
        return fabs(ex_fast(c, x->kid[0]));
    case RP_LX_TRANSPOSE:
    case RP_LX_BIGO:
        return ex_fast(c, x->kid[0]);
    default:
        break;
    }
    return ex_eval_scalar(c, x);
}

double ex_eval_scalar(ectx *c, const rp_latex_node *x)
{
    val v = ex_eval(c, x);
    if (v.r > 0) {
        if (v.r == 1 && v.c == 1)
            return v.m[0];
        bad(c, EX_ESHAPE, "a matrix where a number is needed");
        return NAN;
    }
    return v.s;
}

int ex_active_case(ectx *c, const rp_latex_node *x) { return active_case(c, x); }
