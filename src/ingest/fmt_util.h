/*
 * Helpers shared by the structured-format readers (Markdown and the JSON
 * exports): reading one JSON document or JSONL lines with a depth check
 * before cJSON sees the text, typed field access that reports the JSON path
 * of a wrong type, following parent links of a message tree, time stamps,
 * and adding turns with hidden reasoning kept out of the graded text.
 */
#ifndef RP_INGEST_FMT_UTIL_H
#define RP_INGEST_FMT_UTIL_H

#include "reader.h"

#include <cjson/cJSON.h>

/* Most conversations one input may hold (each has its own arena). */
#define RP_MAX_CONVERSATIONS 20000

/* Longest JSON path kept in a diagnostic (longer ones are cut). */
#define RP_JPATH_MAX 512

/* Collects the turns of one transcript: text of the same role as the
 * previous message is appended to it (a reply split over several messages
 * is one turn) in a capped buffer, so that many small messages cost linear
 * time, and the turn is added to the transcript when the role changes or
 * at the end. */
typedef struct rp_turnacc {
    rp_transcript *t;  /* the transcript being built (not owned) */
    rp_buf buf;        /* text of the pending turn (owned) */
    bool open;         /* a turn is pending */
    rp_role role;      /* its role */
    unsigned line;     /* its source line */
    const char *time;  /* its time stamp, in t's arena, or NULL */
    const char *model; /* its model name, in t's arena, or NULL */
} rp_turnacc;

/* Start collecting turns for t; a turn may hold at most max bytes. */
void rp_acc_start(rp_turnacc *a, rp_transcript *t, size_t max);

/* Add text[0..n) of role: hidden reasoning is removed from model turns,
 * white space trimmed and an empty text skipped; text of the pending
 * turn's role joins it after a blank line.  time and model (may be NULL)
 * are copied when they start a turn (or the turn had none).  RP_ENOMEM, or
 * RP_ELIMIT when the turn would pass max bytes. */
rp_status rp_acc_add(rp_turnacc *a, rp_role role, const char *text, size_t n,
                     unsigned line, const char *time, const char *model);

/* Add the pending turn to the transcript and release the buffer. */
rp_status rp_acc_finish(rp_turnacc *a);

/* Release the buffer without adding the pending turn. */
void rp_acc_discard(rp_turnacc *a);

/* The state of one JSON read: where diagnostics go and which document
 * (JSONL line) is being converted. */
typedef struct rp_jctx {
    const char *label;           /* file name or URL for diagnostics */
    const char *data;            /* the whole input */
    size_t n;                    /* its length */
    const rp_ingest_opts *opts;  /* limits (never NULL) */
    rp_transcript_set *out;      /* where conversations go */
    rp_diags *d;                 /* diagnostics */
    const char *format;          /* format name given to new transcripts */
    unsigned line;               /* JSONL: line of the current document; 0 otherwise */
    rp_turnacc acc;              /* turns of the conversation being read */
    size_t dropped;              /* conversations without a turn, skipped */
    rp_transcript *pending;      /* a conversation spread over JSONL lines
                                    (SillyTavern): pushed when the read ends */
} rp_jctx;

/* Converts one parsed JSON document into transcripts pushed on c->out. */
typedef rp_status (*rp_jdoc_fn)(rp_jctx *c, const cJSON *root);

/* The documents of each JSON format (one per reader). */
rp_status rp_doc_openai(rp_jctx *c, const cJSON *root);
rp_status rp_doc_responses(rp_jctx *c, const cJSON *root);
rp_status rp_doc_lmsys(rp_jctx *c, const cJSON *root);
rp_status rp_doc_sharegpt(rp_jctx *c, const cJSON *root);
rp_status rp_doc_chatgpt(rp_jctx *c, const cJSON *root);
rp_status rp_doc_claude(rp_jctx *c, const cJSON *root);
rp_status rp_doc_openwebui(rp_jctx *c, const cJSON *root);
rp_status rp_doc_aistudio(rp_jctx *c, const cJSON *root);
rp_status rp_doc_gemini(rp_jctx *c, const cJSON *root);
rp_status rp_doc_grok(rp_jctx *c, const cJSON *root);
rp_status rp_doc_librechat(rp_jctx *c, const cJSON *root);
rp_status rp_doc_lmstudio(rp_jctx *c, const cJSON *root);
rp_status rp_doc_sillytavern(rp_jctx *c, const cJSON *root);

/* The document function of the JSON format named format (or its alias),
 * with *name set to the format's own name; NULL for a text format or an
 * unknown name (ingest.c). */
rp_jdoc_fn rp_doc_for(const char *format, const char **name);

/* The JSON format that the keys of obj and of the objects right inside it
 * name, or NULL: a hint for a diagnostic when a document does not read in
 * the format that was chosen (detect.c). */
const char *rp_json_obj_format(const cJSON *obj);

/* Report that obj at path lacks what the format being read needs (what:
 * "message 3 has no \"role\""), naming the keys it has, and the format
 * they point to when that is another one ("try --input-format librechat"). */
void rp_jmissing(rp_jctx *c, const char *path, const cJSON *obj, const char *what);

/* The keys by which each JSON format is recognised, as one line for a
 * diagnostic ("chatgpt: mapping; claude: chat_messages; …"), in the
 * order detection tries them (detect.c). */
const char *rp_json_format_keys(void);

/* Reads one element m of a message list into t; path (a buffer of
 * RP_JPATH_MAX bytes the function may rewrite) names it, i is its index
 * and b a scratch buffer to collect its text. */
typedef rp_status (*rp_jmsg_fn)(rp_jctx *c, rp_transcript *t, const cJSON *m, char *path,
                                size_t i, rp_buf *b);

/* Read one conversation whose messages are the array list at list_path:
 * a new transcript with title and model (either may be NULL or empty),
 * each element handed to fn, then pushed (dropped after a failure). */
rp_status rp_jlist(rp_jctx *c, const cJSON *list, const char *list_path, const char *title,
                   const char *model, rp_jmsg_fn fn);

/* Map a role name used by message-list formats ("user", "human",
 * "assistant", "model", "ai", "bot", "gpt"; any case) to *role; *skip for
 * roles that are not turns (system, developer, tool, function).  false for
 * an unknown name. */
bool rp_jrole(const char *r, rp_role *role, bool *skip);

/* Text of a list of content parts in the shapes the message formats share
 * (a string, or objects with "text" or "value", typed text / input_text /
 * output_text, "refusal", images as "[image]"; reasoning, audio, files and
 * tool parts left out) appended to b as paragraphs.  content may also be a
 * plain string.  A wrong type is reported at path (RP_EINPUT); RP_ELIMIT
 * when b is full. */
rp_status rp_jparts(rp_jctx *c, const cJSON *content, const char *path, rp_buf *b);

/* The JSON format that the keys of one JSONL line name without doubt, or
 * NULL when they name none (detect.c). */
const char *rp_json_line_format(const char *s, size_t n);

/* Parse data[0..n) as one JSON document, or as JSONL (one document per
 * non-blank line) when more than one value follows another, and hand each
 * document to fn.  In JSONL whose format was detected rather than given
 * (opts->format NULL), a line whose keys name another JSON format goes to
 * that format's documents: a file may mix OpenAI and ShareGPT lines, as a
 * stream may.  Nesting deeper than opts->max_depth and syntax errors are
 * reported with label:line:col and give RP_EINPUT.  Transcripts are pushed
 * onto out (the caller frees them on failure). */
rp_status rp_json_read(const char *label, const char *data, size_t n,
                       const rp_ingest_opts *opts, rp_transcript_set *out,
                       rp_diags *d, const char *format, rp_jdoc_fn fn);

/* The offset of the quote that ends the JSON string whose body starts at
 * s[i] (just past its opening quote), or n when it never ends.  A
 * backslash escapes the byte after it.  Jumps from quote to quote with
 * memchr, so long message texts cost little to skip. */
size_t rp_json_string_end(const char *s, size_t n, size_t i);

/* Add a diagnostic about the JSON value at path (e.g. "$[0].mapping"),
 * naming the JSONL line when there is one. */
void rp_jerr(rp_jctx *c, const char *path, const char *fmt, ...) RP_PRINTF(3, 4);

/* Write base + ".key" (or base + "[\"key\"]" when key is not a plain
 * identifier) into dst[cap]; returns dst.  Cut at cap. */
const char *rp_jp_key(char *dst, size_t cap, const char *base, const char *key);
/* Write base + "[i]" into dst[cap]; returns dst. */
const char *rp_jp_idx(char *dst, size_t cap, const char *base, size_t i);

/* obj[key] as a string: *out is its value (owned by the cJSON tree), or NULL
 * when the key is missing or null.  Another type is an error naming
 * path.key (RP_EINPUT). */
rp_status rp_jstr(rp_jctx *c, const cJSON *obj, const char *key,
                  const char *path, const char **out);
/* obj[key] as an array (NULL when missing or null); another type is an
 * error. */
rp_status rp_jarr(rp_jctx *c, const cJSON *obj, const char *key,
                  const char *path, const cJSON **out);
/* obj[key] as an object (NULL when missing or null); another type is an
 * error. */
rp_status rp_jobj(rp_jctx *c, const cJSON *obj, const char *key,
                  const char *path, const cJSON **out);

/* One conversation at path in a parsed document. */
typedef rp_status (*rp_jconv_fn)(rp_jctx *c, const cJSON *conv, const char *path);

/* Convert root when it is one conversation object, or each element of root
 * when it is an array ("$[i]"); anything else is an error saying that what
 * ("ChatGPT conversations") was expected. */
rp_status rp_jeach(rp_jctx *c, const cJSON *root, rp_jconv_fn conv, const char *what);

/* Append s (NULL or empty: nothing) to b as a new paragraph: "\n\n" first
 * when b is not empty.  RP_ELIMIT when b is full. */
rp_status rp_buf_para(rp_buf *b, const char *s);

/* A time stamp for v in t's arena: a string is copied as is, a number of
 * seconds (or milliseconds, when too large for seconds) since 1970 becomes
 * "YYYY-MM-DDTHH:MM:SSZ".  NULL for anything else. */
const char *rp_jtime(rp_transcript *t, const cJSON *v);

/* A new transcript of c->format in *t, whose turns c->acc collects (end
 * with rp_jpush or rp_jdrop).  RP_ENOMEM, or RP_ELIMIT past
 * RP_MAX_CONVERSATIONS, after a diagnostic. */
rp_status rp_jnew(rp_jctx *c, rp_transcript **t);
/* Add a turn to the conversation being read (rp_acc_add); a failure is
 * reported at path.  model (NULL or empty: none) is kept for a model turn
 * only, and names the transcript's model when it has none yet. */
rp_status rp_jturn(rp_jctx *c, const char *path, rp_role role, const char *text,
                   size_t n, const char *time, const char *model);
/* Finish t's turns and push it onto c->out when it has any, else free it
 * and count it in c->dropped (either way t is no longer the caller's). */
rp_status rp_jpush(rp_jctx *c, rp_transcript *t);
/* Abandon t after an error: free it and its pending turn. */
void rp_jdrop(rp_jctx *c, rp_transcript *t);

/* Follow parent links through nodes (an object keyed by node id) from the
 * node start up to the root.  parent_key names the field holding the parent
 * id ("parent", "parentId"); null or missing ends the walk, and so does a
 * parent id that names no node when orphan_is_root (Claude marks the root's
 * parent with a placeholder id).  On success
 * *out (malloc'd, caller frees) holds the nodes root first and *n their
 * count.  A missing node, a parent link that loops or a wrong type gives a
 * diagnostic naming the JSON path below nodes_path, and RP_EINPUT. */
rp_status rp_jtree_path(rp_jctx *c, const cJSON *nodes, const char *nodes_path,
                        const char *start, const char *start_path,
                        const char *parent_key, bool orphan_is_root,
                        const cJSON ***out, size_t *n);

/* Remove hidden reasoning from s[0..n) in place: <think>, <thinking>,
 * <reasoning> and <details> blocks (nested ones too; an unclosed block
 * runs to the end) that open a line, with the blank space after them, and
 * everything up to a lone </think>; never inside fenced or inline code,
 * and never a tag in the middle of a sentence.  Returns the new length; s
 * stays NUL-terminated when it was. */
size_t rp_strip_hidden(char *s, size_t n);
/* The same, looking at every byte alone (rp_strip_hidden() moves runs of
 * plain text in one step): for the tests, which hold the two equal. */
size_t rp_strip_hidden_bytewise(char *s, size_t n);

/* Whether s[0..n) (the text of a heading or a bold label, e.g. "👤 User",
 * "ChatGPT:", "Prompt:", "Claude 3.5 Sonnet", "Assistant (gpt-4o)") names a
 * role: *role is set, and *model to the model name it carries (or an empty
 * span).  Defined in markdown.c. */
bool rp_md_role_label(const char *s, size_t n, rp_role *role, rp_span *model);

#endif
