/* points_procfs.c - procfs probes: files the module makes under
 * /proc/systemtap/MODULE (runtime/kernel/rt_procfs.h).  A read of the
 * file runs the .read probe, whose $value becomes what the reader gets;
 * a write runs the .write probe with what was written in $value.
 *
 *   procfs.read   procfs("NAME").read   procfs("NAME").write ...
 *   ... .umask(UMASK).read|write        ... .read.maxsize(MAXSIZE)
 *
 * NAME defaults to "command".  The file's mode is 0400 for a read probe,
 * 0200 for a write probe (0600 for both), less UMASK's bits: the runtime
 * combines the probes on one file.  MAXSIZE is the bytes a read probe
 * may give (default MAXSTRINGLEN).  Pass 2 rewrites $value into calls of
 * tapset/procfs.stp (elab_procfs.c); pass 3's fields are here.
 */
#include "points_int.h"
#include "elab.h"
#include "tr_int.h"

#include <inttypes.h>
#include <string.h>

#define PT_PROCFS_DEFAULT "command"

static const struct pp_component *comp(const struct pt_req *r, int i)
{
	return r->pp->comps.v[i];
}

/* The index of the component called name, or -1. */
static int comp_named(const struct pt_req *r, const char *name)
{
	for (int i = 0; i < r->pp->comps.n; i++)
		if (!strcmp(comp(r, i)->name, name))
			return i;
	return -1;
}

/* A file name the kernel's proc_create() takes as one entry. */
static int bad_name(const char *name)
{
	return !*name || strchr(name, '/') || !strcmp(name, ".") ||
	       !strcmp(name, "..") || !strcmp(name, "__stdin");
}

int pt_res_procfs(struct pt_req *r)
{
	const char *name = r->str[0] ? r->str[0] : PT_PROCFS_DEFAULT;
	int um = comp_named(r, "umask"), ms = comp_named(r, "maxsize");
	struct concrete_point *cp;

	if (bad_name(name)) {
		diag_error(DG_PROCFS_NAME, comp(r, 0)->loc, "'%s' is not a procfs file name "
			   "(one name, no '/', not \"__stdin\")", name);
		return 0;
	}
	if (um >= 0 && (r->num[um] < 0 || r->num[um] > 0777)) {
		diag_error(DG_PROCFS_UMASK, comp(r, um)->loc, "procfs umask %#" PRIo64 " is not "
			   "between 0 and 0777", r->num[um]);
		return 0;
	}
	if (ms >= 0 && (r->num[ms] <= 0 || r->num[ms] > (1 << 20))) {
		diag_error(DG_PROCFS_MAXSIZE, comp(r, ms)->loc, "procfs maxsize %" PRId64 " is "
			   "not between 1 and 1048576 bytes", r->num[ms]);
		return 0;
	}
	cp = pt_add(r, PP_PROCFS, r->str[0] ? NULL : pt_text(r, 0, name));
	cp->procfs_name = xstrdup(name);
	cp->procfs_write = comp_named(r, "write") >= 0;
	cp->procfs_umask = um >= 0 ? (int)r->num[um] : -1;
	cp->procfs_maxsize = ms >= 0 ? r->num[ms] : 0;
	return 1;
}

/* Pass 3: the file's fields of struct rt_probe. */
void tr_fields_procfs(const struct concrete_point *cp, struct strbuf *out)
{
	tr_field_str(out, "procfs_name", cp->procfs_name);
	if (cp->procfs_write)
		sb_puts(out, "\t  .procfs_write = true,\n");
	if (cp->procfs_umask >= 0)
		sb_printf(out, "\t  .procfs_umask = 0%o,\n",
			  (unsigned)cp->procfs_umask);
	tr_field_num(out, "procfs_maxsize", (uint64_t)cp->procfs_maxsize);
}
