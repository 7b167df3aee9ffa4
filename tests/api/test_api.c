/*
 * Unit tests of the public API (include/redpen/redpen.h), written as a
 * library user would: this file includes redpen.h and nothing else of
 * redpen's.
 */
#include "redpen/redpen.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#ifndef RP_SOURCE_ROOT
#define RP_SOURCE_ROOT "."
#endif

static char *slurp(const char *rel, size_t *n)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", RP_SOURCE_ROOT, rel);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)len + 1);
    assert_non_null(s);
    *n = fread(s, 1, (size_t)len, f);
    s[*n] = '\0';
    fclose(f);
    return s;
}

static void test_version(void **state)
{
    (void)state;
    assert_non_null(strchr(redpen_version(), '.'));
}

static void test_equiv(void **state)
{
    (void)state;
    char why[256];
    assert_int_equal(redpen_equiv("2c\\,d_{out}^2 d_{in}", "2*c*d_out^2*d_in", why, sizeof why),
                     REDPEN_EQUAL);
    assert_int_equal(redpen_equiv("2c\\,d_{out}^2 d_{in}", "2 d_{out}^2 d_{in}", why, sizeof why),
                     REDPEN_DIFFERENT);
    assert_non_null(strstr(why, "missing_factor"));
    assert_int_equal(redpen_equiv("\\frac{1}{2}", "\\frac{1}{", why, sizeof why), REDPEN_ERROR);
    assert_true(strncmp(why, "claim", 5) == 0);
    assert_null(strstr(why, "claim: claim")); /* the side named once */
    assert_int_equal(redpen_equiv("\\frac{1}{", "0.5", why, sizeof why), REDPEN_ERROR);
    assert_true(strncmp(why, "truth: ", 7) == 0);
    assert_null(strstr(why + 7, "truth"));
    /* a short buffer is truncated, never overrun */
    char tiny[8];
    memset(tiny, 'x', sizeof tiny);
    assert_int_equal(redpen_equiv("x", "2x", tiny, 4), REDPEN_DIFFERENT);
    assert_int_equal(strlen(tiny), 3);
    assert_int_equal(tiny[5], 'x');
    assert_int_equal(redpen_equiv(NULL, "x", NULL, 0), REDPEN_ERROR);
}

static void test_grade(void **state)
{
    (void)state;
    size_t n;
    char *text = slurp("transcripts/examples/openai-messages.json", &n);
    char *json = NULL, *err = NULL;
    int rc = redpen_grade(text, n, RP_SOURCE_ROOT "/rubrics/hw4.json", &json, &err);
    assert_int_equal(rc, 0);
    assert_null(err);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"schema\":\t1"));
    assert_non_null(strstr(json, "\"id\":\t\"hw4\""));
    assert_non_null(strstr(json, "\"parts\":"));
    redpen_free(json);
    free(text);
}

static void test_grade_errors(void **state)
{
    (void)state;
    char *json = (char *)1, *err = NULL;
    const char conv[] = "User: what is 2+2?\nAssistant: 4\n";
    int rc = redpen_grade(conv, sizeof conv - 1, "/nonexistent/rubric.json", &json, &err);
    assert_int_equal(rc, 2);
    assert_null(json);
    assert_non_null(err);
    assert_non_null(strstr(err, "/nonexistent/rubric.json"));
    redpen_free(err);
    assert_int_equal(redpen_grade(NULL, 0, NULL, &json, NULL), 2);
    redpen_free(NULL);
}

/* One question, one gold: the first answer is wrong, the user pushes
 * back, the second is right; no part labels anywhere. */
static void test_grade_gold(void **state)
{
    (void)state;
    const char *text = "User: A tank holds 40 litres and leaks 3 litres an hour. How many "
                       "litres are left after 6 hours?\n"
                       "Assistant: 40 - 3 = 37, so 37 litres are left.\n"
                       "User: That is one hour only. Try again.\n"
                       "Assistant: 6 hours lose 18 litres, so 40 - 18 = 22 litres are left.\n";
    char *json = NULL, *err = NULL;
    assert_int_equal(redpen_grade_gold(text, strlen(text), "22", &json, &err), 0);
    assert_null(err);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"fail\"")); /* first */
    assert_non_null(strstr(json, "\"pass\"")); /* final */
    redpen_free(json);
    json = NULL;
    assert_int_equal(redpen_grade_gold(text, strlen(text), NULL, &json, &err), 2);
    assert_null(json);
    assert_non_null(err);
    redpen_free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_equiv),
        cmocka_unit_test(test_grade),
        cmocka_unit_test(test_grade_errors),
        cmocka_unit_test(test_grade_gold),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
