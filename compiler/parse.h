/* parse.h - pass 1: text to a file_ast (lexer.l + parser.y). */
#ifndef TAPC_PARSE_H
#define TAPC_PARSE_H

#include "ast.h"

/* Parses one source; reports errors through diag and returns NULL if any. */
struct file_ast *parse_source(const struct source *src);

/* Shared between the lexer and the parser; not for other passes. */
struct lex_state {
	const struct source *src;
	int line, col;
};
extern struct lex_state lex_state;
void lex_begin(const struct source *src);
void lex_end(void);

#endif
