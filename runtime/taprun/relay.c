// SPDX-License-Identifier: GPL-2.0
/*
 * relay.c - talk to the module through /proc/<module name>.
 *
 * The file is read non-blocking, from a poll() loop that also watches a
 * signalfd (and the -x target's pidfd), so a signal or the end of the
 * command or target is never lost between a check and a blocking read.
 * Each read() returns whole records, already in the order they were
 * written across CPUs.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tapc_proto.h"
#include "taprun.h"

#define RELAY_BUFSIZE (256 * 1024)
#define RELAY_BUFMAX (64 * 1024 * 1024)

int relay_open(struct taprun_session *s)
{
	char path[TAPRUN_MODNAME_MAX + 8];

	snprintf(path, sizeof(path), "/proc/%s", s->modname);
	s->procfd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (s->procfd < 0) {
		fprintf(stderr, "%s: cannot open %s: %s%s\n", taprun_prog, path,
			strerror(errno),
			errno == ENOENT ? " (not a tapc module?)" :
			errno == EBUSY ? " (another taprun reads it)" : "");
		return -1;
	}
	s->bufsize = RELAY_BUFSIZE;
	s->buf = malloc(s->bufsize);
	if (!s->buf) {
		fprintf(stderr, "%s: out of memory\n", taprun_prog);
		return -1;
	}
	return 0;
}

void relay_close(struct taprun_session *s)
{
	if (s->procfd >= 0)
		close(s->procfd);
	s->procfd = -1;
	free(s->buf);
	s->buf = NULL;
}

/* Write one command line; blocks while the module starts or stops. */
static int relay_command(struct taprun_session *s, const char *cmd)
{
	size_t len = strlen(cmd);
	ssize_t n;

	do
		n = write(s->procfd, cmd, len);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)len) {
		fprintf(stderr, "%s: command '%.*s' failed: %s\n", taprun_prog,
			(int)len - 1, cmd,
			n < 0 ? strerror(errno) : "short write");
		return -1;
	}
	return 0;
}

int relay_start(struct taprun_session *s, pid_t target)
{
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "%s %d\n", TAPC_CMD_START, (int)target);
	return relay_command(s, cmd);
}

double monotonic_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* -b: the file of one CPU, opened when it first has output. */
static FILE *relay_cpu_file(struct taprun_session *s, unsigned int cpu)
{
	const char *stem = s->opts->outfile ? s->opts->outfile : "tapc";
	char path[4096];

	if (cpu >= TAPRUN_MAXCPUS)
		cpu = TAPRUN_MAXCPUS - 1;
	if (s->cpu_out[cpu])
		return s->cpu_out[cpu];
	snprintf(path, sizeof(path), "%s_cpu%u", stem, cpu);
	s->cpu_out[cpu] = fopen(path, "we");
	if (!s->cpu_out[cpu])
		fprintf(stderr, "%s: cannot open %s: %s\n", taprun_prog, path,
			strerror(errno));
	else
		verbose(s, "cpu %u output in %s", cpu, path);
	return s->cpu_out[cpu];
}

static void relay_out(struct taprun_session *s, unsigned int cpu,
		      const char *data, size_t len)
{
	FILE *f = s->opts->bulk ? relay_cpu_file(s, cpu) : s->out;

	if (s->out_failed)
		return;
	if (!f || fwrite(data, 1, len, f) != len) {
		fprintf(stderr, "%s: cannot write the output: %s\n",
			taprun_prog, strerror(errno));
		s->out_failed = true;
	}
}

/* WARN and ERROR lines go to stderr, after the output before them. */
static void relay_diag(struct taprun_session *s, const char *data,
		       size_t len)
{
	fflush(s->out);
	fwrite(data, 1, len, stderr);
	if (len == 0 || data[len - 1] != '\n')
		fputc('\n', stderr);
}

static void relay_record(struct taprun_session *s,
			 const struct tapc_rec_hdr *hdr, const char *data)
{
	switch (hdr->type) {
	case TAPC_REC_OUT:
		relay_out(s, hdr->cpu, data, hdr->len);
		break;
	case TAPC_REC_WARN:
		relay_diag(s, data, hdr->len);
		break;
	case TAPC_REC_ERROR:
		s->error_seen = true;
		relay_diag(s, data, hdr->len);
		break;
	case TAPC_REC_EXIT:
		s->exit_seen = true;
		break;
	case TAPC_REC_DONE:
		s->done = true;
		break;
	case TAPC_REC_SYSTEM:
		system_run(s, data, hdr->len);
		break;
	case TAPC_REC_SWITCH:
		switch_output(s);
		break;
	default:
		verbose(s, "ignoring a record of unknown type %u",
			(unsigned int)hdr->type);
		break;
	}
}

/* Split what one read() returned into records. */
static int relay_records(struct taprun_session *s, size_t len)
{
	struct tapc_rec_hdr hdr;
	size_t pos = 0;

	while (pos < len) {
		if (len - pos < sizeof(hdr))
			goto bad;
		memcpy(&hdr, s->buf + pos, sizeof(hdr)); /* may be unaligned */
		pos += sizeof(hdr);
		if (hdr.len > len - pos)
			goto bad;
		relay_record(s, &hdr, s->buf + pos);
		pos += hdr.len;
	}
	return 0;
bad:
	fprintf(stderr, "%s: malformed record from the module\n", taprun_prog);
	return -1;
}

/* Push out what the output files hold (bulk mode's too). */
static void relay_flush(struct taprun_session *s)
{
	fflush(s->out);
	for (int i = 0; s->cpu_out && i < TAPRUN_MAXCPUS; i++)
		if (s->cpu_out[i])
			fflush(s->cpu_out[i]);
}

/* A record larger than the buffer: grow it. */
static int relay_grow(struct taprun_session *s)
{
	char *bigger;

	if (s->bufsize >= RELAY_BUFMAX)
		return -1;
	bigger = realloc(s->buf, s->bufsize * 2);
	if (!bigger)
		return -1;
	s->buf = bigger;
	s->bufsize *= 2;
	return 0;
}

/*
 * Read everything available now.  Returns 0 when the module has nothing
 * more for the moment (or the session is done), -1 on a fatal error.
 */
static int relay_drain(struct taprun_session *s)
{
	ssize_t n;

	while (!s->done) {
		n = read(s->procfd, s->buf, s->bufsize);
		if (n > 0) {
			if (relay_records(s, n) < 0)
				return -1;
			continue;
		}
		if (n == 0) {	/* end of file: DONE was read */
			s->done = true;
			break;
		}
		if (errno == EAGAIN)
			break;
		if (errno == EINTR)
			continue;
		if (errno == EFBIG && relay_grow(s) == 0)
			continue;
		fprintf(stderr, "%s: reading the module: %s\n", taprun_prog,
			strerror(errno));
		return -1;
	}
	relay_flush(s);
	return 0;
}

/*
 * End the session: first read what is there, so the end probes find
 * room in the module's buffer, then "stop" runs them.
 */
static void relay_stop(struct taprun_session *s, const char *why)
{
	if (s->stop_sent)
		return;
	verbose(s, "%s: stopping", why);
	s->stop_sent = true;
	if (relay_drain(s) < 0 || relay_command(s, TAPC_CMD_STOP "\n") < 0)
		s->aborted = true;
}

static void relay_child_ended(struct taprun_session *s, int status)
{
	if (WIFEXITED(status))
		verbose(s, "command exited with status %d",
			WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		verbose(s, "command killed by signal %d", WTERMSIG(status));
	relay_stop(s, "command ended");
}

static void relay_signals(struct taprun_session *s)
{
	struct signalfd_siginfo si;
	int status;

	while (read(s->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGCHLD) {
			system_reap();
			if (command_reap(&s->child, &status))
				relay_child_ended(s, status);
			continue;
		}
		if (s->stop_sent) {
			/* Asked twice: give up on the rest, just unload. */
			fprintf(stderr, "%s: second signal (%s): unloading "
				"without the rest of the output\n",
				taprun_prog, strsignal(si.ssi_signo));
			s->aborted = true;
			return;
		}
		relay_stop(s, strsignal(si.ssi_signo));
	}
}

/* Was a signal already sent before the session started? */
bool relay_signal_pending(struct taprun_session *s)
{
	struct pollfd p = { .fd = s->sigfd, .events = POLLIN };

	return poll(&p, 1, 0) > 0;
}

/* Milliseconds poll() may wait: until -T, or a second to check -x. */
static int relay_poll_timeout(const struct taprun_session *s)
{
	double left, ms = -1;

	if (s->deadline > 0 && !s->stop_sent) {
		left = s->deadline - monotonic_now();
		ms = left > 0 ? left * 1000 + 1 : 0;
	}
	if (s->opts->target && s->pidfd < 0 && !s->stop_sent &&
	    (ms < 0 || ms > 1000))
		ms = 1000;
	return ms < 0 ? -1 : ms > 1e9 ? 1000000000 : (int)ms;
}

/* -T ran out, or the -x target is gone: end the session. */
static void relay_check_time_and_target(struct taprun_session *s,
					bool target_ended)
{
	if (s->stop_sent)
		return;
	if (s->deadline > 0 && monotonic_now() >= s->deadline)
		relay_stop(s, "time limit (-T) reached");
	else if (target_ended || (s->opts->target && s->pidfd < 0 &&
				  kill(s->opts->target, 0) < 0 &&
				  errno == ESRCH))
		relay_stop(s, "the target process exited");
}

/* Relay records until DONE, or until the session is aborted. */
void relay_run(struct taprun_session *s)
{
	struct pollfd p[3] = {
		{ .fd = s->procfd, .events = POLLIN },
		{ .fd = s->sigfd, .events = POLLIN },
		{ .fd = s->pidfd, .events = POLLIN },
	};

	while (!s->done && !s->aborted) {
		/* Once stopping, the target no longer matters. */
		nfds_t n = s->pidfd >= 0 && !s->stop_sent ? 3 : 2;

		if (poll(p, n, relay_poll_timeout(s)) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "%s: poll: %s\n", taprun_prog,
				strerror(errno));
			s->aborted = true;
			break;
		}
		if (p[1].revents)
			relay_signals(s);
		if (s->aborted)
			break;
		if (p[0].revents && relay_drain(s) < 0)
			s->aborted = true;
		if (s->exit_seen)
			relay_stop(s, "the script called exit()");
		if (s->out_failed)
			relay_stop(s, "output failed");
		relay_check_time_and_target(s, n == 3 && p[2].revents);
	}
	relay_flush(s);
	system_finish(s);
}
