/*
 * Fetching transcripts over http(s) with libcurl.  Only http and https are
 * allowed, on the first request and on every redirect (at most 5); a
 * connect timeout and a total timeout bound the wait, and the body is
 * refused once it passes the input size cap (before the transfer when the
 * server announces the length).  Failures become a diagnostic naming the
 * URL and the reason.
 *
 * For tests and scripts, REDPEN_FETCH_TIMEOUT (seconds) and
 * REDPEN_FETCH_MAX_BYTES override the defaults when the options leave them
 * unset.
 */
#include "reader.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct sink {
    rp_buf *b;
    size_t max;    /* most bytes accepted */
    bool too_big;  /* the body passed max */
    bool oom;      /* the buffer could not grow */
} sink;

static size_t on_data(char *p, size_t size, size_t nmemb, void *ud)
{
    sink *s = ud;
    size_t k = size * nmemb;
    if (k > s->max - s->b->len) {
        s->too_big = true;
        return 0; /* aborts the transfer */
    }
    if (rp_buf_append(s->b, p, k) != RP_OK) {
        s->oom = true;
        return 0;
    }
    return k;
}

static long env_long(const char *name, long dflt)
{
    const char *v = getenv(name);
    if (!v || !*v)
        return dflt;
    char *end;
    long x = strtol(v, &end, 10);
    return *end == '\0' && x > 0 ? x : dflt;
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

rp_status rp_fetch_url(const char *url, const rp_ingest_opts *opts, rp_buf *b,
                       rp_diags *d)
{
    long timeout = opts && opts->timeout_s ? opts->timeout_s
                                           : env_long("REDPEN_FETCH_TIMEOUT", 30);
    size_t max = opts && opts->max_bytes ? opts->max_bytes
                                         : (size_t)env_long("REDPEN_FETCH_MAX_BYTES",
                                                            (long)RP_MAX_INPUT_DEFAULT);
    if (max > b->max)
        max = b->max;
    if (!curl_ready()) {
        rp_diag_add(d, url, 0, 0, "cannot initialise libcurl");
        return RP_ENET;
    }
    CURL *h = curl_easy_init();
    if (!h) {
        rp_diag_add(d, url, 0, 0, "cannot initialise libcurl");
        return RP_ENET;
    }
    char errbuf[CURL_ERROR_SIZE];
    errbuf[0] = '\0';
    sink s = {b, max, false, false};
    curl_easy_setopt(h, CURLOPT_URL, url);
#if LIBCURL_VERSION_NUM >= 0x075500 /* 7.85: the string forms */
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, timeout < 10 ? timeout : 10L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max);
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(h, CURLOPT_USERAGENT, "redpen/" REDPEN_VERSION);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
    CURLcode rc = curl_easy_perform(h);
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    rp_status st = RP_OK;
    if (s.too_big || rc == CURLE_FILESIZE_EXCEEDED) {
        rp_diag_add(d, url, 0, 0, "the response is larger than %zu bytes", max);
        st = RP_ELIMIT;
    } else if (s.oom) {
        rp_diag_add(d, url, 0, 0, "out of memory while downloading");
        st = RP_ENOMEM;
    } else if (rc == CURLE_UNSUPPORTED_PROTOCOL) {
        rp_diag_add(d, url, 0, 0,
                    "only http and https URLs can be fetched (also when redirected): %s",
                    errbuf[0] ? errbuf : curl_easy_strerror(rc));
        st = RP_ENET;
    } else if (rc == CURLE_TOO_MANY_REDIRECTS) {
        rp_diag_add(d, url, 0, 0, "more than 5 redirects");
        st = RP_ENET;
    } else if (rc == CURLE_OPERATION_TIMEDOUT) {
        rp_diag_add(d, url, 0, 0, "timed out after %ld seconds", timeout);
        st = RP_ENET;
    } else if (rc != CURLE_OK) {
        rp_diag_add(d, url, 0, 0, "cannot fetch: %s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
        st = RP_ENET;
    } else if (code < 200 || code >= 300) { /* 3xx here: a redirect without a target */
        rp_diag_add(d, url, 0, 0, "the server answered HTTP %ld", code);
        st = RP_ENET;
    }
    curl_easy_cleanup(h);
    if (st != RP_OK) {
        rp_buf_clear(b);
        return st;
    }
    /* Files read from disk lose a UTF-8 byte order mark; so do downloads. */
    if (b->len >= 3 && memcmp(b->data, "\xEF\xBB\xBF", 3) == 0) {
        memmove(b->data, b->data + 3, b->len - 3);
        b->len -= 3;
        b->data[b->len] = '\0';
    }
    return RP_OK;
}
