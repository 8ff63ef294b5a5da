/* dwarf_vars.c - the parameters and locals of a function visible at a
 * probe address: its formal parameters, and the variables of the
 * lexical blocks whose ranges hold the address. */
#include "dwarfinfo.h"

#include <dwarf.h>
#include <stdlib.h>
#include <string.h>

static const char *var_name(Dwarf_Die *d)
{
	Dwarf_Attribute a;

	return dwarf_formstring(dwarf_attr_integrate(d, DW_AT_name, &a));
}

static void push_die(struct vec *out, Dwarf_Die *d)
{
	Dwarf_Die *copy = xmalloc(sizeof(*copy));

	*copy = *d;
	vec_push(out, copy);
}

/* Depth-first over scope; blocks only when they hold pc. */
static void collect(Dwarf_Die *scope, Dwarf_Addr pc, int params,
		    struct vec *out, int depth)
{
	Dwarf_Die d;

	if (depth > 32 || dwarf_child(scope, &d) != 0)
		return;
	do {
		int tag = dwarf_tag(&d);

		if (tag == DW_TAG_formal_parameter && params && depth == 0 &&
		    var_name(&d))
			push_die(out, &d);
		else if (tag == DW_TAG_variable && !params && var_name(&d))
			push_die(out, &d);
		else if (tag == DW_TAG_lexical_block && !params &&
			 dwarf_haspc(&d, pc) == 1)
			collect(&d, pc, params, out, depth + 1);
	} while (dwarf_siblingof(&d, &d) == 0);
}

void dw_vars(Dwarf_Die *fn, Dwarf_Addr pc, int params, struct vec *out)
{
	collect(fn, pc, params, out, 0);
}

int dw_var(Dwarf_Die *fn, Dwarf_Addr pc, const char *name, Dwarf_Die *out)
{
	struct vec v = {0};
	Dwarf_Die *d;
	int found = 0;

	/* Locals first: an inner declaration hides a parameter. */
	dw_vars(fn, pc, 0, &v);
	dw_vars(fn, pc, 1, &v);
	VEC_EACH(&v, i, d) {
		if (!found && !strcmp(var_name(d), name)) {
			*out = *d;
			found = 1;
		}
		free(d);
	}
	free(v.v);
	return found;
}

/* ---- tracepoint arguments ---- */

/* The kernel defines __traceiter_NAME(void *__data, ARGS) for each
 * tracepoint (include/linux/tracepoint.h): the caller's arguments, with
 * their names and types, are its parameters after __data. */
int dw_trace_func(struct dw_file *f, const char *tracepoint,
		  struct dw_func *out)
{
	char *name = xasprintf("__traceiter_%s", tracepoint);
	struct vec fns = {0};
	int found = 0;

	dw_functions(f, name, NULL, &fns);
	if (fns.n) {
		*out = *(struct dw_func *)fns.v[0];
		found = 1;
	}
	free(fns.v);
	free(name);
	return found;
}

void dw_trace_args(Dwarf_Die *iter, struct vec *out)
{
	struct vec v = {0};

	dw_vars(iter, 0, 1, &v);
	for (int i = 0; i < v.n; i++) {
		if (i)
			vec_push(out, v.v[i]);
		else
			free(v.v[i]);	/* __data: the probe's own pointer */
	}
	free(v.v);
}
