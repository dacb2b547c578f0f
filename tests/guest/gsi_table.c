// SPDX-License-Identifier: GPL-2.0
/*
 * gsi-check: the GSI table of every device (make demo).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xen/privcmd-gsi.h>

#include "gsi_check.h"

static const char *trigger_name(int t)
{
	return t == PRIVCMD_GSI_TRIGGER_LEVEL ? "level" :
	       t == PRIVCMD_GSI_TRIGGER_EDGE ? "edge" : "-";
}

static const char *polarity_name(int p)
{
	return p == PRIVCMD_GSI_POLARITY_LOW ? "low" :
	       p == PRIVCMD_GSI_POLARITY_HIGH ? "high" : "-";
}

/* One line per PCI device; upstream can answer only pciback's devices. */
static int cmd_table_args(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	static struct dev devs[MAX_DEVS];
	struct privcmd_gsi_record rec;
	char path[256], ven[16], did[16], gsi[16];
	int i, n, fd;
	long got;

	n = scan_devices(devs);
	fd = open_node();
	printf("BEGIN table\n%-12s %-9s %-8s %4s %4s %-5s %-4s %-10s %s\n", "BDF",
	       "VEN:DEV", "DRIVER", "IRQ", "GSI", "TRIG", "POL", "SOURCE",
	       "UPSTREAM 6.12");
	for (i = 0; i < n; i++) {
		struct dev *v = &devs[i];
		const char *up;

		snprintf(path, sizeof(path), PCI_DEVICES "/%s/vendor", v->bdf);
		if (read_file(path, ven, sizeof(ven)) < 6)
			strcpy(ven, "0x????");
		snprintf(path, sizeof(path), PCI_DEVICES "/%s/device", v->bdf);
		if (read_file(path, did, sizeof(did)) < 6)
			strcpy(did, "0x????");
		memset(&rec, 0, sizeof(rec));
		got = ioctl_get_record(fd, v->sbdf, &rec);
		if (!got)
			snprintf(gsi, sizeof(gsi), "%u", rec.gsi);
		else
			snprintf(gsi, sizeof(gsi), "%s",
				 v->pin ? "?" : "none");
		if (!v->pin)
			up = "no: no INTx pin";
		else if (strcmp(v->driver, "pciback"))
			up = "no: not on pciback";
		else
			up = "yes";
		printf("%-12s %.4s:%.4s %-8s %4d %4s %-5s %-4s %-10s %s\n",
		       v->bdf, ven + 2, did + 2, v->driver[0] ? v->driver : "-",
		       v->irq, gsi, got ? "-" : trigger_name(rec.trigger),
		       got ? "-" : polarity_name(rec.polarity),
		       got ? "-" : source_name(rec.source), up);
	}
	close(fd);
	printf("END table\n");
	tap(n > 0, "table of %d devices", n);
	return 0;
}

const struct gsi_cmd gsi_table_cmds[] = {
	{ "table", cmd_table_args, ": the GSI table of every device (make demo)" },
	{}
};
