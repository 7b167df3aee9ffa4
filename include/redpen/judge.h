/*
 * redpen judge: verdicts on free-text parts (rubric answer kind "text").
 *
 * With a judge configured, each free-text answer goes to an OpenAI-compatible
 * chat-completions endpoint (OpenAI, vLLM, llama.cpp's server, Ollama) with
 * the part's question, the rubric's reference points and the answer; the
 * judge replies with a JSON verdict {"verdict": "pass"|"fail", "reason": ...,
 * "missing": [...]}.  Verdicts are cached on disk under a SHA-256 of the
 * judge URL, model and prompt, so grading a transcript again costs no
 * requests.  Without a judge, rp_judge_by_patterns() decides from the
 * rubric's required-point regular expressions.
 *
 * Failure never stops grading: whatever goes wrong with the judge (timeout,
 * HTTP error, rate limit, malformed or refused answer) the verdict is
 * RP_VERDICT_UNGRADED and `reason` says why, starting with "judge error: ".
 *
 * Secrets: the bearer token is read from the environment variable
 * REDPEN_JUDGE_KEY and nowhere else.  It is never printed, logged, put in a
 * reason or diagnostic, or written into a cache file; neither are the
 * requests (prompts), the judge's error bodies, or the URL (a transfer error
 * may name the host and port, as libcurl describes it).
 *
 * The full description for users (flags, cache, servers) is docs/judge.md.
 */
#ifndef REDPEN_JUDGE_H
#define REDPEN_JUDGE_H

#include "redpen/core.h"
#include "redpen/grade.h"

/* The environment variable that holds the judge's bearer token. */
#define RP_JUDGE_KEY_ENV "REDPEN_JUDGE_KEY"

/* What the judges of one grading run share: when the run's time budget
 * started and whether the server was found down (unreachable, timed out,
 * rate-limited, budget spent), so that what one transcript's judge met
 * holds for the next ones (each transcript, on each thread, has a judge
 * of its own).  Thread-safe.  rp_judge_run_new() returns NULL when out of
 * memory. */
typedef struct rp_judge_run rp_judge_run;
rp_judge_run *rp_judge_run_new(void);
void rp_judge_run_free(rp_judge_run *run);

/* Options for a judge.  Zero-initialised fields take the defaults below. */
typedef struct rp_judge_opts {
    const char *url;    /* http(s) URL: the API base ("http://h:8000/v1") or the
                           full ".../chat/completions" endpoint; a URL with no
                           path gets "/v1/chat/completions".  Required. */
    const char *model;  /* model name sent in each request.  NULL or "": ask the
                           server's GET .../models and use the model when it
                           lists exactly one; otherwise rp_judge_new() fails. */
    const char *cache_dir; /* NULL: $XDG_CACHE_HOME/redpen, else ~/.cache/redpen;
                              verdicts go in <cache_dir>/judge/<sha256>.json */
    bool no_cache;         /* neither read nor write the cache */
    long connect_timeout_ms; /* 0: 10000 */
    long timeout_ms;         /* whole request, per attempt; 0: 120000 */
    int max_retries;         /* extra attempts on 429/5xx/connect errors;
                                0: 3; negative: none */
    long backoff_ms;         /* delay before the first retry, doubled after
                                each (capped at 30 s); 0: 1000 */
    long max_retry_after_s;  /* the most one part waits between its attempts
                                (backoff and Retry-After together); a wait that
                                would pass it ends the retries; 0: 30 */
    long budget_ms;          /* the most time the judge spends in one run
                                (requests and waits), counted from the
                                run's start (run) or the judge's; once used
                                up it is marked down; 0: 600000 (10 minutes) */
    rp_judge_run *run;       /* shared by every judge of the run; NULL: this
                                judge is a run of its own */
    size_t max_response_bytes; /* larger responses are refused; 0: 1 MiB */
} rp_judge_opts;

/* One judge per grading run: the libcurl handle (connections are reused),
 * the key, the cache location and counters.  Not thread-safe. */
typedef struct rp_judge rp_judge;

/* Make a judge.  Checks the URL (http or https only), reads REDPEN_JUDGE_KEY,
 * resolves the cache directory (a missing home directory only disables the
 * cache) and, when no model is given, asks the server which model it serves.
 * Returns RP_OK and *out (free with rp_judge_free()); RP_EINPUT with a
 * diagnostic for a bad URL or when no model can be chosen; RP_ENET when the
 * model list cannot be fetched; RP_ENOMEM.  *out is NULL on failure. */
rp_status rp_judge_new(const rp_judge_opts *o, rp_judge **out, rp_diags *d);

/* Release the judge and wipe its copy of the key.  NULL is allowed. */
void rp_judge_free(rp_judge *j);

/* A verdict on one free-text answer. */
typedef struct rp_judge_verdict {
    rp_verdict verdict;  /* RP_VERDICT_PASS, RP_VERDICT_FAIL or RP_VERDICT_UNGRADED */
    char reason[512];    /* the judge's reason, or "judge error: ..." (UTF-8,
                            cut on a character boundary) */
    char missing[1024];  /* fail: the points it found missing, ", "-joined; else "" */
    bool cached;         /* the verdict came from the cache */
    int requests;        /* HTTP requests made for this verdict */
} rp_judge_verdict;

/* Judge one answer.  part_id ("2a") and question (the part's title or
 * statement) give context; points are the rubric's reference points (may be
 * empty); answer is the model's text.  Long fields are cut to bounded sizes
 * before they are sent.  *out is always filled: PASS or FAIL from the cache
 * or the judge, else UNGRADED with the error in reason.  Only pass and fail
 * verdicts are cached.  Returns RP_OK when the verdict is pass or fail,
 * otherwise why not (RP_ENET transfer or HTTP error, RP_EINPUT malformed or
 * refused answer, RP_ELIMIT response too large, RP_ENOMEM); callers may
 * ignore it.  After a transfer failure (no connection, timeout) that
 * survived the retries, a rate limit (HTTP 429) that did, or once the run's
 * time budget is used up, the judge counts as down: later calls answer from
 * the cache only and are otherwise UNGRADED without a request.  Every copy
 * of the key in what the server returns is redacted before it is cached or
 * returned. */
rp_status rp_judge_grade(rp_judge *j, const char *part_id, const char *question,
                         const char *const *points, size_t n_points,
                         const char *answer, rp_judge_verdict *out);

/* Counters over the judge's life. */
typedef struct rp_judge_stats {
    size_t graded;      /* rp_judge_grade() calls */
    size_t requests;    /* HTTP requests sent (chat completions and /models) */
    size_t cache_hits;
    size_t cache_writes;
    size_t ungraded;    /* calls that ended UNGRADED */
} rp_judge_stats;

void rp_judge_get_stats(const rp_judge *j, rp_judge_stats *out);

/* The model the judge sends (given or discovered); owned by the judge. */
const char *rp_judge_model(const rp_judge *j);

/* Decide a free-text answer without a judge, from the rubric's required-point
 * patterns (PCRE2, caseless, UTF-8): PASS when every pattern matches
 * answer[0..answer_len), else FAIL with missing listing labels[i] (or the
 * pattern itself when labels is NULL) of each pattern that did not match.
 * A pattern that does not compile or exceeds the match limit gives UNGRADED
 * with the reason and returns RP_EPARSE or RP_ELIMIT; otherwise RP_OK.
 * n == 0 gives UNGRADED (nothing to decide on) and RP_EINPUT. */
rp_status rp_judge_by_patterns(const char *const *patterns, const char *const *labels,
                               size_t n, const char *answer, size_t answer_len,
                               rp_judge_verdict *out);

/* The cache directory of this user: $XDG_CACHE_HOME/redpen, else
 * $HOME/.cache/redpen; malloc'd (caller frees), NULL when neither is set.
 * The judge's verdicts and the solved rubrics are kept under it. */
char *rp_judge_default_cache_dir(void);

/* mkdir -p path with mode 0700 for the parts that do not exist (path is
 * changed while it runs and restored).  RP_EIO on failure. */
rp_status rp_cache_make_dirs(char *path);

/* SHA-256 of data[0..n) as 64 hex digits and a NUL: the key of a cache
 * entry. */
void rp_sha256_hex(const void *data, size_t n, char out[65]);

/* Whether pattern compiles the way rp_judge_by_patterns() compiles it: true,
 * or false with the reason and the byte offset in msg (cap bytes), e.g.
 * "missing closing parenthesis at offset 4" (for `rubric check`). */
bool rp_judge_pattern_ok(const char *pattern, char *msg, size_t cap);

#endif
