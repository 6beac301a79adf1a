/* SPDX-License-Identifier: GPL-2.0 */
/*
 * output.c: aligned text tables and JSON on stdout. Tables are built whole
 * (so each column is as wide as its widest cell) and printed at once; JSON
 * is json-c's, plain or pretty as -p asks.
 */
#ifndef KIPCCTL_OUTPUT_H
#define KIPCCTL_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

struct table;

/* A table of @ncols columns; NULL on ENOMEM. */
struct table *table_new(size_t ncols);
void table_free(struct table *t);
/* Right-align column @col (numbers). */
void table_align_right(struct table *t, size_t col);
/* Append a row of @ncols cells (copied); 0 or -ENOMEM. */
int table_add(struct table *t, const char *const *cells);
/* Columns separated by two spaces, no trailing blanks. */
void table_print(const struct table *t);

/* A value as a table cell: strings as they are, numbers in decimal, "-"
 * for null or absent. The result lives until the next call.
 */
const char *json_cell(struct json_object *v);

/* Print @o as one line of JSON (indented with -p); 0 or -EIO. */
int json_print(struct json_object *o);

#endif /* KIPCCTL_OUTPUT_H */
