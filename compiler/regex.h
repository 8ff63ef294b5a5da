/* regex.h - `=~` patterns compiled at translate time (regex.c). */
#ifndef TAPC_REGEX_H
#define TAPC_REGEX_H

#include "util.h"

#define RE_MAX_GROUPS 9

enum re_op { RI_CHAR, RI_SET, RI_SPLIT, RI_JMP, RI_SAVE, RI_BOL, RI_EOL,
	     RI_MATCH };

/* One step of the NFA program.  CHAR: x is the byte; SET: x indexes
 * sets; SPLIT: try x, then y; JMP: x; SAVE: capture slot x. */
struct re_inst {
	enum re_op op;
	int x, y;
};

struct re_prog {
	struct re_inst *v;
	int n;
	unsigned char (*sets)[32];
	int nsets;
	int ngroups;
	int too_large;
};

/* Compiles pattern; on error returns -1 with *err a message. */
int re_compile(const char *pattern, struct re_prog *out, char **err);
void re_free(struct re_prog *p);
/* Pass 2's check: 0 if the pattern compiles, else -1 and *err. */
int re_check(const char *pattern, char **err);
/* The program as C: NAME_prog[], its sets and `struct rt_re NAME`. */
void re_emit(const struct re_prog *p, const char *name, const char *pattern,
	     struct strbuf *out);

#endif
