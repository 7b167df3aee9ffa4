/*
 * Validation helpers of the rubric reader: a JSON path kept alongside the
 * walk, typed getters that name that path in every error, and the reader
 * of answer objects of every kind.  Nothing here stops at the first error:
 * the aim is to list every problem of a rubric in one run.
 */
#include "rubric_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void rp_verr(rp_vctx *c, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    c->errors++;
    if (c->errors <= 200)
        rp_diag_add_path(c->diags, c->label, c->path, "%s", msg);
}

static size_t push(rp_vctx *c, const char *fmt, ...) RP_PRINTF(2, 3);
static size_t push(rp_vctx *c, const char *fmt, ...)
{
    size_t old = c->plen;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(c->path + c->plen, sizeof c->path - c->plen, fmt, ap);
    va_end(ap);
    if (n > 0)
        c->plen += (size_t)n < sizeof c->path - c->plen
                       ? (size_t)n
                       : sizeof c->path - c->plen - 1;
    return old;
}

size_t rp_vpush_key(rp_vctx *c, const char *key)
{
    return push(c, ".%.64s", key);
}

size_t rp_vpush_index(rp_vctx *c, size_t i)
{
    return push(c, "[%zu]", i);
}

void rp_vpop(rp_vctx *c, size_t len)
{
    c->plen = len;
    c->path[len] = '\0';
}

static const char *type_name(const cJSON *j)
{
    if (!j || cJSON_IsNull(j))
        return "null";
    if (cJSON_IsBool(j))
        return "a boolean";
    if (cJSON_IsNumber(j))
        return "a number";
    if (cJSON_IsString(j))
        return "a string";
    if (cJSON_IsArray(j))
        return "an array";
    return "an object";
}

static void join_choices(const char *const *choices, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; choices[i] && len + 2 < cap; i++) {
        int n = snprintf(buf + len, cap - len, "%s%s", i ? ", " : "",
                         choices[i]);
        if (n < 0)
            break;
        len += (size_t)n < cap - len ? (size_t)n : cap - len - 1;
    }
}

void rp_vkeys(rp_vctx *c, const cJSON *obj, const char *const *allowed)
{
    if (!cJSON_IsObject(obj))
        return;
    for (const cJSON *k = obj->child; k; k = k->next) {
        if (!k->string || k->string[0] == '_' || k->string[0] == '$')
            continue;
        bool ok = false;
        for (size_t i = 0; allowed[i]; i++)
            if (strcmp(allowed[i], k->string) == 0)
                ok = true;
        if (!ok) {
            char list[400];
            join_choices(allowed, list, sizeof list);
            size_t old = rp_vpush_key(c, k->string);
            rp_verr(c, "unknown key (expected one of %s)", list);
            rp_vpop(c, old);
            continue;
        }
        /* a key given twice: the reader would see only the first */
        for (const cJSON *e = obj->child; e != k; e = e->next)
            if (e->string && strcmp(e->string, k->string) == 0) {
                size_t old = rp_vpush_key(c, k->string);
                rp_verr(c, "given twice in one object (only the first would be read)");
                rp_vpop(c, old);
                break;
            }
    }
}

/* The member key of obj, reporting a missing required one. */
static const cJSON *member(rp_vctx *c, const cJSON *obj, const char *key,
                           bool required)
{
    const cJSON *j = cJSON_IsObject(obj)
                         ? cJSON_GetObjectItemCaseSensitive(obj, key)
                         : NULL;
    if (!j && required) {
        size_t old = rp_vpush_key(c, key);
        rp_verr(c, "missing (required)");
        rp_vpop(c, old);
    }
    return j;
}

bool rp_vneed(rp_vctx *c, const cJSON *obj, const char *key, const char *why)
{
    if (cJSON_IsObject(obj) && cJSON_GetObjectItemCaseSensitive(obj, key))
        return true;
    size_t old = rp_vpush_key(c, key);
    rp_verr(c, "missing (required%s%s)", why ? " " : "", why ? why : "");
    rp_vpop(c, old);
    return false;
}

static void type_error(rp_vctx *c, const char *key, const char *want,
                       const cJSON *got)
{
    size_t old = rp_vpush_key(c, key);
    rp_verr(c, "expected %s, got %s", want, type_name(got));
    rp_vpop(c, old);
}

const char *rp_vstr(rp_vctx *c, const cJSON *obj, const char *key,
                    bool required)
{
    const cJSON *j = member(c, obj, key, required);
    if (!j || (cJSON_IsNull(j) && !required))
        return NULL;
    if (!cJSON_IsString(j)) {
        type_error(c, key, "a string", j);
        return NULL;
    }
    size_t n = strlen(j->valuestring);
    if (n > RP_RUBRIC_MAX_STRING) {
        size_t old = rp_vpush_key(c, key);
        rp_verr(c, "string of %zu bytes exceeds the limit of %d", n,
                RP_RUBRIC_MAX_STRING);
        rp_vpop(c, old);
        return NULL;
    }
    return rp_arena_strndup(c->arena, j->valuestring, n);
}

bool rp_vbool(rp_vctx *c, const cJSON *obj, const char *key, bool fallback)
{
    const cJSON *j = member(c, obj, key, false);
    if (!j)
        return fallback;
    if (!cJSON_IsBool(j)) {
        type_error(c, key, "a boolean", j);
        return fallback;
    }
    return cJSON_IsTrue(j);
}

double rp_vnum(rp_vctx *c, const cJSON *obj, const char *key, bool required,
               double fallback)
{
    const cJSON *j = member(c, obj, key, required);
    if (!j)
        return fallback;
    if (!cJSON_IsNumber(j) || !isfinite(j->valuedouble)) {
        type_error(c, key, "a number", j);
        return fallback;
    }
    return j->valuedouble;
}

long rp_vint(rp_vctx *c, const cJSON *obj, const char *key, bool required,
             long lo, long hi, long fallback)
{
    const cJSON *j = member(c, obj, key, required);
    if (!j)
        return fallback;
    double v = j->valuedouble;
    if (!cJSON_IsNumber(j) || v != floor(v) || !isfinite(v)) {
        type_error(c, key, "an integer", j);
        return fallback;
    }
    if (v < (double)lo || v > (double)hi) {
        size_t old = rp_vpush_key(c, key);
        rp_verr(c, "%.0f is out of range %ld..%ld", v, lo, hi);
        rp_vpop(c, old);
        return fallback;
    }
    return (long)v;
}

int rp_venum(rp_vctx *c, const cJSON *obj, const char *key,
             const char *const *choices, int fallback)
{
    const cJSON *j = member(c, obj, key, false);
    if (!j)
        return fallback;
    if (cJSON_IsString(j))
        for (int i = 0; choices[i]; i++)
            if (strcmp(choices[i], j->valuestring) == 0)
                return i;
    char list[400];
    join_choices(choices, list, sizeof list);
    size_t old = rp_vpush_key(c, key);
    if (cJSON_IsString(j))
        rp_verr(c, "expected one of %s, got \"%.40s\"", list, j->valuestring);
    else
        rp_verr(c, "expected one of %s, got %s", list, type_name(j));
    rp_vpop(c, old);
    return fallback;
}

const cJSON *rp_vobj(rp_vctx *c, const cJSON *obj, const char *key,
                     bool required)
{
    const cJSON *j = member(c, obj, key, required);
    if (j && !cJSON_IsObject(j)) {
        type_error(c, key, "an object", j);
        return NULL;
    }
    return j;
}

const cJSON *rp_varr(rp_vctx *c, const cJSON *obj, const char *key,
                     bool required, size_t max)
{
    const cJSON *j = member(c, obj, key, required);
    if (!j)
        return NULL;
    if (!cJSON_IsArray(j)) {
        type_error(c, key, "an array", j);
        return NULL;
    }
    size_t n = (size_t)cJSON_GetArraySize(j);
    if (n > max) {
        size_t old = rp_vpush_key(c, key);
        rp_verr(c, "%zu elements exceed the limit of %zu", n, max);
        rp_vpop(c, old);
        return NULL;
    }
    return j;
}

const char **rp_vstrlist(rp_vctx *c, const cJSON *obj, const char *key,
                         size_t *n)
{
    *n = 0;
    const cJSON *arr = rp_varr(c, obj, key, false, RP_RUBRIC_MAX_LIST);
    if (!arr)
        return NULL;
    size_t cnt = (size_t)cJSON_GetArraySize(arr);
    const char **out = rp_arena_alloc(c->arena, (cnt + 1) * sizeof *out);
    if (!out)
        return NULL;
    size_t old = rp_vpush_key(c, key);
    size_t i = 0;
    for (const cJSON *e = arr->child; e; e = e->next, i++) {
        size_t o2 = rp_vpush_index(c, i);
        if (!cJSON_IsString(e) || strlen(e->valuestring) > RP_RUBRIC_MAX_STRING)
            rp_verr(c, "expected a string (at most %d bytes), got %s",
                    RP_RUBRIC_MAX_STRING, type_name(e));
        else
            out[(*n)++] = rp_arena_strdup(c->arena, e->valuestring);
        rp_vpop(c, o2);
    }
    rp_vpop(c, old);
    return out;
}

bool rp_vmatrix(rp_vctx *c, const cJSON *obj, const char *key, bool required,
                rp_mat *out)
{
    memset(out, 0, sizeof *out);
    const cJSON *arr = rp_varr(c, obj, key, required, RP_RUBRIC_MAX_DIM);
    if (!arr)
        return false;
    size_t old = rp_vpush_key(c, key);
    size_t rows = (size_t)cJSON_GetArraySize(arr), cols = 0;
    bool ok = rows > 0;
    if (!ok)
        rp_verr(c, "expected a non-empty array of rows");
    size_t i = 0;
    for (const cJSON *r = arr->child; ok && r; r = r->next, i++) {
        size_t o2 = rp_vpush_index(c, i);
        if (!cJSON_IsArray(r) || cJSON_GetArraySize(r) == 0 ||
            (size_t)cJSON_GetArraySize(r) > RP_RUBRIC_MAX_DIM) {
            rp_verr(c, "expected a row: an array of 1..%d numbers",
                    RP_RUBRIC_MAX_DIM);
            ok = false;
        } else if (i == 0) {
            cols = (size_t)cJSON_GetArraySize(r);
        } else if ((size_t)cJSON_GetArraySize(r) != cols) {
            rp_verr(c, "row has %d entries, the first row %zu",
                    cJSON_GetArraySize(r), cols);
            ok = false;
        }
        rp_vpop(c, o2);
    }
    if (ok && rp_mat_alloc(c->arena, rows, cols, out) != RP_OK) {
        rp_verr(c, "matrix too large");
        ok = false;
    }
    i = 0;
    for (const cJSON *r = arr->child; ok && r; r = r->next, i++) {
        size_t j = 0;
        for (const cJSON *e = r->child; e; e = e->next, j++) {
            if (!cJSON_IsNumber(e) || !isfinite(e->valuedouble)) {
                size_t o2 = rp_vpush_index(c, i);
                size_t o3 = rp_vpush_index(c, j);
                rp_verr(c, "expected a number, got %s", type_name(e));
                rp_vpop(c, o3);
                rp_vpop(c, o2);
                ok = false;
                break;
            }
            RP_MAT_AT(out, i, j) = e->valuedouble;
        }
    }
    rp_vpop(c, old);
    return ok;
}
