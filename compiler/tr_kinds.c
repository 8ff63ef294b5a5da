/* tr_kinds.c - the table of probe kinds, one row per enum pp_kind: what
 * pass 3 needs of a kind.  Pass 2's side of a kind is its families in
 * points.c (component patterns and resolvers, points_X.c); the runtime's
 * side is its row of rt_probe_ops[] in runtime/kernel/rt_probes.h and
 * its rt_X.h.  docs/recipes.md walks through adding one.
 *
 * A row: the kind; its enum rt_probe_kind in the runtime; the runtime
 * part its registration needs (RT_USE_<part>, tr_parts.c), NULL when it
 * is always compiled; the writer of its fields of struct rt_probe (or
 * NULL); and whether it has its own kprobe pre-handler (RT_KPROBE_PRE).
 */
#include "tr_int.h"

static const struct tr_kind tr_kinds[] = {
	{ PP_BEGIN, "RT_PROBE_BEGIN", NULL, NULL, 0 },
	{ PP_END, "RT_PROBE_END", NULL, NULL, 0 },
	{ PP_ERROR, "RT_PROBE_ERROR", NULL, NULL, 0 },
	{ PP_NEVER, "RT_PROBE_NEVER", NULL, NULL, 0 },
	{ PP_KPROBE, "RT_PROBE_KPROBE", NULL, tr_fields_kprobe, 1 },
	{ PP_KRETPROBE, "RT_PROBE_KRETPROBE", "KRETPROBE", tr_fields_kprobe, 0 },
	{ PP_TIMER, "RT_PROBE_TIMER", "TIMER", tr_fields_timer, 0 },
	{ PP_PROFILE, "RT_PROBE_PERF", "PERF", tr_fields_perf, 0 },
	{ PP_TRACE, "RT_PROBE_TRACE", "TRACE", tr_fields_trace, 0 },
	{ PP_PERF, "RT_PROBE_PERF", "PERF", tr_fields_perf, 0 },
	{ PP_HWBKPT, "RT_PROBE_HWBKPT", "HWBKPT", tr_fields_hwbkpt, 0 },
	{ PP_PROCFS, "RT_PROBE_PROCFS", "PROCFS", tr_fields_procfs, 0 },
	{ PP_NETFILTER, "RT_PROBE_NETFILTER", "NETFILTER", tr_fields_netfilter,
	  0 },
};

#define TR_NKINDS (int)(sizeof(tr_kinds) / sizeof(tr_kinds[0]))

const struct tr_kind *tr_kind_of(enum pp_kind kind)
{
	for (int i = 0; i < TR_NKINDS; i++)
		if (tr_kinds[i].kind == kind)
			return &tr_kinds[i];
	return &tr_kinds[PP_NEVER];	/* not reached: every kind has a row */
}

const struct tr_kind *tr_kind_at(int i)
{
	return i < TR_NKINDS ? &tr_kinds[i] : NULL;
}
