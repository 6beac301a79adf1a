// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only module for the debug lane's own self-test (make check-debug).
 * Loading it plants one bug, chosen by the bug= parameter, which the lane
 * must report and fail on:
 *
 *   bug=leak  a kmalloc'd object whose only pointer is dropped; kmemleak
 *             reports it, and its hex dump reads "kipc-planted-leak";
 *   bug=oob   a one-byte write just past a kmalloc'd object; KASAN reports
 *             a slab-out-of-bounds write in plant_oob().
 *
 * It is never part of kipc.ko.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/compiler.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

static char *bug = "";
module_param(bug, charp, 0444);
MODULE_PARM_DESC(bug, "the bug to plant: leak or oob");

/* A parameter, not a constant: the compiler cannot see the overflow. */
static unsigned int size = 24;
module_param(size, uint, 0444);
MODULE_PARM_DESC(size, "size of the object that bug=oob overflows");

/* The leaked object's only reference, dropped right after it is made. */
static char *planted;

static noinline void plant_leak(void)
{
	char *p = kmalloc(64, GFP_KERNEL);

	if (!p)
		return;
	strscpy(p, "kipc-planted-leak", 64);
	WRITE_ONCE(planted, p);
	WRITE_ONCE(planted, NULL);
}

static noinline void plant_oob(void)
{
	char *p = kmalloc(size, GFP_KERNEL);

	if (!p)
		return;
	OPTIMIZER_HIDE_VAR(p);
	p[size] = 'x';
	kfree(p);
}

static int __init kipc_selftest_bugs_init(void)
{
	if (!strcmp(bug, "leak")) {
		plant_leak();
	} else if (!strcmp(bug, "oob")) {
		plant_oob();
	} else {
		pr_err("bug= must be leak or oob\n");
		return -EINVAL;
	}
	pr_info("planted bug: %s\n", bug);
	return 0;
}

static void __exit kipc_selftest_bugs_exit(void)
{
}

module_init(kipc_selftest_bugs_init);
module_exit(kipc_selftest_bugs_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kipc debug lane self-test: plants a leak or an out-of-bounds write");
