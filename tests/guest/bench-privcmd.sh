# SPDX-License-Identifier: GPL-2.0
# Scenario bench-privcmd (bed xen, stock kernel as PVH dom0, Xen 4.20):
# what privcmd-gsi's redirect costs privcmd, as "DATA bench-privcmd"
# (scripts/bench.sh writes bench/results.md).

D=0000:00:04.0
dom0_start
step "xen-privcmd" kmod xen-privcmd
step "insmod xen-pciback" insmod $M/xen-pciback.ko
bind_pciback $D
gsi-check bench-privcmd $M/privcmd-gsi.ko $D
