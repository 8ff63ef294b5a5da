/* points_dwarf_list.c - tapc -L: the DWARF probe points matching a pattern with
 * their target variables and types, as stap -L prints them:
 *
 *   kernel.function("vfs_read@fs/read_write.c:450") $file:struct file* ...
 */
#include "points_dwarf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kintro/dwarfinfo.h"

struct list_spec {
	char *module;		/* NULL: the kernel */
	char *func;		/* the name pattern */
	char *file;		/* @file, or NULL */
	int ret;		/* .return */
	int call;		/* .call: no inline instances */
	int inl;		/* .inline: only them */
};

/* Reads `"text"` at *p into a new string; advances *p. */
static char *quoted(const char **p)
{
	const char *s = *p, *e;

	if (*s != '"' || !(e = strchr(s + 1, '"')))
		return NULL;
	*p = e + 1;
	return xstrndup(s + 1, e - s - 1);
}

static int skip(const char **p, const char *word)
{
	size_t n = strlen(word);

	if (strncmp(*p, word, n))
		return 0;
	*p += n;
	return 1;
}

/* kernel.function("f[@file[:line]]")[.return|.call] or
 * module("m").function(...). */
static int parse_spec(const char *text, struct list_spec *s)
{
	const char *p = text;
	char *at;

	memset(s, 0, sizeof(*s));
	if (skip(&p, "module(")) {
		if (!(s->module = quoted(&p)) || !skip(&p, ")."))
			return 0;
	} else if (!skip(&p, "kernel.")) {
		return 0;
	}
	if (!skip(&p, "function(") || !(s->func = quoted(&p)) || !skip(&p, ")"))
		return 0;
	if (skip(&p, ".return"))
		s->ret = 1;
	else if (skip(&p, ".inline"))
		s->inl = 1;
	else if (skip(&p, ".call"))
		s->call = 1;
	if (*p)
		return 0;
	at = strchr(s->func, '@');
	if (at) {
		char *colon = strchr(at, ':');

		if (colon)
			*colon = '\0';	/* the line narrows nothing here */
		s->file = xstrdup(at + 1);
		*at = '\0';
	}
	return 1;
}

/* " $a:int $b:struct file*" at pc in the function or inline instance
 * whose DIE is at off (and $return if ret). */
static void point_vars(struct dw_file *f, Dwarf_Off off, Dwarf_Addr pc,
		       int ret, struct strbuf *out)
{
	Dwarf_Die die, *d, type;
	struct vec vars = {0};

	if (!dwarf_offdie(dw_dwarf(f), off, &die))
		return;
	dw_vars(&die, pc, 1, &vars);
	dw_vars(&die, pc, 0, &vars);
	VEC_EACH(&vars, i, d) {
		char *tn = dw_type_of(d, &type) ? dw_type_name(&type)
						 : xstrdup("void");

		sb_printf(out, " $%s:%s", dwarf_diename(d), tn);
		free(tn);
		free(d);
	}
	free(vars.v);
	if (ret && dw_type_of(&die, &type)) {
		char *tn = dw_type_name(&type);

		sb_printf(out, " $return:%s", tn);
		free(tn);
	}
}

/* One line: module("m").function("f@file:line").suffix $a:int ... */
static void list_line(struct strbuf *b, const struct list_spec *s,
		      const char *name, const char *file, int line)
{
	if (s->module)
		sb_printf(b, "module(\"%s\").", s->module);
	else
		sb_puts(b, "kernel.");
	sb_printf(b, "function(\"%s@%s:%d\")%s", name, file, line,
		  s->ret ? ".return" : s->inl ? ".inline" :
		  s->call ? ".call" : "");
}

/* The inline instances, one line per inlined function (the variables of
 * its first instance), unless an out-of-line copy had the same line. */
static int list_inlines(struct dw_file *f, const struct list_spec *s,
			int vars, struct strbuf *b)
{
	struct vec ins = {0};
	struct dw_inline *in, *prev = NULL;
	int n = 0;

	if (s->ret || s->call)
		return 0;
	dw_inlines(f, s->func, s->file, &ins);
	VEC_EACH(&ins, i, in) {
		struct strbuf l;

		if (prev && !strcmp(prev->name, in->name) &&
		    !strcmp(prev->file, in->file) && prev->line == in->line)
			continue;
		prev = in;
		sb_init(&l);
		list_line(&l, s, in->name, in->file, in->line);
		if (!strstr(b->s, l.s)) {
			sb_puts(b, l.s);
			if (vars)
				point_vars(f, in->off, in->entry, 0, b);
			sb_putc(b, '\n');
			n++;
		}
		sb_free(&l);
	}
	dw_inlines_free(&ins);
	return n;
}

static void free_spec(struct list_spec *s)
{
	free(s->module);
	free(s->func);
	free(s->file);
}

int pt_list_dwarf(const char *release, const char *text, int vars)
{
	struct list_spec s;
	struct dw_file *f;
	struct vec fns = {0};
	struct dw_func *fn;
	const char *why = NULL;
	struct strbuf b;
	int n;

	if (!parse_spec(text, &s)) {
		free_spec(&s);
		return -1;
	}
	f = dw_open(release, s.module, &why);
	if (!f) {
		fprintf(stderr, "tapc: %s: %s\n", s.module ? s.module : "kernel",
			why);
		free_spec(&s);
		return 1;
	}
	if (!s.inl)
		dw_functions(f, s.func, s.file, &fns);
	sb_init(&b);
	VEC_EACH(&fns, i, fn) {
		/* A static function in several files: one line each. */
		list_line(&b, &s, fn->name, fn->file, fn->line);
		if (vars)
			point_vars(f, fn->off, fn->entry, s.ret, &b);
		sb_putc(&b, '\n');
	}
	n = fns.n + list_inlines(f, &s, vars, &b);
	fputs(b.s, stdout);
	sb_free(&b);
	free(fns.v);
	free_spec(&s);
	if (!n) {
		fprintf(stderr, "tapc: no match for probe point '%s'\n", text);
		return 1;
	}
	return 0;
}
