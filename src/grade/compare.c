/*
 * Comparing one claim with a part's truth: scalars (bounds, shapes written
 * "a \\times b", growth rates up to a constant), tuples component by
 * component (free-text components by the rubric's patterns, exchanged
 * components found), tables cell by cell, the known wrong variants, and a
 * piecewise answer listed value by value.  rp_grade_claim() turns the
 * comparison into an attempt's verdict, category and detail.  Results of
 * the expression comparison go through the memo (memo.c).
 */
#include "grade_internal.h"

#include "redpen/judge.h"
#include "redpen/latex.h"

#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --------------------------------------------------------- comparisons */

typedef struct cmp {
    bool equal;
    bool error;
    bool ungraded; /* a rubric pattern could not decide (match limit): detail says why */
    char category[32];
    char detail[320];
    char note[256];
} cmp;

static void equiv_compare(const gpart *p, const char *truth, const char *claim, bool verdict_only,
                          cmp *c);

#define SEEN_MAX 16

/* when set, every comparison is traced whole (with its diagnosis) */
static rp_grade_trace_fn trace_fn;
static void *trace_user;

/* What the comparisons of one claim share: its part, a scratch arena and
 * the comparisons already made for it.  The truth, the known wrong
 * variants and the engine's answer often share a component (a variant
 * changes one), and a pair of strings is compared once per claim, not
 * once per answer the claim is checked against.  Nothing is kept from one
 * claim to the next (that is the memo's role, when there is one). */
typedef struct cctx {
    const gpart *p;
    rp_arena *a;
    bool verdict_only; /* the caller reads only cmp.equal and cmp.error: no diagnosis */
    size_t n_seen;
    struct {
        const char *truth, *claim;
        bool verdict_only; /* compared without a diagnosis: category and detail unset */
        cmp c;
    } seen[SEEN_MAX];
} cctx;

static void cctx_init(cctx *cx, const gpart *p, rp_arena *a)
{
    cx->p = p;
    cx->a = a;
    cx->verdict_only = false;
    cx->n_seen = 0;
}

/* Compare claim with truth under the part's options: a pair this claim
 * already compared is not compared again, and the memo, when there is one,
 * answers what another claim compared. */
static void equiv_once(cctx *cx, const char *truth, const char *claim, cmp *c)
{
    /* a result without its diagnosis serves only a caller that reads the
     * verdict, not the others; with a memo every result is whole (a memo
     * answers any caller, and a diagnosis is made once for all claims) */
    const gpart *p = cx->p;
    bool vonly = cx->verdict_only && !trace_fn && !p->memo;
    for (size_t i = 0; i < cx->n_seen; i++)
        if ((vonly || !cx->seen[i].verdict_only) && strcmp(cx->seen[i].truth, truth) == 0 &&
            strcmp(cx->seen[i].claim, claim) == 0) {
            *c = cx->seen[i].c;
            return;
        }
    if (!p->memo || !rp_grade_memo_get(p->memo, p->rubric, p->id, truth, claim, c, sizeof *c)) {
        equiv_compare(p, truth, claim, vonly, c);
        if (p->memo)
            rp_grade_memo_put(p->memo, p->rubric, p->id, truth, claim, c, sizeof *c);
    }
    if (cx->n_seen < SEEN_MAX) {
        cx->seen[cx->n_seen].truth = truth;
        cx->seen[cx->n_seen].claim = claim;
        cx->seen[cx->n_seen].verdict_only = vonly;
        cx->seen[cx->n_seen++].c = *c;
    }
}


void rp_grade_set_trace(rp_grade_trace_fn fn, void *user)
{
    trace_fn = fn;
    trace_user = user;
}

/* Every comparison of a thread goes through one rp_equiv_ctx of its own:
 * the context is allocated once, not per comparison, and its cache parses
 * a part's truth once for all the claims compared with it.  Freed when the
 * thread ends; the main thread's lives until the process ends. */
static pthread_key_t ctx_key;
static pthread_once_t ctx_once = PTHREAD_ONCE_INIT;
static bool ctx_key_ok;

static void ctx_destroy(void *x)
{
    rp_equiv_ctx_free(x);
}

static void ctx_key_make(void)
{
    ctx_key_ok = pthread_key_create(&ctx_key, ctx_destroy) == 0;
}

/* This thread's comparison context, or NULL (out of memory): then
 * rp_equiv_ctx_run() compares without one, with the same results. */
static rp_equiv_ctx *thread_ctx(void)
{
    pthread_once(&ctx_once, ctx_key_make);
    if (!ctx_key_ok)
        return NULL;
    rp_equiv_ctx *x = pthread_getspecific(ctx_key);
    if (!x && (x = rp_equiv_ctx_new()) != NULL && pthread_setspecific(ctx_key, x) != 0) {
        rp_equiv_ctx_free(x);
        x = NULL;
    }
    return x;
}

static rp_status equiv_run(const char *truth, const char *claim, const rp_equiv_opts *o,
                           rp_equiv_result *r)
{
    return rp_equiv_ctx_run(thread_ctx(), truth, strlen(truth), claim, strlen(claim), o, r);
}

static void equiv_compare(const gpart *p, const char *truth, const char *claim, bool verdict_only,
                          cmp *c)
{
    memset(c, 0, sizeof *c);
    rp_equiv_result r;
    rp_equiv_opts o = p->eopts;
    o.verdict_only = verdict_only;
    rp_status est = equiv_run(truth, claim, &o, &r);
    if (trace_fn) {
        char line[1024];
        snprintf(line, sizeof line, "equiv %s: [%s] vs [%s] -> %d %s %s (%zu aliases)", p->id,
                 truth, claim, (int)r.verdict, rp_category_id(r.category), r.detail,
                 p->eopts.n_aliases);
        trace_fn(trace_user, line);
        for (size_t i = 0; i < p->eopts.n_vars; i++) {
            snprintf(line, sizeof line, "   var %s %g..%g int=%d fixed=%d rows=%d",
                     p->eopts.vars[i].name, p->eopts.vars[i].lo, p->eopts.vars[i].hi,
                     p->eopts.vars[i].integer, p->eopts.vars[i].has_value,
                     p->eopts.vars[i].rows);
            trace_fn(trace_user, line);
        }
    }
    if (est != RP_OK) {
        c->error = true;
        snprintf(c->category, sizeof c->category, "unreadable");
        snprintf(c->detail, sizeof c->detail, "out of memory");
        return;
    }
    if (r.verdict == RP_EQUIV_EQUAL) {
        c->equal = true;
        snprintf(c->note, sizeof c->note, "%s", r.note);
        return;
    }
    if (r.verdict == RP_EQUIV_ERROR) {
        c->error = true;
        snprintf(c->category, sizeof c->category, "unreadable");
        snprintf(c->detail, sizeof c->detail, "%s could not be read: %.200s",
                 r.error_side ? "the claim" : "the reference", r.error);
        return;
    }
    snprintf(c->category, sizeof c->category, "%s",
             rp_category_id(r.category != RP_CAT_NONE ? r.category : RP_CAT_ARITHMETIC));
    snprintf(c->detail, sizeof c->detail, "%s", r.detail);
}

#define MAX_DIMS 8

/* Split s at top-level \times (or the character ×) into at most MAX_DIMS
 * factors; returns their count (1 when there is none).  *sums is set when
 * a top-level + or - stands outside the factors (then s is not a shape). */
static size_t split_times(rp_arena *a, const char *s, const char **out, bool *sums)
{
    size_t n = strlen(s), cnt = 0, start = 0;
    int depth = 0;
    *sums = false;
    for (size_t i = 0; i <= n; i++) {
        bool cut = false;
        size_t skip = 0;
        if (i < n) {
            char ch = s[i];
            if (ch == '{' || ch == '(' || ch == '[')
                depth++;
            else if ((ch == '}' || ch == ')' || ch == ']') && depth)
                depth--;
            /* the first byte before a strncmp: this runs on every byte */
            if (depth == 0 && ch == '\\' && strncmp(s + i, "\\times", 6) == 0 &&
                !(i + 6 < n && isalpha((unsigned char)s[i + 6]))) {
                cut = true;
                skip = 6;
            } else if (depth == 0 && ch == '\xC3' && s[i + 1] == '\x97') {
                cut = true;
                skip = 2;
            } else if (depth == 0 && (ch == '+' || ch == '-') && i > start) {
                *sums = true;
            }
        } else {
            cut = true;
        }
        if (cut) {
            if (cnt < MAX_DIMS)
                out[cnt++] = rp_arena_strndup(a, s + start, i - start);
            start = i + skip;
            i += skip ? skip - 1 : 0;
        }
    }
    return cnt;
}

/* Can s hold a \times or × at all?  Most strings have neither, and then
 * they are one factor with no need to split them (nor to copy it). */
static bool may_times(const char *s)
{
    return strstr(s, "\\times") || strstr(s, "\xC3\x97");
}

/* Collect the distinct symbol names of a tree (at most max). */
static size_t symbols_of(const rp_latex_node *n, const char **out, size_t cnt, size_t max,
                         int depth)
{
    if (!n || depth > 200)
        return cnt;
    if (n->kind == RP_LX_SYM && n->name) {
        bool seen = false;
        for (size_t i = 0; i < cnt; i++)
            if (strcmp(out[i], n->name) == 0)
                seen = true;
        if (!seen && cnt < max)
            out[cnt++] = n->name;
    }
    for (size_t i = 0; i < n->n_kid; i++)
        cnt = symbols_of(n->kid[i], out, cnt, max, depth + 1);
    return cnt;
}

#define MAX_GROWTH_SYMS 16

/* A growth rate ("linear in n"): the claim grows like the truth in the
 * truth's own variables when every other symbol is held constant.  Both
 * are compared at very large values of the truth's variables. */
static bool growth_equal(cctx *cx, const char *truth, const char *claim)
{
    const gpart *p = cx->p;
    rp_arena *a = cx->a;
    rp_latex_node *tn, *cn;
    if (rp_latex_parse(a, truth, strlen(truth), &tn, NULL) != RP_OK ||
        rp_latex_parse(a, claim, strlen(claim), &cn, NULL) != RP_OK)
        return false;
    const char *tv[MAX_GROWTH_SYMS], *cv[MAX_GROWTH_SYMS];
    size_t nt = symbols_of(tn, tv, 0, MAX_GROWTH_SYMS, 0);
    size_t nc = symbols_of(cn, cv, 0, MAX_GROWTH_SYMS, 0);
    if (!nt)
        return false;
    rp_var_domain *vars = rp_arena_alloc(a, (nt + nc + p->eopts.n_vars + 1) * sizeof *vars);
    if (!vars)
        return false;
    size_t nv = 0;
    for (size_t i = 0; i < nt; i++) {
        vars[nv].name = tv[i];
        vars[nv].lo = 1e8;
        vars[nv].hi = 1e10;
        vars[nv].integer = true;
        nv++;
    }
    for (size_t i = 0; i < nc; i++) {
        bool growth = false;
        for (size_t k = 0; k < nt; k++)
            if (strcmp(cv[i], tv[k]) == 0)
                growth = true;
        if (growth)
            continue;
        vars[nv].name = cv[i];
        vars[nv].lo = vars[nv].hi = 3;
        vars[nv].has_value = true;
        vars[nv].value = 3;
        nv++;
    }
    rp_equiv_opts o = p->eopts;
    o.vars = vars;
    o.n_vars = nv;
    rp_equiv_result r;
    if (equiv_run(truth, claim, &o, &r) != RP_OK)
        return false;
    if (r.verdict == RP_EQUIV_EQUAL)
        return true;
    /* a ratio without variables: the diagnosis sets const_factor */
    return r.verdict == RP_EQUIV_DIFFERENT &&
           (r.category == RP_CAT_ASYMPTOTIC_ONLY ||
            (r.category == RP_CAT_WRONG_FACTOR && r.const_factor));
}

static void cmp_scalar(cctx *cx, const char *truth, bool upc, const char *claim, cmp *c)
{
    const gpart *p = cx->p;
    rp_arena *a = cx->a;
    memset(c, 0, sizeof *c);
    if (!truth || !claim) {
        snprintf(c->category, sizeof c->category, "missing_answer");
        return;
    }
    /* A bound "x \le v": compare its value; equal is `inequality` unless
     * the rubric accepts bounds. */
    const char *value;
    char rel;
    if (rp_extract_bound(a, claim, &value, &rel)) {
        cmp_scalar(cx, truth, upc, value, c);
        if (c->equal && !p->eopts.accept_bound) {
            c->equal = false;
            snprintf(c->category, sizeof c->category, "inequality");
            snprintf(c->detail, sizeof c->detail, "a bound (%s) where a value is asked; the bound equals the value",
                     rel == '<' ? "\\le" : "\\ge");
        } else if (!c->equal && c->category[0]) {
            char d[sizeof c->detail];
            snprintf(d, sizeof d, "%s", c->detail);
            snprintf(c->detail, sizeof c->detail, "the bound's value: %.280s", d[0] ? d : c->category);
        }
        return;
    }
    /* A shape "a \times b \times c" is compared dimension by dimension, so
     * that "\lfloor x \rfloor + 1 \times ..." written without parentheses
     * reads as the shape it means. */
    const char *tf[MAX_DIMS], *cf[MAX_DIMS];
    bool tsum = false, csum = false;
    size_t nt = may_times(truth) ? split_times(a, truth, tf, &tsum) : 1;
    size_t nc = may_times(claim) ? split_times(a, claim, cf, &csum) : 1;
    if (nt >= 2 && !tsum && nc == nt) {
        bool all = true;
        for (size_t i = 0; i < nt && all; i++) {
            cmp d;
            equiv_once(cx, tf[i], cf[i], &d);
            if (!d.equal) {
                all = false;
                *c = d;
                char det[sizeof c->detail];
                snprintf(det, sizeof det, "%s", d.detail);
                snprintf(c->detail, sizeof c->detail, "dimension %zu: %.280s", i + 1,
                         det[0] ? det : d.category);
            }
        }
        if (all) {
            memset(c, 0, sizeof *c);
            c->equal = true;
        }
        return;
    }
    /* "r \times r" for a size r: an extent given in every dimension */
    if (nt == 1 && nc >= 2) {
        bool all = true;
        for (size_t i = 0; i < nc && all; i++) {
            cmp d;
            equiv_once(cx, truth, cf[i], &d);
            all = d.equal;
        }
        if (all) {
            c->equal = true;
            snprintf(c->note, sizeof c->note, "given as a %zu-dimensional extent", nc);
            return;
        }
    }
    equiv_once(cx, truth, claim, c);
    /* a growth rate: a constant factor or an O(.) of the right order is fine */
    if (!c->equal && upc && !c->error && growth_equal(cx, truth, claim)) {
        memset(c, 0, sizeof *c);
        c->equal = true;
        snprintf(c->note, sizeof c->note, "the same order of growth");
    }
}

/* Compare claim component k (the claim's components follow p->truth's
 * order) with component tc of some answer. */
static void cmp_comp(cctx *cx, const gcomp *tc, const rp_claim *cl,
                     size_t k, const char *span_text, cmp *c)
{
    memset(c, 0, sizeof *c);
    if (!tc->latex) {
        /* free text: decided by the rubric's patterns over the answer */
        if (!tc->n_patterns || !span_text) {
            c->equal = true;
            return;
        }
        rp_judge_verdict v;
        rp_judge_by_patterns(tc->patterns, NULL, tc->n_patterns, span_text, strlen(span_text),
                             &v);
        if (v.verdict == RP_VERDICT_PASS) {
            c->equal = true;
        } else if (v.verdict != RP_VERDICT_FAIL) {
            /* the patterns could not decide (match limit, a pattern that
             * does not compile): no verdict rather than a missing point */
            c->ungraded = true;
            snprintf(c->detail, sizeof c->detail, "%.300s", v.reason);
        } else {
            snprintf(c->category, sizeof c->category, "missing_point");
            snprintf(c->detail, sizeof c->detail, "does not say: %.200s",
                     v.verdict == RP_VERDICT_FAIL ? v.missing : v.reason);
        }
        return;
    }
    if (k >= cl->n_parts || !cl->parts[k]) {
        snprintf(c->category, sizeof c->category, "missing_answer");
        snprintf(c->detail, sizeof c->detail, "no answer for %s", tc->name);
        return;
    }
    cmp_scalar(cx, tc->latex, tc->upc, cl->parts[k], c);
}

/* Index of the truth's component called name, or -1. */
static long comp_index(const gpart *p, const char *name)
{
    for (size_t i = 0; i < p->truth.n_comp; i++)
        if (name && p->truth.comps[i].name && strcmp(p->truth.comps[i].name, name) == 0)
            return (long)i;
    return -1;
}

/* A missing value or point: reported only when no component is wrong. */
static bool weak_category(const char *cat)
{
    return strcmp(cat, "missing_answer") == 0 || strcmp(cat, "missing_point") == 0;
}

/* A tuple claim against a tuple answer, component by component. */
static void cmp_tuple(cctx *cx, const gans *truth, const rp_claim *cl, const char *span_text,
                      cmp *c)
{
    const gpart *p = cx->p;
    if (cl->kind != RP_CLAIM_TUPLE) {
        snprintf(c->category, sizeof c->category, "missing_answer");
        return;
    }
    bool all = true;
    size_t undecided = 0;
    cmp bad;
    memset(&bad, 0, sizeof bad);
    const char *bad_name = NULL;
    for (size_t i = 0; i < truth->n_comp; i++) {
        const gcomp *tc = &truth->comps[i];
        long k = comp_index(p, tc->name);
        if (k < 0)
            continue;
        cmp sub;
        /* once a wrong value is reported (bad below, not a missing one),
         * a later component's diagnosis is never read: only whether it is
         * equal, undecided, or (for the same reason) wrong */
        bool was = cx->verdict_only;
        if (bad_name && !weak_category(bad.category))
            cx->verdict_only = true;
        cmp_comp(cx, tc, cl, (size_t)k, span_text, &sub);
        cx->verdict_only = was;
        if (sub.ungraded) {
            /* undecided: the part is ungraded unless another component is wrong */
            if (!undecided++)
                snprintf(c->detail, sizeof c->detail, "%.60s: %.250s", tc->name,
                         sub.detail);
            continue;
        }
        if (!sub.equal) {
            all = false;
            /* report a wrong value before a missing one or a missing point */
            bool weak_bad = bad_name && weak_category(bad.category);
            bool weak_sub = weak_category(sub.category);
            if (!bad_name || (weak_bad && !weak_sub)) {
                bad = sub;
                bad_name = tc->name;
            }
        } else if (sub.note[0]) {
            /* every component's remark, "; "-joined */
            size_t L = strlen(c->note);
            snprintf(c->note + L, sizeof c->note - L, "%s%.60s: %.120s", L ? "; " : "",
                     tc->name, sub.note);
        }
    }
    if (all) {
        c->equal = !undecided;
        c->ungraded = undecided > 0;
        return;
    }
    /* two components exchanged */
    for (size_t i = 0; i < truth->n_comp; i++)
        for (size_t j = i + 1; j < truth->n_comp; j++) {
            const gcomp *x = &truth->comps[i], *y = &truth->comps[j];
            long ki = comp_index(p, x->name), kj = comp_index(p, y->name);
            if (!x->latex || !y->latex || ki < 0 || kj < 0)
                continue;
            cmp u, v;
            bool was = cx->verdict_only;
            cx->verdict_only = true; /* only whether they are equal is read */
            cmp_comp(cx, y, cl, (size_t)ki, span_text, &u);
            if (u.equal)
                cmp_comp(cx, x, cl, (size_t)kj, span_text, &v);
            cx->verdict_only = was;
            if (!u.equal)
                continue; /* no exchange: the other half need not be compared */
            if (v.equal) {
                snprintf(c->category, sizeof c->category, "swapped");
                snprintf(c->detail, sizeof c->detail, "%.60s and %.60s exchanged", x->name,
                         y->name);
                return;
            }
        }
    snprintf(c->category, sizeof c->category, "%s", bad.category);
    snprintf(c->detail, sizeof c->detail, "%.60s: %.250s", bad_name ? bad_name : "component",
             bad.detail[0] ? bad.detail : bad.category);
    return;
}

static void cmp_answer(cctx *cx, const gans *truth, const rp_claim *cl,
                       const char *span_text, cmp *c)
{
    memset(c, 0, sizeof *c);
    switch (truth->kind) {
    case RP_EXPECT_TUPLE:
        cmp_tuple(cx, truth, cl, span_text, c);
        return;
    case RP_EXPECT_TABLE: {
        if (cl->kind != RP_CLAIM_TABLE || cl->rows != truth->rows || cl->cols != truth->cols) {
            snprintf(c->category, sizeof c->category, "missing_answer");
            return;
        }
        size_t wrong = 0, missing = 0, graded = 0;
        char list[256] = "";
        for (size_t r = 0; r < truth->rows; r++)
            for (size_t k = 0; k < truth->cols; k++) {
                const char *t = truth->cells[r * truth->cols + k];
                if (!t)
                    continue;
                graded++;
                const char *v = cl->cells[r * truth->cols + k];
                if (!v) {
                    missing++;
                    continue;
                }
                cmp sub;
                cmp_scalar(cx, t, false, v, &sub);
                if (!sub.equal) {
                    wrong++;
                    size_t L = strlen(list);
                    if (L < sizeof list - 40)
                        snprintf(list + L, sizeof list - L, "%srow %zu col %zu", L ? ", " : "",
                                 r + 1, k + 1);
                }
            }
        if (!wrong && !missing) {
            c->equal = true;
            return;
        }
        if (!wrong) {
            snprintf(c->category, sizeof c->category, "missing_answer");
            snprintf(c->detail, sizeof c->detail, "%zu of %zu entries not filled in", missing,
                     graded);
            return;
        }
        snprintf(c->category, sizeof c->category, "arithmetic");
        snprintf(c->detail, sizeof c->detail, "%zu of %zu entries differ: %s", wrong, graded,
                 list);
        return;
    }
    default:
        if (cl->kind != RP_CLAIM_MATH) {
            snprintf(c->category, sizeof c->category, "missing_answer");
            return;
        }
        cmp_scalar(cx, truth->latex, truth->upc, cl->latex, c);
        return;
    }
}

/* Does the claim match a partial answer (a variant naming only some
 * components of a tuple)? */
static bool matches_variant(cctx *cx, const gans *v, const rp_claim *cl, const char *span_text)
{
    const gpart *p = cx->p;
    cmp c;
    /* callers set cx->verdict_only: only whether it matches is read */
    if (v->kind == RP_EXPECT_TUPLE && p->truth.kind == RP_EXPECT_TUPLE) {
        if (cl->kind != RP_CLAIM_TUPLE)
            return false;
        size_t compared = 0;
        for (size_t i = 0; i < v->n_comp; i++) {
            const gcomp *vc = &v->comps[i];
            long k = comp_index(p, vc->name);
            if (k < 0 || !vc->latex)
                continue;
            cmp_comp(cx, vc, cl, (size_t)k, span_text, &c);
            if (!c.equal)
                return false;
            compared++;
        }
        return compared > 0;
    }
    cmp_answer(cx, v, cl, span_text, &c);
    return c.equal;
}

static const char *clip(rp_arena *a, const char *s, size_t max)
{
    if (!s)
        return NULL;
    size_t n = strlen(s);
    if (n <= max)
        return rp_arena_strdup(a, s);
    /* cut on a UTF-8 boundary */
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    /* copied, not formatted: printf's "%.*s" cost 20,000 instructions a claim */
    static const char ellipsis[] = "…";
    char *o = rp_arena_alloc(a, max + sizeof ellipsis);
    if (!o)
        return NULL;
    memcpy(o, s, max);
    memcpy(o + max, ellipsis, sizeof ellipsis);
    return o;
}

/* A piecewise answer computed and listed value by value ("y[3] = 2 -
 * 0.125 = 1.875", "y[9] = 127/512 \approx 0.248"): how many values the
 * text lists for sample_var, and whether all agree with the truth's
 * samples (values given with \approx within 1%). */
static size_t listed_values(const gans *t, const char *text, bool *all_right)
{
    *all_right = true;
    if (!t->samples || !t->n_samples || !t->sample_var || !text)
        return 0;
    size_t found = 0;
    const char *p = text;
    while ((p = strpbrk(p, "[(")) != NULL) {
        /* the function's name stands before the bracket: y[3] or y(3) */
        if (p == text || !isalpha((unsigned char)p[-1])) {
            p++;
            continue;
        }
        char *end;
        long k = strtol(p + 1, &end, 10);
        if (end == p + 1 || (*end != ']' && *end != ')')) {
            p++;
            continue;
        }
        /* the rest of the equation up to the end of its math or line */
        const char *q = end + 1;
        while (*q == ' ')
            q++;
        if (*q != '=') {
            p = q;
            continue;
        }
        const char *stop = q;
        while (*stop && *stop != '\n' && *stop != '$' && *stop != ',' && *stop != ';')
            stop++;
        /* the last number after the last '=' or \approx */
        const char *last = NULL;
        bool approx = false;
        for (const char *r = q; r < stop; r++) {
            if (*r == '=') {
                last = r + 1;
                approx = false;
            } else if (strncmp(r, "\\approx", 7) == 0) {
                last = r + 7;
                approx = true;
            }
        }
        p = stop;
        if (!last)
            continue;
        while (*last == ' ')
            last++;
        char *vend;
        double v = strtod(last, &vend);
        if (vend == last)
            continue;
        while (*vend == ' ')
            vend++;
        if (vend < stop && *vend != '\0' && *vend != '\n')
            continue; /* more than a number: not a value */
        if (k < t->sample_from || (size_t)(k - t->sample_from) >= t->n_samples)
            continue;
        double want = t->samples[k - t->sample_from];
        double tol = approx ? 0.01 * (fabs(want) > 1e-3 ? fabs(want) : 1e-3) + 5e-4
                            : 1e-9 * (fabs(want) > 1 ? fabs(want) : 1);
        if (fabs(v - want) > tol)
            *all_right = false;
        found++;
    }
    return found;
}

/* Grade one claim of part p into *at. */
void rp_grade_claim(rp_arena *a, rp_arena *scratch, rp_judge *judge, const gpart *p,
                    const rp_claim *cl, const char *span_text, rp_attempt *at,
                    const char **key_note)
{
    at->claim = cl->shown ? clip(a, cl->shown, 600) : NULL;
    if (p->text && !judge && p->n_patterns && cl->kind == RP_CLAIM_TEXT && cl->text) {
        /* the rubric's patterns decide without a judge */
        rp_judge_verdict v;
        rp_judge_by_patterns(p->patterns, NULL, p->n_patterns, cl->text, strlen(cl->text), &v);
        at->verdict = v.verdict;
        if (v.verdict == RP_VERDICT_FAIL) {
            at->category = "missing_point";
            at->detail = rp_arena_printf(a, "does not say: %s", v.missing);
        } else {
            at->detail = rp_arena_printf(a, "%s", v.reason);
        }
        return;
    }
    if (p->text) {
        if (!judge || cl->kind != RP_CLAIM_TEXT) {
            at->verdict = RP_VERDICT_UNGRADED;
            at->detail = judge ? "no answer text to judge" : "free-text answer; no judge configured";
            return;
        }
        rp_judge_verdict v;
        rp_judge_grade(judge, p->id, p->title, p->points, p->n_points, cl->text, &v);
        at->verdict = v.verdict;
        if (v.verdict == RP_VERDICT_FAIL) {
            at->category = "missing_point";
            at->detail = v.missing[0] ? rp_arena_printf(a, "%s (missing: %s)", v.reason, v.missing)
                                      : rp_arena_strdup(a, v.reason);
        } else {
            at->detail = v.reason[0] ? rp_arena_strdup(a, v.reason) : NULL;
        }
        return;
    }
    if (cl->kind == RP_CLAIM_NONE) {
        at->verdict = RP_VERDICT_FAIL;
        at->category = "missing_answer";
        at->detail = "the part is discussed but no concrete answer is given";
        return;
    }
    cctx cx;
    cctx_init(&cx, p, scratch);
    cmp c;
    cmp_answer(&cx, &p->truth, cl, span_text, &c);
    if (c.ungraded) {
        at->verdict = RP_VERDICT_UNGRADED;
        at->detail = rp_arena_strdup(a, c.detail);
        return;
    }
    if (c.equal) {
        at->verdict = RP_VERDICT_PASS;
        if (c.note[0])
            at->note = rp_arena_strdup(a, c.note);
        return;
    }
    cx.verdict_only = true; /* from here on only verdicts are read, c's diagnosis is kept */
    for (size_t i = 0; i < p->n_variants; i++) {
        if (!matches_variant(&cx, &p->variants[i].ans, cl, span_text))
            continue;
        if (p->variants[i].category && strcmp(p->variants[i].category, "accept") == 0) {
            at->verdict = RP_VERDICT_PASS;
            at->note = p->variants[i].detail;
            return;
        }
        at->verdict = RP_VERDICT_FAIL;
        at->category = p->variants[i].category;
        at->detail = p->variants[i].detail;
        return;
    }
    /* a computation listed value by value can stand although the formula
     * written beside it is off */
    bool right;
    if (p->truth.kind == RP_EXPECT_PIECEWISE && listed_values(&p->truth, span_text, &right) >= 5 &&
        right) {
        at->verdict = RP_VERDICT_PASS;
        at->note = rp_arena_printf(a, "the listed values agree with the truth; the formula given "
                                      "differs (%s%s%.200s)",
                                   c.category, c.detail[0] ? ": " : "", c.detail);
        return;
    }
    at->verdict = RP_VERDICT_FAIL;
    if (p->has_engine) {
        cmp e;
        cmp_answer(&cx, &p->engine, cl, span_text, &e);
        if (e.equal && key_note)
            *key_note = "the claim equals redpen's own derivation but not the official key";
    }
    at->category = rp_arena_strdup(a, c.category[0] ? c.category : "arithmetic");
    at->detail = c.detail[0] ? rp_arena_strdup(a, c.detail) : NULL;
}

bool rp_grade_equals_truth(rp_arena *scratch, const gpart *p, const char *latex)
{
    cctx cx;
    cctx_init(&cx, p, scratch);
    cx.verdict_only = true; /* only whether it is equal is read */
    cmp c;
    cmp_scalar(&cx, p->truth.latex, p->truth.upc, latex, &c);
    return c.equal;
}

/* Does the name stand in latex as a whole identifier? */
static bool has_identifier(const char *latex, const char *name)
{
    size_t l = strlen(name);
    for (const char *q = latex; latex && (q = strstr(q, name)) != NULL; q++)
        if ((q == latex || (!isalpha((unsigned char)q[-1]) && q[-1] != '\\')) &&
            !isalpha((unsigned char)q[l]))
            return true;
    return false;
}

bool rp_grade_foreign_claim(rp_arena *scratch, const gpart *p, const rp_claim *cl)
{
    if (cl->kind != RP_CLAIM_MATH || !cl->latex)
        return false;
    /* the claim's names outside commands and sub- and superscripts; of a
     * bound, its value's */
    const char *s = cl->latex;
    char rel;
    if (!rp_extract_bound(scratch, cl->latex, &s, &rel))
        s = cl->latex;
    for (size_t i = 0; s[i];) {
        if (s[i] == '\\') {
            for (i++; isalpha((unsigned char)s[i]); i++)
                ;
            continue;
        }
        if ((s[i] == '_' || s[i] == '^') && s[i + 1]) {
            i++;
            if (s[i] == '{') {
                int depth = 0;
                for (; s[i]; i++) {
                    depth += s[i] == '{' ? 1 : s[i] == '}' ? -1 : 0;
                    if (depth == 0)
                        break;
                }
            }
            if (s[i])
                i++;
            continue;
        }
        if (!isalpha((unsigned char)s[i])) {
            i++;
            continue;
        }
        size_t e = i;
        while (isalpha((unsigned char)s[e]))
            e++;
        char name[32];
        snprintf(name, sizeof name, "%.*s", (int)(e - i < 31 ? e - i : 31), s + i);
        bool known = has_identifier(p->truth.latex, name);
        for (size_t k = 0; k < p->truth.n_comp && !known; k++)
            known = has_identifier(p->truth.comps[k].latex, name);
        if (!known)
            return true;
        i = e;
    }
    return false;
}
