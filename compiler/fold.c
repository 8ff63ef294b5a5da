/* fold.c - pass 2: @defined, and constant folding before resolution.
 *
 * Runs on each probe body (after alias expansion, so a derived probe
 * knows its concrete points) and on each function body as it is first
 * reached, before names are resolved and types inferred.  An `if`, a
 * `?:` or a `while` whose condition folds to a constant loses its dead
 * branch here, so what the branch holds is never resolved or typed: the
 * usual guard `@defined($var) ? $var : 0` needs this, as in SystemTap.
 *
 * Arithmetic folds with the runtime's 64-bit wrapping semantics; a
 * division by zero or INT64_MIN / -1 is left for the runtime's located
 * error.
 */
#include <stdlib.h>
#include <string.h>

#include "elab_int.h"
#include "elab_target.h"

struct fold {
	const struct program *prog;
	const struct probe *probe;	/* NULL in a function */
};

static int is_target(const struct expr *e)
{
	switch (e->kind) {
	case EX_TARGET:
	case EX_CAST:
	case EX_ATVAR:
	case EX_ENTRY:
	case EX_ADDR:
		return 1;
	case EX_AUTOCAST:
		return is_target(e->a);
	default:
		return 0;
	}
}

/* A number or a string where e was (its loc). */
static struct expr *num_at(const struct expr *e, int64_t v)
{
	struct expr *n = expr_new(EX_NUM, e->loc);

	n->num = v;
	return n;
}

static struct expr *str_at(const struct expr *e, char *str)
{
	struct expr *n = expr_new(EX_STR, e->loc);

	n->str = str;
	return n;
}

static int fold_long(int op, int64_t a, int64_t b, int64_t *r)
{
	uint64_t ua = (uint64_t)a, ub = (uint64_t)b;

	switch (op) {
	case '+': *r = (int64_t)(ua + ub); return 1;
	case '-': *r = (int64_t)(ua - ub); return 1;
	case '*': *r = (int64_t)(ua * ub); return 1;
	case '/':
	case '%':
		if (b == 0 || (a == INT64_MIN && b == -1))
			return 0;	/* the runtime reports it */
		*r = op == '/' ? a / b : a % b;
		return 1;
	case '&': *r = a & b; return 1;
	case '|': *r = a | b; return 1;
	case '^': *r = a ^ b; return 1;
	case OP_SHL:
	case OP_SHR:
		if (b < 0 || b > 63)
			return 0;
		*r = op == OP_SHL ? (int64_t)(ua << b) : a >> b;
		return 1;
	case OP_EQ: *r = a == b; return 1;
	case OP_NE: *r = a != b; return 1;
	case '<': *r = a < b; return 1;
	case '>': *r = a > b; return 1;
	case OP_LE: *r = a <= b; return 1;
	case OP_GE: *r = a >= b; return 1;
	case OP_AND: *r = a && b; return 1;
	case OP_OR: *r = a || b; return 1;
	default: return 0;
	}
}

static int fold_strcmp(int op, const char *a, const char *b, int64_t *r)
{
	int c = strcmp(a, b);

	switch (op) {
	case OP_EQ: *r = c == 0; return 1;
	case OP_NE: *r = c != 0; return 1;
	case '<': *r = c < 0; return 1;
	case '>': *r = c > 0; return 1;
	case OP_LE: *r = c <= 0; return 1;
	case OP_GE: *r = c >= 0; return 1;
	default: return 0;
	}
}

/*
 * Each fold gets the slot that holds its node and puts what the node
 * folds to there: a new number or string, or the branch kept.  What it
 * replaces is dropped, not freed: the tree lives until exit (ast.c).
 */
static void fold_slot(struct fold *f, struct expr **slot);

static void fold_binary(struct fold *f, struct expr **slot)
{
	struct expr *e = *slot, *a, *b;
	int64_t r;

	fold_slot(f, &e->a);
	a = e->a;
	/* && and || decided by their left operand drop the right one,
	 * which would not have run. */
	if (a->kind == EX_NUM && ((e->op == OP_AND && !a->num) ||
				  (e->op == OP_OR && a->num))) {
		*slot = num_at(e, e->op == OP_OR);
		return;
	}
	fold_slot(f, &e->b);
	b = e->b;
	if (a->kind == EX_NUM && b->kind == EX_NUM &&
	    fold_long(e->op, a->num, b->num, &r))
		*slot = num_at(e, r);
	else if (a->kind == EX_STR && b->kind == EX_STR && e->op == '.')
		*slot = str_at(e, xasprintf("%s%s", a->str, b->str));
	else if (a->kind == EX_STR && b->kind == EX_STR &&
		 fold_strcmp(e->op, a->str, b->str, &r))
		*slot = num_at(e, r);
}

static void fold_unary(struct fold *f, struct expr **slot)
{
	struct expr *e = *slot;
	int64_t v;

	fold_slot(f, &e->a);
	if (e->a->kind != EX_NUM)
		return;
	v = e->a->num;
	switch (e->op) {
	case '-': *slot = num_at(e, (int64_t)(0 - (uint64_t)v)); break;
	case '+': *slot = num_at(e, v); break;
	case '!': *slot = num_at(e, !v); break;
	case '~': *slot = num_at(e, ~v); break;
	default: break;
	}
}

static void fold_ternary(struct fold *f, struct expr **slot)
{
	struct expr *e = *slot;

	fold_slot(f, &e->a);
	if (e->a->kind == EX_NUM) {
		*slot = e->a->num ? e->b : e->c;
		fold_slot(f, slot);
		return;
	}
	fold_slot(f, &e->b);
	fold_slot(f, &e->c);
}

static void fold_child_slot(void *f, struct expr **slot)
{
	fold_slot(f, slot);
}

static void fold_slot(struct fold *f, struct expr **slot)
{
	struct expr *e = *slot;

	if (!e)
		return;
	switch (e->kind) {
	case EX_DEFINED:
		*slot = num_at(e, is_target(e->a) ?
			       elab_target_defined(f->prog, f->probe, e->a) != 0
			       : 1);
		return;
	case EX_BINARY:
		fold_binary(f, slot);
		return;
	case EX_UNARY:
		fold_unary(f, slot);
		return;
	case EX_TERNARY:
		fold_ternary(f, slot);
		return;
	default:
		ast_expr_slots(e, fold_child_slot, f);
		return;
	}
}

/* A statement's expression folds in place: the statement keeps its
 * node, and what the node folds to is copied into it. */
static void fold_expr(struct fold *f, struct expr *e)
{
	struct expr *folded = e;

	fold_slot(f, &folded);
	if (folded != e)
		*e = *folded;
}

static void fold_stmt(struct fold *f, struct stmt *s);

/* s (an if or a while) takes the place of what is left of it: the
 * branch kept (one of its children, copied in) or nothing.  What it
 * drops is not freed: the tree lives until exit (ast.c). */
static void become_stmt(struct stmt *s, struct stmt *kept)
{
	struct loc loc = s->loc;

	if (kept) {
		*s = *kept;
		return;
	}
	memset(s, 0, sizeof(*s));
	s->kind = ST_EMPTY;
	s->loc = loc;
}

static void fold_child_expr(void *f, struct expr *e)
{
	fold_expr(f, e);
}

static void fold_child_stmt(void *f, struct stmt *s)
{
	fold_stmt(f, s);
}

/* The expressions first, so a constant condition is known; then the
 * dead branch goes or the children are folded in turn. */
static void fold_stmt(struct fold *f, struct stmt *s)
{
	if (!s)
		return;
	ast_stmt_children(s, fold_child_expr, NULL, f);
	if (s->kind == ST_IF && s->e->kind == EX_NUM) {
		struct stmt *kept = s->e->num ? s->then : s->els;

		fold_stmt(f, kept);
		become_stmt(s, kept);
		return;
	}
	if (s->kind == ST_WHILE && s->e->kind == EX_NUM && !s->e->num) {
		become_stmt(s, NULL);
		return;
	}
	ast_stmt_children(s, NULL, fold_child_stmt, f);
}

void fold_body(const struct program *prog, const struct probe *p,
	       struct stmt *body)
{
	struct fold f = { .prog = prog, .probe = p };

	fold_stmt(&f, body);
}
