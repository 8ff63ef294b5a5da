/*
 * sysx_xipc: the syscalls of the syscall tapset's System V message
 * queue and shared memory set and of its extended attribute set, each
 * with known arguments and results, for tests/guest/sys/sysx_xipc.
 *
 * Each call goes through syscall(2), so the C library adds nothing.
 * Buffers live in a mapping at the fixed address SCRATCH and the
 * segment is attached at a fixed address, so every argument is the
 * same from run to run; the queue and the segment are made in a new
 * IPC namespace, so their ids are its first (0).  The guest's root is
 * a tmpfs, where user.* attributes are not allowed but trusted.* are.
 * The calls and their results are listed in sysx_xipc.out.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#define SCRATCH 0x30000000UL
#define SHMADDR 0x40000000UL

int main(void)
{
	char *s = (char *)SCRATCH;
	long *msg = (long *)(SCRATCH + 0x100);

	syscall(SYS_mmap, SCRATCH, 65536, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (syscall(SYS_unshare, CLONE_NEWIPC) != 0)
		return 1;
	syscall(SYS_msgget, IPC_PRIVATE, IPC_CREAT | 0600);
	msg[0] = 7;
	memcpy(&msg[1], "hi", 2);
	syscall(SYS_msgsnd, 0, msg, 2, IPC_NOWAIT);
	syscall(SYS_msgrcv, 0, s + 0x200, 64, 7, IPC_NOWAIT | MSG_NOERROR);
	syscall(SYS_msgrcv, 0, s + 0x200, 64, 0, IPC_NOWAIT);
	syscall(SYS_msgctl, 0, IPC_STAT, s + 0x400);
	syscall(SYS_msgctl, 0, IPC_RMID, 0);
	syscall(SYS_shmget, IPC_PRIVATE, 4096, IPC_CREAT | 0640);
	syscall(SYS_shmat, 0, SHMADDR, SHM_RDONLY);
	syscall(SYS_shmat, 99, 0, 0);
	syscall(SYS_shmdt, SHMADDR);
	syscall(SYS_shmdt, SHMADDR);
	syscall(SYS_shmctl, 0, IPC_RMID, 0);

	syscall(SYS_openat, AT_FDCWD, "/sysx_xa", O_RDWR | O_CREAT, 0644);
	syscall(SYS_setxattr, "/sysx_xa", "trusted.t1", "value1", 6, XATTR_CREATE);
	syscall(SYS_setxattr, "/sysx_xa", "trusted.t1", "v", 1, XATTR_CREATE);
	syscall(SYS_lsetxattr, "/sysx_xa", "trusted.t2", "v2", 2, 0);
	syscall(SYS_fsetxattr, 3, "trusted.t3", "v3", 2, XATTR_REPLACE);
	syscall(SYS_getxattr, "/sysx_xa", "trusted.t1", s, 64);
	syscall(SYS_lgetxattr, "/sysx_xa", "trusted.t2", s, 64);
	syscall(SYS_fgetxattr, 3, "trusted.none", s, 64);
	syscall(SYS_listxattr, "/sysx_xa", s, 256);
	syscall(SYS_llistxattr, "/sysx_xa", s, 0);
	syscall(SYS_flistxattr, 3, s, 256);
	syscall(SYS_removexattr, "/sysx_xa", "trusted.t1");
	syscall(SYS_lremovexattr, "/sysx_xa", "trusted.t1");
	syscall(SYS_fremovexattr, 3, "trusted.t2");
	syscall(SYS_unlink, "/sysx_xa");
	return 0;
}
