#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms.sh KDIR...: the DKMS life cycle of kipc in a scratch DKMS tree under
# build/ (--dkmstree, --sourcetree, --installtree, and --no-depmod), so the
# host's /var/lib/dkms, /usr/src and /lib/modules stay as they were:
#  - dkms add, build against each KDIR's headers (--kernelsourcedir, so an
#    unpacked tree that is not installed serves too), install into the
#    scratch install tree and uninstall on the first kernel, remove;
#  - make dkms-install / make dkms-remove themselves, pointed at a second
#    scratch tree with DKMS_FLAGS, including the upgrade path: a copy of the
#    tree with the version bumped replaces the installed version.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/check/tap.sh"
[ $# -gt 0 ] || { echo "usage: $0 KDIR..." >&2; exit 2; }
version=$(awk '/define KIPC_VERSION_(MAJOR|MINOR|PATCH)/ {v = v s $3; s = "."} END {print v}' \
	"$top/kmod/uapi/linux/kipc.h")

# The kernel gate: every kernel make check tests passes it, older ones do not
# (dkms 3.0.10 reads BUILD_EXCLUSIVE_KERNEL, a regular expression; newer dkms
# BUILD_EXCLUSIVE_KERNEL_MIN, which must name the oldest tested series).
gate() { # RELEASE: does dkms.conf's gate admit it?
	(kernel_source_dir=; . "$top/dkms.conf" && [[ $1 =~ $BUILD_EXCLUSIVE_KERNEL ]] &&
		[ "$(printf '%s\n' "$BUILD_EXCLUSIVE_KERNEL_MIN" "$1" | sort -V | head -1)" = \
			"$BUILD_EXCLUSIVE_KERNEL_MIN" ])
}
gate_ok() {
	local kdir rel
	for kdir in "$@"; do
		rel=$("$top/selftests/vm/kernel-release.sh" "$kdir")
		gate "$rel" || { echo "gate refuses $rel"; return 1; }
	done
	for rel in 6.0.0-1-amd64 5.10.0-30-amd64 4.19.0-27-amd64; do
		! gate "$rel" || { echo "gate admits $rel"; return 1; }
	done
}
tap_run "dkms.conf's kernel gate admits the tested kernels, refuses 6.0 and older" gate_ok "$@"

scratch=$top/build/dkms
rm -rf "$scratch"
mkdir -p "$scratch/tree" "$scratch/src" "$scratch/install"
"$top/selftests/check/dkms-stage.sh" "$scratch/src/kipc-$version"
opts=(--dkmstree "$scratch/tree" --sourcetree "$scratch/src" --installtree "$scratch/install"
	--no-depmod)

staged_version() {
	grep -x "PACKAGE_VERSION=\"$version\"" "$scratch/src/kipc-$version/dkms.conf"
}
tap_run "the staged dkms.conf says the uapi header's version, $version" staged_version
tap_run "dkms add" dkms add "${opts[@]}" -m kipc -v "$version"
first=
for kdir in "$@"; do
	release=$("$top/selftests/vm/kernel-release.sh" "$kdir")
	[ -n "$first" ] || first=$release first_kdir=$kdir
	echo "# kernel $release ($kdir)"
	tap_run "dkms build for $release" dkms build "${opts[@]}" -m kipc -v "$version" \
		-k "$release" --kernelsourcedir "$kdir"
	if ls "$scratch/tree/kipc/$version/$release/"*/module/kipc.ko* >/dev/null 2>&1; then
		tap_ok "dkms built kipc.ko for $release"
	else
		tap_not_ok "dkms built kipc.ko for $release"
	fi
done

# dkms install wants the kernel's directory in the install tree.
mkdir -p "$scratch/install/$first"
installed=$scratch/install/$first/updates/dkms/kipc.ko
tap_run "dkms install for $first (scratch install tree)" dkms install "${opts[@]}" \
	-m kipc -v "$version" -k "$first" --kernelsourcedir "$first_kdir"
if ls "$installed"* >/dev/null 2>&1 &&
	dkms status "${opts[@]}" -m kipc -v "$version" -k "$first" | grep -q ': installed'; then
	tap_ok "dkms installed updates/dkms/kipc.ko for $first"
else
	tap_not_ok "dkms installed updates/dkms/kipc.ko for $first"
fi
tap_run "dkms uninstall for $first" dkms uninstall "${opts[@]}" -m kipc -v "$version" -k "$first"
if ! ls "$installed"* >/dev/null 2>&1; then
	tap_ok "dkms uninstall removed kipc.ko"
else
	tap_not_ok "dkms uninstall removed kipc.ko"
fi
tap_run "dkms remove" dkms remove "${opts[@]}" -m kipc -v "$version" --all
if [ ! -e "$scratch/tree/kipc/$version" ]; then
	tap_ok "dkms remove leaves nothing behind"
else
	tap_not_ok "dkms remove leaves nothing behind"
fi

# The Makefile's targets, and the upgrade path, against a second scratch tree.
mk=$scratch/make
mkdir -p "$mk/tree" "$mk/src" "$mk/install/$first"
mk_opts=(DKMS_SOURCETREE="$mk/src" KVER="$first"
	DKMS_FLAGS="--dkmstree $mk/tree --installtree $mk/install --no-depmod --kernelsourcedir $first_kdir")
mk_status() { dkms status --dkmstree "$mk/tree" --sourcetree "$mk/src" -m kipc; }
mk_has() { # VERSION: installed for $first, module file in place, sources staged
	mk_status | grep -q "^kipc/$1, $first, .*: installed" &&
		ls "$mk/install/$first/updates/dkms/kipc.ko"* >/dev/null 2>&1 && [ -d "$mk/src/kipc-$1" ]
}
tap_run "make dkms-install (scratch tree)" make -C "$top" dkms-install "${mk_opts[@]}"
tap_run "make dkms-install installed kipc $version for $first" mk_has "$version"
tap_run "make dkms-install again (same version) reinstalls" \
	make -C "$top" dkms-install "${mk_opts[@]}"
tap_run "kipc $version still installed" mk_has "$version"

# Upgrade: a copy of what DKMS and the Makefile need, version bumped in the
# uapi header (its one source), replaces the installed version.
up=$scratch/upgrade
major=${version%%.*} rest=${version#*.} minor=${version#*.}
minor=${minor%%.*} patch=${rest#*.}
next=$major.$minor.$((patch + 1))
mkdir -p "$up/selftests/check" "$up/selftests/vm"
cp -a "$top/Makefile" "$top/dkms.conf" "$up/"
(cd "$top" && find kmod ! -name '*.mod.c' \( -name '*.[ch]' -o -name Kbuild -o -name Makefile \) \
	-print0 | cpio -0 -pdm --quiet "$up")
cp -a "$top/selftests/check/dkms-stage.sh" "$up/selftests/check/"
cp -a "$top/selftests/vm/kernels.sh" "$top/selftests/vm/kernel-release.sh" "$up/selftests/vm/"
sed -i "s/^#define KIPC_VERSION_PATCH.*/#define KIPC_VERSION_PATCH\t$((patch + 1))/" \
	"$up/kmod/uapi/linux/kipc.h"
echo "# upgrade $version -> $next"
tap_run "make dkms-install after a version bump (upgrade to $next)" \
	make -C "$up" dkms-install "${mk_opts[@]}"
upgraded() {
	mk_has "$next" && ! mk_status | grep -q "^kipc/$version" && [ ! -e "$mk/src/kipc-$version" ] &&
		modinfo -F version "$mk/install/$first/updates/dkms/kipc.ko"* | grep -qx "$next"
}
tap_run "only kipc $next is left, and its module says so" upgraded

tap_run "make dkms-remove" make -C "$top" dkms-remove "${mk_opts[@]}"
left() {
	local files
	files=$(find "$mk/install" "$mk/src" ! -type d; mk_status)
	[ -z "$files" ] || { echo "$files"; return 1; }
}
tap_run "make dkms-remove leaves nothing behind" left
