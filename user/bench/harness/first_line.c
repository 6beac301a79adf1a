// SPDX-License-Identifier: GPL-2.0
/* kipc-bench: first lines of small files (see first_line.h). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "first_line.h"

void read_first_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (!f)
		return;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

void read_dir_lines(const char *dir, const char *between, const char *sep, char *buf,
		    size_t len)
{
	char path[320], line[256];
	struct dirent **names;
	size_t used;
	int i, n;

	buf[0] = '\0';
	n = scandir(dir, &names, NULL, alphasort);
	for (i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
			read_first_line(path, line, sizeof(line));
			used = strlen(buf);
			if (used < len)
				snprintf(buf + used, len - used, "%s%s%s%s", used ? sep : "",
					 names[i]->d_name, between, line);
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
}
