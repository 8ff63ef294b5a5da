/*
 * pingpong N: two processes, pinned to CPU 0 and CPU 1, take turns N
 * times through two pipes; in each turn a process calls getppid(2) once.
 * Every call happens after the other process's previous one, so a probe
 * on getppid prints events whose order across CPUs is known.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0)
		perror("pingpong: sched_setaffinity");
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100;
	int ab[2], ba[2];
	char c = 'x';
	pid_t pid;

	if (pipe(ab) < 0 || pipe(ba) < 0)
		return 1;
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		pin(1);
		for (long i = 0; i < n; i++) {
			if (read(ab[0], &c, 1) != 1)
				_exit(1);
			syscall(SYS_getppid);
			if (write(ba[1], &c, 1) != 1)
				_exit(1);
		}
		_exit(0);
	}
	pin(0);
	for (long i = 0; i < n; i++) {
		syscall(SYS_getppid);
		if (write(ab[1], &c, 1) != 1 || read(ba[0], &c, 1) != 1)
			return 1;
	}
	return waitpid(pid, NULL, 0) == pid ? 0 : 1;
}
