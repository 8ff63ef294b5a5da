/* tapset.h - the tapset library: an index of what each file defines,
 * and files parsed only when something they define is needed.
 *
 * Opening the library reads every .stp file once with a light scanner
 * (no parse) and notes the functions, globals and probe aliases each
 * one defines at top level.  Resolution then parses just the files that
 * may define a wanted name, so pass 2 stays fast as the library grows.
 */
#ifndef TAPC_TAPSET_H
#define TAPC_TAPSET_H

#include "ast.h"

enum tapset_kind { TS_FUNCTION, TS_GLOBAL, TS_ALIAS };

struct tapset_lib;

/* Indexes the directories: each of dirs, then tapset_dir, each with
 * its linux/ and architecture subdirectories. */
struct tapset_lib *tapset_open(const char *tapset_dir, const struct vec *dirs);

/* The function called name with nargs parameters (any number if
 * nargs < 0), parsing the files that may define it; NULL if none does.
 * *file is the parsed file it is in. */
struct function *tapset_find_function(struct tapset_lib *lib,
				      const char *name, int nargs,
				      const struct file_ast **file);

/* Pushes the number of parameters, as (intptr_t), of each function of
 * the library called name. */
void tapset_function_arities(struct tapset_lib *lib, const char *name,
			     struct vec *out);

/* The global called name, as for functions. */
struct symbol *tapset_find_global(struct tapset_lib *lib, const char *name,
				  const struct file_ast **file);

/* Pushes (const char *) every alias name the index knows, as written
 * without blanks; a name defined in several files comes several times. */
void tapset_alias_names(const struct tapset_lib *lib, struct vec *out);

/* Pushes each alias definition called name (struct probe_alias *) and,
 * at the same position in files, the parsed file it is in. */
void tapset_find_aliases(struct tapset_lib *lib, const char *name,
			 struct vec *aliases, struct vec *files);

/* Tries the indexed names of this kind as suggestions (util.h). */
void tapset_suggest(struct tapset_lib *lib, enum tapset_kind kind,
		    struct suggest *s);

/* How many files the index holds. */
int tapset_file_count(const struct tapset_lib *lib);

#endif
