# SPDX-License-Identifier: GPL-2.0
#
# kipc top-level Makefile.
#   make deps        install the Debian packages the project needs
#   make             build kipc.ko, libkipc and tools, and the selftests
#   make check       static checks, DKMS, VM selftests; ends "N passed, N failed"
#   make vm-shell    interactive shell in the test VM with kipc loaded
#   make bench       kipc-bench in the icount VM: the table, CSV, JSON, plots in results/
#   make bench-smp / bench-native   the same in a 2-vCPU TCG VM / on this host
#   make dkms-install / dkms-remove   install for real through DKMS

KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
	$(lastword $(sort $(wildcard /lib/modules/*/build))))
KSRC_TAR ?= $(lastword $(sort $(wildcard /usr/src/linux-source-6.1.tar.xz)))

BUILD := $(CURDIR)/build
KTOOLS := $(BUILD)/kernel-tools
CHECK := $(BUILD)/check

DEB_PACKAGES := linux-headers-amd64 linux-image-amd64 qemu-system-x86 \
	busybox-static cpio kmod libnl-3-dev libnl-genl-3-dev pkg-config \
	linux-source-6.1 sparse dkms gnuplot-nox libjson-c-dev \
	bc flex bison libelf-dev libssl-dev

all: module user selftests

module:
	@test -n "$(KDIR)" || { echo "no kernel headers: run make deps (or set KDIR)" >&2; exit 1; }
	$(MAKE) -C kmod KDIR=$(KDIR)

user:
	$(MAKE) -C user

# kselftest headers and checkpatch come from the installed linux-source
# tarball at build time; nothing of the kernel is committed.
$(KTOOLS)/.stamp: $(KSRC_TAR)
	@test -n "$(KSRC_TAR)" || { echo "linux-source-6.1 missing: run make deps" >&2; exit 1; }
	rm -rf $(KTOOLS) && mkdir -p $(KTOOLS)
	tar -xJf $(KSRC_TAR) -C $(KTOOLS) --strip-components=1 --wildcards \
		'*/tools/testing/selftests/kselftest.h' \
		'*/tools/testing/selftests/kselftest_harness.h' \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'
	touch $@

kernel-tools: $(KTOOLS)/.stamp

selftests: kernel-tools
	$(MAKE) -C selftests/kipc OUTPUT=$(BUILD)/selftests install

deps:
	@missing=""; \
	if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then \
		echo "make deps: not a Debian system; install these packages by hand: $(DEB_PACKAGES)" >&2; \
		exit 1; \
	fi; \
	for p in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || \
			missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then echo "make deps: all packages present"; exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then \
		echo "make deps: run as root to install:$$missing" >&2; exit 1; \
	fi; \
	echo "make deps: installing:$$missing"; \
	apt-get update -q && \
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing

check: all
	@rm -rf $(CHECK) && mkdir -p $(CHECK)/logs
	@export KIPC_LOGS=$(CHECK)/logs; \
	echo "== static checks ($(KDIR))"; \
	selftests/check/static.sh $(KDIR) | tee $(CHECK)/static.tap; \
	echo "== dkms"; \
	selftests/check/dkms.sh $(KDIR) | tee $(CHECK)/dkms.tap; \
	echo "== VM selftests"; \
	selftests/check/vm.sh $(KDIR) $(CURDIR)/kmod/kipc.ko | tee $(CHECK)/vm.tap; \
	echo "== VM runner self-test"; \
	selftests/check/runner-selftest.sh $(KDIR) | tee $(CHECK)/runner.tap; \
	echo "== kipc-bench checks (host)"; \
	selftests/check/bench.sh | tee $(CHECK)/bench.tap; \
	echo "== summary"; \
	selftests/check/summary.sh $(CHECK)/static.tap $(CHECK)/dkms.tap \
		$(CHECK)/vm.tap $(CHECK)/runner.tap $(CHECK)/bench.tap

vm-shell: all
	selftests/vm/run-vm.sh --kdir $(KDIR) --shell \
		--add $(BUILD)/selftests:/kipc/tests $(VM_ARGS)

# The main job: kipc-bench against every stock IPC mechanism (user/bench/).
bench: all
	user/bench/run-bench.sh --kdir $(KDIR) icount $(BENCH_ARGS)

bench-smp: all
	user/bench/run-bench.sh --kdir $(KDIR) smp $(BENCH_ARGS)

bench-native: user
	user/bench/run-bench.sh native $(BENCH_ARGS)

dkms-install:
	@v=$$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf); \
	selftests/check/dkms-stage.sh /usr/src/kipc-$$v && \
	dkms add -m kipc -v $$v && dkms install -m kipc -v $$v

dkms-remove:
	@v=$$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf); \
	dkms remove -m kipc -v $$v --all; rm -rf /usr/src/kipc-$$v

clean:
	$(MAKE) -C kmod KDIR=$(KDIR) clean
	rm -rf $(BUILD)

.PHONY: all module user kernel-tools selftests deps check vm-shell \
	bench bench-smp bench-native dkms-install dkms-remove clean
