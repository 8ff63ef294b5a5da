/* dwarflist.h - tapc -L for the DWARF probe points. */
#ifndef TAPC_DWARFLIST_H
#define TAPC_DWARFLIST_H

#include "dwarfinfo.h"

/* Prints the points matching text (kernel.function("f@file"),
 * module("m").function("f"), .return, .call, .inline; inline instances
 * included as stap lists them) with their target variables when
 * vars is set.  Returns 0, 1 after an error, or -1 if text is not a DWARF
 * point (the caller lists it another way). */
int dw_list(const char *release, const char *text, int vars);
/* " $a:int $b:struct file*" at pc in the function or inline instance
 * whose DIE is at off (and $return if ret). */
void dw_point_vars(struct dw_file *f, Dwarf_Off off, Dwarf_Addr pc, int ret,
		   struct strbuf *out);

#endif
