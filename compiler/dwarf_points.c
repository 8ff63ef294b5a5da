/* dwarf_points.c - the probe points that need DWARF:
 *
 *   kernel.function("name@file[:line]")[.return]   names and files by DWARF
 *   kernel.statement("func@file:line")             a line, by the line table
 *   kernel.statement("func@file+N")                N lines after its declaration
 *   module("m").function("name@file")[.return]     a module's function
 *
 * Each concrete point gets its DWARF (a struct dw_point) at once, so the
 * target values of its probe are read at the right place.  Probes are
 * placed by symbol + offset: the kernel's kprobes resolve the symbol at
 * load time, whatever KASLR did.
 */
#include "dwarfpoints.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "elab.h"
#include "ksyms.h"
#include "points_int.h"
#include "tr_target.h"

/* "name@file:line" split; line 0 when not given. */
struct fspec {
	char *name;
	char *file;
	int line;
	int rel;	/* "+line": relative to the function's declaration */
};

static void split_spec(const char *s, struct fspec *f)
{
	const char *at = strchr(s, '@');
	char *colon;

	memset(f, 0, sizeof(*f));
	if (!at) {
		f->name = xstrdup(s);
		return;
	}
	f->name = xstrndup(s, at - s);
	f->file = xstrdup(at + 1);
	colon = strpbrk(f->file, ":+");
	if (colon) {
		f->rel = *colon == '+';
		*colon = '\0';
		f->line = atoi(colon + 1);
	}
}

static void free_spec(struct fspec *f)
{
	free(f->name);
	free(f->file);
}

static struct dw_file *open_or_report(struct pt_req *r, const char *mod)
{
	const char *why = NULL;
	struct dw_file *f = dw_open(r->opt->release, mod, &why);

	if (!f && !r->pp->optional)
		diag_error(r->pp->loc, "%s%s: %s", mod ? "module " : "",
			   mod ? mod : "the kernel", why);
	return f;
}

static struct concrete_point *add_dwarf_point(struct pt_req *r,
					      struct dw_file *f,
					      const struct dw_func *fn,
					      const char *mod, Dwarf_Addr pc,
					      char *text)
{
	struct concrete_point *cp = pt_add(r, r->fam->kind, text);
	struct dw_point *dp = xcalloc(1, sizeof(*dp));

	cp->symbol = xstrdup(fn->name);
	if (mod) {	/* kallsyms names modules with '_' */
		cp->module = xstrdup(mod);
		for (char *c = cp->module; *c; c++)
			if (*c == '-')
				*c = '_';
	}
	cp->offset = pc - fn->entry;
	dp->f = f;
	dp->fn = fn->off;
	dp->pc = pc;
	dp->ret = r->fam->kind == PP_KRETPROBE;
	cp->dwarf = dp;
	return cp;
}

/* "kernel.function("vfs_read@fs/read_write.c:450").return" */
static char *func_text(struct pt_req *r, const struct dw_func *fn,
		       const char *mod, const char *what)
{
	const char *suffix = r->fam->kind == PP_KRETPROBE ? ".return" : "";

	if (!mod)
		return xasprintf("kernel.%s(\"%s@%s:%d\")%s", what, fn->name,
				 fn->file, fn->line, suffix);
	return xasprintf("module(\"%s\").%s(\"%s@%s:%d\")%s", mod, what,
			 fn->name, fn->file, fn->line, suffix);
}

static void no_match(struct pt_req *r, const char *why)
{
	char *t;

	if (r->pp->optional)
		return;
	t = pt_written(r);
	diag_error(r->pp->loc, "no match for probe point '%s'%s%s", t,
		   why ? ": " : "", why ? why : "");
	free(t);
}

/* The functions of spec in f that the kernel can probe by name. */
/* With by_line, the function declared at s->line. */
static void matching(struct pt_req *r, struct dw_file *f,
		     const struct fspec *s, int is_kernel, int by_line,
		     struct vec *out)
{
	struct vec all = {0};
	struct dw_func *fn;

	dw_functions(f, s->name, s->file, &all);
	VEC_EACH(&all, i, fn) {
		/* A name GCC renamed (foo.isra.0) has no symbol "foo". */
		if (is_kernel && ksyms_load(r->opt->release) &&
		    !ksyms_has(fn->name))
			continue;
		if (by_line && s->line && !s->rel && fn->line != s->line)
			continue;
		vec_push(out, fn);
	}
	free(all.v);
}

static int resolve_function(struct pt_req *r, const char *mod,
			    const char *spec)
{
	struct dw_file *f = open_or_report(r, mod);
	struct vec fns = {0};
	struct dw_func *fn;
	struct fspec s;

	if (!f)
		return 0;
	split_spec(spec, &s);
	matching(r, f, &s, !mod, 1, &fns);
	VEC_EACH(&fns, i, fn)
		add_dwarf_point(r, f, fn, mod, fn->entry,
				func_text(r, fn, mod, "function"));
	if (!fns.n)
		no_match(r, NULL);
	free(fns.v);
	free_spec(&s);
	return r->added > 0;
}

int dw_res_function(struct pt_req *r, const char *module, const char *spec)
{
	return resolve_function(r, module, spec);
}

/* kernel.statement("func@file:line"): the line's first address. */
int dw_res_statement(struct pt_req *r)
{
	struct dw_file *f = open_or_report(r, NULL);
	struct vec fns = {0};
	struct dw_func *fn;
	struct fspec s;

	if (!f)
		return 0;
	split_spec(r->str[1], &s);
	if (!s.file || !s.line) {
		diag_error(r->pp->loc, "kernel.statement needs \"func@file:"
			   "line\"");
		free_spec(&s);
		return 0;
	}
	matching(r, f, &s, 1, 0, &fns);
	VEC_EACH(&fns, i, fn) {
		int want = s.rel ? fn->line + s.line : s.line;
		int line = want;
		Dwarf_Addr pc = dw_line_addr(f, fn, &line);

		if (!pc || line != want)
			continue;
		add_dwarf_point(r, f, fn, NULL, pc,
				xasprintf("kernel.statement(\"%s@%s:%d\")",
					  fn->name, fn->file, line));
	}
	if (!r->added)
		no_match(r, fns.n ? "no code at that line" : NULL);
	free(fns.v);
	free_spec(&s);
	return r->added > 0;
}
