#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Kernel code style and static checks: checkpatch.pl --strict (from the
# kernel source tarball), sparse (C=2) and W=1 against Debian's headers.
# Any finding fails.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$XENPT_TOP"

scripts/setup.sh
src=$(scripts/kernel-source.sh)
kver=$(debian_kver_or_die)
need sparse sparse

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
	"$src/scripts/checkpatch.pl" --no-tree --strict --terse --show-types \
		-f "$f" > "$tmp/checkpatch.out" || rc=$?
	grep -v '^total: 0 errors, 0 warnings, 0 checks' "$tmp/checkpatch.out" | sed 's/^/# /' || true
	tap "$rc" "checkpatch --strict $f"
done

rc=0
scripts/build-modules.sh -o "$tmp/build" "/lib/modules/$kver/build" W=1 C=2 \
	2> "$tmp/build.log" >/dev/null || rc=$?
# Anything but kbuild's own progress lines is a finding.
if grep -Ev '^(make|  [A-Z]+ |Skipping BTF)' "$tmp/build.log" | sed 's/^/# /' | grep .; then
	rc=1
fi
tap "$rc" "sparse (C=2) and W=1 against $kver: $(grep -c '^  CHECK ' "$tmp/build.log") files"
