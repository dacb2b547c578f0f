// SPDX-License-Identifier: GPL-2.0
/*
 * pciback-ext: a kernel function replaced by one of this module's, for the
 * calls that want() picks, the way livepatch replaces one: an ftrace
 * callback with FTRACE_OPS_FL_IPMODIFY moves the saved instruction pointer
 * to the replacement, which then runs instead, in the caller's context,
 * with the caller's arguments, and returns to the caller.
 *
 * Lifetimes, as privcmd-gsi's privcmd.c: the callback takes a reference
 * to this module for each call it moves, which the replacement drops as
 * its last act; unregister_ftrace_function() waits until no task can be
 * on the callback or between that drop and the return.  Calls made from
 * this module's own code reach the kernel's function itself, so that a
 * replacement can call the function it replaces.
 *
 * FTRACE_OPS_FL_PERMANENT: as livepatch, never off behind our back: the
 * sysctl kernel.ftrace_enabled=0 is refused while a redirect is armed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ftrace.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "internal.h"
#include "xenpt_slab.h"

struct pbx_redirect_ops {
	struct ftrace_ops ops;
	struct pbx_redirect *r;
};

static void notrace pbx_redirect_ftrace(unsigned long ip,
					unsigned long parent_ip,
					struct ftrace_ops *ops,
					struct ftrace_regs *fregs)
{
	struct pbx_redirect *r = container_of(ops, struct pbx_redirect_ops,
					      ops)->r;
	struct pt_regs *regs = ftrace_get_regs(fregs);

	if (!regs || within_module(parent_ip, THIS_MODULE))
		return;
	if (r->want && !r->want(regs, parent_ip))
		return;
	/* Unloading: the kernel's function answers, as without us. */
	if (!try_module_get(THIS_MODULE))
		return;
	regs->ip = r->to;
}

/**
 * pbx_redirect_arm() - replace @r->func by @r->to for the calls @r wants
 * @r: the redirect
 *
 * Return: 0, or the error of ftrace (-EBUSY while another IPMODIFY user,
 * such as a livepatch, holds the function, or while ftrace is disabled).
 */
int pbx_redirect_arm(struct pbx_redirect *r)
{
	struct pbx_redirect_ops *o;
	int ret;

	o = kzalloc_obj(*o, GFP_KERNEL);
	if (!o)
		return -ENOMEM;
	o->r = r;
	o->ops.func = pbx_redirect_ftrace;
	o->ops.flags = FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_IPMODIFY |
		       FTRACE_OPS_FL_PERMANENT;
	ret = ftrace_set_filter_ip(&o->ops, r->func, 0, 0);
	if (ret)
		goto err_free;
	ret = register_ftrace_function(&o->ops);
	if (ret) {
		ftrace_set_filter_ip(&o->ops, r->func, 1, 0);
		goto err_free;
	}
	r->ops = o;
	return 0;

err_free:
	kfree(o);
	pr_err("cannot divert %s(): %d\n", r->name, ret);
	return ret;
}

/* Returns once no call can be on its way to r->to. */
void pbx_redirect_disarm(struct pbx_redirect *r)
{
	struct pbx_redirect_ops *o = r->ops;

	if (!o)
		return;
	unregister_ftrace_function(&o->ops);
	ftrace_set_filter_ip(&o->ops, r->func, 1, 0);
	r->ops = NULL;
	kfree(o);
}
