#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Debian packages, as a dom0 admin gets them: in a fresh minimal
# Debian 12 root, build the source package (dpkg-buildpackage -us -uc),
# lintian it, install the four .debs with the headers of both Debian 12
# kernels, linux-headers-amd64 (6.1) and linux-headers-6.12-amd64
# (bookworm-security): DKMS builds both modules for each; check dkms
# status and modinfo for both, pkg-config and a program linked against
# libxenpt, xenpt --version, and that purging leaves nothing behind.  Then
# boot: with the packages and Debian's own kernel and initramfs-tools
# installed in that root, update-initramfs builds an initramfs with
# xen-pciback in it (as an admin who hides devices at boot has it); Xen 4.20
# boots it as a PVH dom0 with xen-pciback.hide=(0000:00:04.0), and a script
# of the initramfs (tests/package-check.sh) checks that xenpt's modules
# loaded, in the declared order, before xen-pciback seized the device.
#
# Usage: tests/package.sh OUT     (TAP lines; logs and .debs in OUT)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../scripts/lib.sh"
. "$XENPT_TOP/scripts/lib-apt.sh"
. "$XENPT_TOP/scripts/lib-root.sh"

[ $# -eq 1 ] || usage
out=$1
mkdir -p "$out"
out=$(cd "$out" && pwd)

n=0
tap() {
	n=$((n + 1))
	if [ "$1" = ok ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

version=$(sed -n '1s/^xenpt (\([^)-]*\).*/\1/p' "$XENPT_TOP/debian/changelog")
kver=$(debian_kver_or_die)
kver612=$(debian_kver 6.12)
[ -n "$kver612" ] || die "linux-headers-6.12-amd64 is not installed: run scripts/setup.sh"
work=$(mktemp -d "${XENPT_FRESH_DIR:-/var/tmp}/xenpt-package.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/root
t0=$SECONDS
root_bootstrap "$root" build-essential debhelper dh-dkms dkms lintian pkg-config \
	"linux-headers-$kver" "linux-image-$kver" "linux-headers-$kver612" \
	initramfs-tools busybox kmod
echo "DATA package bootstrap_s=$((SECONDS - t0))"

src=$root/build/xenpt-$version
root_copy_tree "$src"
cp "$here/package-in-root.sh" "$here/package-check.sh" "$root/build/"

root_run "$root" /build "bash package-in-root.sh $version $kver $kver612" \
	>"$out/in-root.log" 2>&1 || true
grep -E '^DATA |^# ' "$out/in-root.log" || true
# Renumber the root's TAP lines into ours.
while IFS= read -r line; do
	case $line in
	"ok "*) tap ok "${line#ok * - }" ;;
	"not ok "*) tap fail "${line#not ok * - }" ;;
	esac
done < <(grep -E '^(not )?ok [0-9]+ - ' "$out/in-root.log")
grep -q '^ok [0-9]* - everything purged' "$out/in-root.log" ||
	{ tail -n 40 "$out/in-root.log" | sed 's/^/# /'; }
cp "$root"/build/*.deb "$root"/build/*.changes "$root"/build/*.log "$out/" 2>/dev/null || true

# The same root as a plain chroot (sbuild's, pbuilder's: "/" not a mount
# point), where a root inside it cannot be made: one clear line, no
# unshare error.
msg=$(unshare --mount --propagation private bash -c '
	mount -t proc proc "$1/proc" && chroot "$1" /bin/bash -c \
		"cd /build/xenpt-$2 && . scripts/lib.sh && . scripts/lib-root.sh && root_run /build /build true"
	' plain-chroot "$root" "$version" 2>&1) && rc=0 || rc=$?
echo "# in a plain chroot: $msg"
[ "$rc" != 0 ] && [[ $msg == *'needs "/" to be a mount point'* ]] &&
	[[ $msg != *'cannot change root filesystem propagation'* ]] &&
	tap ok "a root inside a plain chroot is refused in one line" ||
	tap fail "a root inside a plain chroot is refused in one line (rc $rc)"

# The boot: Debian's kernel and the initramfs update-initramfs made.
if [ -f "$root/build/boot/initrd.img" ]; then
	eval "$("$XENPT_TOP/scripts/fetch.sh" xen420)"
	"$XENPT_TOP/tests/boot.sh" --bed xen --kernel "$root/build/boot/vmlinuz" \
		--initrd "$root/build/boot/initrd.img" --xen "$XEN420" --out "$out/boot" \
		--append "xen-pciback.hide=(0000:00:04.0)" >"$out/boot.out" 2>&1 || true
	while IFS= read -r line; do
		case $line in
		"ok "*) tap ok "boot: ${line#ok * - }" ;;
		"not ok "*) tap fail "boot: ${line#not ok * - }" ;;
		"# "*) echo "$line" ;;
		esac
	done < <(grep -E '^(not )?ok |^# ' "$out/boot.out" | grep -v '^# console line')
else
	tap fail "no initramfs came out of the package root"
fi
