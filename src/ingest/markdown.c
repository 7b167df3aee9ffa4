/*
 * Reader for Markdown exports of chats.  Turns start at role headings
 * ("## User" / "## Assistant", "#### You:" / "#### ChatGPT:", "## 👤 User" /
 * "## 🤖 Claude", "## Prompt:" / "## Response:", "### human" / "### gpt") or,
 * in exports without such headings, at paragraphs opening with a bold role
 * label ("**User:**" / "**ChatGPT:**") or made of one ("**GPT-4o**").  md4c finds the headings and
 * paragraphs, so that a "## User" inside a code block or a list is not taken
 * for a turn; the turn text is the Markdown source between two markers, so
 * math and tables reach later stages as written.  YAML front matter and
 * export metadata lines give the title and model; "---" separators are
 * dropped and <details> reasoning blocks kept out of model turns.  Outside
 * that grammar: role headings may be numbered ("### 1. User"); a bold
 * label may start a later line of a paragraph ("**ASSISTANT**: …" right
 * under the question); headings are the turns only when they alternate at
 * least as well as the bold labels do (a stray "# Prompt" does not switch
 * the reader to headings); a "Thinking"/"Reasoning" section opening a
 * reply is hidden reasoning; a message wrapped whole in one plain or
 * Markdown fence is read without it.
 */
#include "fmt_util.h"

#include <ctype.h>
#include <limits.h>
#include <md4c.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------- role labels */

static const char *const user_words[] = {"user", "you", "human", "me", "prompt", NULL};
static const char *const model_words[] = {"assistant", "model", "response", "ai", "bot", "gpt",
                                          NULL};
static bool word_in(const char *w, size_t n, const char *const *list)
{
    for (int i = 0; list[i]; i++)
        if (rp_span_ieq(rp_span_make(w, n), list[i]))
            return true;
    return false;
}

bool rp_md_role_label(const char *s, size_t n, rp_role *role, rp_span *model)
{
    *model = rp_span_make(NULL, 0);
    size_t i = 0;
    while (i < n && !isalnum((unsigned char)s[i]))
        i++; /* emoji, symbols, spaces */
    /* a turn number before the role: "1. User", "3) Assistant" */
    size_t dg = i;
    while (dg < n && dg - i < 4 && isdigit((unsigned char)s[dg]))
        dg++;
    if (dg > i && dg + 1 < n && (s[dg] == '.' || s[dg] == ')') && s[dg + 1] == ' ') {
        i = dg + 1;
        while (i < n && !isalnum((unsigned char)s[i]))
            i++;
    }
    size_t e = n;
    while (e > i && (isspace((unsigned char)s[e - 1]) || s[e - 1] == ':' || s[e - 1] == '*' ||
                     s[e - 1] == '_'))
        e--;
    if (i >= e)
        return false;
    size_t core_end = e;
    rp_span paren = rp_span_make(NULL, 0);
    const char *lp = memchr(s + i, '(', e - i);
    if (lp) {
        if (s[e - 1] != ')')
            return false;
        core_end = (size_t)(lp - s);
        paren = rp_span_trim(rp_span_make(lp + 1, (size_t)(s + e - 1 - (lp + 1))));
    }
    rp_span core = rp_span_trim(rp_span_make(s + i, core_end - i));
    if (core.n == 0 || core.n > 48)
        return false;
    size_t w = 0;
    while (w < core.n && (isalnum((unsigned char)core.p[w]) || core.p[w] == '-' || core.p[w] == '.'))
        w++;
    rp_span rest = rp_span_trim(rp_span_make(core.p + w, core.n - w));
    if (word_in(core.p, w, user_words)) {
        *role = RP_ROLE_USER;
        return rest.n == 0;
    }
    if (word_in(core.p, w, model_words)) {
        *role = RP_ROLE_MODEL;
        *model = paren;
        return rest.n == 0;
    }
    if (!rp_model_word(core.p, w))
        return false;
    /* The rest must read as a version: "3.5 Sonnet", "4o", "Pro". */
    size_t k = 0;
    while (k < rest.n) {
        while (k < rest.n && rest.p[k] == ' ')
            k++;
        size_t a = k;
        bool digit = false;
        while (k < rest.n && rest.p[k] != ' ') {
            if (isdigit((unsigned char)rest.p[k]))
                digit = true;
            k++;
        }
        if (k > a && !digit && !rp_model_suffix(rest.p + a, k - a))
            return false;
    }
    *role = RP_ROLE_MODEL;
    *model = core;
    return true;
}

/* ------------------------------------------------------------ md4c pass */

typedef struct mark {
    size_t start;  /* offset of the marker's line */
    size_t body;   /* offset where the turn's text begins */
    unsigned line; /* 1-based line of the marker */
    rp_role role;
    rp_span model; /* model named by the marker, or empty */
    bool heading;  /* a heading (else a bold label) */
} mark;

/* A heading that names no role: where it starts, its level, and whether
 * its title names hidden reasoning ("Thinking", "Reasoning"). */
typedef struct head {
    size_t start;
    size_t body;    /* offset past its line */
    unsigned level;
    bool hidden;
    bool answer;    /* its title labels the answer ("Answer", "Response") */
} head;

#define MAX_HEADS 100000

typedef struct mdstate {
    const char *data;  /* the whole input */
    size_t n;
    unsigned depth;    /* block nesting: the document is 1 */
    bool cap;          /* inside a top-level heading or paragraph */
    bool heading;      /* which of the two */
    unsigned level;    /* heading level */
    char text[256];    /* the block's first text */
    size_t tlen;
    size_t first;      /* offset of the block's first text in data */
    size_t last;       /* offset just past its last text */
    unsigned spans;    /* open spans */
    int strong;        /* paragraph: 0 nothing yet, 1 in a leading bold span, 2 it closed, -1 none */
    char stext[128];   /* text of the leading bold span */
    size_t slen;
    size_t strong_end; /* offset past the leading bold span's text */
    bool at_line;      /* the paragraph's next text starts a line */
    bool lstrong;      /* in a bold span that starts a later line of the paragraph */
    char ltext[128];   /* its text */
    size_t llen;
    size_t lfirst;     /* offset of its first text, SIZE_MAX before */
    size_t lend;       /* offset past its last text */
    mark *marks;       /* malloc'd */
    size_t n_marks, cap_marks, max_marks;
    head *heads;       /* headings that name no role (malloc'd, capped) */
    size_t n_heads, cap_heads;
    bool too_many;
    bool oom;
    char title[256];   /* first level-1 heading that is not a role */
    size_t title_len;
    size_t line_off;   /* lines are counted up to here ... */
    unsigned line_no;  /* ... where this line starts (blocks come in order) */
} mdstate;

/* The 1-based line of offset off, counting on from the last one asked. */
static unsigned line_of(mdstate *st, size_t off)
{
    if (off < st->line_off) {
        st->line_off = 0;
        st->line_no = 1;
    }
    for (size_t i = st->line_off; i < off; i++)
        if (st->data[i] == '\n')
            st->line_no++;
    st->line_off = off;
    return st->line_no;
}

static size_t line_start(const char *s, size_t off)
{
    while (off > 0 && s[off - 1] != '\n')
        off--;
    return off;
}

static size_t line_end(const char *s, size_t n, size_t off)
{
    const char *nl = off < n ? memchr(s + off, '\n', n - off) : NULL;
    return nl ? (size_t)(nl - s) + 1 : n;
}

static bool all_of(rp_span t, const char *set)
{
    if (t.n == 0)
        return false;
    for (size_t i = 0; i < t.n; i++)
        if (!strchr(set, t.p[i]))
            return false;
    return true;
}

static int add_mark(mdstate *st, const mark *m)
{
    if (st->n_marks >= st->max_marks) {
        st->too_many = true;
        return 1;
    }
    if (st->n_marks == st->cap_marks) {
        size_t nc = st->cap_marks ? st->cap_marks * 2 : 32;
        mark *nm = realloc(st->marks, nc * sizeof *nm);
        if (!nm) {
            st->oom = true;
            return 1;
        }
        st->marks = nm;
        st->cap_marks = nc;
    }
    st->marks[st->n_marks++] = *m;
    return 0;
}

/* A span found in a scratch buffer, moved to the same bytes in the source
 * line starting at ls (empty when they are not there, e.g. an entity). */
static rp_span in_source(const mdstate *st, rp_span v, size_t ls)
{
    size_t le = line_end(st->data, st->n, ls);
    for (size_t i = ls; v.n && i + v.n <= le; i++)
        if (memcmp(st->data + i, v.p, v.n) == 0)
            return rp_span_make(st->data + i, v.n);
    return rp_span_make(NULL, 0);
}

/* Whether a heading's title names hidden reasoning: "Thinking",
 * "Reasoning", "Thought process", "Thought for 12 seconds". */
static bool reasoning_title(const char *s, size_t n)
{
    static const char *const words[] = {"think", "thinking", "thoughts", "reasoning",
                                        "thought process", "chain of thought", NULL};
    rp_span t = rp_span_trim(rp_span_make(s, n));
    while (t.n && (t.p[t.n - 1] == ':' || t.p[t.n - 1] == '.'))
        t.n--;
    return word_in(t.p, t.n, words) || rp_span_istarts(t, "thought for ");
}

/* Whether a heading's title only labels what follows as the answer. */
static bool answer_title(const char *s, size_t n)
{
    static const char *const words[] = {"answer", "final answer", "response", "output", NULL};
    rp_span t = rp_span_trim(rp_span_make(s, n));
    while (t.n && (t.p[t.n - 1] == ':' || t.p[t.n - 1] == '.'))
        t.n--;
    return word_in(t.p, t.n, words);
}

static int add_head(mdstate *st, size_t start, bool hidden)
{
    if (st->n_heads >= MAX_HEADS)
        return 0; /* only hidden sections are lost past the cap */
    if (st->n_heads == st->cap_heads) {
        size_t nc = st->cap_heads ? st->cap_heads * 2 : 32;
        head *nh = realloc(st->heads, nc * sizeof *nh);
        if (!nh) {
            st->oom = true;
            return 1;
        }
        st->heads = nh;
        st->cap_heads = nc;
    }
    head h = {start, line_end(st->data, st->n, st->last ? st->last - 1 : st->first), st->level,
              hidden, answer_title(st->text, st->tlen)};
    st->heads[st->n_heads++] = h;
    return 0;
}

/* A bold label ending at offset j (just past its text) in a paragraph,
 * label[0..len) its text: a role mark when a colon follows it (inside or
 * right after the bold) or, when alone, it is the whole paragraph. */
static int bold_mark(mdstate *st, const char *label, size_t len, size_t start, size_t j,
                     bool alone)
{
    mark m;
    memset(&m, 0, sizeof m);
    m.start = start;
    bool colon = len && label[len - 1] == ':';
    size_t stars = 0;
    while (j < st->n && (st->data[j] == '*' || st->data[j] == '_') && stars < 3) {
        j++;
        stars++;
    }
    if (!colon && j < st->n && st->data[j] == ':') {
        colon = true;
        j++;
    }
    if (!(colon || alone) || !rp_md_role_label(label, len, &m.role, &m.model))
        return 0;
    /* "**Model:** gpt-4o" is export metadata, not a turn */
    if (rp_span_istarts(rp_span_trim(rp_span_make(label, len)), "model"))
        return 0;
    m.model = in_source(st, m.model, m.start);
    while (j < st->n && (st->data[j] == ' ' || st->data[j] == '\t'))
        j++;
    m.body = alone ? line_end(st->data, st->n, st->last ? st->last - 1 : st->first) : j;
    return add_mark(st, &m);
}

static int finish_block(mdstate *st)
{
    if (st->first == SIZE_MAX)
        return 0;
    mark m;
    memset(&m, 0, sizeof m);
    m.start = line_start(st->data, st->first);
    if (st->heading) {
        if (!rp_md_role_label(st->text, st->tlen, &m.role, &m.model)) {
            if (st->level == 1 && !st->title_len && !st->n_marks) {
                rp_span t = rp_span_trim(rp_span_make(st->text, st->tlen));
                memcpy(st->title, t.p, t.n);
                st->title_len = t.n;
            }
            return add_head(st, m.start, reasoning_title(st->text, st->tlen));
        }
        m.model = in_source(st, m.model, m.start); /* it pointed into st->text */
        m.heading = true;
        m.body = line_end(st->data, st->n, st->last ? st->last - 1 : st->first);
        /* the underline of a setext heading */
        size_t ue = line_end(st->data, st->n, m.body);
        if (ue > m.body && all_of(rp_span_trim(rp_span_make(st->data + m.body, ue - m.body)), "=-"))
            m.body = ue;
        return add_mark(st, &m);
    }
    if (st->strong != 2)
        return 0;
    /* a paragraph that is only a bold label ("**GPT-4**") needs no colon */
    bool alone = st->tlen == st->slen && st->slen < sizeof st->stext - 1;
    return bold_mark(st, st->stext, st->slen, m.start, st->strong_end, alone);
}

static int enter_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
    mdstate *st = ud;
    st->depth++;
    if (st->depth == 2 && (type == MD_BLOCK_H || type == MD_BLOCK_P)) {
        st->cap = true;
        st->heading = type == MD_BLOCK_H;
        st->level = type == MD_BLOCK_H ? ((MD_BLOCK_H_DETAIL *)detail)->level : 0;
        st->tlen = st->slen = 0;
        st->first = SIZE_MAX;
        st->last = 0;
        st->spans = 0;
        st->strong = 0;
        st->strong_end = 0;
        st->at_line = true;
        st->lstrong = false;
    }
    return 0;
}

static int leave_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
    mdstate *st = ud;
    int rc = 0;
    if (st->depth == 2 && st->cap) {
        st->cap = false;
        rc = finish_block(st);
    }
    st->depth--;
    return rc;
}

static int enter_span(MD_SPANTYPE type, void *detail, void *ud)
{
    mdstate *st = ud;
    if (!st->cap)
        return 0;
    st->spans++;
    if (type == MD_SPAN_STRONG && st->spans == 1 && st->strong == 0) {
        st->strong = 1;
    } else if (type == MD_SPAN_STRONG && st->spans == 1 && st->at_line && !st->heading) {
        /* "**ASSISTANT**: …" starting a later line of the same paragraph */
        st->lstrong = true;
        st->llen = 0;
        st->lfirst = SIZE_MAX;
        st->lend = 0;
    }
    return 0;
}

static int leave_span(MD_SPANTYPE type, void *detail, void *ud)
{
    mdstate *st = ud;
    if (!st->cap)
        return 0;
    if (st->strong == 1 && st->spans == 1 && type == MD_SPAN_STRONG)
        st->strong = 2;
    if (st->lstrong && st->spans == 1 && type == MD_SPAN_STRONG) {
        st->lstrong = false;
        if (st->lfirst != SIZE_MAX &&
            bold_mark(st, st->ltext, st->llen, line_start(st->data, st->lfirst), st->lend, false))
            return 1;
    }
    if (st->spans)
        st->spans--;
    return 0;
}

static int text_cb(MD_TEXTTYPE type, const MD_CHAR *text, MD_SIZE size, void *ud)
{
    mdstate *st = ud;
    if (!st->cap)
        return 0;
    const char *p = text;
    if (p >= st->data && p + size <= st->data + st->n) {
        size_t off = (size_t)(p - st->data);
        if (off < st->first)
            st->first = off;
        if (off + size > st->last)
            st->last = off + size;
        if (st->strong == 1)
            st->strong_end = off + size;
        if (st->lstrong) {
            if (off < st->lfirst)
                st->lfirst = off;
            st->lend = off + size;
        }
    }
    if (st->lstrong) {
        size_t k = size < sizeof st->ltext - 1 - st->llen ? size : sizeof st->ltext - 1 - st->llen;
        memcpy(st->ltext + st->llen, text, k);
        st->llen += k;
    }
    if (type == MD_TEXT_SOFTBR || type == MD_TEXT_BR)
        st->at_line = true;
    else if (size && !st->lstrong)
        st->at_line = false;
    if (st->strong == 0 && type != MD_TEXT_SOFTBR && size)
        st->strong = -1; /* text before any bold span */
    if (type == MD_TEXT_SOFTBR || type == MD_TEXT_BR) {
        p = " ";
        size = 1;
    }
    size_t k = size < sizeof st->text - 1 - st->tlen ? size : sizeof st->text - 1 - st->tlen;
    memcpy(st->text + st->tlen, p, k);
    st->tlen += k;
    if (st->strong == 1) {
        k = size < sizeof st->stext - 1 - st->slen ? size : sizeof st->stext - 1 - st->slen;
        memcpy(st->stext + st->slen, p, k);
        st->slen += k;
    }
    return 0;
}

/* ------------------------------------------------------------- metadata */

static rp_span unquote(rp_span v)
{
    v = rp_span_trim(v);
    if (v.n >= 2 && (v.p[0] == '"' || v.p[0] == '\'') && v.p[v.n - 1] == v.p[0])
        v = rp_span_make(v.p + 1, v.n - 2);
    return v;
}

/* YAML front matter at the start of s: its length (0 when there is none);
 * title and model keys are read. */
static size_t front_matter(const char *s, size_t n, rp_span *title, rp_span *model)
{
    size_t i = line_end(s, n, 0);
    if (!rp_span_eq(rp_span_trim(rp_span_make(s, i)), "---") || i < 4)
        return 0;
    rp_span t = {0}, m = {0};
    while (i < n) {
        size_t e = line_end(s, n, i);
        rp_span line = rp_span_trim(rp_span_make(s + i, e - i));
        if (rp_span_eq(line, "---") || rp_span_eq(line, "...")) {
            *title = t;
            *model = m;
            return e;
        }
        const char *colon = memchr(line.p, ':', line.n);
        if (colon) {
            rp_span key = rp_span_trim(rp_span_make(line.p, (size_t)(colon - line.p)));
            rp_span val = unquote(rp_span_make(colon + 1, (size_t)(line.p + line.n - colon - 1)));
            if (rp_span_ieq(key, "title"))
                t = val;
            else if (rp_span_ieq(key, "model") || rp_span_ieq(key, "llm"))
                m = val;
        }
        i = e;
    }
    return 0; /* never closed: not front matter */
}

/* A "Model: …" metadata line in s[a..b) ("**Model:** gpt-4o" too). */
static rp_span meta_model(const char *s, size_t a, size_t b)
{
    while (a < b) {
        size_t e = line_end(s, b, a);
        rp_span line = rp_span_trim(rp_span_make(s + a, e - a));
        while (line.n && strchr("*_->", line.p[0]))
            line = rp_span_trim(rp_span_make(line.p + 1, line.n - 1));
        if (rp_span_istarts(line, "model")) {
            size_t j = 5;
            while (j < line.n && (line.p[j] == '*' || line.p[j] == '_' || line.p[j] == ' '))
                j++;
            if (j < line.n && line.p[j] == ':') {
                j++;
                rp_span v = rp_span_trim(rp_span_make(line.p + j, line.n - j));
                while (v.n && (v.p[0] == '*' || v.p[0] == '_'))
                    v = rp_span_trim(rp_span_make(v.p + 1, v.n - 1));
                while (v.n && (v.p[v.n - 1] == '*' || v.p[v.n - 1] == '_'))
                    v.n--;
                if (v.n)
                    return v;
            }
        }
        a = e;
    }
    return rp_span_make(NULL, 0);
}

/* Drop separator lines ("---") and an exporter's sign-off at both ends. */
static rp_span trim_separators(rp_span t)
{
    for (;;) {
        t = rp_span_trim(t);
        if (!t.n)
            return t;
        const char *nl = memchr(t.p, '\n', t.n);
        rp_span first = rp_span_trim(rp_span_make(t.p, nl ? (size_t)(nl - t.p) : t.n));
        if (all_of(first, "-") || all_of(first, "*") || all_of(first, "_")) {
            t = nl ? rp_span_make(nl + 1, t.n - (size_t)(nl + 1 - t.p)) : rp_span_make(t.p, 0);
            continue;
        }
        size_t ls = t.n;
        while (ls > 0 && t.p[ls - 1] != '\n')
            ls--;
        rp_span last = rp_span_trim(rp_span_make(t.p + ls, t.n - ls));
        if ((last.n >= 3 && (all_of(last, "- ") || all_of(last, "* ") || all_of(last, "_ "))) ||
            rp_span_istarts(last, "powered by ")) {
            t.n = ls;
            continue;
        }
        return t;
    }
}

/* Copy t into b with every image "![alt](target)" on one line replaced by
 * the placeholder "[image]". */
static rp_status images_to_placeholders(rp_span t, rp_buf *b)
{
    rp_buf_clear(b);
    size_t i = 0, copied = 0;
    while (i + 1 < t.n) {
        if (t.p[i] != '!' || t.p[i + 1] != '[') {
            i++;
            continue;
        }
        size_t j = i + 2;
        while (j + 1 < t.n && t.p[j] != '\n' && !(t.p[j] == ']' && t.p[j + 1] == '('))
            j++;
        if (j + 1 >= t.n || t.p[j] != ']') {
            i = j;
            continue;
        }
        size_t k = j + 2;
        while (k < t.n && t.p[k] != ')' && t.p[k] != '\n')
            k++;
        if (k >= t.n || t.p[k] != ')') {
            i = k;
            continue;
        }
        if (rp_buf_append(b, t.p + copied, i - copied) != RP_OK ||
            rp_buf_puts(b, "[image]") != RP_OK)
            return RP_ELIMIT;
        i = copied = k + 1;
    }
    return rp_buf_append(b, t.p + copied, t.n - copied) == RP_OK ? RP_OK : RP_ELIMIT;
}

/* ------------------------------------------------------------ structure */

static int mark_cmp(const void *a, const void *b)
{
    const mark *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* Whether the turns are the role headings rather than the bold labels.
 * Headings win when there are any, unless they do not alternate between
 * the user and the model while the labels do (a stray "# Prompt" over a
 * conversation written with "**User:**" labels): evidence is the number
 * of speaker changes each reading gives. */
static bool use_headings(const mark *m, size_t n)
{
    size_t count[2] = {0, 0}, changes[2] = {0, 0}, both[2] = {0, 0};
    int last[2] = {-1, -1};
    for (size_t i = 0; i < n; i++) {
        int h = m[i].heading ? 1 : 0;
        count[h]++;
        if (last[h] >= 0 && last[h] != (int)m[i].role)
            changes[h]++;
        both[h] |= m[i].role == RP_ROLE_USER ? 1u : 2u;
        last[h] = (int)m[i].role;
    }
    if (!count[1])
        return false;
    if (both[0] != 3)
        return true;
    return both[1] == 3 && changes[1] >= changes[0];
}

/* The start of the turn text body[0..end) after a hidden reasoning
 * section that opens it ("### Thinking" up to the next heading of its level
 * or above; an "Answer" heading that ends it goes too), else body.  A
 * section that runs to end is kept, with nothing after it it is the
 * answer, unless the turn continues under the next mark ("#### Response"
 * names the model too). */
static size_t skip_reasoning(const char *data, const head *h, size_t nh, size_t *cursor,
                             size_t body, size_t end, bool continues)
{
    size_t i = *cursor; /* turns come in order: the headings before body are passed once */
    while (i < nh && h[i].start < body)
        i++;
    *cursor = i;
    if (i == nh || !h[i].hidden || h[i].start >= end)
        return body;
    rp_span before = trim_separators(rp_span_make(data + body, h[i].start - body));
    if (before.n)
        return body; /* text first: the heading is part of the answer */
    for (size_t j = i + 1; j < nh && h[j].start < end; j++)
        if (h[j].level <= h[i].level)
            return h[j].answer ? h[j].body : h[j].start; /* "### Answer": a label */
    return continues ? end : body;
}

/* A fence line ("```", "~~~markdown"): its character and run length, or 0. */
static size_t fence_of(rp_span line, char *ch, rp_span *info)
{
    line = rp_span_trim(line);
    if (line.n < 3 || (line.p[0] != '`' && line.p[0] != '~'))
        return 0;
    size_t k = 0;
    while (k < line.n && line.p[k] == line.p[0])
        k++;
    if (k < 3)
        return 0;
    *ch = line.p[0];
    *info = rp_span_trim(rp_span_make(line.p + k, line.n - k));
    return k;
}

/* A whole message wrapped in one fence of plain text or Markdown (some
 * exporters write every message so): the text inside, else t. */
static rp_span unwrap_fence(rp_span t)
{
    const char *nl = memchr(t.p, '\n', t.n);
    if (!nl)
        return t;
    char ch, ch2;
    rp_span info, info2;
    size_t k = fence_of(rp_span_make(t.p, (size_t)(nl - t.p)), &ch, &info);
    if (!k || !(info.n == 0 || rp_span_ieq(info, "markdown") || rp_span_ieq(info, "md") ||
                rp_span_ieq(info, "text") || rp_span_ieq(info, "plaintext")))
        return t;
    size_t ls = t.n;
    while (ls > 0 && t.p[ls - 1] != '\n')
        ls--;
    rp_span last = rp_span_make(t.p + ls, t.n - ls);
    size_t k2 = fence_of(last, &ch2, &info2);
    if (!k2 || ch2 != ch || k2 < k || info2.n || ls <= (size_t)(nl - t.p) + 1)
        return t;
    /* no fence inside may close it earlier */
    rp_span inner = rp_span_make(nl + 1, ls - 1 - (size_t)(nl + 1 - t.p));
    for (size_t a = 0; a < inner.n;) {
        const char *e = memchr(inner.p + a, '\n', inner.n - a);
        size_t b = e ? (size_t)(e - inner.p) : inner.n;
        size_t k3 = fence_of(rp_span_make(inner.p + a, b - a), &ch2, &info2);
        if (k3 >= k && ch2 == ch && !info2.n)
            return t;
        a = b + 1;
    }
    return inner;
}

/* ---------------------------------------------------------------- reader */

rp_status rp_read_markdown(const char *label, const char *data, size_t n,
                           const rp_ingest_opts *opts, rp_transcript_set *out,
                           rp_diags *d)
{
    rp_span fm_title = {0}, fm_model = {0};
    size_t body = front_matter(data, n, &fm_title, &fm_model);
    if (n - body > UINT_MAX) {
        rp_diag_add(d, label, 0, 0, "too large for the Markdown reader");
        return RP_ELIMIT;
    }
    mdstate st;
    memset(&st, 0, sizeof st);
    st.data = data;
    st.n = n;
    st.line_no = 1;
    size_t max_turns = opts && opts->max_turns ? opts->max_turns : 100000;
    st.max_marks = max_turns + 1;
    MD_PARSER parser;
    memset(&parser, 0, sizeof parser);
    parser.abi_version = 0;
    parser.flags = MD_FLAG_TABLES | MD_FLAG_LATEXMATHSPANS | MD_FLAG_STRIKETHROUGH;
    parser.enter_block = enter_block;
    parser.leave_block = leave_block;
    parser.enter_span = enter_span;
    parser.leave_span = leave_span;
    parser.text = text_cb;
    int rc = md_parse(data + body, (MD_SIZE)(n - body), &parser, &st);
    rp_status status = RP_OK;
    if (st.oom || (rc != 0 && !st.too_many)) {
        rp_diag_add(d, label, 0, 0, "out of memory while reading Markdown");
        status = RP_ENOMEM;
        goto done;
    }
    if (st.too_many) {
        rp_diag_add(d, label, 0, 0, "more than %zu turns (raise the limit with --max-turns)",
                    max_turns);
        status = RP_ELIMIT;
        goto done;
    }
    /* Labels found inside a paragraph come before the paragraph's own:
     * put the marks in order, then number their lines in one pass. */
    if (st.n_marks)
        qsort(st.marks, st.n_marks, sizeof *st.marks, mark_cmp);
    st.line_off = 0;
    st.line_no = 1;
    for (size_t i = 0; i < st.n_marks; i++)
        st.marks[i].line = line_of(&st, st.marks[i].start);
    bool headings = use_headings(st.marks, st.n_marks);
    size_t k = 0;
    for (size_t i = 0; i < st.n_marks; i++)
        if (st.marks[i].heading == headings)
            st.marks[k++] = st.marks[i];
    st.n_marks = k;
    if (!k) {
        rp_diag_add(d, label, 0, 0,
                    "no role headings or labels found (such as \"## User\" / \"## Assistant\" "
                    "or \"**User:**\" / \"**ChatGPT:**\")");
        status = RP_EINPUT;
        goto done;
    }
    rp_transcript *t = rp_tb_new(label, "markdown");
    if (!t) {
        status = RP_ENOMEM;
        goto done;
    }
    rp_span title = fm_title.n ? fm_title : rp_span_make(st.title, st.title_len);
    if (title.n)
        t->title = rp_tb_str(t, title.p, title.n);
    rp_span model = fm_model.n ? fm_model : meta_model(data, body, st.marks[0].start);
    size_t max_turn = opts && opts->max_bytes ? opts->max_bytes : RP_MAX_INPUT_DEFAULT;
    rp_turnacc acc;
    rp_acc_start(&acc, t, max_turn);
    rp_buf img;
    rp_buf_init(&img, max_turn);
    size_t hcur = 0;
    for (size_t i = 0; i < k && status == RP_OK; i++) {
        const mark *m = &st.marks[i];
        size_t end = i + 1 < k ? st.marks[i + 1].start : n;
        size_t from = m->role == RP_ROLE_MODEL && m->body < end
                          ? skip_reasoning(data, st.heads, st.n_heads, &hcur, m->body, end,
                                           i + 1 < k && st.marks[i + 1].role == m->role)
                          : m->body;
        rp_span text = from < end ? rp_span_make(data + from, end - from) : rp_span_make(data, 0);
        text = unwrap_fence(trim_separators(text));
        char *mname = m->model.n ? rp_arena_strndup(t->arena, m->model.p, m->model.n) : NULL;
        if (m->role == RP_ROLE_MODEL && mname && !model.n)
            model = m->model;
        status = images_to_placeholders(text, &img);
        if (status == RP_OK)
            status = rp_acc_add(&acc, m->role, img.data ? img.data : "", img.len, m->line, NULL,
                                mname);
    }
    rp_buf_free(&img);
    if (status == RP_OK)
        status = rp_acc_finish(&acc);
    else
        rp_acc_discard(&acc);
    if (status == RP_OK && model.n)
        t->model = rp_tb_str(t, model.p, model.n);
    if (status == RP_OK && t->n_turns == 0) {
        rp_diag_add(d, label, 0, 0, "the role headings have no text under them");
        status = RP_EINPUT;
    }
    if (status != RP_OK) {
        if (status == RP_ENOMEM)
            rp_diag_add(d, label, 0, 0, "out of memory");
        else if (status == RP_ELIMIT)
            rp_diag_add(d, label, 0, 0, "a turn larger than the input limit");
        rp_transcript_free(t);
        goto done;
    }
    if (rp_tset_push(out, t) != RP_OK) {
        rp_transcript_free(t);
        rp_diag_add(d, label, 0, 0, "out of memory");
        status = RP_ENOMEM;
    }
done:
    free(st.marks);
    free(st.heads);
    return status;
}
