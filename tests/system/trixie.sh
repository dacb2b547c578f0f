# SPDX-License-Identifier: GPL-2.0
# A real Debian 13 dom0 (tests/system.sh): its own Xen 4.20 packages, with
# their init scripts running xenstored and xenconsoled; Debian 12's 6.1
# kernel and trixie's 6.12, xenpt installed from its .debs with apt and
# DKMS.  Three boots of the same disk:
# phase 1: 6.1 a device of dom0's e1000 made persistent for pciback
# phase 2: 6.1 udev's pciback at boot, a PV guest's INTx, the device given back
# phase 3: 6.12 the same guest on trixie's 6.12, with xenpt's 6.12 additions
PT=0000:00:04.0
X=/sys/bus/pci/devices/$PT/xenpt
step "systemd is up, no unit failed" system_up
step "dom0 is PVH" grep -qx PVH /sys/hypervisor/guest_type
step "Debian's xen.service started" systemctl is-active -q xen.service
step "its xenstored runs" sh -c "pgrep -x 'oxenstored|xenstored' >/dev/null"
step "its xl answers (Xen $(cat /sys/hypervisor/version/major).$(cat /sys/hypervisor/version/minor))" \
	sh -c 'xl info >/dev/null'
step "xenpt's modules loaded at boot" \
	sh -c "grep -q '^privcmd_gsi ' /proc/modules && grep -q '^pciback_ext ' /proc/modules"

case $PHASE in
1)
	step "$PT is on dom0's e1000" test "$(driver_of $PT)" = e1000
	step "modprobe xen-pciback (xenpt's softdep loads its modules first)" \
		modprobe xen-pciback
	step "xenpt assignable-add --persist $PT" xenpt assignable-add --persist $PT
	step "$PT is on pciback" test "$(driver_of $PT)" = pciback
	block xenpt-assignable xenpt assignable-list
	;;
2|3)
	seized_at_boot $PT
	block xenpt-state grep -H . $X/gsi $X/gsi_source $X/setup_gsi $X/reset_notify
	step "setup_gsi done (dom0 bound the GSI, Xen has the pin)" grep -q '^done ' $X/setup_gsi
	gsi=$(cat /sys/bus/pci/devices/$PT/gsi)
	step "xenpt gsi $PT says the GSI privcmd-gsi knows ($gsi)" \
		test "$(xenpt gsi $PT 2>/dev/null | cut -d" " -f2)" = "$gsi"
	rm -f /var/log/xen/console/guest-pt-guest.log
	step "xl create /etc/xen/pt-guest.cfg (Debian's unmodified xl)" \
		sh -c 'xl create /etc/xen/pt-guest.cfg >/tmp/xl-create 2>&1'
	block xl-create cat /tmp/xl-create
	guest_round pt-guest 1 300
	xen-view bound "$gsi" "$(xl domid pt-guest)"
	block pciback-ext-pirq cat $X/pirq
	step "xl destroy pt-guest" xl destroy pt-guest
	block guest cat /var/log/xen/console/guest-pt-guest.log
	step "xenpt assignable-remove -r $PT" xenpt assignable-remove -r $PT
	step "$PT is back on e1000" test "$(driver_of $PT)" = e1000
	dom0_ping $PT 10.0.2.15 10.0.2.2 "given back"
	dom0_down $PT
	if [ "$PHASE" = 2 ]; then
		step "xenpt assignable-add --persist $PT again, for the next boot" \
			xenpt assignable-add --persist $PT
	fi
	;;
esac
