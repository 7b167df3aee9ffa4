/*
 * The grade module (placeholder).
 */
#include "redpen/core.h"

int rp_grade_placeholder_(void);
int rp_grade_placeholder_(void) { return 0; }
