/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xenpt's modules: functions their KUnit suites call are exported to them
 * alone, and only in kernels built with KUnit: <kunit/visibility.h> where
 * the kernel has it (6.2 and later; each module's Kbuild probes it and
 * defines XENPT_HAVE_KUNIT_VISIBILITY), the same definition where not.
 */
#ifndef XENPT_COMPAT_KUNIT_VISIBILITY_H
#define XENPT_COMPAT_KUNIT_VISIBILITY_H

#ifdef XENPT_HAVE_KUNIT_VISIBILITY
#include <kunit/visibility.h>
#elif IS_ENABLED(CONFIG_KUNIT)
#define EXPORT_SYMBOL_IF_KUNIT(sym) \
	EXPORT_SYMBOL_NS(sym, EXPORTED_FOR_KUNIT_TESTING)
#else
#define EXPORT_SYMBOL_IF_KUNIT(sym)
#endif

#endif
