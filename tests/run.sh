#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs one scenario of tests/guest/ on one bed: fetches or builds the
# kernel, builds xenpt's modules for it, makes the initramfs, boots
# (tests/boot.sh) and judges the result (scripts/results.py).
#
# Usage: tests/run.sh --bed BED --kernel stock|debug|6.12 [--xen 4.17|4.20]
#                     --scenario NAME --out DIR [--append "ARGS"]
#   --bed        a row of tests/beds.sh
#   --kernel     stock: Debian 12's 6.1 kernel (the one linux-headers-amd64
#                names); debug: the KUnit/KASAN/lockdep test kernel
#                (scripts/test-kernel.sh; under Xen its variant without
#                KASAN, which cannot boot as a PVH dom0); 6.12: Debian 12's
#                second kernel, with upstream's support (bookworm-security's
#                linux-image-6.12-amd64; its headers are installed by
#                scripts/setup.sh)
#   --xen        boot Xen (Debian's 4.17 or 4.20) with that kernel as PVH dom0
#   --scenario   tests/guest/NAME.sh, which runs as part of /init
#   --out DIR    the boot's directory (see tests/boot.sh)
#
# xenpt's modules are built for the kernel, with the test-only parameters
# when the bed has no Xen; a scenario loads them or not.  The initramfs holds busybox, the
# guest programs (gsi-check, a static xenpt), those modules and the
# kernel's own e1000, xen-pciback and xen-privcmd where they are modules.
# A scenario's header may say
#   # expect-splat: REGEX    a console line it provokes on purpose
#   # expect-leak: REGEX     a kmemleak report (a line of its backtrace)
#                            that is not ours, with the evidence beside it
#   # expect-warn: REGEX     a WARN() report (a line of it) that is not
#                            ours, with the evidence beside it
#   # linux-args: ARGS       more Linux arguments it needs
#   # timeout: SECONDS       for the whole boot, if not the default
#   # needs: xen-tools       Debian 13's Xen 4.20 toolstack in dom0 (xl,
#                            xenstored, libxenctrl, ...), with xc-gsi,
#                            libxenpt-preload.so and xenpt as packaged
#                            (not static: it loads libxenctrl)
#   # needs: qemu            Debian 13's QEMU 10 device model (HVM guests)
#   # needs: guest           a guest for xl in dom0: Debian 12's stock kernel
#                            and an initramfs with tests/guest/domu-init.sh,
#                            xen-pcifront, e1000 and e1000e
#   # needs: libvirt         Debian 13's libvirtd and virsh (over xen-tools),
#                            tests/guest/libvirt/ as /etc/xenpt-libvirt, and
#                            xenpt's libvirt hook
# Exit status: results.py's.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../scripts/lib.sh"
. "$here/beds.sh"

bed= kernel= xen= scenario= out= extra=
while [ $# -gt 0 ]; do
	case $1 in
	--bed|--kernel|--xen|--scenario|--out|--append)
		[ $# -ge 2 ] || { log "$1 needs an argument"; usage; }
		case $1 in
		--bed) bed=$2 ;;
		--kernel) kernel=$2 ;;
		--xen) xen=$2 ;;
		--scenario) scenario=$2 ;;
		--out) out=$2 ;;
		--append) extra=$2 ;;
		esac
		shift 2
		;;
	-h|--help) usage ;;
	*) log "unknown argument: $1"; usage ;;
	esac
done
[ -n "$bed" ] && [ -n "$kernel" ] && [ -n "$scenario" ] && [ -n "$out" ] || usage
bed_known "$bed" || die "unknown bed '$bed' (tests/beds.sh: ${!BED_MACHINE[*]})"
guest=$here/guest/$scenario.sh
[ -f "$guest" ] || die "no scenario $scenario ($guest)"
mkdir -p "$out"
out=$(cd "$out" && pwd)

# --- the kernel -------------------------------------------------------------
debug=()
kdir=
case $kernel in
stock)
	eval "$("$XENPT_TOP/scripts/fetch.sh" stock)"
	kimage=$STOCK_KERNEL
	kmods=$STOCK_MODULES
	kdir=/lib/modules/$STOCK_KVER/build
	;;
debug)
	# Under Xen: the variant without KASAN (tests/kunit/test-kernel-xen.config).
	kbuild=$("$XENPT_TOP/scripts/test-kernel.sh" ${xen:+--xen})
	kimage=$kbuild/arch/x86/boot/bzImage
	kmods=$(find "$kbuild/modroot/lib/modules" -mindepth 1 -maxdepth 1 -type d -print -quit)
	kdir=$kbuild
	debug=(--debug-kernel)
	;;
6.12)
	eval "$("$XENPT_TOP/scripts/fetch.sh" linux612)"
	kimage=$LINUX612
	kmods=$LINUX612_MODULES
	kdir=/lib/modules/$LINUX612_KVER/build
	[ -f "$kdir/Makefile" ] ||
		die "no headers for $LINUX612_KVER: install linux-headers-$LINUX612_KVER (scripts/setup.sh)"
	;;
*) die "unknown kernel '$kernel' (stock, debug or 6.12)" ;;
esac
xen_elf=
case $xen in
'') ;;
4.17|4.20)
	eval "$("$XENPT_TOP/scripts/fetch.sh" "xen${xen/./}")"
	v=XEN${xen/./}
	xen_elf=${!v}
	;;
*) die "unknown Xen '$xen' (4.17 or 4.20)" ;;
esac

# --- the initramfs ----------------------------------------------------------
mods=()
if [ -n "$kdir" ]; then
	variant=()
	[ -n "$xen" ] || variant=(--test)
	flags=()
	[ "$kernel" != debug ] || flags=(W=1)
	moddir=$("$XENPT_TOP/scripts/build-modules.sh" "${variant[@]}" "$kdir" \
		"${flags[@]}" 2>"$out/modules.log") ||
		{ cat "$out/modules.log" >&2; die "building xenpt's modules for $kernel failed"; }
	while IFS= read -r -d '' ko; do
		mods+=(-m "$ko")
	done < <(find "$moddir" -name '*.ko' -print0 | sort -z)
fi
for m in drivers/net/ethernet/intel/e1000/e1000 drivers/net/ethernet/intel/e1000e/e1000e \
	drivers/xen/xen-pciback/xen-pciback \
	drivers/xen/xen-privcmd drivers/xen/xen-evtchn drivers/xen/xen-gntdev \
	drivers/xen/xen-gntalloc drivers/xen/xenfs/xenfs; do
	f=$(find "$kmods/kernel/$(dirname "$m")" -maxdepth 1 -name "$(basename "$m").ko*" \
		-print -quit 2>/dev/null || true)
	[ -z "$f" ] || mods+=(-m "$f")
done

make -s -C "$XENPT_TOP/tests/guest" >&2
make -s -C "$XENPT_TOP/user" static >&2
payload=()
for need in $(sed -n 's/^# needs: //p' "$guest"); do
	case $need in
	xen-tools)
		eval "$("$XENPT_TOP/scripts/fetch.sh" xentools420)"
		make -s -C "$XENPT_TOP/user" >&2
		payload+=(-d "$XENTOOLS420:/"
			-f "$here/guest/xc-gsi:/bin/xc-gsi"
			-f "$XENPT_TOP/user/build/rel/libxenpt-preload.so:/usr/lib/xenpt/libxenpt-preload.so"
			# xenpt as packaged (linked against libc: it loads the
			# running Xen's libxenctrl for the quarantine).
			-f "$XENPT_TOP/user/build/rel/xenpt:/bin/xenpt")
		;;
	guest)
		eval "$("$XENPT_TOP/scripts/fetch.sh" stock)"
		gmods=()
		for m in drivers/pci/xen-pcifront drivers/net/ethernet/intel/e1000/e1000 \
			drivers/net/ethernet/intel/e1000e/e1000e; do
			f=$(find "$STOCK_MODULES/kernel/$(dirname "$m")" -maxdepth 1 \
				-name "$(basename "$m").ko*" -print -quit)
			[ -n "$f" ] || die "no $m module in $STOCK_MODULES"
			gmods+=(-m "$f")
		done
		"$here/initramfs.sh" -o "$out/guest-initrd.gz" -i "$here/guest/domu-init.sh" \
			"${gmods[@]}" 2>"$out/guest-initramfs.log" ||
			{ cat "$out/guest-initramfs.log" >&2; die "building the guest's initramfs failed"; }
		payload+=(-f "$STOCK_KERNEL:/var/lib/xenpt-guest/vmlinuz"
			-f "$out/guest-initrd.gz:/var/lib/xenpt-guest/initrd.gz")
		;;
	qemu)
		eval "$("$XENPT_TOP/scripts/fetch.sh" qemuxen)"
		payload+=(-d "$QEMUXEN:/")
		;;
	libvirt)
		eval "$("$XENPT_TOP/scripts/fetch.sh" libvirt)"
		payload+=(-d "$LIBVIRT:/"
			-d "$here/guest/libvirt:/etc/xenpt-libvirt"
			-f "$XENPT_TOP/user/libvirt/xenpt-hook:/usr/lib/xenpt/libvirt-hook")
		;;
	*) die "$guest: unknown need '$need'" ;;
	esac
done
sed -n 's/^# expect-splat: //p' "$guest" >"$out/expect-splats"
sed -n 's/^# expect-leak: //p' "$guest" >"$out/expect-leaks"
sed -n 's/^# expect-warn: //p' "$guest" >"$out/expect-warns"
scenario_args=$(sed -n 's/^# linux-args: //p' "$guest" | tr '\n' ' ')
timeout=$(sed -n 's/^# timeout: //p' "$guest")
"$here/initramfs.sh" -o "$out/initrd.gz" -i "$here/guest/init.sh" "${mods[@]}" \
	-f "$guest:/lib/xenpt/scenario.sh" \
	-f "$here/guest/lib.sh:/lib/xenpt/lib.sh" \
	-f "$here/guest/gsi-check:/bin/gsi-check" \
	-f "$here/guest/xen-view:/bin/xen-view" \
	-f "$here/guest/xen-stress:/bin/xen-stress" \
	-f "$XENPT_TOP/user/build/static/xenpt:/bin/xenpt" "${payload[@]}" \
	2>"$out/initramfs.log" ||
	{ cat "$out/initramfs.log" >&2; die "building the initramfs failed"; }

exec "$here/boot.sh" --bed "$bed" --kernel "$kimage" --initrd "$out/initrd.gz" \
	--out "$out" ${xen_elf:+--xen "$xen_elf"} "${debug[@]}" ${timeout:+--timeout "$timeout"} \
	--append "xenpt.run=$scenario xenpt.bed=$bed xenpt.kernel=$kernel${xen:+ xenpt.xen=$xen} $scenario_args${extra:+ $extra}"
