/* main.c - tapc's command line: run the passes in order, stop where -p
 * says, and hand the module to taprun, on this host or in a guest. */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <signal.h>
#include <unistd.h>

#include "build.h"
#include "elab.h"
#include "parse.h"
#include "translate.h"
#include "vm.h"

#define TAPC_VERSION "0.1"

struct options {
	const char *script_text;	/* -e */
	const char *script_path;
	int last_pass;			/* -p, 5 = run */
	int verbose;
	int keep;			/* -k */
	int guru;			/* -g */
	const char *release;		/* -r */
	const char *command;		/* -c */
	const char *target_pid;		/* -x */
	const char *output;		/* -o */
	const char *modname;		/* -m */
	struct vec defines;		/* -D */
	struct vec includes;		/* -I */
	int vm;				/* --vm */
	const char *vm_kernel;		/* --vm-kernel */
	const char *batch_list;		/* --vm-batch LIST OUTDIR */
	const char *batch_outdir;
};

static void usage(FILE *f)
{
	fputs("Usage: tapc [options] SCRIPT.stp [ARGS]\n"
	      "       tapc [options] -e 'SCRIPT' [ARGS]\n"
	      "\n"
	      "Compiles a SystemTap script into a kernel module and runs it.\n"
	      "\n"
	      "  -e SCRIPT      run the script given on the command line\n"
	      "  -p N           stop after pass N: 1 parse, 2 elaborate,\n"
	      "                 3 translate to C, 4 build the module, 5 run\n"
	      "  -v             say what each pass does and how long it takes\n"
	      "  -k             keep the build directory and say where\n"
	      "  -r RELEASE     build for this kernel release (default: this\n"
	      "                 host's, or with --vm the newest cloud kernel)\n"
	      "  -c CMD         run CMD once the probes are in; stop when it exits\n"
	      "  -x PID         target() is PID\n"
	      "  -o FILE        write the script's output to FILE\n"
	      "  -m NAME        name the module NAME\n"
	      "  -g             guru mode: embedded C allowed in the script\n"
	      "  -w             no warnings\n"
	      "  -D NAME=VALUE  set a limit such as MAXACTION in the module\n"
	      "  -I DIR         look for tapsets in DIR too\n"
	      "  --vm           run in a disposable qemu guest, not on this host\n"
	      "  --vm-kernel R  the guest's kernel release (implies --vm)\n"
	      "  --vm-batch LIST OUTDIR\n"
	      "                 run the built modules listed in LIST (lines of\n"
	      "                 NAME<TAB>MODULE.ko[<TAB>CMD]) in one guest boot,\n"
	      "                 writing OUTDIR/NAME.out .err .rc (for tests)\n"
	      "  --print-vm-kernel\n"
	      "                 print the kernel --vm uses by default\n"
	      "  -h, --help     this text\n"
	      "  -V, --version  tapc's version\n", f);
}

enum { OPT_VM = 256, OPT_VM_KERNEL, OPT_VM_BATCH, OPT_PRINT_VM_KERNEL };

static void parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "vm", no_argument, NULL, OPT_VM },
		{ "vm-kernel", required_argument, NULL, OPT_VM_KERNEL },
		{ "vm-batch", required_argument, NULL, OPT_VM_BATCH },
		{ "print-vm-kernel", no_argument, NULL, OPT_PRINT_VM_KERNEL },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	o->last_pass = 5;
	/* Options may follow the script, as with stap; "--" ends them. */
	while ((c = getopt_long(argc, argv, "e:p:vkr:c:x:o:m:gwD:I:hV",
				longopts, NULL)) != -1) {
		switch (c) {
		case 'e': o->script_text = optarg; break;
		case 'p':
			o->last_pass = atoi(optarg);
			if (o->last_pass < 1 || o->last_pass > 5) {
				fprintf(stderr, "tapc: -p takes 1 to 5\n");
				exit(1);
			}
			break;
		case 'v': o->verbose++; break;
		case 'k': o->keep = 1; break;
		case 'r': o->release = optarg; break;
		case 'c': o->command = optarg; break;
		case 'x': o->target_pid = optarg; break;
		case 'o': o->output = optarg; break;
		case 'm': o->modname = optarg; break;
		case 'g': o->guru = 1; break;
		case 'w': diag_warnings_off = 1; break;
		case 'D': vec_push(&o->defines, optarg); break;
		case 'I': vec_push(&o->includes, optarg); break;
		case OPT_VM: o->vm = 1; break;
		case OPT_VM_KERNEL: o->vm = 1; o->vm_kernel = optarg; break;
		case OPT_VM_BATCH:
			o->batch_list = optarg;
			if (optind >= argc) {
				fprintf(stderr, "tapc: --vm-batch needs LIST "
					"and OUTDIR\n");
				exit(1);
			}
			o->batch_outdir = argv[optind++];
			break;
		case OPT_PRINT_VM_KERNEL: {
			const char *r = vm_default_release();

			if (r)
				printf("%s\n", r);
			exit(r ? 0 : 1);
		}
		case 'h': usage(stdout); exit(0);
		case 'V': printf("tapc %s\n", TAPC_VERSION); exit(0);
		default: usage(stderr); exit(1);
		}
	}
	if (!o->script_text && !o->batch_list) {
		if (optind >= argc) {
			usage(stderr);
			exit(1);
		}
		o->script_path = argv[optind++];
	}
}

/* taprun lives beside tapc. */
static char *taprun_path(void)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n <= 0)
		return xstrdup("taprun");
	self[n] = '\0';
	return xasprintf("%s/taprun", dirname(self));
}

static const char *choose_release(const struct options *o)
{
	static struct utsname u;
	const char *r;

	if (o->release)
		return o->release;
	if (o->vm_kernel)
		return o->vm_kernel;
	if (o->vm) {
		r = vm_default_release();
		if (!r)
			diag_fatal("--vm: no installed cloud kernel with headers "
				   "(run make setup)");
		return r;
	}
	uname(&u);
	return u.release;
}

/* Where -p4 leaves the module: the per-user cache directory. */
static char *cache_path(const char *modname)
{
	const char *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	char *dir = xdg && *xdg ? xasprintf("%s/tapc", xdg)
				: xasprintf("%s/.cache/tapc", home ? home : "/tmp");
	char *parent = xstrdup(dir);

	mkdir(dirname(parent), 0755);
	mkdir(dir, 0755);
	free(parent);
	parent = xasprintf("%s/%s.ko", dir, modname);
	free(dir);
	return parent;
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

static void timing(const struct options *o, int pass, const char *what,
		   double start)
{
	if (o->verbose)
		fprintf(stderr, "Pass %d: %s in %.0f ms\n", pass, what,
			now_ms() - start);
}

/* Pass 5 on this host: taprun in a child, so the build directory is
 * removed after it.  taprun handles Ctrl-C (the terminal sends SIGINT to
 * both of us); we only pass SIGTERM on. */
static pid_t taprun_child;

static void forward_term(int sig)
{
	if (taprun_child > 0)
		kill(taprun_child, sig);
}

static int run_local(const struct options *o, const char *ko)
{
	char *argv[16];
	int n = 0, status;
	char *taprun = taprun_path();

	argv[n++] = taprun;
	if (o->command) {
		argv[n++] = "-c";
		argv[n++] = (char *)o->command;
	}
	if (o->target_pid) {
		argv[n++] = "-x";
		argv[n++] = (char *)o->target_pid;
	}
	if (o->output) {
		argv[n++] = "-o";
		argv[n++] = (char *)o->output;
	}
	if (o->verbose)
		argv[n++] = "-v";
	argv[n++] = (char *)ko;
	argv[n] = NULL;
	fflush(NULL);
	taprun_child = fork();
	if (taprun_child == 0) {
		execv(taprun, argv);
		fprintf(stderr, "tapc: cannot run %s: %s\n", taprun,
			strerror(errno));
		_exit(127);
	}
	if (taprun_child < 0)
		return 1;
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, forward_term);
	signal(SIGHUP, forward_term);
	while (waitpid(taprun_child, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

/* Pass 5 in a guest.  -o is the host's file: the guest's stdout comes
 * back here and goes into it. */
static int run_vm(const struct options *o, const char *release,
		  const char *ko)
{
	struct vm_opts vo = { .release = release, .taprun = taprun_path(),
			      .verbose = o->verbose };
	char *extra[] = { o->verbose ? "-v" : NULL, NULL };
	struct vm_job job = { .name = "session", .module = ko,
			      .command = o->command, .taprun_args = extra };
	int rc;

	if (o->target_pid) {
		fprintf(stderr, "tapc: -x names a host process; with --vm use "
			"-c to start the target in the guest\n");
		return 1;
	}
	if (o->output && !freopen(o->output, "w", stdout)) {
		fprintf(stderr, "tapc: cannot write %s: %s\n", o->output,
			strerror(errno));
		return 1;
	}
	rc = vm_run(&vo, &job);
	return rc < 0 ? 1 : rc;
}

/* --vm-batch: run modules built earlier, several per boot. */
static int run_batch(const struct options *o)
{
	struct vec jobs = {0};
	char *text, *save, *ln;
	struct vm_opts vo = { .taprun = taprun_path(),
			      .verbose = o->verbose };
	struct vm_job *arr;
	int rc;

	vo.release = o->vm_kernel ? o->vm_kernel : vm_default_release();
	if (read_file(o->batch_list, &text, NULL) < 0) {
		fprintf(stderr, "tapc: cannot read %s\n", o->batch_list);
		return 1;
	}
	for (ln = strtok_r(text, "\n", &save); ln; ln = strtok_r(NULL, "\n", &save)) {
		struct vm_job *j = xcalloc(1, sizeof(*j));

		j->name = strsep(&ln, "\t");
		j->module = ln ? strsep(&ln, "\t") : NULL;
		j->command = ln && *ln ? ln : NULL;
		if (!j->module) {
			fprintf(stderr, "tapc: %s: bad line for %s\n",
				o->batch_list, j->name);
			return 1;
		}
		vec_push(&jobs, j);
	}
	arr = xcalloc((size_t)jobs.n, sizeof(*arr));
	for (int i = 0; i < jobs.n; i++)
		arr[i] = *(struct vm_job *)jobs.v[i];
	rc = vm_run_batch(&vo, arr, jobs.n, o->batch_outdir);
	return rc == 0 ? 0 : 1;
}

static struct source *load_script(const struct options *o)
{
	struct source *src;

	if (o->script_text)
		return source_from_string("<input>", o->script_text);
	src = source_load(o->script_path, 0);
	if (!src)
		fprintf(stderr, "tapc: cannot read %s: %s\n", o->script_path,
			strerror(errno));
	return src;
}

static char *module_name(const struct options *o, const char *csrc,
			 const char *release)
{
	uint64_t h;

	if (o->modname)
		return xstrdup(o->modname);
	h = hash64(csrc, strlen(csrc), 0);
	h = hash64(release, strlen(release), h);
	return xasprintf("tapc_%012llx", (unsigned long long)(h >> 16));
}

int main(int argc, char **argv)
{
	struct options o = {0};
	struct elab_options eo = {0};
	struct build_options bo = {0};
	struct strbuf out;
	struct source *src;
	struct file_ast *ast;
	struct program *prog;
	char *workdir = NULL, *ko;
	const char *release;
	double t;
	int rc;

	parse_options(argc, argv, &o);
	if (o.batch_list)
		return run_batch(&o);
	src = load_script(&o);
	if (!src)
		return 1;
	sb_init(&out);

	t = now_ms();
	ast = parse_source(src);
	if (!ast)
		return 1;
	timing(&o, 1, "parsed the script", t);
	if (o.last_pass == 1) {
		ast_print_file(ast, &out);
		fputs(out.s, stdout);
		return 0;
	}

	release = choose_release(&o);
	if (!release)
		return 1;
	t = now_ms();
	eo.guru = o.guru;
	eo.release = release;
	eo.tapset_dir = TAPC_SRCDIR "/tapset";
	eo.include_dirs = o.includes;
	prog = elab_program(ast, &eo);
	if (!prog)
		return 1;
	if (o.verbose)
		fprintf(stderr, "Pass 2: analyzed script: %d probes, %d "
			"functions, %d globals, using %d library scripts in "
			"%.0f ms\n", prog->points.n, prog->functions.n,
			prog->globals.n, prog->tapset_files.n, now_ms() - t);
	if (o.last_pass == 2) {
		elab_print(prog, &out);
		fputs(out.s, stdout);
		return 0;
	}

	t = now_ms();
	tr_program(prog, &out);
	timing(&o, 3, "translated to C", t);
	if (o.last_pass == 3) {
		fputs(out.s, stdout);
		return 0;
	}

	t = now_ms();
	bo.release = release;
	bo.modname = module_name(&o, out.s, release);
	bo.runtime_dir = TAPC_SRCDIR "/runtime";
	bo.defines = o.defines;
	bo.verbose = o.verbose > 1;
	ko = build_module(&bo, out.s, &workdir);
	if (!ko) {
		if (workdir && o.keep)
			fprintf(stderr, "tapc: kept %s\n", workdir);
		else
			build_cleanup(workdir);
		return 1;
	}
	if (o.verbose)
		fprintf(stderr, "Pass 4: compiled C into %s.ko in %.0f ms\n",
			bo.modname, now_ms() - t);
	if (o.last_pass == 4) {
		char *dest = cache_path(bo.modname);

		rc = copy_file(ko, dest) == 0 ? 0 : 1;
		if (rc == 0)
			printf("%s\n", dest);
		else
			fprintf(stderr, "tapc: cannot write %s\n", dest);
	} else if (o.vm) {
		rc = run_vm(&o, release, ko);
	} else {
		rc = run_local(&o, ko);
	}
	if (o.keep)
		fprintf(stderr, "tapc: kept the build directory %s\n", workdir);
	else
		build_cleanup(workdir);
	return rc;
}
