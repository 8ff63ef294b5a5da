/* parse.c - the parse benchmark: pass 1 over many scripts, in one
 * process, as tapc does it (lex, preprocess with the library macros,
 * parse), resetting the AST's arena after each script.  bench/parse.sh feeds it every script Debian's
 * SystemTap packages ship.
 *
 *   parsebench [-n ROUNDS] -r RELEASE -I TAPSET_DIR JOBS
 *
 * JOBS holds one line a script: PATH<TAB>DIR<TAB>tapc arguments
 * (tests/realworld/run.sh --list): -g, -I DIR, the script, its $1 ...
 * Prints the files, bytes, and the time of the fastest and the median
 * round; the library macros are read once, before the first round, as
 * tapc reads them once per run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

struct job {
	struct source *src;
	int guru;
	int argc;
	char **argv;
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* PATH \t DIR \t args...: the options and arguments after the script's
 * name; the script is read from PATH. */
static int read_job(char *line, struct job *j)
{
	char *f[64];
	int n = 0, i = 2;
	char *save, *w;

	for (w = strtok_r(line, "\t\n", &save); w && n < 64;
	     w = strtok_r(NULL, "\t\n", &save))
		f[n++] = w;
	if (n < 3)
		return -1;
	memset(j, 0, sizeof(*j));
	while (i < n && f[i][0] == '-') {
		if (!strcmp(f[i], "-g"))
			j->guru = 1;
		i += strcmp(f[i], "-I") ? 1 : 2;
	}
	j->src = source_load(f[0], 0);
	if (!j->src)
		return -1;
	i++;			/* the script's name */
	j->argc = n > i ? n - i : 0;
	j->argv = xcalloc((size_t)j->argc + 1, sizeof(char *));
	for (int k = 0; k < j->argc; k++)
		j->argv[k] = xstrdup(f[i + k]);
	return 0;
}

int main(int argc, char **argv)
{
	struct parse_config pc = { .arch = "x86_64" };
	struct job *jobs = NULL;
	int njobs = 0, rounds = 5, failed = 0;
	long bytes = 0;
	double *times;
	char line[8192];
	FILE *f;
	int opt_end = 1;

	while (opt_end + 1 < argc && argv[opt_end][0] == '-') {
		const char *o = argv[opt_end], *v = argv[opt_end + 1];

		if (!strcmp(o, "-n"))
			rounds = atoi(v);
		else if (!strcmp(o, "-r"))
			pc.release = v;
		else if (!strcmp(o, "-I"))
			vec_push(&pc.macro_dirs, (void *)v);
		opt_end += 2;
	}
	if (opt_end >= argc || !pc.release || rounds < 1) {
		fprintf(stderr, "usage: parsebench [-n ROUNDS] -r RELEASE "
			"-I TAPSET_DIR JOBS\n");
		return 2;
	}
	f = fopen(argv[opt_end], "r");
	if (!f) {
		perror(argv[opt_end]);
		return 2;
	}
	while (fgets(line, sizeof(line), f)) {
		jobs = xrealloc(jobs, (size_t)(njobs + 1) * sizeof(*jobs));
		if (read_job(line, &jobs[njobs]) == 0) {
			bytes += (long)strlen(jobs[njobs].src->text);
			njobs++;
		}
	}
	fclose(f);
	times = xcalloc((size_t)rounds, sizeof(*times));
	ast_arena_reset();
	for (int r = 0; r < rounds; r++) {
		double t = now_ms();

		for (int i = 0; i < njobs; i++) {
			struct file_ast *ast;

			pc.guru = jobs[i].guru;
			pc.argc = jobs[i].argc;
			pc.argv = jobs[i].argv;
			parse_configure(&pc);
			ast = parse_source(jobs[i].src);
			if (!ast && r == 0)
				failed++;
			ast_arena_reset();
		}
		times[r] = now_ms() - t;
	}
	qsort(times, (size_t)rounds, sizeof(*times), cmp_double);
	printf("parse: %d files, %ld bytes, %d did not parse; "
	       "fastest %.1f ms, median %.1f ms of %d rounds (%.1f MB/s)\n",
	       njobs, bytes, failed, times[0], times[rounds / 2], rounds,
	       bytes / 1e3 / times[rounds / 2]);
	return failed ? 1 : 0;
}
