/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipc-bench: the textbook's IPC summary table, re-derived. Volume, related
 * processes and typical use come from each mechanism's struct bench_textbook;
 * the speed column comes from this run; the textbook's speed claims are
 * checked against the numbers.
 */
#ifndef KIPC_BENCH_TEXTBOOK_H
#define KIPC_BENCH_TEXTBOOK_H

#include <stdbool.h>

#include "run.h"

/* How a mechanism ranks on one metric (1.00x = the fastest measured). */
struct speed_mark {
	bool measured;
	unsigned int rank, of;
	double times_slower;	/* than the fastest, >= 1 */
};

struct textbook_row {
	const struct bench_mech *mech;
	struct speed_mark round_trip;	/* mean round trip, headline size */
	struct speed_mark small;	/* one-way msgs/s, headline size */
	struct speed_mark large;	/* one-way MB/s, largest size */
	char measured[96];		/* the speed column, as text */
};

enum claim_verdict {
	CLAIM_HOLDS,
	CLAIM_CONTRADICTED,
	CLAIM_MIXED,
	CLAIM_UNTESTED,
};

struct textbook_claim {
	const char *claim;
	enum claim_verdict verdict;
	char evidence[800];
	/* --repeat: in how many of the repeats it held (verdict holds only if in all). */
	unsigned int held_in, repeats;
};

#define MAX_CLAIMS	12

void textbook_row(const struct bench_run *run, const struct bench_mech *mech,
		  struct textbook_row *row);
/*
 * The claims, judged on the aggregate (the means) and, with repeats, on
 * every repeat alone: a claim holds only if it holds in every repeat, is
 * contradicted only if contradicted in every one, and is mixed otherwise.
 */
unsigned int textbook_claims(const struct bench_run *run, struct textbook_claim *out);
/* The verdict of @agree cases out of @tested: untested, holds, mixed, contradicted. */
enum claim_verdict claim_verdict_of(unsigned int agree, unsigned int tested);
const char *claim_verdict_name(enum claim_verdict v);

#endif
