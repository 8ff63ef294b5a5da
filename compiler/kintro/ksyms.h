/* ksyms.h - kernel text symbols of a release, from System.map or kallsyms,
 * and which of them the kernel refuses to kprobe.  Lets pass 2 reject an
 * unknown or refused function before anything is built.  A public header
 * of kintro, the kernel-introspection library (see dwarfinfo.h). */
#ifndef TAPC_KSYMS_H
#define TAPC_KSYMS_H

#include <stdint.h>

#include "util.h"

/* Loads the symbols of a release once; returns 0 if none could be read
 * (then every lookup answers "unknown" and checking is skipped). */
int ksyms_load(const char *release);
int ksyms_known(void);
int ksyms_has(const char *name);
/* The address of a text symbol (the first, if several), or 0. */
uint64_t ksyms_addr(const char *name);
/* The text symbol holding addr (the nearest at or below it), with addr's
 * offset from it; *unique is 0 when other symbols have its name (a
 * static function in several files).  NULL below every symbol. */
const char *ksyms_at(uint64_t addr, uint64_t *off, int *unique);
/* Appends to out (char *, owned by ksyms) the distinct function names
 * matching the glob pattern (* ? [..]), sorted; compiler-made clones
 * (names with a '.') only when the pattern has one too. */
void ksyms_match(const char *pattern, struct vec *out);
/* Why the kernel refuses to kprobe name ("it is in .entry.text"...), or
 * NULL if it may be probed. */
const char *ksyms_refused(const char *name);
/* Whether the kernel refuses a kprobe at addr because it patches the
 * code there at run time: a jump label or an inline static call. */
int ksyms_patched(uint64_t addr);
/* Whether name is the padding before a function (__pfx_f, __cfi_f: 6.2+
 * call padding and CFI), which symbol tables list as a function. */
int ksyms_is_padding(const char *name);
/* The nearest known name, by util.h's suggest rule, or NULL. */
const char *ksyms_suggest(const char *name);

/* The release's tracepoints (from its __tracepoint_NAME symbols), sorted,
 * and each one's system ("sched"), or "" where the debug vmlinux does not
 * tell.  Both vectors are owned by ksyms. */
void ksyms_tracepoints(const char *release, struct vec *names,
		       struct vec *systems);

/* ksyms_blacklist.c: the addresses of the release's NOKPROBE_SYMBOL
 * functions, read from its vmlinux's _kprobe_blacklist section between
 * the two addresses; sorted.  Returns their number (0 if unreadable). */
size_t ksyms_read_blacklist(const char *release, uint64_t start,
			    uint64_t stop, uint64_t **addrs);

/* ksyms_blacklist.c: the code ranges the kernel patches at run time,
 * from its vmlinux's __jump_table and static_call_sites, whose bounds
 * are tables[0..1] and tables[2..3]; sorted.  Returns their number. */
struct ksym_range {
	uint64_t start, end;
};
size_t ksyms_read_patched(const char *release, const uint64_t tables[4],
			  struct ksym_range **out);

/* ksyms_module.c: the functions of a module of the release (by name,
 * '-' and '_' alike), from its .ko's symbol table. */
int ksyms_module_known(const char *release, const char *module);
void ksyms_module_match(const char *release, const char *module,
			const char *pattern, struct vec *out);
const char *ksyms_module_suggest(const char *release, const char *module,
				 const char *name);

/* ksyms_blacklist.c: the system of the trace event whose struct
 * trace_event_call is at event (its class's first member), or "". */
const char *ksyms_trace_system(const char *release, uint64_t event);

#endif
