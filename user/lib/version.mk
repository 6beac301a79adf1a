# SPDX-License-Identifier: GPL-2.0
# libkipc's own version, independent of the module's (kmod/uapi/linux/kipc.h):
# the library and the module change at different times, and the library's
# number says what a program linked against it may rely on.
#
# MAJOR.MINOR.PATCH; the file is libkipc.so.MAJOR.MINOR.PATCH, the soname
# libkipc.so.MAJOR. The rule for bumping (Documentation: libkipc(3), VERSIONS):
#   PATCH  fixes only: no symbol added or removed, no type changed; abidiff
#          against lib/abi/libkipc.abi reports nothing.
#   MINOR  functions added (a new version node in libkipc.map that inherits
#          the previous one, e.g. LIBKIPC_0.2 { ... } LIBKIPC_0;), nothing
#          removed or changed; then re-baseline lib/abi/libkipc.abi
#          (make -C user abi-baseline).
#   MAJOR  an incompatible change, which abidiff reports (a symbol removed,
#          a type or a signature changed): the soname changes with it, a new
#          root node LIBKIPC_<MAJOR> starts, and the baseline is taken again.
LIBKIPC_VERSION := 0.4.0
