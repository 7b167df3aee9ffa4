/*
 * libFuzzer target for rp_equiv(): the input is TRUTH, a TAB, and CLAIM
 * (without a TAB the input is compared with itself).  The first byte
 * chooses options.  The result must always be a verdict with
 * NUL-terminated texts.
 */
#include "redpen/expr.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 4096)
        return 0;
    rp_equiv_opts o;
    memset(&o, 0, sizeof o);
    o.accept_bound = data[0] & 1;
    o.e_is_variable = (data[0] >> 1) & 1;
    o.strict_units = (data[0] >> 2) & 1;
    o.n_points = 4 + (data[0] >> 4);
    const char *s = (const char *)data + 1;
    size_t n = size - 1;
    const char *tab = memchr(s, '\t', n);
    rp_equiv_result r;
    rp_status st;
    if (tab)
        st = rp_equiv(s, (size_t)(tab - s), tab + 1, n - (size_t)(tab - s) - 1, &o, &r);
    else
        st = rp_equiv(s, n, s, n, &o, &r);
    if (st != RP_OK && st != RP_ENOMEM)
        abort();
    if (st == RP_OK && r.verdict != RP_EQUIV_EQUAL && r.verdict != RP_EQUIV_DIFFERENT &&
        r.verdict != RP_EQUIV_ERROR)
        abort();
    if (memchr(r.factor, 0, sizeof r.factor) == NULL ||
        memchr(r.detail, 0, sizeof r.detail) == NULL || memchr(r.error, 0, sizeof r.error) == NULL)
        abort();
    return 0;
}
