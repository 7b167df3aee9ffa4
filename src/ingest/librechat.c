/*
 * Reader for LibreChat's conversation export: {"conversationId", "title",
 * "endpoint", "messages":[{"messageId", "parentMessageId", "sender",
 * "isCreatedByUser", "text", "content", "model", "createdAt"}]}.  The
 * speaker is isCreatedByUser (sender is a display name: "User", "GPT-4o",
 * a model's label).  Newer messages keep their text in "content" parts
 * ({"type":"text","text": string or {"value"}}), where "think" parts hold
 * reasoning, which is not read; older ones in "text".  The export may nest
 * replies as a tree ("children"): then the newest branch (the last child at
 * each level) is the conversation.
 */
#include "fmt_util.h"

#include <stdio.h>
#include <string.h>

/* The text of a message into b. */
static rp_status message_text(rp_jctx *c, const cJSON *m, const char *path, rp_buf *b)
{
    char p[RP_JPATH_MAX], q[RP_JPATH_MAX];
    const cJSON *content;
    const char *text;
    if (rp_jarr(c, m, "content", path, &content) != RP_OK || rp_jstr(c, m, "text", path, &text) != RP_OK)
        return RP_EINPUT;
    bool any = false;
    size_t i = 0;
    rp_jp_key(p, sizeof p, path, "content");
    for (const cJSON *e = content ? content->child : NULL; e; e = e->next, i++) {
        rp_jp_idx(q, sizeof q, p, i);
        const char *type;
        if (!cJSON_IsObject(e)) {
            rp_jerr(c, q, "expected a content part object");
            return RP_EINPUT;
        }
        if (rp_jstr(c, e, "type", q, &type) != RP_OK)
            return RP_EINPUT;
        if (type && strstr(type, "image")) {
            any = true;
            if (rp_buf_para(b, "[image]") != RP_OK)
                return RP_ELIMIT;
            continue;
        }
        if (!type || strcmp(type, "text") != 0)
            continue; /* think, tool_call, error: not graded */
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, "text");
        if (cJSON_IsObject(v))
            v = cJSON_GetObjectItemCaseSensitive(v, "value");
        any = true;
        if (cJSON_IsString(v) && rp_buf_para(b, v->valuestring) != RP_OK)
            return RP_ELIMIT;
    }
    if (!any && rp_buf_para(b, text) != RP_OK)
        return RP_ELIMIT;
    return RP_OK;
}

/* Read message m at path and then, when it has children, the last one
 * (path follows the walk down; JSON's depth limit bounds it). */
static rp_status message(rp_jctx *c, rp_transcript *t, const cJSON *m, char *path, size_t no,
                         rp_buf *b)
{
    char p[RP_JPATH_MAX];
    for (size_t depth = 0; m; depth++) {
        if (!cJSON_IsObject(m)) {
            rp_jerr(c, path, "expected a message object");
            return RP_EINPUT;
        }
        const cJSON *by = cJSON_GetObjectItemCaseSensitive(m, "isCreatedByUser");
        if (!cJSON_IsBool(by)) {
            char what[64];
            snprintf(what, sizeof what, "message %zu has no \"isCreatedByUser\"", no + depth + 1);
            rp_jmissing(c, path, m, what);
            return RP_EINPUT;
        }
        const char *model;
        if (rp_jstr(c, m, "model", path, &model) != RP_OK)
            return RP_EINPUT;
        rp_role role = cJSON_IsTrue(by) ? RP_ROLE_USER : RP_ROLE_MODEL;
        rp_buf_clear(b);
        rp_status st = message_text(c, m, path, b);
        if (st == RP_ELIMIT)
            rp_jerr(c, path, "text larger than the input limit");
        if (st != RP_OK)
            return st;
        st = rp_jturn(c, path, role, b->data ? b->data : "", b->len,
                      rp_jtime(t, cJSON_GetObjectItemCaseSensitive(m, "createdAt")),
                      role == RP_ROLE_MODEL ? model : NULL);
        if (st != RP_OK)
            return st;
        const cJSON *kids = cJSON_GetObjectItemCaseSensitive(m, "children");
        if (!cJSON_IsArray(kids) || !kids->child)
            break;
        size_t k = (size_t)cJSON_GetArraySize(kids) - 1;
        rp_jp_key(p, sizeof p, path, "children");
        rp_jp_idx(path, RP_JPATH_MAX, p, k);
        m = cJSON_GetArrayItem(kids, (int)k);
    }
    return RP_OK;
}

static rp_status conversation(rp_jctx *c, const cJSON *obj, const char *path)
{
    char mp[RP_JPATH_MAX];
    const cJSON *msgs;
    const char *title;
    if (!cJSON_IsObject(obj)) {
        rp_jerr(c, path, "expected a conversation object with \"messages\"");
        return RP_EINPUT;
    }
    if (rp_jarr(c, obj, "messages", path, &msgs) != RP_OK || rp_jstr(c, obj, "title", path, &title) != RP_OK)
        return RP_EINPUT;
    if (!msgs) {
        rp_jmissing(c, path, obj, "no \"messages\" array");
        return RP_EINPUT;
    }
    return rp_jlist(c, msgs, rp_jp_key(mp, sizeof mp, path, "messages"), title, NULL, message);
}

rp_status rp_doc_librechat(rp_jctx *c, const cJSON *root)
{
    return rp_jeach(c, root, conversation, "LibreChat conversations (an object or an array)");
}

rp_status rp_read_librechat(const char *label, const char *data, size_t n,
                            const rp_ingest_opts *opts, rp_transcript_set *out,
                            rp_diags *d)
{
    return rp_json_read(label, data, n, opts, out, d, "librechat", rp_doc_librechat);
}
