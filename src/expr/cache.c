/*
 * A cache of parsed LaTeX for rp_equiv_ctx: the same truth is compared
 * with many claims (and batch files repeat claims), so each distinct
 * string is parsed once.  Trees live in the cache's arena; evaluators only
 * rewrite node->aux, which every comparison sets afresh.  The cache holds
 * at most CACHE_MAX strings; when full, new strings are parsed uncached and
 * the cache is emptied at the start of the next comparison (never while a
 * comparison holds trees from it).
 */
#include "expr_int.h"

#include <stdlib.h>
#include <string.h>

#define CACHE_SLOTS 8192      /* power of two */
#define CACHE_MAX 4096        /* entries before the cache is emptied */
#define CACHE_MAX_STR 4096    /* longer strings are not cached */

typedef struct centry {
    uint64_t hash;
    const char *s; /* copy in the arena; NULL: empty slot */
    size_t n;
    rp_latex_node *root;
    rp_status st;
    rp_latex_error err;
} centry;

struct ex_cache {
    rp_arena *a;
    centry *slots;
    size_t used;
    bool full; /* emptied by the next ex_cache_begin() */
    void *memo; /* ex_cache_memo(): kept when the trees are emptied */
    void *scratch; /* ex_cache_scratch() */
    size_t nscratch;
};

static uint64_t fnv(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

ex_cache *ex_cache_new(void)
{
    ex_cache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->slots = calloc(CACHE_SLOTS, sizeof *c->slots);
    c->a = rp_arena_new(256u << 20);
    if (!c->slots || !c->a) {
        ex_cache_free(c);
        return NULL;
    }
    return c;
}

void ex_cache_free(ex_cache *c)
{
    if (!c)
        return;
    rp_arena_free(c->a);
    free(c->slots);
    free(c->memo);
    free(c->scratch);
    free(c);
}

bool ex_cache_begin(ex_cache *c)
{
    if (!c || !c->full)
        return true;
    rp_arena_free(c->a);
    c->a = rp_arena_new(256u << 20);
    memset(c->slots, 0, CACHE_SLOTS * sizeof *c->slots);
    c->used = 0;
    c->full = false;
    return c->a != NULL;
}

rp_status ex_cache_parse(ex_cache *c, rp_arena *fallback, const char *s, size_t n,
                         rp_latex_node **out, rp_latex_error *err)
{
    if (!c || !c->a || n > CACHE_MAX_STR)
        return rp_latex_parse(fallback, s, n, out, err);
    uint64_t h = fnv(s, n);
    size_t i = (size_t)h & (CACHE_SLOTS - 1);
    while (c->slots[i].s) {
        centry *e = &c->slots[i];
        if (e->hash == h && e->n == n && memcmp(e->s, s, n) == 0) {
            *out = e->root;
            if (err)
                *err = e->err;
            return e->st;
        }
        i = (i + 1) & (CACHE_SLOTS - 1);
    }
    if (c->used >= CACHE_MAX) { /* full until the next ex_cache_begin() */
        c->full = true;
        return rp_latex_parse(fallback, s, n, out, err);
    }
    centry e;
    memset(&e, 0, sizeof e);
    e.st = rp_latex_parse(c->a, s, n, &e.root, &e.err);
    if (e.st == RP_ENOMEM) {
        c->full = true;
        return rp_latex_parse(fallback, s, n, out, err);
    }
    char *copy = rp_arena_strndup(c->a, s, n);
    if (!copy)
        return rp_latex_parse(fallback, s, n, out, err);
    e.hash = h;
    e.s = copy;
    e.n = n;
    c->slots[i] = e;
    c->used++;
    *out = e.root;
    if (err)
        *err = e.err;
    return e.st;
}

void *ex_cache_memo(ex_cache *c, size_t size)
{
    if (!c->memo)
        c->memo = calloc(1, size);
    return c->memo;
}

void *ex_cache_scratch(ex_cache *c, size_t size)
{
    if (size > c->nscratch) {
        size_t n = size > 2 * c->nscratch ? size : 2 * c->nscratch;
        void *p = realloc(c->scratch, n);
        if (!p)
            return NULL;
        c->scratch = p;
        c->nscratch = n;
    }
    return c->scratch;
}
