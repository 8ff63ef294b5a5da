/* points_timer.c - timer.s/sec/ms/msec/us/usec/ns/nsec/hz/jiffies(N) with
 * .randomize(M), timer.profile[.tick], and perf.* sampling points. */
#include "points_int.h"
#include "elab.h"

#include <string.h>

static const struct timer_unit {
	const char *name;
	int64_t ns;			/* 0: jiffies; -1: hz */
} units[] = {
	{ "s", 1000000000 }, { "sec", 1000000000 },
	{ "ms", 1000000 }, { "msec", 1000000 },
	{ "us", 1000 }, { "usec", 1000 },
	{ "ns", 1 }, { "nsec", 1 },
	{ "hz", -1 }, { "jiffies", 0 },
};

/* stap's bounds: N from 1 to about a million jiffies, M below N. */
#define PT_MAX_JIFFIES 1000000

static const struct timer_unit *unit_of(const char *name)
{
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(units[i].name, name))
			return &units[i];
	return NULL;
}

int pt_res_timer(struct pt_req *r)
{
	const struct pp_component *c = r->pp->comps.v[1];
	const struct timer_unit *u = unit_of(c->name);
	int64_t n = r->num[1], m = r->num[2];
	int rnd = r->pp->comps.n == 3;
	struct concrete_point *cp;

	if (n <= 0 || (u->ns == 0 && n > PT_MAX_JIFFIES) ||
	    (u->ns > 0 && n > INT64_MAX / u->ns)) {
		diag_error(DG_TIMER_RANGE,
			   c->loc, "timer interval %lld out of range",
			   (long long)n);
		return 0;
	}
	if (rnd && u->ns < 0) {
		diag_error(DG_TIMER_RANDOMIZE,
			   c->loc, "randomize is not supported for hz timers");
		return 0;
	}
	if (rnd && (m < 0 || m >= n)) {
		diag_error(DG_TIMER_RANDOMIZE,
			   c->loc, "randomize %lld must be below the interval "
			   "%lld", (long long)m, (long long)n);
		return 0;
	}
	cp = pt_add(r, PP_TIMER, NULL);
	if (u->ns == 0) {
		cp->jiffies = n;
		cp->randomize = m;
	} else if (u->ns < 0) {
		cp->hz = n;
		cp->period_ns = 1000000000 / n ? 1000000000 / n : 1;
	} else {
		cp->period_ns = n * u->ns;
		cp->randomize = m;
		cp->randomize_ns = m * u->ns;
	}
	return 1;
}

/* perf_event_attr types and configs (include/uapi/linux/perf_event.h). */
#define PT_PERF_HW 0
#define PT_PERF_SW 1

static const struct perf_name {
	uint32_t type;
	const char *name;
	uint64_t config;
} perf_names[] = {
	{ PT_PERF_HW, "cpu_cycles", 0 }, { PT_PERF_HW, "cycles", 0 },
	{ PT_PERF_HW, "instructions", 1 },
	{ PT_PERF_HW, "cache_references", 2 },
	{ PT_PERF_HW, "cache_misses", 3 },
	{ PT_PERF_HW, "branch_instructions", 4 },
	{ PT_PERF_HW, "branches", 4 },
	{ PT_PERF_HW, "branch_misses", 5 },
	{ PT_PERF_HW, "bus_cycles", 6 },
	{ PT_PERF_HW, "stalled_cycles_frontend", 7 },
	{ PT_PERF_HW, "stalled_cycles_backend", 8 },
	{ PT_PERF_HW, "ref_cpu_cycles", 9 },
	{ PT_PERF_SW, "cpu_clock", 0 }, { PT_PERF_SW, "task_clock", 1 },
	{ PT_PERF_SW, "page_faults", 2 }, { PT_PERF_SW, "context_switches", 3 },
	{ PT_PERF_SW, "cpu_migrations", 4 },
	{ PT_PERF_SW, "page_faults_min", 5 },
	{ PT_PERF_SW, "page_faults_maj", 6 },
	{ PT_PERF_SW, "alignment_faults", 7 },
	{ PT_PERF_SW, "emulation_faults", 8 },
};

/* stap's default sample period for perf probes. */
#define PT_PERF_DEFAULT_SAMPLE 1000000

static struct concrete_point *add_perf(struct pt_req *r, uint32_t type,
				       uint64_t config, int64_t sample)
{
	struct concrete_point *cp;

	if (sample <= 0) {
		diag_error(DG_PERF_PERIOD,
			   r->pp->loc, "perf sample period must be positive");
		return NULL;
	}
	cp = pt_add(r, PP_PERF, NULL);
	cp->perf_type = type;
	cp->perf_config = config;
	cp->perf_sample = (uint64_t)sample;
	return cp;
}

/* perf.sw.NAME[.sample(N)], perf.hw.NAME[.sample(N)] */
int pt_res_perf_named(struct pt_req *r)
{
	const char *kind = ((struct pp_component *)r->pp->comps.v[1])->name;
	const char *name = ((struct pp_component *)r->pp->comps.v[2])->name;
	uint32_t type = strcmp(kind, "hw") ? PT_PERF_SW : PT_PERF_HW;
	int64_t sample = r->has[3] ? r->num[3] : PT_PERF_DEFAULT_SAMPLE;

	for (size_t i = 0; i < sizeof(perf_names) / sizeof(perf_names[0]); i++)
		if (perf_names[i].type == type &&
		    !strcmp(perf_names[i].name, name))
			return add_perf(r, type, perf_names[i].config,
					sample) != NULL;
	diag_error(DG_UNKNOWN_PERF_EVENT,
		   r->pp->loc, "unknown perf event 'perf.%s.%s'", kind, name);
	return 0;
}

/* perf.type(T).config(C)[.sample(N)] */
int pt_res_perf_raw(struct pt_req *r)
{
	int64_t sample = r->has[3] ? r->num[3] : PT_PERF_DEFAULT_SAMPLE;

	if (r->num[1] < 0 || r->num[1] > UINT32_MAX || r->num[2] < 0) {
		diag_error(DG_PERF_RANGE,
			   r->pp->loc, "perf type or config out of range");
		return 0;
	}
	return add_perf(r, (uint32_t)r->num[1], (uint64_t)r->num[2],
			sample) != NULL;
}

/* timer.profile[.tick]: cpu-clock on every CPU, one tick per sample
 * (the runtime's TICK_NSEC when the period is left 0);
 * timer.profile.freq.hz(N): N samples a second. */
int pt_res_profile(struct pt_req *r)
{
	struct concrete_point *cp = pt_add(r, PP_PROFILE, NULL);
	int64_t hz = r->pp->comps.n == 4 ? r->num[3] : 0;

	cp->perf_type = PT_PERF_SW;
	cp->perf_config = 0;		/* cpu_clock */
	if (r->pp->comps.n == 4 && hz <= 0) {
		diag_error(DG_PROFILE_FREQUENCY,
			   r->pp->loc, "profile frequency must be positive");
		return 0;
	}
	if (hz)
		cp->perf_sample = (uint64_t)(1000000000 / hz);
	return 1;
}
