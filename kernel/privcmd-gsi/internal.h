/* SPDX-License-Identifier: GPL-2.0 */
/*
 * privcmd-gsi: declarations shared by the module's files and its KUnit
 * suites (tests/kunit/).
 */
#ifndef PRIVCMD_GSI_INTERNAL_H
#define PRIVCMD_GSI_INTERNAL_H

#include <linux/types.h>
#include <linux/gfp.h>
#include <xen/privcmd-gsi.h>

#include "privcmd_gsi.h"

struct pci_dev;
struct acpi_table_header;
struct acpi_pci_routing_table;

#include "kunit_visibility.h"

/* ---- store.c: the records, and the sbdf that keys them ---- */

struct pgsi_store;

/* The module's one store, created and destroyed by main.c. */
extern struct pgsi_store *pgsi_store;

/* One registration, as seen by the recorder or rebuilt at load. */
struct pgsi_reg {
	u32 sbdf;		/* PRIVCMD_GSI_NO_SBDF without a PCI device */
	u32 gsi;
	int irq;		/* < 0: the registration failed */
	u8 trigger;		/* PRIVCMD_GSI_TRIGGER_* */
	u8 polarity;		/* PRIVCMD_GSI_POLARITY_* */
	u8 source;		/* PRIVCMD_GSI_SOURCE_* */
	u32 forgets;		/* source ACPI: pgsi_store_forgets() before */
};

u32 pgsi_pci_sbdf(const struct pci_dev *pdev);

struct pgsi_store *pgsi_store_create(void);
void pgsi_store_destroy(struct pgsi_store *s);
int pgsi_store_register(struct pgsi_store *s, const struct pgsi_reg *reg);
void pgsi_store_unregister(struct pgsi_store *s, u32 gsi);
void pgsi_store_forget(struct pgsi_store *s, u32 sbdf);
void pgsi_store_mark_unknown(struct pgsi_store *s, u32 sbdf, u32 forgets);
u32 pgsi_store_forgets(struct pgsi_store *s);
bool pgsi_store_gsi_registered(struct pgsi_store *s, u32 gsi);
int pgsi_store_gsi_by_sbdf(struct pgsi_store *s, u32 sbdf, u32 *gsi);
int pgsi_store_gsi_by_irq(struct pgsi_store *s, u32 irq, u32 *gsi);
int pgsi_store_get(struct pgsi_store *s, u32 sbdf,
		   struct privcmd_gsi_record *rec);
u32 pgsi_store_snapshot(struct pgsi_store *s, struct privcmd_gsi_record *buf,
			u32 cap);
u32 pgsi_store_count(struct pgsi_store *s);

/* ---- recover.c: devices enabled before the module loaded ---- */

#define PGSI_MAX_IOAPICS	128

struct pgsi_ioapic {
	u32 id;			/* IO-APIC id, as in the MADT */
	u32 gsi_base;
};

struct pgsi_ioapic_table {
	unsigned int count;
	struct pgsi_ioapic ioapic[PGSI_MAX_IOAPICS];
};

int pgsi_madt_parse(const struct acpi_table_header *madt,
		    struct pgsi_ioapic_table *tbl);
int pgsi_ioapic_pin_to_gsi(const struct pgsi_ioapic_table *tbl,
			   const char *domain_name, unsigned long pin,
			   u32 *gsi);
int pgsi_recover_all(struct pgsi_store *s);

/* ---- prt.c: GSIs from the ACPI _PRT and interrupt link devices ---- */

#define PGSI_LINK_MAX_IRQS	16

/* The first interrupt resource of a link device's _CRS or _PRS. */
struct pgsi_link_res {
	bool found;
	u32 count;		/* interrupts it lists */
	u32 irqs[PGSI_LINK_MAX_IRQS];	/* the first ones of them */
	u8 trigger;		/* ACPI_LEVEL_SENSITIVE, ACPI_EDGE_SENSITIVE */
	u8 polarity;		/* ACPI_ACTIVE_HIGH, ACPI_ACTIVE_LOW */
};

const struct acpi_pci_routing_table *
pgsi_prt_match(const void *table, size_t len, u8 slot, u8 pin);
int pgsi_link_pick(const struct pgsi_link_res *crs,
		   const struct pgsi_link_res *prs, struct pgsi_reg *reg);
u8 pgsi_prt_slot(const struct pci_dev *dev);
u8 pgsi_swizzle(const struct pci_dev *pdev, u8 pin);
int pgsi_prt_resolve(struct pci_dev *pdev, struct pgsi_reg *reg);

/* ---- lookup.c: the answer for one PCI device ---- */

int pgsi_unrouted_errno(u8 line);
int pgsi_lookup(struct pgsi_store *s, struct pci_dev *pdev,
		struct privcmd_gsi_record *rec);
int pgsi_lookup_sbdf(struct pgsi_store *s, u32 sbdf,
		     struct privcmd_gsi_record *rec);

/* ---- recorder.c: acpi_register_gsi() and acpi_unregister_gsi() ---- */

int pgsi_recorder_start(void);
void pgsi_recorder_stop(void);
unsigned int pgsi_recorder_missed(void);

/* ---- sysfs.c: /sys/bus/pci/devices/BDF/gsi ---- */

ssize_t pgsi_format_gsi(struct pgsi_store *s, struct pci_dev *pdev,
			char *buf);
int pgsi_sysfs_start(void);
void pgsi_sysfs_stop(void);

/* ---- ioctl.c: /dev/xen/privcmd-gsi ---- */

int pgsi_ioctl_check_cmd(unsigned int cmd);
int pgsi_do_get_gsi(struct pgsi_store *s, struct privcmd_pcidev_get_gsi *arg);
int pgsi_do_irq_to_gsi(struct pgsi_store *s,
		       struct privcmd_gsi_irq_to_gsi *arg);
int pgsi_do_get_record(struct pgsi_store *s,
		       struct privcmd_gsi_get_record *arg);
int pgsi_do_version(struct pgsi_store *s, struct privcmd_gsi_version *arg);
int pgsi_list_check(const struct privcmd_gsi_list *arg);
int pgsi_do_list(struct pgsi_store *s, struct privcmd_gsi_list *arg);
int pgsi_node_start(void);
void pgsi_node_stop(void);

/* ---- privcmd.c: IOCTL_PRIVCMD_PCIDEV_GET_GSI on /dev/xen/privcmd ---- */

int pgsi_privcmd_errno(bool pciback_loaded, bool on_pciback, int lookup);
int pgsi_privcmd_start(bool enable);
void pgsi_privcmd_stop(void);

/* ---- pciback.c: which devices are bound to xen-pciback ---- */

/* The name xen-pciback's driver registers (PCISTUB_DRIVER_NAME). */
#define PGSI_PCIBACK	"pciback"

int pgsi_pciback_start(void);
void pgsi_pciback_stop(void);
bool pgsi_on_pciback(u32 sbdf);

#endif /* PRIVCMD_GSI_INTERNAL_H */
