/* diag.h - source files and located diagnostics.
 *
 * Every AST node carries a struct loc.  A diagnostic prints
 * "file:line:col: error: message", the source line and a caret under
 * the column, the way gcc and clang do.
 *
 * Every error and warning carries a tag from DIAG_TAGS, one per kind of
 * message.  The tag is not printed; error tests are named after it
 * (tests/errors/TAG.stp, TAG-variant.stp) and scripts/diag-coverage.sh
 * lists the tags no test triggers.
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

/* X(enum name, kebab-case name, what the messages of the tag report) */
#define DIAG_TAGS(X) \
	X(DG_LEXICAL, "lexical", \
	  "a malformed token: a bad number, character, string or comment") \
	X(DG_SYNTAX, "syntax", \
	  "a token the grammar does not expect here") \
	X(DG_TOO_MANY_ERRORS, "too-many-errors", \
	  "so many syntax errors that the parser gives up") \
	X(DG_NESTED_TOO_DEEP, "nested-too-deep", \
	  "an expression or statement nested past the depth bound") \
	X(DG_EXPRESSION_TOO_LARGE, "expression-too-large", \
	  "an expression too large once its macros are expanded") \
	X(DG_MACRO_DEFINITION, "macro-definition", \
	  "a malformed @define") \
	X(DG_MACRO_BUILTIN, "macro-builtin", \
	  "an @define of a built-in operator's name") \
	X(DG_MACRO_DUPLICATE, "macro-duplicate", \
	  "a macro defined twice") \
	X(DG_MACRO_ARGUMENTS, "macro-arguments", \
	  "a macro used with the wrong number of arguments") \
	X(DG_MACRO_RECURSIVE, "macro-recursive", \
	  "a macro that expands to itself") \
	X(DG_MACRO_LIMIT, "macro-limit", \
	  "macro expansion nested too deeply or grown too large") \
	X(DG_MACRO_FILE, "macro-file", \
	  "a macro file holding more than @define") \
	X(DG_UNKNOWN_MACRO, "unknown-macro", \
	  "a use of a macro nobody defined") \
	X(DG_SCRIPT_ARGUMENT_MISSING, "script-argument-missing", \
	  "$N or @N beyond the script's arguments") \
	X(DG_SCRIPT_ARGUMENT_NUL, "script-argument-nul", \
	  "a script argument that makes a NUL character") \
	X(DG_NO_KERNEL_CONFIG, "no-kernel-config", \
	  "warning: no kernel configuration for CONFIG_ conditions") \
	X(DG_CONDITION_SYNTAX, "condition-syntax", \
	  "a malformed %( condition %?") \
	X(DG_CONDITION_COMPARE, "condition-compare", \
	  "a %( condition comparing values of the wrong kinds") \
	X(DG_CONDITIONAL_UNCLOSED, "conditional-unclosed", \
	  "a %( with no closing %)") \
	X(DG_CONDITIONAL_STRAY, "conditional-stray", \
	  "a %: %? or %) with no %( before it") \
	X(DG_ARRAY_SIZE, "array-size", \
	  "an array declared with a size that is not positive") \
	X(DG_UNKNOWN_TYPE, "unknown-type", \
	  "a declared type other than long or string") \
	X(DG_FOREACH_SORT, "foreach-sort", \
	  "a foreach sorted by more than one column or by a bad aggregate") \
	X(DG_FOREACH_LIMIT, "foreach-limit", \
	  "a foreach with an identifier where 'limit' or ')' belongs") \
	X(DG_FOREACH_SORT_AGGREGATE, "foreach-sort-aggregate", \
	  "a foreach sorting by a statistic's aggregate over non-statistics") \
	X(DG_HIST_ARGUMENTS, "hist-arguments", \
	  "@hist_linear or @hist_log with the wrong arguments") \
	X(DG_POINT_BLANK, "point-blank", \
	  "a blank inside a probe point component") \
	X(DG_BRACE_LIMIT, "brace-limit", \
	  "brace expansion making too many probe points") \
	X(DG_ALIAS_NAME, "alias-name", \
	  "an alias named by braces, '?', '!', 'if' or a wildcard") \
	X(DG_ALIAS_LOOP, "alias-loop", \
	  "probe aliases nested too deeply") \
	X(DG_ALIAS_NO_MATCH, "alias-no-match", \
	  "a probe point that matches no probe of its alias") \
	X(DG_UNKNOWN_POINT, "unknown-point", \
	  "a probe point no family or alias matches") \
	X(DG_NO_MATCH, "no-match", \
	  "a probe point family that matches nothing in the kernel") \
	X(DG_POINT_REFUSED, "point-refused", \
	  "a kernel function the kernel refuses to probe") \
	X(DG_POINT_INLINE_ONLY, "point-inline-only", \
	  "a function that is inline-only or patched") \
	X(DG_NO_MODULE, "no-module", \
	  "a module the kernel does not have") \
	X(DG_NO_SYSTEM_MAP, "no-system-map", \
	  "a probe point that needs the kernel's System.map it lacks") \
	X(DG_NO_DEBUGINFO, "no-debuginfo", \
	  "a probe point or target value that needs missing debuginfo") \
	X(DG_FUNCTION_NO_DEBUGINFO, "function-no-debuginfo", \
	  "a function with no DWARF entry") \
	X(DG_TRACEPOINT_NO_DEBUGINFO, "tracepoint-no-debuginfo", \
	  "a tracepoint whose arguments have no DWARF") \
	X(DG_STATEMENT_SPEC, "statement-spec", \
	  "a .statement probe not written func@file:line") \
	X(DG_STATEMENT_GURU, "statement-guru", \
	  "an absolute statement probe without guru mode") \
	X(DG_UNKNOWN_KERNEL_SYMBOL, "unknown-kernel-symbol", \
	  "a kernel.data watchpoint on an unknown symbol") \
	X(DG_DATA_LENGTH, "data-length", \
	  "a kernel.data watchpoint length other than 1, 2, 4 or 8") \
	X(DG_DATA_ALIGN, "data-align", \
	  "a kernel.data watchpoint address not aligned to its length") \
	X(DG_TIMER_RANGE, "timer-range", \
	  "a timer interval out of range") \
	X(DG_TIMER_RANDOMIZE, "timer-randomize", \
	  "a timer randomization that is refused or too large") \
	X(DG_PERF_PERIOD, "perf-period", \
	  "a perf sample period that is not positive") \
	X(DG_PERF_RANGE, "perf-range", \
	  "a perf type or config out of range") \
	X(DG_UNKNOWN_PERF_EVENT, "unknown-perf-event", \
	  "a perf event name tapc does not know") \
	X(DG_PROFILE_FREQUENCY, "profile-frequency", \
	  "a profile frequency that is not positive") \
	X(DG_TARGET_SUFFIX, "target-suffix", \
	  "a misplaced '$' or '$$' after a target value") \
	X(DG_TARGET_INDEX, "target-index", \
	  "a target value indexed with more than one index") \
	X(DG_TARGET_VALUE, "target-value", \
	  "a target value that cannot be read as written") \
	X(DG_TARGET_TYPE_DIFFERS, "target-type-differs", \
	  "a target value of different types at the points of one probe") \
	X(DG_TARGET_IN_FUNCTION, "target-in-function", \
	  "a target value in a function body") \
	X(DG_KPROBE_TARGET_VARIABLE, "kprobe-target-variable", \
	  "a target variable in a kprobe.* probe") \
	X(DG_ENTRY_NESTED, "entry-nested", \
	  "@entry inside @entry") \
	X(DG_ENTRY_SCRIPT_VARIABLE, "entry-script-variable", \
	  "@entry of an expression using a script variable") \
	X(DG_ENTRY_OUTSIDE_RETURN, "entry-outside-return", \
	  "@entry outside a .return probe") \
	X(DG_ARRAY_NOT_GLOBAL, "array-not-global", \
	  "an array that is not a global") \
	X(DG_ARRAY_TOO_MANY_KEYS, "array-too-many-keys", \
	  "an array with more keys than tapc allows") \
	X(DG_ARRAY_KEY_COUNT, "array-key-count", \
	  "an array used with different numbers of keys") \
	X(DG_ARRAY_WITHOUT_KEYS, "array-without-keys", \
	  "an array used as a scalar") \
	X(DG_EMBEDDED_NO_GURU, "embedded-no-guru", \
	  "embedded C outside tapsets without guru mode") \
	X(DG_WRONG_ARITY, "wrong-arity", \
	  "a function called with the wrong number of arguments") \
	X(DG_OVERLOAD_MISSING, "overload-missing", \
	  "no overload of a function takes that many arguments") \
	X(DG_OVERLOAD_SAME, "overload-same", \
	  "two overloads with the same number of parameters") \
	X(DG_UNKNOWN_FUNCTION, "unknown-function", \
	  "a call of a function nobody defines") \
	X(DG_BAD_LVALUE, "bad-lvalue", \
	  "an assignment or ++/-- of something that is not a variable") \
	X(DG_RETURN_OUTSIDE_FUNCTION, "return-outside-function", \
	  "'return' in a probe") \
	X(DG_NEXT_OUTSIDE_PROBE, "next-outside-probe", \
	  "'next' in a function") \
	X(DG_BREAK_OUTSIDE_LOOP, "break-outside-loop", \
	  "'break' or 'continue' outside a loop") \
	X(DG_TYPE_MISMATCH, "type-mismatch", \
	  "a value of one type used as another") \
	X(DG_TYPE_NOT_INFERRED, "type-not-inferred", \
	  "a variable or key whose type nothing settles") \
	X(DG_FORMAT_NOT_LITERAL, "format-not-literal", \
	  "a print family call whose format is not a literal") \
	X(DG_FORMAT, "format", \
	  "a malformed format string") \
	X(DG_FORMAT_ARGUMENTS, "format-arguments", \
	  "a format given the wrong number of arguments") \
	X(DG_PRINT_DELIMITER, "print-delimiter", \
	  "a print family call missing its delimiter or values") \
	X(DG_REGEX_NOT_LITERAL, "regex-not-literal", \
	  "=~ with a right side that is not a literal") \
	X(DG_REGEX, "regex", \
	  "a malformed regular expression") \
	X(DG_STATISTIC_ASSIGN, "statistic-assign", \
	  "a statistic assigned as a value") \
	X(DG_STATISTIC_NOT_GLOBAL, "statistic-not-global", \
	  "a statistic that is not a global") \
	X(DG_STATISTIC_CONFLICT, "statistic-conflict", \
	  "a statistic used with two bit shifts or histograms") \
	X(DG_VARIANCE_ARGUMENTS, "variance-arguments", \
	  "@variance with the wrong arguments") \
	X(DG_VARIANCE_SHIFT, "variance-shift", \
	  "a @variance bit shift that is not a number from 0 to 62") \
	X(DG_HIST_BUCKETS, "hist-buckets", \
	  "@hist_linear bounds that make no or too many buckets") \
	X(DG_UNSUPPORTED, "unsupported", \
	  "a language feature tapc does not support yet") \
	X(DG_NO_PROBES, "no-probes", \
	  "a script with no probes") \
	X(DG_ELIDE_VARIABLE, "elide-variable", \
	  "warning: an unused variable is elided") \
	X(DG_ELIDE_ASSIGNMENT, "elide-assignment", \
	  "warning: an assignment to an unused variable is elided") \
	X(DG_ELIDE_FUNCTION, "elide-function", \
	  "warning: an unused function is elided") \
	X(DG_INTERNAL, "internal", \
	  "an internal error in translation") \
	X(DG_NO_KERNEL_HEADERS, "no-kernel-headers", \
	  "no kernel headers for the target kernel") \
	X(DG_BUILD_DIRECTORY, "build-directory", \
	  "the build directory cannot be made or written") \
	X(DG_KBUILD_FAILED, "kbuild-failed", \
	  "kbuild failed to build the module") \
	X(DG_CACHE_DIRECTORY, "cache-directory", \
	  "the cache directory cannot be made") \
	X(DG_VM_NO_KERNEL, "vm-no-kernel", \
	  "--vm with no installed kernel to boot") \
	X(DG_PROCFS_NAME, "procfs-name", \
	  "a procfs file name with '/', '.', '..' or a reserved name") \
	X(DG_PROCFS_UMASK, "procfs-umask", \
	  "a procfs umask over 0777") \
	X(DG_PROCFS_MAXSIZE, "procfs-maxsize", \
	  "a procfs maxsize out of range") \
	X(DG_PROCFS_VALUE, "procfs-value", \
	  "$value of a procfs probe used with another operator") \
	X(DG_NETFILTER_FAMILY, "netfilter-family", \
	  "an unknown netfilter protocol family") \
	X(DG_NETFILTER_HOOK, "netfilter-hook", \
	  "an unknown netfilter hook, or one the family lacks") \
	X(DG_NETFILTER_PRIORITY, "netfilter-priority", \
	  "a netfilter priority that is no int or known name") \
	X(DG_TARGET_ASSIGN, "target-assign", \
	  "assigning a target value other than a netfilter $verdict") \
	X(DG_VERDICT_GURU, "verdict-guru", \
	  "assigning $verdict without guru mode") \
	X(DG_OPTION, "option", \
	  "a command-line option the script cannot take (-G of no global)")

enum diag_tag {
#define DIAG_ENUM(tag, name, what) tag,
	DIAG_TAGS(DIAG_ENUM)
#undef DIAG_ENUM
	DG_COUNT
};

const char *diag_tag_name(enum diag_tag tag);	/* "unknown-point" */

extern int diag_errors;		/* errors reported so far */
extern int diag_warnings_off;	/* -w */
extern int diag_warnings;	/* warnings reported so far (for -W) */

void diag_error(enum diag_tag tag, struct loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_warning(enum diag_tag tag, struct loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_note(struct loc loc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* An error with no place in a script: "tapc: error: ..." */
void diag_fatal(enum diag_tag tag, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const char *loc_str(struct loc loc);	/* "file:line:col", static buffer */

/*
 * Colour as GCC's (--color): the place bold, "error" bold red, "warning"
 * bold magenta, "note" bold cyan, the caret bold green.  AUTO colours
 * when stderr is a terminal, TERM is not "dumb" and NO_COLOR is unset.
 */
enum diag_color { DIAG_COLOR_AUTO, DIAG_COLOR_ALWAYS, DIAG_COLOR_NEVER };
void diag_set_color(enum diag_color when);
/* Parse "auto", "always" or "never" (also yes/no, force/none, tty as
 * GNU tools take them); -1 if it is none of them. */
int diag_parse_color(const char *when);

#endif
