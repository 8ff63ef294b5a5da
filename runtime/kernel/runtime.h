/* SPDX-License-Identifier: GPL-2.0 */
/*
 * runtime.h - the kernel runtime of a tapc module.
 *
 * The generated C file includes this header first, then defines its
 * globals, probe handlers, its probe table and its struct rt_script, and
 * includes rt_main.h last.  The whole runtime is static code in headers,
 * so the module is one translation unit built by one gcc run.
 *
 * Layout: this file holds the limits, the types shared by every part and
 * the session state; rt_transport.h the output buffer and the proc file;
 * rt_context.h the per-CPU contexts and the calls generated code makes;
 * rt_probes.h probe registration and dispatch; rt_main.h module init/exit
 * and the start/stop commands.
 *
 * Optional parts: pass 3 defines RT_PARTS and then RT_USE_<PART> for
 * each part its script needs, before this header, so the module
 * compiles only those (docs/compile-time.md).  A module that does not
 * define RT_PARTS, as one written by hand, gets every part:
 *   RT_USE_KRETPROBE	.return probes (rt_probes.h)
 *   RT_USE_TIMER	timer.* probes (rt_timer.h)
 *   RT_USE_PERF	perf.* and timer.profile probes (rt_perf.h)
 *   RT_USE_TRACE	kernel.trace probes (rt_trace.h)
 *   RT_USE_HWBKPT	kernel.data probes (rt_hwbkpt.h)
 *   RT_USE_PROCFS	procfs probes (rt_procfs.h)
 *   RT_USE_NETFILTER	netfilter.hook probes (rt_netfilter.h)
 *   RT_USE_MODULES	probes on functions of modules (rt_module.h)
 *   RT_USE_TAPSET	helpers for embedded C (rt_tapset.h, rt_backtrace.h)
 */
#ifndef RT_RUNTIME_H
#define RT_RUNTIME_H

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/cpumask.h>
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/irq_work.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/preempt.h>
#include <linux/proc_fs.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timer.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>
#include <asm/local.h>

#include "tapc_proto.h"

#ifndef RT_PARTS
#define RT_USE_KRETPROBE
#define RT_USE_TIMER
#define RT_USE_PERF
#define RT_USE_TRACE
#define RT_USE_HWBKPT
#define RT_USE_PROCFS
#define RT_USE_NETFILTER
#define RT_USE_MODULES
#define RT_USE_TAPSET
#endif

/*
 * Limits, with SystemTap's names.  Each can be overridden with -D.
 */
#ifndef MAXSTRINGLEN
#define MAXSTRINGLEN 512	/* bytes of a string value, with its NUL */
#endif
#ifndef MAXACTION
#define MAXACTION 1000		/* statements one probe hit may run */
#endif
#ifndef MAXNESTING
#define MAXNESTING 10		/* depth of script function calls */
#endif
#ifndef MAXMAPENTRIES
#define MAXMAPENTRIES 2048	/* entries of an associative array */
#endif
#ifndef MAXERRORS
#define MAXERRORS 0		/* errors tolerated; 0: the first ends it */
#endif
#ifndef MAXSKIPPED
#define MAXSKIPPED 100		/* skipped hits tolerated */
#endif
#ifndef MAXTRYLOCK
#define MAXTRYLOCK MAXACTION	/* attempts to take a global's lock */
#endif
#ifndef TAPC_BUFSIZE
#define TAPC_BUFSIZE (1 << 20)	/* bytes of output buffer per CPU */
#endif
#ifndef RT_PRINTBUF_SIZE
#define RT_PRINTBUF_SIZE (MAXSTRINGLEN * 8) /* one formatted printf */
#endif

/* Bytes of each CPU's buffer only the runtime's own records may use. */
#define RT_RESERVE 4096

typedef s64 rt_long;		/* every script integer; printf with %lld */

enum rt_probe_kind {
	RT_PROBE_BEGIN,
	RT_PROBE_END,
	RT_PROBE_ERROR,		/* instead of end after a runtime error */
	RT_PROBE_NEVER,
	RT_PROBE_KPROBE,
	RT_PROBE_KRETPROBE,
	RT_PROBE_TIMER,		/* rt_timer.h */
	RT_PROBE_TRACE,		/* rt_trace.h */
	RT_PROBE_PERF,		/* rt_perf.h; timer.profile too */
	RT_PROBE_HWBKPT,	/* rt_hwbkpt.h: kernel.data */
	RT_PROBE_PROCFS,	/* rt_procfs.h: procfs("name") */
	RT_PROBE_NETFILTER,	/* rt_netfilter.h: netfilter.hook */
};

/* The runtime's own per-probe state; generated code leaves it zero. */
struct rt_probe_state {
	union {
		struct kprobe kp;
		struct kretprobe krp;
		struct hrtimer hrt;		/* rt_timer.h */
		struct timer_list tl;		/* rt_timer.h, jiffies */
		struct perf_event **events;	/* rt_perf.h, per CPU */
		struct tracepoint *tp;		/* rt_trace.h */
		struct perf_event * __percpu *hwbkpt;	/* rt_hwbkpt.h */
		struct nf_hook_ops *nf_ops;	/* rt_netfilter.h */
	};
	bool registered;
	bool stopping;			/* timers: do not re-arm */
};

/* Arguments of a tracepoint kept for $name (rt_trace.h). */
#define RT_TRACE_MAXARGS 12

struct rt_context;

/* One concrete probe point; generated code fills the fields of its kind
 * (see docs/runtime-api.md). */
struct rt_probe {
	enum rt_probe_kind kind;
	const char *symbol;	/* kprobe/kretprobe: "name" or "module:name" */
	unsigned long offset;	/* kprobe: from symbol */
	unsigned long addr;	/* kprobe: absolute address, no symbol */
	u64 period_ns;		/* timer: hrtimer period */
	u64 randomize_ns;	/* timer: +-random added to each period */
	unsigned long jiffies;	/* timer: timer_list period instead */
	unsigned long randomize_jiffies;
	const char *tracepoint;	/* trace: tracepoint name */
	u32 perf_type;		/* perf: perf_event_attr type, config */
	u64 perf_config;
	u64 perf_sample;	/* perf: sample period (events) */
	unsigned long data_ref;	/* kernel.data of a symbol: jiffies in
				 * System.map (addr is the symbol's there) */
	unsigned int data_len;	/* kernel.data: bytes watched at addr */
	bool data_rw;		/* kernel.data: reads too, not only writes */
	const char *procfs_name; /* procfs: file in /proc/systemtap/MODULE */
	bool procfs_write;	/* procfs: .write, else .read */
	umode_t procfs_umask;	/* procfs: .umask(N), 0 if none */
	size_t procfs_maxsize;	/* procfs: .read.maxsize(N), 0 if none */
	int nf_pf;		/* netfilter: NFPROTO_*, hook number, */
	int nf_hooknum;		/* and priority */
	int nf_priority;
	const char *pp;		/* probe point as written */
	bool tolerant;		/* from a wildcard or a "?" point: a kernel
				 * refusing it is a warning, not an error */
	void (*handler)(struct rt_context *c);
	/* kretprobe with @entry: run at the function's entry, saving
	 * entry_size bytes per call that the handler reads at the return */
	void (*entry)(struct rt_context *c);
	size_t entry_size;
	/* kprobe: its own pre-handler, RT_KPROBE_PRE (else rt_kprobe_pre) */
	int (*kprobe_pre)(struct kprobe *kp, struct pt_regs *regs);
	struct rt_probe_state st;
};

struct rt_script {
	const char *name;	/* script file name, for messages */
	struct rt_probe *probes;
	unsigned int nprobes;
	size_t ctx_size;	/* sizeof the generated context struct */
	/* Optional: the script's own state (maps, statistics), set up at
	 * module load before any probe can run, freed at unload after all
	 * have stopped.  Process context; may sleep and allocate. */
	int (*init)(void);
	void (*exit)(void);
};

/*
 * The per-CPU context.  The generated context struct embeds it as its
 * first member; the runtime allocates script->ctx_size bytes per CPU.
 */
struct rt_context {
	local_t busy;		/* -1 when free; claims increment it */
	struct rt_probe *probe;
	struct pt_regs *regs;	/* NULL in begin/end, timer, trace probes */
	unsigned long trace_args[RT_TRACE_MAXARGS]; /* kernel.trace only */
	void *entry_data;	/* kretprobe with @entry: this call's values */
	long actions;		/* statements left in this hit */
	const char *error;	/* non-NULL once the hit failed */
	const char *error_loc;	/* script location of the failure */
	char errbuf[MAXSTRINGLEN];
	char printbuf[RT_PRINTBUF_SIZE];
};

/*
 * Session states.  Kprobe handlers run only in RUNNING, begin probes only
 * in STARTING, end probes in STOPPING: exit() moves STARTING or RUNNING
 * to STOPPING, so nothing but end probes runs after it.
 */
enum rt_state {
	RT_ST_LOADED,		/* module loaded, no "start" yet */
	RT_ST_STARTING,		/* registering probes, running begin */
	RT_ST_RUNNING,		/* probes fire */
	RT_ST_STOPPING,		/* exit requested or "stop" running */
	RT_ST_STOPPED,		/* end probes ran, summary written */
};

struct rt_session {
	struct rt_script *script;
	struct mutex ctl;		/* serializes start and stop */
	atomic_t state;			/* enum rt_state */
	atomic_t exit_requested;
	atomic_t errors;
	atomic_t skipped;
	atomic_t skip_overflow;		/* MAXSKIPPED was exceeded */
	atomic64_t truncated;		/* printf outputs cut short */
	pid_t target;			/* from "start <pid>" */
	bool registered;		/* probes are registered */
	bool began;			/* begin probes were run */
	bool stop_received;		/* "stop" was written */
	bool done;			/* stop finished: DONE may be read */
	bool script_ready;		/* tapc_script.init() succeeded */
};

static struct rt_session rt_sess;

/* Defined in rt_main.h, used by the proc file's write(). */
static int rt_session_command(char *cmd);

#include "rt_transport.h"
#include "rt_lastwords.h"
#include "rt_context.h"
#include "rt_probes.h"
#include "rt_mem.h"
#ifdef RT_USE_TAPSET
#include "rt_tapset.h"
#include "rt_backtrace.h"
#endif

#endif /* RT_RUNTIME_H */
