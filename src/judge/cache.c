/*
 * The judge's verdict cache: one small JSON file per verdict, named after
 * the SHA-256 of the judge URL, the model and both prompt messages, under
 * <cache dir>/judge/.  A file holds only {"redpen_judge_cache": 1,
 * "verdict", "reason", "missing"}: never the key, the URL or the prompt.
 * Files are written atomically (rp_write_atomic), so a reader sees a whole
 * entry or none; an unreadable or damaged entry counts as a miss.
 */
#include "judge_int.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CACHE_FILE_MAX 16384

/* Feed a string and its terminating NUL, so fields cannot run together. */
static void feed(rp_sha256 *s, const char *str)
{
    if (!str)
        str = "";
    rp_sha256_update(s, str, strlen(str) + 1);
}

void rp_judge_cache_key(const char *url, const char *model, const char *system,
                        const char *user, char out[65])
{
    rp_sha256 s;
    rp_sha256_init(&s);
    feed(&s, "redpen-judge-cache-1");
    feed(&s, url);
    feed(&s, model);
    feed(&s, system);
    feed(&s, user);
    rp_sha256_final_hex(&s, out);
}

char *rp_judge_default_cache_dir(void)
{
    const char *x = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    rp_buf b;
    rp_buf_init(&b, 8192);
    rp_status st;
    if (x && x[0] == '/')
        st = rp_buf_printf(&b, "%s/redpen", x);
    else if (home && *home)
        st = rp_buf_printf(&b, "%s/.cache/redpen", home);
    else
        st = RP_ENOTFOUND;
    if (st != RP_OK) {
        rp_buf_free(&b);
        return NULL;
    }
    return b.data; /* the buffer's memory now belongs to the caller */
}

/* <dir>/judge/<key>.json into b. */
static rp_status entry_path(rp_buf *b, const char *dir, const char *key)
{
    return rp_buf_printf(b, "%s/judge/%s.json", dir, key);
}

rp_status rp_judge_cache_get(const char *dir, const char *key, rp_judge_verdict *out)
{
    rp_buf path;
    rp_buf_init(&path, 8192);
    if (entry_path(&path, dir, key) != RP_OK) {
        rp_buf_free(&path);
        return RP_ENOTFOUND;
    }
    FILE *f = fopen(path.data, "rb");
    rp_buf_free(&path);
    if (!f)
        return RP_ENOTFOUND;
    char data[CACHE_FILE_MAX + 1];
    size_t n = fread(data, 1, sizeof data, f);
    fclose(f);
    if (n == 0 || n > CACHE_FILE_MAX)
        return RP_ENOTFOUND;
    cJSON *o = cJSON_ParseWithLength(data, n);
    const cJSON *tag = cJSON_GetObjectItemCaseSensitive(o, "redpen_judge_cache");
    bool ok = cJSON_IsNumber(tag) && tag->valueint == 1;
    cJSON_Delete(o);
    if (!ok)
        return RP_ENOTFOUND;
    rp_judge_verdict v;
    memset(&v, 0, sizeof v);
    if (rp_judge_parse_verdict(data, n, &v) != RP_OK)
        return RP_ENOTFOUND;
    v.cached = true;
    v.requests = 0;
    *out = v;
    return RP_OK;
}

rp_status rp_cache_make_dirs(char *path)
{
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        int rc = mkdir(path, 0700);
        int err = errno;
        *p = c;
        if (rc != 0 && err != EEXIST)
            return RP_EIO;
        if (c == '\0')
            return RP_OK;
    }
}

rp_status rp_judge_cache_put(const char *dir, const char *key, const rp_judge_verdict *v)
{
    if (v->verdict != RP_VERDICT_PASS && v->verdict != RP_VERDICT_FAIL)
        return RP_EINTERNAL;
    rp_buf path;
    rp_buf_init(&path, 8192);
    rp_status st = rp_buf_printf(&path, "%s/judge", dir);
    if (st == RP_OK)
        st = rp_cache_make_dirs(path.data);
    if (st == RP_OK) {
        rp_buf_clear(&path);
        st = entry_path(&path, dir, key);
    }
    char *text = NULL;
    if (st == RP_OK) {
        cJSON *o = cJSON_CreateObject();
        if (o && cJSON_AddNumberToObject(o, "redpen_judge_cache", 1) &&
            cJSON_AddStringToObject(o, "verdict",
                                    v->verdict == RP_VERDICT_PASS ? "pass" : "fail") &&
            cJSON_AddStringToObject(o, "reason", v->reason) &&
            cJSON_AddStringToObject(o, "missing", v->missing))
            text = cJSON_PrintUnformatted(o);
        cJSON_Delete(o);
        if (!text)
            st = RP_ENOMEM;
    }
    if (st == RP_OK) {
        rp_diags d;
        if (rp_diags_init(&d) != RP_OK) {
            st = RP_ENOMEM;
        } else {
            st = rp_write_atomic(path.data, text, strlen(text), &d);
            rp_diags_free(&d);
        }
    }
    free(text);
    rp_buf_free(&path);
    return st;
}
