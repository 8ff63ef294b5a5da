/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tapc_proto.h - the wire protocol between a tapc module and taprun.
 *
 * Included by both the kernel runtime and taprun, so it uses only
 * fixed-width types and no headers of either side.
 *
 * Each module creates one proc file, /proc/<module name>, opened by one
 * reader at a time.  The reader writes commands as text lines and reads
 * records: a header followed by len bytes of payload.
 *
 *   "start <target pid>\n"  register every probe, run the begin probes
 *   "stop\n"                unregister every probe, run the end probes,
 *                           report the session summary; after the rest
 *                           of the output a TAPC_REC_DONE record is read
 *                           and then end of file.
 *
 * read() returns whole records only, as many as fit; it blocks until at
 * least one is there unless the file is opened O_NONBLOCK; poll() works.
 * Records come in the order they were written, across CPUs: by ts, then
 * by CPU; seq numbers them in that order.
 *
 * Module parameters taprun sets (the runtime's own, before the script's):
 *   rt_bufsize=BYTES   output buffer of each CPU (taprun -s)
 *   rt_owner=PID:START the loading taprun and its start time (field 22
 *                      of /proc/PID/stat), to tell a module a killed
 *                      session left behind from one still running
 */
#ifndef TAPC_PROTO_H
#define TAPC_PROTO_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdint.h>
#endif

enum tapc_rec_type {
	TAPC_REC_OUT = 1,	/* script output, for stdout */
	TAPC_REC_WARN = 2,	/* "WARNING: ..." line, for stderr */
	TAPC_REC_ERROR = 3,	/* "ERROR: ..." line, for stderr; exit status 1 */
	TAPC_REC_EXIT = 4,	/* the script asked to end: reader sends "stop" */
	TAPC_REC_DONE = 5,	/* end probes ran and all output was read */
	TAPC_REC_SYSTEM = 6,	/* a shell command for the reader to run in
				 * the background (system()); payload: the
				 * command, no NUL */
	TAPC_REC_SWITCH = 7,	/* switch_file(): the output goes on in the
				 * next file of -o; no payload */
};

struct tapc_rec_hdr {
	uint32_t len;		/* payload bytes after this header */
	uint16_t type;		/* enum tapc_rec_type */
	uint16_t cpu;		/* CPU the record was written on */
	uint64_t seq;		/* 1, 2, 3...: the order records are read in */
	uint64_t ts;		/* ns of a clock monotonic across CPUs, when
				 * written (CLOCK_MONOTONIC, roughly) */
};

#define TAPC_PARAM_BUFSIZE "rt_bufsize"
#define TAPC_PARAM_OWNER "rt_owner"

#define TAPC_CMD_START "start"
#define TAPC_CMD_STOP "stop"

#endif /* TAPC_PROTO_H */
