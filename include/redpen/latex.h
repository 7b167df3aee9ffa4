/*
 * redpen latex: a lexer and recursive-descent parser from LaTeX math (as
 * written in chat answers, including the Unicode models type: × ≤ √ − ·) to
 * an expression tree with source positions, and a printer back to
 * normalized LaTeX.
 *
 * Symbols carry a canonical name: fonts are dropped (\mathbf{x} is x),
 * subscripts are spelled with braces and without \text/\mathrm
 * (d_{\text{out}}, d_\mathrm{out}, d_out and d_{out} all become "d_{out}"),
 * Unicode Greek becomes the command (σ is \sigma).  Words around the math
 * ("\text{ time}", "operations") parse to RP_LX_TEXT nodes, which products
 * ignore.  Nesting depth is bounded (RP_LATEX_MAX_DEPTH); an error names the
 * byte offset where parsing failed.
 *
 * All nodes and strings live in the arena passed to rp_latex_parse().
 */
#ifndef REDPEN_LATEX_H
#define REDPEN_LATEX_H

#include "redpen/core.h"

#define RP_LATEX_MAX_DEPTH 160   /* nesting of brackets, fractions, ... */
#define RP_LATEX_MAX_INPUT 65536 /* bytes; longer input is refused */
#define RP_LATEX_MAX_TREE 1000   /* height of the tree (long a+b+c+... chains) */

typedef enum rp_latex_kind {
    RP_LX_NUM,       /* num (decimals/sig give the written precision) */
    RP_LX_SYM,       /* name; kid[] = parsed subscript indices (may be 0) */
    RP_LX_CONST,     /* op: RP_LC_PI, RP_LC_E, RP_LC_INF */
    RP_LX_ADD,       /* kid[0] + kid[1] */
    RP_LX_SUB,       /* kid[0] - kid[1] */
    RP_LX_MUL,       /* kid[0] kid[1]; flags RP_LXF_TIMES when written \times */
    RP_LX_DIV,       /* kid[0] / kid[1] (also \frac) */
    RP_LX_NEG,       /* -kid[0] */
    RP_LX_POW,       /* kid[0]^kid[1] */
    RP_LX_SQRT,      /* sqrt(kid[0]); n_kid 2: kid[1] is the index of \sqrt[n] */
    RP_LX_FUNC,      /* name(kid...), op an RP_LF_* id; \log_2: kid[1] = base */
    RP_LX_ABS,       /* |kid[0]| */
    RP_LX_NORM,      /* \|kid[0]\|_name (name "2", "F", "RMS", or "" ) */
    RP_LX_FLOOR,     /* \lfloor kid[0] \rfloor */
    RP_LX_CEIL,      /* \lceil kid[0] \rceil */
    RP_LX_FACT,      /* kid[0]! */
    RP_LX_TRANSPOSE, /* kid[0]^T */
    RP_LX_BIGO,      /* O(kid[0]); op: 0 O, 1 \Theta, 2 \Omega */
    RP_LX_SUM,       /* name = index; kid[0] lower, kid[1] upper, kid[2] body; op 1: \prod */
    RP_LX_MATRIX,    /* rows x cols entries, row-major in kid[] */
    RP_LX_TUPLE,     /* comma list; op is the opening bracket char ('(' '[' '{' '<' or 0) */
    RP_LX_CASES,     /* kid[2i] value, kid[2i+1] condition (NULL: otherwise) */
    RP_LX_REL,       /* chain kid[0] rel[0] kid[1] rel[1] ... */
    RP_LX_AND,       /* conjunction of conditions (in cases) */
    RP_LX_TEXT,      /* a word or \text{} that is not math; name is the text */
    RP_LX_ELLIPSIS   /* \cdots, \ldots, ... */
} rp_latex_kind;

/* Relations. */
typedef enum rp_latex_rel {
    RP_REL_EQ, RP_REL_LE, RP_REL_LT, RP_REL_GE, RP_REL_GT, RP_REL_APPROX,
    RP_REL_PROPTO, RP_REL_SIM, RP_REL_NE, RP_REL_IN, RP_REL_TO, RP_REL_DEF
} rp_latex_rel;

/* Constants. */
enum { RP_LC_PI, RP_LC_E, RP_LC_INF };

/* Functions. */
typedef enum rp_latex_func {
    RP_LF_LOG, RP_LF_LN, RP_LF_LG, RP_LF_EXP, RP_LF_SIN, RP_LF_COS, RP_LF_TAN,
    RP_LF_MAX, RP_LF_MIN, RP_LF_SIGN, RP_LF_DET, RP_LF_TR, RP_LF_BINOM,
    RP_LF_TANH, RP_LF_SIGMOID, RP_LF_OTHER
} rp_latex_func;

/* Node flags. */
enum {
    RP_LXF_PAREN = 1u << 0,   /* written inside ( ) or [ ] or { } */
    RP_LXF_TIMES = 1u << 1,   /* MUL written with \times or × */
    RP_LXF_IMPLICIT = 1u << 2,/* MUL written by juxtaposition */
    RP_LXF_BRACKET = 1u << 3, /* SYM indexed with [ ]: y[n] */
    RP_LXF_APPLY = 1u << 4    /* MUL of a symbol and a bracketed group: p(W) */
};

/* One node of the tree.  Owned by the parse arena. */
typedef struct rp_latex_node {
    rp_latex_kind kind;
    int op;                      /* relation/function/constant id, see kinds */
    unsigned flags;              /* RP_LXF_* */
    size_t pos, len;             /* source byte range of the node */
    double num;                  /* NUM: the value */
    int decimals;                /* NUM: digits written after the point */
    int sig;                     /* NUM: significant digits written */
    const char *name;            /* SYM canonical name, FUNC/TEXT text, NORM sub, SUM index */
    const char *base;            /* SYM: the name without subscript ("x" of x_{i+1}) */
    struct rp_latex_node **kid;  /* children (entries may be NULL in CASES) */
    size_t n_kid;
    int rows, cols;              /* MATRIX shape */
    int *rel;                    /* REL: n_kid - 1 relation ids */
    int aux;                     /* free for evaluators (0 after parsing) */
    int height;                  /* 1 + the greatest height of the children */
} rp_latex_node;

/* Where and why a parse failed. */
typedef struct rp_latex_error {
    size_t pos;     /* byte offset in the input */
    char msg[160];  /* e.g. "unbalanced '\\left('" */
} rp_latex_error;

/* Parse src[0..n) as LaTeX math (without the $ delimiters; surrounding $,
 * $$, \( \) and \[ \] are tolerated).  On success *out is the root (never
 * NULL) and RP_OK is returned.  RP_EPARSE: err (if not NULL) has the offset
 * and reason; RP_ELIMIT: input too long; RP_ENOMEM: the arena is full.  All
 * memory comes from arena a. */
rp_status rp_latex_parse(rp_arena *a, const char *src, size_t n,
                         rp_latex_node **out, rp_latex_error *err);

/* Translate math typed without LaTeX into LaTeX that rp_latex_parse()
 * reads, appending it to b: ASCII as in code ("2*c*d_out^2*d_in",
 * "sqrt(d_in)", "x**2", "log2(n)", "[[1,2],[3,4]]", "3 x 3") and Unicode
 * ("1/√d_in", "c²·d_in", "x₁", "xⁿ⁺¹", "∛x", "‖ΔW‖₂").  src[0..n) is the
 * math alone: which part of a text is math is the caller's decision.  LaTeX
 * commands already present are kept.  Returns RP_OK, RP_ELIMIT (input over
 * RP_LATEX_MAX_INPUT or b full) or RP_ENOMEM.  The one translation of
 * plain math: equiv, the extractor and rubric keys share it. */
rp_status rp_latex_from_plain(const char *src, size_t n, rp_buf *b);

/* s[0..n) as LaTeX: plain math ("2*c*p_out^2", "1/√p_in") translated by
 * rp_latex_from_plain(), LaTeX (or plain math that reads the same) as it
 * is.  Returns s itself (no copy) when nothing is translated, else b's
 * data (b is cleared first); on an error of b, s.  *len gets the length.
 * The caller frees b. */
const char *rp_latex_as_latex(const char *s, size_t n, rp_buf *b, size_t *len);

/* How rp_latex_from_plain() reads a name of plain math. */
typedef enum rp_plain_name {
    RP_PLAIN_NONE,     /* an ordinary name: a symbol or a word */
    RP_PLAIN_FUNCTION, /* a function when called: "sqrt", "log2", "exp", "Var", "O" */
    RP_PLAIN_SYMBOL    /* a spelled Greek letter or constant: "sigma", "pi", "inf" */
} rp_plain_name;

/* How rp_latex_from_plain() reads the name s[0..n): evidence that plain
 * text around it is math (a function only where it is called). */
rp_plain_name rp_latex_plain_name(const char *s, size_t n);

/* True when src[0..n) parses (uses a private temporary arena). */
bool rp_latex_parses(const char *src, size_t n);

/* The canonical name of one symbol written in LaTeX ("d_{\\text{out}}",
 * "n_out", "\\mathbf{x}") into out (cap bytes, NUL-terminated).  Returns
 * false when src is not a single symbol. */
bool rp_latex_symbol_name(const char *src, size_t n, char *out, size_t cap);

/* Relations.  For a REL chain: the number of sides, side i, and relation
 * i (between side i and i+1).  For any other node: one side, the node
 * itself, and no relations (rp_latex_rel_op returns -1). */
size_t rp_latex_n_sides(const rp_latex_node *root);
const rp_latex_node *rp_latex_side(const rp_latex_node *root, size_t i);
int rp_latex_rel_op(const rp_latex_node *root, size_t i);
/* The right-most side of a relation chain (the node itself otherwise). */
const rp_latex_node *rp_latex_rhs(const rp_latex_node *root);
/* The left-hand side symbol of a relation: the canonical name when the
 * left side is a symbol ("\\alpha", "y", "g_{3}"), a transposed or
 * normed symbol, or a symbol applied to arguments ("p(W)" gives "p",
 * "y[n]" gives "y"); NULL otherwise or when root is not a relation.  For
 * other left sides (\|\Delta W\|_2) print rp_latex_side(root, 0) with
 * rp_latex_print() and compare the normalized text. */
const char *rp_latex_lhs_symbol(const rp_latex_node *root);
/* The relation written at src[i] of src[0..n): "=", "==", "<=", "!=",
 * ":=", a command ("\\le", "\\coloneqq", "\\gets", "\\leftarrow",
 * "\\mapsto", "\\to", ...) or its Unicode character (≤ ≔ ← ↦ → ...).
 * Returns the rp_latex_rel id and sets *len to the bytes it takes, or
 * returns -1.  Assignments (:=, \\coloneqq, \\gets, \\leftarrow, \\mapsto)
 * are RP_REL_DEF; implications and arrows RP_REL_TO. */
int rp_latex_rel_at(const char *src, size_t n, size_t i, size_t *len);
/* True when a relation chain contains a bound (<, <=, >, >=). */
bool rp_latex_is_bound(const rp_latex_node *root);

/* Append the tree as normalized LaTeX to b ("\\frac{1}{\\sqrt{n_{in}}}").
 * Returns the status of the buffer (RP_ELIMIT when it is full). */
rp_status rp_latex_print(const rp_latex_node *root, rp_buf *b);

/* The name of a relation ("=", "\\leq", ...). */
const char *rp_latex_rel_name(int rel);

#endif
