/*
 * The HTML frame every redpen page shares: escaping, the head with its
 * style sheet and security policy (the page makes no network request and
 * runs only its own scripts), KaTeX inlined at the end, and Markdown to
 * HTML through md4c for conversation text.  Also the single-report page.
 */
#include "report_int.h"

#include <md4c-html.h>
#include <md4c.h>
#include <stdio.h>
#include <string.h>

#define RP_NONCE "redpen-report"

static const char page_css[] =
    ":root{--ink:#1f2328;--muted:#59636e;--line:#d1d9e0;--paper:#ffffff;"
    "--pass:#1a7f37;--pass-bg:#dafbe1;--fail:#cf222e;--fail-bg:#ffebe9;"
    "--missing:#6e7781;--missing-bg:#eff2f5;--ungraded:#9a6700;--ungraded-bg:#fff8c5;"
    "--note:#fff6d6;--note-line:#d4a72c;--accent:#0969da}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;color:var(--ink);background:#f6f8fa;"
    "font:15px/1.55 'Noto Sans','DejaVu Sans','Segoe UI',system-ui,sans-serif}\n"
    "main{max-width:1180px;margin:0 auto;padding:28px 28px 60px;background:var(--paper);"
    "min-height:100vh;box-shadow:0 0 0 1px var(--line)}\n"
    "h1{font-size:26px;margin:0 0 4px;letter-spacing:-.01em}\n"
    "h2{font-size:19px;margin:34px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}\n"
    "h3{font-size:16px;margin:20px 0 8px}\n"
    ".sub{color:var(--muted);margin:0 0 18px}\n"
    "code,pre{font-family:'DejaVu Sans Mono',ui-monospace,monospace;font-size:.88em}\n"
    "pre{background:#f6f8fa;border:1px solid var(--line);border-radius:6px;padding:10px;overflow-x:auto}\n"
    "table{border-collapse:collapse;margin:8px 0 16px;font-size:14px}\n"
    "th,td{border:1px solid var(--line);padding:5px 9px;text-align:left;vertical-align:top}\n"
    "th{background:#f6f8fa;font-weight:600}\n"
    "td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}\n"
    ".v{display:inline-block;min-width:4.2em;padding:0 6px;border-radius:10px;font-size:12.5px;"
    "font-weight:600;text-align:center;white-space:nowrap}\n"
    ".v.pass{color:var(--pass);background:var(--pass-bg)}\n"
    ".v.fail{color:var(--fail);background:var(--fail-bg)}\n"
    ".v.missing{color:var(--missing);background:var(--missing-bg)}\n"
    ".v.ungraded{color:var(--ungraded);background:var(--ungraded-bg)}\n"
    ".cat{font-family:'DejaVu Sans Mono',ui-monospace,monospace;font-size:12.5px;color:#6639ba}\n"
    ".cards{display:flex;flex-wrap:wrap;gap:10px;margin:14px 0 6px}\n"
    ".card{border:1px solid var(--line);border-radius:8px;padding:8px 14px;min-width:120px}\n"
    ".card b{display:block;font-size:22px;line-height:1.2}\n"
    ".card span{color:var(--muted);font-size:13px}\n"
    ".muted{color:var(--muted)}\n"
    ".chart{margin:8px 0 18px;max-width:100%}\n"
    ".chart text{font-family:'Noto Sans','DejaVu Sans',sans-serif}\n"
    ".rp-math-raw{font-family:'DejaVu Sans Mono',monospace;font-size:.9em;color:#57606a}\n"
    "x-equation{font-family:'DejaVu Sans Mono',monospace;font-size:.9em}\n"
    "x-equation[type=display]{display:block;margin:8px 0;overflow-x:auto}\n"
    ".katex-display{overflow-x:auto;overflow-y:hidden;padding:2px 0}\n"
    /* KaTeX's hidden MathML is absolutely placed: anchored to its formula,
     * it cannot widen the page from inside a box that scrolls */
    ".katex,table,.grid{position:relative}\n"
    /* phones, down to 360 px: the page never scrolls sideways; a wide
     * table, formula or chart scrolls inside its own box, and charts keep
     * their size (legible text) instead of shrinking to fit */
    "@media (max-width:640px){body{font-size:14.5px}main{padding:14px 10px 40px}"
    "h1{font-size:21px}h2{font-size:17px}"
    "table{display:block;max-width:100%;overflow-x:auto}"
    ".card{min-width:0;flex:1 1 40%;padding:6px 10px}.card b{font-size:19px}"
    ".katex{display:inline-block;max-width:100%;overflow-x:auto;overflow-y:hidden;vertical-align:middle}"
    ".katex-display>.katex{display:block}"
    ".grid>svg.chart{max-width:none!important}}\n"
    /* dark theme: the same page in the reader's colors (screens only; print
     * stays light) */
    "@media screen and (prefers-color-scheme:dark){"
    ":root{color-scheme:dark;--ink:#e6edf3;--muted:#9198a1;--line:#3d444d;--paper:#0d1117;"
    "--pass:#3fb950;--pass-bg:#12261e;--fail:#f85149;--fail-bg:#2d1417;"
    "--missing:#9198a1;--missing-bg:#212830;--ungraded:#d29922;--ungraded-bg:#272115;"
    "--note:#2b2410;--note-line:#9e6a03;--accent:#4493f8}"
    "body{background:#010409}pre,th{background:#151b23}"
    ".cat{color:#ab7df8}.rp-math-raw{color:#9198a1}"
    "svg.chart text[fill='#1f2328']{fill:var(--ink)}svg.chart text[fill='#59636e']{fill:var(--muted)}"
    "svg.chart rect[fill='#f6f8fa']{fill:#151b23}svg.chart rect[stroke='#ffffff'],"
    "svg.chart g rect{stroke:var(--paper)}svg.chart line{stroke:var(--line)}}\n"
    "@media print{body{background:#fff}main{box-shadow:none;max-width:none;padding:0}"
    "h2{break-after:avoid}tr,.card{break-inside:avoid}"
    ".grid,table,.katex-display,x-equation[type=display]{overflow:visible}"
    "svg.chart{max-width:100%!important}}\n";

void rp_html_begin(rp_w *w, const char *title, const char *extra_css,
                   const rp_katex_assets *katex)
{
    rp_w_puts(w, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                 "<meta name=\"generator\" content=\"redpen " REDPEN_VERSION "\">\n"
                 "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                 "script-src 'nonce-" RP_NONCE "'; style-src 'unsafe-inline'; font-src data:; "
                 "img-src data:\">\n<title>");
    rp_w_esc(w, title);
    rp_w_puts(w, "</title>\n<style>\n");
    rp_w_puts(w, page_css);
    rp_w_puts(w, extra_css);
    rp_w_puts(w, "</style>\n");
    if (katex) {
        rp_w_puts(w, "<style>\n");
        rp_w_put(w, katex->css.data, katex->css.len);
        rp_w_puts(w, "\n</style>\n");
    }
    rp_w_puts(w, "</head>\n<body>\n");
}

/* Typeset the <x-equation> spans md4c produced, then every other $…$,
 * $$…$$, \(…\) and \[…\] in the page (titles, claims, notes).  A formula
 * KaTeX cannot parse stays as its LaTeX text, marked rp-math-raw. */
static const char math_pass[] =
    "(function(){\n"
    "  if (typeof katex === 'undefined') return;\n"
    "  var eqs = document.querySelectorAll('x-equation');\n"
    "  for (var i = 0; i < eqs.length; i++) {\n"
    "    var el = eqs[i], tex = el.textContent;\n"
    "    try {\n"
    "      katex.render(tex, el, {displayMode: el.getAttribute('type') === 'display',\n"
    "                             throwOnError: true, strict: 'ignore'});\n"
    "    } catch (e) { el.textContent = tex; el.className = 'rp-math-raw'; el.title = String(e.message || e); }\n"
    "  }\n"
    "  if (typeof renderMathInElement === 'function') {\n"
    "    renderMathInElement(document.body, {\n"
    "      delimiters: [{left: '$$', right: '$$', display: true}, {left: '\\\\[', right: '\\\\]', display: true},\n"
    "                   {left: '\\\\(', right: '\\\\)', display: false}, {left: '$', right: '$', display: false}],\n"
    "      ignoredTags: ['script', 'noscript', 'style', 'textarea', 'pre', 'code', 'x-equation', 'svg'],\n"
    "      ignoredClasses: ['katex', 'rp-math-raw', 'rp-nomath'],\n"
    "      throwOnError: true, strict: 'ignore',\n"
    "      errorCallback: function () {}\n"
    "    });\n"
    "  }\n"
    "  document.documentElement.setAttribute('data-math', 'done');\n"
    "})();\n";

void rp_html_end(rp_w *w, const rp_katex_assets *katex, const char *const *page_js)
{
    if (katex) {
        rp_w_puts(w, "<script nonce=\"" RP_NONCE "\">\n");
        rp_w_put(w, katex->js.data, katex->js.len);
        rp_w_puts(w, "\n</script>\n<script nonce=\"" RP_NONCE "\">\n");
        rp_w_put(w, katex->autorender.data, katex->autorender.len);
        rp_w_puts(w, "\n</script>\n<script nonce=\"" RP_NONCE "\">\n");
        rp_w_puts(w, math_pass);
        rp_w_puts(w, "</script>\n");
    }
    if (page_js) {
        rp_w_puts(w, "<script nonce=\"" RP_NONCE "\">\n");
        for (const char *const *piece = page_js; *piece; piece++)
            rp_w_puts(w, *piece);
        rp_w_puts(w, "</script>\n");
    }
    rp_w_puts(w, "</body>\n</html>\n");
}

/* ------------------------------------------------------ Markdown → HTML */

static void md_out(const MD_CHAR *s, MD_SIZE n, void *u)
{
    rp_w_put(u, s, n);
}

static bool blank_line(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return false;
    return true;
}

/* Whether the line s[0..n) opens or closes a fenced code block (``` or
 * ~~~ after up to three spaces). */
static bool fence_line(const char *s, size_t n)
{
    size_t j = 0;
    while (j < n && j < 4 && s[j] == ' ')
        j++;
    return n - j >= 3 && (strncmp(s + j, "```", 3) == 0 || strncmp(s + j, "~~~", 3) == 0);
}

/* The end of the line at i (the index of its '\n', or n). */
static size_t line_end(const char *s, size_t n, size_t i)
{
    const char *nl = memchr(s + i, '\n', n - i);
    return nl ? (size_t)(nl - s) : n;
}

#define MATH_MAX_LINES 500 /* a display formula longer than this is left as it is */

/* The display formula opened at s[i] by "$$" (dollars) or "\[": the index
 * just past its closer ("$$" or "\]"), or 0 when it does not close before
 * a blank line, a fence line or the end.  A backslash and the byte after it
 * go together, so \$ and \\ never open or close anything. */
static size_t math_end(const char *s, size_t n, size_t i, bool dollars)
{
    size_t lines = 0;
    for (size_t k = i + 2; k < n; k++) {
        if (s[k] == '\\' && k + 1 < n) {
            if (!dollars && s[k + 1] == ']')
                return k + 2;
            k++;
        } else if (dollars && s[k] == '$' && k + 1 < n && s[k + 1] == '$') {
            return k + 2;
        } else if (s[k] == '\n') {
            size_t e = line_end(s, n, k + 1);
            if (++lines > MATH_MAX_LINES || blank_line(s + k + 1, e - k - 1) ||
                fence_line(s + k + 1, e - k - 1))
                return 0;
        }
    }
    return 0;
}

/* The formula s[0..n) on one line: each line break a space, and a LaTeX
 * comment (an unescaped % to the end of its line) dropped, since on one
 * line it would hide the rest. */
static void put_joined(rp_w *w, const char *s, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        if (s[k] == '\\' && k + 1 < n && s[k + 1] != '\n') {
            rp_w_put(w, s + k, 2);
            k++;
        } else if (s[k] == '%') {
            while (k + 1 < n && s[k + 1] != '\n')
                k++;
        } else if (s[k] == '\n' || s[k] == '\r') {
            rp_w_putc(w, ' ');
        } else {
            rp_w_putc(w, s[k]);
        }
    }
}

/* Every display formula ($$…$$, \[…\]) that spans lines, outside code,
 * put on one line.  In Markdown a line of a formula that starts like a
 * block ("- 1 & 2 \\", "1. ", "# ", "> ") would end the paragraph, and
 * md4c then reads the formula as text and takes "\\" for an escaped
 * backslash: a matrix lost its row breaks.  On one line the formula stays
 * one math span. */
static rp_status join_display_math(rp_buf *b, const char *s, size_t n)
{
    rp_w w = rp_w_on(b);
    bool fence = false;
    size_t tick = 0, i = 0;
    while (i < n && w.st == RP_OK) {
        size_t e = line_end(s, n, i), run = i;
        if (fence_line(s + i, e - i))
            fence = !fence;
        else if (blank_line(s + i, e - i))
            tick = 0;
        for (size_t k = i; !fence && k < e;) {
            if (s[k] == '`') { /* inline code: never math */
                size_t r = 0;
                while (k + r < e && s[k + r] == '`')
                    r++;
                tick = tick == 0 ? r : tick == r ? 0 : tick;
                k += r;
                continue;
            }
            bool dollars = s[k] == '$' && k + 1 < e && s[k + 1] == '$';
            bool bracket = s[k] == '\\' && k + 1 < e && s[k + 1] == '[';
            if (tick || !(dollars || bracket)) {
                k += s[k] == '\\' && k + 1 < e ? 2 : 1;
                continue;
            }
            size_t end = math_end(s, n, k, dollars);
            if (end == 0 || end <= e) { /* unclosed, or on this line */
                k = end > k ? end : k + 2;
                continue;
            }
            rp_w_put(&w, s + run, k - run);
            put_joined(&w, s + k, end - k);
            run = k = end;
            e = line_end(s, n, k);
        }
        rp_w_put(&w, s + run, e - run);
        if (e < n)
            rp_w_putc(&w, '\n');
        i = e + 1;
    }
    return w.st;
}

/* One line of text outside code blocks: \( \) become $ and \[ \] become $$
 * outside inline code (a doubled backslash stays: "\\[2pt]" is a LaTeX
 * line break).  *tick is the length of the open inline code run (0: none). */
static void prepare_line(rp_w *w, const char *s, size_t n, size_t *tick)
{
    size_t k = 0;
    while (k < n) {
        char c = s[k];
        if (c == '`') {
            size_t r = 0;
            while (k + r < n && s[k + r] == '`')
                r++;
            *tick = *tick == 0 ? r : *tick == r ? 0 : *tick;
            rp_w_put(w, s + k, r);
            k += r;
        } else if (c == '\\' && k + 1 < n && *tick == 0) {
            char d = s[k + 1];
            if (d == '(' || d == ')')
                rp_w_putc(w, '$');
            else if (d == '[' || d == ']')
                rp_w_puts(w, "$$");
            else
                rp_w_put(w, s + k, 2);
            k += 2;
        } else {
            rp_w_putc(w, c);
            k++;
        }
    }
}

/* Text made ready for md4c: math delimiters as above outside fenced code,
 * and every line break inside a paragraph made hard (two spaces before
 * it), as chat interfaces show them. */
static rp_status md_prepare(rp_buf *b, const char *s, size_t n)
{
    rp_w w = rp_w_on(b);
    bool fence = false;
    size_t tick = 0, i = 0;
    while (i < n && w.st == RP_OK) {
        size_t e = i;
        while (e < n && s[e] != '\n')
            e++;
        bool fenced = fence_line(s + i, e - i);
        bool blank = blank_line(s + i, e - i);
        if (fenced)
            fence = !fence;
        if (fenced || fence || blank) {
            rp_w_put(&w, s + i, e - i);
            tick = 0;
        } else {
            prepare_line(&w, s + i, e - i, &tick);
        }
        if (e < n) {
            size_t ne = e + 1;
            while (ne < n && s[ne] != '\n')
                ne++;
            if (!fence && !fenced && !blank && !blank_line(s + e + 1, ne - e - 1) &&
                s[e - 1] != '\\' && !(e - i >= 2 && s[e - 1] == ' ' && s[e - 2] == ' '))
                rp_w_puts(&w, "  ");
            rp_w_putc(&w, '\n');
        }
        i = e + 1;
    }
    return w.st;
}

void rp_md_to_html(rp_w *w, const char *text, size_t n)
{
    if (!text || n == 0 || w->st != RP_OK)
        return;
    rp_buf joined, pre;
    rp_buf_init(&joined, (size_t)64 << 20);
    rp_buf_init(&pre, (size_t)64 << 20);
    rp_status st = join_display_math(&joined, text, n);
    if (st == RP_OK)
        st = md_prepare(&pre, joined.data ? joined.data : "", joined.len);
    rp_buf_free(&joined);
    if (st != RP_OK) {
        rp_buf_free(&pre);
        w->st = st;
        return;
    }
    unsigned flags = MD_DIALECT_GITHUB | MD_FLAG_LATEXMATHSPANS | MD_FLAG_NOHTML |
                     MD_FLAG_NOINDENTEDCODEBLOCKS;
    size_t mark = w->b->len;
    int rc = md_html(pre.data ? pre.data : "", (MD_SIZE)pre.len, md_out, w, flags, 0);
    rp_buf_free(&pre);
    if (rc == 0 && w->st == RP_OK) /* links from the text: http(s) and fragments only */
        w->st = rp_html_safe_links(w->b, mark);
    if (rc != 0 && w->st == RP_OK) {
        /* md4c refuses only when out of memory: show the text as it is */
        w->b->len = mark;
        w->b->data[mark] = '\0';
        rp_w_puts(w, "<pre>");
        rp_w_esc_n(w, text, n);
        rp_w_puts(w, "</pre>");
    }
}

/* The first unclosed Markdown or math delimiter of s[0..n): a formula
 * ($ or $$), inline code (a run of backticks) or strong emphasis (** or
 * __); n when everything closes.  Inside a formula or code nothing else
 * counts; a backslash and the byte after it go together. */
static size_t first_open(const char *s, size_t n)
{
    size_t open = n, code = 0, math = 0; /* lengths of the open code and math delimiters */
    size_t strong[2] = {n, n};           /* where an open ** and __ began */
    for (size_t k = 0; k < n;) {
        char c = s[k];
        size_t r = 1; /* the run of c at k */
        while (k + r < n && s[k + r] == c)
            r++;
        if (code) { /* code: only its closing run counts */
            if (c == '`' && r == code)
                code = 0, open = n;
        } else if (c == '\\') {
            r = 2;
        } else if (math) { /* a formula: only its closer counts */
            if (c == '$' && r >= math)
                r = math, math = 0, open = n;
        } else if (c == '`') {
            code = r, open = k;
        } else if (c == '$') {
            math = r = r >= 2 ? 2 : 1, open = k;
        } else if ((c == '*' || c == '_') && r >= 2) {
            size_t *at = &strong[c == '_'];
            *at = *at < n ? n : k;
        }
        k += r;
    }
    size_t first = open;
    for (int i = 0; i < 2; i++)
        if (strong[i] < first)
            first = strong[i];
    return first;
}

void rp_md_snippet_to_html(rp_w *w, const char *text, size_t n, size_t max)
{
    if (!text || n <= max) {
        rp_md_to_html(w, text, n);
        return;
    }
    /* at the last space before max (else at max, on a whole character),
     * then before any delimiter the cut would leave open */
    size_t k = max;
    while (k > max / 2 && text[k] != ' ' && text[k] != '\n')
        k--;
    if (k <= max / 2)
        for (k = max; k > 0 && ((unsigned char)text[k] & 0xC0) == 0x80;)
            k--;
    size_t open = first_open(text, k);
    if (open >= max / 3) /* else keep the cut: little would be left */
        k = open;
    while (k > 0 && (text[k - 1] == ' ' || text[k - 1] == '\n'))
        k--;
    rp_buf cut;
    rp_buf_init(&cut, 0);
    if (rp_buf_append(&cut, text, k) != RP_OK || rp_buf_puts(&cut, " \xe2\x80\xa6") != RP_OK)
        w->st = RP_ENOMEM;
    else
        rp_md_to_html(w, cut.data, cut.len);
    rp_buf_free(&cut);
}

/* --------------------------------------------------- one report as HTML */

/* One report as a section: heading, cards, the table of parts. */
static void report_section(rp_w *w, const rp_report *r)
{
    const rp_report_summary *s = &r->summary;
    rp_w_puts(w, "<section class=\"report\">\n<h1>");
    rp_w_esc(w, rp_report_display_model(r));
    rp_w_puts(w, "</h1>\n<p class=\"sub\"><code>");
    rp_w_esc(w, rp_report_display_path(r));
    rp_w_puts(w, "</code> &middot; rubric ");
    rp_w_esc(w, r->rubric_id ? r->rubric_id : "(none)");
    rp_w_puts(w, "</p>\n");
    rp_html_cards(w, s);
    rp_w_puts(w, "<table>\n<tr><th>part</th><th>title</th><th>expected</th><th>first</th><th>final</th>"
                 "<th class=\"num\">corrections</th><th>diagnosis</th></tr>\n");
    for (size_t i = 0; i < r->n_parts; i++) {
        const rp_part_result *p = &r->parts[i];
        rp_html_part_row(w, p, false);
        rp_w_puts(w, "<td class=\"expected\">");
        if (p->truth) {
            rp_w_puts(w, "\\(");
            rp_w_esc(w, p->truth);
            rp_w_puts(w, "\\)");
        }
        rp_w_puts(w, "</td><td>");
        rp_html_verdict(w, p->first.verdict);
        rp_w_puts(w, "</td><td>");
        rp_html_verdict(w, p->final.verdict);
        rp_w_printf(w, "</td><td class=\"num\">%zu%s</td><td>", p->n_corrections,
                    p->revealed ? " (revealed)" : "");
        rp_html_diagnosis(w, rp_part_failure(p));
        rp_w_puts(w, "</td></tr>\n");
    }
    rp_w_puts(w, "</table>\n</section>\n");
}

rp_status rp_reports_render_html(rp_report *const *r, size_t n, const rp_html_opts *o,
                                 rp_buf *out)
{
    rp_html_opts none = {0};
    rp_katex_assets *k = rp_katex_assets_load(o ? o : &none);
    rp_w w = rp_w_on(out);
    char title[512];
    if (n == 1)
        snprintf(title, sizeof title, "redpen: %.200s on %.200s", rp_report_display_model(r[0]),
                 r[0]->rubric_id ? r[0]->rubric_id : "(no rubric)");
    else
        snprintf(title, sizeof title, "redpen: %zu graded transcripts", n);
    rp_html_begin(&w, title, ".report+.report{margin-top:48px}\ntd.expected{max-width:24em;overflow-x:auto}\n", k);
    rp_w_puts(&w, "<main>\n");
    for (size_t i = 0; i < n; i++)
        report_section(&w, r[i]);
    rp_w_puts(&w, "</main>\n");
    rp_html_end(&w, k, NULL);
    rp_katex_assets_free(k);
    return w.st;
}

rp_status rp_report_render_html(const rp_report *r, const rp_html_opts *o,
                                rp_buf *out)
{
    rp_report *one = (rp_report *)r; /* read only */
    return rp_reports_render_html(&one, 1, o, out);
}
