/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rt_deref.h - the memory reads of target values ($var->field, @cast).
 *
 * Every read goes through copy_from_kernel_nofault(): a bad pointer fails
 * the hit with "kernel read fault at 0x..." and the script location the
 * read belongs to, never an oops.  After a failure the reads return 0
 * and the generated code leaves the hit at its next TAPC_CHECK().
 */
#ifndef RT_DEREF_H
#define RT_DEREF_H

#include <linux/uaccess.h>

static __maybe_unused void rt_deref_fault(struct rt_context *c,
					  unsigned long addr, const char *loc)
{
	rt_error(c, loc, "kernel read fault at 0x%016lx", addr);
}

/**
 * rt_deref() - read a target value from kernel memory
 * @c: the context of the probe hit
 * @addr: where
 * @size: 1, 2, 4 or 8 bytes
 * @loc: the script location an error names
 *
 * size bytes (1, 2, 4 or 8) at addr, zero-extended.
 *
 * Return: the value, zero-extended; 0 after a fault (the hit fails).
 */
static __maybe_unused u64 rt_deref(struct rt_context *c, unsigned long addr,
				   int size, const char *loc)
{
	union {
		u8 b;
		u16 h;
		u32 w;
		u64 q;
	} v = { .q = 0 };

	if (unlikely(c->error))
		return 0;
	if (copy_from_kernel_nofault(&v, (const void *)addr, size)) {
		rt_deref_fault(c, addr, loc);
		return 0;
	}
	switch (size) {
	case 1: return v.b;
	case 2: return v.h;
	case 4: return v.w;
	default: return v.q;
	}
}

/**
 * rt_deref_ulong() - read a pointer-sized target value
 * @c: the context of the probe hit
 * @addr: where
 * @loc: the script location an error names
 *
 * Return: the value; 0 after a fault (the hit fails).
 */
static __maybe_unused unsigned long rt_deref_ulong(struct rt_context *c,
						   unsigned long addr,
						   const char *loc)
{
	return rt_deref(c, addr, sizeof(unsigned long), loc);
}

/**
 * rt_deref_string() - read a char array member
 * @c: the context of the probe hit
 * @dst: the string result
 * @addr: where the array is
 * @len: its length in bytes
 * @loc: the script location an error names
 *
 * A char array member: the string in it, at most len bytes.
 *
 * Return: @dst, or "" after a fault (the hit fails).
 */
static __maybe_unused const char *rt_deref_string(struct rt_context *c,
						  char *dst,
						  unsigned long addr,
						  size_t len, const char *loc)
{
	dst[0] = '\0';
	if (unlikely(c->error))
		return dst;
	if (rt_read_str(dst, addr, min_t(size_t, len + 1, MAXSTRINGLEN),
			false) < 0)
		rt_deref_fault(c, addr, loc);
	return dst;
}

/**
 * rt_pretty() - append to a $$vars or $var$ string
 * @dst: the string (MAXSTRINGLEN bytes)
 * @fmt: a printf format
 * @...: its arguments
 *
 * Appends to a $$vars / $var$ string; cut at MAXSTRINGLEN.
 */
static __printf(2, 3) __maybe_unused void rt_pretty(char *dst,
						    const char *fmt, ...)
{
	size_t have = strnlen(dst, MAXSTRINGLEN - 1);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dst + have, MAXSTRINGLEN - have, fmt, ap);
	va_end(ap);
}

#endif /* RT_DEREF_H */
