/*
 * The annotated transcript: the whole conversation as the student saw it,
 * with redpen's findings in the margin.  Beside each model turn, the
 * verdict of every part that turn answered (category, detail, claim);
 * beside each user turn that corrected the model, the kind of correction
 * and the part it was about; the annotator's own notes in boxes of their
 * own, apart from the model's text; a summary at the top.  HTML (turns
 * rendered from Markdown by md4c, math by KaTeX, printable to PDF) or
 * Markdown.
 */
#include "report_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLAIM_MATH_MAX 600 /* longer LaTeX claims are cut and shown as text */
#define CLAIM_TEXT_MAX 240 /* prose claims are cut here */
#define QUOTE_MAX 280      /* the quoted correction is cut here */

static const char annot_css[] =
    ".summary table{width:100%}\n"
    ".summary td a{color:inherit}\n"
    ".summary td.nw{white-space:nowrap}\n"
    ".turn{display:grid;grid-template-columns:minmax(0,1fr) 290px;gap:22px;margin:0 0 18px;"
    "scroll-margin-top:12px}\n"
    ".bubble{border:1px solid var(--line);border-radius:10px;padding:4px 18px 8px;min-width:0}\n"
    ".turn.user .bubble{background:#f3f6fb;border-color:#d6deea}\n"
    ".turn.model .bubble{border-left:4px solid #8c959f}\n"
    ".turn.model.has-fail .bubble{border-left-color:var(--fail)}\n"
    ".turn.model.has-pass .bubble{border-left-color:var(--pass)}\n"
    ".who{font-size:12.5px;color:var(--muted);margin:6px 0 2px;font-weight:600;"
    "text-transform:uppercase;letter-spacing:.04em}\n"
    ".who .t{font-weight:400;text-transform:none;letter-spacing:0}\n"
    ".md{overflow-wrap:anywhere}\n"
    ".md table{font-size:13.5px}\n"
    ".md img{display:none}\n"
    ".note{margin:10px 0 6px;padding:8px 12px 6px;background:var(--note);border:1px dashed var(--note-line);"
    "border-radius:6px;font-family:'Noto Serif','DejaVu Serif',Georgia,serif;font-style:italic;color:#5c4813}\n"
    ".note-h{font:600 11.5px/1.4 'Noto Sans','DejaVu Sans',sans-serif;font-style:normal;"
    "text-transform:uppercase;letter-spacing:.05em;color:#9a6700}\n"
    ".note p{margin:4px 0}\n"
    ".note-p+.note-p{border-top:1px dotted #e3c96f;margin-top:4px;padding-top:2px}\n"
    ".lead{margin:18px 0}\n"
    ".margin{font-size:13px;line-height:1.45;min-width:0}\n"
    ".mn{border-radius:8px;padding:7px 10px;margin:0 0 8px;border:1px solid var(--line);"
    "background:#fff;break-inside:avoid;position:relative}\n"
    ".mn::before{content:'';position:absolute;left:-13px;top:14px;width:8px;height:8px;"
    "border-radius:50%;background:inherit;border:1px solid var(--line)}\n"
    ".mn.pass{background:var(--pass-bg);border-color:#aceebb}\n"
    ".mn.fail{background:var(--fail-bg);border-color:#ffcecb}\n"
    ".mn.missing,.mn.ungraded{background:var(--ungraded-bg);border-color:#f5e0a0}\n"
    ".mn.corr{background:#fbefff;border-color:#e6c8f5}\n"
    ".mn.corr.solution{background:#ffeff7;border-color:#f5c2dd}\n"
    ".mn .p{font-weight:700;margin-right:4px}\n"
    ".mn .k{font-weight:700;color:#8250df;text-transform:uppercase;font-size:11.5px;letter-spacing:.05em}\n"
    ".mn.corr.solution .k{color:#bf3989}\n"
    ".mn .det{display:block;margin-top:2px}\n"
    ".mn .claim{display:block;margin-top:4px;padding-top:4px;border-top:1px solid rgba(0,0,0,.08);"
    "overflow-x:auto;color:#32383f}\n"
    ".mn .q{display:block;margin-top:3px;color:#59636e;font-style:italic}\n"
    ".mn .expected{display:block;margin-top:2px;overflow-x:auto;color:#1a7f37}\n"
    ".mdi p,.mdi ul,.mdi ol{display:inline;margin:0;padding:0}\n"
    ".mdi p+p::before,.mdi li+li::before{content:' \\2014  '}\n"
    ".mdi li{display:inline}\n"

    ".mn .seq{float:right;font-size:11px;color:#59636e}\n"
    ".keynote{display:block;margin-top:3px;font-size:12px;color:#9a6700}\n"
    ".legend-line{font-size:13px;color:var(--muted)}\n"
    "@media (max-width:900px){.turn{grid-template-columns:1fr}.mn::before{display:none}}\n"
    "@media (max-width:640px){.bubble{padding:2px 10px 6px}.turn{gap:10px}}\n"
    "@media screen and (prefers-color-scheme:dark){"
    ".turn.user .bubble{background:#111a27;border-color:#2a3a52}.turn.model .bubble{border-left-color:#656c76}"
    ".note{color:#e3c96f}.note-h{color:#d29922}.note-p+.note-p{border-top-color:#6b5514}"
    ".mn{background:#151b23}.mn.pass{border-color:#1f6f3a}.mn.fail{border-color:#8e2a2a}"
    ".mn.missing,.mn.ungraded{border-color:#6b5514}.mn.corr{background:#231a33;border-color:#4c3773}"
    ".mn.corr.solution{background:#2e1727;border-color:#6e2d55}.mn .k{color:#ab7df8}"
    ".mn.corr.solution .k{color:#f778ba}.mn .claim{color:var(--ink);border-top-color:rgba(255,255,255,.12)}"
    ".mn .q,.mn .seq{color:var(--muted)}.mn .expected{color:var(--pass)}.keynote{color:#d29922}}\n"
    "@media print{@page{size:A4;margin:13mm 11mm}body{font-size:10.5pt}"
    ".turn{grid-template-columns:minmax(0,1fr) 58mm;gap:5mm}"
    ".bubble{break-inside:auto}.summary{break-after:page}"
    ".mn .claim,.mn .expected,.katex-display{overflow:visible}pre{white-space:pre-wrap}"
    ".mn,.md,.rp-math-raw{overflow-wrap:anywhere}}\n";


/* Words of prose in a claim: runs of two or more letters that are not a
 * LaTeX command (\\frac), a sub- or superscript (d_out) or inside a group
 * (p_{in}, \\text{...}).  Evidence that a claim without $ is text: two
 * such words ("table with 7 of 7 rows"), or a claim that is one word and
 * nothing else ("increases"); a formula has at most one ("n \\log n"). */
static bool prose_claim(const char *s)
{
    size_t words = 0, depth = 0;
    bool only_words = true;
    for (size_t k = 0; s[k];) {
        unsigned char c = (unsigned char)s[k];
        size_t r = 0;
        while (isalpha((unsigned char)s[k + r]))
            r++;
        if (r >= 2 && depth == 0 && (k == 0 || !strchr("\\_^", s[k - 1])))
            words++;
        if (r) {
            k += r;
            continue;
        }
        depth += c == '{' ? 1 : c == '}' && depth ? (size_t)-1 : 0;
        only_words = only_words && (c == ' ' || strchr(".,;:!?'", c) || c >= 0x80);
        k++;
    }
    return words >= 2 || (words == 1 && only_words);
}

/* Whether a claim without $ is a formula: LaTeX marks (\\, ^, _, =, {)
 * or a short one, and not prose. */
static bool looks_like_math(const char *s)
{
    if (prose_claim(s))
        return false;
    for (const char *p = s; *p; p++)
        if (*p == '\\' || *p == '^' || *p == '_' || *p == '=' || *p == '{')
            return true;
    return strlen(s) <= 24;
}

/* The claimed answer: a bare formula typeset as math; anything else (text
 * with $…$, prose, Markdown) rendered as Markdown, its formulas typeset,
 * cut when long. */
static void claim_html(rp_w *w, const char *claim)
{
    if (!claim || !*claim)
        return;
    size_t n = strlen(claim);
    bool dollars = strchr(claim, '$') != NULL;
    if (!dollars && n <= CLAIM_MATH_MAX && looks_like_math(claim)) {
        rp_w_puts(w, "<span class=\"claim\">claimed: \\(");
        rp_w_esc(w, claim);
        rp_w_puts(w, "\\)</span>");
        return;
    }
    rp_w_puts(w, "<div class=\"claim mdi\"><span class=\"lbl\">claimed: </span>");
    rp_md_snippet_to_html(w, claim, n, dollars ? CLAIM_MATH_MAX : CLAIM_TEXT_MAX);
    rp_w_puts(w, "</div>");
}

/* The margin note of attempt a of part p, with the expected answer (LaTeX;
 * NULL: not known). */
static void attempt_note(rp_w *w, const rp_part_result *p, size_t a, const char *expected)
{
    const rp_attempt *at = &p->attempts[a];
    rp_w_printf(w, "<div class=\"mn %s\" id=\"", rp_verdict_class(at->verdict));
    rp_w_part_anchor(w, p->part);
    rp_w_printf(w, "-a%zu\" data-part=\"", a + 1);
    rp_w_esc(w, p->part);
    rp_w_printf(w, "\" data-v=\"%s\">", rp_verdict_name(at->verdict));
    if (p->n_attempts > 1)
        rp_w_printf(w, "<span class=\"seq\">attempt %zu of %zu</span>", a + 1, p->n_attempts);
    rp_w_puts(w, "<span class=\"p\">");
    rp_w_esc(w, p->part);
    rp_w_puts(w, "</span>");
    rp_html_verdict(w, at->verdict);
    if (at->category) {
        rp_w_puts(w, " <span class=\"cat\">");
        rp_w_esc(w, at->category);
        rp_w_puts(w, "</span>");
    }
    if (at->detail || at->note) {
        rp_w_puts(w, "<span class=\"det\">");
        rp_html_detail(w, at->detail ? at->detail : at->note);
        rp_w_puts(w, "</span>");
    }
    claim_html(w, at->claim);
    if (expected) {
        rp_w_puts(w, "<span class=\"expected\">expected: \\(");
        rp_w_esc(w, expected);
        rp_w_puts(w, "\\)</span>");
    }
    if (p->key_note && a + 1 == p->n_attempts) {
        rp_w_puts(w, "<span class=\"keynote\">key: ");
        rp_w_esc(w, p->key_note);
        rp_w_puts(w, "</span>");
    }
    rp_w_puts(w, "</div>\n");
}

/* A correction of one part, found at a turn. */
typedef struct corr_ref {
    const rp_part_result *p;
    size_t c;
    bool done;
} corr_ref;

static bool same_correction(const rp_correction *a, const rp_correction *b)
{
    return a->kind == b->kind &&
           (a->text == b->text || (a->text && b->text && strcmp(a->text, b->text) == 0));
}

/* One margin note for refs[k] and every later correction of the same kind
 * and words (one sentence that corrects 1a and 1b is one note). */
static void correction_note(rp_w *w, corr_ref *refs, size_t n, size_t k)
{
    const rp_correction *co = &refs[k].p->corrections[refs[k].c];
    const char *kind = rp_correction_kind_name(co->kind);
    size_t group = 0;
    for (size_t j = k; j < n; j++)
        group += !refs[j].done && same_correction(co, &refs[j].p->corrections[refs[j].c]);
    rp_w_printf(w, "<div class=\"mn corr %s\">", kind);
    if (group == 1)
        rp_w_printf(w, "<span class=\"seq\">%zu of %zu</span>", refs[k].c + 1, refs[k].p->n_corrections);
    rp_w_printf(w, "<span class=\"k\">%s</span> correction of ", kind);
    const char *sep = "";
    for (size_t j = k; j < n; j++) {
        if (refs[j].done || !same_correction(co, &refs[j].p->corrections[refs[j].c]))
            continue;
        refs[j].done = true;
        rp_w_puts(w, sep);
        rp_w_puts(w, "<span class=\"p\" id=\"");
        rp_w_part_anchor(w, refs[j].p->part);
        rp_w_printf(w, "-c%zu\" data-part=\"", refs[j].c + 1);
        rp_w_esc(w, refs[j].p->part);
        rp_w_printf(w, "\" data-c=\"%s\">", kind);
        rp_w_esc(w, refs[j].p->part);
        rp_w_puts(w, "</span>");
        sep = " ";
    }
    if (co->text) {
        size_t len = strlen(co->text);
        rp_w_puts(w, "<div class=\"q mdi\">\xe2\x80\x9c");
        rp_md_snippet_to_html(w, co->text, len, QUOTE_MAX);
        rp_w_puts(w, "\xe2\x80\x9d</div>");
    }
    rp_w_puts(w, "</div>\n");
}

/* Margin notes beside a turn; *fails / *passes count the verdicts. */
static void margin_html(rp_w *w, const rp_report *r, const rp_html_opts *o, const rp_turn *turn,
                        int *fails, int *passes)
{
    size_t n_refs = 0;
    for (size_t i = 0; i < r->n_parts; i++) {
        const rp_part_result *p = &r->parts[i];
        for (size_t a = 0; a < p->n_attempts; a++)
            if (p->attempts[a].turn == turn->index) {
                *fails += p->attempts[a].verdict == RP_VERDICT_FAIL;
                *passes += p->attempts[a].verdict == RP_VERDICT_PASS;
                attempt_note(w, p, a, rp_part_expected(o, r, p->part));
            }
        for (size_t c = 0; c < p->n_corrections; c++)
            n_refs += p->corrections[c].turn == turn->index;
    }
    if (!n_refs)
        return;
    corr_ref *refs = calloc(n_refs, sizeof *refs);
    if (!refs) {
        if (w->st == RP_OK)
            w->st = RP_ENOMEM;
        return;
    }
    size_t k = 0;
    for (size_t i = 0; i < r->n_parts; i++)
        for (size_t c = 0; c < r->parts[i].n_corrections; c++)
            if (r->parts[i].corrections[c].turn == turn->index) {
                refs[k].p = &r->parts[i];
                refs[k++].c = c;
            }
    for (k = 0; k < n_refs; k++)
        if (!refs[k].done)
            correction_note(w, refs, n_refs, k);
    free(refs);
}

/* The annotator's notes at one place, in one box of their own. */
static void notes_html(rp_w *w, const rp_note *notes, size_t n)
{
    if (!n)
        return;
    rp_w_printf(w, "<div class=\"note\"><div class=\"note-h\">Annotator\xe2\x80\x99s note%s</div>\n",
                n > 1 ? "s" : "");
    for (size_t i = 0; i < n; i++) {
        rp_w_puts(w, "<div class=\"note-p\">");
        rp_md_to_html(w, notes[i].text, notes[i].text ? strlen(notes[i].text) : 0);
        rp_w_puts(w, "</div>\n");
    }
    rp_w_puts(w, "</div>\n");
}

static void turn_link(rp_w *w, const rp_attempt *a)
{
    rp_html_verdict(w, a->verdict);
    if (a->turn > 0)
        rp_w_printf(w, " <a href=\"#turn-%d\" class=\"muted small\">turn&nbsp;%d</a>", a->turn, a->turn);
}

static const char *who(const rp_transcript *t, const rp_report *r, const rp_turn *turn)
{
    if (turn->role == RP_ROLE_USER)
        return "Student";
    if (turn->role == RP_ROLE_SYSTEM)
        return "System";
    if (turn->model && *turn->model)
        return turn->model;
    return r ? rp_report_display_model(r) : t->model ? t->model : "Model";
}

static void summary_html(rp_w *w, const rp_transcript *t, const rp_report *r)
{
    const rp_report_summary *s = &r->summary;
    rp_w_puts(w, "<section class=\"summary\">\n<h1>");
    rp_w_esc(w, rp_report_display_model(r));
    if (r->rubric_id) {
        rp_w_puts(w, " on ");
        rp_w_esc(w, r->rubric_id);
    }
    rp_w_puts(w, "</h1>\n<p class=\"sub\"><code>");
    rp_w_esc(w, t->path ? t->path : "(unknown)");
    rp_w_puts(w, "</code> &middot; ");
    rp_w_esc(w, t->format ? t->format : "?");
    rp_w_printf(w, " &middot; %zu user and %zu model turns &middot; %zu annotator notes</p>\n",
                rp_transcript_count(t, RP_ROLE_USER), rp_transcript_count(t, RP_ROLE_MODEL), t->n_notes);
    rp_html_cards(w, s);
    rp_w_puts(w,
        "<p class=\"legend-line\">In the margin: beside each model turn, redpen\xe2\x80\x99s verdict "
        "on every part it answered; beside each student turn that corrected the model, the kind of "
        "correction (nudge: says it is wrong; hint: names the cause; solution: gives the answer). "
        "Dashed yellow boxes are the annotator\xe2\x80\x99s own notes.</p>\n"
        "<table>\n<tr><th>part</th><th>title</th><th>first answer</th><th>final answer</th>"
        "<th>corrections</th><th>diagnosis</th></tr>\n");
    for (size_t i = 0; i < r->n_parts; i++) {
        const rp_part_result *p = &r->parts[i];
        rp_html_part_row(w, p, true);
        rp_w_puts(w, "<td class=\"nw\">");
        turn_link(w, &p->first);
        rp_w_puts(w, "</td><td class=\"nw\">");
        turn_link(w, &p->final);
        rp_w_puts(w, "</td><td>");
        for (size_t c = 0; c < p->n_corrections; c++)
            rp_w_printf(w, "%s<a href=\"#turn-%d\">%s</a>", c ? ", " : "", p->corrections[c].turn,
                        rp_correction_kind_name(p->corrections[c].kind));
        if (p->revealed)
            rp_w_puts(w, " <span class=\"muted\">(revealed)</span>");
        rp_w_puts(w, "</td><td>");
        rp_html_diagnosis(w, rp_part_failure(p));
        rp_w_puts(w, "</td></tr>\n");
    }
    rp_w_puts(w, "</table>\n</section>\n");
}

static rp_status render_html(const rp_transcript *t, const rp_report *r, const rp_html_opts *o,
                             rp_buf *out)
{
    rp_html_opts none = {0};
    rp_katex_assets *k = rp_katex_assets_load(o ? o : &none);
    rp_buf margin;
    rp_buf_init(&margin, (size_t)16 << 20);
    rp_w w = rp_w_on(out);
    char title[512];
    snprintf(title, sizeof title, "%.300s, annotated by redpen", t->path ? t->path : "transcript");
    rp_buf css;
    rp_buf_init(&css, 0);
    if (rp_buf_puts(&css, annot_css) != RP_OK || rp_buf_puts(&css, rp_annotate_ui_css) != RP_OK)
        w.st = RP_ENOMEM;
    rp_html_begin(&w, title, css.data ? css.data : "", k);
    rp_buf_free(&css);
    rp_w_puts(&w, "<main>\n");
    summary_html(&w, t, r);
    if (t->n_lead_notes) {
        rp_w_puts(&w, "<section class=\"lead\">");
        notes_html(&w, t->lead_notes, t->n_lead_notes);
        rp_w_puts(&w, "</section>\n");
    }
    rp_w_puts(&w, "<h2>Conversation</h2>\n");
    for (size_t i = 0; i < t->n_turns; i++) {
        const rp_turn *turn = &t->turns[i];
        int fails = 0, passes = 0;
        rp_buf_clear(&margin);
        rp_w m = rp_w_on(&margin);
        margin_html(&m, r, o, turn, &fails, &passes);
        if (w.st == RP_OK)
            w.st = m.st;
        rp_w_printf(&w, "<article class=\"turn %s%s\" id=\"turn-%d\">\n<div class=\"bubble\">"
                        "<div class=\"who\">", rp_role_name(turn->role),
                    fails ? " has-fail" : passes ? " has-pass" : "", turn->index);
        rp_w_esc(&w, who(t, r, turn));
        rp_w_printf(&w, " <span class=\"t\">&middot; turn %d", turn->index);
        if (turn->time) {
            rp_w_puts(&w, " &middot; ");
            rp_w_esc(&w, turn->time);
        }
        rp_w_puts(&w, "</span></div>\n<div class=\"md\">");
        rp_md_to_html(&w, turn->text, turn->text ? strlen(turn->text) : 0);
        rp_w_puts(&w, "</div>\n");
        notes_html(&w, turn->notes, turn->n_notes);
        rp_w_puts(&w, "</div>\n<aside class=\"margin\">");
        rp_w_put(&w, margin.data, margin.len);
        rp_w_puts(&w, "</aside>\n</article>\n");
    }
    rp_w_puts(&w, "</main>\n");
    rp_html_end(&w, k, rp_annotate_ui_js);
    rp_buf_free(&margin);
    rp_katex_assets_free(k);
    return w.st;
}

/* ---------------------------------------------------------------- Markdown */

/* text continuing a blockquote: every further line prefixed by "> ". */
static void quote(rp_w *w, const char *text)
{
    for (const char *p = text; p && *p; p++) {
        rp_w_putc(w, *p);
        if (*p == '\n' && p[1])
            rp_w_puts(w, "> ");
    }
}

static void md_notes(rp_w *w, const rp_note *notes, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        rp_w_puts(w, "\n> **Annotator's note.** ");
        quote(w, notes[i].text);
        rp_w_putc(w, '\n');
    }
}

/* s on one line (line breaks as spaces), cut at max bytes with "…". */
static void md_line(rp_w *w, const char *s, size_t max)
{
    size_t n = strlen(s), k = n > max ? max : n;
    while (k < n && k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    for (size_t i = 0; i < k; i++)
        rp_w_putc(w, s[i] == '\n' || s[i] == '\r' ? ' ' : s[i]);
    if (k < n)
        rp_w_puts(w, "\xe2\x80\xa6");
}

/* The claim and the expected answer of a margin note, on a line of the
 * quote: a bare formula between $, other claims as they are. */
static void md_claim(rp_w *w, const char *claim, const char *expected)
{
    if (!claim && !expected)
        return;
    rp_w_puts(w, "\n> ");
    if (claim && *claim) {
        bool dollars = strchr(claim, '$') != NULL;
        bool bare = !dollars && strlen(claim) <= CLAIM_MATH_MAX && looks_like_math(claim);
        rp_w_puts(w, bare ? "claimed: $" : "claimed: ");
        md_line(w, claim, dollars ? CLAIM_MATH_MAX : CLAIM_TEXT_MAX);
        rp_w_puts(w, bare ? "$" : "");
        rp_w_puts(w, expected ? " \xc2\xb7 " : "");
    }
    if (expected) {
        rp_w_puts(w, "expected: $");
        md_line(w, expected, SIZE_MAX);
        rp_w_putc(w, '$');
    }
}

/* The margin of one turn as blockquotes. */
static void md_margin(rp_w *w, const rp_report *r, const rp_html_opts *o, const rp_turn *turn)
{
    for (size_t pi = 0; pi < r->n_parts; pi++) {
        const rp_part_result *p = &r->parts[pi];
        for (size_t a = 0; a < p->n_attempts; a++) {
            const rp_attempt *at = &p->attempts[a];
            if (at->turn != turn->index)
                continue;
            rp_w_printf(w, "\n> **redpen · %s** %s %s", p->part, rp_verdict_mark(at->verdict),
                        rp_verdict_name(at->verdict));
            if (at->category)
                rp_w_printf(w, " `%s`", at->category);
            if (at->detail)
                rp_w_printf(w, ": %s", at->detail);
            md_claim(w, at->claim, rp_part_expected(o, r, p->part));
            rp_w_putc(w, '\n');
        }
        for (size_t c = 0; c < p->n_corrections; c++)
            if (p->corrections[c].turn == turn->index)
                rp_w_printf(w, "\n> **redpen · correction (%s) of %s**\n",
                            rp_correction_kind_name(p->corrections[c].kind), p->part);
    }
}

/* "✗ fail (turn 2)"; no turn for a part never answered. */
static void md_attempt(rp_w *w, const rp_attempt *a)
{
    rp_w_printf(w, "%s %s", rp_verdict_mark(a->verdict), rp_verdict_name(a->verdict));
    if (a->turn > 0)
        rp_w_printf(w, " (turn %d)", a->turn);
}

static rp_status render_md(const rp_transcript *t, const rp_report *r, const rp_html_opts *o,
                           rp_buf *out)
{
    const rp_report_summary *s = &r->summary;
    rp_w w = rp_w_on(out);
    rp_w_printf(&w, "# %s%s%s: annotated transcript\n\n`%s` · %zu user and %zu model turns · "
                    "%zu annotator notes\n\n",
                rp_report_display_model(r), r->rubric_id ? " on " : "", r->rubric_id ? r->rubric_id : "",
                t->path ? t->path : "(unknown)", rp_transcript_count(t, RP_ROLE_USER),
                rp_transcript_count(t, RP_ROLE_MODEL), t->n_notes);
    rp_w_printf(&w, "**%zu/%zu** answered · **%zu/%zu** right on the first try · **%zu/%zu** right in "
                    "the end · **%zu** corrections · **%zu** revealed\n\n"
                    "| part | first | final | corrections | diagnosis |\n| --- | --- | --- | --- | --- |\n",
                s->answered, s->parts, s->first_pass, s->parts, s->final_pass, s->parts, s->corrections,
                s->revealed);
    for (size_t i = 0; i < r->n_parts; i++) {
        const rp_part_result *p = &r->parts[i];
        const rp_attempt *f = rp_part_failure(p);
        rp_w_printf(&w, "| %s | ", p->part);
        md_attempt(&w, &p->first);
        rp_w_puts(&w, " | ");
        md_attempt(&w, &p->final);
        rp_w_printf(&w, " | %zu%s | ", p->n_corrections, p->revealed ? ", revealed" : "");
        if (f && f->category)
            rp_w_printf(&w, "`%s` ", f->category);
        rp_w_md_cell(&w, f ? f->detail : NULL);
        rp_w_puts(&w, " |\n");
    }
    md_notes(&w, t->lead_notes, t->n_lead_notes);
    for (size_t i = 0; i < t->n_turns; i++) {
        const rp_turn *turn = &t->turns[i];
        rp_w_printf(&w, "\n---\n\n### Turn %d · %s%s%s\n\n", turn->index, who(t, r, turn),
                    turn->time ? " · " : "", turn->time ? turn->time : "");
        rp_w_puts(&w, turn->text);
        rp_w_putc(&w, '\n');
        md_notes(&w, turn->notes, turn->n_notes);
        md_margin(&w, r, o, turn);
    }
    return w.st;
}

rp_status rp_annotate_render(const rp_transcript *t, const rp_report *r,
                             rp_annotate_format fmt, const rp_html_opts *o,
                             rp_buf *out)
{
    if (!t || !r)
        return RP_EINTERNAL;
    switch (fmt) {
    case RP_ANNOTATE_HTML: return render_html(t, r, o, out);
    case RP_ANNOTATE_MD: return render_md(t, r, o, out);
    }
    return RP_EUNSUPPORTED;
}
