/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rt_mstat.h - statistics in array elements: `a[k] <<< v`, @count(a[k])
 * ..., @hist_*(a[k]), and foreach over such an array sorted by an
 * extractor.
 *
 * The value of an element is one rt_stat_data slot per CPU (rt_map.h
 * sizes it at load).  `<<<` adds to this CPU's slot; a read merges the
 * slots into this CPU's scratch aggregate of the map.  The scratch is
 * only touched by the handler holding this CPU's context, so it needs
 * no lock of its own.
 */
#ifndef RT_MSTAT_H
#define RT_MSTAT_H

static inline struct rt_stat_src rt_mstat_src(const struct rt_map *m,
					      const void *value)
{
	return (struct rt_stat_src){ .slots = (char *)value,
				     .size = m->desc->value_size };
}

/**
 * rt_mstat_add() - a[k] <<< v
 * @m: the statistics array
 * @value: a[k]'s value, from rt_map_ref()
 * @v: the value added
 *
 * a[k] <<< v, value being a[k]'s (made if absent).
 */
static inline void rt_mstat_add(const struct rt_map *m, void *value, rt_long v)
{
	struct rt_stat_src src = rt_mstat_src(m, value);

	rt_stat_add_to(m->desc->hist, rt_stat_src_cpu(&src, smp_processor_id()),
		       v);
}

/* The merge of a value's slots into this CPU's scratch. */
static __maybe_unused struct rt_stat_data *rt_mstat_merge(const struct rt_map *m,
							  const void *value)
{
	struct rt_stat_data *agg = this_cpu_ptr(m->scratch);
	struct rt_stat_src src;
	int cpu;

	memset(agg, 0, m->desc->value_size);
	if (!value)
		return agg;
	src = rt_mstat_src(m, value);
	for_each_possible_cpu(cpu)
		rt_stat_merge(m->desc->hist, agg, rt_stat_src_cpu(&src, cpu));
	return agg;
}

/**
 * rt_mstat_aggregate() - @count(a[k]) and the other aggregates of an element
 * @m: the statistics array
 * @k: the keys
 *
 * @count(a[k]) ...: an absent element is an empty statistic.
 *
 * Return: the element's data, or an empty statistic's.
 */
static __maybe_unused struct rt_stat_data *rt_mstat_aggregate(struct rt_map *m,
							      const union rt_key *k)
{
	struct rt_map_entry *e = rt_map_find(m, k);

	return rt_mstat_merge(m, e ? rt_map_value(m, e) : NULL);
}

/**
 * rt_mstat_variance() - @variance(a[k])
 * @m: the statistics array
 * @k: the keys
 *
 * @variance(a[k]), after rt_mstat_aggregate() of the same element.
 *
 * Return: the variance.
 */
static __maybe_unused rt_long rt_mstat_variance(struct rt_map *m,
						const union rt_key *k)
{
	struct rt_map_entry *e = rt_map_find(m, k);
	struct rt_stat_src src;

	if (!e)
		return 0;
	src = rt_mstat_src(m, rt_map_value(m, e));
	return rt_stat_variance_of(m->desc->hist, this_cpu_ptr(m->scratch),
				   &src);
}

/*
 * The extractors foreach sorts a statistics array by.  They merge the
 * counters only (no buckets) into a local, so sorting never disturbs an
 * aggregate the body is using.
 */
static __maybe_unused void rt_mstat_head(const struct rt_map *m, const void *value,
					 struct rt_stat_data *head)
{
	static const struct rt_hist no_buckets;
	struct rt_stat_src src = rt_mstat_src(m, value);
	int cpu;

	memset(head, 0, sizeof(*head));
	for_each_possible_cpu(cpu)
		rt_stat_merge(&no_buckets, head, rt_stat_src_cpu(&src, cpu));
}

#define RT_MSTAT_KEY(name, expr)					\
static __maybe_unused rt_long rt_mstat_by_##name(const struct rt_map *m,	\
						  const void *value)	\
{									\
	struct rt_stat_data d;						\
									\
	rt_mstat_head(m, value, &d);					\
	return (expr);							\
}

RT_MSTAT_KEY(count, d.count)
RT_MSTAT_KEY(sum, d.sum)
RT_MSTAT_KEY(min, d.count ? d.min : 0)
RT_MSTAT_KEY(max, d.count ? d.max : 0)
RT_MSTAT_KEY(avg, rt_stat_avg(&d))

static __maybe_unused rt_long rt_mstat_by_variance(const struct rt_map *m,
						   const void *value)
{
	struct rt_stat_src src = rt_mstat_src(m, value);
	struct rt_stat_data d;

	rt_mstat_head(m, value, &d);
	return rt_stat_variance_of(m->desc->hist, &d, &src);
}

#endif /* RT_MSTAT_H */
