// SPDX-License-Identifier: GPL-2.0
/*
 * gsi-check: benchmarks (make bench): ns per lookup, and privcmd's cost.
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
 * of GET_GSI on /dev/xen/privcmd against /dev/xen/privcmd-gsi, and of
 * a null ioctl on /dev/xen/privcmd-gsi (VERSION: copy out two words), the
 * floor both GET_GSI are measured against.
 */
static int cmd_bench_privcmd(int argc, char **argv)
{
	const unsigned int iters = 20000, rounds = 5;
	struct privcmd_hypercall hc = { .op = HYPERVISOR_XEN_VERSION };
	struct privcmd_pcidev_get_gsi arg = {};
	double without = 1e30, with = 1e30, on_privcmd = 1e30, on_node = 1e30;
	double null_node = 1e30, t;
	struct privcmd_gsi_version ver;
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
		t = bench_ioctl(nfd, PRIVCMD_GSI_IOCTL_VERSION, &ver, iters, true);
		null_node = t < null_node ? t : null_node;
		close(nfd);
		while (syscall(SYS_delete_module, "privcmd_gsi", O_NONBLOCK))
			if (errno != EBUSY && errno != EAGAIN)
				die("bench: unload: %s", strerror(errno));
	}
	close(pfd);
	printf("DATA bench-privcmd device=%s hypercall_without_ns=%.0f hypercall_with_ns=%.0f get_gsi_privcmd_ns=%.0f get_gsi_node_ns=%.0f null_node_ns=%.0f\n",
	       argv[1], without, with, on_privcmd, on_node, null_node);
	tap(without > 0 && with > 0 && on_privcmd > 0 && on_node > 0 &&
	    null_node > 0 && without < 1e30 && with < 1e30 &&
	    on_privcmd < 1e30 && on_node < 1e30 && null_node < 1e30,
	    "privcmd benchmark, best of %u rounds of %u calls: the five timed",
	    rounds, iters);
	return 0;
}


const struct gsi_cmd gsi_bench_cmds[] = {
	{ "bench", cmd_bench, "RECORDS: ns per lookup, three ways" },
	{ "bench-privcmd", cmd_bench_privcmd,
	  "MODULE BDF: privcmd's cost with and without the redirect, GET_GSI there and on the node, against a null ioctl" },
	{}
};
