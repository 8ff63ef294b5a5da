/* diag.h - source files and located diagnostics.
 *
 * Every AST node carries a struct loc.  A diagnostic prints
 * "file:line:col: error: message", the source line and a caret under
 * the column, the way gcc and clang do.
 */
#ifndef TAPC_DIAG_H
#define TAPC_DIAG_H

struct source {
	char *name;		/* as given, or "<input>" for -e */
	char *text;
	int is_tapset;		/* tapset files may hold embedded C */
};

struct loc {
	const struct source *src;
	int line, col;		/* both 1-based; 0 when unknown */
};

struct source *source_load(const char *path, int is_tapset);
struct source *source_from_string(const char *name, const char *text);

extern int diag_errors;		/* errors reported so far */
extern int diag_warnings_off;	/* -w */
extern int diag_warnings;	/* warnings reported so far (for -W) */

void diag_error(struct loc loc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void diag_warning(struct loc loc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void diag_note(struct loc loc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* An error with no place in a script: "tapc: error: ..." */
void diag_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *loc_str(struct loc loc);	/* "file:line:col", static buffer */

#endif
