/* dwarfinfo.h - the kernel's debuginfo through elfutils libdw: functions by
 * name (through a cached index), their variables at a probe address,
 * types, and location expressions translated to C.
 *
 * One of the two public headers of kintro, the kernel-introspection
 * library (compiler/kintro/, build/libkintro.a; ksyms.h is the other).  It
 * needs libdw, libelf, compiler/util.c and compiler/progress.c (the
 * status line of the first index build), nothing else of the compiler;
 * tests/kintro tests it alone.
 *
 * Addresses are the debuginfo's link-time addresses; the runtime places
 * probes by symbol + offset, so KASLR does not matter here. */
#ifndef TAPC_DWARF_H
#define TAPC_DWARF_H

#include <elfutils/libdw.h>

#include "util.h"

struct dw_file;

/* Opens (once per process) the debuginfo of the kernel of release, or of
 * module mod when mod is not NULL ("kernel" means the kernel).  NULL,
 * with *why set to a message, when it is not installed. */
struct dw_file *dw_open(const char *release, const char *mod,
			const char **why);
Dwarf *dw_dwarf(struct dw_file *f);
const char *dw_module(const struct dw_file *f);	/* "kernel" or the name */

/* One out-of-line function definition, from the index. */
struct dw_func {
	char *name;
	char *file;		/* its CU-relative declaration file */
	int line;		/* its declaration line */
	Dwarf_Off off;		/* the DIE: DW_TAG_subprogram */
	Dwarf_Addr entry;	/* its lowest address */
};

/* Functions whose name matches pattern (fnmatch wildcards) and, when
 * file is not NULL, whose declaration file matches *file or ends in
 * "/file".  Appends struct dw_func * to out, sorted by name. */
void dw_functions(struct dw_file *f, const char *pattern, const char *file,
		  struct vec *out);
/* Where a function's code starts: DW_AT_entry_pc or DW_AT_low_pc, else
 * the first of its DW_AT_ranges (a function GCC split into a hot part
 * and a .cold part has only ranges, its own part listed first).  0 on
 * success, as dwarf_entrypc. */
int dw_func_entry(Dwarf_Die *fn, Dwarf_Addr *entry);
/* The cache file $XDG_CACHE_HOME/tapc/dwarf-BUILDID.EXT of f, NULL when
 * f has no build-id. */
char *dw_cache_path(struct dw_file *f, const char *ext);
/* The index build/load time of the last dw_open, for -v and bench. */
double dw_index_ms(void);

/* The address of the first line-table row at or after line in the
 * function (a statement probe), or 0 if none: *line is set to the row's
 * line. */
Dwarf_Addr dw_line_addr(struct dw_file *f, const struct dw_func *fn,
			int *line);

/* ---- inline instances (dwarf_inline.c) ---- */

/* One inline instance of a function: a DW_TAG_inlined_subroutine. */
struct dw_inline {
	char *name;		/* the inlined function */
	char *file;		/* its declaration file and line */
	int line;
	Dwarf_Off off;		/* the DW_TAG_inlined_subroutine DIE */
	Dwarf_Addr entry;	/* its entry address (DW_AT_entry_pc...) */
	Dwarf_Off caller;	/* the out-of-line subprogram holding it */
};

/* The inline instances of the functions whose name matches pattern
 * (and file, as dw_functions), sorted by name.  Appends
 * struct dw_inline * (the caller owns them) to out.  The first call on a file
 * builds or loads its cached index (dwarf-BUILDID.inl). */
void dw_inlines(struct dw_file *f, const char *pattern, const char *file,
		struct vec *out);
/* Frees the instances dw_inlines() appended to v, and v's array. */
void dw_inlines_free(struct vec *v);
/* Whether file (a CU-relative path) matches want as dw_functions does. */
int dw_file_matches(const char *file, const char *want);

/* ---- types (dwarf_type.c) ---- */

/* The type DIE of die (DW_AT_type), 0 if it has none (void). */
int dw_type_of(Dwarf_Die *die, Dwarf_Die *type);
/* Skips typedefs, const, volatile, restrict, atomic. */
void dw_peel(Dwarf_Die *type);
/* The C-like name stap prints: "struct file*", "char const*". */
char *dw_type_name(Dwarf_Die *type);
/* A struct/union member by name, looking into anonymous members; adds
 * its byte offset to *off.  Returns 0 if there is none. */
int dw_member(Dwarf_Die *agg, const char *name, Dwarf_Die *member,
	      long *off);
/* The member names of an aggregate, space separated (for errors). */
char *dw_member_names(Dwarf_Die *agg);
/* Finds a named struct/union/typedef/enum by "struct name", "union
 * name" or a typedef's name, in the whole file. */
int dw_find_type(struct dw_file *f, const char *name, Dwarf_Die *out);

/* ---- variables at a probe address (dwarf_vars.c) ---- */

/* Parameters (params != 0) or the locals of the function whose DIE is
 * fn, visible at pc.  Appends a Dwarf_Die * for each (malloc'ed). */
void dw_vars(Dwarf_Die *fn, Dwarf_Addr pc, int params, struct vec *out);
/* The variable or parameter called name visible at pc, or 0. */
int dw_var(Dwarf_Die *fn, Dwarf_Addr pc, const char *name, Dwarf_Die *out);

/* The __traceiter_NAME function of tracepoint NAME, whose parameters
 * after the first are the tracepoint's arguments.  0 if there is none. */
int dw_trace_func(struct dw_file *f, const char *tracepoint,
		  struct dw_func *out);
/* Those arguments: appends a Dwarf_Die * for each (malloc'ed), in the
 * order of the tracepoint call (c->trace_args[i]). */
void dw_trace_args(Dwarf_Die *iter, struct vec *out);

/* ---- locations (dwarf_loc.c) ---- */

/* A variable's location at pc, as C over struct rt_context *c:
 *  DW_LOC_VALUE: expr is the value itself (a register, a computed value);
 *  DW_LOC_ADDR:  expr is the address of the value in kernel memory. */
enum dw_loc_kind { DW_LOC_NONE, DW_LOC_VALUE, DW_LOC_ADDR };
struct dw_loc {
	enum dw_loc_kind kind;
	char *expr;
	char *why;	/* DW_LOC_NONE: "optimized out", "unsupported ..." */
};
/* errloc is the C string literal the generated reads report faults at. */
struct dw_loc dw_location(struct dw_file *f, Dwarf_Die *fn, Dwarf_Die *var,
			  Dwarf_Addr pc, const char *errloc);

#endif
