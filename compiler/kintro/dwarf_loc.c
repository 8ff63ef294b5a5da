/* dwarf_loc.c - DWARF location expressions translated to C.
 *
 * The expression valid at the probe address (a location list is searched
 * by libdw) is run symbolically: its stack holds C expressions over the
 * probe's registers (c->regs, the struct pt_regs of the kprobe), and
 * memory reads (DW_OP_deref) become rt_deref_ulong() calls, which fail
 * the hit with a located error instead of faulting.  DW_OP_fbreg uses
 * the function's frame base; DW_OP_call_frame_cfa the CFA the function's
 * call frame information gives at the address (at a function's entry,
 * sp + 8).  x86_64 only, as the guest is.
 */
#include "dwarfinfo.h"

#include <dwarf.h>
#include <stdlib.h>
#include <string.h>

/* DWARF register numbers of x86_64 to struct pt_regs members. */
static const char *const x86_regs[] = {
	"ax", "dx", "cx", "bx", "si", "di", "bp", "sp",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "ip",
};

static const char *reg_name(unsigned int n)
{
	return n < sizeof(x86_regs) / sizeof(x86_regs[0]) ? x86_regs[n] : NULL;
}

#define LOC_STACK 16

struct loc_run {
	struct dw_file *f;
	Dwarf_Die *fn;
	Dwarf_Addr pc;
	const char *errloc;
	Dwarf_Attribute *attr;	/* the location's, for DW_OP_entry_value */
	char *stack[LOC_STACK];
	int n;
	char *why;
	int depth;
};

static void fail(struct loc_run *r, char *why)
{
	if (!r->why)
		r->why = why;
	else
		free(why);
}

static void push(struct loc_run *r, char *e)
{
	if (r->n == LOC_STACK) {
		fail(r, xstrdup("location expression too deep"));
		free(e);
		return;
	}
	r->stack[r->n++] = e;
}

static char *pop(struct loc_run *r)
{
	if (r->n == 0) {
		fail(r, xstrdup("malformed location expression"));
		return xstrdup("0");
	}
	return r->stack[--r->n];
}

static char *reg_expr(unsigned int n, long off)
{
	const char *name = reg_name(n);

	if (!name)
		return NULL;
	if (!off)
		return xasprintf("c->rt.regs->%s", name);
	return xasprintf("(c->rt.regs->%s %s %ldUL)", name, off < 0 ? "-" : "+",
			 off < 0 ? -off : off);
}

static int run_ops(struct loc_run *r, Dwarf_Op *ops, size_t len);

/* The CFA at pc: the CFI's rule (register + offset) or expression. */
static char *cfa_expr(struct loc_run *r)
{
	Dwarf_CFI *cfi = dwarf_getcfi(dw_dwarf(r->f));
	Dwarf_Frame *frame;
	Dwarf_Op *ops;
	size_t n;
	struct loc_run sub = { .f = r->f, .fn = r->fn, .pc = r->pc,
			       .errloc = r->errloc, .depth = r->depth + 1 };

	if (!cfi || dwarf_cfi_addrframe(cfi, r->pc, &frame) != 0)
		return NULL;
	if (dwarf_frame_cfa(frame, &ops, &n) != 0 || sub.depth > 4) {
		free(frame);
		return NULL;
	}
	/* A register rule comes back as DW_OP_bregN off. */
	if (!run_ops(&sub, ops, n) && sub.n == 1) {
		free(frame);
		return sub.stack[0];
	}
	free(frame);
	return NULL;
}

/* The frame base of the function: its DW_AT_frame_base at pc. */
static char *frame_base(struct loc_run *r)
{
	Dwarf_Attribute a;
	Dwarf_Op *ops;
	size_t n;
	struct loc_run sub = { .f = r->f, .fn = r->fn, .pc = r->pc,
			       .errloc = r->errloc, .depth = r->depth + 1 };

	if (!dwarf_attr_integrate(r->fn, DW_AT_frame_base, &a) ||
	    dwarf_getlocation_addr(&a, r->pc, &ops, &n, 1) != 1 ||
	    sub.depth > 4)
		return NULL;
	if (!run_ops(&sub, ops, n) && sub.n == 1)
		return sub.stack[0];
	return NULL;
}

static void binary(struct loc_run *r, const char *op)
{
	char *b = pop(r), *a = pop(r);

	push(r, xasprintf("(%s %s %s)", a, op, b));
	free(a);
	free(b);
}

/* DW_OP_entry_value(DW_OP_regN): at the function's entry the register
 * still holds it; elsewhere the value is gone.  In an inline instance
 * it means the entry of the function it was inlined into: gone too. */
static int entry_value(struct loc_run *r, Dwarf_Op *op)
{
	Dwarf_Attribute a;
	Dwarf_Op *sub;
	size_t n;
	Dwarf_Addr entry;

	if (!r->attr || dwarf_tag(r->fn) != DW_TAG_subprogram ||
	    dwarf_getlocation_attr(r->attr, op, &a) != 0 ||
	    dwarf_getlocation(&a, &sub, &n) != 0 || n != 1 ||
	    sub[0].atom < DW_OP_reg0 || sub[0].atom > DW_OP_reg31 ||
	    dw_func_entry(r->fn, &entry) != 0 || entry != r->pc)
		return 0;
	push(r, reg_expr(sub[0].atom - DW_OP_reg0, 0));
	return 1;
}

static int run_op(struct loc_run *r, Dwarf_Op *op)
{
	unsigned int atom = op->atom;
	char *a;

	if (atom >= DW_OP_lit0 && atom <= DW_OP_lit31) {
		push(r, xasprintf("%uUL", atom - DW_OP_lit0));
		return 1;
	}
	if (atom >= DW_OP_breg0 && atom <= DW_OP_breg31) {
		a = reg_expr(atom - DW_OP_breg0, (long)op->number);
		if (!a)
			return 0;
		push(r, a);
		return 1;
	}
	switch (atom) {
	case DW_OP_bregx:
		a = reg_expr(op->number, (long)op->number2);
		if (!a)
			return 0;
		push(r, a);
		return 1;
	case DW_OP_const1u: case DW_OP_const2u: case DW_OP_const4u:
	case DW_OP_const8u: case DW_OP_constu:
		push(r, xasprintf("%lluUL", (unsigned long long)op->number));
		return 1;
	case DW_OP_const1s: case DW_OP_const2s: case DW_OP_const4s:
	case DW_OP_const8s: case DW_OP_consts:
		push(r, xasprintf("(unsigned long)%lldL",
				  (long long)op->number));
		return 1;
	case DW_OP_fbreg:
		a = frame_base(r);
		if (!a)
			return 0;
		push(r, xasprintf("(%s + (unsigned long)%lldL)", a,
				  (long long)op->number));
		free(a);
		return 1;
	case DW_OP_call_frame_cfa:
		a = cfa_expr(r);
		if (!a)
			return 0;
		push(r, a);
		return 1;
	case DW_OP_plus_uconst:
		a = pop(r);
		push(r, xasprintf("(%s + %lluUL)", a,
				  (unsigned long long)op->number));
		free(a);
		return 1;
	case DW_OP_deref:
		a = pop(r);
		push(r, xasprintf("rt_deref_ulong(&c->rt, %s, %s)", a,
				  r->errloc));
		free(a);
		return 1;
	case DW_OP_dup:
		if (!r->n)
			return 0;
		push(r, xstrdup(r->stack[r->n - 1]));
		return 1;
	case DW_OP_drop:
		free(pop(r));
		return 1;
	case DW_OP_neg:
		a = pop(r);
		push(r, xasprintf("(-%s)", a));
		free(a);
		return 1;
	case DW_OP_not:
		a = pop(r);
		push(r, xasprintf("(~%s)", a));
		free(a);
		return 1;
	case DW_OP_plus: binary(r, "+"); return 1;
	case DW_OP_minus: binary(r, "-"); return 1;
	case DW_OP_mul: binary(r, "*"); return 1;
	case DW_OP_and: binary(r, "&"); return 1;
	case DW_OP_or: binary(r, "|"); return 1;
	case DW_OP_xor: binary(r, "^"); return 1;
	case DW_OP_shl: binary(r, "<<"); return 1;
	case DW_OP_shr: binary(r, ">>"); return 1;
	case DW_OP_shra: {
		char *b = pop(r);

		a = pop(r);
		push(r, xasprintf("(unsigned long)((long)%s >> %s)", a, b));
		free(a);
		free(b);
		return 1;
	}
	case DW_OP_entry_value:
	case DW_OP_GNU_entry_value:
		return entry_value(r, op);
	case DW_OP_nop:
		return 1;
	default:
		return 0;
	}
}

/* Returns 0 when the whole expression was understood. */
static int run_ops(struct loc_run *r, Dwarf_Op *ops, size_t len)
{
	for (size_t i = 0; i < len && !r->why; i++)
		if (!run_op(r, &ops[i])) {
			fail(r, xasprintf("unsupported DWARF operation 0x%x",
					  ops[i].atom));
			return 1;
		}
	return r->why != NULL;
}

static void free_stack(struct loc_run *r)
{
	while (r->n)
		free(r->stack[--r->n]);
}

/* One piece, or the whole expression: a register, a value or memory. */
static struct dw_loc simple_loc(struct loc_run *r, Dwarf_Op *ops, size_t n)
{
	struct dw_loc l = { DW_LOC_NONE, NULL, NULL };

	if (n == 1 && ops[0].atom >= DW_OP_reg0 && ops[0].atom <= DW_OP_reg31) {
		l.expr = reg_expr(ops[0].atom - DW_OP_reg0, 0);
	} else if (n == 1 && ops[0].atom == DW_OP_regx) {
		l.expr = reg_expr(ops[0].number, 0);
	} else if (n == 1 && ops[0].atom == DW_OP_implicit_value &&
		   ops[0].number <= 8) {
		unsigned long long v = 0;
		const unsigned char *b = (const void *)(uintptr_t)ops[0].number2;

		for (Dwarf_Word i = ops[0].number; i-- > 0;)
			v = v << 8 | b[i];	/* little-endian */
		l.kind = DW_LOC_VALUE;
		l.expr = xasprintf("%lluUL", v);
		return l;
	} else {
		int value = n && ops[n - 1].atom == DW_OP_stack_value;

		if (run_ops(r, ops, n - value) || r->n != 1) {
			l.why = r->why ? r->why
				       : xstrdup("unsupported location");
			r->why = NULL;
			free_stack(r);
			return l;
		}
		l.kind = value ? DW_LOC_VALUE : DW_LOC_ADDR;
		l.expr = pop(r);
		return l;
	}
	if (!l.expr) {
		l.why = xstrdup("a register pt_regs does not hold");
		return l;
	}
	l.kind = DW_LOC_VALUE;
	return l;
}

/* Pieces, each a value of at most 8 bytes in all: OR-ed together. */
static struct dw_loc pieces_loc(struct loc_run *r, Dwarf_Op *ops, size_t n)
{
	struct dw_loc l = { DW_LOC_NONE, NULL, NULL };
	struct strbuf b;
	size_t start = 0;
	unsigned long long bits = 0;

	sb_init(&b);
	for (size_t i = 0; i < n; i++) {
		struct dw_loc p;

		if (ops[i].atom != DW_OP_piece)
			continue;
		if (i == start) {	/* an empty piece: optimized out */
			bits += ops[i].number * 8;
			start = i + 1;
			continue;
		}
		p = simple_loc(r, ops + start, i - start);
		if (p.kind == DW_LOC_ADDR) {
			p.kind = DW_LOC_VALUE;
			p.expr = xasprintf("rt_deref_ulong(&c->rt, %s, %s)",
					   p.expr, r->errloc);
		}
		if (p.kind != DW_LOC_VALUE || bits + ops[i].number * 8 > 64) {
			sb_free(&b);
			l.why = p.why ? p.why
				      : xstrdup("a value in pieces wider "
						"than 8 bytes");
			return l;
		}
		sb_printf(&b, "%s((%s & %#llxUL) << %llu)", b.len ? " | " : "",
			  p.expr, ops[i].number >= 8 ? ~0ULL :
			  (1ULL << (ops[i].number * 8)) - 1, bits);
		bits += ops[i].number * 8;
		start = i + 1;
		free(p.expr);
	}
	if (!b.len) {
		sb_free(&b);
		l.why = xstrdup("optimized out");
		return l;
	}
	l.kind = DW_LOC_VALUE;
	l.expr = xasprintf("(%s)", b.s);
	sb_free(&b);
	return l;
}

struct dw_loc dw_location(struct dw_file *f, Dwarf_Die *fn, Dwarf_Die *var,
			  Dwarf_Addr pc, const char *errloc)
{
	struct loc_run r = { .f = f, .fn = fn, .pc = pc, .errloc = errloc };
	struct dw_loc l = { DW_LOC_NONE, NULL, NULL };
	Dwarf_Attribute a;
	Dwarf_Op *ops;
	size_t n;
	int has_piece = 0;

	if (!dwarf_attr_integrate(var, DW_AT_location, &a) ||
	    dwarf_getlocation_addr(&a, pc, &ops, &n, 1) != 1 || n == 0) {
		l.why = xstrdup("optimized out");
		return l;
	}
	r.attr = &a;
	for (size_t i = 0; i < n; i++)
		has_piece |= ops[i].atom == DW_OP_piece;
	return has_piece ? pieces_loc(&r, ops, n) : simple_loc(&r, ops, n);
}
