/* elab_entry.c - @entry(expr) in .return probes, pass 2.
 *
 * An @entry expression is evaluated when the probed function is entered
 * (the kretprobe's entry handler) and read back when it returns.  As in
 * stap, a target value other than $return in a .return probe means its
 * value at the entry: `$how->flags` there is rewritten to
 * `@entry($how->flags)`, marked implicit (num = 1) because a probe may
 * also have points that are not .return, where it is read directly.
 *
 * Each EX_ENTRY of a probe body is one slot of the data the kretprobe
 * keeps per call; entry_list() gives them in slot order for pass 3.
 */
#include "entry.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"

typedef int (*entry_fn)(struct expr *e, void *arg);

static void walk_expr(struct expr *e, entry_fn fn, void *arg);

static void walk_list(const struct vec *v, entry_fn fn, void *arg)
{
	for (int i = 0; i < v->n; i++)
		walk_expr(v->v[i], fn, arg);
}

struct entry_walk {
	entry_fn fn;
	void *arg;
};

static void walk_child(void *w, struct expr *e)
{
	struct entry_walk *x = w;

	walk_expr(e, x->fn, x->arg);
}

/* Calls fn on e and, if it returns non-zero, on what e contains. */
static void walk_expr(struct expr *e, entry_fn fn, void *arg)
{
	struct entry_walk w = { fn, arg };

	if (!e || !fn(e, arg))
		return;
	ast_expr_children(e, walk_child, &w);
}

static void walk_stmt(struct stmt *s, entry_fn fn, void *arg)
{
	if (!s)
		return;
	walk_expr(s->e, fn, arg);
	walk_expr(s->init, fn, arg);
	walk_expr(s->step, fn, arg);
	walk_stmt(s->then, fn, arg);
	walk_stmt(s->els, fn, arg);
	walk_expr(s->value, fn, arg);
	walk_expr(s->limit, fn, arg);
	walk_list(&s->keys, fn, arg);
	for (int i = 0; i < s->body.n; i++)
		walk_stmt(s->body.v[i], fn, arg);
}

int entry_implicit(const struct expr *e)
{
	return e->kind == EX_ENTRY && e->num == 1;
}

/* ---- the rewrite of $param in .return probes ---- */

static int is_return_value(const struct expr *e)
{
	return !strcmp(e->str, "$return") || !strcmp(e->str, "$$return");
}

/* e, a target value, becomes @entry(copy of e), in place. */
static void wrap(struct expr *e)
{
	struct expr *inner = expr_new(e->kind, e->loc);

	*inner = *e;
	memset(e, 0, sizeof(*e));
	e->kind = EX_ENTRY;
	e->loc = inner->loc;
	e->num = 1;
	e->a = inner;
}

static int rewrite_one(struct expr *e, void *arg)
{
	(void)arg;
	if (e->kind == EX_ENTRY)
		return 0;	/* already at the entry */
	if (e->kind == EX_TARGET && !is_return_value(e)) {
		wrap(e);
		return 0;
	}
	return 1;
}

/* ---- checks ---- */

struct check {
	int all_return;			/* every point is a .return */
};

static int check_inside(struct expr *e, void *arg)
{
	if (e->kind == EX_ENTRY) {
		diag_error(DG_ENTRY_NESTED, e->loc, "@entry inside @entry");
		return 0;
	}
	if (e->kind == EX_VAR) {
		diag_error(DG_ENTRY_SCRIPT_VARIABLE,
			   e->loc, "@entry cannot use the script variable "
			   "'%s': its expression is evaluated at the "
			   "function's entry", e->str);
		return 0;
	}
	(void)arg;
	return 1;	/* $return there: tr_target.c says it */
}

static int check_one(struct expr *e, void *arg)
{
	struct check *k = arg;
	if (e->kind != EX_ENTRY)
		return 1;
	if (!entry_implicit(e) && !k->all_return)
		diag_error(DG_ENTRY_OUTSIDE_RETURN,
			   e->loc, "@entry is only available in .return "
			   "probes");
	else
		walk_expr(e->a, check_inside, NULL);
	return 0;
}

void entry_rewrite(struct program *prog, struct probe *p)
{
	struct concrete_point *cp;
	struct check k = { .all_return = 1 };
	int any_return = 0;

	VEC_EACH(&prog->points, i, cp) {
		if (cp->probe != p)
			continue;
		if (cp->kind == PP_KRETPROBE)
			any_return = 1;
		else
			k.all_return = 0;
	}
	if (any_return)
		walk_stmt(p->body, rewrite_one, NULL);
	walk_stmt(p->body, check_one, &k);
}

/* ---- the slots ---- */

static int collect(struct expr *e, void *arg)
{
	if (e->kind != EX_ENTRY)
		return 1;
	vec_push(arg, e);
	return 0;
}

void entry_list(const struct probe *p, struct vec *out)
{
	walk_stmt(p->body, collect, out);
}

int entry_used(const struct probe *p)
{
	struct vec v = {0};
	int n;

	entry_list(p, &v);
	n = v.n;
	free(v.v);
	return n > 0;
}
