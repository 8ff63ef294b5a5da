/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rt_context.h - per-CPU contexts, errors, and the calls generated code
 * makes: rt_printf, rt_print, rt_error, rt_exit, rt_target.
 *
 * A context is only touched by the CPU it belongs to, with preemption
 * off and its busy count held (see rt_run_handler() in rt_probes.h), so
 * none of this needs a lock.
 */
#ifndef RT_CONTEXT_H
#define RT_CONTEXT_H

/*
 * Each CPU's context, reached with one %gs-relative load on the hit path
 * (an array indexed by smp_processor_id() costs three more loads).
 */
static DEFINE_PER_CPU(struct rt_context *, rt_ctx);

static int rt_contexts_alloc(size_t size)
{
	struct rt_context *c;
	int cpu;

	if (size < sizeof(struct rt_context))
		return -EINVAL;
	for_each_possible_cpu(cpu) {
		c = kvzalloc_node(size, GFP_KERNEL, cpu_to_node(cpu));
		if (!c)
			return -ENOMEM;	/* the caller frees */
		/* Free is -1, so a hit's claim is one incq that tests zero. */
		local_set(&c->busy, -1);
		per_cpu(rt_ctx, cpu) = c;
	}
	return 0;
}

static void rt_contexts_free(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		kvfree(per_cpu(rt_ctx, cpu));
		per_cpu(rt_ctx, cpu) = NULL;
	}
}

/*
 * End the session: no probe but the end probes runs after this, and the
 * reader is told (EXIT record) once it has read what came before.
 */
static void rt_request_exit(void)
{
	int st = atomic_read(&rt_sess.state);
	int old;

	atomic_set_release(&rt_sess.exit_requested, 1);
	while (st == RT_ST_STARTING || st == RT_ST_RUNNING) {
		old = atomic_cmpxchg(&rt_sess.state, st, RT_ST_STOPPING);
		if (old == st)
			break;
		st = old;
	}
	rt_wake_reader();
}

/* A hit found its CPU's context busy. */
static void rt_count_skip(void)
{
	/* Reported in the summary: writing here could nest in a writer. */
	if (atomic_inc_return(&rt_sess.skipped) > MAXSKIPPED &&
	    !atomic_xchg(&rt_sess.skip_overflow, 1))
		rt_request_exit();
}

/* Clamp a vsnprintf() result to what is in a buffer of size bytes. */
static int rt_fit(int n, size_t size)
{
	if (n < 0)
		return 0;
	if ((size_t)n >= size) {
		atomic64_inc(&rt_sess.truncated);
		return size - 1;
	}
	return n;
}

/* Write the failed hit's ERROR record; its context is still held. */
static void rt_report_error(struct rt_context *c)
{
	size_t size = sizeof(c->printbuf);
	int n;

	if (c->error_loc)
		n = snprintf(c->printbuf, size,
			     "ERROR: %s near %s (probe %s)\n",
			     c->error, c->error_loc, c->probe->pp);
	else
		n = snprintf(c->printbuf, size, "ERROR: %s (probe %s)\n",
			     c->error, c->probe->pp);
	n = rt_fit(n, size);
	c->printbuf[n - 1] = '\n';	/* n > 0: the text is not empty */
	__rt_transport_write(TAPC_REC_ERROR, c->printbuf, n, RT_LVL_ERR);
	if (atomic_inc_return(&rt_sess.errors) > MAXERRORS)
		rt_request_exit();
}

/*
 * A message of the runtime itself (WARN or ERROR record), from process
 * context outside any handler.  This CPU's context is claimed while its
 * buffer is used, so a probe firing meanwhile is skipped instead of
 * reusing the buffer or writing into this CPU's ring at the same time.
 */
static __printf(2, 3) void rt_runtime_msg(u16 type, const char *fmt, ...)
{
	struct rt_context *c;
	va_list ap;
	int n;

	preempt_disable();
	c = this_cpu_read(rt_ctx);
	local_inc(&c->busy);
	va_start(ap, fmt);
	n = rt_fit(vsnprintf(c->printbuf, sizeof(c->printbuf), fmt, ap),
		   sizeof(c->printbuf));
	va_end(ap);
	if (n > 0)
		__rt_transport_write(type, c->printbuf, n, RT_LVL_RUNTIME);
	local_dec(&c->busy);
	preempt_enable();
}

/*
 * The calls generated code makes.  Not every script uses every one,
 * hence __maybe_unused.
 */

/**
 * rt_printf() - print with a kernel printf format
 * @c: the context of the probe hit
 * @fmt: the format
 * @...: its arguments
 *
 * Kernel printf format; one whole OUT record.
 */
static __printf(2, 3) __maybe_unused
void rt_printf(struct rt_context *c, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(c->printbuf, sizeof(c->printbuf), fmt, ap);
	va_end(ap);
	n = rt_fit(n, sizeof(c->printbuf));
	if (n > 0)
		rt_transport_write(TAPC_REC_OUT, c->printbuf, n);
}

/* One OUT record of len bytes (a record larger than the buffer drops). */
static __maybe_unused
void rt_print(struct rt_context *c, const char *str, size_t len)
{
	if (len > 0)
		rt_transport_write(TAPC_REC_OUT, str,
				   min_t(size_t, len, rt_tp.size));
}

/**
 * rt_error() - fail the current hit with an error
 * @c: the context of the probe hit
 * @loc: the script location an error names
 * @fmt: the message's format
 * @...: its arguments
 *
 * Fail this hit.  The first error of a hit wins; the generated code
 * returns at its next check of c->error, and the runtime reports it.
 */
static __printf(3, 4) __maybe_unused
void rt_error(struct rt_context *c, const char *loc, const char *fmt, ...)
{
	va_list ap;

	if (c->error)
		return;
	va_start(ap, fmt);
	vsnprintf(c->errbuf, sizeof(c->errbuf), fmt, ap);
	va_end(ap);
	c->error = c->errbuf;
	c->error_loc = loc;
}

/**
 * rt_exit() - exit(): end the session once this hit is over
 * @c: the context of the probe hit
 */
static inline void rt_exit(struct rt_context *c)
{
	rt_request_exit();
}

/**
 * rt_target() - target(): the process given by -x or -c
 *
 * Return: its pid, or 0 if there is none.
 */
static inline rt_long rt_target(void)
{
	return READ_ONCE(rt_sess.target);
}

#endif /* RT_CONTEXT_H */
