/*
 * vm_cmdline.c - the guest kernel's command line: the runner's own
 * parameters, then the ones the user adds with --vm-append (e.g.
 * "nokaslr", so that addresses read from System.map on the host are the
 * guest's).  A user parameter the runner depends on is refused before
 * anything is built.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "vm_int.h"

/*
 * An oops panics, a panic reboots, -no-reboot makes that an exit.
 * With init= a broken /init panics too, instead of a shell on ttyS0.
 */
#define VM_CMDLINE_BASE "console=ttyS0 panic=-1 oops=panic rdinit=/init init=/init"

/* The parameters the runner depends on, and why. */
static const struct {
	const char *name;
	const char *why;
} vm_cmdline_own[] = {
	{ "console", "the runner reads the guest kernel log on ttyS0" },
	{ "panic", "the runner ends the guest on a panic" },
	{ "oops", "the runner ends the guest on an oops" },
	{ "panic_on_oops", "the runner ends the guest on an oops" },
	{ "rdinit", "the guest runs the runner's /init" },
	{ "init", "the guest runs the runner's /init" },
	{ "initrd", "the guest runs the runner's initramfs" },
	{ "noinitrd", "the guest runs the runner's initramfs" },
	{ "loglevel", "the runner reads oopses and warnings in the kernel log" },
	{ "quiet", "the runner reads oopses and warnings in the kernel log" },
	{ "--", "what follows it would go to the runner's /init" },
};

/* The kernel compares parameter names with '-' and '_' alike. */
static char vm_param_char(char c)
{
	return c == '-' ? '_' : c;
}

/* Whether parameter (p, len) is name: what comes before '=', quotes left
 * out. */
static int vm_param_is(const char *p, size_t len, const char *name)
{
	size_t i = 0;

	for (; len && *p != '='; p++, len--) {
		if (*p == '"')
			continue;
		if (!name[i] || vm_param_char(*p) != vm_param_char(name[i]))
			return 0;
		i++;
	}
	return !name[i];
}

/* Refuse one parameter (p, len) if it is the runner's.  0 or -1. */
static int vm_param_check(const char *p, size_t len)
{
	for (size_t k = 0; k < sizeof(vm_cmdline_own) / sizeof(vm_cmdline_own[0]); k++) {
		if (!vm_param_is(p, len, vm_cmdline_own[k].name))
			continue;
		vm_msg("--vm-append: %.*s is not allowed: %s", (int)len, p,
		       vm_cmdline_own[k].why);
		return -1;
	}
	return 0;
}

/*
 * Split as the kernel does: blanks end a parameter except inside double
 * quotes (name="a b").
 */
int vm_append_check(const char *append)
{
	const char *p = append;

	if (!append)
		return 0;
	if (strlen(VM_CMDLINE_BASE) + 1 + strlen(append) >= VM_CMDLINE_MAX) {
		vm_msg("--vm-append: the guest kernel command line would be "
		       "longer than %d bytes", VM_CMDLINE_MAX - 1);
		return -1;
	}
	while (*p) {
		const char *start;
		int quoted = 0;

		while (isspace((unsigned char)*p))
			p++;
		start = p;
		for (; *p && (quoted || !isspace((unsigned char)*p)); p++)
			if (*p == '"')
				quoted = !quoted;
		if (quoted) {
			vm_msg("--vm-append: %s: a quote is not closed", start);
			return -1;
		}
		if (p > start && vm_param_check(start, (size_t)(p - start)) < 0)
			return -1;
	}
	return 0;
}

int vm_cmdline(const char *append, char *buf, size_t size)
{
	int n;

	if (vm_append_check(append) < 0)
		return -1;
	n = snprintf(buf, size, "%s%s%s", VM_CMDLINE_BASE,
		     append && *append ? " " : "", append ? append : "");
	return n < 0 || (size_t)n >= size ? -1 : 0;
}
