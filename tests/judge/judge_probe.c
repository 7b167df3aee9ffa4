/*
 * judge_probe: a small command-line front end to the judge's public API,
 * for test_judge_http.py.  It makes one judge from the flags, judges each
 * --answer in turn with the same part, question and points, and prints one
 * JSON line per verdict, then one line with the judge's counters:
 *
 *   judge_probe --url URL [--model M] [--cache DIR | --no-cache]
 *               [--timeout-ms N] [--connect-timeout-ms N] [--retries N]
 *               [--backoff-ms N] [--max-retry-after S] [--max-bytes N] [--budget-ms N]
 *               [--part ID] [--question Q] [--point P]... [--judge-per-answer]
 *               --answer A...
 *
 * --judge-per-answer judges each answer with a judge of its own, the
 * judges sharing one run (rp_judge_run), as grade makes one judge per
 * transcript; the counters are then the last judge's.
 *
 * Exit 0 after judging; 2 when the judge cannot be made (diagnostics on
 * standard error) or the flags are wrong.
 */
#include "redpen/judge.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LIST 32

/* The report's verdict names (kept here so the probe needs only the judge). */
static const char *verdict_name(rp_verdict v)
{
    return v == RP_VERDICT_PASS ? "pass" : v == RP_VERDICT_FAIL ? "fail"
                                       : v == RP_VERDICT_UNGRADED ? "ungraded"
                                                                  : "other";
}

static void print_json(cJSON *o)
{
    char *s = cJSON_PrintUnformatted(o);
    if (s)
        puts(s);
    free(s);
    cJSON_Delete(o);
}

int main(int argc, char **argv)
{
    rp_judge_opts o = {0};
    const char *part = "1a", *question = "";
    const char *points[MAX_LIST], *answers[MAX_LIST];
    size_t np = 0, na = 0;
    bool per_answer = false;
    for (int i = 1; i < argc; i++) {
        const char *f = argv[i];
        if (strcmp(f, "--no-cache") == 0) {
            o.no_cache = true;
            continue;
        }
        if (strcmp(f, "--judge-per-answer") == 0) {
            per_answer = true;
            continue;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "judge_probe: %s needs a value\n", f);
            return 2;
        }
        const char *v = argv[++i];
        if (strcmp(f, "--url") == 0)
            o.url = v;
        else if (strcmp(f, "--model") == 0)
            o.model = v;
        else if (strcmp(f, "--cache") == 0)
            o.cache_dir = v;
        else if (strcmp(f, "--timeout-ms") == 0)
            o.timeout_ms = atol(v);
        else if (strcmp(f, "--connect-timeout-ms") == 0)
            o.connect_timeout_ms = atol(v);
        else if (strcmp(f, "--retries") == 0)
            o.max_retries = atoi(v);
        else if (strcmp(f, "--backoff-ms") == 0)
            o.backoff_ms = atol(v);
        else if (strcmp(f, "--max-retry-after") == 0)
            o.max_retry_after_s = atol(v);
        else if (strcmp(f, "--budget-ms") == 0)
            o.budget_ms = atol(v);
        else if (strcmp(f, "--max-bytes") == 0)
            o.max_response_bytes = (size_t)atol(v);
        else if (strcmp(f, "--part") == 0)
            part = v;
        else if (strcmp(f, "--question") == 0)
            question = v;
        else if (strcmp(f, "--point") == 0 && np < MAX_LIST)
            points[np++] = v;
        else if (strcmp(f, "--answer") == 0 && na < MAX_LIST)
            answers[na++] = v;
        else {
            fprintf(stderr, "judge_probe: unknown flag %s\n", f);
            return 2;
        }
    }
    rp_diags d;
    if (rp_diags_init(&d) != RP_OK)
        return 3;
    if (per_answer && !(o.run = rp_judge_run_new()))
        return 3;
    rp_judge *j;
    rp_status st = rp_judge_new(&o, &j, &d);
    if (st != RP_OK) {
        rp_diags_print(&d, stderr);
        fprintf(stderr, "judge_probe: %s\n", rp_strerror(st));
        rp_diags_free(&d);
        return 2;
    }
    for (size_t i = 0; i < na; i++) {
        if (per_answer && i > 0) { /* the next transcript's judge */
            rp_judge_free(j);
            if (rp_judge_new(&o, &j, &d) != RP_OK) {
                rp_diags_print(&d, stderr);
                return 2;
            }
        }
        rp_judge_verdict v;
        st = rp_judge_grade(j, part, question, points, np, answers[i], &v);
        cJSON *r = cJSON_CreateObject();
        cJSON_AddStringToObject(r, "verdict", verdict_name(v.verdict));
        cJSON_AddStringToObject(r, "reason", v.reason);
        cJSON_AddStringToObject(r, "missing", v.missing);
        cJSON_AddBoolToObject(r, "cached", v.cached);
        cJSON_AddNumberToObject(r, "requests", v.requests);
        cJSON_AddStringToObject(r, "status", rp_strerror(st));
        print_json(r);
    }
    rp_judge_stats s;
    rp_judge_get_stats(j, &s);
    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "model", rp_judge_model(j));
    cJSON_AddNumberToObject(r, "graded", (double)s.graded);
    cJSON_AddNumberToObject(r, "requests", (double)s.requests);
    cJSON_AddNumberToObject(r, "cache_hits", (double)s.cache_hits);
    cJSON_AddNumberToObject(r, "cache_writes", (double)s.cache_writes);
    cJSON_AddNumberToObject(r, "ungraded", (double)s.ungraded);
    print_json(r);
    rp_judge_free(j);
    rp_judge_run_free(o.run);
    rp_diags_free(&d);
    return 0;
}
