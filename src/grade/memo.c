/*
 * The comparison memo: results of comparing a claim with a part's truth,
 * remembered across the transcripts one thread grades.  Answers repeat a
 * great deal between samples of the same homework ("2k\,p_{out}^2 p_{in}"
 * in hundreds of transcripts), and a comparison is deterministic (fixed
 * seed), so a result found once is the result every time.
 *
 * An open-addressing table keyed by (rubric, part id, truth, claim); every
 * key and value is one malloc'd record.  Bounded: when the records would
 * pass the byte cap the table is emptied and starts again.  One memo
 * serves every grading thread: a mutex guards the table (the comparisons
 * themselves run outside it), so a result found by one thread serves all.
 * A memo of views only (rp_grade_memo_new_views()) keeps each rubric's
 * grading view and its key facts but no comparison of a claim.
 */
#include "grade_internal.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MEMO_SLOTS 8192             /* power of two; at most half used */
#define MEMO_DEFAULT_BYTES ((size_t)4 << 20)
#define MEMO_MAX_KEY 4096           /* longer truths or claims are not kept */

typedef struct record {
    uint64_t hash;
    const void *rubric;
    size_t klen;  /* bytes of key: part id, truth, claim, each NUL-ended */
    size_t vlen;  /* bytes of the value after the key */
    char data[];  /* key then value */
} record;

#define MEMO_VIEWS 8 /* rubrics whose grading view is kept */

struct rp_grade_memo {
    pthread_mutex_t mu;
    record *slot[MEMO_SLOTS];
    size_t used;      /* filled slots */
    size_t bytes;     /* bytes of all records */
    size_t max_bytes;
    bool claims;      /* comparisons of claims are kept (else only the views) */
    size_t hits, misses;
    /* the grading view of each rubric, built once (under view_mu, apart
     * from mu: building it looks up the memo) */
    pthread_mutex_t view_mu;
    rp_arena *view_arena;
    struct {
        const void *rubric;
        const grubric *g;
    } views[MEMO_VIEWS];
    size_t n_views;
};

rp_grade_memo *rp_grade_memo_new(size_t max_bytes)
{
    rp_grade_memo *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    if (pthread_mutex_init(&m->mu, NULL) != 0) {
        free(m);
        return NULL;
    }
    if (pthread_mutex_init(&m->view_mu, NULL) != 0) {
        pthread_mutex_destroy(&m->mu);
        free(m);
        return NULL;
    }
    m->max_bytes = max_bytes ? max_bytes : MEMO_DEFAULT_BYTES;
    m->claims = true;
    return m;
}

rp_grade_memo *rp_grade_memo_new_views(void)
{
    rp_grade_memo *m = rp_grade_memo_new(0);
    if (m)
        m->claims = false;
    return m;
}

bool rp_grade_memo_claims(const rp_grade_memo *m)
{
    return m && m->claims;
}

static void memo_clear(rp_grade_memo *m)
{
    for (size_t i = 0; i < MEMO_SLOTS; i++) {
        free(m->slot[i]);
        m->slot[i] = NULL;
    }
    m->used = m->bytes = 0;
}

void rp_grade_memo_free(rp_grade_memo *m)
{
    if (!m)
        return;
    memo_clear(m);
    pthread_mutex_destroy(&m->mu);
    pthread_mutex_destroy(&m->view_mu);
    rp_arena_free(m->view_arena);
    free(m);
}

void rp_grade_memo_stats(rp_grade_memo *m, size_t *hits, size_t *misses)
{
    *hits = *misses = 0;
    if (!m)
        return;
    pthread_mutex_lock(&m->mu);
    *hits = m->hits;
    *misses = m->misses;
    pthread_mutex_unlock(&m->mu);
}

/* FNV-1a over the three strings and the rubric's address. */
static uint64_t key_hash(const void *rubric, const char *const s[3], const size_t n[3])
{
    uint64_t h = 1469598103934665603ull ^ (uint64_t)(uintptr_t)rubric;
    for (int k = 0; k < 3; k++) {
        for (size_t i = 0; i < n[k]; i++) {
            h ^= (unsigned char)s[k][i];
            h *= 1099511628211ull;
        }
        h ^= 0xFF;
        h *= 1099511628211ull;
    }
    return h;
}

static bool key_equal(const record *r, uint64_t h, const void *rubric, const char *const s[3],
                      const size_t n[3])
{
    if (r->hash != h || r->rubric != rubric || r->klen != n[0] + n[1] + n[2] + 3)
        return false;
    const char *p = r->data;
    for (int k = 0; k < 3; k++) {
        if (memcmp(p, s[k], n[k]) != 0 || p[n[k]] != '\0')
            return false;
        p += n[k] + 1;
    }
    return true;
}

/* The slot holding the key, or the empty slot where it would go. */
static size_t find(const rp_grade_memo *m, uint64_t h, const void *rubric,
                   const char *const s[3], const size_t n[3])
{
    size_t i = (size_t)h & (MEMO_SLOTS - 1);
    while (m->slot[i] && !key_equal(m->slot[i], h, rubric, s, n))
        i = (i + 1) & (MEMO_SLOTS - 1);
    return i;
}

bool rp_grade_memo_get(rp_grade_memo *m, const void *rubric, const char *part,
                       const char *truth, const char *claim, void *val, size_t vlen)
{
    const char *s[3] = {part, truth, claim};
    size_t n[3] = {strlen(part), strlen(truth), strlen(claim)};
    if (n[1] > MEMO_MAX_KEY || n[2] > MEMO_MAX_KEY)
        return false;
    uint64_t h = key_hash(rubric, s, n);
    pthread_mutex_lock(&m->mu);
    const record *r = m->slot[find(m, h, rubric, s, n)];
    bool known = r && r->vlen == vlen;
    if (known) {
        memcpy(val, r->data + r->klen, vlen);
        m->hits++;
    } else {
        m->misses++;
    }
    pthread_mutex_unlock(&m->mu);
    return known;
}

void rp_grade_memo_put(rp_grade_memo *m, const void *rubric, const char *part,
                       const char *truth, const char *claim, const void *val, size_t vlen)
{
    const char *s[3] = {part, truth, claim};
    size_t n[3] = {strlen(part), strlen(truth), strlen(claim)};
    if (n[1] > MEMO_MAX_KEY || n[2] > MEMO_MAX_KEY)
        return;
    size_t klen = n[0] + n[1] + n[2] + 3;
    size_t size = sizeof(record) + klen + vlen;
    if (size > m->max_bytes / 4)
        return;
    record *r = malloc(size);
    if (!r)
        return; /* a memo that forgets is still correct */
    uint64_t h = key_hash(rubric, s, n);
    r->hash = h;
    r->rubric = rubric;
    r->klen = klen;
    r->vlen = vlen;
    char *p = r->data;
    for (int k = 0; k < 3; k++) {
        memcpy(p, s[k], n[k]);
        p[n[k]] = '\0';
        p += n[k] + 1;
    }
    memcpy(p, val, vlen);
    pthread_mutex_lock(&m->mu);
    if (m->bytes + size > m->max_bytes || m->used >= MEMO_SLOTS / 2)
        memo_clear(m);
    size_t i = find(m, h, rubric, s, n);
    if (m->slot[i]) {
        free(r); /* another thread was first */
    } else {
        m->slot[i] = r;
        m->used++;
        m->bytes += size;
    }
    pthread_mutex_unlock(&m->mu);
}

const grubric *rp_grade_memo_view(rp_grade_memo *m, struct rp_rubric *r, rp_diags *d,
                                  rp_status *st)
{
    *st = RP_OK;
    const grubric *out = NULL;
    pthread_mutex_lock(&m->view_mu);
    for (size_t i = 0; i < m->n_views && !out; i++)
        if (m->views[i].rubric == r)
            out = m->views[i].g;
    if (!out && m->n_views < MEMO_VIEWS) {
        if (!m->view_arena)
            m->view_arena = rp_arena_new(0);
        grubric *g = m->view_arena ? rp_arena_alloc(m->view_arena, sizeof *g) : NULL;
        *st = g ? rp_grade_view(r, m->view_arena, g, m, d) : RP_ENOMEM;
        if (*st == RP_OK) {
            m->views[m->n_views].rubric = r;
            m->views[m->n_views++].g = g;
            out = g;
        }
    }
    pthread_mutex_unlock(&m->view_mu);
    return out;
}
