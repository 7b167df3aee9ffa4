/*
 * Readers for OpenAI-style message lists: {"messages":[…]} with an optional
 * top-level model and title, a bare array of messages, an array of such
 * conversations, or JSONL with one conversation per line.  A message's
 * content is a string, a list of parts (text parts kept, with "value" in
 * place of "text" as LLaMA-Factory writes them, images noted as "[image]",
 * reasoning parts dropped) or null when it only calls tools.  Only user and
 * assistant messages become turns.  Two relatives read here too: LMSYS-Chat
 * rows ({"model", "conversation":[{role, content}]}) and the OpenAI
 * Responses API ({"input": text or items, "output": items}, a request, a
 * response object or both), whose message items become turns while
 * reasoning, tool calls and their outputs stay out.
 */
#include "fmt_util.h"

#include <stdio.h>
#include <string.h>

/* The text of a content value (string, parts or null) in *out: a string is
 * used where it is, in the parsed tree (it is copied once, into the
 * transcript); the parts of a list are joined in b.  RP_ELIMIT when the
 * text would not fit in b. */
static rp_status content_text(rp_jctx *c, const cJSON *content, const char *path,
                              rp_buf *b, rp_span *out)
{
    *out = rp_span_make("", 0);
    if (cJSON_IsString(content)) {
        size_t n = strlen(content->valuestring);
        if (n > b->max)
            return RP_ELIMIT;
        *out = rp_span_make(content->valuestring, n);
        return RP_OK;
    }
    rp_status st = rp_jparts(c, content, path, b);
    if (st == RP_OK)
        *out = rp_span_make(b->data ? b->data : "", b->len);
    return st;
}

static const cJSON *first_of(const cJSON *o, const char *const *keys)
{
    for (int i = 0; keys[i]; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, keys[i]);
        if (v && !cJSON_IsNull(v))
            return v;
    }
    return NULL;
}

/* One conversation: msgs (an array at path) with meta (the object holding
 * it, or NULL) for model and title. */
static rp_status conversation(rp_jctx *c, const cJSON *msgs, const char *path,
                              const cJSON *meta, const char *meta_path)
{
    static const char *const time_keys[] = {"created_at", "timestamp", "created", "time", NULL};
    rp_transcript *t;
    rp_status st = rp_jnew(c, &t);
    if (st != RP_OK)
        return st;
    const char *model = NULL, *title = NULL;
    if (meta && ((st = rp_jstr(c, meta, "model", meta_path, &model)) != RP_OK ||
                 (st = rp_jstr(c, meta, "title", meta_path, &title)) != RP_OK))
        goto fail;
    if (model && *model)
        t->model = rp_tb_str(t, model, strlen(model));
    if (title && *title)
        t->title = rp_tb_str(t, title, strlen(title));
    rp_buf b;
    rp_buf_init(&b, c->opts->max_bytes ? c->opts->max_bytes : RP_MAX_INPUT_DEFAULT);
    char p[RP_JPATH_MAX], q[RP_JPATH_MAX];
    size_t i = 0;
    for (const cJSON *m = msgs->child; m; m = m->next, i++) {
        rp_jp_idx(p, sizeof p, path, i);
        if (!cJSON_IsObject(m)) {
            rp_jerr(c, p, "expected a message object");
            st = RP_EINPUT;
            break;
        }
        const char *r, *mmodel;
        if ((st = rp_jstr(c, m, "role", p, &r)) != RP_OK ||
            (st = rp_jstr(c, m, "model", p, &mmodel)) != RP_OK)
            break;
        if (!r) {
            char what[64];
            snprintf(what, sizeof what, "message %zu has no \"role\"", i + 1);
            rp_jmissing(c, p, m, what);
            st = RP_EINPUT;
            break;
        }
        rp_role role;
        bool skip;
        if (!rp_jrole(r, &role, &skip)) {
            rp_jerr(c, rp_jp_key(q, sizeof q, p, "role"),
                    "unknown role '%.40s' (expected user, assistant, system, developer or tool)", r);
            st = RP_EINPUT;
            break;
        }
        if (skip)
            continue;
        rp_buf_clear(&b);
        rp_span text;
        st = content_text(c, cJSON_GetObjectItemCaseSensitive(m, "content"),
                          rp_jp_key(q, sizeof q, p, "content"), &b, &text);
        if (st == RP_ELIMIT)
            rp_jerr(c, q, "text larger than the input limit");
        if (st != RP_OK)
            break;
        st = rp_jturn(c, p, role, text.p, text.n,
                      rp_jtime(t, first_of(m, time_keys)), role == RP_ROLE_MODEL ? mmodel : NULL);
        if (st != RP_OK)
            break;
    }
    rp_buf_free(&b);
    if (st != RP_OK)
        goto fail;
    return rp_jpush(c, t);
fail:
    rp_jdrop(c, t);
    return st;
}

static bool looks_like_message(const cJSON *v)
{
    return cJSON_IsObject(v) && (cJSON_GetObjectItemCaseSensitive(v, "role") ||
                                 cJSON_GetObjectItemCaseSensitive(v, "content"));
}

rp_status rp_doc_openai(rp_jctx *c, const cJSON *root)
{
    if (cJSON_IsObject(root)) {
        const cJSON *msgs;
        if (rp_jarr(c, root, "messages", "$", &msgs) != RP_OK)
            return RP_EINPUT;
        if (!msgs) {
            rp_jmissing(c, "$", root, "no \"messages\" array");
            return RP_EINPUT;
        }
        return conversation(c, msgs, "$.messages", root, "$");
    }
    if (!cJSON_IsArray(root)) {
        rp_jerr(c, "$", "expected an object with \"messages\" or an array of messages");
        return RP_EINPUT;
    }
    if (!root->child || looks_like_message(root->child))
        return conversation(c, root, "$", NULL, NULL);
    char p[RP_JPATH_MAX], q[RP_JPATH_MAX];
    size_t i = 0;
    for (const cJSON *e = root->child; e; e = e->next, i++) {
        rp_jp_idx(p, sizeof p, "$", i);
        rp_status st;
        if (cJSON_IsArray(e)) {
            st = conversation(c, e, p, NULL, NULL);
        } else if (cJSON_IsObject(e)) {
            const cJSON *msgs;
            if (rp_jarr(c, e, "messages", p, &msgs) != RP_OK)
                return RP_EINPUT;
            if (!msgs) {
                rp_jmissing(c, p, e, "no \"messages\" array in this conversation");
                return RP_EINPUT;
            }
            st = conversation(c, msgs, rp_jp_key(q, sizeof q, p, "messages"), e, p);
        } else {
            rp_jerr(c, p, "expected a conversation (an object with \"messages\" or an array)");
            return RP_EINPUT;
        }
        if (st != RP_OK)
            return st;
    }
    return RP_OK;
}

rp_status rp_read_openai(const char *label, const char *data, size_t n,
                         const rp_ingest_opts *opts, rp_transcript_set *out,
                         rp_diags *d)
{
    return rp_json_read(label, data, n, opts, out, d, "openai", rp_doc_openai);
}

/* ------------------------------------------------------------- LMSYS */

static rp_status lmsys_row(rp_jctx *c, const cJSON *row, const char *path)
{
    char p[RP_JPATH_MAX];
    const cJSON *conv;
    if (!cJSON_IsObject(row)) {
        rp_jerr(c, path, "expected a row object with \"conversation\"");
        return RP_EINPUT;
    }
    if (rp_jarr(c, row, "conversation", path, &conv) != RP_OK)
        return RP_EINPUT;
    if (!conv) {
        rp_jmissing(c, path, row, "no \"conversation\" array");
        return RP_EINPUT;
    }
    return conversation(c, conv, rp_jp_key(p, sizeof p, path, "conversation"), row, path);
}

rp_status rp_doc_lmsys(rp_jctx *c, const cJSON *root)
{
    return rp_jeach(c, root, lmsys_row, "LMSYS-Chat rows (an object or an array)");
}

rp_status rp_read_lmsys(const char *label, const char *data, size_t n,
                        const rp_ingest_opts *opts, rp_transcript_set *out,
                        rp_diags *d)
{
    return rp_json_read(label, data, n, opts, out, d, "lmsys", rp_doc_lmsys);
}

/* ------------------------------------------------------ Responses API */

/* One input or output item (or the whole input when it is a string). */
static rp_status response_item(rp_jctx *c, const cJSON *item, const char *path, rp_buf *b,
                               const char *time, const char *model)
{
    if (cJSON_IsString(item))
        return rp_jturn(c, path, RP_ROLE_USER, item->valuestring, strlen(item->valuestring),
                        time, NULL);
    if (!cJSON_IsObject(item)) {
        rp_jerr(c, path, "expected an item object or a string");
        return RP_EINPUT;
    }
    const char *type, *r;
    if (rp_jstr(c, item, "type", path, &type) != RP_OK || rp_jstr(c, item, "role", path, &r) != RP_OK)
        return RP_EINPUT;
    /* reasoning, function_call(_output), web_search_call, …: not turns */
    if ((type && strcmp(type, "message") != 0) || !r)
        return RP_OK;
    rp_role role;
    bool skip;
    if (!rp_jrole(r, &role, &skip)) {
        char q[RP_JPATH_MAX];
        rp_jerr(c, rp_jp_key(q, sizeof q, path, "role"), "unknown role '%.40s'", r);
        return RP_EINPUT;
    }
    if (skip)
        return RP_OK;
    char q[RP_JPATH_MAX];
    rp_buf_clear(b);
    rp_status st = rp_jparts(c, cJSON_GetObjectItemCaseSensitive(item, "content"),
                             rp_jp_key(q, sizeof q, path, "content"), b);
    if (st == RP_ELIMIT)
        rp_jerr(c, q, "text larger than the input limit");
    if (st != RP_OK)
        return st;
    return rp_jturn(c, path, role, b->data ? b->data : "", b->len, time,
                    role == RP_ROLE_MODEL ? model : NULL);
}

static rp_status response_doc(rp_jctx *c, const cJSON *obj, const char *path)
{
    static const char *const keys[] = {"input", "output"};
    char p[RP_JPATH_MAX], q[RP_JPATH_MAX];
    if (!cJSON_IsObject(obj)) {
        rp_jerr(c, path, "expected a Responses API object with \"input\" or \"output\"");
        return RP_EINPUT;
    }
    const char *model;
    if (rp_jstr(c, obj, "model", path, &model) != RP_OK)
        return RP_EINPUT;
    const cJSON *in = cJSON_GetObjectItemCaseSensitive(obj, "input");
    const cJSON *outp = cJSON_GetObjectItemCaseSensitive(obj, "output");
    if (!in && !outp) {
        rp_jmissing(c, path, obj, "no \"input\" or \"output\"");
        return RP_EINPUT;
    }
    rp_transcript *t;
    rp_status st = rp_jnew(c, &t);
    if (st != RP_OK)
        return st;
    if (model && *model)
        t->model = rp_tb_str(t, model, strlen(model));
    else
        model = NULL;
    const char *time = rp_jtime(t, cJSON_GetObjectItemCaseSensitive(obj, "created_at"));
    rp_buf b;
    rp_buf_init(&b, c->opts->max_bytes ? c->opts->max_bytes : RP_MAX_INPUT_DEFAULT);
    for (int k = 0; k < 2 && st == RP_OK; k++) {
        const cJSON *v = k ? outp : in;
        rp_jp_key(p, sizeof p, path, keys[k]);
        if (!v || cJSON_IsNull(v))
            continue;
        if (cJSON_IsString(v)) {
            st = response_item(c, v, p, &b, time, model);
            continue;
        }
        if (!cJSON_IsArray(v)) {
            rp_jerr(c, p, "expected a string or an array of items");
            st = RP_EINPUT;
            break;
        }
        size_t i = 0;
        for (const cJSON *e = v->child; e && st == RP_OK; e = e->next, i++)
            st = response_item(c, e, rp_jp_idx(q, sizeof q, p, i), &b, time, model);
    }
    rp_buf_free(&b);
    if (st != RP_OK) {
        rp_jdrop(c, t);
        return st;
    }
    return rp_jpush(c, t);
}

rp_status rp_doc_responses(rp_jctx *c, const cJSON *root)
{
    return rp_jeach(c, root, response_doc, "Responses API objects (an object or an array)");
}

rp_status rp_read_responses(const char *label, const char *data, size_t n,
                            const rp_ingest_opts *opts, rp_transcript_set *out,
                            rp_diags *d)
{
    return rp_json_read(label, data, n, opts, out, d, "responses", rp_doc_responses);
}
