/* translate.h - pass 3: the elaborated program as the C of one module. */
#ifndef TAPC_TRANSLATE_H
#define TAPC_TRANSLATE_H

#include "elab.h"

/* Appends the module's C source to out. */
void tr_program(const struct program *prog, struct strbuf *out);

/* A C string literal of s (translate.c). */
void c_string(struct strbuf *b, const char *s);
/* The C name of the handler of a concrete point (translate.c). */
char *handler_name(const struct program *prog,
		   const struct concrete_point *cp);
/* The probe table, tapc_probes[] (tr_points.c). */
void tr_points_table(const struct program *prog, struct strbuf *out);

#endif
