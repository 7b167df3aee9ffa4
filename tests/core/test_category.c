/*
 * Unit tests of the category table: ids round-trip, every row is complete,
 * and the docs' table (README.md, "Error categories") lists exactly the
 * table's categories with the table's descriptions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "redpen/category.h"
#include "redpen/core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_ids_round_trip(void **state)
{
    (void)state;
    for (int c = RP_CAT_NONE + 1; c < RP_CAT_COUNT; c++) {
        const rp_category_info *i = rp_category_info_of((rp_category)c);
        assert_non_null(i);
        assert_int_equal(i->cat, c);
        assert_true(i->id[0] && i->name[0] && i->description[0]);
        assert_true(i->producers != 0);
        assert_int_equal(rp_category_from_id(i->id), c);
        assert_string_equal(rp_category_id((rp_category)c), i->id);
    }
    assert_null(rp_category_info_of(RP_CAT_NONE));
    assert_null(rp_category_info_of(RP_CAT_COUNT));
    assert_string_equal(rp_category_id(RP_CAT_NONE), "");
    assert_int_equal(rp_category_from_id("accept"), RP_CAT_NONE); /* a rubric's own */
    assert_int_equal(rp_category_from_id(NULL), RP_CAT_NONE);
    assert_int_equal(rp_category_from_id(""), RP_CAT_NONE);
    assert_int_equal(rp_category_from_id("wrong_unit"), RP_CAT_WRONG_UNIT);
}

/* Each row "| `id` | description |" of README's category table. */
static void test_readme_table_matches(void **state)
{
    (void)state;
    FILE *f = fopen(RP_SOURCE_ROOT "/README.md", "r");
    assert_non_null(f);
    char line[1024];
    bool in = false, seen[RP_CAT_COUNT] = {false};
    int rows = 0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "## ", 3) == 0)
            in = strcmp(line, "## Error categories\n") == 0;
        if (!in || strncmp(line, "| `", 3) != 0)
            continue;
        char *id = line + 3, *end = strchr(id, '`');
        assert_non_null(end);
        *end = 0;
        char *desc = end + 1;
        assert_true(strncmp(desc, " | ", 3) == 0);
        desc += 3;
        char *close = strstr(desc, " |\n");
        assert_non_null(close);
        *close = 0;
        rp_category c = rp_category_from_id(id);
        if (c == RP_CAT_NONE)
            fail_msg("README lists %s, which is not in the table", id);
        assert_string_equal(desc, rp_category_info_of(c)->description);
        seen[c] = true;
        rows++;
    }
    fclose(f);
    for (int c = RP_CAT_NONE + 1; c < RP_CAT_COUNT; c++)
        if (!seen[c])
            fail_msg("README's table lacks %s", rp_category_id((rp_category)c));
    assert_int_equal(rows, RP_CAT_COUNT - 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ids_round_trip),
        cmocka_unit_test(test_readme_table_matches),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
