/*
 * Reader for OpenAI-style message lists: {"messages":[…]} with an optional
 * top-level model and title, a bare array of messages, an array of such
 * conversations, or JSONL with one conversation per line.  A message's
 * content is a string, a list of parts (text parts kept, images noted as
 * "[image]", reasoning parts dropped) or null when it only calls tools.
 * Only user and assistant messages become turns.
 */
#include "fmt_util.h"

#include <string.h>

/* The text of a content value (string, parts or null) in *out: a string is
 * used where it is, in the parsed tree (it is copied once, into the
 * transcript); the parts of a list are joined in b.  RP_ELIMIT when the
 * text would not fit in b. */
static rp_status content_text(rp_jctx *c, const cJSON *content, const char *path,
                              rp_buf *b, rp_span *out)
{
    char p[RP_JPATH_MAX];
    *out = rp_span_make("", 0);
    if (!content || cJSON_IsNull(content))
        return RP_OK;
    if (cJSON_IsString(content)) {
        size_t n = strlen(content->valuestring);
        if (n > b->max)
            return RP_ELIMIT;
        *out = rp_span_make(content->valuestring, n);
        return RP_OK;
    }
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
                if (rp_jstr(c, part, "text", p, &add) != RP_OK)
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
    *out = rp_span_make(b->data ? b->data : "", b->len);
    return RP_OK;
}

/* Map a role name; false for an unknown one.  *skip for roles that are
 * not turns (system, developer, tool, function). */
static bool map_role(const char *r, rp_role *role, bool *skip)
{
    static const char *const users[] = {"user", "human", NULL};
    static const char *const models[] = {"assistant", "model", "ai", "bot", NULL};
    static const char *const others[] = {"system", "developer", "tool", "function", "ipython", NULL};
    *skip = false;
    for (int i = 0; users[i]; i++)
        if (strcmp(r, users[i]) == 0) {
            *role = RP_ROLE_USER;
            return true;
        }
    for (int i = 0; models[i]; i++)
        if (strcmp(r, models[i]) == 0) {
            *role = RP_ROLE_MODEL;
            return true;
        }
    for (int i = 0; others[i]; i++)
        if (strcmp(r, others[i]) == 0) {
            *skip = true;
            return true;
        }
    return false;
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
            rp_jerr(c, p, "message without a role");
            st = RP_EINPUT;
            break;
        }
        rp_role role;
        bool skip;
        if (!map_role(r, &role, &skip)) {
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
        if (mmodel && !*mmodel)
            mmodel = NULL;
        if (role == RP_ROLE_MODEL && mmodel && !t->model)
            t->model = rp_tb_str(t, mmodel, strlen(mmodel));
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
            rp_jerr(c, "$", "no \"messages\" array: not an OpenAI messages file, and no "
                            "other JSON transcript format (ChatGPT, Claude, ShareGPT, "
                            "Open WebUI) matches");
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
                rp_jerr(c, p, "no \"messages\" array in this conversation");
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
