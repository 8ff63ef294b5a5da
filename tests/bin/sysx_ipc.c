/*
 * sysx_ipc: the syscalls of the syscall tapset's third set (System V
 * semaphores, io_submit, send and recv, module loading), each with
 * known arguments and results, for tests/guest/sys/sysx_ipc and
 * sysx_nd.
 *
 * Each call goes through syscall(2), so the C library adds nothing.
 * Buffers live in a mapping at the fixed address SCRATCH, so every
 * argument is the same from run to run; the semaphore set is made in a
 * new IPC namespace, so its id is the namespace's first (0).  The
 * calls and their results are listed in sysx_ipc.out.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/sem.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define SCRATCH 0x30000000UL

int main(void)
{
	char *s = (char *)SCRATCH;
	struct sembuf *ops = (struct sembuf *)(SCRATCH + 0x100);
	struct timespec *ts = (struct timespec *)(SCRATCH + 0x200);
	int *sv = (int *)(SCRATCH + 0x300);

	syscall(SYS_mmap, SCRATCH, 65536, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (syscall(SYS_unshare, CLONE_NEWIPC) != 0)
		return 1;
	syscall(SYS_semget, IPC_PRIVATE, 2, IPC_CREAT | 0600);
	syscall(SYS_semget, 1234, 1, IPC_CREAT | IPC_EXCL | 0640);
	syscall(SYS_semget, 1234, 1, IPC_CREAT | IPC_EXCL | 0640);
	ops[0].sem_num = 0;
	ops[0].sem_op = 1;
	ops[0].sem_flg = 0;
	syscall(SYS_semop, 0, ops, 1);
	ops[0].sem_op = -5;
	ops[0].sem_flg = 0;
	ts->tv_sec = 0;
	ts->tv_nsec = 1000;
	syscall(SYS_semtimedop, 0, ops, 1, ts);
	syscall(SYS_semctl, 0, 0, GETVAL, 0);
	syscall(SYS_semctl, 0, 1, SETVAL, 7);
	syscall(SYS_semctl, 0, 0, IPC_RMID, 0);
	syscall(SYS_semop, 0, ops, 1);

	syscall(SYS_io_submit, 0, 1, s);

	syscall(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, sv);
	memcpy(s, "hello", 5);
	syscall(SYS_sendto, sv[0], s, 5, MSG_DONTWAIT, 0, 0);
	syscall(SYS_recvfrom, sv[1], s + 0x1000, 64, MSG_PEEK, 0, 0);
	syscall(SYS_recvfrom, sv[1], s + 0x1000, 64, 0, 0, 0);
	syscall(SYS_recvfrom, sv[1], s + 0x1000, 64, MSG_DONTWAIT, 0, 0);

	memset(s, 0, 64);
	syscall(SYS_init_module, s, 64, "debug=1");
	syscall(SYS_finit_module, -1, "", 0);
	syscall(SYS_finit_module, 99, "x=2", 1);
	syscall(SYS_delete_module, "sysx_none", O_NONBLOCK);
	syscall(SYS_delete_module, "sysx_none", O_NONBLOCK | O_TRUNC);
	return 0;
}
