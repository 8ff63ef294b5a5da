/* points_trace.c - kernel.trace("system:name") with wildcards in both
 * parts; "name" alone matches in any system.  Names come from the
 * release's __tracepoint_* symbols, systems from its trace events; their
 * arguments (for tapc -L) from the DWARF of __traceiter_NAME. */
#include "points_int.h"
#include "elab.h"
#include "kintro/ksyms.h"
#include "kintro/dwarfinfo.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int pt_res_trace(struct pt_req *r)
{
	const char *arg = r->str[1];
	const char *colon = strchr(arg, ':');
	char *sys_pat = colon ? xstrndup(arg, (size_t)(colon - arg)) : NULL;
	const char *name_pat = colon ? colon + 1 : arg;
	struct vec names, systems;
	char *name;

	if (!ksyms_load(r->opt->release)) {
		diag_error(DG_NO_SYSTEM_MAP,
			   r->pp->loc, "tracepoints need the symbols of %s "
			   "(its System.map)", r->opt->release);
		free(sys_pat);
		return 0;
	}
	ksyms_tracepoints(r->opt->release, &names, &systems);
	VEC_EACH(&names, i, name) {
		const char *sys = systems.v[i];
		struct concrete_point *cp;
		char *full;

		if (fnmatch(name_pat, name, 0) ||
		    (sys_pat && (!*sys || fnmatch(sys_pat, sys, 0))))
			continue;
		full = *sys ? xasprintf("%s:%s", sys, name) : xstrdup(name);
		cp = pt_add(r, PP_TRACE, pt_text(r, 1, full));
		free(full);
		cp->tracepoint = xstrdup(name);
		cp->trace_system = xstrdup(sys);
	}
	if (!r->added && !r->pp->optional) {
		char *t = pt_written(r);

		diag_error(DG_NO_MATCH,
			   r->pp->loc, "no match for probe point '%s'", t);
		free(t);
	}
	free(sys_pat);
	return r->added;
}

void pt_trace_list_vars(const char *release, const struct concrete_point *cp)
{
	const char *why;
	struct dw_file *f = dw_open(release, NULL, &why);
	struct dw_func fn;
	struct vec args = {0};
	Dwarf_Die iter, type, *d;

	if (!f || !dw_trace_func(f, cp->tracepoint, &fn) ||
	    !dwarf_offdie(dw_dwarf(f), fn.off, &iter))
		return;
	dw_trace_args(&iter, &args);
	VEC_EACH(&args, i, d) {
		char *tn = dw_type_of(d, &type) ? dw_type_name(&type)
						 : xstrdup("void");

		printf(" $%s:%s", dwarf_diename(d), tn);
		free(tn);
		free(d);
	}
	free(args.v);
}
