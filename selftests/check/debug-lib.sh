# SPDX-License-Identifier: GPL-2.0
# Shared by debug.sh and debug-selftest.sh (make check-debug): the debug
# kernel, kipc.ko built for it, and how the lane boots it. Source this file
# after tap.sh, with $top set.

# Kernel command line of the lane, on top of run-vm.sh's TCG-safe watchdog
# thresholds (RELIABILITY.md §1.1): kmemleak on (scans are manual), every
# KASAN report printed, real pointers in reports, timestamps for the
# console regex.
# no5lvl: 6.1 with KASAN and 5-level paging (QEMU's -cpu max has LA57)
# reports every direct-map access as wild if an interrupt lands while
# identify_boot_cpu() has the boot CPU's feature bits cleared: LA57 reads
# as off, and KASAN's shadow bounds follow it. A timing accident under TCG,
# seen once on a loaded host (the VM then prints for ever); 4-level paging
# has no such window.
DEBUG_APPEND="kmemleak=on kasan_multi_shot no_hash_pointers printk.time=1 no5lvl"

# debug_kdir: build or reuse the debug kernel; sets DEBUG_KDIR.
debug_kdir() {
	DEBUG_KDIR=$("$top/selftests/vm/build-debug-kernel.sh" 2>"$KIPC_LOGS/debug-kernel.log" |
		tail -n 1)
	[ -n "$DEBUG_KDIR" ] && [ -f "$DEBUG_KDIR/arch/x86/boot/bzImage" ]
}

# debug_build_module SRC DEST LOG: build the Kbuild dir SRC against the debug
# kernel in a scratch copy DEST, at W=1; fails on an error or any warning.
debug_build_module() {
	local src=$1 dest=$2 log=$3
	rm -rf "$dest"
	mkdir -p "$dest"
	cp -a "$src/." "$dest/"
	find "$dest" \( -name '*.o' -o -name '*.ko' -o -name '*.mod*' -o -name '.*.cmd' \
		-o -name Module.symvers -o -name modules.order \) -delete
	make -C "$DEBUG_KDIR" M="$dest" W=1 modules >"$log" 2>&1 || return 1
	! grep -E '(warning|error):' "$log" | grep -qv '^make'
}

# debug_boot OUT MODULE TIMEOUT [run-vm options] -- COMMAND: boot the debug
# kernel the way the lane does, with its console patterns and guest script.
debug_boot() {
	local out=$1 module=$2 timeout=$3
	shift 3
	"$top/selftests/vm/run-vm.sh" --kernel "$DEBUG_KDIR/arch/x86/boot/bzImage" \
		--kdir "$DEBUG_KDIR" --module "$module" --out "$out" \
		--mem "${KIPC_DEBUG_MEM:-1G}" --smp "${KIPC_DEBUG_SMP:-2}" \
		--timeout "$timeout" --append "$DEBUG_APPEND" \
		--patterns "$top/selftests/vm/console-patterns-debug.txt" \
		--add "$top/selftests/vm/debug-guest.sh:/kipc/debug-guest.sh" "$@"
}
