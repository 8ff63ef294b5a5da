/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rt_tapset.h - helpers for the tapset library's embedded C (tapset/).
 *
 * runtime.h includes it, so any tapset function's C may call these;
 * each is static and __maybe_unused, so a module pays only for what its
 * functions use.  Everything here runs inside probe handlers: nothing
 * sleeps or allocates, and every read of memory a script names goes
 * through the kernel's fault-tolerant copy helpers.  The *_BODY macros
 * are whole bodies of tapset functions: they use the STAP_* macros pass
 * 3 defines around embedded C.
 *
 * Scratch space: a tapset function may use its context's printbuf
 * (rt_scratch()) while it does not print; rt_warn() uses it too, so a
 * function must be done with its scratch before it warns.
 */
#ifndef RT_TAPSET_H
#define RT_TAPSET_H

#include <linux/ctype.h>
#include <linux/kallsyms.h>
#include <linux/printk.h>
#include <linux/sched/clock.h>
#include <linux/timex.h>
#include <asm/unwind.h>

/**
 * rt_scratch() - the context's printbuf as scratch space
 * @c: the context of the probe hit
 *
 * The context's printbuf, free while no print is being formatted.
 *
 * Return: the buffer.
 */
static inline char *rt_scratch(struct rt_context *c)
{
	BUILD_BUG_ON(sizeof(c->printbuf) < MAXSTRINGLEN);
	return c->printbuf;
}

#define RT_SCRATCH_SIZE(c) sizeof((c)->printbuf)

/**
 * rt_warn() - warn(): a warning line on the script's stderr
 * @c: the context of the probe hit
 * @fmt: the message's format
 * @...: its arguments
 *
 * A "WARNING: ..." line on the script's stderr; the hit goes on.  The
 * arguments must not point into the scratch buffer.
 */
static __printf(2, 3) __maybe_unused
void rt_warn(struct rt_context *c, const char *fmt, ...)
{
	char *buf = rt_scratch(c);
	size_t size = RT_SCRATCH_SIZE(c);
	size_t n = sizeof("WARNING: ") - 1;
	va_list ap;
	int len;

	memcpy(buf, "WARNING: ", n);
	va_start(ap, fmt);
	len = vsnprintf(buf + n, size - n - 1, fmt, ap);
	va_end(ap);
	if (len > 0)
		n += min_t(size_t, len, size - n - 2);
	buf[n++] = '\n';
	rt_transport_write(TAPC_REC_WARN, buf, n);
}

/**
 * rt_printk_deferred() - printk() safe in any probe
 * @fmt: the format, starting with the KERN_ level
 * @...: its arguments
 *
 * printk() whose console output is deferred to an irq_work, as
 * printk_deferred() (not exported) does: safe in any probe, the
 * scheduler's included.  fmt starts with the KERN_ level.
 */
static __printf(1, 2) __maybe_unused void rt_printk_deferred(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk_emit(0, LOGLEVEL_SCHED, NULL, fmt, ap);
	va_end(ap);
}

/* ---- quoting ---- */

/*
 * Decodes one UTF-8 character of at most len bytes at s into *cp.
 * Returns the bytes it takes: 2 to 4 for a valid, shortest-form
 * sequence of a character outside ASCII, else 1 (*cp is then the byte).
 */
static __maybe_unused
int rt_utf8_decode(const unsigned char *s, size_t len, u32 *cp)
{
	int n, i;
	u32 v;

	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		v = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		v = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		v = s[0] & 0x07;
	} else {
		goto byte;
	}
	if ((size_t)n > len)
		goto byte;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			goto byte;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if (v < 0x80 || (n == 3 && v < 0x800) || (n == 4 && v < 0x10000) ||
	    v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		goto byte;
	*cp = v;
	return n;
byte:
	*cp = s[0];
	return 1;
}

/**
 * rt_text_str() - escape a string for text_str() and friends
 * @out: the result
 * @in: the string
 * @inlen: its length
 * @outlen: room in @out
 * @quoted: put the result in double quotes
 *
 * Writes the escaped form of in (inlen bytes at most, or up to its NUL)
 * into out (MAXSTRINGLEN bytes), at most outlen characters (0 or more than
 * MAXSTRINGLEN - 1: MAXSTRINGLEN - 1).  Printable ASCII stays as it is but
 * for " and \; \a \b \f \n \r \t \v \" \\ are written so; a valid UTF-8
 * character becomes \uXXXX or \UXXXXXXXX; any other byte \ooo in octal.
 * An escape that does not fit is left out with the rest. quoted puts the
 * result in double quotes; then a result cut short ends with "... in place
 * of its last characters.
 */
static __maybe_unused
void rt_text_str(char *out, const char *in, size_t inlen, size_t outlen,
		 bool quoted)
{
	static const char esc_from[] = "\a\b\f\n\r\t\v\"\\";
	static const char esc_to[] = "abfnrtv\"\\";
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)in;
	size_t left, i = 0;
	char *o = out;
	u32 cp = 0;

	if (!outlen || outlen > MAXSTRINGLEN - 1)
		outlen = MAXSTRINGLEN - 1;
	left = outlen;
	if (quoted) {
		left = max_t(size_t, outlen, 5) - 2;
		*o++ = '"';
	}
	while (i < inlen) {
		int n, k;
		size_t need;

		if (!s[i]) {
			cp = 0;
			break;
		}
		n = rt_utf8_decode(s + i, inlen - i, &cp);
		if (!left)
			break;
		if (n > 1)
			need = cp <= 0xffff ? 6 : 10;
		else if (cp < 0x80 && isprint(cp) && cp != '"' && cp != '\\')
			need = 1;
		else if (cp && strchr(esc_from, cp))
			need = 2;
		else
			need = 4;
		if (need > left)
			break;
		i += n;
		left -= need;
		if (need == 1) {
			*o++ = cp;
		} else if (n > 1) {
			*o++ = '\\';
			*o++ = cp <= 0xffff ? 'u' : 'U';
			for (k = (int)need - 3; k >= 0; k--)
				*o++ = hex[(cp >> (4 * k)) & 0xf];
		} else if (need == 2) {
			*o++ = '\\';
			*o++ = esc_to[strchr(esc_from, cp) - esc_from];
		} else {
			*o++ = '\\';
			*o++ = '0' + ((cp >> 6) & 3);
			*o++ = '0' + ((cp >> 3) & 7);
			*o++ = '0' + (cp & 7);
		}
	}
	if (quoted) {
		if (i < inlen && cp) {
			/* Cut short: "... takes the room of the last chars. */
			o = o + left - 3;
			memcpy(o, "\"...", 4);
			o += 4;
		} else {
			*o++ = '"';
		}
	}
	*o = '\0';
}

/**
 * rt_quote_mem() - read and escape a string from memory
 * @c: the context of the probe hit
 * @out: the result
 * @addr: where the string is
 * @inlen: the most bytes read
 * @outlen: the most characters written
 * @user: @addr is in user memory
 *
 * The string at addr, read (at most inlen bytes) and quoted as
 * rt_text_str() does, at most outlen characters.  If it cannot be read, or
 * addr is 0, the result is the address in hex instead.
 */
static __maybe_unused
void rt_quote_mem(struct rt_context *c, char *out, unsigned long addr,
		  long long inlen, long long outlen, bool user)
{
	char *buf = rt_scratch(c);
	long len;

	inlen = clamp_t(long long, inlen, 0, MAXSTRINGLEN - 1);
	if (!inlen)
		inlen = MAXSTRINGLEN - 1;
	len = addr ? rt_read_str(buf, addr, inlen + 1, user) : -EFAULT;
	if (len < 0) {
		snprintf(out, MAXSTRINGLEN, "0x%lx", addr);
		return;
	}
	rt_text_str(out, buf, len, clamp_t(long long, outlen, 0,
					   MAXSTRINGLEN - 1), true);
}

/* ---- the probe and kernel symbols ---- */

/**
 * rt_probe_addr() - addr(): the probe's address
 * @c: the context of the probe hit
 *
 * The address the probe is registered at; for perf events and
 * timer.profile, the interrupted instruction (kernel or user); 0 for begin
 * and end, timers and tracepoints, which have no registers.
 *
 * Return: the address, or 0.
 */
static __maybe_unused unsigned long rt_probe_addr(const struct rt_context *c)
{
	switch (c->probe->kind) {
	case RT_PROBE_KPROBE:
		return (unsigned long)c->probe->st.kp.addr;
	case RT_PROBE_KRETPROBE:
		return (unsigned long)c->probe->st.krp.kp.addr;
	case RT_PROBE_PERF:
		return c->regs ? instruction_pointer(c->regs) : 0;
	default:
		return 0;
	}
}

/**
 * rt_user_addr() - uaddr(): where the task is in user space
 * @c: the context of the probe hit
 *
 * Where the current task is in user space: the interrupted registers if
 * the probe interrupted user mode, else those the task saved entering the
 * kernel.  0 for a kernel thread, which has no user space.
 *
 * Return: the address, or 0.
 */
static __maybe_unused unsigned long rt_user_addr(const struct rt_context *c)
{
	if (c->regs && user_mode(c->regs))
		return instruction_pointer(c->regs);
	if (!current->mm || (current->flags & PF_KTHREAD))
		return 0;
	return instruction_pointer(task_pt_regs(current));
}

/**
 * rt_symbol() - the kernel symbol at an address
 * @c: the context of the probe hit
 * @out: the result (MAXSTRINGLEN bytes)
 * @addr: the address
 * @full: with offset, size and module
 *
 * Looks addr up in the kernel's symbols and writes, into out
 * (MAXSTRINGLEN bytes), the name alone or, with full, the name, offset,
 * size and module as "name+0xoff/0xsize [module]" (module "kernel" for the
 * kernel itself).  Returns false, with out empty, if no symbol holds addr.
 * The lookup needs KSYM_SYMBOL_LEN bytes of scratch.
 *
 * Return: true if a symbol holds @addr.
 */
static __maybe_unused
bool rt_symbol(struct rt_context *c, char *out, unsigned long addr,
	       bool full)
{
	char *buf = rt_scratch(c);
	char *mod;

	out[0] = '\0';
	if (RT_SCRATCH_SIZE(c) < KSYM_SYMBOL_LEN || !addr)
		return false;
	if (full)
		sprint_symbol(buf, addr);
	else
		sprint_symbol_no_offset(buf, addr);
	/* An address without a symbol comes back as a hex number. */
	if (!strncmp(buf, "0x", 2))
		return false;
	mod = strstr(buf, " [");
	if (!full && mod)
		*mod = '\0';
	if (full && !mod)
		snprintf(out, MAXSTRINGLEN, "%s [kernel]", buf);
	else
		strscpy(out, buf, MAXSTRINGLEN);
	return true;
}

/**
 * rt_symbol_module() - the module of the symbol at an address
 * @c: the context of the probe hit
 * @out: the result (MAXSTRINGLEN bytes)
 * @addr: the address
 *
 * The module of the symbol at addr ("kernel" for the kernel), or "".
 */
static __maybe_unused
void rt_symbol_module(struct rt_context *c, char *out, unsigned long addr)
{
	char *mod, *end;

	if (!rt_symbol(c, out, addr, true))
		return;
	mod = strstr(out, " [");
	end = mod ? strchr(mod, ']') : NULL;
	if (!end) {
		out[0] = '\0';
		return;
	}
	*end = '\0';
	memmove(out, mod + 2, end - mod - 1);
}

/*
 * The registers to unwind from: a kprobe's with ip back at the probed
 * instruction, which has not run yet.  With regs->ip past the int3 the
 * unwinder would read the stack as if it had (ORC describes the state
 * at an address before its instruction): after a probe on a one-byte
 * "push %rbp" inside a function it takes the pushed word's slot for the
 * return address and the walk ends there.  Function entries do not show
 * it: their first instruction (the fentry call) moves no stack.
 */
static __maybe_unused
struct pt_regs *rt_unwind_regs(struct rt_context *c, struct pt_regs *copy)
{
	if (c->probe->kind != RT_PROBE_KPROBE)
		return c->regs;
	*copy = *c->regs;
	instruction_pointer_set(copy, rt_probe_addr(c));
	return copy;
}

/**
 * rt_caller_addr() - caller_addr(): the return address of the probed call
 * @c: the context of the probe hit
 *
 * The return address of the probed function's call: in a .return probe
 * the kretprobe trampoline has put it in regs->ip; elsewhere the kernel's
 * unwinder finds it from the probe's registers (seeing through the return
 * trampolines of kretprobes and the function graph tracer).  0 if there is
 * none.
 *
 * Return: the address, or 0.
 */
static __maybe_unused unsigned long rt_caller_addr(struct rt_context *c)
{
	struct unwind_state st;
	struct pt_regs copy;

	if (!c->regs)
		return 0;
	if (c->probe->kind == RT_PROBE_KRETPROBE)
		return instruction_pointer(c->regs);
	/* Starting from regs, the first frame is already the caller's. */
	unwind_start(&st, current, rt_unwind_regs(c, &copy), NULL);
	if (unwind_done(&st))
		return 0;
	return unwind_get_return_address(&st);
}

/* ---- user memory (uconversions.stp) ---- */

/*
 * Reads one value of type T at the user address addr into the long
 * result r; on a fault r is 0 and, with warn, a warning names what.
 */
#define RT_USER_READ(c, T, what, addr, r, warn)				\
	do {								\
		T v_;							\
		if (rt_read_mem(&v_, (addr), sizeof(v_), true)) {	\
			(r) = 0;					\
			if (warn)					\
				rt_warn((c), "user " what " copy fault "\
					"at 0x%016llx",			\
					(unsigned long long)(addr));	\
		} else {						\
			(r) = v_;					\
		}							\
	} while (0)

/**
 * rt_user_compat() - whether the current task's user space is 32-bit
 *
 * Return: true for a compat task.
 */
static __maybe_unused bool rt_user_compat(void)
{
#if defined(CONFIG_X86_64) && defined(CONFIG_COMPAT)
	return !user_64bit_mode(task_pt_regs(current));
#else
	return false;
#endif
}

/* ---- registers and arguments (x86_64/registers.stp) ---- */

#ifdef CONFIG_X86_64
struct rt_reg {
	const char *name;
	unsigned short off;	/* in struct pt_regs */
	bool wide;		/* 64 bits; else the low 32 bits */
};

#define RT_REG(name, field, wide) \
	{ name, offsetof(struct pt_regs, field), wide }

static const struct rt_reg rt_regs_x86_64[] __maybe_unused = {
	RT_REG("rax", ax, true), RT_REG("ax", ax, true),
	RT_REG("rbx", bx, true), RT_REG("bx", bx, true),
	RT_REG("rcx", cx, true), RT_REG("cx", cx, true),
	RT_REG("rdx", dx, true), RT_REG("dx", dx, true),
	RT_REG("rsi", si, true), RT_REG("si", si, true),
	RT_REG("rdi", di, true), RT_REG("di", di, true),
	RT_REG("rbp", bp, true), RT_REG("bp", bp, true),
	RT_REG("rsp", sp, true), RT_REG("sp", sp, true),
	RT_REG("rip", ip, true), RT_REG("ip", ip, true),
	RT_REG("r8", r8, true), RT_REG("r9", r9, true),
	RT_REG("r10", r10, true), RT_REG("r11", r11, true),
	RT_REG("r12", r12, true), RT_REG("r13", r13, true),
	RT_REG("r14", r14, true), RT_REG("r15", r15, true),
	RT_REG("orig_rax", orig_ax, true), RT_REG("orig_ax", orig_ax, true),
	RT_REG("eax", ax, false), RT_REG("ebx", bx, false),
	RT_REG("ecx", cx, false), RT_REG("edx", dx, false),
	RT_REG("esi", si, false), RT_REG("edi", di, false),
	RT_REG("ebp", bp, false), RT_REG("esp", sp, false),
	RT_REG("eip", ip, false), RT_REG("orig_eax", orig_ax, false),
	RT_REG("flags", flags, false), RT_REG("eflags", flags, false),
	RT_REG("cs", cs, false), RT_REG("xcs", cs, false),
	RT_REG("ss", ss, false), RT_REG("xss", ss, false),
};

#undef RT_REG

/*
 * The register called name: 0, or -ENODATA without registers, -EINVAL
 * for an unknown name.  A 32-bit register is sign- or zero-extended.
 */
static __maybe_unused int rt_register(struct rt_context *c, const char *name,
				      bool sign, rt_long *v)
{
	unsigned int i;
	u64 r;

	if (!c->regs)
		return -ENODATA;
	for (i = 0; i < ARRAY_SIZE(rt_regs_x86_64); i++) {
		const struct rt_reg *g = &rt_regs_x86_64[i];

		if (strcmp(g->name, name))
			continue;
		r = *(const u64 *)((const char *)c->regs + g->off);
		if (g->wide)
			*v = r;
		else
			*v = sign ? (rt_long)(s32)r : (rt_long)(u32)r;
		return 0;
	}
	return -EINVAL;
}

/*
 * Argument n (from 1) as the calling convention passes it: 0, or
 * -EINVAL for n below 1, -ENODATA without registers, -EFAULT if a stack
 * argument cannot be read.
 */
static __maybe_unused int rt_arg(struct rt_context *c, rt_long n, u64 *v)
{
	struct pt_regs *regs = c->regs;
	unsigned long at;

	if (n < 1)
		return -EINVAL;
	if (!regs)
		return -ENODATA;
	switch (n) {
	case 1: *v = regs->di; return 0;
	case 2: *v = regs->si; return 0;
	case 3: *v = regs->dx; return 0;
	case 4: *v = regs->cx; return 0;
	case 5: *v = regs->r8; return 0;
	case 6: *v = regs->r9; return 0;
	}
	/* Above the return address, at the function's entry. */
	at = kernel_stack_pointer(regs) + (n - 6) * sizeof(unsigned long);
	if (copy_from_kernel_nofault(v, (const void *)at, sizeof(*v)))
		return -EFAULT;
	return 0;
}

/* The body of an _arg function: argument STAP_ARG_n as type T. */
#define RT_ARG_BODY(what, T)						\
	do {								\
		u64 v_ = 0;						\
		switch (rt_arg(CONTEXT, STAP_ARG_n, &v_)) {		\
		case 0:							\
			break;						\
		case -EINVAL:						\
			STAP_ERROR(what ": argument number %lld is not "\
				   "1 or more", STAP_ARG_n);		\
		case -ENODATA:						\
			STAP_ERROR(what ": no registers in a begin or "	\
				   "end probe");			\
		default:						\
			STAP_ERROR(what ": cannot read argument %lld "	\
				   "from the stack", STAP_ARG_n);	\
		}							\
		STAP_RETVALUE = (T)v_;					\
	} while (0)

/* The body of register() and u_register(). */
#define RT_REGISTER_BODY(what, sign)					\
	do {								\
		switch (rt_register(CONTEXT, STAP_ARG_name, sign,	\
				    &STAP_RETVALUE)) {			\
		case 0:							\
			break;						\
		case -ENODATA:						\
			STAP_ERROR(what ": no registers in a begin or "	\
				   "end probe");			\
		default:						\
			STAP_ERROR(what ": unknown register '%s'",	\
				   STAP_ARG_name);			\
		}							\
	} while (0)
#endif /* CONFIG_X86_64 */

#endif /* RT_TAPSET_H */
