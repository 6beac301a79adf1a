#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh SERIES... | check.sh --kdir KDIR: the body of make check, on every
# kernel the arguments select (selftests/vm/kernels.sh; make passes KVERS or
# KDIR). checkpatch and the userspace build run once; the module's W=1 and
# sparse build, the DKMS build and the VM selftests run on each kernel, with
# the module built for it (build/RELEASE/kmod/kipc.ko, by make); the VM
# runner's self-test and the Debian packages' check (deb.sh) run on the
# first kernel. Ends with summary.sh's
# "N passed, N failed" over every step, failing if any kernel failed.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
check=$top/build/check

kernels=$("$top/selftests/vm/kernels.sh" "$@") || exit 1
rm -rf "$check"
mkdir -p "$check/logs"
export KIPC_LOGS=$check/logs

releases=() kdirs=() images=()
while read -r rel kdir image; do
	releases+=("$rel") kdirs+=("$kdir") images+=("$image")
	echo "== kernel $rel: KDIR $kdir, image $image"
done <<<"$kernels"

taps=()
step() {
	local tap=$check/$1.tap
	shift
	taps+=("$tap")
	"$@" | tee "$tap"
}

echo "== static checks (${releases[*]})"
step static "$top/selftests/check/static.sh" "${kdirs[@]}"
echo "== netlink spec against the uapi header; man pages"
step ynl-spec "$top/selftests/check/ynl-spec.sh"
step man "$top/selftests/check/man.sh"
echo "== libkipc: exports, ABI against its baseline (abidiff), unit tests, packager flags"
step libabi "$top/selftests/check/libabi.sh"
echo "== make install / uninstall in a scratch DESTDIR (${releases[0]}); docs; README"
step install "$top/selftests/check/install.sh" "${kdirs[0]}"
step docs "$top/selftests/check/docs.sh"
step uapi-table "$top/selftests/check/uapi-table.sh"
step readme "$top/selftests/check/readme.sh"
echo "== dkms (${releases[*]})"
step dkms "$top/selftests/check/dkms.sh" "${kdirs[@]}"
echo "== Debian packages: make deb, lintian, install, DKMS, pkg-config, VM, purge"
step deb "$top/selftests/check/deb.sh" "${kdirs[0]}"
for i in "${!releases[@]}"; do
	rel=${releases[$i]}
	echo "== VM selftests on $rel"
	step "vm-$rel" "$top/selftests/check/vm.sh" "${kdirs[$i]}" \
		"$top/build/$rel/kmod/kipc.ko" "${images[$i]}"
done
echo "== VM runner self-test on ${releases[0]}"
step runner "$top/selftests/check/runner-selftest.sh" "${kdirs[0]}"
echo "== kipc-bench checks (host)"
step bench "$top/selftests/check/bench.sh"
echo "== summary"
"$top/selftests/check/summary.sh" "${taps[@]}"
