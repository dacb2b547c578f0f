// SPDX-License-Identifier: GPL-2.0
/*
 * pciback-ext: what Linux 6.12's xen-pciback does for a PVH dom0, done
 * from outside xen-pciback on kernels without it, and what every kernel's
 * xen-pciback still lacks, for every device bound to it however it got
 * there (bound when this loads, xen-pciback.hide= at boot included, or
 * later):
 *
 *  - before 6.12 (legacy.c): the device's GSI, trigger and polarity from
 *    privcmd-gsi, set up in Xen once Linux registered them (device.c,
 *    xen.c), and PHYSDEVOP_pci_device_reset after every reset pciback
 *    does;
 *  - 6.12 and later (upstream.c): xen-pciback does both itself; devices
 *    without an INTx pin bind to it all the same (6.12 refuses them);
 *  - on every kernel: Xen registers the GSI through dom0's own interrupt
 *    code first (bind.c), so that a device given back to dom0 gets its
 *    interrupts there (6.12's PHYSDEVOP_setup_gsi alone leaves dom0
 *    without them), and a PV guest's pirq for the GSI is made the one it
 *    will bind (pirq.c);
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

	if (!xen_initial_domain() && !test_no_xen) {
		pr_info("not a Xen initial domain: not loading\n");
		return -ENODEV;
	}
	pbx_env_init(xen_initial_domain());

	ret = pbx_pciback_start();
	if (ret)
		return ret;
	ret = pbx_gsi_start();
	if (ret)
		goto err_pciback;
	ret = pbx_pirq_start();
	if (ret)
		goto err_gsi;
	ret = pbx_devices_start();
	if (ret)
		goto err_pirq;
	return 0;

err_pirq:
	pbx_pirq_stop();
err_gsi:
	pbx_gsi_stop();
err_pciback:
	pbx_pciback_stop();
	return ret;
}

static void __exit pbx_exit(void)
{
	pbx_pirq_stop();
	pbx_gsi_stop();
	pbx_devices_stop();
	pbx_pciback_stop();
}

module_init(pbx_init);
module_exit(pbx_exit);

MODULE_DESCRIPTION("Xen PVH dom0: GSI setup, reset notices and pirqs for xen-pciback's devices");
MODULE_LICENSE("GPL");
MODULE_VERSION(XENPT_VERSION);
