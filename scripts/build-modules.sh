#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the kernel modules for one kernel, out of the source tree.
#
#   build-modules.sh KDIR OUTDIR [make arguments...]
#
# Linux 6.1 has no MO=, so objects of an M= build land next to the
# sources: each kernel gets its own copy of the Kbuild tree in OUTDIR.
# Only changed files are copied, so rebuilds stay incremental.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -ge 2 ] || die "usage: $0 KDIR OUTDIR [make arguments...]"
kdir=$1
out=$2
shift 2
[ -f "$kdir/Makefile" ] ||
	die "no kernel build tree at $kdir (run scripts/setup.sh, or set KDIR)"

mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$XENPT_TOP"
while IFS= read -r -d '' f; do
	mkdir -p "$out/$(dirname "$f")"
	cmp -s "$f" "$out/$f" || cp "$f" "$out/$f"
done < <(find Kbuild include kernel tests/kunit -type f \
	\( -name Kbuild -o -name '*.c' -o -name '*.h' \) -print0)

make -C "$kdir" M="$out" "$@" modules
