/*
 * libFuzzer target for the chat-text reader: any bytes go through the
 * ingest front end with the format forced to chat-text (so text checks,
 * line classes, notes, overlap removal and role assignment all run).  The
 * reader must return a status, never crash, leak or hang; on success every
 * turn's text must be NUL-terminated at its length.
 */
#include "redpen/ingest.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 20))
        return 0;
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    rp_diags d;
    if (rp_diags_init(&d) != RP_OK) {
        free(buf);
        return 0;
    }
    rp_ingest_opts o;
    memset(&o, 0, sizeof o);
    o.format = "chat-text";
    rp_transcript_set set;
    if (rp_ingest_buffer("fuzz", buf, size, &o, &set, &d) == RP_OK) {
        for (size_t i = 0; i < set.n; i++) {
            const rp_transcript *t = set.items[i];
            for (size_t k = 0; k < t->n_turns; k++)
                if (strlen(t->turns[k].text) != t->turns[k].text_len)
                    abort();
        }
        rp_transcript_set_free(&set);
    }
    rp_diags_free(&d);
    free(buf);
    return 0;
}
