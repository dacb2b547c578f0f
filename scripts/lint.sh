#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Kernel code style and static checks: checkpatch.pl --strict (from the
# kernel source tarball), sparse (C=2) and W=1 against Debian's headers.
# Any finding fails.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$XENPT_TOP"

src=$XENPT_CACHE/src/linux-source-6.1
if [ ! -x "$src/scripts/checkpatch.pl" ]; then
	mkdir -p "$XENPT_CACHE/src"
	tar -xJf /usr/src/linux-source-6.1.tar.xz -C "$XENPT_CACHE/src" \
		linux-source-6.1/scripts/checkpatch.pl \
		linux-source-6.1/scripts/spelling.txt \
		linux-source-6.1/scripts/const_structs.checkpatch
fi

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

kver=$(debian_kver)
scripts/build-modules.sh "/lib/modules/$kver/build" "$tmp" W=1 C=2 \
	> "$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; exit 1; }
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
