/* ast.h - the parse tree (pass 1) and the slots pass 2 fills in.
 *
 * Pass 1 builds these nodes; pass 2 resolves names (expr.sym, expr.fn)
 * and types (expr.type, symbol.type); pass 3 reads them.
 */
#ifndef TAPC_AST_H
#define TAPC_AST_H

#include <stdint.h>

#include "diag.h"
#include "util.h"

enum type {
	TY_UNKNOWN = 0,
	TY_LONG,
	TY_STRING,
};
const char *type_name(enum type t);

enum expr_kind {
	EX_NUM,		/* num */
	EX_STR,		/* str */
	EX_VAR,		/* str = name; sym after pass 2 */
	EX_CALL,	/* str = name, args; fn after pass 2 */
	EX_UNARY,	/* op a: - + ! ~ */
	EX_BINARY,	/* a op b: arithmetic, comparison, logic, '.' */
	EX_ASSIGN,	/* a op b: = += -= *= /= %= .= <<= >>= &= |= ^= */
	EX_PREINC,	/* op a: ++ or -- before */
	EX_POSTINC,	/* a op: ++ or -- after */
	EX_TERNARY,	/* a ? b : c */
};

/* Operators that are more than one character get a token-like code. */
enum op {
	OP_NONE = 0,
	OP_EQ = 256, OP_NE, OP_LE, OP_GE, OP_AND, OP_OR, OP_SHL, OP_SHR,
	OP_INC, OP_DEC,
	OP_ADD_ASSIGN, OP_SUB_ASSIGN, OP_MUL_ASSIGN, OP_DIV_ASSIGN,
	OP_MOD_ASSIGN, OP_CAT_ASSIGN, OP_SHL_ASSIGN, OP_SHR_ASSIGN,
	OP_AND_ASSIGN, OP_OR_ASSIGN, OP_XOR_ASSIGN,
};
const char *op_text(int op);

struct symbol;
struct function;

struct expr {
	enum expr_kind kind;
	struct loc loc;
	int op;
	int64_t num;
	char *str;
	struct expr *a, *b, *c;
	struct vec args;		/* of struct expr * */
	enum type type;			/* pass 2 */
	struct symbol *sym;		/* pass 2, EX_VAR */
	struct function *fn;		/* pass 2, EX_CALL of a script function */
};

enum stmt_kind {
	ST_EMPTY,
	ST_BLOCK,	/* body */
	ST_EXPR,	/* e */
	ST_IF,		/* e, then, els */
	ST_WHILE,	/* e, then */
	ST_FOR,		/* init, e, step, then */
	ST_RETURN,	/* e or NULL */
	ST_NEXT,
	ST_BREAK,
	ST_CONTINUE,
};

struct stmt {
	enum stmt_kind kind;
	struct loc loc;
	struct expr *e, *init, *step;
	struct stmt *then, *els;
	struct vec body;		/* of struct stmt *, ST_BLOCK */
};

/* One component of a probe point: kernel, function("vfs_read"), return */
struct pp_component {
	char *name;
	struct expr *arg;		/* EX_NUM or EX_STR literal, or NULL */
	struct loc loc;
};

struct probe_point {
	struct vec comps;		/* of struct pp_component * */
	int optional;			/* ? */
	int sufficient;			/* ! */
	struct loc loc;
};

enum symbol_scope { SCOPE_GLOBAL, SCOPE_LOCAL, SCOPE_PARAM };

struct symbol {
	char *name;
	enum symbol_scope scope;
	enum type type;
	struct loc loc;			/* declaration or first use */
	struct loc type_loc;		/* where the type was first fixed */
	struct expr *init;		/* globals: initializer literal */
	int index;			/* params: position */
};

struct probe {
	struct vec points;		/* of struct probe_point * */
	struct stmt *body;
	struct loc loc;
	struct vec locals;		/* of struct symbol *, pass 2 */
	int id;				/* pass 2: index in the program */
};

struct function {
	char *name;
	struct loc loc;
	struct vec params;		/* of struct symbol * */
	enum type ret;
	struct loc ret_loc;
	struct stmt *body;		/* script body, or NULL */
	char *embedded;			/* %{ C %} body, or NULL */
	struct vec locals;		/* of struct symbol *, pass 2 */
	int used;			/* pass 2: reachable from a probe */
	const struct source *src;
};

struct embedded {
	char *code;
	struct loc loc;
};

/* The result of parsing one file. */
struct file_ast {
	const struct source *src;
	struct vec globals;		/* of struct symbol * */
	struct vec probes;		/* of struct probe * */
	struct vec functions;		/* of struct function * */
	struct vec embeds;		/* of struct embedded * */
};

struct expr *expr_new(enum expr_kind kind, struct loc loc);
struct stmt *stmt_new(enum stmt_kind kind, struct loc loc);

/* Pass 1's printable result: the tree as canonical script text. */
void ast_print_file(const struct file_ast *f, struct strbuf *out);
void ast_print_expr(const struct expr *e, struct strbuf *out);
void ast_print_point(const struct probe_point *pp, struct strbuf *out);

#endif
