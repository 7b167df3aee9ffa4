/*
 * Building transcripts: readers call these to add turns and notes; all text
 * is copied into the transcript's arena.
 */
#include "reader.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *rp_role_name(rp_role r)
{
    switch (r) {
    case RP_ROLE_USER: return "user";
    case RP_ROLE_MODEL: return "model";
    case RP_ROLE_SYSTEM: return "system";
    }
    return "unknown";
}

rp_transcript *rp_tb_new(const char *label, const char *format)
{
    rp_arena *a = rp_arena_new(0);
    if (!a)
        return NULL;
    rp_transcript *t = rp_arena_alloc(a, sizeof *t);
    if (!t) {
        rp_arena_free(a);
        return NULL;
    }
    t->arena = a;
    t->path = rp_arena_strdup(a, label ? label : "");
    t->format = rp_arena_strdup(a, format ? format : "unknown");
    return t;
}

rp_status rp_tb_warn(rp_transcript *t, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    for (size_t i = 0; i < t->n_warnings; i++)
        if (strcmp(t->warnings[i], msg) == 0)
            return RP_OK; /* said once is enough */
    const char **nw = rp_arena_realloc(t->arena, t->warnings, t->n_warnings * sizeof *nw,
                                       (t->n_warnings + 1) * sizeof *nw);
    const char *copy = rp_arena_strdup(t->arena, msg);
    if (!nw || !copy)
        return RP_ENOMEM;
    nw[t->n_warnings++] = copy;
    t->warnings = nw;
    return RP_OK;
}

const char *rp_tb_str(rp_transcript *t, const char *s, size_t n)
{
    return rp_arena_strndup(t->arena, s, n);
}

rp_turn *rp_tb_add_turn(rp_transcript *t, rp_role role, const char *text,
                        size_t n, unsigned line)
{
    /* Capacity doubles at powers of two. */
    size_t cnt = t->n_turns;
    if (cnt == 0 || (cnt & (cnt - 1)) == 0) {
        size_t newcap = cnt ? cnt * 2 : 8;
        size_t oldcap = cnt <= 8 ? (cnt ? 8 : 0) : cnt;
        if (cnt >= 8 || cnt == 0) {
            rp_turn *nt = rp_arena_realloc(t->arena, t->turns,
                                           oldcap * sizeof *nt, newcap * sizeof *nt);
            if (!nt)
                return NULL;
            t->turns = nt;
        }
    }
    rp_turn *turn = &t->turns[t->n_turns];
    memset(turn, 0, sizeof *turn);
    turn->text = rp_arena_strndup(t->arena, text, n);
    if (!turn->text)
        return NULL;
    turn->text_len = n;
    turn->role = role;
    turn->line = line;
    t->n_turns++;
    turn->index = (int)t->n_turns;
    return turn;
}

rp_status rp_tb_set_text(rp_transcript *t, rp_turn *turn, const char *text,
                         size_t n)
{
    const char *s = rp_arena_strndup(t->arena, text, n);
    if (!s)
        return RP_ENOMEM;
    turn->text = s;
    turn->text_len = n;
    return RP_OK;
}

rp_status rp_tb_add_note(rp_transcript *t, const char *text, size_t n,
                         unsigned line)
{
    rp_note **arr;
    size_t *cnt;
    if (t->n_turns) {
        arr = &t->turns[t->n_turns - 1].notes;
        cnt = &t->turns[t->n_turns - 1].n_notes;
    } else {
        arr = &t->lead_notes;
        cnt = &t->n_lead_notes;
    }
    rp_note *nn = rp_arena_realloc(t->arena, *arr, *cnt * sizeof **arr,
                                   (*cnt + 1) * sizeof **arr);
    if (!nn)
        return RP_ENOMEM;
    nn[*cnt].text = rp_arena_strndup(t->arena, text, n);
    if (!nn[*cnt].text)
        return RP_ENOMEM;
    nn[*cnt].line = line;
    *arr = nn;
    (*cnt)++;
    t->n_notes++;
    return RP_OK;
}

rp_status rp_tset_push(rp_transcript_set *s, rp_transcript *t)
{
    rp_transcript **items = realloc(s->items, (s->n + 1) * sizeof *items);
    if (!items)
        return RP_ENOMEM;
    s->items = items;
    s->items[s->n++] = t;
    return RP_OK;
}

rp_status rp_transcript_set_push(rp_transcript_set *s, rp_transcript *t)
{
    rp_status st = rp_tset_push(s, t);
    if (st != RP_OK)
        rp_transcript_free(t);
    return st;
}

void rp_transcript_free(rp_transcript *t)
{
    if (t)
        rp_arena_free(t->arena);
}

void rp_transcript_set_free(rp_transcript_set *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        rp_transcript_free(s->items[i]);
    free(s->items);
    s->items = NULL;
    s->n = 0;
}

size_t rp_transcript_count(const rp_transcript *t, rp_role r)
{
    size_t c = 0;
    for (size_t i = 0; i < t->n_turns; i++)
        if (t->turns[i].role == r)
            c++;
    return c;
}
