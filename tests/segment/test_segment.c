/*
 * Unit tests of the segmenter: labels in many styles, sub-parts, context
 * across turns, and user references to parts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../common/random_text.h"
#include "redpen/segment.h"

#include <string.h>

static const char *const cues1[] = {"newton-schulz"};
static const char *const cues3[] = {"convolution"};
static const rp_seg_problem problems[] = {
    {1, "Newton-Schulz Runtime", cues1, 1},
    {3, "Convolution", cues3, 1},
};
static const rp_seg_part parts[] = {
    {"1a", 1, 'a', 0}, {"1b", 1, 'b', 0}, {"3a", 3, 'a', 0}, {"3c", 3, 'c', 0},
    {"3d.i", 3, 'd', 1}, {"3d.ii", 3, 'd', 2}, {"3i", 3, 'i', 0},
};
static const rp_seg_catalog cat = {problems, 2, parts, 7};

static size_t idx(const char *id)
{
    for (size_t i = 0; i < 7; i++)
        if (strcmp(parts[i].id, id) == 0)
            return i;
    return (size_t)-1;
}

/* The text of the spans labelled with part id, concatenated. */
static int spans_for(const rp_part_span *s, size_t n, const char *text, const char *id,
                     char *buf, size_t cap)
{
    int cnt = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++)
        if (s[i].part == idx(id)) {
            strncat(buf, text + s[i].start, s[i].end - s[i].start < cap - strlen(buf) - 1
                                                ? s[i].end - s[i].start
                                                : cap - strlen(buf) - 1);
            cnt++;
        }
    return cnt;
}

static void test_problem_and_part_labels(void **state)
{
    (void)state;
    rp_segmenter *s = rp_segmenter_new(&cat);
    assert_non_null(s);
    rp_arena *a = rp_arena_new(0);
    const char *t = "Solutions\n\nProblem 1: Newton-Schulz Runtime\n\n(a) the cost is $2c$\n\n"
                    "**(b)** faster: $2c d$\n\nProblem 3: Convolution\n\nPart (c): matrix here\n"
                    "\n(d) Striding\n- i. stride 1: first\n- ii. stride 2: second\n";
    rp_part_span *sp;
    size_t n;
    int prob = 0;
    assert_int_equal(rp_segment_model_turn(s, t, strlen(t), 0, (size_t)-1, a, &sp, &n, &prob),
                     RP_OK);
    char buf[512];
    assert_int_equal(spans_for(sp, n, t, "1a", buf, sizeof buf), 1);
    assert_non_null(strstr(buf, "the cost"));
    assert_null(strstr(buf, "faster"));
    assert_int_equal(spans_for(sp, n, t, "1b", buf, sizeof buf), 1);
    assert_non_null(strstr(buf, "faster"));
    assert_int_equal(spans_for(sp, n, t, "3c", buf, sizeof buf), 1);
    assert_int_equal(spans_for(sp, n, t, "3d.i", buf, sizeof buf), 1);
    assert_non_null(strstr(buf, "first"));
    assert_null(strstr(buf, "second"));
    assert_int_equal(spans_for(sp, n, t, "3d.ii", buf, sizeof buf), 1);
    assert_non_null(strstr(buf, "second"));
    assert_int_equal(prob, 3);
    rp_arena_free(a);
    rp_segmenter_free(s);
}

static void test_context_answer_markers_and_roman(void **state)
{
    (void)state;
    rp_segmenter *s = rp_segmenter_new(&cat);
    rp_arena *a = rp_arena_new(0);
    /* The problem comes from context; "(i)" is a sub-part of (d), not part i. */
    const char *t = "Let me fix these.\n\nPart (c): corrected\nAnswer for (c): all -40\n\n"
                    "Part (d-i): rows\nAnswer for (d-i) CORRECTED: M1\n\n"
                    "Problem 3(d)(ii) - Corrected\nM2\n";
    rp_part_span *sp;
    size_t n;
    assert_int_equal(rp_segment_model_turn(s, t, strlen(t), 3, (size_t)-1, a, &sp, &n, NULL),
                     RP_OK);
    char buf[512];
    assert_int_equal(spans_for(sp, n, t, "3c", buf, sizeof buf), 2);
    assert_non_null(strstr(buf, "all -40"));
    assert_int_equal(spans_for(sp, n, t, "3d.i", buf, sizeof buf), 2);
    assert_non_null(strstr(buf, "M1"));
    assert_int_equal(spans_for(sp, n, t, "3d.ii", buf, sizeof buf), 1);
    assert_non_null(strstr(buf, "M2"));
    assert_int_equal(spans_for(sp, n, t, "3i", buf, sizeof buf), 0);
    /* No labels at all: the whole turn answers the part under discussion. */
    const char *u = "You're right, the answer is $x$.";
    assert_int_equal(rp_segment_model_turn(s, u, strlen(u), 3, idx("3c"), a, &sp, &n, NULL),
                     RP_OK);
    assert_int_equal(n, 1);
    assert_int_equal(sp[0].part, idx("3c"));
    /* Without context, "(a)" means nothing: no problem is known. */
    const char *v = "(a) something\n";
    assert_int_equal(rp_segment_model_turn(s, v, strlen(v), 0, (size_t)-1, a, &sp, &n, NULL),
                     RP_OK);
    assert_int_equal(n, 0);
    rp_arena_free(a);
    rp_segmenter_free(s);
}

static void test_whole_letter_feeds_sub_parts(void **state)
{
    (void)state;
    rp_segmenter *s = rp_segmenter_new(&cat);
    rp_arena *a = rp_arena_new(0);
    const char *t = "Part (d): output sizes only, 5x5 and 3x3\n";
    rp_part_span *sp;
    size_t n;
    assert_int_equal(rp_segment_model_turn(s, t, strlen(t), 3, (size_t)-1, a, &sp, &n, NULL),
                     RP_OK);
    char buf[256];
    assert_int_equal(spans_for(sp, n, t, "3d.i", buf, sizeof buf), 1);
    assert_int_equal(spans_for(sp, n, t, "3d.ii", buf, sizeof buf), 1);
    assert_false(sp[0].labelled);
    rp_arena_free(a);
    rp_segmenter_free(s);
}

static bool has_ref(const rp_part_ref *r, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (r[i].part == idx(id))
            return true;
    return false;
}

static void test_user_refs(void **state)
{
    (void)state;
    rp_segmenter *s = rp_segmenter_new(&cat);
    rp_arena *a = rp_arena_new(0);
    rp_part_ref *r;
    size_t n;
    const char *t1 = "Your answer for part C is incorrect.";
    assert_int_equal(rp_segment_user_refs(s, t1, strlen(t1), 3, a, &r, &n), RP_OK);
    assert_int_equal(n, 1);
    assert_true(has_ref(r, n, "3c"));
    const char *t2 = "The last rows for part di are wrong, as are those for part dii.";
    assert_int_equal(rp_segment_user_refs(s, t2, strlen(t2), 3, a, &r, &n), RP_OK);
    assert_true(has_ref(r, n, "3d.i"));
    assert_true(has_ref(r, n, "3d.ii"));
    const char *t3 = "1a and 1b look fine, but 3c is wrong.";
    assert_int_equal(rp_segment_user_refs(s, t3, strlen(t3), 0, a, &r, &n), RP_OK);
    assert_true(has_ref(r, n, "1a"));
    assert_true(has_ref(r, n, "1b"));
    assert_true(has_ref(r, n, "3c"));
    const char *t4 = "For part d, we need matrices. Part a and c are correct.";
    assert_int_equal(rp_segment_user_refs(s, t4, strlen(t4), 3, a, &r, &n), RP_OK);
    assert_true(has_ref(r, n, "3d.i"));
    assert_true(has_ref(r, n, "3d.ii"));
    assert_true(has_ref(r, n, "3a"));
    assert_true(has_ref(r, n, "3c"));
    const char *t5 = "Remove the rounding starting at part c.";
    assert_int_equal(rp_segment_user_refs(s, t5, strlen(t5), 3, a, &r, &n), RP_OK);
    assert_true(has_ref(r, n, "3c"));
    assert_true(has_ref(r, n, "3d.i"));
    assert_false(has_ref(r, n, "3a"));
    const char *t6 = "This is part of the plan; 2x2 pooling.";
    assert_int_equal(rp_segment_user_refs(s, t6, strlen(t6), 3, a, &r, &n), RP_OK);
    assert_int_equal(n, 0);
    assert_int_equal(rp_segment_user_problem(s, "We now move on to question 3.", 29), 3);
    const char *st = "1. Newton-Schulz Runtime\n\nLet us consider...";
    assert_int_equal(rp_segment_user_problem(s, st, strlen(st)), 1);
    assert_int_equal(rp_segment_user_problem(s, "no problem here", 15), 0);
    rp_arena_free(a);
    rp_segmenter_free(s);
}

/* Matches start past bytes no pattern can begin with; assertions before
 * the start still see the bytes before it. */
static void test_start_filter(void **state)
{
    (void)state;
    rp_segmenter *s = rp_segmenter_new(&cat);
    rp_arena *a = rp_arena_new(0);
    rp_part_ref *r;
    size_t n;
    const char *t1 = "\xE2\x80\x9C\xC3\xA9(c)\xE2\x80\x9D still looks wrong to me.";
    assert_int_equal(rp_segment_user_refs(s, t1, strlen(t1), 3, a, &r, &n), RP_OK);
    assert_int_equal(n, 1);
    assert_true(has_ref(r, n, "3c"));
    /* no word boundary before "part", no free-standing number */
    const char *t2 = "Keep them apart c, x3c and 1.3c as they are.";
    assert_int_equal(rp_segment_user_refs(s, t2, strlen(t2), 3, a, &r, &n), RP_OK);
    assert_int_equal(n, 0);
    const char *t3 = "zzzz zzzz zzzz zzzz zzzz zzzz, PART C is off.";
    assert_int_equal(rp_segment_user_refs(s, t3, strlen(t3), 3, a, &r, &n), RP_OK);
    assert_int_equal(n, 1);
    assert_true(has_ref(r, n, "3c"));
    /* labels in upper case; lines no label can start with in between */
    const char *t = "PROBLEM 3\n\nwe see\n\nPART C: the matrix\n; more\n\n3D.II - second\n";
    rp_part_span *sp;
    size_t ns;
    int prob;
    assert_int_equal(rp_segment_model_turn(s, t, strlen(t), 0, (size_t)-1, a, &sp, &ns, &prob),
                     RP_OK);
    char buf[256];
    assert_int_equal(spans_for(sp, ns, t, "3c", buf, sizeof buf), 1);
    assert_string_equal(buf, "PART C: the matrix\n; more\n\n");
    assert_int_equal(spans_for(sp, ns, t, "3d.ii", buf, sizeof buf), 1);
    rp_arena_free(a);
    rp_segmenter_free(s);
}

/* A pattern that starts with a word is tried only where the word stands:
 * any ASCII case, at the very end of a sentence, after other words with
 * the same first letters ("pro", "qu", "ex", "pa"), and spelled with a
 * character that caseless UTF matching folds to s ("QUEſTION"). */
static void test_start_words(void **state)
{
    (void)state;
    rp_segmenter *s = rp_segmenter_new(&cat);
    rp_arena *a = rp_arena_new(0);
    rp_part_ref *r;
    size_t n;
    const char *t1 = "Properly, quite exactly, pay attention to pArT c";
    assert_int_equal(rp_segment_user_refs(s, t1, strlen(t1), 3, a, &r, &n), RP_OK);
    assert_int_equal(n, 1);
    assert_true(has_ref(r, n, "3c"));
    const char *t2 = "Please queue the EXERCISE 1 first.";
    assert_int_equal(rp_segment_user_problem(s, t2, strlen(t2)), 1);
    const char *t3 = "QUE\xC5\xBFTION 3: what went wrong?";
    assert_int_equal(rp_segment_user_problem(s, t3, strlen(t3)), 3);
    const char *t4 = "Prob. 3 still fails; problems aside, p q e.";
    assert_int_equal(rp_segment_user_problem(s, t4, strlen(t4)), 3);
    const char *t5 = "pro qu exer par";
    assert_int_equal(rp_segment_user_problem(s, t5, strlen(t5)), 0);
    assert_int_equal(rp_segment_user_refs(s, t5, strlen(t5), 3, a, &r, &n), RP_OK);
    assert_int_equal(n, 0);
    rp_arena_free(a);
    rp_segmenter_free(s);
}

/* "Problem 3(c)" and "question 3, part (c)" name that part and its
 * problem, not every part of the problem; "redo problem 1" still names
 * them all; a problem's title words pick it when nothing else does. */
static void test_problem_with_part(void **state)
{
    (void)state;
    rp_segmenter *s = rp_segmenter_new(&cat);
    rp_arena *a = rp_arena_new(0);
    rp_part_ref *r;
    size_t n;
    const char *t1 = "Problem 3(c): what is the output?";
    assert_int_equal(rp_segment_user_problem(s, t1, strlen(t1)), 3);
    assert_int_equal(rp_segment_user_refs(s, t1, strlen(t1), 0, a, &r, &n), RP_OK);
    assert_int_equal(n, 1);
    assert_true(has_ref(r, n, "3c"));
    const char *t2 = "Question 3, part (c) of my homework: the output?";
    assert_int_equal(rp_segment_user_problem(s, t2, strlen(t2)), 3);
    assert_int_equal(rp_segment_user_refs(s, t2, strlen(t2), 0, a, &r, &n), RP_OK);
    assert_int_equal(n, 1);
    assert_true(has_ref(r, n, "3c"));
    const char *t3 = "Please redo problem 1.";
    assert_int_equal(rp_segment_user_refs(s, t3, strlen(t3), 0, a, &r, &n), RP_OK);
    assert_true(has_ref(r, n, "1a"));
    assert_true(has_ref(r, n, "1b"));
    const char *t4 = "A question on the Newton-Schulz step: what does it cost?";
    assert_int_equal(rp_segment_user_problem(s, t4, strlen(t4)), 0);
    assert_int_equal(rp_segment_problem_by_cues(s, t4, strlen(t4)), 1);
    const char *t5 = "Newton-Schulz or a convolution?";
    assert_int_equal(rp_segment_problem_by_cues(s, t5, strlen(t5)), 0);
    rp_arena_free(a);
    rp_segmenter_free(s);
}

/* A turn about one sub-part (context 3d.i): its bare, bold sub-part labels
 * ("**i.**", "**ii.**") are that letter's. */
static void test_bold_sub_labels_in_context(void **state)
{
    (void)state;
    rp_segmenter *s = rp_segmenter_new(&cat);
    rp_arena *a = rp_arena_new(0);
    const char *t = "Fixed below.\n\n**i.** first $A$\n\n**ii.** second $B$\n";
    rp_part_span *sp;
    size_t ns;
    assert_int_equal(rp_segment_model_turn(s, t, strlen(t), 3, idx("3d.i"), a, &sp, &ns, NULL),
                     RP_OK);
    char buf[128];
    assert_int_equal(spans_for(sp, ns, t, "3d.i", buf, sizeof buf), 1);
    assert_non_null(strstr(buf, "first"));
    assert_int_equal(spans_for(sp, ns, t, "3d.ii", buf, sizeof buf), 1);
    assert_non_null(strstr(buf, "second"));
    /* the context of another problem does not carry its letter over */
    assert_int_equal(rp_segment_model_turn(s, t, strlen(t), 1, idx("3d.i"), a, &sp, &ns, NULL),
                     RP_OK);
    assert_int_equal(spans_for(sp, ns, t, "3d.ii", buf, sizeof buf), 0);
    rp_arena_free(a);
    rp_segmenter_free(s);
}

/* The fast way (anchored tries where start words stand, the patterns a
 * sentence's bytes allow, one walk for both problem patterns, labels
 * tried only on lines that start with a label's word) finds what the
 * plain way finds, on many generated texts made of the words and marks
 * the patterns look for, their near misses and neighbours. */
static void test_fast_equals_plain(void **state)
{
    (void)state;
    static const char *const toks[] = {
        "problem", "Problem ", "PROB.", "prob", "question", "QUE\xC5\xBFTION", "queue",
        "exercise", "Exerci", "ex", "part", "PART ", "parts", "pa", "apart", "pro", "qu",
        "p", "q", "e", "E", "P", " ", " ", "  ", "\n", ". ", "? ", "!", ".", ",", ", ",
        " and ", " or ", "&", "#", "(", ")", "(c)", "(d)(ii)", "(i)", "c", "d", "a", "i",
        "ii", "iii", "3", "1", "12", "3c", "1a", "3d.i", "2(e)", "7", "from ", "starting ",
        "onward", "x3", "1.3", "\xE2\x80\x9C", "\xC3\xA9", "\xE2\x84\xAA", ":", "-", "the ",
        "\n**", "\n- ", "\n### ", "\nAnswer for ", "\nfinal answer ", "\nFINAL  ANSWER to ",
        "\nPart ", "\n(", "\ni. ", "\nii) ", "\nv.", "\n3. Convolution", "\n1. Newton-Schulz",
        "\nan", "\nfin", "\nparticular", "\nin", "\nvery", "\n3d.ii - ", "\n12e:",
        "\nan\xC5\xBF" "wer (c)", "\nPROBLEM 3", "\nQuestion 1(b)"};
    const size_t nt = sizeof toks / sizeof *toks;
    rp_segmenter *fast = rp_segmenter_new(&cat), *plain = rp_segmenter_new(&cat);
    assert_non_null(fast);
    assert_non_null(plain);
    rp_segmenter_plain(plain, true);
    rp_arena *a = rp_arena_new(0);
    unsigned long seed = 12345;
    /* set in full: PCRE2's JIT search may read a few bytes past a subject
     * (within the buffer), which valgrind reports when they were never set */
    char text[1024] = {0};
    for (int round = 0; round < 20000; round++) {
        size_t len = rp_test_random_text(&seed, toks, nt, 1 + round % 24, text, sizeof text);
        assert_int_equal(rp_segment_user_problem(fast, text, len),
                         rp_segment_user_problem(plain, text, len));
        static const struct {
            int problem;
            const char *part;
        } mctx[] = {{0, NULL}, {3, "3d.i"}, {1, NULL}, {3, "3c"}};
        for (size_t m = 0; m < sizeof mctx / sizeof *mctx; m++) {
            size_t cp = mctx[m].part ? idx(mctx[m].part) : (size_t)-1;
            rp_part_span *sf, *sp;
            size_t nf, np;
            int pf = -1, pp = -1;
            assert_int_equal(rp_segment_model_turn(fast, text, len, mctx[m].problem, cp, a, &sf,
                                                   &nf, &pf),
                             RP_OK);
            assert_int_equal(rp_segment_model_turn(plain, text, len, mctx[m].problem, cp, a, &sp,
                                                   &np, &pp),
                             RP_OK);
            assert_int_equal(pf, pp);
            assert_int_equal(nf, np);
            for (size_t i = 0; i < nf; i++) {
                assert_int_equal(sf[i].part, sp[i].part);
                assert_int_equal(sf[i].start, sp[i].start);
                assert_int_equal(sf[i].end, sp[i].end);
                assert_int_equal(sf[i].labelled, sp[i].labelled);
            }
        }
        for (int ctx = 0; ctx <= 3; ctx += 3) {
            rp_part_ref *rf, *rp;
            size_t nf, np;
            assert_int_equal(rp_segment_user_refs(fast, text, len, ctx, a, &rf, &nf), RP_OK);
            assert_int_equal(rp_segment_user_refs(plain, text, len, ctx, a, &rp, &np), RP_OK);
            assert_int_equal(nf, np);
            for (size_t i = 0; i < nf; i++) {
                assert_int_equal(rf[i].part, rp[i].part);
                assert_int_equal(rf[i].start, rp[i].start);
                assert_int_equal(rf[i].end, rp[i].end);
                assert_int_equal(rf[i].at, rp[i].at);
            }
        }
    }
    rp_arena_free(a);
    rp_segmenter_free(fast);
    rp_segmenter_free(plain);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_problem_and_part_labels),
        cmocka_unit_test(test_context_answer_markers_and_roman),
        cmocka_unit_test(test_whole_letter_feeds_sub_parts),
        cmocka_unit_test(test_user_refs),
        cmocka_unit_test(test_start_filter),
        cmocka_unit_test(test_start_words),
        cmocka_unit_test(test_problem_with_part),
        cmocka_unit_test(test_bold_sub_labels_in_context),
        cmocka_unit_test(test_fast_equals_plain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
