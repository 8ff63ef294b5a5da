// SPDX-License-Identifier: GPL-2.0
/*
 * rt_hello.c - a tapc module written by hand against the runtime API,
 * shaped the way pass 3 writes one: runtime.h first, the script's
 * globals and probe handlers, the probe table and tapc_script, then
 * rt_main.h last.  It tests the runtime in a guest and is the floor
 * reference for the probe-cost benchmarks.
 *
 * The script it stands for (mode 0):
 *
 *	global hits, mine, rets
 *	probe begin { printf("hello %d\n", 42) }
 *	probe kernel.function("__x64_sys_getppid") {
 *		hits++; if (pid() == target()) mine++
 *	}
 *	probe kernel.function("__x64_sys_getppid").return { rets++ }
 *	probe end {
 *		printf("hits %s mine %d rets %d\n",
 *		       hits ? "some" : "none", mine, rets)
 *		print("bye\n")
 *	}
 *
 * Module parameters select other behaviours for the tests:
 *   mode=1  exit() in the begin probe
 *   mode=2  exit() on the target's third hit
 *   mode=3  a runtime error on the first hit ("division by zero")
 *   mode=4  one printf per hit (output at full rate)
 *   mode=5  50000 printfs per hit (more than the buffer holds)
 *   mode=6  one printf per hit of any process
 *   mode=7  "ev TGID CPU NS" per hit of a process named pingpong
 *   mode=8  20000 printfs per hit of a process named pingpong, and
 *           "printed N" at the end (N: the printfs made)
 *   sym=S   probe symbol S instead of __x64_sys_getppid
 */
#include "runtime.h"

static int mode;
module_param(mode, int, 0444);
MODULE_PARM_DESC(mode, "test behaviour, see rt_hello.c");

static char sym[KSYM_NAME_LEN] = "__x64_sys_getppid";
module_param_string(sym, sym, sizeof(sym), 0444);
MODULE_PARM_DESC(sym, "symbol to probe");

/* The generated context: the runtime's first, then the probes' locals. */
struct tapc_context {
	struct rt_context rt;
	union {
		struct {
			rt_long n;
		} probe_1;
	} locals;
};

/*
 * The script's globals.  Atomics stand in for the locked globals the
 * compiler will generate: the cheapest correct counter, as a floor.
 */
static atomic64_t g_hits;
static atomic64_t g_mine;
static atomic64_t g_rets;
static atomic64_t g_printed;

static void probe_0_begin(struct rt_context *c)
{
	rt_printf(c, "hello %d\n", 42);
	if (mode == 1)
		rt_exit(c);
}

static void probe_1_kprobe(struct rt_context *c)
{
	struct tapc_context *tc = container_of(c, struct tapc_context, rt);

	atomic64_inc(&g_hits);
	if (mode == 6)
		rt_printf(c, "any %d\n", current->pid);
	if (mode == 7 && !strcmp(current->comm, "pingpong"))
		rt_printf(c, "ev %d %d %llu\n", current->tgid,
			  smp_processor_id(), ktime_get_mono_fast_ns());
	if (mode == 8 && !strcmp(current->comm, "pingpong")) {
		for (int i = 0; i < 20000; i++)
			rt_printf(c, "flood %d %d\n", current->tgid, i);
		atomic64_add(20000, &g_printed);
	}
	if (current->tgid != rt_target())
		return;
	tc->locals.probe_1.n = atomic64_inc_return(&g_mine);
	if (mode == 2 && tc->locals.probe_1.n == 3)
		rt_exit(c);
	if (mode == 3) {
		rt_error(c, "rt_hello.c:42:9", "division by zero");
		if (c->error)
			return;
	}
	if (mode == 4)
		rt_printf(c, "hit %lld\n", tc->locals.probe_1.n);
	if (mode == 5) {
		for (int i = 0; i < 50000; i++)
			rt_printf(c, "line %lld %d\n", tc->locals.probe_1.n, i);
	}
}

static void probe_2_kretprobe(struct rt_context *c)
{
	if (current->tgid == rt_target())
		atomic64_inc(&g_rets);
}

static void probe_3_end(struct rt_context *c)
{
	rt_printf(c, "hits %s mine %lld rets %lld\n",
		  atomic64_read(&g_hits) > 0 ? "some" : "none",
		  (rt_long)atomic64_read(&g_mine),
		  (rt_long)atomic64_read(&g_rets));
	rt_print(c, "bye\n", 4);
	if (mode == 8)
		rt_printf(c, "printed %lld\n",
			  (rt_long)atomic64_read(&g_printed));
}

static struct rt_probe tapc_probes[] = {
	{
		.kind = RT_PROBE_BEGIN,
		.pp = "begin",
		.handler = probe_0_begin,
	},
	{
		.kind = RT_PROBE_KPROBE,
		.symbol = sym,
		.pp = "kernel.function(\"__x64_sys_getppid\")",
		.handler = probe_1_kprobe,
	},
	{
		.kind = RT_PROBE_KRETPROBE,
		.symbol = sym,
		.pp = "kernel.function(\"__x64_sys_getppid\").return",
		.handler = probe_2_kretprobe,
	},
	{
		.kind = RT_PROBE_END,
		.pp = "end",
		.handler = probe_3_end,
	},
};

static struct rt_script tapc_script = {
	.name = "rt_hello.c",
	.probes = tapc_probes,
	.nprobes = ARRAY_SIZE(tapc_probes),
	.ctx_size = sizeof(struct tapc_context),
};

#include "rt_main.h"
