/*
 * libFuzzer target for the saved-report reader (`compare --from-jsonl`,
 * reports given to compare and annotate): any bytes are read as saved
 * reports; reports that load are rendered as a comparison in every format
 * and each one written back as JSON, which must load again.  Reading must
 * end with a status and free everything, whatever the bytes.
 */
#include "redpen/report.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (256u << 10))
        return 0;
    rp_diags d;
    if (rp_diags_init(&d) != RP_OK)
        return 0;
    (void)rp_report_json_detect((const char *)data, size);
    rp_report_set set;
    rp_report_set_init(&set);
    if (rp_report_load_json("fuzz", (const char *)data, size, &set, &d) == RP_OK) {
        rp_html_opts ho;
        memset(&ho, 0, sizeof ho);
        ho.no_katex = true;
        for (int f = RP_COMPARE_TEXT; f <= RP_COMPARE_CSV; f++) {
            rp_buf b;
            rp_buf_init(&b, 64u << 20);
            (void)rp_compare_render(set.items, set.n, (rp_compare_format)f, f == RP_COMPARE_TEXT,
                                    &ho, &b);
            rp_buf_free(&b);
        }
        for (size_t i = 0; i < set.n; i++) {
            rp_buf b;
            rp_buf_init(&b, 64u << 20);
            if (rp_report_write_json(set.items[i], false, &b) == RP_OK) {
                rp_report_set again;
                rp_report_set_init(&again);
                if (rp_report_load_json("again", b.data, b.len, &again, &d) != RP_OK)
                    abort(); /* a written report must read back */
                rp_report_set_free(&again);
            }
            rp_buf_free(&b);
        }
    } else if (set.n != 0) {
        abort(); /* on failure nothing is pushed */
    }
    rp_report_set_free(&set);
    rp_diags_free(&d);
    return 0;
}
