/*
 * From a solved rubric to the grader's view of it (grade_internal.h):
 * what passes for each part, its wrong variants, how to find its claim and
 * the catalog the segmenter uses.  (Which rubric grades a transcript is
 * the pipeline's registry's choice: src/pipeline/registry.c.)
 */
#include "grade_internal.h"

#include "redpen/rubric.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *lower_dup(rp_arena *a, const char *s)
{
    char *o = rp_arena_strdup(a, s ? s : "");
    if (!o)
        return NULL;
    for (char *p = o; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return o;
}

/* s in lower case: s itself when it has no upper-case letter (most cues),
 * else a lower-case copy in a. */
static const char *lower_of(rp_arena *a, const char *s)
{
    for (const char *p = s; p && *p; p++)
        if (isupper((unsigned char)*p))
            return lower_dup(a, s);
    return s ? s : lower_dup(a, s);
}

/* A target written as a word ("runtime", "receptive field") rather than a
 * symbol ("\\alpha", "y", "g_3"). */
static bool is_word(const char *t)
{
    size_t n = strlen(t);
    if (n < 3)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)t[i];
        if (!(islower(c) || c == ' ' || c == '-'))
            return false;
    }
    return true;
}

static rp_expect expect_of(rp_answer_kind k)
{
    switch (k) {
    case RP_ANS_MATRIX: return RP_EXPECT_MATRIX;
    case RP_ANS_VECTOR: return RP_EXPECT_VECTOR;
    case RP_ANS_TUPLE: return RP_EXPECT_TUPLE;
    case RP_ANS_TABLE: return RP_EXPECT_TABLE;
    case RP_ANS_PIECEWISE: return RP_EXPECT_PIECEWISE;
    case RP_ANS_TEXT: return RP_EXPECT_TEXT;
    default: return RP_EXPECT_SCALAR;
    }
}

/* Split targets into symbols and words. */
static rp_status split_targets(rp_arena *a, const char **t, size_t n, const char ***sym,
                               size_t *nsym, const char ***words, size_t *nw)
{
    /* one allocation for both lists */
    const char **both = rp_arena_alloc(a, 2 * (n + 1) * sizeof *both);
    if (!both)
        return RP_ENOMEM;
    *sym = both;
    *words = both + n + 1;
    *nsym = *nw = 0;
    for (size_t i = 0; i < n; i++) {
        if (!t[i] || !t[i][0])
            continue;
        if (is_word(t[i]))
            (*words)[(*nw)++] = t[i]; /* lower case already: see is_word() */
        else
            (*sym)[(*nsym)++] = t[i];
    }
    return RP_OK;
}

static rp_status to_gans(rp_arena *a, const rp_answer *ans, gans *g)
{
    memset(g, 0, sizeof *g);
    if (!ans)
        return RP_OK;
    g->kind = expect_of(ans->kind);
    g->latex = ans->latex;
    g->upc = ans->up_to_constant;
    g->sample_var = ans->sample_var;
    g->sample_from = ans->sample_from;
    g->samples = ans->samples;
    g->n_samples = ans->n_samples;
    if (ans->kind == RP_ANS_TUPLE) {
        g->n_comp = ans->n_items;
        g->comps = rp_arena_alloc(a, (ans->n_items + 1) * sizeof *g->comps);
        if (!g->comps)
            return RP_ENOMEM;
        for (size_t i = 0; i < ans->n_items; i++) {
            const rp_answer *ia = ans->items[i].answer;
            gcomp *c = &g->comps[i];
            c->name = ans->items[i].name;
            if (!ia)
                continue;
            c->upc = ia->up_to_constant;
            if (ia->kind == RP_ANS_TEXT) {
                c->patterns = ia->patterns;
                c->n_patterns = ia->n_patterns;
            } else {
                c->latex = ia->latex;
            }
        }
    } else if (ans->kind == RP_ANS_TABLE) {
        const rp_table_val *t = &ans->table;
        g->rows = t->rows;
        g->cols = t->cols;
        g->cells = rp_arena_alloc(a, (t->rows * t->cols + 1) * sizeof *g->cells);
        if (!g->cells)
            return RP_ENOMEM;
        for (size_t i = 0; i < t->rows * t->cols; i++)
            g->cells[i] = t->given && t->given[i] ? NULL : t->cells[i];
    }
    return RP_OK;
}

/* The tuple item called name in ans, or NULL. */
static const rp_tuple_item *item_named(const rp_answer *ans, const char *name)
{
    if (!ans || ans->kind != RP_ANS_TUPLE)
        return NULL;
    for (size_t i = 0; i < ans->n_items; i++)
        if (ans->items[i].name && strcmp(ans->items[i].name, name) == 0)
            return &ans->items[i];
    return NULL;
}

static void parse_id(const char *id, int *problem, char *letter, int *sub)
{
    const char *p = id;
    int num = 0;
    while (*p && isdigit((unsigned char)*p))
        num = num * 10 + (*p++ - '0');
    *problem = num;
    *letter = *p ? (char)tolower((unsigned char)*p) : 0;
    *sub = 0;
    const char *dot = strchr(id, '.');
    if (dot) {
        static const char *const names[] = {"i", "ii", "iii", "iv", "v", "vi"};
        for (int k = 0; k < 6; k++)
            if (strcmp(dot + 1, names[k]) == 0)
                *sub = k + 1;
    }
}

/* Longer than 120 lines: one pass over the parts that copies field by field
 * what the grader reads of each (ids, truth, variants, extract spec and its
 * tuple components, equivalence options) in the order grade_internal.h
 * lists them; each step is a few lines and none is reused elsewhere. */
rp_status rp_grade_view(struct rp_rubric *r, rp_arena *a, grubric *g, rp_grade_memo *memo,
                        rp_diags *d)
{
    memset(g, 0, sizeof *g);
    if (!r->solved) {
        rp_status st = rp_rubric_solve(r, d);
        if (st != RP_OK)
            return st;
    }
    g->id = r->id;
    g->path = r->path;
    g->n_parts = r->n_parts;
    g->parts = rp_arena_alloc(a, (r->n_parts + 1) * sizeof *g->parts);
    g->segparts = rp_arena_alloc(a, (r->n_parts + 1) * sizeof *g->segparts);
    g->problems = rp_arena_alloc(a, (r->n_problems + 1) * sizeof *g->problems);
    if (!g->parts || !g->segparts || !g->problems)
        return RP_ENOMEM;
    g->n_problems = r->n_problems;
    for (size_t i = 0; i < r->n_problems; i++) {
        const rp_problem *p = &r->problems[i];
        rp_seg_problem *sp = &g->problems[i];
        sp->number = p->number;
        sp->title = p->title;
        const char **cues = rp_arena_alloc(a, (p->n_cues + 2) * sizeof *cues);
        if (!cues)
            return RP_ENOMEM;
        size_t n = 0;
        for (size_t k = 0; k < p->n_cues; k++)
            cues[n++] = lower_of(a, p->cues[k]);
        if (p->title)
            cues[n++] = lower_of(a, p->title);
        sp->cues = cues;
        sp->n_cues = n;
    }
    for (size_t i = 0; i < r->n_parts; i++) {
        const rp_part *p = &r->parts[i];
        gpart *gp = &g->parts[i];
        rp_seg_part *sg = &g->segparts[i];
        gp->id = p->id;
        gp->title = p->title;
        gp->targets = p->targets;
        gp->n_targets = p->n_targets;
        gp->memo = rp_grade_memo_claims(memo) ? memo : NULL;
        gp->rubric = r;
        parse_id(p->id, &gp->problem, &gp->letter, &gp->sub);
        gp->problem = p->problem;
        sg->id = p->id;
        sg->problem = gp->problem;
        sg->letter = gp->letter;
        sg->sub = gp->sub;
        const rp_answer *truth = p->truth ? p->truth : p->spec;
        const rp_answer *pass = p->key && p->key->kind != RP_ANS_TEXT ? p->key : truth;
        gp->text = !truth || truth->kind == RP_ANS_TEXT;
        if (truth && truth->n_points) {
            gp->points = truth->points;
            gp->n_points = truth->n_points;
        } else {
            gp->points = p->points;
            gp->n_points = p->n_points;
        }
        if (gp->text && truth) {
            gp->patterns = truth->patterns;
            gp->n_patterns = truth->n_patterns;
        }
        rp_status st = to_gans(a, pass, &gp->truth);
        if (st != RP_OK)
            return st;
        if (!gp->truth.samples && truth && truth->samples && truth->kind == pass->kind) {
            gp->truth.sample_var = truth->sample_var;
            gp->truth.sample_from = truth->sample_from;
            gp->truth.samples = truth->samples;
            gp->truth.n_samples = truth->n_samples;
        }
        if (pass != truth && truth) {
            /* rp_answer_compare writes its detail into the rubric's arena:
             * hand it a copy whose arena is this view's, so that grading
             * never writes to a rubric shared by threads nor grows it with
             * every transcript of a stream. */
            rp_rubric in_view = *r;
            in_view.arena = a;
            const char *detail = NULL;
            /* the same for every transcript: remembered in the memo */
            bool disagree;
            if (!memo || !rp_grade_memo_get(memo, r, p->id, "\x01", "key", &disagree,
                                            sizeof disagree)) {
                disagree = rp_answer_compare(&in_view, p, truth, pass, &detail) ==
                           RP_KEY_DISAGREE;
                if (memo)
                    rp_grade_memo_put(memo, r, p->id, "\x01", "key", &disagree,
                                      sizeof disagree);
            }
            if (disagree) {
                gp->has_engine = true;
                st = to_gans(a, truth, &gp->engine);
                if (st != RP_OK)
                    return st;
            }
        }
        gp->n_variants = p->n_variants;
        gp->variants = rp_arena_alloc(a, (p->n_variants + 1) * sizeof *gp->variants);
        if (!gp->variants)
            return RP_ENOMEM;
        for (size_t k = 0; k < p->n_variants; k++) {
            st = to_gans(a, p->variants[k].answer, &gp->variants[k].ans);
            if (st != RP_OK)
                return st;
            gp->variants[k].category = p->variants[k].category;
            gp->variants[k].detail = p->variants[k].detail;
        }
        gp->eopts = rp_part_equiv_opts(p);
        /* how to find the claim */
        rp_extract_spec *es = &gp->spec;
        es->expect = gp->text ? RP_EXPECT_TEXT : gp->truth.kind;
        const char **sym, **words;
        size_t nsym, nw;
        st = split_targets(a, p->targets, p->n_targets, &sym, &nsym, &words, &nw);
        if (st != RP_OK)
            return st;
        es->symbols = sym;
        es->n_symbols = nsym;
        es->words = words;
        es->n_words = nw;
        if (pass && pass->kind == RP_ANS_TUPLE) {
            rp_extract_component *cs =
                rp_arena_alloc(a, (pass->n_items + 1) * sizeof *cs);
            if (!cs)
                return RP_ENOMEM;
            for (size_t k = 0; k < pass->n_items; k++) {
                const rp_tuple_item *it = &pass->items[k];
                /* spellings may be written on the truth, the spec or the key */
                const rp_tuple_item *from[3] = {it, item_named(truth, it->name),
                                                item_named(p->spec, it->name)};
                size_t cap = 2 + nw;
                for (int f = 0; f < 3; f++)
                    if (from[f])
                        cap += from[f]->n_spellings;
                const char **all = rp_arena_alloc(a, cap * sizeof *all);
                if (!all)
                    return RP_ENOMEM;
                size_t na = 0;
                all[na++] = it->name;
                for (int f = 0; f < 3; f++)
                    for (size_t q = 0; from[f] && q < from[f]->n_spellings; q++)
                        all[na++] = from[f]->spellings[q];
                const char **cs_sym, **cs_words;
                size_t cns, cnw;
                st = split_targets(a, all, na, &cs_sym, &cns, &cs_words, &cnw);
                if (st != RP_OK)
                    return st;
                cs[k].name = it->name;
                cs[k].symbols = cs_sym;
                cs[k].n_symbols = cns;
                cs[k].words = cs_words;
                cs[k].n_words = cnw;
                cs[k].expect = it->answer ? expect_of(it->answer->kind) : RP_EXPECT_SCALAR;
                cs[k].prefer_asymptotic = it->answer && it->answer->up_to_constant;
            }
            es->components = cs;
            es->n_components = pass->n_items;
        }
        es->prefer_asymptotic = pass && pass->up_to_constant;
        if (pass && pass->kind == RP_ANS_TABLE) {
            es->row_labels = pass->table.row_labels;
            es->n_row_labels = pass->table.rows;
            es->n_cols = pass->table.cols;
        }
    }
    g->cat.problems = g->problems;
    g->cat.n_problems = g->n_problems;
    g->cat.parts = g->segparts;
    g->cat.n_parts = g->n_parts;
    return rp_grade_content_build(g, a);
}
