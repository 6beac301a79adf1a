// SPDX-License-Identifier: GPL-2.0
/* kipc-bench: looking results up (see run.h). */
#include <string.h>

#include "run.h"

const struct bench_mech *run_find_mech(const struct bench_run *run, const char *name)
{
	size_t i;

	for (i = 0; i < run->nmechs; i++)
		if (!strcmp(run->mechs[i]->name, name))
			return run->mechs[i];
	return NULL;
}

const struct bench_result *run_find(const struct bench_run *run, const struct bench_mech *mech,
				    enum result_section section, size_t size,
				    unsigned int producers)
{
	size_t i;

	for (i = 0; i < run->nresults; i++) {
		const struct bench_result *r = &run->results[i];

		if (r->mech == mech && r->section == section && r->msg_size == size &&
		    r->producers == producers)
			return r;
	}
	return NULL;
}

struct bench_run run_repeat_view(const struct bench_run *run, unsigned int k)
{
	struct bench_run view = *run;

	view.results = run->repeat_results + (size_t)k * run->nresults;
	view.nrepeats = 1;
	return view;
}

size_t run_headline_size(const struct bench_run *run)
{
	const struct bench_options *o = run->opts;
	size_t best = o->sizes[0];
	unsigned int i;

	for (i = 0; i < o->nsizes; i++) {
		if (o->sizes[i] == 64)
			return 64;
		if (o->sizes[i] < best)
			best = o->sizes[i];
	}
	return best;
}

size_t run_largest_size(const struct bench_run *run)
{
	const struct bench_options *o = run->opts;
	size_t best = o->sizes[0];
	unsigned int i;

	for (i = 0; i < o->nsizes; i++)
		if (o->sizes[i] > best)
			best = o->sizes[i];
	return best;
}

const char *result_status_name(enum result_status s)
{
	switch (s) {
	case RESULT_OK:
		return "ok";
	case RESULT_NA:
		return "n/a";
	case RESULT_MISSING:
		return "missing";
	case RESULT_FAILED:
		return "failed";
	}
	return "?";
}

const char *result_section_name(enum result_section s)
{
	switch (s) {
	case RESULT_LATENCY:
		return "latency";
	case RESULT_THROUGHPUT:
		return "throughput";
	case RESULT_PRODUCERS:
		return "producers";
	case RESULT_THREADS:
		return "threads";
	}
	return "?";
}
