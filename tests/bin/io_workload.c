/* io_workload file|tcp N: a workload for wildcard probes over the VFS
 * and the TCP stack.
 *
 *   file  N rounds of create, write, fsync, stat, read, rename, unlink
 *         of a file in /tmp (vfs_*).
 *   tcp   N connections over the loopback interface, each sending 4 KiB
 *         that the other end reads back (tcp_*).  Brings lo up first: the
 *         tapc guest boots with every interface down.
 *
 * Prints "file N" or "tcp N" with the rounds done; exits 1 with the
 * failing call on any error. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static char buf[4096];

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void file_round(void)
{
	struct stat st;
	int fd = open("/tmp/io_workload.a", O_CREAT | O_TRUNC | O_RDWR, 0600);

	if (fd < 0)
		die("open");
	if (write(fd, buf, sizeof(buf)) != sizeof(buf))
		die("write");
	if (fsync(fd) || fstat(fd, &st) || lseek(fd, 0, SEEK_SET))
		die("fsync/fstat/lseek");
	if (read(fd, buf, sizeof(buf)) != sizeof(buf))
		die("read");
	close(fd);
	if (rename("/tmp/io_workload.a", "/tmp/io_workload.b") ||
	    unlink("/tmp/io_workload.b"))
		die("rename/unlink");
}

static void lo_up(void)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr))
		die("SIOCGIFFLAGS lo");
	if (!(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(s, SIOCSIFFLAGS, &ifr))
			die("SIOCSIFFLAGS lo");
	}
	close(s);
}

/* A listening socket on 127.0.0.1, port chosen by the kernel. */
static int listener(struct sockaddr_in *a)
{
	socklen_t len = sizeof(*a);
	int s = socket(AF_INET, SOCK_STREAM, 0);

	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s < 0 || bind(s, (struct sockaddr *)a, sizeof(*a)) ||
	    listen(s, 8) || getsockname(s, (struct sockaddr *)a, &len))
		die("listen");
	return s;
}

/* One connection: the backlog completes the handshake, so one process
 * can connect, accept, send and receive. */
static void tcp_round(int ls, const struct sockaddr_in *a)
{
	size_t got = 0;
	ssize_t n;
	int c = socket(AF_INET, SOCK_STREAM, 0), s;

	if (c < 0 || connect(c, (const struct sockaddr *)a, sizeof(*a)))
		die("connect");
	s = accept(ls, NULL, NULL);
	if (s < 0)
		die("accept");
	if (write(c, buf, sizeof(buf)) != sizeof(buf))
		die("send");
	while (got < sizeof(buf)) {
		n = read(s, buf + got, sizeof(buf) - got);
		if (n <= 0)
			die("recv");
		got += (size_t)n;
	}
	close(c);
	close(s);
}

int main(int argc, char **argv)
{
	struct sockaddr_in a;
	long n = argc > 2 ? atol(argv[2]) : 100, i;
	int ls;

	if (argc < 2 || (strcmp(argv[1], "file") && strcmp(argv[1], "tcp"))) {
		fprintf(stderr, "usage: io_workload file|tcp N\n");
		return 2;
	}
	if (!strcmp(argv[1], "file")) {
		for (i = 0; i < n; i++)
			file_round();
	} else {
		lo_up();
		ls = listener(&a);
		for (i = 0; i < n; i++)
			tcp_round(ls, &a);
		close(ls);
	}
	printf("%s %ld\n", argv[1], i);
	return 0;
}
