/*
 * Unit tests of the command line's argument parsing: what grade, compare,
 * extract and annotate read from argv (options with a value in both
 * spellings, flags, files in order, the input limits, --jobs), and which
 * command lines are usage errors (exit 2) or --help (exit 0).
 */
#include "cli.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void test_grade_options(void **state)
{
    (void)state;
    char *argv[] = {"grade", "a.txt", "--rubric", "r.json", "--format=jsonl", "-o", "out",
                    "--keep-going", "-", "--jobs", "3", "--no-memo", "--model=M",
                    "--max-line", "2K", "--rubric-dir", "dir", "--input-format", "sharegpt",
                    "b.md"};
    rp_grade_args o;
    assert_int_equal(rp_cli_grade_args(ARGC(argv), argv, &o), -1);
    assert_string_equal(o.rubric_path, "r.json");
    assert_string_equal(o.rubric_dir, "dir");
    assert_string_equal(o.format, "jsonl");
    assert_string_equal(o.out_path, "out");
    assert_string_equal(o.model, "M");
    assert_string_equal(o.input_format, "sharegpt");
    assert_true(o.keep_going);
    assert_true(o.no_memo);
    assert_false(o.no_cache);
    assert_int_equal(o.jobs, 3);
    assert_int_equal(o.limits.max_line, 2048);
    assert_int_equal(o.nfiles, 3);
    assert_string_equal(o.files[0], "a.txt");
    assert_string_equal(o.files[1], "-");
    assert_string_equal(o.files[2], "b.md");
    free(o.files);
}

static void test_grade_defaults(void **state)
{
    (void)state;
    char *argv[] = {"grade", "a.txt"};
    rp_grade_args o;
    assert_int_equal(rp_cli_grade_args(ARGC(argv), argv, &o), -1);
    assert_string_equal(o.format, "text");
    assert_int_equal(o.jobs, 1);
    assert_null(o.rubric_path);
    assert_null(o.rubric_dir);
    assert_null(o.out_path);
    assert_false(o.keep_going);
    assert_int_equal(o.limits.max_bytes, 0);
    free(o.files);
    /* --jobs 0: one thread per processor */
    char *zero[] = {"grade", "-j", "0", "a.txt"};
    assert_int_equal(rp_cli_grade_args(ARGC(zero), zero, &o), -1);
    assert_true(o.jobs >= 1);
    free(o.files);
}

/* Every bad command line is exit 2, --help exit 0. */
static void test_grade_usage_errors(void **state)
{
    (void)state;
    static const char *const bad[][4] = {
        {"grade", NULL},                          /* no file */
        {"grade", "a.txt", "--format", "pdf"},    /* not a grade format */
        {"grade", "a.txt", "--rubric", NULL},     /* option without its value */
        {"grade", "a.txt", "--colour", NULL},     /* unknown option */
        {"grade", "a.txt", "--jobs", "two"},      /* not a number */
        {"grade", "a.txt", "--jobs", "100000"},   /* too many threads */
        {"grade", "a.txt", "--max-input", "0"},   /* a limit of nothing */
        {"grade", "a.txt", "--max-line", "9Q"},   /* an unknown unit */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *argv[4];
        int argc = 0;
        while (argc < 4 && bad[i][argc])
            argv[argc] = (char *)bad[i][argc], argc++;
        rp_grade_args o;
        assert_int_equal(rp_cli_grade_args(argc, argv, &o), 2);
        free(o.files);
    }
    char *help[] = {"grade", "a.txt", "--help"};
    rp_grade_args o;
    assert_int_equal(rp_cli_grade_args(ARGC(help), help, &o), 0);
    free(o.files);
}

static void test_compare(void **state)
{
    (void)state;
    char *argv[] = {"compare", "a.txt", "--from-jsonl", "saved.jsonl", "b.json",
                    "--from-jsonl=more.jsonl", "--no-katex", "--keep-going", "--format", "md",
                    "--rubric-dir=rd", "--jobs", "2"};
    rp_compare_args a;
    assert_int_equal(rp_cli_compare_args(ARGC(argv), argv, &a), -1);
    assert_int_equal(a.n, 4);
    static const char *const want[] = {"a.txt", "saved.jsonl", "b.json", "more.jsonl"};
    static const bool saved[] = {false, true, false, true};
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(a.files[i], want[i]);
        assert_int_equal(a.saved[i], saved[i]);
    }
    assert_true(a.no_katex);
    assert_true(a.keep_going);
    assert_string_equal(a.format, "md");
    assert_string_equal(a.rubric_dir, "rd");
    assert_int_equal(a.jobs, 2);
    free(a.files);
    free(a.saved);
    char *none[] = {"compare", "--keep-going"};
    assert_int_equal(rp_cli_compare_args(ARGC(none), none, &a), 2);
    free(a.files);
    free(a.saved);
}

static void test_extract(void **state)
{
    (void)state;
    char *argv[] = {"extract", "x.md", "--format", "json", "--max-turns", "12", "--rubric",
                    "r.json"};
    rp_extract_args a;
    assert_int_equal(rp_cli_extract_args(ARGC(argv), argv, &a), -1);
    assert_string_equal(a.file, "x.md");
    assert_string_equal(a.format, "json");
    assert_string_equal(a.rubric_path, "r.json");
    assert_int_equal(a.limits.max_turns, 12);
    char *two[] = {"extract", "x.md", "y.md"};
    assert_int_equal(rp_cli_extract_args(ARGC(two), two, &a), 2);
    char *md[] = {"extract", "x.md", "--format", "md"};
    assert_int_equal(rp_cli_extract_args(ARGC(md), md, &a), 2);
    char *nofile[] = {"extract"};
    assert_int_equal(rp_cli_extract_args(ARGC(nofile), nofile, &a), 2);
}

/* The format follows OUT's extension unless given. */
static void test_annotate(void **state)
{
    (void)state;
    static const struct {
        const char *out, *format, *want;
    } cases[] = {{"a.pdf", NULL, "pdf"}, {"a.md", NULL, "md"}, {"a.html", NULL, "html"},
                 {"a.out", NULL, "html"}, {"a.pdf", "md", "md"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *argv[] = {"annotate", "t.txt", "-o", (char *)cases[i].out, "--format",
                        (char *)cases[i].format};
        rp_annotate_args a;
        assert_int_equal(rp_cli_annotate_args(cases[i].format ? 6 : 4, argv, &a), -1);
        assert_string_equal(a.format, cases[i].want);
        assert_string_equal(a.file, "t.txt");
        assert_string_equal(a.out_path, cases[i].out);
    }
    char *report[] = {"annotate", "t.txt", "--report", "s.json", "--output=x.html", "--no-katex"};
    rp_annotate_args a;
    assert_int_equal(rp_cli_annotate_args(ARGC(report), report, &a), -1);
    assert_string_equal(a.saved_path, "s.json");
    assert_true(a.no_katex);
    char *noout[] = {"annotate", "t.txt"};
    assert_int_equal(rp_cli_annotate_args(ARGC(noout), noout, &a), 2);
    char *pdfout[] = {"annotate", "t.txt", "-o", "-", "--format", "pdf"};
    assert_int_equal(rp_cli_annotate_args(ARGC(pdfout), pdfout, &a), 2);
    char *two[] = {"annotate", "t.txt", "u.txt", "-o", "x.html"};
    assert_int_equal(rp_cli_annotate_args(ARGC(two), two, &a), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grade_options),
        cmocka_unit_test(test_grade_defaults),
        cmocka_unit_test(test_grade_usage_errors),
        cmocka_unit_test(test_compare),
        cmocka_unit_test(test_extract),
        cmocka_unit_test(test_annotate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
