/*
 * The one libcurl setup redpen uses for every request (fetching a
 * transcript, asking the judge): libcurl initialised once per process,
 * http and https only (also on every redirect), a bounded number of
 * redirects, connect and total timeouts, no signals (grading threads), a
 * cap on the response body (refused before the transfer when the server
 * announces a larger length, and while it arrives), compressed transfers
 * accepted, redpen's user agent, and the body collected into an rp_buf.
 * Callers add what is theirs (URL, headers, credentials) and read the
 * result.
 */
#include "redpen/core.h"

#include <curl/curl.h>
#include <pthread.h>

/* libcurl initialised once per process (pthread_once: grading threads may
 * get here together). */
static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static bool curl_ok;

static void curl_init_once(void)
{
    curl_ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

size_t rp_curl_write(char *p, size_t size, size_t nmemb, void *ud)
{
    rp_curl_sink *s = ud;
    size_t k = size * nmemb;
    if (k > s->max - s->b->len || s->b->len > s->max) {
        s->st = RP_ELIMIT;
        return 0; /* aborts the transfer */
    }
    s->st = rp_buf_append(s->b, p, k);
    return s->st == RP_OK ? k : 0;
}

void *rp_curl_new(long connect_timeout_ms, long timeout_ms, long max_redirs, size_t max_bytes)
{
    pthread_once(&curl_once, curl_init_once);
    if (!curl_ok)
        return NULL;
    CURL *c = curl_easy_init();
    if (!c)
        return NULL;
#if LIBCURL_VERSION_NUM >= 0x075500 /* 7.85: the string forms */
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(c, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, max_redirs);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, connect_timeout_ms);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max_bytes);
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(c, CURLOPT_USERAGENT, "redpen/" REDPEN_VERSION);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, rp_curl_write);
    return c;
}
