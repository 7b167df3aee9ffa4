/*
 * redpen extract: the answer a model commits to in the spans of one turn
 * about one part, guided by what the part asks for (its target).
 *
 * Order of evidence: explicit markers ("Answer:", "Answer for (a):",
 * "Final answer", "CORRECTED", \boxed{}, "Therefore"), then the last
 * displayed equation whose left side is the target, then the last math that
 * fits.  Matrices, piecewise `cases` (also bullet lists "y[n] = E for C"),
 * vectors, named tuples, Markdown or tab-separated tables.  A span that
 * discusses the part but commits to nothing concrete gives a claim of kind
 * RP_CLAIM_NONE (graded as missing_answer).
 */
#ifndef REDPEN_EXTRACT_H
#define REDPEN_EXTRACT_H

#include "redpen/core.h"
#include "redpen/segment.h"

/* What shape of answer the part expects. */
typedef enum rp_expect {
    RP_EXPECT_SCALAR,    /* a formula or number */
    RP_EXPECT_MATRIX,
    RP_EXPECT_VECTOR,
    RP_EXPECT_TUPLE,     /* named sub-answers */
    RP_EXPECT_TABLE,
    RP_EXPECT_PIECEWISE,
    RP_EXPECT_TEXT
} rp_expect;

/* One named component of a tuple answer (g_3, "mean", "variance"). */
typedef struct rp_extract_component {
    const char *name;
    const char *const *symbols; /* LaTeX spellings of its symbol ("g_3") */
    size_t n_symbols;
    const char *const *words;   /* lower-case cue words ("variance") */
    size_t n_words;
    rp_expect expect;
    bool prefer_asymptotic; /* a growth rate: take O(.) from a chain */
} rp_extract_component;

/* What to look for. */
typedef struct rp_extract_spec {
    rp_expect expect;
    const char *const *symbols; /* target symbols: "\\alpha", "c", "y" */
    size_t n_symbols;
    const char *const *words;   /* target words: "runtime", "receptive field" */
    size_t n_words;
    const rp_extract_component *components; /* for tuples */
    size_t n_components;
    const char *const *row_labels; /* for tables: the labels of the rows */
    size_t n_row_labels;
    size_t n_cols;                 /* for tables: value columns after the label */
    bool prefer_asymptotic;        /* a growth rate: take O(.) from a chain */
} rp_extract_spec;

typedef enum rp_claim_kind {
    RP_CLAIM_NONE,   /* the part is addressed, nothing concrete committed */
    RP_CLAIM_MATH,   /* latex holds the claimed expression */
    RP_CLAIM_TUPLE,  /* parts[] hold the components (NULL where not found) */
    RP_CLAIM_TABLE,  /* cells[] hold rows x cols (NULL where empty) */
    RP_CLAIM_TEXT    /* text holds the prose answer */
} rp_claim_kind;

/* A claim; strings live in the arena passed to rp_extract_claim(). */
typedef struct rp_claim {
    rp_claim_kind kind;
    const char *latex;   /* MATH: what to compare ("\\alpha \\le X" keeps a bound) */
    const char *shown;   /* how the claim reads in the transcript, for reports */
    const char **parts;  /* TUPLE: n_parts component claims (LaTeX) */
    size_t n_parts;
    const char **cells;  /* TABLE: rows * cols */
    size_t rows, cols;
    const char *text;    /* TEXT: the answer prose */
    const char *how;     /* "marker", "target", "last-math", "table", ... */
    size_t offset;       /* where it stands in the turn text */
} rp_claim;

/* How a math segment is written. */
typedef enum rp_math_notation {
    RP_MATH_LATEX,  /* $..$, \(..\), \[..\], an environment */
    RP_MATH_CODE,   /* a line of a fenced code block, or inline `code` */
    RP_MATH_PLAIN,  /* ASCII or Unicode math in prose: "2*c*d_out^2", "1/√d" */
    RP_MATH_NUMBER  /* a number in prose: "10 spoons", "$500", "1,000", "75 %" */
} rp_math_notation;

/* A math segment found in text. */
typedef struct rp_math {
    size_t start, end;   /* the whole segment with delimiters */
    size_t cstart, cend; /* the content */
    bool display;        /* $$..$$ or \[..\], a code line */
    rp_math_notation notation;
    const char *tex;     /* not LaTeX: the content as LaTeX (rp_latex_from_plain(),
                          * arena); NULL for RP_MATH_LATEX */
} rp_math;

/* Find the LaTeX math segments of text[0..n) ($..$, $$..$$, \(..\), \[..\],
 * and bare environments \begin{..}..\end{..}).  A closing $ followed by a
 * digit closes nothing ("$5 and $10" is money).  At most 4096 are returned;
 * the array is allocated in arena. */
rp_status rp_extract_math(const char *text, size_t n, rp_arena *arena,
                          rp_math **out, size_t *n_out);

/* The math of text[0..n) in every notation, in text order: the LaTeX
 * segments of rp_extract_math(), lines of fenced code blocks and inline
 * code that read as math, plain ASCII or Unicode math in prose, and numbers
 * in prose.  Whether plain text is math is decided by evidence (see
 * notation.c): operators between operands, digits, function calls of
 * known functions, and the names known[0..n_known) (the rubric's symbols,
 * any spelling; may be NULL).  Non-LaTeX segments carry their LaTeX in
 * tex.  The array is allocated in arena. */
rp_status rp_extract_math_all(const char *text, size_t n, const char *const *known,
                              size_t n_known, rp_arena *arena, rp_math **out, size_t *n_out);

/* The claim made in text (the turn's text) within spans[0..n_spans).
 * Returns RP_OK with out->kind RP_CLAIM_NONE when nothing concrete is
 * committed. */
rp_status rp_extract_claim(const char *text, size_t n, const rp_part_span *spans,
                           size_t n_spans, const rp_extract_spec *spec,
                           rp_arena *arena, rp_claim *out);

/* A sink for the extractor's debug traces: one call per line (without its
 * newline) saying what math was found, which candidates each target had and
 * which was chosen.  user is passed back as given. */
typedef void (*rp_extract_trace_fn)(void *user, const char *line);

/* Set the trace sink for every later rp_extract_claim() (NULL, the default:
 * no traces, no cost).  Process-wide: set it before extraction starts, not
 * while threads extract.  The CLI sets one that writes to stderr when
 * REDPEN_DEBUG_EXTRACT is in the environment. */
void rp_extract_set_trace(rp_extract_trace_fn fn, void *user);

/* If latex is a bound "lhs \\le rhs" (as claims keep them), *value gets
 * rhs (arena copy) and *rel one of '<' (<, \\le) or '>' (>, \\ge); returns
 * true.  Else returns false. */
bool rp_extract_bound(rp_arena *arena, const char *latex, const char **value, char *rel);

/* The offsets in text[0..n) of the last primary answer marker ("Answer:",
 * "**Final answer for (b):", \boxed{) and of the last secondary one
 * ("Therefore", "thus"), each (size_t)-1 when there is none.  The text
 * must be UTF-8. */
void rp_extract_markers(const char *text, size_t n, size_t *primary, size_t *secondary);

/* Normalise a symbol spelling for comparison: drop \mathbf{} \boldsymbol{}
 * \text{} \mathrm{} \operatorname{} wrappers, braces and spaces, so that
 * "\\mathbf{g}_3" and "g_{3}" read "g_3".  Returns an arena string. */
const char *rp_extract_norm_symbol(rp_arena *arena, const char *s, size_t n);

#endif
