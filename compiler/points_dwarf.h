/* points_dwarf.h - the probe-point families resolved through DWARF
 * (points_dwarf.c), called from points.c's family table, and their
 * tapc -L listing (points_dwarf_list.c).  The DWARF itself is read by
 * kintro/ (kintro/dwarfinfo.h); these files are the compiler's glue. */
#ifndef TAPC_POINTS_DWARF_H
#define TAPC_POINTS_DWARF_H

struct pt_req;

/* kernel.function("name@file[:line]")[.return], and the same in
 * module("m") when module is set. */
int pt_res_function(struct pt_req *r, const char *module, const char *spec);
/* Which inline instances a written kernel.function/module().function
 * point takes (stapprobes(3stap)): with .inline only them, with .call
 * or .return none (an inline instance has no return to probe), else
 * them too; kprobe.* points never (they need no DWARF). */
enum pt_inline_mode { PT_INLINE_NONE, PT_INLINE_ALSO, PT_INLINE_ONLY };
enum pt_inline_mode pt_inline_mode(const struct pt_req *r);
/* Adds a point per inline instance of spec ("name[@file[:line]]") in
 * module (NULL: the kernel); returns how many.  Quietly none when the
 * debuginfo is missing. */
int pt_res_inline(struct pt_req *r, const char *module, const char *spec);
#define PT_INLINE_ONLY_WHY "the function is only inlined (.call and " \
	".return need an out-of-line copy; .inline probes its inline " \
	"instances)"
#define PT_PATCHED_WHY "its inline instances all start at code the " \
	"kernel patches at run time (a static branch or static call), " \
	"where it refuses kprobes"
/* Whether spec has inline instances a .call/.return point left out (for
 * the "no match" message). */
int pt_inline_only(struct pt_req *r, const char *module, const char *spec);
/* kernel.statement("func@file:line"), module("m").statement(...) */
int pt_res_statement(struct pt_req *r);

/* tapc -L: prints the points matching text (kernel.function("f@file"),
 * module("m").function("f"), .return, .call, .inline; inline instances
 * included as stap lists them) with their target variables when
 * vars is set.  Returns 0, 1 after an error, or -1 if text is not a DWARF
 * point (the caller lists it another way). */
int pt_list_dwarf(const char *release, const char *text, int vars);

#endif
