/*
 * The extract module (placeholder).
 */
#include "redpen/core.h"

int rp_extract_placeholder_(void);
int rp_extract_placeholder_(void) { return 0; }
