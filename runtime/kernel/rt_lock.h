/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rt_lock.h - locking of script globals, included by generated code.
 *
 * Pass 2 knows which globals each probe reads and writes (locks.c);
 * pass 3 gives each probe a table of the rwlocks to take, in the order
 * of the program's globals, so no two probes wait on each other in
 * opposite orders.  A probe never spins for long: each lock is tried
 * MAXTRYLOCK times, and a hit that cannot get its locks is skipped and
 * counted (reported at the end, and MAXSKIPPED ends the session), since
 * the holder may be the very context this probe interrupted.
 */
#ifndef RT_LOCK_H
#define RT_LOCK_H

#include <linux/spinlock.h>

struct rt_lock {
	rwlock_t *lock;
	bool write;
};

/*
 * Every handler runs with preemption off (kprobes, timers, perf events
 * and tracepoints call it so; rt_run_kind() disables it for begin and
 * end probes), so the out-of-line write_trylock() and friends, whose
 * work beyond the lock word is a preempt_disable()/enable() pair, would
 * only add two calls per lock to every hit: the raw operations on the
 * lock word are enough.  Lockdep does not see these locks, which are
 * only ever tried, never waited for.  PREEMPT_RT's rwlocks sleep and
 * have no raw operations: there the plain calls stay.
 */
#ifdef CONFIG_PREEMPT_RT
#define rt_raw_read_trylock(l)	read_trylock(l)
#define rt_raw_write_trylock(l)	write_trylock(l)
#define rt_raw_read_unlock(l)	read_unlock(l)
#define rt_raw_write_unlock(l)	write_unlock(l)
#else
#define rt_raw_read_trylock(l)	do_raw_read_trylock(l)
#define rt_raw_write_trylock(l)	do_raw_write_trylock(l)
#define rt_raw_read_unlock(l)	do_raw_read_unlock(l)
#define rt_raw_write_unlock(l)	do_raw_write_unlock(l)
#endif

static __always_inline bool rt_trylock_once(const struct rt_lock *l)
{
	return l->write ? rt_raw_write_trylock(l->lock)
			: rt_raw_read_trylock(l->lock);
}

/* The other MAXTRYLOCK - 1 tries, out of the hit path. */
static noinline __maybe_unused bool rt_trylock_retry(const struct rt_lock *l)
{
	unsigned int n;

	for (n = 1; n < MAXTRYLOCK; n++) {
		cpu_relax();
		if (rt_trylock_once(l))
			return true;
	}
	return false;
}

/* The first try nearly always succeeds: inline, with no loop to set up. */
static __always_inline bool rt_trylock_one(const struct rt_lock *l)
{
	return likely(rt_trylock_once(l)) || rt_trylock_retry(l);
}

static __always_inline void rt_unlock_one(const struct rt_lock *l)
{
	if (l->write)
		rt_raw_write_unlock(l->lock);
	else
		rt_raw_read_unlock(l->lock);
}

/**
 * rt_lock_all() - take the locks of a probe's globals
 * @l: the probe's lock table, in the program's order
 * @n: its length
 *
 * Takes every lock of the table, or none (then the hit is skipped).
 *
 * Return: true if all were taken; false if none was (the hit is skipped).
 */
static __always_inline bool rt_lock_all(const struct rt_lock *l, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (!rt_trylock_one(&l[i])) {
			while (i--)
				rt_unlock_one(&l[i]);
			rt_count_skip();
			return false;
		}
	}
	return true;
}

/**
 * rt_unlock_all() - release what rt_lock_all() took
 * @l: the same lock table
 * @n: its length
 */
static __always_inline void rt_unlock_all(const struct rt_lock *l, unsigned int n)
{
	while (n--)
		rt_unlock_one(&l[n]);
}

#endif /* RT_LOCK_H */
