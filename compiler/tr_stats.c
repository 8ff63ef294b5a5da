/* tr_stats.c - pass 3 for statistics: `<<<`, the extractors @count
 * @sum @min @max @avg @variance, printing @hist_*, and foreach over a
 * statistics array sorted by an extractor.
 *
 * A scalar statistic is a struct rt_stat (rt_stat.h); an array of them
 * is an rt_map whose values are per-CPU slots (rt_mstat.h).  Both merge
 * the CPUs' data on read.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tr_int.h"

static int is_element(const struct expr *e)
{
	return e->kind == EX_INDEX;
}

/* The global statistic behind s or a[k]. */
static const struct symbol *stat_global(const struct expr *e)
{
	return is_element(e) ? e->a->sym : e->sym;
}

/* s <<< v, or a[k] <<< v (the element made if absent). */
char *tr_stat_add(struct tr *t, const struct expr *e)
{
	const char *name = stat_global(e->a)->name;
	char *v = tri_expr(t, e->b), *s;

	if (is_element(e->a)) {
		char *keys = tri_keys(t, e->a), *loc = tri_loc(e->a->a->loc);

		s = xasprintf("rt_mstat_add(&g_%s, &TAPC_REF(char, "
			      "rt_map_ref(&c->rt, %s, &g_%s, %s)), %s)", name,
			      loc, name, keys, v);
		free(keys);
		free(loc);
	} else {
		s = xasprintf("rt_stat_add(&g_%s, %s)", name, v);
	}
	free(v);
	return s;
}

/* The merged data of s or a[k] as a pointer expression; for an element
 * its keys are first put in kN (so @variance can find it again). */
static char *stat_data(struct tr *t, const struct expr *e, int v,
		       struct strbuf *pre)
{
	const char *name = stat_global(e)->name;
	char *keys;

	if (!is_element(e))
		return xasprintf("rt_stat_aggregate(&g_%s)", name);
	keys = tri_keys(t, e);
	sb_printf(pre, "const union rt_key *k%d = %s; ", v, keys);
	free(keys);
	return xasprintf("rt_mstat_aggregate(&g_%s, k%d)", name, v);
}

/* @count(s) ...: from the merged data.  @min, @max, @avg and @variance
 * of an empty statistic are an error, as in SystemTap; an absent array
 * element is an empty statistic. */
char *tr_stat_value(struct tr *t, const struct expr *e)
{
	const char *what = e->bi->name;	/* also the field of rt_stat_data */
	int sum = e->bi->id == BI_COUNT || e->bi->id == BI_SUM;
	const char *name = stat_global(e->a)->name;
	int v = tri_val(t);
	struct strbuf pre;
	char *data, *loc, *field, *s;

	sb_init(&pre);
	data = stat_data(t, e->a, v, &pre);
	if (sum && !pre.len) {
		s = xasprintf("%s->%s", data, what);
		goto done;
	}
	if (sum) {
		s = xasprintf("({ %s%s->%s; })", pre.s, data, what);
		goto done;
	}
	loc = tri_loc(e->loc);
	if (e->bi->id == BI_AVG)
		field = xasprintf("rt_stat_avg(d%d)", v);
	else if (e->bi->id == BI_VARIANCE)
		field = is_element(e->a)
			? xasprintf("rt_mstat_variance(&g_%s, k%d)", name, v)
			: xasprintf("rt_stat_variance(&g_%s)", name);
	else
		field = xasprintf("d%d->%s", v, what);
	s = xasprintf("({ %sstruct rt_stat_data *d%d = %s; "
		      "if (unlikely(!d%d->count)) { rt_error(&c->rt, %s, "
		      "\"empty aggregate\"); goto out; } %s; })", pre.s, v,
		      data, v, loc, field);
	free(field);
	free(loc);
done:
	free(data);
	sb_free(&pre);
	return s;
}

/* print(@hist_log(s)): the histogram is one output record. */
char *tr_hist_print(struct tr *t, const struct expr *h, int newline)
{
	const char *name = stat_global(h->a)->name;
	char *data, *s;
	struct strbuf pre;
	int v = tri_val(t);

	sb_init(&pre);
	data = stat_data(t, h->a, v, &pre);
	/* An array's elements share the layout g_a_hist. */
	if (is_element(h->a))
		s = xasprintf("({ %srt_hist_print(&c->rt, &g_%s_hist, %s, "
			      "%d); })", pre.s, name, data, newline);
	else
		s = xasprintf("rt_hist_print(&c->rt, &g_%s.hist, %s, %d)",
			      name, data, newline);
	free(data);
	sb_free(&pre);
	return s;
}

/* The extractor a foreach over a statistics array sorts by (@count if
 * it names none), or NULL for other arrays. */
const char *tr_stat_sort_key(const struct stmt *foreach)
{
	static char buf[64];

	if (foreach->e->sym->type != TY_STAT)
		return "NULL";
	snprintf(buf, sizeof(buf), "rt_mstat_by_%s",
		 foreach->sort_aggr ? foreach->sort_aggr : "count");
	return buf;
}

int tr_stat_arrays(const struct program *prog)
{
	struct stat_info *st;

	VEC_EACH(&prog->stats, i, st)
		if (elab_array(prog, st->sym))
			return 1;
	return 0;
}

/* The histogram's bucket count as a C constant expression. */
static char *buckets(const struct stat_info *st)
{
	if (st->hist == 1)
		return xstrdup("RT_HIST_LOG_BUCKETS");
	if (st->hist == 2)
		return xasprintf("%" PRId64,
				 (st->hi - st->lo) / st->width + 3);
	return xstrdup("0");
}

char *tr_stat_buckets(const struct program *prog, const struct symbol *g)
{
	return buckets(elab_stat(prog, g));
}

/* The members of a struct rt_hist for this statistic. */
static void hist_init(const struct stat_info *st, struct strbuf *out)
{
	char *n = buckets(st);

	if (st->hist == 1)
		sb_printf(out, ".type = RT_HIST_LOG, .buckets = %s", n);
	else if (st->hist == 2)
		sb_printf(out, ".type = RT_HIST_LINEAR, .start = %" PRId64
			       ", .stop = %" PRId64 ", .interval = %" PRId64
			       ", .buckets = %s", st->lo, st->hi, st->width, n);
	else
		sb_puts(out, ".type = RT_HIST_NONE");
	if (st->variance)
		sb_printf(out, ", .variance = true, .shift = %d", st->shift);
	free(n);
}

/* An array of statistics: the layout its values share. */
void tr_stat_hist_global(const struct program *prog, const struct symbol *g,
			 struct strbuf *out)
{
	sb_printf(out, "static const struct rt_hist g_%s_hist = { ", g->name);
	hist_init(elab_stat(prog, g), out);
	sb_puts(out, " };\n");
}

/* The most buckets a printed histogram has, or -1 if none is printed. */
static int max_hist_rows(const struct program *prog, char **expr)
{
	struct stat_info *st;
	int64_t most = -1;

	*expr = NULL;
	VEC_EACH(&prog->stats, i, st) {
		int64_t n = st->hist == 1 ? 128 : st->hist == 2 ?
			    (st->hi - st->lo) / st->width + 3 : -1;

		if (n > most) {
			most = n;
			free(*expr);
			*expr = buckets(st);
		}
	}
	return (int)most;
}

/* tapc_init's part for statistics: each scalar's per-CPU data, and the
 * buffer histograms are printed into. */
void tr_stat_init(const struct program *prog, struct strbuf *out)
{
	struct stat_info *st;
	char *rows;

	VEC_EACH(&prog->stats, i, st) {
		if (elab_array(prog, st->sym))
			continue;
		sb_printf(out, "\tif (!err)\n\t\terr = rt_stat_init(&g_%s, "
			       "&(struct rt_hist){ ", st->sym->name);
		hist_init(st, out);
		sb_puts(out, " });\n");
	}
	if (max_hist_rows(prog, &rows) >= 0)
		sb_printf(out, "\tif (!err)\n\t\terr = rt_hist_buf_alloc(%s);\n",
			  rows);
	free(rows);
}

/* tapc_exit's part, the reverse. */
void tr_stat_exit(const struct program *prog, struct strbuf *out)
{
	struct stat_info *st;
	char *rows;

	VEC_EACH(&prog->stats, i, st)
		if (!elab_array(prog, st->sym))
			sb_printf(out, "\trt_stat_free(&g_%s);\n",
				  st->sym->name);
	if (max_hist_rows(prog, &rows) >= 0)
		sb_puts(out, "\trt_hist_buf_free();\n");
	free(rows);
}
