/*
 * Gold answers inside the data: evaluation outputs (GSM8K- and MATH-style
 * records, tutoring dialogues, RL rollouts) carry each conversation's own
 * gold answer in a field of its JSON record.  Here a record's gold and
 * question are read (a dotted path into the record: "answer",
 * "metadata.gold"), the gold is reduced to the answer it states, and the
 * conversation is graded against a one-part rubric of that answer
 * (rp_rubric_from_answer), whose title is the question, so reports show it.
 *
 * The gold is read as a claim is: GSM8K's "#### N" line (the data set's
 * own answer line) when there is one, else the extractor's claim over the
 * whole text (\boxed{}, "The answer is ...", the last math), else the
 * text itself.  A thousands separator in a plain number ("1,250") is
 * dropped, so the number does not read as a pair.
 */
#include "pipeline_int.h"

#include "redpen/extract.h"
#include "redpen/rubric.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* The member at a dotted path ("metadata.gold"), or NULL. */
static const cJSON *at_path(const cJSON *o, const char *path)
{
    char key[256];
    while (o && *path) {
        const char *dot = strchr(path, '.');
        size_t n = dot ? (size_t)(dot - path) : strlen(path);
        if (n >= sizeof key)
            return NULL;
        memcpy(key, path, n);
        key[n] = '\0';
        o = cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
        path += n + (dot != NULL);
    }
    return o;
}

/* A string or number member as text (arena a), or NULL. */
static const char *field_text(rp_arena *a, const cJSON *o, const char *path)
{
    const cJSON *v = at_path(o, path);
    if (cJSON_IsString(v)) {
        const char *s = v->valuestring;
        while (isspace((unsigned char)*s))
            s++;
        return *s ? rp_arena_strdup(a, s) : NULL;
    }
    if (cJSON_IsNumber(v))
        return rp_arena_printf(a, "%.15g", v->valuedouble);
    return NULL;
}

/* s trimmed; a plain number with thousands separators loses them. */
static const char *clean_number(rp_arena *a, const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n && (isspace((unsigned char)s[n - 1]) || s[n - 1] == '.'))
        n--;
    char *out = rp_arena_alloc(a, n + 1);
    if (!out)
        return NULL;
    size_t k = 0;
    bool grouped = n > 4;
    for (size_t i = 0; i < n && grouped; i++)
        grouped = isdigit((unsigned char)s[i]) || s[i] == '-' || s[i] == '$' ||
                  (s[i] == ',' && i + 3 < n + 1 && i + 3 <= n &&
                   isdigit((unsigned char)s[i + 1]) && isdigit((unsigned char)s[i + 2]) &&
                   isdigit((unsigned char)s[i + 3]) &&
                   (i + 4 == n || !isdigit((unsigned char)s[i + 4])));
    for (size_t i = 0; i < n; i++)
        if (!(grouped && (s[i] == ',' || s[i] == '$')))
            out[k++] = s[i];
    out[k] = '\0';
    return out;
}

/* The answer a gold text states (see the top of the file). */
static const char *gold_answer(rp_arena *a, const char *text)
{
    size_t n = strlen(text);
    const char *hash = NULL;
    for (const char *p = text; (p = strstr(p, "####")) != NULL; p += 4)
        if (p == text || p[-1] == '\n')
            hash = p;
    if (hash) {
        hash += 4;
        const char *e = strchr(hash, '\n');
        return clean_number(a, hash, e ? (size_t)(e - hash) : strlen(hash));
    }
    /* "The answer is 42." (the extractor leaves this phrase to context) */
    const char *last = NULL;
    for (const char *p = text; *p; p++)
        if (strncasecmp(p, "answer is", 9) == 0)
            last = p + 9;
    if (last) {
        while (*last == ' ' || *last == ':')
            last++;
        size_t k = 0;
        while (last[k] && last[k] != '\n' &&
               !(last[k] == '.' && (!last[k + 1] || isspace((unsigned char)last[k + 1]))))
            k++;
        if (k)
            return clean_number(a, last, k);
    }
    rp_part_span span = {0, 0, n, false};
    rp_extract_spec spec;
    memset(&spec, 0, sizeof spec);
    spec.expect = RP_EXPECT_SCALAR;
    rp_claim cl;
    if (rp_extract_claim(text, n, &span, 1, &spec, a, &cl) == RP_OK && cl.kind == RP_CLAIM_MATH &&
        cl.latex && *cl.latex)
        return clean_number(a, cl.latex, strlen(cl.latex));
    return clean_number(a, text, n);
}

rp_status rp_gold_read(const rp_pipeline *p, const char *text, size_t n, const char *label,
                       unsigned line, rp_arena *a, const char **gold, const char **question,
                       rp_diags *d)
{
    *gold = *question = NULL;
    cJSON *o = cJSON_ParseWithLength(text, n);
    if (!cJSON_IsObject(o)) {
        cJSON_Delete(o);
        rp_diag_add(d, label, line, 0, "expected a JSON object (a record with its gold answer)");
        return RP_EINPUT;
    }
    const char *g = field_text(a, o, p->gold_field);
    if (p->question_field)
        *question = field_text(a, o, p->question_field);
    cJSON_Delete(o);
    if (!g) {
        rp_diag_add(d, label, line, 0, "record has no gold answer at \"%s\"%s", p->gold_field,
                    p->keep_going ? " (skipped)" : "");
        return RP_ENOTFOUND;
    }
    *gold = gold_answer(a, g);
    return *gold ? RP_OK : RP_ENOMEM;
}

rp_status rp_pipeline_grade_gold(const rp_pipeline *p, const rp_transcript *t, const char *gold,
                                 const char *question, rp_report **out,
                                 struct rp_rubric **rubric, rp_diags *d)
{
    *out = NULL;
    *rubric = NULL;
    rp_status st = rp_rubric_from_answer(t->path ? t->path : "<record>", gold, question,
                                         rubric, d);
    /* no memo: it knows rubrics by address and answers by part id, and
     * every record's part 1a has its own gold */
    rp_grade_opts go = p->grade;
    go.memo = NULL;
    if (st == RP_OK && rp_registry_strict_units(p->rubrics))
        rp_rubric_require_units(*rubric);
    if (st == RP_OK)
        st = rp_grade_transcript(t, *rubric, &go, out, d);
    if (st == RP_OK && (st = rp_report_set_truth(*out, *rubric)) != RP_OK) { /* expected answers */
        rp_report_free(*out);
        *out = NULL;
    }
    return st;
}

size_t rp_gold_next_element(const char *s, size_t n, size_t *at, size_t *start)
{
    size_t i = *at;
    while (i < n && (isspace((unsigned char)s[i]) || s[i] == ',' || s[i] == '['))
        i++;
    if (i >= n || s[i] == ']') {
        *at = n;
        return 0;
    }
    *start = i;
    int depth = 0;
    bool str = false;
    for (; i < n; i++) {
        char c = s[i];
        if (str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                str = false;
        } else if (c == '"') {
            str = true;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            if (--depth <= 0) {
                i++;
                break;
            }
        } else if (c == ',' && depth == 0) {
            break;
        }
    }
    *at = i;
    return i - *start;
}
