/* points_dwarf.c - the probe points that need DWARF:
 *
 *   kernel.function("name@file[:line]")[.return]   names and files by DWARF
 *   kernel.statement("func@file:line")             a line, by the line table
 *   kernel.statement("func@file:N-M"), ("func@file:*")
 *                                                  each line of a range, or of
 *                                                  the function, with code
 *   kernel.statement("func@file+N")                N lines after its declaration
 *   module("m").statement("func@file:line")        the same in a module
 *   module("m").function("name@file")[.return]     a module's function
 *   kernel.function("name").inline                 its inline instances
 *
 * Each concrete point gets its DWARF (a struct dw_point) at once, so the
 * target values of its probe are read at the right place.  Probes are
 * placed by symbol + offset: the kernel's kprobes resolve the symbol at
 * load time, whatever KASLR did.
 */
#include "points_dwarf.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "elab.h"
#include "kintro/ksyms.h"
#include "points_int.h"
#include "elab_target.h"

/* "name@file:line" split; line 0 when not given. */
struct fspec {
	char *name;
	char *file;
	int line;
	int rel;	/* "+line": relative to the function's declaration */
	int last;	/* ":N-M": M, ":*": INT_MAX (line 1); else 0 */
};

/* After the ':' of "name@file:": "*", "N-M" or "N". */
static void split_lines(const char *s, struct fspec *f)
{
	const char *dash;

	if (!strcmp(s, "*")) {
		f->line = 1;
		f->last = INT_MAX;
		return;
	}
	f->line = atoi(s);
	dash = strchr(s, '-');
	if (dash && !f->rel)
		f->last = atoi(dash + 1);
}

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
		split_lines(colon + 1, f);
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
		diag_error(DG_NO_DEBUGINFO,
			   r->pp->loc, "%s%s: %s", mod ? "module " : "",
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
	if (mod)
		cp->module = pt_kernel_modname(mod);
	cp->offset = pc - fn->entry;
	dp->f = f;
	dp->fn = fn->off;
	dp->pc = pc;
	dp->ret = r->fam->kind == PP_KRETPROBE;
	cp->dwarf = dp;
	return cp;
}

/* The written point's last component when it is .call, .inline or
 * .return, which the resolved texts keep (as stap's pp() does). */
static const char *suffix_of(const struct pt_req *r)
{
	const struct pp_component *c = r->pp->comps.v[r->pp->comps.n - 1];

	if (!strcmp(c->name, "call"))
		return ".call";
	if (!strcmp(c->name, "inline"))
		return ".inline";
	if (!strcmp(c->name, "return"))
		return ".return";
	return "";
}

enum pt_inline_mode pt_inline_mode(const struct pt_req *r)
{
	const char *sfx = suffix_of(r);
	const struct pp_component *c = r->pp->comps.v[0];

	if (!strcmp(c->name, "kprobe") || !strcmp(sfx, ".call") ||
	    !strcmp(sfx, ".return"))
		return PT_INLINE_NONE;
	return !strcmp(sfx, ".inline") ? PT_INLINE_ONLY : PT_INLINE_ALSO;
}

/* "kernel.function("vfs_read@fs/read_write.c:450").return" */
static char *named_text(const struct pt_req *r, const char *name,
			const char *file, int line, const char *mod,
			const char *what)
{
	const char *suffix = suffix_of(r);

	if (!mod)
		return xasprintf("kernel.%s(\"%s@%s:%d\")%s", what, name,
				 file, line, suffix);
	return xasprintf("module(\"%s\").%s(\"%s@%s:%d\")%s", mod, what,
			 name, file, line, suffix);
}

static char *func_text(struct pt_req *r, const struct dw_func *fn,
		       const char *mod, const char *what)
{
	return named_text(r, fn->name, fn->file, fn->line, mod, what);
}

static void no_match(struct pt_req *r, const char *why)
{
	char *t;

	if (r->pp->optional)
		return;
	t = pt_written(r);
	diag_error(DG_NO_MATCH,
		   r->pp->loc, "no match for probe point '%s'%s%s", t,
		   why ? ": " : "", why ? why : "");
	free(t);
}

/* The functions of spec in f that the kernel can probe by name.  With
 * by_line, the function declared at s->line (or in s->line..s->last). */
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
		if (by_line && s->line && !s->rel && !s->last &&
		    fn->line != s->line)
			continue;
		if (by_line && s->last &&
		    (fn->line < s->line || fn->line > s->last))
			continue;
		vec_push(out, fn);
	}
	free(all.v);
}

/* ---- inline instances ---- */

/*
 * Where the kprobe of an inline instance goes, as symbol + offset: the
 * kernel resolves the symbol at load time, whatever KASLR did.  In
 * vmlinux the symbol is the one System.map says holds the address (a
 * clone such as foo.isra.0 included); a name several static functions
 * share would be ambiguous, so then the offset is from _stext (KASLR
 * moves the whole image as one).  In a module, the out-of-line function
 * holding the instance, which must be in the module's symbol table.
 */
static int inline_anchor(struct pt_req *r, struct dw_file *f,
			 const struct dw_inline *in, const char *mod,
			 char **sym, uint64_t *off)
{
	Dwarf_Die caller;
	Dwarf_Addr lo, hi;
	struct vec names = {0};
	const char *name;
	int unique;

	if (!mod) {
		/* an instance starting at a static branch or static call is
		 * code the kernel rewrites, and refuses to kprobe */
		if (ksyms_patched(in->entry)) {
			r->patched++;
			return 0;
		}
		name = ksyms_at(in->entry, off, &unique);
		if (!name || ksyms_refused(name))
			return 0;
		if (!unique) {
			name = "_stext";
			*off = in->entry - ksyms_addr(name);
		}
		*sym = xstrdup(name);
		return 1;
	}
	if (!dwarf_offdie(dw_dwarf(f), in->caller, &caller) ||
	    dwarf_lowpc(&caller, &lo) || dwarf_highpc(&caller, &hi) ||
	    in->entry < lo || in->entry >= hi || !(name = dwarf_diename(&caller)))
		return 0;
	ksyms_module_match(r->opt->release, mod, name, &names);
	free(names.v);
	if (!names.n)
		return 0;
	*sym = xstrdup(name);
	*off = in->entry - lo;
	return 1;
}

/*
 * Whether an instance of name sits in name's own out-of-line body (sym,
 * or a part GCC split off it: name.part.0, name.cold), which only calls
 * through name's entry reach: GCC splits a function and inlines a piece
 * back (netif_carrier_off on 6.1 and 6.12 holds an instance of itself
 * at +0x1c), so with the out-of-line copy probed too every call would
 * fire twice.  A clone (name.isra.0, name.constprop.0) is called
 * directly, so an instance in it stays.
 */
static int inside_itself(const char *name, const char *sym)
{
	size_t n = strlen(name);

	return !strncmp(sym, name, n) &&
	       (!sym[n] || !strncmp(sym + n, ".part.", 6) ||
		!strncmp(sym + n, ".cold", 5));
}

/* One kprobe per inline instance of the functions of spec (a name
 * pattern, @file optional), reading target values at the instance. */
int pt_res_inline(struct pt_req *r, const char *mod, const char *spec)
{
	const char *why = NULL;
	struct dw_file *f = dw_open(r->opt->release, mod, &why);
	struct vec ins = {0};
	struct dw_inline *in;
	struct fspec s;
	int added = r->added;
	int also = pt_inline_mode(r) == PT_INLINE_ALSO;

	if (!f)		/* no debuginfo: no inline instances to find */
		return 0;
	if (!mod)
		ksyms_load(r->opt->release);
	split_spec(spec, &s);
	dw_inlines(f, s.name, s.file, &ins);
	VEC_EACH(&ins, i, in) {
		struct concrete_point *cp;
		struct dw_point *dp;
		char *sym;
		uint64_t off;

		if ((s.line && !s.rel && !s.last && in->line != s.line) ||
		    !inline_anchor(r, f, in, mod, &sym, &off))
			continue;
		if (also && inside_itself(in->name, sym)) {
			free(sym);
			continue;
		}
		cp = pt_add(r, PP_KPROBE, named_text(r, in->name, in->file,
						      in->line, mod,
						      "function"));
		cp->symbol = sym;
		cp->offset = off;
		if (mod)
			cp->module = pt_kernel_modname(mod);
		dp = xcalloc(1, sizeof(*dp));
		dp->f = f;
		dp->fn = in->off;
		dp->pc = in->entry;
		cp->dwarf_at = dp;
	}
	free_spec(&s);
	dw_inlines_free(&ins);
	return r->added - added;
}

int pt_inline_only(struct pt_req *r, const char *mod, const char *spec)
{
	const char *why = NULL;
	struct dw_file *f;
	struct vec ins = {0};
	struct fspec s;
	int n;

	if (pt_inline_mode(r) == PT_INLINE_ONLY ||
	    !strcmp(((struct pp_component *)r->pp->comps.v[0])->name,
		    "kprobe") ||
	    !(f = dw_open(r->opt->release, mod, &why)))
		return 0;
	split_spec(spec, &s);
	dw_inlines(f, s.name, s.file, &ins);
	free_spec(&s);
	n = ins.n;
	dw_inlines_free(&ins);
	return n > 0;
}

static int resolve_function(struct pt_req *r, const char *mod,
			    const char *spec)
{
	enum pt_inline_mode inl = pt_inline_mode(r);
	struct dw_file *f = open_or_report(r, mod);
	struct vec fns = {0};
	struct dw_func *fn;
	struct fspec s;

	if (!f)
		return 0;
	split_spec(spec, &s);
	if (inl != PT_INLINE_ONLY)
		matching(r, f, &s, !mod, 1, &fns);
	VEC_EACH(&fns, i, fn)
		add_dwarf_point(r, f, fn, mod, fn->entry,
				func_text(r, fn, mod, "function"));
	if (inl != PT_INLINE_NONE)
		pt_res_inline(r, mod, spec);
	/* The out-of-line points here carry their DWARF: so do these, or
	 * the probe would mix per-point and shared handlers. */
	for (int i = r->prog->points.n - r->added; i < r->prog->points.n; i++) {
		struct concrete_point *cp = r->prog->points.v[i];

		if (!cp->dwarf)
			cp->dwarf = cp->dwarf_at;
	}
	if (!r->added)
		no_match(r, r->patched ? PT_PATCHED_WHY :
			    pt_inline_only(r, mod, spec) ? PT_INLINE_ONLY_WHY :
			    NULL);
	free(fns.v);
	free_spec(&s);
	return r->added > 0;
}

int pt_res_function(struct pt_req *r, const char *module, const char *spec)
{
	return resolve_function(r, module, spec);
}

/* One statement point of fn at line's first address: 1 if added. */
static int add_statement(struct pt_req *r, struct dw_file *f,
			 struct dw_func *fn, const char *mod, int line)
{
	int found = line;
	Dwarf_Addr pc = dw_line_addr(f, fn, &found);

	if (!pc || found != line)
		return 0;
	add_dwarf_point(r, f, fn, mod, pc,
			named_text(r, fn->name, fn->file, line, mod,
				   "statement"));
	return 1;
}

/* ":N-M" and ":*": a point at each line of the range with code in fn,
 * the nearest line with code at or after each one found.  "*" starts
 * at fn's declaration: lines before it are of functions inlined in it. */
static void add_statement_range(struct pt_req *r, struct dw_file *f,
				struct dw_func *fn, const char *mod,
				const struct fspec *s)
{
	int line = s->last == INT_MAX && fn->line > s->line ? fn->line
							     : s->line;

	while (line <= s->last) {
		int found = line;

		if (!dw_line_addr(f, fn, &found) || found > s->last)
			return;
		add_statement(r, f, fn, mod, found);
		line = found + 1;
	}
}

/* kernel.statement("func@file:line") and module("m").statement(...):
 * the line's first address; a range or "*" gives a point a line. */
int pt_res_statement(struct pt_req *r)
{
	const char *mod = r->has[0] ? r->str[0] : NULL;	/* module(S) */
	struct dw_file *f = open_or_report(r, mod);
	struct vec fns = {0};
	struct dw_func *fn;
	struct fspec s;

	if (!f)
		return 0;
	split_spec(r->str[1], &s);
	if (!s.file || !s.line) {
		diag_error(DG_STATEMENT_SPEC,
			   r->pp->loc, "%s.statement needs \"func@file:"
			   "line\"", mod ? "module(...)" : "kernel");
		free_spec(&s);
		return 0;
	}
	matching(r, f, &s, !mod, 0, &fns);
	VEC_EACH(&fns, i, fn) {
		if (s.last)
			add_statement_range(r, f, fn, mod, &s);
		else
			add_statement(r, f, fn, mod,
				      s.rel ? fn->line + s.line : s.line);
	}
	if (!r->added)
		no_match(r, fns.n ? "no code at that line" : NULL);
	free(fns.v);
	free_spec(&s);
	return r->added > 0;
}
