/*
 * redpen: grade saved LLM chat transcripts of math and deep-learning
 * homework.  This file dispatches to one function per subcommand.
 */
#include "cli.h"

#include "redpen/core.h"
#include "redpen/extract.h"
#include "redpen/grade.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
} commands[] = {
    {"grade", rp_cmd_grade, "grade transcripts against a rubric"},
    {"compare", rp_cmd_compare, "compare models across graded transcripts"},
    {"annotate", rp_cmd_annotate, "write an annotated copy of a transcript"},
    {"ingest", rp_cmd_ingest, "show the normalized turns and notes of a transcript"},
    {"extract", rp_cmd_extract, "show the claims found per turn and part"},
    {"equiv", rp_cmd_equiv, "compare two LaTeX expressions and diagnose the difference"},
    {"solve", rp_cmd_solve, "print the engine's answer for every part of a rubric"},
    {"check-key", rp_cmd_check_key, "list parts where the official key and the engine disagree"},
    {"rubric", rp_cmd_rubric, "rubric tools: 'redpen rubric check R'"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: redpen COMMAND [ARGS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'redpen COMMAND --help' for the options of one command.\n");
}

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
    if (argc < 2) {
        usage(stderr);
        return RP_EXIT_BADINPUT;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return RP_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("redpen %s\n", REDPEN_VERSION);
        return RP_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "redpen: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return RP_EXIT_BADINPUT;
}
