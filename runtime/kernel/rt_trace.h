/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rt_trace.h - kernel.trace("subsys:name"): a generic handler attached to
 * the kernel's struct tracepoint (found by name with
 * for_each_kernel_tracepoint).  A tracepoint calls its probes as
 * probe(data, arg0, arg1...); every argument is a scalar or a pointer
 * passed in a register or an 8-byte stack slot, so one handler declaring
 * RT_TRACE_MAXARGS unsigned longs reads them all (the ones past the
 * tracepoint's own count are meaningless and never used: pass 2 maps
 * $name to the index of a real argument).  The handler stores them in
 * the context, c->trace_args[i].
 */
#ifndef RT_TRACE_H
#define RT_TRACE_H

#ifdef RT_USE_TRACE

#include <linux/tracepoint.h>

struct rt_trace_find {
	const char *name;
	struct tracepoint *tp;
};

static void rt_trace_match(struct tracepoint *tp, void *priv)
{
	struct rt_trace_find *f = priv;

	if (!f->tp && !strcmp(tp->name, f->name))
		f->tp = tp;
}

#define RT_TRACE_ARGS(x) x a0, x a1, x a2, x a3, x a4, x a5, \
			 x a6, x a7, x a8, x a9, x a10, x a11

static void rt_trace_fire(void *data, RT_TRACE_ARGS(unsigned long))
{
	unsigned long args[RT_TRACE_MAXARGS] = {
		a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11
	};

	/* Tracepoint probes run with preemption disabled (RCU-sched). */
	rt_run_handler_args(data, NULL, RT_ST_RUNNING, args);
}

static int rt_trace_register(struct rt_probe *p)
{
	struct rt_trace_find f = { .name = p->tracepoint };

	for_each_kernel_tracepoint(rt_trace_match, &f);
	if (!f.tp)
		return -ENOENT;
	p->st.tp = f.tp;
	return tracepoint_probe_register(f.tp, (void *)rt_trace_fire, p);
}

/* The caller waits with tracepoint_synchronize_unregister() once. */
static void rt_trace_unregister(struct rt_probe *p)
{
	tracepoint_probe_unregister(p->st.tp, (void *)rt_trace_fire, p);
}

/* After it no tracepoint handler of the module runs. */
static void rt_trace_sync(void)
{
	tracepoint_synchronize_unregister();
}

#else /* !RT_USE_TRACE: the script has none (runtime.h) */

static inline int rt_trace_register(struct rt_probe *p)
{
	return -EOPNOTSUPP;
}

static inline void rt_trace_unregister(struct rt_probe *p)
{
}

static inline void rt_trace_sync(void)
{
}

#endif /* RT_USE_TRACE */

#endif /* RT_TRACE_H */
