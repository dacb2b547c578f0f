// SPDX-License-Identifier: GPL-2.0
/*
 * gsi-check: runs inside the QEMU test beds and checks privcmd-gsi against
 * the kernel's own account of each device's interrupt routing, the
 * "PCI INT A -> ... -> GSI n (level, low) -> IRQ m" lines that
 * drivers/acpi/pci_irq.c prints under dyndbg.
 *
 * One static program rather than shell loops: process starts are slow
 * under emulation, and the checks need ioctls.  Results are TAP lines
 * ("ok N - ..." / "not ok N - ..."), which the host's log checker counts.
 *
 *   gsi-check expect [--source registered|recovered|acpi DRIVER|none]
 *                    [--irq-ne-gsi] [--min-devices N]
 *   gsi-check unbound BDF...     GSIs of devices whose driver let go
 *   gsi-check absent             module unloaded: no files, no node
 *   gsi-check fuzz [ITERATIONS]  bad and random ioctl arguments
 *   gsi-check stress MODULE.ko SECONDS [PARAMS]
 *                                readers while the module comes and goes
 *   gsi-check bench RECORDS      ns per lookup, three ways
 *   gsi-check bench-privcmd MODULE BDF
 *                                privcmd's cost with and without the
 *                                redirect, GET_GSI there and on the node
 *   gsi-check pciback [--upstream] BDF...
 *                                bind each device to pciback and back; the
 *                                answers must not change.  --upstream asks
 *                                Linux >= 6.12's /dev/xen/privcmd instead
 *   gsi-check pciback --privcmd BDF...
 *                                the same, and /dev/xen/privcmd's own
 *                                answers (privcmd-gsi's redirect)
 *   gsi-check table              the GSI table of every device (make demo)
 *   gsi-check ask NODE BDF WANT  NODE's GET_GSI answer for BDF is WANT (a
 *                                GSI or an errno name)
 *   gsi-check pciback-ext --xen 4.17|4.20 BDF...
 *                                pciback-ext's state of devices on pciback
 *
 * Output follows tests/RESULTS.md: TAP lines, "DATA answer <who> <bdf>
 * <gsi or errno name>" for each answer given while devices sat on pciback
 * (compared across kernels), "DATA bench ..." figures, a "table" block.
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

#include "guest.h"

#define NODE		"/dev/" PRIVCMD_GSI_DEVICE_NAME
#define MAX_DEVS	256

struct truth {
	unsigned int gsi;
	int irq;
	int level;		/* 1 level, 0 edge */
	int low;		/* 1 low, 0 high */
	bool seen;
};

struct dev {
	char bdf[16];
	uint32_t sbdf;
	int pin;
	int irq;		/* sysfs irq */
	bool enabled;		/* sysfs enable: its irq is set up */
	char driver[64];
	struct truth truth;
};

/* The kernel's own lines; the last one per device wins. */
static void read_truth(struct dev *devs, int n)
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

static int dev_cmp(const void *a, const void *b)
{
	return strcmp(((const struct dev *)a)->bdf, ((const struct dev *)b)->bdf);
}

/* Every PCI device, in BDF order. */
static int scan_devices(struct dev *devs)
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

static struct dev *find_dev(struct dev *devs, int n, const char *bdf)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(devs[i].bdf, bdf))
			return &devs[i];
	return NULL;
}

static int open_node(void)
{
	int fd = open(NODE, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		die("open %s: %s", NODE, strerror(errno));
	return fd;
}

/* 0 and the GSI, or -errno. */
static long ioctl_get_gsi(int fd, uint32_t sbdf)
{
	struct privcmd_pcidev_get_gsi arg = { .sbdf = sbdf, .gsi = ~0U };

	if (ioctl(fd, IOCTL_PRIVCMD_PCIDEV_GET_GSI, &arg))
		return -errno;
	return arg.gsi;
}

static long ioctl_irq_to_gsi(int fd, uint32_t irq)
{
	struct privcmd_gsi_irq_to_gsi arg = { .irq = irq };

	if (ioctl(fd, PRIVCMD_GSI_IOCTL_IRQ_TO_GSI, &arg))
		return -errno;
	return arg.gsi;
}

static int ioctl_get_record(int fd, uint32_t sbdf, struct privcmd_gsi_record *r)
{
	struct privcmd_gsi_get_record arg = { .sbdf = sbdf };

	if (ioctl(fd, PRIVCMD_GSI_IOCTL_GET_RECORD, &arg))
		return -errno;
	*r = arg.rec;
	return 0;
}

/* The gsi file: its number, -ENOENT as read error, or -ENODEV if absent. */
static long sysfs_gsi(const char *bdf)
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

static const char *source_name(int source)
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

static void expect_device(int fd, const struct dev *v, int want_source,
			  const char *source_driver, bool irq_ne_gsi)
{
	const struct truth *t = &v->truth;
	struct privcmd_gsi_record rec = {};
	long got, file;
	int ret;

	file = sysfs_gsi(v->bdf);
	got = ioctl_get_gsi(fd, v->sbdf);

	if (!v->pin) {
		tap(file == -ENODEV, "%s: no pin, no gsi file (%ld)", v->bdf,
		    file);
		tap(got == -ENOENT, "%s: no pin, GET_GSI ENOENT (%ld)", v->bdf,
		    got);
		return;
	}
	if (!t->seen) {
		/* Never enabled: the kernel said nothing, ACPI tells. */
		ret = ioctl_get_record(fd, v->sbdf, &rec);
		tap(file >= 0 && got == file,
		    "%s: never enabled, gsi file %ld == GET_GSI %ld", v->bdf,
		    file, got);
		tap(!ret && rec.source == PRIVCMD_GSI_SOURCE_ACPI &&
		    rec.trigger && rec.polarity,
		    "%s: never enabled, GSI %u from %s (%d), trigger %u, polarity %u",
		    v->bdf, rec.gsi, source_name(rec.source), ret, rec.trigger,
		    rec.polarity);
		return;
	}

	tap(file == t->gsi, "%s: gsi file %ld == kernel GSI %u", v->bdf, file,
	    t->gsi);
	tap(got == t->gsi, "%s: GET_GSI %ld == kernel GSI %u", v->bdf, got,
	    t->gsi);
	if (irq_ne_gsi)
		tap(t->irq != (int)t->gsi, "%s: irq %d differs from GSI %u",
		    v->bdf, t->irq, t->gsi);

	ret = ioctl_get_record(fd, v->sbdf, &rec);
	tap(!ret && rec.gsi == t->gsi && rec.sbdf == v->sbdf,
	    "%s: GET_RECORD gsi %u (%d)", v->bdf, rec.gsi, ret);
	if (ret)
		return;
	/* DRIVER "none": devices without a driver, disabled. */
	if (want_source && (!strcmp(v->driver, source_driver) ||
			    (!strcmp(source_driver, "none") && !v->driver[0] &&
			     !v->enabled)))
		tap(rec.source == want_source, "%s: source %s, want %s", v->bdf,
		    source_name(rec.source), source_name(want_source));
	tap(rec.trigger == (t->level ? PRIVCMD_GSI_TRIGGER_LEVEL :
					 PRIVCMD_GSI_TRIGGER_EDGE),
	    "%s: trigger %u matches kernel's %s", v->bdf, rec.trigger,
	    t->level ? "level" : "edge");
	tap(rec.polarity == (t->low ? PRIVCMD_GSI_POLARITY_LOW :
				      PRIVCMD_GSI_POLARITY_HIGH),
	    "%s: polarity %u (%s) matches kernel's %s", v->bdf, rec.polarity,
	    source_name(rec.source), t->low ? "low" : "high");

	/* An enabled device has its irq mapped: both ways agree. */
	if (v->enabled) {
		tap((rec.flags & PRIVCMD_GSI_F_IRQ_VALID) &&
		    rec.irq == (uint32_t)t->irq,
		    "%s: record irq %u == kernel IRQ %d", v->bdf, rec.irq,
		    t->irq);
		got = ioctl_irq_to_gsi(fd, t->irq);
		tap(got == t->gsi, "%s: IRQ_TO_GSI(%d) %ld == GSI %u", v->bdf,
		    t->irq, got, t->gsi);
		tap(v->irq == t->irq, "%s: sysfs irq %d == kernel IRQ %d",
		    v->bdf, v->irq, t->irq);
	}
}

static int cmd_expect(int argc, char **argv)
{
	static struct dev devs[MAX_DEVS];
	int i, n, fd, want_source = 0, min_devices = 1, with_truth = 0;
	const char *source_driver = "";
	bool irq_ne_gsi = false;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--source") && i + 2 < argc) {
			want_source = !strcmp(argv[i + 1], "registered") ?
				      PRIVCMD_GSI_SOURCE_REGISTERED :
				      !strcmp(argv[i + 1], "acpi") ?
				      PRIVCMD_GSI_SOURCE_ACPI :
				      PRIVCMD_GSI_SOURCE_RECOVERED;
			source_driver = argv[i + 2];
			i += 2;
		} else if (!strcmp(argv[i], "--irq-ne-gsi")) {
			irq_ne_gsi = true;
		} else if (!strcmp(argv[i], "--min-devices") && i + 1 < argc) {
			min_devices = atoi(argv[++i]);
		} else {
			die("expect: unknown argument %s", argv[i]);
		}
	}

	n = scan_devices(devs);
	read_truth(devs, n);
	fd = open_node();
	for (i = 0; i < n; i++) {
		if (devs[i].pin && devs[i].truth.seen && devs[i].driver[0])
			with_truth++;
		expect_device(fd, &devs[i], want_source, source_driver,
			      irq_ne_gsi);
	}
	tap(with_truth >= min_devices,
	    "%d devices with a driver and a kernel GSI line (want >= %d)",
	    with_truth, min_devices);
	tap(ioctl_get_gsi(fd, PRIVCMD_GSI_SBDF(0xfffd, 0xff, 0x1f, 7)) == -ENODEV,
	    "GET_GSI of a device that does not exist: ENODEV");
	close(fd);
	return 0;
}

/* Devices whose driver was unbound: GSI kept, irq no longer mapped. */
static int cmd_unbound(int argc, char **argv)
{
	static struct dev devs[MAX_DEVS];
	struct privcmd_gsi_record rec = {};
	struct dev *v;
	int i, n, fd;
	long got;

	n = scan_devices(devs);
	read_truth(devs, n);
	fd = open_node();
	for (i = 0; i < argc; i++) {
		int j, shared = 0;

		v = find_dev(devs, n, argv[i]);
		if (!v || !v->truth.seen)
			die("unbound: %s unknown or never enabled", argv[i]);
		tap(!v->driver[0] && !v->enabled, "%s: has no driver now",
		    v->bdf);
		got = sysfs_gsi(v->bdf);
		tap(got == v->truth.gsi, "%s: gsi file %ld after unbind == GSI %u",
		    v->bdf, got, v->truth.gsi);
		got = ioctl_get_gsi(fd, v->sbdf);
		tap(got == v->truth.gsi, "%s: GET_GSI %ld after unbind == GSI %u",
		    v->bdf, got, v->truth.gsi);

		/* The irq stays while an enabled device shares the GSI. */
		for (j = 0; j < n; j++)
			if (devs[j].enabled && devs[j].truth.seen &&
			    devs[j].truth.gsi == v->truth.gsi)
				shared = 1;
		if (shared) {
			printf("# %s: GSI %u still used by an enabled device\n",
			       v->bdf, v->truth.gsi);
			continue;
		}
		tap(!ioctl_get_record(fd, v->sbdf, &rec) &&
		    !(rec.flags & PRIVCMD_GSI_F_IRQ_VALID),
		    "%s: record marks the irq stale (flags %#x)", v->bdf,
		    rec.flags);
		got = ioctl_irq_to_gsi(fd, v->truth.irq);
		tap(got == -ENOENT, "%s: IRQ_TO_GSI(%d) of the stale irq: ENOENT (%ld)",
		    v->bdf, v->truth.irq, got);
	}
	close(fd);
	return 0;
}

static int cmd_absent(void)
{
	static struct dev devs[MAX_DEVS];
	int i, n, files = 0;

	n = scan_devices(devs);
	for (i = 0; i < n; i++)
		if (sysfs_gsi(devs[i].bdf) != -ENODEV)
			files++;
	tap(files == 0, "module unloaded: %d gsi files left", files);
	tap(access(NODE, F_OK) && errno == ENOENT, "module unloaded: no " NODE);
	return 0;
}

static void fuzz_fixed(int fd)
{
	static const unsigned int cmds[] = {
		IOCTL_PRIVCMD_PCIDEV_GET_GSI, PRIVCMD_GSI_IOCTL_VERSION,
		PRIVCMD_GSI_IOCTL_IRQ_TO_GSI, PRIVCMD_GSI_IOCTL_GET_RECORD,
		PRIVCMD_GSI_IOCTL_LIST,
	};
	void *bad[] = { NULL, (void *)1, (void *)0xffff888000000000ULL };
	struct privcmd_gsi_version ver;
	struct privcmd_gsi_list list = {};
	struct privcmd_gsi_record *recs;
	struct privcmd_gsi_irq_to_gsi i2g = {};
	struct privcmd_gsi_get_record gr = {};
	unsigned int i, j, total;
	void *ro;
	int ret;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		for (j = 0; j < 3; j++) {
			ret = ioctl(fd, cmds[i], bad[j]);
			tap(ret == -1 && errno == EFAULT,
			    "cmd %#x with pointer %p: EFAULT (%s)", cmds[i],
			    bad[j], ret ? strerror(errno) : "ok");
		}

	/* Read-only memory for an output: EFAULT, nothing written. */
	ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ret = ioctl(fd, PRIVCMD_GSI_IOCTL_VERSION, ro);
	tap(ret == -1 && errno == EFAULT, "VERSION into read-only memory: EFAULT");
	munmap(ro, 4096);

	ret = ioctl(fd, PRIVCMD_GSI_IOCTL_VERSION, &ver);
	tap(!ret && ver.major == PRIVCMD_GSI_ABI_MAJOR,
	    "VERSION %u.%u", ver.major, ver.minor);

	tap(ioctl(fd, _IOC(_IOC_NONE, 'P', 10, 16), &list) == -1 &&
	    errno == EINVAL, "GET_GSI with the wrong size: EINVAL");
	tap(ioctl(fd, _IOC(_IOC_NONE, 'P', 0x7f, 8), &list) == -1 &&
	    errno == ENOTTY, "unknown command: ENOTTY");
	tap(ioctl(fd, 0x4004500a, &list) == -1 && errno == EINVAL,
	    "GET_GSI with the wrong direction: EINVAL");

	i2g.flags = 1;
	tap(ioctl(fd, PRIVCMD_GSI_IOCTL_IRQ_TO_GSI, &i2g) == -1 &&
	    errno == EINVAL, "IRQ_TO_GSI with flags: EINVAL");
	i2g.flags = 0;
	i2g.reserved = 5;
	tap(ioctl(fd, PRIVCMD_GSI_IOCTL_IRQ_TO_GSI, &i2g) == -1 &&
	    errno == EINVAL, "IRQ_TO_GSI with reserved set: EINVAL");
	gr.flags = 1;
	tap(ioctl(fd, PRIVCMD_GSI_IOCTL_GET_RECORD, &gr) == -1 &&
	    errno == EINVAL, "GET_RECORD with flags: EINVAL");
	list.flags = 1;
	tap(ioctl(fd, PRIVCMD_GSI_IOCTL_LIST, &list) == -1 && errno == EINVAL,
	    "LIST with flags: EINVAL");
	list = (struct privcmd_gsi_list){ .count = 3 };
	tap(ioctl(fd, PRIVCMD_GSI_IOCTL_LIST, &list) == -1 && errno == EINVAL,
	    "LIST with a count but no buffer: EINVAL");

	/* Size query, too small, exact, and a bad buffer. */
	list = (struct privcmd_gsi_list){};
	ret = ioctl(fd, PRIVCMD_GSI_IOCTL_LIST, &list);
	total = list.count;
	tap(!ret && total > 0, "LIST size query: %u records", total);
	recs = calloc(total + 1, sizeof(*recs));
	list = (struct privcmd_gsi_list){ .count = total - 1,
					  .records = (uintptr_t)recs };
	recs[0].gsi = 0xabcd;
	ret = ioctl(fd, PRIVCMD_GSI_IOCTL_LIST, &list);
	tap(ret == -1 && errno == E2BIG && list.count == total &&
	    recs[0].gsi == 0xabcd, "LIST too small: E2BIG, count %u, nothing written",
	    list.count);
	list = (struct privcmd_gsi_list){ .count = total + 1,
					  .records = (uintptr_t)recs };
	ret = ioctl(fd, PRIVCMD_GSI_IOCTL_LIST, &list);
	tap(!ret && list.count == total, "LIST: %u records", list.count);
	for (i = 0, j = 0; !ret && i < list.count; i++)
		if (recs[i].reserved0 || recs[i].reserved1 || !recs[i].source)
			j++;
	tap(j == 0, "LIST records have zero reserved fields and a source");
	free(recs);
	list = (struct privcmd_gsi_list){ .count = 1000,
					  .records = 0xffff888000000000ULL };
	ret = ioctl(fd, PRIVCMD_GSI_IOCTL_LIST, &list);
	tap(ret == -1 && errno == EFAULT, "LIST into a kernel address: EFAULT");
}

static int cmd_fuzz(int argc, char **argv)
{
	unsigned long iterations = argc ? strtoul(argv[0], NULL, 0) : 100000;
	unsigned char buf[64];
	unsigned long i, odd = 0;
	unsigned int cmd;
	int fd, ret, fd2;

	fd = open_node();
	fuzz_fixed(fd);

	for (i = 0; i < iterations; i++) {
		unsigned int k;

		for (k = 0; k < sizeof(buf); k++)
			buf[k] = rnd();
		switch (rnd() % 4) {
		case 0:		/* anything at all */
			cmd = rnd();
			break;
		case 1:		/* our type, random number and size */
			cmd = _IOC(rnd() % 4, 'P', rnd() % 0x50, rnd() % 64);
			break;
		default:	/* one of ours, random contents */
			cmd = (unsigned int[]){ IOCTL_PRIVCMD_PCIDEV_GET_GSI,
				PRIVCMD_GSI_IOCTL_VERSION,
				PRIVCMD_GSI_IOCTL_IRQ_TO_GSI,
				PRIVCMD_GSI_IOCTL_GET_RECORD }[rnd() % 4];
			break;
		}
		ret = ioctl(fd, cmd, rnd() % 8 ? (void *)buf : (void *)rnd());
		if (ret && errno != ENOTTY && errno != EINVAL &&
		    errno != EFAULT && errno != ENOENT && errno != ENODEV)
			odd++;
	}
	tap(odd == 0, "%lu random ioctls, %lu unexpected errors", iterations,
	    odd);

	/* Not root enough: CAP_SYS_ADMIN is required to open. */
	if (fork() == 0) {
		if (setuid(65534))
			_exit(2);
		fd2 = open(NODE, O_RDWR);
		_exit(fd2 < 0 && (errno == EPERM || errno == EACCES) ? 0 : 1);
	}
	wait(&ret);
	tap(WIFEXITED(ret) && WEXITSTATUS(ret) == 0,
	    "an unprivileged open is refused");
	close(fd);
	return 0;
}

static void reader(int id)
{
	static struct dev devs[MAX_DEVS];
	unsigned long ops = 0;
	int n, i, fd;

	n = scan_devices(devs);
	while (!stopped()) {
		/*
		 * sysfs first, without the node open: an open file pins the
		 * module, and the unload must get its chances.
		 */
		for (i = 0; i < n; i++)
			sysfs_gsi(devs[i].bdf);
		fd = open(NODE, O_RDWR);
		for (i = 0; fd >= 0 && i < n; i++) {
			ioctl_get_gsi(fd, devs[i].sbdf);
			ioctl_irq_to_gsi(fd, devs[i].irq);
		}
		if (fd >= 0)
			close(fd);
		ops++;
	}
	printf("# reader %d: %lu rounds\n", id, ops);
	_exit(0);
}

static int cmd_stress(int argc, char **argv)
{
	int i, mfd, loads = 0, unloads = 0, status, bad = 0;
	const char *params;
	unsigned int secs;
	pid_t pids[3];

	if (argc < 2)
		die("stress: MODULE.ko SECONDS [PARAMS]");
	secs = atoi(argv[1]);
	params = argc > 2 ? argv[2] : "";

	deadline = now_ns() + secs * 1000000000ULL;
	for (i = 0; i < 3; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			reader(i);
	}
	while (!stopped()) {
		mfd = open(argv[0], O_RDONLY | O_CLOEXEC);
		if (mfd < 0)
			die("open %s: %s", argv[0], strerror(errno));
		if (!syscall(SYS_finit_module, mfd, params, 0))
			loads++;
		else if (errno != EEXIST)
			bad++;
		close(mfd);
		/* Readers hold the node open now and then: EBUSY is fine. */
		while (!stopped() && syscall(SYS_delete_module, "privcmd_gsi",
					     O_NONBLOCK)) {
			if (errno != EBUSY && errno != EAGAIN) {
				bad++;
				break;
			}
			usleep(1000);
		}
		if (!stopped())
			unloads++;
	}
	for (i = 0; i < 3; i++) {
		waitpid(pids[i], &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			bad++;
	}
	/* Leave it unloaded. */
	while (syscall(SYS_delete_module, "privcmd_gsi", O_NONBLOCK) &&
	       errno != ENOENT)
		usleep(1000);
	tap(bad == 0 && loads > 1 && unloads > 1,
	    "stress: %d loads, %d unloads, %d failures in %u s", loads,
	    unloads, bad, secs);
	return 0;
}

static double bench_file(const char *path, unsigned int iters)
{
	char buf[32];
	uint64_t t0 = now_ns();
	unsigned int i;

	for (i = 0; i < iters; i++)
		if (read_file(path, buf, sizeof(buf)) <= 0)
			die("bench: read %s failed", path);
	return (double)(now_ns() - t0) / iters;
}

static int cmd_bench(int argc, char **argv)
{
	static struct dev devs[MAX_DEVS];
	const unsigned int iters = 20000;
	struct dev *v = NULL;
	char path[256];
	double ioctl_ns, gsi_ns, irq_ns;
	unsigned int i;
	uint64_t t0;
	int n, fd;

	if (argc < 1)
		die("bench: RECORDS");
	n = scan_devices(devs);
	for (i = 0; i < (unsigned int)n; i++)
		if (devs[i].pin && sysfs_gsi(devs[i].bdf) >= 0)
			v = &devs[i];
	if (!v)
		die("bench: no device with a known GSI");
	fd = open_node();
	/* Warm up, then measure each the same number of times. */
	for (i = 0; i < 1000; i++)
		ioctl_get_gsi(fd, v->sbdf);
	t0 = now_ns();
	for (i = 0; i < iters; i++)
		if (ioctl_get_gsi(fd, v->sbdf) < 0)
			die("bench: GET_GSI failed");
	ioctl_ns = (double)(now_ns() - t0) / iters;
	snprintf(path, sizeof(path), PCI_DEVICES "/%s/gsi", v->bdf);
	gsi_ns = bench_file(path, iters);
	snprintf(path, sizeof(path), PCI_DEVICES "/%s/irq", v->bdf);
	irq_ns = bench_file(path, iters);
	close(fd);
	printf("DATA bench records=%s device=%s ioctl_ns=%.0f gsi_file_ns=%.0f irq_file_ns=%.0f\n",
	       argv[0], v->bdf, ioctl_ns, gsi_ns, irq_ns);
	tap(ioctl_ns > 0 && gsi_ns > 0 && irq_ns > 0,
	    "bench with %s records: the three lookups timed", argv[0]);
	return 0;
}

/* ns per call of @cmd on @fd with @arg, the best of @rounds rounds. */
static double bench_ioctl(int fd, unsigned long cmd, void *arg,
			  unsigned int iters, bool want_ok)
{
	uint64_t t0 = now_ns();
	unsigned int i;

	for (i = 0; i < iters; i++)
		if ((ioctl(fd, cmd, arg) < 0) == want_ok)
			die("bench: ioctl %#lx: %s", cmd, strerror(errno));
	return (double)(now_ns() - t0) / iters;
}

/*
 * gsi-check bench-privcmd MODULE BDF (a PVH dom0, BDF on pciback): the
 * cost of privcmd's own IOCTL_PRIVCMD_HYPERCALL (xen_version) without
 * and with privcmd-gsi's redirect in place, alternating five times, and
 * of GET_GSI on /dev/xen/privcmd against /dev/xen/privcmd-gsi.
 */
static int cmd_bench_privcmd(int argc, char **argv)
{
	const unsigned int iters = 20000, rounds = 5;
	struct privcmd_hypercall hc = { .op = HYPERVISOR_XEN_VERSION };
	struct privcmd_pcidev_get_gsi arg = {};
	double without = 1e30, with = 1e30, on_privcmd = 1e30, on_node = 1e30, t;
	unsigned int r;
	int pfd, nfd, mfd;

	if (argc != 2 || !parse_bdf(argv[1], &arg.sbdf))
		die("usage: gsi-check bench-privcmd MODULE BDF");
	pfd = open(PRIVCMD, O_RDWR | O_CLOEXEC);
	if (pfd < 0)
		die("open %s: %s", PRIVCMD, strerror(errno));
	bench_ioctl(pfd, IOCTL_PRIVCMD_HYPERCALL, &hc, 1000, true);
	for (r = 0; r < rounds; r++) {
		t = bench_ioctl(pfd, IOCTL_PRIVCMD_HYPERCALL, &hc, iters, true);
		without = t < without ? t : without;

		mfd = open(argv[0], O_RDONLY | O_CLOEXEC);
		if (mfd < 0 || syscall(SYS_finit_module, mfd, "", 0))
			die("bench: load %s: %s", argv[0], strerror(errno));
		close(mfd);
		t = bench_ioctl(pfd, IOCTL_PRIVCMD_HYPERCALL, &hc, iters, true);
		with = t < with ? t : with;
		t = bench_ioctl(pfd, IOCTL_PRIVCMD_PCIDEV_GET_GSI, &arg, iters,
				true);
		on_privcmd = t < on_privcmd ? t : on_privcmd;
		nfd = open_node();
		t = bench_ioctl(nfd, IOCTL_PRIVCMD_PCIDEV_GET_GSI, &arg, iters,
				true);
		on_node = t < on_node ? t : on_node;
		close(nfd);
		while (syscall(SYS_delete_module, "privcmd_gsi", O_NONBLOCK))
			if (errno != EBUSY && errno != EAGAIN)
				die("bench: unload: %s", strerror(errno));
	}
	close(pfd);
	printf("DATA bench-privcmd device=%s hypercall_without_ns=%.0f hypercall_with_ns=%.0f get_gsi_privcmd_ns=%.0f get_gsi_node_ns=%.0f\n",
	       argv[1], without, with, on_privcmd, on_node);
	tap(without > 0 && with > 0 && on_privcmd > 0 && on_node > 0 &&
	    without < 1e30 && with < 1e30 && on_privcmd < 1e30 && on_node < 1e30,
	    "privcmd benchmark, best of %u rounds of %u calls: the four timed",
	    rounds, iters);
	return 0;
}

#define UPSTREAM_NODE	PRIVCMD

static void print_answer(const char *who, const char *bdf, long v)
{
	if (v >= 0)
		printf("DATA answer %s %s %ld\n", who, bdf, v);
	else
		printf("DATA answer %s %s %s\n", who, bdf, errno_name(v));
}

/*
 * Our answers before, on and after pciback must be the same: pciback
 * disables the device when it binds, which unregisters the GSI's irq.
 */
static void pciback_ours(int fd, int pfd, struct dev *v)
{
	long file0, ioctl0, file, got, priv;
	char orig[64], drv[64];
	int ret;

	snprintf(orig, sizeof(orig), "%s", v->driver);
	file0 = sysfs_gsi(v->bdf);
	ioctl0 = ioctl_get_gsi(fd, v->sbdf);
	if (v->pin)
		tap(file0 == ioctl0, "%s: gsi file %ld and GET_GSI %ld agree",
		    v->bdf, file0, ioctl0);
	else
		tap(file0 == -ENODEV && ioctl0 == -ENOENT,
		    "%s: no pin: no gsi file, GET_GSI ENOENT", v->bdf);

	if (pfd >= 0) {
		priv = ioctl_get_gsi(pfd, v->sbdf);
		tap(priv == -ENODEV,
		    "%s: /dev/xen/privcmd, not on pciback: ENODEV (%s)",
		    v->bdf, errno_name(priv));
	}

	ret = bind_pciback(v->bdf, orig);
	current_driver(v->bdf, drv, sizeof(drv));
	tap(!ret && !strcmp(drv, "pciback"), "%s: bound to pciback (%s)",
	    v->bdf, ret ? strerror(-ret) : drv);
	file = sysfs_gsi(v->bdf);
	got = ioctl_get_gsi(fd, v->sbdf);
	tap(file == file0 && got == ioctl0,
	    "%s: on pciback, gsi file %ld and GET_GSI %ld unchanged", v->bdf,
	    file, got);
	print_answer("xenpt", v->bdf, got);
	if (pfd >= 0) {
		/* privcmd's answer: the same GSI, ENOENT only for no pin. */
		priv = ioctl_get_gsi(pfd, v->sbdf);
		tap(priv == got && (v->pin ? priv >= 0 : priv == -ENOENT) &&
		    (!v->truth.seen || priv == v->truth.gsi),
		    "%s: /dev/xen/privcmd on pciback: %ld%s%s (node %ld)",
		    v->bdf, priv, priv < 0 ? " " : "",
		    priv < 0 ? errno_name(priv) : "", got);
		print_answer("privcmd", v->bdf, priv);
	}

	ret = unbind_pciback(v->bdf, orig);
	current_driver(v->bdf, drv, sizeof(drv));
	tap(!ret && !strcmp(drv, orig), "%s: back on its driver '%s' (%s)",
	    v->bdf, orig, ret ? strerror(-ret) : drv);
	file = sysfs_gsi(v->bdf);
	got = ioctl_get_gsi(fd, v->sbdf);
	tap(file == file0 && got == ioctl0,
	    "%s: after pciback, gsi file %ld and GET_GSI %ld unchanged",
	    v->bdf, file, got);
}

/* Xen's version from sysfs, as major * 100 + minor; 0 if unknown. */
static int xen_version(void)
{
	char buf[16];
	int major, minor;

	if (read_file("/sys/hypervisor/version/major", buf, sizeof(buf)) <= 0)
		return 0;
	major = atoi(buf);
	if (read_file("/sys/hypervisor/version/minor", buf, sizeof(buf)) <= 0)
		return 0;
	minor = atoi(buf);
	return major * 100 + minor;
}

/*
 * What Linux >= 6.12 answers: only for devices bound to pciback.  Its
 * pciback refuses devices without a pin on a PVH dom0 (EINVAL), and every
 * device on Xen < 4.20, which lacks PHYSDEVOP_setup_gsi (ENOSYS).
 */
static void pciback_upstream(int fd, struct dev *v)
{
	int xen = xen_version(), want = 0;
	char orig[64], drv[64];
	long got;
	int ret;

	if (xen && xen < 420)
		want = -ENOSYS;
	else if (!v->pin)
		want = -EINVAL;

	snprintf(orig, sizeof(orig), "%s", v->driver);
	got = ioctl_get_gsi(fd, v->sbdf);
	tap(got == -ENODEV, "%s: upstream, not on pciback: ENODEV (%ld)",
	    v->bdf, got);
	ret = bind_pciback(v->bdf, orig);
	current_driver(v->bdf, drv, sizeof(drv));
	if (!ret && strcmp(drv, "pciback"))
		ret = -ENODEV;
	tap(ret == want, "%s: upstream pciback bind on Xen %d.%d: %s (want %s)",
	    v->bdf, xen / 100, xen % 100, ret ? strerror(-ret) : "bound",
	    want ? strerror(-want) : "bound");
	if (ret) {
		print_answer("upstream-bind", v->bdf, ret);
	} else {
		got = ioctl_get_gsi(fd, v->sbdf);
		print_answer("upstream", v->bdf, got);
		tap(got >= 0 && v->truth.seen && got == v->truth.gsi,
		    "%s: upstream GET_GSI on pciback %ld == kernel GSI %u",
		    v->bdf, got, v->truth.gsi);
	}
	ret = unbind_pciback(v->bdf, orig);
	current_driver(v->bdf, drv, sizeof(drv));
	tap(!ret && !strcmp(drv, orig), "%s: back on its driver '%s'", v->bdf,
	    orig);
}

static int cmd_pciback(int argc, char **argv)
{
	static struct dev devs[MAX_DEVS];
	bool upstream = argc && !strcmp(argv[0], "--upstream");
	bool privcmd = argc && !strcmp(argv[0], "--privcmd");
	struct dev *v;
	int i, n, fd, pfd = -1;

	if (upstream || privcmd) {
		argc--;
		argv++;
	}
	if (privcmd) {
		pfd = open(UPSTREAM_NODE, O_RDWR | O_CLOEXEC);
		if (pfd < 0)
			die("open %s: %s", UPSTREAM_NODE, strerror(errno));
	}
	n = scan_devices(devs);
	read_truth(devs, n);
	fd = open(upstream ? UPSTREAM_NODE : NODE, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die("open %s: %s", upstream ? UPSTREAM_NODE : NODE,
		    strerror(errno));
	for (i = 0; i < argc; i++) {
		v = find_dev(devs, n, argv[i]);
		if (!v)
			die("pciback: no device %s", argv[i]);
		if (upstream)
			pciback_upstream(fd, v);
		else
			pciback_ours(fd, pfd, v);
	}
	close(fd);
	if (pfd >= 0)
		close(pfd);
	return 0;
}

/* One line of /sys/bus/pci/devices/BDF/xenpt/NAME, or "-ERRNO". */
static void xenpt_attr(const char *bdf, const char *name, char *buf, size_t len)
{
	char path[256];
	int ret;

	snprintf(path, sizeof(path), PCI_DEVICES "/%s/xenpt/%s", bdf, name);
	ret = read_file(path, buf, len);
	if (ret < 0)
		snprintf(buf, len, "%s", errno_name(ret));
	buf[strcspn(buf, "\n")] = '\0';
}

/*
 * gsi-check pciback-ext --xen 4.17|4.20 BDF...: pciback-ext's state of each
 * device on pciback against the kernel's own GSI line (printed when
 * pciback enabled the device) and what each Xen version answers.
 */
static int cmd_pciback_ext(int argc, char **argv)
{
	static struct dev devs[MAX_DEVS];
	char gsi[32], trig[32], pol[32], src[32], setup[64], reset[64], n[32];
	bool xen420;
	struct dev *v;
	int i, nd;

	if (argc < 3 || strcmp(argv[0], "--xen"))
		die("usage: gsi-check pciback-ext --xen VERSION BDF...");
	xen420 = !strcmp(argv[1], "4.20");
	nd = scan_devices(devs);
	read_truth(devs, nd);
	for (i = 2; i < argc; i++) {
		v = find_dev(devs, nd, argv[i]);
		if (!v)
			die("pciback-ext: no device %s", argv[i]);
		xenpt_attr(v->bdf, "gsi", gsi, sizeof(gsi));
		xenpt_attr(v->bdf, "trigger", trig, sizeof(trig));
		xenpt_attr(v->bdf, "polarity", pol, sizeof(pol));
		xenpt_attr(v->bdf, "gsi_source", src, sizeof(src));
		xenpt_attr(v->bdf, "setup_gsi", setup, sizeof(setup));
		xenpt_attr(v->bdf, "reset_notify", reset, sizeof(reset));
		xenpt_attr(v->bdf, "resets", n, sizeof(n));
		printf("# %s: gsi %s %s %s (%s), setup_gsi %s, reset %s x%s\n",
		       v->bdf, gsi, trig, pol, src, setup, reset, n);
		printf("DATA pciback-ext %s %s %s %s %s %s\n", v->bdf, gsi, trig,
		       pol, setup, reset);
		tap(!strcmp(v->driver, "pciback"), "%s: on pciback (%s)", v->bdf,
		    v->driver);
		if (!v->pin) {
			tap(!strcmp(gsi, "ENOENT") && !strcmp(src, "none"),
			    "%s: no pin: gsi ENOENT (%s)", v->bdf, gsi);
			tap(!strcmp(setup, "no-pin -2"),
			    "%s: no pin: nothing to set up (%s)", v->bdf, setup);
		} else {
			tap(v->truth.seen && atoi(gsi) == (int)v->truth.gsi &&
			    !strcmp(trig, v->truth.level ? "level" : "edge") &&
			    !strcmp(pol, v->truth.low ? "low" : "high"),
			    "%s: GSI %s %s %s == kernel's %u %s %s", v->bdf,
			    gsi, trig, pol, v->truth.gsi,
			    v->truth.level ? "level" : "edge",
			    v->truth.low ? "low" : "high");
			if (xen420)
				tap(!strcmp(setup, "done 0") ||
				    !strcmp(setup, "already -17"),
				    "%s: Xen 4.20 took PHYSDEVOP_setup_gsi (%s)",
				    v->bdf, setup);
			else
				tap(!strcmp(setup, "unsupported -38"),
				    "%s: Xen 4.17 lacks PHYSDEVOP_setup_gsi: ENOSYS (%s)",
				    v->bdf, setup);
		}
		if (xen420)
			tap(!strcmp(reset, "done 0") && atoi(n) >= 1,
			    "%s: Xen 4.20 was told of %s resets (%s)", v->bdf,
			    n, reset);
		else
			tap(!strcmp(reset, "unsupported -38") && atoi(n) == 0,
			    "%s: Xen 4.17 lacks PHYSDEVOP_pci_device_reset (%s)",
			    v->bdf, reset);
	}
	return 0;
}

/* gsi-check ask NODE BDF WANT: one answer of NODE, a GSI or an errno name. */
static int cmd_ask(int argc, char **argv)
{
	uint32_t sbdf;
	char got[32];
	long v;
	int fd;

	if (argc != 3 || !parse_bdf(argv[1], &sbdf))
		die("usage: gsi-check ask NODE BDF GSI|ERRNO");
	fd = open(argv[0], O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die("open %s: %s", argv[0], strerror(errno));
	v = ioctl_get_gsi(fd, sbdf);
	close(fd);
	if (v >= 0)
		snprintf(got, sizeof(got), "%ld", v);
	else
		snprintf(got, sizeof(got), "%s", errno_name(v));
	tap(!strcmp(got, argv[2]), "%s says %s for %s (want %s)", argv[0], got,
	    argv[1], argv[2]);
	return 0;
}

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
static int cmd_table(void)
{
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

int main(int argc, char **argv)
{
	if (argc < 2)
		die("usage: gsi-check expect|unbound|absent|fuzz|stress|bench|pciback|table ...");
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(argv[1], "expect"))
		cmd_expect(argc - 2, argv + 2);
	else if (!strcmp(argv[1], "unbound"))
		cmd_unbound(argc - 2, argv + 2);
	else if (!strcmp(argv[1], "absent"))
		cmd_absent();
	else if (!strcmp(argv[1], "fuzz"))
		cmd_fuzz(argc - 2, argv + 2);
	else if (!strcmp(argv[1], "stress"))
		cmd_stress(argc - 2, argv + 2);
	else if (!strcmp(argv[1], "bench"))
		cmd_bench(argc - 2, argv + 2);
	else if (!strcmp(argv[1], "pciback"))
		cmd_pciback(argc - 2, argv + 2);
	else if (!strcmp(argv[1], "table"))
		cmd_table();
	else if (!strcmp(argv[1], "bench-privcmd"))
		cmd_bench_privcmd(argc - 2, argv + 2);
	else if (!strcmp(argv[1], "ask"))
		cmd_ask(argc - 2, argv + 2);
	else if (!strcmp(argv[1], "pciback-ext"))
		cmd_pciback_ext(argc - 2, argv + 2);
	else
		die("unknown command %s", argv[1]);
	return tap_failed ? 1 : 0;
}
