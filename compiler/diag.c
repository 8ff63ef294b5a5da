/* diag.c - source files and located diagnostics.
 *
 * Built with -DTAPC_DIAG_LOG, tapc appends the name of each tag it reports
 * to the file named by the environment variable TAPC_DIAG_LOG, when that
 * is set (scripts/diag-coverage.sh); the printed text never changes.
 */
#include "diag.h"
#include "util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

int diag_errors;
int diag_warnings_off;
int diag_warnings;

static const char *const tag_names[] = {
#define DIAG_NAME(tag, name, what) [tag] = name,
	DIAG_TAGS(DIAG_NAME)
#undef DIAG_NAME
};

const char *diag_tag_name(enum diag_tag tag)
{
	return tag < DG_COUNT ? tag_names[tag] : "?";
}

/* One line per report, appended (O_APPEND: concurrent tapc runs interleave
 * whole lines), so a test run can tell which tags its tests trigger. */
static void log_tag(enum diag_tag tag)
{
#ifdef TAPC_DIAG_LOG
	const char *path = getenv("TAPC_DIAG_LOG");
	FILE *f;

	if (!path || !*path)
		return;
	f = fopen(path, "a");
	if (!f)
		return;
	fprintf(f, "%s\n", diag_tag_name(tag));
	fclose(f);
#else
	(void)tag;
#endif
}

struct source *source_load(const char *path, int is_tapset)
{
	struct source *s = xcalloc(1, sizeof(*s));

	if (read_file(path, &s->text, NULL) < 0) {
		free(s);
		return NULL;
	}
	s->name = xstrdup(path);
	s->is_tapset = is_tapset;
	return s;
}

struct source *source_from_string(const char *name, const char *text)
{
	struct source *s = xcalloc(1, sizeof(*s));

	s->name = xstrdup(name);
	s->text = xstrdup(text);
	return s;
}

const char *loc_str(struct loc loc)
{
	static char buf[512];

	snprintf(buf, sizeof(buf), "%s:%d:%d",
		 loc.src ? loc.src->name : "<unknown>", loc.line, loc.col);
	return buf;
}

/* Print line `line` of the source and a caret under column `col`. */
static void show_line(struct loc loc)
{
	const char *p, *end;
	int n;

	if (!loc.src || loc.line < 1)
		return;
	p = loc.src->text;
	for (n = 1; n < loc.line && p; n++) {
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	if (!p)
		return;
	end = strchr(p, '\n');
	if (!end)
		end = p + strlen(p);
	fprintf(stderr, "%.*s\n", (int)(end - p), p);
	/* Keep tabs so the caret lines up under a tab-indented line. */
	for (n = 1; n < loc.col && p + n - 1 < end; n++)
		fputc(p[n - 1] == '\t' ? '\t' : ' ', stderr);
	fputs("^\n", stderr);
}

static void report(struct loc loc, const char *kind, const char *fmt,
		   va_list ap)
{
	if (loc.src)
		fprintf(stderr, "%s: %s: ", loc_str(loc), kind);
	else
		fprintf(stderr, "tapc: %s: ", kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	show_line(loc);
}

void diag_error(enum diag_tag tag, struct loc loc, const char *fmt, ...)
{
	va_list ap;

	log_tag(tag);
	va_start(ap, fmt);
	report(loc, "error", fmt, ap);
	va_end(ap);
	diag_errors++;
}

void diag_warning(enum diag_tag tag, struct loc loc, const char *fmt, ...)
{
	va_list ap;

	if (diag_warnings_off)
		return;
	log_tag(tag);
	va_start(ap, fmt);
	report(loc, "warning", fmt, ap);
	va_end(ap);
	diag_warnings++;
}

void diag_note(struct loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(loc, "note", fmt, ap);
	va_end(ap);
}

void diag_fatal(enum diag_tag tag, const char *fmt, ...)
{
	va_list ap;

	log_tag(tag);
	va_start(ap, fmt);
	fputs("tapc: error: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	diag_errors++;
}
