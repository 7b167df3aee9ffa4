/*
 * redpen annotate (not yet available).
 */
#include "cli.h"

#include "redpen/core.h"

#include <stdio.h>

int rp_cmd_annotate(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "redpen: 'annotate' is not available yet\n");
    return RP_EXIT_INTERNAL;
}
