// SPDX-License-Identifier: GPL-2.0
/*
 * module.c - load and unload the session's kernel module.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "taprun.h"

/*
 * The name the kernel gives the module and its proc file: the file's
 * basename without ".ko", with '-' turned into '_' as kbuild does.
 */
int module_name_of(const char *path, char *name, size_t size)
{
	const char *base = strrchr(path, '/');
	size_t len;

	base = base ? base + 1 : path;
	len = strlen(base);
	if (len > 3 && strcmp(base + len - 3, ".ko") == 0)
		len -= 3;
	if (len == 0 || len >= size)
		return -1;
	for (size_t i = 0; i < len; i++)
		name[i] = base[i] == '-' ? '_' : base[i];
	name[len] = '\0';
	return 0;
}

/* What a failed finit_module(2) most likely means. */
static const char *load_error_hint(int err)
{
	switch (err) {
	case EPERM:
		return "not permitted (run as root; module loading may be disabled)";
	case ENOEXEC:
		return "invalid module format (built for another kernel?)";
	case EKEYREJECTED:
	case EBADMSG:
		return "module signature rejected";
	case ENOENT:
		return "unknown symbol in module (see dmesg)";
	case EINVAL:
		return "invalid module or parameters (see dmesg)";
	default:
		return strerror(err);
	}
}

int load_module(const char *path, const char *name, const char *params)
{
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "%s: cannot open %s: %s\n", taprun_prog, path,
			strerror(errno));
		return -1;
	}
	err = syscall(SYS_finit_module, fd, params ? params : "", 0) ?
		errno : 0;
	close(fd);
	if (err == EEXIST) {
		fprintf(stderr,
			"%s: module %s is already loaded: another session runs it, "
			"or it was left behind (unload it with 'rmmod %s')\n",
			taprun_prog, name, name);
		return -1;
	}
	if (err) {
		fprintf(stderr, "%s: cannot load %s: %s\n", taprun_prog, path,
			load_error_hint(err));
		return -1;
	}
	return 0;
}

/*
 * Unload, retrying for a few seconds while the module is in use (some
 * other process holds its proc file open).
 */
int unload_module(const char *name)
{
	const struct timespec pause = { 0, 100 * 1000 * 1000 };

	for (int tries = 0; tries < 50; tries++) {
		if (syscall(SYS_delete_module, name, O_NONBLOCK) == 0)
			return 0;
		if (errno != EAGAIN && errno != EBUSY && errno != EINTR)
			break;
		nanosleep(&pause, NULL);
	}
	fprintf(stderr, "%s: cannot unload module %s: %s (try 'rmmod %s')\n",
		taprun_prog, name, strerror(errno), name);
	return -1;
}
