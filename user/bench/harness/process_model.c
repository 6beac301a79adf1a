// SPDX-License-Identifier: GPL-2.0
/* kipc-bench: sequencing the process-model sections (see process_model.h). */
#include <stdio.h>

#include "process_model.h"

void process_model_measure(struct bench_run *run)
{
	const struct bench_options *o = run->opts;

	if (o->sections & SECTION_CREATION) {
		fprintf(stderr, "kipc-bench: creation: fork, vfork+exec, posix_spawn, threads\n");
		creation_measure(o, &run->creation);
	}
	if (o->sections & SECTION_CRASH) {
		fprintf(stderr, "kipc-bench: crash: a peer process, then a thread, segfaults\n");
		crash_measure(o, &run->crash);
	}
	if (o->sections & SECTION_UNSYNC) {
		fprintf(stderr, "kipc-bench: unsync: a shared counter without and with a lock\n");
		unsync_measure(o, &run->unsync);
	}
	if (o->sections & SECTION_FANOUT) {
		fprintf(stderr, "kipc-bench: fanout: one publisher, 1, 4 and 16 subscribers\n");
		fanout_measure(o, &run->fanout);
	}
}
