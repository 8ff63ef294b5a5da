/* tr_target.h - target values ($var, $var->f, $return, $$parms, @cast)
 * translated to C (tr_target.c) for pass 3; pass 2 (elab_target.c) types
 * them through the same walk, with no C wanted.  What pass 2 itself
 * offers the other passes is in elab_target.h. */
#ifndef TAPC_TR_TARGET_H
#define TAPC_TR_TARGET_H

#include "ast.h"
#include "elab_target.h"

/* The tracepoint arguments the runtime keeps (RT_TRACE_MAXARGS). */
#define TR_TRACE_MAXARGS 12

/* How translate.c lends its translation of sub-expressions ($a[i]'s i,
 * @cast's pointer) and its string temporaries; sub == NULL in pass 2.
 * entry: the value is read at the function's entry (inside @entry),
 * which is where a .return probe's parameters can be had. */
struct tgt_ctx {
	char *(*sub)(void *t, const struct expr *e);
	char *(*temp)(void *t);
	void *t;
	int entry;
};

/* Whether e is a target value this module translates. */
int tr_target_kind(const struct expr *e);
/* C for e at point cp (a GNU statement expression that leaves the hit
 * on a fault), its type in *type.  NULL if it cannot be had there: the
 * error is reported when report is set. */
char *tr_target(const struct concrete_point *cp, const struct expr *e,
		const struct tgt_ctx *x, enum type *type, int report);

/* Whether any point of the program uses DWARF (pass 3 then includes
 * rt_deref.h and writes one handler per such point). */
int tr_target_used(const struct program *prog);

#endif
