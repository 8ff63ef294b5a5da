/* dwarf_type.c - C types from DWARF: names as stap prints them, struct
 * members, and named types for @cast. */
#include "dwarfinfo.h"

#include <dwarf.h>
#include <string.h>

int dw_type_of(Dwarf_Die *die, Dwarf_Die *type)
{
	Dwarf_Attribute a;

	if (!dwarf_attr_integrate(die, DW_AT_type, &a))
		return 0;
	return dwarf_formref_die(&a, type) != NULL;
}

static int is_qualifier(int tag)
{
	return tag == DW_TAG_typedef || tag == DW_TAG_const_type ||
	       tag == DW_TAG_volatile_type || tag == DW_TAG_restrict_type ||
	       tag == DW_TAG_atomic_type;
}

void dw_peel(Dwarf_Die *type)
{
	Dwarf_Die next;

	while (is_qualifier(dwarf_tag(type)) && dw_type_of(type, &next))
		*type = next;
}

/* Appends the name of type, then what follows it (pointers, const). */
static void type_name(Dwarf_Die *type, struct strbuf *b, int depth)
{
	Dwarf_Die inner;
	const char *name = dwarf_diename(type);
	int has_inner = dw_type_of(type, &inner);

	if (depth > 16) {
		sb_puts(b, "...");
		return;
	}
	switch (dwarf_tag(type)) {
	case DW_TAG_pointer_type:
		if (has_inner)
			type_name(&inner, b, depth + 1);
		else
			sb_puts(b, "void");
		sb_putc(b, '*');
		return;
	case DW_TAG_const_type:
	case DW_TAG_volatile_type:
		if (has_inner)
			type_name(&inner, b, depth + 1);
		else
			sb_puts(b, "void");
		sb_puts(b, dwarf_tag(type) == DW_TAG_const_type ? " const"
							       : " volatile");
		return;
	case DW_TAG_restrict_type:
	case DW_TAG_atomic_type:
		if (has_inner)
			type_name(&inner, b, depth + 1);
		return;
	case DW_TAG_array_type:
		if (has_inner)
			type_name(&inner, b, depth + 1);
		sb_puts(b, "[]");
		return;
	case DW_TAG_structure_type:
		sb_printf(b, "struct %s", name ? name : "{...}");
		return;
	case DW_TAG_union_type:
		sb_printf(b, "union %s", name ? name : "{...}");
		return;
	case DW_TAG_enumeration_type:
		sb_printf(b, "enum %s", name ? name : "{...}");
		return;
	case DW_TAG_subroutine_type:
		sb_puts(b, "func");
		return;
	default:
		sb_puts(b, name ? name : "?");
	}
}

char *dw_type_name(Dwarf_Die *type)
{
	struct strbuf b;

	sb_init(&b);
	if (type)
		type_name(type, &b, 0);
	else
		sb_puts(&b, "void");
	return sb_take(&b);
}

static long member_offset(Dwarf_Die *m)
{
	Dwarf_Attribute a;
	Dwarf_Word w;

	if (dwarf_attr(m, DW_AT_data_member_location, &a) &&
	    dwarf_formudata(&a, &w) == 0)
		return (long)w;
	return 0;	/* a union member, or a bitfield given in bits */
}

int dw_member(Dwarf_Die *agg, const char *name, Dwarf_Die *member,
	      long *off)
{
	Dwarf_Die m, inner;

	if (dwarf_child(agg, &m) != 0)
		return 0;
	do {
		const char *n;

		if (dwarf_tag(&m) != DW_TAG_member)
			continue;
		n = dwarf_diename(&m);
		if (n && !strcmp(n, name)) {
			*member = m;
			*off += member_offset(&m);
			return 1;
		}
		/* An anonymous struct or union: look inside. */
		if (!n && dw_type_of(&m, &inner)) {
			long o = *off + member_offset(&m);

			dw_peel(&inner);
			if (dw_member(&inner, name, member, &o)) {
				*off = o;
				return 1;
			}
		}
	} while (dwarf_siblingof(&m, &m) == 0);
	return 0;
}

static void member_names(Dwarf_Die *agg, struct strbuf *b, int depth)
{
	Dwarf_Die m, inner;

	if (depth > 8 || dwarf_child(agg, &m) != 0)
		return;
	do {
		const char *n;

		if (dwarf_tag(&m) != DW_TAG_member)
			continue;
		n = dwarf_diename(&m);
		if (n) {
			sb_printf(b, "%s%s", b->len ? " " : "", n);
		} else if (dw_type_of(&m, &inner)) {
			dw_peel(&inner);
			member_names(&inner, b, depth + 1);
		}
	} while (dwarf_siblingof(&m, &m) == 0);
}

char *dw_member_names(Dwarf_Die *agg)
{
	struct strbuf b;

	sb_init(&b);
	member_names(agg, &b, 0);
	return sb_take(&b);
}

/* A tag a bare type name may have: "sk_buff" names struct sk_buff. */
static int bare_type_tag(int tag)
{
	return tag == DW_TAG_typedef || tag == DW_TAG_structure_type ||
	       tag == DW_TAG_union_type || tag == DW_TAG_enumeration_type;
}

/*
 * A complete definition of the type in this CU's top level; tag 0 takes
 * a typedef, struct, union or enum of that name.
 */
static int find_in_cu(Dwarf_Die *cu, int tag, const char *name,
		      Dwarf_Die *out)
{
	Dwarf_Die d;
	Dwarf_Attribute a;

	if (dwarf_child(cu, &d) != 0)
		return 0;
	do {
		const char *n;

		if (tag ? dwarf_tag(&d) != tag : !bare_type_tag(dwarf_tag(&d)))
			continue;
		n = dwarf_diename(&d);
		if (!n || strcmp(n, name))
			continue;
		if (dwarf_attr(&d, DW_AT_declaration, &a))
			continue;
		*out = d;
		return 1;
	} while (dwarf_siblingof(&d, &d) == 0);
	return 0;
}

int dw_find_type(struct dw_file *f, const char *name, Dwarf_Die *out)
{
	Dwarf *dbg = dw_dwarf(f);
	Dwarf_Off off = 0, next;
	size_t hsize;
	Dwarf_Die cu;
	int tag = 0;	/* a bare name, as in stap's @cast(p, "sk_buff") */

	if (!strncmp(name, "struct ", 7)) {
		tag = DW_TAG_structure_type;
		name += 7;
	} else if (!strncmp(name, "union ", 6)) {
		tag = DW_TAG_union_type;
		name += 6;
	} else if (!strncmp(name, "enum ", 5)) {
		tag = DW_TAG_enumeration_type;
		name += 5;
	}
	while (*name == ' ')
		name++;
	while (dwarf_nextcu(dbg, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		if (dwarf_offdie(dbg, off + hsize, &cu) &&
		    find_in_cu(&cu, tag, name, out))
			return 1;
		off = next;
	}
	return 0;
}
