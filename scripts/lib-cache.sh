# SPDX-License-Identifier: GPL-2.0
# Cache entries under $XENPT_CACHE.  Source it after lib.sh.
#
# An entry is a directory $XENPT_CACHE/NAME built by exactly one function
# (its owner) for one KEY, a string that names everything the contents
# depend on (package versions, a configuration hash).  It is built in a
# temporary directory next to it and renamed into place only when complete,
# with a stamp naming the key written last.  An entry without the stamp, or
# with another key (half-built, foreign, stale), is deleted and rebuilt:
# never trusted.  One builder per entry at a time (flock); others wait and
# reuse its result.

# cache_path NAME: where entry NAME lives.
cache_path() { printf '%s/%s\n' "$XENPT_CACHE" "$1"; }

# cache_ready NAME KEY: true when entry NAME is complete and built for KEY.
cache_ready() {
	local stamp
	stamp=$(cache_path "$1")/.xenpt-entry
	[ -f "$stamp" ] && [ "$(cat "$stamp")" = "key $2" ]
}

# cache_get NAME KEY BUILDER [ARGS...]
#   Prints the path of entry NAME built for KEY, building it first when
#   needed by running `BUILDER TMPDIR ARGS...` with stdout sent to stderr.
#   BUILDER fills TMPDIR (which becomes the entry) and fails on any error;
#   the final path is in CACHE_FINAL meanwhile, for links that must point
#   into the entry.  Fails when BUILDER fails, leaving no entry behind.
cache_get() {
	local name=$1 key=$2 builder=$3 dir tmp lockfd rc=0
	shift 3
	dir=$(cache_path "$name")
	if cache_ready "$name" "$key"; then
		printf '%s\n' "$dir"
		return 0
	fi
	mkdir -p "$(dirname "$dir")" || die "cannot create $(dirname "$dir")"
	exec {lockfd}>"$dir.lock" || die "cannot open $dir.lock"
	flock "$lockfd" || die "cannot lock $dir.lock"
	if ! cache_ready "$name" "$key"; then
		# Holding the lock, every temporary directory is a dead builder's.
		rm -rf "$dir".tmp.*
		if [ -e "$dir" ]; then
			log "cache: $name is incomplete or stale: rebuilding it"
			rm -rf "$dir"
		fi
		tmp=$dir.tmp.$$
		mkdir "$tmp" || die "cannot create $tmp"
		CACHE_FINAL=$dir "$builder" "$tmp" "$@" >&2 || rc=$?
		if [ "$rc" -ne 0 ]; then
			rm -rf "$tmp"
			exec {lockfd}>&-
			log "cache: building $name failed"
			return "$rc"
		fi
		printf 'key %s\n' "$key" >"$tmp/.xenpt-entry"
		mv "$tmp" "$dir" || die "cannot rename $tmp to $dir"
	fi
	exec {lockfd}>&-
	printf '%s\n' "$dir"
}

# cache_key STRING...: a short hash naming a key built from many inputs.
cache_key() { printf '%s\n' "$@" | sha256sum | cut -c1-16; }
