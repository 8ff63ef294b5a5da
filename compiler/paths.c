/*
 * paths.c - where tapc's own files are, found from /proc/self/exe
 * (paths.h).
 */
#include <limits.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "paths.h"
#include "util.h"

static const char *runtime_override;

const char *paths_exe_dir(void)
{
	static char *dir;
	char self[PATH_MAX];
	ssize_t n;

	if (dir)
		return dir;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return dir = xstrdup(".");
	self[n] = '\0';
	return dir = xstrdup(dirname(self));
}

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *paths_data_dir(void)
{
	static char *dir;
	const char *exe;
	char *probe, *parent;

	if (dir)
		return dir;
	exe = paths_exe_dir();
	probe = xasprintf("%s/tapset", exe);
	if (is_dir(probe)) {
		dir = xstrdup(exe);	/* the build tree */
	} else {		/* PREFIX/bin/tapc: PREFIX/share/tapc */
		parent = xstrdup(exe);
		dir = xasprintf("%s/share/tapc", dirname(parent));
		free(parent);
	}
	free(probe);
	return dir;
}

const char *paths_tapset_dir(void)
{
	static char *dir;

	if (!dir)
		dir = xasprintf("%s/tapset", paths_data_dir());
	return dir;
}

void paths_set_runtime(const char *dir)
{
	runtime_override = dir;
}

const char *paths_runtime_dir(void)
{
	static char *dir;
	const char *env = getenv("TAPC_RUNTIME");

	if (runtime_override)
		return runtime_override;
	if (env && *env)
		return env;
	if (!dir)
		dir = xasprintf("%s/runtime", paths_data_dir());
	return dir;
}
