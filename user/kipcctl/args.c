// SPDX-License-Identifier: GPL-2.0
/*
 * Command-line values: strict parsing of counts, sizes and modes. Anything
 * that is not exactly a value of the expected shape is a usage error (exit
 * code 2), reported with the option it came from.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "kipcctl.h"

int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("kipcctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'kipcctl --help' for more information.\n", stderr);
	return KIPCCTL_EXIT_USAGE;
}

/* Digits only: strtoull would take signs, spaces and "0x" in its stride. */
static int parse_digits(const char *s, int base, uint64_t *out, char **end)
{
	unsigned long long v;

	if (!isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	v = strtoull(s, end, base);
	if (errno)
		return -1;
	*out = v;
	return 0;
}

int parse_u32(const char *opt, const char *s, uint32_t *out)
{
	uint64_t v;
	char *end;

	if (parse_digits(s, 10, &v, &end) || *end || v > UINT32_MAX)
		return usage_error("%s: expected a number from 0 to %" PRIu32 ", got '%s'",
				   opt, UINT32_MAX, s);
	*out = v;
	return 0;
}

int parse_range(const char *opt, const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t v;
	char *end;

	if (parse_digits(s, 10, &v, &end) || *end || v < min || v > max)
		return usage_error("%s: expected a number from %" PRIu32 " to %" PRIu32 ", got '%s'",
				   opt, min, max, s);
	*out = v;
	return 0;
}

/* A byte count with an optional binary suffix: 4096, 64K, 1M, 2G. */
int parse_size(const char *opt, const char *s, uint64_t *out)
{
	uint64_t v, mult = 1;
	char *end;

	if (parse_digits(s, 10, &v, &end))
		goto bad;
	switch (*end) {
	case '\0':
		break;
	case 'k': case 'K':
		mult = 1ULL << 10;
		end++;
		break;
	case 'm': case 'M':
		mult = 1ULL << 20;
		end++;
		break;
	case 'g': case 'G':
		mult = 1ULL << 30;
		end++;
		break;
	default:
		goto bad;
	}
	if (*end || v > UINT64_MAX / mult)
		goto bad;
	*out = v * mult;
	return 0;
bad:
	return usage_error("%s: expected a size in bytes (suffix K, M or G allowed), got '%s'",
			   opt, s);
}

int parse_mode(const char *opt, const char *s, uint32_t *out)
{
	uint64_t v;
	char *end;

	if (parse_digits(s, 8, &v, &end) || *end || v > 0777)
		return usage_error("%s: expected octal permission bits from 0 to 0777, got '%s'",
				   opt, s);
	*out = v;
	return 0;
}

/*
 * After getopt_long() returned @c, '?' or ':' (optstrings start with ':'
 * and opterr is 0: the message is ours).
 */
int bad_option(char **argv, int c)
{
	const char *arg = argv[optind - 1];

	if (c == ':')
		return usage_error("%s: option '%s' needs a value", argv[0], arg);
	if (optopt)
		return usage_error("%s: unknown option '-%c'", argv[0], optopt);
	return usage_error("%s: unknown option '%s'", argv[0], arg);
}

/* Exactly @nargs operands after the options. */
int want_args(int argc, char **argv, int nargs)
{
	if (argc - optind < nargs)
		return usage_error("%s: missing argument", argv[0]);
	if (argc - optind > nargs)
		return usage_error("%s: unexpected argument '%s'", argv[0], argv[optind + nargs]);
	return KIPCCTL_CONTINUE;
}
