/* ksyms_blacklist.c - the kernel's own kprobe blacklist: NOKPROBE_SYMBOL()
 * stores each function's address in the _kprobe_blacklist section of
 * vmlinux (between __start_kprobe_blacklist and __stop_kprobe_blacklist),
 * which the kernel reads at boot to refuse those functions.  The debug
 * vmlinux of the release has the section's contents. */
#include "ksyms.h"

#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Copies the n bytes at address addr out of the section holding them. */
static int read_at(Elf *elf, uint64_t addr, void *buf, size_t n)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(elf, scn))) {
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_PROGBITS ||
		    addr < sh.sh_addr || addr + n > sh.sh_addr + sh.sh_size)
			continue;
		d = elf_getdata(scn, NULL);
		if (!d || !d->d_buf || d->d_size < sh.sh_size)
			return 0;
		memcpy(buf, (char *)d->d_buf + (addr - sh.sh_addr), n);
		return 1;
	}
	return 0;
}

static Elf *vmlinux(const char *release)
{
	static Elf *elf;
	static int tried;
	char path[512];
	int fd;

	if (tried)
		return elf;
	tried = 1;
	snprintf(path, sizeof(path), "/usr/lib/debug/boot/vmlinux-%s",
		 release);
	fd = open(path, O_RDONLY);	/* kept open with the mapping */
	if (fd < 0)
		return NULL;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	return elf;
}

/*
 * struct trace_event_call starts with a list_head then its class
 * pointer; struct trace_event_class starts with its system's name (both
 * in include/linux/trace_events.h, unchanged from 4.x to 6.12).
 */
const char *ksyms_trace_system(const char *release, uint64_t event)
{
	Elf *elf = event ? vmlinux(release) : NULL;
	uint64_t class, sys;
	char buf[64];

	if (!elf || !read_at(elf, event + 16, &class, 8) ||
	    !read_at(elf, class, &sys, 8))
		return "";
	for (size_t i = 0; i < sizeof(buf); i++) {
		if (!read_at(elf, sys + i, &buf[i], 1))
			return "";
		if (!buf[i])
			return xstrdup(buf);
	}
	return "";
}

size_t ksyms_read_blacklist(const char *release, uint64_t start,
			    uint64_t stop, uint64_t **addrs)
{
	char path[512];
	size_t n = 0;
	Elf *elf;
	int fd;

	*addrs = NULL;
	if (!start || stop <= start || (stop - start) % 8)
		return 0;
	snprintf(path, sizeof(path), "/usr/lib/debug/boot/vmlinux-%s",
		 release);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (elf) {
		n = (stop - start) / 8;
		*addrs = xcalloc(n, sizeof(**addrs));
		if (read_at(elf, start, *addrs, n * 8)) {
			qsort(*addrs, n, sizeof(**addrs), cmp_u64);
		} else {
			free(*addrs);
			*addrs = NULL;
			n = 0;
		}
		elf_end(elf);
	}
	close(fd);
	return n;
}
