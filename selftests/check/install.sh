#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# install.sh [KDIR]: make install into a scratch DESTDIR lays out exactly the
# files listed below (sorted find output against the list), a small C
# program builds against the installed header and library through
# pkg-config (sysroot and libdir pointed into DESTDIR), links both shared
# and static, and runs; make uninstall then leaves no file behind. With
# KDIR, the module is the one built for that kernel (make passes the first
# kernel of make check). TAP lines. Nothing outside build/ is touched.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/check/tap.sh"

scratch=$top/build/install-check
dest=$scratch/dest
prefix=/usr/local
# The library's own version (not the module's): user/lib/version.mk.
version=$(sed -n 's/^LIBKIPC_VERSION *:= *//p' "$top/user/lib/version.mk")
# libkipc-mq's (the POSIX mq API over kipc): user/mq/Makefile.
mq_version=$(sed -n 's/^VERSION *:= *//p' "$top/user/mq/Makefile")
if [ $# -gt 0 ]; then
	kver=$("$top/selftests/vm/kernel-release.sh" "$1")
	ksel=(KDIR="$1" KVER="$kver")
else
	kver=$("$top/selftests/vm/kernels.sh" 6.1 | awk 'NR == 1 {print $1}')
	ksel=(KVER="$kver")
fi

# The functions of libkipc.h and kipc_uring.h (kipc__* are internal): each
# must have a man page, its group's or a link to it.
functions() {
	grep -hE '^[a-z].*[ *]kipc_[a-z0-9_]+\(' "$top/user/lib/libkipc.h" "$top/user/lib/kipc_uring.h" |
		grep -oE 'kipc_[a-z0-9_]+\(' | tr -d '(' | grep -v '^kipc__' | sort -u
}
groups="libkipc kipc_device kipc_queue kipc_send kipc_notify kipc_shbuf kipc_sem kipc_ring kipc_uring"

# Every file and symlink make install creates (directories aside), with
# PREFIX=/usr/local: man3 has the group pages and one page per function.
expected() {
	local p
	echo "/lib/modules/$kver/updates/kipc.ko"
	for p in bin/kipc-bench bin/kipcctl include/libkipc.h include/kipc_uring.h include/linux/kipc.h \
		lib/libkipc.a lib/libkipc.so lib/libkipc.so.0 "lib/libkipc.so.$version" \
		lib/pkgconfig/kipc.pc share/man/man1/kipc-bench.1 share/man/man1/kipcctl.1 \
		share/bash-completion/completions/kipcctl \
		include/kipc_mq.h lib/libkipc-mq.a lib/libkipc-mq.so lib/libkipc-mq.so.0 \
		"lib/libkipc-mq.so.$mq_version" lib/pkgconfig/kipc-mq.pc share/man/man3/libkipc-mq.3; do
		echo "$prefix/$p"
	done
	for p in $groups $(functions); do
		echo "$prefix/share/man/man3/$p.3"
	done | sort -u
}

rm -rf "$scratch"
mkdir -p "$scratch"
echo "# kernel $kver, DESTDIR $dest"
tap_run "make install DESTDIR=... runs" \
	make -C "$top" install DESTDIR="$dest" PREFIX="$prefix" "${ksel[@]}"

expected | sort >"$scratch/expected"
(cd "$dest" 2>/dev/null && find . ! -type d | sed 's|^\.||' | sort) >"$scratch/actual"
if diff -u "$scratch/expected" "$scratch/actual" >"$scratch/layout.diff"; then
	tap_ok "make install lays out exactly the expected $(wc -l <"$scratch/expected") files"
else
	tap_not_ok "make install lays out exactly the expected files"
	sed 's/^/#   /' "$scratch/layout.diff"
fi

# man FUNCTION must render: a link page's .so resolves from the man root.
man_links() (
	cd "$dest$prefix/share/man" || exit 1
	for f in $(functions); do
		out=$(groff -ww -man -Tutf8 "man3/$f.3" 2>&1 >/dev/null) && [ -z "$out" ] &&
			groff -man -Tutf8 "man3/$f.3" 2>/dev/null | grep -q "$f" ||
			{ echo "man3/$f.3: $out"; exit 1; }
	done
)
tap_run "every libkipc.h function's man page renders ($(functions | wc -l) functions)" man_links

so_links() {
	local lib=$dest$prefix/lib
	[ "$(readlink "$lib/libkipc.so")" = libkipc.so.0 ] &&
		[ "$(readlink "$lib/libkipc.so.0")" = "libkipc.so.$version" ] &&
		objdump -p "$lib/libkipc.so.$version" | grep -qw 'SONAME *libkipc.so.0'
}
tap_run "libkipc.so.$version has soname libkipc.so.0 and its links" so_links

# The program may only use what works without /dev/kipc: opening the device
# gives ENOENT when the module is not loaded (the host), the version when it is.
cat >"$scratch/hello.c" <<'CEOF'
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libkipc.h>

int main(void)
{
	struct kipc_version v;
	struct timespec now, dl;
	int fd;

	clock_gettime(CLOCK_MONOTONIC, &now);
	kipc_deadline(&dl, 1500);
	if (dl.tv_sec < now.tv_sec + 1) {
		fprintf(stderr, "kipc_deadline: deadline not 1.5 s ahead\n");
		return 1;
	}
	fd = kipc_open_device(0);
	if (fd < 0) {
		printf("kipc_open_device: %s\n", strerror(errno));
		return errno == ENOENT ? 0 : 1;
	}
	if (kipc_get_version(fd, &v) < 0) {
		perror("kipc_get_version");
		return 1;
	}
	printf("kipc %u.%u.%u ABI %u (header ABI %d)\n", v.major, v.minor,
	       v.patch, v.abi, KIPC_ABI_VERSION);
	close(fd);
	return 0;
}
CEOF
export PKG_CONFIG_SYSROOT_DIR=$dest PKG_CONFIG_LIBDIR=$dest$prefix/lib/pkgconfig
pc_flags() {
	local v
	v=$(pkg-config --modversion kipc) && echo "modversion $v" && [ "$v" = "$version" ] &&
		pkg-config --cflags --libs kipc &&
		grep -qx "prefix=$prefix" "$dest$prefix/lib/pkgconfig/kipc.pc" &&
		[ "$(pkg-config --variable=prefix kipc)" = "$dest$prefix" ]
}
tap_run "pkg-config finds kipc $version with prefix $prefix in DESTDIR" pc_flags
# shellcheck disable=SC2046
build_shared() {
	cc -std=gnu11 -Wall -Wextra -Werror -o "$scratch/hello" "$scratch/hello.c" \
		$(pkg-config --cflags --libs kipc) &&
		LD_LIBRARY_PATH=$dest$prefix/lib ldd "$scratch/hello" | grep "libkipc.so.0 => $dest"
}
tap_run "a program builds against the installed libkipc.so (pkg-config)" build_shared
tap_run "it runs (module absent: ENOENT; loaded: its version)" \
	env LD_LIBRARY_PATH="$dest$prefix/lib" "$scratch/hello"
# shellcheck disable=SC2046
build_static() {
	cc -std=gnu11 -Wall -Wextra -Werror -static -o "$scratch/hello-static" \
		"$scratch/hello.c" $(pkg-config --cflags --libs --static kipc) &&
		"$scratch/hello-static"
}
tap_run "it builds against libkipc.a (-static) and runs" build_static

# libkipc-mq: a POSIX mq program links it through pkg-config ahead of libc,
# and, with no /dev/kipc on the host, runs on the real queues.
cat >"$scratch/mq.c" <<'CEOF'
#include <fcntl.h>
#include <stdio.h>
#include <kipc_mq.h>

int main(void)
{
	struct mq_attr a = { .mq_maxmsg = 2, .mq_msgsize = 16 };
	char buf[16];
	mqd_t q;

	q = mq_open("/kipc-install-check", O_CREAT | O_RDWR, 0600, &a);
	if (q < 0 || mq_send(q, "hi", 2, 1) || mq_receive(q, buf, sizeof(buf), NULL) != 2) {
		perror("mq");
		return 1;
	}
	mq_close(q);
	return mq_unlink("/kipc-install-check") ? 1 : 0;
}
CEOF
# shellcheck disable=SC2046
build_mq() {
	[ "$(pkg-config --modversion kipc-mq)" = "$mq_version" ] &&
		[ "$(readlink "$dest$prefix/lib/libkipc-mq.so.0")" = "libkipc-mq.so.$mq_version" ] &&
		objdump -p "$dest$prefix/lib/libkipc-mq.so.$mq_version" | grep -qw 'SONAME *libkipc-mq.so.0' &&
		cc -std=gnu11 -Wall -Wextra -Werror -o "$scratch/mq" "$scratch/mq.c" \
			$(pkg-config --cflags --libs kipc-mq) &&
		LD_LIBRARY_PATH=$dest$prefix/lib ldd "$scratch/mq" | grep "libkipc-mq.so.0 => $dest" &&
		LD_LIBRARY_PATH=$dest$prefix/lib "$scratch/mq"
}
tap_run "libkipc-mq $mq_version: soname, links, a POSIX mq program builds (pkg-config kipc-mq) and runs" \
	build_mq
unset PKG_CONFIG_SYSROOT_DIR PKG_CONFIG_LIBDIR

tap_run "make uninstall DESTDIR=... runs" \
	make -C "$top" uninstall DESTDIR="$dest" PREFIX="$prefix" "${ksel[@]}"
left=$(cd "$dest" 2>/dev/null && find . ! -type d | sed 's|^\.||')
if [ -z "$left" ]; then
	tap_ok "make uninstall leaves no file behind"
else
	tap_not_ok "make uninstall leaves no file behind"
	echo "$left" | sed 's/^/#   /'
fi
