// SPDX-License-Identifier: GPL-2.0
/*
 * taprun - run a tapc kernel module: load it, start it, relay its
 * output, stop it on exit(), a signal or the -c command's end, and
 * unload it, whatever happened in between.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

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
		"  -x PID   target process id (the script's target())\n"
		"  -o FILE  write the script's output to FILE instead of stdout\n"
		"  -v       report progress on stderr\n"
		"  -h       this help\n"
		"\n"
		"The session ends when the script calls exit(), on SIGINT, SIGTERM\n"
		"or SIGHUP (a second one skips the end probes' output), or when\n"
		"CMD exits.  Exit status: 0, or 1 if the script reported an error,\n"
		"the output could not be written or the session failed.\n",
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

/* Join the module parameters into one space-separated string. */
static char *join_params(int argc, char **argv)
{
	size_t len = 1;
	char *p;

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	p = calloc(1, len);
	if (!p)
		return NULL;
	for (int i = 0; i < argc; i++) {
		if (i)
			strcat(p, " ");
		strcat(p, argv[i]);
	}
	return p;
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

	while ((c = getopt(argc, argv, "+c:x:o:vh")) != -1) {
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
	o->params = join_params(argc - optind - 1, argv + optind + 1);
	return o->params ? 0 : -1;
}

/*
 * Signals are taken through a signalfd, so they are blocked; the old
 * mask is kept for the -c command.  SIGPIPE is ignored: a closed output
 * pipe must not kill taprun before it unloads the module.
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
	if (relay_signal_pending(s)) {
		verbose(s, "signal before start: not starting");
		return -1;
	}
	if (relay_start(s, target) < 0)
		return -1;
	verbose(s, "started, target pid %d", (int)target);
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
		.child = { .go_fd = -1 },
	};
	sigset_t oldmask;
	int ret;

	ret = parse_options(argc, argv, &opts);
	if (ret)
		return ret > 0 ? 0 : 1;
	if (module_name_of(opts.module_path, s.modname, sizeof(s.modname))) {
		fprintf(stderr, "%s: bad module file name %s\n", taprun_prog,
			opts.module_path);
		return 1;
	}
	if (setup_signals(&s, &oldmask) < 0 || open_output(&s) < 0)
		return 1;
	if (load_module(opts.module_path, s.modname, opts.params) < 0)
		return 1;
	verbose(&s, "loaded %s as %s", opts.module_path, s.modname);

	ret = run_loaded(&s, &oldmask);

	/* From here on, whatever happened: close, unload, reap. */
	relay_close(&s);
	if (unload_module(s.modname) < 0)
		ret = -1;
	else
		verbose(&s, "unloaded %s", s.modname);
	command_finish(&s);
	if (s.out != stdout && fclose(s.out) != 0)
		ret = -1;
	free(opts.params);
	return ret < 0 || s.error_seen || s.out_failed ? 1 : 0;
}
