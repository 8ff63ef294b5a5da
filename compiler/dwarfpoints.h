/* dwarfpoints.h - the probe-point families resolved through DWARF
 * (dwarf_points.c), called from points.c's family table. */
#ifndef TAPC_DWARFPOINTS_H
#define TAPC_DWARFPOINTS_H

struct pt_req;

/* kernel.function("name@file[:line]")[.return], and the same in
 * module("m") when module is set. */
int dw_res_function(struct pt_req *r, const char *module, const char *spec);
/* kernel.statement("func@file:line") */
int dw_res_statement(struct pt_req *r);

#endif
