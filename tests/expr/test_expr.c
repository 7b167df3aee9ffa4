/*
 * Unit tests of rp_equiv(): the options the grader passes (fixed problem
 * constants, declared matrices, aliases, accepted bounds, e as a variable)
 * and the categories of the diagnosis.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "redpen/expr.h"
#include "redpen/latex.h"

#include <stdio.h>
#include <string.h>

static rp_equiv_result eq(const char *t, const char *c, const rp_equiv_opts *o)
{
    rp_equiv_result r;
    assert_int_equal(rp_equiv(t, strlen(t), c, strlen(c), o, &r), RP_OK);
    return r;
}

static void test_equal_and_different(void **state)
{
    (void)state;
    rp_equiv_result r = eq("2c\\,d_{out}^2 d_{in}", "2c \\cdot d_{\\text{out}}^2 d_{\\text{in}}", NULL);
    assert_int_equal(r.verdict, RP_EQUIV_EQUAL);
    r = eq("2c\\,d_{out}^2 d_{in}", "2 d_{\\text{out}}^2 d_{\\text{in}}", NULL);
    assert_int_equal(r.verdict, RP_EQUIV_DIFFERENT);
    assert_int_equal(r.category, RP_CAT_MISSING_FACTOR);
    assert_non_null(strstr(r.detail, "c"));
    r = eq("x", "-x", NULL);
    assert_int_equal(r.category, RP_CAT_SIGN_ERROR);
}

static void test_parse_error_side_and_position(void **state)
{
    (void)state;
    rp_equiv_result r = eq("x + 1", "x + )", NULL);
    assert_int_equal(r.verdict, RP_EQUIV_ERROR);
    assert_int_equal(r.error_side, 1);
    assert_int_equal(r.error_pos, 4);
    r = eq("\\frac{1}{", "1", NULL);
    assert_int_equal(r.verdict, RP_EQUIV_ERROR);
    assert_int_equal(r.error_side, 0);
    r = eq("x", "\\operatorname{Var}(x)", NULL);
    assert_int_equal(r.verdict, RP_EQUIV_ERROR);
    assert_int_equal(r.error_side, 1);
}

static void test_fixed_value(void **state)
{
    (void)state;
    rp_var_domain v[1];
    memset(v, 0, sizeof v);
    v[0].name = "L";
    rp_var_domain w[1];
    memset(w, 0, sizeof w);
    w[0].name = "\\sigma_x"; /* not canonical: \sigma_{x} */
    w[0].has_value = true;
    w[0].value = 2;
    rp_equiv_opts ow;
    memset(&ow, 0, sizeof ow);
    ow.vars = w;
    ow.n_vars = 1;
    assert_int_equal(eq("\\sigma_{x}^2", "4", &ow).verdict, RP_EQUIV_EQUAL);
    v[0].lo = 1;
    v[0].hi = 10;
    v[0].integer = true;
    v[0].has_value = true;
    v[0].value = 7;
    rp_equiv_opts o;
    memset(&o, 0, sizeof o);
    o.vars = v;
    o.n_vars = 1;
    /* the claim does not mention L: both sides use L = 7 */
    rp_equiv_result r = eq("2^L - 1", "127", &o);
    assert_int_equal(r.verdict, RP_EQUIV_EQUAL);
    r = eq("2^L - 1", "128", &o);
    assert_int_equal(r.verdict, RP_EQUIV_DIFFERENT);
    /* the claim uses L: L is sampled, so a formula must hold for all L */
    r = eq("2^L - 1", "2^L - 1", &o);
    assert_int_equal(r.verdict, RP_EQUIV_EQUAL);
    r = eq("2^L - 1", "2^L + 1", &o);
    assert_int_equal(r.verdict, RP_EQUIV_DIFFERENT);
    /* without the declaration 127 is not 2^L - 1 */
    r = eq("2^L - 1", "127", NULL);
    assert_int_equal(r.verdict, RP_EQUIV_DIFFERENT);
}

static void test_declared_matrix(void **state)
{
    (void)state;
    rp_var_domain v[2];
    memset(v, 0, sizeof v);
    v[0].name = "W";
    v[0].rows = 4;
    v[0].cols = 2;
    v[1].name = "x";
    v[1].rows = 2;
    v[1].cols = 1;
    rp_equiv_opts o;
    memset(&o, 0, sizeof o);
    o.vars = v;
    o.n_vars = 2;
    /* W is a matrix although it is never transposed */
    rp_equiv_result r = eq("W x", "W x", &o);
    assert_int_equal(r.verdict, RP_EQUIV_EQUAL);
    r = eq("W x", "2 W x", &o);
    assert_int_equal(r.verdict, RP_EQUIV_DIFFERENT);
    r = eq("\\|W\\|_2", "\\|W\\|_F", &o);
    assert_int_equal(r.verdict, RP_EQUIV_DIFFERENT);
    r = eq("W x", "x W", &o); /* 2x1 times 4x2 does not fit */
    assert_int_equal(r.verdict, RP_EQUIV_DIFFERENT);
    assert_int_equal(r.category, RP_CAT_WRONG_SHAPE);
}

static void test_aliases(void **state)
{
    (void)state;
    /* declared spellings need not be canonical */
    const char *al[] = {"n_{\\text{out}}", "d_out", "n_in", "d_{\\mathrm{in}}"};
    rp_equiv_opts o;
    memset(&o, 0, sizeof o);
    o.aliases = al;
    o.n_aliases = 2;
    rp_equiv_result r = eq("\\sqrt{d_{out} d_{in}}", "\\sqrt{n_{\\text{out}} n_{in}}", &o);
    assert_int_equal(r.verdict, RP_EQUIV_EQUAL);
    r = eq("\\sqrt{d_{out} d_{in}}", "\\sqrt{n_{out}}", &o);
    assert_int_equal(r.category, RP_CAT_MISSING_FACTOR);
    assert_non_null(strstr(r.detail, "\\sqrt{d_{in}}"));
}

/* Declarations taken again from the last comparison (decls.c) are what
 * canonicalising them gives: new text written where the old spelling was
 * is read afresh, and so is another string of the same text. */
static void test_declarations_reused(void **state)
{
    (void)state;
    char a0[32], a1[32];
    const char *al[] = {a0, a1};
    rp_var_domain v[1];
    memset(v, 0, sizeof v);
    char vn[32];
    v[0].name = vn;
    v[0].lo = v[0].hi = 3;
    v[0].has_value = true;
    v[0].value = 3;
    rp_equiv_opts o;
    memset(&o, 0, sizeof o);
    o.aliases = al;
    o.n_aliases = 1;
    o.vars = v;
    o.n_vars = 1;
    for (int round = 0; round < 3; round++) {
        snprintf(a0, sizeof a0, "n_{\\text{out}}");
        snprintf(a1, sizeof a1, "d_out");
        snprintf(vn, sizeof vn, "c");
        rp_equiv_result r = eq("c\\,d_{out}", "3 n_{out}", &o);
        assert_int_equal(r.verdict, RP_EQUIV_EQUAL);
        /* the same addresses, other text: another alias and constant */
        snprintf(a0, sizeof a0, "m_{\\text{out}}");
        snprintf(vn, sizeof vn, "k");
        r = eq("c\\,d_{out}", "3 n_{out}", &o);
        assert_int_equal(r.verdict, RP_EQUIV_DIFFERENT);
        r = eq("k\\,d_{out}", "3 m_{out}", &o);
        assert_int_equal(r.verdict, RP_EQUIV_EQUAL);
        /* the same text at another address */
        char b0[32];
        snprintf(b0, sizeof b0, "%s", a0);
        al[0] = b0;
        r = eq("k\\,d_{out}", "3 m_{out}", &o);
        assert_int_equal(r.verdict, RP_EQUIV_EQUAL);
        al[0] = a0;
    }
}

static void test_bounds(void **state)
{
    (void)state;
    rp_equiv_opts o;
    memset(&o, 0, sizeof o);
    rp_equiv_result r = eq("\\frac{1}{\\sqrt{n}}", "\\alpha \\leq \\frac{1}{\\sqrt{n}}", &o);
    assert_int_equal(r.category, RP_CAT_INEQUALITY);
    o.accept_bound = true;
    r = eq("\\frac{1}{\\sqrt{n}}", "\\alpha \\leq \\frac{1}{\\sqrt{n}}", &o);
    assert_int_equal(r.verdict, RP_EQUIV_EQUAL);
    assert_true(r.note[0] != 0);
    r = eq("\\frac{1}{\\sqrt{n}}", "\\alpha \\leq \\frac{2}{\\sqrt{n}}", &o);
    assert_int_equal(r.verdict, RP_EQUIV_DIFFERENT);
}

static void test_e_variable(void **state)
{
    (void)state;
    rp_equiv_opts o;
    memset(&o, 0, sizeof o);
    rp_equiv_result r = eq("e", "2.718281828", &o);
    assert_int_equal(r.verdict, RP_EQUIV_EQUAL);
    o.e_is_variable = true;
    r = eq("e", "2.718281828", &o);
    assert_int_equal(r.verdict, RP_EQUIV_DIFFERENT);
    r = eq("e^2", "e \\cdot e", &o);
    assert_int_equal(r.verdict, RP_EQUIV_EQUAL);
}

static void test_unification_note(void **state)
{
    (void)state;
    rp_equiv_result r = eq("(n-k+1)^2 \\sigma_g^2 \\sigma_x^2", "(n-k+1)^2 \\sigma_y^2 \\sigma_x^2", NULL);
    assert_int_equal(r.verdict, RP_EQUIV_EQUAL);
    assert_non_null(strstr(r.note, "\\sigma_{y} read as \\sigma_{g}"));
    /* digits are indices, not names: no unification */
    r = eq("g_3", "g_4", NULL);
    assert_int_equal(r.verdict, RP_EQUIV_DIFFERENT);
}

static void test_seed_and_points(void **state)
{
    (void)state;
    rp_equiv_opts o;
    memset(&o, 0, sizeof o);
    o.seed = 12345;
    o.n_points = 200;
    o.rel_tol = 1e-9;
    rp_equiv_result r = eq("\\frac{x}{x+1}", "1 - \\frac{1}{x+1}", &o);
    assert_int_equal(r.verdict, RP_EQUIV_EQUAL);
    /* results are repeatable */
    rp_equiv_result r1 = eq("\\lfloor x \\rfloor", "x", &o);
    rp_equiv_result r2 = eq("\\lfloor x \\rfloor", "x", &o);
    assert_int_equal(r1.verdict, RP_EQUIV_DIFFERENT);
    assert_string_equal(r1.detail, r2.detail);
}

static void test_piecewise_never_collapses(void **state)
{
    (void)state;
    const char *t = "\\begin{cases} 0 & n < 0 \\\\ 1 & n \\geq 0 \\end{cases}";
    rp_equiv_result r = eq(t, "1", NULL);
    assert_int_equal(r.category, RP_CAT_WRONG_CASE);
    assert_non_null(strstr(r.detail, "n < 0"));
    r = eq(t, "\\begin{cases} 1 & n \\geq 0 \\\\ 0 & \\text{otherwise} \\end{cases}", NULL);
    assert_int_equal(r.verdict, RP_EQUIV_EQUAL);
}

static void test_context_cache(void **state)
{
    (void)state;
    rp_equiv_ctx *ctx = rp_equiv_ctx_new();
    assert_non_null(ctx);
    /* more distinct strings than the cache holds: it empties and refills */
    char t[64], c[64];
    for (int i = 0; i < 6000; i++) {
        snprintf(t, sizeof t, "%d x + y", i);
        snprintf(c, sizeof c, i % 3 ? "y + %d x" : "y + %d x + 1", i);
        rp_equiv_result r;
        assert_int_equal(rp_equiv_ctx_run(ctx, t, strlen(t), c, strlen(c), NULL, &r), RP_OK);
        assert_int_equal(r.verdict, i % 3 ? RP_EQUIV_EQUAL : RP_EQUIV_DIFFERENT);
        /* the same truth again, from the cache */
        assert_int_equal(rp_equiv_ctx_run(ctx, t, strlen(t), t, strlen(t), NULL, &r), RP_OK);
        assert_int_equal(r.verdict, RP_EQUIV_EQUAL);
    }
    /* a cached parse error keeps its position */
    rp_equiv_result r1, r2;
    assert_int_equal(rp_equiv_ctx_run(ctx, "x", 1, "x + )", 5, NULL, &r1), RP_OK);
    assert_int_equal(rp_equiv_ctx_run(ctx, "x", 1, "x + )", 5, NULL, &r2), RP_OK);
    assert_int_equal(r1.verdict, RP_EQUIV_ERROR);
    assert_int_equal(r2.error_pos, r1.error_pos);
    assert_string_equal(r2.error, r1.error);
    /* a NULL context falls back to rp_equiv() */
    assert_int_equal(rp_equiv_ctx_run(NULL, "x", 1, "x", 1, NULL, &r1), RP_OK);
    assert_int_equal(r1.verdict, RP_EQUIV_EQUAL);
    rp_equiv_ctx_free(ctx);
}

/* Printing a parsed expression gives an equal expression. */
static void test_print_roundtrip(void **state)
{
    (void)state;
    const char *xs[] = {
        "2c\\,d_{out}^2 d_{in}", "\\frac{1}{\\sqrt{n_{\\text{in}}}}", "\\left(\\frac{1}{2}\\right)^n",
        "\\left\\lfloor \\frac{W+2P-K}{S} \\right\\rfloor + 1", "F \\times (K^2 \\times C + 1)",
        "a - (b - c)", "a / (b c)", "-x^2", "(-x)^3", "2^{-n}", "\\sqrt[3]{x + 1}", "|x - 3|",
        "\\|W\\|_F", "\\log_2 n", "\\max(a, b + 1)", "5!", "\\binom{n}{2}",
        "\\sum_{i=1}^{n} i^2", "\\prod_{k=1}^{n} k", "\\frac{3}{2}W - \\frac{1}{2}WW^TW",
        "\\begin{vmatrix} a & b \\\\ c & d \\end{vmatrix}", "[0, 0.8, 0]^T",
        "\\begin{cases} 0 & n < 0 \\\\ 2^{-n} & n \\ge 0 \\end{cases}", "e^{x} \\pi",
        "x_{i+1} y_{i}", "\\sigma_g^2 \\sigma_x^2 (n-k+1)^2", "O(n^2 d)", "1.5e-3 x", "50\\%"};
    rp_arena *a = rp_arena_new(0);
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        rp_latex_node *x;
        assert_int_equal(rp_latex_parse(a, xs[i], strlen(xs[i]), &x, NULL), RP_OK);
        rp_buf b;
        rp_buf_init(&b, 0);
        assert_int_equal(rp_latex_print(x, &b), RP_OK);
        rp_equiv_result r = eq(xs[i], b.data, NULL);
        if (r.verdict != RP_EQUIV_EQUAL)
            fail_msg("%s printed as %s: %s %s", xs[i], b.data, rp_category_id(r.category), r.error);
        rp_buf_free(&b);
    }
    rp_arena_free(a);
}

/* Decisions read structured details, never the detail text. */
static void test_structured_details(void **state)
{
    (void)state;
    rp_equiv_result r = eq("3x", "x", NULL);
    assert_int_equal(r.category, RP_CAT_WRONG_FACTOR);
    assert_true(r.const_factor);
    assert_string_equal(r.factor, "3");
    r = eq("c x^2", "x^2", NULL);
    assert_int_equal(r.category, RP_CAT_MISSING_FACTOR);
    assert_false(r.const_factor);
    assert_string_equal(r.factor, "c");
    r = eq("\\begin{pmatrix}1\\\\2\\\\3\\end{pmatrix}", "\\begin{pmatrix}1\\\\3\\\\2\\end{pmatrix}", NULL);
    assert_int_equal(r.category, RP_CAT_SWAPPED);
    assert_int_equal(r.entries[0], 2);
    assert_int_equal(r.entries[1], 3);
    r = eq("(1, 2, 3)", "(1, 2, 5)", NULL);
    assert_int_equal(r.category, RP_CAT_ARITHMETIC);
    assert_int_equal(r.entries[0], 3);
    assert_false(r.const_factor);
    r = eq("x", "x", NULL);
    assert_int_equal(r.category, RP_CAT_NONE);
}

/* Answer formats of school mathematics (answer.c): what decides, and the
 * category of each kind of difference. */
static void test_answer_formats(void **state)
{
    (void)state;
    /* a set in any order; a missing value is a shape */
    assert_int_equal(eq("2, -5", "-5, 2", NULL).verdict, RP_EQUIV_EQUAL);
    rp_equiv_result r = eq("2, -5", "2", NULL);
    assert_int_equal(r.category, RP_CAT_WRONG_SHAPE);
    /* \pm is a set of two, never one value */
    assert_int_equal(eq("\\pm 3", "3, -3", NULL).verdict, RP_EQUIV_EQUAL);
    assert_int_equal(eq("\\pm 3", "3", NULL).verdict, RP_EQUIV_DIFFERENT);
    /* interval ends */
    r = eq("(1, 4]", "[1, 4]", NULL);
    assert_int_equal(r.verdict, RP_EQUIV_DIFFERENT);
    assert_int_equal(eq("(1, 4]", "1 < x \\le 4", NULL).verdict, RP_EQUIV_EQUAL);
    /* an equation is never its right side */
    r = eq("3u + v = 0", "0", NULL);
    assert_int_equal(r.category, RP_CAT_WRONG_SHAPE);
    assert_int_equal(eq("3u + v = 0", "v = -3u", NULL).verdict, RP_EQUIV_EQUAL);
    assert_int_equal(eq("u = 1", "v = 1", NULL).verdict, RP_EQUIV_DIFFERENT);
    /* an inequality and its mirror; strictness matters */
    assert_int_equal(eq("t > 4", "4 < t", NULL).verdict, RP_EQUIV_EQUAL);
    r = eq("t > 4", "t \\ge 4", NULL);
    assert_int_equal(r.category, RP_CAT_INEQUALITY);
    /* units: dropped, converted, or wrong */
    assert_int_equal(eq("3 \\text{ m}", "300 \\text{ cm}", NULL).verdict, RP_EQUIV_EQUAL);
    assert_int_equal(eq("3 \\text{ m}", "3", NULL).verdict, RP_EQUIV_EQUAL);
    r = eq("3 \\text{ m}", "3 \\text{ cm}", NULL);
    assert_int_equal(r.category, RP_CAT_WRONG_UNIT);
    rp_equiv_opts strict = {0};
    strict.strict_units = true;
    r = eq("3 \\text{ m}", "3", &strict);
    assert_int_equal(r.category, RP_CAT_WRONG_UNIT);
    assert_int_equal(eq("20\\%", "0.2", NULL).verdict, RP_EQUIV_EQUAL);
    /* text and choices */
    assert_int_equal(eq("\\text{(D)}", "D", NULL).verdict, RP_EQUIV_EQUAL);
    assert_int_equal(eq("\\text{(D)}", "(A)", NULL).verdict, RP_EQUIV_DIFFERENT);
    /* identical sides are equal even when they cannot be evaluated */
    assert_int_equal(eq("\\spadesuit", "\\spadesuit", NULL).verdict, RP_EQUIV_EQUAL);
    /* whole numbers are exact */
    assert_int_equal(eq("1000001", "1,000,000", NULL).verdict, RP_EQUIV_DIFFERENT);
}

/* y(n) is the entry y[n] where y is written as a sequence. */
static void test_sequence_application(void **state)
{
    (void)state;
    rp_var_domain v[] = {{.name = "N", .lo = 3, .hi = 3, .integer = true},
                         {.name = "n", .lo = -2, .hi = 12, .integer = true}};
    rp_equiv_opts o = {0};
    o.vars = v;
    o.n_vars = 2;
    assert_int_equal(eq("y(n-N)", "y[n-N]", &o).verdict, RP_EQUIV_EQUAL);
    assert_int_equal(eq("y(n-N)", "y[n-N-1]", &o).verdict, RP_EQUIV_DIFFERENT);
    /* a bare y elsewhere: y(n) may be a product */
    assert_int_equal(eq("y(n+1)", "yn + y", &o).verdict, RP_EQUIV_EQUAL);
}

/* f(x) applies f where f is declared a function or applied on both sides
 * (and never alone); otherwise a bracket after a name is a product. */
static void test_function_application(void **state)
{
    (void)state;
    assert_int_equal(eq("h(3)", "h(1+2)", NULL).verdict, RP_EQUIV_EQUAL);
    assert_int_equal(eq("h(3)", "h(1) + h(2)", NULL).verdict, RP_EQUIV_DIFFERENT);
    assert_int_equal(eq("h(3)", "3h", NULL).verdict, RP_EQUIV_EQUAL); /* one side: a product */
    assert_int_equal(eq("t(t+1)", "t^2 + t", NULL).verdict, RP_EQUIV_EQUAL);
    rp_var_domain v[] = {{.name = "h", .function = true}};
    rp_equiv_opts o = {0};
    o.vars = v;
    o.n_vars = 1;
    assert_int_equal(eq("h(3)", "3h", &o).verdict, RP_EQUIV_DIFFERENT);
    assert_int_equal(eq("h(3)^2", "h(3) h(3)", &o).verdict, RP_EQUIV_EQUAL);
}

/* i is the unit where the truth's only symbol is a bare, undeclared i. */
static void test_complex_unit(void **state)
{
    (void)state;
    assert_int_equal(eq("2 - 3i", "-i(3 + 2i)", NULL).verdict, RP_EQUIV_EQUAL);
    rp_equiv_result r = eq("2 - 3i", "-2 + 3i", NULL);
    assert_int_equal(r.category, RP_CAT_SIGN_ERROR);
    assert_int_equal(eq("i^2", "-1", NULL).verdict, RP_EQUIV_EQUAL);
    /* another symbol beside i, a sum over i, or i declared: a variable */
    assert_int_equal(eq("k + i^2", "k - 1", NULL).verdict, RP_EQUIV_DIFFERENT);
    assert_int_equal(eq("\\sum_{i=1}^{4} i^2", "30", NULL).verdict, RP_EQUIV_EQUAL);
    rp_var_domain v[] = {{.name = "i", .lo = 1, .hi = 9, .integer = true}};
    rp_equiv_opts o = {0};
    o.vars = v;
    o.n_vars = 1;
    assert_int_equal(eq("i^2", "-1", &o).verdict, RP_EQUIV_DIFFERENT);
}

/* Equations with the same solutions; degrees, minutes and seconds. */
static void test_solutions_and_angles(void **state)
{
    (void)state;
    assert_int_equal(eq("\\frac{p}{q} = 4", "p = 4q", NULL).verdict, RP_EQUIV_EQUAL);
    assert_int_equal(eq("\\frac{p}{q} = 4", "q = 4p", NULL).verdict, RP_EQUIV_DIFFERENT);
    assert_int_equal(eq("s^2 = t", "s = \\sqrt{t}", NULL).verdict, RP_EQUIV_DIFFERENT);
    assert_int_equal(eq("20^\\circ 15'", "20.25^\\circ", NULL).verdict, RP_EQUIV_EQUAL);
    assert_int_equal(eq("20^\\circ 15'", "20.15^\\circ", NULL).verdict, RP_EQUIV_DIFFERENT);
}

/* verdict_only skips the diagnosis and nothing else: every pair keeps its
 * verdict, and a DIFFERENT one has the plain category and no detail. */
static void test_verdict_only(void **state)
{
    (void)state;
    static const char *const pairs[][2] = {
        {"2c\\,d^2", "2 d^2"},          {"\\frac{1}{2}", "0.5"},
        {"\\begin{bmatrix}1&2\\\\3&4\\end{bmatrix}", "\\begin{bmatrix}1&3\\\\2&4\\end{bmatrix}"},
        {"x^2+1", "x^2+1"},             {"O(n^2)", "O(n^3)"},
        {"\\frac{1}{", "x"},            {"3", "4 \\le 5"},
        {"\\sum_{i=1}^{n} i", "\\frac{n(n+1)}{2}"}, {"2^{n}", "2^{n+1}"}};
    rp_equiv_opts full, quick;
    memset(&full, 0, sizeof full);
    memset(&quick, 0, sizeof quick);
    quick.verdict_only = true;
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        rp_equiv_result a = eq(pairs[i][0], pairs[i][1], &full);
        rp_equiv_result b = eq(pairs[i][0], pairs[i][1], &quick);
        assert_int_equal(a.verdict, b.verdict);
        /* categories decided before the diagnosis (a bound, an order of
         * growth) stay; the diagnosis's own become the plain category */
        if (b.verdict == RP_EQUIV_DIFFERENT && b.category != a.category)
            assert_int_equal(b.category, RP_CAT_ARITHMETIC);
    }
    /* the diagnosis is there without the option only */
    assert_int_equal(eq("2c\\,d^2", "2 d^2", &full).category, RP_CAT_MISSING_FACTOR);
    rp_equiv_result q = eq("2c\\,d^2", "2 d^2", &quick);
    assert_int_equal(q.category, RP_CAT_ARITHMETIC);
    assert_string_equal(q.detail, "");
    assert_int_equal(eq("\\begin{bmatrix}1&2\\\\3&4\\end{bmatrix}",
                        "\\begin{bmatrix}1&3\\\\2&4\\end{bmatrix}", &quick).category,
                     RP_CAT_ARITHMETIC);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_function_application),
        cmocka_unit_test(test_complex_unit),
        cmocka_unit_test(test_solutions_and_angles),
        cmocka_unit_test(test_equal_and_different),
        cmocka_unit_test(test_parse_error_side_and_position),
        cmocka_unit_test(test_fixed_value),
        cmocka_unit_test(test_declared_matrix),
        cmocka_unit_test(test_aliases),
        cmocka_unit_test(test_declarations_reused),
        cmocka_unit_test(test_bounds),
        cmocka_unit_test(test_e_variable),
        cmocka_unit_test(test_unification_note),
        cmocka_unit_test(test_seed_and_points),
        cmocka_unit_test(test_piecewise_never_collapses),
        cmocka_unit_test(test_context_cache),
        cmocka_unit_test(test_print_roundtrip),
        cmocka_unit_test(test_structured_details),
        cmocka_unit_test(test_answer_formats),
        cmocka_unit_test(test_sequence_application),
        cmocka_unit_test(test_verdict_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
