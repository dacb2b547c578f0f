// SPDX-License-Identifier: GPL-2.0
/*
 * gsi-check: the devices, as sysfs and the kernel's own
 * "PCI INT x -> ... -> GSI n (level, low) -> IRQ m" lines (dyndbg of
 * drivers/acpi/pci_irq.c) tell, and the node's answers about them.
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

/* The kernel's own lines; the last one per device wins. */
void read_truth(struct dev *devs, int n)
{
	static char log[1 << 21];
	char *line, *save = NULL, *p, *q, trig[16], pol[16];
	struct truth t;
	int len, i;

	len = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, log, sizeof(log) - 1);
	if (len < 0)
		die("klogctl: %s", strerror(errno));
	log[len] = '\0';

	for (line = strtok_r(log, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		p = strstr(line, ": PCI INT ");
		q = strstr(line, "-> GSI ");
		if (!p || !q)
			continue;
		memset(&t, 0, sizeof(t));
		if (sscanf(q, "-> GSI %u (%15[^,], %15[^)]) -> IRQ %d", &t.gsi,
			   trig, pol, &t.irq) != 4)
			continue;
		t.level = !strcmp(trig, "level");
		t.low = !strcmp(pol, "low");
		t.seen = true;
		*p = '\0';
		p = strrchr(line, ' ');
		p = p ? p + 1 : line;
		for (i = 0; i < n; i++)
			if (!strcmp(devs[i].bdf, p))
				devs[i].truth = t;
	}
}

int dev_cmp(const void *a, const void *b)
{
	return strcmp(((const struct dev *)a)->bdf, ((const struct dev *)b)->bdf);
}

/* Every PCI device, in BDF order. */
int scan_devices(struct dev *devs)
{
	char path[512], buf[256];
	struct dirent *de;
	ssize_t len;
	DIR *d;
	int n = 0, fd;
	unsigned char pin;

	d = opendir(PCI_DEVICES);
	if (!d)
		die("opendir %s: %s", PCI_DEVICES, strerror(errno));
	while ((de = readdir(d)) && n < MAX_DEVS) {
		struct dev *v = &devs[n];

		if (de->d_name[0] == '.')
			continue;
		memset(v, 0, sizeof(*v));
		if (strlen(de->d_name) >= sizeof(v->bdf))
			die("bad device name %s", de->d_name);
		memcpy(v->bdf, de->d_name, strlen(de->d_name) + 1);
		if (!parse_bdf(v->bdf, &v->sbdf))
			die("bad device name %s", v->bdf);
		snprintf(path, sizeof(path), PCI_DEVICES "/%s/config", v->bdf);
		fd = open(path, O_RDONLY);
		if (fd < 0 || pread(fd, &pin, 1, 0x3d) != 1)
			die("%s: %s", path, strerror(errno));
		close(fd);
		v->pin = pin;
		snprintf(path, sizeof(path), PCI_DEVICES "/%s/irq", v->bdf);
		if (read_file(path, buf, sizeof(buf)) > 0)
			v->irq = atoi(buf);
		snprintf(path, sizeof(path), PCI_DEVICES "/%s/enable", v->bdf);
		if (read_file(path, buf, sizeof(buf)) > 0)
			v->enabled = atoi(buf) > 0;
		snprintf(path, sizeof(path), PCI_DEVICES "/%s/driver", v->bdf);
		len = readlink(path, buf, sizeof(buf) - 1);
		if (len > 0) {
			buf[len] = '\0';
			snprintf(v->driver, sizeof(v->driver), "%s",
				 strrchr(buf, '/') + 1);
		}
		n++;
	}
	closedir(d);
	qsort(devs, n, sizeof(*devs), dev_cmp);
	return n;
}

struct dev *find_dev(struct dev *devs, int n, const char *bdf)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(devs[i].bdf, bdf))
			return &devs[i];
	return NULL;
}

int open_node(void)
{
	int fd = open(NODE, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		die("open %s: %s", NODE, strerror(errno));
	return fd;
}

/* 0 and the GSI, or -errno. */
long ioctl_get_gsi(int fd, uint32_t sbdf)
{
	struct privcmd_pcidev_get_gsi arg = { .sbdf = sbdf, .gsi = ~0U };

	if (ioctl(fd, IOCTL_PRIVCMD_PCIDEV_GET_GSI, &arg))
		return -errno;
	return arg.gsi;
}

long ioctl_irq_to_gsi(int fd, uint32_t irq)
{
	struct privcmd_gsi_irq_to_gsi arg = { .irq = irq };

	if (ioctl(fd, PRIVCMD_GSI_IOCTL_IRQ_TO_GSI, &arg))
		return -errno;
	return arg.gsi;
}

int ioctl_get_record(int fd, uint32_t sbdf, struct privcmd_gsi_record *r)
{
	struct privcmd_gsi_get_record arg = { .sbdf = sbdf };

	if (ioctl(fd, PRIVCMD_GSI_IOCTL_GET_RECORD, &arg))
		return -errno;
	*r = arg.rec;
	return 0;
}

/* The gsi file: its number, -ENOENT as read error, or -ENODEV if absent. */
long sysfs_gsi(const char *bdf)
{
	char path[256], buf[32], *end;
	unsigned long v;
	struct stat st;
	int ret;

	snprintf(path, sizeof(path), PCI_DEVICES "/%s/gsi", bdf);
	if (stat(path, &st))
		return -ENODEV;
	if ((st.st_mode & 07777) != 0444)
		return -EACCES;
	ret = read_file(path, buf, sizeof(buf));
	if (ret < 0)
		return ret;
	errno = 0;
	v = strtoul(buf, &end, 10);
	if (errno || end == buf || strcmp(end, "\n"))
		return -EINVAL;
	return v;
}

const char *source_name(int source)
{
	switch (source) {
	case PRIVCMD_GSI_SOURCE_REGISTERED:
		return "registered";
	case PRIVCMD_GSI_SOURCE_RECOVERED:
		return "recovered";
	case PRIVCMD_GSI_SOURCE_ACPI:
		return "acpi";
	case PRIVCMD_GSI_SOURCE_SYNTHETIC:
		return "synthetic";
	default:
		return "?";
	}
}
