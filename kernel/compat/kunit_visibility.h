/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xenpt's modules: functions their KUnit suites call are exported to them
 * alone, and only in kernels built with KUnit: <kunit/visibility.h> where
 * the kernel has it (6.2 and later; probed as XENPT_HAVE_KUNIT_VISIBILITY
 * by kernel/compat/probes.mk), the same definition where not.  The suites
 * import that namespace with MODULE_IMPORT_NS(XENPT_KUNIT_NS), a string
 * from 6.13 on (XENPT_HAVE_IMPORT_NS_STRING), a bare name before.
 */
#ifndef XENPT_COMPAT_KUNIT_VISIBILITY_H
#define XENPT_COMPAT_KUNIT_VISIBILITY_H

#ifdef XENPT_HAVE_KUNIT_VISIBILITY
#include <kunit/visibility.h>
#elif IS_ENABLED(CONFIG_KUNIT)
#define EXPORT_SYMBOL_IF_KUNIT(sym) \
	EXPORT_SYMBOL_NS(sym, EXPORTED_FOR_KUNIT_TESTING)
#else
/* Nothing exported; the symbol still has to exist. */
#define EXPORT_SYMBOL_IF_KUNIT(sym)	__ADDRESSABLE(sym)
#endif

#ifdef XENPT_HAVE_IMPORT_NS_STRING
#define XENPT_KUNIT_NS	"EXPORTED_FOR_KUNIT_TESTING"
#else
#define XENPT_KUNIT_NS	EXPORTED_FOR_KUNIT_TESTING
#endif

#endif
