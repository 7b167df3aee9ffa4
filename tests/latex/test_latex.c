/*
 * Unit tests of the LaTeX parser: the constructs of chat answers, symbol
 * name normalisation, relation helpers, printing, error positions and
 * pathological inputs (deep nesting, long chains, truncated input).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "redpen/latex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parse s and print it back; returns the printed form in a static buffer
 * or "ERR@pos". */
static const char *roundtrip(const char *s)
{
    static char out[1024];
    rp_arena *a = rp_arena_new(0);
    rp_latex_node *x;
    rp_latex_error e;
    if (rp_latex_parse(a, s, strlen(s), &x, &e) != RP_OK) {
        snprintf(out, sizeof out, "ERR@%zu", e.pos);
    } else {
        rp_buf b;
        rp_buf_init(&b, 0);
        assert_int_equal(rp_latex_print(x, &b), RP_OK);
        snprintf(out, sizeof out, "%s", b.data);
        rp_buf_free(&b);
    }
    rp_arena_free(a);
    return out;
}

static void test_numbers_and_products(void **state)
{
    (void)state;
    assert_string_equal(roundtrip("2c\\,d_{out}^2 d_{in}"), "2 c d_{out}^{2} d_{in}");
    assert_string_equal(roundtrip("\\frac12"), "\\frac{1}{2}");
    assert_string_equal(roundtrip("3.25"), "3.25");
    assert_string_equal(roundtrip("1{,}024"), "1024");
    assert_string_equal(roundtrip("F \\times (K^2 \\times C + 1)"),
                        "F \\times \\left(K^{2} \\times C + 1\\right)");
    assert_string_equal(roundtrip("a/2n"), "\\frac{a}{2 n}");
    assert_string_equal(roundtrip("-x^2"), "-x^{2}");
}

static void test_symbol_spellings(void **state)
{
    (void)state;
    char n[64];
    const char *same[] = {"d_{out}", "d_{\\text{out}}", "d_\\mathrm{out}", "d_out",
                          "d_{\\mathrm{out}}", "d_{ out }"};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        assert_true(rp_latex_symbol_name(same[i], strlen(same[i]), n, sizeof n));
        assert_string_equal(n, "d_{out}");
    }
    assert_true(rp_latex_symbol_name("\\mathbf{x}", 10, n, sizeof n));
    assert_string_equal(n, "x");
    assert_true(rp_latex_symbol_name("σ_g", strlen("σ_g"), n, sizeof n));
    assert_string_equal(n, "\\sigma_{g}");
    assert_true(rp_latex_symbol_name("n_{\\text{in}}^{(n)}", 19, n, sizeof n));
    assert_string_equal(n, "n_{in}^{(n)}");
    assert_false(rp_latex_symbol_name("a+b", 3, n, sizeof n));
}

static void test_unicode(void **state)
{
    (void)state;
    assert_string_equal(roundtrip("a × b"), "a \\times b");
    assert_string_equal(roundtrip("a ≤ b"), "a \\leq b");
    assert_string_equal(roundtrip("√x − 1"), "\\sqrt{x} - 1");
    assert_string_equal(roundtrip("a · b"), "a b");
    assert_string_equal(roundtrip("x²"), "x^{2}");
    assert_string_equal(roundtrip("Wᵀ"), "W^T");
    assert_string_equal(roundtrip("π r²"), "\\pi r^{2}");
}

static void test_structures(void **state)
{
    (void)state;
    assert_string_equal(roundtrip("\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}"),
                        "\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}");
    assert_string_equal(roundtrip("[0, 0.8, 0]^T"), "[0, 0.8, 0]^T");
    assert_string_equal(roundtrip("\\begin{cases} 0 & n < 0 \\\\ 1 & \\text{otherwise} \\end{cases}"),
                        "\\begin{cases} 0 & n < 0 \\\\ 1 & \\text{otherwise} \\end{cases}");
    assert_string_equal(roundtrip("\\sum_{i=1}^{m} x_i"), "\\sum_{i=1}^{m} x_{i}");
    assert_string_equal(roundtrip("\\left\\lfloor \\frac{W-K}{S} \\right\\rfloor + 1"),
                        "\\left\\lfloor \\frac{W - K}{S} \\right\\rfloor + 1");
    assert_string_equal(roundtrip("\\|W\\|_2"), "\\|W\\|_{2}");
    assert_string_equal(roundtrip("|x|"), "\\left|x\\right|");
    assert_string_equal(roundtrip("O(d n^2)"), "O(d n^{2})");
    assert_string_equal(roundtrip("\\mathcal{O}(n)"), "O(n)");
    assert_string_equal(roundtrip("\\Theta(n)"), "\\Theta(n)");
    assert_string_equal(roundtrip("W^\\top W"), "W^T W");
    assert_string_equal(roundtrip("\\log_2 n"), "\\log_{2}\\left(n\\right)");
    assert_string_equal(roundtrip("\\sqrt[3]{x}"), "\\sqrt[3]{x}");
}

static void test_words_are_dropped(void **state)
{
    (void)state;
    assert_string_equal(roundtrip("O(n) \\text{ time}"), "O(n)");
    assert_string_equal(roundtrip("910 operations"), "910");
    assert_string_equal(roundtrip("x = 3."), "x = 3");
}

static void test_relations(void **state)
{
    (void)state;
    rp_arena *a = rp_arena_new(0);
    rp_latex_node *x;
    const char *s = "3 \\times 3 \\times 10 \\times 10 + 10 = 910";
    assert_int_equal(rp_latex_parse(a, s, strlen(s), &x, NULL), RP_OK);
    assert_int_equal(rp_latex_n_sides(x), 2);
    assert_int_equal(rp_latex_rel_op(x, 0), RP_REL_EQ);
    assert_int_equal(rp_latex_rhs(x)->kind, RP_LX_NUM);
    assert_true(rp_latex_rhs(x)->num == 910);
    assert_null(rp_latex_lhs_symbol(x));
    struct { const char *src, *lhs; } cases[] = {
        {"\\alpha = \\sqrt{n_{out} n_{in}}", "\\alpha"},
        {"y = \\begin{bmatrix} 1 \\\\ 2 \\end{bmatrix}", "y"},
        {"c = \\frac{1}{\\sqrt{n_{\\text{in}}}}", "c"},
        {"g_3 = 2", "g_{3}"},
        {"p(W) = W", "p"},
        {"y[n] = x[n-1]", "y"},
        {"\\mathbf{y} = W x", "y"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(rp_latex_parse(a, cases[i].src, strlen(cases[i].src), &x, NULL), RP_OK);
        assert_non_null(rp_latex_lhs_symbol(x));
        assert_string_equal(rp_latex_lhs_symbol(x), cases[i].lhs);
    }
    s = "\\alpha \\leq \\frac{1}{2} = 0.5";
    assert_int_equal(rp_latex_parse(a, s, strlen(s), &x, NULL), RP_OK);
    assert_true(rp_latex_is_bound(x));
    assert_int_equal(rp_latex_n_sides(x), 3);
    assert_string_equal(rp_latex_rel_name(rp_latex_rel_op(x, 0)), "\\leq");
    assert_false(rp_latex_is_bound(rp_latex_rhs(x)));
    rp_arena_free(a);
}

static void test_errors_have_positions(void **state)
{
    (void)state;
    assert_string_equal(roundtrip("x+}"), "ERR@2");
    assert_string_equal(roundtrip("\\frac{1}{"), "ERR@8");
    assert_string_equal(roundtrip(""), "ERR@0");
    assert_string_equal(roundtrip("\\left( x"), "ERR@5"); /* at the bracket */
    assert_string_equal(roundtrip("\\begin{bmatrix} 1 & 2 \\\\ 3 \\end{bmatrix}"), "ERR@25");
    assert_false(rp_latex_parses("\\begin{foo} x \\end{foo}", 23));
    assert_true(rp_latex_parses("x", 1));
}

static void test_pathological(void **state)
{
    (void)state;
    /* deep nesting is refused with an error, not a crash */
    size_t n = 100000;
    char *s = malloc(2 * n + 2);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++) {
        s[i] = '(';
        s[n + 1 + i] = ')';
    }
    s[n] = 'x';
    s[2 * n + 1] = 0;
    assert_false(rp_latex_parses(s, strlen(s)));
    /* a very long flat sum is bounded too */
    for (size_t i = 0; i < 2 * n; i += 2) {
        s[i] = '1';
        s[i + 1] = '+';
    }
    s[2 * n - 1] = '1';
    s[2 * n] = 0;
    assert_false(rp_latex_parses(s, 2 * n)); /* longer than the input cap */
    assert_false(rp_latex_parses(s, 4001)); /* a chain taller than the tree cap */
    assert_true(rp_latex_parses(s, 401));
    /* braces and \frac nesting */
    for (size_t i = 0; i < n; i++)
        s[i] = i % 2 ? '{' : '^';
    s[n] = 0;
    assert_false(rp_latex_parses(s, n));
    free(s);
    /* truncated UTF-8 and stray bytes */
    assert_false(rp_latex_parses("\xe2\x88", 2));
    assert_false(rp_latex_parses("x \x01", 3));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers_and_products),
        cmocka_unit_test(test_symbol_spellings),
        cmocka_unit_test(test_unicode),
        cmocka_unit_test(test_structures),
        cmocka_unit_test(test_words_are_dropped),
        cmocka_unit_test(test_relations),
        cmocka_unit_test(test_errors_have_positions),
        cmocka_unit_test(test_pathological),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
