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

# Debian 12's current kernel ABI name, e.g. 6.1.0-57-amd64, from the
# linux-headers-amd64 metapackage that scripts/setup.sh installs; with 6.12,
# that of its second kernel series (bookworm-security's
# linux-headers-6.12-amd64, e.g. 6.12.118+deb12-amd64).  Prints nothing
# (and succeeds) while that package is not installed.
debian_kver() {
	local meta=linux-headers-amd64
	[ "${1:-}" != 6.12 ] || meta=linux-headers-6.12-amd64
	{ dpkg-query -W -f='${Depends}' "$meta" 2>/dev/null || true; } |
		sed -n 's/.*linux-headers-\([0-9][^ ,]*-amd64\).*/\1/p'
}

# debian_kver, or one clear line and exit.
debian_kver_or_die() {
	local k
	k=$(debian_kver)
	[ -n "$k" ] || die "linux-headers-amd64 is not installed: run scripts/setup.sh"
	printf '%s\n' "$k"
}

# The release of a kernel build tree, as uname -r will say it (Debian's
# headers have 6.1.192 in kernel.release but 6.1.0-57-amd64 here).
kdir_release() {
	local f=$1/include/generated/utsrelease.h
	[ -r "$f" ] || die "no kernel build tree at $1 ($f missing)"
	sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$f"
}

# usage: the running script's header comment (after the #! and SPDX lines,
# up to the first line that is not a comment) on stderr, and exit 2.
usage() {
	awk 'NR == 1 && /^#!/ { next }
		/^# SPDX-License-Identifier/ { next }
		/^#/ { sub(/^# ?/, ""); print; next }
		{ exit }' "$0" >&2
	exit 2
}
