// SPDX-License-Identifier: GPL-2.0
/*
 * mkfixture DIR [pv|noxen|hvm] [gsi] [nopciback] [oldpciback] [msi] [sriov]:
 * builds the standard fixture tree (fixture.h) for the CLI tests.
 *
 * mkfixture --put DIR REL VALUE [REL VALUE]...: writes VALUE to DIR/REL,
 * one write each, in turn; with fakesys.so preloaded (XENPT_ROOT=DIR)
 * the fake kernel plays them (bind, unbind, driver_override...), which is
 * how the CLI tests act as another tool or as the kernel at boot.
 *
 * mkfixture --dev DIR BDF PARENT VENDOR DEVICE CLASS DRIVER PIN IRQ: adds a
 * PCI device as the standard ones are made (fixture.h's fx_add_dev; hex
 * VENDOR, DEVICE, CLASS; DRIVER "-" for none; PARENT below DIR, such as
 * /sys/devices/pci0000:00): the "mkdev".
 *
 * mkfixture --unplug DIR BDF: hot removal, as the kernel does it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

int main(int argc, char **argv)
{
	unsigned int flags = 0;
	int i;

	if (argc >= 3 && !strcmp(argv[1], "--put")) {
		struct fx fx;

		if (argc % 2 != 1) {
			fprintf(stderr, "usage: mkfixture --put DIR REL VALUE...\n");
			return 2;
		}
		snprintf(fx.root, sizeof(fx.root), "%s", argv[2]);
		for (i = 3; i + 1 < argc; i += 2)
			if (fx_put(&fx, argv[i], argv[i + 1])) {
				fprintf(stderr, "mkfixture: %s: write refused\n", argv[i]);
				return 1;
			}
		return 0;
	}
	if (argc == 11 && !strcmp(argv[1], "--dev")) {
		unsigned long v[3];
		char *end;
		int k;

		for (k = 0; k < 3; k++) {
			v[k] = strtoul(argv[5 + k], &end, 16);
			if (*end || !*argv[5 + k]) {
				fprintf(stderr, "mkfixture: %s: not hex\n", argv[5 + k]);
				return 2;
			}
		}
		return fx_add_dev_at(argv[2], argv[3], argv[4], (unsigned int)v[0],
				     (unsigned int)v[1], (unsigned int)v[2], argv[8],
				     atoi(argv[9]), atoi(argv[10])) ? 1 : 0;
	}
	if (argc == 4 && !strcmp(argv[1], "--unplug"))
		return fx_unplug_at(argv[2], argv[3]) ? 1 : 0;
	if (argc < 2) {
		fprintf(stderr, "usage: mkfixture DIR [pv|noxen|hvm] [gsi] [nopciback] [oldpciback] [msi] [sriov]\n");
		return 2;
	}
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "pv"))
			flags |= FX_PV;
		else if (!strcmp(argv[i], "noxen"))
			flags |= FX_NOXEN;
		else if (!strcmp(argv[i], "hvm"))
			flags |= FX_HVM;
		else if (!strcmp(argv[i], "gsi"))
			flags |= FX_GSI_FILES;
		else if (!strcmp(argv[i], "nopciback"))
			flags |= FX_NO_PCIBACK;
		else if (!strcmp(argv[i], "oldpciback"))
			flags |= FX_OLD_PCIBACK;
		else if (!strcmp(argv[i], "msi"))
			flags |= FX_MSI;
		else if (!strcmp(argv[i], "sriov"))
			flags |= FX_SRIOV;
		else {
			fprintf(stderr, "mkfixture: unknown flag %s\n", argv[i]);
			return 2;
		}
	}
	return fx_build(argv[1], flags) ? 1 : 0;
}
