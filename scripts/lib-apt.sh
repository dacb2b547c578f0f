# SPDX-License-Identifier: GPL-2.0
# Debian packages fetched and unpacked into the cache, never installed.
# Source it after lib.sh and lib-cache.sh.
#
# Two private apt configurations live in $XENPT_CACHE/apt/<dist>: bookworm
# (with -updates, -security and -backports) and trixie (with -security and
# -backports, whose packages apt takes only when asked for by name or
# version).  Their package lists
# and downloads are apt's own business there; the system's sources, lists,
# caches and dpkg database are never touched.  Their dpkg status is empty,
# so a dependency closure holds every package a program needs, libc
# included, and nothing of what happens to be installed on this machine.
#
#   debs_get ENTRY DIST PKG...           the packages themselves
#   debs_get ENTRY DIST --closure PKG... the packages and all they depend on
#
# print the path of cache entry debs/ENTRY, whose root/ holds every package
# unpacked with dpkg -x and whose debs.list names the .deb files (which are
# not kept).

XENPT_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

# apt_mirror SUITE: the system's mirror for SUITE (bookworm,
# bookworm-security), from the one-line or deb822 sources; nothing if none.
apt_mirror() {
	local suite=$1 f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk -v suite="$suite" '
			function flush() {
				if (uri != "" && hit && !done) { print uri; done = 1 }
				uri = ""; hit = 0
			}
			/^[ \t]*#/ { next }
			/^[ \t]*$/ { flush(); next }
			tolower($1) == "uris:" { uri = $2 }
			tolower($1) == "suites:" {
				for (i = 2; i <= NF; i++) if ($i == suite) hit = 1
			}
			END { flush() }' "$f"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk -v suite="$suite" '
			$1 != "deb" { next }
			{
				i = 2
				if ($i ~ /^\[/) while ($i !~ /\]$/) i++
				if ($(i + 1) ~ /^\[/) i++
				if ($(i + 2) == suite) { print $(i + 1); exit }
			}' "$f"
	done
}

# apt_dir DIST: the private configuration's directory.
apt_dir() { printf '%s/apt/%s\n' "$XENPT_CACHE" "$1"; }

# debian_mirrors: sets mirror and security (the caller's locals) to this
# machine's Debian mirror and security mirror, or deb.debian.org's.
debian_mirrors() {
	mirror=$(apt_mirror bookworm | head -n 1)
	mirror=${mirror%/}
	[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
	security=$(apt_mirror bookworm-security | head -n 1)
	security=${security%/}
	[ -n "$security" ] || security=${mirror%/debian}/debian-security
}

# apt_setup DIST: writes the private configuration (idempotent).
apt_setup() {
	local dist=$1 dir mirror security src
	dir=$(apt_dir "$dist")
	need apt-get apt
	need dpkg-deb dpkg
	[ -r "$XENPT_KEYRING" ] ||
		die "$XENPT_KEYRING not found: install debian-archive-keyring"
	debian_mirrors
	mkdir -p "$dir/lists/partial" "$dir/archives/partial" ||
		die "cannot create $dir"
	: >>"$dir/status"
	src="# Private to xenpt (scripts/lib-apt.sh), not the system's."
	case $dist in
	bookworm)
		src+=$'\n'"deb [signed-by=$XENPT_KEYRING] $mirror bookworm main"
		src+=$'\n'"deb [signed-by=$XENPT_KEYRING] $mirror bookworm-updates main"
		src+=$'\n'"deb [signed-by=$XENPT_KEYRING] $security bookworm-security main"
		src+=$'\n'"deb [signed-by=$XENPT_KEYRING] $mirror bookworm-backports main"
		;;
	trixie)
		src+=$'\n'"deb [signed-by=$XENPT_KEYRING] $mirror trixie main"
		src+=$'\n'"deb [signed-by=$XENPT_KEYRING] $security trixie-security main"
		src+=$'\n'"deb [signed-by=$XENPT_KEYRING] $mirror trixie-backports main"
		;;
	*) die "apt_setup: unknown distribution $dist" ;;
	esac
	if [ "$(cat "$dir/sources.list" 2>/dev/null)" != "$src" ]; then
		printf '%s\n' "$src" >"$dir/sources.list"
		rm -f "$dir/updated"
	fi
	# Read after the system's configuration, so it overrides it; the
	# system's update hooks have no business with these lists.  apt as
	# root drops to _apt for downloads, which cannot enter a cache under
	# root's home; the downloads are verified all the same.
	cat >"$dir/apt.conf" <<EOF
Dir::Etc::SourceList "$dir/sources.list";
Dir::Etc::SourceParts "/dev/null";
Dir::Etc::Preferences "/dev/null";
Dir::Etc::PreferencesParts "/dev/null";
Dir::State "$dir";
Dir::State::Lists "$dir/lists";
Dir::State::status "$dir/status";
Dir::Cache "$dir";
Dir::Cache::Archives "$dir/archives";
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
APT::Architectures { "amd64"; };
APT::Install-Recommends "false";
Acquire::Languages "none";
APT::Sandbox::User "$(id -un)";
#clear APT::Update::Post-Invoke-Success;
#clear APT::Update::Post-Invoke;
#clear APT::Update::Pre-Invoke;
#clear DPkg::Pre-Install-Pkgs;
EOF
}

# apt_private DIST ARGS...: apt-get or apt-cache with the private config.
apt_private() {
	local dist=$1 tool=$2
	shift 2
	APT_CONFIG=$(apt_dir "$dist")/apt.conf "$tool" "$@"
}

# Runs a command with its output kept aside; shows the end of it on failure.
quietly() {
	local out rc=0
	out=$(mktemp "${TMPDIR:-/tmp}/xenpt-quiet.XXXXXX")
	"$@" >"$out" 2>&1 || rc=$?
	[ "$rc" -eq 0 ] || tail -n 30 "$out" | sed 's/^/    /' >&2
	rm -f "$out"
	return "$rc"
}

# apt_update DIST [--force]: the private lists, fetched once a run (or when
# forced: a download failed on stale lists).
apt_update() {
	local dist=$1 dir lockfd
	dir=$(apt_dir "$dist")
	apt_setup "$dist"
	exec {lockfd}>"$dir.lock"
	flock "$lockfd"
	if [ "${2:-}" = --force ] || [ ! -f "$dir/updated" ]; then
		log "apt-get update ($dist, private lists in $dir)"
		if ! quietly apt_private "$dist" apt-get -q update; then
			exec {lockfd}>&-
			die "apt-get update of the private $dist lists failed (is the Debian mirror reachable?)"
		fi
		compgen -G "$dir/lists/*_dists_${dist}_main_binary-amd64_Packages*" >/dev/null || {
			exec {lockfd}>&-
			die "apt-get update fetched no package list for $dist"
		}
		date -u +%s >"$dir/updated"
	fi
	exec {lockfd}>&-
}

# apt_uris DIST [--closure] PKG...: "FILENAME URI" of each .deb to fetch.
apt_uris() {
	local dist=$1 closure=0 out
	shift
	[ "$1" != --closure ] || { closure=1; shift; }
	if [ "$closure" -eq 1 ]; then
		out=$(apt_private "$dist" apt-get -qq --print-uris install \
			--no-install-recommends "$@" 2>&1) || { printf '%s\n' "$out" >&2; return 1; }
	else
		out=$(apt_private "$dist" apt-get -qq --print-uris download "$@" 2>&1) ||
			{ printf '%s\n' "$out" >&2; return 1; }
	fi
	printf '%s\n' "$out" | awk '$1 ~ /^\x27/ { gsub(/\x27/, "", $1); print $2, $1 }' | sort
}

# The builder of a debs entry: downloads the .debs named in the file $2
# ("FILENAME URI" lines) into $1/debs and unpacks them into $1/root.
debs_build() {
	local tmp=$1 list=$2 dist=$3 f
	shift 3
	mkdir "$tmp/debs" "$tmp/root"
	# apt-get download names files the way --print-uris did.
	(cd "$tmp/debs" && quietly apt_private "$dist" apt-get -q download "$@") ||
		return 1
	while read -r f _; do
		[ -f "$tmp/debs/$f" ] || { log "apt-get download left no $f"; return 1; }
		dpkg-deb -x "$tmp/debs/$f" "$tmp/root" || { log "cannot unpack $f"; return 1; }
	done <"$list"
	awk '{ print $1 }' "$list" >"$tmp/debs.list"
	rm -rf "$tmp/debs"
}

# debs_get ENTRY DIST [--closure] PKG...: see the top of this file.
debs_get() {
	local entry=$1 dist=$2 list key pkgs try
	shift 2
	apt_setup "$dist"
	[ -f "$(apt_dir "$dist")/updated" ] || apt_update "$dist"
	list=$(mktemp "${TMPDIR:-/tmp}/xenpt-debs.XXXXXX")
	for try in 1 2; do
		if apt_uris "$dist" "$@" >"$list" 2>/dev/null && [ -s "$list" ]; then
			# Exact versions: a name=version per file (epoch in the
			# URI's file name is encoded as %3a).
			pkgs=$(awk '{ n = $1; sub(/\.deb$/, "", n); split(n, a, "_");
				v = a[2]; gsub(/%3a/, ":", v); print a[1] "=" v }' "$list")
			key=$(cache_key "$dist" "$(awk '{ print $1 }' "$list")")
			# shellcheck disable=SC2086 # one argument per package
			if cache_get "debs/$entry" "$key" debs_build "$list" "$dist" $pkgs; then
				rm -f "$list"
				return 0
			fi
		fi
		[ "$try" -eq 1 ] || break
		# Stale lists: the mirror may have moved on.
		apt_update "$dist" --force
	done
	apt_uris "$dist" "$@" >/dev/null || true
	rm -f "$list"
	die "cannot fetch $* from Debian $dist"
}
