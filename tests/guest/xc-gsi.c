// SPDX-License-Identifier: GPL-2.0
/*
 * xc-gsi: asks Xen 4.20's own libxenctrl (Debian 13's libxenmisc4.20, in
 * the dom0 sysroot) for devices' GSIs, the way libxl and QEMU do:
 * xc_pcidev_get_gsi() on the privcmd descriptor of an xc_interface.
 *
 *   xc-gsi WHO BDF=WANT...
 *
 * For each device one "DATA answer WHO BDF GSI|ERRNO" line and one TAP line
 * comparing it with WANT (a GSI or an errno name).  Built against the
 * host's libc and run with the sysroot's newer one; libxenctrl is
 * dlopen()ed, so no Xen headers are needed to build it.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "guest.h"

typedef void *(*open_fn)(void *logger, void *dombuild_logger, unsigned int flags);
typedef int (*close_fn)(void *xch);
typedef int (*gsi_fn)(void *xch, uint32_t sbdf);

int main(int argc, char **argv)
{
	char bdf[32], got[32];
	const char *want;
	uint32_t sbdf;
	close_fn xclose;
	open_fn xopen;
	gsi_fn get_gsi;
	void *lib, *xch;
	int i, gsi;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 3)
		die("usage: xc-gsi WHO BDF=WANT...");
	lib = dlopen("libxenctrl.so.4.20", RTLD_NOW);
	if (!lib)
		die("dlopen libxenctrl.so.4.20: %s", dlerror());
	xopen = (open_fn)dlsym(lib, "xc_interface_open");
	xclose = (close_fn)dlsym(lib, "xc_interface_close");
	get_gsi = (gsi_fn)dlsym(lib, "xc_pcidev_get_gsi");
	if (!xopen || !xclose || !get_gsi)
		die("libxenctrl.so.4.20 lacks xc_interface_open or xc_pcidev_get_gsi");
	xch = xopen(NULL, NULL, 0);
	if (!xch)
		die("xc_interface_open: %s", strerror(errno));
	for (i = 2; i < argc; i++) {
		want = strchr(argv[i], '=');
		if (!want || want - argv[i] >= (long)sizeof(bdf))
			die("bad argument %s", argv[i]);
		snprintf(bdf, sizeof(bdf), "%.*s", (int)(want - argv[i]), argv[i]);
		want++;
		if (!parse_bdf(bdf, &sbdf))
			die("bad BDF %s", bdf);
		errno = 0;
		gsi = get_gsi(xch, sbdf);
		if (gsi >= 0)
			snprintf(got, sizeof(got), "%d", gsi);
		else
			snprintf(got, sizeof(got), "%s", errno_name(-errno));
		printf("DATA answer %s %s %s\n", argv[1], bdf, got);
		tap(!strcmp(got, want),
		    "%s: Xen 4.20's xc_pcidev_get_gsi(%s) says %s (want %s)",
		    argv[1], bdf, got, want);
	}
	xclose(xch);
	return tap_failed ? 1 : 0;
}
