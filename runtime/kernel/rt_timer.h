/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rt_timer.h - timer.s/ms/us/ns/hz(N) on hrtimers and timer.jiffies(N) on
 * a timer_list, each with an optional .randomize(M): every period gets a
 * uniform random value in [-M, M] added.  As in stap, one timer per probe
 * point, firing on one CPU at a time (not on every CPU: that is
 * timer.profile, rt_perf.h).  Handlers run in (soft or hard) interrupt
 * context with no registers.
 */
#ifndef RT_TIMER_H
#define RT_TIMER_H

#ifdef RT_USE_TIMER

#include <linux/hrtimer.h>
#include <linux/jiffies.h>
#include <linux/random.h>
#include <linux/timer.h>

/* base + a uniform value in [-spread, spread]. */
static u64 rt_timer_jitter(u64 base, u64 spread)
{
	if (!spread)
		return base;
	return base - spread + get_random_u32() % (u32)(2 * spread + 1);
}

static enum hrtimer_restart rt_hrtimer_fire(struct hrtimer *t)
{
	struct rt_probe *p = container_of(t, struct rt_probe, st.hrt);

	rt_run_handler(p, NULL, RT_ST_RUNNING);
	if (READ_ONCE(p->st.stopping))
		return HRTIMER_NORESTART;
	hrtimer_forward_now(t, ns_to_ktime(rt_timer_jitter(p->period_ns,
							   p->randomize_ns)));
	return HRTIMER_RESTART;
}

static void rt_jiffies_fire(struct timer_list *t)
{
	struct rt_probe *p = container_of(t, struct rt_probe, st.tl);

	preempt_disable();
	rt_run_handler(p, NULL, RT_ST_RUNNING);
	preempt_enable();
	if (!READ_ONCE(p->st.stopping))
		mod_timer(t, jiffies + rt_timer_jitter(p->jiffies,
						       p->randomize_jiffies));
}

static int rt_timer_register(struct rt_probe *p)
{
	struct rt_probe_state *st = &p->st;

	if (p->jiffies) {
		timer_setup(&st->tl, rt_jiffies_fire, 0);
		mod_timer(&st->tl, jiffies + rt_timer_jitter(p->jiffies,
						p->randomize_jiffies));
		return 0;
	}
	hrtimer_init(&st->hrt, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	st->hrt.function = rt_hrtimer_fire;
	hrtimer_start(&st->hrt, ns_to_ktime(rt_timer_jitter(p->period_ns,
							   p->randomize_ns)),
		      HRTIMER_MODE_REL);
	return 0;
}

/* After it the handler is not running and will not run again. */
static void rt_timer_unregister(struct rt_probe *p)
{
	WRITE_ONCE(p->st.stopping, true);
	if (p->jiffies)
		del_timer_sync(&p->st.tl);
	else
		hrtimer_cancel(&p->st.hrt);
}

#else /* !RT_USE_TIMER: the script has none (runtime.h) */

static inline int rt_timer_register(struct rt_probe *p)
{
	return -EOPNOTSUPP;
}

static inline void rt_timer_unregister(struct rt_probe *p)
{
}

#endif /* RT_USE_TIMER */

#endif /* RT_TIMER_H */
