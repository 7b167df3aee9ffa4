/*
 * Reading user turns for corrections of parts already attempted.
 *
 * A user turn is split into clauses (sentences, cut again at "but" and
 * ";").  A clause that is negative or that states the solution corrects the
 * parts it names ("part c", "12e", "part di", "starting at part d"); a turn
 * that names no part corrects the parts under discussion: those the
 * previous model turn answered and got wrong.  Kinds: `solution` when the
 * clause gives the answer ("Solution: ...", math equal to the truth),
 * `hint` when it names a cause, else `nudge`.
 */
#include "grade_internal.h"

#include "redpen/extract.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

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

typedef rp_clause clause;

/* The bytes split_clauses() stops at; most bytes end nothing and are
 * passed over in a tight loop.  " but " and ", but" are found at their
 * 'b' (which a space or comma before it must precede), not at every
 * space. */
static const bool may_cut[256] = {['\n'] = true, [';'] = true, ['.'] = true, ['?'] = true,
                                  ['!'] = true,  ['b'] = true};

/* A clause [*a, b) when it is not empty; the next starts at next. */
static void add_clause(clause *out, size_t *cnt, size_t *a, size_t b, size_t next)
{
    if (b > *a) {
        out[*cnt].a = *a;
        out[*cnt].b = b;
        (*cnt)++;
    }
    *a = next;
}

/* A clause ends at a newline or ';' (not included), at . ? ! followed by
 * a space, a newline or the end (included), and before " but " or
 * ", but". */
size_t rp_grade_split_clauses(const char *t, size_t n, rp_clause *out, size_t max)
{
    size_t cnt = 0, a = 0;
    for (size_t i = 0; i <= n && cnt < max; i++) {
        while (i < n && !may_cut[(unsigned char)t[i]])
            i++;
        if (i >= n) {
            add_clause(out, &cnt, &a, n, n + 1);
            break;
        }
        switch (t[i]) {
        case 'b':
            /* " but " cut at its space (i - 1), ", but" at its comma
             * (i - 2): in text order, the comma first.  Neither byte can
             * be one this loop stopped at, so none was looked at before. */
            for (size_t j = i >= 2 ? i - 2 : 0; j < i && cnt < max; j++)
                if (j + 5 <= n &&
                    (memcmp(t + j, " but ", 5) == 0 || memcmp(t + j, ", but", 5) == 0))
                    add_clause(out, &cnt, &a, j, j + 1);
            break;
        case '\n':
        case ';':
            add_clause(out, &cnt, &a, i, i + 1);
            break;
        default: /* . ? ! */
            if (i + 1 >= n || t[i + 1] == ' ' || t[i + 1] == '\n')
                add_clause(out, &cnt, &a, i + 1, i + 1);
        }
    }
    return cnt;
}

/* The math of user text[0..n) in every notation, into *m and *nm: read
 * once per text however many questions ask. */
static rp_status user_math(grader *G, const char *text, size_t n, rp_math **m, size_t *nm)
{
    size_t cnt = sizeof G->math_seen / sizeof G->math_seen[0];
    for (size_t i = 0; i < cnt; i++)
        if (G->math_seen[i].text == text && G->math_seen[i].n == n) {
            *m = G->math_seen[i].m;
            *nm = G->math_seen[i].nm;
            return RP_OK;
        }
    rp_status st = rp_extract_math_all(text, n, NULL, 0, G->scratch, m, nm);
    if (st == RP_OK) {
        size_t k = G->math_next++ % cnt;
        G->math_seen[k].text = text;
        G->math_seen[k].n = n;
        G->math_seen[k].m = *m;
        G->math_seen[k].nm = *nm;
    }
    return st;
}

/* Does the user text hold math? */
static bool has_math(grader *G, const char *text, size_t n)
{
    rp_math *m;
    size_t nm;
    return user_math(G, text, n, &m, &nm) == RP_OK && nm > 0;
}

/* Does the user text point at one specific thing: math ("n ≥ 7", "1/2")
 * or a subscripted name in prose ("x_3")?  A number alone is not one: it
 * is as often a reference ("redo problem 7"). */
static bool points_at(grader *G, const char *text, size_t n)
{
    for (size_t i = 1; i + 1 < n; i++)
        if (text[i] == '_' && isalpha((unsigned char)text[i - 1]) &&
            (i < 2 || !isalnum((unsigned char)text[i - 2])) &&
            (isalnum((unsigned char)text[i + 1]) || text[i + 1] == '{'))
            return true;
    rp_math *m;
    size_t nm;
    if (user_math(G, text, n, &m, &nm) != RP_OK)
        return false;
    for (size_t i = 0; i < nm; i++)
        if (m[i].notation != RP_MATH_NUMBER)
            return true;
    return false;
}

/* The kind of a correction of part p whose text[0..n) has the cues (CUE_*
 * bits): a hint names a cause, by a general word ("factor", "sign") or by
 * the rubric's own words for the part's known mistakes ("the biases"). */
static rp_correction_kind clause_kind(grader *G, size_t p, unsigned cues, const char *text,
                                      size_t n)
{
    if (cues & CUE_SOLUTION)
        return RP_CORR_SOLUTION;
    if (cues & CUE_HINT)
        return RP_CORR_HINT;
    if (rp_grade_names_mistake(G, p, text, n < CLAUSE_CUE_BYTES ? n : CLAUSE_CUE_BYTES))
        return RP_CORR_HINT;
    /* a pointer to a step, a case or a quantity ("redo the sum for
     * n ≥ 7", "look at x_3 again") says where the error is */
    if (points_at(G, text, n < CLAUSE_CUE_BYTES ? n : CLAUSE_CUE_BYTES))
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
    /* every notation: "It's 127." states a word problem's answer */
    if (user_math(G, text, n, &m, &nm) != RP_OK)
        return false;
    for (size_t i = 0; i < nm && i < 16; i++) {
        const char *s = m[i].tex ? m[i].tex
                                 : rp_arena_strndup(G->scratch, text + m[i].cstart,
                                                    m[i].cend - m[i].cstart);
        if (s && rp_grade_equals_truth(G->scratch, p, s))
            return true;
    }
    return false;
}

rp_status rp_grade_add_correction(grader *G, size_t part, int turn, rp_correction_kind kind,
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
    rp_status st = rp_grade_grow(G->a, (void **)&s->corr.v, &s->corr.cap, s->corr.n, sizeof *s->corr.v);
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


rp_correction_kind rp_grade_turn_kind(grader *G, size_t p, const rp_turn *u)
{
    rp_correction_kind k = clause_kind(G, p, whole_turn_cues(u), u->text, u->text_len);
    if (k != RP_CORR_SOLUTION && states_truth(G, p, u->text, u->text_len))
        return RP_CORR_SOLUTION;
    /* an intermediate fact: a number counts too ("12 + 24 is 36") */
    if (k == RP_CORR_NUDGE && has_math(G, u->text, u->text_len))
        k = RP_CORR_HINT;
    return k;
}

/* Does reference r stand where other references to other letters stand
 * too (a problem or a range of parts named at once)? */
static bool names_range(const grader *G, const rp_part_ref *refs, size_t nr, size_t r)
{
    const gpart *p = &G->g->parts[refs[r].part];
    for (size_t k = 0; k < nr; k++)
        if (k != r && refs[k].at == refs[r].at && refs[k].part < G->g->n_parts &&
            G->g->parts[refs[k].part].letter != p->letter)
            return true;
    return false;
}

/* A clause with cues that names part: its correction; *named and *n_named
 * count the distinct parts named in a row. */
static rp_status correct_named(grader *G, size_t part, int turn, unsigned cues, const char *ct,
                               size_t cn, size_t *named, size_t *n_named)
{
    rp_correction_kind kind = clause_kind(G, part, cues, ct, cn);
    if (kind != RP_CORR_SOLUTION && states_truth(G, part, ct, cn))
        kind = RP_CORR_SOLUTION;
    rp_status st = rp_grade_add_correction(G, part, turn, kind, ct, cn);
    if (*named != part) {
        *named = part;
        (*n_named)++;
    }
    return st;
}

/* The part under discussion (answered by the last model turn) that a
 * clause names by its content, or (size_t)-1.  Parts answered earlier are
 * no candidates: a word of theirs in a clause is more often an argument
 * ("the spectral norm of UV^T is 1") than a reference. */
static size_t content_ref(grader *G, const char *text, size_t n)
{
    bool *cand = rp_arena_alloc(G->scratch, G->g->n_parts * sizeof *cand);
    if (!cand)
        return (size_t)-1;
    bool any = false;
    for (size_t p = 0; p < G->g->n_parts; p++) {
        cand[p] = G->prev_model_parts[p] && G->g->parts[p].problem == G->problem;
        any |= cand[p];
    }
    return any ? rp_grade_part_by_content(G, text, n, cand, 1.0) : (size_t)-1;
}

/* Record the parts user turn u asks about, in text order (G->asked): the
 * parts it names anywhere, by label; when it names none, the part found
 * above (*focus).  A turn that names exactly one part is about that part:
 * an unlabelled reply answers it. */
static rp_status asked_parts(grader *G, const rp_turn *u, size_t *focus)
{
    G->n_asked = 0;
    G->last_user = u;
    rp_part_ref *refs;
    size_t nr;
    rp_status st = rp_segment_user_refs(G->seg, u->text, u->text_len, G->problem, G->scratch,
                                        &refs, &nr);
    if (st != RP_OK)
        return st;
    /* "problem 4" names every part of it and "from part c on" a range (one
     * place naming several letters); a part named on its own says more */
    bool single = false;
    for (size_t r = 0; r < nr && !single; r++)
        single = !names_range(G, refs, nr, r);
    for (size_t r = 0; r < nr; r++) {
        size_t part = refs[r].part;
        bool seen = part >= G->g->n_parts || (single && names_range(G, refs, nr, r));
        for (size_t k = 0; k < G->n_asked && !seen; k++)
            seen = G->asked[k] == part;
        if (!seen)
            G->asked[G->n_asked++] = part;
    }
    if (G->n_asked == 0 && *focus != (size_t)-1)
        G->asked[G->n_asked++] = *focus;
    if (*focus != (size_t)-1 || G->n_asked == 0)
        return RP_OK;
    const gpart *first = &G->g->parts[G->asked[0]];
    bool one_letter = true; /* the sub-parts of one letter, or one part */
    for (size_t k = 1; k < G->n_asked; k++)
        one_letter &= G->g->parts[G->asked[k]].problem == first->problem &&
                      G->g->parts[G->asked[k]].letter == first->letter;
    bool *cand = rp_arena_alloc(G->scratch, G->g->n_parts * sizeof *cand);
    if (!cand)
        return RP_ENOMEM;
    size_t by_words;
    if (one_letter) {
        /* a label of a part not under discussion while the turn's words
         * name the part under discussion ("the shifted ones don't agree with
         * (c)"): the label is cited, the words say what is asked about */
        by_words = (size_t)-1;
        if (!G->prev_model_parts[G->asked[0]]) {
            for (size_t p = 0; p < G->g->n_parts; p++)
                cand[p] = G->prev_model_parts[p] && G->g->parts[p].problem == first->problem &&
                          G->g->parts[p].letter != first->letter;
            by_words = rp_grade_part_by_content(G, u->text, u->text_len, cand, 0.5);
        }
        if (by_words == (size_t)-1) {
            *focus = G->asked[0];
            return RP_OK;
        }
    } else {
        /* several parts named: the one the turn's words are about ("(d),
         * with two widths, as in (c)") */
        memset(cand, 0, G->g->n_parts * sizeof *cand);
        for (size_t k = 0; k < G->n_asked; k++)
            cand[G->asked[k]] = true;
        by_words = rp_grade_part_by_content(G, u->text, u->text_len, cand, 1.0);
        if (by_words == (size_t)-1)
            return RP_OK;
    }
    /* the letter the words name is what the turn asks about */
    *focus = by_words;
    G->n_asked = 0;
    for (size_t p = 0; p < G->g->n_parts; p++)
        if (G->g->parts[p].problem == G->g->parts[by_words].problem &&
            G->g->parts[p].letter == G->g->parts[by_words].letter)
            G->asked[G->n_asked++] = p;
    return RP_OK;
}


/* A turn that names no part but objects: it corrects the parts the
 * previous model turn answered and got wrong (or the one it answered);
 * *focus gets the one failing part, or the one answered. */
static rp_status correct_previous(grader *G, const rp_turn *u, unsigned turn_cues, size_t *focus)
{
    const grubric *g = G->g;
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
        rp_correction_kind kind = clause_kind(G, p, turn_cues, u->text, u->text_len);
        if (kind != RP_CORR_SOLUTION && states_truth(G, p, u->text, u->text_len))
            kind = RP_CORR_SOLUTION;
        rp_status st = rp_grade_add_correction(G, p, u->index, kind, u->text, u->text_len);
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
    return RP_OK;
}

/* Read a user turn for corrections; returns through *focus the one part it
 * is about when it names exactly one (for a following unlabelled answer). */
rp_status rp_grade_user_turn(grader *G, const rp_turn *u, size_t *focus)
{
    const grubric *g = G->g;
    *focus = (size_t)-1;
    int up = rp_segment_user_problem(G->seg, u->text, u->text_len);
    /* no problem named or under discussion: the words of one problem's
     * title ("the toy layer") are weaker evidence, but the only evidence */
    if (!up && !G->problem)
        up = rp_segment_problem_by_cues(G->seg, u->text, u->text_len);
    if (up)
        G->problem = up;
    clause cl[512];
    unsigned cues[512]; /* the cues of each clause */
    size_t nc = rp_grade_split_clauses(u->text, u->text_len, cl, 512);
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
        /* "your width formula forgets...": named by content */
        size_t by_content = nr ? (size_t)-1 : content_ref(G, ct, cn);
        if (by_content != (size_t)-1) {
            st = correct_named(G, by_content, u->index, cues[k], ct, cn, &named, &n_named);
            if (st != RP_OK)
                return st;
            any_explicit = true;
        }
        for (size_t r = 0; r < nr; r++) {
            size_t part = refs[r].part;
            if (part >= g->n_parts)
                continue;
            /* a citation of another part is not its subject */
            if (refs[r].at < cn && is_citation(ct, refs[r].at))
                continue;
            st = correct_named(G, part, u->index, cues[k], ct, cn, &named, &n_named);
            if (st != RP_OK)
                return st;
        }
    }
    if (n_named == 1) {
        *focus = named;
        /* a turn about one part: its other negative sentences ("you are
         * neglecting the c factor") speak of that part too */
        for (size_t k = 0; k < nc; k++) {
            if (!(cues[k] & (CUE_NEGATIVE | CUE_SOLUTION)))
                continue;
            const char *ct = u->text + cl[k].a;
            size_t cn = cl[k].b - cl[k].a;
            rp_status st = rp_grade_add_correction(
                G, named, u->index, clause_kind(G, named, cues[k], ct, cn), ct, cn);
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
        rp_status st = correct_previous(G, u, turn_cues, focus);
        if (st != RP_OK)
            return st;
    }
    return asked_parts(G, u, focus);
}

/* Did the claims of two attempts differ? */
static bool claims_differ(const rp_attempt *x, const rp_attempt *y)
{
    if (!x->claim || !y->claim)
        return x->claim != y->claim || x->verdict != y->verdict;
    return strcmp(x->claim, y->claim) != 0;
}

rp_status rp_grade_model_reaction(grader *G, int turn, const bool *answered,
                                  const bool *discussed)
{
    const rp_turn *u = G->last_user;
    if (!u || u->index >= turn)
        return RP_OK;
    unsigned cues = 0;
    bool cues_read = false;
    for (size_t p = 0; p < G->g->n_parts; p++) {
        part_state *s = &G->ps[p];
        if (!answered[p] || s->att.n < 2)
            continue;
        const rp_attempt *prev = &s->att.v[s->att.n - 2], *now = &s->att.v[s->att.n - 1];
        /* the answers around the user turn, the new one in this model turn */
        if (prev->turn >= u->index || now->turn != turn)
            continue;
        if (s->corr.n && s->corr.v[s->corr.n - 1].turn == u->index)
            continue; /* read from the user turn already */
        /* the turn is about p: it names p, or names nothing and p was under
         * discussion */
        bool about = false;
        for (size_t k = 0; k < G->n_asked && !about; k++)
            about = G->asked[k] == p;
        if (!about && !(G->n_asked == 0 && discussed[p]))
            continue;
        /* the same answer back: both attempts equal the truth */
        if (!claims_differ(prev, now) ||
            (prev->verdict == RP_VERDICT_PASS && now->verdict == RP_VERDICT_PASS))
            continue;
        if (!cues_read) {
            cues = whole_turn_cues(u);
            cues_read = true;
        }
        /* approval is no objection: the model changed on its own */
        if ((cues & CUE_POSITIVE) && !(cues & (CUE_NEGATIVE | CUE_SOLUTION)))
            continue;
        rp_correction_kind kind = rp_grade_turn_kind(G, p, u);
        /* after a turn that committed to no answer, a turn that gives
         * nothing specific ("go on") objects to nothing: a go-ahead */
        if (!prev->claim && kind == RP_CORR_NUDGE)
            continue;
        rp_status st = rp_grade_add_correction(G, p, u->index, kind, u->text, u->text_len);
        if (st != RP_OK)
            return st;
    }
    return RP_OK;
}
