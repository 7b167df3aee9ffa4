/*
 * Unit tests of the pipeline: which rubric grades a transcript (the same
 * for grade, extract, compare and annotate; the search order of the rubric
 * directory), the order of results with two threads, the batches of the
 * JSONL stream at their boundaries (64 lines, 256 KB), and a failing input
 * among good ones, with and without --keep-going.  The rubrics and
 * conversations are small ones written here, into a temporary directory.
 */
#include "redpen/pipeline.h"
#include "redpen/rubric.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Two homeworks told apart by their cues, a third whose cues tie with the
 * first (a tie is refused), and files that are not rubrics. */
static const char *const files[][2] = {
    {"a-linear.json",
     "{\"id\":\"linear\",\"problems\":[{\"number\":1,\"title\":\"Linear maps\","
     "\"cues\":[\"eigenvalue\",\"determinant\"],\"parts\":[{\"id\":\"1a\",\"title\":"
     "\"Determinant of the map\",\"answer\":{\"kind\":\"expr\",\"latex\":\"6\"}}]}]}"},
    {"b-conv.json",
     "{\"id\":\"conv\",\"problems\":[{\"number\":1,\"title\":\"Convolutions\","
     "\"cues\":[\"kernel\",\"stride\",\"padding\"],\"parts\":[{\"id\":\"1a\",\"title\":"
     "\"Output width\",\"answer\":{\"kind\":\"expr\",\"latex\":\"5\"}}]}]}"},
    {"c-linear-too.json",
     "{\"id\":\"linear-too\",\"problems\":[{\"number\":1,\"title\":\"Maps again\","
     "\"cues\":[\"Eigenvalue\",\"DETERMINANT\"],\"parts\":[{\"id\":\"1a\",\"title\":"
     "\"Another part\",\"answer\":{\"kind\":\"expr\",\"latex\":\"7\"}}]}]}"},
    {"rubric.schema.json", "{\"id\":\"not-a-rubric\"}"},
    {"broken.json", "{\"id\": "},
};

/* A conversation as one OpenAI-messages JSON line. */
static char *conversation(const char *model, const char *question, const char *answer)
{
    size_t n = strlen(model) + strlen(question) + strlen(answer) + 128;
    char *s = malloc(n);
    assert_non_null(s);
    snprintf(s, n,
             "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"%s\"},"
             "{\"role\":\"assistant\",\"content\":\"%s\"}]}",
             model, question, answer);
    return s;
}

#define CONV_Q "Problem 1. A 3 by 3 kernel with stride 1 and no padding slides over a 7 by 7 image. What is the output width?"
#define CONV_A "Part (a). The output width is $5$."
#define LIN_Q "Problem 1. A map has eigenvalue 2 and eigenvalue 3. What is its determinant?"
#define LIN_A "Part (a). The determinant is $6$."
#define NONE_Q "What is the capital of France?"

typedef struct fixture {
    char dir[64];     /* the temporary directory */
    char rubrics[96]; /* dir/rubrics */
} fixture;

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    snprintf(fx->dir, sizeof fx->dir, "/tmp/rp-pipeline-XXXXXX");
    if (!fx || !mkdtemp(fx->dir))
        return -1;
    snprintf(fx->rubrics, sizeof fx->rubrics, "%s/rubrics", fx->dir);
    mkdir(fx->rubrics, 0700);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/%s", fx->rubrics, files[i][0]);
        write_file(path, files[i][1]);
    }
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
    int rc = system(cmd);
    free(fx);
    return rc == 0 ? 0 : -1;
}

static rp_registry *registry(const char *rubric, const char *dir)
{
    rp_diags d;
    assert_int_equal(rp_diags_init(&d), RP_OK);
    rp_registry_opts o = {rubric, dir, 1, NULL, NULL};
    rp_registry *rg = NULL;
    assert_int_equal(rp_registry_new(&o, &rg, &d), RP_OK);
    rp_diags_free(&d);
    return rg;
}

/* A warning about a file of the rubric directory that does not load
 * (test_broken_rubric_warned checks them). */
static bool dir_warning(const rp_diag *g)
{
    return strncmp(g->msg, "warning: not used as a rubric: ", 31) == 0;
}

/* The id of the rubric rg chooses for a conversation (NULL: none), and the
 * first diagnostic's message in msg, the directory's warnings aside. */
static const char *choose(rp_registry *rg, const char *question, char *msg, size_t cap)
{
    char *text = conversation("m", question, "no answer");
    rp_transcript_set ts = {NULL, 0};
    rp_diags d;
    assert_int_equal(rp_diags_init(&d), RP_OK);
    assert_int_equal(rp_ingest_buffer("q.json", text, strlen(text), NULL, &ts, &d), RP_OK);
    rp_rubric *r = NULL, *again = NULL;
    rp_status st = rp_registry_for(rg, ts.items[0], &r, &d);
    if (st == RP_OK) {
        assert_true(r->solved);
        /* one cache: the same rubric, loaded and solved once */
        assert_int_equal(rp_registry_for(rg, ts.items[0], &again, &d), RP_OK);
        assert_ptr_equal(r, again);
    }
    const rp_diag *first = d.head;
    while (first && dir_warning(first))
        first = first->next;
    snprintf(msg, cap, "%s", first ? first->msg : "");
    rp_diags_free(&d);
    rp_transcript_set_free(&ts);
    free(text);
    return st == RP_OK ? r->id : NULL;
}

static void test_rubric_choice(void **state)
{
    fixture *fx = *state;
    char msg[512];
    rp_registry *rg = registry(NULL, fx->rubrics);
    assert_string_equal(rp_registry_dir(rg), fx->rubrics);
    assert_string_equal(choose(rg, CONV_Q, msg, sizeof msg), "conv");
    /* the first choice among several says why: its score and the runner-up's */
    assert_non_null(strstr(msg, "note: rubric conv ("));
    assert_non_null(strstr(msg, "b-conv.json): 3 cues; runner-up linear ("));
    assert_non_null(strstr(msg, "a-linear.json): 0 cues"));
    rp_registry_free(rg);
    rg = registry(NULL, fx->rubrics);
    /* cues tie (case does not count): refused, the candidates listed */
    assert_null(choose(rg, LIN_Q, msg, sizeof msg));
    assert_non_null(strstr(msg, "two rubrics match this transcript equally: linear ("));
    assert_non_null(strstr(msg, "a-linear.json): 2 cues; runner-up linear-too ("));
    assert_non_null(strstr(msg, "(use --rubric)"));
    /* one cue is not enough evidence: refused, the best candidate named */
    assert_null(choose(rg, "Problem 1. What is the stride?", msg, sizeof msg));
    assert_non_null(strstr(msg, "no rubric matches this transcript clearly (at least 2"));
    assert_non_null(strstr(msg, "conv ("));
    assert_non_null(strstr(msg, "b-conv.json): 1 cue; runner-up "));
    /* no cue at all: refused, never a guess */
    assert_null(choose(rg, NONE_Q, msg, sizeof msg));
    assert_non_null(strstr(msg, "matches this transcript's problems"));
    rp_registry_free(rg);

    /* --rubric comes before the directory, whatever the transcript says */
    char given[256];
    snprintf(given, sizeof given, "%s/b-conv.json", fx->rubrics);
    rg = registry(given, fx->rubrics);
    assert_string_equal(choose(rg, LIN_Q, msg, sizeof msg), "conv");
    assert_true(rp_registry_settled(rg));
    rp_registry_free(rg);

    /* a directory that is not there */
    char missing[256];
    snprintf(missing, sizeof missing, "%s/nowhere", fx->dir);
    rg = registry(NULL, missing);
    assert_null(choose(rg, CONV_Q, msg, sizeof msg));
    assert_non_null(strstr(msg, "no rubric directory"));
    rp_registry_free(rg);

    /* a stream sticks to the first rubric chosen */
    rg = registry(NULL, fx->rubrics);
    rp_registry_stick(rg);
    assert_false(rp_registry_settled(rg));
    assert_string_equal(choose(rg, CONV_Q, msg, sizeof msg), "conv");
    assert_true(rp_registry_settled(rg));
    assert_string_equal(choose(rg, LIN_Q, msg, sizeof msg), "conv");
    rp_registry_free(rg);
}

/* A file of the rubric directory meant as a rubric (not JSON, or JSON with
 * "problems") that does not load is named in a warning with the reason, once
 * per scan; other JSON files (a schema) are passed over in silence. */
static void test_broken_rubric_warned(void **state)
{
    fixture *fx = *state;
    char path[256];
    snprintf(path, sizeof path, "%s/rubrics/d-homework.json", fx->dir);
    write_file(path, "{\"id\":\"d\",\"problems\":[{\"number\":1,\"title\":\"t\","
                     "\"parts\":[{\"id\":\"1a\",\"title\":\"a\",\"answer\":{\"kind\":\"expr\","
                     "\"latex\":\"6\",\"latex\":\"7\"}}]}]}");
    rp_registry *rg = registry(NULL, fx->rubrics);
    char *text = conversation("m", CONV_Q, CONV_A);
    rp_transcript_set ts = {NULL, 0};
    rp_diags d;
    assert_int_equal(rp_diags_init(&d), RP_OK);
    assert_int_equal(rp_ingest_buffer("q.json", text, strlen(text), NULL, &ts, &d), RP_OK);
    rp_rubric *r = NULL;
    for (int round = 0; round < 2; round++)
        assert_int_equal(rp_registry_for(rg, ts.items[0], &r, &d), RP_OK);
    size_t broken = 0, homework = 0, other = 0;
    for (const rp_diag *g = d.head; g; g = g->next) {
        if (!dir_warning(g))
            continue;
        if (strstr(g->file, "/broken.json") && strstr(g->msg, "line 1:") &&
            strstr(g->msg, "not valid JSON"))
            broken++;
        else if (strstr(g->file, "/d-homework.json") &&
                 strstr(g->msg, "$.problems[0].parts[0].answer.latex: given twice"))
            homework++;
        else
            other++;
    }
    assert_int_equal(broken, 1);
    assert_int_equal(homework, 1);
    assert_int_equal(other, 0);
    rp_diags_free(&d);
    rp_transcript_set_free(&ts);
    free(text);
    rp_registry_free(rg);
    unlink(path);
}

/* Cues count as words: a cue inside a longer word is no evidence. */
static void test_cue_words(void **state)
{
    (void)state;
    const char *js = "{\"id\":\"w\",\"problems\":[{\"number\":1,\"title\":\"t\","
                     "\"cues\":[\"FIR\",\"Gram matrix\",\"fp8\"],\"parts\":[{\"id\":\"1a\","
                     "\"title\":\"a\",\"answer\":{\"kind\":\"expr\",\"latex\":\"1\"}}]}]}";
    rp_diags d;
    assert_int_equal(rp_diags_init(&d), RP_OK);
    rp_rubric *r = NULL;
    assert_int_equal(rp_rubric_parse("w", js, strlen(js), NULL, &r, &d), RP_OK);
    assert_int_equal(rp_rubric_cue_score(r, "first, the firm's affirmation"), 0);
    assert_int_equal(rp_rubric_cue_score(r, "a fir filter; the (gram matrix)"), 2);
    assert_int_equal(rp_rubric_cue_score(r, "fp8 at the end, fir"), 2);
    assert_int_equal(rp_rubric_cue_score(r, "gram matrixes and fp80"), 0);
    rp_rubric_free(r);
    rp_diags_free(&d);
}

/* --rubric-dir, then $REDPEN_RUBRICS, then ./rubrics, then rubrics/ near
 * the executable. */
static void test_search_order(void **state)
{
    fixture *fx = *state;
    char cwd[PATH_MAX], buf[PATH_MAX + 16];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(fx->dir), 0); /* has rubrics/ */
    setenv("REDPEN_RUBRICS", "/env/rubrics", 1);
    assert_string_equal(rp_rubrics_dir("/given", buf, sizeof buf), "/given");
    assert_string_equal(rp_rubrics_dir(NULL, buf, sizeof buf), "/env/rubrics");
    setenv("REDPEN_RUBRICS", "", 1); /* empty: not set */
    assert_string_equal(rp_rubrics_dir(NULL, buf, sizeof buf), "rubrics");
    unsetenv("REDPEN_RUBRICS");
    assert_string_equal(rp_rubrics_dir(NULL, buf, sizeof buf), "rubrics");
    /* no ./rubrics: rubrics/ in a directory above the executable (the
     * source tree's, for a build inside it), else the name as it is */
    assert_int_equal(chdir(fx->rubrics), 0);
    const char *near = rp_rubrics_dir(NULL, buf, sizeof buf);
    if (strcmp(near, "rubrics") != 0) {
        char exe[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        assert_true(n > 0);
        exe[n] = '\0';
        size_t len = strlen(near) - strlen("/rubrics");
        assert_string_equal(near + len, "/rubrics");
        assert_memory_equal(exe, near, len); /* a directory above the executable */
        struct stat sb;
        assert_int_equal(stat(near, &sb), 0);
        assert_true(S_ISDIR(sb.st_mode));
    }
    assert_int_equal(chdir(cwd), 0);
}

/* A ./rubrics folder adds to the built-in rubrics (the source tree's, for
 * a build inside it) instead of hiding them; one of its rubrics with a
 * built-in id replaces that one. */
static void test_local_rubrics_keep_builtin(void **state)
{
    fixture *fx = *state;
    char cwd[PATH_MAX], dir[256], path[320], msg[512];
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(dir, sizeof dir, "%s/work", fx->dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    snprintf(path, sizeof path, "%s/rubrics", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/rubrics/calc.json", dir);
    write_file(path, "{\"id\":\"calc\",\"problems\":[{\"number\":1,\"title\":\"Slopes\","
                     "\"cues\":[\"derivative\",\"tangent line\"],\"parts\":[{\"id\":\"1a\","
                     "\"title\":\"Slope\",\"answer\":{\"kind\":\"expr\",\"latex\":\"2\"}}]}]}");
    assert_int_equal(chdir(dir), 0);
    unsetenv("REDPEN_RUBRICS");
    rp_registry *rg = registry(NULL, NULL);
    assert_string_equal(rp_registry_dir(rg), "rubrics");
    const char *hw = "Problem 1. The Newton-Schulz step costs three products; the Gram matrix "
                     "comes first. Its derivative is not needed.";
    const char *id = choose(rg, hw, msg, sizeof msg);
    bool built_in = id != NULL; /* a build outside the source tree finds none */
    if (built_in) {
        assert_string_equal(id, "hw4");
        assert_non_null(strstr(msg, "runner-up calc (rubrics/calc.json): 1 cue"));
    }
    assert_string_equal(choose(rg, "The derivative gives the tangent line.", msg, sizeof msg),
                        "calc");
    rp_registry_free(rg);

    /* the same id in ./rubrics: the local rubric grades */
    snprintf(path, sizeof path, "%s/rubrics/mine.json", dir);
    write_file(path, "{\"id\":\"hw4\",\"problems\":[{\"number\":1,\"title\":\"Mine\","
                     "\"cues\":[\"Newton-Schulz\",\"Gram matrix\"],\"parts\":[{\"id\":\"1a\","
                     "\"title\":\"Mine\",\"answer\":{\"kind\":\"expr\",\"latex\":\"3\"}}]}]}");
    rg = registry(NULL, NULL);
    char *text = conversation("m", hw, "no answer");
    rp_transcript_set ts = {NULL, 0};
    rp_diags d;
    assert_int_equal(rp_diags_init(&d), RP_OK);
    assert_int_equal(rp_ingest_buffer("q.json", text, strlen(text), NULL, &ts, &d), RP_OK);
    rp_rubric *r = NULL;
    assert_int_equal(rp_registry_for(rg, ts.items[0], &r, &d), RP_OK);
    assert_string_equal(r->path, "rubrics/mine.json");
    rp_diags_free(&d);
    rp_transcript_set_free(&ts);
    free(text);
    rp_registry_free(rg);
    assert_int_equal(chdir(cwd), 0);
}

/* ------------------------------------------------ the same rubric for all */

typedef struct seen {
    size_t n;
    size_t input[64];
    char rubric[64][32];
    char model[64][32];
} seen;

static rp_status record(void *ctx, size_t input, rp_transcript *t, rp_report *r)
{
    seen *s = ctx;
    assert_true(s->n < 64);
    s->input[s->n] = input;
    snprintf(s->rubric[s->n], sizeof s->rubric[0], "%s", r->rubric_id ? r->rubric_id : "");
    snprintf(s->model[s->n], sizeof s->model[0], "%s", r->model ? r->model : "");
    s->n++;
    rp_report_free(r);
    rp_transcript_free(t);
    return RP_OK;
}

static void test_same_rubric_every_command(void **state)
{
    fixture *fx = *state;
    char path[256];
    snprintf(path, sizeof path, "%s/conv.json", fx->dir);
    char *text = conversation("m", CONV_Q, CONV_A);
    write_file(path, text);
    free(text);
    rp_diags d;
    assert_int_equal(rp_diags_init(&d), RP_OK);
    rp_pipeline p;
    memset(&p, 0, sizeof p);
    p.rubrics = registry(NULL, fx->rubrics);

    /* grade and extract: the run loop */
    seen s = {0};
    rp_input in = {path, NULL, 0};
    assert_int_equal(rp_pipeline_grade(&p, &in, 1, record, &s, &d), RP_OK);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.rubric[0], "conv");

    /* annotate */
    rp_report_set set;
    rp_report_set_init(&set);
    bool saved = true;
    assert_int_equal(rp_pipeline_grade_file(&p, path, NULL, &saved, &set, &d), RP_OK);
    assert_false(saved);
    assert_int_equal(set.n, 1);
    assert_string_equal(set.items[0]->rubric_id, "conv");
    rp_report_set_free(&set);

    /* compare: the part titles of its JSON are the rubric's */
    rp_compare *c = NULL;
    assert_int_equal(rp_compare_new(RP_COMPARE_JSON, &c), RP_OK);
    const char *const one[] = {path};
    assert_int_equal(rp_pipeline_compare(&p, one, 1, NULL, c, &d), RP_OK);
    rp_buf out;
    rp_buf_init(&out, 0);
    assert_int_equal(rp_compare_finish(c, false, NULL, &out), RP_OK);
    assert_non_null(strstr(out.data, "\"Output width\""));
    assert_null(strstr(out.data, "\"Determinant of the map\""));
    rp_buf_free(&out);
    rp_compare_free(c);

    /* nothing went wrong: the diagnostics are the warning about the
     * directory's broken file, then the note of the first choice */
    assert_int_equal(d.n, 2);
    assert_true(dir_warning(d.head));
    assert_non_null(strstr(d.head->next->msg, "note: rubric conv ("));
    rp_diags_free(&d);
    rp_registry_free(p.rubrics);
}

/* ------------------------------------------------------- order, failures */

/* n conversations as inputs held in memory: input i names model "m<i>";
 * input bad (when < n) is not a conversation; every third is long, so that
 * two threads finish out of order. */
static rp_input *inputs(size_t n, size_t bad, char ***texts)
{
    rp_input *in = calloc(n, sizeof *in);
    *texts = calloc(n, sizeof **texts);
    assert_non_null(in);
    assert_non_null(*texts);
    for (size_t i = 0; i < n; i++) {
        char model[16];
        snprintf(model, sizeof model, "m%zu", i);
        rp_buf a;
        rp_buf_init(&a, 0);
        for (size_t k = 0; k < (i % 3 == 0 ? 40 : 1); k++)
            assert_int_equal(rp_buf_puts(&a, "The kernel has stride 1. "), RP_OK);
        assert_int_equal(rp_buf_puts(&a, CONV_A), RP_OK);
        (*texts)[i] = i == bad ? strdup("{\"messages\": 7}") : conversation(model, CONV_Q, a.data);
        rp_buf_free(&a);
        char *label = malloc(32);
        snprintf(label, 32, "in-%zu.json", i);
        in[i] = (rp_input){label, (*texts)[i], strlen((*texts)[i])};
    }
    return in;
}

static void inputs_free(rp_input *in, char **texts, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free((char *)in[i].label);
        free(texts[i]);
    }
    free(in);
    free(texts);
}

static void test_order_with_two_jobs(void **state)
{
    fixture *fx = *state;
    const size_t n = 24;
    char **texts;
    rp_input *in = inputs(n, n, &texts);
    rp_pipeline p;
    memset(&p, 0, sizeof p);
    p.rubrics = registry(NULL, fx->rubrics);
    p.jobs = 2;
    for (int round = 0; round < 3; round++) {
        seen s = {0};
        rp_diags d;
        assert_int_equal(rp_diags_init(&d), RP_OK);
        assert_int_equal(rp_pipeline_grade(&p, in, n, record, &s, &d), RP_OK);
        assert_int_equal(s.n, n);
        for (size_t i = 0; i < n; i++) {
            char model[16];
            snprintf(model, sizeof model, "m%zu", i);
            assert_int_equal(s.input[i], i);
            assert_string_equal(s.model[i], model);
            assert_string_equal(s.rubric[i], "conv");
        }
        rp_diags_free(&d);
    }
    rp_registry_free(p.rubrics);
    inputs_free(in, texts, n);
}

/* Input 2 of 5 fails: with or without --keep-going (which is about the
 * records inside one input) every other input is handed on and the
 * failure named; either way the result is the failure. */
static void test_failing_input(void **state)
{
    fixture *fx = *state;
    const size_t n = 5;
    char **texts;
    rp_input *in = inputs(n, 2, &texts);
    rp_pipeline p;
    memset(&p, 0, sizeof p);
    p.rubrics = registry(NULL, fx->rubrics);
    p.jobs = 2;
    for (int keep = 0; keep < 2; keep++) {
        p.keep_going = keep;
        seen s = {0};
        rp_diags d;
        assert_int_equal(rp_diags_init(&d), RP_OK);
        assert_int_equal(rp_pipeline_grade(&p, in, n, record, &s, &d), RP_EINPUT);
        assert_int_equal(s.n, 4);
        size_t want[] = {0, 1, 3, 4};
        for (size_t i = 0; i < s.n; i++)
            assert_int_equal(s.input[i], want[i]);
        assert_true(d.n >= 1);
        for (const rp_diag *g = d.head; g; g = g->next) /* notes aside: why a rubric */
            if (strncmp(g->msg, "note: ", 6) != 0 && !dir_warning(g))
                assert_string_equal(g->file, "in-2.json");
        rp_diags_free(&d);
    }
    /* a conversation that no rubric matches fails as an input does */
    free(texts[2]);
    texts[2] = conversation("m2", NONE_Q, "Paris.");
    in[2].data = texts[2];
    in[2].len = strlen(texts[2]);
    for (int keep = 0; keep < 2; keep++) {
        p.keep_going = keep;
        seen s = {0};
        rp_diags d;
        assert_int_equal(rp_diags_init(&d), RP_OK);
        assert_int_equal(rp_pipeline_grade(&p, in, n, record, &s, &d), RP_ENOTFOUND);
        assert_int_equal(s.n, 4);
        assert_int_equal(s.input[1], 1);
        assert_int_equal(s.input[2], 3);
        assert_int_equal(d.n, 1);
        assert_non_null(strstr(d.head->msg, "matches"));
        rp_diags_free(&d);
    }
    rp_registry_free(p.rubrics);
    inputs_free(in, texts, n);
}

/* ---------------------------------------------------------------- stream */

/* Stream the JSONL text through rp_pipeline_stream from a file, with the
 * report lines written to out; returns the status, the models of the
 * report lines in order in models (a JSON array, caller frees). */
static rp_status stream(const fixture *fx, const char *text, unsigned jobs, bool keep_going,
                        cJSON **models)
{
    char in_path[256], out_path[256];
    snprintf(in_path, sizeof in_path, "%s/in.jsonl", fx->dir);
    snprintf(out_path, sizeof out_path, "%s/out.jsonl", fx->dir);
    write_file(in_path, text);
    unlink(out_path);
    int fd = open(in_path, O_RDONLY);
    assert_true(fd >= 0);
    rp_pipeline p;
    memset(&p, 0, sizeof p);
    p.rubrics = registry(NULL, fx->rubrics);
    p.jobs = jobs;
    p.keep_going = keep_going;
    bool streamed = false;
    rp_buf pre;
    rp_status st = rp_pipeline_stream(&p, fd, out_path, &streamed, &pre);
    close(fd);
    assert_true(streamed);
    rp_buf_free(&pre);
    rp_registry_free(p.rubrics);
    *models = cJSON_CreateArray();
    FILE *f = fopen(out_path, "r");
    if (f) {
        static char line[1 << 20];
        while (fgets(line, sizeof line, f)) {
            cJSON *o = cJSON_Parse(line);
            assert_non_null(o);
            cJSON *t = cJSON_GetObjectItem(o, "transcript");
            cJSON_AddItemToArray(*models,
                                 cJSON_CreateString(cJSON_GetObjectItem(t, "model")->valuestring));
            cJSON_Delete(o);
        }
        fclose(f);
    }
    return st;
}

/* n lines of conversations, model "m<line>", each padded to about pad
 * bytes; line bad (1-based, 0: none) is not a JSON object. */
static char *jsonl(size_t n, size_t pad, size_t bad)
{
    rp_buf b;
    rp_buf_init(&b, 0);
    char *filler = calloc(pad + 1, 1);
    for (size_t i = 0; i < pad; i++)
        filler[i] = i % 9 == 8 ? ' ' : 'x';
    for (size_t i = 1; i <= n; i++) {
        char model[16];
        snprintf(model, sizeof model, "m%zu", i);
        char *a = malloc(pad + sizeof CONV_A + 2);
        snprintf(a, pad + sizeof CONV_A + 2, "%s %s", filler, CONV_A);
        char *line = i == bad ? strdup("[not, an, object]") : conversation(model, CONV_Q, a);
        assert_int_equal(rp_buf_puts(&b, line), RP_OK);
        assert_int_equal(rp_buf_putc(&b, '\n'), RP_OK);
        free(line);
        free(a);
    }
    free(filler);
    return b.data;
}

static void assert_models(cJSON *models, size_t n, size_t skip)
{
    assert_int_equal(cJSON_GetArraySize(models), n - (skip ? 1 : 0));
    size_t k = 0;
    for (size_t i = 1; i <= n; i++) {
        if (i == skip)
            continue;
        char model[16];
        snprintf(model, sizeof model, "m%zu", i);
        assert_string_equal(cJSON_GetArrayItem(models, (int)k++)->valuestring, model);
    }
}

/* Batches are 64 lines: with --keep-going a bad line on either side of the
 * boundary is the only line missing (every other written, in order, with
 * two threads); without it the stream stops there and, writing to a file,
 * leaves no file at all (never half a file). */
static void test_stream_batches_of_lines(void **state)
{
    fixture *fx = *state;
    static const size_t bad_at[] = {64, 65, 130};
    for (size_t k = 0; k < sizeof bad_at / sizeof bad_at[0]; k++)
        for (int keep = 0; keep < 2; keep++) {
            char *text = jsonl(140, 0, bad_at[k]);
            cJSON *models;
            assert_int_equal(stream(fx, text, 2, keep, &models), RP_EINPUT);
            if (keep)
                assert_models(models, 140, bad_at[k]);
            else
                assert_int_equal(cJSON_GetArraySize(models), 0);
            cJSON_Delete(models);
            free(text);
        }
    char *text = jsonl(200, 0, 0);
    cJSON *models;
    assert_int_equal(stream(fx, text, 2, false, &models), RP_OK);
    assert_models(models, 200, 0);
    cJSON_Delete(models);
    free(text);
}

/* Batches are at most 256 KB: lines of 60 KB fill one after 5 lines. */
static void test_stream_batches_of_bytes(void **state)
{
    fixture *fx = *state;
    for (unsigned jobs = 1; jobs <= 2; jobs++) {
        char *text = jsonl(12, 60000, 6);
        cJSON *models;
        assert_int_equal(stream(fx, text, jobs, true, &models), RP_EINPUT);
        assert_models(models, 12, 6);
        cJSON_Delete(models);
        free(text);
    }
}

/* A slow writer: the first report is out (flushed) before the second line
 * is written; the batch does not wait to fill. */
typedef struct slow {
    const fixture *fx;
    int in, out; /* the stream's input and output pipes */
    rp_status st;
} slow;

static void *run_stream(void *arg)
{
    slow *s = arg;
    rp_pipeline p;
    memset(&p, 0, sizeof p);
    p.rubrics = registry(NULL, s->fx->rubrics);
    p.jobs = 2;
    bool streamed = false;
    rp_buf pre;
    s->st = rp_pipeline_stream(&p, s->in, "-", &streamed, &pre);
    rp_buf_free(&pre);
    rp_registry_free(p.rubrics);
    return NULL;
}

static void test_stream_flushes_before_waiting(void **state)
{
    fixture *fx = *state;
    int in[2], out[2];
    assert_int_equal(pipe(in), 0);
    assert_int_equal(pipe(out), 0);
    fflush(stdout);
    int saved = dup(STDOUT_FILENO);
    assert_int_equal(dup2(out[1], STDOUT_FILENO), STDOUT_FILENO);
    close(out[1]);
    slow s = {fx, in[0], out[0], RP_EINTERNAL};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, run_stream, &s), 0);
    char *text = jsonl(2, 0, 0);
    char *second = strchr(text, '\n') + 1;
    assert_int_equal(write(in[1], text, (size_t)(second - text)), second - text);
    /* the first report line arrives while the input stays open */
    struct pollfd pf = {out[0], POLLIN, 0};
    int ready = poll(&pf, 1, 60000);
    char buf[1 << 16];
    ssize_t got = ready > 0 ? read(out[0], buf, sizeof buf - 1) : -1;
    assert_int_equal(write(in[1], second, strlen(second)), (ssize_t)strlen(second));
    close(in[1]);
    pthread_join(th, NULL);
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    assert_true(got > 0);
    buf[got] = '\0';
    assert_non_null(strstr(buf, "\"m1\""));
    assert_null(strstr(buf, "\"m2\""));
    ssize_t more = read(out[0], buf, sizeof buf - 1);
    assert_true(more > 0);
    buf[more] = '\0';
    assert_non_null(strstr(buf, "\"m2\""));
    assert_int_equal(s.st, RP_OK);
    close(out[0]);
    close(in[0]);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rubric_choice),
        cmocka_unit_test(test_cue_words),
        cmocka_unit_test(test_search_order),
        cmocka_unit_test(test_local_rubrics_keep_builtin),
        cmocka_unit_test(test_same_rubric_every_command),
        cmocka_unit_test(test_broken_rubric_warned),
        cmocka_unit_test(test_order_with_two_jobs),
        cmocka_unit_test(test_failing_input),
        cmocka_unit_test(test_stream_batches_of_lines),
        cmocka_unit_test(test_stream_batches_of_bytes),
        cmocka_unit_test(test_stream_flushes_before_waiting),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
