/*
 * Grading one transcript: walk the turns in order; model turns are split
 * into part spans and every span's claim is compared with the truth (and
 * the known wrong variants) as an attempt; user turns are read for
 * corrections of parts already attempted.  The result is an rp_report.
 *
 * Corrections.  A user turn is split into clauses (sentences, cut again at
 * "but" and ";").  A clause that is negative ("incorrect", "wrong", "redo",
 * "missing", "flipped", "instead of", ...) or that states the solution
 * corrects the parts it names ("part c", "2e", "part di", "starting at part
 * d"); a turn that names no part corrects the parts under discussion: those
 * the previous model turn answered and got wrong.  Kinds: `solution` when
 * the clause gives the answer ("Solution: ...", "here is the solution", math
 * equal to the truth), `hint` when it names a cause, else `nudge`.
 */
#include "grade_internal.h"

#include "redpen/judge.h"
#include "redpen/latex.h"
#include "redpen/rubric.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <math.h>
#include <pcre2.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/* --------------------------------------------------------- comparisons */

typedef struct cmp {
    bool equal;
    bool error;
    char category[32];
    char detail[320];
    char note[256];
} cmp;

static void equiv_compare(const gpart *p, const char *truth, const char *claim, cmp *c);

/* Compare claim with truth under the part's options, through the memo when
 * there is one. */
static void equiv_once(const gpart *p, const char *truth, const char *claim, cmp *c)
{
    if (p->memo && rp_grade_memo_get(p->memo, p->rubric, p->id, truth, claim, c, sizeof *c))
        return;
    equiv_compare(p, truth, claim, c);
    if (p->memo)
        rp_grade_memo_put(p->memo, p->rubric, p->id, truth, claim, c, sizeof *c);
}

static void equiv_compare(const gpart *p, const char *truth, const char *claim, cmp *c)
{
    memset(c, 0, sizeof *c);
    rp_equiv_result r;
    rp_status est = rp_equiv(truth, strlen(truth), claim, strlen(claim), &p->eopts, &r);
    if (getenv("REDPEN_DEBUG_GRADE")) {
        fprintf(stderr, "equiv %s: [%s] vs [%s] -> %d %s %s (%zu aliases)\n", p->id, truth, claim,
                (int)r.verdict, rp_category_id(r.category), r.detail, p->eopts.n_aliases);
        for (size_t i = 0; i < p->eopts.n_vars; i++)
            fprintf(stderr, "   var %s %g..%g int=%d fixed=%d rows=%d\n", p->eopts.vars[i].name,
                    p->eopts.vars[i].lo, p->eopts.vars[i].hi, p->eopts.vars[i].integer,
                    p->eopts.vars[i].has_value, p->eopts.vars[i].rows);
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
static bool growth_equal(rp_arena *a, const gpart *p, const char *truth, const char *claim)
{
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
    if (rp_equiv(truth, strlen(truth), claim, strlen(claim), &o, &r) != RP_OK)
        return false;
    if (r.verdict == RP_EQUIV_EQUAL)
        return true;
    /* a ratio without variables: the diagnosis sets const_factor */
    return r.verdict == RP_EQUIV_DIFFERENT &&
           (r.category == RP_CAT_ASYMPTOTIC_ONLY ||
            (r.category == RP_CAT_WRONG_FACTOR && r.const_factor));
}

static void cmp_scalar(rp_arena *a, const gpart *p, const char *truth, bool upc,
                       const char *claim, cmp *c)
{
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
        cmp_scalar(a, p, truth, upc, value, c);
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
    bool tsum, csum;
    size_t nt = split_times(a, truth, tf, &tsum);
    size_t nc = split_times(a, claim, cf, &csum);
    if (nt >= 2 && !tsum && nc == nt) {
        bool all = true;
        for (size_t i = 0; i < nt && all; i++) {
            cmp d;
            equiv_once(p, tf[i], cf[i], &d);
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
            equiv_once(p, truth, cf[i], &d);
            all = d.equal;
        }
        if (all) {
            c->equal = true;
            snprintf(c->note, sizeof c->note, "given as a %zu-dimensional extent", nc);
            return;
        }
    }
    equiv_once(p, truth, claim, c);
    /* a growth rate: a constant factor or an O(.) of the right order is fine */
    if (!c->equal && upc && !c->error && growth_equal(a, p, truth, claim)) {
        memset(c, 0, sizeof *c);
        c->equal = true;
        snprintf(c->note, sizeof c->note, "the same order of growth");
    }
}

/* Do all of the patterns match the text? */
static bool patterns_match(const char *const *pats, size_t n, const char *text, char *missing,
                           size_t cap)
{
    bool all = true;
    missing[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        int err;
        PCRE2_SIZE off;
        pcre2_code *re = pcre2_compile((PCRE2_SPTR)pats[i], PCRE2_ZERO_TERMINATED,
                                       PCRE2_CASELESS | PCRE2_UTF, &err, &off, NULL);
        bool hit = false;
        if (re) {
            pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
            pcre2_match_context *mc = pcre2_match_context_create(NULL);
            if (md && mc) {
                pcre2_set_match_limit(mc, 1000000);
                pcre2_set_depth_limit(mc, 1000);
                hit = pcre2_match(re, (PCRE2_SPTR)text, strlen(text), 0, 0, md, mc) > 0;
            }
            pcre2_match_data_free(md);
            pcre2_match_context_free(mc);
            pcre2_code_free(re);
        }
        if (!hit) {
            all = false;
            size_t L = strlen(missing);
            snprintf(missing + L, cap - L, "%s%s", L ? ", " : "", pats[i]);
        }
    }
    return all;
}

/* Compare claim component k (the claim's components follow p->truth's
 * order) with component tc of some answer. */
static void cmp_comp(rp_arena *a, const gpart *p, const gcomp *tc, const rp_claim *cl,
                     size_t k, const char *span_text, cmp *c)
{
    memset(c, 0, sizeof *c);
    if (!tc->latex) {
        /* free text: decided by the rubric's patterns over the answer */
        if (!tc->n_patterns || !span_text) {
            c->equal = true;
            return;
        }
        char missing[200];
        if (patterns_match(tc->patterns, tc->n_patterns, span_text, missing, sizeof missing)) {
            c->equal = true;
        } else {
            snprintf(c->category, sizeof c->category, "missing_point");
            snprintf(c->detail, sizeof c->detail, "does not say: %s", missing);
        }
        return;
    }
    if (k >= cl->n_parts || !cl->parts[k]) {
        snprintf(c->category, sizeof c->category, "missing_answer");
        snprintf(c->detail, sizeof c->detail, "no answer for %s", tc->name);
        return;
    }
    cmp_scalar(a, p, tc->latex, tc->upc, cl->parts[k], c);
}

/* Index of the truth's component called name, or -1. */
static long comp_index(const gpart *p, const char *name)
{
    for (size_t i = 0; i < p->truth.n_comp; i++)
        if (name && p->truth.comps[i].name && strcmp(p->truth.comps[i].name, name) == 0)
            return (long)i;
    return -1;
}

static void cmp_answer(rp_arena *a, const gpart *p, const gans *truth, const rp_claim *cl,
                       const char *span_text, cmp *c)
{
    memset(c, 0, sizeof *c);
    switch (truth->kind) {
    case RP_EXPECT_TUPLE: {
        if (cl->kind != RP_CLAIM_TUPLE) {
            snprintf(c->category, sizeof c->category, "missing_answer");
            return;
        }
        bool all = true;
        cmp bad;
        memset(&bad, 0, sizeof bad);
        const char *bad_name = NULL;
        for (size_t i = 0; i < truth->n_comp; i++) {
            const gcomp *tc = &truth->comps[i];
            long k = comp_index(p, tc->name);
            if (k < 0)
                continue;
            cmp sub;
            cmp_comp(a, p, tc, cl, (size_t)k, span_text, &sub);
            if (!sub.equal) {
                all = false;
                /* report a wrong value before a missing one or a missing point */
                bool weak_bad = bad_name && (strcmp(bad.category, "missing_answer") == 0 ||
                                             strcmp(bad.category, "missing_point") == 0);
                bool weak_sub = strcmp(sub.category, "missing_answer") == 0 ||
                                strcmp(sub.category, "missing_point") == 0;
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
            c->equal = true;
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
                cmp_comp(a, p, y, cl, (size_t)ki, span_text, &u);
                cmp_comp(a, p, x, cl, (size_t)kj, span_text, &v);
                if (u.equal && v.equal) {
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
                cmp_scalar(a, p, t, false, v, &sub);
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
        cmp_scalar(a, p, truth->latex, truth->upc, cl->latex, c);
        return;
    }
}

/* Does the claim match a partial answer (a variant naming only some
 * components of a tuple)? */
static bool matches_variant(rp_arena *a, const gpart *p, const gans *v, const rp_claim *cl,
                            const char *span_text)
{
    cmp c;
    if (v->kind == RP_EXPECT_TUPLE && p->truth.kind == RP_EXPECT_TUPLE) {
        if (cl->kind != RP_CLAIM_TUPLE)
            return false;
        size_t compared = 0;
        for (size_t i = 0; i < v->n_comp; i++) {
            const gcomp *vc = &v->comps[i];
            long k = comp_index(p, vc->name);
            if (k < 0 || !vc->latex)
                continue;
            cmp_comp(a, p, vc, cl, (size_t)k, span_text, &c);
            if (!c.equal)
                return false;
            compared++;
        }
        return compared > 0;
    }
    cmp_answer(a, p, v, cl, span_text, &c);
    return c.equal;
}

/* ------------------------------------------------------------ attempts */

typedef struct attempt_vec {
    rp_attempt *v;
    size_t n, cap;
} attempt_vec;

typedef struct corr_vec {
    rp_correction *v;
    size_t n, cap;
} corr_vec;

typedef struct part_state {
    attempt_vec att;
    corr_vec corr;
    const char *key_note;
} part_state;

static rp_status grow(rp_arena *a, void **v, size_t *cap, size_t n, size_t elem)
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
static void grade_claim(rp_arena *a, rp_arena *scratch, rp_judge *judge, const gpart *p,
                        const rp_claim *cl, const char *span_text, rp_attempt *at,
                        const char **key_note)
{
    at->claim = cl->shown ? clip(a, cl->shown, 600) : NULL;
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
    cmp c;
    cmp_answer(scratch, p, &p->truth, cl, span_text, &c);
    if (c.equal) {
        at->verdict = RP_VERDICT_PASS;
        if (c.note[0])
            at->note = rp_arena_strdup(a, c.note);
        return;
    }
    for (size_t i = 0; i < p->n_variants; i++) {
        if (!matches_variant(scratch, p, &p->variants[i].ans, cl, span_text))
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
        cmp_answer(scratch, p, &p->engine, cl, span_text, &e);
        if (e.equal && key_note)
            *key_note = "the claim equals redpen's own derivation but not the official key";
    }
    at->category = rp_arena_strdup(a, c.category[0] ? c.category : "arithmetic");
    at->detail = c.detail[0] ? rp_arena_strdup(a, c.detail) : NULL;
}

/* --------------------------------------------------------- corrections */

static const char *const negative_cues[] = {
    "incorrect", "wrong", "not correct", "isn't correct", "not right", "isn't right",
    "mistake", "error", "missing", "forgot", "forget", "neglect", "flipped", "redo",
    "re-do", "recheck", "re-check", "reevaluate", "re-evaluate", "reconsider", "fix ",
    "no longer", "instead of", "should be", "supposed to", "doesn't match",
    "does not match", "don't match", "off by", "why is this", "where did you go wrong",
    "where are you", "need the", "we need", "can you format", "aren't you", "are you sure",
    "not quite", "try again", "remove", "issue", "problem with", "losing", "lost",
    "double check", "double-check", "go back", "not what", "doesn't look", "not the same",
    "still not", "still incorrect", "not match", "overlooked", "ignored", "ignoring", NULL};

static const char *const positive_cues[] = {
    "look good", "looks good", "is correct", "are correct", "correct!", "flawless",
    "great", "perfect", "well done", "nice", "good job", "right answer", "looks right",
    NULL};

static const char *const hint_cues[] = {
    "missing", "forgot", "forget", "neglect", "flipped", "flip", "sign", "negative",
    "factor", "multiple of", "constant", "bias", "transpose", "padding", "boundary",
    "stride", "row", "column", "entry", "entries", "kernel", "instead of", "format",
    "general", "in terms of", "include", "inequalit", "case", "should be", "account",
    "scaling", "swap", "order", "index", "square", "root", NULL};

/* Phrases that give the answer away.  "your solution" is the model's own
 * answer, so a phrase counts only where "your" does not stand right before
 * it (see rp_grade_find_cues()). */
static const char *const solution_cues[] = {
    "solution:", "here is the solution", "here's the solution", "the solution is",
    "the solution in the", "homework solution", "official solution", "solutions say",
    "solution says", "the answer is", "the correct answer", "answer key",
    "the solutions", "the solution", NULL};

enum { CUE_NEGATIVE = RP_CUE_NEGATIVE, CUE_POSITIVE = RP_CUE_POSITIVE, CUE_HINT = RP_CUE_HINT,
       CUE_SOLUTION = RP_CUE_SOLUTION, CUE_ALL = 15u };

/* Cues are looked for in the first bytes of a clause and of a turn only. */
#define CLAUSE_CUE_BYTES 2047
#define TURN_CUE_BYTES 4095

#define N_SOLUTION_CUES (sizeof solution_cues / sizeof *solution_cues - 1)
/* Room for the automaton: the lists hold 1070 bytes of 30 distinct
 * characters today.  Grow these before the lists outgrow them: what does
 * not fit is left out of the automaton. */
#define CUE_STATES 1536 /* more than all cues' bytes together */
#define CUE_CLASSES 40  /* the bytes cues are made of, case folded, and "other" */

/* An Aho-Corasick automaton over all four cue lists: one table step per
 * byte of a clause finds every cue of every list, where a strstr per cue
 * read each clause some 120 times.  Upper case steps like lower case, so
 * the text needs no lower-case copy.  Built once per process; read-only
 * after. */
typedef struct cue_automaton {
    uint8_t cls[256];                          /* byte -> class, 0 for other */
    uint16_t next[CUE_STATES][CUE_CLASSES];    /* the step, failures folded in */
    uint16_t fail[CUE_STATES];
    uint8_t lists[CUE_STATES];     /* CUE_* bits of cues ending here, through the failure
                                      chain; CUE_SOLUTION: see sol_at */
    uint16_t sol_at[CUE_STATES];   /* nearest state on the failure chain (this one
                                      included) where a solution cue ends; 0: none */
    int16_t sol_cue[CUE_STATES];   /* the solution cue ending at this state, or -1 */
    uint8_t depth[CUE_STATES];     /* bytes from the root */
    size_t n_states;
    bool overflow;                 /* a cue did not fit (see rp_grade_cues_complete) */
} cue_automaton;

static cue_automaton cue_ac;
static pthread_once_t cue_once = PTHREAD_ONCE_INIT;

static void add_cue(cue_automaton *t, const char *w, unsigned list, int sol)
{
    size_t st = 0;
    for (const char *p = w; *p; p++) {
        uint8_t c = t->cls[(unsigned char)*p];
        if (!t->next[st][c]) {
            if (t->n_states >= CUE_STATES) {
                t->overflow = true; /* unit.grade fails: grow CUE_STATES */
                return;
            }
            t->depth[t->n_states] = (uint8_t)(t->depth[st] + 1);
            t->sol_cue[t->n_states] = -1;
            t->next[st][c] = (uint16_t)t->n_states++;
        }
        st = t->next[st][c];
    }
    if (list == CUE_SOLUTION)
        t->sol_cue[st] = (int16_t)sol;
    else
        t->lists[st] |= (uint8_t)list;
}

static void build_cues(void)
{
    static const struct {
        const char *const *words;
        unsigned list;
    } all[] = {{negative_cues, CUE_NEGATIVE},
               {positive_cues, CUE_POSITIVE},
               {hint_cues, CUE_HINT},
               {solution_cues, CUE_SOLUTION}};
    cue_automaton *t = &cue_ac;
    uint8_t n_cls = 1;
    for (size_t l = 0; l < sizeof all / sizeof *all; l++)
        for (size_t i = 0; all[l].words[i]; i++)
            for (const char *p = all[l].words[i]; *p; p++) {
                unsigned char c = (unsigned char)*p;
                if (!t->cls[c] && n_cls >= CUE_CLASSES)
                    t->overflow = true; /* unit.grade fails: grow CUE_CLASSES */
                if (!t->cls[c] && n_cls < CUE_CLASSES) {
                    t->cls[c] = n_cls;
                    t->cls[toupper(c)] = n_cls;
                    n_cls++;
                }
            }
    t->n_states = 1;
    t->sol_cue[0] = -1;
    for (size_t l = 0; l < sizeof all / sizeof *all; l++)
        for (size_t i = 0; all[l].words[i]; i++)
            add_cue(t, all[l].words[i], all[l].list, (int)i);
    /* breadth first: failure links, steps that fail over, and what ends
     * at each state through its failure chain */
    uint16_t queue[CUE_STATES];
    size_t head = 0, tail = 0;
    for (int c = 0; c < CUE_CLASSES; c++)
        if (t->next[0][c])
            queue[tail++] = t->next[0][c];
    while (head < tail) {
        uint16_t st = queue[head++];
        uint16_t f = t->fail[st];
        t->lists[st] |= t->lists[f];
        t->sol_at[st] = t->sol_cue[st] >= 0 ? st : t->sol_at[f];
        if (t->sol_at[st])
            t->lists[st] |= CUE_SOLUTION; /* only a candidate: see "your" */
        for (int c = 0; c < CUE_CLASSES; c++) {
            uint16_t to = t->next[st][c];
            if (to) {
                t->fail[to] = t->next[f][c];
                queue[tail++] = to;
            } else {
                t->next[st][c] = t->next[f][c];
            }
        }
    }
}

/* Is the word right before text[at] "your"?  "your solution" is the
 * model's own answer, not the solution given away. */
static bool yours_before(const char *text, size_t at)
{
    size_t b = at;
    while (b > 0 && text[b - 1] == ' ')
        b--;
    size_t w = b;
    while (w > 0 && isalpha((unsigned char)text[w - 1]))
        w--;
    return b - w == 4 && strncasecmp(text + w, "your", 4) == 0;
}

/* A solution cue counts where "your" does not stand before it; after one
 * that does, that cue is looked for again past its end, as a strstr loop
 * over the text would. */
bool rp_grade_cues_complete(void)
{
    pthread_once(&cue_once, build_cues);
    return !cue_ac.overflow;
}

unsigned rp_grade_find_cues(const char *text, size_t n)
{
    pthread_once(&cue_once, build_cues);
    const cue_automaton *t = &cue_ac;
    const char *nul = memchr(text, '\0', n);
    if (nul)
        n = (size_t)(nul - text);
    size_t resume[N_SOLUTION_CUES] = {0};
    unsigned found = 0;
    size_t st = 0;
    for (size_t i = 0; i < n; i++) {
        st = t->next[st][t->cls[(unsigned char)text[i]]];
        if (!t->lists[st])
            continue; /* no cue ends here: most bytes */
        found |= t->lists[st] & ~CUE_SOLUTION;
        for (size_t q = t->sol_at[st]; q; q = t->sol_at[t->fail[q]]) {
            size_t c = (size_t)t->sol_cue[q], at = i + 1 - t->depth[q];
            if (at < resume[c])
                continue;
            if (yours_before(text, at))
                resume[c] = i + 1;
            else
                found |= CUE_SOLUTION;
        }
        if (found == CUE_ALL)
            break;
    }
    return found;
}

/* Is the reference at [at] a citation of another part ("the constraint
 * posed in question (c)", "from part (c)") rather than its subject? */
static bool is_citation(const char *clause, size_t at)
{
    size_t lo = at > 28 ? at - 28 : 0;
    if (at > CLAUSE_CUE_BYTES)
        at = CLAUSE_CUE_BYTES; /* as far as cues are looked for */
    if (lo > at)
        return false;
    char win[40];
    size_t k = at - lo < sizeof win - 1 ? at - lo : sizeof win - 1;
    for (size_t i = 0; i < k; i++)
        win[i] = (char)tolower((unsigned char)clause[lo + i]);
    win[k] = '\0';
    return strstr(win, "from ") || strstr(win, "posed in") || strstr(win, "in question") ||
           strstr(win, "constraint") || strstr(win, "result of") || strstr(win, "used in");
}

typedef struct clause {
    size_t a, b; /* bytes of the user text */
} clause;

/* The bytes the switch in split_clauses() looks at; most bytes end nothing
 * and are passed over in a tight loop. */
static const bool may_cut[256] = {['\n'] = true, [';'] = true, ['.'] = true, ['?'] = true,
                                  ['!'] = true,  [' '] = true, [','] = true};

/* Split text into clauses: sentences, then at " but " and ";". */
static size_t split_clauses(const char *t, size_t n, clause *out, size_t max)
{
    size_t cnt = 0, a = 0;
    for (size_t i = 0; i <= n && cnt < max; i++) {
        while (i < n && !may_cut[(unsigned char)t[i]])
            i++;
        bool cut = true; /* the end of the text, or a byte that ends a clause */
        if (i < n) {
            switch (t[i]) {
            case '\n':
            case ';':
                break;
            case '.':
            case '?':
            case '!':
                cut = i + 1 >= n || t[i + 1] == ' ' || t[i + 1] == '\n';
                break;
            case ' ':
            case ',':
                cut = i + 5 <= n &&
                      (memcmp(t + i, " but ", 5) == 0 || memcmp(t + i, ", but", 5) == 0);
                break;
            default:
                cut = false;
            }
        }
        if (cut) {
            size_t b = i + (i < n && (t[i] == '.' || t[i] == '?' || t[i] == '!') ? 1 : 0);
            if (b > a) {
                out[cnt].a = a;
                out[cnt].b = b;
                cnt++;
            }
            a = i + 1; /* past the byte that ends the clause */
        }
    }
    return cnt;
}

typedef struct grader {
    const grubric *g;
    rp_segmenter *seg;
    rp_arena *a;        /* the report's arena */
    rp_arena *scratch;  /* per-turn work */
    part_state *ps;
    const rp_transcript *t;
    bool *prev_model_parts; /* parts the previous model turn answered */
    rp_judge *judge;        /* free-text judge, or NULL */
    int problem;
} grader;

/* The kind of a correction whose text has the cues (CUE_* bits). */
static rp_correction_kind clause_kind(unsigned cues)
{
    if (cues & CUE_SOLUTION)
        return RP_CORR_SOLUTION;
    if (cues & CUE_HINT)
        return RP_CORR_HINT;
    return RP_CORR_NUDGE;
}

/* Does any math in the user text equal the part's truth?  Then the user
 * has stated the answer. */
static bool states_truth(grader *G, size_t part, const char *text, size_t n)
{
    const gpart *p = &G->g->parts[part];
    if (p->text || p->truth.kind == RP_EXPECT_TUPLE || p->truth.kind == RP_EXPECT_TABLE ||
        !p->truth.latex)
        return false;
    rp_math *m;
    size_t nm;
    if (rp_extract_math(text, n, G->scratch, &m, &nm) != RP_OK)
        return false;
    for (size_t i = 0; i < nm && i < 16; i++) {
        const char *s = rp_arena_strndup(G->scratch, text + m[i].cstart, m[i].cend - m[i].cstart);
        cmp c;
        cmp_scalar(G->scratch, p, p->truth.latex, p->truth.upc, s, &c);
        if (c.equal)
            return true;
    }
    return false;
}

static rp_status add_correction(grader *G, size_t part, int turn, rp_correction_kind kind,
                                const char *text, size_t n)
{
    part_state *s = &G->ps[part];
    if (s->att.n == 0)
        return RP_OK; /* not attempted yet: not a correction */
    /* one correction per part per turn: keep the strongest kind */
    if (s->corr.n && s->corr.v[s->corr.n - 1].turn == turn) {
        if (kind > s->corr.v[s->corr.n - 1].kind)
            s->corr.v[s->corr.n - 1].kind = kind;
        return RP_OK;
    }
    rp_status st = grow(G->a, (void **)&s->corr.v, &s->corr.cap, s->corr.n, sizeof *s->corr.v);
    if (st != RP_OK)
        return st;
    rp_correction *c = &s->corr.v[s->corr.n++];
    c->turn = turn;
    c->kind = kind;
    rp_span sp = rp_span_trim(rp_span_make(text, n));
    char *cp = rp_arena_strndup(G->a, sp.p ? sp.p : "", sp.n > 400 ? 400 : sp.n);
    c->text = cp ? cp : "";
    return RP_OK;
}

/* The cues of a whole user turn. */
static unsigned whole_turn_cues(const rp_turn *u)
{
    return rp_grade_find_cues(u->text, u->text_len < TURN_CUE_BYTES ? u->text_len : TURN_CUE_BYTES);
}

/* Read a user turn for corrections; returns through *focus the one part it
 * is about when it names exactly one (for a following unlabelled answer). */
static rp_status user_turn(grader *G, const rp_turn *u, size_t *focus)
{
    const grubric *g = G->g;
    *focus = (size_t)-1;
    int up = rp_segment_user_problem(G->seg, u->text, u->text_len);
    if (up)
        G->problem = up;
    clause cl[512];
    unsigned cues[512]; /* the cues of each clause */
    size_t nc = split_clauses(u->text, u->text_len, cl, 512);
    bool any_explicit = false;
    bool any_negative = false;
    size_t named = (size_t)-1, n_named = 0;
    for (size_t k = 0; k < nc; k++) {
        const char *ct = u->text + cl[k].a;
        size_t cn = cl[k].b - cl[k].a;
        cues[k] = rp_grade_find_cues(ct, cn < CLAUSE_CUE_BYTES ? cn : CLAUSE_CUE_BYTES);
        bool neg = cues[k] & CUE_NEGATIVE;
        bool sol = cues[k] & CUE_SOLUTION;
        if (!neg && !sol)
            continue; /* its references matter only below, if at all */
        any_negative = true;
        rp_part_ref *refs;
        size_t nr;
        rp_status st = rp_segment_user_refs(G->seg, ct, cn, G->problem, G->scratch, &refs, &nr);
        if (st != RP_OK)
            return st;
        if (nr)
            any_explicit = true;
        for (size_t r = 0; r < nr; r++) {
            size_t part = refs[r].part;
            if (part >= g->n_parts)
                continue;
            /* a citation of another part is not its subject */
            if (refs[r].at < cn && is_citation(ct, refs[r].at))
                continue;
            rp_correction_kind kind = clause_kind(cues[k]);
            if (kind != RP_CORR_SOLUTION && states_truth(G, part, ct, cn))
                kind = RP_CORR_SOLUTION;
            st = add_correction(G, part, u->index, kind, ct, cn);
            if (st != RP_OK)
                return st;
            if (named != part) {
                named = part;
                n_named++;
            }
        }
    }
    if (n_named == 1) {
        *focus = named;
        /* a turn about one part: its other negative sentences ("you are
         * neglecting the c factor") speak of that part too */
        for (size_t k = 0; k < nc; k++) {
            if (!(cues[k] & (CUE_NEGATIVE | CUE_SOLUTION)))
                continue;
            rp_status st = add_correction(G, named, u->index, clause_kind(cues[k]),
                                          u->text + cl[k].a, cl[k].b - cl[k].a);
            if (st != RP_OK)
                return st;
        }
    }
    /* No part named: the parts under discussion are those the previous
     * model turn answered and got wrong.  The whole turn's cues, and the
     * references in clauses without cues, matter only here, and each is
     * read only when it decides something. */
    bool about_previous = !any_explicit;
    unsigned turn_cues = 0;
    bool turn_read = false;
    if (about_previous && !any_negative) {
        turn_cues = whole_turn_cues(u);
        turn_read = true;
        about_previous = turn_cues & CUE_SOLUTION;
    }
    for (size_t k = 0; k < nc && about_previous; k++) {
        if (cues[k] & (CUE_NEGATIVE | CUE_SOLUTION))
            continue; /* read above */
        rp_part_ref *refs;
        size_t nr;
        rp_status st = rp_segment_user_refs(G->seg, u->text + cl[k].a, cl[k].b - cl[k].a,
                                            G->problem, G->scratch, &refs, &nr);
        if (st != RP_OK)
            return st;
        about_previous = nr == 0;
    }
    if (about_previous && !turn_read)
        turn_cues = whole_turn_cues(u);
    if (about_previous) {
        size_t failing = 0, answered = 0, last = (size_t)-1;
        for (size_t p = 0; p < g->n_parts; p++) {
            if (!G->prev_model_parts[p])
                continue;
            answered++;
            part_state *s = &G->ps[p];
            if (s->att.n && s->att.v[s->att.n - 1].verdict == RP_VERDICT_FAIL) {
                failing++;
                last = p;
            }
        }
        for (size_t p = 0; p < g->n_parts; p++) {
            if (!G->prev_model_parts[p])
                continue;
            part_state *s = &G->ps[p];
            bool failed = s->att.n && s->att.v[s->att.n - 1].verdict == RP_VERDICT_FAIL;
            if (!failed && !(answered == 1))
                continue;
            rp_correction_kind kind = clause_kind(turn_cues);
            if (kind != RP_CORR_SOLUTION && states_truth(G, p, u->text, u->text_len))
                kind = RP_CORR_SOLUTION;
            rp_status st = add_correction(G, p, u->index, kind, u->text, u->text_len);
            if (st != RP_OK)
                return st;
        }
        if (failing == 1)
            *focus = last;
        else if (answered == 1) {
            for (size_t p = 0; p < g->n_parts; p++)
                if (G->prev_model_parts[p])
                    *focus = p;
        }
    }
    return RP_OK;
}

static rp_status model_turn(grader *G, const rp_turn *m, size_t focus)
{
    const grubric *g = G->g;
    rp_part_span *spans;
    size_t ns;
    int prob_after = G->problem;
    rp_status st = rp_segment_model_turn(G->seg, m->text, m->text_len, G->problem, focus,
                                         G->scratch, &spans, &ns, &prob_after);
    if (st != RP_OK)
        return st;
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
        /* the spans' text, for free-text components decided by patterns */
        rp_buf sb;
        rp_buf_init(&sb, (size_t)4 << 20);
        for (size_t k = 0; k < cnt; k++) {
            rp_buf_append(&sb, m->text + mine[k].start, mine[k].end - mine[k].start);
            rp_buf_putc(&sb, '\n');
        }
        const char *span_text = rp_arena_strndup(G->scratch, sb.data ? sb.data : "", sb.len);
        rp_buf_free(&sb);
        if (st != RP_OK)
            return st;
        part_state *s = &G->ps[p];
        st = grow(G->a, (void **)&s->att.v, &s->att.cap, s->att.n, sizeof *s->att.v);
        if (st != RP_OK)
            return st;
        rp_attempt *at = &s->att.v[s->att.n++];
        memset(at, 0, sizeof *at);
        at->turn = m->index;
        const char *kn = NULL;
        grade_claim(G->a, G->scratch, G->judge, &g->parts[p], &cl, span_text, at, &kn);
        if (kn)
            s->key_note = kn;
        G->prev_model_parts[p] = true;
    }
    G->problem = prob_after;
    return RP_OK;
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
    if (!G.seg || !G.ps || !G.prev_model_parts) {
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
        st = rp_judge_new(&jo, &G.judge, d);
        if (st != RP_OK) {
            rp_segmenter_free(G.seg);
            rp_arena_free(a);
            rp_arena_free(scratch);
            return st;
        }
    }
    size_t focus = (size_t)-1;
    for (size_t i = 0; i < t->n_turns && st == RP_OK; i++) {
        const rp_turn *u = &t->turns[i];
        if (u->role == RP_ROLE_USER)
            st = user_turn(&G, u, &focus);
        else if (u->role == RP_ROLE_MODEL) {
            st = model_turn(&G, u, focus);
            focus = (size_t)-1;
        }
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
    rp_report_summary *sm = &r->summary;
    for (size_t p = 0; p < g->n_parts; p++) {
        rp_part_result *pr = &r->parts[p];
        part_state *s = &G.ps[p];
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
    *out = r;
    return RP_OK;
}
