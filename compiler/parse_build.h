/* parse_build.h - the node builders of pass 1's grammar actions
 * (parse_build.c), for parser.y alone.  YYLTYPE, struct pp_alts and
 * struct fe_head come from the grammar's %code requires (parser.h). */
#ifndef TAPC_PARSE_BUILD_H
#define TAPC_PARSE_BUILD_H

#include "ast.h"
#include "parser.h"

/* A bison location as a diagnostic's. */
static inline struct loc L(YYLTYPE l)
{
	return (struct loc){ l.src, l.first_line, l.first_column };
}

/* A probe point's marks: ? and !. */
enum { MARK_OPTIONAL = 1, MARK_SUFFICIENT = 2 };

/* At the start of each parse: the budget of copied nodes. */
void pb_copies_reset(void);

struct expr *copy(const struct expr *e, YYLTYPE l);
struct expr *binary(int op, struct expr *a, struct expr *b, YYLTYPE l);
struct expr *assign(int op, struct expr *a, struct expr *b, YYLTYPE l);
struct expr *unary(enum expr_kind kind, int op, struct expr *a,
		   YYLTYPE l);
struct expr *address_of(struct expr *a, YYLTYPE l);
struct expr *negate(struct expr *a, YYLTYPE l);
struct expr *with_arg(enum expr_kind kind, char *str, struct expr *a,
		      YYLTYPE l);
struct vec *list1(void *x);
void take_list(struct vec *to, struct vec *from);
void free_exprs(struct vec *v);
void free_points(struct vec *v);
void free_syms(struct vec *v);
void comp_free(struct pp_component *c);
void alts_free(struct pp_alts *a);
struct pp_alts *alts1(struct pp_component *c);
struct pp_alts *alts_product(struct pp_alts *a, struct pp_alts *b,
			     YYLTYPE l);
struct pp_alts *alts_union(struct pp_alts *a, struct pp_alts *b,
			   YYLTYPE l);
struct pp_alts *alts_mark(struct pp_alts *a, int marks);
struct vec *make_points(struct pp_alts *a, int marks,
			struct expr *cond, YYLTYPE l);
char *glue(char *a, char *b, YYLTYPE lb);
struct probe_alias *make_alias(struct vec *name, struct vec *points,
			       int epilogue, struct stmt *body,
			       YYLTYPE l, YYLTYPE lname);
enum type parse_type(char *name, YYLTYPE l);
void fe_free(struct fe_head *h);
struct expr *var(char *name, YYLTYPE l);
void fe_sort(struct fe_head *h, int col, int dir, YYLTYPE l);
struct stmt *make_foreach(struct fe_head *h, struct expr *array,
			  int dir, char *aggr, struct expr *limit,
			  YYLTYPE l, YYLTYPE lsort);
int is_chain(const struct expr *e);
struct expr *target(char *name, YYLTYPE l);
struct expr *field_of(struct expr *e, char *name, YYLTYPE larrow,
		      YYLTYPE lname);
struct expr *index_of(struct expr *e, struct vec *keys, YYLTYPE l);
struct stmt *simple(enum stmt_kind kind, struct expr *e, YYLTYPE l);

#endif
