/*
 * entry_busy: two calls of rt_sigtimedwait in flight at once, for the
 * guest test run with -DKRETACTIVE=1 (tests/guest/dwarf_entry_missed.stp):
 * the kretprobe then has one instance, so the second entry is missed.
 *
 * The child blocks in rt_sigtimedwait for SIGUSR1.  Once
 * /proc/CHILD/syscall shows it there (128 is rt_sigtimedwait on x86-64),
 * the parent calls rt_sigtimedwait with a zero timeout (it returns
 * -EAGAIN at once: the missed call), then sends SIGUSR1, which ends the
 * child's call with 10, and waits for it.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int child_waiting(pid_t pid)
{
	char path[64];
	int nr = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%d", &nr) != 1)
		nr = -1;
	fclose(f);
	return nr == 128;
}

int main(void)
{
	const struct timespec zero = { 0, 0 }, tick = { 0, 1000000 };
	sigset_t set;
	pid_t pid;
	int status;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0)
		return sigwaitinfo(&set, NULL) == SIGUSR1 ? 0 : 1;
	while (!child_waiting(pid))
		nanosleep(&tick, NULL);
	sigtimedwait(&set, NULL, &zero);
	kill(pid, SIGUSR1);
	if (waitpid(pid, &status, 0) != pid)
		return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
