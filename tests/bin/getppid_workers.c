/* getppid_workers ITER NPROC: NPROC processes each call getppid(2) ITER
 * times, at once: a workload that hits one probe from several CPUs. */
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long iter = argc > 1 ? atol(argv[1]) : 1000;
	int nproc = argc > 2 ? atoi(argv[2]) : 2;

	for (int p = 0; p < nproc; p++) {
		if (fork() == 0) {
			for (long i = 0; i < iter; i++)
				syscall(SYS_getppid);
			_exit(0);
		}
	}
	while (wait(NULL) > 0)
		;
	return 0;
}
