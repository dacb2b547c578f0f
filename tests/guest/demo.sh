# SPDX-License-Identifier: GPL-2.0
# Scenario demo (bed xen-pt, Debian 12's stock 6.1 as PVH dom0, Xen 4.20):
# make demo.  xenpt's modules load at boot before xen-pciback, which seizes
# 00:04.0 (xen-pciback.hide=); Debian 13's unmodified xl gives it to a PV
# guest.  Blocks: "table" (xenpt list -l: every device's GSI, trigger,
# polarity and where it came from, as the product shows it), "guest" (the
# guest's own view: its driver, link, INTx count, pings) and "xen-irq"
# (Xen's IRQ table line of the GSI).
# needs: xen-tools guest
# linux-args: xen-pciback.hide=(0000:00:04.0)

pt_dom0 at-boot
xenpt list -l >/tmp/table 2>&1
block table cat /tmp/table
step "xenpt list -l shows 00:04.0 on pciback with its GSI" \
	grep -qE '^0000:00:04\.0 .*pciback .* 20 ' /tmp/table
gsi=$(cat /sys/bus/pci/devices/$PT/gsi)
step "xl create demo with pci = [ '$PT' ]" guest_create demo pv $PT
guest_round demo 1
block guest sh -c "grep 'GUEST ' $(guest_log demo) | sed 's/^.*GUEST //'"
block pciback-ext cat /sys/bus/pci/devices/$PT/xenpt/setup_gsi \
	/sys/bus/pci/devices/$PT/xenpt/pirq
block xen-irq sh -c "xen-view bound $gsi 1 | sed -n 's/^# Xen: //p'"
step "xl destroy demo" xl destroy demo
