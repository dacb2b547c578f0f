#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds a gzip'd newc initramfs for the QEMU test beds, without root.
#
# Usage: tests/initramfs.sh -o OUT.cpio.gz -i INIT_SCRIPT [-m MODDIR_OR_KO]...
#                           [-f SRC:DEST]... [-d SRCDIR:DEST]...
#   -o OUT         output file (gzip'd newc cpio)
#   -i INIT        script installed as /init (mode 755)
#   -m KO|DIR      a kernel module (.ko, .ko.xz, .ko.zst, .ko.gz), or a
#                  directory whose modules are all taken; repeatable.  They land
#                  decompressed and flattened in /lib/xenpt-modules/NAME.ko
#   -f SRC:DEST    copy file SRC to absolute path DEST, keeping its mode;
#                  repeatable
#   -d SRCDIR:DEST copy the tree SRCDIR (links kept) to absolute path DEST;
#                  repeatable
#
# Contents: /bin/busybox (busybox-static) with a symlink for every applet at
# its usual path, /dev /proc /sys /sys/kernel/debug /tmp /root /etc, a
# /dev/console node, /init, the modules and the extra files.  All entries are
# owned by 0:0 with a fixed mtime, and the archive is byte-for-byte
# reproducible from the same inputs.

set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"


out=
init=
mods=()
files=()
trees=()
while getopts 'o:i:m:f:d:h' opt; do
	case $opt in
	o) out=$OPTARG ;;
	i) init=$OPTARG ;;
	m) mods+=("$OPTARG") ;;
	f) files+=("$OPTARG") ;;
	d) trees+=("$OPTARG") ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || { log "unexpected argument: $1"; usage; }
[ -n "$out" ] || { log "missing -o OUT"; usage; }
[ -n "$init" ] || { log "missing -i INIT_SCRIPT"; usage; }
[ -f "$init" ] || die "init script not found: $init"

for cmd in cpio gzip; do
	command -v "$cmd" >/dev/null 2>&1 || die "$cmd not found (run scripts/setup.sh)"
done

# busybox from busybox-static: a dynamically linked one would not run in an
# initramfs without its libraries.
busybox=$(dpkg-query -L busybox-static 2>/dev/null | grep -E '/bin/busybox$' | head -n 1) || true
if [ -z "$busybox" ] || [ ! -x "$busybox" ]; then
	die "busybox-static is not installed (run scripts/setup.sh)"
fi

# Fixed timestamp for every entry: reproducible archives.
epoch=${SOURCE_DATE_EPOCH:-0}

stage=$(mktemp -d "${TMPDIR:-/tmp}/xenpt-initramfs.XXXXXX")
trap 'rm -rf "$stage"' EXIT
root=$stage/root
mkdir -p "$root"

for d in bin sbin usr/bin usr/sbin dev proc sys sys/kernel/debug etc root tmp \
	lib/xenpt-modules; do
	mkdir -p "$root/$d"
done

cp "$busybox" "$root/bin/busybox"
chmod 755 "$root/bin/busybox"
# --list-full gives each applet's usual path (bin/sh, sbin/insmod, ...).
while read -r applet; do
	case $applet in
	*/*) ;;
	*) continue ;;	# linuxrc
	esac
	[ -e "$root/$applet" ] || [ -L "$root/$applet" ] && continue
	mkdir -p "$root/$(dirname "$applet")"
	ln -s /bin/busybox "$root/$applet"
done < <("$busybox" --list-full)
[ -L "$root/bin/sh" ] || die "busybox has no sh applet"

cp "$init" "$root/init"
chmod 755 "$root/init"

# Copies one module, decompressing it, to /lib/xenpt-modules/NAME.ko.
add_module() {
	local src=$1 name dst
	name=$(basename "$src")
	name=${name%.xz}
	name=${name%.zst}
	name=${name%.gz}
	dst=$root/lib/xenpt-modules/$name
	[ ! -e "$dst" ] || die "two modules named $name (from $src)"
	case $src in
	*.ko.xz) xz -dc "$src" >"$dst" || die "cannot decompress $src" ;;
	*.ko.zst) zstd -q -dc "$src" >"$dst" || die "cannot decompress $src" ;;
	*.ko.gz) gzip -dc "$src" >"$dst" || die "cannot decompress $src" ;;
	*.ko) cp "$src" "$dst" ;;
	*) die "not a kernel module: $src" ;;
	esac
	chmod 644 "$dst"
}

for m in ${mods[@]+"${mods[@]}"}; do
	if [ -d "$m" ]; then
		found=0
		while IFS= read -r -d '' ko; do
			add_module "$ko"
			found=1
		done < <(find "$m" -type f \( -name '*.ko' -o -name '*.ko.xz' \
			-o -name '*.ko.zst' -o -name '*.ko.gz' \) -print0 | LC_ALL=C sort -z)
		[ "$found" -eq 1 ] || die "no kernel modules under $m"
	elif [ -f "$m" ]; then
		add_module "$m"
	else
		die "module not found: $m"
	fi
done

for spec in ${files[@]+"${files[@]}"}; do
	case $spec in
	*:/*) ;;
	*) die "-f wants SRC:DEST with an absolute DEST, got: $spec" ;;
	esac
	src=${spec%:*}
	dest=${spec##*:}
	[ -f "$src" ] || die "file not found: $src"
	case /$dest/ in
	*/../*) die "DEST must not contain ..: $dest" ;;
	esac
	mkdir -p "$root$(dirname "$dest")"
	[ ! -d "$root$dest" ] || die "DEST is a directory in the initramfs: $dest"
	rm -f "$root$dest"	# may be a busybox applet symlink
	cp --preserve=mode "$src" "$root$dest"
done

for spec in ${trees[@]+"${trees[@]}"}; do
	case $spec in
	*:/*) ;;
	*) die "-d wants SRCDIR:DEST with an absolute DEST, got: $spec" ;;
	esac
	src=${spec%:*}
	dest=${spec##*:}
	[ -d "$src" ] || die "directory not found: $src"
	mkdir -p "$root$dest"
	cp -a "$src/." "$root$dest/"
done

# Normalise what the archive records: modes of directories (umask), mtimes.
find "$root" -type d -exec chmod 755 {} +
chmod 1777 "$root/tmp"
chmod 700 "$root/root"
find "$root" -exec touch -h -d "@$epoch" {} +

# Writes one newc header and name for an entry without data:
# newc_entry NAME MODE RDEVMAJOR RDEVMINOR INO
newc_entry() {
	local namesize=$((${#1} + 1))
	printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
		"$5" "$2" 0 0 1 "$epoch" 0 0 0 "$3" "$4" "$namesize" 0
	printf '%s\0' "$1"
	head -c $(((4 - (110 + namesize) % 4) % 4)) /dev/zero
}

# A second archive holding the character device /dev/console (5:1), which
# cpio cannot archive without root.  The kernel needs it to give /init its
# stdio; kernels with the default built-in initramfs have it already, which
# is harmless.  The kernel unpacks concatenated archives in order.
console_cpio() {
	newc_entry dev/console $((8#020600)) 5 1 1
	newc_entry 'TRAILER!!!' 0 0 0 0
}

mkdir -p "$(dirname "$out")"
tmp_out=$(mktemp "$(dirname "$out")/.$(basename "$out").XXXXXX")
(
	cd "$root" || exit 1
	# errexit does not apply here (left of ||): check each step.
	find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort |
		cpio -o -H newc --owner=0:0 --renumber-inodes --ignore-devno --quiet ||
		exit 1
	console_cpio || exit 1
) | gzip -n -9 >"$tmp_out" || { rm -f "$tmp_out"; die "cannot write the archive"; }
chmod 644 "$tmp_out"
mv -f "$tmp_out" "$out"
log "initramfs: $out ($(du -k "$out" | cut -f1) KiB)"
