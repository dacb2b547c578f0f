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
findings=0
for f in $files; do
	if ! "$src/scripts/checkpatch.pl" --no-tree --strict --terse \
		--show-types -f "$f" > "$tmp/checkpatch.out"; then
		findings=$((findings + 1))
	fi
	grep -v '^total: 0 errors, 0 warnings, 0 checks' "$tmp/checkpatch.out" || true
done
echo "checkpatch: $(echo "$files" | wc -w) files, $findings with findings"

scripts/build-modules.sh -o "$tmp" "/lib/modules/$kver/build" W=1 C=2 \
	2> "$tmp/build.log" >/dev/null || { cat "$tmp/build.log"; exit 1; }
# Anything but kbuild's own progress lines is a warning.
warnings=$(grep -Ev '^(make|  [A-Z]+ |Skipping BTF)' "$tmp/build.log" || true)
if [ -n "$warnings" ]; then
	echo "$warnings"
	findings=$((findings + 1))
fi
echo "sparse and W=1: $(grep -c '^  CHECK ' "$tmp/build.log") files checked"
if [ $findings -eq 0 ]; then
	echo "1 passed, 0 failed"
else
	echo "0 passed, 1 failed"
	exit 1
fi
