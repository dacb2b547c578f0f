# SPDX-License-Identifier: GPL-2.0
# Scenario passthrough-cycles (bed xen-pt, stock 6.1 as PVH dom0, Xen
# 4.20): the same device given to a guest and the guest destroyed, over
# and over, as a PV guest (pciback-ext remaps its pirq each time) and as
# an HVM guest (QEMU maps it, pciback-ext leaves it alone).  Nothing may
# pile up: after every cycle no domain but dom0 is left (none dying) and
# no IRQ in Xen's table is bound to one; Xen's IRQ table has the same
# bindings at the end as before the first guest, dom0 as many interrupt
# lines after the last guest of a kind as after the first (the first
# guest's enable of the device leaves its GSI's line in dom0, "20:
# 20-fasteoi", for good); each guest got its interrupts, and the device,
# given back, works in dom0.
# PV_CYCLES and HVM_CYCLES set the counts (20 and 4: an HVM guest takes
# about a minute under TCG).
# needs: xen-tools guest qemu
# timeout: 2400
# linux-args: xen-pciback.hide=(0000:00:04.0)

PV_CYCLES=${PV_CYCLES:-20}
HVM_CYCLES=${HVM_CYCLES:-4}
pt_dom0 at-boot
X=/sys/bus/pci/devices/$PT/xenpt
gsi=$(cat /sys/bus/pci/devices/$PT/gsi)

# Xen's IRQ table (debug key 'i'): each IRQ bound to a domain, with the
# domains and their pirqs, flags and vectors left out ("IRQ:  20 vec:b8
# ... d0: 20(-M-),d1: 20(---)" is "20 d0: 20,d1: 20").
xen_bindings() {
	command xen-view keys i | grep -E 'IRQ: .*[ ,]d[0-9]+:' |
		sed -E 's/.*IRQ: *([0-9]+) .*[ ]+(d[0-9]+:.*)$/\1 \2/; s/\([^)]*\)//g'
}
# dom0's interrupt lines: its event channels to the guests' backends too;
# their names (number and last word).
dom0_irqs() { wc -l </proc/interrupts; }
dom0_irq_names() { awk '{ print $1, $NF }' /proc/interrupts; }
# No domain but dom0, none dying, and no IRQ bound to another domain; a
# destroyed domain may take a few seconds to go.
only_dom0_left() {
	waited=0
	while [ $waited -lt 15 ]; do
		[ "$(xl list | tail -n +2 | wc -l)" = 1 ] &&
			! xen_bindings | grep -qE ' d[1-9][0-9]*:|,d[1-9][0-9]*:' && return 0
		sleep 1
		waited=$((waited + 1))
	done
	xl list
	xen_bindings
	return 1
}

xen_bindings >/tmp/bindings-before
dom0_irq_names >/tmp/irqs-before
irqs_before=$(dom0_irqs)
echo "# before: $(wc -l </tmp/bindings-before) IRQs bound in Xen, $irqs_before interrupt lines in dom0"

# cycle NAME TYPE: one guest, its interrupts, destroyed, nothing left.
cycle() {
	step "$1: xl create ($2)" guest_create "$1" "$2" $PT || return
	[ "$2" = pv ] || step "$1 is up" guest_wait "$1" "GUEST READY" 240
	guest_round "$1" 1
	[ "$2" != pv ] ||
		step "$1: pciback-ext remapped its pirq" grep -q '^remapped ' $X/pirq
	step "xl destroy $1" xl destroy "$1"
	step "after $1: only dom0 is left, no IRQ bound to another domain" only_dom0_left
}

# cycles TYPE N: N guests of a kind, one after the other; dom0's
# interrupt lines after the first and after the last (lib.sh's helpers
# use i).
cycles() {
	nth=1
	while [ $nth -le "$2" ]; do
		cycle "$1$nth" "$1"
		[ $nth != 1 ] || { first=$(dom0_irqs); dom0_irq_names >/tmp/irqs-first; }
		nth=$((nth + 1))
	done
	dom0_irq_names >/tmp/irqs-last
	block "dom0-irqs-$1" sh -c 'diff /tmp/irqs-first /tmp/irqs-last; true'
	step "... dom0's interrupt lines after $1$2 as after ${1}1 ($first -> $(dom0_irqs))" \
		test "$(dom0_irqs)" = "$first"
}

cycles pv "$PV_CYCLES"
cycles hvm "$HVM_CYCLES"

xen_bindings >/tmp/bindings-after
dom0_irq_names >/tmp/irqs-end
block dom0-irqs-since-boot sh -c 'diff /tmp/irqs-before /tmp/irqs-end; true'
block xen-bindings sh -c 'echo before; cat /tmp/bindings-before; echo after; cat /tmp/bindings-after'
step "after $PV_CYCLES PV and $HVM_CYCLES HVM guests: Xen's IRQ bindings as before" \
	cmp -s /tmp/bindings-before /tmp/bindings-after
block pciback-ext-state grep -H . $X/setup_gsi $X/reset_notify $X/resets $X/pirq
step "xl pci-assignable-remove $PT" xl pci-assignable-remove $PT
# Hidden at boot, it had no driver for xl to give it back to.
echo "" >/sys/bus/pci/devices/$PT/driver_override
echo $PT >/sys/bus/pci/drivers/e1000/bind
step "$PT bound to e1000" test "$(driver_of $PT)" = e1000
dom0_ping $PT 10.0.2.15 10.0.2.2 "given back after the cycles"
xen-view bound "$gsi" 0
block guest-pv1 cat "$(guest_log pv1)"
