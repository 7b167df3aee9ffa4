/*
 * The JSON report of `redpen grade` (DESIGN.md, "JSON report of grade",
 * schema 1): written from an rp_report with cJSON, one object per report,
 * the {"reports": […]} form for several, and JSON Lines; and read back, so
 * that `redpen compare` works over saved reports.  The reader checks every
 * value it uses and names the JSON path of the first bad one.
 */
#include "report_int.h"

#include "redpen/jsonw.h"
#include "redpen/rubric.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_REPORTS 100000
#define MAX_ITEMS 100000  /* parts, attempts or corrections in one report */
#define MAX_STUB_TURNS 100000

/* --------------------------------------------------------------- writer */

/* The writer goes straight into the output through jsonw.h, in cJSON's
 * layout (saved reports were printed by cJSON, and stay byte-identical).
 * Members come in the order of DESIGN.md's schema. */

/* Writes a as member key (NULL: an element); returns where its object
 * starts in the output (rp_jw_value_start()), for rp_jw_repeat().
 * same_attempt() compares every field read here: a field written here and
 * not compared there would be copied from another attempt's output. */
static size_t attempt_json(rp_jw *j, const char *key, const rp_attempt *a)
{
    rp_jw_obj_open(j, key);
    size_t from = rp_jw_value_start(j);
    if (a->verdict == RP_VERDICT_MISSING || a->turn <= 0)
        rp_jw_null(j, "turn");
    else
        rp_jw_num(j, "turn", a->turn);
    rp_jw_str(j, "verdict", rp_verdict_name(a->verdict));
    rp_jw_str(j, "category", a->category);
    rp_jw_str(j, "detail", a->detail);
    rp_jw_str(j, "claim", a->claim);
    if (a->note)
        rp_jw_str(j, "note", a->note);
    rp_jw_obj_close(j);
    return from;
}

/* Whether attempt_json() writes a and b alike: the same turn and verdict
 * and the same strings -- the same pointers, a test that never takes
 * different text for the same.  A part's final attempt and its attempts[]
 * are most often copies of its first (one answer, or none). */
static bool same_attempt(const rp_attempt *a, const rp_attempt *b)
{
    return a->turn == b->turn && a->verdict == b->verdict && a->category == b->category &&
           a->detail == b->detail && a->claim == b->claim && a->note == b->note;
}

/* An attempt in the output: the value and where its text lies. */
typedef struct written {
    const rp_attempt *a; /* NULL: none yet */
    size_t from, to;
} written;

/* Write p; *last is the first attempt of the part before (none for the
 * first part), and becomes this part's.  An attempt equal to one already
 * written is copied from the output in compact output (rp_jw_repeat()):
 * the final attempt and attempts[] are most often the first, and the
 * first of an unanswered part is that of the unanswered part before. */
static void part_json(rp_jw *j, const rp_part_result *p, written *last)
{
    rp_jw_obj_open(j, NULL);
    rp_jw_str(j, "part", p->part);
    rp_jw_str(j, "title", p->title);
    rp_jw_str(j, "truth", p->truth);
    written first = {&p->first, 0, 0};
    if (last->a && same_attempt(&p->first, last->a) &&
        rp_jw_repeat(j, "first", last->from, last->to))
        first.from = rp_jw_value_start(j);
    else
        first.from = attempt_json(j, "first", &p->first);
    first.to = rp_jw_pos(j);
    *last = first;
    if (!(same_attempt(&p->final, &p->first) &&
          rp_jw_repeat(j, "final", first.from, first.to)))
        attempt_json(j, "final", &p->final);
    rp_jw_arr_open(j, "attempts");
    for (size_t i = 0; i < p->n_attempts; i++)
        if (!(same_attempt(&p->attempts[i], &p->first) &&
              rp_jw_repeat(j, NULL, first.from, first.to)))
            attempt_json(j, NULL, &p->attempts[i]);
    rp_jw_arr_close(j);
    rp_jw_arr_open(j, "corrections");
    for (size_t i = 0; i < p->n_corrections; i++) {
        const rp_correction *c = &p->corrections[i];
        rp_jw_obj_open(j, NULL);
        rp_jw_num(j, "turn", c->turn);
        rp_jw_str(j, "kind", rp_correction_kind_name(c->kind));
        rp_jw_str(j, "text", c->text);
        rp_jw_obj_close(j);
    }
    rp_jw_arr_close(j);
    rp_jw_bool(j, "revealed", p->revealed);
    rp_jw_str(j, "key_note", p->key_note);
    rp_jw_obj_close(j);
}

static void report_json(rp_jw *j, const rp_report *r)
{
    const rp_transcript *t = r->transcript;
    const char *model = r->model ? r->model : t ? t->model : NULL;
    rp_jw_obj_open(j, NULL);
    rp_jw_str(j, "redpen", REDPEN_VERSION);
    rp_jw_num(j, "schema", 1);
    rp_jw_obj_open(j, "transcript");
    rp_jw_str(j, "path", t ? t->path : NULL);
    rp_jw_str(j, "format", t ? t->format : NULL);
    rp_jw_str(j, "model", model);
    rp_jw_obj_open(j, "turns");
    rp_jw_num(j, "user", (double)rp_report_turns(r, RP_ROLE_USER));
    rp_jw_num(j, "model", (double)rp_report_turns(r, RP_ROLE_MODEL));
    rp_jw_obj_close(j);
    rp_jw_num(j, "notes", t ? (double)t->n_notes : 0);
    rp_jw_obj_close(j);
    rp_jw_obj_open(j, "rubric");
    rp_jw_str(j, "id", r->rubric_id);
    rp_jw_str(j, "path", r->rubric_path);
    rp_jw_obj_close(j);
    rp_jw_arr_open(j, "parts");
    written last = {NULL, 0, 0};
    for (size_t i = 0; i < r->n_parts && j->st == RP_OK; i++)
        part_json(j, &r->parts[i], &last);
    rp_jw_arr_close(j);
    const rp_report_summary *s = &r->summary;
    rp_jw_obj_open(j, "summary");
    rp_jw_num(j, "parts", (double)s->parts);
    rp_jw_num(j, "answered", (double)s->answered);
    rp_jw_num(j, "first_pass", (double)s->first_pass);
    rp_jw_num(j, "final_pass", (double)s->final_pass);
    rp_jw_num(j, "corrections", (double)s->corrections);
    rp_jw_obj_close(j);
    if (r->n_warnings) {
        rp_jw_arr_open(j, "warnings");
        for (size_t i = 0; i < r->n_warnings; i++)
            rp_jw_str(j, NULL, r->warnings[i]);
        rp_jw_arr_close(j);
    }
    rp_jw_obj_close(j);
}

rp_status rp_report_write_json(const rp_report *r, bool pretty, rp_buf *out)
{
    rp_jw j;
    rp_jw_begin(&j, out, pretty);
    report_json(&j, r);
    return rp_jw_end(&j);
}

rp_status rp_reports_write_json(rp_report *const *r, size_t n, rp_buf *out)
{
    rp_jw j;
    rp_jw_begin(&j, out, true);
    rp_jw_obj_open(&j, NULL);
    rp_jw_arr_open(&j, "reports");
    for (size_t i = 0; i < n && j.st == RP_OK; i++)
        report_json(&j, r[i]);
    rp_jw_arr_close(&j);
    rp_jw_obj_close(&j);
    rp_status st = rp_jw_end(&j);
    return st == RP_OK ? rp_buf_putc(out, '\n') : st;
}

rp_status rp_reports_write_jsonl(rp_report *const *r, size_t n, rp_buf *out)
{
    rp_status st = RP_OK;
    for (size_t i = 0; i < n && st == RP_OK; i++) {
        st = rp_report_write_json(r[i], false, out);
        if (st == RP_OK)
            st = rp_buf_putc(out, '\n');
    }
    return st;
}

/* ------------------------------------------------------------ reports set */

void rp_report_set_init(rp_report_set *s)
{
    memset(s, 0, sizeof *s);
}

void rp_report_set_free(rp_report_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        rp_report_free(s->items[i]);
    free(s->items);
    rp_transcript_set_free(&s->transcripts);
    for (size_t i = 0; i < s->n_rubrics; i++)
        rp_rubric_free(s->rubrics[i]);
    free(s->rubrics);
    rp_report_set_init(s);
}

rp_status rp_report_set_push(rp_report_set *s, rp_report *r)
{
    if (s->n >= MAX_REPORTS) {
        rp_report_free(r);
        return RP_ELIMIT;
    }
    if (s->n == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 8;
        rp_report **ni = realloc(s->items, nc * sizeof *ni);
        if (!ni) {
            rp_report_free(r);
            return RP_ENOMEM;
        }
        s->items = ni;
        s->cap = nc;
    }
    s->items[s->n++] = r;
    return RP_OK;
}

/* --------------------------------------------------------------- reader */

/* State of reading one report: where it came from, for diagnostics. */
typedef struct loader {
    const char *label;
    unsigned line; /* JSON Lines: the line; 0 otherwise */
    rp_diags *d;
    rp_arena *a;   /* the report's arena */
    bool failed;
} loader;

static void bad(loader *L, const char *path, const char *fmt, const char *what)
{
    if (L->failed)
        return;
    L->failed = true;
    if (L->line)
        rp_diag_add(L->d, L->label, L->line, 0, "%s: %s%s", path, fmt, what ? what : "");
    else
        rp_diag_add_path(L->d, L->label, path, "%s%s", fmt, what ? what : "");
}

/* JSON paths for diagnostics, built in a caller's buffer (cut quietly
 * when longer: they are labels). */
static const char *pkey(char *buf, size_t cap, const char *path, const char *key)
{
    int n = snprintf(buf, cap, "%s.%s", path, key);
    if (n < 0)
        buf[0] = '\0';
    return buf;
}

static const char *pidx(char *buf, size_t cap, const char *path, size_t i)
{
    int n = snprintf(buf, cap, "%s[%zu]", path, i);
    if (n < 0)
        buf[0] = '\0';
    return buf;
}

/* A string member (or null when may_null) copied into the arena. */
static const char *get_str(loader *L, const cJSON *o, const char *path, const char *key,
                           bool may_null)
{
    char p[512];
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v || cJSON_IsNull(v)) {
        if (!may_null)
            bad(L, pkey(p, sizeof p, path, key), "missing string", NULL);
        return NULL;
    }
    if (!cJSON_IsString(v)) {
        bad(L, pkey(p, sizeof p, path, key), "expected a string or null", NULL);
        return NULL;
    }
    const char *s = rp_arena_strdup(L->a, v->valuestring);
    if (!s)
        bad(L, path, "out of memory", NULL);
    return s;
}

/* A non-negative integer member; absent or null gives dflt (or an error
 * when required). */
static long get_int(loader *L, const cJSON *o, const char *path, const char *key, long dflt,
                    bool required)
{
    char p[512];
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v || cJSON_IsNull(v)) {
        if (required)
            bad(L, pkey(p, sizeof p, path, key), "missing number", NULL);
        return dflt;
    }
    double x = cJSON_IsNumber(v) ? v->valuedouble : -1;
    if (!cJSON_IsNumber(v) || x < 0 || x > 1e9 || x != floor(x)) {
        bad(L, pkey(p, sizeof p, path, key), "expected a non-negative integer", NULL);
        return dflt;
    }
    return (long)x;
}

/* The member key of o when it is an object (array false) or an array of
 * at most MAX_ITEMS elements (array true); else NULL, with a diagnostic
 * unless the member is absent or null and not required. */
static const cJSON *get_container(loader *L, const cJSON *o, const char *path, const char *key,
                                  bool required, bool array)
{
    char p[512];
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if ((!v || cJSON_IsNull(v)) && !required)
        return NULL;
    if (array ? !cJSON_IsArray(v) : !cJSON_IsObject(v)) {
        const char *msg = array ? (v ? "expected an array" : "missing array")
                                : (v ? "expected an object" : "missing object");
        bad(L, pkey(p, sizeof p, path, key), msg, NULL);
        return NULL;
    }
    if (array && cJSON_GetArraySize(v) > MAX_ITEMS) {
        bad(L, pkey(p, sizeof p, path, key), "too many elements", NULL);
        return NULL;
    }
    return v;
}

static const cJSON *get_obj(loader *L, const cJSON *o, const char *path, const char *key,
                            bool required)
{
    return get_container(L, o, path, key, required, false);
}

static const cJSON *get_arr(loader *L, const cJSON *o, const char *path, const char *key,
                            bool required)
{
    return get_container(L, o, path, key, required, true);
}

static void read_attempt(loader *L, const cJSON *o, const char *path, rp_attempt *a)
{
    if (!cJSON_IsObject(o)) {
        bad(L, path, "expected an object", NULL);
        return;
    }
    const char *v = get_str(L, o, path, "verdict", false);
    if (L->failed)
        return;
    static const rp_verdict all[] = {RP_VERDICT_PASS, RP_VERDICT_FAIL, RP_VERDICT_MISSING,
                                     RP_VERDICT_UNGRADED};
    bool known = false;
    for (size_t i = 0; i < 4; i++)
        if (strcmp(v, rp_verdict_name(all[i])) == 0) {
            a->verdict = all[i];
            known = true;
        }
    if (!known) {
        char p[512];
        bad(L, pkey(p, sizeof p, path, "verdict"), "unknown verdict (pass, fail, missing, ungraded): ", v);
        return;
    }
    long turn = get_int(L, o, path, "turn", 0, false);
    if (turn > 0 && turn <= MAX_STUB_TURNS)
        a->turn = (int)turn;
    else if (turn > MAX_STUB_TURNS)
        bad(L, path, "turn number too large", NULL);
    if (a->verdict != RP_VERDICT_MISSING && a->turn == 0) {
        char p[512];
        bad(L, pkey(p, sizeof p, path, "turn"), "a turn is required unless the verdict is missing", NULL);
    }
    a->category = get_str(L, o, path, "category", true);
    a->detail = get_str(L, o, path, "detail", true);
    a->claim = get_str(L, o, path, "claim", true);
    a->note = get_str(L, o, path, "note", true);
}

static void read_part(loader *L, const cJSON *o, const char *path, rp_part_result *p)
{
    char q[512];
    if (!cJSON_IsObject(o)) {
        bad(L, path, "expected an object", NULL);
        return;
    }
    p->part = get_str(L, o, path, "part", false);
    p->title = get_str(L, o, path, "title", true);
    p->truth = get_str(L, o, path, "truth", true); /* absent in reports before it */
    const cJSON *atts = get_arr(L, o, path, "attempts", false);
    const cJSON *corrs = get_arr(L, o, path, "corrections", false);
    if (L->failed)
        return;
    read_attempt(L, cJSON_GetObjectItemCaseSensitive(o, "first"),
                 pkey(q, sizeof q, path, "first"), &p->first);
    read_attempt(L, cJSON_GetObjectItemCaseSensitive(o, "final"),
                 pkey(q, sizeof q, path, "final"), &p->final);
    size_t na = atts ? (size_t)cJSON_GetArraySize(atts) : 0;
    size_t nc = corrs ? (size_t)cJSON_GetArraySize(corrs) : 0;
    p->attempts = na ? rp_arena_alloc(L->a, na * sizeof *p->attempts) : NULL;
    p->corrections = nc ? rp_arena_alloc(L->a, nc * sizeof *p->corrections) : NULL;
    if ((na && !p->attempts) || (nc && !p->corrections)) {
        bad(L, path, "out of memory", NULL);
        return;
    }
    const cJSON *e;
    size_t i = 0;
    char base[512];
    pkey(base, sizeof base, path, "attempts");
    cJSON_ArrayForEach(e, atts) {
        if (L->failed)
            return;
        read_attempt(L, e, pidx(q, sizeof q, base, i), &p->attempts[i]);
        i++;
    }
    p->n_attempts = na;
    pkey(base, sizeof base, path, "corrections");
    i = 0;
    cJSON_ArrayForEach(e, corrs) {
        if (L->failed)
            return;
        pidx(q, sizeof q, base, i);
        if (!cJSON_IsObject(e)) {
            bad(L, q, "expected an object", NULL);
            return;
        }
        rp_correction *c = &p->corrections[i++];
        long turn = get_int(L, e, q, "turn", 0, true);
        c->turn = turn > 0 && turn <= MAX_STUB_TURNS ? (int)turn : 0;
        if (!L->failed && c->turn == 0)
            bad(L, q, "a correction needs a turn number from 1", NULL);
        const char *kind = get_str(L, e, q, "kind", false);
        if (L->failed)
            return;
        if (strcmp(kind, "nudge") == 0)
            c->kind = RP_CORR_NUDGE;
        else if (strcmp(kind, "hint") == 0)
            c->kind = RP_CORR_HINT;
        else if (strcmp(kind, "solution") == 0)
            c->kind = RP_CORR_SOLUTION;
        else {
            char k[512];
            bad(L, pkey(k, sizeof k, q, "kind"), "unknown correction kind (nudge, hint, solution): ", kind);
            return;
        }
        c->text = get_str(L, e, q, "text", true);
    }
    p->n_corrections = nc;
    const cJSON *rev = cJSON_GetObjectItemCaseSensitive(o, "revealed");
    if (rev && !cJSON_IsNull(rev) && !cJSON_IsBool(rev))
        bad(L, pkey(q, sizeof q, path, "revealed"), "expected true or false", NULL);
    p->revealed = cJSON_IsTrue(rev);
    p->key_note = get_str(L, o, path, "key_note", true);
}

/* A stub transcript for a saved report: counts only, turns without text. */
static rp_transcript *stub_transcript(loader *L, const cJSON *t, const char *path)
{
    rp_transcript *tr = rp_arena_alloc(L->a, sizeof *tr);
    if (!tr) {
        bad(L, path, "out of memory", NULL);
        return NULL;
    }
    tr->arena = NULL; /* the report's arena owns it */
    if (!t)
        return tr;
    char p[512];
    tr->path = get_str(L, t, path, "path", true);
    tr->format = get_str(L, t, path, "format", true);
    tr->model = get_str(L, t, path, "model", true);
    const cJSON *turns = get_obj(L, t, path, "turns", false);
    long nu = 0, nm = 0;
    if (turns) {
        pkey(p, sizeof p, path, "turns");
        nu = get_int(L, turns, p, "user", 0, false);
        nm = get_int(L, turns, p, "model", 0, false);
    }
    tr->n_notes = (size_t)get_int(L, t, path, "notes", 0, false);
    if (L->failed)
        return NULL;
    if (nu + nm > MAX_STUB_TURNS) {
        bad(L, path, "too many turns", NULL);
        return NULL;
    }
    size_t n = (size_t)(nu + nm);
    tr->turns = n ? rp_arena_alloc(L->a, n * sizeof *tr->turns) : NULL;
    if (n && !tr->turns) {
        bad(L, path, "out of memory", NULL);
        return NULL;
    }
    /* roles alternate from a user turn while both remain */
    long u = nu, m = nm;
    for (size_t i = 0; i < n; i++) {
        bool user = u > 0 && (m == 0 || (i % 2) == 0);
        tr->turns[i].index = (int)i + 1;
        tr->turns[i].role = user ? RP_ROLE_USER : RP_ROLE_MODEL;
        tr->turns[i].text = "";
        if (user)
            u--;
        else
            m--;
    }
    tr->n_turns = n;
    return tr;
}

static void summarize(rp_report *r)
{
    rp_report_summary s = {0};
    s.parts = r->n_parts;
    for (size_t i = 0; i < r->n_parts; i++) {
        const rp_part_result *p = &r->parts[i];
        s.answered += p->first.verdict != RP_VERDICT_MISSING;
        s.first_pass += p->first.verdict == RP_VERDICT_PASS;
        s.final_pass += p->final.verdict == RP_VERDICT_PASS;
        s.corrections += p->n_corrections;
        s.revealed += p->revealed;
        s.ungraded += p->final.verdict == RP_VERDICT_UNGRADED;
    }
    r->summary = s;
}

/* One report object o (at JSON path path) into a new report. */
static rp_report *read_report(const char *label, unsigned line, const cJSON *o,
                              const char *path, rp_diags *d)
{
    loader L = {label, line, d, NULL, false};
    if (!cJSON_IsObject(o)) {
        bad(&L, path, "expected a report object", NULL);
        return NULL;
    }
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(o, "schema");
    if (!cJSON_IsNumber(schema) || schema->valuedouble != 1) {
        char p[512];
        char what[64];
        snprintf(what, sizeof what, "%s", cJSON_IsNumber(schema) ? "" : " (missing)");
        if (cJSON_IsNumber(schema))
            snprintf(what, sizeof what, " %g", schema->valuedouble);
        bad(&L, pkey(p, sizeof p, path, "schema"),
            "this redpen reads report schema 1; found", what);
        return NULL;
    }
    L.a = rp_arena_new(0);
    rp_report *r = L.a ? rp_arena_alloc(L.a, sizeof *r) : NULL;
    if (!r) {
        rp_arena_free(L.a);
        rp_diag_add(d, label, line, 0, "out of memory");
        return NULL;
    }
    r->arena = L.a;
    const cJSON *t = get_obj(&L, o, path, "transcript", false);
    char p[512];
    r->transcript = stub_transcript(&L, t, pkey(p, sizeof p, path, "transcript"));
    if (r->transcript)
        r->model = r->transcript->model;
    const cJSON *rub = get_obj(&L, o, path, "rubric", false);
    if (rub) {
        pkey(p, sizeof p, path, "rubric");
        r->rubric_id = get_str(&L, rub, p, "id", true);
        r->rubric_path = get_str(&L, rub, p, "path", true);
    }
    const cJSON *parts = get_arr(&L, o, path, "parts", true);
    size_t n = parts ? (size_t)cJSON_GetArraySize(parts) : 0;
    r->parts = n ? rp_arena_alloc(L.a, n * sizeof *r->parts) : NULL;
    if (n && !r->parts)
        bad(&L, path, "out of memory", NULL);
    const cJSON *e;
    size_t i = 0;
    char base[512];
    pkey(base, sizeof base, path, "parts");
    cJSON_ArrayForEach(e, parts) {
        if (L.failed)
            break;
        read_part(&L, e, pidx(p, sizeof p, base, i), &r->parts[i]);
        i++;
    }
    r->n_parts = n;
    summarize(r);
    const cJSON *sum = get_obj(&L, o, path, "summary", false);
    if (sum && !L.failed) {
        /* the file's own counts win where present (they may count parts
         * the list leaves out) */
        pkey(p, sizeof p, path, "summary");
        r->summary.parts = (size_t)get_int(&L, sum, p, "parts", (long)r->summary.parts, false);
        r->summary.answered = (size_t)get_int(&L, sum, p, "answered", (long)r->summary.answered, false);
        r->summary.first_pass = (size_t)get_int(&L, sum, p, "first_pass", (long)r->summary.first_pass, false);
        r->summary.final_pass = (size_t)get_int(&L, sum, p, "final_pass", (long)r->summary.final_pass, false);
        r->summary.corrections = (size_t)get_int(&L, sum, p, "corrections", (long)r->summary.corrections, false);
    }
    if (L.failed) {
        rp_arena_free(L.a);
        return NULL;
    }
    return r;
}

static bool is_report_obj(const cJSON *o)
{
    return cJSON_IsObject(o) && cJSON_GetObjectItemCaseSensitive(o, "schema") &&
           cJSON_GetObjectItemCaseSensitive(o, "parts");
}

static bool is_reports_obj(const cJSON *o)
{
    return cJSON_IsObject(o) && cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(o, "reports"));
}

bool rp_report_json_detect(const char *data, size_t n)
{
    size_t i = 0;
    while (i < n && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
        i++;
    if (i >= n || data[i] != '{')
        return false;
    cJSON *o = cJSON_ParseWithLength(data + i, n - i);
    if (!o) {
        /* JSON Lines: judge by the first line */
        size_t e = i;
        while (e < n && data[e] != '\n')
            e++;
        o = cJSON_ParseWithLength(data + i, e - i);
        bool yes = is_report_obj(o);
        cJSON_Delete(o);
        return yes;
    }
    bool yes = is_report_obj(o) || is_reports_obj(o);
    cJSON_Delete(o);
    return yes;
}

/* Move the reports of tmp onto out (or free them all on failure). */
static rp_status finish(rp_report_set *tmp, rp_report_set *out, rp_status st)
{
    for (size_t i = 0; i < tmp->n && st == RP_OK; i++) {
        st = rp_report_set_push(out, tmp->items[i]);
        tmp->items[i] = NULL;
        if (st != RP_OK) /* undo the ones moved already */
            while (i-- > 0)
                rp_report_free(out->items[--out->n]);
    }
    for (size_t i = 0; i < tmp->n; i++)
        rp_report_free(tmp->items[i]);
    free(tmp->items);
    return st;
}

rp_status rp_report_load_json(const char *label, const char *data, size_t n,
                              rp_report_set *out, rp_diags *d)
{
    rp_report_set tmp;
    rp_report_set_init(&tmp);
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(data, n, &end, false);
    if (root) {
        bool trailing = false;
        for (const char *p = end; p && p < data + n; p++)
            if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
                trailing = true;
        if (!trailing) {
            rp_status st = RP_OK;
            if (is_reports_obj(root)) {
                const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "reports");
                const cJSON *e;
                size_t i = 0;
                cJSON_ArrayForEach(e, arr) {
                    char p[64];
                    pidx(p, sizeof p, "$.reports", i++);
                    rp_report *r = read_report(label, 0, e, p, d);
                    st = r ? rp_report_set_push(&tmp, r) : RP_EINPUT;
                    if (st != RP_OK)
                        break;
                }
            } else {
                rp_report *r = read_report(label, 0, root, "$", d);
                st = r ? rp_report_set_push(&tmp, r) : RP_EINPUT;
            }
            cJSON_Delete(root);
            return finish(&tmp, out, st);
        }
        cJSON_Delete(root);
    }
    /* JSON Lines, or a single broken document */
    rp_status st = RP_OK;
    size_t i = 0;
    unsigned line = 0;
    bool any = false;
    while (i < n && st == RP_OK) {
        size_t e = i;
        while (e < n && data[e] != '\n')
            e++;
        line++;
        size_t s = i;
        while (s < e && (data[s] == ' ' || data[s] == '\t' || data[s] == '\r'))
            s++;
        if (s < e) {
            cJSON *o = cJSON_ParseWithLength(data + s, e - s);
            if (!o) {
                const char *err = cJSON_GetErrorPtr();
                unsigned col = err && err >= data + s && err <= data + e
                                   ? (unsigned)(err - (data + i)) + 1 : 0;
                rp_diag_add(d, label, line, col, "not valid JSON%s",
                            any ? "" : " (expected a report object, {\"reports\": [...]} or JSON Lines)");
                st = RP_EINPUT;
                break;
            }
            rp_report *r = read_report(label, line, o, "$", d);
            cJSON_Delete(o);
            st = r ? rp_report_set_push(&tmp, r) : RP_EINPUT;
            any = true;
        }
        i = e + 1;
    }
    if (st == RP_OK && !any) {
        rp_diag_add(d, label, 0, 0, "no report in the input");
        st = RP_EINPUT;
    }
    return finish(&tmp, out, st);
}
