/*
 * vm_kernel.c - the installed kernels a guest can boot, the kernel
 * modules it must load for its channels (from modules.dep), and the disk
 * image of all of a kernel's modules (all_kmods).
 *
 * Nothing here names a release: the kernels are read from /boot and
 * /lib/modules at run time.  TAPC_VM_SYSROOT, if set, is a directory that
 * holds boot/ and lib/modules/ instead of /, e.g. a kernel package
 * unpacked with dpkg -x (then run depmod -b on it if it has modules).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vm_int.h"

#define VM_IMAGE_PREFIX "vmlinuz-"

const char *vm_sysroot(void)
{
	const char *root = getenv("TAPC_VM_SYSROOT");

	return root ? root : "";
}

void vm_kernel_image(const char *release, char *path, size_t size)
{
	snprintf(path, size, "%s/boot/%s%s", vm_sysroot(), VM_IMAGE_PREFIX,
		 release);
}
#define VM_IMAGE_FLAVOUR "-cloud-amd64"

/* A bootable release: its image is there and so are its headers. */
static int vm_release_usable(const char *release)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof(path), "%s/lib/modules/%s/build", vm_sysroot(),
		 release);
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int vm_is_cloud_image(const char *name)
{
	size_t n = strlen(name), f = strlen(VM_IMAGE_FLAVOUR);

	return strncmp(name, VM_IMAGE_PREFIX, strlen(VM_IMAGE_PREFIX)) == 0 &&
	       n > f && strcmp(name + n - f, VM_IMAGE_FLAVOUR) == 0;
}

/*
 * The release Debian's linux-image-cloud-amd64 meta-package points at
 * (its "Depends: linux-image-REL"), or "" if it is not installed.  That is
 * the distribution's kernel, so it stays the default when a newer one
 * (6.12 from bookworm-backports, say) is installed beside it for -r.
 */
static void vm_meta_release(char *rel, size_t size)
{
	static const char meta[] = "Package: linux-image-cloud-amd64\n";
	static const char dep[] = "Depends: linux-image-";
	struct vm_buf status = { 0 };
	char path[512];
	const char *p, *d;
	size_t n;

	rel[0] = '\0';
	snprintf(path, sizeof(path), "%s/var/lib/dpkg/status", vm_sysroot());
	if (vm_read_file(path, &status) != 0 || vm_buf_add(&status, "", 1) < 0) {
		vm_buf_free(&status);
		return;
	}
	p = strstr(status.p, meta);
	d = p ? strstr(p, dep) : NULL;
	/* the Depends line must belong to this stanza, before its blank line */
	if (d && !memmem(p, (size_t)(d - p), "\n\n", 2)) {
		d += strlen(dep);
		n = strcspn(d, " ,\n");
		if (n < size) {
			memcpy(rel, d, n);
			rel[n] = '\0';
		}
	}
	vm_buf_free(&status);
}

const char *vm_default_release(void)
{
	static char best[256];
	char boot[4096];
	struct dirent *de;
	DIR *d;

	vm_meta_release(best, sizeof(best));
	if (best[0] && vm_release_usable(best))
		return best;
	snprintf(boot, sizeof(boot), "%s/boot", vm_sysroot());
	d = opendir(boot);
	best[0] = '\0';
	if (!d)
		return NULL;
	while ((de = readdir(d))) {
		const char *rel = de->d_name + strlen(VM_IMAGE_PREFIX);

		if (!vm_is_cloud_image(de->d_name) || strlen(rel) >= sizeof(best))
			continue;
		if (!vm_release_usable(rel))
			continue;
		/* strverscmp orders 6.1.0-9 before 6.1.0-10 and 6.1 before 6.12 */
		if (!best[0] || strverscmp(rel, best) > 0)
			strcpy(best, rel);
	}
	closedir(d);
	return best[0] ? best : NULL;
}

/* modules.dep, split into one entry per module. */
struct vm_moddep {
	struct vm_buf text;
	char **path;            /* "kernel/drivers/.../x.ko[.xz]" */
	char **deps;            /* the rest of its line */
	size_t n;
};

/* The module name of a modules.dep path: basename up to ".ko", - as _. */
static void vm_modname(const char *path, char *name, size_t size)
{
	const char *base = strrchr(path, '/');
	size_t i;

	base = base ? base + 1 : path;
	for (i = 0; i + 1 < size && base[i] && strncmp(base + i, ".ko", 3); i++)
		name[i] = base[i] == '-' ? '_' : base[i];
	name[i] = '\0';
}

static int vm_moddep_load(const char *release, struct vm_moddep *md)
{
	char file[512], *line, *save = NULL;
	size_t cap = 0;

	snprintf(file, sizeof(file), "%s/lib/modules/%s/modules.dep",
		 vm_sysroot(), release);
	/* a kernel with every module we need built in may have none */
	if (vm_read_file(file, &md->text) < 0 || !md->text.p)
		return 0;
	for (line = strtok_r(md->text.p, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *colon = strchr(line, ':');

		if (!colon)
			continue;
		if (md->n == cap) {
			cap = cap ? cap * 2 : 1024;
			md->path = realloc(md->path, cap * sizeof(char *));
			md->deps = realloc(md->deps, cap * sizeof(char *));
			if (!md->path || !md->deps)
				return -1;
		}
		*colon = '\0';
		md->path[md->n] = line;
		md->deps[md->n++] = colon + 1;
	}
	return 0;
}

static void vm_moddep_free(struct vm_moddep *md)
{
	vm_buf_free(&md->text);
	free(md->path);
	free(md->deps);
}

/* The index of module name (or of path, if it has a /), or -1. */
static long vm_moddep_find(const struct vm_moddep *md, const char *what)
{
	char name[128], want[128];
	int by_path = strchr(what, '/') != NULL;

	if (!by_path)
		vm_modname(what, want, sizeof(want));
	for (size_t i = 0; i < md->n; i++) {
		if (by_path) {
			if (strcmp(md->path[i], what) == 0)
				return (long)i;
			continue;
		}
		vm_modname(md->path[i], name, sizeof(name));
		if (strcmp(name, want) == 0)
			return (long)i;
	}
	return -1;
}

/* Depth first: every dependency before the module that needs it. */
static int vm_moddep_order(const struct vm_moddep *md, size_t i,
			   struct vm_strv *rel, struct vm_strv *deps, int depth)
{
	char buf[4096], *dep, *save = NULL;
	const char *d = md->deps[i] + strspn(md->deps[i], " \t");

	if (depth > 64)
		return 0;	/* modules.dep has no cycles; be safe anyway */
	if (vm_strv_has(rel, md->path[i]))
		return 0;
	snprintf(buf, sizeof(buf), "%s", d);
	for (dep = strtok_r(buf, " \t", &save); dep;
	     dep = strtok_r(NULL, " \t", &save)) {
		long j = vm_moddep_find(md, dep);

		if (j >= 0 && vm_moddep_order(md, (size_t)j, rel, deps,
					      depth + 1) < 0)
			return -1;
	}
	if (vm_strv_add(rel, md->path[i]) < 0 || vm_strv_add(deps, d) < 0)
		return -1;
	return 0;
}

/* Whether modules.builtin lists the module: nothing to load then. */
static int vm_mod_builtin(const char *release, const char *name)
{
	char file[512], want[128], got[128], *line, *save = NULL;
	struct vm_buf b = { 0 };
	int found = 0;

	snprintf(file, sizeof(file), "%s/lib/modules/%s/modules.builtin",
		 vm_sysroot(), release);
	if (vm_read_file(file, &b) < 0 || !b.p)
		return 0;
	vm_modname(name, want, sizeof(want));
	for (line = strtok_r(b.p, "\n", &save); line && !found;
	     line = strtok_r(NULL, "\n", &save)) {
		vm_modname(line, got, sizeof(got));
		found = strcmp(got, want) == 0;
	}
	vm_buf_free(&b);
	return found;
}

void vm_kmod_path(const char *release, const char *rel, char *path,
		  size_t size)
{
	snprintf(path, size, "%s/lib/modules/%s/%s", vm_sysroot(), release, rel);
}

int vm_kmods_resolve(const char *release, const char *const *names,
		     struct vm_strv *rel, struct vm_strv *deps)
{
	struct vm_moddep md = { 0 };
	int ret = 0;

	if (vm_moddep_load(release, &md) < 0) {
		vm_moddep_free(&md);
		return -1;
	}
	for (; *names && ret == 0; names++) {
		long i = vm_moddep_find(&md, *names);

		if (i >= 0)
			ret = vm_moddep_order(&md, (size_t)i, rel, deps, 0);
		else if (!vm_mod_builtin(release, *names)) {
			vm_msg("kernel %s has no module %s%s", release, *names,
			       md.n ? "" : " (no modules.dep: run depmod)");
			ret = -1;
		}
	}
	vm_moddep_free(&md);
	return ret;
}

/* ---- every module of a kernel, as a disk image (all_kmods) ---- */

static long long vm_tree_bytes;

static int vm_tree_add(const char *path, const struct stat *st, int flag,
		       struct FTW *ftw)
{
	(void)path;
	(void)ftw;
	if (flag == FTW_F)
		vm_tree_bytes += (long long)st->st_size;
	return 0;
}

/* <XDG_CACHE_HOME or ~/.cache>/tapc, made if missing. */
static int vm_cache_dir(char *dir, size_t size)
{
	const char *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	char parent[3072];

	if (xdg && *xdg)
		snprintf(parent, sizeof(parent), "%s", xdg);
	else
		snprintf(parent, sizeof(parent), "%s/.cache",
			 home && *home ? home : "/tmp");
	mkdir(parent, 0755);
	snprintf(dir, size, "%s/tapc", parent);
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		vm_msg("cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	return 0;
}

/* mke2fs -d: an ext4 image of the tree, without root or a mount. */
static int vm_make_image(const char *tree, const char *img)
{
	char size[32];
	char *argv[] = { access("/usr/sbin/mke2fs", X_OK) == 0 ?
			 "/usr/sbin/mke2fs" : "mke2fs", "-q", "-F", "-t", "ext4", "-O",
			 "^has_journal,^metadata_csum", "-m", "0", "-L",
			 "tapc-modules", "-d", (char *)tree, (char *)img, size,
			 NULL };
	struct vm_buf out = { 0 };
	int rc;

	vm_tree_bytes = 0;
	if (nftw(tree, vm_tree_add, 16, FTW_PHYS) < 0) {
		vm_msg("cannot read %s: %s", tree, strerror(errno));
		return -1;
	}
	/* room for the blocks, inodes and directories: a quarter more */
	snprintf(size, sizeof(size), "%lldk",
		 vm_tree_bytes / 1024 * 5 / 4 + 32768);
	rc = vm_capture(argv, &out, 0);
	vm_buf_free(&out);
	if (rc != 0) {
		vm_msg("mke2fs could not make %s (status %d; e2fsprogs "
		       "is needed)", img, rc);
		unlink(img);
		return -1;
	}
	return 0;
}

int vm_modules_image(const char *release, int verbose)
{
	char dir[3200], img[3600], tmp[3700], tree[3072], dep[3200];
	struct stat ist, dst;
	int fd;

	snprintf(tree, sizeof(tree), "%s/lib/modules/%s", vm_sysroot(), release);
	snprintf(dep, sizeof(dep), "%s/modules.dep", tree);
	if (stat(dep, &dst) < 0) {
		vm_msg("kernel %s has no %s: run depmod", release, dep);
		return -1;
	}
	if (vm_cache_dir(dir, sizeof(dir)) < 0)
		return -1;
	/* a file, not a directory: the module cache's trimming skips it */
	snprintf(img, sizeof(img), "%s/modules-%s%s.img", dir, release,
		 vm_sysroot()[0] ? "-sysroot" : "");
	if (stat(img, &ist) < 0 || ist.st_mtime < dst.st_mtime) {
		if (verbose)
			vm_msg("making the disk of %s's modules in %s", release,
			       img);
		snprintf(tmp, sizeof(tmp), "%s.%d", img, (int)getpid());
		if (vm_make_image(tree, tmp) < 0)
			return -1;
		if (rename(tmp, img) < 0) {
			vm_msg("cannot write %s: %s", img, strerror(errno));
			unlink(tmp);
			return -1;
		}
	}
	fd = open(img, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		vm_msg("cannot open %s: %s", img, strerror(errno));
	return fd;
}
