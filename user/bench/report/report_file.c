// SPDX-License-Identifier: GPL-2.0
/* kipc-bench: opening, closing and CSV-quoting the report's files. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "report_file.h"

FILE *report_open(const char *dir, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		fprintf(stderr, "kipc-bench: cannot write %s: %s\n", path, strerror(errno));
	return f;
}

int report_close(FILE *f)
{
	int bad = ferror(f);

	return fclose(f) || bad ? -1 : 0;
}

/* A field with a comma, quote or newline is quoted, its quotes doubled. */
void report_csv_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}
