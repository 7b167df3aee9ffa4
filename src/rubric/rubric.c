/*
 * The rubric module (placeholder).
 */
#include "redpen/core.h"

int rp_rubric_placeholder_(void);
int rp_rubric_placeholder_(void) { return 0; }
