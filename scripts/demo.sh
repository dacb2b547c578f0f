#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make demo`: boot Xen 4.20 under QEMU with Debian 12's stock 6.1 kernel as
# a PVH dom0, load privcmd-gsi in it, put 00:04.0 on pciback, and print the
# GSI table from inside dom0.  Installs and fetches what it needs first.
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
step "2/3 fetching Debian's kernel and Xen 4.20 (scripts/fetch.sh)"
scripts/fetch.sh stock xen420 > /dev/null || fail "fetching Debian's kernel and Xen 4.20"
step "3/3 building xenpt and booting Xen 4.20 + a PVH dom0 in QEMU (TCG, about a minute)"
if ! tests/run.sh --bed xen --xen 4.20 --kernel stock --scenario demo \
	--out "$out" > "$out.out" 2>&1; then
	grep -E '^not ok|^# |error' "$out.out" >&2
	fail "the boot did not pass its checks; see $out.out and $out/console.log"
fi

echo
echo "GSI table from inside the PVH dom0 ($(sed -n 's/^# xenpt .*kernel=stock (\([^)]*\)).*guest_type=\([^ ]*\).*/Linux \1, guest type \2/p' \
	"$out/results.log"), Xen 4.20):"
echo
python3 scripts/results.py block "$out" table
echo
echo "IRQ is what /sys/bus/pci/devices/BDF/irq says, GSI what Xen needs to map"
echo "the device's INTx (QEMU's q35 has one IO-APIC at GSI 0, so here they agree;"
echo "make check's microvm bed shows GSI 19 as irq 51).  GSI ? = not known yet"
echo "(the device was never enabled), none = no INTx pin.  SOURCE: registered ="
echo "seen by privcmd-gsi's recorder, recovered = rebuilt at load from the MADT and"
echo "the IO-APIC irq domain (polarity then unknown).  UPSTREAM 6.12: whether"
echo "Linux 6.12's privcmd could answer for the device at all."
