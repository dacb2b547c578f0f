#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Kernel code style: checkpatch.pl --strict of Debian 12's 6.1 (from its
# kernel source tarball) on every file.  Any finding fails.  Builds with
# sparse (C=2) and W=1, and the later series' checkpatch, are the kernels
# stage's (tests/kernels.sh).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$XENPT_TOP"

scripts/setup.sh
src=$(scripts/kernel-source.sh)

files=$(find kernel tests/kunit include -name '*.[ch]' | sort)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
tap() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}
for f in $files; do
	rc=0
	# ENOSYS: Xen answers -ENOSYS for a hypercall it lacks (Xen 4.17's
	# PHYSDEVOP_setup_gsi); the code compares with Xen's answer, as
	# drivers/xen does.
	"$src/scripts/checkpatch.pl" --no-tree --strict --terse --show-types \
		--ignore ENOSYS -f "$f" > "$tmp/checkpatch.out" || rc=$?
	grep -v '^total: 0 errors, 0 warnings, 0 checks' "$tmp/checkpatch.out" | sed 's/^/# /' || true
	tap "$rc" "checkpatch --strict $f"
done
