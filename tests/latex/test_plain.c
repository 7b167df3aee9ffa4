/*
 * Unit tests of plain math to LaTeX (rp_latex_from_plain()): ASCII as typed
 * in code and calculators, the Unicode of chat answers, LaTeX passed
 * through unchanged, and what must not change (comparisons that only look
 * like arrows, words).  Each translation must also parse.  Also the
 * relation tokens of rp_latex_rel_at().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../common/random_text.h"

#include "redpen/latex.h"

#include <stdio.h>
#include <string.h>

/* The translation of s, which must parse; a static buffer. */
static const char *tr(const char *s)
{
    static char out[1024];
    rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_latex_from_plain(s, strlen(s), &b), RP_OK);
    snprintf(out, sizeof out, "%s", b.data ? b.data : "");
    rp_buf_free(&b);
    if (!rp_latex_parses(out, strlen(out)))
        fail_msg("'%s' -> '%s' does not parse", s, out);
    return out;
}

/* The normalised print of the parse of s (as rp_latex_print() writes it). */
static const char *printed(const char *s)
{
    static char out[1024];
    rp_arena *a = rp_arena_new(0);
    rp_latex_node *x;
    assert_int_equal(rp_latex_parse(a, s, strlen(s), &x, NULL), RP_OK);
    rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_latex_print(x, &b), RP_OK);
    snprintf(out, sizeof out, "%s", b.data);
    rp_buf_free(&b);
    rp_arena_free(a);
    return out;
}

/* Plain s reads as the LaTeX tex: both print alike. */
static void same(const char *plain, const char *tex)
{
    char want[1024];
    snprintf(want, sizeof want, "%s", printed(tex));
    const char *got = printed(tr(plain));
    if (strcmp(want, got) != 0)
        fail_msg("'%s' reads '%s', want '%s' (from '%s')", plain, got, want, tex);
}

static void test_ascii(void **state)
{
    (void)state;
    same("2*c*d_out^2*d_in", "2 c d_{out}^2 d_{in}");
    same("sqrt(d_in)", "\\sqrt{d_{in}}");
    same("1/sqrt(d_in)", "\\frac{1}{\\sqrt{d_{in}}}");
    same("n**2", "n^2");
    same("x**(n+1)", "x^{n+1}");
    same("d_in^(-1/2)", "d_{in}^{-1/2}");
    same("x^-1", "x^{-1}");
    same("cbrt(x)", "\\sqrt[3]{x}");
    same("abs(x-1)", "|x-1|");
    same("floor(n/2)", "\\lfloor n/2 \\rfloor");
    same("ceil(n/2)", "\\lceil n/2 \\rceil");
    same("log2(n)", "\\log_2 n");
    same("log10(x)", "\\log_{10} x");
    same("exp(-x^2/2)", "\\exp(-x^2/2)");
    same("sigma_x^2*sigma_g^2", "\\sigma_x^2 \\sigma_g^2");
    same("(n-k+1)^2*sigma^2", "(n-k+1)^2 \\sigma^2");
    same("alpha", "\\alpha");
    same("pi*r^2", "\\pi r^2");
    same("x1 + x2", "x_1 + x_2");
    /* scientific notation stays a number, never the symbol e with an index */
    same("1.5e3", "1500");
    same("6.02E-23 * N", "6.02e-23 N");
    same("2e+3", "2000");
    same("2*e3", "2 e_3");
    same("O(n^2)", "O(n^2)");
    same("3 x 3", "3 \\times 3");
    same("[[10,20],[-3,-5]]", "\\begin{bmatrix} 10 & 20 \\\\ -3 & -5 \\end{bmatrix}");
    same("[[1, 2, 3], [4, 5, 6]]", "\\begin{bmatrix} 1 & 2 & 3 \\\\ 4 & 5 & 6 \\end{bmatrix}");
    same("np.array([[1,2],[3,4]])", "\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}");
    same("[[sqrt(2), 0], [0, x**2]]", "\\begin{bmatrix} \\sqrt{2} & 0 \\\\ 0 & x^2 \\end{bmatrix}");
    same("1 + L*(K - 1)", "1 + L \\cdot (K - 1)");
    same("c := 1/sqrt(d_in)", "c := \\frac{1}{\\sqrt{d_{in}}}");
    same("Var(dw) = (n-k+1)^2", "\\operatorname{Var}(dw) = (n-k+1)^2");
    same("inf", "\\infty");
}

static void test_unicode(void **state)
{
    (void)state;
    same("1/\xE2\x88\x9A" "d_in", "\\frac{1}{\\sqrt{d_{in}}}");               /* 1/√d_in */
    same("\xE2\x88\x9A(d_out/d_in)", "\\sqrt{d_{out}/d_{in}}");              /* √(..) */
    same("c\xC2\xB2\xC2\xB7" "d_in", "c^2 d_{in}");                          /* c²·d_in */
    same("\xE2\x88\x9B" "x", "\\sqrt[3]{x}");                                /* ∛x */
    same("\xE2\x88\x9C" "x", "\\sqrt[4]{x}");                                /* ∜x */
    same("x\xE2\x81\xBF\xE2\x81\xBA\xC2\xB9", "x^{n+1}");                    /* xⁿ⁺¹ */
    same("x\xE2\x81\xBB\xC2\xB9", "x^{-1}");                                 /* x⁻¹ */
    same("x\xE2\x82\x81+x\xE2\x82\x82", "x_1+x_2");                          /* x₁+x₂ */
    same("x\xE2\x82\x81\xE2\x82\x82", "x_{12}");                             /* x₁₂ */
    same("\xE2\x80\x96\xCE\x94W\xE2\x80\x96\xE2\x82\x82", "\\|\\Delta W\\|_2"); /* ‖ΔW‖₂ */
    same("\xE2\x8C\x8An/2\xE2\x8C\x8B", "\\lfloor n/2 \\rfloor");            /* ⌊n/2⌋ */
    same("n\xC2\xB2\xCF\x83\xC2\xB2", "n^2 \\sigma^2");                      /* n²σ² */
    same("W W\xE1\xB5\x80", "W W^T");                                        /* W Wᵀ */
    same("2\xC3\x97" "3", "2 \\times 3");                                    /* 2×3 */
    same("a\xE2\x88\x92" "b", "a-b");                                        /* a−b */
    same("6\xC3\xB7" "3", "6 \\div 3");                                      /* 6÷3 */
    same("\xCF\x80 r\xC2\xB2", "\\pi r^2");                                  /* π r² */
    same("x \xE2\x89\xA4 1", "x \\le 1");                                    /* x ≤ 1 */
    same("c \xE2\x89\x94 1/\xE2\x88\x9A" "d", "c := \\frac{1}{\\sqrt{d}}");   /* c ≔ 1/√d */
}

static void test_unchanged(void **state)
{
    (void)state;
    /* LaTeX passes as it is */
    assert_string_equal(tr("\\frac{1}{\\sqrt{d_{in}}}"), "\\frac{1}{\\sqrt{d_{in}}}");
    assert_string_equal(tr("x_\\text{out}^2"), "x_\\text{out}^2");
    assert_string_equal(tr("d_{out}"), "d_{out}");
    /* a comparison with a negative number is not an assignment */
    same("x < -1", "x < -1");
    assert_null(strstr(tr("x < -1"), "gets"));
    /* an x next to a letter is a variable, not a product sign */
    assert_null(strstr(tr("a x b"), "times"));
    assert_null(strstr(tr("2x + 1"), "times"));
    /* words are copied, never spelled as commands */
    assert_string_equal(tr("rows"), "rows");
    assert_null(strstr(tr("the FC layer"), "\\"));
    /* a list of lists of different lengths is not a matrix */
    assert_null(strstr(tr("[[1,2],[3]]"), "bmatrix"));
    /* plain numbers stay numbers */
    assert_string_equal(tr("1,000"), "1,000");
    assert_string_equal(tr("0.5"), "0.5");
    /* a name that only starts like a function is not one */
    assert_string_equal(tr("sqrtx"), "sqrtx");
    assert_string_equal(tr("pie"), "pie");
    /* deep nesting neither overflows nor fails */
    char deep[600];
    size_t k = 0;
    for (int i = 0; i < 250; i++)
        deep[k++] = '(';
    deep[k++] = 'x';
    for (int i = 0; i < 250; i++)
        deep[k++] = ')';
    rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_latex_from_plain(deep, k, &b), RP_OK);
    assert_int_equal(b.len, k);
    rp_buf_free(&b);
    /* unbalanced brackets are copied */
    rp_buf_init(&b, 0);
    assert_int_equal(rp_latex_from_plain("sqrt(x", 6, &b), RP_OK);
    assert_string_equal(b.data, "sqrt(x");
    rp_buf_free(&b);
}

static void test_relation_tokens(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int rel;
        size_t len;
    } cases[] = {
        {"=", RP_REL_EQ, 1},          {"==", RP_REL_EQ, 2},         {"<=", RP_REL_LE, 2},
        {">", RP_REL_GT, 1},          {"!=", RP_REL_NE, 2},         {":=", RP_REL_DEF, 2},
        {"\\le x", RP_REL_LE, 3},     {"\\leq", RP_REL_LE, 4},      {"\\coloneqq", RP_REL_DEF, 9},
        {"\\gets", RP_REL_DEF, 5},    {"\\leftarrow", RP_REL_DEF, 10}, {"\\mapsto", RP_REL_DEF, 7},
        {"\\to", RP_REL_TO, 3},       {"\\Rightarrow", RP_REL_TO, 11}, {"\\approx", RP_REL_APPROX, 7},
        {"\xE2\x89\xA4", RP_REL_LE, 3}, {"\xE2\x86\x90", RP_REL_DEF, 3}, {"\xE2\x86\xA6", RP_REL_DEF, 3},
        {"\xE2\x89\x94", RP_REL_DEF, 3}, {"\xE2\x86\x92", RP_REL_TO, 3},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t len = 0;
        int r = rp_latex_rel_at(cases[i].s, strlen(cases[i].s), 0, &len);
        if (r != cases[i].rel || len != cases[i].len)
            fail_msg("'%s': rel %d len %zu", cases[i].s, r, len);
    }
    /* not relations */
    static const char *const no[] = {":", "!", "\\left", "\\lefta", "\\lex", "x", "\xC3\x97", "\\"};
    for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
        size_t len = 0;
        if (rp_latex_rel_at(no[i], strlen(no[i]), 0, &len) != -1)
            fail_msg("'%s' read as a relation", no[i]);
    }
    size_t len;
    assert_int_equal(rp_latex_rel_at("c", 1, 1, &len), -1); /* past the end */
    /* every relation command of the table, whatever its first letter and
     * length (the lexer's filter of names must keep them all) */
    static const struct {
        const char *s;
        int rel;
    } cmds[] = {{"\\leqslant", RP_REL_LE}, {"\\geqq", RP_REL_GE}, {"\\lt", RP_REL_LT},
                {"\\gg", RP_REL_GT}, {"\\approxeq", RP_REL_APPROX}, {"\\propto", RP_REL_PROPTO},
                {"\\sim", RP_REL_SIM}, {"\\neq", RP_REL_NE}, {"\\in", RP_REL_IN},
                {"\\doteq", RP_REL_EQ}, {"\\eqqcolon", RP_REL_DEF}, {"\\defeq", RP_REL_DEF},
                {"\\longleftarrow", RP_REL_DEF}, {"\\Longrightarrow", RP_REL_TO},
                {"\\leftrightarrow", RP_REL_TO}, {"\\iff", RP_REL_TO}, {"\\implies", RP_REL_TO},
                {"\\triangleq", RP_REL_DEF}};
    for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) {
        len = 0;
        if (rp_latex_rel_at(cmds[i].s, strlen(cmds[i].s), 0, &len) != cmds[i].rel ||
            len != strlen(cmds[i].s))
            fail_msg("'%s' not read as its relation", cmds[i].s);
    }
    /* text around math: quotes, dashes, Greek, accents are no relations */
    static const char *const text[] = {"\xE2\x80\x99", "\xE2\x80\x94", "\xCE\xB1", "\xC3\xA9",
                                       "\\simeqq", "\\inn", "\\Lt"};
    for (size_t i = 0; i < sizeof text / sizeof *text; i++)
        if (rp_latex_rel_at(text[i], strlen(text[i]), 0, &len) != -1)
            fail_msg("'%s' read as a relation", text[i]);
}

/* Names plain math gives a meaning: every one of the tables, and none of
 * their neighbours (a letter more or less). */
static void test_plain_names(void **state)
{
    (void)state;
    static const char *const fn[] = {"sqrt", "cbrt", "abs", "floor", "ceil", "norm", "exp",
                                     "log", "ln", "sin", "cos", "tan", "tanh", "max", "min",
                                     "det", "Var", "var", "Cov", "log2", "log10", "O"};
    static const char *const sym[] = {"alpha", "beta", "eta", "theta", "omega", "Gamma",
                                      "Omega", "pi", "varepsilon", "nabla", "inf", "infinity",
                                      "infty", "sigma", "xi", "mu"};
    static const char *const none[] = {"x", "o", "sqr", "sqrts", "log3", "log100", "lo",
                                       "infinit", "Alpha", "pis", "varepsilonn", "Covs", "e",
                                       "\xCF\x80", "logarithm", "sinh2"};
    for (size_t i = 0; i < sizeof fn / sizeof *fn; i++)
        if (rp_latex_plain_name(fn[i], strlen(fn[i])) != RP_PLAIN_FUNCTION)
            fail_msg("'%s' is not a function", fn[i]);
    for (size_t i = 0; i < sizeof sym / sizeof *sym; i++)
        if (rp_latex_plain_name(sym[i], strlen(sym[i])) != RP_PLAIN_SYMBOL)
            fail_msg("'%s' is not a symbol", sym[i]);
    for (size_t i = 0; i < sizeof none / sizeof *none; i++)
        if (rp_latex_plain_name(none[i], strlen(none[i])) != RP_PLAIN_NONE)
            fail_msg("'%s' has a meaning", none[i]);
    /* a prefix of a longer text */
    assert_int_equal(rp_latex_plain_name("sqrt(x)", 4), RP_PLAIN_FUNCTION);
    assert_int_equal(rp_latex_plain_name("sigmas", 5), RP_PLAIN_SYMBOL);
}

/* Random text of the characters plain math is made of: every input
 * translates (no crash, no overrun under the sanitizers) and the output of
 * LaTeX-free input is at most a bounded multiple of its length. */
static void test_random_input(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "sqrt(", "log2(", "**", "^", "_", "(", ")", "[", "]", "[[", "]]", ",", "x", "d_out",
        " x ", "3", "<- ", "->", "=>", "*", "/", "\xE2\x88\x9A", "\xC2\xB2", "\xE2\x82\x81",
        "\xE2\x80\x96", "\xE2", "sigma", "np.array(", " ", "-", "abs(", "\xE2\x81\xBF"};
    size_t np = sizeof pieces / sizeof *pieces;
    unsigned long x = 7;
    char buf[256];
    for (int round = 0; round < 5000; round++) {
        size_t n = rp_test_random_text(&x, pieces, np, 1 + round % 20, buf, sizeof buf);
        rp_buf b;
        rp_buf_init(&b, 0);
        assert_int_equal(rp_latex_from_plain(buf, n, &b), RP_OK);
        assert_true(b.len <= 24 * n + 64);
        rp_buf_free(&b);
    }
}

/* rp_latex_as_latex: LaTeX and plain math that reads the same come back
 * as they are (no copy); anything translate() rewrites is translated. */
static void test_as_latex(void **state)
{
    (void)state;
    static const char *const same[] = {"1 + 2 = 3", "\\frac{1}{2}", "(3, -4)", "a + b",
                                       "12:30", "x^{2}", "0.5 < 1", "a^2 + 2ab + b^2",
                                       "L(K - 1) + 1", "F K^2 C"};
    static const char *const changed[][2] = {
        {"x1", "x_{1}"}, {"2*c", "2 \\cdot c"}, {"3 x 3", "3  \\times  3"}, {"a->b", "a \\to b"},
        {"pi", "\\pi "}, {"50%", "50\\%"}, {"sqrt(2)", "\\sqrt{2}"}, {"y_1", "y_{1}"},
        {"a^23", "a^{23}"}, {"2e5", "2e5"}};
    rp_buf b;
    rp_buf_init(&b, 0);
    size_t n;
    for (size_t i = 0; i < sizeof same / sizeof *same; i++) {
        const char *out = rp_latex_as_latex(same[i], strlen(same[i]), &b, &n);
        assert_ptr_equal(out, same[i]);
        assert_int_equal(n, strlen(same[i]));
    }
    for (size_t i = 0; i < sizeof changed / sizeof *changed; i++) {
        const char *out = rp_latex_as_latex(changed[i][0], strlen(changed[i][0]), &b, &n);
        assert_ptr_not_equal(out, changed[i][0]);
        assert_int_equal(n, strlen(changed[i][1]));
        assert_memory_equal(out, changed[i][1], n);
    }
    rp_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ascii),
        cmocka_unit_test(test_unicode),
        cmocka_unit_test(test_unchanged),
        cmocka_unit_test(test_relation_tokens),
        cmocka_unit_test(test_plain_names),
        cmocka_unit_test(test_random_input),
        cmocka_unit_test(test_as_latex),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
