# SPDX-License-Identifier: GPL-2.0
# Scenario kunit (debug kernel): the KUnit suites of tests/kunit.  Their
# KTAP goes to the result channel as the block "ktap".

step "insmod privcmd-gsi" insmod $M/privcmd-gsi.ko test_no_xen=1
step "insmod pciback-ext" insmod $M/pciback-ext.ko test_no_xen=1
step "insmod privcmd-gsi-kunit" insmod $M/privcmd-gsi-kunit.ko
step "insmod pciback-ext-kunit" insmod $M/pciback-ext-kunit.ko
block ktap sh -c "dmesg | sed -n '/K\{0,1\}TAP version/,\$p'"
step "rmmod pciback-ext-kunit" rmmod pciback_ext_kunit
step "rmmod privcmd-gsi-kunit" rmmod privcmd_gsi_kunit
step "rmmod pciback-ext" rmmod pciback_ext
step "rmmod privcmd-gsi" rmmod privcmd_gsi
