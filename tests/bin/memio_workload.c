/* memio_workload rw N | fault K | kmalloc N | blk DEV: a workload for the vfs, vm
 * and ioblock tapsets.
 *
 *   rw      N  changes to /tmp and writes N bytes to memio_data in one
 *              write(), then
 *              writev()s 2 x 100 bytes after them, reopens the file and
 *              reads N bytes in one read() and 200 in one readv(), and
 *              reads once more at the end (0 bytes).
 *   fault   K  maps K fresh anonymous pages and writes one byte in each
 *              (K page faults at least); forks a child that writes to
 *              the first one (a copy-on-write fault), unmaps them; then
 *              grows the heap by 4 pages with sbrk().
 *   kmalloc N  N pipe() + close() pairs: each pipe's kernel side is
 *              kmalloc'd and kfree'd.
 *   blk   DEV  writes 8 KiB at offset 1 MiB of the block device DEV, then
 *              reads them back, both with O_DIRECT (so each is one bio
 *              of 8 KiB at sector 2048).
 *
 * Prints nothing (its output would interleave with the script's); exits
 * 1 with the failing call on any error. */
#define _GNU_SOURCE /* O_DIRECT */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define DATA "/tmp/memio_data"

static char buf[1 << 16];

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void two_iovecs(struct iovec *iov, char *at)
{
	iov[0].iov_base = at;
	iov[0].iov_len = 100;
	iov[1].iov_base = at + 100;
	iov[1].iov_len = 100;
}

static void rw(size_t n)
{
	struct iovec iov[2];
	int fd;

	if (n > sizeof(buf) - 200)
		n = sizeof(buf) - 200;
	if (chdir("/tmp"))
		die("chdir");
	memset(buf, 'x', sizeof(buf));
	fd = open(DATA, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	if (fd < 0)
		die("open for write");
	if (write(fd, buf, n) != (ssize_t)n)
		die("write");
	two_iovecs(iov, buf);
	if (writev(fd, iov, 2) != 200)
		die("writev");
	close(fd);
	fd = open(DATA, O_RDONLY);
	if (fd < 0)
		die("open for read");
	if (read(fd, buf, n) != (ssize_t)n)
		die("read");
	two_iovecs(iov, buf);
	if (readv(fd, iov, 2) != 200)
		die("readv");
	if (read(fd, buf, 10) != 0)
		die("read at the end");
	close(fd);
	unlink(DATA);
}

static void fault(long k)
{
	long page = sysconf(_SC_PAGESIZE), i;
	char *p = mmap(NULL, k * page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	for (i = 0; i < k; i++)
		p[i * page] = 1;
	switch (fork()) {
	case -1:
		die("fork");
	case 0:
		p[0] = 2;
		_exit(0);
	default:
		if (wait(NULL) < 0)
			die("wait");
	}
	if (munmap(p, k * page))
		die("munmap");
	if (sbrk(4 * page) == (void *)-1)
		die("sbrk");
}

static void pipes(long n)
{
	int fds[2];

	while (n-- > 0) {
		if (pipe(fds))
			die("pipe");
		close(fds[0]);
		close(fds[1]);
	}
}

static void blk(const char *dev)
{
	void *aligned;
	int fd = open(dev, O_RDWR | O_DIRECT);

	if (fd < 0)
		die(dev);
	if (posix_memalign(&aligned, 4096, 8192))
		die("posix_memalign");
	memset(aligned, 'b', 8192);
	if (pwrite(fd, aligned, 8192, 1 << 20) != 8192)
		die("pwrite");
	if (pread(fd, aligned, 8192, 1 << 20) != 8192)
		die("pread");
	close(fd);
}

int main(int argc, char **argv)
{
	long n;

	if (argc != 3)
		return fprintf(stderr, "usage: memio_workload rw|fault|kmalloc N | blk DEV\n"), 2;
	n = atol(argv[2]);
	if (!strcmp(argv[1], "blk"))
		blk(argv[2]);
	else if (!strcmp(argv[1], "rw"))
		rw(n);
	else if (!strcmp(argv[1], "fault"))
		fault(n);
	else if (!strcmp(argv[1], "kmalloc"))
		pipes(n);
	else
		return fprintf(stderr, "memio_workload: no mode %s\n", argv[1]), 2;
	return 0;
}
