// SPDX-License-Identifier: GPL-2.0
/* kipc-bench: the environment of a run (see env.h). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "env.h"
#include "timing.h"

#ifndef KIPC_BENCH_VERSION
#define KIPC_BENCH_VERSION "unknown"
#endif

static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (!f)
		return;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

static void cpu_model(char *buf, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[256];

	snprintf(buf, len, "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (!strncmp(line, "model name", 10) && colon) {
			colon += 2;
			colon[strcspn(colon, "\n")] = '\0';
			snprintf(buf, len, "%s", colon);
			break;
		}
	}
	fclose(f);
}

/* No --env: a QEMU machine is the test VM, whose clock mode we cannot see. */
static void guess_where(struct bench_env *env)
{
	char vendor[64];

	read_line("/sys/class/dmi/id/sys_vendor", vendor, sizeof(vendor));
	if (strstr(vendor, "QEMU")) {
		snprintf(env->where, sizeof(env->where), "vm");
		snprintf(env->clock, sizeof(env->clock), "unknown");
	} else {
		snprintf(env->where, sizeof(env->where), "native");
		snprintf(env->clock, sizeof(env->clock), "real");
	}
}

static void parse_env_spec(struct bench_env *env, const char *spec)
{
	env->env_told = true;
	if (strstr(spec, "vm")) {
		snprintf(env->where, sizeof(env->where), "vm");
		snprintf(env->clock, sizeof(env->clock), strstr(spec, "icount") ? "icount" : "time");
	} else {
		snprintf(env->where, sizeof(env->where), "native");
		snprintf(env->clock, sizeof(env->clock), "real");
	}
}

double env_clock_read_ns(void)
{
	uint64_t best = UINT64_MAX;
	int i;

	for (i = 0; i < 1000; i++) {
		uint64_t t0 = now_ns(), t1 = now_ns();

		if (t1 - t0 < best)
			best = t1 - t0;
	}
	return (double)best;
}

void env_collect(struct bench_env *env, const struct bench_options *o)
{
	struct utsname u;
	time_t t = time(NULL);

	memset(env, 0, sizeof(*env));
	if (uname(&u) == 0) {
		snprintf(env->kernel, sizeof(env->kernel), "%s", u.release);
		snprintf(env->machine, sizeof(env->machine), "%s", u.machine);
	}
	cpu_model(env->cpu_model, sizeof(env->cpu_model));
	env->vcpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (o->env && *o->env)
		parse_env_spec(env, o->env);
	else
		guess_where(env);
	env->pin_cpu = o->pin_cpu;
	read_line("/sys/devices/system/clocksource/clocksource0/current_clocksource",
		  env->clocksource, sizeof(env->clocksource));
	env->root = geteuid() == 0;
	strftime(env->date, sizeof(env->date), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	snprintf(env->version, sizeof(env->version), "%s", KIPC_BENCH_VERSION);
	env->verify = o->verify;
	env->quick = o->quick;
	env->threads = o->threads;
	env->clock_read_ns = env_clock_read_ns();
}
