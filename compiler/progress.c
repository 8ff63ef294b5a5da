/*
 * progress.c - the status line of long steps (progress.h): a thread
 * that waits a second, then redraws the line five times a second until
 * the step ends.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

#define PROGRESS_DELAY_MS 1000	/* steps shorter than this show nothing */
#define PROGRESS_REDRAW_MS 200

static struct {
	int enabled;
	int running;		/* a step is going on: the thread exists */
	int done;		/* the step ended: the thread must go */
	int shown;		/* the line is on the terminal */
	int pct;		/* -1: no percentage */
	char label[160];
	char line[200];		/* what the terminal shows */
	struct timespec t0;	/* when the step began */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
} pg = { .lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER };

void progress_enable(int on)
{
	pg.enabled = on && isatty(STDERR_FILENO);
}

static struct timespec deadline_in(int ms)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (long)(ms % 1000) * 1000000;
	if (t.tv_nsec >= 1000000000) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000;
	}
	return t;
}

/* The status: the percentage if the step gives one, else the seconds
 * it has taken; redrawn only when it changes.  Lock held. */
static void draw(void)
{
	char line[sizeof(pg.line)];
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (pg.pct >= 0)
		snprintf(line, sizeof(line), "%s ... %d%%", pg.label, pg.pct);
	else
		snprintf(line, sizeof(line), "%s ... %lds", pg.label,
			 (long)(now.tv_sec - pg.t0.tv_sec));
	if (pg.shown && !strcmp(line, pg.line))
		return;
	strcpy(pg.line, line);
	fprintf(stderr, "\r\033[K%s", line);
	fflush(stderr);
	pg.shown = 1;
}

/* The wait before the line shows: TAPC_PROGRESS_DELAY_MS if set (the
 * terminal tests set 0, so that a step shorter than a second on a fast
 * machine still shows its line), else PROGRESS_DELAY_MS. */
static int progress_delay_ms(void)
{
	const char *env = getenv("TAPC_PROGRESS_DELAY_MS");
	char *end;
	long ms;

	if (!env || !*env)
		return PROGRESS_DELAY_MS;
	ms = strtol(env, &end, 10);
	return *end || ms < 0 || ms > 60000 ? PROGRESS_DELAY_MS : (int)ms;
}

static void *progress_thread(void *arg)
{
	struct timespec until = deadline_in(progress_delay_ms());

	(void)arg;
	pthread_mutex_lock(&pg.lock);
	while (!pg.done) {
		if (pthread_cond_timedwait(&pg.wake, &pg.lock, &until) == 0)
			continue;	/* woken: the step ended, or spurious */
		draw();
		until = deadline_in(PROGRESS_REDRAW_MS);
	}
	if (pg.shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		pg.shown = 0;
	}
	pthread_mutex_unlock(&pg.lock);
	return NULL;
}

void progress_begin(const char *fmt, ...)
{
	va_list ap;

	if (!pg.enabled)
		return;
	progress_end();
	va_start(ap, fmt);
	vsnprintf(pg.label, sizeof(pg.label), fmt, ap);
	va_end(ap);
	pg.pct = -1;
	pg.done = 0;
	clock_gettime(CLOCK_MONOTONIC, &pg.t0);
	if (pthread_create(&pg.thread, NULL, progress_thread, NULL) == 0)
		pg.running = 1;
}

void progress_percent(int pct)
{
	if (!pg.running)
		return;
	pthread_mutex_lock(&pg.lock);
	pg.pct = pct < 0 ? 0 : pct > 100 ? 100 : pct;
	pthread_mutex_unlock(&pg.lock);
}

void progress_end(void)
{
	if (!pg.running)
		return;
	pthread_mutex_lock(&pg.lock);
	pg.done = 1;
	pthread_cond_signal(&pg.wake);
	pthread_mutex_unlock(&pg.lock);
	pthread_join(pg.thread, NULL);
	pg.running = 0;
}
