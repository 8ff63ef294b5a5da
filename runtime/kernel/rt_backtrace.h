/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rt_backtrace.h - kernel backtraces for tapset/backtrace.stp.
 *
 * The stack is walked from the probe's registers with the kernel's own
 * unwinder (ORC on Debian's kernels; __unwind_start, unwind_next_frame
 * and unwind_get_return_address are exported), so the frames are those
 * of the probed context and never the probe machinery's: in a kprobe the
 * probed function then its callers, in a kretprobe the return site then
 * its callers, in a sampling probe the interrupted code.  The unwinder
 * reads the stack with its own checks, sees through the kretprobe and
 * function graph trampolines, and neither sleeps nor allocates.
 *
 * Formats, as SystemTap's:
 *   backtrace()          "0xffffffff81234567 0xffffffff81234890 ..."
 *   print_backtrace()    " 0xffffffff81234567 : func+0x12/0x40 [kernel]\n"
 *   sprint_backtrace()   "func+0x12 [kernel]\n"
 * ("kernel" for the kernel itself, else the module's name; an address
 * no symbol holds is shown in hex).
 */
#ifndef RT_BACKTRACE_H
#define RT_BACKTRACE_H

#include <linux/kallsyms.h>
#include <asm/unwind.h>

#ifndef MAXBACKTRACE
#define MAXBACKTRACE 20		/* frames of a backtrace, as stap's */
#endif

/*
 * The innermost frame's address.  A kprobe's handler sees regs->ip just
 * past the breakpoint; the probe's own address is the honest one.
 */
static unsigned long rt_bt_first(struct rt_context *c)
{
	if (c->probe->kind == RT_PROBE_KPROBE)
		return rt_probe_addr(c);
	return instruction_pointer(c->regs);
}

/**
 * rt_backtrace() - the return addresses of the probed context
 * @c: the context of the probe hit
 * @pcs: where they go
 * @max: room in @pcs
 *
 * Fills pcs with at most max return addresses of the probed context,
 * innermost first.  Returns how many; 0 without registers (begin, end) or
 * when the probe interrupted user space.
 *
 * Return: how many were stored.
 */
static __maybe_unused
unsigned int rt_backtrace(struct rt_context *c, unsigned long *pcs,
			  unsigned int max)
{
	struct unwind_state st;
	struct pt_regs copy;
	unsigned int n = 0;
	unsigned long pc;

	if (!c->regs || user_mode(c->regs) || !max)
		return 0;
	pcs[n++] = rt_bt_first(c);
	/* Starting from regs, the unwinder's first frame is the caller. */
	for (unwind_start(&st, current, rt_unwind_regs(c, &copy), NULL);
	     !unwind_done(&st) && n < max; unwind_next_frame(&st)) {
		pc = unwind_get_return_address(&st);
		if (!pc)
			break;
		pcs[n++] = pc;
	}
	return n;
}

/**
 * rt_bt_parse() - the addresses of a backtrace() string
 * @s: the string
 * @pcs: where they go
 * @max: room in @pcs
 *
 * Parses the hex addresses of a backtrace() string into pcs.  Stops at
 * max addresses or at the first word that is not a number.
 *
 * Return: how many were stored.
 */
static __maybe_unused
unsigned int rt_bt_parse(const char *s, unsigned long *pcs, unsigned int max)
{
	unsigned int n = 0;
	char *end;

	while (n < max) {
		s = skip_spaces(s);
		if (!*s)
			break;
		pcs[n] = simple_strtoul(s, &end, 16);
		if (end == s)
			break;
		n++;
		s = end;
	}
	return n;
}

/*
 * Appends one frame's line for pc to out (size bytes, *len used): with
 * full " 0xADDR : name+0xoff/0xsize [module]", else "name+0xoff
 * [module]".  sym is KSYM_SYMBOL_LEN bytes of scratch, or NULL when
 * there is none (the address is then shown in hex).  A line that does
 * not fit is left out, and false returned.
 */
static bool rt_bt_line(char *out, size_t size, size_t *len, unsigned long pc,
		       char *sym, bool full)
{
	const char *mod = "kernel";
	char *p;
	int n;

	if (sym) {
		sprint_symbol(sym, pc);
		/* An address without a symbol comes back as a hex number. */
		if (!strncmp(sym, "0x", 2))
			sym = NULL;
	}
	if (sym) {
		p = strstr(sym, " [");
		if (p) {
			*p = '\0';
			mod = p + 2;
			p = strchr(mod, ']');
			if (p)
				*p = '\0';
		}
		p = full ? NULL : strrchr(sym, '/');
		if (p)
			*p = '\0';
	}
	if (full && sym)
		n = snprintf(out + *len, size - *len, " 0x%016lx : %s [%s]\n",
			     pc, sym, mod);
	else if (full)
		n = snprintf(out + *len, size - *len, " 0x%016lx : 0x%016lx\n",
			     pc, pc);
	else if (sym)
		n = snprintf(out + *len, size - *len, "%s [%s]\n", sym, mod);
	else
		n = snprintf(out + *len, size - *len, "0x%016lx\n", pc);
	if (n < 0 || (size_t)n >= size - *len) {
		out[*len] = '\0';
		return false;
	}
	*len += n;
	return true;
}

/* The lines of pcs[0..n) in out (size bytes, NUL-terminated). */
static void rt_bt_lines(char *out, size_t size, const unsigned long *pcs,
			unsigned int n, char *sym, bool full)
{
	size_t len = 0;
	unsigned int i;

	out[0] = '\0';
	for (i = 0; i < n; i++)
		if (!rt_bt_line(out, size, &len, pcs[i], sym, full))
			break;
}

/**
 * rt_backtrace_hex() - the backtrace() string
 * @c: the context of the probe hit
 * @out: the string result (MAXSTRINGLEN bytes)
 *
 * backtrace(): the addresses in hex, separated by spaces.
 */
static __maybe_unused void rt_backtrace_hex(struct rt_context *c, char *out)
{
	unsigned long pcs[MAXBACKTRACE];
	unsigned int n = rt_backtrace(c, pcs, MAXBACKTRACE), i;
	size_t len = 0;
	int w;

	out[0] = '\0';
	for (i = 0; i < n; i++) {
		w = snprintf(out + len, MAXSTRINGLEN - len, "%s0x%lx",
			     i ? " " : "", pcs[i]);
		if (w < 0 || (size_t)w >= MAXSTRINGLEN - len) {
			out[len] = '\0';	/* whole addresses only */
			break;
		}
		len += w;
	}
}

/*
 * The scratch for symbol lookups when the result goes elsewhere: the
 * context's printbuf, free while no print is being formatted.
 */
static char *rt_bt_sym_scratch(struct rt_context *c)
{
	return sizeof(c->printbuf) >= KSYM_SYMBOL_LEN ? c->printbuf : NULL;
}

/**
 * rt_sprint_pcs() - a backtrace as a string, one symbol a line
 * @c: the context of the probe hit
 * @out: the string result (MAXSTRINGLEN bytes)
 * @pcs: the addresses, innermost first
 * @n: how many
 *
 * sprint_backtrace() and sprint_stack(): the lines in a string.
 */
static __maybe_unused void rt_sprint_pcs(struct rt_context *c, char *out,
					 const unsigned long *pcs,
					 unsigned int n)
{
	rt_bt_lines(out, MAXSTRINGLEN, pcs, n, rt_bt_sym_scratch(c), false);
}

/**
 * rt_print_pcs() - print a backtrace, one symbol a line
 * @c: the context of the probe hit
 * @pcs: the addresses, innermost first
 * @n: how many
 *
 * print_backtrace() and print_stack(): the lines as one output record.
 * The text is built at the start of the printbuf and the symbols are
 * looked up in its last KSYM_SYMBOL_LEN bytes (with a printbuf too small
 * to share, the addresses are printed without symbols).
 */
static __maybe_unused void rt_print_pcs(struct rt_context *c,
					const unsigned long *pcs,
					unsigned int n)
{
	size_t size = sizeof(c->printbuf);
	char *sym = NULL;

	if (size >= 2 * KSYM_SYMBOL_LEN) {
		size -= KSYM_SYMBOL_LEN;
		sym = c->printbuf + size;
	}
	rt_bt_lines(c->printbuf, size, pcs, n, sym, true);
	rt_print(c, c->printbuf, strlen(c->printbuf));
}

#endif /* RT_BACKTRACE_H */
