// SPDX-License-Identifier: GPL-2.0
/*
 * pciback-ext, Linux 6.12 and later: what xen-pciback still lacks (built
 * instead of legacy.c, see Kbuild).  xen-pciback sets a PVH dom0's GSIs up
 * and notifies Xen of resets itself; as it sets a device up
 * (pcistub_init_device()) it asks xen_acpi_get_gsi_info() for the GSI,
 * then calls xen_pvh_setup_gsi(), and a failure of either fails the bind.
 * pciback's calls of both are diverted here (redirect.c):
 *
 *  - a device without an INTx pin (SR-IOV VFs, many MSI-only devices)
 *    binds: 6.12 answers -EINVAL for it and refuses the bind.  Here it
 *    has no GSI: pciback records -ENOENT as its GSI and skips the set-up,
 *    and privcmd's IOCTL_PRIVCMD_PCIDEV_GET_GSI passes that -ENOENT on,
 *    which Xen >= 4.20.1 tools take as "no legacy interrupt" (the unmerged
 *    upstream proposal "xen/pciback: Make missing GSI non-fatal", 2025);
 *  - for a device with a pin, dom0 binds the GSI first (bind.c), so that
 *    pciback's PHYSDEVOP_setup_gsi finds it registered (-EEXIST, which it
 *    takes as success) and dom0 keeps its interrupts when the device
 *    comes back to it.  The outcome is the device's xenpt/ state.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/acpi.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/ptrace.h>
#include <xen/acpi.h>

#include "internal.h"

const bool pbx_pciback_does_gsi = true;

int pbx_pciback_gsi(struct pci_dev *pdev)
{
	int gsi = xen_acpi_get_gsi_from_sbdf(PRIVCMD_GSI_SBDF(pci_domain_nr(pdev->bus),
							      pdev->bus->number,
							      PCI_SLOT(pdev->devfn),
							      PCI_FUNC(pdev->devfn)));

	/* -1: pciback recorded none (a PV dom0). */
	return gsi == -1 ? -ENODATA : gsi;
}

/* Runs instead of xen_acpi_get_gsi_info() for pciback. */
static int pbx_get_gsi_info(struct pci_dev *dev, int *gsi_out,
			    int *trigger_out, int *polarity_out)
{
	struct privcmd_gsi_record rec = {};
	struct pbx_result r = { .state = PBX_SETUP_NO_PIN, .rc = -ENOENT };
	int ret = 0;

	if (!dev->pin) {
		*gsi_out = -ENOENT;
		*trigger_out = ACPI_LEVEL_SENSITIVE;
		*polarity_out = ACPI_ACTIVE_LOW;
		pbx_device_pciback_setup(dev, -ENOENT, &rec, r);
		goto out;
	}
	/* From this module: the kernel's own function. */
	ret = xen_acpi_get_gsi_info(dev, gsi_out, trigger_out, polarity_out);
	if (ret)
		goto out;
	rec.gsi = *gsi_out;
	rec.trigger = *trigger_out == ACPI_EDGE_SENSITIVE ?
		      PRIVCMD_GSI_TRIGGER_EDGE : PRIVCMD_GSI_TRIGGER_LEVEL;
	rec.polarity = *polarity_out == ACPI_ACTIVE_HIGH ?
		       PRIVCMD_GSI_POLARITY_HIGH : PRIVCMD_GSI_POLARITY_LOW;
	r = pbx_setup_gsi(pbx_env, 0, &rec);
	pbx_device_pciback_setup(dev, 0, &rec, r);
out:
	/* Taken by the redirect; see redirect.c. */
	module_put(THIS_MODULE);
	return ret;
}

/* Runs instead of xen_pvh_setup_gsi() for a device without a GSI. */
static int pbx_pvh_setup_gsi(int gsi, int trigger, int polarity)
{
	module_put(THIS_MODULE);
	return 0;
}

static bool pbx_get_gsi_info_want(struct pt_regs *regs, unsigned long caller)
{
	struct pci_dev *pdev = (void *)regs_get_kernel_argument(regs, 0);

	return pdev && pbx_called_by_pciback(caller, pdev);
}

static bool pbx_pvh_setup_gsi_want(struct pt_regs *regs, unsigned long caller)
{
	int gsi = regs_get_kernel_argument(regs, 0);

	return gsi < 0 && pbx_called_by_pciback(caller, NULL);
}

static struct pbx_redirect pbx_upstream_redirects[] = {
	{
		.name = "xen_acpi_get_gsi_info",
		.func = (unsigned long)xen_acpi_get_gsi_info,
		.to = (unsigned long)pbx_get_gsi_info,
		.want = pbx_get_gsi_info_want,
	}, {
		.name = "xen_pvh_setup_gsi",
		.func = (unsigned long)xen_pvh_setup_gsi,
		.to = (unsigned long)pbx_pvh_setup_gsi,
		.want = pbx_pvh_setup_gsi_want,
	},
};

int pbx_gsi_start(void)
{
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(pbx_upstream_redirects); i++) {
		ret = pbx_redirect_arm(&pbx_upstream_redirects[i]);
		if (ret) {
			while (i--)
				pbx_redirect_disarm(&pbx_upstream_redirects[i]);
			return ret;
		}
	}
	return 0;
}

void pbx_gsi_stop(void)
{
	unsigned int i = ARRAY_SIZE(pbx_upstream_redirects);

	while (i--)
		pbx_redirect_disarm(&pbx_upstream_redirects[i]);
}
