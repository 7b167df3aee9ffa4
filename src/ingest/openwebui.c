/*
 * Reader for Open WebUI chat exports: an array of {id, title, chat:{title,
 * models, history:{messages:{id:{parentId, role, content, timestamp,
 * model}}, currentId}, messages:[…]}} (or one such object, or the chat
 * object alone).  The conversation is the path from history.currentId up
 * through parentId links, reversed; without a history the linear
 * chat.messages list is read.  Reasoning that Open WebUI stores inside
 * <details> blocks of the content is kept out of the graded text.
 */
#include "fmt_util.h"

#include <stdlib.h>
#include <string.h>

static rp_status message_turn(rp_jctx *c, rp_transcript *t, const cJSON *m,
                              const char *path, const char **first_model)
{
    if (!cJSON_IsObject(m)) {
        rp_jerr(c, path, "expected a message object");
        return RP_EINPUT;
    }
    const char *role, *content, *model;
    const cJSON *files;
    if (rp_jstr(c, m, "role", path, &role) != RP_OK ||
        rp_jstr(c, m, "content", path, &content) != RP_OK ||
        rp_jstr(c, m, "model", path, &model) != RP_OK ||
        rp_jarr(c, m, "files", path, &files) != RP_OK)
        return RP_EINPUT;
    if (!role) {
        rp_jmissing(c, path, m, "message without a role");
        return RP_EINPUT;
    }
    rp_role r;
    if (strcmp(role, "user") == 0)
        r = RP_ROLE_USER;
    else if (strcmp(role, "assistant") == 0)
        r = RP_ROLE_MODEL;
    else
        return RP_OK;
    if (model && !*model)
        model = NULL;
    if (r == RP_ROLE_MODEL && model && !*first_model)
        *first_model = model;
    const char *time = rp_jtime(t, cJSON_GetObjectItemCaseSensitive(m, "timestamp"));
    rp_status st = RP_OK;
    for (const cJSON *f = files ? files->child : NULL; f && st == RP_OK; f = f->next) {
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(f, "type");
        if (cJSON_IsString(type) && strcmp(type->valuestring, "image") == 0)
            st = rp_jturn(c, path, r, "[image]", 7, time, NULL);
    }
    if (st == RP_OK && content)
        st = rp_jturn(c, path, r, content, strlen(content), time,
                      r == RP_ROLE_MODEL ? model : NULL);
    return st;
}

static rp_status conversation(rp_jctx *c, const cJSON *obj, const char *path)
{
    char cp[RP_JPATH_MAX], hp[RP_JPATH_MAX], mp[RP_JPATH_MAX], p[RP_JPATH_MAX];
    if (!cJSON_IsObject(obj)) {
        rp_jerr(c, path, "expected a chat object");
        return RP_EINPUT;
    }
    const cJSON *chat, *history, *hmsgs = NULL, *msgs, *models;
    const char *title, *ctitle, *current = NULL;
    if (rp_jobj(c, obj, "chat", path, &chat) != RP_OK ||
        rp_jstr(c, obj, "title", path, &title) != RP_OK)
        return RP_EINPUT;
    const char *chat_path = path;
    if (chat) {
        chat_path = rp_jp_key(cp, sizeof cp, path, "chat");
    } else {
        chat = obj;
    }
    if (rp_jobj(c, chat, "history", chat_path, &history) != RP_OK ||
        rp_jarr(c, chat, "messages", chat_path, &msgs) != RP_OK ||
        rp_jarr(c, chat, "models", chat_path, &models) != RP_OK ||
        rp_jstr(c, chat, "title", chat_path, &ctitle) != RP_OK)
        return RP_EINPUT;
    if (history) {
        rp_jp_key(hp, sizeof hp, chat_path, "history");
        if (rp_jobj(c, history, "messages", hp, &hmsgs) != RP_OK ||
            rp_jstr(c, history, "currentId", hp, &current) != RP_OK)
            return RP_EINPUT;
    }
    if (!(hmsgs && current) && !msgs) {
        rp_jerr(c, chat_path, "no history.messages with a currentId and no messages list: "
                              "not an Open WebUI chat");
        return RP_EINPUT;
    }
    const cJSON **list = NULL;
    size_t k = 0;
    rp_status st = RP_OK;
    if (hmsgs && current) {
        char cur[RP_JPATH_MAX];
        rp_jp_key(mp, sizeof mp, hp, "messages");
        st = rp_jtree_path(c, hmsgs, mp, current, rp_jp_key(cur, sizeof cur, hp, "currentId"),
                           "parentId", false, &list, &k);
        if (st != RP_OK)
            return st;
    }
    rp_transcript *t;
    if ((st = rp_jnew(c, &t)) != RP_OK) {
        free(list);
        return st;
    }
    const char *tt = ctitle && *ctitle ? ctitle : title;
    if (tt && *tt)
        t->title = rp_tb_str(t, tt, strlen(tt));
    const char *first_model = NULL;
    if (list) {
        for (size_t i = 0; i < k && st == RP_OK; i++)
            st = message_turn(c, t, list[i], rp_jp_key(p, sizeof p, mp, list[i]->string),
                              &first_model);
    } else {
        rp_jp_key(mp, sizeof mp, chat_path, "messages");
        size_t i = 0;
        for (const cJSON *m = msgs->child; m && st == RP_OK; m = m->next, i++)
            st = message_turn(c, t, m, rp_jp_idx(p, sizeof p, mp, i), &first_model);
    }
    free(list);
    if (st != RP_OK) {
        rp_jdrop(c, t);
        return st;
    }
    const char *model = first_model;
    if (models && cJSON_IsString(models->child) && models->child->valuestring[0])
        model = models->child->valuestring;
    if (model)
        t->model = rp_tb_str(t, model, strlen(model));
    return rp_jpush(c, t);
}

rp_status rp_doc_openwebui(rp_jctx *c, const cJSON *root)
{
    return rp_jeach(c, root, conversation, "Open WebUI chats (an object or an array)");
}

rp_status rp_read_openwebui(const char *label, const char *data, size_t n,
                            const rp_ingest_opts *opts, rp_transcript_set *out,
                            rp_diags *d)
{
    return rp_json_read(label, data, n, opts, out, d, "openwebui", rp_doc_openwebui);
}
