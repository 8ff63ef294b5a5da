/* elab.h - pass 2: resolve names, infer types, pull in tapsets and turn
 * probe points into the concrete points pass 3 registers. */
#ifndef TAPC_ELAB_H
#define TAPC_ELAB_H

#include "ast.h"
#include "points.h"		/* struct concrete_point */

/* A global a probe touches, and whether it writes it. */
struct global_lock {
	struct symbol *sym;
	int write;
};

#define ELAB_MAXKEYS 9

/* A global used as an associative array: its keys' count and types. */
struct array_info {
	struct symbol *sym;		/* its value type is sym->type */
	int nkeys;
	enum type key[ELAB_MAXKEYS];
	struct loc loc;			/* first use with keys */
};

/* A global statistic and the histogram its @hist_* asks for. */
struct stat_info {
	struct symbol *sym;
	int hist;			/* 0 none, 1 log, 2 linear */
	int64_t lo, hi, width;		/* linear */
	struct loc hist_loc;
	int variance;			/* @variance is asked of it */
	int shift;			/* with this bit shift */
};

struct program {
	struct file_ast *script;
	struct vec globals;		/* of struct symbol *, used ones */
	struct vec probes;		/* of struct probe * */
	struct vec points;		/* of struct concrete_point * */
	struct vec functions;		/* of struct function *, used ones */
	struct vec embeds;		/* of struct embedded *, from used files */
	struct vec tapset_files;	/* of const struct source *, pulled in */
	const char *tapset_dir;
	const char *release;		/* the kernel the probes are for */
	/* Indexed by probe id: a struct vec of struct global_lock *, in
	 * the order of globals (locks.c). */
	struct vec probe_locks;
	struct vec arrays;		/* of struct array_info * */
	struct vec stats;		/* of struct stat_info *, after pass 2 */
	/* The tapset library pass 2 opened (or NULL): it owns the parsed
	 * tapset files the program's functions and probes come from. */
	struct tapset_lib *lib;
	int failed;			/* pass 2 reported errors */
};

/* The array information of a global, or NULL if it is a scalar. */
struct array_info *elab_array(const struct program *prog,
			      const struct symbol *sym);
/* The statistics information of a global statistic (scalar or array). */
struct stat_info *elab_stat(const struct program *prog,
			    const struct symbol *sym);

struct elab_options {
	int guru;			/* -g: embedded C allowed in the script */
	const char *release;		/* kernel the probes are for */
	const char *tapset_dir;		/* built-in tapset directory */
	struct vec include_dirs;	/* -I, of char * */
	int list_vars;			/* -L: points_list adds variables */
	int unoptimized;		/* -u: the script's unused code stays */
};

/* The elaborated program.  After errors, reported through diag, it is
 * only partly built and has failed set: the caller stops there, and
 * holds it until exit like a good one (docs/sanitizers.md). */
struct program *elab_program(struct file_ast *script,
			     const struct elab_options *opt);
/* Fills prog->probe_locks; part of pass 2. */
void locks_compute(struct program *prog);
/* Pass 2's printable result. */
void elab_print(const struct program *prog, struct strbuf *out);

#endif
