// SPDX-License-Identifier: GPL-2.0
/*
 * xen-stress: xenpt's modules under load in a PVH dom0 (the debug kernel
 * variant that boots under Xen).
 *
 *   xen-stress privcmd MODULE.ko LOADS BDF GSI
 *       three processes issue privcmd ioctls on /dev/xen/privcmd while
 *       MODULE (privcmd-gsi) is loaded and unloaded LOADS times: every
 *       IOCTL_PRIVCMD_PCIDEV_GET_GSI for BDF (on pciback) answers GSI
 *       (hooked) or ENOTTY (not), every IOCTL_PRIVCMD_HYPERCALL of
 *       xen_version answers Xen's version, every unknown command ENOTTY:
 *       no call lost, none answered by the wrong code
 *   xen-stress churn PRIVCMD_GSI.ko PCIBACK_EXT.ko ROUNDS BDF...
 *       both modules loaded and unloaded ROUNDS times, in the four
 *       orders in turn, while one process moves the devices to pciback
 *       and back and another reads their sysfs files
 *   xen-stress hotplug PCIBACK_EXT.ko ROUNDS BDF
 *       pciback-ext unloaded ROUNDS times while BDF, on pciback, is
 *       hot-removed (its sysfs remove file) at a random moment; rescanned
 *       and put back on pciback each round: the device's xenpt/ group
 *       must go before the device leaves sysfs, and no record of it stay
 *   xen-stress fuzz ITERATIONS
 *       random ioctls, half on /dev/xen/privcmd (commands near
 *       0x0008500a, never privcmd's own commands 0-7), half on
 *       /dev/xen/privcmd-gsi: only the errnos each can answer
 *
 * TAP lines on stdout; the host judges the console for splats and leaks.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xen/privcmd-gsi.h>

#include "guest.h"

#define NODE		"/dev/" PRIVCMD_GSI_DEVICE_NAME

/* Counters the worker processes share with the main one. */
struct counts {
	volatile int stop;
	long hooked, native, wrong_gsi, hypercalls, wrong_hypercall;
	long unknown_ok, wrong_unknown, binds, bind_errors, reads;
	int last_wrong_errno;
};

static struct counts *shared(void)
{
	struct counts *c = mmap(NULL, sizeof(*c), PROT_READ | PROT_WRITE,
				MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (c == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	memset(c, 0, sizeof(*c));
	return c;
}

static int load(const char *ko)
{
	int fd = open(ko, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return ret;
}

/* Unloads @name, waiting while callers hold it (EBUSY). */
static int unload(const char *name)
{
	int tries;

	for (tries = 0; tries < 20000; tries++) {
		if (!syscall(SYS_delete_module, name, O_NONBLOCK))
			return 0;
		if (errno != EBUSY && errno != EAGAIN)
			return -errno;
		usleep(500);
	}
	return -EBUSY;
}

static void privcmd_worker(struct counts *c, uint32_t sbdf, long gsi)
{
	struct privcmd_pcidev_get_gsi arg;
	struct privcmd_hypercall hc = { .op = HYPERVISOR_XEN_VERSION };
	int fd = open(PRIVCMD, O_RDWR | O_CLOEXEC);
	long ret;

	if (fd < 0)
		_exit(1);
	while (!c->stop) {
		arg = (struct privcmd_pcidev_get_gsi){ .sbdf = sbdf };
		ret = ioctl(fd, IOCTL_PRIVCMD_PCIDEV_GET_GSI, &arg);
		if (!ret && arg.gsi == gsi) {
			__atomic_add_fetch(&c->hooked, 1, __ATOMIC_RELAXED);
		} else if (ret && errno == ENOTTY) {
			__atomic_add_fetch(&c->native, 1, __ATOMIC_RELAXED);
		} else {
			__atomic_add_fetch(&c->wrong_gsi, 1, __ATOMIC_RELAXED);
			c->last_wrong_errno = ret ? errno : -1;
		}
		/* XENVER_version: major << 16 | minor. */
		ret = ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &hc);
		if (ret >= 0x40000)
			__atomic_add_fetch(&c->hypercalls, 1, __ATOMIC_RELAXED);
		else
			__atomic_add_fetch(&c->wrong_hypercall, 1, __ATOMIC_RELAXED);
		ret = ioctl(fd, _IOC(_IOC_NONE, 'P', 15, 0), NULL);
		if (ret == -1 && errno == ENOTTY)
			__atomic_add_fetch(&c->unknown_ok, 1, __ATOMIC_RELAXED);
		else
			__atomic_add_fetch(&c->wrong_unknown, 1, __ATOMIC_RELAXED);
	}
	close(fd);
	_exit(0);
}

static int wait_all(pid_t *pids, int n)
{
	int i, status, bad = 0;

	for (i = 0; i < n; i++) {
		if (waitpid(pids[i], &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			bad++;
	}
	return bad;
}

static int cmd_privcmd(int argc, char **argv)
{
	struct counts *c = shared();
	int i, loads, done = 0, failures = 0, ret;
	uint32_t sbdf;
	pid_t pids[3];
	long gsi;

	if (argc != 4 || !parse_bdf(argv[2], &sbdf))
		die("usage: xen-stress privcmd MODULE.ko LOADS BDF GSI");
	loads = atoi(argv[1]);
	gsi = atol(argv[3]);
	for (i = 0; i < 3; i++) {
		pids[i] = fork();
		if (!pids[i])
			privcmd_worker(c, sbdf, gsi);
	}
	for (i = 0; i < loads; i++) {
		ret = load(argv[0]);
		if (!ret) {
			usleep(20000);
			ret = unload("privcmd_gsi");
		}
		if (ret) {
			failures++;
			printf("# round %d: %s\n", i, strerror(-ret));
		} else {
			done++;
		}
		usleep(10000);
	}
	c->stop = 1;
	failures += wait_all(pids, 3);
	tap(done == loads && !failures,
	    "privcmd-gsi loaded and unloaded %d of %d times, %d failures", done,
	    loads, failures);
	tap(!c->wrong_gsi && c->hooked && c->native,
	    "GET_GSI on privcmd: %ld by xenpt (GSI %ld), %ld ENOTTY by privcmd, %ld wrong (last errno %d)",
	    c->hooked, gsi, c->native, c->wrong_gsi, c->last_wrong_errno);
	tap(!c->wrong_hypercall && c->hypercalls,
	    "IOCTL_PRIVCMD_HYPERCALL: %ld answered by privcmd, %ld wrong",
	    c->hypercalls, c->wrong_hypercall);
	tap(!c->wrong_unknown && c->unknown_ok,
	    "unknown privcmd command: %ld ENOTTY, %ld otherwise", c->unknown_ok,
	    c->wrong_unknown);
	return 0;
}

static void binder(struct counts *c, int n, char **bdfs)
{
	char orig[64];
	int i;

	while (!c->stop) {
		for (i = 0; i < n && !c->stop; i++) {
			current_driver(bdfs[i], orig, sizeof(orig));
			if (!strcmp(orig, "pciback"))
				orig[0] = '\0';
			if (bind_pciback(bdfs[i], orig) ||
			    unbind_pciback(bdfs[i], orig))
				__atomic_add_fetch(&c->bind_errors, 1,
						   __ATOMIC_RELAXED);
			__atomic_add_fetch(&c->binds, 1, __ATOMIC_RELAXED);
		}
	}
	_exit(0);
}

/* Reads every gsi and xenpt/ file; they come and go, errors are fine. */
static void sysfs_reader(struct counts *c)
{
	static const char * const names[] = {
		"gsi", "xenpt/gsi", "xenpt/trigger", "xenpt/polarity",
		"xenpt/gsi_source", "xenpt/setup_gsi", "xenpt/reset_notify",
		"xenpt/resets",
	};
	char path[512], buf[64];
	struct dirent *de;
	unsigned int i;
	DIR *d;

	while (!c->stop) {
		d = opendir(PCI_DEVICES);
		if (!d)
			_exit(1);
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
				snprintf(path, sizeof(path), PCI_DEVICES "/%s/%s",
					 de->d_name, names[i]);
				read_file(path, buf, sizeof(buf));
			}
		}
		closedir(d);
		__atomic_add_fetch(&c->reads, 1, __ATOMIC_RELAXED);
	}
	_exit(0);
}

static int cmd_churn(int argc, char **argv)
{
	/* The four orders: load A B, unload B A / A B. */
	static const char orders[4][4] = {
		{ 'g', 'p', 'P', 'G' }, { 'p', 'g', 'G', 'P' },
		{ 'g', 'p', 'G', 'P' }, { 'p', 'g', 'P', 'G' },
	};
	struct counts *c = shared();
	int i, j, rounds, failures = 0, ret = 0;
	pid_t pids[2];

	if (argc < 4)
		die("usage: xen-stress churn PRIVCMD_GSI.ko PCIBACK_EXT.ko ROUNDS BDF...");
	rounds = atoi(argv[2]);
	pids[0] = fork();
	if (!pids[0])
		binder(c, argc - 3, argv + 3);
	pids[1] = fork();
	if (!pids[1])
		sysfs_reader(c);
	for (i = 0; i < rounds; i++) {
		for (j = 0; j < 4; j++) {
			switch (orders[i % 4][j]) {
			case 'g': ret = load(argv[0]); break;
			case 'p': ret = load(argv[1]); break;
			case 'G': ret = unload("privcmd_gsi"); break;
			case 'P': ret = unload("pciback_ext"); break;
			}
			if (ret) {
				failures++;
				printf("# round %d step %c: %s\n", i,
				       orders[i % 4][j], strerror(-ret));
			}
			usleep(30000);
		}
	}
	c->stop = 1;
	failures += wait_all(pids, 2);
	tap(!failures, "%d rounds of loads and unloads in four orders, %d failures",
	    rounds, failures);
	tap(c->binds > 0 && !c->bind_errors,
	    "meanwhile %ld moves to pciback and back, %ld failed", c->binds,
	    c->bind_errors);
	tap(c->reads > 0, "meanwhile %ld rounds of sysfs reads", c->reads);
	return 0;
}

static int cmd_hotplug(int argc, char **argv)
{
	char path[256], drv[64];
	int i, n, rounds, failures = 0, gone = 0, ret;
	pid_t pid;

	if (argc != 3)
		die("usage: xen-stress hotplug PCIBACK_EXT.ko ROUNDS BDF");
	rounds = atoi(argv[1]);
	snprintf(path, sizeof(path), PCI_DEVICES "/%s", argv[2]);
	for (i = 0; i < rounds; i++) {
		current_driver(argv[2], drv, sizeof(drv));
		if (strcmp(drv, "pciback") && bind_pciback(argv[2], drv)) {
			failures++;
			printf("# round %d: %s not put on pciback\n", i, argv[2]);
			break;
		}
		ret = load(argv[0]);
		if (ret) {
			failures++;
			printf("# round %d: load: %s\n", i, strerror(-ret));
			break;
		}
		pid = fork();
		if (!pid) {
			char remove[300];

			usleep(rnd() % 40000);
			snprintf(remove, sizeof(remove), "%s/remove", path);
			_exit(write_file(remove, "1") ? 1 : 0);
		}
		usleep(rnd() % 40000);
		ret = unload("pciback_ext");
		if (ret) {
			failures++;
			printf("# round %d: unload: %s\n", i, strerror(-ret));
		}
		failures += wait_all(&pid, 1);
		gone += access(path, F_OK) != 0;
		write_file("/sys/bus/pci/rescan", "1");
		for (n = 0; n < 50 && access(path, F_OK); n++)
			usleep(100000);
		if (access(path, F_OK)) {
			failures++;
			printf("# round %d: %s did not come back\n", i, argv[2]);
			break;
		}
	}
	tap(!failures && i == rounds,
	    "%d rounds of pciback-ext unloading while %s, on pciback, is hot-removed: %d failures",
	    i, argv[2], failures);
	tap(gone == i, "the device was gone after %d of %d removals", gone, i);
	return 0;
}

/* A random argument: NULL, small, kernel, unmapped, or a real buffer. */
static void *fuzz_arg(char *buf, size_t len)
{
	size_t i;

	switch (rnd() % 5) {
	case 0: return NULL;
	case 1: return (void *)1;
	case 2: return (void *)0xffff888000000000ULL;
	case 3: return (void *)0x7ff000000000ULL;
	default:
		for (i = 0; i < len; i++)
			buf[i] = rnd();
		/* Now and then a device that exists. */
		if (rnd() % 2)
			*(uint32_t *)buf = PRIVCMD_GSI_SBDF(0, 0, rnd() % 8, 0);
		return buf;
	}
}

static bool privcmd_errno_ok(unsigned int cmd, int ret, int err)
{
	if (cmd != IOCTL_PRIVCMD_PCIDEV_GET_GSI)
		return ret == -1 && err == ENOTTY;
	return !ret || err == EFAULT || err == ENODEV || err == EOPNOTSUPP ||
	       err == ENOENT || err == ENODATA;
}

static bool node_errno_ok(int ret, int err)
{
	return !ret || err == ENOTTY || err == EINVAL || err == EFAULT ||
	       err == ENODEV || err == ENOENT || err == ENODATA || err == E2BIG;
}

static int cmd_fuzz(int argc, char **argv)
{
	static const unsigned int node_nrs[] = { 10, 0x40, 0x41, 0x42, 0x43, 0x44 };
	long i, n, bad = 0, privcmd_calls = 0, node_calls = 0;
	static char buf[4096];
	unsigned int cmd, nr, size, dir;
	int pfd, nfd, ret;

	if (argc != 1)
		die("usage: xen-stress fuzz ITERATIONS");
	n = atol(argv[0]);
	pfd = open(PRIVCMD, O_RDWR | O_CLOEXEC);
	nfd = open(NODE, O_RDWR | O_CLOEXEC);
	if (pfd < 0 || nfd < 0)
		die("open %s and %s: %s", PRIVCMD, NODE, strerror(errno));
	for (i = 0; i < n; i++) {
		dir = rnd() % 4;
		size = rnd() % 64;
		if (i % 2) {
			/* Near GET_GSI, never privcmd's own 0-7. */
			nr = 8 + rnd() % 8;
			cmd = rnd() % 4 ? _IOC(dir, 'P', nr, size) :
					  IOCTL_PRIVCMD_PCIDEV_GET_GSI;
			ret = ioctl(pfd, cmd, fuzz_arg(buf, sizeof(buf)));
			privcmd_calls++;
			if (!privcmd_errno_ok(cmd, ret, errno)) {
				if (bad++ < 5)
					printf("# privcmd cmd %#x: %d %s\n", cmd,
					       ret, strerror(errno));
			}
		} else {
			nr = node_nrs[rnd() % 6];
			cmd = rnd() % 2 ? _IOC(dir, 'P', nr, size) :
			      (unsigned int)rnd();
			ret = ioctl(nfd, cmd, fuzz_arg(buf, sizeof(buf)));
			node_calls++;
			if (!node_errno_ok(ret, errno)) {
				if (bad++ < 5)
					printf("# node cmd %#x: %d %s\n", cmd,
					       ret, strerror(errno));
			}
		}
	}
	close(pfd);
	close(nfd);
	tap(!bad, "%ld random ioctls on privcmd and %ld on privcmd-gsi: %ld unexpected answers",
	    privcmd_calls, node_calls, bad);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 2 && !strcmp(argv[1], "privcmd"))
		cmd_privcmd(argc - 2, argv + 2);
	else if (argc >= 2 && !strcmp(argv[1], "churn"))
		cmd_churn(argc - 2, argv + 2);
	else if (argc >= 2 && !strcmp(argv[1], "hotplug"))
		cmd_hotplug(argc - 2, argv + 2);
	else if (argc >= 2 && !strcmp(argv[1], "fuzz"))
		cmd_fuzz(argc - 2, argv + 2);
	else
		die("usage: xen-stress privcmd|churn|hotplug|fuzz ...");
	return tap_failed ? 1 : 0;
}
