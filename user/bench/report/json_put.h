/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipc-bench: adding one member to a json-c object, for every part of
 * results.json, so a missing string is written as "" the same everywhere.
 */
#ifndef KIPC_BENCH_JSON_PUT_H
#define KIPC_BENCH_JSON_PUT_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>

static inline void put_str(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v ? v : ""));
}

static inline void put_int(json_object *o, const char *k, int64_t v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

static inline void put_num(json_object *o, const char *k, double v)
{
	json_object_object_add(o, k, json_object_new_double(v));
}

static inline void put_bool(json_object *o, const char *k, bool v)
{
	json_object_object_add(o, k, json_object_new_boolean(v));
}

#endif /* KIPC_BENCH_JSON_PUT_H */
