/*
 * Equivalence of a claimed LaTeX answer with the reference (rp_equiv).
 *
 * Both sides are parsed, the value to compare is picked from each (the
 * right-most side of a relation chain: "x = ...", "3 \times 3 + 1 = 10"),
 * and both are evaluated at random points of their variables; they are
 * equal when every point agrees within a relative tolerance.  Written
 * decimals agree within their rounding ("0.333" for 1/3, three significant
 * digits or more), and "\approx" values within their last digit.
 *
 * Special paths: O(.)/\Theta(.) compare growth at large values of the
 * claim's variables (other symbols held fixed) up to a constant factor;
 * cases are compared on a sampled integer domain of the case variable
 * (never collapsed to one value); a bound where a value is asked is an
 * inequality unless opts->accept_bound; a truth whose only free symbol is
 * i is a complex number (complex.c); a product written with \times is
 * compared as a product (a number) unless the other side is a tuple of the
 * same length, then factor by factor as a shape.  One unknown claim symbol
 * against one unused truth symbol is unified and passes with a note.
 * When unequal, diagnose.c names the category.
 */
#include "expr_int.h"
#include "prog.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEF_POINTS 24
#define CASE_POINTS 96
#define DEF_TOL 1e-6
#define BATCH_MIN 8 /* points after the first, from which every side is compiled */
#define BATCH_FIRST 31 /* points after the first run before the rest (of many) */

typedef rp_latex_node node;

enum { CMP_EQUAL, CMP_DIFF, CMP_ERR_TRUTH, CMP_ERR_CLAIM, CMP_SHAPE, CMP_NOPOINTS };

typedef struct picked {
    node *v;        /* the compared value */
    bool bound;     /* the chain has <, <=, >, >= */
    int bound_rel;  /* the first such relation */
    bool approx;    /* the value follows \approx */
    bool propto;    /* the value follows \propto */
} picked;

static bool is_ineq(int r)
{
    return r == RP_REL_LE || r == RP_REL_LT || r == RP_REL_GE || r == RP_REL_GT;
}

static bool skippable(const node *x)
{
    return x->kind == RP_LX_TEXT || x->kind == RP_LX_ELLIPSIS;
}

/* The value of a relation chain; unknown(name) says the symbol is not in
 * the truth (a claim "\frac{1}{\sqrt{n}} = c" gives the left side). */
static picked pick(ectx *c, node *root, bool claim)
{
    picked pk = {root, false, -1, false, false};
    if (root->kind == RP_LX_TUPLE) {
        for (size_t i = 0; i < root->n_kid; i++)
            if (root->kid[i]->kind == RP_LX_REL)
                root->kid[i] = root->kid[i]->kid[root->kid[i]->n_kid - 1];
        return pk;
    }
    if (root->kind != RP_LX_REL)
        return pk;
    size_t n = root->n_kid;
    for (size_t i = 0; i + 1 < n; i++)
        if (is_ineq(root->rel[i]) && !pk.bound) {
            pk.bound = true;
            pk.bound_rel = root->rel[i];
        }
    size_t k = n - 1;
    while (k > 0 && skippable(root->kid[k]))
        k--;
    if (claim) {
        /* a bare symbol the truth does not use is the name being defined */
        size_t j = k;
        while (j > 0 && root->kid[j]->kind == RP_LX_SYM && root->kid[j]->n_kid == 0 &&
               ex_sym_find(c, ex_alias_key(c, root->kid[j]->name)) < 0)
            j--;
        if (j != k && !(root->kid[j]->kind == RP_LX_SYM && root->kid[j]->n_kid == 0))
            k = j;
    }
    pk.v = root->kid[k];
    int adj = k > 0 ? root->rel[k - 1] : root->rel[0];
    pk.approx = adj == RP_REL_APPROX;
    pk.propto = adj == RP_REL_PROPTO || adj == RP_REL_SIM;
    if (pk.bound && k == 0) { /* "5 >= x": the bound is read from the right */
        int r = pk.bound_rel;
        pk.bound_rel = r == RP_REL_LE ? RP_REL_GE : r == RP_REL_GE ? RP_REL_LE
                     : r == RP_REL_LT ? RP_REL_GT : r == RP_REL_GT ? RP_REL_LT : r;
    }
    return pk;
}

/* Flatten a chain of \times products. */
static size_t times_factors(node *x, node **out, size_t cap, size_t n)
{
    if (x->kind == RP_LX_MUL && (x->flags & RP_LXF_TIMES)) {
        n = times_factors(x->kid[0], out, cap, n);
        return times_factors(x->kid[1], out, cap, n);
    }
    if (n < cap)
        out[n] = x;
    return n + 1;
}

/* "28 \times 28 \times 10" against a tuple of 3: a tuple. */
static node *as_tuple(ectx *c, node *prod, size_t want)
{
    node *f[16];
    if (!(prod->kind == RP_LX_MUL && (prod->flags & RP_LXF_TIMES)))
        return prod;
    size_t n = times_factors(prod, f, 16, 0);
    if (n != want || n > 16)
        return prod;
    node *t = rp_arena_alloc(c->a, sizeof *t);
    node **k = rp_arena_alloc(c->a, n * sizeof *k);
    if (!t || !k)
        return prod;
    *t = *prod;
    t->kind = RP_LX_TUPLE;
    t->op = '(';
    t->kid = k;
    t->n_kid = n;
    memcpy(k, f, n * sizeof *k);
    return t;
}

/* Absolute tolerance of a written decimal: half a unit of its last
 * significant digit when it has 2 or more; 0 otherwise. */
static double lit_tol(const node *x, bool approx)
{
    if (x->kind == RP_LX_NEG)
        x = x->kid[0];
    if (x->kind != RP_LX_NUM || x->decimals == 0 || x->num == 0)
        return 0;
    if (x->sig < 2 && !approx)
        return 0;
    double e = floor(log10(fabs(x->num)));
    double unit = pow(10, e - x->sig + 1);
    return (approx ? 1.0 : 0.5) * unit * (1 + 1e-9);
}

static bool vecish(val v)
{
    return v.r > 0 && (v.vec || v.r == 1 || v.c == 1);
}

/* Does x write \infty somewhere?  (Tree height is bounded by the parser.) */
static bool names_infinity(const node *x)
{
    if (!x)
        return false;
    if (x->kind == RP_LX_CONST && x->op == RP_LC_INF)
        return true;
    for (size_t i = 0; i < x->n_kid; i++)
        if (names_infinity(x->kid[i]))
            return true;
    return false;
}

/* Compare two values; entry tolerances from the claim's literals. */
static int cmp_vals(val t, val cl, const node *C, double tol, double abs_tol, bool approx)
{
    if (t.r <= 0 && cl.r <= 0) {
        if ((isnan(t.s) && isnan(cl.s)))
            return CMP_NOPOINTS;
        /* both overflowed (10^{10^{10}}, (10^{10})!): the point says nothing */
        if (isinf(t.s) && isinf(cl.s) && !names_infinity(C))
            return CMP_NOPOINTS;
        if (ex_close(t.s, cl.s, tol) || fabs(t.s - cl.s) <= abs_tol)
            return CMP_EQUAL;
        double lt = lit_tol(C, approx);
        if (lt > 0 && isfinite(t.s) && fabs(t.s - cl.s) <= lt)
            return CMP_EQUAL;
        return CMP_DIFF;
    }
    if (t.r > 0 && cl.r <= 0 && t.r * t.c == 1)
        return ex_close(t.m[0], cl.s, tol) ? CMP_EQUAL : CMP_DIFF;
    if (cl.r > 0 && t.r <= 0 && cl.r * cl.c == 1)
        return ex_close(t.s, cl.m[0], tol) ? CMP_EQUAL : CMP_DIFF;
    if (t.r <= 0 || cl.r <= 0)
        return CMP_SHAPE;
    bool same = t.r == cl.r && t.c == cl.c;
    if (!same && !(vecish(t) && vecish(cl) && t.r * t.c == cl.r * cl.c))
        return CMP_SHAPE;
    int n = t.r * t.c;
    double mx = 0;
    for (int i = 0; i < n; i++)
        mx = fmax(mx, fabs(t.m[i]));
    const node *ent = NULL;
    if (C && C->kind == RP_LX_TRANSPOSE)
        C = C->kid[0];
    if (C && (C->kind == RP_LX_MATRIX || C->kind == RP_LX_TUPLE) && (int)C->n_kid == n)
        ent = C;
    for (int i = 0; i < n; i++) {
        double a = t.m[i], b = cl.m[i];
        if (ex_close(a, b, tol) || fabs(a - b) <= 1e-12 * mx || fabs(a - b) <= abs_tol)
            continue;
        double lt = ent ? lit_tol(ent->kid[i], approx) : 0;
        if (lt > 0 && fabs(a - b) <= lt)
            continue;
        return CMP_DIFF;
    }
    return CMP_EQUAL;
}

typedef struct run {
    int code;
    unsigned point; /* first differing point */
    val vt, vc;     /* values there */
    char msg[160];
} run;


static run compare(ectx *c, const node *T, const node *C, unsigned npts, double tol,
                   bool approx)
{
    run r;
    memset(&r, 0, sizeof r);
    unsigned valid = 0;
    /* the common case, numbers only, evaluates without allocating */
    bool fast = !c->has_matrix && ex_scalar_tree(T) && ex_scalar_tree(C);
    /* ... and is compiled: the first point alone (a claim that differs
     * mostly differs there; only sums are compiled for it), then every
     * other point in one pass, every side compiled */
    ex_batch b;
    ex_batch_init(c, &b, T, C, fast, false);
    for (unsigned k = 0; k < npts; k++) {
        c->err = 0;
        c->msg[0] = 0;
        if (k == 1 && npts > BATCH_MIN)
            ex_batch_more(c, &b, T, C, fast);
        if (!ex_batch_has(&b, k))
            ex_batch_fill(c, &b, k, k == 0 ? 1 : k == 1 && npts > BATCH_FIRST + 1 ? BATCH_FIRST
                                                                                   : npts - k);
        /* the tree walk reads the point's symbols */
        if (!ex_batch_ready(c, &b, k))
            ex_sample(c, k);
        c->budget = EX_SUM_BUDGET;
        val vt = ex_batch_side(c, &b, 0, k, T, fast), vc = {0, 0, false, 0, NULL};
        if (c->err) {
            r.code = CMP_ERR_TRUTH;
            snprintf(r.msg, sizeof r.msg, "%s", c->msg);
            return r;
        }
        c->budget = EX_SUM_BUDGET;
        vc = ex_batch_side(c, &b, 1, k, C, fast);
        if (c->err) {
            r.code = c->err == EX_ESHAPE ? CMP_SHAPE : CMP_ERR_CLAIM;
            snprintf(r.msg, sizeof r.msg, "%s", c->msg);
            r.vt = vt;
            r.vc = vc;
            r.point = k;
            return r;
        }
        int cv = cmp_vals(vt, vc, C, tol, c->o->abs_tol, approx);
        if (cv == CMP_NOPOINTS)
            continue;
        valid++;
        if (cv != CMP_EQUAL) {
            r.code = cv;
            r.point = k;
            r.vt = vt;
            r.vc = vc;
            return r;
        }
    }
    r.code = valid ? CMP_EQUAL : CMP_NOPOINTS;
    if (!valid)
        snprintf(r.msg, sizeof r.msg, "both sides are undefined or too large at every sample point");
    return r;
}

void ex_set_category(rp_equiv_result *res, rp_category cat)
{
    res->verdict = RP_EQUIV_DIFFERENT;
    res->category = cat;
    res->const_factor = false;
    res->const_k = 0;
    res->factor[0] = 0;
    res->entries[0] = res->entries[1] = 0;
}

static void set_diff(rp_equiv_result *res, rp_category cat, const char *fmt, ...)
    RP_PRINTF(3, 4);
static void set_diff(rp_equiv_result *res, rp_category cat, const char *fmt, ...)
{
    ex_set_category(res, cat);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(res->detail, sizeof res->detail, fmt, ap);
    va_end(ap);
}

static void print_node(const node *x, char *out, size_t cap)
{
    rp_buf b;
    rp_buf_init(&b, cap > 1 ? cap - 1 : 1);
    out[0] = 0;
    if (rp_latex_print(x, &b) == RP_OK && b.data)
        snprintf(out, cap, "%s", b.data);
    else if (b.data)
        snprintf(out, cap, "%s...", b.data);
    rp_buf_free(&b);
}

/* ---------------------------------------------------------------- cases */

static void diag_cases(ectx *c, const node *T, const node *C, rp_equiv_result *res,
                       double tol)
{
    const node *K = T->kind == RP_LX_CASES ? T : C; /* whose cases are named */
    bool truth_side = K == T;
    size_t nc = K->n_kid / 2;
    unsigned bad[32] = {0}, seen[32] = {0};
    unsigned nbad = 0, nall = 0;
    bool fast = !c->has_matrix && ex_scalar_tree(T) && ex_scalar_tree(C);
    /* both sides and the case that holds at every point at once, when
     * they can be: then the points need not be sampled */
    ex_batch b;
    ex_batch_init(c, &b, T, C, fast, true);
    /* the compiled sides count their terms; values are run where asked */
    ex_batch_fill_lazy(c, &b, 0, CASE_POINTS);
    int sel[CASE_POINTS];
    bool rows = ex_batch_has(&b, 0) && b.pts.n == CASE_POINTS && ex_vec_cases(c, K, &b.pts, sel);
    for (unsigned k = 0; k < CASE_POINTS; k++) {
        c->err = 0;
        if (rows && ex_batch_counted(c, &b, k)) {
            /* a point of a case already wrong changes nothing read below
             * (bad and seen stay non-zero; nbad, nall are not read) but
             * the terms it counts: it is counted, not evaluated */
            int ks = sel[k];
            if (ks >= 0 && ks < 32 && bad[ks]) {
                ex_batch_skip(c, &b, k);
                continue;
            }
        }
        ex_batch_need(c, &b, k);
        bool ready = rows && ex_batch_ready(c, &b, k);
        if (!ready)
            ex_sample(c, k);
        c->budget = EX_SUM_BUDGET;
        val vt = ex_batch_side(c, &b, 0, k, T, fast);
        int ka = ready ? sel[k] : ex_active_case(c, K);
        c->budget = EX_SUM_BUDGET;
        val vc = ex_batch_side(c, &b, 1, k, C, fast);
        if (c->err || ka < 0 || ka >= 32)
            continue;
        int cv = cmp_vals(vt, vc, C, tol, c->o->abs_tol, false);
        if (cv == CMP_NOPOINTS)
            continue;
        seen[ka]++;
        nall++;
        if (cv != CMP_EQUAL) {
            bad[ka]++;
            nbad++;
        }
    }
    size_t nbadcases = 0, nseen = 0;
    for (size_t i = 0; i < nc && i < 32; i++) {
        nbadcases += bad[i] > 0;
        nseen += seen[i] > 0;
    }
    if (nbadcases == 0) {
        ex_diag_scalar(c, T, C, res, NULL);
        return;
    }
    if (nbadcases == nseen && nseen > 1) {
        /* wrong in every case: a global pattern (sign, factor)? */
        ex_diag_scalar(c, T, C, res, NULL);
        if (res->verdict == RP_EQUIV_DIFFERENT && res->category != RP_CAT_ARITHMETIC)
            return;
    }
    (void)nbad;
    (void)nall;
    char d[256];
    size_t o = 0;
    d[0] = 0;
    for (size_t i = 0; i < nc && i < 32; i++) {
        if (!bad[i])
            continue;
        char cond[96], valb[96];
        if (K->kid[2 * i + 1])
            print_node(K->kid[2 * i + 1], cond, sizeof cond);
        else
            snprintf(cond, sizeof cond, "\\text{otherwise}");
        print_node(K->kid[2 * i], valb, sizeof valb);
        int w = snprintf(d + o, sizeof d - o, "%scase %zu (%s): %s %s", o ? "; " : "", i + 1,
                         cond, truth_side ? "expected" : "claim gives", valb);
        if (w < 0 || (size_t)w >= sizeof d - o)
            break;
        o += (size_t)w;
    }
    set_diff(res, RP_CAT_WRONG_CASE, "%s", d);
}

/* ----------------------------------------------------------- asymptotic */

static bool proportional_at_large(ectx *c, const node *A, const node *B, bool *ok)
{
    double r0 = 0;
    unsigned n = 0;
    double lo = INFINITY, hi = 0;
    *ok = true;
    c->big = true;
    for (unsigned k = 0; k < DEF_POINTS; k++) {
        c->err = 0;
        ex_sample(c, k);
        c->budget = EX_SUM_BUDGET;
        double a = ex_eval_scalar(c, A);
        c->budget = EX_SUM_BUDGET;
        double b = ex_eval_scalar(c, B);
        if (c->err) {
            *ok = false;
            break;
        }
        if (!isfinite(a) || !isfinite(b) || b == 0 || a == 0)
            continue;
        double r = a / b;
        if (n == 0)
            r0 = r;
        if ((r > 0) != (r0 > 0)) {
            lo = 0;
            hi = INFINITY;
        }
        lo = fmin(lo, fabs(r));
        hi = fmax(hi, fabs(r));
        n++;
    }
    c->big = false;
    if (!*ok || n < 3)
        return false;
    return hi <= lo * 1.05;
}

static void asymptotic(ectx *c, const node *T, const node *C, rp_equiv_result *res)
{
    bool tO = T->kind == RP_LX_BIGO, cO = C->kind == RP_LX_BIGO;
    const node *A = tO ? T->kid[0] : T;
    const node *B = cO ? C->kid[0] : C;
    for (int i = 0; i < c->nsym; i++)
        c->sym[i].hold = c->sym[i].n_claim == 0 || c->sym[i].fixed;
    bool ok;
    bool prop = proportional_at_large(c, A, B, &ok);
    for (int i = 0; i < c->nsym; i++)
        c->sym[i].hold = false;
    if (!ok) {
        res->verdict = RP_EQUIV_ERROR;
        res->error_side = 1;
        snprintf(res->error, sizeof res->error, "can not evaluate: %s", c->msg);
        return;
    }
    if (prop) {
        if (cO && !tO) {
            set_diff(res, RP_CAT_ASYMPTOTIC_ONLY,
                     "an order of growth (%s) where the exact expression is asked",
                     C->op == 1 ? "\\Theta" : C->op == 2 ? "\\Omega" : "O");
            return;
        }
        res->verdict = RP_EQUIV_EQUAL;
        if (tO && !cO)
            snprintf(res->note, sizeof res->note, "exact expression of the right order");
        return;
    }
    ex_diag_scalar(c, A, B, res, "order of growth: ");
    if (res->verdict != RP_EQUIV_DIFFERENT)
        set_diff(res, RP_CAT_ARITHMETIC, "order of growth differs");
}

/* --------------------------------------------------------- unification */

/* "_{y}" or "_{\\alpha}": a subscript of one letter. */
static bool one_letter_sub(const char *s)
{
    size_t n = strlen(s);
    if (n < 4 || s[0] != '_' || s[1] != '{' || s[n - 1] != '}')
        return false;
    if (n == 4)
        return (s[2] >= 'a' && s[2] <= 'z') || (s[2] >= 'A' && s[2] <= 'Z');
    if (s[2] != '\\')
        return false;
    for (size_t i = 3; i + 1 < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
            return false;
    return true;
}

static bool try_unify(ectx *c)
{
    int from = -1, to = -1, nf = 0, nt = 0;
    for (int i = 0; i < c->nsym; i++) {
        esym *s = &c->sym[i];
        if (s->n_claim > 0 && s->n_truth == 0 && !s->declared) {
            from = i;
            nf++;
        }
        if (s->n_truth > 0 && s->n_claim == 0 && !s->fixed) {
            to = i;
            nt++;
        }
    }
    if (nf != 1 || nt != 1 || c->sym[from].kind != c->sym[to].kind)
        return false;
    /* same letter, different subscript words: \sigma_y for \sigma_a (not x_3 for x_2) */
    const esym *f = &c->sym[from], *t = &c->sym[to];
    if (!f->base || !t->base || strcmp(f->base, t->base) != 0 ||
        strcmp(f->name, f->base) == 0 || strcmp(t->name, t->base) == 0)
        return false;
    const char *sf = f->name + strlen(f->base), *st = t->name + strlen(t->base);
    if (!one_letter_sub(sf) || !one_letter_sub(st))
        return false;
    c->unify_from = from;
    c->unify_to = to;
    return true;
}

/* ------------------------------------------------------------------ API */

static void parse_error(rp_equiv_result *res, int side, const rp_latex_error *e,
                        rp_status st)
{
    res->verdict = RP_EQUIV_ERROR;
    res->error_side = side;
    res->error_pos = e->pos;
    snprintf(res->error, sizeof res->error, "%s: %s (offset %zu)",
             side ? "claim" : "truth", st == RP_ELIMIT ? "input too long" : e->msg, e->pos);
}

/* Long (over 120 lines) because it is the one place the steps of a
 * comparison are put in order: parse both sides, declare and resolve
 * symbols, answer formats, then values and diagnosis; each step is a few
 * lines that hand their state to the next. */
static rp_status equiv_in(ectx *c, const char *truth, size_t truth_len, const char *claim,
                          size_t claim_len, const rp_equiv_opts *o, rp_equiv_result *res)
{
    rp_latex_node *tr, *cl;
    rp_latex_error e;
    rp_status st = ex_cache_parse(c->cache, c->a, truth, truth_len, &tr, &e);
    if (st == RP_ENOMEM)
        return st;
    if (st) {
        parse_error(res, 0, &e, st);
        return RP_OK;
    }
    st = ex_cache_parse(c->cache, c->a, claim, claim_len, &cl, &e);
    if (st == RP_ENOMEM)
        return st;
    if (st) {
        parse_error(res, 1, &e, st);
        return RP_OK;
    }
    if (!ex_canon_decls(c))
        return RP_ENOMEM;
    c->e_var = o->e_is_variable;
    for (size_t i = 0; i < o->n_vars; i++)
        if (o->vars[i].name && strcmp(o->vars[i].name, "e") == 0)
            c->e_var = true;
    ex_find_matrices(c, tr);
    ex_find_matrices(c, cl);
    for (size_t i = 0; i < o->n_vars; i++)
        if (o->vars[i].rows > 0 && o->vars[i].cols > 0)
            c->has_matrix = true;
    /* a sequence is written y[n] somewhere: no '[' and no search */
    if (memchr(truth, '[', truth_len) || memchr(claim, '[', claim_len))
        ex_find_sequences(c, tr, cl);
    ex_find_functions(c, tr, cl);
    picked pt = pick(c, tr, false);
    if (!ex_resolve(c, pt.v, 0))
        goto too_many;
    picked pc = pick(c, cl, true);
    if (!ex_resolve(c, pc.v, 1))
        goto too_many;
    ex_collect_sum_bounds(c, pt.v);
    ex_apply_decls(c);
    node *T = pt.v, *C = pc.v;
    if (T->kind == RP_LX_TEXT || C->kind == RP_LX_TEXT) {
        res->verdict = RP_EQUIV_ERROR;
        res->error_side = T->kind == RP_LX_TEXT ? 0 : 1;
        snprintf(res->error, sizeof res->error, "%s has no math",
                 res->error_side ? "claim" : "truth");
        return RP_OK;
    }
    /* i the imaginary unit where the truth is a complex number (complex.c) */
    if (ex_complex_wanted(c) &&
        ex_complex_compare(c, T, C, o->rel_tol > 0 ? o->rel_tol : DEF_TOL, res))
        return RP_OK;
    if (T->kind == RP_LX_TUPLE)
        C = as_tuple(c, C, T->n_kid);
    else if (C->kind == RP_LX_TUPLE)
        T = as_tuple(c, T, C->n_kid);

    bool cases = T->kind == RP_LX_CASES || C->kind == RP_LX_CASES;
    if (cases) {
        int best = -1;
        for (int i = 0; i < c->nsym; i++)
            if (c->sym[i].n_cond > 0 && !c->sym[i].fixed && !c->sym[i].declared &&
                (best < 0 || c->sym[i].n_cond > c->sym[best].n_cond))
                best = i;
        if (best >= 0)
            c->sym[best].case_var = true;
    }
    double tol = o->rel_tol > 0 ? o->rel_tol : DEF_TOL;
    if (pc.approx)
        tol = fmax(tol, 5e-3);
    unsigned npts = o->n_points ? o->n_points : DEF_POINTS;
    if (cases && npts < CASE_POINTS)
        npts = CASE_POINTS;
    if (npts > 4096)
        npts = 4096;

    if (T->kind == RP_LX_BIGO || C->kind == RP_LX_BIGO) {
        asymptotic(c, T, C, res);
        if (res->verdict == RP_EQUIV_DIFFERENT && try_unify(c)) {
            rp_equiv_result r2;
            memset(&r2, 0, sizeof r2);
            asymptotic(c, T, C, &r2);
            if (r2.verdict == RP_EQUIV_EQUAL || r2.category == RP_CAT_ASYMPTOTIC_ONLY) {
                *res = r2;
                snprintf(res->note, sizeof res->note, "%s read as %s",
                         c->sym[c->unify_from].name, c->sym[c->unify_to].name);
            }
            c->unify_from = c->unify_to = -1;
        }
        return RP_OK;
    }

    run r = compare(c, T, C, npts, tol, pc.approx);
    if (r.code == CMP_DIFF || r.code == CMP_SHAPE || r.code == CMP_ERR_CLAIM) {
        if (try_unify(c)) {
            run r2 = compare(c, T, C, npts, tol, pc.approx);
            if (r2.code == CMP_EQUAL) {
                r = r2;
                snprintf(res->note, sizeof res->note, "%s read as %s",
                         c->sym[c->unify_from].name, c->sym[c->unify_to].name);
            } else {
                c->unify_from = c->unify_to = -1;
            }
        }
    }
    if (r.code == CMP_ERR_TRUTH || r.code == CMP_ERR_CLAIM || r.code == CMP_NOPOINTS) {
        res->verdict = RP_EQUIV_ERROR;
        res->error_side = r.code == CMP_ERR_TRUTH ? 0 : 1;
        snprintf(res->error, sizeof res->error, "can not evaluate the %s: %s",
                 res->error_side ? "claim" : "truth", r.msg);
        return RP_OK;
    }
    bool equal = r.code == CMP_EQUAL;
    /* bounds */
    if (pc.bound && !pt.bound) {
        if (equal && o->accept_bound) {
            res->verdict = RP_EQUIV_EQUAL;
            snprintf(res->note, sizeof res->note, "a bound (%s) accepted for the value",
                     rp_latex_rel_name(pc.bound_rel));
            return RP_OK;
        }
        set_diff(res, RP_CAT_INEQUALITY, "a bound (%s) where a value is asked%s",
                 rp_latex_rel_name(pc.bound_rel),
                 equal ? "; the bound equals the value" : "; the bound's value also differs");
        return RP_OK;
    }
    if (pt.bound && pc.bound) {
        bool up_t = pt.bound_rel == RP_REL_LE || pt.bound_rel == RP_REL_LT;
        bool up_c = pc.bound_rel == RP_REL_LE || pc.bound_rel == RP_REL_LT;
        if (up_t != up_c) {
            set_diff(res, RP_CAT_INEQUALITY, "bound in the wrong direction (%s instead of %s)",
                     rp_latex_rel_name(pc.bound_rel), rp_latex_rel_name(pt.bound_rel));
            return RP_OK;
        }
    }
    if (equal) {
        res->verdict = RP_EQUIV_EQUAL;
        if (pt.bound && !pc.bound && !res->note[0])
            snprintf(res->note, sizeof res->note, "the value of the bound given as an equality");
        return RP_OK;
    }
    /* diagnosis: every one ends DIFFERENT, so it cannot change the verdict */
    if (o->verdict_only) {
        ex_set_category(res, RP_CAT_ARITHMETIC);
        return RP_OK;
    }
    if (r.code == CMP_SHAPE || r.vt.r > 0 || r.vc.r > 0) {
        if (r.code == CMP_SHAPE && r.vt.r <= 0 && r.vc.r <= 0) {
            set_diff(res, RP_CAT_WRONG_SHAPE, "%s", r.msg[0] ? r.msg : "shapes do not match");
            return RP_OK;
        }
        ex_diag_matrix(c, T, C, r.vt, r.vc, res);
        return RP_OK;
    }
    if (cases) {
        diag_cases(c, T, C, res, tol);
        return RP_OK;
    }
    ex_diag_scalar(c, T, C, res, NULL);
    if (pc.propto && res->const_factor)
        set_diff(res, RP_CAT_ASYMPTOTIC_ONLY, "proportional (\\propto) where the exact expression is asked");
    return RP_OK;
too_many:
    res->verdict = RP_EQUIV_ERROR;
    snprintf(res->error, sizeof res->error, "more than %d symbols", EX_MAXSYM);
    return RP_OK;
}

struct rp_equiv_ctx {
    ex_cache *cache;
    ectx *c; /* reused between comparisons */
};

rp_equiv_ctx *rp_equiv_ctx_new(void)
{
    rp_equiv_ctx *x = calloc(1, sizeof *x);
    if (!x)
        return NULL;
    x->cache = ex_cache_new();
    x->c = malloc(sizeof *x->c);
    if (!x->cache || !x->c) {
        rp_equiv_ctx_free(x);
        return NULL;
    }
    return x;
}

void rp_equiv_ctx_free(rp_equiv_ctx *ctx)
{
    if (!ctx)
        return;
    ex_cache_free(ctx->cache);
    free(ctx->c);
    free(ctx);
}

rp_status ex_equiv_value(ectx *c, ex_cache *cache, const char *truth, size_t truth_len,
                         const char *claim, size_t claim_len, const rp_equiv_opts *opts,
                         rp_equiv_result *res)
{
    memset(res, 0, sizeof *res);
    rp_equiv_opts defaults;
    memset(&defaults, 0, sizeof defaults);
    const rp_equiv_opts *o = opts ? opts : &defaults;
    /* the symbol table is filled as symbols are seen: clear the header only */
    memset(c, 0, offsetof(ectx, sym));
    memset((char *)c + offsetof(ectx, nsym), 0, sizeof *c - offsetof(ectx, nsym));
    c->a = rp_arena_new(64u << 20);
    if (!c->a)
        return RP_ENOMEM;
    ex_cache_begin(cache);
    c->cache = cache;
    c->o = o;
    c->seed = o->seed ? o->seed : 0x5EEDC0FFEEull;
    c->unify_from = c->unify_to = -1;
    rp_status st = equiv_in(c, truth ? truth : "", truth ? truth_len : 0,
                            claim ? claim : "", claim ? claim_len : 0, o, res);
    if (c->scratch)
        rp_arena_free(c->scratch);
    rp_arena_free(c->a);
    if (st == RP_ENOMEM) {
        res->verdict = RP_EQUIV_ERROR;
        snprintf(res->error, sizeof res->error, "out of memory");
    }
    return st;
}

rp_status rp_equiv_ctx_run(rp_equiv_ctx *ctx, const char *truth, size_t truth_len,
                           const char *claim, size_t claim_len,
                           const rp_equiv_opts *opts, rp_equiv_result *res)
{
    if (!ctx)
        return rp_equiv(truth, truth_len, claim, claim_len, opts, res);
    return ex_answer_run(ctx->c, ctx->cache, truth, truth_len, claim, claim_len, opts, res);
}

rp_status rp_equiv(const char *truth, size_t truth_len, const char *claim,
                   size_t claim_len, const rp_equiv_opts *opts,
                   rp_equiv_result *res)
{
    ectx *c = malloc(sizeof *c);
    if (!c) {
        memset(res, 0, sizeof *res);
        res->verdict = RP_EQUIV_ERROR;
        snprintf(res->error, sizeof res->error, "out of memory");
        return RP_ENOMEM;
    }
    rp_status st = ex_answer_run(c, NULL, truth, truth_len, claim, claim_len, opts, res);
    free(c);
    return st;
}
