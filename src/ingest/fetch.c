/*
 * Fetching transcripts over http(s) with libcurl (not yet written).
 */
#include "reader.h"

rp_status rp_fetch_url(const char *url, const rp_ingest_opts *opts, rp_buf *b,
                       rp_diags *d)
{
    (void)opts;
    (void)b;
    rp_diag_add(d, url, 0, 0, "fetching URLs is not available yet");
    return RP_EUNSUPPORTED;
}
