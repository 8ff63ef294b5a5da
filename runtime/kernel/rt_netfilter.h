/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rt_netfilter.h - netfilter.hook("NAME").pf("FAMILY").priority(N): a
 * netfilter hook function registered in the initial network namespace
 * with nf_register_net_hook().  Each packet the hook sees runs the
 * handler with the hook's values in the context's argument slots
 * (c->trace_args[], laid out as RT_NF_ARG_*, which pass 3 maps $hooknum,
 * $skb, $in, $out, $okfn and $verdict to); the handler may change the
 * verdict slot (guru mode), which the hook then returns to netfilter.
 */
#ifndef RT_NETFILTER_H
#define RT_NETFILTER_H

/* The context's argument slots of a netfilter hit (tr_target.c too). */
#define RT_NF_ARG_HOOKNUM	0
#define RT_NF_ARG_SKB		1
#define RT_NF_ARG_IN		2
#define RT_NF_ARG_OUT		3
#define RT_NF_ARG_OKFN		4
#define RT_NF_ARG_VERDICT	5
#define RT_NF_ARG_PF		6

#ifdef RT_USE_NETFILTER

#include <linux/netfilter.h>
#include <linux/slab.h>
#include <net/net_namespace.h>

static unsigned int rt_nf_fire(void *priv, struct sk_buff *skb,
			       const struct nf_hook_state *state)
{
	unsigned long args[RT_TRACE_MAXARGS] = {
		[RT_NF_ARG_HOOKNUM] = state->hook,
		[RT_NF_ARG_SKB] = (unsigned long)skb,
		[RT_NF_ARG_IN] = (unsigned long)state->in,
		[RT_NF_ARG_OUT] = (unsigned long)state->out,
		[RT_NF_ARG_OKFN] = (unsigned long)state->okfn,
		[RT_NF_ARG_VERDICT] = NF_ACCEPT,
		[RT_NF_ARG_PF] = state->pf,
	};
	unsigned int verdict = NF_ACCEPT;

	/*
	 * Hooks of the output path run in process context: the context
	 * is per CPU, so the verdict is read back before any migration.
	 * A hit that did not run (busy, or ended by an error) accepts.
	 */
	preempt_disable();
	if (rt_run_fn(priv, ((struct rt_probe *)priv)->handler, NULL,
		      RT_ST_RUNNING, args, NULL))
		verdict = this_cpu_read(rt_ctx)->trace_args[RT_NF_ARG_VERDICT];
	preempt_enable();
	return verdict;
}

static int rt_nf_register(struct rt_probe *p)
{
	struct nf_hook_ops *ops = kzalloc(sizeof(*ops), GFP_KERNEL);
	int err;

	if (!ops)
		return -ENOMEM;
	ops->hook = rt_nf_fire;
	ops->priv = p;
	ops->pf = p->nf_pf;
	ops->hooknum = p->nf_hooknum;
	ops->priority = p->nf_priority;
	err = nf_register_net_hook(&init_net, ops);
	if (err) {
		kfree(ops);
		return err;
	}
	p->st.nf_ops = ops;
	return 0;
}

/*
 * Packets may still be in the hook on other CPUs: rt_nf_sync() waits
 * for them once, after the last one is unregistered.  They read only
 * the hook function and priv (the probe) of their copy of the entry,
 * never ops, so ops can go now.
 */
static void rt_nf_unregister(struct rt_probe *p)
{
	nf_unregister_net_hook(&init_net, p->st.nf_ops);
	kfree(p->st.nf_ops);
	p->st.nf_ops = NULL;
}

static void rt_nf_sync(void)
{
	synchronize_net();
}

#else /* !RT_USE_NETFILTER: the script has none (runtime.h) */

static inline int rt_nf_register(struct rt_probe *p)
{
	return -EOPNOTSUPP;
}

static inline void rt_nf_unregister(struct rt_probe *p)
{
}

static inline void rt_nf_sync(void)
{
}

#endif /* RT_USE_NETFILTER */

#endif /* RT_NETFILTER_H */
