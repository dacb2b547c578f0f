# SPDX-License-Identifier: GPL-2.0
# Kernel features xenpt's code depends on, probed in the kernel's headers,
# never inferred from version numbers.  Included by each module's Kbuild:
# each probe sets a make variable (y or empty), which a Kbuild may use to
# pick files, and defines the macro of the same name for the C code.
# (a regex; "." stands for parentheses, which make would count)
xenpt_probe = $(if $(shell grep -s -E '$(2)' $(srctree)/$(1)),y)

# <kunit/visibility.h>, EXPORT_SYMBOL_IF_KUNIT() (6.2 and later).
xenpt_have_kunit_visibility := $(if $(wildcard $(srctree)/include/kunit/visibility.h),y)
# MODULE_IMPORT_NS() takes a string (6.13 and later), no longer a token.
xenpt_have_import_ns_string := $(call xenpt_probe,include/linux/module.h,define MODULE_IMPORT_NS.ns.[[:space:]]+MODULE_INFO.import_ns$(comma) ns.)
# The MSI descriptor lock is a guard, guard(msi_descs_lock), and
# msi_lock_descs() is gone (6.17 and later).
xenpt_have_msi_descs_guard := $(call xenpt_probe,include/linux/msi.h,DEFINE_LOCK_GUARD_1.msi_descs_lock)
# privcmd answers IOCTL_PRIVCMD_PCIDEV_GET_GSI itself (6.12 and later).
xenpt_upstream_privcmd_gsi := $(call xenpt_probe,include/uapi/xen/privcmd.h,IOCTL_PRIVCMD_PCIDEV_GET_GSI)
# xen-pciback sets a PVH dom0's GSIs up and notifies Xen of resets itself:
# xen_acpi_get_gsi_info(), xen_pvh_setup_gsi() (6.12 and later).
xenpt_upstream_pciback_gsi := $(call xenpt_probe,include/xen/acpi.h,int xen_acpi_get_gsi_info)

ccflags-$(xenpt_have_kunit_visibility) += -DXENPT_HAVE_KUNIT_VISIBILITY
ccflags-$(xenpt_have_import_ns_string) += -DXENPT_HAVE_IMPORT_NS_STRING
ccflags-$(xenpt_have_msi_descs_guard) += -DXENPT_HAVE_MSI_DESCS_GUARD
ccflags-$(xenpt_upstream_privcmd_gsi) += -DXENPT_UPSTREAM_PRIVCMD_GSI
ccflags-$(xenpt_upstream_pciback_gsi) += -DXENPT_UPSTREAM_PCIBACK_GSI
