/* dwarflist.h - tapc -L for the DWARF probe points. */
#ifndef TAPC_DWARFLIST_H
#define TAPC_DWARFLIST_H

#include "dwarfinfo.h"

/* Prints the points matching text (kernel.function("f@file"),
 * module("m").function("f"), .return) with their target variables when
 * vars is set.  Returns 0, 1 after an error, or -1 if text is not a DWARF
 * point (the caller lists it another way). */
int dw_list(const char *release, const char *text, int vars);
/* " $a:int $b:struct file*" for function fn (and $return if ret). */
void dw_point_vars(struct dw_file *f, const struct dw_func *fn, int ret,
		   struct strbuf *out);

#endif
