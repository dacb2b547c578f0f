#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Builds xenpt's kernel modules for one kernel, out of the source tree, and
# prints where they are: build/modules/<kernel release>, or with --test
# build/modules/<kernel release>+test.
#
#   moddir=$(scripts/build-modules.sh [--test] [-o DIR] KDIR [make args...])
#
# --test builds the test-only module parameters in (XENPT_TEST=1, see
# Kbuild); -o puts the copy elsewhere (lint builds with other flags).
# Linux 6.1 has no MO=, so objects of an M= build land next to the
# sources: each kernel release gets its own copy of the Kbuild tree.  Only
# changed files are copied, so rebuilds stay incremental.  make's output
# goes to stderr.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=
variant=
make_args=()
while [ $# -gt 0 ]; do
	case $1 in
	--test) variant=+test; make_args+=(XENPT_TEST=1); shift ;;
	-o) out=$2; shift 2 ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || die "usage: $0 [-o DIR] KDIR [make arguments...]"
kdir=$1
shift
[ -f "$kdir/Makefile" ] ||
	die "no kernel build tree at $kdir: install linux-headers-amd64 (scripts/setup.sh), or set KDIR"
need make make
need gcc build-essential
[ -n "$out" ] || out=$XENPT_TOP/build/modules/$(kdir_release "$kdir")$variant
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$XENPT_TOP"
while IFS= read -r -d '' f; do
	mkdir -p "$out/$(dirname "$f")"
	cmp -s "$f" "$out/$f" || cp "$f" "$out/$f"
done < <(find Kbuild include kernel tests/kunit -type f \
	\( -name Kbuild -o -name '*.mk' -o -name '*.c' -o -name '*.h' \) -print0)

# The release, as modinfo's "version" (DKMS passes its own, dkms.conf).
version=$(sed -n '1s/^xenpt (\([^)-]*\).*/\1/p' debian/changelog)
make -C "$kdir" M="$out" XENPT_VERSION="$version" "${make_args[@]}" "$@" modules >&2
echo "$out"
