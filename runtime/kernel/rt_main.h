/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rt_main.h - module init/exit and the session's start and stop.
 *
 * Included last by the generated file, after its tapc_script.  Loading
 * the module only allocates; "start" registers the probes and runs the
 * begin probes; "stop" (or unloading a module that was never stopped)
 * unregisters them, runs the end probes and writes the summary.
 */
#ifndef RT_MAIN_H
#define RT_MAIN_H

static struct proc_dir_entry *rt_proc;

/* Set by taprun (see tapc_proto.h); the runtime only shows it in sysfs. */
static char rt_owner[32];
module_param_string(rt_owner, rt_owner, sizeof(rt_owner), 0444);
MODULE_PARM_DESC(rt_owner, "PID:START of the taprun that loaded the module");

static void rt_session_start(pid_t target)
{
	struct rt_script *s = rt_sess.script;

	WRITE_ONCE(rt_sess.target, target);
	if (rt_register_probes(s)) {
		/* The ERROR record is written: just end the session. */
		rt_request_exit();
		return;
	}
	rt_sess.registered = true;
	rt_sess.began = true;
	rt_run_kind(s, RT_PROBE_BEGIN, RT_ST_STARTING);
	/* Unless a begin probe called exit(), let the probes fire. */
	atomic_cmpxchg(&rt_sess.state, RT_ST_STARTING, RT_ST_RUNNING);
}

/* The closing WARN records: errors, skipped hits, lost output. */
static void rt_report_summary(void)
{
	int errors = atomic_read(&rt_sess.errors);
	int skipped = atomic_read(&rt_sess.skipped);
	s64 truncated = atomic64_read(&rt_sess.truncated);
	u64 dropped;

	if (atomic_read(&rt_sess.skip_overflow))
		rt_runtime_msg(TAPC_REC_ERROR,
			       "ERROR: Skipped too many probes, check MAXSKIPPED\n");
	if (errors || skipped)
		rt_runtime_msg(TAPC_REC_WARN,
			       "WARNING: Number of errors: %d, skipped probes: %d\n",
			       errors, skipped);
	if (truncated)
		rt_runtime_msg(TAPC_REC_WARN,
			       "WARNING: %lld outputs truncated to %d bytes\n",
			       truncated, RT_PRINTBUF_SIZE - 1);
	/* Last, so that it counts any loss of the records above. */
	dropped = rt_transport_dropped();
	if (dropped)
		rt_runtime_msg(TAPC_REC_WARN,
			       "WARNING: %llu messages dropped\n", dropped);
}

/*
 * Idempotent; called with rt_sess.ctl held, from the "stop" command or
 * from module exit.
 */
static void rt_session_stop(void)
{
	struct rt_script *s = rt_sess.script;

	if (rt_sess.done)
		return;
	atomic_set(&rt_sess.state, RT_ST_STOPPING);
	if (rt_sess.registered) {
		rt_unregister_probes(s);
		rt_sess.registered = false;
	}
	/*
	 * As in stap: after an error-triggered shutdown the error probes
	 * run instead of the end probes; an error in an end probe stops the
	 * end probes and runs the error probes.
	 */
	if (rt_sess.began) {
		if (atomic_read(&rt_sess.errors) <= MAXERRORS)
			rt_run_kind(s, RT_PROBE_END, RT_ST_STOPPING);
		if (atomic_read(&rt_sess.errors) > MAXERRORS)
			rt_run_kind(s, RT_PROBE_ERROR, RT_ST_STOPPING);
	}
	rt_report_summary();
	atomic_set(&rt_sess.state, RT_ST_STOPPED);
	/* Pairs with the acquire in rt_done_pending(). */
	smp_store_release(&rt_sess.done, true);
	wake_up_interruptible(&rt_tp.wq);
}

/* "start <pid>" or "stop", from the proc file's write(). */
static int rt_session_command(char *cmd)
{
	size_t len = strlen(TAPC_CMD_START);
	int pid = 0;
	int err = 0;

	if (!strcmp(cmd, TAPC_CMD_STOP)) {
		mutex_lock(&rt_sess.ctl);
		WRITE_ONCE(rt_sess.stop_received, true);
		rt_session_stop();
		mutex_unlock(&rt_sess.ctl);
		return 0;
	}
	if (strncmp(cmd, TAPC_CMD_START, len) ||
	    (cmd[len] != '\0' && cmd[len] != ' '))
		return -EINVAL;
	if (cmd[len] && kstrtoint(skip_spaces(cmd + len), 10, &pid))
		return -EINVAL;
	if (pid < 0)
		return -EINVAL;
	mutex_lock(&rt_sess.ctl);
	if (atomic_cmpxchg(&rt_sess.state, RT_ST_LOADED, RT_ST_STARTING) ==
	    RT_ST_LOADED)
		rt_session_start(pid);
	else
		err = -EBUSY;	/* started already, or stopped */
	mutex_unlock(&rt_sess.ctl);
	return err;
}

static void rt_free_all(void)
{
	if (rt_sess.script_ready && tapc_script.exit)
		tapc_script.exit();
	rt_sess.script_ready = false;
	rt_probes_free();
	rt_contexts_free();
	rt_lastwords_unregister();
	rt_transport_exit();
}

/*
 * Each step is undone in reverse order when a later one fails.
 * rt_transport_init() frees what it allocated itself; a partial
 * rt_contexts_alloc() or rt_probes_init() is freed here, so each jumps
 * to the label that undoes its own step.  tapc_script.exit() runs only
 * once tapc_script.init() has succeeded.
 */
static int __init rt_module_init(void)
{
	int err;

	rt_sess.script = &tapc_script;
	mutex_init(&rt_sess.ctl);
	err = rt_transport_init();
	if (err)
		return err;
	rt_lastwords_register();
	err = rt_contexts_alloc(tapc_script.ctx_size);
	if (err)
		goto undo_contexts;
	if (tapc_script.init) {
		err = tapc_script.init();
		if (err)
			goto undo_contexts;
	}
	rt_sess.script_ready = true;
	err = rt_probes_init(&tapc_script);
	if (err)
		goto undo_probes;
	rt_proc = proc_create(KBUILD_MODNAME, 0600, NULL, &rt_proc_ops);
	if (!rt_proc) {
		err = -ENOMEM;
		goto undo_probes;
	}
	return 0;

undo_probes:
	rt_probes_free();
	if (tapc_script.exit)
		tapc_script.exit();
	rt_sess.script_ready = false;
undo_contexts:
	rt_contexts_free();
	rt_lastwords_unregister();
	rt_transport_exit();
	return err;
}

static void __exit rt_module_exit(void)
{
	/* Waits for any read/write in progress; none can start after. */
	proc_remove(rt_proc);
	/* Unloaded without a "stop" (the reader died): do its work. */
	mutex_lock(&rt_sess.ctl);
	rt_session_stop();
	mutex_unlock(&rt_sess.ctl);
	rt_free_all();
}

module_init(rt_module_init);
module_exit(rt_module_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("tapc probe script");

#endif /* RT_MAIN_H */
