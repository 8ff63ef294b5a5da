/* tapset.c - the tapset library index and lazy parsing. */
#include "tapset.h"

#include <ctype.h>
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kintro/ksyms.h"
#include "parse.h"

struct tapset_file {
	char *path;
	struct file_ast *ast;		/* once parsed */
	int parsed;
};

struct tapset_name {
	char *name;
	enum tapset_kind kind;
	struct tapset_file *file;
};

struct tapset_lib {
	struct vec files;		/* of struct tapset_file * */
	struct vec names;		/* of struct tapset_name * */
};

/* ---- the scanner: top-level definitions, without parsing ---- */

struct scan {
	const char *p;
	int depth;			/* of braces */
};

static void add_name(struct tapset_lib *lib, struct tapset_file *f,
		     enum tapset_kind kind, const char *s, size_t n)
{
	struct tapset_name *tn = xcalloc(1, sizeof(*tn));

	tn->name = xstrndup(s, n);
	tn->kind = kind;
	tn->file = f;
	vec_push(&lib->names, tn);
}

/* An alias name as the index keeps it: its text without blanks, the
 * way ast_print_point writes it ("syscall.openat", "a.b(\"x\")"). */
static void add_alias_name(struct tapset_lib *lib, struct tapset_file *f,
			   const char *start, const char *end)
{
	char *name = xmalloc((size_t)(end - start) + 1);
	size_t n = 0;

	for (const char *p = start; p < end; p++)
		if (!isspace((unsigned char)*p))
			name[n++] = *p;
	add_name(lib, f, TS_ALIAS, name, n);
	free(name);
}

/* Skips what is not code: blanks, comments, strings, embedded C. */
static int skip_noise(struct scan *s)
{
	const char *p = s->p;

	if (isspace((unsigned char)*p)) {
		s->p++;
		return 1;
	}
	if (*p == '#' || (p[0] == '/' && p[1] == '/')) {
		s->p = strchrnul(p, '\n');
		return 1;
	}
	if (p[0] == '/' && p[1] == '*') {
		const char *end = strstr(p + 2, "*/");

		s->p = end ? end + 2 : p + strlen(p);
		return 1;
	}
	if (p[0] == '%' && p[1] == '{') {
		const char *end = strstr(p + 2, "%}");

		s->p = end ? end + 2 : p + strlen(p);
		return 1;
	}
	if (*p == '"') {
		for (p++; *p && *p != '"'; p++)
			if (*p == '\\' && p[1])
				p++;
		s->p = *p ? p + 1 : p;
		return 1;
	}
	return 0;
}

static void skip_blanks(struct scan *s)
{
	while (*s->p && (isspace((unsigned char)*s->p) ||
			 (s->p[0] == '/' && s->p[1] == '*')) && skip_noise(s))
		;
}

static size_t ident_len(const char *p)
{
	size_t n = 0;

	if (!isalpha((unsigned char)*p) && *p != '_')
		return 0;
	while (isalnum((unsigned char)p[n]) || p[n] == '_')
		n++;
	return n;
}

/* After "probe": the alias names before '=' or '+=', if it is one. */
static void scan_alias(struct scan *s, struct tapset_lib *lib,
		       struct tapset_file *f)
{
	const char *start;

	for (;;) {
		int parens = 0;

		skip_blanks(s);
		start = s->p;
		while (*s->p && (parens || !strchr("=+,{;", *s->p) ||
				 (*s->p == '+' && s->p[1] != '='))) {
			if (*s->p == '(')
				parens++;
			else if (*s->p == ')' && parens)
				parens--;
			else if (*s->p == '"' && skip_noise(s))
				continue;
			s->p++;
		}
		if (*s->p == '=' || (*s->p == '+' && s->p[1] == '=')) {
			const char *end = s->p;

			add_alias_name(lib, f, start, end);
			return;	/* the rest is the alias's body */
		}
		if (*s->p != ',')
			return;	/* a plain probe */
		s->p++;
	}
}

static void scan_globals(struct scan *s, struct tapset_lib *lib,
			 struct tapset_file *f)
{
	for (;;) {
		size_t n;

		skip_blanks(s);
		n = ident_len(s->p);
		if (!n)
			return;
		add_name(lib, f, TS_GLOBAL, s->p, n);
		s->p += n;
		/* Skip a size or an initializer up to the next comma. */
		while (*s->p && *s->p != ',' && *s->p != '\n' && *s->p != ';')
			s->p++;
		if (*s->p != ',')
			return;
		s->p++;
	}
}

static void scan_file(struct tapset_lib *lib, struct tapset_file *f,
		      const char *text)
{
	struct scan s = { text, 0 };

	while (*s.p) {
		size_t n;

		if (skip_noise(&s))
			continue;
		if (*s.p == '{' || *s.p == '}') {
			s.depth += *s.p == '{' ? 1 : (s.depth > 0 ? -1 : 0);
			s.p++;
			continue;
		}
		n = ident_len(s.p);
		if (!n) {
			s.p++;
			continue;
		}
		if (s.depth == 0 && n == 8 && !strncmp(s.p, "function", 8)) {
			s.p += n;
			skip_blanks(&s);
			n = ident_len(s.p);
			if (n)
				add_name(lib, f, TS_FUNCTION, s.p, n);
		} else if (s.depth == 0 && n == 6 && !strncmp(s.p, "global", 6)) {
			s.p += n;
			scan_globals(&s, lib, f);
			continue;
		} else if (s.depth == 0 && n == 5 && !strncmp(s.p, "probe", 5)) {
			s.p += n;
			scan_alias(&s, lib, f);
			continue;
		}
		s.p += n;
	}
}

/* ---- the library ---- */

static void index_dir(struct tapset_lib *lib, const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		const char *nm = names[i]->d_name;
		size_t len = strlen(nm);
		char *text;

		if (len > 4 && !strcmp(nm + len - 4, ".stp")) {
			struct tapset_file *f = xcalloc(1, sizeof(*f));

			f->path = xasprintf("%s/%s", dir, nm);
			if (read_file(f->path, &text, NULL) == 0) {
				vec_push(&lib->files, f);
				scan_file(lib, f, text);
				free(text);
			} else {
				free(f->path);
				free(f);
			}
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
}

/* The directories of a tapset directory D, in the order the macro
 * loader (preprocess.c) reads them: D, D/ARCH, D/linux, D/linux/ARCH. */
static void index_tree(struct tapset_lib *lib, const char *dir)
{
	static const char *const subdirs[] = { "", "/linux", NULL };

	for (int k = 0; subdirs[k]; k++) {
		char *d = xasprintf("%s%s", dir, subdirs[k]);
		char *a = xasprintf("%s/x86_64", d);

		index_dir(lib, d);
		index_dir(lib, a);
		free(d);
		free(a);
	}
}

struct tapset_lib *tapset_open(const char *tapset_dir, const struct vec *dirs)
{
	struct tapset_lib *lib = xcalloc(1, sizeof(*lib));

	for (int i = 0; dirs && i < dirs->n; i++)
		index_tree(lib, dirs->v[i]);
	index_tree(lib, tapset_dir);
	return lib;
}

static struct file_ast *parsed(struct tapset_file *f)
{
	if (!f->parsed) {
		struct source *src = source_load(f->path, 1);

		f->parsed = 1;
		f->ast = src ? parse_source(src) : NULL;
	}
	return f->ast;
}

/* Where a walk over the files defining one name is. */
struct defining {
	int pos;			/* next index entry to look at */
	const struct tapset_file *last;	/* the file returned last */
};

/*
 * The next file the index says defines NAME as KIND, parsed; NULL after
 * the last.  A file's entries are contiguous in the index, so a file
 * naming NAME twice is returned once.
 */
static struct file_ast *next_defining(struct tapset_lib *lib,
				      enum tapset_kind kind, const char *name,
				      struct defining *d)
{
	while (d->pos < lib->names.n) {
		struct tapset_name *tn = lib->names.v[d->pos++];
		struct file_ast *ast;

		if (tn->kind != kind || tn->file == d->last ||
		    strcmp(tn->name, name))
			continue;
		d->last = tn->file;
		ast = parsed(tn->file);
		if (ast)
			return ast;
	}
	return NULL;
}

struct function *tapset_find_function(struct tapset_lib *lib,
				      const char *name, int nargs,
				      const struct file_ast **file)
{
	struct defining d = { 0 };
	struct file_ast *ast;
	struct function *fn;

	while ((ast = next_defining(lib, TS_FUNCTION, name, &d)))
		VEC_EACH(&ast->functions, j, fn)
			if (!strcmp(fn->name, name) &&
			    (nargs < 0 || fn->params.n == nargs)) {
				*file = ast;
				return fn;
			}
	return NULL;
}

void tapset_function_arities(struct tapset_lib *lib, const char *name,
			     struct vec *out)
{
	struct defining d = { 0 };
	struct file_ast *ast;
	struct function *fn;

	while ((ast = next_defining(lib, TS_FUNCTION, name, &d)))
		VEC_EACH(&ast->functions, j, fn)
			if (!strcmp(fn->name, name))
				vec_push(out, (void *)(intptr_t)fn->params.n);
}

struct symbol *tapset_find_global(struct tapset_lib *lib, const char *name,
				  const struct file_ast **file)
{
	struct defining d = { 0 };
	struct file_ast *ast;
	struct symbol *g;

	while ((ast = next_defining(lib, TS_GLOBAL, name, &d)))
		VEC_EACH(&ast->globals, j, g)
			if (!strcmp(g->name, name)) {
				*file = ast;
				return g;
			}
	return NULL;
}

void tapset_alias_names(const struct tapset_lib *lib, struct vec *out)
{
	struct tapset_name *tn;

	VEC_EACH(&lib->names, i, tn)
		if (tn->kind == TS_ALIAS)
			vec_push(out, tn->name);
}

void tapset_find_aliases(struct tapset_lib *lib, const char *name,
			 struct vec *aliases, struct vec *files)
{
	struct defining d = { 0 };
	struct file_ast *ast;
	struct probe_alias *a;

	while ((ast = next_defining(lib, TS_ALIAS, name, &d)))
		VEC_EACH(&ast->aliases, j, a) {
			struct strbuf t;

			sb_init(&t);
			ast_print_point(a->name, &t);
			if (!strcmp(t.s, name)) {
				vec_push(aliases, a);
				vec_push(files, ast);
			}
			sb_free(&t);
		}
}

void tapset_suggest(struct tapset_lib *lib, enum tapset_kind kind,
		    struct suggest *s)
{
	struct tapset_name *tn;

	VEC_EACH(&lib->names, i, tn)
		if (tn->kind == kind)
			suggest_try(s, tn->name);
}

int tapset_file_count(const struct tapset_lib *lib)
{
	return lib->files.n;
}
