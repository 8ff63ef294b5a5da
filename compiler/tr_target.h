/* tr_target.h - target values ($var, $var->f, $return, $$parms, @cast):
 * resolved against one concrete point's DWARF, typed for pass 2 and
 * translated to C for pass 3. */
#ifndef TAPC_TR_TARGET_H
#define TAPC_TR_TARGET_H

#include "ast.h"
#include "kintro/dwarfinfo.h"
#include "elab.h"

/* The tracepoint arguments the runtime keeps (RT_TRACE_MAXARGS). */
#define TR_TRACE_MAXARGS 12

/* What a concrete point knows of its DWARF (concrete_point.dwarf). */
struct dw_point {
	struct dw_file *f;
	Dwarf_Off fn;		/* the function's DIE, 0 if none */
	Dwarf_Addr pc;		/* where the probe fires */
	int ret;		/* a .return probe */
	int trace;		/* a tracepoint: fn is its __traceiter_ */
};

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

/* Pass 2: attaches DWARF to the points of probe p if its body uses
 * target values, and types them (errors through diag). */
void elab_target_probe(struct program *prog, struct probe *p,
		       const char *release);
/* Pass 2's name resolution meets target value e, in a function when
 * fn_loc is set (an error: they belong to probe bodies). */
void elab_target_resolve(const struct loc *fn_loc, const struct expr *e);
/* Whether expr (an EX_TARGET) names something at every point of p: the
 * answer @defined($var) folds to.  fold_split.c first gives the points
 * that answer differently probes of their own, so "every" is "each". */
int elab_target_defined(const struct program *prog, const struct probe *p,
			const struct expr *e);
/* The same at the one point cp (attaching its DWARF on first need). */
int elab_target_defined_at(const struct program *prog,
			   struct concrete_point *cp, const struct expr *e);
/* Whether any point of the program uses DWARF (pass 3 then includes
 * rt_deref.h and writes one handler per such point). */
int tr_target_used(const struct program *prog);

#endif
