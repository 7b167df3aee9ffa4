/*
 * Unit tests of the compiled evaluation (src/expr/prog.c): random
 * expressions (sums, products, array entries, functions, roots, floors)
 * are evaluated at many points both by the program and by the tree walk
 * (ex_fast), and must agree bit for bit, with the same count of sum terms;
 * a point the program leaves to the tree walk must be one where the tree
 * walk fails (a sum over too many terms, infinite bounds).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "expr_int.h"
#include "prog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------ random expressions */

typedef struct gen {
    uint64_t st;
    char buf[4096];
    size_t n;
    const char *idx[4]; /* sum indices in scope */
    int nidx;
} gen;

static unsigned draw(gen *g, unsigned n)
{
    g->st = ex_mix(g->st);
    return (unsigned)(g->st >> 33) % n;
}

static void put(gen *g, const char *s)
{
    size_t k = strlen(s);
    if (g->n + k < sizeof g->buf) {
        memcpy(g->buf + g->n, s, k);
        g->n += k;
        g->buf[g->n] = 0;
    }
}

static void expr(gen *g, int depth);

static void leaf(gen *g)
{
    static const char *const leaves[] = {"x", "y", "n", "m", "2", "3", "0.5", "\\pi", "7", "a_{1}"};
    if (g->nidx && draw(g, 2) == 0) {
        put(g, g->idx[draw(g, (unsigned)g->nidx)]);
        return;
    }
    put(g, leaves[draw(g, sizeof leaves / sizeof *leaves)]);
}

/* An array entry indexed by the sum indices in scope: x_{i+h-1}, dy_{i,j}, y[n-1]. */
static void entry(gen *g)
{
    if (!g->nidx || draw(g, 3) == 0) {
        put(g, draw(g, 2) ? "y[n-1]" : "y[n]");
        return;
    }
    put(g, draw(g, 2) ? "dy_{" : "w_{");
    for (int k = 0; k < g->nidx; k++) {
        if (k)
            put(g, ",");
        put(g, g->idx[k]);
        if (draw(g, 2))
            put(g, "+h-1");
    }
    put(g, "}");
}

static void sum(gen *g, int depth)
{
    static const char *const names[] = {"i", "j", "k", "l"};
    if (g->nidx >= 3) {
        leaf(g);
        return;
    }
    const char *ix = names[g->nidx];
    char head[96];
    static const char *const uppers[] = {"n", "m", "3", "x", "0", "n+m", "10^{6}", "\\infty"};
    const char *up = uppers[draw(g, sizeof uppers / sizeof *uppers)];
    /* outer sums sometimes leave out their bounds (borrowed from the
     * reference's sum of the same index, as a claim may write them) */
    if (g->nidx == 0 && draw(g, 6) == 0)
        snprintf(head, sizeof head, "\\sum_{%s} ", ix);
    else if (g->nidx > 0 && draw(g, 3) == 0)
        snprintf(head, sizeof head, "%s_{%s=%s}^{%s} ", draw(g, 4) ? "\\sum" : "\\prod", ix,
                 g->idx[0], "n");
    else
        snprintf(head, sizeof head, "%s_{%s=1}^{%s} ", draw(g, 5) ? "\\sum" : "\\prod", ix, up);
    put(g, head);
    g->idx[g->nidx++] = ix;
    put(g, "\\left(");
    expr(g, depth - 1);
    put(g, "\\right)");
    g->nidx--;
}

static void expr(gen *g, int depth)
{
    if (depth <= 0) {
        if (draw(g, 4) == 0)
            entry(g);
        else
            leaf(g);
        return;
    }
    switch (draw(g, 16)) {
    case 0: expr(g, depth - 1); put(g, " + "); expr(g, depth - 1); break;
    case 1: expr(g, depth - 1); put(g, " - "); expr(g, depth - 1); break;
    case 2: put(g, "("); expr(g, depth - 1); put(g, ")\\cdot("); expr(g, depth - 1); put(g, ")"); break;
    case 3: put(g, "\\frac{"); expr(g, depth - 1); put(g, "}{"); expr(g, depth - 1); put(g, "}"); break;
    case 4: put(g, "("); expr(g, depth - 1); put(g, draw(g, 2) ? ")^{2}" : ")^{0.5}"); break;
    case 5: put(g, "\\sqrt{"); expr(g, depth - 1); put(g, "}"); break;
    case 6: put(g, "\\sqrt[3]{"); expr(g, depth - 1); put(g, " - 4}"); break;
    case 7: put(g, "\\left\\lfloor "); expr(g, depth - 1); put(g, " \\right\\rfloor"); break;
    case 8: put(g, "\\left\\lceil "); expr(g, depth - 1); put(g, " \\right\\rceil"); break;
    case 9: put(g, "\\left|"); expr(g, depth - 1); put(g, " - 3\\right|"); break;
    case 10: put(g, draw(g, 2) ? "\\log(" : "\\exp("); expr(g, depth - 1); put(g, ")"); break;
    case 11: put(g, draw(g, 2) ? "\\sin(" : "\\tanh("); expr(g, depth - 1); put(g, ")"); break;
    case 12: put(g, "\\max("); expr(g, depth - 1); put(g, ", "); expr(g, depth - 1); put(g, ")"); break;
    case 13: put(g, "\\binom{n+3}{2}"); break;
    case 14:
    case 15: sum(g, depth); break;
    }
}

/* A new random expression in g->buf. */
static void next_expr(gen *g)
{
    g->n = 0;
    g->buf[0] = 0;
    g->nidx = 0;
    expr(g, 1 + (int)draw(g, 4));
}

/* ------------------------------------------------------- comparison */

typedef struct setup {
    ectx *c;
    rp_equiv_opts o;
    rp_latex_node *x;
} setup;

/* Parse and resolve s as equiv.c does for a reference; false when it does
 * not parse or is not a numbers-only tree. */
static bool prepare(setup *u, const char *s, uint64_t seed)
{
    memset(u->c, 0, sizeof *u->c);
    memset(&u->o, 0, sizeof u->o);
    u->c->a = rp_arena_new(64u << 20);
    assert_non_null(u->c->a);
    u->c->o = &u->o;
    u->c->seed = seed;
    u->c->unify_from = u->c->unify_to = -1;
    if (rp_latex_parse(u->c->a, s, strlen(s), &u->x, NULL) != RP_OK)
        return false;
    assert_true(ex_canon_decls(u->c));
    if (!ex_resolve(u->c, u->x, 0))
        return false;
    ex_collect_sum_bounds(u->c, u->x);
    ex_apply_decls(u->c);
    return !u->c->has_matrix && ex_scalar_tree(u->x);
}

static void finish(setup *u)
{
    if (u->c->scratch)
        rp_arena_free(u->c->scratch);
    rp_arena_free(u->c->a);
}

static bool same_double(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0 || (isnan(a) && isnan(b));
}

/* Compare the program of s with the tree walk at npts points; returns
 * whether it compiled. */
static bool check_expr(setup *u, const char *s, unsigned npts, unsigned *left, uint64_t seed)
{
    if (!prepare(u, s, seed)) {
        finish(u);
        return false;
    }
    ectx *c = u->c;
    ex_prog *p = ex_prog_compile(c, u->x);
    if (!p) {
        finish(u);
        return false;
    }
    ex_points pts;
    double *out = rp_arena_alloc(c->a, npts * sizeof *out);
    long *terms = rp_arena_alloc(c->a, npts * sizeof *terms);
    assert_non_null(out);
    assert_non_null(terms);
    /* two runs of points, as compare() asks for them */
    assert_true(ex_prog_sample(c, 0, 1, &pts));
    assert_true(ex_prog_run(c, p, &pts, out, terms));
    ex_points rest;
    assert_true(ex_prog_sample(c, 1, npts - 1, &rest));
    assert_true(ex_prog_run(c, p, &rest, out + 1, terms + 1));
    /* the terms counted without the values are those of the run */
    long *counted = rp_arena_alloc(c->a, npts * sizeof *counted);
    assert_non_null(counted);
    ex_prog_count(c, p, &rest, counted + 1);
    ex_prog_count(c, p, &pts, counted);
    for (unsigned k = 0; k < npts; k++)
        if (counted[k] != terms[k])
            fail_msg("%s: point %u: %ld terms counted, %ld run", s, k, counted[k], terms[k]);
    /* again: a program with sums is found in the memo of runs */
    double *again = rp_arena_alloc(c->a, npts * sizeof *again);
    long *again_terms = rp_arena_alloc(c->a, npts * sizeof *again_terms);
    assert_non_null(again);
    assert_non_null(again_terms);
    assert_true(ex_prog_run(c, p, &rest, again, again_terms));
    for (unsigned k = 1; k < npts; k++)
        if (!same_double(again[k - 1], out[k]) || again_terms[k - 1] != terms[k])
            fail_msg("%s: point %u: a second run gives %.17g", s, k, again[k - 1]);
    /* a run half remembered: points npts/2 .. npts/2 + npts - 1, the
     * second half new (checked against the tree walk below) */
    unsigned h0 = npts / 2;
    ex_points over;
    double *ov = rp_arena_alloc(c->a, npts * sizeof *ov);
    long *ot = rp_arena_alloc(c->a, npts * sizeof *ot);
    assert_non_null(ov);
    assert_non_null(ot);
    assert_true(ex_prog_sample(c, h0, npts, &over));
    assert_true(ex_prog_run(c, p, &over, ov, ot));
    for (unsigned k = h0; k < npts; k++)
        if (!same_double(ov[k - h0], out[k]) || ot[k - h0] != terms[k])
            fail_msg("%s: point %u: a run half remembered gives %.17g", s, k, ov[k - h0]);
    for (unsigned k = npts; k < h0 + npts; k++) {
        c->err = 0;
        c->total_terms = 0;
        c->budget = EX_SUM_BUDGET;
        ex_sample(c, k);
        double v = ex_fast(c, u->x);
        if (ot[k - h0] >= 0 && (c->err || !same_double(v, ov[k - h0])))
            fail_msg("%s: point %u: tree walk %.17g, half remembered run %.17g", s, k, v,
                     ov[k - h0]);
    }
    for (unsigned k = 0; k < npts; k++) {
        c->err = 0;
        c->msg[0] = 0;
        c->total_terms = 0;
        c->budget = EX_SUM_BUDGET;
        ex_sample(c, k);
        double v = ex_fast(c, u->x);
        if (terms[k] < 0) {
            /* left to the tree walk: it must fail there */
            if (!c->err)
                fail_msg("%s: point %u left to the tree walk, which gives %g", s, k, v);
            (*left)++;
            continue;
        }
        if (c->err)
            fail_msg("%s: point %u: the tree walk fails (%s), the program gives %g", s, k,
                     c->msg, out[k]);
        if (!same_double(v, out[k]))
            fail_msg("%s: point %u: tree walk %.17g, program %.17g", s, k, v, out[k]);
        if (c->total_terms != terms[k] || c->budget != EX_SUM_BUDGET - terms[k])
            fail_msg("%s: point %u: %ld sum terms walked, %ld counted", s, k, c->total_terms,
                     terms[k]);
    }
    finish(u);
    return true;
}

static void test_random_expressions(void **state)
{
    (void)state;
    setup u;
    u.c = malloc(sizeof *u.c);
    assert_non_null(u.c);
    gen g;
    memset(&g, 0, sizeof g);
    g.st = 20261204;
    unsigned compiled = 0, with_sum = 0, left = 0;
    for (int t = 0; t < 3000; t++) {
        next_expr(&g);
        /* every expression at two sets of points: the memo of runs must
         * tell them apart */
        bool ok = check_expr(&u, g.buf, 24, &left, 0x5EEDC0FFEEull);
        if (ok != check_expr(&u, g.buf, 24, &left, 7 + (uint64_t)t))
            fail_msg("%s compiles at one seed only", g.buf);
        if (ok) {
            compiled++;
            with_sum += strstr(g.buf, "\\sum") || strstr(g.buf, "\\prod");
        }
    }
    free(u.c);
    /* the compiler covers what the generator writes (all of it but the
     * odd expression that does not parse) */
    assert_true(compiled > 2500);
    assert_true(with_sum > 500);
    assert_true(left > 0); /* some sums ran over the budget */
}

/* The claim's sum written without bounds borrows the reference's, and a
 * sum index of an outer sum read in an inner bound. */
static void test_borrowed_bounds(void **state)
{
    (void)state;
    setup u;
    u.c = malloc(sizeof *u.c);
    assert_non_null(u.c);
    unsigned left = 0;
    assert_true(check_expr(&u,
                           "\\sum_{i=1}^{m}\\sum_{j=1}^{m} dy_{i,j}\\,x_{i+h-1,j+l-1} + "
                           "\\sum_{i,j} dy_{i,j} x_{i+h-1, j+l-1}",
                           40, &left, 1));
    assert_true(check_expr(&u, "\\sum_{i=1}^{n}\\sum_{j=i}^{n} \\frac{y[j]}{i}", 40, &left, 1));
    assert_true(check_expr(&u, "\\prod_{k=1}^{\\lfloor x \\rfloor} (1 + \\frac{1}{k})", 40, &left, 1));
    assert_int_equal(left, 0);
    /* cases are not compiled: the tree walk evaluates them */
    assert_false(check_expr(&u, "\\begin{cases} 1 & n < 3 \\\\ 2 & n \\ge 3 \\end{cases}", 8,
                            &left, 1));
    free(u.c);
}

/* ex_vec_values() of s (resolved as a reference) against the tree walk at
 * npts points: bit for bit, and cases against ex_active_case(); returns
 * whether s could be walked so. */
static bool check_vec(setup *u, const char *s, unsigned npts, uint64_t seed)
{
    if (!prepare(u, s, seed)) {
        finish(u);
        return false;
    }
    ectx *c = u->c;
    ex_points pts;
    assert_true(ex_prog_sample(c, 0, npts, &pts));
    double *out = rp_arena_alloc(c->a, npts * sizeof *out);
    int *sel = rp_arena_alloc(c->a, npts * sizeof *sel);
    assert_non_null(out);
    assert_non_null(sel);
    bool ok = ex_vec_values(c, u->x, &pts, out);
    bool cases = ok && u->x->kind == RP_LX_CASES;
    if (cases)
        assert_true(ex_vec_cases(c, u->x, &pts, sel));
    for (unsigned k = 0; ok && k < npts; k++) {
        c->err = 0;
        c->budget = EX_SUM_BUDGET;
        ex_sample(c, k);
        double v = ex_fast(c, u->x);
        if (c->err)
            fail_msg("%s: point %u: the tree walk fails (%s) where the walk over the points "
                     "does not", s, k, c->msg);
        if (!same_double(v, out[k]))
            fail_msg("%s: point %u: tree walk %.17g, walk over the points %.17g", s, k, v,
                     out[k]);
        if (cases && ex_active_case(c, u->x) != sel[k])
            fail_msg("%s: point %u: case %d, walk over the points %d", s, k,
                     ex_active_case(c, u->x), sel[k]);
    }
    finish(u);
    return ok;
}

/* Sides without sums are walked over all the points at once; their values
 * must be the tree walk's bit for bit (cases too). */
static void test_vector_walks(void **state)
{
    (void)state;
    setup u;
    u.c = malloc(sizeof *u.c);
    assert_non_null(u.c);
    gen g;
    memset(&g, 0, sizeof g);
    g.st = 20261205;
    unsigned walked = 0, plain = 0;
    for (int t = 0; t < 3000; t++) {
        next_expr(&g);
        bool sums = strstr(g.buf, "\\sum") || strstr(g.buf, "\\prod");
        bool ok = check_vec(&u, g.buf, 40, 3 + (uint64_t)t);
        if (ok && sums)
            fail_msg("%s: a sum walked over the points", g.buf);
        plain += !sums;
        walked += ok;
    }
    /* what the generator writes without sums is walked so (but for the
     * odd expression that does not parse, and those too tall) */
    assert_true(walked > plain * 9 / 10);
    static const char *const cases[] = {
        "\\begin{cases} 1 & n < 3 \\\\ 2 & n \\ge 3 \\end{cases}",
        "\\begin{cases} 0 & n \\le -1 \\\\ 2-\\left(\\frac{1}{2}\\right)^{n} & 0 \\le n \\le L-1 "
        "\\\\ \\frac{2^{L}-1}{2^{n}} & n \\ge L \\end{cases}",
        "\\begin{cases} x^2 & x < 2, n > 1 \\\\ \\sqrt{x} & \\text{otherwise} \\end{cases}",
        "\\begin{cases} y[n] & n = 2 \\\\ y[n-1] & n \\ne 2 \\end{cases}"};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        if (!check_vec(&u, cases[i], 64, 11))
            fail_msg("%s is not walked over the points", cases[i]);
    free(u.c);
}

/* ex_sample_run() draws the points ex_sample() draws one by one: every
 * kind of domain (integers, cases, fixed values, held and asymptotic
 * symbols, a unified pair). */
static void test_sample_run(void **state)
{
    (void)state;
    ectx *c = calloc(1, sizeof *c);
    assert_non_null(c);
    for (int round = 0; round < 4; round++) {
        memset(c, 0, sizeof *c);
        c->seed = 99 + (uint64_t)round;
        c->unify_from = c->unify_to = -1;
        c->nsym = 7;
        for (int i = 0; i < c->nsym; i++) {
            c->sym[i].kind = SK_SCALAR;
            c->sym[i].lo = 0.5;
            c->sym[i].hi = 8;
        }
        c->sym[1].integer = true;
        c->sym[1].lo = -3.5;
        c->sym[1].hi = 40;
        c->sym[2].case_var = true;
        c->sym[3].n_cond = 2;
        c->sym[4].fixed = true;
        c->sym[4].value = 7;
        c->sym[5].hold = round >= 2;
        c->sym[6].lo = -0.0;
        c->sym[6].hi = -0.0;
        c->sym[6].integer = true;
        c->big = round == 3;
        if (round == 1) {
            c->unify_from = 5;
            c->unify_to = 0;
        }
        enum { N = 30 };
        double rows[N * EX_MAXSYM];
        uint64_t seeds[N];
        ectx d = *c;
        ex_sample_run(c, 0, N, rows, seeds);
        for (unsigned k = 0; k < N; k++) {
            ex_sample(&d, k);
            assert_true(d.pseed == seeds[k]);
            for (int i = 0; i < d.nsym; i++)
                if (!same_double(d.sym[i].cur, rows[k * (unsigned)d.nsym + (unsigned)i]))
                    fail_msg("round %d, point %u, symbol %d: %.17g one by one, %.17g in a run",
                             round, k, i, d.sym[i].cur, rows[k * (unsigned)d.nsym + (unsigned)i]);
        }
        /* the table is left at the last point */
        for (int i = 0; i < d.nsym; i++)
            assert_true(same_double(c->sym[i].cur, d.sym[i].cur));
        /* runs whose rows were drawn before (in part, kept by the thread),
         * then under another domain of one symbol, then of one seed: the
         * rows drawn one by one every time (nothing held: a held symbol
         * goes on from the table's value) */
        c->sym[5].hold = false;
        for (int step = 0; step < 4; step++) {
            if (step == 2)
                c->sym[0].hi += 1;
            if (step == 3)
                c->seed++;
            unsigned k0 = step == 0 ? 10 : 1, n = N;
            ex_sample_run(c, k0, n, rows, seeds);
            ectx e = *c;
            for (unsigned k = 0; k < k0 + n; k++) {
                ex_sample(&e, k);
                if (k < k0)
                    continue;
                assert_true(e.pseed == seeds[k - k0]);
                for (int i = 0; i < e.nsym; i++)
                    if (!same_double(e.sym[i].cur, rows[(k - k0) * (unsigned)e.nsym + (unsigned)i]))
                        fail_msg("round %d, step %d, point %u, symbol %d: %.17g one by one, "
                                 "%.17g in a run",
                                 round, step, k, i, e.sym[i].cur,
                                 rows[(k - k0) * (unsigned)e.nsym + (unsigned)i]);
            }
        }
    }
    free(c);
}

/* ex_floor_exact() is floor() for every double, the sign of zero too. */
static void test_floor_exact(void **state)
{
    (void)state;
    static const double xs[] = {0.0, -0.0, 0.5, -0.5, 1, -1, 2.5, -2.5, 1e15 + 0.5, -1e15 - 0.5,
                                4503599627370495.5, 4503599627370496.0, 1e300, -1e300,
                                INFINITY, -INFINITY, 0.9999999999999999, -1e-300};
    for (size_t i = 0; i < sizeof xs / sizeof *xs; i++)
        if (!same_double(ex_floor_exact(xs[i]), floor(xs[i])))
            fail_msg("floor(%.17g): %.17g, ex_floor_exact %.17g", xs[i], floor(xs[i]),
                     ex_floor_exact(xs[i]));
    assert_true(isnan(ex_floor_exact(NAN)));
    uint64_t st = 5;
    for (int t = 0; t < 100000; t++) {
        st = ex_mix(st);
        double x = ((double)(st >> 11) / 9007199254740992.0 - 0.5) * 1e6;
        if (!same_double(ex_floor_exact(x), floor(x)))
            fail_msg("floor(%.17g)", x);
    }
}

static void same_result(const rp_equiv_result *a, const rp_equiv_result *b, const char *t,
                        const char *cl)
{
    if (a->verdict != b->verdict || a->category != b->category ||
        strcmp(a->detail, b->detail) != 0 || strcmp(a->note, b->note) != 0 ||
        strcmp(a->error, b->error) != 0 || strcmp(a->factor, b->factor) != 0 ||
        a->const_factor != b->const_factor || a->entries[0] != b->entries[0] ||
        a->entries[1] != b->entries[1])
        fail_msg("[%s] vs [%s]: %d %s / %d %s", t, cl, (int)a->verdict, a->detail,
                 (int)b->verdict, b->detail);
}

/* The memo of walks (prog_memo.c) gives what the walk gives: claims
 * compared through one context (whose memo serves every later comparison
 * of a reference, a claim written alike, and the diagnosis) and through
 * none (no memo, registers zeroed) give the same results, on random expressions and on
 * pairs where a claim symbol is unified with a reference symbol (the
 * same tree then reads another symbol) or a side rounds (floors). */
static void test_walk_memo(void **state)
{
    (void)state;
    rp_equiv_ctx *ctx = rp_equiv_ctx_new();
    assert_non_null(ctx);
    gen g;
    memset(&g, 0, sizeof g);
    g.st = 777;
    static char pool[24][4096];
    for (int i = 0; i < 24; i++) {
        next_expr(&g);
        snprintf(pool[i], sizeof pool[i], "%s", g.buf);
    }
    static const char *const fixed[][2] = {
        {"2c\\,d_{out}d_{in}^{2}", "c\\,d_{out} d_{in}^2"},
        {"2c\\,d_{out}d_{in}^{2}", "2c\\,d_{out} d_{in}^2"},
        {"x_a^{2} + 3y", "x_b^{2} + 3y"},
        {"x_a^{2} + 3y", "x_a^{2} + 3z"},
        {"\\left\\lfloor\\frac{W-K}{S}\\right\\rfloor+1", "\\lfloor (W-K)/S \\rfloor + 1"},
        {"\\left\\lfloor\\frac{W-K}{S}\\right\\rfloor+1", "\\frac{W-K}{S}+1"},
        {"y[n-1] + 2y[n]", "2y[n] + y[n-1]"},
        {"y[n-1] + 2y[n]", "y[n] + y[n-1]"}};
    rp_equiv_opts o;
    memset(&o, 0, sizeof o);
    for (int round = 0; round < 3; round++) {
        for (int t = 0; t < 600; t++) {
            const char *tr = pool[t % 6], *cl = pool[(t * 7 + round) % 24];
            rp_equiv_result a, b;
            assert_int_equal(rp_equiv_ctx_run(ctx, tr, strlen(tr), cl, strlen(cl), &o, &a),
                             RP_OK);
            assert_int_equal(rp_equiv(tr, strlen(tr), cl, strlen(cl), &o, &b), RP_OK);
            same_result(&a, &b, tr, cl);
        }
        for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++) {
            rp_equiv_result a, b;
            const char *tr = fixed[i][0], *cl = fixed[i][1];
            assert_int_equal(rp_equiv_ctx_run(ctx, tr, strlen(tr), cl, strlen(cl), &o, &a),
                             RP_OK);
            assert_int_equal(rp_equiv(tr, strlen(tr), cl, strlen(cl), &o, &b), RP_OK);
            same_result(&a, &b, tr, cl);
        }
    }
    rp_equiv_ctx_free(ctx);
}

/* ex_rel_holds() as it read with libm's fmax(): every relation on values
 * of every sign and size, zeros, infinities and NaN. */
static void test_rel_holds(void **state)
{
    (void)state;
    static const double v[] = {0.0, -0.0, 1.0, -1.0, 1 + 1e-10, 0.5, -0.5, 1e12, -1e12,
                               1e12 * (1 + 1e-10), 3.0, 3.0 + 2e-9, INFINITY, -INFINITY, NAN};
    static const int rels[] = {RP_REL_EQ, RP_REL_APPROX, RP_REL_DEF, RP_REL_NE, RP_REL_LE,
                               RP_REL_LT, RP_REL_GE, RP_REL_GT};
    size_t nv = sizeof v / sizeof *v;
    for (size_t r = 0; r < sizeof rels / sizeof *rels; r++)
        for (size_t i = 0; i < nv; i++)
            for (size_t j = 0; j < nv; j++) {
                double a = v[i], b = v[j];
                double tol = 1e-9 * fmax(1, fmax(fabs(a), fabs(b)));
                bool want;
                switch (rels[r]) {
                case RP_REL_NE: want = fabs(a - b) > tol; break;
                case RP_REL_LE: want = a <= b + tol; break;
                case RP_REL_LT: want = a < b - tol; break;
                case RP_REL_GE: want = a >= b - tol; break;
                case RP_REL_GT: want = a > b + tol; break;
                default: want = fabs(a - b) <= tol; break;
                }
                if (ex_rel_holds(rels[r], a, b) != want)
                    fail_msg("relation %d of %g and %g", rels[r], a, b);
            }
}

/* ex_copy() writes what snprintf(dst, cap, "%s", src) writes: strings of
 * every length around the capacity. */
static void test_copy(void **state)
{
    (void)state;
    char src[80], a[40], b[40];
    for (size_t len = 0; len < sizeof src; len++)
        for (size_t cap = 1; cap <= sizeof a; cap++) {
            for (size_t i = 0; i < len; i++)
                src[i] = (char)('a' + (i * 7 + len) % 26);
            src[len] = 0;
            memset(a, 'x', sizeof a);
            memset(b, 'x', sizeof b);
            ex_copy(a, cap, src);
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-truncation" /* truncating is what is tested */
#endif
            snprintf(b, cap, "%s", src);
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
            assert_memory_equal(a, b, sizeof a);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_expressions),
        cmocka_unit_test(test_borrowed_bounds),
        cmocka_unit_test(test_vector_walks),
        cmocka_unit_test(test_sample_run),
        cmocka_unit_test(test_floor_exact),
        cmocka_unit_test(test_walk_memo),
        cmocka_unit_test(test_rel_holds),
        cmocka_unit_test(test_copy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
