// SPDX-License-Identifier: GPL-2.0
/*
 * pciback-ext: what Linux 6.12's xen-pciback does for a PVH dom0, done on
 * older kernels from outside xen-pciback, for every device bound to it
 * however it got there (bound when this loads, xen-pciback.hide= at boot
 * included, or later):
 *
 *  - the device's GSI, trigger and polarity, from privcmd-gsi (device.c);
 *  - PHYSDEVOP_setup_gsi with them, so that Xen programs the IO-APIC pin
 *    before a guest can use the device (xen.c);
 *  - PHYSDEVOP_pci_device_reset after every reset pciback does (reset.c);
 *  - beyond 6.12: a PV guest's pirq for the GSI made the one it will bind
 *    (pirq.c);
 *  - the state of each under /sys/bus/pci/devices/BDF/xenpt/.
 *
 * Loads in any order with privcmd-gsi and xen-pciback, and unloads while
 * devices stay on pciback.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <xen/xen.h>

#include "internal.h"

#ifdef XENPT_TEST
static bool test_no_xen;
module_param(test_no_xen, bool, 0444);
MODULE_PARM_DESC(test_no_xen,
		 "Test only: load outside a Xen initial domain, every hypercall answering ENOSYS (default: no)");
#else
#define test_no_xen false
#endif

static int __init pbx_init(void)
{
	int ret;

#ifdef PBX_UPSTREAM_PCIBACK
	pr_info("this kernel's xen-pciback sets up GSIs and notifies resets itself: not loading\n");
	return -ENODEV;
#endif
	if (!xen_initial_domain() && !test_no_xen) {
		pr_info("not a Xen initial domain: not loading\n");
		return -ENODEV;
	}
	pbx_env_init(xen_initial_domain());

	ret = pbx_reset_start();
	if (ret)
		return ret;
	ret = pbx_pirq_start();
	if (ret)
		goto err_reset;
	ret = pbx_devices_start();
	if (ret)
		goto err_pirq;
	return 0;

err_pirq:
	pbx_pirq_stop();
err_reset:
	pbx_reset_stop();
	return ret;
}

static void __exit pbx_exit(void)
{
	pbx_pirq_stop();
	pbx_reset_stop();
	pbx_devices_stop();
}

module_init(pbx_init);
module_exit(pbx_exit);

MODULE_DESCRIPTION("Xen PVH dom0: GSI setup and reset notices for xen-pciback's devices");
MODULE_LICENSE("GPL");
MODULE_VERSION(XENPT_VERSION);
