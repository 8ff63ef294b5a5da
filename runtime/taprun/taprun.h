/* SPDX-License-Identifier: GPL-2.0 */
/*
 * taprun.h - the user side of a tapc session: load a module, start it,
 * relay its records, stop it, unload it.
 *
 *   main.c     options and the order of a session's steps
 *   module.c   finit_module / delete_module, the module's name, the
 *              modules killed sessions left behind
 *   command.c  the -c command: fork, release after start, reap
 *   relay.c    the proc file: commands, records, signals, -x, -T
 */
#ifndef TAPRUN_H
#define TAPRUN_H

#include <stdbool.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <sys/types.h>

#define TAPRUN_MODNAME_MAX 64

struct taprun_opts {
	const char *module_path;
	char *params;		/* module parameters, "a=1 b=2" */
	const char *command;	/* -c */
	pid_t target;		/* -x, or the -c command's pid */
	const char *outfile;	/* -o; with -b the stem of the files */
	int verbose;		/* -v */
	unsigned long bufsize;	/* -s, in bytes; 0: the module's default */
	bool bulk;		/* -b: one output file per CPU */
	double timeout;		/* -T, in seconds; 0: none */
};

#define TAPRUN_MAXCPUS 4096

/* The -c command. */
struct taprun_child {
	pid_t pid;		/* 0: none */
	int go_fd;		/* write end of the pipe it waits on, or -1 */
	bool released;		/* told to exec */
	bool exited;		/* reaped */
};

struct taprun_session {
	const struct taprun_opts *opts;
	char modname[TAPRUN_MODNAME_MAX];
	int procfd;
	int sigfd;		/* signalfd for SIGINT/TERM/HUP/CHLD */
	FILE *out;
	FILE **cpu_out;		/* -b: per CPU, opened when first needed */
	int pidfd;		/* -x: readable when the target exits, or -1 */
	double deadline;	/* -T: CLOCK_MONOTONIC seconds, or 0 */
	struct taprun_child child;
	char *buf;		/* read buffer */
	size_t bufsize;
	bool stop_sent;
	bool exit_seen;		/* an EXIT record came */
	bool done;		/* DONE or end of file came */
	bool aborted;		/* a second signal, or a fatal error */
	bool error_seen;	/* an ERROR record came */
	bool out_failed;	/* writing the output failed */
};

extern const char *taprun_prog;

/* main.c */
void verbose(const struct taprun_session *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* module.c */
int module_name_of(const char *path, char *name, size_t size);
int owner_tag(pid_t pid, char *buf, size_t size);
void remove_stale_modules(void);
int load_module(const char *path, const char *name, const char *params);
int unload_module(const char *name);

/* command.c */
int command_spawn(struct taprun_child *child, const char *cmd,
		  const sigset_t *mask);
int command_release(struct taprun_child *child);
bool command_reap(struct taprun_child *child, int *status);
void command_finish(struct taprun_session *s);

/* system.c */
void system_run(struct taprun_session *s, const char *data, size_t len);
void system_reap(void);
void system_finish(struct taprun_session *s);

/* switch.c */
void switch_output(struct taprun_session *s);

/* relay.c */
int relay_open(struct taprun_session *s);
bool relay_signal_pending(struct taprun_session *s);
int relay_start(struct taprun_session *s, pid_t target);
void relay_run(struct taprun_session *s);
void relay_close(struct taprun_session *s);
double monotonic_now(void);

#endif /* TAPRUN_H */
