/* parse.h - pass 1: text to a file_ast.
 *
 * Three stages, each pulling from the one before:
 *   lexer.l       the text of one source as a vector of tokens
 *   preprocess.c  @define macros and their expansion, script arguments
 *                 ($1 @1 $# @#), %( cond %? a %: b %) conditionals
 *   parser.y      the grammar, with located errors and recovery; the
 *                 nodes its actions build come from parse_build.c
 *                 (prefix pb_), all of them from the AST's arena (ast.c)
 */
#ifndef TAPC_PARSE_H
#define TAPC_PARSE_H

#include "ast.h"

/* What the preprocessor evaluates against; set once by main before the
 * first parse.  Without it: this host's release, no arguments. */
struct parse_config {
	const char *release;		/* kernel_v, kernel_vr, CONFIG_* */
	const char *arch;		/* "x86_64" */
	int guru;			/* guru_mode */
	int argc;			/* script arguments, $1 .. */
	char **argv;
	struct vec macro_dirs;		/* of char *: where .stpm files are */
};
void parse_configure(const struct parse_config *cfg);

/* Parses one source; reports errors through diag and returns NULL if
 * there was any. */
struct file_ast *parse_source(const struct source *src);

/* ---- shared by the three stages, not for other passes ---- */

/* A use of a macro: where, which, and the use it came from. */
struct expansion {
	struct loc at;
	char *name;
	const void *macro;
	const struct expansion *parent;
};

struct token {
	int type;			/* the parser's token kind (parser.h) */
	struct loc loc;			/* where it starts */
	char *str;			/* IDENT, TARGET, STRING, EMBEDDED, AT:
					 * the text; LEX_ERROR: the message */
	int64_t num;			/* NUMBER; ARG_DOLLAR, ARG_AT: the index */
	unsigned char space;		/* blank or comment just before it */
	unsigned char bol;		/* first on its line */
	const struct expansion *exp;	/* the macro use it comes from, or NULL */
};

struct tokens {
	struct token *v;
	int n, cap;
};
void tokens_push(struct tokens *t, const struct token *tok);
void tokens_free(struct tokens *t);

/* Lexes a whole text.  Errors become LEX_ERROR tokens, reported when
 * the preprocessor reaches them, so messages come in source order.  With
 * at != NULL every token gets that location (a script argument pasted
 * where $1 is).  Ends with a YYEOF token. */
void lex_text(const struct source *src, const char *text,
	      const struct loc *at, struct tokens *out);

/* A string literal's text without its quotes, escapes decoded; NULL if
 * it makes a NUL character. */
char *lex_unescape(const char *text, size_t len);

struct prep;
struct prep *prep_open(const struct source *src);
/* The next token for the parser; YYEOF at the end, again and again. */
void prep_next(struct prep *prep, struct token *out);
void prep_close(struct prep *prep);
const struct parse_config *parse_config(void);
/* Drops the cached library macros (for the fuzz target). */
void prep_forget_library(void);

#endif
