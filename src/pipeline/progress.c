/*
 * The progress line of a long run: conversations done (and inputs of how
 * many, where the number is known), MB/s, time elapsed and the time left,
 * on one line of standard error redrawn in place.  Shown on a terminal
 * once a run has taken about a second (a short run prints nothing), or
 * always with --progress (then from the start, and in a pipe each redraw
 * is a line of its own, ending with a newline).  It is written only by the
 * thread that hands reports on, so it needs no lock.
 */
#include "pipeline_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define SHOW_AFTER 1.0    /* seconds before the line appears on its own */
#define REDRAW_EVERY 0.2  /* seconds between redraws */

struct rp_progress {
    bool tty;           /* standard error is a terminal */
    bool forced;        /* --progress */
    bool shown;         /* a line was drawn */
    size_t total;       /* inputs expected, 0 unknown */
    size_t inputs, convs;
    size_t drawn_inputs, drawn_convs; /* the counts of the last line drawn */
    uint64_t bytes, total_bytes;
    double t0, last;    /* start, last redraw (seconds) */
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

rp_progress *rp_progress_new(int mode, size_t total, uint64_t bytes)
{
    bool tty = isatty(STDERR_FILENO) == 1;
    if (mode == RP_PROGRESS_OFF || (mode == RP_PROGRESS_AUTO && !tty))
        return NULL;
    rp_progress *pr = calloc(1, sizeof *pr);
    if (!pr)
        return NULL;
    pr->tty = tty;
    pr->forced = mode == RP_PROGRESS_ON;
    pr->total = total;
    pr->total_bytes = bytes;
    pr->t0 = pr->last = now();
    return pr;
}

void rp_progress_expect(rp_progress *pr, uint64_t bytes)
{
    if (pr)
        pr->total_bytes += bytes;
}

/* h:mm:ss, or m:ss under an hour. */
static void clock_text(char *buf, size_t cap, double s)
{
    unsigned long t = s > 0 ? (unsigned long)(s + 0.5) : 0;
    if (t >= 3600)
        snprintf(buf, cap, "%lu:%02lu:%02lu", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(buf, cap, "%lu:%02lu", t / 60, t % 60);
}

static void draw(rp_progress *pr, double t)
{
    double el = t - pr->t0;
    char line[256], a[32], b[32];
    int w = 0;
    if (pr->total > 1)
        w = snprintf(line, sizeof line, "redpen: %zu of %zu inputs, %zu conversation%s",
                     pr->inputs, pr->total, pr->convs, pr->convs == 1 ? "" : "s");
    else
        w = snprintf(line, sizeof line, "redpen: %zu conversation%s", pr->convs,
                     pr->convs == 1 ? "" : "s");
    clock_text(a, sizeof a, el);
    w += snprintf(line + w, sizeof line - (size_t)w, ", %.1f MB/s, %s elapsed",
                  el > 0 ? (double)pr->bytes / 1e6 / el : 0.0, a);
    /* time left: from the inputs when their number is known, else from the
     * bytes of an input whose size is known */
    double frac = 0;
    if (pr->total > 1)
        frac = (double)pr->inputs / (double)pr->total;
    else if (pr->total_bytes)
        frac = (double)pr->bytes / (double)pr->total_bytes;
    if (frac > 0.001 && frac <= 1) {
        clock_text(b, sizeof b, el * (1 - frac) / frac);
        snprintf(line + w, sizeof line - (size_t)w, ", ETA %s", b);
    }
    if (pr->tty)
        fprintf(stderr, "\r\033[K%s", line);
    else
        fprintf(stderr, "%s\n", line);
    fflush(stderr);
    pr->shown = true;
    pr->last = t;
    pr->drawn_inputs = pr->inputs;
    pr->drawn_convs = pr->convs;
}

void rp_progress_add(rp_progress *pr, size_t inputs, size_t convs, uint64_t bytes)
{
    if (!pr)
        return;
    pr->inputs += inputs;
    pr->convs += convs;
    pr->bytes += bytes;
    double t = now();
    if (!pr->forced && t - pr->t0 < SHOW_AFTER)
        return;
    if (pr->shown && t - pr->last < REDRAW_EVERY)
        return;
    draw(pr, t);
}

void rp_progress_end(rp_progress *pr)
{
    if (!pr)
        return;
    /* the final count, unless the last line drawn already says it (in a
     * pipe every line stays: the same line twice says nothing new) */
    if (pr->forced && (pr->tty || !pr->shown || pr->drawn_inputs != pr->inputs ||
                       pr->drawn_convs != pr->convs))
        draw(pr, now());
    if (pr->shown && pr->tty)
        fputs(pr->forced ? "\n" : "\r\033[K", stderr);
    free(pr);
}
