/* elab_target.c - pass 2 for target values: attach each concrete point
 * of a probe that uses them to its function's DWARF, and type every
 * target value at every point (a value must have one type at all of
 * them; one missing anywhere is an error naming the point). */
#include "elab_target.h"
#include "tr_target.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "entry.h"

/* The target values of a body: out[0] those read where the probe fires,
 * out[1] those read at the function's entry (inside @entry). */
static void find_expr(const struct expr *e, struct vec *out, int entry);

static void find_list(const struct vec *v, struct vec *out, int entry)
{
	for (int i = 0; i < v->n; i++)
		find_expr(v->v[i], out, entry);
}

struct find {
	struct vec *out;
	int entry;
};

static void find_child(void *ctx, struct expr *e)
{
	struct find *f = ctx;

	find_expr(e, f->out, f->entry);
}

/* Every target value in e, outermost first. */
static void find_expr(const struct expr *e, struct vec *out, int entry)
{
	struct find f = { out, entry };

	if (!e)
		return;
	if (tr_target_kind(e))
		vec_push(&out[entry], (void *)e);
	if (e->kind == EX_ENTRY)
		f.entry = 1;
	ast_expr_children(e, find_child, &f);
}

static void find_stmt(const struct stmt *s, struct vec *out)
{
	if (!s)
		return;
	find_expr(s->e, out, 0);
	find_expr(s->init, out, 0);
	find_expr(s->step, out, 0);
	find_stmt(s->then, out);
	find_stmt(s->els, out);
	find_expr(s->value, out, 0);
	find_expr(s->limit, out, 0);
	find_list(&s->keys, out, 0);
	for (int i = 0; i < s->body.n; i++)
		find_stmt(s->body.v[i], out);
}

/* A tracepoint's arguments are its __traceiter_ function's (dwarf_vars.c). */
static int attach_trace(const struct concrete_point *cp, struct dw_point *dp,
			struct loc loc)
{
	struct dw_func fn;

	if (!dw_trace_func(dp->f, cp->tracepoint, &fn)) {
		diag_error(DG_TRACEPOINT_NO_DEBUGINFO,
			   loc, "no debuginfo for the arguments of tracepoint "
			   "'%s' (no __traceiter_%s in the kernel's DWARF)",
			   cp->tracepoint, cp->tracepoint);
		return 0;
	}
	dp->fn = fn.off;
	dp->pc = fn.entry;
	dp->trace = 1;
	return 1;
}

/* The DWARF of one point: its function when it probes one. */
static struct dw_point *attach(struct concrete_point *cp,
			       const char *release, struct loc loc)
{
	struct dw_point *dp;
	struct vec fns = {0};
	const char *why = NULL;
	struct dw_file *f = dw_open(release, cp->module, &why);
	struct dw_func *fn;

	if (!f) {
		diag_error(DG_NO_DEBUGINFO,
			   loc, "target values need the debuginfo of %s: %s",
			   cp->module ? cp->module : "the kernel", why);
		return NULL;
	}
	dp = xcalloc(1, sizeof(*dp));
	dp->f = f;
	if (cp->symbol && (cp->kind == PP_KPROBE || cp->kind == PP_KRETPROBE)) {
		dw_functions(f, cp->symbol, NULL, &fns);
		if (!fns.n) {
			diag_error(DG_FUNCTION_NO_DEBUGINFO,
				   loc, "no debuginfo for function '%s' (it "
				   "may be inline-only or not in the kernel "
				   "image)", cp->symbol);
			free(dp);
			return NULL;
		}
		fn = fns.v[0];
		dp->fn = fn->off;
		dp->pc = fn->entry;
		dp->ret = cp->kind == PP_KRETPROBE;
		free(fns.v);
	} else if (cp->kind == PP_TRACE && !attach_trace(cp, dp, loc)) {
		free(dp);
		return NULL;
	}
	return dp;
}

/* Types target value e at every point of p (read at the function's
 * entry when entry is set). */
static void type_use(struct program *prog, struct probe *p, struct expr *e,
		     int entry)
{
	struct tgt_ctx x = { .entry = entry };
	enum type first = TY_UNKNOWN, t;
	struct concrete_point *cp;

	VEC_EACH(&prog->points, j, cp) {
		char *c;

		if (cp->probe != p)
			continue;
		c = tr_target(cp, e, &x, &t, 1);
		if (!c)
			break;
		free(c);
		if (first == TY_UNKNOWN)
			first = t;
		else if (t != first) {
			diag_error(DG_TARGET_TYPE_DIFFERS,
				   e->loc, "'%s' is a %s at one point and a %s "
				   "at %s", e->str, type_name(first),
				   type_name(t), cp->text);
			break;
		}
	}
	e->type = first;
}

/* kprobe.function/module probes are placed by symbol alone, as stap's
 * DWARFLESS family: their $vars would need the debuginfo they exist to
 * do without.  Reports the first such use; 1 if there is one. */
static int kprobe_use(const struct program *prog, const struct probe *p,
		      const struct vec *uses)
{
	struct concrete_point *cp;
	struct expr *e;

	VEC_EACH(&prog->points, i, cp) {
		if (cp->probe != p || strncmp(cp->text, "kprobe.", 7))
			continue;
		VEC_EACH(uses, j, e) {
			if (e->kind != EX_TARGET)
				continue;
			diag_error(DG_KPROBE_TARGET_VARIABLE,
				   e->loc, "target variable '%s' in %s: "
				   "kprobe.* probes use no debuginfo; use "
				   "kernel.function(...) for target variables",
				   e->str, cp->text);
			return 1;
		}
	}
	return 0;
}

/* An assignment to $verdict in e (elab.c reports other target values
 * assigned); its target, or NULL. */
static const struct expr *find_assign(const struct expr *e);

struct assign {
	const struct expr *found;
};

static void assign_child(void *ctx, struct expr *e)
{
	struct assign *a = ctx;

	if (!a->found)
		a->found = find_assign(e);
}

static const struct expr *find_assign(const struct expr *e)
{
	struct assign a = { NULL };

	if (!e)
		return NULL;
	if (e->kind == EX_ASSIGN && e->a && e->a->kind == EX_TARGET &&
	    !e->a->comps.n && !strcmp(e->a->str, "$verdict"))
		return e->a;
	ast_expr_children(e, assign_child, &a);
	return a.found;
}

/* The first assignment to $verdict in statement s, or NULL. */
static const struct expr *stmt_assign(const struct stmt *s)
{
	const struct expr *t = NULL;

	if (!s)
		return NULL;
	const struct expr *es[] = { s->e, s->init, s->step, s->value,
				    s->limit };
	for (size_t i = 0; !t && i < sizeof(es) / sizeof(es[0]); i++)
		t = find_assign(es[i]);
	if (!t)
		t = stmt_assign(s->then);
	if (!t)
		t = stmt_assign(s->els);
	for (int i = 0; !t && i < s->body.n; i++)
		t = stmt_assign(s->body.v[i]);
	return t;
}

/* $verdict is assignable only at netfilter hooks: reports the first
 * assignment in a probe with another kind of point. */
static void check_assigns(const struct program *prog, const struct probe *p)
{
	const struct concrete_point *cp;
	const struct expr *t;

	VEC_EACH(&prog->points, i, cp) {
		if (cp->probe != p || cp->kind == PP_NETFILTER)
			continue;
		t = stmt_assign(p->body);
		if (t)
			diag_error(DG_TARGET_ASSIGN, t->loc,
				   "'%s' can only be assigned in a "
				   "netfilter probe, not in %s", t->str,
				   cp->text);
		return;
	}
}

void elab_target_probe(struct program *prog, struct probe *p,
		       const char *release)
{
	struct vec uses[2] = {{0}, {0}};
	struct concrete_point *cp;
	struct expr *e;

	entry_rewrite(prog, p);
	find_stmt(p->body, uses);
	if (!uses[0].n && !uses[1].n)
		return;
	if (kprobe_use(prog, p, &uses[0]) || kprobe_use(prog, p, &uses[1]))
		goto out;
	check_assigns(prog, p);
	VEC_EACH(&prog->points, i, cp) {
		if (cp->probe != p)
			continue;
		if (!cp->dwarf)
			cp->dwarf = cp->dwarf_at ? cp->dwarf_at
				  : attach(cp, release, p->loc);
		if (!cp->dwarf)
			goto out;
	}
	for (int k = 0; k < 2; k++)
		VEC_EACH(&uses[k], i, e)
			type_use(prog, p, e, k);
out:
	free(uses[0].v);
	free(uses[1].v);
}

static int defined_in(struct concrete_point *cp, const struct expr *e);

struct defined {
	struct concrete_point *cp;
	int ok;
};

static void defined_child(void *ctx, struct expr *e)
{
	struct defined *d = ctx;

	if (d->ok)
		d->ok = defined_in(d->cp, e);
}

/* Whether every target value in e resolves at cp's function: @entry(x)
 * asks about x, and @var, which tapc does not support, is never
 * defined. */
static int defined_in(struct concrete_point *cp, const struct expr *e)
{
	/* In a .return probe a parameter is read at the entry; $return is
	 * the only value read where the probe fires. */
	struct tgt_ctx x = { .entry = 1 };
	struct defined d = { cp, 1 };
	enum type t;
	char *c;

	if (!e)
		return 1;
	if (e->kind == EX_ATVAR)
		return 0;
	if (tr_target_kind(e)) {
		x.entry = e->kind != EX_TARGET || strcmp(e->str, "$return");
		c = tr_target(cp, e, &x, &t, 0);
		free(c);
		return c != NULL;
	}
	ast_expr_children(e, defined_child, &d);
	return d.ok;
}

int elab_target_defined_at(const struct program *prog,
			   struct concrete_point *cp, const struct expr *e)
{
	const char *why;

	/* @defined is folded before elab_target_probe() runs; a point with
	 * no function (begin, timer...) has no $vars. */
	if (!cp->dwarf && cp->dwarf_at)
		cp->dwarf = cp->dwarf_at;
	if (!cp->dwarf && (cp->symbol || cp->kind == PP_NETFILTER) &&
	    dw_open(prog->release, NULL, &why))	/* else 0, quietly */
		cp->dwarf = attach(cp, prog->release, e->loc);
	if (!cp->dwarf)
		return 0;
	return defined_in(cp, e);
}

int elab_target_defined(const struct program *prog, const struct probe *p,
			const struct expr *e)
{
	struct concrete_point *cp;
	int any = 0;

	VEC_EACH(&prog->points, i, cp) {
		if (cp->probe != p)
			continue;
		if (!elab_target_defined_at(prog, cp, e))
			return 0;
		any = 1;
	}
	return any;
}

void elab_target_resolve(const struct loc *fn_loc, const struct expr *e)
{
	if (fn_loc)
		diag_error(DG_TARGET_IN_FUNCTION,
			   e->loc, "target values are only available in "
			   "probe bodies, not in functions");
}
