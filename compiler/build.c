/* build.c - pass 4: run kbuild on the generated C. */
#include "build.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"
#include "progress.h"

const char *build_headers_dir(const char *release)
{
	static char path[512];
	struct stat st;

	snprintf(path, sizeof(path), "/lib/modules/%s/build", release);
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return path;
	diag_fatal(DG_NO_KERNEL_HEADERS,
		   "no kernel headers for %s: %s is missing (install "
		   "linux-headers-%s)", release, path, release);
	return NULL;
}

static int write_kbuild(const struct build_options *o, const char *dir)
{
	struct strbuf b;
	char *path = xasprintf("%s/Kbuild", dir);
	int rc;

	sb_init(&b);
	sb_printf(&b, "obj-m := %s.o\n", o->modname);
	sb_printf(&b, "ccflags-y := -I%s/kernel -I%s\n", o->runtime_dir,
		  o->runtime_dir);
	/*
	 * String temporaries are distinct members of c->frames[c->nesting],
	 * which gcc cannot tell apart: 6.12's kbuild turns on -Wrestrict and
	 * it then warns that sprintf's destination may overlap an argument.
	 */
	sb_printf(&b, "ccflags-y += -Wno-restrict\n");
	for (int i = 0; i < o->defines.n; i++)
		sb_printf(&b, "ccflags-y += -D%s\n", (char *)o->defines.v[i]);
	rc = write_file(path, b.s, b.len);
	sb_free(&b);
	free(path);
	return rc;
}

/* Runs make with its output in log (or on our stderr with -v). */
static int run_make(const struct build_options *o, const char *hdrs,
		    const char *dir, const char *log)
{
	char *mflag = xasprintf("M=%s", dir);
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		if (!o->verbose) {
			int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);

			if (fd >= 0) {
				dup2(fd, 1);
				dup2(fd, 2);
				close(fd);
			}
		} else {
			dup2(2, 1);
		}
		/* No BTF for the module: it needs pahole, and nothing reads it. */
		execlp("make", "make", "-s", "-C", hdrs, mflag,
		       "CONFIG_DEBUG_INFO_BTF_MODULES=", "modules", (char *)NULL);
		_exit(127);
	}
	free(mflag);
	if (pid < 0)
		return -1;
	progress_begin("kbuild %s for %s", o->modname, o->release);
	if (waitpid(pid, &status, 0) < 0)
		status = -1;
	progress_end();
	return status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Warnings from the C compiler are tapc bugs: show them, never hide them. */
static void show_compiler_messages(const char *log, int failed)
{
	char *text, *line, *save;

	if (read_file(log, &text, NULL) < 0)
		return;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (failed || strstr(line, "warning:"))
			fprintf(stderr, "%s\n", line);
	free(text);
}

char *build_module(const struct build_options *o, const char *csrc,
		   char **workdir)
{
	const char *hdrs = build_headers_dir(o->release);
	const char *tmp = getenv("TMPDIR");
	char *dir, *cpath, *log, *ko;
	int rc;

	if (!hdrs)
		return NULL;
	dir = xasprintf("%s/tapcXXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		diag_fatal(DG_BUILD_DIRECTORY,
			   "cannot create a build directory: %s",
			   strerror(errno));
		return NULL;
	}
	*workdir = dir;
	cpath = xasprintf("%s/%s.c", dir, o->modname);
	log = xasprintf("%s/build.log", dir);
	if (write_file(cpath, csrc, strlen(csrc)) < 0 ||
	    write_kbuild(o, dir) < 0) {
		diag_fatal(DG_BUILD_DIRECTORY, "cannot write into %s", dir);
		free(cpath);
		free(log);
		return NULL;
	}
	rc = run_make(o, hdrs, dir, log);
	if (!o->verbose)
		show_compiler_messages(log, rc != 0);
	free(cpath);
	free(log);
	if (rc != 0) {
		diag_fatal(DG_KBUILD_FAILED,
			   "kbuild failed to build the module for %s; a valid "
			   "script that does not build is a tapc bug", o->release);
		return NULL;
	}
	ko = xasprintf("%s/%s.ko", dir, o->modname);
	return ko;
}

static int rm_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	return remove(path);
}

void build_cleanup(const char *workdir)
{
	if (workdir)
		nftw(workdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}
