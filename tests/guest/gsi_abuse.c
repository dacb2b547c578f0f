// SPDX-License-Identifier: GPL-2.0
/*
 * gsi-check: abuse: bad and random ioctls, readers while the module comes
 * and goes.
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

#define MAX_CMDS	64

/*
 * The node's commands, found by asking it rather than copied from its
 * table: every 'P' number it does not answer ENOTTY for is one of its
 * commands; its exact encoding (direction, size) is the one a NULL
 * argument gets EFAULT for, every other one EINVAL.
 */
static unsigned int discover_cmds(int fd, unsigned int *cmds)
{
	unsigned int nr, dir, size, n = 0;

	for (nr = 0; nr < 0x100 && n < MAX_CMDS; nr++) {
		if (ioctl(fd, _IOC(_IOC_NONE, 'P', nr, 0), NULL) == -1 &&
		    errno == ENOTTY)
			continue;
		for (dir = 0; dir < 4; dir++)
			for (size = 0; size <= 64; size++)
				if (ioctl(fd, _IOC(dir, 'P', nr, size), NULL) == -1 &&
				    errno == EFAULT)
					cmds[n++] = _IOC(dir, 'P', nr, size);
	}
	return n;
}

static unsigned int fuzz_cmds[MAX_CMDS], fuzz_ncmds;

static void fuzz_fixed(int fd)
{
	unsigned int *cmds = fuzz_cmds, ncmds;
	void *bad[] = { NULL, (void *)1, (void *)0xffff888000000000ULL };
	struct privcmd_gsi_version ver;
	struct privcmd_gsi_list list = {};
	struct privcmd_gsi_record *recs;
	struct privcmd_gsi_irq_to_gsi i2g = {};
	struct privcmd_gsi_get_record gr = {};
	unsigned int i, j, total;
	void *ro;
	int ret;

	ncmds = fuzz_ncmds = discover_cmds(fd, cmds);
	for (i = 0, j = 0; i < ncmds; i++)
		j += cmds[i] == IOCTL_PRIVCMD_PCIDEV_GET_GSI;
	printf("# the node's commands:");
	for (i = 0; i < ncmds; i++)
		printf(" %#x", cmds[i]);
	printf("\n");
	tap(j == 1, "the node has %u commands, Linux 6.12's GET_GSI among them",
	    ncmds);
	for (i = 0; i < ncmds; i++)
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
		case 1:		/* its type, every number, random size */
			cmd = _IOC(rnd() % 4, 'P', rnd() % 0x100, rnd() % 64);
			break;
		default:	/* one of its commands, random contents */
			cmd = fuzz_cmds[rnd() % fuzz_ncmds];
			break;
		}
		ret = ioctl(fd, cmd, rnd() % 8 ? (void *)buf : (void *)rnd());
		if (ret && errno != ENOTTY && errno != EINVAL &&
		    errno != EFAULT && errno != ENOENT && errno != ENODEV &&
		    errno != ENODATA && errno != E2BIG)
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

const struct gsi_cmd gsi_abuse_cmds[] = {
	{ "fuzz", cmd_fuzz, "[ITERATIONS]: bad and random ioctl arguments, on every command the node has" },
	{ "stress", cmd_stress, "MODULE.ko SECONDS [PARAMS]: readers while the module comes and goes" },
	{}
};
