/*
 * Attribution of a model turn's text beyond its labels: which part an
 * unlabelled piece answers.  The segmenter (src/segment) finds the labelled
 * spans; here the evidence of the conversation decides the rest:
 *
 * - A reply without labels to a turn that asked about some parts is split
 *   into pieces at the sentences that name a part, by label ("as for (c)")
 *   or by its rubric words ("my momentum answer", content.c).  Text before the
 *   first such sentence answers the part asked about that no piece took.
 * - Text before the first label of a labelled reply answers the part the
 *   user asked about when no label of the reply takes it ("You're right,
 *   ... $c = ...$.  **(d)** ...").
 *
 * - A revision that restates one component of a tuple ("adding the biases,
 *   the number of parameters is ...") keeps the previous answer's other
 *   components: the components it does not name.
 *
 * Spans made here are not labelled (rp_part_span.labelled false): the
 * caller drops their attempt when no answer can be read in them.
 */
#include "grade_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

typedef struct span_list {
    rp_part_span *v;
    size_t n, cap;
} span_list;

static rp_status push(grader *G, span_list *l, size_t part, size_t a, size_t b)
{
    if (b <= a)
        return RP_OK;
    rp_status st = rp_grade_grow(G->scratch, (void **)&l->v, &l->cap, l->n, sizeof *l->v);
    if (st != RP_OK)
        return st;
    l->v[l->n++] = (rp_part_span){part, a, b, false};
    return RP_OK;
}

/* The end of the sentence starting at a: after ". ", "? ", "! " or a blank
 * line (math between dollars is not cut). */
static size_t sentence_end(const char *t, size_t a, size_t n)
{
    bool math = false;
    for (size_t i = a; i < n; i++) {
        if (t[i] == '$')
            math = !math;
        if (math)
            continue;
        if ((t[i] == '.' || t[i] == '?' || t[i] == '!') && (i + 1 >= n || isspace((unsigned char)t[i + 1])))
            return i + 1;
        if (t[i] == '\n' && i + 1 < n && t[i + 1] == '\n')
            return i + 1;
    }
    return n;
}

/* Is p asked about by the last user turn? */
static bool asked(const grader *G, size_t p)
{
    for (size_t k = 0; k < G->n_asked; k++)
        if (G->asked[k] == p)
            return true;
    return false;
}

/* The one part asked about that none of the spans takes, or (size_t)-1. */
static size_t asked_left(const grader *G, const rp_part_span *s, size_t ns)
{
    size_t left = (size_t)-1, cnt = 0;
    for (size_t k = 0; k < G->n_asked; k++) {
        bool taken = false;
        for (size_t j = 0; j < ns && !taken; j++)
            taken = s[j].part == G->asked[k] ||
                    (G->g->parts[s[j].part].problem == G->g->parts[G->asked[k]].problem &&
                     G->g->parts[s[j].part].letter == G->g->parts[G->asked[k]].letter);
        if (!taken) {
            left = G->asked[k];
            cnt++;
        }
    }
    return cnt == 1 ? left : (size_t)-1;
}

/* The part sentence t[a..b) opens by naming it, or (size_t)-1: a label in
 * the sentence ("as for (c)") of a part asked about or attempted, else the
 * rubric words of one of them. */
static rp_status sentence_part(grader *G, const char *t, size_t a, size_t b, const bool *cand,
                               size_t *out)
{
    *out = (size_t)-1;
    rp_part_ref *refs;
    size_t nr;
    rp_status st = rp_segment_user_refs(G->seg, t + a, b - a, G->problem, G->scratch, &refs, &nr);
    if (st != RP_OK)
        return st;
    for (size_t r = 0; r < nr; r++)
        if (refs[r].part < G->g->n_parts && cand[refs[r].part]) {
            *out = refs[r].part;
            return RP_OK;
        }
    *out = rp_grade_part_by_content(G, t + a, b - a, cand, 1.0);
    return RP_OK;
}

rp_status rp_grade_attribute(grader *G, const rp_turn *m, rp_part_span **spans, size_t *ns)
{
    const grubric *g = G->g;
    if (!G->last_user || G->n_asked == 0)
        return RP_OK;
    bool labelled = false;
    size_t first_label = m->text_len;
    for (size_t k = 0; k < *ns; k++)
        if ((*spans)[k].labelled) {
            labelled = true;
            if ((*spans)[k].start < first_label)
                first_label = (*spans)[k].start;
        }
    span_list l = {NULL, 0, 0};
    rp_status st = RP_OK;
    if (labelled) {
        /* the text before the first label */
        size_t part = asked_left(G, *spans, *ns);
        if (part == (size_t)-1 || first_label == 0)
            return RP_OK;
        for (size_t k = 0; k < *ns && st == RP_OK; k++)
            st = push(G, &l, (*spans)[k].part, (*spans)[k].start, (*spans)[k].end);
        if (st == RP_OK)
            st = push(G, &l, part, 0, first_label);
    } else {
        /* pieces at the sentences that name a part */
        bool *cand = rp_arena_alloc(G->scratch, g->n_parts * sizeof *cand);
        if (!cand)
            return RP_ENOMEM;
        for (size_t p = 0; p < g->n_parts; p++)
            cand[p] = asked(G, p) || (G->ps[p].att.n && g->parts[p].problem == G->problem);
        size_t cur = (size_t)-1, cur_at = 0, lead_end = m->text_len;
        const char *t = m->text;
        for (size_t a = 0; a < m->text_len && st == RP_OK;) {
            size_t b = sentence_end(t, a, m->text_len);
            size_t p;
            st = sentence_part(G, t, a, b, cand, &p);
            if (st == RP_OK && p != (size_t)-1 && p != cur) {
                if (cur == (size_t)-1)
                    lead_end = a;
                else
                    st = push(G, &l, cur, cur_at, a);
                cur = p;
                cur_at = a;
            }
            a = b;
        }
        if (st != RP_OK || cur == (size_t)-1)
            return st; /* no sentence names a part: the segmenter's reading stands */
        st = push(G, &l, cur, cur_at, m->text_len);
        size_t lead = st == RP_OK ? asked_left(G, l.v, l.n) : (size_t)-1;
        if (lead != (size_t)-1)
            st = push(G, &l, lead, 0, lead_end);
        else if (st == RP_OK && asked(G, l.v[0].part))
            l.v[0].start = 0; /* the lead is the first piece's part's too */
    }
    if (st != RP_OK)
        return st;
    *spans = l.v;
    *ns = l.n;
    return RP_OK;
}

/* Does the lower-case text name the component called name: the name itself
 * ("g_4", also as "g_{4}") or, for a name of words ("output_shape"), every
 * word of it? */
static bool names_component(const char *low, const char *name)
{
    char buf[64];
    size_t n = strlen(name);
    if (n == 0 || n >= sizeof buf - 3)
        return true; /* cannot tell: as if named */
    for (size_t i = 0; i <= n; i++)
        buf[i] = (char)tolower((unsigned char)name[i]);
    if (strstr(low, buf))
        return true;
    const char *us = strchr(buf, '_');
    if (us && us[1] && !strchr(us + 1, '_')) {
        char braced[72];
        snprintf(braced, sizeof braced, "%.*s_{%s}", (int)(us - buf), buf, us + 1);
        if (strstr(low, braced))
            return true;
    }
    bool words = false;
    for (char *w = strtok(buf, "_ "); w; w = strtok(NULL, "_ ")) {
        if (strlen(w) < 3)
            return false; /* a symbol's index: only the name itself names it */
        if (!strstr(low, w))
            return false;
        words = true;
    }
    return words;
}

rp_status rp_grade_merge_revision(grader *G, size_t p, rp_claim *cl, const char *span_text)
{
    const gpart *gp = &G->g->parts[p];
    part_state *s = &G->ps[p];
    if (gp->truth.kind != RP_EXPECT_TUPLE || cl->kind != RP_CLAIM_TUPLE || !span_text)
        return RP_OK;
    if (s->comps && s->n_comps == cl->n_parts) {
        size_t n = strlen(span_text);
        char *low = rp_arena_alloc(G->scratch, n + 1);
        if (!low)
            return RP_ENOMEM;
        for (size_t i = 0; i <= n; i++)
            low[i] = (char)tolower((unsigned char)span_text[i]);
        size_t named = 0, kept = 0;
        bool *is_named = rp_arena_alloc(G->scratch, (cl->n_parts + 1) * sizeof *is_named);
        if (!is_named)
            return RP_ENOMEM;
        for (size_t k = 0; k < cl->n_parts && k < gp->truth.n_comp; k++) {
            is_named[k] = gp->truth.comps[k].latex && gp->truth.comps[k].name &&
                          names_component(low, gp->truth.comps[k].name);
            named += is_named[k];
        }
        if (named) {
            const char **parts = rp_arena_alloc(G->scratch, (cl->n_parts + 1) * sizeof *parts);
            if (!parts)
                return RP_ENOMEM;
            rp_buf shown;
            rp_buf_init(&shown, (size_t)1 << 20);
            for (size_t k = 0; k < cl->n_parts; k++) {
                bool keep = k < gp->truth.n_comp && gp->truth.comps[k].latex && !is_named[k] &&
                            s->comps[k];
                parts[k] = keep ? s->comps[k] : cl->parts[k];
                kept += keep;
                if (k < gp->truth.n_comp && parts[k])
                    rp_buf_printf(&shown, "%s%s: %s", shown.len ? "; " : "",
                                  gp->truth.comps[k].name, parts[k]);
            }
            if (kept) {
                cl->parts = parts;
                cl->shown = rp_arena_strndup(G->scratch, shown.data ? shown.data : "", shown.len);
            }
            rp_buf_free(&shown);
        }
    }
    /* remember this claim's components for the next revision */
    const char **keep = rp_arena_alloc(G->a, (cl->n_parts + 1) * sizeof *keep);
    if (!keep)
        return RP_ENOMEM;
    for (size_t k = 0; k < cl->n_parts; k++)
        keep[k] = cl->parts[k] ? rp_arena_strdup(G->a, cl->parts[k]) : NULL;
    s->comps = keep;
    s->n_comps = cl->n_parts;
    return RP_OK;
}
