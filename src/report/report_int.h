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

/* ---- HTML */

/* Append s[0..n) (n RP_LEN_CSTR: NUL-terminated) with & < > " ' escaped;
 * NULL appends nothing. */
rp_status rp_html_esc(rp_buf *b, const char *s, size_t n);

/* The start of a page: doctype, head with title, the security policy (no
 * network, scripts only with the page's nonce), the common style sheet,
 * extra_css (may be NULL) and KaTeX's style sheet when katex is non-NULL;
 * ends with the opening <body>. */
typedef struct rp_katex_assets rp_katex_assets;
rp_status rp_html_begin(rp_buf *b, const char *title, const char *extra_css,
                        const rp_katex_assets *katex);
/* The end of a page: KaTeX's scripts and the math pass when katex is
 * non-NULL, then </body></html>. */
rp_status rp_html_end(rp_buf *b, const rp_katex_assets *katex);

/* Markdown text[0..n) to HTML with md4c (GitHub dialect, no raw HTML, math
 * spans as <x-equation>).  \( \) and \[ \] become $ and $$ first so that
 * the Markdown escapes do not eat them. */
rp_status rp_md_to_html(rp_buf *b, const char *text, size_t n);

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

#endif
