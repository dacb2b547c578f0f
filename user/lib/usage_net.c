// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Does dom0 use a device's network interfaces?  One below the device that
 * is up (flags, operstate), has addresses (/proc/net/if_inet6,
 * /proc/net/route, getifaddrs() on the real root), or is enslaved (a
 * master link: a bond's or a bridge's port, an Open vSwitch port); and
 * one netconsole sends dom0's console through (configfs's enabled
 * targets; a netconsole= boot parameter's own target is not there).
 */
#include <dirent.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static bool iface_in_file(const struct xenpt_ctx *ctx, const char *file,
			  const char *ifname, int field)
{
	char path[PATH_MAX], line[512];
	bool found = false;
	FILE *f;

	if (pt_path(ctx, XENPT_DIR_PROC, path, sizeof(path), "%s", file))
		return false;
	f = fopen(path, "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		char *save = NULL, *tok = strtok_r(line, " \t\n", &save);
		int i;

		for (i = 0; tok && i < field; i++)
			tok = strtok_r(NULL, " \t\n", &save);
		found = tok && !strcmp(tok, ifname);
	}
	fclose(f);
	return found;
}

static bool has_ipv4(const struct xenpt_ctx *ctx, const char *ifname)
{
	struct ifaddrs *ifa, *i;
	bool found = false;

	/* only on the real system: getifaddrs cannot be redirected */
	if (strcmp(ctx->dirs[XENPT_DIR_PROC], "/proc") || getifaddrs(&ifa) < 0)
		return false;
	for (i = ifa; i; i = i->ifa_next)
		if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET &&
		    !strcmp(i->ifa_name, ifname))
			found = true;
	freeifaddrs(ifa);
	return found;
}

/* netconsole's enabled targets (configfs) on interface ifn. */
static void netconsole(const struct xenpt_ctx *ctx, const char *ifn,
		       struct pt_reasons *r)
{
	char path[PATH_MAX], dev[IFNAMSIZ + 1], en[8], **v;
	size_t n, i;

	if (pt_path(ctx, XENPT_DIR_SYS, path, sizeof(path), "/kernel/config/netconsole") ||
	    pt_dir_list(path, false, &v, &n))
		return;
	for (i = 0; i < n; i++)
		if (!pt_path(ctx, XENPT_DIR_SYS, path, sizeof(path),
			     "/kernel/config/netconsole/%s/dev_name", v[i]) &&
		    pt_read_file(path, dev, sizeof(dev)) > 0 && !strcmp(dev, ifn) &&
		    !pt_path(ctx, XENPT_DIR_SYS, path, sizeof(path),
			     "/kernel/config/netconsole/%s/enabled", v[i]) &&
		    pt_read_file(path, en, sizeof(en)) > 0 && !strcmp(en, "1"))
			pt_usage_reason(r, "netconsole %s sends dom0's console through %s",
					v[i], ifn);
	pt_strv_free(v, n);
}

void pt_usage_net(const struct xenpt_ctx *ctx, const char *devreal,
		  struct pt_reasons *r)
{
	char path[PATH_MAX], buf[64], master[IFNAMSIZ + 1];
	struct dirent **ents;
	int n, k;

	if (pt_path(ctx, XENPT_DIR_SYS, path, sizeof(path), "/class/net"))
		return;
	n = scandir(path, &ents, NULL, alphasort);
	for (k = 0; k < n; k++) {
		const char *ifn = ents[k]->d_name;
		unsigned long flags;

		if (ifn[0] == '.' ||
		    pt_path(ctx, XENPT_DIR_SYS, path, sizeof(path), "/class/net/%s", ifn) ||
		    !pt_path_below(path, devreal))
			goto next;
		if (!pt_path(ctx, XENPT_DIR_SYS, path, sizeof(path),
			     "/class/net/%s/master", ifn) &&
		    !pt_link_name(path, master, sizeof(master)))
			pt_usage_reason(r, "network interface %s is enslaved to %s", ifn,
				      master);
		else if (!pt_path(ctx, XENPT_DIR_SYS, path, sizeof(path),
				  "/class/net/%s/flags", ifn) &&
			 !pt_read_uint(path, 16, &flags) && (flags & IFF_UP))
			pt_usage_reason(r, "network interface %s is up", ifn);
		else if (!pt_path(ctx, XENPT_DIR_SYS, path, sizeof(path),
				  "/class/net/%s/operstate", ifn) &&
			 pt_read_file(path, buf, sizeof(buf)) > 0 &&
			 !strcmp(buf, "up"))
			pt_usage_reason(r, "network interface %s is up", ifn);
		else if (iface_in_file(ctx, "/net/if_inet6", ifn, 5) ||
			 iface_in_file(ctx, "/net/route", ifn, 0) ||
			 has_ipv4(ctx, ifn))
			pt_usage_reason(r, "network interface %s has addresses", ifn);
		netconsole(ctx, ifn, r);
next:
		free(ents[k]);
	}
	if (n >= 0)
		free(ents);
}
