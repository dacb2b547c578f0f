#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check`: every test of the project, on a fresh Debian 12 machine
# (it installs and fetches what it needs first).
#
# Usage: scripts/check.sh [STAGE...]   (default: every stage, in order)
#
# Stages are judged on their own; a failed stage does not stop the rest.
# Each stage's output is in build/check/STAGE.out, each boot's directory in
# build/check/STAGE/.  Every count comes from scripts/results.py: the TAP
# lines a stage printed, and one failure for a stage that failed as a whole
# (a build error, a crash, a timeout) with its reason.  The last line is
# "N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cd "$XENPT_TOP"

# The boots: one row per stage, run by tests/run.sh.
#  stage          bed      kernel  xen   scenario
BOOTS='
stock-q35         q35      stock   -     module
stock-microvm     microvm  stock   -     module
xen-4.17          xen      stock   4.17  xen-check
xen-4.20          xen      stock   4.20  xen-check
upstream-4.20     xen      6.12    4.20  upstream
upstream-4.17     xen      6.12    4.17  upstream
xen-clients       xen      stock   4.20  xen-clients
pciback-ext-4.20  xen      stock   4.20  pciback-ext
pciback-ext-4.17  xen      stock   4.17  pciback-ext
pt-stock          xen-pt   stock   4.20  passthrough-stock
pt-xenpt          xen-pt   stock   4.20  passthrough
pt-late           xen-pt   stock   4.20  passthrough-late
pt-upstream       xen-pt   6.12    4.20  passthrough-upstream
pt-4.17           xen-pt   stock   4.17  passthrough-4.17
pt-hvm            xen-pt   stock   4.20  passthrough-hvm
kunit             q35      debug   -     kunit
debug-q35         q35      debug   -     module
debug-microvm     microvm  debug   -     module
xen-stress        xen      debug   4.20  xen-stress
'
# Every stage in order: host-side ones by name, boots from the table.
STAGES='lint user stock-q35 stock-microvm xen-4.17 xen-4.20 upstream-4.20
upstream-4.17 xen-clients parity cli-4.17 cli-4.20 pciback-ext-4.20 pciback-ext-4.17
pt-stock pt-xenpt pt-late pt-upstream pt-4.17 pt-hvm
test-kernel kunit debug-q35 debug-microvm xen-stress package'

out=$XENPT_TOP/build/check
passed=0
failed=0
summary=()

# stage NAME COMMAND...: run it, log to $out/NAME.out, count its results.
stage() {
	local name=$1 start=$SECONDS rc=0 counts p f
	shift
	log "stage $name ..."
	"$@" >"$out/$name.out" 2>&1 || rc=$?
	counts=$(python3 scripts/results.py count "$out/$name.out" --rc "$rc" --name "$name" |
		tail -n 2)
	p=$(printf '%s\n' "$counts" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
	f=$(printf '%s\n' "$counts" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -eq 0 ]; then
		summary+=("PASS $name: $p checks ($((SECONDS - start)) s)")
	else
		summary+=("FAIL $name: $f of $((p + f)) checks failed ($((SECONDS - start)) s), see $out/$name.out")
		{ grep -E '^not ok|^# ' "$out/$name.out"; printf '%s\n' "$counts" | grep '^not ok'; } |
			head -n 20 | sed 's/^/    /' >&2
	fi
	log "${summary[-1]}"
}

boot() {	# NAME: the row of BOOTS
	local row
	row=$(printf '%s\n' "$BOOTS" | awk -v n="$1" '$1 == n')
	set -- $row
	[ "$4" = - ] && set -- "$1" "$2" "$3" "" "$5"
	tests/run.sh --bed "$2" --kernel "$3" ${4:+--xen "$4"} --scenario "$5" \
		--out "$out/$1"
}

test_kernel() {
	local k
	k=$(scripts/test-kernel.sh) || return 1
	echo "ok 1 - test kernel built: $k"
	k=$(scripts/test-kernel.sh --xen) || return 1
	echo "ok 2 - its variant for a Xen PVH dom0 built: $k"
}

debug_boot() {
	if [ "$test_kernel_ok" != 1 ]; then
		echo "not ok 1 - not run: the test kernel did not build"
		return 1
	fi
	boot "$1"
}

run_stage() {
	case $1 in
	lint) stage lint scripts/lint.sh ;;
	user) stage user make -s -C user check ;;
	parity) stage parity tests/parity.sh "$out" "$out/xen-4.17" "$out/xen-4.20" \
		"$out/upstream-4.20" "$out/upstream-4.17" "$out/xen-clients" ;;
	package) stage package tests/package.sh "$out/package" ;;
	cli-4.17|cli-4.20) stage "$1" python3 tests/check-cli.py "$out/xen-${1#cli-}" ;;
	test-kernel)
		stage test-kernel test_kernel
		grep -q '^ok 2 - its variant' "$out/test-kernel.out" && test_kernel_ok=1
		;;
	kunit|debug-*|xen-stress) stage "$1" debug_boot "$1" ;;
	*)
		printf '%s\n' "$BOOTS" | awk '{ print $1 }' | grep -qxF -- "$1" ||
			die "unknown stage $1 (stages: $(echo $STAGES))"
		stage "$1" boot "$1"
		;;
	esac
}

# The whole run is one function, read before it starts: edits to this file
# while it runs do not reach it.
main() {
	[ $# -gt 0 ] || set -- $STAGES
	mkdir -p "$out"
	scripts/setup.sh || die "setup failed (see above)"
	# The boots and the package test need Debian's kernels, Xen and its
	# tools; the host-side stages do not.
	if printf '%s\n' "$@" | grep -qvxE 'lint|user|parity|cli-4\.17|cli-4\.20'; then
		scripts/fetch.sh all >/dev/null ||
			die "fetching Debian's kernels and Xen failed (see above)"
	fi
	test_kernel_ok=0
	[ -n "$(printf '%s\n' "$@" | grep -E '^(kunit|debug-|xen-stress)')" ] &&
		! printf '%s\n' "$@" | grep -qx test-kernel &&
		set -- test-kernel "$@"
	for s in "$@"; do
		rm -rf "${out:?}/$s" "$out/$s.out"
		run_stage "$s"
	done

	echo
	printf '%s\n' "${summary[@]}"
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
main "$@"
exit
