#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Installs what xenpt's builds and QEMU test beds need on a Debian 12 machine,
# and fetches Debian's stock kernel image matching the installed headers into
# $XENPT_CACHE/debian/<kver>/ (unpacked under root/).  Idempotent: does nothing
# when everything is already there.
#
# Usage: scripts/setup.sh [--check]
#   --check   only report (exit 0: everything present, 1: something missing)
#
# Progress goes to stderr; stdout stays quiet.

set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PACKAGES=(
	build-essential
	qemu-system-x86
	busybox-static
	cpio
	linux-headers-amd64
	linux-source-6.1
	flex
	bison
	libelf-dev
	libssl-dev
	bc
	sparse
	python3
	kmod
	xz-utils
	zstd
	clang
	libclang-rt-14-dev
)

usage() {
	sed -n 's/^# \{0,1\}//; 4,12p' "${BASH_SOURCE[0]}" >&2
	exit 2
}

check_only=0
while [ $# -gt 0 ]; do
	case $1 in
	--check) check_only=1 ;;
	-h|--help) usage ;;
	*) printf '[xenpt] error: unknown argument: %s\n' "$1" >&2; usage ;;
	esac
	shift
done

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
	die "this script needs a Debian system (dpkg-query and apt-get not found)"
fi

# Packages of PACKAGES that are not installed, one per line.
missing_packages() {
	local p status
	for p in "${PACKAGES[@]}"; do
		status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null) || status=
		[ "$status" = installed ] || printf '%s\n' "$p"
	done
}

# Runs a command as root: directly, through sudo, or not at all.
as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo "$@"
	else
		die "not root and sudo is not available; as root, run: $*"
	fi
}

apt_env=(env DEBIAN_FRONTEND=noninteractive)
apt_updated=0

# Runs a command with its output kept aside; shows the end of it on failure.
quietly() {
	local out rc=0
	out=$(mktemp "${TMPDIR:-/tmp}/xenpt-setup.XXXXXX")
	"$@" >"$out" 2>&1 || rc=$?
	[ "$rc" -eq 0 ] || tail -n 30 "$out" | sed 's/^/    /' >&2
	rm -f "$out"
	return "$rc"
}

apt_update() {
	[ "$apt_updated" -eq 0 ] || return 0
	if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
		die "apt-get update needed but not root (no sudo); as root, run: apt-get update"
	fi
	log "apt-get update"
	quietly as_root "${apt_env[@]}" apt-get -q update ||
		die "apt-get update failed"
	apt_updated=1
}

kernel_dir() { printf '%s/debian/%s\n' "$XENPT_CACHE" "$1"; }

# True if the stock kernel for $1 is unpacked and complete.
have_kernel() {
	local dir
	dir=$(kernel_dir "$1")
	[ -f "$dir/.complete" ] &&
		[ -f "$dir/root/boot/vmlinuz-$1" ] &&
		[ -d "$dir/root/lib/modules/$1" ]
}

# Downloads linux-image-<kver> (or its -unsigned twin) with apt-get download
# and unpacks it with dpkg -x into $XENPT_CACHE/debian/<kver>/root.
fetch_kernel() {
	local kver=$1 dir tmp pkg deb got=
	dir=$(kernel_dir "$kver")
	mkdir -p "$dir" || die "cannot create $dir"

	# Serialise concurrent runs (parallel make, several checkouts).
	exec 9>"$dir/.lock"
	flock 9 || die "cannot lock $dir/.lock"
	if have_kernel "$kver"; then
		exec 9>&-
		return 0
	fi

	rm -rf "$dir"/.fetch.*	# left by an interrupted run
	tmp=$(mktemp -d "$dir/.fetch.XXXXXX")
	# apt's download sandbox user must be able to write there.
	chmod 755 "$tmp"
	for pkg in "linux-image-$kver" "linux-image-$kver-unsigned"; do
		log "downloading $pkg"
		if (cd "$tmp" && apt-get -q -q download "$pkg") >"$tmp/apt.log" 2>&1; then
			got=$pkg
			break
		fi
		# A fresh machine may have no package lists yet: update once, retry.
		if [ "$apt_updated" -eq 0 ]; then
			apt_update
			if (cd "$tmp" && apt-get -q -q download "$pkg") >"$tmp/apt.log" 2>&1; then
				got=$pkg
				break
			fi
		fi
		sed 's/^/    /' "$tmp/apt.log" >&2
	done
	if [ -z "$got" ]; then
		rm -rf "$tmp"
		die "cannot download linux-image-$kver or linux-image-$kver-unsigned with apt-get download"
	fi

	deb=$(find "$tmp" -maxdepth 1 -name "${got}_*.deb" -print -quit)
	[ -n "$deb" ] || { rm -rf "$tmp"; die "apt-get download of $got left no .deb file"; }
	log "unpacking $(basename "$deb")"
	mkdir "$tmp/root"
	dpkg -x "$deb" "$tmp/root" || { rm -rf "$tmp"; die "dpkg -x $deb failed"; }
	if [ ! -f "$tmp/root/boot/vmlinuz-$kver" ] || [ ! -d "$tmp/root/lib/modules/$kver" ]; then
		rm -rf "$tmp"
		die "$got has no boot/vmlinuz-$kver or lib/modules/$kver"
	fi

	rm -rf "$dir/root" "$dir"/*.deb
	mv "$tmp/root" "$dir/root"
	mv "$deb" "$dir/"
	rm -rf "$tmp"
	printf '%s\n' "$(basename "$deb")" >"$dir/.complete"
	exec 9>&-
	log "stock kernel ready: $dir/root/boot/vmlinuz-$kver"
}

mapfile -t missing < <(missing_packages)
kver=$(debian_kver)

if [ "$check_only" -eq 1 ]; then
	ok=1
	if [ ${#missing[@]} -gt 0 ]; then
		log "missing packages: ${missing[*]}"
		ok=0
	fi
	if [ -z "$kver" ]; then
		log "cannot tell the kernel version: linux-headers-amd64 not installed"
		ok=0
	elif ! have_kernel "$kver"; then
		log "missing stock kernel image: $(kernel_dir "$kver")/root/boot/vmlinuz-$kver"
		ok=0
	fi
	[ "$ok" -eq 1 ] && exit 0
	exit 1
fi

if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
		die "missing packages and not root (no sudo); as root, run: apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y ${missing[*]}"
	fi
	apt_update
	log "installing: ${missing[*]}"
	quietly as_root "${apt_env[@]}" apt-get -q -y install --no-install-recommends \
		"${missing[@]}" ||
		die "apt-get install failed; as root, run: DEBIAN_FRONTEND=noninteractive apt-get install -y ${missing[*]}"
	mapfile -t missing < <(missing_packages)
	[ ${#missing[@]} -eq 0 ] || die "still missing after apt-get install: ${missing[*]}"
	kver=$(debian_kver)
fi

[ -n "$kver" ] || die "cannot tell the kernel version from linux-headers-amd64"
[ -d "/lib/modules/$kver/build" ] ||
	die "linux-headers-amd64 is installed but /lib/modules/$kver/build is missing"

if have_kernel "$kver"; then
	log "stock kernel $kver present"
else
	fetch_kernel "$kver"
fi
log "setup complete (kernel $kver)"
