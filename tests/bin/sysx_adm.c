/*
 * sysx_adm: the syscalls of the syscall tapset's administration set
 * (set_tid_address, getcpu, personality, capget, capset,
 * rt_sigpending, sethostname, setdomainname), each with known
 * arguments and results, for tests/guest/sys/sysx_adm.
 *
 * Each call goes through syscall(2), so the C library adds nothing.
 * Buffers live in a mapping at the fixed address SCRATCH; the names
 * are set in a new UTS namespace, so the guest's stay as they were;
 * set_tid_address returns the caller's tid, so it is called last and
 * its result left out.  The calls and results are in sysx_adm.out.
 */
#define _GNU_SOURCE
#include <linux/capability.h>
#include <sched.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SCRATCH 0x30000000UL

int main(void)
{
	char *s = (char *)SCRATCH;
	struct __user_cap_header_struct *h = (void *)(SCRATCH + 0x100);

	syscall(SYS_mmap, SCRATCH, 65536, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (syscall(SYS_unshare, CLONE_NEWUTS) != 0)
		return 1;
	syscall(SYS_getcpu, 0, 0, 0);
	syscall(SYS_personality, 0xffffffff);
	syscall(SYS_personality, 0x0040000);
	syscall(SYS_personality, 0);
	h->version = _LINUX_CAPABILITY_VERSION_3;
	h->pid = 0;
	syscall(SYS_capget, h, s + 0x200);
	syscall(SYS_capset, h, s + 0x200);
	h->version = 1;
	syscall(SYS_capget, h, s + 0x200);
	syscall(SYS_rt_sigpending, s, 8);
	syscall(SYS_rt_sigpending, s, 200);
	syscall(SYS_sethostname, "sysx-host", 9);
	syscall(SYS_setdomainname, "sysx.dom", 8);
	syscall(SYS_sethostname, "x", -1);
	syscall(SYS_set_tid_address, s + 0x400);
	return 0;
}
