#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make bench`: cost of one GSI lookup three ways, in one boot of Debian's
# stock 6.1 kernel on bed 1 (q35, TCG): IOCTL_PRIVCMD_PCIDEV_GET_GSI on an
# open /dev/xen/privcmd-gsi, reading the device's sysfs gsi file, and
# reading its sysfs irq file (what QEMU reads today), with 16 and with 4096
# records in the store (synthetic ones from test_fill_records).
#
# Writes bench/results.md.  Goals, reported, not enforced: the ioctl costs
# at most 0.5x one irq-file read, and stays within 1.2x from 16 to 4096.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$XENPT_TOP"

scripts/setup.sh
eval "$(scripts/fetch.sh stock)"
kver=$STOCK_KVER
out=$XENPT_TOP/build/bench
mkdir -p "$out"
tests/run.sh --bed q35 --kernel stock --scenario bench --out "$out" > "$out.out" 2>&1 ||
	{ tail -n 30 "$out.out" >&2; die "the benchmark boot failed; see $out.out"; }
python3 scripts/results.py data "$out" bench > "$out/bench.txt"
[ "$(wc -l < "$out/bench.txt")" -eq 2 ] || die "benchmark output missing, see $out/results.log"

field() { sed -n "s/.*records=$1 .*$2=\([0-9]*\).*/\1/p" "$out/bench.txt"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
{
	echo "# Lookup benchmark"
	echo
	echo "\`make bench\`, $(date -u +%Y-%m-%d), Debian $kver kernel on QEMU $(qemu-system-x86_64 --version | sed -n 's/.*version \([^ ]*\).*/\1/p') q35, TCG (no KVM),"
	echo "$(nproc) host cores. Nanoseconds per lookup, mean of 20000 after 1000 warm-up"
	echo "lookups, same boot, same device. Emulated: compare the columns, not the"
	echo "absolute numbers with real hardware."
	echo
	echo "| records | ioctl GET_GSI | sysfs gsi file | sysfs irq file | ioctl / irq file |"
	echo "|--------:|--------------:|---------------:|---------------:|-----------------:|"
	for r in 16 4096; do
		i=$(field $r ioctl_ns) g=$(field $r gsi_file_ns) q=$(field $r irq_file_ns)
		echo "| $r | $i | $g | $q | $(ratio "$i" "$q") |"
	done
	i16=$(field 16 ioctl_ns) i4k=$(field 4096 ioctl_ns) q16=$(field 16 irq_file_ns)
	echo
	echo "- ioctl vs one irq-file read (goal <= 0.5): $(ratio "$i16" "$q16")"
	echo "- ioctl at 4096 vs 16 records (goal <= 1.2): $(ratio "$i4k" "$i16")"
} > bench/results.md
cat bench/results.md
