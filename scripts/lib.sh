# SPDX-License-Identifier: GPL-2.0
# Shared helpers for xenpt's scripts.  Source it; it defines no commands.
#
# Everything built or fetched outside the work tree lives in XENPT_CACHE, as
# cache entries (scripts/lib-cache.sh).  Nothing there is required to exist:
# every script works from an empty cache and a fresh Debian 12 machine.

XENPT_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
XENPT_CACHE=${XENPT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/xenpt}

log() { printf '[xenpt] %s\n' "$*" >&2; }
die() { printf '[xenpt] error: %s\n' "$*" >&2; exit 1; }

# need CMD PACKAGE: one clear line, and exit, when CMD is missing.
need() {
	command -v "$1" >/dev/null 2>&1 ||
		die "$1 not found: install $2 (apt-get install $2), or run scripts/setup.sh"
}

# Debian 12's current 6.1 kernel ABI name, e.g. 6.1.0-57-amd64, from the
# linux-headers-amd64 metapackage that scripts/setup.sh installs.  Prints
# nothing (and succeeds) while that package is not installed.
debian_kver() {
	{ dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null || true; } |
		sed -n 's/.*linux-headers-\([0-9][^ ,]*-amd64\).*/\1/p'
}

# debian_kver, or one clear line and exit.
debian_kver_or_die() {
	local k
	k=$(debian_kver)
	[ -n "$k" ] || die "linux-headers-amd64 is not installed: run scripts/setup.sh"
	printf '%s\n' "$k"
}

# The release of a kernel build tree (include/config/kernel.release).
kdir_release() {
	local f=$1/include/config/kernel.release
	[ -r "$f" ] || die "no kernel build tree at $1 ($f missing)"
	cat "$f"
}
