/*
 * Internals of the judge module, shared by its files and its unit tests:
 * SHA-256, the prompt and request builders, the response and verdict
 * parsers, the endpoint URL rules and the on-disk cache.
 */
#ifndef REDPEN_JUDGE_INT_H
#define REDPEN_JUDGE_INT_H

#include "redpen/judge.h"

/* ------------------------------------------------------------- SHA-256 */

typedef struct rp_sha256 {
    uint32_t h[8];
    uint64_t len;       /* bytes hashed so far */
    unsigned char blk[64];
    size_t nblk;        /* bytes waiting in blk */
} rp_sha256;

void rp_sha256_init(rp_sha256 *s);
void rp_sha256_update(rp_sha256 *s, const void *data, size_t n);
void rp_sha256_final(rp_sha256 *s, unsigned char out[32]);
/* Finish as 64 lowercase hex digits and a NUL. */
void rp_sha256_final_hex(rp_sha256 *s, char out[65]);
/* The digest of data[0..n) as 64 lowercase hex digits and a NUL. */
void rp_sha256_hex(const void *data, size_t n, char out[65]);

/* -------------------------------------------------------------- prompt */

/* Caps on what goes into a prompt (bytes; longer text is cut on a UTF-8
 * boundary and marked). */
#define RP_JUDGE_MAX_QUESTION 8192
#define RP_JUDGE_MAX_POINT 1024
#define RP_JUDGE_MAX_POINTS 64
#define RP_JUDGE_MAX_ANSWER 49152
#define RP_JUDGE_MAX_PROMPT ((size_t)128 << 10)

/* The fixed system message (instructions and the reply format). */
extern const char rp_judge_system_prompt[];

/* Build the user message into user (initialised by the caller; appended):
 * part, question, numbered points and the answer between <answer> tags,
 * with any tag inside the answer defused.  NULL strings count as empty. */
rp_status rp_judge_build_user(rp_buf *user, const char *part_id, const char *question,
                              const char *const *points, size_t n_points,
                              const char *answer);

/* The chat-completions request body as JSON text (malloc'd; free()).
 * response_format adds {"type": "json_object"}.  NULL when out of memory. */
char *rp_judge_request_json(const char *model, const char *system, const char *user,
                            bool response_format);

/* Copy s into dst[cap] cut on a UTF-8 character boundary; NULL copies "". */
void rp_judge_copy(char *dst, size_t cap, const char *s, size_t n);

/* Fill out->reason with "judge error: " and the formatted text; verdict
 * becomes UNGRADED and missing empty. */
void rp_judge_set_error(rp_judge_verdict *out, const char *fmt, ...) RP_PRINTF(2, 3);

/* Parse the judge's message content: the JSON verdict, possibly inside
 * ```json fences, after a <think>...</think> block or with prose around it.
 * Fills verdict, reason and missing.  RP_OK for pass or fail; RP_EINPUT
 * (verdict UNGRADED, reason says why) otherwise. */
rp_status rp_judge_parse_verdict(const char *content, size_t n, rp_judge_verdict *out);

/* Parse a chat-completions response body: choices[0].message.content,
 * then rp_judge_parse_verdict().  A refusal (message.refusal, or finish
 * reason content_filter) and a missing or non-string content give
 * RP_EINPUT with the reason. */
rp_status rp_judge_parse_response(const char *body, size_t n, rp_judge_verdict *out);

/* ----------------------------------------------------------------- URL */

/* The chat-completions endpoint for a user's URL (see rp_judge_opts.url)
 * and the models endpoint beside it, malloc'd (free()).  RP_EINPUT when the
 * URL is not http(s)://host...; RP_ENOMEM. */
rp_status rp_judge_endpoints(const char *url, char **chat, char **models);

/* ---------------------------------------------------------------- cache */

/* The cache key: SHA-256 hex over URL, model, system and user messages. */
void rp_judge_cache_key(const char *url, const char *model, const char *system,
                        const char *user, char out[65]);

/* The default cache directory ($XDG_CACHE_HOME/redpen or
 * $HOME/.cache/redpen), malloc'd; NULL when neither variable is set. */
char *rp_judge_default_cache_dir(void);

/* Read the verdict stored under key in dir.  RP_OK and *out filled (cached
 * set) when a valid pass/fail entry exists; RP_ENOTFOUND otherwise
 * (a damaged entry is treated as absent). */
rp_status rp_judge_cache_get(const char *dir, const char *key, rp_judge_verdict *out);

/* Store a pass/fail verdict under key in dir (creating dir/judge with mode
 * 0700 as needed), atomically.  Only verdict, reason and missing are
 * written.  RP_EIO when the directory or file cannot be written. */
rp_status rp_judge_cache_put(const char *dir, const char *key, const rp_judge_verdict *v);

/* ----------------------------------------------------------------- HTTP */

/* How one transfer ended. */
typedef enum rp_http_end {
    RP_HTTP_DONE,      /* a response arrived (any status) */
    RP_HTTP_CONNECT,   /* no connection (resolve, connect, TLS handshake) */
    RP_HTTP_TIMEOUT,   /* the connect or total timeout passed */
    RP_HTTP_TOO_BIG,   /* the body passed the size cap */
    RP_HTTP_REFUSED,   /* a redirect to a scheme other than http(s), or too many */
    RP_HTTP_OTHER      /* any other transfer error, or out of memory */
} rp_http_end;

/* The outcome of one transfer. */
typedef struct rp_http_result {
    rp_http_end end;
    long status;       /* HTTP status when end is RP_HTTP_DONE */
    long retry_after;  /* Retry-After in seconds, -1 when absent */
    char error[256];   /* libcurl's description for the other ends */
} rp_http_result;

/* A reusable client: a libcurl easy handle with the judge's limits and,
 * when key is non-empty, the bearer token (copied; wiped on free). */
typedef struct rp_http rp_http;

rp_http *rp_http_new(const char *key, long connect_timeout_ms, long timeout_ms,
                     size_t max_bytes);
void rp_http_free(rp_http *h);

/* One request: a POST of the JSON body, or a GET when body is NULL.  The
 * response body goes into resp (cleared first); a body longer than resp's
 * max (or the client's max_bytes) ends as RP_HTTP_TOO_BIG.  Redirects are followed
 * (at most 3, http and https only, POST kept as POST; the key is not sent
 * to another host). */
void rp_http_send(rp_http *h, const char *url, const char *body, rp_buf *resp,
                  rp_http_result *r);

/* The timeout of the next requests (ms), within the judge's budget. */
void rp_http_set_timeout(rp_http *h, long timeout_ms);

/* Redact every copy of the bearer token in the NUL-terminated s, in
 * place: "[redacted]", or as many '*' when the key is shorter.  What a
 * server returns passes through this before it is stored or printed (a
 * server may echo the Authorization header).  Returns the copies found. */
size_t rp_http_redact(const rp_http *h, char *s);

#endif
