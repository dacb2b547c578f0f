#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs the README's commands as a new user would: in a freshly bootstrapped
# minimal Debian 12 root, from a clean clone, with an empty cache.
#
# Usage: scripts/fresh-root.sh [--worktree] [--keep] [-- COMMAND...]
#   --worktree  copy the work tree as it is (tracked and untracked files,
#               not ignored ones) instead of a clean clone of HEAD
#   --keep      keep the root afterwards (its path is printed)
#   COMMAND     what to run in the clone instead of the default,
#               `make check` then `make demo`
#
# The root is `mmdebstrap --variant=minbase bookworm` from this machine's
# Debian mirror, plus make and git (the two things the README asks for);
# everything else is installed by the project's own scripts inside it.  It runs as root in private mount and pid namespaces
# with /proc, /sys, /dev, /dev/pts and a fresh /tmp mounted; only
# /etc/resolv.conf is copied in.  Nothing of this machine's packages or
# caches is visible inside.  The root lives under $XENPT_FRESH_DIR
# (default /var/tmp) and is deleted at the end unless --keep.
#
# Prints each command's time; the last line is make check's
# "N passed, N failed" (when make check ran, or a command failed).  Exit status: 0 only when every command passed.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$XENPT_TOP/scripts/lib-apt.sh"
. "$XENPT_TOP/scripts/lib-root.sh"


worktree=0
keep=0
cmds=()
while [ $# -gt 0 ]; do
	case $1 in
	--worktree) worktree=1 ;;
	--keep) keep=1 ;;
	--) shift; cmds=("$@"); break ;;
	-h|--help) usage ;;
	*) log "unknown argument: $1"; usage ;;
	esac
	shift
done
[ ${#cmds[@]} -gt 0 ] || cmds=("make check" "make demo")

# The whole run is one function, read before it starts: edits to this file
# while it runs do not reach it.
main() {
	need git git
	base=${XENPT_FRESH_DIR:-/var/tmp}
	mkdir -p "$base"
	work=$(mktemp -d "$base/xenpt-fresh.XXXXXX")
	root=$work/root
	cleanup() {
		if [ "$keep" -eq 1 ]; then
			log "fresh root kept: $root"
		else
			rm -rf "$work"
		fi
	}
	trap cleanup EXIT

	times=()
	t0=$SECONDS
	root_bootstrap "$root" make git
	times+=("bootstrap: $((SECONDS - t0)) s")

	clone=$root/root/xenpt
	if [ "$worktree" -eq 1 ]; then
		log "copying the work tree of $XENPT_TOP"
		root_copy_tree "$clone"
		what="work tree of $(git -C "$XENPT_TOP" rev-parse --short HEAD) with local changes"
	else
		git clone -q --no-hardlinks "$XENPT_TOP" "$clone"
		what="clean clone of $(git -C "$clone" rev-parse --short HEAD)"
	fi

	log "fresh root ready ($what); running: ${cmds[*]}"
	rc=0
	summary=
	for c in "${cmds[@]}"; do
		start=$SECONDS
		log "--- $c"
		crc=0
		root_run "$root" /root/xenpt "$c" 2>&1 | tee "$work/cmd.log" || crc=${PIPESTATUS[0]}
		s=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$work/cmd.log" | tail -n 1) || true
		[ -z "$s" ] || summary=$s
		if [ "$crc" -eq 0 ]; then
			times+=("$c: $((SECONDS - start)) s, passed")
		else
			times+=("$c: $((SECONDS - start)) s, FAILED (exit $crc)")
			rc=1
		fi
	done
	echo
	echo "fresh Debian 12 root, $what:"
	printf '  %s\n' "${times[@]}" "total: $((SECONDS - t0)) s"
	# make check's line; a make check that printed none failed as a whole.
	if [ -z "$summary" ] && { [ "$rc" -ne 0 ] || printf '%s\n' "${cmds[@]}" | grep -qx 'make check'; }; then
		summary="0 passed, 1 failed"
		rc=1
	fi
	[ -z "$summary" ] || echo "$summary"
	exit "$rc"
}
main "$@"
exit
