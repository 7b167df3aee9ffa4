/*
 * redpen core: an index by string key over a list the caller keeps, so
 * that finding an entry costs the same among 5 or 5000 of them.  The index
 * holds positions, not entries: the list may move (realloc) and grow as it
 * likes; the index only needs to reach entry i's key through the kind's
 * key function.  Open addressing with linear probing, kept at most half
 * full; a kind says how keys compare and hash (exactly, or folded, as
 * `compare` folds the spellings of a model name).
 */
#ifndef REDPEN_INDEX_H
#define REDPEN_INDEX_H

#include "redpen/core.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How an index reaches and compares keys. */
typedef struct rp_index_kind {
    /* The key of entry i of the list; ctx is the one given to
     * rp_index_init(). */
    const char *(*key)(const void *ctx, size_t i);
    /* Equality of two keys (NULL: strcmp). */
    bool (*eq)(const char *a, const char *b);
    /* Each byte goes through fold before hashing (NULL: as it is); keys eq
     * calls equal must fold to the same bytes. */
    char (*fold)(char c);
} rp_index_kind;

typedef struct rp_index {
    size_t *slot;               /* entry position + 1; 0: empty */
    size_t cap;                 /* a power of two, or 0 */
    const rp_index_kind *kind;  /* not owned */
    const void *ctx;            /* not owned: passed to kind->key */
} rp_index;

/* FNV-1a (64 bits) over the bytes of s, each through fold (NULL: as it
 * is). */
uint64_t rp_hash_str(const char *s, char (*fold)(char c));

/* An empty index over the list that kind->key reaches through ctx. */
void rp_index_init(rp_index *x, const rp_index_kind *kind, const void *ctx);
void rp_index_free(rp_index *x);

/* Room for one entry more than the n (positions 0..n-1) of the list: the
 * index is rebuilt from the list when it grows (of equal keys the first
 * keeps the slot, as a linear search would find it).  RP_ENOMEM. */
rp_status rp_index_reserve(rp_index *x, size_t n);

/* The slot of key: the one holding its position + 1, or the empty one (0)
 * where it would go; store n + 1 there after appending entry n to the
 * list.  Call rp_index_reserve() first: the index must have room. */
size_t *rp_index_slot(const rp_index *x, const char *key);

#endif
