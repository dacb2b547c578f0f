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
# The real clients' answers (scenario xen-clients: Debian 13's own
# libxenctrl through privcmd-gsi's redirect, and through the preload) must
# equal upstream's wherever upstream gives a GSI.
#
# Usage: tests/parity.sh OUT X417 X420 U420 U417 CLIENTS   (the boot dirs)
set -euo pipefail
. "$(dirname "$0")/../scripts/lib.sh"

[ $# -eq 6 ] || usage
out=$1 x17=$2 x20=$3 u20=$4 u17=$5 clients=$6
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
{
	echo
	echo "Xen 4.20's own xc_pcidev_get_gsi() (Debian 13's libxenctrl) on Debian 12's"
	echo "6.1 under Xen 4.20: through privcmd-gsi's redirect (hook), and with"
	echo "privcmd_hook=0 through libxenpt-preload.so (preload):"
	echo
	echo "| device | upstream 6.12 | 6.1 alone | 6.1, hook | 6.1, preload | |"
	echo "|---|---|---|---|---|---|"
} >>"$out/parity.md"
for bdf in $(res "$clients" | awk '$1 ~ /^xc-(hook|preload)$/ { print $2 }' | sort -u); do
	up=$(answer upstream "$bdf" "$u20")
	none=$(res "$clients" | awk -v b="$bdf" '$1 == "xc-none" && $2 == b { print $3 }')
	hook=$(res "$clients" | awk -v b="$bdf" '$1 == "xc-hook" && $2 == b { print $3 }')
	pre=$(res "$clients" | awk -v b="$bdf" '$1 == "xc-preload" && $2 == b { print $3 }')
	verdict="only xenpt answers"
	if [[ $up =~ ^[0-9]+$ ]]; then
		if [ "$hook" = "$up" ] && [ "$pre" = "$up" ]; then
			verdict=same
			tap ok "$bdf: Xen 4.20's libxenctrl gets $up through the hook and the preload, as from upstream"
		else
			verdict=DIFFERENT
			tap fail "$bdf: upstream $up, libxenctrl got $hook (hook) and $pre (preload)"
		fi
	elif [ "$hook" = "$pre" ]; then
		tap ok "$bdf: hook and preload agree: $hook"
	else
		verdict=DIFFERENT
		tap fail "$bdf: hook $hook but preload $pre"
	fi
	echo "| $bdf | ${up:-none} | ${none:-not asked} | $hook | $pre | $verdict |" >>"$out/parity.md"
done
cat "$out/parity.md" | sed 's/^/# /'
