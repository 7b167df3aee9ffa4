/*
 * Unit tests of the record splitter (src/pipeline/split.c): the elements of
 * a JSON array and the lines of JSON Lines, read from a file in chunks,
 * with strings that hold brackets, commas and escaped quotes, elements
 * longer than one read, and every malformed array named with its line.
 */
#include "../../src/pipeline/pipeline_int.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Write text to a new temporary file; returns its path (caller frees and
 * unlinks). */
static char *temp_file(const char *text, size_t n)
{
    char *path = strdup("/tmp/rp-split-XXXXXX");
    assert_non_null(path);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    close(fd);
    return path;
}

/* Split text; the records joined by '|' into out, their first lines into
 * lines[]; returns the number of records and whether it ended well. */
static size_t split_all(const char *text, rp_buf *out, unsigned *lines, bool *ok,
                        const char **why, unsigned *err_line)
{
    char *path = temp_file(text, strlen(text));
    rp_split *s = malloc(sizeof *s);
    assert_non_null(s);
    assert_int_equal(rp_split_open(s, path), RP_OK);
    size_t n = 0;
    rp_buf b;
    rp_buf_init(&b, 0);
    unsigned line;
    while (rp_split_next(s, &b, 1 << 20, &line)) {
        if (n)
            assert_int_equal(rp_buf_putc(out, '|'), RP_OK);
        assert_int_equal(rp_buf_append(out, b.data, b.len), RP_OK);
        rp_buf_truncate(&b, 0);
        lines[n++] = line;
    }
    static char msg[sizeof s->msg];
    const char *m = "";
    *ok = !rp_split_error(s, err_line, &m);
    snprintf(msg, sizeof msg, "%s", m);
    *why = msg; /* the splitter's text is freed with it */
    rp_split_close(s);
    rp_buf_free(&b);
    free(s);
    unlink(path);
    free(path);
    return n;
}

static void test_array(void **state)
{
    (void)state;
    rp_buf out;
    rp_buf_init(&out, 0);
    unsigned lines[8];
    bool ok;
    const char *why;
    unsigned el;
    const char *text = "\xEF\xBB\xBF [\n {\"a\": \"x ] , \\\" [\"},\n\n [1, [2]] , \"s,]\"\n, 42 ]\n";
    size_t n = split_all(text, &out, lines, &ok, &why, &el);
    assert_true(ok);
    assert_int_equal(n, 4);
    assert_string_equal(out.data, "{\"a\": \"x ] , \\\" [\"}|[1, [2]]|\"s,]\"|42");
    assert_int_equal(lines[0], 2);
    assert_int_equal(lines[1], 4);
    assert_int_equal(lines[3], 5);
    rp_buf_free(&out);
    /* the empty array */
    rp_buf_init(&out, 0);
    assert_int_equal(split_all("[ ]", &out, lines, &ok, &why, &el), 0);
    assert_true(ok);
    rp_buf_free(&out);
}

/* An element far longer than one read of the splitter. */
static void test_long_element(void **state)
{
    (void)state;
    size_t big = 300000;
    char *text = malloc(big + 64);
    assert_non_null(text);
    strcpy(text, "[{\"t\": \"");
    size_t w = strlen(text);
    for (size_t i = 0; i < big; i++)
        text[w++] = "ab]}[{,\n"[i % 7];
    strcpy(text + w, "\"}, {\"u\": 1}]");
    rp_buf out;
    rp_buf_init(&out, 0);
    unsigned lines[4], el;
    bool ok;
    const char *why;
    assert_int_equal(split_all(text, &out, lines, &ok, &why, &el), 2);
    assert_true(ok);
    assert_int_equal(out.len, big + strlen("{\"t\": \"\"}|{\"u\": 1}"));
    rp_buf_free(&out);
    free(text);
}

static void test_malformed(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        size_t records;
        const char *why;
        unsigned line;
    } cases[] = {
        {"[{\"a\": 1},\n{\"b\": 2}", 2, "not closed", 2},
        {"[{\"a\": 1} {\"b\": 2}]", 1, "expected ','", 1},
        {"[{\"a\": 1},\n\n]", 1, "empty element", 3},
        {"[{\"a\": 1}]\n{\"b\": 2}\n", 1, "text after the end", 2},
        {"[{\"a\": 1},,{\"b\": 2}]", 1, "empty element", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rp_buf out;
        rp_buf_init(&out, 0);
        unsigned lines[4], el = 0;
        bool ok;
        const char *why;
        assert_int_equal(split_all(cases[i].text, &out, lines, &ok, &why, &el),
                         cases[i].records);
        assert_false(ok);
        assert_non_null(strstr(why, cases[i].why));
        assert_int_equal(el, cases[i].line);
        rp_buf_free(&out);
    }
}

static void test_lines(void **state)
{
    (void)state;
    rp_buf out;
    rp_buf_init(&out, 0);
    unsigned lines[4], el;
    bool ok;
    const char *why;
    assert_int_equal(split_all("{\"a\": \"[\"}\n\n  \n{\"b\": 2}\n{\"c\": 3}", &out, lines, &ok,
                               &why, &el),
                     3);
    assert_true(ok);
    assert_string_equal(out.data, "{\"a\": \"[\"}|{\"b\": 2}|{\"c\": 3}");
    assert_int_equal(lines[0], 1);
    assert_int_equal(lines[1], 4);
    assert_int_equal(lines[2], 5);
    rp_buf_free(&out);
    /* neither an array nor an object: not split */
    char *path = temp_file("Problem 1\n", 10);
    rp_split s;
    assert_int_equal(rp_split_open(&s, path), RP_EUNSUPPORTED);
    unlink(path);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_array),
        cmocka_unit_test(test_long_element),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
