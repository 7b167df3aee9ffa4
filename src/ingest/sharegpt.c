/*
 * Reader for the sharegpt format (not yet written).
 */
#include "reader.h"

rp_status rp_read_sharegpt(const char *label, const char *data, size_t n,
                     const rp_ingest_opts *opts, rp_transcript_set *out,
                     rp_diags *d)
{
    (void)data;
    (void)n;
    (void)opts;
    (void)out;
    rp_diag_add(d, label, 0, 0, "the sharegpt reader is not available yet");
    return RP_EUNSUPPORTED;
}
