/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rt_mem.h - reads of kernel and user memory through the kernel's
 * fault-tolerant copy helpers: a bad address is an error code, never an
 * oops.  Every module has them (target variables, printf's %m, the
 * tapset's embedded C); both are __maybe_unused.
 */
#ifndef RT_MEM_H
#define RT_MEM_H

#include <linux/uaccess.h>

/**
 * rt_read_mem() - copy bytes from kernel or user memory
 * @dst: where they go
 * @addr: where they are
 * @size: how many
 * @user: @addr is in user memory
 *
 * Copies size bytes at addr, from user memory or kernel memory.
 *
 * Return: 0, or -EFAULT.
 */
static __maybe_unused
int rt_read_mem(void *dst, unsigned long addr, size_t size, bool user)
{
	if (user)
		return copy_from_user_nofault(dst, (const void __user *)addr,
					      size) ? -EFAULT : 0;
	return copy_from_kernel_nofault(dst, (const void *)addr, size) ?
		-EFAULT : 0;
}

/**
 * rt_read_str() - copy a NUL-terminated string
 * @dst: where it goes
 * @addr: where it is
 * @size: room in @dst
 * @user: @addr is in user memory
 *
 * Copies the NUL-terminated string at addr into dst, at most size - 1
 * bytes, and terminates it.  Returns its length or -EFAULT (dst is then
 * the empty string).  Reads page by page: a page either copies whole or
 * faults, so no byte past the string's page is touched.
 *
 * Return: its length, or -EFAULT.
 */
static __maybe_unused
long rt_read_str(char *dst, unsigned long addr, size_t size, bool user)
{
	size_t n = 0;

	if (!size)
		return 0;
	while (n < size - 1) {
		unsigned long at = addr + n;
		size_t chunk = min_t(size_t, size - 1 - n,
				     PAGE_SIZE - offset_in_page(at));
		char *nul;

		if (rt_read_mem(dst + n, at, chunk, user)) {
			dst[0] = '\0';
			return -EFAULT;
		}
		nul = memchr(dst + n, '\0', chunk);
		if (nul)
			return nul - dst;
		n += chunk;
	}
	dst[n] = '\0';
	return n;
}

#endif /* RT_MEM_H */
