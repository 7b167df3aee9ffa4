/*
 * Reader for the chat_text format (not yet written).
 */
#include "reader.h"

rp_status rp_read_chat_text(const char *label, const char *data, size_t n,
                     const rp_ingest_opts *opts, rp_transcript_set *out,
                     rp_diags *d)
{
    (void)data;
    (void)n;
    (void)opts;
    (void)out;
    rp_diag_add(d, label, 0, 0, "the chat_text reader is not available yet");
    return RP_EUNSUPPORTED;
}
