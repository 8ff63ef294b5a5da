/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rt_hwbkpt.h - kernel.data probes: a hardware breakpoint (a watchpoint
 * in a debug register) on data_len bytes at addr, on every CPU
 * (register_wide_hw_breakpoint), hit on each write, or with data_rw on
 * each read or write.  The handler runs after the access, in the debug
 * exception, with the registers of the code that made it.  A symbol's
 * address is System.map's: data_ref, jiffies's address there, gives the
 * kernel's KASLR offset.  The kernel refusing a breakpoint (all debug
 * registers taken, an address it will not watch) is reported as any
 * registration error (docs/registration-errors.md).
 */
#ifndef RT_HWBKPT_H
#define RT_HWBKPT_H

#ifdef RT_USE_HWBKPT

#include <linux/hw_breakpoint.h>
#include <linux/jiffies.h>

static void rt_hwbkpt_hit(struct perf_event *bp, struct perf_sample_data *data,
			  struct pt_regs *regs)
{
	rt_run_handler(bp->overflow_handler_context, regs, RT_ST_RUNNING);
}

/* The address to watch in the running kernel. */
static unsigned long rt_hwbkpt_addr(const struct rt_probe *p)
{
	if (!p->data_ref)
		return p->addr;		/* kernel.data(ADDRESS): as written */
	return p->addr + ((unsigned long)&jiffies - p->data_ref);
}

static int rt_hwbkpt_register(struct rt_probe *p)
{
	struct perf_event_attr attr;
	struct perf_event * __percpu *bp;

	hw_breakpoint_init(&attr);
	attr.bp_addr = rt_hwbkpt_addr(p);
	attr.bp_len = p->data_len;
	attr.bp_type = p->data_rw ? HW_BREAKPOINT_RW : HW_BREAKPOINT_W;
	bp = register_wide_hw_breakpoint(&attr, rt_hwbkpt_hit, p);
	if (IS_ERR((void __force *)bp))
		return PTR_ERR((void __force *)bp);
	p->st.hwbkpt = bp;
	return 0;
}

static void rt_hwbkpt_unregister(struct rt_probe *p)
{
	unregister_wide_hw_breakpoint(p->st.hwbkpt);
	p->st.hwbkpt = NULL;
}

#else /* !RT_USE_HWBKPT: the script has none (runtime.h) */

static inline int rt_hwbkpt_register(struct rt_probe *p)
{
	return -EOPNOTSUPP;
}

static inline void rt_hwbkpt_unregister(struct rt_probe *p)
{
}

#endif /* RT_USE_HWBKPT */

#endif /* RT_HWBKPT_H */
