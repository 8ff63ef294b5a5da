/* alias.c - pass 2: probe aliases, suffixes, wildcards and conditions.
 *
 * A probe of the script may become several probes for pass 3.  A point
 * naming an alias is replaced by the alias's points; the probe's body is
 * wrapped in the alias's prologue and epilogue, in one block so that
 * the prologue's locals are the body's (one frame).  With nested
 * aliases the alias nearest the concrete point wraps last, so its
 * prologue runs first and its epilogue last, as in SystemTap.
 *
 * A condition `if (expr)` on any point along the way guards the whole
 * wrapped body: it is evaluated at each hit (docs/elab.md says why).
 *
 * The way from the script's probe to a concrete point is a chain of
 * steps (an alias entered, or a condition met); concrete points reached
 * through the same chain share one derived probe, and a point reached
 * through none is the script's probe itself.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "elab_int.h"
#include "kintro/ksyms.h"

#define ALIAS_MAX_DEPTH 32

struct step {
	const struct probe_alias *alias;	/* or NULL */
	const struct expr *cond;		/* or NULL */
	const struct step *outer;		/* towards the script's probe */
};

struct derived {
	const struct step *chain;
	struct probe *probe;
};

struct expansion {
	struct elab *el;
	struct probe *user;
	struct vec derived;		/* of struct derived * */
	struct vec steps;		/* of struct step *, owned */
	const struct vec *names;	/* el->alias_names */
};

/* An alias name and its components, as the script's point is matched
 * against them. */
struct alias_name {
	char *name;
	struct vec comps;		/* of char * */
};

/* ---- alias names ---- */

/* Splits "a.b(\"x.y\").c" into its components, dots in arguments kept. */
static void split_name(const char *name, struct vec *out)
{
	const char *start = name;
	int parens = 0, quoted = 0;

	for (const char *p = name;; p++) {
		if (*p == '"' && (p == name || p[-1] != '\\'))
			quoted = !quoted;
		else if (!quoted && *p == '(')
			parens++;
		else if (!quoted && *p == ')')
			parens--;
		if (!*p || (*p == '.' && !parens && !quoted)) {
			vec_push(out, xstrndup(start, (size_t)(p - start)));
			if (!*p)
				return;
			start = p + 1;
		}
	}
}

static void free_strings(struct vec *v)
{
	for (int i = 0; i < v->n; i++)
		free(v->v[i]);
	free(v->v);
	memset(v, 0, sizeof(*v));
}

static char *point_name(const struct probe_point *pp)
{
	struct probe_point bare = { .comps = pp->comps };
	struct strbuf t;

	sb_init(&t);
	ast_print_point(&bare, &t);
	return sb_take(&t);
}

static char *comp_text(const struct pp_component *c)
{
	struct probe_point one = { 0 };
	char *s;

	vec_push(&one.comps, (void *)c);
	s = point_name(&one);
	free(one.comps.v);
	return s;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every alias the script and the library define, sorted, each once;
 * made on the first need and kept for the pass. */
static const struct vec *alias_names(struct elab *el)
{
	struct vec all = { 0 };
	struct probe_alias *a;

	if (el->alias_names_made)
		return &el->alias_names;
	el->alias_names_made = 1;
	VEC_EACH(&el->prog->script->aliases, i, a)
		vec_push(&all, point_name(a->name));
	tapset_alias_names(elab_library(el), &all);
	for (int i = el->prog->script->aliases.n; i < all.n; i++)
		all.v[i] = xstrdup(all.v[i]);
	if (all.n)
		qsort(all.v, (size_t)all.n, sizeof(void *), cmp_names);
	for (int i = 0; i < all.n; i++) {
		struct alias_name *an;

		if (i && !strcmp(all.v[i], all.v[i - 1])) {
			free(all.v[i]);
			continue;
		}
		an = xcalloc(1, sizeof(*an));
		an->name = all.v[i];
		split_name(an->name, &an->comps);
		vec_push(&el->alias_names, an);
	}
	free(all.v);
	return &el->alias_names;
}

void alias_names_free(struct elab *el)
{
	struct alias_name *an;

	VEC_EACH(&el->alias_names, i, an) {
		free(an->name);
		free_strings(&an->comps);
		free(an);
	}
	free(el->alias_names.v);
	memset(&el->alias_names, 0, sizeof(el->alias_names));
	el->alias_names_made = 0;
}

/* ---- matching a point against the alias names ---- */

struct match {
	const char *name;
	const struct vec *comps;	/* of char * */
};

/* Whether the first n components of the point match those of name. */
static int prefix_matches(const struct vec *point, const struct vec *name)
{
	if (name->n > point->n)
		return 0;
	for (int i = 0; i < name->n; i++)
		if (fnmatch(point->v[i], name->v[i], 0))
			return 0;
	return 1;
}

/* Whether match b is a longer alias name that starts with a's. */
static int extends(const struct match *b, const struct match *a)
{
	if (b->comps->n <= a->comps->n)
		return 0;
	for (int i = 0; i < a->comps->n; i++)
		if (strcmp(b->comps->v[i], a->comps->v[i]))
			return 0;
	return 1;
}

/* The aliases the point names: each alias name its components match
 * (with '*' wildcards), the rest of the point being a suffix; of two
 * names where one extends the other, the longer wins. */
static void match_aliases(struct expansion *x, const struct vec *point,
			  struct vec *out)
{
	struct vec all = { 0 };
	struct match *m, *o;

	for (int i = 0; i < x->names->n; i++) {
		const struct alias_name *an = x->names->v[i];

		if (!prefix_matches(point, &an->comps))
			continue;
		m = xcalloc(1, sizeof(*m));
		m->name = an->name;
		m->comps = &an->comps;
		vec_push(&all, m);
	}
	VEC_EACH(&all, i, m) {
		int longer = 0;

		VEC_EACH(&all, j, o)
			longer |= extends(o, m);
		if (!longer)
			vec_push(out, m);
	}
	/* Freed only now: the loop above compares every pair. */
	VEC_EACH(&all, i, m) {
		int kept = 0;

		VEC_EACH(out, j, o)
			kept |= o == m;
		if (!kept)
			free(m);
	}
	free(all.v);
}

/* ---- building derived probes ---- */

static struct stmt *block_of(struct stmt *a, struct stmt *b, struct stmt *c)
{
	struct stmt *blk = stmt_new(ST_BLOCK, b->loc);

	if (a)
		vec_push(&blk->body, a);
	vec_push(&blk->body, b);
	if (c)
		vec_push(&blk->body, c);
	return blk;
}

static struct expr *and_of(struct expr *a, struct expr *b)
{
	struct expr *e;

	if (!a)
		return b;
	e = expr_new(EX_BINARY, a->loc);
	e->op = OP_AND;
	e->a = a;
	e->b = b;
	return e;
}

/* The script's body wrapped by every alias of the chain, the nearest
 * to the script first, then guarded by the chain's conditions. */
static struct stmt *wrapped_body(const struct probe *user,
				 const struct step *chain)
{
	const struct step *steps[ALIAS_MAX_DEPTH * 2 + 2];
	struct stmt *body = stmt_clone(user->body);
	struct expr *cond = NULL;
	int n = 0;

	for (const struct step *s = chain; s; s = s->outer)
		steps[n++] = s;
	while (n--) {
		const struct probe_alias *a = steps[n]->alias;

		if (steps[n]->cond)
			cond = and_of(cond, expr_clone(steps[n]->cond));
		if (!a)
			continue;
		if (a->epilogue)
			body = block_of(NULL, body, stmt_clone(a->body));
		else
			body = block_of(stmt_clone(a->body), body,
					stmt_clone(a->epilogue_body));
	}
	if (cond) {
		struct stmt *guard = stmt_new(ST_IF, cond->loc);

		guard->e = cond;
		guard->then = body;
		body = guard;
	}
	return body;
}

/* The probe whose body runs at points reached through chain. */
static struct probe *probe_for(struct expansion *x, const struct step *chain)
{
	struct derived *d;
	struct probe *p;

	VEC_EACH(&x->derived, i, d)
		if (d->chain == chain)
			return d->probe;
	if (!chain) {
		p = x->user;
	} else {
		p = probe_new(x->user->loc);
		p->origin = x->user;
		p->body = wrapped_body(x->user, chain);
	}
	elab_add_probe(x->el, p);
	d = xcalloc(1, sizeof(*d));
	d->chain = chain;
	d->probe = p;
	vec_push(&x->derived, d);
	return p;
}

static const struct step *new_step(struct expansion *x,
				   const struct probe_alias *a,
				   const struct expr *cond,
				   const struct step *outer)
{
	struct step *s = xcalloc(1, sizeof(*s));

	s->alias = a;
	s->cond = cond;
	s->outer = outer;
	vec_push(&x->steps, s);
	return s;
}

/* ---- expansion ---- */

static int expand_point(struct expansion *x, const struct probe_point *pp,
			const struct step *chain, int depth);

/* The point the alias's point ap stands for: ap with the suffix the
 * script's point adds, optional if either is. */
static struct probe_point *through(const struct probe_point *ap,
				   const struct probe_point *pp, int from)
{
	struct probe_point *np = point_clone(ap);

	for (int i = from; i < pp->comps.n; i++)
		vec_push(&np->comps, comp_clone(pp->comps.v[i]));
	np->optional |= pp->optional;
	return np;
}

/* A list of points (a probe's or an alias's): each in turn, stopping
 * after a sufficient ('!') one that gave concrete points. */
static int expand_list(struct expansion *x, const struct vec *points,
		       const struct probe_point *via, int from,
		       const struct step *chain, int depth)
{
	int total = 0;

	for (int i = 0; i < points->n; i++) {
		const struct probe_point *ap = points->v[i];
		struct probe_point *np = via ? through(ap, via, from)
					     : point_clone(ap);
		int n = expand_point(x, np, chain, depth);

		/* np stays in the arena: the steps made for it point
		 * into it. */
		total += n;
		if (ap->sufficient && n)
			break;
	}
	return total;
}

static int expand_alias(struct expansion *x, const struct probe_alias *a,
			const struct file_ast *file,
			const struct probe_point *pp, int from,
			const struct step *chain, int depth)
{
	if (file)
		elab_pull_in_file(x->el, file);
	chain = new_step(x, a, NULL, chain);
	return expand_list(x, &a->points, pp, from, chain, depth + 1);
}

/* Every definition of the alias called name: the script's, then the
 * library's. */
static int expand_name(struct expansion *x, const struct match *m,
		       const struct probe_point *pp, const struct step *chain,
		       int depth)
{
	struct vec defs = { 0 }, files = { 0 };
	struct probe_alias *a;
	int total = 0;

	VEC_EACH(&x->el->prog->script->aliases, i, a) {
		char *n = point_name(a->name);

		if (!strcmp(n, m->name))
			total += expand_alias(x, a, NULL, pp, m->comps->n, chain,
					      depth);
		free(n);
	}
	tapset_find_aliases(elab_library(x->el), m->name, &defs, &files);
	VEC_EACH(&defs, i, a)
		total += expand_alias(x, a, files.v[i], pp, m->comps->n, chain,
				      depth);
	free(defs.v);
	free(files.v);
	return total;
}

static int builtin_family(const char *name)
{
	static const char *const families[] = {
		"begin", "end", "error", "never", "timer", "kernel", "module",
		"kprobe", "process", "perf", "procfs", "netfilter", NULL
	};

	for (int i = 0; families[i]; i++)
		if (!strcmp(name, families[i]))
			return 1;
	return 0;
}

/* A point that names no alias: a built-in family, or a misspelling. */
static int expand_concrete(struct expansion *x, struct probe_point *pp,
			   const struct step *chain)
{
	const struct pp_component *first = pp->comps.v[0];
	struct expr *cond = pp->cond;
	const char *hint;
	int n;

	if (!builtin_family(first->name) && !pp->optional) {
		char *name = point_name(pp);
		struct suggest s;

		suggest_init(&s, name);
		for (int i = 0; i < x->names->n; i++) {
			const struct alias_name *an = x->names->v[i];

			suggest_try(&s, an->name);
		}
		if ((hint = s.best)) {
			diag_error(DG_UNKNOWN_POINT,
				   pp->loc, "unknown probe point '%s'; did you "
				   "mean '%s'?", name, hint);
			free(name);
			return 0;
		}
		free(name);
	}
	if (cond) {
		chain = new_step(x, NULL, cond, chain);
		pp->cond = NULL;	/* now in the body: not in messages */
	}
	pp->sufficient = 0;
	n = elab_resolve_point(x->el, probe_for(x, chain), pp);
	pp->cond = cond;	/* the point's, freed with it */
	return n;
}

static int expand_point(struct expansion *x, const struct probe_point *pp,
			const struct step *chain, int depth)
{
	struct vec comps = { 0 }, matches = { 0 };
	struct match *m;
	int total = 0, errors = diag_errors;

	if (depth > ALIAS_MAX_DEPTH) {
		diag_error(DG_ALIAS_LOOP,
			   pp->loc, "probe aliases nested more than %d deep; "
			   "does an alias name itself?", ALIAS_MAX_DEPTH);
		return 0;
	}
	for (int i = 0; i < pp->comps.n; i++)
		vec_push(&comps, comp_text(pp->comps.v[i]));
	match_aliases(x, &comps, &matches);
	free_strings(&comps);
	if (!matches.n)
		return expand_concrete(x, (struct probe_point *)pp, chain);
	if (pp->cond)
		chain = new_step(x, NULL, pp->cond, chain);
	VEC_EACH(&matches, i, m) {
		total += expand_name(x, m, pp, chain, depth);
		free(m);
	}
	free(matches.v);
	if (!total && !pp->optional && diag_errors == errors) {
		char *name = point_name(pp);

		diag_error(DG_ALIAS_NO_MATCH,
			   pp->loc, "probe point '%s' matches no probe of its "
			   "alias%s", name, matches.n > 1 ? "es" : "");
		free(name);
	}
	return total;
}

static int has_points(const struct program *prog, int from,
		      const struct probe *p)
{
	for (int i = from; i < prog->points.n; i++)
		if (((struct concrete_point *)prog->points.v[i])->probe == p)
			return 1;
	return 0;
}

/* Drops the derived probes whose points all failed (optional ones); the
 * script's probe stays if nothing else does, so that its body is still
 * checked. */
static void drop_empty(struct expansion *x, int first, int first_point)
{
	struct vec *probes = &x->el->prog->probes;
	int kept = first;

	for (int i = first; i < probes->n; i++) {
		struct probe *p = probes->v[i];

		if (!has_points(x->el->prog, first_point, p))
			continue;	/* dropped: it stays in the arena */
		p->id = kept;
		probes->v[kept++] = p;
	}
	probes->n = kept;
	if (kept == first)
		elab_add_probe(x->el, x->user);
}

void alias_expand(struct elab *el, struct probe *p)
{
	struct expansion x = { .el = el, .user = p };
	int first = el->prog->probes.n, first_point = el->prog->points.n;
	struct derived *d;

	x.names = alias_names(el);
	expand_list(&x, &p->points, NULL, 0, NULL, 0);
	drop_empty(&x, first, first_point);
	VEC_EACH(&x.derived, i, d)
		free(d);
	free(x.derived.v);
	/* The steps stay: nothing points at them after this, but the
	 * conditions they name are cloned into bodies, not moved. */
	for (int i = 0; i < x.steps.n; i++)
		free(x.steps.v[i]);
	free(x.steps.v);
}
