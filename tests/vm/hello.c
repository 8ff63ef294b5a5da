// SPDX-License-Identifier: GPL-2.0
/* hello.c - a stand-in tapc module for the guest runner's own tests. */
#include <linux/module.h>
#include <linux/kernel.h>

static int warn;
module_param(warn, int, 0444);
MODULE_PARM_DESC(warn, "1: a kernel WARNING at load");

static int oops;
module_param(oops, int, 0444);
MODULE_PARM_DESC(oops, "1: a NULL pointer dereference at load");

static int __init tapc_hello_init(void)
{
	pr_info("tapc_hello: loaded\n");
	WARN(warn, "tapc_hello: a warning on request\n");
	if (oops)
		*(volatile int *)NULL = 1;
	return 0;
}

static void __exit tapc_hello_exit(void)
{
	pr_info("tapc_hello: unloaded\n");
}

module_init(tapc_hello_init);
module_exit(tapc_hello_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("stand-in module for tests/vm");
