/*
 * The judge's HTTP client over core's libcurl setup (rp_curl_new): one
 * easy handle per judge so connections are reused, http and https only
 * (also on redirects), connect and total timeouts, a cap on the response
 * body, and the bearer token
 * given through libcurl's own option so that it is never sent to another
 * host after a redirect.  Nothing here prints or logs; errors come back in
 * rp_http_result, described by libcurl (never with the key or the body).
 */
#include "judge_int.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rp_http {
    CURL *h;
    struct curl_slist *hdr; /* Content-Type, Accept, no Expect */
    char *key;              /* malloc'd bearer token or NULL; wiped on free */
    size_t max_bytes;
};

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
    rp_http *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->max_bytes = max_bytes;
    h->h = rp_curl_new(connect_timeout_ms, timeout_ms, 3L, max_bytes);
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
    curl_easy_setopt(c, CURLOPT_POSTREDIR, (long)CURL_REDIR_POST_ALL);
    curl_easy_setopt(c, CURLOPT_UNRESTRICTED_AUTH, 0L);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h->hdr);
    if (h->key) {
        curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BEARER);
        curl_easy_setopt(c, CURLOPT_XOAUTH2_BEARER, h->key);
    }
    return h;
}

void rp_http_set_timeout(rp_http *h, long timeout_ms)
{
    curl_easy_setopt(h->h, CURLOPT_TIMEOUT_MS, timeout_ms > 0 ? timeout_ms : 1L);
}

size_t rp_http_redact(const rp_http *h, char *s)
{
    static const char mark[] = "[redacted]";
    const size_t nm = sizeof mark - 1;
    if (!h || !h->key || !*h->key || !s)
        return 0;
    size_t nk = strlen(h->key), found = 0;
    for (char *p = s; (p = strstr(p, h->key)) != NULL; found++) {
        if (nk >= nm) {
            memcpy(p, mark, nm);
            memmove(p + nm, p + nk, strlen(p + nk) + 1);
            p += nm;
        } else {
            memset(p, '*', nk);
            p += nk;
        }
    }
    return found;
}

void rp_http_send(rp_http *h, const char *url, const char *body, rp_buf *resp,
                  rp_http_result *r)
{
    CURL *c = h->h;
    char errbuf[CURL_ERROR_SIZE];
    errbuf[0] = '\0';
    rp_buf_clear(resp);
    rp_curl_sink s = {resp, resp->max, RP_OK};
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
