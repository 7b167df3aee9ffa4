/*
 * `redpen compare`, the reducer: models side by side over many graded
 * transcripts, folded one report at a time (rp_compare_add) so that a
 * stream of any length fits in memory.  Reports with the same model name
 * aggregate.  Per model: parts answered, first-try and final pass rates,
 * corrections per answered part and their kinds, parts whose answer was
 * revealed, and the histogram of error categories over all failed
 * attempts.  Per part and model: first and final verdicts and corrections.
 * The renderers (compare_text.c, compare_md.c, compare_json.c,
 * compare_html.c, compare_csv.c) read the result; compare_int.h holds what they share.
 */
#include "compare_int.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PARTS 5000      /* distinct part ids over all reports */
#define MAX_CATEGORIES 200  /* distinct error categories */
#define MAX_RUBRICS 1000    /* distinct rubric ids */

static void cmp_free(rp_cmp *c)
{
    for (size_t i = 0; i < c->n_models; i++) {
        free(c->models[i].cats);
        free(c->models[i].cells);
    }
    free(c->models);
    free(c->parts);
    free(c->cats.s);
    free(c->rubrics.s);
    rp_index_free(&c->cats.index);
    rp_index_free(&c->rubrics.index);
    rp_index_free(&c->part_index);
    rp_index_free(&c->model_index);
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

/* How the comparison finds a part (by id), a model (by same_model) and a
 * category or rubric id (exactly). */
static const char *part_key(const void *c, size_t i)
{
    return ((const rp_cmp *)c)->parts[i].id;
}

static const char *model_key(const void *c, size_t i)
{
    return ((const rp_cmp *)c)->models[i].name;
}

static const char *name_key(const void *l, size_t i)
{
    return ((const rp_cmp_names *)l)->s[i];
}

static const rp_index_kind parts_kind = {part_key, str_eq, NULL};
static const rp_index_kind models_kind = {model_key, same_model, model_char};
static const rp_index_kind names_kind = {name_key, str_eq, NULL};

/* s copied into the comparison's arena (NULL stays NULL). */
static rp_status keep_str(rp_cmp *c, const char *s, const char **out)
{
    *out = s ? rp_arena_strdup(c->arena, s) : NULL;
    return s && !*out ? RP_ENOMEM : RP_OK;
}

/* list (n elements of size bytes, room for cap) with room for one more:
 * as it is when not full, else reallocated to twice cap (first when cap is
 * 0) and *cap updated.  NULL when out of memory (list is then left as it
 * was). */
static void *room_for_one(void *list, size_t n, size_t *cap, size_t size, size_t first)
{
    if (n < *cap)
        return list;
    size_t nc = *cap ? 2 * *cap : first;
    void *nl = realloc(list, nc * size);
    if (nl)
        *cap = nc;
    return nl;
}

/* Index of s in l (appending a copy when new, at most max of them). */
static rp_status intern(rp_cmp *c, rp_cmp_names *l, size_t max, const char *s, size_t *at)
{
    rp_status st = rp_index_reserve(&l->index, l->n);
    if (st != RP_OK)
        return st;
    size_t *slot = rp_index_slot(&l->index, s);
    if (*slot) {
        *at = *slot - 1;
        return RP_OK;
    }
    if (l->n >= max)
        return RP_ELIMIT;
    const char **ns = room_for_one(l->s, l->n, &l->cap, sizeof *ns, 16);
    if (!ns)
        return RP_ENOMEM;
    l->s = ns;
    if (keep_str(c, s, &l->s[l->n]) != RP_OK)
        return RP_ENOMEM;
    *at = l->n;
    *slot = ++l->n;
    return RP_OK;
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
static rp_status model_room(rp_cmp_model *m, size_t old_parts, size_t parts_cap, size_t old_cats, size_t cats_cap)
{
    rp_cmp_cell *nc = grow_zeroed(m->cells, old_parts, parts_cap, sizeof *nc);
    if (nc)
        m->cells = nc;
    size_t *nk = nc ? grow_zeroed(m->cats, old_cats, cats_cap, sizeof *nk) : NULL;
    if (nk)
        m->cats = nk;
    return nc && nk ? RP_OK : RP_ENOMEM;
}

/* The model named name (by same_model), added when new: the first spelling
 * met is the one shown. */
static rp_cmp_model *find_model(rp_cmp *c, const char *name)
{
    if (rp_index_reserve(&c->model_index, c->n_models) != RP_OK)
        return NULL;
    size_t *s = rp_index_slot(&c->model_index, name);
    if (*s)
        return &c->models[*s - 1];
    rp_cmp_model *nm = room_for_one(c->models, c->n_models, &c->models_cap, sizeof *nm, 8);
    if (!nm)
        return NULL;
    c->models = nm;
    rp_cmp_model *m = &c->models[c->n_models];
    memset(m, 0, sizeof *m);
    if (keep_str(c, name, &m->name) != RP_OK || model_room(m, 0, c->parts_cap, 0, c->cats.cap) != RP_OK) {
        free(m->cells);
        return NULL;
    }
    *s = ++c->n_models;
    return m;
}

/* Index of part p's id (added when new, with its title; a part without a
 * title takes the first title met).  A part without an id shows as "?": it
 * gets a row of its own, as it always had, and counts under the first "?". */
static rp_status find_part(rp_cmp *c, const rp_part_result *p, size_t *q)
{
    rp_status st = rp_index_reserve(&c->part_index, c->n_parts);
    if (st != RP_OK)
        return st;
    size_t *s = rp_index_slot(&c->part_index, p->part ? p->part : "?");
    if (*s && p->part) {
        rp_cmp_part *e = &c->parts[*s - 1];
        if (!e->title)
            st = keep_str(c, p->title, &e->title);
        *q = *s - 1;
        return st;
    }
    if (c->n_parts >= MAX_PARTS)
        return RP_ELIMIT;
    size_t nc = c->parts_cap;
    rp_cmp_part *np = room_for_one(c->parts, c->n_parts, &nc, sizeof *np, 32);
    if (!np)
        return RP_ENOMEM;
    c->parts = np;
    for (size_t k = 0; k < c->n_models && nc > c->parts_cap; k++)
        if (model_room(&c->models[k], c->parts_cap, nc, c->cats.cap, c->cats.cap) != RP_OK)
            return RP_ENOMEM;
    c->parts_cap = nc;
    rp_cmp_part *e = &c->parts[c->n_parts];
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
static rp_status find_cat(rp_cmp *c, const rp_attempt *a, size_t *x)
{
    size_t old = c->cats.cap;
    rp_status st = intern(c, &c->cats, MAX_CATEGORIES, a->category ? a->category : "uncategorized", x);
    for (size_t k = 0; st == RP_OK && k < c->n_models && c->cats.cap > old; k++)
        if (model_room(&c->models[k], c->parts_cap, c->parts_cap, old, c->cats.cap) != RP_OK)
            st = RP_ENOMEM;
    return st;
}

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
static rp_status keep_attempt(rp_cmp *c, const rp_attempt *a, rp_attempt *k)
{
    memset(k, 0, sizeof *k);
    k->turn = a->turn;
    k->verdict = a->verdict;
    rp_status st = keep_str(c, a->category, &k->category);
    return st == RP_OK ? keep_str(c, a->detail, &k->detail) : st;
}

/* A copy of part p (of part id e) in the arena, for a cell's only
 * transcript: first and final attempts, every attempt's turn, verdict and
 * category (the HTML page shows the sequence), corrections counted,
 * revealed.  The correction list stays behind: no renderer reads it. */
static rp_status keep_part(rp_cmp *c, const rp_part_result *p, const rp_cmp_part *e, const rp_part_result **out)
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
    rp_attempt *att = p->n_attempts ? rp_arena_alloc(c->arena, p->n_attempts * sizeof *att) : NULL;
    if (p->n_attempts && !att)
        st = RP_ENOMEM;
    for (size_t a = 0; att && a < p->n_attempts && st == RP_OK; a++) {
        att[a].turn = p->attempts[a].turn;
        att[a].verdict = p->attempts[a].verdict;
        st = keep_str(c, p->attempts[a].category, &att[a].category);
    }
    k->attempts = att;
    k->n_attempts = att ? p->n_attempts : 0;
    *out = k;
    return st;
}

/* Count part p of a transcript of model m whose annotated page would be
 * page (may be NULL). */
static rp_status fold_part(rp_cmp *c, rp_cmp_model *m, const rp_part_result *p, const char *page)
{
    size_t q;
    rp_status st = find_part(c, p, &q);
    if (st != RP_OK)
        return st;
    rp_cmp_cell *e = &m->cells[q];
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
    if (st == RP_OK && e->n == 1) {
        st = keep_part(c, p, &c->parts[q], &e->last);
        e->page = page;
    }
    return st;
}

/* Count report r: its model, its rubric and each of its parts. */
static rp_status fold(rp_cmp *c, const rp_report *r)
{
    rp_cmp_model *m = find_model(c, rp_report_display_model(r));
    if (!m)
        return RP_ENOMEM;
    size_t at;
    rp_status st = r->rubric_id ? intern(c, &c->rubrics, MAX_RUBRICS, r->rubric_id, &at) : RP_OK;
    if (st != RP_OK)
        return st;
    if (!m->transcripts)
        st = keep_str(c, r->model_from, &m->from);
    else if (!str_eq(m->from, r->model_from) && (m->from || r->model_from))
        m->from = "several sources";
    if (st != RP_OK)
        return st;
    m->transcripts++;
    const char *path = r->transcript ? r->transcript->path : NULL;
    const char *page = path ? rp_annotated_page_name(path, c->arena) : NULL;
    if (path && !page && strcmp(path, "-") && strcmp(path, "<stdin>"))
        return RP_ENOMEM; /* a page name is NULL only for standard input */
    for (size_t j = 0; j < r->n_parts && st == RP_OK; j++)
        st = fold_part(c, m, &r->parts[j], page);
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
 * counts follow them; the index of categories, now out of order, goes)
 * and each cell's mean outcome. */
static rp_status finish(rp_cmp *c)
{
    size_t n_cats = c->cats.n;
    rp_index_free(&c->cats.index);
    if (n_cats > 1) {
        cat_place *order = malloc(n_cats * sizeof *order);
        size_t *moved = malloc(n_cats * sizeof *moved);
        if (!order || !moved) {
            free(order);
            free(moved);
            return RP_ENOMEM;
        }
        for (size_t x = 0; x < n_cats; x++)
            order[x] = (cat_place){c->cats.s[x], x};
        qsort(order, n_cats, sizeof *order, cat_order);
        for (size_t k = 0; k < c->n_models; k++) {
            size_t *counts = c->models[k].cats;
            for (size_t y = 0; y < n_cats; y++)
                moved[y] = counts[order[y].at];
            memcpy(counts, moved, n_cats * sizeof *counts);
        }
        for (size_t y = 0; y < n_cats; y++)
            c->cats.s[y] = order[y].name;
        free(order);
        free(moved);
    }
    for (size_t k = 0; k < c->n_models; k++)
        for (size_t q = 0; q < c->n_parts; q++) {
            rp_cmp_cell *e = &c->models[k].cells[q];
            size_t graded = e->answered - e->ungraded;
            e->score = graded ? e->score / (double)graded : e->answered ? RP_CMP_NOT_GRADED : RP_CMP_NOT_ANSWERED;
        }
    return RP_OK;
}

double rp_cmp_pct(size_t a, size_t b)
{
    return b ? 100.0 * (double)a / (double)b : 0.0;
}

double rp_cmp_per_part(const rp_cmp_model *m)
{
    return m->answered ? (double)m->corrections / (double)m->answered : 0.0;
}

void rp_cmp_names_line(rp_w *w, const rp_cmp *c, bool md)
{
    bool any = false, one = true;
    for (size_t k = 0; k < c->n_models; k++) {
        any |= c->models[k].from != NULL;
        one = one && str_eq(c->models[k].from, c->models[0].from);
    }
    if (!any)
        return;
    rp_w_puts(w, "names: ");
    for (size_t k = 0; k < (one ? 1 : c->n_models); k++) {
        const rp_cmp_model *m = &c->models[k];
        if (one) {
            rp_w_puts(w, m->from);
            break;
        }
        rp_w_puts(w, k ? ", " : "");
        if (md)
            rp_w_md_cell(w, m->name);
        else
            rp_w_puts(w, m->name);
        rp_w_printf(w, " (%s)", m->from ? m->from : "not said");
    }
    rp_w_putc(w, '\n');
}

void rp_cmp_cell_label(const rp_cmp_cell *e, char *buf, size_t cap)
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

/* ------------------------------------------------------------ public */

struct rp_compare {
    rp_cmp c;
    rp_compare_format fmt;
    rp_status st;   /* the first failure of a fold; sticks */
    rp_buf rows;    /* HTML: the rows of the table of transcripts */
};

rp_status rp_compare_new(rp_compare_format fmt, rp_compare **out)
{
    *out = NULL;
    if ((unsigned)fmt > RP_COMPARE_CSV)
        return RP_EUNSUPPORTED;
    rp_compare *k = calloc(1, sizeof *k);
    if (!k)
        return RP_ENOMEM;
    k->c.arena = rp_arena_new(0);
    if (!k->c.arena) {
        free(k);
        return RP_ENOMEM;
    }
    k->c.rows = "model";
    rp_index_init(&k->c.part_index, &parts_kind, &k->c);
    rp_index_init(&k->c.model_index, &models_kind, &k->c);
    rp_index_init(&k->c.cats.index, &names_kind, &k->c.cats);
    rp_index_init(&k->c.rubrics.index, &names_kind, &k->c.rubrics);
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
        k->st = rp_cmp_html_row(r, &k->rows);
    return k->st;
}

rp_status rp_compare_set_rows(rp_compare *c, const char *field)
{
    if (!field || !field[0])
        return RP_OK;
    /* a field name, never markup: it is printed into every format as is */
    for (const char *p = field; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-')
            return RP_EINPUT;
    const char *copy = rp_arena_strdup(c->c.arena, field);
    if (!copy)
        return RP_ENOMEM;
    c->c.rows = copy;
    return RP_OK;
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
    const rp_cmp *c = &k->c;
    switch (k->fmt) {
    case RP_COMPARE_TEXT: return rp_cmp_render_text(c, color, out);
    case RP_COMPARE_MD: return rp_cmp_render_md(c, out);
    case RP_COMPARE_JSON: return rp_cmp_render_json(c, out);
    case RP_COMPARE_CSV: return rp_cmp_render_csv(c, out);
    case RP_COMPARE_HTML: return rp_cmp_render_html(c, &k->rows, o, out);
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
