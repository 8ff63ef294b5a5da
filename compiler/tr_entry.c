/* tr_entry.c - @entry(expr) in .return probes, pass 3.
 *
 * The values a probe's body reads with @entry are one struct,
 * `struct probe_N_saved` (a long or a MAXSTRINGLEN string per @entry, in
 * entry_list() order): the kretprobe keeps one per call in flight (its
 * data_size), the entry handler `HANDLER_entry` fills it when the
 * function is entered, and the return handler reads it through
 * c->rt.entry_data.  A string is copied whole at the entry, since what
 * it points at may be gone at the return.
 */
#include "tr_int.h"

#include <stdlib.h>

#include "entry.h"
#include "translate.h"

/* The slot of e in its probe's struct, or -1. */
static int slot_of(const struct probe *p, const struct expr *e)
{
	struct vec v = {0};
	int slot = -1;

	entry_list(p, &v);
	for (int i = 0; i < v.n; i++)
		if (v.v[i] == e)
			slot = i;
	free(v.v);
	return slot;
}

static int at_return(const struct concrete_point *cp)
{
	/* A handler shared by all the points of a probe (no DWARF) has
	 * only .return points when it has an @entry (pass 2 checks). */
	return !cp || cp->kind == PP_KRETPROBE;
}

char *tr_entry_value(struct tr *t, const struct expr *e)
{
	const struct probe *p = tri_probe(t);
	int slot = p ? slot_of(p, e) : -1;

	if (tri_at_entry(t) || !at_return(tri_point(t)))
		return tri_expr(t, e->a);	/* read where it is */
	if (slot < 0)
		return xstrdup("({ _Static_assert(0, \"tapc: @entry without "
			       "a slot\"); 0; })");
	return xasprintf("((struct probe_%d_saved *)c->rt.entry_data)->v%d",
			 p->id, slot);
}

void tr_entry_struct(const struct probe *p, struct strbuf *decls)
{
	struct vec v = {0};
	struct expr *e;

	entry_list(p, &v);
	if (v.n) {
		sb_printf(decls, "/* @entry values of the probe at %s, saved "
			  "at the function's entry */\nstruct probe_%d_saved "
			  "{\n", loc_str(p->loc), p->id);
		VEC_EACH(&v, i, e)
			sb_printf(decls, e->type == TY_STRING ?
				  "\tchar v%d[MAXSTRINGLEN];\n" :
				  "\trt_long v%d;\n", i);
		sb_puts(decls, "};\n\n");
	}
	free(v.v);
}

/* The statements that fill the struct, into the current body. */
static void store_all(struct tr *t, const struct probe *p)
{
	struct vec v = {0};
	struct expr *e;

	entry_list(p, &v);
	VEC_EACH(&v, i, e) {
		char *val = tri_expr(t, e->a);

		if (e->type == TY_STRING)
			tri_line(t, "rt_strcpy(s->v%d, %s);", i, val);
		else
			tri_line(t, "s->v%d = %s;", i, val);
		free(val);
	}
	free(v.v);
}

void tr_entry_handler(struct tr *t, const struct probe *p,
		      const struct concrete_point *cp, struct strbuf *decls,
		      struct strbuf *defs, struct vec *frames)
{
	struct strbuf body;
	char *base, *name;

	if (!at_return(cp) || !entry_used(p))
		return;
	base = cp ? handler_name(tri_prog(t), cp)
		  : xasprintf("probe_%d", p->id);
	name = xasprintf("%s_entry", base);
	sb_init(&body);
	tri_begin_frame(t, name, &body);
	tri_set_entry(t, 1);
	store_all(t, p);
	tri_set_entry(t, 0);
	sb_printf(defs, "/* @entry values of the probe at %s", loc_str(p->loc));
	if (cp)
		sb_printf(defs, ", at %s", cp->text);
	sb_printf(defs, " */\nstatic void %s(struct rt_context *rc)\n{\n"
		  "\tstruct tapc_context *c = container_of(rc, "
		  "struct tapc_context, rt);\n"
		  "\tstruct probe_%d_saved *s = rc->entry_data;\n", name,
		  p->id);
	if (tri_frame_used(t))
		sb_printf(defs, "\tstruct %s_frame *l = &c->frames[0].%s;\n",
			  name, name);
	sb_printf(defs, "\n\tc->nesting = 0;\n%sout: __attribute__((unused));"
		  "\n\treturn;\n}\n\n", body.s);
	tri_end_frame(t, decls, frames);
	sb_free(&body);
	free(name);
	free(base);
}

void tr_entry_fields(const struct program *prog,
		     const struct concrete_point *cp, struct strbuf *out)
{
	char *base;

	if (cp->kind != PP_KRETPROBE || !entry_used(cp->probe))
		return;
	base = handler_name(prog, cp);
	sb_printf(out, "\t  .entry = %s_entry,\n\t  .entry_size = "
		  "sizeof(struct probe_%d_saved),\n", base, cp->probe->id);
	free(base);
}
