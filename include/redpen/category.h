/*
 * redpen categories: the one table of error categories.  Every module that
 * names why an answer is wrong (expr's diagnosis, grade, the rubric's
 * variants, the judge) passes an rp_category; reports print its id; the docs'
 * table (README.md "Error categories") is checked against this table by
 * tests/core/test_category.c.  No decision anywhere reads a detail message:
 * structured details travel beside the category (see rp_equiv_result).
 *
 * A rubric may add categories of its own through its variants: those are not
 * in this table (rp_category_from_id() gives RP_CAT_NONE for them) and stay
 * strings.
 */
#ifndef REDPEN_CATEGORY_H
#define REDPEN_CATEGORY_H

#include <stddef.h>

/* Presentation order: reports list and color categories in this order, so
 * new categories go at the end. */
typedef enum rp_category {
    RP_CAT_NONE = 0, /* no category (equal, or not diagnosed) */
    RP_CAT_MISSING_FACTOR,
    RP_CAT_EXTRA_FACTOR,
    RP_CAT_WRONG_FACTOR,
    RP_CAT_SIGN_ERROR,
    RP_CAT_ASYMPTOTIC_ONLY,
    RP_CAT_INEQUALITY,
    RP_CAT_UNFLIPPED_KERNEL,
    RP_CAT_TRANSPOSED,
    RP_CAT_BOUNDARY_ERROR,
    RP_CAT_WRONG_SHAPE,
    RP_CAT_SWAPPED,
    RP_CAT_WRONG_CASE,
    RP_CAT_MISSING_BIAS,
    RP_CAT_MISSING_ANSWER,
    RP_CAT_ARITHMETIC,
    RP_CAT_MISSING_POINT,
    RP_CAT_UNREADABLE,
    RP_CAT_WRONG_UNIT,
    RP_CAT_COUNT
} rp_category;

/* Which modules may produce a category (bits of rp_category_info.producers). */
enum {
    RP_CAT_BY_EXPR = 1u << 0,   /* expr's diagnosis of a comparison */
    RP_CAT_BY_GRADE = 1u << 1,  /* grade, from what the transcript holds */
    RP_CAT_BY_RUBRIC = 1u << 2, /* a rubric's wrong variant */
    RP_CAT_BY_JUDGE = 1u << 3   /* the free-text judge */
};

typedef struct rp_category_info {
    rp_category cat;
    const char *id;          /* stable id printed in reports ("missing_factor") */
    const char *name;        /* short name for people ("missing factor") */
    const char *description; /* one line, as in the docs' table */
    unsigned producers;      /* RP_CAT_BY_* bits */
} rp_category_info;

/* The entry of cat; NULL for RP_CAT_NONE or a value out of range. */
const rp_category_info *rp_category_info_of(rp_category cat);

/* The id of cat; "" for RP_CAT_NONE or a value out of range (never NULL, so
 * it may be printed directly). */
const char *rp_category_id(rp_category cat);

/* The category whose id is id; RP_CAT_NONE for NULL, "" or an id not in the
 * table (a rubric's own category). */
rp_category rp_category_from_id(const char *id);

#endif
