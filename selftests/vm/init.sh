#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the kipc test VM. The console (ttyS0) carries kernel messages only;
# results go to ttyS1 and result files to ttyS2, so nothing a test prints can
# be mistaken for a kernel report and a missing result line means failure.
# Settings come from /etc/kipc-vm.conf, written by run-vm.sh.

export PATH=/bin:/sbin:/usr/bin:/usr/sbin:/kipc/tests/bin
export HOME=/root
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /dev/shm /dev/mqueue /dev/pts /tmp /results /root
mount -t tmpfs tmp /tmp
mount -t tmpfs shm /dev/shm
mount -t mqueue mqueue /dev/mqueue
mount -t devpts devpts /dev/pts
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
ln -sf /proc/self/fd /dev/fd
ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up

. /etc/kipc-vm.conf

# TCG is slow: a task blocked on a long test is not a hung kernel.
echo 0 > /proc/sys/kernel/hung_task_timeout_secs 2>/dev/null
echo 7 > /proc/sys/kernel/printk

stty -F /dev/ttyS1 raw -echo 2>/dev/null
exec 3>/dev/ttyS1

KIPC_TAINT_BEFORE=$(cat /proc/sys/kernel/tainted)
export KIPC_MODULE=/lib/modules/kipc.ko

if [ "$KIPC_VM_INTERACTIVE" = 1 ]; then
	insmod "$KIPC_MODULE" || echo "insmod kipc.ko failed"
	echo "kipc test VM: kipc loaded; 'poweroff -f' or Ctrl-A X leaves"
	setsid cttyhack sh -l
	poweroff -f
fi

rc=0
if [ "$KIPC_VM_LOAD" = 1 ]; then
	if ! insmod "$KIPC_MODULE"; then
		echo "KIPC-VM-ERROR insmod failed" >&3
		rc=1
	fi
fi
if [ $rc = 0 ]; then
	cd /results
	sh -c "$KIPC_VM_CMD" >&3 2>&1
	rc=$?
	cd /
fi
if [ "$KIPC_VM_LOAD" = 1 ] && grep -q '^kipc ' /proc/modules; then
	if ! rmmod kipc; then
		echo "KIPC-VM-ERROR rmmod failed" >&3
		[ $rc = 0 ] && rc=1
	fi
fi

# Result files travel back as base64 of a tar on their own port.
if [ -n "$(ls /results)" ]; then
	tar -c -C /results . | base64 > /dev/ttyS2
fi
echo "KIPC-VM-DONE rc=$rc taint_before=$KIPC_TAINT_BEFORE taint=$(cat /proc/sys/kernel/tainted)" >&3
exec 3>&-
sync
poweroff -f
