/*
 * The model comparison inside src/report: the aggregates that the
 * streaming reducer (compare.c: rp_compare_new/add/finish) builds one
 * report at a time, and the renderers that read them once every report is
 * in, one file per format (compare_text.c, compare_md.c, compare_json.c,
 * compare_html.c, compare_csv.c).  Renderers only read; every string they see lives in
 * the comparison's arena, never in a report.
 */
#ifndef RP_REPORT_COMPARE_INT_H
#define RP_REPORT_COMPARE_INT_H

#include "report_int.h"

#include "redpen/index.h"

/* One part of one model, over that model's transcripts. */
typedef struct rp_cmp_cell {
    size_t n;            /* transcripts listing the part */
    size_t answered, first_pass, final_pass, final_fail, ungraded, revealed;
    size_t corrections;
    size_t kinds[3];
    double score;        /* sum of outcomes while folding; at the end the
                            mean over graded answers: 1 first try … 0
                            failed; RP_CMP_NOT_ANSWERED or RP_CMP_NOT_GRADED
                            when none */
    const rp_part_result *last; /* the part when n == 1 (the only one the
                                   renderers read): a copy in the
                                   comparison's arena, with its attempts
                                   (turn, verdict, category) */
    const char *page;    /* when n == 1: the file name of that transcript's
                            annotated page (rp_annotated_page_name), or NULL */
} rp_cmp_cell;

#define RP_CMP_NOT_ANSWERED (-1.0)
#define RP_CMP_NOT_GRADED (-2.0)

/* One model (reports whose model names are the same but for case and the
 * separators - _ and space), over its transcripts. */
typedef struct rp_cmp_model {
    const char *name;     /* the first spelling met */
    const char *from;     /* where the name came from (rp_report.model_from),
                             "several sources" when its reports differ,
                             NULL when none said */
    size_t transcripts;
    size_t parts, answered, first_pass, final_pass, revealed, ungraded;
    size_t corrections, kinds[3], failed_attempts;
    size_t *cats;         /* count per category (index into rp_cmp.cats) */
    rp_cmp_cell *cells;   /* per part (index into rp_cmp.parts) */
} rp_cmp_model;

typedef struct rp_cmp_part {
    const char *id;       /* "?" for parts without one */
    const char *title;    /* may be NULL */
} rp_cmp_part;

/* Distinct strings in the order met, with their index. */
typedef struct rp_cmp_names {
    const char **s;
    size_t n, cap;
    rp_index index;
} rp_cmp_names;

/* The aggregates.  Every string lives in arena, never in a report, so a
 * report can be freed as soon as it is folded: the memory depends on
 * models × parts × categories, not on the number of reports. */
typedef struct rp_cmp {
    rp_arena *arena;      /* names, ids, titles, categories, kept parts */
    rp_cmp_model *models;
    size_t n_models, models_cap;
    rp_cmp_part *parts;
    size_t n_parts, parts_cap;
    rp_cmp_names cats;    /* error categories; in presentation order once
                             finished (each model's counts follow them) */
    rp_cmp_names rubrics; /* distinct rubric ids */
    rp_index part_index, model_index;
    size_t n_reports;
    const char *rows;     /* what a row stands for: "model", or the field
                             --group-by named ("format", "dir", ...) */
} rp_cmp;

/* ---- facts every format shows the same way (compare.c) */

/* 100 a / b, or 0 when b is 0. */
double rp_cmp_pct(size_t a, size_t b);
/* A model's corrections per answered part (0 when none answered). */
double rp_cmp_per_part(const rp_cmp_model *m);
/* "names: the file name" when every model's name came from one source,
 * else "names: A (the file name), B (--model)"; nothing when none said.
 * md: model names as Markdown cells. */
void rp_cmp_names_line(rp_w *w, const rp_cmp *c, bool md);
/* A short label for a cell: "✓", "✗→✓ 2", "✗", "–", "?", or "2/3" over
 * several transcripts (final passes of those that answered). */
void rp_cmp_cell_label(const rp_cmp_cell *e, char *buf, size_t cap);

/* ---- renderers, each appending to out */

rp_status rp_cmp_render_text(const rp_cmp *c, bool color, rp_buf *out);
rp_status rp_cmp_render_md(const rp_cmp *c, rp_buf *out);
rp_status rp_cmp_render_json(const rp_cmp *c, rp_buf *out);
rp_status rp_cmp_render_csv(const rp_cmp *c, rp_buf *out);
/* The HTML page; rows are the rows of its table of transcripts, which
 * rp_cmp_html_row() wrote while the reports were folded. */
rp_status rp_cmp_render_html(const rp_cmp *c, const rp_buf *rows, const rp_html_opts *o,
                             rp_buf *out);
/* The row of report r in the HTML table of transcripts, appended to rows
 * (the report is gone by the time the page is written). */
rp_status rp_cmp_html_row(const rp_report *r, rp_buf *rows);

#endif
