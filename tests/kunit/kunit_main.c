// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for privcmd-gsi.  Each *_test.c file holds one suite; they
 * call into privcmd-gsi.ko through the symbols it exports to the
 * EXPORTED_FOR_KUNIT_TESTING namespace in KUnit kernels.
 */
#include <linux/module.h>
#include <linux/pci.h>

#include "internal.h"
#include "kunit_util.h"

static int store_res_init(struct kunit_resource *res, void *context)
{
	res->data = pgsi_store_create();
	return res->data ? 0 : -ENOMEM;
}

static void store_res_free(struct kunit_resource *res)
{
	pgsi_store_destroy(res->data);
}

/* A store of the test's own, destroyed when the test ends. */
struct pgsi_store *kunit_new_store(struct kunit *test)
{
	struct pgsi_store *s;

	s = kunit_alloc_resource(test, store_res_init, store_res_free,
				 GFP_KERNEL, NULL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	return s;
}

/*
 * The test kernel boots in QEMU with real PCI devices; the tests use them.
 * The first device with (or without) an INTx pin, or NULL; the caller
 * holds a reference: pci_dev_put() it.
 */
struct pci_dev *kunit_find_pci_dev(bool with_pin)
{
	struct pci_dev *pdev = NULL;

	for_each_pci_dev(pdev)
		if (!!pdev->pin == with_pin)
			return pdev;
	return NULL;
}

MODULE_DESCRIPTION("KUnit suites for privcmd-gsi");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(XENPT_KUNIT_NS);
