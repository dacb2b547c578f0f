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

# The release of a kernel build tree, as uname -r will say it (Debian's
# headers have 6.1.192 in kernel.release but 6.1.0-57-amd64 here).
kdir_release() {
	local f=$1/include/generated/utsrelease.h
	[ -r "$f" ] || die "no kernel build tree at $1 ($f missing)"
	sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$f"
}

# The test beds' guests.  No NIC has a backend, so nothing can reach a
# network; romfile= skips the option ROMs, which only slow the firmware.
XENPT_NIC=e1000,romfile=
# Bed 1's devices, on q35 with and without Xen: e1000 at 03.0, 04.0, 05.0, a
# pci-testdev (no INTx pin) at 06.0, a PCI bridge at 07.0 with an e1000
# behind it (its pin is swizzled).  AHCI is built into q35 at 1f.2.
XENPT_Q35_DEVICES=(
	-device "$XENPT_NIC,addr=03.0"
	-device "$XENPT_NIC,addr=04.0"
	-device "$XENPT_NIC,addr=05.0"
	-device "pci-testdev,addr=06.0"
	-device "pci-bridge,id=br1,chassis_nr=1,addr=07.0"
	-device "$XENPT_NIC,bus=br1,addr=01.0"
)
# Linux arguments every bed's kernel gets: a crash ends the run, and the
# kernel prints its own "PCI INT x -> GSI n -> IRQ m" lines, the truth the
# checks compare against.
XENPT_LINUX_ARGS='panic=-1 oops=panic dyndbg="file pci_irq.c +p"'


# usage: the running script's header comment (after the #! and SPDX lines,
# up to the first line that is not a comment) on stderr, and exit 2.
usage() {
	awk 'NR == 1 && /^#!/ { next }
		/^# SPDX-License-Identifier/ { next }
		/^#/ { sub(/^# ?/, ""); print; next }
		{ exit }' "$0" >&2
	exit 2
}
