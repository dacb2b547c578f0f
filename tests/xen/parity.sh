#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The real-Xen bed for `make check`: privcmd-gsi in Debian 12's 6.1 PVH
# dom0 under Xen 4.17 and Xen 4.20 (with the xenpt CLI moving a device to
# pciback and back), and the 6.12 reference kernel's own
# IOCTL_PRIVCMD_PCIDEV_GET_GSI under Xen 4.20.  Wherever upstream answers,
# xenpt must answer the same; the report says what only xenpt answers.
#
#   parity.sh OUTDIR      logs and OUTDIR/parity.md
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../../scripts/lib.sh"

out=${1:?usage: $0 OUTDIR}
mkdir -p "$out"
rc=0

boot() {	# NAME XEN DOM0 RUN
	local start=$SECONDS
	if ! "$here/run-bed.sh" --xen "$2" --dom0 "$3" --run "$4" \
		--log "$out/$1.log"; then
		rc=1
	fi
	echo "$1: $((SECONDS - start)) s" >> "$out/times"
	tr -d '\r' < "$out/$1.log" | sed -n 's/^ANSWER \([^ ]*\) \([^ ]*\) \([^ ]*\)$/\1 \2 \3/p' \
		> "$out/$1.answers"
}

: > "$out/times"
boot xen-4.17-debian 4.17 debian check
boot xen-4.20-debian 4.20 debian check
boot xen-4.20-linux-6.12 4.20 6.12 upstream
# Upstream on Xen 4.17: pciback's PHYSDEVOP_setup_gsi gets ENOSYS.
boot xen-4.17-linux-6.12 4.17 6.12 upstream

passed=0 failed=0
{
	echo "# Upstream parity"
	echo
	echo "Answers given while each device was bound to pciback. upstream:"
	echo "Linux 6.12 (bookworm-backports) privcmd under Xen 4.20; xenpt:"
	echo "privcmd-gsi on Debian 12's 6.1 under Xen 4.17 and 4.20."
	echo
	echo "| device | upstream 6.12, Xen 4.20 | upstream 6.12, Xen 4.17 | xenpt, Xen 4.17 | xenpt, Xen 4.20 | |"
	echo "|---|---|---|---|---|---|"
} > "$out/parity.md"
for bdf in $(awk '{ print $2 }' "$out"/*.answers | sort -u); do
	up=$(awk -v b="$bdf" '$2 == b && $1 ~ /^upstream/ { print ($1 == "upstream-bind" ? "bind " : "") $3 }' \
		"$out/xen-4.20-linux-6.12.answers")
	up17=$(awk -v b="$bdf" '$2 == b && $1 ~ /^upstream/ { print ($1 == "upstream-bind" ? "bind " : "") $3 }' \
		"$out/xen-4.17-linux-6.12.answers")
	x17=$(awk -v b="$bdf" '$1 == "xenpt" && $2 == b { print $3 }' "$out/xen-4.17-debian.answers")
	x20=$(awk -v b="$bdf" '$1 == "xenpt" && $2 == b { print $3 }' "$out/xen-4.20-debian.answers")
	if [[ $up =~ ^[0-9]+$ ]]; then
		if [ "$x17" = "$up" ] && [ "$x20" = "$up" ]; then
			verdict=same
			passed=$((passed + 1))
		else
			verdict=DIFFERENT
			failed=$((failed + 1))
		fi
	else
		verdict="only xenpt answers"
		[ -n "$x17" ] && [ -n "$x20" ] && [ "$x17" = "$x20" ] ||
			{ verdict="xenpt differs between Xen versions"; failed=$((failed + 1)); }
	fi
	echo "| $bdf | ${up:-none} | ${up17:-none} | ${x17:-none} | ${x20:-none} | $verdict |" >> "$out/parity.md"
done
{
	echo
	echo "Every other device with a pin is answered by xenpt and not by"
	echo "upstream, which answers only for devices on pciback (ENODEV)."
	echo
	echo "Boot times (QEMU start to exit):"
	sed 's/^/- /' "$out/times"
} >> "$out/parity.md"
cat "$out/parity.md"

# The xenpt CLI's JSON from the two 6.1 runs.
for run in xen-4.17-debian xen-4.20-debian; do
	echo "# xenpt CLI in $run"
	python3 "$here/check-cli.py" "$out/$run.log" > "$out/$run.cli" 2>&1
	grep -v ' passed, ' "$out/$run.cli"
	k=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$out/$run.cli")
	[ -n "$k" ] || k="0 1"
	passed=$((passed + ${k% *}))
	failed=$((failed + ${k#* }))
done
[ "$passed" -gt 0 ] || { echo "no device was answered by upstream"; failed=$((failed + 1)); }
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$rc" -eq 0 ]
