/*
 * Reader for SillyTavern chats: JSONL where the whole file is one
 * conversation.  The first line is a header ({"user_name",
 * "character_name", "create_date", "chat_metadata"}); each other line is a
 * message {"name", "is_user", "is_system", "send_date", "mes", "extra":
 * {"reasoning", "model"}}.  The speaker is is_user; system lines (narration,
 * notes the app adds) are not turns; the reasoning in extra is not read.
 * The conversation stays pending on the read (rp_jctx.pending) across
 * lines and is pushed when the read ends; a JSON array of such lines reads
 * the same.
 */
#include "fmt_util.h"

#include <string.h>

static rp_status line(rp_jctx *c, const cJSON *obj, const char *path)
{
    if (!cJSON_IsObject(obj)) {
        rp_jerr(c, path, "expected a chat line object");
        return RP_EINPUT;
    }
    rp_status st;
    if (!c->pending && (st = rp_jnew(c, &c->pending)) != RP_OK)
        return st;
    rp_transcript *t = c->pending;
    const cJSON *is_user = cJSON_GetObjectItemCaseSensitive(obj, "is_user");
    const char *mes, *character;
    if (rp_jstr(c, obj, "mes", path, &mes) != RP_OK ||
        rp_jstr(c, obj, "character_name", path, &character) != RP_OK)
        return RP_EINPUT;
    if (!is_user) {
        bool header = character || cJSON_GetObjectItemCaseSensitive(obj, "user_name") ||
                      cJSON_GetObjectItemCaseSensitive(obj, "chat_metadata");
        if (!header) {
            rp_jmissing(c, path, obj, "a chat line without \"is_user\"");
            return RP_EINPUT;
        }
        if (character && *character && !t->title)
            t->title = rp_tb_str(t, character, strlen(character));
        return RP_OK;
    }
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(obj, "is_system")) || !mes)
        return RP_OK;
    rp_role role = cJSON_IsTrue(is_user) ? RP_ROLE_USER : RP_ROLE_MODEL;
    const cJSON *extra = cJSON_GetObjectItemCaseSensitive(obj, "extra");
    const char *model = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(extra, "model"));
    return rp_jturn(c, path, role, mes, strlen(mes),
                    rp_jtime(t, cJSON_GetObjectItemCaseSensitive(obj, "send_date")),
                    role == RP_ROLE_MODEL ? model : NULL);
}

rp_status rp_doc_sillytavern(rp_jctx *c, const cJSON *root)
{
    if (!cJSON_IsArray(root))
        return line(c, root, "$");
    char p[RP_JPATH_MAX];
    size_t i = 0;
    for (const cJSON *e = root->child; e; e = e->next, i++) {
        rp_status st = line(c, e, rp_jp_idx(p, sizeof p, "$", i));
        if (st != RP_OK)
            return st;
    }
    return RP_OK;
}

rp_status rp_read_sillytavern(const char *label, const char *data, size_t n,
                              const rp_ingest_opts *opts, rp_transcript_set *out,
                              rp_diags *d)
{
    return rp_json_read(label, data, n, opts, out, d, "sillytavern", rp_doc_sillytavern);
}
