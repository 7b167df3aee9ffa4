/*
 * Paragraph scores for the chat-UI text reader.
 *
 * ct_note_score() measures how much a paragraph reads like the annotator's
 * remark about the model rather than part of the conversation: the model
 * as a third-person subject ("The model gets…", "Qwen one shots…",
 * "Claude is able…"), the student's first person describing the process
 * ("I try to nudge…", "Now I decide…", "At this point I…"), verdicts
 * ("One-shot success.", "Correctly derived…", "Recognized …"), and remarks
 * about feelings ("I find this very useful").  Second person ("you",
 * "your"), the model's own voice ("I'll", "Let me", "Wait"), display math
 * and long bodies count against.
 *
 * ct_role_score() tells the user's voice (requests, corrections, pasted
 * problem statements) from the model's (openings such as "I'll work
 * through", "You're right!", answers).  Both are linear in the paragraph.
 */
#include "chat_text_int.h"

#include <string.h>

#define MAX_WORDS 48 /* words of a sentence looked at */

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool is_wordch(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '\'' || c == '-' || c >= 0x80;
}

/* A word: a view plus its lowered ASCII copy (truncated to 23 bytes). */
typedef struct word {
    rp_span s;
    char lw[24];
} word;

static bool weq(const word *w, const char *lit)
{
    return strcmp(w->lw, lit) == 0;
}

static bool win(const word *w, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(w->lw, list[i]) == 0)
            return true;
    return false;
}

static bool ends_with(const word *w, const char *suf)
{
    size_t n = strlen(w->lw), m = strlen(suf);
    return n > m && strcmp(w->lw + n - m, suf) == 0;
}

/* Split s into words (letters, digits, apostrophes, hyphens; curly
 * apostrophes count).  Returns the number stored (at most max). */
static size_t split_words(const char *p, size_t n, word *out, size_t max)
{
    size_t k = 0, i = 0;
    while (i < n && k < max) {
        while (i < n && !is_wordch((unsigned char)p[i]))
            i++;
        if (i >= n)
            break;
        size_t st = i;
        while (i < n && is_wordch((unsigned char)p[i]))
            i++;
        word *w = &out[k];
        w->s = rp_span_make(p + st, i - st);
        size_t m = 0;
        for (size_t j = st; j < i && m < sizeof w->lw - 1; j++) {
            unsigned char c = (unsigned char)p[j];
            if (c == 0xE2 && j + 2 < i && (unsigned char)p[j + 1] == 0x80 &&
                (unsigned char)p[j + 2] == 0x99) {
                w->lw[m++] = '\''; /* ’ */
                j += 2;
            } else if (c < 0x80) {
                w->lw[m++] = lower((char)c);
            }
        }
        w->lw[m] = '\0';
        /* strip a trailing hyphen or apostrophe */
        while (m && (w->lw[m - 1] == '-' || w->lw[m - 1] == '\''))
            w->lw[--m] = '\0';
        if (m)
            k++;
    }
    return k;
}

/* ----------------------------------------------------------- word lists */

static const char *const model_nouns[] = {"model", "llm", "ai", "assistant", "chatbot", "bot", NULL};

static const char *const verbish[] = {
    "is", "was", "does", "did", "doesn't", "didn't", "has", "had", "can", "can't",
    "could", "couldn't", "still", "now", "eventually", "also", "never", "then",
    "initially", "finally", "correctly", "incorrectly", "again", "one", "just",
    "really", "clearly", "seems", "gets", "got", "makes", "made", "fails", "failed",
    "isn't", "wasn't", "keeps", "kept", "struggles", "struggled", "arrives", "realizes",
    "understood", "understands", "immediately", "quickly", "actually", "nearly",
    "almost", "successfully", "would", "should", "will", NULL};

static const char *const eval_words[] = {
    "answer", "answers", "correct", "correctly", "right", "wrong", "incorrect",
    "incorrectly", "solution", "solutions", "mistake", "mistakes", "error", "errors",
    "struggle", "struggled", "struggles", "fail", "fails", "failed", "arrives",
    "arrived", "understand", "understands", "understood", "challenging", "difficult",
    "nudge", "nudged", "hint", "correction", "here", "success", "succeeds",
    "interventions", "confused", "hallucination", "mistaken", "idea", NULL};

/* first-person verbs of a student describing their process */
static const char *const student_strong[] = {
    "try", "tried", "decide", "decided", "attempt", "attempted", "nudge", "nudged",
    "told", "probe", "probed", "figure", "figured", "prompted", "reprompted", NULL};
static const char *const student_verbs[] = {
    "ask", "asked", "tell", "send", "sent", "point", "found", "find", "wish", "want",
    "wanted", "start", "started", "give", "gave", "later", "noticed", "notice",
    "realized", "think", "thought", "believe", "feel", "felt", "expected", "suspect",
    "guess", "copied", "pasted", "uploaded", "reran", "retried", "switched", "hoped",
    "correct", "corrected", "move", "moved", "can", "would", "don't", "didn't",
    "am", "was", "also", "then", "first", NULL};

/* openers of the model's (or an explanation's) voice */
static const char *const voice_openers[] = {
    "i'll", "i'm", "i've", "i'd", "let", "let's", "wait", "hmm", "ah", "actually",
    "therefore", "thus", "hence", "yes", "here's", "we", "answer", "step", "okay",
    "ok", "sure", "certainly", "great", "you're", "so", "since", NULL};


static const char *const past_evals[] = {
    "recognized", "recognised", "identified", "derived", "converted", "explained",
    "noted", "understood", "realized", "realised", "missed", "failed", "forgot",
    "struggled", "confused", "corrected", "related", "computed", "showed", "described",
    "applied", "handled", "solved", "answered", "arrived", "misread", "overlooked",
    "ignored", "neglected", "repeated", "doubled", "nailed", "got", "gave", "used",
    "demonstrated", "recovered", "matched", NULL};

static const char *const present_evals[] = {
    "describes", "gives", "provides", "explains", "shows", "gets", "fails",
    "struggles", "misses", "forgets", "confuses", "repeats", "keeps", "arrives",
    "nails", "handles", "recognizes", NULL};

static const char *const feelings[] = {
    "useful", "interesting", "helpful", "nice", "impressive", "impressed",
    "impressively", "frustrating", "surprised", "surprising", "disappointing",
    "annoying", "glad", "happy", "amazing", NULL};

static const char *const you_words[] = {
    "you", "your", "you're", "you've", "you'll", "yourself", "you'd", "yours", NULL};

static const char *const adverbs_ly[] = {
    "correctly", "incorrectly", "successfully", "wrongly", "properly", "accurately",
    "mistakenly", "cleanly", "quickly", "finally", NULL};

/* Is w a model's name for this transcript (its family or short name)? */
static bool is_model_name(const ct_ctx *c, const word *w)
{
    if (ct_is_model_word(w->s))
        return true;
    if (c && c->model_short.n && c->model_short.n == strlen(w->lw)) {
        for (size_t i = 0; i < c->model_short.n; i++)
            if (lower(c->model_short.p[i]) != w->lw[i])
                return false;
        return true;
    }
    return false;
}

/* Score of one sentence of k words; first: the paragraph's first sentence. */
static double sentence_score(const ct_ctx *c, const word *w, size_t k, bool first,
                             bool *has_you)
{
    if (k == 0)
        return 0;
    double s = 0;
    size_t st = 0;
    /* numbering ("1", "2") before a recap item */
    if (first && k > 1 && w[0].lw[0] >= '0' && w[0].lw[0] <= '9' && strlen(w[0].lw) <= 2)
        st = 1;
    const word *w0 = &w[st];
    size_t kk = k - st;

    bool eval = false;
    for (size_t i = st; i < k; i++) {
        if (win(&w[i], you_words))
            *has_you = true;
        if (win(&w[i], eval_words))
            eval = true;
    }
    if (win(w0, voice_openers))
        s -= 3;

    double best = 0;
    for (size_t i = st; i < k; i++) {
        const word *x = &w[i];
        /* "the model" / "this model" */
        if ((weq(x, "the") || weq(x, "this")) && i + 1 < k && win(&w[i + 1], model_nouns)) {
            bool verb = i + 2 < k && (win(&w[i + 2], verbish) || ends_with(&w[i + 2], "s") ||
                                      ends_with(&w[i + 2], "ed"));
            double v = verb && eval ? 3 : (eval ? 2 : 1);
            if (i == st && verb)
                v = eval ? 3.5 : 2;
            if (v > best)
                best = v;
        }
        /* a model family named in the third person */
        if (is_model_name(c, x)) {
            bool verb = i + 1 < k && (win(&w[i + 1], verbish) || ends_with(&w[i + 1], "s") ||
                                      ends_with(&w[i + 1], "ed"));
            double v = verb ? 3 : 2;
            if (v > best)
                best = v;
        }
        /* the student's first person */
        if (weq(x, "i") && i + 1 < k) {
            double v = 0;
            if (win(&w[i + 1], student_strong))
                v = 3;
            else if (win(&w[i + 1], student_verbs))
                v = 2;
            else if (weq(&w[i + 1], "had") && i + 2 < k && weq(&w[i + 2], "hoped"))
                v = 3;
            if (v > 0) {
                /* the model referred to in the third person in the sentence */
                for (size_t j = st; j < k; j++)
                    if (is_model_name(c, &w[j]) ||
                        ((weq(&w[j], "the")) && j + 1 < k && win(&w[j + 1], model_nouns)))
                        v += 1;
                if (v > best)
                    best = v;
            }
        }
        /* "at this point(,) I", "in the next chat" */
        if (i == st && weq(x, "at") && i + 2 < k && weq(&w[i + 1], "this") &&
            weq(&w[i + 2], "point")) {
            for (size_t j = i + 3; j < k; j++)
                if (weq(&w[j], "i") && 3 > best)
                    best = 3;
        }
        if (i == st && weq(x, "in") && i + 3 < k && weq(&w[i + 1], "the") &&
            (weq(&w[i + 2], "next") || weq(&w[i + 2], "following")) &&
            (weq(&w[i + 3], "chat") || weq(&w[i + 3], "prompt") || weq(&w[i + 3], "message") ||
             weq(&w[i + 3], "turn")) && 3 > best)
            best = 3;
        /* "one-shot", "one shots" */
        if (weq(x, "one-shot") || weq(x, "one-shots") || weq(x, "one-shotted") ||
            weq(x, "oneshot") ||
            (weq(x, "one") && i + 1 < k &&
             (weq(&w[i + 1], "shot") || weq(&w[i + 1], "shots") || weq(&w[i + 1], "shotted")))) {
            double v = 3;
            size_t nx = weq(x, "one") ? i + 2 : i + 1;
            if (nx < k && weq(&w[nx], "success"))
                v = 4;
            if (v > best)
                best = v;
        }
        if (win(x, feelings)) {
            double v = weq(x, "impressive") || weq(x, "impressively") || weq(x, "impressed") ? 2 : 1;
            s += v;
        }
        /* "as someone who", "I would have liked", "nice to see", "I wish" */
        if (weq(x, "someone") && i > 0 && weq(&w[i - 1], "as") && 2 > best)
            best = 2;
        /* "the/official/homework solutions", "answer key" */
        if ((weq(x, "solutions") && i > 0 &&
             (weq(&w[i - 1], "the") || weq(&w[i - 1], "homework") || weq(&w[i - 1], "official"))) ||
            (weq(x, "key") && i > 0 && weq(&w[i - 1], "answer")))
            s += 1.5;
        /* "its answer", "its first pass" */
        if (weq(x, "its") && i + 1 < k &&
            (weq(&w[i + 1], "answer") || weq(&w[i + 1], "solution") || weq(&w[i + 1], "first") ||
             weq(&w[i + 1], "final") || weq(&w[i + 1], "thinking") || weq(&w[i + 1], "reasoning") ||
             weq(&w[i + 1], "computations") || weq(&w[i + 1], "mistake")))
            s += 1.5;
    }
    /* subjectless verdicts: "Correctly derived …", "Recognized …" */
    if (kk >= 2 && win(w0, adverbs_ly) && ends_with(&w[st + 1], "ed") && 3 > best)
        best = 3;
    if (first && win(w0, past_evals) && w0->s.p[0] >= 'A' && w0->s.p[0] <= 'Z' && 2 > best)
        best = 2;
    if (first && st == 0 && win(w0, present_evals) && w0->s.p[0] >= 'A' && w0->s.p[0] <= 'Z' &&
        1.5 > best)
        best = 1.5;
    return s + best;
}

/* Ends of sentences: ". ", "! ", "? ", newline. */
static size_t sentence_end(const char *p, size_t n, size_t i)
{
    while (i < n) {
        char ch = p[i];
        if (ch == '\n')
            return i + 1;
        if ((ch == '.' || ch == '!' || ch == '?') && (i + 1 == n || p[i + 1] == ' ' || p[i + 1] == '\n')) {
            /* not after the number of a list item ("2. Related …") */
            size_t d = i;
            while (d > 0 && p[d - 1] >= '0' && p[d - 1] <= '9' && i - d < 3)
                d--;
            bool item = ch == '.' && d < i;
            for (size_t q = d; item && q > 0 && p[q - 1] != '\n'; q--)
                if (p[q - 1] != ' ' && p[q - 1] != '\t')
                    item = false;
            if (!item)
                return i + 1;
        }
        i++;
    }
    return n;
}

double ct_note_score(const ct_ctx *c, const char *text, size_t n)
{
    double par = 0;
    size_t lines = 1;
    bool dollars2 = false;
    for (size_t i = 0; i < n; i++) {
        if (text[i] == '\n')
            lines++;
        if (text[i] == '$' && i + 1 < n && text[i + 1] == '$')
            dollars2 = true;
    }
    if (dollars2)
        par -= 2;
    if (n > 900)
        par -= 2;
    if (lines > 8)
        par -= 1;
    size_t b = 0;
    while (b < n && (text[b] == ' ' || text[b] == '\t'))
        b++;
    if (b < n && (text[b] == '#' || text[b] == '|' || text[b] == '(' ||
                  (text[b] == '*' && b + 1 < n && text[b + 1] == '*') ||
                  (text[b] == '-' && b + 2 < n && text[b + 2] == '(')))
        par -= 2;

    bool has_you = false;
    double best = -1e9;
    size_t i = 0;
    bool first = true;
    int nsent = 0;
    while (i < n && nsent < 64) {
        size_t e = sentence_end(text, n, i);
        word w[MAX_WORDS];
        size_t k = split_words(text + i, e - i, w, MAX_WORDS);
        if (k) {
            double s = sentence_score(c, w, k, first, &has_you);
            if (s > best)
                best = s;
            first = false;
            nsent++;
        }
        i = e;
    }
    if (best < -1e8)
        return -5;
    if (has_you)
        par -= 3;
    return best + par;
}

/* --------------------------------------------------------- role voice */

static bool starts_words(const word *w, size_t k, const char *const *seq)
{
    size_t i = 0;
    for (; seq[i]; i++)
        if (i >= k || !weq(&w[i], seq[i]))
            return false;
    return true;
}

typedef struct opener {
    const char *w[5];
    double v; /* > 0 model, < 0 user */
} opener;

static const opener openers[] = {
    {{"i'll"}, 4}, {{"i", "will", "work"}, 4}, {{"let", "me"}, 4},
    {{"you're", "right"}, 4}, {{"you're", "absolutely"}, 4}, {{"you", "are", "right"}, 4},
    {{"you", "are", "absolutely"}, 4}, {{"ah"}, 3}, {{"sure"}, 3}, {{"certainly"}, 3},
    {{"great", "question"}, 4}, {{"good", "catch"}, 4}, {{"i", "now", "understand"}, 4},
    {{"i", "need", "to"}, 3}, {{"i", "apologize"}, 4}, {{"here's"}, 2}, {{"looking", "at"}, 2},
    {{"wait"}, 3}, {{"hmm"}, 3}, {{"absolutely"}, 3}, {{"of", "course"}, 3},
    {{"i", "understand"}, 3}, {{"i", "see"}, 3}, {{"thank", "you", "for"}, 3},
    {{"thanks", "for", "the"}, 2}, {{"i'm", "still"}, 3}, {{"i", "made"}, 3},
    {{"my", "apologies"}, 4}, {{"part"}, 1}, {{"answer"}, 1.5}, {{"step"}, 1},
    {{"solutions", "to"}, 2}, {{"problem"}, 0.5}, {{"therefore"}, 1}, {{"so"}, 0.5},
    {{"this", "is", "consistent"}, 1}, {{"yes"}, 1},
    /* the user's voice */
    {{"here", "is", "problem"}, -4}, {{"here", "is", "question"}, -4},
    {{"here", "is", "the", "solution"}, -4}, {{"here", "is", "part"}, -4},
    {{"here's", "problem"}, -4}, {{"here's", "question"}, -4}, {{"can", "you"}, -4},
    {{"could", "you"}, -4}, {{"would", "you"}, -4}, {{"please"}, -4}, {{"redo"}, -4},
    {{"recheck"}, -4}, {{"reread"}, -4}, {{"remove"}, -3}, {{"try", "again"}, -4},
    {{"that's", "wrong"}, -4}, {{"that", "is", "wrong"}, -4}, {{"this", "is", "incorrect"}, -3},
    {{"this", "is", "still", "incorrect"}, -4}, {{"this", "is", "wrong"}, -3},
    {{"your"}, -4}, {{"for", "part"}, -2}, {{"aren't", "you"}, -4}, {{"are", "you"}, -4},
    {{"why"}, -2}, {{"great", "work"}, -4}, {{"good", "job"}, -4}, {{"nice", "work"}, -4},
    {{"thanks"}, -2}, {{"we", "now", "move"}, -4}, {{"lets", "move"}, -4},
    {{"let's", "move"}, -4}, {{"lets", "start"}, -4}, {{"let's", "start"}, -4},
    {{"let's", "go"}, -3}, {{"now", "do"}, -4}, {{"next"}, -2}, {{"you", "are", "an"}, -4},
    {{"you", "will"}, -4}, {{"solve"}, -4}, {{"what", "about"}, -4}, {{"how", "can", "i"}, -4},
    {{"how", "do", "i"}, -4}, {{"explain"}, -3}, {{"now", "solve"}, -4}, {{"continue"}, -3},
    {{"does", "this", "make"}, -4}, {{"do", "you"}, -4}, {{"hint"}, -2}, {{"note"}, -1},
    {{"assume"}, -1}, {{"consider"}, -1}, {{"derive"}, -2}, {{"compute"}, -1},
    {{"what", "is"}, -2}, {{"what", "should"}, -2}, {{"the", "last"}, -1},
    {{"only", "the"}, -1}, {{"i", "want", "you"}, -4}, {{"i", "will", "provide"}, -4},
    {{"i", "will", "give"}, -4}, {{"we", "are", "done"}, -4}, {{"ok", "now"}, -3},
    {{"okay", "now"}, -3}, {{"good"}, -1},
};

/* "3. Understanding Convolution as Finite Impulse Response Filter": a
 * numbered title line, as problem statements pasted by the user open. */
static bool heading_line(const char *text, size_t n)
{
    size_t i = 0;
    while (i < n && text[i] >= '0' && text[i] <= '9' && i < 3)
        i++;
    if (i == 0 || i + 2 >= n || text[i] != '.' || text[i + 1] != ' ')
        return false;
    if (!(text[i + 2] >= 'A' && text[i + 2] <= 'Z'))
        return false;
    size_t e = i;
    while (e < n && text[e] != '\n')
        e++;
    return e == n && e < 90 && text[e - 1] != '.' && text[e - 1] != ':' && text[e - 1] != '$';
}

/* A numbered display equation: "\quad (7)$$" as in a pasted assignment. */
static bool numbered_equation(const char *text, size_t n)
{
    for (size_t i = 0; i + 6 < n && i < 4000; i++) {
        if (text[i] == '\\' && strncmp(text + i, "\\quad (", 7) == 0) {
            size_t j = i + 7;
            while (j < n && text[j] >= '0' && text[j] <= '9')
                j++;
            if (j > i + 7 && j < n && text[j] == ')')
                return true;
        }
    }
    return false;
}

double ct_role_score(const char *text, size_t n)
{
    size_t b = 0;
    /* skip list markers and numbering of the first line */
    while (b < n && (text[b] == ' ' || text[b] == '-' || text[b] == '*' || text[b] == '+' ||
                     text[b] == '#' || text[b] == '>'))
        b++;
    word w[12];
    size_t e = sentence_end(text, n, b);
    size_t k = split_words(text + b, n - b, w, 12);
    double s = 0;
    for (size_t i = 0; i < sizeof openers / sizeof openers[0]; i++) {
        if (starts_words(w, k, openers[i].w)) {
            if (openers[i].v > 0 ? openers[i].v > s : openers[i].v < s)
                s = openers[i].v;
            if (openers[i].v <= -3 || openers[i].v >= 3)
                break;
        }
    }
    (void)e;
    /* second person and questions read as the user, in short paragraphs */
    bool you = false, q = false, disp = false, bold_q = false;
    size_t words_seen = 0;
    for (size_t i = 0; i < n && i < 2000;) {
        size_t j = i;
        while (j < n && is_wordch((unsigned char)text[j]))
            j++;
        if (j > i) {
            words_seen++;
            size_t m = j - i;
            if ((m == 3 && lower(text[i]) == 'y' && lower(text[i + 1]) == 'o' &&
                 lower(text[i + 2]) == 'u') ||
                (m == 4 && lower(text[i]) == 'y' && lower(text[i + 1]) == 'o' &&
                 lower(text[i + 2]) == 'u' && lower(text[i + 3]) == 'r'))
                you = true;
            i = j;
            continue;
        }
        if (text[i] == '?')
            q = true;
        if (text[i] == '$' && i + 1 < n && text[i + 1] == '$')
            disp = true;
        if (text[i] == '*' && i + 1 < n && text[i + 1] == '*') {
            /* a bold question: "**What is the runtime?**" */
            size_t k2 = i + 2;
            while (k2 + 1 < n && k2 < i + 400 && !(text[k2] == '*' && text[k2 + 1] == '*'))
                k2++;
            if (k2 > i + 2 && text[k2 - 1] == '?')
                bold_q = true;
            i = k2 + 2 > i ? k2 + 2 : i + 1;
            continue;
        }
        i++;
    }
    if (s > -3 && s < 3) {
        if (you)
            s -= n < 600 ? 1.5 : 0.5;
        if (q && n < 400)
            s -= 1;
        if (bold_q)
            s -= 1.5;
        if (disp)
            s += 0.1;
        if (heading_line(text, n))
            s -= 1.5;
        if (numbered_equation(text, n))
            s -= 1;
    }
    return s;
}

/* ------------------------------------------------------------ shapes */

bool ct_is_numbered_item(const char *text, size_t n)
{
    /* every line starts with "N. " or "N) " */
    size_t i = 0;
    while (i < n) {
        while (i < n && (text[i] == ' ' || text[i] == '\t'))
            i++;
        size_t d = 0;
        while (i < n && text[i] >= '0' && text[i] <= '9' && d < 3) {
            i++;
            d++;
        }
        if (!d || i + 1 >= n || (text[i] != '.' && text[i] != ')') || text[i + 1] != ' ')
            return false;
        while (i < n && text[i] != '\n')
            i++;
        i++;
    }
    return true;
}

bool ct_is_short_verdict(const char *text, size_t n)
{
    if (n > 200 || n < 8)
        return false;
    for (size_t i = 0; i < n; i++)
        if (text[i] == '\n' || text[i] == '!')
            return false;
    word w[MAX_WORDS];
    size_t k = split_words(text, n, w, MAX_WORDS);
    if (k < 2)
        return false;
    for (size_t i = 0; i < k; i++)
        if (win(&w[i], you_words))
            return false;
    static const char *const v[] = {"correct", "incorrect", "good", "great", "nice", "clean",
                                    "solid", "wrong", "excellent", "perfect", "clear",
                                    "accurate", "right", "strong", "weak", "poor", NULL};
    return win(&w[0], v) && w[0].s.p[0] >= 'A' && w[0].s.p[0] <= 'Z';
}

/* --------------------------------------------------------- keys */

size_t ct_norm_key(const char *p, size_t n, char *out, size_t cap)
{
    size_t i = 0;
    /* leading markers: white space, "-", "+", "•", "◦", "*", ">" */
    for (;;) {
        while (i < n && (p[i] == ' ' || p[i] == '\t'))
            i++;
        if (i < n && (p[i] == '-' || p[i] == '+' || p[i] == '>') && i + 1 < n && p[i + 1] == ' ') {
            i += 2;
            continue;
        }
        if (i < n && (p[i] == '-' || p[i] == '+') && i + 1 == n) {
            i++;
            continue;
        }
        if (i + 3 <= n && (unsigned char)p[i] == 0xE2 &&
            (((unsigned char)p[i + 1] == 0x80 && (unsigned char)p[i + 2] == 0xA2) || /* • */
             ((unsigned char)p[i + 1] == 0x97 && (unsigned char)p[i + 2] == 0xA6))) { /* ◦ */
            i += 3;
            continue;
        }
        if (i < n && p[i] == '*' && i + 1 < n && p[i + 1] == ' ') {
            i += 2;
            continue;
        }
        break;
    }
    size_t e = n;
    /* trailing "...", "…" and white space */
    for (;;) {
        while (e > i && (p[e - 1] == ' ' || p[e - 1] == '.'))
            e--;
        if (e >= i + 3 && (unsigned char)p[e - 3] == 0xE2 && (unsigned char)p[e - 2] == 0x80 &&
            (unsigned char)p[e - 1] == 0xA6) {
            e -= 3;
            continue;
        }
        break;
    }
    size_t k = 0;
    for (; i < e && k < cap; i++) {
        char ch = p[i];
        if (ch == ' ' || ch == '\t' || ch == '$' || ch == '*' || ch == '\n' || ch == '\r')
            continue;
        /* non-breaking and narrow spaces */
        if ((unsigned char)ch == 0xC2 && i + 1 < e && (unsigned char)p[i + 1] == 0xA0) {
            i++;
            continue;
        }
        out[k++] = lower(ch);
    }
    return k;
}

/* Character-bigram Dice coefficient with a small open-addressing table. */
double ct_similarity(const char *a, size_t an, const char *b, size_t bn)
{
    if (an > 512)
        an = 512;
    if (bn > 512)
        bn = 512;
    if (an < 2 || bn < 2)
        return (an == bn && (an == 0 || a[0] == b[0])) ? 1.0 : 0.0;
    enum { TB = 1024 };
    unsigned short key[TB];
    short cnt[TB];
    unsigned char used[TB];
    memset(used, 0, sizeof used);
    for (size_t i = 0; i + 1 < an; i++) {
        unsigned short g = (unsigned short)(((unsigned char)a[i] << 8) | (unsigned char)a[i + 1]);
        size_t h = ((g * 2654435761u) >> 22) & (TB - 1);
        while (used[h] && key[h] != g)
            h = (h + 1) & (TB - 1);
        if (!used[h]) {
            used[h] = 1;
            key[h] = g;
            cnt[h] = 0;
        }
        cnt[h]++;
    }
    size_t inter = 0;
    for (size_t i = 0; i + 1 < bn; i++) {
        unsigned short g = (unsigned short)(((unsigned char)b[i] << 8) | (unsigned char)b[i + 1]);
        size_t h = ((g * 2654435761u) >> 22) & (TB - 1);
        while (used[h] && key[h] != g)
            h = (h + 1) & (TB - 1);
        if (used[h] && cnt[h] > 0) {
            cnt[h]--;
            inter++;
        }
    }
    return 2.0 * (double)inter / (double)((an - 1) + (bn - 1));
}
