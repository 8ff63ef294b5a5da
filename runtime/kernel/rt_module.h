/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rt_module.h - probes in modules follow their module.
 *
 * A kprobe or kretprobe whose symbol is "module:function" can only be
 * registered while the module is loaded.  A module notifier registers
 * such probes when their module comes (MODULE_STATE_COMING: before its
 * init function runs, so probes on init code fire too) and unregisters
 * them when it goes (MODULE_STATE_GOING: after its exit function, before
 * its memory is freed), so a module loaded after the session started, or
 * unloaded and loaded again, is probed each time it is there.
 *
 * rt_mod_lock serializes the notifier with the session's own
 * registration and unregistration.  The notifier is registered before
 * the session's first registration attempt, so a module that comes in
 * between is seen by one or the other; a probe already registered is
 * left alone.  At the end, unregister_module_notifier() waits for a
 * callback in progress, then the session unregisters what is left.
 */
#ifndef RT_MODULE_H
#define RT_MODULE_H

#ifdef RT_USE_MODULES

static DEFINE_MUTEX(rt_mod_lock);
static bool rt_mod_armed;	/* the notifier is registered */

static int rt_register_one(struct rt_probe *p);

/* Whether p is a kprobe or kretprobe on a function of a module. */
static bool rt_mod_probe(const struct rt_probe *p)
{
	return (p->kind == RT_PROBE_KPROBE ||
		p->kind == RT_PROBE_KRETPROBE) &&
	       p->symbol && strchr(p->symbol, ':');
}

/* Whether p probes a function of module name. */
static bool rt_mod_probe_in(const struct rt_probe *p, const char *name)
{
	size_t n;

	if (!rt_mod_probe(p))
		return false;
	n = strchr(p->symbol, ':') - p->symbol;
	return strlen(name) == n && !strncmp(p->symbol, name, n);
}

/* A module probe that fails because its module is not loaded waits for
 * it; any other failure is the session's error. */
static bool rt_mod_pending(const struct rt_probe *p, int err)
{
	return err == -ENOENT && rt_mod_probe(p);
}

static void rt_mod_unregister_one(struct rt_probe *p)
{
	if (p->kind == RT_PROBE_KPROBE)
		unregister_kprobe(&p->st.kp);
	else
		unregister_kretprobe(&p->st.krp);
	p->st.registered = false;
	rt_count_missed(p);
}

/* Called with rt_mod_lock held. */
static void rt_mod_coming(struct rt_script *s, const char *name)
{
	unsigned int i;
	int err;

	for (i = 0; i < s->nprobes; i++) {
		struct rt_probe *p = &s->probes[i];

		if (p->st.registered || !rt_mod_probe_in(p, name))
			continue;
		err = rt_register_one(p);
		if (err)	/* the session runs on without it */
			rt_regerr_report(p, err, true);
	}
}

/* Called with rt_mod_lock held. */
static void rt_mod_going(struct rt_script *s, const char *name)
{
	unsigned int i;

	for (i = 0; i < s->nprobes; i++) {
		struct rt_probe *p = &s->probes[i];

		if (p->st.registered && rt_mod_probe_in(p, name))
			rt_mod_unregister_one(p);
	}
}

static int rt_mod_notify(struct notifier_block *nb, unsigned long val,
			 void *data)
{
	struct module *mod = data;

	mutex_lock(&rt_mod_lock);
	if (rt_mod_armed && val == MODULE_STATE_COMING)
		rt_mod_coming(rt_sess.script, mod->name);
	else if (rt_mod_armed && val == MODULE_STATE_GOING)
		rt_mod_going(rt_sess.script, mod->name);
	mutex_unlock(&rt_mod_lock);
	return NOTIFY_DONE;
}

static struct notifier_block rt_mod_nb = {
	.notifier_call = rt_mod_notify,
};

/* Before the session registers its probes: only when it has module
 * probes.  Takes rt_mod_lock, which rt_mod_registered() releases. */
static int rt_mod_arm(struct rt_script *s)
{
	unsigned int i;
	int err;

	for (i = 0; i < s->nprobes; i++)
		if (rt_mod_probe(&s->probes[i]))
			break;
	if (i == s->nprobes)
		return 0;
	err = register_module_notifier(&rt_mod_nb);
	if (err)
		return err;
	mutex_lock(&rt_mod_lock);
	rt_mod_armed = true;
	return 0;
}

/* The session's registration is done: notifications may run. */
static void rt_mod_registered(void)
{
	if (rt_mod_armed)
		mutex_unlock(&rt_mod_lock);
}

/* Before the session unregisters its probes: no notification runs after
 * this, so what is registered stays so until the session removes it. */
static void rt_mod_disarm(void)
{
	if (!rt_mod_armed)
		return;
	unregister_module_notifier(&rt_mod_nb);
	rt_mod_armed = false;
}

#else /* !RT_USE_MODULES: the script has none (runtime.h) */

static inline int rt_mod_arm(struct rt_script *s)
{
	return 0;
}

static inline bool rt_mod_pending(const struct rt_probe *p, int err)
{
	return false;
}

static inline void rt_mod_registered(void)
{
}

static inline void rt_mod_disarm(void)
{
}

#endif /* RT_USE_MODULES */

#endif /* RT_MODULE_H */
