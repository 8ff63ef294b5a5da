/* parser.y - the SystemTap grammar, pass 1.
 *
 * Statements need no terminator (';' is an empty statement), as in
 * SystemTap; the few shift/reduce conflicts that brings are resolved by
 * shifting, so an expression takes as many tokens as it can.
 */
%code {
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

int yylex(void);
void yyerror(const char *msg);
static struct file_ast *parse_result;

static struct loc L(YYLTYPE l)
{
	return (struct loc){ lex_state.src, l.first_line, l.first_column };
}

static struct expr *binary(int op, struct expr *a, struct expr *b,
			   YYLTYPE l)
{
	struct expr *e = expr_new(EX_BINARY, L(l));

	e->op = op;
	e->a = a;
	e->b = b;
	return e;
}

static struct expr *assign(int op, struct expr *a, struct expr *b,
			   YYLTYPE l)
{
	struct expr *e = binary(op, a, b, l);

	e->kind = EX_ASSIGN;
	return e;
}

/* -NUMBER is a literal, so a negative number prints and parses back
 * as the same node. */
static struct expr *negate(struct expr *a, YYLTYPE l);

static struct expr *unary(enum expr_kind kind, int op, struct expr *a,
			  YYLTYPE l)
{
	struct expr *e = expr_new(kind, L(l));

	e->op = op;
	e->a = a;
	return e;
}

static struct expr *negate(struct expr *a, YYLTYPE l)
{
	if (a->kind == EX_NUM) {
		a->num = (int64_t)(0 - (uint64_t)a->num);
		a->loc = L(l);
		return a;
	}
	return unary(EX_UNARY, '-', a, l);
}
}


%code requires {
#include "ast.h"
}

%define parse.error custom
%locations
%expect 18

%union {
	int64_t num;
	char *str;
	struct expr *expr;
	struct stmt *stmt;
	struct probe *probe;
	struct probe_point *point;
	struct pp_component *comp;
	struct function *fn;
	struct symbol *sym;
	struct vec *list;
	int type;
}

%token <num> NUMBER "number"
%token <str> STRING "string"
%token <str> IDENT "identifier"
%token <str> EMBEDDED "embedded C"
%token PROBE "probe" GLOBAL "global" FUNCTION "function"
%token IF "if" ELSE "else" WHILE "while" FOR "for" RETURN "return"
%token NEXT "next" BREAK "break" CONTINUE "continue"
%token EQ "==" NE "!=" LE "<=" GE ">=" AND "&&" OR "||" SHL "<<" SHR ">>"
%token INC "++" DEC "--"
%token ADD_ASSIGN "+=" SUB_ASSIGN "-=" MUL_ASSIGN "*=" DIV_ASSIGN "/="
%token MOD_ASSIGN "%=" CAT_ASSIGN ".=" SHL_ASSIGN "<<=" SHR_ASSIGN ">>="
%token AND_ASSIGN "&=" OR_ASSIGN "|=" XOR_ASSIGN "^="
%token LEX_ERROR

%type <expr> expr opt_expr literal string_lit lvalue
%type <stmt> stmt block stmts
%type <probe> probe
%type <point> point components
%type <comp> component
%type <fn> function fn_head
%type <sym> param global_var
%type <list> points params param_list args arg_list
%type <str> comp_name
%type <type> opt_type
%type <num> assign_op

%right '=' ADD_ASSIGN SUB_ASSIGN MUL_ASSIGN DIV_ASSIGN MOD_ASSIGN CAT_ASSIGN SHL_ASSIGN SHR_ASSIGN AND_ASSIGN OR_ASSIGN XOR_ASSIGN
%right '?' ':'
%left OR
%left AND
%left '|'
%left '^'
%left '&'
%left EQ NE '<' '>' LE GE
%left SHL SHR
%left '+' '-' '.'
%left '*' '/' '%'
%precedence UNARY INC DEC
%precedence THEN
%precedence ELSE

%%

file
	: %empty		{ parse_result = xcalloc(1, sizeof(*parse_result));
				  parse_result->src = lex_state.src; }
	| file probe		{ vec_push(&parse_result->probes, $2); }
	| file function		{ vec_push(&parse_result->functions, $2); }
	| file GLOBAL globals
	| file EMBEDDED		{ struct embedded *m = xcalloc(1, sizeof(*m));
				  m->code = $2; m->loc = L(@2);
				  vec_push(&parse_result->embeds, m); }
	| file ';'
	;

globals
	: global_var		{ vec_push(&parse_result->globals, $1); }
	| globals ',' global_var { vec_push(&parse_result->globals, $3); }
	;

global_var
	: IDENT			{ $$ = xcalloc(1, sizeof(*$$)); $$->name = $1;
				  $$->scope = SCOPE_GLOBAL; $$->loc = L(@1); }
	| IDENT '=' literal	{ $$ = xcalloc(1, sizeof(*$$)); $$->name = $1;
				  $$->scope = SCOPE_GLOBAL; $$->loc = L(@1);
				  $$->init = $3; }
	;

literal
	: NUMBER		{ $$ = expr_new(EX_NUM, L(@1)); $$->num = $1; }
	| '-' NUMBER		{ $$ = expr_new(EX_NUM, L(@1));
				  $$->num = (int64_t)(0 - (uint64_t)$2); }
	| string_lit
	;

/* Adjacent string literals join, as in C. */
string_lit
	: STRING		{ $$ = expr_new(EX_STR, L(@1)); $$->str = $1; }
	| string_lit STRING	{ $$ = $1; $$->str = xasprintf("%s%s", $1->str, $2);
				  free($2); }
	;

probe
	: PROBE points block	{ $$ = xcalloc(1, sizeof(*$$)); $$->loc = L(@1);
				  $$->points = *$2; free($2); $$->body = $3; }
	;

points
	: point			{ $$ = xcalloc(1, sizeof(*$$)); vec_push($$, $1); }
	| points ',' point	{ $$ = $1; vec_push($$, $3); }
	;

point
	: components
	| components '?'	{ $$ = $1; $$->optional = 1; }
	| components '!'	{ $$ = $1; $$->sufficient = 1; }
	;

components
	: component		{ $$ = xcalloc(1, sizeof(*$$)); $$->loc = L(@1);
				  vec_push(&$$->comps, $1); }
	| components '.' component { $$ = $1; vec_push(&$$->comps, $3); }
	;

component
	: comp_name		{ $$ = xcalloc(1, sizeof(*$$)); $$->name = $1;
				  $$->loc = L(@1); }
	| comp_name '(' literal ')' { $$ = xcalloc(1, sizeof(*$$)); $$->name = $1;
				  $$->loc = L(@1); $$->arg = $3; }
	;

/* Probe point components may be spelled like keywords:
 * kernel.function("f").return */
comp_name
	: IDENT
	| RETURN		{ $$ = xstrdup("return"); }
	| FUNCTION		{ $$ = xstrdup("function"); }
	| PROBE			{ $$ = xstrdup("probe"); }
	| GLOBAL		{ $$ = xstrdup("global"); }
	| IF			{ $$ = xstrdup("if"); }
	| ELSE			{ $$ = xstrdup("else"); }
	| WHILE			{ $$ = xstrdup("while"); }
	| FOR			{ $$ = xstrdup("for"); }
	| NEXT			{ $$ = xstrdup("next"); }
	| BREAK			{ $$ = xstrdup("break"); }
	| CONTINUE		{ $$ = xstrdup("continue"); }
	;

function
	: fn_head block		{ $$ = $1; $$->body = $2; }
	| fn_head EMBEDDED	{ $$ = $1; $$->embedded = $2; }
	;

fn_head
	: FUNCTION IDENT opt_type '(' params ')'
				{ $$ = xcalloc(1, sizeof(*$$)); $$->name = $2;
				  $$->loc = L(@2); $$->ret = $3; $$->ret_loc = L(@3);
				  $$->params = *$5; free($5);
				  $$->src = lex_state.src;
				  for (int i = 0; i < $$->params.n; i++)
					((struct symbol *)$$->params.v[i])->index = i; }
	;

opt_type
	: %empty		{ $$ = TY_UNKNOWN; }
	| ':' IDENT		{ if (!strcmp($2, "long")) $$ = TY_LONG;
				  else if (!strcmp($2, "string")) $$ = TY_STRING;
				  else { diag_error(L(@2), "unknown type '%s', expected 'long' or 'string'", $2);
					 $$ = TY_UNKNOWN; }
				  free($2); }
	;

params
	: %empty		{ $$ = xcalloc(1, sizeof(*$$)); }
	| param_list
	;

param_list
	: param			{ $$ = xcalloc(1, sizeof(*$$)); vec_push($$, $1); }
	| param_list ',' param	{ $$ = $1; vec_push($$, $3); }
	;

param
	: IDENT opt_type	{ $$ = xcalloc(1, sizeof(*$$)); $$->name = $1;
				  $$->scope = SCOPE_PARAM; $$->type = $2;
				  $$->loc = L(@1); $$->type_loc = L(@2); }
	;

block
	: '{' stmts '}'		{ $$ = $2; $$->loc = L(@1); }
	;

stmts
	: %empty		{ $$ = stmt_new(ST_BLOCK, (struct loc){0}); }
	| stmts stmt		{ $$ = $1; vec_push(&$$->body, $2); }
	;

stmt
	: block
	| ';'			{ $$ = stmt_new(ST_EMPTY, L(@1)); }
	| expr			{ $$ = stmt_new(ST_EXPR, L(@1)); $$->e = $1; }
	| IF '(' expr ')' stmt	%prec THEN
				{ $$ = stmt_new(ST_IF, L(@1)); $$->e = $3; $$->then = $5; }
	| IF '(' expr ')' stmt ELSE stmt
				{ $$ = stmt_new(ST_IF, L(@1)); $$->e = $3;
				  $$->then = $5; $$->els = $7; }
	| WHILE '(' expr ')' stmt
				{ $$ = stmt_new(ST_WHILE, L(@1)); $$->e = $3; $$->then = $5; }
	| FOR '(' opt_expr ';' opt_expr ';' opt_expr ')' stmt
				{ $$ = stmt_new(ST_FOR, L(@1)); $$->init = $3;
				  $$->e = $5; $$->step = $7; $$->then = $9; }
	| RETURN		{ $$ = stmt_new(ST_RETURN, L(@1)); }
	| RETURN expr		{ $$ = stmt_new(ST_RETURN, L(@1)); $$->e = $2; }
	| NEXT			{ $$ = stmt_new(ST_NEXT, L(@1)); }
	| BREAK			{ $$ = stmt_new(ST_BREAK, L(@1)); }
	| CONTINUE		{ $$ = stmt_new(ST_CONTINUE, L(@1)); }
	;

opt_expr
	: %empty		{ $$ = NULL; }
	| expr
	;

assign_op
	: '='			{ $$ = '='; }
	| ADD_ASSIGN		{ $$ = OP_ADD_ASSIGN; }
	| SUB_ASSIGN		{ $$ = OP_SUB_ASSIGN; }
	| MUL_ASSIGN		{ $$ = OP_MUL_ASSIGN; }
	| DIV_ASSIGN		{ $$ = OP_DIV_ASSIGN; }
	| MOD_ASSIGN		{ $$ = OP_MOD_ASSIGN; }
	| CAT_ASSIGN		{ $$ = OP_CAT_ASSIGN; }
	| SHL_ASSIGN		{ $$ = OP_SHL_ASSIGN; }
	| SHR_ASSIGN		{ $$ = OP_SHR_ASSIGN; }
	| AND_ASSIGN		{ $$ = OP_AND_ASSIGN; }
	| OR_ASSIGN		{ $$ = OP_OR_ASSIGN; }
	| XOR_ASSIGN		{ $$ = OP_XOR_ASSIGN; }
	;

expr
	: NUMBER		{ $$ = expr_new(EX_NUM, L(@1)); $$->num = $1; }
	| string_lit
	| lvalue
	| IDENT '(' args ')'	{ $$ = expr_new(EX_CALL, L(@1)); $$->str = $1;
				  $$->args = *$3; free($3); }
	| '(' expr ')'		{ $$ = $2; }
	| expr assign_op expr %prec '='	{ $$ = assign((int)$2, $1, $3, @2); }
	| expr '?' expr ':' expr { $$ = expr_new(EX_TERNARY, L(@2));
				  $$->a = $1; $$->b = $3; $$->c = $5; }
	| expr OR expr		{ $$ = binary(OP_OR, $1, $3, @2); }
	| expr AND expr		{ $$ = binary(OP_AND, $1, $3, @2); }
	| expr '|' expr		{ $$ = binary('|', $1, $3, @2); }
	| expr '^' expr		{ $$ = binary('^', $1, $3, @2); }
	| expr '&' expr		{ $$ = binary('&', $1, $3, @2); }
	| expr EQ expr		{ $$ = binary(OP_EQ, $1, $3, @2); }
	| expr NE expr		{ $$ = binary(OP_NE, $1, $3, @2); }
	| expr '<' expr		{ $$ = binary('<', $1, $3, @2); }
	| expr '>' expr		{ $$ = binary('>', $1, $3, @2); }
	| expr LE expr		{ $$ = binary(OP_LE, $1, $3, @2); }
	| expr GE expr		{ $$ = binary(OP_GE, $1, $3, @2); }
	| expr SHL expr		{ $$ = binary(OP_SHL, $1, $3, @2); }
	| expr SHR expr		{ $$ = binary(OP_SHR, $1, $3, @2); }
	| expr '+' expr		{ $$ = binary('+', $1, $3, @2); }
	| expr '-' expr		{ $$ = binary('-', $1, $3, @2); }
	| expr '.' expr		{ $$ = binary('.', $1, $3, @2); }
	| expr '*' expr		{ $$ = binary('*', $1, $3, @2); }
	| expr '/' expr		{ $$ = binary('/', $1, $3, @2); }
	| expr '%' expr		{ $$ = binary('%', $1, $3, @2); }
	| '-' expr %prec UNARY	{ $$ = negate($2, @1); }
	| '+' expr %prec UNARY	{ $$ = unary(EX_UNARY, '+', $2, @1); }
	| '!' expr %prec UNARY	{ $$ = unary(EX_UNARY, '!', $2, @1); }
	| '~' expr %prec UNARY	{ $$ = unary(EX_UNARY, '~', $2, @1); }
	| INC expr		{ $$ = unary(EX_PREINC, OP_INC, $2, @1); }
	| DEC expr		{ $$ = unary(EX_PREINC, OP_DEC, $2, @1); }
	| lvalue INC		{ $$ = unary(EX_POSTINC, OP_INC, $1, @2); }
	| lvalue DEC		{ $$ = unary(EX_POSTINC, OP_DEC, $1, @2); }
	;

/* What ++ and -- may follow: so "a++ ++b" is two statements. */
lvalue
	: IDENT			{ $$ = expr_new(EX_VAR, L(@1)); $$->str = $1; }
	;

args
	: %empty		{ $$ = xcalloc(1, sizeof(*$$)); }
	| arg_list
	;

arg_list
	: expr			{ $$ = xcalloc(1, sizeof(*$$)); vec_push($$, $1); }
	| arg_list ',' expr	{ $$ = $1; vec_push($$, $3); }
	;

%%

/* "expected X or Y, found Z": what the parser could take, what it got. */
static int yyreport_syntax_error(const yypcontext_t *ctx)
{
	yysymbol_kind_t found = yypcontext_token(ctx);
	yysymbol_kind_t expected[6];
	int n = yypcontext_expected_tokens(ctx, expected, 6);
	struct loc loc = L(*yypcontext_location(ctx));
	struct strbuf msg;

	if (found == YYSYMBOL_LEX_ERROR)
		return 0;	/* the lexer has said what is wrong */
	sb_init(&msg);
	if (n > 0 && n < 6) {
		sb_puts(&msg, "expected ");
		for (int i = 0; i < n; i++) {
			if (i)
				sb_puts(&msg, i == n - 1 ? " or " : ", ");
			sb_puts(&msg, yysymbol_name(expected[i]));
		}
		sb_puts(&msg, ", found ");
	} else {
		sb_puts(&msg, "unexpected ");
	}
	sb_puts(&msg, found == YYSYMBOL_YYEOF ? "end of input"
					      : yysymbol_name(found));
	diag_error(loc, "%s", msg.s);
	sb_free(&msg);
	return 0;
}

void yyerror(const char *msg)
{
	diag_error((struct loc){ lex_state.src, lex_state.line, lex_state.col },
		   "%s", msg);
}

struct file_ast *parse_source(const struct source *src)
{
	int errors = diag_errors;
	int rc;

	parse_result = NULL;
	lex_begin(src);
	rc = yyparse();
	lex_end();
	if (rc || diag_errors != errors)
		return NULL;
	return parse_result;
}
