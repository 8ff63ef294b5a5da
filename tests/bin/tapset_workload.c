/*
 * tapset_workload [sleep]: known answers for the tapset guest tests.
 *
 * Runs as "tapset_workload x y" pinned to CPU 1, in a session of its
 * own, then makes calls whose arguments the tests read back through the
 * tapset functions and compare with what this program knows:
 *
 *  1. openat(AT_FDCWD, "/tapset/ids/PPID/PGRP/SID", O_RDONLY), its ids
 *     as the C library returns them;
 *  2. openat of known.path, a string of known bytes followed by known
 *     numbers in user memory (struct known below);
 *  3. openat of "/tapset/time/SEC/NSEC", the CLOCK_REALTIME just read;
 *     with "sleep", a second later "/tapset/time2/SEC/NSEC" again;
 *  4. lseek(fd, -5, SEEK_CUR) on /dev/null (opened as fd 3);
 *  5. futex(&futex_word, FUTEX_WAKE, 1, NULL, NULL, 0xfedcba98):
 *     do_futex() gets seven arguments, the last (val3) on the stack;
 *  6. with real ids 1234/5678 and effective ids 1235/5679,
 *     openat("/tapset/creds").
 * Every path but /dev/null does not exist; the opens fail with ENOENT.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* The layout the tests read: offsets 0, 24, 32, 36, 38. */
static struct known {
	char path[24];
	long long val;
	int ival;
	short sval;
	signed char cval;
} known = {
	"/tapset/\377\376\303\251\t\"\\z",
	-1234567890123LL, -123456, -1234, -12,
};

static void open_time(const char *dir)
{
	struct timespec ts;
	char path[128];

	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(path, sizeof(path), "/tapset/%s/%ld/%ld", dir,
		 (long)ts.tv_sec, ts.tv_nsec);
	openat(AT_FDCWD, path, O_RDONLY);
}

static unsigned int futex_word = 424242;

int main(int argc, char **argv)
{
	char self[PATH_MAX];
	ssize_t n;
	cpu_set_t cpus;
	int fd;

	/* Start again with a known command line (argv[0] is a path). */
	if (strcmp(argv[0], "tapset_workload") != 0) {
		char *args[] = { "tapset_workload", "x", "y",
				 argc > 1 ? argv[1] : NULL, NULL };

		n = readlink("/proc/self/exe", self, sizeof(self) - 1);
		if (n < 0)
			return 1;
		self[n] = '\0';
		execv(self, args);
		return 1;
	}
	CPU_ZERO(&cpus);
	CPU_SET(1, &cpus);
	sched_setaffinity(0, sizeof(cpus), &cpus);
	setsid();

	snprintf(self, sizeof(self), "/tapset/ids/%d/%d/%d", (int)getppid(),
		 (int)getpgrp(), (int)getsid(0));
	openat(AT_FDCWD, self, O_RDONLY);
	openat(AT_FDCWD, known.path, O_RDONLY);
	open_time("time");
	if (argc > 3 && strcmp(argv[3], "sleep") == 0) {
		sleep(1);
		open_time("time2");
	}

	fd = openat(AT_FDCWD, "/dev/null", O_RDONLY);
	lseek(fd, -5, SEEK_CUR);
	close(fd);
	syscall(SYS_futex, &futex_word, FUTEX_WAKE, 1, NULL, NULL,
		0xfedcba98u);

	if (setresgid(5678, 5679, 5679) == 0 &&
	    setresuid(1234, 1235, 1235) == 0)
		openat(AT_FDCWD, "/tapset/creds", O_RDONLY);
	return 0;
}
