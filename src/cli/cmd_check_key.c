/*
 * redpen check-key (not yet available).
 */
#include "cli.h"

#include "redpen/core.h"

#include <stdio.h>

int rp_cmd_check_key(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "redpen: 'check-key' is not available yet\n");
    return RP_EXIT_INTERNAL;
}
