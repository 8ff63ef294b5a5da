/* version.h - tapc's version, for --version and the module cache's key. */
#ifndef TAPC_VERSION_H
#define TAPC_VERSION_H

#define TAPC_VERSION "0.1"

#endif
