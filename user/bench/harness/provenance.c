// SPDX-License-Identifier: GPL-2.0
/* kipc-bench: what a figure was taken with (see provenance.h). */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "first_line.h"
#include "libkipc.h"
#include "provenance.h"

/*
 * Flags that move IPC figures: page-table isolation and PCID/INVPCID set
 * what a system call and an address-space switch cost, SMAP/SMEP what a
 * user copy costs, FSGSBASE what a context switch saves, and the
 * speculation controls what the kernel runs on entry and on a switch.
 */
static const char *const cpu_flags_of_interest[] = {
	"pti", "pcid", "invpcid", "smap", "smep", "fsgsbase", "ibrs", "ibpb", "stibp",
	"ssbd", "md_clear", NULL,
};

static void append(char *buf, size_t len, const char *sep, const char *s)
{
	size_t used = strlen(buf);

	if (used < len)
		snprintf(buf + used, len - used, "%s%s", used ? sep : "", s);
}

static bool has_flag(const char *flags, const char *flag)
{
	size_t n = strlen(flag);
	const char *p;

	for (p = strstr(flags, flag); p; p = strstr(p + 1, flag))
		if ((p == flags || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

static void cpu_flags(char *buf, size_t len)
{
	static char line[8192];	/* one "flags" line lists a few hundred */
	FILE *f = fopen("/proc/cpuinfo", "r");
	unsigned int i;

	buf[0] = '\0';
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (strncmp(line, "flags", 5) || !colon)
			continue;
		colon[strcspn(colon, "\n")] = '\0';
		for (i = 0; cpu_flags_of_interest[i]; i++)
			if (has_flag(colon + 1, cpu_flags_of_interest[i]))
				append(buf, len, " ", cpu_flags_of_interest[i]);
		break;
	}
	fclose(f);
}

static void mitigations(char *buf, size_t len)
{
	read_dir_lines("/sys/devices/system/cpu/vulnerabilities", ": ", "; ", buf, len);
}

/* The ioctl answers for the module that is loaded, whatever its sysfs says. */
static void kipc_version(struct bench_provenance *p)
{
	struct kipc_version v;
	int fd = kipc_open_device(O_RDWR | O_CLOEXEC);

	p->kipc_version[0] = '\0';
	p->kipc_abi = -1;
	if (fd >= 0) {
		if (kipc_get_version(fd, &v) == 0) {
			snprintf(p->kipc_version, sizeof(p->kipc_version), "%u.%u.%u", v.major,
				 v.minor, v.patch);
			p->kipc_abi = (int)v.abi;
		}
		close(fd);
	}
	if (!p->kipc_version[0])
		read_first_line("/sys/module/kipc/version", p->kipc_version, sizeof(p->kipc_version));
}

void provenance_collect(struct bench_provenance *p, const char *qemu)
{
	memset(p, 0, sizeof(*p));
	kipc_version(p);
	read_first_line("/proc/cmdline", p->cmdline, sizeof(p->cmdline));
	snprintf(p->qemu, sizeof(p->qemu), "%s", qemu ? qemu : "");
#if defined(__GNUC__) && !defined(__clang__)
	snprintf(p->compiler, sizeof(p->compiler), "gcc %s", __VERSION__);
#else
	snprintf(p->compiler, sizeof(p->compiler), "%s", __VERSION__);
#endif
	cpu_flags(p->cpu_flags, sizeof(p->cpu_flags));
	mitigations(p->mitigations, sizeof(p->mitigations));
}
