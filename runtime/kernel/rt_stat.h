/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rt_stat.h - statistics: `x <<< v`, @count @sum @min @max @avg, and the
 * @hist_log / @hist_linear histograms printed as SystemTap prints them.
 *
 * A statistic is aggregated per CPU: `<<<` touches only this CPU's data
 * (so probes on two CPUs never share a cache line), and a read merges
 * every CPU's data into the aggregate.  Everything is allocated at load.
 *
 * The histogram layout is fixed per statistic at compile time: pass 3
 * knows which @hist_* the script asks of it.
 */
#ifndef RT_STAT_H
#define RT_STAT_H

#include <linux/bitops.h>
#include <linux/percpu.h>
#include <linux/vmalloc.h>

#define RT_HIST_LOG_BUCKETS 128
#define RT_HIST_LOG_ZERO 64		/* the bucket of the value 0 */
#ifndef HIST_WIDTH
#define HIST_WIDTH 50			/* the widest bar, in '@' */
#endif
#ifndef HIST_ELISION
#define HIST_ELISION 2			/* empty rows kept beside data */
#endif

static_assert(HIST_WIDTH > 0 && HIST_WIDTH <= 100,
	      "the bars are drawn from 100-character strings");

enum rt_hist_type { RT_HIST_NONE, RT_HIST_LOG, RT_HIST_LINEAR };

struct rt_hist {
	enum rt_hist_type type;
	rt_long start, stop, interval;	/* linear only */
	int buckets;			/* with under- and overflow (linear) */
	bool variance;			/* the script asks for @variance */
	int shift;			/* its bit shift, 0 to 62 */
};

/*
 * One CPU's data (or the merge of all).  For @variance, avg_s and m2 are
 * Welford's running mean and sum of squared differences, both scaled by
 * 2^shift, as SystemTap keeps them (see rt_stat_variance()).
 */
struct rt_stat_data {
	rt_long count, sum, min, max;
	rt_long avg_s, m2;
	rt_long bucket[];		/* hist->buckets of them */
};

struct rt_stat {
	struct rt_hist hist;
	size_t data_size;
	struct rt_stat_data __percpu *pcpu;
	struct rt_stat_data *agg;	/* merged by rt_stat_aggregate() */
};

/* The bytes of one statistic's data with this many buckets. */
#define RT_STAT_SIZE(buckets) \
	(sizeof(struct rt_stat_data) + (buckets) * sizeof(rt_long))

/* Buckets of a linear histogram: the range, plus under and overflow. */
static inline int rt_hist_linear_buckets(rt_long start, rt_long stop,
					 rt_long interval)
{
	return interval > 0 && stop > start ?
	       (int)div64_s64(stop - start, interval) + 3 : 0;
}

/**
 * rt_stat_init() - set a statistic up, at module load
 * @s: the statistic
 * @h: its histogram's shape, if any
 *
 * Return: 0, or -ENOMEM.
 */
static __maybe_unused int rt_stat_init(struct rt_stat *s, const struct rt_hist *h)
{
	s->hist = *h;
	s->data_size = struct_size(s->agg, bucket, h->buckets);
	s->pcpu = __alloc_percpu(s->data_size, sizeof(rt_long));
	s->agg = kzalloc(s->data_size, GFP_KERNEL);
	if (!s->pcpu || !s->agg) {
		free_percpu(s->pcpu);
		kfree(s->agg);
		return -ENOMEM;
	}
	return 0;
}

/**
 * rt_stat_free() - free a statistic's memory
 * @s: the statistic
 */
static __maybe_unused void rt_stat_free(struct rt_stat *s)
{
	free_percpu(s->pcpu);
	kfree(s->agg);
}

static __maybe_unused int rt_hist_log_bucket(rt_long v)
{
	if (v == 0)
		return RT_HIST_LOG_ZERO;
	if (v > 0)
		return RT_HIST_LOG_ZERO + fls64(v);
	return RT_HIST_LOG_ZERO - fls64(v == S64_MIN ? (u64)v : (u64)-v);
}

/* The smallest value of a log bucket: 0, 1, 2, 4 ... or -1, -2, -4 ... */
static __maybe_unused rt_long rt_hist_log_value(int b)
{
	if (b == RT_HIST_LOG_ZERO)
		return 0;
	if (b > RT_HIST_LOG_ZERO)
		return (rt_long)1 << (b - RT_HIST_LOG_ZERO - 1);
	return b == 0 ? S64_MIN : -((rt_long)1 << (RT_HIST_LOG_ZERO - 1 - b));
}

static __maybe_unused int rt_hist_bucket(const struct rt_hist *h, rt_long v)
{
	if (h->type == RT_HIST_LOG)
		return rt_hist_log_bucket(v);
	if (v < h->start)
		return 0;		/* underflow */
	/* As SystemTap counts: the row at `stop` holds [stop, stop +
	 * interval) too, and only what lies beyond overflows. */
	v = div64_s64(v - h->start, h->interval) + 1;
	return v >= h->buckets - 1 ? h->buckets - 1 : (int)v;
}

static __maybe_unused void rt_stat_add_to(const struct rt_hist *h, struct rt_stat_data *d,
			   rt_long v)
{
	if (d->count++ == 0) {
		d->min = d->max = v;
		d->avg_s = v << h->shift;
		d->m2 = 0;
	} else {
		d->min = min(d->min, v);
		d->max = max(d->max, v);
		if (h->variance) {
			rt_long delta = (v << h->shift) - d->avg_s;

			d->avg_s += div64_s64(delta, d->count);
			d->m2 += delta * ((v << h->shift) - d->avg_s);
		}
	}
	d->sum += v;
	if (h->type != RT_HIST_NONE)
		d->bucket[rt_hist_bucket(h, v)]++;
}

/**
 * rt_stat_add() - s <<< v
 * @s: the statistic
 * @v: the value added
 *
 * `s <<< v`, on this CPU's data (preemption is off in a probe).
 */
static inline void rt_stat_add(struct rt_stat *s, rt_long v)
{
	rt_stat_add_to(&s->hist, this_cpu_ptr(s->pcpu), v);
}

static __maybe_unused void rt_stat_merge(const struct rt_hist *h, struct rt_stat_data *to,
			  const struct rt_stat_data *from)
{
	int i;

	if (!from->count)
		return;
	if (!to->count) {
		to->min = from->min;
		to->max = from->max;
	} else {
		to->min = min(to->min, from->min);
		to->max = max(to->max, from->max);
	}
	to->count += from->count;
	to->sum += from->sum;
	for (i = 0; i < h->buckets; i++)
		to->bucket[i] += from->bucket[i];
}

/**
 * rt_stat_aggregate() - merge every CPU's data
 * @s: the statistic
 *
 * Every CPU's data merged into s->agg, which it returns.
 *
 * Return: @s->agg, the merged data.
 */
static __maybe_unused struct rt_stat_data *rt_stat_aggregate(struct rt_stat *s)
{
	int cpu;

	memset(s->agg, 0, s->data_size);
	for_each_possible_cpu(cpu)
		rt_stat_merge(&s->hist, s->agg, per_cpu_ptr(s->pcpu, cpu));
	return s->agg;
}

/**
 * rt_stat_clear() - empty a statistic (delete s)
 * @s: the statistic
 */
static __maybe_unused void rt_stat_clear(struct rt_stat *s)
{
	int cpu;

	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(s->pcpu, cpu), 0, s->data_size);
}

/*
 * Where a statistic's per-CPU data lives: a percpu allocation (a scalar)
 * or nr_cpu_ids slots of `size` bytes (an array element).
 */
struct rt_stat_src {
	struct rt_stat_data __percpu *pcpu;
	char *slots;
	size_t size;
};

static inline struct rt_stat_data *rt_stat_src_cpu(const struct rt_stat_src *src,
						   int cpu)
{
	if (src->slots)
		return (struct rt_stat_data *)(src->slots + cpu * src->size);
	return per_cpu_ptr(src->pcpu, cpu);
}

/*
 * @variance, SystemTap's way: each CPU's sample variance (the integer
 * m2 / (count - 1)) combined by the total-variance formula around the
 * merged mean, all scaled by 2^shift, then unscaled.  With fewer than
 * two values it is 0.  agg is the merge of src's data.
 */
static __maybe_unused rt_long rt_stat_variance_of(const struct rt_hist *h,
						  const struct rt_stat_data *agg,
						  const struct rt_stat_src *src)
{
	rt_long avg, s1 = 0, s2 = 0;
	int cpu;

	if (agg->count < 2)
		return 0;
	avg = div64_s64(agg->sum << h->shift, agg->count);
	for_each_possible_cpu(cpu) {
		const struct rt_stat_data *d = rt_stat_src_cpu(src, cpu);

		if (!d->count)
			continue;
		s1 += d->count * (d->avg_s - avg) * (d->avg_s - avg);
		if (d->count > 1)
			s2 += (d->count - 1) * div64_s64(d->m2, d->count - 1);
	}
	return div64_s64(s1 + s2, agg->count - 1) >> (2 * h->shift);
}

/**
 * rt_stat_variance() - @variance(s)
 * @s: the statistic
 *
 * @variance(s); s->agg is the merge rt_stat_aggregate() just made.
 *
 * Return: the variance.
 */
static __maybe_unused rt_long rt_stat_variance(struct rt_stat *s)
{
	struct rt_stat_src src = { .pcpu = s->pcpu };

	return rt_stat_variance_of(&s->hist, s->agg, &src);
}

/**
 * rt_stat_avg() - @avg(s)
 * @d: merged data that is not empty
 *
 * @avg; the caller reports an empty statistic before asking.
 *
 * Return: the average.
 */
static inline rt_long rt_stat_avg(const struct rt_stat_data *d)
{
	return d->count ? div64_s64(d->sum, d->count) : 0;
}

/* ---- printing a histogram ---- */

static __maybe_unused int rt_digits(rt_long v)
{
	int n = v <= 0;		/* the sign, or the single 0 */
	u64 u = v < 0 ? -(u64)v : (u64)v;

	for (; u; u /= 10)
		n++;
	return n;
}

static __maybe_unused rt_long rt_hist_row_value(const struct rt_hist *h, int b,
				 const char **prefix)
{
	*prefix = "";
	if (h->type == RT_HIST_LOG)
		return rt_hist_log_value(b);
	if (b == 0) {
		*prefix = "<";
		return h->start;
	}
	if (b == h->buckets - 1) {
		*prefix = ">";
		return h->start + (b - 2) * h->interval;
	}
	return h->start + (b - 1) * h->interval;
}

/* Is row b empty along with its HIST_ELISION neighbours in [lo, hi]? */
static __maybe_unused bool rt_hist_elided(const struct rt_stat_data *d, int b, int lo,
			   int hi)
{
	int k;

	if (HIST_ELISION < 0)
		return false;
	for (k = max(lo, b - HIST_ELISION); k <= min(hi, b + HIST_ELISION); k++)
		if (d->bucket[k])
			return false;
	return true;
}

/*
 * The rows worth printing: the data's range widened by two empty rows
 * each side (not below 0 for a log histogram without negative values),
 * and for a linear one its under/overflow rows only when not empty.
 */
static __maybe_unused void rt_hist_range(const struct rt_hist *h,
			  const struct rt_stat_data *d, int *lo, int *hi)
{
	int i;

	*lo = -1;
	*hi = 0;
	for (i = 0; i < h->buckets; i++) {
		if (!d->bucket[i])
			continue;
		if (*lo < 0)
			*lo = i;
		*hi = i;
	}
	if (*lo < 0)
		*lo = h->type == RT_HIST_LOG ? RT_HIST_LOG_ZERO : 1;
	for (i = 0; i < 2; i++) {
		if (*lo > 0 && !(h->type == RT_HIST_LOG &&
				 *lo == RT_HIST_LOG_ZERO))
			(*lo)--;
		if (*hi < h->buckets - 1)
			(*hi)++;
	}
	if (h->type == RT_HIST_LINEAR) {
		if (*lo == 0 && !d->bucket[0])
			(*lo)++;
		if (*hi == h->buckets - 1 && !d->bucket[*hi])
			(*hi)--;
	}
}

/*
 * A histogram is printed as one output record, so no other output comes
 * between its rows: it is built in this CPU's part of a buffer sized at
 * load for the most rows a histogram of the script can have.
 */
#define RT_HIST_ROW_MAX 192		/* value, bar, count: at most */

static char *rt_hist_buf;
static size_t rt_hist_buf_size;		/* per CPU */

/**
 * rt_hist_buf_alloc() - the per-CPU buffer histograms are printed in
 * @buckets: the most buckets of any histogram
 *
 * Return: 0, or -ENOMEM.
 */
static __maybe_unused int rt_hist_buf_alloc(int buckets)
{
	rt_hist_buf_size = (size_t)(buckets + 4) * RT_HIST_ROW_MAX;
	rt_hist_buf = vmalloc(array_size(nr_cpu_ids, rt_hist_buf_size));
	return rt_hist_buf ? 0 : -ENOMEM;
}

/**
 * rt_hist_buf_free() - free the histogram buffer
 */
static __maybe_unused void rt_hist_buf_free(void)
{
	vfree(rt_hist_buf);
	rt_hist_buf = NULL;
}

struct rt_hist_out {
	char *buf;
	size_t len, size;
};

static __printf(2, 3) void rt_hist_put(struct rt_hist_out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	o->len += vscnprintf(o->buf + o->len, o->size - o->len, fmt, ap);
	va_end(ap);
}

/**
 * rt_hist_print() - print(@hist_linear(s)) and print(@hist_log(s))
 * @c: the context of the probe hit
 * @h: the histogram's shape
 * @d: the merged data
 * @newline: add a newline (println)
 *
 * print(@hist_*(s)): the ASCII bar chart, and a newline for println.
 */
static __maybe_unused void rt_hist_print(struct rt_context *c, const struct rt_hist *h,
			  const struct rt_stat_data *d, bool newline)
{
	struct rt_hist_out o = {
		rt_hist_buf + smp_processor_id() * rt_hist_buf_size, 0,
		rt_hist_buf_size
	};
	int lo, hi, b, vw, cw, scale = 1, under = 0, over = 0;
	rt_long most = 0;
	bool eliding = false;

	for (b = 0; b < h->buckets; b++)
		most = max(most, d->bucket[b]);
	rt_hist_range(h, d, &lo, &hi);
	if (most > HIST_WIDTH)
		scale = (int)div64_s64(most + HIST_WIDTH - 1, HIST_WIDTH);
	cw = rt_digits(most);
	if (h->type == RT_HIST_LINEAR) {
		under = lo == 0;
		over = hi == h->buckets - 1;
		vw = max(rt_digits(h->start) + under,
			 rt_digits(h->start + h->interval * hi) + over);
	} else {
		vw = max(rt_digits(rt_hist_log_value(hi)),
			 rt_digits(rt_hist_log_value(lo)));
	}
	vw = max(vw, 5);		/* "value" */
	rt_hist_put(&o, "%*s |%.*s count\n", vw, "value", HIST_WIDTH,
		    "--------------------------------------------------"
		    "--------------------------------------------------");
	for (b = lo; b <= hi; b++) {
		const char *prefix;
		rt_long v;
		int bar;

		if (rt_hist_elided(d, b, lo, hi)) {
			eliding = true;
			continue;
		}
		if (eliding)
			rt_hist_put(&o, "%*s ~\n", vw, "");
		eliding = false;
		v = rt_hist_row_value(h, b, &prefix);
		bar = (int)div64_s64(d->bucket[b], scale);
		rt_hist_put(&o, "%*s%lld |%.*s%*lld\n", vw - rt_digits(v),
			    prefix, v, bar,
			    "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@"
			    "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@",
			    HIST_WIDTH - bar + 1 + cw, d->bucket[b]);
	}
	rt_hist_put(&o, newline ? "\n\n" : "\n");
	rt_print(c, o.buf, o.len);
}

#endif /* RT_STAT_H */
