/* util.h - allocation, growable buffers and arrays used by every pass. */
#ifndef TAPC_UTIL_H
#define TAPC_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable byte buffer, always NUL-terminated. */
struct strbuf {
	char *s;
	size_t len, cap;
};
void sb_init(struct strbuf *b);
void sb_putc(struct strbuf *b, char c);
void sb_puts(struct strbuf *b, const char *s);
void sb_put(struct strbuf *b, const char *s, size_t n);
void sb_printf(struct strbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sb_vprintf(struct strbuf *b, const char *fmt, va_list ap);
char *sb_take(struct strbuf *b);	/* returns the string, empties b */
void sb_free(struct strbuf *b);

/* A growable array of pointers. */
struct vec {
	void **v;
	int n, cap;
};
void vec_push(struct vec *a, void *p);
#define VEC_EACH(a, i, x) \
	for (int i = 0; i < (a)->n && ((x) = (a)->v[i], 1); i++)

int read_file(const char *path, char **text, size_t *len);
int write_file(const char *path, const char *text, size_t len);
uint64_t hash64(const void *data, size_t len, uint64_t seed);
double now_ms(void);
/* The hex (scan_hex) or decimal (scan_dec) digits at *s as a number,
 * *s moved past them; *digits is how many there were.  For the text
 * tables tapc reads on every run (System.map, the DWARF index), where
 * sscanf() cost more than the rest of pass 2. */
uint64_t scan_hex(const char **s, int *digits);
uint64_t scan_dec(const char **s, int *digits);

/* "Did you mean": the candidate nearest to name by edit distance, among
 * those at most strlen(name) / 3 + 1 edits away and not name itself;
 * the first of equally near ones.  Every suggestion tapc makes (unknown
 * functions, probe points, families, kernel and module functions) uses
 * this one rule:
 *
 *   struct suggest s;
 *   suggest_init(&s, name);
 *   for each candidate c: suggest_try(&s, c);
 *   s.best is the suggestion, or NULL
 *
 * s.best points at the candidate passed, which must outlive its use. */
struct suggest {
	const char *name;
	size_t len;
	int bound;		/* the largest distance still taken */
	const char *best;
};
void suggest_init(struct suggest *s, const char *name);
void suggest_try(struct suggest *s, const char *candidate);
/* Levenshtein distance: insertions, deletions, substitutions. */
int edit_distance(const char *a, const char *b);

#endif
