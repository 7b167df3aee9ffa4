/*
 * Unit tests of the chat-UI text reader: line classes (chrome, time stamps,
 * role headers), note scores, and whole small pages: labelled copies,
 * time stamps below messages with one missing, screenshots that overlap,
 * notes between the messages, math kept as written, and inputs that must
 * not crash or hang.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "chat_text_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Read text with the chat-text reader; the set has exactly one transcript. */
static rp_transcript *read_text(rp_transcript_set *set, const char *text)
{
    rp_diags d;
    assert_int_equal(rp_diags_init(&d), RP_OK);
    rp_ingest_opts o;
    memset(&o, 0, sizeof o);
    o.format = "chat-text";
    rp_status st = rp_ingest_buffer("t.txt", text, strlen(text), &o, set, &d);
    if (st != RP_OK)
        rp_diags_print(&d, stderr);
    assert_int_equal(st, RP_OK);
    assert_int_equal(set->n, 1);
    rp_diags_free(&d);
    return set->items[0];
}

static bool any_note_has(const rp_transcript *t, const char *needle)
{
    for (size_t i = 0; i < t->n_lead_notes; i++)
        if (strstr(t->lead_notes[i].text, needle))
            return true;
    for (size_t i = 0; i < t->n_turns; i++)
        for (size_t k = 0; k < t->turns[i].n_notes; k++)
            if (strstr(t->turns[i].notes[k].text, needle))
                return true;
    return false;
}

static size_t count_sub(const char *s, const char *needle)
{
    size_t c = 0;
    for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
        c++;
    return c;
}

static ct_kind kind_of(const char *line)
{
    ct_line l;
    rp_span rest;
    ct_classify(line, strlen(line), &l, &rest);
    return l.kind;
}

/* ------------------------------------------------------------ lines */

static void test_time_stamps(void **state)
{
    (void)state;
    assert_true(ct_is_time(rp_span_cstr("12/9/2025, 9:16:38 PM")));
    assert_true(ct_is_time(rp_span_cstr("7:29 PM")));
    assert_true(ct_is_time(rp_span_cstr("2025-12-09 21:16")));
    assert_true(ct_is_time(rp_span_cstr("Dec 9, 2025, 9:16 PM")));
    assert_true(ct_is_time(rp_span_cstr("2025-12-09T21:16:38Z")));
    assert_true(ct_is_time(rp_span_cstr("Yesterday at 9:16 PM")));
    assert_false(ct_is_time(rp_span_cstr("9 apples")));
    assert_false(ct_is_time(rp_span_cstr("3:2 ratio")));
    assert_false(ct_is_time(rp_span_cstr("Answer: 12/9")));
}

static void test_line_kinds(void **state)
{
    (void)state;
    assert_int_equal(kind_of("Image Edit"), CT_BREAK);
    assert_int_equal(kind_of("image Edit Web Dev Image Generation Video Generation Artifacts"), CT_BREAK);
    assert_int_equal(kind_of("Can I help you today?"), CT_BREAK);
    assert_int_equal(kind_of("AI-generated content may not be accurate."), CT_BREAK);
    assert_int_equal(kind_of("ChatGPT can make mistakes. Check important info."), CT_BREAK);
    assert_int_equal(kind_of("\xe2\x96\xa1 n3-Max \xe2\x8c\x84 Qwen"), CT_BREAK);
    assert_int_equal(kind_of("Z"), CT_BREAK);
    assert_int_equal(kind_of("Thinking completed \xc2\xb7 81,920 tokens budget"), CT_THINK);
    assert_int_equal(kind_of("Thought for 12s"), CT_THINK);
    assert_int_equal(kind_of("- +"), CT_CHROME);
    assert_int_equal(kind_of("hw4.pdf"), CT_CHROME);
    assert_int_equal(kind_of("290.5 KB"), CT_CHROME);
    assert_int_equal(kind_of("..."), CT_END);
    assert_int_equal(kind_of("12/9/2025, 9:16:38 PM"), CT_TIME);
    /* content that looks a little like chrome stays content */
    assert_int_equal(kind_of("CONV3-10\t100\t$28 \\times 28 \\times 10$"), CT_TEXT);
    assert_int_equal(kind_of("FC-3\t1473\t3"), CT_TEXT);
    assert_int_equal(kind_of("Note: All CONV3-F and FC-K layers have biases as well as weights."), CT_TEXT);
    assert_int_equal(kind_of("Answer: $2c$"), CT_TEXT);
    assert_int_equal(kind_of("$$"), CT_TEXT);
    assert_int_equal(kind_of("|----|----|"), CT_TEXT);
}

static void test_headers(void **state)
{
    (void)state;
    ct_line l;
    rp_span rest;
    const char *h = "Qwen3-Max 7:29 PM";
    ct_classify(h, strlen(h), &l, &rest);
    assert_int_equal(l.kind, CT_HEADER);
    assert_int_equal(l.role, RP_ROLE_MODEL);
    assert_true(l.name.n == 9 && memcmp(l.name.p, "Qwen3-Max", 9) == 0);
    assert_true(l.time.n == 7 && memcmp(l.time.p, "7:29 PM", 7) == 0);

    h = "You said:";
    ct_classify(h, strlen(h), &l, &rest);
    assert_int_equal(l.kind, CT_HEADER);
    assert_int_equal(l.role, RP_ROLE_USER);

    h = "ChatGPT said:";
    ct_classify(h, strlen(h), &l, &rest);
    assert_int_equal(l.kind, CT_HEADER);
    assert_int_equal(l.role, RP_ROLE_MODEL);

    h = "User: what is $2+2$?";
    ct_classify(h, strlen(h), &l, &rest);
    assert_int_equal(l.kind, CT_HEADER);
    assert_int_equal(l.role, RP_ROLE_USER);
    assert_true(rest.n == 14 && memcmp(rest.p, "what is $2+2$?", 14) == 0);

    h = "Assistant:";
    ct_classify(h, strlen(h), &l, &rest);
    assert_int_equal(l.kind, CT_HEADER);
    assert_int_equal(l.role, RP_ROLE_MODEL);

    h = "Solution: By construction, the matrix has norm 1.";
    ct_classify(h, strlen(h), &l, &rest);
    assert_int_equal(l.kind, CT_TEXT);
}

/* ------------------------------------------------------------ notes */

static double note(const char *s)
{
    ct_ctx c;
    memset(&c, 0, sizeof c);
    return ct_note_score(&c, s, strlen(s));
}

static void test_note_scores(void **state)
{
    (void)state;
    /* the annotator about the model */
    assert_true(note("The model gets the correct answer here, but in Big-O notation.") >= CT_NOTE_STRONG);
    assert_true(note("One-shot success. Clean derivation.") >= CT_NOTE_STRONG);
    assert_true(note("Gemini one shots problem 4 no problem.") >= CT_NOTE_STRONG);
    assert_true(note("Now I decide to tell the model the answer for part c.") >= CT_NOTE_STRONG);
    assert_true(note("At this point, the error is small enough that I point it out.") >= CT_NOTE_STRONG);
    assert_true(note("Correctly derived $c = 1/\\sqrt{n}$ from the variance.") >= CT_NOTE_STRONG);
    assert_true(note("Verdict: correct after one nudge.") >= CT_NOTE_STRONG);
    /* the conversation */
    assert_true(note("Your answer for part E is incorrect. Reread the question.") < CT_NOTE_WEAK);
    assert_true(note("I'll work through this problem step by step.") < CT_NOTE_WEAK);
    assert_true(note("Let me reconsider part (e) more carefully.") < CT_NOTE_WEAK);
    assert_true(note("The key insight is to use the Gram matrix $W^TW$.") < CT_NOTE_WEAK);
    assert_true(note("This makes the model translation invariant.") < CT_NOTE_STRONG);
    assert_true(note("$$y = \\begin{bmatrix} 1 & 2 \\end{bmatrix}$$") < CT_NOTE_WEAK);
}

static void test_role_scores(void **state)
{
    (void)state;
    assert_true(ct_word_table_ok());
    const char *u = "Here is problem 3. Give a full explanation of how you reached your answer.";
    const char *m = "I'll work through this convolution problem step by step.";
    const char *c = "For part e, you are missing a multiple of $\\sqrt{n}$. Where are you losing this?";
    int op;
    assert_true(ct_role_score(u, strlen(u), &op) < 0);
    assert_int_equal(op, RP_ROLE_USER);
    assert_true(ct_role_score(m, strlen(m), &op) > 0);
    assert_int_equal(op, RP_ROLE_MODEL);
    assert_true(ct_role_score(c, strlen(c), &op) < 0);
    const char *x = "The output is a $3 \\times 3$ matrix.";
    assert_true(ct_role_score(x, strlen(x), &op) == 0);
    assert_int_equal(op, -1);
}

static void test_similarity(void **state)
{
    (void)state;
    char a[64], b[64];
    size_t an = ct_norm_key("- + Therefore, $x = 1$", 22, a, sizeof a);
    size_t bn = ct_norm_key("Therefore, $x = 1$", 18, b, sizeof b);
    assert_int_equal(an, bn);
    assert_memory_equal(a, b, an);
    assert_true(ct_similarity("abcdefgh", 8, "abcdefgh", 8) > 0.99);
    assert_true(ct_similarity("abcdefgh", 8, "zyxwvuts", 8) < 0.01);
}

/* ------------------------------------------------------------ pages */

static void test_you_said_page(void **state)
{
    (void)state;
    rp_transcript_set set;
    rp_transcript *t = read_text(&set,
        "Skip to content\n"
        "You said:\n"
        "What is the runtime of $WW^T$?\n"
        "ChatGPT said:\n"
        "Thought for 12s\n"
        "\n"
        "It costs $c\\,d_{out}^2 d_{in}$.\n"
        "\n"
        "Copy code\n"
        "\n"
        "The model forgot nothing here, so I move on.\n"
        "\n"
        "You said:\n"
        "And the Gram matrix?\n"
        "ChatGPT said:\n"
        "$c\\,d_{out} d_{in}^2$.\n"
        "ChatGPT can make mistakes. Check important info.\n");
    assert_int_equal(t->n_turns, 4);
    assert_int_equal(t->turns[0].role, RP_ROLE_USER);
    assert_int_equal(t->turns[1].role, RP_ROLE_MODEL);
    assert_int_equal(t->turns[2].role, RP_ROLE_USER);
    assert_int_equal(t->turns[3].role, RP_ROLE_MODEL);
    assert_string_equal(t->turns[0].text, "What is the runtime of $WW^T$?");
    assert_string_equal(t->turns[1].text, "It costs $c\\,d_{out}^2 d_{in}$.");
    assert_string_equal(t->turns[3].text, "$c\\,d_{out} d_{in}^2$.");
    assert_string_equal(t->model, "ChatGPT");
    assert_int_equal(t->turns[1].n_notes, 1);
    assert_string_equal(t->turns[1].notes[0].text, "The model forgot nothing here, so I move on.");
    rp_transcript_set_free(&set);
}

/* Time stamps stand below each message; the one after the second question
 * is missing, so the split comes from how the text reads. */
static void test_trailing_times_one_missing(void **state)
{
    (void)state;
    rp_transcript_set set;
    rp_transcript *t = read_text(&set,
        "2. Pooling\n"
        "\n"
        "(a) What is the output shape of a 2x2 max pool with stride 2?\n"
        "\n"
        "Here is problem 2. Give a full explanation.\n"
        "\n"
        "1/5/2026, 10:00:01 AM\n"
        "\n"
        "I'll work through this pooling problem step by step.\n"
        "\n"
        "Answer (a): $\\frac{W}{2} \\times \\frac{H}{2} \\times C$\n"
        "\n"
        "1/5/2026, 10:00:09 AM\n"
        "\n"
        "One-shot success. The model applied the formula.\n"
        "\n"
        "3. Receptive fields\n"
        "\n"
        "(a) What is the receptive field after L layers of size K?\n"
        "\n"
        "Here is problem 3. Give a full explanation.\n"
        "\n"
        "I'll work through this receptive field problem.\n"
        "\n"
        "Answer (a): $L(K-1)+1$\n"
        "\n"
        "1/5/2026, 10:01:30 AM\n"
        "\n"
        "Please also give part (b).\n"
        "\n"
        "1/5/2026, 10:02:00 AM\n"
        "\n"
        "Let me do part (b).\n");
    assert_int_equal(t->n_turns, 6);
    const rp_role want[] = {RP_ROLE_USER, RP_ROLE_MODEL, RP_ROLE_USER,
                            RP_ROLE_MODEL, RP_ROLE_USER, RP_ROLE_MODEL};
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(t->turns[i].role, want[i]);
    assert_string_equal(t->turns[0].time, "1/5/2026, 10:00:01 AM");
    assert_string_equal(t->turns[1].time, "1/5/2026, 10:00:09 AM");
    assert_null(t->turns[2].time);
    assert_string_equal(t->turns[3].time, "1/5/2026, 10:01:30 AM");
    assert_non_null(strstr(t->turns[2].text, "3. Receptive fields"));
    assert_null(strstr(t->turns[2].text, "I'll work through"));
    assert_non_null(strstr(t->turns[3].text, "I'll work through this receptive"));
    assert_true(any_note_has(t, "One-shot success."));
    for (size_t i = 0; i < t->n_turns; i++)
        assert_null(strstr(t->turns[i].text, "One-shot"));
    rp_transcript_set_free(&set);
}

/* Two screenshots of one answer: the second repeats the end of the first
 * (with a "+ " marker and the last line whole), with chrome between. */
static void test_screenshot_overlap(void **state)
{
    (void)state;
    rp_transcript_set set;
    rp_transcript *t = read_text(&set,
        "Solve problem 1 please.\n"
        "\n"
        "Nova-2 10:00 AM\n"
        "\n"
        "Problem 1: Runtime of one iteration\n"
        "\n"
        "(a) Computing the Gram matrix costs $c\\,d_{in}^2 d_{out}$.\n"
        "\n"
        "(b) The product with $W$ costs the\n"
        "\n"
        "Image Edit\n"
        "Web Dev\n"
        "What can I help you today?\n"
        "\xe2\x96\xa1 a2-Pro \xe2\x8c\x84\n"
        "...\n"
        "\n"
        "+ (a) Computing the Gram matrix costs $c\\,d_{in}^2 d_{out}$.\n"
        "\n"
        "(b) The product with $W$ costs the same, $c\\,d_{out} d_{in}^2$.\n"
        "\n"
        "(c) So the total is $2c\\,d_{out} d_{in}^2$.\n");
    assert_int_equal(t->n_turns, 2);
    const char *m = t->turns[1].text;
    assert_int_equal(count_sub(m, "Computing the Gram matrix"), 1);
    assert_int_equal(count_sub(m, "(b) The product"), 1);
    assert_non_null(strstr(m, "(b) The product with $W$ costs the same, $c\\,d_{out} d_{in}^2$."));
    assert_non_null(strstr(m, "(c) So the total is $2c\\,d_{out} d_{in}^2$."));
    assert_null(strstr(m, "Image Edit"));
    assert_null(strstr(m, "+ "));
    assert_string_equal(t->turns[1].time, "10:00 AM");
    rp_transcript_set_free(&set);
}

/* Model-only headers: the user's messages are found between model answers
 * after the reaction bar. */
static void test_model_headers_only(void **state)
{
    (void)state;
    rp_transcript_set set;
    rp_transcript *t = read_text(&set,
        "Solve problem 2.\n"
        "\n"
        "Qwen3-Max 7:00 PM\n"
        "\n"
        "The answer is $\\alpha = \\sqrt{d_{out}}$.\n"
        "\n"
        "\xe2\x96\xa1 \xf0\x9f\x91\x8d \xf0\x9f\x91\x8e ...\n"
        "\n"
        "Qwen misses the scaling factor here. I give it a hint next.\n"
        "\n"
        "That is wrong: you are neglecting the c factor. Redo 2e.\n"
        "\n"
        "Qwen3-Max 7:05 PM\n"
        "\n"
        "You're absolutely right. The answer is $\\alpha = \\sqrt{d_{out} d_{in}}$.\n");
    assert_int_equal(t->n_turns, 4);
    assert_int_equal(t->turns[2].role, RP_ROLE_USER);
    assert_string_equal(t->turns[2].text, "That is wrong: you are neglecting the c factor. Redo 2e.");
    assert_string_equal(t->model, "Qwen3-Max");
    assert_string_equal(t->turns[3].time, "7:05 PM");
    assert_int_equal(t->turns[1].n_notes, 1);
    assert_string_equal(t->turns[1].notes[0].text,
                        "Qwen misses the scaling factor here. I give it a hint next.");
    rp_transcript_set_free(&set);
}

static void test_you_chatgpt_inline(void **state)
{
    (void)state;
    rp_transcript_set set;
    rp_transcript *t = read_text(&set,
        "You: What is $\\|UV^T\\|_2$?\n"
        "ChatGPT: Thought for 3s\n"
        "It is $1$.\n"
        "You: Thanks.\n");
    assert_int_equal(t->n_turns, 3);
    assert_string_equal(t->turns[0].text, "What is $\\|UV^T\\|_2$?");
    assert_string_equal(t->turns[1].text, "It is $1$.");
    assert_string_equal(t->turns[2].text, "Thanks.");
    rp_transcript_set_free(&set);
}

/* Gemini's copy: "You said" / "Gemini said" without colons, "Show thinking",
 * the model's name and a title above the conversation. */
static void test_gemini_page(void **state)
{
    (void)state;
    rp_transcript_set set;
    rp_transcript *t = read_text(&set,
        "Gemini\n"
        "\n"
        "Conversation with Gemini\n"
        "\n"
        "You said\n"
        "Here is problem 4. (a) How many weights and biases are in this layer?\n"
        "\n"
        "Show thinking\n"
        "Gemini said\n"
        "The layer has $F(K^2 C + 1)$ parameters.\n"
        "\n"
        "Gemini gets this one right on the first try.\n"
        "\n"
        "You said\n"
        "Now the output shape please.\n"
        "\n"
        "Show thinking\n"
        "Gemini said\n"
        "$\\lfloor \\frac{W+2P-K}{S} \\rfloor + 1$ wide.\n");
    assert_int_equal(t->n_turns, 4);
    assert_string_equal(t->title, "Conversation with Gemini");
    assert_string_equal(t->model, "Gemini");
    assert_int_equal(t->turns[0].role, RP_ROLE_USER);
    assert_string_equal(t->turns[1].text, "The layer has $F(K^2 C + 1)$ parameters.");
    assert_int_equal(t->turns[1].n_notes, 1);
    assert_string_equal(t->turns[2].text, "Now the output shape please.");
    assert_int_equal(t->turns[3].role, RP_ROLE_MODEL);
    rp_transcript_set_free(&set);
}

/* No labels at all, only "Thought for N seconds" above each reply: the
 * paragraph before it is the user's message, even a short "Good. Now…". */
static void test_reasoning_status_only(void **state)
{
    (void)state;
    rp_transcript_set set;
    rp_transcript *t = read_text(&set,
        "Here is problem 2(b). What should the constant scalar c be?\n"
        "\n"
        "Thought for 23 seconds\n"
        "\n"
        "With unit-variance weights, $c = \\frac{1}{\\sqrt{n_{in}}}$.\n"
        "\n"
        "DeepSeek one-shots this part.\n"
        "\n"
        "Good. Now part (c): what is the maximum spectral norm?\n"
        "\n"
        "Thought for 41 seconds\n"
        "\n"
        "It is $\\sqrt{n_{out}}$.\n");
    assert_int_equal(t->n_turns, 4);
    assert_int_equal(t->turns[2].role, RP_ROLE_USER);
    assert_string_equal(t->turns[2].text, "Good. Now part (c): what is the maximum spectral norm?");
    assert_string_equal(t->turns[3].text, "It is $\\sqrt{n_{out}}$.");
    assert_int_equal(t->n_notes, 1);
    assert_string_equal(t->turns[1].notes[0].text, "DeepSeek one-shots this part.");
    assert_string_equal(t->model, "DeepSeek");
    rp_transcript_set_free(&set);
}

/* Claude.ai's copy: avatar initials, Edit under the user's message, Copy and
 * Retry under the reply, the disclaimer naming the model; no labels. */
static void test_claude_ai_page(void **state)
{
    (void)state;
    rp_transcript_set set;
    rp_transcript *t = read_text(&set,
        "S\n"
        "Here is problem 4(c). What is the receptive field after L layers?\n"
        "\n"
        "Edit\n"
        "The receptive field grows by $K - 1$ per layer: $L(K-1) + 1$.\n"
        "\n"
        "Copy\n"
        "Retry\n"
        "\n"
        "The model gets this right immediately.\n"
        "\n"
        "S\n"
        "And with a 2x2 max pool of stride 2 after them?\n"
        "\n"
        "Edit\n"
        "The pooling doubles it: $2(L(K-1)+1)$.\n"
        "\n"
        "Copy\n"
        "Retry\n"
        "Claude can make mistakes. Please double-check responses.\n");
    assert_int_equal(t->n_turns, 4);
    assert_string_equal(t->model, "Claude");
    assert_string_equal(t->turns[1].text, "The receptive field grows by $K - 1$ per layer: $L(K-1) + 1$.");
    assert_string_equal(t->turns[2].text, "And with a 2x2 max pool of stride 2 after them?");
    assert_int_equal(t->turns[3].role, RP_ROLE_MODEL);
    assert_int_equal(t->turns[1].n_notes, 1);
    rp_transcript_set_free(&set);
}

/* A fenced code block is kept whole, even lines that look like chrome or
 * labels, and never read as a note. */
static void test_code_fence(void **state)
{
    (void)state;
    rp_transcript_set set;
    rp_transcript *t = read_text(&set,
        "You said:\n"
        "Write the convolution in numpy.\n"
        "ChatGPT said:\n"
        "Here it is:\n"
        "\n"
        "```python\n"
        "# The model gets the kernel flipped here\n"
        "Copy\n"
        "\n"
        "User: not a label\n"
        "y = np.convolve(x, h)\n"
        "```\n"
        "\n"
        "That is all.\n");
    assert_int_equal(t->n_turns, 2);
    assert_int_equal(t->n_notes, 0);
    assert_string_equal(t->turns[1].text,
                        "Here it is:\n\n```python\n# The model gets the kernel flipped here\nCopy\n\n"
                        "User: not a label\ny = np.convolve(x, h)\n```\n\nThat is all.");
    rp_transcript_set_free(&set);
}

/* No role evidence at all: one user turn, nothing invented. */
static void test_plain_text(void **state)
{
    (void)state;
    rp_transcript_set set;
    rp_transcript *t = read_text(&set, "just a line of text\n");
    assert_int_equal(t->n_turns, 1);
    assert_int_equal(t->turns[0].role, RP_ROLE_USER);
    assert_string_equal(t->turns[0].text, "just a line of text");
    rp_transcript_set_free(&set);
}

/* Pathological inputs: no crash, bounded time, a sane result or an error. */
static void test_pathological(void **state)
{
    (void)state;
    size_t n = 400000;
    char *big = malloc(n + 1);
    assert_non_null(big);
    /* one long line */
    memset(big, 'a', n);
    big[n] = '\0';
    rp_transcript_set set;
    rp_transcript *t = read_text(&set, big);
    assert_int_equal(t->n_turns, 1);
    assert_int_equal(t->turns[0].text_len, n);
    rp_transcript_set_free(&set);
    /* many seams with repeated lines between them */
    size_t k = 0;
    const char *chunk = "same line again and again\nImage Edit\n";
    while (k + strlen(chunk) < n) {
        memcpy(big + k, chunk, strlen(chunk));
        k += strlen(chunk);
    }
    big[k] = '\0';
    t = read_text(&set, big);
    assert_true(t->n_turns >= 1);
    rp_transcript_set_free(&set);
    /* only headers, only time stamps, only notes */
    t = read_text(&set, "You said:\nChatGPT said:\nYou said:\nhello\n");
    assert_int_equal(t->n_turns, 1);
    rp_transcript_set_free(&set);
    t = read_text(&set, "The model gets it wrong here.\n");
    assert_int_equal(t->n_turns, 0);
    assert_int_equal(t->n_notes, 1);
    rp_transcript_set_free(&set);
    free(big);
}

static void test_only_chrome_is_an_error(void **state)
{
    (void)state;
    rp_diags d;
    assert_int_equal(rp_diags_init(&d), RP_OK);
    rp_ingest_opts o;
    memset(&o, 0, sizeof o);
    o.format = "chat-text";
    rp_transcript_set set;
    const char *s = "Image Edit\n\nWhat can I help you today?\n12/9/2025, 9:16:38 PM\n";
    assert_int_equal(rp_ingest_buffer("c.txt", s, strlen(s), &o, &set, &d), RP_EINPUT);
    assert_int_equal(set.n, 0);
    assert_non_null(d.head);
    assert_non_null(strstr(d.head->msg, "no conversation"));
    rp_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time_stamps),
        cmocka_unit_test(test_line_kinds),
        cmocka_unit_test(test_headers),
        cmocka_unit_test(test_note_scores),
        cmocka_unit_test(test_role_scores),
        cmocka_unit_test(test_similarity),
        cmocka_unit_test(test_you_said_page),
        cmocka_unit_test(test_trailing_times_one_missing),
        cmocka_unit_test(test_screenshot_overlap),
        cmocka_unit_test(test_model_headers_only),
        cmocka_unit_test(test_you_chatgpt_inline),
        cmocka_unit_test(test_gemini_page),
        cmocka_unit_test(test_claude_ai_page),
        cmocka_unit_test(test_code_fence),
        cmocka_unit_test(test_reasoning_status_only),
        cmocka_unit_test(test_plain_text),
        cmocka_unit_test(test_pathological),
        cmocka_unit_test(test_only_chrome_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
