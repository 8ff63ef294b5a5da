/* ast.h - the parse tree (pass 1) and the slots pass 2 fills in.
 *
 * Pass 1 builds these nodes; pass 2 resolves names (expr.sym, expr.fn)
 * and types (expr.type, symbol.type); pass 3 reads them.
 */
#ifndef TAPC_AST_H
#define TAPC_AST_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "util.h"

enum type {
	TY_UNKNOWN = 0,
	TY_LONG,
	TY_STRING,
	TY_STAT,	/* a statistic: <<< into it, @count... out of it */
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
	/* Pass 1 builds these too; pass 2 reports the ones it does not
	 * implement yet (elab.c, check_supported). */
	EX_INDEX,	/* a[args]: a is the array (EX_VAR), or an EX_HIST,
			 * or another EX_INDEX; args may hold EX_WILDCARD */
	EX_WILDCARD,	/* '*' as a key: a slice, a[*, k] */
	EX_IN,		/* [args] in a: a is the array (as for EX_INDEX) */
	EX_REGEX,	/* a =~ b, a !~ b: op OP_MATCH or OP_NMATCH; b EX_STR */
	EX_STAT,	/* @count(a) ...: str = "count", "sum", "min", "max",
			 * "avg" or "variance"; args: more parameters */
	EX_HIST,	/* @hist_linear(a, lo, hi, width) and @hist_log(a):
			 * str = "hist_linear" or "hist_log"; args: lo hi width */
	EX_TARGET,	/* $name, $$vars, $return ...: str = the name with its
			 * dollars; comps; pretty */
	EX_CAST,	/* @cast(a, "type"[, "module"]): str = type, module;
			 * comps; pretty */
	EX_ATVAR,	/* @var("name@file"[, "module"]): str, module; comps;
			 * pretty */
	EX_AUTOCAST,	/* a->field...: a value that keeps its C type; a,
			 * comps, pretty */
	EX_ENTRY,	/* @entry(a) */
	EX_DEFINED,	/* @defined(a) */
	EX_PROBEWRITE,	/* @probewrite(a): a is a variable */
	EX_CONST,	/* @const("NAME"[, "header"]): str, module */
	EX_PERF,	/* @perf("counter"): str */
	EX_ADDR,	/* &a: the address of a target expression */
	EX_EMBEDDED,	/* %{ C expression %}: str = the code; pragmas */
};

/* Operators that are more than one character get a token-like code. */
enum op {
	OP_NONE = 0,
	OP_EQ = 256, OP_NE, OP_LE, OP_GE, OP_AND, OP_OR, OP_SHL, OP_SHR,
	OP_INC, OP_DEC,
	OP_ADD_ASSIGN, OP_SUB_ASSIGN, OP_MUL_ASSIGN, OP_DIV_ASSIGN,
	OP_MOD_ASSIGN, OP_CAT_ASSIGN, OP_SHL_ASSIGN, OP_SHR_ASSIGN,
	OP_AND_ASSIGN, OP_OR_ASSIGN, OP_XOR_ASSIGN,
	OP_AGGREGATE,			/* <<<, an EX_ASSIGN */
	OP_MATCH, OP_NMATCH,		/* =~ !~, EX_REGEX */
};
const char *op_text(int op);

struct symbol;
struct function;
struct builtin;

/* One step after a target value: ->name or [index]. */
enum target_comp_kind { TC_FIELD, TC_INDEX };
struct target_comp {
	enum target_comp_kind kind;
	char *name;			/* TC_FIELD */
	struct expr *index;		/* TC_INDEX */
	struct loc loc;
};

struct expr {
	enum expr_kind kind;
	struct loc loc;
	int op;
	int64_t num;
	char *str;
	struct expr *a, *b, *c;
	struct vec args;		/* of struct expr * */
	/* Target values (EX_TARGET, EX_CAST, EX_ATVAR). */
	struct vec comps;		/* of struct target_comp * */
	char *module;			/* @cast, @var, @const: or NULL */
	int pretty;			/* 1 for a trailing $, 2 for $$ */
	int addr;			/* EX_TARGET, EX_CAST under '&': the
					 * address of the value, not it */
	struct vec pragmas;		/* EX_EMBEDDED: of char *, e.g. "pure" */
	enum type type;			/* pass 2 */
	struct symbol *sym;		/* pass 2, EX_VAR */
	struct function *fn;		/* pass 2, EX_CALL of a script function */
	/* Pass 2: the builtin (builtins.h) of an EX_CALL, EX_STAT or
	 * EX_HIST, or NULL. */
	const struct builtin *bi;
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
	/* Pass 2 reports these as not supported yet where it must. */
	ST_FOREACH,	/* foreach (value = [keys] in e sort limit) then */
	ST_DELETE,	/* delete e: an array, an element, a slice, a scalar */
	ST_TRY,		/* try then catch (e) els: e is the EX_VAR or NULL */
};

struct stmt {
	enum stmt_kind kind;
	struct loc loc;
	struct expr *e, *init, *step;
	struct stmt *then, *els;
	struct vec body;		/* of struct stmt *, ST_BLOCK */
	/* ST_FOREACH: e is the array (EX_VAR, an EX_INDEX slice, or an
	 * EX_HIST); keys are EX_VARs; value is an EX_VAR or NULL. */
	struct vec keys;		/* of struct expr * */
	struct expr *value;
	struct expr *limit;		/* or NULL */
	int sort_col;			/* 0: the value, k: key k (1-based) */
	int sort_dir;			/* 0 unsorted, 1 ascending, -1 descending */
	char *sort_aggr;		/* "count", "sum"... to sort statistics
					 * by, or NULL */
};

/* One component of a probe point: kernel, function("vfs_read"), return */
struct pp_component {
	char *name;
	struct expr *arg;		/* EX_NUM or EX_STR literal, or NULL */
	struct loc loc;
};

/* Component names may hold '*' wildcards ("sys_*"); braces in the
 * source ("syscall.{read,write}") are expanded into several points. */
struct probe_point {
	struct vec comps;		/* of struct pp_component * */
	int optional;			/* ? */
	int sufficient;			/* ! */
	struct expr *cond;		/* if (cond), or NULL */
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
	/* Globals as declared. */
	int array;			/* declared with [size] or % */
	int64_t size;			/* global a[size]: 0 if not given */
	int wrap;			/* global a% or a%[size] */
	int private;			/* private global */
};

struct probe {
	struct vec points;		/* of struct probe_point * */
	struct stmt *body;
	struct loc loc;
	struct vec locals;		/* of struct symbol *, pass 2 */
	int id;				/* pass 2: index in the program */
	/* Pass 2: the script's probe this one was derived from through
	 * aliases or conditions (its body rewritten), or NULL. */
	struct probe *origin;
};

/* probe name = points { prologue }, probe name += points { epilogue },
 * or both: probe name = points { prologue }, { epilogue } */
struct probe_alias {
	struct probe_point *name;	/* the new point; no ?, ! or if */
	struct vec points;		/* of struct probe_point * */
	int epilogue;			/* += : body is an epilogue */
	struct stmt *body;
	struct stmt *epilogue_body;	/* the second block of "= ... { }, { }" */
	struct loc loc;
};

struct function {
	char *name;
	struct loc loc;
	struct vec params;		/* of struct symbol * */
	enum type ret;
	struct loc ret_loc;
	struct stmt *body;		/* script body, or NULL */
	char *embedded;			/* %{ C %} body, or NULL */
	struct vec pragmas;		/* of char *: "pure", "pragma:read:x"... */
	int private;
	int has_priority;		/* function f():priority */
	int64_t priority;
	struct vec locals;		/* of struct symbol *, pass 2 */
	int used;			/* pass 2: reachable from a probe */
	/* Pass 2: the name in C; name, or name__N for the overload with
	 * N parameters of a name several used functions share. */
	char *cname;
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
	struct vec aliases;		/* of struct probe_alias * */
};

/* ---- the arena (ast.c) ----
 *
 * Every node of the tree, and every string the parser or a copy puts in
 * one, comes from an arena that lives until exit.  Nothing frees a node
 * or a node's string: a pass that drops one only stops pointing at it
 * (docs/sanitizers.md). */

/* Zeroed memory for a node. */
void *ast_alloc(size_t size);
char *ast_strdup(const char *s);
char *ast_strndup(const char *s, size_t n);
char *ast_concat(const char *a, const char *b);	/* a then b */
/* An empty list, for the parser's lists being read. */
struct vec *ast_list_new(void);
/* v, in arena memory, is a vector whose buffer ast_arena_reset frees
 * (the constructors below call it for the vectors of their nodes). */
void ast_own_vec(struct vec *v);
/* Frees the whole arena, and every buffer of a vector in it made since
 * the last reset: every node ever made is gone.  Only for harnesses
 * that parse many unrelated inputs in one process (the fuzz target, the
 * parse benchmark), which call it before their first parse and after
 * each input, when no node is used any more; tapc never does. */
void ast_arena_reset(void);

struct expr *expr_new(enum expr_kind kind, struct loc loc);
struct stmt *stmt_new(enum stmt_kind kind, struct loc loc);
struct pp_component *comp_new(char *name, struct loc loc);
struct probe_point *point_new(struct loc loc);
struct symbol *symbol_new(char *name, enum symbol_scope scope,
			  struct loc loc);
struct probe *probe_new(struct loc loc);
struct probe_alias *alias_new(struct loc loc);
struct function *function_new(char *name, struct loc loc);
struct embedded *embedded_new(char *code, struct loc loc);
struct file_ast *file_ast_new(const struct source *src);

struct expr *expr_clone(const struct expr *e);
long expr_size(const struct expr *e);	/* nodes in the tree */
/* Deep copies, for pass 2's alias expansion. */
struct stmt *stmt_clone(const struct stmt *s);
struct pp_component *comp_clone(const struct pp_component *c);
struct probe_point *point_clone(const struct probe_point *pp);

/* The pragma comments of embedded C: "pure", "pragma:read:var"... */
void embedded_pragmas(const char *code, struct vec *out);

/* Pass 1's printable result: the tree as canonical script text. */
void ast_print_file(const struct file_ast *f, struct strbuf *out);
void ast_print_expr(const struct expr *e, struct strbuf *out);
void ast_print_point(const struct probe_point *pp, struct strbuf *out);
void ast_print_stmt(const struct stmt *s, int depth, struct strbuf *out);

/* The children of a statement, each kind's, for walkers to recurse
 * through: expressions to on_expr, then statements to on_stmt. */
typedef void ast_expr_fn(void *ctx, struct expr *e);
typedef void ast_stmt_fn(void *ctx, struct stmt *s);
void ast_stmt_children(const struct stmt *s, ast_expr_fn *on_expr,
		       ast_stmt_fn *on_stmt, void *ctx);

/* The children of an expression, each kind's, in the order they run:
 * a, b, c, then args, then the index of each [index] component of a
 * target value (EX_TARGET, EX_CAST, EX_ATVAR, EX_AUTOCAST).  A pass
 * handles the kinds it cares about and hands every other node to this
 * for the descent, so no pass misses a child another kind holds. */
void ast_expr_children(const struct expr *e, ast_expr_fn *on_expr,
		       void *ctx);
/* The same children as the slots that hold them, for a walker that
 * replaces a child in place (*slot = another node). */
typedef void ast_slot_fn(void *ctx, struct expr **slot);
void ast_expr_slots(struct expr *e, ast_slot_fn *on_slot, void *ctx);

/* The deepest expression tapc takes: a chain of 'a + a + ...' builds a
 * tree as deep as the chain is long, and every pass walks expressions
 * by recursion.  At this depth none comes near an 8 MiB stack, and no
 * real script comes near it (tests/realworld's deepest is 31 to 60). */
#define AST_MAX_DEPTH 1000
/* Reports the first expression of f deeper than that, iteratively;
 * 0 if there is none, else -1.  The parser runs it on every file. */
int ast_check_depth(const struct file_ast *f);

#endif
