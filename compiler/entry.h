/* entry.h - @entry(expr) in .return probes: pass 2 rewrites and checks
 * them (elab_entry.c), pass 3 saves them at the function's entry and
 * reads them at its return (tr_entry.c, through tr_int.h). */
#ifndef TAPC_ENTRY_H
#define TAPC_ENTRY_H

#include "elab.h"

/* Pass 2, before target values are typed: in a probe with a .return
 * point, a target value other than $return becomes an implicit
 * @entry of itself; then every @entry of p is checked (only in .return
 * probes, no script variables, no @entry inside). */
void entry_rewrite(struct program *prog, struct probe *p);
/* Whether e is an @entry pass 2 added ($param in a .return probe). */
int entry_implicit(const struct expr *e);
/* The EX_ENTRY expressions of p's body, in slot order (struct expr *). */
void entry_list(const struct probe *p, struct vec *out);
/* Whether p's body has any @entry. */
int entry_used(const struct probe *p);

#endif
