/*
 * redpen grade FILE… [--rubric R] [--format text|json|jsonl|md|html]
 *                    [-o OUT] [--model NAME] [--input-format NAME]
 *                    [--keep-going] [--judge URL [--judge-model NAME]
 *                    [--judge-cache DIR] [--no-cache]]
 *
 * Grades every conversation in every input against a rubric (the one
 * given, else the one under rubrics/ whose problems match) and prints the
 * report: a table per transcript, the JSON contract of DESIGN.md (one
 * object, or {"reports": […]} for several), JSON Lines, Markdown or HTML.
 * Output is written atomically; on bad input nothing is written and the
 * exit code is 2.
 */
#include "cli.h"

#include "redpen/grade.h"
#include "redpen/ingest.h"
#include "redpen/report.h"
#include "redpen/rubric.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(FILE *f)
{
    fprintf(f,
            "usage: redpen grade FILE|URL|-... [--rubric R] [--format text|json|jsonl|md|html]\n"
            "                    [-o OUT] [--model NAME] [--input-format NAME] [--keep-going]\n"
            "                    [--judge URL [--judge-model NAME] [--judge-cache DIR] [--no-cache]]\n");
}

/* The rubric directory: ./rubrics, else rubrics/ beside the source tree the
 * binary was built in (build/redpen -> rubrics/). */
static const char *rubrics_dir(char *buf, size_t cap)
{
    const char *env = getenv("REDPEN_RUBRICS");
    if (env && *env)
        return env;
    struct stat sb;
    if (stat("rubrics", &sb) == 0 && S_ISDIR(sb.st_mode))
        return "rubrics";
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(buf, cap, "%s/../rubrics", exe);
            if (stat(buf, &sb) == 0 && S_ISDIR(sb.st_mode))
                return buf;
        }
    }
    return "rubrics";
}

int rp_cmd_grade(int argc, char **argv)
{
    const char *rubric_path = NULL, *format = "text", *out_path = NULL, *model = NULL,
               *input_format = NULL, *judge = NULL, *judge_model = NULL, *judge_cache = NULL;
    bool keep_going = false, bad = false, no_cache = false;
    const char **files = calloc((size_t)argc + 1, sizeof *files);
    size_t nfiles = 0;
    if (!files)
        return RP_EXIT_INTERNAL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            free(files);
            return 0;
        }
        if (strcmp(argv[i], "--keep-going") == 0) {
            keep_going = true;
            continue;
        }
        if (strcmp(argv[i], "--no-cache") == 0) {
            no_cache = true;
            continue;
        }
        if (rp_cli_opt(argc, argv, &i, "--rubric", &rubric_path, &bad) ||
            rp_cli_opt(argc, argv, &i, "--format", &format, &bad) ||
            rp_cli_opt(argc, argv, &i, "-o", &out_path, &bad) ||
            rp_cli_opt(argc, argv, &i, "--output", &out_path, &bad) ||
            rp_cli_opt(argc, argv, &i, "--model", &model, &bad) ||
            rp_cli_opt(argc, argv, &i, "--input-format", &input_format, &bad) ||
            rp_cli_opt(argc, argv, &i, "--judge", &judge, &bad) ||
            rp_cli_opt(argc, argv, &i, "--judge-model", &judge_model, &bad) ||
            rp_cli_opt(argc, argv, &i, "--judge-cache", &judge_cache, &bad)) {
            if (bad) {
                free(files);
                return RP_EXIT_BADINPUT;
            }
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0') {
            free(files);
            return rp_cli_usage_error("grade: unknown option '%s'", argv[i]);
        }
        files[nfiles++] = argv[i];
    }
    if (!nfiles) {
        free(files);
        usage(stderr);
        return RP_EXIT_BADINPUT;
    }
    if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "jsonl") &&
        strcmp(format, "md") && strcmp(format, "html")) {
        free(files);
        return rp_cli_usage_error("grade: --format is text, json, jsonl, md or html, not '%s'",
                                  format);
    }

    rp_diags d;
    if (rp_diags_init(&d) != RP_OK) {
        free(files);
        return RP_EXIT_INTERNAL;
    }
    int rc = RP_EXIT_OK;
    rp_rubric *given = NULL;
    if (rubric_path) {
        rp_status st = rp_rubric_load(rubric_path, &given, &d);
        if (st == RP_OK)
            st = rp_rubric_solve(given, &d);
        if (st != RP_OK) {
            rp_diags_print(&d, stderr);
            rp_diags_free(&d);
            rp_rubric_free(given);
            free(files);
            return rp_status_exit(st);
        }
    }
    char dirbuf[PATH_MAX + 16];
    const char *rdir = rubrics_dir(dirbuf, sizeof dirbuf);

    rp_report_set reports;
    rp_report_set_init(&reports);
    rp_rubric **found = NULL; /* rubrics found per transcript, freed at the end */
    size_t n_found = 0;
    rp_ingest_opts io;
    memset(&io, 0, sizeof io);
    io.format = input_format;
    rp_grade_opts go;
    memset(&go, 0, sizeof go);
    go.model = model;
    go.judge_url = judge;
    go.judge_model = judge_model;
    go.cache_dir = judge_cache;
    go.no_cache = no_cache;

    for (size_t f = 0; f < nfiles; f++) {
        rp_transcript_set ts;
        rp_status st = rp_ingest_path(files[f], &io, &ts, &d);
        if (st != RP_OK) {
            rc = rp_status_exit(st);
            if (!keep_going)
                break;
            continue;
        }
        for (size_t k = 0; k < ts.n; k++) {
            rp_transcript *t = ts.items[k];
            rp_rubric *r = given;
            if (!r) {
                st = rp_rubric_find_for(t, rdir, &r, &d);
                if (st != RP_OK) {
                    rc = rp_status_exit(st);
                    continue;
                }
                rp_rubric **nv = realloc(found, (n_found + 1) * sizeof *nv);
                if (!nv) {
                    rp_rubric_free(r);
                    rc = RP_EXIT_INTERNAL;
                    continue;
                }
                found = nv;
                found[n_found++] = r;
            }
            rp_report *rep = NULL;
            st = rp_grade_transcript(t, r, &go, &rep, &d);
            if (st != RP_OK) {
                rc = rp_status_exit(st);
                continue;
            }
            if (rp_report_set_push(&reports, rep) != RP_OK)
                rc = RP_EXIT_INTERNAL;
        }
        /* the set keeps the transcripts the reports refer to */
        for (size_t k = 0; k < ts.n; k++)
            rp_transcript_set_push(&reports.transcripts, ts.items[k]);
        free(ts.items);
        if (rc != RP_EXIT_OK && !keep_going)
            break;
    }

    if (rc == RP_EXIT_OK || (keep_going && reports.n)) {
        rp_buf out;
        rp_buf_init(&out, 0);
        rp_status st = RP_OK;
        bool color = !out_path && rp_report_color_wanted(1);
        if (strcmp(format, "json") == 0) {
            if (reports.n == 1) {
                st = rp_report_write_json(reports.items[0], true, &out);
                if (st == RP_OK)
                    st = rp_buf_putc(&out, '\n');
            } else {
                st = rp_reports_write_json(reports.items, reports.n, &out);
            }
        } else if (strcmp(format, "jsonl") == 0) {
            st = rp_reports_write_jsonl(reports.items, reports.n, &out);
        } else {
            for (size_t i = 0; i < reports.n && st == RP_OK; i++) {
                if (i)
                    st = rp_buf_putc(&out, '\n');
                if (st != RP_OK)
                    break;
                if (strcmp(format, "md") == 0)
                    st = rp_report_render_md(reports.items[i], &out);
                else if (strcmp(format, "html") == 0)
                    st = rp_report_render_html(reports.items[i], NULL, &out);
                else
                    st = rp_report_render_text(reports.items[i], color, &out);
            }
        }
        if (st == RP_OK)
            st = rp_write_atomic(out_path ? out_path : "-", out.data ? out.data : "", out.len,
                                 &d);
        if (st != RP_OK && rc == RP_EXIT_OK)
            rc = rp_status_exit(st);
        rp_buf_free(&out);
    }
    rp_diags_print(&d, stderr);
    rp_diags_free(&d);
    rp_report_set_free(&reports);
    for (size_t i = 0; i < n_found; i++)
        rp_rubric_free(found[i]);
    free(found);
    rp_rubric_free(given);
    free(files);
    return rc;
}
