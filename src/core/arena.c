/*
 * Arena allocator: one per transcript.  Memory comes in blocks that double
 * in size; everything is released at once by rp_arena_free().  A cap bounds
 * the total so that no input can make the arena grow without limit.
 */
#include "redpen/core.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_ALIGN 16
#define ARENA_FIRST_BLOCK 4096

typedef struct block {
    struct block *next; /* older block */
    size_t size;        /* usable bytes in data[] */
    size_t used;        /* bytes handed out */
    _Alignas(ARENA_ALIGN) unsigned char data[];
} block;

struct rp_arena {
    block *head;  /* newest block first */
    size_t cap;   /* maximum total bytes of all blocks */
    size_t total; /* bytes allocated in blocks */
    size_t used;  /* bytes handed out */
};

rp_arena *rp_arena_new(size_t cap)
{
    rp_arena *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->cap = cap ? cap : RP_ARENA_DEFAULT_CAP;
    return a;
}

void rp_arena_free(rp_arena *a)
{
    if (!a)
        return;
    block *b = a->head;
    while (b) {
        block *next = b->next;
        free(b);
        b = next;
    }
    free(a);
}

static size_t align_up(size_t n)
{
    return (n + (ARENA_ALIGN - 1)) & ~(size_t)(ARENA_ALIGN - 1);
}

/* n bytes, not zeroed (for callers that fill them at once). */
static void *arena_take(rp_arena *a, size_t n)
{
    if (!a)
        return NULL;
    if (n == 0)
        n = 1;
    if (n > a->cap)
        return NULL;
    n = align_up(n);
    block *b = a->head;
    if (!b || b->size - b->used < n) {
        size_t size = b ? b->size * 2 : ARENA_FIRST_BLOCK;
        if (size < n)
            size = n;
        if (size > a->cap - a->total) {
            if (n > a->cap - a->total)
                return NULL;
            size = a->cap - a->total;
        }
        block *nb = malloc(sizeof *nb + size);
        if (!nb)
            return NULL;
        nb->next = a->head;
        nb->size = size;
        nb->used = 0;
        a->head = nb;
        a->total += size;
        b = nb;
    }
    void *p = b->data + b->used;
    b->used += n;
    a->used += n;
    return p;
}

void *rp_arena_alloc(rp_arena *a, size_t n)
{
    void *p = arena_take(a, n);
    if (p)
        memset(p, 0, align_up(n ? n : 1));
    return p;
}

void *rp_arena_alloc_raw(rp_arena *a, size_t n)
{
    return arena_take(a, n);
}

void *rp_arena_realloc(rp_arena *a, void *old, size_t old_n, size_t new_n)
{
    if (old && new_n <= old_n)
        return old;
    block *b = a ? a->head : NULL;
    /* Grow in place when old is the last allocation of the newest block. */
    if (old && b && (unsigned char *)old + align_up(old_n ? old_n : 1) == b->data + b->used &&
        (unsigned char *)old >= b->data) {
        size_t extra = align_up(new_n) - align_up(old_n ? old_n : 1);
        if (b->size - b->used >= extra) {
            /* zero from the old end: strndup leaves its padding as is */
            memset((unsigned char *)old + old_n, 0, align_up(old_n ? old_n : 1) - old_n + extra);
            b->used += extra;
            a->used += extra;
            return old;
        }
    }
    void *p = rp_arena_alloc(a, new_n);
    if (p && old && old_n)
        memcpy(p, old, old_n);
    return p;
}

char *rp_arena_strndup(rp_arena *a, const char *s, size_t n)
{
    char *p = n < SIZE_MAX ? arena_take(a, n + 1) : NULL;
    if (!p)
        return NULL;
    if (n)
        memcpy(p, s, n);
    /* the NUL and the alignment padding after it are zeroed: PCRE2's JIT
     * reads a little past the end of a subject, and valgrind must see
     * defined bytes there */
    memset(p + n, 0, align_up(n + 1) - n);
    return p;
}

char *rp_arena_strdup(rp_arena *a, const char *s)
{
    return s ? rp_arena_strndup(a, s, strlen(s)) : NULL;
}

char *rp_arena_vprintf(rp_arena *a, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return NULL;
    char *p = rp_arena_alloc(a, (size_t)n + 1);
    if (!p)
        return NULL;
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *rp_arena_printf(rp_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = rp_arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

size_t rp_arena_used(const rp_arena *a)
{
    return a ? a->used : 0;
}
