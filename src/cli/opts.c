/*
 * The small helpers every subcommand's argument parser uses: options with
 * a value (--name VALUE, --name=VALUE, and -xVALUE for a one-letter
 * option), flags, and the usage error.
 */
#include "cli.h"

#include "redpen/core.h"

#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

int rp_cli_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("redpen: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return RP_EXIT_BADINPUT;
}

bool rp_cli_opt(int argc, char **argv, int *i, const char *name,
                const char **out, bool *bad)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0)
        return false;
    if (a[n] == '=') {
        *out = a + n + 1;
        return true;
    }
    /* a one-letter option takes its value attached, as getopt does:
     * -j2, -o-, -oreport.json */
    if (a[n] != '\0' && n == 2 && name[0] == '-' && name[1] != '-') {
        *out = a + n;
        return true;
    }
    if (a[n] != '\0')
        return false;
    if (*i + 1 >= argc) {
        rp_cli_usage_error("option %s needs a value", name);
        *bad = true;
        return true;
    }
    *out = argv[++*i];
    return true;
}

bool rp_cli_flag(const char *arg, const char *name, bool *out)
{
    if (strcmp(arg, name) != 0)
        return false;
    *out = true;
    return true;
}

bool rp_cli_rubric_opt(int argc, char **argv, int *i, const char **rubric, const char **dir,
                       bool *bad)
{
    return rp_cli_opt(argc, argv, i, "--rubric", rubric, bad) ||
           rp_cli_opt(argc, argv, i, "--rubric-dir", dir, bad);
}

bool rp_cli_output_opt(int argc, char **argv, int *i, const char **out, bool *bad)
{
    return rp_cli_opt(argc, argv, i, "-o", out, bad) ||
           rp_cli_opt(argc, argv, i, "--output", out, bad);
}

int rp_cli_output_not_input(const char *cmd, const char *out, const char *const *files, size_t n,
                            const char *other1, const char *other2)
{
    const char **all = calloc(n + 2, sizeof *all);
    rp_diags d;
    if (!all || rp_diags_init(&d) != RP_OK) {
        free(all);
        return RP_EXIT_INTERNAL;
    }
    for (size_t i = 0; i < n; i++)
        all[i] = files[i];
    all[n] = other1;
    all[n + 1] = other2;
    rp_status st = rp_out_check_inputs(out, all, n + 2, &d);
    if (st != RP_OK) {
        fprintf(stderr, "redpen %s: ", cmd);
        rp_diags_print(&d, stderr);
    }
    rp_diags_free(&d);
    free(all);
    return st == RP_OK ? -1 : RP_EXIT_BADINPUT;
}
