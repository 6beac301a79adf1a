#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kernel-release.sh KDIR: the release a module built against KDIR loads into
# (UTS_RELEASE, as in vermagic; Debian's include/config/kernel.release holds
# the upstream version instead).
sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' "$1/include/generated/utsrelease.h"
