// SPDX-License-Identifier: GPL-2.0
/*
 * privcmd-gsi: /dev/xen/privcmd-gsi and its ioctls.
 *
 * One table of commands, one function per command: copy in, validate,
 * act, copy out.  The validating and acting halves take kernel copies of
 * the arguments so that the KUnit suites can call them directly.
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

static long pgsi_ioctl_get_gsi(void __user *uarg)
{
	struct privcmd_pcidev_get_gsi arg;
	int ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	ret = pgsi_do_get_gsi(pgsi_store, &arg);
	if (ret)
		return ret;
	if (copy_to_user(uarg, &arg, sizeof(arg)))
		return -EFAULT;
	return 0;
}

static long pgsi_ioctl_version(void __user *uarg)
{
	struct privcmd_gsi_version arg = {
		.major = PRIVCMD_GSI_ABI_MAJOR,
		.minor = PRIVCMD_GSI_ABI_MINOR,
	};

	if (copy_to_user(uarg, &arg, sizeof(arg)))
		return -EFAULT;
	return 0;
}

static long pgsi_ioctl_irq_to_gsi(void __user *uarg)
{
	struct privcmd_gsi_irq_to_gsi arg;
	int ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	ret = pgsi_do_irq_to_gsi(pgsi_store, &arg);
	if (ret)
		return ret;
	if (copy_to_user(uarg, &arg, sizeof(arg)))
		return -EFAULT;
	return 0;
}

static long pgsi_ioctl_get_record(void __user *uarg)
{
	struct privcmd_gsi_get_record arg;
	int ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	ret = pgsi_do_get_record(pgsi_store, &arg);
	if (ret)
		return ret;
	if (copy_to_user(uarg, &arg, sizeof(arg)))
		return -EFAULT;
	return 0;
}

static long pgsi_ioctl_list(void __user *uarg)
{
	struct privcmd_gsi_record *buf;
	struct privcmd_gsi_list arg;
	unsigned int tries;
	u32 total, n;
	long ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	ret = pgsi_list_check(&arg);
	if (ret)
		return ret;

	/* Records may be added between counting and copying: count again. */
	for (tries = 0; ; tries++) {
		total = pgsi_store_count(pgsi_store);
		if (arg.count < total)
			goto too_small;
		buf = kvcalloc(max(total, 1U), sizeof(*buf), GFP_KERNEL);
		if (!buf)
			return -ENOMEM;
		n = pgsi_store_snapshot(pgsi_store, buf, total);
		if (n <= total)
			break;
		kvfree(buf);
		if (tries == PGSI_LIST_TRIES)
			return -EAGAIN;
	}
	ret = 0;
	if (n && copy_to_user(u64_to_user_ptr(arg.records), buf,
			      array_size(n, sizeof(*buf))))
		ret = -EFAULT;
	kvfree(buf);
	if (ret)
		return ret;
	arg.count = n;
	if (copy_to_user(uarg, &arg, sizeof(arg)))
		return -EFAULT;
	return 0;

too_small:
	arg.count = total;
	if (copy_to_user(uarg, &arg, sizeof(arg)))
		return -EFAULT;
	/* A size query (no buffer) is not an error. */
	return arg.records ? -E2BIG : 0;
}

/* Every command of the node, with its handler. */
static const struct pgsi_ioctl_cmd {
	unsigned int cmd;
	long (*fn)(void __user *uarg);
} pgsi_ioctl_cmds[] = {
	{ IOCTL_PRIVCMD_PCIDEV_GET_GSI, pgsi_ioctl_get_gsi },
	{ PRIVCMD_GSI_IOCTL_VERSION, pgsi_ioctl_version },
	{ PRIVCMD_GSI_IOCTL_IRQ_TO_GSI, pgsi_ioctl_irq_to_gsi },
	{ PRIVCMD_GSI_IOCTL_GET_RECORD, pgsi_ioctl_get_record },
	{ PRIVCMD_GSI_IOCTL_LIST, pgsi_ioctl_list },
};

static const struct pgsi_ioctl_cmd *pgsi_ioctl_find(unsigned int cmd)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pgsi_ioctl_cmds); i++)
		if (_IOC_TYPE(cmd) == _IOC_TYPE(pgsi_ioctl_cmds[i].cmd) &&
		    _IOC_NR(cmd) == _IOC_NR(pgsi_ioctl_cmds[i].cmd))
			return &pgsi_ioctl_cmds[i];
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
	const struct pgsi_ioctl_cmd *c = pgsi_ioctl_find(cmd);

	if (!c)
		return -ENOTTY;
	return c->cmd == cmd ? 0 : -EINVAL;
}
EXPORT_SYMBOL_IF_KUNIT(pgsi_ioctl_check_cmd);

static long pgsi_ioctl(struct file *file, unsigned int cmd, unsigned long data)
{
	const struct pgsi_ioctl_cmd *c = pgsi_ioctl_find(cmd);

	if (!c)
		return -ENOTTY;
	if (c->cmd != cmd)
		return -EINVAL;
	return c->fn((void __user *)data);
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
	.llseek = no_llseek,
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
