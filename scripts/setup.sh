#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Installs what xenpt's builds and QEMU test beds need on a Debian 12 amd64
# machine (apt, as root or through sudo).  Idempotent: installs nothing when
# everything is there.  Debian's stock kernel image and the Xen packages are
# fetched into the cache by the scripts that use them, never installed.
#
# Usage: scripts/setup.sh [--check]
#   --check   only report what is missing (exit 0: nothing, 1: something)
#
# Progress goes to stderr; stdout stays quiet.

set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$XENPT_TOP/scripts/lib-apt.sh"

PACKAGES=(
	build-essential
	ca-certificates
	debian-archive-keyring
	qemu-system-x86
	busybox-static
	cpio
	linux-headers-amd64
	linux-headers-6.12-amd64
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
	gzip
	clang
	libclang-rt-14-dev
	mmdebstrap
	e2fsprogs
	libxml2-utils
	git
)


check_only=0
while [ $# -gt 0 ]; do
	case $1 in
	--check) check_only=1 ;;
	-h|--help) usage ;;
	*) log "unknown argument: $1"; usage ;;
	esac
	shift
done

[ "$(uname -m)" = x86_64 ] || die "xenpt's tests need an x86_64 (amd64) machine"
command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 ||
	die "this needs a Debian 12 system (dpkg-query and apt-get not found)"
if [ -r /etc/os-release ] && ! grep -qx 'VERSION_CODENAME=bookworm' /etc/os-release; then
	log "warning: not Debian 12 (bookworm): package names may differ"
fi

# Packages of PACKAGES that are not installed, one per line.
missing_packages() {
	local p status
	for p in "${PACKAGES[@]}"; do
		status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null) || status=
		[ "$status" = installed ] || printf '%s\n' "$p"
	done
}

as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo "$@"
	else
		die "not root and no sudo; as root, run: $*"
	fi
}

mapfile -t missing < <(missing_packages)
if [ "$check_only" -eq 1 ]; then
	[ ${#missing[@]} -eq 0 ] && exit 0
	log "missing packages: ${missing[*]}"
	exit 1
fi

if [ ${#missing[@]} -gt 0 ]; then
	log "apt-get update"
	quietly as_root env DEBIAN_FRONTEND=noninteractive apt-get -q update ||
		die "apt-get update failed; is the Debian mirror in /etc/apt/sources.list reachable?"
	log "installing: ${missing[*]}"
	quietly as_root env DEBIAN_FRONTEND=noninteractive apt-get -q -y install \
		--no-install-recommends "${missing[@]}" ||
		die "apt-get install failed; as root, run: apt-get install ${missing[*]}"
	mapfile -t missing < <(missing_packages)
	[ ${#missing[@]} -eq 0 ] || die "still missing after apt-get install: ${missing[*]}"
fi

kver=$(debian_kver_or_die)
[ -f "/lib/modules/$kver/build/Makefile" ] ||
	die "linux-headers-amd64 is installed but /lib/modules/$kver/build is missing: apt-get install --reinstall linux-headers-$kver"
kver612=$(debian_kver 6.12)
[ -f "/lib/modules/$kver612/build/Makefile" ] ||
	die "linux-headers-6.12-amd64 is installed but /lib/modules/$kver612/build is missing: apt-get install --reinstall linux-headers-$kver612"
log "setup complete (Debian 12's kernels $kver and $kver612)"
