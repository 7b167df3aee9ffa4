/*
 * libFuzzer target over format detection and every reader (all that
 * rp_ingest_formats() names).  The first input byte picks the reader
 * (detection or one forced format) and small
 * limits (a shallow JSON depth, few turns), the rest is the transcript.
 * Whatever the bytes, reading must end with a status and free everything.
 *
 * Build: CC=clang meson setup build-fuzz -Dfuzz=true && ninja -C build-fuzz
 * fuzz/fuzz_ingest; run: build-fuzz/fuzz/fuzz_ingest -max_len=65536 CORPUS
 * (transcripts/examples/ makes a good seed corpus).
 */
#include "redpen/ingest.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *const *names = rp_ingest_formats();
    size_t n_names = 0;
    while (names[n_names])
        n_names++;
    uint8_t sel = data[0];
    data++;
    size--;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';

    /* detection alone must always name a format */
    const char *fmt = rp_ingest_detect(text, size);
    if (!fmt)
        abort();

    rp_ingest_opts o;
    memset(&o, 0, sizeof o);
    size_t pick = sel % (n_names + 1);
    o.format = pick == n_names ? NULL : names[pick];
    if (sel & 0x80) {
        o.max_depth = 1 + (sel & 0x0F);
        o.max_turns = 1 + ((sel >> 4) & 0x07);
    }
    rp_diags d;
    if (rp_diags_init(&d) == RP_OK) {
        rp_transcript_set set;
        rp_status st = rp_ingest_buffer("fuzz", text, size, &o, &set, &d);
        if (st == RP_OK) {
            /* touch every string so the sanitizers see bad pointers */
            size_t sum = 0;
            for (size_t i = 0; i < set.n; i++) {
                const rp_transcript *t = set.items[i];
                for (size_t k = 0; k < t->n_turns; k++)
                    sum += strlen(t->turns[k].text) + (t->turns[k].time ? strlen(t->turns[k].time) : 0);
                sum += t->title ? strlen(t->title) : 0;
                sum += t->model ? strlen(t->model) : 0;
                for (size_t w = 0; w < t->n_warnings; w++)
                    sum += strlen(t->warnings[w]);
            }
            if (sum == (size_t)-1)
                abort();
        } else if (set.n != 0) {
            abort(); /* a failed read leaves the set empty */
        }
        rp_transcript_set_free(&set);
        rp_diags_free(&d);
    }
    free(text);
    return 0;
}
