/* points_kfunc.c - functions by symbol, without DWARF:
 * kernel.function("pattern"), kprobe.function("pattern"),
 * module("m").function("pattern"), kprobe.module("m").function("pattern")
 * (each with .return, the first ones with .call and .inline), and
 * kprobe.statement(ADDR).absolute / kernel.statement(ADDR).absolute.
 *
 * Names come from the release's System.map or the module's .ko (ksyms).
 * A pattern with wildcards silently skips the functions the kernel
 * refuses to kprobe; a function named outright that it refuses is an
 * error giving the reason, as is a name that matches nothing. */
#include "points_int.h"
#include "elab.h"
#include "kintro/ksyms.h"
#include "points_dwarf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The string argument of the component called name, and its index. */
static const char *arg_of(const struct pt_req *r, const char *name, int *idx)
{
	for (int k = 0; k < r->pp->comps.n; k++) {
		const struct pp_component *c = r->pp->comps.v[k];

		if (!strcmp(c->name, name)) {
			if (idx)
				*idx = k;
			return r->str[k];
		}
	}
	return NULL;
}

/* "name: why" for the first function of a wildcard the kernel refuses,
 * or NULL (static: printed at once). */
static const char *first_refused(const char *fn)
{
	static char buf[512];
	struct vec names = {0};
	const char *why = NULL;
	char *name;

	ksyms_match(fn, &names);
	VEC_EACH(&names, i, name) {
		if ((why = ksyms_refused(name))) {
			snprintf(buf, sizeof(buf), "%s: %s", name, why);
			break;
		}
	}
	free(names.v);
	return why ? buf : NULL;
}

static void no_match(struct pt_req *r, const char *module, const char *fn)
{
	const char *release = r->opt->release;
	int wild = strpbrk(fn, "*?[") != NULL;
	const char *refused = wild && !module ? first_refused(fn) : NULL;
	const char *hint = NULL;
	char *t = pt_written(r);

	if (refused)
		diag_error(DG_POINT_REFUSED,
			   r->pp->loc, "no match for probe point '%s': the "
			   "kernel refuses each function it matches, such as "
			   "%s", t, refused);
	else if (r->patched || pt_inline_only(r, module, fn))
		diag_error(DG_POINT_INLINE_ONLY,
			   r->pp->loc, "no match for probe point '%s': %s", t,
			   r->patched ? PT_PATCHED_WHY : PT_INLINE_ONLY_WHY);
	else if (!wild && (hint = module ?
			   ksyms_module_suggest(release, module, fn) :
			   ksyms_suggest(fn)))
		diag_error(DG_NO_MATCH,
			   r->pp->loc, "no match for probe point '%s' (did "
			   "you mean '%s'?)", t, hint);
	else
		diag_error(DG_NO_MATCH,
			   r->pp->loc, "no match for probe point '%s'", t);
	free(t);
}

static void add_function(struct pt_req *r, int fidx, const char *module,
			 const char *fn, int wild)
{
	struct concrete_point *cp;

	cp = pt_add(r, r->fam->kind, wild ? pt_text(r, fidx, fn) : NULL);
	cp->symbol = xstrdup(fn);
	if (module)
		cp->module = pt_kernel_modname(module);
}

/* The functions of fn by symbol (no DWARF); how many names matched,
 * or -1 after an error that ends the resolution. */
static int by_symbol(struct pt_req *r, const char *module, int fidx,
		     const char *fn, int wild)
{
	const char *release = r->opt->release;
	struct vec names = {0};
	const char *name, *why;
	int n;

	if (!module && !ksyms_load(release)) {
		if (wild) {
			diag_error(DG_NO_SYSTEM_MAP,
				   r->pp->loc, "wildcards need the symbols of "
				   "%s (its System.map)", release);
			return -1;
		}
		add_function(r, fidx, NULL, fn, 0);	/* checked at load */
		return 1;
	}
	if (module && !ksyms_module_known(release, module)) {
		if (!r->pp->optional)
			diag_error(DG_NO_MODULE,
				   r->pp->loc, "no module '%s' in %s", module,
				   release);
		return -1;
	}
	if (module)
		ksyms_module_match(release, module, fn, &names);
	else
		ksyms_match(fn, &names);
	VEC_EACH(&names, i, name) {
		why = module ? NULL : ksyms_refused(name);
		if (why && !wild)
			diag_error(DG_POINT_REFUSED,
				   r->pp->loc, "kernel function '%s' cannot be "
				   "probed: %s", name, why);
		if (!why)
			add_function(r, fidx, module, name, wild);
	}
	/* a wildcard counts what it added: all refused is no match */
	n = wild ? r->added : names.n;
	free(names.v);
	return n;
}

int pt_res_kfunc(struct pt_req *r)
{
	const char *module = arg_of(r, "module", NULL);
	int fidx = 0;
	const char *fn = arg_of(r, "function", &fidx);
	int wild = strpbrk(fn, "*?[") != NULL;
	enum pt_inline_mode inl = pt_inline_mode(r);
	int n = 0;

	if (strpbrk(fn, "@:"))		/* by DWARF: points_dwarf.c */
		return pt_res_function(r, module, fn);
	if (inl != PT_INLINE_ONLY) {
		n = by_symbol(r, module, fidx, fn, wild);
		if (n < 0)
			return 0;
	}
	/* As stap: kernel.function("f") is f's out-of-line copy and
	 * every place the compiler inlined it (DWARF). */
	if (inl != PT_INLINE_NONE)
		n += pt_res_inline(r, module, fn);
	if (!n && !r->pp->optional)
		no_match(r, module, fn);
	return r->added;
}

/* kprobe.statement(ADDR).absolute: a raw address, guru mode only. */
int pt_res_absolute(struct pt_req *r)
{
	struct concrete_point *cp;

	if (!r->opt->guru) {
		diag_error(DG_STATEMENT_GURU,
			   r->pp->loc, "absolute statement probes need guru "
			   "mode (-g)");
		return 0;
	}
	cp = pt_add(r, PP_KPROBE, NULL);
	cp->addr = (uint64_t)r->num[1];
	return 1;
}
