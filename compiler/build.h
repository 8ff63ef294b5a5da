/* build.h - pass 4: the generated C as a kernel module, built by kbuild. */
#ifndef TAPC_BUILD_H
#define TAPC_BUILD_H

#include "util.h"

struct build_options {
	const char *release;		/* kernel whose headers to build against */
	const char *modname;		/* module name, also the .c file's stem */
	const char *runtime_dir;	/* runtime/ of this tapc */
	struct vec defines;		/* -D NAME[=VALUE], of char * */
	int verbose;			/* show kbuild's output */
};

/* The headers directory of a release, or NULL (with a message) if absent. */
const char *build_headers_dir(const char *release);

/* Builds the C source in a new directory under the temporary directory;
 * returns the .ko's path (in *workdir) or NULL after printing why. */
char *build_module(const struct build_options *o, const char *csrc,
		   char **workdir);

/* Removes a work directory and what is in it. */
void build_cleanup(const char *workdir);

#endif
