/* cache.h - the module cache: built modules kept in $XDG_CACHE_HOME/tapc
 * (default ~/.cache/tapc), so running the same script again on the same
 * kernel skips passes 2-4.
 *
 * The key is everything pass 2 onwards reads: the script's name, text
 * and arguments, every file of the tapset directories, the options that
 * change code (-g -m -D -I -G -u), the kernel (release, build id, headers),
 * tapc's own binary and runtime headers.  Passes 2-4 are a function of
 * those, so a hit may skip pass 2 too (which alone costs more than the
 * 50 ms a warm run may take: it reads the kernel's symbol map).  An entry
 * holds the whole key, compared byte for byte on a hit: a collision of
 * the 64-bit hash that names it can never pick the wrong module. */
#ifndef TAPC_CACHE_H
#define TAPC_CACHE_H

#include "util.h"

struct cache_inputs {
	const char *script_name;	/* as given, "<input>" for -e */
	const char *script_text;
	int nargs;			/* script arguments */
	char *const *args;
	const char *release;
	const char *tapset_dir;		/* the built-in library */
	struct vec include_dirs;	/* -I, of char * */
	const char *runtime_dir;	/* runtime/ of this tapc */
	struct vec defines;		/* -D, of char * */
	const char *modname;		/* -m, or NULL */
	int guru;			/* -g */
	struct vec code_options;	/* -G -u, of char *: they change code */
};

struct cache_key {
	char *text;			/* the whole key */
	char hex[17];			/* its hash: the entry's name */
};

/* The cache directory, created if missing; NULL (with a message) if it
 * cannot be. */
const char *cache_dir(void);

void cache_key_make(const struct cache_inputs *in, struct cache_key *key);

/* The module name for a key: -m's, else tapc_ and 12 digits of the hash. */
char *cache_modname(const struct cache_key *key, const char *modname);

/* The cached module's path if the entry exists and its key matches. */
char *cache_lookup(const struct cache_key *key, const char *modname);

/* Stores a built module (and its C source) under key; returns the
 * entry's module path, or NULL (with a message) if it could not. */
char *cache_store(const struct cache_key *key, const char *modname,
		  const char *ko_path, const char *csrc);

/* Removes every entry; 0, or -1 with a message. */
int cache_clean(void);

#endif
