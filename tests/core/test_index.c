/*
 * Unit tests of the core index (redpen/index.h): finding entries among
 * many, through growth of the index and moves of the list; the first of
 * equal keys keeping its slot across a rebuild; a folding kind finding
 * the same entry under other spellings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "redpen/index.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct list {
    char **s;
    size_t n;
} list;

static const char *list_key(const void *ctx, size_t i)
{
    return ((const list *)ctx)->s[i];
}

/* Appends s to l (moving the list each time) unless it is there;
 * returns its position. */
static size_t add(rp_index *x, list *l, const char *s)
{
    assert_int_equal(rp_index_reserve(x, l->n), RP_OK);
    size_t *slot = rp_index_slot(x, s);
    if (*slot)
        return *slot - 1;
    char **moved = malloc((l->n + 1) * sizeof *moved);
    assert_non_null(moved);
    if (l->n)
        memcpy(moved, l->s, l->n * sizeof *moved);
    free(l->s);
    l->s = moved;
    l->s[l->n] = strdup(s);
    *slot = ++l->n;
    return l->n - 1;
}

static void free_list(list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->s[i]);
    free(l->s);
}

static void test_many(void **state)
{
    (void)state;
    static const rp_index_kind kind = {list_key, NULL, NULL};
    list l = {NULL, 0};
    rp_index x;
    rp_index_init(&x, &kind, &l);
    char name[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(name, sizeof name, "part-%d", i);
        assert_int_equal(add(&x, &l, name), (size_t)i);
    }
    for (int i = 4999; i >= 0; i--) {
        snprintf(name, sizeof name, "part-%d", i);
        assert_int_equal(add(&x, &l, name), (size_t)i);
    }
    assert_int_equal(l.n, 5000);
    assert_true(x.cap >= 2 * 5000);
    assert_int_equal(*rp_index_slot(&x, "part-5000"), 0);
    rp_index_free(&x);
    free_list(&l);
}

/* A list may hold equal keys (compare gives each part without an id a row
 * of its own): the index finds the first, before and after a rebuild. */
static void test_first_of_equal(void **state)
{
    (void)state;
    static const rp_index_kind kind = {list_key, NULL, NULL};
    char *items[200];
    list l = {items, 0};
    rp_index x;
    rp_index_init(&x, &kind, &l);
    for (size_t i = 0; i < 200; i++) {
        items[i] = i % 2 ? "same" : "other";
        if (i < 2) {
            assert_int_equal(rp_index_reserve(&x, i), RP_OK);
            size_t *s = rp_index_slot(&x, items[i]);
            *s = i + 1;
        }
        l.n = i + 1;
    }
    assert_int_equal(*rp_index_slot(&x, "same"), 2);
    size_t cap = x.cap;
    assert_int_equal(rp_index_reserve(&x, l.n), RP_OK); /* rebuilt from all 200 */
    assert_true(x.cap > cap);
    assert_int_equal(*rp_index_slot(&x, "same"), 2);
    assert_int_equal(*rp_index_slot(&x, "other"), 1);
    rp_index_free(&x);
}

static char fold_case(char c)
{
    return (char)tolower((unsigned char)c);
}

static bool eq_case(const char *a, const char *b)
{
    return strcasecmp(a, b) == 0;
}

static void test_folded(void **state)
{
    (void)state;
    static const rp_index_kind kind = {list_key, eq_case, fold_case};
    list l = {NULL, 0};
    rp_index x;
    rp_index_init(&x, &kind, &l);
    assert_int_equal(add(&x, &l, "GPT-4o"), 0);
    assert_int_equal(add(&x, &l, "Claude"), 1);
    assert_int_equal(add(&x, &l, "gpt-4O"), 0);
    assert_int_equal(add(&x, &l, "CLAUDE"), 1);
    assert_string_equal(l.s[0], "GPT-4o"); /* the first spelling stays */
    assert_int_equal(rp_hash_str("ab", fold_case), rp_hash_str("AB", fold_case));
    assert_true(rp_hash_str("ab", NULL) != rp_hash_str("AB", NULL));
    rp_index_free(&x);
    free_list(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_many),
        cmocka_unit_test(test_first_of_equal),
        cmocka_unit_test(test_folded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
