#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deb.sh [KDIR]: the Debian packages end to end. make deb builds them
# (dpkg-buildpackage -us -uc -b) and lintian must find no error or warning;
# then, as root on a host where kipc is not installed yet (CI's fresh
# machine), the five packages are installed for real: DKMS must have built
# kipc.ko for every installed kernel whose headers are there (the host's
# 6.1 at least), kipcctl must be on PATH with its man page and completion,
# and a program must build against libkipc-dev through pkg-config and run.
# With KDIR (make check's first kernel), the test VM boots that kernel with
# the module DKMS built in /lib/modules but not loaded: kipcctl run as
# nobody must load it (the genetlink alias), and the pkg-config program must
# then talk to /dev/kipc. Purging the packages must leave no file of theirs
# in /usr, /etc, /lib/modules or /var/lib/dkms. TAP lines.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/check/tap.sh"

debs=$top/build/deb
scratch=$top/build/deb-check
pkgs=(kipc-dkms libkipc0 libkipc-mq0 libkipc-dev kipc-tools)
version=$(awk '/define KIPC_VERSION_(MAJOR|MINOR|PATCH)/ {v = v s $3; s = "."} END {print v}' \
	"$top/kmod/uapi/linux/kipc.h")
rm -rf "$scratch"
mkdir -p "$scratch"

versions_agree() {
	local deb
	deb=$(cd "$top" && dpkg-parsechangelog -S Version)
	echo "uapi $version, debian/changelog $deb"
	[ "$deb" = "$version" ]
}
tap_run "debian/changelog and the uapi header say the same version" versions_agree

tap_run "make deb (dpkg-buildpackage -us -uc -b)" make -C "$top" deb
built() {
	local p f
	for p in "${pkgs[@]}"; do
		f=$(ls "$debs/${p}_${version}_"*.deb 2>/dev/null) && [ -n "$f" ] ||
			{ echo "no $p package"; return 1; }
	done
	dpkg-deb --fsys-tarfile "$debs/kipc-dkms_${version}_all.deb" |
		tar -xO "./usr/src/kipc-$version/dkms.conf" | grep -qx "PACKAGE_VERSION=\"$version\"" ||
		{ echo "kipc-dkms's dkms.conf does not say version $version"; return 1; }
	[ -z "$(cd "$top" && git ls-files --others debian)" ] ||
		{ echo "debian/ not clean after make deb"; return 1; }
}
if built >"$KIPC_LOGS/deb-built.log" 2>&1; then
	tap_ok "make deb builds the five packages (dkms.conf at the version) and leaves debian/ clean"
else
	tap_not_ok "make deb builds the five packages (dkms.conf at the version) and leaves debian/ clean"
	sed 's/^/#   /' "$KIPC_LOGS/deb-built.log"
	exit 0
fi

# --fail-on: errors and warnings fail; pedantic and informational tags are
# printed (the log) but do not.
tap_run "lintian: no error or warning" lintian --pedantic -I --fail-on error,warning \
	"$debs/kipc_${version}_$(dpkg --print-architecture).changes"

if [ "$(id -u)" != 0 ]; then
	tap_skip "install, use and purge the packages" "not root"
	exit 0
fi
if dpkg-query -W "${pkgs[@]}" >/dev/null 2>&1 || [ -e /var/lib/dkms/kipc ] ||
	ls -d /usr/src/kipc-* >/dev/null 2>&1; then
	tap_skip "install, use and purge the packages" \
		"kipc is installed on this host already (packages or make dkms-install)"
	exit 0
fi

# Every path under the trees the packages touch; the same list after the
# purge proves nothing was left behind (files the host rewrites, such as
# modules.dep or ld.so.cache, keep their names).
snapshot() {
	find /usr /etc /lib/modules /var/lib/dkms -xdev 2>/dev/null | grep -v '/__pycache__' | sort
}
snapshot >"$scratch/before"

files=()
for p in "${pkgs[@]}"; do
	files+=("$(ls "$debs/${p}_${version}_"*.deb)")
done
tap_run "dpkg -i the five packages" env DEBIAN_FRONTEND=noninteractive dpkg -i "${files[@]}"

# The kernels DKMS can build for: a directory in /lib/modules with headers.
kernels=$(for d in /lib/modules/*/build; do [ -d "$d" ] && basename "$(dirname "$d")"; done)
dkms_built() {
	local rel ko n=0
	for rel in $kernels; do
		ko=$(ls /lib/modules/"$rel"/updates/dkms/kipc.ko* 2>/dev/null | head -1)
		dkms status -m kipc -v "$version" -k "$rel" | grep -q ': installed' &&
			[ -n "$ko" ] && modinfo -F version "$ko" | grep -qx "$version" &&
			modinfo -F vermagic "$ko" | grep -q "^$rel " &&
			modinfo -F alias "$ko" | grep -qx 'net-pf-16-proto-16-family-kipc' &&
			modprobe -S "$rel" --show-depends kipc | grep -q "updates/dkms/kipc.ko" ||
			{ echo "kernel $rel: no DKMS kipc.ko"; dkms status; return 1; }
		echo "kernel $rel: $ko"
		n=$((n + 1))
	done
	[ "$n" -gt 0 ]
}
tap_run "DKMS built and installed kipc.ko $version for the installed headers ($(echo $kernels))" \
	dkms_built

tools() {
	[ "$(command -v kipcctl)" = /usr/bin/kipcctl ] &&
		kipcctl --version | grep -q "^kipcctl $version " &&
		[ -f /usr/share/man/man1/kipcctl.1.gz ] && [ -e /usr/share/man/man3/kipc_ring_peek.3.gz ] &&
		{ ! command -v man >/dev/null || man -w kipcctl | grep -q '/man1/kipcctl.1'; } &&
		bash -c '. /usr/share/bash-completion/bash_completion &&
			_completion_loader kipcctl; complete -p kipcctl' | grep -q _kipcctl
}
tap_run "kipcctl is on PATH with its man page (man1) and bash completion" tools

cp "$top/selftests/check/deb-hello.c" "$scratch/hello.c"
# shellcheck disable=SC2046
build_hello() {
	pkg-config --cflags --libs kipc &&
		cc -std=gnu11 -Wall -Wextra -Werror -o "$scratch/hello" "$scratch/hello.c" \
			$(pkg-config --cflags --libs kipc) &&
		ldd "$scratch/hello" | grep -Eq "libkipc.so.0 => (/usr)?/lib/[^ ]*/libkipc.so.0 " &&
		"$scratch/hello"
}
tap_run "a program builds with pkg-config --cflags --libs kipc and runs (host)" build_hello

if [ $# -gt 0 ]; then
	kdir=$1
	rel=$("$top/selftests/vm/kernel-release.sh" "$kdir")
	ko=$(ls /lib/modules/"$rel"/updates/dkms/kipc.ko* 2>/dev/null | head -1)
	[ -d "/lib/modules/$rel/build" ] || set --
fi
if [ $# -gt 0 ]; then
	cat >"$scratch/guest.sh" <<GEOF
echo /bin/modprobe >/proc/sys/kernel/modprobe
mkdir -p /lib/modules/$rel/updates/dkms
cp /kipc/deb/$(basename "$ko") /lib/modules/$rel/updates/dkms/
depmod $rel
echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>/etc/passwd
echo 'nogroup:x:65534:' >>/etc/group
grep -q '^kipc ' /proc/modules && { echo "kipc loaded before first use"; exit 1; }
su -s /bin/sh nobody -c '/kipc/deb/kipcctl list' || exit 1
grep -q '^kipc ' /proc/modules || { echo "kipcctl did not load kipc"; exit 1; }
su -s /bin/sh nobody -c /kipc/deb/hello
GEOF
	vm_autoload() {
		[ -n "$ko" ] || { echo "no DKMS kipc.ko for $rel"; return 1; }
		"$top/selftests/vm/run-vm.sh" --kdir "$kdir" --no-load --timeout 300 \
			--add "$ko:/kipc/deb/$(basename "$ko")" --add /usr/bin/kipcctl:/kipc/deb/kipcctl \
			--add "$scratch/hello:/kipc/deb/hello" --add "$scratch/guest.sh:/kipc/deb/guest.sh" \
			--out "$scratch/vm" -- sh /kipc/deb/guest.sh &&
			cat "$scratch/vm/results.txt" &&
			grep -q "^kipc $version ABI" "$scratch/vm/results.txt"
	}
	tap_run "VM ($rel): DKMS's kipc.ko loads on kipcctl's first use as nobody; the program talks to it" \
		vm_autoload
fi

if [ $# -eq 0 ]; then
	tap_skip "VM: DKMS's kipc.ko loads on first use" "no KDIR, or not an installed kernel"
fi
tap_run "dpkg --purge the five packages" env DEBIAN_FRONTEND=noninteractive \
	dpkg --purge kipc-tools libkipc-dev libkipc-mq0 libkipc0 kipc-dkms
purged() {
	snapshot >"$scratch/after"
	diff "$scratch/before" "$scratch/after" && ! dkms status -m kipc | grep -q . &&
		! dpkg-query -W "${pkgs[@]}" 2>/dev/null | grep -q .
}
tap_run "the purge leaves nothing behind (/usr, /etc, /lib/modules, /var/lib/dkms, dkms status)" \
	purged
