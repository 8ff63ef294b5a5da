/*
 * vm.c - tapc --vm: run jobs in a disposable qemu guest and relay them.
 *
 * One boot runs one or more jobs (taprun sessions) one after another.  The
 * guest's side is runtime/guest/init.sh.  Channels, all socketpairs whose
 * guest ends qemu inherits (-chardev socket,fd=N), so there is no socket
 * file to clean up and nothing to race on:
 *
 *   ttyS0            the guest kernel log.  Never mixed with the script's
 *                    output: shown live with verbose, kept in log_path or
 *                    outdir/dmesg, its tail shown when the guest fails,
 *                    scanned for oopses and BUGs.
 *   port tapc.out    the running job's stdout, relayed as it comes.
 *   port tapc.err    its stderr.
 *   port tapc.ctl    text lines.  Guest to host: "ready", "rc K STATUS",
 *                    "skip K", "bye"; host to guest: "signal INT|TERM",
 *                    "poweroff".
 *
 * qemu moves each port on its own, so a job's last output may come after
 * its "rc" line: the guest ends each job's stdout and stderr with a marker
 * holding a per-boot random nonce, and the host takes a job as done when
 * it has both markers.  The initramfs is an anonymous memory file passed
 * as /proc/self/fd/N.  qemu runs in its own process group (a Ctrl-C on the
 * terminal reaches tapc, which forwards it, and not qemu) and dies with
 * tapc (PR_SET_PDEATHSIG).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vm_int.h"

#define VM_QEMU "qemu-system-x86_64"
#define VM_MEM_MB 512		/* the guest's RAM, at least */
#define VM_BOOT_TIMEOUT 120	/* s until "ready": a watchdog, not a limit */
#define VM_OFF_TIMEOUT 30	/* s from "poweroff" until qemu must be gone */
#define VM_TAIL_SIZE 32768
#define VM_TAIL_LINES 40		/* at least, of the log's end */
#define VM_TAIL_MAX_LINES 120	/* at most, to show a whole oops */
#define VM_READ_SIZE 65536

enum { VM_RC_NONE = -1, VM_RC_SKIP = -2 };

/* The job's stdout or stderr port and where its bytes go. */
struct vm_stream {
	int fd;                 /* host end; -1 once closed */
	int std;                /* 1 stdout, 2 stderr */
	int job;                /* the job its bytes belong to */
	size_t held;            /* bytes of the end marker matched so far */
	int sink;               /* batch: the open NAME.out/.err, else -1 */
	int broken;             /* our stdout/stderr is gone (EPIPE) */
};

struct vm_session {
	const struct vm_opts *o;
	const char *release;
	const struct vm_job *jobs;
	int njobs;
	const char *outdir;     /* batch mode, else NULL */

	char nonce[17];
	char eos[64];
	size_t eoslen;

	pid_t qemu;             /* 0 once reaped */
	int qemu_status;
	int con, ctl;           /* host ends; -1 once closed */
	struct vm_stream out, err;

	char ctlbuf[512];
	size_t ctllen;
	char conline[512];      /* the console line being read, to scan */
	size_t conlen;
	char tail[VM_TAIL_SIZE];/* ring of the last console bytes */
	size_t tailpos;
	int tailfull;
	int logfd;              /* log_path or outdir/dmesg, or -1 */
	char loglast;           /* the last byte written to logfd */
	char bugline[256];      /* first oops/BUG line of the kernel log */
	char cmdline[VM_CMDLINE_MAX]; /* the guest kernel's */
	long conlines;          /* kernel log lines so far */
	long bugline_no;        /* the line number of bugline */

	int *rc;                /* per job: status, VM_RC_NONE, VM_RC_SKIP */
	int nrc;                /* jobs ended: the index of the running one */
	int ready, bye, off_sent, killed, forwarded;
	int early_stop;         /* interrupted before the guest was ready */
	double t0, deadline;    /* deadline 0: none */
	double t_qemu, t_ready; /* when qemu started, when the guest was ready */
	int first_out;          /* the first script output came */
	char *rbuf;             /* VM_READ_SIZE: what a channel read */
	char *obuf;             /* VM_READ_SIZE + a held marker: to relay */
};

/* ---- signals ---- */

static volatile sig_atomic_t vm_signals, vm_last_signal, vm_child;

static void vm_on_signal(int sig)
{
	if (sig == SIGCHLD) {
		vm_child = 1;
		return;
	}
	vm_last_signal = sig;
	vm_signals++;
}

static const int vm_caught[] = { SIGINT, SIGTERM, SIGHUP, SIGCHLD };
#define VM_NCAUGHT (sizeof(vm_caught) / sizeof(vm_caught[0]))

struct vm_sigsave {
	struct sigaction act[VM_NCAUGHT], pipe;
	sigset_t mask;          /* the caller's mask */
	sigset_t wait_mask;     /* the caller's less ours: for ppoll */
};

/*
 * Our signals stay blocked except inside ppoll, so none is lost between a
 * check and the wait.
 */
static void vm_signals_take(struct vm_sigsave *sv)
{
	struct sigaction sa;
	sigset_t block;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = vm_on_signal;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&block);
	vm_signals = vm_last_signal = vm_child = 0;
	for (size_t i = 0; i < VM_NCAUGHT; i++) {
		sigaction(vm_caught[i], &sa, &sv->act[i]);
		sigaddset(&block, vm_caught[i]);
	}
	sa.sa_handler = SIG_IGN;	/* a closed stdout is an EPIPE to handle */
	sigaction(SIGPIPE, &sa, &sv->pipe);
	sigprocmask(SIG_BLOCK, &block, &sv->mask);
	sv->wait_mask = sv->mask;
	for (size_t i = 0; i < VM_NCAUGHT; i++)
		sigdelset(&sv->wait_mask, vm_caught[i]);
}

static void vm_signals_give_back(struct vm_sigsave *sv)
{
	sigprocmask(SIG_SETMASK, &sv->mask, NULL);
	for (size_t i = 0; i < VM_NCAUGHT; i++)
		sigaction(vm_caught[i], &sv->act[i], NULL);
	sigaction(SIGPIPE, &sv->pipe, NULL);
}

/* In a child about to exec: default handlers, the caller's mask. */
static void vm_signals_child(const struct vm_sigsave *sv)
{
	for (size_t i = 0; i < VM_NCAUGHT; i++)
		signal(vm_caught[i], SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	sigprocmask(SIG_SETMASK, &sv->mask, NULL);
}

/* ---- small things ---- */

static double vm_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double vm_elapsed(const struct vm_session *s)
{
	return vm_now() - s->t0;
}

static int vm_write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static void vm_close(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static const char *vm_job_name(const struct vm_session *s, int k)
{
	static char buf[32];

	if (s->jobs[k].name && s->jobs[k].name[0])
		return s->jobs[k].name;
	snprintf(buf, sizeof(buf), "job%d", k);
	return buf;
}

/* outdir/NAME.ext opened with flags, or -1. */
static int vm_open_job_file(const struct vm_session *s, int k, const char *ext,
			    int flags)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s.%s", s->outdir, vm_job_name(s, k),
		 ext);
	return open(path, flags | O_WRONLY | O_CLOEXEC, 0644);
}

/* A line for job k's stderr: NAME.err in batch mode, else our stderr. */
static void vm_job_note(const struct vm_session *s, int k, const char *text)
{
	int fd;

	if (!s->outdir) {
		fprintf(stderr, "%s", text);
		return;
	}
	if (k < 0 || k >= s->njobs)
		return;
	fd = vm_open_job_file(s, k, "err", O_APPEND | O_CREAT);
	if (fd >= 0) {
		vm_write_all(fd, text, strlen(text));
		close(fd);
	}
}

/* ---- the guest kernel log ---- */

static void vm_tail_add(struct vm_session *s, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		s->tail[s->tailpos++] = p[i];
		if (s->tailpos == sizeof(s->tail)) {
			s->tailpos = 0;
			s->tailfull = 1;
		}
	}
}

/*
 * The end of the guest kernel log on stderr: the last VM_TAIL_LINES lines,
 * or more to start at the first oops or BUG.
 */
static void vm_tail_show(const struct vm_session *s)
{
	static char lin[VM_TAIL_SIZE];
	size_t n = 0, start, lines = 0, want = VM_TAIL_LINES;

	if (s->bugline[0] && s->conlines - s->bugline_no + 4 > (long)want)
		want = (size_t)(s->conlines - s->bugline_no + 4);	/* and 3 before */
	if (want > VM_TAIL_MAX_LINES)
		want = VM_TAIL_MAX_LINES;
	if (s->tailfull)
		for (size_t i = s->tailpos; i < sizeof(s->tail); i++)
			lin[n++] = s->tail[i];
	for (size_t i = 0; i < s->tailpos; i++)
		lin[n++] = s->tail[i];
	if (n == 0)
		return;	/* the guest never printed a thing */
	start = n;
	if (start && lin[start - 1] == '\n')
		start--;
	while (start > 0 && lines < want)
		if (lin[--start] == '\n')
			lines++;
	if (start > 0 || lin[0] == '\n')
		start++;
	fprintf(stderr, "tapc: vm: --- the end of the guest kernel log ---\n");
	fwrite(lin + start, 1, n - start, stderr);
	if (n && lin[n - 1] != '\n')
		fputc('\n', stderr);
	fprintf(stderr, "tapc: vm: ---\n");
}

/* Whether a kernel log line says the kernel is broken. */
static int vm_bad_line(const char *line)
{
	static const char *const bad[] = {
		"Kernel panic", "BUG:", "Oops", "general protection fault",
		"kernel BUG at", "Unable to handle kernel", NULL
	};

	for (const char *const *b = bad; *b; b++)
		if (strstr(line, *b))
			return 1;
	return 0;
}

/* One whole kernel log line: report oopses, BUGs and warnings. */
static void vm_console_line(struct vm_session *s, const char *line)
{
	char note[400];
	int bad = vm_bad_line(line);

	if (!bad && !strstr(line, "WARNING:"))
		return;
	if (bad && !s->bugline[0]) {
		snprintf(s->bugline, sizeof(s->bugline), "%.200s", line);
		s->bugline_no = s->conlines;
	}
	/* the job running now, or the first one if the guest is booting */
	snprintf(note, sizeof(note), "tapc: vm: guest kernel: %.360s\n", line);
	if (s->outdir || !bad)	/* vm_run shows a bad line with the tail */
		vm_job_note(s, s->nrc < s->njobs ? s->nrc : s->njobs - 1, note);
}

static void vm_console_data(struct vm_session *s, char *p, size_t n)
{
	size_t m = 0;

	for (size_t i = 0; i < n; i++)	/* the serial console sends \r\n */
		if (p[i] != '\r')
			p[m++] = p[i];
	if (s->logfd >= 0 && m) {
		vm_write_all(s->logfd, p, m);
		s->loglast = p[m - 1];
	}
	if (s->o->verbose)
		vm_write_all(2, p, m);
	vm_tail_add(s, p, m);
	for (size_t i = 0; i < m; i++) {
		if (p[i] != '\n') {
			if (s->conlen + 1 < sizeof(s->conline))
				s->conline[s->conlen++] = p[i];
			continue;
		}
		s->conline[s->conlen] = '\0';
		s->conlines++;
		vm_console_line(s, s->conline);
		s->conlen = 0;
	}
}

/* ---- control ---- */

static void vm_ctl_send(struct vm_session *s, const char *line)
{
	if (s->ctl >= 0)	/* a line or two: the socket has room */
		send(s->ctl, line, strlen(line), MSG_DONTWAIT | MSG_NOSIGNAL);
}

/* The first SIGINT/SIGTERM (or a closed stdout) ends the jobs cleanly. */
static void vm_forward(struct vm_session *s, int sig)
{
	if (s->forwarded)
		return;
	s->forwarded = 1;
	if (s->o->verbose)
		vm_msg("forwarding SIG%s to the guest",
		       sig == SIGINT ? "INT" : "TERM");
	vm_ctl_send(s, sig == SIGINT ? "signal INT\n" : "signal TERM\n");
}

static void vm_kill(struct vm_session *s)
{
	if (s->qemu > 0 && !s->killed)
		kill(s->qemu, SIGKILL);
	s->killed = 1;
}

static void vm_job_ended(struct vm_session *s, int k, int status)
{
	char num[32];
	int fd;

	if (k < 0 || k >= s->njobs || s->rc[k] != VM_RC_NONE)
		return;
	s->rc[k] = status;
	s->nrc = k + 1;
	if (s->o->verbose)
		vm_msg("job %s: %s at %.2f s", vm_job_name(s, k),
		       status == VM_RC_SKIP ? "skipped" : "ended", vm_elapsed(s));
	if (status == VM_RC_SKIP) {
		vm_job_note(s, k, "tapc: vm: not run: interrupted\n");
		return;
	}
	if (!s->outdir)
		return;
	fd = vm_open_job_file(s, k, "rc", O_CREAT | O_TRUNC);
	snprintf(num, sizeof(num), "%d\n", status);
	if (fd >= 0) {
		vm_write_all(fd, num, strlen(num));
		close(fd);
	}
}

static int vm_all_read(const struct vm_session *s)
{
	return s->bye && s->nrc >= s->njobs && s->out.job >= s->njobs &&
	       s->err.job >= s->njobs;
}

static void vm_ctl_line(struct vm_session *s, const char *line)
{
	int k, status;

	if (strcmp(line, "ready") == 0) {
		s->ready = 1;
		s->t_ready = vm_now();
		s->deadline = 0;
		if (s->o->on_ready)
			s->o->on_ready();
		if (s->o->verbose)
			vm_msg("guest ready at %.2f s", vm_elapsed(s));
	} else if (sscanf(line, "rc %d %d", &k, &status) == 2) {
		vm_job_ended(s, k, status);
	} else if (sscanf(line, "skip %d", &k) == 1) {
		vm_job_ended(s, k, VM_RC_SKIP);
	} else if (strcmp(line, "bye") == 0) {
		s->bye = 1;
	}
}

static void vm_ctl_data(struct vm_session *s, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] != '\n') {
			if (s->ctllen + 1 < sizeof(s->ctlbuf))
				s->ctlbuf[s->ctllen++] = p[i];
			continue;
		}
		s->ctlbuf[s->ctllen] = '\0';
		vm_ctl_line(s, s->ctlbuf);
		s->ctllen = 0;
	}
}

/* ---- the jobs' stdout and stderr ---- */

/* -v: how long from starting qemu to the script's first output. */
static void vm_first_output(struct vm_session *s)
{
	double now = vm_now();

	s->first_out = 1;
	if (!s->o->verbose)
		return;
	vm_msg("first output %.2f s after starting qemu (guest ready after "
	       "%.2f s, then %.2f s to the first event)", now - s->t_qemu,
	       s->t_ready - s->t_qemu, now - s->t_ready);
}

static void vm_stream_write(struct vm_session *s, struct vm_stream *st,
			    const char *p, size_t n)
{
	if (!n || st->job >= s->njobs)
		return;
	if (!s->first_out && st->std == 1)
		vm_first_output(s);
	if (s->outdir) {
		if (st->sink < 0)
			st->sink = vm_open_job_file(s, st->job,
						    st->std == 1 ? "out" : "err",
						    O_APPEND | O_CREAT);
		if (st->sink >= 0)
			vm_write_all(st->sink, p, n);
		return;
	}
	if (st->broken)
		return;
	if (vm_write_all(st->std, p, n) < 0 && errno == EPIPE) {
		/* like a script whose reader went away: stop it */
		st->broken = 1;
		vm_forward(s, SIGTERM);
	}
}

/*
 * Relay bytes, cutting at end-of-job markers.  The marker's first byte
 * occurs in it only once, so after a mismatch matching restarts at the
 * byte that failed; held bytes are written once they are known not to be
 * a marker.
 */
static void vm_stream_data(struct vm_session *s, struct vm_stream *st,
			   const char *p, size_t n)
{
	char *out = s->obuf;
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (p[i] == s->eos[st->held]) {
			if (++st->held < s->eoslen)
				continue;
			vm_stream_write(s, st, out, o);
			o = 0;
			st->held = 0;
			vm_close(&st->sink);
			st->job++;
			continue;
		}
		if (st->held) {
			memcpy(out + o, s->eos, st->held);
			o += st->held;
			st->held = 0;
			if (p[i] == s->eos[0]) {
				st->held = 1;
				continue;
			}
		}
		out[o++] = p[i];
	}
	vm_stream_write(s, st, out, o);
}

/* ---- qemu ---- */

struct vm_qemu_fds {
	int con, out, err, ctl, initrd;
	int moddisk;            /* all_kmods: the modules' disk image, or -1 */
};

/*
 * The guest's RAM in MiB: the kernel keeps the initramfs image until it
 * has unpacked it into RAM, so a big one (a test batch of ~200 modules
 * is ~170 MiB on 6.12) needs twice its size besides the kernel and the
 * workloads, or the unpacking fails ("write error") and init is missing.
 */
static long vm_mem_mb(int initrd)
{
	struct stat st;
	long need;

	if (fstat(initrd, &st) < 0)
		return VM_MEM_MB;
	need = 384 + 2 * (long)(st.st_size >> 20);
	return need > VM_MEM_MB ? need : VM_MEM_MB;
}

static void vm_qemu_args(struct vm_session *s, const struct vm_qemu_fds *f,
			 char args[][512], char **argv)
{
	const char *accel = getenv("TAPC_VM_ACCEL");
	const char *icount = getenv("TAPC_VM_ICOUNT");
	const char *smp_env = getenv("TAPC_VM_SMP");
	/* bench/: bpftrace and its LLVM libraries need a bigger initramfs */
	const char *mem = getenv("TAPC_VM_MEM");
	int n = 0, a = 0, smp = s->o->smp > 0 ? s->o->smp : 2;

	if (smp_env && atoi(smp_env) > 0)
		smp = atoi(smp_env);

#define ARG(...) (snprintf(args[a], 512, __VA_ARGS__), argv[n++] = args[a++])
	ARG(VM_QEMU);
	ARG("-nodefaults"); ARG("-no-user-config"); ARG("-no-reboot");
	ARG("-display"); ARG("none");
	/* KVM hangs here and multi-threaded TCG oopses on kprobe removal */
	ARG("-accel"); ARG("%s", accel && *accel ? accel : "tcg,thread=single");
	ARG("-smp"); ARG("%d", smp);
	/* bench/: guest time follows the instructions run, not the host */
	if (icount && *icount) {
		ARG("-icount"); ARG("%s", icount);
	}
	ARG("-m");
	if (mem && *mem)
		ARG("%s", mem);
	else
		ARG("%ldM", vm_mem_mb(f->initrd));
	ARG("-kernel");
	vm_kernel_image(s->release, args[a], 512);
	argv[n++] = args[a++];
	ARG("-initrd"); ARG("/proc/self/fd/%d", f->initrd);
	ARG("-append");
	argv[n++] = s->cmdline;	/* vm_cmdline.c */
	ARG("-chardev"); ARG("socket,id=con,fd=%d", f->con);
	ARG("-serial"); ARG("chardev:con");
	ARG("-device"); ARG("virtio-serial-pci,id=vser");
	ARG("-chardev"); ARG("socket,id=out,fd=%d", f->out);
	ARG("-device"); ARG("virtserialport,bus=vser.0,chardev=out,name=tapc.out");
	ARG("-chardev"); ARG("socket,id=err,fd=%d", f->err);
	ARG("-device"); ARG("virtserialport,bus=vser.0,chardev=err,name=tapc.err");
	ARG("-chardev"); ARG("socket,id=ctl,fd=%d", f->ctl);
	ARG("-device"); ARG("virtserialport,bus=vser.0,chardev=ctl,name=tapc.ctl");
	if (f->moddisk >= 0) {
		ARG("-drive");
		ARG("file=/proc/self/fd/%d,if=virtio,format=raw,readonly=on",
		    f->moddisk);
	}
	if (s->o->nic) {
		/* restrict=on: the guest reaches nothing, the link is up */
		ARG("-netdev"); ARG("user,id=net0,restrict=on");
		ARG("-device"); ARG("virtio-net-pci,netdev=net0");
	}
#undef ARG
	argv[n] = NULL;
}

static void vm_qemu_child(char **argv, const struct vm_qemu_fds *f,
			  const struct vm_sigsave *sv, pid_t parent)
{
	const int keep[] = { f->con, f->out, f->err, f->ctl, f->initrd,
			     f->moddisk };
	int null = open("/dev/null", O_RDONLY);

	setpgid(0, 0);	/* out of the terminal's Ctrl-C: tapc forwards it */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	vm_signals_child(sv);
	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		if (keep[i] >= 0)
			fcntl(keep[i], F_SETFD, 0);
	if (null >= 0)
		dup2(null, 0);
	dup2(2, 1);	/* never on the script's stdout */
	execvp(argv[0], argv);
	fprintf(stderr, "tapc: vm: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static int vm_qemu_start(struct vm_session *s, const struct vm_qemu_fds *f,
			 const struct vm_sigsave *sv)
{
	static char args[64][512];
	char *argv[64];
	pid_t parent = getpid();

	vm_qemu_args(s, f, args, argv);
	if (s->o->verbose) {
		fprintf(stderr, "tapc: vm:");
		for (char **a = argv; *a; a++)
			fprintf(stderr, " %s", *a);
		fputc('\n', stderr);
	}
	fflush(NULL);
	s->qemu = fork();
	if (s->qemu < 0) {
		vm_msg("cannot fork: %s", strerror(errno));
		s->qemu = 0;
		return -1;
	}
	if (s->qemu == 0)
		vm_qemu_child(argv, f, sv, parent);
	s->t_qemu = vm_now();
	setpgid(s->qemu, s->qemu);
	if (s->o->verbose)
		vm_msg("qemu pid %d", (int)s->qemu);
	return 0;
}

/* Socket pairs for the four channels, qemu's ends in f. */
static int vm_channels(struct vm_session *s, struct vm_qemu_fds *f)
{
	int *host[] = { &s->con, &s->out.fd, &s->err.fd, &s->ctl };
	int *guest[] = { &f->con, &f->out, &f->err, &f->ctl };

	for (int i = 0; i < 4; i++) {
		int sv[2];

		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
			vm_msg("cannot create a socket pair: %s", strerror(errno));
			return -1;
		}
		*host[i] = sv[0];
		*guest[i] = sv[1];
	}
	return 0;
}

static void vm_reap(struct vm_session *s, int block)
{
	int status;

	if (s->qemu <= 0)
		return;
	if (waitpid(s->qemu, &status, block ? 0 : WNOHANG) == s->qemu) {
		s->qemu_status = status;
		s->qemu = 0;
		if (s->o->verbose)
			vm_msg("qemu ended at %.2f s", vm_elapsed(s));
	}
}

/* ---- the loop ---- */

static void vm_on_signals(struct vm_session *s, int *seen)
{
	if (vm_signals == *seen)
		return;
	if (*seen == 0 && !s->ready) {
		/* no job has started: nothing to end cleanly */
		s->early_stop = 1;
		vm_kill(s);
	} else if (*seen == 0) {
		vm_forward(s, vm_last_signal == SIGINT ? SIGINT : SIGTERM);
	}
	if (vm_signals > 1 && !s->killed) {
		vm_msg("interrupted again: stopping the guest");
		vm_kill(s);
	}
	*seen = vm_signals;
}

static void vm_on_time(struct vm_session *s)
{
	if (!s->deadline || vm_now() < s->deadline || s->killed)
		return;
	if (!s->ready)
		vm_msg("the guest did not start within %d s",
		       VM_BOOT_TIMEOUT);
	else
		vm_msg("the guest did not power off");
	vm_kill(s);
}

/* At the end of a stream, bytes held as a possible marker were data. */
static void vm_stream_end(struct vm_session *s, struct vm_stream *st)
{
	vm_stream_write(s, st, s->eos, st->held);
	st->held = 0;
	vm_close(&st->fd);
	vm_close(&st->sink);
}

/* Read what fd has for its channel; close it at end of file. */
static void vm_read_channel(struct vm_session *s, int *fd)
{
	char *buf = s->rbuf;
	ssize_t n = read(*fd, buf, VM_READ_SIZE);

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0 && (fd == &s->out.fd || fd == &s->err.fd))
		vm_stream_end(s, fd == &s->out.fd ? &s->out : &s->err);
	if (n <= 0) {
		vm_close(fd);
		return;
	}
	if (fd == &s->con)
		vm_console_data(s, buf, (size_t)n);
	else if (fd == &s->ctl)
		vm_ctl_data(s, buf, (size_t)n);
	else
		vm_stream_data(s, fd == &s->out.fd ? &s->out : &s->err, buf,
			       (size_t)n);
}

static int vm_poll_timeout(const struct vm_session *s, struct timespec *ts)
{
	double left;

	if (!s->deadline)
		return 0;
	left = s->deadline - vm_now();
	if (left < 0)
		left = 0;
	ts->tv_sec = (time_t)left;
	ts->tv_nsec = (long)((left - (double)ts->tv_sec) * 1e9);
	return 1;
}

static void vm_loop(struct vm_session *s, const struct vm_sigsave *sv)
{
	int *fds[] = { &s->con, &s->ctl, &s->out.fd, &s->err.fd };
	int seen = 0;

	while (s->qemu > 0 || s->con >= 0 || s->ctl >= 0 || s->out.fd >= 0 ||
	       s->err.fd >= 0) {
		struct pollfd pfd[4];
		struct timespec ts;
		int n = 0;

		for (int i = 0; i < 4; i++)
			if (*fds[i] >= 0)
				pfd[n++] = (struct pollfd){ .fd = *fds[i], .events = POLLIN };
		if (ppoll(pfd, (nfds_t)n, vm_poll_timeout(s, &ts) ? &ts : NULL,
			  &sv->wait_mask) < 0 && errno != EINTR)
			break;
		vm_on_signals(s, &seen);
		if (vm_child) {
			vm_child = 0;
			vm_reap(s, 0);
		}
		/* the console first: its lines belong to the job still running */
		for (int i = 0, j = 0; i < 4; i++) {
			if (*fds[i] < 0)
				continue;
			if (pfd[j++].revents)
				vm_read_channel(s, fds[i]);
		}
		if (vm_all_read(s) && !s->off_sent) {
			s->off_sent = 1;
			s->deadline = vm_now() + VM_OFF_TIMEOUT;
			vm_ctl_send(s, "poweroff\n");
		}
		vm_on_time(s);
		if (s->qemu <= 0 && n == 0)
			break;
	}
	vm_kill(s);
	vm_reap(s, 1);
}

/* ---- sessions ---- */

static int vm_make_nonce(struct vm_session *s)
{
	unsigned char r[8];

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		return -1;
	for (int i = 0; i < 8; i++)
		snprintf(s->nonce + 2 * i, 3, "%02x", r[i]);
	s->eoslen = (size_t)snprintf(s->eos, sizeof(s->eos), "%s%s%s",
				     VM_EOS_PREFIX, s->nonce, VM_EOS_SUFFIX);
	return 0;
}

static int vm_check_release(const char *release)
{
	char path[512];

	if (!release) {
		vm_msg("no kernel to boot: install linux-image-cloud-amd64 "
		       "and linux-headers-cloud-amd64");
		return -1;
	}
	vm_kernel_image(release, path, sizeof(path));
	if (access(path, R_OK) < 0) {
		vm_msg("cannot read %s: %s%s", path, strerror(errno),
		       errno == EACCES ? " (it is root's only)" : "");
		return -1;
	}
	return 0;
}

static int vm_session_init(struct vm_session *s, const struct vm_opts *o,
			   const struct vm_job *jobs, int njobs,
			   const char *outdir)
{
	memset(s, 0, sizeof(*s));
	s->o = o;
	s->jobs = jobs;
	s->njobs = njobs;
	s->outdir = outdir;
	s->con = s->ctl = s->out.fd = s->err.fd = s->logfd = -1;
	s->out.sink = s->err.sink = -1;
	s->out.std = 1;
	s->err.std = 2;
	s->t0 = vm_now();
	s->release = o->release ? o->release : vm_default_release();
	if (vm_check_release(s->release) < 0)
		return -1;
	if (vm_cmdline(o->append, s->cmdline, sizeof(s->cmdline)) < 0)
		return -1;
	if (!o->taprun || access(o->taprun, X_OK) < 0) {
		vm_msg("no taprun to run in the guest%s%s",
		       o->taprun ? ": " : "", o->taprun ? o->taprun : "");
		return -1;
	}
	s->rc = malloc(sizeof(int) * (size_t)njobs);
	s->rbuf = malloc(VM_READ_SIZE);
	s->obuf = malloc(VM_READ_SIZE + sizeof(s->eos));
	if (!s->rc || !s->rbuf || !s->obuf || vm_make_nonce(s) < 0) {
		vm_msg("out of memory");
		return -1;
	}
	for (int k = 0; k < njobs; k++)
		s->rc[k] = VM_RC_NONE;
	return 0;
}

static void vm_session_free(struct vm_session *s)
{
	vm_close(&s->con);
	vm_close(&s->ctl);
	vm_close(&s->out.fd);
	vm_close(&s->err.fd);
	vm_close(&s->out.sink);
	vm_close(&s->err.sink);
	if (s->logfd >= 0 && s->loglast && s->loglast != '\n')
		vm_write_all(s->logfd, "\n", 1);	/* a line cut by power off */
	vm_close(&s->logfd);
	free(s->rc);
	free(s->rbuf);
	free(s->obuf);
}

/* Build, boot, relay until the guest is gone.  0, or -1 if it never ran. */
static int vm_session_run(struct vm_session *s, struct vm_sigsave *sv)
{
	struct vm_guest g = { s->o, s->release, s->jobs, s->njobs, s->nonce };
	struct vm_qemu_fds f = { -1, -1, -1, -1, -1, -1 };
	struct timespec zero = { 0, 0 };
	int ret = -1;

	if (s->o->verbose)
		vm_msg("kernel %s, %d job%s", s->release, s->njobs,
		       s->njobs == 1 ? "" : "s");
	f.initrd = vm_initramfs_build(&g);
	if (f.initrd >= 0 && s->o->all_kmods)
		f.moddisk = vm_modules_image(s->release, s->o->verbose);
	/* let a Ctrl-C that came while building be seen */
	ppoll(NULL, 0, &zero, &sv->wait_mask);
	if (vm_signals)
		vm_msg("interrupted");
	else if (f.initrd >= 0 && (!s->o->all_kmods || f.moddisk >= 0) &&
		 vm_channels(s, &f) == 0 && vm_qemu_start(s, &f, sv) == 0)
		ret = 0;
	vm_close(&f.con);
	vm_close(&f.out);
	vm_close(&f.err);
	vm_close(&f.ctl);
	vm_close(&f.initrd);
	vm_close(&f.moddisk);
	if (ret < 0)
		return -1;
	s->deadline = vm_now() + VM_BOOT_TIMEOUT;
	vm_loop(s, sv);
	if (s->o->verbose)
		vm_msg("done at %.2f s", vm_elapsed(s));
	return 0;
}

/* Why the guest did not run job k to its end, and the log's tail. */
static void vm_report_failure(const struct vm_session *s)
{
	if (s->bugline[0])
		vm_msg("the guest kernel crashed: %s", s->bugline);
	else if (s->killed && vm_signals > 1)
		;	/* vm_on_signals said so */
	else if (WIFEXITED(s->qemu_status) && WEXITSTATUS(s->qemu_status))
		vm_msg("qemu failed (exit status %d)",
		       WEXITSTATUS(s->qemu_status));
	else if (WIFSIGNALED(s->qemu_status) && !s->killed)
		vm_msg("qemu was killed by signal %d",
		       WTERMSIG(s->qemu_status));
	else if (!s->ready)
		vm_msg("the guest did not start");
	else
		vm_msg("the guest stopped before its jobs ended");
	vm_tail_show(s);
	if (s->o->log_path)
		vm_msg("the whole guest kernel log is in %s", s->o->log_path);
	else if (s->outdir)
		vm_msg("the whole guest kernel log is in %s/dmesg", s->outdir);
}

static int vm_open_log(struct vm_session *s, const char *path)
{
	s->logfd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (s->logfd < 0) {
		vm_msg("cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int vm_run(const struct vm_opts *o, const struct vm_job *job)
{
	struct vm_session s;
	struct vm_sigsave sv;
	int ret = -1;

	vm_signals_take(&sv);
	if (vm_session_init(&s, o, job, 1, NULL) == 0 &&
	    (!o->log_path || vm_open_log(&s, o->log_path) == 0) &&
	    vm_session_run(&s, &sv) == 0) {
		if (s.rc[0] == VM_RC_SKIP || s.early_stop)
			vm_msg("interrupted before the script started");
		else if (s.rc[0] >= 0 && !s.bugline[0])
			ret = s.rc[0];
		else
			vm_report_failure(&s);
	}
	vm_session_free(&s);
	vm_signals_give_back(&sv);
	return ret;
}

/* Empty NAME.out and NAME.err, no NAME.rc, for every job. */
static int vm_batch_files(struct vm_session *s)
{
	char path[4096];

	if (mkdir(s->outdir, 0755) < 0 && errno != EEXIST) {
		vm_msg("cannot create %s: %s", s->outdir, strerror(errno));
		return -1;
	}
	for (int k = 0; k < s->njobs; k++) {
		int out = vm_open_job_file(s, k, "out", O_CREAT | O_TRUNC);
		int err = vm_open_job_file(s, k, "err", O_CREAT | O_TRUNC);

		if (out >= 0)
			close(out);
		if (err >= 0)
			close(err);
		if (out < 0 || err < 0) {
			vm_msg("cannot write in %s: %s", s->outdir,
			       strerror(errno));
			return -1;
		}
		snprintf(path, sizeof(path), "%s/%s.rc", s->outdir,
			 vm_job_name(s, k));
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/dmesg", s->outdir);
	return vm_open_log(s, path);
}

/* Notes in NAME.err for the jobs the guest did not run to their end. */
static int vm_batch_result(struct vm_session *s)
{
	int missing = 0, skipped = 0;

	for (int k = 0; s->early_stop && k < s->njobs; k++)
		vm_job_ended(s, k, VM_RC_SKIP);
	for (int k = 0; k < s->njobs; k++) {
		if (s->rc[k] == VM_RC_SKIP)
			skipped++;
		if (s->rc[k] != VM_RC_NONE)
			continue;
		missing++;
		vm_job_note(s, k, k == s->nrc ?
			    "tapc: vm: the guest failed while this job ran (see dmesg)\n" :
			    "tapc: vm: not run: the guest failed before\n");
	}
	if (missing) {
		vm_report_failure(s);
		return -1;
	}
	if (skipped) {
		vm_msg("interrupted: %d job%s not run", skipped,
		       skipped == 1 ? "" : "s");
		return -1;
	}
	if (s->bugline[0]) {
		vm_msg("the guest kernel reported: %s", s->bugline);
		return 1;
	}
	return 0;
}

int vm_run_batch(const struct vm_opts *o, const struct vm_job *jobs, int njobs,
		 const char *outdir)
{
	struct vm_session s;
	struct vm_sigsave sv;
	int ret = -1;

	if (njobs <= 0)
		return 0;
	vm_signals_take(&sv);
	if (vm_session_init(&s, o, jobs, njobs, outdir) == 0 &&
	    vm_batch_files(&s) == 0 && vm_session_run(&s, &sv) == 0)
		ret = vm_batch_result(&s);
	vm_session_free(&s);
	vm_signals_give_back(&sv);
	return ret;
}
