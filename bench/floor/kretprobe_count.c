// SPDX-License-Identifier: GPL-2.0
/*
 * kretprobe_count.c - the hand-written floor of .return probes: a
 * kretprobe that counts returns of one function and prints the count
 * when unloaded.  bench/probe.sh compares tapc's .return counter with it.
 */
#include <linux/kprobes.h>
#include <linux/module.h>

static char *sym = "__x64_sys_getppid";
module_param(sym, charp, 0444);

static unsigned long hits;

static int count_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	hits++;
	return 0;
}

static struct kretprobe krp = { .handler = count_ret };

static int __init count_init(void)
{
	krp.kp.symbol_name = sym;
	return register_kretprobe(&krp);
}

static void __exit count_exit(void)
{
	unregister_kretprobe(&krp);
	pr_info("kretprobe_count: %s returned %lu times\n", sym,
		hits);
}

module_init(count_init);
module_exit(count_exit);
MODULE_LICENSE("GPL");
