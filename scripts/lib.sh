# SPDX-License-Identifier: GPL-2.0
# Shared helpers for xenpt's scripts.  Source it; it defines no commands.

XENPT_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Everything fetched or built outside the work tree lives here, keyed by
# content hashes where it is expensive.  Never required to exist.
XENPT_CACHE=${XENPT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/xenpt}

log() { printf '[xenpt] %s\n' "$*" >&2; }
die() { printf '[xenpt] error: %s\n' "$*" >&2; exit 1; }

# Debian 12's current 6.1 kernel ABI name, e.g. 6.1.0-56-amd64, from the
# linux-headers-amd64 metapackage that scripts/setup.sh installs.
debian_kver() {
	dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null |
		sed -n 's/.*linux-headers-\([0-9][^ ,]*-amd64\).*/\1/p'
}
