/*
 * cJSON's memory: the one owner of cJSON's allocation hooks in redpen.
 * Reading a JSON document with cJSON costs a malloc and a free for every
 * value and string; a reader that builds a tree, reads it and drops it
 * (a transcript line of JSON Lines, a saved report) sets an arena for its
 * thread with rp_cjson_arena() around the parse, and cJSON then takes the
 * tree's memory from the arena a block at a time, the tree going with the
 * arena.  Every other use of cJSON, on this thread or another, gets malloc
 * and free as without hooks.
 *
 * The hooks are installed once, by a constructor, before main() and so
 * before any thread exists (cJSON_InitHooks() writes a global that every
 * parse reads).  Where the hooks are not ours (a compiler without
 * constructors, or a program embedding redpen that set its own), the arena
 * stays empty: a caller tells by rp_arena_used() and deletes the tree
 * itself.
 */
#include "redpen/core.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

static _Thread_local rp_arena *json_arena;

static void *json_alloc(size_t n)
{
    rp_arena *a = json_arena;
    return a ? rp_arena_alloc_raw(a, n) : malloc(n);
}

/* While an arena is set, cJSON frees only what was allocated since it was
 * set (a failed parse deletes its partial tree, a reader deletes the tree
 * it read): arena memory, which goes with the arena. */
static void json_free(void *p)
{
    if (!json_arena)
        free(p);
}

#if defined(__GNUC__) || defined(__clang__)
__attribute__((constructor)) static void json_hooks_install(void)
{
    cJSON_Hooks h = {json_alloc, json_free};
    cJSON_InitHooks(&h);
}
#endif

rp_arena *rp_cjson_arena(rp_arena *a)
{
    rp_arena *before = json_arena;
    json_arena = a;
    return before;
}
