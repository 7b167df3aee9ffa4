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

#include <stdio.h>
#include <string.h>

#define CLAIM_SHOW_MAX 600 /* longer claims are cut and shown as text */

static const char annot_css[] =
    ".summary table{width:100%}\n"
    ".summary td a{color:inherit}\n"
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
    ".mn .seq{float:right;font-size:11px;color:#59636e}\n"
    ".keynote{display:block;margin-top:3px;font-size:12px;color:#9a6700}\n"
    ".legend-line{font-size:13px;color:var(--muted)}\n"
    "@media (max-width:900px){.turn{grid-template-columns:1fr}.mn::before{display:none}}\n"
    "@media print{@page{size:A4;margin:13mm 11mm}body{font-size:10.5pt}"
    ".turn{grid-template-columns:minmax(0,1fr) 58mm;gap:5mm}"
    ".bubble{break-inside:auto}.summary{break-after:page}}\n";

static bool looks_like_math(const char *s)
{
    for (const char *p = s; *p; p++)
        if (*p == '\\' || *p == '^' || *p == '_' || *p == '=' || *p == '{')
            return true;
    return strlen(s) <= 24;
}

static rp_status put(rp_buf *b, const char *s)
{
    return rp_html_esc(b, s, RP_LEN_CSTR);
}

static rp_status claim_html(rp_buf *b, const char *claim)
{
    if (!claim || !*claim)
        return RP_OK;
    size_t n = strlen(claim);
    rp_status st = rp_buf_puts(b, "<span class=\"claim\">claimed: ");
    if (st != RP_OK)
        return st;
    bool dollars = strchr(claim, '$') != NULL;
    if (n <= CLAIM_SHOW_MAX && !dollars && looks_like_math(claim)) {
        st = rp_buf_puts(b, "\\(");
        if (st == RP_OK)
            st = rp_html_esc(b, claim, n);
        if (st == RP_OK)
            st = rp_buf_puts(b, "\\)");
    } else {
        st = rp_buf_puts(b, "<span class=\"rp-nomath\">");
        if (st == RP_OK)
            st = rp_html_esc(b, claim, n > CLAIM_SHOW_MAX ? CLAIM_SHOW_MAX : n);
        if (st == RP_OK && n > CLAIM_SHOW_MAX)
            st = rp_buf_puts(b, "\xe2\x80\xa6");
        if (st == RP_OK)
            st = rp_buf_puts(b, "</span>");
    }
    if (st == RP_OK)
        st = rp_buf_puts(b, "</span>");
    return st;
}

/* Margin notes beside turn idx; *fails / *passes count the verdicts. */
static rp_status margin_html(const rp_report *r, const rp_turn *turn, rp_buf *b, int *fails,
                             int *passes)
{
    rp_status st = RP_OK;
    for (size_t i = 0; i < r->n_parts && st == RP_OK; i++) {
        const rp_part_result *p = &r->parts[i];
        for (size_t a = 0; a < p->n_attempts && st == RP_OK; a++) {
            const rp_attempt *at = &p->attempts[a];
            if (at->turn != turn->index)
                continue;
            *fails += at->verdict == RP_VERDICT_FAIL;
            *passes += at->verdict == RP_VERDICT_PASS;
            st = rp_buf_printf(b, "<div class=\"mn %s\">", rp_verdict_class(at->verdict));
            if (st == RP_OK && p->n_attempts > 1)
                st = rp_buf_printf(b, "<span class=\"seq\">attempt %zu of %zu</span>", a + 1,
                                   p->n_attempts);
            if (st == RP_OK)
                st = rp_buf_puts(b, "<span class=\"p\">");
            if (st == RP_OK)
                st = put(b, p->part);
            if (st == RP_OK)
                st = rp_buf_printf(b, "</span><span class=\"v %s\">%s %s</span>",
                                   rp_verdict_class(at->verdict), rp_verdict_mark(at->verdict),
                                   rp_verdict_name(at->verdict));
            if (st == RP_OK && at->category) {
                st = rp_buf_puts(b, " <span class=\"cat\">");
                if (st == RP_OK)
                    st = put(b, at->category);
                if (st == RP_OK)
                    st = rp_buf_puts(b, "</span>");
            }
            if (st == RP_OK && (at->detail || at->note)) {
                st = rp_buf_puts(b, "<span class=\"det\">");
                if (st == RP_OK)
                    st = put(b, at->detail ? at->detail : at->note);
                if (st == RP_OK)
                    st = rp_buf_puts(b, "</span>");
            }
            if (st == RP_OK)
                st = claim_html(b, at->claim);
            if (st == RP_OK && p->key_note && a + 1 == p->n_attempts) {
                st = rp_buf_puts(b, "<span class=\"keynote\">key: ");
                if (st == RP_OK)
                    st = put(b, p->key_note);
                if (st == RP_OK)
                    st = rp_buf_puts(b, "</span>");
            }
            if (st == RP_OK)
                st = rp_buf_puts(b, "</div>\n");
        }
        for (size_t c = 0; c < p->n_corrections && st == RP_OK; c++) {
            const rp_correction *co = &p->corrections[c];
            if (co->turn != turn->index)
                continue;
            const char *kind = rp_correction_kind_name(co->kind);
            st = rp_buf_printf(b, "<div class=\"mn corr %s\"><span class=\"k\">%s</span> correction "
                                  "of <span class=\"p\">", kind, kind);
            if (st == RP_OK)
                st = put(b, p->part);
            if (st == RP_OK)
                st = rp_buf_printf(b, "</span><span class=\"seq\">%zu of %zu</span>", c + 1,
                                   p->n_corrections);
            if (st == RP_OK && co->text) {
                st = rp_buf_puts(b, "<span class=\"q rp-nomath\">\xe2\x80\x9c");
                if (st == RP_OK)
                    st = rp_html_esc(b, co->text, strlen(co->text) > 280 ? 280 : strlen(co->text));
                if (st == RP_OK)
                    st = rp_buf_puts(b, strlen(co->text) > 280 ? "\xe2\x80\xa6\xe2\x80\x9d</span>"
                                                                : "\xe2\x80\x9d</span>");
            }
            if (st == RP_OK)
                st = rp_buf_puts(b, "</div>\n");
        }
    }
    return st;
}

static rp_status notes_html(const rp_note *notes, size_t n, rp_buf *b)
{
    rp_status st = RP_OK;
    for (size_t i = 0; i < n && st == RP_OK; i++) {
        st = rp_buf_puts(b, "<div class=\"note\"><div class=\"note-h\">Annotator\xe2\x80\x99s note</div>");
        if (st == RP_OK)
            st = rp_md_to_html(b, notes[i].text, notes[i].text ? strlen(notes[i].text) : 0);
        if (st == RP_OK)
            st = rp_buf_puts(b, "</div>\n");
    }
    return st;
}

static rp_status turn_link(rp_buf *b, const rp_attempt *a)
{
    rp_status st = rp_buf_printf(b, "<span class=\"v %s\">%s %s</span>", rp_verdict_class(a->verdict),
                                 rp_verdict_mark(a->verdict), rp_verdict_name(a->verdict));
    if (st == RP_OK && a->turn > 0)
        st = rp_buf_printf(b, " <a href=\"#turn-%d\" class=\"muted small\">turn %d</a>", a->turn, a->turn);
    return st;
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

static rp_status summary_html(const rp_transcript *t, const rp_report *r, rp_buf *b)
{
    const rp_report_summary *s = &r->summary;
    rp_status st = rp_buf_puts(b, "<section class=\"summary\">\n<h1>");
    if (st == RP_OK)
        st = put(b, rp_report_display_model(r));
    if (st == RP_OK && r->rubric_id) {
        st = rp_buf_puts(b, " on ");
        if (st == RP_OK)
            st = put(b, r->rubric_id);
    }
    if (st == RP_OK)
        st = rp_buf_puts(b, "</h1>\n<p class=\"sub\"><code>");
    if (st == RP_OK)
        st = put(b, t->path ? t->path : "(unknown)");
    if (st == RP_OK)
        st = rp_buf_printf(b, "</code> &middot; %s &middot; %zu user and %zu model turns &middot; "
                              "%zu annotator notes</p>\n",
                           t->format ? t->format : "?", rp_transcript_count(t, RP_ROLE_USER),
                           rp_transcript_count(t, RP_ROLE_MODEL), t->n_notes);
    if (st == RP_OK)
        st = rp_buf_printf(b,
            "<div class=\"cards\"><div class=\"card\"><b>%zu/%zu</b><span>parts answered</span></div>"
            "<div class=\"card\"><b>%zu/%zu</b><span>right on the first try</span></div>"
            "<div class=\"card\"><b>%zu/%zu</b><span>right in the end</span></div>"
            "<div class=\"card\"><b>%zu</b><span>corrections by the student</span></div>"
            "<div class=\"card\"><b>%zu</b><span>answers revealed</span></div></div>\n"
            "<p class=\"legend-line\">In the margin: beside each model turn, redpen\xe2\x80\x99s verdict "
            "on every part it answered; beside each student turn that corrected the model, the kind of "
            "correction (nudge: says it is wrong; hint: names the cause; solution: gives the answer). "
            "Dashed yellow boxes are the annotator\xe2\x80\x99s own notes.</p>\n"
            "<table>\n<tr><th>part</th><th>title</th><th>first answer</th><th>final answer</th>"
            "<th>corrections</th><th>diagnosis</th></tr>\n",
            s->answered, s->parts, s->first_pass, s->parts, s->final_pass, s->parts, s->corrections,
            s->revealed);
    for (size_t i = 0; i < r->n_parts && st == RP_OK; i++) {
        const rp_part_result *p = &r->parts[i];
        st = rp_buf_puts(b, "<tr><td><b>");
        if (st == RP_OK)
            st = put(b, p->part);
        if (st == RP_OK)
            st = rp_buf_puts(b, "</b></td><td>");
        if (st == RP_OK)
            st = put(b, p->title);
        if (st == RP_OK)
            st = rp_buf_puts(b, "</td><td>");
        if (st == RP_OK)
            st = turn_link(b, &p->first);
        if (st == RP_OK)
            st = rp_buf_puts(b, "</td><td>");
        if (st == RP_OK)
            st = turn_link(b, &p->final);
        if (st == RP_OK)
            st = rp_buf_puts(b, "</td><td>");
        for (size_t c = 0; c < p->n_corrections && st == RP_OK; c++)
            st = rp_buf_printf(b, "%s<a href=\"#turn-%d\">%s</a>", c ? ", " : "",
                               p->corrections[c].turn, rp_correction_kind_name(p->corrections[c].kind));
        if (st == RP_OK && p->revealed)
            st = rp_buf_puts(b, " <span class=\"muted\">(revealed)</span>");
        if (st == RP_OK)
            st = rp_buf_puts(b, "</td><td>");
        const rp_attempt *f = p->first.verdict == RP_VERDICT_FAIL ? &p->first
                              : p->final.verdict == RP_VERDICT_FAIL ? &p->final : NULL;
        if (st == RP_OK && f && f->category) {
            st = rp_buf_puts(b, "<span class=\"cat\">");
            if (st == RP_OK)
                st = put(b, f->category);
            if (st == RP_OK)
                st = rp_buf_puts(b, "</span> ");
            if (st == RP_OK)
                st = put(b, f->detail);
        }
        if (st == RP_OK)
            st = rp_buf_puts(b, "</td></tr>\n");
    }
    if (st == RP_OK)
        st = rp_buf_puts(b, "</table>\n</section>\n");
    return st;
}

static rp_status render_html(const rp_transcript *t, const rp_report *r, const rp_html_opts *o,
                             rp_buf *b)
{
    rp_html_opts none = {0};
    rp_katex_assets *k = rp_katex_assets_load(o ? o : &none);
    rp_buf title, margin;
    rp_buf_init(&title, 4096);
    rp_buf_init(&margin, (size_t)16 << 20);
    rp_status st = rp_buf_printf(&title, "%s, annotated by redpen", t->path ? t->path : "transcript");
    if (st == RP_OK)
        st = rp_html_begin(b, title.data, annot_css, k);
    if (st == RP_OK)
        st = rp_buf_puts(b, "<main>\n");
    if (st == RP_OK)
        st = summary_html(t, r, b);
    if (st == RP_OK && t->n_lead_notes) {
        st = rp_buf_puts(b, "<section class=\"lead\">");
        if (st == RP_OK)
            st = notes_html(t->lead_notes, t->n_lead_notes, b);
        if (st == RP_OK)
            st = rp_buf_puts(b, "</section>\n");
    }
    if (st == RP_OK)
        st = rp_buf_puts(b, "<h2>Conversation</h2>\n");
    for (size_t i = 0; i < t->n_turns && st == RP_OK; i++) {
        const rp_turn *turn = &t->turns[i];
        int fails = 0, passes = 0;
        rp_buf_clear(&margin);
        st = margin_html(r, turn, &margin, &fails, &passes);
        const char *role = rp_role_name(turn->role);
        if (st == RP_OK)
            st = rp_buf_printf(b, "<article class=\"turn %s%s\" id=\"turn-%d\">\n<div class=\"bubble\">"
                                  "<div class=\"who\">", role,
                               fails ? " has-fail" : passes ? " has-pass" : "", turn->index);
        if (st == RP_OK)
            st = put(b, who(t, r, turn));
        if (st == RP_OK)
            st = rp_buf_printf(b, " <span class=\"t\">&middot; turn %d", turn->index);
        if (st == RP_OK && turn->time) {
            st = rp_buf_puts(b, " &middot; ");
            if (st == RP_OK)
                st = put(b, turn->time);
        }
        if (st == RP_OK)
            st = rp_buf_puts(b, "</span></div>\n<div class=\"md\">");
        if (st == RP_OK)
            st = rp_md_to_html(b, turn->text, turn->text ? strlen(turn->text) : 0);
        if (st == RP_OK)
            st = rp_buf_puts(b, "</div>\n");
        if (st == RP_OK)
            st = notes_html(turn->notes, turn->n_notes, b);
        if (st == RP_OK)
            st = rp_buf_puts(b, "</div>\n<aside class=\"margin\">");
        if (st == RP_OK)
            st = rp_buf_append(b, margin.data ? margin.data : "", margin.len);
        if (st == RP_OK)
            st = rp_buf_puts(b, "</aside>\n</article>\n");
    }
    if (st == RP_OK)
        st = rp_buf_puts(b, "</main>\n");
    if (st == RP_OK)
        st = rp_html_end(b, k);
    rp_buf_free(&title);
    rp_buf_free(&margin);
    rp_katex_assets_free(k);
    return st;
}

/* ---------------------------------------------------------------- Markdown */

/* text continuing a blockquote: every further line prefixed by "> ". */
static rp_status quote(rp_buf *b, const char *text)
{
    rp_status st = RP_OK;
    for (const char *p = text; p && *p && st == RP_OK; p++) {
        st = rp_buf_putc(b, *p);
        if (st == RP_OK && *p == '\n' && p[1])
            st = rp_buf_puts(b, "> ");
    }
    return st;
}

static rp_status render_md(const rp_transcript *t, const rp_report *r, rp_buf *b)
{
    const rp_report_summary *s = &r->summary;
    rp_status st = rp_buf_printf(b, "# %s%s%s: annotated transcript\n\n`%s` · %zu user and %zu model "
                                    "turns · %zu annotator notes\n\n",
                                 rp_report_display_model(r), r->rubric_id ? " on " : "",
                                 r->rubric_id ? r->rubric_id : "", t->path ? t->path : "(unknown)",
                                 rp_transcript_count(t, RP_ROLE_USER),
                                 rp_transcript_count(t, RP_ROLE_MODEL), t->n_notes);
    if (st == RP_OK)
        st = rp_buf_printf(b, "**%zu/%zu** answered · **%zu/%zu** right on the first try · **%zu/%zu** "
                              "right in the end · **%zu** corrections · **%zu** revealed\n\n"
                              "| part | first | final | corrections | diagnosis |\n"
                              "| --- | --- | --- | --- | --- |\n",
                           s->answered, s->parts, s->first_pass, s->parts, s->final_pass, s->parts,
                           s->corrections, s->revealed);
    for (size_t i = 0; i < r->n_parts && st == RP_OK; i++) {
        const rp_part_result *p = &r->parts[i];
        const rp_attempt *f = p->first.verdict == RP_VERDICT_FAIL ? &p->first
                              : p->final.verdict == RP_VERDICT_FAIL ? &p->final : NULL;
        st = rp_buf_printf(b, "| %s | %s %s (turn %d) | %s %s (turn %d) | %zu%s | %s%s%s%s |\n",
                           p->part, rp_verdict_mark(p->first.verdict), rp_verdict_name(p->first.verdict),
                           p->first.turn, rp_verdict_mark(p->final.verdict),
                           rp_verdict_name(p->final.verdict), p->final.turn, p->n_corrections,
                           p->revealed ? ", revealed" : "", f && f->category ? "`" : "",
                           f && f->category ? f->category : "", f && f->category ? "` " : "",
                           f && f->detail ? f->detail : "");
    }
    for (size_t i = 0; i < t->n_lead_notes && st == RP_OK; i++) {
        st = rp_buf_puts(b, "\n> **Annotator's note.** ");
        if (st == RP_OK)
            st = quote(b, t->lead_notes[i].text);
        if (st == RP_OK)
            st = rp_buf_putc(b, '\n');
    }
    for (size_t i = 0; i < t->n_turns && st == RP_OK; i++) {
        const rp_turn *turn = &t->turns[i];
        st = rp_buf_printf(b, "\n---\n\n### Turn %d · %s%s%s\n\n", turn->index, who(t, r, turn),
                           turn->time ? " · " : "", turn->time ? turn->time : "");
        if (st == RP_OK)
            st = rp_buf_puts(b, turn->text ? turn->text : "");
        if (st == RP_OK)
            st = rp_buf_puts(b, "\n");
        for (size_t nn = 0; nn < turn->n_notes && st == RP_OK; nn++) {
            st = rp_buf_puts(b, "\n> **Annotator's note.** ");
            if (st == RP_OK)
                st = quote(b, turn->notes[nn].text);
            if (st == RP_OK)
                st = rp_buf_putc(b, '\n');
        }
        for (size_t pi = 0; pi < r->n_parts && st == RP_OK; pi++) {
            const rp_part_result *p = &r->parts[pi];
            for (size_t a = 0; a < p->n_attempts && st == RP_OK; a++) {
                const rp_attempt *at = &p->attempts[a];
                if (at->turn != turn->index)
                    continue;
                st = rp_buf_printf(b, "\n> **redpen · %s** %s %s%s%s%s%s%s\n", p->part,
                                   rp_verdict_mark(at->verdict), rp_verdict_name(at->verdict),
                                   at->category ? " `" : "", at->category ? at->category : "",
                                   at->category ? "`" : "", at->detail ? ": " : "",
                                   at->detail ? at->detail : "");
            }
            for (size_t c = 0; c < p->n_corrections && st == RP_OK; c++)
                if (p->corrections[c].turn == turn->index)
                    st = rp_buf_printf(b, "\n> **redpen · correction (%s) of %s**\n",
                                       rp_correction_kind_name(p->corrections[c].kind), p->part);
        }
    }
    return st;
}

rp_status rp_annotate_render(const rp_transcript *t, const rp_report *r,
                             rp_annotate_format fmt, const rp_html_opts *o,
                             rp_buf *out)
{
    if (!t || !r)
        return RP_EINTERNAL;
    switch (fmt) {
    case RP_ANNOTATE_HTML: return render_html(t, r, o, out);
    case RP_ANNOTATE_MD: return render_md(t, r, out);
    }
    return RP_EUNSUPPORTED;
}
