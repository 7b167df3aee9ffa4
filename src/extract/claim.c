/*
 * The claim of one turn about one part: the union of its spans (escaped
 * dollars read as dollars), then per expectation a text, a table, a tuple of
 * components (each math segment owned by the component named closest before
 * it) or one scalar, matrix, vector or cases answer.
 */
#include "extract_int.h"

#include <stdarg.h>
#include <sys/types.h>

/* The trace sink: set once before extraction starts, read by every claim. */
static rp_extract_trace_fn trace_fn;
static void *trace_user;

void rp_extract_set_trace(rp_extract_trace_fn fn, void *user)
{
    trace_fn = fn;
    trace_user = user;
}

void rpx_trace(const char *fmt, ...)
{
    if (!trace_fn)
        return;
    rp_buf b;
    rp_buf_init(&b, 1 << 20);
    va_list ap;
    va_start(ap, fmt);
    rp_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    /* one call per line, each cut out of the buffer in place */
    char *p = b.data;
    while (p) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        trace_fn(trace_user, p);
        p = nl ? nl + 1 : NULL;
    }
    rp_buf_free(&b);
}

/* Append s[0..n) to b, or as much of it as b's cap leaves room for;
 * false when it did not all fit. */
static bool append_capped(rp_buf *b, const char *s, size_t n)
{
    size_t room = b->max > b->len ? b->max - b->len : 0;
    if (n <= room)
        return rp_buf_append(b, s, n) == RP_OK;
    rp_buf_append(b, s, room);
    return false;
}

/* The nearest component cue word that follows math segment i within its
 * clause, or -1. */
static int cue_after(const ctx *c, const rp_extract_spec *sp, size_t i)
{
    size_t lo, hi;
    rpx_clause(c, i, &lo, &hi);
    int best = -1;
    size_t best_at = hi;
    for (size_t k = 0; k < sp->n_components; k++)
        for (size_t w = 0; w < sp->components[k].n_words; w++) {
            size_t at = rpx_next_cue(c->lu, hi, c->m[i].end, sp->components[k].words[w]);
            if (at != (size_t)-1 && at < best_at) {
                best_at = at;
                best = (int)k;
            }
        }
    return best;
}

/* Did component k get its value from the cue word at cue_pos already: does
 * a segment before i that k owns have that word in its clause?  Then the
 * word is spent ("$0$ for the mean and $v$ for the variance": "mean" is
 * not $v$'s). */
static bool cue_spent(const ctx *c, size_t i, int k, size_t cue_pos)
{
    for (size_t j = i; j-- > 0 && c->m[j].end + 200 > cue_pos;) {
        size_t lo, hi;
        rpx_clause(c, j, &lo, &hi);
        if (c->owner[j] == k && lo <= cue_pos && cue_pos < hi)
            return true;
    }
    return false;
}

/* Each math segment belongs to a component of the tuple (c->owner): the
 * one its left side names; else the one named by a cue word in its own
 * clause, before it ("the variance is $v$", "Variance: $v$") or, when none
 * stands before it in the clause, after it ("which gives $v$ as the
 * variance", "$v$ for the variance"); else the component whose cue word
 * stands closest before it ("Max-pooling: ... $M_1$ ... Average-pooling:
 * ... $M_2$").  A word that already gave its value to a segment of its
 * clause is spent ("The mean is $0$. Each term adds $s^2$": $s^2$ is no
 * mean).  Proximity and clause boundaries decide, not the words
 * between.  cue_last/cue_next: per cue word, the last occurrence before
 * and the next after the current math (math starts only grow, so one
 * forward pass finds them all). */
static void assign_owners(ctx *cx, const rp_extract_spec *sp, const targets *comp_targets,
                          size_t *cue_last, size_t *cue_next)
{
    size_t nc = sp->n_components;
    const char *lu = cx->lu;
    for (size_t i = 0; i < cx->nm; i++) {
        size_t best_at = 0;
        cx->owner[i] = -1;
        /* a left side naming a component decides */
        const chain *ch = rpx_seg_chain(cx, i);
        for (size_t k = 0; ch->n > 1 && k < nc && cx->owner[i] < 0; k++)
            if (rpx_seg_lhs_names(cx, i, &comp_targets[k]) ||
                rpx_seg_lhs_words(cx, i, sp->components[k].words, sp->components[k].n_words) ||
                rpx_seg_lhs_words(cx, i, sp->components[k].symbols, sp->components[k].n_symbols))
                cx->owner[i] = (int)k;
        if (cx->owner[i] >= 0)
            continue;
        size_t cl_lo, cl_hi;
        rpx_clause(cx, i, &cl_lo, &cl_hi);
        (void)cl_hi;
        size_t lo = cx->m[i].start > 2000 ? cx->m[i].start - 2000 : 0;
        for (size_t k = 0, x = 0; k < nc; k++) {
            const rp_extract_component *cp = &sp->components[k];
            for (size_t w = 0; w < cp->n_words; w++, x++) {
                size_t wl = strlen(cp->words[w]);
                if (!wl)
                    continue;
                while (cue_next[x] != (size_t)-1 && cue_next[x] + wl <= cx->m[i].start) {
                    cue_last[x] = cue_next[x];
                    cue_next[x] = rpx_next_cue(lu, cx->n, cue_next[x] + 1, cp->words[w]);
                }
                /* the closest within 2000 bytes before the math */
                size_t at = cue_last[x];
                if (at != (size_t)-1 && at >= lo && at + 1 > best_at) {
                    best_at = at + 1;
                    cx->owner[i] = (int)k;
                }
            }
        }
        int before = cx->owner[i];
        if (before >= 0 && cue_spent(cx, i, before, best_at - 1))
            before = -1; /* "The mean is $0$. Each term adds $s^2$" */
        if (before >= 0 && best_at - 1 >= cl_lo) {
            cx->owner[i] = before;
        } else {
            int after = cue_after(cx, sp, i);
            cx->owner[i] = after >= 0 ? after : before;
        }
    }
}

/* The tuple claim of sp's components in the claim's text c (offsets from
 * base); out is left as it is when no component has a value. */
static rp_status claim_tuple(ctx *c, const rp_extract_spec *sp, size_t base, rp_claim *out)
{
    rp_arena *arena = c->a;
    rp_status st;
    size_t nc = sp->n_components;
    const char **parts = rp_arena_alloc(arena, (nc + 1) * sizeof *parts);
    if (!parts)
        return RP_ENOMEM;
    size_t found = 0, first_pos = (size_t)-1;
    const char *how = "target";
    rp_buf shown;
    rp_buf_init(&shown, 1 << 20);
    /* each math segment belongs to the component whose cue word stands
     * closest before it ("Max-pooling: ... $M_1$ ... Average-pooling:
     * ... $M_2$") */
    char *lu = rp_arena_strndup(arena, c->u, c->n);
    c->owner = rp_arena_alloc(arena, (c->nm + 1) * sizeof *c->owner);
    targets *comp_targets = rp_arena_alloc(arena, (nc + 1) * sizeof *comp_targets);
    if (!lu || !c->owner || !comp_targets) {
        rp_buf_free(&shown);
        return RP_ENOMEM;
    }
    for (size_t k = 0; k < nc; k++) {
        st = rpx_targets_make(arena, sp->components[k].symbols, sp->components[k].n_symbols,
                          &comp_targets[k]);
        if (st != RP_OK) {
            rp_buf_free(&shown);
            return st;
        }
    }
    for (size_t i = 0; i < c->n; i++)
        lu[i] = (char)tolower((unsigned char)lu[i]);
    c->lu = lu;
    /* per cue word: the last occurrence ending before the current math
     * and the next one after it; math starts only grow, so one forward
     * pass over the text finds them all */
    size_t ncue = 0;
    for (size_t k = 0; k < nc; k++)
        ncue += sp->components[k].n_words;
    size_t *cue_last = rp_arena_alloc(arena, (ncue + 1) * sizeof *cue_last);
    size_t *cue_next = rp_arena_alloc(arena, (ncue + 1) * sizeof *cue_next);
    if (!cue_last || !cue_next) {
        rp_buf_free(&shown);
        return RP_ENOMEM;
    }
    for (size_t k = 0, x = 0; k < nc; k++)
        for (size_t w = 0; w < sp->components[k].n_words; w++, x++) {
            cue_last[x] = (size_t)-1;
            cue_next[x] = rpx_next_cue(lu, c->n, 0, sp->components[k].words[w]);
        }
    targets whole;
    st = rpx_targets_make(arena, sp->symbols, sp->n_symbols, &whole);
    if (st != RP_OK) {
        rp_buf_free(&shown);
        return st;
    }
    c->whole = &whole;
    assign_owners(c, sp, comp_targets, cue_last, cue_next);
    for (size_t k = 0; k < nc; k++) {
        const rp_extract_component *cp = &sp->components[k];
        c->comp = (int)k;
        c->prefer_asym = cp->prefer_asymptotic;
        const char *latex = NULL, *sh = NULL;
        size_t pos = 0;
        st = rpx_scalar_like(c, &comp_targets[k], cp->words, cp->n_words, cp->expect, &latex,
                         &sh, &pos, &how);
        if (st != RP_OK) {
            rp_buf_free(&shown);
            return st;
        }
        parts[k] = latex;
        if (latex) {
            found++;
            if (pos < first_pos)
                first_pos = pos;
            rp_buf_printf(&shown, "%s%s: %s", shown.len ? "; " : "", cp->name, latex);
        }
    }
    if (found) {
        out->kind = RP_CLAIM_TUPLE;
        out->parts = parts;
        out->n_parts = nc;
        out->shown = rp_arena_strdup(arena, shown.data ? shown.data : "");
        out->how = how;
        out->offset = base + first_pos;
    }
    rp_buf_free(&shown);
    return RP_OK;
}

/* The union of the spans into u (initialised here, capped at MAX_UNION),
 * "\$" read as "$" (screenshot text escapes dollars). */
static void span_union(const char *text, size_t n, const rp_part_span *spans, size_t n_spans,
                       rp_buf *u)
{
    rp_buf_init(u, MAX_UNION);
    for (size_t k = 0; k < n_spans; k++) {
        size_t a = spans[k].start, b = spans[k].end < n ? spans[k].end : n;
        size_t run = a; /* text[run..i) is still to be copied */
        bool full = false;
        for (size_t i = a; i < b && !full; i++) {
            const char *bs = memchr(text + i, '\\', b - i);
            if (!bs)
                break;
            i = (size_t)(bs - text);
            /* "$\$...\$$": display math whose inner dollars were escaped */
            if (i + 1 < b && text[i + 1] == '$' &&
                ((i > a && text[i - 1] == '$') || (i + 2 < b && text[i + 2] == '$') ||
                 (i + 3 < b && text[i + 2] == '\\' && text[i + 3] == '$') ||
                 (i >= a + 2 && text[i - 1] == '$' && text[i - 2] == '\\'))) {
                full = !append_capped(u, text + run, i - run);
                run = i + 1;
            }
        }
        if (!full && b > run)
            append_capped(u, text + run, b - run);
        rp_buf_puts(u, "\n\n");
    }
}

rp_status rp_extract_claim(const char *text, size_t n, const rp_part_span *spans,
                           size_t n_spans, const rp_extract_spec *sp,
                           rp_arena *arena, rp_claim *out)
{
    memset(out, 0, sizeof *out);
    out->kind = RP_CLAIM_NONE;
    if (!n_spans)
        return RP_OK;
    rp_buf u;
    span_union(text, n, spans, n_spans, &u);
    ctx c;
    memset(&c, 0, sizeof c);
    c.comp = -1;
    c.u = rp_arena_strndup(arena, u.data ? u.data : "", u.len);
    c.n = u.len;
    c.a = arena;
    rp_buf_free(&u);
    if (!c.u)
        return RP_ENOMEM;
    rp_status st;
    if (sp->expect == RP_EXPECT_TEXT || sp->expect == RP_EXPECT_TABLE) {
        st = rp_extract_math(c.u, c.n, arena, &c.m, &c.nm);
    } else {
        /* every notation; the part's symbols are math names in prose */
        size_t nk = sp->n_symbols;
        for (size_t k = 0; k < sp->n_components; k++)
            nk += sp->components[k].n_symbols;
        const char **known = rp_arena_alloc(arena, (nk + 1) * sizeof *known);
        if (!known)
            return RP_ENOMEM;
        size_t o = 0;
        for (size_t k = 0; k < sp->n_symbols; k++)
            known[o++] = sp->symbols[k];
        for (size_t k = 0; k < sp->n_components; k++)
            for (size_t q = 0; q < sp->components[k].n_symbols; q++)
                known[o++] = sp->components[k].symbols[q];
        st = rpx_math_all(c.u, c.n, known, o, true, arena, &c.m, &c.nm);
    }
    if (st != RP_OK)
        return st;
    for (size_t i = 0; i < c.nm; i++)
        if (c.m[i].notation == RP_MATH_LATEX)
            c.has_latex = true;
    c.sg = rp_arena_alloc(arena, (c.nm + 1) * sizeof *c.sg); /* zeroed: nothing known */
    if (!c.sg)
        return RP_ENOMEM;
    rp_extract_markers(c.u, c.n, &c.primary, &c.secondary);
    c.debug = trace_fn != NULL;
    if (c.debug) {
        rpx_trace("---- extract: %zu bytes, %zu math, primary %zd, secondary %zd\n%s",
                c.n, c.nm, (ssize_t)c.primary, (ssize_t)c.secondary, c.u);
        for (size_t i = 0; i < c.nm; i++)
            rpx_trace("  math %zu @%zu (%d): %.*s", i, c.m[i].start,
                    (int)c.m[i].notation,
                    (int)(c.m[i].tex ? strlen(c.m[i].tex) : c.m[i].cend - c.m[i].cstart),
                    c.m[i].tex ? c.m[i].tex : c.u + c.m[i].cstart);
    }
    size_t base = spans[0].start;

    switch (sp->expect) {
    case RP_EXPECT_TEXT: {
        rp_span t = rp_span_trim(rp_span_make(c.u, c.n));
        if (t.n == 0)
            return RP_OK;
        out->kind = RP_CLAIM_TEXT;
        out->text = rp_arena_strndup(arena, t.p, t.n > 8000 ? 8000 : t.n);
        out->shown = out->text;
        out->how = "text";
        out->offset = base;
        return RP_OK;
    }
    case RP_EXPECT_TABLE:
        st = rpx_table(&c, sp, out);
        if (out->kind == RP_CLAIM_TABLE)
            out->offset += base;
        return st;
    case RP_EXPECT_TUPLE:
        return claim_tuple(&c, sp, base, out);
    default: {
        const char *latex = NULL, *shown = NULL, *how = NULL;
        size_t pos = 0;
        c.prefer_asym = sp->prefer_asymptotic;
        targets t;
        st = rpx_targets_make(arena, sp->symbols, sp->n_symbols, &t);
        if (st != RP_OK)
            return st;
        st = rpx_scalar_like(&c, &t, sp->words, sp->n_words, sp->expect, &latex, &shown, &pos,
                         &how);
        if (st != RP_OK)
            return st;
        if (latex) {
            out->kind = RP_CLAIM_MATH;
            out->latex = latex;
            out->shown = shown;
            out->how = how;
            out->offset = base + pos;
        }
        return RP_OK;
    }
    }
}
