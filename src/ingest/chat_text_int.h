/*
 * Internal interface of the chat-UI text reader (chat_text*.c).  The reader
 * works in passes over the lines of the input:
 *   1. chat_text_line.c classifies each line: text, blank, UI chrome (and
 *      whether that chrome marks a break between two screenshots), a time
 *      stamp, a role header ("You said:", "Qwen3-Max 7:29 PM") or the end of
 *      a message (a reaction bar);
 *   2. chat_text_score.c scores paragraphs: how much a paragraph reads like
 *      an annotator's note about the model, and whether it reads like the
 *      user or the model speaking;
 *   3. chat_text.c groups paragraphs, removes passages repeated where two
 *      screenshots overlap, assigns roles with a two-state Viterbi pass over
 *      the evidence, and builds the transcript.
 * Nothing here is keyed to a particular transcript: every rule is a feature
 * of chat pages in general.
 */
#ifndef RP_INGEST_CHAT_TEXT_INT_H
#define RP_INGEST_CHAT_TEXT_INT_H

#include "reader.h"

#include <stdbool.h>
#include <stddef.h>

/* What a line is. */
typedef enum ct_kind {
    CT_BLANK,  /* only white space */
    CT_TEXT,   /* content: a message or a note */
    CT_CHROME, /* UI chrome to drop ("Thought for 12s", "Copy code") */
    CT_BREAK,  /* chrome that marks a screenshot edge (menus, disclaimers) */
    CT_END,    /* end of a message: a reaction bar, a lone "..." after text */
    CT_THINK,  /* a reasoning status that opens a model reply ("Thought for 12s") */
    CT_TIME,   /* a bare time stamp ("12/9/2025, 9:16:38 PM") */
    CT_HEADER  /* a role header; role, name and time in the line */
} ct_kind;

/* One classified line.  p/n view the input (for CT_HEADER with text on the
 * same line, the text after the label is split off as a CT_TEXT line). */
typedef struct ct_line {
    const char *p;  /* line text, trailing white space removed */
    size_t n;       /* its length */
    unsigned no;    /* 1-based source line */
    ct_kind kind;
    int role;       /* CT_HEADER: RP_ROLE_USER or RP_ROLE_MODEL */
    rp_span name;   /* CT_HEADER: model name shown; CT_BREAK: the model a
                       disclaimer names ("Claude can make mistakes") */
    rp_span time;   /* CT_HEADER/CT_TIME: the time text, or empty */
    bool code;      /* inside a fenced code block (or its fence): content as is */
} ct_line;

/* Classify one line (p[0..n), no newline).  Fills kind, role, name, time;
 * for a header followed by text on the same line ("User: hi"), *rest gets
 * the text after the label (else rest->n == 0). */
void ct_classify(const char *p, size_t n, ct_line *out, rp_span *rest);

/* Mark page chrome that only its neighbours reveal, over the classified
 * lines: a pasted code block's header (language label, "Copy", "Edit"),
 * whose buttons would otherwise end the message, and a branch counter
 * ("2/2") beside a role header. */
void ct_mark_page_chrome(ct_line *lines, size_t n);

/* True when s is a bare time stamp (with or without a date). */
bool ct_is_time(rp_span s);

/* True when the word w (case-insensitive) names a model family ("Qwen",
 * "Claude", "GPT-4o", "Gemini", ...). */
bool ct_is_model_word(rp_span w);

/* Context for scoring: the model's short name if the transcript shows one
 * ("Qwen" for "Qwen3-Max"), used as a subject that marks a note. */
typedef struct ct_ctx {
    rp_span model_short;
} ct_ctx;

/* How much a paragraph reads like an annotator's note about the model
 * (>= CT_NOTE_STRONG: a note on its own; >= CT_NOTE_WEAK: a note when it
 * stands next to one).  text is the paragraph, lines joined by '\n'. */
#define CT_NOTE_STRONG 2.5
#define CT_NOTE_WEAK 1.5
double ct_note_score(const ct_ctx *c, const char *text, size_t n);

/* How much a paragraph reads like the model speaking (> 0) rather than the
 * user (< 0); 0 when nothing tells.  *opener (may be NULL) is set to
 * RP_ROLE_MODEL when the paragraph opens the way a reply opens ("You're
 * right!", "I'll work through…"), RP_ROLE_USER when it opens the way a
 * request does ("Can you…", "Here is problem 3"), else -1. */
double ct_role_score(const char *text, size_t n, int *opener);

/* True when the scorer's word index finds every word of its list (a check
 * for the unit tests: the index is generated with the list). */
bool ct_word_table_ok(void);

/* Paragraph shape helpers used by the context rules. */
bool ct_is_numbered_item(const char *text, size_t n);  /* "1. ..." */
bool ct_is_short_verdict(const char *text, size_t n);  /* "Correct explanations ..." */

/* Normalized comparison key of a line for overlap detection: list markers,
 * "+"/"-" diff markers, bold marks, '$', white space and a trailing "..."
 * removed, ASCII lowered.  Writes at most cap bytes to out; returns the
 * length. */
size_t ct_norm_key(const char *p, size_t n, char *out, size_t cap);

/* Similarity in [0,1] of two keys (character-bigram Dice coefficient over
 * at most the first 512 bytes of each). */
double ct_similarity(const char *a, size_t an, const char *b, size_t bn);

#endif
