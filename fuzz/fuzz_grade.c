/*
 * libFuzzer target for the whole grade pipeline: any bytes are read as a
 * transcript (format detected, small limits), graded against the hw4
 * rubric (loaded and solved once) and written as the JSON report, which
 * must parse back as JSON.  Reading may refuse the input; grading and
 * writing a transcript that was read must succeed or fail with a status,
 * never crash, leak or hang.
 *
 * The rubric path comes from REDPEN_FUZZ_RUBRIC in the environment, else
 * from RP_FUZZ_RUBRIC, set by fuzz/meson.build to rubrics/hw4.json.
 */
#include "redpen/grade.h"
#include "redpen/ingest.h"
#include "redpen/report.h"
#include "redpen/rubric.h"

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef RP_FUZZ_RUBRIC
#define RP_FUZZ_RUBRIC "rubrics/hw4.json"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static rp_rubric *rubric;

static void load_rubric(void)
{
    const char *path = getenv("REDPEN_FUZZ_RUBRIC");
    if (!path)
        path = RP_FUZZ_RUBRIC;
    rp_diags d;
    if (rp_diags_init(&d) != RP_OK)
        abort();
    if (rp_rubric_load(path, &rubric, &d) != RP_OK || rp_rubric_solve(rubric, &d) != RP_OK) {
        rp_diags_print(&d, stderr);
        abort(); /* the harness itself is broken */
    }
    rp_diags_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (256u << 10))
        return 0;
    if (!rubric)
        load_rubric();
    rp_ingest_opts o;
    memset(&o, 0, sizeof o);
    o.max_turns = 200;
    o.max_depth = 64;
    rp_diags d;
    if (rp_diags_init(&d) != RP_OK)
        return 0;
    rp_transcript_set set;
    if (rp_ingest_buffer("fuzz", (const char *)data, size, &o, &set, &d) == RP_OK) {
        for (size_t i = 0; i < set.n; i++) {
            rp_report *rep = NULL;
            rp_status st = rp_grade_transcript(set.items[i], rubric, NULL, &rep, &d);
            if (st != RP_OK) {
                if (rep)
                    abort(); /* a failed grade returns no report */
                continue;
            }
            rp_buf b;
            rp_buf_init(&b, 64u << 20);
            if (rp_report_write_json(rep, false, &b) == RP_OK) {
                cJSON *j = cJSON_ParseWithLength(b.data, b.len);
                if (!j)
                    abort(); /* the report is not JSON */
                cJSON_Delete(j);
            }
            rp_buf_free(&b);
            rp_report_free(rep);
        }
        rp_transcript_set_free(&set);
    }
    rp_diags_free(&d);
    return 0;
}
