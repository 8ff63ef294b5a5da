/* parse_build.h - the node builders of pass 1's grammar actions
 * (parse_build.c), for parser.y alone; their prefix is pb_.  YYLTYPE, struct pp_alts and
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

struct expr *pb_copy(const struct expr *e, YYLTYPE l);
struct expr *pb_binary(int op, struct expr *a, struct expr *b, YYLTYPE l);
struct expr *pb_assign(int op, struct expr *a, struct expr *b, YYLTYPE l);
struct expr *pb_unary(enum expr_kind kind, int op, struct expr *a,
		      YYLTYPE l);
struct expr *pb_address_of(struct expr *a, YYLTYPE l);
struct expr *pb_negate(struct expr *a, YYLTYPE l);
struct expr *pb_with_arg(enum expr_kind kind, char *str, struct expr *a,
			 YYLTYPE l);
struct vec *pb_list1(void *x);
void pb_take_list(struct vec *to, struct vec *from);
void pb_append(struct vec *to, const struct vec *from);
struct pp_alts *pb_alts1(struct pp_component *c);
struct pp_alts *pb_alts_product(struct pp_alts *a, struct pp_alts *b,
				YYLTYPE l);
struct pp_alts *pb_alts_union(struct pp_alts *a, struct pp_alts *b,
			      YYLTYPE l);
struct pp_alts *pb_alts_mark(struct pp_alts *a, int marks);
struct vec *pb_points(struct pp_alts *a, int marks,
		      struct expr *cond, YYLTYPE l);
char *pb_glue(const char *a, const char *b, YYLTYPE lb);
struct probe_alias *pb_alias(struct vec *name, struct vec *points,
			     int epilogue, struct stmt *body,
			     YYLTYPE l, YYLTYPE lname);
enum type pb_type(const char *name, YYLTYPE l);
struct fe_head *pb_fe_new(void);
struct expr *pb_var(char *name, YYLTYPE l);
void pb_fe_sort(struct fe_head *h, int col, int dir, YYLTYPE l);
struct stmt *pb_foreach(struct fe_head *h, struct expr *array,
			int dir, char *aggr, struct expr *limit,
			YYLTYPE l, YYLTYPE lsort);
int pb_is_chain(const struct expr *e);
struct expr *pb_target(char *name, YYLTYPE l);
struct expr *pb_field_of(struct expr *e, char *name, YYLTYPE larrow,
			 YYLTYPE lname);
struct expr *pb_index_of(struct expr *e, struct vec *keys, YYLTYPE l);
struct stmt *pb_simple(enum stmt_kind kind, struct expr *e, YYLTYPE l);

#endif
