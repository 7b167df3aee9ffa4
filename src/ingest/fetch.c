/*
 * Fetching transcripts over http(s) with core's libcurl setup
 * (rp_curl_new): http and https only, also on every redirect (at most 5);
 * a connect timeout and a total timeout bound the wait, and the body is
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long env_long(const char *name, long dflt)
{
    const char *v = getenv(name);
    if (!v || !*v)
        return dflt;
    char *end;
    long x = strtol(v, &end, 10);
    return *end == '\0' && x > 0 ? x : dflt;
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
    /* at most 10 s to connect, within the total */
    CURL *h = rp_curl_new((timeout < 10 ? timeout : 10L) * 1000, timeout * 1000, 5L, max);
    if (!h) {
        rp_diag_add(d, url, 0, 0, "cannot initialise libcurl");
        return RP_ENET;
    }
    char errbuf[CURL_ERROR_SIZE];
    errbuf[0] = '\0';
    rp_curl_sink s = {b, max, RP_OK};
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
    CURLcode rc = curl_easy_perform(h);
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    rp_status st = RP_OK;
    if (s.st == RP_ELIMIT || rc == CURLE_FILESIZE_EXCEEDED) {
        rp_diag_add(d, url, 0, 0, "the response is larger than %zu bytes", max);
        st = RP_ELIMIT;
    } else if (s.st != RP_OK) {
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
