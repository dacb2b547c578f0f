/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR MIT) */
/*
 * privcmd-gsi: userspace ABI of /dev/xen/privcmd-gsi.
 *
 * IOCTL_PRIVCMD_PCIDEV_GET_GSI is byte-identical to the ioctl of the same
 * name on /dev/xen/privcmd in Linux >= 6.12, so code written for it works
 * unchanged by opening this node instead.  The other commands are specific
 * to privcmd-gsi and use numbers that privcmd does not use.
 *
 * All structures have a fixed layout on 32- and 64-bit userspace; reserved
 * fields must be zero on input.
 */
#ifndef __XEN_PRIVCMD_GSI_H__
#define __XEN_PRIVCMD_GSI_H__

#include <linux/types.h>
#include <linux/ioctl.h>

#define PRIVCMD_GSI_DEVICE_NAME		"xen/privcmd-gsi"

#define PRIVCMD_GSI_ABI_MAJOR		1
#define PRIVCMD_GSI_ABI_MINOR		1

/* sbdf = segment << 16 | bus << 8 | device << 3 | function */
#define PRIVCMD_GSI_SBDF(seg, bus, dev, fn) \
	((__u32)(seg) << 16 | (__u32)(bus) << 8 | (__u32)(dev) << 3 | (__u32)(fn))

/*
 * Same layout and number as upstream privcmd.  Where <xen/privcmd.h> of
 * Linux >= 6.12 was included first, its definitions are used.
 *
 * On this node it answers for every PCI device: 0 and the GSI; ENODEV
 * when no such device exists; ENOENT when it has no INTx pin, or one wired
 * to nothing (no route, Interrupt Line 0xff), and only then: Xen >= 4.20.1
 * tools take ENOENT to mean "no legacy interrupt"; ENODATA when it has a
 * pin but its GSI is not known.  On /dev/xen/privcmd
 * (kernels before 6.12, privcmd-gsi loaded) it answers as Linux 6.12 does,
 * for devices bound to pciback only: see the README.
 */
#ifndef IOCTL_PRIVCMD_PCIDEV_GET_GSI
struct privcmd_pcidev_get_gsi {
	__u32 sbdf;
	__u32 gsi;
};

#define IOCTL_PRIVCMD_PCIDEV_GET_GSI \
	_IOC(_IOC_NONE, 'P', 10, sizeof(struct privcmd_pcidev_get_gsi))
#endif

/* Values of the trigger and polarity fields. */
#define PRIVCMD_GSI_TRIGGER_UNKNOWN	0
#define PRIVCMD_GSI_TRIGGER_EDGE	1
#define PRIVCMD_GSI_TRIGGER_LEVEL	2

#define PRIVCMD_GSI_POLARITY_UNKNOWN	0
#define PRIVCMD_GSI_POLARITY_HIGH	1
#define PRIVCMD_GSI_POLARITY_LOW	2

/* Where a record came from. */
#define PRIVCMD_GSI_SOURCE_REGISTERED	1	/* seen in acpi_register_gsi() */
#define PRIVCMD_GSI_SOURCE_RECOVERED	2	/* rebuilt at load from MADT + irq domain */
#define PRIVCMD_GSI_SOURCE_SYNTHETIC	3	/* test-only fill, never on a real system */
#define PRIVCMD_GSI_SOURCE_ACPI		4	/* resolved from the ACPI _PRT (ABI 1.1) */

/* Record flags. */
#define PRIVCMD_GSI_F_PCI		(1U << 0)	/* sbdf names a PCI device */
#define PRIVCMD_GSI_F_IRQ_VALID		(1U << 1)	/* irq is currently mapped */

#define PRIVCMD_GSI_NO_SBDF		0xffffffffU
#define PRIVCMD_GSI_NO_IRQ		0xffffffffU

struct privcmd_gsi_version {
	__u32 major;		/* out */
	__u32 minor;		/* out */
};

/*
 * irq -> GSI.  ENOENT when the irq is not (or no longer) mapped to a GSI,
 * for example after the device's driver disabled it.
 */
struct privcmd_gsi_irq_to_gsi {
	__u32 irq;		/* in */
	__u32 gsi;		/* out */
	__u32 flags;		/* in: must be 0 */
	__u32 reserved;		/* in: must be 0 */
};

/* One record: a PCI device and its GSI, or a GSI registered without one. */
struct privcmd_gsi_record {
	__u32 sbdf;		/* PRIVCMD_GSI_NO_SBDF without a PCI device */
	__u32 gsi;
	__u32 irq;		/* last irq; valid only with F_IRQ_VALID */
	__u8 trigger;		/* PRIVCMD_GSI_TRIGGER_* */
	__u8 polarity;		/* PRIVCMD_GSI_POLARITY_* */
	__u8 source;		/* PRIVCMD_GSI_SOURCE_* */
	__u8 reserved0;
	__u32 flags;		/* PRIVCMD_GSI_F_* */
	__u32 reserved1;
};

/* Full record of one PCI device by sbdf.  ENODEV, ENOENT, ENODATA as GET_GSI. */
struct privcmd_gsi_get_record {
	__u32 sbdf;		/* in */
	__u32 flags;		/* in: must be 0 */
	struct privcmd_gsi_record rec;	/* out */
};

/*
 * Every record in one call.  On input, count is the capacity of the array at
 * records (in records; 0 with records == 0 asks for the size).  On output,
 * count is the number of records.  E2BIG when the capacity is too small:
 * count then holds the number needed and nothing was written.
 */
struct privcmd_gsi_list {
	__u32 count;		/* in/out */
	__u32 flags;		/* in: must be 0 */
	__u64 records;		/* in: user pointer to struct privcmd_gsi_record[] */
};

#define PRIVCMD_GSI_IOCTL_VERSION \
	_IOR('P', 0x40, struct privcmd_gsi_version)
#define PRIVCMD_GSI_IOCTL_IRQ_TO_GSI \
	_IOWR('P', 0x41, struct privcmd_gsi_irq_to_gsi)
#define PRIVCMD_GSI_IOCTL_GET_RECORD \
	_IOWR('P', 0x42, struct privcmd_gsi_get_record)
#define PRIVCMD_GSI_IOCTL_LIST \
	_IOWR('P', 0x43, struct privcmd_gsi_list)

#endif /* __XEN_PRIVCMD_GSI_H__ */
