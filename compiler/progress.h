/*
 * progress.h - a one-line status on a terminal for the long steps (the
 * first DWARF index of a kernel, kbuild, a guest's boot).
 *
 * A step that ends within a second shows nothing.  One that lasts longer
 * shows "LABEL ..." (with a percentage once the step gives one) on
 * stderr, redrawn in place, and erases it when it ends, before anything
 * else is written.  Only when stderr is a terminal and the status is on
 * (progress_enable; tapc turns it off with -v, whose messages would mix
 * with it), so pipes and tests see exactly what they would without it.
 */
#ifndef TAPC_PROGRESS_H
#define TAPC_PROGRESS_H

void progress_enable(int on);

/* Start a step; a step still running is ended first. */
void progress_begin(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* How far the step is, 0 to 100. */
void progress_percent(int pct);

/* End the step: its status line, if shown, is erased. */
void progress_end(void);

#endif /* TAPC_PROGRESS_H */
