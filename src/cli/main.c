/*
 * redpen: grade saved LLM chat transcripts of math and deep-learning
 * homework.  This file sets up the process (malloc tuning, debug traces)
 * and hands the command line to rp_cli_main (src/cli/help.c), which
 * dispatches to one function per subcommand through the command table.
 */
#include "cli.h"
#include "help.h"

#include "redpen/core.h"
#include "redpen/extract.h"
#include "redpen/grade.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

/* Every transcript gets its own arena, and its blocks (doubling from 4 KB)
 * go back to malloc when the transcript is done.  With glibc's defaults
 * each block of 128 KB or more is a fresh mmap, and a grading thread's heap
 * is trimmed after every transcript, so the next one faults the same pages
 * in again: on a stream of conversations that was 40,000 page faults per
 * 66 MB and most of the extra cpu time of --jobs 2.  Keep freed memory for
 * reuse instead; the bound on what is kept is the largest transcript in
 * flight, not the size of the corpus. */
static void tune_malloc(void)
{
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 16 << 20);
    mallopt(M_TRIM_THRESHOLD, 32 << 20);
#endif
}

/* REDPEN_DEBUG_EXTRACT, REDPEN_DEBUG_GRADE: the extractor's and grade's
 * traces go to stderr. */
static void trace_to_stderr(void *user, const char *line)
{
    (void)user;
    fprintf(stderr, "%s\n", line);
}

int main(int argc, char **argv)
{
    tune_malloc();
    if (getenv("REDPEN_DEBUG_EXTRACT"))
        rp_extract_set_trace(trace_to_stderr, NULL);
    if (getenv("REDPEN_DEBUG_GRADE"))
        rp_grade_set_trace(trace_to_stderr, NULL);
    return rp_cli_main(argc, argv);
}
