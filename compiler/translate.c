/* translate.c - pass 3: the elaborated program as C.
 *
 * The module is one C file a person can read: the globals, one frame
 * struct per probe and function (its locals and string temporaries,
 * kept in the per-CPU context rather than on the small kernel stack),
 * one C function per script function and per probe body, then the
 * probe table the runtime registers.
 *
 * Expressions become C expressions.  Where one can fail (a call, a
 * division) it becomes a GNU statement expression that leaves the body
 * through `goto out` on error; string values are `const char *` into
 * a variable or a frame temporary.
 */
#include "translate.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "tr_int.h"
#include "tr_target.h"

struct tr {
	const struct program *prog;
	struct strbuf *body;		/* the function being written */
	struct strbuf frame;		/* members of its frame struct */
	const char *frame_name;		/* "probe_0", "fn_foo" */
	struct function *fn;		/* NULL in a probe */
	int temps;			/* string temporaries in the frame */
	int vals;			/* names for statement-expression values */
	int depth;			/* indentation */
	const struct concrete_point *cp; /* the point a handler is for */
	int in_try;			/* try blocks around this statement */
	int leave_used;			/* `leave` label needed (tr_lang.c) */
	const struct probe *probe;	/* the probe a handler is for */
	int at_entry;			/* writing @entry's (tr_entry.c) */
	int actions_bound;		/* a probe's tr_actions_bound() */
};

static char *tr_expr(struct tr *t, const struct expr *e);
static void tr_stmt(struct tr *t, const struct stmt *s);

/* ---- small helpers ---- */

void c_string(struct strbuf *b, const char *s)
{
	sb_putc(b, '"');
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			sb_printf(b, "\\%c", ch);
		else if (ch == '\n')
			sb_puts(b, "\\n");
		else if (ch == '\t')
			sb_puts(b, "\\t");
		else if (ch < 32 || ch >= 127)
			sb_printf(b, "\\%03o", ch);	/* octal stops at 3 digits */
		else
			sb_putc(b, (char)ch);
	}
	sb_putc(b, '"');
}

static char *c_string_dup(const char *s)
{
	struct strbuf b;

	sb_init(&b);
	c_string(&b, s);
	return b.s;
}

static char *loc_literal(struct loc loc)
{
	return c_string_dup(loc_str(loc));
}

static void line(struct tr *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* One line of the body at the current depth (tri_line for the other
 * translation files). */
static void vline(struct tr *t, const char *fmt, va_list ap)
{
	for (int i = 0; i < t->depth; i++)
		sb_putc(t->body, '\t');
	sb_vprintf(t->body, fmt, ap);
	sb_putc(t->body, '\n');
}

static void line(struct tr *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(t, fmt, ap);
	va_end(ap);
}

static int is_c_keyword(const char *s)
{
	static const char *const kw[] = {
		"auto", "break", "case", "char", "const", "continue",
		"default", "do", "double", "else", "enum", "extern", "float",
		"for", "goto", "if", "inline", "int", "long", "register",
		"restrict", "return", "short", "signed", "sizeof", "static",
		"struct", "switch", "typedef", "union", "unsigned", "void",
		"volatile", "while", "bool", "true", "false", NULL };

	for (int i = 0; kw[i]; i++)
		if (!strcmp(s, kw[i]))
			return 1;
	return 0;
}

/* A script name as a C member name: kept unless it is a C keyword or
 * could meet the translator's temporaries (tmpN).  Parameters arrive
 * as a_NAME, so they never meet c, l or ret. */
static const char *member(const char *name)
{
	static char buf[300];

	if (is_c_keyword(name) || !strncmp(name, "tmp", 3))
		snprintf(buf, sizeof(buf), "%s_", name);
	else
		snprintf(buf, sizeof(buf), "%s", name);
	return buf;
}

static char *new_temp(struct tr *t)
{
	sb_printf(&t->frame, "\tchar tmp%d[MAXSTRINGLEN];\n", t->temps);
	return xasprintf("l->tmp%d", t->temps++);
}

static char *var_ref(const struct symbol *s)
{
	if (s->scope == SCOPE_GLOBAL)
		return xasprintf("g_%s", s->name);
	return xasprintf("l->%s", member(s->name));
}

/* ---- expressions ---- */

static char *tr_num(int64_t v)
{
	if (v == INT64_MIN)
		return xstrdup("(-9223372036854775807LL - 1)");
	if (v >= -2147483647 && v <= 2147483647)
		return xasprintf("%" PRId64, v);
	return xasprintf("%" PRId64 "LL", v);
}

/* Arguments of a call to a script function, after `c`. */
static void call_args(struct tr *t, const struct expr *e, struct strbuf *b)
{
	for (int i = 0; i < e->args.n; i++) {
		char *a = tr_expr(t, e->args.v[i]);

		sb_printf(b, ", %s", a);
		free(a);
	}
}

/* The check after a call.  Embedded C that fails without a location
 * (error("msg") and matched(n) do) gets the call's own; so does any
 * failure inside a tapset function called from the user's script
 * (tr_call_relocates), and any STAP_ERROR of a C-bodied function: its
 * body has no script line of its own, the call is the place to show. */
static char *call_check(const struct expr *e)
{
	char *loc, *s;

	if (!tr_call_relocates(e) && !e->fn->embedded)
		return xstrdup("TAPC_CHECK()");
	loc = loc_literal(e->loc);
	s = xasprintf("TAPC_CHECK_CALL(%s)", loc);
	free(loc);
	return s;
}

static char *tr_call_function(struct tr *t, const struct expr *e)
{
	const struct function *fn = e->fn;
	char *check = call_check(e);
	struct strbuf b;

	sb_init(&b);
	if (fn->ret == TY_STRING) {
		char *tmp = new_temp(t);

		sb_printf(&b, "({ fn_%s(c, %s", fn->cname, tmp);
		call_args(t, e, &b);
		sb_printf(&b, "); %s; %s; })", check, tmp);
		free(tmp);
	} else if (fn->ret == TY_LONG) {
		int v = t->vals++;

		sb_printf(&b, "({ rt_long v%d = fn_%s(c", v, fn->cname);
		call_args(t, e, &b);
		sb_printf(&b, "); %s; v%d; })", check, v);
	} else {
		sb_printf(&b, "({ fn_%s(c", fn->cname);
		call_args(t, e, &b);
		sb_printf(&b, "); %s; })", check);
	}
	free(check);
	return b.s;
}

/* A stap format and its arguments as a kernel format and C arguments:
 * every integer is 64 bit, so %d becomes %lld. */
static void tr_format(struct tr *t, const struct expr *e, int first,
		      struct strbuf *kfmt, struct strbuf *args)
{
	const struct expr *f = e->args.v[first];
	struct fmt fmt;
	char *err;
	int arg = first + 1;
	struct strbuf k;

	sb_init(&k);
	fmt_parse(f->str, &fmt, &err);	/* pass 2 checked it */
	for (int i = 0; i < fmt.n; i++) {
		struct fmt_piece *p = &fmt.pieces[i];

		if (!p->conv) {
			for (const char *s = p->text; *s; s++)
				sb_puts(&k, *s == '%' ? "%%" : (char[]){ *s, 0 });
			continue;
		}
		if (p->conv == '%') {
			sb_puts(&k, "%%");
			continue;
		}
		if (tr_format_special(t, p, e, &arg, &k, args))
			continue;
		tr_format_stars(t, p, e, &arg, args);
		{
			char *a = tr_expr(t, e->args.v[arg++]);

			switch (p->conv) {
			case 's':
				sb_printf(&k, "%%%ss", p->text);
				sb_printf(args, ", %s", a);
				break;
			case 'c':
				sb_printf(&k, "%%%sc", p->text);
				sb_printf(args, ", (int)%s", a);
				break;
			case 'p':
				sb_printf(&k, "0x%%%sllx", p->text);
				sb_printf(args, ", (unsigned long long)%s", a);
				break;
			case 'd':
			case 'i':
				sb_printf(&k, "%%%slld", p->text);
				sb_printf(args, ", (long long)%s", a);
				break;
			default:	/* u x X o */
				sb_printf(&k, "%%%sll%c", p->text, p->conv);
				sb_printf(args, ", (unsigned long long)%s", a);
				break;
			}
			free(a);
		}
	}
	c_string(kfmt, k.s);
	sb_free(&k);
	fmt_free(&fmt);
}

/* print and println: each argument in its natural format. */
static void tr_print_args(struct tr *t, const struct expr *e, int newline,
			  struct strbuf *kfmt, struct strbuf *args)
{
	struct strbuf k;

	sb_init(&k);
	for (int i = 0; i < e->args.n; i++) {
		const struct expr *a = e->args.v[i];
		char *x = tr_expr(t, a);

		if (a->type == TY_STRING) {
			sb_puts(&k, "%s");
			sb_printf(args, ", %s", x);
		} else {
			sb_puts(&k, "%lld");
			sb_printf(args, ", (long long)%s", x);
		}
		free(x);
	}
	if (newline)
		sb_puts(&k, "\n");
	c_string(kfmt, k.s);
	sb_free(&k);
}

/* The text of a print: written out (rt_printf), or for the string-valued
 * forms (BI_STRING) into a temporary that is the value. */
static char *print_or_string(struct tr *t, const struct expr *e,
			     const struct strbuf *kfmt,
			     const struct strbuf *args)
{
	struct strbuf out;

	sb_init(&out);
	if (e->bi->flags & BI_STRING) {
		char *tmp = new_temp(t);

		sb_printf(&out, "({ snprintf(%s, MAXSTRINGLEN, %s%s); %s; })",
			  tmp, kfmt->s, args->s, tmp);
		free(tmp);
	} else {
		sb_printf(&out, "rt_printf(&c->rt, %s%s)", kfmt->s, args->s);
	}
	return out.s;
}

/* printf and sprintf. */
char *tr_bi_format(struct tr *t, const struct expr *e)
{
	struct strbuf kfmt, args;
	char *s;

	sb_init(&kfmt);
	sb_init(&args);
	tr_format(t, e, 0, &kfmt, &args);
	s = print_or_string(t, e, &kfmt, &args);
	sb_free(&kfmt);
	sb_free(&args);
	return s;
}

/* print and println; of a histogram, its one output record. */
char *tr_bi_print(struct tr *t, const struct expr *e)
{
	struct strbuf kfmt, args;
	int newline = !!(e->bi->flags & BI_NEWLINE);
	char *s;

	if (e->args.n == 1 &&
	    ((struct expr *)e->args.v[0])->kind == EX_HIST)
		return tr_hist_print(t, e->args.v[0], newline);
	sb_init(&kfmt);
	sb_init(&args);
	tr_print_args(t, e, newline, &kfmt, &args);
	s = print_or_string(t, e, &kfmt, &args);
	sb_free(&kfmt);
	sb_free(&args);
	return s;
}

static char *tr_divide(struct tr *t, const char *fn, const struct expr *e,
		       const char *a, const char *b)
{
	char *loc = loc_literal(e->loc);
	int v = t->vals++;
	char *s = xasprintf("({ rt_long v%d = %s(&c->rt, %s, %s, %s); "
			    "TAPC_CHECK(); v%d; })", v, fn, loc, a, b, v);

	free(loc);
	return s;
}

static int is_comparison_op(int op)
{
	return op == OP_EQ || op == OP_NE || op == '<' || op == '>' ||
	       op == OP_LE || op == OP_GE;
}

static const char *c_op(int op)
{
	switch (op) {
	case OP_ADD_ASSIGN: return "+=";
	case OP_SUB_ASSIGN: return "-=";
	case OP_MUL_ASSIGN: return "*=";
	case OP_AND_ASSIGN: return "&=";
	case OP_OR_ASSIGN: return "|=";
	case OP_XOR_ASSIGN: return "^=";
	default: return op_text(op);
	}
}

/* A number literal on the left of arithmetic is made 64-bit (1LL), so
 * that `1 << 40` or `100000 * 100000` is not computed as a C int. */
static char *long_operand(const struct expr *x, char *text)
{
	char *s;

	if (x->kind != EX_NUM || strstr(text, "LL") || text[0] == '(')
		return text;
	s = xasprintf("%sLL", text);
	free(text);
	return s;
}

static char *tr_binary(struct tr *t, const struct expr *e)
{
	char *a = tr_expr(t, e->a), *b = tr_expr(t, e->b), *s;

	if (e->op != OP_AND && e->op != OP_OR && !is_comparison_op(e->op))
		a = long_operand(e->a, a);

	if (e->op == '.') {
		char *tmp = new_temp(t);

		s = xasprintf("rt_strconcat(%s, %s, %s)", tmp, a, b);
		free(tmp);
	} else if (e->a->type == TY_STRING) {	/* comparison */
		s = xasprintf("(strcmp(%s, %s) %s 0)", a, b, op_text(e->op));
	} else if (e->op == '/') {
		s = tr_divide(t, "rt_div", e, a, b);
	} else if (e->op == '%') {
		s = tr_divide(t, "rt_mod", e, a, b);
	} else if (e->op == OP_SHL || e->op == OP_SHR) {
		/* A shift by 64 or more is undefined in C; stap masks it. */
		s = xasprintf("(%s %s (%s & 63))", a, op_text(e->op), b);
	} else {
		s = xasprintf("(%s %s %s)", a, op_text(e->op), b);
	}
	free(a);
	free(b);
	return s;
}

/* ---- arrays ---- */

/* The keys of a[k1, k2] as the runtime takes them. */
static char *tr_keys(struct tr *t, const struct expr *e)
{
	const struct array_info *a = elab_array(t->prog, e->a->sym);
	struct strbuf b;

	sb_init(&b);
	sb_puts(&b, "(union rt_key[]){ ");
	for (int i = 0; i < e->args.n; i++) {
		char *k = tr_expr(t, e->args.v[i]);

		sb_printf(&b, "%s{ .%c = %s }", i ? ", " : "",
			  a->key[i] == TY_STRING ? 's' : 'n', k);
		free(k);
	}
	sb_puts(&b, " }");
	return b.s;
}

/* a[k] to write: an lvalue, the element made if absent. */
static char *tr_elem_ref(struct tr *t, const struct expr *e)
{
	char *keys = tr_keys(t, e), *loc = loc_literal(e->a->loc), *s;

	s = xasprintf("TAPC_REF(%s, rt_map_ref(&c->rt, %s, &g_%s, %s))",
		      e->type == TY_STRING ? "char" : "rt_long", loc,
		      e->a->sym->name, keys);
	free(keys);
	free(loc);
	return s;
}

/* a[k] to read: never inserts; 0 or "" when absent. */
static char *tr_elem_get(struct tr *t, const struct expr *e)
{
	char *keys = tr_keys(t, e), *s;

	if (e->kind == EX_IN)
		s = xasprintf("(rt_map_find(&g_%s, %s) != NULL)",
			      e->a->sym->name, keys);
	else
		s = xasprintf("rt_map_get_%s(&g_%s, %s)",
			      e->type == TY_STRING ? "str" : "long",
			      e->a->sym->name, keys);
	free(keys);
	return s;
}

/* An assignment into the lvalue `a` (C text) of e->a's type. */
static char *tr_assign_to(struct tr *t, const struct expr *e, const char *a)
{
	char *b = tr_expr(t, e->b), *s;

	if (e->a->type == TY_STRING)
		s = xasprintf("%s(%s, %s)", e->op == '=' ? "rt_strcpy"
							: "rt_strcat", a, b);
	else if (e->op == OP_DIV_ASSIGN || e->op == OP_MOD_ASSIGN) {
		char *d = tr_divide(t, e->op == OP_DIV_ASSIGN ? "rt_div"
							      : "rt_mod",
				    e, a, b);

		s = xasprintf("(%s = %s)", a, d);
		free(d);
	} else if (e->op == OP_SHL_ASSIGN || e->op == OP_SHR_ASSIGN)
		s = xasprintf("(%s = %s %s (%s & 63))", a, a,
			      e->op == OP_SHL_ASSIGN ? "<<" : ">>", b);
	else
		s = xasprintf("(%s %s %s)", a, c_op(e->op), b);
	free(b);
	return s;
}

static char *tr_assign(struct tr *t, const struct expr *e)
{
	char *a, *s;

	if (e->op == OP_AGGREGATE)
		return tr_stat_add(t, e);

	if (e->a->kind == EX_INDEX && e->a->type == TY_STRING) {
		char *ref = tr_elem_ref(t, e->a);

		a = xasprintf("&%s", ref);
		free(ref);
	} else if (e->a->kind == EX_INDEX) {
		/* The element is found (or made) once, then updated. */
		char *ref = tr_elem_ref(t, e->a), *inner;
		int v = t->vals++;
		char *lhs = xasprintf("(*p%d)", v);

		inner = tr_assign_to(t, e, lhs);
		s = xasprintf("({ rt_long *p%d = &%s; %s; })", v, ref, inner);
		free(ref);
		free(lhs);
		free(inner);
		return s;
	} else {
		a = tr_expr(t, e->a);
	}
	s = tr_assign_to(t, e, a);
	free(a);
	return s;
}

static char *tr_sub(void *t, const struct expr *e)
{
	return tr_expr(t, e);
}

static char *tr_temp(void *t)
{
	return new_temp(t);
}

/* A target value at the point this handler is for (tr_target.c). */
static char *tr_target_value(struct tr *t, const struct expr *e)
{
	struct tgt_ctx x = { tr_sub, tr_temp, t, t->at_entry };
	enum type ty;
	char *s = t->cp ? tr_target(t->cp, e, &x, &ty, 0) : NULL;

	return s ? s : xstrdup("0 /* unresolved target value */");
}

static char *tr_expr(struct tr *t, const struct expr *e)
{
	char *a, *b, *c, *s;

	switch (e->kind) {
	case EX_NUM:
		return tr_num(e->num);
	case EX_STR:
		return c_string_dup(e->str);
	case EX_VAR:
		return var_ref(e->sym);
	case EX_CALL:
		return e->fn ? tr_call_function(t, e) : e->bi->emit(t, e);
	case EX_UNARY:
		a = tr_expr(t, e->a);
		s = e->op == '+' ? xstrdup(a) : xasprintf("(%c%s)", e->op, a);
		free(a);
		return s;
	case EX_INDEX:
	case EX_IN:
		return tr_elem_get(t, e);
	case EX_STAT:
		return e->bi->emit(t, e);
	case EX_REGEX:
		return tr_regex(t, e);
	case EX_PREINC:
	case EX_POSTINC:
		a = e->a->kind == EX_INDEX ? tr_elem_ref(t, e->a)
					   : tr_expr(t, e->a);
		s = e->kind == EX_PREINC ? xasprintf("(%s%s)", op_text(e->op), a)
					 : xasprintf("(%s%s)", a, op_text(e->op));
		free(a);
		return s;
	case EX_TARGET:
	case EX_CAST:
		return tr_target_value(t, e);
	case EX_ADDR:		/* of a target value: e->a->addr is set */
		return tr_expr(t, e->a);
	case EX_ENTRY:
		return tr_entry_value(t, e);
	case EX_BINARY:
		return tr_binary(t, e);
	case EX_ASSIGN:
		return tr_assign(t, e);
	case EX_TERNARY:
		a = tr_expr(t, e->a);
		b = tr_expr(t, e->b);
		c = tr_expr(t, e->c);
		s = xasprintf("(%s ? %s : %s)", a, b, c);
		free(a);
		free(b);
		free(c);
		return s;
	default:
		/* Pass 2 rejects what is not translated yet; should one get
		 * here, the module must not build. */
		diag_error(DG_INTERNAL,
			   e->loc, "internal error: pass 3 cannot translate "
			   "this expression");
		return xstrdup("({ _Static_assert(0, \"tapc: untranslated "
			       "expression\"); 0; })");
	}
}

/* ---- statements ---- */

static int direct_statements(const struct stmt *s)
{
	int n = 0;

	for (int i = 0; i < s->body.n; i++)
		n += ((struct stmt *)s->body.v[i])->kind != ST_EMPTY;
	return n;
}

/* The statements of a block, charged to MAXACTION on entry. */
static void tr_block_body(struct tr *t, const struct stmt *s)
{
	int n = s->kind == ST_BLOCK ? direct_statements(s) : 1;

	if (n) {
		char *loc = loc_literal(s->loc);

		if (!t->fn && t->actions_bound >= 0)
			line(t, "TAPC_CHARGE_MAX(%d, %d, %s);",
			     t->actions_bound, n, loc);
		else
			line(t, "TAPC_CHARGE(%d, %s);", n, loc);
		free(loc);
	}
	if (s->kind != ST_BLOCK) {
		tr_stmt(t, s);
		return;
	}
	for (int i = 0; i < s->body.n; i++)
		tr_stmt(t, s->body.v[i]);
}

static void tr_nested(struct tr *t, const struct stmt *s)
{
	t->depth++;
	tr_block_body(t, s);
	t->depth--;
}

/* A call whose value is not used: the call, then the check, as two
 * plain statements. */
static void tr_call_stmt(struct tr *t, const struct expr *e)
{
	struct strbuf b;
	char *check;

	sb_init(&b);
	sb_printf(&b, "fn_%s(c", e->fn->cname);
	call_args(t, e, &b);
	line(t, "%s);", b.s);
	check = call_check(e);
	line(t, "%s;", check);
	free(check);
	sb_free(&b);
}

static void tr_expr_stmt(struct tr *t, const struct expr *e)
{
	char *x;

	if (e->kind == EX_CALL && e->fn && e->fn->ret != TY_STRING) {
		tr_call_stmt(t, e);
		return;
	}
	x = tr_expr(t, e);
	int has_effect = e->kind == EX_ASSIGN || e->kind == EX_CALL ||
			 e->kind == EX_PREINC || e->kind == EX_POSTINC;

	/* Strip the outer parentheses of a plain assignment. */
	if (has_effect && x[0] == '(' && x[1] != '{' && e->kind != EX_CALL &&
	    x[strlen(x) - 1] == ')') {
		x[strlen(x) - 1] = '\0';
		line(t, "%s;", x + 1);
	} else {
		line(t, has_effect ? "%s;" : "(void)%s;", x);
	}
	free(x);
}

/* Where return and next go: `out`, or inside a try block (whose own
 * `out` catches errors) `leave`, placed just before the function's. */
static const char *leave_label(struct tr *t)
{
	if (!t->in_try)
		return "out";
	t->leave_used = 1;
	return "leave";
}

static void tr_return(struct tr *t, const struct stmt *s)
{
	char *x;

	if (!s->e || t->fn->ret == TY_UNKNOWN) {
		line(t, "goto %s;", leave_label(t));
		return;
	}
	x = tr_expr(t, s->e);
	if (t->fn->ret == TY_STRING)
		line(t, "rt_strcpy(ret, %s);", x);
	else
		line(t, "ret = %s;", x);
	line(t, "goto %s;", leave_label(t));
	free(x);
}

/* foreach: the map's entries (sorted if asked) into the key and value
 * locals, then the body. */
static void tr_foreach(struct tr *t, const struct stmt *s)
{
	const char *arr = s->e->sym->name;
	const struct array_info *a = elab_array(t->prog, s->e->sym);
	int v = t->vals++;

	line(t, "{");
	t->depth++;
	line(t, "struct rt_map_entry *e%d, *n%d __maybe_unused;", v, v);
	if (s->limit) {
		char *lim = tr_expr(t, s->limit);

		line(t, "rt_long limit%d = %s, seen%d = 0;", v, lim, v);
		free(lim);
	}
	if (s->sort_dir) {
		line(t, "rt_map_sort(&g_%s, %d, %d, %s);", arr, s->sort_col,
		     s->sort_dir, tr_stat_sort_key(s));
		line(t, "rt_map_for_each_sorted(&g_%s, e%d) {", arr, v);
	} else {
		line(t, "rt_map_for_each(&g_%s, e%d, n%d) {", arr, v, v);
	}
	t->depth++;
	if (s->limit) {
		line(t, "if (seen%d++ >= limit%d)", v, v);
		line(t, "\tbreak;");
	}
	for (int i = 0; i < s->keys.n; i++) {
		char *k = var_ref(((struct expr *)s->keys.v[i])->sym);

		if (a->key[i] == TY_STRING)
			line(t, "rt_strcpy(%s, rt_map_key_str(&g_%s, e%d, %d));",
			     k, arr, v, i);
		else
			line(t, "%s = rt_map_key_long(&g_%s, e%d, %d);", k,
			     arr, v, i);
		free(k);
	}
	if (s->value) {
		char *val = var_ref(s->value->sym);

		if (s->e->sym->type == TY_STRING)
			line(t, "rt_strcpy(%s, rt_map_value(&g_%s, e%d));",
			     val, arr, v);
		else
			line(t, "%s = *(rt_long *)rt_map_value(&g_%s, e%d);",
			     val, arr, v);
		free(val);
	}
	t->depth--;
	tr_nested(t, s->then);
	line(t, "}");
	t->depth--;
	line(t, "}");
}

static void tr_delete(struct tr *t, const struct stmt *s)
{
	const struct expr *e = s->e;
	char *x;

	if (e->kind == EX_INDEX) {
		x = tr_keys(t, e);
		line(t, "rt_map_delete(&g_%s, %s);", e->a->sym->name, x);
	} else if (elab_array(t->prog, e->sym)) {
		line(t, "rt_map_clear(&g_%s);", e->sym->name);
		return;
	} else if (e->sym->type == TY_STAT) {
		line(t, "rt_stat_clear(&g_%s);", e->sym->name);
		return;
	} else {
		x = var_ref(e->sym);
		if (e->sym->type == TY_STRING)
			line(t, "%s[0] = '\\0';", x);
		else
			line(t, "%s = 0;", x);
	}
	free(x);
}

static void tr_stmt(struct tr *t, const struct stmt *s)
{
	char *a, *b, *c;

	switch (s->kind) {
	case ST_EMPTY:
		break;
	case ST_BLOCK:
		line(t, "{");
		tr_nested(t, s);
		line(t, "}");
		break;
	case ST_EXPR:
		tr_expr_stmt(t, s->e);
		break;
	case ST_IF:
		a = tr_expr(t, s->e);
		line(t, "if (%s) {", a);
		tr_nested(t, s->then);
		if (s->els) {
			line(t, "} else {");
			tr_nested(t, s->els);
		}
		line(t, "}");
		free(a);
		break;
	case ST_WHILE:
		a = tr_expr(t, s->e);
		line(t, "while (%s) {", a);
		tr_nested(t, s->then);
		line(t, "}");
		free(a);
		break;
	case ST_FOR:
		a = s->init ? tr_expr(t, s->init) : xstrdup("");
		b = s->e ? tr_expr(t, s->e) : xstrdup("");
		c = s->step ? tr_expr(t, s->step) : xstrdup("");
		line(t, "for (%s; %s; %s) {", a, b, c);
		tr_nested(t, s->then);
		line(t, "}");
		free(a);
		free(b);
		free(c);
		break;
	case ST_RETURN:
		tr_return(t, s);
		break;
	case ST_NEXT:
		line(t, "goto %s;", leave_label(t));
		break;
	case ST_TRY:
		tr_try(t, s);
		break;
	case ST_BREAK:
		line(t, "break;");
		break;
	case ST_CONTINUE:
		line(t, "continue;");
		break;
	case ST_FOREACH:
		tr_foreach(t, s);
		break;
	case ST_DELETE:
		tr_delete(t, s);
		break;
	default:
		/* As in tr_expr: pass 2 rejects these first. */
		diag_error(DG_INTERNAL,
			   s->loc, "internal error: pass 3 cannot translate "
			   "this statement");
		line(t, "_Static_assert(0, \"tapc: untranslated statement\");");
		break;
	}
}

/* ---- frames, functions and probes ---- */

static void frame_member(struct tr *t, const struct symbol *s)
{
	if (s->type == TY_STRING)
		sb_printf(&t->frame, "\tchar %s[MAXSTRINGLEN];\n",
			  member(s->name));
	else
		sb_printf(&t->frame, "\trt_long %s;\n", member(s->name));
}

static void init_locals(struct tr *t, const struct vec *locals)
{
	struct symbol *s;

	VEC_EACH(locals, i, s) {
		frame_member(t, s);
		if (s->type == TY_STRING)
			line(t, "l->%s[0] = '\\0';", member(s->name));
		else
			line(t, "l->%s = 0;", member(s->name));
	}
}

static void begin_frame(struct tr *t, const char *name, struct strbuf *body)
{
	t->frame_name = name;
	t->body = body;
	t->temps = 0;
	t->vals = 0;
	t->leave_used = 0;
	t->depth = 1;
	sb_init(&t->frame);
}

/* Emits the frame struct into decls and remembers it for the union. */
static void end_frame(struct tr *t, struct strbuf *decls, struct vec *frames)
{
	if (t->frame.len) {
		sb_printf(decls, "struct %s_frame {\n%s};\n\n", t->frame_name,
			  t->frame.s);
		vec_push(frames, xstrdup(t->frame_name));
	}
	sb_free(&t->frame);
}

static const char *c_type(enum type ty)
{
	return ty == TY_STRING ? "const char *" : "rt_long ";
}

static void fn_signature(const struct function *fn, struct strbuf *b)
{
	struct symbol *p;

	sb_printf(b, "static %s fn_%s(struct tapc_context *c",
		  fn->ret == TY_LONG ? "rt_long" : "void", fn->cname);
	if (fn->ret == TY_STRING)
		sb_puts(b, ", char *ret");
	VEC_EACH(&fn->params, i, p)
		sb_printf(b, ", %sa_%s", c_type(p->type), p->name);
	sb_putc(b, ')');
}

static void tr_embedded_function(struct tr *t, const struct function *fn)
{
	struct symbol *p;

	line(t, "#define CONTEXT (&c->rt)");
	if (fn->ret == TY_STRING) {
		line(t, "ret[0] = '\\0';	/* \"\" unless the body sets it */");
		line(t, "#define STAP_RETVALUE ret");
		line(t, "#define STAP_RETURN(v) do { rt_strcpy(ret, (v)); "
			"goto out; } while (0)");
	} else if (fn->ret == TY_LONG) {
		line(t, "rt_long __retvalue = 0;");
		line(t, "#define STAP_RETVALUE __retvalue");
		line(t, "#define STAP_RETURN(v) do { __retvalue = (v); "
			"goto out; } while (0)");
	} else {
		line(t, "#define STAP_RETURN() goto out");
	}
	VEC_EACH(&fn->params, i, p)
		line(t, "#define STAP_ARG_%s a_%s", p->name, p->name);
	line(t, "#define STAP_ERROR(...) do { rt_error(CONTEXT, \"%s\", "
		"__VA_ARGS__); goto out; } while (0)", loc_str(fn->loc));
	sb_printf(t->body, "\t{%s}\n", fn->embedded);
	line(t, "goto out;");
	sb_puts(t->body, "out: __attribute__((unused));\n");
	VEC_EACH(&fn->params, i, p)
		line(t, "#undef STAP_ARG_%s", p->name);
	line(t, "#undef STAP_ERROR");
	line(t, "#undef STAP_RETURN");
	if (fn->ret != TY_UNKNOWN)
		line(t, "#undef STAP_RETVALUE");
	line(t, "#undef CONTEXT");
	if (fn->ret == TY_LONG)
		line(t, "return __retvalue;");
}

static void tr_script_function(struct tr *t, struct function *fn)
{
	struct symbol *p;
	char *loc = loc_literal(fn->loc);

	if (fn->ret == TY_LONG)
		line(t, "rt_long ret = 0;");
	line(t, "struct fn_%s_frame *l;", fn->cname);
	sb_putc(t->body, '\n');
	line(t, "if (unlikely(c->nesting >= MAXNESTING)) {");
	line(t, "\trt_error(&c->rt, %s, \"MAXNESTING exceeded\");", loc);
	line(t, "\treturn%s;", fn->ret == TY_LONG ? " 0" : "");
	line(t, "}");
	line(t, "l = &c->frames[++c->nesting].fn_%s;", fn->cname);
	VEC_EACH(&fn->params, i, p) {
		frame_member(t, p);
		if (p->type == TY_STRING)
			line(t, "rt_strcpy(l->%s, a_%s);", member(p->name),
			     p->name);
		else
			line(t, "l->%s = a_%s;", member(p->name), p->name);
	}
	init_locals(t, &fn->locals);
	tr_block_body(t, fn->body);
	if (t->leave_used)
		sb_puts(t->body, "leave: __attribute__((unused));\n");
	sb_puts(t->body, "out: __attribute__((unused));\n");
	line(t, "c->nesting--;");
	if (fn->ret == TY_LONG)
		line(t, "return ret;");
	free(loc);
	/* Every script function has a frame, even an empty one. */
	if (!t->frame.len)
		sb_puts(&t->frame, "\tchar unused;\n");
}

static void tr_function(struct tr *t, struct function *fn,
			struct strbuf *decls, struct strbuf *defs,
			struct vec *frames)
{
	struct strbuf body;
	char *name = xasprintf("fn_%s", fn->cname);

	sb_init(&body);
	begin_frame(t, name, &body);
	t->fn = fn;
	if (fn->embedded)
		tr_embedded_function(t, fn);
	else
		tr_script_function(t, fn);
	sb_printf(defs, "/* function %s at %s%s */\n", fn->name,
		  loc_str(fn->loc), fn->embedded ? ", embedded C" : "");
	fn_signature(fn, defs);
	sb_printf(defs, "\n{\n%s}\n\n", body.s);
	end_frame(t, decls, frames);
	t->fn = NULL;
	sb_free(&body);
	free(name);
}

/* The table of locks a probe takes; returns whether it has any. */
static int tr_probe_locks(const struct program *prog, const struct probe *p,
			  struct strbuf *defs)
{
	const struct vec *locks = prog->probe_locks.v[p->id];
	struct global_lock *l;

	if (!locks->n)
		return 0;
	sb_printf(defs, "static const struct rt_lock probe_%d_locks[] = {\n",
		  p->id);
	VEC_EACH(locks, i, l)
		sb_printf(defs, "\t{ &g_%s_lock, %s },\n", l->sym->name,
			  l->write ? "true" : "false");
	sb_puts(defs, "};\n\n");
	return 1;
}

/* The handler's name: probe_N, or probe_N_K for the K-th point of a
 * probe whose target values differ from point to point. */
char *handler_name(const struct program *prog,
		   const struct concrete_point *cp)
{
	if (!cp || !cp->dwarf)
		return xasprintf("probe_%d", cp ? cp->probe->id : 0);
	for (int k = 0; k < prog->points.n; k++)
		if (prog->points.v[k] == cp)
			return xasprintf("probe_%d_%d", cp->probe->id, k);
	return NULL;
}

static void tr_probe_at(struct tr *t, const struct probe *p,
			const struct concrete_point *cp,
			struct strbuf *decls, struct strbuf *defs,
			struct vec *frames);

static const struct concrete_point *first_point(const struct program *prog,
						const struct probe *p)
{
	struct concrete_point *cp;

	VEC_EACH(&prog->points, i, cp)
		if (cp->probe == p && cp->dwarf)
			return cp;
	return NULL;
}

/* Whether a point of p has no DWARF: it runs the shared handler. */
static int has_shared(const struct program *prog, const struct probe *p)
{
	struct concrete_point *cp;

	VEC_EACH(&prog->points, i, cp)
		if (cp->probe == p && !cp->dwarf)
			return 1;
	return 0;
}

/* One handler per probe, or one per point when target values are in
 * (a probe may have both: kernel.function("f@file"), kernel.function("g")). */
static void tr_probe(struct tr *t, const struct probe *p,
		     struct strbuf *decls, struct strbuf *defs,
		     struct vec *frames)
{
	struct concrete_point *cp;

	t->probe = p;
	tr_entry_struct(p, decls);	/* tr_entry.c */
	/* The points without DWARF share one handler, written first; a
	 * probe whose points all missed (optional) needs none. */
	if (has_shared(t->prog, p))
		tr_probe_at(t, p, NULL, decls, defs, frames);
	VEC_EACH(&t->prog->points, i, cp)
		if (cp->probe == p && cp->dwarf)
			tr_probe_at(t, p, cp, decls, defs, frames);
	t->cp = NULL;
}

/* Whether handler (of point cp, or of p's points without DWARF) runs
 * on a kprobe: it then gets a pre-handler of its own (RT_KPROBE_PRE). */
static int has_kprobe(const struct program *prog, const struct probe *p,
		      const struct concrete_point *cp)
{
	struct concrete_point *q;

	if (cp)
		return cp->kind == PP_KPROBE;
	VEC_EACH(&prog->points, i, q)
		if (q->probe == p && !q->dwarf && q->kind == PP_KPROBE)
			return 1;
	return 0;
}

static void tr_probe_at(struct tr *t, const struct probe *p,
			const struct concrete_point *cp,
			struct strbuf *decls, struct strbuf *defs,
			struct vec *frames)
{
	struct strbuf body;
	char *name = cp ? handler_name(t->prog, cp)
			: xasprintf("probe_%d", p->id);
	int locked;

	t->cp = cp;
	sb_init(&body);
	begin_frame(t, name, &body);
	init_locals(t, &p->locals);
	t->actions_bound = tr_actions_bound(p->body);
	tr_block_body(t, p->body);
	/* The lock table once per probe, before its first handler. */
	locked = ((const struct vec *)t->prog->probe_locks.v[p->id])->n > 0;
	if (!cp || (cp == first_point(t->prog, p) && !has_shared(t->prog, p)))
		tr_probe_locks(t->prog, p, defs);
	sb_printf(defs, "/* probe at %s", loc_str(p->loc));
	if (cp)
		sb_printf(defs, ", at %s", cp->text);
	sb_printf(defs, " */\nstatic void %s(struct rt_context *rc)\n{\n",
		  name);
	if (body.len || t->frame.len)	/* an empty body would not use it */
		sb_puts(defs, "\tstruct tapc_context *c = container_of(rc, "
			      "struct tapc_context, rt);\n");
	if (t->frame.len)
		sb_printf(defs, "\tstruct %s_frame *l = "
				"&c->frames[0].%s;\n", name, name);
	sb_putc(defs, '\n');
	if (locked)
		sb_printf(defs, "\tif (!rt_lock_all(probe_%d_locks, "
				"ARRAY_SIZE(probe_%d_locks)))\n\t\treturn;\n",
			  p->id, p->id);
	sb_printf(defs, "%s%sout: __attribute__((unused));\n", body.s,
		  t->leave_used ? "leave: __attribute__((unused));\n" : "");
	if (locked)
		sb_printf(defs, "\trt_unlock_all(probe_%d_locks, "
				"ARRAY_SIZE(probe_%d_locks));\n", p->id, p->id);
	else
		sb_puts(defs, "\treturn;\n");
	sb_puts(defs, "}\n\n");
	if (has_kprobe(t->prog, p, cp))
		sb_printf(defs, "RT_KPROBE_PRE(%s)\n\n", name);
	end_frame(t, decls, frames);
	sb_free(&body);
	free(name);
	tr_entry_handler(t, p, cp, decls, defs, frames);	/* tr_entry.c */
}

static const char *rt_type(enum type ty)
{
	return ty == TY_STRING ? "RT_T_STRING" : "RT_T_LONG";
}

/* An array: its descriptor, its map (set up by tapc_init) and lock. */
static void tr_array_global(const struct program *prog, const struct symbol *g,
			    struct strbuf *out)
{
	const struct array_info *a = elab_array(prog, g);

	if (g->type == TY_STAT)
		tr_stat_hist_global(prog, g, out);
	sb_printf(out, "static const struct rt_map_desc g_%s_desc = {\n"
		       "\t.name = \"%s\", .nkeys = %d,\n\t.key_type = { ",
		  g->name, g->name, a->nkeys);
	for (int k = 0; k < a->nkeys; k++)
		sb_printf(out, "%s%s", k ? ", " : "", rt_type(a->key[k]));
	if (g->type == TY_STAT) {
		char *n = tr_stat_buckets(prog, g);

		sb_printf(out, " },\n\t.value_type = RT_T_STAT, .hist = "
			       "&g_%s_hist,\n\t.value_size = RT_STAT_SIZE(%s),\n",
			  g->name, n);
		free(n);
	} else
		sb_printf(out, " },\n\t.value_type = %s, .value_size = %s,\n",
			  rt_type(g->type), g->type == TY_STRING ?
			  "MAXSTRINGLEN" : "sizeof(rt_long)");
	if (g->size > 0)
		sb_printf(out, "\t.max_entries = %lld", (long long)g->size);
	else
		sb_puts(out, "\t.max_entries = MAXMAPENTRIES");
	sb_printf(out, ", .wrap = %s,\n};\n", g->wrap ? "true" : "false");
	sb_printf(out, "static struct rt_map g_%s;\n", g->name);
	sb_printf(out, "static DEFINE_RWLOCK(g_%s_lock);\n", g->name);
}

/* The script's own set-up and tear-down: its arrays' maps. */
static void tr_init_exit(const struct program *prog, struct strbuf *out)
{
	struct array_info *a;

	if (!prog->arrays.n && !prog->stats.n)
		return;
	sb_puts(out, "static void tapc_exit(void)\n{\n");
	VEC_EACH(&prog->arrays, i, a)
		sb_printf(out, "\trt_map_free(&g_%s);\n", a->sym->name);
	tr_stat_exit(prog, out);
	sb_puts(out, "}\n\nstatic int tapc_init(void)\n{\n\tint err = 0;\n\n");
	VEC_EACH(&prog->arrays, i, a)
		sb_printf(out, "\tif (!err)\n\t\terr = rt_map_init(&g_%s, "
			       "&g_%s_desc);\n", a->sym->name, a->sym->name);
	tr_stat_init(prog, out);
	sb_puts(out, "\tif (err)\n\t\ttapc_exit();\n\treturn err;\n}\n\n");
}

static void tr_globals(const struct program *prog, struct strbuf *out)
{
	struct symbol *g;

	if (!prog->globals.n)
		return;
	sb_puts(out, "/* globals */\n");
	VEC_EACH(&prog->globals, i, g) {
		if (elab_array(prog, g)) {
			tr_array_global(prog, g, out);
			continue;
		}
		if (g->type == TY_STAT) {
			sb_printf(out, "static struct rt_stat g_%s;\n", g->name);
			sb_printf(out, "static DEFINE_RWLOCK(g_%s_lock);\n",
				  g->name);
			continue;
		}
		if (g->type == TY_STRING) {
			sb_printf(out, "static char g_%s[MAXSTRINGLEN]", g->name);
			if (g->init) {
				sb_puts(out, " = ");
				c_string(out, g->init->str);
			}
		} else {
			sb_printf(out, "static rt_long g_%s", g->name);
			if (g->init) {
				char *n = tr_num(g->init->num);

				sb_printf(out, " = %s", n);
				free(n);
			}
		}
		sb_puts(out, ";\n");
		sb_printf(out, "static DEFINE_RWLOCK(g_%s_lock);\n", g->name);
	}
	sb_putc(out, '\n');
}

static void tr_context(const struct program *prog, const struct vec *frames,
		       struct strbuf *out)
{
	char *f;

	sb_puts(out, "/* One frame per nesting level: the probe's, then the "
		     "functions it calls. */\nunion tapc_frame {\n");
	VEC_EACH(frames, i, f)
		sb_printf(out, "\tstruct %s_frame %s;\n", f, f);
	if (!frames->n)
		sb_puts(out, "\tchar unused;\n");
	sb_puts(out, "};\n\nstruct tapc_context {\n"
		     "\tstruct rt_context rt;\t/* first: the runtime's part */\n"
		     "\tint nesting;\n"
		     "\tunion tapc_frame frames[MAXNESTING + 1];\n");
	tr_regex_context(prog, out);
	sb_puts(out, "};\n\n");
}

static void tr_probe_table(const struct program *prog, struct strbuf *out)
{
	tr_points_table(prog, out);	/* tr_points.c */
	sb_puts(out, "static struct rt_script tapc_script = {\n\t.name = ");
	c_string(out, prog->script->src->name);
	sb_puts(out, ",\n\t.probes = tapc_probes,\n"
		     "\t.nprobes = ARRAY_SIZE(tapc_probes),\n"
		     "\t.ctx_size = sizeof(struct tapc_context),\n");
	if (prog->arrays.n || prog->stats.n)
		sb_puts(out, "\t.init = tapc_init,\n\t.exit = tapc_exit,\n");
	sb_puts(out, "};\n\n");
}

void tr_program(const struct program *prog, struct strbuf *out)
{
	struct tr t = { .prog = prog };
	struct strbuf decls, defs, protos;
	struct vec frames = {0};	/* frame names, end_frame's copies */
	struct function *fn;
	struct probe *p;
	struct embedded *m;
	char *fn_frame;

	sb_init(&decls);
	sb_init(&defs);
	sb_init(&protos);
	VEC_EACH(&prog->functions, i, fn) {
		fn_signature(fn, &protos);
		sb_puts(&protos, ";\n");
		tr_function(&t, fn, &decls, &defs, &frames);
	}
	VEC_EACH(&prog->probes, i, p)
		tr_probe(&t, p, &decls, &defs, &frames);

	sb_printf(out, "/* Generated by tapc from %s; do not edit. */\n",
		  prog->script->src->name);
	tr_parts(prog, out);		/* tr_parts.c: the runtime's parts */
	sb_putc(out, '\n');
	VEC_EACH(&prog->embeds, i, m) {
		sb_printf(out, "/* embedded C from %s */\n", loc_str(m->loc));
		sb_printf(out, "%s\n\n", m->code);
	}
	tr_globals(prog, out);
	tr_regex_tables(out);
	sb_puts(out, decls.s);
	tr_context(prog, &frames, out);
	if (protos.len)
		sb_printf(out, "%s\n", protos.s);
	sb_puts(out, defs.s);
	tr_init_exit(prog, out);
	tr_probe_table(prog, out);
	sb_puts(out, "#include \"rt_main.h\"\n");
	sb_free(&decls);
	sb_free(&defs);
	sb_free(&protos);
	VEC_EACH(&frames, i, fn_frame)
		free(fn_frame);
	free(frames.v);
}

/* ---- for the translator's other files (tr_int.h) ---- */

char *tri_expr(struct tr *t, const struct expr *e)
{
	return tr_expr(t, e);
}

char *tri_temp(struct tr *t)
{
	return new_temp(t);
}

int tri_val(struct tr *t)
{
	return t->vals++;
}

char *tri_loc(struct loc loc)
{
	return loc_literal(loc);
}

char *tri_cstr(const char *s)
{
	return c_string_dup(s);
}

char *tri_keys(struct tr *t, const struct expr *index)
{
	return tr_keys(t, index);
}

void tri_line(struct tr *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(t, fmt, ap);
	va_end(ap);
}

void tri_nested(struct tr *t, const struct stmt *s)
{
	tr_nested(t, s);
}

char *tri_var(const struct symbol *s)
{
	return var_ref(s);
}

const struct program *tri_prog(struct tr *t)
{
	return t->prog;
}

void tri_try_depth(struct tr *t, int delta)
{
	t->in_try += delta;
}

const struct probe *tri_probe(struct tr *t)
{
	return t->probe;
}

const struct concrete_point *tri_point(struct tr *t)
{
	return t->cp;
}

void tri_begin_frame(struct tr *t, const char *name, struct strbuf *body)
{
	begin_frame(t, name, body);
}

void tri_end_frame(struct tr *t, struct strbuf *decls, struct vec *frames)
{
	end_frame(t, decls, frames);
}

int tri_frame_used(struct tr *t)
{
	return t->frame.len > 0;
}

int tri_at_entry(struct tr *t)
{
	return t->at_entry;
}

void tri_set_entry(struct tr *t, int on)
{
	t->at_entry = on;
}
