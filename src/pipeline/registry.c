/*
 * The rubric registry: which rubric grades a transcript, for every command
 * alike.  One search order for the rubric directory (rp_rubrics_dir), one
 * cache (each rubric file of the directory loaded once per run, solved once
 * when first chosen, then shared read-only by the grading threads) and one
 * choice: the rubric whose problem cues occur most often in the
 * transcript's text.  The evidence is the rubric's own cue list (problem
 * titles and the words its problems are known by), nothing else; a
 * transcript that matches none is refused with a message saying to pass
 * --rubric, never graded against a guess.
 */
#include "pipeline_int.h"
#include "redpen/rubric.h"

#include <ctype.h>
#include <dirent.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TEXT_MAX ((size_t)4 << 20) /* the transcript text scored, at most */
#define CUE_MAX 256                /* longer cues are not scored */

/* A rubric file of the directory. */
typedef struct candidate {
    char *path;       /* dir/name (malloc) */
    rp_rubric *r;     /* loaded; solved once chosen (owned) */
    bool solved;
} candidate;

struct rp_registry {
    pthread_mutex_t mu;   /* guards everything below but given and dir */
    rp_rubric *given;     /* --rubric (owned, solved) */
    const char *dir;      /* dir_buf or a string that outlives the registry */
    char dir_buf[PATH_MAX + 16];
    unsigned jobs;
    bool strict_units;    /* every rubric demands units (set before any is shared) */
    bool scanned;         /* candidates hold the directory's rubrics */
    bool no_dir;          /* the directory could not be opened */
    candidate *cands;     /* by file name (owned) */
    size_t n_cands;
    rp_rubric **adopted;  /* records' own rubrics (rp_registry_adopt) */
    size_t n_adopted, cap_adopted;
    bool stick;           /* reuse the first rubric chosen */
    rp_rubric *sticky;    /* that rubric (one of cands) */
};

static bool is_dir(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

const char *rp_rubrics_dir(const char *given, char *buf, size_t cap)
{
    if (given)
        return given;
    const char *env = getenv("REDPEN_RUBRICS");
    if (env && *env)
        return env;
    if (is_dir("rubrics"))
        return "rubrics";
    if (rp_data_dir("rubrics", is_dir, buf, cap)) /* installed, or relocated */
        return buf;
    /* a build tree: the source's rubrics/ above the executable */
    char exe[PATH_MAX];
    if (!rp_exe_dir(exe, sizeof exe))
        return "rubrics";
    for (int up = 0; up < 4; up++) {
        int w = snprintf(buf, cap, "%s/rubrics", exe);
        if (w > 0 && (size_t)w < cap && is_dir(buf))
            return buf;
        char *slash = strrchr(exe, '/');
        if (!slash || slash == exe)
            break;
        *slash = '\0';
    }
    return "rubrics";
}

rp_status rp_registry_new(const rp_registry_opts *o, rp_registry **out, rp_diags *d)
{
    *out = NULL;
    rp_registry *rg = calloc(1, sizeof *rg);
    if (!rg)
        return RP_ENOMEM;
    pthread_mutex_init(&rg->mu, NULL);
    rg->jobs = o ? o->jobs : 0;
    rg->dir = rp_rubrics_dir(o ? o->rubric_dir : NULL, rg->dir_buf, sizeof rg->dir_buf);
    rp_status st = RP_OK;
    if (o && o->rubric_path) {
        st = rp_rubric_load(o->rubric_path, &rg->given, d);
        if (st == RP_OK) {
            rp_solve_opts so = {rg->jobs};
            st = rp_rubric_solve_opts(rg->given, &so, d);
        }
    } else if (o && o->key_path) {
        st = rp_rubric_from_key(o->key_path, &rg->given, d);
    } else if (o && o->answer) {
        st = rp_rubric_from_answer("--answer", o->answer, NULL, &rg->given, d);
    }
    if (st != RP_OK) {
        rp_registry_free(rg);
        return st;
    }
    *out = rg;
    return RP_OK;
}

void rp_registry_require_units(rp_registry *rg)
{
    pthread_mutex_lock(&rg->mu);
    rg->strict_units = true;
    rp_rubric_require_units(rg->given);
    for (size_t i = 0; i < rg->n_cands; i++)
        rp_rubric_require_units(rg->cands[i].r);
    pthread_mutex_unlock(&rg->mu);
}

bool rp_registry_strict_units(const rp_registry *rg)
{
    return rg && rg->strict_units;
}

void rp_registry_free(rp_registry *rg)
{
    if (!rg)
        return;
    for (size_t i = 0; i < rg->n_cands; i++) {
        rp_rubric_free(rg->cands[i].r);
        free(rg->cands[i].path);
    }
    free(rg->cands);
    for (size_t i = 0; i < rg->n_adopted; i++)
        rp_rubric_free(rg->adopted[i]);
    free(rg->adopted);
    rp_rubric_free(rg->given);
    pthread_mutex_destroy(&rg->mu);
    free(rg);
}

rp_status rp_registry_adopt(rp_registry *rg, rp_rubric *r)
{
    rp_status st = RP_OK;
    pthread_mutex_lock(&rg->mu);
    if (rg->n_adopted == rg->cap_adopted) {
        size_t cap = rg->cap_adopted ? rg->cap_adopted * 2 : 64;
        rp_rubric **v = realloc(rg->adopted, cap * sizeof *v);
        if (v) {
            rg->adopted = v;
            rg->cap_adopted = cap;
        } else {
            st = RP_ENOMEM;
        }
    }
    if (st == RP_OK)
        rg->adopted[rg->n_adopted++] = r;
    pthread_mutex_unlock(&rg->mu);
    if (st != RP_OK)
        rp_rubric_free(r);
    return st;
}

const char *rp_registry_dir(const rp_registry *rg)
{
    return rg->dir;
}

void rp_registry_stick(rp_registry *rg)
{
    pthread_mutex_lock(&rg->mu);
    rg->stick = true;
    pthread_mutex_unlock(&rg->mu);
}

bool rp_registry_settled(rp_registry *rg)
{
    if (rg->given)
        return true;
    pthread_mutex_lock(&rg->mu);
    bool yes = rg->sticky != NULL;
    pthread_mutex_unlock(&rg->mu);
    return yes;
}

size_t rp_rubric_cue_score(const rp_rubric *r, const char *lower)
{
    size_t score = 0;
    for (size_t i = 0; i < r->n_problems; i++) {
        const rp_problem *p = &r->problems[i];
        for (size_t k = 0; k < p->n_cues; k++) {
            char buf[CUE_MAX];
            size_t n = strlen(p->cues[k]);
            if (n == 0 || n >= sizeof buf)
                continue;
            for (size_t j = 0; j <= n; j++)
                buf[j] = (char)tolower((unsigned char)p->cues[k][j]);
            if (strstr(lower, buf))
                score++;
        }
    }
    return score;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Load every rubric file of the directory (names ending in .json, schema
 * files aside) into rg->cands, in file-name order; files that do not load
 * are left out.  Under rg->mu. */
static rp_status scan(rp_registry *rg, rp_diags *d)
{
    rg->scanned = true;
    DIR *dp = opendir(rg->dir);
    if (!dp) {
        rg->no_dir = true;
        return RP_OK;
    }
    char **names = NULL;
    size_t nn = 0;
    rp_status st = RP_OK;
    struct dirent *e;
    while (st == RP_OK && (e = readdir(dp)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0 || strstr(e->d_name, "schema"))
            continue;
        char **nv = realloc(names, (nn + 1) * sizeof *nv);
        char *name = nv ? strdup(e->d_name) : NULL;
        if (nv)
            names = nv;
        if (!name)
            st = RP_ENOMEM;
        else
            names[nn++] = name;
    }
    closedir(dp);
    if (nn)
        qsort(names, nn, sizeof *names, by_name);
    rg->cands = st == RP_OK && nn ? calloc(nn, sizeof *rg->cands) : NULL;
    if (nn && !rg->cands)
        st = RP_ENOMEM;
    for (size_t i = 0; i < nn && st == RP_OK; i++) {
        size_t len = strlen(rg->dir) + strlen(names[i]) + 2;
        char *path = malloc(len);
        rp_diags quiet; /* a file that does not load is not a candidate */
        if (!path || rp_diags_init(&quiet) != RP_OK) {
            free(path);
            st = RP_ENOMEM;
            break;
        }
        snprintf(path, len, "%s/%s", rg->dir, names[i]);
        rp_rubric *r = NULL;
        struct stat sb;
        if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
            /* a FIFO would block the read: only regular files are rubrics */
            if (d)
                rp_diag_add(d, path, 0, 0, "warning: not a regular file; not read as a rubric");
            free(path);
        } else if (rp_rubric_load(path, &r, &quiet) == RP_OK && r) {
            if (rg->strict_units)
                rp_rubric_require_units(r);
            rg->cands[rg->n_cands++] = (candidate){path, r, false};
        } else {
            free(path);
        }
        rp_diags_free(&quiet);
    }
    for (size_t i = 0; i < nn; i++)
        free(names[i]);
    free(names);
    return st;
}

/* t's text in lower case (at most TEXT_MAX bytes, whole turns) in b. */
static void lower_text(const rp_transcript *t, rp_buf *b)
{
    rp_buf_init(b, TEXT_MAX);
    for (size_t i = 0; i < t->n_turns; i++) {
        if (rp_buf_append(b, t->turns[i].text, t->turns[i].text_len) != RP_OK)
            break;
        rp_buf_putc(b, '\n');
    }
    for (size_t i = 0; i < b->len; i++)
        b->data[i] = (char)tolower((unsigned char)b->data[i]);
}

/* The candidate with the highest score above 0 for t, the first by name
 * among equals; NULL when none scores.  The candidates' cue lists are not
 * written after the scan, so no lock is needed. */
static candidate *best_for(rp_registry *rg, const rp_transcript *t)
{
    rp_buf b;
    lower_text(t, &b);
    candidate *best = NULL;
    size_t best_score = 0;
    for (size_t i = 0; i < rg->n_cands; i++) {
        size_t s = rp_rubric_cue_score(rg->cands[i].r, b.data ? b.data : "");
        if (s > best_score) {
            best = &rg->cands[i];
            best_score = s;
        }
    }
    rp_buf_free(&b);
    return best;
}

/* Solve c once (under rg->mu; the threads waiting on it are lent to the
 * solve).  A rubric that fails to solve stays unsolved: the next transcript
 * choosing it tries again and fails with the same diagnostics. */
static rp_status solve(rp_registry *rg, candidate *c, rp_diags *d)
{
    if (c->solved)
        return RP_OK;
    rp_solve_opts so = {rg->jobs};
    rp_status st = rp_rubric_solve_opts(c->r, &so, d);
    c->solved = st == RP_OK;
    return st;
}

rp_status rp_registry_for(rp_registry *rg, const rp_transcript *t, rp_rubric **out, rp_diags *d)
{
    *out = rg->given;
    if (*out)
        return RP_OK;
    pthread_mutex_lock(&rg->mu);
    *out = rg->sticky;
    rp_status st = *out || rg->scanned ? RP_OK : scan(rg, d);
    pthread_mutex_unlock(&rg->mu);
    if (*out || st != RP_OK)
        return st;
    if (rg->no_dir) {
        rp_diag_add(d, t->path, 0, 0,
                    "no rubric given and no rubric directory '%s' to choose from (use --rubric)",
                    rg->dir);
        return RP_ENOTFOUND;
    }
    candidate *c = best_for(rg, t);
    if (!c) {
        rp_diag_add(d, t->path, 0, 0,
                    "no rubric in '%s' matches this transcript's problems (use --rubric)", rg->dir);
        return RP_ENOTFOUND;
    }
    pthread_mutex_lock(&rg->mu);
    st = solve(rg, c, d);
    if (st == RP_OK) {
        *out = c->r;
        if (rg->stick && !rg->sticky)
            rg->sticky = c->r;
    }
    pthread_mutex_unlock(&rg->mu);
    return st;
}
