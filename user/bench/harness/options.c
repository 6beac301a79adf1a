// SPDX-License-Identifier: GPL-2.0
/* kipc-bench: command-line options (see kipc-bench.1). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "options.h"

static const size_t default_sizes[] = { 8, 64, 512, 4096, 65536, 262144, 1048576 };
static const size_t quick_sizes[] = { 8, 64, 4096, 65536, 1048576 };

static void usage(FILE *f)
{
	fprintf(f,
"usage: kipc-bench [options]\n"
"Measure kipc and the stock Linux IPC mechanisms: round-trip latency\n"
"(p50/p99/p99.9/max), one-way throughput (msgs/s, MB/s) from 8 B to 1 MiB,\n"
"CPU time per message, 1..N producers, processes and threads, and the cost\n"
"of a context switch; print tables, write CSV/JSON/plots to --out.\n"
"\n"
"  -o, --out DIR          write results.csv, results.json, costs.csv, textbook.csv,\n"
"                         table.txt and gnuplot scripts/plots into DIR\n"
"  -m, --mech LIST        mechanisms, comma-separated (default: all; see --list)\n"
"      --stock            only the stock mechanisms (no kipc)\n"
"  -l, --list             list the mechanisms and exit\n"
"  -q, --quick            short run: fewer sizes and iterations\n"
"  -V, --verify           check every payload (sequence number, checksum); a\n"
"                         mismatch fails the run (timings then include checking)\n"
"  -t, --threads          run every case between threads instead of processes\n"
"  -s, --sizes LIST       message sizes, e.g. 8,64,4k,1M (default 8 B..1 MiB)\n"
"  -p, --producers N      most producers in the producers section (default 4)\n"
"  -b, --batch N          messages per call for batching mechanisms (default 32)\n"
"      --only LIST        sections: latency,throughput,producers,threads,costs,\n"
"                         growth (cost against 10..100k named queues, idle\n"
"                         waiters, epoll sets; memory per queue and message)\n"
"      --pin CPU          pin every participant to CPU (sched_setaffinity)\n"
"      --env SPEC         describe where this runs: native, vm, vm,icount, vm,tcg\n"
"                         (default: $KIPC_BENCH_ENV, else detected)\n"
"      --scale F          multiply every iteration count by F\n"
"      --case-timeout S   seconds one case may take (default 300)\n"
"      --no-raise-limits  keep kernel limits as they are even as root\n"
"      --no-plot          do not run gnuplot (the scripts are still written)\n"
"  -h, --help             this help\n");
}

static size_t parse_size(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);

	switch (*end) {
	case 'k': case 'K':
		v <<= 10;
		end++;
		break;
	case 'm': case 'M':
		v <<= 20;
		end++;
		break;
	}
	if (*end == 'B' || *end == 'b' || (*end == 'i' && end[1] == 'B'))
		end += *end == 'i' ? 2 : 1;
	if (*end || v == 0) {
		fprintf(stderr, "kipc-bench: bad size '%s'\n", s);
		exit(2);
	}
	return (size_t)v;
}

static void parse_sizes(struct bench_options *o, const char *list)
{
	char *copy = strdup(list), *tok, *save = NULL;

	o->nsizes = 0;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		size_t v = parse_size(tok);

		if (o->nsizes == MAX_SIZES) {
			fprintf(stderr, "kipc-bench: at most %d sizes\n", MAX_SIZES);
			exit(2);
		}
		if (v < BENCH_MIN_MSG) {
			fprintf(stderr, "kipc-bench: sizes start at %d bytes (the verify header)\n",
				BENCH_MIN_MSG);
			exit(2);
		}
		o->sizes[o->nsizes++] = v;
	}
	free(copy);
}

static unsigned int parse_sections(const char *list)
{
	static const char *const names[] = { "latency", "throughput", "producers", "threads",
					     "costs", "growth" };
	char *copy = strdup(list), *tok, *save = NULL;
	unsigned int mask = 0, i;

	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (!strcmp(tok, names[i]))
				break;
		if (i == sizeof(names) / sizeof(names[0])) {
			fprintf(stderr, "kipc-bench: unknown section '%s'\n", tok);
			exit(2);
		}
		mask |= 1u << i;
	}
	free(copy);
	return mask;
}

static unsigned long parse_number(const char *s, const char *what, unsigned long lo,
				  unsigned long hi)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);

	if (*end || v < lo || v > hi) {
		fprintf(stderr, "kipc-bench: %s must be %lu..%lu\n", what, lo, hi);
		exit(2);
	}
	return v;
}

void options_parse(struct bench_options *o, int argc, char **argv)
{
	enum { OPT_ONLY = 256, OPT_PIN, OPT_ENV, OPT_SCALE, OPT_TIMEOUT, OPT_NO_RAISE,
	       OPT_NO_PLOT, OPT_STOCK };
	static const struct option longopts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "mech", required_argument, NULL, 'm' },
		{ "list", no_argument, NULL, 'l' },
		{ "stock", no_argument, NULL, OPT_STOCK },
		{ "quick", no_argument, NULL, 'q' },
		{ "verify", no_argument, NULL, 'V' },
		{ "threads", no_argument, NULL, 't' },
		{ "sizes", required_argument, NULL, 's' },
		{ "producers", required_argument, NULL, 'p' },
		{ "batch", required_argument, NULL, 'b' },
		{ "only", required_argument, NULL, OPT_ONLY },
		{ "pin", required_argument, NULL, OPT_PIN },
		{ "env", required_argument, NULL, OPT_ENV },
		{ "scale", required_argument, NULL, OPT_SCALE },
		{ "case-timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "no-raise-limits", no_argument, NULL, OPT_NO_RAISE },
		{ "no-plot", no_argument, NULL, OPT_NO_PLOT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *sizes = NULL;
	char *end;
	int c;

	memset(o, 0, sizeof(*o));
	o->raise_limits = true;
	o->plot = true;
	o->sections = SECTION_ALL;
	o->max_producers = 4;
	o->batch = 32;
	o->scale = 1.0;
	o->case_timeout = 300;
	o->pin_cpu = -1;
	o->producers_size = 64;
	o->threads_size = 64;

	while ((c = getopt_long(argc, argv, "o:m:lqVts:p:b:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': o->out_dir = optarg; break;
		case 'm': o->mechs = optarg; break;
		case 'l': o->list = true; break;
		case 'q': o->quick = true; break;
		case 'V': o->verify = true; break;
		case 't': o->threads = true; break;
		case 's': sizes = optarg; break;
		case 'p':
			o->max_producers = parse_number(optarg, "--producers", 1, MAX_PRODUCERS);
			break;
		case 'b': o->batch = parse_number(optarg, "--batch", 1, 1024); break;
		case OPT_ONLY: o->sections = parse_sections(optarg); break;
		case OPT_PIN: o->pin_cpu = (int)parse_number(optarg, "--pin", 0, 4095); break;
		case OPT_ENV: o->env = optarg; break;
		case OPT_SCALE:
			o->scale = strtod(optarg, &end);
			if (*end || o->scale <= 0 || o->scale > 1000) {
				fprintf(stderr, "kipc-bench: --scale must be a positive number\n");
				exit(2);
			}
			break;
		case OPT_TIMEOUT:
			o->case_timeout = parse_number(optarg, "--case-timeout", 1, 86400);
			break;
		case OPT_NO_RAISE: o->raise_limits = false; break;
		case OPT_NO_PLOT: o->plot = false; break;
		case OPT_STOCK: o->stock = true; break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); exit(2);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "kipc-bench: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		exit(2);
	}
	if (!o->env)
		o->env = getenv("KIPC_BENCH_ENV");
	if (sizes) {
		parse_sizes(o, sizes);
	} else if (o->quick) {
		memcpy(o->sizes, quick_sizes, sizeof(quick_sizes));
		o->nsizes = sizeof(quick_sizes) / sizeof(quick_sizes[0]);
	} else {
		memcpy(o->sizes, default_sizes, sizeof(default_sizes));
		o->nsizes = sizeof(default_sizes) / sizeof(default_sizes[0]);
	}
}

const char *format_size(size_t size, char *buf, size_t len)
{
	if (size >= (1u << 20) && size % (1u << 20) == 0)
		snprintf(buf, len, "%zu MiB", size >> 20);
	else if (size >= 1024 && size % 1024 == 0)
		snprintf(buf, len, "%zu KiB", size >> 10);
	else
		snprintf(buf, len, "%zu B", size);
	return buf;
}
