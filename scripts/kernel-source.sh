#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Prints the path of Debian's 6.1 kernel source (the linux-source-6.1
# package's tarball), unpacked once into the cache.  The one owner of that
# cache entry: the test kernel (scripts/test-kernel.sh) and checkpatch
# (scripts/lint.sh) both use it.
#
# Usage: src=$(scripts/kernel-source.sh)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$XENPT_TOP/scripts/lib-cache.sh"

PKG=linux-source-6.1
TARBALL=/usr/src/$PKG.tar.xz

[ -r "$TARBALL" ] || die "$TARBALL missing: install $PKG (apt-get install $PKG), or run scripts/setup.sh"
version=$(dpkg-query -W -f='${Version}' "$PKG" 2>/dev/null) ||
	die "$PKG is not installed: run scripts/setup.sh"

unpack() {
	local tmp=$1
	log "unpacking $TARBALL ($PKG $version)"
	tar -xJf "$TARBALL" -C "$tmp" --strip-components=1 || return 1
	[ -r "$tmp/Makefile" ] && [ -x "$tmp/scripts/checkpatch.pl" ] ||
		{ log "$TARBALL holds no kernel tree"; return 1; }
}

d=$(cache_get "src/$PKG" "$PKG $version" unpack)
echo "$d"
