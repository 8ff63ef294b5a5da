/* elab_procfs.h - pass 2's rewrite of $value in procfs probes. */
#ifndef TAPC_ELAB_PROCFS_H
#define TAPC_ELAB_PROCFS_H

#include "elab.h"
#include "points.h"

/* Rewrites $value in p's body if p has a procfs point (elab_procfs.c). */
void elab_procfs_probe(const struct program *prog, struct probe *p);

#endif
