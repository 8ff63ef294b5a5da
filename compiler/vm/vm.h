/*
 * vm.h - run built tapc modules in a disposable qemu guest (tapc --vm).
 * The one public header of the guest runner, compiler/vm/ (build/libvm.a,
 * which needs nothing else of tapc; tests/vm tests it alone).
 *
 * The guest boots /boot/vmlinuz-<release> with an initramfs made on the fly
 * (busybox, taprun and its libraries, the modules, the -c command) under
 * single-threaded TCG.  The script's stdout and stderr come back on their
 * own virtio ports as they are written; the guest kernel log (ttyS0) is
 * kept apart and shown only with verbose or kept in log_path.
 *
 * In the guest the -c command runs under busybox sh, which runs its own
 * applet for a name it has (ls, cat, ...): a host program is used for the
 * other names, or when the command gives its path (/usr/bin/cat).  The
 * working directory is the host's (empty but for what the guest got).
 *
 * Environment: TAPC_VM_ACCEL replaces "tcg,thread=single" (e.g. "kvm");
 * TAPC_VM_SMP sets the number of vCPUs (default 2); TAPC_VM_ICOUNT is
 * qemu's -icount value (bench/ uses "shift=3,sleep=off": guest time then
 * advances with the instructions executed, so timings repeat);
 * TAPC_VM_SYSROOT is a directory holding boot/ and lib/modules/ to use
 * instead of the installed ones (a kernel package unpacked with dpkg -x,
 * then depmod -b DIR RELEASE).
 */
#ifndef TAPC_VM_H
#define TAPC_VM_H

struct vm_job {
	const char *name;      /* label; in batch mode the output file stem */
	const char *module;    /* host path of the .ko to run, or NULL: the
				* job is command alone, run by sh -c (a test
				* driving taprun itself; give it its files) */
	const char *command;   /* taprun -c command in the guest, or NULL */
	char *const *taprun_args; /* extra taprun options, NULL-terminated, or NULL */
};

struct vm_opts {
	const char *release;   /* kernel release; NULL = vm_default_release() */
	const char *taprun;    /* host path of taprun */
	const char *guest_init; /* host path of the guest's /init
				 * (runtime/guest/init.sh) */
	void (*on_ready)(void); /* called when the guest has booted (or
				 * never will), before its output; or NULL */
	int verbose;           /* -v: progress and guest kernel log on stderr;
				* also when the first output came */
	const char *log_path;  /* if set, the guest kernel log is written here */
	int smp;               /* vCPUs, 0 = 2 */
	char *const *kmods;    /* kernel modules the guest loads at boot, with
				* their dependencies (modprobe can load them
				* again), NULL-terminated, or NULL */
	int nic;               /* a virtio NIC on an isolated user network;
				* virtio_net is loaded (eth0) */
	char *const *files;    /* host files the guest gets too, at the same
				* absolute paths; programs with their
				* libraries; NULL-terminated, or NULL */
	int all_kmods;         /* every module of the kernel, on a read-only
				* disk at /lib/modules/R: modprobe loads any.
				* The disk image is made once per kernel in
				* $XDG_CACHE_HOME/tapc (mke2fs -d, ~2 s) */
	const char *append;    /* kernel parameters added to the runner's
				* own (e.g. "nokaslr"), or NULL; see
				* vm_append_check */
};

/*
 * Newest installed linux-image-*-cloud-amd64 release that also has headers
 * (/lib/modules/R/build), read from the system.  NULL if none.  The string
 * is static and stays valid.
 */
const char *vm_default_release(void);

/*
 * Check parameters for vm_opts.append: blanks separate them except in
 * double quotes, as the kernel reads them.  The ones the runner sets
 * itself (console= panic= oops= rdinit= init= loglevel= quiet, "--" ...)
 * are refused, and so is a command line over the kernel's 2047 bytes.
 * Returns 0, or -1 with a message on stderr.
 */
int vm_append_check(const char *append);

/*
 * One session in a fresh guest: taprun [taprun_args] [-c command] module.
 * The script's stdout and stderr stream to ours as they come.  Returns
 * taprun's exit status in the guest, or -1 with a message on stderr if the
 * guest could not run it (no kernel, qemu failed, the guest panicked or its
 * kernel reported a bug: then the tail of the guest log is shown too).
 * SIGINT/SIGTERM are forwarded to the guest's taprun once; a second one
 * kills the guest.
 */
int vm_run(const struct vm_opts *o, const struct vm_job *job);

/*
 * Several sessions one after another in ONE boot.  For each job writes
 * outdir/NAME.out, NAME.err and NAME.rc (taprun's exit status, a number
 * and a newline; absent when the job did not run, NAME.err then says why);
 * outdir/dmesg is the guest kernel log of the whole boot.  Before and after
 * each job the guest checks that no tapc_* module is loaded and says so in
 * NAME.err if one is.  Returns 0 if the guest ran every job, 1 if it did but
 * the guest kernel reported an oops or a BUG, -1 otherwise.
 */
int vm_run_batch(const struct vm_opts *o, const struct vm_job *jobs, int njobs,
		 const char *outdir);

#endif /* TAPC_VM_H */
