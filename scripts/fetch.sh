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
#   linux612   Debian 12's 6.12 kernel, the one whose headers
#              linux-headers-6.12-amd64 installed (scripts/setup.sh; else the
#              newest linux-image-6.12.*+deb12-amd64 of bookworm-security and
#              -backports): LINUX612_KVER, LINUX612, LINUX612_MODULES
#   xentools420  Debian 13's own Xen 4.20 toolstack for a dom0 sysroot:
#              xen-utils-4.20 (xl, xenstored, xenconsoled, xen-init-dom0,
#              hvmloader), xen-utils-common (the xl wrapper), xenstore-utils,
#              libxenmisc4.20 (libxenctrl, libxenlight) and the libraries
#              they need, trixie's libc included; XENTOOLS420 is a tree to
#              copy to a dom0's /
#   qemuxen    Debian 13's QEMU 10 device model for HVM guests
#              (qemu-system-xen's /usr/libexec/xen-qemu-system-i386, the
#              libraries it needs, SeaBIOS and the option ROMs for direct
#              kernel boot): QEMUXEN is a tree to copy to a dom0's /, over
#              XENTOOLS420
#   libvirt    Debian 13's libvirtd, virsh and their Xen (libxl) and nodedev
#              drivers, the libraries they need beyond XENTOOLS420's,
#              libvirt's cpu_map, and xmllint (the hook's XML reader):
#              LIBVIRT is a tree to copy to a dom0's /, over XENTOOLS420
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
	kver=$(debian_kver 6.12)
	if [ -n "$kver" ]; then
		pkg=linux-image-$kver
	else
		names=$(apt_private bookworm apt-cache pkgnames linux-image-6.12 2>/dev/null |
			grep -E '^linux-image-6\.12\.[0-9]+\+deb12-amd64$' | sort -V) || true
		[ -n "$names" ] || die "no linux-image-6.12.*+deb12-amd64 in Debian 12's archive"
		pkg=$(printf '%s\n' "$names" | tail -n 1)
	fi
	kver=${pkg#linux-image-}
	d=$(debs_get "$pkg" bookworm "$pkg")
	find "$d/root/lib/modules/$kver" -name 'xen-pciback.ko*' -print -quit | grep -q . ||
		die "$pkg has no xen-pciback module"
	printf 'LINUX612_KVER=%s\n' "$kver"
	emit LINUX612 "$d/root/boot/vmlinuz-$kver"
	emit LINUX612_MODULES "$d/root/lib/modules/$kver"
}

# The builder of the dom0 sysroot: what the toolstack needs to run,
# without docs, python or ocaml.
sysroot_build() {
	local tmp=$1 libs=$2 utils=$3
	mkdir -p "$tmp/usr/lib" "$tmp/usr/sbin" "$tmp/etc"
	cp -a "$libs/root/usr/lib/x86_64-linux-gnu" "$libs/root/usr/lib64" \
		"$libs/root/usr/bin" "$tmp/usr/" &&
		mv "$tmp/usr/x86_64-linux-gnu" "$tmp/usr/lib/" &&
		cp -a "$utils/root/usr/lib/xen-4.20" "$utils/root/usr/lib/xen-common" \
			"$tmp/usr/lib/" &&
		rm -rf "$tmp/usr/lib/xen-4.20/lib/python" "$tmp/usr/lib/xen-4.20/ocaml" &&
		cp -a "$utils/root/usr/sbin/." "$tmp/usr/sbin/" &&
		cp -a "$utils/root/etc/xen" "$tmp/etc/" &&
		ln -s usr/lib64 "$tmp/lib64" || return 1
	[ -x "$tmp/usr/lib/xen-4.20/bin/xl" ] && [ -e "$tmp/lib64/ld-linux-x86-64.so.2" ] ||
		{ log "the Xen 4.20 packages lack xl or ld.so"; return 1; }
}

# The builder of the device model's sysroot: the binary, the libraries
# trixie's ld.so resolves for it, firmware.
qemu_build() {
	local tmp=$1 r=$2/root lib=usr/lib/x86_64-linux-gnu name path
	mkdir -p "$tmp/usr/libexec" "$tmp/$lib" "$tmp/usr/share/qemu" "$tmp/usr/share/seabios"
	cp "$r/usr/libexec/xen-qemu-system-i386" "$tmp/usr/libexec/" || return 1
	"$r/$lib/ld-linux-x86-64.so.2" --library-path "$r/$lib" \
		--list "$r/usr/libexec/xen-qemu-system-i386" >"$tmp/ldd.txt" || return 1
	# "libfoo.so.1 => /path/libfoo.so.1 (0x...)"; ld.so itself is in the
	# toolstack's sysroot already.
	while read -r name _ path _; do
		case $name:$path in
		/*) ;;
		*:/*) cp -L "$path" "$tmp/$lib/$name" || return 1 ;;
		esac
	done <"$tmp/ldd.txt"
	rm -f "$tmp/ldd.txt"
	cp "$r"/usr/share/seabios/{bios-256k.bin,bios.bin,vgabios-stdvga.bin} \
		"$tmp/usr/share/seabios/" &&
		cp "$r"/usr/share/qemu/{linuxboot_dma.bin,linuxboot.bin,kvmvapic.bin,efi-e1000.rom,pxe-e1000.rom} \
			"$tmp/usr/share/qemu/" &&
		mkdir -p "$tmp/usr/share/qemu/keymaps" &&
		cp "$r/usr/share/qemu/keymaps/en-us" "$tmp/usr/share/qemu/keymaps/" || return 1
}

fetch_qemuxen() {
	local d q
	d=$(debs_get qemu-xen trixie --closure qemu-system-xen seabios qemu-system-data ipxe-qemu)
	# The key names the builder's version too: a change to it rebuilds.
	q=$(cache_get dom0-sysroot/qemu-xen "qemu_build 2 $(cat "$d/debs.list")" qemu_build "$d")
	emit QEMUXEN "$q"
}

fetch_xentools() {
	local libs utils d
	libs=$(debs_get xentools-4.20-libs trixie --closure libxenmisc4.20 \
		libncurses6 libtinfo6 libyajl2 libgcc-s1 xenstore-utils)
	utils=$(debs_get xen-utils-4.20 trixie xen-utils-4.20 xen-utils-common)
	d=$(cache_get dom0-sysroot/xen-4.20 \
		"sysroot_build 1 $(cat "$libs/debs.list" "$utils/debs.list")" sysroot_build "$libs" "$utils")
	emit XENTOOLS420 "$d"
}

# The builder of libvirt's sysroot: its programs, its driver modules (it
# dlopens them), what trixie's ld.so resolves for them from libvirt's own
# packages (the Xen libraries come from the toolstack's sysroot), its data.
libvirt_build() {
	local tmp=$1 r=$2/root x=$3 lib=usr/lib/x86_64-linux-gnu name path f
	local elves=(usr/sbin/libvirtd usr/bin/virsh usr/bin/xmllint
		"$lib/libvirt/connection-driver/libvirt_driver_libxl.so"
		"$lib/libvirt/connection-driver/libvirt_driver_nodedev.so")
	mkdir -p "$tmp/$lib/libvirt/connection-driver" "$tmp/usr/sbin" "$tmp/usr/bin" \
		"$tmp/usr/share/libvirt" || return 1
	for f in "${elves[@]}"; do
		cp "$r/$f" "$tmp/$f" || return 1
		"$x/lib64/ld-linux-x86-64.so.2" --library-path "$r/$lib:$x/$lib" \
			--list "$r/$f" >"$tmp/ldd.txt" || return 1
		while read -r name _ path _; do
			case $path in
			"$r"/*) cp -L "$path" "$tmp/$lib/$name" || return 1 ;;
			esac
		done <"$tmp/ldd.txt"
	done
	rm -f "$tmp/ldd.txt"
	cp -a "$r/usr/share/libvirt/cpu_map" "$tmp/usr/share/libvirt/" || return 1
}

fetch_libvirt() {
	local d x l
	d=$(debs_get libvirt trixie --closure libvirt-daemon libvirt-daemon-driver-xen \
		libvirt-clients libvirt-daemon-driver-nodedev libxml2-utils)
	eval "$(fetch_xentools)"
	x=$XENTOOLS420
	l=$(cache_get dom0-sysroot/libvirt "libvirt_build 1 $(cat "$d/debs.list")" libvirt_build "$d" "$x")
	emit LIBVIRT "$l"
}

[ $# -gt 0 ] || usage
for item in "$@"; do
	case $item in
	stock) fetch_stock ;;
	xen417) fetch_xen 4.17 bookworm XEN417 ;;
	xen420) fetch_xen 4.20 trixie XEN420 ;;
	linux612) fetch_linux612 ;;
	xentools420) fetch_xentools ;;
	qemuxen) fetch_qemuxen ;;
	libvirt) fetch_libvirt ;;
	all)
		fetch_stock
		fetch_xen 4.17 bookworm XEN417
		fetch_xen 4.20 trixie XEN420
		fetch_linux612
		fetch_xentools
		fetch_qemuxen
		fetch_libvirt
		;;
	-h|--help) usage ;;
	*) log "unknown item: $item"; usage ;;
	esac
done
