/* builtins.c - the table of built-in calls (builtins.h).
 *
 * One row per builtin: its name, the node pass 1 makes of it, what its
 * value is, and its hooks in pass 2 and pass 3.
 */
#include "builtins.h"

#include <string.h>

#define CALL(n, id, fl, inf, emit) { n, id, EX_CALL, fl, inf, NULL, emit }
#define STAT(n, id, chk) { n, id, EX_STAT, 0, elab_bi_stat, chk, tr_stat_value }

static const struct builtin bi_table[] = {
	CALL("printf", BI_PRINTF, 0, elab_bi_format, tr_bi_format),
	CALL("sprintf", BI_SPRINTF, BI_STRING, elab_bi_format, tr_bi_format),
	CALL("print", BI_PRINT, 0, elab_bi_print, tr_bi_print),
	CALL("println", BI_PRINTLN, BI_NEWLINE, elab_bi_print, tr_bi_print),
	CALL("printd", BI_PRINTD, BI_DELIM, elab_bi_print, tr_print_family),
	CALL("printdln", BI_PRINTDLN, BI_DELIM | BI_NEWLINE, elab_bi_print,
	     tr_print_family),
	CALL("sprint", BI_SPRINT, BI_STRING, elab_bi_print, tr_print_family),
	CALL("sprintln", BI_SPRINTLN, BI_STRING | BI_NEWLINE, elab_bi_print,
	     tr_print_family),
	CALL("sprintd", BI_SPRINTD, BI_STRING | BI_DELIM, elab_bi_print,
	     tr_print_family),
	CALL("sprintdln", BI_SPRINTDLN, BI_STRING | BI_DELIM | BI_NEWLINE,
	     elab_bi_print, tr_print_family),
	STAT("count", BI_COUNT, NULL),
	STAT("sum", BI_SUM, NULL),
	STAT("min", BI_MIN, NULL),
	STAT("max", BI_MAX, NULL),
	STAT("avg", BI_AVG, NULL),
	STAT("variance", BI_VARIANCE, elab_bi_variance),
	{ "hist_linear", BI_HIST_LINEAR, EX_HIST, 0, elab_bi_hist,
	  elab_bi_hist_layout, NULL },
	{ "hist_log", BI_HIST_LOG, EX_HIST, 0, elab_bi_hist,
	  elab_bi_hist_layout, NULL },
};

const struct builtin *bi_lookup(enum expr_kind form, const char *name)
{
	for (size_t i = 0; i < sizeof(bi_table) / sizeof(bi_table[0]); i++)
		if (bi_table[i].form == form && !strcmp(bi_table[i].name, name))
			return &bi_table[i];
	return NULL;
}
