#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fetch-kernel.sh SERIES: fetch a Debian kernel that the host does not run
# (e.g. 6.12 from bookworm-backports) so kipc can be built and tested on it,
# and print its release (e.g. 6.12.95+deb12-amd64).
#
# The headers, common headers, kbuild and unsigned image packages are
# downloaded with a private apt configuration (own sources list, lists and
# cache: the system's apt sources and state are never touched and nothing is
# installed) from the backports suite of the Debian mirror the system's own
# sources name. They are unpacked with dpkg -x into
#   ${KIPC_CACHE:-$HOME/.cache/kipc}/kernels/PACKAGE-VERSION/root
# with KERNELS/SERIES a symlink to the newest one. A version already unpacked
# is reused; when the mirror cannot be reached a cached one is used.
# The headers' absolute paths are rewritten so a module builds against
# root/usr/src/linux-headers-RELEASE in place (see kernel-dir.sh).
#
# Environment: KIPC_CACHE (cache root), KIPC_DEBIAN_MIRROR (mirror URI;
# default: the one serving the system's release suite in its apt sources).
set -u

series=${1:-}
[[ "$series" =~ ^[0-9]+\.[0-9]+$ ]] || {
	echo "usage: $0 SERIES (e.g. 6.12)" >&2
	exit 2
}
here=$(cd "$(dirname "$0")" && pwd)
: "${HOME:=$(getent passwd "$(id -u)" | cut -d: -f6)}"
kernels=${KIPC_CACHE:-$HOME/.cache/kipc}/kernels
apt_dir=$kernels/apt
flavour=amd64

say() { echo "fetch-kernel: $*" >&2; }
die() {
	say "ERROR: $*"
	exit 1
}

# The release a finished cache entry holds, if SERIES has one.
cached_release() {
	[ -f "$kernels/$series/.complete" ] && cat "$kernels/$series/release"
}

use_cached() {
	local rel
	rel=$(cached_release) || return 1
	say "using the cached $rel ($(readlink "$kernels/$series")): $1"
	echo "$rel"
	exit 0
}

# A series the host has installed (6.1 on Debian 12) needs nothing fetched.
if line=$("$here/kernels.sh" --host "$series" 2>/dev/null); then
	say "Linux ${line%% *} is installed on the host: nothing to fetch"
	echo "${line%% *}"
	exit 0
fi

mkdir -p "$kernels" || die "cannot create $kernels"
# One fetch at a time per cache (several work trees may share it).
exec 9>"$kernels/.lock"
flock 9 || die "cannot lock $kernels/.lock"

[ "$(dpkg --print-architecture 2>/dev/null)" = "$flavour" ] ||
	die "only $flavour hosts are supported (dpkg says '$(dpkg --print-architecture 2>/dev/null)')"
for tool in apt-get apt-cache apt-config dpkg; do
	command -v $tool >/dev/null || die "$tool not found: a Debian host is needed"
done
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
[ -n "$codename" ] || die "no VERSION_CODENAME in /etc/os-release"
suite=$codename-backports

# The mirror (and its keyring) serving "$codename" in the system's sources:
# one-line .list files and deb822 .sources files, read, never written.
find_mirror() {
	local SL="" SP=""
	eval "$(apt-config shell SL Dir::Etc::sourcelist/f SP Dir::Etc::sourceparts/d)"
	{
		[ -r "$SL" ] && awk -v suite="$codename" '
			/^[ \t]*deb[ \t]/ {
				sub(/^[ \t]*deb[ \t]+/, ""); key = ""
				if ($0 ~ /^\[/) {
					opts = substr($0, 2, index($0, "]") - 2)
					$0 = substr($0, index($0, "]") + 1)
					if (match(opts, /signed-by=[^ \t]+/))
						key = substr(opts, RSTART + 10, RLENGTH - 10)
				}
				if ($2 == suite) print $1, key
			}' "$SL" "${SP}"*.list 2>/dev/null
		awk -v suite="$codename" '
			function flush() {
				if (types ~ /(^| )deb( |$)/ && (" " suites " ") ~ (" " suite " ") &&
				    tolower(enabled) != "no") {
					split(uris, u, " ")
					print u[1], key
				}
				types = uris = suites = key = enabled = ""; field = ""
			}
			/^#/ { next }
			/^[ \t]*$/ { flush(); next }
			/^[ \t]/ { if (field == "URIs") uris = uris " " $1; next }
			{
				field = $1; sub(/:$/, "", field); v = $0; sub(/^[^:]*:[ \t]*/, "", v)
				if (field == "Types") types = v
				else if (field == "URIs") uris = v
				else if (field == "Suites") suites = v
				else if (field == "Signed-By") key = v
				else if (field == "Enabled") enabled = v
			}
			END { flush() }' "${SP}"*.sources 2>/dev/null
	} | head -1
}

if [ -n "${KIPC_DEBIAN_MIRROR:-}" ]; then
	mirror=$KIPC_DEBIAN_MIRROR keyring=""
else
	read -r mirror keyring < <(find_mirror)
	[ -n "${mirror:-}" ] ||
		die "no Debian mirror for '$codename' in the system's apt sources (set KIPC_DEBIAN_MIRROR)"
fi
[ -n "${keyring:-}" ] && [ ! -r "$keyring" ] && keyring=""
[ -z "${keyring:-}" ] && [ -r /usr/share/keyrings/debian-archive-keyring.gpg ] &&
	keyring=/usr/share/keyrings/debian-archive-keyring.gpg

# The private apt configuration: every path apt would write lives in $apt_dir.
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" ||
	die "cannot create $apt_dir"
echo "deb ${keyring:+[signed-by=$keyring] }$mirror $suite main" > "$apt_dir/sources.list"
apt_opts=(-o "Dir::Etc::sourcelist=$apt_dir/sources.list"
	-o Dir::Etc::sourceparts=/nonexistent
	-o "Dir::State::Lists=$apt_dir/lists"
	-o "Dir::Cache=$apt_dir/cache"
	-o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=)
# Files written as root into the cache need no _apt sandbox user.
[ "$(id -u)" = 0 ] && apt_opts+=(-o APT::Sandbox::User=root)

say "looking up Linux $series in $mirror $suite"
if ! apt-get "${apt_opts[@]}" -q update >"$apt_dir/update.log" 2>&1 ||
	grep -qE '^E: |^W: (Failed to fetch|Some index files)' "$apt_dir/update.log"; then
	sed 's/^/  | /' "$apt_dir/update.log" >&2
	use_cached "apt-get update of $mirror $suite failed"
	die "cannot read the package lists of $mirror $suite (log above)"
fi

image=$(apt-cache "${apt_opts[@]}" pkgnames "linux-image-$series." 2>/dev/null |
	grep -E "^linux-image-${series//./\\.}\.[0-9]+[^-]*-$flavour-unsigned\$" | sort -V | tail -1)
if [ -z "$image" ]; then
	use_cached "$suite lists no linux-image-$series.*-$flavour-unsigned"
	die "$mirror $suite has no package linux-image-$series.*-$flavour-unsigned"
fi
abi=${image#linux-image-}
abi=${abi%-"$flavour"-unsigned}
release=$abi-$flavour
version=$(apt-cache "${apt_opts[@]}" show "$image" | sed -n 's/^Version: //p' | sort -V | tail -1)
[ -n "$version" ] || die "no version of $image in $suite"
# kbuild and the common headers are named by the headers package's
# dependencies, not guessed.
deps=$(apt-cache "${apt_opts[@]}" show "linux-headers-$release=$version" 2>/dev/null |
	sed -n 's/^Depends: //p' | tr ',|' '\n\n' | awk '{print $1}')
kbuild=$(grep -m1 '^linux-kbuild-' <<<"$deps")
common=$(grep -m1 '^linux-headers-.*-common$' <<<"$deps")
[ -n "$kbuild" ] && [ -n "$common" ] ||
	die "$suite: linux-headers-$release $version missing, or names no linux-kbuild/-common"
packages=("linux-headers-$release" "$common" "$kbuild" "$image")

dest=$kernels/$version
if [ -f "$dest/.complete" ]; then
	ln -sfn "$version" "$kernels/$series"
	say "Linux $release ($version) already in $dest"
	echo "$release"
	exit 0
fi

say "downloading Linux $release ($version): ${packages[*]}"
tmp=$kernels/.$version.tmp
rm -rf "$tmp"
mkdir -p "$tmp/debs" "$tmp/root" || die "cannot create $tmp"
missing=()
for p in "${packages[@]}"; do
	if ! (cd "$tmp/debs" && apt-get "${apt_opts[@]}" -q download "$p=$version") \
		>>"$tmp/download.log" 2>&1; then
		missing+=("$p=$version")
	fi
done
if [ ${#missing[@]} -gt 0 ]; then
	grep -E '^(E|W|Err):' "$tmp/download.log" | sed 's/^/  | /' >&2
	rm -rf "$tmp"
	die "cannot download from $mirror $suite: ${missing[*]}"
fi

for deb in "$tmp"/debs/*.deb; do
	dpkg -x "$deb" "$tmp/root" || die "dpkg -x $(basename "$deb") failed"
done
hdr=$tmp/root/usr/src/linux-headers-$release
[ -f "$hdr/Makefile" ] || die "linux-headers-$release has no Makefile"
[ -r "$tmp/root/boot/vmlinuz-$release" ] || die "$image has no /boot/vmlinuz-$release"

# Make the headers usable where they are: the arch Makefile includes the
# common one by absolute path, and lib/modules' build/source links are
# absolute. scripts/ and tools/ already link relatively into linux-kbuild.
final_src=$dest/root/usr/src
sed -i "s|^include /usr/src/|include $final_src/|" "$hdr/Makefile"
grep -q "^include $final_src/$common/Makefile\$" "$hdr/Makefile" ||
	die "unexpected $hdr/Makefile: $(cat "$hdr/Makefile")"
for link in build source; do
	l=$tmp/root/lib/modules/$release/$link
	[ -L "$l" ] && ln -sfn "../../../usr/src/$(basename "$(readlink "$l")")" "$l"
done
while IFS= read -r l; do
	[ -e "$l" ] || die "dangling link after unpacking: $l -> $(readlink "$l")"
done < <(find "$hdr/" "$tmp/root/usr/src/$common/" -maxdepth 1 -type l)
for f in "$hdr/scripts/basic/fixdep" "$hdr/scripts/mod/modpost"; do
	[ -x "$f" ] || die "$f missing: $kbuild did not unpack as expected"
done

echo "$release" > "$tmp/release"
printf '%s\n' "${packages[@]}" > "$tmp/packages"
rm -rf "$tmp/debs"
rm -rf "$dest"
mv "$tmp" "$dest" || die "cannot move $tmp to $dest"
touch "$dest/.complete"
ln -sfn "$version" "$kernels/$series"
say "Linux $release unpacked in $dest"
echo "$release"
