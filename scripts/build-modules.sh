#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Builds xenpt's kernel modules for one kernel, out of the source tree, and
# prints where they are: build/modules/<kernel release>.
#
#   moddir=$(scripts/build-modules.sh [-o DIR] KDIR [make arguments...])
#
# -o puts the copy elsewhere (lint builds with other flags).
# Linux 6.1 has no MO=, so objects of an M= build land next to the
# sources: each kernel release gets its own copy of the Kbuild tree.  Only
# changed files are copied, so rebuilds stay incremental.  make's output
# goes to stderr.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=
if [ "${1:-}" = -o ]; then
	out=$2
	shift 2
fi
[ $# -ge 1 ] || die "usage: $0 [-o DIR] KDIR [make arguments...]"
kdir=$1
shift
[ -f "$kdir/Makefile" ] ||
	die "no kernel build tree at $kdir: install linux-headers-amd64 (scripts/setup.sh), or set KDIR"
need make make
need gcc build-essential
[ -n "$out" ] || out=$XENPT_TOP/build/modules/$(kdir_release "$kdir")
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$XENPT_TOP"
while IFS= read -r -d '' f; do
	mkdir -p "$out/$(dirname "$f")"
	cmp -s "$f" "$out/$f" || cp "$f" "$out/$f"
done < <(find Kbuild include kernel tests/kunit -type f \
	\( -name Kbuild -o -name '*.c' -o -name '*.h' \) -print0)

make -C "$kdir" M="$out" "$@" modules >&2
echo "$out"
