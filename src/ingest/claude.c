/*
 * Reader for the Claude.ai data export: an array of conversations (or
 * one), each {uuid, name, chat_messages:[{sender, text, content:[…],
 * created_at, attachments, files}]}.  Text comes from the "text" blocks of
 * content and from artifacts the model wrote (a tool_use block named
 * "artifacts" whose input.content is the document: the answer may be
 * there); thinking, other tool use and tool results are kept out of the
 * graded text.  The top-level "text" is read only when a message has no
 * content blocks at all: beside blocks it may hold the thinking.  Pasted
 * attachments are part of the user's turn.  When the conversation names
 * its current leaf and messages link to their parents, only the branch
 * ending at that leaf is read; without links the official export's array
 * is not in order, so messages are ordered by created_at (a question and
 * its answer may share one: the human's first), keeping array order only
 * when a time is missing.
 */
#include "fmt_util.h"

#include <stdlib.h>
#include <string.h>

static bool image_name(const char *name)
{
    static const char *const ext[] = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".heic", NULL};
    size_t n = strlen(name);
    for (int i = 0; ext[i]; i++) {
        size_t k = strlen(ext[i]);
        if (n >= k) {
            bool eq = true;
            for (size_t j = 0; j < k && eq; j++) {
                char ch = name[n - k + j];
                if (ch >= 'A' && ch <= 'Z')
                    ch = (char)(ch - 'A' + 'a');
                eq = ch == ext[i][j];
            }
            if (eq)
                return true;
        }
    }
    return false;
}

/* The text of one message into b. */
static rp_status message_text(rp_jctx *c, const cJSON *m, const char *path, rp_buf *b)
{
    char p[RP_JPATH_MAX], q[RP_JPATH_MAX];
    const cJSON *content, *att, *files;
    const char *text;
    if (rp_jarr(c, m, "content", path, &content) != RP_OK ||
        rp_jarr(c, m, "attachments", path, &att) != RP_OK ||
        rp_jarr(c, m, "files", path, &files) != RP_OK ||
        rp_jstr(c, m, "text", path, &text) != RP_OK)
        return RP_EINPUT;
    bool blocks = false;
    rp_status st = RP_OK;
    const char *base = rp_jp_key(p, sizeof p, path, "content");
    size_t i = 0;
    for (const cJSON *e = content ? content->child : NULL; e && st == RP_OK; e = e->next, i++) {
        rp_jp_idx(q, sizeof q, base, i);
        if (!cJSON_IsObject(e)) {
            rp_jerr(c, q, "expected a content block object");
            return RP_EINPUT;
        }
        const char *type, *bt;
        if (rp_jstr(c, e, "type", q, &type) != RP_OK || rp_jstr(c, e, "text", q, &bt) != RP_OK)
            return RP_EINPUT;
        if (!type)
            continue;
        blocks = true;
        if (strcmp(type, "text") == 0) {
            st = rp_buf_para(b, bt);
        } else if (strcmp(type, "image") == 0) {
            st = rp_buf_para(b, "[image]");
        } else if (strcmp(type, "tool_use") == 0) {
            const char *name, *doc;
            const cJSON *input;
            if (rp_jstr(c, e, "name", q, &name) != RP_OK ||
                rp_jobj(c, e, "input", q, &input) != RP_OK)
                return RP_EINPUT;
            char r[RP_JPATH_MAX];
            if (name && strcmp(name, "artifacts") == 0 && input) {
                if (rp_jstr(c, input, "content", rp_jp_key(r, sizeof r, q, "input"), &doc) != RP_OK)
                    return RP_EINPUT;
                st = rp_buf_para(b, doc);
            }
        }
        /* thinking, redacted_thinking, other tool_use, tool_result: not graded */
    }
    if (!blocks && st == RP_OK)
        st = rp_buf_para(b, text);
    base = rp_jp_key(p, sizeof p, path, "attachments");
    i = 0;
    for (const cJSON *e = att ? att->child : NULL; e && st == RP_OK; e = e->next, i++) {
        const char *ex;
        if (rp_jstr(c, e, "extracted_content", rp_jp_idx(q, sizeof q, base, i), &ex) != RP_OK)
            return RP_EINPUT;
        st = rp_buf_para(b, ex);
    }
    base = rp_jp_key(p, sizeof p, path, "files");
    i = 0;
    for (const cJSON *e = files ? files->child : NULL; e && st == RP_OK; e = e->next, i++) {
        const char *name;
        if (rp_jstr(c, e, "file_name", rp_jp_idx(q, sizeof q, base, i), &name) != RP_OK)
            return RP_EINPUT;
        st = rp_buf_para(b, name && image_name(name) ? "[image]" : "[file]");
    }
    if (st == RP_ELIMIT)
        rp_jerr(c, path, "text larger than the input limit");
    return st;
}

/* One message to order: its time stamp, who speaks, where it stood. */
typedef struct tkey {
    const char *time; /* created_at */
    int human;        /* 0 human, 1 anyone else: the question before the answer */
    size_t i;         /* index in chat_messages */
} tkey;

static int tkey_cmp(const void *a, const void *b)
{
    const tkey *x = a, *y = b;
    int c = strcmp(x->time, y->time);
    if (c)
        return c;
    if (x->human != y->human)
        return x->human - y->human;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* Put idx[0..n) (indexes into msgs, in array order) in the order of their
 * created_at, which every message must have as an ISO 8601 string (they
 * then compare as text); else the array order stays.  RP_ENOMEM. */
static rp_status by_time(const cJSON *msgs, size_t *idx, size_t n)
{
    tkey *k = malloc((n + 1) * sizeof *k);
    if (!k)
        return RP_ENOMEM;
    size_t i = 0;
    for (const cJSON *m = msgs->child; m; m = m->next, i++) {
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(m, "created_at");
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(m, "sender");
        if (!cJSON_IsString(t) || !t->valuestring[0]) {
            free(k);
            return RP_OK;
        }
        k[i].time = t->valuestring;
        k[i].human = !(cJSON_IsString(s) && (strcmp(s->valuestring, "human") == 0 ||
                                             strcmp(s->valuestring, "user") == 0));
        k[i].i = i;
    }
    qsort(k, n, sizeof *k, tkey_cmp);
    for (i = 0; i < n; i++)
        idx[i] = k[i].i;
    free(k);
    return RP_OK;
}

/* Indexes into chat_messages of the messages on the branch ending at the
 * current leaf, root first, when the export records one; else of every
 * message in order.  *idx is malloc'd (caller frees). */
static rp_status branch(rp_jctx *c, const cJSON *obj, const cJSON *msgs,
                        const char *path, const char *msgs_path,
                        size_t **idx, size_t *n)
{
    const char *leaf;
    *idx = NULL;
    *n = 0;
    if (rp_jstr(c, obj, "current_leaf_message_uuid", path, &leaf) != RP_OK)
        return RP_EINPUT;
    size_t count = 0;
    bool linked = leaf != NULL;
    for (const cJSON *m = msgs->child; m; m = m->next) {
        count++;
        if (linked && !(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(m, "uuid")) &&
                        cJSON_GetObjectItemCaseSensitive(m, "parent_message_uuid")))
            linked = false;
    }
    *idx = malloc((count + 1) * sizeof **idx);
    if (!*idx)
        return RP_ENOMEM;
    if (!linked) {
        for (size_t i = 0; i < count; i++)
            (*idx)[i] = i;
        *n = count;
        return by_time(msgs, *idx, count);
    }
    /* An object keyed by uuid whose members refer to the messages; each
     * reference remembers its message's index in valueint. */
    cJSON *byid = cJSON_CreateObject();
    if (!byid)
        return RP_ENOMEM;
    int i = 0;
    for (const cJSON *m = msgs->child; m; m = m->next, i++) {
        const char *id = cJSON_GetObjectItemCaseSensitive(m, "uuid")->valuestring;
        if (cJSON_GetObjectItemCaseSensitive(byid, id))
            continue;
        if (!cJSON_AddItemReferenceToObject(byid, id, (cJSON *)m)) {
            cJSON_Delete(byid);
            return RP_ENOMEM;
        }
        byid->child->prev->valueint = i;
    }
    char lp[RP_JPATH_MAX];
    const cJSON **list;
    size_t k;
    rp_status st = rp_jtree_path(c, byid, msgs_path, leaf,
                                 rp_jp_key(lp, sizeof lp, path, "current_leaf_message_uuid"),
                                 "parent_message_uuid", true, &list, &k);
    if (st == RP_OK) {
        for (size_t j = 0; j < k; j++)
            (*idx)[j] = (size_t)list[j]->valueint;
        *n = k;
        free(list);
    }
    cJSON_Delete(byid);
    return st;
}

static rp_status conversation(rp_jctx *c, const cJSON *obj, const char *path)
{
    char mp[RP_JPATH_MAX], p[RP_JPATH_MAX];
    if (!cJSON_IsObject(obj)) {
        rp_jerr(c, path, "expected a conversation object with \"chat_messages\"");
        return RP_EINPUT;
    }
    const cJSON *msgs;
    const char *name, *model;
    if (rp_jarr(c, obj, "chat_messages", path, &msgs) != RP_OK ||
        rp_jstr(c, obj, "name", path, &name) != RP_OK ||
        rp_jstr(c, obj, "model", path, &model) != RP_OK)
        return RP_EINPUT;
    if (!msgs) {
        rp_jerr(c, path, "no \"chat_messages\" array: not a Claude conversation");
        return RP_EINPUT;
    }
    rp_jp_key(mp, sizeof mp, path, "chat_messages");
    size_t *idx, k, count = 0;
    for (const cJSON *m = msgs->child; m; m = m->next)
        count++;
    const cJSON **all = malloc((count + 1) * sizeof *all);
    if (!all) {
        rp_diag_add(c->d, c->label, 0, 0, "out of memory");
        return RP_ENOMEM;
    }
    count = 0;
    for (const cJSON *m = msgs->child; m; m = m->next)
        all[count++] = m;
    rp_status st = branch(c, obj, msgs, path, mp, &idx, &k);
    if (st != RP_OK) {
        free(all);
        free(idx);
        if (st == RP_ENOMEM)
            rp_diag_add(c->d, c->label, 0, 0, "out of memory");
        return st;
    }
    rp_transcript *t;
    if ((st = rp_jnew(c, &t)) != RP_OK) {
        free(all);
        free(idx);
        return st;
    }
    if (name && *name)
        t->title = rp_tb_str(t, name, strlen(name));
    if (model && *model)
        t->model = rp_tb_str(t, model, strlen(model));
    rp_buf b;
    rp_buf_init(&b, c->opts->max_bytes ? c->opts->max_bytes : RP_MAX_INPUT_DEFAULT);
    for (size_t j = 0; j < k && st == RP_OK; j++) {
        const cJSON *m = all[idx[j]];
        rp_jp_idx(p, sizeof p, mp, idx[j]);
        if (!cJSON_IsObject(m)) {
            rp_jerr(c, p, "expected a message object");
            st = RP_EINPUT;
            break;
        }
        const char *sender;
        if ((st = rp_jstr(c, m, "sender", p, &sender)) != RP_OK)
            break;
        if (!sender) {
            rp_jmissing(c, p, m, "message without \"sender\"");
            st = RP_EINPUT;
            break;
        }
        rp_role role;
        if (strcmp(sender, "human") == 0 || strcmp(sender, "user") == 0)
            role = RP_ROLE_USER;
        else if (strcmp(sender, "assistant") == 0)
            role = RP_ROLE_MODEL;
        else
            continue;
        rp_buf_clear(&b);
        if ((st = message_text(c, m, p, &b)) != RP_OK)
            break;
        st = rp_jturn(c, p, role, b.data ? b.data : "", b.len,
                      rp_jtime(t, cJSON_GetObjectItemCaseSensitive(m, "created_at")), NULL);
    }
    rp_buf_free(&b);
    free(all);
    free(idx);
    if (st != RP_OK) {
        rp_jdrop(c, t);
        return st;
    }
    return rp_jpush(c, t);
}

rp_status rp_doc_claude(rp_jctx *c, const cJSON *root)
{
    return rp_jeach(c, root, conversation, "Claude conversations (an object or an array)");
}

rp_status rp_read_claude(const char *label, const char *data, size_t n,
                         const rp_ingest_opts *opts, rp_transcript_set *out,
                         rp_diags *d)
{
    return rp_json_read(label, data, n, opts, out, d, "claude", rp_doc_claude);
}
