/* tr_actions.c - the most statements one hit of a probe can run, when
 * pass 3 can tell.
 *
 * A probe body without loops and without calls of script functions runs
 * each of its statements at most once a hit, so the number of its
 * statements bounds what it charges to MAXACTION (every branch taken).  Pass 3 then writes
 * its charges as TAPC_CHARGE_MAX(bound, n, loc), which compile to
 * nothing unless MAXACTION is set below the bound (rt_lang.h): the
 * common probe counts no statements at run time, and a small MAXACTION
 * still fails the hit at the same statement as before.
 */
#include "tr_int.h"

static int expr_calls_script(const struct expr *e);

static void calls_in_child(void *any, struct expr *e)
{
	*(int *)any |= expr_calls_script(e);
}

static int expr_calls_script(const struct expr *e)
{
	int any = 0;

	if (!e)
		return 0;
	if (e->kind == EX_CALL && e->fn && e->fn->body)
		return 1;
	ast_expr_children(e, calls_in_child, &any);
	return any;
}

static int calls_script(const struct stmt *s)
{
	if (!s)
		return 0;
	if (expr_calls_script(s->e) || expr_calls_script(s->init) ||
	    expr_calls_script(s->step) || expr_calls_script(s->limit) ||
	    calls_script(s->then) || calls_script(s->els))
		return 1;
	for (int i = 0; i < s->body.n; i++)
		if (calls_script(s->body.v[i]))
			return 1;
	return 0;
}

static int body_charge(const struct stmt *s);

/* What the bodies nested in statement s charge; -1 for a loop. */
static int nested_charge(const struct stmt *s)
{
	int a, b;

	switch (s->kind) {
	case ST_WHILE:
	case ST_FOR:
	case ST_FOREACH:
		return -1;
	case ST_BLOCK:
		return body_charge(s);
	case ST_IF:
	case ST_TRY:
		a = body_charge(s->then);
		b = s->els ? body_charge(s->els) : 0;
		return a < 0 || b < 0 ? -1 : a + b;
	default:
		return 0;
	}
}

/* What a body charges when every branch is taken, as translate.c's
 * tr_block_body() charges it: a block its direct statements, another
 * statement 1; then what is nested in them. */
static int body_charge(const struct stmt *s)
{
	int n = 0, k;

	if (s->kind != ST_BLOCK)
		return (k = nested_charge(s)) < 0 ? -1 : 1 + k;
	for (int i = 0; i < s->body.n; i++) {
		const struct stmt *b = s->body.v[i];

		if (b->kind == ST_EMPTY)
			continue;
		if ((k = nested_charge(b)) < 0)
			return -1;
		n += 1 + k;
	}
	return n;
}

int tr_actions_bound(const struct stmt *body)
{
	if (calls_script(body))
		return -1;
	return body_charge(body);
}
