// SPDX-License-Identifier: GPL-2.0
/*
 * privcmd-gsi: /dev/xen/privcmd-gsi and its ioctls.
 *
 * One table of commands, as drm_ioctl() has: each row carries the
 * command (whose number encodes the argument's size), whether its
 * argument is read, written back or both, and its handler.  The
 * dispatcher checks the command, copies the argument in to kernel memory,
 * calls the handler, and copies it back; the handlers work on kernel
 * copies only, so that the KUnit suites call them directly.
 *
 * A new command:
 *  1. its structure and number in include/uapi/xen/privcmd-gsi.h (an
 *     unused 'P' number from 0x40 on; _IOR/_IOW/_IOWR with the structure),
 *     and PRIVCMD_GSI_ABI_MINOR + 1;
 *  2. its handler here, pgsi_do_NAME(struct pgsi_store *, struct ... *),
 *     declared in internal.h, with a kernel-doc saying its errors;
 *  3. a row in pgsi_ioctls[] below;
 *  4. a KUnit case for the handler in tests/kunit/ioctl_test.c (and the
 *     row's size and direction are checked by check_cmd_accepts_each_command
 *     there);
 *  5. its line in README.md's "What answers what" and, if userspace should
 *     use it, a libxenpt call (user/).
 * The fuzzers (tests/guest) try every 'P' number, so they need no change.
 */
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "internal.h"

/* How often LIST counts again when records keep arriving meanwhile. */
#define PGSI_LIST_TRIES		3

/**
 * pgsi_do_get_gsi() - IOCTL_PRIVCMD_PCIDEV_GET_GSI on kernel memory
 * @s: the store
 * @arg: sbdf in, gsi out
 *
 * Return: 0; -ENODEV when no such PCI device exists; -ENOENT when it has
 * no INTx pin; -ENODATA when its GSI is not known.
 */
int pgsi_do_get_gsi(struct pgsi_store *s, struct privcmd_pcidev_get_gsi *arg)
{
	struct privcmd_gsi_record rec;
	int ret;

	ret = pgsi_lookup_sbdf(s, arg->sbdf, &rec);
	if (!ret)
		arg->gsi = rec.gsi;
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(pgsi_do_get_gsi);

/**
 * pgsi_do_irq_to_gsi() - PRIVCMD_GSI_IOCTL_IRQ_TO_GSI on kernel memory
 * @s: the store
 * @arg: irq in, gsi out
 *
 * Return: 0; -EINVAL for non-zero flags or reserved; -ENOENT when the irq
 * is not mapped to a known GSI.
 */
int pgsi_do_irq_to_gsi(struct pgsi_store *s, struct privcmd_gsi_irq_to_gsi *arg)
{
	if (arg->flags || arg->reserved)
		return -EINVAL;
	return pgsi_store_gsi_by_irq(s, arg->irq, &arg->gsi);
}
EXPORT_SYMBOL_IF_KUNIT(pgsi_do_irq_to_gsi);

/**
 * pgsi_do_get_record() - PRIVCMD_GSI_IOCTL_GET_RECORD on kernel memory
 * @s: the store
 * @arg: sbdf in, record out
 *
 * Return: 0; -EINVAL for non-zero flags; -ENODEV, -ENOENT and -ENODATA
 * as pgsi_do_get_gsi().
 */
int pgsi_do_get_record(struct pgsi_store *s, struct privcmd_gsi_get_record *arg)
{
	if (arg->flags)
		return -EINVAL;
	return pgsi_lookup_sbdf(s, arg->sbdf, &arg->rec);
}
EXPORT_SYMBOL_IF_KUNIT(pgsi_do_get_record);

/**
 * pgsi_list_check() - validate the arguments of PRIVCMD_GSI_IOCTL_LIST
 * @arg: the caller's arguments
 *
 * Return: 0, or -EINVAL for non-zero flags or a capacity without a buffer.
 */
int pgsi_list_check(const struct privcmd_gsi_list *arg)
{
	if (arg->flags)
		return -EINVAL;
	if (arg->count && !arg->records)
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pgsi_list_check);

/**
 * pgsi_do_version() - PRIVCMD_GSI_IOCTL_VERSION on kernel memory
 * @s: the store (unused)
 * @arg: major and minor out
 *
 * Return: 0.
 */
int pgsi_do_version(struct pgsi_store *s, struct privcmd_gsi_version *arg)
{
	arg->major = PRIVCMD_GSI_ABI_MAJOR;
	arg->minor = PRIVCMD_GSI_ABI_MINOR;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pgsi_do_version);

/**
 * pgsi_do_list() - PRIVCMD_GSI_IOCTL_LIST, its arguments in kernel memory
 * @s: the store
 * @arg: capacity in, count out; arg->records is the caller's array
 *
 * Copies the records to arg->records, a user pointer.
 *
 * Return: 0; -EINVAL for bad arguments (pgsi_list_check()); -E2BIG when
 * the capacity is too small (arg->count then holds the number needed, and
 * nothing was written), 0 for the same with no array (a size query);
 * -EFAULT; -ENOMEM; -EAGAIN when records kept arriving.
 */
int pgsi_do_list(struct pgsi_store *s, struct privcmd_gsi_list *arg)
{
	struct privcmd_gsi_record *buf;
	unsigned int tries;
	u32 total, n;
	int ret;

	ret = pgsi_list_check(arg);
	if (ret)
		return ret;

	/* Records may be added between counting and copying: count again. */
	for (tries = 0; ; tries++) {
		total = pgsi_store_count(s);
		if (arg->count < total) {
			arg->count = total;
			return arg->records ? -E2BIG : 0;
		}
		buf = kvcalloc(max(total, 1U), sizeof(*buf), GFP_KERNEL);
		if (!buf)
			return -ENOMEM;
		n = pgsi_store_snapshot(s, buf, total);
		if (n <= total)
			break;
		kvfree(buf);
		if (tries == PGSI_LIST_TRIES)
			return -EAGAIN;
	}
	ret = 0;
	if (n && copy_to_user(u64_to_user_ptr(arg->records), buf,
			      array_size(n, sizeof(*buf))))
		ret = -EFAULT;
	kvfree(buf);
	if (!ret)
		arg->count = n;
	return ret;
}

#define PGSI_IN		BIT(0)	/* the argument is read */
#define PGSI_OUT	BIT(1)	/* and written back (after 0 or -E2BIG) */

/* pgsi_do_NAME() called on the dispatcher's untyped copy of the argument. */
#define PGSI_CALL(name) \
static int pgsi_call_##name(struct pgsi_store *s, void *arg) \
{ \
	return pgsi_do_##name(s, arg); \
}

PGSI_CALL(get_gsi)

PGSI_CALL(version)

PGSI_CALL(irq_to_gsi)

PGSI_CALL(get_record)

PGSI_CALL(list)

#define PGSI_IOCTL(c, name, fl) { \
	.cmd = (c), \
	.fn = pgsi_call_##name, \
	.flags = (fl), \
}

/*
 * Every command of the node.  Linux 6.12's GET_GSI is numbered _IOC_NONE
 * but reads and writes its argument: the flags say what is copied, the
 * number only the size.
 */
static const struct pgsi_ioctl_desc {
	unsigned int cmd;
	int (*fn)(struct pgsi_store *s, void *arg);
	unsigned int flags;
} pgsi_ioctls[] = {
	PGSI_IOCTL(IOCTL_PRIVCMD_PCIDEV_GET_GSI, get_gsi, PGSI_IN | PGSI_OUT),
	PGSI_IOCTL(PRIVCMD_GSI_IOCTL_VERSION, version, PGSI_OUT),
	PGSI_IOCTL(PRIVCMD_GSI_IOCTL_IRQ_TO_GSI, irq_to_gsi, PGSI_IN | PGSI_OUT),
	PGSI_IOCTL(PRIVCMD_GSI_IOCTL_GET_RECORD, get_record, PGSI_IN | PGSI_OUT),
	PGSI_IOCTL(PRIVCMD_GSI_IOCTL_LIST, list, PGSI_IN | PGSI_OUT),
};

/* The largest argument of any command. */
#define PGSI_ARG_MAX	32

static const struct pgsi_ioctl_desc *pgsi_ioctl_find(unsigned int cmd)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pgsi_ioctls); i++)
		if (_IOC_TYPE(cmd) == _IOC_TYPE(pgsi_ioctls[i].cmd) &&
		    _IOC_NR(cmd) == _IOC_NR(pgsi_ioctls[i].cmd))
			return &pgsi_ioctls[i];
	return NULL;
}

/**
 * pgsi_ioctl_check_cmd() - is @cmd one of ours, with the right size?
 * @cmd: the ioctl command
 *
 * Return: 0; -ENOTTY for a command this device does not have; -EINVAL for
 * one of its commands encoded with another direction or size.
 */
int pgsi_ioctl_check_cmd(unsigned int cmd)
{
	const struct pgsi_ioctl_desc *c = pgsi_ioctl_find(cmd);

	if (!c)
		return -ENOTTY;
	if (c->cmd != cmd || _IOC_SIZE(cmd) > PGSI_ARG_MAX)
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pgsi_ioctl_check_cmd);

static long pgsi_ioctl(struct file *file, unsigned int cmd, unsigned long data)
{
	const struct pgsi_ioctl_desc *c = pgsi_ioctl_find(cmd);
	void __user *uarg = (void __user *)data;
	u8 arg[PGSI_ARG_MAX] = {};
	unsigned int size = _IOC_SIZE(cmd);
	int ret;

	ret = pgsi_ioctl_check_cmd(cmd);
	if (ret)
		return ret;
	if ((c->flags & PGSI_IN) && copy_from_user(arg, uarg, size))
		return -EFAULT;
	ret = c->fn(pgsi_store, arg);
	if ((c->flags & PGSI_OUT) && (!ret || ret == -E2BIG) &&
	    copy_to_user(uarg, arg, size))
		return -EFAULT;
	return ret;
}

static int pgsi_open(struct inode *inode, struct file *file)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	return nonseekable_open(inode, file);
}

static const struct file_operations pgsi_fops = {
	.owner = THIS_MODULE,
	.open = pgsi_open,
	.unlocked_ioctl = pgsi_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice pgsi_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "privcmd-gsi",
	.nodename = PRIVCMD_GSI_DEVICE_NAME,
	.mode = 0600,
	.fops = &pgsi_fops,
};

int pgsi_node_start(void)
{
	return misc_register(&pgsi_misc);
}

void pgsi_node_stop(void)
{
	misc_deregister(&pgsi_misc);
}
