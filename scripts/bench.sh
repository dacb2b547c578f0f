#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make bench`: xenpt's costs as ratios measured within one boot each,
# written to bench/results.md.  Goals are reported, not enforced.
#
#  1. Lookups (bed q35, Debian's stock 6.1, no Xen): GET_GSI on
#     /dev/xen/privcmd-gsi, the sysfs gsi file and the sysfs irq file (what
#     QEMU reads), with 16 and 4096 records.  Goals: the ioctl costs at
#     most 0.5x an irq-file read, and within 1.2x from 16 to 4096 records.
#  2. privcmd (bed xen, Xen 4.20, the same kernel as PVH dom0): privcmd's
#     own IOCTL_PRIVCMD_HYPERCALL (xen_version) with privcmd-gsi's redirect
#     in place against without it, alternating (goal <= 1.02), GET_GSI on
#     /dev/xen/privcmd against /dev/xen/privcmd-gsi (goal <= 1.05), and
#     each against a null ioctl on /dev/xen/privcmd-gsi, the floor (goal
#     <= 1.2).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$XENPT_TOP"

scripts/setup.sh
eval "$(scripts/fetch.sh stock)"
out=$XENPT_TOP/build/bench
mkdir -p "$out"
for b in lookup:q35::bench privcmd:xen:4.20:bench-privcmd; do
	IFS=: read -r name bed xen scenario <<<"$b"
	tests/run.sh --bed "$bed" ${xen:+--xen "$xen"} --kernel stock \
		--scenario "$scenario" --out "$out/$name" >"$out/$name.out" 2>&1 ||
		{ tail -n 30 "$out/$name.out" >&2; die "the $name benchmark boot failed; see $out/$name.out"; }
done
python3 scripts/results.py data "$out/lookup" bench >"$out/lookup.txt"
python3 scripts/results.py data "$out/privcmd" bench-privcmd >"$out/privcmd.txt"
[ "$(wc -l <"$out/lookup.txt")" -eq 2 ] && [ "$(wc -l <"$out/privcmd.txt")" -eq 1 ] ||
	die "benchmark output missing, see $out/*/results.log"

field() { sed -n "s/.*$2=\([0-9]*\).*/\1/p" "$1" | sed -n "${3:-1}p"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
ratio3() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
qemu=$(qemu-system-x86_64 --version | sed -n 's/.*version \([^ ]*\).*/\1/p')
{
	echo "# Benchmarks"
	echo
	echo "\`make bench\`, $(date -u +%Y-%m-%d), Debian $STOCK_KVER on QEMU $qemu, TCG (no KVM),"
	echo "$(nproc) host cores. Emulated: compare ratios within a boot, not absolute"
	echo "numbers with real hardware."
	echo
	echo "## Lookups (q35, no Xen)"
	echo
	echo "Nanoseconds per lookup, mean of 20000 after 1000 warm-up lookups, same device."
	echo
	echo "| records | ioctl GET_GSI | sysfs gsi file | sysfs irq file | ioctl / irq file |"
	echo "|--------:|--------------:|---------------:|---------------:|-----------------:|"
	for r in 1 2; do
		n=$(field "$out/lookup.txt" records "$r")
		i=$(field "$out/lookup.txt" ioctl_ns "$r")
		g=$(field "$out/lookup.txt" gsi_file_ns "$r")
		q=$(field "$out/lookup.txt" irq_file_ns "$r")
		echo "| $n | $i | $g | $q | $(ratio "$i" "$q") |"
	done
	i16=$(field "$out/lookup.txt" ioctl_ns 1)
	i4k=$(field "$out/lookup.txt" ioctl_ns 2)
	q16=$(field "$out/lookup.txt" irq_file_ns 1)
	echo
	echo "- ioctl vs one irq-file read (goal <= 0.5): $(ratio "$i16" "$q16")"
	echo "- ioctl at 4096 vs 16 records (goal <= 1.2): $(ratio "$i4k" "$i16")"
	echo
	echo "## privcmd (Xen 4.20, PVH dom0)"
	echo
	echo "Nanoseconds per ioctl, best of 5 rounds of 20000, alternating without and"
	echo "with privcmd-gsi loaded (its redirect on privcmd's ioctl entry)."
	echo
	w=$(field "$out/privcmd.txt" hypercall_without_ns)
	h=$(field "$out/privcmd.txt" hypercall_with_ns)
	p=$(field "$out/privcmd.txt" get_gsi_privcmd_ns)
	o=$(field "$out/privcmd.txt" get_gsi_node_ns)
	z=$(field "$out/privcmd.txt" null_node_ns)
	echo "| IOCTL_PRIVCMD_HYPERCALL without | with | GET_GSI on privcmd | on privcmd-gsi | null ioctl on privcmd-gsi |"
	echo "|---:|---:|---:|---:|---:|"
	echo "| $w | $h | $p | $o | $z |"
	echo
	echo "- privcmd's own ioctl with vs without the redirect (goal <= 1.02): $(ratio3 "$h" "$w")"
	echo "- GET_GSI on privcmd vs on privcmd-gsi (goal <= 1.05): $(ratio3 "$p" "$o")"
	echo "- GET_GSI on privcmd vs the null ioctl (goal <= 1.2): $(ratio "$p" "$z")"
	echo "- GET_GSI on privcmd-gsi vs the null ioctl (goal <= 1.2): $(ratio "$o" "$z")"
} >bench/results.md
cat bench/results.md
