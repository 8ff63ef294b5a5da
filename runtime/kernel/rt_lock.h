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

static inline bool rt_trylock_one(const struct rt_lock *l)
{
	unsigned int n;

	for (n = 0; n < MAXTRYLOCK; n++) {
		if (l->write ? write_trylock(l->lock) : read_trylock(l->lock))
			return true;
		cpu_relax();
	}
	return false;
}

static inline void rt_unlock_one(const struct rt_lock *l)
{
	if (l->write)
		write_unlock(l->lock);
	else
		read_unlock(l->lock);
}

/* Takes every lock of the table, or none (then the hit is skipped). */
static inline bool rt_lock_all(const struct rt_lock *l, unsigned int n)
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

static inline void rt_unlock_all(const struct rt_lock *l, unsigned int n)
{
	while (n--)
		rt_unlock_one(&l[n]);
}

#endif /* RT_LOCK_H */
