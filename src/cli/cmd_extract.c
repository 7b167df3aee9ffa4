/*
 * redpen extract FILE [--rubric R] [--format text|json] [--input-format NAME] [limits]
 *
 * Shows the claims found, turn by turn and part by part: what the grader
 * compared, for users checking why a verdict came out as it did.
 */
#include "cli.h"

#include "redpen/grade.h"
#include "redpen/ingest.h"
#include "redpen/jsonw.h"
#include "redpen/rubric.h"

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

/* One transcript's claims in turn order as {"path", "claims": [{"turn",
 * "part", "claim" (null when none), "verdict"}]}. */
static void claims_json(rp_jw *j, const rp_transcript *t, const row *rows, size_t n)
{
    rp_jw_obj_open(j, NULL);
    if (t->path)
        rp_jw_str(j, "path", t->path);
    rp_jw_arr_open(j, "claims");
    for (size_t i = 0; i < n; i++) {
        rp_jw_obj_open(j, NULL);
        rp_jw_num(j, "turn", rows[i].turn);
        if (rows[i].part->part)
            rp_jw_str(j, "part", rows[i].part->part);
        rp_jw_str(j, "claim", rows[i].at->claim);
        rp_jw_str(j, "verdict", rp_verdict_name(rows[i].at->verdict));
        rp_jw_obj_close(j);
    }
    rp_jw_arr_close(j);
    rp_jw_obj_close(j);
}

int rp_cmd_extract(int argc, char **argv)
{
    const char *file = NULL, *rubric_path = NULL, *format = "text", *input_format = NULL;
    bool bad = false;
    rp_ingest_opts io;
    memset(&io, 0, sizeof io);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("usage: redpen extract FILE [--rubric R] [--format text|json] [--input-format NAME]\n"
                   "       " RP_CLI_LIMITS_USAGE "\n");
            return 0;
        }
        if (rp_cli_opt(argc, argv, &i, "--rubric", &rubric_path, &bad) ||
            rp_cli_opt(argc, argv, &i, "--format", &format, &bad) ||
            rp_cli_opt(argc, argv, &i, "--input-format", &input_format, &bad) ||
            rp_cli_limit_opt(argc, argv, &i, &io, &bad)) {
            if (bad)
                return RP_EXIT_BADINPUT;
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0')
            return rp_cli_usage_error("extract: unknown option '%s'", argv[i]);
        if (file)
            return rp_cli_usage_error("extract: one file at a time");
        file = argv[i];
    }
    if (!file)
        return rp_cli_usage_error("extract: which file? usage: redpen extract FILE [--rubric R]");
    if (strcmp(format, "text") && strcmp(format, "json"))
        return rp_cli_usage_error("extract: --format is text or json, not '%s'", format);

    rp_diags d;
    if (rp_diags_init(&d) != RP_OK)
        return RP_EXIT_INTERNAL;
    io.format = input_format;
    rp_transcript_set ts;
    rp_rubric *r = NULL;
    rp_status st = rp_ingest_path(file, &io, &ts, &d);
    if (st != RP_OK)
        goto done;
    if (rubric_path) {
        st = rp_rubric_load(rubric_path, &r, &d);
        if (st == RP_OK)
            st = rp_rubric_solve(r, &d);
    }
    /* JSON: one transcript's object, or an array of them */
    rp_buf jb;
    rp_buf_init(&jb, 0);
    rp_jw jw;
    rp_jw_begin(&jw, &jb, true);
    if (ts.n != 1)
        rp_jw_arr_open(&jw, NULL);
    for (size_t k = 0; st == RP_OK && k < ts.n; k++) {
        rp_transcript *t = ts.items[k];
        rp_rubric *use = r;
        if (!use)
            st = rp_rubric_find_for(t, "rubrics", &use, &d);
        if (st != RP_OK)
            break;
        rp_report *rep = NULL;
        st = rp_grade_transcript(t, use, NULL, &rep, &d);
        if (st == RP_OK) {
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
            if (strcmp(format, "json") == 0) {
                claims_json(&jw, t, rows, rows ? j : 0);
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
        }
        if (use != r)
            rp_rubric_free(use);
    }
    if (ts.n != 1)
        rp_jw_arr_close(&jw);
    if (rp_jw_end(&jw) == RP_OK && st == RP_OK && strcmp(format, "json") == 0)
        printf("%s\n", jb.data);
    rp_buf_free(&jb);
    rp_transcript_set_free(&ts);
done:
    rp_rubric_free(r);
    rp_diags_print(&d, stderr);
    rp_diags_free(&d);
    return rp_status_exit(st);
}
