/* fuzz_parse.c - libFuzzer target for pass 1: lexer, preprocessor,
 * parser, printer.
 *
 * Each input is parsed as a script (with two script arguments, so $1
 * and @2 paste something).  Whatever it holds, the parse must end
 * without a crash, a hang, a leak or a sanitizer report.  When it
 * parses, the canonical print must parse again to the same print: the
 * round trip tests/run checks for real scripts, checked here for
 * everything the fuzzer makes up.  The tree's nodes are never freed
 * (ast.c's arena): after each input the arena is reset, so memory stays
 * flat however many inputs run.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

static char arg1[] = "1 + 2", arg2[] = "kernel.function(\"f\")";
static char *args[] = { arg1, arg2 };

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static struct parse_config pc = {
		.release = "6.1.0-fuzz", .arch = "x86_64", .argc = 2,
		.argv = args,
	};

	(void)argc;
	(void)argv;
	parse_configure(&pc);
	ast_arena_reset();	/* from now on it tracks what it must free */
	/* Messages go nowhere (run.sh closes fd 2 for the target), but one
	 * write per character of a caret line costs more than the parse. */
	setvbuf(stderr, NULL, _IOFBF, 1 << 16);
	return 0;
}

static struct source *source_of(const char *name, const char *text,
				size_t len)
{
	struct source *s = xcalloc(1, sizeof(*s));

	s->name = xstrdup(name);
	s->text = xstrndup(text, len);
	return s;
}

static void source_free(struct source *s)
{
	free(s->name);
	free(s->text);
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct source *src = source_of("<fuzz>", (const char *)data, size);
	struct file_ast *f = parse_source(src);
	struct strbuf p1, p2;

	if (f) {
		struct source *again;
		struct file_ast *g;

		sb_init(&p1);
		sb_init(&p2);
		ast_print_file(f, &p1);
		again = source_of("<print>", p1.s, p1.len);
		g = parse_source(again);
		if (!g) {
			fprintf(stderr, "the print does not parse:\n%s\n", p1.s);
			abort();
		}
		ast_print_file(g, &p2);
		if (strcmp(p1.s, p2.s)) {
			fprintf(stderr, "the print parses to another tree:\n"
				"%s\n----\n%s\n", p1.s, p2.s);
			abort();
		}
		source_free(again);
		sb_free(&p1);
		sb_free(&p2);
	}
	source_free(src);
	ast_arena_reset();	/* no node of this input is used any more */
	return 0;
}
