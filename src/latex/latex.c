/*
 * LaTeX lexer and parser (placeholder until the parser lands).
 */
#include "redpen/core.h"

int rp_latex_placeholder_(void);
int rp_latex_placeholder_(void) { return 0; }
