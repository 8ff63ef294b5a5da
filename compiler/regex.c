/* regex.c - `s =~ "re"` compiled at translate time.
 *
 * The pattern (POSIX extended syntax, as SystemTap takes it: anchors,
 * bracket expressions with ranges and [:classes:], . * + ? {m,n},
 * alternation, groups) is parsed into a tree, then compiled into the
 * program of a Thompson NFA: character tests, splits, jumps and capture
 * saves.  Pass 3 emits that program as a C table beside the module's
 * code; rt_regex.h runs it with a Pike VM over preallocated thread
 * lists, so a match never allocates, never recurses and takes time
 * linear in the subject's length.  No regex library is in the kernel.
 *
 * Errors (an unmatched parenthesis, a bad repetition, a pattern too
 * large) are found in pass 2 through re_check() and reported at the
 * pattern's literal.
 */
#include "regex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the tree ---- */

enum re_node_kind { RN_SET, RN_CAT, RN_ALT, RN_REPEAT, RN_GROUP, RN_BOL,
		    RN_EOL, RN_EMPTY };

struct re_node {
	enum re_node_kind kind;
	unsigned char set[32];		/* RN_SET: the bytes it matches */
	int single;			/* RN_SET of one byte: it, else -1 */
	struct re_node *a, *b;		/* CAT, ALT; REPEAT and GROUP: a */
	int min, max;			/* REPEAT: max -1 is unbounded */
	int group;			/* GROUP: its number, from 1 */
};

struct re_parser {
	const char *p;
	int groups;
	char *err;
};

static struct re_node *node(enum re_node_kind kind)
{
	struct re_node *n = xcalloc(1, sizeof(*n));

	n->kind = kind;
	n->single = -1;
	return n;
}

static void node_free(struct re_node *n)
{
	if (!n)
		return;
	node_free(n->a);
	node_free(n->b);
	free(n);
}

static void set_add(unsigned char *set, int c)
{
	set[c >> 3] |= (unsigned char)(1 << (c & 7));
}

static int set_has(const unsigned char *set, int c)
{
	return set[c >> 3] >> (c & 7) & 1;
}

static int fail(struct re_parser *ps, const char *msg)
{
	if (!ps->err)
		ps->err = xstrdup(msg);
	return 0;
}

/* The POSIX character classes, in the C locale. */
static int in_class(const char *name, int c)
{
	int upper = c >= 'A' && c <= 'Z', lower = c >= 'a' && c <= 'z';
	int digit = c >= '0' && c <= '9';
	int print = c >= 32 && c < 127;

	if (!strcmp(name, "alpha")) return upper || lower;
	if (!strcmp(name, "digit")) return digit;
	if (!strcmp(name, "alnum")) return upper || lower || digit;
	if (!strcmp(name, "upper")) return upper;
	if (!strcmp(name, "lower")) return lower;
	if (!strcmp(name, "space")) return c == ' ' || (c >= 9 && c <= 13);
	if (!strcmp(name, "blank")) return c == ' ' || c == '\t';
	if (!strcmp(name, "punct"))
		return print && c != ' ' && !upper && !lower && !digit;
	if (!strcmp(name, "xdigit"))
		return digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
	if (!strcmp(name, "print")) return print;
	if (!strcmp(name, "graph")) return print && c != ' ';
	if (!strcmp(name, "cntrl")) return c < 32 || c == 127;
	return -1;
}

/* The parser: recursive descent over the pattern, one function per
 * rule, each headed by its rule ({ } repeats, [ ] is optional, | is an
 * alternative, quotes are characters of the pattern).
 *
 *   alternation   -> concatenation { '|' concatenation }
 *   concatenation -> { repeat }
 *   repeat        -> atom { '*' | '+' | '?' | bounds }
 *   atom          -> '(' alternation ')' | '[' bracket | '.' | '^' | '$'
 *                  | '\\' CHAR | CHAR
 */

/* class -> ':' NAME ':]'     (after the '['; NAME as in <ctype.h>)
 * Adds the class to set. */
static int bracket_class(struct re_parser *ps, unsigned char *set)
{
	const char *end = strstr(ps->p + 1, ":]");
	char name[16];
	size_t n;

	if (!end || (n = (size_t)(end - ps->p - 1)) >= sizeof(name))
		return fail(ps, "unterminated character class");
	memcpy(name, ps->p + 1, n);
	name[n] = '\0';
	if (in_class(name, 'a') < 0)
		return fail(ps, "unknown character class");
	for (int c = 1; c < 256; c++)
		if (in_class(name, c))
			set_add(set, c);
	ps->p = end + 2;
	return 1;
}

/* bracket -> [ '^' ] ( ']' | item ) { item } ']'     (after the '[')
 * item    -> '[' class | CHAR [ '-' CHAR ]
 * A ']' first is a character, a '-' last or first too. */
static struct re_node *bracket(struct re_parser *ps)
{
	struct re_node *n = node(RN_SET);
	int negate = 0, first = 1;

	if (*ps->p == '^') {
		negate = 1;
		ps->p++;
	}
	while (*ps->p && (*ps->p != ']' || first)) {
		int lo = (unsigned char)*ps->p, hi;

		first = 0;
		if (ps->p[0] == '[' && ps->p[1] == ':') {
			ps->p++;
			if (!bracket_class(ps, n->set))
				break;
			continue;
		}
		ps->p++;
		hi = lo;
		if (ps->p[0] == '-' && ps->p[1] && ps->p[1] != ']') {
			hi = (unsigned char)ps->p[1];
			ps->p += 2;
			if (hi < lo) {
				fail(ps, "invalid range in a bracket expression");
				break;
			}
		}
		for (int c = lo; c <= hi; c++)
			set_add(n->set, c);
	}
	if (!ps->err && *ps->p != ']')
		fail(ps, "unmatched '['");
	if (ps->err) {
		node_free(n);
		return NULL;
	}
	ps->p++;
	if (negate)
		for (int i = 0; i < 32; i++)
			n->set[i] = (unsigned char)~n->set[i];
	n->set[0] &= (unsigned char)~1;	/* never the terminating NUL */
	return n;
}

static struct re_node *literal(int c)
{
	struct re_node *n = node(RN_SET);

	set_add(n->set, c);
	n->single = c;
	return n;
}

static struct re_node *alternation(struct re_parser *ps);

/* atom -> '(' alternation ')' | '[' bracket | '.' | '^' | '$'
 *       | '\\' CHAR | CHAR
 * A repetition operator here repeats nothing: an error. */
static struct re_node *atom(struct re_parser *ps)
{
	int c = (unsigned char)*ps->p;
	struct re_node *n;

	switch (c) {
	case '(':
		ps->p++;
		n = node(RN_GROUP);
		n->group = ++ps->groups;
		n->a = alternation(ps);
		if (!ps->err && *ps->p != ')')
			fail(ps, "unmatched '('");
		if (ps->err) {
			node_free(n);
			return NULL;
		}
		ps->p++;
		return n;
	case '[':
		ps->p++;
		return bracket(ps);
	case '.':
		ps->p++;
		n = node(RN_SET);
		memset(n->set, 0xff, sizeof(n->set));
		n->set[0] &= (unsigned char)~1;
		return n;
	case '^':
		ps->p++;
		return node(RN_BOL);
	case '$':
		ps->p++;
		return node(RN_EOL);
	case '\\':
		if (!ps->p[1]) {
			fail(ps, "trailing backslash");
			return NULL;
		}
		ps->p += 2;
		return literal((unsigned char)ps->p[-1]);
	case '*': case '+': case '?': case '{':
		fail(ps, "repetition of nothing");
		return NULL;
	default:
		ps->p++;
		return literal(c);
	}
}

/* bounds -> '{' M [ ',' [ N ] ] '}'     (M, N: 0..255, M <= N)
 * {m}, {m,}, {m,n} at ps->p (on the '{'). */
static int bounds(struct re_parser *ps, int *min, int *max)
{
	char *end;
	long lo, hi;

	lo = strtol(ps->p + 1, &end, 10);
	if (end == ps->p + 1)
		return fail(ps, "invalid repetition count");
	hi = lo;
	if (*end == ',') {
		const char *q = end + 1;

		hi = *q == '}' ? -1 : strtol(q, &end, 10);
		if (hi >= 0 && end == q)
			return fail(ps, "invalid repetition count");
		if (hi < 0)
			end = (char *)q;
	}
	if (*end != '}')
		return fail(ps, "unmatched '{'");
	if (lo > 255 || hi > 255 || (hi >= 0 && hi < lo))
		return fail(ps, "invalid repetition count");
	*min = (int)lo;
	*max = (int)hi;
	ps->p = end + 1;
	return 1;
}

/* repeat -> atom { '*' | '+' | '?' | bounds } */
static struct re_node *repeat(struct re_parser *ps)
{
	struct re_node *n = atom(ps);

	while (n && *ps->p && strchr("*+?{", *ps->p)) {
		struct re_node *r = node(RN_REPEAT);

		r->a = n;
		n = r;
		switch (*ps->p) {
		case '*': r->min = 0; r->max = -1; ps->p++; break;
		case '+': r->min = 1; r->max = -1; ps->p++; break;
		case '?': r->min = 0; r->max = 1; ps->p++; break;
		default:
			if (!bounds(ps, &r->min, &r->max)) {
				node_free(n);
				return NULL;
			}
		}
	}
	return n;
}

/* concatenation -> { repeat }     (up to a '|', a ')' or the end;
 * none is RN_EMPTY, which matches the empty string) */
static struct re_node *concatenation(struct re_parser *ps)
{
	struct re_node *n = NULL;

	while (*ps->p && *ps->p != '|' && *ps->p != ')') {
		struct re_node *r = repeat(ps), *c;

		if (!r) {
			node_free(n);
			return NULL;
		}
		if (!n) {
			n = r;
			continue;
		}
		c = node(RN_CAT);
		c->a = n;
		c->b = r;
		n = c;
	}
	return n ? n : node(RN_EMPTY);
}

/* alternation -> concatenation { '|' concatenation } */
static struct re_node *alternation(struct re_parser *ps)
{
	struct re_node *n = concatenation(ps);

	while (n && *ps->p == '|') {
		struct re_node *alt = node(RN_ALT);

		ps->p++;
		alt->a = n;
		alt->b = concatenation(ps);
		n = alt;
		if (!alt->b) {
			node_free(n);
			return NULL;
		}
	}
	return n;
}

/* ---- the program ---- */

#define RE_MAX_INSTS 512

static void emit(struct re_prog *p, enum re_op op, int x, int y)
{
	struct re_inst in = { op, x, y };

	if (p->n >= RE_MAX_INSTS) {
		p->too_large = 1;
		return;
	}
	p->v = xrealloc(p->v, (size_t)(p->n + 1) * sizeof(*p->v));
	p->v[p->n++] = in;
}

static int set_index(struct re_prog *p, const unsigned char *set)
{
	for (int i = 0; i < p->nsets; i++)
		if (!memcmp(p->sets[i], set, 32))
			return i;
	p->sets = xrealloc(p->sets, (size_t)(p->nsets + 1) * sizeof(*p->sets));
	memcpy(p->sets[p->nsets], set, 32);
	return p->nsets++;
}

static void compile(struct re_prog *p, const struct re_node *n);

/* x{min,max}: min copies, then max - min optional ones (or a loop). */
static void compile_repeat(struct re_prog *p, const struct re_node *n)
{
	for (int i = 0; i < n->min && !p->too_large; i++)
		compile(p, n->a);
	if (n->max < 0) {
		int split = p->n;

		emit(p, RI_SPLIT, 0, 0);
		compile(p, n->a);
		emit(p, RI_JMP, split, 0);
		if (!p->too_large)
			p->v[split].x = split + 1, p->v[split].y = p->n;
		return;
	}
	for (int i = n->min; i < n->max && !p->too_large; i++) {
		int split = p->n;

		emit(p, RI_SPLIT, 0, 0);
		compile(p, n->a);
		if (!p->too_large)
			p->v[split].x = split + 1, p->v[split].y = p->n;
	}
}

static void compile(struct re_prog *p, const struct re_node *n)
{
	int split, jmp;

	if (p->too_large)
		return;
	switch (n->kind) {
	case RN_SET:
		if (n->single >= 0)
			emit(p, RI_CHAR, n->single, 0);
		else
			emit(p, RI_SET, set_index(p, n->set), 0);
		break;
	case RN_CAT:
		compile(p, n->a);
		compile(p, n->b);
		break;
	case RN_ALT:
		split = p->n;
		emit(p, RI_SPLIT, 0, 0);
		compile(p, n->a);
		jmp = p->n;
		emit(p, RI_JMP, 0, 0);
		if (p->too_large)
			return;
		p->v[split].x = split + 1;
		p->v[split].y = p->n;
		compile(p, n->b);
		if (!p->too_large)
			p->v[jmp].x = p->n;
		break;
	case RN_REPEAT:
		compile_repeat(p, n);
		break;
	case RN_GROUP:
		emit(p, RI_SAVE, 2 * n->group, 0);
		compile(p, n->a);
		emit(p, RI_SAVE, 2 * n->group + 1, 0);
		break;
	case RN_BOL:
		emit(p, RI_BOL, 0, 0);
		break;
	case RN_EOL:
		emit(p, RI_EOL, 0, 0);
		break;
	case RN_EMPTY:
		break;
	}
}

int re_compile(const char *pattern, struct re_prog *out, char **err)
{
	struct re_parser ps = { .p = pattern };
	struct re_node *tree;

	memset(out, 0, sizeof(*out));
	*err = NULL;
	tree = alternation(&ps);
	if (!ps.err && *ps.p == ')')
		fail(&ps, "unmatched ')'");
	if (!ps.err && ps.groups > RE_MAX_GROUPS)
		fail(&ps, "too many groups (at most 9)");
	if (ps.err) {
		node_free(tree);
		*err = xasprintf("invalid regular expression: %s", ps.err);
		free(ps.err);
		return -1;
	}
	out->ngroups = ps.groups;
	emit(out, RI_SAVE, 0, 0);
	compile(out, tree);
	emit(out, RI_SAVE, 1, 0);
	emit(out, RI_MATCH, 0, 0);
	node_free(tree);
	if (out->too_large) {
		re_free(out);
		*err = xasprintf("invalid regular expression: too large (over "
				 "%d steps)", RE_MAX_INSTS);
		return -1;
	}
	return 0;
}

void re_free(struct re_prog *p)
{
	free(p->v);
	free(p->sets);
	memset(p, 0, sizeof(*p));
}

int re_check(const char *pattern, char **err)
{
	struct re_prog p;

	if (re_compile(pattern, &p, err) < 0)
		return -1;
	re_free(&p);
	return 0;
}

/* ---- as C ---- */

/* A byte as a C character constant. */
static void c_char(struct strbuf *b, int c)
{
	if (c == '\'' || c == '\\')
		sb_printf(b, "'\\%c'", c);
	else if (c >= 32 && c < 127)
		sb_printf(b, "'%c'", c);
	else
		sb_printf(b, "'\\%03o'", c);
}

/* The set as the ranges it holds, for a comment: a-z0-9_ */
static void set_comment(struct strbuf *b, const unsigned char *set)
{
	for (int c = 1; c < 256; c++) {
		int end = c;

		if (!set_has(set, c))
			continue;
		while (end + 1 < 256 && set_has(set, end + 1))
			end++;
		if (c >= 33 && c < 127 && c != '*' && c != '/')
			sb_printf(b, "%c", c);
		else
			sb_printf(b, "\\x%02x", c);
		if (end > c) {
			sb_putc(b, '-');
			if (end >= 33 && end < 127 && end != '*' && end != '/')
				sb_printf(b, "%c", end);
			else
				sb_printf(b, "\\x%02x", end);
		}
		c = end;
	}
}

void re_emit(const struct re_prog *p, const char *name, const char *pattern,
	     struct strbuf *out)
{
	(void)pattern;
	for (int s = 0; s < p->nsets; s++) {
		sb_printf(out, "static const u8 %s_set%d[32] = {\t/* ", name, s);
		set_comment(out, p->sets[s]);
		sb_puts(out, " */\n\t");
		for (int i = 0; i < 32; i++)
			sb_printf(out, "0x%02x,%s", p->sets[s][i],
				  i == 31 ? "\n" : i % 8 == 7 ? "\n\t" : " ");
		sb_puts(out, "};\n");
	}
	sb_printf(out, "static const struct rt_re_inst %s_prog[] = {\n", name);
	for (int i = 0; i < p->n; i++) {
		const struct re_inst *in = &p->v[i];

		sb_printf(out, "\t/* %2d */ ", i);
		switch (in->op) {
		case RI_CHAR:
			sb_puts(out, "{ RT_RE_CHAR, ");
			c_char(out, in->x);
			sb_puts(out, " },\n");
			break;
		case RI_SET:
			sb_printf(out, "{ RT_RE_SET, .set = %s_set%d },\n", name,
				  in->x);
			break;
		case RI_SPLIT:
			sb_printf(out, "{ RT_RE_SPLIT, %d, %d },\n", in->x, in->y);
			break;
		case RI_JMP:
			sb_printf(out, "{ RT_RE_JMP, %d },\n", in->x);
			break;
		case RI_SAVE:
			sb_printf(out, "{ RT_RE_SAVE, %d },\n", in->x);
			break;
		case RI_BOL:
			sb_puts(out, "{ RT_RE_BOL },\n");
			break;
		case RI_EOL:
			sb_puts(out, "{ RT_RE_EOL },\n");
			break;
		case RI_MATCH:
			sb_puts(out, "{ RT_RE_MATCH },\n");
			break;
		}
	}
	sb_puts(out, "};\n");
	sb_printf(out, "static const struct rt_re %s = {\n\t.prog = %s_prog, "
		       ".n = ARRAY_SIZE(%s_prog), .ngroups = %d,\n};\n\n",
		  name, name, name, p->ngroups);
}
