/*
 * Unit tests of how the grader follows a conversation (issue 15): text
 * parts decided by their rubric patterns, unlabelled replies, corrections
 * read from the model's reaction, parts named by content, partial revisions,
 * prose answers and the report's warnings.  Each test grades a short
 * conversation written here against a small rubric written here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "redpen/grade.h"
#include "redpen/ingest.h"
#include "redpen/rubric.h"

#include <string.h>

/* Two problems: 1 about a toy layer (an expression part, a text part with
 * patterns, a tuple part), 2 about a toy pool (two expression parts). */
static const char rubric_json[] =
    "{\"id\": \"toy\", \"title\": \"Toy\", \"problems\": ["
    " {\"number\": 1, \"title\": \"Toy layer\", \"cues\": [\"toy layer\"],"
    "  \"vars\": [{\"name\": \"a\", \"min\": 1, \"max\": 9}, {\"name\": \"b\", \"min\": 1, \"max\": 9}],"
    "  \"parts\": ["
    "  {\"id\": \"1a\", \"title\": \"Weight count of the toy layer\", \"targets\": [\"n\"],"
    "   \"answer\": {\"kind\": \"expr\", \"latex\": \"2ab\"}},"
    "  {\"id\": \"1b\", \"title\": \"Why the toy layer is stable\", \"targets\": [\"stable\"],"
    "   \"answer\": {\"kind\": \"text\", \"points\": [\"bounded\", \"contraction\"],"
    "                \"patterns\": [\"bounded\", \"contract\"]}},"
    "  {\"id\": \"1c\", \"title\": \"Size and depth of the toy layer\", \"targets\": [\"size\", \"depth\"],"
    "   \"answer\": {\"kind\": \"tuple\", \"items\": ["
    "     {\"name\": \"size\", \"answer\": {\"kind\": \"expr\", \"latex\": \"a+b\"}},"
    "     {\"name\": \"depth\", \"answer\": {\"kind\": \"expr\", \"latex\": \"ab+1\"}}]}}"
    "  ]},"
    " {\"number\": 2, \"title\": \"Toy pool\", \"cues\": [\"toy pool\"],"
    "  \"vars\": [{\"name\": \"a\", \"min\": 1, \"max\": 9}, {\"name\": \"b\", \"min\": 1, \"max\": 9}],"
    "  \"parts\": ["
    "  {\"id\": \"2a\", \"title\": \"Pool width\", \"targets\": [\"w\"],"
    "   \"answer\": {\"kind\": \"expr\", \"latex\": \"a+1\"}},"
    "  {\"id\": \"2b\", \"title\": \"Pool height\", \"targets\": [\"h\"],"
    "   \"answer\": {\"kind\": \"expr\", \"latex\": \"b+1\"}}"
    "  ]}]}";

typedef struct graded {
    rp_rubric *r;
    rp_transcript_set ts;
    rp_report *rep;
    rp_diags d;
} graded;

static void grade(graded *g, const char *conversation)
{
    memset(g, 0, sizeof *g);
    assert_int_equal(rp_diags_init(&g->d), RP_OK);
    assert_int_equal(rp_rubric_parse("toy.json", rubric_json, strlen(rubric_json), NULL, &g->r,
                                     &g->d),
                     RP_OK);
    assert_int_equal(rp_rubric_solve(g->r, &g->d), RP_OK);
    rp_ingest_opts io;
    memset(&io, 0, sizeof io);
    io.format = "markdown";
    assert_int_equal(rp_ingest_buffer("toy.md", conversation, strlen(conversation), &io, &g->ts,
                                      &g->d),
                     RP_OK);
    assert_int_equal(g->ts.n, 1);
    assert_int_equal(rp_grade_transcript(g->ts.items[0], g->r, NULL, &g->rep, &g->d), RP_OK);
}

static void done(graded *g)
{
    rp_report_free(g->rep);
    rp_transcript_set_free(&g->ts);
    rp_rubric_free(g->r);
    rp_diags_free(&g->d);
}

static const rp_part_result *part(graded *g, const char *id)
{
    for (size_t i = 0; i < g->rep->n_parts; i++)
        if (strcmp(g->rep->parts[i].part, id) == 0)
            return &g->rep->parts[i];
    fail_msg("no part %s", id);
    return NULL;
}

/* A text part with patterns is decided by them, without a judge. */
static void test_text_part_by_patterns(void **state)
{
    (void)state;
    graded g;
    grade(&g, "## User\n\nToy layer, part (b): why is it stable?\n\n"
              "## Assistant\n\n**(b)** Its output stays bounded because each step is a "
              "contraction.\n\n"
              "## User\n\nToy layer (b) again, shorter please.\n\n"
              "## Assistant\n\n**(b)** It is bounded.\n");
    const rp_part_result *p = part(&g, "1b");
    assert_int_equal(p->n_attempts, 2);
    assert_int_equal(p->first.verdict, RP_VERDICT_PASS);
    assert_int_equal(p->final.verdict, RP_VERDICT_FAIL);
    assert_string_equal(p->final.category, "missing_point");
    assert_non_null(strstr(p->final.detail, "contract"));
    done(&g);
}

/* A reply without labels to a question about one part answers that part;
 * "Toy layer, part (a)" sets the problem by its title words. */
static void test_unlabelled_reply(void **state)
{
    (void)state;
    graded g;
    grade(&g, "## User\n\nToy layer, part (a): how many weights?\n\n"
              "## Assistant\n\nEach of the two maps has $ab$ weights, so $n = 2ab$.\n");
    const rp_part_result *p = part(&g, "1a");
    assert_int_equal(p->n_attempts, 1);
    assert_int_equal(p->first.verdict, RP_VERDICT_PASS);
    assert_int_equal(g.rep->summary.answered, 1);
    done(&g);
}

/* No cue word: the model's new, different answer after the user's turn
 * shows that the turn corrected the part. */
static void test_correction_from_reaction(void **state)
{
    (void)state;
    graded g;
    grade(&g, "## User\n\nToy layer, part (a): how many weights?\n\n"
              "## Assistant\n\n**(a)** $n = ab$\n\n"
              "## User\n\nFor (a) I count twice that many. Look at the count once more.\n\n"
              "## Assistant\n\n**(a)** There are two maps: $n = 2ab$.\n");
    const rp_part_result *p = part(&g, "1a");
    assert_int_equal(p->n_attempts, 2);
    assert_int_equal(p->first.verdict, RP_VERDICT_FAIL);
    assert_int_equal(p->final.verdict, RP_VERDICT_PASS);
    assert_int_equal(p->n_corrections, 1);
    assert_int_equal(p->corrections[0].turn, 3);
    assert_int_equal(p->corrections[0].kind, RP_CORR_NUDGE);
    done(&g);
}

/* The same answer again is no evidence; neither is a change after the user
 * only approved. */
static void test_no_correction_without_reaction(void **state)
{
    (void)state;
    graded g;
    grade(&g, "## User\n\nToy layer, part (a): how many weights?\n\n"
              "## Assistant\n\n**(a)** $n = ab$\n\n"
              "## User\n\nFor (a), can you show the steps?\n\n"
              "## Assistant\n\n**(a)** Each map has $ab$ weights, one map: $n = ab$\n\n"
              "## User\n\nPart (a) looks good, thanks. Write it as a product.\n\n"
              "## Assistant\n\n**(a)** $n = a \\cdot b$\n");
    const rp_part_result *p = part(&g, "1a");
    assert_int_equal(p->n_attempts, 3);
    assert_int_equal(p->n_corrections, 0);
    done(&g);
}

/* A part named by its rubric words ("your weight count") in a clause that
 * objects; an intermediate fact (math) makes the correction a hint. */
static void test_part_named_by_content(void **state)
{
    (void)state;
    graded g;
    grade(&g, "## User\n\nToy layer: (a) the weights and (c) the size and depth.\n\n"
              "## Assistant\n\n**(a)** $n = ab$\n\n**(c)** size $a+b$, depth $ab$\n\n"
              "## User\n\nPart (c) is wrong. Your weight count also forgets the factor $2$.\n\n"
              "## Assistant\n\n**(a)** $n = 2ab$\n\n**(c)** size $a+b$, depth $ab+1$\n");
    const rp_part_result *a = part(&g, "1a");
    assert_int_equal(a->n_corrections, 1);
    assert_int_equal(a->corrections[0].turn, 3);
    assert_int_equal(a->corrections[0].kind, RP_CORR_HINT);
    const rp_part_result *c = part(&g, "1c");
    assert_int_equal(c->n_corrections, 1);
    done(&g);
}

/* A conversation about something else: no part answered, and the report
 * says so (warnings and a diagnostic) instead of a silent all-missing. */
static void test_warning_when_nothing_answered(void **state)
{
    (void)state;
    graded g;
    grade(&g, "## User\n\nHow do I reverse a string in Python?\n\n"
              "## Assistant\n\nUse slicing: `s[::-1]`.\n");
    assert_int_equal(g.rep->summary.answered, 0);
    assert_int_equal(g.rep->n_warnings, 1);
    assert_non_null(strstr(g.rep->warnings[0], "no part of rubric toy was answered"));
    assert_non_null(g.d.head);
    assert_non_null(strstr(g.d.head->msg, "is this the right rubric?"));
    done(&g);
    /* a conversation that names its problem: no warning */
    grade(&g, "## User\n\nToy layer, part (a): how many weights?\n\n"
              "## Assistant\n\n$n = 2ab$\n");
    assert_int_equal(g.rep->n_warnings, 0);
    done(&g);
}

/* A reply without headings answering two parts: split at the sentence
 * that names the second by its label; the lead answers the other part
 * asked about. */
static void test_multi_part_reply_without_headings(void **state)
{
    (void)state;
    graded g;
    grade(&g, "## User\n\nToy pool, (a) the width and (b) the height?\n\n"
              "## Assistant\n\n**(a)** $w = a$\n\n**(b)** $h = b$\n\n"
              "## User\n\nBoth (a) and (b) are one short.\n\n"
              "## Assistant\n\nYes, the window fits once more, so $w = a+1$. "
              "As for (b), the same count gives $h = b+1$.\n");
    const rp_part_result *a = part(&g, "2a");
    const rp_part_result *b = part(&g, "2b");
    assert_int_equal(a->n_attempts, 2);
    assert_int_equal(a->final.verdict, RP_VERDICT_PASS);
    assert_int_equal(b->n_attempts, 2);
    assert_int_equal(b->final.verdict, RP_VERDICT_PASS);
    assert_int_equal(a->n_corrections, 1);
    assert_int_equal(b->n_corrections, 1);
    done(&g);
}

/* Text before the first label answers the part the user asked about. */
static void test_preamble_before_label(void **state)
{
    (void)state;
    graded g;
    grade(&g, "## User\n\nToy pool, (a) the width and (b) the height?\n\n"
              "## Assistant\n\n**(a)** $w = a$\n\n**(b)** $h = b$\n\n"
              "## User\n\n(a) is one short.\n\n"
              "## Assistant\n\nRight: $w = a+1$.\n\n**(b)** Unchanged, $h = b+1$.\n");
    const rp_part_result *a = part(&g, "2a");
    assert_int_equal(a->n_attempts, 2);
    assert_int_equal(a->final.verdict, RP_VERDICT_PASS);
    done(&g);
}

/* A revision that restates one component keeps the other from before. */
static void test_partial_revision_merged(void **state)
{
    (void)state;
    graded g;
    grade(&g, "## User\n\nToy layer, part (c): the size and the depth?\n\n"
              "## Assistant\n\n**(c)**\n- size: $a+b$\n- depth: $ab$\n\n"
              "## User\n\nIn (c) the depth is one short.\n\n"
              "## Assistant\n\n**(c)** Counting the input too, the depth is $ab+1$.\n");
    const rp_part_result *c = part(&g, "1c");
    assert_int_equal(c->n_attempts, 2);
    assert_int_equal(c->first.verdict, RP_VERDICT_FAIL);
    assert_int_equal(c->final.verdict, RP_VERDICT_PASS);
    assert_non_null(strstr(c->final.claim, "size: a+b"));
    done(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_part_by_patterns),
        cmocka_unit_test(test_unlabelled_reply),
        cmocka_unit_test(test_correction_from_reaction),
        cmocka_unit_test(test_no_correction_without_reaction),
        cmocka_unit_test(test_part_named_by_content),
        cmocka_unit_test(test_warning_when_nothing_answered),
        cmocka_unit_test(test_multi_part_reply_without_headings),
        cmocka_unit_test(test_preamble_before_label),
        cmocka_unit_test(test_partial_revision_merged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
