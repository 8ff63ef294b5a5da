/* parser.y - the SystemTap grammar, pass 1.
 *
 * Tokens come from the preprocessor (preprocess.c), which gets them
 * from the lexer (lexer.l).  Precedence, lowest first, as in SystemTap:
 *   = += -= *= /= %= <<= >>= &= ^= |= .= <<<   right
 *   ?:                                         right
 *   ||  &&  |  ^  &                            left
 *   in                                         (its right side is an array)
 *   < > <= >= == != =~ !~                      left
 *   << >>   .   + -   * / %                    left
 *   unary ! ~ - +, prefix ++ --, & of a value
 *   postfix ++ --, calls, [index], ->field, $ $$
 *
 * Statements need no terminator: ';' after a simple statement belongs
 * to it, and a ';' on its own is the empty statement.  So that a
 * statement ends only where nothing can continue it ("x \n -1" is x - 1,
 * as in SystemTap), the points where a statement could end are given
 * the lowest precedence (NOSEMI) and every token that continues an
 * expression a higher one: those shift/reduce choices are resolved by
 * precedence and bison reports no conflict.  The one conflict left is
 * the dangling else, resolved by %prec too, so %expect is 0.
 *
 * Errors: "expected X, found Y" with the location of Y.  Recovery is
 * at statement level inside blocks (skip to the end of the statement:
 * a ';', the block's '}', or the next line) and at top level (skip to
 * the next probe, function or global); a top-level keyword inside a
 * block closes the blocks left open, so one missing '}' is one error.
 */
%code requires {
#include "ast.h"

/* Locations carry their source: macros bring tokens from other files. */
struct yyloc {
	const struct source *src;
	int first_line, first_column;
	int last_line, last_column;
	int space;			/* blank before the first token */
};
#define YYLTYPE struct yyloc
#define YYLTYPE_IS_DECLARED 1
#define YYLLOC_DEFAULT(cur, rhs, n)					\
	do {								\
		if (n) {						\
			(cur) = YYRHSLOC(rhs, 1);			\
			(cur).last_line = YYRHSLOC(rhs, n).last_line;	\
			(cur).last_column = YYRHSLOC(rhs, n).last_column; \
		} else {						\
			(cur) = YYRHSLOC(rhs, 0);			\
			(cur).first_line = (cur).last_line;		\
			(cur).first_column = (cur).last_column;		\
		}							\
	} while (0)

/* A probe point being read: the points its braces expand to. */
struct pp_alts {
	struct vec alts;		/* of struct probe_point * */
};

/* A foreach header being read. */
struct fe_head {
	struct vec keys;		/* of struct expr * */
	struct expr *value;
	int sorts;			/* how many sort marks */
	int sort_col, sort_dir;
};
}

%code {
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "parse_build.h"

int yylex(void);
void yyerror(const char *msg);

/* The parse in progress. */
static struct {
	struct prep *prep;
	struct tokens buf;		/* every token read, for recovery */
	int *depth;			/* braces open before each token */
	int depth_cap;
	int pos;			/* the next token to hand out */
	int last;			/* the last token handed out */
	int inject;			/* '}' to hand out before pos */
	int errors;			/* syntax errors in this parse */
	int gave_up;
	struct file_ast *result;
} ps;

#define MAX_ERRORS 50

/* Here, not in parse_build.c: it adds to the file being parsed. */
static void add_globals(struct vec *syms, int private)
{
	for (int i = 0; i < syms->n; i++) {
		struct symbol *s = syms->v[i];

		s->private = private;
		vec_push(&ps.result->globals, s);
	}
}


static void recover_statement(int lookahead_kept);
static void recover_toplevel(int lookahead_kept);

/* Recovery re-reads the tokens from where it resumes, the lookahead the
 * parser holds too, if it holds one.  Nothing is freed: semantic values
 * are nodes, lists and strings of the arena (ast.c), so the grammar has
 * no %destructor. */
#define lookahead_held(c) ((c) != YYEMPTY)
}

%define parse.error custom
%define parse.lac full
%locations
%expect 0

%union {
	int64_t num;
	char *str;
	struct expr *expr;
	struct stmt *stmt;
	struct vec *exprs;		/* of struct expr * */
	struct vec *points;		/* of struct probe_point * */
	struct vec *syms;		/* of struct symbol * */
	struct pp_alts *alts;
	struct pp_component *comp;
	struct function *fn;
	struct symbol *sym;
	struct fe_head *fe;
	int type;
}

%token <num> NUMBER "number"
%token <str> STRING "string"
%token <str> IDENT "identifier"
%token <str> TARGET "target variable"
%token <str> EMBEDDED "embedded C"
%token <num> PRETTY "'$'"
%token PROBE "'probe'" GLOBAL "'global'" FUNCTION "'function'"
%token PRIVATE "'private'"
%token IF "'if'" ELSE "'else'" WHILE "'while'" FOR "'for'"
%token FOREACH "'foreach'" IN "'in'" RETURN "'return'" NEXT "'next'"
%token BREAK "'break'" CONTINUE "'continue'" DELETE "'delete'"
%token TRY "'try'" CATCH "'catch'"
%token EQ "'=='" NE "'!='" LE "'<='" GE "'>='" AND "'&&'" OR "'||'"
%token SHL "'<<'" SHR "'>>'" INC "'++'" DEC "'--'" ARROW "'->'"
%token MATCH "'=~'" NMATCH "'!~'" AGGREGATE "'<<<'"
%token ADD_ASSIGN "'+='" SUB_ASSIGN "'-='" MUL_ASSIGN "'*='"
%token DIV_ASSIGN "'/='" MOD_ASSIGN "'%='" CAT_ASSIGN "'.='"
%token SHL_ASSIGN "'<<='" SHR_ASSIGN "'>>='" AND_ASSIGN "'&='"
%token OR_ASSIGN "'|='" XOR_ASSIGN "'^='"
%token AT_CAST "'@cast'" AT_VAR "'@var'" AT_ENTRY "'@entry'"
%token AT_DEFINED "'@defined'" AT_PROBEWRITE "'@probewrite'"
%token AT_CONST "'@const'" AT_PERF "'@perf'"
%token AT_CHOOSE "'@choose_defined'"
%token <str> AT_STAT "statistic" AT_HIST "histogram"
%token LEX_ERROR
/* Only the preprocessor sees these. */
%token <str> AT "macro"
%token DEFINE "'@define'" ARG_DOLLAR ARG_AT ARG_COUNT
%token PREP_OPEN "'%('" PREP_THEN "'%?'" PREP_ELSE "'%:'" PREP_CLOSE "'%)'"

%type <expr> expr operand literal string_lit opt_expr index_item
%type <expr> hist array_ref fe_array fe_limit
%type <expr> opt_cond
%type <str> comp_name comp_first comp_keyword field opt_module opt_catch
%type <stmt> stmt block stmts
%type <exprs> args arg_list index_list
%type <points> pp_spec pp_list
%type <alts> pp_seq pp_elem pp_group
%type <comp> pp_comp
%type <fn> function fn_head fn_sig
%type <sym> param global_var
%type <syms> params param_list globals
%type <fe> fe_vars fe_keys
%type <expr> fe_key
%type <type> opt_type marks fe_mark assign_op

%precedence NOSEMI
%precedence THEN
%precedence ELSE
%precedence ';'
%right '=' ADD_ASSIGN SUB_ASSIGN MUL_ASSIGN DIV_ASSIGN MOD_ASSIGN CAT_ASSIGN SHL_ASSIGN SHR_ASSIGN AND_ASSIGN OR_ASSIGN XOR_ASSIGN AGGREGATE
%right '?' ':'
%left OR
%left AND
%left '|'
%left '^'
%left '&'
%precedence IN
%left EQ NE '<' '>' LE GE MATCH NMATCH
%left SHL SHR
%left '.'
%left '+' '-'
%left '*' '/' '%'
%precedence UNARY '!' '~'
%precedence INC DEC
%precedence '(' '['
/* Tokens that begin an expression: after a statement that could end,
 * they continue it (a return value, a string joined, ...). */
%precedence NUMBER STRING IDENT TARGET EMBEDDED AT_CAST AT_VAR AT_ENTRY AT_DEFINED AT_PROBEWRITE AT_CONST AT_PERF AT_CHOOSE AT_STAT AT_HIST

%%

file
	: %empty
	| file toplevel
	;

toplevel
	: probe
	| function		{ vec_push(&ps.result->functions, $1); }
	| PRIVATE function	{ $2->private = 1;
				  vec_push(&ps.result->functions, $2); }
	| GLOBAL globals	{ add_globals($2, 0); }
	| PRIVATE GLOBAL globals { add_globals($3, 1); }
	| PRIVATE globals	{ add_globals($2, 1); }
	| EMBEDDED		{ vec_push(&ps.result->embeds,
					   embedded_new($1, L(@1))); }
	| ';'
	| error			{ int kept = lookahead_held(yychar);

				  yyclearin; recover_toplevel(kept); }
	;

/* ---- globals ---- */

globals
	: global_var		{ $$ = pb_list1($1); }
	| globals ',' global_var { $$ = $1; vec_push($$, $3); }
	;

global_var
	: IDENT			{ $$ = symbol_new($1, SCOPE_GLOBAL, L(@1)); }
	| global_var '%'	{ $$ = $1; $$->wrap = $$->array = 1; }
	| global_var '[' NUMBER ']'
				{ $$ = $1; $$->array = 1; $$->size = $3;
				  if ($3 <= 0)
					diag_error(DG_ARRAY_SIZE,
						   L(@3), "the size of an array "
						   "must be positive"); }
	| global_var '=' literal { $$ = $1; $$->init = $3; }
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
	| string_lit STRING	{ $$ = $1; $$->str = ast_concat($1->str, $2); }
	;

/* ---- probes and aliases ---- */

probe
	: PROBE pp_list block	{ struct probe *p = probe_new(L(@1));

				  pb_take_list(&p->points, $2);
				  p->body = $3;
				  vec_push(&ps.result->probes, p); }
	| PROBE pp_spec '=' pp_list block
				{ vec_push(&ps.result->aliases,
					   pb_alias($2, $4, 0, $5, @1, @2)); }
	| PROBE pp_spec '=' pp_list block ',' block
				{ struct probe_alias *a =
					pb_alias($2, $4, 0, $5, @1, @2);

				  a->epilogue_body = $7;
				  vec_push(&ps.result->aliases, a); }
	| PROBE pp_spec ADD_ASSIGN pp_list block
				{ vec_push(&ps.result->aliases,
					   pb_alias($2, $4, 1, $5, @1, @2)); }
	;

pp_list
	: pp_spec
	| pp_list ',' pp_spec	{ $$ = $1; pb_append($$, $3); }
	;

pp_spec
	: pp_seq marks opt_cond	{ $$ = pb_points($1, $2, $3, @3); }
	;

marks
	: %empty		{ $$ = 0; }
	| marks '?'		{ $$ = $1 | MARK_OPTIONAL; }
	| marks '!'		{ $$ = $1 | MARK_SUFFICIENT; }
	;

opt_cond
	: %empty		{ $$ = NULL; }
	| IF '(' expr ')'	{ $$ = $3; }
	;

pp_seq
	: pp_elem
	| pp_seq '.' pp_elem	{ $$ = pb_alts_product($1, $3, @3); }
	;

pp_elem
	: pp_comp		{ $$ = pb_alts1($1); }
	| '{' pp_group '}'	{ $$ = $2; }
	;

pp_group
	: pp_seq marks		{ $$ = pb_alts_mark($1, $2); }
	| pp_group ',' pp_seq marks
				{ $$ = pb_alts_union($1, pb_alts_mark($3, $4), @3); }
	;

pp_comp
	: comp_name		{ $$ = comp_new($1, L(@1)); }
	| comp_name '(' literal ')'
				{ $$ = comp_new($1, L(@1)); $$->arg = $3; }
	;

comp_name
	: comp_first
	| comp_name IDENT	{ $$ = pb_glue($1, $2, @2); }
	| comp_name '*'		{ $$ = pb_glue($1, "*", @2); }
	| comp_name NUMBER	{ char n[24];

				  snprintf(n, sizeof(n), "%lld", (long long)$2);
				  $$ = pb_glue($1, n, @2); }
	;

/* Components may be spelled like keywords: kernel.function("f").return */
comp_first
	: IDENT
	| '*'			{ $$ = ast_strdup("*"); }
	| comp_keyword
	;

comp_keyword
	: PROBE			{ $$ = ast_strdup("probe"); }
	| GLOBAL		{ $$ = ast_strdup("global"); }
	| FUNCTION		{ $$ = ast_strdup("function"); }
	| PRIVATE		{ $$ = ast_strdup("private"); }
	| IF			{ $$ = ast_strdup("if"); }
	| ELSE			{ $$ = ast_strdup("else"); }
	| WHILE			{ $$ = ast_strdup("while"); }
	| FOR			{ $$ = ast_strdup("for"); }
	| FOREACH		{ $$ = ast_strdup("foreach"); }
	| IN			{ $$ = ast_strdup("in"); }
	| RETURN		{ $$ = ast_strdup("return"); }
	| NEXT			{ $$ = ast_strdup("next"); }
	| BREAK			{ $$ = ast_strdup("break"); }
	| CONTINUE		{ $$ = ast_strdup("continue"); }
	| DELETE		{ $$ = ast_strdup("delete"); }
	| TRY			{ $$ = ast_strdup("try"); }
	| CATCH			{ $$ = ast_strdup("catch"); }
	;

/* ---- functions ---- */

function
	: fn_head block		{ $$ = $1; $$->body = $2; }
	| fn_head EMBEDDED	{ $$ = $1; $$->embedded = $2;
				  embedded_pragmas($2, &$$->pragmas); }
	;

fn_head
	: fn_sig
	| fn_sig ':' NUMBER	{ $$ = $1; $$->has_priority = 1; $$->priority = $3; }
	| fn_sig ':' '-' NUMBER	{ $$ = $1; $$->has_priority = 1;
				  $$->priority = (int64_t)(0 - (uint64_t)$4); }
	;

fn_sig
	: FUNCTION IDENT opt_type '(' params ')'
				{ $$ = function_new($2, L(@2));
				  $$->ret = $3; $$->ret_loc = L(@3);
				  pb_take_list(&$$->params, $5);
				  $$->src = @2.src;
				  for (int i = 0; i < $$->params.n; i++)
					((struct symbol *)$$->params.v[i])->index = i; }
	;

opt_type
	: %empty		{ $$ = TY_UNKNOWN; }
	| ':' IDENT		{ $$ = pb_type($2, @2); }
	;

params
	: %empty		{ $$ = pb_list1(NULL); }
	| param_list
	;

param_list
	: param			{ $$ = pb_list1($1); }
	| param_list ',' param	{ $$ = $1; vec_push($$, $3); }
	;

param
	: IDENT opt_type	{ $$ = symbol_new($1, SCOPE_PARAM, L(@1));
				  $$->type = $2; $$->type_loc = L(@2); }
	;

/* ---- statements ---- */

block
	: '{' stmts '}'		{ $$ = $2; $$->loc = L(@1); }
	;

stmts
	: %empty		{ $$ = stmt_new(ST_BLOCK, (struct loc){0}); }
	| stmts stmt		{ $$ = $1; vec_push(&$$->body, $2); }
	;

opt_semi
	: %empty %prec NOSEMI
	| ';'
	;

stmt
	: block
	| ';'			{ $$ = stmt_new(ST_EMPTY, L(@1)); }
	| expr opt_semi		{ $$ = pb_simple(ST_EXPR, $1, @1); }
	| IF '(' expr ')' stmt	%prec THEN
				{ $$ = pb_simple(ST_IF, $3, @1); $$->then = $5; }
	| IF '(' expr ')' stmt ELSE stmt
				{ $$ = pb_simple(ST_IF, $3, @1); $$->then = $5;
				  $$->els = $7; }
	| WHILE '(' expr ')' stmt
				{ $$ = pb_simple(ST_WHILE, $3, @1); $$->then = $5; }
	| FOR '(' opt_expr ';' opt_expr ';' opt_expr ')' stmt
				{ $$ = pb_simple(ST_FOR, $5, @1); $$->init = $3;
				  $$->step = $7; $$->then = $9; }
	| FOREACH '(' fe_vars IN fe_array fe_mark fe_limit ')' stmt
				{ $$ = pb_foreach($3, $5, $6, NULL, $7, @1, @6);
				  $$->then = $9; }
	| FOREACH '(' fe_vars IN fe_array AT_STAT fe_mark fe_limit ')' stmt
				{ if (!$7)
					diag_error(DG_FOREACH_SORT,
						   L(@6), "expected '+' or '-' after "
						   "'@%s'", $6);
				  $$ = pb_foreach($3, $5, $7, $6, $8, @1, @6);
				  $$->then = $10; }
	| RETURN opt_semi	{ $$ = pb_simple(ST_RETURN, NULL, @1); }
	| RETURN expr opt_semi	{ $$ = pb_simple(ST_RETURN, $2, @1); }
	| NEXT opt_semi		{ $$ = pb_simple(ST_NEXT, NULL, @1); }
	| BREAK opt_semi	{ $$ = pb_simple(ST_BREAK, NULL, @1); }
	| CONTINUE opt_semi	{ $$ = pb_simple(ST_CONTINUE, NULL, @1); }
	| DELETE expr opt_semi	{ $$ = pb_simple(ST_DELETE, $2, @1); }
	| TRY block CATCH opt_catch block
				{ $$ = pb_simple(ST_TRY, $4 ? pb_var($4, @4) : NULL, @1);
				  $$->then = $2; $$->els = $5; }
	| error			{ int kept = lookahead_held(yychar);

				  $$ = stmt_new(ST_EMPTY, L(@1));
				  yyclearin; recover_statement(kept); }
	;

opt_catch
	: %empty		{ $$ = NULL; }
	| '(' IDENT ')'		{ $$ = $2; }
	;

opt_expr
	: %empty		{ $$ = NULL; }
	| expr
	;

/* foreach (v = [a, b-] in x limit 10): one sort mark at most. */
fe_vars
	: fe_key		{ $$ = pb_fe_new(); vec_push(&$$->keys, $1);
				  pb_fe_sort($$, 1, $1->op, @1); $1->op = 0; }
	| '[' fe_keys ']'	{ $$ = $2; }
	| IDENT fe_mark '=' fe_key
				{ $$ = pb_fe_new(); $$->value = pb_var($1, @1);
				  pb_fe_sort($$, 0, $2, @2);
				  vec_push(&$$->keys, $4);
				  pb_fe_sort($$, 1, $4->op, @4); $4->op = 0; }
	| IDENT fe_mark '=' '[' fe_keys ']'
				{ $$ = $5; $$->value = pb_var($1, @1);
				  pb_fe_sort($$, 0, $2, @2); }
	;

fe_keys
	: fe_key		{ $$ = pb_fe_new(); vec_push(&$$->keys, $1);
				  pb_fe_sort($$, 1, $1->op, @1); $1->op = 0; }
	| fe_keys ',' fe_key	{ $$ = $1; vec_push(&$$->keys, $3);
				  pb_fe_sort($$, $$->keys.n, $3->op, @3); $3->op = 0; }
	;

/* The key's sort mark rides in op until the header takes it. */
fe_key
	: IDENT fe_mark		{ $$ = pb_var($1, @1); $$->op = $2; }
	;

fe_mark
	: %empty		{ $$ = 0; }
	| '+'			{ $$ = 1; }
	| '-'			{ $$ = -1; }
	;

fe_array
	: IDENT			{ $$ = pb_var($1, @1); }
	| IDENT '[' index_list ']'
				{ $$ = expr_new(EX_INDEX, L(@2)); $$->a = pb_var($1, @1);
				  pb_take_list(&$$->args, $3); }
	| hist
	;

fe_limit
	: %empty		{ $$ = NULL; }
	| IDENT expr		{ $$ = $2;
				  if (strcmp($1, "limit"))
					diag_error(DG_FOREACH_LIMIT,
						   L(@1), "expected 'limit' or ')', "
						   "found identifier '%s'", $1);
				}
	;

/* ---- expressions ---- */

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
	| AGGREGATE		{ $$ = OP_AGGREGATE; }
	;

expr
	: operand		%prec NOSEMI
	| expr assign_op expr	%prec '='	{ $$ = pb_assign($2, $1, $3, @2); }
	| expr '?' expr ':' expr { $$ = expr_new(EX_TERNARY, L(@2));
				  $$->a = $1; $$->b = $3; $$->c = $5; }
	| expr OR expr		{ $$ = pb_binary(OP_OR, $1, $3, @2); }
	| expr AND expr		{ $$ = pb_binary(OP_AND, $1, $3, @2); }
	| expr '|' expr		{ $$ = pb_binary('|', $1, $3, @2); }
	| expr '^' expr		{ $$ = pb_binary('^', $1, $3, @2); }
	| expr '&' expr		{ $$ = pb_binary('&', $1, $3, @2); }
	| expr IN array_ref	{ $$ = expr_new(EX_IN, L(@2)); $$->a = $3;
				  vec_push(&$$->args, $1); }
	| '[' index_list ']' IN array_ref
				{ $$ = expr_new(EX_IN, L(@4)); $$->a = $5;
				  pb_take_list(&$$->args, $2); }
	| expr EQ expr		{ $$ = pb_binary(OP_EQ, $1, $3, @2); }
	| expr NE expr		{ $$ = pb_binary(OP_NE, $1, $3, @2); }
	| expr '<' expr		{ $$ = pb_binary('<', $1, $3, @2); }
	| expr '>' expr		{ $$ = pb_binary('>', $1, $3, @2); }
	| expr LE expr		{ $$ = pb_binary(OP_LE, $1, $3, @2); }
	| expr GE expr		{ $$ = pb_binary(OP_GE, $1, $3, @2); }
	| expr MATCH string_lit	{ $$ = pb_binary(OP_MATCH, $1, $3, @2);
				  $$->kind = EX_REGEX; }
	| expr NMATCH string_lit { $$ = pb_binary(OP_NMATCH, $1, $3, @2);
				  $$->kind = EX_REGEX; }
	| expr SHL expr		{ $$ = pb_binary(OP_SHL, $1, $3, @2); }
	| expr SHR expr		{ $$ = pb_binary(OP_SHR, $1, $3, @2); }
	| expr '.' expr		{ $$ = pb_binary('.', $1, $3, @2); }
	| expr '+' expr		{ $$ = pb_binary('+', $1, $3, @2); }
	| expr '-' expr		{ $$ = pb_binary('-', $1, $3, @2); }
	| expr '*' expr		{ $$ = pb_binary('*', $1, $3, @2); }
	| expr '/' expr		{ $$ = pb_binary('/', $1, $3, @2); }
	| expr '%' expr		{ $$ = pb_binary('%', $1, $3, @2); }
	| '-' expr %prec UNARY	{ $$ = pb_negate($2, @1); }
	| '+' expr %prec UNARY	{ $$ = pb_unary(EX_UNARY, '+', $2, @1); }
	| '!' expr		{ $$ = pb_unary(EX_UNARY, '!', $2, @1); }
	| '~' expr		{ $$ = pb_unary(EX_UNARY, '~', $2, @1); }
	| INC operand		{ $$ = pb_unary(EX_PREINC, OP_INC, $2, @1); }
	| DEC operand		{ $$ = pb_unary(EX_PREINC, OP_DEC, $2, @1); }
	| operand INC		{ $$ = pb_unary(EX_POSTINC, OP_INC, $1, @2); }
	| operand DEC		{ $$ = pb_unary(EX_POSTINC, OP_DEC, $1, @2); }
	| '&' operand %prec UNARY { $$ = pb_address_of($2, @1); }
	;

/* What ++ and -- apply to, and the operands of the operators above:
 * values, and what may follow them.  After a target value (or any value,
 * which then keeps its C type: "autocast") come ->field, [index] and a
 * final $ or $$; after an array, [keys]. */
operand
	: NUMBER		{ $$ = expr_new(EX_NUM, L(@1)); $$->num = $1; }
	| string_lit		%prec NOSEMI
	| IDENT			%prec NOSEMI	{ $$ = pb_var($1, @1); }
	| IDENT '(' args ')'	{ $$ = expr_new(EX_CALL, L(@1)); $$->str = $1;
				  pb_take_list(&$$->args, $3); }
	| '(' expr ')'		{ $$ = $2; }
	| TARGET		%prec NOSEMI	{ $$ = pb_target($1, @1); }
	| AT_CAST '(' expr ',' string_lit opt_module ')'
				{ $$ = pb_with_arg(EX_CAST, $5->str, $3, @1);
				  $5->str = NULL; $$->module = $6; }
	| AT_VAR '(' string_lit opt_module ')'
				{ $$ = pb_with_arg(EX_ATVAR, $3->str, NULL, @1);
				  $3->str = NULL; $$->module = $4; }
	| hist			%prec NOSEMI
	| AT_STAT '(' expr ')'	{ $$ = pb_with_arg(EX_STAT, $1, $3, @1); }
	| AT_STAT '(' expr ',' arg_list ')'
				{ $$ = pb_with_arg(EX_STAT, $1, $3, @1);
				  pb_take_list(&$$->args, $5); }
	| AT_DEFINED '(' expr ')' { $$ = pb_with_arg(EX_DEFINED, NULL, $3, @1); }
	| AT_ENTRY '(' expr ')'	{ $$ = pb_with_arg(EX_ENTRY, NULL, $3, @1); }
	| AT_PROBEWRITE '(' expr ')'
				{ $$ = pb_with_arg(EX_PROBEWRITE, NULL, $3, @1); }
	| AT_CONST '(' string_lit opt_module ')'
				{ $$ = pb_with_arg(EX_CONST, $3->str, NULL, @1);
				  $3->str = NULL; $$->module = $4; }
	| AT_PERF '(' string_lit ')'
				{ $$ = pb_with_arg(EX_PERF, $3->str, NULL, @1);
				  $3->str = NULL; }
	| AT_CHOOSE '(' expr ',' expr ')'
				{ /* @defined(a) ? a : b, as SystemTap's
				   * library macro of that name */
				  struct expr *d = pb_with_arg(EX_DEFINED, NULL, $3, @1);

				  $$ = expr_new(EX_TERNARY, L(@1));
				  $$->a = d; $$->b = pb_copy($3, @3); $$->c = $5; }
	| EMBEDDED		{ $$ = expr_new(EX_EMBEDDED, L(@1)); $$->str = $1;
				  embedded_pragmas($1, &$$->pragmas); }
	| operand ARROW field	{ $$ = pb_field_of($1, $3, @2, @3); }
	| operand ARROW TARGET	{ $$ = pb_field_of($1, $3, @2, @3); }
	| operand '[' index_list ']'
				{ $$ = pb_index_of($1, $3, @2); }
	| operand PRETTY	{ $$ = $1;
				  if (!pb_is_chain($$) || @2.space || $$->pretty)
					diag_error(DG_TARGET_SUFFIX,
						   L(@2), "'$' and '$$' go right "
						   "after a target value");
				  else
					$$->pretty = (int)$2; }
	;

/* A field may be named like a keyword: $task->next. */
field
	: IDENT
	| comp_keyword
	;

index_list
	: index_item		{ $$ = pb_list1($1); }
	| index_list ',' index_item { $$ = $1; vec_push($$, $3); }
	;

index_item
	: expr
	| '*'			{ $$ = expr_new(EX_WILDCARD, L(@1)); }
	;

array_ref
	: IDENT			{ $$ = pb_var($1, @1); }
	| hist
	;

hist
	: AT_HIST '(' expr ')'	{ $$ = pb_with_arg(EX_HIST, $1, $3, @1);
				  if (!strcmp($1, "hist_linear"))
					diag_error(DG_HIST_ARGUMENTS,
						   L(@4), "@hist_linear takes the "
						   "statistic, low, high and "
						   "width"); }
	| AT_HIST '(' expr ',' arg_list ')'
				{ $$ = pb_with_arg(EX_HIST, $1, $3, @1);
				  pb_take_list(&$$->args, $5);
				  if (!strcmp($1, "hist_log") || $$->args.n != 3)
					diag_error(DG_HIST_ARGUMENTS,
						   L(@6), "%s",
						   !strcmp($1, "hist_log") ?
						   "@hist_log takes only the statistic" :
						   "@hist_linear takes the statistic, "
						   "low, high and width"); }
	;

opt_module
	: %empty		{ $$ = NULL; }
	| ',' string_lit	{ $$ = $2->str; $2->str = NULL; }
	;

args
	: %empty		{ $$ = pb_list1(NULL); }
	| arg_list
	;

arg_list
	: expr			{ $$ = pb_list1($1); }
	| arg_list ',' expr	{ $$ = $1; vec_push($$, $3); }
	;

%%

/* ---- the token stream ---- */

/* Token i of the stream, reading ahead as needed; depth[i] is how many
 * '{' are open before it. */
static struct token *fetch(int i)
{
	while (ps.buf.n <= i) {
		struct token t;
		int d = 0;

		if (ps.buf.n && ps.buf.v[ps.buf.n - 1].type == YYEOF)
			t = ps.buf.v[ps.buf.n - 1];
		else
			prep_next(ps.prep, &t);
		if (ps.buf.n) {
			const struct token *p = &ps.buf.v[ps.buf.n - 1];

			d = ps.depth[ps.buf.n - 1];
			d += (p->type == '{') - (p->type == '}' && d > 0);
		}
		if (ps.buf.n == ps.depth_cap) {
			ps.depth_cap = ps.depth_cap ? 2 * ps.depth_cap : 256;
			ps.depth = xrealloc(ps.depth, (size_t)ps.depth_cap *
					    sizeof(*ps.depth));
		}
		ps.depth[ps.buf.n] = d;
		tokens_push(&ps.buf, &t);
	}
	return &ps.buf.v[i];
}

static int at_kind(const char *name)
{
	static const struct { const char *name; int kind; } ops[] = {
		{ "cast", AT_CAST }, { "var", AT_VAR }, { "entry", AT_ENTRY },
		{ "defined", AT_DEFINED }, { "probewrite", AT_PROBEWRITE },
		{ "const", AT_CONST }, { "perf", AT_PERF },
		{ "choose_defined", AT_CHOOSE },
		{ "hist_linear", AT_HIST }, { "hist_log", AT_HIST },
	};

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(name, ops[i].name))
			return ops[i].kind;
	return AT_STAT;		/* count sum min max avg variance */
}

static void set_loc(const struct token *t)
{
	yylloc.src = t->loc.src;
	yylloc.first_line = yylloc.last_line = t->loc.line;
	yylloc.first_column = yylloc.last_column = t->loc.col;
	yylloc.space = t->space;
}

int yylex(void)
{
	struct token *t = fetch(ps.pos);

	set_loc(t);
	if (ps.gave_up)
		return YYEOF;
	if (ps.inject > 0) {
		ps.inject--;
		yylloc.space = 1;
		return '}';
	}
	ps.last = ps.pos;
	if (t->type != YYEOF)
		ps.pos++;
	switch (t->type) {
	case NUMBER:
	case PRETTY:
		yylval.num = t->num;
		break;
	case STRING:
	case IDENT:
	case TARGET:
	case EMBEDDED:
		yylval.str = ast_strdup(t->str);
		break;
	case AT: {
		int k = at_kind(t->str);

		if (k == AT_STAT || k == AT_HIST)
			yylval.str = ast_strdup(t->str);
		return k;
	}
	default:
		break;
	}
	return t->type;
}

/* ---- error recovery ---- */

static int is_toplevel_keyword(int type)
{
	return type == PROBE || type == FUNCTION || type == GLOBAL ||
	       type == PRIVATE;
}

/* The first token not yet taken: the lookahead if the parser kept it. */
static int resume_from(int lookahead_kept)
{
	return lookahead_kept ? ps.last : ps.last + 1;
}

/* After an error inside a block: resume at the end of the statement (a
 * ';', the block's own '}', or the first token of a later line at the
 * same brace depth).  A top-level keyword there means the block was
 * never closed: the parser gets the '}'s it misses first. */
static void recover_statement(int lookahead_kept)
{
	int k = resume_from(lookahead_kept), i;
	int d;

	fetch(k);
	d = ps.depth[k];
	for (i = k;; i++) {
		struct token *t = fetch(i);
		int di = ps.depth[i];

		if (t->type == YYEOF || di < d)
			break;
		if (di > d)
			continue;
		if (t->type == '}')
			break;
		if (t->type == ';') {
			i++;
			break;
		}
		if (is_toplevel_keyword(t->type) && d > 0) {
			ps.inject = d;
			break;
		}
		if (t->bol)
			break;
	}
	ps.pos = i;
}

/* After an error outside any block: resume at the next probe, function,
 * global or embedded C at the outermost level. */
static void recover_toplevel(int lookahead_kept)
{
	int i;

	for (i = resume_from(lookahead_kept);; i++) {
		struct token *t = fetch(i);

		if (t->type == YYEOF)
			break;
		if (ps.depth[i] == 0 &&
		    (is_toplevel_keyword(t->type) || t->type == EMBEDDED))
			break;
	}
	ps.pos = i;
}

/* ---- messages ---- */

static const char *describe(yysymbol_kind_t sym, const struct token *t)
{
	static char buf[160];

	switch (sym) {
	case YYSYMBOL_YYEOF:
		return "end of input";
	case YYSYMBOL_IDENT:
		if (t && t->type == IDENT) {
			snprintf(buf, sizeof(buf), "identifier '%.100s'", t->str);
			return buf;
		}
		return "identifier";
	case YYSYMBOL_TARGET:
		if (t && t->type == TARGET) {
			snprintf(buf, sizeof(buf), "'%.100s'", t->str);
			return buf;
		}
		return "target variable";
	case YYSYMBOL_AT_STAT:
	case YYSYMBOL_AT_HIST:
		if (t && t->type == AT) {
			snprintf(buf, sizeof(buf), "'@%.100s'", t->str);
			return buf;
		}
		break;
	default:
		break;
	}
	return yysymbol_name(sym);
}

/* Tokens that would continue an expression: "expected '+'" is never
 * the helpful part of a message. */
static int continues_expression(yysymbol_kind_t s)
{
	static const int kinds[] = {
		'=', ADD_ASSIGN, SUB_ASSIGN, MUL_ASSIGN, DIV_ASSIGN, MOD_ASSIGN,
		CAT_ASSIGN, SHL_ASSIGN, SHR_ASSIGN, AND_ASSIGN, OR_ASSIGN,
		XOR_ASSIGN, AGGREGATE, '?', OR, AND, '|', '^', '&', IN, EQ, NE,
		'<', '>', LE, GE, MATCH, NMATCH, SHL, SHR, '.', '+', '-', '*',
		'/', '%', INC, DEC, '(', '[', ARROW, PRETTY, STRING,
	};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (s == YYTRANSLATE(kinds[i]))
			return 1;
	return 0;
}

static int has(const yysymbol_kind_t *set, int n, int kind)
{
	for (int i = 0; i < n; i++)
		if (set[i] == YYTRANSLATE(kind))
			return 1;
	return 0;
}

/* "expected X, found Y", where X sums up what the parser could take. */
static void expected_text(yysymbol_kind_t *e, int n, yysymbol_kind_t found,
			  struct strbuf *msg)
{
	yysymbol_kind_t r[YYNTOKENS];
	int m = 0;

	if ((found == YYSYMBOL_YYEOF || found == YYSYMBOL_PROBE ||
	     found == YYSYMBOL_FUNCTION || found == YYSYMBOL_GLOBAL ||
	     found == YYSYMBOL_PRIVATE) && has(e, n, '}')) {
		sb_puts(msg, "expected '}',");
		return;
	}
	if (has(e, n, '{') && has(e, n, '.') && has(e, n, ',')) {
		sb_puts(msg, "expected '{',");
		return;
	}
	if (has(e, n, '*') && has(e, n, IDENT) && has(e, n, '{') &&
	    has(e, n, PROBE)) {
		sb_puts(msg, "expected a probe point,");
		return;
	}
	if (has(e, n, NUMBER) && has(e, n, STRING) && !has(e, n, IDENT)) {
		sb_puts(msg, "expected a number or a string,");
		return;
	}
	for (int i = 0; i < n; i++)
		if (!continues_expression(e[i]))
			r[m++] = e[i];
	if (m == 0) {
		memcpy(r, e, (size_t)n * sizeof(*e));
		m = n;
	}
	if (has(r, m, ')')) {
		sb_puts(msg, "expected ')'");
	} else if (has(r, m, ']')) {
		sb_puts(msg, "expected ']'");
	} else if (has(r, m, NUMBER) && has(r, m, IDENT)) {
		if (has(r, m, IF))
			sb_puts(msg, has(r, m, '}') ? "expected a statement or '}'"
						    : "expected a statement");
		else
			sb_puts(msg, "expected an expression");
	} else if (has(r, m, PROBE) && has(r, m, FUNCTION)) {
		sb_puts(msg, "expected 'probe', 'function' or 'global'");
	} else if (m > 0 && m <= 4) {
		sb_puts(msg, "expected ");
		for (int i = 0; i < m; i++) {
			if (i)
				sb_puts(msg, i == m - 1 ? " or " : ", ");
			sb_puts(msg, describe(r[i], NULL));
		}
	} else {
		sb_puts(msg, "unexpected");
		return;
	}
	sb_puts(msg, ",");
}

static int yyreport_syntax_error(const yypcontext_t *ctx)
{
	yysymbol_kind_t found = yypcontext_token(ctx);
	yysymbol_kind_t expected[YYNTOKENS];
	int n = yypcontext_expected_tokens(ctx, expected, YYNTOKENS);
	const struct token *t = ps.last < ps.buf.n ? &ps.buf.v[ps.last] : NULL;
	struct strbuf msg;

	if (found == YYSYMBOL_LEX_ERROR)
		return 0;	/* already reported */
	if (++ps.errors > MAX_ERRORS) {
		diag_fatal(DG_TOO_MANY_ERRORS,
			   "too many errors in %s; giving up",
			   t && t->loc.src ? t->loc.src->name : "the script");
		ps.gave_up = 1;
		return 0;
	}
	sb_init(&msg);
	expected_text(expected, n < 0 ? 0 : n, found, &msg);
	sb_printf(&msg, " found %s", describe(found, t));
	diag_error(DG_SYNTAX, L(*yypcontext_location(ctx)), "%s", msg.s);
	sb_free(&msg);
	if (t && t->exp)
		diag_note(t->exp->at, "in this use of @%s", t->exp->name);
	return 0;
}

/* Bison's own messages: only "memory exhausted", when the nesting is
 * deeper than its stack. */
void yyerror(const char *msg)
{
	if (!strcmp(msg, "memory exhausted"))
		msg = "nested too deeply";
	diag_error(DG_NESTED_TOO_DEEP, L(yylloc), "%s", msg);
}

struct file_ast *parse_source(const struct source *src)
{
	int errors = diag_errors;
	struct file_ast *f;
	int rc;

	memset(&ps, 0, sizeof(ps));
	pb_copies_reset();
	ps.result = file_ast_new(src);
	ps.prep = prep_open(src);
	rc = yyparse();
	prep_close(ps.prep);
	free(ps.buf.v);		/* the tokens' strings were the preprocessor's */
	free(ps.depth);
	f = ps.result;
	memset(&ps, 0, sizeof(ps));
	if (!rc && diag_errors == errors)
		ast_check_depth(f);	/* before any pass recurses */
	/* On an error the partial tree stays in the arena, unused. */
	return rc || diag_errors != errors ? NULL : f;
}
