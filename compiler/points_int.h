/* points_int.h - what the family resolvers of points*.c share. */
#ifndef TAPC_POINTS_INT_H
#define TAPC_POINTS_INT_H

#include "points.h"

#define PT_MAXCOMPS 8

struct pt_req;

/* A family of probe points: its component pattern and its resolver,
 * which adds the concrete points (none for an optional miss) and reports
 * its own errors. */
struct pt_family {
	const char *pattern;		/* "kernel.function(S).return" */
	enum pp_kind kind;
	int (*resolve)(struct pt_req *r);
};

/* One written probe point being resolved. */
struct pt_req {
	struct program *prog;
	struct probe *probe;
	const struct probe_point *pp;
	const struct elab_options *opt;
	const struct pt_family *fam;
	/* The arguments, by component index. */
	const char *str[PT_MAXCOMPS];
	int64_t num[PT_MAXCOMPS];
	int has[PT_MAXCOMPS];
	int added;			/* concrete points made */
	int patched;			/* inline instances left out: they
					   start at code the kernel patches */
};

struct concrete_point *pt_add(struct pt_req *r, enum pp_kind kind,
			      char *text);
char *pt_text(const struct pt_req *r, int i, const char *sub);
char *pt_written(const struct pt_req *r);
/* A module's name as kallsyms spells it in "mod:sym": '-' becomes '_'
 * ("virtio-net" loads as virtio_net). */
char *pt_kernel_modname(const char *mod);

/* points_kfunc.c */
int pt_res_kfunc(struct pt_req *r);
int pt_res_absolute(struct pt_req *r);

/* points_trace.c */
int pt_res_trace(struct pt_req *r);
/* tapc -L: prints " $name:type" for each argument of tracepoint cp
 * (nothing without the kernel's debuginfo). */
void pt_trace_list_vars(const char *release,
			const struct concrete_point *cp);

/* points_timer.c */
int pt_res_timer(struct pt_req *r);
int pt_res_profile(struct pt_req *r);
int pt_res_perf_named(struct pt_req *r);
int pt_res_perf_raw(struct pt_req *r);

/* points_data.c: kernel.data watchpoints. */
int pt_res_data(struct pt_req *r);

/* points_procfs.c: files under /proc/systemtap/MODULE. */
int pt_res_procfs(struct pt_req *r);
/* points_netfilter.c: netfilter hooks. */
int pt_res_netfilter(struct pt_req *r);

#endif
