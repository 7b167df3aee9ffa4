/*
 * libFuzzer target for the rubric reader: any bytes are parsed and
 * validated as a rubric; rubrics that load are solved (except the
 * Monte Carlo operations, whose cost is bounded but large), compared with
 * their keys and printed as JSON.
 */
#include "redpen/rubric.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static bool cheap(const rp_answer *a)
{
    if (!a)
        return true;
    if (a->kind == RP_ANS_COMPUTE && a->op &&
        (strcmp(a->op, "linear_scaling") == 0 ||
         strcmp(a->op, "conv_grad_moments") == 0))
        return false;
    for (size_t i = 0; i < a->n_items; i++)
        if (!cheap(a->items[i].answer))
            return false;
    return true;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    rp_diags d;
    if (rp_diags_init(&d) != RP_OK)
        return 0;
    rp_rubric *r = NULL;
    if (rp_rubric_parse("fuzz", (const char *)data, size, NULL, &r, &d) == RP_OK) {
        bool ok = true;
        for (size_t i = 0; i < r->n_parts; i++) {
            ok &= cheap(r->parts[i].spec);
            for (size_t v = 0; v < r->parts[i].n_variants; v++)
                ok &= cheap(r->parts[i].variants[v].answer);
        }
        if (ok && rp_rubric_solve(r, &d) == RP_OK) {
            rp_key_check *checks;
            size_t n;
            rp_rubric_check_key(r, &checks, &n);
        }
        free(rp_rubric_solution_json(r));
        rp_rubric_free(r);
    }
    rp_diags_free(&d);
    return 0;
}
