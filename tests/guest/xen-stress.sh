# SPDX-License-Identifier: GPL-2.0
# Scenario xen-stress (bed xen, the debug kernel as PVH dom0, Xen 4.20):
# xenpt's modules under load, with lockdep, kmemleak and the atomic-sleep
# checks watching (KASAN cannot boot as a PVH dom0: see
# tests/kunit/test-kernel-xen.config).  tests/guest/xen-stress.c:
#  - privcmd ioctls from three processes while privcmd-gsi loads and
#    unloads 50 times (its redirect of privcmd's GET_GSI comes and goes);
#  - privcmd-gsi and pciback-ext loaded and unloaded 20 times in four
#    orders while two devices move to pciback and back;
#  - pciback-ext unloaded 30 times while a device on pciback is
#    hot-removed;
#  - 100000 random ioctls on /dev/xen/privcmd and /dev/xen/privcmd-gsi.
#
# Linux 6.1's xen-pciback leaks its config-space fields on every unbind:
# pcistub_device_release() frees dev_data and clears drvdata before
# calling xen_pcibk_config_free_dev(), which then finds nothing to free
# (drivers/xen/xen-pciback/pci_stub.c:134-139 and conf_space.c:375-381
# in 6.1.192).  Those reports are pciback's, allocated in its probe:
# expect-leak: xen_pcibk_config_init_dev

D=0000:00:04.0
dom0_start
step "xen-privcmd" kmod xen-privcmd
step "insmod xen-pciback" insmod $M/xen-pciback.ko
bind_pciback $D
step "insmod privcmd-gsi" insmod $M/privcmd-gsi.ko
gsi=$(cat /sys/bus/pci/devices/$D/gsi)
step "rmmod privcmd-gsi" rmmod privcmd_gsi

xen-stress privcmd $M/privcmd-gsi.ko 50 $D "$gsi"
xen-stress churn $M/privcmd-gsi.ko $M/pciback-ext.ko 20 0000:00:05.0 0000:01:01.0
# pciback-ext unloading against a hot-remove of a device on pciback.
step "insmod privcmd-gsi for the hot-removals" insmod $M/privcmd-gsi.ko
xen-stress hotplug $M/pciback-ext.ko 30 0000:00:05.0
step "no xenpt group left" sh -c "! ls -d /sys/bus/pci/devices/*/xenpt 2>/dev/null"
step "rmmod privcmd-gsi after the hot-removals" rmmod privcmd_gsi

step "insmod privcmd-gsi for the fuzz" insmod $M/privcmd-gsi.ko
xen-stress fuzz 100000
step "rmmod privcmd-gsi" rmmod privcmd_gsi
step "both modules unloaded" sh -c "! grep -qE '^(privcmd_gsi|pciback_ext) ' /proc/modules"
