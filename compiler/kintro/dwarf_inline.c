/* dwarf_inline.c - the inline instances of functions: every
 * DW_TAG_inlined_subroutine of every CU, by the name of the function
 * inlined there.
 *
 * vmlinux has ~300 000 of them, so the first use on a debuginfo file walks
 * every function's DIE tree once (~2 s) and saves a text file next to the
 * name index, $XDG_CACHE_HOME/tapc/dwarf-BUILDID.inl, one instance a line,
 * sorted by name:
 *
 *   name file line instance-DIE entry caller-DIE     (numbers in hex)
 *
 * Later runs map the file and find a plain name by binary search on the
 * text itself, parsing only the lines that match; a wildcard scans it.
 */
#include "dwarfinfo.h"

#include <dwarf.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* The loaded index of one file; a list, as dw_open keeps several. */
struct inl_index {
	struct dw_file *f;
	const char *text;		/* the sorted lines */
	size_t len;
	struct inl_index *next;
};

static struct inl_index *indexes;

static const char *short_file(const char *file)
{
	if (!file)
		return "";
	while (!strncmp(file, "./", 2))
		file += 2;
	return file;
}

/* ---- building ---- */

/* The address an instance starts at: DW_AT_entry_pc or DW_AT_low_pc,
 * else the lowest of its ranges. */
static int inst_entry(Dwarf_Die *d, Dwarf_Addr *entry)
{
	Dwarf_Addr base, lo, hi, best = 0;
	ptrdiff_t off = 0;

	if (dwarf_entrypc(d, entry) == 0)
		return 1;
	while ((off = dwarf_ranges(d, off, &base, &lo, &hi)) > 0)
		if (!best || lo < best)
			best = lo;
	*entry = best;
	return best != 0;
}

static void add_line(struct strbuf *b, Dwarf_Die *inst, Dwarf_Addr entry,
		     Dwarf_Off caller)
{
	Dwarf_Attribute a;
	const char *name, *file;
	int line = 0;

	name = dwarf_formstring(dwarf_attr_integrate(inst, DW_AT_name, &a));
	if (!name)
		return;
	file = short_file(dwarf_decl_file(inst));
	dwarf_decl_line(inst, &line);
	sb_printf(b, "%s %s %x %llx %llx %llx\n", name, *file ? file : "-",
		  line, (unsigned long long)dwarf_dieoffset(inst),
		  (unsigned long long)entry, (unsigned long long)caller);
}

/* Every instance under scope, nested ones too. */
static void walk(Dwarf_Die *scope, Dwarf_Off caller, int is_module,
		 struct strbuf *b, int depth)
{
	Dwarf_Die d;
	Dwarf_Addr entry;

	if (depth > 64 || dwarf_child(scope, &d) != 0)
		return;
	do {
		int tag = dwarf_tag(&d);

		if (tag == DW_TAG_inlined_subroutine && inst_entry(&d, &entry) &&
		    (entry || is_module))
			add_line(b, &d, entry, caller);
		if (tag == DW_TAG_inlined_subroutine ||
		    tag == DW_TAG_lexical_block)
			walk(&d, caller, is_module, b, depth + 1);
	} while (dwarf_siblingof(&d, &d) == 0);
}

static void walk_cu(Dwarf_Die *cu, int is_module, struct strbuf *b)
{
	Dwarf_Die d;

	if (dwarf_child(cu, &d) != 0)
		return;
	do {
		/* Abstract (DW_AT_inline) and declared-only functions have
		 * no code: their instances are in the concrete ones. */
		if (dwarf_tag(&d) == DW_TAG_subprogram &&
		    !dwarf_hasattr(&d, DW_AT_inline) &&
		    !dwarf_hasattr(&d, DW_AT_declaration))
			walk(&d, dwarf_dieoffset(&d), is_module, b, 0);
	} while (dwarf_siblingof(&d, &d) == 0);
}

static int cmp_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts the lines of b in place (by name: the text up to the space
 * sorts first, and ' ' is below every name character). */
static void sort_lines(struct strbuf *b, struct strbuf *out)
{
	struct vec lines = {0};
	char *p, *nl;

	for (p = b->s; p < b->s + b->len; p = nl + 1) {
		nl = strchr(p, '\n');
		*nl = '\0';
		vec_push(&lines, p);
	}
	if (lines.n)
		qsort(lines.v, (size_t)lines.n, sizeof(char *), cmp_line);
	sb_init(out);
	for (int i = 0; i < lines.n; i++)
		sb_printf(out, "%s\n", (char *)lines.v[i]);
	free(lines.v);
}

static void build(struct inl_index *x, const char *path)
{
	Dwarf *dbg = dw_dwarf(x->f);
	int is_module = strcmp(dw_module(x->f), "kernel") != 0;
	Dwarf_Off off = 0, next;
	size_t hsize;
	Dwarf_Die cu;
	struct strbuf raw, sorted;

	sb_init(&raw);
	while (dwarf_nextcu(dbg, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		if (dwarf_offdie(dbg, off + hsize, &cu))
			walk_cu(&cu, is_module, &raw);
		off = next;
	}
	sort_lines(&raw, &sorted);
	sb_free(&raw);
	if (path) {
		/* Written aside and renamed, as the name index. */
		char *tmp = xasprintf("%s.%d", path, (int)getpid());

		if (write_file(tmp, sorted.s, sorted.len) == 0)
			rename(tmp, path);
		unlink(tmp);
		free(tmp);
	}
	x->len = sorted.len;
	x->text = sb_take(&sorted);
}

/* Maps the saved index: a lookup by name touches only the pages its
 * binary search reads, not the whole 25 MB.  The file is replaced by
 * rename, never rewritten, so the mapping stays valid. */
static int map_file(struct inl_index *x, const char *path)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	void *m;

	if (fd < 0)
		return 0;
	if (fstat(fd, &st) || st.st_size <= 0 ||
	    (m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd,
		      0)) == MAP_FAILED) {
		close(fd);
		return 0;
	}
	close(fd);
	x->text = m;
	x->len = (size_t)st.st_size;
	/* Every line ends in '\n', so the scans stop inside the map. */
	return x->text[x->len - 1] == '\n';
}

static struct inl_index *index_of(struct dw_file *f)
{
	struct inl_index *x;
	char *path;

	for (x = indexes; x; x = x->next)
		if (x->f == f)
			return x;
	x = xcalloc(1, sizeof(*x));
	x->f = f;
	path = dw_cache_path(f, "inl");
	if (!path || !map_file(x, path))
		build(x, path);
	free(path);
	x->next = indexes;
	indexes = x;
	return x;
}

/* ---- lookups ---- */

static const char *line_start(const struct inl_index *x, size_t at)
{
	while (at > 0 && x->text[at - 1] != '\n')
		at--;
	return x->text + at;
}

/* strcmp of the line's name (up to its space) with name. */
static int cmp_name(const char *line, const char *name)
{
	size_t n = strcspn(line, " \n");
	int c = strncmp(line, name, n);

	if (c)
		return c;
	return name[n] ? -1 : 0;
}

/* The first line whose name is name, or NULL: a binary search over the
 * bytes, each probe backed up to the start of its line. */
static const char *find_first(const struct inl_index *x, const char *name)
{
	size_t lo = 0, hi = x->len;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *l = line_start(x, mid);

		if (cmp_name(l, name) < 0)
			lo = (size_t)(strchr(l, '\n') - x->text) + 1;
		else
			hi = (size_t)(l - x->text);
	}
	if (lo >= x->len || cmp_name(x->text + lo, name))
		return NULL;
	return x->text + lo;
}

/* One line, copied out: sscanf() would strlen() the whole rest of the
 * 25 MB text for every line it parses. */
static int copy_line(const char *l, char *buf, size_t size)
{
	size_t n = strcspn(l, "\n");

	if (n >= size)
		return 0;
	memcpy(buf, l, n);
	buf[n] = '\0';
	return 1;
}

static struct dw_inline *parse_line(const char *text)
{
	char l[1100], name[512], file[512];
	unsigned long long off, entry, caller;
	unsigned int line;
	struct dw_inline *in;

	if (!copy_line(text, l, sizeof(l)) ||
	    sscanf(l, "%511s %511s %x %llx %llx %llx", name, file, &line,
		   &off, &entry, &caller) != 6)
		return NULL;
	in = xcalloc(1, sizeof(*in));
	in->name = xstrdup(name);
	in->file = xstrdup(strcmp(file, "-") ? file : "");
	in->line = (int)line;
	in->off = off;
	in->entry = entry;
	in->caller = caller;
	return in;
}

static void take(const char *l, const char *file, struct vec *out)
{
	struct dw_inline *in = parse_line(l);

	if (!in)
		return;
	if (file && !dw_file_matches(in->file, file)) {
		free(in->name);
		free(in->file);
		free(in);
		return;
	}
	vec_push(out, in);
}

void dw_inlines(struct dw_file *f, const char *pattern, const char *file,
		struct vec *out)
{
	struct inl_index *x = index_of(f);
	int wild = strpbrk(pattern, "*?[") != NULL;
	const char *l, *end = x->text + x->len;
	char name[512];

	l = wild ? x->text : find_first(x, pattern);
	for (; l && l < end; l = strchr(l, '\n') + 1) {
		if (!wild) {
			if (cmp_name(l, pattern))
				break;
			take(l, file, out);
			continue;
		}
		size_t n = strcspn(l, " \n");

		if (n >= sizeof(name))
			continue;
		memcpy(name, l, n);
		name[n] = '\0';
		if (!fnmatch(pattern, name, 0))
			take(l, file, out);
	}
}

void dw_inlines_free(struct vec *v)
{
	struct dw_inline *in;

	VEC_EACH(v, i, in) {
		free(in->name);
		free(in->file);
		free(in);
	}
	free(v->v);
	*v = (struct vec){0};
}
