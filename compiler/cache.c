/* cache.c - the module cache (see cache.h).
 *
 * Layout: <dir>/<hash>/ holds key (the whole key), <modname>.ko and
 * <modname>.c.  An entry is written in <dir>/.tmp.<hash>.<pid> and renamed
 * into place, so a reader never sees half of one.  A hit touches the
 * entry; after a store the oldest entries go while the cache is larger
 * than CACHE_MAX_BYTES.
 *
 * Files are named in the key by a stat signature (path, size, mtime in
 * ns, inode): reading every tapset file on each run would cost more than
 * the whole warm run may.  The script itself is in the key whole. */
#include "cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <gelf.h>
#include <elfutils/libdwelf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "diag.h"
#include "version.h"

#define CACHE_FORMAT "tapc-cache 1"
#define CACHE_MAX_BYTES (256LL << 20)


const char *cache_dir(void)
{
	static char *dir;
	const char *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	char *parent;

	if (dir)
		return dir;
	if (xdg && *xdg) {
		parent = xstrdup(xdg);
	} else {
		parent = xasprintf("%s/.cache", home && *home ? home : "/tmp");
	}
	dir = xasprintf("%s/tapc", parent);
	mkdir(parent, 0755);
	free(parent);
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		diag_fatal(DG_CACHE_DIRECTORY,
			   "cannot create the cache directory %s: %s", dir,
			   strerror(errno));
		free(dir);
		dir = NULL;
	}
	return dir;
}

/* "path size mtime inode", or "path -" for a file that is not there. */
static void key_file(struct strbuf *b, const char *what, const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		sb_printf(b, "%s %s -\n", what, path);
		return;
	}
	sb_printf(b, "%s %s %lld %lld.%09ld %llu\n", what, path,
		  (long long)st.st_size, (long long)st.st_mtim.tv_sec,
		  st.st_mtim.tv_nsec, (unsigned long long)st.st_ino);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file under dir (for nftw, which takes no argument). */
static struct vec *walk_files;

static int walk_one(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	if (flag == FTW_F)
		vec_push(walk_files, xstrdup(path));
	return 0;
}

/* Every file under dir, in name order, with its signature. */
static void key_tree(struct strbuf *b, const char *what, const char *dir)
{
	struct vec files = {0};

	walk_files = &files;
	if (nftw(dir, walk_one, 16, FTW_PHYS) < 0) {
		sb_printf(b, "%s %s -\n", what, dir);
		for (int i = 0; i < files.n; i++)	/* listed before failing */
			free(files.v[i]);
		free(files.v);
		return;
	}
	qsort(files.v, (size_t)files.n, sizeof(*files.v), cmp_str);
	for (int i = 0; i < files.n; i++) {
		key_file(b, what, files.v[i]);
		free(files.v[i]);
	}
	free(files.v);
}

/* The runtime's headers: what every module includes. */
static void key_runtime(struct strbuf *b, const char *runtime_dir)
{
	char *kdir = xasprintf("%s/kernel", runtime_dir);
	char *proto = xasprintf("%s/tapc_proto.h", runtime_dir);

	key_tree(b, "runtime", kdir);
	key_file(b, "runtime", proto);
	free(kdir);
	free(proto);
}

static void put_hex(struct strbuf *b, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sb_printf(b, "%02x", p[i]);
}

/* The GNU build id note in a run of ELF notes (as in /sys/kernel/notes). */
static int notes_build_id(const unsigned char *p, size_t len,
			  struct strbuf *b)
{
	size_t off = 0;

	while (off + 12 <= len) {
		uint32_t namesz, descsz, type;
		size_t name_off = off + 12, desc_off;

		memcpy(&namesz, p + off, 4);
		memcpy(&descsz, p + off + 4, 4);
		memcpy(&type, p + off + 8, 4);
		desc_off = name_off + ((namesz + 3) & ~3u);
		if (desc_off + descsz > len)
			break;
		if (type == 3 && namesz == 4 && !memcmp(p + name_off, "GNU", 4)) {
			put_hex(b, p + desc_off, descsz);
			return 0;
		}
		off = desc_off + ((descsz + 3) & ~3u);
	}
	return -1;
}

/* The build id of an ELF file (the -dbg package's vmlinux). */
static int elf_build_id(const char *path, struct strbuf *b)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	const void *id;
	ssize_t n = -1;
	Elf *elf;

	if (fd < 0)
		return -1;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (elf) {
		n = dwelf_elf_gnu_build_id(elf, &id);
		if (n > 0)
			put_hex(b, id, (size_t)n);
		elf_end(elf);
	}
	close(fd);
	return n > 0 ? 0 : -1;
}

/*
 * The kernel: its build id (the running kernel's from /sys/kernel/notes,
 * another's from its -dbg vmlinux, else its image's signature), and the
 * headers modules are built against.
 */
static void key_kernel(struct strbuf *b, const char *release)
{
	static const char *const hdrs[] = {
		".config", "Module.symvers", "include/generated/autoconf.h",
		"include/generated/utsrelease.h", NULL
	};
	struct utsname u;
	char path[512];
	char *notes;
	size_t len;

	sb_printf(b, "release %s\nbuild-id ", release);
	if (uname(&u) == 0 && !strcmp(u.release, release) &&
	    read_file("/sys/kernel/notes", &notes, &len) == 0) {
		int rc = notes_build_id((unsigned char *)notes, len, b);

		free(notes);
		if (rc == 0)
			goto done;
	}
	snprintf(path, sizeof(path), "/usr/lib/debug/boot/vmlinux-%s", release);
	if (elf_build_id(path, b) == 0)
		goto done;
	snprintf(path, sizeof(path), "/usr/lib/debug/lib/modules/%s/vmlinux",
		 release);
	if (elf_build_id(path, b) == 0)
		goto done;
	sb_puts(b, "-\n");
	snprintf(path, sizeof(path), "/boot/vmlinuz-%s", release);
	key_file(b, "image", path);
	goto headers;
done:
	sb_putc(b, '\n');
headers:
	for (const char *const *h = hdrs; *h; h++) {
		snprintf(path, sizeof(path), "/lib/modules/%s/build/%s", release,
			 *h);
		key_file(b, "headers", path);
	}
}

void cache_key_make(const struct cache_inputs *in, struct cache_key *key)
{
	struct strbuf b;
	uint64_t h;

	sb_init(&b);
	sb_printf(&b, "%s\nversion %s\n", CACHE_FORMAT, TAPC_VERSION);
	key_file(&b, "tapc", "/proc/self/exe");
	key_runtime(&b, in->runtime_dir);
	key_kernel(&b, in->release);
	key_tree(&b, "tapset", in->tapset_dir);
	for (int i = 0; i < in->include_dirs.n; i++)
		key_tree(&b, "include", in->include_dirs.v[i]);
	sb_printf(&b, "guru %d\nmodname %s\n", in->guru,
		  in->modname ? in->modname : "-");
	for (int i = 0; i < in->defines.n; i++)
		sb_printf(&b, "define %s\n", (char *)in->defines.v[i]);
	for (int i = 0; i < in->code_options.n; i++)
		sb_printf(&b, "option %s\n", (char *)in->code_options.v[i]);
	for (int i = 0; i < in->nargs; i++)
		sb_printf(&b, "arg %zu %s\n", strlen(in->args[i]), in->args[i]);
	sb_printf(&b, "script %s\n%zu\n", in->script_name,
		  strlen(in->script_text));
	sb_puts(&b, in->script_text);
	h = hash64(b.s, b.len, 0);
	snprintf(key->hex, sizeof(key->hex), "%016llx", (unsigned long long)h);
	key->text = sb_take(&b);
}

char *cache_modname(const struct cache_key *key, const char *modname)
{
	if (modname)
		return xstrdup(modname);
	return xasprintf("tapc_%.12s", key->hex);
}

char *cache_lookup(const struct cache_key *key, const char *modname)
{
	const char *dir = cache_dir();
	char *kpath, *ko, *text = NULL;
	struct stat st;
	int hit;

	if (!dir)
		return NULL;
	kpath = xasprintf("%s/%s/key", dir, key->hex);
	ko = xasprintf("%s/%s/%s.ko", dir, key->hex, modname);
	hit = read_file(kpath, &text, NULL) == 0 && !strcmp(text, key->text) &&
	      stat(ko, &st) == 0 && S_ISREG(st.st_mode);
	free(text);
	free(kpath);
	if (!hit) {
		free(ko);
		return NULL;
	}
	/* Used now: the last to go when the cache is trimmed. */
	kpath = xasprintf("%s/%s", dir, key->hex);
	utimensat(AT_FDCWD, kpath, NULL, 0);
	free(kpath);
	return ko;
}

static int rm_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	return remove(path);
}

static void rm_tree(const char *path)
{
	nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static long long du_total;

static int du_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	if (flag == FTW_F)
		du_total += (long long)st->st_blocks * 512;
	return 0;
}

struct cache_entry {
	char *path;
	long long bytes;
	struct timespec used;
};

static int cmp_entry_age(const void *a, const void *b)
{
	const struct cache_entry *x = a, *y = b;

	if (x->used.tv_sec != y->used.tv_sec)
		return x->used.tv_sec < y->used.tv_sec ? -1 : 1;
	if (x->used.tv_nsec != y->used.tv_nsec)
		return x->used.tv_nsec < y->used.tv_nsec ? -1 : 1;
	return 0;
}

/* Every entry of the cache (not the ones being written). */
static int list_entries(const char *dir, struct cache_entry **out)
{
	DIR *d = opendir(dir);
	struct cache_entry *v = NULL;
	struct dirent *de;
	int n = 0, cap = 0;
	struct stat st;

	*out = NULL;
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char *path;

		if (de->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
			free(path);
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			v = xrealloc(v, (size_t)cap * sizeof(*v));
		}
		du_total = 0;
		nftw(path, du_one, 16, FTW_PHYS);
		v[n++] = (struct cache_entry){ path, du_total, st.st_mtim };
	}
	closedir(d);
	*out = v;
	return n;
}

/* The oldest entries go while the cache is larger than its limit. */
static void cache_trim(const char *dir, const char *keep)
{
	struct cache_entry *v;
	int n = list_entries(dir, &v);
	long long total = 0;

	for (int i = 0; i < n; i++)
		total += v[i].bytes;
	qsort(v, (size_t)n, sizeof(*v), cmp_entry_age);
	for (int i = 0; i < n && total > CACHE_MAX_BYTES; i++) {
		if (strcmp(v[i].path, keep) == 0)
			continue;
		rm_tree(v[i].path);
		total -= v[i].bytes;
	}
	for (int i = 0; i < n; i++)
		free(v[i].path);
	free(v);
}

static int copy_file(const char *from, const char *to)
{
	char *text;
	size_t len;
	int rc = read_file(from, &text, &len);

	if (rc == 0) {
		rc = write_file(to, text, len);
		free(text);
	}
	return rc;
}

char *cache_store(const struct cache_key *key, const char *modname,
		  const char *ko_path, const char *csrc)
{
	const char *dir = cache_dir();
	char *tmp, *entry, *path, *ko = NULL;
	int ok;

	if (!dir)
		return NULL;
	tmp = xasprintf("%s/.tmp.%s.%d", dir, key->hex, (int)getpid());
	entry = xasprintf("%s/%s", dir, key->hex);
	rm_tree(tmp);
	ok = mkdir(tmp, 0755) == 0;
	path = xasprintf("%s/key", tmp);
	ok = ok && write_file(path, key->text, strlen(key->text)) == 0;
	free(path);
	path = xasprintf("%s/%s.c", tmp, modname);
	ok = ok && (!csrc || write_file(path, csrc, strlen(csrc)) == 0);
	free(path);
	path = xasprintf("%s/%s.ko", tmp, modname);
	ok = ok && copy_file(ko_path, path) == 0;
	free(path);
	if (ok && rename(tmp, entry) < 0) {
		/* Stale, or another tapc stored the same key meanwhile. */
		rm_tree(entry);
		ok = rename(tmp, entry) == 0;
	}
	if (ok) {
		ko = xasprintf("%s/%s.ko", entry, modname);
		cache_trim(dir, entry);
	} else {
		fprintf(stderr, "tapc: warning: cannot store the module in the "
			"cache %s: %s\n", dir, strerror(errno));
		rm_tree(tmp);
	}
	free(tmp);
	free(entry);
	return ko;
}

int cache_clean(void)
{
	const char *dir = cache_dir();
	DIR *d;
	struct dirent *de;

	if (!dir)
		return -1;
	d = opendir(dir);
	if (!d) {
		fprintf(stderr, "tapc: cannot read %s: %s\n", dir,
			strerror(errno));
		return -1;
	}
	while ((de = readdir(d))) {
		char *path;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		rm_tree(path);
		free(path);
	}
	closedir(d);
	return 0;
}
