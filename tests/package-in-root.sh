#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The part of tests/package.sh that runs inside the fresh root, in /build,
# with the tree in /build/xenpt-VERSION.  TAP lines, DATA lines.
#
# Usage: bash package-in-root.sh VERSION KERNEL_RELEASE KERNEL_RELEASE_6.12
# (the root has both Debian 12 kernels' headers; the first one boots)
set -u
version=$1
kver=$2
kver612=$3
n=0
tap() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}
show() { sed 's/^/# /' "$1" | tail -n "${2:-20}"; }
pkgs="xenpt-dkms libxenpt1 libxenpt-dev xenpt"

cd "/build/xenpt-$version" || exit 1
t=$SECONDS
dpkg-buildpackage -us -uc >/build/buildpackage.log 2>&1
rc=$?
[ $rc = 0 ] || show /build/buildpackage.log 40
tap $rc "dpkg-buildpackage -us -uc ($((SECONDS - t)) s)"
cd /build || exit 1
for d in *.deb; do
	echo "DATA package deb $d $(stat -c %s "$d")"
done
tap "$(ls *.dsc *.tar.* >/dev/null 2>&1; echo $?)" "a source package: $(ls *.dsc 2>/dev/null)"
nsym=$(dpkg-deb --ctrl-tarfile libxenpt1_*.deb | tar -xO ./symbols 2>/dev/null | grep -c '@LIBXENPT_1 ')
tap "$([ "${nsym:-0}" -gt 0 ]; echo $?)" "libxenpt1 has a symbols file (${nsym:-0} symbols, checked by dpkg-gensymbols -c4)"

lintian --fail-on error,warning --info ./*.changes >/build/lintian.log 2>&1
rc=$?
show /build/lintian.log 30
tap $rc "lintian --fail-on error,warning: $(grep -c '^[EW]:' /build/lintian.log) errors and warnings"

t=$SECONDS
apt-get install -y -q ./xenpt-dkms_*.deb ./libxenpt1_*.deb ./libxenpt-dev_*.deb \
	./xenpt_*.deb >/build/install.log 2>&1
rc=$?
[ $rc = 0 ] || show /build/install.log 40
echo "DATA package install_with_dkms_s=$((SECONDS - t))"
tap $rc "apt-get install of the four packages ($((SECONDS - t)) s, DKMS build included)"
dkms status >/build/dkms.log 2>&1
show /build/dkms.log 5
for k in $kver $kver612; do
	tap "$(grep -q "^xenpt/$version, $k, x86_64: installed" /build/dkms.log; echo $?)" \
		"dkms status: xenpt/$version installed for $k"
	for m in privcmd-gsi pciback-ext; do
		f=/lib/modules/$k/updates/dkms/$m.ko
		[ -e "$f" ] || f=$f.xz
		tap "$([ -e "$f" ]; echo $?)" "DKMS built $m for $k"
		modinfo "$m" -k "$k" >/build/modinfo.log 2>&1
		tap "$(grep -q "^version: *$version$" /build/modinfo.log &&
			grep -q '^license: *GPL' /build/modinfo.log &&
			grep -q '^description:' /build/modinfo.log &&
			grep -q "^vermagic: *$k " /build/modinfo.log; echo $?)" \
			"modinfo $m -k $k: version $version, GPL, a description, its vermagic"
	done
done

cat >/build/prog.c <<'PROG'
#include <stdio.h>
#include <xenpt.h>

int main(void)
{
	struct xenpt_ctx *ctx;
	struct xenpt_bdf bdf;
	char s[XENPT_BDF_STRLEN];

	if (xenpt_ctx_new(&ctx) || xenpt_bdf_parse("00:04.0", &bdf) ||
	    xenpt_bdf_format(&bdf, s, sizeof(s)) < 0)
		return 1;
	printf("%s\n", s);
	xenpt_ctx_unref(ctx);
	return 0;
}
PROG
flags=$(pkg-config --cflags --libs libxenpt 2>&1)
tap $? "pkg-config --cflags --libs libxenpt: $flags"
# shellcheck disable=SC2086 # pkg-config's words
gcc -Wall -Werror -o /build/prog /build/prog.c $flags >/build/prog.log 2>&1
rc=$?
show /build/prog.log
tap $rc "a program builds and links against libxenpt"
tap "$([ "$(/build/prog)" = 0000:00:04.0 ]; echo $?)" "... and runs: $(/build/prog)"
v=$(xenpt --version 2>&1)
tap "$(echo "$v" | grep -q "$version"; echo $?)" "xenpt --version: $v"
tap "$(test -f /usr/share/bash-completion/completions/xenpt; echo $?)" "bash completion installed"
tap "$(test -d /var/lib/xenpt; echo $?)" "state directory /var/lib/xenpt"

# An initramfs with xen-pciback, as an admin who hides a device at boot
# has it: xen-pciback in the initramfs, and loaded before the device's own
# driver (Debian's udev probes that one in init-top), and the boot check.
# xenpt's hook and softdep must put its modules before xen-pciback.
echo xen-pciback >>/etc/initramfs-tools/modules
echo 'softdep e1000 pre: xen-pciback' >/etc/modprobe.d/hide-e1000.conf
install -m 0755 /build/package-check.sh /etc/initramfs-tools/scripts/init-premount/xenpt-check
# The check runs the packaged xenpt in the initramfs, where Debian's udevd
# runs: persistence is proven with udev's own rule processing.
cat >/etc/initramfs-tools/hooks/xenpt-check <<'HOOK'
#!/bin/sh
[ "$1" = prereqs ] && exit 0
. /usr/share/initramfs-tools/hook-functions
copy_exec /usr/sbin/xenpt /usr/sbin
HOOK
chmod 0755 /etc/initramfs-tools/hooks/xenpt-check
update-initramfs -u -k "$kver" >/build/initramfs.log 2>&1
rc=$?
show /build/initramfs.log 10
tap $rc "update-initramfs with the packages' hook"
lsinitramfs "/boot/initrd.img-$kver" >/build/lsinitramfs.log 2>&1
for f in privcmd-gsi.ko pciback-ext.ko xen-pciback.ko modprobe.d/xenpt.conf \
	modprobe.d/hide-e1000.conf scripts/init-top/xenpt; do
	tap "$(grep -q "$f" /build/lsinitramfs.log; echo $?)" "the initramfs holds $f"
done
mkdir -p /build/boot
cp "/boot/vmlinuz-$kver" /build/boot/vmlinuz
cp "/boot/initrd.img-$kver" /build/boot/initrd.img
rm -f /etc/initramfs-tools/scripts/init-premount/xenpt-check /etc/initramfs-tools/hooks/xenpt-check
sed -i '/^xen-pciback$/d' /etc/initramfs-tools/modules
rm -f /etc/modprobe.d/hide-e1000.conf

# Purge: nothing of the packages may stay.
for p in $pkgs; do dpkg -L "$p"; done 2>/dev/null | sort -u >/build/files.txt
apt-get purge -y -q $pkgs >/build/purge.log 2>&1
rc=$?
[ $rc = 0 ] || show /build/purge.log 30
tap $rc "apt-get purge of the four packages"
left=
while IFS= read -r f; do
	# Directories the packages share with the system stay.
	[ -e "$f" ] && [ ! -d "$f" ] && left="$left $f"
done </build/files.txt
for f in /var/lib/xenpt /var/lib/dkms/xenpt /usr/src/xenpt-$version \
	/lib/modules/$kver/updates/dkms/privcmd-gsi.ko /lib/modules/$kver/updates/dkms/pciback-ext.ko \
	/lib/modules/$kver612/updates/dkms/privcmd-gsi.ko /lib/modules/$kver612/updates/dkms/pciback-ext.ko; do
	[ -e "$f" ] && left="$left $f"
done
tap "$([ -z "$left" ]; echo $?)" "everything purged${left:+, left:$left}"
