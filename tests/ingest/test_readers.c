/*
 * Unit tests of the structured-format readers and format detection:
 * Markdown, OpenAI messages and JSONL, ShareGPT, ChatGPT conversations.json,
 * Claude.ai and Open WebUI exports.  Besides what each reader keeps (roles,
 * text, model, title, time), they check what it must leave out (hidden
 * reasoning, abandoned branches, system and tool messages) and that broken
 * inputs give RP_EINPUT with a diagnostic naming the place, never a crash:
 * every prefix of the example exports is read without incident.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fmt_util.h"
#include "redpen/ingest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ------------------------------------------------------------- helpers */

typedef struct res {
    rp_transcript_set set;
    rp_diags d;
    rp_status st;
    char diag[4096]; /* all diagnostics, "path: msg" or "line: msg", one a line */
} res;

/* Fill r->diag from r->d. */
static void collect(res *r)
{
    size_t w = 0;
    for (const rp_diag *g = r->d.head; g && w < sizeof r->diag - 1; g = g->next) {
        int k = snprintf(r->diag + w, sizeof r->diag - w, "%u:%u %s: %s\n", g->line, g->col,
                         g->path ? g->path : "", g->msg);
        if (k < 0)
            break;
        w += (size_t)k;
    }
}

static res *run_opts(const char *text, size_t n, const rp_ingest_opts *o)
{
    res *r = calloc(1, sizeof *r);
    assert_non_null(r);
    assert_int_equal(rp_diags_init(&r->d), RP_OK);
    r->st = rp_ingest_buffer("in.json", text, n, o, &r->set, &r->d);
    collect(r);
    return r;
}

/* Like run_opts, with text read from a file by rp_ingest_path. */
static res *run_file(const char *text, const rp_ingest_opts *o)
{
    char path[] = "/tmp/rp-test-ingest-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t n = strlen(text);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    close(fd);
    res *r = calloc(1, sizeof *r);
    assert_non_null(r);
    assert_int_equal(rp_diags_init(&r->d), RP_OK);
    r->st = rp_ingest_path(path, o, &r->set, &r->d);
    unlink(path);
    collect(r);
    return r;
}

static res *run(const char *text, const char *fmt)
{
    rp_ingest_opts o;
    memset(&o, 0, sizeof o);
    o.format = fmt;
    return run_opts(text, strlen(text), &o);
}

static void done(res *r)
{
    rp_transcript_set_free(&r->set);
    rp_diags_free(&r->d);
    free(r);
}

static const rp_transcript *only(res *r)
{
    if (r->st != RP_OK)
        fprintf(stderr, "diagnostics:\n%s", r->diag);
    assert_int_equal(r->st, RP_OK);
    assert_int_equal(r->set.n, 1);
    return r->set.items[0];
}

static void assert_turn(const rp_transcript *t, size_t i, rp_role role, const char *text)
{
    assert_true(i < t->n_turns);
    assert_int_equal(t->turns[i].role, role);
    assert_string_equal(t->turns[i].text, text);
    assert_int_equal(t->turns[i].index, (int)i + 1);
}

static void assert_fails(const char *text, const char *fmt, const char *diag_part)
{
    res *r = run(text, fmt);
    if (!strstr(r->diag, diag_part))
        fprintf(stderr, "diagnostics:\n%s(wanted '%s')\n", r->diag, diag_part);
    assert_int_equal(r->st, RP_EINPUT);
    assert_int_equal(r->set.n, 0);
    assert_non_null(strstr(r->diag, diag_part));
    done(r);
}

#ifndef RP_SOURCE_ROOT
#define RP_SOURCE_ROOT "."
#endif

/* The text of a file under the repository root (RP_SOURCE_ROOT, given by
 * Meson, so that a build directory outside the tree works too, or found
 * from the working directory); NULL if absent. */
static char *repo_file(const char *rel, size_t *n)
{
    char path[4096];
    const char *ups[] = {RP_SOURCE_ROOT "/", "", "../", "../../", "../../../"};
    for (size_t i = 0; i < sizeof ups / sizeof ups[0]; i++) {
        snprintf(path, sizeof path, "%s%s", ups[i], rel);
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        char *buf = malloc(1 << 20);
        assert_non_null(buf);
        *n = fread(buf, 1, (1 << 20) - 1, f);
        buf[*n] = '\0';
        fclose(f);
        return buf;
    }
    return NULL;
}

/* ----------------------------------------------------------- detection */

static void test_detect(void **state)
{
    (void)state;
    assert_string_equal(rp_ingest_detect("{\"messages\":[]}", 15), "openai");
    assert_string_equal(rp_ingest_detect("[{\"role\":\"user\",\"content\":\"x\"}]", 31), "openai");
    const char *cg = "[{\"title\":\"t\",\"mapping\":{},\"current_node\":null}]";
    assert_string_equal(rp_ingest_detect(cg, strlen(cg)), "chatgpt");
    const char *cl = "[{\"uuid\":\"u\",\"name\":\"n\",\"chat_messages\":[]}]";
    assert_string_equal(rp_ingest_detect(cl, strlen(cl)), "claude");
    const char *ow = "[{\"chat\":{\"history\":{\"messages\":{},\"currentId\":null}}}]";
    assert_string_equal(rp_ingest_detect(ow, strlen(ow)), "openwebui");
    const char *sg = "{\"conversations\":[{\"from\":\"human\",\"value\":\"hi\"}]}";
    assert_string_equal(rp_ingest_detect(sg, strlen(sg)), "sharegpt");
    /* keys inside message text do not count */
    const char *tricky = "{\"messages\":[{\"role\":\"user\",\"content\":\"\\\"mapping\\\": {}\"}]}";
    assert_string_equal(rp_ingest_detect(tricky, strlen(tricky)), "openai");
    const char *md = "# Chat\n\n## 👤 User\n\nhi\n\n## 🤖 Claude\n\nhello\n";
    assert_string_equal(rp_ingest_detect(md, strlen(md)), "markdown");
    const char *bold = "**User:** hi\n\n**ChatGPT:** hello\n";
    assert_string_equal(rp_ingest_detect(bold, strlen(bold)), "markdown");
    /* role headings only inside a code fence: not an export */
    const char *fenced = "```\n## User\n## Assistant\n```\nplain text\n";
    assert_string_equal(rp_ingest_detect(fenced, strlen(fenced)), "chat-text");
    const char *text = "[image] You said:\nhello\nChatGPT said:\nhi\n";
    assert_string_equal(rp_ingest_detect(text, strlen(text)), "chat-text");
    assert_string_equal(rp_ingest_detect("", 0), "chat-text");
    /* the formats read since issue 18, each by the keys of its own */
    static const struct {
        const char *json, *format;
    } more[] = {
        {"{\"runSettings\":{},\"chunkedPrompt\":{\"chunks\":[]}}", "aistudio"},
        {"{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"x\"}]}]}", "gemini"},
        {"{\"conversations\":[{\"conversation\":{},\"responses\":[]}]}", "grok"},
        {"{\"model\":\"m\",\"input\":\"x\",\"output\":[]}", "responses"},
        {"{\"model\":\"m\",\"conversation\":[{\"role\":\"user\",\"content\":\"x\"}]}", "lmsys"},
        {"{\"messages\":[{\"sender\":\"User\",\"isCreatedByUser\":true,\"text\":\"x\"}]}",
         "librechat"},
        {"{\"name\":\"n\",\"messages\":[{\"versions\":[],\"currentlySelected\":0}]}", "lmstudio"},
        {"{\"name\":\"u\",\"is_user\":true,\"mes\":\"x\"}", "sillytavern"},
        {"{\"user_name\":\"u\",\"character_name\":\"c\"}", "sillytavern"},
        /* a tool call's "input" or "responses" inside messages stays OpenAI's */
        {"{\"messages\":[{\"role\":\"tool\",\"content\":null,\"data\":{\"responses\":[]}}]}", "openai"},
        {"{\"messages\":[{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"input\":{}}]}]}",
         "openai"},
    };
    for (size_t i = 0; i < sizeof more / sizeof more[0]; i++)
        assert_string_equal(rp_ingest_detect(more[i].json, strlen(more[i].json)), more[i].format);
    const char *heading_only = "## Answer\n\nThe result is 4.\n";
    assert_string_equal(rp_ingest_detect(heading_only, strlen(heading_only)), "chat-text");
}

static void test_role_labels(void **state)
{
    (void)state;
    rp_role r;
    rp_span m;
    struct {
        const char *s;
        int role; /* -1: not a label */
        const char *model;
    } cases[] = {
        {"User", RP_ROLE_USER, ""},           {"You:", RP_ROLE_USER, ""},
        {"👤 User", RP_ROLE_USER, ""},        {"Prompt:", RP_ROLE_USER, ""},
        {"human", RP_ROLE_USER, ""},          {"Assistant", RP_ROLE_MODEL, ""},
        {"ChatGPT:", RP_ROLE_MODEL, "ChatGPT"}, {"🤖 Claude", RP_ROLE_MODEL, "Claude"},
        {"Response:", RP_ROLE_MODEL, ""},     {"gpt", RP_ROLE_MODEL, ""},
        {"Assistant (gpt-4o)", RP_ROLE_MODEL, "gpt-4o"},
        {"Claude 3.5 Sonnet", RP_ROLE_MODEL, "Claude 3.5 Sonnet"},
        {"GPT-4o", RP_ROLE_MODEL, "GPT-4o"},
        {"Claude's answer to part (a)", -1, ""}, {"Part (a)", -1, ""},
        {"User guide", -1, ""},               {"Answer", -1, ""},
        {"", -1, ""},                         {"Response to question 2", -1, ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bool ok = rp_md_role_label(cases[i].s, strlen(cases[i].s), &r, &m);
        if (ok != (cases[i].role >= 0))
            fail_msg("'%s': label %d", cases[i].s, ok);
        if (ok) {
            assert_int_equal(r, cases[i].role);
            assert_int_equal(m.n, strlen(cases[i].model));
            assert_memory_equal(m.p ? m.p : "", cases[i].model, m.n);
        }
    }
}

/* -------------------------------------------------------------- OpenAI */

static void test_openai_parts_roles_and_merge(void **state)
{
    (void)state;
    res *r = run("{\"model\":\"gpt-4o\",\"messages\":["
                 "{\"role\":\"system\",\"content\":\"be brief\"},"
                 "{\"role\":\"developer\",\"content\":\"rules\"},"
                 "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What is 2+2?\"},"
                 "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:x\"}}]},"
                 "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"1\"}]},"
                 "{\"role\":\"tool\",\"content\":\"4\"},"
                 "{\"role\":\"assistant\",\"content\":[{\"type\":\"reasoning\",\"text\":\"SECRET\"},"
                 "{\"type\":\"output_text\",\"text\":\"It is 4.\"}]},"
                 "{\"role\":\"assistant\",\"content\":\"<think>SECRET</think>Sure.\"}]}",
                 NULL);
    const rp_transcript *t = only(r);
    assert_string_equal(t->format, "openai");
    assert_string_equal(t->model, "gpt-4o");
    assert_int_equal(t->n_turns, 2);
    assert_turn(t, 0, RP_ROLE_USER, "What is 2+2?\n\n[image]");
    assert_turn(t, 1, RP_ROLE_MODEL, "It is 4.\n\nSure.");
    done(r);
}

static void test_openai_bare_array_and_times(void **state)
{
    (void)state;
    res *r = run("[{\"role\":\"user\",\"content\":\"hi\",\"created_at\":1765314998},"
                 "{\"role\":\"assistant\",\"content\":\"hello\",\"model\":\"m1\","
                 "\"timestamp\":\"yesterday\"}]",
                 NULL);
    const rp_transcript *t = only(r);
    assert_int_equal(t->n_turns, 2);
    assert_string_equal(t->turns[0].time, "2025-12-09T21:16:38Z");
    assert_string_equal(t->turns[1].time, "yesterday");
    assert_string_equal(t->turns[1].model, "m1");
    assert_string_equal(t->model, "m1");
    done(r);
}

static void test_openai_several(void **state)
{
    (void)state;
    const char *arr = "[{\"messages\":[{\"role\":\"user\",\"content\":\"a\"}]},"
                      "[{\"role\":\"user\",\"content\":\"b\"},{\"role\":\"assistant\",\"content\":\"c\"}],"
                      "{\"messages\":[]}]";
    res *r = run(arr, NULL);
    assert_int_equal(r->st, RP_OK);
    assert_int_equal(r->set.n, 2); /* the empty conversation is dropped */
    assert_turn(r->set.items[0], 0, RP_ROLE_USER, "a");
    assert_turn(r->set.items[1], 1, RP_ROLE_MODEL, "c");
    done(r);
    const char *jsonl = "{\"messages\":[{\"role\":\"user\",\"content\":\"a\"}]}\n\n"
                        "[{\"role\":\"user\",\"content\":\"b\"}]\n";
    r = run(jsonl, NULL);
    assert_int_equal(r->st, RP_OK);
    assert_int_equal(r->set.n, 2);
    assert_int_equal(r->set.items[0]->turns[0].line, 1);
    assert_int_equal(r->set.items[1]->turns[0].line, 3);
    done(r);
}

/* An escaped NUL (\u0000) is read as a space and counted; one that is not
 * an escape (its backslash escaped in turn) is text.  The escapes are
 * found from their first '0', so the cases put zeros, backslash runs of
 * both parities and escapes at the ends of the string. */
static void test_openai_nul_escapes(void **state)
{
    (void)state;
    static const struct {
        const char *json_text; /* the body of a JSON string */
        const char *text;      /* the turn read from it */
        size_t nuls;
    } cases[] = {
        {"a\\u0000b", "a b", 1},
        {"a\\\\u0000b", "a\\u0000b", 0},
        {"a\\\\\\u0000b", "a\\ b", 1},
        {"a\\\\\\\\u0000b", "a\\\\u0000b", 0},
        {"\\u0000x\\u0000", "x", 2}, /* spaces at the ends are trimmed */
        {"00 u0000 \\u00000 0\\u0000", "00 u0000  0 0", 2},
        {"\\u0020\\u00a0 100", "\xc2\xa0 100", 0},
        {"10\\n\\u0000\\u0000\\\\0", "10\n  \\0", 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char doc[256];
        snprintf(doc, sizeof doc,
                 "{\"messages\": [{\"role\": \"user\", \"content\": \"q\"}, "
                 "{\"role\": \"assistant\", \"content\": \"%s\"}]}",
                 cases[i].json_text);
        res *r = run(doc, "openai");
        const rp_transcript *t = only(r);
        assert_turn(t, 1, RP_ROLE_MODEL, cases[i].text);
        bool warned = false;
        for (size_t w = 0; w < t->n_warnings; w++)
            if (strstr(t->warnings[w], "NUL character")) {
                char want[32];
                snprintf(want, sizeof want, "%zu NUL character", cases[i].nuls);
                assert_non_null(strstr(t->warnings[w], want));
                warned = true;
            }
        assert_int_equal(warned, cases[i].nuls > 0);
        done(r);
    }
}

static void test_openai_errors(void **state)
{
    (void)state;
    assert_fails("{\"messages\":[{\"role\":\"user\",\"content\":5}]}", NULL,
                 "$.messages[0].content: expected a string, a list of parts or null");
    assert_fails("{\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}", NULL,
                 "$.messages[0].role: unknown role 'wizard'");
    assert_fails("{\"messages\":[{\"content\":\"x\"}]}", NULL, "$.messages[0]: message 1 has no \"role\"");
    assert_fails("{\"messages\":[\"hi\"]}", NULL, "$.messages[0]: expected a message object");
    assert_fails("{\"messages\":{}}", NULL, "$.messages: expected an array, found an object");
    assert_fails("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":5}]}]}", NULL,
                 "$.messages[0].content[0].type: expected a string, found a number");
    assert_fails("{\"other\":1}", NULL, "no \"messages\" array");
    assert_fails("42", "openai", "expected an object with \"messages\"");
    /* syntax: line and column of a JSONL line */
    assert_fails("{\"messages\":[]}\n{\"messages\":[}\n", NULL, "2:14 : invalid JSON near '}'");
    assert_fails("{\"messages\":[{\"role\":", NULL, "1:22 : invalid JSON: the text ends inside a value");
    assert_fails("{\"messages\":[]} x", NULL, "unexpected text after the JSON value");
}

static void test_json_depth_limit(void **state)
{
    (void)state;
    rp_ingest_opts o;
    memset(&o, 0, sizeof o);
    o.max_depth = 5;
    const char *deep = "{\"messages\":[[[[[[1]]]]]]}";
    res *r = run_opts(deep, strlen(deep), &o);
    assert_int_equal(r->st, RP_EINPUT);
    assert_non_null(strstr(r->diag, "1:17 : JSON nested deeper than 5 levels"));
    done(r);
    /* brackets inside strings do not count */
    const char *str = "{\"messages\":[{\"role\":\"user\",\"content\":\"[[[[[[[[[[[[\"}]}";
    r = run_opts(str, strlen(str), &o);
    assert_int_equal(r->st, RP_OK);
    done(r);
    /* the default limit stops cJSON's recursion long before it could hurt */
    size_t n = 200000;
    char *big = malloc(2 * n + 1);
    memset(big, '[', n);
    memset(big + n, ']', n);
    big[2 * n] = '\0';
    r = run(big, NULL);
    assert_int_equal(r->st, RP_EINPUT);
    assert_non_null(strstr(r->diag, "nested deeper than 256 levels"));
    done(r);
    free(big);
}

static void test_long_lines(void **state)
{
    (void)state;
    /* one long line is normal for JSON exports, not for line-based text:
     * the default cap is for line-based readers, a cap the caller sets
     * (--max-line) is for every format (issue 22, item 21) */
    rp_ingest_opts o;
    memset(&o, 0, sizeof o);
    const char *json = "{\"messages\":[{\"role\":\"user\",\"content\":\"a question that is long enough\"},"
                       "{\"role\":\"assistant\",\"content\":\"an answer\"}]}";
    res *r = run_opts(json, strlen(json), &o);
    assert_int_equal(r->st, RP_OK);
    done(r);
    o.max_line = 64;
    r = run_opts(json, strlen(json), &o);
    assert_int_equal(r->st, RP_ELIMIT);
    assert_non_null(strstr(r->diag, "1:1 : line longer than 64 bytes"));
    done(r);
    const char *md = "## User\n\nThis question is much longer than sixty-four bytes, so it breaks the cap.\n"
                     "## Assistant\n\nok\n";
    r = run_opts(md, strlen(md), &o);
    assert_int_equal(r->st, RP_ELIMIT);
    assert_non_null(strstr(r->diag, "3:1 : line longer than 64 bytes"));
    done(r);
}

/* A file's text is checked once, by rp_file_read; then only its lines are
 * held against the cap, with the verdicts of rp_ingest_buffer's full check,
 * also for a line that ends inside a multibyte character past the cap. */
static void test_file_line_cap(void **state)
{
    (void)state;
    rp_ingest_opts o;
    memset(&o, 0, sizeof o);
    o.format = "chat-text";
    const char *e_acute = "You said:\nabcdefghij\xc3\xa9\n"; /* 12 bytes, é at 10 */
    o.max_line = 11;
    res *r = run_file(e_acute, &o);
    assert_int_not_equal(r->st, RP_ELIMIT);
    done(r);
    o.max_line = 10;
    r = run_file(e_acute, &o);
    assert_int_equal(r->st, RP_ELIMIT);
    assert_non_null(strstr(r->diag, "2:1 : line longer than 10 bytes"));
    done(r);
    const char *texts[] = {e_acute, "You said:\nq\nChatGPT said:\nabcdefghi\xe2\x82\xac!\n",
                           "User: abcdefghijk\nAssistant: ok\n", "", "\n\n\xf0\x9d\x84\x9e\n"};
    const char *formats[] = {"chat-text", "markdown", "openai"};
    for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++)
        for (size_t f = 0; f < 3; f++)
            for (size_t cap = 1; cap <= 20; cap++) {
                o.format = formats[f];
                o.max_line = cap;
                res *a = run_opts(texts[t], strlen(texts[t]), &o);
                res *b = run_file(texts[t], &o);
                assert_int_equal(a->st, b->st);
                assert_string_equal(a->diag, b->diag);
                done(a);
                done(b);
            }
}

/* rp_json_string_end: an odd run of backslashes escapes a quote. */
static void test_json_string_end(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t end;
    } cases[] = {
        {"abc\"", 3},         {"a\\\"b\"", 4},     {"a\\\\\"", 3},
        {"\\\"", 2},          {"x\\", 2},            {"\\\\\\\"x\"y", 5},
        {"", 0},              {"\"", 0},             {"no end", 6},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(rp_json_string_end(cases[i].s, strlen(cases[i].s), 0), cases[i].end);
}

static void test_many_messages_one_turn(void **state)
{
    (void)state;
    /* 100000 model messages in a row are one turn, built in linear time and
     * memory (joining them one by one would copy gigabytes) */
    size_t k = 100000;
    rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_buf_puts(&b, "[{\"role\":\"user\",\"content\":\"q\"}"), RP_OK);
    for (size_t i = 0; i < k; i++)
        assert_int_equal(rp_buf_puts(&b, ",{\"role\":\"assistant\",\"content\":\"step\"}"), RP_OK);
    assert_int_equal(rp_buf_puts(&b, "]"), RP_OK);
    res *r = run_opts(b.data, b.len, NULL);
    const rp_transcript *t = only(r);
    assert_int_equal(t->n_turns, 2);
    assert_int_equal(t->turns[1].text_len, k * 4 + (k - 1) * 2);
    done(r);
    rp_buf_clear(&b);
    assert_int_equal(rp_buf_puts(&b, "## User\n\nq\n\n"), RP_OK);
    for (size_t i = 0; i < k / 4; i++)
        assert_int_equal(rp_buf_puts(&b, "## Assistant\n\nstep\n\n"), RP_OK);
    r = run_opts(b.data, b.len, NULL);
    t = only(r);
    assert_int_equal(t->n_turns, 2);
    assert_int_equal(t->turns[1].text_len, k + (k / 4 - 1) * 2);
    done(r);
    rp_buf_free(&b);
}

/* ------------------------------------------------------------ ShareGPT */

static void test_sharegpt(void **state)
{
    (void)state;
    res *r = run("[{\"model\":\"x\",\"conversations\":[{\"from\":\"system\",\"value\":\"s\"},"
                 "{\"from\":\"human\",\"value\":\"q1\"},{\"from\":\"gpt\",\"value\":\"<think>hmm</think>a1\"}]},"
                 "{\"conversations\":[{\"from\":\"user\",\"value\":\"q2\"},{\"from\":\"assistant\",\"value\":\"a2\"}]}]",
                 NULL);
    assert_int_equal(r->st, RP_OK);
    assert_int_equal(r->set.n, 2);
    assert_string_equal(r->set.items[0]->format, "sharegpt");
    assert_string_equal(r->set.items[0]->model, "x");
    assert_turn(r->set.items[0], 0, RP_ROLE_USER, "q1");
    assert_turn(r->set.items[0], 1, RP_ROLE_MODEL, "a1");
    assert_turn(r->set.items[1], 1, RP_ROLE_MODEL, "a2");
    assert_null(r->set.items[1]->model);
    done(r);
    assert_fails("{\"conversations\":[{\"from\":\"human\",\"value\":3}]}", NULL,
                 "$.conversations[0].value: expected a string, found a number");
    assert_fails("[{\"conversations\":[{\"value\":\"x\"}]}]", "sharegpt",
                 "$[0].conversations[0]: entry without \"from\"");
}

/* ------------------------------------------------------------- ChatGPT */

#define NODE(id, parent, kids, msg) \
    "\"" id "\":{\"id\":\"" id "\",\"parent\":" parent ",\"children\":[" kids "],\"message\":" msg "}"
#define MSG(role, ctype, body) \
    "{\"author\":{\"role\":\"" role "\"},\"content\":{\"content_type\":\"" ctype "\"," body "}," \
    "\"metadata\":{\"model_slug\":\"gpt-4o\"},\"create_time\":1765314998.5}"

static void test_chatgpt_branches_and_content(void **state)
{
    (void)state;
    const char *conv =
        "[{\"title\":\"T\",\"current_node\":\"a2\",\"mapping\":{"
        NODE("r", "null", "\"s\"", "null") ","
        NODE("s", "\"r\"", "\"u1\",\"u1b\"", "{\"author\":{\"role\":\"system\"},\"content\":{\"content_type\":\"text\",\"parts\":[\"\"]},\"metadata\":{\"is_visually_hidden_from_conversation\":true}}") ","
        NODE("u1", "\"s\"", "\"a1\"", MSG("user", "text", "\"parts\":[\"first try\"]")) ","
        NODE("a1", "\"u1\"", "", MSG("assistant", "text", "\"parts\":[\"ABANDONED\"]")) ","
        NODE("u1b", "\"s\"", "\"c\"", MSG("user", "multimodal_text", "\"parts\":[{\"content_type\":\"image_asset_pointer\"},\"edited prompt\"]")) ","
        NODE("c", "\"u1b\"", "\"o\"", MSG("assistant", "code", "\"text\":\"print(2+2)\"")) ","
        NODE("o", "\"c\"", "\"th\"", MSG("tool", "execution_output", "\"text\":\"4\"")) ","
        NODE("th", "\"o\"", "\"bio\"", MSG("assistant", "thoughts", "\"thoughts\":[{\"content\":\"SECRET\"}]")) ","
        NODE("bio", "\"th\"", "\"a2\"", "{\"author\":{\"role\":\"assistant\"},\"recipient\":\"bio\",\"content\":{\"content_type\":\"text\",\"parts\":[\"SECRET memory\"]}}") ","
        NODE("a2", "\"bio\"", "", MSG("assistant", "text", "\"parts\":[\"The answer is 4.\"]"))
        "}}]";
    res *r = run(conv, NULL);
    const rp_transcript *t = only(r);
    assert_string_equal(t->format, "chatgpt");
    assert_string_equal(t->title, "T");
    assert_string_equal(t->model, "gpt-4o");
    assert_int_equal(t->n_turns, 2);
    assert_turn(t, 0, RP_ROLE_USER, "[image]\n\nedited prompt");
    assert_turn(t, 1, RP_ROLE_MODEL, "print(2+2)\n\n4\n\nThe answer is 4.");
    assert_string_equal(t->turns[0].time, "2025-12-09T21:16:38Z");
    assert_string_equal(t->turns[1].model, "gpt-4o");
    done(r);
}

static void test_chatgpt_without_current_node(void **state)
{
    (void)state;
    const char *conv =
        "{\"mapping\":{"
        NODE("r", "null", "\"u\"", "null") ","
        NODE("u", "\"r\"", "\"a\",\"b\"", MSG("user", "text", "\"parts\":[\"q\"]")) ","
        NODE("a", "\"u\"", "", MSG("assistant", "text", "\"parts\":[\"old\"]")) ","
        NODE("b", "\"u\"", "", MSG("assistant", "text", "\"parts\":[\"new\"]"))
        "}}";
    res *r = run(conv, NULL);
    const rp_transcript *t = only(r);
    assert_turn(t, 1, RP_ROLE_MODEL, "new"); /* the newest leaf */
    done(r);
}

static void test_chatgpt_errors(void **state)
{
    (void)state;
    assert_fails("[{\"current_node\":\"b\",\"mapping\":{"
                 NODE("a", "\"b\"", "", "null") "," NODE("b", "\"a\"", "", "null") "}}]",
                 NULL, "$[0].mapping.a.parent: parent links form a loop");
    assert_fails("[{\"current_node\":\"zz\",\"mapping\":{" NODE("a", "null", "", "null") "}}]",
                 NULL, "$[0].current_node: no node 'zz' in $[0].mapping");
    assert_fails("[{\"current_node\":\"a\",\"mapping\":{" NODE("a", "\"gone\"", "", "null") "}}]",
                 NULL, "$[0].mapping.a.parent: no node 'gone'");
    assert_fails("[{\"current_node\":\"a\",\"mapping\":{\"a\":[]}}]", "chatgpt",
                 "$[0].mapping.a: expected an object, found an array");
    assert_fails("[{\"current_node\":\"a b\",\"mapping\":{\"a b\":{\"parent\":null,\"message\":"
                 "{\"author\":{\"role\":\"user\"},\"content\":{\"content_type\":\"text\",\"parts\":[1]}}}}}]",
                 "chatgpt", "$[0].mapping[\"a b\"].message.content.parts[0]");
    assert_fails("[{\"mapping\":{" NODE("a", "null", "", "{\"author\":{}}") "}}]", "chatgpt",
                 "$[0].mapping.a.message: message without author.role");
    assert_fails("[1]", "chatgpt", "$[0]: expected a conversation object");
    assert_fails("[{\"title\":\"x\"}]", "chatgpt", "$[0]: no \"mapping\" object");
}

/* -------------------------------------------------------------- Claude */

static void test_claude(void **state)
{
    (void)state;
    res *r = run("[{\"name\":\"N\",\"chat_messages\":["
                 "{\"sender\":\"human\",\"text\":\"see file\",\"created_at\":\"2025-01-01T00:00:00Z\","
                 "\"attachments\":[{\"file_name\":\"p.txt\",\"extracted_content\":\"Problem 1\"}],"
                 "\"files\":[{\"file_name\":\"shot.PNG\"}]},"
                 "{\"sender\":\"assistant\",\"text\":\"SECRET answer\",\"content\":["
                 "{\"type\":\"thinking\",\"thinking\":\"SECRET\"},{\"type\":\"text\",\"text\":\"answer\"},"
                 "{\"type\":\"tool_use\",\"input\":{}}]}]}]",
                 NULL);
    const rp_transcript *t = only(r);
    assert_string_equal(t->format, "claude");
    assert_string_equal(t->title, "N");
    assert_turn(t, 0, RP_ROLE_USER, "see file\n\nProblem 1\n\n[image]");
    assert_turn(t, 1, RP_ROLE_MODEL, "answer");
    assert_string_equal(t->turns[0].time, "2025-01-01T00:00:00Z");
    done(r);
    /* a branch: the leaf's ancestors only; the root's parent is a placeholder */
    r = run("{\"current_leaf_message_uuid\":\"c\",\"chat_messages\":["
            "{\"uuid\":\"a\",\"parent_message_uuid\":\"0000\",\"sender\":\"human\",\"text\":\"q\"},"
            "{\"uuid\":\"b\",\"parent_message_uuid\":\"a\",\"sender\":\"assistant\",\"text\":\"OLD\"},"
            "{\"uuid\":\"c\",\"parent_message_uuid\":\"a\",\"sender\":\"assistant\",\"text\":\"new\"}]}",
            NULL);
    t = only(r);
    assert_int_equal(t->n_turns, 2);
    assert_turn(t, 1, RP_ROLE_MODEL, "new");
    done(r);
    assert_fails("{\"current_leaf_message_uuid\":\"b\",\"chat_messages\":["
                 "{\"uuid\":\"a\",\"parent_message_uuid\":\"b\",\"sender\":\"human\",\"text\":\"q\"},"
                 "{\"uuid\":\"b\",\"parent_message_uuid\":\"a\",\"sender\":\"assistant\",\"text\":\"x\"}]}",
                 NULL, "parent links form a loop");
    assert_fails("[{\"chat_messages\":[{\"sender\":\"human\",\"content\":[{\"type\":\"text\",\"text\":1}]}]}]",
                 NULL, "$[0].chat_messages[0].content[0].text: expected a string, found a number");
    assert_fails("[{\"chat_messages\":[{\"text\":\"x\"}]}]", NULL,
                 "$[0].chat_messages[0]: message without \"sender\"");
}

/* ---------------------------------------------------------- Open WebUI */

static void test_openwebui(void **state)
{
    (void)state;
    res *r = run("[{\"title\":\"outer\",\"chat\":{\"models\":[\"llama3\"],\"history\":{\"currentId\":\"b2\","
                 "\"messages\":{\"a\":{\"parentId\":null,\"role\":\"user\",\"content\":\"q\",\"timestamp\":1765314998},"
                 "\"b1\":{\"parentId\":\"a\",\"role\":\"assistant\",\"content\":\"OLD\"},"
                 "\"b2\":{\"parentId\":\"a\",\"role\":\"assistant\",\"content\":"
                 "\"<details type=\\\"reasoning\\\" done=\\\"true\\\">\\n<summary>Thought</summary>\\nSECRET\\n</details>\\nnew\"}}}}}]",
                 NULL);
    const rp_transcript *t = only(r);
    assert_string_equal(t->format, "openwebui");
    assert_string_equal(t->model, "llama3");
    assert_string_equal(t->title, "outer");
    assert_int_equal(t->n_turns, 2);
    assert_string_equal(t->turns[0].time, "2025-12-09T21:16:38Z");
    assert_turn(t, 1, RP_ROLE_MODEL, "new");
    done(r);
    /* no history: the linear list */
    r = run("{\"chat\":{\"history\":{},\"messages\":[{\"role\":\"user\",\"content\":\"q\"},"
            "{\"role\":\"assistant\",\"content\":\"a\",\"model\":\"m\"}]}}",
            "openwebui");
    t = only(r);
    assert_string_equal(t->model, "m");
    assert_turn(t, 1, RP_ROLE_MODEL, "a");
    done(r);
    assert_fails("[{\"chat\":{\"history\":{\"currentId\":\"x\",\"messages\":{}}}}]", NULL,
                 "$[0].chat.history.currentId: no node 'x'");
    assert_fails("[{\"chat\":{\"title\":\"t\"}}]", "openwebui", "not an Open WebUI chat");
}

/* ------------------------------------------------------------ Markdown */

static void test_markdown_headings(void **state)
{
    (void)state;
    const char *md = "---\ntitle: 'Front'\nmodel: gpt-4o\n---\n"
                     "# Heading title\n\nExported 2025-12-09\n\n"
                     "## User\n\nWhat is $2+2$?\n\n```\n## Assistant\nnot a turn\n```\n\n---\n\n"
                     "## Assistant\n\n<details>\n<summary>Thinking</summary>\n\nSECRET\n\n</details>\n\n"
                     "### Part (a)\n\nIt is $4$.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n---\n";
    res *r = run(md, NULL);
    const rp_transcript *t = only(r);
    assert_string_equal(t->format, "markdown");
    assert_string_equal(t->title, "Front");
    assert_string_equal(t->model, "gpt-4o");
    assert_int_equal(t->n_turns, 2);
    assert_turn(t, 0, RP_ROLE_USER, "What is $2+2$?\n\n```\n## Assistant\nnot a turn\n```");
    assert_turn(t, 1, RP_ROLE_MODEL, "### Part (a)\n\nIt is $4$.\n\n| a | b |\n|---|---|\n| 1 | 2 |");
    assert_int_equal(t->turns[0].line, 9);
    done(r);
}

static void test_markdown_labels_and_setext(void **state)
{
    (void)state;
    const char *md = "Chat log\n========\n\n**Model:** Claude Opus\n\n"
                     "**User:** first question\ncontinues here\n\n- a list\n\n"
                     "**Claude**: answer with **bold** words\n\n**User:** thanks\n";
    res *r = run(md, "markdown");
    const rp_transcript *t = only(r);
    assert_string_equal(t->title, "Chat log");
    assert_string_equal(t->model, "Claude Opus");
    assert_int_equal(t->n_turns, 3);
    assert_turn(t, 0, RP_ROLE_USER, "first question\ncontinues here\n\n- a list");
    assert_turn(t, 1, RP_ROLE_MODEL, "answer with **bold** words");
    assert_turn(t, 2, RP_ROLE_USER, "thanks");
    done(r);
    /* setext role headings; consecutive model headings are one turn */
    md = "User\n----\nq\n\nAssistant\n---------\npart one\n\nAssistant\n---------\npart two\n";
    r = run(md, "markdown");
    t = only(r);
    assert_int_equal(t->n_turns, 2);
    assert_turn(t, 1, RP_ROLE_MODEL, "part one\n\npart two");
    done(r);
    assert_fails("just text\n", "markdown", "no role headings or labels found");
    /* labels alone in their paragraph; images become placeholders */
    md = "**User**\n\nSee ![the plot](plot.png) and ![x](y.png).\n\n**GPT-4o**\n\n"
         "![a](b) done, but ![not an image](\nand [a link](z) stay.\n";
    assert_string_equal(rp_ingest_detect(md, strlen(md)), "markdown");
    r = run(md, NULL);
    t = only(r);
    assert_string_equal(t->model, "GPT-4o");
    assert_turn(t, 0, RP_ROLE_USER, "See [image] and [image].");
    assert_turn(t, 1, RP_ROLE_MODEL, "[image] done, but ![not an image](\nand [a link](z) stay.");
    done(r);
}

/* ------------------------------------------------------ hidden reasoning */

static void test_strip_hidden(void **state)
{
    (void)state;
    struct {
        const char *in, *out;
    } cases[] = {
        {"<think>x</think>b", "b"},
        {"<THINK>x</Think>\n\nb", "b"},
        {"<details><summary>s</summary><details>in</details>out</details>keep", "keep"},
        {"keep\n\n<details>never closed", "keep\n\n"},
        {"reasoning first</think>answer", "answer"},
        {"reasoning\n</think>\n\nanswer", "answer"},
        {"a <b>bold</b> <thinker> c", "a <b>bold</b> <thinker> c"},
        {"<reasoning a=1>r</reasoning>\n<thinking>t</thinking>\nz", "z"},
        {"a\n\n<think>\nx\n</think>\n\nb", "a\n\nb"},
        /* a tag in a sentence or in code is text about tags */
        {"a<think>x</think>b", "a<think>x</think>b"},
        {"Close it with `</think>` and go on.", "Close it with `</think>` and go on."},
        {"Fold it: ``<details>`` opens.\n\nMore.", "Fold it: ``<details>`` opens.\n\nMore."},
        {"```html\n<details>x</details>\n```\nafter", "```html\n<details>x</details>\n```\nafter"},
        {"~~~\n</think>\n~~~\nb", "~~~\n</think>\n~~~\nb"},
        {"` <think> unclosed\n<think>r</think>\nz", "` <think> unclosed\nz"},
        {"<", "<"},
        {"</", "</"},
        {"<details", "<details"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[128];
        snprintf(buf, sizeof buf, "%s", cases[i].in);
        size_t n = rp_strip_hidden(buf, strlen(buf));
        buf[n] = '\0';
        assert_string_equal(buf, cases[i].out);
    }
}

/* rp_strip_hidden() moves runs of plain text in one step; on generated
 * texts made of the pieces its tests turn on (tags, fences, backticks,
 * line starts, spaces) it must agree with rp_strip_hidden_bytewise(),
 * which looks at every byte alone.  A fixed generator: the same texts on
 * every run. */
static void test_strip_hidden_runs(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "<think>", "</think>", "<details>", "</details>", "<thinking a=1>", "</Think>",
        "<reasoning>", "</reasoning>", "`", "``", "```", "~~~", "\n", "\n\n", " ", "\t",
        "\r", "<", ">", "a", "plain words here", "x<y", "long plain text of a sentence.",
        "<b>", "</", "<details\n"};
    uint32_t seed = 2024;
    char a[1024], b[1024];
    for (int round = 0; round < 20000; round++) {
        size_t n = 0;
        seed = seed * 1103515245u + 12345u;
        int count = (int)((seed >> 16) % 40);
        for (int k = 0; k < count; k++) {
            seed = seed * 1103515245u + 12345u;
            const char *p = pieces[(seed >> 16) % (sizeof pieces / sizeof pieces[0])];
            size_t m = strlen(p);
            if (n + m >= sizeof a)
                break;
            memcpy(a + n, p, m);
            n += m;
        }
        a[n] = '\0';
        memcpy(b, a, n + 1);
        size_t na = rp_strip_hidden(a, n);
        size_t nb = rp_strip_hidden_bytewise(b, n);
        if (na != nb || memcmp(a, b, na) != 0)
            fail_msg("round %d: runs and bytewise differ (%zu and %zu bytes)", round, na, nb);
    }
}

/* --------------------------------------------------- prefixes never crash */

static void test_every_prefix_is_safe(void **state)
{
    (void)state;
    const char *files[] = {"transcripts/examples/chatgpt-conversations.json",
                           "transcripts/examples/claude-export.json",
                           "transcripts/examples/openwebui-export.json",
                           "transcripts/examples/openai-messages.json",
                           "transcripts/examples/sharegpt.json",
                           "transcripts/examples/openai-batch.jsonl",
                           "transcripts/examples/markdown-headings.md",
                           "transcripts/examples/markdown-bold-labels.md"};
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        size_t n;
        char *data = repo_file(files[f], &n);
        if (!data)
            fail_msg("cannot find %s from the working directory", files[f]);
        const char *fmt = rp_ingest_detect(data, n);
        size_t ok = 0;
        size_t step = n / 300 + 1;
        for (size_t k = 0; k < n; k += step) {
            char *pre = malloc(k + 1);
            memcpy(pre, data, k);
            pre[k] = '\0';
            rp_ingest_opts o;
            memset(&o, 0, sizeof o);
            o.format = fmt;
            res *r = run_opts(pre, k, &o);
            /* a prefix either fails with a diagnostic or reads cleanly */
            if (r->st == RP_OK)
                ok++;
            else if (r->st == RP_EINPUT)
                assert_true(r->d.n > 0);
            done(r);
            free(pre);
        }
        /* whole JSON documents never parse when cut */
        if (strcmp(fmt, "markdown") != 0 && strcmp(fmt, "openai") != 0)
            assert_int_equal(ok, 0);
        res *r = run_opts(data, n, NULL);
        assert_int_equal(r->st, RP_OK);
        done(r);
        free(data);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detect),
        cmocka_unit_test(test_role_labels),
        cmocka_unit_test(test_openai_parts_roles_and_merge),
        cmocka_unit_test(test_openai_bare_array_and_times),
        cmocka_unit_test(test_openai_several),
        cmocka_unit_test(test_openai_nul_escapes),
        cmocka_unit_test(test_openai_errors),
        cmocka_unit_test(test_json_depth_limit),
        cmocka_unit_test(test_long_lines),
        cmocka_unit_test(test_file_line_cap),
        cmocka_unit_test(test_json_string_end),
        cmocka_unit_test(test_many_messages_one_turn),
        cmocka_unit_test(test_sharegpt),
        cmocka_unit_test(test_chatgpt_branches_and_content),
        cmocka_unit_test(test_chatgpt_without_current_node),
        cmocka_unit_test(test_chatgpt_errors),
        cmocka_unit_test(test_claude),
        cmocka_unit_test(test_openwebui),
        cmocka_unit_test(test_markdown_headings),
        cmocka_unit_test(test_markdown_labels_and_setext),
        cmocka_unit_test(test_strip_hidden),
        cmocka_unit_test(test_strip_hidden_runs),
        cmocka_unit_test(test_every_prefix_is_safe),
    };
    const char *only_these = getenv("RP_TEST_FILTER"); /* e.g. "test_claude" */
    if (only_these)
        cmocka_set_test_filter(only_these);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
