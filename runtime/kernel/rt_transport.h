/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rt_transport.h - the per-CPU output buffers and the proc file taprun
 * reads.
 *
 * Writers.  Each CPU has its own ring of rt_bufsize bytes (a power of
 * two) holding records (struct rt_rec, then len bytes of payload),
 * packed, possibly wrapping around the end.  head and tail are
 * free-running byte counters.  Only the CPU that owns a ring writes it,
 * and only with its context claimed (rt_run_handler(), rt_runtime_msg()),
 * so writers need no lock and no atomic operation: nothing on the write
 * path touches a cache line another CPU writes, except the reader's tail.
 * A record that does not fit is dropped and counted on its CPU.
 *
 * Order.  Every record is stamped with rt_clock(), a clock that is
 * monotonic across CPUs.  The reader merges the rings by stamp, but it
 * must never hand out a record while another CPU may still publish one
 * with an earlier stamp.  So a writer first publishes a lower bound of
 * the stamp it is about to take (its previous stamp) in pend, then a
 * full barrier, then reads the clock; the reader reads the clock (T),
 * then a full barrier, then every pend.  A writer whose pend the reader
 * did not see reads the clock after T, so its stamp is >= T; one it did
 * see has a stamp >= its pend.  The reader hands out only the records
 * stamped <= min(T, every pend seen), in stamp order (then CPU order).
 *
 * Waking.  A probe must not call wake_up(): it may run inside the
 * scheduler.  The reader says it is about to sleep by setting
 * rt_tp.waiting; a writer that sees it queues an irq_work, which does
 * the wake_up from a clean interrupt context.
 *
 * Reserve.  The last RT_RESERVE bytes of each ring are kept for the
 * runtime's own records: half for script errors, the rest for the
 * closing summary, so "WARNING: N messages dropped" survives a flood.
 */
#ifndef RT_TRANSPORT_H
#define RT_TRANSPORT_H

#include <linux/log2.h>
#include <linux/percpu.h>
#include <linux/timekeeping.h>

/* The header of a record in a ring; the reader makes the wire header. */
struct rt_rec {
	u32 len;		/* payload bytes */
	u16 type;		/* enum tapc_rec_type */
	u16 pad;
	u64 ts;			/* rt_clock() when written */
};

#define RT_REC_SIZE sizeof(struct rt_rec)
#define RT_WIRE_SIZE sizeof(struct tapc_rec_hdr)
#define RT_NO_PEND U64_MAX

/* Who may use how much of a ring. */
enum rt_level {
	RT_LVL_OUT,		/* script output: all but RT_RESERVE */
	RT_LVL_ERR,		/* script errors: all but RT_RESERVE / 2 */
	RT_LVL_RUNTIME,		/* the runtime's summary: everything */
};

/* One CPU's ring.  The first line is its writer's, the second the reader's. */
struct rt_cpubuf {
	char *data;		/* rt_tp.size bytes */
	u64 head;		/* bytes ever written; store-release */
	u64 pend;		/* write in progress: its stamp's lower bound */
	u64 last_ts;		/* stamp of this CPU's last record */
	u64 dropped;		/* records that did not fit */
	u64 tail ____cacheline_aligned;	/* bytes ever read: the reader's */
};

/* The reader's view of one CPU during a read(). */
struct rt_rdcpu {
	u64 pos;		/* next record to hand out */
	u64 head;		/* head when the read began */
	struct rt_rec rec;	/* header of the record at pos, if have */
	bool have;
};

struct rt_transport {
	struct rt_cpubuf __percpu *bufs;
	size_t size;		/* bytes of each ring, a power of two */
	atomic_t waiting;	/* the reader may be asleep */
	struct irq_work work;	/* wakes the reader */
	wait_queue_head_t wq;
	/* Reader side, under read_mutex. */
	struct mutex read_mutex;
	struct rt_rdcpu *rd;	/* indexed by CPU */
	int *active;		/* CPUs with records to hand out */
	u64 seq;		/* last sequence number handed out */
	atomic_t opened;	/* one opener at a time */
	bool exit_reported;	/* EXIT was returned */
	bool done_reported;	/* DONE was returned */
};

static struct rt_transport rt_tp;

/* Bytes of each CPU's ring: -s, through taprun; rounded up to a power of 2. */
static unsigned int rt_bufsize = TAPC_BUFSIZE;
module_param(rt_bufsize, uint, 0444);
MODULE_PARM_DESC(rt_bufsize, "bytes of output buffer per CPU");

/* Monotonic across CPUs and safe in any context, NMI included. */
static __always_inline u64 rt_clock(void)
{
	return ktime_get_mono_fast_ns();
}

static void rt_ring_put(char *ring, u64 pos, const void *src, size_t len)
{
	size_t off = pos & (rt_tp.size - 1);
	size_t first = min_t(size_t, len, rt_tp.size - off);

	memcpy(ring + off, src, first);
	if (first < len)
		memcpy(ring, (const char *)src + first, len - first);
}

static void rt_ring_get(void *dst, const char *ring, u64 pos, size_t len)
{
	size_t off = pos & (rt_tp.size - 1);
	size_t first = min_t(size_t, len, rt_tp.size - off);

	memcpy(dst, ring + off, first);
	if (first < len)
		memcpy((char *)dst + first, ring, len - first);
}

/* The same to user space; returns the bytes not copied, as copy_to_user. */
static unsigned long rt_ring_get_user(char __user *dst, const char *ring,
				      u64 pos, size_t len)
{
	size_t off = pos & (rt_tp.size - 1);
	size_t first = min_t(size_t, len, rt_tp.size - off);
	unsigned long left;

	left = copy_to_user(dst, ring + off, first);
	if (left || first == len)
		return left + (len - first);
	return copy_to_user(dst + first, ring, len - first);
}

/*
 * Wake the reader if it sleeps, without calling into the scheduler:
 * safe from any context.  The barrier orders the caller's store (head,
 * or the exit flag) before the load of waiting; the reader does the
 * opposite in rt_reader_ready().
 */
static void rt_wake_reader(void)
{
	smp_mb();
	if (atomic_read(&rt_tp.waiting))
		irq_work_queue(&rt_tp.work);
}

static void rt_tp_irq_work(struct irq_work *work)
{
	/* Clear first: a reader woken here sets it again before sleeping. */
	atomic_set(&rt_tp.waiting, 0);
	wake_up_interruptible(&rt_tp.wq);
}

/*
 * Append one record to this CPU's ring.  Called with preemption off and
 * this CPU's context claimed (nothing else writes this ring meanwhile).
 * Returns 0, or -ENOSPC when the record was dropped (and counted).
 */
static int __rt_transport_write(u16 type, const void *data, u32 len,
				enum rt_level level)
{
	struct rt_cpubuf *b = this_cpu_ptr(rt_tp.bufs);
	u64 head = b->head, need = RT_REC_SIZE + (u64)len, room = rt_tp.size;
	struct rt_rec rec = { .len = len, .type = type };

	if (level == RT_LVL_OUT)
		room -= RT_RESERVE;
	else if (level == RT_LVL_ERR)
		room -= RT_RESERVE / 2;
	/* Pairs with the reader's release: it is done with [.., tail). */
	if (head - smp_load_acquire(&b->tail) + need > room) {
		WRITE_ONCE(b->dropped, b->dropped + 1);
		return -ENOSPC;
	}
	/* Announce the write before taking its stamp: see the top. */
	WRITE_ONCE(b->pend, b->last_ts);
	smp_mb();
	rec.ts = max(rt_clock(), b->last_ts);
	rt_ring_put(b->data, head, &rec, RT_REC_SIZE);
	rt_ring_put(b->data, head + RT_REC_SIZE, data, len);
	smp_store_release(&b->head, head + need);
	b->last_ts = rec.ts;
	/* After head: a reader that sees no pend sees the record. */
	smp_store_release(&b->pend, RT_NO_PEND);
	rt_wake_reader();
	return 0;
}

/* Append one record of script output. */
static int rt_transport_write(u16 type, const void *data, u32 len)
{
	return __rt_transport_write(type, data, len, RT_LVL_OUT);
}

/* Records dropped so far, on every CPU. */
static u64 rt_transport_dropped(void)
{
	u64 n = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		n += READ_ONCE(per_cpu_ptr(rt_tp.bufs, cpu)->dropped);
	return n;
}

static void rt_transport_free(void)
{
	int cpu;

	if (rt_tp.bufs) {
		for_each_possible_cpu(cpu)
			vfree(per_cpu_ptr(rt_tp.bufs, cpu)->data);
		free_percpu(rt_tp.bufs);
		rt_tp.bufs = NULL;
	}
	kfree(rt_tp.rd);
	kfree(rt_tp.active);
	rt_tp.rd = NULL;
	rt_tp.active = NULL;
}

static int rt_transport_init(void)
{
	struct rt_cpubuf *b;
	int cpu;

	BUILD_BUG_ON(TAPC_BUFSIZE < 4 * RT_RESERVE);
	if (rt_bufsize < 4 * RT_RESERVE || rt_bufsize > (1U << 30))
		return -EINVAL;
	rt_tp.size = roundup_pow_of_two(rt_bufsize);
	init_irq_work(&rt_tp.work, rt_tp_irq_work);
	init_waitqueue_head(&rt_tp.wq);
	mutex_init(&rt_tp.read_mutex);
	rt_tp.bufs = alloc_percpu(struct rt_cpubuf);
	rt_tp.rd = kcalloc(nr_cpu_ids, sizeof(*rt_tp.rd), GFP_KERNEL);
	rt_tp.active = kcalloc(nr_cpu_ids, sizeof(*rt_tp.active), GFP_KERNEL);
	if (!rt_tp.bufs || !rt_tp.rd || !rt_tp.active)
		goto nomem;
	for_each_possible_cpu(cpu) {
		b = per_cpu_ptr(rt_tp.bufs, cpu);
		b->pend = RT_NO_PEND;
		b->data = vmalloc_node(rt_tp.size, cpu_to_node(cpu));
		if (!b->data)
			goto nomem;
	}
	return 0;
nomem:
	rt_transport_free();
	return -ENOMEM;
}

/* Called once no probe can run any more. */
static void rt_transport_exit(void)
{
	irq_work_sync(&rt_tp.work);
	rt_transport_free();
}

/*
 * Reader side.  The session flags it looks at (exit_requested, done,
 * stop_received) are set by rt_context.h and rt_main.h.
 */

static bool rt_exit_pending(void)
{
	/* Pairs with the release in rt_request_exit(). */
	return atomic_read_acquire(&rt_sess.exit_requested) &&
	       !READ_ONCE(rt_sess.stop_received) && !rt_tp.exit_reported;
}

static bool rt_done_pending(void)
{
	/* Pairs with the release in rt_session_stop(). */
	return smp_load_acquire(&rt_sess.done) && !rt_tp.done_reported;
}

/*
 * The stamp up to which records may be handed out now (see the top).
 * Read every head after this (with acquire): a write seen finished
 * (pend clear) is then seen whole.
 */
static u64 rt_read_limit(void)
{
	struct rt_cpubuf *b;
	u64 limit = rt_clock(), p;
	int cpu;

	smp_mb();
	for_each_possible_cpu(cpu) {
		b = per_cpu_ptr(rt_tp.bufs, cpu);
		p = smp_load_acquire(&b->pend);
		if (p < limit)
			limit = p;
	}
	return limit;
}

/*
 * Is there a record to hand out now?  Without read_mutex: only a hint
 * if a read() runs at the same time (then poll says yes anyway).
 */
static bool rt_records_ready(void)
{
	struct rt_cpubuf *b;
	struct rt_rec rec;
	u64 limit = rt_read_limit(), tail;
	int cpu;

	for_each_possible_cpu(cpu) {
		b = per_cpu_ptr(rt_tp.bufs, cpu);
		tail = READ_ONCE(b->tail);
		if (smp_load_acquire(&b->head) == tail)
			continue;
		rt_ring_get(&rec, b->data, tail, RT_REC_SIZE);
		if (rec.ts <= limit)
			return true;
	}
	return false;
}

/* Is there anything for read() to return (records, a marker, or EOF)? */
static bool rt_reader_has_work(void)
{
	return rt_exit_pending() || rt_done_pending() ||
	       rt_tp.done_reported || rt_records_ready();
}

/*
 * The wait condition.  Announce that we may sleep before the final
 * check, so that a writer either sees waiting set or its record (or the
 * end of its write) is seen here (see rt_wake_reader()).
 */
static bool rt_reader_ready(void)
{
	if (rt_reader_has_work())
		return true;
	atomic_set(&rt_tp.waiting, 1);
	smp_mb();
	return rt_reader_has_work();
}

/* Copy one wire header to user space. */
static int rt_put_hdr(char __user *ubuf, u16 type, u16 cpu, u32 len, u64 ts)
{
	struct tapc_rec_hdr hdr = {
		.len = len,
		.type = type,
		.cpu = cpu,
		.seq = ++rt_tp.seq,
		.ts = ts,
	};

	return copy_to_user(ubuf, &hdr, RT_WIRE_SIZE) ? -EFAULT : 0;
}

/* The CPU whose next record comes first, if stamped <= limit; or -1. */
static int rt_merge_next(int nactive, u64 limit)
{
	struct rt_rdcpu *r;
	int i, cpu, best = -1;

	for (i = 0; i < nactive; i++) {
		cpu = rt_tp.active[i];
		r = &rt_tp.rd[cpu];
		if (r->pos == r->head)
			continue;
		if (!r->have) {
			rt_ring_get(&r->rec, per_cpu_ptr(rt_tp.bufs, cpu)->data,
				    r->pos, RT_REC_SIZE);
			r->have = true;
		}
		if (r->rec.ts > limit)
			continue;
		if (best < 0 || r->rec.ts < rt_tp.rd[best].rec.ts)
			best = cpu;	/* CPUs are in order: ties go low */
	}
	return best;
}

/*
 * Copy as many whole records as fit in count bytes to ubuf, in stamp
 * order.  Returns the bytes copied, -EFBIG when the first record does
 * not fit, or -EFAULT.  *drained tells whether every record published
 * when the read began was handed out.
 */
static ssize_t rt_records_read(char __user *ubuf, size_t count, bool *drained)
{
	struct rt_cpubuf *b;
	struct rt_rdcpu *r;
	u64 limit = rt_read_limit();
	size_t n = 0, need;
	int cpu, nactive = 0, i;
	ssize_t err = 0;

	for_each_possible_cpu(cpu) {
		b = per_cpu_ptr(rt_tp.bufs, cpu);
		r = &rt_tp.rd[cpu];
		r->head = smp_load_acquire(&b->head);
		r->pos = b->tail;
		r->have = false;
		if (r->pos != r->head)
			rt_tp.active[nactive++] = cpu;
	}
	/*
	 * The heads were read after the limit, so they may hold records
	 * stamped after it: those wait for the next read.
	 */
	while ((cpu = rt_merge_next(nactive, limit)) >= 0) {
		r = &rt_tp.rd[cpu];
		need = RT_WIRE_SIZE + r->rec.len;
		if (n + need > count) {
			if (n == 0)
				err = -EFBIG;
			break;
		}
		b = per_cpu_ptr(rt_tp.bufs, cpu);
		if (rt_put_hdr(ubuf + n, r->rec.type, cpu, r->rec.len,
			       r->rec.ts) ||
		    rt_ring_get_user(ubuf + n + RT_WIRE_SIZE, b->data,
				     r->pos + RT_REC_SIZE, r->rec.len)) {
			err = -EFAULT;
			break;
		}
		n += need;
		r->pos += RT_REC_SIZE + r->rec.len;
		r->have = false;
	}
	*drained = true;
	for (i = 0; i < nactive; i++) {
		cpu = rt_tp.active[i];
		r = &rt_tp.rd[cpu];
		if (r->pos != r->head)
			*drained = false;
		/* Pairs with the writer's acquire: it may reuse the space. */
		smp_store_release(&per_cpu_ptr(rt_tp.bufs, cpu)->tail, r->pos);
	}
	if (n)
		return n;
	return err;
}

/* Hand one header-only marker record (EXIT or DONE) to the reader. */
static int rt_put_marker(char __user *ubuf, u16 type)
{
	return rt_put_hdr(ubuf, type, raw_smp_processor_id(), 0, rt_clock());
}

/*
 * One pass of read(): the records available, then EXIT if exit() was
 * asked for and everything written before it has been returned, then
 * DONE once "stop" finished and the rings are empty.
 */
static ssize_t rt_read_once(char __user *ubuf, size_t count)
{
	bool exit_seen = rt_exit_pending();
	bool done_seen = rt_done_pending();
	bool drained;
	ssize_t n;
	int err;

	/*
	 * The flags were read before the heads (rt_records_read() reads
	 * them with acquire after this), so records written before exit()
	 * or before "stop" finished all come ahead of the marker.
	 */
	smp_rmb();
	n = rt_records_read(ubuf, count, &drained);
	if (n < 0 || !drained || count - n < RT_WIRE_SIZE)
		return n;
	if (exit_seen) {
		err = rt_put_marker(ubuf + n, TAPC_REC_EXIT);
		if (err)
			return n ? n : err;
		rt_tp.exit_reported = true;
		n += RT_WIRE_SIZE;
	} else if (done_seen) {
		err = rt_put_marker(ubuf + n, TAPC_REC_DONE);
		if (err)
			return n ? n : err;
		rt_tp.done_reported = true;
		n += RT_WIRE_SIZE;
	}
	return n;
}

static ssize_t rt_proc_read(struct file *file, char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	ssize_t n;
	int err;

	if (count < RT_WIRE_SIZE)
		return -EINVAL;
	if (mutex_lock_interruptible(&rt_tp.read_mutex))
		return -ERESTARTSYS;
	for (;;) {
		n = rt_read_once(ubuf, count);
		if (n != 0 || rt_tp.done_reported)
			break;	/* records, an error, or end of file */
		if (file->f_flags & O_NONBLOCK) {
			n = -EAGAIN;
			break;
		}
		err = wait_event_interruptible(rt_tp.wq, rt_reader_ready());
		if (err) {
			n = err;
			break;
		}
	}
	mutex_unlock(&rt_tp.read_mutex);
	return n;
}

static ssize_t rt_proc_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	char cmd[64];
	int err;

	if (count >= sizeof(cmd))
		return -EINVAL;
	if (copy_from_user(cmd, ubuf, count))
		return -EFAULT;
	cmd[count] = '\0';
	err = rt_session_command(strim(cmd));
	return err ? err : count;
}

static __poll_t rt_proc_poll(struct file *file, poll_table *wait)
{
	poll_wait(file, &rt_tp.wq, wait);
	return rt_reader_ready() ? EPOLLIN | EPOLLRDNORM : 0;
}

static int rt_proc_open(struct inode *inode, struct file *file)
{
	if (atomic_cmpxchg(&rt_tp.opened, 0, 1))
		return -EBUSY;
	/* proc_ops has no owner: pin the module while the file is open. */
	if (!try_module_get(THIS_MODULE)) {
		atomic_set(&rt_tp.opened, 0);
		return -ENODEV;
	}
	return stream_open(inode, file);
}

static int rt_proc_release(struct inode *inode, struct file *file)
{
	atomic_set(&rt_tp.opened, 0);
	module_put(THIS_MODULE);
	return 0;
}

static const struct proc_ops rt_proc_ops = {
	.proc_open = rt_proc_open,
	.proc_read = rt_proc_read,
	.proc_write = rt_proc_write,
	.proc_poll = rt_proc_poll,
	.proc_release = rt_proc_release,
};

#endif /* RT_TRANSPORT_H */
