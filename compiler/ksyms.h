/* ksyms.h - kernel text symbols of a release, from System.map or kallsyms.
 * Lets pass 2 reject an unknown function before anything is built. */
#ifndef TAPC_KSYMS_H
#define TAPC_KSYMS_H

/* Loads the symbols of a release once; returns 0 if none could be read
 * (then every lookup answers "unknown" and checking is skipped). */
int ksyms_load(const char *release);
int ksyms_known(void);
int ksyms_has(const char *name);
/* The nearest known name by edit distance, or NULL. */
const char *ksyms_suggest(const char *name);
/* Edit distance, shared with the other "did you mean" suggestions. */
int edit_distance(const char *a, const char *b);

#endif
