#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run one of the guest programs of tests/qemu/guest/init.sh on a bed.
#
#   run-bed.sh --kernel BZIMAGE --moddir DIR --modules-of KBUILD_OR_ROOT
#              --bed q35|microvm --run module|kunit|bench --log LOG
#              [--debug-kernel]
#
# --moddir is where scripts/build-modules.sh built xenpt's modules for that
# kernel; --modules-of is a tree holding the kernel's own e1000.ko.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../../scripts/lib.sh"

kernel= moddir= modsrc= bed= run= logfile= debug=()
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--moddir) moddir=$2; shift 2 ;;
	--modules-of) modsrc=$2; shift 2 ;;
	--bed) bed=$2; shift 2 ;;
	--run) run=$2; shift 2 ;;
	--log) logfile=$2; shift 2 ;;
	--debug-kernel) debug=(--debug-kernel); shift ;;
	*) die "unknown argument $1" ;;
	esac
done
[ -n "$kernel" ] && [ -n "$moddir" ] && [ -n "$modsrc" ] && [ -n "$bed" ] &&
	[ -n "$run" ] && [ -n "$logfile" ] || die "missing arguments (see $0)"

e1000=$(find "$modsrc" -name 'e1000.ko*' -print -quit)
[ -n "$e1000" ] || die "no e1000 module under $modsrc"
mods=(-m "$moddir/kernel/privcmd-gsi/privcmd-gsi.ko" -m "$e1000")
if [ "$run" = kunit ]; then
	mods+=(-m "$moddir/tests/kunit/privcmd-gsi-kunit.ko")
fi

make -s -C "$XENPT_TOP/tests/qemu/guest"
initrd=${logfile%.log}.initrd.gz
"$here/mkinitramfs.sh" -o "$initrd" -i "$here/guest/init.sh" "${mods[@]}" \
	-f "$XENPT_TOP/tests/qemu/guest/gsi-check:/bin/gsi-check" \
	-f "$XENPT_TOP/tests/qemu/guest/tap.sh:/lib/xenpt-tap.sh"
debug_arg=
[ ${#debug[@]} -eq 0 ] || debug_arg=xenpt.debug=1
exec "$here/boot.sh" --bed "$bed" --kernel "$kernel" --initrd "$initrd" \
	--log "$logfile" "${debug[@]}" \
	--append "xenpt.run=$run xenpt.bed=$bed $debug_arg"
