/*
 * Candidates: what is known of each math segment of a claim's text (its
 * chain, its left side, the prose before it), the candidate answers for one
 * target in three passes (target named, target word in the sentence, any
 * math of the right shape), bullet lists read as cases, and the choice among
 * candidates by the marker rules.
 */
#include "extract_int.h"

const char *rpx_seg_text(const ctx *c, size_t i, size_t *len)
{
    if (c->m[i].tex) {
        *len = strlen(c->m[i].tex);
        return c->m[i].tex;
    }
    *len = c->m[i].cend - c->m[i].cstart;
    return c->u + c->m[i].cstart;
}

static bool seg_blank(ctx *c, size_t i)
{
    seg *g = &c->sg[i];
    if (!g->empty) {
        size_t len;
        const char *s = rpx_seg_text(c, i, &len);
        g->empty = rpx_blank(s, len) ? 'y' : 'n';
    }
    return g->empty == 'y';
}

const chain *rpx_seg_chain(ctx *c, size_t i)
{
    /* out of memory: one empty side, read as a blank segment */
    static const chain no_chain = {1, {0}, {0}, {REL_NONE}};
    seg *g = &c->sg[i];
    if (!g->ch) {
        chain *ch = rp_arena_alloc(c->a, sizeof *ch);
        if (!ch)
            return &no_chain;
        size_t len;
        const char *s = rpx_seg_text(c, i, &len);
        rpx_split_chain(s, len, ch);
        g->ch = ch;
    }
    return g->ch;
}

/* Does the first side of segment i name one of the targets? */
/* The normalised left side of segment i, worked out once. */
static const char *seg_lhs(ctx *c, size_t i)
{
    seg *g = &c->sg[i];
    if (!g->have_lhs) {
        const chain *ch = rpx_seg_chain(c, i);
        size_t len;
        const char *s = rpx_seg_text(c, i, &len);
        g->lhs = rpx_lhs_norm(c->a, s + ch->a[0], ch->b[0] - ch->a[0]);
        g->have_lhs = true;
    }
    return g->lhs;
}

bool rpx_seg_lhs_words(ctx *c, size_t i, const char *const *words, size_t nw)
{
    if (!nw || rpx_seg_chain(c, i)->n < 2)
        return false;
    const char *l = seg_lhs(c, i);
    size_t n = l ? strlen(l) : 0;
    if (n < 3)
        return false;
    char buf[64];
    if (n >= sizeof buf)
        return false;
    for (size_t k = 0; k < n; k++) {
        char ch = l[k];
        if (ch == '_')
            ch = ' ';
        else if (!is_alpha(ch))
            return false; /* a label is a word, not math */
        buf[k] = (char)tolower((unsigned char)ch);
    }
    buf[n] = '\0';
    /* a plural of a cut word ("params") is cut without its s */
    size_t cut = n > 3 && buf[n - 1] == 's' ? n - 1 : n;
    for (size_t w = 0; w < nw; w++) {
        /* the word itself, or its first word cut short ("var", "params") */
        if (strcmp(words[w], buf) == 0)
            return true;
        if (!strchr(buf, ' ') && strncmp(words[w], buf, cut) == 0 && is_alpha(words[w][cut]))
            return true;
    }
    return false;
}

bool rpx_seg_lhs_names(ctx *c, size_t i, const targets *t)
{
    return t->n && rpx_lhs_names(seg_lhs(c, i), t);
}

static const char *seg_norm(ctx *c, size_t i)
{
    seg *g = &c->sg[i];
    if (!g->norm) {
        size_t len;
        const char *s = rpx_seg_text(c, i, &len);
        g->norm = rp_extract_norm_symbol(c->a, s, len);
    }
    return g->norm;
}

/* The prose before math segment i, normalised: at most 48 bytes, only
 * since the previous math segment and within the sentence. */
static const char *seg_pre(ctx *c, size_t i)
{
    seg *g = &c->sg[i];
    if (g->pre)
        return g->pre;
    size_t pos = c->m[i].start;
    size_t lo = pos > 48 ? pos - 48 : 0;
    /* segments are in order and do not overlap: the one before ends last */
    if (i > 0 && c->m[i - 1].end > lo)
        lo = c->m[i - 1].end;
    /* stay within the sentence */
    for (size_t k = pos; k > lo; k--)
        if (c->u[k - 1] == '\n' || (c->u[k - 1] == '.' && k < pos && c->u[k] == ' ')) {
            lo = k;
            break;
        }
    g->pre = rp_extract_norm_symbol(c->a, c->u + lo, pos - lo);
    return g->pre;
}

/* Text just before math segment i names the target in prose: "α should be
 * $x$", "alpha = $x$", "c is $x$".  Only the prose since the previous math
 * segment counts, and the target with its connecting words must end right
 * where the math begins. */
static bool prose_names_target(ctx *c, size_t i, const targets *t)
{
    static const char *const connectors[] = {"shouldbe", "mustbe", "is", "=", "tobe",
                                             "equals", "of", ":", NULL};
    const char *pre = NULL;
    for (size_t k = 0; k < t->n; k++) {
        const char *tk = t->norm[k];
        size_t tl = strlen(tk);
        if (tl < 2)
            continue; /* single letters are too common in prose */
        if (!pre)
            pre = seg_pre(c, i);
        /* the last occurrence of the target */
        const char *hit = NULL;
        for (const char *q = strstr(pre, tk); q; q = strstr(q + 1, tk))
            hit = q;
        if (!hit)
            continue;
        const char *rest = hit + tl;
        for (size_t j = 0; connectors[j]; j++)
            if (strcmp(rest, connectors[j]) == 0)
                return true;
    }
    return false;
}

/* Clause delimiters: a value and the word naming it stand between two. */
static inline bool clause_end_at(const char *u, size_t n, size_t i)
{
    char ch = u[i];
    return ch == ',' || ch == ';' || ch == '\n' ||
           ((ch == '.' || ch == '?' || ch == '!') &&
            (i + 1 >= n || u[i + 1] == ' ' || u[i + 1] == '\n'));
}

void rpx_clause(const ctx *c, size_t i, size_t *lo, size_t *hi)
{
    /* the tuple's owners ask for the clauses of the segments before each
     * segment again: each is worked out once per claim */
    seg *g = &c->sg[i];
    if (g->have_clause) {
        *lo = g->clo;
        *hi = g->chi;
        return;
    }
    size_t a = c->m[i].start, e = c->m[i].end;
    size_t l = a > 200 ? a - 200 : 0, h = e + 200 < c->n ? e + 200 : c->n;
    if (i > 0 && c->m[i - 1].end > l && c->m[i - 1].end <= a)
        l = c->m[i - 1].end;
    if (i + 1 < c->nm && c->m[i + 1].start < h && c->m[i + 1].start >= e)
        h = c->m[i + 1].start;
    for (size_t k = a; k > l; k--)
        if (clause_end_at(c->u, c->n, k - 1)) {
            l = k;
            break;
        }
    for (size_t k = e; k < h; k++)
        if (clause_end_at(c->u, c->n, k)) {
            h = k;
            break;
        }
    *lo = g->clo = l;
    *hi = g->chi = h;
    g->have_clause = true;
}

/* The clause of segment i, the segment itself aside, has one of the words
 * (ASCII, lower case): "bought 10 spoons" names 10, "on day 2" does not. */
static bool clause_has_word(ctx *c, size_t i, const char *const *words, size_t nw)
{
    size_t lo, hi;
    rpx_clause(c, i, &lo, &hi);
    char buf[420];
    size_t k = 0;
    for (size_t p = lo; p < c->m[i].start && k < 200; p++)
        buf[k++] = (char)tolower((unsigned char)c->u[p]);
    buf[k++] = '|';
    for (size_t p = c->m[i].end; p < hi && k < sizeof buf - 1; p++)
        buf[k++] = (char)tolower((unsigned char)c->u[p]);
    buf[k] = '\0';
    for (size_t w = 0; w < nw; w++)
        if (words[w][0] && strstr(buf, words[w]))
            return true;
    return false;
}

/* The sentence around pos contains one of the words (ASCII, lower case). */
static bool sentence_has_word(ctx *c, size_t pos, const char *const *words, size_t nw)
{
    if (!nw)
        return false;
    /* back to the start of the sentence, at most 400 bytes: after the last
     * break (a newline, or a space after a full stop) before pos.  The
     * segments are asked in text order: the scan stops at the offset
     * asked before, whose last break is known (c->sent_pos, c->sent_b) */
    size_t floor = pos > 400 ? pos - 400 : 0;
    bool known = c->sent_pos <= pos;
    size_t stop = known && c->sent_pos > floor ? c->sent_pos : floor;
    size_t lo = pos;
    while (lo > stop && c->u[lo - 1] != '\n' &&
           !(c->u[lo - 1] == ' ' && lo >= 2 && c->u[lo - 2] == '.'))
        lo--;
    if (lo > stop) { /* a break at lo - 1 */
        c->sent_pos = pos;
        c->sent_b = lo;
    } else if (known && stop == c->sent_pos) { /* none since sent_pos */
        c->sent_pos = pos;
        lo = c->sent_b > floor ? c->sent_b : floor;
    } else {
        lo = floor; /* none within 400 bytes; the last break is not known */
    }
    char buf[512];
    size_t k = pos - lo < sizeof buf - 1 ? pos - lo : sizeof buf - 1;
    for (size_t i = 0; i < k; i++)
        buf[i] = (char)tolower((unsigned char)c->u[lo + i]);
    buf[k] = '\0';
    for (size_t w = 0; w < nw; w++)
        if (words[w][0] && strstr(buf, words[w]))
            return true;
    return false;
}

/* Does number segment i close its sentence: after it only emphasis
 * marks (*, _, `) and then a sentence end (. ! ? followed by a space, a
 * newline or the end) or the end of the text?  "It is 4." and "**4**" do;
 * "4 apples were left" and "on day 4, we" do not. */
static bool closes_sentence(const ctx *c, size_t i)
{
    size_t k = c->m[i].end;
    while (k < c->n && strchr("*_`", c->u[k]))
        k++;
    if (k >= c->n || c->u[k] == '\n')
        return true;
    return strchr(".!?", c->u[k]) && (k + 1 >= c->n || c->u[k + 1] == ' ' || c->u[k + 1] == '\n');
}

/* The value a sentence concludes (pass 2, no marker, no target named): a
 * number in prose that closes its sentence commits to it when the
 * sentence states something of an earlier math segment ("2+3 is 6.": the
 * left side restates the question, the right side is the answer) or when
 * it is the last math of the text, only white space after its sentence
 * ("It is 4." ending a reply; a reply that is only "4" or "**4**").
 * Evidence is position -- the sentence's last value, the reply's last
 * value -- not the words between ("is", "equals", "="). */
static bool concluding_number(const ctx *c, size_t i)
{
    if (c->m[i].notation != RP_MATH_NUMBER || !closes_sentence(c, i))
        return false;
    if (i > 0) {
        /* an earlier math segment within the sentence */
        bool same = true;
        for (size_t k = c->m[i - 1].end; k < c->m[i].start && same; k++)
            if (clause_end_at(c->u, c->n, k) && c->u[k] != ',')
                same = false;
        if (same)
            return true;
    }
    if (i + 1 < c->nm)
        return false;
    size_t k = c->m[i].end;
    while (k < c->n && strchr("*_`.!?", c->u[k]))
        k++;
    return rpx_blank(c->u + k, c->n - k);
}

/* Choose among candidates by the marker rules. */
static const cand *choose(ctx *c, const cand *v, size_t nv)
{
    if (!nv)
        return NULL;
    if (c->primary != (size_t)-1) {
        /* at or after the marker; \boxed{} marks from inside its math */
        for (size_t i = 0; i < nv; i++)
            if (v[i].end > c->primary)
                return &v[i];
    }
    if (c->secondary != (size_t)-1) {
        const cand *last = NULL;
        for (size_t i = 0; i < nv; i++)
            if (v[i].pos >= c->secondary)
                last = &v[i];
        if (last)
            return last;
    }
    return &v[nv - 1];
}

/* s[0..n) contains \\begin{kind}. */
static bool has_env(const char *s, size_t n, const char *kind)
{
    size_t kl = strlen(kind);
    for (size_t i = 0; i + 8 + kl <= n; i++)
        if (s[i] == '\\' && memcmp(s + i, "\\begin{", 7) == 0 &&
            memcmp(s + i + 7, kind, kl) == 0 && s[i + 7 + kl] == '}')
            return true;
    return false;
}

static bool has_matrix(const char *s, size_t n)
{
    return has_env(s, n, "bmatrix") || has_env(s, n, "pmatrix") ||
           has_env(s, n, "matrix") || has_env(s, n, "Bmatrix") || has_env(s, n, "vmatrix");
}

/* A side that is exactly one environment (a matrix or cases). */
static bool single_env(const char *s, size_t n)
{
    rp_span t = rp_span_trim(rp_span_make(s, n));
    if (!rp_span_starts(t, "\\begin{"))
        return false;
    /* the first \begin must be closed by the last \end of the text */
    int depth = 0;
    size_t close_at = 0;
    for (size_t i = 0; i < t.n; i++) {
        if (t.p[i] != '\\')
            continue;
        if (t.n - i >= 7 && memcmp(t.p + i, "\\begin{", 7) == 0) {
            depth++;
        } else if (t.n - i >= 5 && memcmp(t.p + i, "\\end{", 5) == 0) {
            if (--depth == 0) {
                close_at = i;
                break;
            }
        }
    }
    if (depth != 0 || close_at == 0)
        return false;
    /* nothing after the closing brace but ^T or punctuation */
    const char *close = memchr(t.p + close_at, '}', t.n - close_at);
    if (!close)
        return false;
    rp_span rest = rp_span_trim(rp_span_make(close + 1, (size_t)(t.p + t.n - close - 1)));
    return rest.n == 0 || rp_span_eq(rest, "^T") || rp_span_eq(rest, "^{T}") ||
           rp_span_eq(rest, ",") || rp_span_eq(rest, ".");
}

/* Vectors written [a, b, c]^T or (a, b, c). */
static bool looks_vector(const char *s, size_t n)
{
    rp_span t = rp_span_trim(rp_span_make(s, n));
    if (t.n < 3)
        return false;
    if (t.p[0] != '[' && t.p[0] != '(' && !rp_span_starts(t, "\\left"))
        return false;
    return memchr(t.p, ',', t.n) != NULL;
}

/* A number in prose keeps the one word that follows it to the end of its
 * clause as its unit ("Answer: 40 cm", "so it is 3 km."), written
 * \text{ word}: whether the unit matters is the comparison's to decide
 * (expr: a unit may be left out, units of one dimension convert, a value
 * in another unit is wrong_unit).  More words after it are prose, not a
 * unit ("10 of them were red"). */
static const char *with_unit(ctx *c, size_t i, const char *latex)
{
    size_t a = c->m[i].end;
    if (a >= c->n || c->u[a] != ' ' || strchr(latex, '%') || strstr(latex, "\\text"))
        return latex;
    size_t b = a + 1;
    while (b < c->n && isalpha((unsigned char)c->u[b]))
        b++;
    if (b == a + 1 || b - a - 1 > 12)
        return latex;
    if (b < c->n && !strchr("\n.,;!?)", c->u[b]))
        return latex;
    if (b < c->n && c->u[b] == '.' && b + 1 < c->n && isalnum((unsigned char)c->u[b + 1]))
        return latex;
    char *o = rp_arena_printf(c->a, "%s\\text{ %.*s}", latex, (int)(b - a - 1), c->u + a + 1);
    return o ? o : latex;
}

/* The last side of chain ch of s, from side `from` on, that is one
 * environment or a vector of the kind expected, or ch->n. */
static size_t array_side(const char *s, const chain *ch, size_t from, rp_expect expect)
{
    size_t k = ch->n;
    for (size_t j = from; j < ch->n; j++) {
        const char *p = s + ch->a[j];
        size_t pl = ch->b[j] - ch->a[j];
        bool ok;
        if (expect == RP_EXPECT_PIECEWISE)
            ok = single_env(p, pl) && has_env(p, pl, "cases");
        else if (expect == RP_EXPECT_MATRIX)
            ok = single_env(p, pl) && has_matrix(p, pl);
        else
            ok = (single_env(p, pl) && has_matrix(p, pl)) || looks_vector(p, pl);
        if (ok)
            k = j;
    }
    return k;
}

/* Collect the candidates for a scalar/matrix/vector/cases answer. */
static rp_status candidates(ctx *c, const targets *t, const char *const *words, size_t nw,
                            rp_expect expect, cand **out, size_t *nout)
{
    cand *v = rp_arena_alloc(c->a, (c->nm + 1) * sizeof *v);
    if (!v)
        return RP_ENOMEM;
    size_t nv = 0;
    /* pass 0: the target named on the left or in prose;
     * pass 1: the target word in the sentence;
     * pass 2: any math of the right shape */
    size_t n_real = 0;
    for (int pass = 0; pass < 3 && n_real == 0; pass++) {
        if (pass == 0 && t->n == 0)
            continue;
        if (pass == 1 && nw == 0)
            continue;
        for (size_t i = 0; i < c->nm; i++) {
            size_t len;
            const char *s = rpx_seg_text(c, i, &len);
            if (seg_blank(c, i))
                continue;
            const chain *ch = rpx_seg_chain(c, i);
            bool lhs_target = ch->n > 1 && (rpx_seg_lhs_names(c, i, t) ||
                                            rpx_seg_lhs_words(c, i, words, nw) ||
                                            rpx_seg_lhs_words(c, i, t->raw, t->n));
            bool prose = !lhs_target && pass == 0 && prose_names_target(c, i, t);
            if (pass == 0 && !lhs_target && !prose)
                continue;
            /* A reply that writes its math in LaTeX writes its answer in
             * LaTeX or code: math typed in its prose is incidental unless
             * it names the target on its left ("c = 1/√d").  A number in
             * prose answers only where the target is named before it or
             * its sentence has the target's word (never as "any math"). */
            rp_math_notation no = c->m[i].notation;
            if ((no == RP_MATH_PLAIN || no == RP_MATH_NUMBER) && c->has_latex && !lhs_target)
                continue;
            /* ... except right after an answer marker ("Answer: 36"),
             * which says what the number is */
            if (no == RP_MATH_NUMBER && pass == 2 &&
                (c->primary == (size_t)-1 || c->m[i].start < c->primary) &&
                (c->secondary == (size_t)-1 || c->m[i].start < c->secondary) &&
                !concluding_number(c, i))
                continue;
            bool tuple = c->owner && c->comp >= 0;
            if (pass == 1 && tuple && c->owner[i] != c->comp)
                continue;
            if (pass == 1 && !tuple &&
                !(no == RP_MATH_NUMBER ? clause_has_word(c, i, words, nw)
                                       : sentence_has_word(c, c->m[i].start, words, nw)))
                continue;
            size_t from = lhs_target ? 1 : 0;
            if (pass > 0 && ch->n > 1 && !lhs_target) {
                /* "W^TW = ..." names something else: take its value only
                 * when the left side is a number or the target is unknown */
                from = 0;
            }
            const char *latex = NULL;
            bool fallback = false;
            if (expect == RP_EXPECT_MATRIX || expect == RP_EXPECT_VECTOR ||
                expect == RP_EXPECT_PIECEWISE) {
                size_t k = array_side(s, ch, from, expect);
                if (k == ch->n && expect == RP_EXPECT_PIECEWISE && lhs_target) {
                    /* "y_2(n) = y(n - 5)": a closed form instead of cases,
                     * used only when no cases are given */
                    latex = rpx_pick_side(c, s, ch, 1, true);
                    fallback = true;
                    goto have;
                }
                if (k == ch->n)
                    continue;
                /* "M \odot h = 40" or "x = [..]" for another symbol; a
                 * component may name its part's target ("max: $dX = M$") */
                if (!lhs_target && ch->n > 1 &&
                    !(pass == 1 && c->whole && rpx_seg_lhs_names(c, i, c->whole))) {
                    rp_span lhs = rp_span_trim(rp_span_make(s + ch->a[0], ch->b[0] - ch->a[0]));
                    if (k != 0 || lhs.n == 0)
                        continue;
                }
                latex = rpx_dup(c->a, s + ch->a[k], ch->b[k] - ch->a[k]);
            } else {
                /* a lone symbol standing by itself ("Mean of $dw_{h,l}$:") is
                 * a mention, not an answer */
                if (ch->n == 1 && !memchr(s, '^', len) && rpx_bare_symbol(seg_norm(c, i)) &&
                    !strstr(seg_norm(c, i), "\\sqrt") && !strstr(seg_norm(c, i), "\\frac"))
                    continue;
                latex = rpx_pick_side(c, s, ch, from, lhs_target);
            }
        have:
            if (!latex || !latex[0])
                continue;
            latex = rpx_loss_derivatives(c->a, latex);
            if (no == RP_MATH_NUMBER)
                latex = with_unit(c, i, latex);
            if (!fallback)
                n_real++;
            v[nv].fallback = fallback;
            v[nv].end = c->m[i].end;
            v[nv].pos = c->m[i].start;
            v[nv].latex = latex;
            v[nv].shown = rpx_dup(c->a, c->u + c->m[i].start, c->m[i].end - c->m[i].start);
            nv++;
        }
    }
    /* closed forms count only when nothing else was found */
    size_t real = 0;
    for (size_t i = 0; i < nv; i++)
        if (!v[i].fallback)
            v[real++] = v[i];
    if (real)
        nv = real;
    *out = v;
    *nout = nv;
    return RP_OK;
}

/* ------------------------------------------------------- bullet cases */

/* Lines "y[n] = E for C" (math in one or two $..$) grouped into lists; the
 * longest list becomes a cases environment. */
static const char *bullet_cases(ctx *c, const targets *t, size_t *pos)
{
    const char *best = NULL;
    size_t best_n = 0;
    rp_buf b;
    rp_buf_init(&b, 1 << 20);
    size_t i = 0, run = 0, run_pos = 0;
    rp_buf cur;
    rp_buf_init(&cur, 1 << 20);
    size_t gap = 0;
    size_t first = 0; /* the first math segment that starts at or after i */
    while (i <= c->n) {
        size_t e = i;
        while (e < c->n && c->u[e] != '\n')
            e++;
        /* find two math segments on this line: "$y[n] = E$ for $C$" */
        /* segments are in order and do not overlap: those within the line
         * follow the first that starts in it */
        while (first < c->nm && c->m[first].start < i)
            first++;
        const rp_math *m1 = NULL, *m2 = NULL;
        size_t i1 = first;
        if (first < c->nm && c->m[first].end <= e) {
            m1 = &c->m[first];
            if (first + 1 < c->nm && c->m[first + 1].end <= e)
                m2 = &c->m[first + 1];
        }
        bool ok = false;
        if (m1 && m2) {
            size_t len;
            const char *s = rpx_seg_text(c, i1, &len);
            const chain *ch = rpx_seg_chain(c, i1);
            char between[64];
            size_t bl = m2->start - m1->end < sizeof between - 1 ? m2->start - m1->end
                                                                 : sizeof between - 1;
            for (size_t k = 0; k < bl; k++)
                between[k] = (char)tolower((unsigned char)c->u[m1->end + k]);
            between[bl] = '\0';
            if (ch->n >= 2 && rpx_seg_lhs_names(c, i1, t) &&
                (strstr(between, "for") || strstr(between, "when") || strstr(between, "if") ||
                 strchr(between, ','))) {
                const char *val = rpx_pick_side(c, s, ch, 1, false);
                size_t cl;
                const char *cs = rpx_seg_text(c, i1 + 1, &cl);
                const char *cond = rpx_dup(c->a, cs, cl);
                if (run == 0) {
                    rp_buf_clear(&cur);
                    run_pos = i;
                }
                rp_buf_printf(&cur, "%s%s & %s", run ? " \\\\ " : "", val, cond);
                run++;
                ok = true;
                gap = 0;
            }
        }
        if (!ok) {
            bool empty_line = rpx_blank(c->u + i, e - i);
            if (!empty_line || ++gap > 1) {
                if (run >= 2 && run >= best_n && cur.data) {
                    best = rp_arena_printf(c->a, "\\begin{cases} %s \\end{cases}", cur.data);
                    best_n = run;
                    *pos = run_pos;
                }
                run = 0;
            }
        }
        if (e >= c->n)
            break;
        i = e + 1;
    }
    if (run >= 2 && run >= best_n && cur.data) {
        best = rp_arena_printf(c->a, "\\begin{cases} %s \\end{cases}", cur.data);
        *pos = run_pos;
    }
    rp_buf_free(&cur);
    rp_buf_free(&b);
    return best;
}
/* ------------------------------------------------------------ the claim */

rp_status rpx_scalar_like(ctx *c, const targets *t, const char *const *words, size_t nw,
                             rp_expect expect, const char **latex, const char **shown,
                             size_t *pos, const char **how)
{
    cand *v;
    size_t nv;
    *latex = NULL;
    rp_status st = candidates(c, t, words, nw, expect, &v, &nv);
    if (st != RP_OK)
        return st;
    const cand *pick = choose(c, v, nv);
    /* After an explicit "Answer:" with nothing that names the target, the
     * math right after the marker is the answer. */
    if (c->primary != (size_t)-1 && (!pick || pick->end <= c->primary)) {
        cand *w;
        size_t nw2;
        static const targets none = {NULL, NULL, 0};
        st = candidates(c, &none, NULL, 0, expect, &w, &nw2);
        if (st != RP_OK)
            return st;
        for (size_t i = 0; i < nw2; i++)
            if (w[i].end > c->primary && !w[i].fallback) {
                pick = &w[i];
                break;
            }
    }
    if (c->debug) {
        rpx_trace("  target %s: %zu candidates", t->n ? t->raw[0] : nw ? words[0] : "?",
                nv);
        for (size_t i = 0; i < nv; i++)
            rpx_trace("    %c @%zu %s", pick == &v[i] ? '*' : ' ', v[i].pos, v[i].latex);
    }
    if (expect == RP_EXPECT_PIECEWISE) {
        size_t bpos = 0;
        const char *bl = bullet_cases(c, t, &bpos);
        if (bl && (!pick || pick->fallback || bpos > pick->pos)) {
            *latex = bl;
            *shown = bl;
            *pos = bpos;
            *how = "list";
            return RP_OK;
        }
    }
    if (!pick)
        return RP_OK;
    *latex = pick->latex;
    *shown = pick->shown;
    *pos = pick->pos;
    *how = c->primary != (size_t)-1 && pick->pos >= c->primary     ? "marker"
           : c->secondary != (size_t)-1 && pick->pos >= c->secondary ? "therefore"
                                                                     : "last-math";
    return RP_OK;
}
