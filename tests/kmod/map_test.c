// SPDX-License-Identifier: GPL-2.0
/*
 * map_test.c - the runtime's associative arrays (rt_map.h), driven the
 * way generated code drives them, from a begin probe; the guest test
 * compares the printed lines with map_test.out.
 */
#include "runtime.h"
#include "rt_map.h"

static const struct rt_map_desc counts_desc = {
	.name = "counts", .nkeys = 2,
	.key_type = { RT_T_STRING, RT_T_LONG },
	.value_type = RT_T_LONG, .value_size = sizeof(rt_long),
	.max_entries = 4,
};
static const struct rt_map_desc ring_desc = {
	.name = "ring", .nkeys = 1, .key_type = { RT_T_LONG },
	.value_type = RT_T_STRING, .value_size = MAXSTRINGLEN,
	.max_entries = 3, .wrap = true,
};
static struct rt_map counts, ring;

static void add(const char *s, rt_long n, rt_long v)
{
	union rt_key k[] = { { .s = s }, { .n = n } };
	struct rt_map_entry *e = rt_map_insert(&counts, k);

	if (e)
		*(rt_long *)rt_map_value(&counts, e) += v;
}

static void dump(struct rt_context *c, const char *what, bool sorted)
{
	struct rt_map_entry *e, *tmp;

	rt_printf(c, "%s:", what);
	if (sorted) {
		rt_map_for_each_sorted(&counts, e)
			rt_printf(c, " %s/%lld=%lld",
				  rt_map_key_str(&counts, e, 0),
				  rt_map_key_long(&counts, e, 1),
				  *(rt_long *)rt_map_value(&counts, e));
	} else {
		rt_map_for_each(&counts, e, tmp)
			rt_printf(c, " %s/%lld=%lld",
				  rt_map_key_str(&counts, e, 0),
				  rt_map_key_long(&counts, e, 1),
				  *(rt_long *)rt_map_value(&counts, e));
	}
	rt_printf(c, "\n");
}

static void probe_begin(struct rt_context *c)
{
	union rt_key k[2];
	struct rt_map_entry *e, *tmp;
	int i;

	add("b", 2, 5);
	add("a", 1, 7);
	add("b", 2, 1);		/* the same keys: one entry */
	add("c", 3, 2);
	dump(c, "insertion", false);
	rt_map_sort(&counts, 0, 1, NULL);
	dump(c, "by value", true);
	rt_map_sort(&counts, 1, -1, NULL);
	dump(c, "by key 1 desc", true);
	rt_map_sort(&counts, 2, 1, NULL);
	dump(c, "by key 2", true);
	add("d", 4, 1);
	rt_printf(c, "full: %s\n",
		  rt_map_insert(&counts, (union rt_key[]){ { .s = "e" },
							  { .n = 5 } }) ?
		  "no" : "yes");
	k[0].s = "a";
	k[1].n = 1;
	rt_printf(c, "a/1 in: %d\n", rt_map_find(&counts, k) != NULL);
	rt_map_delete(&counts, k);
	rt_printf(c, "a/1 in after delete: %d, count %u\n",
		  rt_map_find(&counts, k) != NULL, counts.count);
	add("e", 5, 9);		/* the deleted entry's slot is free again */
	dump(c, "after reuse", false);
	rt_map_clear(&counts);
	rt_printf(c, "cleared: %u\n", counts.count);

	for (i = 1; i <= 5; i++) {	/* wraps: keeps the last three */
		k[0].n = i;
		e = rt_map_insert(&ring, k);
		snprintf(rt_map_value(&ring, e), MAXSTRINGLEN, "v%d", i);
	}
	rt_printf(c, "ring:");
	rt_map_for_each(&ring, e, tmp)
		rt_printf(c, " %lld=%s", rt_map_key_long(&ring, e, 0),
			  (char *)rt_map_value(&ring, e));
	rt_printf(c, "\n");
	rt_exit(c);
}

static int map_test_init(void)
{
	int err = rt_map_init(&counts, &counts_desc);

	if (!err)
		err = rt_map_init(&ring, &ring_desc);
	return err;
}

static void map_test_exit(void)
{
	rt_map_free(&counts);
	rt_map_free(&ring);
}

static struct rt_probe tapc_probes[] = {
	{ .kind = RT_PROBE_BEGIN, .pp = "begin", .handler = probe_begin },
};

static struct rt_script tapc_script = {
	.name = "map_test.c",
	.probes = tapc_probes,
	.nprobes = ARRAY_SIZE(tapc_probes),
	.ctx_size = sizeof(struct rt_context),
	.init = map_test_init,
	.exit = map_test_exit,
};

#include "rt_main.h"
