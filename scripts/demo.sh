#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`: the main job, for real.  Boots Xen 4.20 under QEMU with
# Debian 12's stock 6.1 kernel as a PVH dom0 that loads xenpt's modules at
# boot; Debian 13's unmodified Xen 4.20 xl gives the e1000 at 00:04.0 (held
# for guests with xen-pciback.hide=) to a PV guest, which gets its
# interrupts.  Prints every device's GSI from inside dom0, then the guest's
# own view.  Installs and fetches what it needs first.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$XENPT_TOP"

out=$XENPT_TOP/build/demo
mkdir -p "$out"
step() { printf '[xenpt] %s\n' "$*" >&2; }
fail() {
	printf '[xenpt] demo failed: %s\n' "$*" >&2
	exit 1
}

step "1/3 installing packages (scripts/setup.sh)"
scripts/setup.sh || fail "setup (see the messages above)"
step "2/3 fetching Debian's kernel, Xen 4.20 and its tools (scripts/fetch.sh)"
scripts/fetch.sh stock xen420 xentools420 > /dev/null ||
	fail "fetching Debian's kernel, Xen 4.20 and its tools"
step "3/3 building xenpt, booting Xen 4.20 + a PVH dom0 + a guest in QEMU (TCG, about 1-2 minutes)"
if ! tests/run.sh --bed xen-pt --xen 4.20 --kernel stock --scenario demo \
	--out "$out" > "$out.out" 2>&1; then
	grep -E '^not ok|^# |error' "$out.out" >&2
	fail "the boot did not pass its checks; see $out.out and $out/console.log"
fi

block() { python3 scripts/results.py block "$out" "$1"; }
echo
echo "GSI table from inside the PVH dom0 ($(sed -n 's/^# xenpt .*kernel=stock (\([^)]*\)).*guest_type=\([^ ]*\).*/Linux \1, guest type \2/p' \
	"$out/results.log"), Xen 4.20):"
echo
block table
cat <<'TEXT'

xenpt list -l, inside dom0.  IRQ is what /sys/bus/pci/devices/BDF/irq says,
GSI what Xen needs to map the device's INTx (q35 has one IO-APIC at GSI 0, so
here they agree; make check's microvm bed shows GSI 19 as irq 51).  SOURCE:
which interface answered xenpt (privcmd = the upstream ioctl, which 6.1
answers through privcmd-gsi for pciback's devices; privcmd-gsi = its node).
TRIGGER/POLARITY: how the GSI is wired.  ORIGIN: registered = seen by
privcmd-gsi's recorder (00:04.0: as pciback set it up at boot), recovered =
rebuilt at load from the IO-APIC irq domain, acpi = from the ACPI _PRT.
ASSIGNABLE never = not an endpoint.
TEXT
echo
echo "xl create with pci = [ '0000:00:04.0' ] (Debian 13's xl 4.20, unmodified);"
echo "pciback-ext's setup_gsi and the guest's pirq:"
block pciback-ext | grep . | sed 's/^/  /'
echo "Xen's IRQ table: $(block xen-irq)"
echo
echo "The PV guest's own view of its e1000:"
block guest | sed -n '/DMESG .*pcifront pci-0/d; s/^ROUND 1 //p; s/^READY /kernel /p' |
	sed 's/^/  /'
echo
sed -n 's/^# \(demo round 1: .*\)/\1/p' "$out/results.log"
