/*
 * Internal helpers shared by the renderers of src/report: HTML escaping,
 * the page frame (style sheet, content security policy, KaTeX inlined),
 * Markdown to HTML through md4c, and small facts about verdicts and error
 * categories that every format presents the same way.
 */
#ifndef RP_REPORT_INT_H
#define RP_REPORT_INT_H

#include "redpen/report.h"

#include <stdint.h>

#define RP_LEN_CSTR SIZE_MAX /* length argument: use strlen */

/* ---- writing */

/* A writer over an rp_buf whose status sticks: after the first failure
 * every call does nothing, and st says what failed.  Renderers write
 * through one and return its st at the end. */
typedef struct rp_w {
    rp_buf *b;
    rp_status st;
} rp_w;

static inline rp_w rp_w_on(rp_buf *b)
{
    rp_w w;
    w.b = b;
    w.st = RP_OK;
    return w;
}

void rp_w_put(rp_w *w, const char *s, size_t n);
void rp_w_puts(rp_w *w, const char *s); /* NULL writes nothing */
void rp_w_putc(rp_w *w, char c);
void rp_w_printf(rp_w *w, const char *fmt, ...) RP_PRINTF(2, 3);
/* s (NUL-terminated; NULL writes nothing) with & < > " ' escaped. */
void rp_w_esc(rp_w *w, const char *s);
/* The first n bytes of s escaped, cut back to a whole UTF-8 character. */
void rp_w_esc_n(rp_w *w, const char *s, size_t n);
/* Spaces up to column width (0: none) after text of display width used. */
void rp_w_pad(rp_w *w, size_t used, size_t width);
/* s (NULL writes nothing) colored when col is neither NULL nor empty,
 * then spaces up to column width (0: none): a cell of a terminal table. */
void rp_w_cell(rp_w *w, const char *s, size_t width, const char *col);

/* The ANSI colors of the terminal renderers, written with RP_SGR_MARK in
 * place of ESC: rp_term_clean() at the end of each text renderer turns
 * these into colours and strips every ESC the inputs brought, so a model
 * name cannot colour, retitle or clear the terminal even when the output
 * is coloured. */
#define RP_ANSI_RESET RP_SGR_MARK "[0m"
#define RP_ANSI_BOLD RP_SGR_MARK "[1m"
#define RP_ANSI_DIM RP_SGR_MARK "[2m"
#define RP_ANSI_RED RP_SGR_MARK "[31m"
#define RP_ANSI_GREEN RP_SGR_MARK "[32m"
#define RP_ANSI_YELLOW RP_SGR_MARK "[33m"
#define RP_ANSI_MAGENTA RP_SGR_MARK "[35m"
#define RP_ANSI_CYAN RP_SGR_MARK "[36m"
/* s for a Markdown table cell: | escaped, line breaks as spaces. */
void rp_w_md_cell(rp_w *w, const char *s);
/* Display width of UTF-8 text: code points (redpen's marks are narrow). */
size_t rp_u8width(const char *s);

/* Read the whole file at path into b (raw bytes, up to b's maximum);
 * false when it cannot be read or is larger. */
bool rp_read_raw(const char *path, rp_buf *b);

/* ---- HTML */

/* Append s[0..n) (n RP_LEN_CSTR: NUL-terminated) with & < > " ' escaped;
 * NULL appends nothing. */
rp_status rp_html_esc(rp_buf *b, const char *s, size_t n);

/* The start of a page: doctype, head with title, the security policy (no
 * network, scripts only with the page's nonce), the common style sheet,
 * extra_css (may be NULL) and KaTeX's style sheet when katex is non-NULL;
 * ends with the opening <body>. */
typedef struct rp_katex_assets rp_katex_assets;
void rp_html_begin(rp_w *w, const char *title, const char *extra_css,
                   const rp_katex_assets *katex);
/* The end of a page: KaTeX's scripts and the math pass when katex is
 * non-NULL, then page_js (the page's own script in pieces, ending with
 * NULL; NULL: none) with the page's nonce, then </body></html>. */
void rp_html_end(rp_w *w, const rp_katex_assets *katex, const char *const *page_js);

/* Markdown text[0..n) to HTML with md4c (GitHub dialect, no raw HTML, math
 * spans as <x-equation>).  \( \) and \[ \] become $ and $$ first so that
 * the Markdown escapes do not eat them. */
void rp_md_to_html(rp_w *w, const char *text, size_t n);
/* The same for a snippet (a claim, a quoted correction in the margin):
 * text[0..n) when it is at most max bytes long, else cut at a space before
 * max, and before any formula, inline code or strong emphasis the cut
 * would leave open, with "…" after it. */
void rp_md_snippet_to_html(rp_w *w, const char *text, size_t n, size_t max);

/* A verdict as a colored chip: <span class="v pass">✓ pass</span>. */
void rp_html_verdict(rp_w *w, rp_verdict v);
/* A diagnosis detail for people: words as text, runs of LaTeX words
 * ("missing factor \sqrt{p_{in}}") delimited by \( \) for the math pass;
 * a detail that has $ already is left as it is. */
void rp_html_detail(rp_w *w, const char *s);
/* "category detail" of a failed attempt, the category in a span. */
void rp_html_diagnosis(rp_w *w, const rp_attempt *a);
/* The five summary cards (answered, right first, right in the end,
 * corrections, revealed). */
void rp_html_cards(rp_w *w, const rp_report_summary *s);
/* The start of a part's table row: <tr>, its id (bold) and title cells.
 * anchored: the row is the part's anchor (rp_w_part_anchor) and carries
 * data-part, data-final, data-corr, data-cats, data-fail and data-rev for
 * the annotated page's index and filters. */
void rp_html_part_row(rp_w *w, const rp_part_result *p, bool anchored);
/* The anchor of a part on the annotated page: "part-" and the part id with
 * every byte other than a letter, digit, '.' or '_' as ~XX (hex), so that
 * it is safe in an id, an attribute and a URL fragment, and two part ids
 * never share one.  Its attempts are ANCHOR-aK, its corrections ANCHOR-cK
 * (K from 1); the comparison links heat-map cells to ANCHOR. */
void rp_w_part_anchor(rp_w *w, const char *part);
/* The expected answer of part (LaTeX: the solved truth, else the key): the
 * report's own (rp_part_result.truth), else the one in o->rubric when that
 * is the rubric r was graded with; NULL when there is none or it is not a
 * formula. */
const char *rp_part_expected(const rp_html_opts *o, const rp_report *r, const char *part);
/* The attempt worth explaining: the final one when it still fails, else
 * the first when it failed, else NULL. */
const rp_attempt *rp_part_failure(const rp_part_result *p);

/* The pages' tools (page_ui.c), each a style sheet and a script in
 * pieces ending with NULL: the annotated page's part index, filters,
 * folding and keys; the comparison's cell details and sortable tables. */
extern const char rp_annotate_ui_css[];
extern const char *const rp_annotate_ui_js[];
extern const char rp_compare_ui_css[];
extern const char *const rp_compare_ui_js[];

/* ---- KaTeX */

/* KaTeX read from its dist folder: the style sheet with every font inlined
 * as a data: URI, the library and the auto-render extension. */
struct rp_katex_assets {
    rp_buf css;
    rp_buf js;
    rp_buf autorender;
};

/* Load the assets for o (NULL when KaTeX is off or not installed, which is
 * not an error: the LaTeX then shows as text).  Free with
 * rp_katex_assets_free(). */
rp_katex_assets *rp_katex_assets_load(const rp_html_opts *o);
void rp_katex_assets_free(rp_katex_assets *k);

/* ---- verdicts and categories */

/* Short mark for a verdict: "✓", "✗", "–", "?". */
const char *rp_verdict_mark(rp_verdict v);
/* CSS class for a verdict: "pass", "fail", "missing", "ungraded". */
#define rp_verdict_class rp_verdict_name

/* The position of a category in the fixed presentation order (DESIGN.md's
 * table); categories a rubric adds come after, in the order met. */
int rp_category_rank(const char *cat);
/* A stable color (#rrggbb) for a category. */
const char *rp_category_color(const char *cat);

/* Number of reports with a solution correction before the first pass etc.
 * are in rp_report_summary; this counts the turns of role r in t (0 for
 * NULL). */
size_t rp_report_turns(const rp_report *r, rp_role role);
/* The report's model name for display: r->model, else the transcript's,
 * else "unknown model". */
const char *rp_report_display_model(const rp_report *r);
/* The report's source path for display, or "(unknown)". */
const char *rp_report_display_path(const rp_report *r);

/* Rewrite, in place, the structure-element ids "(nodeNNNNNNNN)" of a PDF
 * Chromium printed to their ranks among the file's ids (same width, same
 * order), so that prints of one page whose DOM node numbers differ by a
 * shift are the same bytes.  Returns the number of distinct ids (0: none,
 * or no memory to rank them, and data is unchanged). */
size_t rp_pdf_fixed_node_ids(char *data, size_t n);

#endif
