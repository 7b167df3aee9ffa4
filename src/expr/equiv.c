/*
 * Expression equivalence (placeholder until the engine lands).
 */
#include "redpen/expr.h"

#include <stdio.h>
#include <string.h>

rp_status rp_equiv(const char *truth, size_t truth_len, const char *claim,
                   size_t claim_len, const rp_equiv_opts *opts,
                   rp_equiv_result *res)
{
    (void)truth; (void)truth_len; (void)claim; (void)claim_len; (void)opts;
    memset(res, 0, sizeof *res);
    res->verdict = RP_EQUIV_ERROR;
    snprintf(res->error, sizeof res->error, "equivalence is not available yet");
    return RP_OK;
}
