/* points_kfunc.c - kernel functions by symbol: kernel.function("name")
 * without DWARF, checked against the release's symbol table. */
#include "points_int.h"
#include "elab.h"
#include "ksyms.h"

#include <string.h>

static int kernel_symbol_ok(struct pt_req *r, const char *sym)
{
	const char *release = r->opt->release;
	const char *hint;

	if (strpbrk(sym, "*?[@:")) {
		diag_error(r->pp->loc, "wildcards and @file:line in "
			   "kernel.function are not supported yet");
		return 0;
	}
	if (!ksyms_load(release) || ksyms_has(sym))
		return 1;
	if (r->pp->optional)
		return 0;
	hint = ksyms_suggest(sym);
	if (hint)
		diag_error(r->pp->loc, "no kernel function '%s' in %s; did "
			   "you mean '%s'?", sym, release, hint);
	else
		diag_error(r->pp->loc, "no kernel function '%s' in %s", sym,
			   release);
	return 0;
}

int pt_res_kfunc(struct pt_req *r)
{
	const char *sym = r->str[1];
	struct concrete_point *cp;

	if (!kernel_symbol_ok(r, sym))
		return 0;
	cp = pt_add(r, r->fam->kind, NULL);
	cp->symbol = xstrdup(sym);
	return 1;
}
