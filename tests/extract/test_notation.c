/*
 * Unit tests of math in every notation (notation.c) and of what builds on
 * it: plain ASCII and Unicode math in prose, code blocks and inline code,
 * numbers in prose, the evidence that keeps words out of math, claims read
 * from each notation, assignment relations, targets written another way,
 * a tuple component's value before its word, and the trace sink.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../common/random_text.h"

#include "redpen/extract.h"

#include <stdio.h>
#include <string.h>

static rp_claim claim_of(rp_arena *a, const char *text, const rp_extract_spec *sp)
{
    rp_part_span span = {0, 0, strlen(text), true};
    rp_claim c;
    assert_int_equal(rp_extract_claim(text, strlen(text), &span, 1, sp, a, &c), RP_OK);
    return c;
}

/* The segments of text in every notation, printed "N:tex|N:tex|" with N
 * the notation (L, C, P, #) and tex the LaTeX (the raw content for L). */
static const char *segs_of(rp_arena *a, const char *text, const char *const *known, size_t nk)
{
    static char out[4096];
    rp_math *m;
    size_t n;
    assert_int_equal(rp_extract_math_all(text, strlen(text), known, nk, a, &m, &n), RP_OK);
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && o < sizeof out - 1; i++) {
        static const char tag[] = {'L', 'C', 'P', '#'};
        const char *tex = m[i].tex ? m[i].tex : text + m[i].cstart;
        int len = m[i].tex ? (int)strlen(tex) : (int)(m[i].cend - m[i].cstart);
        o += (size_t)snprintf(out + o, sizeof out - o, "%c:%.*s|", tag[m[i].notation], len, tex);
    }
    return out;
}

static void test_plain_math_in_prose(void **state)
{
    (void)state;
    rp_arena *a = rp_arena_new(0);
    assert_string_equal(segs_of(a, "So the runtime of one iteration is 2*c*d_out^2*d_in.", NULL, 0),
                        "P:2 \\cdot c \\cdot d_{out}^{2} \\cdot d_{in}|");
    assert_string_equal(segs_of(a, "Setting that to 1 gives\n\nc = 1/\xE2\x88\x9A" "d_in", NULL, 0),
                        "#:1|P:c = 1/\\sqrt{d_{in}}|");
    /* Unicode without ASCII operators: superscripts and roots are evidence */
    assert_string_equal(segs_of(a, "its variance is c\xC2\xB2\xC2\xB7" "d_in now", NULL, 0),
                        "P:c^{2}\\cdot d_{in}|");
    assert_string_equal(segs_of(a, "the cost grows as O(n^2) overall", NULL, 0), "P:O(n^{2})|");
    assert_string_equal(segs_of(a, "we get sqrt(d_in) here", NULL, 0), "P:\\sqrt{d_{in}}|");
    assert_string_equal(segs_of(a, "so y = [[10,20],[-3,-5]] in the end", NULL, 0),
                        "P:y = \\begin{bmatrix}10 & 20 \\\\ -3 & -5\\end{bmatrix}|");
    /* one-letter English words do not start math */
    assert_string_equal(segs_of(a, "it is a d_out^2 matrix", NULL, 0), "P:d_{out}^{2}|");
    /* a bracket opened in prose and closed after the math */
    assert_string_equal(segs_of(a, "(the total is n/2)", NULL, 0), "P:n/2|");
    /* a name the rubric knows is math; unknown words are not */
    static const char *const known[] = {"dw_{h,l}", "dw"};
    assert_string_equal(segs_of(a, "then dw = x + y holds", known, 2), "P:dw = x + y|");
    /* a word right before "=" labels the value */
    assert_string_equal(segs_of(a, "then dz = x + y holds", known, 2), "P:dz = x + y|");
    assert_string_equal(segs_of(a, "the params = 2*k and more", NULL, 0), "P:params = 2 \\cdot k|");
    assert_string_equal(segs_of(a, "the params are 2*k", NULL, 0), "P:2 \\cdot k|");
    /* a word is a label before "=", ":=" and "!=" but not before "==" */
    static const char *const label_case[][2] = {
        {"the params := 2*k and more", "P:params := 2 \\cdot k|"},
        {"the params != 2*k", "P:params != 2 \\cdot k|"}, {"the params == 2*k", "P:2 \\cdot k|"},
        {"the params =", ""}, {"the params !", ""}, {"the params :", ""}};
    for (size_t k = 0; k < sizeof label_case / sizeof *label_case; k++)
        assert_string_equal(segs_of(a, label_case[k][0], NULL, 0), label_case[k][1]);
    rp_arena_free(a);
}

static void test_words_never_math(void **state)
{
    (void)state;
    rp_arena *a = rp_arena_new(0);
    /* a number next to words is a prose number, never math */
    assert_string_equal(segs_of(a, "a table with 7 rows", NULL, 0), "#:7|");
    assert_string_equal(segs_of(a, "the FC layer maps features to classes", NULL, 0), "");
    assert_string_equal(segs_of(a, "the input/output of a layer", NULL, 0), "");
    /* hyphenated compounds and ranges */
    assert_string_equal(segs_of(a, "a 2-D convolution", NULL, 0), "");
    assert_string_equal(segs_of(a, "use 1-2 layers", NULL, 0), "");
    assert_string_equal(segs_of(a, "along the x-axis", NULL, 0), "");
    /* a lone letter or a labelled list */
    assert_string_equal(segs_of(a, "Let W be the weight. I think so.", NULL, 0), "");
    assert_string_equal(segs_of(a, "1. First step\n2) second (3) item", NULL, 0), "");
    /* function names only count as calls */
    assert_string_equal(segs_of(a, "take the max of the two", NULL, 0), "");
    assert_string_equal(segs_of(a, "take max(a, b) of the two", NULL, 0), "P:\\max\\left(a, b\\right)|");
    /* numbers inside words */
    assert_string_equal(segs_of(a, "conv2 and 3x3 and 1st", NULL, 0), "");
    rp_arena_free(a);
}

static void test_prose_numbers(void **state)
{
    (void)state;
    rp_arena *a = rp_arena_new(0);
    assert_string_equal(segs_of(a, "So she bought 10 spoons.", NULL, 0), "#:10|");
    assert_string_equal(segs_of(a, "It costs $500 in total.", NULL, 0), "#:500|");
    assert_string_equal(segs_of(a, "It costs $5 and then $10 more.", NULL, 0), "#:5|#:10|");
    assert_string_equal(segs_of(a, "about 1,000 of them", NULL, 0), "#:1000|");
    assert_string_equal(segs_of(a, "accuracy is 75 % now", NULL, 0), "#:75\\%|");
    assert_string_equal(segs_of(a, "a drop of -3 points", NULL, 0), "#:-3|");
    assert_string_equal(segs_of(a, "a value of 0.25 here", NULL, 0), "#:0.25|");
    rp_arena_free(a);
}

static void test_code(void **state)
{
    (void)state;
    rp_arena *a = rp_arena_new(0);
    /* a fenced block: math lines count, program lines do not */
    const char *t = "Each layer adds K-1:\n\n```\nreceptive_field = 1 + L*(K - 1)  # per side\n"
                    "print(receptive_field)\ny = conv(x, h)\n```\n";
    assert_string_equal(segs_of(a, t, NULL, 0),
                        "P:K-1|C:receptive_{field} = 1 + L \\cdot (K - 1)|");
    /* a list in code is a matrix or a vector */
    assert_string_equal(segs_of(a, "```python\n[[1, 2], [3, 4]]\n```", NULL, 0),
                        "C:\\begin{bmatrix}1 & 2 \\\\ 3 & 4\\end{bmatrix}|");
    /* inline code */
    assert_string_equal(segs_of(a, "use `c = 1/sqrt(d_in)` there", NULL, 0),
                        "C:c = 1/\\sqrt{d_{in}}|");
    assert_string_equal(segs_of(a, "call `np.linalg.norm(W)` there", NULL, 0), "");
    /* LaTeX inside a code block is code, read by the LaTeX lexer */
    assert_string_equal(segs_of(a, "```\n$x$\n```\n", NULL, 0), "");
    assert_string_equal(segs_of(a, "```latex\n\\frac{1}{\\sqrt{d}}\n```\n", NULL, 0),
                        "C:\\frac{1}{\\sqrt{d}}|");
    /* an unclosed fence runs to the end */
    assert_string_equal(segs_of(a, "```\nx = 2*y", NULL, 0), "C:x = 2 \\cdot y|");
    /* LaTeX outside code is kept as it is */
    assert_string_equal(segs_of(a, "so $x^2$ and 2*y", NULL, 0), "L:x^2|P:2 \\cdot y|");
    rp_arena_free(a);
}

static void test_claims_in_every_notation(void **state)
{
    (void)state;
    rp_arena *a = rp_arena_new(0);
    static const char *const words[] = {"runtime"};
    rp_extract_spec sp = {0};
    sp.expect = RP_EXPECT_SCALAR;
    sp.words = words;
    sp.n_words = 1;
    rp_claim c = claim_of(a,
                          "Forming W W^T costs c * d_out * d_in * d_out.\n\n"
                          "So the runtime of one iteration is 2*c*d_out^2*d_in.",
                          &sp);
    assert_int_equal(c.kind, RP_CLAIM_MATH);
    assert_string_equal(c.latex, "2 \\cdot c \\cdot d_{out}^{2} \\cdot d_{in}");
    assert_string_equal(c.shown, "2*c*d_out^2*d_in");
    /* a LaTeX reply: math typed in its prose is incidental */
    c = claim_of(a, "The runtime is $2c d^2$. For d = 3 that is 2*9*c = 18c.", &sp);
    assert_string_equal(c.latex, "2c d^2");
    /* a prose number answers only where the sentence names the target */
    static const char *const spoons[] = {"spoons"};
    sp.words = spoons;
    c = claim_of(a, "She had 3 forks. So she bought 10 spoons in all, on day 2.", &sp);
    assert_int_equal(c.kind, RP_CLAIM_MATH);
    assert_string_equal(c.latex, "10");
    c = claim_of(a, "She had 3 forks and 4 knives.", &sp);
    assert_int_equal(c.kind, RP_CLAIM_NONE);
    /* a target symbol with Unicode and ASCII math */
    static const char *const sym_c[] = {"c"};
    sp.words = NULL;
    sp.n_words = 0;
    sp.symbols = sym_c;
    sp.n_symbols = 1;
    c = claim_of(a, "its variance is c\xC2\xB2\xC2\xB7" "d_in, so\n\nc = 1/\xE2\x88\x9A" "d_in", &sp);
    assert_string_equal(c.latex, "1/\\sqrt{d_{in}}");
    /* a plain statement of the target counts in a LaTeX reply too */
    c = claim_of(a, "We need $c^2 d = 1$, hence c = 1/sqrt(d).", &sp);
    assert_string_equal(c.latex, "1/\\sqrt{d}");
    /* an answer in a code block */
    c = claim_of(a, "The scale:\n\n```\nc = d_in**(-0.5)\n```\n", &sp);
    assert_string_equal(c.latex, "d_{in}^{-0.5}");
    rp_arena_free(a);
}

static void test_assignment_relations(void **state)
{
    (void)state;
    rp_arena *a = rp_arena_new(0);
    static const char *const sym[] = {"\\alpha"};
    rp_extract_spec sp = {0};
    sp.expect = RP_EXPECT_SCALAR;
    sp.symbols = sym;
    sp.n_symbols = 1;
    static const char *const texts[] = {
        "we set $\\alpha := \\frac{1}{\\sqrt{n}}$ to undo it.",
        "we set $\\alpha \\coloneqq \\frac{1}{\\sqrt{n}}$ to undo it.",
        "the rule uses $\\alpha \\gets \\frac{1}{\\sqrt{n}}$, which scales it.",
        "the rule uses $\\alpha \\leftarrow \\frac{1}{\\sqrt{n}}$, which scales it.",
        "the rule uses $\\alpha \\mapsto \\frac{1}{\\sqrt{n}}$ here.",
        "in code: `alpha <- 1/sqrt(n)` here.",
        "the rule uses \xCE\xB1 \xE2\x86\x90 1/\xE2\x88\x9An here.",
    };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        rp_claim c = claim_of(a, texts[i], &sp);
        if (c.kind != RP_CLAIM_MATH || !strstr(c.latex, "sqrt") || strstr(c.latex, "alpha") ||
            strchr(c.latex, ':'))
            fail_msg("'%s' gave '%s'", texts[i], c.latex ? c.latex : "(none)");
    }
    /* a bound keeps its relation; an implication ends the chain */
    rp_claim c = claim_of(a, "so $\\alpha \\le \\sqrt{d}$ at most", &sp);
    assert_string_equal(c.latex, "\\alpha \\le \\sqrt{d}");
    c = claim_of(a, "so $\\alpha = 2 \\Rightarrow \\beta = 3$", &sp);
    assert_string_equal(c.latex, "2");
    rp_arena_free(a);
}

static void test_targets_in_other_notations(void **state)
{
    (void)state;
    rp_arena *a = rp_arena_new(0);
    static const struct {
        const char *in, *out;
    } norm[] = {
        {"c^{\\star}", "c"},
        {"c^\\star", "c"},
        {"c^*", "c"},
        {"c^{\\ast}", "c"},
        {"\\lVert \\Delta W \\rVert_2", "\\|\\DeltaW\\|_2"},
        {"\\left\\| \\Delta W\\right\\|_2", "\\|\\DeltaW\\|_2"},
        {"\\Vert\\Delta W\\Vert_2", "\\|\\DeltaW\\|_2"},
        {"\xE2\x80\x96\xCE\x94W\xE2\x80\x96_2", "\\|\\DeltaW\\|_2"},
        {"\\mathbb E[X]", "E(X)"},
        {"\\mathbb{E}\\left[dw_{h,l}\\right]", "E(dw_h,l)"},
        {"\\frac{\\partial L}{\\partial w_{h,l}}", "dw_h,l"},
        {"\\partial L/\\partial w", "dw"},
        {"\xE2\x88\x82L/\xE2\x88\x82w", "dw"},
        {"\\frac{\\partial \\mathcal{L}}{\\partial X}", "dX"},
        /* not the loss: kept */
        {"\\partial y/\\partial x", "\\partialy/\\partialx"},
        /* a star that is not a superscript stays */
        {"a*b", "a*b"},
    };
    for (size_t i = 0; i < sizeof norm / sizeof *norm; i++) {
        const char *got = rp_extract_norm_symbol(a, norm[i].in, strlen(norm[i].in));
        if (strcmp(got, norm[i].out) != 0)
            fail_msg("'%s' normalised to '%s', want '%s'", norm[i].in, got, norm[i].out);
    }
    /* claims found by a target written another way */
    static const char *const s2c[] = {"\\|\\Delta W\\|_2"};
    rp_extract_spec sp = {0};
    sp.expect = RP_EXPECT_SCALAR;
    sp.symbols = s2c;
    sp.n_symbols = 1;
    rp_claim c = claim_of(a, "Hence $x = 3$ and $\\lVert \\Delta W \\rVert_2 \\le \\sqrt{d_{out}}$ since $y = 2$.", &sp);
    assert_string_equal(c.latex, "\\lVert \\Delta W \\rVert_2 \\le \\sqrt{d_{out}}");
    static const char *const sdw[] = {"dw"};
    sp.symbols = sdw;
    c = claim_of(a, "We get $\\frac{\\partial L}{\\partial w} = \\sum_i x_i dy_i$ and $z = 1$.", &sp);
    assert_string_equal(c.latex, "\\sum_i x_i dy_i");
    static const char *const sc[] = {"c"};
    sp.symbols = sc;
    c = claim_of(a, "so the scale is $c^{\\star} = \\frac{1}{\\sqrt{d}}$, which brings $v = 1$.", &sp);
    assert_string_equal(c.latex, "\\frac{1}{\\sqrt{d}}");
    rp_arena_free(a);
}

static void test_value_before_its_word(void **state)
{
    (void)state;
    rp_arena *a = rp_arena_new(0);
    static const char *const wm[] = {"mean"};
    static const char *const wv[] = {"variance"};
    rp_extract_component comp[2] = {
        {"mean", NULL, 0, wm, 1, RP_EXPECT_SCALAR, false},
        {"variance", NULL, 0, wv, 1, RP_EXPECT_SCALAR, false},
    };
    rp_extract_spec sp = {0};
    sp.expect = RP_EXPECT_TUPLE;
    sp.components = comp;
    sp.n_components = 2;
    static const struct {
        const char *text, *mean, *var;
    } cases[] = {
        {"The mean is $0$. Each term adds $s^2$, which gives $n s^2$ as the variance.", "0", "n s^2"},
        {"The mean is $0$ and the variance is $n s^2$.", "0", "n s^2"},
        {"Here $n s^2$ is the variance, $0$ the mean.", "0", "n s^2"},
        {"We find $0$ for the mean and $n s^2$ for the variance.", "0", "n s^2"},
        {"Mean: $0$\nVariance: $n s^2$", "0", "n s^2"},
        {"a variance of $n s^2$, with mean $0$", "0", "n s^2"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        rp_claim c = claim_of(a, cases[i].text, &sp);
        if (c.kind != RP_CLAIM_TUPLE || !c.parts[0] || !c.parts[1] ||
            strcmp(c.parts[0], cases[i].mean) != 0 || strcmp(c.parts[1], cases[i].var) != 0)
            fail_msg("'%s': mean '%s', variance '%s'", cases[i].text,
                     c.kind == RP_CLAIM_TUPLE && c.parts[0] ? c.parts[0] : "-",
                     c.kind == RP_CLAIM_TUPLE && c.parts[1] ? c.parts[1] : "-");
    }
    rp_arena_free(a);
}

static void test_table_cells_in_plain_math(void **state)
{
    (void)state;
    rp_arena *a = rp_arena_new(0);
    static const char *const rows[] = {"CONV3-10", "POOL2"};
    rp_extract_spec sp = {0};
    sp.expect = RP_EXPECT_TABLE;
    sp.row_labels = rows;
    sp.n_row_labels = 2;
    sp.n_cols = 2;
    const char *t = "| Layer | Params | Dim |\n|---|---|---|\n"
                    "| CONV3-10 | 3**2*10 + 10 = 100 | 28 x 28 x 10 |\n| POOL2 | 0 | 14\xC3\x97" "14\xC3\x97" "10 |\n";
    rp_claim c = claim_of(a, t, &sp);
    assert_int_equal(c.kind, RP_CLAIM_TABLE);
    assert_string_equal(c.cells[0], "100");
    assert_string_equal(c.cells[1], "28  \\times  28  \\times  10");
    assert_string_equal(c.cells[2], "0");
    rp_arena_free(a);
}

/* Random prose, code fences and math characters: every text is read (no
 * crash, segments in order, inside the text). */
static void test_random_text(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "```\n", "`", "$", "$$", "\\(", "\\)", "the ", "7 ", "x", " = ", "2*c", "^", "_out",
        "(", ")", "[[1,2],[3,4]]", ",", ".", "\n", "\xE2\x88\x9A", "\xC2\xB2", "\xCF\x83",
        "\xE2\x80\x96", "1,000", "75 %", "-", "sqrt(", "params", "\\frac{1}{2}", "~~~\n", "I "};
    size_t np = sizeof pieces / sizeof *pieces;
    unsigned long x = 11;
    char buf[512];
    rp_arena *a = rp_arena_new(0);
    for (int round = 0; round < 3000; round++) {
        size_t n = rp_test_random_text(&x, pieces, np, 1 + round % 40, buf, sizeof buf);
        rp_math *m;
        size_t nm;
        assert_int_equal(rp_extract_math_all(buf, n, NULL, 0, a, &m, &nm), RP_OK);
        /* in text order: LaTeX and prose segments interleave here, and
         * rp_extract_math_all() merges the two lists rather than sort */
        for (size_t i = 0; i < nm; i++) {
            assert_true(m[i].start <= m[i].cstart && m[i].cend <= m[i].end && m[i].end <= n);
            if (i)
                assert_true(m[i - 1].start <= m[i].start);
        }
        if (round % 100 == 99) {
            rp_arena_free(a);
            a = rp_arena_new(0);
        }
    }
    rp_arena_free(a);
}

typedef struct trace_log {
    size_t lines;
    bool saw_candidates;
} trace_log;

static void collect(void *user, const char *line)
{
    trace_log *l = user;
    l->lines++;
    if (strstr(line, "candidates"))
        l->saw_candidates = true;
    assert_null(strchr(line, '\n'));
}

static void test_trace_sink(void **state)
{
    (void)state;
    rp_arena *a = rp_arena_new(0);
    static const char *const sym[] = {"c"};
    rp_extract_spec sp = {0};
    sp.expect = RP_EXPECT_SCALAR;
    sp.symbols = sym;
    sp.n_symbols = 1;
    trace_log log = {0, false};
    rp_extract_set_trace(collect, &log);
    rp_claim c = claim_of(a, "two lines\nthen $c = 2$", &sp);
    rp_extract_set_trace(NULL, NULL);
    assert_string_equal(c.latex, "2");
    assert_true(log.lines >= 4);
    assert_true(log.saw_candidates);
    /* no sink: nothing is called */
    size_t before = log.lines;
    claim_of(a, "then $c = 2$", &sp);
    assert_int_equal(log.lines, before);
    rp_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_math_in_prose),
        cmocka_unit_test(test_words_never_math),
        cmocka_unit_test(test_prose_numbers),
        cmocka_unit_test(test_code),
        cmocka_unit_test(test_claims_in_every_notation),
        cmocka_unit_test(test_assignment_relations),
        cmocka_unit_test(test_targets_in_other_notations),
        cmocka_unit_test(test_value_before_its_word),
        cmocka_unit_test(test_table_cells_in_plain_math),
        cmocka_unit_test(test_random_text),
        cmocka_unit_test(test_trace_sink),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
