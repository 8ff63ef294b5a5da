/*
 * paths.h - where tapc's own files are: the tapset library, the kernel
 * runtime, taprun and the guest's init.
 *
 * tapc finds them relative to its own executable, so the build tree, an
 * installed tree (PREFIX/bin/tapc with PREFIX/share/tapc) and a tree
 * moved elsewhere all work: beside the executable when a tapset/ folder
 * is there (the build tree), else in ../share/tapc.  TAPC_RUNTIME or -R
 * names another runtime folder; -I adds tapset folders (elab.c).
 */
#ifndef TAPC_PATHS_H
#define TAPC_PATHS_H

/* The folder holding tapset/ and runtime/; static, computed once. */
const char *paths_data_dir(void);

/* data dir/tapset. */
const char *paths_tapset_dir(void);

/* -R DIR if given (paths_set_runtime), else $TAPC_RUNTIME, else data
 * dir/runtime. */
const char *paths_runtime_dir(void);
void paths_set_runtime(const char *dir);

/* The folder of the running executable (taprun lives beside tapc). */
const char *paths_exe_dir(void);

#endif /* TAPC_PATHS_H */
