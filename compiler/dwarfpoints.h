/* dwarfpoints.h - the probe-point families resolved through DWARF
 * (dwarf_points.c), called from points.c's family table. */
#ifndef TAPC_DWARFPOINTS_H
#define TAPC_DWARFPOINTS_H

struct pt_req;

/* kernel.function("name@file[:line]")[.return], and the same in
 * module("m") when module is set. */
int dw_res_function(struct pt_req *r, const char *module, const char *spec);
/* Which inline instances a written kernel.function/module().function
 * point takes (stapprobes(3stap)): with .inline only them, with .call
 * or .return none (an inline instance has no return to probe), else
 * them too; kprobe.* points never (they need no DWARF). */
enum dw_inline_mode { DW_INLINE_NONE, DW_INLINE_ALSO, DW_INLINE_ONLY };
enum dw_inline_mode dw_inline_mode(const struct pt_req *r);
/* Adds a point per inline instance of spec ("name[@file[:line]]") in
 * module (NULL: the kernel); returns how many.  Quietly none when the
 * debuginfo is missing. */
int dw_res_inline(struct pt_req *r, const char *module, const char *spec);
#define DW_INLINE_ONLY_WHY "the function is only inlined (.call and " \
	".return need an out-of-line copy; .inline probes its inline " \
	"instances)"
#define DW_PATCHED_WHY "its inline instances all start at code the " \
	"kernel patches at run time (a static branch or static call), " \
	"where it refuses kprobes"
/* Whether spec has inline instances a .call/.return point left out (for
 * the "no match" message). */
int dw_inline_only(struct pt_req *r, const char *module, const char *spec);
/* kernel.statement("func@file:line"), module("m").statement(...) */
int dw_res_statement(struct pt_req *r);

#endif
