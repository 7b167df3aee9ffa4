/*
 * redpen segment: split model turns into spans labelled by homework problem
 * and part ("Problem 2: ...", "Part (c)", "(d) ... i. ... ii.", "Answer for
 * (d-ii)", "Problem 2(e) - Corrected Solution", "**(b)**", "2e"), and read
 * which problem and parts a user turn is about ("Here is problem 3", "your
 * answer for part c", "2e is incorrect", "for part di").
 *
 * The segmenter is guided by a catalog of the problems and parts that
 * exist (from the rubric), so "(i)" is read as a roman sub-part where the
 * current part has sub-parts, and labels of parts that do not exist are
 * ignored.
 */
#ifndef REDPEN_SEGMENT_H
#define REDPEN_SEGMENT_H

#include "redpen/core.h"
#include "redpen/ingest.h"

/* One gradable part, e.g. "3d.i": problem 3, letter 'd', sub 1. */
typedef struct rp_seg_part {
    const char *id;
    int problem;
    char letter; /* 'a'..'z' */
    int sub;     /* roman sub-part number (1 = i), 0 when none */
} rp_seg_part;

/* A problem and the words that identify it in a transcript (its title). */
typedef struct rp_seg_problem {
    int number;
    const char *title;
    const char *const *cues; /* lower-case phrases, e.g. "newton-schulz" */
    size_t n_cues;
} rp_seg_problem;

typedef struct rp_seg_catalog {
    const rp_seg_problem *problems;
    size_t n_problems;
    const rp_seg_part *parts;
    size_t n_parts;
} rp_seg_catalog;

/* A byte range of a turn's text about one part. */
typedef struct rp_part_span {
    size_t part;       /* index into catalog->parts */
    size_t start, end; /* byte offsets into the turn text */
    bool labelled;     /* introduced by an explicit label (not context) */
} rp_part_span;

/* Compiled patterns; one per thread. */
typedef struct rp_segmenter rp_segmenter;

/* A new segmenter for cat (which must outlive it); NULL when out of memory
 * or when the patterns fail to compile (a bug). */
rp_segmenter *rp_segmenter_new(const rp_seg_catalog *cat);
void rp_segmenter_free(rp_segmenter *s);

/* For tests: with on, s finds every match the plain way (each pattern
 * unanchored over the whole sentence or text, no pre-filter by start
 * words or by the bytes a sentence holds), which the fast way must equal. */
void rp_segmenter_plain(rp_segmenter *s, bool on);

/* Split a model turn's text into part spans.  context_problem is the
 * problem under discussion before this turn (0: none); context_part is a
 * catalog part index the whole turn is about when it has no labels (or
 * (size_t)-1).  Spans are allocated in arena; *out and *n_out receive them in
 * text order.  *problem_out receives the problem under discussion after
 * the turn. */
rp_status rp_segment_model_turn(rp_segmenter *s, const char *text, size_t n,
                                int context_problem, size_t context_part,
                                rp_arena *arena, rp_part_span **out,
                                size_t *n_out, int *problem_out);

/* A reference from a user turn to a part, with the sentence it stands in. */
typedef struct rp_part_ref {
    size_t part;        /* catalog part index */
    size_t start, end;  /* the sentence in the user text */
    size_t at;          /* where the reference itself stands */
    bool explicit_ref;  /* the part is named; else inferred from context */
} rp_part_ref;

/* The problem a user turn introduces or moves to ("Here is problem 3", a
 * pasted statement titled "3. Understanding Convolution ..."), or 0. */
int rp_segment_user_problem(rp_segmenter *s, const char *text, size_t n);

/* The one problem whose cue words (lower case, from the catalog) stand in
 * text[0..n) (its first 4 KB), or 0 when none or several do.  Weaker
 * evidence than a number: for a turn when no problem is under discussion. */
int rp_segment_problem_by_cues(rp_segmenter *s, const char *text, size_t n);

/* Every part a user turn names, with the sentence naming it.  A part named
 * without its problem ("part c") belongs to context_problem; a letter with
 * sub-parts ("part d") names every sub-part. */
rp_status rp_segment_user_refs(rp_segmenter *s, const char *text, size_t n,
                               int context_problem, rp_arena *arena,
                               rp_part_ref **out, size_t *n_out);

#endif
