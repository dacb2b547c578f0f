// SPDX-License-Identifier: GPL-2.0
/*
 * gsi-check: the answers against the truth: privcmd-gsi against the
 * kernel's own lines, privcmd against upstream 6.12, pciback-ext's state.
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

/* expect --unknown-ok: how many answered "unknown" */
static int unknowns;

static void expect_device(int fd, const struct dev *v, int want_source,
			  const char *source_driver, bool irq_ne_gsi,
			  bool unknown_ok)
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
	if (unknown_ok && file == -ENODATA) {
		/*
		 * Links with several choices: where Linux's choice is not
		 * certain, "unknown" everywhere is the right answer (the one
		 * Linux registers, or unknown; never another GSI).
		 */
		unknowns++;
		tap(got == -ENODATA && ioctl_get_record(fd, v->sbdf, &rec) == -ENODATA,
		    "%s: unknown (several choices), GET_GSI %ld and GET_RECORD agree",
		    v->bdf, got);
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
				      PRIVCMD_GSI_POLARITY_HIGH) ||
	    (unknown_ok && rec.source == PRIVCMD_GSI_SOURCE_RECOVERED &&
	     rec.polarity == PRIVCMD_GSI_POLARITY_UNKNOWN),
	    "%s: polarity %u (%s) matches kernel's %s%s", v->bdf, rec.polarity,
	    source_name(rec.source), t->low ? "low" : "high",
	    unknown_ok ? " (or, recovered, unknown)" : "");

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
	bool irq_ne_gsi = false, unknown_ok = false;

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
		} else if (!strcmp(argv[i], "--unknown-ok")) {
			unknown_ok = true;
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
			      irq_ne_gsi, unknown_ok);
	}
	if (unknown_ok)
		printf("# %d devices unknown (links with several choices)\n", unknowns);
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

static int cmd_absent_args(int argc, char **argv)
{
	(void)argc;
	(void)argv;
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
			/*
			 * dom0 bound the GSI first, so setup_gsi found it
			 * registered: -EEXIST.
			 */
			if (xen420)
				tap(!strcmp(setup, "done -17"),
				    "%s: dom0 bound the GSI, Xen 4.20's setup_gsi confirms it (%s)",
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

const struct gsi_cmd gsi_oracle_cmds[] = {
	{ "expect", cmd_expect,
	  "[--source registered|recovered|acpi DRIVER|none] [--irq-ne-gsi] [--unknown-ok] [--min-devices N]: every device's answers == the kernel's lines (--unknown-ok: or unknown, never another)" },
	{ "unbound", cmd_unbound, "BDF...: GSIs of devices whose driver let go" },
	{ "absent", cmd_absent_args, ": module unloaded: no files, no node" },
	{ "pciback", cmd_pciback,
	  "[--upstream|--privcmd] BDF...: bind each to pciback and back; the answers must not change (--upstream: Linux >= 6.12's /dev/xen/privcmd; --privcmd: privcmd-gsi's answer there too)" },
	{ "ask", cmd_ask, "NODE BDF WANT: NODE's GET_GSI answer for BDF is WANT (a GSI or an errno name)" },
	{ "pciback-ext", cmd_pciback_ext, "--xen 4.17|4.20 BDF...: pciback-ext's state of devices on pciback" },
	{}
};
