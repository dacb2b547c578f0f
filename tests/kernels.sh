#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel range, as a fact: xenpt's modules built, release and test
# builds (XENPT_TEST=1), with W=1, against every kernel series Debian ships
# for amd64, each with the compiler Debian built it with:
#
#   6.1   Debian 12 (linux-headers-amd64), on this machine
#   6.12  Debian 12's bookworm-security (linux-headers-6.12-amd64), here
#   6.12  Debian 13 (trixie's linux-headers-amd64), gcc 14, in a trixie root
#   7.x   Debian 13's trixie-backports (its newest linux-headers-7.*), same
#
# With sparse (C=2) where Debian's sparse can parse the kernel's headers
# (6.1, 6.12; its 0.6.4 stops at 7.x's __typeof_unqual__), and each
# series' own checkpatch.pl --strict (lint runs 6.1's).  Anything but
# kbuild's progress lines fails a build.  Then the range's edges: Kbuild's
# one message for a kernel outside it, and DKMS's BUILD_EXCLUSIVE_KERNEL.
#
# The trixie root is a cache entry (roots/trixie-kbuild, about 0.8 GB),
# built with mmdebstrap and apt from Debian's archive.
#
# Usage: tests/kernels.sh     (TAP lines; DATA lines with the times)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../scripts/lib.sh"
. "$XENPT_TOP/scripts/lib-cache.sh"
. "$XENPT_TOP/scripts/lib-apt.sh"
. "$XENPT_TOP/scripts/lib-root.sh"

n=0
tap() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# trixie_kvers: the kernel releases of trixie's linux-headers-amd64 and of
# trixie-backports' newest one, e.g. "6.12.118+deb13-amd64 7.3.4+deb13-amd64".
trixie_kvers() {
	apt_setup trixie
	[ -f "$(apt_dir trixie)/updated" ] || apt_update trixie
	apt_private trixie apt-cache show linux-headers-amd64 |
		sed -n 's/^Depends: .*linux-headers-\([0-9][^ ,]*-amd64\).*/\1/p' |
		sort -uV | awk '
			/^6\.12\./ { t = $0 }
			/^[7-9]\./ { b = $0 }
			END { if (t && b) print t, b }'
}

# The builder of the trixie root: a compiler, make, sparse, and the two
# series' headers, installed with apt as DKMS would have them.
trixie_root_build() {
	local tmp=$1
	shift
	local pkgs=(gcc make libc6-dev sparse) k
	for k in "$@"; do
		pkgs+=("linux-headers-$k")
	done
	ROOT_DIST=trixie root_bootstrap "$tmp/root" "${pkgs[@]}"
}

# build LABEL WHERE KDIR: both builds against KDIR, run by WHERE (host, or
# a root directory), with flags W=1 and C=2 unless $nosparse.
build() {
	local label=$1 where=$2 kdir=$3 variant rc t flags cmd log opt
	for variant in release test; do
		flags="W=1"
		[ -n "${nosparse:-}" ] || flags="$flags C=2"
		opt=
		[ "$variant" = release ] || opt=--test
		cmd="scripts/build-modules.sh $opt -o /tmp/xenpt-kbuild-$variant $kdir $flags"
		log=$tmp/build-$variant.log
		t=$SECONDS
		rc=0
		if [ "$where" = host ]; then
			(cd "$XENPT_TOP" && rm -rf /tmp/xenpt-kbuild-$variant && $cmd) >/dev/null 2>"$log" || rc=$?
			rm -rf /tmp/xenpt-kbuild-$variant
		else
			root_run "$where" /root/xenpt "rm -rf /tmp/xenpt-kbuild-$variant && $cmd >/dev/null" \
				2>"$log" || rc=$?
		fi
		# Anything but kbuild's own progress lines is a finding.
		if grep -Ev '^(make|  [A-Z]+ |Skipping BTF|/tmp/xenpt-kbuild)' "$log" | sed 's/^/# /' | grep .; then
			rc=1
		fi
		echo "DATA kernels build $label $variant $((SECONDS - t))"
		tap "$rc" "$label: $variant build, $flags ($((SECONDS - t)) s)"
	done
}

# checkpatch SERIES PKG DIST: that series' checkpatch.pl --strict on every
# file, from its linux-source package (a cache entry of the script alone).
checkpatch_build() {
	local tmp=$1 deb=$2 v=$3
	mkdir -p "$tmp/scripts"
	tar -xJf "$deb/root/usr/src/linux-source-$v.tar.xz" -C "$tmp" --strip-components=1 \
		"linux-source-$v/scripts/checkpatch.pl" "linux-source-$v/scripts/spelling.txt" \
		"linux-source-$v/scripts/const_structs.checkpatch" || return 1
	rm -rf "$deb"
}
checkpatch() {
	local series=$1 dist=$2 d c f rc=0 bad=0 files
	d=$(debs_get "linux-source-$series" "$dist" "linux-source-$series")
	c=$(cache_get "checkpatch/$series" "$(cat "$d/debs.list")" checkpatch_build "$d" "$series")
	files=$(cd "$XENPT_TOP" && find kernel tests/kunit include -name '*.[ch]' | sort)
	for f in $files; do
		rc=0
		(cd "$XENPT_TOP" && "$c/scripts/checkpatch.pl" --no-tree --strict --terse \
			--show-types --ignore ENOSYS -f "$f") >"$tmp/cp.out" 2>&1 || rc=$?
		if [ "$rc" != 0 ]; then
			grep -v '^total: ' "$tmp/cp.out" | sed 's/^/# /'
			bad=$((bad + 1))
		fi
	done
	tap "$bad" "checkpatch.pl --strict of Linux $series: $(echo "$files" | wc -l) files, $bad with findings"
}

t0=$SECONDS
# Debian 12's two series, on this machine.
build "6.1 ($(debian_kver_or_die), gcc $(gcc -dumpversion))" host \
	"/lib/modules/$(debian_kver_or_die)/build"
k612=$(debian_kver 6.12)
[ -n "$k612" ] || die "linux-headers-6.12-amd64 is not installed: run scripts/setup.sh"
build "6.12 bookworm ($k612)" host "/lib/modules/$k612/build"

# Debian 13's two, in a root of its own.
read -r kt kb < <(trixie_kvers) || true
if [ -z "${kt:-}" ] || [ -z "${kb:-}" ]; then
	tap 1 "trixie's 6.12 and trixie-backports' 7.x headers found in Debian's archive"
else
	t=$SECONDS
	r=$(cache_get roots/trixie-kbuild "trixie-kbuild 1 $kt $kb" trixie_root_build "$kt" "$kb")/root
	echo "DATA kernels trixie_root_s=$((SECONDS - t)) size_mb=$(du -sm "$r" | cut -f1)"
	rm -rf "$r/root/xenpt"
	(XENPT_TOP=$XENPT_TOP root_copy_tree "$r/root/xenpt")
	gccv=$(root_run "$r" / "gcc -dumpversion" 2>/dev/null)
	build "6.12 trixie ($kt, gcc $gccv)" "$r" "/usr/src/linux-headers-$kt"
	nosparse=1 build "${kb%%.[0-9]*+*}.x trixie-backports ($kb, gcc $gccv)" "$r" \
		"/usr/src/linux-headers-$kb"
	rm -rf "$r/root/xenpt"
fi

checkpatch 6.12 bookworm
checkpatch "$(echo "${kb:-7.3}" | cut -d. -f1,2)" trixie

# The range's edges.  Kbuild: a kernel outside it gets one message, and
# nothing is compiled.
for v in "5 15" "6 0" "7 4" "8 0"; do
	set -- $v
	out=$(cd "$XENPT_TOP" && make -s -f Kbuild VERSION=$1 PATCHLEVEL=$2 CONFIG_X86_64=y src=. 2>&1 || true)
	tap "$(echo "$out" | grep -q "xenpt is built and tested for Linux 6.1 to 7.3; this is $1.$2"; echo $?)" \
		"Kbuild refuses Linux $1.$2 in one line: $(echo "$out" | head -n 1)"
done
out=$(cd "$XENPT_TOP" && make -s -f Kbuild VERSION=6 PATCHLEVEL=12 CONFIG_X86_64= src=. 2>&1 || true)
tap "$(echo "$out" | grep -q 'needs an x86-64 kernel'; echo $?)" "Kbuild refuses a kernel that is not x86-64"
# DKMS: BUILD_EXCLUSIVE_KERNEL names exactly that range.
re=$(sed -n 's/^BUILD_EXCLUSIVE_KERNEL="\(.*\)"$/\1/p' "$XENPT_TOP/kernel/dkms.conf")
bad=
for k in 6.1.0-57-amd64 6.12.118+deb12-amd64 6.12.118+deb13-amd64 7.3.4+deb13-amd64 6.6.10-amd64; do
	[[ $k =~ $re ]] || bad="$bad $k"
done
for k in 5.10.0-30-amd64 6.0.12-amd64 7.4.1-amd64 8.0.0-amd64 16.1.0; do
	[[ ! $k =~ $re ]] || bad="$bad $k"
done
tap "$([ -z "$bad" ]; echo $?)" "dkms.conf's BUILD_EXCLUSIVE_KERNEL takes 6.1 to 7.3 only${bad:+ (wrong:$bad)}"
echo "DATA kernels total_s=$((SECONDS - t0))"
