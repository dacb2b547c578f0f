#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fetches what the test beds boot, into the cache (scripts/lib-apt.sh:
# private apt lists, dpkg -x, never installed), and prints where it is.
#
# Usage: eval "$(scripts/fetch.sh ITEM...)"
#   stock      Debian 12's stock kernel matching linux-headers-amd64:
#              STOCK_KVER, STOCK_KERNEL (vmlinuz), STOCK_MODULES
#   xen417     Xen 4.17 (bookworm) as a plain ELF for QEMU's -kernel: XEN417
#   xen420     Xen 4.20 (trixie): XEN420
#   linux612   the 6.12 reference kernel (newest linux-image-6.12.*+deb12
#              of bookworm-backports): LINUX612_KVER, LINUX612,
#              LINUX612_MODULES
#   all        every item above
#
# Progress goes to stderr.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$XENPT_TOP/scripts/lib-cache.sh"
. "$XENPT_TOP/scripts/lib-apt.sh"


# emit VAR PATH: one line for eval, after checking the path exists.
emit() {
	[ -e "$2" ] || die "fetched package lacks $2"
	printf '%s=%q\n' "$1" "$2"
}

# kernel_pkg DIST KVER: linux-image-KVER, or its -unsigned twin.
kernel_pkg() {
	local p
	for p in "linux-image-$2" "linux-image-$2-unsigned"; do
		if apt_private "$1" apt-cache show "$p" >/dev/null 2>&1; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

fetch_stock() {
	local kver pkg d
	kver=$(debian_kver_or_die)
	apt_setup bookworm
	[ -f "$(apt_dir bookworm)/updated" ] || apt_update bookworm
	pkg=$(kernel_pkg bookworm "$kver") || {
		apt_update bookworm --force
		pkg=$(kernel_pkg bookworm "$kver")
	} || die "no linux-image-$kver in Debian 12's archive"
	d=$(debs_get "$pkg" bookworm "$pkg")
	printf 'STOCK_KVER=%s\n' "$kver"
	emit STOCK_KERNEL "$d/root/boot/vmlinuz-$kver"
	emit STOCK_MODULES "$d/root/lib/modules/$kver"
}

# The builder of a xen-elf entry: the hypervisor gunzipped, which QEMU's
# multiboot loader can take.
xen_elf_build() {
	local tmp=$1 gz=$2
	gzip -dc "$gz" >"$tmp/xen" || return 1
	[ "$(head -c 4 "$tmp/xen" | od -An -c | tr -d ' ')" = '177ELF' ] ||
		{ log "$gz is not a gzip'd ELF file"; return 1; }
}

# fetch_xen SERIES DIST VAR
fetch_xen() {
	local series=$1 dist=$2 var=$3 d gz e
	d=$(debs_get "xen-hypervisor-$series" "$dist" "xen-hypervisor-$series-amd64")
	gz=$d/root/boot/xen-$series-amd64.gz
	[ -f "$gz" ] || die "xen-hypervisor-$series-amd64 has no boot/xen-$series-amd64.gz"
	e=$(cache_get "xen-elf/$series" "$(cat "$d/debs.list")" xen_elf_build "$gz")
	emit "$var" "$e/xen"
}

fetch_linux612() {
	local names pkg kver d
	apt_setup bookworm
	[ -f "$(apt_dir bookworm)/updated" ] || apt_update bookworm
	names=$(apt_private bookworm apt-cache pkgnames linux-image-6.12 2>/dev/null |
		grep -E '^linux-image-6\.12\.[0-9]+\+deb12-amd64$' | sort -V) || true
	[ -n "$names" ] || die "no linux-image-6.12.*+deb12-amd64 in bookworm-backports"
	pkg=$(printf '%s\n' "$names" | tail -n 1)
	kver=${pkg#linux-image-}
	d=$(debs_get "$pkg" bookworm "$pkg")
	find "$d/root/lib/modules/$kver" -name 'xen-pciback.ko*' -print -quit | grep -q . ||
		die "$pkg has no xen-pciback module"
	printf 'LINUX612_KVER=%s\n' "$kver"
	emit LINUX612 "$d/root/boot/vmlinuz-$kver"
	emit LINUX612_MODULES "$d/root/lib/modules/$kver"
}

[ $# -gt 0 ] || usage
for item in "$@"; do
	case $item in
	stock) fetch_stock ;;
	xen417) fetch_xen 4.17 bookworm XEN417 ;;
	xen420) fetch_xen 4.20 trixie XEN420 ;;
	linux612) fetch_linux612 ;;
	all)
		fetch_stock
		fetch_xen 4.17 bookworm XEN417
		fetch_xen 4.20 trixie XEN420
		fetch_linux612
		;;
	-h|--help) usage ;;
	*) log "unknown item: $item"; usage ;;
	esac
done
