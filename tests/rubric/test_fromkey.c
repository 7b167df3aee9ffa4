/*
 * Unit tests of answer keys (src/rubric/fromkey.c): a CSV or JSON key
 * becomes a rubric that validates, with the kinds inferred from the
 * answers, problems from the part ids, targets from the titles' math and
 * patterns from /regex/ points; bad keys name the line or the JSON path.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "redpen/rubric.h"

#include <stdio.h>
#include <string.h>

/* Build the rubric of key text; diagnostics into d (initialised). */
static rp_status from_text(const char *label, const char *key, rp_rubric **r, rp_diags *d)
{
    rp_buf js;
    rp_buf_init(&js, 0);
    *r = NULL;
    rp_status st = rp_rubric_key_json(label, key, strlen(key), &js, d);
    if (st == RP_OK)
        st = rp_rubric_parse(label, js.data, js.len, NULL, r, d);
    if (st == RP_OK)
        st = rp_rubric_solve(*r, d);
    rp_buf_free(&js);
    return st;
}

/* The text of every diagnostic, one a line. */
static void diag_text(const rp_diags *d, char *out, size_t cap)
{
    size_t k = 0;
    out[0] = '\0';
    for (const rp_diag *g = d->head; g && k + 1 < cap; g = g->next) {
        int w = snprintf(out + k, cap - k, "%u %s %s\n", g->line, g->path ? g->path : "-",
                         g->msg);
        if (w < 0)
            break;
        k += (size_t)w < cap - k ? (size_t)w : cap - k - 1;
    }
}

static void test_csv_kinds(void **state)
{
    (void)state;
    rp_diags d;
    rp_diags_init(&d);
    rp_rubric *r;
    const char *key = "part,answer,title,points\n"
                      "1a,10(2x+1)^4,the derivative $f'(x)$\n"
                      "2a,\"[[1,3],[2,4]]\",the transpose $A^T$\n"
                      "3,,why it diverges,it overshoots;/overshoot/\n"
                      "4b,12 cm\n"
                      "5a,2c\\,d_{out}^2 d_{in}\n"
                      "6a,[[1,2],[3,4]]\n"; /* commas in brackets are the math's */
    assert_int_equal(from_text("k.csv", key, &r, &d), RP_OK);
    assert_int_equal(r->n_problems, 6);
    assert_string_equal(r->id, "k");
    const rp_part *p = rp_rubric_part(r, "1a");
    assert_non_null(p);
    assert_int_equal(p->truth->kind, RP_ANS_EXPR);
    assert_int_equal(p->n_targets, 1);
    assert_string_equal(p->targets[0], "f'(x)");
    p = rp_rubric_part(r, "2a");
    assert_int_equal(p->truth->kind, RP_ANS_MATRIX);
    assert_int_equal(p->truth->mat.rows, 2);
    assert_true(p->truth->mat.values[1] == 3.0); /* row-major: [1,3] first */
    p = rp_rubric_part(r, "3a"); /* "3" is part 3a */
    assert_non_null(p);
    assert_int_equal(p->truth->kind, RP_ANS_TEXT);
    assert_int_equal(p->truth->n_points, 1);
    assert_int_equal(p->truth->n_patterns, 1);
    assert_string_equal(p->truth->patterns[0], "overshoot");
    p = rp_rubric_part(r, "4b");
    assert_string_equal(p->truth->latex, "12\\,\\text{cm}");
    p = rp_rubric_part(r, "5a"); /* the backslash-comma is LaTeX, not a separator */
    assert_string_equal(p->truth->latex, "2c\\,d_{out}^2 d_{in}");
    assert_int_equal(rp_rubric_part(r, "6a")->truth->kind, RP_ANS_MATRIX);
    rp_rubric_free(r);
    rp_diags_free(&d);
}

static void test_json_kinds(void **state)
{
    (void)state;
    rp_diags d;
    rp_diags_init(&d);
    rp_rubric *r;
    const char *key = "{\"1a\": \"1/√d_in\", \"3c\": [[-40,-40],[-40,-40]], \"2a\": "
                      "{\"points\": [\"a\", \"b\"]}, \"4\": [1, 2, 3], \"5\": 3.5, "
                      "\"6b\": \"\\\\begin{bmatrix} 1 & x \\\\\\\\ 0 & 1 \\\\end{bmatrix}\"}";
    assert_int_equal(from_text("k.json", key, &r, &d), RP_OK);
    assert_int_equal(rp_rubric_part(r, "1a")->truth->kind, RP_ANS_EXPR);
    assert_int_equal(rp_rubric_part(r, "3c")->truth->kind, RP_ANS_MATRIX);
    assert_int_equal(rp_rubric_part(r, "2a")->truth->kind, RP_ANS_TEXT);
    assert_int_equal(rp_rubric_part(r, "4a")->truth->kind, RP_ANS_VECTOR);
    assert_string_equal(rp_rubric_part(r, "5a")->truth->latex, "3.5");
    const rp_answer *m = rp_rubric_part(r, "6b")->truth;
    assert_int_equal(m->kind, RP_ANS_MATRIX);
    assert_int_equal(m->mat.cols, 2);
    assert_false(m->mat.numeric); /* the cell x */
    rp_rubric_free(r);
    rp_diags_free(&d);
}

static void test_bad_csv_names_lines(void **state)
{
    (void)state;
    rp_diags d;
    rp_diags_init(&d);
    rp_rubric *r;
    assert_int_equal(from_text("b.csv", "1a,x\n1a,y\nzz,3\n2b\n", &r, &d), RP_EINPUT);
    assert_null(r);
    char t[2048];
    diag_text(&d, t, sizeof t);
    assert_non_null(strstr(t, "2 - part 1a is given twice"));
    assert_non_null(strstr(t, "3 - \"zz\" is not a part id"));
    assert_non_null(strstr(t, "4 - expected part,answer"));
    rp_diags_free(&d);
    rp_diags_init(&d);
    assert_int_equal(from_text("b.csv", "1a,\"\\begin{bmatrix}1&2\\\\3\\end{bmatrix}\"\n", &r, &d),
                     RP_EINPUT);
    diag_text(&d, t, sizeof t);
    assert_non_null(strstr(t, "1 - part 1a: a matrix whose rows differ in length"));
    rp_diags_free(&d);
}

static void test_bad_json_names_paths(void **state)
{
    (void)state;
    rp_diags d;
    rp_diags_init(&d);
    rp_rubric *r;
    assert_int_equal(from_text("b.json", "{\"1a\": {\"answer\": [1, [2]], \"pts\": 1}}", &r, &d),
                     RP_EINPUT);
    char t[2048];
    diag_text(&d, t, sizeof t);
    assert_non_null(strstr(t, "$[\"1a\"].answer expected"));
    assert_non_null(strstr(t, "$[\"1a\"].pts unknown key"));
    rp_diags_free(&d);
    rp_diags_init(&d);
    assert_int_equal(from_text("b.json", "{\"1a\": ", &r, &d), RP_EINPUT);
    diag_text(&d, t, sizeof t);
    assert_non_null(strstr(t, "not valid JSON"));
    rp_diags_free(&d);
}

static void test_from_answer(void **state)
{
    (void)state;
    rp_diags d;
    rp_diags_init(&d);
    rp_rubric *r;
    assert_int_equal(rp_rubric_from_answer("--answer", "72", "How many pens?", &r, &d), RP_OK);
    assert_int_equal(r->n_parts, 1);
    assert_string_equal(r->parts[0].id, "1a");
    assert_string_equal(r->parts[0].title, "How many pens?");
    assert_string_equal(r->parts[0].truth->latex, "72");
    rp_rubric_free(r);
    /* prose is a text answer whose point is the sentence */
    assert_int_equal(rp_rubric_from_answer("--answer", "the gradient explodes with depth", NULL,
                                           &r, &d),
                     RP_OK);
    assert_int_equal(r->parts[0].truth->kind, RP_ANS_TEXT);
    rp_rubric_free(r);
    rp_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_kinds),
        cmocka_unit_test(test_json_kinds),
        cmocka_unit_test(test_bad_csv_names_lines),
        cmocka_unit_test(test_bad_json_names_paths),
        cmocka_unit_test(test_from_answer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
