/*
 * redpen solve R: load a rubric, run the engine over every part and print
 * the answer key it derives as JSON (LaTeX for formulas, arrays for
 * matrices), with the official key and the known wrong variants.
 */
#include "cli.h"
#include "help.h"

#include "redpen/core.h"
#include "redpen/rubric.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int rp_cmd_solve(int argc, char **argv)
{
    const char *path = NULL, *jobs = NULL;
    rp_solve_opts so = {1, 0, 0, NULL}; /* solved afresh: no cache */
    for (int i = 1; i < argc; i++) {
        bool bad = false;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return rp_cli_help_exit("solve");
        if (rp_cli_opt(argc, argv, &i, "--jobs", &jobs, &bad) ||
            rp_cli_opt(argc, argv, &i, "-j", &jobs, &bad)) {
            int rc = bad ? RP_EXIT_BADINPUT : rp_cli_jobs("solve", jobs, &so.jobs);
            if (rc >= 0)
                return rc;
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1])
            return rp_cli_unknown_option("solve", argv[i]);
        if (path)
            return rp_cli_usage_error("solve: one rubric at a time");
        path = argv[i];
    }
    if (!path)
        return rp_cli_usage("solve");
    rp_diags d;
    if (rp_diags_init(&d) != RP_OK)
        return RP_EXIT_INTERNAL;
    rp_rubric *r = NULL;
    rp_status st = rp_rubric_load(path, &r, &d);
    if (st == RP_OK)
        st = rp_rubric_solve_opts(r, &so, &d);
    int rc = rp_status_exit(st);
    if (r && st == RP_OK) {
        char *json = rp_rubric_solution_json(r);
        if (json) {
            fputs(json, stdout);
            fputc('\n', stdout);
            free(json);
        } else {
            rc = RP_EXIT_INTERNAL;
        }
    }
    rp_diags_print(&d, stderr);
    rp_rubric_free(r);
    rp_diags_free(&d);
    return rc;
}
