/*
 * Reader for ChatGPT's data export, conversations.json: an array of
 * conversations (or one), each a tree of messages in "mapping".  The
 * conversation shown in the UI is the path from "current_node" up through
 * "parent" links to the root, reversed; regenerated answers and edited
 * prompts on other branches are not read.  The empty system node, hidden
 * messages, reasoning ("thoughts"), thinking preambles (the "commentary"
 * channel) and whatever the model addressed to a tool other than the code
 * runner (browser commands such as search("…"), memory) are skipped; text
 * and multimodal_text parts are read (images noted as "[image]"), code and
 * execution output by their "text"; a canvas document the model writes
 * (canmore.create_textdoc, a JSON payload) by its decoded "content"; an
 * image a tool returned (image generation) joins the reply as "[image]".
 * The model comes from metadata.model_slug.
 */
#include "fmt_util.h"

#include <stdlib.h>
#include <string.h>

/* Content types whose text is part of the conversation. */
static bool readable(const char *ct)
{
    return strcmp(ct, "text") == 0 || strcmp(ct, "multimodal_text") == 0 ||
           strcmp(ct, "code") == 0 || strcmp(ct, "execution_output") == 0;
}

static rp_status parts_text(rp_jctx *c, const cJSON *content, const char *path,
                            const char *ct, rp_buf *b)
{
    char p[RP_JPATH_MAX];
    if (strcmp(ct, "code") == 0 || strcmp(ct, "execution_output") == 0) {
        const char *text;
        if (rp_jstr(c, content, "text", path, &text) != RP_OK)
            return RP_EINPUT;
        return text && rp_buf_puts(b, text) != RP_OK ? RP_ELIMIT : RP_OK;
    }
    const cJSON *parts;
    if (rp_jarr(c, content, "parts", path, &parts) != RP_OK)
        return RP_EINPUT;
    const char *base = rp_jp_key(p, sizeof p, path, "parts");
    char q[RP_JPATH_MAX];
    size_t i = 0;
    for (const cJSON *e = parts ? parts->child : NULL; e; e = e->next, i++) {
        const char *add = NULL;
        if (cJSON_IsString(e)) {
            add = e->valuestring;
        } else if (cJSON_IsObject(e)) {
            const char *pt, *text;
            rp_jp_idx(q, sizeof q, base, i);
            if (rp_jstr(c, e, "content_type", q, &pt) != RP_OK ||
                rp_jstr(c, e, "text", q, &text) != RP_OK)
                return RP_EINPUT;
            if (pt && strstr(pt, "image"))
                add = "[image]";
            else if (text)
                add = text; /* audio transcriptions */
        } else if (!cJSON_IsNull(e)) {
            rp_jerr(c, rp_jp_idx(q, sizeof q, base, i), "expected a string or an object");
            return RP_EINPUT;
        }
        if (rp_buf_para(b, add) != RP_OK)
            return RP_ELIMIT;
    }
    return RP_OK;
}

/* Whether a tool's output holds an image part (image generation). */
static bool has_image_part(const cJSON *content)
{
    const cJSON *parts = cJSON_GetObjectItemCaseSensitive(content, "parts");
    for (const cJSON *e = cJSON_IsArray(parts) ? parts->child : NULL; e; e = e->next) {
        const cJSON *pt = cJSON_GetObjectItemCaseSensitive(e, "content_type");
        if (cJSON_IsString(pt) && strstr(pt->valuestring, "image"))
            return true;
    }
    return false;
}

/* The text of a canvas command (recipient canmore.create_textdoc or
 * canmore.update_textdoc): its "text" is a JSON object whose "content"
 * holds the document, or whose "updates" rewrite it; a rewrite of the
 * whole document (pattern ".*") is its new text.  Into b; nothing for a
 * partial edit or an unreadable payload. */
static rp_status canvas_text(const char *text, rp_buf *b)
{
    cJSON *doc = text ? cJSON_Parse(text) : NULL;
    rp_status st = RP_OK;
    const cJSON *content = cJSON_GetObjectItemCaseSensitive(doc, "content");
    const cJSON *updates = cJSON_GetObjectItemCaseSensitive(doc, "updates");
    if (cJSON_IsString(content)) {
        st = rp_buf_para(b, content->valuestring);
    } else if (cJSON_IsArray(updates)) {
        for (const cJSON *u = updates->child; u && st == RP_OK; u = u->next) {
            const cJSON *pat = cJSON_GetObjectItemCaseSensitive(u, "pattern");
            const cJSON *rep = cJSON_GetObjectItemCaseSensitive(u, "replacement");
            if (cJSON_IsString(pat) && strcmp(pat->valuestring, ".*") == 0 && cJSON_IsString(rep))
                st = rp_buf_para(b, rep->valuestring);
        }
    }
    cJSON_Delete(doc);
    return st;
}

/* How an assistant message addressed to recipient (not "all") counts:
 * 1 code the user sees run (the python tool), 2 a canvas document, 0 a
 * command to another tool (browser, memory, image generation), which is
 * not part of the reply. */
static int tool_kind(const char *recipient, const char *ct)
{
    if (strcmp(ct, "code") == 0 && strncmp(recipient, "python", 6) == 0)
        return 1;
    if (strncmp(recipient, "canmore.", 8) == 0 && strstr(recipient, "textdoc"))
        return 2;
    return 0;
}

/* Read one node's message into t (or skip it). */
static rp_status node_turn(rp_jctx *c, rp_transcript *t, const cJSON *node,
                           const char *path, rp_buf *b, const char **last_model)
{
    char p[RP_JPATH_MAX], q[RP_JPATH_MAX];
    const cJSON *msg, *author, *content, *meta;
    if (rp_jobj(c, node, "message", path, &msg) != RP_OK)
        return RP_EINPUT;
    if (!msg)
        return RP_OK;
    rp_jp_key(p, sizeof p, path, "message");
    const char *role, *ct = NULL, *slug = NULL;
    if (rp_jobj(c, msg, "author", p, &author) != RP_OK ||
        rp_jobj(c, msg, "content", p, &content) != RP_OK ||
        rp_jobj(c, msg, "metadata", p, &meta) != RP_OK ||
        rp_jstr(c, author, "role", rp_jp_key(q, sizeof q, p, "author"), &role) != RP_OK ||
        rp_jstr(c, content, "content_type", rp_jp_key(q, sizeof q, p, "content"), &ct) != RP_OK ||
        rp_jstr(c, meta, "model_slug", rp_jp_key(q, sizeof q, p, "metadata"), &slug) != RP_OK)
        return RP_EINPUT;
    if (!role) {
        rp_jmissing(c, p, msg, "message without author.role");
        return RP_EINPUT;
    }
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(meta, "is_visually_hidden_from_conversation")) ||
        cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(meta, "is_thinking_preamble_message")))
        return RP_OK;
    if (!content || !ct || !readable(ct))
        return RP_OK;
    const char *recipient, *channel;
    if (rp_jstr(c, msg, "recipient", p, &recipient) != RP_OK ||
        rp_jstr(c, msg, "channel", p, &channel) != RP_OK)
        return RP_EINPUT;
    /* "commentary": what the model says while it works, before the answer */
    if (channel && strcmp(channel, "commentary") == 0)
        return RP_OK;
    int tool = recipient && strcmp(recipient, "all") != 0 ? tool_kind(recipient, ct) : -1;
    if (strcmp(role, "assistant") == 0 && tool == 0)
        return RP_OK;
    rp_role r;
    bool image_out = false;
    if (strcmp(role, "user") == 0)
        r = RP_ROLE_USER;
    else if (strcmp(role, "assistant") == 0)
        r = RP_ROLE_MODEL;
    else if (strcmp(role, "tool") == 0 && strcmp(ct, "execution_output") == 0)
        r = RP_ROLE_MODEL; /* the output of code the model ran belongs to its reply */
    else if (strcmp(role, "tool") == 0 && has_image_part(content)) {
        r = RP_ROLE_MODEL; /* an answer that is an image */
        image_out = true;
    } else
        return RP_OK;
    rp_buf_clear(b);
    rp_status st;
    if (image_out) {
        st = rp_buf_para(b, "[image]");
    } else if (tool == 2) {
        const char *text;
        if (rp_jstr(c, content, "text", rp_jp_key(q, sizeof q, p, "content"), &text) != RP_OK)
            return RP_EINPUT;
        st = canvas_text(text, b);
    } else {
        st = parts_text(c, content, rp_jp_key(q, sizeof q, p, "content"), ct, b);
    }
    if (st == RP_ELIMIT)
        rp_jerr(c, q, "text larger than the input limit");
    if (st != RP_OK)
        return st;
    if (slug && !*slug)
        slug = NULL;
    if (r == RP_ROLE_MODEL && slug)
        *last_model = slug;
    return rp_jturn(c, p, r, b->data ? b->data : "", b->len,
                    rp_jtime(t, cJSON_GetObjectItemCaseSensitive(msg, "create_time")),
                    r == RP_ROLE_MODEL ? slug : NULL);
}

/* The newest leaf when a conversation has no current_node: the last node
 * (in export order) without children. */
static const char *last_leaf(const cJSON *mapping)
{
    const char *leaf = NULL;
    for (const cJSON *e = mapping->child; e; e = e->next) {
        const cJSON *kids = cJSON_GetObjectItemCaseSensitive(e, "children");
        if (e->string && (!cJSON_IsArray(kids) || !kids->child))
            leaf = e->string;
    }
    return leaf;
}

static rp_status conversation(rp_jctx *c, const cJSON *obj, const char *path)
{
    char mp[RP_JPATH_MAX], cp[RP_JPATH_MAX], np[RP_JPATH_MAX];
    if (!cJSON_IsObject(obj)) {
        rp_jerr(c, path, "expected a conversation object with \"mapping\"");
        return RP_EINPUT;
    }
    const cJSON *mapping;
    const char *title, *current, *dflt;
    if (rp_jobj(c, obj, "mapping", path, &mapping) != RP_OK ||
        rp_jstr(c, obj, "title", path, &title) != RP_OK ||
        rp_jstr(c, obj, "current_node", path, &current) != RP_OK ||
        rp_jstr(c, obj, "default_model_slug", path, &dflt) != RP_OK)
        return RP_EINPUT;
    if (!mapping) {
        rp_jerr(c, path, "no \"mapping\" object: not a ChatGPT conversation");
        return RP_EINPUT;
    }
    rp_jp_key(mp, sizeof mp, path, "mapping");
    rp_jp_key(cp, sizeof cp, path, "current_node");
    if (!current)
        current = last_leaf(mapping);
    if (!current) {
        c->dropped++; /* an empty mapping: no conversation */
        return RP_OK;
    }
    const cJSON **nodes;
    size_t k;
    rp_status st = rp_jtree_path(c, mapping, mp, current, cp, "parent", false, &nodes, &k);
    if (st != RP_OK)
        return st;
    rp_transcript *t;
    st = rp_jnew(c, &t);
    if (st != RP_OK) {
        free(nodes);
        return st;
    }
    if (title && *title)
        t->title = rp_tb_str(t, title, strlen(title));
    rp_buf b;
    rp_buf_init(&b, c->opts->max_bytes ? c->opts->max_bytes : RP_MAX_INPUT_DEFAULT);
    const char *last_model = NULL;
    for (size_t i = 0; i < k && st == RP_OK; i++)
        st = node_turn(c, t, nodes[i], rp_jp_key(np, sizeof np, mp, nodes[i]->string), &b,
                       &last_model);
    rp_buf_free(&b);
    free(nodes);
    if (st != RP_OK) {
        rp_jdrop(c, t);
        return st;
    }
    const char *model = dflt && *dflt ? dflt : last_model;
    if (model)
        t->model = rp_tb_str(t, model, strlen(model));
    return rp_jpush(c, t);
}

rp_status rp_doc_chatgpt(rp_jctx *c, const cJSON *root)
{
    return rp_jeach(c, root, conversation, "ChatGPT conversations (an object or an array)");
}

rp_status rp_read_chatgpt(const char *label, const char *data, size_t n,
                          const rp_ingest_opts *opts, rp_transcript_set *out,
                          rp_diags *d)
{
    return rp_json_read(label, data, n, opts, out, d, "chatgpt", rp_doc_chatgpt);
}
