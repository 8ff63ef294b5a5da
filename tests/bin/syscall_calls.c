/*
 * syscall_calls: system calls with known arguments and results, for
 * the syscall tapset's guest tests (tests/guest/syscall_*).
 *
 * Each call goes through syscall(2), so the C library adds nothing:
 *   mkdir("/sctest", 0750)                                  = 0
 *   openat(AT_FDCWD, "/sctest/f",
 *          O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0640)       = 3
 *   write(3, "hello\n", 6)                                  = 6
 *   close(3)                                                = 0
 *   openat(AT_FDCWD, "/sctest/f", O_RDONLY)                 = 3
 *   read(3, buf, 64)                                        = 6
 *   read(3, buf, 64)                                        = 0
 *   ioctl(3, TCGETS, &t)                                    = -ENOTTY
 *   lseek(3, 2, SEEK_SET)                                   = 2
 *   dup2(3, 7)                                              = 7
 *   dup3(7, 8, O_CLOEXEC)                                   = 8
 *   fcntl(8, F_GETFD)                                       = 1
 *   close(8), close(7), close(3)                            = 0
 *   rename("/sctest/f", "/sctest/g")                        = 0
 *   unlink("/sctest/f")                                     = -ENOENT
 *   unlink("/sctest/g")                                     = 0
 *   chdir("/sctest")                                        = 0
 *   kill(999999, SIGTERM)                                   = -ESRCH
 *   nanosleep({0, 1000000}, NULL)                           = 0
 *   openat(AT_FDCWD, "/sctest/none", O_RDONLY)              = -ENOENT
 *   rmdir("/sctest")                                        = 0
 * then exits with status 0 (exit_group(0)).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static char buf[64];

int main(void)
{
	struct timespec ts = { 0, 1000000 };
	struct termios t;

	syscall(SYS_mkdir, "/sctest", 0750);
	syscall(SYS_openat, AT_FDCWD, "/sctest/f",
		O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	syscall(SYS_write, 3, "hello\n", 6);
	syscall(SYS_close, 3);
	syscall(SYS_openat, AT_FDCWD, "/sctest/f", O_RDONLY);
	syscall(SYS_read, 3, buf, sizeof(buf));
	syscall(SYS_read, 3, buf, sizeof(buf));
	syscall(SYS_ioctl, 3, TCGETS, &t);
	syscall(SYS_lseek, 3, 2, SEEK_SET);
	syscall(SYS_dup2, 3, 7);
	syscall(SYS_dup3, 7, 8, O_CLOEXEC);
	syscall(SYS_fcntl, 8, F_GETFD, 0);
	syscall(SYS_close, 8);
	syscall(SYS_close, 7);
	syscall(SYS_close, 3);
	syscall(SYS_rename, "/sctest/f", "/sctest/g");
	syscall(SYS_unlink, "/sctest/f");
	syscall(SYS_unlink, "/sctest/g");
	syscall(SYS_chdir, "/sctest");
	syscall(SYS_kill, 999999, SIGTERM);
	syscall(SYS_nanosleep, &ts, NULL);
	syscall(SYS_openat, AT_FDCWD, "/sctest/none", O_RDONLY);
	syscall(SYS_rmdir, "/sctest");
	return 0;
}
