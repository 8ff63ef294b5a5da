/* tr_points.c - pass 3's probe table: one struct rt_probe per concrete
 * point, with what its kind's registration needs (runtime/kernel/
 * rt_probes.h).  Begin, end and error probes run in table order, so the
 * table is sorted by priority (begin(N)), ties in script order. */
#include "translate.h"
#include "tr_int.h"

#include <inttypes.h>
#include <stdlib.h>

static const char *const rt_kinds[] = {
	[PP_BEGIN] = "RT_PROBE_BEGIN",
	[PP_END] = "RT_PROBE_END",
	[PP_ERROR] = "RT_PROBE_ERROR",
	[PP_NEVER] = "RT_PROBE_NEVER",
	[PP_KPROBE] = "RT_PROBE_KPROBE",
	[PP_KRETPROBE] = "RT_PROBE_KRETPROBE",
	[PP_TIMER] = "RT_PROBE_TIMER",
	[PP_PROFILE] = "RT_PROBE_PERF",
	[PP_TRACE] = "RT_PROBE_TRACE",
	[PP_PERF] = "RT_PROBE_PERF",
};

static int by_priority(const void *a, const void *b)
{
	const struct concrete_point *x = *(const struct concrete_point *const *)a;
	const struct concrete_point *y = *(const struct concrete_point *const *)b;

	if (x->priority != y->priority)
		return x->priority < y->priority ? -1 : 1;
	return x->order - y->order;
}

static void field_str(struct strbuf *out, const char *name, const char *v)
{
	if (!v)
		return;
	sb_printf(out, "\t  .%s = ", name);
	c_string(out, v);
	sb_puts(out, ",\n");
}

static void field_num(struct strbuf *out, const char *name, uint64_t v)
{
	if (v)
		sb_printf(out, "\t  .%s = %" PRIu64 "ULL,\n", name, v);
}

/* The kernel's "module:symbol" form for a module's function. */
static void field_symbol(struct strbuf *out, const struct concrete_point *cp)
{
	char *s;

	if (!cp->symbol)
		return;
	if (!cp->module) {
		field_str(out, "symbol", cp->symbol);
		return;
	}
	s = xasprintf("%s:%s", cp->module, cp->symbol);
	field_str(out, "symbol", s);
	free(s);
}

static void tr_point(const struct program *prog,
		     const struct concrete_point *cp, struct strbuf *out)
{
	char *name = handler_name(prog, cp);

	sb_printf(out, "\t{ .kind = %s,\n", rt_kinds[cp->kind]);
	field_symbol(out, cp);
	field_num(out, "offset", cp->offset);
	field_num(out, "addr", cp->addr);
	field_num(out, "period_ns", (uint64_t)cp->period_ns);
	field_num(out, "randomize_ns", (uint64_t)cp->randomize_ns);
	field_num(out, "jiffies", (uint64_t)cp->jiffies);
	if (cp->jiffies)
		field_num(out, "randomize_jiffies", (uint64_t)cp->randomize);
	field_str(out, "tracepoint", cp->tracepoint);
	if (cp->kind == PP_PERF || cp->kind == PP_PROFILE) {
		sb_printf(out, "\t  .perf_type = %" PRIu32 ",\n", cp->perf_type);
		field_num(out, "perf_config", cp->perf_config);
		field_num(out, "perf_sample", cp->perf_sample);
	}
	tr_entry_fields(prog, cp, out);		/* tr_entry.c */
	sb_puts(out, "\t  .pp = ");
	c_string(out, cp->text);
	if (cp->tolerant)
		sb_puts(out, ",\n\t  .tolerant = true");
	/* A kprobe's own pre-handler calls the handler directly
	 * (RT_KPROBE_PRE): as its only caller, it gets it inlined. */
	if (cp->kind == PP_KPROBE)
		sb_printf(out, ",\n\t  .kprobe_pre = %s_kprobe },\n", name);
	else
		sb_printf(out, ",\n\t  .handler = %s },\n", name);
	free(name);
}

void tr_points_table(const struct program *prog, struct strbuf *out)
{
	int n = prog->points.n;
	struct concrete_point **v = xcalloc((size_t)n + 1, sizeof(*v));

	for (int i = 0; i < n; i++)
		v[i] = prog->points.v[i];
	qsort(v, (size_t)n, sizeof(*v), by_priority);
	sb_puts(out, "static struct rt_probe tapc_probes[] = {\n");
	for (int i = 0; i < n; i++)
		tr_point(prog, v[i], out);
	sb_puts(out, "};\n\n");
	free(v);
}
