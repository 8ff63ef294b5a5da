/* points_list.c - tapc -l PATTERN: the concrete probe points a probe
 * point pattern resolves to, sorted, one a line, as stap -l prints them.
 * The pattern is parsed as the point of an empty probe, so braces and
 * several comma-separated points work as in a script. */
#include "points.h"
#include "elab.h"
#include "parse.h"
#include "points_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int points_list(const char *pattern, const struct elab_options *opt)
{
	/* Kept until exit, as main keeps a script's program: reachable,
	 * not freed tree by tree (docs/sanitizers.md). */
	static struct source *src;
	static struct file_ast *ast;
	static struct program prog;
	char *text = xasprintf("probe %s { }\n", pattern);
	struct probe *p;
	struct concrete_point *cp;
	int printed = 0;

	src = source_from_string("<-l>", text);
	ast = parse_source(src);
	free(text);
	if (!ast)
		return -1;
	VEC_EACH(&ast->probes, i, p) {
		struct probe_point *pp;

		/* A listing shows what matches: no "no match" errors. */
		VEC_EACH(&p->points, j, pp) {
			pp->optional = 1;
			points_resolve(&prog, p, pp, opt);
		}
	}
	if (prog.points.n)
		qsort(prog.points.v, (size_t)prog.points.n, sizeof(void *),
		      cmp_text);
	VEC_EACH(&prog.points, i, cp) {
		const struct concrete_point *prev = i ? prog.points.v[i - 1]
						      : NULL;

		if (prev && !strcmp(prev->text, cp->text))
			continue;
		printf("%s", cp->text);
		if (opt->list_vars && cp->kind == PP_TRACE)
			pt_trace_list_vars(opt->release, cp);
		putchar('\n');
		printed++;
	}
	return printed;
}
