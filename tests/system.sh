#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A real Debian dom0, booted from its own disk, as an admin has it:
# systemd, udev, apt, DKMS, xenpt's packages, reboots.
#
# Usage: tests/system.sh SYSTEM DEBS OUT   (TAP lines; boots in OUT/bootN)
#   SYSTEM  trixie: Debian 13 with its own Xen 4.20 packages (hypervisor,
#                   xl, xenstored, its init scripts), trixie's 6.12 kernel
#                   and Debian 12's 6.1 kernel, with their headers
#           bookworm: Debian 12 with both its kernels (6.1; 6.12 from
#                   bookworm-security) and their headers, and no Xen
#                   packages: Debian 12 has only Xen 4.17, which cannot
#                   pass devices through from a PVH dom0; it boots under
#                   Debian 13's Xen 4.20 hypervisor (scripts/fetch.sh)
#   DEBS    a directory with xenpt's four .debs (the package stage's)
#
# The system is built with mmdebstrap and apt from Debian's archive (a
# cache entry, systems/SYSTEM, without xenpt); each run copies it, installs
# xenpt's .debs with apt (DKMS builds the modules for both kernels), adds
# the test unit (tests/system/), writes it to an ext4 disk image and boots
# Xen from QEMU with the image's own kernel and initramfs (the dom0's
# /boot), several times on the same disk: tests/system/SYSTEM.sh says what
# each boot (phase) does.  The unit runs after the system came up and
# reports on the harness's result channel (COM2), then powers off.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../scripts/lib.sh"
. "$XENPT_TOP/scripts/lib-cache.sh"
. "$XENPT_TOP/scripts/lib-apt.sh"
. "$XENPT_TOP/scripts/lib-root.sh"

[ $# -eq 3 ] || usage
system=$1
debs=$(cd "$2" && pwd)
out=$3
mkdir -p "$out"
out=$(cd "$out" && pwd)
kver61=$(debian_kver_or_die)
kver612b=$(debian_kver 6.12)

n=0
tap() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

# Units a dom0 test bed does not need, masked for time (about 45 s under
# TCG; real-system-bed.md).
MASK="e2scrub_reap.service getty-static.service networking.service
ifupdown-pre.service systemd-udev-settle.service cron.service getty@.service
serial-getty@.service apt-daily.timer apt-daily-upgrade.timer man-db.timer
e2scrub_all.timer fstrim.timer dpkg-db-backup.timer logrotate.timer
systemd-tmpfiles-clean.timer"

case $system in
trixie)
	PACKAGES="systemd-sysv udev kmod initramfs-tools zstd iproute2 iputils-ping
	procps e2fsprogs dkms linux-image-amd64 linux-headers-amd64
	linux-image-$kver61 linux-headers-$kver61 xen-hypervisor-4.20-amd64
	xen-utils-4.20"
	;;
bookworm)
	[ -n "$kver612b" ] || die "linux-headers-6.12-amd64 is not installed: run scripts/setup.sh"
	PACKAGES="systemd-sysv udev kmod initramfs-tools zstd iproute2 iputils-ping
	procps e2fsprogs dkms linux-image-amd64 linux-headers-amd64
	linux-image-6.12-amd64 linux-headers-6.12-amd64"
	;;
*) die "unknown system '$system' (trixie or bookworm)" ;;
esac

# The builder of the system without xenpt: Debian's own packages, by apt.
# Debian 12's 6.1 kernel on Debian 13 comes from bookworm's archive,
# pinned below trixie's priority so that nothing else does.
system_build() {
	local tmp=$1 mirror security
	debian_mirrors
	local sources=() hook=
	if [ "$system" = trixie ]; then
		sources=("deb $mirror trixie main" "deb $security trixie-security main"
			"deb $mirror bookworm main" "deb $security bookworm-security main")
		hook='mkdir -p "$1/etc/apt/preferences.d" && printf "Package: *\nPin: release n=bookworm\nPin-Priority: 100\n\nPackage: *\nPin: release n=bookworm-security\nPin-Priority: 100\n" >"$1/etc/apt/preferences.d/bookworm"'
	else
		sources=("deb $mirror bookworm main" "deb $mirror bookworm-updates main"
			"deb $security bookworm-security main")
		hook=true
	fi
	log "bootstrapping Debian $system as a dom0 system (mmdebstrap, about 2 minutes)"
	mmdebstrap --quiet --variant=minbase --include="$(echo $PACKAGES | tr ' ' ,)" \
		--aptopt='APT::Install-Recommends "false"' \
		--setup-hook="$hook" "$system" "$tmp/root" "${sources[@]}" \
		>"$tmp/mmdebstrap.log" 2>&1 || { tail -n 30 "$tmp/mmdebstrap.log" >&2; return 1; }
}

t0=$SECONDS
base=$(cache_get "systems/$system" "system 1 $system $kver61 $kver612b $(echo $PACKAGES)" system_build)
echo "DATA system $system base_s=$((SECONDS - t0)) base_mb=$(du -sm "$base/root" | cut -f1)"

# This run's system: a copy, with xenpt installed as an admin installs it.
work=$(mktemp -d "${XENPT_FRESH_DIR:-/var/tmp}/xenpt-system.XXXXXX")
# XENPT_KEEP=1 keeps the disk image, for a look at what a boot left.
[ "${XENPT_KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT
root=$work/root
t=$SECONDS
cp -a "$base/root" "$root"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
mkdir -p "$root/tmp/xenpt-debs"
cp "$debs"/xenpt-dkms_*.deb "$debs"/libxenpt1_*.deb "$debs"/xenpt_*.deb "$root/tmp/xenpt-debs/"
# (root_run mounts a fresh /tmp: the .debs go through /root.)
mv "$root/tmp/xenpt-debs" "$root/root/xenpt-debs"
root_run "$root" /root "apt-get install -y -q ./xenpt-debs/*.deb && dkms status && update-initramfs -u -k all" \
	>"$out/install.log" 2>&1
rc=$?
tail -n 5 "$out/install.log" | sed 's/^/# /'
tap $rc "apt-get install of xenpt's .debs on Debian $system ($((SECONDS - t)) s, DKMS for every kernel)"
for k in $(ls "$root/lib/modules"); do
	[ -f "$root/lib/modules/$k/build/Makefile" ] || continue
	tap "$(grep -q "^xenpt/.*, $k, x86_64: installed" "$out/install.log"; echo $?)" \
		"DKMS built and installed xenpt for $k"
done
rm -rf "$root/root/xenpt-debs"

# The test: the unit, its scripts and programs, a guest for xl.
make -s -C "$XENPT_TOP/tests/guest" >&2
lib=$root/usr/local/lib/xenpt-test
mkdir -p "$lib" "$root/var/lib/xenpt-guest"
cp "$XENPT_TOP/tests/guest/lib.sh" "$XENPT_TOP/tests/system/run.sh" \
	"$XENPT_TOP/tests/system/$system.sh" "$lib/"
cp "$XENPT_TOP/tests/guest/gsi-check" "$XENPT_TOP/tests/guest/xen-view" "$root/usr/local/bin/"
install -m 0644 "$XENPT_TOP/tests/system/xenpt-test.service" "$root/etc/systemd/system/"
ln -sf /etc/systemd/system/xenpt-test.service \
	"$root/etc/systemd/system/multi-user.target.wants/xenpt-test.service"
for u in $MASK; do
	ln -sf /dev/null "$root/etc/systemd/system/$u"
done
printf '/dev/vda / ext4 rw,errors=remount-ro 0 1\n' >"$root/etc/fstab"
echo "xenpt-$system" >"$root/etc/hostname"
# The guest's console in a file, where the test reads it (xenconsoled
# does not make its log directory).
if [ "$system" = trixie ]; then
	mkdir -p "$root/var/log/xen/console"
	echo 'XENCONSOLED_ARGS="--log=guest --log-dir=/var/log/xen/console"' >>"$root/etc/default/xen"
fi
if [ "$system" = trixie ]; then
	eval "$("$XENPT_TOP/scripts/fetch.sh" stock)"
	gmods=()
	for m in drivers/pci/xen-pcifront drivers/net/ethernet/intel/e1000/e1000; do
		gmods+=(-m "$(find "$STOCK_MODULES/kernel/$(dirname "$m")" -maxdepth 1 \
			-name "$(basename "$m").ko*" -print -quit)")
	done
	"$XENPT_TOP/tests/initramfs.sh" -o "$root/var/lib/xenpt-guest/initrd.gz" \
		-i "$XENPT_TOP/tests/guest/domu-init.sh" "${gmods[@]}" 2>"$out/guest-initramfs.log"
	cp "$root/boot/vmlinuz-$kver61" "$root/var/lib/xenpt-guest/vmlinuz"
	cp "$XENPT_TOP/tests/system/pt-guest.cfg" "$root/etc/xen/pt-guest.cfg"
fi

# Everything a boot takes from the image's /boot, and the disk.
mkdir -p "$out/boot"
cp "$root"/boot/vmlinuz-* "$root"/boot/initrd.img-* "$out/boot/"
if [ "$system" = trixie ]; then
	gzip -dc "$root"/boot/xen-4.20-amd64.gz >"$out/boot/xen"
else
	eval "$("$XENPT_TOP/scripts/fetch.sh" xen420)"
	cp "$XEN420" "$out/boot/xen"
fi
t=$SECONDS
image=$work/disk.raw
mkfs.ext4 -q -F -L xenpt-root -d "$root" "$image" 4G
rm -rf "$root"
echo "DATA system $system image_s=$((SECONDS - t)) image_used_mb=$(du -sm "$image" | cut -f1) prepare_s=$((SECONDS - t0))"

# The boots, phase by phase, on the same disk: the phases and each one's
# kernel come from the scenario's header ("# phase N: RELEASE what").
while read -r phase k what; do
	series=$k
	echo "# boot $phase, Linux $k: $what"
	case $k in
	6.1) k=$kver61 ;;
	6.12) k=$(ls "$out/boot" | sed -n 's/^vmlinuz-\(6\.12\..*\)$/\1/p' | sort -V | tail -n 1) ;;
	esac
	t=$SECONDS
	rc=0
	"$XENPT_TOP/tests/boot.sh" --bed xen-pt --disk "$image" --timeout 900 \
		--kernel "$out/boot/vmlinuz-$k" --initrd "$out/boot/initrd.img-$k" \
		--xen "$out/boot/xen" --out "$out/boot$phase" \
		--append "root=/dev/vda rw xenpt.run=$system xenpt.phase=$phase ${XENPT_SYSTEM_ARGS:-}" \
		>"$out/boot$phase.out" 2>&1 || rc=$?
	echo "DATA system $system boot$phase kernel=$k s=$((SECONDS - t))"
	while IFS= read -r line; do
		case $line in
		"ok "*) tap 0 "boot $phase ($series): ${line#ok * - }" ;;
		"not ok "*) tap 1 "boot $phase ($series): ${line#not ok * - }" ;;
		"# "*) echo "$line" ;;
		esac
	done < <(grep -E '^(not )?ok |^# ' "$out/boot$phase.out" | grep -v '^# console line')
	[ "$rc" = 0 ] || [ "$rc" = 1 ] || tap 1 "boot $phase: the boot harness failed ($rc)"
done < <(sed -n 's/^# phase \([0-9]*\): \([^ ]*\) \(.*\)$/\1 \2 \3/p' "$XENPT_TOP/tests/system/$system.sh")
