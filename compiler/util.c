/* util.c - allocation, growable buffers and arrays, files, numbers, and
 * the one "did you mean" rule (suggest_*). */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

static void out_of_memory(void)
{
	fputs("tapc: out of memory\n", stderr);
	exit(2);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	struct strbuf b;
	va_list ap;

	sb_init(&b);
	va_start(ap, fmt);
	sb_vprintf(&b, fmt, ap);
	va_end(ap);
	return b.s;
}

void sb_init(struct strbuf *b)
{
	b->cap = 64;
	b->len = 0;
	b->s = xmalloc(b->cap);
	b->s[0] = '\0';
}

static void sb_grow(struct strbuf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	if (!b->cap)
		b->cap = 64;
	while (b->len + extra + 1 > b->cap)
		b->cap *= 2;
	b->s = xrealloc(b->s, b->cap);
}

void sb_put(struct strbuf *b, const char *s, size_t n)
{
	sb_grow(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void sb_putc(struct strbuf *b, char c)
{
	sb_put(b, &c, 1);
}

void sb_puts(struct strbuf *b, const char *s)
{
	sb_put(b, s, strlen(s));
}

void sb_vprintf(struct strbuf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	sb_grow(b, (size_t)n);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void sb_printf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(b, fmt, ap);
	va_end(ap);
}

/* The caller owns the string; b is left empty (like after sb_free): it
 * allocates again on its next put, so a buffer taken last costs nothing. */
char *sb_take(struct strbuf *b)
{
	char *s = b->s;

	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

void sb_free(struct strbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

void vec_push(struct vec *a, void *p)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 8;
		a->v = xrealloc(a->v, (size_t)a->cap * sizeof(*a->v));
	}
	a->v[a->n++] = p;
}

/*
 * One allocation of the file's size and one read(2) where the size is
 * known (System.map, the DWARF index: megabytes read on every run);
 * files whose size stat does not tell (/proc) grow as they are read.
 */
int read_file(const char *path, char **text, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	size_t cap, n = 0;
	ssize_t got;
	char *buf;

	if (fd < 0)
		return -errno;
	cap = fstat(fd, &st) == 0 && st.st_size > 0 ? (size_t)st.st_size
						      : 65536;
	/* cap + 1 bytes: the read that fills the last one shows there is
	 * more than stat said; the one that returns 0 leaves room for the
	 * NUL. */
	buf = xmalloc(cap + 1);
	while ((got = read(fd, buf + n, cap + 1 - n)) != 0) {
		if (got < 0) {
			if (errno == EINTR)
				continue;
			got = -errno;
			free(buf);
			close(fd);
			return (int)got;
		}
		n += (size_t)got;
		if (n == cap + 1) {
			cap *= 2;
			buf = xrealloc(buf, cap + 1);
		}
	}
	close(fd);
	buf[n] = '\0';
	*text = buf;
	if (len)
		*len = n;
	return 0;
}

int write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		return -errno;
	if (fwrite(text, 1, len, f) != len) {
		fclose(f);
		return -EIO;
	}
	return fclose(f) ? -errno : 0;
}

/* FNV-1a, 64 bit: names modules and keys caches; not cryptographic. */
uint64_t hash64(const void *data, size_t len, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t h = 0xcbf29ce484222325ULL ^ seed;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static const unsigned char hex_digit[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6,
	['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12,
	['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16, ['A'] = 11,
	['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};	/* a hex digit's value + 1, 0 for any other byte */

uint64_t scan_hex(const char **s, int *digits)
{
	const unsigned char *p = (const unsigned char *)*s;
	uint64_t v = 0;

	for (; hex_digit[*p]; p++)
		v = v << 4 | (uint64_t)(hex_digit[*p] - 1);
	*digits = (int)(p - (const unsigned char *)*s);
	*s = (const char *)p;
	return v;
}

uint64_t scan_dec(const char **s, int *digits)
{
	const char *p = *s;
	uint64_t v = 0;

	for (; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (uint64_t)(*p - '0');
	*digits = (int)(p - *s);
	*s = p;
	return v;
}

int edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int *row = xcalloc(lb + 1, sizeof(int)), d;

	for (size_t j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		int diag = row[0];

		row[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int up = row[j];
			int best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	d = row[lb];
	free(row);
	return d;
}

void suggest_init(struct suggest *s, const char *name)
{
	s->name = name;
	s->len = strlen(name);
	s->bound = (int)s->len / 3 + 1;
	s->best = NULL;
}

void suggest_try(struct suggest *s, const char *candidate)
{
	size_t l = strlen(candidate);
	int d;

	/* The distance is at least the difference in length: a cheap
	 * filter before the quadratic one (System.map has ~100k names). */
	if (l + (size_t)s->bound < s->len || s->len + (size_t)s->bound < l)
		return;
	d = edit_distance(s->name, candidate);
	if (d > 0 && d <= s->bound) {
		s->best = candidate;
		s->bound = d - 1;	/* a later one must be nearer */
	}
}
