/*
 * Reader for chat-UI text: a chat page copied, printed or pulled from
 * screenshots into plain text ("chat-text").  Such text has no markup; the
 * reader recovers the conversation from evidence:
 *   - role headers ("You said:", "ChatGPT said:", "User:", "Assistant:",
 *     "Qwen3-Max 7:29 PM") force the role of what follows;
 *   - bare time stamps end a message in UIs that print them below it (or
 *     start one where they stand above);
 *   - reaction bars and a lone "..." after a message mark its end;
 *   - where none of these is present (a missing time stamp, UIs that label
 *     only the model), a two-state Viterbi pass over the paragraphs chooses
 *     the cheapest split given how each paragraph reads (the user's requests
 *     and pasted problems versus the model's "I'll work through…").
 * UI chrome is dropped, text repeated where two screenshots overlap is kept
 * once (anchored line alignment at each screenshot edge, hashed keys, a
 * bounded window: linear in the input), and the annotator's notes are taken
 * out of the turns and attached to the turn where they stand.
 */
#include "chat_text_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SEAM_WINDOW 120   /* content lines before a seam searched for overlap */
#define SEAM_HEAD 256     /* content lines after a seam considered */
#define SEAM_ANCHOR_J 6   /* an overlap must start within this many lines */
#define SEAM_FRAG_WINDOW 48
#define KEY_CAP 256
#define SWITCH_COST 4.0      /* a role change with no evidence */
#define SWITCH_NOTE_COST 2.5 /* a role change where a note stands between */
#define SAME_END_COST 1.5    /* the same role after an end-of-message mark */
#define SWITCH_OPENER_COST 1.0 /* a change into a paragraph that opens a message */
#define THINK_USER_COST 3.0    /* user text right after "Thought for 12s" */
#define THINK_SAME_COST 2.5    /* a model reply right after another one */
#define SAME_TIME_COST 6.0   /* the same role on both sides of a time stamp */
#define SAME_HEADER_COST 2.0
#define START_MODEL_COST 3.0
#define DUP_PARA_MIN 30

/* A content line (a text line that is not part of a note). */
typedef struct cline {
    size_t line;     /* index into lines */
    const char *p;   /* text (replacement after an overlap, else the line) */
    size_t n;
    char *key;       /* normalized key (scratch arena) */
    size_t kn;
    uint64_t h;      /* hash of the key */
    unsigned seg;    /* segment: increments at every header or time stamp */
    bool brk;        /* starts a paragraph */
    bool drop;       /* removed as a repeat */
    bool head;       /* in the first lines after a screenshot edge */
} cline;

/* A paragraph of the input (consecutive text lines). */
typedef struct para {
    size_t first, last; /* line indices, inclusive */
    double score;       /* note score */
    bool note;
} para;

/* An event of the final stream. */
typedef enum ev_kind { EV_PARA, EV_NOTE, EV_HEADER, EV_TIME, EV_END, EV_THINK, EV_SKIP } ev_kind;

typedef struct event {
    ev_kind kind;
    size_t a, b;   /* EV_PARA: range in cl[] (first, last inclusive);
                      EV_NOTE: index into paras; EV_HEADER/EV_TIME: line */
    double role;   /* EV_PARA: role score */
    int opener;    /* EV_PARA: the role whose message it opens like, or -1 */
    int state;     /* EV_PARA: assigned role */
} event;

typedef struct ctx {
    const char *label;
    const char *data;
    size_t n;
    ct_line *lines;
    size_t nlines;
    unsigned *line_para; /* paragraph index + 1 of each line, 0 if none */
    para *paras;
    size_t nparas;
    cline *cl;
    size_t ncl;
    event *ev;
    size_t nev;
    size_t cap_ev;
    rp_arena *scratch;
    bool seamed;
    ct_ctx score;
} ctx;

static uint64_t fnv(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211ull;
    }
    return h;
}

/* ---------------------------------------------------------------- lines */

#define FENCE_MAX_LINES 400

/* Is there a closing fence (a line starting with three ch) within
 * FENCE_MAX_LINES lines after the end of line at e? */
static bool fence_closes(const char *d, size_t n, size_t e, char ch)
{
    size_t i = e + 1;
    for (int k = 0; k < FENCE_MAX_LINES && i < n; k++) {
        size_t j = i;
        while (j < n && (d[j] == ' ' || d[j] == '\t'))
            j++;
        if (j + 3 <= n && d[j] == ch && d[j + 1] == ch && d[j + 2] == ch)
            return true;
        const char *nl = memchr(d + i, '\n', n - i);
        i = nl ? (size_t)(nl - d) + 1 : n + 1;
    }
    return false;
}

static rp_status split_lines(ctx *c)
{
    size_t count = 1;
    for (const char *q = c->data, *end = c->data + c->n;
         (q = memchr(q, '\n', (size_t)(end - q))); q++)
        count++;
    size_t cap = count + 16;
    c->lines = malloc(cap * sizeof *c->lines);
    if (!c->lines)
        return RP_ENOMEM;
    size_t i = 0;
    unsigned no = 0;
    bool fence = false;
    while (i <= c->n) {
        const char *lf = i < c->n ? memchr(c->data + i, '\n', c->n - i) : NULL;
        size_t e = lf ? (size_t)(lf - c->data) : c->n;
        no++;
        if (i == c->n && e == c->n && no > 1)
            break;
        if (c->nlines + 2 > cap) {
            size_t nc = cap + cap / 2 + 16;
            ct_line *nl = realloc(c->lines, nc * sizeof *nl);
            if (!nl)
                return RP_ENOMEM;
            c->lines = nl;
            cap = nc;
        }
        rp_span rest;
        ct_line *l = &c->lines[c->nlines++];
        /* a fenced code block is content, line for line, blank lines too */
        rp_span tl = rp_span_trim(rp_span_make(c->data + i, e - i));
        bool fence_line = rp_span_starts(tl, "```") || rp_span_starts(tl, "~~~");
        if (fence_line && !fence && !fence_closes(c->data, c->n, e, tl.p[0]))
            fence_line = false; /* a stray fence: no block follows */
        if (fence || fence_line) {
            size_t ln = e - i;
            while (ln && (c->data[i + ln - 1] == '\r' || c->data[i + ln - 1] == ' ' ||
                          c->data[i + ln - 1] == '\t'))
                ln--;
            memset(l, 0, sizeof *l);
            l->p = c->data + i;
            l->n = ln;
            l->kind = CT_TEXT;
            l->role = -1;
            l->no = no;
            l->code = true;
            if (fence_line)
                fence = !fence;
            i = e + 1;
            continue;
        }
        ct_classify(c->data + i, e - i, l, &rest);
        l->no = no;
        if (rest.n) {
            /* text after a label on the same line: "ChatGPT: Thought for 7s" */
            ct_line *t = &c->lines[c->nlines++];
            rp_span none;
            ct_classify(rest.p, rest.n, t, &none);
            if (t->kind != CT_CHROME && t->kind != CT_BREAK && t->kind != CT_THINK) {
                memset(t, 0, sizeof *t);
                t->p = rest.p;
                t->n = rest.n;
                t->kind = CT_TEXT;
                t->role = -1;
            }
            t->no = no;
        }
        i = e + 1;
    }
    ct_mark_page_chrome(c->lines, c->nlines);
    /* an end mark needs text before it; else it is chrome */
    ct_kind prev = CT_BLANK;
    for (size_t k = 0; k < c->nlines; k++) {
        ct_line *l = &c->lines[k];
        if (l->kind == CT_END && prev != CT_TEXT)
            l->kind = CT_CHROME;
        if (l->kind != CT_BLANK)
            prev = l->kind;
    }
    /* a reasoning status right after a screenshot edge is the top of the
     * same reply shown again, not the start of a new one */
    bool after_break = false;
    for (size_t k = 0; k < c->nlines; k++) {
        ct_line *l = &c->lines[k];
        if (l->kind == CT_BREAK)
            after_break = true;
        else if (l->kind == CT_TEXT || l->kind == CT_HEADER || l->kind == CT_TIME)
            after_break = false;
        else if (l->kind == CT_THINK && after_break)
            l->kind = CT_CHROME;
    }
    /* a time stamp or timed header repeated after a screenshot edge */
    rp_span last = rp_span_make(NULL, 0);
    size_t last_at = 0;
    bool brk = false;
    for (size_t k = 0; k < c->nlines; k++) {
        ct_line *l = &c->lines[k];
        if (l->kind == CT_BREAK)
            brk = true;
        if ((l->kind == CT_TIME || l->kind == CT_HEADER) && l->time.n) {
            if (brk && last.n == l->time.n && memcmp(last.p, l->time.p, last.n) == 0 &&
                k - last_at < 80) {
                l->kind = CT_CHROME;
                continue;
            }
            last = l->time;
            last_at = k;
            brk = false;
        }
    }
    return RP_OK;
}

/* ----------------------------------------------------------- paragraphs */

/* The text of paragraph p: a view of its line when it has one, else its
 * lines joined with '\n' in b (valid until b changes).  out->p is NULL when
 * out of memory. */
static rp_span para_text(const ctx *c, const para *p, rp_buf *b)
{
    if (p->first == p->last) {
        const ct_line *l = &c->lines[p->first];
        return rp_span_trim(rp_span_make(l->p ? l->p : "", l->n));
    }
    rp_buf_clear(b);
    for (size_t k = p->first; k <= p->last; k++) {
        const ct_line *l = &c->lines[k];
        if (k > p->first && rp_buf_putc(b, '\n') != RP_OK)
            return rp_span_make(NULL, 0);
        rp_span s = l->p == NULL ? rp_span_make("", 0) : rp_span_make(l->p, l->n);
        if (k == p->first)
            s = rp_span_trim(s);
        if (rp_buf_append(b, s.p, s.n) != RP_OK)
            return rp_span_make(NULL, 0);
    }
    return rp_span_make(b->data ? b->data : "", b->len);
}

static bool para_ends_colon(const ctx *c, const para *p)
{
    const ct_line *l = &c->lines[p->last];
    rp_span s = rp_span_trim(rp_span_make(l->p, l->n));
    return s.n && s.p[s.n - 1] == ':';
}

/* Is there a header or time stamp between paragraphs a and b (a < b)? */
static bool marker_between(const ctx *c, const para *a, const para *b)
{
    for (size_t k = a->last + 1; k < b->first; k++)
        if (c->lines[k].kind == CT_HEADER || c->lines[k].kind == CT_TIME)
            return true;
    return false;
}

static rp_status find_paragraphs(ctx *c)
{
    c->paras = calloc(c->nlines + 1, sizeof *c->paras);
    c->line_para = calloc(c->nlines + 1, sizeof *c->line_para);
    if (!c->paras || !c->line_para)
        return RP_ENOMEM;
    for (size_t k = 0; k < c->nlines;) {
        if (c->lines[k].kind != CT_TEXT) {
            k++;
            continue;
        }
        size_t e = k;
        while (e + 1 < c->nlines && c->lines[e + 1].kind == CT_TEXT)
            e++;
        para *p = &c->paras[c->nparas++];
        p->first = k;
        p->last = e;
        for (size_t j = k; j <= e; j++)
            c->line_para[j] = (unsigned)c->nparas;
        k = e + 1;
    }
    return RP_OK;
}

/* The model's short name from the first named model header ("Qwen" for
 * "Qwen3-Max"), used when scoring notes. */
static void find_model_short(ctx *c)
{
    for (size_t k = 0; k < c->nlines; k++) {
        const ct_line *l = &c->lines[k];
        if (l->kind == CT_HEADER && l->role == RP_ROLE_MODEL && l->name.n) {
            size_t m = 0;
            while (m < l->name.n && ((l->name.p[m] >= 'a' && l->name.p[m] <= 'z') ||
                                     (l->name.p[m] >= 'A' && l->name.p[m] <= 'Z')))
                m++;
            if (m >= 3)
                c->score.model_short = rp_span_make(l->name.p, m);
            return;
        }
    }
}

static rp_status classify_notes(ctx *c)
{
    rp_buf b;
    rp_buf_init(&b, 0);
    for (size_t i = 0; i < c->nparas; i++) {
        para *p = &c->paras[i];
        rp_span t = para_text(c, p, &b);
        if (!t.p) {
            rp_buf_free(&b);
            return RP_ENOMEM;
        }
        p->score = ct_note_score(&c->score, t.p, t.n);
        p->note = p->score >= CT_NOTE_STRONG;
    }
    /* a weaker remark next to a note is one too (forward, then backward) */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t k = 0; k < c->nparas; k++) {
            size_t i = pass == 0 ? k : c->nparas - 1 - k;
            para *p = &c->paras[i];
            if (p->note || p->score < CT_NOTE_WEAK)
                continue;
            bool near = (i > 0 && c->paras[i - 1].note && !marker_between(c, &c->paras[i - 1], p)) ||
                        (i + 1 < c->nparas && c->paras[i + 1].note &&
                         !marker_between(c, p, &c->paras[i + 1]));
            /* "Recognized the confusion:" + its items + a note */
            if (!near && i + 2 < c->nparas && para_ends_colon(c, p) && c->paras[i + 2].note &&
                !marker_between(c, p, &c->paras[i + 2])) {
                near = true;
                c->paras[i + 1].note = true;
            }
            if (near)
                p->note = true;
        }
    }
    for (size_t i = 0; i < c->nparas; i++) {
        para *p = &c->paras[i];
        rp_span pt = para_text(c, p, &b);
        if (!pt.p) {
            rp_buf_free(&b);
            return RP_ENOMEM;
        }
        bool prev_note = i > 0 && c->paras[i - 1].note && !marker_between(c, &c->paras[i - 1], p);
        bool next_note = i + 1 < c->nparas && c->paras[i + 1].note &&
                         !marker_between(c, p, &c->paras[i + 1]);
        if (p->note || p->score <= -2)
            continue;
        /* the items a note introduces with a colon */
        if (prev_note && para_ends_colon(c, &c->paras[i - 1]) && pt.n < 600) {
            p->note = true;
            continue;
        }
        /* a numbered recap right before a note, not introduced by the text */
        if (next_note && ct_is_numbered_item(pt.p, pt.n) && pt.n < 600) {
            /* the recap runs back to its item 1, which the text before it
             * does not introduce */
            size_t j = i;
            bool ok = false;
            for (;;) {
                const para *q = &c->paras[j];
                rp_span qt = para_text(c, q, &b);
                if (!qt.p) {
                    rp_buf_free(&b);
                    return RP_ENOMEM;
                }
                if (!ct_is_numbered_item(qt.p, qt.n) || q->score <= -2)
                    break;
                if (q->note) {
                    /* the recap began as a note: "1. Correctly converted …" */
                    ok = j < i;
                    j++;
                    break;
                }
                if (qt.n > 1 && qt.p[0] == '1' && (qt.p[1] == '.' || qt.p[1] == ')')) {
                    ok = j == 0 || c->paras[j - 1].note ||
                         marker_between(c, &c->paras[j - 1], q) ||
                         !para_ends_colon(c, &c->paras[j - 1]);
                    break;
                }
                if (j == 0 || marker_between(c, &c->paras[j - 1], q))
                    break;
                j--;
            }
            if (ok)
                for (size_t q = j; q <= i; q++)
                    c->paras[q].note = true;
            if (ok)
                continue;
        }
        /* a short verdict after a note: "Correct explanations as well." */
        if (prev_note) {
            /* the recap loop above may have reused b */
            pt = para_text(c, p, &b);
            if (!pt.p) {
                rp_buf_free(&b);
                return RP_ENOMEM;
            }
            if (ct_is_short_verdict(pt.p, pt.n))
                p->note = true;
        }
    }
    rp_buf_free(&b);
    return RP_OK;
}

/* --------------------------------------------------------- content lines */

static rp_status build_content(ctx *c)
{
    c->cl = calloc(c->nlines + 1, sizeof *c->cl);
    if (!c->cl)
        return RP_ENOMEM;
    unsigned seg = 0;
    bool gap = true;
    for (size_t k = 0; k < c->nlines; k++) {
        const ct_line *l = &c->lines[k];
        if (l->kind == CT_HEADER || l->kind == CT_TIME)
            seg++;
        if (l->kind != CT_TEXT) {
            gap = true;
            continue;
        }
        unsigned pi = c->line_para[k];
        if (pi && c->paras[pi - 1].note) {
            gap = true;
            continue;
        }
        cline *x = &c->cl[c->ncl++];
        x->line = k;
        x->p = l->p;
        x->n = l->n;
        x->seg = seg;
        x->brk = gap;
        gap = false;
    }
    return RP_OK;
}

/* Compute the comparison keys of cl[a..b) that are not there yet (only
 * lines near a screenshot edge ever need one). */
static rp_status ensure_keys(ctx *c, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++) {
        cline *x = &c->cl[i];
        if (x->key)
            continue;
        size_t cap = x->n < KEY_CAP ? x->n : KEY_CAP;
        x->key = rp_arena_alloc(c->scratch, cap + 1);
        if (!x->key)
            return RP_ENOMEM;
        x->kn = ct_norm_key(x->p, x->n, x->key, cap);
        x->h = fnv(x->key, x->kn);
    }
    return RP_OK;
}

static bool key_eq(const cline *a, const cline *b)
{
    return a->kn == b->kn && a->h == b->h && memcmp(a->key, b->key, a->kn) == 0;
}

/* Does hay[0..hn) contain needle[0..nn)?  Rabin-Karp: linear. */
static bool find_sub(const char *hay, size_t hn, const char *needle, size_t nn)
{
    if (nn == 0 || nn > hn)
        return nn == 0;
    const uint64_t B = 257;
    uint64_t hh = 0, hs = 0, pw = 1;
    for (size_t i = 0; i < nn; i++) {
        hs = hs * B + (unsigned char)needle[i];
        hh = hh * B + (unsigned char)hay[i];
        if (i)
            pw *= B;
    }
    for (size_t i = 0;; i++) {
        if (hh == hs && memcmp(hay + i, needle, nn) == 0)
            return true;
        if (i + nn >= hn)
            return false;
        hh = (hh - (unsigned char)hay[i] * pw) * B + (unsigned char)hay[i + nn];
    }
}

static bool key_contains(const cline *big, const cline *small)
{
    if (small->kn < 12 || small->kn > big->kn)
        return false;
    return find_sub(big->key, big->kn, small->key, small->kn);
}

static bool key_prefix(const cline *t, const cline *h)
{
    return t->kn >= 8 && t->kn < h->kn && memcmp(t->key, h->key, t->kn) == 0;
}

/* Do line h (after the edge) and line t (before it) show the same text?
 * last: t is the last line before the edge (maybe cut off). */
static bool pair_match(const cline *h, const cline *t, bool last)
{
    if (key_eq(h, t) || key_contains(t, h) || key_contains(h, t))
        return true;
    double s = ct_similarity(h->key, h->kn, t->key, t->kn);
    if (s >= 0.6)
        return true;
    if (last) {
        if (key_prefix(t, h) || s >= 0.3)
            return true;
        size_t m = t->kn < h->kn ? t->kn : h->kn;
        if (m >= 10 && ct_similarity(h->key, m, t->key, m) >= 0.7)
            return true;
    }
    return false;
}

/* Does the line hold a scroll-button glyph ("↓", "⌄") laid over it? */
static bool has_ui_glyph(const cline *x)
{
    for (size_t i = 0; i + 2 < x->n; i++) {
        const unsigned char *u = (const unsigned char *)x->p + i;
        if (u[0] == 0xE2 && ((u[1] == 0x86 && u[2] == 0x93) || (u[1] == 0x8C && u[2] == 0x84)))
            return true;
    }
    return false;
}

/* Remove the repeat where the screenshot after an edge starts with lines
 * the one before it ended with.  T: cl[t0..t1), H: cl[h0..h1). */
static void align_seam(ctx *c, size_t t0, size_t t1, size_t h0, size_t h1)
{
    size_t nt = t1 - t0, nh = h1 - h0;
    if (!nt || !nh)
        return;
    cline *T = &c->cl[t0], *H = &c->cl[h0];
    size_t aj = SIZE_MAX, ai = 0;
    size_t jmax = nh < SEAM_ANCHOR_J ? nh : SEAM_ANCHOR_J;
    for (size_t j = 0; j < jmax && aj == SIZE_MAX; j++) {
        if (H[j].kn < 3)
            continue;
        size_t lo = nt > SEAM_WINDOW ? nt - SEAM_WINDOW : 0;
        for (size_t i = nt; i-- > lo;) {
            bool strong = key_eq(&H[j], &T[i]);
            if (!strong && j == 0 && nt - i <= SEAM_FRAG_WINDOW)
                strong = key_contains(&T[i], &H[j]);
            if (!strong && i == nt - 1)
                strong = key_prefix(&T[i], &H[j]);
            if (!strong)
                continue;
            bool ok = true;
            for (size_t k = 1; j + k < nh && i + k < nt; k++) {
                if (!pair_match(&H[j + k], &T[i + k], i + k == nt - 1)) {
                    ok = false;
                    break;
                }
            }
            if (ok) {
                aj = j;
                ai = i;
                break;
            }
        }
    }
    if (aj == SIZE_MAX) {
        /* the last line before the edge, cut off, shown whole after it */
        const cline *t = &T[nt - 1], *h = &H[0];
        size_t m = t->kn < h->kn ? t->kn : h->kn;
        if (t->kn >= 10 && m >= 10 && ct_similarity(h->key, m, t->key, m) >= 0.7) {
            aj = 0;
            ai = nt - 1;
        } else {
            return;
        }
    }
    /* lines above the anchor belong to the overlap too */
    for (size_t p = 0; p < aj; p++) {
        if (ai + p < aj)
            continue;
        const cline *t = &T[ai - aj + p];
        if (aj <= 2 || pair_match(&H[p], t, false) ||
            ct_similarity(H[p].key, H[p].kn, t->key, t->kn) >= 0.25)
            H[p].drop = true;
    }
    size_t k = 0;
    for (; aj + k < nh && ai + k < nt; k++) {
        cline *h = &H[aj + k], *t = &T[ai + k];
        /* the copy after the edge is the better one where the line before
         * it was cut off at the bottom of the screen or under a scroll
         * button */
        bool whole = key_prefix(t, h) || (!key_contains(t, h) && h->kn + 4 >= t->kn);
        if (whole && (ai + k == nt - 1 || (has_ui_glyph(t) && !has_ui_glyph(h)))) {
            t->head = true;
            t->p = h->p;
            t->n = h->n;
            t->key = h->key;
            t->kn = h->kn;
            t->h = h->h;
        }
        h->drop = true;
    }
    /* strip diff markers from the next few lines */
    for (size_t m = 0; m < nh && m < aj + k + 3; m++)
        H[m].head = true;
}

static rp_status remove_overlaps(ctx *c)
{
    size_t ci = 0; /* next content line */
    for (size_t k = 0; k < c->nlines; k++) {
        while (ci < c->ncl && c->cl[ci].line < k)
            ci++;
        if (c->lines[k].kind != CT_BREAK)
            continue;
        c->seamed = true;
        /* the edge runs over chrome, blanks and notes */
        size_t e = k;
        while (e < c->nlines) {
            ct_kind kd = c->lines[e].kind;
            if (kd == CT_HEADER || kd == CT_TIME)
                break;
            if (kd == CT_TEXT && !(c->line_para[e] && c->paras[c->line_para[e] - 1].note))
                break;
            e++;
        }
        if (e >= c->nlines || c->lines[e].kind != CT_TEXT) {
            k = e;
            continue;
        }
        /* T: content before the edge in the same segment */
        size_t t1 = ci;
        size_t t0 = t1;
        while (t0 > 0 && t1 - t0 < SEAM_WINDOW && c->cl[t0 - 1].seg == c->cl[ci].seg &&
               !c->cl[t0 - 1].drop)
            t0--;
        /* H: content after it up to the next edge or header */
        size_t h0 = ci, h1 = ci;
        while (h1 < c->ncl && h1 - h0 < SEAM_HEAD && c->cl[h1].seg == c->cl[h0].seg) {
            size_t ln = c->cl[h1].line;
            bool edge = false;
            size_t from = h1 > h0 ? c->cl[h1 - 1].line + 1 : ln;
            for (size_t q = from; q < ln; q++)
                if (c->lines[q].kind == CT_BREAK)
                    edge = true;
            if (edge)
                break;
            h1++;
        }
        if (t1 > t0 && c->cl[t1 - 1].seg == c->cl[h0].seg) {
            if (ensure_keys(c, t0, t1) != RP_OK || ensure_keys(c, h0, h1) != RP_OK)
                return RP_ENOMEM;
            align_seam(c, t0, t1, h0, h1);
        }
        else
            for (size_t m = h0; m < h1 && m < h0 + 2; m++)
                c->cl[m].head = true;
        k = e;
    }
    return RP_OK;
}

/* ------------------------------------------------------------- events */

static rp_status push_ev(ctx *c, ev_kind kind, size_t a, size_t b)
{
    if (c->nev == c->cap_ev) {
        size_t nc = c->cap_ev ? c->cap_ev * 2 : 64;
        event *ne = realloc(c->ev, nc * sizeof *ne);
        if (!ne)
            return RP_ENOMEM;
        c->ev = ne;
        c->cap_ev = nc;
    }
    event *e = &c->ev[c->nev++];
    memset(e, 0, sizeof *e);
    e->kind = kind;
    e->a = a;
    e->b = b;
    return RP_OK;
}

/* Strip an OCR diff marker ("+ ", "- + ") at the start of a line after a
 * screenshot edge. */
static rp_span clean_line(const cline *x)
{
    rp_span s = rp_span_make(x->p, x->n);
    if (!x->head)
        return s;
    rp_span t = rp_span_trim(s);
    if (t.n > 4 && t.p[0] == '-' && t.p[1] == ' ' && t.p[2] == '+' && t.p[3] == ' ')
        return rp_span_make(t.p + 4, t.n - 4);
    if (t.n > 2 && t.p[0] == '+' && t.p[1] == ' ')
        return rp_span_make(t.p + 2, t.n - 2);
    return s;
}

/* Text of paragraph event e into b (lines joined by '\n'). */
static rp_status event_text(const ctx *c, const event *e, rp_buf *b)
{
    rp_buf_clear(b);
    bool firstl = true;
    for (size_t k = e->a; k <= e->b; k++) {
        const cline *x = &c->cl[k];
        if (x->drop)
            continue;
        rp_span s = clean_line(x);
        if (firstl)
            s = rp_span_trim(s);
        else if (rp_buf_putc(b, '\n') != RP_OK)
            return RP_ENOMEM;
        if (rp_buf_append(b, s.p, s.n) != RP_OK)
            return RP_ENOMEM;
        firstl = false;
    }
    if (!b->data && rp_buf_append(b, "", 0) != RP_OK)
        return RP_ENOMEM;
    return RP_OK;
}

static rp_status build_events(ctx *c)
{
    size_t ci = 0;
    size_t open_i = 0; /* index of the open paragraph event */
    bool have_open = false;
    for (size_t k = 0; k < c->nlines; k++) {
        const ct_line *l = &c->lines[k];
        switch (l->kind) {
        case CT_HEADER:
        case CT_TIME:
        case CT_END:
        case CT_THINK: /* each an event of its own, closing the open paragraph */
            have_open = false;
            if (push_ev(c, l->kind == CT_HEADER ? EV_HEADER : l->kind == CT_TIME ? EV_TIME
                           : l->kind == CT_END ? EV_END : EV_THINK, k, k) != RP_OK)
                return RP_ENOMEM;
            break;
        case CT_TEXT: {
            unsigned pi = c->line_para[k];
            if (pi && c->paras[pi - 1].note) {
                if (c->paras[pi - 1].first == k && push_ev(c, EV_NOTE, pi - 1, pi - 1) != RP_OK)
                    return RP_ENOMEM;
                break;
            }
            while (ci < c->ncl && c->cl[ci].line < k)
                ci++;
            if (ci >= c->ncl || c->cl[ci].line != k)
                break;
            cline *x = &c->cl[ci];
            if (x->drop)
                break;
            if (have_open && !x->brk) {
                c->ev[open_i].b = ci;
                break;
            }
            if (push_ev(c, EV_PARA, ci, ci) != RP_OK)
                return RP_ENOMEM;
            open_i = c->nev - 1;
            have_open = true;
            break;
        }
        default:
            break;
        }
    }
    return RP_OK;
}

/* A title: a first line such as "Newton-Schulz runtime with GPT-4o" that
 * stands alone before the first role header or time stamp, unless that
 * header is the model's with no text between: then the line is the only
 * thing its reply can answer (a short first question), and stays. */
static rp_status find_title(ctx *c, rp_transcript *tr)
{
    size_t i = 0;
    /* notes, and a model's name shown above the page ("Gemini") */
    while (i < c->nev && (c->ev[i].kind == EV_NOTE || c->ev[i].kind == EV_HEADER))
        i++;
    if (i >= c->nev || c->ev[i].kind != EV_PARA || c->ev[i].a != c->ev[i].b)
        return RP_OK;
    size_t j = i + 1;
    while (j < c->nev && c->ev[j].kind == EV_NOTE)
        j++;
    if (j >= c->nev || (c->ev[j].kind != EV_HEADER && c->ev[j].kind != EV_TIME))
        return RP_OK;
    bool header = false, text_before = false;
    size_t k = j;
    for (; k < c->nev && !header; k++) {
        header = c->ev[k].kind == EV_HEADER;
        text_before = text_before || c->ev[k].kind == EV_PARA;
    }
    if (header && !text_before && c->lines[c->ev[k - 1].a].role == RP_ROLE_MODEL)
        return RP_OK;
    const cline *x = &c->cl[c->ev[i].a];
    rp_span t = rp_span_trim(rp_span_make(x->p, x->n));
    if (!header || t.n == 0 || t.n > 80 || strchr(".?:!)$", t.p[t.n - 1]))
        return RP_OK;
    tr->title = rp_tb_str(tr, t.p, t.n);
    if (!tr->title)
        return RP_ENOMEM;
    c->ev[i].kind = EV_SKIP; /* no longer content */
    c->ev[i].a = c->ev[i].b = c->cl[c->ev[i].a].line;
    return RP_OK;
}

/* ------------------------------------------------------------- roles */

/* Whether headers name both roles.  Then every message is opened by one,
 * and the span a header opens belongs to its speaker up to the next header
 * or time stamp: a closing "Would you like me to…?" under "ChatGPT said:"
 * reads like a request but is the model's.  Where only one role is
 * labelled (UIs that show the model's name alone), a header holds for its
 * first paragraph and the rest is left to the evidence. */
static bool both_labelled(const ctx *c)
{
    bool seen[2] = {false, false};
    for (size_t i = 0; i < c->nev; i++)
        if (c->ev[i].kind == EV_HEADER && c->lines[c->ev[i].a].role >= 0)
            seen[c->lines[c->ev[i].a].role == RP_ROLE_MODEL] = true;
    return seen[0] && seen[1];
}

/* Roles for the paragraphs: a two-state Viterbi pass over the events,
 * long (past 120 lines) so that the transition costs, each tied to the
 * evidence event before a paragraph, read together. */
static rp_status assign_roles(ctx *c)
{
    rp_buf b;
    rp_buf_init(&b, 0);
    size_t np = 0;
    for (size_t i = 0; i < c->nev; i++) {
        if (c->ev[i].kind != EV_PARA)
            continue;
        if (event_text(c, &c->ev[i], &b) != RP_OK) {
            rp_buf_free(&b);
            return RP_ENOMEM;
        }
        c->ev[i].role = ct_role_score(b.data, b.len, &c->ev[i].opener);
        np++;
    }
    rp_buf_free(&b);
    if (!np)
        return RP_OK;
    /* Viterbi: cost[s], back pointers per paragraph */
    unsigned char *back = malloc(np * 2);
    size_t *pidx = malloc(np * sizeof *pidx);
    if (!back || !pidx) {
        free(back);
        free(pidx);
        return RP_ENOMEM;
    }
    const double INF = 1e18;
    double cost[2] = {0, 0};
    int forced = -1;
    bool spans = both_labelled(c);
    int span = -1; /* the role a header's span forces, or -1 */
    bool saw_time = false, saw_end = false, saw_note = false, saw_header = false;
    bool saw_think = false;
    size_t k = 0;
    for (size_t i = 0; i < c->nev; i++) {
        event *e = &c->ev[i];
        switch (e->kind) {
        case EV_HEADER:
            forced = c->lines[e->a].role;
            span = spans ? forced : -1;
            saw_header = true;
            continue;
        case EV_TIME:
            saw_time = true;
            span = -1;
            continue;
        case EV_END:
            saw_end = true;
            continue;
        case EV_NOTE:
            saw_note = true;
            continue;
        case EV_THINK:
            saw_think = true;
            continue;
        case EV_SKIP:
            continue;
        case EV_PARA:
            break;
        }
        if (forced < 0)
            forced = span;
        double em[2] = {e->role / 2, -e->role / 2}; /* user, model */
        double nc[2];
        for (int s = 0; s < 2; s++) {
            if (forced >= 0 && s != forced) {
                nc[s] = INF;
                back[2 * k + s] = 0;
                continue;
            }
            if (k == 0) {
                double start = forced < 0 && s == RP_ROLE_MODEL && !saw_think ? START_MODEL_COST : 0;
                if (saw_think && s == RP_ROLE_USER)
                    start = THINK_USER_COST;
                nc[s] = em[s] + start;
                back[2 * k + s] = (unsigned char)s;
                continue;
            }
            double best = INF;
            int arg = 0;
            for (int q = 0; q < 2; q++) {
                double t;
                if (saw_header)
                    t = q == s ? SAME_HEADER_COST : 0;
                else if (saw_time)
                    t = q == s ? SAME_TIME_COST : 0;
                else if (saw_think)
                    /* reasoning status: a model reply starts here, after
                     * the user's message */
                    t = s == RP_ROLE_MODEL ? (q == s ? THINK_SAME_COST : 0)
                                           : (q == s ? THINK_USER_COST : SWITCH_COST);
                else if (saw_end)
                    t = q == s ? SAME_END_COST : 0;
                else if (q != s && e->opener == s)
                    t = SWITCH_OPENER_COST; /* "Can you…" after an answer */
                else if (saw_note)
                    t = q == s ? 0 : SWITCH_NOTE_COST;
                else
                    t = q == s ? 0 : SWITCH_COST;
                double v = cost[q] + t;
                if (v < best) {
                    best = v;
                    arg = q;
                }
            }
            nc[s] = best + em[s];
            back[2 * k + s] = (unsigned char)arg;
        }
        cost[0] = nc[0];
        cost[1] = nc[1];
        pidx[k] = i;
        k++;
        forced = -1;
        saw_time = saw_end = saw_note = saw_header = saw_think = false;
    }
    int s = cost[1] < cost[0] ? 1 : 0;
    for (size_t j = np; j-- > 0;) {
        c->ev[pidx[j]].state = s;
        s = back[2 * j + s];
    }
    free(back);
    free(pidx);
    return RP_OK;
}

/* ------------------------------------------------------------- output */

typedef struct tdraft {
    int role;
    size_t first_ev, last_ev; /* events of this turn (paragraphs within) */
    const ct_line *time;      /* time line or header with time */
    rp_span model;
    unsigned line;
} tdraft;

static rp_span line_time(const ct_line *l)
{
    return l->time;
}

/* The model family most named in the notes ("Claude" when the annotator
 * writes "Claude is able to…"), for transcripts whose text names the model
 * nowhere else. */
static rp_span model_from_notes(const ctx *c)
{
    rp_span best = rp_span_make(NULL, 0);
    int best_n = 0;
    rp_span cand[8];
    int cnt[8] = {0};
    int nc = 0;
    for (size_t i = 0; i < c->nparas; i++) {
        const para *p = &c->paras[i];
        if (!p->note)
            continue;
        for (size_t k = p->first; k <= p->last; k++) {
            const ct_line *l = &c->lines[k];
            size_t j = 0;
            while (j < l->n) {
                while (j < l->n && !((l->p[j] >= 'A' && l->p[j] <= 'Z')))
                    j++;
                size_t st = j;
                while (j < l->n && (((l->p[j] | 32) >= 'a' && (l->p[j] | 32) <= 'z') ||
                                    (l->p[j] >= '0' && l->p[j] <= '9') || l->p[j] == '-' ||
                                    l->p[j] == '.'))
                    j++;
                rp_span w = rp_span_make(l->p + st, j - st);
                while (w.n && (w.p[w.n - 1] == '.' || w.p[w.n - 1] == '-'))
                    w.n--;
                if (w.n >= 3 && ct_is_model_word(w)) {
                    int f = -1;
                    for (int q = 0; q < nc; q++)
                        if (cand[q].n == w.n && memcmp(cand[q].p, w.p, w.n) == 0)
                            f = q;
                    if (f < 0 && nc < 8) {
                        cand[nc] = w;
                        f = nc++;
                    }
                    if (f >= 0 && ++cnt[f] > best_n) {
                        best_n = cnt[f];
                        best = cand[f];
                    }
                }
                if (j == st)
                    j++;
            }
        }
    }
    return best;
}

/* Drop a paragraph repeated word for word inside one model turn of a
 * screenshot-derived transcript (overlaps the edge alignment missed). */
static rp_status drop_repeats(ctx *c, const tdraft *t, rp_buf *b)
{
    uint64_t seen[256];
    size_t ns = 0;
    for (size_t i = t->first_ev; i <= t->last_ev; i++) {
        event *e = &c->ev[i];
        if (e->kind != EV_PARA)
            continue;
        if (event_text(c, e, b) != RP_OK)
            return RP_ENOMEM;
        char key[KEY_CAP];
        size_t kn = ct_norm_key(b->data, b->len, key, sizeof key);
        /* long paragraphs: the key's first KEY_CAP bytes and the length */
        if (kn < DUP_PARA_MIN)
            continue;
        uint64_t h = fnv(key, kn) ^ (uint64_t)b->len;
        bool dup = false;
        for (size_t q = 0; q < ns; q++)
            if (seen[q] == h)
                dup = true;
        if (dup) {
            for (size_t k = e->a; k <= e->b; k++)
                c->cl[k].drop = true;
            continue;
        }
        if (ns < 256)
            seen[ns++] = h;
    }
    return RP_OK;
}

/* Build the transcript from the events with their roles: whether times
 * stand above or below their messages, turn drafts (a header, a time stamp
 * or a change of role starts one), their text with repeats dropped, and
 * the notes; long (past 120 lines) so that what starts a turn reads next
 * to what fills it. */
static rp_status emit(ctx *c, rp_transcript *tr)
{
    /* time stamps: below their message (trailer) or above it */
    bool trailer = false;
    for (size_t i = 0; i < c->nev; i++) {
        if (c->ev[i].kind == EV_PARA) {
            trailer = true;
            break;
        }
        if (c->ev[i].kind == EV_TIME || c->ev[i].kind == EV_HEADER)
            break;
    }
    bool any_time = false;
    for (size_t i = 0; i < c->nev; i++)
        if (c->ev[i].kind == EV_TIME)
            any_time = true;
    if (!any_time)
        trailer = false;

    tdraft *td = calloc(c->nev + 1, sizeof *td);
    if (!td)
        return RP_ENOMEM;
    size_t nt = 0;
    bool boundary = true;
    const ct_line *pend_header = NULL, *pend_time = NULL;
    for (size_t i = 0; i < c->nev; i++) {
        event *e = &c->ev[i];
        if (e->kind == EV_HEADER) {
            boundary = true;
            pend_header = &c->lines[e->a];
            continue;
        }
        if (e->kind == EV_TIME) {
            boundary = true;
            if (trailer) {
                if (nt && !td[nt - 1].time)
                    td[nt - 1].time = &c->lines[e->a];
            } else {
                pend_time = &c->lines[e->a];
            }
            continue;
        }
        if (e->kind != EV_PARA)
            continue;
        if (nt == 0 || boundary || td[nt - 1].role != e->state) {
            tdraft *t = &td[nt++];
            t->role = e->state;
            t->first_ev = i;
            t->line = c->lines[c->cl[e->a].line].no;
            if (pend_header) {
                if (pend_header->time.n)
                    t->time = pend_header;
                if (t->role == RP_ROLE_MODEL)
                    t->model = pend_header->name;
            }
            if (pend_time && !t->time)
                t->time = pend_time;
            pend_header = NULL;
            pend_time = NULL;
        }
        td[nt - 1].last_ev = i;
        boundary = false;
    }

    rp_buf b, tb;
    rp_buf_init(&b, 0);
    rp_buf_init(&tb, 0);
    rp_status st = RP_OK;
    if (c->seamed)
        for (size_t j = 0; j < nt && st == RP_OK; j++)
            if (td[j].role == RP_ROLE_MODEL)
                st = drop_repeats(c, &td[j], &b);

    /* model name: the first named model header, else the notes */
    for (size_t j = 0; j < nt && !tr->model; j++)
        if (td[j].model.n)
            tr->model = rp_tb_str(tr, td[j].model.p, td[j].model.n);
    for (size_t k = 0; k < c->nlines && !tr->model; k++)
        if (c->lines[k].kind == CT_BREAK && c->lines[k].name.n)
            tr->model = rp_tb_str(tr, c->lines[k].name.p, c->lines[k].name.n);
    if (!tr->model && tr->title) {
        /* "Newton-Schulz runtime with GPT-4o" */
        const char *p = tr->title;
        while (*p && !tr->model) {
            while (*p == ' ')
                p++;
            const char *q = p;
            while (*q && *q != ' ')
                q++;
            rp_span w = rp_span_make(p, (size_t)(q - p));
            while (w.n && strchr(",;.)", w.p[w.n - 1]))
                w.n--;
            if (w.n >= 3 && ct_is_model_word(w))
                tr->model = rp_tb_str(tr, w.p, w.n);
            p = q;
        }
    }
    if (!tr->model) {
        rp_span m = model_from_notes(c);
        if (m.n)
            tr->model = rp_tb_str(tr, m.p, m.n);
    }

    size_t ti = 0; /* next turn to add */
    for (size_t i = 0; i < c->nev && st == RP_OK; i++) {
        event *e = &c->ev[i];
        if (ti < nt && td[ti].first_ev == i) {
            tdraft *t = &td[ti++];
            rp_buf_clear(&tb);
            for (size_t q = t->first_ev; q <= t->last_ev && st == RP_OK; q++) {
                if (c->ev[q].kind != EV_PARA)
                    continue;
                if (event_text(c, &c->ev[q], &b) != RP_OK) {
                    st = RP_ENOMEM;
                    break;
                }
                if (!b.len)
                    continue;
                if (tb.len && rp_buf_append(&tb, "\n\n", 2) != RP_OK)
                    st = RP_ENOMEM;
                if (rp_buf_append(&tb, b.data, b.len) != RP_OK)
                    st = RP_ENOMEM;
            }
            if (st != RP_OK)
                break;
            rp_turn *turn = rp_tb_add_turn(tr, (rp_role)t->role, tb.data ? tb.data : "", tb.len,
                                           t->line);
            if (!turn) {
                st = RP_ENOMEM;
                break;
            }
            if (t->time) {
                rp_span ts = line_time(t->time);
                turn->time = rp_tb_str(tr, ts.p, ts.n);
            }
            if (t->model.n)
                turn->model = rp_tb_str(tr, t->model.p, t->model.n);
        }
        if (e->kind == EV_NOTE) {
            const para *p = &c->paras[e->a];
            rp_span ntext = para_text(c, p, &b);
            if (!ntext.p) {
                st = RP_ENOMEM;
                break;
            }
            st = rp_tb_add_note(tr, ntext.p, ntext.n, c->lines[p->first].no);
        }
    }
    rp_buf_free(&b);
    rp_buf_free(&tb);
    free(td);
    return st;
}

/* ------------------------------------------------------------- entry */

/* Plain text with no role header, time stamp or reasoning status: the
 * reader's last resort, where every turn boundary is a guess from how the
 * paragraphs read.  Say so (the text may be another format, or a copy that
 * lost its labels). */
static rp_status warn_unmarked(const ctx *c, rp_transcript *tr)
{
    for (size_t i = 0; i < c->nev; i++)
        if (c->ev[i].kind == EV_HEADER || c->ev[i].kind == EV_TIME || c->ev[i].kind == EV_THINK)
            return RP_OK;
    if (tr->n_turns < 2)
        return RP_OK; /* "no model turn" says it */
    return rp_tb_warn(tr, "read as chat-text without a speaker label or time stamp: turns "
                          "were told apart by their wording alone");
}

rp_status rp_read_chat_text(const char *label, const char *data, size_t n,
                            const rp_ingest_opts *opts, rp_transcript_set *out,
                            rp_diags *d)
{
    (void)opts;
    ctx c;
    memset(&c, 0, sizeof c);
    c.label = label;
    c.data = data;
    c.n = n;
    rp_status st = RP_ENOMEM;
    rp_transcript *tr = NULL;
    c.scratch = rp_arena_new(0);
    if (!c.scratch)
        goto done;
    if ((st = split_lines(&c)) != RP_OK || (st = find_paragraphs(&c)) != RP_OK)
        goto done;
    find_model_short(&c);
    if ((st = classify_notes(&c)) != RP_OK || (st = build_content(&c)) != RP_OK)
        goto done;
    if ((st = remove_overlaps(&c)) != RP_OK)
        goto done;
    if ((st = build_events(&c)) != RP_OK)
        goto done;
    st = RP_ENOMEM;
    tr = rp_tb_new(label, "chat-text");
    if (!tr)
        goto done;
    if ((st = find_title(&c, tr)) != RP_OK || (st = assign_roles(&c)) != RP_OK)
        goto done;
    if ((st = emit(&c, tr)) != RP_OK)
        goto done;
    if (tr->n_turns == 0 && tr->n_notes == 0) {
        rp_diag_add(d, label, 0, 0, "no conversation found: the text is empty or only UI chrome");
        st = RP_EINPUT;
        goto done;
    }
    if ((st = warn_unmarked(&c, tr)) != RP_OK)
        goto done;
    st = rp_tset_push(out, tr);
    if (st == RP_OK)
        tr = NULL;
done:
    if (st == RP_ENOMEM)
        rp_diag_add(d, label, 0, 0, "out of memory reading chat text");
    rp_transcript_free(tr);
    free(c.lines);
    free(c.line_para);
    free(c.paras);
    free(c.cl);
    free(c.ev);
    rp_arena_free(c.scratch);
    return st;
}
