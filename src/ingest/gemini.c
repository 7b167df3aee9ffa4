/*
 * Readers for Google's two conversation shapes.  The Gemini API:
 * {"contents":[{"role":"user"|"model", "parts":[{"text"}, {"text",
 * "thought":true}, {"inlineData"}, …]}]} (also a bare array of contents),
 * with "model" optional.  Google AI Studio's saved prompts:
 * {"runSettings":{"model":"models/…"}, "chunkedPrompt":{"chunks":[{"role",
 * "text", "isThought"}, …]}}, where a chunk may instead carry Gemini-style
 * "parts".  Thoughts (a part with "thought": true, a chunk with
 * "isThought") are the model's hidden reasoning and are not read; images
 * become "[image]", other attached files "[file]"; code the model ran and
 * its output are part of the reply.
 */
#include "fmt_util.h"

#include <string.h>

/* "[image]" or "[file]" for an attachment of MIME type mime (may be NULL). */
static const char *attachment(const cJSON *blob)
{
    const cJSON *mime = cJSON_GetObjectItemCaseSensitive(blob, "mimeType");
    if (!mime)
        mime = cJSON_GetObjectItemCaseSensitive(blob, "mime_type");
    return cJSON_IsString(mime) && strncmp(mime->valuestring, "image/", 6) == 0 ? "[image]"
                                                                               : "[file]";
}

/* The text of a Gemini "parts" array into b. */
static rp_status parts_text(rp_jctx *c, const cJSON *parts, const char *path, rp_buf *b)
{
    char p[RP_JPATH_MAX];
    size_t i = 0;
    for (const cJSON *e = parts->child; e; e = e->next, i++) {
        rp_jp_idx(p, sizeof p, path, i);
        if (!cJSON_IsObject(e)) {
            rp_jerr(c, p, "expected a part object");
            return RP_EINPUT;
        }
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "thought")))
            continue;
        const char *text;
        if (rp_jstr(c, e, "text", p, &text) != RP_OK)
            return RP_EINPUT;
        const cJSON *v;
        if (!text && (v = cJSON_GetObjectItemCaseSensitive(e, "executableCode")))
            text = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(v, "code"));
        if (!text && (v = cJSON_GetObjectItemCaseSensitive(e, "codeExecutionResult")))
            text = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(v, "output"));
        if (!text && ((v = cJSON_GetObjectItemCaseSensitive(e, "inlineData")) ||
                      (v = cJSON_GetObjectItemCaseSensitive(e, "fileData"))))
            text = attachment(v);
        /* functionCall, functionResponse: tool traffic, not text */
        if (rp_buf_para(b, text) != RP_OK)
            return RP_ELIMIT;
    }
    return RP_OK;
}

/* Add one message of role r (a name) at path whose text is in b. */
static rp_status add_turn(rp_jctx *c, rp_transcript *t, const char *path, const char *r, rp_buf *b)
{
    rp_role role;
    bool skip;
    if (!rp_jrole(r, &role, &skip)) {
        rp_jerr(c, path, "unknown role '%.40s' (expected user or model)", r);
        return RP_EINPUT;
    }
    if (skip)
        return RP_OK;
    return rp_jturn(c, path, role, b->data ? b->data : "", b->len, NULL,
                    role == RP_ROLE_MODEL ? t->model : NULL);
}

/* The model's name without the API's "models/" prefix. */
static const char *model_name(const char *model)
{
    if (model && strncmp(model, "models/", 7) == 0 && model[7])
        return model + 7;
    return model;
}

/* --------------------------------------------------------- Gemini API */

/* One content: {"role", "parts"}. */
static rp_status content(rp_jctx *c, rp_transcript *t, const cJSON *m, char *p, size_t i,
                         rp_buf *b)
{
    (void)i;
    char q[RP_JPATH_MAX];
    const char *r;
    const cJSON *parts;
    if (!cJSON_IsObject(m)) {
        rp_jerr(c, p, "expected a content object with \"parts\"");
        return RP_EINPUT;
    }
    if (rp_jstr(c, m, "role", p, &r) != RP_OK || rp_jarr(c, m, "parts", p, &parts) != RP_OK)
        return RP_EINPUT;
    if (!parts) {
        rp_jmissing(c, p, m, "a content without \"parts\"");
        return RP_EINPUT;
    }
    rp_status st = parts_text(c, parts, rp_jp_key(q, sizeof q, p, "parts"), b);
    if (st == RP_ELIMIT)
        rp_jerr(c, p, "text larger than the input limit");
    return st == RP_OK ? add_turn(c, t, p, r ? r : "user", b) : st; /* the API's default role */
}

static rp_status gemini_doc(rp_jctx *c, const cJSON *obj, const char *path)
{
    char p[RP_JPATH_MAX];
    const cJSON *list;
    const char *model;
    if (!cJSON_IsObject(obj)) {
        rp_jerr(c, path, "expected an object with \"contents\"");
        return RP_EINPUT;
    }
    if (rp_jarr(c, obj, "contents", path, &list) != RP_OK ||
        rp_jstr(c, obj, "model", path, &model) != RP_OK)
        return RP_EINPUT;
    if (!list) {
        rp_jmissing(c, path, obj, "no \"contents\" array");
        return RP_EINPUT;
    }
    return rp_jlist(c, list, rp_jp_key(p, sizeof p, path, "contents"), NULL, model_name(model),
                    content);
}

rp_status rp_doc_gemini(rp_jctx *c, const cJSON *root)
{
    /* a bare list of contents: [{"role", "parts"}, …] */
    if (cJSON_IsArray(root) && cJSON_GetObjectItemCaseSensitive(root->child, "parts"))
        return rp_jlist(c, root, "$", NULL, NULL, content);
    return rp_jeach(c, root, gemini_doc, "Gemini API requests (an object or an array)");
}

rp_status rp_read_gemini(const char *label, const char *data, size_t n,
                         const rp_ingest_opts *opts, rp_transcript_set *out,
                         rp_diags *d)
{
    return rp_json_read(label, data, n, opts, out, d, "gemini", rp_doc_gemini);
}

/* ---------------------------------------------------- Google AI Studio */

/* The text of one chunk into b. */
static rp_status chunk_text(rp_jctx *c, const cJSON *ch, const char *path, rp_buf *b)
{
    char q[RP_JPATH_MAX];
    const cJSON *parts;
    const char *text;
    if (rp_jarr(c, ch, "parts", path, &parts) != RP_OK || rp_jstr(c, ch, "text", path, &text) != RP_OK)
        return RP_EINPUT;
    if (parts)
        return parts_text(c, parts, rp_jp_key(q, sizeof q, path, "parts"), b);
    if (text)
        return rp_buf_para(b, text);
    if (cJSON_GetObjectItemCaseSensitive(ch, "inlineImage") ||
        cJSON_GetObjectItemCaseSensitive(ch, "driveImage"))
        return rp_buf_para(b, "[image]");
    if (cJSON_GetObjectItemCaseSensitive(ch, "inlineFile") ||
        cJSON_GetObjectItemCaseSensitive(ch, "driveDocument"))
        return rp_buf_para(b, "[file]");
    return RP_OK;
}

/* One chunk: {"role", "text" or "parts", "isThought"}. */
static rp_status chunk(rp_jctx *c, rp_transcript *t, const cJSON *ch, char *r, size_t i,
                       rp_buf *b)
{
    (void)i;
    const char *role;
    if (!cJSON_IsObject(ch)) {
        rp_jerr(c, r, "expected a chunk object");
        return RP_EINPUT;
    }
    if (rp_jstr(c, ch, "role", r, &role) != RP_OK)
        return RP_EINPUT;
    if (!role) {
        rp_jmissing(c, r, ch, "a chunk without \"role\"");
        return RP_EINPUT;
    }
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ch, "isThought")))
        return RP_OK;
    rp_status st = chunk_text(c, ch, r, b);
    if (st == RP_ELIMIT)
        rp_jerr(c, r, "text larger than the input limit");
    return st == RP_OK ? add_turn(c, t, r, role, b) : st;
}

static rp_status aistudio_doc(rp_jctx *c, const cJSON *obj, const char *path)
{
    char p[RP_JPATH_MAX], q[RP_JPATH_MAX];
    const cJSON *prompt, *chunks, *run;
    const char *model = NULL;
    if (!cJSON_IsObject(obj)) {
        rp_jerr(c, path, "expected an object with \"chunkedPrompt\"");
        return RP_EINPUT;
    }
    if (rp_jobj(c, obj, "chunkedPrompt", path, &prompt) != RP_OK ||
        rp_jobj(c, obj, "runSettings", path, &run) != RP_OK ||
        (run && rp_jstr(c, run, "model", rp_jp_key(q, sizeof q, path, "runSettings"), &model) != RP_OK))
        return RP_EINPUT;
    if (!prompt) {
        rp_jmissing(c, path, obj, "no \"chunkedPrompt\" object");
        return RP_EINPUT;
    }
    rp_jp_key(p, sizeof p, path, "chunkedPrompt");
    if (rp_jarr(c, prompt, "chunks", p, &chunks) != RP_OK)
        return RP_EINPUT;
    if (!chunks) {
        rp_jerr(c, p, "no \"chunks\" array");
        return RP_EINPUT;
    }
    return rp_jlist(c, chunks, rp_jp_key(q, sizeof q, p, "chunks"), NULL, model_name(model), chunk);
}

rp_status rp_doc_aistudio(rp_jctx *c, const cJSON *root)
{
    return rp_jeach(c, root, aistudio_doc, "Google AI Studio prompts (an object or an array)");
}

rp_status rp_read_aistudio(const char *label, const char *data, size_t n,
                           const rp_ingest_opts *opts, rp_transcript_set *out,
                           rp_diags *d)
{
    return rp_json_read(label, data, n, opts, out, d, "aistudio", rp_doc_aistudio);
}
