/*
 * vm_selftest.c - drives compiler/vm/vm.c for tests/vm/run.sh.
 *
 *   vm_selftest release
 *   vm_selftest run [-v] [-n] [-M] [-r REL] [-l LOG] [-s SMP] [-k KMOD]... [-f FILE]...
 *                   [-c CMD] TAPRUN MODULE [ARG...]
 *       prints "vm_run: N" on stderr last and exits N (255 for -1)
 *   vm_selftest batch [-v] [-r REL] TAPRUN OUTDIR NAME=MODULE[,CMD[,ARG...]]...
 *       (ARGs of a job separated by commas) prints "vm_run_batch: N"
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vm/vm.h"

static int usage(void)
{
	fprintf(stderr, "usage: vm_selftest release | run ... | batch ...\n");
	return 2;
}

static char *kmods[64], *files[64];

/* Common options; returns the index of the first operand. */
static int parse_opts(int argc, char **argv, struct vm_opts *o,
		      const char **cmd)
{
	int c, nk = 0, nf = 0;

	optind = 2;
	o->guest_init = TAPC_SRCDIR "/runtime/guest/init.sh";
	o->kmods = kmods;
	o->files = files;
	while ((c = getopt(argc, argv, "+vnMr:l:s:c:k:f:")) != -1) {
		switch (c) {
		case 'v': o->verbose = 1; break;
		case 'n': o->nic = 1; break;
		case 'M': o->all_kmods = 1; break;
		case 'k': if (nk < 63) kmods[nk++] = optarg; break;
		case 'f': if (nf < 63) files[nf++] = optarg; break;
		case 'r': o->release = optarg; break;
		case 'l': o->log_path = optarg; break;
		case 's': o->smp = atoi(optarg); break;
		case 'c': *cmd = optarg; break;
		default: return -1;
		}
	}
	return optind;
}

static int do_run(int argc, char **argv)
{
	struct vm_opts o = { 0 };
	struct vm_job job = { "run", NULL, NULL, NULL };
	const char *cmd = NULL;
	int i = parse_opts(argc, argv, &o, &cmd), rc;

	if (i < 0 || argc - i < 2)
		return usage();
	o.taprun = argv[i];
	job.module = argv[i + 1];
	job.command = cmd;
	job.taprun_args = argv + i + 2;	/* argv is NULL-terminated */
	rc = vm_run(&o, &job);
	fflush(stdout);
	fprintf(stderr, "vm_run: %d\n", rc);
	return rc < 0 ? 255 : rc;
}

/* NAME=MODULE[,CMD[,ARG...]] into job; the string is cut in place. */
static int parse_job(char *spec, struct vm_job *job)
{
	char *eq = strchr(spec, '='), *p, **args;
	int n = 0;

	if (!eq)
		return -1;
	*eq = '\0';
	job->name = spec;
	args = calloc(strlen(eq + 1) + 2, sizeof(char *));
	if (!args)
		return -1;
	job->module = strtok(eq + 1, ",");
	p = strtok(NULL, ",");
	job->command = p && *p != '-' ? p : NULL;
	if (p && !job->command)
		args[n++] = p;
	while ((p = strtok(NULL, ",")))
		args[n++] = p;
	job->taprun_args = args;
	return job->module ? 0 : -1;
}

static int do_batch(int argc, char **argv)
{
	struct vm_opts o = { 0 };
	const char *cmd = NULL;
	struct vm_job *jobs;
	int i = parse_opts(argc, argv, &o, &cmd), n, rc;

	if (i < 0 || argc - i < 3)
		return usage();
	o.taprun = argv[i];
	n = argc - i - 2;
	jobs = calloc((size_t)n, sizeof(*jobs));
	for (int k = 0; k < n; k++)
		if (!jobs || parse_job(argv[i + 2 + k], &jobs[k]) < 0)
			return usage();
	rc = vm_run_batch(&o, jobs, n, argv[i + 1]);
	fprintf(stderr, "vm_run_batch: %d\n", rc);
	return rc < 0 ? 255 : rc;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (strcmp(argv[1], "release") == 0) {
		const char *r = vm_default_release();

		if (!r)
			return 1;
		puts(r);
		return 0;
	}
	if (strcmp(argv[1], "run") == 0)
		return do_run(argc, argv);
	if (strcmp(argv[1], "batch") == 0)
		return do_batch(argc, argv);
	return usage();
}
