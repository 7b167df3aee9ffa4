/*
 * Reader for the Grok (xAI) data export: {"conversations":[{"conversation":
 * {"id", "title", …}, "responses":[{"response":{"sender":"human"|
 * "assistant", "message", "create_time", "model"}}]}]} (an object holding
 * the list, the list itself, or one conversation).  Times are ISO strings
 * or MongoDB's {"$date":{"$numberLong":"…"}} (milliseconds).
 */
#include "fmt_util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A create_time in either shape, in t's arena, or NULL. */
static const char *grok_time(rp_transcript *t, const cJSON *v)
{
    const cJSON *date = cJSON_GetObjectItemCaseSensitive(v, "$date");
    if (date) {
        const cJSON *num = cJSON_GetObjectItemCaseSensitive(date, "$numberLong");
        if (cJSON_IsString(num)) {
            cJSON tmp;
            memset(&tmp, 0, sizeof tmp);
            tmp.type = cJSON_Number;
            tmp.valuedouble = strtod(num->valuestring, NULL);
            return rp_jtime(t, &tmp);
        }
        return rp_jtime(t, date);
    }
    return rp_jtime(t, v);
}

/* One element of "responses": {"response": {…}} or the response itself. */
static rp_status response(rp_jctx *c, rp_transcript *t, const cJSON *e, char *p, size_t i,
                          rp_buf *b)
{
    (void)i;
    (void)b;
    char rp[RP_JPATH_MAX];
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(e, "response");
    const char *at = p;
    if (r)
        at = rp_jp_key(rp, sizeof rp, p, "response");
    else
        r = e;
    if (!cJSON_IsObject(r)) {
        rp_jerr(c, at, "expected a response object");
        return RP_EINPUT;
    }
    const char *sender, *msg, *model;
    if (rp_jstr(c, r, "sender", at, &sender) != RP_OK || rp_jstr(c, r, "message", at, &msg) != RP_OK ||
        rp_jstr(c, r, "model", at, &model) != RP_OK)
        return RP_EINPUT;
    if (!sender) {
        rp_jmissing(c, at, r, "a response without \"sender\"");
        return RP_EINPUT;
    }
    rp_role role = RP_ROLE_MODEL;
    bool skip = false;
    if (strcasecmp(sender, "grok") != 0 && !rp_jrole(sender, &role, &skip)) {
        rp_jerr(c, at, "unknown sender '%.40s' (expected human or assistant)", sender);
        return RP_EINPUT;
    }
    if (skip || !msg)
        return RP_OK;
    return rp_jturn(c, at, role, msg, strlen(msg),
                    grok_time(t, cJSON_GetObjectItemCaseSensitive(r, "create_time")),
                    role == RP_ROLE_MODEL ? model : NULL);
}

static rp_status conversation(rp_jctx *c, const cJSON *obj, const char *path)
{
    char p[RP_JPATH_MAX];
    const cJSON *conv, *responses;
    if (!cJSON_IsObject(obj)) {
        rp_jerr(c, path, "expected a conversation object with \"responses\"");
        return RP_EINPUT;
    }
    if (rp_jobj(c, obj, "conversation", path, &conv) != RP_OK ||
        rp_jarr(c, obj, "responses", path, &responses) != RP_OK)
        return RP_EINPUT;
    if (!responses) {
        rp_jmissing(c, path, obj, "no \"responses\" array");
        return RP_EINPUT;
    }
    const char *title = NULL;
    if (conv && rp_jstr(c, conv, "title", rp_jp_key(p, sizeof p, path, "conversation"), &title) != RP_OK)
        return RP_EINPUT;
    return rp_jlist(c, responses, rp_jp_key(p, sizeof p, path, "responses"), title, NULL, response);
}

rp_status rp_doc_grok(rp_jctx *c, const cJSON *root)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "conversations");
    if (cJSON_IsObject(root) && cJSON_IsArray(list)) {
        char p[RP_JPATH_MAX];
        size_t i = 0;
        for (const cJSON *e = list->child; e; e = e->next, i++) {
            rp_status st = conversation(c, e, rp_jp_idx(p, sizeof p, "$.conversations", i));
            if (st != RP_OK)
                return st;
        }
        return RP_OK;
    }
    return rp_jeach(c, root, conversation, "Grok conversations (an object or an array)");
}

rp_status rp_read_grok(const char *label, const char *data, size_t n,
                       const rp_ingest_opts *opts, rp_transcript_set *out,
                       rp_diags *d)
{
    return rp_json_read(label, data, n, opts, out, d, "grok", rp_doc_grok);
}
