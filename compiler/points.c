/* points.c - probe-point resolution, table-driven by family.
 *
 * A family is a component pattern and a resolver.  Patterns name the
 * components joined by '.'; "a|b" accepts either name, "*" any name;
 * "(S)" asks for a string argument, "(N)" for a number, "(A)" for
 * either, "(N?)" for an optional number.  The first family whose pattern
 * matches the written point resolves it; its resolver reads the arguments
 * from the request and adds concrete points with pt_add(). */
#include "points.h"
#include "elab.h"
#include "kintro/ksyms.h"
#include "points_int.h"
#include "points_dwarf.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* ---- matching a point against a pattern ---- */

/* Whether name is one of the '|'-separated names of pat[0..len). */
static int name_in(const char *name, const char *pat, size_t len)
{
	size_t nl = strlen(name);

	if (len == 1 && *pat == '*')
		return 1;
	while (len) {
		size_t alt = strcspn(pat, "|");

		if (alt > len)
			alt = len;
		if (alt == nl && !strncmp(pat, name, nl))
			return 1;
		if (alt == len)
			break;
		pat += alt + 1;
		len -= alt + 1;
	}
	return 0;
}

/* Matches one written component against one pattern component such as
 * "function(S)"; stores its argument in slot i of the request. */
static int match_comp(struct pt_req *r, int i, const char *pat, size_t len)
{
	const struct pp_component *c = r->pp->comps.v[i];
	const char *paren = memchr(pat, '(', len);
	size_t nlen = paren ? (size_t)(paren - pat) : len;
	int optional;

	if (!name_in(c->name, pat, nlen))
		return 0;
	if (!paren)
		return c->arg == NULL;
	optional = paren[2] == '?';
	if (!c->arg)
		return optional;
	r->has[i] = 1;
	if ((paren[1] == 'S' || paren[1] == 'A') && c->arg->kind == EX_STR) {
		r->str[i] = c->arg->str;
		return 1;
	}
	if ((paren[1] == 'N' || paren[1] == 'A') && c->arg->kind == EX_NUM) {
		r->num[i] = c->arg->num;
		return 1;
	}
	return 0;
}

static int match_pattern(struct pt_req *r, const char *pat)
{
	int i = 0;

	memset(r->str, 0, sizeof(r->str));
	memset(r->num, 0, sizeof(r->num));
	memset(r->has, 0, sizeof(r->has));
	while (*pat) {
		size_t len = strcspn(pat, ".");

		if (i >= r->pp->comps.n || i >= PT_MAXCOMPS ||
		    !match_comp(r, i, pat, len))
			return 0;
		i++;
		pat += len + (pat[len] == '.');
	}
	return i == r->pp->comps.n;
}

/* ---- building concrete points ---- */

/* The written point's text with component i's string argument replaced
 * by sub (a wildcard's match), or as written when sub is NULL. */
char *pt_text(const struct pt_req *r, int i, const char *sub)
{
	struct strbuf t;

	sb_init(&t);
	for (int k = 0; k < r->pp->comps.n; k++) {
		const struct pp_component *c = r->pp->comps.v[k];

		sb_printf(&t, "%s%s", k ? "." : "", c->name);
		if (k == i && sub)
			sb_printf(&t, "(\"%s\")", sub);
		else if (c->arg && c->arg->kind == EX_STR)
			sb_printf(&t, "(\"%s\")", c->arg->str);
		else if (c->arg && (!strcmp(c->name, "statement") ||
				   !strcmp(c->name, "data")))
			/* an address, in hex as stap prints it */
			sb_printf(&t, "(0x%" PRIx64 ")", (uint64_t)c->arg->num);
		else if (c->arg && !strcmp(c->name, "umask"))
			/* procfs: a mode's bits, in octal */
			sb_printf(&t, "(0%03" PRIo64 ")", (uint64_t)c->arg->num);
		else if (c->arg)
			sb_printf(&t, "(%" PRId64 ")", c->arg->num);
	}
	return sb_take(&t);
}

struct concrete_point *pt_add(struct pt_req *r, enum pp_kind kind,
			      char *text)
{
	struct concrete_point *cp = xcalloc(1, sizeof(*cp));

	cp->kind = kind;
	cp->text = text ? text : pt_text(r, -1, NULL);
	cp->probe = r->probe;
	cp->order = r->prog->points.n;
	vec_push(&r->prog->points, cp);
	r->added++;
	return cp;
}

char *pt_kernel_modname(const char *mod)
{
	char *m = xstrdup(mod);

	for (char *c = m; *c; c++)
		if (*c == '-')
			*c = '_';
	return m;
}

char *pt_written(const struct pt_req *r)
{
	struct strbuf t;

	sb_init(&t);
	ast_print_point(r->pp, &t);
	return sb_take(&t);
}

/* ---- the simple families ---- */

static int res_begin_end(struct pt_req *r)
{
	struct concrete_point *cp = pt_add(r, r->fam->kind, NULL);

	cp->priority = r->num[0];
	return 1;
}

static int res_never(struct pt_req *r)
{
	pt_add(r, PP_NEVER, NULL);
	return 1;
}

/* ---- the family table ---- */

#define TIMER_UNITS "timer.s|sec|ms|msec|us|usec|ns|nsec|hz|jiffies"

static const struct pt_family families[] = {
	{ "begin(N?)", PP_BEGIN, res_begin_end },
	{ "end(N?)", PP_END, res_begin_end },
	{ "error(N?)", PP_ERROR, res_begin_end },
	{ "never", PP_NEVER, res_never },
	{ "kernel.function(S)", PP_KPROBE, pt_res_kfunc },
	{ "kernel.function(S).call", PP_KPROBE, pt_res_kfunc },
	{ "kernel.function(S).return", PP_KRETPROBE, pt_res_kfunc },
	{ "kernel.function(S).inline", PP_KPROBE, pt_res_kfunc },
	{ "kprobe.function(S)", PP_KPROBE, pt_res_kfunc },
	{ "kprobe.function(S).return", PP_KRETPROBE, pt_res_kfunc },
	{ "kprobe.module(S).function(S)", PP_KPROBE, pt_res_kfunc },
	{ "kprobe.module(S).function(S).return", PP_KRETPROBE, pt_res_kfunc },
	{ "module(S).function(S)", PP_KPROBE, pt_res_kfunc },
	{ "module(S).function(S).call", PP_KPROBE, pt_res_kfunc },
	{ "module(S).function(S).return", PP_KRETPROBE, pt_res_kfunc },
	{ "module(S).function(S).inline", PP_KPROBE, pt_res_kfunc },
	{ "kprobe.statement(N).absolute", PP_KPROBE, pt_res_absolute },
	{ TIMER_UNITS "(N)", PP_TIMER, pt_res_timer },
	{ TIMER_UNITS "(N).randomize(N)", PP_TIMER, pt_res_timer },
	{ "kernel.trace(S)", PP_TRACE, pt_res_trace },
	{ "timer.profile", PP_PROFILE, pt_res_profile },
	{ "timer.profile.tick", PP_PROFILE, pt_res_profile },
	{ "timer.profile.freq.hz(N)", PP_PROFILE, pt_res_profile },
	{ "perf.sw|hw.*", PP_PERF, pt_res_perf_named },
	{ "perf.sw|hw.*.sample(N)", PP_PERF, pt_res_perf_named },
	{ "perf.type(N).config(N)", PP_PERF, pt_res_perf_raw },
	{ "perf.type(N).config(N).sample(N)", PP_PERF, pt_res_perf_raw },
	{ "kernel.statement(N).absolute", PP_KPROBE, pt_res_absolute },
	{ "kernel.statement(S)", PP_KPROBE, pt_res_statement },
	{ "module(S).statement(S)", PP_KPROBE, pt_res_statement },
	{ "kernel.data(N).write|rw", PP_HWBKPT, pt_res_data },
	{ "kernel.data(N).length(N).write|rw", PP_HWBKPT, pt_res_data },
	{ "kernel.data(S).write|rw", PP_HWBKPT, pt_res_data },
	{ "procfs.read|write", PP_PROCFS, pt_res_procfs },
	{ "procfs(S).read|write", PP_PROCFS, pt_res_procfs },
	{ "procfs.umask(N).read|write", PP_PROCFS, pt_res_procfs },
	{ "procfs(S).umask(N).read|write", PP_PROCFS, pt_res_procfs },
	{ "procfs.read.maxsize(N)", PP_PROCFS, pt_res_procfs },
	{ "procfs(S).read.maxsize(N)", PP_PROCFS, pt_res_procfs },
	{ "procfs.umask(N).read.maxsize(N)", PP_PROCFS, pt_res_procfs },
	{ "procfs(S).umask(N).read.maxsize(N)", PP_PROCFS, pt_res_procfs },
	{ "netfilter.hook(A).pf(A)", PP_NETFILTER, pt_res_netfilter },
	{ "netfilter.pf(A).hook(A)", PP_NETFILTER, pt_res_netfilter },
	{ "netfilter.hook(A).pf(A).priority(A)", PP_NETFILTER,
	  pt_res_netfilter },
	{ "netfilter.pf(A).hook(A).priority(A)", PP_NETFILTER,
	  pt_res_netfilter },
};

/* "kernel.function(S).return" -> "kernel.function.return" */
static char *pattern_names(const char *pat)
{
	struct strbuf b;

	sb_init(&b);
	for (; *pat; pat++) {
		if (*pat == '(')
			pat = strchr(pat, ')');
		else
			sb_putc(&b, *pat);
	}
	return sb_take(&b);
}

/* The family nearest to the written point's component names. */
static char *suggest_family(const struct pt_req *r)
{
	struct strbuf names;
	struct suggest s;
	char *best = NULL;

	sb_init(&names);
	for (int k = 0; k < r->pp->comps.n; k++)
		sb_printf(&names, "%s%s", k ? "." : "",
			  ((struct pp_component *)r->pp->comps.v[k])->name);
	suggest_init(&s, names.s);
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		char *n = pattern_names(families[i].pattern);

		suggest_try(&s, n);
		if (s.best == n) {
			free(best);
			best = n;
		} else {
			free(n);
		}
	}
	sb_free(&names);
	return best;
}

static void unknown_point(struct pt_req *r)
{
	char *t = pt_written(r);
	char *hint = suggest_family(r);

	if (hint)
		diag_error(DG_UNKNOWN_POINT,
			   r->pp->loc, "unknown probe point '%s' (did you "
			   "mean '%s'?)", t, hint);
	else
		diag_error(DG_UNKNOWN_POINT,
			   r->pp->loc, "unknown probe point '%s'", t);
	free(hint);
	free(t);
}

/* The points made from a wildcard or an optional point may be refused
 * by the kernel at registration: the runtime then only warns (as stap
 * does), so that one bad function does not fail a whole wildcard. */
static void mark_tolerant(struct pt_req *r, int first)
{
	int wild = r->pp->optional;

	for (int k = 0; k < r->pp->comps.n && !wild; k++) {
		const struct pp_component *c = r->pp->comps.v[k];

		wild = strpbrk(c->name, "*?[") ||
		       (c->arg && c->arg->kind == EX_STR &&
			strpbrk(c->arg->str, "*?["));
	}
	for (int i = first; wild && i < r->prog->points.n; i++)
		((struct concrete_point *)r->prog->points.v[i])->tolerant = 1;
}

int points_resolve(struct program *prog, struct probe *p,
		    const struct probe_point *pp,
		    const struct elab_options *opt)
{
	struct pt_req r = { .prog = prog, .probe = p, .pp = pp, .opt = opt };

	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		if (!match_pattern(&r, families[i].pattern))
			continue;
		r.fam = &families[i];
		families[i].resolve(&r);
		mark_tolerant(&r, prog->points.n - r.added);
		return r.added;
	}
	if (!pp->optional)
		unknown_point(&r);
	return 0;
}
