/* elab_int.h - what the files of pass 2 share (elab.c, alias.c, fold.c):
 * the pass's state and the steps one file asks of another. */
#ifndef TAPC_ELAB_INT_H
#define TAPC_ELAB_INT_H

#include "elab.h"
#include "tapset.h"

struct elab {
	const struct elab_options *opt;
	struct program *prog;
	struct tapset_lib *lib;		/* opened on the first need */
	/* The body being walked. */
	struct vec *locals;
	struct function *fn;
	/* Type inference. */
	int changed;
	int report;
	/* Names the variable whose type `why_expr` must match. */
	const struct expr *why_expr;
	const struct symbol *why_sym;
	/* alias.c: every alias name, split into components, made once. */
	struct vec alias_names;
	int alias_names_made;
};

/* The tapset library, opened on the first call. */
struct tapset_lib *elab_library(struct elab *el);
/* Adds a tapset file to the program (its embedded C with it), once. */
void elab_pull_in_file(struct elab *el, const struct file_ast *f);

/* Turns one probe point with no alias in it into concrete points of
 * probe p; returns how many.  Reports an unknown point unless it is
 * optional. */
int elab_resolve_point(struct elab *el, struct probe *p,
		       const struct probe_point *pp);

/* Adds a probe pass 3 translates (p->id is set). */
void elab_add_probe(struct elab *el, struct probe *p);

/* alias.c: resolves the points of a probe of the script, through
 * aliases and conditions, into concrete points of it or of probes
 * derived from it (added with elab_add_probe). */
void alias_expand(struct elab *el, struct probe *p);
/* alias.c: frees el->alias_names, at the end of the pass. */
void alias_names_free(struct elab *el);

/* elide.c: drops unused functions and unread locals, with warnings;
 * after resolution, before type inference. */
void elide_unused(struct elab *el);

/* fold.c: folds @defined, constants and dead branches in a body of
 * probe p (NULL for a function's), before resolution. */
void fold_body(const struct program *prog, const struct probe *p,
	       struct stmt *body);
/* fold_split.c: gives the points of a probe that answer its @defined
 * differently probes of their own, before fold_body(). */
void fold_split(struct program *prog);

#endif
