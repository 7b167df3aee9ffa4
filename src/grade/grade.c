/*
 * Grading one transcript: walk the turns in order; model turns are split
 * into part spans and every span's claim is compared with the truth (and
 * the known wrong variants) as an attempt (compare.c); user turns are read
 * for corrections of parts already attempted (corrections.c).  The result
 * is an rp_report.
 */
#include "grade_internal.h"

#include "redpen/judge.h"
#include "redpen/latex.h"
#include "redpen/rubric.h"

#include <stdlib.h>
#include <string.h>

const char *rp_verdict_name(rp_verdict v)
{
    switch (v) {
    case RP_VERDICT_PASS: return "pass";
    case RP_VERDICT_FAIL: return "fail";
    case RP_VERDICT_MISSING: return "missing";
    case RP_VERDICT_UNGRADED: return "ungraded";
    }
    return "unknown";
}

const char *rp_correction_kind_name(rp_correction_kind k)
{
    switch (k) {
    case RP_CORR_NUDGE: return "nudge";
    case RP_CORR_HINT: return "hint";
    case RP_CORR_SOLUTION: return "solution";
    }
    return "unknown";
}

void rp_report_free(rp_report *r)
{
    if (r)
        rp_arena_free(r->arena);
}

rp_status rp_grade_grow(rp_arena *a, void **v, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap)
        return RP_OK;
    size_t nc = *cap ? *cap * 2 : 4;
    void *nv = rp_arena_realloc(a, *v, *cap * elem, nc * elem);
    if (!nv)
        return RP_ENOMEM;
    *v = nv;
    *cap = nc;
    return RP_OK;
}

/* Grade the answers of model turn m: split it into part spans (focus: the
 * part an unlabelled turn is about, or (size_t)-1) and add an attempt for
 * every part it answers. */
static rp_status model_turn(grader *G, const rp_turn *m, size_t focus, bool carried)
{
    const grubric *g = G->g;
    rp_part_span *spans;
    size_t ns;
    int prob_after = G->problem;
    rp_status st = rp_segment_model_turn(G->seg, m->text, m->text_len, G->problem, focus,
                                         G->scratch, &spans, &ns, &prob_after);
    if (st == RP_OK)
        st = rp_grade_attribute(G, m, &spans, &ns);
    if (st != RP_OK)
        return st;
    memcpy(G->discussed, G->prev_model_parts, g->n_parts * sizeof *G->discussed);
    memset(G->prev_model_parts, 0, g->n_parts * sizeof *G->prev_model_parts);
    for (size_t p = 0; p < g->n_parts; p++) {
        size_t cnt = 0;
        for (size_t k = 0; k < ns; k++)
            if (spans[k].part == p)
                cnt++;
        if (!cnt)
            continue;
        rp_part_span *mine = rp_arena_alloc(G->scratch, cnt * sizeof *mine);
        if (!mine)
            return RP_ENOMEM;
        size_t j = 0;
        for (size_t k = 0; k < ns; k++)
            if (spans[k].part == p)
                mine[j++] = spans[k];
        rp_claim cl;
        st = rp_extract_claim(m->text, m->text_len, mine, cnt, &g->parts[p].spec, G->scratch,
                              &cl);
        if (st != RP_OK)
            return st;
        /* a piece attributed by evidence, not by a label, with nothing to
         * read in it is no attempt ("You're right." before the labels) */
        bool inferred = true;
        for (size_t k = 0; k < cnt; k++)
            inferred &= !mine[k].labelled;
        if (inferred && cl.kind == RP_CLAIM_NONE && (ns > cnt || carried))
            continue;
        /* a reply carried over to the part, in the part's variables only:
         * a claim in a variable the truth does not have answers something
         * else ("1 + L(K-1)" after a shape in W, K, S) */
        if (inferred && carried && rp_grade_foreign_claim(G->scratch, &g->parts[p], &cl))
            continue;
        /* the spans' text, for free-text components decided by patterns */
        rp_buf sb;
        rp_buf_init(&sb, (size_t)4 << 20);
        for (size_t k = 0; k < cnt; k++) {
            rp_buf_append(&sb, m->text + mine[k].start, mine[k].end - mine[k].start);
            rp_buf_putc(&sb, '\n');
        }
        const char *span_text = rp_arena_strndup(G->scratch, sb.data ? sb.data : "", sb.len);
        rp_buf_free(&sb);
        const char *in_words = NULL;
        st = rp_grade_prose(G, p, m->index, span_text, &cl, &in_words);
        if (st == RP_OK)
            st = rp_grade_merge_revision(G, p, &cl, span_text);
        if (st != RP_OK)
            return st;
        part_state *s = &G->ps[p];
        st = rp_grade_grow(G->a, (void **)&s->att.v, &s->att.cap, s->att.n, sizeof *s->att.v);
        if (st != RP_OK)
            return st;
        rp_attempt *at = &s->att.v[s->att.n++];
        memset(at, 0, sizeof *at);
        at->turn = m->index;
        const char *kn = NULL;
        rp_grade_claim(G->a, G->scratch, G->judge, &g->parts[p], &cl, span_text, at, &kn);
        if (in_words && at->verdict == RP_VERDICT_FAIL && at->category &&
            strcmp(at->category, "missing_answer") == 0) {
            /* an answer in words, not a missing one: nothing read is wrong */
            at->verdict = RP_VERDICT_UNGRADED;
            at->category = NULL;
            at->detail = rp_arena_printf(G->a, "answered in words; %s cannot be read from them",
                                         in_words);
        }
        if (kn)
            s->key_note = kn;
        G->prev_model_parts[p] = true;
    }
    G->problem = prob_after;
    return rp_grade_model_reaction(G, m->index, G->prev_model_parts, G->discussed);
}

/* The report's parts and summary from what the walk found of each part. */
static void fill_parts(rp_report *r, const grubric *g, const part_state *ps)
{
    rp_report_summary *sm = &r->summary;
    for (size_t p = 0; p < g->n_parts; p++) {
        rp_part_result *pr = &r->parts[p];
        const part_state *s = &ps[p];
        pr->part = g->parts[p].id;
        pr->title = g->parts[p].title;
        pr->attempts = s->att.v;
        pr->n_attempts = s->att.n;
        pr->corrections = s->corr.v;
        pr->n_corrections = s->corr.n;
        pr->key_note = s->key_note;
        if (s->att.n) {
            pr->first = s->att.v[0];
            pr->final = s->att.v[s->att.n - 1];
        } else {
            pr->first.verdict = pr->final.verdict = RP_VERDICT_MISSING;
        }
        int first_pass = 0;
        for (size_t k = 0; k < s->att.n; k++)
            if (s->att.v[k].verdict == RP_VERDICT_PASS) {
                first_pass = s->att.v[k].turn;
                break;
            }
        for (size_t k = 0; k < s->corr.n; k++)
            if (s->corr.v[k].kind == RP_CORR_SOLUTION &&
                (!first_pass || s->corr.v[k].turn < first_pass))
                pr->revealed = true;
        sm->parts++;
        if (s->att.n)
            sm->answered++;
        if (pr->first.verdict == RP_VERDICT_PASS)
            sm->first_pass++;
        if (pr->final.verdict == RP_VERDICT_PASS)
            sm->final_pass++;
        if (pr->final.verdict == RP_VERDICT_UNGRADED)
            sm->ungraded++;
        if (pr->revealed)
            sm->revealed++;
        sm->corrections += s->corr.n;
    }
}

/* Say what the grading cannot vouch for, into r->warnings: first what
 * ingest could not tell about the transcript (t->warnings, already on the
 * diagnostics of the read), then no part answered (likely the wrong rubric),
 * or parts answered although no problem of the rubric was ever named or set
 * by its title words (weak evidence for the rubric), which also goes into d. */
static rp_status add_warnings(rp_report *r, const rp_transcript *t, const grader *G, rp_diags *d)
{
    const char *file = t->path ? t->path : "<input>";
    const char *w = NULL;
    if (r->summary.answered == 0)
        w = rp_arena_printf(r->arena, "no part of rubric %s was answered in %s: is this the "
                                      "right rubric?",
                            r->rubric_id ? r->rubric_id : "?", file);
    else if (!G->problem_seen && G->g->n_parts > 1) /* one part: no other homework to mix up */
        w = rp_arena_printf(r->arena, "%s names no problem of rubric %s (no \"problem N\" and "
                                      "none of its titles): the parts found may belong to "
                                      "another homework",
                            file, r->rubric_id ? r->rubric_id : "?");
    if (!w && r->summary.answered == 0)
        return RP_ENOMEM;
    size_t n = t->n_warnings + (w ? 1 : 0);
    if (!n)
        return RP_OK;
    r->warnings = rp_arena_alloc(r->arena, n * sizeof *r->warnings);
    if (!r->warnings)
        return RP_ENOMEM;
    for (size_t i = 0; i < t->n_warnings; i++) {
        r->warnings[i] = rp_arena_strdup(r->arena, t->warnings[i]);
        if (!r->warnings[i])
            return RP_ENOMEM;
    }
    r->n_warnings = t->n_warnings;
    if (w) {
        r->warnings[r->n_warnings++] = w;
        if (d)
            rp_diag_add(d, NULL, 0, 0, "warning: %s", w);
    }
    return RP_OK;
}

/* A follow-up that names no part ("where did the constant go?") goes on
 * with the one part the model just answered: an unlabelled reply with an
 * answer is that part's, a reply without one is no attempt (model_turn
 * drops it, and a claim in variables the part does not have).  Sets
 * *focus and returns true when so. */
static bool carry_focus(grader *G, size_t *focus)
{
    if (*focus != (size_t)-1 || G->n_asked != 0)
        return false;
    size_t only = (size_t)-1, cnt = 0;
    for (size_t p = 0; p < G->g->n_parts; p++)
        if (G->prev_model_parts[p]) {
            only = p;
            cnt++;
        }
    if (cnt != 1)
        return false;
    *focus = only;
    return true;
}

rp_status rp_grade_transcript(const rp_transcript *t, struct rp_rubric *rubric,
                              const rp_grade_opts *opts, rp_report **out, rp_diags *d)
{
    *out = NULL;
    rp_arena *a = rp_arena_new(0);
    rp_arena *scratch = rp_arena_new(0);
    if (!a || !scratch) {
        rp_arena_free(a);
        rp_arena_free(scratch);
        return RP_ENOMEM;
    }
    rp_report *r = rp_arena_alloc(a, sizeof *r);
    if (!r) {
        rp_arena_free(a);
        rp_arena_free(scratch);
        return RP_ENOMEM;
    }
    r->arena = a;
    /* the view of the rubric: the memo's, built once for every transcript,
     * else one of this transcript's own */
    rp_status st = RP_OK;
    const grubric *g = opts && opts->memo ? rp_grade_memo_view(opts->memo, rubric, d, &st) : NULL;
    if (st == RP_OK && !g) {
        grubric *own = rp_arena_alloc(a, sizeof *own);
        st = own ? rp_grade_view(rubric, a, own, opts ? opts->memo : NULL, d) : RP_ENOMEM;
        g = own;
    }
    if (st != RP_OK) {
        rp_arena_free(a);
        rp_arena_free(scratch);
        return st;
    }
    grader G;
    memset(&G, 0, sizeof G);
    G.g = g;
    G.a = a;
    G.scratch = scratch;
    G.t = t;
    G.seg = rp_segmenter_new(&g->cat);
    G.ps = rp_arena_alloc(a, (g->n_parts + 1) * sizeof *G.ps);
    G.prev_model_parts = rp_arena_alloc(a, (g->n_parts + 1) * sizeof *G.prev_model_parts);
    G.asked = rp_arena_alloc(a, (g->n_parts + 1) * sizeof *G.asked);
    G.discussed = rp_arena_alloc(a, (g->n_parts + 1) * sizeof *G.discussed);
    if (!G.seg || !G.ps || !G.prev_model_parts || !G.asked || !G.discussed) {
        rp_segmenter_free(G.seg);
        rp_arena_free(a);
        rp_arena_free(scratch);
        return RP_ENOMEM;
    }
    if (opts && opts->judge_url) {
        rp_judge_opts jo;
        memset(&jo, 0, sizeof jo);
        jo.url = opts->judge_url;
        jo.model = opts->judge_model;
        jo.cache_dir = opts->cache_dir;
        jo.no_cache = opts->no_cache;
        jo.budget_ms = opts->judge_budget_ms;
        jo.run = opts->judge_run;
        st = rp_judge_new(&jo, &G.judge, d);
        if (st != RP_OK) {
            rp_segmenter_free(G.seg);
            rp_arena_free(a);
            rp_arena_free(scratch);
            return st;
        }
    }
    size_t focus = (size_t)-1;
    bool carried = false;
    for (size_t i = 0; i < t->n_turns && st == RP_OK; i++) {
        const rp_turn *u = &t->turns[i];
        if (u->role == RP_ROLE_USER) {
            st = rp_grade_user_turn(&G, u, &focus);
            carried = st == RP_OK && carry_focus(&G, &focus);
        } else if (u->role == RP_ROLE_MODEL) {
            /* a rubric of one part (an answer key's single question): an
             * unlabelled model turn can only be about that part */
            if (g->n_parts == 1 && focus == (size_t)-1)
                focus = 0;
            st = model_turn(&G, u, focus, carried);
            focus = (size_t)-1;
            carried = false;
        }
        G.problem_seen |= G.problem != 0;
    }
    rp_segmenter_free(G.seg);
    rp_judge_free(G.judge);
    rp_arena_free(scratch);
    if (st != RP_OK) {
        rp_arena_free(a);
        return st;
    }
    r->transcript = t;
    r->model = opts && opts->model ? rp_arena_strdup(a, opts->model)
               : t->model          ? rp_arena_strdup(a, t->model)
                                   : rp_grade_model_guess(t->path, a);
    r->rubric_id = g->id;
    r->rubric_path = g->path;
    r->n_parts = g->n_parts;
    r->parts = rp_arena_alloc(a, (g->n_parts + 1) * sizeof *r->parts);
    if (!r->parts) {
        rp_arena_free(a);
        return RP_ENOMEM;
    }
    fill_parts(r, g, G.ps);
    st = add_warnings(r, t, &G, d);
    if (st != RP_OK) {
        rp_arena_free(a);
        return st;
    }
    *out = r;
    return RP_OK;
}
