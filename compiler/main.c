/*
 * main.c - tapc's command line: run the passes in order, stop where -p
 * says, and hand the module to taprun, on this host or in a guest.
 *
 * The pass map (docs/architecture.md has the full one):
 *
 *   1 parse       lexer.l parser.y parse_build.c preprocess.c ast.c
 *                 script text -> AST; -p1 prints it as a script
 *   2 elaborate   elab*.c alias.c points*.c fold*.c elide.c locks.c
 *                 tapset.c dwarf*.c ksyms*.c
 *                 AST -> program: aliases expanded, points resolved,
 *                 @defined folded (probes split per point), names
 *                 resolved, unused code elided, types, statistics,
 *                 locks; -p2 prints it
 *   3 translate   translate.c tr_*.c format.c
 *                 program -> the module's C; -p3 prints it
 *   4 build       build.c (kbuild), then cache.c stores the module
 *                 C -> NAME.ko; -p4 prints its path
 *   5 run         taprun (runtime/taprun), or vm*.c's qemu guest
 *                 the session's output; tapc's status is taprun's
 *
 * The module cache is looked up between passes 1 and 2 (-p4, -p5): a hit
 * skips passes 2-4.  passes[] below is the table run_passes() follows; a
 * pass that reports an error through diag ends tapc with status 1
 * before the next one.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <signal.h>
#include <unistd.h>

#include "build.h"
#include "cache.h"
#include "points_dwarf.h"
#include "elab.h"
#include "parse.h"
#include "paths.h"
#include "progress.h"
#include "translate.h"
#include "version.h"
#include "vm/vm.h"

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
	const char *timeout;		/* -T, for taprun */
	const char *bufsize;		/* -s, for taprun */
	int bulk;			/* -b */
	const char *list_pp;		/* -l, -L */
	int list_vars;			/* -L */
	int no_cache;			/* --disable-cache */
	int clean_cache;		/* --clean-cache */
	int nargs;			/* script arguments, $1 @1 ... */
	char **args;
	int vm;				/* --vm */
	int vm_net;			/* --vm-net */
	struct vec vm_files;		/* --vm-file */
	int vm_modules;			/* --vm-modules */
	const char *vm_kernel;		/* --vm-kernel */
	char *vm_append;		/* --vm-append, each joined by a blank */
	const char *batch_list;		/* --vm-batch LIST OUTDIR */
	const char *batch_outdir;
	int unoptimized;		/* -u */
	int werror;			/* -W */
	struct vec set_globals;		/* -G NAME=VALUE */
	struct vec code_options;	/* -G -u as given, for the cache key */
	int all_modules;		/* --all-modules */
	struct vec symbol_paths;	/* -d PATH: user-space, not used yet */
	int ldd;			/* --ldd */
};

/* The passes' table (below) has 5 rows. */
#define NPASSES 5
static void usage_passes(FILE *f);

static void usage(FILE *f)
{
	fputs("Usage: tapc [options] SCRIPT.stp [ARGS]\n"
	      "       tapc [options] -e 'SCRIPT' [ARGS]\n"
	      "       tapc -l PROBE | -L PROBE\n"
	      "\n"
	      "Compiles a SystemTap script into a kernel module and runs it.\n"
	      "ARGS are the script's $1 @1 $2 ...\n"
	      "\n"
	      "  -e SCRIPT      run the script given on the command line\n", f);
	usage_passes(f);
	fputs("  -v             say what each pass does and how long it takes\n"
	      "                 (-vv: also the build's and the run's details)\n"
	      "  -k             keep the build directory and say where\n"
	      "  -r RELEASE     build for this kernel release (default: this\n"
	      "                 host's, or with --vm the distribution's cloud kernel)\n"
	      "  -c CMD         run CMD once the probes are in; stop when it exits\n"
	      "  -x PID         target() is PID\n"
	      "  -o FILE        write the script's output to FILE\n"
	      "  -T SECONDS     end the session after SECONDS\n"
	      "  -s MB          output buffer of each CPU, in MiB (or NUMk)\n"
	      "  -b             bulk mode: each CPU's output in its own file,\n"
	      "                 FILE_cpuN with -o FILE, else tapc_cpuN\n"
	      "  -l PROBE       list the probe points matching PROBE\n"
	      "  -L PROBE       the same, with their variables\n"
	      "  -m NAME        name the module NAME\n"
	      "  -g             guru mode: embedded C allowed in the script\n"
	      "  -w             no warnings\n"
	      "  -W             warnings are errors\n"
	      "  -q             quiet: no warnings\n"
	      "  -u             unoptimized: keep the script's unused functions\n"
	      "                 and variables\n"
	      "  -G NAME=VALUE  start the script's global NAME at VALUE\n"
	      "  -a ARCH        the target's architecture (x86_64 only)\n"
	      "  -d MODULE|PATH symbols of MODULE for backtraces (kernel\n"
	      "                 modules' always are; user-space PATH: not yet)\n"
	      "  --ldd          -d for PATH's shared libraries too (not yet)\n"
	      "  --all-modules  symbols of every loaded module (always so)\n"
	      "  --compatible=V SystemTap version V's language (accepted)\n"
	      "  -D NAME=VALUE  set a limit such as MAXACTION in the module\n"
	      "  -I DIR         look for tapsets in DIR too\n"
	      "  --color[=WHEN] colour diagnostics: auto (on a terminal,\n"
	      "                 unless NO_COLOR is set), always, never\n"
	      "  -R DIR         the runtime in DIR, not tapc's own (also\n"
	      "                 TAPC_RUNTIME)\n"
	      "  --disable-cache  neither use nor fill the module cache\n"
	      "  --clean-cache  empty the module cache ($XDG_CACHE_HOME/tapc)\n"
	      "  --vm           run in a disposable qemu guest, not on this host\n"
	      "  --vm-kernel R  the guest's kernel release (implies --vm)\n"
	      "  --vm-net       give the guest a virtio NIC (implies --vm)\n"
	      "  --vm-file FILE give the guest FILE at the same path (a\n"
	      "                 program with its libraries; implies --vm)\n"
	      "  --vm-modules   every module of the guest's kernel, for modprobe\n"
	      "                 (a disk image made once per kernel; implies --vm)\n"
	      "  --vm-append ARGS\n"
	      "                 add ARGS to the guest kernel's command line, e.g.\n"
	      "                 nokaslr (may repeat; implies --vm)\n"
	      "  --vm-batch LIST OUTDIR\n"
	      "                 run the built modules listed in LIST (lines of\n"
	      "                 NAME<TAB>MODULE.ko[<TAB>CMD]; MODULE - runs CMD\n"
	      "                 alone) in one guest boot, writing\n"
	      "                 OUTDIR/NAME.out .err .rc (for tests)\n"
	      "  --print-vm-kernel\n"
	      "                 print the kernel --vm uses by default\n"
	      "  -h, --help     this text\n"
	      "  -V, --version  tapc's version\n", f);
}

enum { OPT_VM = 256, OPT_VM_KERNEL, OPT_VM_BATCH, OPT_PRINT_VM_KERNEL,
       OPT_VM_NET, OPT_VM_FILE, OPT_VM_MODULES, OPT_VM_APPEND,
       OPT_DISABLE_CACHE, OPT_CLEAN_CACHE, OPT_ALL_MODULES, OPT_LDD,
       OPT_COMPATIBLE, OPT_COLOR };

/* --vm-append: joined with the earlier ones, checked before any work. */
static void vm_append_add(struct options *o, const char *args)
{
	char *all = xasprintf("%s%s%s", o->vm_append ? o->vm_append : "",
			      o->vm_append ? " " : "", args);

	free(o->vm_append);
	o->vm_append = all;
	if (vm_append_check(all) < 0)
		exit(1);
}

/* An option getopt refused, in one line: unknown, or its argument
 * missing (c is ':').  A short one is optopt; a long one is
 * argv[optind - 1], and optopt is 0 (unknown) or its OPT_ value. */
static void bad_option(int c, char **argv)
{
	const char *arg = argv[optind - 1];
	int is_long = optopt == 0 || optopt >= OPT_VM;
	char *name = is_long ? xstrndup(arg, strcspn(arg, "="))
			     : xasprintf("-%c", optopt);

	if (c == ':')
		fprintf(stderr, "tapc: option '%s' needs an argument\n", name);
	else
		fprintf(stderr, "tapc: unknown option '%s'\n", name);
	free(name);
}

/* -G NAME=VALUE: checked here, applied to the script after pass 1. */
static void set_global_option(struct options *o, char *arg)
{
	char *eq = strchr(arg, '=');

	if (!eq || eq == arg) {
		fprintf(stderr, "tapc: -G takes NAME=VALUE, not '%s'\n", arg);
		exit(1);
	}
	vec_push(&o->set_globals, arg);
	vec_push(&o->code_options, xasprintf("-G %s", arg));
}

/* -a: the modules tapc builds are for x86_64 kernels only. */
static void check_arch(const char *arch)
{
	if (strcmp(arch, "x86_64") && strcmp(arch, "x86")) {
		fprintf(stderr, "tapc: -a %s: tapc builds for x86_64 only\n",
			arch);
		exit(1);
	}
}

/* -d: a kernel module's symbols are always there (ksyms_module.c reads
 * each loaded module's); a user-space file's are not read yet. */
static void symbols_option(struct options *o, const char *arg)
{
	if (strchr(arg, '/'))
		vec_push(&o->symbol_paths, (void *)arg);
}

/* -v: what -d PATH and --ldd do not do yet. */
static void note_symbol_options(const struct options *o)
{
	if (!o->verbose)
		return;
	for (int i = 0; i < o->symbol_paths.n; i++)
		fprintf(stderr, "tapc: -d %s: user-space symbols are not used "
			"yet\n", (char *)o->symbol_paths.v[i]);
	if (o->ldd)
		fprintf(stderr, "tapc: --ldd: user-space symbols are not used "
			"yet\n");
}

/* --color[=WHEN]: alone it means always, as with GNU tools. */
static void color_option(const char *when)
{
	int c = when ? diag_parse_color(when) : DIAG_COLOR_ALWAYS;

	if (c < 0) {
		fprintf(stderr, "tapc: --color takes auto, always or never, "
			"not '%s'\n", when);
		exit(1);
	}
	diag_set_color(c);
}

static void parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "vm", no_argument, NULL, OPT_VM },
		{ "vm-kernel", required_argument, NULL, OPT_VM_KERNEL },
		{ "vm-batch", required_argument, NULL, OPT_VM_BATCH },
		{ "print-vm-kernel", no_argument, NULL, OPT_PRINT_VM_KERNEL },
		{ "vm-net", no_argument, NULL, OPT_VM_NET },
		{ "vm-file", required_argument, NULL, OPT_VM_FILE },
		{ "vm-modules", no_argument, NULL, OPT_VM_MODULES },
		{ "vm-append", required_argument, NULL, OPT_VM_APPEND },
		{ "disable-cache", no_argument, NULL, OPT_DISABLE_CACHE },
		{ "clean-cache", no_argument, NULL, OPT_CLEAN_CACHE },
		{ "all-modules", no_argument, NULL, OPT_ALL_MODULES },
		{ "ldd", no_argument, NULL, OPT_LDD },
		{ "compatible", required_argument, NULL, OPT_COMPATIBLE },
		{ "color", optional_argument, NULL, OPT_COLOR },
		{ "colour", optional_argument, NULL, OPT_COLOR },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	o->last_pass = 5;
	opterr = 0;	/* bad_option() says it, in one line */
	/* Options may follow the script, as with stap; "--" ends them. */
	while ((c = getopt_long(argc, argv,
				":e:p:vkr:c:x:o:m:gwWquG:a:d:D:I:R:T:s:bl:L:hV",
				longopts, NULL)) != -1) {
		switch (c) {
		case 'e': o->script_text = optarg; break;
		case 'p':
			o->last_pass = atoi(optarg);
			if (o->last_pass < 1 || o->last_pass > NPASSES) {
				fprintf(stderr, "tapc: -p takes 1 to %d\n",
					NPASSES);
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
		case 'w': case 'q': diag_warnings_off = 1; break;
		case 'W': o->werror = 1; break;
		case 'u':
			o->unoptimized = 1;
			vec_push(&o->code_options, "-u");
			break;
		case 'G': set_global_option(o, optarg); break;
		case 'a': check_arch(optarg); break;
		case 'd': symbols_option(o, optarg); break;
		case OPT_ALL_MODULES: o->all_modules = 1; break;
		case OPT_LDD: o->ldd = 1; break;
		case OPT_COMPATIBLE: break;	/* one language: SystemTap's */
		case OPT_COLOR: color_option(optarg); break;
		case 'D': vec_push(&o->defines, optarg); break;
		case 'I': vec_push(&o->includes, optarg); break;
		case 'R': paths_set_runtime(optarg); break;
		case 'T': o->timeout = optarg; break;
		case 's': o->bufsize = optarg; break;
		case 'b': o->bulk = 1; break;
		case 'l': case 'L':
			o->list_pp = optarg;
			o->list_vars = c == 'L';
			break;
		case OPT_DISABLE_CACHE: o->no_cache = 1; break;
		case OPT_CLEAN_CACHE: o->clean_cache = 1; break;
		case OPT_VM_NET: o->vm = 1; o->vm_net = 1; break;
		case OPT_VM_FILE: o->vm = 1; vec_push(&o->vm_files, optarg); break;
		case OPT_VM_MODULES: o->vm = 1; o->vm_modules = 1; break;
		case OPT_VM_APPEND: o->vm = 1; vm_append_add(o, optarg); break;
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
		default: bad_option(c, argv); exit(1);
		}
	}
	if (o->clean_cache) {
		if (cache_clean() < 0)
			exit(1);
		if (!o->script_text && optind >= argc && !o->batch_list)
			exit(0);
	}
	if (!o->script_text && !o->batch_list && !o->list_pp) {
		if (optind >= argc) {
			usage(stderr);
			exit(1);
		}
		o->script_path = argv[optind++];
	}
	/* What follows the script is its arguments. */
	o->nargs = argc - optind;
	o->args = argv + optind;
}

/* taprun lives beside tapc. */
static char *taprun_path(void)
{
	return xasprintf("%s/taprun", paths_exe_dir());
}

/* The guest's /init, a part of the runtime. */
static char *guest_init_path(void)
{
	return xasprintf("%s/guest/init.sh", paths_runtime_dir());
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
			diag_fatal(DG_VM_NO_KERNEL,
				   "--vm: no installed cloud kernel with headers "
				   "(run make setup)");
		return r;
	}
	uname(&u);
	return u.release;
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

/* taprun's options for the session, after argv[0]; returns the count. */
static int taprun_options(const struct options *o, char **argv)
{
	int n = 0;

	if (o->timeout) {
		argv[n++] = "-T";
		argv[n++] = (char *)o->timeout;
	}
	if (o->bufsize) {
		argv[n++] = "-s";
		argv[n++] = (char *)o->bufsize;
	}
	if (o->bulk)
		argv[n++] = "-b";
	if (o->verbose)
		argv[n++] = "-v";
	return n;
}

static int run_local(const struct options *o, const char *ko)
{
	char *argv[24];
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
	n += taprun_options(o, argv + n);
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

/* --vm-file's files, NULL-terminated. */
static char **vm_file_list(const struct options *o)
{
	char **v = xcalloc((size_t)o->vm_files.n + 1, sizeof(*v));

	for (int i = 0; i < o->vm_files.n; i++)
		v[i] = o->vm_files.v[i];
	return v;
}

/* Pass 5 in a guest.  -o is the host's file: the guest's stdout comes
 * back here and goes into it. */
static int run_vm(const struct options *o, const char *release,
		  const char *ko)
{
	struct vm_opts vo = { .release = release, .taprun = taprun_path(),
			      .guest_init = guest_init_path(),
			      .verbose = o->verbose, .nic = o->vm_net,
			      .files = vm_file_list(o),
			      .all_kmods = o->vm_modules,
			      .append = o->vm_append };
	char *extra[16] = { NULL };
	struct vm_job job = { .name = "session", .module = ko,
			      .command = o->command, .taprun_args = extra };
	int rc;

	taprun_options(o, extra);
	if (o->bulk) {
		fprintf(stderr, "tapc: -b writes files in the guest, which is "
			"gone after the run; with --vm use -o\n");
		return 1;
	}
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
	vo.on_ready = progress_end;
	progress_begin("booting the guest (%s)", release);
	rc = vm_run(&vo, &job);
	progress_end();
	return rc < 0 ? 1 : rc;
}

/* --vm-batch: run modules built earlier, several per boot. */
static int run_batch(const struct options *o)
{
	struct vec jobs = {0};
	char *text, *save, *ln;
	struct vm_opts vo = { .taprun = taprun_path(),
			      .guest_init = guest_init_path(),
			      .verbose = o->verbose, .nic = o->vm_net,
			      .files = vm_file_list(o),
			      .all_kmods = o->vm_modules,
			      .append = o->vm_append };
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
		if (j->module && !strcmp(j->module, "-"))
			j->module = NULL;	/* the command alone */
		else if (!j->module) {
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

/*
 * The module cache's key (cache.h); with -p4 or -p5 and the cache on
 * (-k builds anyway, to have a build directory to keep), the cached
 * module's path on a hit, which skips passes 2-4.
 */
static char *cache_find(const struct options *o, const struct source *src,
			const char *release, struct cache_key *key,
			char **modname)
{
	struct cache_inputs in = {
		.script_name = src->name, .script_text = src->text,
		.nargs = o->nargs, .args = o->args, .release = release,
		.tapset_dir = paths_tapset_dir(),
		.include_dirs = o->includes,
		.runtime_dir = paths_runtime_dir(),
		.defines = o->defines, .modname = o->modname, .guru = o->guru,
		.code_options = o->code_options,
	};
	double t = now_ms();
	char *ko;

	cache_key_make(&in, key);
	*modname = cache_modname(key, o->modname);
	if (o->no_cache || o->keep)
		return NULL;
	ko = cache_lookup(key, *modname);
	if (ko && o->verbose)
		fprintf(stderr, "Pass 2-4: using the cached module %s "
			"(looked up in %.1f ms)\n", ko, now_ms() - t);
	else if (o->verbose > 1)
		fprintf(stderr, "tapc: no cached module for key %s\n",
			key->hex);
	return ko;
}

/* -p4 without the cache: the module goes to the current directory. */
static char *keep_module(const char *ko, const char *modname)
{
	char *dest = xasprintf("%s.ko", modname);
	char *text;
	size_t len;

	if (read_file(ko, &text, &len) < 0 || write_file(dest, text, len) < 0) {
		fprintf(stderr, "tapc: cannot write %s\n", dest);
		return NULL;
	}
	free(text);
	return dest;
}

/* What the preprocessor evaluates: the target kernel, -g, the script's
 * arguments, and where library macros (.stpm) are: -I dirs, then ours. */
static void configure_parser(const struct options *o, const char *release)
{
	struct parse_config pc = { .release = release, .arch = "x86_64",
				   .guru = o->guru, .argc = o->nargs,
				   .argv = o->args };

	for (int i = 0; i < o->includes.n; i++)
		vec_push(&pc.macro_dirs, o->includes.v[i]);
	vec_push(&pc.macro_dirs, (char *)paths_tapset_dir());
	parse_configure(&pc);
}

static int list_points(const struct options *o)
{
	struct elab_options eo = { .guru = o->guru,
				   .list_vars = o->list_vars };

	eo.release = choose_release(o);
	return points_list(o->list_pp, &eo) < 0 ? 1 : 0;
}

/* ---- the passes ---- */

/*
 * What the passes hand on to each other.  Static in main() (see there):
 * still reachable at exit, so not counted as leaks.
 */
struct session {
	const struct options *o;
	const char *release;
	struct source *src;
	struct file_ast *ast;		/* pass 1 */
	struct program *prog;		/* pass 2 */
	struct strbuf out;		/* -pN's text; pass 3's C */
	struct build_options bo;	/* pass 4 */
	char *workdir;			/* pass 4's build directory */
	char *ko;			/* the module pass 5 runs */
	char *modname;
	struct cache_key key;
	int cached;			/* ko came from the cache: no 2-4 */
	int rc;				/* pass 5: the session's status */
};

/*
 * One row a pass: run() does its work and returns -1 on failure (an error
 * reported through diag also fails it); print() writes its result when
 * -p stops there; the -v line is "Pass N: DONE in X ms", done_fn's text
 * where the line has figures in it.
 */
struct pass {
	int num;
	const char *name;		/* as -h lists it */
	int (*run)(struct session *s);
	void (*print)(struct session *s);
	const char *done;
	char *(*done_fn)(const struct session *s);
};

/* -G NAME=VALUE: the script's global NAME starts at VALUE, a number
 * if it reads as one and NAME's own initializer, if any, is no string. */
static int set_globals(struct file_ast *ast, const struct vec *settings)
{
	for (int i = 0; i < settings->n; i++) {
		/* in the arena, as the tree's strings are: the error
		 * below may end tapc with it still in use */
		char *name = ast_strdup(settings->v[i]);
		char *value = strchr(name, '='), *end;
		struct symbol *g = NULL, *each;
		struct expr *lit;
		long long n;

		*value++ = '\0';
		VEC_EACH(&ast->globals, j, each)
			if (!strcmp(each->name, name))
				g = each;
		if (!g || g->array) {
			diag_fatal(DG_OPTION, "-G %s: the script has no %s '%s'",
				   (char *)settings->v[i],
				   g ? "scalar global" : "global", name);
			return -1;
		}
		errno = 0;
		n = strtoll(value, &end, 0);
		lit = expr_new(EX_NUM, g->loc);
		if (*value && !*end && !errno &&
		    !(g->init && g->init->kind == EX_STR)) {
			lit->num = n;
		} else {
			lit->kind = EX_STR;
			lit->str = ast_strdup(value);
		}
		g->init = lit;
	}
	return 0;
}

static int pass_parse(struct session *s)
{
	s->ast = parse_source(s->src);
	if (!s->ast)
		return -1;
	return set_globals(s->ast, &s->o->set_globals);
}

static void print_parse(struct session *s)
{
	ast_print_file(s->ast, &s->out);
	fputs(s->out.s, stdout);
}

static int pass_elab(struct session *s)
{
	struct elab_options eo = {
		.guru = s->o->guru, .release = s->release,
		.tapset_dir = paths_tapset_dir(),
		.include_dirs = s->o->includes,
		.unoptimized = s->o->unoptimized,
	};

	s->prog = elab_program(s->ast, &eo);
	return s->prog->failed ? -1 : 0;
}

static char *done_elab(const struct session *s)
{
	return xasprintf("analyzed script: %d probes, %d functions, %d "
			 "globals, using %d library scripts", s->prog->points.n,
			 s->prog->functions.n, s->prog->globals.n,
			 s->prog->tapset_files.n);
}

static void print_elab(struct session *s)
{
	elab_print(s->prog, &s->out);
	fputs(s->out.s, stdout);
}

static int pass_translate(struct session *s)
{
	tr_program(s->prog, &s->out);
	return 0;
}

static void print_translate(struct session *s)
{
	fputs(s->out.s, stdout);
}

/* The runtime folder (-R, TAPC_RUNTIME or ours) has the kernel runtime. */
static bool runtime_present(const char *dir)
{
	char *header = xasprintf("%s/kernel/runtime.h", dir);
	bool ok = access(header, R_OK) == 0;

	if (!ok)
		fprintf(stderr, "tapc: error: no tapc runtime in %s (%s is "
			"missing): check -R and TAPC_RUNTIME\n", dir, header);
	free(header);
	return ok;
}

/* On failure the build directory goes, unless -k keeps it. */
static int pass_build(struct session *s)
{
	s->bo.release = s->release;
	s->bo.modname = s->modname;
	s->bo.runtime_dir = paths_runtime_dir();
	if (!runtime_present(s->bo.runtime_dir))
		return -1;
	s->bo.defines = s->o->defines;
	s->bo.verbose = s->o->verbose > 1;
	s->ko = build_module(&s->bo, s->out.s, &s->workdir);
	if (s->ko)
		return 0;
	if (s->workdir && s->o->keep)
		fprintf(stderr, "tapc: kept %s\n", s->workdir);
	else
		build_cleanup(s->workdir);
	s->workdir = NULL;
	return -1;
}

static char *done_build(const struct session *s)
{
	return xasprintf("compiled C into %s.ko", s->bo.modname);
}

/*
 * After pass 4: the module into the cache, which then holds the copy
 * to run; without the cache -p4 copies it to the current directory.
 * Not part of pass 4: a cache that cannot be written is no failure.
 */
static int settle_module(struct session *s)
{
	char *cached = NULL;

	if (s->cached)
		return 0;
	if (!s->o->no_cache)
		cached = cache_store(&s->key, s->modname, s->ko, s->out.s);
	if (cached)
		s->ko = cached;
	else if (s->o->last_pass == 4 && !(s->ko = keep_module(s->ko,
							      s->modname)))
		return -1;
	return 0;
}

static void print_build(struct session *s)
{
	printf("%s\n", s->ko);
}

/* The session's own status is tapc's; it is no failure of the pass. */
static int pass_run(struct session *s)
{
	s->rc = s->o->vm ? run_vm(s->o, s->release, s->ko)
			 : run_local(s->o, s->ko);
	return 0;
}

static const struct pass passes[] = {
	{ 1, "parse", pass_parse, print_parse, "parsed the script", NULL },
	{ 2, "elaborate", pass_elab, print_elab, NULL, done_elab },
	{ 3, "translate to C", pass_translate, print_translate,
	  "translated to C", NULL },
	{ 4, "build the module", pass_build, print_build, NULL, done_build },
	{ 5, "run", pass_run, NULL, "ran the session", NULL },
};
_Static_assert(sizeof(passes) / sizeof(passes[0]) == NPASSES,
	       "NPASSES is the table's length");

/* -h's list of the passes, wrapped under the -p line. */
static void usage_passes(FILE *f)
{
	int col = fprintf(f, "  -p N           stop after pass N:");

	for (int i = 0; i < NPASSES; i++) {
		char item[64];
		int n = snprintf(item, sizeof(item), "%d %s%s", passes[i].num,
				 passes[i].name, i + 1 < NPASSES ? "," : "\n");

		if (col + 1 + n > 72)
			col = fprintf(f, "\n                ");
		col += fprintf(f, " %s", item);
	}
}

/*
 * Runs one pass; -1 if it failed or reported an error, so that no later
 * pass runs on a result with errors in it.
 */
static int run_pass(struct session *s, const struct pass *p)
{
	int errors = diag_errors;
	double t = now_ms();
	char *done;

	if (p->run(s) < 0 || diag_errors != errors)
		return -1;
	if (s->o->werror && diag_warnings) {
		fprintf(stderr, "tapc: error: warnings are errors (-W)\n");
		return -1;
	}
	if (s->o->verbose) {
		done = p->done_fn ? p->done_fn(s) : xstrdup(p->done);
		fprintf(stderr, "Pass %d: %s in %.0f ms\n", p->num, done,
			now_ms() - t);
		free(done);
	}
	return 0;
}

/* Passes 1 to -p's, or from the cache's module on; tapc's status. */
static int run_passes(struct session *s)
{
	const struct options *o = s->o;

	for (int i = 0; i < o->last_pass; i++) {
		const struct pass *p = &passes[i];
		/* with a cached module, passes 2-4 are done already */
		bool done = s->cached && p->num < 5;

		if (!done && run_pass(s, p) < 0)
			return 1;
		/* passes 1-3 need no key: hashing the tapset and runtime
		 * trees would cost more than pass 2 itself */
		if (p->num == 1 && o->last_pass >= 4) {
			s->ko = cache_find(o, s->src, s->release, &s->key,
					   &s->modname);
			s->cached = s->ko != NULL;
		}
		if (p->num == 4 && settle_module(s) < 0)
			return 1;
		if (p->num == o->last_pass && p->print)
			p->print(s);
	}
	return o->last_pass == 5 ? s->rc : 0;
}

int main(int argc, char **argv)
{
	/*
	 * What tapc holds until it exits (the options, the script, its
	 * AST, the elaborated program, the C text, the cache key) is
	 * static: still reachable at exit, which is not a leak, without
	 * walking the trees to free them (docs/sanitizers.md).
	 */
	static struct options o;
	static struct session s;
	int rc;

	parse_options(argc, argv, &o);
	/* -v's messages would mix with the status line */
	progress_enable(!o.verbose);
	note_symbol_options(&o);
	if (o.batch_list)
		return run_batch(&o);
	if (o.list_pp && !o.list_vars)	/* -l (points_list.c) */
		return list_points(&o);
	if (o.list_pp) {	/* -L (points_dwarf_list.c; others points_list.c) */
		int r = pt_list_dwarf(choose_release(&o), o.list_pp, 1);

		return r == -1 ? list_points(&o) : r ? 1 : 0;
	}
	s.o = &o;
	s.src = load_script(&o);
	if (!s.src)
		return 1;
	sb_init(&s.out);

	/* The preprocessor's %( kernel_v ... %) needs the target kernel. */
	s.release = choose_release(&o);
	if (!s.release)
		return 1;
	configure_parser(&o, s.release);
	rc = run_passes(&s);
	if (s.workdir && o.keep)
		fprintf(stderr, "tapc: kept the build directory %s\n",
			s.workdir);
	else if (s.workdir)
		build_cleanup(s.workdir);
	return rc;
}
