/*
 * The judge: one per grading run.  rp_judge_grade() builds the prompt,
 * looks the verdict up in the cache, otherwise asks the chat-completions
 * endpoint (retrying 429, 5xx and failed connections with exponential
 * backoff, honouring a short Retry-After), reads the JSON verdict and
 * caches pass/fail verdicts.  Every failure becomes an UNGRADED verdict
 * with the reason; after a timeout, an unreachable server, a rate limit
 * that outlasted the retries, or once the run's time budget is spent, the
 * judge is marked down and later parts are answered from the cache only.
 * A part waits at most max_retry_after_s in all between its attempts.
 *
 * Error text is written here and never quotes the server's body, the
 * request, the URL or the key; what the server says (the verdict's reason
 * and missing points, the model's name) has the key redacted.
 */
#include "judge_int.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define DEFAULT_CONNECT_MS 10000L
#define DEFAULT_TIMEOUT_MS 120000L
#define DEFAULT_RETRIES 3
#define DEFAULT_BACKOFF_MS 1000L
#define MAX_BACKOFF_MS 30000L
#define DEFAULT_RETRY_AFTER_S 30L
#define DEFAULT_BUDGET_MS 600000L
#define DEFAULT_MAX_RESPONSE ((size_t)1 << 20)
#define MAX_MODEL_NAME 256

struct rp_judge {
    rp_http *http;
    char *url;         /* as given (part of the cache key) */
    char *chat_url;    /* the chat-completions endpoint */
    char *models_url;  /* the models list beside it */
    char *model;
    char *cache_dir;   /* NULL: no cache */
    int max_retries;
    long backoff_ms;
    long max_retry_after_s;
    long timeout_ms;
    long budget_ms;
    struct timespec start;   /* when the run (or the judge) began: the budget counts from here */
    rp_judge_run *run;       /* the run's shared state, or NULL */
    size_t max_response;
    bool no_response_format; /* the server refused response_format */
    bool down;               /* unreachable or timed out: ask no more */
    char down_reason[300];
    rp_judge_stats stats;
    rp_buf resp;             /* response body of the last request */
};

struct rp_judge_run {
    pthread_mutex_t mu;
    struct timespec start;
    bool down;
    char down_reason[300];
};

rp_judge_run *rp_judge_run_new(void)
{
    rp_judge_run *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    if (pthread_mutex_init(&r->mu, NULL) != 0) {
        free(r);
        return NULL;
    }
    clock_gettime(CLOCK_MONOTONIC, &r->start);
    return r;
}

void rp_judge_run_free(rp_judge_run *run)
{
    if (!run)
        return;
    pthread_mutex_destroy(&run->mu);
    free(run);
}

/* The judge takes what the run knows: down (with the reason) when another
 * judge of the run found the server down. */
static void run_pull(rp_judge *j)
{
    if (!j->run || j->down)
        return;
    pthread_mutex_lock(&j->run->mu);
    if (j->run->down) {
        j->down = true;
        memcpy(j->down_reason, j->run->down_reason, sizeof j->down_reason);
    }
    pthread_mutex_unlock(&j->run->mu);
}

/* The run learns that the judge found the server down (the first reason
 * stays). */
static void run_push(const rp_judge *j)
{
    if (!j->run || !j->down)
        return;
    pthread_mutex_lock(&j->run->mu);
    if (!j->run->down) {
        j->run->down = true;
        memcpy(j->run->down_reason, j->down_reason, sizeof j->down_reason);
    }
    pthread_mutex_unlock(&j->run->mu);
}

/* ------------------------------------------------------------ endpoints */

static bool has_prefix_ci(const char *s, const char *lit)
{
    return strncasecmp(s, lit, strlen(lit)) == 0;
}

rp_status rp_judge_endpoints(const char *url, char **chat, char **models)
{
    *chat = *models = NULL;
    if (!url)
        return RP_EINPUT;
    size_t skip = has_prefix_ci(url, "http://") ? 7 : has_prefix_ci(url, "https://") ? 8 : 0;
    if (!skip)
        return RP_EINPUT;
    for (const char *p = url; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f)
            return RP_EINPUT; /* spaces and control characters */
    size_t n = strlen(url);
    size_t q = strcspn(url, "?#");       /* query and fragment are kept aside */
    size_t host_end = skip + strcspn(url + skip, "/?#");
    if (host_end == skip)
        return RP_EINPUT;                /* no host */
    size_t path_end = q;
    while (path_end > host_end && url[path_end - 1] == '/')
        path_end--;
    static const char suffix[] = "/chat/completions";
    const size_t ns = sizeof suffix - 1;
    size_t base_end = path_end;          /* where "/chat/completions" or "/models" go */
    const char *base_add = "";
    if (path_end == host_end)
        base_add = "/v1";                /* bare host: the usual /v1 */
    else if (path_end - host_end >= ns && strncmp(url + path_end - ns, suffix, ns) == 0)
        base_end = path_end - ns;
    rp_buf c, m;
    rp_buf_init(&c, n + 64);
    rp_buf_init(&m, n + 64);
    rp_status st = rp_buf_printf(&c, "%.*s%s%s%s", (int)base_end, url, base_add, suffix,
                                 url + q);
    if (st == RP_OK)
        st = rp_buf_printf(&m, "%.*s%s/models%s", (int)base_end, url, base_add, url + q);
    if (st != RP_OK) {
        rp_buf_free(&c);
        rp_buf_free(&m);
        return RP_ENOMEM;
    }
    *chat = c.data;
    *models = m.data;
    return RP_OK;
}

/* ------------------------------------------------------------- requests */

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static bool retryable(const rp_http_result *r)
{
    if (r->end == RP_HTTP_CONNECT)
        return true;
    if (r->end != RP_HTTP_DONE)
        return false;
    return r->status == 429 || r->status == 500 || r->status == 502 || r->status == 503 ||
           r->status == 504;
}

/* Milliseconds of the run's budget left. */
static long budget_left(const rp_judge *j)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long used = (long)(now.tv_sec - j->start.tv_sec) * 1000L +
                (now.tv_nsec - j->start.tv_nsec) / 1000000L;
    return j->budget_ms - used;
}

/* Why send_retrying stopped before the retries ran out. */
enum { STOP_NONE, STOP_WAIT, STOP_BUDGET };

/* Send body (NULL: GET) to url, retrying as configured.  *r is the last
 * transfer; *n counts the requests made.  *stop says when a wait past the
 * part's limit (STOP_WAIT) or the run's budget (STOP_BUDGET) ended the
 * retries.  No attempt outlasts the budget. */
static void send_retrying(rp_judge *j, const char *url, const char *body, rp_http_result *r,
                          int *n, int *stop)
{
    *stop = STOP_NONE;
    long waited = 0;
    for (int attempt = 0;; attempt++) {
        long left = budget_left(j);
        rp_http_set_timeout(j->http, left < j->timeout_ms ? left : j->timeout_ms);
        rp_http_send(j->http, url, body, &j->resp, r);
        (*n)++;
        j->stats.requests++;
        if (r->end == RP_HTTP_TIMEOUT && left < j->timeout_ms)
            *stop = STOP_BUDGET;
        if (!retryable(r) || attempt >= j->max_retries || *stop)
            return;
        long wait = j->backoff_ms;
        for (int k = 0; k < attempt && wait < MAX_BACKOFF_MS; k++)
            wait *= 2;
        if (wait > MAX_BACKOFF_MS)
            wait = MAX_BACKOFF_MS;
        if (r->end == RP_HTTP_DONE && r->retry_after >= 0)
            wait = r->retry_after * 1000;
        if (waited + wait > j->max_retry_after_s * 1000) {
            *stop = STOP_WAIT;
            return;
        }
        if (wait >= budget_left(j)) {
            *stop = STOP_BUDGET;
            return;
        }
        waited += wait;
        sleep_ms(wait);
    }
}

static void mark_down(rp_judge *j, const char *why)
{
    j->down = true;
    rp_judge_copy(j->down_reason, sizeof j->down_reason, why, strlen(why));
}

/* Turn a transfer that did not end in a 2xx into the verdict's reason;
 * marks the judge down when it is unreachable or too slow. */
static rp_status explain_failure(rp_judge *j, const rp_http_result *r, int n, int stop,
                                 rp_judge_verdict *out)
{
    if (stop == STOP_BUDGET) {
        rp_judge_set_error(out, "the judge's time budget of %.3g s for this run is used up",
                           (double)j->budget_ms / 1000.0);
        mark_down(j, "its time budget is used up");
        return RP_ENET;
    }
    switch (r->end) {
    case RP_HTTP_TIMEOUT:
        rp_judge_set_error(out, "no answer within the %ld ms timeout", j->timeout_ms);
        j->down = true;
        rp_judge_copy(j->down_reason, sizeof j->down_reason, "it timed out", 12);
        return RP_ENET;
    case RP_HTTP_CONNECT:
        rp_judge_set_error(out, "cannot reach the judge after %d attempt%s: %s", n,
                           n == 1 ? "" : "s", r->error);
        j->down = true;
        snprintf(j->down_reason, sizeof j->down_reason, "unreachable: %s", r->error);
        return RP_ENET;
    case RP_HTTP_TOO_BIG:
        rp_judge_set_error(out, "the judge's response is larger than %zu bytes",
                           j->max_response);
        return RP_ELIMIT;
    case RP_HTTP_REFUSED:
        rp_judge_set_error(out, "redirect refused (http and https only, at most 3): %s",
                           r->error);
        return RP_ENET;
    case RP_HTTP_OTHER:
        rp_judge_set_error(out, "the transfer failed: %s", r->error);
        return RP_ENET;
    case RP_HTTP_DONE:
        break;
    }
    long s = r->status;
    if (stop == STOP_WAIT && r->retry_after >= 0)
        rp_judge_set_error(out, "HTTP %ld: the judge asked to wait %ld s (more than %ld s in "
                                "all for one part)", s, r->retry_after, j->max_retry_after_s);
    else if (stop == STOP_WAIT)
        rp_judge_set_error(out, "HTTP %ld after %d attempt%s (more waiting than %ld s for one "
                                "part)", s, n, n == 1 ? "" : "s", j->max_retry_after_s);
    else if (s == 429)
        rp_judge_set_error(out, "still rate-limited (HTTP 429) after %d attempts", n);
    if (s == 429) /* a rate limit that outlasts a part's retries outlasts the next part's */
        mark_down(j, "rate-limited (HTTP 429)");
    if (stop == STOP_WAIT || s == 429)
        return RP_ENET;
    if (s >= 500)
        rp_judge_set_error(out, "the judge failed with HTTP %ld after %d attempt%s", s, n,
                           n == 1 ? "" : "s");
    else if (s == 401 || s == 403)
        rp_judge_set_error(out, "the judge refused the credentials (HTTP %ld); the key is "
                                "read from " RP_JUDGE_KEY_ENV, s);
    else if (s == 404)
        rp_judge_set_error(out, "HTTP 404: no chat-completions endpoint or no such model "
                                "at the judge");
    else if (s >= 400)
        rp_judge_set_error(out, "the judge rejected the request (HTTP %ld)", s);
    else
        rp_judge_set_error(out, "unexpected HTTP status %ld", s);
    return RP_ENET;
}

static bool ok_status(const rp_http_result *r)
{
    return r->end == RP_HTTP_DONE && r->status >= 200 && r->status < 300;
}

/* ------------------------------------------------------------ life cycle */

/* The model list's only model, into j->model. */
static rp_status discover_model(rp_judge *j, rp_diags *d)
{
    rp_http_result r;
    int n = 0, stop;
    send_retrying(j, j->models_url, NULL, &r, &n, &stop);
    if (!ok_status(&r)) {
        rp_judge_verdict tmp;
        explain_failure(j, &r, n, stop, &tmp);
        j->down = false; /* a fresh start for the chat requests */
        rp_diag_add(d, "--judge", 0, 0,
                    "no --judge-model given and the model list cannot be read (%s)",
                    tmp.reason + strlen("judge error: "));
        return r.end == RP_HTTP_DONE ? RP_EINPUT : RP_ENET;
    }
    cJSON *o = cJSON_ParseWithLength(j->resp.data, j->resp.len);
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(o, "data");
    int count = cJSON_IsArray(data) ? cJSON_GetArraySize(data) : -1;
    const cJSON *id = count == 1 ? cJSON_GetObjectItemCaseSensitive(
                                       cJSON_GetArrayItem(data, 0), "id")
                                 : NULL;
    rp_status st = RP_OK;
    if (cJSON_IsString(id) && id->valuestring && *id->valuestring &&
        strlen(id->valuestring) <= MAX_MODEL_NAME) {
        j->model = strdup(id->valuestring);
        if (!j->model)
            st = RP_ENOMEM;
        else
            rp_http_redact(j->http, j->model); /* shown in reports */
    } else if (count > 1) {
        rp_diag_add(d, "--judge", 0, 0,
                    "the judge serves %d models; choose one with --judge-model NAME", count);
        st = RP_EINPUT;
    } else {
        rp_diag_add(d, "--judge", 0, 0,
                    "no --judge-model given and the judge's model list names no model");
        st = RP_EINPUT;
    }
    cJSON_Delete(o);
    return st;
}

void rp_judge_free(rp_judge *j)
{
    if (!j)
        return;
    rp_http_free(j->http);
    free(j->url);
    free(j->chat_url);
    free(j->models_url);
    free(j->model);
    free(j->cache_dir);
    rp_buf_free(&j->resp);
    free(j);
}

/* The key from the environment, trimmed; refuses control characters.
 * Copies into key[cap]; false (with a diagnostic) when unusable. */
static bool read_key(char *key, size_t cap, rp_diags *d)
{
    key[0] = '\0';
    const char *v = getenv(RP_JUDGE_KEY_ENV);
    if (!v)
        return true;
    while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r')
        v++;
    size_t n = strlen(v);
    while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\n' ||
                     v[n - 1] == '\r'))
        n--;
    if (n >= cap) {
        rp_diag_add(d, RP_JUDGE_KEY_ENV, 0, 0, "the key is longer than %zu bytes", cap - 1);
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f) {
            rp_diag_add(d, RP_JUDGE_KEY_ENV, 0, 0, "the key contains control characters");
            return false;
        }
    }
    memcpy(key, v, n);
    key[n] = '\0';
    return true;
}

rp_status rp_judge_new(const rp_judge_opts *o, rp_judge **out, rp_diags *d)
{
    *out = NULL;
    if (!o || !o->url || !*o->url) {
        rp_diag_add(d, "--judge", 0, 0, "no judge URL given");
        return RP_EINPUT;
    }
    rp_judge *j = calloc(1, sizeof *j);
    if (!j)
        return RP_ENOMEM;
    rp_buf_init(&j->resp, 0);
    rp_status st = rp_judge_endpoints(o->url, &j->chat_url, &j->models_url);
    if (st == RP_EINPUT) {
        rp_diag_add(d, "--judge", 0, 0,
                    "the judge URL must be http:// or https:// with a host, "
                    "and contain no spaces");
        rp_judge_free(j);
        return st;
    }
    j->max_response = o->max_response_bytes ? o->max_response_bytes : DEFAULT_MAX_RESPONSE;
    j->resp.max = j->max_response;
    j->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : DEFAULT_TIMEOUT_MS;
    long connect_ms = o->connect_timeout_ms > 0 ? o->connect_timeout_ms : DEFAULT_CONNECT_MS;
    j->max_retries = o->max_retries < 0 ? 0 : o->max_retries ? o->max_retries : DEFAULT_RETRIES;
    j->backoff_ms = o->backoff_ms > 0 ? o->backoff_ms : DEFAULT_BACKOFF_MS;
    j->max_retry_after_s = o->max_retry_after_s > 0 ? o->max_retry_after_s
                                                    : DEFAULT_RETRY_AFTER_S;
    j->budget_ms = o->budget_ms > 0 ? o->budget_ms : DEFAULT_BUDGET_MS;
    j->run = o->run;
    if (j->run)
        j->start = j->run->start; /* set once, before any judge: read without the lock */
    else
        clock_gettime(CLOCK_MONOTONIC, &j->start);
    char key[4096];
    if (!read_key(key, sizeof key, d)) {
        rp_judge_free(j);
        return RP_EINPUT;
    }
    j->http = rp_http_new(key, connect_ms, j->timeout_ms, j->max_response);
    volatile char *wk = key;
    for (size_t i = 0; i < sizeof key; i++)
        wk[i] = '\0';
    j->url = strdup(o->url);
    if (st == RP_OK && (!j->http || !j->url))
        st = RP_ENOMEM;
    if (st == RP_OK && !o->no_cache) {
        j->cache_dir = o->cache_dir && *o->cache_dir ? strdup(o->cache_dir)
                                                     : rp_judge_default_cache_dir();
        if (o->cache_dir && *o->cache_dir && !j->cache_dir)
            st = RP_ENOMEM;
    }
    if (st == RP_OK) {
        if (o->model && *o->model) {
            if (strlen(o->model) > MAX_MODEL_NAME) {
                rp_diag_add(d, "--judge-model", 0, 0, "the model name is longer than %d bytes",
                            MAX_MODEL_NAME);
                st = RP_EINPUT;
            } else if (!(j->model = strdup(o->model))) {
                st = RP_ENOMEM;
            }
        } else {
            st = discover_model(j, d);
        }
    }
    if (st != RP_OK) {
        rp_judge_free(j);
        return st;
    }
    *out = j;
    return RP_OK;
}

const char *rp_judge_model(const rp_judge *j)
{
    return j ? j->model : NULL;
}

void rp_judge_get_stats(const rp_judge *j, rp_judge_stats *out)
{
    if (j)
        *out = j->stats;
    else
        memset(out, 0, sizeof *out);
}

/* --------------------------------------------------------------- grading */

/* The key out of a verdict's text (also in an escaped form the raw body
 * hid, and in verdicts cached before redaction). */
static void redact_verdict(const rp_judge *j, rp_judge_verdict *out)
{
    rp_http_redact(j->http, out->reason);
    rp_http_redact(j->http, out->missing);
}

/* One request (with its retries) unless the judge or the run is down. */
static rp_status ask_once(rp_judge *j, const char *user, rp_judge_verdict *out)
{
    run_pull(j);
    if (j->down) {
        rp_judge_set_error(out, "the judge is not asked again in this run (%s)",
                           j->down_reason);
        return RP_ENET;
    }
    if (budget_left(j) <= 0) {
        mark_down(j, "its time budget is used up");
        rp_judge_set_error(out, "the judge's time budget of %.3g s for this run is used up",
                           (double)j->budget_ms / 1000.0);
        return RP_ENET;
    }
    rp_http_result r;
    int stop;
    char *body = rp_judge_request_json(j->model, rp_judge_system_prompt, user,
                                       !j->no_response_format);
    if (!body) {
        rp_judge_set_error(out, "out of memory");
        return RP_ENOMEM;
    }
    send_retrying(j, j->chat_url, body, &r, &out->requests, &stop);
    if (r.end == RP_HTTP_DONE && r.status == 400 && !j->no_response_format && !stop) {
        /* Some servers refuse response_format: try once without it. */
        free(body);
        body = rp_judge_request_json(j->model, rp_judge_system_prompt, user, false);
        if (!body) {
            rp_judge_set_error(out, "out of memory");
            return RP_ENOMEM;
        }
        send_retrying(j, j->chat_url, body, &r, &out->requests, &stop);
        if (ok_status(&r))
            j->no_response_format = true;
    }
    free(body);
    if (!ok_status(&r))
        return explain_failure(j, &r, out->requests, stop, out);
    if (j->resp.data && rp_http_redact(j->http, j->resp.data))
        j->resp.len = strlen(j->resp.data);
    rp_status st = rp_judge_parse_response(j->resp.data, j->resp.len, out);
    redact_verdict(j, out);
    return st;
}

/* Ask the judge (cache missed).  Fills *out; returns its status. */
static rp_status ask(rp_judge *j, const char *user, rp_judge_verdict *out)
{
    rp_status st = ask_once(j, user, out);
    run_push(j); /* a server down for this transcript is down for the run */
    return st;
}

rp_status rp_judge_grade(rp_judge *j, const char *part_id, const char *question,
                         const char *const *points, size_t n_points,
                         const char *answer, rp_judge_verdict *out)
{
    memset(out, 0, sizeof *out);
    if (!j) {
        rp_judge_set_error(out, "no judge");
        return RP_EINTERNAL;
    }
    j->stats.graded++;
    rp_buf user;
    rp_buf_init(&user, RP_JUDGE_MAX_PROMPT);
    rp_status st = rp_judge_build_user(&user, part_id, question, points, n_points, answer);
    if (st != RP_OK) {
        rp_buf_free(&user);
        rp_judge_set_error(out, st == RP_ELIMIT ? "the prompt exceeds %zu bytes"
                                                : "out of memory (prompt of %zu bytes)",
                           RP_JUDGE_MAX_PROMPT);
        j->stats.ungraded++;
        return st;
    }
    char key[65];
    rp_judge_cache_key(j->url, j->model, rp_judge_system_prompt, user.data, key);
    if (j->cache_dir && rp_judge_cache_get(j->cache_dir, key, out) == RP_OK) {
        redact_verdict(j, out);
        j->stats.cache_hits++;
        rp_buf_free(&user);
        return RP_OK;
    }
    st = ask(j, user.data, out);
    rp_buf_free(&user);
    if (st != RP_OK) {
        out->verdict = RP_VERDICT_UNGRADED;
        j->stats.ungraded++;
        return st;
    }
    if (j->cache_dir && rp_judge_cache_put(j->cache_dir, key, out) == RP_OK)
        j->stats.cache_writes++;
    return RP_OK;
}
