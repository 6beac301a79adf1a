#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The guest side of the SysV msg cross-check in Documentation/benchmarks.rst
# ("Cross-checks against outside programs"): kipc-bench and bare-pingpong in
# one icount VM, bare-pingpong both as outside programs run it (10000 round
# trips after 1000) and past its start-up transient (after 30000).
bp=/bin/bare-pingpong
echo "== kipc-bench default"
kipc-bench --env vm,icount --no-plot -m sysv-msg,posix-mq,pipe -s 8,64 --only latency 2>&1 | grep 'latency '
echo "== kipc-bench --scale 4"
kipc-bench --env vm,icount --no-plot -m sysv-msg,posix-mq,pipe -s 8,64 --only latency --scale 4 2>&1 | grep 'latency '
echo "== outside style: 10000 after 1000"
for s in 0 8 64; do $bp sysv-msg $s 10000 --ipc-ns; done
$bp sysv-msg 64 10000
$bp posix-mq 64 10000 --ipc-ns
$bp pipe 64 10000
$bp sysv-msg 64 10000 --ipc-ns --clock-each
echo "== longer: 40000 after 4000"
$bp sysv-msg 64 40000 --ipc-ns
$bp sysv-msg 64 40000 --ipc-ns --clock-each
echo "== steady state: 10000 after 30000"
for s in 0 1 8 64; do $bp sysv-msg $s 10000 --ipc-ns --warmup 30000; done
$bp posix-mq 64 10000 --ipc-ns --warmup 30000
$bp pipe 64 10000 --warmup 30000
$bp sysv-msg 64 10000 --ipc-ns --warmup 30000 --clock-each
