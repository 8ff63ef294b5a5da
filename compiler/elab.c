/* elab.c - pass 2: names, types, tapsets and concrete probe points.
 *
 * Resolution walks every probe body, and every function it reaches,
 * once: variables become symbols (an unknown name in a body is a local
 * of that body, as in SystemTap), calls find their function in the
 * script or in the tapset library.  Type inference then runs over the
 * reached code until no type changes, and a last run reports conflicts.
 */
#include "elab_int.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "format.h"
#include "kintro/ksyms.h"
#include "elab_procfs.h"
#include "elab_target.h"
#include "parse.h"
#include "regex.h"

/* ---- tapset library ---- */

struct tapset_lib *elab_library(struct elab *el)
{
	if (!el->lib)
		el->lib = tapset_open(el->opt->tapset_dir,
				      &el->opt->include_dirs);
	return el->lib;
}

void elab_pull_in_file(struct elab *el, const struct file_ast *f)
{
	struct program *prog = el->prog;

	for (int i = 0; i < prog->tapset_files.n; i++)
		if (prog->tapset_files.v[i] == f->src)
			return;
	vec_push(&prog->tapset_files, (void *)f->src);
	for (int i = 0; i < f->embeds.n; i++)
		vec_push(&prog->embeds, f->embeds.v[i]);
}

/* The function called name with nargs parameters (any if nargs < 0). */
static struct function *find_in(const struct file_ast *f, const char *name,
				int nargs)
{
	struct function *fn;

	VEC_EACH(&f->functions, i, fn)
		if (!strcmp(fn->name, name) &&
		    (nargs < 0 || fn->params.n == nargs))
			return fn;
	return NULL;
}

/* The script's own functions first, then the library's. */
static const char *suggest_function(struct elab *el, const char *name)
{
	struct suggest s;
	struct function *fn;

	suggest_init(&s, name);
	VEC_EACH(&el->prog->script->functions, i, fn)
		suggest_try(&s, fn->name);
	tapset_suggest(elab_library(el), TS_FUNCTION, &s);
	return s.best;
}

static void resolve_stmt(struct elab *el, struct stmt *s);
static void resolve_expr(struct elab *el, struct expr *e);
static struct symbol *lookup_var(struct elab *el, struct expr *e);
static int unsupported(struct loc loc, const char *what);

/* ---- arrays ---- */

struct array_info *elab_array(const struct program *prog,
			      const struct symbol *sym)
{
	struct array_info *a;

	VEC_EACH(&prog->arrays, i, a)
		if (a->sym == sym)
			return a;
	return NULL;
}

/* Records that name[keys] is used with nkeys keys; they must agree. */
static struct array_info *use_array(struct elab *el, struct expr *var,
				    int nkeys, struct loc loc)
{
	struct array_info *a;

	if (var->kind != EX_VAR) {
		unsupported(var->loc, "indexing anything but a global array "
			    "is");
		return NULL;
	}
	var->sym = lookup_var(el, var);
	if (var->sym->scope != SCOPE_GLOBAL) {
		diag_error(DG_ARRAY_NOT_GLOBAL,
			   var->loc, "'%s' is used as an array but is not a "
			   "global; declare it with 'global %s'",
			   var->str, var->str);
		return NULL;
	}
	if (nkeys > ELAB_MAXKEYS) {
		diag_error(DG_ARRAY_TOO_MANY_KEYS,
			   loc, "an array has at most %d keys", ELAB_MAXKEYS);
		return NULL;
	}
	a = elab_array(el->prog, var->sym);
	if (!a) {
		a = xcalloc(1, sizeof(*a));
		a->sym = var->sym;
		a->nkeys = nkeys;
		a->loc = loc;
		vec_push(&el->prog->arrays, a);
	} else if (a->nkeys != nkeys) {
		char *first = xstrdup(loc_str(a->loc));

		diag_error(DG_ARRAY_KEY_COUNT,
			   loc, "array '%s' is used with %d key%s here, %d at "
			   "%s", var->str, nkeys, nkeys == 1 ? "" : "s",
			   a->nkeys, first);
		free(first);
		return NULL;
	}
	return a;
}

static void resolve_keys(struct elab *el, struct expr *e)
{
	for (int i = 0; i < e->args.n; i++) {
		struct expr *k = e->args.v[i];

		if (k->kind == EX_WILDCARD)
			unsupported(k->loc, "array slices ('*' keys) are");
		else
			resolve_expr(el, k);
	}
}

/* ---- resolution ---- */

static int supported_stmt(const struct stmt *s);

static struct symbol *find_sym(struct vec *v, const char *name)
{
	struct symbol *s;

	VEC_EACH(v, i, s)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}

static struct symbol *lookup_var(struct elab *el, struct expr *e)
{
	struct program *prog = el->prog;
	struct symbol *s = NULL;

	if (el->fn)
		s = find_sym(&el->fn->params, e->str);
	if (!s)
		s = find_sym(el->locals, e->str);
	if (!s)
		s = find_sym(&prog->script->globals, e->str);
	if (!s)
		s = find_sym(&prog->globals, e->str);	/* a tapset's */
	if (!s) {
		const struct file_ast *f;

		/* As in SystemTap, a tapset's global wins over a new local. */
		s = tapset_find_global(elab_library(el), e->str, &f);
		if (s)
			elab_pull_in_file(el, f);
	}
	if (s && s->scope == SCOPE_GLOBAL && !find_sym(&prog->globals, e->str))
		vec_push(&prog->globals, s);
	if (!s) {
		s = symbol_new(ast_strdup(e->str), SCOPE_LOCAL, e->loc);
		vec_push(el->locals, s);
	}
	return s;
}

static void use_function(struct elab *el, struct function *fn)
{
	struct vec *locals = el->locals;
	struct function *outer = el->fn;

	struct function *other;
	int clash = 0;

	if (fn->used)
		return;
	fn->used = 1;
	VEC_EACH(&el->prog->functions, i, other)
		clash |= !strcmp(other->name, fn->name);
	fn->cname = clash ? xasprintf("%s__%d", fn->name, fn->params.n)
			  : fn->name;
	vec_push(&el->prog->functions, fn);
	if (fn->embedded && !fn->src->is_tapset && !el->opt->guru)
		diag_error(DG_EMBEDDED_NO_GURU,
			   fn->loc, "embedded C code in function '%s' is only "
			   "allowed in tapsets and with -g (guru mode)",
			   fn->name);
	fold_body(el->prog, NULL, fn->body);
	if (!fn->body || !supported_stmt(fn->body))
		return;
	el->fn = fn;
	el->locals = &fn->locals;
	resolve_stmt(el, fn->body);
	el->fn = outer;
	el->locals = locals;
}

/* Overloads by arity: the script's function with as many parameters as
 * the call has arguments, else the library's. */
static struct function *lookup_function(struct elab *el, struct expr *e)
{
	struct function *fn = find_in(el->prog->script, e->str, e->args.n);
	const struct file_ast *f;

	if (fn)
		return fn;
	fn = tapset_find_function(elab_library(el), e->str, e->args.n, &f);
	if (fn)
		elab_pull_in_file(el, f);
	return fn;
}

static void add_arity(struct vec *v, intptr_t n)
{
	for (int i = 0; i < v->n; i++)
		if ((intptr_t)v->v[i] == n)
			return;
	vec_push(v, (void *)n);
}

/* A call no overload takes: what the overloads take, or no such name. */
static void no_overload(struct elab *el, struct expr *e)
{
	struct vec lib = { 0 }, all = { 0 };
	struct function *fn;
	const char *hint;

	VEC_EACH(&el->prog->script->functions, i, fn)
		if (!strcmp(fn->name, e->str))
			add_arity(&all, fn->params.n);
	tapset_function_arities(elab_library(el), e->str, &lib);
	for (int i = 0; i < lib.n; i++)
		add_arity(&all, (intptr_t)lib.v[i]);
	free(lib.v);
	if (all.n == 1) {
		int n = (int)(intptr_t)all.v[0];

		diag_error(DG_WRONG_ARITY,
			   e->loc, "function '%s' takes %d argument%s, %d "
			   "given", e->str, n, n == 1 ? "" : "s", e->args.n);
	} else if (all.n) {
		struct strbuf t;

		sb_init(&t);
		for (int i = 0; i < all.n; i++)
			sb_printf(&t, "%s%d", i == 0 ? "" : i == all.n - 1 ?
				  " or " : ", ", (int)(intptr_t)all.v[i]);
		diag_error(DG_OVERLOAD_MISSING,
			   e->loc, "no overload of function '%s' takes %d "
			   "argument%s; its overloads take %s", e->str,
			   e->args.n, e->args.n == 1 ? "" : "s", t.s);
		sb_free(&t);
	} else if ((hint = suggest_function(el, e->str))) {
		diag_error(DG_UNKNOWN_FUNCTION,
			   e->loc, "unresolved function '%s'; did you mean "
			   "'%s'?", e->str, hint);
	} else {
		diag_error(DG_UNKNOWN_FUNCTION,
			   e->loc, "unresolved function '%s'", e->str);
	}
	free(all.v);
}

static void resolve_call(struct elab *el, struct expr *e)
{
	for (int i = 0; i < e->args.n; i++)
		resolve_expr(el, e->args.v[i]);
	e->bi = bi_lookup(EX_CALL, e->str);
	if (e->bi)
		return;
	e->fn = lookup_function(el, e);
	if (!e->fn) {
		no_overload(el, e);
		return;
	}
	use_function(el, e->fn);
}

/* Two functions of the script with one name and one number of
 * parameters: SystemTap chains them at run time with 'next', which
 * tapc does not do yet; better an error than a silent choice. */
static void check_overloads(const struct file_ast *script)
{
	struct function *fn, *prev;

	VEC_EACH(&script->functions, i, fn)
		for (int j = 0; j < i; j++) {
			char *first;

			prev = script->functions.v[j];
			if (strcmp(prev->name, fn->name) ||
			    prev->params.n != fn->params.n)
				continue;
			first = xstrdup(loc_str(prev->loc));
			diag_error(DG_OVERLOAD_SAME,
				   fn->loc, "function '%s' with %d parameter%s "
				   "is already defined at %s; overloads must "
				   "differ in their number of parameters",
				   fn->name, fn->params.n,
				   fn->params.n == 1 ? "" : "s", first);
			free(first);
			break;
		}
}

static void require_lvalue(struct expr *target, const char *what)
{
	if (target->kind != EX_VAR && target->kind != EX_INDEX)
		diag_error(DG_BAD_LVALUE,
			   target->loc, "the operand of %s must be a variable "
			   "or an array element", what);
}

/* The one target value a script may assign: a netfilter hook's
 * $verdict, in guru mode (elab_target.c checks the point's kind). */
static void require_verdict(struct elab *el, struct expr *target)
{
	if (target->comps.n || strcmp(target->str, "$verdict"))
		diag_error(DG_TARGET_ASSIGN, target->loc, "assigning target value '%s' is not "
			   "supported (only a netfilter probe's $verdict, in "
			   "guru mode)", target->str);
	else if (!el->opt->guru)
		diag_error(DG_VERDICT_GURU, target->loc, "assigning $verdict needs guru mode "
			   "(-g)");
}

static void resolve_child(void *el, struct expr *e)
{
	resolve_expr(el, e);
}

static void resolve_expr(struct elab *el, struct expr *e)
{
	if (!e)
		return;
	switch (e->kind) {
	case EX_NUM:
	case EX_STR:
		break;
	case EX_VAR:
		e->sym = lookup_var(el, e);
		break;
	case EX_CALL:
		resolve_call(el, e);
		break;
	case EX_STAT:
	case EX_HIST:
		e->bi = bi_lookup(e->kind, e->str); /* preprocess.c: no other */
		ast_expr_children(e, resolve_child, el);
		break;
	case EX_INDEX:
	case EX_IN:
		use_array(el, e->a, e->args.n, e->loc);
		resolve_keys(el, e);
		break;
	case EX_ASSIGN:
		if (e->a->kind == EX_TARGET)
			require_verdict(el, e->a);
		else
			require_lvalue(e->a, "an assignment");
		resolve_expr(el, e->b);
		resolve_expr(el, e->a);
		break;
	case EX_PREINC:
	case EX_POSTINC:
		require_lvalue(e->a, op_text(e->op));
		resolve_expr(el, e->a);
		break;
	case EX_TARGET:
	case EX_CAST:
		elab_target_resolve(el->fn ? &el->fn->loc : NULL, e);
		ast_expr_children(e, resolve_child, el);
		break;
	case EX_ENTRY:
		if (el->fn)
			diag_error(DG_ENTRY_OUTSIDE_RETURN,
				   e->loc, "@entry is only available in "
				   ".return probes");
		ast_expr_children(e, resolve_child, el);
		break;
	default:
		ast_expr_children(e, resolve_child, el);
		break;
	}
}

/* foreach ([k1, k2] in a) or foreach (v = [k] in a): the keys and the
 * value are locals of the body. */
static void resolve_foreach(struct elab *el, struct stmt *s)
{
	struct expr *k;

	if (s->e->kind != EX_VAR) {
		unsupported(s->e->loc, "foreach over slices and histograms is");
		return;
	}
	use_array(el, s->e, s->keys.n, s->loc);
	VEC_EACH(&s->keys, i, k)
		resolve_expr(el, k);
	resolve_expr(el, s->value);
	resolve_expr(el, s->limit);
	resolve_stmt(el, s->then);
}

static void resolve_stmt(struct elab *el, struct stmt *s)
{
	struct stmt *sub;

	if (!s)
		return;
	switch (s->kind) {
	case ST_BLOCK:
		VEC_EACH(&s->body, i, sub)
			resolve_stmt(el, sub);
		break;
	case ST_RETURN:
		if (!el->fn)
			diag_error(DG_RETURN_OUTSIDE_FUNCTION,
				   s->loc, "'return' outside a function; use "
				   "'next' to leave a probe");
		resolve_expr(el, s->e);
		break;
	case ST_NEXT:
		if (el->fn)
			diag_error(DG_NEXT_OUTSIDE_PROBE,
				   s->loc, "'next' is only allowed in a probe");
		break;
	case ST_FOREACH:
		resolve_foreach(el, s);
		break;
	case ST_DELETE:
		if (s->e->kind == EX_VAR)
			s->e->sym = lookup_var(el, s->e);
		else if (s->e->kind == EX_INDEX)
			resolve_expr(el, s->e);
		else
			unsupported(s->e->loc, "deleting this is");
		break;
	default:
		resolve_expr(el, s->init);
		resolve_expr(el, s->e);
		resolve_expr(el, s->step);
		resolve_stmt(el, s->then);
		resolve_stmt(el, s->els);
		break;
	}
}

/* Checks loops enclose break and continue. */
static void check_loops(struct stmt *s, int in_loop)
{
	struct stmt *sub;

	if (!s)
		return;
	if ((s->kind == ST_BREAK || s->kind == ST_CONTINUE) && !in_loop)
		diag_error(DG_BREAK_OUTSIDE_LOOP, s->loc, "'%s' outside a loop",
			   s->kind == ST_BREAK ? "break" : "continue");
	VEC_EACH(&s->body, i, sub)
		check_loops(sub, in_loop);
	in_loop |= s->kind == ST_WHILE || s->kind == ST_FOR ||
		   s->kind == ST_FOREACH;
	check_loops(s->then, in_loop);
	check_loops(s->els, in_loop);
}

/* ---- type inference ---- */

static enum type infer(struct elab *el, struct expr *e, enum type want);

/* Fixes the type of a symbol, or reports a conflict with its first use. */
static enum type settle(struct elab *el, struct symbol *s, enum type t,
			struct loc loc)
{
	if (t == TY_UNKNOWN)
		return s->type;
	if (s->type == TY_UNKNOWN) {
		s->type = t;
		s->type_loc = loc;
		el->changed = 1;
	}
	return s->type;
}

static void mismatch(struct elab *el, struct expr *e, enum type want,
		     enum type got)
{
	const struct symbol *why = e == el->why_expr ? el->why_sym : NULL;
	char *first;

	if (!el->report)
		return;
	if (e->kind == EX_VAR && e->sym->type_loc.src)
		why = e->sym;
	if (!why || !why->type_loc.src) {
		diag_error(DG_TYPE_MISMATCH,
			   e->loc, "type mismatch: expected %s, found %s",
			   type_name(want), type_name(got));
		return;
	}
	first = xstrdup(loc_str(why->type_loc));
	if (why == e->sym)
		diag_error(DG_TYPE_MISMATCH,
			   e->loc, "type mismatch: '%s' is %s (since %s), "
			   "used as %s here", why->name, type_name(got), first,
			   type_name(want));
	else
		diag_error(DG_TYPE_MISMATCH,
			   e->loc, "type mismatch: '%s' is %s (since %s), "
			   "this is %s", why->name, type_name(want), first,
			   type_name(got));
	free(first);
}

static void infer_format(struct elab *el, struct expr *e, int first_arg)
{
	struct expr *f = e->args.n > first_arg ? e->args.v[first_arg] : NULL;
	struct fmt fmt;
	char *err;
	int arg = first_arg + 1;

	if (!f || f->kind != EX_STR) {
		if (el->report)
			diag_error(DG_FORMAT_NOT_LITERAL,
				   f ? f->loc : e->loc, "%s needs a literal "
				   "format string", e->str);
		return;
	}
	if (fmt_parse(f->str, &fmt, &err) < 0) {
		if (el->report)
			diag_error(DG_FORMAT, f->loc, "%s", err);
		free(err);
		return;
	}
	for (int i = 0; i < fmt.n; i++) {
		struct fmt_piece *p = &fmt.pieces[i];
		int stars = p->star_width + p->star_prec;

		if (!p->conv || p->conv == '%')
			continue;
		for (int k = 0; k <= stars && arg < e->args.n; k++, arg++)
			infer(el, e->args.v[arg],
			      k < stars ? TY_LONG : fmt_arg_type(p->conv));
	}
	if (el->report && fmt_nargs(&fmt) != e->args.n - first_arg - 1)
		diag_error(DG_FORMAT_ARGUMENTS,
			   e->loc, "the format of %s takes %d argument%s, %d "
			   "given", e->str, fmt_nargs(&fmt),
			   fmt_nargs(&fmt) == 1 ? "" : "s",
			   e->args.n - first_arg - 1);
	fmt_free(&fmt);
}

/* print and println take any values; printd and printdln a literal
 * delimiter first, then two or more values; sprint, sprintln, sprintd
 * and sprintdln are their string-valued forms. */
enum type elab_bi_print(struct elab *el, struct expr *e)
{
	int delim = e->bi->flags & BI_DELIM;
	enum type ret = e->bi->flags & BI_STRING ? TY_STRING : TY_UNKNOWN;

	for (int i = 0; i < e->args.n; i++)
		infer(el, e->args.v[i], delim && !i ? TY_STRING : TY_UNKNOWN);
	if (!el->report)
		return ret;
	if (delim && e->args.n < 3)
		diag_error(DG_PRINT_DELIMITER,
			   e->loc, "%s needs a delimiter and two or more "
			   "values", e->str);
	else if (delim && ((struct expr *)e->args.v[0])->kind != EX_STR)
		diag_error(DG_PRINT_DELIMITER,
			   ((struct expr *)e->args.v[0])->loc, "the delimiter "
			   "of %s must be a literal string", e->str);
	return ret;
}

/* printf and sprintf. */
enum type elab_bi_format(struct elab *el, struct expr *e)
{
	infer_format(el, e, 0);
	return e->bi->flags & BI_STRING ? TY_STRING : TY_UNKNOWN;
}

/* @count(s) ...: of a statistic, a number. */
enum type elab_bi_stat(struct elab *el, struct expr *e)
{
	infer(el, e->a, TY_STAT);
	return TY_LONG;
}

/* @hist_log(s), @hist_linear(s, lo, hi, width): only printed. */
enum type elab_bi_hist(struct elab *el, struct expr *e)
{
	infer(el, e->a, TY_STAT);
	for (int i = 0; i < e->args.n; i++)
		infer(el, e->args.v[i], TY_LONG);
	return TY_UNKNOWN;
}

static enum type infer_call(struct elab *el, struct expr *e, enum type want)
{
	struct function *fn = e->fn;

	if (e->bi)
		return e->bi->infer(el, e);
	if (!fn) {		/* unresolved: reported already */
		for (int i = 0; i < e->args.n; i++)
			infer(el, e->args.v[i], TY_UNKNOWN);
		return TY_UNKNOWN;
	}
	for (int i = 0; i < e->args.n && i < fn->params.n; i++) {
		struct symbol *p = fn->params.v[i];
		enum type t = infer(el, e->args.v[i], p->type);

		settle(el, p, t, ((struct expr *)e->args.v[i])->loc);
	}
	if (fn->ret == TY_UNKNOWN && want != TY_UNKNOWN) {
		fn->ret = want;
		fn->ret_loc = e->loc;
		el->changed = 1;
	}
	return fn->ret;
}

static int is_comparison(int op)
{
	return op == OP_EQ || op == OP_NE || op == '<' || op == '>' ||
	       op == OP_LE || op == OP_GE;
}

/* Two operands that must agree, whichever of them knows its type; a
 * conflict is reported once, on the second. */
static enum type infer_pair(struct elab *el, struct expr *a, struct expr *b,
			    enum type want)
{
	enum type ta = infer(el, a, want), tb;

	if (a->kind == EX_VAR) {
		el->why_expr = b;
		el->why_sym = a->sym;
	}
	tb = infer(el, b, ta != TY_UNKNOWN ? ta : want);
	el->why_expr = NULL;
	if (ta == TY_UNKNOWN && tb != TY_UNKNOWN)
		ta = infer(el, a, tb);
	return ta != TY_UNKNOWN ? ta : tb;
}

/* Key i of array a takes its type from k, or gives k its type. */
static void infer_key(struct elab *el, struct array_info *a, int i,
		      struct expr *k)
{
	enum type t = infer(el, k, a->key[i]);

	if (a->key[i] == TY_UNKNOWN && t != TY_UNKNOWN) {
		a->key[i] = t;
		el->changed = 1;
	}
}

static enum type infer_index(struct elab *el, struct expr *e, enum type want)
{
	struct array_info *a = elab_array(el->prog, e->a->sym);

	for (int i = 0; i < e->args.n; i++)
		infer_key(el, a, i, e->args.v[i]);
	if (e->kind == EX_IN)
		return TY_LONG;
	return settle(el, e->a->sym, want, e->loc);
}

/* The pattern of =~ is a literal that compiles (regex.c). */
static void check_regex(const struct expr *re)
{
	char *err;

	if (re->kind != EX_STR) {
		diag_error(DG_REGEX_NOT_LITERAL,
			   re->loc, "the right side of =~ must be a literal "
			   "regular expression");
		return;
	}
	if (re_check(re->str, &err) < 0) {
		diag_error(DG_REGEX, re->loc, "%s", err);
		free(err);
	}
}

static enum type infer_kind(struct elab *el, struct expr *e, enum type want)
{
	switch (e->kind) {
	case EX_NUM:
		return TY_LONG;
	case EX_STR:
		return TY_STRING;
	case EX_VAR:
		if (el->report && elab_array(el->prog, e->sym))
			diag_error(DG_ARRAY_WITHOUT_KEYS,
				   e->loc, "array '%s' is used without keys",
				   e->str);
		return settle(el, e->sym, want, e->loc);
	case EX_INDEX:
	case EX_IN:
		return infer_index(el, e, want);
	case EX_STAT:
	case EX_HIST:
		return e->bi->infer(el, e);
	case EX_CALL:
		return infer_call(el, e, want);
	case EX_REGEX:
		infer(el, e->a, TY_STRING);
		if (el->report)
			check_regex(e->b);
		return TY_LONG;
	case EX_UNARY:
	case EX_PREINC:
	case EX_POSTINC:
	case EX_ADDR:
		infer(el, e->a, TY_LONG);
		return TY_LONG;
	case EX_TERNARY:
		infer(el, e->a, TY_LONG);
		return infer_pair(el, e->b, e->c, want);
	case EX_ASSIGN:
		if (e->op == OP_AGGREGATE) {
			infer(el, e->a, TY_STAT);
			infer(el, e->b, TY_LONG);
			return TY_UNKNOWN;
		}
		if (e->op == '=')
			return infer_pair(el, e->a, e->b, want);
		if (e->op == OP_CAT_ASSIGN)
			return infer_pair(el, e->a, e->b, TY_STRING);
		return infer_pair(el, e->a, e->b, TY_LONG);
	case EX_BINARY:
		if (e->op == '.') {
			infer(el, e->a, TY_STRING);
			infer(el, e->b, TY_STRING);
			return TY_STRING;
		}
		if (is_comparison(e->op)) {
			infer_pair(el, e->a, e->b, TY_UNKNOWN);
			return TY_LONG;
		}
		infer(el, e->a, TY_LONG);
		infer(el, e->b, TY_LONG);
		return TY_LONG;
	case EX_TARGET:
	case EX_CAST:
		/* Typed from the DWARF by elab_target_probe(). */
		if (e->a)
			infer(el, e->a, TY_LONG);
		for (int i = 0; i < e->comps.n; i++) {
			struct target_comp *tc = e->comps.v[i];

			if (tc->index)
				infer(el, tc->index, TY_LONG);
		}
		return e->type;
	case EX_ENTRY:		/* saved at the entry (elab_entry.c) */
		return infer(el, e->a, want);
	default:		/* rejected by supported_expr() */
		break;
	}
	return TY_UNKNOWN;
}

static enum type infer(struct elab *el, struct expr *e, enum type want)
{
	enum type t = infer_kind(el, e, want);

	e->type = t;
	if (want != TY_UNKNOWN && t != TY_UNKNOWN && t != want)
		mismatch(el, e, want, t);
	return t;
}

static void infer_stmt(struct elab *el, struct stmt *s);

static void infer_foreach(struct elab *el, struct stmt *s)
{
	struct array_info *a = elab_array(el->prog, s->e->sym);
	struct symbol *arr = s->e->sym;

	for (int i = 0; i < s->keys.n; i++)
		infer_key(el, a, i, s->keys.v[i]);
	if (s->value) {
		enum type t = infer(el, s->value, arr->type);

		settle(el, arr, t, s->value->loc);
	}
	if (el->report && arr->type == TY_STAT && s->value)
		diag_error(DG_STATISTIC_ASSIGN,
			   s->value->loc, "a statistic is no value to "
			   "assign; use @count(%s[...]) and the like",
			   arr->name);
	if (el->report && arr->type != TY_STAT && s->sort_aggr)
		diag_error(DG_FOREACH_SORT_AGGREGATE,
			   s->loc, "'@%s' sorts statistics, and '%s' is %s",
			   s->sort_aggr, arr->name, type_name(arr->type));
	if (s->limit)
		infer(el, s->limit, TY_LONG);
	infer_stmt(el, s->then);
}

static void infer_stmt(struct elab *el, struct stmt *s)
{
	struct stmt *sub;

	if (!s)
		return;
	switch (s->kind) {
	case ST_BLOCK:
		VEC_EACH(&s->body, i, sub)
			infer_stmt(el, sub);
		return;
	case ST_EXPR:
		infer(el, s->e, TY_UNKNOWN);
		return;
	case ST_FOREACH:
		infer_foreach(el, s);
		return;
	case ST_DELETE:
		if (s->e->kind == EX_INDEX)
			infer(el, s->e, TY_UNKNOWN);
		return;
	case ST_TRY:		/* catch (msg): msg is the error's text */
		if (s->e)
			infer(el, s->e, TY_STRING);
		infer_stmt(el, s->then);
		infer_stmt(el, s->els);
		return;
	case ST_RETURN:
		if (s->e && el->fn) {
			enum type t = infer(el, s->e, el->fn->ret);

			if (el->fn->ret == TY_UNKNOWN && t != TY_UNKNOWN) {
				el->fn->ret = t;
				el->fn->ret_loc = s->e->loc;
				el->changed = 1;
			}
		}
		return;
	default:
		if (s->init)
			infer(el, s->init, TY_UNKNOWN);
		if (s->e)
			infer(el, s->e, TY_LONG);
		if (s->step)
			infer(el, s->step, TY_UNKNOWN);
		infer_stmt(el, s->then);
		infer_stmt(el, s->els);
		return;
	}
}

static void infer_all(struct elab *el)
{
	struct program *prog = el->prog;
	struct probe *p;
	struct function *fn;
	struct symbol *g;

	VEC_EACH(&prog->globals, i, g)
		if (g->init)
			settle(el, g, g->init->kind == EX_STR ? TY_STRING
							      : TY_LONG, g->loc);
	el->fn = NULL;
	VEC_EACH(&prog->probes, i, p)
		infer_stmt(el, p->body);
	VEC_EACH(&prog->functions, i, fn) {
		el->fn = fn;
		if (fn->embedded) {
			/* Embedded C is typed by its declaration; long by default. */
			struct symbol *prm;

			VEC_EACH(&fn->params, j, prm)
				settle(el, prm, TY_LONG, prm->loc);
		} else {
			infer_stmt(el, fn->body);
		}
	}
	el->fn = NULL;
}

static void check_resolved(struct vec *syms, const char *what)
{
	struct symbol *s;

	VEC_EACH(syms, i, s)
		if (s->type == TY_UNKNOWN)
			diag_error(DG_TYPE_NOT_INFERRED,
				   s->loc, "cannot infer the type of %s '%s'",
				   what, s->name);
}

static void infer_types(struct elab *el)
{
	struct program *prog = el->prog;
	struct probe *p;
	struct function *fn;

	do {
		el->changed = 0;
		infer_all(el);
	} while (el->changed);
	el->report = 1;
	infer_all(el);
	check_resolved(&prog->globals, "global");
	{
		struct array_info *a;

		VEC_EACH(&prog->arrays, i, a)
			for (int k = 0; k < a->nkeys; k++)
				if (a->key[k] == TY_UNKNOWN)
					diag_error(DG_TYPE_NOT_INFERRED,
						   a->loc, "cannot infer the "
						   "type of key %d of array "
						   "'%s'", k + 1, a->sym->name);
	}
	VEC_EACH(&prog->probes, i, p)
		check_resolved(&p->locals, "local");
	VEC_EACH(&prog->functions, i, fn) {
		check_resolved(&fn->locals, "local");
		check_resolved(&fn->params, "parameter");
	}
}

/* ---- statistics ---- */

struct stat_info *elab_stat(const struct program *prog,
			    const struct symbol *sym)
{
	struct stat_info *st;

	VEC_EACH(&prog->stats, i, st)
		if (st->sym == sym)
			return st;
	return NULL;
}

static int literal_arg(const struct expr *e, int i, int64_t *v)
{
	const struct expr *a = e->args.v[i];

	if (a->kind != EX_NUM) {
		diag_error(e->kind == EX_HIST ? DG_HIST_ARGUMENTS :
			   DG_VARIANCE_SHIFT,
			   a->loc, "%s", e->kind == EX_HIST ?
			   "the bounds of @hist_linear must be numbers" :
			   "the bit shift of @variance must be a number");
		return 0;
	}
	*v = a->num;
	return 1;
}

/* The statistic of @hist_*(s) or @count(a[k]) ...: s or a. */
static const struct symbol *stat_sym(const struct expr *e)
{
	return e->a->kind == EX_INDEX ? e->a->a->sym : e->a->sym;
}

/* @variance(s[, shift]): one shift per statistic. */
void elab_bi_variance(struct program *prog, const struct expr *e)
{
	struct stat_info *st = elab_stat(prog, stat_sym(e));
	int64_t shift = 0;

	if (!st)
		return;
	if (e->args.n > 1) {
		diag_error(DG_VARIANCE_ARGUMENTS,
			   e->loc, "@variance takes a statistic and an "
			   "optional bit shift");
		return;
	}
	if (e->args.n == 1 && !literal_arg(e, 0, &shift))
		return;
	if (shift < 0 || shift > 62) {
		diag_error(DG_VARIANCE_SHIFT,
			   e->loc, "the bit shift of @variance must be 0 to 62");
		return;
	}
	if (st->variance && st->shift != shift) {
		diag_error(DG_STATISTIC_CONFLICT,
			   e->loc, "'%s' is used with another @variance bit "
			   "shift; a statistic has one", st->sym->name);
		return;
	}
	st->variance = 1;
	st->shift = (int)shift;
}

/* @hist_log(s) or @hist_linear(s, lo, hi, width): one layout per
 * statistic, since it is fixed when the module is built. */
void elab_bi_hist_layout(struct program *prog, const struct expr *e)
{
	struct stat_info *st = elab_stat(prog, stat_sym(e));
	struct stat_info want = { .hist = e->bi->id == BI_HIST_LOG ? 1 : 2,
				  .hist_loc = e->loc };

	if (!st)
		return;
	if (want.hist == 2) {
		if (!literal_arg(e, 0, &want.lo) || !literal_arg(e, 1, &want.hi) ||
		    !literal_arg(e, 2, &want.width))
			return;
		if (want.width <= 0 || want.hi <= want.lo ||
		    (want.hi - want.lo) / want.width > 1000) {
			diag_error(DG_HIST_BUCKETS,
				   e->loc, "@hist_linear needs low < high and a "
				   "width giving at most 1000 buckets");
			return;
		}
	}
	if (!st->hist) {
		st->hist = want.hist;
		st->lo = want.lo;
		st->hi = want.hi;
		st->width = want.width;
		st->hist_loc = want.hist_loc;
	} else if (st->hist != want.hist || st->lo != want.lo ||
		   st->hi != want.hi || st->width != want.width) {
		char *first = xstrdup(loc_str(st->hist_loc));

		diag_error(DG_STATISTIC_CONFLICT,
			   e->loc, "'%s' is printed with another histogram at "
			   "%s; a statistic has one", st->sym->name, first);
		free(first);
	}
}

static void hists_in_expr(void *prog, struct expr *e)
{
	if (e->bi && e->bi->check)
		e->bi->check(prog, e);
	ast_expr_children(e, hists_in_expr, prog);
}

static void walk_stmt_hists(void *prog, struct stmt *s)
{
	ast_stmt_children(s, hists_in_expr, walk_stmt_hists, prog);
}

static void local_stats(const struct vec *locals)
{
	struct symbol *s;

	VEC_EACH(locals, i, s)
		if (s->type == TY_STAT)
			diag_error(DG_STATISTIC_NOT_GLOBAL,
				   s->loc, "statistic '%s' must be a global",
				   s->name);
}

static void collect_stats(struct program *prog)
{
	struct symbol *g;
	struct probe *p;
	struct function *fn;

	VEC_EACH(&prog->globals, i, g) {
		struct stat_info *st;

		if (g->type != TY_STAT)
			continue;
		st = xcalloc(1, sizeof(*st));
		st->sym = g;
		vec_push(&prog->stats, st);
	}
	VEC_EACH(&prog->probes, i, p) {
		local_stats(&p->locals);
		walk_stmt_hists(prog, p->body);
	}
	VEC_EACH(&prog->functions, i, fn) {
		local_stats(&fn->locals);
		walk_stmt_hists(prog, fn->body);
	}
}

/* Probe-point families live in points.c. */
int elab_resolve_point(struct elab *el, struct probe *p,
		       const struct probe_point *pp)
{
	return points_resolve(el->prog, p, pp, el->opt);
}

/* ---- constructs pass 1 reads that this pass does not handle yet ----
 * Each gives a located error rather than a crash or a wrong module; the
 * entries go as the constructs are implemented. */

static int unsupported(struct loc loc, const char *what)
{
	diag_error(DG_UNSUPPORTED, loc, "%s not supported yet", what);
	return 0;
}

static const char *unsupported_expr_kind(const struct expr *e)
{
	switch (e->kind) {
	case EX_WILDCARD: return "array slices are";
	case EX_ATVAR: return "@var is";
	case EX_AUTOCAST: return "'->' on a value that is not a target "
				 "variable is";
	case EX_DEFINED: return "@defined is";
	case EX_PROBEWRITE: return "@probewrite is";
	case EX_CONST: return "@const is";
	case EX_PERF: return "@perf is";
	case EX_ADDR:
		return e->a->addr ? NULL : "the address of anything but "
					   "a target value is";
	case EX_EMBEDDED: return "embedded C expressions are";
	case EX_INDEX:
		return e->a->kind != EX_VAR ? "indexing a histogram is" : NULL;
	default: return NULL;
	}
}

static int supported_expr(const struct expr *e);

static void supported_child(void *ok, struct expr *e)
{
	*(int *)ok &= supported_expr(e);
}

static int supported_expr(const struct expr *e)
{
	const char *what;
	int ok = 1;

	if (!e)
		return 1;
	what = unsupported_expr_kind(e);
	if (what)
		return unsupported(e->loc, what);
	ast_expr_children(e, supported_child, &ok);
	return ok;
}

static int supported_stmt(const struct stmt *s)
{
	int ok = 1;

	if (!s)
		return 1;
	ok &= supported_expr(s->e);
	ok &= supported_expr(s->init);
	ok &= supported_expr(s->step);
	ok &= supported_stmt(s->then);
	ok &= supported_stmt(s->els);
	ok &= supported_expr(s->value);
	ok &= supported_expr(s->limit);
	for (int i = 0; i < s->body.n; i++)
		ok &= supported_stmt(s->body.v[i]);
	return ok;
}

static int supported_probe(const struct probe *p)
{
	return supported_stmt(p->body);
}

/* ---- the pass ---- */

void elab_add_probe(struct elab *el, struct probe *p)
{
	p->id = el->prog->probes.n;
	vec_push(&el->prog->probes, p);
}

/* -u: every function of the script is in the program, called or not,
 * and so is every global it gives a value; nothing is elided. */
static void keep_unused(struct elab *el)
{
	struct file_ast *script = el->prog->script;
	struct function *fn;
	struct symbol *g;

	el->fn = NULL;
	VEC_EACH(&script->functions, i, fn)
		use_function(el, fn);
	VEC_EACH(&script->globals, i, g)
		if (g->init && !find_sym(&el->prog->globals, g->name))
			vec_push(&el->prog->globals, g);
}

struct program *elab_program(struct file_ast *script,
			     const struct elab_options *opt)
{
	struct elab el = { .opt = opt };
	struct program *prog = xcalloc(1, sizeof(*prog));
	int errors = diag_errors;
	struct probe *p;
	struct embedded *m;

	el.prog = prog;
	prog->script = script;
	prog->tapset_dir = opt->tapset_dir;
	prog->release = opt->release;
	if (!opt->guru)
		VEC_EACH(&script->embeds, i, m)
			diag_error(DG_EMBEDDED_NO_GURU,
				   m->loc, "embedded C code is only allowed in "
				   "tapsets and with -g (guru mode)");
	VEC_EACH(&script->embeds, i, m)
		vec_push(&prog->embeds, m);
	check_overloads(script);
	VEC_EACH(&script->probes, i, p)
		alias_expand(&el, p);
	fold_split(prog);
	VEC_EACH(&prog->probes, i, p) {
		fold_body(prog, p, p->body);
		if (!supported_probe(p))
			continue;
		elab_procfs_probe(prog, p);	/* $value (elab_procfs.c) */
		elab_target_probe(prog, p, opt->release);
		el.locals = &p->locals;
		el.fn = NULL;
		resolve_stmt(&el, p->body);
		check_loops(p->body, 0);
	}
	if (prog->probes.n == 0)
		diag_fatal(DG_NO_PROBES, "no probes in the script");
	for (int i = 0; i < prog->functions.n; i++) {
		struct function *fn = prog->functions.v[i];

		check_loops(fn->body, 0);
	}
	if (diag_errors == errors && opt->unoptimized)
		keep_unused(&el);
	else if (diag_errors == errors)
		elide_unused(&el);
	{
		struct symbol *g;

		VEC_EACH(&script->globals, i, g)
			if (!find_sym(&prog->globals, g->name))
				diag_warning(DG_ELIDE_VARIABLE,
					     g->loc, "eliding unused variable "
					     "'%s'", g->name);
	}
	if (diag_errors == errors)
		infer_types(&el);
	if (diag_errors == errors)
		collect_stats(prog);
	prog->lib = el.lib;
	alias_names_free(&el);
	prog->failed = diag_errors != errors;
	if (prog->failed)
		return prog;
	locks_compute(prog);
	return prog;
}

/* ---- pass 2's printable result ---- */

static void print_syms(const struct vec *syms, const char *indent,
		       struct strbuf *out)
{
	struct symbol *s;

	VEC_EACH(syms, i, s)
		sb_printf(out, "%s%s:%s\n", indent, s->name, type_name(s->type));
}

/* The globals a probe locks: "  # locks: a (write), b (read)" */
static void print_locks(const struct vec *locks, struct strbuf *out)
{
	struct global_lock *l;

	if (!locks->n)
		return;
	sb_puts(out, "  # locks:");
	VEC_EACH(locks, i, l)
		sb_printf(out, "%s %s (%s)", i ? "," : "", l->sym->name,
			  l->write ? "write" : "read");
	sb_putc(out, '\n');
}

void elab_print(const struct program *prog, struct strbuf *out)
{
	struct symbol *g;
	struct function *fn;
	struct probe *p;
	const struct source *src;

	if (prog->globals.n)
		sb_puts(out, "# globals\n");
	VEC_EACH(&prog->globals, i, g) {
		struct array_info *a = elab_array(prog, g);

		sb_puts(out, g->name);
		for (int k = 0; a && k < a->nkeys; k++)
			sb_printf(out, "%s%s", k ? ", " : "[",
				  type_name(a->key[k]));
		sb_printf(out, "%s:%s\n", a ? "]" : "", type_name(g->type));
	}
	if (prog->functions.n)
		sb_puts(out, "# functions\n");
	VEC_EACH(&prog->functions, i, fn) {
		struct symbol *prm;

		sb_puts(out, fn->name);
		if (fn->ret != TY_UNKNOWN)	/* else it returns nothing */
			sb_printf(out, ":%s", type_name(fn->ret));
		sb_puts(out, " (");
		VEC_EACH(&fn->params, j, prm)
			sb_printf(out, "%s%s:%s", j ? ", " : "", prm->name,
				  type_name(prm->type));
		sb_printf(out, ")%s\n", fn->embedded ? " %{ embedded C %}" : "");
		print_syms(&fn->locals, "  ", out);
	}
	sb_puts(out, "# probes\n");
	VEC_EACH(&prog->probes, i, p) {
		struct concrete_point *cp;

		const char *sep = "";

		VEC_EACH(&prog->points, j, cp)
			if (cp->probe == p) {
				sb_printf(out, "%s%s", sep, cp->text);
				sep = ", ";
			}
		sb_printf(out, " /* %s */\n", loc_str(p->loc));
		print_syms(&p->locals, "  ", out);
		print_locks(prog->probe_locks.v[p->id], out);
		/* A body aliases or conditions rewrote is shown as pass 3
		 * gets it. */
		if (p->origin)
			ast_print_stmt(p->body, 1, out);
	}
	if (prog->tapset_files.n)
		sb_puts(out, "# tapset files\n");
	/* Relative to the tapset directory, so the output is the same
	 * wherever tapc is installed. */
	VEC_EACH(&prog->tapset_files, i, src) {
		const char *name = src->name;
		size_t n = strlen(prog->tapset_dir);

		if (!strncmp(name, prog->tapset_dir, n) && name[n] == '/')
			name += n + 1;
		sb_printf(out, "%s\n", name);
	}
}
