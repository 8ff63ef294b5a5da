/* tr_points.c - pass 3's probe table: one struct rt_probe per concrete
 * point, with what its kind's registration needs (runtime/kernel/
 * rt_probes.h).  Begin, end and error probes run in table order, so the
 * table is sorted by priority (begin(N)), ties in script order. */
#include "translate.h"
#include "tr_int.h"

#include <inttypes.h>
#include <stdlib.h>

static int by_priority(const void *a, const void *b)
{
	const struct concrete_point *x = *(const struct concrete_point *const *)a;
	const struct concrete_point *y = *(const struct concrete_point *const *)b;

	if (x->priority != y->priority)
		return x->priority < y->priority ? -1 : 1;
	return x->order - y->order;
}

void tr_field_str(struct strbuf *out, const char *name, const char *v)
{
	if (!v)
		return;
	sb_printf(out, "\t  .%s = ", name);
	c_string(out, v);
	sb_puts(out, ",\n");
}

void tr_field_num(struct strbuf *out, const char *name, uint64_t v)
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
		tr_field_str(out, "symbol", cp->symbol);
		return;
	}
	s = xasprintf("%s:%s", cp->module, cp->symbol);
	tr_field_str(out, "symbol", s);
	free(s);
}

void tr_fields_kprobe(const struct concrete_point *cp, struct strbuf *out)
{
	field_symbol(out, cp);
	tr_field_num(out, "offset", cp->offset);
	tr_field_num(out, "addr", cp->addr);
}

void tr_fields_timer(const struct concrete_point *cp, struct strbuf *out)
{
	tr_field_num(out, "period_ns", (uint64_t)cp->period_ns);
	tr_field_num(out, "randomize_ns", (uint64_t)cp->randomize_ns);
	tr_field_num(out, "jiffies", (uint64_t)cp->jiffies);
	if (cp->jiffies)
		tr_field_num(out, "randomize_jiffies", (uint64_t)cp->randomize);
}

void tr_fields_trace(const struct concrete_point *cp, struct strbuf *out)
{
	tr_field_str(out, "tracepoint", cp->tracepoint);
}

void tr_fields_perf(const struct concrete_point *cp, struct strbuf *out)
{
	sb_printf(out, "\t  .perf_type = %" PRIu32 ",\n", cp->perf_type);
	tr_field_num(out, "perf_config", cp->perf_config);
	tr_field_num(out, "perf_sample", cp->perf_sample);
}

static void tr_point(const struct program *prog,
		     const struct concrete_point *cp, struct strbuf *out)
{
	const struct tr_kind *k = tr_kind_of(cp->kind);
	char *name = handler_name(prog, cp);

	sb_printf(out, "\t{ .kind = %s,\n", k->rt_kind);
	if (k->fields)
		k->fields(cp, out);
	tr_entry_fields(prog, cp, out);		/* tr_entry.c */
	sb_puts(out, "\t  .pp = ");
	c_string(out, cp->text);
	if (cp->tolerant)
		sb_puts(out, ",\n\t  .tolerant = true");
	/* A kprobe's own pre-handler calls the handler directly
	 * (RT_KPROBE_PRE): as its only caller, it gets it inlined. */
	if (k->kprobe_pre)
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
