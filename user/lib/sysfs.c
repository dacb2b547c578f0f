// SPDX-License-Identifier: LGPL-2.1-or-later
/* The PCI devices and drivers in sysfs: attributes that read and act. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

int pt_dev_path(const struct xenpt_ctx *ctx, const char *bdf, const char *attr,
		char *buf, size_t size)
{
	if (attr)
		return pt_path(ctx, XENPT_DIR_SYS, buf, size,
			       "/bus/pci/devices/%s/%s", bdf, attr);
	return pt_path(ctx, XENPT_DIR_SYS, buf, size, "/bus/pci/devices/%s", bdf);
}

int pt_dev_exists(const struct xenpt_ctx *ctx, const char *bdf)
{
	char path[PATH_MAX];
	int err = pt_dev_path(ctx, bdf, NULL, path, sizeof(path));

	if (err)
		return err;
	return pt_exists(path) ? 0 : -ENODEV;
}

int pt_dev_driver(const struct xenpt_ctx *ctx, const char *bdf, char *buf,
		  size_t size)
{
	char path[PATH_MAX];
	int err;

	err = pt_dev_exists(ctx, bdf);
	if (err)
		return err;
	err = pt_dev_path(ctx, bdf, "driver", path, sizeof(path));
	if (err)
		return err;
	err = pt_link_name(path, buf, size);
	if (err == -ENOENT) {
		buf[0] = '\0';
		return 0;
	}
	return err;
}

int pt_dev_write(const struct xenpt_ctx *ctx, const char *bdf,
		 const char *attr, const char *str)
{
	char path[PATH_MAX];
	int err = pt_dev_path(ctx, bdf, attr, path, sizeof(path));

	return err ? err : pt_write_file(path, str);
}

int pt_drv_write(const struct xenpt_ctx *ctx, const char *driver,
		 const char *attr, const char *str)
{
	char path[PATH_MAX];
	int err;

	if (!*driver || strchr(driver, '/'))
		return -EINVAL;
	err = pt_path(ctx, XENPT_DIR_SYS, path, sizeof(path),
		      "/bus/pci/drivers/%s/%s", driver, attr);
	return err ? err : pt_write_file(path, str);
}

bool pt_drv_loaded(const struct xenpt_ctx *ctx, const char *driver)
{
	char path[PATH_MAX];

	if (!*driver || strchr(driver, '/'))
		return false;
	if (pt_path(ctx, XENPT_DIR_SYS, path, sizeof(path),
		    "/bus/pci/drivers/%s", driver))
		return false;
	return pt_exists(path);
}

int pt_pciback_has_slot(const struct xenpt_ctx *ctx, const char *bdf)
{
	char path[PATH_MAX];
	int err;

	err = pt_path(ctx, XENPT_DIR_SYS, path, sizeof(path),
		      "/bus/pci/drivers/" PCIBACK "/slots");
	if (err)
		return err;
	err = pt_file_has_line(path, bdf);
	return err == -ENOENT ? 0 : err;
}

int pt_dev_override(const struct xenpt_ctx *ctx, const char *bdf, char *buf,
		    size_t size)
{
	char path[PATH_MAX];
	int n;

	n = pt_dev_path(ctx, bdf, "driver_override", path, sizeof(path));
	if (n)
		return n;
	n = pt_read_file(path, buf, size);
	if (n < 0)
		return n;
	if (!strcmp(buf, "(null)"))
		buf[0] = '\0';
	return 0;
}

int pt_dev_pin(const struct xenpt_ctx *ctx, const char *bdf, uint8_t *pin)
{
	uint8_t line;

	return pt_dev_intx(ctx, bdf, pin, &line);
}

int pt_dev_intx(const struct xenpt_ctx *ctx, const char *bdf, uint8_t *pin,
		uint8_t *line)
{
	unsigned char cfg[0x40];
	char path[PATH_MAX];
	ssize_t n;
	int fd, err;

	err = pt_dev_path(ctx, bdf, "config", path, sizeof(path));
	if (err)
		return err;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = pread(fd, cfg, sizeof(cfg), 0);
	err = n < 0 ? -errno : 0;
	close(fd);
	if (err)
		return err;
	if (n < 0x3e)
		return -EIO;
	*line = cfg[0x3c];
	*pin = cfg[0x3d];
	return 0;
}

bool pt_dev_msi_irq(const struct xenpt_ctx *ctx, const char *bdf,
		    unsigned long irq)
{
	char path[PATH_MAX], name[32];

	snprintf(name, sizeof(name), "msi_irqs/%lu", irq);
	return !pt_dev_path(ctx, bdf, name, path, sizeof(path)) &&
	       pt_exists(path);
}

int pt_dev_irq(const struct xenpt_ctx *ctx, const char *bdf,
	       unsigned long *irq, enum pt_irq_kind *kind)
{
	char path[PATH_MAX];
	uint8_t pin = 0, line = 0;
	int err;

	*irq = 0;
	err = pt_dev_path(ctx, bdf, "irq", path, sizeof(path));
	if (!err)
		err = pt_read_uint(path, 10, irq);
	if (err)
		return err;
	if (pt_dev_intx(ctx, bdf, &pin, &line))
		pin = 1;	/* unknown: judge the irq alone */
	if (!pin)
		*kind = PT_IRQ_NONE;
	else if (*irq & PT_IRQ_NOTCONNECTED)
		*kind = PT_IRQ_NOT_CONNECTED;
	else if (*irq == 0)
		*kind = PT_IRQ_NONE;
	else if (*irq == 0xff && line == 0xff)
		*kind = PT_IRQ_NOT_CONNECTED;
	else if (pt_dev_msi_irq(ctx, bdf, *irq))
		*kind = PT_IRQ_MSI;
	else if (*irq > PT_INTX_IRQ_MAX)
		*kind = PT_IRQ_BEYOND;
	else
		*kind = PT_IRQ_INTX;
	return 0;
}

static int bdf_filter(const struct dirent *d)
{
	struct xenpt_bdf b;

	return xenpt_bdf_parse(d->d_name, &b) == 0 && !b.all_fns;
}

int pt_dev_names(const struct xenpt_ctx *ctx, char (**names)[XENPT_BDF_STRLEN],
		 size_t *count)
{
	char path[PATH_MAX];
	struct dirent **ents;
	char (*out)[XENPT_BDF_STRLEN];
	int n, i, err;

	err = pt_path(ctx, XENPT_DIR_SYS, path, sizeof(path), "/bus/pci/devices");
	if (err)
		return err;
	n = scandir(path, &ents, bdf_filter, alphasort);
	if (n < 0)
		return -errno;
	out = calloc((size_t)n + 1, sizeof(*out));
	if (!out) {
		err = -ENOMEM;
	} else {
		for (i = 0; i < n; i++) {
			struct xenpt_bdf b;

			/* canonical spelling */
			xenpt_bdf_parse(ents[i]->d_name, &b);
			xenpt_bdf_format(&b, out[i], sizeof(out[i]));
		}
	}
	for (i = 0; i < n; i++)
		free(ents[i]);
	free(ents);
	if (err)
		return err;
	*names = out;
	*count = (size_t)n;
	return 0;
}

int pt_dev_collect(const struct xenpt_ctx *ctx, size_t elem_size,
		   int (*fill)(const struct xenpt_ctx *ctx, const char *name,
			       void *elem),
		   void **list, size_t *count)
{
	char (*names)[XENPT_BDF_STRLEN];
	size_t n, i, k = 0;
	char *l;
	int err;

	err = pt_dev_names(ctx, &names, &n);
	if (err)
		return err;
	l = calloc(n + 1, elem_size);
	if (!l) {
		free(names);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		if (!fill(ctx, names[i], l + k * elem_size))
			k++;
	free(names);
	*list = l;
	*count = k;
	return 0;
}
