// SPDX-License-Identifier: GPL-2.0
/*
 * taprun - run a tapc kernel module: load it, start it, relay its
 * output, stop it on exit(), a signal or the -c command's end, and
 * unload it, whatever happened in between.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tapc_proto.h"
#include "taprun.h"

const char *taprun_prog = "taprun";

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s [options] module.ko [param=value ...]\n"
		"Load a tapc module, relay its output, unload it.\n"
		"\n"
		"  -c CMD   run CMD with /bin/sh -c once the probes are in place;\n"
		"           the session ends when it exits; it is the target\n"
		"  -x PID   target process id (the script's target()); the\n"
		"           session ends when it exits\n"
		"  -o FILE  write the script's output to FILE instead of stdout\n"
		"  -T SECS  end the session after SECS seconds\n"
		"  -s MB    output buffer of each CPU, in MiB (or NUMk: KiB)\n"
		"  -b       bulk mode: each CPU's output in its own file,\n"
		"           FILE_cpuN with -o FILE, else tapc_cpuN\n"
		"  -v       report progress on stderr\n"
		"  -h       this help\n"
		"\n"
		"The session ends when the script calls exit(), on SIGINT, SIGTERM\n"
		"or SIGHUP (a second one skips the end probes' output), after -T,\n"
		"or when CMD or PID exits.  Modules that killed sessions left\n"
		"loaded are removed first.  Exit status: 0, or 1 if the script\n"
		"reported an error, the output could not be written or the\n"
		"session failed.\n",
		taprun_prog);
}

void verbose(const struct taprun_session *s, const char *fmt, ...)
{
	va_list ap;

	if (!s->opts->verbose)
		return;
	fflush(s->out);
	fprintf(stderr, "%s: ", taprun_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/*
 * The module parameters: the runtime's own (rt_owner, rt_bufsize for
 * -s), then the given ones, space-separated.
 */
static char *join_params(const struct taprun_opts *o, int argc, char **argv)
{
	char owner[64], own[160];
	size_t len;
	char *p;

	own[0] = '\0';
	if (owner_tag(getpid(), owner, sizeof(owner)) == 0)
		snprintf(own, sizeof(own), "%s=%s", TAPC_PARAM_OWNER, owner);
	if (o->bufsize)
		snprintf(own + strlen(own), sizeof(own) - strlen(own),
			 "%s%s=%lu", own[0] ? " " : "", TAPC_PARAM_BUFSIZE,
			 o->bufsize);
	len = strlen(own) + 1;
	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	p = calloc(1, len);
	if (!p)
		return NULL;
	strcpy(p, own);
	for (int i = 0; i < argc; i++) {
		if (p[0])
			strcat(p, " ");
		strcat(p, argv[i]);
	}
	return p;
}

/* -s: MiB, or KiB with a k suffix; each CPU's buffer, 16 KiB to 1 GiB. */
static int parse_bufsize(const char *arg, unsigned long *bytes)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || end == arg || v == 0)
		return -1;
	if (*end == 'k' || *end == 'K')
		v <<= 10, end++;
	else if (*end == 'm' || *end == 'M' || !*end)
		v = v > 4096 ? 0 : v << 20, end += !!*end;
	if (*end || v < (16UL << 10) || v > (1UL << 30))
		return -1;
	*bytes = v;
	return 0;
}

/* -T: seconds, a decimal fraction allowed. */
static int parse_seconds(const char *arg, double *secs)
{
	char *end;

	errno = 0;
	*secs = strtod(arg, &end);
	return errno || end == arg || *end || !isfinite(*secs) ||
	       *secs <= 0 ? -1 : 0;
}

static int parse_pid(const char *arg, pid_t *pid)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v <= 0 || v > INT_MAX)
		return -1;
	*pid = (pid_t)v;
	return 0;
}

/* Returns 0 to go on, 1 to exit successfully (-h), -1 on a bad usage. */
static int parse_options(int argc, char **argv, struct taprun_opts *o)
{
	int c;

	while ((c = getopt(argc, argv, "+c:x:o:T:s:bvh")) != -1) {
		switch (c) {
		case 'c':
			o->command = optarg;
			break;
		case 'x':
			if (parse_pid(optarg, &o->target) < 0) {
				fprintf(stderr, "%s: bad pid '%s'\n",
					taprun_prog, optarg);
				return -1;
			}
			break;
		case 'o':
			o->outfile = optarg;
			break;
		case 'T':
			if (parse_seconds(optarg, &o->timeout) < 0) {
				fprintf(stderr, "%s: bad -T '%s': seconds > 0\n",
					taprun_prog, optarg);
				return -1;
			}
			break;
		case 's':
			if (parse_bufsize(optarg, &o->bufsize) < 0) {
				fprintf(stderr, "%s: bad -s '%s': MiB (or NUMk) "
					"from 16k to 1024\n", taprun_prog, optarg);
				return -1;
			}
			break;
		case 'b':
			o->bulk = true;
			break;
		case 'v':
			o->verbose++;
			break;
		case 'h':
			usage(stdout);
			return 1;
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return -1;
	}
	if (o->command && o->target) {
		fprintf(stderr, "%s: -c and -x exclude each other\n",
			taprun_prog);
		return -1;
	}
	if (o->target && kill(o->target, 0) < 0 && errno == ESRCH) {
		fprintf(stderr, "%s: no process %d\n", taprun_prog,
			(int)o->target);
		return -1;
	}
	o->module_path = argv[optind];
	o->params = join_params(o, argc - optind - 1, argv + optind + 1);
	return o->params ? 0 : -1;
}

/*
 * Signals are taken through a signalfd, so they are blocked; the old
 * mask is kept for the -c command.  SIGPIPE is ignored: a closed output
 * pipe must not kill taprun before it unloads the module.  A shell
 * starts a background command with SIGINT ignored, and an ignored signal
 * is discarded even while blocked: SIGINT and SIGTERM are taken back
 * (SIGHUP stays ignored under nohup).
 */
static int setup_signals(struct taprun_session *s, sigset_t *old)
{
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &mask, old) < 0)
		return -1;
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
	s->sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (s->sigfd < 0) {
		fprintf(stderr, "%s: signalfd: %s\n", taprun_prog,
			strerror(errno));
		return -1;
	}
	return 0;
}

static int open_output(struct taprun_session *s)
{
	if (s->opts->bulk) {
		s->cpu_out = calloc(TAPRUN_MAXCPUS, sizeof(*s->cpu_out));
		return s->cpu_out ? 0 : -1;
	}
	if (!s->opts->outfile) {
		s->out = stdout;
		return 0;
	}
	s->out = fopen(s->opts->outfile, "we");
	if (!s->out) {
		fprintf(stderr, "%s: cannot open %s: %s\n", taprun_prog,
			s->opts->outfile, strerror(errno));
		s->out = stdout;
		return -1;
	}
	return 0;
}

/*
 * -x: a pidfd turns readable when the process exits.  Without pidfd
 * (Linux before 5.3) relay_run() checks with kill() once a second.
 */
static int watch_target(struct taprun_session *s, pid_t pid)
{
	s->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (s->pidfd >= 0 || errno == ENOSYS)
		return 0;
	fprintf(stderr, "%s: cannot watch process %d: %s\n", taprun_prog,
		(int)pid, strerror(errno));
	return -1;
}

/* Close the output files; -1 if one could not be written. */
static int close_output(struct taprun_session *s)
{
	int ret = 0;

	if (s->out != stdout && fclose(s->out) != 0)
		ret = -1;
	for (int i = 0; s->cpu_out && i < TAPRUN_MAXCPUS; i++)
		if (s->cpu_out[i] && fclose(s->cpu_out[i]) != 0)
			ret = -1;
	free(s->cpu_out);
	return ret;
}

/*
 * The part of a session between load and unload: fork the command,
 * start, relay.  Returns -1 if the session failed.
 */
static int run_loaded(struct taprun_session *s, const sigset_t *oldmask)
{
	const struct taprun_opts *o = s->opts;
	pid_t target = o->target;

	/* Forked before the proc file is opened, so it never holds it. */
	if (o->command) {
		if (command_spawn(&s->child, o->command, oldmask) < 0)
			return -1;
		target = s->child.pid;
	}
	if (relay_open(s) < 0)
		return -1;
	if (o->target && watch_target(s, o->target) < 0)
		return -1;
	if (relay_signal_pending(s)) {
		verbose(s, "signal before start: not starting");
		return -1;
	}
	if (relay_start(s, target) < 0)
		return -1;
	verbose(s, "started, target pid %d", (int)target);
	if (o->timeout > 0)
		s->deadline = monotonic_now() + o->timeout;
	if (command_release(&s->child) < 0)
		return -1;
	relay_run(s);
	return s->aborted ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct taprun_opts opts = { 0 };
	struct taprun_session s = {
		.opts = &opts, .procfd = -1, .sigfd = -1, .out = stdout,
		.pidfd = -1, .child = { .go_fd = -1 },
	};
	sigset_t oldmask;
	int ret;

	ret = parse_options(argc, argv, &opts);
	if (ret)
		return ret > 0 ? 0 : 1;
	if (module_name_of(opts.module_path, s.modname, sizeof(s.modname))) {
		fprintf(stderr, "%s: bad module file name %s\n", taprun_prog,
			opts.module_path);
		free(opts.params);
		return 1;
	}
	if (setup_signals(&s, &oldmask) < 0 || open_output(&s) < 0) {
		free(opts.params);
		return 1;
	}
	remove_stale_modules();
	if (load_module(opts.module_path, s.modname, opts.params) < 0) {
		free(opts.params);
		return 1;
	}
	verbose(&s, "loaded %s as %s", opts.module_path, s.modname);

	ret = run_loaded(&s, &oldmask);

	/* From here on, whatever happened: close, unload, reap. */
	relay_close(&s);
	if (unload_module(s.modname) < 0)
		ret = -1;
	else
		verbose(&s, "unloaded %s", s.modname);
	command_finish(&s);
	if (s.pidfd >= 0)
		close(s.pidfd);
	if (close_output(&s) < 0)
		ret = -1;
	free(opts.params);
	return ret < 0 || s.error_seen || s.out_failed ? 1 : 0;
}
