/*
 * The small helpers every subcommand's argument parser uses: options with
 * a value (--name VALUE, --name=VALUE), flags, and the usage error.
 */
#include "cli.h"

#include "redpen/core.h"

#include <stdarg.h>
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
