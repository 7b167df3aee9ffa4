/*
 * The HTML frame every redpen page shares: escaping, the head with its
 * style sheet and security policy (the page makes no network request and
 * runs only its own scripts), KaTeX inlined at the end, and Markdown to
 * HTML through md4c for conversation text.  Also the single-report page.
 */
#include "report_int.h"

#include <md4c-html.h>
#include <md4c.h>
#include <string.h>

#define RP_NONCE "redpen-report"

rp_status rp_html_esc(rp_buf *b, const char *s, size_t n)
{
    if (!s)
        return RP_OK;
    if (n == RP_LEN_CSTR)
        n = strlen(s);
    size_t run = 0;
    rp_status st = RP_OK;
    for (size_t i = 0; i < n && st == RP_OK; i++) {
        const char *rep = NULL;
        switch (s[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: break;
        }
        if (!rep)
            continue;
        st = rp_buf_append(b, s + run, i - run);
        if (st == RP_OK)
            st = rp_buf_puts(b, rep);
        run = i + 1;
    }
    if (st == RP_OK)
        st = rp_buf_append(b, s + run, n - run);
    return st;
}

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
    "@media print{body{background:#fff}main{box-shadow:none;max-width:none;padding:0}"
    "h2{break-after:avoid}tr,.card{break-inside:avoid}}\n";

rp_status rp_html_begin(rp_buf *b, const char *title, const char *extra_css,
                        const rp_katex_assets *katex)
{
    rp_status st = rp_buf_puts(b,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta name=\"generator\" content=\"redpen " REDPEN_VERSION "\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "script-src 'nonce-" RP_NONCE "'; style-src 'unsafe-inline'; font-src data:; "
        "img-src data:\">\n<title>");
    if (st == RP_OK)
        st = rp_html_esc(b, title, RP_LEN_CSTR);
    if (st == RP_OK)
        st = rp_buf_puts(b, "</title>\n<style>\n");
    if (st == RP_OK)
        st = rp_buf_puts(b, page_css);
    if (st == RP_OK && extra_css)
        st = rp_buf_puts(b, extra_css);
    if (st == RP_OK)
        st = rp_buf_puts(b, "</style>\n");
    if (st == RP_OK && katex) {
        st = rp_buf_puts(b, "<style>\n");
        if (st == RP_OK)
            st = rp_buf_append(b, katex->css.data, katex->css.len);
        if (st == RP_OK)
            st = rp_buf_puts(b, "\n</style>\n");
    }
    if (st == RP_OK)
        st = rp_buf_puts(b, "</head>\n<body>\n");
    return st;
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

rp_status rp_html_end(rp_buf *b, const rp_katex_assets *katex)
{
    rp_status st = RP_OK;
    if (katex) {
        st = rp_buf_puts(b, "<script nonce=\"" RP_NONCE "\">\n");
        if (st == RP_OK)
            st = rp_buf_append(b, katex->js.data, katex->js.len);
        if (st == RP_OK)
            st = rp_buf_puts(b, "\n</script>\n<script nonce=\"" RP_NONCE "\">\n");
        if (st == RP_OK)
            st = rp_buf_append(b, katex->autorender.data, katex->autorender.len);
        if (st == RP_OK)
            st = rp_buf_puts(b, "\n</script>\n<script nonce=\"" RP_NONCE "\">\n");
        if (st == RP_OK)
            st = rp_buf_puts(b, math_pass);
        if (st == RP_OK)
            st = rp_buf_puts(b, "</script>\n");
    }
    if (st == RP_OK)
        st = rp_buf_puts(b, "</body>\n</html>\n");
    return st;
}

/* ------------------------------------------------------ Markdown → HTML */

typedef struct md_sink {
    rp_buf *b;
    rp_status st;
} md_sink;

static void md_out(const MD_CHAR *s, MD_SIZE n, void *u)
{
    md_sink *k = u;
    if (k->st == RP_OK)
        k->st = rp_buf_append(k->b, s, n);
}

/* Copy text to b with \( \) → $ and \[ \] → $$ outside code; a doubled
 * backslash is kept as it is (a LaTeX line break "\\[2pt]" stays). */
static rp_status math_delims(rp_buf *b, const char *s, size_t n)
{
    rp_status st = RP_OK;
    bool fence = false, bol = true;
    size_t tick = 0; /* length of the open inline code run, 0 outside */
    size_t i = 0;
    while (i < n && st == RP_OK) {
        if (bol) {
            size_t j = i;
            while (j < n && j - i < 4 && s[j] == ' ')
                j++;
            if (j + 2 < n && ((s[j] == '`' && s[j + 1] == '`' && s[j + 2] == '`') ||
                              (s[j] == '~' && s[j + 1] == '~' && s[j + 2] == '~')))
                fence = !fence;
        }
        char c = s[i];
        bol = c == '\n';
        if (fence) {
            st = rp_buf_putc(b, c);
            i++;
            continue;
        }
        if (c == '`') {
            size_t r = 0;
            while (i + r < n && s[i + r] == '`')
                r++;
            if (tick == 0)
                tick = r;
            else if (tick == r)
                tick = 0;
            st = rp_buf_append(b, s + i, r);
            i += r;
            continue;
        }
        if (c == '\\' && i + 1 < n && tick == 0) {
            char d = s[i + 1];
            if (d == '(' || d == ')')
                st = rp_buf_putc(b, '$');
            else if (d == '[' || d == ']')
                st = rp_buf_puts(b, "$$");
            else
                st = rp_buf_append(b, s + i, 2);
            i += 2;
            continue;
        }
        st = rp_buf_putc(b, c);
        i++;
    }
    return st;
}

rp_status rp_md_to_html(rp_buf *b, const char *text, size_t n)
{
    if (!text || n == 0)
        return RP_OK;
    rp_buf pre;
    rp_buf_init(&pre, (size_t)64 << 20);
    rp_status st = math_delims(&pre, text, n);
    if (st != RP_OK) {
        rp_buf_free(&pre);
        return st;
    }
    md_sink k = {b, RP_OK};
    unsigned flags = MD_DIALECT_GITHUB | MD_FLAG_LATEXMATHSPANS | MD_FLAG_NOHTML |
                     MD_FLAG_NOINDENTEDCODEBLOCKS;
    int rc = md_html(pre.data ? pre.data : "", (MD_SIZE)pre.len, md_out, &k, flags, 0);
    rp_buf_free(&pre);
    if (k.st != RP_OK)
        return k.st;
    if (rc != 0) /* md4c refuses only when out of memory: show the text */
        return rp_html_esc(b, text, n);
    return RP_OK;
}

/* ------------------------------------------------------------ verdicts */

const char *rp_verdict_mark(rp_verdict v)
{
    switch (v) {
    case RP_VERDICT_PASS: return "\xe2\x9c\x93";     /* ✓ */
    case RP_VERDICT_FAIL: return "\xe2\x9c\x97";     /* ✗ */
    case RP_VERDICT_MISSING: return "\xe2\x80\x93";  /* – */
    case RP_VERDICT_UNGRADED: return "?";
    }
    return "?";
}

static const char *const known_categories[] = {
    "missing_factor", "extra_factor", "wrong_factor", "sign_error",
    "asymptotic_only", "inequality", "unflipped_kernel", "transposed",
    "boundary_error", "wrong_shape", "swapped", "wrong_case", "missing_bias",
    "missing_answer", "arithmetic"};
#define N_KNOWN (int)(sizeof known_categories / sizeof known_categories[0])

static const char *const palette[] = {
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
    "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac", "#86bcb6", "#d37295",
    "#a0cbe8", "#8cd17d", "#499894", "#f1ce63", "#79706e", "#d4a6c8"};
#define N_PALETTE (sizeof palette / sizeof palette[0])

int rp_category_rank(const char *cat)
{
    if (!cat)
        return N_KNOWN + 1;
    for (int i = 0; i < N_KNOWN; i++)
        if (strcmp(cat, known_categories[i]) == 0)
            return i;
    return N_KNOWN;
}

const char *rp_category_color(const char *cat)
{
    int r = rp_category_rank(cat);
    if (r < N_KNOWN)
        return palette[r];
    /* a rubric's own category: a color from its name, stable across pages */
    uint32_t h = 2166136261u;
    for (const char *p = cat ? cat : ""; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    return palette[h % N_PALETTE];
}

size_t rp_report_turns(const rp_report *r, rp_role role)
{
    return r && r->transcript ? rp_transcript_count(r->transcript, role) : 0;
}

const char *rp_report_display_model(const rp_report *r)
{
    if (r->model && *r->model)
        return r->model;
    if (r->transcript && r->transcript->model && *r->transcript->model)
        return r->transcript->model;
    return "unknown model";
}

const char *rp_report_display_path(const rp_report *r)
{
    if (r->transcript && r->transcript->path)
        return r->transcript->path;
    return "(unknown)";
}

/* --------------------------------------------------- one report as HTML */

static rp_status verdict_html(rp_buf *b, const rp_attempt *a)
{
    return rp_buf_printf(b, "<span class=\"v %s\">%s %s</span>", rp_verdict_class(a->verdict),
                         rp_verdict_mark(a->verdict), rp_verdict_name(a->verdict));
}

rp_status rp_report_render_html(const rp_report *r, const rp_html_opts *o,
                                rp_buf *out)
{
    rp_html_opts none = {0};
    rp_katex_assets *k = rp_katex_assets_load(o ? o : &none);
    const char *model = rp_report_display_model(r);
    rp_buf title;
    rp_buf_init(&title, 4096);
    rp_status st = rp_buf_printf(&title, "redpen: %s on %s", model,
                                 r->rubric_id ? r->rubric_id : "(no rubric)");
    if (st == RP_OK)
        st = rp_html_begin(out, title.data, NULL, k);
    rp_buf_free(&title);
    const rp_report_summary *s = &r->summary;
    if (st == RP_OK)
        st = rp_buf_puts(out, "<main>\n<h1>");
    if (st == RP_OK)
        st = rp_html_esc(out, model, RP_LEN_CSTR);
    if (st == RP_OK)
        st = rp_buf_puts(out, "</h1>\n<p class=\"sub\">");
    if (st == RP_OK)
        st = rp_html_esc(out, rp_report_display_path(r), RP_LEN_CSTR);
    if (st == RP_OK)
        st = rp_buf_puts(out, " &middot; rubric ");
    if (st == RP_OK)
        st = rp_html_esc(out, r->rubric_id ? r->rubric_id : "(none)", RP_LEN_CSTR);
    if (st == RP_OK)
        st = rp_buf_printf(out,
            "</p>\n<div class=\"cards\"><div class=\"card\"><b>%zu/%zu</b><span>answered</span></div>"
            "<div class=\"card\"><b>%zu/%zu</b><span>pass on the first try</span></div>"
            "<div class=\"card\"><b>%zu/%zu</b><span>pass in the end</span></div>"
            "<div class=\"card\"><b>%zu</b><span>corrections</span></div>"
            "<div class=\"card\"><b>%zu</b><span>answers revealed</span></div></div>\n"
            "<table>\n<tr><th>part</th><th>title</th><th>first</th><th>final</th>"
            "<th class=\"num\">corrections</th><th>category</th></tr>\n",
            s->answered, s->parts, s->first_pass, s->parts, s->final_pass, s->parts,
            s->corrections, s->revealed);
    for (size_t i = 0; i < r->n_parts && st == RP_OK; i++) {
        const rp_part_result *p = &r->parts[i];
        const rp_attempt *bad = p->final.verdict == RP_VERDICT_FAIL ? &p->final : &p->first;
        st = rp_buf_puts(out, "<tr><td>");
        if (st == RP_OK)
            st = rp_html_esc(out, p->part, RP_LEN_CSTR);
        if (st == RP_OK)
            st = rp_buf_puts(out, "</td><td>");
        if (st == RP_OK)
            st = rp_html_esc(out, p->title, RP_LEN_CSTR);
        if (st == RP_OK)
            st = rp_buf_puts(out, "</td><td>");
        if (st == RP_OK)
            st = verdict_html(out, &p->first);
        if (st == RP_OK)
            st = rp_buf_puts(out, "</td><td>");
        if (st == RP_OK)
            st = verdict_html(out, &p->final);
        if (st == RP_OK)
            st = rp_buf_printf(out, "</td><td class=\"num\">%zu%s</td><td>", p->n_corrections,
                               p->revealed ? " (revealed)" : "");
        if (st == RP_OK && bad->category) {
            st = rp_buf_puts(out, "<span class=\"cat\">");
            if (st == RP_OK)
                st = rp_html_esc(out, bad->category, RP_LEN_CSTR);
            if (st == RP_OK)
                st = rp_buf_puts(out, "</span> ");
            if (st == RP_OK)
                st = rp_html_esc(out, bad->detail, RP_LEN_CSTR);
        }
        if (st == RP_OK)
            st = rp_buf_puts(out, "</td></tr>\n");
    }
    if (st == RP_OK)
        st = rp_buf_puts(out, "</table>\n</main>\n");
    if (st == RP_OK)
        st = rp_html_end(out, k);
    rp_katex_assets_free(k);
    return st;
}
