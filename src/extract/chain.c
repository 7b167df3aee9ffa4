/*
 * Relation chains: a math segment "a = b \\le O(c)" split at its relations
 * outside groups, the side a claim takes from it, and bounds as claims keep
 * them ("\\alpha \\le x").
 */
#include "extract_int.h"

/* The relation at s[i] as a chain reads it (rp_latex_rel_at() decides what
 * is a relation), its length in *len.  An assignment (:=, \\gets) relates
 * like "="; membership (\\in) does not split a claim. */
static rel rel_at(const char *s, size_t n, size_t i, size_t *len)
{
    switch (rp_latex_rel_at(s, n, i, len)) {
    case RP_REL_EQ:
    case RP_REL_DEF: return REL_EQ;
    case RP_REL_LE: return REL_LE;
    case RP_REL_GE: return REL_GE;
    case RP_REL_LT: return REL_LT;
    case RP_REL_GT: return REL_GT;
    case RP_REL_APPROX:
    case RP_REL_PROPTO:
    case RP_REL_SIM: return REL_APPROX;
    case RP_REL_NE:
    case RP_REL_TO: return REL_OTHER;
    default: return REL_NONE;
    }
}

/* Split s[0..n) at relations outside braces, brackets and environments. */
void rpx_split_chain(const char *s, size_t n, chain *c)
{
    /* the bytes that open or close a group or can start a relation (see
     * rel_at()); all others leave the state as it is */
    static const bool special[256] = {
        ['\\'] = true, ['{'] = true, ['}'] = true, ['('] = true, [')'] = true, ['['] = true,
        [']'] = true, ['<'] = true, ['>'] = true, ['='] = true, [':'] = true, ['!'] = true,
        [0xE2] = true};
    int depth = 0, env = 0;
    size_t start = 0;
    c->n = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (!special[(unsigned char)ch])
            continue;
        if (ch == '\\' && starts(s, n, i, "\\begin{")) {
            env++;
            i += 6;
            continue;
        }
        if (ch == '\\' && starts(s, n, i, "\\end{")) {
            if (env)
                env--;
            i += 4;
            continue;
        }
        if (ch == '\\' && i + 1 < n && (s[i + 1] == '{' || s[i + 1] == '}')) {
            i++;
            continue;
        }
        if (ch == '{' || ch == '(' || ch == '[') {
            depth++;
            continue;
        }
        if (ch == '}' || ch == ')' || ch == ']') {
            if (depth)
                depth--;
            continue;
        }
        if (depth || env)
            continue;
        size_t len = 0;
        rel r = rel_at(s, n, i, &len);
        if (r == REL_NONE)
            continue;
        if (c->n + 1 >= MAX_SIDES)
            break;
        c->a[c->n] = start;
        c->b[c->n] = i;
        c->r[c->n] = r;
        c->n++;
        start = i + len;
        i += len - 1;
    }
    c->a[c->n] = start;
    c->b[c->n] = n;
    c->r[c->n] = REL_NONE;
    c->n++;
}

bool rpx_is_asymptotic(const char *s, size_t n)
{
    rp_span t = rp_span_trim(rp_span_make(s, n));
    if (t.n == 0 || (t.p[0] != 'O' && t.p[0] != '\\'))
        return false; /* every form below starts so */
    if (t.p[0] == '\\' && (t.n < 2 || (t.p[1] != 'm' && t.p[1] != 'T' && t.p[1] != 'O' &&
                                       t.p[1] != 'o')))
        return false; /* and the commands go on with m, T, O or o */
    return rp_span_starts(t, "O(") || rp_span_starts(t, "O (") ||
           rp_span_starts(t, "\\mathcal{O}") || rp_span_starts(t, "\\Theta") ||
           rp_span_starts(t, "\\mathcal O") || rp_span_starts(t, "\\Omega") ||
           rp_span_starts(t, "O\\left(") || rp_span_starts(t, "\\operatorname{O}");
}

bool rpx_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isspace((unsigned char)s[i]))
            return false;
    return true;
}

bool rp_extract_bound(rp_arena *arena, const char *latex, const char **value, char *relation)
{
    size_t n = strlen(latex);
    chain ch;
    rpx_split_chain(latex, n, &ch);
    if (ch.n != 2)
        return false;
    char r;
    switch (ch.r[0]) {
    case REL_LE:
    case REL_LT: r = '<'; break;
    case REL_GE:
    case REL_GT: r = '>'; break;
    default: return false;
    }
    rp_span v = rp_span_trim(rp_span_make(latex + ch.a[1], ch.b[1] - ch.a[1]));
    *value = rp_arena_strndup(arena, v.p ? v.p : "", v.n);
    *relation = r;
    return *value != NULL;
}
const char *rpx_dup(rp_arena *a, const char *s, size_t n)
{
    rp_span t = rp_span_trim(rp_span_make(s, n));
    return rp_arena_strndup(a, t.p ? t.p : "", t.n);
}

static const char *rel_tex(rel r)
{
    switch (r) {
    case REL_LE: return " \\le ";
    case REL_GE: return " \\ge ";
    case REL_LT: return " < ";
    case REL_GT: return " > ";
    default: return " = ";
    }
}

/* Pick the side of a chain to claim, starting after side `from`: the last
 * exact side (not O(.), not empty), else the first side.  A bound between
 * the target side and the chosen side is kept. */
const char *rpx_pick_side(ctx *c, const char *s, const chain *ch, size_t from,
                             bool keep_bound)
{
    size_t best = (size_t)-1;
    if (c->prefer_asym)
        for (size_t i = from; i < ch->n && best == (size_t)-1; i++)
            if (rpx_is_asymptotic(s + ch->a[i], ch->b[i] - ch->a[i]))
                best = i;
    bool have_asym = best != (size_t)-1;
    for (size_t i = from; i < ch->n && !have_asym; i++) {
        const char *p = s + ch->a[i];
        size_t len = ch->b[i] - ch->a[i];
        if (rpx_blank(p, len) || rpx_is_asymptotic(p, len))
            continue;
        if (ch->r[i ? i - 1 : 0] == REL_OTHER && i > from)
            break; /* "a \Rightarrow b": stop at an implication */
        best = i;
    }
    if (best == (size_t)-1)
        best = from < ch->n ? from : ch->n - 1;
    const char *side = rpx_dup(c->a, s + ch->a[best], ch->b[best] - ch->a[best]);
    if (keep_bound && from > 0) {
        rel strongest = REL_EQ;
        for (size_t i = from - 1; i < best; i++)
            if (ch->r[i] == REL_LE || ch->r[i] == REL_GE || ch->r[i] == REL_LT ||
                ch->r[i] == REL_GT)
                strongest = ch->r[i];
        if (strongest != REL_EQ) {
            const char *lhs = rpx_dup(c->a, s + ch->a[0], ch->b[0] - ch->a[0]);
            return rp_arena_printf(c->a, "%s%s%s", lhs, rel_tex(strongest), side);
        }
    }
    return side;
}

