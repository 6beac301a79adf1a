// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only module for the runner's own self-test: it raises a kernel
 * WARNING when loaded, which the VM runner must turn into a failed run.
 * It is never part of kipc.ko.
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init kipc_selftest_warn_init(void)
{
	WARN(1, "kipc runner self-test: planted warning\n");
	return 0;
}

static void __exit kipc_selftest_warn_exit(void)
{
}

module_init(kipc_selftest_warn_init);
module_exit(kipc_selftest_warn_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kipc VM runner self-test: raises a WARNING on load");
