/* preprocess.c - between the lexer and the parser: @define macros,
 * script arguments and %( %? %: %) conditionals.
 *
 * The tokens of a file pass through here on their way to the parser.
 * Expansions (a macro's body, a pasted argument) are pushed on a stack
 * of token sources and read before the rest of the file, so what they
 * produce is looked at again: macros may use macros.  A conditional is
 * evaluated when its %( is reached, against the target kernel, and the
 * branch not taken is skipped without expanding anything in it.
 *
 * Macros defined in a file are local to it; library macros come from
 * the .stpm files of the tapset directories, read once per process the
 * first time a name is not found locally.
 */
#include <dirent.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "parse.h"
#include "parser.h"

#define MAX_NESTING	64		/* expansions inside expansions */
#define MAX_EXPANSION	1000000		/* tokens macros may produce */

struct macro {
	char *name;
	int parens;			/* defined with (), used with () */
	struct vec params;		/* of char * */
	struct tokens body;
	struct loc loc;
	int dir;			/* library: index of its tapset dir */
};

/* A source of tokens: the file, a macro's expansion, a pasted argument. */
struct frame {
	struct token *toks;
	int n, pos;
	struct tokens own;		/* the tokens, unless borrowed */
};

enum cond_state { COND_THEN, COND_ELSE };

struct cond {
	enum cond_state state;
	struct loc loc;
};

struct prep {
	const struct source *src;
	struct tokens file;
	struct vec stack;		/* of struct frame * */
	struct vec locals;		/* of struct macro * */
	struct vec *defs;		/* where @define puts macros */
	struct vec conds;		/* of struct cond * */
	struct vec strings;		/* made here, freed at the end */
	struct vec expansions;		/* of struct expansion * */
	long budget;
	int failed;			/* gave up: only YYEOF from now */
	int library;			/* reading a .stpm file */
};

static struct parse_config config;
static int configured;

/* Library macros, once per process. */
static struct vec library;		/* of struct macro * */
/* The macro files' sources: the macros point into them, and one whose
 * macros were all hidden by an earlier directory's must stay reachable
 * too (a file is read once per process). */
static struct vec library_sources;	/* of struct source * */
static int library_loaded;
static int library_dir;			/* the tapset dir being loaded */

/* ---- configuration ---- */

void parse_configure(const struct parse_config *cfg)
{
	config = *cfg;
	configured = 1;
}

const struct parse_config *parse_config(void)
{
	static struct utsname u;

	if (!configured) {
		uname(&u);
		config.release = u.release;
		configured = 1;
	}
	if (!config.arch)
		config.arch = "x86_64";
	return &config;
}

/* ---- token sources ---- */

static void push_frame(struct prep *prep, struct token *toks, int n,
		       struct tokens *own)
{
	struct frame *f = xcalloc(1, sizeof(*f));

	if (own) {
		f->own = *own;
		toks = own->v;
		n = own->n;
	}
	f->toks = toks;
	f->n = n;
	vec_push(&prep->stack, f);
}

static void pop_frame(struct prep *prep)
{
	struct frame *f = prep->stack.v[--prep->stack.n];

	free(f->own.v);		/* the strings are borrowed */
	free(f);
}

/* The next token as written, expanding nothing.  Only the file ends
 * with YYEOF, which stays there however often it is read. */
static void raw_next(struct prep *prep, struct token *t)
{
	for (;;) {
		struct frame *f = prep->stack.v[prep->stack.n - 1];

		if (f->pos < f->n) {
			*t = f->toks[f->pos];
			if (t->type != YYEOF)
				f->pos++;
			return;
		}
		if (prep->stack.n == 1) {
			*t = f->toks[f->n - 1];
			return;
		}
		pop_frame(prep);
	}
}

/* Puts back the token raw_next just gave. */
static void raw_unget(struct prep *prep, const struct token *t)
{
	struct frame *f = prep->stack.v[prep->stack.n - 1];

	if (t->type != YYEOF && f->pos > 0)
		f->pos--;
}

static char *keep(struct prep *prep, char *s)
{
	vec_push(&prep->strings, s);
	return s;
}

/* An error already reported: the parser sees LEX_ERROR with no message
 * and says nothing more about it. */
static void reported(struct token *t)
{
	t->type = LEX_ERROR;
	t->str = NULL;
}

/* After an error at a token a macro brought: where that macro was used. */
static void note_use(const struct token *t)
{
	if (t->exp)
		diag_note(t->exp->at, "in this use of @%s", t->exp->name);
}

/* ---- macros ---- */

static const char *const builtin_ops[] = {
	"cast", "var", "entry", "defined", "probewrite", "const", "perf",
	"count", "sum", "min", "max", "avg", "variance",
	"hist_linear", "hist_log", NULL
};

static int builtin_op(const char *name)
{
	for (int i = 0; builtin_ops[i]; i++)
		if (!strcmp(name, builtin_ops[i]))
			return 1;
	return 0;
}

static struct macro *find_macro(const struct vec *v, const char *name)
{
	for (int i = 0; i < v->n; i++) {
		struct macro *m = v->v[i];

		if (!strcmp(m->name, name))
			return m;
	}
	return NULL;
}

static void macro_free(struct macro *m)
{
	for (int i = 0; i < m->params.n; i++)
		free(m->params.v[i]);
	free(m->params.v);
	tokens_free(&m->body);
	free(m->name);
	free(m);
}

/* define -> '@define' IDENT [ '(' [ IDENT { ',' IDENT } ] ')' ]
 *           '%(' BODY '%)'
 * (after the @define; BODY: any tokens, its own %( %) balanced, kept
 * unexpanded until a use) */
static void define(struct prep *prep, const struct token *at)
{
	struct macro *m = xcalloc(1, sizeof(*m));
	struct token t;
	int depth = 1;

	m->loc = at->loc;
	m->dir = library_dir;
	raw_next(prep, &t);
	if (t.type != IDENT) {
		diag_error(DG_MACRO_DEFINITION,
			   t.loc, "expected a macro name after @define");
		raw_unget(prep, &t);
		macro_free(m);
		return;
	}
	m->name = xstrdup(t.str);
	raw_next(prep, &t);
	if (t.type == '(') {
		m->parens = 1;
		raw_next(prep, &t);
		while (t.type == IDENT) {
			vec_push(&m->params, xstrdup(t.str));
			raw_next(prep, &t);
			if (t.type != ',')
				break;
			raw_next(prep, &t);
		}
		if (t.type != ')') {
			diag_error(DG_MACRO_DEFINITION,
				   t.loc, "expected a parameter name or ')' "
				   "in the definition of @%s", m->name);
			macro_free(m);
			return;
		}
		raw_next(prep, &t);
	}
	if (t.type != PREP_OPEN) {
		diag_error(DG_MACRO_DEFINITION,
			   t.loc, "expected '%%(' to begin the body of @%s",
			   m->name);
		if (t.type == YYEOF)
			raw_unget(prep, &t);
		macro_free(m);
		return;
	}
	for (;;) {
		raw_next(prep, &t);
		if (t.type == YYEOF) {
			diag_error(DG_MACRO_DEFINITION,
				   m->loc, "the body of @%s has no closing "
				   "'%%)'", m->name);
			macro_free(m);
			return;
		}
		depth += (t.type == PREP_OPEN) - (t.type == PREP_CLOSE);
		if (!depth)
			break;
		if (t.str)
			t.str = xstrdup(t.str);
		tokens_push(&m->body, &t);
	}
	if (builtin_op(m->name)) {
		diag_error(DG_MACRO_BUILTIN,
			   m->loc, "@%s is a built-in operator and cannot be "
			   "redefined", m->name);
		macro_free(m);
		return;
	}
	{
		struct macro *old = find_macro(prep->defs, m->name);

		/* A library macro of an earlier tapset directory (-I comes
		 * first) hides one of a later directory, as functions do. */
		if (old && prep->library && old->dir != m->dir) {
			macro_free(m);
			return;
		}
		if (old) {
			diag_error(DG_MACRO_DUPLICATE,
				   m->loc, "macro @%s is already defined",
				   m->name);
			diag_note(old->loc, "the first definition is here");
			macro_free(m);
			return;
		}
	}
	vec_push(prep->defs, m);
}

static void load_library(void);

static const struct macro *lookup(struct prep *prep, const char *name)
{
	const struct macro *m = find_macro(&prep->locals, name);

	if (m || prep->library)
		return m ? m : find_macro(&library, name);
	load_library();
	return find_macro(&library, name);
}

/* args -> '(' [ ARG { ',' ARG } ] ')'     (after @name)
 * ARG: raw tokens, split at commas outside ( ) [ ] { } %( %).  Returns 0
 * after reporting an error. */
static int collect_args(struct prep *prep, const struct macro *m,
			const struct token *at, struct tokens *args)
{
	struct token t;
	int depth = 0, n = 0, commas = 0;

	raw_next(prep, &t);
	if (t.type != '(') {
		diag_error(DG_MACRO_ARGUMENTS,
			   at->loc, "macro @%s takes %d argument%s in "
			   "parentheses", m->name, m->params.n,
			   m->params.n == 1 ? "" : "s");
		raw_unget(prep, &t);
		return 0;
	}
	for (;;) {
		raw_next(prep, &t);
		if (t.type == YYEOF) {
			diag_error(DG_MACRO_ARGUMENTS,
				   at->loc, "missing ')' after the arguments "
				   "of @%s", m->name);
			return 0;
		}
		if (depth == 0 && t.type == ')')
			break;
		if (depth == 0 && t.type == ',') {
			commas++;
			continue;
		}
		if (t.type == '(' || t.type == '[' || t.type == '{' ||
		    t.type == PREP_OPEN)
			depth++;
		else if ((t.type == ')' || t.type == ']' || t.type == '}' ||
			  t.type == PREP_CLOSE) && depth > 0)
			depth--;
		if (commas < m->params.n)
			tokens_push(&args[commas], &t);
		n = 1;
	}
	n = n || commas ? commas + 1 : 0;
	if (n != m->params.n) {
		diag_error(DG_MACRO_ARGUMENTS,
			   at->loc, "macro @%s takes %d argument%s, %d given",
			   m->name, m->params.n, m->params.n == 1 ? "" : "s", n);
		return 0;
	}
	return 1;
}

static void expand(struct prep *prep, const struct macro *m,
		   const struct token *at)
{
	struct tokens out = {0};
	struct tokens *args;
	struct expansion *x;

	int depth = 0;

	/* Only what a macro's own body brings may not use it again. */
	for (const struct expansion *e = at->exp; e; e = e->parent, depth++)
		if (e->macro == m) {
			diag_error(DG_MACRO_RECURSIVE,
				   at->loc, "macro @%s uses itself", m->name);
			note_use(at);
			return;
		}
	if (depth > MAX_NESTING || prep->stack.n > MAX_NESTING) {
		diag_error(DG_MACRO_LIMIT,
			   at->loc, "macros nested too deeply at @%s", m->name);
		prep->failed = 1;
		return;
	}
	args = xcalloc((size_t)m->params.n + 1, sizeof(*args));
	if (m->parens && !collect_args(prep, m, at, args)) {
		for (int i = 0; i < m->params.n; i++)
			free(args[i].v);
		free(args);
		return;
	}
	x = xcalloc(1, sizeof(*x));
	x->at = at->loc;
	x->name = xstrdup(m->name);
	x->macro = m;
	x->parent = at->exp;
	vec_push(&prep->expansions, x);
	for (int i = 0; i < m->body.n; i++) {
		struct token t = m->body.v[i];
		int p = -1;

		if (t.type == AT)
			for (int k = 0; k < m->params.n; k++)
				if (!strcmp(t.str, m->params.v[k]))
					p = k;
		if (p >= 0) {
			for (int k = 0; k < args[p].n; k++)
				tokens_push(&out, &args[p].v[k]);
		} else {
			t.exp = x;
			tokens_push(&out, &t);
		}
	}
	for (int i = 0; i < m->params.n; i++)
		free(args[i].v);
	free(args);
	if (out.n)
		out.v[0].space = at->space;
	prep->budget -= out.n;
	if (prep->budget < 0) {
		diag_error(DG_MACRO_LIMIT,
			   at->loc, "macro expansion too large at @%s",
			   m->name);
		prep->failed = 1;
		free(out.v);
		return;
	}
	push_frame(prep, NULL, 0, &out);
}

/* ---- script arguments ---- */

static int arg_ok(const struct token *t)
{
	const struct parse_config *c = parse_config();

	if (t->num >= 1 && t->num <= c->argc)
		return 1;
	if (c->argc == 0)
		diag_error(DG_SCRIPT_ARGUMENT_MISSING,
			   t->loc, "there is no script argument %c%lld: the "
			   "script was given none",
			   t->type == ARG_AT ? '@' : '$', (long long)t->num);
	else
		diag_error(DG_SCRIPT_ARGUMENT_MISSING,
			   t->loc, "there is no script argument %c%lld: the "
			   "script was given %d",
			   t->type == ARG_AT ? '@' : '$', (long long)t->num,
			   c->argc);
	return 0;
}

/* argument -> '$' N | '@' N | '$#' | '@#'
 * $N pastes the argument's tokens; @N is it as a string; $# @# count. */
static int argument(struct prep *prep, struct token *t)
{
	const struct parse_config *c = parse_config();

	if (t->type == ARG_COUNT) {
		t->type = NUMBER;
		t->num = c->argc;
		return 1;
	}
	if (!arg_ok(t)) {
		reported(t);
		return 1;
	}
	if (t->type == ARG_AT) {
		/* As if written between quotes: escapes mean what they
		 * would in a literal. */
		const char *a = c->argv[t->num - 1];

		t->type = STRING;
		t->str = lex_unescape(a, strlen(a));
		if (!t->str) {
			diag_error(DG_SCRIPT_ARGUMENT_NUL,
				   t->loc, "script argument @%lld makes a NUL "
				   "character", (long long)t->num);
			reported(t);
			return 1;
		}
		keep(prep, t->str);
		return 1;
	}
	{
		struct tokens toks = {0};
		struct loc at = t->loc;

		lex_text(t->loc.src, c->argv[t->num - 1], &at, &toks);
		toks.n--;			/* the YYEOF */
		for (int i = 0; i < toks.n; i++)
			if (toks.v[i].str)
				keep(prep, toks.v[i].str);
		free(toks.v[toks.n].str);
		if (toks.n)
			toks.v[0].space = t->space;
		push_frame(prep, NULL, 0, &toks);
	}
	return 0;
}

/* ---- conditions ----
 *
 * conditional -> '%(' cond_or '%?' TOKENS [ '%:' TOKENS ] '%)'
 *
 * The condition is read (macros and arguments expanded) up to its %?,
 * then parsed by recursive descent, one function per rule, each headed
 * by its rule ({ } repeats, [ ] is optional, | is an alternative):
 *
 *   cond_or      -> cond_and { '||' cond_and }
 *   cond_and     -> cond_compare { '&&' cond_compare }
 *   cond_compare -> cond_operand [ cond_op cond_operand ]
 *   cond_op      -> '==' | '!=' | '<' | '<=' | '>' | '>='
 *   cond_operand -> NUMBER | '-' NUMBER | STRING | kernel_v | kernel_vr
 *                 | arch | runtime | systemtap_v | systemtap_privilege
 *                 | guru_mode | CONFIG_NAME
 */

/* Kernel configuration: sorted "CONFIG_X=value" lines. */
static struct {
	char *release;
	char **lines;
	int n;
	int missing;
	int warned;
} kconfig;

static int cmp_lines(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void load_kconfig(const char *release)
{
	char *paths[2], *text = NULL, *save, *ln;
	struct vec v = {0};

	if (kconfig.release && !strcmp(kconfig.release, release))
		return;
	free(kconfig.release);
	for (int i = 0; i < kconfig.n; i++)
		free(kconfig.lines[i]);
	free(kconfig.lines);
	memset(&kconfig, 0, sizeof(kconfig));
	kconfig.release = xstrdup(release);
	paths[0] = xasprintf("/lib/modules/%s/build/.config", release);
	paths[1] = xasprintf("/boot/config-%s", release);
	for (int i = 0; i < 2 && !text; i++)
		if (read_file(paths[i], &text, NULL) < 0)
			text = NULL;
	free(paths[0]);
	free(paths[1]);
	if (!text) {
		kconfig.missing = 1;
		return;
	}
	for (ln = strtok_r(text, "\n", &save); ln; ln = strtok_r(NULL, "\n", &save))
		if (!strncmp(ln, "CONFIG_", 7) && strchr(ln, '='))
			vec_push(&v, xstrdup(ln));
	free(text);
	qsort(v.v, (size_t)v.n, sizeof(*v.v), cmp_lines);
	kconfig.lines = (char **)v.v;
	kconfig.n = v.n;
}

/* The value of CONFIG_X ("y", "m", a number, a string), "" if unset. */
static const char *kconfig_value(const char *name, struct loc loc)
{
	size_t len = strlen(name);
	int lo = 0, hi;

	load_kconfig(parse_config()->release);
	if (kconfig.missing) {
		if (!kconfig.warned)
			diag_warning(DG_NO_KERNEL_CONFIG,
				     loc, "no kernel configuration for %s; "
				     "CONFIG_ options are taken as unset",
				     parse_config()->release);
		kconfig.warned = 1;
		return "";
	}
	hi = kconfig.n - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		const char *l = kconfig.lines[mid];
		int c = strncmp(l, name, len);

		if (c == 0 && l[len] == '=') {
			static char buf[256];
			const char *v = l + len + 1;
			size_t n = strlen(v);

			if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
				v++;
				n -= 2;
			}
			snprintf(buf, sizeof(buf), "%.*s", (int)n, v);
			return buf;
		}
		if (c == 0)
			c = l[len] < '=' ? -1 : 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return "";
}

enum val_kind { V_NUM, V_STR, V_VERSION };

struct val {
	enum val_kind kind;
	int64_t num;
	char *str;
	int numeric;			/* V_STR that reads as a number */
	struct loc loc;
};

struct cond_parser {
	struct token *t;
	int n, pos;
	int error;
};

static struct token *cp_peek(struct cond_parser *cp)
{
	return &cp->t[cp->pos < cp->n ? cp->pos : cp->n - 1];
}

static void set_str(struct val *v, const char *s)
{
	char *end;

	v->kind = V_STR;
	v->str = xstrdup(s);
	if (*s) {
		v->num = strtoll(s, &end, 0);
		v->numeric = !*end;
	}
}

/* cond_operand -> NUMBER | '-' NUMBER | STRING | kernel_v | kernel_vr
 *               | arch | runtime | systemtap_v | systemtap_privilege
 *               | guru_mode | CONFIG_NAME
 * Its value in *v: kernel_v[r] and systemtap_v are versions, a
 * CONFIG_ option is its value in the kernel's configuration ("" unset). */
static int cond_operand(struct cond_parser *cp, struct val *v)
{
	struct token *t = cp_peek(cp);
	const struct parse_config *c = parse_config();

	memset(v, 0, sizeof(*v));
	v->loc = t->loc;
	cp->pos++;
	switch (t->type) {
	case NUMBER:
		v->kind = V_NUM;
		v->num = t->num;
		return 1;
	case '-':
		if (cp_peek(cp)->type == NUMBER) {
			v->kind = V_NUM;
			v->num = -cp_peek(cp)->num;
			cp->pos++;
			return 1;
		}
		break;
	case STRING:
		v->kind = V_STR;
		v->str = xstrdup(t->str);
		return 1;
	case IDENT:
		if (!strcmp(t->str, "kernel_v") || !strcmp(t->str, "kernel_vr")) {
			v->kind = V_VERSION;
			v->str = xstrdup(c->release);
			if (t->str[8] != 'r')
				v->str[strcspn(v->str, "-")] = '\0';
			return 1;
		}
		if (!strcmp(t->str, "systemtap_v")) {
			v->kind = V_VERSION;
			v->str = xstrdup("5.0");
			return 1;
		}
		if (!strcmp(t->str, "arch")) {
			set_str(v, c->arch);
			return 1;
		}
		if (!strcmp(t->str, "runtime")) {
			set_str(v, "kernel");
			return 1;
		}
		if (!strcmp(t->str, "systemtap_privilege")) {
			set_str(v, "stapdev");
			return 1;
		}
		if (!strcmp(t->str, "guru_mode")) {
			v->kind = V_NUM;
			v->num = c->guru;
			return 1;
		}
		if (!strncmp(t->str, "CONFIG_", 7)) {
			set_str(v, kconfig_value(t->str, t->loc));
			return 1;
		}
		break;
	default:
		break;
	}
	if (!cp->error)
		diag_error(DG_CONDITION_SYNTAX,
			   t->loc, "expected kernel_v, kernel_vr, arch, runtime, "
			   "systemtap_v, systemtap_privilege, guru_mode, "
			   "CONFIG_..., a number or a string in the condition");
	cp->error = 1;
	return 0;
}

/* cond_op -> '==' | '!=' | '<' | '<=' | '>' | '>='
 * The operator's token type, or 0 (nothing consumed). */
static int cond_op(struct cond_parser *cp)
{
	int op = cp_peek(cp)->type;

	if (op == EQ || op == NE || op == '<' || op == '>' || op == LE ||
	    op == GE) {
		cp->pos++;
		return op;
	}
	return 0;
}

static int compare_result(int op, int c)
{
	switch (op) {
	case EQ: return c == 0;
	case NE: return c != 0;
	case '<': return c < 0;
	case '>': return c > 0;
	case LE: return c <= 0;
	default: return c >= 0;
	}
}

static int has_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

static int compare(struct cond_parser *cp, int op, struct val *a,
		   struct val *b, struct loc oploc)
{
	int64_t x, y;

	if (a->kind == V_VERSION || b->kind == V_VERSION) {
		struct val *s = a->kind == V_VERSION ? b : a;
		struct val *v = a->kind == V_VERSION ? a : b;

		if (s->kind == V_NUM) {
			diag_error(DG_CONDITION_COMPARE,
				   s->loc, "a version is compared with a "
				   "string such as \"5.10\"");
			cp->error = 1;
			return 0;
		}
		if ((op == EQ || op == NE) && has_glob(s->str))
			return (fnmatch(s->str, v->str, 0) == 0) == (op == EQ);
		return compare_result(op, strverscmp(a->str, b->str));
	}
	if (a->kind == V_STR && b->kind == V_STR &&
	    !(a->numeric && b->numeric)) {
		if (op != EQ && op != NE) {
			diag_error(DG_CONDITION_COMPARE,
				   oploc, "strings compare only with == and != "
				   "here");
			cp->error = 1;
			return 0;
		}
		if (has_glob(b->str))
			return (fnmatch(b->str, a->str, 0) == 0) == (op == EQ);
		return (strcmp(a->str, b->str) == 0) == (op == EQ);
	}
	if ((a->kind == V_STR && !a->numeric && *a->str) ||
	    (b->kind == V_STR && !b->numeric && *b->str)) {
		diag_error(DG_CONDITION_COMPARE,
			   oploc, "a number is compared with a string");
		cp->error = 1;
		return 0;
	}
	/* Numbers; an unset CONFIG_ option reads as 0. */
	x = a->num;
	y = b->num;
	return compare_result(op, x < y ? -1 : x > y);
}

/* cond_compare -> cond_operand [ cond_op cond_operand ]
 * Without an operator only a number stands alone (true if not 0). */
static int cond_compare(struct cond_parser *cp)
{
	struct val a, b;
	int op, r = 0;
	struct loc oploc;

	if (!cond_operand(cp, &a))
		return 0;
	oploc = cp_peek(cp)->loc;
	op = cond_op(cp);
	if (!op) {
		if (a.kind == V_NUM) {		/* a lone number */
			free(a.str);
			return a.num != 0;
		}
		if (!cp->error)
			diag_error(DG_CONDITION_SYNTAX,
				   oploc, "expected a comparison (== != < <= > "
				   ">=) in the condition");
		cp->error = 1;
		free(a.str);
		return 0;
	}
	if (cond_operand(cp, &b))
		r = compare(cp, op, &a, &b, oploc);
	free(a.str);
	free(b.str);
	return r;
}

/* cond_and -> cond_compare { '&&' cond_compare } */
static int cond_and(struct cond_parser *cp)
{
	int r = cond_compare(cp);

	while (!cp->error && cp_peek(cp)->type == AND) {
		cp->pos++;
		r &= cond_compare(cp);
	}
	return r;
}

/* cond_or -> cond_and { '||' cond_and } */
static int cond_or(struct cond_parser *cp)
{
	int r = cond_and(cp);

	while (!cp->error && cp_peek(cp)->type == OR) {
		cp->pos++;
		r |= cond_and(cp);
	}
	return r;
}

static void prep_get(struct prep *prep, struct token *out, int in_condition);

/* condition -> cond_or '%?'     (after the '%(')
 * Reads the condition up to %? and evaluates it.  Returns
 * 1 true, 0 false, -1 if the conditional was broken off (the error has
 * been reported; *stop is the token that ended it). */
static int condition(struct prep *prep, const struct token *open,
		     struct token *stop)
{
	struct tokens toks = {0};
	struct cond_parser cp = {0};
	int r;

	for (;;) {
		prep_get(prep, stop, 1);
		if (stop->type == PREP_THEN)
			break;
		if (stop->type == YYEOF || stop->type == PREP_CLOSE ||
		    stop->type == PREP_ELSE || stop->type == PREP_OPEN ||
		    prep->failed) {
			diag_error(DG_CONDITION_SYNTAX,
				   stop->loc, "expected '%%?' after the "
				   "condition of the '%%(' at line %d",
				   open->loc.line);
			free(toks.v);
			return -1;
		}
		if (stop->type == LEX_ERROR) {
			cp.error = 1;
			continue;
		}
		tokens_push(&toks, stop);
	}
	if (cp.error) {
		free(toks.v);
		return 0;
	}
	tokens_push(&toks, stop);		/* %? ends the condition */
	cp.t = toks.v;
	cp.n = toks.n;
	r = cond_or(&cp);
	if (!cp.error && cp.pos != cp.n - 1) {
		diag_error(DG_CONDITION_SYNTAX,
			   cp_peek(&cp)->loc, "expected '&&', '||' or '%%?' "
			   "in the condition");
		cp.error = 1;
	}
	free(toks.v);
	return cp.error ? 0 : r;
}

/* branch -> TOKENS     (up to the '%:' or '%)' of its own level)
 * Skips a branch not taken, returning that %: or %) in *stop (only %)
 * unless stop_at_else).  Nothing in it is expanded. */
static void skip_branch(struct prep *prep, int stop_at_else, struct token *stop)
{
	int depth = 0;

	for (;;) {
		raw_next(prep, stop);
		switch (stop->type) {
		case YYEOF:
			return;
		case PREP_OPEN:
			depth++;
			break;
		case PREP_CLOSE:
			if (depth-- == 0)
				return;
			break;
		case PREP_ELSE:
			if (depth == 0 && stop_at_else)
				return;
			break;
		case LEX_ERROR:
			if (stop->str)
				diag_error(DG_LEXICAL,
					   stop->loc, "%s", stop->str);
			break;
		}
	}
}

static void push_cond(struct prep *prep, enum cond_state st, struct loc loc)
{
	struct cond *c = xcalloc(1, sizeof(*c));

	c->state = st;
	c->loc = loc;
	vec_push(&prep->conds, c);
}

static void pop_cond(struct prep *prep)
{
	free(prep->conds.v[--prep->conds.n]);
}

/* conditional -> '%(' condition TOKENS [ '%:' TOKENS ] '%)'
 * At the '%(': a true condition leaves its then-branch to be read (the
 * %: ending it is met in prep_get, which skips the else-branch); a false
 * one skips to the else-branch, or past the %). */
static void prep_open_cond(struct prep *prep, const struct token *open)
{
	struct token stop;
	int r = condition(prep, open, &stop);

	if (r < 0)
		return;
	if (r) {
		push_cond(prep, COND_THEN, open->loc);
		return;
	}
	skip_branch(prep, 1, &stop);
	if (stop.type == PREP_ELSE)
		push_cond(prep, COND_ELSE, open->loc);
	else if (stop.type == YYEOF)
		diag_error(DG_CONDITIONAL_UNCLOSED,
			   open->loc, "this '%%(' has no closing '%%)'");
}

/* ---- the stream ---- */

/* The next token for the parser: @define, macro uses, script arguments
 * and conditionals are acted on here and never returned.  In a
 * condition (in_condition) the conditional tokens are returned as
 * they are, for condition() to stop at. */
static void prep_get(struct prep *prep, struct token *t, int in_condition)
{
	for (;;) {
		if (prep->failed) {
			while (prep->stack.n > 1)
				pop_frame(prep);
			*t = prep->file.v[prep->file.n - 1];
			return;
		}
		raw_next(prep, t);
		switch (t->type) {
		case DEFINE:
			define(prep, t);
			continue;
		case AT: {
			const struct macro *m;

			if (builtin_op(t->str))
				return;
			m = lookup(prep, t->str);
			if (m) {
				expand(prep, m, t);
				continue;
			}
			if (!strcmp(t->str, "choose_defined"))
				return;
			diag_error(DG_UNKNOWN_MACRO,
				   t->loc, "unknown macro @%s", t->str);
			note_use(t);
			reported(t);
			return;
		}
		case ARG_DOLLAR:
		case ARG_AT:
		case ARG_COUNT:
			if (argument(prep, t))
				return;
			continue;
		case LEX_ERROR:
			if (t->str)
				diag_error(DG_LEXICAL, t->loc, "%s", t->str);
			reported(t);
			return;
		default:
			break;
		}
		if (in_condition)
			return;
		switch (t->type) {
		case PREP_OPEN:
			prep_open_cond(prep, t);
			continue;
		case PREP_ELSE:
			if (prep->conds.n &&
			    ((struct cond *)prep->conds.v[prep->conds.n - 1])->state == COND_THEN) {
				struct token stop;

				pop_cond(prep);
				skip_branch(prep, 0, &stop);
				continue;
			}
			diag_error(DG_CONDITIONAL_STRAY,
				   t->loc, "'%%:' without a '%%(' and '%%?' "
				   "before it");
			reported(t);
			return;
		case PREP_CLOSE:
			if (prep->conds.n) {
				pop_cond(prep);
				continue;
			}
			diag_error(DG_CONDITIONAL_STRAY,
				   t->loc, "'%%)' without a '%%(' before it");
			reported(t);
			return;
		case PREP_THEN:
			diag_error(DG_CONDITIONAL_STRAY,
				   t->loc, "'%%?' without a '%%(' before it");
			reported(t);
			return;
		case YYEOF:
			if (prep->conds.n) {
				struct cond *c = prep->conds.v[prep->conds.n - 1];

				diag_error(DG_CONDITIONAL_UNCLOSED,
					   c->loc, "this '%%(' has no closing "
					   "'%%)'");
				while (prep->conds.n)
					pop_cond(prep);
			}
			return;
		default:
			return;
		}
	}
}

void prep_next(struct prep *prep, struct token *out)
{
	prep_get(prep, out, 0);
}

static struct prep *prep_new(const struct source *src)
{
	struct prep *prep = xcalloc(1, sizeof(*prep));

	prep->src = src;
	prep->budget = MAX_EXPANSION;
	prep->defs = &prep->locals;
	lex_text(src, src->text, NULL, &prep->file);
	push_frame(prep, prep->file.v, prep->file.n, NULL);
	return prep;
}

struct prep *prep_open(const struct source *src)
{
	return prep_new(src);
}

void prep_close(struct prep *prep)
{
	while (prep->stack.n)
		pop_frame(prep);
	free(prep->stack.v);
	for (int i = 0; i < prep->locals.n; i++)
		macro_free(prep->locals.v[i]);
	free(prep->locals.v);
	while (prep->conds.n)
		pop_cond(prep);
	free(prep->conds.v);
	for (int i = 0; i < prep->strings.n; i++)
		free(prep->strings.v[i]);
	free(prep->strings.v);
	for (int i = 0; i < prep->expansions.n; i++) {
		struct expansion *x = prep->expansions.v[i];

		free(x->name);
		free(x);
	}
	free(prep->expansions.v);
	tokens_free(&prep->file);
	free(prep);
}

/* ---- library macros ---- */

/* The directories stap looks in for a tapset directory D: D, D/linux,
 * and the architecture's subdirectory of each. */
static void load_macro_file(const char *path)
{
	struct source *src = source_load(path, 1);
	struct prep *prep;
	struct token t;

	if (!src)
		return;
	vec_push(&library_sources, src);
	prep = prep_new(src);
	prep->library = 1;
	prep->defs = &library;
	for (;;) {
		prep_next(prep, &t);
		if (t.type == YYEOF)
			break;
		if (t.type != LEX_ERROR)
			diag_error(DG_MACRO_FILE,
				   t.loc, "a macro file may hold only @define");
		/* Skip to the next @define. */
		while (t.type != YYEOF) {
			raw_next(prep, &t);
			if (t.type == DEFINE) {
				raw_unget(prep, &t);
				break;
			}
		}
		if (t.type == YYEOF)
			break;
	}
	prep_close(prep);		/* src stays: the macros point into it */
}

static void load_macro_dir(const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		const char *nm = names[i]->d_name;
		size_t len = strlen(nm);

		if (len > 5 && !strcmp(nm + len - 5, ".stpm")) {
			char *path = xasprintf("%s/%s", dir, nm);

			load_macro_file(path);
			free(path);
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
}

static void load_library(void)
{
	const struct parse_config *c = parse_config();
	static const char *const subdirs[] = { "", "/linux", NULL };

	if (library_loaded)
		return;
	library_loaded = 1;
	for (int i = 0; i < c->macro_dirs.n; i++) {
		const char *d = c->macro_dirs.v[i];

		library_dir = i;
		for (int k = 0; subdirs[k]; k++) {
			char *p = xasprintf("%s%s", d, subdirs[k]);
			char *a = xasprintf("%s/%s", p, c->arch);

			load_macro_dir(p);
			load_macro_dir(a);
			free(p);
			free(a);
		}
	}
}

void prep_forget_library(void)
{
	for (int i = 0; i < library.n; i++)
		macro_free(library.v[i]);
	free(library.v);
	memset(&library, 0, sizeof(library));
	library_loaded = 0;
}
