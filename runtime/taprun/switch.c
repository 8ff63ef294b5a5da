// SPDX-License-Identifier: GPL-2.0
/*
 * switch.c - switch_file(): start the next output file.
 *
 * With -o FILE the output goes to FILE until the script's first
 * switch_file(), then to FILE.1, FILE.2, ...: each TAPC_REC_SWITCH
 * record closes the current file and opens the next, so what came
 * before the call is in the earlier file.  Without -o (standard output)
 * and with -b (a file per CPU) there is no file to switch: the record
 * is ignored.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "taprun.h"

static unsigned int switch_count;	/* files switched to so far */

void switch_output(struct taprun_session *s)
{
	const char *stem = s->opts->outfile;
	char path[4096];
	FILE *next;

	if (!stem || s->opts->bulk || s->out == stdout)
		return;
	snprintf(path, sizeof(path), "%s.%u", stem, switch_count + 1);
	next = fopen(path, "we");
	if (!next) {
		fprintf(stderr, "%s: switch_file(): cannot open %s: %s\n",
			taprun_prog, path, strerror(errno));
		return;		/* keep writing the current file */
	}
	if (fclose(s->out) != 0)
		fprintf(stderr, "%s: cannot write the output: %s\n",
			taprun_prog, strerror(errno));
	s->out = next;
	switch_count++;
	verbose(s, "switch_file(): output now in %s", path);
}
