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
#include <unistd.h>

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

static enum diag_color color_when = DIAG_COLOR_AUTO;
static int color_on = -1;	/* decided at the first report */

void diag_set_color(enum diag_color when)
{
	color_when = when;
	color_on = -1;
}

int diag_parse_color(const char *when)
{
	static const struct { const char *name; enum diag_color when; } w[] = {
		{ "auto", DIAG_COLOR_AUTO }, { "tty", DIAG_COLOR_AUTO },
		{ "if-tty", DIAG_COLOR_AUTO }, { "always", DIAG_COLOR_ALWAYS },
		{ "yes", DIAG_COLOR_ALWAYS }, { "force", DIAG_COLOR_ALWAYS },
		{ "never", DIAG_COLOR_NEVER }, { "no", DIAG_COLOR_NEVER },
		{ "none", DIAG_COLOR_NEVER },
	};

	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		if (!strcmp(when, w[i].name))
			return w[i].when;
	return -1;
}

static int use_color(void)
{
	const char *term = getenv("TERM"), *no = getenv("NO_COLOR");

	if (color_on < 0) {
		if (color_when == DIAG_COLOR_AUTO)
			color_on = isatty(STDERR_FILENO) && term &&
				   strcmp(term, "dumb") && !(no && *no);
		else
			color_on = color_when == DIAG_COLOR_ALWAYS;
	}
	return color_on;
}

/* SGR sequences GCC uses by default (its GCC_COLORS). */
#define SGR_PLACE "\033[01m"
#define SGR_ERROR "\033[01;31m"
#define SGR_WARNING "\033[01;35m"
#define SGR_NOTE "\033[01;36m"
#define SGR_CARET "\033[01;32m"
#define SGR_END "\033[m"

static const char *kind_color(const char *kind)
{
	if (!strcmp(kind, "error"))
		return SGR_ERROR;
	if (!strcmp(kind, "warning"))
		return SGR_WARNING;
	return SGR_NOTE;
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
	fputs(use_color() ? SGR_CARET "^" SGR_END "\n" : "^\n", stderr);
}

static void report(struct loc loc, const char *kind, const char *fmt,
		   va_list ap)
{
	const char *place = loc.src ? loc_str(loc) : "tapc";

	if (use_color())
		fprintf(stderr, SGR_PLACE "%s:" SGR_END " %s%s:" SGR_END " ",
			place, kind_color(kind), kind);
	else
		fprintf(stderr, "%s: %s: ", place, kind);
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
	fputs(use_color() ? SGR_PLACE "tapc:" SGR_END " " SGR_ERROR "error:"
	      SGR_END " " : "tapc: error: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	diag_errors++;
}
