// SPDX-License-Identifier: GPL-2.0
/*
 * module.c - load and unload the session's kernel module, and remove
 * the modules of sessions that were killed (SIGKILL) before they could
 * unload theirs.
 *
 * taprun loads every module with rt_owner=PID:START (tapc_proto.h): its
 * pid and its start time.  A module whose rt_owner names no running
 * process is an orphan: nobody will ever stop it.  A module without
 * rt_owner was loaded by hand (insmod) and is left alone.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "tapc_proto.h"
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

/* Field 22 of /proc/PID/stat: when the process started.  0, or -1. */
static int process_start(pid_t pid, unsigned long long *start)
{
	char path[64], buf[1024], *p;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* The name, field 2, is in parentheses and may hold anything. */
	p = strrchr(buf, ')');
	if (!p)
		return -1;
	p++;
	for (int field = 3; field < 22; field++) {
		p = strchr(p + 1, ' ');
		if (!p)
			return -1;
	}
	return sscanf(p, " %llu", start) == 1 ? 0 : -1;
}

/* "PID:START" for process pid, what rt_owner holds. */
int owner_tag(pid_t pid, char *buf, size_t size)
{
	unsigned long long start;

	if (process_start(pid, &start) < 0)
		return -1;
	snprintf(buf, size, "%d:%llu", (int)pid, start);
	return 0;
}

/*
 * Who owns loaded module name: 1 a running taprun (its pid in *pid), 0
 * nobody any more (a killed session's), -1 not taprun's to judge (no
 * rt_owner: not loaded by taprun, or not a tapc module).
 */
static int module_owner(const char *name, pid_t *pid)
{
	char path[TAPRUN_MODNAME_MAX + 64], tag[64], now[64];
	unsigned long long start;
	int n, p;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/%s/parameters/%s", name,
		 TAPC_PARAM_OWNER);
	f = fopen(path, "re");
	if (!f)
		return -1;
	n = fgets(tag, sizeof(tag), f) ? (int)strcspn(tag, "\n") : 0;
	fclose(f);
	tag[n] = '\0';
	if (sscanf(tag, "%d:%llu", &p, &start) != 2 || p <= 0)
		return -1;
	*pid = p;
	if (owner_tag(p, now, sizeof(now)) == 0 && strcmp(now, tag) == 0)
		return 1;
	return 0;
}

/*
 * Unload the modules killed sessions left: their probes still fire and
 * nobody reads them.  Unloading runs their end probes; their output is
 * lost with them.  A module some process holds open is only reported.
 */
void remove_stale_modules(void)
{
	char line[512], name[TAPRUN_MODNAME_MAX];
	pid_t owner;
	FILE *f = fopen("/proc/modules", "re");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		size_t n = strcspn(line, " ");

		if (n == 0 || n >= sizeof(name))
			continue;
		memcpy(name, line, n);
		name[n] = '\0';
		if (module_owner(name, &owner) != 0)
			continue;
		if (syscall(SYS_delete_module, name, O_NONBLOCK) == 0) {
			fprintf(stderr, "%s: removed module %s, left loaded by "
				"a session that was killed (taprun pid %d)\n",
				taprun_prog, name, (int)owner);
			continue;
		}
		fprintf(stderr, "%s: module %s was left loaded by a session "
			"that was killed (taprun pid %d) and cannot be removed "
			"now: %s (remove it with 'rmmod %s')\n", taprun_prog,
			name, (int)owner, strerror(errno), name);
	}
	fclose(f);
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
		pid_t owner = 0;

		switch (module_owner(name, &owner)) {
		case 1:
			fprintf(stderr, "%s: module %s is already loaded: the "
				"session of taprun pid %d runs it\n",
				taprun_prog, name, (int)owner);
			break;
		case 0:
			fprintf(stderr, "%s: module %s is still loaded by a "
				"session that was killed (taprun pid %d): remove "
				"it with 'rmmod %s'\n", taprun_prog, name,
				(int)owner, name);
			break;
		default:
			fprintf(stderr, "%s: module %s is already loaded, not by "
				"a taprun session (unload it with 'rmmod %s')\n",
				taprun_prog, name, name);
			break;
		}
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
