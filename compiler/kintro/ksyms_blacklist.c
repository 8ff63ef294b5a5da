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
	Elf *elf = vmlinux(release);
	size_t n;

	*addrs = NULL;
	if (!elf || !start || stop <= start || (stop - start) % 8)
		return 0;
	n = (stop - start) / 8;
	*addrs = xcalloc(n, sizeof(**addrs));
	if (!read_at(elf, start, *addrs, n * 8)) {
		free(*addrs);
		*addrs = NULL;
		return 0;
	}
	qsort(*addrs, n, sizeof(**addrs), cmp_u64);
	return n;
}

static int cmp_range(const void *a, const void *b)
{
	const struct ksym_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/*
 * Stores the code each entry of a table of relative references patches,
 * from out[n] on, and returns the new n: entries of entsize bytes whose
 * first member is an s32 offset from itself to the code (on x86-64
 * struct jump_entry is {s32 code, s32 target, long key} and struct
 * static_call_site {s32 addr, s32 key}).  A jump label is a 2-byte jmp
 * (0xeb) or a 5-byte jmp or nop; a static call a 5-byte call.  These are
 * the ranges jump_label_text_reserved() and static_call_text_reserved()
 * test a kprobe's address against.
 */
static size_t add_sites(Elf *elf, uint64_t start, uint64_t stop,
			size_t entsize, int is_jump, struct ksym_range *out,
			size_t n)
{
	for (uint64_t e = start; e + entsize <= stop; e += entsize) {
		int32_t rel;
		uint8_t op = 0;

		if (!read_at(elf, e, &rel, 4))
			break;
		out[n].start = e + (int64_t)rel;
		if (is_jump)
			read_at(elf, out[n].start, &op, 1);
		out[n].end = out[n].start + (op == 0xeb ? 2 : 5);
		n++;
	}
	return n;
}

size_t ksyms_read_patched(const char *release, const uint64_t tables[4],
			  struct ksym_range **out)
{
	Elf *elf = vmlinux(release);
	size_t n = 0, cap;

	*out = NULL;
	if (!elf || tables[1] < tables[0] || tables[3] < tables[2])
		return 0;
	cap = (tables[1] - tables[0]) / 16 + (tables[3] - tables[2]) / 8;
	*out = xcalloc(cap ? cap : 1, sizeof(**out));
	if (tables[0])
		n = add_sites(elf, tables[0], tables[1], 16, 1, *out, n);
	if (tables[2])
		n = add_sites(elf, tables[2], tables[3], 8, 0, *out, n);
	qsort(*out, n, sizeof(**out), cmp_range);
	return n;
}
