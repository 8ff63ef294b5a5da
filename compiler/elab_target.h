/* elab_target.h - pass 2 and target values ($var, $var->f, $return,
 * $$parms, @cast): the DWARF each concrete point gets (elab_target.c,
 * points_dwarf.c), the checks of pass 2 and @defined's answer.  Their C
 * is tr_target.h's (pass 3). */
#ifndef TAPC_ELAB_TARGET_H
#define TAPC_ELAB_TARGET_H

#include "ast.h"
#include "kintro/dwarfinfo.h"
#include "elab.h"

/* What a concrete point knows of its DWARF (concrete_point.dwarf). */
struct dw_point {
	struct dw_file *f;
	Dwarf_Off fn;		/* the function's DIE, 0 if none */
	Dwarf_Addr pc;		/* where the probe fires */
	int ret;		/* a .return probe */
	int trace;		/* a tracepoint: fn is its __traceiter_ */
};

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

#endif
