/*
 * Gathering reports from the files given to `redpen compare` and
 * `redpen annotate`: a saved JSON report is loaded, a transcript is read
 * and graded.  Every report gets a readable model name: --model, the
 * grader's, the transcript's, or a guess from the file name.
 */
#include "report_int.h"

#include "redpen/rubric.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

const char *rp_report_model_guess(const char *path, rp_arena *a)
{
    return rp_grade_model_guess(path, a);
}

/* Give r its model name (see rp_report_collect). */
static rp_status name_model(rp_report *r, const char *path, const char *override)
{
    const char *m = override;
    if ((!m || !*m) && r->transcript)
        m = r->transcript->model;
    if (m && *m) {
        r->model = rp_arena_strdup(r->arena, m);
        return r->model ? RP_OK : RP_ENOMEM;
    }
    if (r->transcript && r->transcript->path)
        path = r->transcript->path;
    const char *g = rp_report_model_guess(path, r->arena);
    if (g)
        r->model = g;
    return RP_OK;
}

static bool is_dir(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* Where the rubrics are (see rp_collect_opts); buf holds a found path. */
static const char *rubrics_dir(const rp_collect_opts *o, char *buf, size_t cap)
{
    if (o->rubrics_dir)
        return o->rubrics_dir;
    const char *env = getenv("REDPEN_RUBRICS");
    if (env && *env)
        return env;
    if (is_dir("rubrics"))
        return "rubrics";
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return "rubrics";
    exe[n] = '\0';
    for (int up = 0; up < 4; up++) {
        char *slash = strrchr(exe, '/');
        if (!slash || slash == exe)
            break;
        *slash = '\0';
        int w = snprintf(buf, cap, "%s/rubrics", exe);
        if (w > 0 && (size_t)w < cap && is_dir(buf))
            return buf;
    }
    return "rubrics";
}

static bool is_url(const char *p)
{
    return strncmp(p, "http://", 7) == 0 || strncmp(p, "https://", 8) == 0;
}

/* Grade the transcripts of ts into set, moving each transcript (and each
 * rubric found) into the set. */
static rp_status grade_all(const char *path, rp_transcript_set *ts, const rp_collect_opts *o,
                           rp_report_set *set, rp_diags *d)
{
    char dirbuf[PATH_MAX + 16];
    rp_status st = RP_OK;
    for (size_t i = 0; i < ts->n && st == RP_OK; i++) {
        rp_transcript *t = ts->items[i];
        struct rp_rubric *rubric = o->rubric;
        if (!rubric) {
            struct rp_rubric **nr = realloc(set->rubrics, (set->n_rubrics + 1) * sizeof *nr);
            if (!nr)
                return RP_ENOMEM;
            set->rubrics = nr;
            st = rp_rubric_find_for(t, rubrics_dir(o, dirbuf, sizeof dirbuf), &rubric, d);
            if (st != RP_OK)
                break;
            nr[set->n_rubrics++] = rubric;
        }
        rp_report *r = NULL;
        rp_grade_opts g = o->grade;
        if (o->model)
            g.model = o->model;
        st = rp_grade_transcript(t, rubric, &g, &r, d);
        if (st != RP_OK)
            break;
        st = rp_transcript_set_push(&set->transcripts, t);
        ts->items[i] = NULL; /* the set owns it now, also on failure */
        if (st != RP_OK) {
            rp_report_free(r);
            break;
        }
        st = name_model(r, path, o->model);
        if (st == RP_OK)
            st = rp_report_set_push(set, r);
        else
            rp_report_free(r);
    }
    return st;
}

rp_status rp_report_collect(const char *path, const rp_collect_opts *opts,
                            rp_report_set *set, rp_diags *d)
{
    rp_collect_opts none;
    memset(&none, 0, sizeof none);
    const rp_collect_opts *o = opts ? opts : &none;
    rp_transcript_set ts = {0};
    rp_status st;
    if (is_url(path)) {
        st = rp_ingest_path(path, &o->ingest, &ts, d);
    } else {
        rp_buf b;
        rp_buf_init(&b, 0);
        st = rp_file_read(path, o->ingest.max_bytes ? o->ingest.max_bytes : RP_MAX_INPUT_DEFAULT,
                          o->ingest.max_line ? o->ingest.max_line : RP_MAX_LINE_DEFAULT, &b, d);
        if (st == RP_OK && (o->saved_only || rp_report_json_detect(b.data, b.len))) {
            size_t before = set->n;
            st = rp_report_load_json(path, b.data, b.len, set, d);
            for (size_t i = before; i < set->n && st == RP_OK; i++)
                st = name_model(set->items[i], path, o->model);
            rp_buf_free(&b);
            return st;
        }
        if (st == RP_OK)
            st = rp_ingest_buffer(path, b.data, b.len, &o->ingest, &ts, d);
        rp_buf_free(&b);
    }
    if (st == RP_OK)
        st = grade_all(path, &ts, o, set, d);
    /* what was not moved into the set (NULL entries were) */
    for (size_t i = 0; i < ts.n; i++)
        rp_transcript_free(ts.items[i]);
    free(ts.items);
    return st;
}
