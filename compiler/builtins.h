/* builtins.h - the language's built-in calls in one table.
 *
 * A builtin is a call the compiler handles itself rather than through a
 * tapset function: printf and the print family, the statistics
 * extractors (@count ...) and the histograms (@hist_linear, @hist_log).
 * Pass 2 looks a call up once (bi_lookup) and records the entry in
 * expr.bi; every later pass asks the entry, never the name.
 *
 * Adding a builtin: a row in builtins.c, its pass-2 hook (typing) in
 * elab.c and its pass-3 hook (emission) in the translator.  Prefix bi_.
 */
#ifndef TAPC_BUILTINS_H
#define TAPC_BUILTINS_H

#include "ast.h"

struct elab;
struct tr;
struct program;

enum bi_id {
	BI_PRINTF, BI_SPRINTF,
	BI_PRINT, BI_PRINTLN, BI_PRINTD, BI_PRINTDLN,
	BI_SPRINT, BI_SPRINTLN, BI_SPRINTD, BI_SPRINTDLN,
	BI_COUNT, BI_SUM, BI_MIN, BI_MAX, BI_AVG, BI_VARIANCE,
	BI_HIST_LINEAR, BI_HIST_LOG,
};

/* What a builtin's arguments and value are, for the hooks. */
enum {
	BI_STRING = 1,		/* the value is the text (sprint...) */
	BI_DELIM = 2,		/* a literal delimiter first (printd...) */
	BI_NEWLINE = 4,		/* a newline after the values (...ln) */
};

/* Pass 2: infers the arguments' types and gives the call's type. */
typedef enum type bi_infer_fn(struct elab *el, struct expr *e);
/* Pass 2, once the types are known: checks what is fixed when the
 * module is built (a histogram's layout ...).  Errors are reported. */
typedef void bi_check_fn(struct program *prog, const struct expr *e);
/* Pass 3: the call's C expression (malloc'd). */
typedef char *bi_emit_fn(struct tr *t, const struct expr *e);

struct builtin {
	const char *name;	/* without the '@' of @count ... */
	enum bi_id id;
	enum expr_kind form;	/* EX_CALL, EX_STAT or EX_HIST */
	unsigned flags;		/* BI_STRING ... */
	bi_infer_fn *infer;
	bi_check_fn *check;	/* or NULL */
	bi_emit_fn *emit;	/* or NULL: only an argument of another */
};

/* The builtin of that form and name, or NULL. */
const struct builtin *bi_lookup(enum expr_kind form, const char *name);

/* The hooks, each in the pass it belongs to. */
/* elab.c */
bi_infer_fn elab_bi_format, elab_bi_print, elab_bi_stat, elab_bi_hist;
bi_check_fn elab_bi_variance, elab_bi_hist_layout;
/* translate.c, tr_lang.c, tr_stats.c */
bi_emit_fn tr_bi_format, tr_bi_print, tr_print_family, tr_stat_value;

#endif
