/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rt_transport.h - the output buffer and the proc file taprun reads.
 *
 * One ring of TAPC_BUFSIZE bytes holds records in their wire format
 * (struct tapc_rec_hdr, then len bytes of payload), packed, possibly
 * wrapping around the end of the ring.  head and tail are free-running
 * byte counters; an offset in the ring is the counter modulo the size.
 *
 * Writers (probes, on any CPU) append whole records under a raw spinlock
 * taken with interrupts off; a record that does not fit is dropped and
 * counted, so a probe never waits for the reader.  The reader is the
 * only one to move tail: it copies whole records straight from the ring
 * to user space without the lock (writers never touch [tail, head)) and
 * then publishes the new tail.
 *
 * A probe must not call wake_up(): it may be running inside the
 * scheduler.  The reader says it is about to sleep by setting
 * rt_ring.waiting; a writer that sees it queues an irq_work, and the
 * irq_work does the wake_up later, from a clean interrupt context.
 *
 * Everything that uses the ring goes through rt_transport_write(), so
 * the ring can later be replaced by per-CPU buffers.
 */
#ifndef RT_TRANSPORT_H
#define RT_TRANSPORT_H

#define RT_HDR_SIZE sizeof(struct tapc_rec_hdr)

struct rt_ring {
	raw_spinlock_t lock;	/* serializes writers */
	char *data;		/* TAPC_BUFSIZE bytes */
	u64 head;		/* bytes ever written; release-stored */
	u64 tail;		/* bytes ever read; only the reader moves it */
	atomic64_t seq;		/* last record sequence number */
	atomic64_t dropped;	/* records that did not fit */
	atomic_t waiting;	/* the reader may be asleep */
	struct irq_work work;	/* wakes the reader */
	wait_queue_head_t wq;
	struct mutex read_mutex; /* one read() at a time */
	atomic_t opened;	/* one opener at a time */
	bool exit_reported;	/* reader side: EXIT was returned */
	bool done_reported;	/* reader side: DONE was returned */
};

static struct rt_ring rt_ring;

/* Copy len bytes into the ring at counter pos, wrapping if needed. */
static void rt_ring_put(u64 pos, const void *src, size_t len)
{
	size_t off = pos % TAPC_BUFSIZE;
	size_t first = min_t(size_t, len, TAPC_BUFSIZE - off);

	memcpy(rt_ring.data + off, src, first);
	if (first < len)
		memcpy(rt_ring.data, (const char *)src + first, len - first);
}

/* Copy len bytes out of the ring at counter pos, wrapping if needed. */
static void rt_ring_get(void *dst, u64 pos, size_t len)
{
	size_t off = pos % TAPC_BUFSIZE;
	size_t first = min_t(size_t, len, TAPC_BUFSIZE - off);

	memcpy(dst, rt_ring.data + off, first);
	if (first < len)
		memcpy((char *)dst + first, rt_ring.data, len - first);
}

/* The same to user space; returns the bytes not copied, as copy_to_user. */
static unsigned long rt_ring_get_user(char __user *dst, u64 pos, size_t len)
{
	size_t off = pos % TAPC_BUFSIZE;
	size_t first = min_t(size_t, len, TAPC_BUFSIZE - off);
	unsigned long left;

	left = copy_to_user(dst, rt_ring.data + off, first);
	if (left || first == len)
		return left + (len - first);
	return copy_to_user(dst + first, rt_ring.data, len - first);
}

/*
 * Wake the reader if it sleeps, without calling into the scheduler:
 * safe from any context, NMI included.  The barrier orders the caller's
 * store (head, or the exit flag) before the load of waiting; the reader
 * does the opposite in rt_reader_ready().
 */
static void rt_wake_reader(void)
{
	smp_mb();
	if (atomic_read(&rt_ring.waiting))
		irq_work_queue(&rt_ring.work);
}

static void rt_ring_irq_work(struct irq_work *work)
{
	/* Clear first: a reader woken here sets it again before sleeping. */
	atomic_set(&rt_ring.waiting, 0);
	wake_up_interruptible(&rt_ring.wq);
}

/*
 * Append one record.  reserve lets the runtime's own records use the
 * last RT_RESERVE bytes, so the summary survives a buffer full of
 * script output.  Returns 0, or -ENOSPC when the record was dropped.
 */
static int __rt_transport_write(u16 type, const void *data, u32 len,
				bool reserve)
{
	struct tapc_rec_hdr hdr;
	unsigned long flags;
	u64 head, tail, need = RT_HDR_SIZE + (u64)len;
	u64 room = reserve ? TAPC_BUFSIZE : TAPC_BUFSIZE - RT_RESERVE;

	/* An NMI may have interrupted a writer on this CPU: never spin. */
	if (in_nmi()) {
		if (!raw_spin_trylock_irqsave(&rt_ring.lock, flags))
			goto drop;
	} else {
		raw_spin_lock_irqsave(&rt_ring.lock, flags);
	}
	head = rt_ring.head;
	/* Pairs with the reader's release: it is done with [.., tail). */
	tail = smp_load_acquire(&rt_ring.tail);
	if (head - tail + need > room) {
		raw_spin_unlock_irqrestore(&rt_ring.lock, flags);
		goto drop;
	}
	hdr.len = len;
	hdr.type = type;
	hdr.cpu = raw_smp_processor_id();
	hdr.seq = atomic64_inc_return(&rt_ring.seq);
	rt_ring_put(head, &hdr, RT_HDR_SIZE);
	rt_ring_put(head + RT_HDR_SIZE, data, len);
	smp_store_release(&rt_ring.head, head + need);
	raw_spin_unlock_irqrestore(&rt_ring.lock, flags);
	rt_wake_reader();
	return 0;
drop:
	atomic64_inc(&rt_ring.dropped);
	return -ENOSPC;
}

/* Append one record of script output (or a script's warning/error). */
static int rt_transport_write(u16 type, const void *data, u32 len)
{
	return __rt_transport_write(type, data, len, false);
}

static int rt_transport_init(void)
{
	BUILD_BUG_ON(TAPC_BUFSIZE < 4 * RT_RESERVE);
	rt_ring.data = vzalloc(TAPC_BUFSIZE);
	if (!rt_ring.data)
		return -ENOMEM;
	raw_spin_lock_init(&rt_ring.lock);
	init_irq_work(&rt_ring.work, rt_ring_irq_work);
	init_waitqueue_head(&rt_ring.wq);
	mutex_init(&rt_ring.read_mutex);
	return 0;
}

/* Called once no probe can run any more. */
static void rt_transport_exit(void)
{
	irq_work_sync(&rt_ring.work);
	vfree(rt_ring.data);
	rt_ring.data = NULL;
}

/*
 * Reader side.  The session flags it looks at (exit_requested, done,
 * stop_received) are set by rt_context.h and rt_main.h.
 */

static bool rt_exit_pending(void)
{
	/* Pairs with the release in rt_request_exit(). */
	return atomic_read_acquire(&rt_sess.exit_requested) &&
	       !READ_ONCE(rt_sess.stop_received) && !rt_ring.exit_reported;
}

static bool rt_done_pending(void)
{
	/* Pairs with the release in rt_session_stop(). */
	return smp_load_acquire(&rt_sess.done) && !rt_ring.done_reported;
}

/* Is there anything for read() to return (data, a marker, or EOF)? */
static bool rt_reader_has_work(void)
{
	return smp_load_acquire(&rt_ring.head) != rt_ring.tail ||
	       rt_exit_pending() || rt_done_pending() ||
	       rt_ring.done_reported;
}

/*
 * The wait condition.  Announce that we may sleep before the final
 * check, so that a writer either sees waiting set or its data is seen
 * here (see rt_wake_reader()).
 */
static bool rt_reader_ready(void)
{
	if (rt_reader_has_work())
		return true;
	atomic_set(&rt_ring.waiting, 1);
	smp_mb();
	return rt_reader_has_work();
}

/*
 * Copy as many whole records as fit in count bytes to ubuf.  Returns
 * the bytes copied, -EFBIG when the first record does not fit, or
 * -EFAULT.  *drained tells whether the ring was emptied (up to the head
 * seen on entry).
 */
static ssize_t rt_ring_read(char __user *ubuf, size_t count, bool *drained)
{
	u64 tail = rt_ring.tail;
	u64 head = smp_load_acquire(&rt_ring.head);
	u64 pos = tail;
	struct tapc_rec_hdr hdr;

	while (pos != head) {
		rt_ring_get(&hdr, pos, RT_HDR_SIZE);
		if (pos - tail + RT_HDR_SIZE + hdr.len > count)
			break;
		pos += RT_HDR_SIZE + hdr.len;
	}
	*drained = pos == head;
	if (pos == tail)
		return *drained ? 0 : -EFBIG;
	if (rt_ring_get_user(ubuf, tail, pos - tail))
		return -EFAULT;
	/* Pairs with the writers' acquire: they may now reuse the space. */
	smp_store_release(&rt_ring.tail, pos);
	return pos - tail;
}

/* Hand one header-only marker record (EXIT or DONE) to the reader. */
static int rt_put_marker(char __user *ubuf, u16 type)
{
	struct tapc_rec_hdr hdr = {
		.len = 0,
		.type = type,
		.cpu = raw_smp_processor_id(),
		.seq = atomic64_inc_return(&rt_ring.seq),
	};

	return copy_to_user(ubuf, &hdr, RT_HDR_SIZE) ? -EFAULT : 0;
}

/*
 * One pass of read(): the records available, then EXIT if exit() was
 * asked for and everything written before it has been returned, then
 * DONE once "stop" finished and the ring is empty.
 */
static ssize_t rt_read_once(char __user *ubuf, size_t count)
{
	bool exit_seen = rt_exit_pending();
	bool done_seen = rt_done_pending();
	bool drained;
	ssize_t n;
	int err;

	/*
	 * The flags were read before head (rt_ring_read() reads head with
	 * acquire after this), so records written before exit() or before
	 * "stop" finished are all returned ahead of the marker.
	 */
	smp_rmb();
	n = rt_ring_read(ubuf, count, &drained);
	if (n < 0 || !drained || count - n < RT_HDR_SIZE)
		return n;
	if (exit_seen) {
		err = rt_put_marker(ubuf + n, TAPC_REC_EXIT);
		if (err)
			return n ? n : err;
		rt_ring.exit_reported = true;
		n += RT_HDR_SIZE;
	} else if (done_seen) {
		err = rt_put_marker(ubuf + n, TAPC_REC_DONE);
		if (err)
			return n ? n : err;
		rt_ring.done_reported = true;
		n += RT_HDR_SIZE;
	}
	return n;
}

static ssize_t rt_proc_read(struct file *file, char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	ssize_t n;
	int err;

	if (count < RT_HDR_SIZE)
		return -EINVAL;
	if (mutex_lock_interruptible(&rt_ring.read_mutex))
		return -ERESTARTSYS;
	for (;;) {
		n = rt_read_once(ubuf, count);
		if (n != 0 || rt_ring.done_reported)
			break;	/* records, an error, or end of file */
		if (file->f_flags & O_NONBLOCK) {
			n = -EAGAIN;
			break;
		}
		err = wait_event_interruptible(rt_ring.wq, rt_reader_ready());
		if (err) {
			n = err;
			break;
		}
	}
	mutex_unlock(&rt_ring.read_mutex);
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
	poll_wait(file, &rt_ring.wq, wait);
	return rt_reader_ready() ? EPOLLIN | EPOLLRDNORM : 0;
}

static int rt_proc_open(struct inode *inode, struct file *file)
{
	if (atomic_cmpxchg(&rt_ring.opened, 0, 1))
		return -EBUSY;
	/* proc_ops has no owner: pin the module while the file is open. */
	if (!try_module_get(THIS_MODULE)) {
		atomic_set(&rt_ring.opened, 0);
		return -ENODEV;
	}
	return stream_open(inode, file);
}

static int rt_proc_release(struct inode *inode, struct file *file)
{
	atomic_set(&rt_ring.opened, 0);
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
