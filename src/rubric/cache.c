/*
 * The solved-rubric cache: a rubric whose computations are heavy is solved
 * once, and later runs read the answers the engine gave.  An entry is the
 * JSON of `redpen solve` (rp_rubric_solution_json) in
 * <cache dir>/rubric/<key>.json, where the key is the SHA-256 of the
 * rubric's bytes, its key file's bytes, and the identity of the code that
 * solved it (the file holding this function: its device, inode, size and
 * modification time), so a rebuilt redpen never reads an older engine's
 * answers.  Entries are written atomically; an entry that cannot be read
 * back is reported as a warning and the rubric is solved again.
 *
 * Only computed answers are read from an entry (a part's truth or a
 * variant whose answer was `compute`, or a tuple holding one); typed
 * answers stay as the rubric wrote them.
 */
#define _GNU_SOURCE /* dladdr */
#include "rubric_int.h"

#include "redpen/judge.h"

#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define ENTRY_MAX ((size_t)64 << 20) /* bytes of one entry, at most */

/* An object of this file: dladdr() names the file that holds it. */
static const char anchor = 1;

/* The identity of the code that solves: the file this code was loaded
 * from (the executable, or the shared library). */
static void code_identity(rp_buf *b)
{
    Dl_info info;
    struct stat sb;
    if (dladdr(&anchor, &info) && info.dli_fname &&
        stat(info.dli_fname, &sb) == 0)
        rp_buf_printf(b, "%s|%llu|%llu|%lld|%lld.%09ld", info.dli_fname,
                      (unsigned long long)sb.st_dev, (unsigned long long)sb.st_ino,
                      (long long)sb.st_size, (long long)sb.st_mtim.tv_sec, sb.st_mtim.tv_nsec);
    else
        rp_buf_puts(b, "unknown-code"); /* still keyed by content */
}

void rp_rubric_cache_key(const char *data, size_t n, const char *key_data, size_t key_n,
                         char out[65])
{
    char dr[65], dk[65];
    rp_sha256_hex(data, n, dr);
    rp_sha256_hex(key_data ? key_data : "", key_data ? key_n : 0, dk);
    rp_buf b;
    rp_buf_init(&b, 1 << 16);
    rp_buf_printf(&b, "redpen-rubric-cache-1|%s|%s|", dr, dk);
    code_identity(&b);
    rp_sha256_hex(b.data ? b.data : "", b.len, out);
    rp_buf_free(&b);
}

/* ------------------------------------------------------------ reading */

static const char *str(rp_arena *a, const cJSON *j, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);
    return cJSON_IsString(v) ? rp_arena_strdup(a, v->valuestring) : NULL;
}

static const char **strs(rp_arena *a, const cJSON *j, const char *key, size_t *n)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(j, key);
    *n = 0;
    if (!cJSON_IsArray(arr))
        return NULL;
    const char **out = rp_arena_alloc(a, ((size_t)cJSON_GetArraySize(arr) + 1) * sizeof *out);
    for (const cJSON *e = arr->child; out && e; e = e->next)
        out[(*n)++] = cJSON_IsString(e) ? rp_arena_strdup(a, e->valuestring) : "";
    return out;
}

static bool read_answer(rp_arena *a, const cJSON *j, rp_answer **out);

static bool read_matrix(rp_arena *a, const cJSON *j, rp_answer *x)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "value");
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(j, "rows");
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(j, "cols");
    if (!cJSON_IsArray(v) || !cJSON_IsNumber(r) || !cJSON_IsNumber(c) || r->valueint < 1 ||
        c->valueint < 1 || r->valueint > 4096 || c->valueint > 4096)
        return false;
    size_t rows = (size_t)r->valueint, cols = (size_t)c->valueint, k = 0;
    x->mat.rows = rows;
    x->mat.cols = cols;
    x->mat.cells = rp_arena_alloc(a, rows * cols * sizeof *x->mat.cells);
    x->mat.values = rp_arena_alloc(a, rows * cols * sizeof *x->mat.values);
    if (!x->mat.cells || !x->mat.values)
        return false;
    x->mat.numeric = true;
    for (const cJSON *row = v->child; row; row = row->next) {
        const cJSON *e = x->kind == RP_ANS_VECTOR ? row : row->child;
        for (; e && k < rows * cols; e = x->kind == RP_ANS_VECTOR ? NULL : e->next, k++) {
            x->mat.values[k] = cJSON_IsNumber(e) ? e->valuedouble : NAN;
            x->mat.cells[k] = cJSON_IsNumber(e)   ? rp_num_latex(a, e->valuedouble)
                              : cJSON_IsString(e) ? rp_arena_strdup(a, e->valuestring)
                                                  : NULL;
            if (!x->mat.cells[k])
                return false;
            x->mat.numeric &= cJSON_IsNumber(e);
        }
    }
    return k == rows * cols;
}

static bool read_table(rp_arena *a, const cJSON *j, rp_answer *x)
{
    rp_table_val *t = &x->table;
    t->col_labels = strs(a, j, "columns", &t->cols);
    const cJSON *rows = cJSON_GetObjectItemCaseSensitive(j, "rows");
    if (!t->col_labels || !t->cols || !cJSON_IsArray(rows))
        return false;
    t->rows = (size_t)cJSON_GetArraySize(rows);
    size_t nc = t->rows * t->cols + 1, i = 0;
    t->row_labels = rp_arena_alloc(a, (t->rows + 1) * sizeof *t->row_labels);
    t->cells = rp_arena_alloc(a, nc * sizeof *t->cells);
    t->values = rp_arena_alloc(a, nc * sizeof *t->values);
    t->given = rp_arena_alloc(a, nc * sizeof *t->given);
    if (!t->row_labels || !t->cells || !t->values || !t->given)
        return false;
    for (const cJSON *r = rows->child; r; r = r->next, i++) {
        size_t n = 0;
        const char **cells = strs(a, r, "cells", &n);
        const cJSON *vals = cJSON_GetObjectItemCaseSensitive(r, "values");
        const cJSON *given = cJSON_GetObjectItemCaseSensitive(r, "given");
        t->row_labels[i] = str(a, r, "label");
        if (!cells || n != t->cols || !t->row_labels[i])
            return false;
        for (size_t k = 0; k < t->cols; k++) {
            const cJSON *v = cJSON_GetArrayItem(vals, (int)k);
            t->cells[i * t->cols + k] = cells[k];
            t->values[i * t->cols + k] = cJSON_IsNumber(v) ? v->valuedouble : NAN;
            t->given[i * t->cols + k] = cJSON_IsTrue(cJSON_GetArrayItem(given, (int)k));
        }
    }
    return true;
}

static bool read_piecewise(rp_arena *a, const cJSON *j, rp_answer *x)
{
    x->sample_var = str(a, j, "var");
    const cJSON *cases = cJSON_GetObjectItemCaseSensitive(j, "cases");
    if (!x->sample_var || !cJSON_IsArray(cases))
        return false;
    x->cases = rp_arena_alloc(a, ((size_t)cJSON_GetArraySize(cases) + 1) * sizeof *x->cases);
    for (const cJSON *c = cases->child; x->cases && c; c = c->next) {
        rp_case *k = &x->cases[x->n_cases++];
        k->var = x->sample_var;
        k->expr = str(a, c, "expr");
        k->cond = str(a, c, "cond");
        k->from = str(a, c, "from");
        k->to = str(a, c, "to");
        if (!k->expr || !k->cond)
            return false;
    }
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(j, "samples");
    const cJSON *from = cJSON_GetObjectItemCaseSensitive(s, "from");
    const cJSON *vals = cJSON_GetObjectItemCaseSensitive(s, "values");
    if (s && (!cJSON_IsNumber(from) || !cJSON_IsArray(vals)))
        return false;
    if (s) {
        x->sample_from = (long)from->valuedouble;
        x->samples = rp_arena_alloc(a, ((size_t)cJSON_GetArraySize(vals) + 1) * sizeof *x->samples);
        for (const cJSON *v = vals->child; x->samples && v; v = v->next)
            x->samples[x->n_samples++] = cJSON_IsNumber(v) ? v->valuedouble : NAN;
    }
    return x->cases != NULL;
}

static bool read_tuple(rp_arena *a, const cJSON *j, rp_answer *x)
{
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(j, "items");
    if (!cJSON_IsArray(items))
        return false;
    x->items = rp_arena_alloc(a, ((size_t)cJSON_GetArraySize(items) + 1) * sizeof *x->items);
    for (const cJSON *it = items->child; x->items && it; it = it->next) {
        rp_tuple_item *t = &x->items[x->n_items++];
        t->name = str(a, it, "name");
        t->spellings = strs(a, it, "spellings", &t->n_spellings);
        if (!t->name ||
            !read_answer(a, cJSON_GetObjectItemCaseSensitive(it, "answer"), &t->answer))
            return false;
    }
    return x->items != NULL;
}

/* An answer as answer_obj() of output.c wrote it. */
static bool read_answer(rp_arena *a, const cJSON *j, rp_answer **out)
{
    static const char *const kinds[] = {"expr", "matrix", "vector", "tuple", "table",
                                        "piecewise", "text", NULL};
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(j, "kind");
    rp_answer *x = rp_arena_alloc(a, sizeof *x);
    if (!x || !cJSON_IsString(k))
        return false;
    int kind = -1;
    for (int i = 0; kinds[i]; i++)
        if (strcmp(kinds[i], k->valuestring) == 0)
            kind = i;
    if (kind < 0)
        return false;
    x->kind = (rp_answer_kind)kind;
    x->latex = str(a, j, "latex");
    x->derivation = str(a, j, "derivation");
    const cJSON *chk = cJSON_GetObjectItemCaseSensitive(j, "check");
    if (chk) {
        const char *status = str(a, chk, "status");
        for (int s = RP_CHECK_PASSED; status && s <= RP_CHECK_UNAVAILABLE; s++)
            if (strcmp(status, rp_check_status_name((rp_check_status)s)) == 0)
                x->check = (rp_check_status)s;
        x->check_detail = str(a, chk, "detail");
        if (x->check == RP_CHECK_NONE)
            return false;
    }
    bool ok = true;
    switch (x->kind) {
    case RP_ANS_EXPR:
        x->up_to_constant = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "up_to_constant"));
        ok = x->latex != NULL;
        break;
    case RP_ANS_MATRIX:
    case RP_ANS_VECTOR: ok = read_matrix(a, j, x); break;
    case RP_ANS_TUPLE: ok = read_tuple(a, j, x); break;
    case RP_ANS_TABLE: ok = read_table(a, j, x); break;
    case RP_ANS_PIECEWISE: ok = read_piecewise(a, j, x); break;
    case RP_ANS_TEXT:
        x->points = strs(a, j, "points", &x->n_points);
        x->patterns = strs(a, j, "patterns", &x->n_patterns);
        break;
    case RP_ANS_COMPUTE: ok = false; break;
    }
    *out = x;
    return ok;
}

/* Was a is computed by the engine (compute, a swap of computed items, or a
 * tuple holding a computed item)? */
static bool computed(const rp_answer *a)
{
    if (!a)
        return false;
    if (a->kind == RP_ANS_COMPUTE || (a->op && strcmp(a->op, "swap") == 0))
        return true;
    for (size_t i = 0; a->kind == RP_ANS_TUPLE && i < a->n_items; i++)
        if (computed(a->items[i].answer))
            return true;
    return false;
}

/* Put the computed answers of the entry root into r; false when the entry
 * does not fit r (then r is left as it was: the answers are set only after
 * every one has been read). */
static bool restore(rp_rubric *r, const cJSON *root)
{
    const cJSON *parts = cJSON_GetObjectItemCaseSensitive(root, "parts");
    if (!cJSON_IsArray(parts) || (size_t)cJSON_GetArraySize(parts) != r->n_parts)
        return false;
    size_t n = 0;
    for (size_t i = 0; i < r->n_parts; i++)
        n += 1 + r->parts[i].n_variants;
    rp_answer **got = calloc(n + 1, sizeof *got);
    if (!got)
        return false;
    bool ok = true;
    size_t k = 0, i = 0;
    for (const cJSON *p = parts->child; ok && p; p = p->next, i++) {
        rp_part *part = &r->parts[i];
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(p, "part");
        const cJSON *vars = cJSON_GetObjectItemCaseSensitive(p, "variants");
        ok = cJSON_IsString(id) && strcmp(id->valuestring, part->id) == 0 &&
             cJSON_IsArray(vars) && (size_t)cJSON_GetArraySize(vars) == part->n_variants;
        if (ok && computed(part->spec))
            ok = read_answer(r->arena, cJSON_GetObjectItemCaseSensitive(p, "truth"), &got[k]);
        k++;
        const cJSON *v = ok ? vars->child : NULL;
        for (size_t m = 0; ok && m < part->n_variants; m++, v = v->next, k++)
            if (computed(part->variants[m].answer))
                ok = read_answer(r->arena, cJSON_GetObjectItemCaseSensitive(v, "answer"),
                                 &got[k]);
    }
    for (size_t j = 0, q = 0; ok && j < r->n_parts; j++) {
        rp_part *part = &r->parts[j];
        if (got[q])
            part->truth = got[q]; /* the others are solved as typed answers are */
        q++;
        for (size_t m = 0; m < part->n_variants; m++, q++)
            if (got[q])
                part->variants[m].answer = got[q];
    }
    free(got);
    return ok;
}

/* <dir>/rubric/<key>.json into b. */
static rp_status entry_path(rp_buf *b, const char *dir, const char *key)
{
    return rp_buf_printf(b, "%s/rubric/%s.json", dir, key);
}

rp_cache_result rp_rubric_cache_get(rp_rubric *r, const char *dir, rp_diags *d)
{
    if (!dir || !r->cache_key[0])
        return RP_CACHE_MISS;
    rp_buf path, data;
    rp_buf_init(&path, 8192);
    rp_buf_init(&data, ENTRY_MAX);
    rp_cache_result res = RP_CACHE_MISS;
    struct stat sb;
    rp_diags quiet;
    if (entry_path(&path, dir, r->cache_key) == RP_OK && stat(path.data, &sb) == 0 &&
        rp_diags_init(&quiet) == RP_OK) {
        res = RP_CACHE_BAD;
        if (S_ISREG(sb.st_mode) &&
            rp_file_read(path.data, ENTRY_MAX, 0, &data, &quiet) == RP_OK) {
            cJSON *root = cJSON_ParseWithLength(data.data ? data.data : "", data.len);
            if (root && restore(r, root))
                res = RP_CACHE_HIT;
            cJSON_Delete(root);
        }
        rp_diags_free(&quiet);
        if (res == RP_CACHE_BAD)
            rp_diag_add(d, path.data, 0, 0, "warning: the solved-rubric cache entry of %s "
                                            "cannot be read; solving again", r->path);
    }
    rp_buf_free(&path);
    rp_buf_free(&data);
    return res;
}

void rp_rubric_cache_put(const rp_rubric *r, const char *dir, rp_diags *d)
{
    if (!dir || !r->cache_key[0] || !r->solved)
        return;
    char *js = rp_rubric_solution_json(r);
    rp_buf path;
    rp_buf_init(&path, 8192);
    rp_diags quiet;
    bool ok = js && rp_buf_printf(&path, "%s/rubric", dir) == RP_OK &&
              rp_cache_make_dirs(path.data) == RP_OK && rp_diags_init(&quiet) == RP_OK;
    if (ok) {
        path.len = 0;
        ok = entry_path(&path, dir, r->cache_key) == RP_OK &&
             rp_write_atomic(path.data, js, strlen(js), &quiet) == RP_OK;
        rp_diags_free(&quiet);
    }
    if (!ok && js)
        rp_diag_add(d, dir, 0, 0, "warning: cannot keep the solved rubric %s in the cache",
                    r->path);
    rp_buf_free(&path);
    free(js);
}
