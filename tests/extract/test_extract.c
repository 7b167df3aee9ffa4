/*
 * Unit tests of claim extraction: markers, targets, chains, bounds,
 * matrices, bullet-list cases, tuples and tables.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../common/random_text.h"

#include "redpen/extract.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <string.h>

/* rpx_next_cue(), the cue word search of tuples (internal) */
size_t rpx_next_cue(const char *s, size_t n, size_t from, const char *word);
/* rpx_is_asymptotic(), which side of a chain is an O(.) bound (internal) */
bool rpx_is_asymptotic(const char *s, size_t n);

static rp_claim claim_of(rp_arena *a, const char *text, const rp_extract_spec *sp)
{
    rp_part_span span = {0, 0, strlen(text), true};
    rp_claim c;
    assert_int_equal(rp_extract_claim(text, strlen(text), &span, 1, sp, a, &c), RP_OK);
    return c;
}

static void test_math_segments(void **state)
{
    (void)state;
    rp_arena *a = rp_arena_new(0);
    const char *t = "a $x$ b $$y=1$$ c \\(z\\) d \\[w\\] e $ not closed\n\nf \\$5 g";
    rp_math *m;
    size_t n;
    assert_int_equal(rp_extract_math(t, strlen(t), a, &m, &n), RP_OK);
    assert_int_equal(n, 4);
    assert_memory_equal(t + m[1].cstart, "y=1", 3);
    assert_true(m[1].display);
    assert_false(m[0].display);
    rp_arena_free(a);
}

/* Closers are found wherever they fall in the 16-byte blocks the closer
 * search reads (SSE2): every opener, content of every length up to 40
 * bytes after every padding up to 40, with the stops that do not close
 * (backslashes, an escaped dollar, money, a single newline) inside; a
 * paragraph break still ends dollar math. */
static void test_math_closer_offsets(void **state)
{
    (void)state;
    rp_arena *a = rp_arena_new(0);
    static const char *const open[] = {"$", "$$", "\\(", "\\["};
    static const char *const close[] = {"$", "$$", "\\)", "\\]"};
    static const char fill[] = "\\a x\\$\n$5 ";
    char buf[256];
    for (size_t k = 0; k < 4; k++)
        for (size_t pad = 0; pad <= 40; pad++)
            for (size_t len = 1; len <= 40; len++) {
                size_t n = 0;
                memset(buf, 'p', pad);
                n += pad;
                n += (size_t)snprintf(buf + n, sizeof buf - n, "%s", open[k]);
                size_t cs = n;
                for (size_t i = 0; i < len; i++) {
                    char c = fill[i % (sizeof fill - 1)];
                    /* a dollar only where it cannot close: escaped or money */
                    buf[n++] = c == '$' && k >= 2 ? 'y' : c;
                }
                size_t ce = n;
                n += (size_t)snprintf(buf + n, sizeof buf - n, "%s tail", close[k]);
                /* content ending in a backslash would escape the closer */
                if (buf[ce - 1] == '\\' || (k < 2 && buf[ce - 1] == '$'))
                    continue;
                rp_math *m;
                size_t nm;
                assert_int_equal(rp_extract_math(buf, n, a, &m, &nm), RP_OK);
                bool one = nm == 1 && m[0].cstart == cs && m[0].cend == ce;
                if (!one)
                    fprintf(stderr, "closer of \"%.*s\": %zu segments\n", (int)n, buf, nm);
                assert_true(one);
            }
    /* a paragraph break ends dollar math at every offset */
    static const char xs[] = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
    for (size_t pad = 0; pad <= 40; pad++) {
        size_t n = (size_t)snprintf(buf, sizeof buf, "$%.*s\n\n%s$", (int)pad, xs, xs);
        rp_math *m;
        size_t nm;
        assert_int_equal(rp_extract_math(buf, n, a, &m, &nm), RP_OK);
        assert_int_equal(nm, 0);
    }
    rp_arena_free(a);
}

/* The cue word search (16 starts at a time with SSE2) finds the first
 * occurrence a plain search finds, from every offset, in texts full of
 * the word's first bytes and cut off mid-word. */
static void test_next_cue(void **state)
{
    (void)state;
    static const char *const piece[] = {"m", "me", "mea", "mean", "means", "a", "\\mathbf{", " ",
                                        "variance", "va", "v", "\n", "x"};
    static const char *const word[] = {"mean", "variance", "m", "me", "an", "x"};
    char buf[300];
    unsigned long x = 99;
    for (int round = 0; round < 3000; round++) {
        size_t n = rp_test_random_text(&x, piece, sizeof piece / sizeof *piece, 1 + round % 80,
                                       buf, sizeof buf);
        for (size_t w = 0; w < sizeof word / sizeof *word; w++) {
            size_t wl = strlen(word[w]);
            for (size_t from = 0; from <= n; from += 1 + from % 7) {
                size_t want = (size_t)-1;
                for (size_t at = from; at + wl <= n; at++)
                    if (memcmp(buf + at, word[w], wl) == 0) {
                        want = at;
                        break;
                    }
                assert_true(rpx_next_cue(buf, n, from, word[w]) == want);
            }
        }
    }
}

/* Every asymptotic form is one (the commands are told apart by their
 * second byte first), with the spaces around it; others are not. */
static void test_asymptotic_sides(void **state)
{
    (void)state;
    static const char *const yes[] = {"O(n)", "O (n)", "\\mathcal{O}(n)", "\\Theta(n^2)",
                                      "\\mathcal O(n)", "\\Omega(1)", "O\\left(n\\right)",
                                      "\\operatorname{O}(n)", "  \\Theta(n) "};
    static const char *const no[] = {"", " ", "n", "\\frac{1}{n}", "\\mathbf{O}(n)",
                                     "\\theta(n)", "\\", "\\o", "\\Tau", "\\operatorname{o}(n)",
                                     "Q(n)"};
    for (size_t k = 0; k < sizeof yes / sizeof *yes; k++)
        assert_true(rpx_is_asymptotic(yes[k], strlen(yes[k])));
    for (size_t k = 0; k < sizeof no / sizeof *no; k++)
        assert_false(rpx_is_asymptotic(no[k], strlen(no[k])));
}

/* Bare environments end at the first \end of the same name after the
 * \begin; one without an \end is text; openers left open do not hide the
 * math after them. */
static void test_math_environments(void **state)
{
    (void)state;
    rp_arena *a = rp_arena_new(0);
    const char *t = "\\end{b} \\begin{a} x \\end{b} \\begin{b} y \\end{b} z \\end{b} "
                    "\\begin{bmatrix} 1 \\end{bmatrixx} \\end{bmatrix} \\[ open";
    rp_math *m;
    size_t n;
    assert_int_equal(rp_extract_math(t, strlen(t), a, &m, &n), RP_OK);
    assert_int_equal(n, 2);
    assert_int_equal(m[0].end - m[0].start, strlen("\\begin{b} y \\end{b}"));
    assert_memory_equal(t + m[0].start, "\\begin{b} y \\end{b}", m[0].end - m[0].start);
    assert_memory_equal(t + m[1].start, "\\begin{bmatrix} 1 \\end{bmatrixx} \\end{bmatrix}",
                        m[1].end - m[1].start);
    /* many openers without closers, then math: found, and each opener
     * costs a constant (no search to the end per opener) */
    static const char *const units[] = {"\\[ \\( \\begin{q} ", "\\begin{q} ", "$ \\end{z} "};
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
        rp_buf b;
        rp_buf_init(&b, 0);
        for (int i = 0; i < 2000; i++)
            assert_int_equal(rp_buf_append(&b, units[u], strlen(units[u])), RP_OK);
        assert_int_equal(rp_buf_append(&b, "\n\n$$k=2$$", 9), RP_OK);
        assert_int_equal(rp_extract_math(b.data, b.len, a, &m, &n), RP_OK);
        assert_true(n >= 1);
        assert_memory_equal(b.data + m[n - 1].cstart, "k=2", 3);
        rp_buf_free(&b);
    }
    rp_arena_free(a);
}

static void test_marker_then_target_word(void **state)
{
    (void)state;
    rp_arena *a = rp_arena_new(0);
    static const char *const words[] = {"runtime"};
    rp_extract_spec sp = {0};
    sp.expect = RP_EXPECT_SCALAR;
    sp.words = words;
    sp.n_words = 1;
    const char *t = "Step: $W W^T$ costs $c d^2$.\n\nAnswer for (b):\n\nRewrite as $p(W) = W - W(W^TW)$.\n"
                    "The updated runtime is $2c d_{in}^2 d_{out}$, faster than $2c d_{out}^2 d_{in}$.";
    rp_claim c = claim_of(a, t, &sp);
    assert_int_equal(c.kind, RP_CLAIM_MATH);
    assert_string_equal(c.latex, "2c d_{in}^2 d_{out}");
    assert_string_equal(c.how, "marker");
    /* a chain ending in O(.) yields the exact side */
    const char *u = "The total runtime is $2c \\cdot d^2 = O(d^2)$.";
    c = claim_of(a, u, &sp);
    assert_string_equal(c.latex, "2c \\cdot d^2");
    /* only O(.) given: the O(.) is the claim */
    const char *v = "Answer: The runtime is $O(d_{out}^2 d_{in})$, dominated by products.";
    c = claim_of(a, v, &sp);
    assert_string_equal(c.latex, "O(d_{out}^2 d_{in})");
    rp_arena_free(a);
}

static void test_target_symbol_and_bounds(void **state)
{
    (void)state;
    rp_arena *a = rp_arena_new(0);
    static const char *const sym[] = {"\\alpha"};
    rp_extract_spec sp = {0};
    sp.expect = RP_EXPECT_SCALAR;
    sp.symbols = sym;
    sp.n_symbols = 1;
    const char *t = "We get $c = 1/\\sqrt{n}$. Therefore, $\\alpha \\leq \\sqrt{d_{out}}$ to ensure it.";
    rp_claim c = claim_of(a, t, &sp);
    assert_string_equal(c.latex, "\\alpha \\le \\sqrt{d_{out}}");
    /* a later plain statement in prose wins over the bound */
    const char *u = "Therefore $\\alpha \\leq \\sqrt{d}$ holds.\n\nThe solution is correct: \xCE\xB1 should be $\\sqrt{d n}$.";
    c = claim_of(a, u, &sp);
    assert_string_equal(c.latex, "\\sqrt{d n}");
    /* after an explicit marker the first fitting math counts */
    const char *v = "Answer: $\\alpha = \\frac{1}{\\sqrt{n}}$ (or any value $\\leq \\frac{1}{\\sqrt{n}}$)";
    c = claim_of(a, v, &sp);
    assert_string_equal(c.latex, "\\frac{1}{\\sqrt{n}}");
    rp_arena_free(a);
}

static void test_matrix_and_missing(void **state)
{
    (void)state;
    rp_arena *a = rp_arena_new(0);
    static const char *const sym[] = {"y"};
    rp_extract_spec sp = {0};
    sp.expect = RP_EXPECT_MATRIX;
    sp.symbols = sym;
    sp.n_symbols = 1;
    const char *t = "Input $x = \\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}$ and\n"
                    "$y[0,0] = \\begin{bmatrix} 1 \\end{bmatrix} \\odot h = 4$\n\n"
                    "Answer for (c):\n$$y = \\begin{bmatrix} -40 & -40 \\\\ -40 & -40 \\end{bmatrix}$$";
    rp_claim c = claim_of(a, t, &sp);
    assert_int_equal(c.kind, RP_CLAIM_MATH);
    assert_non_null(strstr(c.latex, "-40"));
    assert_true(strncmp(c.latex, "\\begin{bmatrix}", 15) == 0);
    const char *u = "(i) With padding the output size is $5 \\times 5$.";
    c = claim_of(a, u, &sp);
    assert_int_equal(c.kind, RP_CLAIM_NONE);
    rp_arena_free(a);
}

static void test_bullet_cases(void **state)
{
    (void)state;
    rp_arena *a = rp_arena_new(0);
    static const char *const sym[] = {"y"};
    rp_extract_spec sp = {0};
    sp.expect = RP_EXPECT_PIECEWISE;
    sp.symbols = sym;
    sp.n_symbols = 1;
    const char *t = "The convolution is:\n\n- $y[n] = 0$ for $n < 0$\n- $y[n] = 2 - (1/2)^n$ for $0 \\leq n < 6$\n"
                    "- $y[n] = 2^{7-n}$ for $n \\geq 6$\n\nThe plot rises.";
    rp_claim c = claim_of(a, t, &sp);
    assert_int_equal(c.kind, RP_CLAIM_MATH);
    assert_string_equal(c.latex, "\\begin{cases} 0 & n < 0 \\\\ 2 - (1/2)^n & 0 \\leq n < 6 \\\\ 2^{7-n} & n \\geq 6 \\end{cases}");
    rp_arena_free(a);
}

static void test_tuple_components(void **state)
{
    (void)state;
    rp_arena *a = rp_arena_new(0);
    static const char *const s3[] = {"g_3"};
    static const char *const s4[] = {"g_4"};
    rp_extract_component comp[2] = {
        {"g_3", s3, 1, NULL, 0, RP_EXPECT_VECTOR, false},
        {"g_4", s4, 1, NULL, 0, RP_EXPECT_VECTOR, false},
    };
    rp_extract_spec sp = {0};
    sp.expect = RP_EXPECT_TUPLE;
    sp.components = comp;
    sp.n_components = 2;
    const char *t = "- $\\mathbf{g}_3 = [0.8, 0, 0]^T$\n\nAnswer:\n- $\\mathbf{g}_3 = \\begin{bmatrix} 0.8 \\\\ 0 \\\\ 0 \\end{bmatrix}$\n"
                    "- $g_4 = g_1 = [0, 0.8, 0]^T$";
    rp_claim c = claim_of(a, t, &sp);
    assert_int_equal(c.kind, RP_CLAIM_TUPLE);
    assert_int_equal(c.n_parts, 2);
    assert_non_null(strstr(c.parts[0], "bmatrix"));
    assert_string_equal(c.parts[1], "[0, 0.8, 0]^T");
    rp_arena_free(a);
}

static void test_tables(void **state)
{
    (void)state;
    rp_arena *a = rp_arena_new(0);
    static const char *const rows[] = {"Input", "CONV3-10", "POOL2", "CONV3-10"};
    rp_extract_spec sp = {0};
    sp.expect = RP_EXPECT_TABLE;
    sp.row_labels = rows;
    sp.n_row_labels = 4;
    sp.n_cols = 2;
    const char *t = "| Layer | Params | Dim |\n|---|---|---|\n| Input | 0 | $28 \\times 28$ |\n"
                    "| CONV3-10 | 100 | $28 \\times 28 \\times 10$ |\n| POOL2 | 0 | 14 |\n"
                    "| CONV3-10 | $3 \\times 3 \\times 10 \\times 10 + 10 = 910$ | 5 |\n";
    rp_claim c = claim_of(a, t, &sp);
    assert_int_equal(c.kind, RP_CLAIM_TABLE);
    assert_string_equal(c.cells[1 * 2 + 0], "100");
    assert_string_equal(c.cells[3 * 2 + 0], "910");
    assert_string_equal(c.cells[1 * 2 + 1], "28 \\times 28 \\times 10");
    /* tab-separated rows work too */
    const char *u = "Layer\tParams\tDim\nInput\t0\t$28$\nCONV3-10\t100\t$28$\n";
    c = claim_of(a, u, &sp);
    assert_int_equal(c.kind, RP_CLAIM_TABLE);
    assert_string_equal(c.cells[2], "100");
    assert_null(c.cells[3 * 2]);
    rp_arena_free(a);
}

static void test_norm_symbol(void **state)
{
    (void)state;
    rp_arena *a = rp_arena_new(0);
    assert_string_equal(rp_extract_norm_symbol(a, "\\mathbf{g}_{3}", 14), "g_3");
    assert_string_equal(rp_extract_norm_symbol(a, "\xCE\xB1", 2), "\\alpha");
    assert_string_equal(rp_extract_norm_symbol(a, "d_{\\text{out}}", 14), "d_out");
    /* every entry of the wrapper, bar and dropped tables (looked up only
     * after their second byte), and commands that share a prefix with
     * one but are kept */
    static const char *const norm_case[][2] = {
        {"\\boldsymbol{w}", "w"}, {"\\mathrm{d}x", "dx"}, {"\\operatorname{E}", "E"},
        {"\\bm{x}", "x"}, {"\\vec{v}", "v"}, {"\\mathit{k}", "k"}, {"\\textbf{b}", "b"},
        {"\\mathcal{L}", "L"}, {"\\mathbb{E}", "E"}, {"\\mathbb E[X]", "E(X)"},
        {"\\lVert x\\rVert", "\\|x\\|"}, {"\\Vert x\\Vert", "\\|x\\|"},
        {"\\left\\|x\\right\\|", "\\|x\\|"}, {"a\\, b\\; c\\! d", "abcd"},
        {"a\\,b", "a\\,b"},
        {"\\displaystyle x", "x"}, {"\\big(x\\Big)", "(x)"}, {"\\bigl(x", "\\bigl(x"},
        {"\\leftarrow", "\\leftarrow"}, {"\\Vertex", "\\Vertex"}, {"\\beta", "\\beta"},
        {"\\frac{a}{b}", "\\fracab"}, {"x\\", "x\\"},
        /* UTF-8: every lead byte leaves the run of plain bytes */
        {"\xE2\x80\x96x\xE2\x80\x96", "\\|x\\|"}, {"x\xCF\x83y", "x\\sigmay"},
        {"\xC3\xA9" "t\xC3\xA9", "\xC3\xA9" "t\xC3\xA9"}, {"a\xF0\x9F\x98\x80" "b", "a\xF0\x9F\x98\x80" "b"},
    };
    for (size_t k = 0; k < sizeof norm_case / sizeof *norm_case; k++)
        assert_string_equal(rp_extract_norm_symbol(a, norm_case[k][0], strlen(norm_case[k][0])),
                            norm_case[k][1]);
    /* Greek letters grow fourfold ("\xCE\xB5" reads "\\epsilon") */
    enum { N_EPS = 3000 };
    char *eps = rp_arena_alloc(a, 2 * N_EPS);
    assert_non_null(eps);
    for (size_t k = 0; k < N_EPS; k++)
        memcpy(eps + 2 * k, "\xCE\xB5", 2);
    const char *ne = rp_extract_norm_symbol(a, eps, 2 * N_EPS);
    assert_int_equal(strlen(ne), 8 * N_EPS);
    assert_memory_equal(ne + 8 * (N_EPS - 1), "\\epsilon", 8);
    rp_arena_free(a);
}

/* The marker patterns rp_extract_markers() reads as (see extract.c). */
static const char *const marker_pat[2] = {
    "(?:^|\\n)[ \\t>*#_+-]*(?:\\*\\*)?(?:final\\s+answer|answer)\\b[^\\n:]{0,48}:"
    "|\\\\boxed\\{",
    "\\b(?:therefore|thus|hence|consequently|so the answer|the answer is)\\b",
};

/* The start of the last match of re in s[0..n), matches taken left to
 * right without overlap, or (size_t)-1. */
static size_t pcre_last(pcre2_code *re, pcre2_match_data *md, const char *s, size_t n)
{
    size_t last = (size_t)-1, off = 0;
    while (off < n) {
        int rc = pcre2_match(re, (PCRE2_SPTR)s, n, off, 0, md, NULL);
        if (rc <= 0)
            break;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        last = ov[0];
        off = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
        while (off < n && ((unsigned char)s[off] & 0xC0) == 0x80)
            off++;
    }
    return last;
}

static void check_markers(pcre2_code *const re[2], pcre2_match_data *md, const char *s, size_t n)
{
    size_t p, q;
    rp_extract_markers(s, n, &p, &q);
    size_t want_p = pcre_last(re[0], md, s, n), want_q = pcre_last(re[1], md, s, n);
    if (p != want_p || q != want_q)
        fprintf(stderr, "markers of \"%.*s\": %zd %zd, PCRE2 %zd %zd\n", (int)n, s, (ssize_t)p,
                (ssize_t)q, (ssize_t)want_p, (ssize_t)want_q);
    assert_true(p == want_p);
    assert_true(q == want_q);
}

/* The marker scanner agrees with the PCRE2 patterns on texts put together
 * from the pieces that matter to them: cue words in both cases and with
 * U+017F for s, word and non-word neighbours, the prefix class, colons
 * near and far, newlines and other white space. */
static void test_markers_match_patterns(void **state)
{
    (void)state;
    static const char *const piece[] = {
        "answer", "Answer", "ANSWER", "an\xC5\xBFwer", "final", "Final", " ", "  ", "\t",
        "\n", "\n\n", "\r", "\v", ":", "**", "*", "#", ">", "-", "+", "_", "x", "7", "(a)",
        " for (b)", "\\boxed{", "\\BOXED{", "\\boxed", "therefore", "Therefore", "thus",
        "THUS", "thu\xC5\xBF", "hence", "consequently", "con\xC5\xBF" "equently", "so the answer",
        "\xC5\xBFo the answer", "So The Answer", "the answer is", "The Answer Is", "the answer", "is", "\xC3\xA9", "\xCE\xB1", "$x$", ".", ",",
        "a very long stretch of words without a colon in it, longer than forty-eight",
        "\xE2\x88\x91\xE2\x88\x91\xE2\x88\x91\xE2\x88\x91\xE2\x88\x91\xE2\x88\x91"
        "\xE2\x88\x91\xE2\x88\x91\xE2\x88\x91\xE2\x88\x91\xE2\x88\x91\xE2\x88\x91",
    };
    const size_t npiece = sizeof piece / sizeof *piece;
    pcre2_code *re[2];
    for (int k = 0; k < 2; k++) {
        int err;
        PCRE2_SIZE off;
        re[k] = pcre2_compile((PCRE2_SPTR)marker_pat[k], PCRE2_ZERO_TERMINATED,
                              PCRE2_CASELESS | PCRE2_UTF, &err, &off, NULL);
        assert_non_null(re[k]);
    }
    pcre2_match_data *md = pcre2_match_data_create(4, NULL);
    assert_non_null(md);
    static const char *const fixed[] = {
        "", "Answer:", "\nAnswer: x", "Final answer: $3$", "**Final Answer for (a):** $x$",
        "> ## Answer (b) \\boxed{2}: more", "final\n\nanswer: 2", "Answered: no",
        "answer_1: no", "Therefore, thus", "athus", "a\xC5\xBFo the answer", "thu\xC5\xBF",
        "thu\xC5\xBFx", "so the answers", "\\boxed{\\boxed{", "\n\nAnswer\n:",
    };
    for (size_t k = 0; k < sizeof fixed / sizeof *fixed; k++)
        check_markers(re, md, fixed[k], strlen(fixed[k]));
    char buf[1024];
    /* the colon within 48 characters of the cue, counted in characters */
    for (size_t gap = 44; gap <= 52; gap++)
        for (int wide = 0; wide < 2; wide++) {
            size_t n = (size_t)snprintf(buf, sizeof buf, "x\nAnswer");
            for (size_t k = 0; k < gap; k++)
                n += (size_t)snprintf(buf + n, sizeof buf - n, "%s", wide ? "\xC3\xA9" : "e");
            n += (size_t)snprintf(buf + n, sizeof buf - n, ": y");
            check_markers(re, md, buf, n);
        }
    static const char spaces[] = " \t\n\v\f\r";
    for (size_t k = 0; k < sizeof spaces - 1; k++) {
        size_t n = (size_t)snprintf(buf, sizeof buf, "\nfinal%canswer: 1", spaces[k]);
        check_markers(re, md, buf, n);
    }
    unsigned long x = 12345;
    for (int round = 0; round < 20000; round++) {
        size_t n = rp_test_random_text(&x, piece, npiece, 1 + round % 12, buf, sizeof buf);
        check_markers(re, md, buf, n);
    }
    /* long texts: the 16-byte sieve of the secondary scan (SSE2) sees
     * matches at every offset of its blocks, across block ends and at the
     * tail the scalar loop finishes */
    for (int round = 0; round < 5000; round++) {
        size_t n = rp_test_random_text(&x, piece, npiece, 8 + round % 56, buf, sizeof buf);
        check_markers(re, md, buf, n);
    }
    pcre2_match_data_free(md);
    pcre2_code_free(re[0]);
    pcre2_code_free(re[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_math_segments),
        cmocka_unit_test(test_math_closer_offsets),
        cmocka_unit_test(test_next_cue),
        cmocka_unit_test(test_asymptotic_sides),
        cmocka_unit_test(test_math_environments),
        cmocka_unit_test(test_marker_then_target_word),
        cmocka_unit_test(test_target_symbol_and_bounds),
        cmocka_unit_test(test_matrix_and_missing),
        cmocka_unit_test(test_bullet_cases),
        cmocka_unit_test(test_tuple_components),
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_norm_symbol),
        cmocka_unit_test(test_markers_match_patterns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
