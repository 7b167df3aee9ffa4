/*
 * `redpen compare`: models side by side over many graded transcripts.
 * Reports with the same model name aggregate.  Per model: parts answered,
 * first-try and final pass rates, corrections per answered part and their
 * kinds, parts whose answer was revealed, and the histogram of error
 * categories over all failed attempts.  Per part and model: first and final
 * verdicts and corrections.  Rendered as a terminal table, Markdown, JSON,
 * or one HTML page with SVG charts drawn here (a part × model heat map,
 * pass-rate bars, stacked bars of error categories).
 */
#include "report_int.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PARTS 5000      /* distinct part ids over all reports */
#define MAX_CATEGORIES 200  /* distinct error categories */
#define MAX_RUBRICS 1000    /* distinct rubric ids */

/* One part of one model, over that model's transcripts. */
typedef struct cell {
    size_t n;            /* transcripts listing the part */
    size_t answered, first_pass, final_pass, final_fail, ungraded, revealed;
    size_t corrections;
    size_t kinds[3];
    double score;        /* sum of outcomes while folding; at the end the
                            mean over graded answers: 1 first try … 0
                            failed; NOT_ANSWERED or NOT_GRADED when none */
    const rp_part_result *last; /* the part when n == 1 (the only one the
                                   renderers read): a copy in the
                                   comparison's arena (keep_part) */
} cell;

typedef struct model {
    const char *name;
    size_t transcripts;
    size_t parts, answered, first_pass, final_pass, revealed, ungraded;
    size_t corrections, kinds[3], failed_attempts;
    size_t *cats;  /* count per category (index into cmp.cats); cats_cap long */
    cell *cells;   /* per part (index into cmp.parts); parts_cap long */
} model;

typedef struct part_id {
    const char *id;
    const char *title;
} part_id;

/* An open-addressing table of indices into a list (slot: index + 1, 0
 * empty), so that finding a part or a model costs the same with 5 or 5000
 * of them.  Kept at most half full. */
typedef struct table {
    size_t *slot;
    size_t cap;    /* a power of two, or 0 */
} table;

/* The aggregates, built one report at a time (fold) and rendered at the
 * end.  Every string lives in arena, never in a report, so a report can be
 * freed as soon as it is folded: the memory depends on models × parts ×
 * categories, not on the number of reports. */
typedef struct cmp {
    rp_arena *arena;      /* names, ids, titles, categories, kept parts */
    model *models;
    size_t n_models, models_cap;
    part_id *parts;
    size_t n_parts, parts_cap;
    const char **cats;    /* in the order met; sorted by finish() */
    size_t n_cats, cats_cap;
    const char **rubrics; /* distinct rubric ids */
    size_t n_rubrics, rubrics_cap;
    table part_index, model_index;
    size_t n_reports;
} cmp;

static void cmp_free(cmp *c)
{
    for (size_t i = 0; i < c->n_models; i++) {
        free(c->models[i].cats);
        free(c->models[i].cells);
    }
    free(c->models);
    free(c->parts);
    free(c->cats);
    free(c->rubrics);
    free(c->part_index.slot);
    free(c->model_index.slot);
    rp_arena_free(c->arena);
}

static bool str_eq(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* The separators - _ and space all count as '-', and case does not count
 * (see same_model). */
static char model_char(char x)
{
    return x == '_' || x == ' ' ? '-' : (char)tolower((unsigned char)x);
}

/* One model under two spellings: equal ignoring case and the separators
 * - _ and space ("gpt-4o" from an export, "GPT-4o" from a file name). */
static bool same_model(const char *a, const char *b)
{
    for (;; a++, b++) {
        char x = model_char(*a), y = model_char(*b);
        if (x != y)
            return false;
        if (!x)
            return true;
    }
}

/* FNV-1a over s, each byte through fold (NULL: as it is). */
static uint64_t hash_str(const char *s, char (*fold)(char))
{
    uint64_t h = 1469598103934665603u;
    for (; *s; s++) {
        h ^= (unsigned char)(fold ? fold(*s) : *s);
        h *= 1099511628211u;
    }
    return h;
}

/* How the comparison finds a part (by id) and a model (by same_model). */
static const char *part_key(const cmp *c, size_t i) { return c->parts[i].id; }
static const char *model_key(const cmp *c, size_t i) { return c->models[i].name; }

typedef struct table_kind {
    const char *(*key)(const cmp *c, size_t i);
    bool (*eq)(const char *a, const char *b);
    char (*fold)(char);
} table_kind;

static const table_kind parts_kind = {part_key, str_eq, NULL};
static const table_kind models_kind = {model_key, same_model, model_char};

/* The slot of key in t: the one holding its entry, or the empty one where
 * it would go. */
static size_t *table_slot(const table *t, const table_kind *k, const cmp *c, const char *key)
{
    size_t mask = t->cap - 1;
    for (size_t i = (size_t)hash_str(key, k->fold) & mask;; i = (i + 1) & mask)
        if (!t->slot[i] || k->eq(k->key(c, t->slot[i] - 1), key))
            return &t->slot[i];
}

/* Room in t for one entry more than the n of the list; rebuilt from the
 * list when it grows (the first of equal keys keeps the slot, as a linear
 * search would find it). */
static rp_status table_reserve(table *t, const table_kind *k, const cmp *c, size_t n)
{
    if (2 * (n + 1) <= t->cap)
        return RP_OK;
    table nt = {NULL, t->cap ? 2 * t->cap : 64};
    nt.slot = calloc(nt.cap, sizeof *nt.slot);
    if (!nt.slot)
        return RP_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        size_t *s = table_slot(&nt, k, c, k->key(c, i));
        if (!*s)
            *s = i + 1;
    }
    free(t->slot);
    *t = nt;
    return RP_OK;
}

/* s copied into the comparison's arena (NULL stays NULL). */
static rp_status keep_str(cmp *c, const char *s, const char **out)
{
    *out = s ? rp_arena_strdup(c->arena, s) : NULL;
    return s && !*out ? RP_ENOMEM : RP_OK;
}

/* Index of s in list (appending a copy when new); -1 when full or no memory. */
static long intern(cmp *c, const char ***list, size_t *n, size_t *cap, size_t max, const char *s)
{
    for (size_t i = 0; i < *n; i++)
        if (str_eq((*list)[i], s))
            return (long)i;
    if (*n >= max)
        return -1;
    if (*n == *cap) {
        size_t nc = *cap ? 2 * *cap : 16;
        const char **nl = realloc(*list, nc * sizeof *nl);
        if (!nl)
            return -1;
        *list = nl;
        *cap = nc;
    }
    if (keep_str(c, s, &(*list)[*n]) != RP_OK)
        return -1;
    return (long)(*n)++;
}

/* The array p of old elements of size each grown to n + 1 (one spare),
 * the new ones zeroed (p NULL: a new array).  Returns the new pointer, or
 * NULL when out of memory (p is then left as it was). */
static void *grow_zeroed(void *p, size_t old, size_t n, size_t size)
{
    if (n <= old && p)
        return p;
    char *np = realloc(p, (n + 1) * size);
    if (np)
        memset(np + old * size, 0, (n + 1 - old) * size);
    return np;
}

/* Grow a model's cells to hold parts_cap parts, and its category counts to
 * hold cats_cap categories (from old_parts and old_cats). */
static rp_status model_room(model *m, size_t old_parts, size_t parts_cap, size_t old_cats, size_t cats_cap)
{
    cell *nc = grow_zeroed(m->cells, old_parts, parts_cap, sizeof *nc);
    if (nc)
        m->cells = nc;
    size_t *nk = nc ? grow_zeroed(m->cats, old_cats, cats_cap, sizeof *nk) : NULL;
    if (nk)
        m->cats = nk;
    return nc && nk ? RP_OK : RP_ENOMEM;
}

/* The model named name (by same_model), added when new: the first spelling
 * met is the one shown. */
static model *find_model(cmp *c, const char *name)
{
    if (table_reserve(&c->model_index, &models_kind, c, c->n_models) != RP_OK)
        return NULL;
    size_t *s = table_slot(&c->model_index, &models_kind, c, name);
    if (*s)
        return &c->models[*s - 1];
    if (c->n_models == c->models_cap) {
        size_t nc = c->models_cap ? 2 * c->models_cap : 8;
        model *nm = realloc(c->models, nc * sizeof *nm);
        if (!nm)
            return NULL;
        c->models = nm;
        c->models_cap = nc;
    }
    model *m = &c->models[c->n_models];
    memset(m, 0, sizeof *m);
    if (keep_str(c, name, &m->name) != RP_OK || model_room(m, 0, c->parts_cap, 0, c->cats_cap) != RP_OK) {
        free(m->cells);
        return NULL;
    }
    *s = ++c->n_models;
    return m;
}

/* Index of part p's id (added when new, with its title; a part without a
 * title takes the first title met).  A part without an id shows as "?": it
 * gets a row of its own, as it always had, and counts under the first "?". */
static rp_status find_part(cmp *c, const rp_part_result *p, size_t *q)
{
    rp_status st = table_reserve(&c->part_index, &parts_kind, c, c->n_parts);
    if (st != RP_OK)
        return st;
    size_t *s = table_slot(&c->part_index, &parts_kind, c, p->part ? p->part : "?");
    if (*s && p->part) {
        part_id *e = &c->parts[*s - 1];
        if (!e->title)
            st = keep_str(c, p->title, &e->title);
        *q = *s - 1;
        return st;
    }
    if (c->n_parts >= MAX_PARTS)
        return RP_ELIMIT;
    if (c->n_parts == c->parts_cap) {
        size_t nc = c->parts_cap ? 2 * c->parts_cap : 32;
        part_id *np = realloc(c->parts, nc * sizeof *np);
        if (!np)
            return RP_ENOMEM;
        c->parts = np;
        for (size_t k = 0; k < c->n_models; k++)
            if (model_room(&c->models[k], c->parts_cap, nc, c->cats_cap, c->cats_cap) != RP_OK)
                return RP_ENOMEM;
        c->parts_cap = nc;
    }
    part_id *e = &c->parts[c->n_parts];
    e->id = NULL;
    if (keep_str(c, p->part ? p->part : "?", &e->id) != RP_OK || keep_str(c, p->title, &e->title) != RP_OK)
        return RP_ENOMEM;
    if (!*s)
        *s = c->n_parts + 1;
    *q = *s - 1;
    c->n_parts++;
    return RP_OK;
}

/* Index of a failed attempt's category (added when new). */
static rp_status find_cat(cmp *c, const rp_attempt *a, size_t *x)
{
    size_t old = c->cats_cap;
    long i = intern(c, &c->cats, &c->n_cats, &c->cats_cap, MAX_CATEGORIES,
                    a->category ? a->category : "uncategorized");
    if (i < 0)
        return c->n_cats >= MAX_CATEGORIES ? RP_ELIMIT : RP_ENOMEM;
    for (size_t k = 0; k < c->n_models && c->cats_cap > old; k++)
        if (model_room(&c->models[k], c->parts_cap, c->parts_cap, old, c->cats_cap) != RP_OK)
            return RP_ENOMEM;
    *x = (size_t)i;
    return RP_OK;
}

#define NOT_ANSWERED (-1.0)
#define NOT_GRADED (-2.0)

/* Outcome score of one part in one transcript. */
static double outcome(const rp_part_result *p)
{
    if (p->first.verdict == RP_VERDICT_PASS)
        return 1.0;
    if (p->final.verdict == RP_VERDICT_PASS)
        return p->revealed ? 0.35 : 0.7;
    return 0.0;
}

/* What the renderers read of an attempt: verdict, category and detail. */
static rp_status keep_attempt(cmp *c, const rp_attempt *a, rp_attempt *k)
{
    memset(k, 0, sizeof *k);
    k->turn = a->turn;
    k->verdict = a->verdict;
    rp_status st = keep_str(c, a->category, &k->category);
    return st == RP_OK ? keep_str(c, a->detail, &k->detail) : st;
}

/* A copy of part p (of part id e) in the arena, for a cell's only
 * transcript: first and final attempts, corrections counted, revealed.
 * The attempt and correction lists stay behind: no renderer reads them. */
static rp_status keep_part(cmp *c, const rp_part_result *p, const part_id *e, const rp_part_result **out)
{
    rp_part_result *k = rp_arena_alloc(c->arena, sizeof *k);
    if (!k)
        return RP_ENOMEM;
    memset(k, 0, sizeof *k);
    k->part = e->id;
    k->title = e->title;
    k->n_corrections = p->n_corrections;
    k->revealed = p->revealed;
    rp_status st = keep_attempt(c, &p->first, &k->first);
    if (st == RP_OK)
        st = keep_attempt(c, &p->final, &k->final);
    *out = k;
    return st;
}

/* Count part p of a transcript of model m. */
static rp_status fold_part(cmp *c, model *m, const rp_part_result *p)
{
    size_t q;
    rp_status st = find_part(c, p, &q);
    if (st != RP_OK)
        return st;
    cell *e = &m->cells[q];
    bool answered = p->first.verdict != RP_VERDICT_MISSING;
    e->n++;
    m->parts++;
    e->answered += answered;
    m->answered += answered;
    e->first_pass += p->first.verdict == RP_VERDICT_PASS;
    m->first_pass += p->first.verdict == RP_VERDICT_PASS;
    e->final_pass += p->final.verdict == RP_VERDICT_PASS;
    m->final_pass += p->final.verdict == RP_VERDICT_PASS;
    e->final_fail += p->final.verdict == RP_VERDICT_FAIL;
    e->ungraded += p->final.verdict == RP_VERDICT_UNGRADED;
    m->ungraded += p->final.verdict == RP_VERDICT_UNGRADED;
    e->revealed += p->revealed;
    m->revealed += p->revealed;
    e->corrections += p->n_corrections;
    m->corrections += p->n_corrections;
    for (size_t a = 0; a < p->n_corrections; a++)
        if ((unsigned)p->corrections[a].kind < 3) {
            e->kinds[p->corrections[a].kind]++;
            m->kinds[p->corrections[a].kind]++;
        }
    for (size_t a = 0; a < p->n_attempts && st == RP_OK; a++) {
        size_t x;
        if (p->attempts[a].verdict != RP_VERDICT_FAIL)
            continue;
        st = find_cat(c, &p->attempts[a], &x);
        if (st == RP_OK) {
            m->cats[x]++;
            m->failed_attempts++;
        }
    }
    if (answered && p->final.verdict != RP_VERDICT_UNGRADED)
        e->score += outcome(p);
    /* only a cell of one transcript shows that transcript's part */
    if (st == RP_OK && e->n == 1)
        st = keep_part(c, p, &c->parts[q], &e->last);
    return st;
}

/* Count report r: its model, its rubric and each of its parts. */
static rp_status fold(cmp *c, const rp_report *r)
{
    model *m = find_model(c, rp_report_display_model(r));
    if (!m)
        return RP_ENOMEM;
    if (r->rubric_id && intern(c, &c->rubrics, &c->n_rubrics, &c->rubrics_cap, MAX_RUBRICS,
                               r->rubric_id) < 0)
        return RP_ELIMIT;
    m->transcripts++;
    rp_status st = RP_OK;
    for (size_t j = 0; j < r->n_parts && st == RP_OK; j++)
        st = fold_part(c, m, &r->parts[j]);
    return st;
}

/* A category and where its counts are while folding. */
typedef struct cat_place {
    const char *name;
    size_t at;
} cat_place;

static int cat_order(const void *a, const void *b)
{
    const char *x = ((const cat_place *)a)->name, *y = ((const cat_place *)b)->name;
    int rx = rp_category_rank(x), ry = rp_category_rank(y);
    if (rx != ry)
        return rx < ry ? -1 : 1;
    return strcmp(x, y);
}

/* After the last report: categories in presentation order (each model's
 * counts follow them) and each cell's mean outcome. */
static rp_status finish(cmp *c)
{
    if (c->n_cats > 1) {
        cat_place *order = malloc(c->n_cats * sizeof *order);
        size_t *moved = malloc(c->n_cats * sizeof *moved);
        if (!order || !moved) {
            free(order);
            free(moved);
            return RP_ENOMEM;
        }
        for (size_t x = 0; x < c->n_cats; x++)
            order[x] = (cat_place){c->cats[x], x};
        qsort(order, c->n_cats, sizeof *order, cat_order);
        for (size_t k = 0; k < c->n_models; k++) {
            size_t *counts = c->models[k].cats;
            for (size_t y = 0; y < c->n_cats; y++)
                moved[y] = counts[order[y].at];
            memcpy(counts, moved, c->n_cats * sizeof *counts);
        }
        for (size_t y = 0; y < c->n_cats; y++)
            c->cats[y] = order[y].name;
        free(order);
        free(moved);
    }
    for (size_t k = 0; k < c->n_models; k++)
        for (size_t q = 0; q < c->n_parts; q++) {
            cell *e = &c->models[k].cells[q];
            size_t graded = e->answered - e->ungraded;
            e->score = graded ? e->score / (double)graded : e->answered ? NOT_GRADED : NOT_ANSWERED;
        }
    return RP_OK;
}

static double pct(size_t a, size_t b)
{
    return b ? 100.0 * (double)a / (double)b : 0.0;
}

/* Corrections per answered part. */
static double per_part(const model *m)
{
    return m->answered ? (double)m->corrections / (double)m->answered : 0.0;
}

/* A short label for a cell: "✓", "✗→✓ 2", "✗", "–", "?", or "2/3" over
 * several transcripts (final passes of those that answered). */
static void cell_label(const cell *e, char *buf, size_t cap)
{
    if (e->n == 0 || e->answered == 0) {
        snprintf(buf, cap, "%s", e->n ? "\xe2\x80\x93" : "");
        return;
    }
    if (e->n > 1) {
        snprintf(buf, cap, "%zu/%zu", e->final_pass, e->answered);
        return;
    }
    const rp_part_result *p = e->last;
    if (p->final.verdict == RP_VERDICT_UNGRADED)
        snprintf(buf, cap, "?");
    else if (p->first.verdict == RP_VERDICT_PASS)
        snprintf(buf, cap, "\xe2\x9c\x93");
    else if (p->final.verdict == RP_VERDICT_PASS)
        snprintf(buf, cap, "\xe2\x9c\x97\xe2\x86\x92\xe2\x9c\x93 %zu", e->corrections);
    else if (e->corrections)
        snprintf(buf, cap, "\xe2\x9c\x97 %zu", e->corrections);
    else
        snprintf(buf, cap, "\xe2\x9c\x97");
}

/* ------------------------------------------------------------------- text */

#define C_RESET "\x1b[0m"
#define C_BOLD "\x1b[1m"
#define C_DIM "\x1b[2m"

static const char *score_color(double s)
{
    if (s < 0)
        return C_DIM;
    if (s >= 0.999)
        return "\x1b[32m";
    if (s >= 0.5)
        return "\x1b[36m";
    if (s > 0)
        return "\x1b[33m";
    return "\x1b[31m";
}

/* s colored (col non-NULL) and padded to width columns (0: no padding). */
static void pad(rp_w *w, const char *s, size_t width, const char *col)
{
    rp_w_puts(w, col);
    rp_w_puts(w, s);
    if (col)
        rp_w_puts(w, C_RESET);
    rp_w_pad(w, rp_u8width(s), width);
}

static rp_status render_text(const cmp *c, size_t n_reports, bool color, rp_buf *out)
{
    rp_w w = rp_w_on(out);
    size_t wm = 5;
    for (size_t k = 0; k < c->n_models; k++)
        if (rp_u8width(c->models[k].name) > wm)
            wm = rp_u8width(c->models[k].name);
    const char *bold = color ? C_BOLD : NULL, *dim = color ? C_DIM : NULL;
    rp_w_printf(&w, "%s%zu transcript%s, %zu model%s%s\n\n", color ? C_BOLD : "", n_reports,
                n_reports == 1 ? "" : "s", c->n_models, c->n_models == 1 ? "" : "s",
                color ? C_RESET : "");
    rp_w_puts(&w, dim);
    static const struct {
        const char *h;
        size_t wd;
    } cols[] = {{"runs", 6}, {"answered", 10}, {"first try", 16}, {"final", 16},
                {"corr/part", 11}, {"nudge/hint/solution", 21}, {"revealed", 0}};
    pad(&w, "model", wm + 2, NULL);
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        pad(&w, cols[i].h, cols[i].wd, NULL);
    if (dim)
        rp_w_puts(&w, C_RESET);
    rp_w_putc(&w, '\n');
    for (size_t k = 0; k < c->n_models; k++) {
        const model *m = &c->models[k];
        char v[7][48];
        snprintf(v[0], sizeof v[0], "%zu", m->transcripts);
        snprintf(v[1], sizeof v[1], "%zu/%zu", m->answered, m->parts);
        snprintf(v[2], sizeof v[2], "%zu/%zu %.0f%%", m->first_pass, m->parts, pct(m->first_pass, m->parts));
        snprintf(v[3], sizeof v[3], "%zu/%zu %.0f%%", m->final_pass, m->parts, pct(m->final_pass, m->parts));
        snprintf(v[4], sizeof v[4], "%.2f", per_part(m));
        snprintf(v[5], sizeof v[5], "%zu/%zu/%zu", m->kinds[0], m->kinds[1], m->kinds[2]);
        snprintf(v[6], sizeof v[6], "%zu", m->revealed);
        pad(&w, m->name, wm + 2, bold);
        for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
            pad(&w, v[i], cols[i].wd, NULL);
        rp_w_putc(&w, '\n');
    }
    if (c->n_cats) {
        rp_w_printf(&w, "\n%serror categories (all failed attempts)%s\n", color ? C_BOLD : "",
                    color ? C_RESET : "");
        for (size_t k = 0; k < c->n_models; k++) {
            const model *m = &c->models[k];
            pad(&w, m->name, wm + 2, bold);
            bool any = false;
            for (size_t x = 0; x < c->n_cats; x++)
                if (m->cats[x]) {
                    rp_w_printf(&w, "%s%s %zu", any ? ", " : "", c->cats[x], m->cats[x]);
                    any = true;
                }
            rp_w_puts(&w, any ? "\n" : "none\n");
        }
    }
    rp_w_printf(&w, "\n%sparts (first \xe2\x86\x92 final, corrections)%s\n", color ? C_BOLD : "",
                color ? C_RESET : "");
    size_t wp = 4;
    for (size_t q = 0; q < c->n_parts; q++)
        if (rp_u8width(c->parts[q].id) > wp)
            wp = rp_u8width(c->parts[q].id);
    size_t wc = wm > 10 ? wm + 2 : 12;
    pad(&w, "part", wp + 2, dim);
    for (size_t k = 0; k < c->n_models; k++)
        pad(&w, c->models[k].name, k + 1 < c->n_models ? wc : 0, bold);
    rp_w_putc(&w, '\n');
    for (size_t q = 0; q < c->n_parts; q++) {
        pad(&w, c->parts[q].id, wp + 2, NULL);
        for (size_t k = 0; k < c->n_models; k++) {
            const cell *e = &c->models[k].cells[q];
            char lab[48];
            cell_label(e, lab, sizeof lab);
            pad(&w, lab, k + 1 < c->n_models ? wc : 0, color ? score_color(e->score) : NULL);
        }
        rp_w_putc(&w, '\n');
    }
    return w.st;
}

/* --------------------------------------------------------------- Markdown */

/* "| a | b |" header cells for every model, then the alignment row. */
static void md_model_header(rp_w *w, const cmp *c, const char *align)
{
    for (size_t k = 0; k < c->n_models; k++) {
        rp_w_putc(w, ' ');
        rp_w_md_cell(w, c->models[k].name);
        rp_w_puts(w, " |");
    }
    rp_w_putc(w, '\n');
    rp_w_puts(w, align);
    for (size_t k = 0; k < c->n_models; k++)
        rp_w_puts(w, " ---: |");
}

static rp_status render_md(const cmp *c, size_t n_reports, rp_buf *out)
{
    rp_w w = rp_w_on(out);
    rp_w_printf(&w, "# Model comparison\n\n%zu transcript%s, %zu model%s", n_reports,
                n_reports == 1 ? "" : "s", c->n_models, c->n_models == 1 ? "" : "s");
    for (size_t i = 0; i < c->n_rubrics; i++)
        rp_w_printf(&w, "%s`%s`", i ? ", " : "; rubric ", c->rubrics[i]);
    rp_w_puts(&w, ".\n\n## Models\n\n| model | transcripts | answered | first try | final | "
                  "corrections per part | nudge / hint / solution | revealed |\n"
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (size_t k = 0; k < c->n_models; k++) {
        const model *m = &c->models[k];
        rp_w_puts(&w, "| ");
        rp_w_md_cell(&w, m->name);
        rp_w_printf(&w, " | %zu | %zu/%zu | %zu/%zu (%.0f%%) | %zu/%zu (%.0f%%) | %.2f | "
                        "%zu / %zu / %zu | %zu |\n",
                    m->transcripts, m->answered, m->parts, m->first_pass, m->parts,
                    pct(m->first_pass, m->parts), m->final_pass, m->parts, pct(m->final_pass, m->parts),
                    per_part(m), m->kinds[0], m->kinds[1], m->kinds[2], m->revealed);
    }
    if (c->n_cats) {
        rp_w_puts(&w, "\n## Error categories\n\nCounted over every failed attempt.\n\n| category |");
        md_model_header(&w, c, "| --- |");
        for (size_t x = 0; x < c->n_cats; x++) {
            rp_w_printf(&w, "\n| `%s` |", c->cats[x]);
            for (size_t k = 0; k < c->n_models; k++)
                rp_w_printf(&w, " %zu |", c->models[k].cats[x]);
        }
        rp_w_putc(&w, '\n');
    }
    rp_w_puts(&w, "\n## Parts\n\n✓ right on the first try · ✗→✓ N right after N corrections · "
                  "✗ N still wrong after N corrections · – not answered · k/n: right in the end in "
                  "k of n transcripts\n\n| part | title |");
    md_model_header(&w, c, "| --- | --- |");
    for (size_t q = 0; q < c->n_parts; q++) {
        rp_w_puts(&w, "\n| ");
        rp_w_md_cell(&w, c->parts[q].id);
        rp_w_puts(&w, " | ");
        rp_w_md_cell(&w, c->parts[q].title);
        rp_w_puts(&w, " |");
        for (size_t k = 0; k < c->n_models; k++) {
            const cell *e = &c->models[k].cells[q];
            char lab[48];
            cell_label(e, lab, sizeof lab);
            rp_w_printf(&w, " %s", lab);
            if (e->n == 1 && e->last->first.verdict == RP_VERDICT_FAIL && e->last->first.category)
                rp_w_printf(&w, " `%s`", e->last->first.category);
            if (e->revealed)
                rp_w_puts(&w, " (revealed)");
            rp_w_puts(&w, " |");
        }
    }
    rp_w_putc(&w, '\n');
    return w.st;
}

/* ------------------------------------------------------------------- JSON */

static bool jadd(cJSON *o, const char *k, cJSON *v)
{
    if (!v)
        return false;
    cJSON_AddItemToObject(o, k, v);
    return true;
}

static cJSON *jnum(size_t v)
{
    return cJSON_CreateNumber((double)v);
}

static cJSON *jrate(size_t a, size_t b)
{
    return b ? cJSON_CreateNumber(round(1e4 * (double)a / (double)b) / 1e4) : cJSON_CreateNull();
}

static cJSON *model_json(const cmp *c, const model *m)
{
    cJSON *o = cJSON_CreateObject(), *corr = cJSON_CreateObject(), *cats = cJSON_CreateObject();
    bool ok = o && corr && cats && jadd(o, "model", cJSON_CreateString(m->name)) &&
              jadd(o, "transcripts", jnum(m->transcripts)) && jadd(o, "parts", jnum(m->parts)) &&
              jadd(o, "answered", jnum(m->answered)) && jadd(o, "first_pass", jnum(m->first_pass)) &&
              jadd(o, "final_pass", jnum(m->final_pass)) &&
              jadd(o, "first_pass_rate", jrate(m->first_pass, m->parts)) &&
              jadd(o, "final_pass_rate", jrate(m->final_pass, m->parts)) &&
              jadd(corr, "total", jnum(m->corrections)) &&
              jadd(corr, "per_part", m->answered ? cJSON_CreateNumber(round(1e4 * per_part(m)) / 1e4)
                                                 : cJSON_CreateNull()) &&
              jadd(corr, "nudge", jnum(m->kinds[0])) && jadd(corr, "hint", jnum(m->kinds[1])) &&
              jadd(corr, "solution", jnum(m->kinds[2]));
    for (size_t x = 0; ok && x < c->n_cats; x++)
        if (m->cats[x])
            ok = jadd(cats, c->cats[x], jnum(m->cats[x]));
    if (ok) {
        cJSON_AddItemToObject(o, "corrections", corr);
        corr = NULL;
        ok = jadd(o, "revealed", jnum(m->revealed)) && jadd(o, "ungraded", jnum(m->ungraded)) &&
             jadd(o, "failed_attempts", jnum(m->failed_attempts));
    }
    if (ok) {
        cJSON_AddItemToObject(o, "categories", cats);
        cats = NULL;
    }
    cJSON_Delete(corr);
    cJSON_Delete(cats);
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static cJSON *cell_json(const cell *e)
{
    cJSON *o = cJSON_CreateObject();
    bool ok = o && jadd(o, "transcripts", jnum(e->n)) && jadd(o, "answered", jnum(e->answered)) &&
              jadd(o, "first_pass", jnum(e->first_pass)) && jadd(o, "final_pass", jnum(e->final_pass)) &&
              jadd(o, "corrections", jnum(e->corrections)) && jadd(o, "revealed", jnum(e->revealed));
    if (ok && e->n == 1) {
        const rp_part_result *p = e->last;
        ok = jadd(o, "first", cJSON_CreateString(rp_verdict_name(p->first.verdict))) &&
             jadd(o, "final", cJSON_CreateString(rp_verdict_name(p->final.verdict))) &&
             jadd(o, "category", p->first.category ? cJSON_CreateString(p->first.category)
                                                   : cJSON_CreateNull());
    }
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static rp_status render_json(const cmp *c, size_t n_reports, rp_buf *b)
{
    cJSON *o = cJSON_CreateObject(), *ms = cJSON_CreateArray(), *ps = cJSON_CreateArray();
    bool ok = o && ms && ps && jadd(o, "redpen", cJSON_CreateString(REDPEN_VERSION)) &&
              jadd(o, "schema", cJSON_CreateNumber(1)) && jadd(o, "transcripts", jnum(n_reports));
    for (size_t k = 0; ok && k < c->n_models; k++) {
        cJSON *m = model_json(c, &c->models[k]);
        ok = m != NULL;
        if (ok)
            cJSON_AddItemToArray(ms, m);
    }
    for (size_t q = 0; ok && q < c->n_parts; q++) {
        cJSON *p = cJSON_CreateObject(), *per = cJSON_CreateObject();
        ok = p && per && jadd(p, "part", cJSON_CreateString(c->parts[q].id)) &&
             jadd(p, "title", c->parts[q].title ? cJSON_CreateString(c->parts[q].title)
                                                : cJSON_CreateNull());
        for (size_t k = 0; ok && k < c->n_models; k++)
            if (c->models[k].cells[q].n)
                ok = jadd(per, c->models[k].name, cell_json(&c->models[k].cells[q]));
        if (ok) {
            cJSON_AddItemToObject(p, "models", per);
            cJSON_AddItemToArray(ps, p);
        } else {
            cJSON_Delete(p);
            cJSON_Delete(per);
        }
    }
    if (ok) {
        cJSON_AddItemToObject(o, "models", ms);
        cJSON_AddItemToObject(o, "parts", ps);
        ms = ps = NULL;
    }
    cJSON_Delete(ms);
    cJSON_Delete(ps);
    char *s = ok ? cJSON_Print(o) : NULL;
    cJSON_Delete(o);
    if (!s)
        return RP_ENOMEM;
    rp_status st = rp_buf_puts(b, s);
    cJSON_free(s);
    return st == RP_OK ? rp_buf_putc(b, '\n') : st;
}

/* ------------------------------------------------------------ HTML + SVG */

/* Color of an outcome score: red (0) through amber to green (1). */
static void score_rgb(double s, char *buf, size_t cap)
{
    static const double stops[4][4] = {{0.0, 229, 83, 75},
                                       {0.35, 244, 180, 60},
                                       {0.7, 150, 205, 110},
                                       {1.0, 45, 164, 78}};
    if (s < 0) {
        snprintf(buf, cap, "%s", s == NOT_GRADED ? "#c9d1da" : "#eaeef2");
        return;
    }
    int i = 0;
    while (i < 2 && s > stops[i + 1][0])
        i++;
    double t = (s - stops[i][0]) / (stops[i + 1][0] - stops[i][0]);
    if (t < 0)
        t = 0;
    if (t > 1)
        t = 1;
    int rgb[3];
    for (int k = 0; k < 3; k++)
        rgb[k] = (int)lround(stops[i][k + 1] + t * (stops[i + 1][k + 1] - stops[i][k + 1]));
    snprintf(buf, cap, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
}

/* Width of the label column of the charts: room for the longest model
 * name (13px bold is about 9px a character). */
static int label_width(const cmp *c)
{
    size_t n = 6;
    for (size_t k = 0; k < c->n_models; k++)
        if (rp_u8width(c->models[k].name) > n)
            n = rp_u8width(c->models[k].name);
    int wd = 24 + 9 * (int)n;
    return wd > 300 ? 300 : wd;
}

static void svg_open(rp_w *w, const char *id, int width, int height, const char *title)
{
    rp_w_printf(w, "<svg id=\"%s\" class=\"chart\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\" "
                   "viewBox=\"0 0 %d %d\" width=\"%d\" style=\"max-width:100%%;height:auto\">\n"
                   "<title>%s</title>\n", id, width, height, width, title);
}

/* A model's name at the left of a chart row whose middle is at y. */
static void svg_row_label(rp_w *w, const char *name, int label_w, int y)
{
    rp_w_printf(w, "<text x=\"%d\" y=\"%d\" font-size=\"13\" font-weight=\"600\" "
                   "text-anchor=\"end\" fill=\"#1f2328\">", label_w - 10, y + 5);
    rp_w_esc(w, name);
    rp_w_puts(w, "</text>\n");
}

/* The tooltip of a heat-map cell. */
static void cell_title(rp_w *w, const cmp *c, const model *m, size_t q)
{
    const cell *e = &m->cells[q];
    rp_w_esc(w, c->parts[q].id);
    rp_w_puts(w, " \xc2\xb7 ");
    rp_w_esc(w, m->name);
    if (e->n == 1) {
        const rp_part_result *p = e->last;
        rp_w_printf(w, ": first %s, final %s, %zu correction%s%s", rp_verdict_name(p->first.verdict),
                    rp_verdict_name(p->final.verdict), e->corrections, e->corrections == 1 ? "" : "s",
                    p->revealed ? ", answer revealed" : "");
        if (p->first.category) {
            rp_w_puts(w, "; first error: ");
            rp_w_esc(w, p->first.category);
        }
    } else if (e->n > 1) {
        rp_w_printf(w, ": %zu transcripts, first try %zu, final %zu, %zu corrections", e->n,
                    e->first_pass, e->final_pass, e->corrections);
    } else {
        rp_w_puts(w, ": not in these reports");
    }
}

static void svg_heatmap(rp_w *w, const cmp *c)
{
    const int label_w = label_width(c), cw = c->n_parts > 30 ? 40 : 50, ch = 34, top = 26;
    int width = label_w + (int)c->n_parts * cw + 10;
    svg_open(w, "heatmap", width, top + (int)c->n_models * ch + 6, "Outcome per part and model");
    for (size_t q = 0; q < c->n_parts; q++) {
        rp_w_printf(w, "<text x=\"%d\" y=\"%d\" font-size=\"12\" font-weight=\"600\" "
                       "text-anchor=\"middle\" fill=\"#59636e\">", label_w + (int)q * cw + cw / 2, top - 9);
        rp_w_esc(w, c->parts[q].id);
        rp_w_puts(w, "</text>\n");
    }
    for (size_t k = 0; k < c->n_models; k++) {
        const model *m = &c->models[k];
        int y = top + (int)k * ch;
        svg_row_label(w, m->name, label_w, y + ch / 2);
        for (size_t q = 0; q < c->n_parts; q++) {
            const cell *e = &m->cells[q];
            char col[16], lab[48];
            score_rgb(e->score, col, sizeof col);
            cell_label(e, lab, sizeof lab);
            int x = label_w + (int)q * cw;
            rp_w_printf(w, "<g><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"4\" "
                           "fill=\"%s\" stroke=\"#ffffff\" stroke-width=\"2\"/><title>",
                        x, y, cw, ch, e->n ? col : "#f6f8fa");
            cell_title(w, c, m, q);
            bool light_text = e->score >= 0 && (e->score < 0.2 || e->score > 0.9);
            rp_w_printf(w, "</title></g><text x=\"%d\" y=\"%d\" font-size=\"12\" font-weight=\"600\" "
                           "text-anchor=\"middle\" fill=\"%s\" pointer-events=\"none\">",
                        x + cw / 2, y + ch / 2 + 4, light_text ? "#ffffff" : "#1f2328");
            rp_w_esc(w, lab);
            rp_w_puts(w, "</text>\n");
        }
    }
    rp_w_puts(w, "</svg>\n<div class=\"legend\">");
    static const struct {
        double s;
        const char *what;
    } leg[] = {{1.0, "right on the first try"},
               {0.7, "right after corrections"},
               {0.35, "right once the answer was revealed"},
               {0.0, "still wrong"},
               {NOT_GRADED, "not graded (free text)"},
               {NOT_ANSWERED, "not answered"}};
    for (size_t i = 0; i < sizeof leg / sizeof leg[0]; i++) {
        char col[16];
        score_rgb(leg[i].s, col, sizeof col);
        rp_w_printf(w, "<span><i style=\"background:%s\"></i>%s</span>", col, leg[i].what);
    }
    rp_w_puts(w, "</div>\n<p class=\"muted small\">A cell shows \xe2\x9c\x93 (right on the first try), "
                 "\xe2\x9c\x97\xe2\x86\x92\xe2\x9c\x93 N (right after N corrections) or "
                 "\xe2\x9c\x97 N (still wrong after N corrections); over several transcripts of a "
                 "model, k/n were right in the end and the color is the mean outcome. Hover a cell for "
                 "details.</p>\n");
}

static void svg_rates(rp_w *w, const cmp *c)
{
    const int label_w = label_width(c), bar_w = 520, bh = 16, gap = 14;
    int height = 24 + (int)c->n_models * (2 * bh + gap) + 6;
    svg_open(w, "passrates", label_w + bar_w + 90, height, "Pass rates per model");
    for (int t = 0; t <= 4; t++) {
        int x = label_w + t * bar_w / 4;
        rp_w_printf(w, "<line x1=\"%d\" x2=\"%d\" y1=\"16\" y2=\"%d\" stroke=\"#d1d9e0\" "
                       "stroke-dasharray=\"2 3\"/><text x=\"%d\" y=\"11\" font-size=\"10\" "
                       "text-anchor=\"middle\" fill=\"#59636e\">%d%%</text>\n",
                    x, x, height - 4, x, t * 25);
    }
    for (size_t k = 0; k < c->n_models; k++) {
        const model *m = &c->models[k];
        int y = 22 + (int)k * (2 * bh + gap);
        svg_row_label(w, m->name, label_w, y + bh);
        const struct {
            size_t v;
            const char *col, *what;
        } bars[2] = {{m->first_pass, "#54aeff", "first try"}, {m->final_pass, "#1a7f37", "final"}};
        for (int i = 0; i < 2; i++) {
            double p = pct(bars[i].v, m->parts);
            int len = (int)lround(p / 100.0 * bar_w);
            rp_w_printf(w, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"2\" "
                           "fill=\"%s\"><title>%s: %zu of %zu parts</title></rect>"
                           "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#1f2328\">%s %.0f%%</text>\n",
                        label_w, y + i * bh, len > 0 ? len : 1, bh - 2, bars[i].col, bars[i].what,
                        bars[i].v, m->parts, label_w + len + 5, y + i * bh + 11, bars[i].what, p);
        }
    }
    rp_w_puts(w, "</svg>\n");
}

static void svg_categories(rp_w *w, const cmp *c)
{
    const int label_w = label_width(c), bar_w = 560, bh = 24, gap = 12;
    size_t maxv = 1;
    for (size_t k = 0; k < c->n_models; k++)
        if (c->models[k].failed_attempts > maxv)
            maxv = c->models[k].failed_attempts;
    svg_open(w, "categories", label_w + bar_w + 50, 10 + (int)c->n_models * (bh + gap),
             "Error categories over all failed attempts");
    for (size_t k = 0; k < c->n_models; k++) {
        const model *m = &c->models[k];
        int y = 6 + (int)k * (bh + gap);
        svg_row_label(w, m->name, label_w, y + bh / 2);
        double x = label_w;
        for (size_t i = 0; i < c->n_cats; i++) {
            if (!m->cats[i])
                continue;
            double len = (double)m->cats[i] / (double)maxv * bar_w;
            rp_w_printf(w, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\" "
                           "stroke=\"#ffffff\" stroke-width=\"1\"><title>",
                        x, y, len, bh, rp_category_color(c->cats[i]));
            rp_w_esc(w, m->name);
            rp_w_puts(w, ": ");
            rp_w_esc(w, c->cats[i]);
            rp_w_printf(w, " \xc3\x97 %zu</title></rect>\n", m->cats[i]);
            if (len >= 16)
                rp_w_printf(w, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" "
                               "fill=\"#ffffff\" font-weight=\"600\" pointer-events=\"none\">%zu</text>\n",
                            x + len / 2, y + bh / 2 + 4, m->cats[i]);
            x += len;
        }
        rp_w_printf(w, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" fill=\"#59636e\">%zu</text>\n",
                    x + 6, y + bh / 2 + 4, m->failed_attempts);
    }
    rp_w_puts(w, "</svg>\n<div class=\"legend\">");
    for (size_t i = 0; i < c->n_cats; i++) {
        rp_w_printf(w, "<span><i style=\"background:%s\"></i><code>", rp_category_color(c->cats[i]));
        rp_w_esc(w, c->cats[i]);
        rp_w_puts(w, "</code></span>");
    }
    rp_w_puts(w, "</div>\n");
}

static const char compare_css[] =
    ".legend{display:flex;flex-wrap:wrap;gap:6px 16px;font-size:13px;color:#59636e;margin:2px 0 8px}\n"
    ".legend i{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:5px;"
    "vertical-align:-1px}\n"
    ".small{font-size:13px}\n"
    "td.c{white-space:nowrap}\n"
    "td.c .det{display:block;font-size:12px;color:#59636e;white-space:normal;max-width:280px}\n"
    ".grid{overflow-x:auto}\n";

static void models_table(rp_w *w, const cmp *c)
{
    rp_w_puts(w, "<table>\n<tr><th>model</th><th class=\"num\">transcripts</th>"
                 "<th class=\"num\">answered</th><th class=\"num\">first try</th>"
                 "<th class=\"num\">final</th><th class=\"num\">corrections per part</th>"
                 "<th class=\"num\">nudge / hint / solution</th><th class=\"num\">revealed</th></tr>\n");
    for (size_t i = 0; i < c->n_models; i++) {
        const model *m = &c->models[i];
        rp_w_puts(w, "<tr><th>");
        rp_w_esc(w, m->name);
        rp_w_printf(w, "</th><td class=\"num\">%zu</td><td class=\"num\">%zu/%zu</td>"
                       "<td class=\"num\">%zu/%zu <b>%.0f%%</b></td>"
                       "<td class=\"num\">%zu/%zu <b>%.0f%%</b></td><td class=\"num\">%.2f</td>"
                       "<td class=\"num\">%zu / %zu / %zu</td><td class=\"num\">%zu</td></tr>\n",
                    m->transcripts, m->answered, m->parts, m->first_pass, m->parts,
                    pct(m->first_pass, m->parts), m->final_pass, m->parts, pct(m->final_pass, m->parts),
                    per_part(m), m->kinds[0], m->kinds[1], m->kinds[2], m->revealed);
    }
    rp_w_puts(w, "</table>\n");
}

/* The part × model table, with the diagnosis of each failure. */
static void parts_table(rp_w *w, const cmp *c)
{
    rp_w_puts(w, "<div class=\"grid\"><table>\n<tr><th>part</th><th>title</th>");
    for (size_t i = 0; i < c->n_models; i++) {
        rp_w_puts(w, "<th>");
        rp_w_esc(w, c->models[i].name);
        rp_w_puts(w, "</th>");
    }
    rp_w_puts(w, "</tr>\n");
    for (size_t q = 0; q < c->n_parts; q++) {
        rp_w_puts(w, "<tr><td><b>");
        rp_w_esc(w, c->parts[q].id);
        rp_w_puts(w, "</b></td><td>");
        rp_w_esc(w, c->parts[q].title);
        rp_w_puts(w, "</td>");
        for (size_t i = 0; i < c->n_models; i++) {
            const cell *e = &c->models[i].cells[q];
            rp_w_puts(w, "<td class=\"c\">");
            if (e->n == 1) {
                const rp_part_result *p = e->last;
                rp_html_verdict(w, p->first.verdict);
                if (p->final.verdict != p->first.verdict) {
                    rp_w_puts(w, " \xe2\x86\x92 ");
                    rp_html_verdict(w, p->final.verdict);
                }
                if (p->n_corrections)
                    rp_w_printf(w, " <span class=\"muted small\">%zu corr.%s</span>", p->n_corrections,
                                p->revealed ? ", revealed" : "");
                const rp_attempt *f = p->first.verdict == RP_VERDICT_FAIL ? &p->first : rp_part_failure(p);
                if (f && (f->category || f->detail)) {
                    rp_w_puts(w, "<span class=\"det\">");
                    rp_html_diagnosis(w, f);
                    rp_w_puts(w, "</span>");
                }
            } else if (e->n > 1) {
                rp_w_printf(w, "first try %zu/%zu, final %zu/%zu<span class=\"det\">%zu corrections, "
                               "%zu revealed</span>",
                            e->first_pass, e->n, e->final_pass, e->n, e->corrections, e->revealed);
            }
            rp_w_puts(w, "</td>");
        }
        rp_w_puts(w, "</tr>\n");
    }
    rp_w_puts(w, "</table></div>\n");
}

/* The row of report r in the HTML table of transcripts, written while
 * folding (the report is gone by the time the page is written). */
static rp_status transcript_row(const rp_report *r, rp_buf *rows)
{
    rp_w w = rp_w_on(rows);
    rp_w_puts(&w, "<tr><td><code>");
    rp_w_esc(&w, rp_report_display_path(r));
    rp_w_puts(&w, "</code></td><td>");
    rp_w_esc(&w, rp_report_display_model(r));
    rp_w_puts(&w, "</td><td>");
    rp_w_esc(&w, r->rubric_id ? r->rubric_id : "none");
    rp_w_printf(&w, "</td><td class=\"num\">%zu/%zu</td><td class=\"num\">%zu/%zu</td>"
                    "<td class=\"num\">%zu</td></tr>\n",
                r->summary.first_pass, r->summary.parts, r->summary.final_pass, r->summary.parts,
                r->summary.corrections);
    return w.st;
}

static void transcripts_table(rp_w *w, const rp_buf *rows)
{
    rp_w_puts(w, "<table>\n<tr><th>file</th><th>model</th><th>rubric</th><th class=\"num\">first try</th>"
                 "<th class=\"num\">final</th><th class=\"num\">corrections</th></tr>\n");
    rp_w_put(w, rows->data ? rows->data : "", rows->len);
    rp_w_puts(w, "</table>\n");
}

static rp_status render_html(const cmp *c, const rp_buf *rows, const rp_html_opts *o, rp_buf *out)
{
    rp_html_opts none = {0};
    rp_katex_assets *k = rp_katex_assets_load(o ? o : &none);
    rp_w w = rp_w_on(out);
    rp_html_begin(&w, "redpen: model comparison", compare_css, k);
    size_t n = c->n_reports;
    rp_w_printf(&w, "<main>\n<h1>Model comparison</h1>\n<p class=\"sub\">%zu transcript%s, %zu model%s",
                n, n == 1 ? "" : "s", c->n_models, c->n_models == 1 ? "" : "s");
    for (size_t i = 0; i < c->n_rubrics; i++) {
        rp_w_puts(&w, i ? ", " : " &middot; rubric ");
        rp_w_esc(&w, c->rubrics[i]);
    }
    rp_w_puts(&w, " &middot; graded by redpen " REDPEN_VERSION "</p>\n<h2>Models</h2>\n");
    models_table(&w, c);
    svg_rates(&w, c);
    rp_w_puts(&w, "<h2>Outcome per part</h2>\n<div class=\"grid\">\n");
    svg_heatmap(&w, c);
    rp_w_puts(&w, "</div>\n<h2>Error categories</h2>\n<p class=\"muted small\">Every failed attempt "
                  "counts once, under the category redpen diagnosed; the number after a bar is the "
                  "model's failed attempts.</p>\n");
    if (c->n_cats)
        svg_categories(&w, c);
    else
        rp_w_puts(&w, "<p>No failed attempts.</p>\n<svg id=\"categories\" class=\"chart\" "
                      "xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"></svg>\n");
    rp_w_puts(&w, "<h2>Parts in detail</h2>\n");
    parts_table(&w, c);
    rp_w_puts(&w, "<h2>Transcripts</h2>\n");
    transcripts_table(&w, rows);
    rp_w_puts(&w, "</main>\n");
    rp_html_end(&w, k);
    rp_katex_assets_free(k);
    return w.st;
}

/* ------------------------------------------------------------ public */

struct rp_compare {
    cmp c;
    rp_compare_format fmt;
    rp_status st;   /* the first failure of a fold; sticks */
    rp_buf rows;    /* HTML: the rows of the table of transcripts */
};

rp_status rp_compare_new(rp_compare_format fmt, rp_compare **out)
{
    *out = NULL;
    if ((unsigned)fmt > RP_COMPARE_JSON)
        return RP_EUNSUPPORTED;
    rp_compare *k = calloc(1, sizeof *k);
    if (!k)
        return RP_ENOMEM;
    k->c.arena = rp_arena_new(0);
    if (!k->c.arena) {
        free(k);
        return RP_ENOMEM;
    }
    k->fmt = fmt;
    rp_buf_init(&k->rows, 0);
    *out = k;
    return RP_OK;
}

void rp_compare_free(rp_compare *k)
{
    if (!k)
        return;
    cmp_free(&k->c);
    rp_buf_free(&k->rows);
    free(k);
}

rp_status rp_compare_add(rp_compare *k, const rp_report *r)
{
    k->c.n_reports++;
    if (k->st == RP_OK)
        k->st = fold(&k->c, r);
    if (k->st == RP_OK && k->fmt == RP_COMPARE_HTML)
        k->st = transcript_row(r, &k->rows);
    return k->st;
}

size_t rp_compare_count(const rp_compare *k)
{
    return k->c.n_reports;
}

rp_status rp_compare_finish(rp_compare *k, bool color, const rp_html_opts *o, rp_buf *out)
{
    rp_status st = k->st;
    if (st == RP_OK)
        st = k->st = finish(&k->c);
    if (st != RP_OK)
        return st;
    k->st = RP_EINTERNAL; /* once */
    const cmp *c = &k->c;
    switch (k->fmt) {
    case RP_COMPARE_TEXT: return render_text(c, c->n_reports, color, out);
    case RP_COMPARE_MD: return render_md(c, c->n_reports, out);
    case RP_COMPARE_JSON: return render_json(c, c->n_reports, out);
    case RP_COMPARE_HTML: return render_html(c, &k->rows, o, out);
    }
    return RP_EUNSUPPORTED;
}

rp_status rp_compare_render(rp_report *const *reports, size_t n,
                            rp_compare_format fmt, bool color,
                            const rp_html_opts *o, rp_buf *out)
{
    rp_compare *k;
    rp_status st = rp_compare_new(fmt, &k);
    for (size_t i = 0; i < n && st == RP_OK; i++)
        st = rp_compare_add(k, reports[i]);
    if (st == RP_OK)
        st = rp_compare_finish(k, color, o, out);
    rp_compare_free(k);
    return st;
}
