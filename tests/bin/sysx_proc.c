/*
 * sysx_proc: the syscalls of the syscall tapset's id, signal and
 * namespace set, memory locking set and file-range set, each with
 * known arguments and results, for tests/guest/sys/sysx_proc.
 *
 * Each call goes through syscall(2), so the C library adds nothing.
 * Buffers live in mappings at fixed addresses, so every argument is
 * the same from run to run; signals go to a pid that does not exist.
 * The calls and their results are listed in sysx_proc.out.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SCRATCH 0x30000000UL

int main(void)
{
	char *s = (char *)SCRATCH;

	syscall(SYS_mmap, SCRATCH, 65536, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	syscall(SYS_setreuid, -1, 0);
	syscall(SYS_setregid, 0, -1);
	syscall(SYS_setresuid, 0, 0, -1);
	syscall(SYS_setresgid, -1, -1, 0);
	syscall(SYS_getresuid, s, s + 4, s + 8);
	syscall(SYS_getresgid, s, s + 4, s + 8);
	syscall(SYS_getgroups, 0, 0);
	syscall(SYS_setgroups, 0, s);
	syscall(SYS_tkill, 99999, SIGUSR1);
	syscall(SYS_tgkill, 99999, 99999, 0);
	syscall(SYS_unshare, CLONE_NEWUTS);
	syscall(SYS_setns, 99, CLONE_NEWNET);

	syscall(SYS_mlock, s, 4096);
	syscall(SYS_munlock, s, 4096);
	syscall(SYS_mlock2, s, 4096, 1);
	syscall(SYS_mlockall, MCL_CURRENT | MCL_FUTURE);
	syscall(SYS_munlockall);
	syscall(SYS_mlockall, 0);
	syscall(SYS_msync, s, 4096, MS_SYNC | MS_INVALIDATE);
	syscall(SYS_mincore, s, 4096, s + 0x8000);
	syscall(SYS_mincore, s + 1, 4096, s + 0x8000);

	syscall(SYS_openat, AT_FDCWD, "/sysx_fr", O_RDWR | O_CREAT, 0644);
	syscall(SYS_fallocate, 3, 0, 0, 8192);
	syscall(SYS_fallocate, 3, FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE, 0, 4096);
	syscall(SYS_fadvise64, 3, 0, 0, POSIX_FADV_SEQUENTIAL);
	syscall(SYS_fadvise64, 3, 0, 0, 99);
	syscall(SYS_readahead, 3, 0, 4096);
	syscall(SYS_sync_file_range, 3, 0, 0, SYNC_FILE_RANGE_WRITE);
	syscall(SYS_sync_file_range, 3, 0, 0, 0x80);
	syscall(SYS_unlink, "/sysx_fr");
	return 0;
}
