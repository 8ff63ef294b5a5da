/*
 * vm_initramfs.c - the guest's initramfs, written as a newc cpio archive
 * straight into an anonymous memory file (nothing on disk to clean up).
 *
 * Layout in the guest:
 *   /init                 runtime/guest/init.sh
 *   /bin/busybox, /bin/sh busybox-static; init runs busybox --install -s
 *   /bin/taprun           taprun, its libraries at the paths ldd gives
 *   /tapc/config          shell variables for init (nonce, jobs, cwd)
 *   /tapc/kmods           the kernel modules to load, in order: those of
 *                         the channels, of the NIC, of the modules' disk
 *                         (all_kmods: mounted on /lib/modules/R) and the
 *                         asked ones,
 *                         at /lib/modules/R/... decompressed, with a
 *                         modules.dep of their own for modprobe
 *   /tapc/job/K           job K: its name and taprun's argv (shell), or
 *                         sh -c COMMAND's for a job without a module
 *   /tapc/mod/K/x.ko      job K's module
 *   the -c command's binaries (those busybox does not provide), the asked
 *   files, and their libraries, at their host paths; the host's working
 *   directory (empty), so "./prog" still works.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vm_int.h"


#define VM_GUEST_TAPRUN "/bin/taprun"

struct vm_cpio {
	FILE *f;
	unsigned ino;
	struct vm_strv names;   /* entries written, without the leading / */
	struct vm_strv libdirs; /* directories libraries went to */
	struct vm_strv applets; /* busybox's, read when first needed */
	int applets_read;
	size_t bytes;
	int err;
};

/* ---- newc writer ---- */

static void vm_cpio_pad(struct vm_cpio *c)
{
	static const char zero[4];
	size_t pad = (4 - c->bytes % 4) % 4;

	if (pad && fwrite(zero, 1, pad, c->f) != pad)
		c->err = 1;
	c->bytes += pad;
}

static void vm_cpio_put(struct vm_cpio *c, const void *p, size_t n)
{
	if (n && fwrite(p, 1, n, c->f) != n)
		c->err = 1;
	c->bytes += n;
}

static void vm_cpio_header(struct vm_cpio *c, const char *name, unsigned mode,
			   size_t size, unsigned rmajor, unsigned rminor)
{
	char hdr[111];
	size_t namesize = strlen(name) + 1;

	/* newc: 13 fields of 8 hex digits; every value here fits 32 bits */
	snprintf(hdr, sizeof(hdr),
		 "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 ++c->ino, mode, 0u, 0u, S_ISDIR(mode) ? 2u : 1u, 0u,
		 (unsigned)size, 0u, 0u, rmajor, rminor, (unsigned)namesize, 0u);
	vm_cpio_put(c, hdr, 110);
	vm_cpio_put(c, name, namesize);
	vm_cpio_pad(c);
}

static int vm_cpio_seen(struct vm_cpio *c, const char *name)
{
	if (vm_strv_has(&c->names, name))
		return 1;
	if (vm_strv_add(&c->names, name) < 0)
		c->err = 1;
	return 0;
}

/* Every directory above name, each once, parents first. */
static void vm_cpio_parents(struct vm_cpio *c, const char *name)
{
	char dir[1024];

	for (const char *s = strchr(name, '/'); s; s = strchr(s + 1, '/')) {
		size_t n = (size_t)(s - name);

		if (n == 0 || n >= sizeof(dir))
			continue;
		memcpy(dir, name, n);
		dir[n] = '\0';
		if (!vm_cpio_seen(c, dir))
			vm_cpio_header(c, dir, S_IFDIR | 0755, 0, 0, 0);
	}
}

/* One entry; a path already in the archive is kept as it is. */
static void vm_cpio_entry(struct vm_cpio *c, const char *path, unsigned mode,
			  const void *data, size_t len)
{
	while (*path == '/')
		path++;
	vm_cpio_parents(c, path);
	if (vm_cpio_seen(c, path))
		return;
	vm_cpio_header(c, path, mode, len, 0, 0);
	vm_cpio_put(c, data, len);
	vm_cpio_pad(c);
}

static void vm_cpio_dir(struct vm_cpio *c, const char *path)
{
	vm_cpio_entry(c, path, S_IFDIR | 0755, NULL, 0);
}

static void vm_cpio_text(struct vm_cpio *c, const char *path, unsigned perm,
			 const char *text)
{
	vm_cpio_entry(c, path, S_IFREG | perm, text, strlen(text));
}

static void vm_cpio_symlink(struct vm_cpio *c, const char *path,
			    const char *target)
{
	vm_cpio_entry(c, path, S_IFLNK | 0777, target, strlen(target));
}

static void vm_cpio_chardev(struct vm_cpio *c, const char *path,
			    unsigned major, unsigned minor)
{
	while (*path == '/')
		path++;
	vm_cpio_parents(c, path);
	if (!vm_cpio_seen(c, path))
		vm_cpio_header(c, path, S_IFCHR | 0600, 0, major, minor);
}

/*
 * A host file, its content followed through symlinks, at guest path; perm
 * 0 keeps the host's exec bits.
 */
static int vm_cpio_host_perm(struct vm_cpio *c, const char *guest,
			     const char *host, unsigned perm)
{
	struct vm_buf b = { 0 };
	struct stat st;

	if (stat(host, &st) < 0 || vm_read_file(host, &b) < 0) {
		vm_msg("cannot read %s: %s", host, strerror(errno));
		return -1;
	}
	if (!perm)
		perm = (st.st_mode & 0111) ? 0755 : 0644;
	vm_cpio_entry(c, guest, S_IFREG | perm, b.p, b.len);
	vm_buf_free(&b);
	return 0;
}

static int vm_cpio_host(struct vm_cpio *c, const char *guest, const char *host)
{
	return vm_cpio_host_perm(c, guest, host, 0);
}

static void vm_cpio_trailer(struct vm_cpio *c)
{
	vm_cpio_header(c, "TRAILER!!!", 0, 0, 0, 0);
}

/* ---- programs and their libraries ---- */

/* The library path of one line of ldd output, or NULL. */
static char *vm_ldd_path(char *line)
{
	char *p = strstr(line, "=> ");
	char *end;

	p = p ? p + 3 : line + strspn(line, " \t");
	if (*p != '/')
		return NULL;
	end = strstr(p, " (");
	if (end)
		*end = '\0';
	return p;
}

static void vm_note_libdir(struct vm_cpio *c, const char *lib)
{
	char dir[1024];
	const char *slash = strrchr(lib, '/');
	size_t n = slash ? (size_t)(slash - lib) : 0;

	if (n == 0 || n >= sizeof(dir))
		return;
	memcpy(dir, lib, n);
	dir[n] = '\0';
	if (!vm_strv_has(&c->libdirs, dir) && vm_strv_add(&c->libdirs, dir) < 0)
		c->err = 1;
}

/* The shared libraries ldd lists for host binary path. */
static int vm_add_libs(struct vm_cpio *c, const char *path)
{
	char *argv[] = { "ldd", (char *)path, NULL };
	struct vm_buf out = { 0 };
	char *line, *save = NULL;
	int ret = 0;

	/* a static binary or a script: ldd fails, there is nothing to add */
	if (vm_capture(argv, &out, 1) != 0 || !out.p) {
		vm_buf_free(&out);
		return 0;
	}
	for (line = strtok_r(out.p, "\n", &save); line && ret == 0;
	     line = strtok_r(NULL, "\n", &save)) {
		char *lib;

		if (strstr(line, "not found")) {
			vm_msg("%s: %s", path, line + strspn(line, " \t"));
			continue;
		}
		lib = vm_ldd_path(line);
		if (!lib)
			continue;
		vm_note_libdir(c, lib);
		ret = vm_cpio_host(c, lib, lib);
	}
	vm_buf_free(&out);
	return ret;
}

/*
 * The "#!" interpreter of a script in interp and its first argument in
 * arg (for "#!/usr/bin/env prog"); 0 if it has none.
 */
static int vm_script_interp(const char *path, char *interp, char *arg,
			    size_t size)
{
	char head[256], *p;
	FILE *f = fopen(path, "re");
	size_t n;

	if (!f)
		return 0;
	n = fread(head, 1, sizeof(head) - 1, f);
	fclose(f);
	head[n] = '\0';
	if (n < 3 || head[0] != '#' || head[1] != '!')
		return 0;
	p = head + 2 + strspn(head + 2, " \t");
	n = strcspn(p, " \t\n");
	snprintf(interp, size, "%.*s", (int)n, p);
	p += n + strspn(p + n, " \t");
	snprintf(arg, size, "%.*s", (int)strcspn(p, " \t\n"), p);
	return interp[0] == '/';
}

static int vm_which(const char *word, char *out, size_t size);

/* A program at guest path, with its libraries or its script interpreter. */
static int vm_add_program(struct vm_cpio *c, const char *guest,
			  const char *host)
{
	char interp[256], arg[256], path[4096];
	size_t il;

	if (vm_strv_has(&c->names, guest + strspn(guest, "/")))
		return 0;	/* there with what it needs already */
	if (vm_cpio_host(c, guest, host) < 0)
		return -1;
	if (!vm_script_interp(host, interp, arg, sizeof(interp)))
		return vm_add_libs(c, host);
	if (strcmp(interp, "/bin/sh") == 0 || access(interp, X_OK) < 0)
		return 0;	/* busybox is /bin/sh */
	if (vm_add_program(c, interp, interp) < 0)
		return -1;
	il = strlen(interp);
	if (il >= 4 && strcmp(interp + il - 4, "/env") == 0 && arg[0] &&
	    arg[0] != '-' && vm_which(arg, path, sizeof(path)) == 0)
		return vm_add_program(c, path, path);
	return 0;
}

/* ---- the -c command ---- */

/* Whether w is a plain word, not shell syntax we cannot resolve. */
static int vm_plain_word(const char *w)
{
	return w[0] && !strpbrk(w, "=;&|<>()$`\\\"'*?[]{}~!#");
}

/* Find word in PATH; the full path in out.  0 if found. */
static int vm_which(const char *word, char *out, size_t size)
{
	const char *path = getenv("PATH");
	char *copy, *dir, *save = NULL;
	int found = -1;
	struct stat st;

	copy = strdup(path ? path : "/usr/local/bin:/usr/bin:/bin");
	if (!copy)
		return -1;
	for (dir = strtok_r(copy, ":", &save); dir && found < 0;
	     dir = strtok_r(NULL, ":", &save)) {
		if (*dir != '/')
			continue;	/* a relative PATH entry means nothing in the guest */
		snprintf(out, size, "%s/%s", dir, word);
		if (stat(out, &st) == 0 && S_ISREG(st.st_mode) &&
		    access(out, X_OK) == 0)
			found = 0;
	}
	free(copy);
	return found;
}

/* A command word with a slash: its absolute path, directory resolved. */
static int vm_abs_command(const char *word, char *out, size_t size)
{
	char dir[4096], *real, *slash;
	struct stat st;

	snprintf(dir, sizeof(dir), "%s", word);
	slash = strrchr(dir, '/');
	*slash = '\0';
	real = realpath(dir[0] ? dir : "/", NULL);
	if (!real)
		return -1;
	snprintf(out, size, "%s/%s", strcmp(real, "/") ? real : "", slash + 1);
	free(real);
	if (stat(out, &st) < 0 || !S_ISREG(st.st_mode))
		return -1;
	return 0;
}

/* Add the host binary word names, if it names one. */
static int vm_add_command_word(struct vm_cpio *c, const char *word)
{
	char path[4096];

	if (!vm_plain_word(word))
		return 0;
	if (strchr(word, '/') ? vm_abs_command(word, path, sizeof(path))
			      : vm_which(word, path, sizeof(path)))
		return 0;
	return vm_add_program(c, path, path);
}

/* Words that come before a command rather than name one. */
static int vm_shell_keyword(const char *w)
{
	static const char *const kw[] = {
		"if", "then", "else", "elif", "do", "while", "until", "!", "{",
		"exec", "command", "time", NULL
	};

	for (const char *const *k = kw; *k; k++)
		if (strcmp(w, *k) == 0)
			return 1;
	return strchr(w, '=') != NULL;	/* VAR=value before the command */
}

/* Commands busybox sh runs itself, whatever is in PATH. */
static int vm_shell_builtin(const char *w)
{
	static const char *const bi[] = {
		"echo", "printf", "test", "[", "cd", "kill", "read", "exit",
		"true", "false", "pwd", "set", "export", "trap", "wait",
		"eval", ":", ".", "shift", "ulimit", "umask", "type", NULL
	};

	for (const char *const *b = bi; *b; b++)
		if (strcmp(w, *b) == 0)
			return 1;
	return 0;
}

/* Whether the guest's busybox has word as an applet. */
static int vm_busybox_applet(struct vm_cpio *c, const char *word)
{
	if (!c->applets_read) {
		char *argv[] = { "/bin/busybox", "--list", NULL };
		struct vm_buf out = { 0 };
		char *line, *save = NULL;

		c->applets_read = 1;
		if (vm_capture(argv, &out, 1) == 0 && out.p)
			for (line = strtok_r(out.p, "\n", &save); line;
			     line = strtok_r(NULL, "\n", &save))
				vm_strv_add(&c->applets, line);
		vm_buf_free(&out);
	}
	return vm_strv_has(&c->applets, word);
}

/*
 * The binaries the command names on the host, with what they need: the
 * first word of each simple command (split at ; & | ( ) and newlines).
 * Debian's busybox sh runs its own applet for a name it has, whatever is
 * in PATH, so those words are left to the guest, like builtins and words
 * that name nothing here; a path (/usr/bin/cat, ./prog) is always taken.
 * Quoting is not parsed: a quoted word is skipped.
 */
static int vm_add_command(struct vm_cpio *c, const char *command)
{
	const char *p = command;

	while (*p) {
		size_t seg = strcspn(p, ";&|()\n");
		const char *end = p + seg;

		while (p < end) {
			char word[1024];
			size_t n;

			p += strspn(p, " \t");
			n = strcspn(p, " \t;&|()\n");
			if (n == 0 || n >= sizeof(word))
				break;
			memcpy(word, p, n);
			word[n] = '\0';
			p += n;
			if (vm_shell_keyword(word))
				continue;
			if (!vm_shell_builtin(word) &&
			    (strchr(word, '/') || !vm_busybox_applet(c, word)) &&
			    vm_add_command_word(c, word) < 0)
				return -1;
			break;
		}
		p = *end ? end + 1 : end;
	}
	return 0;
}

/* ---- kernel modules ---- */

/* A module file, decompressed on the host when it needs it. */
static int vm_add_kmod(struct vm_cpio *c, const char *guest, const char *host)
{
	static const char *const tools[][2] = {
		{ ".ko.xz", "xz" }, { ".ko.gz", "gzip" }, { ".ko.zst", "zstd" },
	};
	size_t len = strlen(host);

	for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]); i++) {
		size_t sl = strlen(tools[i][0]);
		char *argv[] = { (char *)tools[i][1], "-dc", (char *)host, NULL };
		struct vm_buf b = { 0 };

		if (len < sl || strcmp(host + len - sl, tools[i][0]))
			continue;
		if (vm_capture(argv, &b, 0) != 0) {
			vm_msg("cannot decompress %s with %s", host, tools[i][1]);
			vm_buf_free(&b);
			return -1;
		}
		vm_cpio_entry(c, guest, S_IFREG | 0644, b.p, b.len);
		vm_buf_free(&b);
		return 0;
	}
	return vm_cpio_host(c, guest, host);
}

/* A modules.dep path without its compression suffix: the guest's name. */
static void vm_kmod_guest_rel(const char *rel, char *out, size_t size)
{
	const char *ko = strstr(rel, ".ko");
	size_t n = ko ? (size_t)(ko - rel) + 3 : strlen(rel);

	snprintf(out, size, "%.*s", (int)n, rel);
}

/* The modules.dep line of the guest for module i. */
static void vm_kmod_dep_line(struct vm_buf *b, const struct vm_strv *rel,
			     const struct vm_strv *deps, size_t i)
{
	char name[1024], tmp[4096], *dep, *save = NULL;

	vm_kmod_guest_rel(rel->v[i], name, sizeof(name));
	vm_buf_addstr(b, name);
	vm_buf_addstr(b, ":");
	snprintf(tmp, sizeof(tmp), "%s", deps->v[i]);
	for (dep = strtok_r(tmp, " \t", &save); dep;
	     dep = strtok_r(NULL, " \t", &save)) {
		vm_kmod_guest_rel(dep, name, sizeof(name));
		vm_buf_addstr(b, " ");
		vm_buf_addstr(b, name);
	}
	vm_buf_addstr(b, "\n");
}

/* The names of the modules to load: the channels', the NIC's, the asked. */
static const char **vm_kmod_names(const struct vm_opts *o)
{
	size_t n = 0, k = 0;
	const char **names;

	for (char *const *m = o->kmods; m && *m; m++)
		n++;
	names = calloc(n + 5, sizeof(*names));
	if (!names)
		return NULL;
	names[k++] = "virtio_pci";
	names[k++] = "virtio_console";
	if (o->nic)
		names[k++] = "virtio_net";
	if (o->all_kmods)
		names[k++] = "virtio_blk";	/* the modules' disk */
	for (char *const *m = o->kmods; m && *m; m++)
		names[k++] = *m;
	return names;
}

static int vm_add_kmods(struct vm_cpio *c, const struct vm_guest *g)
{
	struct vm_strv rel = { 0 }, deps = { 0 };
	struct vm_buf list = { 0 }, dep = { 0 };
	char host[4096], guest[4096], name[1024];
	const char **names = vm_kmod_names(g->o);
	int ret = names ? vm_kmods_resolve(g->release, names, &rel, &deps) : -1;

	for (size_t i = 0; ret == 0 && i < rel.n; i++) {
		vm_kmod_path(g->release, rel.v[i], host, sizeof(host));
		vm_kmod_guest_rel(rel.v[i], name, sizeof(name));
		snprintf(guest, sizeof(guest), "/lib/modules/%s/%s", g->release,
			 name);
		ret = vm_add_kmod(c, guest, host);
		vm_buf_addstr(&list, guest);
		vm_buf_addstr(&list, "\n");
		vm_kmod_dep_line(&dep, &rel, &deps, i);
	}
	if (ret == 0) {
		snprintf(guest, sizeof(guest), "/lib/modules/%s/modules.dep",
			 g->release);
		vm_cpio_text(c, guest, 0644, dep.p ? dep.p : "");
		vm_cpio_text(c, "/tapc/kmods", 0644, list.p ? list.p : "");
	}
	free(names);
	vm_strv_free(&rel);
	vm_strv_free(&deps);
	vm_buf_free(&list);
	vm_buf_free(&dep);
	return ret;
}

/* The asked host files, at the same absolute paths. */
static int vm_add_files(struct vm_cpio *c, const struct vm_opts *o)
{
	for (char *const *f = o->files; f && *f; f++) {
		char *real = realpath(*f, NULL);
		struct stat st;
		int ret;

		if (!real || stat(real, &st) < 0 || !S_ISREG(st.st_mode)) {
			vm_msg("cannot give %s to the guest: %s", *f,
			       real ? "not a regular file" : strerror(errno));
			free(real);
			return -1;
		}
		ret = vm_add_program(c, **f == '/' ? *f : real, real);
		free(real);
		if (ret < 0)
			return -1;
	}
	return 0;
}

/* ---- config and jobs ---- */

/* s in single quotes for sh. */
static void vm_sh_quote(struct vm_buf *b, const char *s)
{
	vm_buf_addstr(b, "'");
	for (; *s; s++) {
		if (*s == '\'')
			vm_buf_addstr(b, "'\\''");
		else
			vm_buf_add(b, s, 1);
	}
	vm_buf_addstr(b, "'");
}

static void vm_sh_var(struct vm_buf *b, const char *name, const char *value)
{
	vm_buf_addstr(b, name);
	vm_buf_addstr(b, "=");
	vm_sh_quote(b, value);
	vm_buf_addstr(b, "\n");
}

static const char *vm_basename(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/*
 * Job k's module into the archive and its job file: name and argv
 * (taprun's, or sh -c COMMAND's for a job without a module).
 */
static int vm_add_job(struct vm_cpio *c, const struct vm_job *job, int k)
{
	char mod[1024], file[64];
	struct vm_buf b = { 0 };

	if (job->command && vm_add_command(c, job->command) < 0)
		return -1;
	vm_sh_var(&b, "TAPC_NAME", job->name ? job->name : "tapc");
	if (!job->module) {
		vm_buf_addstr(&b, "set -- sh -c ");
		vm_sh_quote(&b, job->command ? job->command : "true");
		vm_buf_addstr(&b, "\n");
		goto write;
	}
	snprintf(mod, sizeof(mod), "/tapc/mod/%d/%s", k, vm_basename(job->module));
	if (vm_cpio_host(c, mod, job->module) < 0)
		return -1;
	vm_buf_addstr(&b, "set -- ");
	vm_sh_quote(&b, VM_GUEST_TAPRUN);
	for (char *const *a = job->taprun_args; a && *a; a++) {
		vm_buf_addstr(&b, " ");
		vm_sh_quote(&b, *a);
	}
	if (job->command) {
		vm_buf_addstr(&b, " -c ");
		vm_sh_quote(&b, job->command);
	}
	vm_buf_addstr(&b, " ");
	vm_sh_quote(&b, mod);
	vm_buf_addstr(&b, "\n");
write:
	snprintf(file, sizeof(file), "/tapc/job/%d", k);
	vm_cpio_text(c, file, 0644, b.p ? b.p : "");
	vm_buf_free(&b);
	return 0;
}

static void vm_add_config(struct vm_cpio *c, const struct vm_guest *g,
			  const char *cwd)
{
	struct vm_buf b = { 0 }, libpath = { 0 };
	char n[32];

	for (size_t i = 0; i < c->libdirs.n; i++) {
		if (i)
			vm_buf_addstr(&libpath, ":");
		vm_buf_addstr(&libpath, c->libdirs.v[i]);
	}
	snprintf(n, sizeof(n), "%d", g->njobs);
	vm_buf_addstr(&b, "# written by tapc --vm for runtime/guest/init.sh\n");
	vm_sh_var(&b, "TAPC_NONCE", g->nonce);
	vm_sh_var(&b, "TAPC_NJOBS", n);
	vm_sh_var(&b, "TAPC_CWD", cwd);
	vm_sh_var(&b, "TAPC_LIBPATH", libpath.p ? libpath.p : "");
	vm_sh_var(&b, "TAPC_VERBOSE", g->o->verbose ? "1" : "0");
	vm_sh_var(&b, "TAPC_MODDISK", g->o->all_kmods ? "1" : "0");
	vm_cpio_text(c, "/tapc/config", 0644, b.p);
	vm_buf_free(&b);
	vm_buf_free(&libpath);
}

/* The fixed part: directories, /dev/console, busybox, init. */
static int vm_add_base(struct vm_cpio *c, const char *init)
{
	static const char *const dirs[] = {
		"/proc", "/sys", "/dev", "/run", "/tmp", "/sbin", "/usr/bin",
		"/usr/sbin", "/root", NULL
	};

	for (const char *const *d = dirs; *d; d++)
		vm_cpio_dir(c, *d);
	/* the kernel opens /dev/console for init before devtmpfs is mounted */
	vm_cpio_chardev(c, "/dev/console", 5, 1);
	if (vm_cpio_host(c, "/bin/busybox", "/bin/busybox") < 0)
		return -1;
	vm_cpio_symlink(c, "/bin/sh", "busybox");
	return vm_cpio_host_perm(c, "/init", init, 0755);
}

static int vm_add_all(struct vm_cpio *c, const struct vm_guest *g)
{
	char cwd[4096];

	if (vm_add_base(c, g->o->guest_init) < 0 || vm_add_kmods(c, g) < 0 ||
	    vm_add_files(c, g->o) < 0)
		return -1;
	if (vm_add_program(c, VM_GUEST_TAPRUN, g->o->taprun) < 0)
		return -1;
	for (int k = 0; k < g->njobs; k++)
		if (vm_add_job(c, &g->jobs[k], k) < 0)
			return -1;
	if (!getcwd(cwd, sizeof(cwd)))
		strcpy(cwd, "/");
	vm_cpio_dir(c, cwd);
	vm_add_config(c, g, cwd);
	vm_cpio_trailer(c);
	return c->err ? -1 : 0;
}

int vm_initramfs_build(const struct vm_guest *g)
{
	struct vm_cpio c = { 0 };
	int fd = memfd_create("tapc-initramfs", MFD_CLOEXEC);
	int dupfd = fd < 0 ? -1 : dup(fd);
	int ret;

	if (dupfd < 0 || !(c.f = fdopen(dupfd, "w"))) {
		vm_msg("cannot create the initramfs: %s", strerror(errno));
		if (dupfd >= 0)
			close(dupfd);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	ret = vm_add_all(&c, g);
	if (fclose(c.f) != 0)
		c.err = 1;
	if (c.err) {
		vm_msg("cannot write the initramfs");
		ret = -1;
	}
	if (ret == 0 && g->o->verbose)
		vm_msg("initramfs: %zu entries, %zu KiB", c.names.n,
		       c.bytes / 1024);
	vm_strv_free(&c.names);
	vm_strv_free(&c.libdirs);
	vm_strv_free(&c.applets);
	if (ret < 0) {
		close(fd);
		return -1;
	}
	return fd;
}
