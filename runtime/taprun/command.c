// SPDX-License-Identifier: GPL-2.0
/*
 * command.c - the -c command.
 *
 * It is forked before "start" so that its pid can be the target, but
 * it may only exec once "start" returned, when every probe is in place.
 * So the child first waits on a pipe: one byte means exec, end of file
 * means the session failed and it exits without running anything.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "taprun.h"

/* In the child: wait for the go byte, then become /bin/sh -c cmd. */
static void __attribute__((noreturn))
command_child(int go_fd, const char *cmd, const sigset_t *mask)
{
	char c;
	ssize_t n;

	do
		n = read(go_fd, &c, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1)
		_exit(127);
	close(go_fd);
	/* Undo what taprun set up for itself. */
	signal(SIGPIPE, SIG_DFL);
	sigprocmask(SIG_SETMASK, mask, NULL);
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	fprintf(stderr, "%s: cannot run /bin/sh: %s\n", taprun_prog,
		strerror(errno));
	_exit(127);
}

/* mask: the signal mask the command should start with. */
int command_spawn(struct taprun_child *child, const char *cmd,
		  const sigset_t *mask)
{
	int fds[2];
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0) {
		fprintf(stderr, "%s: pipe: %s\n", taprun_prog, strerror(errno));
		return -1;
	}
	fflush(NULL);	/* or the child would inherit unwritten output */
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "%s: fork: %s\n", taprun_prog, strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[1]);
		command_child(fds[0], cmd, mask);
	}
	close(fds[0]);
	child->pid = pid;
	child->go_fd = fds[1];
	return 0;
}

/* Let the command exec: called once "start" returned. */
int command_release(struct taprun_child *child)
{
	ssize_t n;

	if (child->pid <= 0 || child->go_fd < 0)
		return 0;
	do
		n = write(child->go_fd, "g", 1);
	while (n < 0 && errno == EINTR);
	close(child->go_fd);
	child->go_fd = -1;
	if (n != 1) {
		fprintf(stderr, "%s: cannot start the command: %s\n",
			taprun_prog, strerror(errno));
		return -1;
	}
	child->released = true;
	return 0;
}

/* Reap the command if it ended; true if it did (status from waitpid). */
bool command_reap(struct taprun_child *child, int *status)
{
	pid_t r;

	if (child->pid <= 0 || child->exited)
		return false;
	do
		r = waitpid(child->pid, status, WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r != child->pid)
		return false;
	child->exited = true;
	return true;
}

/*
 * At the end of the session: a command never released just exits; one
 * still running when the script ended gets SIGTERM, then SIGKILL if it
 * is still there after a second.
 */
void command_finish(struct taprun_session *s)
{
	struct taprun_child *child = &s->child;
	const struct timespec tick = { 0, 10 * 1000 * 1000 };
	int status;

	if (child->pid <= 0 || child->exited)
		return;
	if (child->go_fd >= 0) {
		close(child->go_fd);
		child->go_fd = -1;
	} else {
		verbose(s, "stopping the command (pid %d)", (int)child->pid);
		kill(child->pid, SIGTERM);
	}
	for (int i = 0; i < 100; i++) {
		if (command_reap(child, &status))
			return;
		nanosleep(&tick, NULL);
	}
	kill(child->pid, SIGKILL);
	while (waitpid(child->pid, &status, 0) < 0 && errno == EINTR)
		;
	child->exited = true;
}
