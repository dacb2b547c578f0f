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

step "1/4 installing packages and Debian's kernel image (scripts/setup.sh)"
scripts/setup.sh || fail "setup (see the apt messages above)"
step "2/4 fetching Debian's kernel and Xen 4.20 (scripts/fetch.sh)"
scripts/fetch.sh stock xen420 > /dev/null || fail "fetching Debian's kernel and Xen 4.20"
kver=$(debian_kver_or_die)
step "3/4 building privcmd-gsi for $kver and the dom0 programs"
scripts/build-modules.sh "/lib/modules/$kver/build" > /dev/null 2> "$out/build.out" ||
	{ cat "$out/build.out" >&2; fail "building the module"; }
make -s -C tests/qemu/guest || fail "building the dom0 programs"
step "4/4 booting Xen 4.20 + PVH dom0 in QEMU (TCG, about a minute; log: $out/demo.log)"
if ! tests/xen/run-bed.sh --xen 4.20 --dom0 debian --run demo \
	--log "$out/demo.log" > "$out/run.out" 2>&1; then
	cat "$out/run.out" >&2
	fail "the boot did not pass its checks; full serial log: $out/demo.log"
fi

echo
echo "GSI table from inside the PVH dom0 ($(tr -d '\r' < "$out/demo.log" |
	sed -n 's/.*run=demo kernel=\([^ ]*\) guest_type=\([^ ]*\).*/Linux \1, guest type \2/p'), Xen 4.20):"
echo
tr -d '\r' < "$out/demo.log" | sed -n 's/^TABLE //p'
echo
echo "IRQ is what /sys/bus/pci/devices/BDF/irq says, GSI what Xen needs to map"
echo "the device's INTx (QEMU's q35 has one IO-APIC at GSI 0, so here they agree;"
echo "make check's microvm bed shows GSI 19 as irq 51).  GSI ? = not known yet"
echo "(the device was never enabled), none = no INTx pin.  SOURCE: registered ="
echo "seen by privcmd-gsi's recorder, recovered = rebuilt at load from the MADT and"
echo "the IO-APIC irq domain (polarity then unknown).  UPSTREAM 6.12: whether"
echo "Linux 6.12's privcmd could answer for the device at all."
