/* tr_target.c - target values translated to C at one concrete point.
 *
 * A value is walked from its start ($var's location, $return's register,
 * @cast's pointer) through its components (->field, [i]) with the DWARF
 * type at each step.  The walk keeps either the value itself or the
 * address of an object in kernel memory; each pointer followed is one
 * rt_deref() (rt_deref.h), checked, so a wild pointer ends the hit with
 * "kernel read fault at 0x... near FILE:LINE:COL".  The last step reads
 * a scalar (sign-extended as its type says), a bitfield, or a char array
 * as a string; $$vars and $var$ format several values into a string.
 *
 * Pass 2 runs the same walk without writing code (x->sub == NULL) to type
 * the value and report what cannot be had at the point.
 */
#include "tr_target.h"

#include <dwarf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

struct walk {
	const struct concrete_point *cp;
	struct dw_point *dp;
	const struct expr *e;
	const struct tgt_ctx *x;
	int report;
	char *errloc;		/* C literal: where faults are reported */
	struct strbuf code;	/* statements of the statement expression */
	/* The current step. */
	int is_addr;		/* cur is an address, else the value */
	char *cur;
	Dwarf_Die type;
	int has_type;
	int bits, shift;	/* a bitfield: its width and bit position */
	int at_cast;		/* at @cast's start: [i] indexes its pointer */
	int failed;
};

static int vals;		/* names of the temporaries, module-wide */

/* A char array of unknown length ([]): the runtime stops at MAXSTRINGLEN. */
#define MAXSTR_GUESS 4096

static int fail(struct walk *w, struct loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct walk *w, struct loc loc, const char *fmt, ...)
{
	va_list ap;
	struct strbuf b;

	if (w->report && !w->failed) {
		sb_init(&b);
		va_start(ap, fmt);
		sb_vprintf(&b, fmt, ap);
		va_end(ap);
		diag_error(DG_TARGET_VALUE, loc, "%s", b.s);
		sb_free(&b);
	}
	w->failed = 1;
	return 0;
}

int tr_target_kind(const struct expr *e)
{
	return e->kind == EX_TARGET || e->kind == EX_CAST;
}

/* A new temporary holding expr (which it frees): its name. */
static char *keep(struct walk *w, char *expr)
{
	char *name = xasprintf("tv%d", vals++);

	sb_printf(&w->code, "unsigned long %s = %s; TAPC_CHECK(); ", name,
		  expr);
	free(expr);
	return name;
}

static void set_cur(struct walk *w, char *cur, int is_addr)
{
	free(w->cur);
	w->cur = cur;
	w->is_addr = is_addr;
}

/* ---- scalar types ---- */

struct scalar {
	int size;
	int is_signed;
};

static int attr_int(Dwarf_Die *d, int name, Dwarf_Word *out)
{
	Dwarf_Attribute a;

	return dwarf_attr_integrate(d, name, &a) &&
	       dwarf_formudata(&a, out) == 0;
}

/* The size and signedness of a peeled scalar type; 0 if not scalar. */
static int scalar_of(Dwarf_Die *type, struct scalar *s)
{
	Dwarf_Word enc = 0, size = 0;
	Dwarf_Die under;

	switch (dwarf_tag(type)) {
	case DW_TAG_pointer_type:
		s->size = 8;
		s->is_signed = 0;
		return 1;
	case DW_TAG_base_type:
		attr_int(type, DW_AT_encoding, &enc);
		attr_int(type, DW_AT_byte_size, &size);
		if (enc == DW_ATE_float || size > 8 || !size)
			return 0;
		s->size = (int)size;
		s->is_signed = enc == DW_ATE_signed ||
			       enc == DW_ATE_signed_char;
		return 1;
	case DW_TAG_enumeration_type:
		attr_int(type, DW_AT_byte_size, &size);
		s->size = size ? (int)size : 4;
		s->is_signed = 1;
		if (dw_type_of(type, &under)) {
			struct scalar u;

			dw_peel(&under);
			if (scalar_of(&under, &u))
				s->is_signed = u.is_signed;
		}
		return 1;
	default:
		return 0;
	}
}

static const char *c_int(const struct scalar *s)
{
	static const char *const names[2][4] = {
		{ "u8", "u16", "u32", "u64" }, { "s8", "s16", "s32", "s64" },
	};
	int i = s->size == 1 ? 0 : s->size == 2 ? 1 : s->size == 4 ? 2 : 3;

	return names[s->is_signed][i];
}

static int is_char_array(Dwarf_Die *type)
{
	Dwarf_Die elem;
	struct scalar s;

	if (dwarf_tag(type) != DW_TAG_array_type || !dw_type_of(type, &elem))
		return 0;
	dw_peel(&elem);
	return dwarf_tag(&elem) == DW_TAG_base_type && scalar_of(&elem, &s) &&
	       s.size == 1;
}

static const char *tag_word(Dwarf_Die *type)
{
	switch (dwarf_tag(type)) {
	case DW_TAG_structure_type: return "struct";
	case DW_TAG_union_type: return "union";
	case DW_TAG_array_type: return "array";
	default: return "value";
	}
}

/* ---- the steps ---- */

/* The value of the current pointer (reading it if in memory). */
static char *pointer_value(struct walk *w)
{
	if (!w->is_addr)
		return xstrdup(w->cur);
	return keep(w, xasprintf("rt_deref_ulong(&c->rt, %s, %s)", w->cur,
				 w->errloc));
}

/* cur is now the address of the pointee of a pointer. */
static int follow(struct walk *w, struct loc loc, const char *what)
{
	Dwarf_Die to;
	char *v;

	if (!dw_type_of(&w->type, &to))
		return fail(w, loc, "'%s' through a void pointer", what);
	v = pointer_value(w);
	set_cur(w, v, 1);
	w->type = to;
	dw_peel(&w->type);
	return 1;
}

/* Where a bitfield member's bits are, from its DWARF 4 or 5 form. */
static void bitfield(struct walk *w, Dwarf_Die *m, long *off)
{
	Dwarf_Word bits = 0, dbo, bo, size = 0;

	if (!attr_int(m, DW_AT_bit_size, &bits))
		return;
	w->bits = (int)bits;
	if (attr_int(m, DW_AT_data_bit_offset, &dbo)) {
		*off += (long)(dbo / 8);
		w->shift = (int)(dbo % 8);
	} else if (attr_int(m, DW_AT_bit_offset, &bo)) {
		if (!attr_int(m, DW_AT_byte_size, &size))
			size = 4;
		w->shift = (int)(size * 8 - bo - bits);
	}
}

static int field(struct walk *w, const struct target_comp *tc)
{
	Dwarf_Die m;
	long off = 0;
	char *names, *a;

	if (dwarf_tag(&w->type) == DW_TAG_pointer_type &&
	    !follow(w, tc->loc, tc->name))
		return 0;
	if (dwarf_tag(&w->type) != DW_TAG_structure_type &&
	    dwarf_tag(&w->type) != DW_TAG_union_type) {
		char *tn = dw_type_name(&w->type);

		fail(w, tc->loc, "'->%s' on a value of type '%s', which is "
		     "not a struct, a union or a pointer to one", tc->name, tn);
		free(tn);
		return 0;
	}
	if (!w->is_addr)
		return fail(w, tc->loc, "'->%s' on a struct held in "
			    "registers is not supported", tc->name);
	if (!dw_member(&w->type, tc->name, &m, &off)) {
		char *tn = dw_type_name(&w->type);

		names = dw_member_names(&w->type);
		fail(w, tc->loc, "unable to find member '%s' for %s "
		     "[man error::dwarf]; available: %s", tc->name, tn, names);
		free(names);
		free(tn);
		return 0;
	}
	bitfield(w, &m, &off);
	a = off ? xasprintf("(%s + %ldUL)", w->cur, off) : xstrdup(w->cur);
	set_cur(w, a, 1);
	if (!dw_type_of(&m, &w->type))
		return fail(w, tc->loc, "member '%s' has no type", tc->name);
	dw_peel(&w->type);
	return 1;
}

static int index_step(struct walk *w, const struct target_comp *tc)
{
	Dwarf_Die elem;
	Dwarf_Word size;
	char *i, *a;
	int is_array = dwarf_tag(&w->type) == DW_TAG_array_type;

	if (w->at_cast) {
		/* @cast(p, "T")[i]: element i of the T array at p. */
		if (dwarf_aggregate_size(&w->type, &size) != 0 || !size)
			return fail(w, tc->loc, "'[]' on an element of "
				    "unknown size");
		i = w->x && w->x->sub ? w->x->sub(w->x->t, tc->index)
				      : xstrdup("0");
		a = xasprintf("(%s + (unsigned long)(%s) * %lluUL)", w->cur,
			      i, (unsigned long long)size);
		free(i);
		set_cur(w, a, 1);
		return 1;
	}
	if (!is_array && dwarf_tag(&w->type) != DW_TAG_pointer_type)
		return fail(w, tc->loc, "'[]' on a value that is neither an "
			    "array nor a pointer");
	if (!dw_type_of(&w->type, &elem) ||
	    dwarf_aggregate_size(&elem, &size) != 0 || !size)
		return fail(w, tc->loc, "'[]' on an element of unknown size");
	if (is_array && !w->is_addr)
		return fail(w, tc->loc, "'[]' on an array held in registers");
	if (!is_array) {
		char *v = pointer_value(w);

		set_cur(w, v, 1);
	}
	i = w->x && w->x->sub ? w->x->sub(w->x->t, tc->index) : xstrdup("0");
	a = xasprintf("(%s + (unsigned long)(%s) * %lluUL)", w->cur, i,
		      (unsigned long long)size);
	free(i);
	set_cur(w, a, 1);
	w->type = elem;
	dw_peel(&w->type);
	return 1;
}

/* ---- the last step ---- */

/* The C value of a scalar at the current step (read if in memory). */
static char *scalar_value(struct walk *w, const struct scalar *s)
{
	if (w->bits) {
		int bytes = (w->shift + w->bits + 7) / 8;
		int rd = bytes <= 1 ? 1 : bytes <= 2 ? 2 : bytes <= 4 ? 4 : 8;
		char *raw = keep(w, xasprintf("rt_deref(&c->rt, %s, %d, %s)",
					      w->cur, rd, w->errloc));
		char *v;

		if (s->is_signed)
			v = xasprintf("((rt_long)(%s << %d) >> %d)", raw,
				      64 - w->shift - w->bits, 64 - w->bits);
		else
			v = xasprintf("(rt_long)((%s >> %d) & %#llxULL)", raw,
				      w->shift, w->bits >= 64 ? ~0ULL :
				      (1ULL << w->bits) - 1);
		free(raw);
		return v;
	}
	if (w->is_addr)
		return xasprintf("(rt_long)(%s)rt_deref(&c->rt, %s, %d, %s)",
				 c_int(s), w->cur, s->size, w->errloc);
	return xasprintf("(rt_long)(%s)%s", c_int(s), w->cur);
}

static char *temp(struct walk *w)
{
	return w->x && w->x->temp ? w->x->temp(w->x->t) : xstrdup("l->tmp");
}

/* The statement expression: code, then the value. */
static char *wrap(struct walk *w, const char *ctype, const char *value)
{
	int n = vals++;

	return xasprintf("({ %s%s tv%d = %s; TAPC_CHECK(); tv%d; })",
			 w->code.s, ctype, n, value, n);
}

static char *finish(struct walk *w, enum type *type)
{
	struct scalar s;
	char *v, *r;

	if (w->e->addr) {
		if (!w->is_addr) {
			fail(w, w->e->loc, "'&' on '%s', which is not in "
			     "memory", w->e->str);
			return NULL;
		}
		*type = TY_LONG;
		v = xasprintf("(rt_long)(%s)", w->cur);
		r = wrap(w, "rt_long", v);
		free(v);
		return r;
	}
	if (w->has_type && scalar_of(&w->type, &s)) {
		*type = TY_LONG;
		v = scalar_value(w, &s);
		r = wrap(w, "rt_long", v);
		free(v);
		return r;
	}
	if (w->has_type && is_char_array(&w->type) && w->is_addr) {
		Dwarf_Word size = 0;
		char *t = temp(w);

		*type = TY_STRING;
		dwarf_aggregate_size(&w->type, &size);
		v = xasprintf("rt_deref_string(&c->rt, %s, %s, %llu, %s)", t,
			      w->cur, (unsigned long long)(size ? size
							     : MAXSTR_GUESS),
			      w->errloc);
		free(t);
		r = wrap(w, "const char *", v);
		free(v);
		return r;
	}
	if (!w->has_type) {
		fail(w, w->e->loc, "'%s' has no type (void)", w->e->str);
		return NULL;
	}
	{
		char *tn = dw_type_name(&w->type);

		fail(w, w->e->loc, "'%s' is a %s ('%s'): use '->' to read a "
		     "member, or '$' to format it", w->e->str,
		     tag_word(&w->type), tn);
		free(tn);
	}
	return NULL;
}

/* ---- the first step ---- */

static int function_die(struct walk *w, Dwarf_Die *fn)
{
	if (!w->dp || !w->dp->fn)
		return fail(w, w->e->loc, "target variables are only "
			    "available in kernel.function, kernel.statement "
			    "and kernel.trace probes");
	if (!dwarf_offdie(dw_dwarf(w->dp->f), w->dp->fn, fn))
		return fail(w, w->e->loc, "cannot read the DWARF of the "
			    "probed function");
	return 1;
}

static const char *die_name(Dwarf_Die *d)
{
	Dwarf_Attribute a;

	return dwarf_formstring(dwarf_attr_integrate(d, DW_AT_name, &a));
}

/* "$a $b $c": what is visible at the point, for the error. */
static char *alternatives(Dwarf_Die *fn, Dwarf_Addr pc)
{
	struct vec v = {0};
	struct strbuf b;
	Dwarf_Die *d;

	sb_init(&b);
	dw_vars(fn, pc, 1, &v);
	dw_vars(fn, pc, 0, &v);
	VEC_EACH(&v, i, d) {
		sb_printf(&b, "%s$%s", i ? " " : "", die_name(d));
		free(d);
	}
	free(v.v);
	if (!b.len)
		sb_puts(&b, "none");
	return sb_take(&b);
}

static int at_entry(const struct walk *w)
{
	return w->x && w->x->entry;
}

static int start_return(struct walk *w, Dwarf_Die *fn)
{
	if (w->dp->ret && at_entry(w))
		return fail(w, w->e->loc, "'$return' is not available at the "
			    "entry (in @entry)");
	if (!w->dp->ret)
		return fail(w, w->e->loc, "'$return' is only available in "
			    ".return probes");
	if (!dw_type_of(fn, &w->type))
		return fail(w, w->e->loc, "'$return': the function returns "
			    "void");
	dw_peel(&w->type);
	w->has_type = 1;
	set_cur(w, xstrdup("regs_return_value(c->rt.regs)"), 0);
	return 1;
}

/* The location of variable var, as the walk's first step. */
static int start_die(struct walk *w, Dwarf_Die *fn, Dwarf_Die *var,
		     const char *name)
{
	struct dw_loc l = dw_location(w->dp->f, fn, var, w->dp->pc,
				      w->errloc);

	if (l.kind == DW_LOC_NONE) {
		fail(w, w->e->loc, "'$%s' is %s at 0x%llx in %s", name,
		     l.why, (unsigned long long)w->dp->pc, w->cp->text);
		free(l.why);
		return 0;
	}
	w->has_type = dw_type_of(var, &w->type);
	if (w->has_type)
		dw_peel(&w->type);
	set_cur(w, l.expr, l.kind == DW_LOC_ADDR);
	return 1;
}

/* ---- tracepoint arguments: c->rt.trace_args[i], typed by DWARF ---- */

/* Starts the walk at argument die, number i of the tracepoint call. */
static void start_trace_die(struct walk *w, Dwarf_Die *die, int i)
{
	w->has_type = dw_type_of(die, &w->type);
	if (w->has_type)
		dw_peel(&w->type);
	set_cur(w, xasprintf("c->rt.trace_args[%d]", i), 0);
}

static int start_trace_arg(struct walk *w, Dwarf_Die *iter, const char *name)
{
	struct vec args = {0};
	struct strbuf alt;
	Dwarf_Die *d;
	int found = -1;

	sb_init(&alt);
	dw_trace_args(iter, &args);
	VEC_EACH(&args, i, d) {
		if (found < 0 && !strcmp(die_name(d), name)) {
			found = i;
			start_trace_die(w, d, i);
		}
		sb_printf(&alt, "%s$%s", i ? " " : "", die_name(d));
		free(d);
	}
	if (found < 0)
		fail(w, w->e->loc, "unable to find tracepoint variable '$%s' "
		     "in %s; available: %s", name, w->cp->text,
		     alt.len ? alt.s : "none");
	else if (found >= TR_TRACE_MAXARGS)
		fail(w, w->e->loc, "'$%s' is argument %d of %s: only the "
		     "first %d are kept", name, found + 1, w->cp->text,
		     TR_TRACE_MAXARGS);
	free(args.v);
	sb_free(&alt);
	return found >= 0 && found < TR_TRACE_MAXARGS;
}

static int start_var(struct walk *w, const char *name)
{
	Dwarf_Die fn, var;
	char *alt;

	if (!function_die(w, &fn))
		return 0;
	if (!strcmp(name, "return"))
		return start_return(w, &fn);
	if (w->dp->trace)
		return start_trace_arg(w, &fn, name);
	/* Pass 2 wraps $param in a .return probe in @entry. */
	if (w->dp->ret && !at_entry(w))
		return fail(w, w->e->loc, "'$%s' in a .return probe can only "
			    "be read at the entry, with @entry", name);
	if (!dw_var(&fn, w->dp->pc, name, &var)) {
		alt = alternatives(&fn, w->dp->pc);
		fail(w, w->e->loc, "unable to find local '%s' in %s "
		     "[man error::dwarf]; available: %s", name, w->cp->text,
		     alt);
		free(alt);
		return 0;
	}
	return start_die(w, &fn, &var, name);
}

static int start_cast(struct walk *w)
{
	const char *mod = w->e->module;
	const char *why = NULL;
	struct dw_file *f = w->dp ? w->dp->f : NULL;
	char *p;

	if (mod && strcmp(mod, "kernel") && strcmp(mod, dw_module(f)))
		return fail(w, w->e->loc, "@cast in module '%s' is not "
			    "supported yet", mod);
	(void)why;
	if (!dw_find_type(f, w->e->str, &w->type))
		return fail(w, w->e->loc, "type '%s' not found in the "
			    "kernel's debuginfo", w->e->str);
	dw_peel(&w->type);
	w->has_type = 1;
	p = w->x && w->x->sub ? w->x->sub(w->x->t, w->e->a) : xstrdup("0");
	set_cur(w, keep(w, p), 1);
	w->at_cast = 1;
	return 1;
}

/* ---- netfilter hooks: c->rt.trace_args[RT_NF_ARG_*] ---- */

/* $skb->len, $in->name: the hook's pointer, typed by its struct. */
static int start_nf_var(struct walk *w, const char *name)
{
	const struct pt_nf_var *v = pt_nf_var(name);

	if (!v)
		return fail(w, w->e->loc, "unable to find netfilter variable "
			    "'$%s' in %s; available: %s", name, w->cp->text,
			    pt_nf_var_names());
	if (!v->type || (v->dev_name && w->e->comps.n))
		return fail(w, w->e->loc, "'$%s' is a %s: it has no "
			    "members", name, v->type ? "string" : "number");
	if (!dw_find_type(w->dp->f, v->type, &w->type))
		return fail(w, w->e->loc, "type '%s' not found in the "
			    "kernel's debuginfo", v->type);
	dw_peel(&w->type);
	w->has_type = 1;
	set_cur(w, keep(w, xasprintf("c->rt.trace_args[%d]", v->slot)), 1);
	return 1;
}

/* $indev_name: the device's name, "" when there is no device. */
static char *nf_dev_name(struct walk *w, const struct pt_nf_var *v,
			 enum type *type)
{
	struct target_comp name = { .kind = TC_FIELD, .name = "name",
				    .loc = w->e->loc };
	char *r, *s;

	if (!start_nf_var(w, v->name) || !field(w, &name) ||
	    !(s = finish(w, type)))
		return NULL;
	r = xasprintf("(c->rt.trace_args[%d] ? %s : \"\")", v->slot, s);
	free(s);
	return r;
}

/* $hooknum, $skb... with nothing after them: the slot itself, which
 * stays an lvalue so that $verdict can be assigned (elab.c allows that
 * in guru mode only).  NULL, with the error reported, if name is not
 * one of the hook's. */
static char *nf_value(struct walk *w, const char *name, enum type *type)
{
	const struct pt_nf_var *v = pt_nf_var(name);

	if (v && v->dev_name && !w->e->addr)
		return nf_dev_name(w, v, type);
	if (!v || w->e->addr) {
		fail(w, w->e->loc, v ? "'&$%s': a netfilter variable has no "
		     "address" : "unable to find netfilter variable '$%s' in "
		     "%s; available: %s", name, w->cp->text, pt_nf_var_names());
		return NULL;
	}
	*type = TY_LONG;
	return xasprintf("(*(rt_long *)&c->rt.trace_args[%d])", v->slot);
}

/* ---- pretty printing: $$vars, $$parms, $$locals, $$return, $v$ ---- */

/* Appends "name=VALUE" for the current step to the string tmp. */
static void pretty_one(struct walk *w, const char *tmp, const char *label,
		       int sep)
{
	struct scalar s;
	char *name = xasprintf("%s%s", label, *label ? "=" : "");

	if (w->has_type && scalar_of(&w->type, &s)) {
		char *v;

		s.is_signed = 0;	/* printed in hex, at its own width */
		v = scalar_value(w, &s);
		sb_printf(&w->code, "rt_pretty(%s, \"%s%s0x%%llx\", "
			  "(unsigned long long)%s); ", tmp, sep ? " " : "",
			  name, v);
		free(v);
	} else if (w->has_type && is_char_array(&w->type) && w->is_addr) {
		sb_printf(&w->code, "rt_pretty(%s, \"%s%s\\\"\"); "
			  "{ size_t n_ = strlen(%s); rt_deref_string(&c->rt, "
			  "%s + n_, %s, MAXSTRINGLEN - 1 - n_, %s); } "
			  "rt_pretty(%s, \"\\\"\"); ", tmp, sep ? " " : "",
			  name, tmp, tmp, w->cur, w->errloc, tmp);
	} else {
		sb_printf(&w->code, "rt_pretty(%s, \"%s%s{...}\"); ", tmp,
			  sep ? " " : "", name);
	}
	free(name);
}

/* The members of a struct at the current address: "{.a=0x1, .b=...}". */
static void pretty_struct(struct walk *w, const char *tmp)
{
	Dwarf_Die m, agg = w->type;
	char *base = xstrdup(w->cur);
	int n = 0;

	sb_printf(&w->code, "rt_pretty(%s, \"{\"); ", tmp);
	if (dwarf_child(&agg, &m) == 0) {
		do {
			long off = 0;
			const char *mn = dwarf_diename(&m);
			char *label;

			if (dwarf_tag(&m) != DW_TAG_member || !mn)
				continue;
			dw_member(&agg, mn, &m, &off);
			w->bits = w->shift = 0;
			bitfield(w, &m, &off);
			set_cur(w, xasprintf("(%s + %ldUL)", base, off), 1);
			w->has_type = dw_type_of(&m, &w->type);
			if (w->has_type)
				dw_peel(&w->type);
			label = xasprintf("%s.%s", n ? "," : "", mn);
			pretty_one(w, tmp, label, 0);
			free(label);
			n++;
		} while (dwarf_siblingof(&m, &m) == 0);
	}
	sb_printf(&w->code, "rt_pretty(%s, \"}\"); ", tmp);
	free(base);
}

/* A tracepoint's $$parms: "name=0x..." for each argument. */
static void pretty_trace(struct walk *w, Dwarf_Die *iter, const char *tmp)
{
	struct vec args = {0};
	Dwarf_Die *d;

	dw_trace_args(iter, &args);
	VEC_EACH(&args, i, d) {
		if (i < TR_TRACE_MAXARGS) {
			w->bits = 0;
			start_trace_die(w, d, i);
			pretty_one(w, tmp, die_name(d), i);
		}
		free(d);
	}
	free(args.v);
}

/* $$parms (which 1), $$locals (0) or $$vars (2): every variable. */
static int pretty_vars(struct walk *w, int which, const char *tmp,
		       int deep)
{
	Dwarf_Die fn, *d;
	struct vec v = {0};
	int n = 0;

	if (!function_die(w, &fn))
		return 0;
	if (w->dp->trace) {
		if (which)	/* a tracepoint has no locals */
			pretty_trace(w, &fn, tmp);
		return 1;
	}
	if (which)
		dw_vars(&fn, w->dp->pc, 1, &v);
	if (which != 1)
		dw_vars(&fn, w->dp->pc, 0, &v);
	VEC_EACH(&v, i, d) {
		const char *name = die_name(d);
		struct dw_loc l = dw_location(w->dp->f, &fn, d, w->dp->pc,
					      w->errloc);

		if (l.kind == DW_LOC_NONE) {
			sb_printf(&w->code, "rt_pretty(%s, \"%s%s=?\"); ", tmp,
				  n++ ? " " : "", name);
			free(l.why);
		} else {
			w->bits = 0;
			set_cur(w, l.expr, l.kind == DW_LOC_ADDR);
			w->has_type = dw_type_of(d, &w->type);
			if (w->has_type)
				dw_peel(&w->type);
			if (deep && w->has_type && w->is_addr &&
			    (dwarf_tag(&w->type) == DW_TAG_structure_type ||
			     dwarf_tag(&w->type) == DW_TAG_union_type)) {
				sb_printf(&w->code, "rt_pretty(%s, \"%s%s=\"); ",
					  tmp, n++ ? " " : "", name);
				pretty_struct(w, tmp);
			} else {
				pretty_one(w, tmp, name, n++);
			}
		}
		free(d);
	}
	free(v.v);
	return 1;
}

static char *pretty(struct walk *w, enum type *type)
{
	const char *n = w->e->str;
	char *tmp = temp(w), *r;
	int ok;

	*type = TY_STRING;
	sb_printf(&w->code, "%s[0] = '\\0'; ", tmp);
	if (!strcmp(n, "$$parms") || !strcmp(n, "$$locals") ||
	    !strcmp(n, "$$vars")) {
		ok = pretty_vars(w, n[2] == 'p' ? 1 : n[2] == 'l' ? 0 : 2, tmp,
				 w->e->pretty);
	} else if (!strcmp(n, "$$return")) {
		Dwarf_Die fn;

		ok = function_die(w, &fn) && start_return(w, &fn);
		if (ok)
			pretty_one(w, tmp, "return", 0);
	} else {
		/* $var$ and $var$$ (and @cast(...)$): one value. */
		ok = w->e->kind == EX_CAST ? start_cast(w)
					   : start_var(w, n + 1);
		for (int i = 0; ok && i < w->e->comps.n; i++) {
			const struct target_comp *tc = w->e->comps.v[i];

			ok = tc->kind == TC_FIELD ? field(w, tc)
						  : index_step(w, tc);
		}
		if (ok && w->has_type && w->is_addr &&
		    (dwarf_tag(&w->type) == DW_TAG_structure_type ||
		     dwarf_tag(&w->type) == DW_TAG_union_type))
			pretty_struct(w, tmp);
		else if (ok)
			pretty_one(w, tmp, "", 0);
	}
	if (!ok) {
		free(tmp);
		return NULL;
	}
	r = wrap(w, "const char *", tmp);
	free(tmp);
	return r;
}

/* ---- the entry points ---- */

char *tr_target(const struct concrete_point *cp, const struct expr *e,
		const struct tgt_ctx *x, enum type *type, int report)
{
	struct walk w = { .cp = cp, .dp = cp->dwarf, .e = e, .x = x,
			  .report = report };
	char *r = NULL;
	int ok;

	sb_init(&w.code);
	w.errloc = xasprintf("\"%s\"", loc_str(e->loc));
	*type = TY_UNKNOWN;
	if (!w.dp) {
		fail(&w, e->loc, "target values are only available in "
		     "kernel.function, kernel.statement and kernel.trace "
		     "probes");
		goto done;
	}
	if (e->kind == EX_TARGET && (!strncmp(e->str, "$$", 2) || e->pretty)) {
		r = pretty(&w, type);
		goto done;
	}
	if (e->pretty) {
		r = pretty(&w, type);
		goto done;
	}
	if (cp->kind == PP_NETFILTER && e->kind == EX_TARGET &&
	    !e->comps.n) {
		r = nf_value(&w, e->str + 1, type);
		goto done;
	}
	if (cp->kind == PP_NETFILTER && e->kind == EX_TARGET)
		ok = start_nf_var(&w, e->str + 1);
	else
		ok = e->kind == EX_CAST ? start_cast(&w)
					: start_var(&w, e->str + 1);
	for (int i = 0; ok && i < e->comps.n; i++) {
		const struct target_comp *tc = e->comps.v[i];

		ok = tc->kind == TC_FIELD ? field(&w, tc) : index_step(&w, tc);
		w.at_cast = 0;
	}
	if (ok)
		r = finish(&w, type);
done:
	if (!r)
		*type = TY_UNKNOWN;
	free(w.cur);
	free(w.errloc);
	sb_free(&w.code);
	return r;
}

int tr_target_used(const struct program *prog)
{
	struct concrete_point *cp;

	VEC_EACH(&prog->points, i, cp)
		if (cp->dwarf)
			return 1;
	return 0;
}
