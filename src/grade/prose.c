/*
 * Answers stated in words where a part's truth is a matrix or a vector (or
 * a tuple of them): "x_3 gives what x_2 gave", "the third image has the
 * same output as the second", "all four positions receive dy/4".  The
 * extractor finds no math for such an answer; here its facts are read
 * when they can be, and otherwise the attempt says that an answer was given
 * in words instead of calling it missing.
 *
 * What decides that an answer is present (and not a discussion that
 * commits to nothing, "I can't compute g_3 without the weights"): a
 * sentence about the part's array commits to a fact of its entries.  That
 * is a value stated in it (math, a number, "zero") in a sentence that names
 * the component (tuples) or names the target or quantifies over the
 * entries ("every", "all", "each"); or a pairing of a component with
 * another member of its family whose value the conversation already gave
 * ("x_3 gives the same as x_2").  Counts and sizes ("2x2", "3 by 3") are
 * no values; neither are the names of targets or indexed members.
 *
 * What is read:
 * - Pairings.  Components named like members of one family (g_3, g_4) are
 *   paired, in each sentence, with the next member named after them whose
 *   value the conversation states ("g_2 = (0, 0.8, 0)"); members of parallel
 *   families share the index (x_k goes to g_k), and ordinals ("the third
 *   image") count as indices where no member is named by symbol.  A
 *   sentence with a negation pairs nothing.  A component paired two ways
 *   is not read.
 * - One value for every entry: the component's sentences state exactly one
 *   value and quantify over the entries ("dx_ij = dy/4 for all four",
 *   "−40 in every position"); the value fills the truth's shape.  A bare
 *   name for the truth's only indexed symbol of that name ("dy" for
 *   dy_{1,1}, the window's gradient) is that symbol.
 * Anything else stated in words stays unread: the attempt is `ungraded`
 * (grade.c) unless a component that was read is wrong.
 */
#include "grade_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define MAX_SLOTS 8
#define MAX_SENT 256

/* One sentence of the span and what it says. */
typedef struct sent {
    size_t a, b;    /* [a, b) in the span text */
    int owner;      /* the slot it is about (tuples: named or inherited), -1 */
    bool named;     /* it names the target or a component itself */
    bool quant;     /* it has a universal quantifier */
    bool negated;
    const char *value; /* the one value it states, or NULL */
    bool values;    /* it states some value */
    bool clash;     /* it states two different values */
} sent;

static bool word_at(const char *lu, size_t n, size_t i, const char *w)
{
    size_t wl = strlen(w);
    if (i + wl > n || memcmp(lu + i, w, wl) != 0)
        return false;
    if (i > 0 && isalpha((unsigned char)lu[i - 1]))
        return false;
    return i + wl >= n || !isalpha((unsigned char)lu[i + wl]);
}

/* Which of the word lists (bit k for lists[k], nl of them) have a word in
 * lu[a..b) (whole words)?  One pass: only word starts are tried, each
 * against every list not found yet. */
static unsigned has_words(const char *lu, size_t a, size_t b, const char *const *const *lists,
                          size_t nl)
{
    unsigned found = 0, all = (1u << nl) - 1;
    bool in_word = false; /* lu[i - 1] is a letter (within [a, b)) */
    for (size_t i = a; i < b && found != all; i++) {
        bool alpha = isalpha((unsigned char)lu[i]) != 0;
        bool start = alpha && !in_word;
        in_word = alpha;
        if (!start)
            continue;
        for (size_t l = 0; l < nl; l++) {
            if (found & (1u << l))
                continue;
            for (size_t k = 0; lists[l][k]; k++)
                if (lu[i] == lists[l][k][0] && word_at(lu, b, i, lists[l][k])) {
                    found |= 1u << l;
                    break;
                }
        }
    }
    return found;
}

/* Is the truth LaTeX an array (a matrix or a column vector)? */
static bool is_array(const char *latex)
{
    return latex && strstr(latex, "\\begin{") && strstr(latex, "matrix}");
}

/* Rows and columns of the first matrix environment of latex. */
static void array_shape(const char *latex, size_t *rows, size_t *cols)
{
    *rows = 1;
    *cols = 1;
    const char *end = strstr(latex, "\\end{");
    size_t first_cols = 1;
    bool first_row = true;
    for (const char *q = strstr(latex, "matrix}"); q && q < end; q++) {
        if (q[0] == '\\' && q[1] == '\\') {
            (*rows)++;
            first_row = false;
            q++;
        } else if (q[0] == '&' && first_row) {
            first_cols++;
        }
    }
    *cols = first_cols;
}

/* The symbol name of an indexed member "x_3" (one letter, an index), its
 * letter in *base and index in *idx; s is normalised. */
static bool indexed_member(const char *s, char *base, int *idx)
{
    if (!s || !isalpha((unsigned char)s[0]) || s[1] != '_' || !isdigit((unsigned char)s[2]))
        return false;
    int v = 0;
    size_t i = 2;
    while (isdigit((unsigned char)s[i]) && v < 1000)
        v = v * 10 + (s[i++] - '0');
    if (s[i])
        return false;
    *base = s[0];
    *idx = v;
    return true;
}

/* The index of the indexed member ("x_3", "\\mathbf{x}_{3}", "g_2") whose
 * underscore is at t[i], or -1: one letter standing alone before it (a
 * longer name, "dx_11", is an entry, not a member). */
static int member_at(const char *t, size_t n, size_t i)
{
    if (t[i] != '_' || i == 0)
        return -1;
    size_t l = i - 1;
    if (t[l] == '}' && l >= 2)
        l--; /* \mathbf{x}_3 */
    if (!isalpha((unsigned char)t[l]) || (l > 0 && isalnum((unsigned char)t[l - 1])))
        return -1;
    size_t k = i + 1;
    bool brace = k < n && t[k] == '{';
    if (brace)
        k++;
    int v = 0;
    size_t d0 = k;
    while (k < n && isdigit((unsigned char)t[k]) && v < 1000)
        v = v * 10 + (t[k++] - '0');
    if (k == d0 || (brace ? k >= n || t[k] != '}' : k < n && isalnum((unsigned char)t[k])))
        return -1;
    return v;
}

/* The last side of a relation chain in s (top level '='), trimmed, in a. */
static const char *last_side(rp_arena *a, const char *s)
{
    int depth = 0;
    const char *from = s;
    for (const char *q = s; *q; q++) {
        if (*q == '{' || *q == '(' || *q == '[')
            depth++;
        else if ((*q == '}' || *q == ')' || *q == ']') && depth)
            depth--;
        else if (*q == '=' && depth == 0)
            from = q + 1;
    }
    rp_span t = rp_span_trim(rp_span_make(from, strlen(from)));
    return rp_arena_strndup(a, t.p, t.n);
}

/* A size or count written as numbers ("2x2", "2 \times 2", "3 by 3"). */
static bool is_size(const char *v, const char *u, size_t n, const rp_math *m)
{
    const char *q = v;
    while (isdigit((unsigned char)*q))
        q++;
    if (q > v && (*q == 'x' || strncmp(q, "\\times", 6) == 0 || strncmp(q, " \\times", 7) == 0)) {
        while (*q && !isdigit((unsigned char)*q))
            q++;
        while (isdigit((unsigned char)*q))
            q++;
        if (!*q)
            return true;
    }
    if (m->notation != RP_MATH_NUMBER)
        return false;
    /* "3 by 3": a number beside "by" and another number */
    if (m->end + 4 < n && memcmp(u + m->end, " by ", 4) == 0 &&
        isdigit((unsigned char)u[m->end + 4]))
        return true;
    return m->start >= 5 && memcmp(u + m->start - 4, " by ", 4) == 0 &&
           isdigit((unsigned char)u[m->start - 5]);
}

/* A bare name in v for the truth's only indexed symbol of that name ("dy"
 * for dy_{1,1}): v with the index added; else v. */
static const char *add_truth_index(rp_arena *a, const char *v, const char *truth)
{
    rp_buf b;
    rp_buf_init(&b, 1 << 16);
    size_t n = strlen(v);
    for (size_t i = 0; i < n;) {
        if (!isalpha((unsigned char)v[i]) || (i > 0 && (v[i - 1] == '\\' || isalpha((unsigned char)v[i - 1])))) {
            rp_buf_putc(&b, v[i++]);
            continue;
        }
        size_t j = i;
        while (j < n && isalpha((unsigned char)v[j]))
            j++;
        bool bare = j >= n || v[j] != '_';
        const char *sub = NULL;
        size_t sublen = 0, nl = j - i;
        bool unique = bare && nl >= 2;
        for (const char *hit = truth; unique && *hit; hit++) {
            /* an occurrence of the whole name in the truth */
            if (strncmp(hit, v + i, nl) != 0 || (hit > truth && isalpha((unsigned char)hit[-1])) ||
                isalpha((unsigned char)hit[nl]))
                continue;
            const char *s = hit + nl;
            if (*s != '_') {
                unique = false; /* the truth uses the bare name too */
                break;
            }
            const char *e = s + 1;
            if (*e == '{') {
                const char *c = strchr(e, '}');
                e = c ? c + 1 : e + 1;
            } else if (*e) {
                e++;
            }
            if (sub && ((size_t)(e - s) != sublen || strncmp(sub, s, sublen) != 0))
                unique = false;
            sub = s;
            sublen = (size_t)(e - s);
        }
        rp_buf_append(&b, v + i, j - i);
        if (unique && sub)
            rp_buf_append(&b, sub, sublen);
        i = j;
    }
    const char *out = rp_arena_strndup(a, b.data ? b.data : "", b.len);
    rp_buf_free(&b);
    return out ? out : v;
}

/* Does every name in v (a run of letters that is no command) stand in
 * truth as a name too?  A value in other names ("∂L/∂y" for dy) cannot
 * be compared with the truth: it stays unread. */
static bool names_within(const char *v, const char *truth)
{
    for (const char *q = v; *q; q++) {
        if (!isalpha((unsigned char)*q))
            continue;
        const char *e = q;
        while (isalpha((unsigned char)*e))
            e++;
        bool command = q > v && q[-1] == '\\';
        size_t l = (size_t)(e - q);
        bool found = command;
        for (const char *t = truth; !found && *t; t++)
            found = strncmp(t, q, l) == 0 && (t == truth || (!isalpha((unsigned char)t[-1]) && t[-1] != '\\')) &&
                    !isalpha((unsigned char)t[l]);
        if (!found)
            return false;
        q = e - 1;
    }
    return true;
}

/* A filled array of the truth's shape with every entry v. */
static const char *fill_array(rp_arena *a, const char *truth, const char *v)
{
    size_t rows, cols;
    array_shape(truth, &rows, &cols);
    rp_buf b;
    rp_buf_init(&b, 1 << 16);
    rp_buf_puts(&b, "\\begin{bmatrix} ");
    for (size_t r = 0; r < rows; r++)
        for (size_t c = 0; c < cols; c++)
            rp_buf_printf(&b, "%s%s", v, c + 1 < cols ? " & " : r + 1 < rows ? " \\\\ " : "");
    rp_buf_puts(&b, " \\end{bmatrix}");
    const char *out = rp_arena_strndup(a, b.data ? b.data : "", b.len);
    rp_buf_free(&b);
    return out;
}

/* A value that opens with a bracket ends where it closes (and its ^T):
 * "(0.8, 0, 0), x_2 a" read from prose is "(0.8, 0, 0)". */
static const char *bracket_value(rp_arena *a, const char *v)
{
    if (v[0] != '(' && v[0] != '[')
        return v;
    int depth = 0;
    for (const char *q = v; *q; q++) {
        if (*q == '(' || *q == '[' || *q == '{')
            depth++;
        else if ((*q == ')' || *q == ']' || *q == '}') && --depth == 0) {
            size_t l = (size_t)(q + 1 - v);
            if (strncmp(q + 1, "^T", 2) == 0)
                l += 2;
            else if (strncmp(q + 1, "^{T}", 4) == 0)
                l += 4;
            return rp_arena_strndup(a, v, l);
        }
    }
    return v;
}

/* The value the conversation gives member base_idx (vector or matrix), the
 * latest statement of it in turns before and at `upto`, or NULL. */
static const char *member_value(grader *G, char base, int idx, int upto, rp_expect expect)
{
    char s1[32], s2[32], s3[48];
    snprintf(s1, sizeof s1, "%c_%d", base, idx);
    snprintf(s2, sizeof s2, "%c_{%d}", base, idx);
    snprintf(s3, sizeof s3, "\\mathbf{%c}_%d", base, idx);
    const char *syms[] = {s1, s2, s3};
    rp_extract_spec sp;
    memset(&sp, 0, sizeof sp);
    sp.expect = expect;
    sp.symbols = syms;
    sp.n_symbols = 3;
    for (size_t k = G->t->n_turns; k-- > 0;) {
        const rp_turn *t = &G->t->turns[k];
        if (t->index > upto || !t->text_len)
            continue;
        rp_part_span all = {0, 0, t->text_len, true};
        rp_claim cl;
        rp_status dst = rp_extract_claim(t->text, t->text_len, &all, 1, &sp, G->scratch, &cl);
        if (dst != RP_OK || cl.kind != RP_CLAIM_MATH || !cl.shown)
            continue;
        /* the statement names the member on its left: "g_2 = (0, 0.8, 0)" */
        const char *sn = rp_extract_norm_symbol(G->scratch, cl.shown, strlen(cl.shown));
        size_t l1 = strlen(s1);
        if (sn && strncmp(sn, s1, l1) == 0 && sn[l1] == '=')
            return bracket_value(G->scratch, cl.latex);
    }
    return NULL;
}

static const char *const quantifiers[] = {"all", "every", "each", "everywhere", NULL};
static const char *const negations[] = {"not", "no", "never", "cannot", "can't", "don't",
                                        "doesn't", "isn't", NULL};
static const char *const zero_words[] = {"zero", "zeros", "zeroes", NULL};
static const char *const ordinals[] = {"first", "second", "third", "fourth", "fifth", "sixth",
                                       "seventh", "eighth", "ninth", "tenth", NULL};

/* The slots: components (or the whole truth) that are arrays. */
typedef struct slots {
    size_t n;
    size_t comp[MAX_SLOTS];   /* index into p->truth.comps (0 for the whole) */
    const char *truth[MAX_SLOTS];
    const rp_extract_component *spec[MAX_SLOTS];
    char base[MAX_SLOTS];     /* an indexed member's letter, or 0 */
    int idx[MAX_SLOTS];
    const char *read[MAX_SLOTS]; /* the value read, or NULL */
    bool clash[MAX_SLOTS];       /* paired two ways */
    bool present[MAX_SLOTS];     /* a fact of it is stated */
} slots;

/* Where the sentence lu[a..b) first names spec component sc (one of its
 * words), or b. */
static size_t names_comp(const char *lu, size_t a, size_t b, const rp_extract_component *sc)
{
    size_t best = b;
    for (size_t w = 0; sc && w < sc->n_words; w++) {
        const char *word = sc->words[w];
        size_t wl = strlen(word);
        if (!wl || wl > b - a)
            continue;
        /* the places the word could start, before the best so far: memchr
         * finds its first byte */
        size_t stop = b - wl + 1 < best ? b - wl + 1 : best;
        for (size_t i = a; i < stop;) {
            const char *f = memchr(lu + i, word[0], stop - i);
            if (!f)
                break;
            i = (size_t)(f - lu);
            if (memcmp(lu + i, word, wl) == 0) {
                best = i;
                break;
            }
            i++;
        }
    }
    return best;
}

/* Record value v stated in sentence s. */
static void state_value(sent *s, const char *v)
{
    s->values = true;
    if (s->value && strcmp(s->value, v) != 0)
        s->clash = true;
    s->value = v;
}

/* Pair components with members of their family, sentence by sentence. */
static void read_pairings(grader *G, slots *S, const sent *sv, size_t ns, const char *text,
                          const char *lu, size_t n, int turn)
{
    bool family = false;
    for (size_t s = 0; s < S->n; s++)
        family |= S->base[s] != 0;
    if (!family)
        return;
    bool symbols = false;
    for (size_t i = 0; i + 1 < n && !symbols; i++)
        symbols = text[i] == '_' && member_at(text, n, i) >= 0;
    for (size_t k = 0; k < ns; k++) {
        if (sv[k].negated)
            continue;
        /* the indices named in the sentence, in order */
        int idx[32];
        size_t ni = 0;
        for (size_t i = sv[k].a; i < sv[k].b && ni < 32; i++) {
            if (symbols) {
                int x = text[i] == '_' ? member_at(text, n, i) : -1;
                if (x >= 0)
                    idx[ni++] = x;
                continue;
            }
            for (size_t o = 0; ordinals[o]; o++)
                if (lu[i] == ordinals[o][0] && word_at(lu, sv[k].b, i, ordinals[o]))
                    idx[ni++] = (int)o + 1;
        }
        long subject = -1;
        for (size_t j = 0; j < ni; j++) {
            long slot = -1;
            for (size_t s = 0; s < S->n; s++)
                if (S->base[s] && S->idx[s] == idx[j])
                    slot = (long)s;
            if (slot >= 0) {
                subject = slot;
                continue;
            }
            if (subject < 0)
                continue;
            size_t s = (size_t)subject;
            const char *v = member_value(G, S->base[s], idx[j], turn,
                                         strstr(S->truth[s], "&") ? RP_EXPECT_MATRIX
                                                                  : RP_EXPECT_VECTOR);
            if (!v)
                continue;
            S->present[s] = true;
            if (S->read[s] && strcmp(S->read[s], v) != 0)
                S->clash[s] = true;
            S->read[s] = v;
            subject = -1;
        }
    }
}

/* What the reading of one span works with. */
typedef struct reader {
    const gpart *p;
    bool tuple;
    slots S;
    rp_arena *a;
    const char *text, *lu; /* the span, and in lower case */
    size_t n;
    const char **known;    /* the truths' names [0, n_names), then the part's symbols */
    const char **known_norm; /* each of known normalised (rp_extract_norm_symbol()) */
    size_t n_known, n_names;
    rp_math *m;            /* the span's math, with each one's normal form and value */
    const char **norm, **val;
    size_t nm;
    sent *sv;
    size_t ns;
} reader;

/* The array slots of part p that claim cl lacks; false when there is none. */
static bool find_slots(const gpart *p, const rp_claim *cl, slots *S, bool *tuple)
{
    memset(S, 0, sizeof *S);
    *tuple = p->truth.kind == RP_EXPECT_TUPLE;
    if (!*tuple) {
        if ((p->truth.kind == RP_EXPECT_MATRIX || p->truth.kind == RP_EXPECT_VECTOR) &&
            cl->kind == RP_CLAIM_NONE && is_array(p->truth.latex)) {
            S->truth[0] = p->truth.latex;
            S->n = 1;
        }
        return S->n > 0;
    }
    if (cl->kind != RP_CLAIM_NONE && cl->kind != RP_CLAIM_TUPLE)
        return false;
    for (size_t i = 0; i < p->truth.n_comp && S->n < MAX_SLOTS; i++) {
        const gcomp *c = &p->truth.comps[i];
        if (!is_array(c->latex) || (cl->kind == RP_CLAIM_TUPLE && i < cl->n_parts && cl->parts[i]))
            continue;
        S->comp[S->n] = i;
        S->truth[S->n] = c->latex;
        for (size_t k = 0; k < p->spec.n_components; k++)
            if (c->name && p->spec.components[k].name &&
                strcmp(c->name, p->spec.components[k].name) == 0)
                S->spec[S->n] = &p->spec.components[k];
        if (!indexed_member(c->name, &S->base[S->n], &S->idx[S->n]))
            S->base[S->n] = 0;
        S->n++;
    }
    return S->n > 0;
}

/* R->known: the truths' indexed names of two letters or more ("dy" of
 * dy_{1,1}, so that a bare "dy" in the words is math), then the part's
 * symbols; the span's math in every notation. */
static rp_status find_math(reader *R)
{
    const gpart *p = R->p;
    size_t nk = p->spec.n_symbols;
    for (size_t k = 0; k < p->spec.n_components; k++)
        nk += p->spec.components[k].n_symbols;
    for (size_t k = 0; k < R->S.n; k++)
        nk += strlen(R->S.truth[k]) / 2;
    R->known = rp_arena_alloc(R->a, (nk + 1) * sizeof *R->known);
    if (!R->known)
        return RP_ENOMEM;
    size_t o = 0;
    for (size_t k = 0; k < R->S.n; k++)
        for (const char *t = R->S.truth[k], *q = t; *q; q++) {
            if (!isalpha((unsigned char)*q) ||
                (q > t && (isalpha((unsigned char)q[-1]) || q[-1] == '\\')))
                continue;
            const char *e = q;
            while (isalpha((unsigned char)*e))
                e++;
            if (e - q >= 2 && *e == '_')
                R->known[o++] = rp_arena_strndup(R->a, q, (size_t)(e - q));
            q = e - 1;
        }
    R->n_names = o;
    for (size_t k = 0; k < p->spec.n_symbols; k++)
        R->known[o++] = p->spec.symbols[k];
    for (size_t k = 0; k < p->spec.n_components; k++)
        for (size_t q = 0; q < p->spec.components[k].n_symbols; q++)
            R->known[o++] = p->spec.components[k].symbols[q];
    R->n_known = o;
    R->known_norm = rp_arena_alloc(R->a, (o + 1) * sizeof *R->known_norm);
    if (!R->known_norm)
        return RP_ENOMEM;
    for (size_t k = 0; k < o; k++)
        R->known_norm[k] = rp_extract_norm_symbol(R->a, R->known[k], strlen(R->known[k]));
    rp_status st = rp_extract_math_all(R->text, R->n, R->known, o, R->a, &R->m, &R->nm);
    if (st != RP_OK)
        return st;
    R->norm = rp_arena_alloc(R->a, (R->nm + 1) * sizeof *R->norm);
    R->val = rp_arena_alloc(R->a, (R->nm + 1) * sizeof *R->val);
    if (!R->norm || !R->val)
        return RP_ENOMEM;
    /* each math segment's value: its last side, unless it only names
     * (a target, an indexed member) or gives a size */
    for (size_t i = 0; i < R->nm; i++) {
        const rp_math *g = &R->m[i];
        const char *s = g->tex ? g->tex : R->text + g->cstart;
        size_t len = g->tex ? strlen(g->tex) : g->cend - g->cstart;
        R->norm[i] = rp_extract_norm_symbol(R->a, s, len);
        const char *v = last_side(R->a, rp_arena_strndup(R->a, s, len));
        const char *vn = v ? rp_extract_norm_symbol(R->a, v, strlen(v)) : NULL;
        char b;
        int x;
        R->val[i] = v;
        if (!v || !v[0] || !vn || indexed_member(vn, &b, &x) || is_size(v, R->text, R->n, g))
            R->val[i] = NULL;
        for (size_t k = 0; R->val[i] && k < o; k++)
            if (R->known_norm[k] && strcmp(vn, R->known_norm[k]) == 0)
                R->val[i] = NULL;
    }
    return RP_OK;
}

/* The truths' names standing alone in the words of sentence s ("the
 * gradient dy", "dy_11"), outside the math found, as values. */
static void names_alone(reader *R, sent *s)
{
    const char *t = R->text;
    for (size_t q = s->a, j = 0; q < s->b; q++) {
        while (j < R->nm && R->m[j].end <= q)
            j++;
        if (j < R->nm && R->m[j].start <= q) {
            q = R->m[j].end - 1;
            continue;
        }
        if (!isalpha((unsigned char)t[q]) || (q > 0 && isalnum((unsigned char)t[q - 1])))
            continue;
        for (size_t k = 0; k < R->n_names; k++) {
            size_t l = strlen(R->known[k]), z = q + l;
            if (z > s->b || memcmp(t + q, R->known[k], l) != 0 ||
                (z < s->b && isalpha((unsigned char)t[z])))
                continue;
            if (z + 1 < s->b && t[z] == '_')
                for (z++; z < s->b && (isalnum((unsigned char)t[z]) || t[z] == '{' ||
                                       t[z] == '}' || t[z] == ',');)
                    z++;
            state_value(s, rp_arena_strndup(R->a, t + q, z - q));
            q = z - 1;
            break;
        }
    }
}

/* The span's sentences: the slot each is about (tuples: the component it
 * names first, else the one before it) and what each states. */
static rp_status read_sentences(reader *R)
{
    const char *lu = R->lu;
    size_t n = R->n;
    /* room for the sentences grows as they come (at most MAX_SENT): most
     * spans have a few, and the arena zeroes what it gives */
    size_t cap = 16;
    R->sv = rp_arena_alloc(R->a, cap * sizeof *R->sv);
    if (!R->sv)
        return RP_ENOMEM;
    int owner = -1;
    for (size_t i = 0; i < n && R->ns < MAX_SENT;) {
        size_t e = i;
        while (e < n && lu[e] != '\n' && lu[e] != ';' &&
               !((lu[e] == '.' || lu[e] == '?' || lu[e] == '!') &&
                 (e + 1 >= n || isspace((unsigned char)lu[e + 1]))))
            e++;
        if (R->ns == cap) {
            size_t nc = cap * 2 < MAX_SENT ? cap * 2 : MAX_SENT;
            sent *nv = rp_arena_realloc(R->a, R->sv, cap * sizeof *nv, nc * sizeof *nv);
            if (!nv)
                return RP_ENOMEM;
            R->sv = nv;
            cap = nc;
        }
        sent *s = &R->sv[R->ns++];
        memset(s, 0, sizeof *s);
        s->a = i;
        s->b = e;
        size_t first = e;
        for (size_t k = 0; k < R->S.n && R->tuple; k++) {
            size_t at = names_comp(lu, i, e, R->S.spec[k]);
            if (at < first) {
                first = at;
                owner = (int)k;
                s->named = true;
            }
        }
        for (size_t k = 0; !R->tuple && k < R->p->spec.n_words && !s->named; k++)
            s->named = strstr(rp_arena_strndup(R->a, lu + i, e - i), R->p->spec.words[k]) != NULL;
        for (size_t k = 0; !R->tuple && k < R->p->spec.n_symbols && !s->named; k++) {
            const char *y = R->p->spec.symbols[k];
            for (size_t q = i; q < e && !s->named; q++)
                s->named = R->text[q] == y[0] && word_at(R->text, e, q, y);
        }
        s->owner = R->tuple ? owner : 0;
        static const char *const *const lists[] = {quantifiers, negations, zero_words};
        unsigned words = has_words(lu, i, e, lists, 3);
        s->quant = words & 1;
        s->negated = words & 2;
        for (size_t j = 0; j < R->nm; j++) {
            if (R->m[j].start < i || R->m[j].start >= e)
                continue;
            for (size_t k = 0; !R->tuple && !R->val[j] && k < R->n_known; k++)
                s->named |= R->known_norm[k] && strcmp(R->norm[j], R->known_norm[k]) == 0;
            if (R->val[j])
                state_value(s, R->val[j]);
        }
        names_alone(R, s);
        if (words & 4)
            state_value(s, "0");
        i = e + 1;
    }
    return RP_OK;
}

/* One value for every entry of a slot, and which slots state a fact. */
static void read_uniform(reader *R)
{
    for (size_t k = 0; k < R->S.n; k++) {
        const char *one = NULL;
        bool many = false, quant = false;
        /* sentences that name the slot and quantify over its entries say
         * what its entries are; when there are none, every sentence about
         * it must agree */
        for (int strict = 1; strict >= 0 && !one; strict--)
            for (size_t j = 0; j < R->ns; j++) {
                const sent *s = &R->sv[j];
                if (s->owner != (int)k || s->negated || !s->values ||
                    (strict && !(s->named && s->quant)))
                    continue;
                if (R->tuple || s->named || s->quant)
                    R->S.present[k] = true;
                many |= s->clash || (one && strcmp(one, s->value) != 0);
                one = s->value;
                quant |= s->quant;
            }
        if (R->S.read[k] || !one || many || !quant)
            continue;
        one = add_truth_index(R->a, one, R->S.truth[k]);
        if (names_within(one, R->S.truth[k]))
            R->S.read[k] = fill_array(R->a, R->S.truth[k], one);
    }
}

/* Put what was read into cl; *unread names what was stated but not read. */
static rp_status apply(grader *G, reader *R, rp_claim *cl, const char **unread)
{
    const gpart *p = R->p;
    const slots *S = &R->S;
    if (R->tuple && cl->kind == RP_CLAIM_NONE) {
        cl->parts = rp_arena_alloc(G->a, (p->truth.n_comp + 1) * sizeof *cl->parts);
        if (!cl->parts)
            return RP_ENOMEM;
        cl->n_parts = p->truth.n_comp;
    }
    rp_buf un, sh;
    rp_buf_init(&un, 1 << 12);
    rp_buf_init(&sh, 1 << 14);
    if (cl->shown && cl->kind == RP_CLAIM_TUPLE)
        rp_buf_puts(&sh, cl->shown);
    bool any = false;
    for (size_t k = 0; k < S->n; k++) {
        const char *name = R->tuple ? p->truth.comps[S->comp[k]].name : p->id;
        if (S->read[k] && !S->clash[k]) {
            any = true;
            const char *v = rp_arena_strdup(G->a, S->read[k]);
            if (R->tuple) {
                cl->parts[S->comp[k]] = v;
                rp_buf_printf(&sh, "%s%s: %s", sh.len ? "; " : "", name, v);
            } else {
                cl->latex = v;
                rp_buf_puts(&sh, v);
            }
        } else if (S->present[k]) {
            rp_buf_printf(&un, "%s%s", un.len ? ", " : "", name ? name : "the answer");
        }
    }
    if (any) {
        rp_buf_puts(&sh, " (read from words)");
        cl->shown = rp_arena_strndup(G->a, sh.data ? sh.data : "", sh.len);
        if (cl->kind == RP_CLAIM_NONE)
            cl->how = "prose";
        cl->kind = R->tuple ? RP_CLAIM_TUPLE : RP_CLAIM_MATH;
    }
    if (un.len)
        *unread = rp_arena_strndup(G->a, un.data, un.len);
    rp_buf_free(&un);
    rp_buf_free(&sh);
    return RP_OK;
}

rp_status rp_grade_prose(grader *G, size_t pi, int turn, const char *text, rp_claim *cl,
                         const char **unread)
{
    *unread = NULL;
    reader R;
    memset(&R, 0, sizeof R);
    R.p = &G->g->parts[pi];
    if (!find_slots(R.p, cl, &R.S, &R.tuple))
        return RP_OK;
    R.a = G->scratch;
    R.text = text;
    R.n = strlen(text);
    char *lu = rp_arena_strndup(R.a, text, R.n);
    if (!lu)
        return RP_ENOMEM;
    for (size_t i = 0; i < R.n; i++)
        lu[i] = (char)tolower((unsigned char)lu[i]);
    R.lu = lu;
    rp_status st = find_math(&R);
    if (st == RP_OK)
        st = read_sentences(&R);
    if (st != RP_OK)
        return st;
    read_pairings(G, &R.S, R.sv, R.ns, text, lu, R.n, turn);
    read_uniform(&R);
    return apply(G, &R, cl, unread);
}
