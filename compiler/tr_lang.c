/* tr_lang.c - pass 3 for try/catch and the print family beyond
 * printf: printd, printdln, sprint, sprintln, sprintd, sprintdln. */
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "regex.h"
#include "tr_int.h"

/*
 * try { body } catch (msg) { handler }
 *
 * The body is a block with a local label `out` (a GNU C __label__), so
 * every error check inside it (TAPC_CHECK and the like, which leave
 * through `goto out`) lands at its end instead of the function's; next
 * and return leave through `leave` instead (translate.c).  After the
 * block a set error is taken back and the handler runs.  MAXACTION is
 * not caught: a hit out of statements stays failed.
 */
void tr_try(struct tr *t, const struct stmt *s)
{
	tri_line(t, "{\t/* try at %s */", loc_str(s->loc));
	tri_line(t, "\t__label__ out;");
	tri_try_depth(t, 1);
	tri_nested(t, s->then);
	tri_try_depth(t, -1);
	tri_line(t, "out: __attribute__((unused));");
	tri_line(t, "}");
	tri_line(t, "if (unlikely(c->rt.error)) {");
	tri_line(t, "\tif (c->rt.actions < 0)");
	tri_line(t, "\t\tgoto out;");
	if (s->e) {
		char *msg = tri_var(s->e->sym);

		tri_line(t, "\trt_strcpy(%s, c->rt.error);", msg);
		free(msg);
	}
	tri_line(t, "\tc->rt.error = NULL;");
	tri_line(t, "\tc->rt.error_loc = NULL;");
	if (s->els)
		tri_nested(t, s->els);
	tri_line(t, "}");
}

/*
 * Whether a failure inside this call is reported at the call: a call
 * from the user's script (or a -I library's caller outside it) into a
 * function of a tapset file.  The tapset's own lines mean nothing to
 * the user, so the error points at the outermost call in the user's
 * code; calls between tapset functions keep the error as it is, so it
 * travels out to that call.  Errors in the user's own functions keep
 * their own location.
 */
int tr_call_relocates(const struct expr *call)
{
	const struct source *callee = call->fn->loc.src;
	const struct source *site = call->loc.src;

	return callee && callee->is_tapset && site && !site->is_tapset;
}

/* Literal text into a kernel format: '%' doubled. */
static void fmt_text(struct strbuf *k, const char *s)
{
	for (; *s; s++)
		sb_puts(k, *s == '%' ? "%%" : (char[]){ *s, 0 });
}

/*
 * The values of e from `first` on, each in its natural format (%lld or
 * %s), separated by the delimiter `delim` (an expression, or NULL), into
 * a kernel format and its C arguments.
 */
static void values(struct tr *t, const struct expr *e, int first,
		   const struct expr *delim, struct strbuf *k,
		   struct strbuf *args)
{
	char *d = delim && delim->kind != EX_STR ? tri_expr(t, delim) : NULL;

	for (int i = first; i < e->args.n; i++) {
		const struct expr *a = e->args.v[i];
		char *x = tri_expr(t, a);

		if (i > first && d) {
			sb_puts(k, "%s");
			sb_printf(args, ", %s", d);
		} else if (i > first && delim) {
			fmt_text(k, delim->str);
		}
		if (a->type == TY_STRING) {
			sb_puts(k, "%s");
			sb_printf(args, ", %s", x);
		} else {
			sb_puts(k, "%lld");
			sb_printf(args, ", (long long)%s", x);
		}
		free(x);
	}
	free(d);
}

/* printd(delim, v...), printdln(...), and the sprint* values of them. */
char *tr_print_family(struct tr *t, const struct expr *e)
{
	int to_string = !!(e->bi->flags & BI_STRING);
	int delimited = !!(e->bi->flags & BI_DELIM);
	int newline = !!(e->bi->flags & BI_NEWLINE);
	struct strbuf k, args;
	char *kfmt, *s;

	sb_init(&k);
	sb_init(&args);
	values(t, e, delimited, delimited ? e->args.v[0] : NULL, &k, &args);
	if (newline)
		sb_puts(&k, "\n");
	kfmt = tri_cstr(k.s);
	if (to_string) {
		char *tmp = tri_temp(t);

		s = xasprintf("({ snprintf(%s, MAXSTRINGLEN, %s%s); %s; })",
			      tmp, kfmt, args.s, tmp);
		free(tmp);
	} else {
		s = xasprintf("rt_printf(&c->rt, %s%s)", kfmt, args.s);
	}
	free(kfmt);
	sb_free(&k);
	sb_free(&args);
	return s;
}

/* ---- =~ and !~ ---- */

/* The program's patterns, each compiled once (pass 3 runs once). */
static struct {
	char **pattern;
	struct re_prog *prog;
	int n;
	int most;			/* steps of the largest program */
} regexes;

static int regex_index(const char *pattern)
{
	char *err;
	int i;

	for (i = 0; i < regexes.n; i++)
		if (!strcmp(regexes.pattern[i], pattern))
			return i;
	regexes.pattern = xrealloc(regexes.pattern,
				   (size_t)(i + 1) * sizeof(char *));
	regexes.prog = xrealloc(regexes.prog,
				(size_t)(i + 1) * sizeof(struct re_prog));
	regexes.pattern[i] = xstrdup(pattern);
	if (re_compile(pattern, &regexes.prog[i], &err) < 0)
		free(err);		/* pass 2 reported it */
	if (regexes.prog[i].n > regexes.most)
		regexes.most = regexes.prog[i].n;
	return regexes.n++;
}

/* s =~ "re": true or false, and the match kept for matched(n). */
char *tr_regex(struct tr *t, const struct expr *e)
{
	char *subject = tri_expr(t, e->a), *s;
	int i = regex_index(e->b->str);

	s = xasprintf("%srt_re_match(&re_%d, %s, &c->re_last, c->re_work, "
		      "c->re_mark)", e->op == OP_NMATCH ? "!" : "", i, subject);
	free(subject);
	return s;
}

/* Whether the module matches or reads matches (tapset/regex.stp). */
int tr_regex_used(const struct program *prog)
{
	struct function *fn;

	if (regexes.n)
		return 1;
	VEC_EACH(&prog->functions, i, fn)
		if (fn->embedded && strstr(fn->embedded, "RT_RE_LAST"))
			return 1;
	return 0;
}

void tr_regex_tables(struct strbuf *out)
{
	for (int i = 0; i < regexes.n; i++) {
		char *name = xasprintf("re_%d", i);
		char *lit = tri_cstr(regexes.pattern[i]), *end;

		while ((end = strstr(lit, "*/")))	/* not in a comment */
			end[0] = '?';
		sb_printf(out, "/* %s compiled: an NFA program for rt_regex.h */\n",
			  lit);
		re_emit(&regexes.prog[i], name, regexes.pattern[i], out);
		free(lit);
		free(name);
	}
}

/* The context's part: the last match and the matcher's thread lists. */
void tr_regex_context(const struct program *prog, struct strbuf *out)
{
	int n = regexes.most > 0 ? regexes.most : 1;

	if (!tr_regex_used(prog))
		return;
	sb_printf(out, "\tstruct rt_re_last re_last;\t/* for matched(n) */\n"
		       "\tstruct rt_re_thread re_work[RT_RE_THREADS(%d)];\n"
		       "\tint re_mark[%d];\n", n, n);
}

/* ---- printf's '*' widths and precisions, %b, %m and %M ---- */

/* One '*' value as the int the kernel's printf takes, checked at run
 * time against what it can hold (rt_fmt_width, rt_fmt_prec). */
static char *star_value(struct tr *t, const struct expr *e, int *arg,
			int prec, char conv)
{
	char *a = tri_expr(t, e->args.v[(*arg)++]);
	char *loc = tri_loc(e->loc), *s;
	int v = tri_val(t);

	if (prec)
		s = xasprintf("({ int w%d = rt_fmt_prec(&c->rt, %s, %s, %s); "
			      "TAPC_CHECK(); w%d; })", v, loc, a,
			      conv == 's' ? "true" : "false", v);
	else
		s = xasprintf("({ int w%d = rt_fmt_width(&c->rt, %s, %s); "
			      "TAPC_CHECK(); w%d; })", v, loc, a, v);
	free(a);
	free(loc);
	return s;
}

/* The '*' arguments of a conversion, width first, into args. */
void tr_format_stars(struct tr *t, const struct fmt_piece *p,
		     const struct expr *e, int *arg, struct strbuf *args)
{
	for (int i = 0; i < p->star_width + p->star_prec; i++) {
		char *s = star_value(t, e, arg, i == 1 || !p->star_width,
				     p->conv);

		sb_printf(args, ", %s", s);
		free(s);
	}
}

/* %Nb: the value's N low bytes (8 by default), in the machine's order
 * (little endian), as raw characters. */
static void format_binary(const struct fmt_piece *p, const char *v,
			  struct strbuf *k, struct strbuf *args)
{
	const char *w = p->text + strspn(p->text, "-+ #0");
	int n = *w ? *w - '0' : 8;

	for (int i = 0; i < n; i++) {
		sb_puts(k, "%c");
		sb_printf(args, ", (int)(((unsigned long long)%s >> %d) & 0xff)",
			  v, 8 * i);
	}
}

/*
 * %[-][W][.P]m and %M: P bytes (1 by default; .* takes it from an
 * argument) of kernel memory at the address (user memory with '#'), as
 * they are or in hex, in a field of W characters.  The bytes are read
 * into a frame temporary first; a fault fails the hit.
 */
static void format_memory(struct tr *t, const struct fmt_piece *p,
			  const struct expr *e, int *arg, struct strbuf *k,
			  struct strbuf *args)
{
	const char *s = p->text;
	struct strbuf field;
	char *width = NULL, *len, *addr, *tmp, *loc;
	int user = 0, v = tri_val(t);

	sb_init(&field);
	for (; *s && strchr("-+ #0", *s); s++) {
		if (*s == '#')
			user = 1;
		else if (*s == '-')
			sb_putc(&field, '-');
	}
	if (p->star_width) {
		width = star_value(t, e, arg, 0, p->conv);
		sb_putc(&field, '*');
	} else {
		size_t n = strspn(s, "0123456789");

		sb_printf(&field, "%.*s", (int)n, s);
	}
	s = strchr(s, '.');
	if (p->star_prec)
		len = tri_expr(t, e->args.v[(*arg)++]);
	else
		len = xstrdup(s && s[1] ? s + 1 : "1");
	addr = tri_expr(t, e->args.v[(*arg)++]);
	tmp = tri_temp(t);
	loc = tri_loc(e->loc);
	sb_printf(k, "%%%ss", field.s);
	if (width)
		sb_printf(args, ", %s", width);
	sb_printf(args, ", ({ const char *m%d = rt_fmt_mem(&c->rt, %s, %s, "
			"%s, %s, %s, %s); TAPC_CHECK(); m%d; })", v, loc, tmp,
		  addr, len, p->conv == 'M' ? "true" : "false",
		  user ? "true" : "false", v);
	free(width);
	free(len);
	free(addr);
	free(tmp);
	free(loc);
	sb_free(&field);
}

int tr_format_special(struct tr *t, const struct fmt_piece *p,
		      const struct expr *e, int *arg, struct strbuf *kfmt,
		      struct strbuf *args)
{
	char *v;

	if (p->conv == 'm' || p->conv == 'M') {
		format_memory(t, p, e, arg, kfmt, args);
		return 1;
	}
	if (p->conv != 'b')
		return 0;
	v = tri_expr(t, e->args.v[(*arg)++]);
	format_binary(p, v, kfmt, args);
	free(v);
	return 1;
}
