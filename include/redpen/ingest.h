/*
 * redpen ingest: read a transcript in any supported format into one
 * normalized structure of ordered turns and annotator notes.
 *
 * Every string in an rp_transcript is NUL-terminated and lives in the
 * transcript's arena; rp_transcript_free() releases all of it.
 */
#ifndef REDPEN_INGEST_H
#define REDPEN_INGEST_H

#include "redpen/core.h"

typedef enum rp_role { RP_ROLE_USER, RP_ROLE_MODEL, RP_ROLE_SYSTEM } rp_role;

/* "user", "model", "system". */
const char *rp_role_name(rp_role r);

/* A paragraph written by a human annotator about the model ("The model gets
 * the right answer here", "One-shot success."). Never graded as output. */
typedef struct rp_note {
    const char *text;
    unsigned line; /* 1-based source line where it starts; 0 unknown */
} rp_note;

/* One turn of the conversation. */
typedef struct rp_turn {
    int index;          /* 1-based over user and model turns, in order */
    rp_role role;
    const char *time;   /* time stamp as shown, or NULL */
    const char *model;  /* model name shown with the turn, or NULL */
    const char *text;   /* the turn's text, chrome and notes removed */
    size_t text_len;
    unsigned line;      /* 1-based source line where the turn starts; 0 unknown */
    rp_note *notes;     /* notes standing at this turn (after its text) */
    size_t n_notes;
} rp_turn;

/* One conversation. */
typedef struct rp_transcript {
    const char *path;   /* file name or URL it came from */
    const char *format; /* "chat-text", "markdown", "openai", ... */
    const char *model;  /* model name from the transcript, else NULL */
    const char *title;  /* conversation title, else NULL */
    rp_turn *turns;
    size_t n_turns;
    rp_note *lead_notes; /* notes before the first turn */
    size_t n_lead_notes;
    size_t n_notes;      /* all notes, lead and per turn */
    const char **warnings; /* what ingest could not tell or had to assume
                              ("no model turn", "read as chat-text: no
                              speaker labels"); a report shows them */
    size_t n_warnings;
    rp_arena *arena;     /* owns everything above */
} rp_transcript;

/* Several conversations read from one input (a JSON array, JSONL). */
typedef struct rp_transcript_set {
    rp_transcript **items; /* each owns its own arena */
    size_t n;
} rp_transcript_set;

/* The deepest JSON nesting --max-depth may allow: the JSON parser (cJSON)
 * refuses anything deeper, whatever the option says. */
#define RP_INGEST_MAX_DEPTH 1000

/* Options for reading.  Zero-initialised means: detect the format, default
 * limits. */
typedef struct rp_ingest_opts {
    const char *format;   /* force a reader by name; NULL to detect */
    size_t max_bytes;     /* 0: RP_MAX_INPUT_DEFAULT */
    size_t max_line;      /* 0: RP_MAX_LINE_DEFAULT */
    size_t max_turns;     /* 0: 100000 */
    size_t max_depth;     /* JSON nesting; 0: 256; at most RP_INGEST_MAX_DEPTH */
    long timeout_s;       /* URL fetch total timeout; 0: 30 */
} rp_ingest_opts;

/* Names of all readers, NULL-terminated. */
const char *const *rp_ingest_formats(void);

/* Read a file, "-" for standard input, or an http(s) URL.  On success *out
 * holds one or more transcripts; free with rp_transcript_set_free(), and
 * every warning of a transcript (and of the input: empty conversations
 * skipped) is also added to d as "warning: …", for the caller to print.
 * On failure diagnostics name the file and line (or JSON path) and the
 * reason, and *out is left empty. */
rp_status rp_ingest_path(const char *path, const rp_ingest_opts *opts,
                         rp_transcript_set *out, rp_diags *d);

/* Read from memory; label names the source in diagnostics and in
 * transcript->path. */
rp_status rp_ingest_buffer(const char *label, const char *data, size_t n,
                           const rp_ingest_opts *opts, rp_transcript_set *out,
                           rp_diags *d);

/* The name of the format detected for data (never NULL; "chat-text" is the
 * fallback for plain text). */
const char *rp_ingest_detect(const char *data, size_t n);

void rp_transcript_free(rp_transcript *t);
void rp_transcript_set_free(rp_transcript_set *s);

/* Append t to s, which takes ownership (also on failure, when t is freed). */
rp_status rp_transcript_set_push(rp_transcript_set *s, rp_transcript *t);

/* Counts by role. */
size_t rp_transcript_count(const rp_transcript *t, rp_role r);

#endif
