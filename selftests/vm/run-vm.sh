#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot a kernel under QEMU TCG with kipc.ko and run one command in it.
#
# The console goes to OUT/console.log, the command's output to
# OUT/results.txt (its own serial port) and files the command leaves in the
# guest's /results to OUT/files/. The run fails, naming the cause, when the
# console shows a kernel report (console-patterns.txt), the kernel taint gains
# W, D, L or B, the command exits non-zero, no result arrives, or the wall
# clock limit passes.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)

usage() {
	cat <<USAGE
usage: $0 [options] [--] [command...]
  --kernel FILE     kernel image (default: /boot/vmlinuz-RELEASE of KDIR, else the
                    image unpacked beside KDIR by fetch-kernel.sh; see kernels.sh)
  --kdir DIR        kernel build dir the module was built for (default: \$KDIR)
  --module FILE     kipc.ko to load (default: build/RELEASE/kmod/kipc.ko, the
                    build for KDIR's release, else kmod/kipc.ko)
  --no-load         do not insmod/rmmod kipc.ko around the command
  --add SRC[:DEST]  copy SRC (file or dir) into the guest (default DEST /kipc/NAME);
                    the shared libraries of ELF files come along
  --smp N           vCPUs (default 1)
  --mem SIZE        guest memory (default 1G)
  --icount          deterministic clock: -icount shift=0,sleep=off (needs --smp 1)
  --append ARGS     extra kernel command line
  --timeout SECS    wall-clock limit (default 600)
  --patterns FILE   more console patterns (extended regexes, one a line) that fail
                    the run, on top of console-patterns.txt; may be repeated
  --out DIR         results directory (default build/vm)
  --shell           interactive shell on this terminal instead of a command
The command runs under /bin/sh in the guest with kipc loaded (default: run
the selftests copied to /kipc/tests).
USAGE
}

KDIR=${KDIR:-}
kernel=
module=
load=1
smp=1
mem=1G
icount=0
append=
timeout=600
out="$top/build/vm"
shell=0
adds=()
patterns=("$here/console-patterns.txt")

while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) kernel=$2; shift 2 ;;
	--kdir) KDIR=$2; shift 2 ;;
	--module) module=$2; shift 2 ;;
	--no-load) load=0; shift ;;
	--add) adds+=("$2"); shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--icount) icount=1; shift ;;
	--append) append=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--patterns) patterns+=("$2"); shift 2 ;;
	--out) out=$2; shift 2 ;;
	--shell) shell=1; shift ;;
	-h|--help) usage; exit 0 ;;
	--) shift; break ;;
	-*) echo "run-vm: unknown option $1" >&2; usage >&2; exit 2 ;;
	*) break ;;
	esac
done
cmd=${*:-/kipc/guest-tests.sh /kipc/tests}

fail() {
	echo "run-vm: FAIL: $*" >&2
	exit 1
}

if [ -z "$kernel" ]; then
	[ -n "$KDIR" ] || fail "no --kernel and no KDIR to derive it from"
	read -r _ _ kernel < <("$here/kernels.sh" --kdir "$KDIR") ||
		fail "no kernel image for KDIR=$KDIR (pass --kernel)"
fi
if [ -z "$module" ]; then
	module=$top/kmod/kipc.ko
	release=$([ -n "$KDIR" ] && "$here/kernel-release.sh" "$KDIR" 2>/dev/null)
	[ -n "$release" ] && [ -r "$top/build/$release/kmod/kipc.ko" ] &&
		module=$top/build/$release/kmod/kipc.ko
fi
[ -r "$kernel" ] || fail "kernel image $kernel not readable (make deps installs it)"
if [ $load = 1 ]; then
	[ -r "$module" ] || fail "module $module missing (run make)"
fi
[ $icount = 1 ] && [ "$smp" != 1 ] && fail "--icount needs --smp 1 (icount is a one-vCPU mode)"
for p in "${patterns[@]}"; do
	[ -r "$p" ] || fail "pattern file $p not readable"
done

mkdir -p "$out"
out=$(cd "$out" && pwd)
root="$out/initramfs"
rm -rf "$root" "$out/files" "$out/console.log" "$out/results.txt" "$out/files.b64"
mkdir -p "$root"/{bin,sbin,etc,proc,sys,dev,tmp,kipc,lib/modules,lib64}

# Shared libraries of an ELF file, with their directory layout.
copy_libs() {
	local lib
	for lib in $(ldd "$1" 2>/dev/null | grep -o '/[^ ]*'); do
		[ -e "$root$lib" ] && continue
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}

add_item() {
	local src=${1%%:*} dest f
	if [[ "$1" == *:* ]]; then dest=${1#*:}; else dest=/kipc/$(basename "$src"); fi
	[ -e "$src" ] || fail "--add $src: no such file"
	mkdir -p "$root$(dirname "$dest")"
	cp -aL "$src" "$root$dest"
	while IFS= read -r -d '' f; do
		copy_libs "$f"
	done < <(find "$root$dest" -type f -perm -u+x -print0)
}

bb=$(command -v busybox) || fail "busybox not found (make deps installs busybox-static)"
cp "$bb" "$root/bin/busybox"
# `busybox --list` names busybox itself: linking it would make a loop.
for applet in $("$bb" --list); do
	[ "$applet" = busybox ] && continue
	ln -sf busybox "$root/bin/$applet"
done
cp "$here/init.sh" "$root/init"
cp "$here/guest-tests.sh" "$root/kipc/guest-tests.sh"
[ $load = 1 ] && cp "$module" "$root/lib/modules/kipc.ko"
echo "root:x:0:0:root:/root:/bin/sh" > "$root/etc/passwd"
echo "nobody:x:65534:65534:nobody:/nonexistent:/bin/false" >> "$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
for item in ${adds[@]+"${adds[@]}"}; do
	add_item "$item"
done
{
	printf 'KIPC_VM_CMD=%q\n' "$cmd"
	echo "KIPC_VM_LOAD=$load"
	echo "KIPC_VM_INTERACTIVE=$shell"
} > "$root/etc/kipc-vm.conf"
(cd "$root" && find . | cpio -o -H newc --quiet) > "$out/initramfs.cpio" ||
	fail "cannot build the initramfs"

# Watchdogs sized for TCG (RELIABILITY.md §1.1), so slowness is not a lockup.
cmdline="console=ttyS0 loglevel=7 panic=-1 oops=panic watchdog_thresh=165"
cmdline+=" workqueue.watchdog_thresh=420 rcupdate.rcu_cpu_stall_timeout=300"
# Plain TCG's TSC follows the host's clock and drifts: keep the kernel off
# it. Under icount the TSC counts guest instructions like every other
# clock, so it is exact, and it lets clock_gettime() stay in the vDSO
# (~30 ns) instead of reading the HPET through a system call (~520 ns), a
# cost kipc-bench would otherwise add to every timed round trip.
if [ $icount = 1 ]; then
	cmdline+=" tsc=reliable $append"
else
	cmdline+=" tsc=unstable $append"
fi
qemu=(qemu-system-x86_64 -machine q35 -accel tcg -cpu max -smp "$smp" -m "$mem"
	-kernel "$kernel" -initrd "$out/initramfs.cpio" -append "$cmdline"
	-nographic -no-reboot -nodefaults -display none)
[ $icount = 1 ] && qemu+=(-icount shift=0,sleep=off)

if [ $shell = 1 ]; then
	exec "${qemu[@]}" -serial mon:stdio -serial null -serial null
fi

qemu+=(-monitor none -serial "file:$out/console.log" -serial "file:$out/results.txt"
	-serial "file:$out/files.b64")
start=$(date +%s)
timeout -k 10 "$timeout" "${qemu[@]}" </dev/null >"$out/qemu.log" 2>&1
qrc=$?
echo "run-vm: $(basename "$kernel"): $(( $(date +%s) - start ))s wall, qemu exit $qrc" >&2

if [ -s "$out/files.b64" ]; then
	mkdir -p "$out/files"
	base64 -di < "$out/files.b64" | tar -x -C "$out/files" ||
		echo "run-vm: warning: result files could not be unpacked" >&2
fi

causes=()
[ $qrc = 124 ] || [ $qrc = 137 ] && causes+=("wall-clock limit of ${timeout}s reached")
reports=$(grep -a -E -f <(cat "${patterns[@]}" | grep -v -e '^#' -e '^$') "$out/console.log" | head -5)
[ -n "$reports" ] && causes+=("kernel report on the console:
$reports")
done_line=$(grep -a '^KIPC-VM-DONE ' "$out/results.txt" | tail -1)
if [ -z "$done_line" ]; then
	causes+=("no result from the guest (it crashed, hung or powered off early)")
else
	rc=$(sed -n 's/.* rc=\([0-9]*\).*/\1/p' <<<"$done_line")
	t0=$(sed -n 's/.* taint_before=\([0-9]*\).*/\1/p' <<<"$done_line")
	t1=$(sed -n 's/.* taint=\([0-9]*\).*/\1/p' <<<"$done_line")
	[ "$rc" = 0 ] || causes+=("the command in the guest exited $rc")
	# W=512 D=128 L=16384 B=32; O and E are expected for an unsigned out-of-tree module.
	gained=$(( (t1 & ~t0) & 17056 ))
	[ $gained = 0 ] || causes+=("kernel taint gained $gained (W|D|L|B mask; $t0 -> $t1)")
fi
grep -a '^KIPC-VM-ERROR' "$out/results.txt" | while read -r _ msg; do
	echo "run-vm: guest: $msg" >&2
done

if [ ${#causes[@]} -gt 0 ]; then
	for c in "${causes[@]}"; do
		echo "run-vm: FAIL: $c" >&2
	done
	echo "run-vm: console: $out/console.log (last lines follow)" >&2
	tail -n 25 "$out/console.log" | sed 's/^/  | /' >&2
	exit 1
fi
exit 0
