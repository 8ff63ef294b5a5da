/* tr_parts.c - pass 3: which parts of the kernel runtime a module
 * includes.  Every part costs compile time whether or not the script
 * uses it (a probe kind's registration is compiled because its row of
 * rt_probe_ops[] names it), so the generated file asks only for the ones
 * its script needs: RT_USE_* before runtime.h (see its comment), the
 * probe kinds' from their rows in tr_kinds.c, and the optional headers
 * after it.  docs/compile-time.md has the figures. */
#include "translate.h"
#include "tr_int.h"
#include "tr_target.h"

#include <string.h>

/* Whether some point of the program has kind k. */
static int has_kind(const struct program *prog, enum pp_kind k)
{
	struct concrete_point *cp;

	VEC_EACH(&prog->points, i, cp)
		if (cp->kind == k)
			return 1;
	return 0;
}

/* Whether some kprobe or kretprobe is on a function of a module. */
static int has_module_point(const struct program *prog)
{
	struct concrete_point *cp;

	VEC_EACH(&prog->points, i, cp)
		if ((cp->kind == PP_KPROBE || cp->kind == PP_KRETPROBE) &&
		    cp->module)
			return 1;
	return 0;
}

/* Whether the module has embedded C: only it calls rt_tapset.h's and
 * rt_backtrace.h's helpers. */
static int has_embedded(const struct program *prog)
{
	struct function *fn;

	if (prog->embeds.n)
		return 1;
	VEC_EACH(&prog->functions, i, fn)
		if (fn->embedded)
			return 1;
	return 0;
}

static void use(struct strbuf *out, int used, const char *part)
{
	if (used)
		sb_printf(out, "#define RT_USE_%s\n", part);
}

/* Whether some point of the program has a kind needing part. */
static int part_used(const struct program *prog, const char *part)
{
	const struct tr_kind *k;

	for (int i = 0; (k = tr_kind_at(i)); i++)
		if (k->part && !strcmp(k->part, part) && has_kind(prog, k->kind))
			return 1;
	return 0;
}

/* The parts of the probe kinds (tr_kinds.c), each once, in the order
 * the table first names them. */
static void kind_parts(const struct program *prog, struct strbuf *out)
{
	const struct tr_kind *k, *prev;

	for (int i = 0; (k = tr_kind_at(i)); i++) {
		int seen = 0;

		for (int j = 0; j < i && !seen; j++) {
			prev = tr_kind_at(j);
			seen = prev->part && k->part &&
			       !strcmp(prev->part, k->part);
		}
		if (k->part && !seen)
			use(out, part_used(prog, k->part), k->part);
	}
}

void tr_parts(const struct program *prog, struct strbuf *out)
{
	sb_puts(out, "#define RT_PARTS\t/* the optional parts below, no other */\n");
	kind_parts(prog, out);
	use(out, has_module_point(prog), "MODULES");
	use(out, has_embedded(prog), "TAPSET");
	sb_puts(out, "#include \"runtime.h\"\n#include \"rt_lang.h\"\n"
		     "#include \"rt_lock.h\"\n");
	if (prog->arrays.n)
		sb_puts(out, "#include \"rt_map.h\"\n");
	if (prog->stats.n)
		sb_puts(out, "#include \"rt_stat.h\"\n");
	if (tr_target_used(prog))
		sb_puts(out, "#include \"rt_deref.h\"\n");
	if (tr_stat_arrays(prog))
		sb_puts(out, "#include \"rt_mstat.h\"\n");
	if (tr_regex_used(prog))
		sb_puts(out, "#include \"rt_regex.h\"\n");
}
