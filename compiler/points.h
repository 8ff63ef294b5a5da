/* points.h - probe-point resolution: a probe point as written
 * (kernel.function("vfs_*").return) becomes the concrete points pass 3
 * registers, one per matching function, tracepoint, timer...
 *
 * Resolution is table-driven by family (points.c): each family has a
 * component pattern and a resolver.  A family that needs DWARF adds its
 * own entry and uses the `dwarf` slot of the points it makes. */
#ifndef TAPC_POINTS_H
#define TAPC_POINTS_H

#include <stdint.h>

#include "ast.h"

enum pp_kind {
	PP_BEGIN,
	PP_END,
	PP_ERROR,			/* after a runtime error */
	PP_NEVER,			/* checked, never registered */
	PP_KPROBE,			/* symbol[+offset] or addr */
	PP_KRETPROBE,			/* symbol */
	PP_TIMER,			/* timer.s/ms/us/ns/hz/jiffies */
	PP_PROFILE,			/* timer.profile: every CPU, regs */
	PP_TRACE,			/* kernel.trace("subsys:name") */
	PP_PERF,			/* perf.* sampling */
	PP_HWBKPT,			/* kernel.data: a watchpoint */
	PP_PROCFS,			/* procfs("name").read/.write */
	PP_NETFILTER,			/* netfilter.hook(...).pf(...) */
};

/* One concrete probe point: what the runtime registers.  Only the fields
 * of its kind are set; the rest stay zero. */
struct concrete_point {
	enum pp_kind kind;
	char *text;			/* canonical text, for -p2 and messages */
	struct probe *probe;		/* whose body runs */
	int order;			/* index in script order */
	int64_t priority;		/* begin(N), end(N), error(N) */
	int tolerant;			/* from a wildcard or "?": the kernel
					 * refusing it is only a warning */
	/* PP_KPROBE, PP_KRETPROBE */
	char *symbol;			/* function name; NULL with addr */
	char *module;			/* its module, NULL for the kernel */
	uint64_t offset;		/* from symbol */
	uint64_t addr;			/* .absolute address (-g) */
	/* PP_TIMER, PP_PROFILE */
	int64_t period_ns;		/* hrtimer period; 0 with jiffies */
	int64_t jiffies;		/* timer.jiffies(N) */
	int64_t hz;			/* timer.hz(N): period 1e9/N ns */
	int64_t randomize;		/* .randomize(M), in the period's unit */
	int64_t randomize_ns;		/* the same in ns (0 for jiffies) */
	/* PP_TRACE */
	char *tracepoint;		/* "sched_switch" (no subsystem) */
	char *trace_system;		/* "sched" */
	/* PP_PERF */
	uint32_t perf_type;
	uint64_t perf_config;
	uint64_t perf_sample;		/* sample period in events */
	/* PP_HWBKPT (and addr, and symbol for the text) */
	uint64_t data_ref;		/* a symbol's: jiffies's address in
					 * System.map, for KASLR; else 0 */
	int data_len;			/* 1, 2, 4 or 8 bytes */
	int data_rw;			/* reads too, not only writes */
	/* PP_PROCFS */
	char *procfs_name;		/* file under /proc/systemtap/MODULE */
	int procfs_write;		/* .write, else .read */
	int procfs_umask;		/* .umask(N), or -1 */
	int64_t procfs_maxsize;		/* .read.maxsize(N), or 0 */
	/* PP_NETFILTER */
	int nf_pf;			/* NFPROTO_* */
	int nf_hooknum;
	int nf_priority;
	void *dwarf;			/* struct dw_point, if it uses DWARF */
	void *dwarf_at;			/* the dw_point of an inline instance:
					 * becomes dwarf if the probe reads
					 * target values (elab_target.c) */
};

struct program;
struct elab_options;

/* A context variable of a netfilter hook (points_netfilter.c): its
 * slot in the context's arguments, the struct it points to (NULL for a
 * number), and whether it is that net_device's name. */
struct pt_nf_var {
	const char *name;		/* without the '$' */
	int slot;
	const char *type;
	int dev_name;			/* the name of the net_device */
};

/* The variable $name of a netfilter hook, or NULL. */
const struct pt_nf_var *pt_nf_var(const char *name);
/* "$hooknum $skb ...": all of them, for errors. */
const char *pt_nf_var_names(void);

/* Resolves one probe point (no alias in it) of probe p into
 * prog->points, reporting errors (unknown point, no match, refused
 * function) through diag unless it is optional; returns how many
 * concrete points it made. */
int points_resolve(struct program *prog, struct probe *p,
		    const struct probe_point *pp,
		    const struct elab_options *opt);

/* tapc -l: prints the probe points matching pattern, sorted, one a line.
 * Returns the number printed, or -1 after an error. */
int points_list(const char *pattern, const struct elab_options *opt);

#endif
