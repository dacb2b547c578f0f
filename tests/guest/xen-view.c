// SPDX-License-Identifier: GPL-2.0
/*
 * xen-view: Xen's own view of a PVH dom0's interrupts, for the test beds.
 *
 * A test must not take dom0's word for what Xen did: this asks Xen itself.
 * It sends debug keys with XEN_SYSCTL_debug_keys and reads what Xen printed
 * back from its console ring with XEN_SYSCTL_readconsole, both through
 * privcmd's IOCTL_PRIVCMD_HYPERCALL.  Key 'i' dumps Xen's IRQ table and,
 * per IO-APIC pin in use, its redirection entry (dump_ioapic_irq_info() in
 * xen/arch/x86/io_apic.c, the same format in 4.17 and 4.20):
 *
 *   Apic 0x00, Pin 20: vec=38 delivery=Fixed dest=P status=0 polarity=0
 *                      irr=0 trig=L mask=1 dest_id:00000000
 *
 * "Apic" is the IO-APIC's index in MADT order; the GSI is that IO-APIC's
 * GSI base (from the MADT in /sys/firmware/acpi/tables/APIC) plus the pin.
 *
 *   xen-view pin GSI level|edge high|low   one TAP line: Xen programmed
 *                                          the GSI's pin so
 *   xen-view pin GSI none                  one TAP line: Xen has not set
 *                                          the GSI's pin up
 *   xen-view bound GSI DOMID               one TAP line: Xen's irq for
 *                                          the GSI is bound to domain DOMID
 *                                          (its line in the IRQ table:
 *                                          "IRQ:  20 ... d1: 20(---)")
 *   xen-view owner BDF OWNER               one TAP line: Xen's device
 *                                          table (debug key Q) has BDF
 *                                          owned by OWNER: "d0", "DomIO"
 *                                          (quarantined), "d1", ...
 *                                          ("0000:00:05.0 - DomIO:8002 -")
 *   xen-view keys KEYS                     Xen's output for KEYS, as the
 *                                          result channel's block "xen-KEYS"
 *
 * Interface: sysctl interface version 0x15 (Xen 4.17 to 4.20), commands
 * XEN_SYSCTL_readconsole (1) and XEN_SYSCTL_debug_keys (7), hypercall
 * __HYPERVISOR_sysctl (35): xen/include/public/sysctl.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "guest.h"

#define MADT			"/sys/firmware/acpi/tables/APIC"

/* xen/include/public/sysctl.h */
#define SYSCTL_VERSION		0x15
#define SYSCTL_READCONSOLE	1
#define SYSCTL_DEBUG_KEYS	7

struct sysctl {
	uint32_t cmd;
	uint32_t interface_version;
	union {
		struct {
			uint8_t clear;
			uint8_t incremental;
			uint8_t pad0, pad1;
			uint32_t index;
			uint64_t buffer;
			uint32_t count;
		} readconsole;
		struct {
			uint64_t keys;
			uint32_t nr_keys;
		} debug_keys;
		uint8_t pad[128];
	} u;
};

#define RING_MAX	(1 << 20)
#define MAX_IOAPICS	64

static int privcmd = -1;
static struct sysctl *sc;
static char *ring;	/* RING_MAX bytes, locked */
static char *keybuf;

/* Memory Xen can read and write through dom0's page tables: present. */
static void *locked(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED | MAP_POPULATE,
		       -1, 0);

	if (p == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	memset(p, 0, len);
	return p;
}

static int sysctl(void)
{
	struct privcmd_hypercall h = {
		.op = HYPERVISOR_SYSCTL,
		.arg = { (uintptr_t)sc },
	};
	int tries;

	sc->interface_version = SYSCTL_VERSION;
	/* A page moved under us reads as EFAULT: try again. */
	for (tries = 0; tries < 3; tries++) {
		if (ioctl(privcmd, IOCTL_PRIVCMD_HYPERCALL, &h) >= 0)
			return 0;
		if (errno != EFAULT)
			break;
	}
	return -errno;
}

/* Everything Xen printed since index @from; returns the new end. */
static uint32_t read_ring(uint32_t from, bool incremental, size_t *len)
{
	memset(sc, 0, sizeof(*sc));
	sc->cmd = SYSCTL_READCONSOLE;
	sc->u.readconsole.incremental = incremental;
	sc->u.readconsole.index = from;
	sc->u.readconsole.buffer = (uintptr_t)ring;
	sc->u.readconsole.count = RING_MAX - 1;
	if (sysctl())
		die("XEN_SYSCTL_readconsole: %s", strerror(errno));
	*len = sc->u.readconsole.count;
	ring[*len] = '\0';
	return sc->u.readconsole.index;
}

/* Sends @keys; leaves what Xen printed for them in ring. */
static size_t debug_keys(const char *keys)
{
	uint32_t end;
	size_t len;

	end = read_ring(0, false, &len);
	strcpy(keybuf, keys);
	memset(sc, 0, sizeof(*sc));
	sc->cmd = SYSCTL_DEBUG_KEYS;
	sc->u.debug_keys.keys = (uintptr_t)keybuf;
	sc->u.debug_keys.nr_keys = strlen(keys);
	if (sysctl())
		die("XEN_SYSCTL_debug_keys: %s", strerror(errno));
	read_ring(end, true, &len);
	return len;
}

/* GSI bases of the IO-APICs, in MADT order (Xen's index). */
static int ioapic_bases(uint32_t *base)
{
	static uint8_t madt[1 << 16];
	ssize_t len, off = 44;	/* sizeof(struct acpi_table_madt) */
	int fd, n = 0;

	fd = open(MADT, O_RDONLY);
	if (fd < 0)
		die("open " MADT ": %s", strerror(errno));
	len = read(fd, madt, sizeof(madt));
	close(fd);
	while (len > 0 && off + 2 <= len && n < MAX_IOAPICS) {
		uint8_t type = madt[off], l = madt[off + 1];

		if (l < 2 || off + l > len)
			break;
		if (type == 1 && l >= 12)	/* IO-APIC: id, 0, address, base */
			memcpy(&base[n++], &madt[off + 8], 4);
		off += l;
	}
	return n;
}

static int cmd_pin(int argc, char **argv)
{
	uint32_t base[MAX_IOAPICS], gsi;
	unsigned int apic, pin, polarity, irr, mask;
	int n, found = 0, want_level = -1, want_low = -1;
	char trig, line[512], *p, *save = NULL;
	char *seen = NULL;

	if (argc < 2)
		return 2;
	gsi = strtoul(argv[0], NULL, 10);
	if (strcmp(argv[1], "none")) {
		if (argc != 3)
			return 2;
		want_level = !strcmp(argv[1], "level");
		want_low = !strcmp(argv[2], "low");
	}
	n = ioapic_bases(base);
	debug_keys("i");
	for (p = strtok_r(ring, "\n", &save); p; p = strtok_r(NULL, "\n", &save)) {
		char *s = strstr(p, "Apic 0x");

		if (!s || sscanf(s, "Apic 0x%x, Pin %u: %*s %*s %*s %*s polarity=%u irr=%u trig=%c mask=%u",
				 &apic, &pin, &polarity, &irr, &trig, &mask) != 6)
			continue;
		if (apic >= (unsigned int)n || base[apic] + pin != gsi)
			continue;
		found++;
		snprintf(line, sizeof(line), "%s", s);
		seen = line;
	}
	if (seen)
		printf("# Xen: %s\n", seen);
	if (want_level < 0) {
		tap(!found, "Xen has not set GSI %u up (%d pin lines)", gsi,
		    found);
		return 0;
	}
	tap(found == 1 && (trig == 'L') == want_level &&
	    (polarity == 1) == want_low,
	    "Xen programmed GSI %u's IO-APIC pin %s, active %s (%d pin lines)",
	    gsi, argv[1], argv[2], found);
	return 0;
}

/* Xen numbers an IO-APIC GSI's irq as the GSI (xen/arch/x86/io_apic.c). */
static int cmd_bound(int argc, char **argv)
{
	char *p, *save = NULL, want[32], *found = NULL;
	bool bound = false;
	unsigned int irq;
	int gsi;

	if (argc != 2)
		return 2;
	gsi = atoi(argv[0]);
	snprintf(want, sizeof(want), " d%d:", atoi(argv[1]));
	debug_keys("i");
	for (p = strtok_r(ring, "\n", &save); p; p = strtok_r(NULL, "\n", &save)) {
		char *s = strstr(p, "IRQ:");

		if (s && sscanf(s, "IRQ: %u ", &irq) == 1 && (int)irq == gsi)
			found = s;
		if (found)
			break;
	}
	if (found)
		printf("# Xen: %s\n", found);
	/* " d0: 20(-M-),d1: 20(---)": each domain after a space or comma. */
	if (found) {
		const char *d = strstr(found, want + 1);

		bound = d && d > found && (d[-1] == ' ' || d[-1] == ',');
	}
	tap(bound, "Xen's irq for GSI %d is bound to d%s", gsi, argv[1]);
	return 0;
}

static int cmd_owner(int argc, char **argv)
{
	char *p, *save = NULL, want[64], owner[64] = "";

	if (argc != 2)
		return 2;
	snprintf(want, sizeof(want), "%s - ", argv[0]);
	debug_keys("Q");
	for (p = strtok_r(ring, "\n", &save); p; p = strtok_r(NULL, "\n", &save)) {
		char *s = strstr(p, want);

		if (s && sscanf(s + strlen(want), "%63[^ :]", owner) == 1) {
			printf("# Xen: %s\n", s);
			break;
		}
	}
	tap(!strcmp(owner, argv[1]), "Xen's owner of %s is %s (%s)", argv[0],
	    argv[1], owner[0] ? owner : "not listed");
	return 0;
}

static int cmd_keys(const char *keys)
{
	debug_keys(keys);
	printf("BEGIN xen-%s\n%s\nEND xen-%s\n", keys, ring, keys);
	return 0;
}

int main(int argc, char **argv)
{
	int ret = 2;

	setvbuf(stdout, NULL, _IOLBF, 0);
	privcmd = open(PRIVCMD, O_RDWR | O_CLOEXEC);
	if (privcmd < 0)
		die("open " PRIVCMD ": %s", strerror(errno));
	sc = locked(4096);
	keybuf = locked(4096);
	ring = locked(RING_MAX);
	if (argc >= 2 && !strcmp(argv[1], "pin"))
		ret = cmd_pin(argc - 2, argv + 2);
	else if (argc >= 2 && !strcmp(argv[1], "bound"))
		ret = cmd_bound(argc - 2, argv + 2);
	else if (argc >= 2 && !strcmp(argv[1], "owner"))
		ret = cmd_owner(argc - 2, argv + 2);
	else if (argc == 3 && !strcmp(argv[1], "keys"))
		ret = cmd_keys(argv[2]);
	if (ret == 2)
		fprintf(stderr, "usage: xen-view pin GSI level|edge high|low | pin GSI none | bound GSI DOMID | owner BDF OWNER | keys KEYS\n");
	return ret;
}
