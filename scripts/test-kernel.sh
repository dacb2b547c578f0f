#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (or reuse) the x86_64 test kernel: Debian's 6.1 source, tinyconfig
# plus tests/kunit/test-kernel.config, built out of tree (O=) in the cache.
#
#   KBUILD=$(scripts/test-kernel.sh)     build if needed, print the build dir
#   scripts/test-kernel.sh --print-dir   print the build dir, build nothing
#
# The build dir holds arch/x86/boot/bzImage, the modules installed under
# modroot/ (stripped, unsigned), and is prepared for `make -C $KBUILD M=...`.
# It is keyed by the fragment, the kernel source version and the compiler;
# a build that did not finish is never reused.  Progress goes to stderr,
# make's output to $KBUILD/build.log; stdout is only the build dir.

set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Bump to force a rebuild when this script's build steps change.
KEY_VERSION=1
SRC_PKG=linux-source-6.1
TARBALL=/usr/src/$SRC_PKG.tar.xz
FRAGMENT=$XENPT_TOP/tests/kunit/test-kernel.config
SRC=$XENPT_CACHE/src/$SRC_PKG

usage() {
	echo "usage: $0 [--print-dir]" >&2
	exit 2
}

print_dir=0
case $# in
0) ;;
1) [ "$1" = --print-dir ] || usage; print_dir=1 ;;
*) usage ;;
esac

[ -r "$FRAGMENT" ] || die "missing config fragment $FRAGMENT"

# VERSION, PATCHLEVEL, SUBLEVEL and EXTRAVERSION from the top Makefile,
# read from the unpacked tree or, when there is none yet, from the tarball.
src_version() {
	local head
	if [ -r "$SRC/Makefile" ]; then
		head=$(sed -n 1,10p "$SRC/Makefile")
	elif [ -r "$TARBALL" ]; then
		# Stop at the first match; head may end the pipe early (SIGPIPE).
		head=$(tar --occurrence=1 -xJOf "$TARBALL" "$SRC_PKG/Makefile" 2>/dev/null |
			head -n 10) || true
	else
		die "$TARBALL is missing: run scripts/setup.sh (it installs $SRC_PKG)"
	fi
	printf '%s\n' "$head" | grep -E '^(VERSION|PATCHLEVEL|SUBLEVEL|EXTRAVERSION) =' ||
		die "cannot read the kernel version of $SRC_PKG"
}

build_key() {
	{
		echo "key-version $KEY_VERSION"
		src_version
		echo "package $(dpkg-query -W -f='${Version}' "$SRC_PKG" 2>/dev/null || echo none)"
		echo "compiler $(gcc --version 2>/dev/null | head -n 1)"
		echo "fragment"
		cat "$FRAGMENT"
	} | sha256sum | cut -c1-16
}

KEY=$(build_key)
KBUILD=$XENPT_CACHE/test-kernel/$KEY

if [ "$print_dir" = 1 ]; then
	echo "$KBUILD"
	exit 0
fi

if [ -e "$KBUILD/.done" ]; then
	log "reusing test kernel $KBUILD"
	echo "$KBUILD"
	exit 0
fi

command -v gcc >/dev/null || die "gcc is missing: run scripts/setup.sh"
for tool in make flex bison bc; do
	command -v "$tool" >/dev/null || die "$tool is missing: run scripts/setup.sh"
done

mkdir -p "$XENPT_CACHE/src" "$XENPT_CACHE/test-kernel"

# One builder per key, one unpacker per tree; the others wait and reuse.
exec 9>"$XENPT_CACHE/test-kernel/$KEY.lock"
flock 9
if [ -e "$KBUILD/.done" ]; then
	log "reusing test kernel $KBUILD"
	echo "$KBUILD"
	exit 0
fi

unpack_source() {
	local tmp
	[ -r "$TARBALL" ] ||
		die "$TARBALL is missing: run scripts/setup.sh (it installs $SRC_PKG)"
	log "unpacking $TARBALL into $XENPT_CACHE/src"
	tmp=$(mktemp -d "$XENPT_CACHE/src/.unpack.XXXXXX")
	tar -xJf "$TARBALL" -C "$tmp" || { rm -rf "$tmp"; die "cannot unpack $TARBALL"; }
	[ -r "$tmp/$SRC_PKG/Makefile" ] || { rm -rf "$tmp"; die "$TARBALL has no $SRC_PKG/"; }
	mv "$tmp/$SRC_PKG" "$SRC"
	rmdir "$tmp"
}

exec 8>"$XENPT_CACHE/src/.$SRC_PKG.lock"
flock 8
[ -r "$SRC/Makefile" ] || unpack_source
flock -u 8
# The key was computed before a possible unpack; it must not have moved.
[ "$(build_key)" = "$KEY" ] || die "kernel source changed while starting; run again"

# An O= build refuses a source tree that was configured in place.
if [ -e "$SRC/.config" ] || [ -d "$SRC/include/config" ]; then
	die "$SRC has been configured in place; run 'make mrproper' there or delete it"
fi

TMP=$KBUILD.tmp
rm -rf "$TMP"
mkdir -p "$TMP"
BLOG=$TMP/build.log
: >"$BLOG"

kmake() {
	make -C "$SRC" ARCH=x86_64 O="$TMP" "$@" >>"$BLOG" 2>&1 || {
		tail -n 40 "$BLOG" >&2
		die "'make $*' failed; full log in $BLOG"
	}
}

START=$SECONDS
log "building test kernel $KEY (Linux $(src_version | awk '{ v = v (NR > 1 && $3 != "" && $1 != "EXTRAVERSION" ? "." : "") $3 } END { print v }'), $(nproc) jobs) in $TMP"

kmake tinyconfig
(cd "$SRC" && ARCH=x86_64 scripts/kconfig/merge_config.sh -m -O "$TMP" \
	"$TMP/.config" "$FRAGMENT") >>"$BLOG" 2>&1 ||
	die "merge_config.sh failed; full log in $BLOG"
kmake olddefconfig

# Every setting of the fragment must have survived olddefconfig.
missing=()
while IFS= read -r line; do
	case $line in
	CONFIG_*=*)
		grep -qxF -- "$line" "$TMP/.config" || missing+=("$line")
		;;
	"# CONFIG_"*" is not set")
		sym=${line#\# }
		sym=${sym%% *}
		! grep -q "^$sym=" "$TMP/.config" || missing+=("$line")
		;;
	esac
done <"$FRAGMENT"
if [ ${#missing[@]} -gt 0 ]; then
	for line in "${missing[@]}"; do
		sym=${line#\# }
		sym=${sym%%[= ]*}
		got=$(grep -E "^(# )?${sym}[= ]" "$TMP/.config" || echo "absent")
		log "  wanted '$line', got '$got'"
	done
	die "${#missing[@]} setting(s) of $FRAGMENT did not survive olddefconfig (see above)"
fi
cp "$FRAGMENT" "$TMP/xenpt-fragment.config"
log "config done after $((SECONDS - START)) s"

kmake -j"$(nproc)" bzImage modules
kmake modules_prepare
KREL=$(cat "$TMP/include/config/kernel.release")
kmake modules_install INSTALL_MOD_PATH="$TMP/modroot" INSTALL_MOD_STRIP=1
[ -s "$TMP/arch/x86/boot/bzImage" ] || die "no bzImage after the build; see $BLOG"

rm -rf "$KBUILD"
mv "$TMP" "$KBUILD"
# modules_install links build -> the temporary dir name; follow the rename.
ln -sfn "$KBUILD" "$KBUILD/modroot/lib/modules/$KREL/build"
touch "$KBUILD/.done"
log "build done after $((SECONDS - START)) s: $KREL, $KBUILD/arch/x86/boot/bzImage"
echo "$KBUILD"
