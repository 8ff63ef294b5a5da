// SPDX-License-Identifier: GPL-2.0
/*
 * system.c - the commands a script's system() asks for.
 *
 * The module sends each command in a TAPC_REC_SYSTEM record; taprun
 * runs it as /bin/sh -c CMD in the background, with its standard output
 * where the session's output goes (its standard error is taprun's), so
 * the probe that asked never waits for it.  The commands still running when the session
 * ends are waited for, so their output is part of the session's.
 *
 * The children are tracked here (not in the session) because only this
 * file starts and reaps them; SIGCHLD comes through the session's
 * signalfd and relay.c calls system_reap() for it.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "taprun.h"

#define SYSTEM_MAX_RUNNING 64

static pid_t system_pids[SYSTEM_MAX_RUNNING];
static int system_running;

/* In the child: output to out_fd, default signals, then the shell. */
static void __attribute__((noreturn))
system_child(int out_fd, const char *cmd)
{
	sigset_t none;

	if (out_fd >= 0 && out_fd != STDOUT_FILENO)
		dup2(out_fd, STDOUT_FILENO);
	signal(SIGPIPE, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	_exit(127);
}

/* Wait (blocking or not) for one tracked child; true if one ended. */
static bool system_wait_one(int flags)
{
	int status;

	for (int i = 0; i < system_running; i++) {
		pid_t r;

		do
			r = waitpid(system_pids[i], &status, flags);
		while (r < 0 && errno == EINTR);
		if (r == system_pids[i] || (r < 0 && errno == ECHILD)) {
			system_pids[i] = system_pids[--system_running];
			return true;
		}
	}
	return false;
}

/* SIGCHLD came: reap the commands that ended. */
void system_reap(void)
{
	while (system_running > 0 && system_wait_one(WNOHANG))
		;
}

/* Run the len bytes of cmd (not NUL-terminated) in the background. */
void system_run(struct taprun_session *s, const char *data, size_t len)
{
	char *cmd = strndup(data, len);
	FILE *out = s->out ? s->out : stdout;
	pid_t pid;

	if (!cmd) {
		fprintf(stderr, "%s: out of memory\n", taprun_prog);
		return;
	}
	/* Too many still running: wait for one, as a shell's job limit. */
	while (system_running >= SYSTEM_MAX_RUNNING)
		if (system_running > 0 && !system_wait_one(0))
			break;
	verbose(s, "system(\"%s\")", cmd);
	fflush(NULL);	/* the output before the command comes first */
	pid = fork();
	if (pid < 0)
		fprintf(stderr, "%s: system(): fork: %s\n", taprun_prog,
			strerror(errno));
	else if (pid == 0)
		system_child(fileno(out), cmd);
	else
		system_pids[system_running++] = pid;
	free(cmd);
}

/* The session ends: wait for the commands still running. */
void system_finish(struct taprun_session *s)
{
	if (system_running > 0)
		verbose(s, "waiting for %d system() command%s", system_running,
			system_running == 1 ? "" : "s");
	while (system_running > 0)
		system_wait_one(0);
}
