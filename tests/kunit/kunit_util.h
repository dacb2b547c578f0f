/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PRIVCMD_GSI_KUNIT_UTIL_H
#define PRIVCMD_GSI_KUNIT_UTIL_H

#include <kunit/test.h>

struct pci_dev;
struct pgsi_store;

struct pgsi_store *kunit_new_store(struct kunit *test);
struct pci_dev *kunit_find_pci_dev(bool with_pin);

#endif
