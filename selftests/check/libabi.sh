#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# libabi.sh: libkipc's ABI is the one it means to keep. TAP lines; on the
# host, no module needed, about half a minute (most of it the packager's
# build).
#   - libkipc.so exports exactly the functions libkipc.h declares (plus
#     kipc__sem_wake, which the inline kipc_sem_post() calls), each at
#     version LIBKIPC_0, and libkipc.map lists the same names;
#   - abidiff (abigail-tools) of the committed baseline
#     user/lib/abi/libkipc.abi against the built library reports nothing
#     removed or changed (added functions pass, and are noted);
#   - abidiff does catch one: a library built without the exported
#     semaphore fast paths (sem_fast.o) is reported incompatible;
#   - host unit tests (selftests/unit/libkipc_unit.c) of kipc_deadline()
#     and the semaphore fast paths, inline and exported;
#   - a packager's build (make -C user WERROR= CPPFLAGS/CFLAGS/LDFLAGS from
#     dpkg-buildflags, hardening=+all) passes its flags to every compile
#     and link (_FORTIFY_SOURCE and -fstack-protector-strong on every
#     command, BIND_NOW in libkipc.so, kipcctl and kipc-bench) and drops
#     -Werror.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/check/tap.sh"

build=$top/build/user
lib=$top/user/lib
scratch=$top/build/libabi-check
version=$(sed -n 's/^LIBKIPC_VERSION *:= *//p' "$lib/version.mk")
so=$build/libkipc.so.$version
rm -rf "$scratch"
mkdir -p "$scratch"

if [ ! -f "$so" ]; then
	tap_not_ok "libkipc: $so not built (make user)"
	exit 1
fi

# The functions libkipc.h declares (install.sh's rule), and the one
# internal function the header's inline code calls.
header_functions() {
	{
		grep -E '^[a-z].*[ *]kipc_[a-z0-9_]+\(' "$lib/libkipc.h" |
			grep -oE 'kipc_[a-z0-9_]+\(' | tr -d '(' | grep -v '^kipc__'
		echo kipc__sem_wake
	} | sort -u
}

exports_match() {
	header_functions >"$scratch/header"
	nm -D --defined-only "$so" | awk '$2 == "T" {print $3}' | sort -t@ -k1,1 >"$scratch/exported"
	sed -n 's/^[[:space:]]*\(kipc_[a-z0-9_]*\);$/\1/p' "$lib/libkipc.map" | sort >"$scratch/map"
	echo "# header vs exported" && diff -u "$scratch/header" <(sed 's/@.*//' "$scratch/exported") &&
		echo "# header vs libkipc.map" && diff -u "$scratch/header" "$scratch/map" &&
		echo "# every export at its libkipc.map node" &&
		awk '/^LIBKIPC_[0-9.]+ *[{]/ {node = $1}
			/^[[:space:]]*kipc_[a-z0-9_]*;$/ {gsub(/[[:space:];]/, ""); print $0 "@@" node}' \
			"$lib/libkipc.map" | sort -t@ -k1,1 | diff -u - "$scratch/exported"
}
tap_run "libkipc.so exports exactly libkipc.h's functions, at their libkipc.map nodes" \
	exports_match

if ! command -v abidiff >/dev/null || ! command -v abidw >/dev/null; then
	tap_not_ok "abidiff: abigail-tools not installed (make deps)"
	tap_not_ok "abidiff catches a planted incompatible change: abigail-tools not installed"
else
	# abidiff's status is a bit mask: 1 error, 2 usage, 4 ABI change, 8
	# incompatible change. Any change to what the baseline has fails: a
	# struct grown behind a pointer is only "4", yet breaks callers. Added
	# functions are compatible (--no-added-syms), but want a MINOR bump, a
	# new version node and a new baseline: the second run says so.
	hdrs=(--headers-dir2 "$lib" --header-file2 "$top/kmod/uapi/linux/kipc.h")
	out=$(abidiff --no-added-syms "${hdrs[@]}" "$lib/abi/libkipc.abi" "$so" 2>&1)
	rc=$?
	name="abidiff: libkipc.so against user/lib/abi/libkipc.abi, nothing removed or changed"
	if [ "$rc" -eq 0 ]; then
		tap_ok "$name"
	else
		tap_not_ok "$name (abidiff exit status $rc)"
		echo "$out" | sed 's/^/#   /'
	fi
	if ! out=$(abidiff "${hdrs[@]}" "$lib/abi/libkipc.abi" "$so" 2>&1) && [ "$rc" -eq 0 ]; then
		echo "$out" | sed 's/^/#   /'
		echo "#   functions added: bump MINOR, add a version node, make -C user abi-baseline (user/lib/version.mk)"
	fi

	planted_break() {
		local objs=() o rc
		for o in "$build"/lib/*.o; do
			[ "${o##*/}" = sem_fast.o ] || objs+=("$o")
		done
		cc -shared -Wl,-soname,libkipc.so.0 -o "$scratch/libkipc-broken.so" "${objs[@]}" || return 1
		abidiff --no-added-syms "${hdrs[@]}" "$lib/abi/libkipc.abi" "$scratch/libkipc-broken.so"
		rc=$?
		echo "abidiff exit status $rc"
		[ $((rc & 8)) -ne 0 ]
	}
	tap_run "abidiff catches a planted incompatible change (the exported fast paths removed)" \
		planted_break
fi

unit() {
	local cflags=(-std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -I"$top/kmod/uapi" -I"$lib")
	cc "${cflags[@]}" -o "$scratch/unit-inline" "$top/selftests/unit/libkipc_unit.c" \
		"$build/libkipc.a" &&
		"$scratch/unit-inline" &&
		cc "${cflags[@]}" -DKIPC_NO_INLINE -o "$scratch/unit-exported" \
			"$top/selftests/unit/libkipc_unit.c" -L"$build" -lkipc &&
		LD_LIBRARY_PATH=$build "$scratch/unit-exported"
}
tap_run "host unit tests of libkipc (kipc_deadline, semaphore fast paths inline and exported)" unit

packager_build() {
	local o=$scratch/packager f
	export DEB_BUILD_MAINT_OPTIONS=hardening=+all
	make -C "$top/user" -j2 O="$o" WERROR= \
		CPPFLAGS="$(dpkg-buildflags --get CPPFLAGS)" \
		CFLAGS="$(dpkg-buildflags --get CFLAGS)" \
		LDFLAGS="$(dpkg-buildflags --get LDFLAGS)" >"$scratch/packager.log" 2>&1 ||
		{ tail -20 "$scratch/packager.log"; return 1; }
	grep -E '^cc ' "$scratch/packager.log" >"$scratch/packager.cmds"
	echo "$(wc -l <"$scratch/packager.cmds") compile and link commands"
	[ -s "$scratch/packager.cmds" ] || return 1
	if grep -E -- '-Werror( |$)' "$scratch/packager.cmds"; then
		echo "-Werror despite WERROR="; return 1
	fi
	if grep -v -e '-D_FORTIFY_SOURCE=' "$scratch/packager.cmds" | grep -E -- ' -c '; then
		echo "a compile without the packager's CPPFLAGS"; return 1
	fi
	if grep -v -e '-fstack-protector-strong' "$scratch/packager.cmds"; then
		echo "a command without the packager's CFLAGS"; return 1
	fi
	for f in libkipc.so kipcctl bench/kipc-bench; do
		readelf -d "$o/$f" | grep -q 'BIND_NOW' ||
			{ echo "$f: no BIND_NOW: LDFLAGS (-z now) did not reach its link"; return 1; }
	done
}
if command -v dpkg-buildflags >/dev/null; then
	tap_run "a packager's build: CPPFLAGS, CFLAGS, LDFLAGS reach every command, WERROR= drops -Werror" \
		packager_build
else
	tap_skip "a packager's build honours CPPFLAGS, CFLAGS, LDFLAGS" "no dpkg-buildflags"
fi
