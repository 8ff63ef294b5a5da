/* translate.h - pass 3: the elaborated program as the C of one module. */
#ifndef TAPC_TRANSLATE_H
#define TAPC_TRANSLATE_H

#include "elab.h"

/* Appends the module's C source to out. */
void tr_program(const struct program *prog, struct strbuf *out);

#endif
