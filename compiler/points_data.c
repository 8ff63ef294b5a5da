/* points_data.c - kernel.data: hardware breakpoints (watchpoints) on a
 * kernel address or data symbol, hit on each write (.write) or on each
 * read or write (.rw) of length bytes there (runtime/kernel/rt_hwbkpt.h).
 *
 *   kernel.data(ADDRESS).write       kernel.data(ADDRESS).rw
 *   kernel.data(ADDRESS).length(LEN).write / .rw
 *   kernel.data("symbol").write      kernel.data("symbol").rw
 *
 * LEN is 1, 2, 4 or 8 (1 when not given), and the address a multiple of
 * it, as x86's debug registers require.  A symbol is looked up in the
 * release's System.map, which holds the data symbols the text-symbol
 * tables of ksyms.c leave out; the runtime adds the kernel's KASLR
 * offset to its address.  Pass 2's resolver and pass 3's fields of the
 * kind are both here (tr_kinds.c has its row).
 */
#include "points_int.h"
#include "elab.h"
#include "tr_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The symbol the runtime measures the KASLR offset by: a data symbol
 * every kernel exports, so the module can take its address. */
#define PT_DATA_REF "jiffies"

/* Whether path, a System.map, has name; its address in *addr. */
static int map_lookup(const char *path, const char *name, uint64_t *addr)
{
	FILE *f = fopen(path, "r");
	char line[512], sym[400], type;
	unsigned long long a;
	int found = 0;

	if (!f)
		return -1;
	while (!found && fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx %c %399s", &a, &type, sym) == 3 &&
		    !strcmp(sym, name)) {
			*addr = a;
			found = 1;
		}
	fclose(f);
	return found;
}

/* The link-time address of a kernel symbol: 1 found, 0 not, -1 when
 * the release has no System.map to tell. */
static int data_symbol(const char *release, const char *name, uint64_t *addr)
{
	char path[512];
	int r;

	snprintf(path, sizeof(path), "/usr/lib/debug/boot/System.map-%s",
		 release);
	r = map_lookup(path, name, addr);
	if (r < 0) {
		snprintf(path, sizeof(path), "/boot/System.map-%s", release);
		r = map_lookup(path, name, addr);
	}
	return r;
}

static struct loc comp_loc(const struct pt_req *r, int i)
{
	return ((const struct pp_component *)r->pp->comps.v[i])->loc;
}

/* The length of .length(LEN), or 1; 0 after an error. */
static int data_length(const struct pt_req *r)
{
	int64_t len = r->has[2] && r->pp->comps.n == 4 ? r->num[2] : 1;

	if (r->pp->comps.n == 4 && len != 1 && len != 2 && len != 4 &&
	    len != 8) {
		diag_error(DG_DATA_LENGTH,
			   comp_loc(r, 2), "the length of a kernel.data "
			   "watchpoint must be 1, 2, 4 or 8 bytes, not %" PRId64,
			   len);
		return 0;
	}
	return (int)len;
}

int pt_res_data(struct pt_req *r)
{
	const char *release = r->opt->release ? r->opt->release : "";
	const char *sym = r->str[1];
	uint64_t addr = (uint64_t)r->num[1], ref = 0;
	const struct pp_component *last = r->pp->comps.v[r->pp->comps.n - 1];
	struct concrete_point *cp;
	int len = data_length(r);

	if (!len)
		return 0;
	if (sym) {
		int found = data_symbol(release, sym, &addr);

		if (found <= 0) {
			diag_error(found < 0 ? DG_NO_SYSTEM_MAP :
				   DG_UNKNOWN_KERNEL_SYMBOL,
				   comp_loc(r, 1), found < 0 ?
				   "no System.map of %s to find '%s' in" :
				   "unknown kernel symbol '%s%s'",
				   found < 0 ? release : "", sym);
			return 0;
		}
		if (data_symbol(release, PT_DATA_REF, &ref) <= 0) {
			diag_error(DG_NO_SYSTEM_MAP,
				   comp_loc(r, 1), "no '" PT_DATA_REF "' in "
				   "the System.map of %s", release);
			return 0;
		}
	}
	if (addr % (uint64_t)len) {
		diag_error(DG_DATA_ALIGN,
			   comp_loc(r, 1), "address 0x%" PRIx64 " of a %d-byte "
			   "kernel.data watchpoint is not a multiple of %d",
			   addr, len, len);
		return 0;
	}
	cp = pt_add(r, PP_HWBKPT, NULL);
	cp->symbol = sym ? xstrdup(sym) : NULL;
	cp->addr = addr;
	cp->data_ref = ref;
	cp->data_len = len;
	cp->data_rw = !strcmp(last->name, "rw");
	return 1;
}

/* Pass 3: the watchpoint's fields of struct rt_probe. */
void tr_fields_hwbkpt(const struct concrete_point *cp, struct strbuf *out)
{
	sb_printf(out, "\t  .addr = 0x%" PRIx64 "ULL,\n", cp->addr);
	if (cp->data_ref)
		sb_printf(out, "\t  .data_ref = 0x%" PRIx64 "ULL,"
			  "\t/* " PT_DATA_REF " in System.map */\n",
			  cp->data_ref);
	sb_printf(out, "\t  .data_len = %d,\n", cp->data_len);
	if (cp->data_rw)
		sb_puts(out, "\t  .data_rw = true,\n");
}
