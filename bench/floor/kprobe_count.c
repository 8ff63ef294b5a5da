// SPDX-License-Identifier: GPL-2.0
/*
 * kprobe_count.c - the hand-written floor: a kprobe that counts calls of
 * one function and prints the count when unloaded.  bench/run compares
 * tapc's compile time (and, with issue 8, its probe cost) against this.
 */
#include <linux/kprobes.h>
#include <linux/module.h>

static char *sym = "__x64_sys_getppid";
module_param(sym, charp, 0444);

static unsigned long hits;

static int count_pre(struct kprobe *p, struct pt_regs *regs)
{
	hits++;
	return 0;
}

static struct kprobe kp = { .pre_handler = count_pre };

static int __init count_init(void)
{
	kp.symbol_name = sym;
	return register_kprobe(&kp);
}

static void __exit count_exit(void)
{
	unregister_kprobe(&kp);
	pr_info("kprobe_count: %s called %lu times\n", sym, hits);
}

module_init(count_init);
module_exit(count_exit);
MODULE_LICENSE("GPL");
