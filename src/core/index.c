/*
 * The index of redpen/index.h: open addressing over positions in a list
 * the caller keeps, rebuilt from that list when it grows.
 */
#include "redpen/index.h"

#include <stdlib.h>
#include <string.h>

uint64_t rp_hash_str(const char *s, char (*fold)(char c))
{
    uint64_t h = 1469598103934665603u;
    for (; *s; s++) {
        h ^= (unsigned char)(fold ? fold(*s) : *s);
        h *= 1099511628211u;
    }
    return h;
}

void rp_index_init(rp_index *x, const rp_index_kind *kind, const void *ctx)
{
    x->slot = NULL;
    x->cap = 0;
    x->kind = kind;
    x->ctx = ctx;
}

void rp_index_free(rp_index *x)
{
    free(x->slot);
    x->slot = NULL;
    x->cap = 0;
}

size_t *rp_index_slot(const rp_index *x, const char *key)
{
    const rp_index_kind *k = x->kind;
    size_t mask = x->cap - 1;
    for (size_t i = (size_t)rp_hash_str(key, k->fold) & mask;; i = (i + 1) & mask) {
        if (!x->slot[i])
            return &x->slot[i];
        const char *at = k->key(x->ctx, x->slot[i] - 1);
        if (k->eq ? k->eq(at, key) : strcmp(at, key) == 0)
            return &x->slot[i];
    }
}

rp_status rp_index_reserve(rp_index *x, size_t n)
{
    if (2 * (n + 1) <= x->cap)
        return RP_OK;
    rp_index nx = *x;
    nx.cap = x->cap ? 2 * x->cap : 64;
    nx.slot = calloc(nx.cap, sizeof *nx.slot);
    if (!nx.slot)
        return RP_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        size_t *s = rp_index_slot(&nx, x->kind->key(x->ctx, i));
        if (!*s)
            *s = i + 1;
    }
    free(x->slot);
    *x = nx;
    return RP_OK;
}
