/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rt_probes.h - probe registration and dispatch.
 *
 * Every kind of probe ends in rt_run_handler(), which claims this CPU's
 * context, runs the generated handler and reports its error if it failed.
 */
#ifndef RT_PROBES_H
#define RT_PROBES_H

/* Arrays for the batch unregister calls, allocated at module load. */
static struct kprobe **rt_kp_vec;
static struct kretprobe **rt_krp_vec;

/*
 * Run fn (probe p's handler, or its @entry handler) for one hit if the
 * session is in state (begin probes run while STARTING, kprobes while
 * RUNNING, end probes while STOPPING).  entry is the kretprobe's data
 * for this call, args a tracepoint's arguments.  Returns whether it ran
 * without error.  Called with preemption off.  A caller that names fn
 * as a constant (RT_KPROBE_PRE) gets a direct call, which gcc inlines,
 * instead of an indirect one.
 *
 * Between hits c->error is NULL (the error path clears it after the
 * report) and c->nesting is 0 (every script function gives back the
 * level it took), so neither is stored on the hit path; c->error_loc
 * is only read when c->error is set, and rt_error() sets both.
 * c->entry_data is only read by the handlers of a probe with @entry,
 * whose every hit passes it.
 */
static __always_inline bool rt_run_fn(struct rt_probe *p,
				      void (*fn)(struct rt_context *c),
				      struct pt_regs *regs, int state,
				      const unsigned long *args, void *entry)
{
	struct rt_context *c;
	bool ok = false;

	if (atomic_read(&rt_sess.state) != state)
		return false;
	c = this_cpu_read(rt_ctx);
	/*
	 * One read-modify-write, not a test then a set: an interrupt or NMI
	 * may fire in between.  Only this CPU touches its context, so a
	 * local_t (no lock prefix) is enough.  Free is -1: the claim
	 * succeeds when the increment gives 0.
	 */
	if (!local_inc_and_test(&c->busy)) {
		rt_count_skip();
		goto out;
	}
	c->probe = p;
	c->regs = regs;
	if (args)
		memcpy(c->trace_args, args, sizeof(c->trace_args));
	if (entry)
		c->entry_data = entry;
	c->actions = MAXACTION;
	fn(c);
	ok = !c->error;
	if (unlikely(!ok)) {
		rt_report_error(c);
		c->error = NULL;
	}
out:
	local_dec(&c->busy);
	return ok;
}

static void rt_run_handler_args(struct rt_probe *p, struct pt_regs *regs,
				int state, const unsigned long *args)
{
	rt_run_fn(p, p->handler, regs, state, args, NULL);
}

static void rt_run_handler(struct rt_probe *p, struct pt_regs *regs,
			   int state)
{
	rt_run_handler_args(p, regs, state, NULL);
}

/*
 * A kprobe pre-handler of its own for one generated handler, NAME_kprobe:
 * the whole hit (state check, context, handler) is then one function.
 * Generated code writes RT_KPROBE_PRE(probe_0) after probe_0 and sets
 * .kprobe_pre = probe_0_kprobe, and no .handler, in its table entries:
 * probe_0 then has one caller, and gcc inlines it.  notrace: ftrace has
 * no business in a probe handler, and its entry hook costs an
 * instruction per hit.
 */
#define RT_KPROBE_PRE(handler)						\
static notrace int handler##_kprobe(struct kprobe *kp,			\
				    struct pt_regs *regs)		\
{									\
	rt_run_fn(container_of(kp, struct rt_probe, st.kp), handler,	\
		  regs, RT_ST_RUNNING, NULL, NULL);			\
	return 0;							\
}

/* Hits the kernel's kprobes missed (in another probe's handler, or no
 * kretprobe instance free) count as skipped, once the probe is gone. */
static void rt_count_missed(struct rt_probe *p)
{
	if (p->kind == RT_PROBE_KPROBE) {
		atomic_add(p->st.kp.nmissed, &rt_sess.skipped);
	} else if (p->kind == RT_PROBE_KRETPROBE) {
		atomic_add(p->st.krp.nmissed, &rt_sess.skipped);
		atomic_add(p->st.krp.kp.nmissed, &rt_sess.skipped);
	}
}

#include "rt_timer.h"
#include "rt_perf.h"
#include "rt_trace.h"
#include "rt_hwbkpt.h"
#include "rt_procfs.h"
#include "rt_netfilter.h"
#include "rt_regerr.h"
#include "rt_module.h"

static int rt_kprobe_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct rt_probe *p = container_of(kp, struct rt_probe, st.kp);

	rt_run_handler(p, regs, RT_ST_RUNNING);
	return 0;
}

#ifdef RT_USE_KRETPROBE

/* The probe a kretprobe instance belongs to; NULL once it is gone. */
static struct rt_probe *rt_kretprobe_probe(struct kretprobe_instance *ri)
{
	struct kretprobe *krp = get_kretprobe(ri);

	return krp ? container_of(krp, struct rt_probe, st.krp) : NULL;
}

/*
 * A probe with @entry saves its values in this call's kretprobe data.
 * A non-zero return drops the call: an entry that was skipped (context
 * busy, session not running) or failed has nothing for the return
 * handler to read, so that return is not run.  Calls the kernel could
 * not track (maxactive instances in use) reach neither handler; they
 * count in krp.nmissed.
 */
static int rt_kretprobe_entry(struct kretprobe_instance *ri,
			      struct pt_regs *regs)
{
	struct rt_probe *p = rt_kretprobe_probe(ri);

	if (!p)
		return 1;
	return rt_run_fn(p, p->entry, regs, RT_ST_RUNNING, NULL,
			 ri->data) ? 0 : 1;
}

/* regs are the registers at the return: regs_return_value() works. */
static int rt_kretprobe_ret(struct kretprobe_instance *ri,
			    struct pt_regs *regs)
{
	struct rt_probe *p = rt_kretprobe_probe(ri);

	if (!p)
		return 0;
	rt_run_fn(p, p->handler, regs, RT_ST_RUNNING, NULL,
		  p->entry ? ri->data : NULL);
	return 0;
}

static int rt_kretprobe_register(struct rt_probe *p)
{
	struct kretprobe *krp = &p->st.krp;

	krp->kp.symbol_name = p->symbol;
	krp->handler = rt_kretprobe_ret;
	if (p->entry) {
		krp->entry_handler = rt_kretprobe_entry;
		krp->data_size = p->entry_size;
	}
#ifdef KRETACTIVE
	krp->maxactive = KRETACTIVE;	/* -DKRETACTIVE=N, as stap */
#endif
	return register_kretprobe(krp);
}

#else /* !RT_USE_KRETPROBE: the script has none (runtime.h) */

static inline int rt_kretprobe_register(struct rt_probe *p)
{
	return -EOPNOTSUPP;
}

#endif /* RT_USE_KRETPROBE */

/* Run every probe of one kind (begin, end or error), in table order:
 * the compiler sorts the table by begin(N)/end(N) priority. */
static void rt_run_kind(struct rt_script *s, enum rt_probe_kind kind,
			int state)
{
	unsigned int i;

	for (i = 0; i < s->nprobes; i++) {
		if (s->probes[i].kind != kind)
			continue;
		/* As in stap, an error in an end probe skips the rest. */
		if (kind == RT_PROBE_END &&
		    atomic_read(&rt_sess.errors) > MAXERRORS)
			break;
		preempt_disable();
		rt_run_handler(&s->probes[i], NULL, state);
		preempt_enable();
	}
}

static int rt_kprobe_register(struct rt_probe *p)
{
	struct kprobe *kp = &p->st.kp;

	kp->symbol_name = p->symbol;
	kp->offset = p->offset;
	if (!p->symbol)
		kp->addr = (kprobe_opcode_t *)p->addr;
	kp->pre_handler = p->kprobe_pre ?: rt_kprobe_pre;
	return register_kprobe(kp);
}

/*
 * How each kind of probe is registered and unregistered; one row per
 * kind that the kernel knows of (begin, end, error and never have none).
 * unreg NULL: kprobes and kretprobes, which rt_unregister_probes() takes
 * off in batches.  sync, if set, runs once after the kind's last unreg.
 */
struct rt_probe_ops {
	int (*reg)(struct rt_probe *p);
	void (*unreg)(struct rt_probe *p);
	void (*sync)(void);
};

static const struct rt_probe_ops rt_probe_ops[] = {
	[RT_PROBE_KPROBE] = { rt_kprobe_register, NULL, NULL },
	[RT_PROBE_KRETPROBE] = { rt_kretprobe_register, NULL, NULL },
	[RT_PROBE_TIMER] = { rt_timer_register, rt_timer_unregister, NULL },
	[RT_PROBE_TRACE] = { rt_trace_register, rt_trace_unregister,
			     rt_trace_sync },
	[RT_PROBE_PERF] = { rt_perf_register, rt_perf_unregister, NULL },
	[RT_PROBE_HWBKPT] = { rt_hwbkpt_register, rt_hwbkpt_unregister, NULL },
	[RT_PROBE_PROCFS] = { rt_procfs_register, rt_procfs_unregister, NULL },
	[RT_PROBE_NETFILTER] = { rt_nf_register, rt_nf_unregister,
				 rt_nf_sync },
};

static const struct rt_probe_ops *rt_ops(const struct rt_probe *p)
{
	if ((unsigned int)p->kind >= ARRAY_SIZE(rt_probe_ops))
		return NULL;
	return rt_probe_ops[p->kind].reg ? &rt_probe_ops[p->kind] : NULL;
}

static int rt_register_one(struct rt_probe *p)
{
	const struct rt_probe_ops *ops = rt_ops(p);
	int err;

	memset(&p->st, 0, sizeof(p->st));
	if (!ops)
		return 0;
	err = ops->reg(p);
	p->st.registered = !err;
	return err;
}

/* The kinds not batched (timers, perf events, tracepoints ...): one by
 * one, then each kind's sync once. */
static void rt_unregister_others(struct rt_script *s)
{
	bool used[ARRAY_SIZE(rt_probe_ops)] = { false };
	const struct rt_probe_ops *ops;
	struct rt_probe *p;
	unsigned int i;

	for (i = 0; i < s->nprobes; i++) {
		p = &s->probes[i];
		ops = rt_ops(p);
		if (!p->st.registered || !ops || !ops->unreg)
			continue;
		ops->unreg(p);
		used[p->kind] = true;
	}
	for (i = 0; i < ARRAY_SIZE(rt_probe_ops); i++)
		if (used[i] && rt_probe_ops[i].sync)
			rt_probe_ops[i].sync();
}

/*
 * Unregister every registered probe, in two batches: each batch call
 * waits for one RCU grace period instead of one per probe.  After it no
 * handler runs or will run.  Hits kprobes itself missed count as skipped.
 */
static void rt_unregister_probes(struct rt_script *s)
{
	struct rt_probe_state *st;
	unsigned int i;
	int nkp = 0, nkrp = 0;

	rt_mod_disarm();
	for (i = 0; i < s->nprobes; i++) {
		st = &s->probes[i].st;
		if (!st->registered)
			continue;
		if (s->probes[i].kind == RT_PROBE_KPROBE)
			rt_kp_vec[nkp++] = &st->kp;
		else if (s->probes[i].kind == RT_PROBE_KRETPROBE)
			rt_krp_vec[nkrp++] = &st->krp;
	}
	if (nkp)
		unregister_kprobes(rt_kp_vec, nkp);
	if (nkrp)
		unregister_kretprobes(rt_krp_vec, nkrp);
	rt_unregister_others(s);
	for (i = 0; i < s->nprobes; i++) {
		if (!s->probes[i].st.registered)
			continue;
		s->probes[i].st.registered = false;
		rt_count_missed(&s->probes[i]);
	}
}

/*
 * Register every probe; one in a module that is not loaded waits for it
 * (rt_module.h).  A point the kernel refuses that came from a wildcard
 * or an optional point is left out with a warning, as stap does; any
 * other refusal unregisters what was registered, reports the probe
 * point and the kernel's errno, and returns the error.
 */
static int rt_register_probes(struct rt_script *s)
{
	struct rt_probe *p;
	unsigned int i;
	int err;

	err = rt_mod_arm(s);
	if (err) {
		rt_runtime_msg(TAPC_REC_ERROR, "ERROR: cannot watch modules: "
			       "error %d\n", err);
		return err;
	}
	for (i = 0; i < s->nprobes; i++) {
		p = &s->probes[i];
		err = rt_register_one(p);
		if (!err || rt_mod_pending(p, err))
			continue;	/* registered, or when its module comes */
		rt_regerr_report(p, err, p->tolerant);
		if (p->tolerant)
			continue;
		rt_mod_registered();
		rt_unregister_probes(s);
		return err;
	}
	rt_mod_registered();
	return 0;
}

static int rt_probes_init(struct rt_script *s)
{
	unsigned int i, nkp = 0, nkrp = 0;

	for (i = 0; i < s->nprobes; i++) {
		if (s->probes[i].kind == RT_PROBE_KPROBE)
			nkp++;
		else if (s->probes[i].kind == RT_PROBE_KRETPROBE)
			nkrp++;
	}
	rt_kp_vec = kcalloc(max(nkp, 1U), sizeof(*rt_kp_vec), GFP_KERNEL);
	rt_krp_vec = kcalloc(max(nkrp, 1U), sizeof(*rt_krp_vec), GFP_KERNEL);
	if (!rt_kp_vec || !rt_krp_vec)
		return -ENOMEM;	/* the caller frees */
	return 0;
}

static void rt_probes_free(void)
{
	kfree(rt_kp_vec);
	kfree(rt_krp_vec);
	rt_kp_vec = NULL;
	rt_krp_vec = NULL;
}

#endif /* RT_PROBES_H */
