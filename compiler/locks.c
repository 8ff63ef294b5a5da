/* locks.c - which globals each probe reads and writes, for locking.
 *
 * Globals are locked per probe, readers and writers known at
 * compile time.  A probe's set is what its body touches plus, through
 * the call graph, what every function it may call touches.  Pass 3 takes
 * the locks in the order of the program's globals, so two probes never
 * wait on each other in opposite orders.
 */
#include "elab.h"

#include <stdlib.h>

/* What one body touches directly. */
struct access {
	const void *owner;		/* struct probe or struct function */
	struct vec reads, writes;	/* of struct symbol * */
	struct vec callees;		/* of struct function * */
};

static void add_once(struct vec *v, void *p)
{
	for (int i = 0; i < v->n; i++)
		if (v->v[i] == p)
			return;
	vec_push(v, p);
}

static void walk_expr(struct access *acc, const struct expr *e, int writing);

static void read_child(void *acc, struct expr *e)
{
	walk_expr(acc, e, 0);
}

/* The globals e reads and writes; writing: e itself is written. */
static void walk_expr(struct access *acc, const struct expr *e, int writing)
{
	if (!e)
		return;
	switch (e->kind) {
	case EX_VAR:
		if (e->sym && e->sym->scope == SCOPE_GLOBAL)
			add_once(writing ? &acc->writes : &acc->reads, e->sym);
		return;
	case EX_ASSIGN:
		/* <<< adds to this CPU's part of a statistic: readers may
		 * do that side by side.  Reading one (@count...) merges
		 * every CPU's part, which needs it alone.  a[k] <<< v may
		 * insert the element: a writer. */
		walk_expr(acc, e->a, e->op != OP_AGGREGATE ||
				     e->a->kind == EX_INDEX);
		walk_expr(acc, e->b, 0);
		return;
	case EX_STAT:
	case EX_HIST:
		walk_expr(acc, e->a, 1);
		break;
	case EX_PREINC:
	case EX_POSTINC:
		walk_expr(acc, e->a, 1);
		return;
	case EX_INDEX:		/* a[k]: the array as the element */
		walk_expr(acc, e->a, writing);
		for (int i = 0; i < e->args.n; i++)
			walk_expr(acc, e->args.v[i], 0);
		return;
	case EX_CALL:
		if (e->fn)
			add_once(&acc->callees, e->fn);
		break;
	default:
		break;
	}
	ast_expr_children(e, read_child, acc);
}

static void walk_stmt(struct access *acc, const struct stmt *s)
{
	if (!s)
		return;
	walk_expr(acc, s->init, 0);
	walk_expr(acc, s->e, s->kind == ST_DELETE);
	walk_expr(acc, s->limit, 0);
	walk_expr(acc, s->step, 0);
	walk_stmt(acc, s->then);
	walk_stmt(acc, s->els);
	for (int i = 0; i < s->body.n; i++)
		walk_stmt(acc, s->body.v[i]);
}

static struct access *access_of(struct vec *all, const void *owner,
				const struct stmt *body)
{
	struct access *acc;

	VEC_EACH(all, i, acc)
		if (acc->owner == owner)
			return acc;
	acc = xcalloc(1, sizeof(*acc));
	acc->owner = owner;
	walk_stmt(acc, body);
	vec_push(all, acc);
	return acc;
}

/* Gathers reads and writes through the call graph; seen stops cycles. */
static void close_over(struct vec *all, struct access *acc, struct vec *seen,
		       struct vec *reads, struct vec *writes)
{
	struct symbol *s;
	struct function *fn;

	VEC_EACH(&acc->reads, i, s)
		add_once(reads, s);
	VEC_EACH(&acc->writes, i, s)
		add_once(writes, s);
	VEC_EACH(&acc->callees, i, fn) {
		int visited = 0;

		for (int j = 0; j < seen->n; j++)
			visited |= seen->v[j] == fn;
		if (visited)
			continue;
		vec_push(seen, fn);
		close_over(all, access_of(all, fn, fn->body), seen, reads,
			   writes);
	}
}

static int contains(const struct vec *v, const void *p)
{
	for (int i = 0; i < v->n; i++)
		if (v->v[i] == p)
			return 1;
	return 0;
}

static void free_accesses(struct vec *all)
{
	struct access *acc;

	VEC_EACH(all, i, acc) {
		free(acc->reads.v);
		free(acc->writes.v);
		free(acc->callees.v);
		free(acc);
	}
	free(all->v);
}

void locks_compute(struct program *prog)
{
	struct vec all = {0};
	struct probe *p;

	VEC_EACH(&prog->probes, i, p) {
		struct vec reads = {0}, writes = {0}, seen = {0};
		struct vec *locks = xcalloc(1, sizeof(*locks));
		struct symbol *g;

		close_over(&all, access_of(&all, p, p->body), &seen, &reads,
			   &writes);
		VEC_EACH(&prog->globals, j, g) {
			struct global_lock *l;

			if (!contains(&reads, g) && !contains(&writes, g))
				continue;
			l = xcalloc(1, sizeof(*l));
			l->sym = g;
			l->write = contains(&writes, g);
			vec_push(locks, l);
		}
		vec_push(&prog->probe_locks, locks);
		free(reads.v);
		free(writes.v);
		free(seen.v);
	}
	free_accesses(&all);
}
