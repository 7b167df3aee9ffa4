/*
 * Status strings and the diagnostics list.  Library code never prints:
 * it adds a diagnostic (file, line, column or JSON path, message) to the
 * caller's list and returns a status; the CLI prints the list.
 */
#include "redpen/core.h"

#include <stdio.h>
#include <string.h>

const char *rp_strerror(rp_status st)
{
    switch (st) {
    case RP_OK: return "success";
    case RP_ENOMEM: return "out of memory";
    case RP_EIO: return "input/output error";
    case RP_EINPUT: return "malformed input";
    case RP_ELIMIT: return "input exceeds a limit";
    case RP_EPARSE: return "cannot parse expression";
    case RP_ENOTFOUND: return "not found";
    case RP_EUNSUPPORTED: return "not supported";
    case RP_EEVAL: return "cannot evaluate expression";
    case RP_ENET: return "network transfer failed";
    case RP_EINTERNAL: return "internal error";
    }
    return "unknown status";
}

int rp_status_exit(rp_status st)
{
    switch (st) {
    case RP_OK: return RP_EXIT_OK;
    case RP_ENOMEM:
    case RP_EINTERNAL: return RP_EXIT_INTERNAL;
    default: return RP_EXIT_BADINPUT;
    }
}

rp_status rp_diags_init(rp_diags *d)
{
    memset(d, 0, sizeof *d);
    d->arena = rp_arena_new((size_t)64 << 20);
    return d->arena ? RP_OK : RP_ENOMEM;
}

void rp_diags_free(rp_diags *d)
{
    if (!d)
        return;
    rp_arena_free(d->arena);
    memset(d, 0, sizeof *d);
}

static void push(rp_diags *d, const char *file, unsigned line, unsigned col,
                 const char *jpath, const char *fmt, va_list ap)
{
    if (!d || !d->arena || d->n >= 10000)
        return;
    rp_diag *g = rp_arena_alloc(d->arena, sizeof *g);
    if (!g)
        return;
    g->file = file ? rp_arena_strdup(d->arena, file) : NULL;
    g->line = line;
    g->col = col;
    g->path = jpath ? rp_arena_strdup(d->arena, jpath) : NULL;
    g->msg = rp_arena_vprintf(d->arena, fmt, ap);
    if (!g->msg)
        g->msg = "(message lost: out of memory)";
    if (d->tail)
        d->tail->next = g;
    else
        d->head = g;
    d->tail = g;
    d->n++;
}

void rp_diag_add(rp_diags *d, const char *file, unsigned line, unsigned col,
                 const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    push(d, file, line, col, NULL, fmt, ap);
    va_end(ap);
}

void rp_diag_add_path(rp_diags *d, const char *file, const char *jsonpath,
                      const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    push(d, file, 0, 0, jsonpath, fmt, ap);
    va_end(ap);
}

void rp_diags_print(const rp_diags *d, void *stream)
{
    FILE *f = stream;
    if (!d)
        return;
    for (const rp_diag *g = d->head; g; g = g->next) {
        if (g->file)
            fputs(g->file, f);
        else
            fputs("redpen", f);
        if (g->line) {
            fprintf(f, ":%u", g->line);
            if (g->col)
                fprintf(f, ":%u", g->col);
        }
        if (g->path)
            fprintf(f, ": %s", g->path);
        fprintf(f, ": %s\n", g->msg);
    }
}
