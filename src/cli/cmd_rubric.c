/*
 * redpen rubric check R [--solve]: validate a rubric (and its key file),
 * then look past the format (rp_rubric_lint: LaTeX that does not parse,
 * unbalanced braces, \frac{d}{dx}, undeclared symbols, patterns that do
 * not compile, grid parts without targets); every finding names the file
 * and the JSON path.  With --solve the engine also runs over every part.
 * Exit 0 when valid (warnings allowed), 2 otherwise.
 *
 * redpen rubric from-key KEY [-o R.json]: the rubric an answer key makes
 * (rp_rubric_key_json), checked by reading and solving it, written
 * atomically; `grade --key KEY` grades with exactly this rubric.
 */
#include "cli.h"
#include "help.h"

#include "redpen/core.h"
#include "redpen/rubric.h"

#include <stdio.h>
#include <string.h>

/* redpen rubric from-key KEY [-o OUT] */
static int from_key(int argc, char **argv)
{
    const char *path = NULL, *out = NULL;
    bool bad = false;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return rp_cli_help_exit("rubric");
        if (rp_cli_output_opt(argc, argv, &i, &out, &bad)) {
            if (bad)
                return RP_EXIT_BADINPUT;
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1])
            return rp_cli_unknown_option("rubric", argv[i]);
        if (path)
            return rp_cli_usage_error("rubric from-key: one key at a time");
        path = argv[i];
    }
    if (!path)
        return rp_cli_usage("rubric");
    rp_diags d;
    if (rp_diags_init(&d) != RP_OK)
        return RP_EXIT_INTERNAL;
    rp_buf in, js;
    rp_buf_init(&in, RP_RUBRIC_MAX_BYTES);
    rp_buf_init(&js, RP_RUBRIC_MAX_BYTES * 4);
    rp_rubric *r = NULL;
    rp_status st = rp_file_read(path, RP_RUBRIC_MAX_BYTES, RP_RUBRIC_MAX_BYTES, &in, &d);
    if (st == RP_OK)
        st = rp_rubric_key_json(path, in.data ? in.data : "", in.len, &js, &d);
    /* what is written must read back and solve */
    if (st == RP_OK)
        st = rp_rubric_parse(path, js.data, js.len, NULL, &r, &d);
    if (st == RP_OK)
        st = rp_rubric_solve(r, &d);
    if (st == RP_OK)
        st = rp_write_atomic(out ? out : "-", js.data, js.len, &d);
    rp_diags_print(&d, stderr);
    rp_rubric_free(r);
    rp_buf_free(&in);
    rp_buf_free(&js);
    rp_diags_free(&d);
    return rp_status_exit(st);
}

int rp_cmd_rubric(int argc, char **argv)
{
    if (argc < 2)
        return rp_cli_usage("rubric");
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        return rp_cli_help_exit("rubric");
    if (strcmp(argv[1], "from-key") == 0)
        return from_key(argc, argv);
    if (strcmp(argv[1], "check") != 0) {
        fprintf(stderr, "redpen: rubric: unknown subcommand '%s' (expected check or from-key)",
                argv[1]);
        rp_cli_suggest(stderr, argv[1], "check|from-key", "|");
        fputc('\n', stderr);
        return RP_EXIT_BADINPUT;
    }
    const char *path = NULL;
    bool solve = false;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return rp_cli_help_exit("rubric");
        else if (strcmp(argv[i], "--solve") == 0)
            solve = true;
        else if (argv[i][0] == '-' && argv[i][1])
            return rp_cli_unknown_option("rubric", argv[i]);
        else if (path)
            return rp_cli_usage_error("rubric check: one rubric at a time");
        else
            path = argv[i];
    }
    if (!path)
        return rp_cli_usage("rubric");
    rp_diags d;
    if (rp_diags_init(&d) != RP_OK)
        return RP_EXIT_INTERNAL;
    rp_rubric *r = NULL;
    size_t errors = 0, warnings = 0;
    rp_status st = rp_rubric_load(path, &r, &d);
    if (st == RP_OK)
        st = rp_rubric_lint(r, &d, &errors, &warnings);
    if (st == RP_OK && solve)
        st = rp_rubric_solve(r, &d);
    rp_diags_print(&d, stderr);
    if (st == RP_OK) {
        size_t keys = 0;
        for (size_t i = 0; i < r->n_parts; i++)
            keys += r->parts[i].key != NULL;
        printf("%s: ok (%zu problems, %zu parts, %zu with an official key%s", path,
               r->n_problems, r->n_parts, keys, solve ? ", solved" : "");
        if (warnings)
            printf(", %zu warning%s", warnings, warnings == 1 ? "" : "s");
        printf(")\n");
    } else if (errors) {
        fprintf(stderr, "%s: %zu error%s, %zu warning%s\n", path, errors,
                errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
    }
    rp_rubric_free(r);
    rp_diags_free(&d);
    return rp_status_exit(st);
}
