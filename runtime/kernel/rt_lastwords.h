/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rt_lastwords.h - a script's last words survive a crash.
 *
 * When the kernel oopses or panics, the output the script printed but
 * the reader has not yet taken is still in the per-CPU rings
 * (rt_transport.h), and a crashed machine never hands it out.  So a die
 * notifier (an oops) and a panic notifier write those records to the
 * kernel console, merged by stamp as the reader would, between a header
 * and a footer line that say what they are.  A serial console, netconsole,
 * kdump's log or `tapc --vm`'s report of a guest panic then shows what
 * the script printed up to the crash, a backtrace printed by a probe on
 * the failing path included.
 *
 * At a panic the other CPUs are stopped before the notifiers run, so the
 * rings hold still.  At an oops they may still write; only the records
 * published (below each head, read with acquire) are read, and nothing is
 * written.  The rings' tails are left alone: a reader still alive after
 * an oops hands the same records out again.  The words are written once,
 * by the first of the two events; at most RT_LASTWORDS_MAX bytes of each
 * CPU's newest records are shown, the older ones counted.
 */
#ifndef RT_LASTWORDS_H
#define RT_LASTWORDS_H

#include <linux/kdebug.h>
#include <linux/notifier.h>
#include <linux/panic_notifier.h>

#define RT_LASTWORDS_MAX 8192	/* bytes of records shown per CPU */
#define RT_LASTWORDS_LINE 200	/* console line length before a break */

static atomic_t rt_lastwords_said = ATOMIC_INIT(0);

/* The console line being assembled: records may end mid-line. */
static char rt_lw_line[RT_LASTWORDS_LINE + 1];
static size_t rt_lw_len;

static void rt_lw_flush(void)
{
	if (!rt_lw_len)
		return;
	rt_lw_line[rt_lw_len] = '\0';
	printk(KERN_EMERG "%s| %s\n", KBUILD_MODNAME, rt_lw_line);
	rt_lw_len = 0;
}

/* One record's payload, from the ring, a byte at a time into lines. */
static void rt_lw_record(const char *ring, u64 pos, u32 len)
{
	u32 i;
	char ch;

	for (i = 0; i < len; i++) {
		rt_ring_get(&ch, ring, pos + i, 1);
		if (ch == '\n') {
			if (!rt_lw_len)
				rt_lw_line[rt_lw_len++] = ' ';
			rt_lw_flush();
			continue;
		}
		rt_lw_line[rt_lw_len++] = ch;
		if (rt_lw_len == RT_LASTWORDS_LINE)
			rt_lw_flush();
	}
}

/*
 * The first record of a CPU's unread ones that is within
 * RT_LASTWORDS_MAX bytes of its head; *skipped counts those before it.
 */
static u64 rt_lw_start(struct rt_cpubuf *b, u64 head, u64 *skipped)
{
	u64 pos = READ_ONCE(b->tail);
	struct rt_rec rec;

	while (head - pos > RT_LASTWORDS_MAX) {
		rt_ring_get(&rec, b->data, pos, RT_REC_SIZE);
		pos += RT_REC_SIZE + rec.len;
		(*skipped)++;
	}
	return pos;
}

/* Print every CPU's unread records, oldest stamp first. */
static void rt_lastwords_say(const char *why)
{
	struct rt_rdcpu *rd = rt_tp.rd, *r, *best;
	struct rt_cpubuf *b;
	u64 skipped = 0, shown = 0;
	int cpu, bestcpu;

	if (atomic_xchg(&rt_lastwords_said, 1) || !rt_tp.bufs || !rd)
		return;
	/* rd[] is the reader's; it will not run again on a dead machine. */
	for_each_possible_cpu(cpu) {
		b = per_cpu_ptr(rt_tp.bufs, cpu);
		rd[cpu].head = smp_load_acquire(&b->head);
		rd[cpu].pos = rt_lw_start(b, rd[cpu].head, &skipped);
	}
	printk(KERN_EMERG "%s: %s: the script's output not yet delivered:\n",
	       KBUILD_MODNAME, why);
	for (;;) {
		best = NULL;
		bestcpu = -1;
		for_each_possible_cpu(cpu) {
			r = &rd[cpu];
			if (r->pos == r->head)
				continue;
			b = per_cpu_ptr(rt_tp.bufs, cpu);
			rt_ring_get(&r->rec, b->data, r->pos, RT_REC_SIZE);
			if (!best || r->rec.ts < best->rec.ts) {
				best = r;
				bestcpu = cpu;
			}
		}
		if (!best)
			break;
		b = per_cpu_ptr(rt_tp.bufs, bestcpu);
		if (best->rec.type == TAPC_REC_OUT ||
		    best->rec.type == TAPC_REC_WARN ||
		    best->rec.type == TAPC_REC_ERROR)
			rt_lw_record(b->data, best->pos + RT_REC_SIZE,
				     best->rec.len);
		best->pos += RT_REC_SIZE + best->rec.len;
		shown++;
	}
	rt_lw_flush();
	printk(KERN_EMERG "%s: end of the script's output (%llu records, %llu older ones not shown)\n",
	       KBUILD_MODNAME, shown, skipped);
}

static int rt_lastwords_panic(struct notifier_block *nb, unsigned long ev,
			      void *msg)
{
	rt_lastwords_say("kernel panic");
	return NOTIFY_DONE;
}

static int rt_lastwords_die(struct notifier_block *nb, unsigned long ev,
			    void *data)
{
	if (ev == DIE_OOPS)
		rt_lastwords_say("kernel oops");
	return NOTIFY_DONE;
}

static struct notifier_block rt_lastwords_panic_nb = {
	.notifier_call = rt_lastwords_panic,
	.priority = INT_MAX,	/* before notifiers that may not return */
};

static struct notifier_block rt_lastwords_die_nb = {
	.notifier_call = rt_lastwords_die,
};

/**
 * rt_lastwords_register() - write the rings to the console on a crash
 *
 * Called once the rings exist; undone by rt_lastwords_unregister()
 * before they are freed.
 */
static void rt_lastwords_register(void)
{
	atomic_notifier_chain_register(&panic_notifier_list,
				       &rt_lastwords_panic_nb);
	register_die_notifier(&rt_lastwords_die_nb);
}

static void rt_lastwords_unregister(void)
{
	unregister_die_notifier(&rt_lastwords_die_nb);
	atomic_notifier_chain_unregister(&panic_notifier_list,
					 &rt_lastwords_panic_nb);
}

#endif /* RT_LASTWORDS_H */
