/*
 * slow_pipe: a read that blocks for a known time, for
 * examples/slow-syscalls.stp.  The parent reads one byte from a pipe;
 * its child sleeps 500 ms (nanosleep) and only then writes the byte, so
 * the parent's read(3, 0x10000000, 1) waits in pipe_read about as long
 * as the child's nanosleep.  The parent then exits without waiting (a
 * wait4 for the child's exit could itself be slow on a loaded machine).
 * The buffer is mapped at a fixed address so that read's arguments are
 * the same in every run.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
	/* On the stack, a page already there: the probe reads it without
	 * faulting it in. */
	struct timespec ts = { 0, 500000000 };
	char *buf = mmap((void *)0x10000000, 4096, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	int fds[2];

	if (buf == MAP_FAILED || pipe(fds))
		return 1;
	if (fork() == 0) {
		syscall(SYS_nanosleep, &ts, NULL);
		syscall(SYS_write, fds[1], "x", 1);
		_exit(0);
	}
	syscall(SYS_read, fds[0], buf, 1);
	return 0;
}
