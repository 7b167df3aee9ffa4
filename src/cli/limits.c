/*
 * The input-limit options shared by every subcommand that reads
 * transcripts: --max-input, --max-line, --max-turns, --max-depth and
 * --timeout.  Each has a default in the library (redpen/core.h,
 * redpen/ingest.h); the options let a user raise (or lower) them for one
 * run.  Sizes take a K, M or G suffix (powers of 1024).
 */
#include "cli.h"

#include "redpen/ingest.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Parse a positive count or size ("256M", "64k", "1000") no larger than
 * max; true on success. */
static bool parse_amount(const char *s, bool size, unsigned long long max,
                         unsigned long long *out)
{
    if (!isdigit((unsigned char)s[0]))
        return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno)
        return false;
    unsigned shift = 0;
    if (size && *end) {
        switch (toupper((unsigned char)*end)) {
        case 'K': shift = 10; break;
        case 'M': shift = 20; break;
        case 'G': shift = 30; break;
        default: return false;
        }
        end++;
        if (toupper((unsigned char)*end) == 'B')
            end++;
    }
    if (*end || v == 0 || v > (max >> shift))
        return false;
    *out = v << shift;
    return true;
}

bool rp_cli_limit_opt(int argc, char **argv, int *i, struct rp_ingest_opts *o, bool *bad)
{
    static const struct {
        const char *name;
        bool size;
        unsigned long long max;
    } opts[] = {
        {"--max-input", true, (unsigned long long)1 << 40},
        {"--max-line", true, (unsigned long long)1 << 40},
        {"--max-turns", false, 100000000},
        {"--max-depth", false, RP_INGEST_MAX_DEPTH},
        {"--timeout", false, 86400},
    };
    for (size_t k = 0; k < sizeof opts / sizeof opts[0]; k++) {
        const char *v;
        if (!rp_cli_opt(argc, argv, i, opts[k].name, &v, bad))
            continue;
        if (*bad)
            return true;
        unsigned long long x;
        if (!parse_amount(v, opts[k].size, opts[k].max, &x) || x > SIZE_MAX) {
            rp_cli_usage_error("%s takes a positive %s up to %llu%s, not '%s'", opts[k].name,
                               opts[k].size ? "size (K, M or G suffix)" : "number",
                               opts[k].size ? opts[k].max >> 30 : opts[k].max,
                               opts[k].size ? "G" : "", v);
            *bad = true;
            return true;
        }
        switch (k) {
        case 0: o->max_bytes = (size_t)x; break;
        case 1: o->max_line = (size_t)x; break;
        case 2: o->max_turns = (size_t)x; break;
        case 3: o->max_depth = (size_t)x; break;
        default: o->timeout_s = (long)x; break;
        }
        return true;
    }
    return false;
}

int rp_cli_jobs(const char *cmd, const char *text, unsigned *jobs)
{
    char *end;
    errno = 0;
    long j = strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0' || errno || j < 0 || j > RP_CLI_MAX_JOBS)
        return rp_cli_usage_error("%s: --jobs is a number of threads from 0 to %d, not '%s'", cmd,
                                  RP_CLI_MAX_JOBS, text);
    if (j == 0) {
        long np = sysconf(_SC_NPROCESSORS_ONLN);
        j = np > 0 ? (np < RP_CLI_MAX_JOBS ? np : RP_CLI_MAX_JOBS) : 1;
    }
    *jobs = (unsigned)j;
    return -1;
}
