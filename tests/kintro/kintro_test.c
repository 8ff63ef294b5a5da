/*
 * kintro_test.c - the kernel-introspection library (compiler/kintro/) on
 * its own, linked with nothing of tapc but build/libkintro.a and util.o.
 *
 *   kintro_test RELEASE
 *
 * On the release's installed -dbg vmlinux: known symbols' addresses
 * (ksyms_addr, ksyms_at, the DWARF index's dw_functions) and a known
 * function's parameters with their types (dw_vars, dw_type_name), the
 * addresses checked against the debug System.map, read here with plain
 * sscanf (not ksyms' own reader).  Prints PASS/FAIL lines and
 * "N passed, N failed".
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kintro/dwarfinfo.h"
#include "kintro/ksyms.h"

static int passed, failed;

static void check(int ok, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void check(int ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		passed++;
		printf("PASS kintro/%s\n", name);
		return;
	}
	failed++;
	printf("FAIL kintro/%s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* The address of text symbol name in the debug System.map, or 0. */
static uint64_t map_addr(const char *release, const char *name)
{
	char path[256], line[512], sym[256], type;
	uint64_t addr, found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/usr/lib/debug/boot/System.map-%s",
		 release);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f))
		if (sscanf(line, "%" SCNx64 " %c %255s", &addr, &type, sym) == 3 &&
		    (type == 'T' || type == 't') && !strcmp(sym, name))
			found = addr;
	fclose(f);
	return found;
}

/* ksyms: the address of name, and the symbol holding an address in it. */
static void test_ksyms(const char *release, const char *name)
{
	uint64_t want = map_addr(release, name), got, off = 0;
	const char *at;
	int unique = 0;
	char test[128];

	snprintf(test, sizeof(test), "ksyms-addr-%s", name);
	got = ksyms_addr(name);
	check(want && got == want, test, "0x%" PRIx64 ", System.map 0x%" PRIx64,
	      got, want);
	snprintf(test, sizeof(test), "ksyms-at-%s", name);
	at = ksyms_at(want + 4, &off, &unique);
	check(at && !strcmp(at, name) && off == 4, test, "%s+%" PRIu64,
	      at ? at : "(none)", off);
}

/* The DWARF index: the function's entry is its System.map address. */
static struct dw_func *test_func(struct dw_file *f, const char *release,
				 const char *name)
{
	uint64_t want = map_addr(release, name);
	struct vec fns = {0};
	struct dw_func *fn = NULL;
	char test[128];

	dw_functions(f, name, NULL, &fns);
	if (fns.n)
		fn = fns.v[0];
	snprintf(test, sizeof(test), "dwarf-entry-%s", name);
	check(fns.n == 1 && fn->entry == want, test,
	      "%d definitions, entry 0x%" PRIx64 ", System.map 0x%" PRIx64,
	      fns.n, fn ? (uint64_t)fn->entry : 0, want);
	free(fns.v);
	return fns.n == 1 ? fn : NULL;
}

/* Its parameters at its entry, "name:type" each, space separated. */
static void test_params(struct dw_file *f, const struct dw_func *fn,
			const char *want)
{
	Dwarf_Die die, *d, type;
	struct vec vars = {0};
	struct strbuf b;

	sb_init(&b);
	if (fn && dwarf_offdie(dw_dwarf(f), fn->off, &die))
		dw_vars(&die, fn->entry, 1, &vars);
	VEC_EACH(&vars, i, d) {
		char *tn = dw_type_of(d, &type) ? dw_type_name(&type)
						 : xstrdup("void");

		sb_printf(&b, "%s%s:%s", i ? " " : "", dwarf_diename(d), tn);
		free(tn);
		free(d);
	}
	free(vars.v);
	check(!strcmp(b.s, want), "dwarf-params", "'%s', expected '%s'", b.s,
	      want);
	sb_free(&b);
}

int main(int argc, char **argv)
{
	const char *release, *why = NULL;
	struct dw_file *f;

	if (argc != 2) {
		fprintf(stderr, "usage: kintro_test RELEASE\n");
		return 2;
	}
	release = argv[1];
	check(ksyms_load(release) && ksyms_known(), "ksyms-load",
	      "no symbols for %s", release);
	test_ksyms(release, "vfs_read");
	test_ksyms(release, "do_exit");
	f = dw_open(release, NULL, &why);
	check(f != NULL, "dwarf-open", "%s", why ? why : "?");
	if (f) {
		test_func(f, release, "do_exit");
		test_params(f, test_func(f, release, "vfs_read"),
			    "file:struct file* buf:char* count:size_t "
			    "pos:loff_t*");
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
