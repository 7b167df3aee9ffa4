/*
 * Unit tests of the streaming comparison (src/report/compare.c, collect.c):
 * a comparison folded one report at a time, each report freed at once,
 * renders exactly what rp_compare_render() renders over the same reports
 * held in memory; JSON Lines of saved reports are read line by line with
 * file:line in every diagnostic, --keep-going skips a bad line only, a line
 * over the limit is refused, and a {"reports": [...]} line is refused as it
 * is within a whole file; model names and categories, keys of the JSON
 * form, are escaped.  The saved reports are the fixtures of
 * tests/report, so these tests do not depend on the grader.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "redpen/report.h"

#include <cjson/cJSON.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef RP_SOURCE_ROOT
#define RP_SOURCE_ROOT "."
#endif

#define FIXTURES RP_SOURCE_ROOT "/tests/report/fixtures/"

static const char *const saved[] = {FIXTURES "mini-hw.report.json", FIXTURES "mini-hw-qwen.report.jsonl"};

static const rp_compare_format formats[] = {RP_COMPARE_TEXT, RP_COMPARE_MD, RP_COMPARE_HTML,
                                            RP_COMPARE_JSON, RP_COMPARE_CSV};

/* The file at path, whole (NUL-terminated; the caller frees). */
static char *slurp(const char *path, size_t *n)
{
    rp_buf b;
    rp_buf_init(&b, 0);
    rp_diags d;
    assert_int_equal(rp_diags_init(&d), RP_OK);
    assert_int_equal(rp_file_read(path, 0, 0, &b, &d), RP_OK);
    rp_diags_free(&d);
    *n = b.len;
    return b.data;
}

/* A temporary file holding text; its path in buf. */
static void temp_file(char *buf, size_t cap, const char *text, size_t n)
{
    snprintf(buf, cap, "/tmp/rp-test-compare-XXXXXX");
    int fd = mkstemp(buf);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    close(fd);
}

/* The first line of the JSON Lines fixture (one saved report). */
static char *qwen_line(size_t *n)
{
    char *all = slurp(saved[1], n);
    char *nl = memchr(all, '\n', *n);
    if (nl)
        *n = (size_t)(nl - all);
    all[*n] = '\0';
    return all;
}

/* Folded report by report, each freed as soon as it is added, the
 * comparison is byte for byte the one over all reports held at once. */
static void test_fold_equals_render(void **state)
{
    (void)state;
    for (size_t f = 0; f < sizeof formats / sizeof formats[0]; f++) {
        rp_diags d;
        assert_int_equal(rp_diags_init(&d), RP_OK);
        rp_report_set all;
        rp_report_set_init(&all);
        rp_compare *c;
        assert_int_equal(rp_compare_new(formats[f], &c), RP_OK);
        for (size_t i = 0; i < 2; i++) {
            size_t n;
            char *data = slurp(saved[i], &n);
            assert_int_equal(rp_report_load_json(saved[i], data, n, &all, &d), RP_OK);
            rp_report_set one;
            rp_report_set_init(&one);
            assert_int_equal(rp_report_load_json(saved[i], data, n, &one, &d), RP_OK);
            for (size_t k = 0; k < one.n; k++)
                assert_int_equal(rp_compare_add(c, one.items[k]), RP_OK);
            rp_report_set_free(&one); /* nothing of it may be read again */
            free(data);
        }
        assert_int_equal(rp_compare_count(c), all.n);
        rp_html_opts ho = {.no_katex = true};
        rp_buf want, got;
        rp_buf_init(&want, 0);
        rp_buf_init(&got, 0);
        assert_int_equal(rp_compare_render(all.items, all.n, formats[f], false, &ho, &want), RP_OK);
        assert_int_equal(rp_compare_finish(c, false, &ho, &got), RP_OK);
        assert_int_equal(got.len, want.len);
        assert_memory_equal(got.data, want.data, want.len);
        rp_buf_free(&want);
        rp_buf_free(&got);
        rp_compare_free(c);
        rp_report_set_free(&all);
        rp_diags_free(&d);
    }
}

/* The first diagnostic as "file:line: message" would print. */
static void first_diag(const rp_diags *d, unsigned *line, const char **msg)
{
    assert_non_null(d->head);
    *line = d->head->line;
    *msg = d->head->msg;
}

/* A JSON Lines file of n copies of the saved report, with bad (if not
 * NULL) as line bad_at. */
static char *jsonl(size_t copies, const char *bad, size_t bad_at, size_t *len)
{
    size_t n;
    char *line = qwen_line(&n);
    rp_buf b;
    rp_buf_init(&b, 0);
    for (size_t i = 1; i <= copies; i++) {
        assert_int_equal(rp_buf_puts(&b, bad && i == bad_at ? bad : line), RP_OK);
        assert_int_equal(rp_buf_putc(&b, '\n'), RP_OK);
    }
    free(line);
    *len = b.len;
    return b.data;
}

/* Read path into a new JSON comparison; its status, the count in *count. */
static rp_status collect(const char *path, bool keep_going, size_t max_line, size_t *count,
                         rp_diags *d)
{
    rp_compare *c;
    assert_int_equal(rp_compare_new(RP_COMPARE_JSON, &c), RP_OK);
    rp_collect_opts o;
    memset(&o, 0, sizeof o);
    o.keep_going = keep_going;
    o.ingest.max_line = max_line;
    rp_status st = rp_report_collect_into(path, &o, c, d);
    *count = rp_compare_count(c);
    rp_compare_free(c);
    return st;
}

static void test_stream_counts_every_line(void **state)
{
    (void)state;
    size_t n, count;
    char *text = jsonl(500, NULL, 0, &n);
    char path[64];
    temp_file(path, sizeof path, text, n);
    rp_diags d;
    assert_int_equal(rp_diags_init(&d), RP_OK);
    assert_int_equal(collect(path, false, 0, &count, &d), RP_OK);
    assert_int_equal(count, 500);
    assert_int_equal(d.n, 0);
    rp_diags_free(&d);
    unlink(path);
    free(text);
}

/* A bad line stops the input, named with its line; with keep_going it is
 * named, skipped, and the result is still RP_EINPUT. */
static void test_stream_bad_line(void **state)
{
    (void)state;
    static const struct {
        const char *line;
        const char *says;
    } bad[] = {{"{\"schema\": 1, \"parts\": [ broken", "not valid JSON"},
               {"{\"schema\": 2, \"parts\": []}", "$.schema: this redpen reads report schema 1"},
               {"{\"reports\": []}", "$.schema: this redpen reads report schema 1"},
               {"{\"schema\": 1, \"parts\": [], \"x\": \"\xff\"}", "invalid UTF-8"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t n, count;
        char *text = jsonl(7, bad[i].line, 4, &n);
        char path[64];
        temp_file(path, sizeof path, text, n);
        for (int keep = 0; keep < 2; keep++) {
            rp_diags d;
            assert_int_equal(rp_diags_init(&d), RP_OK);
            assert_int_equal(collect(path, keep, 0, &count, &d), RP_EINPUT);
            assert_int_equal(count, keep ? 6 : 3);
            assert_int_equal(d.n, 1);
            unsigned line;
            const char *msg;
            first_diag(&d, &line, &msg);
            assert_int_equal(line, 4);
            assert_string_equal(d.head->file, path);
            char all[512];
            snprintf(all, sizeof all, "%s%s%s", d.head->path ? d.head->path : "",
                     d.head->path ? ": " : "", msg);
            assert_non_null(strstr(all, bad[i].says));
            rp_diags_free(&d);
        }
        unlink(path);
        free(text);
    }
}

/* A line over the limit is refused where it is, as rp_file_read() would. */
static void test_stream_line_limit(void **state)
{
    (void)state;
    size_t n, count, one;
    free(qwen_line(&one));
    char *text = jsonl(5, NULL, 0, &n);
    char path[64];
    temp_file(path, sizeof path, text, n);
    rp_diags d;
    assert_int_equal(rp_diags_init(&d), RP_OK);
    assert_int_equal(collect(path, false, one, &count, &d), RP_OK);
    assert_int_equal(count, 5);
    rp_diags_free(&d);
    assert_int_equal(rp_diags_init(&d), RP_OK);
    assert_int_equal(collect(path, false, one - 1, &count, &d), RP_ELIMIT);
    unsigned line;
    const char *msg;
    first_diag(&d, &line, &msg);
    assert_int_equal(line, 1);
    assert_non_null(strstr(msg, "line longer than"));
    rp_diags_free(&d);
    unlink(path);
    free(text);
}

/* Blank lines and a byte order mark are skipped, as in a whole file; one
 * report on one line is one JSON document. */
static void test_stream_blank_lines_and_bom(void **state)
{
    (void)state;
    size_t n, count;
    char *line = qwen_line(&n);
    rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_buf_printf(&b, "\xEF\xBB\xBF\n  \n%s\n\r\n\n%s\n \t\n", line, line), RP_OK);
    char path[64];
    temp_file(path, sizeof path, b.data, b.len);
    rp_diags d;
    assert_int_equal(rp_diags_init(&d), RP_OK);
    assert_int_equal(collect(path, false, 0, &count, &d), RP_OK);
    assert_int_equal(count, 2);
    unlink(path);
    rp_buf_clear(&b);
    assert_int_equal(rp_buf_printf(&b, "\n%s\n", line), RP_OK);
    temp_file(path, sizeof path, b.data, b.len);
    assert_int_equal(collect(path, false, 0, &count, &d), RP_OK);
    assert_int_equal(count, 1);
    assert_int_equal(d.n, 0);
    rp_diags_free(&d);
    unlink(path);
    rp_buf_free(&b);
    free(line);
}

/* Whole JSON documents still go through rp_report_collect()'s reading. */
static void test_whole_document(void **state)
{
    (void)state;
    size_t count;
    rp_diags d;
    assert_int_equal(rp_diags_init(&d), RP_OK);
    assert_int_equal(collect(saved[0], false, 0, &count, &d), RP_OK);
    assert_int_equal(count, 1);
    assert_int_equal(collect(FIXTURES "bad-verdict.report.json", true, 0, &count, &d), RP_EINPUT);
    assert_int_equal(count, 0);
    rp_diags_free(&d);
}

/* A failure to fold sticks and comes back from rp_compare_finish(). */
static void test_sticky_limit(void **state)
{
    (void)state;
    rp_compare *c;
    assert_int_equal(rp_compare_new(RP_COMPARE_TEXT, &c), RP_OK);
    rp_report r;
    memset(&r, 0, sizeof r);
    rp_part_result parts[64];
    memset(parts, 0, sizeof parts);
    char ids[64][16];
    r.model = "M";
    r.parts = parts;
    r.n_parts = 64;
    rp_status st = RP_OK;
    for (int k = 0; k < 100 && st == RP_OK; k++) {
        for (int j = 0; j < 64; j++) {
            snprintf(ids[j], sizeof ids[j], "p%d", k * 64 + j);
            parts[j].part = ids[j];
        }
        st = rp_compare_add(c, &r);
    }
    assert_int_equal(st, RP_ELIMIT); /* 6400 distinct parts > 5000 */
    rp_buf out;
    rp_buf_init(&out, 0);
    assert_int_equal(rp_compare_finish(c, false, NULL, &out), RP_ELIMIT);
    rp_buf_free(&out);
    rp_compare_free(c);
    assert_int_equal(rp_compare_new((rp_compare_format)99, &c), RP_EUNSUPPORTED);
    assert_null(c);
}

/* Model names and error categories are data, and keys of the JSON form:
 * quotes, backslashes and control characters in them come out escaped, so
 * that the JSON reads back with the same names and counts. */
static void test_json_keys_are_data(void **state)
{
    (void)state;
    static const char *const names[] = {"model \"A\"\tone", "back\\slash"};
    rp_report r[2];
    rp_part_result part[2];
    rp_attempt failed[2];
    rp_report *all[2];
    memset(r, 0, sizeof r);
    memset(part, 0, sizeof part);
    memset(failed, 0, sizeof failed);
    for (int i = 0; i < 2; i++) {
        failed[i].verdict = RP_VERDICT_FAIL;
        failed[i].turn = 2;
        failed[i].category = i ? "cat\n\x01" : "cat \"q\"";
        part[i].part = "1a";
        part[i].first = part[i].final = failed[i];
        part[i].attempts = &failed[i];
        part[i].n_attempts = 1;
        r[i].model = names[i];
        r[i].parts = &part[i];
        r[i].n_parts = 1;
        all[i] = &r[i];
    }
    rp_buf out;
    rp_buf_init(&out, 0);
    assert_int_equal(rp_compare_render(all, 2, RP_COMPARE_JSON, false, NULL, &out), RP_OK);
    cJSON *o = cJSON_Parse(out.data);
    assert_non_null(o);
    cJSON *models = cJSON_GetObjectItem(o, "models");
    cJSON *cells = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(o, "parts"), 0), "models");
    for (int i = 0; i < 2; i++) {
        cJSON *m = cJSON_GetArrayItem(models, i);
        assert_string_equal(cJSON_GetObjectItem(m, "model")->valuestring, names[i]);
        cJSON *cats = cJSON_GetObjectItem(m, "categories");
        assert_int_equal(cJSON_GetArraySize(cats), 1);
        assert_string_equal(cats->child->string, failed[i].category);
        assert_int_equal(cats->child->valueint, 1);
        cJSON *cell = cJSON_GetObjectItemCaseSensitive(cells, names[i]);
        assert_non_null(cell);
        assert_string_equal(cJSON_GetObjectItem(cell, "category")->valuestring, failed[i].category);
    }
    cJSON_Delete(o);
    rp_buf_free(&out);
}

/* CSV fields that hold a comma, a quote or a line break are quoted, with
 * quotes doubled; the others are written as they are. */
static void test_csv_quoting(void **state)
{
    (void)state;
    rp_part_result part;
    memset(&part, 0, sizeof part);
    part.part = "1\"a";
    part.title = "two\nlines";
    part.first.verdict = part.final.verdict = RP_VERDICT_PASS;
    rp_report r;
    memset(&r, 0, sizeof r);
    r.model = "Model, \"the\" one";
    r.parts = &part;
    r.n_parts = 1;
    rp_report *all[1] = {&r};
    rp_buf out;
    rp_buf_init(&out, 0);
    assert_int_equal(rp_compare_render(all, 1, RP_COMPARE_CSV, false, NULL, &out), RP_OK);
    const char *row = strchr(out.data, '\n') + 1;
    assert_string_equal(row, "\"Model, \"\"the\"\" one\",\"1\"\"a\",\"two\nlines\","
                             "1,1,1,1,0,0,0,0,0,pass,pass,,1\n");
    rp_buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fold_equals_render),
        cmocka_unit_test(test_stream_counts_every_line),
        cmocka_unit_test(test_stream_bad_line),
        cmocka_unit_test(test_stream_line_limit),
        cmocka_unit_test(test_stream_blank_lines_and_bom),
        cmocka_unit_test(test_whole_document),
        cmocka_unit_test(test_sticky_limit),
        cmocka_unit_test(test_json_keys_are_data),
        cmocka_unit_test(test_csv_quoting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
