// SPDX-License-Identifier: GPL-2.0
/* kipc-bench: printf onto the end of a string (see appendf.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "appendf.h"

void appendf(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}
