/*
 * Unit tests of the grader on a small rubric and conversation written
 * here: variants, swapped tuples, bounds, shapes, corrections and their
 * kinds, reveals, and parts never answered.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/grade/grade_internal.h"
#include "../common/random_text.h"
#include "redpen/grade.h"
#include "redpen/ingest.h"
#include "redpen/rubric.h"

#include <string.h>

static const char rubric_json[] =
    "{\"id\": \"toy\", \"title\": \"Toy\", \"problems\": [{\"number\": 1, \"title\": \"Toy scaling\","
    " \"cues\": [\"toy scaling\"],"
    " \"vars\": [{\"name\": \"a\", \"min\": 1, \"max\": 9}, {\"name\": \"b\", \"min\": 1, \"max\": 9}],"
    " \"parts\": ["
    "  {\"id\": \"1a\", \"title\": \"x\", \"targets\": [\"x\"],"
    "   \"answer\": {\"kind\": \"expr\", \"latex\": \"2ab\"},"
    "   \"variants\": [{\"answer\": {\"kind\": \"expr\", \"latex\": \"ab\"}, \"category\": \"missing_factor\","
    "                   \"detail\": \"missing the factor 2\"}]},"
    "  {\"id\": \"1b\", \"title\": \"g\", \"targets\": [\"g_1\", \"g_2\"],"
    "   \"answer\": {\"kind\": \"tuple\", \"items\": ["
    "     {\"name\": \"g_1\", \"answer\": {\"kind\": \"expr\", \"latex\": \"a\"}},"
    "     {\"name\": \"g_2\", \"answer\": {\"kind\": \"expr\", \"latex\": \"b\"}}]}},"
    "  {\"id\": \"1c\", \"title\": \"z\", \"targets\": [\"z\"],"
    "   \"answer\": {\"kind\": \"expr\", \"latex\": \"a+b\"}},"
    "  {\"id\": \"1d\", \"title\": \"shape\", \"targets\": [\"shape\"],"
    "   \"answer\": {\"kind\": \"expr\", \"latex\": \"\\\\left(a+1\\\\right) \\\\times \\\\left(b+1\\\\right) \\\\times 3\"}},"
    "  {\"id\": \"1e\", \"title\": \"never\", \"targets\": [\"w\"],"
    "   \"answer\": {\"kind\": \"expr\", \"latex\": \"a\"}}"
    " ]}]}";

static const char conversation[] =
    "## User\n\nToy scaling problem 1: find x, g_1 and g_2, z and the output shape.\n\n"
    "## Assistant\n\n**(a)** Answer: $x = a b$\n\n**(b)** $g_1 = b$ and $g_2 = a$\n\n"
    "**(c)** We get $z \\le a + b$.\n\n**(d)** The output shape is $a + 1 \\times b + 1 \\times 3$.\n\n"
    "## User\n\nYour answer for part a is incorrect: you are missing a factor of 2.\n\n"
    "## Assistant\n\n**(a)** Answer: $x = 2ab$\n\n"
    "## User\n\nThe solution for part b is $g_1 = a$, $g_2 = b$.\n\n"
    "## Assistant\n\n**(b)** $g_1 = a$ and $g_2 = b$\n";

typedef struct fixture {
    rp_rubric *r;
    rp_transcript_set ts;
    rp_report *rep;
    rp_diags d;
} fixture;

static int setup(void **state)
{
    static fixture f;
    memset(&f, 0, sizeof f);
    assert_int_equal(rp_diags_init(&f.d), RP_OK);
    assert_int_equal(rp_rubric_parse("toy.json", rubric_json, strlen(rubric_json), NULL, &f.r, &f.d),
                     RP_OK);
    assert_int_equal(rp_rubric_solve(f.r, &f.d), RP_OK);
    rp_ingest_opts io;
    memset(&io, 0, sizeof io);
    io.format = "markdown";
    assert_int_equal(rp_ingest_buffer("toy.md", conversation, strlen(conversation), &io, &f.ts, &f.d),
                     RP_OK);
    assert_int_equal(f.ts.n, 1);
    assert_int_equal(rp_grade_transcript(f.ts.items[0], f.r, NULL, &f.rep, &f.d), RP_OK);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    rp_report_free(f->rep);
    rp_transcript_set_free(&f->ts);
    rp_rubric_free(f->r);
    rp_diags_free(&f->d);
    return 0;
}

static const rp_part_result *part(fixture *f, const char *id)
{
    for (size_t i = 0; i < f->rep->n_parts; i++)
        if (strcmp(f->rep->parts[i].part, id) == 0)
            return &f->rep->parts[i];
    fail_msg("no part %s", id);
    return NULL;
}

static void test_variant_then_hint(void **state)
{
    fixture *f = *state;
    const rp_part_result *p = part(f, "1a");
    assert_int_equal(p->n_attempts, 2);
    assert_int_equal(p->first.verdict, RP_VERDICT_FAIL);
    assert_int_equal(p->first.turn, 2);
    assert_string_equal(p->first.category, "missing_factor");
    assert_string_equal(p->first.detail, "missing the factor 2");
    assert_int_equal(p->final.verdict, RP_VERDICT_PASS);
    assert_int_equal(p->final.turn, 4);
    assert_int_equal(p->n_corrections, 1);
    assert_int_equal(p->corrections[0].turn, 3);
    assert_int_equal(p->corrections[0].kind, RP_CORR_HINT);
    assert_false(p->revealed);
}

static void test_swapped_then_solution_reveals(void **state)
{
    fixture *f = *state;
    const rp_part_result *p = part(f, "1b");
    assert_int_equal(p->first.verdict, RP_VERDICT_FAIL);
    assert_string_equal(p->first.category, "swapped");
    assert_int_equal(p->final.verdict, RP_VERDICT_PASS);
    assert_int_equal(p->final.turn, 6);
    assert_int_equal(p->n_corrections, 1);
    assert_int_equal(p->corrections[0].kind, RP_CORR_SOLUTION);
    assert_true(p->revealed);
}

static void test_bound_and_shape(void **state)
{
    fixture *f = *state;
    const rp_part_result *c = part(f, "1c");
    assert_int_equal(c->first.verdict, RP_VERDICT_FAIL);
    assert_string_equal(c->first.category, "inequality");
    /* a shape written without parentheses reads dimension by dimension */
    const rp_part_result *d = part(f, "1d");
    assert_int_equal(d->first.verdict, RP_VERDICT_PASS);
    /* a part never answered */
    const rp_part_result *e = part(f, "1e");
    assert_int_equal(e->first.verdict, RP_VERDICT_MISSING);
    assert_int_equal(e->n_attempts, 0);
    assert_int_equal(e->first.turn, 0);
}

static void test_summary(void **state)
{
    fixture *f = *state;
    assert_int_equal(f->rep->summary.parts, 5);
    assert_int_equal(f->rep->summary.answered, 4);
    assert_int_equal(f->rep->summary.first_pass, 1);
    assert_int_equal(f->rep->summary.final_pass, 3);
    assert_int_equal(f->rep->summary.corrections, 2);
    assert_int_equal(f->rep->summary.revealed, 1);
    assert_string_equal(f->rep->rubric_id, "toy");
}

static unsigned cues(const char *s)
{
    return rp_grade_find_cues(s, strlen(s));
}

/* The cue finder: every list in one pass, any case, whole phrases only. */
static void test_cues(void **state)
{
    (void)state;
    assert_true(rp_grade_cues_complete());
    assert_int_equal(cues(""), 0);
    assert_int_equal(cues("ok, thanks"), 0);
    assert_int_equal(cues("That is WRONG"), RP_CUE_NEGATIVE);
    assert_int_equal(cues("looks good"), RP_CUE_POSITIVE);
    assert_int_equal(cues("you are missing a sign"), RP_CUE_NEGATIVE | RP_CUE_HINT);
    assert_int_equal(cues("perfect, but the sign is flipped"),
                     RP_CUE_NEGATIVE | RP_CUE_POSITIVE | RP_CUE_HINT);
    /* a cue that is a suffix of another's prefix ("fli" of "flipped") */
    assert_int_equal(cues("flip"), RP_CUE_HINT);
    assert_int_equal(cues("redo"), RP_CUE_NEGATIVE);
    /* cut by n or by a NUL */
    assert_int_equal(rp_grade_find_cues("wrong", 4), 0);
    assert_int_equal(rp_grade_find_cues("ok\0wrong", 8), 0);
    /* the solution given, not the model's own */
    assert_int_equal(cues("The solution is 3"), RP_CUE_SOLUTION);
    assert_int_equal(cues("Solution: 3"), RP_CUE_SOLUTION);
    assert_int_equal(cues("your solution"), 0);
    assert_int_equal(cues("Your  solution: 3"), 0);
    assert_int_equal(cues("your solution, then the solution"), RP_CUE_SOLUTION);
    assert_int_equal(cues("check with the answer key"), RP_CUE_SOLUTION);
    /* after a "your" occurrence, the same cue resumes past its end */
    assert_int_equal(cues("your solution saysolution says"), 0);
    assert_int_equal(cues("your solution says solution says"), RP_CUE_SOLUTION);
}

/* Clauses the plain way: every byte looked at in turn. */
static size_t plain_clauses(const char *t, size_t n, rp_clause *out, size_t max)
{
    size_t cnt = 0, a = 0;
    for (size_t i = 0; i <= n && cnt < max; i++) {
        bool cut = i == n || t[i] == '\n' || t[i] == ';';
        bool stop = i < n && (t[i] == '.' || t[i] == '?' || t[i] == '!') &&
                    (i + 1 >= n || t[i + 1] == ' ' || t[i + 1] == '\n');
        cut |= i + 5 <= n && (memcmp(t + i, " but ", 5) == 0 || memcmp(t + i, ", but", 5) == 0);
        if (!cut && !stop)
            continue;
        size_t b = stop ? i + 1 : i;
        if (b > a) {
            out[cnt].a = a;
            out[cnt].b = b;
            cnt++;
        }
        a = i + 1;
    }
    return cnt;
}

/* The clause splitter, which stops only at the bytes that can end a clause
 * (a " but " at its 'b'), cuts where the plain way does, on many generated
 * texts, with room for all clauses or for a few. */
static void test_split_clauses(void **state)
{
    (void)state;
    static const char *const toks[] = {" but ", ", but", "but", " but", ",but ", "b", " b",
                                       ", ", ",", " ", "  ", ".", ". ", "?", "!\n", "\n", ";",
                                       "x", "ab", "1.5", "e.g.", "butter", " But "};
    const size_t nt = sizeof toks / sizeof *toks;
    unsigned long seed = 7;
    char text[512];
    rp_clause f[64], p[64];
    for (int round = 0; round < 20000; round++) {
        size_t len = rp_test_random_text(&seed, toks, nt, round % 30, text, sizeof text);
        size_t max = round % 3 ? 64 : 1 + (size_t)round % 4;
        size_t nf = rp_grade_split_clauses(text, len, f, max);
        size_t np = plain_clauses(text, len, p, max);
        assert_int_equal(nf, np);
        for (size_t i = 0; i < nf; i++) {
            assert_int_equal(f[i].a, p[i].a);
            assert_int_equal(f[i].b, p[i].b);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_variant_then_hint),
        cmocka_unit_test(test_swapped_then_solution_reveals),
        cmocka_unit_test(test_bound_and_shape),
        cmocka_unit_test(test_summary),
        cmocka_unit_test(test_cues),
        cmocka_unit_test(test_split_clauses),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
