/*
 * syscall_more: the syscalls of the syscall tapset's second set (file
 * modes and owners, links, directories, ids, sockets, memory), each
 * with known arguments and results, for tests/guest/syscall_more.
 *
 * Each call goes through syscall(2), so the C library adds nothing.
 * Buffers live in a mapping at the fixed address SCRATCH, so every
 * argument, addresses included, is the same from run to run.  The
 * calls and their results are listed in syscall_more.out.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/prctl.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SCRATCH 0x30000000UL
#define MAP1 0x10000000UL
#define MAP2 0x20000000UL

int main(void)
{
	char *s = (char *)SCRATCH;

	syscall(SYS_mmap, SCRATCH, 65536, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	syscall(SYS_umask, 022);
	syscall(SYS_umask, 027);
	syscall(SYS_mkdir, "/scmore", 0755);
	syscall(SYS_openat, AT_FDCWD, "/scmore/f", O_RDWR | O_CREAT, 0644);
	syscall(SYS_access, "/scmore/f", R_OK | W_OK);
	syscall(SYS_access, "/scmore/none", F_OK);
	syscall(SYS_faccessat, AT_FDCWD, "/scmore/f", X_OK);
	syscall(SYS_faccessat2, AT_FDCWD, "/scmore/f", R_OK, AT_EACCESS);
	syscall(SYS_chmod, "/scmore/f", 0600);
	syscall(SYS_fchmod, 3, 0640);
	syscall(SYS_fchmodat, AT_FDCWD, "/scmore/f", 0644);
	syscall(SYS_chown, "/scmore/f", 1000, 1000);
	syscall(SYS_fchown, 3, -1, 100);
	syscall(SYS_lchown, "/scmore/f", 0, 0);
	syscall(SYS_fchownat, AT_FDCWD, "/scmore/f", 0, 0, AT_SYMLINK_NOFOLLOW);
	syscall(SYS_truncate, "/scmore/f", 100);
	syscall(SYS_ftruncate, 3, 10);
	syscall(SYS_fsync, 3);
	syscall(SYS_fdatasync, 3);
	syscall(SYS_link, "/scmore/f", "/scmore/l");
	syscall(SYS_linkat, AT_FDCWD, "/scmore/l", AT_FDCWD, "/scmore/l2", 0);
	syscall(SYS_symlink, "f", "/scmore/s");
	syscall(SYS_symlinkat, "l", AT_FDCWD, "/scmore/s2");
	syscall(SYS_readlink, "/scmore/s", s, 64);
	syscall(SYS_readlinkat, AT_FDCWD, "/scmore/s2", s, 64);
	syscall(SYS_readlink, "/scmore/f", s, 64);
	syscall(SYS_openat, AT_FDCWD, "/scmore", O_RDONLY | O_DIRECTORY);
	syscall(SYS_getdents64, 4, s, 4096);
	syscall(SYS_getdents64, 4, s, 4096);
	syscall(SYS_lseek, 4, 0, SEEK_SET);
	syscall(SYS_getdents, 4, s, 4096);
	syscall(SYS_close, 4);
	syscall(SYS_rmdir, "/scmore");
	syscall(SYS_prctl, PR_SET_DUMPABLE, 1, 0, 0, 0);
	syscall(SYS_prctl, PR_GET_DUMPABLE, 0, 0, 0, 0);
	syscall(SYS_prctl, PR_SET_PDEATHSIG, 0, 0, 0, 0);
	syscall(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, 0, 0, 0);
	syscall(SYS_getuid);
	syscall(SYS_geteuid);
	syscall(SYS_getgid);
	syscall(SYS_getegid);
	syscall(SYS_setgid, 0);
	syscall(SYS_setuid, 0);
	syscall(SYS_sched_yield);
	syscall(SYS_uname, s + 0x1000);
	syscall(SYS_socketpair, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
		s + 0x100);
	*(int *)(s + 0x200) = 65536;
	syscall(SYS_setsockopt, 4, SOL_SOCKET, SO_SNDBUF, s + 0x200, 4);
	*(int *)(s + 0x210) = 4;
	syscall(SYS_getsockopt, 4, SOL_SOCKET, SO_TYPE, s + 0x200, s + 0x210);
	*(int *)(s + 0x380) = 110;
	syscall(SYS_getsockname, 4, s + 0x300, s + 0x380);
	*(int *)(s + 0x380) = 110;
	syscall(SYS_getpeername, 4, s + 0x300, s + 0x380);
	syscall(SYS_shutdown, 4, SHUT_WR);
	syscall(SYS_eventfd2, 5, EFD_NONBLOCK | EFD_CLOEXEC);
	syscall(SYS_eventfd, 3);
	syscall(SYS_memfd_create, "scm", MFD_CLOEXEC);
	syscall(SYS_sendfile, 8, 3, 0, 64);
	syscall(SYS_mmap, MAP1, 4096, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	syscall(SYS_madvise, MAP1, 4096, MADV_DONTNEED);
	syscall(SYS_mremap, MAP1, 4096, 8192, MREMAP_MAYMOVE | MREMAP_FIXED,
		MAP2);
	syscall(SYS_madvise, MAP1, 4096, MADV_WILLNEED);
	return 0;
}
