// SPDX-License-Identifier: GPL-2.0
/*
 * The setuid-root program of the CVE-2014-0181 test (kipc_hostile_setuid_test):
 * a stand-in for any setuid program that prints what its caller chose, as
 * many do in an error message. It writes the bytes given in hex as argv[1]
 * to its standard output, in one write(); "--euid" prints its effective uid
 * instead, so the test can see that the setuid bit took effect.
 *
 * It is installed setuid only by the test, inside the test VM, in a
 * private directory of /tmp.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int main(int argc, char **argv)
{
	static unsigned char buf[4096];
	size_t len, i;

	if (argc != 2)
		return 2;
	if (!strcmp(argv[1], "--euid")) {
		printf("%u\n", (unsigned int)geteuid());
		return 0;
	}
	len = strlen(argv[1]);
	if (len % 2 || len / 2 > sizeof(buf))
		return 2;
	for (i = 0; i < len / 2; i++) {
		int hi = hex(argv[1][2 * i]), lo = hex(argv[1][2 * i + 1]);

		if (hi < 0 || lo < 0)
			return 2;
		buf[i] = hi << 4 | lo;
	}
	return write(1, buf, len / 2) == (ssize_t)(len / 2) ? 0 : 1;
}
