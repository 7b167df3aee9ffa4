/*
 * Unit tests of src/core/datapath.c: the edit distance "did you mean"
 * measures, and the installed-data lookup relative to the executable.
 */
#include "redpen/core.h"

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

static void test_edit_distance(void **state)
{
    (void)state;
    assert_int_equal(rp_edit_distance("json", "json"), 0);
    assert_int_equal(rp_edit_distance("jsn", "json"), 1);     /* a letter left out */
    assert_int_equal(rp_edit_distance("cvs", "csv"), 1);      /* two letters swapped */
    assert_int_equal(rp_edit_distance("--formt", "--format"), 1);
    assert_int_equal(rp_edit_distance("GRADE", "grade"), 0);  /* case is not a typo */
    assert_int_equal(rp_edit_distance("", "md"), 2);
    assert_int_equal(rp_edit_distance("abc", "xyz"), 3);
    assert_int_equal(rp_edit_distance("pdf", "md"), 2);
    char long_name[80];
    memset(long_name, 'a', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    assert_int_equal(rp_edit_distance(long_name, "a"), 9); /* capped */
}

static bool never(const char *p)
{
    (void)p;
    return false;
}

static const char *seen[4];
static int n_seen;

static bool record(const char *p)
{
    if (n_seen < 4) {
        static char keep[4][PATH_MAX];
        snprintf(keep[n_seen], sizeof keep[n_seen], "%s", p);
        seen[n_seen] = keep[n_seen];
        n_seen++;
    }
    return false;
}

static void test_data_dir(void **state)
{
    (void)state;
    char buf[PATH_MAX], exe[PATH_MAX];
    assert_true(rp_exe_dir(exe, sizeof exe));
    struct stat sb;
    assert_int_equal(stat(exe, &sb), 0);
    assert_true(S_ISDIR(sb.st_mode));
    assert_false(rp_exe_dir(exe, 2)); /* does not fit */
    assert_false(rp_data_dir("rubrics", never, buf, sizeof buf));
    /* the configured folder first, then the one relative to the executable */
    n_seen = 0;
    rp_data_dir("katex", record, buf, sizeof buf);
    assert_int_equal(n_seen, 2);
    assert_non_null(strstr(seen[0], "/redpen/katex"));
    assert_true(rp_exe_dir(exe, sizeof exe));
    assert_memory_equal(seen[1], exe, strlen(exe));
    assert_non_null(strstr(seen[1], "/redpen/katex"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edit_distance),
        cmocka_unit_test(test_data_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
