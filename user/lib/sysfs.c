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

bool pt_dev_on_driver(const struct xenpt_ctx *ctx, const char *bdf, const char *driver)
{
	char cur[XENPT_DRIVER_MAX];

	return !pt_dev_driver(ctx, bdf, cur, sizeof(cur)) && !strcmp(cur, driver);
}

int pt_dev_probe(const struct xenpt_ctx *ctx, const char *bdf)
{
	char path[PATH_MAX];
	int err;

	err = pt_path(ctx, XENPT_DIR_SYS, path, sizeof(path), "/bus/pci/drivers_probe");
	return err ? err : pt_write_file(path, bdf);
}

int pt_dev_clear_override(const struct xenpt_ctx *ctx, const char *bdf)
{
	char ov[XENPT_DRIVER_MAX];

	if (pt_dev_override(ctx, bdf, ov, sizeof(ov)) || !ov[0])
		return 0;
	return pt_dev_write(ctx, bdf, "driver_override", "\n");
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

static int addr_filter(const struct dirent *d)
{
	struct pt_addr a;

	return pt_addr_parse(d->d_name, &a) == 0 && !a.all_fns;
}

static int addr_cmp(const void *x, const void *y)
{
	const struct pt_addr *a = &((const struct pt_dev *)x)->addr;
	const struct pt_addr *b = &((const struct pt_dev *)y)->addr;

	if (a->domain != b->domain)
		return a->domain < b->domain ? -1 : 1;
	if (a->bus != b->bus)
		return a->bus < b->bus ? -1 : 1;
	if (a->dev != b->dev)
		return a->dev < b->dev ? -1 : 1;
	return (int)a->fn - (int)b->fn;
}

void pt_devs_free(struct pt_dev *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		free(v[i].real);
	free(v);
}

int pt_devs_get(const struct xenpt_ctx *ctx, bool real, struct pt_dev **out,
		size_t *count)
{
	char path[PATH_MAX];
	struct dirent **ents;
	struct pt_dev *v;
	size_t k = 0;
	int n, i, err = 0;

	*out = NULL;
	*count = 0;
	err = pt_path(ctx, XENPT_DIR_SYS, path, sizeof(path), "/bus/pci/devices");
	if (err)
		return err;
	n = scandir(path, &ents, addr_filter, alphasort);
	if (n < 0)
		return -errno;
	v = calloc((size_t)n + 1, sizeof(*v));
	for (i = 0; i < n; i++) {
		if (v && !err) {
			struct pt_dev *d = &v[k];
			char p[PATH_MAX], r[PATH_MAX];

			pt_addr_parse(ents[i]->d_name, &d->addr);
			pt_addr_format(&d->addr, d->name, sizeof(d->name));
			if (!real) {
				k++;
			} else if (!pt_dev_path(ctx, d->name, NULL, p, sizeof(p)) &&
				   realpath(p, r)) {
				d->real = strdup(r);
				if (!d->real)
					err = -ENOMEM;
				k++;
			}	/* else gone meanwhile */
		}
		free(ents[i]);
	}
	free(ents);
	if (!v)
		return -ENOMEM;
	if (err) {
		pt_devs_free(v, k);
		return err;
	}
	qsort(v, k, sizeof(*v), addr_cmp);
	*out = v;
	*count = k;
	return 0;
}

int pt_dev_names(const struct xenpt_ctx *ctx, char (**names)[XENPT_BDF_STRLEN],
		 size_t *count)
{
	char (*out)[XENPT_BDF_STRLEN];
	struct pt_dev *v;
	size_t n, i, k = 0;
	int err;

	err = pt_devs_get(ctx, false, &v, &n);
	if (err)
		return err;
	out = calloc(n + 1, sizeof(*out));
	for (i = 0; out && i < n; i++) {
		struct xenpt_bdf b;

		if (pt_addr_bdf(&v[i].addr, &b))
			xenpt_bdf_format(&b, out[k++], sizeof(out[0]));
	}
	pt_devs_free(v, n);
	if (!out)
		return -ENOMEM;
	*names = out;
	*count = k;
	return 0;
}

int pt_dev_ancestors(const struct xenpt_ctx *ctx, const char *name,
		     char (**anc)[XENPT_DEV_STRLEN], size_t *count)
{
	char path[PATH_MAX], real[PATH_MAX], top[PATH_MAX], *comp, *save = NULL;
	char (*v)[XENPT_DEV_STRLEN] = NULL;
	size_t n = 0, cap = 0, skip = 0;
	int err;

	*anc = NULL;
	*count = 0;
	err = pt_dev_path(ctx, name, NULL, path, sizeof(path));
	if (err)
		return err;
	if (!realpath(path, real))
		return errno == ENOENT ? -ENODEV : -errno;
	/* the components below <sys>/devices, the device itself last */
	if (!pt_path(ctx, XENPT_DIR_SYS, path, sizeof(path), "/devices") &&
	    realpath(path, top) && pt_path_below(real, top))
		skip = strlen(top);
	for (comp = strtok_r(real + skip, "/", &save); comp;
	     comp = strtok_r(NULL, "/", &save)) {
		struct pt_addr a;

		if (pt_addr_parse(comp, &a) || a.all_fns)
			continue;
		if (n == cap) {
			size_t c = cap ? cap * 2 : 8;
			void *t = realloc(v, c * sizeof(*v));

			if (!t) {
				free(v);
				return -ENOMEM;
			}
			v = t;
			cap = c;
		}
		pt_addr_format(&a, v[n++], sizeof(v[0]));
	}
	/* the last is the device itself */
	if (n && !strcmp(v[n - 1], name))
		n--;
	*anc = v;
	*count = n;
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
