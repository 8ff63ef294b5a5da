/* dwarf_list.c - tapc -L: the DWARF probe points matching a pattern with
 * their target variables and types, as stap -L prints them:
 *
 *   kernel.function("vfs_read@fs/read_write.c:450") $file:struct file* ...
 */
#include "dwarflist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dwarfinfo.h"

struct dw_spec {
	char *module;		/* NULL: the kernel */
	char *func;		/* the name pattern */
	char *file;		/* @file, or NULL */
	int ret;		/* .return */
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
static int parse_spec(const char *text, struct dw_spec *s)
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
	else
		skip(&p, ".call");
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

void dw_point_vars(struct dw_file *f, const struct dw_func *fn, int ret,
		   struct strbuf *out)
{
	Dwarf_Die die, *d, type;
	struct vec vars = {0};

	if (!dwarf_offdie(dw_dwarf(f), fn->off, &die))
		return;
	dw_vars(&die, fn->entry, 1, &vars);
	dw_vars(&die, fn->entry, 0, &vars);
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

int dw_list(const char *release, const char *text, int vars)
{
	struct dw_spec s;
	struct dw_file *f;
	struct vec fns = {0};
	struct dw_func *fn;
	const char *why = NULL;
	struct strbuf b;

	if (!parse_spec(text, &s))
		return -1;
	f = dw_open(release, s.module, &why);
	if (!f) {
		fprintf(stderr, "tapc: %s: %s\n", s.module ? s.module : "kernel",
			why);
		return 1;
	}
	dw_functions(f, s.func, s.file, &fns);
	sb_init(&b);
	VEC_EACH(&fns, i, fn) {
		/* A static function in several files: one line each. */
		if (s.module)
			sb_printf(&b, "module(\"%s\").", s.module);
		else
			sb_puts(&b, "kernel.");
		sb_printf(&b, "function(\"%s@%s:%d\")%s", fn->name, fn->file,
			  fn->line, s.ret ? ".return" : "");
		if (vars)
			dw_point_vars(f, fn, s.ret, &b);
		sb_putc(&b, '\n');
	}
	fputs(b.s, stdout);
	sb_free(&b);
	if (!fns.n) {
		fprintf(stderr, "tapc: no match for probe point '%s'\n", text);
		return 1;
	}
	free(fns.v);
	return 0;
}
