/* format.c - parse SystemTap printf formats. */
#include "format.h"

#include <stdlib.h>
#include <string.h>

static void add_piece(struct fmt *f, struct fmt_piece p)
{
	f->pieces = xrealloc(f->pieces, (size_t)(f->n + 1) * sizeof(*f->pieces));
	f->pieces[f->n++] = p;
}

static void add_text(struct fmt *f, const char *s, size_t n)
{
	if (n)
		add_piece(f, (struct fmt_piece){ 0, xstrndup(s, n), 0, 0 });
}

/* A literal width or precision: digits, at most FMT_MAX (what the
 * kernel's printf holds; the runtime checks '*' values the same way). */
static int number(const char **pp, const char *what, char **err)
{
	size_t n = strspn(*pp, "0123456789");
	long v = 0;

	for (size_t i = 0; i < n && v <= FMT_MAX; i++)
		v = v * 10 + (*pp)[i] - '0';
	if (v > FMT_MAX) {
		*err = xasprintf("format %s %.*s out of range (at most %d)",
				 what, (int)n, *pp, FMT_MAX);
		return -1;
	}
	*pp += n;
	return 0;
}

/* Parses one "%..." conversion at *pp; returns -1 on a bad one. */
static int parse_conv(const char **pp, struct fmt_piece *piece, char **err)
{
	const char *p = *pp + 1, *start = p;

	memset(piece, 0, sizeof(*piece));
	p += strspn(p, "-+ #0");
	if (*p == '*') {
		piece->star_width = 1;
		p++;
	} else if (number(&p, "width", err) < 0) {
		return -1;
	}
	if (*p == '.') {
		p++;
		if (*p == '*') {
			piece->star_prec = 1;
			p++;
		} else if (number(&p, "precision", err) < 0) {
			return -1;
		}
	}
	/* stap accepts C length modifiers and ignores them: all is 64 bit */
	while (*p == 'l' || *p == 'h' || *p == 'L' || *p == 'z' || *p == 'j')
		p++;
	if (!*p || !strchr("diuxXoscpbmM%", *p)) {
		*err = *p ? xasprintf("unknown conversion '%%%c' in format", *p)
			  : xstrdup("format ends in the middle of a conversion");
		return -1;
	}
	piece->conv = *p;
	piece->text = xstrndup(start, (size_t)(p - start));
	if (*p == 'b' && (piece->star_width ||
			  !strchr(" 1248", piece->text[strspn(piece->text,
							      "-+ #0")] ?: ' ') ||
			  strlen(piece->text + strspn(piece->text, "-+ #0")) > 1)) {
		*err = xstrdup("the width of %b is a byte count: 1, 2, 4 or 8");
		free(piece->text);
		return -1;
	}
	/* Drop length modifiers from what pass 3 will rewrite. */
	for (char *q = piece->text; *q; q++)
		if (strchr("lhLzj", *q))
			memmove(q, q + 1, strlen(q)), q--;
	*pp = p + 1;
	return 0;
}

int fmt_parse(const char *fmt, struct fmt *out, char **err)
{
	const char *p = fmt, *lit = fmt;

	memset(out, 0, sizeof(*out));
	while (*p) {
		struct fmt_piece piece;

		if (*p != '%') {
			p++;
			continue;
		}
		add_text(out, lit, (size_t)(p - lit));
		if (parse_conv(&p, &piece, err) < 0) {
			fmt_free(out);
			return -1;
		}
		add_piece(out, piece);
		lit = p;
	}
	add_text(out, lit, (size_t)(p - lit));
	return 0;
}

void fmt_free(struct fmt *f)
{
	for (int i = 0; i < f->n; i++)
		free(f->pieces[i].text);
	free(f->pieces);
	f->pieces = NULL;
	f->n = 0;
}

enum type fmt_arg_type(char conv)
{
	return conv == 's' ? TY_STRING : TY_LONG;
}

int fmt_nargs(const struct fmt *f)
{
	int n = 0;

	for (int i = 0; i < f->n; i++) {
		const struct fmt_piece *p = &f->pieces[i];

		if (p->conv && p->conv != '%')
			n += 1 + p->star_width + p->star_prec;
	}
	return n;
}
