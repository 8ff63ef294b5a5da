/*
 * sysx_misc: the syscalls of the syscall tapset's notification and
 * descriptor-plumbing set (epoll, inotify, splice, tee, vmsplice,
 * getrandom, membarrier, flock, fchdir, chroot, sync, syncfs), each
 * with known arguments and results, for tests/guest/sys/sysx_misc.
 *
 * Each call goes through syscall(2), so the C library adds nothing.
 * Buffers live in a mapping at the fixed address SCRATCH, so every
 * argument is the same from run to run.  The calls and their results
 * are listed in sysx_misc.out.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#define SCRATCH 0x30000000UL

int main(void)
{
	char *s = (char *)SCRATCH;
	int *p1 = (int *)(SCRATCH + 0x100), *p2 = (int *)(SCRATCH + 0x110);
	struct epoll_event *ev = (struct epoll_event *)(SCRATCH + 0x200);
	struct iovec *iov = (struct iovec *)(SCRATCH + 0x300);

	syscall(SYS_mmap, SCRATCH, 65536, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	syscall(SYS_epoll_create1, EPOLL_CLOEXEC);		/* 3 */
	syscall(SYS_epoll_create, 10);				/* 4 */
	syscall(SYS_pipe2, p1, 0);				/* 5, 6 */
	ev->events = EPOLLIN;
	syscall(SYS_epoll_ctl, 3, EPOLL_CTL_ADD, 5, ev);
	syscall(SYS_epoll_ctl, 3, EPOLL_CTL_DEL, 5, 0);
	syscall(SYS_epoll_ctl, 3, EPOLL_CTL_DEL, 5, 0);
	syscall(SYS_inotify_init1, IN_NONBLOCK | IN_CLOEXEC);	/* 7 */
	syscall(SYS_inotify_init);				/* 8 */
	syscall(SYS_inotify_add_watch, 7, "/tmp", IN_MODIFY | IN_CREATE);
	syscall(SYS_inotify_add_watch, 7, "/sysx_none", IN_ALL_EVENTS);
	syscall(SYS_inotify_rm_watch, 7, 1);
	syscall(SYS_inotify_rm_watch, 7, 1);
	syscall(SYS_pipe2, p2, 0);				/* 9, 10 */
	memcpy(s, "abcdef", 6);
	iov->iov_base = s;
	iov->iov_len = 6;
	syscall(SYS_vmsplice, 6, iov, 1, SPLICE_F_GIFT);
	syscall(SYS_tee, 5, 10, 4, SPLICE_F_NONBLOCK);
	syscall(SYS_splice, 9, 0, 6, 0, 4, SPLICE_F_MOVE | SPLICE_F_MORE);
	syscall(SYS_tee, 5, 5, 4, 0);
	syscall(SYS_getrandom, s + 0x1000, 16, GRND_INSECURE);
	syscall(SYS_getrandom, s + 0x1000, 16, 0x40);
	syscall(SYS_membarrier, 8, 0);	/* not registered: EPERM */
	syscall(SYS_membarrier, 99, 0);
	syscall(SYS_openat, AT_FDCWD, "/tmp", O_RDONLY | O_DIRECTORY);	/* 11 */
	syscall(SYS_flock, 11, LOCK_EX | LOCK_NB);
	syscall(SYS_flock, 11, LOCK_UN);
	syscall(SYS_flock, 99, LOCK_SH);
	syscall(SYS_fchdir, 11);
	syscall(SYS_fchdir, 5);
	syscall(SYS_chroot, "/sysx_none");
	syscall(SYS_chroot, "/");
	syscall(SYS_sync);
	syscall(SYS_syncfs, 11);
	syscall(SYS_syncfs, 99);
	return 0;
}
