/*
 * sysx_time: the syscalls of the syscall tapset's clock, timer,
 * scheduling and resource sets, each with known arguments and results,
 * for tests/guest/sys/sysx_time.
 *
 * Each call goes through syscall(2), so the C library adds nothing.
 * Buffers live in a mapping at the fixed address SCRATCH, so every
 * argument is the same from run to run; calls whose result is a time
 * or a pid are made with arguments that make the result an error or
 * a constant.  The calls and their results are in sysx_time.out.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define SCRATCH 0x30000000UL

int main(void)
{
	char *s = (char *)SCRATCH;
	struct itimerspec *its = (struct itimerspec *)(SCRATCH + 0x1000);
	struct timespec *ts = (struct timespec *)(SCRATCH + 0x1100);
	struct sched_param *sp = (struct sched_param *)(SCRATCH + 0x1200);
	struct rlimit *rl = (struct rlimit *)(SCRATCH + 0x1300);
	unsigned long *mask = (unsigned long *)(SCRATCH + 0x1400);

	syscall(SYS_mmap, SCRATCH, 65536, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	syscall(SYS_clock_getres, CLOCK_MONOTONIC, s);
	syscall(SYS_clock_gettime, CLOCK_REALTIME, s);
	syscall(SYS_clock_gettime, 99, s);
	ts->tv_sec = 1;
	ts->tv_nsec = 5;
	syscall(SYS_clock_settime, CLOCK_MONOTONIC, ts);
	syscall(SYS_timer_create, CLOCK_MONOTONIC, 0, s + 0x10);
	its->it_interval.tv_sec = 0;
	its->it_interval.tv_nsec = 0;
	its->it_value.tv_sec = 100;
	its->it_value.tv_nsec = 250;
	syscall(SYS_timer_settime, 0, 0, its, 0);
	syscall(SYS_timer_gettime, 0, s + 0x40);
	syscall(SYS_timer_getoverrun, 0);
	syscall(SYS_timer_delete, 0);
	syscall(SYS_timer_delete, 0);
	syscall(SYS_alarm, 100);
	syscall(SYS_alarm, 0);
	syscall(SYS_timerfd_create, CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	syscall(SYS_timerfd_settime, 3, TFD_TIMER_ABSTIME, its, s + 0x80);
	syscall(SYS_timerfd_gettime, 3, s + 0x80);
	syscall(SYS_gettimeofday, s, 0);
	syscall(SYS_time, 0x1234);

	syscall(SYS_sched_get_priority_max, SCHED_FIFO);
	syscall(SYS_sched_get_priority_min, SCHED_RR);
	syscall(SYS_sched_getscheduler, 0);
	syscall(SYS_sched_getparam, 0, sp);
	sp->sched_priority = 0;
	syscall(SYS_sched_setscheduler, 0, SCHED_BATCH | SCHED_RESET_ON_FORK, sp);
	syscall(SYS_sched_setparam, 0, sp);
	syscall(SYS_sched_getaffinity, 0, 8, mask);
	*mask = 1;
	syscall(SYS_sched_setaffinity, 0, 8, mask);
	syscall(SYS_sched_rr_get_interval, 99999, s);
	syscall(SYS_getpriority, PRIO_PROCESS, 0);
	syscall(SYS_setpriority, PRIO_PROCESS, 0, 5);
	syscall(SYS_getpgid, 99999);
	syscall(SYS_setpgid, 99999, 0);
	syscall(SYS_getsid, 99999);
	rl->rlim_cur = 0;
	rl->rlim_max = RLIM_INFINITY;
	syscall(SYS_setrlimit, RLIMIT_CORE, rl);
	syscall(SYS_getrlimit, RLIMIT_NOFILE, s);
	syscall(SYS_prlimit64, 0, RLIMIT_CORE, rl, s);
	syscall(SYS_prlimit64, 99999, RLIMIT_NOFILE, 0, s);
	syscall(SYS_getrusage, RUSAGE_CHILDREN, s);
	syscall(SYS_sysinfo, s);
	return 0;
}
