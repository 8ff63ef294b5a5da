/* elab_procfs.c - pass 2: $value in a probe with procfs points.  It is
 * not a DWARF target value but the probe's file contents, kept by the
 * runtime (rt_procfs.h): reading $value becomes _procfs_value(),
 * "$value = x" _procfs_value_set(x) and "$value .= x"
 * _procfs_value_append(x), functions of tapset/procfs.stp.  Appending
 * in place lets a .read.maxsize(N) probe give more than one string's
 * MAXSTRINGLEN bytes.  Any other target value there is pass 2's usual
 * error. */
#include "elab_procfs.h"

#include <string.h>

#include "diag.h"

/* Whether p has a procfs point, resolved or written (one whose
 * arguments were refused still makes $value no DWARF target value). */
static int has_procfs(const struct program *prog, const struct probe *p)
{
	struct concrete_point *cp;
	struct probe_point *pp;

	VEC_EACH(&prog->points, i, cp)
		if (cp->probe == p && cp->kind == PP_PROCFS)
			return 1;
	VEC_EACH(&p->points, i, pp) {
		const struct pp_component *c = pp->comps.n ? pp->comps.v[0]
							   : NULL;

		if (c && !strcmp(c->name, "procfs"))
			return 1;
	}
	return 0;
}

static int is_value(const struct expr *e)
{
	return e && e->kind == EX_TARGET && !strcmp(e->str, "$value") &&
	       !e->comps.n && !e->pretty && !e->addr;
}

/* e becomes a call of fn with arg (or none). */
static void make_call(struct expr *e, const char *fn, struct expr *arg)
{
	e->kind = EX_CALL;
	e->op = OP_NONE;
	e->str = xstrdup(fn);
	e->a = e->b = NULL;
	if (arg)
		vec_push(&e->args, arg);
}

static void rewrite_expr(void *ctx, struct expr *e);

static void rewrite_assign(struct expr *e)
{
	if (e->op != '=' && e->op != OP_CAT_ASSIGN)
		diag_error(DG_PROCFS_VALUE, e->loc, "$value of a procfs probe takes only '=' "
			   "and '.=', not '%s'", op_text(e->op));
	rewrite_expr(NULL, e->b);
	make_call(e, e->op == '=' ? "_procfs_value_set"
				  : "_procfs_value_append", e->b);
}

static void rewrite_expr(void *ctx, struct expr *e)
{
	if (!e)
		return;
	if (e->kind == EX_ASSIGN && is_value(e->a)) {
		rewrite_assign(e);
		return;
	}
	if (is_value(e)) {
		make_call(e, "_procfs_value", NULL);
		return;
	}
	ast_expr_children(e, rewrite_expr, ctx);
}

static void rewrite_stmt(void *ctx, struct stmt *s)
{
	if (s)
		ast_stmt_children(s, rewrite_expr, rewrite_stmt, ctx);
}

void elab_procfs_probe(const struct program *prog, struct probe *p)
{
	if (has_procfs(prog, p))
		rewrite_stmt(NULL, p->body);
}
