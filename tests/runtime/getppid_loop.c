/* getppid_loop N: call getppid(2) N times (default 10), for probe tests. */
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 10;

	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	return 0;
}
