/* ksyms.c - kernel text symbols of a release. */
#include "ksyms.h"
#include "util.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

struct ksym {
	char *name;
	uint64_t addr;
	uint64_t prefix;	/* name's first 8 bytes, big-endian: compares
				 * as the name does (sym_prefix) */
};

static struct ksym *syms;		/* text symbols, sorted by name */
static size_t nsyms;
static int loaded = -1;

/* The section boundaries the kernel refuses kprobes in, by their start
 * and end symbols (kernel/kprobes.c and arch/x86/kernel/kprobes). */
static struct area {
	const char *start, *end, *why;
	uint64_t lo, hi;
} areas[] = {
	{ "__kprobes_text_start", "__kprobes_text_end",
	  "it is in .kprobes.text (__kprobes)", 0, 0 },
	{ "__entry_text_start", "__entry_text_end",
	  "it is in .entry.text (low-level entry code)", 0, 0 },
	{ "__irqentry_text_start", "__irqentry_text_end",
	  "it is in .irqentry.text (interrupt entry code)", 0, 0 },
	{ "__softirqentry_text_start", "__softirqentry_text_end",
	  "it is in .softirqentry.text", 0, 0 },
	{ "__noinstr_text_start", "__noinstr_text_end",
	  "it is in .noinstr.text (noinstr)", 0, 0 },
	{ "_sinittext", "_einittext",
	  "it is in .init.text (freed after boot)", 0, 0 },
};
static uint64_t bl_start, bl_stop;	/* _kprobe_blacklist */
static uint64_t *blacklist;
static size_t nblacklist;
/* __jump_table and static_call_sites bounds, then the code they patch */
static uint64_t patch_tables[4];
static struct ksym_range *patched;	/* read on use: ksyms_patched() */
static size_t npatched;
static char *map_release;		/* the release the map is of */

/* A name's first 8 bytes as a big-endian number, zero-padded: the
 * numbers compare as the prefixes do, so one integer compare settles
 * most pairs of names (cmp_sym, sort_syms). */
static uint64_t sym_prefix(const char *name)
{
	uint64_t v = 0;
	int i = 0;

	for (; i < 8 && name[i]; i++)
		v = v << 8 | (unsigned char)name[i];
	return v << (8 * (8 - i));
}

/* Data symbols kept for tracepoints: __tracepoint_NAME and event_NAME. */
static struct ksym *tsyms;
static size_t ntsyms, ctsyms;

static void keep_trace_sym(char *name, uint64_t addr)
{
	if (strncmp(name, "__tracepoint_", 13) && strncmp(name, "event_", 6))
		return;
	if (ntsyms == ctsyms) {
		ctsyms = ctsyms ? ctsyms * 2 : 4096;
		tsyms = xrealloc(tsyms, ctsyms * sizeof(*tsyms));
	}
	tsyms[ntsyms].name = name;
	tsyms[ntsyms].prefix = sym_prefix(name);
	tsyms[ntsyms++].addr = addr;
}

static int cmp_sym(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;
	int c;

	if (x->prefix != y->prefix)
		return x->prefix < y->prefix ? -1 : 1;
	/* Equal prefixes: the names are equal if they end within them. */
	c = (x->prefix & 0xff) ? strcmp(x->name + 8, y->name + 8) : 0;
	if (c)
		return c;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/*
 * Sorts v as cmp_sym() orders it: a radix sort on the 8-byte prefixes
 * (one pass per byte that differs), then qsort() of each run of equal
 * prefixes.  qsort() of the whole map was half of a -p2 run.
 */
static void sort_syms(struct ksym *v, size_t n)
{
	struct ksym *tmp, *src = v, *dst, *t;
	size_t count[256], i, run, sum, c;

	if (n < 2)
		return;
	tmp = xmalloc(n * sizeof(*tmp));
	dst = tmp;
	for (int shift = 0; shift < 64; shift += 8) {
		memset(count, 0, sizeof(count));
		for (i = 0; i < n; i++)
			count[src[i].prefix >> shift & 0xff]++;
		if (count[src[0].prefix >> shift & 0xff] == n)
			continue;	/* one value: the pass changes nothing */
		for (i = 0, sum = 0; i < 256; i++) {
			c = count[i];
			count[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			dst[count[src[i].prefix >> shift & 0xff]++] = src[i];
		t = src;
		src = dst;
		dst = t;
	}
	if (src != v)
		memcpy(v, src, n * sizeof(*v));
	free(tmp);
	for (i = 0; i < n; i = run) {
		for (run = i + 1; run < n && v[run].prefix == v[i].prefix; run++)
			;
		if (run - i > 1)
			qsort(v + i, run - i, sizeof(*v), cmp_sym);
	}
}

static void note_marker(const char *name, uint64_t addr)
{
	for (size_t i = 0; i < sizeof(areas) / sizeof(areas[0]); i++) {
		if (!strcmp(name, areas[i].start))
			areas[i].lo = addr;
		if (!strcmp(name, areas[i].end))
			areas[i].hi = addr;
	}
	if (!strcmp(name, "__start_kprobe_blacklist"))
		bl_start = addr;
	if (!strcmp(name, "__stop_kprobe_blacklist"))
		bl_stop = addr;
	if (!strcmp(name, "__start___jump_table"))
		patch_tables[0] = addr;
	if (!strcmp(name, "__stop___jump_table"))
		patch_tables[1] = addr;
	if (!strcmp(name, "__start_static_call_sites"))
		patch_tables[2] = addr;
	if (!strcmp(name, "__stop_static_call_sites"))
		patch_tables[3] = addr;
}

/*
 * Cuts the line at *p ("address type name", kallsyms adding "\t[module]")
 * in place, moves *p past it and returns its name, NUL-terminated in the
 * text, or NULL if the line is not of that form.  Written by hand: the
 * map has ~90,000 lines, and sscanf() was most of a -p2 run.
 */
static char *map_line(char **p, uint64_t *addr, char *type)
{
	char *end = strchr(*p, '\n'), *name;
	const char *s = *p;
	int digits;

	if (end) {
		*end = '\0';
		*p = end + 1;
	} else {
		*p += strlen(*p);
	}
	*addr = scan_hex(&s, &digits);
	if (!digits || s[0] != ' ' || !s[1] || s[2] != ' ' || !s[3])
		return NULL;
	*type = s[1];
	name = (char *)s + 3;
	name[strcspn(name, " \t")] = '\0';
	return name;
}

/*
 * Reads the map whole and keeps its text symbols (and the tracepoints'
 * data symbols), whose names point into the text: it stays, reachable
 * from map_text, as long as tapc runs.
 */
static char *map_text;

static int read_map(const char *path)
{
	char *p, *name, type;
	uint64_t addr;
	size_t cap = 0;

	if (read_file(path, &map_text, NULL) < 0)
		return 0;
	for (p = map_text; *p; ) {
		name = map_line(&p, &addr, &type);
		if (!name)
			continue;
		if (name[0] == '_')
			note_marker(name, addr);
		if (type == 'd' || type == 'D')
			keep_trace_sym(name, addr);
		if ((type != 't' && type != 'T') || ksyms_is_padding(name))
			continue;
		if (nsyms == cap) {
			cap = cap ? cap * 2 : 65536;
			syms = xrealloc(syms, cap * sizeof(*syms));
		}
		syms[nsyms].name = name;
		syms[nsyms].prefix = sym_prefix(name);
		syms[nsyms++].addr = addr;
	}
	/* Debian's /boot/System.map is a one-line placeholder. */
	if (nsyms <= 1000) {
		nsyms = ntsyms = 0;
		free(map_text);
		map_text = NULL;
		return 0;
	}
	sort_syms(syms, nsyms);
	sort_syms(tsyms, ntsyms);
	return 1;
}

int ksyms_is_padding(const char *name)
{
	return !strncmp(name, "__pfx_", 6) || !strncmp(name, "__cfi_", 6);
}

int ksyms_load(const char *release)
{
	struct utsname u;
	char path[512];

	if (loaded >= 0)
		return loaded;
	snprintf(path, sizeof(path), "/usr/lib/debug/boot/System.map-%s",
		 release);
	loaded = read_map(path);
	if (!loaded) {
		snprintf(path, sizeof(path), "/boot/System.map-%s", release);
		loaded = read_map(path);
	}
	if (!loaded && uname(&u) == 0 && !strcmp(u.release, release))
		loaded = read_map("/proc/kallsyms");
	if (loaded) {
		nblacklist = ksyms_read_blacklist(release, bl_start, bl_stop,
						  &blacklist);
		map_release = xstrdup(release);
	}
	return loaded;
}

int ksyms_known(void)
{
	return loaded > 0;
}

static const struct ksym *find(const char *name)
{
	size_t lo = 0, hi = nsyms;

	/* The first entry of that name: the array is sorted by name. */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (strcmp(syms[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < nsyms && !strcmp(syms[lo].name, name) ? &syms[lo] : NULL;
}

int ksyms_has(const char *name)
{
	return find(name) != NULL;
}

uint64_t ksyms_addr(const char *name)
{
	const struct ksym *k = find(name);

	return k ? k->addr : 0;
}

static const struct ksym **by_addr;	/* syms by address, made on use */

static int cmp_addr(const void *a, const void *b)
{
	const struct ksym *x = *(const struct ksym *const *)a;
	const struct ksym *y = *(const struct ksym *const *)b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

const char *ksyms_at(uint64_t addr, uint64_t *off, int *unique)
{
	size_t lo = 0, hi = nsyms;
	const struct ksym *k;

	if (!nsyms)
		return NULL;
	if (!by_addr) {
		by_addr = xcalloc(nsyms, sizeof(*by_addr));
		for (size_t i = 0; i < nsyms; i++)
			by_addr[i] = &syms[i];
		qsort(by_addr, nsyms, sizeof(*by_addr), cmp_addr);
	}
	/* The last symbol at or below addr. */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (by_addr[mid]->addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	k = by_addr[lo - 1];
	*off = addr - k->addr;
	*unique = (k == syms || strcmp(k[-1].name, k->name)) &&
		  (k + 1 == syms + nsyms || strcmp(k[1].name, k->name));
	return k->name;
}

void ksyms_match(const char *pattern, struct vec *out)
{
	int clones = strchr(pattern, '.') != NULL;
	const struct ksym *k;

	/* A plain name (every syscall.* alias's point) is one lookup, not
	 * a walk over the whole map. */
	if (!strpbrk(pattern, "*?[\\")) {
		if ((k = find(pattern)))
			vec_push(out, k->name);
		return;
	}
	for (size_t i = 0; i < nsyms; i++) {
		if (i && !strcmp(syms[i].name, syms[i - 1].name))
			continue;
		if (!clones && strchr(syms[i].name, '.'))
			continue;
		if (!fnmatch(pattern, syms[i].name, 0))
			vec_push(out, syms[i].name);
	}
}

static uint64_t trace_sym(const char *prefix, const char *name)
{
	char *full = xasprintf("%s%s", prefix, name);
	size_t lo = 0, hi = ntsyms;
	uint64_t addr = 0;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(tsyms[mid].name, full);

		if (!c) {
			addr = tsyms[mid].addr;
			break;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	free(full);
	return addr;
}

void ksyms_tracepoints(const char *release, struct vec *names,
		       struct vec *systems)
{
	static struct vec tp_names, tp_systems;
	static int done;

	if (!done) {
		done = 1;
		for (size_t i = 0; i < ntsyms; i++) {
			const char *n = tsyms[i].name + 13;

			if (strncmp(tsyms[i].name, "__tracepoint_", 13))
				continue;
			vec_push(&tp_names, (char *)n);
			vec_push(&tp_systems, (void *)ksyms_trace_system(release,
					trace_sym("event_", n)));
		}
	}
	*names = tp_names;
	*systems = tp_systems;
}

static int blacklisted(uint64_t addr)
{
	size_t lo = 0, hi = nblacklist;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (blacklist[mid] == addr)
			return 1;
		if (blacklist[mid] < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

int ksyms_patched(uint64_t addr)
{
	static int read;
	size_t lo, hi;

	/* Read on first use: only statement and inline points ask, and
	 * the tables have ~30,000 entries. */
	if (!read && map_release) {
		read = 1;
		npatched = ksyms_read_patched(map_release, patch_tables,
					      &patched);
	}
	lo = 0;
	hi = npatched;

	/* the last range starting at or below addr (they do not overlap) */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (patched[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && addr < patched[lo - 1].end;
}

/* Why the kernel refuses the copies of name itself, or NULL. */
static const char *refused_copies(const char *name)
{
	const struct ksym *k = find(name);

	/* Every copy of a name counts: the kernel probes the first. */
	for (; k && k < syms + nsyms && !strcmp(k->name, name); k++) {
		if (blacklisted(k->addr))
			return "it is in the kernel's kprobe blacklist "
			       "(NOKPROBE_SYMBOL)";
		for (size_t i = 0; i < sizeof(areas) / sizeof(areas[0]); i++)
			if (k->addr >= areas[i].lo && k->addr < areas[i].hi)
				return areas[i].why;
	}
	return NULL;
}

/*
 * A compiler-made copy (nmi_handle.part.0, foo.isra.0.cold) is refused
 * when the function it was made from is blacklisted: the kernel cuts a
 * symbol's name at its first '.' and looks the rest up in its blacklist
 * too (within_kprobe_blacklist() in kernel/kprobes.c).
 */
const char *ksyms_refused(const char *name)
{
	static char why[sizeof("it is a copy of , which is in the kernel's kprobe blacklist (NOKPROBE_SYMBOL)") + 256];
	const char *dot = strchr(name, '.'), *own;
	const struct ksym *k;
	char base[256];

	if (!find(name))
		return NULL;
	if ((own = refused_copies(name)))
		return own;
	if (!dot || dot == name || (size_t)(dot - name) >= sizeof(base))
		return NULL;
	memcpy(base, name, dot - name);
	base[dot - name] = 0;
	if (!(k = find(base)) || !blacklisted(k->addr))
		return NULL;
	snprintf(why, sizeof(why), "it is a copy of %s, which is in the "
		 "kernel's kprobe blacklist (NOKPROBE_SYMBOL)", base);
	return why;
}

const char *ksyms_suggest(const char *name)
{
	struct suggest s;

	suggest_init(&s, name);
	for (size_t i = 0; i < nsyms; i++)
		suggest_try(&s, syms[i].name);
	return s.best;
}
