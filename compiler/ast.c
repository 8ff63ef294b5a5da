/* ast.c - the arena, node constructors and copies, and pass 1's printer.
 *
 * The printer writes the tree as canonical script text: expressions
 * fully parenthesized, every simple statement ended by ';', one
 * statement a line.  Parsing that text gives the same tree again, which
 * tests/run checks for every script it has.
 */
#include "ast.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* ---- the arena ----
 *
 * Every node of the tree comes from here and lives until exit, with the
 * strings the parser puts in it: a pass that drops a node (folding,
 * elision, a parse error) only stops pointing at it, and no node or
 * node's string is ever freed.  The chunks stay reachable from
 * arena_chunks, and through them what the nodes point at (vector
 * buffers, strings a pass set), so neither LeakSanitizer nor valgrind
 * counts any of it as lost (docs/sanitizers.md). */

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	max_align_t data[];
};

#define ARENA_CHUNK (256 * 1024)

static struct arena_chunk *arena_chunks;

/* After the first ast_arena_reset: the vectors of the nodes made since
 * the last reset, whose buffers (vec_push's, not the arena's) the next
 * reset frees. */
static int arena_tracking;
static struct vec arena_vecs;

void *ast_alloc(size_t size)
{
	struct arena_chunk *c = arena_chunks;
	const size_t align = sizeof(max_align_t);
	void *p;

	size = (size + align - 1) / align * align;
	if (!c || c->size - c->used < size) {
		size_t cap = size > ARENA_CHUNK ? size : ARENA_CHUNK;

		c = xcalloc(1, sizeof(*c) + cap);
		c->size = cap;
		c->next = arena_chunks;
		arena_chunks = c;
	}
	p = (char *)c->data + c->used;
	c->used += size;
	return p;
}

void ast_own_vec(struct vec *v)
{
	if (arena_tracking)
		vec_push(&arena_vecs, v);
}

void ast_arena_reset(void)
{
	struct arena_chunk *c, *next;

	for (int i = 0; i < arena_vecs.n; i++)
		free(((struct vec *)arena_vecs.v[i])->v);
	arena_vecs.n = 0;
	for (c = arena_chunks; c; c = next) {
		next = c->next;
		free(c);
	}
	arena_chunks = NULL;
	arena_tracking = 1;
}

char *ast_strndup(const char *s, size_t n)
{
	char *d = ast_alloc(n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *ast_strdup(const char *s)
{
	return ast_strndup(s, strlen(s));
}

char *ast_concat(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	char *d = ast_alloc(na + nb + 1);

	memcpy(d, a, na);
	memcpy(d + na, b, nb + 1);
	return d;
}

struct vec *ast_list_new(void)
{
	struct vec *v = ast_alloc(sizeof(*v));

	ast_own_vec(v);
	return v;
}

struct expr *expr_new(enum expr_kind kind, struct loc loc)
{
	struct expr *e = ast_alloc(sizeof(*e));

	e->kind = kind;
	e->loc = loc;
	ast_own_vec(&e->args);
	ast_own_vec(&e->comps);
	ast_own_vec(&e->pragmas);
	return e;
}

struct stmt *stmt_new(enum stmt_kind kind, struct loc loc)
{
	struct stmt *s = ast_alloc(sizeof(*s));

	s->kind = kind;
	s->loc = loc;
	ast_own_vec(&s->body);
	ast_own_vec(&s->keys);
	return s;
}

struct pp_component *comp_new(char *name, struct loc loc)
{
	struct pp_component *c = ast_alloc(sizeof(*c));

	c->name = name;
	c->loc = loc;
	return c;
}

struct probe_point *point_new(struct loc loc)
{
	struct probe_point *pp = ast_alloc(sizeof(*pp));

	pp->loc = loc;
	ast_own_vec(&pp->comps);
	return pp;
}

struct symbol *symbol_new(char *name, enum symbol_scope scope,
			  struct loc loc)
{
	struct symbol *s = ast_alloc(sizeof(*s));

	s->name = name;
	s->scope = scope;
	s->loc = loc;
	return s;
}

struct probe *probe_new(struct loc loc)
{
	struct probe *p = ast_alloc(sizeof(*p));

	p->loc = loc;
	ast_own_vec(&p->points);
	ast_own_vec(&p->locals);
	return p;
}

struct probe_alias *alias_new(struct loc loc)
{
	struct probe_alias *a = ast_alloc(sizeof(*a));

	a->loc = loc;
	ast_own_vec(&a->points);
	return a;
}

struct function *function_new(char *name, struct loc loc)
{
	struct function *f = ast_alloc(sizeof(*f));

	f->name = name;
	f->loc = loc;
	ast_own_vec(&f->params);
	ast_own_vec(&f->pragmas);
	ast_own_vec(&f->locals);
	return f;
}

struct embedded *embedded_new(char *code, struct loc loc)
{
	struct embedded *m = ast_alloc(sizeof(*m));

	m->code = code;
	m->loc = loc;
	return m;
}

struct file_ast *file_ast_new(const struct source *src)
{
	struct file_ast *f = ast_alloc(sizeof(*f));

	f->src = src;
	ast_own_vec(&f->globals);
	ast_own_vec(&f->probes);
	ast_own_vec(&f->functions);
	ast_own_vec(&f->embeds);
	ast_own_vec(&f->aliases);
	return f;
}

const char *type_name(enum type t)
{
	switch (t) {
	case TY_LONG: return "long";
	case TY_STRING: return "string";
	case TY_STAT: return "stat";
	default: return "unknown";
	}
}

const char *op_text(int op)
{
	static char one[2];

	switch (op) {
	case OP_EQ: return "==";
	case OP_NE: return "!=";
	case OP_LE: return "<=";
	case OP_GE: return ">=";
	case OP_AND: return "&&";
	case OP_OR: return "||";
	case OP_SHL: return "<<";
	case OP_SHR: return ">>";
	case OP_INC: return "++";
	case OP_DEC: return "--";
	case OP_ADD_ASSIGN: return "+=";
	case OP_SUB_ASSIGN: return "-=";
	case OP_MUL_ASSIGN: return "*=";
	case OP_DIV_ASSIGN: return "/=";
	case OP_MOD_ASSIGN: return "%=";
	case OP_CAT_ASSIGN: return ".=";
	case OP_SHL_ASSIGN: return "<<=";
	case OP_SHR_ASSIGN: return ">>=";
	case OP_AND_ASSIGN: return "&=";
	case OP_OR_ASSIGN: return "|=";
	case OP_XOR_ASSIGN: return "^=";
	case OP_AGGREGATE: return "<<<";
	case OP_MATCH: return "=~";
	case OP_NMATCH: return "!~";
	default:
		one[0] = (char)op;
		return one;
	}
}

/* ---- pragma comments in embedded C ---- */

/* "/ * pure * /" and friends, and "/ * pragma:read:var * /": each
 * comment whose whole text is one word of [a-z0-9_:-]. */
void embedded_pragmas(const char *code, struct vec *out)
{
	const char *p = code;

	while ((p = strstr(p, "/*")) != NULL) {
		const char *s = p + 2, *end = strstr(s, "*/"), *w;

		if (!end)
			return;
		while (s < end && (*s == ' ' || *s == '\t'))
			s++;
		w = s;
		while (s < end && (strchr("_:-", *s) || (*s >= 'a' && *s <= 'z') ||
				   (*s >= 'A' && *s <= 'Z') ||
				   (*s >= '0' && *s <= '9')))
			s++;
		if (s > w) {
			const char *t = s;

			while (t < end && (*t == ' ' || *t == '\t'))
				t++;
			if (t == end)
				vec_push(out, ast_strndup(w, (size_t)(s - w)));
		}
		p = end + 2;
	}
}

/* ---- sizes and copies ---- */

/* expr_size and expr_clone work through a list of nodes to do, not by
 * recursion: the parser copies expressions before ast_check_depth() has
 * seen them, and a chain of 'a + a + ...' is as deep as it is long. */

static void push_child(void *todo, struct expr *e)
{
	vec_push(todo, e);
}

long expr_size(const struct expr *e)
{
	struct vec todo = { 0 };
	long n = 0;

	if (e)
		vec_push(&todo, (void *)e);
	while (todo.n) {
		const struct expr *x = todo.v[--todo.n];

		n += 1 + x->comps.n;
		ast_expr_children(x, push_child, &todo);
	}
	free(todo.v);
	return n;
}

/* One node's copy, its children still the original's. */
static struct expr *clone_node(const struct expr *e)
{
	struct expr *c = expr_new(e->kind, e->loc);

	c->op = e->op;
	c->num = e->num;
	c->str = e->str ? ast_strdup(e->str) : NULL;
	c->a = e->a;
	c->b = e->b;
	c->c = e->c;
	for (int i = 0; i < e->args.n; i++)
		vec_push(&c->args, e->args.v[i]);
	for (int i = 0; i < e->comps.n; i++) {
		const struct target_comp *tc = e->comps.v[i];
		struct target_comp *n = ast_alloc(sizeof(*n));

		n->kind = tc->kind;
		n->name = tc->name ? ast_strdup(tc->name) : NULL;
		n->index = tc->index;
		n->loc = tc->loc;
		vec_push(&c->comps, n);
	}
	c->module = e->module ? ast_strdup(e->module) : NULL;
	c->pretty = e->pretty;
	for (int i = 0; i < e->pragmas.n; i++)
		vec_push(&c->pragmas, ast_strdup(e->pragmas.v[i]));
	c->type = e->type;
	return c;
}

static void push_slot(void *todo, struct expr **slot)
{
	vec_push(todo, slot);
}

/* Each slot to do still points at an original node: it gets the node's
 * copy, whose own slots are then to do. */
struct expr *expr_clone(const struct expr *e)
{
	struct vec todo = { 0 };
	struct expr *root = (struct expr *)e;

	if (!e)
		return NULL;
	vec_push(&todo, &root);
	while (todo.n) {
		struct expr **slot = todo.v[--todo.n];

		*slot = clone_node(*slot);
		ast_expr_slots(*slot, push_slot, &todo);
	}
	free(todo.v);
	return root;
}

static void clone_exprs(struct vec *to, const struct vec *from)
{
	for (int i = 0; i < from->n; i++)
		vec_push(to, expr_clone(from->v[i]));
}

struct stmt *stmt_clone(const struct stmt *s)
{
	struct stmt *c;

	if (!s)
		return NULL;
	c = stmt_new(s->kind, s->loc);
	c->e = expr_clone(s->e);
	c->init = expr_clone(s->init);
	c->step = expr_clone(s->step);
	c->then = stmt_clone(s->then);
	c->els = stmt_clone(s->els);
	for (int i = 0; i < s->body.n; i++)
		vec_push(&c->body, stmt_clone(s->body.v[i]));
	clone_exprs(&c->keys, &s->keys);
	c->value = expr_clone(s->value);
	c->limit = expr_clone(s->limit);
	c->sort_col = s->sort_col;
	c->sort_dir = s->sort_dir;
	c->sort_aggr = s->sort_aggr ? ast_strdup(s->sort_aggr) : NULL;
	return c;
}

struct pp_component *comp_clone(const struct pp_component *c)
{
	struct pp_component *n = comp_new(ast_strdup(c->name), c->loc);

	n->arg = expr_clone(c->arg);
	return n;
}

struct probe_point *point_clone(const struct probe_point *pp)
{
	struct probe_point *c = point_new(pp->loc);

	for (int i = 0; i < pp->comps.n; i++)
		vec_push(&c->comps, comp_clone(pp->comps.v[i]));
	c->optional = pp->optional;
	c->sufficient = pp->sufficient;
	c->cond = expr_clone(pp->cond);
	return c;
}

/* ---- the printer ---- */

static void print_string(const char *s, struct strbuf *out)
{
	sb_putc(out, '"');
	for (; *s; s++) {
		switch (*s) {
		case '"': sb_puts(out, "\\\""); break;
		case '\\': sb_puts(out, "\\\\"); break;
		case '\n': sb_puts(out, "\\n"); break;
		case '\t': sb_puts(out, "\\t"); break;
		case '\r': sb_puts(out, "\\r"); break;
		default:
			if ((unsigned char)*s < 32 || *s == 127)
				sb_printf(out, "\\%03o", (unsigned char)*s);
			else
				sb_putc(out, *s);
		}
	}
	sb_putc(out, '"');
}

static void print_top(const struct expr *e, struct strbuf *out);

static void print_list(const struct vec *v, struct strbuf *out)
{
	for (int i = 0; i < v->n; i++) {
		if (i)
			sb_puts(out, ", ");
		print_top(v->v[i], out);
	}
}

/* ->field, [index], and a trailing $ or $$. */
static void print_comps(const struct expr *e, struct strbuf *out)
{
	for (int i = 0; i < e->comps.n; i++) {
		const struct target_comp *tc = e->comps.v[i];

		if (tc->kind == TC_FIELD) {
			sb_printf(out, "->%s", tc->name);
		} else {
			sb_putc(out, '[');
			print_top(tc->index, out);
			sb_putc(out, ']');
		}
	}
	if (e->pretty)
		sb_puts(out, e->pretty == 1 ? "$" : "$$");
}

static void print_module(const struct expr *e, struct strbuf *out)
{
	if (e->module) {
		sb_puts(out, ", ");
		print_string(e->module, out);
	}
}

static void print_call_like(const char *name, const struct expr *a,
			    const struct vec *more, struct strbuf *out)
{
	sb_printf(out, "%s(", name);
	if (a)
		print_top(a, out);
	for (int i = 0; i < more->n; i++) {
		if (a || i)
			sb_puts(out, ", ");
		print_top(more->v[i], out);
	}
	sb_putc(out, ')');
}

/* What [keys] or ->field follows: a number in parentheses, so that
 * -1 stays the operand. */
static void print_base(const struct expr *e, struct strbuf *out)
{
	if (e->kind == EX_NUM)
		sb_putc(out, '(');
	ast_print_expr(e, out);
	if (e->kind == EX_NUM)
		sb_putc(out, ')');
}

/* Expressions print fully parenthesized, so the printed text parses back
 * to the same tree whatever the precedence rules. */
void ast_print_expr(const struct expr *e, struct strbuf *out)
{
	switch (e->kind) {
	case EX_NUM:
		sb_printf(out, "%" PRId64, e->num);
		break;
	case EX_STR:
		print_string(e->str, out);
		break;
	case EX_VAR:
		sb_puts(out, e->str);
		break;
	case EX_CALL:
		print_call_like(e->str, NULL, &e->args, out);
		break;
	case EX_UNARY:
		sb_printf(out, "(%s", op_text(e->op));
		ast_print_expr(e->a, out);
		sb_putc(out, ')');
		break;
	case EX_PREINC:
	case EX_ADDR:
		/* These take an operand, not an expression: -1 needs (). */
		sb_printf(out, "(%s", e->kind == EX_ADDR ? "&" : op_text(e->op));
		print_base(e->a, out);
		sb_putc(out, ')');
		break;
	case EX_POSTINC:
		sb_putc(out, '(');
		print_base(e->a, out);
		sb_printf(out, "%s)", op_text(e->op));
		break;
	case EX_BINARY:
	case EX_ASSIGN:
	case EX_REGEX:
		sb_putc(out, '(');
		ast_print_expr(e->a, out);
		sb_printf(out, " %s ", op_text(e->op));
		ast_print_expr(e->b, out);
		sb_putc(out, ')');
		break;
	case EX_TERNARY:
		sb_putc(out, '(');
		ast_print_expr(e->a, out);
		sb_puts(out, " ? ");
		ast_print_expr(e->b, out);
		sb_puts(out, " : ");
		ast_print_expr(e->c, out);
		sb_putc(out, ')');
		break;
	case EX_INDEX:
		print_base(e->a, out);
		sb_putc(out, '[');
		print_list(&e->args, out);
		sb_putc(out, ']');
		break;
	case EX_WILDCARD:
		sb_putc(out, '*');
		break;
	case EX_IN:
		sb_putc(out, '(');
		if (e->args.n == 1) {
			ast_print_expr(e->args.v[0], out);
		} else {
			sb_putc(out, '[');
			print_list(&e->args, out);
			sb_putc(out, ']');
		}
		sb_puts(out, " in ");
		ast_print_expr(e->a, out);
		sb_putc(out, ')');
		break;
	case EX_STAT:
	case EX_HIST: {
		char *name = xasprintf("@%s", e->str);

		print_call_like(name, e->a, &e->args, out);
		free(name);
		break;
	}
	case EX_TARGET:
		sb_puts(out, e->str);
		print_comps(e, out);
		break;
	case EX_CAST:
		sb_puts(out, "@cast(");
		ast_print_expr(e->a, out);
		sb_puts(out, ", ");
		print_string(e->str, out);
		print_module(e, out);
		sb_putc(out, ')');
		print_comps(e, out);
		break;
	case EX_AUTOCAST:
		print_base(e->a, out);
		print_comps(e, out);
		break;
	case EX_ATVAR:
		sb_puts(out, "@var(");
		print_string(e->str, out);
		print_module(e, out);
		sb_putc(out, ')');
		print_comps(e, out);
		break;
	case EX_ENTRY:
	case EX_DEFINED:
	case EX_PROBEWRITE:
		sb_puts(out, e->kind == EX_ENTRY ? "@entry(" :
			     e->kind == EX_DEFINED ? "@defined(" : "@probewrite(");
		ast_print_expr(e->a, out);
		sb_putc(out, ')');
		break;
	case EX_CONST:
	case EX_PERF:
		sb_puts(out, e->kind == EX_CONST ? "@const(" : "@perf(");
		print_string(e->str, out);
		print_module(e, out);
		sb_putc(out, ')');
		break;
	case EX_EMBEDDED:
		sb_printf(out, "%%{%s%%}", e->str);
		break;
	}
}

/* An expression where the syntax around it delimits it (a statement, a
 * condition, an argument): without the outer parentheses. */
static void print_top(const struct expr *e, struct strbuf *out)
{
	struct strbuf b;

	sb_init(&b);
	ast_print_expr(e, &b);
	switch (e->kind) {
	case EX_UNARY: case EX_PREINC: case EX_ADDR: case EX_POSTINC:
	case EX_BINARY: case EX_ASSIGN: case EX_REGEX: case EX_TERNARY:
	case EX_IN:
		sb_put(out, b.s + 1, b.len - 2);
		break;
	default:
		sb_puts(out, b.s);
	}
	sb_free(&b);
}

static void indent(int depth, struct strbuf *out)
{
	for (int i = 0; i < depth; i++)
		sb_puts(out, "  ");
}

static void print_stmt(const struct stmt *s, int depth, struct strbuf *out);

static void print_block(const struct stmt *s, int depth, struct strbuf *out)
{
	sb_puts(out, "{\n");
	for (int i = 0; i < s->body.n; i++)
		print_stmt(s->body.v[i], depth + 1, out);
	indent(depth, out);
	sb_puts(out, "}");
}

/* A statement nested in if/while/for/foreach: a block stays on the
 * line, anything else goes on the next line, indented. */
static void print_nested(const struct stmt *s, int depth, struct strbuf *out)
{
	if (s->kind == ST_BLOCK) {
		sb_putc(out, ' ');
		print_block(s, depth, out);
		sb_putc(out, '\n');
	} else {
		sb_putc(out, '\n');
		print_stmt(s, depth + 1, out);
	}
}

static void print_opt_expr(const struct expr *e, struct strbuf *out)
{
	if (e)
		print_top(e, out);
}

static void print_sort(const struct stmt *s, int col, struct strbuf *out)
{
	if (s->sort_dir && s->sort_col == col && !(col == 0 && s->sort_aggr))
		sb_putc(out, s->sort_dir > 0 ? '+' : '-');
}

static void print_foreach(const struct stmt *s, struct strbuf *out)
{
	sb_puts(out, "foreach (");
	if (s->value) {
		ast_print_expr(s->value, out);
		sb_puts(out, " = ");
	}
	sb_putc(out, '[');
	for (int i = 0; i < s->keys.n; i++) {
		if (i)
			sb_puts(out, ", ");
		ast_print_expr(s->keys.v[i], out);
		print_sort(s, i + 1, out);
	}
	sb_puts(out, "] in ");
	print_top(s->e, out);
	print_sort(s, 0, out);
	if (s->sort_aggr) {
		sb_printf(out, " @%s", s->sort_aggr);
		if (s->sort_col == 0 && s->sort_dir)
			sb_putc(out, s->sort_dir > 0 ? '+' : '-');
	}
	if (s->limit) {
		sb_puts(out, " limit ");
		print_top(s->limit, out);
	}
	sb_putc(out, ')');
}

static void print_stmt_here(const struct stmt *s, int depth,
			    struct strbuf *out);

static void print_stmt(const struct stmt *s, int depth, struct strbuf *out)
{
	indent(depth, out);
	print_stmt_here(s, depth, out);
}

/* The statement, from where the line already is. */
static void print_stmt_here(const struct stmt *s, int depth,
			    struct strbuf *out)
{
	switch (s->kind) {
	case ST_EMPTY:
		sb_puts(out, ";\n");
		break;
	case ST_BLOCK:
		print_block(s, depth, out);
		sb_putc(out, '\n');
		break;
	case ST_EXPR:
		print_top(s->e, out);
		sb_puts(out, ";\n");
		break;
	case ST_IF:
		sb_puts(out, "if (");
		print_top(s->e, out);
		sb_putc(out, ')');
		print_nested(s->then, depth, out);
		if (s->els) {
			indent(depth, out);
			sb_puts(out, "else");
			if (s->els->kind == ST_IF) {
				/* else if: on one line, not nested deeper */
				sb_putc(out, ' ');
				print_stmt_here(s->els, depth, out);
			} else {
				print_nested(s->els, depth, out);
			}
		}
		break;
	case ST_WHILE:
		sb_puts(out, "while (");
		print_top(s->e, out);
		sb_putc(out, ')');
		print_nested(s->then, depth, out);
		break;
	case ST_FOR:
		sb_puts(out, "for (");
		print_opt_expr(s->init, out);
		sb_puts(out, "; ");
		print_opt_expr(s->e, out);
		sb_puts(out, "; ");
		print_opt_expr(s->step, out);
		sb_putc(out, ')');
		print_nested(s->then, depth, out);
		break;
	case ST_FOREACH:
		print_foreach(s, out);
		print_nested(s->then, depth, out);
		break;
	case ST_RETURN:
		sb_puts(out, "return");
		if (s->e) {
			sb_putc(out, ' ');
			print_top(s->e, out);
		}
		sb_puts(out, ";\n");
		break;
	case ST_DELETE:
		sb_puts(out, "delete ");
		print_top(s->e, out);
		sb_puts(out, ";\n");
		break;
	case ST_TRY:
		sb_puts(out, "try ");
		print_block(s->then, depth, out);
		sb_puts(out, " catch ");
		if (s->e) {
			sb_putc(out, '(');
			print_top(s->e, out);
			sb_puts(out, ") ");
		}
		print_block(s->els, depth, out);
		sb_putc(out, '\n');
		break;
	case ST_NEXT:
		sb_puts(out, "next;\n");
		break;
	case ST_BREAK:
		sb_puts(out, "break;\n");
		break;
	case ST_CONTINUE:
		sb_puts(out, "continue;\n");
		break;
	}
}

void ast_print_stmt(const struct stmt *s, int depth, struct strbuf *out)
{
	print_stmt(s, depth, out);
}

void ast_print_point(const struct probe_point *pp, struct strbuf *out)
{
	for (int i = 0; i < pp->comps.n; i++) {
		const struct pp_component *c = pp->comps.v[i];

		if (i)
			sb_putc(out, '.');
		sb_puts(out, c->name);
		if (c->arg) {
			sb_putc(out, '(');
			ast_print_expr(c->arg, out);
			sb_putc(out, ')');
		}
	}
	if (pp->optional)
		sb_putc(out, '?');
	if (pp->sufficient)
		sb_putc(out, '!');
	if (pp->cond) {
		sb_puts(out, " if (");
		print_top(pp->cond, out);
		sb_putc(out, ')');
	}
}

static void print_points(const struct vec *points, struct strbuf *out)
{
	for (int j = 0; j < points->n; j++) {
		if (j)
			sb_puts(out, ", ");
		ast_print_point(points->v[j], out);
	}
}

static void print_type(enum type t, struct strbuf *out)
{
	if (t != TY_UNKNOWN)
		sb_printf(out, ":%s", type_name(t));
}

static void print_function(const struct function *f, struct strbuf *out)
{
	sb_printf(out, "%sfunction %s", f->private ? "private " : "", f->name);
	print_type(f->ret, out);
	sb_putc(out, '(');
	for (int i = 0; i < f->params.n; i++) {
		const struct symbol *p = f->params.v[i];

		if (i)
			sb_puts(out, ", ");
		sb_puts(out, p->name);
		print_type(p->type, out);
	}
	sb_putc(out, ')');
	if (f->has_priority)
		sb_printf(out, ":%" PRId64, f->priority);
	sb_putc(out, ' ');
	if (f->embedded)
		sb_printf(out, "%%{%s%%}\n", f->embedded);
	else {
		print_block(f->body, 0, out);
		sb_putc(out, '\n');
	}
}

static void print_global(const struct symbol *g, struct strbuf *out)
{
	sb_printf(out, "%sglobal %s", g->private ? "private " : "", g->name);
	if (g->wrap)
		sb_putc(out, '%');
	if (g->size)
		sb_printf(out, "[%" PRId64 "]", g->size);
	if (g->init) {
		sb_puts(out, " = ");
		ast_print_expr(g->init, out);
	}
	sb_putc(out, '\n');
}

void ast_print_file(const struct file_ast *f, struct strbuf *out)
{
	for (int i = 0; i < f->embeds.n; i++) {
		const struct embedded *m = f->embeds.v[i];

		sb_printf(out, "%%{%s%%}\n", m->code);
	}
	for (int i = 0; i < f->globals.n; i++)
		print_global(f->globals.v[i], out);
	for (int i = 0; i < f->functions.n; i++)
		print_function(f->functions.v[i], out);
	for (int i = 0; i < f->aliases.n; i++) {
		const struct probe_alias *a = f->aliases.v[i];

		sb_puts(out, "probe ");
		ast_print_point(a->name, out);
		sb_puts(out, a->epilogue ? " += " : " = ");
		print_points(&a->points, out);
		sb_putc(out, ' ');
		print_block(a->body, 0, out);
		if (a->epilogue_body) {
			sb_puts(out, ", ");
			print_block(a->epilogue_body, 0, out);
		}
		sb_putc(out, '\n');
	}
	for (int i = 0; i < f->probes.n; i++) {
		const struct probe *p = f->probes.v[i];

		sb_puts(out, "probe ");
		print_points(&p->points, out);
		sb_putc(out, ' ');
		print_block(p->body, 0, out);
		sb_putc(out, '\n');
	}
}

/* ---- the children of a statement, for the walkers of later passes ---- */

static void visit_expr(struct expr *e, ast_expr_fn *on_expr, void *ctx)
{
	if (e && on_expr)
		on_expr(ctx, e);
}

static void visit_stmt(struct stmt *s, ast_stmt_fn *on_stmt, void *ctx)
{
	if (s && on_stmt)
		on_stmt(ctx, s);
}

/*
 * Every expression directly under s goes to on_expr, then every
 * statement directly under it to on_stmt (either may be NULL).  The
 * one place that knows where each kind keeps its children: a walker
 * recursing through this cannot miss a foreach's value, keys or limit.
 */
void ast_stmt_children(const struct stmt *s, ast_expr_fn *on_expr,
		       ast_stmt_fn *on_stmt, void *ctx)
{
	if (!s)
		return;
	visit_expr(s->init, on_expr, ctx);
	visit_expr(s->e, on_expr, ctx);
	visit_expr(s->step, on_expr, ctx);
	for (int i = 0; i < s->keys.n; i++)
		visit_expr(s->keys.v[i], on_expr, ctx);
	visit_expr(s->value, on_expr, ctx);
	visit_expr(s->limit, on_expr, ctx);
	visit_stmt(s->then, on_stmt, ctx);
	visit_stmt(s->els, on_stmt, ctx);
	for (int i = 0; i < s->body.n; i++)
		visit_stmt(s->body.v[i], on_stmt, ctx);
}

/* ---- the children of an expression ---- */

void ast_expr_slots(struct expr *e, ast_slot_fn *on_slot, void *ctx)
{
	if (!e)
		return;
	if (e->a)
		on_slot(ctx, &e->a);
	if (e->b)
		on_slot(ctx, &e->b);
	if (e->c)
		on_slot(ctx, &e->c);
	for (int i = 0; i < e->args.n; i++)
		if (e->args.v[i])
			on_slot(ctx, (struct expr **)&e->args.v[i]);
	for (int i = 0; i < e->comps.n; i++) {
		struct target_comp *tc = e->comps.v[i];

		if (tc->kind == TC_INDEX && tc->index)
			on_slot(ctx, &tc->index);
	}
}

struct child_visit {
	ast_expr_fn *on_expr;
	void *ctx;
};

static void visit_slot(void *ctx, struct expr **slot)
{
	struct child_visit *v = ctx;

	v->on_expr(v->ctx, *slot);
}

void ast_expr_children(const struct expr *e, ast_expr_fn *on_expr,
		       void *ctx)
{
	struct child_visit v = { on_expr, ctx };

	/* The slots are only read here: e is not changed. */
	ast_expr_slots((struct expr *)e, visit_slot, &v);
}

/* ---- the depth bound ---- */

struct depth_walk {
	struct vec stmts;		/* of struct stmt *, to do */
	struct vec exprs;		/* of struct expr *, to do */
	struct vec depths;		/* the depth of each of exprs */
	intptr_t depth;			/* of the node whose children come */
};

static void depth_push_expr(void *ctx, struct expr *e)
{
	struct depth_walk *w = ctx;

	vec_push(&w->exprs, e);
	vec_push(&w->depths, (void *)(w->depth + 1));
}

static void depth_push_stmt(void *ctx, struct stmt *s)
{
	vec_push(&((struct depth_walk *)ctx)->stmts, s);
}

static void depth_push_point(struct depth_walk *w, const struct probe_point *pp)
{
	const struct pp_component *c;

	if (!pp)
		return;
	VEC_EACH(&pp->comps, i, c)
		if (c->arg)
			depth_push_expr(w, c->arg);
	if (pp->cond)
		depth_push_expr(w, pp->cond);
}

static void depth_push_file(struct depth_walk *w, const struct file_ast *f)
{
	const struct symbol *g;
	const struct probe *p;
	const struct function *fn;
	const struct probe_alias *a;
	const struct probe_point *pp;

	VEC_EACH(&f->globals, i, g)
		if (g->init)
			depth_push_expr(w, g->init);
	VEC_EACH(&f->probes, i, p) {
		VEC_EACH(&p->points, j, pp)
			depth_push_point(w, pp);
		depth_push_stmt(w, p->body);
	}
	VEC_EACH(&f->functions, i, fn)
		if (fn->body)
			depth_push_stmt(w, fn->body);
	VEC_EACH(&f->aliases, i, a) {
		depth_push_point(w, a->name);
		VEC_EACH(&a->points, j, pp)
			depth_push_point(w, pp);
		depth_push_stmt(w, a->body);
		if (a->epilogue_body)
			depth_push_stmt(w, a->epilogue_body);
	}
}

/* The statements first: they nest only as deep as the parser's stack
 * lets them, and their expressions start at depth 1. */
int ast_check_depth(const struct file_ast *f)
{
	struct depth_walk w = { 0 };
	int ok = 1;

	depth_push_file(&w, f);
	while (w.stmts.n) {
		struct stmt *s = w.stmts.v[--w.stmts.n];

		w.depth = 0;
		ast_stmt_children(s, depth_push_expr, depth_push_stmt, &w);
	}
	while (ok && w.exprs.n) {
		struct expr *e = w.exprs.v[--w.exprs.n];

		w.depth = (intptr_t)w.depths.v[--w.depths.n];
		if (w.depth > AST_MAX_DEPTH) {
			diag_error(DG_NESTED_TOO_DEEP,
				   e->loc, "expression nested too deeply");
			ok = 0;
		}
		ast_expr_children(e, depth_push_expr, &w);
	}
	free(w.stmts.v);
	free(w.exprs.v);
	free(w.depths.v);
	return ok ? 0 : -1;
}
