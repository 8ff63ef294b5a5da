// SPDX-License-Identifier: GPL-2.0
/*
 * stat_test.c - the runtime's statistics (rt_stat.h), driven the way
 * generated code drives them: known values added from a begin probe,
 * aggregated, and printed, histograms in SystemTap's layout.
 */
#include "runtime.h"
#include "rt_stat.h"

static struct rt_stat lat, lin, empty;

static void probe_begin(struct rt_context *c)
{
	static const rt_long vals[] = { 0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55,
					89, 144, 1000, -1, -5, 1 << 20 };
	struct rt_stat_data *d;
	unsigned int i;
	int r;

	for (i = 0; i < ARRAY_SIZE(vals); i++)
		rt_stat_add(&lat, vals[i]);
	for (i = 0; i < 60; i++)
		rt_stat_add(&lat, 4);	/* a bar that needs scaling */
	for (r = -20; r < 130; r += 7)
		rt_stat_add(&lin, r);
	d = rt_stat_aggregate(&lat);
	rt_printf(c, "count %lld sum %lld min %lld max %lld avg %lld\n",
		  d->count, d->sum, d->min, d->max, rt_stat_avg(d));
	rt_hist_print(c, &lat.hist, d, false);
	d = rt_stat_aggregate(&lin);
	rt_printf(c, "linear count %lld\n", d->count);
	rt_hist_print(c, &lin.hist, d, false);
	d = rt_stat_aggregate(&empty);
	rt_printf(c, "empty count %lld\n", d->count);
	rt_stat_clear(&lat);
	rt_printf(c, "cleared count %lld\n", rt_stat_aggregate(&lat)->count);
	rt_exit(c);
}

static int stat_test_init(void)
{
	const struct rt_hist log = { .type = RT_HIST_LOG,
				     .buckets = RT_HIST_LOG_BUCKETS };
	const struct rt_hist linear = {
		.type = RT_HIST_LINEAR, .start = 0, .stop = 100,
		.interval = 10, .buckets = rt_hist_linear_buckets(0, 100, 10),
	};
	const struct rt_hist none = { .type = RT_HIST_NONE };
	int err = rt_stat_init(&lat, &log);

	if (!err)
		err = rt_stat_init(&lin, &linear);
	if (!err)
		err = rt_stat_init(&empty, &none);
	/* The histograms are printed into this per-CPU buffer. */
	if (!err)
		err = rt_hist_buf_alloc(RT_HIST_LOG_BUCKETS);
	return err;
}

static void stat_test_exit(void)
{
	rt_stat_free(&lat);
	rt_stat_free(&lin);
	rt_stat_free(&empty);
	rt_hist_buf_free();
}

static struct rt_probe tapc_probes[] = {
	{ .kind = RT_PROBE_BEGIN, .pp = "begin", .handler = probe_begin },
};

static struct rt_script tapc_script = {
	.name = "stat_test.c",
	.probes = tapc_probes,
	.nprobes = ARRAY_SIZE(tapc_probes),
	.ctx_size = sizeof(struct rt_context),
	.init = stat_test_init,
	.exit = stat_test_exit,
};

#include "rt_main.h"
