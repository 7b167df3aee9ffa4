/*
 * The engine module (placeholder).
 */
#include "redpen/core.h"

int rp_engine_placeholder_(void);
int rp_engine_placeholder_(void) { return 0; }
