/* ksyms_module.c - function symbols of a kernel module of a release, from
 * the symbol table of its .ko (the debug copy under /usr/lib/debug first,
 * else the installed one), found through modules.dep. */
#include "ksyms.h"

#include <fcntl.h>
#include <fnmatch.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct kmod {
	char *name;
	struct vec funcs;		/* of char *, sorted, distinct */
};

static struct vec kmods;		/* of struct kmod *, read so far */

/* Module names treat '-' and '_' alike. */
static int same_module(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (*a != *b && !(strchr("-_", *a) && strchr("-_", *b)))
			return 0;
	return *a == *b;
}

/* The path of module name under /lib/modules/REL, from modules.dep. */
static char *module_path(const char *release, const char *name)
{
	char path[512], line[4096];
	char *found = NULL;
	FILE *f;

	snprintf(path, sizeof(path), "/lib/modules/%s/modules.dep", release);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	while (!found && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':'), *base, *dot;

		if (!colon)
			continue;
		*colon = '\0';
		base = strrchr(line, '/');
		base = base ? base + 1 : line;
		dot = strstr(base, ".ko");
		if (!dot)
			continue;
		*dot = '\0';
		if (same_module(base, name)) {
			*dot = '.';
			found = xstrdup(line);
		}
	}
	fclose(f);
	return found;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int read_symtab(const char *path, struct vec *out)
{
	int fd = open(path, O_RDONLY);
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	Elf *elf;

	if (fd < 0)
		return 0;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	while (elf && (scn = elf_nextscn(elf, scn))) {
		Elf_Data *d;
		GElf_Sym s;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB)
			continue;
		d = elf_getdata(scn, NULL);
		for (size_t i = 0; d && gelf_getsym(d, (int)i, &s); i++)
			if (GELF_ST_TYPE(s.st_info) == STT_FUNC &&
			    s.st_shndx != SHN_UNDEF &&
			    !ksyms_is_padding(elf_strptr(elf, sh.sh_link,
							 s.st_name)))
				vec_push(out, xstrdup(elf_strptr(elf,
						sh.sh_link, s.st_name)));
	}
	if (elf)
		elf_end(elf);
	close(fd);
	return out->n > 0;
}

static struct kmod *load_module(const char *release, const char *name)
{
	struct kmod *m;
	char *rel, path[1024];
	int ok;

	VEC_EACH(&kmods, i, m)
		if (same_module(m->name, name))
			return m->funcs.n ? m : NULL;
	m = xcalloc(1, sizeof(*m));
	m->name = xstrdup(name);
	vec_push(&kmods, m);
	rel = module_path(release, name);
	if (!rel)
		return NULL;
	/* 6.12's modules.dep names "x.ko.xz"; the debug copy is "x.ko" */
	snprintf(path, sizeof(path), "/usr/lib/debug/lib/modules/%s/%.*s",
		 release, (int)(strstr(rel, ".ko") + 3 - rel), rel);
	ok = read_symtab(path, &m->funcs);
	if (!ok) {
		snprintf(path, sizeof(path), "/lib/modules/%s/%s", release,
			 rel);
		ok = read_symtab(path, &m->funcs);
	}
	free(rel);
	if (!ok)
		return NULL;
	qsort(m->funcs.v, (size_t)m->funcs.n, sizeof(char *), cmp_str);
	return m;
}

int ksyms_module_known(const char *release, const char *module)
{
	return load_module(release, module) != NULL;
}

void ksyms_module_match(const char *release, const char *module,
			const char *pattern, struct vec *out)
{
	struct kmod *m = load_module(release, module);
	int clones = strchr(pattern, '.') != NULL;
	char *f;

	if (!m)
		return;
	VEC_EACH(&m->funcs, i, f) {
		if (i && !strcmp(f, m->funcs.v[i - 1]))
			continue;
		if (!clones && strchr(f, '.'))
			continue;
		if (!fnmatch(pattern, f, 0))
			vec_push(out, f);
	}
}

const char *ksyms_module_suggest(const char *release, const char *module,
				 const char *name)
{
	struct kmod *m = load_module(release, module);
	struct suggest s;
	char *f;

	if (!m)
		return NULL;
	suggest_init(&s, name);
	VEC_EACH(&m->funcs, i, f)
		suggest_try(&s, f);
	return s.best;
}
