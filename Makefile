# SPDX-License-Identifier: GPL-2.0
#
# kipc top-level Makefile.
#   make deps        install the Debian packages the project needs and fetch
#                    the kernels of KVERS the host does not have
#   make             build kipc.ko (per kernel), libkipc and tools, and the selftests
#   make check       static checks, DKMS, VM selftests; ends "N passed, N failed"
#   make check-debug the debug-kernel lane: KASAN/lockdep/kmemleak kernel (cached),
#                    selftests, fuzzer, kmemleak; ends "N passed, N failed"
#   make vm-shell    interactive shell in the test VM with kipc loaded
#   make bench       kipc-bench in the icount VM: the table, CSV, JSON, plots in results/
#   make bench-smp / bench-native   the same in a 2-vCPU TCG VM / on this host
#   make install / uninstall   kipc.ko, libkipc, headers, tools, man pages
#                    (DESTDIR, PREFIX=/usr/local, KVER: Documentation/install.rst)
#   make dkms-install / dkms-remove   install for real through DKMS
#   make docs        Documentation/ as HTML in build/docs (sphinx, -W)
#   make deb         the Debian packages (debian/) in build/deb
#
# The userspace build takes CPPFLAGS, CFLAGS and LDFLAGS (a packager's, e.g.
# dpkg-buildflags'); WERROR= (empty) drops -Werror, which stays the default
# for developers and CI (Documentation/install.rst, "Packaging").
#
# KVERS picks the kernel series to build and test on (default: all supported;
# KVERS=6.1 is the fast loop). selftests/vm/kernels.sh maps each to its
# headers (KDIR) and image. KDIR=DIR (command line or environment) instead
# picks that one kernel tree. The first kernel is the one kmod/kipc.ko is
# built for and the one make vm-shell boots.

KVERS ?= 6.1 6.12
ifneq ($(origin KDIR),undefined)
KSEL := --kdir $(KDIR)
else
KSEL := $(KVERS)
endif
KERNELS := $(CURDIR)/selftests/vm/kernels.sh $(KSEL)
KSRC_TAR ?= $(lastword $(sort $(wildcard /usr/src/linux-source-6.1.tar.xz)))

BUILD := $(CURDIR)/build
KTOOLS := $(BUILD)/kernel-tools
CHECK := $(BUILD)/check

DEB_PACKAGES := linux-headers-amd64 linux-image-amd64 qemu-system-x86 \
	busybox-static cpio kmod libnl-3-dev libnl-genl-3-dev pkg-config \
	linux-source-6.1 sparse dkms gnuplot-nox libjson-c-dev \
	bc flex bison libelf-dev libssl-dev dwarves groff-base python3-sphinx \
	libdbus-1-dev libsystemd-dev dbus-daemon abigail-tools dpkg-dev \
	debhelper dh-dkms lintian bash-completion libpopt-dev stress-ng \
	liburing-dev

# kbuild writes objects beside the sources, so each kernel builds in its own
# tree of links to kmod/'s sources: build/RELEASE/kmod.
KMOD_SRCS = $(filter-out %.mod.c,$(wildcard kmod/*.c)) $(wildcard kmod/*.h) \
	kmod/Kbuild kmod/Makefile kmod/uapi kmod/trace

all: module user selftests

module:
	@kernels=$$($(KERNELS)) || exit 1; \
	set -e; echo "$$kernels" | while read -r rel kdir image; do \
		tree=$(BUILD)/$$rel/kmod; \
		echo "  KIPC    kipc.ko for $$rel in $$tree"; \
		mkdir -p $$tree; \
		find $$tree -maxdepth 1 -type l ! -exec test -e {} \; -delete; \
		for f in $(KMOD_SRCS); do ln -sfn $(CURDIR)/$$f $$tree/; done; \
		$(MAKE) -C $$kdir M=$$tree modules; \
	done; \
	first=$$(echo "$$kernels" | awk 'NR == 1 {print $$1}'); \
	cp $(BUILD)/$$first/kmod/kipc.ko kmod/kipc.ko; \
	echo "  KIPC    kmod/kipc.ko is the build for $$first"

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

# The kernel's own POSIX mq selftests, run unchanged under libkipc-mq
# (selftests/mq-shim): extracted the same way, beside the headers above.
$(KTOOLS)/.mqueue-stamp: $(KTOOLS)/.stamp
	tar -xJf $(KSRC_TAR) -C $(KTOOLS) --strip-components=1 --wildcards \
		'*/tools/testing/selftests/mqueue/*'
	touch $@

kernel-tools: $(KTOOLS)/.stamp $(KTOOLS)/.mqueue-stamp

selftests: kernel-tools user
	$(MAKE) -C selftests/kipc OUTPUT=$(BUILD)/selftests install
	$(MAKE) -C selftests/mq-shim OUTPUT=$(BUILD)/selftests
	$(MAKE) -C selftests/fuzz OUTPUT=$(BUILD)/fuzz

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
	if [ -z "$$missing" ]; then echo "make deps: all packages present"; \
	elif [ "$$(id -u)" != 0 ]; then \
		echo "make deps: run as root to install:$$missing" >&2; exit 1; \
	fi; \
	if [ -n "$$missing" ]; then \
		echo "make deps: installing:$$missing"; \
		apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			$$missing || exit 1; \
	fi; \
	for v in $(KVERS); do \
		rel=$$(selftests/vm/fetch-kernel.sh $$v) || exit 1; \
		echo "make deps: kernel $$v is $$rel"; \
	done

check: all
	@selftests/check/check.sh $(KSEL)

# The debug lane writes its TAP under build/check/debug/, beside make check's,
# so .ci/run can count both lanes in one summary.
check-debug: kernel-tools selftests
	@rm -rf $(CHECK)/debug && mkdir -p $(CHECK)/debug/logs
	@export KIPC_LOGS=$(CHECK)/debug/logs; \
	echo "== debug kernel lane"; \
	selftests/check/debug.sh | tee $(CHECK)/debug/debug.tap; \
	echo "== debug lane self-test (planted bugs)"; \
	selftests/check/debug-selftest.sh | tee $(CHECK)/debug/debug-selftest.tap; \
	echo "== summary (debug lane)"; \
	selftests/check/summary.sh $(CHECK)/debug/debug.tap $(CHECK)/debug/debug-selftest.tap

vm-shell: all
	@set -- $$($(KERNELS) | head -1); \
	test -n "$$1" || exit 1; \
	echo "vm-shell: booting $$1"; \
	selftests/vm/run-vm.sh --kdir $$2 --kernel $$3 --module $(BUILD)/$$1/kmod/kipc.ko \
		--shell --add $(BUILD)/selftests:/kipc/tests $(VM_ARGS)

# The main job: kipc-bench against every stock IPC mechanism (user/bench/),
# on the first kernel of KVERS (make bench KVERS=6.12 for the other one).
# REPEAT=N runs every case N times (kipc-bench --repeat N): mean ± sd.
BENCH_REPEAT := $(if $(REPEAT),--repeat $(REPEAT))
bench: all
	@set -- $$($(KERNELS) | head -1); test -n "$$1" || exit 1; \
	echo "bench: kernel $$1"; \
	user/bench/run-bench.sh --kdir $$2 icount $(BENCH_REPEAT) $(BENCH_ARGS)

# Both kernels of KVERS, one after the other (results/icount-6.1/ and
# results/icount-6.12/), then their figures and verdicts side by side.
bench-all: all
	@set -e; dirs=; for k in $(KVERS); do \
		set -- $$(selftests/vm/kernels.sh $$k); test -n "$$1"; \
		echo "bench: kernel $$1"; \
		user/bench/run-bench.sh --kdir $$2 --name icount-$$k icount \
			$(BENCH_REPEAT) $(BENCH_ARGS) >/dev/null; \
		dirs="$$dirs results/icount-$$k"; \
	done; \
	user/bench/side-by-side.sh $$dirs

bench-smp: all
	@set -- $$($(KERNELS) | head -1); test -n "$$1" || exit 1; \
	echo "bench: kernel $$1"; \
	user/bench/run-bench.sh --kdir $$2 smp $(BENCH_REPEAT) $(BENCH_ARGS)

bench-native: user
	user/bench/run-bench.sh native $(BENCH_REPEAT) $(BENCH_ARGS)

# make install: kipc.ko (built for KVER, by default the first kernel of KVERS
# or the KDIR given) into /lib/modules/KVER/updates, then depmod (not with
# DESTDIR, whose tree depmod cannot know); user/Makefile installs the rest
# under PREFIX. uninstall removes exactly those files.
PREFIX ?= /usr/local
KVER ?= $(shell $(KERNELS) 2>/dev/null | awk 'NR == 1 {print $$1}')
MODDIR = $(DESTDIR)/lib/modules/$(KVER)/updates

install: module user
	@test -n "$(KVER)" || { echo "install: no kernel (KVERS=$(KVERS)): run make deps" >&2; exit 1; }
	@test -f $(BUILD)/$(KVER)/kmod/kipc.ko || \
		{ echo "install: no $(BUILD)/$(KVER)/kmod/kipc.ko: KVER must be a kernel of KVERS or KDIR" >&2; exit 1; }
	install -d $(MODDIR)
	install -m 0644 $(BUILD)/$(KVER)/kmod/kipc.ko $(MODDIR)/
	$(if $(DESTDIR),,depmod -a $(KVER))
	$(MAKE) -C user install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)

uninstall:
	@test -n "$(KVER)" || { echo "uninstall: no kernel: give KVER=RELEASE" >&2; exit 1; }
	rm -f $(MODDIR)/kipc.ko
	$(if $(DESTDIR),,depmod -a $(KVER))
	$(MAKE) -C user uninstall DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)

docs:
	sphinx-build -W -b html Documentation $(BUILD)/docs

# make dkms-install registers the tree's version with DKMS (sources staged in
# DKMS_SOURCETREE/kipc-VERSION), builds and installs it for the running kernel
# (or KVER=RELEASE given on the command line); AUTOINSTALL rebuilds it for
# every kernel installed later. Any other registered kipc version is removed
# first, and the same version is re-staged from the tree: bumping the version
# (kmod/uapi/linux/kipc.h; dkms-stage.sh writes it into the staged
# dkms.conf) and running make dkms-install again
# is the upgrade. DKMS_FLAGS passes extra dkms options (selftests/check/dkms.sh
# uses a scratch --dkmstree/--sourcetree/--installtree and --no-depmod).
DKMS_SOURCETREE ?= /usr/src
DKMS := dkms $(DKMS_FLAGS) --sourcetree $(DKMS_SOURCETREE)
DKMS_VERSION = $(shell awk '/define KIPC_VERSION_(MAJOR|MINOR|PATCH)/ {v = v s $$3; s = "."} END {print v}' kmod/uapi/linux/kipc.h)
DKMS_KVER = $(if $(filter command line,$(origin KVER)),-k $(KVER))
# Registered kipc versions: "kipc/VERSION, KERNEL, ARCH: state" lines.
DKMS_REGISTERED = $(DKMS) status -m kipc 2>/dev/null | sed -n 's|^kipc/\([^,:]*\)[,:].*|\1|p' | sort -u

dkms-install:
	@set -e; v=$(DKMS_VERSION); test -n "$$v"; \
	for old in $$($(DKMS_REGISTERED)); do \
		echo "dkms-install: removing kipc $$old"; \
		$(DKMS) remove -m kipc -v $$old --all; \
		rm -rf $(DKMS_SOURCETREE)/kipc-$$old; \
	done; \
	selftests/check/dkms-stage.sh $(DKMS_SOURCETREE)/kipc-$$v; \
	$(DKMS) add -m kipc -v $$v; \
	$(DKMS) install -m kipc -v $$v $(DKMS_KVER)

dkms-remove:
	@set -e; for v in $$($(DKMS_REGISTERED)); do \
		$(DKMS) remove -m kipc -v $$v --all; \
		rm -rf $(DKMS_SOURCETREE)/kipc-$$v; \
	done

# make deb: kipc-dkms, libkipc0, libkipc-dev and kipc-tools (debian/control),
# built with dpkg-buildpackage -us -uc -b, which writes them to the parent
# directory; they are moved to build/deb with the .buildinfo and .changes,
# and debian/rules clean removes what debhelper left under debian/.
DEB_VERSION = $(shell dpkg-parsechangelog -S Version)
DEB_ARCH = $(shell dpkg --print-architecture)
DEB_OUT = $(foreach p,libkipc0 libkipc-mq0 libkipc-dev kipc-tools libkipc0-dbgsym libkipc-mq0-dbgsym kipc-tools-dbgsym,\
	$(p)_$(DEB_VERSION)_$(DEB_ARCH).deb) kipc-dkms_$(DEB_VERSION)_all.deb \
	kipc_$(DEB_VERSION)_$(DEB_ARCH).buildinfo kipc_$(DEB_VERSION)_$(DEB_ARCH).changes

deb:
	rm -rf $(BUILD)/deb && mkdir -p $(BUILD)/deb
	cd .. && rm -f $(DEB_OUT)
	dpkg-buildpackage -us -uc -b
	cd .. && mv $(DEB_OUT) $(BUILD)/deb/
	debian/rules clean
	@echo "  DEB     $(BUILD)/deb: $$(cd $(BUILD)/deb && echo *.deb)"

clean:
	if command -v dh >/dev/null; then debian/rules clean; fi
	rm -f kmod/*.o kmod/*.ko kmod/*.mod kmod/*.mod.c kmod/.*.cmd \
		kmod/Module.symvers kmod/modules.order
	rm -rf $(BUILD)

.PHONY: all module user kernel-tools selftests deps check check-debug vm-shell bench-all \
	bench bench-smp bench-native install uninstall docs dkms-install dkms-remove deb clean
