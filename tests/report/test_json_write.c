/*
 * Unit tests of the JSON writer (src/core/jsonw.c) and of the JSON report
 * written with it: cJSON 1.7 printed reports before, and saved reports,
 * golden files and diffs depend on its exact bytes, so every test here
 * holds the writer to cJSON itself -- the escaper over every byte value and
 * malformed UTF-8, numbers at the edges of int and double, the pretty
 * layout of nested and empty containers, and whole reports, compact and
 * pretty, compared with a cJSON tree of the same report.
 *
 * Set REDPEN_JSONW_EXTRA to a file of saved reports (JSON or JSON Lines,
 * for instance the perf corpus's reference output) to compare every report
 * in it as well.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "redpen/jsonw.h"
#include "redpen/report.h"
#include "redpen/rubric.h"
#include "report_int.h"

#include <cjson/cJSON.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef RP_SOURCE_ROOT
#define RP_SOURCE_ROOT "."
#endif

/* cJSON's printing of o (deleted here), compact or pretty; fails the test
 * when cJSON cannot. */
static char *cjson_text(cJSON *o, bool pretty)
{
    assert_non_null(o);
    char *s = pretty ? cJSON_Print(o) : cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    assert_non_null(s);
    return s;
}

static void assert_same(const rp_buf *ours, const char *theirs, const char *what)
{
    if (!ours->data || strcmp(ours->data, theirs) != 0)
        fail_msg("%s differs from cJSON:\nours:   %s\ncJSON:  %s", what,
                 ours->data ? ours->data : "(nothing)", theirs);
}

/* ------------------------------------------------------------- escaper */

/* s[0..n) as one JSON string through the writer and through cJSON. */
static void check_string(const char *s, const char *what)
{
    rp_buf b;
    rp_buf_init(&b, 0);
    rp_jw j;
    rp_jw_begin(&j, &b, false);
    rp_jw_str(&j, NULL, s);
    assert_int_equal(rp_jw_end(&j), RP_OK);
    char *want = cjson_text(cJSON_CreateString(s), false);
    assert_same(&b, want, what);
    cJSON_free(want);
    rp_buf_free(&b);
}

static void test_escape_every_byte(void **state)
{
    (void)state;
    /* each byte alone, between letters, and all of them in one string */
    char all[256];
    for (int c = 1; c < 256; c++) {
        char s[4] = {'a', (char)c, 'b', '\0'};
        check_string(s, "one byte");
        all[c - 1] = (char)c;
    }
    all[255] = '\0';
    check_string(all, "bytes 1..255");
    /* each byte at every place of a string of 8-byte words (the escaper
     * tests a word at a time), among ASCII and among bytes >= 0x80 */
    char s[20];
    for (int fill = 0; fill < 3; fill++) {
        for (int c = 1; c < 256; c++) {
            for (size_t at = 0; at < sizeof s - 1; at++) {
                memset(s, fill == 0 ? 'x' : fill == 1 ? '\x80' : '\xff', sizeof s - 1);
                s[sizeof s - 1] = '\0';
                s[at] = (char)c;
                check_string(s, "byte in a word");
            }
        }
    }
}

/* Strings dense with escapes, as LaTeX is with backslashes: after an
 * escape the escaper resumes a word just past it, and stops a word at its
 * first byte that needs one, so every mix of escapes, plain ASCII and bytes
 * >= 0x80 (which the word tests must not flag) at every place and length
 * is held to cJSON.  A fixed generator: the same strings on every run. */
static void test_escape_dense(void **state)
{
    (void)state;
    static const char alphabet[] = {'\\', '"', '\n', '\x01', '\x1f', ' ', 'a', '~',
                                    '\x7f', '\x80', '\xc3', '\xff', '!', '#', '[', ']'};
    uint32_t seed = 12345;
    char s[48];
    for (int round = 0; round < 20000; round++) {
        size_t n = (size_t)(round % (int)(sizeof s));
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            s[i] = alphabet[(seed >> 16) % sizeof alphabet];
        }
        s[n] = '\0';
        check_string(s, "dense string");
    }
}

/* Keys of every length up to past RP_JW_MAX_KEY, plain and with a byte
 * that needs an escape at each place: the key test reads whole words (the
 * last one overlapping), so each place of each length is a separate case. */
static void test_keys_every_length(void **state)
{
    (void)state;
    static const char bad[] = {'"', '\\', '\n', '\x01', '\x1f'};
    char k[RP_JW_MAX_KEY + 4];
    for (size_t n = 0; n < sizeof k; n++) {
        for (size_t at = 0; at <= n; at++) {
            for (size_t b = 0; b < (at < n ? sizeof bad : 1); b++) {
                memset(k, 'k', n);
                k[n] = '\0';
                if (at < n)
                    k[at] = bad[b];
                for (int pretty = 0; pretty < 2; pretty++) {
                    rp_buf out;
                    rp_buf_init(&out, 0);
                    rp_jw j;
                    rp_jw_begin(&j, &out, pretty);
                    rp_jw_obj_open(&j, NULL);
                    rp_jw_str(&j, "x", "1");
                    rp_jw_str(&j, k, "v");
                    rp_jw_obj_close(&j);
                    assert_int_equal(rp_jw_end(&j), RP_OK);
                    cJSON *o = cJSON_CreateObject();
                    cJSON_AddStringToObject(o, "x", "1");
                    cJSON_AddStringToObject(o, k, "v");
                    char *want = cjson_text(o, pretty);
                    assert_same(&out, want, "key");
                    cJSON_free(want);
                    rp_buf_free(&out);
                }
            }
        }
    }
}

/* Strings longer than the writer's stage, with escapes across its edge. */
static void test_escape_long(void **state)
{
    (void)state;
    size_t n = 3 * RP_JW_STAGE + 77;
    char *s = malloc(n + 1);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++)
        s[i] = (char)(i % 97 == 0 ? '"' : i % 89 == 0 ? '\n' : i % 83 == 0 ? '\x01'
                      : 'a' + (int)(i % 26));
    s[n] = '\0';
    check_string(s, "long string");
    for (size_t i = 0; i < n; i++)
        s[i] = 'q';
    check_string(s, "long plain string");
    for (size_t i = 0; i < n; i++)
        s[i] = '\\';
    check_string(s, "long string of escapes");
    free(s);
}

static void test_escape_named(void **state)
{
    (void)state;
    /* the forms cJSON uses, spelled out so that a change in either is seen */
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"", ""},
        {"plain", "plain"},
        {"q\"b\\", "q\\\"b\\\\"},
        {"\b\f\n\r\t", "\\b\\f\\n\\r\\t"},
        {"\x01\x1f", "\\u0001\\u001f"},        /* lower-case hex */
        {"a/b", "a/b"},                        /* / is not escaped */
        {"\x7f", "\x7f"},                      /* nor DEL */
        {"\xc3\xa9\xe2\x9c\x93\xf0\x9f\x98\x80", "\xc3\xa9\xe2\x9c\x93\xf0\x9f\x98\x80"},
        {"\xff\xfe\xc0\x80\xed\xa0\x80\xe2\x9c", "\xff\xfe\xc0\x80\xed\xa0\x80\xe2\x9c"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rp_buf b;
        rp_buf_init(&b, 0);
        assert_int_equal(rp_json_escape(&b, cases[i].in, strlen(cases[i].in)), RP_OK);
        assert_string_equal(b.data ? b.data : "", cases[i].out);
        check_string(cases[i].in, cases[i].in);
        rp_buf_free(&b);
    }
    /* A NUL cannot reach the report writer (its strings are C strings, as
     * cJSON's are); given one by length, the escaper still writes valid
     * JSON. */
    rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_json_escape(&b, "a\0b", 3), RP_OK);
    assert_int_equal(b.len, 8);
    assert_memory_equal(b.data, "a\\u0000b", 8);
    rp_buf_free(&b);
}

/* Invalid and edge UTF-8 reaches the writer from transcripts (the ingest
 * keeps bytes it cannot decode): all of it must pass through unchanged. */
static void test_escape_utf8_edges(void **state)
{
    (void)state;
    static const char *cases[] = {
        "\x80",                 /* lone continuation */
        "\xc3",                 /* cut two-byte sequence at the end */
        "\xc3(",                /* bad continuation */
        "\xe2\x82",             /* cut three-byte sequence */
        "\xf4\x90\x80\x80",     /* above U+10FFFF */
        "\xf8\x88\x80\x80\x80", /* five bytes */
        "\xef\xbb\xbf" "bom",   /* byte order mark */
        "\xe2\x80\xa8\xe2\x80\xa9", /* U+2028, U+2029: cJSON leaves them */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_string(cases[i], "UTF-8 edge");
}

/* ------------------------------------------------------------- numbers */

static void test_numbers(void **state)
{
    (void)state;
    static const double cases[] = {
        0.0, -0.0, 1, -1, 42, 2147483647.0, -2147483648.0, 2147483648.0, -2147483649.0,
        2147483647.5, 3e9, 4294967296.0, 9007199254740992.0, 123456789012345678.0, 1e300,
        -1e300, 0.1, 1.0 / 3.0, -2.5, 1e-300, 5e-324, DBL_MAX, -DBL_MAX, DBL_MIN, 0.1 + 0.2,
        1e15 + 0.3, 1e15, 999999999999999.0, -999999999999999.0, 1e21, NAN, INFINITY,
        -INFINITY,
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double d = cases[i];
        for (int pretty = 0; pretty < 2; pretty++) {
            rp_buf b;
            rp_buf_init(&b, 0);
            rp_jw j;
            rp_jw_begin(&j, &b, pretty);
            rp_jw_arr_open(&j, NULL);
            rp_jw_num(&j, NULL, d);
            rp_jw_arr_close(&j);
            assert_int_equal(rp_jw_end(&j), RP_OK);
            cJSON *a = cJSON_CreateArray();
            cJSON_AddItemToArray(a, cJSON_CreateNumber(d));
            char *want = cjson_text(a, pretty);
            char what[64];
            snprintf(what, sizeof what, "number %.17g", d);
            assert_same(&b, want, what);
            cJSON_free(want);
            rp_buf_free(&b);
        }
    }
}

/* ----------------------------------------------------------- structure */

static void test_layout(void **state)
{
    (void)state;
    for (int pretty = 0; pretty < 2; pretty++) {
        /* {"a":{},"b":[],"c":[{},[],[{"x":true,"y":[1,null,"s"]}]],"d":{"e":{"f":false}}} */
        rp_buf b;
        rp_buf_init(&b, 0);
        rp_jw j;
        rp_jw_begin(&j, &b, pretty);
        rp_jw_obj_open(&j, NULL);
        rp_jw_obj_open(&j, "a");
        rp_jw_obj_close(&j);
        rp_jw_arr_open(&j, "b");
        rp_jw_arr_close(&j);
        rp_jw_arr_open(&j, "c");
        rp_jw_obj_open(&j, NULL);
        rp_jw_obj_close(&j);
        rp_jw_arr_open(&j, NULL);
        rp_jw_arr_close(&j);
        rp_jw_arr_open(&j, NULL);
        rp_jw_obj_open(&j, NULL);
        rp_jw_bool(&j, "x", true);
        rp_jw_arr_open(&j, "y");
        rp_jw_num(&j, NULL, 1);
        rp_jw_null(&j, NULL);
        rp_jw_str(&j, NULL, "s");
        rp_jw_arr_close(&j);
        rp_jw_obj_close(&j);
        rp_jw_arr_close(&j);
        rp_jw_arr_close(&j);
        rp_jw_obj_open(&j, "d");
        rp_jw_obj_open(&j, "e");
        rp_jw_bool(&j, "f", false);
        rp_jw_obj_close(&j);
        rp_jw_obj_close(&j);
        rp_jw_str(&j, "k", NULL);
        rp_jw_obj_close(&j);
        assert_int_equal(rp_jw_end(&j), RP_OK);

        cJSON *o = cJSON_CreateObject();
        cJSON_AddObjectToObject(o, "a");
        cJSON_AddArrayToObject(o, "b");
        cJSON *c = cJSON_AddArrayToObject(o, "c");
        cJSON_AddItemToArray(c, cJSON_CreateObject());
        cJSON_AddItemToArray(c, cJSON_CreateArray());
        cJSON *in = cJSON_CreateArray();
        cJSON_AddItemToArray(c, in);
        cJSON *x = cJSON_CreateObject();
        cJSON_AddItemToArray(in, x);
        cJSON_AddTrueToObject(x, "x");
        cJSON *y = cJSON_AddArrayToObject(x, "y");
        cJSON_AddItemToArray(y, cJSON_CreateNumber(1));
        cJSON_AddItemToArray(y, cJSON_CreateNull());
        cJSON_AddItemToArray(y, cJSON_CreateString("s"));
        cJSON_AddFalseToObject(cJSON_AddObjectToObject(cJSON_AddObjectToObject(o, "d"), "e"), "f");
        cJSON_AddNullToObject(o, "k");
        char *want = cjson_text(o, pretty);
        assert_same(&b, want, pretty ? "pretty layout" : "compact layout");
        cJSON_free(want);
        rp_buf_free(&b);
    }
}

/* Deeper than the tab run the writer copies from: indentation in pieces. */
static void test_deep_indent(void **state)
{
    (void)state;
    enum { DEPTH = 40 };
    rp_buf b;
    rp_buf_init(&b, 0);
    rp_jw j;
    rp_jw_begin(&j, &b, true);
    cJSON *root = cJSON_CreateObject();
    cJSON *o = root;
    rp_jw_obj_open(&j, NULL);
    for (int i = 0; i < DEPTH; i++) {
        rp_jw_obj_open(&j, "n");
        o = cJSON_AddObjectToObject(o, "n");
    }
    rp_jw_num(&j, "v", 7);
    cJSON_AddNumberToObject(o, "v", 7);
    for (int i = 0; i <= DEPTH; i++)
        rp_jw_obj_close(&j);
    assert_int_equal(rp_jw_end(&j), RP_OK);
    char *want = cjson_text(root, true);
    assert_same(&b, want, "deep indentation");
    cJSON_free(want);
    rp_buf_free(&b);
}

/* The writer's limit stops it with a status and leaves the buffer as it
 * was: nesting past RP_JW_MAX_DEPTH. */
static void test_limits(void **state)
{
    (void)state;
    rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_buf_puts(&b, "keep"), RP_OK);
    rp_jw j;
    rp_jw_begin(&j, &b, true);
    for (int i = 0; i < RP_JW_MAX_DEPTH + 10; i++)
        rp_jw_arr_open(&j, NULL);
    for (int i = 0; i < RP_JW_MAX_DEPTH + 10; i++)
        rp_jw_arr_close(&j);
    assert_int_equal(rp_jw_end(&j), RP_ELIMIT);
    assert_string_equal(b.data, "keep");
    rp_buf_free(&b);
}

/* Values written one at a time as elements of an array the caller writes
 * around them (rp_jw_begin_at one level deep) are cJSON's array. */
static void test_begin_at(void **state)
{
    (void)state;
    rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_buf_puts(&b, "["), RP_OK);
    cJSON *arr = cJSON_CreateArray();
    for (int i = 0; i < 2; i++) {
        if (i)
            assert_int_equal(rp_buf_puts(&b, ", "), RP_OK);
        rp_jw j;
        rp_jw_begin_at(&j, &b, true, 1);
        rp_jw_obj_open(&j, NULL);
        rp_jw_str(&j, "path", i ? "b" : "a");
        rp_jw_arr_open(&j, "claims");
        rp_jw_obj_open(&j, NULL);
        rp_jw_num(&j, "turn", i + 2);
        rp_jw_obj_close(&j);
        rp_jw_arr_close(&j);
        rp_jw_obj_close(&j);
        assert_int_equal(rp_jw_end(&j), RP_OK);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "path", i ? "b" : "a");
        cJSON *c = cJSON_CreateObject();
        cJSON_AddNumberToObject(c, "turn", i + 2);
        cJSON_AddItemToArray(cJSON_AddArrayToObject(o, "claims"), c);
        cJSON_AddItemToArray(arr, o);
    }
    assert_int_equal(rp_buf_puts(&b, "]"), RP_OK);
    char *want = cjson_text(arr, true);
    assert_same(&b, want, "elements one at a time");
    cJSON_free(want);
    rp_buf_free(&b);
}

/* Keys are data too (model names, categories, a rubric's parameters):
 * the longest one copied in one piece, one just longer, one far longer
 * than the stage, and keys that need escapes, each as cJSON prints them,
 * compact and pretty. */
static void test_keys(void **state)
{
    (void)state;
    static char lengths[3][3 * RP_JW_STAGE];
    size_t n[3] = {RP_JW_MAX_KEY, RP_JW_MAX_KEY + 1, sizeof lengths[2] - 1};
    for (int i = 0; i < 3; i++) {
        memset(lengths[i], 'k', n[i]);
        lengths[i][n[i]] = '\0';
    }
    const char *keys[] = {lengths[0], lengths[1], lengths[2], "a\"b", "tab\there",
                          "back\\slash", "\x01ctl", "caf\xc3\xa9", ""};
    for (int pretty = 0; pretty < 2; pretty++) {
        rp_buf b;
        rp_buf_init(&b, 0);
        rp_jw j;
        rp_jw_begin(&j, &b, pretty);
        rp_jw_obj_open(&j, NULL);
        cJSON *o = cJSON_CreateObject();
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
            rp_jw_num(&j, keys[i], (double)i);
            cJSON_AddNumberToObject(o, keys[i], (double)i);
        }
        rp_jw_obj_open(&j, keys[3]);
        rp_jw_str(&j, keys[4], "v");
        rp_jw_obj_close(&j);
        cJSON_AddStringToObject(cJSON_AddObjectToObject(o, keys[3]), keys[4], "v");
        rp_jw_obj_close(&j);
        assert_int_equal(rp_jw_end(&j), RP_OK);
        char *want = cjson_text(o, pretty);
        assert_same(&b, want, pretty ? "keys, pretty" : "keys, compact");
        cJSON_free(want);
        rp_buf_free(&b);
    }
}

/* ------------------------------------------------------------- answers */

/* rp_answer_json (`solve`'s answers, src/rubric/output.c) as cJSON printed
 * it: a compute answer's parameters written again from their parse (keys
 * that need escapes, nested values, numbers), a tuple item without an
 * answer (an empty object) or a name, a table with a cell that is not a
 * number, piecewise cases without bounds and without an expression. */
static void test_answers(void **state)
{
    (void)state;
    rp_answer compute = {.kind = RP_ANS_COMPUTE, .op = "conv",
                         .params_json = "{\"k\": 3, \"a\\\"b\": [1.5, true, null, \"x\\ty\"], "
                                        "\"in\": {\"deep\": {}}, \"e\": []}",
                         .derivation = "by hand"};
    rp_answer bad_params = {.kind = RP_ANS_COMPUTE, .params_json = "{not json"};
    rp_answer inner = {.kind = RP_ANS_EXPR, .latex = "x^2", .up_to_constant = true,
                       .check = RP_CHECK_FAILED};
    rp_tuple_item items[2] = {{.name = "g_3", .answer = &inner}, {.name = NULL, .answer = NULL}};
    rp_answer tuple = {.kind = RP_ANS_TUPLE, .latex = "g_3 = x^2", .items = items, .n_items = 2};
    const char *rows[1] = {"r"}, *cols[2] = {"a", NULL}, *cells[2] = {"1", "\\alpha"};
    double values[2] = {1, NAN};
    rp_answer table = {.kind = RP_ANS_TABLE,
                       .table = {.rows = 1, .cols = 2, .row_labels = rows, .col_labels = cols,
                                 .cells = cells, .values = values}};
    rp_case cases[2] = {{.expr = "n", .cond = "n \\ge 0", .from = "0"}, {.cond = "n < 0", .to = "-1"}};
    double samples[3] = {0, 1, 2.5};
    rp_answer piecewise = {.kind = RP_ANS_PIECEWISE, .cases = cases, .n_cases = 2,
                           .sample_from = -1, .samples = samples, .n_samples = 3};

    cJSON *want[5];
    for (int i = 0; i < 5; i++)
        want[i] = cJSON_CreateObject();
    cJSON_AddStringToObject(want[0], "kind", rp_answer_kind_name(RP_ANS_COMPUTE));
    cJSON_AddStringToObject(want[0], "op", "conv");
    cJSON_AddItemToObject(want[0], "params", cJSON_Parse(compute.params_json));
    cJSON_AddStringToObject(want[0], "derivation", "by hand");
    cJSON_AddStringToObject(want[1], "kind", rp_answer_kind_name(RP_ANS_COMPUTE));
    cJSON_AddStringToObject(want[1], "op", "");
    cJSON_AddStringToObject(want[2], "kind", rp_answer_kind_name(RP_ANS_TUPLE));
    cJSON_AddStringToObject(want[2], "latex", tuple.latex);
    cJSON *it = cJSON_AddArrayToObject(want[2], "items");
    cJSON *one = cJSON_CreateObject(), *two = cJSON_CreateObject();
    cJSON_AddStringToObject(one, "name", "g_3");
    cJSON *in = cJSON_AddObjectToObject(one, "answer");
    cJSON_AddStringToObject(in, "kind", rp_answer_kind_name(RP_ANS_EXPR));
    cJSON_AddStringToObject(in, "latex", "x^2");
    cJSON_AddBoolToObject(in, "up_to_constant", true);
    cJSON_AddStringToObject(cJSON_AddObjectToObject(in, "check"), "status",
                            rp_check_status_name(RP_CHECK_FAILED));
    cJSON_AddObjectToObject(two, "answer");
    cJSON_AddItemToArray(it, one);
    cJSON_AddItemToArray(it, two);
    cJSON_AddStringToObject(want[3], "kind", rp_answer_kind_name(RP_ANS_TABLE));
    cJSON *cl = cJSON_AddArrayToObject(want[3], "columns");
    cJSON_AddItemToArray(cl, cJSON_CreateString("a"));
    cJSON *row = cJSON_CreateObject();
    cJSON_AddStringToObject(row, "label", "r");
    cJSON *rc = cJSON_AddArrayToObject(row, "cells");
    cJSON_AddItemToArray(rc, cJSON_CreateString("1"));
    cJSON_AddItemToArray(rc, cJSON_CreateString("\\alpha"));
    cJSON *rv = cJSON_AddArrayToObject(row, "values");
    cJSON_AddItemToArray(rv, cJSON_CreateNumber(1));
    cJSON_AddItemToArray(rv, cJSON_CreateNull());
    cJSON *rg = cJSON_AddArrayToObject(row, "given");
    cJSON_AddItemToArray(rg, cJSON_CreateFalse());
    cJSON_AddItemToArray(rg, cJSON_CreateFalse());
    cJSON_AddItemToArray(cJSON_AddArrayToObject(want[3], "rows"), row);
    cJSON_AddStringToObject(want[4], "kind", rp_answer_kind_name(RP_ANS_PIECEWISE));
    cJSON_AddStringToObject(want[4], "var", "n");
    cJSON *cs = cJSON_AddArrayToObject(want[4], "cases");
    cJSON *c0 = cJSON_CreateObject(), *c1 = cJSON_CreateObject();
    cJSON_AddStringToObject(c0, "expr", "n");
    cJSON_AddStringToObject(c0, "cond", "n \\ge 0");
    cJSON_AddStringToObject(c0, "from", "0");
    cJSON_AddNullToObject(c0, "to");
    cJSON_AddStringToObject(c1, "cond", "n < 0");
    cJSON_AddNullToObject(c1, "from");
    cJSON_AddStringToObject(c1, "to", "-1");
    cJSON_AddItemToArray(cs, c0);
    cJSON_AddItemToArray(cs, c1);
    cJSON *sm = cJSON_AddObjectToObject(want[4], "samples");
    cJSON_AddNumberToObject(sm, "from", -1);
    cJSON_AddNumberToObject(sm, "to", 1);
    cJSON *sv = cJSON_AddArrayToObject(sm, "values");
    for (int i = 0; i < 3; i++)
        cJSON_AddItemToArray(sv, cJSON_CreateNumber(samples[i]));

    const rp_answer *got[5] = {&compute, &bad_params, &tuple, &table, &piecewise};
    for (int i = 0; i < 5; i++) {
        char *ours = rp_answer_json(got[i]);
        assert_non_null(ours);
        rp_buf b = {ours, strlen(ours), strlen(ours) + 1, 0};
        char *theirs = cjson_text(want[i], true);
        assert_same(&b, theirs, rp_answer_kind_name(got[i]->kind));
        cJSON_free(theirs);
        free(ours);
    }
}

/* ------------------------------------------------------------- reports */

/* The oracle: the report as a cJSON tree, as src/report/json.c built it
 * before it wrote directly.  Kept here, not in the library, so that the
 * writer and this agree only by being right. */
static cJSON *str_or_null(const char *s)
{
    return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *oracle_attempt(const rp_attempt *a)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "turn", a->verdict == RP_VERDICT_MISSING || a->turn <= 0
                                         ? cJSON_CreateNull() : cJSON_CreateNumber(a->turn));
    cJSON_AddStringToObject(o, "verdict", rp_verdict_name(a->verdict));
    cJSON_AddItemToObject(o, "category", str_or_null(a->category));
    cJSON_AddItemToObject(o, "detail", str_or_null(a->detail));
    cJSON_AddItemToObject(o, "claim", str_or_null(a->claim));
    if (a->note)
        cJSON_AddStringToObject(o, "note", a->note);
    return o;
}

static cJSON *oracle_report(const rp_report *r)
{
    const rp_transcript *t = r->transcript;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "redpen", REDPEN_VERSION);
    cJSON_AddNumberToObject(o, "schema", 1);
    cJSON *tr = cJSON_AddObjectToObject(o, "transcript");
    cJSON_AddItemToObject(tr, "path", str_or_null(t ? t->path : NULL));
    cJSON_AddItemToObject(tr, "format", str_or_null(t ? t->format : NULL));
    cJSON_AddItemToObject(tr, "model", str_or_null(r->model ? r->model : t ? t->model : NULL));
    cJSON *turns = cJSON_AddObjectToObject(tr, "turns");
    cJSON_AddNumberToObject(turns, "user", (double)rp_report_turns(r, RP_ROLE_USER));
    cJSON_AddNumberToObject(turns, "model", (double)rp_report_turns(r, RP_ROLE_MODEL));
    cJSON_AddNumberToObject(tr, "notes", t ? (double)t->n_notes : 0);
    cJSON *rub = cJSON_AddObjectToObject(o, "rubric");
    cJSON_AddItemToObject(rub, "id", str_or_null(r->rubric_id));
    cJSON_AddItemToObject(rub, "path", str_or_null(r->rubric_path));
    cJSON *parts = cJSON_AddArrayToObject(o, "parts");
    for (size_t i = 0; i < r->n_parts; i++) {
        const rp_part_result *p = &r->parts[i];
        cJSON *po = cJSON_CreateObject();
        cJSON_AddItemToArray(parts, po);
        cJSON_AddItemToObject(po, "part", str_or_null(p->part));
        cJSON_AddItemToObject(po, "title", str_or_null(p->title));
        cJSON_AddItemToObject(po, "truth", str_or_null(p->truth));
        cJSON_AddItemToObject(po, "first", oracle_attempt(&p->first));
        cJSON_AddItemToObject(po, "final", oracle_attempt(&p->final));
        cJSON *atts = cJSON_AddArrayToObject(po, "attempts");
        for (size_t k = 0; k < p->n_attempts; k++)
            cJSON_AddItemToArray(atts, oracle_attempt(&p->attempts[k]));
        cJSON *corrs = cJSON_AddArrayToObject(po, "corrections");
        for (size_t k = 0; k < p->n_corrections; k++) {
            const rp_correction *c = &p->corrections[k];
            cJSON *co = cJSON_CreateObject();
            cJSON_AddItemToArray(corrs, co);
            cJSON_AddNumberToObject(co, "turn", c->turn);
            cJSON_AddStringToObject(co, "kind", rp_correction_kind_name(c->kind));
            cJSON_AddItemToObject(co, "text", str_or_null(c->text));
        }
        cJSON_AddBoolToObject(po, "revealed", p->revealed);
        cJSON_AddItemToObject(po, "key_note", str_or_null(p->key_note));
    }
    const rp_report_summary *s = &r->summary;
    cJSON *sum = cJSON_AddObjectToObject(o, "summary");
    cJSON_AddNumberToObject(sum, "parts", (double)s->parts);
    cJSON_AddNumberToObject(sum, "answered", (double)s->answered);
    cJSON_AddNumberToObject(sum, "first_pass", (double)s->first_pass);
    cJSON_AddNumberToObject(sum, "final_pass", (double)s->final_pass);
    cJSON_AddNumberToObject(sum, "corrections", (double)s->corrections);
    return o;
}

/* reports[0..n) in every form the library writes, against the oracle. */
static void check_reports(rp_report *const *reps, size_t n)
{
    rp_buf b;
    rp_buf_init(&b, 0);
    for (size_t i = 0; i < n; i++) {
        for (int pretty = 0; pretty < 2; pretty++) {
            rp_buf_clear(&b);
            assert_int_equal(rp_report_write_json(reps[i], pretty, &b), RP_OK);
            char *want = cjson_text(oracle_report(reps[i]), pretty);
            assert_same(&b, want, pretty ? "pretty report" : "compact report");
            cJSON_free(want);
        }
    }
    /* {"reports": [...]} and JSON Lines */
    rp_buf_clear(&b);
    assert_int_equal(rp_reports_write_json(reps, n, &b), RP_OK);
    cJSON *all = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(all, "reports");
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(arr, oracle_report(reps[i]));
    char *want = cjson_text(all, true);
    rp_buf w;
    rp_buf_init(&w, 0);
    assert_int_equal(rp_buf_puts(&w, want), RP_OK);
    assert_int_equal(rp_buf_putc(&w, '\n'), RP_OK);
    cJSON_free(want);
    assert_same(&b, w.data, "reports document");
    rp_buf_clear(&b);
    rp_buf_clear(&w);
    assert_int_equal(rp_reports_write_jsonl(reps, n, &b), RP_OK);
    for (size_t i = 0; i < n; i++) {
        char *line = cjson_text(oracle_report(reps[i]), false);
        assert_int_equal(rp_buf_puts(&w, line), RP_OK);
        assert_int_equal(rp_buf_putc(&w, '\n'), RP_OK);
        cJSON_free(line);
    }
    assert_same(&b, w.data ? w.data : "", "JSON Lines");
    rp_buf_free(&w);
    rp_buf_free(&b);
}

/* A report with every awkward value the writer can meet: control
 * characters and broken UTF-8 in every string, NULL strings, no
 * transcript, notes, a missing attempt with a turn, negative and zero turns,
 * counts beyond int, an unknown verdict and correction kind, no parts. */
static rp_report *awkward_report(rp_arena *a, bool with_parts)
{
    rp_report *r = rp_arena_alloc(a, sizeof *r);
    assert_non_null(r);
    memset(r, 0, sizeof *r);
    r->model = "m\"odel\\ \x01\x1f\x7f \xff\xc3(";
    r->rubric_id = "id\twith\ttabs";
    r->rubric_path = NULL;
    r->summary = (rp_report_summary){(size_t)3000000000u, 0, 7, (size_t)INT_MAX,
                                     ((size_t)1 << 60) + 1, 5, 6};
    if (!with_parts)
        return r;
    r->n_parts = 2;
    r->parts = rp_arena_alloc(a, 2 * sizeof *r->parts);
    assert_non_null(r->parts);
    memset(r->parts, 0, 2 * sizeof *r->parts);
    rp_part_result *p = &r->parts[0];
    p->part = "1a\n";
    p->title = NULL;
    p->truth = "\\frac{a}{b}\n\"|\x01";
    p->first = (rp_attempt){7, RP_VERDICT_MISSING, NULL, NULL, NULL, NULL};
    p->final = (rp_attempt){-3, RP_VERDICT_FAIL, "cat\b", "det\f\r\n", "$x/y$", "note \xe2\x9c\x93"};
    p->n_attempts = 3;
    p->attempts = rp_arena_alloc(a, 3 * sizeof *p->attempts);
    assert_non_null(p->attempts);
    p->attempts[0] = p->final;
    p->attempts[1] = (rp_attempt){INT_MAX, (rp_verdict)99, "", "", "", ""};
    p->attempts[2] = (rp_attempt){1, RP_VERDICT_UNGRADED, NULL, NULL, "\\(\\frac12\\)", NULL};
    p->n_corrections = 2;
    p->corrections = rp_arena_alloc(a, 2 * sizeof *p->corrections);
    assert_non_null(p->corrections);
    p->corrections[0] = (rp_correction){0, (rp_correction_kind)42, NULL};
    p->corrections[1] = (rp_correction){INT_MIN, RP_CORR_NUDGE, "\"quoted\""};
    p->revealed = true;
    p->key_note = "key \x1b[1m";
    p = &r->parts[1]; /* no attempts, no corrections */
    p->part = "";
    p->first.verdict = p->final.verdict = RP_VERDICT_MISSING;
    return r;
}

/* Reports whose attempts repeat (a final equal to the first, attempts[]
 * equal to it, parts in a row with the same first, unanswered parts in a
 * row), which the writer copies from its own output in compact form, and
 * near misses (one field apart) that it must write out: compared with
 * cJSON, compact and pretty. */
static void test_reports_repeated(void **state)
{
    (void)state;
    rp_arena *a = rp_arena_new(0);
    assert_non_null(a);
    rp_report *r = awkward_report(a, false);
    enum { N = 9 };
    r->n_parts = N;
    r->parts = rp_arena_alloc(a, N * sizeof *r->parts);
    assert_non_null(r->parts);
    const rp_attempt pass = {2, RP_VERDICT_PASS, NULL, NULL, "$2c\\,d$ \"q\"", NULL};
    const rp_attempt fail = {3, RP_VERDICT_FAIL, "wrong_factor", "off by 2", "$c\\,d$", NULL};
    const rp_attempt none = {0, RP_VERDICT_MISSING, NULL, NULL, NULL, NULL};
    for (int i = 0; i < N; i++) {
        rp_part_result *p = &r->parts[i];
        p->part = i % 2 ? "odd" : "even";
        p->first = p->final = i < 3 ? pass : i < 6 ? none : fail;
        if (i == 4)
            p->final.turn = 1; /* missing either way: turn is null */
        if (i == 7)
            p->final.note = "unified"; /* one field apart */
        if (i == 8)
            p->first.detail = "off by 3";
        p->n_attempts = i % 3;
        p->attempts = rp_arena_alloc(a, 2 * sizeof *p->attempts);
        assert_non_null(p->attempts);
        p->attempts[0] = p->attempts[1] = p->first;
        if (i == 5)
            p->attempts[1] = fail;
    }
    rp_report *reps[3] = {r, r, awkward_report(a, true)};
    check_reports(reps, 3);
    rp_arena_free(a);
}

static void test_reports_awkward(void **state)
{
    (void)state;
    rp_arena *a = rp_arena_new(0);
    assert_non_null(a);
    rp_report *reps[2] = {awkward_report(a, true), awkward_report(a, false)};
    check_reports(reps, 2);
    check_reports(reps, 0); /* {"reports": []} */
    rp_arena_free(a);
}

/* Load the saved reports in path into set. */
static void load(const char *path, rp_report_set *set)
{
    rp_buf raw;
    rp_buf_init(&raw, 0);
    if (!rp_read_raw(path, &raw))
        fail_msg("cannot read %s", path);
    rp_diags d;
    assert_int_equal(rp_diags_init(&d), RP_OK);
    assert_int_equal(rp_report_load_json(path, raw.data ? raw.data : "", raw.len, set, &d), RP_OK);
    rp_diags_free(&d);
    rp_buf_free(&raw);
}

static void test_reports_saved(void **state)
{
    (void)state;
    rp_report_set set;
    rp_report_set_init(&set);
    load(RP_SOURCE_ROOT "/tests/report/fixtures/mini-hw.report.json", &set);
    load(RP_SOURCE_ROOT "/tests/report/fixtures/mini-hw-qwen.report.jsonl", &set);
    assert_true(set.n >= 2);
    check_reports(set.items, set.n);
    rp_report_set_free(&set);

    const char *extra = getenv("REDPEN_JSONW_EXTRA");
    if (extra && *extra) {
        rp_report_set_init(&set);
        load(extra, &set);
        check_reports(set.items, set.n);
        printf("# compared %zu reports of %s\n", set.n, extra);
        rp_report_set_free(&set);
    }
}

/* rp_jw_repeat() copies a value from the output: the text must be what
 * writing the value again gives, whether the value sits in the stage, in
 * the buffer already or across the two, and however long it is (values
 * longer than the stage are copied in pieces).  Pretty output refuses. */
static void write_obj(rp_jw *j, const char *key, const char *text)
{
    rp_jw_obj_open(j, key);
    rp_jw_num(j, "n", 1);
    rp_jw_str(j, "text", text);
    rp_jw_null(j, "none");
    rp_jw_obj_close(j);
}

static void test_repeat(void **state)
{
    (void)state;
    size_t lens[] = {0, 5, 100, RP_JW_STAGE / 2 - 30, RP_JW_STAGE - 20, 3 * RP_JW_STAGE + 5};
    char *text = malloc(3 * RP_JW_STAGE + 6);
    assert_non_null(text);
    for (size_t pad = 0; pad < 2 * RP_JW_STAGE; pad += 777) {
        for (size_t l = 0; l < sizeof lens / sizeof lens[0]; l++) {
            for (size_t i = 0; i < lens[l]; i++)
                text[i] = (char)(i % 13 == 0 ? '"' : 'a' + (int)(i % 26));
            text[lens[l]] = '\0';
            char *padding = calloc(pad + 1, 1);
            assert_non_null(padding);
            memset(padding, 'p', pad);
            rp_buf got, want;
            rp_buf_init(&got, 0);
            rp_buf_init(&want, 0);
            rp_jw j, w;
            rp_jw_begin(&j, &got, false);
            rp_jw_begin(&w, &want, false);
            rp_jw_obj_open(&j, NULL);
            rp_jw_obj_open(&w, NULL);
            rp_jw_str(&j, "pad", padding);
            rp_jw_str(&w, "pad", padding);
            write_obj(&j, "first", text);
            write_obj(&w, "first", text);
            rp_jw_obj_open(&j, "x"); /* the mark, as part_json takes it */
            rp_jw_obj_close(&j);
            rp_jw_obj_open(&w, "x");
            rp_jw_obj_close(&w);
            /* the value again: as a member, then as elements */
            rp_jw_obj_open(&j, "again");
            size_t from = rp_jw_value_start(&j);
            rp_jw_str(&j, "t", text);
            rp_jw_obj_close(&j);
            size_t to = rp_jw_pos(&j);
            rp_jw_obj_open(&w, "again");
            rp_jw_str(&w, "t", text);
            rp_jw_obj_close(&w);
            assert_true(rp_jw_repeat(&j, "copy", from, to));
            rp_jw_obj_open(&w, "copy");
            rp_jw_str(&w, "t", text);
            rp_jw_obj_close(&w);
            rp_jw_arr_open(&j, "list");
            rp_jw_arr_open(&w, "list");
            for (int k = 0; k < 3; k++) {
                assert_true(rp_jw_repeat(&j, NULL, from, to));
                rp_jw_obj_open(&w, NULL);
                rp_jw_str(&w, "t", text);
                rp_jw_obj_close(&w);
            }
            rp_jw_arr_close(&j);
            rp_jw_arr_close(&w);
            rp_jw_obj_close(&j);
            rp_jw_obj_close(&w);
            assert_int_equal(rp_jw_end(&j), RP_OK);
            assert_int_equal(rp_jw_end(&w), RP_OK);
            assert_int_equal(got.len, want.len);
            assert_memory_equal(got.data, want.data, want.len);
            rp_buf_free(&got);
            rp_buf_free(&want);
            free(padding);
        }
    }
    /* pretty output: nothing written, false */
    rp_buf b;
    rp_buf_init(&b, 0);
    rp_jw j;
    rp_jw_begin(&j, &b, true);
    rp_jw_obj_open(&j, NULL);
    write_obj(&j, "a", "x");
    size_t before = rp_jw_pos(&j);
    assert_false(rp_jw_repeat(&j, "b", 0, before));
    assert_int_equal(rp_jw_pos(&j), before);
    rp_jw_obj_close(&j);
    assert_int_equal(rp_jw_end(&j), RP_OK);
    rp_buf_free(&b);
    free(text);
}

/* ------------------------------------------------------------ failures */

/* A full buffer: the status comes back and the buffer is as it was, as when
 * cJSON printed the whole text before appending it. */
static void test_limit_undoes(void **state)
{
    (void)state;
    rp_arena *a = rp_arena_new(0);
    assert_non_null(a);
    rp_report *r = awkward_report(a, true);
    rp_buf full;
    rp_buf_init(&full, 0);
    assert_int_equal(rp_report_write_json(r, true, &full), RP_OK);
    for (size_t max = 8; max < full.len + 8; max += 97) {
        rp_buf b;
        rp_buf_init(&b, max);
        assert_int_equal(rp_buf_puts(&b, "keep"), RP_OK);
        rp_status st = rp_report_write_json(r, true, &b);
        if (st == RP_OK) {
            assert_int_equal(b.len, 4 + full.len);
        } else {
            assert_int_equal(st, RP_ELIMIT);
            assert_int_equal(b.len, 4);
            assert_string_equal(b.data, "keep");
        }
        rp_buf_clear(&b);
        /* the newline after the document is a separate append, as it
         * was: it can fail alone */
        rp_report *two[2] = {r, r};
        st = rp_reports_write_json(two, 2, &b);
        assert_true(st == RP_OK || b.len == 0 || b.data[b.len - 1] == '}');
        rp_buf_free(&b);
    }
    rp_buf_free(&full);
    rp_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape_every_byte),
        cmocka_unit_test(test_escape_long),
        cmocka_unit_test(test_escape_dense),
        cmocka_unit_test(test_keys_every_length),
        cmocka_unit_test(test_escape_named),
        cmocka_unit_test(test_escape_utf8_edges),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_deep_indent),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_begin_at),
        cmocka_unit_test(test_answers),
        cmocka_unit_test(test_reports_awkward),
        cmocka_unit_test(test_reports_repeated),
        cmocka_unit_test(test_reports_saved),
        cmocka_unit_test(test_repeat),
        cmocka_unit_test(test_limit_undoes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
