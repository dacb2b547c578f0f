#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Upstream parity, from four boots of tests/run.sh: privcmd-gsi in Debian's
# 6.1 PVH dom0 under Xen 4.17 and 4.20 (scenario xen-check), on its own
# node and on /dev/xen/privcmd, against Linux 6.12's own
# IOCTL_PRIVCMD_PCIDEV_GET_GSI under Xen 4.20 and 4.17 (scenario upstream),
# each asked while the device sat on pciback.  Wherever upstream answers
# with a GSI, xenpt must answer the same on both; where upstream cannot
# bind the device (no pin: EINVAL), privcmd answers ENOENT.  Prints TAP
# lines and writes OUT/parity.md.
#
# Usage: tests/parity.sh OUT X417 X420 U420 U417   (the four boot dirs)
set -euo pipefail
. "$(dirname "$0")/../scripts/lib.sh"

[ $# -eq 5 ] || usage
out=$1 x17=$2 x20=$3 u20=$4 u17=$5
res() { python3 "$XENPT_TOP/scripts/results.py" data "$1" answer; }
# answer WHO-PREFIX BDF DIR: what that boot said for the device.
answer() {
	res "$3" | awk -v w="$1" -v b="$2" '$1 ~ ("^" w) && $2 == b {
		print ($1 == "upstream-bind" ? "bind " : "") $3 }'
}

n=0
tap() {
	n=$((n + 1))
	if [ "$1" = ok ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}
{
	echo "# Upstream parity"
	echo
	echo "Answers given while each device was bound to pciback. upstream:"
	echo "Linux 6.12 (bookworm-backports) privcmd; xenpt: privcmd-gsi on"
	echo "Debian 12's 6.1."
	echo
	echo "| device | upstream 6.12, Xen 4.20 | upstream 6.12, Xen 4.17 | xenpt node, Xen 4.17 / 4.20 | /dev/xen/privcmd with xenpt, Xen 4.17 / 4.20 | |"
	echo "|---|---|---|---|---|---|"
} >"$out/parity.md"
upstream_numbers=0
for bdf in $( (res "$x17"; res "$x20"; res "$u20"; res "$u17") | awk '{ print $2 }' | sort -u); do
	up=$(answer upstream "$bdf" "$u20")
	up17=$(answer upstream "$bdf" "$u17")
	a17=$(answer xenpt "$bdf" "$x17")
	a20=$(answer xenpt "$bdf" "$x20")
	p17=$(answer privcmd "$bdf" "$x17")
	p20=$(answer privcmd "$bdf" "$x20")
	if [[ $up =~ ^[0-9]+$ ]]; then
		upstream_numbers=$((upstream_numbers + 1))
		if [ "$a17" = "$up" ] && [ "$a20" = "$up" ] &&
			[ "$p17" = "$up" ] && [ "$p20" = "$up" ]; then
			verdict=same
			tap ok "$bdf: xenpt answers $up on both doors and both Xen versions, as upstream does"
		else
			verdict=DIFFERENT
			tap fail "$bdf: upstream $up, xenpt node $a17/$a20, privcmd $p17/$p20 (Xen 4.17/4.20)"
		fi
	elif [ "$up" = "bind EINVAL" ]; then
		if [ "$p17" = ENOENT ] && [ "$p20" = ENOENT ] && [ "$a17" = ENOENT ]; then
			verdict="upstream cannot bind (no pin); privcmd says ENOENT"
			tap ok "$bdf: no pin: upstream cannot bind it, privcmd answers ENOENT"
		else
			verdict=WRONG
			tap fail "$bdf: no pin: privcmd $p17/$p20, node $a17 (want ENOENT)"
		fi
	elif [ -n "$a17" ] && [ "$a17" = "$a20" ]; then
		verdict="only xenpt answers"
		tap ok "$bdf: upstream ${up:-none}; xenpt ${a17} on both Xen versions"
	else
		verdict="xenpt differs between Xen versions"
		tap fail "$bdf: xenpt ${a17:-none} (4.17) but ${a20:-none} (4.20)"
	fi
	echo "| $bdf | ${up:-none} | ${up17:-none} | ${a17:-none} / ${a20:-none} | ${p17:-none} / ${p20:-none} | $verdict |" >>"$out/parity.md"
done
[ "$upstream_numbers" -gt 0 ] && tap ok "upstream answered $upstream_numbers devices" ||
	tap fail "upstream answered no device with a GSI"
{
	echo
	echo "Every other device with a pin is answered by xenpt and not by"
	echo "upstream, which answers only for devices on pciback (ENODEV)."
} >>"$out/parity.md"
cat "$out/parity.md" | sed 's/^/# /'
