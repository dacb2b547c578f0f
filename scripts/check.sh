#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check`: every test of the project, on a fresh Debian 12 machine
# (it installs and fetches what it needs first).
#
# Usage: scripts/check.sh [STAGE...]   (default: every stage of STAGES)
#
# Every stage is one row of STAGES below; everything else is derived from
# the rows.  A stage is judged on its own (a failed stage does not stop
# the rest): scripts/results.py counts the TAP lines it printed, and one
# failure for a stage that failed as a whole (a build error, a crash, a
# timeout) with its reason.  Its output is in build/check/STAGE.out, a
# boot's directory in build/check/STAGE/.  The last line is
# "N passed, N failed".
#
# Stages run two at a time (XENPT_JOBS, default 2: a QEMU under TCG uses one
# core), in the table's order, each once what it needs has run; a stage
# of weight 2 runs alone.  tests/README.md says how to add one.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cd "$XENPT_TOP"

# One row per stage:
#   name      the stage's name (build/check/NAME.out)
#   weight    cores it keeps busy: 1, or 2 (runs alone)
#   needs     what must run first, comma-separated, or -: "fetch" (Debian's
#             kernels, Xen and its tools in the cache: scripts/fetch.sh
#             all), other stages by name
#   run       "boot BED KERNEL XEN|- SCENARIO" (tests/run.sh: a scenario of
#             tests/guest/ on a bed of tests/beds.sh), or a command; $out
#             is build/check
# Ready stages start in the table's order, so the longest come first: the
# test kernel (both cores), the packages and the real systems after them.
STAGES='
test-kernel       2 -                  test_kernel
lint              1 -                  scripts/lint.sh
kernels           1 -                  tests/kernels.sh
user              1 -                  make -s -C user check
package           1 fetch              tests/package.sh $out/package
pt-cycles         1 fetch              boot xen-pt stock 4.20 passthrough-cycles
system-trixie     1 fetch,package      tests/system.sh trixie $out/package $out/system-trixie
system-bookworm   1 fetch,package      tests/system.sh bookworm $out/package $out/system-bookworm
stock-q35         1 fetch              boot q35 stock - module
stock-microvm     1 fetch              boot microvm stock - module
stock-pc          1 fetch              boot pc stock - module
xen-4.17          1 fetch              boot xen stock 4.17 xen-check
xen-4.20          1 fetch              boot xen stock 4.20 xen-check
upstream-4.20     1 fetch              boot xen 6.12 4.20 upstream
upstream-4.17     1 fetch              boot xen 6.12 4.17 upstream
xen-clients       1 fetch              boot xen stock 4.20 xen-clients
parity            1 xen-4.17,xen-4.20,upstream-4.20,upstream-4.17,xen-clients tests/parity.sh $out $out/xen-4.17 $out/xen-4.20 $out/upstream-4.20 $out/upstream-4.17 $out/xen-clients
cli-4.17          1 xen-4.17           python3 tests/check-cli.py $out/xen-4.17
cli-4.20          1 xen-4.20           python3 tests/check-cli.py $out/xen-4.20
pciback-ext-4.20  1 fetch              boot xen stock 4.20 pciback-ext
pciback-ext-4.17  1 fetch              boot xen stock 4.17 pciback-ext
pt-stock          1 fetch              boot xen-pt stock 4.20 passthrough-stock
pt-xenpt          1 fetch              boot xen-pt stock 4.20 passthrough
pt-giveback       1 fetch              boot xen-pt stock 4.20 passthrough-giveback
pt-late           1 fetch              boot xen-pt stock 4.20 passthrough-late
pt-upstream       1 fetch              boot xen-pt 6.12 4.20 passthrough-upstream
pt-upstream-xenpt 1 fetch              boot xen-pt 6.12 4.20 passthrough-upstream-xenpt
pt-4.17           1 fetch              boot xen-pt stock 4.17 passthrough-4.17
pt-hvm            1 fetch              boot xen-pt stock 4.20 passthrough-hvm
pt-libvirt        1 fetch              boot xen-lv stock 4.20 passthrough-libvirt
kunit             1 fetch,test-kernel  boot q35 debug - kunit
debug-q35         1 fetch,test-kernel  boot q35 debug - module
debug-microvm     1 fetch,test-kernel  boot microvm debug - module
xen-stress        1 fetch,test-kernel  boot xen debug 4.20 xen-stress
'

out=$XENPT_TOP/build/check
jobs=${XENPT_JOBS:-2}

row() { printf '%s\n' "$STAGES" | awk -v n="$1" '$1 == n'; }
field() { row "$1" | awk -v f="$2" '{ print $f }'; }
# The run column: everything from the fourth field on.
run_of() { row "$1" | awk '{ $1 = $2 = $3 = ""; sub(/^ +/, ""); print }'; }

test_kernel() {
	local k
	k=$(scripts/test-kernel.sh) || return 1
	echo "ok 1 - test kernel built: $k"
	k=$(scripts/test-kernel.sh --xen) || return 1
	echo "ok 2 - its variant for a Xen PVH dom0 built: $k"
}

# run_stage NAME: the stage's run column, its output in $out/NAME.out.
run_stage() {
	local name=$1 cmd
	cmd=$(run_of "$name")
	set -- $cmd
	if [ "$1" = boot ]; then
		[ "$4" = - ] && set -- "$1" "$2" "$3" "" "$5"
		tests/run.sh --bed "$2" --kernel "$3" ${4:+--xen "$4"} --scenario "$5" \
			--out "$out/$name"
	elif [ "$1" = test_kernel ]; then
		test_kernel
	else
		eval "$cmd"
	fi
}

# judge NAME RC SECONDS: count the stage's results, print its summary line.
judge() {
	local name=$1 rc=$2 secs=$3 counts p f line
	counts=$(python3 scripts/results.py count "$out/$name.out" --rc "$rc" --name "$name" |
		tail -n 2)
	p=$(printf '%s\n' "$counts" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
	f=$(printf '%s\n' "$counts" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
	if [ "${f:-1}" -eq 0 ]; then
		line="PASS $name: $p checks ($secs s)"
	else
		line="FAIL $name: $f of $((p + f)) checks failed ($secs s), see $out/$name.out"
		{ grep -E '^not ok|^# ' "$out/$name.out"; printf '%s\n' "$counts" | grep '^not ok'; } |
			head -n 20 | sed 's/^/    /' >&2
	fi
	printf '%s %s %s\n' "${p:-0}" "${f:-1}" "$line" >"$out/$name.summary"
	log "$line"
}

# The whole run is one function, read before it starts: edits to this file
# while it runs do not reach it.
main() {
	local s names=() want done_list=" " failed_list=" " pending=() running=()
	local busy=0 need ok n pid name rc total_p=0 total_f=0 p f line blocked
	local failed_need rpids
	declare -A started pids weight

	if [ $# -eq 0 ]; then
		mapfile -t names < <(printf '%s\n' "$STAGES" | awk 'NF && $1 !~ /^#/ { print $1 }')
	else
		for s in "$@"; do
			[ -n "$(row "$s")" ] ||
				die "unknown stage $s (stages: $(printf '%s\n' "$STAGES" | awk 'NF { printf "%s ", $1 }'))"
		done
		names=("$@")
	fi
	# What the chosen stages need, and are not: stages they wait for.
	want=" ${names[*]} "
	for s in "${names[@]}"; do
		for need in $(field "$s" 3 | tr ',' ' '); do
			case $need in
			-|fetch) ;;
			*) [[ $want == *" $need "* ]] || { names=("$need" "${names[@]}"); want=" ${names[*]} "; } ;;
			esac
		done
	done

	mkdir -p "$out"
	scripts/setup.sh || die "setup failed (see above)"
	for s in "${names[@]}"; do
		if [[ ,$(field "$s" 3), == *,fetch,* ]]; then
			scripts/fetch.sh all >/dev/null ||
				die "fetching Debian's kernels and Xen failed (see above)"
			break
		fi
	done

	pending=("${names[@]}")
	while [ ${#pending[@]} -gt 0 ] || [ ${#running[@]} -gt 0 ]; do
		# Start what can start, in the table's order; a ready stage
		# that does not fit yet holds back the ones after it.
		n=()
		blocked=0
		for s in "${pending[@]}"; do
			ok=1
			failed_need=
			for need in $(field "$s" 3 | tr ',' ' '); do
				case $need in
				-|fetch) ;;
				*)
					[[ $done_list == *" $need "* ]] || ok=0
					[[ $failed_list != *" $need "* ]] || failed_need=$need
					;;
				esac
			done
			weight[$s]=$(field "$s" 2)
			if [ $ok = 1 ] && [ -n "$failed_need" ]; then
				rm -rf "${out:?}/$s"
				echo "not ok 1 - not run: $failed_need, which it needs, failed" >"$out/$s.out"
				judge "$s" 1 0
				done_list+="$s "
				failed_list+="$s "
			elif [ $ok = 1 ] && [ $blocked = 0 ] &&
				{ [ $((busy + weight[$s])) -le "$jobs" ] || [ $busy = 0 ]; }; then
				rm -rf "${out:?}/$s" "$out/$s.out" "$out/$s.summary"
				log "stage $s ..."
				started[$s]=$SECONDS
				( run_stage "$s" >"$out/$s.out" 2>&1 ) &
				pids[$s]=$!
				running+=("$s")
				busy=$((busy + weight[$s]))
			else
				[ $ok = 0 ] || blocked=1
				n+=("$s")
			fi
		done
		[ ${#n[@]} -lt ${#pending[@]} ] || [ ${#running[@]} -gt 0 ] ||
			die "stages that wait for each other: ${n[*]}"
		pending=("${n[@]}")
		[ ${#running[@]} -gt 0 ] || continue
		# Wait for one to end.
		rpids=()
		for s in "${running[@]}"; do rpids+=("${pids[$s]}"); done
		wait -n -p pid "${rpids[@]}"
		rc=$?
		for name in "${running[@]}"; do
			[ "${pids[$name]}" = "$pid" ] && break
		done
		judge "$name" "$rc" $((SECONDS - started[$name]))
		done_list+="$name "
		read -r p f line <"$out/$name.summary"
		[ "$f" = 0 ] || failed_list+="$name "
		busy=$((busy - weight[$name]))
		n=()
		for s in "${running[@]}"; do [ "$s" = "$name" ] || n+=("$s"); done
		running=("${n[@]}")
	done

	echo
	for s in "${names[@]}"; do
		read -r p f line <"$out/$s.summary" 2>/dev/null ||
			{ p=0 f=1 line="FAIL $s: never ran (what it needs failed to start)"; }
		echo "$line"
		total_p=$((total_p + p))
		total_f=$((total_f + f))
	done
	echo "$total_p passed, $total_f failed"
	[ "$total_f" -eq 0 ]
}
main "$@"
exit
