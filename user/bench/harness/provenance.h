/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipc-bench: what a figure was taken with, beyond env.h's machine: the
 * kipc.ko build and ABI, the kernel's command line, the QEMU the VM ran
 * on (the guest cannot see it: run-bench.sh passes it in), the compiler
 * kipc-bench was built with, and the CPU features and mitigations that
 * change the price of a system call and of a context switch.
 */
#ifndef KIPC_BENCH_PROVENANCE_H
#define KIPC_BENCH_PROVENANCE_H

/*
 * Bumped when results.json or results.csv change in a way a reader must
 * know about. 3: syscalls_per_msg (results.csv, -1 where the mechanism
 * does not count; results.json, only where it does). 2: repeats (results.json "repeats", results.csv "repeat"),
 * provenance fields, schema_version itself. 1: everything before.
 */
#define BENCH_SCHEMA_VERSION	3

struct bench_provenance {
	char kipc_version[32];	/* "0.1.0" from KIPC_IOC_VERSION, "" without kipc.ko */
	int kipc_abi;		/* KIPC_ABI_VERSION of the loaded module, -1 without */
	char cmdline[1024];	/* /proc/cmdline */
	char qemu[128];		/* --qemu-version / $KIPC_BENCH_QEMU, "" when not told */
	char compiler[128];	/* __VERSION__ of the compiler that built kipc-bench */
	char cpu_flags[256];	/* the flags of cpu_flags_of_interest present, in that order */
	char mitigations[2048];	/* "name: state; ..." from .../cpu/vulnerabilities */
};

void provenance_collect(struct bench_provenance *p, const char *qemu);

#endif
