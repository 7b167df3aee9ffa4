/*
 * Grading: verdicts per attempt, attempts across turns, corrections.
 * (Placeholder entry points until the grader lands.)
 */
#include "redpen/grade.h"

#include <stdlib.h>

const char *rp_verdict_name(rp_verdict v)
{
    switch (v) {
    case RP_VERDICT_PASS: return "pass";
    case RP_VERDICT_FAIL: return "fail";
    case RP_VERDICT_MISSING: return "missing";
    case RP_VERDICT_UNGRADED: return "ungraded";
    }
    return "unknown";
}

const char *rp_correction_kind_name(rp_correction_kind k)
{
    switch (k) {
    case RP_CORR_NUDGE: return "nudge";
    case RP_CORR_HINT: return "hint";
    case RP_CORR_SOLUTION: return "solution";
    }
    return "unknown";
}

void rp_report_free(rp_report *r)
{
    if (r)
        rp_arena_free(r->arena);
}

rp_status rp_grade_transcript(const rp_transcript *t, struct rp_rubric *rubric,
                              const rp_grade_opts *opts, rp_report **out,
                              rp_diags *d)
{
    (void)rubric;
    (void)opts;
    *out = NULL;
    rp_diag_add(d, t ? t->path : NULL, 0, 0, "grading is not available yet");
    return RP_EUNSUPPORTED;
}

rp_status rp_rubric_find_for(const rp_transcript *t, const char *dir,
                             struct rp_rubric **out, rp_diags *d)
{
    (void)dir;
    *out = NULL;
    rp_diag_add(d, t ? t->path : NULL, 0, 0, "no rubric matches (grading is not available yet)");
    return RP_EUNSUPPORTED;
}
