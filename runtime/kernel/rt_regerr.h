/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rt_regerr.h - the kernel's reason for refusing a probe, from the error
 * number register_kprobe() and the other registration calls return.
 *
 * The compiler refuses what it knows the kernel refuses (the kprobe
 * blacklist, entry and noinstr text); what it misses the kernel refuses
 * at registration with only an errno, so the message gives its name and
 * what it means for a probe.
 */
#ifndef RT_REGERR_H
#define RT_REGERR_H

#ifndef ENOTSUPP
#define ENOTSUPP 524	/* kernel-internal, include/linux/errno.h */
#endif

struct rt_regerr {
	int err;
	const char *what;
};

static const struct rt_regerr rt_regerrs[] = {
	{ EINVAL, "EINVAL: the kernel refuses to probe this address" },
	{ EILSEQ, "EILSEQ: not at an instruction boundary" },
	{ ENOENT, "ENOENT: no such symbol, or no code at that address, in the running kernel" },
	{ EEXIST, "EEXIST: already probed in a way that excludes this one" },
	{ EBUSY, "EBUSY: the address is in use (ftrace or another probe)" },
	{ ENOMEM, "ENOMEM: out of memory" },
	{ ENOSPC, "ENOSPC: no room left for the probe" },
	{ ENODEV, "ENODEV: no such device or event" },
	{ EOPNOTSUPP, "EOPNOTSUPP: not supported by this kernel" },
	{ ENOTSUPP, "ENOTSUPP: not supported by this kernel" },
	{ EACCES, "EACCES: not permitted" },
	{ EPERM, "EPERM: not permitted" },
};

/* The reason for a negative errno, or "" for one not in the table. */
static const char *rt_regerr_what(int err)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rt_regerrs); i++)
		if (rt_regerrs[i].err == -err)
			return rt_regerrs[i].what;
	return "";
}

/*
 * Says that the kernel refused probe p with err: a WARNING when p may be
 * left out (a wildcard's or an optional point, or a module probe armed
 * late, after the session began), else an ERROR.
 */
static void rt_regerr_report(const struct rt_probe *p, int err, bool warn)
{
	const char *what = rt_regerr_what(err);

	/* perf_event_create_kernel_counter() says ENOENT for an event the
	 * machine's PMU lacks (no PMU at all under qemu's TCG) */
	if (p->kind == RT_PROBE_PERF && err == -ENOENT)
		what = "ENOENT: this machine has no such perf event";

	rt_runtime_msg(warn ? TAPC_REC_WARN : TAPC_REC_ERROR,
		       "%s: probe %s registration error (rc %d%s%s)\n",
		       warn ? "WARNING" : "ERROR", p->pp, err,
		       *what ? ", " : "", what);
}

#endif /* RT_REGERR_H */
