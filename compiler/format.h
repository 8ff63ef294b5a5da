/* format.h - SystemTap printf formats, checked in pass 2 and turned into
 * kernel printf formats in pass 3. */
#ifndef TAPC_FORMAT_H
#define TAPC_FORMAT_H

#include "ast.h"

/* The largest width or precision (RT_FMT_MAX in the runtime). */
#define FMT_MAX 32767

/* One piece of a format: literal text, or one conversion. */
struct fmt_piece {
	char conv;		/* 0 for literal text; d i u x X o s c p b m M % */
	char *text;		/* literal text, or the flags/width/precision */
	int star_width;		/* width given as an argument (*) */
	int star_prec;		/* precision given as an argument (.*) */
};

struct fmt {
	struct fmt_piece *pieces;
	int n;
};

/* Parses fmt into out, which the caller frees with fmt_free; on error
 * returns -1, leaves out empty and sets *err to a message (the caller's
 * to free). */
int fmt_parse(const char *fmt, struct fmt *out, char **err);
/* Frees the pieces of a parsed format. */
void fmt_free(struct fmt *f);
/* The type an argument of this conversion must have. */
enum type fmt_arg_type(char conv);
/* Arguments the format consumes, counting '*'. */
int fmt_nargs(const struct fmt *f);

#endif
