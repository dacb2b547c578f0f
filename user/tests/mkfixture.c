// SPDX-License-Identifier: GPL-2.0
/* mkfixture DIR [pv|noxen|hvm] [gsi] [nopciback] [oldpciback]:
 * builds the standard fixture tree (fixture.h) for the CLI tests. */
#include <stdio.h>
#include <string.h>

#include "fixture.h"

int main(int argc, char **argv)
{
	unsigned int flags = 0;
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: mkfixture DIR [pv|noxen|hvm] [gsi] [nopciback] [oldpciback]\n");
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
		else {
			fprintf(stderr, "mkfixture: unknown flag %s\n", argv[i]);
			return 2;
		}
	}
	return fx_build(argv[1], flags) ? 1 : 0;
}
