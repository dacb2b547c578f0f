#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The runner of a real-system bed's test (xenpt-test.service): the phase
# the kernel command line names (xenpt.run=SYSTEM xenpt.phase=N) of
# SYSTEM.sh, with tests/guest/lib.sh's helpers, its results on COM2 (the
# result channel, tests/RESULTS.md), then DONE and a power-off.
D=/usr/local/lib/xenpt-test
. $D/lib.sh
stty -F /dev/ttyS1 raw -echo 2>/dev/null
exec >/dev/ttyS1
# system_up: systemd finished starting, no unit failed.
system_up() {
	state=$(systemctl is-system-running --wait 2>/dev/null)
	echo "# systemctl is-system-running: $state"
	[ "$state" = running ] || systemctl --failed --no-legend | sed 's/^/# failed: /'
	[ "$state" = running ]
}

# seized_at_boot BDF: the checks of a boot after a persistent assignment:
# what the journal says of it, the device on pciback before anyone asked,
# xenpt's modules loaded before pciback seized it.
seized_at_boot() {
	block boot-log sh -c "journalctl -b -o cat --no-pager | grep -E 'xenpt: |xen_pciback|pciback $1|xenpt-persist' | head -n 20"
	step "$1 on pciback at boot (udev, xenpt-persist.service), before anyone asked" \
		test "$(driver_of $1)" = pciback
	dmesg >/tmp/dmesg
	first=$(grep -n 'privcmd_gsi: ' /tmp/dmesg | head -n 1 | cut -d: -f1)
	seize=$(grep -n "$1: xen_pciback: seizing device\|pciback $1: seizing device" /tmp/dmesg |
		head -n 1 | cut -d: -f1)
	step "xenpt's modules loaded (line ${first:-none}) before pciback took $1 (line ${seize:-none})" \
		test -n "$first" -a -n "$seize" -a "${first:-0}" -lt "${seize:-0}"
}

SYSTEM=$(arg run)
PHASE=$(arg phase)
echo "# xenpt system=$SYSTEM phase=$PHASE kernel=$(uname -r)" \
	"guest_type=$(cat /sys/hypervisor/guest_type 2>/dev/null || echo none)"
. "$D/$SYSTEM.sh"
echo DONE
systemctl poweroff
