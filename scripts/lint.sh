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
	# ENOSYS: Xen answers -ENOSYS for a hypercall it lacks (Xen 4.17's
	# PHYSDEVOP_setup_gsi); the code compares with Xen's answer, as
	# drivers/xen does.
	"$src/scripts/checkpatch.pl" --no-tree --strict --terse --show-types \
		--ignore ENOSYS -f "$f" > "$tmp/checkpatch.out" || rc=$?
	grep -v '^total: 0 errors, 0 warnings, 0 checks' "$tmp/checkpatch.out" | sed 's/^/# /' || true
	tap "$rc" "checkpatch --strict $f"
done

# Both builds: the release one and the test one (XENPT_TEST=1 code).
for variant in release test; do
	rc=0
	flags=()
	[ "$variant" = release ] || flags=(--test)
	scripts/build-modules.sh "${flags[@]}" -o "$tmp/$variant" \
		"/lib/modules/$kver/build" W=1 C=2 2> "$tmp/build.log" >/dev/null || rc=$?
	# Anything but kbuild's own progress lines is a finding.
	if grep -Ev '^(make|  [A-Z]+ |Skipping BTF)' "$tmp/build.log" | sed 's/^/# /' | grep .; then
		rc=1
	fi
	tap "$rc" "sparse (C=2) and W=1, $variant build, against $kver: $(grep -c '^  CHECK ' "$tmp/build.log") files"
done
