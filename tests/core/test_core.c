/*
 * Unit tests of the core module: arena, buffers, spans, diagnostics, text
 * checks and atomic writes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "redpen/core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void test_arena_alloc_and_cap(void **state)
{
    (void)state;
    rp_arena *a = rp_arena_new(64 * 1024);
    assert_non_null(a);
    char *s = rp_arena_strdup(a, "hello");
    assert_string_equal(s, "hello");
    assert_true(((uintptr_t)rp_arena_alloc(a, 3) % 16) == 0);
    /* many small allocations stay within the cap */
    for (int i = 0; i < 100; i++)
        assert_non_null(rp_arena_alloc(a, 100));
    /* a single allocation past the cap is refused, not a crash */
    assert_null(rp_arena_alloc(a, 128 * 1024));
    char *p = rp_arena_printf(a, "%d-%s", 42, "x");
    assert_string_equal(p, "42-x");
    /* not zeroed, but aligned, counted and capped as rp_arena_alloc */
    size_t used = rp_arena_used(a);
    char *raw = rp_arena_alloc_raw(a, 5);
    assert_non_null(raw);
    assert_true(((uintptr_t)raw % 16) == 0);
    assert_int_equal(rp_arena_used(a), used + 16);
    memcpy(raw, "abcd", 5);
    assert_string_equal(raw, "abcd");
    assert_null(rp_arena_alloc_raw(a, 128 * 1024));
    rp_arena_free(a);
}

static void test_arena_realloc_keeps_contents(void **state)
{
    (void)state;
    rp_arena *a = rp_arena_new(0);
    int *v = rp_arena_alloc(a, 4 * sizeof *v);
    for (int i = 0; i < 4; i++)
        v[i] = i * 7;
    rp_arena_alloc(a, 10); /* force a copy rather than in-place growth */
    int *w = rp_arena_realloc(a, v, 4 * sizeof *v, 1000 * sizeof *w);
    assert_non_null(w);
    for (int i = 0; i < 4; i++)
        assert_int_equal(w[i], i * 7);
    assert_int_equal(w[999], 0);
    rp_arena_free(a);
}

static void test_buf_cap(void **state)
{
    (void)state;
    rp_buf b;
    rp_buf_init(&b, 10);
    assert_int_equal(rp_buf_puts(&b, "12345"), RP_OK);
    assert_int_equal(rp_buf_printf(&b, "%d", 678), RP_OK);
    assert_string_equal(b.data, "12345678");
    assert_int_equal(rp_buf_puts(&b, "abc"), RP_ELIMIT);
    assert_string_equal(b.data, "12345678"); /* unchanged after refusal */
    assert_int_equal(b.len, 8);
    rp_buf_free(&b);
}

static void test_spans(void **state)
{
    (void)state;
    rp_span s = rp_span_trim(rp_span_cstr("  Part (a)\n"));
    assert_int_equal(s.n, 8);
    assert_true(rp_span_eq(s, "Part (a)"));
    assert_true(rp_span_istarts(s, "part"));
    assert_false(rp_span_starts(s, "part"));
    assert_true(rp_span_ieq(s, "PART (A)"));
}

static void test_text_check(void **state)
{
    (void)state;
    rp_diags d;
    assert_int_equal(rp_diags_init(&d), RP_OK);
    assert_int_equal(rp_text_check("f", "ok\n\xC3\xA9t\xC3\xA9\n", 9, 0, &d), RP_OK);
    assert_int_equal(rp_text_check("f", "a\nb\xFF", 4, 0, &d), RP_EINPUT);
    assert_non_null(d.head);
    assert_int_equal(d.head->line, 2);
    assert_int_equal(d.head->col, 2);
    assert_non_null(strstr(d.head->msg, "UTF-8"));
    assert_int_equal(rp_text_check("f", "a\0b", 3, 0, &d), RP_EINPUT);
    assert_non_null(strstr(d.tail->msg, "binary"));
    /* overlong encoding of '/' is invalid */
    assert_int_equal(rp_text_check("f", "\xC0\xAF", 2, 0, &d), RP_EINPUT);
    /* a UTF-16 surrogate encoded in UTF-8 is invalid */
    assert_int_equal(rp_text_check("f", "\xED\xA0\x80", 3, 0, &d), RP_EINPUT);
    /* line length limit */
    assert_int_equal(rp_text_check("f", "abcdef\nab", 9, 4, &d), RP_ELIMIT);
    assert_int_equal(d.tail->line, 1);
    rp_diags_free(&d);
}

/* The check jumps over plain ASCII eight bytes at a time: a bad byte or an
 * overlong line is found at the same place whatever its alignment. */
static void test_text_check_every_offset(void **state)
{
    (void)state;
    char text[64];
    for (size_t at = 0; at < 48; at++) {
        for (int bad = 0; bad < 3; bad++) {
            memset(text, 'x', sizeof text);
            text[10] = '\n'; /* line 2 starts at offset 11 */
            if (at == 10)
                continue;
            text[at] = bad == 0 ? '\0' : bad == 1 ? '\xFF' : '\x80';
            rp_diags d;
            assert_int_equal(rp_diags_init(&d), RP_OK);
            assert_int_equal(rp_text_check("f", text, 48, 0, &d), RP_EINPUT);
            assert_int_equal(d.head->line, at < 10 ? 1 : 2);
            assert_int_equal(d.head->col, at < 10 ? at + 1 : at - 10);
            rp_diags_free(&d);
        }
    }
    /* a line of exactly max_line bytes passes, one more fails, at any
     * alignment of its start */
    for (size_t lead = 0; lead < 9; lead++) {
        for (size_t len = 19; len <= 21; len++) {
            memset(text, 'y', sizeof text);
            text[lead] = '\n';
            text[lead + 1 + len] = '\n';
            rp_diags d;
            assert_int_equal(rp_diags_init(&d), RP_OK);
            rp_status st = rp_text_check("f", text, lead + 2 + len, 20, &d);
            assert_int_equal(st, len <= 20 ? RP_OK : RP_ELIMIT);
            if (st != RP_OK)
                assert_int_equal(d.head->line, 2);
            rp_diags_free(&d);
        }
    }
}

/* The check's rules, one byte at a time, for the comparison below: the
 * status, and the line and column of the first failure (col 1 for a long
 * line). */
static rp_status text_check_ref(const unsigned char *u, size_t n, size_t max_line,
                                unsigned *line, unsigned *col)
{
    size_t start = 0;
    *line = 1;
    for (size_t i = 0; i < n;) {
        *col = (unsigned)(i - start + 1);
        if (u[i] == '\n') {
            ++*line;
            start = ++i;
            continue;
        }
        if (max_line && i - start >= max_line) {
            *col = 1;
            return RP_ELIMIT;
        }
        if (u[i] == 0)
            return RP_EINPUT;
        size_t len = u[i] < 0x80 ? 1 : u[i] >= 0xC2 && u[i] <= 0xDF ? 2
                     : u[i] >= 0xE0 && u[i] <= 0xEF ? 3 : u[i] >= 0xF0 && u[i] <= 0xF4 ? 4 : 0;
        if (len == 0 || n - i < len)
            return RP_EINPUT;
        unsigned cp = len == 1 ? u[i] : u[i] & (0x7F >> len);
        for (size_t k = 1; k < len; k++) {
            if ((u[i + k] & 0xC0) != 0x80)
                return RP_EINPUT;
            cp = cp << 6 | (u[i + k] & 0x3F);
        }
        static const unsigned min[5] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < min[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return RP_EINPUT;
        i += len;
    }
    return RP_OK;
}

/* The check skips runs of plain ASCII 32 and 8 bytes at a time: on
 * generated texts (long plain runs broken by newlines, NULs, valid and
 * invalid UTF-8, under several line limits) it must find what the byte at
 * a time rules find, at the same line and column.  A fixed generator. */
static void test_text_check_runs(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "plain text of a sentence, with spaces.", "x", "\n", "\n\n", "\xC3\xA9",
        "\xE2\x9C\x93", "\xF0\x9F\x98\x80", "0123456789abcdef0123456789abcdef", "\t", "~",
        "\x7F", "\xFF", "\xC3", "\xED\xA0\x80", "\xC0\xAF", "\x80", "\0"};
    static const size_t limits[] = {0, 1, 7, 8, 31, 33, 64, 100};
    uint32_t seed = 77;
    unsigned char text[600];
    for (int round = 0; round < 20000; round++) {
        size_t n = 0;
        seed = seed * 1103515245u + 12345u;
        int count = (int)((seed >> 16) % 24);
        for (int k = 0; k < count; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t which = (seed >> 16) % (sizeof pieces / sizeof pieces[0]);
            /* the bad pieces are rarer, so that most texts get far */
            if (which >= 11 && (seed >> 8) % 4)
                which = 0;
            size_t m = which == sizeof pieces / sizeof pieces[0] - 1 ? 1 : strlen(pieces[which]);
            if (n + m > sizeof text)
                break;
            memcpy(text + n, pieces[which], m);
            n += m;
        }
        size_t max_line = limits[(size_t)round % (sizeof limits / sizeof limits[0])];
        unsigned line, col;
        rp_status want = text_check_ref(text, n, max_line, &line, &col);
        rp_diags d;
        assert_int_equal(rp_diags_init(&d), RP_OK);
        rp_status got = rp_text_check("f", (const char *)text, n, max_line, &d);
        if (got != want)
            fail_msg("round %d: status %d, the byte rules say %d", round, got, want);
        if (got != RP_OK) {
            assert_int_equal(d.head->line, line);
            assert_int_equal(d.head->col, col);
        }
        rp_diags_free(&d);
    }
}

static void test_line_col(void **state)
{
    (void)state;
    unsigned l, c;
    rp_line_col("ab\ncd\nef", 8, 4, &l, &c);
    assert_int_equal(l, 2);
    assert_int_equal(c, 2);
}

static void test_write_atomic_and_read(void **state)
{
    (void)state;
    char dir[] = "/tmp/rp-core-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/out.txt", dir);
    rp_diags d;
    rp_diags_init(&d);
    assert_int_equal(rp_write_atomic(path, "first\n", 6, &d), RP_OK);
    assert_int_equal(rp_write_atomic(path, "second\n", 7, &d), RP_OK);
    rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_file_read(path, 0, 0, &b, &d), RP_OK);
    assert_string_equal(b.data, "second\n");
    rp_buf_free(&b);
    /* a write into a missing directory fails and creates nothing */
    char bad[300];
    snprintf(bad, sizeof bad, "%s/nodir/out.txt", dir);
    assert_int_not_equal(rp_write_atomic(bad, "x", 1, &d), RP_OK);
    /* reading a directory is refused with a reason */
    rp_buf_init(&b, 0);
    assert_int_equal(rp_file_read(dir, 0, 0, &b, &d), RP_EINPUT);
    assert_non_null(strstr(d.tail->msg, "directory"));
    rp_buf_free(&b);
    /* a file over the size limit is refused */
    rp_buf_init(&b, 0);
    assert_int_equal(rp_file_read(path, 3, 0, &b, &d), RP_ELIMIT);
    rp_buf_free(&b);
    unlink(path);
    rmdir(dir);
    rp_diags_free(&d);
}

static void test_bom_is_dropped(void **state)
{
    (void)state;
    char path[] = "/tmp/rp-bom-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "\xEF\xBB\xBFhi", 5), 5);
    close(fd);
    rp_diags d;
    rp_diags_init(&d);
    rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_file_read(path, 0, 0, &b, &d), RP_OK);
    assert_string_equal(b.data, "hi");
    rp_buf_free(&b);
    rp_diags_free(&d);
    unlink(path);
}

/* The escapes of src/core/escape.c: what reports embed from strangers. */
static void test_term_clean(void **state)
{
    (void)state;
    rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_buf_puts(&b, "keep\x1b]0;T\x07 \x1b[2J\x1b[31mred\x1b[0m\r\n"
                                     "tab\there \xc2\x9b" "2J \xc3\xa9\x7f"), RP_OK);
    rp_buf c;
    rp_buf_init(&c, 0);
    assert_int_equal(rp_buf_append(&c, b.data, b.len), RP_OK);
    rp_term_clean(&b, 4, false); /* nothing before offset 4 is touched */
    assert_string_equal(b.data, "keep]0;T [2J[31mred[0m\ntab\there 2J \xc3\xa9");
    rp_term_clean(&c, 0, true); /* the input's colours go too */
    assert_string_equal(c.data, "keep]0;T [2J[31mred[0m\ntab\there 2J \xc3\xa9");
    rp_buf_free(&b);
    rp_buf_free(&c);
    /* a renderer's own colours (marked) become real with keep_sgr, and go
     * without; a stray mark goes */
    rp_buf_init(&b, 0);
    assert_int_equal(rp_buf_puts(&b, "a" RP_SGR_MARK "[1;31mB" RP_SGR_MARK "[0m\x1b[32mc"
                                     RP_SGR_MARK "x"), RP_OK);
    rp_buf_init(&c, 0);
    assert_int_equal(rp_buf_append(&c, b.data, b.len), RP_OK);
    rp_term_clean(&b, 0, true);
    assert_string_equal(b.data, "a\x1b[1;31mB\x1b[0m[32mcx");
    rp_term_clean(&c, 0, false);
    assert_string_equal(c.data, "aB[32mcx");
    rp_buf_free(&b);
    rp_buf_free(&c);
}

static void test_md_escape(void **state)
{
    (void)state;
    rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_md_escape(&b, "</title><script>a&b</script> *x* [l](j:1) |\n`c` $m$"),
                     RP_OK);
    assert_string_equal(b.data, "&lt;/title&gt;&lt;script&gt;a&amp;b&lt;/script&gt; \\*x\\* "
                                "\\[l\\](j:1) \\| \\`c\\` \\$m\\$");
    rp_buf_free(&b);
}

static void test_safe_links(void **state)
{
    (void)state;
    assert_true(rp_url_safe("https://a.org/x", 15));
    assert_true(rp_url_safe("HTTP://a", 8));
    assert_true(rp_url_safe("#turn-3", 7));
    assert_false(rp_url_safe("javascript:alert(1)", 19));
    assert_false(rp_url_safe(" https://a", 10));
    assert_false(rp_url_safe("data:text/html,x", 16));
    assert_false(rp_url_safe("page.html", 9));
    assert_false(rp_url_safe("http://", 7));
    rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_buf_puts(&b, "<a href=\"javascript:x\">k</a><a href=\"https://o\">o</a>"
                                     "<img src=\"JavaScript:y\" alt=\"\"><a href=\"\">e</a>"),
                     RP_OK);
    assert_int_equal(rp_html_safe_links(&b, 0), RP_OK);
    assert_string_equal(b.data, "<a href=\"#\">k</a><a href=\"https://o\">o</a>"
                                "<img src=\"#\" alt=\"\"><a href=\"\">e</a>");
    assert_int_equal(b.len, strlen(b.data));
    rp_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arena_alloc_and_cap),
        cmocka_unit_test(test_arena_realloc_keeps_contents),
        cmocka_unit_test(test_buf_cap),
        cmocka_unit_test(test_spans),
        cmocka_unit_test(test_text_check),
        cmocka_unit_test(test_text_check_every_offset),
        cmocka_unit_test(test_text_check_runs),
        cmocka_unit_test(test_line_col),
        cmocka_unit_test(test_write_atomic_and_read),
        cmocka_unit_test(test_bom_is_dropped),
        cmocka_unit_test(test_term_clean),
        cmocka_unit_test(test_md_escape),
        cmocka_unit_test(test_safe_links),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
