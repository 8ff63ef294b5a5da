/*
 * vm_util.c - small helpers of the guest runner: buffers, string lists,
 * running a host tool and capturing its output.
 *
 * Not compiler/util.c: the guest runner is a library of its own (vm.h)
 * that builds and is tested without the compiler (tests/vm links only
 * compiler/vm/), and its buffers report a failed allocation to the caller
 * (which can still stop a running guest) where util.c's xmalloc() exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vm_int.h"

int vm_buf_add(struct vm_buf *b, const void *data, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *p;

		while (cap < b->len + n + 1)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p)
			return -1;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';	/* so text can be used as a string */
	return 0;
}

int vm_buf_addstr(struct vm_buf *b, const char *s)
{
	return vm_buf_add(b, s, strlen(s));
}

void vm_buf_free(struct vm_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

int vm_strv_add(struct vm_strv *sv, const char *s)
{
	char *dup;

	if (sv->n == sv->cap) {
		size_t cap = sv->cap ? sv->cap * 2 : 16;
		char **v = realloc(sv->v, cap * sizeof(*v));

		if (!v)
			return -1;
		sv->v = v;
		sv->cap = cap;
	}
	dup = strdup(s);
	if (!dup)
		return -1;
	sv->v[sv->n++] = dup;
	return 0;
}

int vm_strv_has(const struct vm_strv *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return 1;
	return 0;
}

void vm_strv_free(struct vm_strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}

void vm_msg(const char *fmt, ...)
{
	va_list ap;

	fputs("tapc: vm: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* In the child of vm_capture: wire stdin, stdout, stderr, then exec. */
static void vm_capture_child(char *const argv[], int out, int quiet)
{
	int null = open("/dev/null", O_RDWR);

	if (null < 0)
		_exit(127);
	dup2(null, 0);
	dup2(out, 1);
	if (quiet)
		dup2(null, 2);
	execvp(argv[0], argv);
	if (!quiet)
		fprintf(stderr, "tapc: vm: cannot run %s: %s\n", argv[0],
			strerror(errno));
	_exit(127);
}

int vm_capture(char *const argv[], struct vm_buf *out, int quiet)
{
	int fds[2], status;
	char chunk[65536];
	ssize_t n;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0)
		vm_capture_child(argv, fds[1], quiet);
	close(fds[1]);
	while ((n = read(fds[0], chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || vm_buf_add(out, chunk, (size_t)n) < 0)
			break;
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (!WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

int vm_read_file(const char *path, struct vm_buf *b)
{
	char chunk[65536];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || vm_buf_add(b, chunk, (size_t)n) < 0) {
			int e = n < 0 ? errno : ENOMEM;

			close(fd);
			errno = e;
			return -1;
		}
	}
	close(fd);
	return 0;
}
