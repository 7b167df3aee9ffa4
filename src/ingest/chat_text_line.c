/*
 * Line classification for the chat-UI text reader: decides whether a line
 * of a copied or screenshot-extracted chat page is content, blank, UI chrome
 * (menus, input bars, disclaimers, model selectors, "Thought for 12s"), a
 * bare time stamp, a role header ("You said:", "ChatGPT:", "Qwen3-Max 7:29
 * PM") or the end of a message (a reaction bar).  Everything here looks at
 * one line; decisions that need neighbours are made in chat_text.c.
 */
#include "chat_text_int.h"

#include <string.h>

/* ------------------------------------------------------------ helpers */

static inline bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

static inline bool is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alnum(unsigned char c)
{
    return is_alpha(c) || is_digit(c);
}

static inline char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static inline bool ieq(const char *a, size_t n, const char *lit)
{
    if (n == 0 || lower(a[0]) != lit[0])
        return n == 0 && lit[0] == '\0';
    size_t m = strlen(lit);
    if (n != m)
        return false;
    for (size_t i = 0; i < n; i++)
        if (lower(a[i]) != lit[i])
            return false;
    return true;
}

static inline bool istarts(const char *a, size_t n, const char *lit)
{
    if (lit[0] && (n == 0 || lower(a[0]) != lit[0]))
        return false;
    size_t m = strlen(lit);
    if (n < m)
        return false;
    for (size_t i = 0; i < m; i++)
        if (lower(a[i]) != lit[i])
            return false;
    return true;
}

static inline bool iends(const char *a, size_t n, const char *lit)
{
    if (n == 0 || !lit[0])
        return !lit[0];
    size_t m = strlen(lit);
    if (lower(a[n - 1]) != lit[m - 1])
        return false;
    return n >= m && ieq(a + n - m, m, lit);
}

/* Skip white space, non-breaking spaces and UI pictographs (any non-ASCII
 * character that is not a letter of a text: box, arrows, emoji) at the
 * front of s. */
static rp_span skip_ui_symbols(rp_span s)
{
    for (;;) {
        while (s.n && is_space((unsigned char)s.p[0])) {
            s.p++;
            s.n--;
        }
        if (!s.n)
            return s;
        unsigned char c = (unsigned char)s.p[0];
        size_t k = 0;
        if (c == 0xC2 && s.n >= 2 && (unsigned char)s.p[1] == 0xA0)
            k = 2; /* NBSP */
        else if (c >= 0xE2 && c <= 0xEF) {
            /* 3-byte symbols: arrows, boxes, dingbats (U+2000..U+2BFF,
             * U+FE0F); letters of other scripts are not skipped */
            if (c == 0xE2 || (c == 0xEF && s.n >= 2 && (unsigned char)s.p[1] == 0xB8))
                k = 3;
        } else if (c == 0xF0)
            k = 4; /* emoji */
        else if (c == ')' || c == '(' || c == '*' || c == '|' || c == '>' || c == '<')
            k = 1;
        if (!k || k > s.n)
            return s;
        s.p += k;
        s.n -= k;
    }
}

/* The same at the end. */
static rp_span rskip_ui_symbols(rp_span s)
{
    for (;;) {
        while (s.n && is_space((unsigned char)s.p[s.n - 1]))
            s.n--;
        if (!s.n)
            return s;
        size_t i = s.n;
        /* find the start of the last UTF-8 character */
        size_t st = i - 1;
        while (st > 0 && ((unsigned char)s.p[st] & 0xC0) == 0x80)
            st--;
        unsigned char c = (unsigned char)s.p[st];
        size_t len = i - st;
        bool sym = (c == 0xE2 && len == 3) || (c == 0xF0 && len == 4) ||
                   (c == 0xEF && len == 3 && (unsigned char)s.p[st + 1] == 0xB8) ||
                   (c == 0xC2 && len == 2 && (unsigned char)s.p[st + 1] == 0xA0);
        if (!sym)
            return s;
        s.n = st;
    }
}

static rp_span strip_ui(rp_span s)
{
    return rskip_ui_symbols(skip_ui_symbols(s));
}

/* Next space-separated word of s starting at *i. */
static bool next_word(rp_span s, size_t *i, rp_span *w)
{
    while (*i < s.n && is_space((unsigned char)s.p[*i]))
        (*i)++;
    if (*i >= s.n)
        return false;
    size_t st = *i;
    while (*i < s.n && !is_space((unsigned char)s.p[*i]))
        (*i)++;
    *w = rp_span_make(s.p + st, *i - st);
    return true;
}

/* ------------------------------------------------------------ time stamps */

/* Parse digits: at least lo, at most hi of them. */
static bool digits(const char *p, size_t n, size_t *i, size_t lo, size_t hi)
{
    size_t st = *i;
    while (*i < n && *i - st < hi && is_digit((unsigned char)p[*i]))
        (*i)++;
    return *i - st >= lo;
}

static bool parse_clock(const char *p, size_t n, size_t *i)
{
    size_t j = *i;
    if (!digits(p, n, &j, 1, 2) || j >= n || p[j] != ':')
        return false;
    j++;
    if (!digits(p, n, &j, 2, 2))
        return false;
    if (j < n && p[j] == ':') {
        j++;
        if (!digits(p, n, &j, 2, 2))
            return false;
    }
    size_t k = j;
    while (k < n && (p[k] == ' ' || (unsigned char)p[k] == 0xE2))
        k += (unsigned char)p[k] == 0xE2 ? 3 : 1; /* narrow no-break space */
    if (k + 1 < n + 1 && k + 2 <= n &&
        (lower(p[k]) == 'a' || lower(p[k]) == 'p') && lower(p[k + 1]) == 'm') {
        j = k + 2;
    }
    *i = j;
    return true;
}

static const char *const months[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                     "jul", "aug", "sep", "oct", "nov", "dec"};

static bool parse_date(const char *p, size_t n, size_t *i)
{
    size_t j = *i;
    /* 12/9/2025, 2025-12-09, 9.12.2025 */
    if (digits(p, n, &j, 1, 4) && j < n && (p[j] == '/' || p[j] == '-' || p[j] == '.')) {
        char sep = p[j++];
        if (!digits(p, n, &j, 1, 2) || j >= n || p[j] != sep)
            return false;
        j++;
        if (!digits(p, n, &j, 2, 4))
            return false;
        *i = j;
        return true;
    }
    /* Dec 9, 2025 */
    j = *i;
    if (j + 3 <= n) {
        for (size_t m = 0; m < 12; m++) {
            if (istarts(p + j, n - j, months[m])) {
                j += 3;
                while (j < n && is_alpha((unsigned char)p[j]))
                    j++;
                if (j < n && p[j] == '.')
                    j++;
                while (j < n && p[j] == ' ')
                    j++;
                if (!digits(p, n, &j, 1, 2))
                    return false;
                if (j < n && p[j] == ',')
                    j++;
                while (j < n && p[j] == ' ')
                    j++;
                digits(p, n, &j, 4, 4);
                *i = j;
                return true;
            }
        }
    }
    return false;
}

bool ct_is_time(rp_span s)
{
    s = rp_span_trim(s);
    const char *p = s.p;
    size_t n = s.n, i = 0;
    if (n < 4 || n > 40)
        return false;
    if (istarts(p, n, "today") || istarts(p, n, "yesterday")) {
        i = p[0] == 't' || p[0] == 'T' ? 5 : 9;
        while (i < n && (p[i] == ',' || p[i] == ' '))
            i++;
        if (i + 3 <= n && istarts(p + i, n - i, "at "))
            i += 3;
        if (!parse_clock(p, n, &i))
            return false;
        while (i < n && p[i] == ' ')
            i++;
        return i == n;
    }
    size_t save = i;
    if (parse_date(p, n, &i)) {
        if (i < n && p[i] == 'T' && i + 1 < n && is_digit((unsigned char)p[i + 1])) {
            /* ISO 8601: 2025-12-09T21:16:38Z */
            i++;
            if (!parse_clock(p, n, &i))
                return false;
            if (i < n && p[i] == '.')
                for (i++; i < n && is_digit((unsigned char)p[i]); i++)
                    ;
            if (i < n && (p[i] == 'Z' || p[i] == 'z'))
                i++;
            return i == n;
        }
        while (i < n && (p[i] == ',' || p[i] == ' '))
            i++;
        if (i + 3 <= n && istarts(p + i, n - i, "at "))
            i += 3;
        if (i == n)
            return true; /* a date alone */
    } else {
        i = save;
    }
    if (!parse_clock(p, n, &i))
        return false;
    while (i < n && p[i] == ' ')
        i++;
    return i == n;
}

/* ------------------------------------------------------------ model names */

bool ct_is_model_word(rp_span w)
{
    return rp_model_word(w.p, w.n);
}

/* Is every word after the first a version word or number? */
static bool version_tail(rp_span s, size_t i)
{
    rp_span w;
    int k = 0;
    while (next_word(s, &i, &w)) {
        if (++k > 3)
            return false;
        bool ok = false;
        for (size_t j = 0; j < w.n; j++)
            if (is_digit((unsigned char)w.p[j]))
                ok = true;
        if (!ok && rp_model_suffix(w.p, w.n))
            ok = true;
        if (!ok)
            return false;
    }
    return true;
}

/* A model selector or a truncated model name: "n3-Max", "□ n3-Max ⌄ Qwen". */
static bool is_selector(rp_span raw, rp_span s)
{
    if (s.n == 0 || s.n > 40)
        return false;
    bool symbols = raw.n != s.n;
    size_t i = 0;
    rp_span w;
    if (!next_word(s, &i, &w))
        return false;
    /* a token shaped like a model version: letters/digits with a digit and
     * a dash ("n3-Max", "4o-mini") */
    bool digit = false, dash = false, other = false;
    for (size_t j = 0; j < w.n; j++) {
        unsigned char c = (unsigned char)w.p[j];
        if (is_digit(c))
            digit = true;
        else if (c == '-')
            dash = true;
        else if (!is_alpha(c) && c != '.')
            other = true;
    }
    if (!(digit && dash && !other))
        return false;
    /* the part after the last dash is a word ("Max", "mini"), not a number */
    size_t ld = w.n;
    while (ld > 0 && w.p[ld - 1] != '-')
        ld--;
    if (ld == w.n || !is_alpha((unsigned char)w.p[ld]))
        return false;
    for (size_t j = ld; j < w.n; j++)
        if (!is_alpha((unsigned char)w.p[j]))
            return false;
    if (ct_is_model_word(w) && !symbols) {
        /* a full model name without UI symbols is a header, not a selector */
        return false;
    }
    /* the rest: UI words, a family name, symbols */
    int more = 0;
    while (next_word(s, &i, &w)) {
        if (w.n > 12 || ++more > 3)
            return false;
        for (size_t j = 0; j < w.n; j++)
            if (w.p[j] == '$' || w.p[j] == '\\' || w.p[j] == '=')
                return false;
    }
    return true;
}

/* ------------------------------------------------------------ chrome */

static const char *const menu_words[] = {
    "image", "edit", "web", "dev", "generation", "video", "artifacts", "thinking",
    "search", "deep", "research", "canvas", "tools", "attach", "voice", NULL};

static bool is_menu_word(rp_span w)
{
    for (size_t i = 0; menu_words[i]; i++)
        if (ieq(w.p, w.n, menu_words[i]))
            return true;
    return false;
}

/* A line of input-bar or menu words ("Image Edit Web Dev", "Thinking",
 * "Search", "image Edit"). */
static bool is_menu_line(rp_span s)
{
    size_t i = 0;
    rp_span w;
    int k = 0;
    while (next_word(s, &i, &w)) {
        rp_span t = strip_ui(w);
        if (t.n == 0)
            continue;
        if (!is_menu_word(t))
            return false;
        k++;
    }
    return k > 0;
}

/* Exact chrome lines (compared case-insensitively after UI symbols are
 * stripped).  Break: UI around the message list, seen at screenshot edges. */
static const char *const break_lines[] = {
    "ask anything", "message chatgpt", "send a message", "new chat",
    "skip to content", "open sidebar", "log in", "sign up",
    "upgrade plan", "z", NULL};

/* Buttons under a message: its end. */
static const char *const action_lines[] = {
    "copy", "edit", "retry", "regenerate", "like", "dislike", "read aloud",
    "good response", "bad response", "share", NULL};

static const char *const chrome_lines[] = {
    "copy code", "sources", "searched the web", "memory updated", "updated saved memory",
    "answer in chat instead",
    "edit message", "show more", "show less", "open in canvas", "stopped thinking",
    "thinking...", "thinking\xe2\x80\xa6", "done", "+", "-",
    "- +", "+ -", "-+", "v", "pdf", "image", NULL};

static bool in_list(rp_span s, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (ieq(s.p, s.n, list[i]))
            return true;
    return false;
}

/* "Thought for 12s", "Thinking completed · 81,920 tokens budget",
 * "Reasoned for 8 seconds". */
static bool is_thinking_status(rp_span s)
{
    if (s.n > 80)
        return false;
    if (ieq(s.p, s.n, "show thinking"))
        return true;
    if (istarts(s.p, s.n, "thought for ") || istarts(s.p, s.n, "reasoned for ") ||
        istarts(s.p, s.n, "thinking completed") || istarts(s.p, s.n, "thought about ") ||
        istarts(s.p, s.n, "thinking for "))
        return true;
    return false;
}

/* A greeting in the input box: "What can I help you today?", its OCR
 * variants, "How can I help you?". */
static bool is_greeting(rp_span s)
{
    if (s.n > 40)
        return false;
    return iends(s.p, s.n, "help you today?") || iends(s.p, s.n, "help you today") ||
           iends(s.p, s.n, "can i help you?") || iends(s.p, s.n, "help with?") ||
           iends(s.p, s.n, "help you with today?");
}

static bool is_disclaimer(rp_span s)
{
    if (s.n > 110)
        return false;
    for (size_t i = 0; i + 16 <= s.n; i++) {
        char ch = lower(s.p[i]);
        if (ch != 'c' && ch != 'm')
            continue;
        if (istarts(s.p + i, s.n - i, "can make mistakes") ||
            istarts(s.p + i, s.n - i, "may not be accurate") ||
            istarts(s.p + i, s.n - i, "may display inaccurate"))
            return true;
    }
    return false;
}

/* An attachment chip: "hw4.pdf", "290.5 KB". */
static bool is_attachment(rp_span s)
{
    if (s.n == 0 || s.n > 80)
        return false;
    /* a size */
    size_t i = 0;
    while (i < s.n && (is_digit((unsigned char)s.p[i]) || s.p[i] == '.' || s.p[i] == ','))
        i++;
    if (i > 0) {
        size_t j = i;
        while (j < s.n && s.p[j] == ' ')
            j++;
        rp_span u = rp_span_make(s.p + j, s.n - j);
        if (ieq(u.p, u.n, "kb") || ieq(u.p, u.n, "mb") || ieq(u.p, u.n, "bytes") ||
            ieq(u.p, u.n, "b") || ieq(u.p, u.n, "gb"))
            return true;
    }
    /* a file name: one token with a known extension */
    for (size_t k = 0; k < s.n; k++)
        if (s.p[k] == ' ')
            return false;
    static const char *const ext[] = {".pdf", ".png", ".jpg", ".jpeg", ".gif", ".webp",
                                      ".docx", ".doc", ".pptx", ".xlsx", ".csv",
                                      ".txt", ".zip", ".ipynb", ".heic", NULL};
    for (size_t e = 0; ext[e]; e++)
        if (iends(s.p, s.n, ext[e]) && s.n > strlen(ext[e]))
            return true;
    return false;
}

/* Only ellipsis characters: "...", "…", "• • •", "· · ·". */
static bool is_ellipsis(rp_span s)
{
    if (s.n == 0 || s.n > 24)
        return false;
    size_t i = 0, dots = 0;
    while (i < s.n) {
        unsigned char c = (unsigned char)s.p[i];
        if (c == '.') {
            dots++;
            i++;
        } else if (c == ' ') {
            i++;
        } else if (i + 3 <= s.n && c == 0xE2 && (unsigned char)s.p[i + 1] == 0x80 &&
                   ((unsigned char)s.p[i + 2] == 0xA6 || (unsigned char)s.p[i + 2] == 0xA2)) {
            dots += 3; /* … or • */
            i += 3;
        } else if (i + 2 <= s.n && c == 0xC2 && (unsigned char)s.p[i + 1] == 0xB7) {
            dots++; /* · */
            i += 2;
        } else {
            return false;
        }
    }
    return dots >= 3;
}

/* Reaction buttons: thumbs, or a short line of pictographs with "...". */
static bool is_reaction_bar(rp_span raw)
{
    if (raw.n > 80)
        return false;
    for (size_t i = 0; i + 4 <= raw.n; i++) {
        const unsigned char *u = (const unsigned char *)raw.p + i;
        if (u[0] == 0xF0 && u[1] == 0x9F && u[2] == 0x91 && (u[3] == 0x8D || u[3] == 0x8E))
            return true; /* thumbs up / down */
    }
    return false;
}

/* A line with no letter or digit and nothing that math or tables use:
 * lone arrows, boxes, "+", "- +". */
static bool is_symbol_only(rp_span s)
{
    if (s.n == 0 || s.n > 24)
        return false;
    for (size_t i = 0; i < s.n; i++) {
        unsigned char c = (unsigned char)s.p[i];
        if (is_alnum(c) || (c < 0x80 && strchr("$\\=|{}[]()^_<>*#`'\"", c)))
            return false;
    }
    return true;
}

/* ------------------------------------------------------------ headers */

/* user labels and model labels before a colon */
static const char *const user_labels[] = {"you", "user", "me", "human", "student", "prompt", NULL};
static const char *const model_labels[] = {"assistant", "ai", "model", "bot", "response", NULL};

static int label_role(rp_span w)
{
    if (in_list(w, user_labels))
        return RP_ROLE_USER;
    if (in_list(w, model_labels) || ct_is_model_word(w))
        return RP_ROLE_MODEL;
    return -1;
}

static bool try_header(rp_span s, ct_line *out, rp_span *rest)
{
    /* strip markdown emphasis and heading marks around a label */
    rp_span t = s;
    while (t.n && (t.p[0] == '#' || t.p[0] == '*' || t.p[0] == ' ')) {
        t.p++;
        t.n--;
    }
    /* "X said:" */
    size_t colon = 0;
    while (colon < t.n && colon < 40 && t.p[colon] != ':')
        colon++;
    bool clock = colon < t.n && colon > 0 && t.p[colon] == ':' && colon + 1 < t.n &&
                 is_digit((unsigned char)t.p[colon + 1]) && is_digit((unsigned char)t.p[colon - 1]);
    if (colon < t.n && t.p[colon] == ':' && colon > 0 && !clock) {
        rp_span lab = rp_span_trim(rp_span_make(t.p, colon));
        while (lab.n && lab.p[lab.n - 1] == '*')
            lab.n--;
        rp_span after = rp_span_make(t.p + colon + 1, t.n - colon - 1);
        while (after.n && after.p[0] == '*') {
            after.p++;
            after.n--;
        }
        after = rp_span_trim(after);
        int role = -1;
        rp_span name = rp_span_make(NULL, 0);
        if (iends(lab.p, lab.n, " said")) {
            rp_span who = rp_span_trim(rp_span_make(lab.p, lab.n - 5));
            if (who.n && who.n <= 30) {
                role = ieq(who.p, who.n, "you") ? RP_ROLE_USER : RP_ROLE_MODEL;
                if (role == RP_ROLE_MODEL)
                    name = who;
            }
        } else {
            /* a single word (or a model name with version words) */
            size_t i = 0;
            rp_span w;
            if (next_word(lab, &i, &w) && (i == lab.n || version_tail(lab, i))) {
                role = label_role(w);
                if (role == RP_ROLE_MODEL && (ct_is_model_word(w) || ieq(w.p, w.n, "chatgpt")))
                    name = lab;
            }
        }
        if (role >= 0) {
            out->kind = CT_HEADER;
            out->role = role;
            out->name = name;
            *rest = after;
            return true;
        }
    }
    /* "You" / "ChatGPT" alone, or "<model name>[ time]" */
    rp_span st = strip_ui(t);
    if (st.n == 0 || st.n > 60)
        return false;
    if (ieq(st.p, st.n, "you") || ieq(st.p, st.n, "you said")) {
        out->kind = CT_HEADER;
        out->role = RP_ROLE_USER;
        return true;
    }
    if (iends(st.p, st.n, " said") && st.n <= 30) {
        /* "Gemini said" without a colon */
        rp_span who = rp_span_make(st.p, st.n - 5);
        size_t wi = 0;
        rp_span w0;
        if (next_word(who, &wi, &w0) && (ct_is_model_word(w0) || ieq(w0.p, w0.n, "chatgpt")) &&
            version_tail(who, wi)) {
            out->kind = CT_HEADER;
            out->role = RP_ROLE_MODEL;
            out->name = rp_span_trim(who);
            return true;
        }
    }
    size_t i = 0;
    rp_span w;
    if (!next_word(st, &i, &w))
        return false;
    if (!ct_is_model_word(w)) {
        /* "You 10:02 AM", or an unknown model id with a time: "Nova-2 10:00 AM" */
        rp_span tail = rp_span_trim(rp_span_make(st.p + i, st.n - i));
        if (!ct_is_time(tail) || !is_alpha((unsigned char)w.p[0]))
            return false;
        bool id = false;
        for (size_t j = 0; j < w.n; j++)
            if (is_digit((unsigned char)w.p[j]) || w.p[j] == '-')
                id = true;
        bool you = ieq(w.p, w.n, "you") || ieq(w.p, w.n, "me") || ieq(w.p, w.n, "user");
        if (!id && !you)
            return false;
        out->kind = CT_HEADER;
        out->role = you ? RP_ROLE_USER : RP_ROLE_MODEL;
        out->time = tail;
        if (!you)
            out->name = w;
        return true;
    }
    /* the name runs until a time stamp or the end */
    size_t name_end = w.n;
    size_t j = i;
    rp_span v;
    while (next_word(st, &j, &v)) {
        rp_span tail = rp_span_make(v.p, (size_t)(st.p + st.n - v.p));
        if (ct_is_time(tail)) {
            out->time = rp_span_trim(tail);
            break;
        }
        if (!version_tail(v, 0))
            return false;
        name_end = (size_t)(v.p + v.n - st.p);
    }
    out->kind = CT_HEADER;
    out->role = RP_ROLE_MODEL;
    out->name = rp_span_make(st.p, name_end);
    return true;
}

/* ------------------------------------------------------------ classify */

void ct_classify(const char *p, size_t n, ct_line *out, rp_span *rest)
{
    while (n && is_space((unsigned char)p[n - 1]))
        n--;
    memset(out, 0, sizeof *out);
    out->p = p;
    out->n = n;
    out->role = -1;
    rest->p = NULL;
    rest->n = 0;
    rp_span raw = rp_span_trim(rp_span_make(p, n));
    if (raw.n == 0) {
        out->kind = CT_BLANK;
        return;
    }
    rp_span s = strip_ui(raw);
    if (s.n == 0) {
        out->kind = CT_CHROME;
        return;
    }
    if (is_reaction_bar(raw) || in_list(s, action_lines)) {
        out->kind = CT_END;
        return;
    }
    if (is_ellipsis(s)) {
        out->kind = CT_END; /* the caller demotes it when no text precedes */
        return;
    }
    if (ct_is_time(s)) {
        out->kind = CT_TIME;
        out->time = s;
        return;
    }
    if (is_disclaimer(s)) {
        /* "Claude can make mistakes…": the model's name */
        size_t i = 0;
        rp_span w;
        if (next_word(s, &i, &w) && (ct_is_model_word(w) || ieq(w.p, w.n, "chatgpt")))
            out->name = w;
        out->kind = CT_BREAK;
        return;
    }
    if (is_menu_line(s) || in_list(s, break_lines) || is_greeting(s) || is_selector(raw, s)) {
        /* "Thinking" alone is the input bar's toggle */
        out->kind = CT_BREAK;
        return;
    }
    if (s.n == 1 && is_alpha((unsigned char)s.p[0])) {
        out->kind = CT_CHROME; /* an avatar's initial */
        return;
    }
    if (is_thinking_status(s)) {
        out->kind = CT_THINK;
        return;
    }
    if (in_list(s, chrome_lines) || is_attachment(s) ||
        is_symbol_only(raw)) {
        out->kind = CT_CHROME;
        return;
    }
    if (raw.n <= 80 && try_header(raw, out, rest))
        return;
    if (raw.n > 80 && try_header(rp_span_make(raw.p, 80), out, rest)) {
        /* a long line that starts with a label: the rest is its text */
        if (out->kind == CT_HEADER && rest->n) {
            rest->n = (size_t)(raw.p + raw.n - rest->p);
            return;
        }
        memset(out, 0, sizeof *out);
        out->p = p;
        out->n = n;
        out->role = -1;
        rest->n = 0;
    }
    out->kind = CT_TEXT;
}

/* ------------------------------------------------- code-block headers */

/* A language label above a pasted code block: one short token of
 * letters, digits and "+#.-_" ("python", "c++", "latex"). */
static bool is_lang_label(rp_span s)
{
    if (s.n == 0 || s.n > 24)
        return false;
    for (size_t i = 0; i < s.n; i++) {
        unsigned char c = (unsigned char)s.p[i];
        if (!is_alnum(c) && !strchr("+#.-_", c))
            return false;
    }
    return is_alpha((unsigned char)s.p[0]);
}

/* "k/n" with 1 <= k <= n < 100: a branch counter under an edited prompt. */
static bool is_counter(rp_span s)
{
    size_t i = 0;
    unsigned a = 0, b = 0;
    while (i < s.n && i < 2 && is_digit((unsigned char)s.p[i]))
        a = a * 10 + (unsigned)(s.p[i++] - '0');
    if (!i || i >= s.n || s.p[i] != '/')
        return false;
    size_t j = ++i;
    while (i < s.n && i - j < 2 && is_digit((unsigned char)s.p[i]))
        b = b * 10 + (unsigned)(s.p[i++] - '0');
    return i == s.n && i > j && a >= 1 && a <= b;
}

static rp_span line_span(const ct_line *l)
{
    return strip_ui(rp_span_trim(rp_span_make(l->p, l->n)));
}

void ct_mark_page_chrome(ct_line *lines, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        ct_line *l = &lines[k];
        if (l->code || (l->kind != CT_END && l->kind != CT_CHROME && l->kind != CT_TEXT))
            continue;
        rp_span s = line_span(l);
        /* A code block's header: the language, then "Copy" and "Edit" (or
         * "Copy code"), with the code right below, no blank line between.
         * The same buttons under a message stand before a blank line. */
        if (ieq(s.p, s.n, "copy") || ieq(s.p, s.n, "copy code")) {
            size_t j = k + 1;
            if (j < n && lines[j].kind != CT_BLANK && ieq(line_span(&lines[j]).p,
                                                         line_span(&lines[j]).n, "edit"))
                j++;
            if (j >= n || lines[j].kind != CT_TEXT)
                continue;
            for (size_t m = k; m < j; m++)
                lines[m].kind = CT_CHROME;
            if (k > 0 && lines[k - 1].kind == CT_TEXT && is_lang_label(line_span(&lines[k - 1])))
                lines[k - 1].kind = CT_CHROME;
            k = j - 1;
            continue;
        }
        /* "2/2" (with or without arrows) right above or below a role
         * header: the counter of an edited prompt's versions.  A bare
         * fraction elsewhere may be an answer and stays. */
        if (l->kind == CT_TEXT && is_counter(s)) {
            size_t a = k, b = k + 1;
            while (a > 0 && lines[a - 1].kind == CT_BLANK)
                a--;
            while (b < n && lines[b].kind == CT_BLANK)
                b++;
            if ((a > 0 && lines[a - 1].kind == CT_HEADER) || (b < n && lines[b].kind == CT_HEADER))
                l->kind = CT_CHROME;
        }
    }
}
