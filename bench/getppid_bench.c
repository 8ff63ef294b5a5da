/*
 * getppid_bench N: calls getppid(2) N times and prints the guest time
 * per call in ns (one decimal), then the whole loop's ns, on one line.
 * Built static for the guest by bench/probe.sh.  Under qemu's -icount
 * the guest clock follows the instructions executed, so the figure
 * repeats whatever the host's load.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100000;
	long long t0, t1;

	if (n < 1)
		n = 1;
	syscall(SYS_getppid);	/* the first call's faults are not timed */
	t0 = now_ns();
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	t1 = now_ns();
	printf("%.1f %lld\n", (double)(t1 - t0) / n, t1 - t0);
	return 0;
}
