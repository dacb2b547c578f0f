#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make check`: every test of the project, on a fresh Debian 12 machine.
#
# Stages, each judged on its own; a failed stage does not stop the rest:
#   lint            checkpatch --strict, sparse (C=2) and W=1 on the modules
#   user            libxenpt and the xenpt CLI: unit, fake-sysfs, CLI and
#                   fuzz tests under ASan and UBSan (user/)
#   stock-q35       Debian's 6.1 kernel, bed 1 (irq == GSI)
#   stock-microvm   Debian's 6.1 kernel, bed 2 (no PIC, irq != GSI)
#   kunit           the KUnit suites in the debug test kernel
#   debug-q35       the debug test kernel (KASAN, kmemleak, lockdep), bed 1,
#                   plus the load/unload stress run
#   debug-microvm   the same on bed 2
#   xen             real Xen (4.17 and 4.20) with Debian's 6.1 as PVH dom0,
#                   and upstream parity against Linux 6.12 (tests/xen/)
# Logs land in build/check/.  The last line is "N passed, N failed",
# counting every check the stages made (TAP lines, KUnit cases) and every
# stage that failed as a whole (a build error, a splat, a timeout).
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cd "$XENPT_TOP"

out=$XENPT_TOP/build/check
rm -rf "$out"
mkdir -p "$out"
passed=0
failed=0
summary=()

# stage NAME COMMAND...: run, log to $out/NAME.out, count its checks.
stage() {
	local name=$1 start=$SECONDS rc oks notoks
	shift
	log "stage $name ..."
	"$@" > "$out/$name.out" 2>&1
	rc=$?
	# Counts from check-log.sh's or ktap-summary.py's summary lines.
	oks=$(sed -n 's/^check-log: .*: \([0-9]*\) ok, .*/\1/p' "$out/$name.out" | paste -sd+ | bc)
	notoks=$(sed -n 's/^check-log: .*, \([0-9]*\) not ok, .*/\1/p' "$out/$name.out" | paste -sd+ | bc)
	k=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\1 \2/p' "$out/$name.out" | tail -n 1)
	oks=${oks:-0}
	notoks=${notoks:-0}
	if [ -n "$k" ]; then
		oks=$((oks + ${k% *}))
		notoks=$((notoks + ${k#* }))
	fi
	passed=$((passed + oks))
	failed=$((failed + notoks))
	if [ $rc -ne 0 ] && [ "$notoks" -eq 0 ]; then
		failed=$((failed + 1))	# the stage itself failed
	fi
	if [ $rc -eq 0 ]; then
		summary+=("PASS $name: $oks checks ($((SECONDS - start)) s)")
	else
		summary+=("FAIL $name: $notoks of $((oks + notoks)) checks failed, exit $rc ($((SECONDS - start)) s), see $out/$name.out")
		tail -n 25 "$out/$name.out" | sed 's/^/    /' >&2
	fi
	log "${summary[-1]}"
	return $rc
}

stock_beds() {
	local moddir
	eval "$(scripts/fetch.sh stock)"
	moddir=$(scripts/build-modules.sh "/lib/modules/$STOCK_KVER/build") || return 1
	tests/qemu/run-bed.sh --kernel "$STOCK_KERNEL" --moddir "$moddir" \
		--modules-of "$STOCK_MODULES" --bed "$1" --run module \
		--log "$out/stock-$1.log"
}

debug_beds() {
	tests/qemu/run-bed.sh --kernel "$KBUILD/arch/x86/boot/bzImage" \
		--moddir "$TESTMODS" \
		--modules-of "$KBUILD/modroot" --bed "$1" --run "$2" \
		--log "$out/debug-$1-$2.log" --debug-kernel || return 1
	if [ "$2" = kunit ]; then
		python3 scripts/ktap-summary.py "$out/debug-$1-$2.log"
	fi
}

test_kernel() {
	KBUILD=$(scripts/test-kernel.sh) || return 1
	echo "test kernel: $KBUILD"
	TESTMODS=$(scripts/build-modules.sh "$KBUILD" W=1) || return 1
	echo "test modules: $TESTMODS"
}

scripts/setup.sh || die "setup failed"
scripts/fetch.sh all > /dev/null || die "fetching Debian's kernels and Xen failed"

stage lint scripts/lint.sh
stage user make -s -C user check
stage stock-q35 stock_beds q35
stage stock-microvm stock_beds microvm
stage xen tests/xen/parity.sh "$out/xen"
if stage test-kernel test_kernel; then
	KBUILD=$(scripts/test-kernel.sh)
	TESTMODS=$XENPT_TOP/build/modules/$(kdir_release "$KBUILD")
	stage kunit debug_beds q35 kunit
	stage debug-q35 debug_beds q35 module
	stage debug-microvm debug_beds microvm module
fi

echo
printf '%s\n' "${summary[@]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
