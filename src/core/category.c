/*
 * The table of error categories (see redpen/category.h): one row per
 * category with its id, short name, description and the modules that may
 * produce it.  The descriptions are the docs' (README.md), checked by
 * tests/core/test_category.c.
 */
#include "redpen/category.h"

#include <string.h>

#define EXPR RP_CAT_BY_EXPR
#define GRADE RP_CAT_BY_GRADE
#define RUBRIC RP_CAT_BY_RUBRIC
#define JUDGE RP_CAT_BY_JUDGE

static const rp_category_info table[RP_CAT_COUNT] = {
    [RP_CAT_MISSING_FACTOR] = {RP_CAT_MISSING_FACTOR, "missing_factor", "missing factor",
                               "the claim is the truth divided by a factor (\"missing constant c\", "
                               "\"missing √n\")",
                               EXPR | RUBRIC},
    [RP_CAT_EXTRA_FACTOR] = {RP_CAT_EXTRA_FACTOR, "extra_factor", "extra factor",
                             "the claim is the truth multiplied by a factor", EXPR | RUBRIC},
    [RP_CAT_WRONG_FACTOR] = {RP_CAT_WRONG_FACTOR, "wrong_factor", "wrong factor",
                             "off by a constant or a mixed monomial", EXPR | RUBRIC},
    [RP_CAT_SIGN_ERROR] = {RP_CAT_SIGN_ERROR, "sign_error", "sign error", "claim = −truth",
                           EXPR | RUBRIC},
    [RP_CAT_ASYMPTOTIC_ONLY] = {RP_CAT_ASYMPTOTIC_ONLY, "asymptotic_only", "asymptotic only",
                                "O(·) or Θ(·) given where an exact expression was asked",
                                EXPR | RUBRIC},
    [RP_CAT_INEQUALITY] = {RP_CAT_INEQUALITY, "inequality", "inequality",
                           "a bound given where a value was asked", EXPR | GRADE | RUBRIC},
    [RP_CAT_UNFLIPPED_KERNEL] = {RP_CAT_UNFLIPPED_KERNEL, "unflipped_kernel", "kernel not flipped",
                                 "cross-correlation given where a true convolution was asked",
                                 RUBRIC},
    [RP_CAT_TRANSPOSED] = {RP_CAT_TRANSPOSED, "transposed", "transposed",
                           "the matrix is the transpose of the truth", EXPR | RUBRIC},
    [RP_CAT_BOUNDARY_ERROR] = {RP_CAT_BOUNDARY_ERROR, "boundary_error", "boundary error",
                               "the matrix interior is right, the border (padding) entries are "
                               "wrong",
                               EXPR | RUBRIC},
    [RP_CAT_WRONG_SHAPE] = {RP_CAT_WRONG_SHAPE, "wrong_shape", "wrong shape",
                            "a matrix, vector or table of the wrong size", EXPR | RUBRIC},
    [RP_CAT_SWAPPED] = {RP_CAT_SWAPPED, "swapped", "swapped", "two sub-answers exchanged",
                        EXPR | GRADE | RUBRIC},
    [RP_CAT_WRONG_CASE] = {RP_CAT_WRONG_CASE, "wrong_case", "wrong case",
                           "one case of a piecewise answer is wrong (the detail names it)",
                           EXPR | RUBRIC},
    [RP_CAT_MISSING_BIAS] = {RP_CAT_MISSING_BIAS, "missing_bias", "biases left out",
                             "a parameter count without the biases", RUBRIC},
    [RP_CAT_MISSING_ANSWER] = {RP_CAT_MISSING_ANSWER, "missing_answer", "no answer",
                               "the part is discussed but no concrete answer is given", GRADE},
    [RP_CAT_ARITHMETIC] = {RP_CAT_ARITHMETIC, "arithmetic", "arithmetic",
                           "wrong, with no recognised pattern (the detail names the differing "
                           "entries)",
                           EXPR | GRADE | RUBRIC},
    [RP_CAT_MISSING_POINT] = {RP_CAT_MISSING_POINT, "missing_point", "missing point",
                              "a free-text answer misses a required point (from the judge or the "
                              "rubric's patterns)",
                              GRADE | JUDGE},
    [RP_CAT_UNREADABLE] = {RP_CAT_UNREADABLE, "unreadable", "unreadable",
                           "the claim could not be parsed or evaluated (the detail says where)",
                           GRADE},
    [RP_CAT_WRONG_UNIT] = {RP_CAT_WRONG_UNIT, "wrong_unit", "wrong unit",
                           "the value is right in another unit, or the unit is wrong",
                           EXPR | RUBRIC},
};

const rp_category_info *rp_category_info_of(rp_category cat)
{
    if ((int)cat <= (int)RP_CAT_NONE || (int)cat >= (int)RP_CAT_COUNT)
        return NULL;
    return &table[cat];
}

const char *rp_category_id(rp_category cat)
{
    const rp_category_info *i = rp_category_info_of(cat);
    return i ? i->id : "";
}

rp_category rp_category_from_id(const char *id)
{
    if (!id || !id[0])
        return RP_CAT_NONE;
    for (int c = RP_CAT_NONE + 1; c < RP_CAT_COUNT; c++)
        if (strcmp(table[c].id, id) == 0)
            return (rp_category)c;
    return RP_CAT_NONE;
}
