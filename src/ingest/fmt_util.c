/*
 * Helpers shared by the structured-format readers: reading JSON and JSONL
 * safely (nesting depth checked before cJSON recurses, syntax errors placed
 * at line:col), typed field access with JSON paths in the diagnostics,
 * walking a message tree from a leaf to its root without trusting its
 * links, time stamps, and adding turns with hidden reasoning removed.
 */
#include "fmt_util.h"
#include "redpen/bytes.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ------------------------------------------------------------ diagnostics */

void rp_jerr(rp_jctx *c, const char *path, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (c->line)
        rp_diag_add(c->d, c->label, c->line, 0, "%s: %s", path ? path : "$", msg);
    else
        rp_diag_add_path(c->d, c->label, path ? path : "$", "%s", msg);
}

static bool plain_key(const char *k)
{
    if (!*k)
        return false;
    for (const char *p = k; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-')
            return false;
    return true;
}

/* Append s[0..n) to the path dst[cap] of length *w, cut at cap - 1 bytes
 * as snprintf would.  Readers build a path for every message in case it
 * is needed for a diagnostic, so this avoids snprintf's cost. */
static void jp_put(char *dst, size_t cap, size_t *w, const char *s, size_t n)
{
    size_t room = *w + 1 < cap ? cap - 1 - *w : 0;
    if (n > room)
        n = room;
    memcpy(dst + *w, s, n);
    *w += n;
    dst[*w] = '\0';
}

const char *rp_jp_key(char *dst, size_t cap, const char *base, const char *key)
{
    if (plain_key(key)) {
        size_t w = 0;
        if (!cap)
            return dst;
        jp_put(dst, cap, &w, base, strlen(base));
        jp_put(dst, cap, &w, ".", 1);
        jp_put(dst, cap, &w, key, strlen(key));
        return dst;
    }
    /* Quote the key, escaping quotes and backslashes and dropping controls. */
    size_t w = (size_t)snprintf(dst, cap, "%s[\"", base);
    for (const char *p = key; *p && w + 4 < cap; p++) {
        if ((unsigned char)*p < 0x20)
            continue;
        if (*p == '"' || *p == '\\')
            dst[w++] = '\\';
        dst[w++] = *p;
    }
    if (w + 3 <= cap) {
        dst[w++] = '"';
        dst[w++] = ']';
        dst[w] = '\0';
    } else if (cap) {
        dst[cap - 1] = '\0';
    }
    return dst;
}

const char *rp_jp_idx(char *dst, size_t cap, const char *base, size_t i)
{
    char num[24];
    size_t k = sizeof num;
    num[--k] = ']';
    do {
        num[--k] = (char)('0' + i % 10);
        i /= 10;
    } while (i);
    num[--k] = '[';
    size_t w = 0;
    if (!cap)
        return dst;
    jp_put(dst, cap, &w, base, strlen(base));
    jp_put(dst, cap, &w, num + k, sizeof num - k);
    return dst;
}

static const char *type_name(const cJSON *v)
{
    if (cJSON_IsString(v)) return "a string";
    if (cJSON_IsNumber(v)) return "a number";
    if (cJSON_IsBool(v)) return "a boolean";
    if (cJSON_IsNull(v)) return "null";
    if (cJSON_IsArray(v)) return "an array";
    if (cJSON_IsObject(v)) return "an object";
    return "an invalid value";
}

static rp_status typed(rp_jctx *c, const cJSON *obj, const char *key,
                       const char *path, int want, const cJSON **out)
{
    *out = NULL;
    const cJSON *v = cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
    if (!v || cJSON_IsNull(v))
        return RP_OK;
    bool ok = (want == cJSON_String && cJSON_IsString(v)) ||
              (want == cJSON_Array && cJSON_IsArray(v)) ||
              (want == cJSON_Object && cJSON_IsObject(v));
    if (!ok) {
        char p[RP_JPATH_MAX];
        rp_jerr(c, rp_jp_key(p, sizeof p, path, key), "expected %s, found %s",
                want == cJSON_String ? "a string" : want == cJSON_Array ? "an array" : "an object",
                type_name(v));
        return RP_EINPUT;
    }
    *out = v;
    return RP_OK;
}

rp_status rp_jstr(rp_jctx *c, const cJSON *obj, const char *key,
                  const char *path, const char **out)
{
    const cJSON *v;
    rp_status st = typed(c, obj, key, path, cJSON_String, &v);
    *out = v ? v->valuestring : NULL;
    return st;
}

rp_status rp_jarr(rp_jctx *c, const cJSON *obj, const char *key,
                  const char *path, const cJSON **out)
{
    return typed(c, obj, key, path, cJSON_Array, out);
}

rp_status rp_jobj(rp_jctx *c, const cJSON *obj, const char *key,
                  const char *path, const cJSON **out)
{
    return typed(c, obj, key, path, cJSON_Object, out);
}

const char *rp_jtime(rp_transcript *t, const cJSON *v)
{
    if (cJSON_IsString(v))
        return v->valuestring[0] ? rp_tb_str(t, v->valuestring, strlen(v->valuestring)) : NULL;
    if (!cJSON_IsNumber(v))
        return NULL;
    double x = v->valuedouble;
    if (!isfinite(x) || x <= 0)
        return NULL;
    if (x >= 1e11)
        x /= 1000.0; /* milliseconds */
    if (x >= 1e11)
        return NULL;
    time_t tt = (time_t)x;
    struct tm tm;
    if (!gmtime_r(&tt, &tm))
        return NULL;
    char buf[32];
    if (!strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm))
        return NULL;
    return rp_tb_str(t, buf, strlen(buf));
}

/* -------------------------------------------------------- conversations */

rp_status rp_jeach(rp_jctx *c, const cJSON *root, rp_jconv_fn conv, const char *what)
{
    if (cJSON_IsObject(root))
        return conv(c, root, "$");
    if (!cJSON_IsArray(root)) {
        rp_jerr(c, "$", "expected %s, found %s", what, type_name(root));
        return RP_EINPUT;
    }
    char p[RP_JPATH_MAX];
    size_t i = 0;
    for (const cJSON *e = root->child; e; e = e->next, i++) {
        rp_status st = conv(c, e, rp_jp_idx(p, sizeof p, "$", i));
        if (st != RP_OK)
            return st;
    }
    return RP_OK;
}

rp_status rp_buf_para(rp_buf *b, const char *s)
{
    if (!s || !*s)
        return RP_OK;
    if (b->len && rp_buf_puts(b, "\n\n") != RP_OK)
        return RP_ELIMIT;
    return rp_buf_puts(b, s) == RP_OK ? RP_OK : RP_ELIMIT;
}

rp_status rp_jnew(rp_jctx *c, rp_transcript **t)
{
    *t = NULL;
    if (c->pending) {
        /* a line of another format ends a conversation spread over lines */
        rp_transcript *p = c->pending;
        c->pending = NULL;
        rp_status st = rp_jpush(c, p);
        if (st != RP_OK)
            return st;
    }
    if (c->out->n >= RP_MAX_CONVERSATIONS) {
        rp_diag_add(c->d, c->label, c->line, 0, "more than %d conversations in one input",
                    RP_MAX_CONVERSATIONS);
        return RP_ELIMIT;
    }
    *t = rp_tb_new(c->label, c->format);
    if (!*t) {
        rp_diag_add(c->d, c->label, 0, 0, "out of memory");
        return RP_ENOMEM;
    }
    rp_acc_start(&c->acc, *t, c->opts->max_bytes ? c->opts->max_bytes : RP_MAX_INPUT_DEFAULT);
    return RP_OK;
}

static rp_status acc_error(rp_jctx *c, const char *path, rp_status st)
{
    if (st == RP_ELIMIT)
        rp_jerr(c, path, "a turn larger than %zu bytes", c->acc.buf.max);
    else if (st != RP_OK)
        rp_jerr(c, path, "out of memory");
    return st;
}

rp_status rp_jturn(rp_jctx *c, const char *path, rp_role role, const char *text,
                   size_t n, const char *time, const char *model)
{
    rp_transcript *t = c->acc.t;
    if (model && !*model)
        model = NULL;
    if (role != RP_ROLE_MODEL)
        model = NULL;
    else if (model && !t->model && !(t->model = rp_tb_str(t, model, strlen(model))))
        return acc_error(c, path, RP_ENOMEM);
    return acc_error(c, path, rp_acc_add(&c->acc, role, text, n, c->line, time, model));
}

void rp_jdrop(rp_jctx *c, rp_transcript *t)
{
    rp_acc_discard(&c->acc);
    rp_transcript_free(t);
}

rp_status rp_jpush(rp_jctx *c, rp_transcript *t)
{
    if (!t)
        return RP_OK;
    rp_status st = acc_error(c, "$", rp_acc_finish(&c->acc));
    if (st != RP_OK) {
        rp_transcript_free(t);
        return st;
    }
    if (t->n_turns == 0) {
        rp_transcript_free(t);
        c->dropped++;
        return RP_OK;
    }
    if (rp_tset_push(c->out, t) != RP_OK) {
        rp_transcript_free(t);
        rp_diag_add(c->d, c->label, 0, 0, "out of memory");
        return RP_ENOMEM;
    }
    return RP_OK;
}

/* ------------------------------------------------------- shared shapes */

bool rp_jrole(const char *r, rp_role *role, bool *skip)
{
    static const char *const users[] = {"user", "human", NULL};
    static const char *const models[] = {"assistant", "model", "ai", "bot", "gpt", NULL};
    static const char *const others[] = {"system", "developer", "tool", "function", "ipython", NULL};
    *skip = false;
    for (int i = 0; users[i]; i++)
        if (strcasecmp(r, users[i]) == 0) {
            *role = RP_ROLE_USER;
            return true;
        }
    for (int i = 0; models[i]; i++)
        if (strcasecmp(r, models[i]) == 0) {
            *role = RP_ROLE_MODEL;
            return true;
        }
    for (int i = 0; others[i]; i++)
        if (strcasecmp(r, others[i]) == 0) {
            *skip = true;
            return true;
        }
    return false;
}

rp_status rp_jparts(rp_jctx *c, const cJSON *content, const char *path, rp_buf *b)
{
    char p[RP_JPATH_MAX];
    if (!content || cJSON_IsNull(content))
        return RP_OK;
    if (cJSON_IsString(content))
        return rp_buf_para(b, content->valuestring);
    if (!cJSON_IsArray(content)) {
        rp_jerr(c, path, "expected a string, a list of parts or null");
        return RP_EINPUT;
    }
    size_t i = 0;
    for (const cJSON *part = content->child; part; part = part->next, i++) {
        rp_jp_idx(p, sizeof p, path, i);
        const char *add = NULL;
        if (cJSON_IsString(part)) {
            add = part->valuestring;
        } else if (cJSON_IsObject(part)) {
            const char *type;
            if (rp_jstr(c, part, "type", p, &type) != RP_OK)
                return RP_EINPUT;
            if (!type || strcmp(type, "text") == 0 || strcmp(type, "input_text") == 0 ||
                strcmp(type, "output_text") == 0) {
                /* "value" in place of "text": LLaMA-Factory's parts */
                if (rp_jstr(c, part, "text", p, &add) != RP_OK ||
                    (!add && rp_jstr(c, part, "value", p, &add) != RP_OK))
                    return RP_EINPUT;
            } else if (strcmp(type, "refusal") == 0) {
                if (rp_jstr(c, part, "refusal", p, &add) != RP_OK)
                    return RP_EINPUT;
            } else if (strstr(type, "image")) {
                add = "[image]";
            }
            /* reasoning, audio, files and tool parts are not graded text */
        } else if (!cJSON_IsNull(part)) {
            rp_jerr(c, p, "expected a content part (an object or a string)");
            return RP_EINPUT;
        }
        if (rp_buf_para(b, add) != RP_OK)
            return RP_ELIMIT;
    }
    return RP_OK;
}

void rp_jmissing(rp_jctx *c, const char *path, const cJSON *obj, const char *what)
{
    char keys[160];
    size_t w = 0;
    keys[0] = '\0';
    int k = 0;
    for (const cJSON *e = cJSON_IsObject(obj) ? obj->child : NULL; e && k < 6; e = e->next, k++) {
        int m = snprintf(keys + w, sizeof keys - w, "%s%.24s", k ? ", " : "", e->string ? e->string : "");
        if (m < 0 || (size_t)m >= sizeof keys - w)
            break;
        w += (size_t)m;
    }
    const char *hint = rp_json_obj_format(obj);
    if (hint && strcmp(hint, c->format) != 0)
        rp_jerr(c, path, "%s (read as %s); its keys (%s) are those of %s: try --input-format %s",
                what, c->format, keys, hint, hint);
    else if (!c->opts->format && strcmp(path, "$") == 0)
        /* detection fell back to this format: say what it looked for */
        rp_jerr(c, path, "%s (keys found: %s); no JSON transcript format matches (tried %s)", what,
                k ? keys : "none", rp_json_format_keys());
    else if (k)
        rp_jerr(c, path, "%s (read as %s; keys found: %s)", what, c->format, keys);
    else
        rp_jerr(c, path, "%s (read as %s)", what, c->format);
}

rp_status rp_jlist(rp_jctx *c, const cJSON *list, const char *list_path, const char *title,
                   const char *model, rp_jmsg_fn fn)
{
    char p[RP_JPATH_MAX];
    rp_transcript *t;
    rp_status st = rp_jnew(c, &t);
    if (st != RP_OK)
        return st;
    if (title && *title)
        t->title = rp_tb_str(t, title, strlen(title));
    if (model && *model)
        t->model = rp_tb_str(t, model, strlen(model));
    rp_buf b;
    rp_buf_init(&b, c->opts->max_bytes ? c->opts->max_bytes : RP_MAX_INPUT_DEFAULT);
    size_t i = 0;
    for (const cJSON *m = list->child; m && st == RP_OK; m = m->next, i++) {
        rp_jp_idx(p, sizeof p, list_path, i);
        rp_buf_clear(&b);
        st = fn(c, t, m, p, i, &b);
    }
    rp_buf_free(&b);
    if (st != RP_OK) {
        rp_jdrop(c, t);
        return st;
    }
    return rp_jpush(c, t);
}

/* ------------------------------------------------------------ tree walk */

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

rp_status rp_jtree_path(rp_jctx *c, const cJSON *nodes, const char *nodes_path,
                        const char *start, const char *start_path,
                        const char *parent_key, bool orphan_is_root,
                        const cJSON ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t count = 0;
    for (const cJSON *e = nodes ? nodes->child : NULL; e; e = e->next)
        count++;
    size_t cap = 16;
    while (cap < 2 * count)
        cap *= 2;
    const cJSON **slot = calloc(cap, sizeof *slot);
    unsigned char *seen = calloc(cap, 1);
    const cJSON **list = malloc((count + 1) * sizeof *list);
    rp_status st = RP_OK;
    if (!slot || !seen || !list) {
        rp_diag_add(c->d, c->label, 0, 0, "out of memory");
        st = RP_ENOMEM;
        goto done;
    }
    for (const cJSON *e = nodes ? nodes->child : NULL; e; e = e->next) {
        if (!e->string)
            continue;
        size_t i = (size_t)hash_str(e->string) & (cap - 1);
        while (slot[i] && strcmp(slot[i]->string, e->string) != 0)
            i = (i + 1) & (cap - 1);
        if (!slot[i])
            slot[i] = e; /* the first of duplicate keys wins, as in cJSON */
    }
    char where[RP_JPATH_MAX], node_path[RP_JPATH_MAX];
    snprintf(where, sizeof where, "%s", start_path);
    const char *id = start;
    size_t len = 0;
    for (;;) {
        size_t i = (size_t)hash_str(id) & (cap - 1);
        while (slot[i] && strcmp(slot[i]->string, id) != 0)
            i = (i + 1) & (cap - 1);
        if (!slot[i] && len > 0 && orphan_is_root)
            break;
        if (!slot[i]) {
            rp_jerr(c, where, "no node '%.80s' in %s", id, nodes_path);
            st = RP_EINPUT;
            break;
        }
        if (seen[i]) {
            rp_jerr(c, where, "parent links form a loop (node '%.80s' is reached twice)", id);
            st = RP_EINPUT;
            break;
        }
        seen[i] = 1;
        const cJSON *node = slot[i];
        rp_jp_key(node_path, sizeof node_path, nodes_path, node->string);
        if (!cJSON_IsObject(node)) {
            rp_jerr(c, node_path, "expected an object, found %s", type_name(node));
            st = RP_EINPUT;
            break;
        }
        list[len++] = node;
        const char *parent;
        st = rp_jstr(c, node, parent_key, node_path, &parent);
        if (st != RP_OK || !parent)
            break;
        rp_jp_key(where, sizeof where, node_path, parent_key);
        id = parent;
    }
    if (st == RP_OK) {
        for (size_t a = 0, b = len; a + 1 < b; a++, b--) {
            const cJSON *tmp = list[a];
            list[a] = list[b - 1];
            list[b - 1] = tmp;
        }
        *out = list;
        *n = len;
        list = NULL;
    }
done:
    free(slot);
    free(seen);
    free(list);
    return st;
}

/* ------------------------------------------------------- JSON and JSONL */

size_t rp_json_string_end(const char *s, size_t n, size_t i)
{
    size_t start = i;
    for (;;) {
        const char *q = i < n ? memchr(s + i, '"', n - i) : NULL;
        if (!q)
            return n;
        size_t k = (size_t)(q - s);
        /* The backslashes right before the quote pair up from the first
         * one: an odd run escapes it.  Each run is looked at once, since
         * it ends at the previous quote or at the start. */
        size_t b = k;
        while (b > start && s[b - 1] == '\\')
            b--;
        if (((k - b) & 1) == 0)
            return k;
        i = k + 1;
    }
}

/* What scan_value learnt about one JSON value. */
typedef struct jscan {
    bool ok;     /* nesting stays within the limit */
    size_t end;  /* offset just past the value (n when it never closes) */
    size_t deep; /* !ok: offset of the bracket that went too deep */
    bool open;   /* it never closes, and no wrong closing bracket was seen */
} jscan;

/* Scan one JSON value starting at s[0] (after white space) into *r: where
 * it ends, whether it is left open (a truncated text, unless a closing
 * bracket of the wrong kind showed a syntax error first), and whether its
 * nesting passes max_depth (then r->deep is the offending bracket and the
 * scan stops there).  String bodies are jumped over with memchr, so the
 * cost is in the brackets and punctuation, not in the message text. */
static void scan_value(const char *s, size_t n, size_t max_depth, jscan *r)
{
    enum { TRACK = 1024 };          /* bracket kinds remembered this deep */
    unsigned char kinds[TRACK / 8]; /* bit set: '[' at that depth */
    bool mismatch = false, in_str = false;
    size_t depth = 0;
    size_t i = 0;
    memset(kinds, 0, sizeof kinds);
    r->ok = true;
    r->deep = 0;
    r->open = false;
    while (i < n && isspace((unsigned char)s[i]))
        i++;
    if (i < n && s[i] != '{' && s[i] != '[' && s[i] != '"') {
        /* a bare scalar: up to white space */
        while (i < n && !isspace((unsigned char)s[i]))
            i++;
        r->end = i;
        return;
    }
    for (; i < n; i++) {
        char ch = s[i];
        if (ch == '"') {
            i = rp_json_string_end(s, n, i + 1);
            if (i >= n) {
                in_str = true; /* it never closes */
                break;
            }
            if (depth == 0) {
                r->end = i + 1;
                return;
            }
        } else if (ch == '{' || ch == '[') {
            if (depth < TRACK) {
                unsigned char bit = (unsigned char)(1u << (depth % 8));
                if (ch == '[')
                    kinds[depth / 8] |= bit;
                else
                    kinds[depth / 8] &= (unsigned char)~bit;
            }
            if (++depth > max_depth) {
                r->ok = false;
                r->deep = i;
                return;
            }
        } else if (ch == '}' || ch == ']') {
            if (depth == 0) {
                r->end = i + 1;
                return;
            }
            depth--;
            if (depth < TRACK && ((kinds[depth / 8] >> (depth % 8)) & 1) != (ch == ']'))
                mismatch = true;
            if (depth == 0) {
                r->end = i + 1;
                return;
            }
        }
    }
    r->end = n;
    r->open = (depth > 0 || in_str) && !mismatch;
}

static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isspace((unsigned char)s[i]))
            return false;
    return true;
}

/* The nesting limit: the option, never more than the parser takes (a
 * deeper limit could not take effect: cJSON would refuse the document with
 * a misleading syntax error instead). */
static size_t max_depth_of(const rp_ingest_opts *opts)
{
    _Static_assert(RP_INGEST_MAX_DEPTH <= CJSON_NESTING_LIMIT, "cJSON nests less deep");
    size_t m = opts->max_depth ? opts->max_depth : 256;
    return m < RP_INGEST_MAX_DEPTH ? m : RP_INGEST_MAX_DEPTH;
}

/* cJSON's memory while it parses a document: one arena per document
 * (rp_cjson_arena(), set around cJSON_ParseWithLengthOpts() alone) instead
 * of a malloc per value and string and a free of each in cJSON_Delete().
 * Where cJSON's hooks are not redpen's, the arena stays empty and the tree
 * is deleted as before: read_doc() tells by rp_arena_used(). */
/* Parse p[0..len) with cJSON; *err_off is where parsing stopped.  An
 * escaped NUL (\u0000) would end its string there (cJSON's strings end at
 * a NUL), and the rest of the turn was lost: each is read as a space
 * instead (the escape keeps its length, so positions hold) and counted in
 * *nuls.  The escapes are looked for from their first '0' (digits are far
 * rarer than the backslashes of LaTeX): "\u0000" there is an escape when
 * the run of backslashes that ends with its own is odd (pairs are escaped
 * backslashes).  That run lies after the previous match, so each byte is
 * looked at a bounded number of times.  The tree is built in arena when
 * it is not NULL (rp_cjson_arena()). */
static cJSON *parse_json(const char *p, size_t len, rp_arena *arena, size_t *err_off,
                         size_t *nuls)
{
    char *copy = NULL;
    *nuls = 0;
    for (const char *z = p; (z = memchr(z, '0', (size_t)(p + len - z))) != NULL;) {
        size_t at = (size_t)(z - p); /* the escape's backslash would be at at - 2 */
        if (at < 2 || len - (at - 2) < 6 || memcmp(z - 2, "\\u0000", 6) != 0) {
            z++;
            continue;
        }
        const char *u = z - 2;
        z = u + 6;
        size_t run = 1; /* the backslashes that end at u */
        while (run <= at - 2 && u[-(ptrdiff_t)run] == '\\')
            run++;
        if (run % 2 == 0)
            continue;
        if (!copy && (copy = malloc(len + 1)) != NULL)
            memcpy(copy, p, len);
        if (!copy)
            break; /* no memory for the copy: parsed as it is */
        memcpy(copy + (u - p) + 2, "0020", 4);
        (*nuls)++;
    }
    const char *src = copy ? copy : p;
    const char *err = NULL;
    rp_arena *before = rp_cjson_arena(arena);
    cJSON *root = cJSON_ParseWithLengthOpts(src, len, &err, 0);
    rp_cjson_arena(before);
    *err_off = err && err >= src && err <= src + len ? (size_t)(err - src) : root ? len : 0;
    free(copy);
    return root;
}

/* Free the tree root that parse_json() built with arena: with the arena
 * when it is there (json_alloc() put the tree in it), else node by node. */
static void drop_tree(cJSON *root, rp_arena *arena)
{
    if (!arena || rp_arena_used(arena) == 0)
        cJSON_Delete(root);
    rp_arena_free(arena);
}

/* Parse the document p[0..len) (inside c->data), whose scan_value is sc,
 * and convert it. */
static rp_status read_doc(rp_jctx *c, const char *p, size_t len, const jscan *sc,
                          rp_jdoc_fn fn)
{
    size_t max_depth = max_depth_of(c->opts);
    unsigned line, col;
    if (!sc->ok) {
        rp_line_col(c->data, c->n, (size_t)(p - c->data) + sc->deep, &line, &col);
        rp_diag_add(c->d, c->label, line, col,
                    "JSON nested deeper than %zu levels (raise the limit with --max-depth)",
                    max_depth);
        return RP_EINPUT;
    }
    size_t err_off, nuls;
    /* no arena (out of memory): cJSON mallocs as it would anyway */
    rp_arena *arena = rp_arena_new(SIZE_MAX);
    cJSON *root = parse_json(p, len, arena, &err_off, &nuls);
    if (!root) {
        rp_arena_free(arena);
        size_t off = err_off;
        if (sc->open) {
            off = len;
            while (off > 0 && isspace((unsigned char)p[off - 1]))
                off--;
        }
        rp_line_col(c->data, c->n, (size_t)(p - c->data) + off, &line, &col);
        if (blank(p + off, len - off)) {
            rp_diag_add(c->d, c->label, line, col,
                        "invalid JSON: the text ends inside a value (truncated file?)");
        } else {
            char near[24];
            size_t k = 0;
            for (size_t i = off; i < len && k < 16 && p[i] != '\n'; i++)
                near[k++] = (unsigned char)p[i] < 0x20 ? ' ' : p[i];
            /* do not cut a UTF-8 sequence */
            while (k && ((unsigned char)near[k - 1] & 0xC0) == 0x80)
                k--;
            if (k && ((unsigned char)near[k - 1] & 0xC0) == 0xC0)
                k--;
            near[k] = '\0';
            rp_diag_add(c->d, c->label, line, col, "invalid JSON near '%s'", near);
        }
        return RP_EINPUT;
    }
    size_t used = err_off;
    if (!blank(p + used, len - used)) {
        rp_line_col(c->data, c->n, (size_t)(p - c->data) + used, &line, &col);
        rp_diag_add(c->d, c->label, line, col, "unexpected text after the JSON value");
        drop_tree(root, arena);
        return RP_EINPUT;
    }
    size_t before = c->out->n;
    rp_status st = fn(c, root);
    drop_tree(root, arena);
    for (size_t i = before; i < c->out->n && st == RP_OK && nuls; i++)
        st = rp_tb_warn(c->out->items[i], "%zu NUL character%s (\\u0000) in JSON text read as "
                                          "a space", nuls, nuls == 1 ? "" : "s");
    return st;
}

/* The documents of one JSONL line whose format was not given: those of
 * the format its keys name (*format set to it), else fn. */
static rp_jdoc_fn doc_for_line(const char *s, size_t n, rp_jdoc_fn fn, const char **format)
{
    const char *f = rp_json_line_format(s, n);
    rp_jdoc_fn g = f ? rp_doc_for(f, format) : NULL;
    return g ? g : fn;
}

/* After a read that ended with st: say that conversations without a
 * single turn were skipped, on every conversation read (each report then
 * tells), or as the reason when none is left. */
static rp_status dropped_warning(rp_jctx *c, rp_status st)
{
    if (st != RP_OK || !c->dropped)
        return st;
    if (c->out->n == 0) {
        rp_diag_add(c->d, c->label, 0, 0, "%zu conversation%s, none with a user or model message",
                    c->dropped, c->dropped == 1 ? "" : "s");
        return RP_OK; /* the caller reports that nothing was found */
    }
    for (size_t i = 0; i < c->out->n; i++)
        if (rp_tb_warn(c->out->items[i], "%zu empty conversation%s in this input skipped",
                       c->dropped, c->dropped == 1 ? "" : "s") != RP_OK)
            return RP_ENOMEM;
    return RP_OK;
}

/* End a read that ended with st: push the conversation still pending
 * (or drop it after an error), then warn about skipped empty ones. */
static rp_status read_end(rp_jctx *c, rp_status st)
{
    if (c->pending) {
        rp_transcript *t = c->pending;
        c->pending = NULL;
        if (st == RP_OK)
            st = rp_jpush(c, t);
        else
            rp_jdrop(c, t);
    }
    return dropped_warning(c, st);
}

rp_status rp_json_read(const char *label, const char *data, size_t n,
                       const rp_ingest_opts *opts, rp_transcript_set *out,
                       rp_diags *d, const char *format, rp_jdoc_fn fn)
{
    rp_ingest_opts zero;
    if (!opts) {
        memset(&zero, 0, sizeof zero);
        opts = &zero;
    }
    rp_jctx c;
    memset(&c, 0, sizeof c);
    c.label = label;
    c.data = data;
    c.n = n;
    c.opts = opts;
    c.out = out;
    c.d = d;
    c.format = format;
    /* One scan of the first value tells whether more values follow it
     * (JSONL) and, for a single document, checks its depth too. */
    jscan sc;
    scan_value(data, n, max_depth_of(opts), &sc);
    bool lines = false;
    if (sc.ok) {
        /* JSONL: another value follows the first one on a later line. */
        size_t i = sc.end;
        bool newline = false;
        while (i < n && isspace((unsigned char)data[i])) {
            if (data[i] == '\n')
                newline = true;
            i++;
        }
        lines = i < n && newline;
    }
    if (!lines)
        return read_end(&c, read_doc(&c, data, n, &sc, fn));
    size_t start = 0;
    unsigned line = 1;
    while (start < n) {
        const char *nl = memchr(data + start, '\n', n - start);
        size_t stop = nl ? (size_t)(nl - data) : n;
        if (!blank(data + start, stop - start)) {
            c.line = line;
            rp_jdoc_fn line_fn = fn;
            c.format = format;
            if (!opts->format)
                line_fn = doc_for_line(data + start, stop - start, fn, &c.format);
            scan_value(data + start, stop - start, max_depth_of(opts), &sc);
            rp_status st = read_doc(&c, data + start, stop - start, &sc, line_fn);
            if (st != RP_OK)
                return read_end(&c, st);
        }
        start = stop + 1;
        line++;
    }
    return read_end(&c, RP_OK);
}

/* ------------------------------------------------------ hidden reasoning */

static const char *const hidden_tags[] = {"think", "thinking", "reasoning", "details", NULL};

/* If s[i..n) opens (close false) or closes tag name, the length of the tag
 * through its '>', else 0. */
static size_t tag_at(const char *s, size_t n, size_t i, const char *name, bool close)
{
    size_t k = strlen(name);
    size_t j = i + 1 + (close ? 1 : 0);
    if (i >= n || s[i] != '<' || (close && (j > n || s[i + 1] != '/')))
        return 0;
    if (j + k > n)
        return 0;
    for (size_t a = 0; a < k; a++)
        if (tolower((unsigned char)s[j + a]) != name[a])
            return 0;
    j += k;
    if (j >= n || !(s[j] == '>' || s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r'))
        return 0;
    const char *gt = memchr(s + j, '>', n - j);
    if (!gt)
        return 0;
    return (size_t)(gt - (s + i)) + 1;
}

/* The end of the block opened by tag name at s[i] (open tag length k). */
static size_t block_end(const char *s, size_t n, size_t i, size_t k, const char *name)
{
    size_t depth = 1;
    size_t j = i + k;
    while (j < n) {
        const char *lt = memchr(s + j, '<', n - j);
        if (!lt)
            return n;
        j = (size_t)(lt - s);
        size_t m;
        if ((m = tag_at(s, n, j, name, true)) != 0) {
            if (--depth == 0)
                return j + m;
        } else if ((m = tag_at(s, n, j, name, false)) != 0) {
            depth++;
        } else {
            m = 1;
        }
        j += m;
    }
    return n;
}

/* Length of the run of ch at s[i..n). */
static size_t run_of(const char *s, size_t n, size_t i, char ch)
{
    size_t k = i;
    while (k < n && s[k] == ch)
        k++;
    return k - i;
}

/* The end of the inline code span opened by the run of k backticks at
 * s[i]: just past the closing run of exactly k on the same line, looked
 * for within INLINE_MAX bytes (a bound that keeps a line of stray
 * backticks linear); i + k when there is none (the run is literal). */
#define INLINE_MAX 4096
static size_t inline_code_end(const char *s, size_t n, size_t i, size_t k)
{
    size_t lim = i + k + INLINE_MAX < n ? i + k + INLINE_MAX : n;
    for (size_t j = i + k; j < lim && s[j] != '\n';) {
        if (s[j] != '`') {
            j++;
            continue;
        }
        size_t m = run_of(s, n, j, '`');
        if (m == k)
            return j + m;
        j += m;
    }
    return i + k;
}

/* The end of the line holding s[i] (its '\n', or n). */
static size_t line_end(const char *s, size_t n, size_t i)
{
    const char *nl = memchr(s + i, '\n', n - i);
    return nl ? (size_t)(nl - s) : n;
}

/* The length of a hidden-reasoning block opening at s[r] (through its
 * closing tag, nested ones too; an unclosed block runs to the end), or 0. */
static size_t hidden_block(const char *s, size_t n, size_t r)
{
    for (int t = 0; hidden_tags[t]; t++) {
        size_t k = tag_at(s, n, r, hidden_tags[t], false);
        if (k)
            return block_end(s, n, r, k, hidden_tags[t]) - r;
    }
    return 0;
}

/* The first of '\n', '`' and '<' at or after s[i] (n when none): the
 * bytes that can end a run of running text for strip_hidden().  Eight
 * bytes at a time (redpen/bytes.h): a word is skipped only when none of
 * its bytes is one of the three; the byte loop then finds the first. */
static size_t text_run_end(const char *s, size_t n, size_t i)
{
    for (; i + 8 <= n; i += 8) {
        uint64_t w = rp_load8(s + i);
        if (rp_bytes_eq(w, '\n') | rp_bytes_eq(w, '`') | rp_bytes_eq(w, '<'))
            break;
    }
    while (i < n && s[i] != '\n' && s[i] != '`' && s[i] != '<')
        i++;
    return i;
}

/* Evidence that a tag is a reasoning block and not text about tags: it
 * stands where a block does, first on its line (at the message's start or
 * opening a paragraph), outside fenced and inline code.  A lone </think>
 * outside code ends reasoning that began the text (models that emit only
 * the closing tag), so everything before it goes.
 *
 * With runs set, a byte kept as text outside a fence takes along the run
 * of bytes after it up to the next '\n', '`' or '<' (text_run_end()): each
 * of those, looked at alone, is neither at a line's start (only '\n' and
 * the skips that `continue` set line_start) nor in a fence nor a backtick
 * nor a '<', so it would be kept as one byte of text with no state
 * changed; the run copies them in one move.  Without runs every byte goes
 * through the tests (rp_strip_hidden_bytewise(), which the tests compare
 * with it). */
static size_t strip_hidden(char *s, size_t n, bool runs)
{
    size_t w = 0, r = 0;
    bool fence = false, line_start = true, opened = false;
    char fence_ch = 0;
    size_t fence_len = 0;
    while (r < n) {
        char ch = s[r];
        size_t keep = 1; /* bytes copied as they are */
        if (ch == '\n') {
            s[w++] = s[r++];
            line_start = true;
            continue;
        }
        if (line_start && (ch == ' ' || ch == '\t')) {
            s[w++] = s[r++];
            continue;
        }
        bool at_line = line_start;
        line_start = false;
        size_t k;
        if (at_line && (ch == '`' || ch == '~') && (k = run_of(s, n, r, ch)) >= 3 &&
            (!fence || (ch == fence_ch && k >= fence_len))) {
            if (!fence) {
                fence_ch = ch;
                fence_len = k;
            }
            fence = !fence;
            keep = line_end(s, n, r) - r;
        } else if (fence) {
            keep = line_end(s, n, r) - r;
        } else if (ch == '`') {
            keep = inline_code_end(s, n, r, run_of(s, n, r, '`')) - r;
        } else if (ch == '<' && at_line && (k = hidden_block(s, n, r)) != 0) {
            r += k;
            while (r < n && (s[r] == ' ' || s[r] == '\t' || s[r] == '\n' || s[r] == '\r'))
                r++;
            line_start = true;
            continue;
        } else if (ch == '<' && tag_at(s, n, r, "think", false)) {
            opened = true; /* a tag in a sentence: its closer is not lone */
        } else if (ch == '<' && !opened && (k = tag_at(s, n, r, "think", true)) != 0) {
            r += k;
            w = 0;
            while (r < n && (s[r] == ' ' || s[r] == '\t' || s[r] == '\n' || s[r] == '\r'))
                r++;
            line_start = true;
            continue;
        }
        if (runs && !fence)
            keep = text_run_end(s, n, r + keep) - r;
        if (w != r)
            memmove(s + w, s + r, keep);
        w += keep;
        r += keep;
    }
    if (w < n)
        s[w] = '\0';
    return w;
}

size_t rp_strip_hidden(char *s, size_t n)
{
    return strip_hidden(s, n, true);
}

size_t rp_strip_hidden_bytewise(char *s, size_t n)
{
    return strip_hidden(s, n, false);
}

void rp_acc_start(rp_turnacc *a, rp_transcript *t, size_t max)
{
    memset(a, 0, sizeof *a);
    a->t = t;
    rp_buf_init(&a->buf, max);
}

static rp_status acc_flush(rp_turnacc *a)
{
    if (!a->open)
        return RP_OK;
    a->open = false;
    rp_turn *u = rp_tb_add_turn(a->t, a->role, a->buf.data ? a->buf.data : "", a->buf.len,
                                a->line);
    if (!u)
        return RP_ENOMEM;
    u->time = a->time;
    u->model = a->model;
    return RP_OK;
}

static const char *acc_str(rp_turnacc *a, const char *s)
{
    return s ? rp_tb_str(a->t, s, strlen(s)) : NULL;
}

rp_status rp_acc_add(rp_turnacc *a, rp_role role, const char *text, size_t n,
                     unsigned line, const char *time, const char *model)
{
    char *tmp = NULL;
    if (role == RP_ROLE_MODEL && n && memchr(text, '<', n)) {
        tmp = malloc(n + 1);
        if (!tmp)
            return RP_ENOMEM;
        memcpy(tmp, text, n);
        tmp[n] = '\0';
        n = rp_strip_hidden(tmp, n);
        text = tmp;
    }
    rp_span s = rp_span_trim(rp_span_make(text, n));
    rp_status st = RP_OK;
    if (s.n == 0)
        goto done;
    if (a->open && a->role == role) {
        st = rp_buf_append(&a->buf, "\n\n", 2);
        if (st == RP_OK)
            st = rp_buf_append(&a->buf, s.p, s.n);
        if (!a->time)
            a->time = acc_str(a, time);
        if (!a->model)
            a->model = acc_str(a, model);
        goto done;
    }
    if ((st = acc_flush(a)) != RP_OK)
        goto done;
    rp_buf_clear(&a->buf);
    a->open = true;
    a->role = role;
    a->line = line;
    a->time = acc_str(a, time);
    a->model = acc_str(a, model);
    st = rp_buf_append(&a->buf, s.p, s.n);
done:
    free(tmp);
    return st;
}

rp_status rp_acc_finish(rp_turnacc *a)
{
    rp_status st = acc_flush(a);
    rp_buf_free(&a->buf);
    return st;
}

void rp_acc_discard(rp_turnacc *a)
{
    a->open = false;
    rp_buf_free(&a->buf);
}
