/*
 * Reader for ShareGPT conversations: {"conversations":[{"from":"human",
 * "value":"…"}, {"from":"gpt", …}]}, one object, an array of them, or JSONL
 * with one per line.  Speakers human/user are the user, gpt/assistant (and
 * the names of chat products) the model; system, tool and function entries
 * are not turns.
 */
#include "fmt_util.h"

#include <string.h>

/* The speaker names of the message formats (rp_jrole), a model's own
 * name ("chatgpt", "claude", "bard") or Bing's; LLaMA-Factory's tool
 * entries are not turns. */
static bool map_from(const char *f, rp_role *role, bool *skip)
{
    if (strcmp(f, "function_call") == 0 || strcmp(f, "observation") == 0) {
        *skip = true;
        return true;
    }
    if (rp_jrole(f, role, skip))
        return true;
    *skip = false;
    *role = RP_ROLE_MODEL;
    return rp_model_word(f, strlen(f)) || strcmp(f, "bing") == 0;
}

static rp_status conversation(rp_jctx *c, const cJSON *obj, const char *path)
{
    char p[RP_JPATH_MAX], q[RP_JPATH_MAX];
    if (!cJSON_IsObject(obj)) {
        rp_jerr(c, path, "expected a conversation object with \"conversations\"");
        return RP_EINPUT;
    }
    const cJSON *conv;
    const char *model, *title;
    if (rp_jarr(c, obj, "conversations", path, &conv) != RP_OK ||
        rp_jstr(c, obj, "model", path, &model) != RP_OK ||
        rp_jstr(c, obj, "title", path, &title) != RP_OK)
        return RP_EINPUT;
    if (!conv) {
        rp_jerr(c, path, "no \"conversations\" array");
        return RP_EINPUT;
    }
    rp_transcript *t;
    rp_status st = rp_jnew(c, &t);
    if (st != RP_OK)
        return st;
    if (model && *model)
        t->model = rp_tb_str(t, model, strlen(model));
    if (title && *title)
        t->title = rp_tb_str(t, title, strlen(title));
    const char *base = rp_jp_key(q, sizeof q, path, "conversations");
    size_t i = 0;
    for (const cJSON *m = conv->child; m; m = m->next, i++) {
        rp_jp_idx(p, sizeof p, base, i);
        if (!cJSON_IsObject(m)) {
            rp_jerr(c, p, "expected an object with \"from\" and \"value\"");
            st = RP_EINPUT;
            break;
        }
        const char *from, *value;
        if ((st = rp_jstr(c, m, "from", p, &from)) != RP_OK ||
            (st = rp_jstr(c, m, "value", p, &value)) != RP_OK)
            break;
        if (!from) {
            rp_jmissing(c, p, m, "entry without \"from\"");
            st = RP_EINPUT;
            break;
        }
        rp_role role;
        bool skip;
        if (!map_from(from, &role, &skip)) {
            char r[RP_JPATH_MAX];
            rp_jerr(c, rp_jp_key(r, sizeof r, p, "from"),
                    "unknown speaker '%.40s' (expected human, gpt or system)", from);
            st = RP_EINPUT;
            break;
        }
        if (skip || !value)
            continue;
        if ((st = rp_jturn(c, p, role, value, strlen(value), NULL, NULL)) != RP_OK)
            break;
    }
    if (st != RP_OK) {
        rp_jdrop(c, t);
        return st;
    }
    return rp_jpush(c, t);
}

rp_status rp_doc_sharegpt(rp_jctx *c, const cJSON *root)
{
    return rp_jeach(c, root, conversation, "ShareGPT conversations (an object or an array)");
}

rp_status rp_read_sharegpt(const char *label, const char *data, size_t n,
                           const rp_ingest_opts *opts, rp_transcript_set *out,
                           rp_diags *d)
{
    return rp_json_read(label, data, n, opts, out, d, "sharegpt", rp_doc_sharegpt);
}
