/*
 * The judge's HTTP client over libcurl: one easy handle per judge so
 * connections are reused, http and https only (also on redirects), connect
 * and total timeouts, a cap on the response body, and the bearer token
 * given through libcurl's own option so that it is never sent to another
 * host after a redirect.  Nothing here prints or logs; errors come back in
 * rp_http_result, described by libcurl (never with the key or the body).
 */
#include "judge_int.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rp_http {
    CURL *h;
    struct curl_slist *hdr; /* Content-Type, Accept, no Expect */
    char *key;              /* malloc'd bearer token or NULL; wiped on free */
    size_t max_bytes;
};

/* Where a response body goes: the buffer's own max is the size cap. */
typedef struct sink {
    rp_buf *b;
    rp_status st; /* RP_ELIMIT past the cap, RP_ENOMEM */
} sink;

static size_t on_body(char *p, size_t size, size_t nmemb, void *ud)
{
    sink *s = ud;
    s->st = rp_buf_append(s->b, p, size * nmemb);
    return s->st == RP_OK ? size * nmemb : 0; /* 0 aborts the transfer */
}

/* libcurl initialised once per process (pthread_once: grading threads may
 * get here together). */
static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static bool curl_ok;

static void curl_init_once(void)
{
    curl_ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

static bool curl_ready(void)
{
    pthread_once(&curl_once, curl_init_once);
    return curl_ok;
}

/* Overwrite a secret in a way the compiler does not drop. */
static void wipe(char *s)
{
    if (!s)
        return;
    volatile char *p = s;
    while (*p)
        *p++ = '\0';
}

void rp_http_free(rp_http *h)
{
    if (!h)
        return;
    if (h->h)
        curl_easy_cleanup(h->h);
    curl_slist_free_all(h->hdr);
    wipe(h->key);
    free(h->key);
    free(h);
}

rp_http *rp_http_new(const char *key, long connect_timeout_ms, long timeout_ms,
                     size_t max_bytes)
{
    if (!curl_ready())
        return NULL;
    rp_http *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->max_bytes = max_bytes;
    h->h = curl_easy_init();
    struct curl_slist *l = curl_slist_append(NULL, "Content-Type: application/json");
    struct curl_slist *l2 = l ? curl_slist_append(l, "Accept: application/json") : NULL;
    struct curl_slist *l3 = l2 ? curl_slist_append(l2, "Expect:") : NULL;
    h->hdr = l3 ? l3 : l2 ? l2 : l;
    if (key && *key)
        h->key = strdup(key);
    if (!h->h || !l3 || (key && *key && !h->key)) {
        rp_http_free(h);
        return NULL;
    }
    CURL *c = h->h;
#if LIBCURL_VERSION_NUM >= 0x075500 /* 7.85: the string forms */
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(c, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 3L);
    curl_easy_setopt(c, CURLOPT_POSTREDIR, (long)CURL_REDIR_POST_ALL);
    curl_easy_setopt(c, CURLOPT_UNRESTRICTED_AUTH, 0L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, connect_timeout_ms);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max_bytes);
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(c, CURLOPT_USERAGENT, "redpen/" REDPEN_VERSION);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h->hdr);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    if (h->key) {
        curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BEARER);
        curl_easy_setopt(c, CURLOPT_XOAUTH2_BEARER, h->key);
    }
    return h;
}

void rp_http_send(rp_http *h, const char *url, const char *body, rp_buf *resp,
                  rp_http_result *r)
{
    CURL *c = h->h;
    char errbuf[CURL_ERROR_SIZE];
    errbuf[0] = '\0';
    rp_buf_clear(resp);
    sink s = {resp, RP_OK};
    memset(r, 0, sizeof *r);
    r->retry_after = -1;
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POST, 1L);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    } else {
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    }
    CURLcode rc = curl_easy_perform(c);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, NULL);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, NULL);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
    curl_off_t ra = 0;
    if (curl_easy_getinfo(c, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra > 0)
        r->retry_after = ra > 86400 ? 86400 : (long)ra;
    const char *why = errbuf[0] ? errbuf : curl_easy_strerror(rc);
    if (s.st == RP_ELIMIT || rc == CURLE_FILESIZE_EXCEEDED)
        r->end = RP_HTTP_TOO_BIG;
    else if (s.st != RP_OK) {
        r->end = RP_HTTP_OTHER;
        why = "out of memory";
    } else if (rc == CURLE_OK)
        r->end = RP_HTTP_DONE;
    else if (rc == CURLE_OPERATION_TIMEDOUT)
        r->end = RP_HTTP_TIMEOUT;
    else if (rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST ||
             rc == CURLE_COULDNT_RESOLVE_PROXY || rc == CURLE_SSL_CONNECT_ERROR)
        r->end = RP_HTTP_CONNECT;
    else if (rc == CURLE_UNSUPPORTED_PROTOCOL || rc == CURLE_TOO_MANY_REDIRECTS)
        r->end = RP_HTTP_REFUSED;
    else
        r->end = RP_HTTP_OTHER;
    if (r->end != RP_HTTP_DONE)
        rp_judge_copy(r->error, sizeof r->error, why, strlen(why));
}
