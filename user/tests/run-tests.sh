#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run-tests.sh BUILD TEST...: runs every suite of "make check", prints their
# TAP lines and ends with one line "N passed, N failed" counted by
# scripts/results.py; exits non-zero on any failure.
#
#   unit suites   BUILD/asan/TEST, with libasan and BUILD/fakesys.so preloaded,
#                 BUILD/fakexc (libxenctrl.so.4.20) in LD_LIBRARY_PATH
#   cli           tests/cli_test.sh against BUILD/asan/xenpt
#   abi           exported symbols of libxenpt.so == lib/libxenpt.sym, and a
#                 program linked to the shared libraries works
#   fuzz          BUILD/fuzz/fuzz_bdf for FUZZ_TIME s, if $CLANG exists
set -u
B=$1
shift
HERE=$(cd "$(dirname "$0")/.." && pwd)
cd "$HERE" || exit 1
ABS_B=$HERE/$B
ASAN_LIB=$(${CC:-gcc} -print-file-name=libasan.so)
PRELOAD="$ASAN_LIB $ABS_B/fakesys.so"
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0}
# the fake libxenctrl.so.4.20 (tests/fakexc.c) that libxenpt dlopens for
# the fixtures' Xen 4.20, as it would the real one
export LD_LIBRARY_PATH=$ABS_B/fakexc${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# fixtures are hundreds of small files: tmpfs makes the suites ~20x faster
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	TMPDIR=$(mktemp -d /dev/shm/xenpt-check.XXXXXX)
else
	TMPDIR=$(mktemp -d "${TMPDIR:-/tmp}/xenpt-check.XXXXXX")
fi
export TMPDIR
trap 'rm -rf "$TMPDIR"' EXIT INT TERM

ALL=$TMPDIR/all.out
: >"$ALL"

# run_suite NAME CMD...: the suite's TAP lines, and one failing line when it
# failed without saying which test did (a crash, a sanitizer abort).
run_suite() {
	name=$1
	shift
	log=$TMPDIR/$name.log
	echo "# --- $name" | tee -a "$ALL"
	"$@" >"$log" 2>&1
	rc=$?
	grep -vE '^[0-9]+ passed, [0-9]+ failed$' "$log" | tee -a "$ALL"
	if [ "$rc" != 0 ] && ! grep -q '^not ok' "$log"; then
		echo "not ok - $name (exit $rc)" | tee -a "$ALL"
	fi
}

for t in "$@"; do
	run_suite "$t" env LD_PRELOAD="$PRELOAD" "$ABS_B/asan/$t"
done

run_suite cli sh tests/cli_test.sh "$ABS_B/asan/xenpt" "$ABS_B/asan/mkfixture" "$PRELOAD"

abi() {
	n=0 p=0 f=0
	t() { n=$((n + 1)); if [ "$1" = 0 ]; then p=$((p + 1)); echo "ok $n - $2"; else f=$((f + 1)); echo "not ok $n - $2"; fi; }
	exported=$(nm -D --defined-only "$ABS_B/rel/libxenpt.so" | awk '$2 == "T" {print $3}' | sed 's/@.*//' | sort)
	listed=$(sed -n 's/^[[:space:]]*\([a-z_][a-z0-9_]*\);$/\1/p' lib/libxenpt.sym | sort)
	[ "$exported" = "$listed" ]; t $? "exports_match_version_script"
	nm -D --defined-only "$ABS_B/rel/libxenpt.so" | grep -q ' xenpt_ctx_new@@LIBXENPT_1$'; t $? "symbols_are_versioned"
	# each symbol in the version-script section that lists it (1.0's stay
	# LIBXENPT_1, the new ones LIBXENPT_1.1), and the Debian symbols file
	# says exactly that
	want=$(awk '/^LIBXENPT_[0-9.]* *\{/ {v=$1} /^[[:space:]]*[a-z_][a-z0-9_]*;$/ {gsub(/[;[:space:]]/, ""); print $0 "@" v}' lib/libxenpt.sym | sort)
	got=$(nm -D --defined-only "$ABS_B/rel/libxenpt.so" | awk '$2 == "T" {print $3}' | sed 's/@@/@/' | sort)
	[ -n "$want" ] && [ "$want" = "$got" ]; t $? "symbols_in_their_version_sections"
	deb=$(sed -n 's/^ \(xenpt_[a-z0-9_]*@LIBXENPT_[0-9.]*\) .*/\1/p' ../debian/libxenpt1.symbols | sort)
	[ "$deb" = "$want" ]; t $? "debian_symbols_file_matches"
	[ "$(objdump -p "$ABS_B/rel/libxenpt.so" | awk '/SONAME/ {print $2}')" = libxenpt.so.1 ]; t $? "soname"
	root=$TMPDIR/abi-root
	mkdir -p "$root" && "$ABS_B/asan/mkfixture" "$root" pv >/dev/null 2>&1
	XENPT_ROOT=$root LD_PRELOAD="$PRELOAD" \
		"$ABS_B/asan/xenpt" assignable-add --force 0000:00:04.0 >/dev/null 2>&1
	XENPT_ROOT=$root "$ABS_B/abi_user"; t $? "shared_library_and_xc_alias_work"
	echo "$p passed, $f failed"
}
run_suite abi abi

if command -v "${CLANG:-clang}" >/dev/null 2>&1; then
	fuzz() {
		if make -s "$B/fuzz/fuzz_bdf" >/dev/null 2>&1 &&
		   mkdir -p "$TMPDIR/corpus" && cp tests/fuzz_corpus/* "$TMPDIR/corpus/" &&
		   "$ABS_B/fuzz/fuzz_bdf" -max_total_time="${FUZZ_TIME:-5}" -max_len=64 \
			"$TMPDIR/corpus" >"$TMPDIR/fuzz.out" 2>&1; then
			echo "# $(grep -E '^Done' "$TMPDIR/fuzz.out")"
			echo "ok 1 - fuzz_bdf"
			echo "1 passed, 0 failed"
		else
			tail -n 30 "$TMPDIR/fuzz.out" 2>/dev/null
			echo "not ok 1 - fuzz_bdf"
			echo "0 passed, 1 failed"
		fi
	}
	run_suite fuzz fuzz
else
	echo "# --- fuzz"
	echo "ok - fuzz_bdf # SKIP ${CLANG:-clang} not installed (apt-get install clang libclang-rt-14-dev)" |
		tee -a "$ALL"
fi

# One summariser for every stage of the project: scripts/results.py.
python3 ../scripts/results.py count "$ALL" >"$TMPDIR/count"
rc=$?
cat "$TMPDIR/count"
exit $rc
