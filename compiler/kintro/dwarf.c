/* dwarf.c - opening the kernel's debuginfo and finding functions by name.
 *
 * Walking vmlinux's DWARF for one name takes seconds, so the first open
 * of a debuginfo file builds an index of its out-of-line functions
 * (name, declaration file and line, DIE offset, entry address) and saves
 * it under $XDG_CACHE_HOME/tapc, named by the file's build-id; later
 * runs read that file instead of the DWARF.  The file is in name order:
 * a later run maps it and finds a plain name by binary search, reading
 * it whole only for a wildcard.
 */
#include "dwarfinfo.h"
#include "progress.h"

#include <dwarf.h>
#include <elfutils/libdwelf.h>
#include <gelf.h>
#include <elfutils/libdwfl.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct dw_file {
	char *module;
	int fd;
	Dwarf *dbg;
	Dwfl *dwfl;		/* a module: libdwfl relocates its DWARF */
	struct dw_func *funcs;	/* sorted by name */
	size_t nfuncs;
	int funcs_loaded;	/* funcs holds every function */
	char *index_text;	/* the index file read, which funcs point
				 * into (else into libdw's own strings) */
	char *index_path;	/* the saved index, mapped (index_map) */
	const char *index_map;
	size_t index_len;
	struct vec found;	/* of struct dw_func *: index_find's */
	struct dw_file *next;
};

static struct dw_file *opened;
static double index_ms;

double dw_index_ms(void)
{
	return index_ms;
}

Dwarf *dw_dwarf(struct dw_file *f)
{
	return f->dbg;
}

const char *dw_module(const struct dw_file *f)
{
	return f->module;
}

/* ---- finding a module's debuginfo ---- */

static char *found_ko;
static const char *wanted_ko;

/* Module names treat '-' and '_' alike. */
static int same_modname(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (*a != *b && !((*a == '-' || *a == '_') &&
				  (*b == '-' || *b == '_')))
			return 0;
	return *a == *b;
}

static int find_ko_cb(const char *path, const struct stat *st, int type,
		      struct FTW *ftw)
{
	const char *base = path + ftw->base;
	size_t n = strlen(base);
	char *name;
	int same;

	if (type != FTW_F || n < 4 || strcmp(base + n - 3, ".ko"))
		return 0;
	name = xstrndup(base, n - 3);
	same = same_modname(name, wanted_ko);
	free(name);
	if (!same)
		return 0;
	found_ko = xstrdup(path);
	return 1;
}

static char *debuginfo_path(const char *release, const char *mod)
{
	char *dir;

	if (!mod || !strcmp(mod, "kernel"))
		return xasprintf("/usr/lib/debug/boot/vmlinux-%s", release);
	dir = xasprintf("/usr/lib/debug/lib/modules/%s/kernel", release);
	found_ko = NULL;
	wanted_ko = mod;
	nftw(dir, find_ko_cb, 16, FTW_PHYS);
	free(dir);
	return found_ko;
}

/* ---- the index ---- */

static int cmp_func(const void *a, const void *b)
{
	const struct dw_func *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->entry < y->entry ? -1 : x->entry > y->entry;
}

/* name and file are not copied: they are libdw's strings, which live
 * as long as the file is open (it stays so), or the index text's. */
static void add_func(struct dw_file *f, size_t *cap, const char *name,
		     const char *file, int line, Dwarf_Off off,
		     Dwarf_Addr entry)
{
	struct dw_func *fn;

	if (f->nfuncs == *cap) {
		*cap = *cap ? *cap * 2 : 4096;
		f->funcs = xrealloc(f->funcs, *cap * sizeof(*f->funcs));
	}
	fn = &f->funcs[f->nfuncs++];
	fn->name = (char *)name;
	fn->file = (char *)(file ? file : "");
	fn->line = line;
	fn->off = off;
	fn->entry = entry;
}

/* The name of a subprogram, through its abstract origin if need be. */
static const char *func_name(Dwarf_Die *die)
{
	Dwarf_Attribute a;

	return dwarf_formstring(dwarf_attr_integrate(die, DW_AT_name, &a));
}

/* Strips the build directory's "./" so files read "fs/read_write.c". */
static const char *short_file(const char *file)
{
	if (!file)
		return NULL;
	while (!strncmp(file, "./", 2))
		file += 2;
	return file;
}

int dw_func_entry(Dwarf_Die *fn, Dwarf_Addr *entry)
{
	Dwarf_Addr base, lo, hi;

	if (dwarf_entrypc(fn, entry) == 0)
		return 0;
	if (dwarf_ranges(fn, 0, &base, &lo, &hi) <= 0)
		return -1;
	*entry = lo;
	return 0;
}

static void index_cu(struct dw_file *f, Dwarf_Die *cu, size_t *cap)
{
	Dwarf_Die die;
	Dwarf_Addr lo;
	const char *name;
	int line = 0;

	if (dwarf_child(cu, &die) != 0)
		return;
	do {
		if (dwarf_tag(&die) != DW_TAG_subprogram)
			continue;
		/* A declaration, or inline-only; a module's .text may
		 * start at 0, vmlinux's never does. */
		if (dw_func_entry(&die, &lo) != 0 || (lo == 0 && !f->dwfl))
			continue;
		name = func_name(&die);
		if (!name)
			continue;
		line = 0;
		dwarf_decl_line(&die, &line);
		add_func(f, cap, name, short_file(dwarf_decl_file(&die)), line,
			 dwarf_dieoffset(&die), lo);
	} while (dwarf_siblingof(&die, &die) == 0);
}

/* Bytes of the .debug_info section (0 if unknown): the index's progress. */
static size_t debug_info_size(Dwarf *dbg)
{
	Elf *elf = dwarf_getelf(dbg);
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	size_t shstr;
	const char *name;

	if (!elf || elf_getshdrstrndx(elf, &shstr) < 0)
		return 0;
	while ((scn = elf_nextscn(elf, scn)))
		if (gelf_getshdr(scn, &sh) &&
		    (name = elf_strptr(elf, shstr, sh.sh_name)) &&
		    !strcmp(name, ".debug_info"))
			return sh.sh_size;
	return 0;
}

static void index_build(struct dw_file *f)
{
	Dwarf_Off off = 0, next;
	size_t hsize, cap = 0, size = debug_info_size(f->dbg);
	Dwarf_Die cu;

	progress_begin("building the DWARF index of %s", f->module);
	while (dwarf_nextcu(f->dbg, off, &next, &hsize, NULL, NULL,
			    NULL) == 0) {
		if (dwarf_offdie(f->dbg, off + hsize, &cu))
			index_cu(f, &cu, &cap);
		off = next;
		if (size)
			progress_percent((int)(off * 100 / size));
	}
	qsort(f->funcs, f->nfuncs, sizeof(*f->funcs), cmp_func);
	progress_end();
}

/* $XDG_CACHE_HOME/tapc/dwarf-BUILDID.EXT, or NULL without a build-id. */
char *dw_cache_path(struct dw_file *f, const char *ext)
{
	const void *id;
	const unsigned char *b;
	const char *base = getenv("XDG_CACHE_HOME");
	struct strbuf p;
	ssize_t n = dwelf_elf_gnu_build_id(dwarf_getelf(f->dbg), &id);

	if (n <= 0)
		return NULL;
	sb_init(&p);
	if (base && *base)
		sb_puts(&p, base);
	else
		sb_printf(&p, "%s/.cache", getenv("HOME") ? getenv("HOME")
							   : "/tmp");
	/* The cache's own directory may not exist yet (a fresh
	 * XDG_CACHE_HOME): without it every run rebuilds the indexes. */
	mkdir(p.s, 0755);
	sb_puts(&p, "/tapc");
	mkdir(p.s, 0755);	/* its parent exists, or caching is off */
	sb_puts(&p, "/dwarf-");
	b = id;
	for (ssize_t i = 0; i < n; i++)
		sb_printf(&p, "%02x", b[i]);
	sb_printf(&p, ".%s", ext);
	return sb_take(&p);
}

/* Cuts the field at *p, up to the next space or the end, in place. */
static char *index_field(char **p)
{
	char *s = *p, *e = s + strcspn(s, " ");

	*p = *e ? e + 1 : e;
	*e = '\0';
	return s;
}

/* One line "name file line offset entry" (file "-" for none; offset
 * and entry in hex), cut in place into *fn, whose name and file point
 * into it; 0 if it is not of that form. */
static int index_parse(char *line, struct dw_func *fn)
{
	char *name = index_field(&line), *file = index_field(&line);
	const char *s = line;
	uint64_t l, off, entry;
	int d1, d2, d3;

	l = scan_dec(&s, &d1);
	if (*s == ' ')
		s++;
	off = scan_hex(&s, &d2);
	if (*s == ' ')
		s++;
	entry = scan_hex(&s, &d3);
	if (!*name || !*file || !d1 || !d2 || !d3 || *s)
		return 0;
	fn->name = name;
	fn->file = strcmp(file, "-") ? file : file + 1;
	fn->line = (int)l;
	fn->off = off;
	fn->entry = entry;
	return 1;
}

/* Every function of the saved index, in name order: read whole and
 * parsed in place.  Only a wildcard needs them all. */
static void index_load_all(struct dw_file *f)
{
	char *line, *end;
	size_t cap = 0;
	struct dw_func fn;

	f->funcs_loaded = 1;
	if (read_file(f->index_path, &f->index_text, NULL) < 0)
		return;
	for (line = f->index_text; *line; line = end) {
		end = strchr(line, '\n');
		if (end)
			*end++ = '\0';
		else
			end = line + strlen(line);
		if (index_parse(line, &fn))
			add_func(f, &cap, fn.name, fn.file, fn.line, fn.off,
				 fn.entry);
	}
}

/* Compares the name that starts line (up to its space) with name, as
 * strcmp() would. */
static int index_cmp(const char *line, const char *end, const char *name)
{
	for (;; line++, name++) {
		unsigned char a = line < end && *line != ' ' ? *line : 0;
		unsigned char b = *name;

		if (a != b || !a)
			return a - b;
	}
}

static const char *line_end(const char *s, const char *end)
{
	const char *nl = memchr(s, '\n', (size_t)(end - s));

	return nl ? nl : end;
}

/*
 * The functions named name, by a binary search of the mapped index (its
 * lines are in name order): a plain name touches a few pages of it, not
 * its megabytes.  Each match is parsed from a copy of its line, kept
 * (f->found) for the pointers handed out.
 */
static void index_find(struct dw_file *f, const char *name, const char *file,
		       struct vec *out)
{
	const char *map = f->index_map, *end = map + f->index_len;
	const char *lo = map, *hi = end, *mid, *ls, *le;
	struct dw_func *fn;

	/* Asked before: the same entries again (they are contiguous). */
	VEC_EACH(&f->found, i, fn) {
		if (strcmp(fn->name, name))
			continue;
		for (; i < f->found.n; i++) {
			fn = f->found.v[i];
			if (strcmp(fn->name, name))
				break;
			if (!file || dw_file_matches(fn->file, file))
				vec_push(out, fn);
		}
		return;
	}
	/* lo: a line start; the first line >= name is in [lo, hi]. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		for (ls = mid; ls > lo && ls[-1] != '\n'; ls--)
			;
		le = line_end(ls, end);
		if (index_cmp(ls, le, name) < 0)
			lo = le < end ? le + 1 : end;
		else
			hi = ls;
	}
	for (ls = lo; ls < end; ls = le + 1) {
		fn = xcalloc(1, sizeof(*fn));
		le = line_end(ls, end);
		if (index_cmp(ls, le, name) ||
		    !index_parse(xstrndup(ls, (size_t)(le - ls)), fn)) {
			free(fn);
			break;
		}
		vec_push(&f->found, fn);
		if (!file || dw_file_matches(fn->file, file))
			vec_push(out, fn);
	}
}

/* Maps the saved index at path; 0 if there is none. */
static int index_map(struct dw_file *f, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	void *m;

	if (fd < 0)
		return 0;
	if (fstat(fd, &st) < 0 || st.st_size <= 0) {
		close(fd);
		return 0;
	}
	m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return 0;
	f->index_map = m;
	f->index_len = (size_t)st.st_size;
	f->index_path = xstrdup(path);
	return 1;
}

static void index_save(struct dw_file *f, const char *path)
{
	struct strbuf b;
	char *tmp = xasprintf("%s.%d", path, (int)getpid());

	sb_init(&b);
	for (size_t i = 0; i < f->nfuncs; i++) {
		struct dw_func *fn = &f->funcs[i];

		sb_printf(&b, "%s %s %d %llx %llx\n", fn->name,
			  *fn->file ? fn->file : "-", fn->line,
			  (unsigned long long)fn->off,
			  (unsigned long long)fn->entry);
	}
	/* Written aside and renamed: a concurrent run reads all or none. */
	if (write_file(tmp, b.s, b.len) == 0)
		rename(tmp, path);
	unlink(tmp);
	free(tmp);
	sb_free(&b);
}

static void index_open(struct dw_file *f)
{
	double t0 = now_ms();
	/* "2.": indexes made before split (.cold) functions were
	 * indexed lack them; this name leaves those files unread. */
	char *path = dw_cache_path(f, "2.idx");

	if (!path || !index_map(f, path)) {
		index_build(f);
		f->funcs_loaded = 1;
		if (path)
			index_save(f, path);
	}
	free(path);
	index_ms = now_ms() - t0;
}

/*
 * A module's .ko is relocatable: its DWARF refers to its sections through
 * relocations, which libdwfl applies, laying the sections out from 0.
 * Function addresses are then only good relative to one another, which
 * is all a probe at symbol + offset needs.
 */
static Dwarf *open_relocatable(struct dw_file *f, int fd, const char *name)
{
	static const Dwfl_Callbacks cb = {
		.find_debuginfo = dwfl_standard_find_debuginfo,
		.section_address = dwfl_offline_section_address,
	};
	Dwfl_Module *m;
	Dwarf_Addr bias;
	Dwarf *dbg;

	f->dwfl = dwfl_begin(&cb);
	if (!f->dwfl)
		return NULL;
	m = dwfl_report_offline(f->dwfl, name, "", fd);
	dwfl_report_end(f->dwfl, NULL, NULL);
	dbg = m ? dwfl_module_getdwarf(m, &bias) : NULL;
	return dbg;
}

struct dw_file *dw_open(const char *release, const char *mod,
			const char **why)
{
	const char *name = mod ? mod : "kernel";
	struct dw_file *f;
	char *path;
	int fd;

	for (f = opened; f; f = f->next)
		if (same_modname(f->module, name))
			return f;
	path = debuginfo_path(release, mod);
	fd = path ? open(path, O_RDONLY) : -1;
	free(path);
	if (fd < 0) {
		*why = "no debuginfo installed (the linux-image-*-dbg package "
		       "of the kernel)";
		return NULL;
	}
	f = xcalloc(1, sizeof(*f));
	if (mod && strcmp(mod, "kernel"))
		f->dbg = open_relocatable(f, fd, name);
	else
		f->dbg = dwarf_begin(fd, DWARF_C_READ);
	if (!f->dbg) {
		*why = dwarf_errmsg(-1);
		close(fd);
		free(f);
		return NULL;
	}
	f->fd = fd;
	f->module = xstrdup(name);
	index_open(f);
	f->next = opened;
	opened = f;
	return f;
}

/* ---- lookups ---- */

int dw_file_matches(const char *file, const char *want)
{
	size_t n = strlen(file), m = strlen(want);

	if (!fnmatch(want, file, 0))
		return 1;
	return n > m && file[n - m - 1] == '/' && !strcmp(file + n - m, want);
}

void dw_functions(struct dw_file *f, const char *pattern, const char *file,
		  struct vec *out)
{
	size_t lo = 0, hi;
	int wild = strpbrk(pattern, "*?[") != NULL;

	if (!f->funcs_loaded) {
		if (!wild) {
			index_find(f, pattern, file, out);
			return;
		}
		index_load_all(f);
	}
	hi = f->nfuncs;
	/* A plain name: binary search to its first entry. */
	if (!wild) {
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;

			if (strcmp(f->funcs[mid].name, pattern) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		hi = f->nfuncs;
	}
	for (size_t i = lo; i < hi; i++) {
		struct dw_func *fn = &f->funcs[i];

		if (!wild && strcmp(fn->name, pattern))
			break;
		if (wild && fnmatch(pattern, fn->name, 0))
			continue;
		if (file && !dw_file_matches(fn->file, file))
			continue;
		vec_push(out, fn);
	}
}

Dwarf_Addr dw_line_addr(struct dw_file *f, const struct dw_func *fn,
			int *line)
{
	Dwarf_Die die, cu;
	Dwarf_Lines *lines;
	Dwarf_Addr lo = 0, hi = 0, best = 0;
	size_t n;
	int best_line = 0;

	if (!dwarf_offdie(f->dbg, fn->off, &die) ||
	    !dwarf_diecu(&die, &cu, NULL, NULL) ||
	    dwarf_getsrclines(&cu, &lines, &n) != 0)
		return 0;
	dwarf_lowpc(&die, &lo);
	dwarf_highpc(&die, &hi);
	for (size_t i = 0; i < n; i++) {
		Dwarf_Line *l = dwarf_onesrcline(lines, i);
		Dwarf_Addr a;
		bool stmt;
		int ln;

		if (dwarf_lineaddr(l, &a) || a < lo || a >= hi ||
		    dwarf_lineno(l, &ln) || dwarf_linebeginstatement(l, &stmt) ||
		    !stmt || ln < *line)
			continue;
		if (!dw_file_matches(short_file(dwarf_linesrc(l, NULL, NULL)),
				  fn->file))
			continue;
		/* The nearest line, then its lowest address. */
		if (!best || ln < best_line || (ln == best_line && a < best)) {
			best = a;
			best_line = ln;
		}
	}
	if (best)
		*line = best_line;
	return best;
}
