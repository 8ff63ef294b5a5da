/*
 * vm_int.h - what the guest runner's files share (vm.c, vm_kernel.c,
 * vm_initramfs.c, vm_cmdline.c, vm_util.c).  Private to compiler/vm/: the
 * library's interface is vm.h.
 */
#ifndef TAPC_VM_INT_H
#define TAPC_VM_INT_H

#include <stddef.h>

#include "vm.h"

/* A growable byte buffer. */
struct vm_buf {
	char *p;
	size_t len, cap;
};

int vm_buf_add(struct vm_buf *b, const void *data, size_t n);
int vm_buf_addstr(struct vm_buf *b, const char *s);
void vm_buf_free(struct vm_buf *b);

/* A growable list of strings, each owned. */
struct vm_strv {
	char **v;
	size_t n, cap;
};

int vm_strv_add(struct vm_strv *sv, const char *s);
int vm_strv_has(const struct vm_strv *sv, const char *s);
void vm_strv_free(struct vm_strv *sv);

/*
 * Run argv (searched in PATH) with stdin from /dev/null and its stdout
 * captured in out; its stderr is discarded when quiet, else ours.
 * Returns its exit status, or -1 if it could not be run.
 */
int vm_capture(char *const argv[], struct vm_buf *out, int quiet);

/* Read a whole host file into b.  Returns 0, or -1 with errno set. */
int vm_read_file(const char *path, struct vm_buf *b);

/* "tapc: vm: " + message on stderr. */
void vm_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "" or $TAPC_VM_SYSROOT: where boot/ and lib/modules/ are. */
const char *vm_sysroot(void);

/* The kernel image of release: <sysroot>/boot/vmlinuz-<release>. */
void vm_kernel_image(const char *release, char *path, size_t size);

/*
 * The kernel modules the guest must load for the named modules and their
 * dependencies, in load order, from modules.dep: in rel each module's path
 * as modules.dep writes it (relative to /lib/modules/R), in deps its
 * dependencies as modules.dep writes them.  Modules built into the kernel
 * are left out.  Returns 0, or -1 with a message.
 */
int vm_kmods_resolve(const char *release, const char *const *names,
		     struct vm_strv *rel, struct vm_strv *deps);

/* The host path of a module path relative to /lib/modules/R. */
void vm_kmod_path(const char *release, const char *rel, char *path,
		  size_t size);

/*
 * The read-only ext4 image of <sysroot>/lib/modules/<release> for
 * all_kmods, made if missing or older than its modules.dep, in the cache
 * directory.  Returns an O_RDONLY descriptor (close-on-exec), or -1 with
 * a message.
 */
int vm_modules_image(const char *release, int verbose);

/* The kernel's limit on its command line (x86's COMMAND_LINE_SIZE). */
#define VM_CMDLINE_MAX 2048

/*
 * The guest kernel's whole command line in buf: the runner's parameters,
 * then append (checked by vm_append_check).  Returns 0, or -1 with a
 * message.
 */
int vm_cmdline(const char *append, char *buf, size_t size);

/* Everything the initramfs builder needs to know about a boot. */
struct vm_guest {
	const struct vm_opts *o;
	const char *release;
	const struct vm_job *jobs;
	int njobs;
	const char *nonce;      /* hex; the end-of-job marker carries it */
};

/*
 * Build the guest's initramfs (newc cpio) in an anonymous memory file.
 * Returns its file descriptor (close-on-exec), or -1 with a message.
 */
int vm_initramfs_build(const struct vm_guest *g);

/* The end-of-job marker the guest writes on its out and err ports. */
#define VM_EOS_PREFIX "\036tapc-eos-"
#define VM_EOS_SUFFIX "\037"

#endif /* TAPC_VM_INT_H */
