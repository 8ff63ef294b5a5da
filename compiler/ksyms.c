/* ksyms.c - kernel text symbols of a release. */
#include "ksyms.h"
#include "util.h"

#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

static char **syms;
static size_t nsyms;
static int loaded = -1;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads "address type name [module]" lines, keeping text symbols. */
static int read_map(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512], name[256], type;
	size_t cap = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %c %255s", &type, name) != 2)
			continue;
		if (type != 't' && type != 'T')
			continue;
		if (nsyms == cap) {
			cap = cap ? cap * 2 : 65536;
			syms = xrealloc(syms, cap * sizeof(*syms));
		}
		syms[nsyms++] = xstrdup(name);
	}
	fclose(f);
	qsort(syms, nsyms, sizeof(*syms), cmp_str);
	/* Debian's /boot/System.map is a one-line placeholder. */
	return nsyms > 1000;
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
	return loaded;
}

int ksyms_known(void)
{
	return loaded > 0;
}

int ksyms_has(const char *name)
{
	return bsearch(&name, syms, nsyms, sizeof(*syms), cmp_str) != NULL;
}

int edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int *row = xcalloc(lb + 1, sizeof(int)), d;

	for (size_t j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		int diag = row[0];

		row[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int up = row[j];
			int best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	d = row[lb];
	free(row);
	return d;
}

const char *ksyms_suggest(const char *name)
{
	const char *best = NULL;
	int best_d = (int)strlen(name) / 3 + 1;
	size_t len = strlen(name);

	for (size_t i = 0; i < nsyms; i++) {
		size_t l = strlen(syms[i]);
		int d;

		/* Cheap filter before the quadratic distance. */
		if (l + (size_t)best_d < len || len + (size_t)best_d < l)
			continue;
		d = edit_distance(name, syms[i]);
		if (d < best_d) {
			best_d = d;
			best = syms[i];
		}
	}
	return best;
}
