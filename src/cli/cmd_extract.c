/*
 * redpen extract FILE [--rubric R | --rubric-dir DIR] [--format text|json]
 *                     [--input-format NAME] [limits]
 *
 * Shows the claims found, turn by turn and part by part: what the grader
 * compared, for users checking why a verdict came out as it did.  The
 * pipeline reads and grades (with the rubric `redpen grade` would choose);
 * this file parses the command line and prints.
 */
#include "cli.h"
#include "help.h"

#include "redpen/grade.h"
#include "redpen/jsonw.h"
#include "redpen/pipeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct row {
    int turn;
    const rp_part_result *part;
    const rp_attempt *at;
} row;

static int by_turn(const void *a, const void *b)
{
    const row *x = a, *y = b;
    if (x->turn != y->turn)
        return x->turn < y->turn ? -1 : 1;
    return strcmp(x->part->part, y->part->part);
}

int rp_cli_extract_args(int argc, char **argv, rp_extract_args *a)
{
    memset(a, 0, sizeof *a);
    a->format = "text";
    bool bad = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return rp_cli_help_exit("extract");
        if (rp_cli_rubric_opt(argc, argv, &i, &a->rubric_path, &a->rubric_dir, &bad) ||
            rp_cli_opt(argc, argv, &i, "--format", &a->format, &bad) ||
            rp_cli_opt(argc, argv, &i, "--input-format", &a->input_format, &bad) ||
            rp_cli_limit_opt(argc, argv, &i, &a->limits, &bad)) {
            if (bad)
                return RP_EXIT_BADINPUT;
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0')
            return rp_cli_unknown_option("extract", argv[i]);
        if (a->file)
            return rp_cli_usage_error("extract: one file at a time");
        a->file = argv[i];
    }
    if (!a->file) {
        rp_cli_usage_error("extract: which file?");
        return rp_cli_usage("extract");
    }
    if (rp_cli_choice("extract", "--format", NULL, a->format) >= 0)
        return RP_EXIT_BADINPUT;
    return -1;
}

/* What the claims of every conversation go to.  JSON: one object for one
 * conversation, else an array of them; how many is known only at the end,
 * so the first object is written both alone and as an element. */
typedef struct shown {
    const char *format;
    size_t n;         /* conversations shown */
    rp_buf first;     /* --format json: the first object, alone */
    rp_buf elements;  /* every object as an element of the array, ", " between */
    rp_status st;     /* the first failure of the JSON writer */
} shown;

/* One conversation's claims in turn order as {"path", "claims": [{"turn",
 * "part", "claim" (null when none), "verdict"}]}, depth levels deep. */
static rp_status claims_json(rp_buf *b, unsigned depth, const rp_transcript *t, const row *rows,
                             size_t n)
{
    rp_jw j;
    rp_jw_begin_at(&j, b, true, depth);
    rp_jw_obj_open(&j, NULL);
    if (t->path)
        rp_jw_str(&j, "path", t->path);
    rp_jw_arr_open(&j, "claims");
    for (size_t i = 0; i < n; i++) {
        rp_jw_obj_open(&j, NULL);
        rp_jw_num(&j, "turn", rows[i].turn);
        if (rows[i].part->part)
            rp_jw_str(&j, "part", rows[i].part->part);
        rp_jw_str(&j, "claim", rows[i].at->claim);
        rp_jw_str(&j, "verdict", rp_verdict_name(rows[i].at->verdict));
        rp_jw_obj_close(&j);
    }
    rp_jw_arr_close(&j);
    rp_jw_obj_close(&j);
    return rp_jw_end(&j);
}

/* A sink printing the claims of one conversation (text), or adding them
 * to the JSON array. */
static rp_status show(void *ctx, size_t input, rp_transcript *t, rp_report *rep)
{
    (void)input;
    shown *S = ctx;
    size_t n = 0;
    for (size_t p = 0; p < rep->n_parts; p++)
        n += rep->parts[p].n_attempts;
    row *rows = calloc(n + 1, sizeof *rows);
    size_t j = 0;
    for (size_t p = 0; rows && p < rep->n_parts; p++)
        for (size_t a = 0; a < rep->parts[p].n_attempts; a++) {
            rows[j].turn = rep->parts[p].attempts[a].turn;
            rows[j].part = &rep->parts[p];
            rows[j].at = &rep->parts[p].attempts[a];
            j++;
        }
    if (rows)
        qsort(rows, j, sizeof *rows, by_turn);
    if (strcmp(S->format, "json") == 0) {
        if (S->n++ == 0 && S->st == RP_OK)
            S->st = claims_json(&S->first, 0, t, rows, rows ? j : 0);
        if (S->n > 1 && S->st == RP_OK)
            S->st = rp_buf_puts(&S->elements, ", ");
        if (S->st == RP_OK)
            S->st = claims_json(&S->elements, 1, t, rows, rows ? j : 0);
    } else {
        printf("%s\n", t->path);
        int last = -1;
        for (size_t i = 0; rows && i < j; i++) {
            if (rows[i].turn != last) {
                printf("  turn %d\n", rows[i].turn);
                last = rows[i].turn;
            }
            printf("    %-6s %-8s %s\n", rows[i].part->part,
                   rp_verdict_name(rows[i].at->verdict),
                   rows[i].at->claim ? rows[i].at->claim : "(no concrete answer)");
        }
    }
    free(rows);
    rp_report_free(rep);
    rp_transcript_free(t);
    return RP_OK;
}

int rp_cmd_extract(int argc, char **argv)
{
    rp_extract_args a;
    int rc = rp_cli_extract_args(argc, argv, &a);
    if (rc >= 0)
        return rc;
    rp_diags d;
    if (rp_diags_init(&d) != RP_OK)
        return RP_EXIT_INTERNAL;
    rp_pipeline p;
    memset(&p, 0, sizeof p);
    p.ingest = a.limits;
    p.ingest.format = a.input_format;
    rp_registry_opts ro = {a.rubric_path, a.rubric_dir, 0, NULL, NULL};
    rp_status st = rp_registry_new(&ro, &p.rubrics, &d);
    shown S = {a.format, 0, {0}, {0}, RP_OK};
    rp_buf_init(&S.first, 0);
    rp_buf_init(&S.elements, 0);
    rp_input in = {a.file, NULL, 0};
    if (st == RP_OK)
        st = rp_pipeline_grade(&p, &in, 1, show, &S, &d);
    if (st == RP_OK && S.st == RP_OK && strcmp(a.format, "json") == 0) {
        if (S.n == 1)
            printf("%s\n", S.first.data);
        else
            printf("[%s]\n", S.elements.data ? S.elements.data : "");
    }
    rp_buf_free(&S.first);
    rp_buf_free(&S.elements);
    rp_registry_free(p.rubrics);
    rp_diags_print(&d, stderr);
    rp_diags_free(&d);
    return rp_status_exit(st);
}
