/* parse_build.c - the nodes pass 1's grammar actions build (parser.y):
 * expressions, statement helpers, probe points and their brace
 * expansion, aliases, declarations, foreach headers, target values.
 * The grammar and its small actions stay in parser.y; the parse state,
 * the token feed and error recovery too.
 *
 * Every node, list and string made here comes from the arena (ast.c)
 * and none is freed: what an error or an expansion drops stays there
 * (docs/sanitizers.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "parse_build.h"

#define MAX_POINTS 10000		/* from one brace expansion */
#define MAX_COPIES 1000000		/* nodes copied by @choose_defined
					 * and by conditions of expanded
					 * probe points, per file */

/* Nodes copied in this file so far, against MAX_COPIES. */
static long copies;

void pb_copies_reset(void)
{
	copies = 0;
}

/* A copy of e, unless copies have grown the file past all reason (as
 * nested @choose_defined can, doubling at each level). */
struct expr *pb_copy(const struct expr *e, YYLTYPE l)
{
	long n = expr_size(e);

	if (copies + n > MAX_COPIES) {
		if (copies <= MAX_COPIES)
			diag_error(DG_EXPRESSION_TOO_LARGE,
				   L(l), "expression too large once expanded");
		copies = MAX_COPIES + 1;
		return expr_new(EX_NUM, L(l));
	}
	copies += n;
	return expr_clone(e);
}

struct expr *pb_binary(int op, struct expr *a, struct expr *b, YYLTYPE l)
{
	struct expr *e = expr_new(EX_BINARY, L(l));

	e->op = op;
	e->a = a;
	e->b = b;
	return e;
}

struct expr *pb_assign(int op, struct expr *a, struct expr *b, YYLTYPE l)
{
	struct expr *e = pb_binary(op, a, b, l);

	e->kind = EX_ASSIGN;
	return e;
}

struct expr *pb_unary(enum expr_kind kind, int op, struct expr *a,
		      YYLTYPE l)
{
	struct expr *e = expr_new(kind, L(l));

	e->op = op;
	e->a = a;
	return e;
}

/* &operand: the address of a target value ($v->f, @cast(p, T)[i]) is
 * marked on the value, which then yields the address (tr_target.c);
 * other operands keep EX_ADDR alone, which elab reports. */
struct expr *pb_address_of(struct expr *a, YYLTYPE l)
{
	if ((a->kind == EX_TARGET || a->kind == EX_CAST) && !a->pretty)
		a->addr = 1;
	return pb_unary(EX_ADDR, '&', a, l);
}

/* -NUMBER is a literal, so a negative number prints and parses back
 * as the same node. */
struct expr *pb_negate(struct expr *a, YYLTYPE l)
{
	if (a->kind == EX_NUM) {
		a->num = (int64_t)(0 - (uint64_t)a->num);
		a->loc = L(l);
		return a;
	}
	return pb_unary(EX_UNARY, '-', a, l);
}

struct expr *pb_with_arg(enum expr_kind kind, char *str, struct expr *a,
			 YYLTYPE l)
{
	struct expr *e = expr_new(kind, L(l));

	e->str = str;
	e->a = a;
	return e;
}

struct vec *pb_list1(void *x)
{
	struct vec *v = ast_list_new();

	if (x)
		vec_push(v, x);
	return v;
}

/* The buffer moves to *to: from is left empty, so that only one vector
 * holds it (ast_arena_reset frees it once). */
void pb_take_list(struct vec *to, struct vec *from)
{
	*to = *from;
	*from = (struct vec){ 0 };
}

/* from's items after to's. */
void pb_append(struct vec *to, const struct vec *from)
{
	for (int i = 0; i < from->n; i++)
		vec_push(to, from->v[i]);
}

/* ---- probe points and brace expansion ---- */

static struct pp_alts *alts_new(void)
{
	struct pp_alts *a = ast_alloc(sizeof(*a));

	ast_own_vec(&a->alts);
	return a;
}

struct pp_alts *pb_alts1(struct pp_component *c)
{
	struct pp_alts *a = alts_new();
	struct probe_point *pp = point_new(c->loc);

	vec_push(&pp->comps, c);
	vec_push(&a->alts, pp);
	return a;
}

/* Every alternative of a followed by every one of b. */
struct pp_alts *pb_alts_product(struct pp_alts *a, struct pp_alts *b,
				YYLTYPE l)
{
	struct pp_alts *r;

	if ((long)a->alts.n * b->alts.n > MAX_POINTS) {
		diag_error(DG_BRACE_LIMIT,
			   L(l), "brace expansion makes more than %d probe "
			   "points", MAX_POINTS);
		return a;
	}
	r = alts_new();
	for (int i = 0; i < a->alts.n; i++)
		for (int j = 0; j < b->alts.n; j++) {
			struct probe_point *x = a->alts.v[i], *y = b->alts.v[j];
			struct probe_point *pp = point_new(x->loc);

			for (int k = 0; k < x->comps.n; k++)
				vec_push(&pp->comps, comp_clone(x->comps.v[k]));
			for (int k = 0; k < y->comps.n; k++)
				vec_push(&pp->comps, comp_clone(y->comps.v[k]));
			pp->optional = x->optional | y->optional;
			pp->sufficient = x->sufficient | y->sufficient;
			vec_push(&r->alts, pp);
		}
	return r;
}

struct pp_alts *pb_alts_union(struct pp_alts *a, struct pp_alts *b,
			      YYLTYPE l)
{
	if (a->alts.n + b->alts.n > MAX_POINTS) {
		diag_error(DG_BRACE_LIMIT,
			   L(l), "brace expansion makes more than %d probe "
			   "points", MAX_POINTS);
		return a;
	}
	pb_append(&a->alts, &b->alts);
	return a;
}


struct pp_alts *pb_alts_mark(struct pp_alts *a, int marks)
{
	for (int i = 0; i < a->alts.n; i++) {
		struct probe_point *pp = a->alts.v[i];

		pp->optional |= !!(marks & MARK_OPTIONAL);
		pp->sufficient |= !!(marks & MARK_SUFFICIENT);
	}
	return a;
}

/* The probe points one written point stands for. */
struct vec *pb_points(struct pp_alts *a, int marks,
		      struct expr *cond, YYLTYPE l)
{
	struct vec *v = ast_list_new();

	pb_alts_mark(a, marks);
	for (int i = 0; i < a->alts.n; i++) {
		struct probe_point *pp = a->alts.v[i];

		pp->cond = i == 0 || !cond ? cond : pb_copy(cond, l);
		vec_push(v, pp);
	}
	return v;
}

/* Component names are glued from tokens that touch: "sys_*", "*64". */
char *pb_glue(const char *a, const char *b, YYLTYPE lb)
{
	if (lb.space)
		diag_error(DG_POINT_BLANK,
			   L(lb), "a blank inside the probe point component "
			   "'%s'; components are joined by '.'", a);
	return ast_concat(a, b);
}

struct probe_alias *pb_alias(struct vec *name, struct vec *points,
			     int epilogue, struct stmt *body,
			     YYLTYPE l, YYLTYPE lname)
{
	struct probe_alias *a = alias_new(L(l));
	struct probe_point *pp = name->n ? name->v[0] : NULL;

	if (name->n != 1 || pp->optional || pp->sufficient || pp->cond)
		diag_error(DG_ALIAS_NAME,
			   L(lname), "an alias is named by one probe point, "
			   "without braces, '?', '!' or 'if'");
	for (int i = 0; pp && i < pp->comps.n; i++)
		if (strpbrk(((struct pp_component *)pp->comps.v[i])->name, "*"))
			diag_error(DG_ALIAS_NAME,
				   L(lname), "an alias name cannot hold a "
				   "wildcard");
	a->name = pp;
	pb_take_list(&a->points, points);
	a->epilogue = epilogue;
	a->body = body;
	return a;
}

/* ---- declarations ---- */

enum type pb_type(const char *name, YYLTYPE l)
{
	enum type t = TY_UNKNOWN;

	if (!strcmp(name, "long"))
		t = TY_LONG;
	else if (!strcmp(name, "string"))
		t = TY_STRING;
	else
		diag_error(DG_UNKNOWN_TYPE,
			   L(l), "unknown type '%s', expected 'long' or "
			   "'string'", name);
	return t;
}

/* ---- foreach ---- */

struct fe_head *pb_fe_new(void)
{
	struct fe_head *h = ast_alloc(sizeof(*h));

	ast_own_vec(&h->keys);
	return h;
}

struct expr *pb_var(char *name, YYLTYPE l)
{
	struct expr *e = expr_new(EX_VAR, L(l));

	e->str = name;
	return e;
}

void pb_fe_sort(struct fe_head *h, int col, int dir, YYLTYPE l)
{
	if (!dir)
		return;
	if (h->sorts++)
		diag_error(DG_FOREACH_SORT,
			   L(l), "foreach may sort by one key or the value "
			   "only");
	h->sort_col = col;
	h->sort_dir = dir;
}

struct stmt *pb_foreach(struct fe_head *h, struct expr *array,
			int dir, char *aggr, struct expr *limit,
			YYLTYPE l, YYLTYPE lsort)
{
	struct stmt *s = stmt_new(ST_FOREACH, L(l));

	pb_fe_sort(h, 0, dir, lsort);
	pb_take_list(&s->keys, &h->keys);
	s->value = h->value;
	s->sort_col = h->sort_col;
	s->sort_dir = h->sort_dir;
	s->sort_aggr = aggr;
	s->e = array;
	s->limit = limit;
	return s;
}

/* ---- target values ---- */

/* Values that ->field, [index] and $ extend in place. */
int pb_is_chain(const struct expr *e)
{
	return e->kind == EX_TARGET || e->kind == EX_CAST ||
	       e->kind == EX_ATVAR || e->kind == EX_AUTOCAST;
}

static struct expr *chain_of(struct expr *e, YYLTYPE l)
{
	struct expr *c;

	if (pb_is_chain(e))
		return e;
	c = expr_new(EX_AUTOCAST, L(l));
	c->a = e;
	return c;
}

/* Trailing '$' or '$$' of a name: print the whole value. */
static int pretty_suffix(char *name, YYLTYPE l)
{
	size_t n = strlen(name), k = 0;

	while (k < n && name[n - 1 - k] == '$')
		k++;
	if (k == n)
		return 0;
	if (k > 2) {
		diag_error(DG_TARGET_SUFFIX,
			   L(l), "'%s': at most '$$' ends a target value", name);
		k = 2;
	}
	name[n - k] = '\0';
	return (int)k;
}

/* $name, $$vars, $var$ ... */
struct expr *pb_target(char *name, YYLTYPE l)
{
	struct expr *e = expr_new(EX_TARGET, L(l));

	e->pretty = pretty_suffix(name, l);
	e->str = name;
	return e;
}

struct expr *pb_field_of(struct expr *e, char *name, YYLTYPE larrow,
			 YYLTYPE lname)
{
	struct target_comp *tc = ast_alloc(sizeof(*tc));
	int pretty = pretty_suffix(name, lname);

	if (e->pretty)
		diag_error(DG_TARGET_SUFFIX,
			   L(larrow), "nothing may follow '$' or '$$'");
	e = chain_of(e, larrow);
	e->pretty = pretty;
	tc->kind = TC_FIELD;
	tc->name = name;
	tc->loc = L(lname);
	vec_push(&e->comps, tc);
	return e;
}

/* a[k1, k2] of an array; $p[i] of a target value. */
struct expr *pb_index_of(struct expr *e, struct vec *keys, YYLTYPE l)
{
	struct expr *x;

	if (pb_is_chain(e)) {
		struct target_comp *tc = ast_alloc(sizeof(*tc));

		if (keys->n != 1 ||
		    ((struct expr *)keys->v[0])->kind == EX_WILDCARD)
			diag_error(DG_TARGET_INDEX,
				   L(l), "a target value takes one index");
		if (e->pretty)
			diag_error(DG_TARGET_SUFFIX,
				   L(l), "nothing may follow '$' or '$$'");
		tc->kind = TC_INDEX;
		tc->index = keys->v[0];
		tc->loc = L(l);
		vec_push(&e->comps, tc);
		return e;
	}
	x = expr_new(EX_INDEX, L(l));
	x->a = e;
	pb_take_list(&x->args, keys);
	return x;
}

/* ---- statements ---- */

struct stmt *pb_simple(enum stmt_kind kind, struct expr *e, YYLTYPE l)
{
	struct stmt *s = stmt_new(kind, L(l));

	s->e = e;
	return s;
}
