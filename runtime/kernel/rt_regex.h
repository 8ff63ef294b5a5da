/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rt_regex.h - the matcher behind `s =~ "re"`.
 *
 * tapc compiles each pattern at translate time into the program of a
 * Thompson NFA (compiler/regex.c) and emits it as a const table.  This
 * runs such a program over a string with a Pike VM: every live thread
 * advances one byte at a time, so a match takes time linear in the
 * string, never recurses and never allocates (the thread lists are in
 * the per-CPU context, sized for the program's largest pattern).
 *
 * The match is the leftmost one, and of those the longest, as POSIX
 * asks; groups take their text from the thread that made it (earlier
 * alternatives and greedier repetitions first).  The last match, with a
 * copy of its subject, stays in the context for matched(n).
 */
#ifndef RT_REGEX_H
#define RT_REGEX_H

enum rt_re_op {
	RT_RE_CHAR,		/* x: the byte */
	RT_RE_SET,		/* set: a 256-bit map of the bytes */
	RT_RE_SPLIT,		/* go on at x, and (after it) at y */
	RT_RE_JMP,		/* go on at x */
	RT_RE_SAVE,		/* capture slot x = the position */
	RT_RE_BOL,		/* at the start of the string */
	RT_RE_EOL,		/* at its end */
	RT_RE_MATCH,
};

struct rt_re_inst {
	int op;
	int x, y;
	const u8 *set;
};

struct rt_re {
	const struct rt_re_inst *prog;
	int n;
	int ngroups;		/* parenthesized groups */
};

#define RT_RE_MAXGROUPS 9
#define RT_RE_SLOTS (2 * (RT_RE_MAXGROUPS + 1))

struct rt_re_thread {
	int pc;
	int cap[RT_RE_SLOTS];
};

/* Work space for a program of n steps: two thread lists and a stack. */
#define RT_RE_THREADS(n) (4 * (n) + 2)

/* The last match of this context, for matched(n) and ngroups(). */
struct rt_re_last {
	bool result;
	int ngroups;
	int cap[RT_RE_SLOTS];
	char subject[MAXSTRINGLEN];
};

/* The last match of the context of ctx (a struct rt_context *), in the
 * generated struct tapc_context of a module that matches. */
#define RT_RE_LAST(ctx) (&container_of((ctx), struct tapc_context, rt)->re_last)

struct rt_re_vm {
	const struct rt_re *re;
	const unsigned char *s;
	int len;
	int *mark;		/* the generation that last reached each pc */
	int gen;
	struct rt_re_thread *stack;
};

/* Adds the thread at pc with captures cap (position i) to list, after
 * following the jumps, splits, saves and anchors from there. */
static void rt_re_add(struct rt_re_vm *vm, struct rt_re_thread *list,
		      int *count, int pc, const int *cap, int i)
{
	struct rt_re_thread *stack = vm->stack;
	int sp = 0;

	stack[sp].pc = pc;
	memcpy(stack[sp++].cap, cap, sizeof(stack->cap));
	while (sp) {
		struct rt_re_thread cur = stack[--sp];
		const struct rt_re_inst *in = &vm->re->prog[cur.pc];

		if (vm->mark[cur.pc] == vm->gen)
			continue;
		vm->mark[cur.pc] = vm->gen;
		switch (in->op) {
		case RT_RE_JMP:
			cur.pc = in->x;
			stack[sp++] = cur;
			break;
		case RT_RE_SPLIT:	/* x first: pushed last */
			cur.pc = in->y;
			stack[sp++] = cur;
			cur.pc = in->x;
			stack[sp++] = cur;
			break;
		case RT_RE_SAVE:
			cur.cap[in->x] = i;
			cur.pc++;
			stack[sp++] = cur;
			break;
		case RT_RE_BOL:
		case RT_RE_EOL:
			if (i == (in->op == RT_RE_BOL ? 0 : vm->len)) {
				cur.pc++;
				stack[sp++] = cur;
			}
			break;
		default:
			list[(*count)++] = cur;
			break;
		}
	}
}

/* Does the thread's step accept byte c? */
static bool rt_re_step(const struct rt_re_inst *in, unsigned char c)
{
	if (in->op == RT_RE_CHAR)
		return c == in->x;
	if (in->op == RT_RE_SET)
		return in->set[c >> 3] >> (c & 7) & 1;
	return false;
}

/**
 * rt_re_match() - s =~ re
 * @re: the compiled expression
 * @s: the string
 * @last: where the match is recorded, for matched()
 * @work: the matcher's threads
 * @mark: the matcher's marks
 *
 * s =~ re: records the match (or its failure) in last.
 *
 * Return: whether @s matches.
 */
static __maybe_unused bool rt_re_match(const struct rt_re *re, const char *s,
				       struct rt_re_last *last,
				       struct rt_re_thread *work, int *mark)
{
	struct rt_re_vm vm = {
		.re = re, .s = (const unsigned char *)s,
		.len = strnlen(s, MAXSTRINGLEN - 1), .mark = mark,
		.stack = work + 2 * re->n,
	};
	struct rt_re_thread *clist = work, *nlist = work + re->n, *tmp;
	int ccount = 0, ncount, none[RT_RE_SLOTS], best[RT_RE_SLOTS], i, k;
	bool matched = false;

	memset(none, 0xff, sizeof(none));	/* -1: not captured */
	memset(mark, 0, re->n * sizeof(*mark));
	vm.gen = 1;
	rt_re_add(&vm, clist, &ccount, 0, none, 0);
	for (i = 0; ccount; i++) {
		ncount = 0;
		vm.gen++;
		for (k = 0; k < ccount; k++) {
			struct rt_re_thread *t = &clist[k];
			const struct rt_re_inst *in = &re->prog[t->pc];

			if (matched && t->cap[0] > best[0])
				continue;	/* starts after the match */
			if (in->op == RT_RE_MATCH) {
				if (!matched || t->cap[0] < best[0] ||
				    t->cap[1] > best[1])
					memcpy(best, t->cap, sizeof(best));
				matched = true;
			} else if (i < vm.len && rt_re_step(in, vm.s[i])) {
				rt_re_add(&vm, nlist, &ncount, t->pc + 1, t->cap,
					  i + 1);
			}
		}
		if (i >= vm.len)
			break;
		if (!matched)	/* a match may also start at the next byte */
			rt_re_add(&vm, nlist, &ncount, 0, none, i + 1);
		tmp = clist;
		clist = nlist;
		nlist = tmp;
		ccount = ncount;
	}
	last->result = matched;
	if (matched) {
		last->ngroups = re->ngroups;
		memcpy(last->cap, best, sizeof(best));
		memcpy(last->subject, s, vm.len);
		last->subject[vm.len] = '\0';
	}
	return matched;
}

/**
 * rt_re_matched() - matched(n)
 * @c: the context of the probe hit
 * @last: the last match
 * @n: the group, 0 for the whole match
 * @ret: the string result
 *
 * matched(n): the text of group n of the last match, into ret.
 */
static __maybe_unused void rt_re_matched(struct rt_context *c,
					 const struct rt_re_last *last,
					 rt_long n, char *ret)
{
	int start, end;

	ret[0] = '\0';
	if (!last->result) {
		rt_error(c, NULL, "Attempted to get subexpression %lld from "
			 "failed match", (long long)n);
		return;
	}
	if (n < 0 || n > last->ngroups) {
		rt_error(c, NULL, "Attempted to get nonexistent subexpression "
			 "%lld", (long long)n);
		return;
	}
	start = last->cap[2 * n];
	end = last->cap[2 * n + 1];
	if (start < 0 || end < start)
		return;			/* the group took no part */
	memcpy(ret, last->subject + start, end - start);
	ret[end - start] = '\0';
}

#endif /* RT_REGEX_H */
