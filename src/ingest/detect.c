/*
 * Format detection: look at the shape of the text to pick a reader.  JSON
 * exports (whole documents or JSONL) are told apart by the object keys they
 * use, found by a scan that respects strings so that text inside messages
 * cannot mislead it; Markdown exports by role headings ("## User",
 * "#### ChatGPT:") or bold role labels ("**User:**"); anything else is a
 * chat page copied as text.
 */
#include "fmt_util.h"

#include <ctype.h>
#include <string.h>

enum {
    K_MAPPING = 1 << 0,
    K_CURRENT_NODE = 1 << 1,
    K_CHAT_MESSAGES = 1 << 2,
    K_CURRENT_ID = 1 << 3,
    K_HISTORY = 1 << 4,
    K_CONVERSATIONS = 1 << 5,
    K_FROM = 1 << 6,
    K_MESSAGES = 1 << 7,
    K_ROLE = 1 << 8,
    K_SENDER = 1 << 9,
    K_CHUNKED = 1 << 10,   /* chunkedPrompt: Google AI Studio */
    K_CONTENTS = 1 << 11,  /* contents[].parts[]: Gemini API */
    K_PARTS = 1 << 12,
    K_RESPONSES = 1 << 13, /* responses[].response: Grok export */
    K_INPUT = 1 << 14,     /* input / output items: OpenAI Responses API */
    K_OUTPUT = 1 << 15,
    K_CONVERSATION = 1 << 16, /* conversation: LMSYS-Chat rows */
    K_BY_USER = 1 << 17,   /* isCreatedByUser: LibreChat */
    K_VERSIONS = 1 << 18,  /* messages[].versions: LM Studio */
    K_IS_USER = 1 << 19,   /* is_user / mes / character_name: SillyTavern */
    K_MES = 1 << 20,
    K_CHARACTER = 1 << 21
};

#define KEY(name, bit) {name, sizeof name - 1, bit}
static const struct {
    const char *name;
    size_t len; /* strlen(name) */
    unsigned bit;
} keys[] = {
    KEY("mapping", K_MAPPING),             KEY("current_node", K_CURRENT_NODE),
    KEY("chat_messages", K_CHAT_MESSAGES), KEY("currentId", K_CURRENT_ID),
    KEY("history", K_HISTORY),             KEY("conversations", K_CONVERSATIONS),
    KEY("from", K_FROM),                   KEY("messages", K_MESSAGES),
    KEY("role", K_ROLE),                   KEY("sender", K_SENDER),
    KEY("chunkedPrompt", K_CHUNKED),       KEY("contents", K_CONTENTS),
    KEY("parts", K_PARTS),                 KEY("responses", K_RESPONSES),
    KEY("input", K_INPUT),                 KEY("output", K_OUTPUT),
    KEY("conversation", K_CONVERSATION),   KEY("isCreatedByUser", K_BY_USER),
    KEY("versions", K_VERSIONS),           KEY("is_user", K_IS_USER),
    KEY("mes", K_MES),                     KEY("character_name", K_CHARACTER),
};
#undef KEY

/* Keys that name their format whatever else the text holds. */
#define K_DECISIVE (K_MAPPING | K_CHAT_MESSAGES | K_CURRENT_ID | K_CHUNKED | K_BY_USER)

static unsigned key_bit(const char *s, size_t len)
{
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
        if (keys[k].len == len && memcmp(s, keys[k].name, len) == 0)
            return keys[k].bit;
    return 0;
}

/* The set of known keys used in the JSON text s[0..n).  Strings are
 * jumped over quote to quote (rp_json_string_end), so a line of long
 * messages costs about as much as a memchr over it. */
static unsigned json_keys(const char *s, size_t n)
{
    unsigned found = 0;
    size_t i = 0;
    while (i < n) {
        const char *q = memchr(s + i, '"', n - i);
        if (!q)
            break;
        size_t start = (size_t)(q - s) + 1;
        i = rp_json_string_end(s, n, start);
        if (i >= n)
            break;
        size_t len = i - start;
        i++;
        size_t j = i;
        while (j < n && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r' || s[j] == '\n'))
            j++;
        if (j >= n || s[j] != ':')
            continue;
        found |= key_bit(s + start, len);
        if (found & K_DECISIVE)
            break;
    }
    return found;
}

/* The format that the known keys k name, or NULL when they name none.
 * The order settles overlaps: a format whose key is its own comes before
 * the generic message lists ("messages", "conversation", "input"). */
static const char *keys_format(unsigned k)
{
    if (k & K_MAPPING)
        return "chatgpt";
    if (k & K_CHAT_MESSAGES)
        return "claude";
    if ((k & K_CURRENT_ID) || ((k & K_HISTORY) && (k & K_MESSAGES) && !(k & K_CONVERSATIONS)))
        return "openwebui";
    if (k & K_CHUNKED)
        return "aistudio";
    if (k & K_BY_USER)
        return "librechat";
    if ((k & K_IS_USER) || ((k & K_MES) && !(k & K_MESSAGES)) || (k & K_CHARACTER))
        return "sillytavern";
    if ((k & K_CONVERSATIONS) && (k & K_FROM))
        return "sharegpt";
    if (k & K_VERSIONS)
        return "lmstudio";
    if ((k & K_CONTENTS) && (k & K_PARTS))
        return "gemini";
    if (k & K_MESSAGES)
        return "openai";
    if (k & K_RESPONSES)
        return "grok";
    if ((k & K_CONVERSATION) && (k & K_ROLE))
        return "lmsys";
    if (k & (K_INPUT | K_OUTPUT))
        return "responses";
    return NULL;
}

/* The key bits of obj's members and, down to depth more levels, of the
 * objects inside it (arrays: their first element). */
static unsigned obj_keys(const cJSON *obj, int depth)
{
    unsigned k = 0;
    for (const cJSON *e = cJSON_IsObject(obj) || cJSON_IsArray(obj) ? obj->child : NULL; e;
         e = e->next) {
        if (e->string)
            k |= key_bit(e->string, strlen(e->string));
        if (depth > 0 && (cJSON_IsObject(e) || cJSON_IsArray(e)))
            k |= obj_keys(e, depth - 1);
        if (cJSON_IsArray(obj))
            break;
    }
    return k;
}

const char *rp_json_format_keys(void)
{
    return "chatgpt: mapping; claude: chat_messages; openwebui: history, currentId; "
           "aistudio: chunkedPrompt; librechat: isCreatedByUser; "
           "sillytavern: is_user, mes; sharegpt: conversations with from; lmstudio: versions; "
           "gemini: contents with parts; openai: messages; grok: responses; "
           "lmsys: conversation; responses: input, output";
}

const char *rp_json_obj_format(const cJSON *obj)
{
    return keys_format(obj_keys(obj, 3));
}

static const char *json_format(const char *s, size_t n)
{
    const char *f = keys_format(json_keys(s, n));
    return f ? f : "openai"; /* its reader explains when nothing matches */
}

const char *rp_json_line_format(const char *s, size_t n)
{
    return keys_format(json_keys(s, n));
}

/* The role of a Markdown line that is a role heading or starts with a bold
 * role label, or -1. */
static int md_line_role(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && i < 3 && s[i] == ' ')
        i++;
    rp_role role;
    rp_span model;
    if (i < n && s[i] == '#') {
        size_t h = 0;
        while (i < n && s[i] == '#' && h < 7) {
            i++;
            h++;
        }
        if (h > 6 || i >= n || (s[i] != ' ' && s[i] != '\t'))
            return -1;
        /* closing #s of an ATX heading */
        size_t e = n;
        while (e > i && (s[e - 1] == ' ' || s[e - 1] == '#' || s[e - 1] == '\r'))
            e--;
        return rp_md_role_label(s + i, e - i, &role, &model) ? (int)role : -1;
    }
    if (i + 2 < n && ((s[i] == '*' && s[i + 1] == '*') || (s[i] == '_' && s[i + 1] == '_'))) {
        char q = s[i];
        size_t a = i + 2, e = a;
        while (e + 1 < n && !(s[e] == q && s[e + 1] == q))
            e++;
        if (e + 1 >= n)
            return -1;
        bool colon = (e > a && s[e - 1] == ':') || (e + 2 < n && s[e + 2] == ':');
        bool alone = rp_span_trim(rp_span_make(s + e + 2, n - e - 2)).n == 0;
        if ((colon || alone) && rp_md_role_label(s + a, e - a, &role, &model))
            return (int)role;
    }
    return -1;
}

/* Whether s[0..n) reads as a Markdown export: at least one user and one
 * model role marker outside fenced code. */
static bool looks_markdown(const char *s, size_t n)
{
    bool user = false, model = false, fence = false;
    size_t i = 0;
    while (i < n && !(user && model)) {
        const char *nl = memchr(s + i, '\n', n - i);
        size_t e = nl ? (size_t)(nl - s) : n;
        rp_span line = rp_span_make(s + i, e - i);
        rp_span t = rp_span_trim(line);
        if (rp_span_starts(t, "```") || rp_span_starts(t, "~~~"))
            fence = !fence;
        else if (!fence) {
            int r = md_line_role(line.p, line.n);
            if (r == RP_ROLE_USER)
                user = true;
            else if (r == RP_ROLE_MODEL)
                model = true;
        }
        i = e + 1;
    }
    return user && model;
}

const char *rp_ingest_detect(const char *data, size_t n)
{
    size_t i = 0;
    while (i < n && isspace((unsigned char)data[i]))
        i++;
    if (i < n && (data[i] == '{' || data[i] == '[')) {
        /* JSON when the bracket is followed by what JSON allows there
         * ("[image] You said:" is text) */
        size_t j = i + 1;
        while (j < n && isspace((unsigned char)data[j]))
            j++;
        char nx = j < n ? data[j] : '\0';
        bool json = data[i] == '{' ? (nx == '"' || nx == '}')
                                   : (nx == '{' || nx == '[' || nx == '"' || nx == ']');
        if (json || j >= n)
            return json_format(data + i, n - i);
    }
    if (looks_markdown(data, n))
        return "markdown";
    return "chat-text";
}
