/* fold_split.c - pass 2: @defined decided per concrete point.
 *
 * SystemTap gives each concrete point of a probe its own copy of the
 * body, so `@defined($x) ? $x : -1` reads $x where the point has it and
 * is -1 where it does not.  tapc keeps one body per group of points
 * that answer every @defined of the body alike: before folding, a probe
 * whose points disagree is replaced by one derived probe per group (in
 * the order of the groups' first points), each with its own copy of the
 * body, which fold.c then folds for that group alone.  A probe whose
 * points all agree (the usual case) is left as it is.
 * docs/defined-per-point.md says why.
 */
#include <stdlib.h>
#include <string.h>

#include "elab_int.h"
#include "elab_target.h"

/* The @defined of a body that ask about a target value, in tree order:
 * the only ones whose answer can depend on the point. */
static void defined_in_expr(struct expr *e, struct vec *out);

static int asks_target(const struct expr *e)
{
	const struct expr *a = e->a;

	while (a && a->kind == EX_AUTOCAST)
		a = a->a;
	return a && (a->kind == EX_TARGET || a->kind == EX_CAST ||
		     a->kind == EX_ATVAR || a->kind == EX_ENTRY ||
		     a->kind == EX_ADDR);
}

static void defined_in_child(void *out, struct expr *e)
{
	defined_in_expr(e, out);
}

static void defined_in_expr(struct expr *e, struct vec *out)
{
	if (e->kind == EX_DEFINED && asks_target(e))
		vec_push(out, e);
	ast_expr_children(e, defined_in_child, out);
}

static void defined_in_stmt(void *out, struct stmt *s)
{
	ast_stmt_children(s, defined_in_child, defined_in_stmt, out);
}

/* A group: the points that answer the body's @defined alike. */
struct group {
	char *answers;			/* one '0' or '1' per @defined */
	struct vec points;		/* of struct concrete_point * */
};

/* The answers of point cp, as a string of '0' and '1'. */
static char *answers_at(const struct program *prog,
			struct concrete_point *cp, const struct vec *defs)
{
	char *a = xcalloc(1, (size_t)defs->n + 1);
	struct expr *e;

	VEC_EACH(defs, i, e)
		a[i] = elab_target_defined_at(prog, cp, e->a) ? '1' : '0';
	return a;
}

static void group_points(const struct program *prog, const struct probe *p,
			 const struct vec *defs, struct vec *groups)
{
	struct concrete_point *cp;
	struct group *g;

	VEC_EACH(&prog->points, i, cp) {
		char *a;
		int found = 0;

		if (cp->probe != p)
			continue;
		a = answers_at(prog, cp, defs);
		VEC_EACH(groups, j, g)
			if (!found && !strcmp(g->answers, a)) {
				vec_push(&g->points, cp);
				found = 1;
			}
		if (found) {
			free(a);
			continue;
		}
		g = xcalloc(1, sizeof(*g));
		g->answers = a;
		vec_push(&g->points, cp);
		vec_push(groups, g);
	}
}

/* Probe p's replacement for the points of g: a copy of its body. */
static struct probe *group_probe(struct probe *p, const struct group *g)
{
	struct probe *q = probe_new(p->loc);
	struct concrete_point *cp;

	q->origin = p->origin ? p->origin : p;
	q->body = stmt_clone(p->body);
	VEC_EACH(&g->points, i, cp)
		cp->probe = q;
	return q;
}

static int several_points(const struct program *prog, const struct probe *p)
{
	struct concrete_point *cp;
	int n = 0;

	VEC_EACH(&prog->points, i, cp)
		if (cp->probe == p && ++n > 1)
			return 1;
	return 0;
}

/* Appends to out p itself, or its replacements when its points answer
 * its @defined differently. */
static void split_probe(struct program *prog, struct probe *p,
			struct vec *out)
{
	struct vec defs = { 0 }, groups = { 0 };
	struct group *g;

	if (several_points(prog, p))
		defined_in_stmt(&defs, p->body);
	if (defs.n)
		group_points(prog, p, &defs, &groups);
	if (groups.n < 2) {
		vec_push(out, p);
	} else {
		VEC_EACH(&groups, i, g)
			vec_push(out, group_probe(p, g));
		/* p is dropped: it stays in the arena. */
	}
	VEC_EACH(&groups, i, g) {
		free(g->answers);
		free(g->points.v);
		free(g);
	}
	free(groups.v);
	free(defs.v);
}

void fold_split(struct program *prog)
{
	struct vec probes = { 0 };
	struct probe *p;

	VEC_EACH(&prog->probes, i, p)
		split_probe(prog, p, &probes);
	free(prog->probes.v);
	prog->probes = probes;
	VEC_EACH(&prog->probes, i, p)
		p->id = i;
}
