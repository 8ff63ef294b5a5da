/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rt_perf.h - perf.* sampling probes and timer.profile: one kernel perf
 * event per online CPU (perf_event_create_kernel_counter), whose overflow
 * runs the handler with the interrupted registers.  timer.profile is
 * the software cpu-clock event with a period of one tick (TICK_NSEC).
 * A hardware event the machine lacks fails at registration with the
 * kernel's error, reported by rt_register_probes().
 */
#ifndef RT_PERF_H
#define RT_PERF_H

#ifdef RT_USE_PERF

#include <linux/perf_event.h>

static void rt_perf_overflow(struct perf_event *ev,
			     struct perf_sample_data *data,
			     struct pt_regs *regs)
{
	struct rt_probe *p = ev->overflow_handler_context;

	rt_run_handler(p, regs, RT_ST_RUNNING);
}

static void rt_perf_unregister(struct rt_probe *p)
{
	unsigned int cpu;

	if (!p->st.events)
		return;
	for_each_possible_cpu(cpu)
		if (p->st.events[cpu])
			perf_event_release_kernel(p->st.events[cpu]);
	kfree(p->st.events);
	p->st.events = NULL;
}

static int rt_perf_register(struct rt_probe *p)
{
	struct perf_event_attr attr = {
		.type = p->perf_type,
		.size = sizeof(attr),
		.config = p->perf_config,
		.sample_period = p->perf_sample ? p->perf_sample : TICK_NSEC,
		.pinned = 1,
	};
	struct perf_event *ev;
	unsigned int cpu;

	p->st.events = kcalloc(nr_cpu_ids, sizeof(*p->st.events), GFP_KERNEL);
	if (!p->st.events)
		return -ENOMEM;
	cpus_read_lock();
	for_each_online_cpu(cpu) {
		ev = perf_event_create_kernel_counter(&attr, cpu, NULL,
						      rt_perf_overflow, p);
		if (IS_ERR(ev)) {
			cpus_read_unlock();
			rt_perf_unregister(p);
			return PTR_ERR(ev);
		}
		p->st.events[cpu] = ev;
	}
	cpus_read_unlock();
	return 0;
}

#else /* !RT_USE_PERF: the script has none (runtime.h) */

static inline int rt_perf_register(struct rt_probe *p)
{
	return -EOPNOTSUPP;
}

static inline void rt_perf_unregister(struct rt_probe *p)
{
}

#endif /* RT_USE_PERF */

#endif /* RT_PERF_H */
