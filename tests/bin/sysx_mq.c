/*
 * sysx_mq: the POSIX message queue syscalls of the syscall tapset,
 * each with known arguments and results, for tests/guest/sys/sysx_mq.
 *
 * Each call goes through syscall(2), so the C library adds nothing.
 * Buffers live in a mapping at the fixed address SCRATCH, so every
 * argument is the same from run to run; the queue is made in a new
 * IPC namespace (with its own mqueue mount inside the kernel), so no
 * other test's queue is in the way.  The calls and their results are
 * listed in sysx_mq.out.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <mqueue.h>
#include <sched.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SCRATCH 0x30000000UL

int main(void)
{
	char *s = (char *)SCRATCH;
	struct mq_attr *attr = (struct mq_attr *)(SCRATCH + 0x100);

	syscall(SYS_mmap, SCRATCH, 65536, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (syscall(SYS_unshare, CLONE_NEWIPC) != 0)
		return 1;
	attr->mq_maxmsg = 4;
	attr->mq_msgsize = 64;
	syscall(SYS_mq_open, "sysx_q", O_RDWR | O_CREAT | O_NONBLOCK, 0600, attr);
	syscall(SYS_mq_open, "sysx_none", O_RDONLY, 0, 0);
	memcpy(s, "ping", 4);
	syscall(SYS_mq_timedsend, 3, s, 4, 5, 0);
	syscall(SYS_mq_timedreceive, 3, s + 0x1000, 64, s + 0x200, 0);
	syscall(SYS_mq_timedreceive, 3, s + 0x1000, 64, 0, 0);
	syscall(SYS_mq_timedreceive, 3, s + 0x1000, 8, 0, 0);
	syscall(SYS_mq_notify, 3, 0);
	syscall(SYS_mq_getsetattr, 3, 0, s + 0x300);
	syscall(SYS_mq_unlink, "sysx_q");
	syscall(SYS_mq_unlink, "sysx_q");
	return 0;
}
