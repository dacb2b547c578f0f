// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Does dom0 show its console or a display on a device?
 *  - boot_vga 1: the device the firmware's VGA console was on, where dom0's
 *    console stays (the kernel's vgaarb says so);
 *  - graphics/fbN below it: a framebuffer, which fbcon draws the console
 *    on;
 *  - a DRM connector of drm/cardN whose display is connected and on
 *    (cardN-HDMI-A-1/status "connected", enabled "enabled");
 *  - a console (/sys/class/tty/console/active) on a tty below it: a serial
 *    card's port;
 *  - a keyboard below it that the VT console reads (its kbd handler in
 *    /proc/bus/input/devices): a USB controller's.
 * A GPU whose DRM driver is bound with nothing lit is not counted: that is
 * the second GPU one gives a guest.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Calls fn for each entry of dir whose name starts with prefix. */
static void each_entry(const char *dir, const char *prefix,
		       void (*fn)(const char *dir, const char *name, void *data),
		       void *data)
{
	struct dirent **ents;
	int n, i;

	n = scandir(dir, &ents, NULL, alphasort);
	for (i = 0; i < n; i++) {
		if (!strncmp(ents[i]->d_name, prefix, strlen(prefix)))
			fn(dir, ents[i]->d_name, data);
		free(ents[i]);
	}
	if (n >= 0)
		free(ents);
}

static void framebuffer(const char *dir, const char *name, void *data)
{
	(void)dir;
	pt_usage_reason(data, "framebuffer %s is on it", name);
}

/* cardN-CONNECTOR directories of a DRM card */
static void connector(const char *dir, const char *name, void *data)
{
	char path[PATH_MAX], status[32], enabled[32];

	if (!strchr(name, '-') ||
	    pt_path_join(path, sizeof(path), dir, name) ||
	    strlen(path) + sizeof("/enabled") > sizeof(path))
		return;
	strcat(path, "/status");
	if (pt_read_file(path, status, sizeof(status)) < 0 || strcmp(status, "connected"))
		return;
	strcpy(path + strlen(path) - strlen("/status"), "/enabled");
	if (pt_read_file(path, enabled, sizeof(enabled)) < 0 || strcmp(enabled, "enabled"))
		return;
	pt_usage_reason(data, "display %s is connected and on", name);
}

static void card(const char *dir, const char *name, void *data)
{
	char path[PATH_MAX];

	if (!pt_path_join(path, sizeof(path), dir, name))
		each_entry(path, name, connector, data);
}

/* Keyboards below the device that the VT console reads: the kbd handler
 * of /proc/bus/input/devices (blocks of "N: Name=", "S: Sysfs=", "H:
 * Handlers=" lines). */
static void keyboards(const struct xenpt_ctx *ctx, const char *devreal,
		      struct pt_reasons *r)
{
	char path[PATH_MAX], line[1024], kname[1024] = "", sysfs[PATH_MAX] = "";
	FILE *f;

	if (pt_path(ctx, XENPT_DIR_PROC, path, sizeof(path), "/bus/input/devices") ||
	    !(f = fopen(path, "re")))
		return;
	while (fgets(line, sizeof(line), f)) {
		char *tok, *save = NULL;
		bool kbd = false;

		line[strcspn(line, "\n")] = '\0';
		if (!line[0]) {
			kname[0] = sysfs[0] = '\0';	/* the next device */
		} else if (!strncmp(line, "N: Name=", 8)) {
			snprintf(kname, sizeof(kname), "%s", line + 8);
		} else if (!strncmp(line, "S: Sysfs=", 9)) {
			snprintf(sysfs, sizeof(sysfs), "%s", line + 9);
		} else if (!strncmp(line, "H: Handlers=", 12)) {
			for (tok = strtok_r(line + 12, " ", &save); tok;
			     tok = strtok_r(NULL, " ", &save))
				kbd |= !strcmp(tok, "kbd");
			if (kbd && sysfs[0] &&
			    !pt_path(ctx, XENPT_DIR_SYS, path, sizeof(path), "%s", sysfs) &&
			    pt_path_below(path, devreal))
				pt_usage_reason(r, "keyboard %s (%s) is on it: dom0's "
						"console reads it", kname[0] ? kname : "?",
						strrchr(sysfs, '/') + 1);
		}
	}
	fclose(f);
}

void pt_usage_display(const struct xenpt_ctx *ctx, const char *name,
		      const char *devreal, struct pt_reasons *r)
{
	char path[PATH_MAX], buf[256], *tok, *save = NULL;
	unsigned long v;

	if (!pt_dev_path(ctx, name, "boot_vga", path, sizeof(path)) &&
	    !pt_read_uint(path, 10, &v) && v == 1)
		pt_usage_reason(r, "it is the boot VGA device (boot_vga): dom0's console");
	if (!pt_path_join(path, sizeof(path), devreal, "graphics"))
		each_entry(path, "fb", framebuffer, r);
	if (!pt_path_join(path, sizeof(path), devreal, "drm"))
		each_entry(path, "card", card, r);
	keyboards(ctx, devreal, r);
	/* the consoles: a tty below the device */
	if (pt_path(ctx, XENPT_DIR_SYS, path, sizeof(path), "/class/tty/console/active") ||
	    pt_read_file(path, buf, sizeof(buf)) <= 0)
		return;
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
		if (!strchr(tok, '/') &&
		    !pt_path(ctx, XENPT_DIR_SYS, path, sizeof(path), "/class/tty/%s", tok) &&
		    pt_path_below(path, devreal))
			pt_usage_reason(r, "the console %s is on it", tok);
}
