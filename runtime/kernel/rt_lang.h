/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rt_lang.h - what generated code needs beyond the runtime proper:
 * string values, checked arithmetic and the statement budget.
 *
 * Conventions of generated code these macros rely on: the current probe
 * or function has its context in `c` (struct tapc_context *) and ends at
 * the label `out`, where a failed hit leaves.
 */
#ifndef RT_LANG_H
#define RT_LANG_H

#include <linux/string.h>

/**
 * rt_strcpy() - copy a string value
 * @dst: the destination (MAXSTRINGLEN bytes)
 * @src: the string, which may be @dst
 *
 * Copies a string value, truncating to MAXSTRINGLEN; src may be dst.
 *
 * Return: @dst.
 */
static inline char *rt_strcpy(char *dst, const char *src)
{
	size_t n;

	if (dst == src)
		return dst;
	n = strnlen(src, MAXSTRINGLEN - 1);
	memmove(dst, src, n);
	dst[n] = '\0';
	return dst;
}

/**
 * rt_strcat() - append to a string value
 * @dst: the string (MAXSTRINGLEN bytes)
 * @src: what to append
 *
 * Appends src to dst, truncating to MAXSTRINGLEN.
 *
 * Return: @dst.
 */
static inline char *rt_strcat(char *dst, const char *src)
{
	size_t have = strnlen(dst, MAXSTRINGLEN - 1);
	size_t n = strnlen(src, MAXSTRINGLEN - 1 - have);

	memmove(dst + have, src, n);
	dst[have + n] = '\0';
	return dst;
}

/**
 * rt_strconcat() - the concatenation a . b
 * @dst: a temporary of its own (MAXSTRINGLEN bytes)
 * @a: the left string
 * @b: the right string
 *
 * dst = a . b; dst is a temporary of its own, never a or b.
 *
 * Return: @dst.
 */
static inline char *rt_strconcat(char *dst, const char *a, const char *b)
{
	rt_strcpy(dst, a);
	return rt_strcat(dst, b);
}

/**
 * rt_div() - the script's a / b
 * @rc: the context of the probe hit
 * @loc: the script location an error names
 * @a: the dividend
 * @b: the divisor
 *
 * Division and remainder that report, rather than trap on, zero and the
 * one overflowing case (INT64_MIN / -1).
 *
 * Return: the quotient (INT64_MIN / -1 wraps to INT64_MIN); 0, and the
 * hit fails, on a division by zero.
 */
static inline rt_long rt_div(struct rt_context *rc, const char *loc,
			     rt_long a, rt_long b)
{
	if (unlikely(b == 0)) {
		rt_error(rc, loc, "division by 0");
		return 0;
	}
	if (unlikely(b == -1))
		return (rt_long)(0 - (u64)a);
	return a / b;
}

/**
 * rt_mod() - the script's a % b
 * @rc: the context of the probe hit
 * @loc: the script location an error names
 * @a: the dividend
 * @b: the divisor
 *
 * Return: the remainder (0 for a divisor of -1); 0, and the hit fails, on
 * a division by zero.
 */
static inline rt_long rt_mod(struct rt_context *rc, const char *loc,
			     rt_long a, rt_long b)
{
	if (unlikely(b == 0)) {
		rt_error(rc, loc, "division by 0");
		return 0;
	}
	if (unlikely(b == -1))
		return 0;
	return a % b;
}

/*
 * A printf width or precision given by '*': the kernel keeps them in
 * narrow fields (and warns past them), so a value beyond RT_FMT_MAX
 * fails the hit rather than being cut to an int.  A negative width
 * left-justifies (C's rule, the kernel's too).
 */
#define RT_FMT_MAX 32767

/**
 * rt_fmt_width() - a printf width given as an argument (%*d)
 * @rc: the context of the probe hit
 * @loc: the script location an error names
 * @w: the width
 *
 * Return: the width as an int; 0, and the hit fails, if it is out of
 * range.
 */
static inline int rt_fmt_width(struct rt_context *rc, const char *loc,
			       rt_long w)
{
	if (unlikely(w < -RT_FMT_MAX || w > RT_FMT_MAX)) {
		rt_error(rc, loc, "format width %lld out of range",
			 (long long)w);
		return 0;
	}
	return (int)w;
}

/**
 * rt_fmt_prec() - a printf precision given as an argument (%.*s)
 * @rc: the context of the probe hit
 * @loc: the script location an error names
 * @p: the precision
 * @string: for a %s conversion
 *
 * A negative precision counts as none (C's rule); for %s that is "the
 * whole string", which the kernel only gets from a large one.
 *
 * Return: the precision as an int (a negative one: -1, or MAXSTRINGLEN for
 * %s); 0, and the hit fails, if it is too large.
 */
static inline int rt_fmt_prec(struct rt_context *rc, const char *loc,
			      rt_long p, bool string)
{
	if (unlikely(p > RT_FMT_MAX)) {
		rt_error(rc, loc, "format precision %lld out of range",
			 (long long)p);
		return 0;
	}
	if (p < 0)
		return string ? MAXSTRINGLEN : -1;
	return (int)p;
}

/**
 * rt_fmt_mem() - the bytes printf's %m and %M print
 * @c: the context of the probe hit
 * @loc: the script location an error names
 * @buf: where they go
 * @addr: where they are
 * @len: how many
 * @hex: lowercase hex (%M) rather than raw
 * @user: @addr is in user memory
 *
 * printf's %m and %M: len bytes at addr (kernel memory, or user memory)
 * into buf, as they are or as lowercase hex, cut to what buf holds. NULL,
 * and the hit fails, if they cannot be read.
 *
 * Return: @buf, or NULL if the memory cannot be read.
 */
static __maybe_unused const char *rt_fmt_mem(struct rt_context *c,
					     const char *loc, char *buf,
					     rt_long addr, rt_long len,
					     bool hex, bool user)
{
	static const char digits[] = "0123456789abcdef";
	rt_long most = hex ? (MAXSTRINGLEN - 1) / 2 : MAXSTRINGLEN - 1;
	rt_long i;

	len = clamp_t(rt_long, len, 0, most);
	/* Hex doubles the bytes: read them into the upper half, then
	 * spread them out from the front (each read before its write). */
	if (rt_read_mem(buf + (hex ? len : 0), (unsigned long)addr, len,
			user)) {
		rt_error(c, loc, "%s memory copy fault at 0x%016llx",
			 user ? "user" : "kernel", (unsigned long long)addr);
		return NULL;
	}
	if (hex) {
		for (i = 0; i < len; i++) {
			u8 b = buf[len + i];

			buf[2 * i] = digits[b >> 4];
			buf[2 * i + 1] = digits[b & 15];
		}
		len *= 2;
	}
	buf[len] = '\0';
	return buf;
}

/* The lvalue a pointer-returning call gives, leaving the hit if it
 * failed (returned NULL with the error set): a[k] = v is
 * TAPC_REF(rt_long, rt_map_ref(...)) = v. */
#define TAPC_REF(type, call)					\
	(*({							\
		type *ref_ = (call);				\
		if (unlikely(!ref_))				\
			goto out;				\
		ref_;						\
	}))

/* Leaves the hit if the last call or operation failed. */
#define TAPC_CHECK()						\
	do {							\
		if (unlikely(c->rt.error))			\
			goto out;				\
	} while (0)

/* The check after a call of embedded C, or from the user's script into
 * a tapset function: whatever failed inside is reported at this call. */
#define TAPC_CHECK_CALL(loc)					\
	do {							\
		if (unlikely(c->rt.error)) {			\
			c->rt.error_loc = (loc);		\
			goto out;				\
		}						\
	} while (0)

/* Charges n statements to this hit; past MAXACTION the hit fails. */
#define TAPC_CHARGE(n, loc)					\
	do {							\
		c->rt.actions -= (n);				\
		if (unlikely(c->rt.actions < 0)) {		\
			rt_error(&c->rt, loc,			\
				 "MAXACTION exceeded");		\
			goto out;				\
		}						\
	} while (0)

/* TAPC_CHARGE in a probe that runs at most max statements a hit (no
 * loop, no script function call: compiler/tr_actions.c): nothing to
 * count unless MAXACTION is below max. */
#define TAPC_CHARGE_MAX(max, n, loc)				\
	do {							\
		if (MAXACTION < (max))				\
			TAPC_CHARGE(n, loc);			\
	} while (0)

#endif /* RT_LANG_H */
