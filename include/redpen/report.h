/*
 * redpen report: every rendering of grading results.  A graded transcript
 * (rp_report, redpen/grade.h) becomes a terminal table, the JSON report of
 * DESIGN.md (schema 1; also read back), Markdown or a self-contained HTML
 * page; several reports become a model comparison (text, Markdown, JSON,
 * HTML with SVG charts); a transcript with its report becomes the annotated
 * conversation (HTML, Markdown, PDF through headless Chromium).
 *
 * Renderers append to an rp_buf the caller owns (rp_buf_free()); they never
 * write files.  Callers write the result with rp_write_atomic() so that an
 * error never leaves a half-written report.
 */
#ifndef REDPEN_REPORT_H
#define REDPEN_REPORT_H

#include "redpen/core.h"
#include "redpen/grade.h"
#include "redpen/ingest.h"

/* ------------------------------------------------------ sets of reports */

/* Reports gathered from several inputs, with the transcripts they refer to.
 * Owns everything in it: rp_report_set_free(). */
typedef struct rp_report_set {
    rp_report **items;             /* each owned; freed with the set */
    size_t n;
    size_t cap;
    rp_transcript_set transcripts; /* transcripts graded into items (owned) */
    struct rp_rubric **rubrics;    /* rubrics found for them (owned: reports
                                      refer to their titles and ids) */
    size_t n_rubrics;
} rp_report_set;

void rp_report_set_init(rp_report_set *s);
/* Frees every report, transcript and rubric of s and leaves it empty. */
void rp_report_set_free(rp_report_set *s);
/* Append r; the set takes ownership of r (also when this fails, in which
 * case r is freed).  RP_ELIMIT past 100000 reports. */
rp_status rp_report_set_push(rp_report_set *s, rp_report *r);

/* ------------------------------------------------------------------ JSON */

/* The schema-1 JSON object of one report (DESIGN.md, "JSON report of
 * grade"), appended to out: indented when pretty, else on one line (no
 * trailing newline either way).  Absent values are null; an attempt's
 * "note" appears only when it has one. */
rp_status rp_report_write_json(const rp_report *r, bool pretty, rp_buf *out);

/* {"reports": [ … ]} over n reports, indented, with a final newline. */
rp_status rp_reports_write_json(rp_report *const *r, size_t n, rp_buf *out);

/* JSON Lines: one compact object per report, each ending in a newline. */
rp_status rp_reports_write_jsonl(rp_report *const *r, size_t n, rp_buf *out);

/* True when data looks like saved reports: a JSON object with "schema" and
 * "parts", an object with a "reports" array, or JSON Lines whose first
 * line is a report object.  Cheap; does not validate. */
bool rp_report_json_detect(const char *data, size_t n);

/* Read saved reports (one object, {"reports": […]}, or JSON Lines) from
 * data[0..n) and push each onto out.  label names the source in
 * diagnostics, which give the JSON path of a bad value ("$.parts[3].first.
 * verdict") and, for JSON Lines, the line.  Each report gets its own arena
 * and a stub transcript (path, format, model and turn/note counts; the
 * turns have no text) in that arena.  On failure nothing is pushed. */
rp_status rp_report_load_json(const char *label, const char *data, size_t n,
                              rp_report_set *out, rp_diags *d);

/* ------------------------------------------------------- single reports */

/* Give every part of r its expected answer (rp_part_result.truth, copied
 * into r's arena) from rubric rb, the solved rubric r was graded with;
 * nothing when rb is NULL or its id is not r's rubric id.  RP_ENOMEM when
 * r's arena is full. */
rp_status rp_report_set_truth(rp_report *r, const struct rp_rubric *rb);

/* Whether to color terminal output written to file descriptor fd: true
 * when fd is a terminal and the environment has no NO_COLOR (any value,
 * even empty, turns color off) and TERM is not "dumb". */
bool rp_report_color_wanted(int fd);

/* A compact table (part, first and final verdicts, corrections with their
 * kinds, diagnosis: the error category and detail of the failure worth
 * explaining) and a one-line summary; ANSI colors when color is true. */
rp_status rp_report_render_text(const rp_report *r, bool color, rp_buf *out);

/* The same as a Markdown document (summary and a table). */
rp_status rp_report_render_md(const rp_report *r, rp_buf *out);

/* Options of the HTML renderers.  Zero-initialised: find KaTeX (see
 * rp_katex_find) with argv0 unknown. */
typedef struct rp_html_opts {
    const char *katex_dir; /* the KaTeX "dist" folder; NULL: rp_katex_find() */
    const char *argv0;     /* the program's argv[0], to find KaTeX near it */
    bool no_katex;         /* leave the LaTeX as text */
    const struct rp_rubric *rubric; /* the solved rubric the report was graded
                                       with: its expected answers show beside
                                       the claims (annotate; NULL, or another
                                       rubric id than the report's: none) */
    const char *link_dir; /* compare's HTML page: a heat-map cell of one
                             transcript links to that part in the
                             transcript's annotated page when a file of the
                             name rp_annotated_page_name() gives is in this
                             folder; NULL: no links */
} rp_html_opts;

/* One report as a self-contained HTML page (KaTeX inlined when found;
 * no network request, no script but the page's own). */
rp_status rp_report_render_html(const rp_report *r, const rp_html_opts *o,
                                rp_buf *out);

/* Several reports as sections of one self-contained HTML page (for
 * `grade --format html` over several transcripts). */
rp_status rp_reports_render_html(rp_report *const *r, size_t n, const rp_html_opts *o,
                                 rp_buf *out);

/* --------------------------------------------------------------- formats */

/* The format the file name path asks for by its extension, case ignored:
 * "json" (.json), "jsonl" (.jsonl, .ndjson), "md" (.md, .markdown),
 * "html" (.html, .htm), "pdf", "csv", "text" (.txt, .text); NULL for NULL,
 * "-" (standard output), no extension or another one.  A static string. */
const char *rp_report_format_from_path(const char *path);

/* The format a command writes: format when given (--format wins), else the
 * one out_path's extension names, else dflt.  Whether the command can
 * write that format is the command's to check. */
const char *rp_report_format_pick(const char *format, const char *out_path,
                                  const char *dflt);

/* ------------------------------------------------------------ comparison */

typedef enum rp_compare_format {
    RP_COMPARE_TEXT,
    RP_COMPARE_MD,
    RP_COMPARE_HTML,
    RP_COMPARE_JSON,
    RP_COMPARE_CSV
} rp_compare_format;

/* The comparison format named name ("text", "md", "html", "json", "csv") into
 * *out; RP_EUNSUPPORTED for any other name (*out unchanged). */
rp_status rp_compare_format_parse(const char *name, rp_compare_format *out);

/* Compare models across n reports (reports with the same model name
 * aggregate; case and the separators - _ and space do not count, and the
 * first spelling met is shown): per model the parts answered, first-try and final pass
 * rates, corrections per part and their kinds, parts revealed and the
 * histogram of error categories over all failed attempts; per part and
 * model the first and final verdicts and the corrections.  color applies to
 * RP_COMPARE_TEXT, o to RP_COMPARE_HTML (may be NULL).  The JSON form is
 * {"redpen", "schema": 1, "transcripts", "models": [{"model", "transcripts",
 * "parts", "answered", "first_pass", "final_pass", "first_pass_rate",
 * "final_pass_rate", "corrections": {"total", "per_part", "nudge", "hint",
 * "solution"}, "revealed", "ungraded", "failed_attempts", "categories":
 * {id: count}}], "parts": [{"part", "title", "models": {name: {
 * "transcripts", "answered", "first_pass", "final_pass", "corrections",
 * "revealed", and with one transcript "first", "final", "category"}}}]};
 * rates are over all parts of the model's transcripts, per_part over the
 * parts answered.  The HTML page has SVG charts with the ids "passrates",
 * "heatmap" and "categories".  The CSV form has a row per model and part
 * (of the parts a model's transcripts list) under the header
 * model,part,title,transcripts,answered,first_pass,final_pass,corrections,
 * nudge,hint,solution,revealed,first,final,category,score; RFC 4180
 * quoting, "\n" line ends; first, final and category only for a cell of
 * one transcript; score the mean outcome (1 first try, 0.7 after
 * corrections, 0.35 revealed, 0 wrong), empty when nothing was graded. */
rp_status rp_compare_render(rp_report *const *reports, size_t n,
                            rp_compare_format fmt, bool color,
                            const rp_html_opts *o, rp_buf *out);

/* A comparison built one report at a time, for inputs too large to hold:
 * rp_compare_add() folds a report into per-model, per-part and
 * per-category counts and keeps nothing of it but copies of the few strings
 * the renderers show, so memory grows with models × parts × categories,
 * not with the number of reports (the HTML page's table of transcripts, a
 * row per report, is the one exception).  Free with rp_compare_free(). */
typedef struct rp_compare rp_compare;

/* A new, empty comparison that will be rendered as fmt.  RP_EUNSUPPORTED
 * for an unknown format. */
rp_status rp_compare_new(rp_compare_format fmt, rp_compare **out);
void rp_compare_free(rp_compare *c);

/* Fold r into c; r is not referred to afterwards (the caller may free it
 * at once).  A failure (more than 5000 distinct parts, 200 error categories
 * or 1000 rubrics; out of memory) sticks: later reports are only counted,
 * and it is returned again by rp_compare_finish(). */
rp_status rp_compare_add(rp_compare *c, const rp_report *r);

/* Name what a row stands for in the headers: field is the report field the
 * rows are grouped by ("format", "dir", ...; compare --group-by); "model"
 * when never set.  JSON gives it as "rows".  RP_EINPUT unless field is
 * letters, digits, '_' and '-'. */
rp_status rp_compare_set_rows(rp_compare *c, const char *field);

/* The number of reports added so far. */
size_t rp_compare_count(const rp_compare *c);

/* Render the comparison of every report added, as rp_compare_render()
 * does over the same reports in the same order.  Once per comparison. */
rp_status rp_compare_finish(rp_compare *c, bool color, const rp_html_opts *o,
                            rp_buf *out);

/* ------------------------------------------------------------ annotation */

typedef enum rp_annotate_format { RP_ANNOTATE_HTML, RP_ANNOTATE_MD } rp_annotate_format;

/* The whole conversation t with r's results beside it: a summary at the
 * top; user and model turns rendered from Markdown (math by KaTeX in HTML);
 * annotator notes in their own boxes; beside each model turn the verdict of
 * every part it answered (category, detail, claim) and beside each
 * correction turn its kind and the part corrected.  r may be a report
 * graded from t or a saved report of t (turn numbers must agree). */
rp_status rp_annotate_render(const rp_transcript *t, const rp_report *r,
                             rp_annotate_format fmt, const rp_html_opts *o,
                             rp_buf *out);

/* ----------------------------------------------------- KaTeX and Chromium */

/* The KaTeX dist folder (holding katex.min.js, katex.min.css, fonts/ and
 * contrib/auto-render.min.js): $REDPEN_KATEX_DIR, else node_modules/katex/
 * dist in the current directory or one of its 4 parents, else the installed
 * DATADIR/redpen/katex (or the same relative to the executable:
 * rp_data_dir), else node_modules/katex/dist in a parent of the directory of
 * argv0 or of /proc/self/exe (up to 4 levels: a build tree).  Returns a string from malloc the
 * caller frees, or NULL when KaTeX is not installed. */
char *rp_katex_find(const char *argv0);

/* The Chromium executable: $REDPEN_CHROMIUM, else chromium,
 * chromium-browser, google-chrome or google-chrome-stable on PATH.  Returns
 * a string from malloc the caller frees, or NULL when none is found. */
char *rp_chromium_find(void);

/* Print the HTML page html[0..n) to the PDF file out_path with headless
 * Chromium (fresh profile in a temporary directory, no network services),
 * then write it atomically.  With SOURCE_DATE_EPOCH set, the PDF's dates
 * are that time, so the same page gives the same bytes.  RP_ENOTFOUND with a diagnostic saying how to
 * install Chromium when it is missing; RP_EIO when printing fails or takes
 * longer than timeout_s seconds (0: 120). */
rp_status rp_pdf_from_html(const char *html, size_t n, const char *out_path,
                           unsigned timeout_s, rp_diags *d);

/* ----------------------------------------------------------- model names */

/* A readable model name guessed from the file name of path: known model
 * words in the stem ("claude-hw4.txt" → "Claude", "qwen3-max-hw4.txt" →
 * "Qwen3-Max", "gpt-4o_run2.json" → "GPT-4o"), else the stem itself.
 * Returns a string in arena a, or NULL when out of memory or path is
 * empty. */
const char *rp_report_model_guess(const char *path, rp_arena *a);

/* The file name of the annotated page of the transcript at path, as the
 * comparison links to it: the last component of path without its last
 * extension, then ".annotated.html" ("runs/claude-hw4.txt" →
 * "claude-hw4.annotated.html"; "notes" → "notes.annotated.html").  NULL
 * for NULL, "-", "<stdin>", an empty name or out of memory; a string in
 * arena a. */
const char *rp_annotated_page_name(const char *path, rp_arena *a);

/* Give r its model name: override when not empty, else its transcript's,
 * else rp_report_model_guess() of its transcript's path or, without one,
 * of path. */
rp_status rp_report_name_model(rp_report *r, const char *path, const char *override);

/* A map from transcript files to model names (`compare --models MAP.tsv`):
 * lines FILE<TAB>NAME; blank lines and lines starting with '#' are
 * skipped.  FILE names an input as given on the command line or as the
 * transcript's path, or by its last component alone. */
typedef struct rp_model_map rp_model_map;

/* Read the map at path into *out (free with rp_model_map_free()).
 * RP_EINPUT with a diagnostic naming path:line for a line without a tab,
 * an empty FILE or NAME, or a FILE given twice. */
rp_status rp_model_map_load(const char *path, rp_model_map **out, rp_diags *d);
void rp_model_map_free(rp_model_map *m);
/* The name m gives the transcript at path (NULL: none). */
const char *rp_model_map_find(const rp_model_map *m, const char *path);
/* A warning in d for every entry of m that names none of the n files
 * (a typo there would silently leave a file under its guessed name). */
void rp_model_map_check(const rp_model_map *m, const char *const *files, size_t n, rp_diags *d);

/* How compare names the groups that reports aggregate under. */
typedef struct rp_naming {
    const char *model;       /* --model: every report's name */
    const char *group_by;    /* NULL or "model": the model name (map,
                                transcript, guess); "file": the input as
                                given; "dir": its folder; "title", "format",
                                "rubric": that field of the transcript or
                                report */
    const rp_model_map *map; /* --models, or NULL */
} rp_naming;

/* Whether g is a --group-by value rp_report_name() knows (NULL is). */
bool rp_group_by_known(const char *g);

/* Give r its group name and say where it came from (r->model,
 * r->model_from).  By model (the default), in this order: n->model, the
 * map's name for its transcript's path or for path (the input), the
 * transcript's or saved report's own, a guess from the file name.  path is
 * the input the report came from (may be NULL); n may be NULL. */
rp_status rp_report_name(rp_report *r, const char *path, const rp_naming *n);

/* ---------------------------------------------------------- gathering */

/* Options for rp_report_collect_into().  Zero-initialised: detect saved
 * reports by content, default limits. */
typedef struct rp_collect_opts {
    const char *model;          /* --model: overrides every report's model */
    const rp_naming *naming;    /* how reports are named (NULL: by model,
                                   with model above) */
    bool saved_only;            /* the input is saved reports, whatever it
                                   looks like (no transcript detection) */
    bool keep_going;            /* skip a bad line of JSON Lines (named in the
                                   diagnostics) and read on */
    rp_ingest_opts ingest;      /* max_bytes, max_line */
    rp_buf *other;              /* an input that is not saved reports is read
                                   whole into it (its data is then not NULL),
                                   for the caller to read as transcripts;
                                   NULL: every input is read as saved reports */
} rp_collect_opts;

/* Fold the saved reports of one input file into c (path "-": standard
 * input).  JSON Lines of saved reports are read as a stream, in chunks, one
 * line at a time (lines up to opts->ingest.max_line, default 16 MB; no
 * limit on the file's size or number of reports); each report is folded
 * and freed at once, and a diagnostic names file:line.  A bad line fails
 * the input, or with opts->keep_going is named, skipped, and makes the
 * result RP_EINPUT once the rest is read.  One JSON document of reports is
 * read whole.  Anything else goes to opts->other, untouched by c.  While
 * it reads a line, cJSON's (global) allocation hooks point at that line's
 * arena: call it from one thread while no other thread uses cJSON. */
rp_status rp_report_collect_into(const char *path, const rp_collect_opts *opts,
                                 rp_compare *c, rp_diags *d);

#endif
