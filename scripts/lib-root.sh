# SPDX-License-Identifier: GPL-2.0
# Fresh minimal Debian roots, for CI (scripts/fresh-root.sh), the package
# test (tests/package.sh) and the kernel builds (tests/kernels.sh).  Source
# it after lib.sh and lib-apt.sh.
#
#   root_bootstrap DIR [PACKAGE...]   mmdebstrap --variant=minbase bookworm
#                                     from this machine's mirror, plus PACKAGEs
#   ROOT_DIST=trixie root_bootstrap ...   the same of Debian 13, with
#                                     trixie-security and trixie-backports
#   root_copy_tree DEST               this tree into DEST: as git sees it
#                                     (tracked, and untracked files not
#                                     ignored), or, when it is not a git
#                                     checkout, as it is without build/
#   root_run DIR WORKDIR COMMAND      COMMAND (bash) as root in DIR, in
#                                     private mount and pid namespaces with
#                                     /proc, /sys, /dev, /dev/pts and a fresh
#                                     /tmp mounted, and an empty environment
#
# Nothing of this machine's packages or caches is visible inside; only
# /etc/resolv.conf is copied in.

root_bootstrap() {
	local root=$1 mirror security include log aptopts=() sources
	shift
	[ "$(id -u)" -eq 0 ] || die "a fresh root needs root (chroot, mounts, namespaces)"
	need mmdebstrap mmdebstrap
	need unshare util-linux
	debian_mirrors
	# The machine's apt options that are about reaching its mirror (a
	# snapshot mirror's Release files may be past their Valid-Until).
	if apt-config dump | grep -q '^Acquire::Check-Valid-Until "false"'; then
		aptopts+=(--aptopt='Acquire::Check-Valid-Until "false"')
	fi
	include=$(IFS=,; echo "$*")
	log=$(mktemp "${TMPDIR:-/tmp}/xenpt-mmdebstrap.XXXXXX")
	case ${ROOT_DIST:-bookworm} in
	bookworm)
		sources=("deb $mirror bookworm main" "deb $mirror bookworm-updates main"
			"deb $security bookworm-security main")
		;;
	trixie)
		sources=("deb $mirror trixie main" "deb $security trixie-security main"
			"deb $mirror trixie-backports main")
		;;
	*) die "root_bootstrap: unknown distribution ${ROOT_DIST}" ;;
	esac
	log "bootstrapping a minimal Debian ${ROOT_DIST:-bookworm} root in $root ($mirror)"
	if ! mmdebstrap --quiet --variant=minbase ${include:+--include="$include"} \
		"${aptopts[@]}" "${ROOT_DIST:-bookworm}" "$root" "${sources[@]}" >"$log" 2>&1; then
		tail -n 30 "$log" >&2
		rm -f "$log"
		die "mmdebstrap failed"
	fi
	rm -f "$log"
	cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
}

root_copy_tree() {
	mkdir -p "$1"
	if command -v git >/dev/null 2>&1 && git -C "$XENPT_TOP" rev-parse --git-dir >/dev/null 2>&1; then
		# (files deleted in the work tree but still tracked left out)
		(cd "$XENPT_TOP" && git ls-files -z -c -o --exclude-standard |
			while IFS= read -r -d '' f; do
				if [ -e "$f" ] || [ -L "$f" ]; then printf '%s\0' "$f"; fi
			done | xargs -0 cp --parents -a -t "$1")
	else
		(cd "$XENPT_TOP" && find . -mindepth 1 -maxdepth 1 ! -name build ! -name .git -print0 |
			xargs -0 cp -a -t "$1")
	fi
}

root_run() {
	# Mounts made for the root must not reach the machine's: its "/" is
	# made private, which needs "/" to be a mount point.  A plain chroot
	# (sbuild's, pbuilder's) is not one; say so, once.
	if command -v mountpoint >/dev/null 2>&1 && ! mountpoint -q /; then
		log "a root inside this one needs \"/\" to be a mount point, and it is a plain chroot: bind-mount the chroot onto itself first (mount --bind DIR DIR), or use a container, as scripts/fresh-root.sh does"
		return 1
	fi
	unshare --mount --pid --fork --propagation private bash -c '
		set -e
		r=$1
		# The root a mount of its own, so that a root_run inside it
		# (the package test inside CI'"'"'s root) can make "/" private.
		mount --bind "$r" "$r"
		mount -t proc proc "$r/proc"
		mount -t sysfs sysfs "$r/sys"
		mount --rbind /dev "$r/dev"
		mount -t devpts -o newinstance,ptmxmode=0666 devpts "$r/dev/pts" 2>/dev/null ||
			mount --bind /dev/pts "$r/dev/pts"
		mount -t tmpfs -o mode=1777 tmpfs "$r/tmp"
		exec chroot "$r" /usr/bin/env -i HOME=/root USER=root LOGNAME=root \
			PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
			LANG=C.UTF-8 TERM=dumb DEBIAN_FRONTEND=noninteractive \
			/bin/bash -c "cd $2 && $3"
	' root-run "$1" "$2" "$3"
}
