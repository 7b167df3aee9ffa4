/*
 * Unit tests of the renderers in src/report: the JSON report (written,
 * read back, refused with the JSON path of the bad value), the terminal
 * table with and without color, Markdown, HTML, the model comparison in
 * every format, the annotated transcript, KaTeX inlining, model names from
 * file names and PDF output without Chromium.  The reports are built here
 * in memory, so these tests do not depend on the grader.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "redpen/report.h"
#include "redpen/rubric.h"
#include "report_int.h"

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef RP_SOURCE_ROOT
#define RP_SOURCE_ROOT "."
#endif

/* ------------------------------------------------------------ fixtures */

/* A transcript of four turns with an annotator's note, and a report on it:
 * 1a wrong, corrected with the solution, right at turn 4; 1b right at once
 * (with a note); 2a never answered. */
typedef struct fixture {
    rp_transcript t;
    rp_report *r;
    rp_arena *ta;
} fixture;

static rp_turn mk_turn(int idx, rp_role role, const char *text)
{
    rp_turn u;
    memset(&u, 0, sizeof u);
    u.index = idx;
    u.role = role;
    u.text = text;
    u.text_len = strlen(text);
    return u;
}

static void fixture_make(fixture *f, const char *model, const char *path, bool first_right)
{
    memset(f, 0, sizeof *f);
    f->ta = rp_arena_new(0);
    assert_non_null(f->ta);
    rp_transcript *t = &f->t;
    t->path = path;
    t->format = "chat-text";
    t->model = model;
    t->arena = NULL;
    t->n_turns = 4;
    t->turns = rp_arena_alloc(f->ta, 4 * sizeof *t->turns);
    t->turns[0] = mk_turn(1, RP_ROLE_USER,
                          "Problem 1. (a) What is the runtime of \\(p(W)\\)? | pipe\n\n"
                          "<script>alert(1)</script>");
    t->turns[1] = mk_turn(2, RP_ROLE_MODEL,
                          "**Part (a).** The runtime is $O(d_{out}^2 d_{in})$.\n\n"
                          "$$\\begin{bmatrix}1 & 2 \\\\[2pt] 3 & 4\\end{bmatrix}$$\n\n"
                          "Code: `\\(not math\\)`");
    t->turns[2] = mk_turn(3, RP_ROLE_USER, "Your answer for (a) is wrong: it is $2c d_{out}^2 d_{in}$.");
    t->turns[3] = mk_turn(4, RP_ROLE_MODEL, "You are right: $2c\\,d_{out}^2 d_{in}$.");
    t->turns[1].notes = rp_arena_alloc(f->ta, sizeof(rp_note));
    t->turns[1].notes[0].text = "The model gets the *right* idea but drops c.";
    t->turns[1].n_notes = 1;
    t->n_notes = 1;

    rp_arena *a = rp_arena_new(0);
    assert_non_null(a);
    rp_report *r = rp_arena_alloc(a, sizeof *r);
    r->arena = a;
    r->transcript = t;
    r->model = model;
    r->rubric_id = "hw-test";
    r->rubric_path = "rubrics/hw-test.json";
    r->n_parts = 3;
    r->parts = rp_arena_alloc(a, 3 * sizeof *r->parts);
    rp_part_result *p = &r->parts[0];
    p->part = "1a";
    p->title = "Runtime of <one> iteration";
    p->truth = "2c\\,d_{out}^2 d_{in}";
    p->n_attempts = 2;
    p->attempts = rp_arena_alloc(a, 2 * sizeof *p->attempts);
    p->attempts[0] = (rp_attempt){2, first_right ? RP_VERDICT_PASS : RP_VERDICT_FAIL,
                                  first_right ? NULL : "missing_factor",
                                  first_right ? NULL : "missing constant c", "d_{out}^2 d_{in}", NULL};
    p->attempts[1] = (rp_attempt){4, RP_VERDICT_PASS, NULL, NULL, "2c\\,d_{out}^2 d_{in}", NULL};
    p->first = p->attempts[0];
    p->final = p->attempts[1];
    p->n_corrections = first_right ? 0 : 1;
    p->corrections = rp_arena_alloc(a, sizeof *p->corrections);
    p->corrections[0] = (rp_correction){3, RP_CORR_SOLUTION, "it is $2c d_{out}^2 d_{in}$"};
    p->revealed = !first_right;
    p = &r->parts[1];
    p->part = "1b";
    p->title = "Faster | with the Gram matrix";
    p->n_attempts = 1;
    p->attempts = rp_arena_alloc(a, sizeof *p->attempts);
    p->attempts[0] = (rp_attempt){2, RP_VERDICT_PASS, NULL, NULL, "c d_{out} d_{in}^2", "unified s with c"};
    p->first = p->final = p->attempts[0];
    p = &r->parts[2];
    p->part = "2a";
    p->title = "Missing part";
    p->first.verdict = p->final.verdict = RP_VERDICT_MISSING;
    r->summary = (rp_report_summary){3, 2, first_right ? 2 : 1, 2, first_right ? 0 : 1,
                                     first_right ? 0 : 1, 0};
    f->r = r;
}

static void fixture_free(fixture *f)
{
    rp_report_free(f->r);
    rp_arena_free(f->ta);
}

static bool has(const rp_buf *b, const char *s)
{
    return b->data && strstr(b->data, s) != NULL;
}

static size_t count(const rp_buf *b, const char *s)
{
    size_t n = 0;
    for (const char *p = b->data; p && (p = strstr(p, s)) != NULL; p += strlen(s))
        n++;
    return n;
}

/* ----------------------------------------------------------------- JSON */

static void test_json_contract(void **state)
{
    (void)state;
    fixture f;
    fixture_make(&f, "Claude", "transcripts/x.txt", false);
    rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_report_write_json(f.r, true, &b), RP_OK);
    cJSON *o = cJSON_Parse(b.data);
    assert_non_null(o);
    assert_string_equal(cJSON_GetObjectItem(o, "redpen")->valuestring, REDPEN_VERSION);
    assert_int_equal(cJSON_GetObjectItem(o, "schema")->valueint, 1);
    cJSON *t = cJSON_GetObjectItem(o, "transcript");
    assert_string_equal(cJSON_GetObjectItem(t, "model")->valuestring, "Claude");
    assert_string_equal(cJSON_GetObjectItem(t, "format")->valuestring, "chat-text");
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(t, "turns"), "user")->valueint, 2);
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(t, "turns"), "model")->valueint, 2);
    assert_int_equal(cJSON_GetObjectItem(t, "notes")->valueint, 1);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(o, "rubric"), "id")->valuestring, "hw-test");
    cJSON *parts = cJSON_GetObjectItem(o, "parts");
    assert_int_equal(cJSON_GetArraySize(parts), 3);
    cJSON *p0 = cJSON_GetArrayItem(parts, 0);
    cJSON *first = cJSON_GetObjectItem(p0, "first");
    assert_int_equal(cJSON_GetObjectItem(first, "turn")->valueint, 2);
    assert_string_equal(cJSON_GetObjectItem(first, "verdict")->valuestring, "fail");
    assert_string_equal(cJSON_GetObjectItem(first, "category")->valuestring, "missing_factor");
    assert_null(cJSON_GetObjectItem(first, "note")); /* only when there is one */
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetObjectItem(p0, "final"), "category")));
    cJSON *corr = cJSON_GetArrayItem(cJSON_GetObjectItem(p0, "corrections"), 0);
    assert_string_equal(cJSON_GetObjectItem(corr, "kind")->valuestring, "solution");
    assert_int_equal(cJSON_GetObjectItem(corr, "turn")->valueint, 3);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(p0, "revealed")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(p0, "key_note")));
    cJSON *p1 = cJSON_GetArrayItem(parts, 1);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(p1, "first"), "note")->valuestring,
                        "unified s with c");
    cJSON *p2 = cJSON_GetArrayItem(parts, 2);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetObjectItem(p2, "first"), "turn")));
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(p2, "final"), "verdict")->valuestring,
                        "missing");
    cJSON *s = cJSON_GetObjectItem(o, "summary");
    assert_int_equal(cJSON_GetObjectItem(s, "parts")->valueint, 3);
    assert_int_equal(cJSON_GetObjectItem(s, "answered")->valueint, 2);
    assert_int_equal(cJSON_GetObjectItem(s, "first_pass")->valueint, 1);
    assert_int_equal(cJSON_GetObjectItem(s, "final_pass")->valueint, 2);
    assert_int_equal(cJSON_GetObjectItem(s, "corrections")->valueint, 1);
    assert_null(cJSON_GetObjectItem(s, "revealed")); /* not in schema 1 */
    cJSON_Delete(o);
    rp_buf_free(&b);
    fixture_free(&f);
}

static void test_json_round_trip(void **state)
{
    (void)state;
    fixture f, g;
    fixture_make(&f, "Claude", "transcripts/x.txt", false);
    fixture_make(&g, "Qwen3-Max", "transcripts/y.txt", true);
    rp_report *both[2] = {f.r, g.r};
    rp_buf one, many, lines;
    rp_buf_init(&one, 0);
    rp_buf_init(&many, 0);
    rp_buf_init(&lines, 0);
    assert_int_equal(rp_report_write_json(f.r, true, &one), RP_OK);
    assert_int_equal(rp_reports_write_json(both, 2, &many), RP_OK);
    assert_int_equal(rp_reports_write_jsonl(both, 2, &lines), RP_OK);
    assert_int_equal(count(&lines, "\n"), 2);
    assert_true(rp_report_json_detect(one.data, one.len));
    assert_true(rp_report_json_detect(many.data, many.len));
    assert_true(rp_report_json_detect(lines.data, lines.len));
    assert_false(rp_report_json_detect("{\"messages\": []}", 16));
    assert_false(rp_report_json_detect("You said: hello", 15));

    rp_diags d;
    assert_int_equal(rp_diags_init(&d), RP_OK);
    rp_report_set set;
    rp_report_set_init(&set);
    assert_int_equal(rp_report_load_json("one.json", one.data, one.len, &set, &d), RP_OK);
    assert_int_equal(rp_report_load_json("many.json", many.data, many.len, &set, &d), RP_OK);
    assert_int_equal(rp_report_load_json("lines.jsonl", lines.data, lines.len, &set, &d), RP_OK);
    assert_int_equal(set.n, 5);
    assert_int_equal(d.n, 0);
    /* the same JSON again, from the loaded report */
    rp_buf again;
    rp_buf_init(&again, 0);
    assert_int_equal(rp_report_write_json(set.items[0], true, &again), RP_OK);
    assert_string_equal(again.data, one.data);
    rp_buf_clear(&again);
    assert_int_equal(rp_reports_write_jsonl(set.items + 3, 2, &again), RP_OK);
    assert_string_equal(again.data, lines.data);
    assert_int_equal(set.items[0]->summary.revealed, 1);
    assert_string_equal(set.items[4]->model, "Qwen3-Max");
    assert_int_equal(rp_transcript_count(set.items[0]->transcript, RP_ROLE_USER), 2);
    rp_buf_free(&again);
    rp_report_set_free(&set);
    rp_diags_free(&d);
    rp_buf_free(&one);
    rp_buf_free(&many);
    rp_buf_free(&lines);
    fixture_free(&f);
    fixture_free(&g);
}

/* Load text and expect failure with a diagnostic containing want. */
static void expect_refused(const char *text, const char *want)
{
    rp_diags d;
    assert_int_equal(rp_diags_init(&d), RP_OK);
    rp_report_set set;
    rp_report_set_init(&set);
    rp_status st = rp_report_load_json("bad.json", text, strlen(text), &set, &d);
    assert_int_not_equal(st, RP_OK);
    assert_int_equal(set.n, 0);
    assert_non_null(d.head);
    char msg[1024];
    snprintf(msg, sizeof msg, "%s %s", d.head->path ? d.head->path : "", d.head->msg);
    if (!strstr(msg, want))
        fail_msg("diagnostic '%s' lacks '%s'", msg, want);
    rp_report_set_free(&set);
    rp_diags_free(&d);
}

static void test_json_refusals(void **state)
{
    (void)state;
    expect_refused("{\"schema\": 2, \"parts\": []}", "schema 1");
    expect_refused("{\"schema\": 1, \"parts\": [{\"part\": \"1a\", \"first\": {\"turn\": 2, "
                   "\"verdict\": \"great\"}, \"final\": {\"turn\": 2, \"verdict\": \"pass\"}}]}",
                   "$.parts[0].first.verdict");
    expect_refused("{\"schema\": 1, \"parts\": [{\"part\": \"1a\", \"first\": {\"verdict\": \"pass\"}, "
                   "\"final\": {\"turn\": 2, \"verdict\": \"pass\"}}]}",
                   "$.parts[0].first.turn");
    expect_refused("{\"schema\": 1, \"parts\": [{\"part\": \"1a\", \"first\": {\"turn\": null, "
                   "\"verdict\": \"missing\"}, \"final\": {\"turn\": null, \"verdict\": \"missing\"}, "
                   "\"corrections\": [{\"turn\": 3, \"kind\": \"shout\"}]}]}",
                   "$.parts[0].corrections[0].kind");
    expect_refused("{\"schema\": 1, \"parts\": {}}", "$.parts");
    expect_refused("{\"reports\": [{\"schema\": 1, \"parts\": [{\"title\": \"x\"}]}]}",
                   "$.reports[0].parts[0].part");
    expect_refused("{\"schema\": 1, \"parts\": [], \"transcript\": {\"turns\": {\"user\": -1}}}",
                   "$.transcript.turns.user");
    /* JSON Lines: the second line is broken */
    rp_diags d;
    assert_int_equal(rp_diags_init(&d), RP_OK);
    rp_report_set set;
    rp_report_set_init(&set);
    const char *jl = "{\"schema\": 1, \"parts\": []}\n{\"schema\": 1, \"parts\": [\n";
    assert_int_equal(rp_report_load_json("x.jsonl", jl, strlen(jl), &set, &d), RP_EINPUT);
    assert_int_equal(set.n, 0);
    assert_int_equal(d.head->line, 2);
    rp_report_set_free(&set);
    rp_diags_free(&d);
    expect_refused("", "no report");
}

/* Mutations of a valid report (bytes changed, cut, duplicated) are either
 * read or refused with a diagnostic; never a crash (this runs under ASan
 * in scripts/test), and whatever is read renders. */
static void test_json_mutations(void **state)
{
    (void)state;
    fixture f;
    fixture_make(&f, "Claude", "transcripts/x.txt", false);
    rp_buf good;
    rp_buf_init(&good, 0);
    assert_int_equal(rp_report_write_json(f.r, false, &good), RP_OK);
    static const char alphabet[] = "{}[]\",:0123456789-.enulltruefalse \\\n";
    uint32_t seed = 12345;
    size_t read = 0, refused = 0;
    for (int round = 0; round < 3000; round++) {
        rp_buf m;
        rp_buf_init(&m, 0);
        assert_int_equal(rp_buf_append(&m, good.data, good.len), RP_OK);
        int edits = 1 + round % 4;
        for (int e = 0; e < edits && m.len > 0; e++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % m.len;
            switch ((seed >> 4) % 3) {
            case 0: m.data[at] = alphabet[(seed >> 16) % (sizeof alphabet - 1)]; break;
            case 1: m.len = at; m.data[at] = '\0'; break;              /* cut */
            default:                                                    /* repeat a piece */
                assert_int_equal(rp_buf_append(&m, m.data + at, (m.len - at) % 64), RP_OK);
                break;
            }
        }
        rp_diags d;
        assert_int_equal(rp_diags_init(&d), RP_OK);
        rp_report_set set;
        rp_report_set_init(&set);
        rp_status st = rp_report_load_json("m.json", m.data ? m.data : "", m.len, &set, &d);
        if (st == RP_OK) {
            read++;
            rp_buf out;
            rp_buf_init(&out, 0);
            assert_int_equal(rp_compare_render(set.items, set.n, RP_COMPARE_TEXT, false, NULL, &out), RP_OK);
            assert_int_equal(rp_report_render_text(set.items[0], false, &out), RP_OK);
            rp_buf_free(&out);
        } else {
            refused++;
            assert_int_equal(set.n, 0);
            assert_non_null(d.head); /* always says why */
        }
        rp_report_set_free(&set);
        rp_diags_free(&d);
        rp_buf_free(&m);
    }
    assert_true(read > 0 && refused > 0);
    rp_buf_free(&good);
    fixture_free(&f);
}

static void test_json_deep_nesting(void **state)
{
    (void)state;
    size_t n = 200000;
    char *deep = malloc(2 * n + 64);
    assert_non_null(deep);
    size_t k = (size_t)sprintf(deep, "{\"schema\": 1, \"parts\": ");
    for (size_t i = 0; i < n; i++)
        deep[k++] = '[';
    for (size_t i = 0; i < n; i++)
        deep[k++] = ']';
    deep[k++] = '}';
    rp_diags d;
    assert_int_equal(rp_diags_init(&d), RP_OK);
    rp_report_set set;
    rp_report_set_init(&set);
    assert_int_equal(rp_report_load_json("deep.json", deep, k, &set, &d), RP_EINPUT);
    assert_int_equal(set.n, 0);
    assert_non_null(d.head);
    rp_report_set_free(&set);
    rp_diags_free(&d);
    free(deep);
}

/* ----------------------------------------------------------- text, md */

static void test_text_table(void **state)
{
    (void)state;
    fixture f;
    fixture_make(&f, "Claude", "transcripts/x.txt", false);
    rp_buf plain, color;
    rp_buf_init(&plain, 0);
    rp_buf_init(&color, 0);
    assert_int_equal(rp_report_render_text(f.r, false, &plain), RP_OK);
    assert_int_equal(rp_report_render_text(f.r, true, &color), RP_OK);
    assert_false(has(&plain, "\x1b["));
    assert_true(has(&color, "\x1b[31m"));                 /* red fail */
    assert_true(has(&plain, "1a"));
    assert_true(has(&plain, "missing_factor"));
    assert_true(has(&plain, "1 (solution), revealed"));
    assert_true(has(&plain, "first try 1/3, final 2/3, 1 corrections, 1 revealed"));
    assert_int_equal(count(&plain, "\n"), 2 + 3 + 1);     /* title, header, parts, summary */
    assert_false(has(&plain, "expected")); /* no part fails in the end */
    rp_buf_free(&plain);
    rp_buf_free(&color);
    fixture_free(&f);
}

/* A part that fails in the end gets a line with the expected answer and the
 * last claim (line breaks as spaces, long ones cut); one without a truth
 * gets none. */
static void test_text_expected(void **state)
{
    (void)state;
    fixture f;
    fixture_make(&f, "Claude", "transcripts/x.txt", false);
    rp_part_result *p = &f.r->parts[0];
    p->attempts[1] = (rp_attempt){4, RP_VERDICT_FAIL, "arithmetic", NULL, "3c\nd", NULL};
    p->final = p->attempts[1];
    rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_report_render_text(f.r, false, &b), RP_OK);
    assert_true(has(&b, "\n  expected 2c\\,d_{out}^2 d_{in}  claimed 3c d\n"));
    assert_int_equal(count(&b, "\n"), 2 + 3 + 1 + 1);
    rp_buf_free(&b);
    p->truth = "\\begin{bmatrix}1 & 2 & 3 & 4 & 5 & 6 & 7 & 8 & 9 & 10 & 11 & 12 & 13 & 14\\end{bmatrix}";
    rp_buf_init(&b, 0);
    assert_int_equal(rp_report_render_text(f.r, false, &b), RP_OK);
    assert_true(has(&b, "expected \\begin{bmatrix}1 & 2"));
    assert_true(has(&b, "\xe2\x80\xa6  claimed")); /* cut, with an ellipsis */
    assert_false(has(&b, "14\\end"));
    rp_buf_free(&b);
    p->truth = NULL;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_report_render_text(f.r, false, &b), RP_OK);
    assert_false(has(&b, "expected"));
    rp_buf_free(&b);
    fixture_free(&f);
}

static void test_color_wanted(void **state)
{
    (void)state;
    int fd = open("/dev/null", O_WRONLY);
    assert_true(fd >= 0);
    assert_false(rp_report_color_wanted(fd)); /* not a terminal */
    close(fd);
    setenv("NO_COLOR", "", 1);
    assert_false(rp_report_color_wanted(0));
    unsetenv("NO_COLOR");
}

static void test_markdown(void **state)
{
    (void)state;
    fixture f;
    fixture_make(&f, "Claude", "transcripts/x.txt", false);
    rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_report_render_md(f.r, &b), RP_OK);
    assert_true(has(&b, "# Claude\n"));
    assert_true(has(&b, "| part | title | expected | first | final | corrections | diagnosis |"));
    assert_true(has(&b, "| $2c\\,d_{out}^2 d_{in}$ |")); /* the expected answer as math */
    assert_true(has(&b, "| Missing part |  | \xe2\x80\x93 missing")); /* none known: empty */
    assert_true(has(&b, "Faster \\| with the Gram matrix")); /* a | in a cell is escaped */
    assert_true(has(&b, "`missing_factor`: missing constant c"));
    rp_buf_free(&b);
    fixture_free(&f);
}

static void test_html_report(void **state)
{
    (void)state;
    fixture f;
    fixture_make(&f, "Claude <b>", "transcripts/x.txt", false);
    rp_html_opts o = {NULL, NULL, true, NULL, NULL};
    rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_report_render_html(f.r, &o, &b), RP_OK);
    assert_true(has(&b, "<!DOCTYPE html>"));
    assert_true(has(&b, "Content-Security-Policy"));
    assert_true(has(&b, "Claude &lt;b&gt;"));
    assert_false(has(&b, "Claude <b>"));
    assert_true(has(&b, "Runtime of &lt;one&gt; iteration"));
    assert_true(has(&b, "<td class=\"expected\">\\(2c\\,d_{out}^2 d_{in}\\)</td>")); /* the truth */
    assert_true(has(&b, "<td class=\"expected\"></td>"));                        /* none known */
    assert_false(has(&b, "<script")); /* no KaTeX asked for */
    assert_true(has(&b, "</html>\n"));
    /* several reports: one page, a section each */
    fixture g;
    fixture_make(&g, "Qwen3-Max", "transcripts/y.txt", true);
    rp_report *two[2] = {f.r, g.r};
    rp_buf_clear(&b);
    assert_int_equal(rp_reports_render_html(two, 2, &o, &b), RP_OK);
    assert_int_equal(count(&b, "<!DOCTYPE html>"), 1);
    assert_int_equal(count(&b, "<section class=\"report\">"), 2);
    assert_true(has(&b, "Qwen3-Max"));
    rp_buf_free(&b);
    fixture_free(&g);
    fixture_free(&f);
}

/* ------------------------------------------------------------- formats */

/* The extension of -o picks the format: case ignored, only the last
 * extension of the file name (not of a folder) counts, standard output and
 * unknown or missing extensions name none; --format wins. */
static void test_format_from_path(void **state)
{
    (void)state;
    static const struct {
        const char *path, *format;
    } cases[] = {
        {"r.json", "json"},       {"out/r.jsonl", "jsonl"}, {"R.MD", "md"},
        {"a.b/r.html", "html"},   {"r.htm", "html"},        {"r.pdf", "pdf"},
        {"x.csv", "csv"},         {"x.txt", "text"},        {"r.tar.json", "json"},
        {"r.json.bak", NULL},     {"a.html/report", NULL},  {".json", NULL},
        {"dir/.md", NULL},        {"-", NULL},              {"report", NULL},
        {"r.", NULL},             {NULL, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = rp_report_format_from_path(cases[i].path);
        if (cases[i].format)
            assert_string_equal(got, cases[i].format);
        else
            assert_null(got);
    }
    assert_string_equal(rp_report_format_pick(NULL, "r.html", "text"), "html");
    assert_string_equal(rp_report_format_pick("md", "r.html", "text"), "md");
    assert_string_equal(rp_report_format_pick(NULL, "-", "text"), "text");
    assert_string_equal(rp_report_format_pick(NULL, NULL, "html"), "html");
    rp_compare_format f = RP_COMPARE_TEXT;
    assert_int_equal(rp_compare_format_parse("json", &f), RP_OK);
    assert_int_equal(f, RP_COMPARE_JSON);
    assert_int_equal(rp_compare_format_parse("pdf", &f), RP_EUNSUPPORTED);
    assert_int_equal(rp_compare_format_parse(NULL, &f), RP_EUNSUPPORTED);
    assert_int_equal(f, RP_COMPARE_JSON);
}

/* ------------------------------------------------------------- compare */

static void test_compare(void **state)
{
    (void)state;
    fixture a, b, c;
    fixture_make(&a, "Claude", "transcripts/claude-1.txt", false);
    fixture_make(&b, "Claude", "transcripts/claude-2.txt", true);
    fixture_make(&c, "Qwen3-Max", "transcripts/qwen.txt", false);
    b.r->model = "claude"; /* another spelling of the same model */
    rp_report *all[3] = {a.r, b.r, c.r};
    rp_buf out;
    rp_buf_init(&out, 0);

    assert_int_equal(rp_compare_render(all, 3, RP_COMPARE_JSON, false, NULL, &out), RP_OK);
    cJSON *o = cJSON_Parse(out.data);
    assert_non_null(o);
    cJSON *models = cJSON_GetObjectItem(o, "models");
    assert_int_equal(cJSON_GetArraySize(models), 2);
    cJSON *m0 = cJSON_GetArrayItem(models, 0);
    assert_string_equal(cJSON_GetObjectItem(m0, "model")->valuestring, "Claude");
    assert_int_equal(cJSON_GetObjectItem(m0, "transcripts")->valueint, 2);
    assert_int_equal(cJSON_GetObjectItem(m0, "parts")->valueint, 6);
    assert_int_equal(cJSON_GetObjectItem(m0, "answered")->valueint, 4);
    assert_int_equal(cJSON_GetObjectItem(m0, "first_pass")->valueint, 3);
    assert_int_equal(cJSON_GetObjectItem(m0, "final_pass")->valueint, 4);
    assert_true(cJSON_GetObjectItem(m0, "first_pass_rate")->valuedouble == 0.5);
    cJSON *corr = cJSON_GetObjectItem(m0, "corrections");
    assert_int_equal(cJSON_GetObjectItem(corr, "total")->valueint, 1);
    assert_int_equal(cJSON_GetObjectItem(corr, "solution")->valueint, 1);
    assert_true(cJSON_GetObjectItem(corr, "per_part")->valuedouble == 0.25);
    assert_int_equal(cJSON_GetObjectItem(m0, "revealed")->valueint, 1);
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(m0, "categories"), "missing_factor")->valueint, 1);
    cJSON *parts = cJSON_GetObjectItem(o, "parts");
    assert_int_equal(cJSON_GetArraySize(parts), 3);
    cJSON *q1a = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetArrayItem(parts, 0), "models"), "Qwen3-Max");
    assert_string_equal(cJSON_GetObjectItem(q1a, "first")->valuestring, "fail");
    assert_string_equal(cJSON_GetObjectItem(q1a, "final")->valuestring, "pass");
    assert_int_equal(cJSON_GetObjectItem(q1a, "corrections")->valueint, 1);
    cJSON_Delete(o);

    rp_buf_clear(&out);
    assert_int_equal(rp_compare_render(all, 3, RP_COMPARE_TEXT, false, NULL, &out), RP_OK);
    assert_true(has(&out, "3 transcripts, 2 models"));
    assert_true(has(&out, "Qwen3-Max"));
    assert_true(has(&out, "missing_factor 1"));
    assert_false(has(&out, "\x1b["));

    rp_buf_clear(&out);
    assert_int_equal(rp_compare_render(all, 3, RP_COMPARE_MD, false, NULL, &out), RP_OK);
    assert_true(has(&out, "## Models"));
    assert_true(has(&out, "| Claude | 2 | 4/6 | 3/6 (50%) | 4/6 (67%) | 0.25 |"));
    assert_true(has(&out, "## Error categories"));

    rp_buf_clear(&out);
    rp_html_opts ho = {NULL, NULL, true, NULL, NULL};
    assert_int_equal(rp_compare_render(all, 3, RP_COMPARE_HTML, false, &ho, &out), RP_OK);
    assert_true(has(&out, "<svg id=\"heatmap\""));
    assert_true(has(&out, "<svg id=\"categories\""));
    assert_true(has(&out, "<svg id=\"passrates\""));
    assert_true(has(&out, "Faster | with the Gram matrix"));
    assert_true(count(&out, "class=\"cell\"") == 2 * 3); /* one heat-map cell per model and part */
    assert_int_equal(count(&out, "<table class=\"sortable\">"), 3);
    assert_false(has(&out, "src=\"http"));           /* nothing fetched */
    rp_buf_free(&out);
    fixture_free(&a);
    fixture_free(&b);
    fixture_free(&c);
}

/* A heat-map cell links to the part in the annotated page only when that
 * page is in link_dir, under a name that cannot be a scheme; a right
 * answer later replaced by a wrong one is marked; the attempts are listed. */
static void test_compare_links(void **state)
{
    (void)state;
    fixture a, b;
    fixture_make(&a, "Claude", "runs/x.txt", false);
    fixture_make(&b, "Qwen", "java script:x?.json", false);
    rp_part_result *p = &a.r->parts[0];
    p->attempts = rp_arena_alloc(a.r->arena, 3 * sizeof *p->attempts);
    p->attempts[0] = (rp_attempt){2, RP_VERDICT_PASS, NULL, NULL, "x", NULL};
    p->attempts[1] = (rp_attempt){4, RP_VERDICT_FAIL, "arithmetic", NULL, "y", NULL};
    p->attempts[2] = (rp_attempt){6, RP_VERDICT_PASS, NULL, NULL, "x", NULL};
    p->n_attempts = 3;
    p->first = p->attempts[0];
    p->final = p->attempts[2];
    rp_report *all[2] = {a.r, b.r};
    char dir[] = "/tmp/redpen-links-XXXXXX";
    assert_non_null(mkdtemp(dir));
    rp_html_opts ho = {NULL, NULL, true, NULL, dir};
    rp_buf out;
    rp_buf_init(&out, 0);
    assert_int_equal(rp_compare_render(all, 2, RP_COMPARE_HTML, false, &ho, &out), RP_OK);
    assert_int_equal(count(&out, "<a class=\"cell\""), 0); /* no page written yet */
    assert_int_equal(count(&out, "data-regress=\"1\""), 1);
    assert_int_equal(count(&out, "class=\"regress\""), 1);
    assert_true(has(&out, "data-seq=\"\xe2\x9c\x93 turn 2 \xe2\x86\x92 \xe2\x9c\x97 turn 4 \xe2\x86\x92 "
                          "\xe2\x9c\x93 turn 6\""));
    char path[256];
    const char *pages[] = {"x.annotated.html", "java script:x?.annotated.html"};
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, pages[i]);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fclose(f);
    }
    rp_buf_clear(&out);
    assert_int_equal(rp_compare_render(all, 2, RP_COMPARE_HTML, false, &ho, &out), RP_OK);
    assert_int_equal(count(&out, "<a class=\"cell\""), 2 * 3);
    assert_true(has(&out, "<a class=\"cell\" href=\"x.annotated.html#part-1a\" data-part=\"1a\""));
    assert_true(has(&out, "href=\"java%20script%3Ax%3F.annotated.html#part-2a\""));
    rp_buf_free(&out);
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, pages[i]);
        remove(path);
    }
    rmdir(dir);
    fixture_free(&a);
    fixture_free(&b);
}

/* The annotated page's file name that the comparison links to. */
static void test_annotated_page_name(void **state)
{
    (void)state;
    rp_arena *a = rp_arena_new(0);
    assert_string_equal(rp_annotated_page_name("runs/claude-hw4.txt", a), "claude-hw4.annotated.html");
    assert_string_equal(rp_annotated_page_name("a.b/notes", a), "notes.annotated.html");
    assert_string_equal(rp_annotated_page_name(".hidden", a), ".hidden.annotated.html");
    assert_string_equal(rp_annotated_page_name("x.tar.gz", a), "x.tar.annotated.html");
    assert_null(rp_annotated_page_name("-", a));
    assert_null(rp_annotated_page_name("", a));
    assert_null(rp_annotated_page_name(NULL, a));
    rp_arena_free(a);
}

/* ------------------------------------------------------------ annotate */

static void test_annotate_html(void **state)
{
    (void)state;
    fixture f;
    fixture_make(&f, "Claude", "transcripts/x.txt", false);
    rp_html_opts o = {NULL, NULL, true, NULL, NULL};
    rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_annotate_render(&f.t, f.r, RP_ANNOTATE_HTML, &o, &b), RP_OK);
    for (int i = 1; i <= 4; i++) {
        char id[32];
        snprintf(id, sizeof id, "id=\"turn-%d\"", i);
        assert_true(has(&b, id));
    }
    assert_true(has(&b, "<div class=\"mn fail\" id=\"part-1a-a1\" data-part=\"1a\" data-v=\"fail\">"));
    assert_true(has(&b, "id=\"part-1a-a2\"")); /* every attempt has its anchor */
    assert_true(has(&b, "<span class=\"p\" id=\"part-1a-c1\" data-part=\"1a\" data-c=\"solution\">"));
    /* the summary rows are the parts' anchors, with what the filters read */
    assert_true(has(&b, "<tr id=\"part-1a\" data-part=\"1a\" data-final=\"pass\" data-corr=\"1\" "
                        "data-cats=\" missing_factor\" data-fail=\"1\" data-rev=\"1\"><td><b>1a</b>"));
    assert_true(has(&b, "<tr id=\"part-2a\" data-part=\"2a\" data-final=\"missing\" data-corr=\"0\" "
                        "data-cats=\"\"><td>"));
    /* the index, filters and keys come from the page's script only */
    assert_false(has(&b, "<nav"));
    assert_true(has(&b, "<script nonce=\"redpen-report\">\n(function () {"));
    assert_true(has(&b, "rp-bar"));
    assert_true(has(&b, "<div class=\"mn corr solution\">"));  /* the correction, turn 3 */
    assert_int_equal(count(&b, "class=\"mn pass\""), 2);       /* 1b at 2, 1a at 4 */
    assert_true(has(&b, "missing constant c"));
    assert_true(has(&b, "<div class=\"note\">"));
    assert_true(has(&b, "<em>right</em>"));                    /* notes are Markdown too */
    assert_false(has(&b, "<script>alert"));                    /* raw HTML is text */
    assert_true(has(&b, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_true(has(&b, "<x-equation>p(W)</x-equation>"));     /* \( \) became math */
    assert_true(has(&b, "\\\\[2pt]"));                         /* a LaTeX line break stays */
    assert_true(has(&b, "<code>\\(not math\\)</code>"));       /* code is left alone */
    assert_true(has(&b, "<table>"));                           /* the summary */
    rp_buf_free(&b);
    fixture_free(&f);
}

/* Claims and quoted corrections in the margin: a bare formula typeset as
 * math; prose kept as text (not typeset as one italic word); Markdown
 * rendered (no raw ** or $ left); a long claim cut before a formula, not
 * inside it. */
static void test_annotate_claims(void **state)
{
    (void)state;
    fixture f;
    fixture_make(&f, "Claude", "transcripts/x.txt", false);
    char longer[800];
    snprintf(longer, sizeof longer, "%s", "The answer is **yes**: ");
    while (strlen(longer) < 585)
        strcat(longer, "word ");
    strcat(longer, "$\\frac{a}{b} + c$ and more words after it to pass the limit of the cut");
    f.r->parts[1].attempts[0].claim = "table with 7 of 7 rows";
    f.r->parts[0].attempts[0].claim = longer;
    f.r->parts[0].corrections[0].text = "it is **not** $2c$";
    rp_html_opts o = {NULL, NULL, true, NULL, NULL};
    rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_annotate_render(&f.t, f.r, RP_ANNOTATE_HTML, &o, &b), RP_OK);
    assert_true(has(&b, "claimed: \\(2c\\,d_{out}^2 d_{in}\\)"));       /* a formula */
    assert_true(has(&b, "<p>table with 7 of 7 rows</p>"));               /* prose as text */
    assert_false(has(&b, "\\(table with"));
    assert_true(has(&b, "The answer is <strong>yes</strong>: word"));   /* Markdown */
    assert_false(has(&b, "\\frac{a}"));                                 /* cut before the $ */
    assert_true(has(&b, "word \xe2\x80\xa6</p>"));
    assert_true(has(&b, "it is <strong>not</strong> <x-equation>2c</x-equation>"));
    rp_buf_free(&b);
    fixture_free(&f);
}

/* With the rubric the report was graded with, every margin note shows the
 * expected answer beside the claim (HTML and Markdown); with another
 * rubric, or none, it does not. */
static void test_annotate_expected(void **state)
{
    (void)state;
    fixture f;
    fixture_make(&f, "Claude", "transcripts/x.txt", false);
    const char *own = f.r->parts[0].truth;
    f.r->parts[0].truth = NULL; /* first from the rubric */
    rp_answer truth = {.kind = RP_ANS_EXPR, .latex = "2c\\,d_{out}^2 d_{in}"};
    rp_part parts[1];
    memset(parts, 0, sizeof parts);
    parts[0].id = "1a";
    parts[0].truth = &truth;
    rp_rubric rb;
    memset(&rb, 0, sizeof rb);
    rb.id = "hw-test";
    rb.parts = parts;
    rb.n_parts = 1;
    rp_html_opts o = {NULL, NULL, true, &rb, NULL};
    rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_annotate_render(&f.t, f.r, RP_ANNOTATE_HTML, &o, &b), RP_OK);
    assert_int_equal(count(&b, "<span class=\"expected\">expected: \\(2c\\,d_{out}^2 d_{in}\\)</span>"), 2);
    rp_buf_clear(&b);
    assert_int_equal(rp_annotate_render(&f.t, f.r, RP_ANNOTATE_MD, &o, &b), RP_OK);
    assert_true(has(&b, "> claimed: $d_{out}^2 d_{in}$ \xc2\xb7 expected: $2c\\,d_{out}^2 d_{in}$\n"));
    assert_true(has(&b, "> claimed: $c d_{out} d_{in}^2$\n")); /* 1b: no truth */
    rb.id = "other";
    rp_buf_clear(&b);
    assert_int_equal(rp_annotate_render(&f.t, f.r, RP_ANNOTATE_HTML, &o, &b), RP_OK);
    assert_false(has(&b, "class=\"expected\""));
    /* the report's own expected answer (a saved report) needs no rubric */
    f.r->parts[0].truth = own;
    rp_buf_clear(&b);
    assert_int_equal(rp_annotate_render(&f.t, f.r, RP_ANNOTATE_HTML, NULL, &b), RP_OK);
    assert_int_equal(count(&b, "<span class=\"expected\">expected: \\(2c\\,d_{out}^2 d_{in}\\)</span>"), 2);
    rp_buf_free(&b);
    fixture_free(&f);
}

static void test_annotate_md(void **state)
{
    (void)state;
    fixture f;
    fixture_make(&f, "Claude", "transcripts/x.txt", false);
    rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_annotate_render(&f.t, f.r, RP_ANNOTATE_MD, NULL, &b), RP_OK);
    assert_true(has(&b, "### Turn 3 · Student"));
    assert_true(has(&b, "> **Annotator's note.** The model gets"));
    assert_true(has(&b, "> **redpen · 1a** ✗ fail `missing_factor`: missing constant c"));
    assert_true(has(&b, "> **redpen · correction (solution) of 1a**"));
    rp_buf_free(&b);
    fixture_free(&f);
}

static void test_markdown_to_html(void **state)
{
    (void)state;
    const char *text = "Line one\nline two\n\n```\ncode \\(x\\)\nmore\n```\nafter \\(y\\) and `\\(z\\)`\n\n"
                       "| a | b |\n| --- | --- |\n| $x_1$ | 2 |\n";
    rp_buf b;
    rp_buf_init(&b, 0);
    rp_w w = rp_w_on(&b);
    rp_md_to_html(&w, text, strlen(text));
    assert_int_equal(w.st, RP_OK);
    assert_true(has(&b, "<p>Line one<br>\nline two</p>"));         /* breaks as the chat showed them */
    assert_true(has(&b, "<code>code \\(x\\)\nmore\n</code>"));   /* fenced code untouched */
    assert_true(has(&b, "after <x-equation>y</x-equation> and <code>\\(z\\)</code>"));
    assert_true(has(&b, "<td><x-equation>x_1</x-equation></td>"));  /* tables with math */
    assert_int_equal(count(&b, "<br>"), 1);
    rp_buf_free(&b);
}

/* A display formula over several lines stays one math span whatever its
 * lines start with (rows of a matrix that read as a list item, a numbered
 * item, a heading or a quote ended the paragraph, and "\\" was then taken
 * for an escaped backslash: the matrix lost its rows).  LaTeX comments go;
 * \$ never opens a formula; code and an unclosed $$ are left as they are. */
static void test_markdown_display_math(void **state)
{
    (void)state;
    const char *text = "The kernel is\n$$\n\\begin{bmatrix}\n- 1 & 0 \\\\ % first row\n"
                       "1. & 2 \\\\\n# & 3 \\\\\n> 4 & 5\n\\end{bmatrix}\n$$\nso.\n\n"
                       "\\[\n\\begin{pmatrix} a \\\\\n- b \\end{pmatrix}\n\\]\n\n"
                       "costs \\$$5 and\n- a list\n\n"
                       "```\n$$\n- not math\n$$\n```\n\n"
                       "open $$ without end\n- item\n";
    rp_buf b;
    rp_buf_init(&b, 0);
    rp_w w = rp_w_on(&b);
    rp_md_to_html(&w, text, strlen(text));
    assert_int_equal(w.st, RP_OK);
    assert_true(has(&b, "<x-equation type=\"display\"> \\begin{bmatrix} - 1 &amp; 0 \\\\  1. &amp; 2 "
                        "\\\\ # &amp; 3 \\\\ &gt; 4 &amp; 5 \\end{bmatrix} </x-equation>"));
    assert_true(has(&b, "<x-equation type=\"display\"> \\begin{pmatrix} a \\\\ - b \\end{pmatrix} "
                        "</x-equation>"));
    assert_false(has(&b, "<h1>"));
    assert_false(has(&b, "<blockquote>"));
    assert_false(has(&b, "<ol>"));
    assert_false(has(&b, "first row"));
    assert_true(has(&b, "<code>$$\n- not math\n$$\n</code>"));
    assert_int_equal(count(&b, "<li>"), 2); /* after \$$5, and after the unclosed $$ */
    rp_buf_free(&b);
}

static void test_detail_math(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"missing factor \\sqrt{d_{in}}", "missing factor \\(\\sqrt{d_{in}}\\)"},
        {"g_3 and g_4 exchanged", "\\(g_3\\) and \\(g_4\\) exchanged"},
        {"off by \\frac{n}{\\sigma (n - k + 1)} (truth = claim)",
         "off by \\(\\frac{n}{\\sigma (n - k + 1)}\\) (truth = claim)"},
        {"formula differs (wrong_case: case 2)", "formula differs (wrong_case: case 2)"},
        {"already $x^2$ delimited", "already $x^2$ delimited"},
        {"a <b> & c_{1}.", "a &lt;b&gt; &amp; \\(c_{1}\\)."},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rp_buf b;
        rp_buf_init(&b, 0);
        rp_w w = rp_w_on(&b);
        rp_html_detail(&w, cases[i][0]);
        assert_int_equal(w.st, RP_OK);
        if (strcmp(b.data, cases[i][1]) != 0)
            fail_msg("'%s' gave '%s', expected '%s'", cases[i][0], b.data, cases[i][1]);
        rp_buf_free(&b);
    }
}

/* Part anchors: safe in ids and fragments, one per part id. */
static void test_part_anchor(void **state)
{
    (void)state;
    const char *in[] = {"3d.i", "a b/c-d", "<x>\"", "1-a1", "1", ""};
    const char *want[] = {"part-3d.i", "part-a~20b~2fc~2dd", "part-~3cx~3e~22", "part-1~2da1", "part-1",
                          "part-"};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        rp_buf b;
        rp_buf_init(&b, 0);
        rp_w w = rp_w_on(&b);
        rp_w_part_anchor(&w, in[i]);
        assert_int_equal(w.st, RP_OK);
        assert_string_equal(b.data, want[i]);
        rp_buf_free(&b);
    }
}

static void test_corrections_grouped(void **state)
{
    (void)state;
    fixture f;
    fixture_make(&f, "Claude", "transcripts/x.txt", false);
    /* 1b corrected by the same sentence at the same turn as 1a */
    rp_part_result *p = &f.r->parts[1];
    p->corrections = rp_arena_alloc(f.r->arena, sizeof *p->corrections);
    p->corrections[0] = f.r->parts[0].corrections[0];
    p->n_corrections = 1;
    rp_html_opts o = {NULL, NULL, true, NULL, NULL};
    rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_annotate_render(&f.t, f.r, RP_ANNOTATE_HTML, &o, &b), RP_OK);
    assert_int_equal(count(&b, "class=\"mn corr "), 1);
    assert_true(has(&b, "correction of <span class=\"p\" id=\"part-1a-c1\" data-part=\"1a\" "
                        "data-c=\"solution\">1a</span> <span class=\"p\" id=\"part-1b-c1\" "
                        "data-part=\"1b\" data-c=\"solution\">1b</span>"));
    /* a different sentence is a note of its own */
    p->corrections[0].text = "and 1b too";
    rp_buf_clear(&b);
    assert_int_equal(rp_annotate_render(&f.t, f.r, RP_ANNOTATE_HTML, &o, &b), RP_OK);
    assert_int_equal(count(&b, "class=\"mn corr "), 2);
    rp_buf_free(&b);
    fixture_free(&f);
}

/* --------------------------------------------------------------- KaTeX */

static void test_katex_inlined(void **state)
{
    (void)state;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/node_modules/katex/dist", RP_SOURCE_ROOT);
    struct stat sb;
    if (stat(dir, &sb) != 0) {
        print_message("KaTeX is not installed (npm ci); skipping the inlining test\n");
        skip();
    }
    fixture f;
    fixture_make(&f, "Claude", "transcripts/x.txt", false);
    rp_html_opts o = {dir, NULL, false, NULL, NULL};
    rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_annotate_render(&f.t, f.r, RP_ANNOTATE_HTML, &o, &b), RP_OK);
    assert_true(has(&b, "data:font/woff2;base64,"));
    assert_false(has(&b, "url(fonts/"));
    assert_int_equal(count(&b, "<script nonce=\"redpen-report\">"), 4); /* KaTeX x3, the page's */
    assert_true(has(&b, "renderMathInElement"));
    rp_buf_free(&b);
    /* a folder without KaTeX: a page all the same, with only its own script */
    rp_html_opts none = {"/nonexistent", NULL, false, NULL, NULL};
    rp_buf_init(&b, 0);
    assert_int_equal(rp_annotate_render(&f.t, f.r, RP_ANNOTATE_HTML, &none, &b), RP_OK);
    assert_int_equal(count(&b, "<script"), 1);
    assert_false(has(&b, "renderMathInElement"));
    assert_true(has(&b, "<x-equation>"));
    rp_buf_free(&b);
    setenv("REDPEN_KATEX_DIR", "/nonexistent", 1);
    assert_null(rp_katex_find(NULL));
    setenv("REDPEN_KATEX_DIR", dir, 1);
    char *found = rp_katex_find(NULL);
    assert_non_null(found);
    assert_string_equal(found, dir);
    free(found);
    unsetenv("REDPEN_KATEX_DIR");
    fixture_free(&f);
}

/* --------------------------------------------------------------- misc */

static void test_model_guess(void **state)
{
    (void)state;
    rp_arena *a = rp_arena_new(0);
    static const char *const cases[][2] = {
        {"transcripts/claude-hw4.txt", "Claude"},
        {"qwen3-max-hw4.txt", "Qwen3-Max"},
        {"/tmp/gpt-4o_run2.json", "GPT-4o"},
        {"gemini-2.5-pro-student7.md", "Gemini-2.5-Pro"},
        {"hw4-deepseek-r1.jsonl", "DeepSeek-R1"},
        {"claude-3-5-sonnet.txt", "Claude-3-5-Sonnet"},
        {"student12.txt", "student12"},
        {"llama3.1-70b-chat.txt", "Llama3.1-70b-Chat"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = rp_report_model_guess(cases[i][0], a);
        assert_non_null(got);
        if (strcmp(got, cases[i][1]) != 0)
            fail_msg("%s: got '%s', expected '%s'", cases[i][0], got, cases[i][1]);
    }
    assert_null(rp_report_model_guess("", a));
    rp_arena_free(a);
}

static void test_pdf_without_chromium(void **state)
{
    (void)state;
    char out[] = "/tmp/redpen-test-pdf-XXXXXX";
    int fd = mkstemp(out);
    assert_true(fd >= 0);
    close(fd);
    unlink(out);
    setenv("REDPEN_CHROMIUM", "/nonexistent/chromium", 1);
    rp_diags d;
    assert_int_equal(rp_diags_init(&d), RP_OK);
    assert_int_equal(rp_pdf_from_html("<p>x</p>", 8, out, 5, &d), RP_ENOTFOUND);
    assert_non_null(d.head);
    assert_non_null(strstr(d.head->msg, "Chromium"));
    struct stat sb;
    assert_int_not_equal(stat(out, &sb), 0); /* nothing written */
    rp_diags_free(&d);
    unsetenv("REDPEN_CHROMIUM");
}

static void test_pdf_node_ids(void **state)
{
    (void)state;
    /* two prints whose node counters differ by one, an id used twice (an
     * element and the /IDTree), and look-alikes that are no ids */
    char a[] = "<</ID (node00000063)>> <</ID (node00000071)>> [(node00000063) 5 0 R]"
               " (node0000007) (node0000007x) (node00000064";
    char b[] = "<</ID (node00000064)>> <</ID (node00000072)>> [(node00000064) 5 0 R]"
               " (node0000007) (node0000007x) (node00000064";
    assert_int_equal(rp_pdf_fixed_node_ids(a, strlen(a)), 2);
    assert_int_equal(rp_pdf_fixed_node_ids(b, strlen(b)), 2);
    assert_string_equal(a, b);
    assert_non_null(strstr(a, "<</ID (node00000001)>> <</ID (node00000002)>> [(node00000001) 5"));
    assert_non_null(strstr(a, " (node0000007) (node0000007x) (node00000064"));
    char none[] = "%PDF-1.4 no tags";
    assert_int_equal(rp_pdf_fixed_node_ids(none, strlen(none)), 0);
    assert_string_equal(none, "%PDF-1.4 no tags");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_contract),
        cmocka_unit_test(test_json_round_trip),
        cmocka_unit_test(test_json_refusals),
        cmocka_unit_test(test_json_mutations),
        cmocka_unit_test(test_json_deep_nesting),
        cmocka_unit_test(test_text_table),
        cmocka_unit_test(test_text_expected),
        cmocka_unit_test(test_color_wanted),
        cmocka_unit_test(test_markdown),
        cmocka_unit_test(test_html_report),
        cmocka_unit_test(test_compare),
        cmocka_unit_test(test_annotate_html),
        cmocka_unit_test(test_annotate_claims),
        cmocka_unit_test(test_annotate_expected),
        cmocka_unit_test(test_annotate_md),
        cmocka_unit_test(test_markdown_to_html),
        cmocka_unit_test(test_markdown_display_math),
        cmocka_unit_test(test_detail_math),
        cmocka_unit_test(test_part_anchor),
        cmocka_unit_test(test_compare_links),
        cmocka_unit_test(test_annotated_page_name),
        cmocka_unit_test(test_corrections_grouped),
        cmocka_unit_test(test_katex_inlined),
        cmocka_unit_test(test_model_guess),
        cmocka_unit_test(test_pdf_without_chromium),
        cmocka_unit_test(test_pdf_node_ids),
        cmocka_unit_test(test_format_from_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
