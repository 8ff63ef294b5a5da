/* tr_int.h - what translate.c lends the translator's other files
 * (tr_stats.c, tr_lang.c, regex.c): the state of the function being
 * written and the helpers that emit into it.  Prefixed tri_. */
#ifndef TAPC_TR_INT_H
#define TAPC_TR_INT_H

#include "builtins.h"	/* the emitters of builtins: tr_bi_format ... */
#include "elab.h"

struct tr;

/* The C of a script expression (malloc'd). */
char *tri_expr(struct tr *t, const struct expr *e);
/* A new string temporary of the frame: "l->tmpN" (malloc'd). */
char *tri_temp(struct tr *t);
/* A fresh number for names inside statement expressions (vN, pN ...). */
int tri_val(struct tr *t);
/* A script location as a C string literal (malloc'd). */
char *tri_loc(struct loc loc);
/* s as a C string literal (malloc'd). */
char *tri_cstr(const char *s);
/* The keys of a[k1, k2] as a compound literal of union rt_key. */
char *tri_keys(struct tr *t, const struct expr *index);
/* A line of C at the current indentation. */
void tri_line(struct tr *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A statement or block one level deeper, charged to MAXACTION. */
void tri_nested(struct tr *t, const struct stmt *s);
/* An lvalue's C text for a script variable. */
char *tri_var(const struct symbol *s);
const struct program *tri_prog(struct tr *t);
/* Enters (+1) or leaves (-1) a try block. */
void tri_try_depth(struct tr *t, int delta);
/* The probe and point the handler being written is for (the point is
 * NULL in a handler shared by all the points of its probe). */
const struct probe *tri_probe(struct tr *t);
const struct concrete_point *tri_point(struct tr *t);
/* Starts a new handler's frame (its locals and temporaries), and ends
 * it: its struct into decls, its name into frames (the context union). */
void tri_begin_frame(struct tr *t, const char *name, struct strbuf *body);
void tri_end_frame(struct tr *t, struct strbuf *decls, struct vec *frames);
int tri_frame_used(struct tr *t);
/* Whether expressions are written for a function's entry (@entry's),
 * where target values are read, and setting it. */
int tri_at_entry(struct tr *t);
void tri_set_entry(struct tr *t, int on);

/* tr_entry.c: @entry in .return probes. */
char *tr_entry_value(struct tr *t, const struct expr *e);
void tr_entry_struct(const struct probe *p, struct strbuf *decls);
void tr_entry_handler(struct tr *t, const struct probe *p,
		      const struct concrete_point *cp, struct strbuf *decls,
		      struct strbuf *defs, struct vec *frames);
void tr_entry_fields(const struct program *prog,
		     const struct concrete_point *cp, struct strbuf *out);

/* tr_stats.c: statistics, in scalars and array elements. */
char *tr_stat_add(struct tr *t, const struct expr *e);
char *tr_hist_print(struct tr *t, const struct expr *h, int newline);
const char *tr_stat_sort_key(const struct stmt *foreach);
int tr_stat_arrays(const struct program *prog);
void tr_stat_hist_global(const struct program *prog, const struct symbol *g,
			 struct strbuf *out);
char *tr_stat_buckets(const struct program *prog, const struct symbol *g);
void tr_stat_init(const struct program *prog, struct strbuf *out);
void tr_stat_exit(const struct program *prog, struct strbuf *out);

/* tr_lang.c: try/catch (the print family is in builtins.h). */
void tr_try(struct tr *t, const struct stmt *s);

/* tr_lang.c: printf's %b, %m and %M (1 if p is one of them). */
struct fmt_piece;
int tr_call_relocates(const struct expr *call);
void tr_format_stars(struct tr *t, const struct fmt_piece *p,
		     const struct expr *e, int *arg, struct strbuf *args);
int tr_format_special(struct tr *t, const struct fmt_piece *p,
		      const struct expr *e, int *arg, struct strbuf *kfmt,
		      struct strbuf *args);

/* tr_lang.c: =~ and !~, with the tables of their patterns. */
char *tr_regex(struct tr *t, const struct expr *e);
int tr_regex_used(const struct program *prog);
void tr_regex_tables(struct strbuf *out);
void tr_regex_context(const struct program *prog, struct strbuf *out);

/* tr_kinds.c: the table of probe kinds. */
typedef void tr_fields_fn(const struct concrete_point *cp, struct strbuf *out);
struct tr_kind {
	enum pp_kind kind;
	const char *rt_kind;		/* "RT_PROBE_KPROBE" */
	const char *part;		/* "TIMER" for RT_USE_TIMER, or NULL */
	tr_fields_fn *fields;		/* its fields of struct rt_probe */
	int kprobe_pre;			/* .kprobe_pre, not .handler */
};
const struct tr_kind *tr_kind_of(enum pp_kind kind);
/* Row i of the table, in table order; NULL past the end. */
const struct tr_kind *tr_kind_at(int i);

/* tr_points.c: the probe table, and the field writers of its kinds. */
void tr_field_str(struct strbuf *out, const char *name, const char *v);
void tr_field_num(struct strbuf *out, const char *name, uint64_t v);
tr_fields_fn tr_fields_kprobe, tr_fields_timer, tr_fields_trace,
	tr_fields_perf;
/* points_data.c */
tr_fields_fn tr_fields_hwbkpt;
/* points_procfs.c */
tr_fields_fn tr_fields_procfs;
/* points_netfilter.c */
tr_fields_fn tr_fields_netfilter;

/* tr_parts.c: the #defines and #includes of the runtime's parts. */
void tr_parts(const struct program *prog, struct strbuf *out);

/* tr_actions.c: the most statements a hit of this probe body runs, or
 * -1 when it has loops or calls script functions. */
int tr_actions_bound(const struct stmt *body);

#endif
