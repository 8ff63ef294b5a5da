/* elide.c - pass 2: what the program never uses is not translated.
 *
 * After resolution: a function of the script no probe reaches, and a
 * local that is written but never read, are dropped with SystemTap's
 * warnings.  An assignment to such a local goes; its right side stays
 * as a statement if it has side effects (a call, an assignment, ++).
 * Dropping one assignment may leave another local unread, so this runs
 * until nothing changes.  Code from tapsets is elided silently, as in
 * SystemTap, whose warnings are about the user's script.
 */
#include <stdlib.h>
#include <string.h>

#include "elab_int.h"

struct use {
	const struct symbol *sym;
	int reads;
	int uses;		/* every mention */
	int plain_writes;	/* as "sym = expr" statements */
};

struct elide {
	struct vec uses;	/* of struct use *, of the body's locals */
	struct vec warned;	/* of struct loc *: clones of a body warn once */
};

static struct use *use_of(struct elide *d, const struct symbol *s)
{
	struct use *u;

	VEC_EACH(&d->uses, i, u)
		if (u->sym == s)
			return u;
	return NULL;
}

static void count_expr(struct elide *d, const struct expr *e, int read);

static void count_child_expr(void *d, struct expr *e)
{
	count_expr(d, e, 1);
}

static void count_expr(struct elide *d, const struct expr *e, int read)
{
	struct use *u;

	if (!e)
		return;
	if (e->kind == EX_VAR && (u = use_of(d, e->sym))) {
		u->uses++;
		u->reads += read;
		return;
	}
	/* The target of a plain '=' is written, not read. */
	if (e->kind == EX_ASSIGN && e->op == '=') {
		count_expr(d, e->a, 0);
		count_expr(d, e->b, 1);
		return;
	}
	ast_expr_children(e, count_child_expr, d);
}

static int plain_write(const struct stmt *s)
{
	return s->kind == ST_EXPR && s->e->kind == EX_ASSIGN &&
	       s->e->op == '=' && s->e->a->kind == EX_VAR;
}

static void count_stmt(void *ctx, struct stmt *s)
{
	struct elide *d = ctx;
	struct use *u;

	if (!s)
		return;
	if (plain_write(s) && (u = use_of(d, s->e->a->sym)))
		u->plain_writes++;
	ast_stmt_children(s, count_child_expr, count_stmt, d);
}

static int has_effects(const struct expr *e);

static void effects_in_child(void *any, struct expr *e)
{
	*(int *)any |= has_effects(e);
}

/* Whether evaluating e can change anything or print. */
static int has_effects(const struct expr *e)
{
	int any = 0;

	if (!e)
		return 0;
	switch (e->kind) {
	case EX_NUM:
	case EX_STR:
	case EX_VAR:
		return 0;
	case EX_INDEX:
	case EX_IN:
	case EX_UNARY:
	case EX_BINARY:
	case EX_TERNARY:
		ast_expr_children(e, effects_in_child, &any);
		return any;
	default:		/* calls, assignments, target reads... */
		return 1;
	}
}

static int warn_once(struct elide *d, struct loc loc)
{
	struct loc *l;

	if (!loc.src || loc.src->is_tapset)
		return 0;
	VEC_EACH(&d->warned, i, l)
		if (l->src == loc.src && l->line == loc.line &&
		    l->col == loc.col)
			return 0;
	l = xmalloc(sizeof(*l));
	*l = loc;
	vec_push(&d->warned, l);
	return 1;
}

/* Rewrites the statements "sym = expr" of an unread local. */
static void drop_writes(struct elide *d, struct stmt *s,
			const struct symbol *sym)
{
	if (!s)
		return;
	if (plain_write(s) && s->e->a->sym == sym) {
		struct expr *assign = s->e, *rhs = assign->b;

		if (warn_once(d, s->e->loc))
			diag_warning(DG_ELIDE_ASSIGNMENT,
				     s->e->loc, "eliding assignment to '%s'",
				     sym->name);
		if (has_effects(rhs)) {
			s->e = rhs;
			assign->b = NULL;
		} else {
			s->kind = ST_EMPTY;
			s->e = NULL;
		}
		return;	/* the dropped nodes stay in the arena (ast.c) */
	}
	drop_writes(d, s->then, sym);
	drop_writes(d, s->els, sym);
	for (int i = 0; i < s->body.n; i++)
		drop_writes(d, s->body.v[i], sym);
}

/* One round over a body; returns whether a local went. */
static int elide_round(struct elide *d, struct vec *locals, struct stmt *body)
{
	struct symbol *s;
	struct use *u;
	int kept = 0, changed = 0;

	VEC_EACH(locals, i, s) {
		u = xcalloc(1, sizeof(*u));
		u->sym = s;
		vec_push(&d->uses, u);
	}
	count_stmt(d, body);
	VEC_EACH(locals, i, s) {
		u = use_of(d, s);
		if (u->reads || u->uses != u->plain_writes) {
			locals->v[kept++] = s;
			continue;
		}
		drop_writes(d, body, s);
		if (warn_once(d, s->loc))
			diag_warning(DG_ELIDE_VARIABLE,
				     s->loc, "eliding unused variable '%s'",
				     s->name);
		/* s is dropped (its writes were its only mentions): it
		 * stays in the arena. */
		changed = 1;
	}
	locals->n = kept;
	VEC_EACH(&d->uses, i, u)
		free(u);
	d->uses.n = 0;
	return changed;
}

static void elide_body(struct elide *d, struct vec *locals, struct stmt *body)
{
	while (elide_round(d, locals, body))
		;
}

void elide_unused(struct elab *el)
{
	struct program *prog = el->prog;
	struct elide d = { 0 };
	struct function *fn;
	struct probe *p;

	VEC_EACH(&prog->script->functions, i, fn)
		if (!fn->used)
			diag_warning(DG_ELIDE_FUNCTION,
				     fn->loc, "eliding unused function '%s'",
				     fn->name);
	VEC_EACH(&prog->probes, i, p)
		elide_body(&d, &p->locals, p->body);
	VEC_EACH(&prog->functions, i, fn)
		if (fn->body)
			elide_body(&d, &fn->locals, fn->body);
	free(d.uses.v);
	for (int i = 0; i < d.warned.n; i++)
		free(d.warned.v[i]);
	free(d.warned.v);
}
