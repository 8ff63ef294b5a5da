/*
 * net_workload.c - loopback traffic of known sizes and ports for the
 * net tapset tests (tests/guest/net).
 *
 * net_workload UDP_PORT TCP_PORT N:
 *   UDP: a socket bound to 127.0.0.1:UDP_PORT receives N bytes another
 *   socket sends it with sendto; the sender then connects to it, writes
 *   N/2 bytes the receiver reads with read(), and disconnects (connect
 *   to AF_UNSPEC).
 *   TCP: a listener on 127.0.0.1:TCP_PORT accepts a connection; the
 *   client sets TCP_NODELAY, sends N bytes, the accepted socket reads
 *   them, the client disconnects (connect to AF_UNSPEC) and the three
 *   sockets close.
 * Exits non-zero with a message on any failure.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static struct sockaddr_in loopback(int port)
{
	struct sockaddr_in a;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static void udp_round(int port, char *buf, size_t n)
{
	struct sockaddr_in a = loopback(port);
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };
	int rx = socket(AF_INET, SOCK_DGRAM, 0);
	int tx = socket(AF_INET, SOCK_DGRAM, 0);

	if (rx < 0 || tx < 0)
		die("udp socket");
	if (bind(rx, (struct sockaddr *)&a, sizeof(a)) < 0)
		die("udp bind");
	if (sendto(tx, buf, n, 0, (struct sockaddr *)&a, sizeof(a)) != (ssize_t)n)
		die("udp sendto");
	if (recv(rx, buf, n, 0) != (ssize_t)n)
		die("udp recv");
	if (connect(tx, (struct sockaddr *)&a, sizeof(a)) < 0)
		die("udp connect");
	if (write(tx, buf, n / 2) != (ssize_t)(n / 2))
		die("udp write");
	if (read(rx, buf, n) != (ssize_t)(n / 2))
		die("udp read");
	if (connect(tx, &unspec, sizeof(unspec)) < 0)
		die("udp disconnect");
	close(tx);
	close(rx);
}

static void tcp_round(int port, char *buf, size_t n)
{
	struct sockaddr_in a = loopback(port);
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };
	int one = 1, got = 0, r;
	int lsn = socket(AF_INET, SOCK_STREAM, 0);
	int cli = socket(AF_INET, SOCK_STREAM, 0);
	int acc;

	if (lsn < 0 || cli < 0)
		die("tcp socket");
	if (setsockopt(lsn, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		die("SO_REUSEADDR");
	if (bind(lsn, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(lsn, 1) < 0)
		die("tcp listen");
	if (connect(cli, (struct sockaddr *)&a, sizeof(a)) < 0)
		die("tcp connect");
	acc = accept(lsn, NULL, NULL);
	if (acc < 0)
		die("tcp accept");
	if (setsockopt(cli, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) < 0)
		die("TCP_NODELAY");
	if (send(cli, buf, n, 0) != (ssize_t)n)
		die("tcp send");
	while (got < (int)n) {
		r = recv(acc, buf + got, n - got, 0);
		if (r <= 0)
			die("tcp recv");
		got += r;
	}
	if (connect(cli, &unspec, sizeof(unspec)) < 0)
		die("tcp disconnect");
	close(cli);
	close(acc);
	close(lsn);
}

int main(int argc, char **argv)
{
	size_t n;
	char *buf;

	if (argc != 4) {
		fprintf(stderr, "usage: net_workload UDP_PORT TCP_PORT N\n");
		return 2;
	}
	n = strtoul(argv[3], NULL, 0);
	buf = calloc(1, n);
	if (!buf)
		die("calloc");
	udp_round(atoi(argv[1]), buf, n);
	tcp_round(atoi(argv[2]), buf, n);
	return 0;
}
