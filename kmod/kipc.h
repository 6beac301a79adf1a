/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipc - private declarations shared by the module's source files.
 */
#ifndef _KIPC_H
#define _KIPC_H

#include <linux/stringify.h>
#include <linux/kipc.h>

#include "compat.h"

#define KIPC_VERSION_STRING			\
	__stringify(KIPC_VERSION_MAJOR) "."	\
	__stringify(KIPC_VERSION_MINOR) "."	\
	__stringify(KIPC_VERSION_PATCH)

#endif /* _KIPC_H */
