/*
 * Deciding a free-text answer without a judge: the rubric lists regular
 * expressions (PCRE2, caseless, UTF-8) that signal its required points; the
 * answer passes when every one of them matches somewhere in it.  Matching
 * is bounded by PCRE2 match and depth limits, so a pathological pattern
 * ends as UNGRADED rather than a long stall.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "judge_int.h"

#include <pcre2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MATCH_LIMIT 1000000
#define DEPTH_LIMIT 2000

/* Compiled patterns kept for the life of the process: a pattern is looked
 * up by its text; a full table compiles further patterns per call. */
#define CACHE_SLOTS 128
static struct {
    char *text;
    pcre2_code *re;
} cache[CACHE_SLOTS];
static size_t cache_n;
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

/* The compiled pattern pat: *own is set when the caller must free it (not
 * kept in the table).  NULL with *err and *off when it does not compile. */
static const pcre2_code *compiled(const char *pat, bool *own, int *err, PCRE2_SIZE *off)
{
    *own = false;
    pthread_mutex_lock(&cache_lock);
    for (size_t i = 0; i < cache_n; i++)
        if (strcmp(cache[i].text, pat) == 0) {
            const pcre2_code *re = cache[i].re;
            pthread_mutex_unlock(&cache_lock);
            return re;
        }
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
                                   PCRE2_CASELESS | PCRE2_UTF | PCRE2_UCP |
                                       PCRE2_MATCH_INVALID_UTF,
                                   err, off, NULL);
    if (re) {
        pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
        char *copy = cache_n < CACHE_SLOTS ? strdup(pat) : NULL;
        if (copy) {
            cache[cache_n].text = copy;
            cache[cache_n].re = re;
            cache_n++;
        } else {
            *own = true;
        }
    }
    pthread_mutex_unlock(&cache_lock);
    return re;
}

bool rp_judge_pattern_ok(const char *pattern, char *msg, size_t cap)
{
    bool own;
    int err = 0;
    PCRE2_SIZE off = 0;
    const pcre2_code *re = compiled(pattern ? pattern : "", &own, &err, &off);
    if (re) {
        if (own)
            pcre2_code_free((pcre2_code *)re);
        return true;
    }
    PCRE2_UCHAR why[160];
    pcre2_get_error_message(err, why, sizeof why);
    if (cap)
        snprintf(msg, cap, "%s at offset %zu", (const char *)why, (size_t)off);
    return false;
}

/* Append ", " and s to the missing list, as much as fits. */
static void add_missing(rp_judge_verdict *out, size_t *len, const char *s)
{
    size_t cap = sizeof out->missing;
    char tmp[sizeof out->missing];
    int k = snprintf(tmp, sizeof tmp, "%s%s", *len ? ", " : "", s);
    if (k <= 0 || *len + 1 >= cap)
        return;
    rp_judge_copy(out->missing + *len, cap - *len, tmp, (size_t)k);
    *len += strlen(out->missing + *len);
}

rp_status rp_judge_by_patterns(const char *const *patterns, const char *const *labels,
                               size_t n, const char *answer, size_t answer_len,
                               rp_judge_verdict *out)
{
    memset(out, 0, sizeof *out);
    if (n == 0 || !patterns) {
        rp_judge_set_error(out, "the rubric gives no required-point patterns");
        return RP_EINPUT;
    }
    if (!answer)
        answer_len = 0;
    pcre2_match_context *mctx = pcre2_match_context_create(NULL);
    pcre2_match_data *md = NULL;
    if (!mctx) {
        rp_judge_set_error(out, "out of memory");
        return RP_ENOMEM;
    }
    pcre2_set_match_limit(mctx, MATCH_LIMIT);
    pcre2_set_depth_limit(mctx, DEPTH_LIMIT);
    rp_status st = RP_OK;
    size_t found = 0, len = 0;
    for (size_t i = 0; i < n && st == RP_OK; i++) {
        const char *pat = patterns[i] ? patterns[i] : "";
        int err = 0;
        PCRE2_SIZE off = 0;
        bool own;
        const pcre2_code *re = compiled(pat, &own, &err, &off);
        if (!re) {
            PCRE2_UCHAR msg[160];
            pcre2_get_error_message(err, msg, sizeof msg);
            rp_judge_set_error(out, "required-point pattern %zu does not compile at offset "
                                    "%zu: %s", i + 1, (size_t)off, (const char *)msg);
            st = RP_EPARSE;
            break;
        }
        md = pcre2_match_data_create_from_pattern(re, NULL);
        int rc = md ? pcre2_match(re, (PCRE2_SPTR)(answer ? answer : ""), answer_len, 0, 0,
                                  md, mctx)
                    : PCRE2_ERROR_NOMEMORY;
        pcre2_match_data_free(md);
        md = NULL;
        if (own)
            pcre2_code_free((pcre2_code *)re);
        if (rc >= 0) {
            found++;
        } else if (rc == PCRE2_ERROR_NOMATCH) {
            add_missing(out, &len, labels && labels[i] && *labels[i] ? labels[i] : pat);
        } else if (rc == PCRE2_ERROR_NOMEMORY) {
            rp_judge_set_error(out, "out of memory while matching required points");
            st = RP_ENOMEM;
        } else {
            rp_judge_set_error(out, "required-point pattern %zu exceeds the match limit", i + 1);
            st = RP_ELIMIT;
        }
    }
    pcre2_match_context_free(mctx);
    if (st != RP_OK)
        return st;
    if (found == n) {
        out->verdict = RP_VERDICT_PASS;
        snprintf(out->reason, sizeof out->reason,
                 "every required point is present (%zu pattern%s matched)", n,
                 n == 1 ? "" : "s");
    } else {
        out->verdict = RP_VERDICT_FAIL;
        snprintf(out->reason, sizeof out->reason, "%zu of %zu required points not found",
                 n - found, n);
    }
    return RP_OK;
}
