/*
 * close_badfd: close(N) COUNT times on an fd that is not open, so each
 * call fails with EBADF: a close a test can count by its fd
 * (tests/guest/macro/macro_this.stp).  Usage: close_badfd N COUNT.
 */
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fd = argc > 1 ? atoi(argv[1]) : 987;
	int count = argc > 2 ? atoi(argv[2]) : 1;

	for (int i = 0; i < count; i++)
		close(fd);
	return 0;
}
