// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A PCI function's config space as sysfs shows it (the config file): its
 * header type, its PCI Express device/port type, its ACS capability.  The
 * file is as long as the kernel lets the reader see: 64 bytes for a user
 * without CAP_SYS_ADMIN, 256 for a device without extended config space
 * (conventional PCI), 4096 for PCI Express.  Register layout from the PCI
 * Local Bus and PCI Express Base specifications (as Linux's
 * include/uapi/linux/pci_regs.h names them).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

#define CFG_STATUS		0x06
#define CFG_STATUS_CAP_LIST	0x10
#define CFG_HEADER_TYPE		0x0e
#define CFG_CAP_PTR		0x34
#define CAP_ID_EXP		0x10	/* PCI Express */
#define EXP_FLAGS		0x02	/* its capabilities register */
#define EXT_CAP_START		0x100
#define EXT_CAP_ID_ACS		0x000d
#define ACS_CAP			0x04
#define ACS_CTRL		0x06

int pt_config_read(const struct xenpt_ctx *ctx, const char *name,
		   struct pt_config *c)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd, err;

	memset(c, 0, sizeof(*c));
	err = pt_dev_path(ctx, name, "config", path, sizeof(path));
	if (err)
		return err;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	do {
		n = pread(fd, c->b + c->len, sizeof(c->b) - c->len, (off_t)c->len);
		if (n > 0)
			c->len += (size_t)n;
	} while (n > 0 && c->len < sizeof(c->b));
	err = n < 0 ? -errno : 0;
	close(fd);
	if (err)
		return err;
	return c->len >= 0x40 ? 0 : -EIO;
}

static unsigned int rd16(const struct pt_config *c, size_t off)
{
	return c->b[off] | (unsigned int)c->b[off + 1] << 8;
}

static uint32_t rd32(const struct pt_config *c, size_t off)
{
	return (uint32_t)rd16(c, off) | (uint32_t)rd16(c, off + 2) << 16;
}

int pt_config_header_type(const struct pt_config *c)
{
	return c->len > CFG_HEADER_TYPE ? c->b[CFG_HEADER_TYPE] & 0x7f : -1;
}

bool pt_config_multifunction(const struct pt_config *c)
{
	return c->len > CFG_HEADER_TYPE && (c->b[CFG_HEADER_TYPE] & 0x80);
}

int pt_config_pcie_type(const struct pt_config *c)
{
	unsigned int pos, guard;

	if (!(rd16(c, CFG_STATUS) & CFG_STATUS_CAP_LIST))
		return PT_PCIE_NONE;
	pos = c->b[CFG_CAP_PTR] & ~3U;
	for (guard = 0; pos >= 0x40 && guard < 48; guard++) {
		if (pos + 4 > c->len)
			return PT_PCIE_UNKNOWN;	/* beyond what could be read */
		if (c->b[pos] == CAP_ID_EXP)
			return (int)(rd16(c, pos + EXP_FLAGS) >> 4 & 0xf);
		pos = c->b[pos + 1] & ~3U;
	}
	return PT_PCIE_NONE;
}

enum pt_acs pt_config_acs(const struct pt_config *c, unsigned int need)
{
	unsigned int pos = EXT_CAP_START, guard;
	uint32_t h;

	if (c->len < 256)
		return PT_ACS_UNKNOWN;		/* not allowed to see */
	if (c->len < 0x1000)			/* no extended config space: */
		return pt_config_pcie_type(c) == PT_PCIE_NONE ?
		       PT_ACS_ABSENT :		/* conventional PCI */
		       PT_ACS_UNKNOWN;		/* PCIe the kernel cannot reach */
	for (guard = 0; guard < (0x1000 - EXT_CAP_START) / 4; guard++) {
		h = rd32(c, pos);
		if (!h || h == 0xffffffff)
			return PT_ACS_ABSENT;
		if ((h & 0xffff) == EXT_CAP_ID_ACS) {
			unsigned int cap = rd16(c, pos + ACS_CAP);
			unsigned int ctrl = rd16(c, pos + ACS_CTRL);

			/* what the port does not implement is not asked of
			 * it (as the kernel's pci_acs_flags_enabled()) */
			need &= cap;
			return (ctrl & need) == need ? PT_ACS_ENABLED :
			       PT_ACS_DISABLED;
		}
		pos = h >> 20 & 0xffc;
		if (pos < EXT_CAP_START || pos + 8 > c->len)
			return PT_ACS_ABSENT;
	}
	return PT_ACS_ABSENT;
}
