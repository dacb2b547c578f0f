// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libxenpt-preload.so: IOCTL_PRIVCMD_PCIDEV_GET_GSI for unmodified Xen
 * tools on kernels whose privcmd lacks it and where privcmd-gsi cannot
 * answer on privcmd itself (no ftrace with regs, lockdown, privcmd_hook=0).
 *
 *     LD_PRELOAD=/usr/lib/x86_64-linux-gnu/xenpt/libxenpt-preload.so xl create ...
 *
 * It interposes ioctl(): every call goes to the real one first; only when
 * the kernel answers ENOTTY to IOCTL_PRIVCMD_PCIDEV_GET_GSI on a privcmd
 * descriptor (/dev/xen/privcmd or /proc/xen/privcmd, which is what
 * libxenctrl's xc_pcidev_get_gsi() and QEMU use) does it answer, with
 * xenpt_privcmd_get_gsi(): Linux 6.12's answers plus ENOENT for a pciback
 * device without a pin or with a pin that is not connected, ENODATA for one
 * whose GSI cannot be known (never the irq of a not-connected pin or an
 * MSI irq).  So it does nothing where the kernel answers
 * itself.  libxl starts QEMU with its own environment: QEMU gets it too.
 *
 * Thread-safe (no state but what pthread_once sets up), no recursion (its
 * own ioctls go straight to libc's), silent unless XENPT_PRELOAD_DEBUG is
 * set in the environment (then one line per answer on stderr).
 */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <xen/privcmd-gsi.h>

#include "internal.h"

typedef int (*ioctl_fn)(int fd, unsigned long request, ...);

static ioctl_fn real_ioctl;
static struct stat privcmd_dev, privcmd_proc;
static bool have_dev, have_proc, debug;
static pthread_once_t once = PTHREAD_ONCE_INIT;
/* Set while answering: libxenpt's own ioctls go straight to libc's. */
static __thread bool answering;

static void setup(void)
{
	real_ioctl = (ioctl_fn)dlsym(RTLD_NEXT, "ioctl");
	have_dev = !stat("/dev/xen/privcmd", &privcmd_dev);
	have_proc = !stat("/proc/xen/privcmd", &privcmd_proc);
	debug = getenv("XENPT_PRELOAD_DEBUG") != NULL;
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	if (S_ISCHR(a->st_mode) && S_ISCHR(b->st_mode))
		return a->st_rdev == b->st_rdev;
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

static bool is_privcmd(int fd)
{
	struct stat st;

	if (fstat(fd, &st))
		return false;
	return (have_dev && same_file(&st, &privcmd_dev)) ||
	       (have_proc && same_file(&st, &privcmd_proc));
}

/* Copies between this process's memory and @arg, EFAULT for a bad one. */
static bool copy_arg(void *local, void *remote, size_t len, bool out)
{
	struct iovec l = { local, len }, r = { remote, len };
	ssize_t n;

	n = out ? process_vm_writev(getpid(), &l, 1, &r, 1, 0) :
		  process_vm_readv(getpid(), &l, 1, &r, 1, 0);
	return n == (ssize_t)len;
}

/* Our answer: 0, or -1 with errno, as the kernel's ioctl would. */
static int answer(void *uarg)
{
	struct privcmd_pcidev_get_gsi arg;
	struct xenpt_ctx *ctx;
	uint32_t gsi = 0;
	int err;

	if (!copy_arg(&arg, uarg, sizeof(arg), false)) {
		errno = EFAULT;
		return -1;
	}
	answering = true;
	err = xenpt_ctx_new(&ctx);
	if (!err) {
		err = xenpt_privcmd_get_gsi(ctx, arg.sbdf, &gsi);
		xenpt_ctx_unref(ctx);
	}
	answering = false;
	if (debug)
		fprintf(stderr, "xenpt-preload: GET_GSI %04x:%02x:%02x.%u: %d %s\n",
			arg.sbdf >> 16, (arg.sbdf >> 8) & 0xff, (arg.sbdf >> 3) & 0x1f,
			arg.sbdf & 7, err ? -1 : (int)gsi, err ? strerror(-err) : "");
	if (!err) {
		arg.gsi = gsi;
		if (!copy_arg(&arg, uarg, sizeof(arg), true))
			err = -EFAULT;
	}
	if (err) {
		errno = -err;
		return -1;
	}
	return 0;
}

__attribute__((visibility("default")))
int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;
	int ret, saved;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	pthread_once(&once, setup);
	if (!real_ioctl) {
		errno = ENOSYS;
		return -1;
	}
	ret = real_ioctl(fd, request, arg);
	if (answering || ret != -1 || errno != ENOTTY ||
	    request != IOCTL_PRIVCMD_PCIDEV_GET_GSI)
		return ret;
	saved = errno;
	if (!is_privcmd(fd)) {
		errno = saved;
		return ret;
	}
	return answer(arg);
}
