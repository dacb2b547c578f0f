#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build dom0's initramfs and boot one run of tests/xen/init.sh under Xen.
#
#   run-bed.sh --xen 4.17|4.20 --dom0 debian|6.12 --run check|upstream|demo
#              --log LOG
#
# debian: Debian 12's stock 6.1 kernel with privcmd-gsi built for it;
# 6.12: the bookworm-backports reference kernel with upstream's ioctl.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../../scripts/lib.sh"

xen= dom0= run= logfile=
while [ $# -gt 0 ]; do
	case $1 in
	--xen) xen=$2; shift 2 ;;
	--dom0) dom0=$2; shift 2 ;;
	--run) run=$2; shift 2 ;;
	--log) logfile=$2; shift 2 ;;
	*) die "unknown argument $1" ;;
	esac
done
[ -n "$xen" ] && [ -n "$dom0" ] && [ -n "$run" ] && [ -n "$logfile" ] ||
	die "usage: $0 --xen 4.17|4.20 --dom0 debian|6.12 --run check|upstream|demo --log LOG"

eval "$("$XENPT_TOP/scripts/fetch.sh" stock xen417 xen420 linux612)"
case $xen in
4.17) xen_elf=$XEN417 ;;
4.20) xen_elf=$XEN420 ;;
*) die "unknown Xen version $xen" ;;
esac

mods=()
case $dom0 in
debian)
	kernel=$STOCK_KERNEL
	kmods=$STOCK_MODULES/kernel
	moddir=$("$XENPT_TOP/scripts/build-modules.sh" "/lib/modules/$STOCK_KVER/build" 2>/dev/null) ||
		die "building the modules for $STOCK_KVER failed (make KDIR=/lib/modules/$STOCK_KVER/build modules)"
	mods+=(-m "$moddir/kernel/privcmd-gsi/privcmd-gsi.ko")
	;;
6.12)
	kernel=$LINUX612
	kmods=$LINUX612_MODULES/kernel
	;;
*) die "unknown dom0 kernel $dom0" ;;
esac
for m in drivers/net/ethernet/intel/e1000/e1000 drivers/xen/xen-pciback/xen-pciback \
	drivers/xen/xen-privcmd; do
	f=$(ls "$kmods/$m".ko* 2>/dev/null | head -n 1)
	[ -n "$f" ] || die "no $m module in $kmods"
	mods+=(-m "$f")
done

make -s -C "$XENPT_TOP/tests/qemu/guest"
make -s -C "$XENPT_TOP/user" static
initrd=${logfile%.log}.initrd.gz
"$XENPT_TOP/tests/qemu/mkinitramfs.sh" -o "$initrd" -i "$here/init.sh" \
	"${mods[@]}" -f "$XENPT_TOP/tests/qemu/guest/gsi-check:/bin/gsi-check" \
	-f "$XENPT_TOP/tests/qemu/guest/tap.sh:/lib/xenpt-tap.sh" \
	-f "$XENPT_TOP/user/build/static/xenpt:/bin/xenpt"
exec "$here/boot.sh" --xen "$xen_elf" --kernel "$kernel" --initrd "$initrd" \
	--log "$logfile" --append "xenpt.run=$run"
