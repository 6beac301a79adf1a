#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (or reuse) the debug kernel of the kipc debug lane.
#
# Unpacks Debian's linux-source-6.1 tarball into a cache outside the work
# tree, runs `make tinyconfig`, applies debug-kernel.config with
# scripts/config, `make olddefconfig`, checks that every option of the
# fragment survived (tinyconfig's dependencies drop options silently), and
# builds `bzImage modules modules_prepare`. The tree is the KDIR to build kipc.ko
# against; the image is arch/x86/boot/bzImage in it.
#
# The cache directory is keyed by the source version and the fragment, so a
# second run with the same key only checks the stamp (seconds).
#
# Prints the tree's path as the last line of stdout; progress goes to stderr.
set -u
set -o pipefail

here=$(cd "$(dirname "$0")" && pwd)

usage() {
	cat <<USAGE
usage: $0 [--src TARBALL] [--config FRAGMENT] [--cache DIR] [--jobs N] [--print-key]
  --src TARBALL     kernel source (default: /usr/src/linux-source-6.1.tar.xz)
  --config FILE     config fragment (default: $here/debug-kernel.config)
  --cache DIR       cache root (default: \${KIPC_CACHE:-\$HOME/.cache/kipc})
  --jobs N          make -j (default: number of CPUs)
  --print-key       print the cache directory for these inputs and exit
Prints the kernel tree (the KDIR) on stdout when done.
USAGE
}

src=${KSRC_TAR:-/usr/src/linux-source-6.1.tar.xz}
fragment=$here/debug-kernel.config
cache=${KIPC_CACHE:-${HOME:-/root}/.cache/kipc}
jobs=$(nproc 2>/dev/null || echo 2)
print_key=0

while [ $# -gt 0 ]; do
	case "$1" in
	--src) src=$2; shift 2 ;;
	--config) fragment=$2; shift 2 ;;
	--cache) cache=$2; shift 2 ;;
	--jobs) jobs=$2; shift 2 ;;
	--print-key) print_key=1; shift ;;
	-h|--help) usage; exit 0 ;;
	*) echo "build-debug-kernel: unknown argument $1" >&2; usage >&2; exit 2 ;;
	esac
done

log() { echo "build-debug-kernel: $*" >&2; }
die() { echo "build-debug-kernel: ERROR: $*" >&2; exit 1; }

[ -r "$src" ] || die "kernel source $src not readable (make deps installs linux-source-6.1)"
[ -r "$fragment" ] || die "config fragment $fragment not readable"

# The source version: the Debian package's version when the tarball is the
# packaged one, else the tarball's content hash.
srcver=
if [ "$src" = /usr/src/linux-source-6.1.tar.xz ] && command -v dpkg-query >/dev/null; then
	srcver=$(dpkg-query -W -f='${Package} ${Version}' linux-source-6.1 2>/dev/null)
fi
[ -n "$srcver" ] || srcver="sha256 $(sha256sum "$src" | cut -d' ' -f1)"
# Bump the recipe version when this script changes how the tree is built.
recipe="kipc-debug-kernel recipe 1"
key=$({ echo "$srcver"; echo "$recipe"; grep -v '^[[:space:]]*$' "$fragment"; } |
	sha256sum | cut -c1-16)
dir=$cache/debug-kernel/$key
tree=$dir/linux

if [ $print_key = 1 ]; then
	echo "$dir"
	exit 0
fi

if [ -f "$dir/done" ] && [ -f "$tree/arch/x86/boot/bzImage" ]; then
	log "cached: $tree (key $key: $srcver)"
	echo "$tree"
	exit 0
fi

for tool in make gcc flex bison bc tar xz; do
	command -v $tool >/dev/null || die "$tool missing (make deps installs the debug-kernel build tools)"
done
[ -e /usr/include/libelf.h ] || die "libelf headers missing (libelf-dev; make deps)"
[ -e /usr/include/openssl/ssl.h ] || die "openssl headers missing (libssl-dev; make deps)"

mkdir -p "$dir" || die "cannot create $dir"
# One builder per key: a second caller waits for the first.
exec 9>"$dir/lock"
if ! flock -n 9; then
	log "another build of $key is running; waiting for it"
	flock 9 || die "cannot lock $dir/lock"
	if [ -f "$dir/done" ]; then
		echo "$tree"
		exit 0
	fi
fi

start=$(date +%s)
buildlog=$dir/build.log
: > "$buildlog"
log "building in $tree (key $key: $srcver); log: $buildlog"

if [ ! -f "$dir/unpacked" ]; then
	rm -rf "$tree" && mkdir -p "$tree" || die "cannot create $tree"
	log "unpacking $src"
	tar -xJf "$src" -C "$tree" --strip-components=1 || die "cannot unpack $src"
	touch "$dir/unpacked"
fi

kmake() {
	make -C "$tree" "$@" >>"$buildlog" 2>&1
}

# The fragment as scripts/config arguments; the expected values for the check.
cfgargs=()
expect=()
while IFS= read -r line; do
	case "$line" in
	"# CONFIG_"*" is not set")
		opt=${line#\# CONFIG_}; opt=${opt%% *}
		cfgargs+=(--disable "$opt"); expect+=("$opt=n") ;;
	CONFIG_*=y)
		opt=${line#CONFIG_}; opt=${opt%%=*}
		cfgargs+=(--enable "$opt"); expect+=("$opt=y") ;;
	CONFIG_*=n)
		opt=${line#CONFIG_}; opt=${opt%%=*}
		cfgargs+=(--disable "$opt"); expect+=("$opt=n") ;;
	CONFIG_*=*)
		opt=${line#CONFIG_}; opt=${opt%%=*}; val=${line#*=}
		cfgargs+=(--set-val "$opt" "$val"); expect+=("$opt=$val") ;;
	""|"#"*) ;;
	*) die "$fragment: cannot parse line: $line" ;;
	esac
done < "$fragment"
[ ${#expect[@]} -gt 0 ] || die "$fragment names no options"

log "make tinyconfig"
kmake tinyconfig || die "make tinyconfig failed (see $buildlog)"
# An option whose dependency is itself in the fragment only becomes
# settable once olddefconfig has turned the dependency on: apply the
# fragment until .config stops changing.
prev=
for pass in 1 2 3 4 5; do
	"$tree/scripts/config" --file "$tree/.config" "${cfgargs[@]}" ||
		die "scripts/config failed"
	kmake olddefconfig || die "make olddefconfig failed (see $buildlog)"
	cur=$(sha256sum < "$tree/.config")
	[ "$cur" = "$prev" ] && break
	prev=$cur
	log "config pass $pass"
done

missing=()
for e in "${expect[@]}"; do
	opt=${e%%=*}; want=${e#*=}
	got=$("$tree/scripts/config" --file "$tree/.config" --state "$opt")
	case "$want" in
	n) [ "$got" = n ] || [ "$got" = undef ] || missing+=("CONFIG_$opt: want n, got $got") ;;
	*) [ "$got" = "$want" ] || missing+=("CONFIG_$opt: want $want, got $got") ;;
	esac
done
if [ ${#missing[@]} -gt 0 ]; then
	for m in "${missing[@]}"; do
		echo "build-debug-kernel: option lost: $m" >&2
	done
	die "${#missing[@]} option(s) of $fragment did not survive olddefconfig (a dependency is missing from the fragment)"
fi
log "all ${#expect[@]} options of the fragment are set"

# `modules` writes Module.symvers (vmlinux's exports), which external
# module builds read; tinyconfig leaves next to nothing =m, so it is quick.
log "make -j$jobs bzImage modules modules_prepare (about 10 minutes on 2 cores)"
kmake -j"$jobs" bzImage modules modules_prepare ||
	{ tail -n 30 "$buildlog" >&2; die "kernel build failed (see $buildlog)"; }
[ -f "$tree/arch/x86/boot/bzImage" ] || die "no bzImage after the build"
[ -f "$tree/Module.symvers" ] || die "no Module.symvers after the build"
touch "$dir/done"
log "done in $(( $(date +%s) - start ))s: $tree"
echo "$tree"
