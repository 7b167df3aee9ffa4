/*
 * How `redpen compare` names the groups reports aggregate under, and says
 * where each name came from: by model (--model, a map of files to names
 * read from --models MAP.tsv, the name the transcript or saved report
 * carries, else a guess from the file name), or by the input file, its
 * folder, or the transcript's title, format or rubric (--group-by).  The
 * guess stays the default; the map and the options are the user's word.
 */
#include "report_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAP_MAX_BYTES ((size_t)16 << 20)

typedef struct map_entry {
    char *file, *name;
    int line;
} map_entry;

struct rp_model_map {
    char *path; /* the map's own path, for "the map m.tsv" */
    map_entry *e;
    size_t n;
};

void rp_model_map_free(rp_model_map *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        free(m->e[i].file);
        free(m->e[i].name);
    }
    free(m->e);
    free(m->path);
    free(m);
}

/* s[0..n) without spaces, tabs or a CR at either end, as a new string. */
static char *trimmed(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    char *t = malloc(n + 1);
    if (t) {
        memcpy(t, s, n);
        t[n] = '\0';
    }
    return t;
}

/* One line "FILE<TAB>NAME" of the map into m (its entries have room). */
static rp_status map_line(rp_model_map *m, const char *path, int line, const char *s, size_t n,
                          rp_diags *d)
{
    const char *tab = memchr(s, '\t', n);
    if (!tab) {
        rp_diag_add(d, path, line, 0, "expected FILE<TAB>NAME");
        return RP_EINPUT;
    }
    map_entry *e = &m->e[m->n];
    e->file = trimmed(s, (size_t)(tab - s));
    e->name = trimmed(tab + 1, n - (size_t)(tab + 1 - s));
    e->line = line;
    if (!e->file || !e->name) {
        free(e->file);
        free(e->name);
        return RP_ENOMEM;
    }
    m->n++;
    if (!*e->file || !*e->name) {
        rp_diag_add(d, path, line, 0, "%s is empty", *e->file ? "NAME" : "FILE");
        return RP_EINPUT;
    }
    for (size_t k = 0; k + 1 < m->n; k++)
        if (strcmp(m->e[k].file, e->file) == 0) {
            rp_diag_add(d, path, line, 0, "'%s' is already named on line %d", e->file, m->e[k].line);
            return RP_EINPUT;
        }
    return RP_OK;
}

rp_status rp_model_map_load(const char *path, rp_model_map **out, rp_diags *d)
{
    *out = NULL;
    rp_buf b;
    rp_buf_init(&b, MAP_MAX_BYTES);
    if (!rp_read_raw(path, &b)) {
        rp_diag_add(d, path, 0, 0, "cannot read the model map (at most 16 MB)");
        rp_buf_free(&b);
        return RP_EIO;
    }
    rp_model_map *m = calloc(1, sizeof *m);
    size_t lines = 1;
    for (size_t i = 0; i < b.len; i++)
        lines += b.data[i] == '\n';
    rp_status st = m && (m->path = strdup(path)) && (m->e = calloc(lines, sizeof *m->e)) ? RP_OK : RP_ENOMEM;
    const char *s = b.data ? b.data : "";
    int line = 0;
    for (size_t i = 0; st == RP_OK && i < b.len;) {
        const char *nl = memchr(s + i, '\n', b.len - i);
        size_t e = nl ? (size_t)(nl - s) : b.len;
        line++;
        size_t k = i;
        while (k < e && (s[k] == ' ' || s[k] == '\r'))
            k++;
        if (k < e && s[k] != '#')
            st = map_line(m, path, line, s + i, e - i, d);
        i = e + 1;
    }
    rp_buf_free(&b);
    if (st != RP_OK) {
        rp_model_map_free(m);
        return st;
    }
    *out = m;
    return RP_OK;
}

/* The last component of path. */
static const char *base_name(const char *path)
{
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

/* Whether entry file names path: the same path, or the same last
 * component when file has no folder. */
static bool map_names(const char *file, const char *path)
{
    if (!path)
        return false;
    if (strcmp(file, path) == 0)
        return true;
    return !strchr(file, '/') && strcmp(file, base_name(path)) == 0;
}

const char *rp_model_map_find(const rp_model_map *m, const char *path)
{
    for (size_t i = 0; m && path && i < m->n; i++)
        if (map_names(m->e[i].file, path))
            return m->e[i].name;
    return NULL;
}

void rp_model_map_check(const rp_model_map *m, const char *const *files, size_t n, rp_diags *d)
{
    for (size_t i = 0; m && i < m->n; i++) {
        bool used = false;
        for (size_t f = 0; f < n && !used; f++)
            used = map_names(m->e[i].file, files[f]);
        if (!used)
            rp_diag_add(d, m->path, m->e[i].line, 0,
                        "warning: '%s' names none of the inputs; its name '%s' is not used",
                        m->e[i].file, m->e[i].name);
    }
}

static const char *const group_fields[] = {"model", "file", "dir", "title", "format", "rubric"};

bool rp_group_by_known(const char *g)
{
    for (size_t i = 0; g && i < sizeof group_fields / sizeof group_fields[0]; i++)
        if (strcmp(g, group_fields[i]) == 0)
            return true;
    return !g;
}

/* r's name and source, copied into its arena. */
static rp_status set_name(rp_report *r, const char *name, const char *from)
{
    r->model = rp_arena_strdup(r->arena, name);
    r->model_from = rp_arena_strdup(r->arena, from);
    return r->model && r->model_from ? RP_OK : RP_ENOMEM;
}

/* The folder of path ("." for none), as a string in r's arena. */
static const char *folder(rp_report *r, const char *path)
{
    const char *b = base_name(path);
    if (b == path)
        return ".";
    size_t n = (size_t)(b - path) - 1;
    return rp_arena_strndup(r->arena, path, n ? n : 1); /* "/x": "/" */
}

/* The group of r by a field other than its model; NULL when r has none. */
static const char *field_value(rp_report *r, const char *field, const char *path)
{
    const rp_transcript *t = r->transcript;
    if (strcmp(field, "file") == 0)
        return path;
    if (strcmp(field, "dir") == 0)
        return path ? folder(r, path) : NULL;
    if (strcmp(field, "title") == 0)
        return t && t->title && *t->title ? t->title : NULL;
    if (strcmp(field, "format") == 0)
        return t ? t->format : NULL;
    return r->rubric_id; /* "rubric" */
}

rp_status rp_report_name(rp_report *r, const char *path, const rp_naming *n)
{
    static const rp_naming none = {NULL, NULL, NULL};
    if (!n)
        n = &none;
    const char *tpath = r->transcript && r->transcript->path ? r->transcript->path : NULL;
    if (n->group_by && strcmp(n->group_by, "model") != 0) {
        const char *v = field_value(r, n->group_by, path ? path : tpath);
        char from[64];
        snprintf(from, sizeof from, "--group-by %s", n->group_by);
        return set_name(r, v ? v : "(none)", from);
    }
    if (n->model && *n->model)
        return set_name(r, n->model, "--model");
    const char *mapped = rp_model_map_find(n->map, tpath);
    if (!mapped)
        mapped = rp_model_map_find(n->map, path);
    if (mapped) {
        rp_buf from;
        rp_buf_init(&from, 0);
        rp_status st = rp_buf_puts(&from, "the map ");
        if (st == RP_OK)
            st = rp_buf_puts(&from, n->map->path);
        if (st == RP_OK)
            st = set_name(r, mapped, from.data);
        rp_buf_free(&from);
        return st;
    }
    if (r->transcript && r->transcript->model && *r->transcript->model)
        return set_name(r, r->transcript->model, "the input");
    const char *g = rp_report_model_guess(tpath ? tpath : path, r->arena);
    if (!g)
        return RP_OK; /* no name: "unknown model" */
    r->model = g;
    r->model_from = "the file name";
    return RP_OK;
}
