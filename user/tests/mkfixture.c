// SPDX-License-Identifier: GPL-2.0
/*
 * mkfixture DIR [pv|noxen|hvm] [gsi] [nopciback] [oldpciback] [msi] [sriov]:
 * builds the standard fixture tree (fixture.h) for the CLI tests.
 *
 * mkfixture --put DIR REL VALUE [REL VALUE]...: writes VALUE to DIR/REL,
 * one write each, in turn; with fakesys.so preloaded (XENPT_ROOT=DIR)
 * the fake kernel plays them (bind, unbind, driver_override...), which is
 * how the CLI tests act as another tool or as the kernel at boot.
 */
#include <stdio.h>
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
