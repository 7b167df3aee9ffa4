/*
 * Unit tests of the comparison memo (src/grade/memo.c): keys that differ in
 * any part miss, stored values come back, a full memo starts again, several
 * threads share one, and grading with a memo gives the very reports grading
 * without one gives.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/grade/grade_internal.h"
#include "redpen/ingest.h"
#include "redpen/report.h"
#include "redpen/rubric.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_round_trip(void **state)
{
    (void)state;
    rp_grade_memo *m = rp_grade_memo_new(0);
    assert_non_null(m);
    int r1 = 0, r2 = 0; /* two rubrics, told apart by address */
    double v = 0;
    assert_false(rp_grade_memo_get(m, &r1, "1a", "2ab", "ab", &v, sizeof v));
    double put = 42.5;
    rp_grade_memo_put(m, &r1, "1a", "2ab", "ab", &put, sizeof put);
    assert_true(rp_grade_memo_get(m, &r1, "1a", "2ab", "ab", &v, sizeof v));
    assert_true(v == 42.5);
    /* any part of the key differing misses */
    assert_false(rp_grade_memo_get(m, &r2, "1a", "2ab", "ab", &v, sizeof v));
    assert_false(rp_grade_memo_get(m, &r1, "1b", "2ab", "ab", &v, sizeof v));
    assert_false(rp_grade_memo_get(m, &r1, "1a", "2a", "bab", &v, sizeof v));
    assert_false(rp_grade_memo_get(m, &r1, "1a", "2ab", "ab ", &v, sizeof v));
    /* a value of another size is not this one */
    char c;
    assert_false(rp_grade_memo_get(m, &r1, "1a", "2ab", "ab", &c, sizeof c));
    size_t hits, misses;
    rp_grade_memo_stats(m, &hits, &misses);
    assert_int_equal(hits, 1);
    assert_int_equal(misses, 6);
    rp_grade_memo_free(m);
    rp_grade_memo_free(NULL);
}

static void test_bounded(void **state)
{
    (void)state;
    /* 64 KB: a few hundred records, then it starts again */
    rp_grade_memo *m = rp_grade_memo_new(64 << 10);
    assert_non_null(m);
    int r = 0;
    char claim[32];
    for (int i = 0; i < 20000; i++) {
        snprintf(claim, sizeof claim, "x_%d", i);
        rp_grade_memo_put(m, &r, "1a", "x", claim, &i, sizeof i);
        int back = -1;
        assert_true(rp_grade_memo_get(m, &r, "1a", "x", claim, &back, sizeof back));
        assert_int_equal(back, i);
    }
    /* the first ones are long forgotten */
    int back = -1;
    assert_false(rp_grade_memo_get(m, &r, "1a", "x", "x_0", &back, sizeof back));
    /* a truth longer than the key limit is never kept */
    static char big[8192];
    memset(big, 'a', sizeof big - 1);
    rp_grade_memo_put(m, &r, "1a", big, "x", &back, sizeof back);
    assert_false(rp_grade_memo_get(m, &r, "1a", big, "x", &back, sizeof back));
    rp_grade_memo_free(m);
}

typedef struct worker {
    rp_grade_memo *m;
    int id;
    int wrong;
} worker;

static void *hammer(void *arg)
{
    worker *w = arg;
    int r = 0;
    char claim[32];
    for (int i = 0; i < 3000; i++) {
        snprintf(claim, sizeof claim, "%d", i % 500);
        int v = i % 500, back = -1;
        if (rp_grade_memo_get(w->m, &r, "2e", "t", claim, &back, sizeof back)) {
            if (back != v)
                w->wrong++;
        } else {
            rp_grade_memo_put(w->m, &r, "2e", "t", claim, &v, sizeof v);
        }
    }
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    rp_grade_memo *m = rp_grade_memo_new(0);
    assert_non_null(m);
    pthread_t th[4];
    worker w[4];
    for (int i = 0; i < 4; i++) {
        w[i] = (worker){m, i, 0};
        assert_int_equal(pthread_create(&th[i], NULL, hammer, &w[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(w[i].wrong, 0);
    }
    size_t hits, misses;
    rp_grade_memo_stats(m, &hits, &misses);
    assert_int_equal(hits + misses, 4 * 3000);
    assert_true(hits >= 4 * 3000 - 4 * 500);
    rp_grade_memo_free(m);
}

/* ---------------------------------------------- same reports with a memo */

static const char rubric_json[] =
    "{\"id\": \"toy\", \"title\": \"Toy\", \"problems\": [{\"number\": 1, \"title\": \"Toy\","
    " \"cues\": [\"toy\"],"
    " \"vars\": [{\"name\": \"a\", \"min\": 1, \"max\": 9}, {\"name\": \"b\", \"min\": 1, \"max\": 9}],"
    " \"parts\": ["
    "  {\"id\": \"1a\", \"title\": \"x\", \"targets\": [\"x\"],"
    "   \"answer\": {\"kind\": \"expr\", \"latex\": \"2ab\"},"
    "   \"variants\": [{\"answer\": {\"kind\": \"expr\", \"latex\": \"ab\"}, \"category\": \"missing_factor\","
    "                   \"detail\": \"missing the factor 2\"}]},"
    "  {\"id\": \"1b\", \"title\": \"y\", \"targets\": [\"y\"],"
    "   \"answer\": {\"kind\": \"expr\", \"latex\": \"a+b\"}}"
    " ]}]}";

static const char conversation[] =
    "## User\n\nToy problem 1: find x and y.\n\n"
    "## Assistant\n\n**(a)** Answer: $x = a b$\n\n**(b)** $y = a - b$\n\n"
    "## User\n\nPart a is incorrect, a factor is missing. Part b is wrong too.\n\n"
    "## Assistant\n\n**(a)** Answer: $x = 2ab$\n\n**(b)** $y = b + a$\n";

static char *graded_json(rp_rubric *r, const rp_transcript *t, rp_grade_memo *memo)
{
    rp_grade_opts go;
    memset(&go, 0, sizeof go);
    go.memo = memo;
    rp_diags d;
    assert_int_equal(rp_diags_init(&d), RP_OK);
    rp_report *rep = NULL;
    assert_int_equal(rp_grade_transcript(t, r, &go, &rep, &d), RP_OK);
    rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_report_write_json(rep, false, &b), RP_OK);
    char *s = strdup(b.data);
    rp_buf_free(&b);
    rp_report_free(rep);
    rp_diags_free(&d);
    return s;
}

/* The toy rubric, solved, and the conversation read. */
typedef struct toy {
    rp_diags d;
    rp_rubric *r;
    rp_transcript_set ts;
} toy;

static void load_toy(rp_diags *d, rp_rubric **r, rp_transcript_set *ts)
{
    assert_int_equal(rp_diags_init(d), RP_OK);
    assert_int_equal(rp_rubric_parse("toy.json", rubric_json, strlen(rubric_json), NULL, r, d),
                     RP_OK);
    assert_int_equal(rp_rubric_solve(*r, d), RP_OK);
    rp_ingest_opts io;
    memset(&io, 0, sizeof io);
    io.format = "markdown";
    assert_int_equal(rp_ingest_buffer("toy.md", conversation, strlen(conversation), &io, ts, d),
                     RP_OK);
}

static void toy_free(toy *T)
{
    rp_transcript_set_free(&T->ts);
    rp_rubric_free(T->r);
    rp_diags_free(&T->d);
}

static void test_same_reports(void **state)
{
    (void)state;
    toy T = {0};
    load_toy(&T.d, &T.r, &T.ts);
    rp_rubric *r = T.r;
    rp_transcript_set ts = T.ts;
    assert_int_equal(ts.n, 1);
    char *plain = graded_json(r, ts.items[0], NULL);
    rp_grade_memo *m = rp_grade_memo_new(0);
    char *first = graded_json(r, ts.items[0], m);
    size_t hits0, misses0;
    rp_grade_memo_stats(m, &hits0, &misses0);
    char *second = graded_json(r, ts.items[0], m);
    size_t hits1, misses1;
    rp_grade_memo_stats(m, &hits1, &misses1);
    assert_string_equal(plain, first);
    assert_string_equal(plain, second);
    assert_true(misses0 > 0);
    assert_int_equal(misses1, misses0); /* the second time everything is known */
    assert_true(hits1 > hits0);
    /* the report says what was wrong, from the memo as well */
    assert_non_null(strstr(second, "missing_factor"));
    free(plain);
    free(first);
    free(second);
    rp_grade_memo_free(m);
    toy_free(&T);
}

/* A memo of views only: one grading view per rubric, shared by every
 * transcript, and no claim remembered (each compared anew), with the very
 * reports grading without a memo gives. */
static void test_views_only(void **state)
{
    (void)state;
    toy T = {0};
    load_toy(&T.d, &T.r, &T.ts);
    rp_rubric *r = T.r;
    rp_transcript_set ts = T.ts;
    char *plain = graded_json(r, ts.items[0], NULL);
    rp_grade_memo *m = rp_grade_memo_new_views();
    assert_non_null(m);
    assert_false(rp_grade_memo_claims(m));
    assert_false(rp_grade_memo_claims(NULL));
    char *first = graded_json(r, ts.items[0], m);
    char *second = graded_json(r, ts.items[0], m);
    assert_string_equal(plain, first);
    assert_string_equal(plain, second);
    /* the view is built once and kept */
    rp_status st;
    const grubric *g1 = rp_grade_memo_view(m, r, &T.d, &st);
    assert_int_equal(st, RP_OK);
    const grubric *g2 = rp_grade_memo_view(m, r, &T.d, &st);
    assert_non_null(g1);
    assert_ptr_equal(g1, g2);
    /* its parts compare without the memo */
    for (size_t i = 0; i < g1->n_parts; i++)
        assert_null(g1->parts[i].memo);
    size_t hits, misses;
    rp_grade_memo_stats(m, &hits, &misses);
    assert_int_equal(hits, 0);
    free(plain);
    free(first);
    free(second);
    rp_grade_memo_free(m);
    toy_free(&T);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_bounded),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_same_reports),
        cmocka_unit_test(test_views_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
