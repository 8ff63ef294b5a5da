/*
 * sig_workload: signal calls with known arguments, for
 * tests/guest/sched/sched_sigcalls.stp.
 *
 *  1. blocks SIGUSR1 and SIGALRM (sigprocmask SIG_BLOCK, set 0x2200);
 *  2. kill(getpid(), SIGUSR1): stays pending;
 *  3. sigpending() into an 8-byte set;
 *  4. ignores SIGUSR2, then tkill(gettid(), SIGUSR2);
 *  5. a POSIX timer sends SIGALRM 1 ms later (send_sigqueue);
 *  6. sigwait takes SIGUSR1, then SIGALRM;
 *  7. a child handles SIGUSR1 on an alternate stack that is not mapped:
 *     the kernel cannot build the signal frame and forces SIGSEGV.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void on_usr1(int sig)
{
	(void)sig;
}

/* Step 7, in a child: SIGSEGV ends it. */
static void bad_altstack(void)
{
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_ONSTACK };
	stack_t st = { .ss_size = 65536 };
	sigset_t usr1;

	st.ss_sp = mmap(NULL, st.ss_size, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(st.ss_sp, st.ss_size);
	sigaltstack(&st, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_UNBLOCK, &usr1, NULL);
	raise(SIGUSR1);
	_exit(0);
}

int main(void)
{
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL,
			       .sigev_signo = SIGALRM };
	struct itimerspec its = { .it_value = { 0, 1000000 } };
	sigset_t set, pending;
	timer_t timer;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGALRM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	kill(getpid(), SIGUSR1);
	syscall(SYS_rt_sigpending, &pending, 8);
	signal(SIGUSR2, SIG_IGN);
	syscall(SYS_tkill, syscall(SYS_gettid), SIGUSR2);
	if (timer_create(CLOCK_MONOTONIC, &ev, &timer) ||
	    timer_settime(timer, 0, &its, NULL))
		return 1;
	sigwait(&set, &sig);
	sigwait(&set, &sig);
	if (fork() == 0)
		bad_altstack();
	wait(&sig);
	return !(WIFSIGNALED(sig) && WTERMSIG(sig) == SIGSEGV);
}
