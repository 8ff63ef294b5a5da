/*
 * strace_demo: a small program whose system calls (through syscall(2),
 * so the C library adds none) have arguments and results known in
 * advance, for examples/strace.stp:
 *   mkdir("/demo", 0755)                                          = 0
 *   openat(AT_FDCWD, "/demo/log",
 *          O_WRONLY|O_CREAT|O_APPEND|O_CLOEXEC, 0644)             = 3
 *   write(3, "line 1\n", 7)                                       = 7
 *   dup2(3, 9)                                                    = 9
 *   close(3)                                                      = 0
 *   write(9, "line 2\n", 7)                                       = 7
 *   lseek(9, 0, SEEK_CUR)                                         = 14
 *   close(9)                                                      = 0
 *   openat(AT_FDCWD, "/demo/missing", O_RDONLY)                   = -ENOENT
 *   unlink("/demo/log")                                           = 0
 *   nanosleep({0, 10000000}, NULL)                                = 0
 *   rmdir("/demo")                                                = 0
 * and exits with status 0.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
	/* On the stack, a page already there: the probe reads it without
	 * faulting it in. */
	struct timespec ts = { 0, 10000000 };

	syscall(SYS_mkdir, "/demo", 0755);
	syscall(SYS_openat, AT_FDCWD, "/demo/log",
		O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	syscall(SYS_write, 3, "line 1\n", 7);
	syscall(SYS_dup2, 3, 9);
	syscall(SYS_close, 3);
	syscall(SYS_write, 9, "line 2\n", 7);
	syscall(SYS_lseek, 9, 0, SEEK_CUR);
	syscall(SYS_close, 9);
	syscall(SYS_openat, AT_FDCWD, "/demo/missing", O_RDONLY);
	syscall(SYS_unlink, "/demo/log");
	syscall(SYS_nanosleep, &ts, NULL);
	syscall(SYS_rmdir, "/demo");
	return 0;
}
