/*
 * Reader for LM Studio's saved conversations: {"name", "messages":[
 * {"versions":[…], "currentlySelected": i}]}.  Each message keeps every
 * version the user made (edits, regenerations); the selected one is read.
 * A user version is {"type":"singleStep", "role":"user", "content":[parts]};
 * a reply is {"type":"multiStep", "role":"assistant", "steps":[{"type":
 * "contentBlock", "content":[parts], "style":{…}}, …], "senderInfo":
 * {"senderName": model}}.  Content blocks styled as thinking are the
 * model's reasoning and are not read; debug blocks and tool steps neither.
 */
#include "fmt_util.h"

#include <string.h>

/* Whether a content block is reasoning ("style": {"type": "thinking"}). */
static bool thinking_block(const cJSON *step)
{
    const cJSON *style = cJSON_GetObjectItemCaseSensitive(step, "style");
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(style, "type");
    return cJSON_IsString(type) && strcmp(type->valuestring, "thinking") == 0;
}

/* The text of one version into b. */
static rp_status version_text(rp_jctx *c, const cJSON *v, const char *path, rp_buf *b)
{
    char p[RP_JPATH_MAX], q[RP_JPATH_MAX];
    const cJSON *steps;
    if (rp_jarr(c, v, "steps", path, &steps) != RP_OK)
        return RP_EINPUT;
    if (!steps)
        return rp_jparts(c, cJSON_GetObjectItemCaseSensitive(v, "content"),
                         rp_jp_key(p, sizeof p, path, "content"), b);
    rp_jp_key(p, sizeof p, path, "steps");
    size_t i = 0;
    for (const cJSON *s = steps->child; s; s = s->next, i++) {
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(s, "type");
        if (!cJSON_IsString(type) || strcmp(type->valuestring, "contentBlock") != 0 ||
            thinking_block(s))
            continue;
        rp_jp_idx(q, sizeof q, p, i);
        rp_status st = rp_jparts(c, cJSON_GetObjectItemCaseSensitive(s, "content"),
                                 rp_jp_key(q, sizeof q, q, "content"), b);
        if (st != RP_OK)
            return st;
    }
    return RP_OK;
}

/* One message: the version it has selected. */
static rp_status message(rp_jctx *c, rp_transcript *t, const cJSON *m, char *p, size_t i,
                         rp_buf *b)
{
    (void)i;
    char q[RP_JPATH_MAX], vp[RP_JPATH_MAX];
    const cJSON *versions;
    if (rp_jarr(c, m, "versions", p, &versions) != RP_OK)
        return RP_EINPUT;
    if (!versions) {
        rp_jmissing(c, p, m, "a message without \"versions\"");
        return RP_EINPUT;
    }
    const cJSON *sel = cJSON_GetObjectItemCaseSensitive(m, "currentlySelected");
    int k = cJSON_IsNumber(sel) && sel->valueint > 0 ? sel->valueint : 0;
    const cJSON *v = cJSON_GetArrayItem(versions, k);
    if (!v) {
        v = versions->child;
        k = 0;
    }
    if (!v)
        return RP_OK;
    rp_jp_idx(q, sizeof q, rp_jp_key(vp, sizeof vp, p, "versions"), (size_t)k);
    const char *r;
    if (rp_jstr(c, v, "role", q, &r) != RP_OK)
        return RP_EINPUT;
    rp_role role;
    bool skip;
    if (!r || !rp_jrole(r, &role, &skip)) {
        rp_jmissing(c, q, v, "a version without a known \"role\"");
        return RP_EINPUT;
    }
    if (skip)
        return RP_OK;
    const cJSON *sender = cJSON_GetObjectItemCaseSensitive(v, "senderInfo");
    const char *model = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(sender, "senderName"));
    rp_status st = version_text(c, v, q, b);
    if (st == RP_ELIMIT)
        rp_jerr(c, q, "text larger than the input limit");
    if (st != RP_OK)
        return st;
    return rp_jturn(c, q, role, b->data ? b->data : "", b->len, NULL, model);
}

static rp_status conversation(rp_jctx *c, const cJSON *obj, const char *path)
{
    char mp[RP_JPATH_MAX];
    const cJSON *msgs;
    const char *name;
    if (!cJSON_IsObject(obj)) {
        rp_jerr(c, path, "expected a conversation object with \"messages\"");
        return RP_EINPUT;
    }
    if (rp_jarr(c, obj, "messages", path, &msgs) != RP_OK || rp_jstr(c, obj, "name", path, &name) != RP_OK)
        return RP_EINPUT;
    if (!msgs) {
        rp_jmissing(c, path, obj, "no \"messages\" array");
        return RP_EINPUT;
    }
    return rp_jlist(c, msgs, rp_jp_key(mp, sizeof mp, path, "messages"), name, NULL, message);
}

rp_status rp_doc_lmstudio(rp_jctx *c, const cJSON *root)
{
    return rp_jeach(c, root, conversation, "LM Studio conversations (an object or an array)");
}

rp_status rp_read_lmstudio(const char *label, const char *data, size_t n,
                           const rp_ingest_opts *opts, rp_transcript_set *out,
                           rp_diags *d)
{
    return rp_json_read(label, data, n, opts, out, d, "lmstudio", rp_doc_lmstudio);
}
