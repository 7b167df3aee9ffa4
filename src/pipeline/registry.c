/*
 * The rubric registry: which rubric grades a transcript, for every command
 * alike.  One search order for the rubric directory (rp_rubrics_dir), one
 * cache (each rubric file of the directory loaded once per run, solved once
 * when first chosen, then shared read-only by the grading threads) and one
 * choice: the rubric whose problem cues occur most often in the
 * transcript's text.  The evidence is the rubric's own cue list (the words
 * its problems are known by), nothing else, and it must be clear: at least
 * RP_RUBRIC_MIN_CUES distinct cues, and more than the runner-up's.  A
 * transcript that matches no rubric, or none clearly, is refused with the
 * candidates and their scores and a message saying to pass --rubric, never
 * graded against a guess.  The first time a rubric is chosen its score and
 * the runner-up's are noted on the diagnostics.
 *
 * A ./rubrics folder found by the search adds to the built-in rubrics (the
 * installed or source tree's) rather than hiding them: both directories
 * are scanned, and a rubric of ./rubrics replaces a built-in one of the
 * same id.  --rubric-dir and $REDPEN_RUBRICS name the only directory.
 */
#include "pipeline_int.h"
#include "redpen/judge.h"
#include "redpen/rubric.h"

#include <cjson/cJSON.h>

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
    bool noted;       /* its score was noted when first chosen */
} candidate;

/* One candidate's score for a transcript. */
typedef struct scored {
    candidate *c;
    size_t score;
} scored;

struct rp_registry {
    pthread_mutex_t mu;   /* guards everything below but given and dir */
    rp_rubric *given;     /* --rubric (owned, solved) */
    const char *dir;      /* dir_buf or a string that outlives the registry */
    char dir_buf[PATH_MAX + 16];
    const char *builtin;  /* also scanned (dir is ./rubrics), or NULL */
    char builtin_buf[PATH_MAX + 16];
    unsigned jobs;
    char *cache_dir;      /* the solved-rubric cache (malloc), or NULL */
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

/* rp_rubrics_dir's search; cwd: ./rubrics is a candidate. */
static const char *search(const char *given, bool cwd, char *buf, size_t cap)
{
    if (given)
        return given;
    const char *env = getenv("REDPEN_RUBRICS");
    if (env && *env)
        return env;
    if (cwd && is_dir("rubrics"))
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

const char *rp_rubrics_dir(const char *given, char *buf, size_t cap)
{
    return search(given, true, buf, cap);
}

/* The built-in directory to scan besides dir when dir is the working
 * directory's ./rubrics found by the search (not given, not from the
 * environment), and a different directory; else NULL. */
static const char *builtin_dir(const char *given, const char *dir, char *buf, size_t cap)
{
    const char *env = getenv("REDPEN_RUBRICS");
    if (given || (env && *env) || strcmp(dir, "rubrics") != 0)
        return NULL;
    const char *b = search(NULL, false, buf, cap);
    char r1[PATH_MAX], r2[PATH_MAX];
    if (!is_dir(b) || !realpath(dir, r1) || !realpath(b, r2) || strcmp(r1, r2) == 0)
        return NULL;
    return b;
}

rp_status rp_registry_new(const rp_registry_opts *o, rp_registry **out, rp_diags *d)
{
    *out = NULL;
    rp_registry *rg = calloc(1, sizeof *rg);
    if (!rg)
        return RP_ENOMEM;
    pthread_mutex_init(&rg->mu, NULL);
    rg->jobs = o ? o->jobs : 0;
    rg->cache_dir = rp_judge_default_cache_dir(); /* NULL: solved on every run */
    rg->dir = rp_rubrics_dir(o ? o->rubric_dir : NULL, rg->dir_buf, sizeof rg->dir_buf);
    rg->builtin = builtin_dir(o ? o->rubric_dir : NULL, rg->dir, rg->builtin_buf,
                              sizeof rg->builtin_buf);
    rp_status st = RP_OK;
    if (o && o->rubric_path) {
        st = rp_rubric_load(o->rubric_path, &rg->given, d);
        if (st == RP_OK) {
            rp_solve_opts so = {rg->jobs, 0, 0, rg->cache_dir};
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
    free(rg->cache_dir);
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

/* Does cue (n bytes) occur in text as words: not inside a longer word
 * ("fir" is not found in "first", "gap" not in "gaps")? */
static bool has_word(const char *text, const char *cue, size_t n)
{
    for (const char *p = strstr(text, cue); p; p = strstr(p + 1, cue)) {
        bool left = p == text || !isalnum((unsigned char)p[-1]) || !isalnum((unsigned char)cue[0]);
        bool right = !isalnum((unsigned char)p[n]) || !isalnum((unsigned char)cue[n - 1]);
        if (left && right)
            return true;
    }
    return false;
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
            if (has_word(lower, buf, n))
                score++;
        }
    }
    return score;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The rubric file names of dir (ending in .json, schema files aside),
 * sorted, in *names (malloc'd, each too); RP_ENOTFOUND when dir cannot be
 * opened. */
static rp_status list_dir(const char *dir, char ***names, size_t *nn)
{
    *names = NULL;
    *nn = 0;
    DIR *dp = opendir(dir);
    if (!dp)
        return RP_ENOTFOUND;
    rp_status st = RP_OK;
    struct dirent *e;
    while (st == RP_OK && (e = readdir(dp)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0 || strstr(e->d_name, "schema"))
            continue;
        char **nv = realloc(*names, (*nn + 1) * sizeof *nv);
        char *name = nv ? strdup(e->d_name) : NULL;
        if (nv)
            *names = nv;
        if (!name)
            st = RP_ENOMEM;
        else
            (*names)[(*nn)++] = name;
    }
    closedir(dp);
    if (*nn)
        qsort(*names, *nn, sizeof **names, by_name);
    return st;
}

/* Is a candidate's rubric id already id (one of ./rubrics replaces a
 * built-in one)? */
static bool have_id(const rp_registry *rg, const char *id)
{
    for (size_t i = 0; id && i < rg->n_cands; i++)
        if (rg->cands[i].r->id && strcmp(rg->cands[i].r->id, id) == 0)
            return true;
    return false;
}

/* Was the JSON file at path meant as a rubric?  The evidence: it is not
 * JSON at all (a rubric cut short or mistyped), or it is an object with a
 * "problems" member.  Other JSON files (a schema, an answer key) sit in a
 * rubric directory as a matter of course and are passed over in silence. */
static bool meant_as_rubric(const char *path)
{
    rp_buf b;
    rp_buf_init(&b, (size_t)16 << 20);
    rp_diags quiet;
    if (rp_diags_init(&quiet) != RP_OK)
        return false;
    bool meant = true;
    if (rp_file_read(path, (size_t)16 << 20, 0, &b, &quiet) == RP_OK) {
        cJSON *j = cJSON_ParseWithLength(b.data, b.len);
        meant = !j || cJSON_GetObjectItemCaseSensitive(j, "problems") != NULL;
        cJSON_Delete(j);
    }
    rp_diags_free(&quiet);
    rp_buf_free(&b);
    return meant;
}

/* Add the rubrics of dir to rg->cands, in file-name order; files that do
 * not load are left out (with a warning when they were meant as rubrics),
 * and so are rubrics whose id a candidate already has.  Under rg->mu. */
static rp_status scan_dir(rp_registry *rg, const char *dir, rp_diags *d)
{
    char **names;
    size_t nn;
    rp_status st = list_dir(dir, &names, &nn);
    candidate *cv = st == RP_OK && nn ? realloc(rg->cands, (rg->n_cands + nn) * sizeof *cv) : NULL;
    if (cv)
        rg->cands = cv;
    else if (st == RP_OK && nn)
        st = RP_ENOMEM;
    for (size_t i = 0; i < nn && st == RP_OK; i++) {
        size_t len = strlen(dir) + strlen(names[i]) + 2;
        char *path = malloc(len);
        rp_diags quiet; /* a file that does not load is not a candidate */
        if (!path || rp_diags_init(&quiet) != RP_OK) {
            free(path);
            st = RP_ENOMEM;
            break;
        }
        snprintf(path, len, "%s/%s", dir, names[i]);
        rp_rubric *r = NULL;
        struct stat sb;
        if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
            /* a FIFO would block the read: only regular files are rubrics */
            if (d)
                rp_diag_add(d, path, 0, 0, "warning: not a regular file; not read as a rubric");
        } else if (rp_rubric_load(path, &r, &quiet) == RP_OK && r) {
            if (!have_id(rg, r->id)) {
                if (rg->strict_units)
                    rp_rubric_require_units(r);
                rg->cands[rg->n_cands++] = (candidate){path, r, false, false};
                path = NULL;
                r = NULL;
            }
        } else if (d && meant_as_rubric(path)) {
            /* a rubric that was meant to be one but does not load: say
             * why, or a transcript would go unmatched without a reason */
            const rp_diag *why = quiet.head;
            char at[64] = "";
            if (why && why->path)
                snprintf(at, sizeof at, "%.60s: ", why->path);
            else if (why && why->line)
                snprintf(at, sizeof at, "line %u:%u: ", why->line, why->col);
            rp_diag_add(d, path, 0, 0, "warning: not used as a rubric: %s%s", at,
                        why ? why->msg : "it does not load");
        }
        rp_rubric_free(r);
        free(path);
        rp_diags_free(&quiet);
    }
    for (size_t i = 0; i < nn; i++)
        free(names[i]);
    free(names);
    return st;
}

/* Load the rubrics of the directory and, after them, the built-in ones
 * (when the directory is ./rubrics).  Under rg->mu. */
static rp_status scan(rp_registry *rg, rp_diags *d)
{
    rg->scanned = true;
    rp_status st = scan_dir(rg, rg->dir, d);
    if (st == RP_ENOTFOUND)
        rg->no_dir = true;
    if ((st == RP_OK || st == RP_ENOTFOUND) && rg->builtin) {
        rp_status bst = scan_dir(rg, rg->builtin, d);
        if (bst == RP_OK)
            rg->no_dir = false;
        st = bst == RP_ENOTFOUND ? RP_OK : bst;
    }
    return st == RP_ENOTFOUND ? RP_OK : st;
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

/* The best and second-best candidates for t (scores 0 when there are
 * none; the first by name among equals).  The candidates' cue lists are
 * not written after the scan, so no lock is needed. */
static void best_for(rp_registry *rg, const rp_transcript *t, scored *best, scored *second)
{
    rp_buf b;
    lower_text(t, &b);
    *best = *second = (scored){NULL, 0};
    for (size_t i = 0; i < rg->n_cands; i++) {
        scored s = {&rg->cands[i], rp_rubric_cue_score(rg->cands[i].r, b.data ? b.data : "")};
        if (!best->c || s.score > best->score) {
            *second = *best;
            *best = s;
        } else if (!second->c || s.score > second->score) {
            *second = s;
        }
    }
    rp_buf_free(&b);
}

/* "hw4 (rubrics/hw4.json): 5 cues" for messages. */
static void describe(rp_buf *b, const scored *s)
{
    rp_buf_printf(b, "%s (%s): %zu cue%s", s->c->r->id ? s->c->r->id : "?", s->c->path, s->score,
                  s->score == 1 ? "" : "s");
}

/* Refuse an unclear choice: the candidates and their scores, best first. */
static rp_status unclear(rp_registry *rg, const rp_transcript *t, const scored *best,
                         const scored *second, rp_diags *d)
{
    rp_buf b;
    rp_buf_init(&b, 4096);
    if (best->score == 0)
        rp_buf_printf(&b, "no rubric in '%s'%s%s matches this transcript's problems", rg->dir,
                      rg->builtin ? " or " : "", rg->builtin ? rg->builtin : "");
    else if (second->c && second->score == best->score)
        rp_buf_printf(&b, "two rubrics match this transcript equally: ");
    else
        rp_buf_printf(&b, "no rubric matches this transcript clearly (at least %d of its "
                          "problem cues are needed): ", RP_RUBRIC_MIN_CUES);
    if (best->score) {
        describe(&b, best);
        if (second->c) {
            rp_buf_puts(&b, "; runner-up ");
            describe(&b, second);
        }
    }
    rp_diag_add(d, t->path, 0, 0, "%s (use --rubric)", b.data ? b.data : "");
    rp_buf_free(&b);
    return RP_ENOTFOUND;
}

/* Solve c once (under rg->mu; the threads waiting on it are lent to the
 * solve).  A rubric that fails to solve stays unsolved: the next transcript
 * choosing it tries again and fails with the same diagnostics. */
static rp_status solve(rp_registry *rg, candidate *c, rp_diags *d)
{
    if (c->solved)
        return RP_OK;
    rp_solve_opts so = {rg->jobs, 0, 0, rg->cache_dir};
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
    scored best, second;
    best_for(rg, t, &best, &second);
    /* clear evidence: enough cues, and more than any other rubric has */
    if (best.score < RP_RUBRIC_MIN_CUES || (second.c && second.score == best.score))
        return unclear(rg, t, &best, &second, d);
    candidate *c = best.c;
    pthread_mutex_lock(&rg->mu);
    st = solve(rg, c, d);
    if (st == RP_OK) {
        *out = c->r;
        if (rg->stick && !rg->sticky)
            rg->sticky = c->r;
    }
    bool note = st == RP_OK && second.c && !c->noted;
    c->noted |= note;
    pthread_mutex_unlock(&rg->mu);
    if (note) { /* the first choice of a rubric among several: say why */
        rp_buf b;
        rp_buf_init(&b, 4096);
        rp_buf_puts(&b, "note: rubric ");
        describe(&b, &best);
        rp_buf_puts(&b, "; runner-up ");
        describe(&b, &second);
        rp_diag_add(d, t->path, 0, 0, "%s", b.data ? b.data : "");
        rp_buf_free(&b);
    }
    return st;
}
