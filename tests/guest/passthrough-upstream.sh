# SPDX-License-Identifier: GPL-2.0
# Scenario passthrough-upstream (bed xen-pt, Linux 6.12 as PVH dom0, Xen
# 4.20, no xenpt): what upstream does with the same PV guest.  6.12's
# pciback sets the GSI up and privcmd answers, so xl create succeeds; but
# libxl maps the GSI at a pirq Xen picks, while the guest's pcifront binds
# the pirq pciback reports (dom0's irq): "Failed to obtain physical IRQ",
# and the guest gets no interrupt.  Upstream lists PCI passthrough from a
# PVH dom0 to PV guests as unsupported (SUPPORT.md).
# needs: xen-tools guest
# linux-args: xen-pciback.hide=(0000:00:04.0)

pt_dom0 none
step "xl create with pci = [ '$PT' ]" guest_create upstream pv $PT
step "upstream: the guest sees the NIC" guest_wait upstream "GUEST ROUND 1 PINGS" 120
log=$(guest_log upstream)
step "upstream: the guest cannot bind its pirq (Failed to obtain physical IRQ)" \
	grep -q 'Failed to obtain physical IRQ' "$log"
set -- $(sed -n 's/.*GUEST ROUND 1 IRQS \([0-9]*\) \([0-9]*\) \([0-9]*\).*/\1 \2 \3/p' "$log") \
	$(sed -n 's/.*GUEST ROUND 1 PINGS \([0-9]*\) \([0-9]*\).*/\1 \2/p' "$log")
echo "# upstream round 1: INTx count ${1:-none} -> ${2:-none} -> ${3:-none}, ${5:-0} of ${4:-0} pings answered"
step "upstream: no interrupt reaches the guest (${2:-0})" test "${2:-0}" -eq 0
step "xl destroy upstream" xl destroy upstream
block guest-upstream cat "$log"

# A device without an INTx pin cannot even be bound to pciback on 6.12:
# xen_acpi_get_gsi_info() answers -EINVAL and pciback fails the bind.
step "upstream: xl pci-assignable-add 0000:00:06.0 (no INTx pin) fails" \
	not xl pci-assignable-add 0000:00:06.0
step "upstream: 0000:00:06.0 is not on pciback" test "$(driver_of 0000:00:06.0)" != pciback
dmesg | grep -E 'Fail to get gsi info|0000:00:06.0' | tail -n 3 | sed 's/^/# /'
step "upstream: pciback said why (Fail to get gsi info)" \
	sh -c "dmesg | grep -q 'Fail to get gsi info'"
