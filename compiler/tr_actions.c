/* tr_actions.c - the most statements one hit of a probe can run, when
 * pass 3 can tell.
 *
 * A probe body without loops and without calls of script functions runs
 * each of its statements at most once a hit, so the number of its
 * statements bounds what it charges to MAXACTION.  Pass 3 then writes
 * its charges as TAPC_CHARGE_MAX(bound, n, loc), which compile to
 * nothing unless MAXACTION is set below the bound (rt_lang.h): the
 * common probe counts no statements at run time, and a small MAXACTION
 * still fails the hit at the same statement as before.
 */
#include "tr_int.h"

static int expr_calls_script(const struct expr *e)
{
	if (!e)
		return 0;
	if (e->kind == EX_CALL && e->fn && e->fn->body)
		return 1;
	if (expr_calls_script(e->a) || expr_calls_script(e->b) ||
	    expr_calls_script(e->c))
		return 1;
	for (int i = 0; i < e->args.n; i++)
		if (expr_calls_script(e->args.v[i]))
			return 1;
	return 0;
}

/* Statements in s, or -1 when s may run one more than once a hit. */
static int stmt_bound(const struct stmt *s)
{
	int n = 1, k;

	if (!s)
		return 0;
	switch (s->kind) {
	case ST_WHILE:
	case ST_FOR:
	case ST_FOREACH:
		return -1;
	default:
		break;
	}
	if (expr_calls_script(s->e) || expr_calls_script(s->init) ||
	    expr_calls_script(s->step) || expr_calls_script(s->limit))
		return -1;
	for (int i = 0; i < s->body.n; i++) {
		if ((k = stmt_bound(s->body.v[i])) < 0)
			return -1;
		n += k;
	}
	if ((k = stmt_bound(s->then)) < 0)
		return -1;
	n += k;
	if ((k = stmt_bound(s->els)) < 0)
		return -1;
	return n + k;
}

int tr_actions_bound(const struct stmt *body)
{
	return stmt_bound(body);
}
