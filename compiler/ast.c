/* ast.c - node constructors and pass 1's printer (canonical script). */
#include "ast.h"

#include <inttypes.h>
#include <string.h>

struct expr *expr_new(enum expr_kind kind, struct loc loc)
{
	struct expr *e = xcalloc(1, sizeof(*e));

	e->kind = kind;
	e->loc = loc;
	return e;
}

struct stmt *stmt_new(enum stmt_kind kind, struct loc loc)
{
	struct stmt *s = xcalloc(1, sizeof(*s));

	s->kind = kind;
	s->loc = loc;
	return s;
}

const char *type_name(enum type t)
{
	switch (t) {
	case TY_LONG: return "long";
	case TY_STRING: return "string";
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
	default:
		one[0] = (char)op;
		return one;
	}
}

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
			if ((unsigned char)*s < 32)
				sb_printf(out, "\\%03o", (unsigned char)*s);
			else
				sb_putc(out, *s);
		}
	}
	sb_putc(out, '"');
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
		sb_printf(out, "%s(", e->str);
		for (int i = 0; i < e->args.n; i++) {
			if (i)
				sb_puts(out, ", ");
			ast_print_expr(e->args.v[i], out);
		}
		sb_putc(out, ')');
		break;
	case EX_UNARY:
	case EX_PREINC:
		sb_printf(out, "(%s", op_text(e->op));
		ast_print_expr(e->a, out);
		sb_putc(out, ')');
		break;
	case EX_POSTINC:
		sb_putc(out, '(');
		ast_print_expr(e->a, out);
		sb_printf(out, "%s)", op_text(e->op));
		break;
	case EX_BINARY:
	case EX_ASSIGN:
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
	}
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

/* A statement nested in if/while/for: a block stays on the line. */
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
		ast_print_expr(e, out);
}

static void print_stmt(const struct stmt *s, int depth, struct strbuf *out)
{
	indent(depth, out);
	switch (s->kind) {
	case ST_EMPTY:
		sb_puts(out, ";\n");
		break;
	case ST_BLOCK:
		print_block(s, depth, out);
		sb_putc(out, '\n');
		break;
	case ST_EXPR:
		ast_print_expr(s->e, out);
		sb_putc(out, '\n');
		break;
	case ST_IF:
		sb_puts(out, "if (");
		ast_print_expr(s->e, out);
		sb_putc(out, ')');
		print_nested(s->then, depth, out);
		if (s->els) {
			indent(depth, out);
			sb_puts(out, "else");
			print_nested(s->els, depth, out);
		}
		break;
	case ST_WHILE:
		sb_puts(out, "while (");
		ast_print_expr(s->e, out);
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
	case ST_RETURN:
		sb_puts(out, "return");
		if (s->e) {
			sb_putc(out, ' ');
			ast_print_expr(s->e, out);
		}
		sb_putc(out, '\n');
		break;
	case ST_NEXT:
		sb_puts(out, "next\n");
		break;
	case ST_BREAK:
		sb_puts(out, "break\n");
		break;
	case ST_CONTINUE:
		sb_puts(out, "continue\n");
		break;
	}
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
}

static void print_type(enum type t, struct strbuf *out)
{
	if (t != TY_UNKNOWN)
		sb_printf(out, ":%s", type_name(t));
}

static void print_function(const struct function *f, struct strbuf *out)
{
	sb_printf(out, "function %s", f->name);
	print_type(f->ret, out);
	sb_putc(out, '(');
	for (int i = 0; i < f->params.n; i++) {
		const struct symbol *p = f->params.v[i];

		if (i)
			sb_puts(out, ", ");
		sb_puts(out, p->name);
		print_type(p->type, out);
	}
	sb_puts(out, ") ");
	if (f->embedded)
		sb_printf(out, "%%{%s%%}\n", f->embedded);
	else {
		print_block(f->body, 0, out);
		sb_putc(out, '\n');
	}
}

void ast_print_file(const struct file_ast *f, struct strbuf *out)
{
	for (int i = 0; i < f->embeds.n; i++) {
		const struct embedded *m = f->embeds.v[i];

		sb_printf(out, "%%{%s%%}\n", m->code);
	}
	for (int i = 0; i < f->globals.n; i++) {
		const struct symbol *g = f->globals.v[i];

		sb_printf(out, "global %s", g->name);
		if (g->init) {
			sb_puts(out, " = ");
			ast_print_expr(g->init, out);
		}
		sb_putc(out, '\n');
	}
	for (int i = 0; i < f->functions.n; i++)
		print_function(f->functions.v[i], out);
	for (int i = 0; i < f->probes.n; i++) {
		const struct probe *p = f->probes.v[i];

		sb_puts(out, "probe ");
		for (int j = 0; j < p->points.n; j++) {
			if (j)
				sb_puts(out, ", ");
			ast_print_point(p->points.v[j], out);
		}
		sb_putc(out, ' ');
		print_block(p->body, 0, out);
		sb_putc(out, '\n');
	}
}
