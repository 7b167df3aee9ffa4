/*
 * The segment module (placeholder).
 */
#include "redpen/core.h"

int rp_segment_placeholder_(void);
int rp_segment_placeholder_(void) { return 0; }
