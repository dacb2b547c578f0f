#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fetches what test bed 3 (real Xen, PVH dom0) needs and unpacks it into
# $XENPT_CACHE/xen/<package>_<version>/root, never installing anything:
#   - Xen 4.17 (Debian 12: xen-hypervisor-4.17-amd64),
#   - Xen 4.20 (Debian 13 trixie: xen-hypervisor-4.20-amd64),
#   - the 6.12 reference kernel from bookworm-backports, the newest
#     linux-image-6.12.*+deb12-amd64 (or its -unsigned twin): vmlinuz and
#     modules (xen-pciback is a module there).
# Each hypervisor is gunzipped next to its /boot/xen-4.xx-amd64.gz into a
# plain ELF file, which QEMU's -kernel loads as a multiboot image.
#
# Usage: scripts/fetch-xen.sh [--refresh]
#   --refresh   look for newer package versions (otherwise a complete earlier
#               run is reused without touching the network)
#
# Prints on stdout, for eval "$(scripts/fetch-xen.sh)":
#   XEN417=<xen ELF>  XEN420=<xen ELF>  LINUX612=<vmlinuz>
#   LINUX612_MODULES=<lib/modules/<kver> directory>
# Progress goes to stderr.  The package lists come from a private apt
# configuration under $XENPT_CACHE/apt; the system's apt sources, lists and
# caches are left alone.

set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
	sed -n 's/^# \{0,1\}//; 4,23p' "${BASH_SOURCE[0]}" >&2
	exit 2
}

refresh=0
while [ $# -gt 0 ]; do
	case $1 in
	--refresh) refresh=1 ;;
	-h|--help) usage ;;
	*) log "unknown argument: $1"; usage ;;
	esac
	shift
done

for cmd in apt-get apt-cache dpkg dpkg-deb gzip flock; do
	command -v "$cmd" >/dev/null 2>&1 ||
		die "$cmd not found: this script needs a Debian system"
done

XEN_DIR=$XENPT_CACHE/xen
APT_DIR=$XENPT_CACHE/apt
# The paths of the last complete run: the marker that makes a second run
# do nothing.
PATHS_FILE=$XEN_DIR/paths.env
# Debian 12's debian-archive-keyring (2023.3+deb12u2) carries the trixie
# archive keys as well, so one keyring verifies every suite used here.
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

mkdir -p "$XEN_DIR" "$APT_DIR" || die "cannot create $XEN_DIR and $APT_DIR"
exec 9>"$XEN_DIR/.lock"
flock 9 || die "cannot lock $XEN_DIR/.lock"

# True if every path named in PATHS_FILE exists.
paths_complete() {
	local line n=0
	[ -f "$PATHS_FILE" ] || return 1
	while IFS= read -r line; do
		case $line in
		XEN417=*|XEN420=*|LINUX612=*|LINUX612_MODULES=*) ;;
		*) return 1 ;;
		esac
		[ -e "${line#*=}" ] || return 1
		n=$((n + 1))
	done <"$PATHS_FILE"
	[ "$n" -eq 4 ]
}

if [ "$refresh" -eq 0 ] && paths_complete; then
	cat "$PATHS_FILE"
	exit 0
fi

# --- the private apt configuration -------------------------------------------

# The system's Debian mirror (URIs of the stanza or line serving $1, e.g.
# bookworm or bookworm-security), from /etc/apt/sources.list{,.d/*.list,
# .d/*.sources}.  Prints nothing if none is found.
system_mirror() {
	local suite=$1 f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		# deb822: stanzas separated by blank lines; comments skipped.
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
		# One-line format: deb [options] URI SUITE COMPONENT...
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

mirror=$(system_mirror bookworm | head -n 1)
if [ -z "$mirror" ]; then
	mirror=http://deb.debian.org/debian
	log "no bookworm mirror in /etc/apt/sources.list*: using $mirror"
fi
mirror=${mirror%/}
security=$(system_mirror bookworm-security | head -n 1)
security=${security%/}
[ -n "$security" ] || security=${mirror%/debian}/debian-security

[ -r "$KEYRING" ] ||
	die "$KEYRING not found (apt-get install debian-archive-keyring)"

mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial"
# Suites: bookworm and its security updates for Xen 4.17, bookworm-backports
# for the 6.12 kernel, trixie for Xen 4.20.
sources_new=$APT_DIR/sources.list.new
{
	printf '# Written by scripts/fetch-xen.sh: private to xenpt, not the system'"'"'s.\n'
	printf 'deb [signed-by=%s] %s bookworm main\n' "$KEYRING" "$mirror"
	printf 'deb [signed-by=%s] %s bookworm-security main\n' "$KEYRING" "$security"
	printf 'deb [signed-by=%s] %s bookworm-backports main\n' "$KEYRING" "$mirror"
	printf 'deb [signed-by=%s] %s trixie main\n' "$KEYRING" "$mirror"
} >"$sources_new"
sources_changed=1
if cmp -s "$sources_new" "$APT_DIR/sources.list"; then
	sources_changed=0
	rm -f "$sources_new"
else
	mv -f "$sources_new" "$APT_DIR/sources.list"
fi

# Read after the system's configuration, so it overrides it.  The system's
# update hooks (PackageKit, AppStream) have no business with these lists.
# The sandbox user: apt as root drops to _apt for downloads, which cannot
# enter a cache under root's home; the downloads are verified all the same.
cat >"$APT_DIR/apt.conf" <<EOF
// Written by scripts/fetch-xen.sh: xenpt's private apt configuration.
Dir::Etc::SourceList "$APT_DIR/sources.list";
Dir::Etc::SourceParts "/dev/null";
Dir::State::Lists "$APT_DIR/lists";
Dir::Cache "$APT_DIR/cache";
Dir::Cache::Archives "$APT_DIR/cache/archives";
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
APT::Architectures { "amd64"; };
Acquire::Languages "none";
APT::Sandbox::User "$(id -un)";
#clear APT::Update::Post-Invoke-Success;
#clear APT::Update::Post-Invoke;
#clear APT::Update::Pre-Invoke;
EOF
apt_private=(-c "$APT_DIR/apt.conf")

# Runs a command with its output kept aside; shows the end of it on failure.
quietly() {
	local out rc=0
	out=$(mktemp "${TMPDIR:-/tmp}/xenpt-fetch.XXXXXX")
	"$@" >"$out" 2>&1 || rc=$?
	if [ "$rc" -ne 0 ]; then
		tail -n 30 "$out" | sed 's/^/    /' >&2
	fi
	rm -f "$out"
	return "$rc"
}

updated=0
private_update() {
	[ "$updated" -eq 0 ] || return 0
	log "apt-get update (private lists in $APT_DIR)"
	quietly apt-get "${apt_private[@]}" -q update ||
		die "apt-get update of the private lists failed (mirror $mirror; keyring $KEYRING must hold the bookworm and trixie archive keys)"
	# apt-get update succeeds with a warning for a suite it could not get.
	local s
	for s in bookworm bookworm-backports trixie; do
		compgen -G "$APT_DIR/lists/*_dists_${s}_main_binary-amd64_Packages*" >/dev/null ||
			die "apt-get update fetched no package list for $s from $mirror"
	done
	updated=1
}
if [ "$refresh" -eq 1 ] || [ "$sources_changed" -eq 1 ] ||
	! compgen -G "$APT_DIR/lists/*_Packages*" >/dev/null; then
	private_update
fi

# --- downloading and unpacking ------------------------------------------------

# Candidate version of package $1 in the private lists, or nothing.
candidate() {
	apt-cache "${apt_private[@]}" policy "$1" 2>/dev/null |
		awk '$1 == "Candidate:" && $2 != "(none)" { print $2; exit }'
}

# fetch_pkg PKG [VERSION]: downloads VERSION (default: the candidate) of
# PKG, unpacks it into $XEN_DIR/<deb name without _arch.deb>/root unless
# done before, and sets fetched to that directory.  Not for a subshell: private_update must run
# once.
fetched=
fetch_pkg() {
	local pkg=$1 ver=${2:-} dir tmp deb name
	[ -n "$ver" ] || ver=$(candidate "$pkg")
	if [ -z "$ver" ] && [ "$updated" -eq 0 ]; then
		private_update
		ver=$(candidate "$pkg")
	fi
	[ -n "$ver" ] || die "no package $pkg in the private lists ($APT_DIR/sources.list)"
	# Named like the .deb (epoch ':' as %3a), without the architecture.
	name=${pkg}_${ver//:/%3a}
	dir=$XEN_DIR/$name
	if [ -f "$dir/.complete" ] && [ -d "$dir/root" ]; then
		fetched=$dir
		return 0
	fi

	rm -rf "$XEN_DIR"/.fetch.*	# left by an interrupted run
	tmp=$(mktemp -d "$XEN_DIR/.fetch.XXXXXX")
	log "downloading $pkg $ver"
	if ! (cd "$tmp" && quietly apt-get "${apt_private[@]}" -q download "$pkg=$ver"); then
		if [ "$updated" -eq 1 ]; then
			rm -rf "$tmp"
			die "apt-get download $pkg=$ver failed"
		fi
		# Stale lists: the mirror may have dropped that version.
		rm -rf "$tmp"
		private_update
		fetch_pkg "$pkg" "${2:-}"
		return
	fi
	deb=$(find "$tmp" -maxdepth 1 -name "${pkg}_*.deb" -print -quit)
	[ -n "$deb" ] || { rm -rf "$tmp"; die "apt-get download of $pkg left no .deb file"; }
	log "unpacking $(basename "$deb")"
	mkdir "$tmp/root"
	dpkg -x "$deb" "$tmp/root" || { rm -rf "$tmp"; die "dpkg -x $deb failed"; }
	rm -rf "$dir"
	mkdir -p "$dir"
	mv "$tmp/root" "$dir/root"
	mv "$deb" "$dir/"
	rm -rf "$tmp"
	printf '%s\n' "$(basename "$deb")" >"$dir/.complete"
	fetched=$dir
}

# xen_elf DIR SERIES: gunzips DIR/root/boot/xen-SERIES-amd64.gz to a plain ELF
# next to it (once) and prints its path.
xen_elf() {
	local dir=$1 series=$2 gz elf
	gz=$dir/root/boot/xen-$series-amd64.gz
	elf=${gz%.gz}
	[ -f "$gz" ] || die "$gz not found: unexpected package layout"
	if [ ! -f "$elf" ] || [ "$gz" -nt "$elf" ]; then
		gzip -dc "$gz" >"$elf.tmp" || { rm -f "$elf.tmp"; die "cannot gunzip $gz"; }
		mv -f "$elf.tmp" "$elf"
	fi
	[ "$(head -c 4 "$elf" | od -An -c | tr -d ' ')" = '177ELF' ] ||
		die "$elf is not an ELF file"
	printf '%s\n' "$elf"
}

# "NAME VERSION" of bookworm-backports' linux-image-6.12.N+deb12-amd64 and
# -unsigned packages, one a line.  Only backports: bookworm-security carries
# newer 6.12 kernels as well, but the reference is the backports one, whose
# headers (linux-headers-6.12.N+deb12-amd64) sit next to it.
linux612_names() {
	local names
	names=$(apt-cache "${apt_private[@]}" pkgnames linux-image-6.12 2>/dev/null |
		grep -E '^linux-image-6\.12\.[0-9]+\+deb12-amd64(-unsigned)?$') || return 0
	# shellcheck disable=SC2086 # one argument per name
	apt-cache "${apt_private[@]}" madison $names 2>/dev/null |
		awk -F' [|] ' '$3 ~ / bookworm-backports\/main / { print $1, $2 }'
}

fetch_pkg xen-hypervisor-4.17-amd64
xen417=$(xen_elf "$fetched" 4.17)
fetch_pkg xen-hypervisor-4.20-amd64
xen420=$(xen_elf "$fetched" 4.20)

names=$(linux612_names)
if [ -z "$names" ] && [ "$updated" -eq 0 ]; then
	private_update
	names=$(linux612_names)
fi
[ -n "$names" ] || die "no linux-image-6.12.*+deb12-amd64 in bookworm-backports"
# The newest ABI; the signed image wins over its -unsigned twin (same files
# but for the signature on vmlinuz).
linux_pkg=$(printf '%s\n' "$names" | awk '{ sub(/-unsigned$/, "", $1); print $1 }' |
	sort -V | tail -n 1)
printf '%s\n' "$names" | awk '{ print $1 }' | grep -qxF -- "$linux_pkg" ||
	linux_pkg+=-unsigned
linux_ver=$(printf '%s\n' "$names" | awk -v p="$linux_pkg" '$1 == p { print $2 }' |
	sort -V | tail -n 1)
fetch_pkg "$linux_pkg" "$linux_ver"
linux_dir=$fetched
kver=${linux_pkg#linux-image-}
kver=${kver%-unsigned}
vmlinuz=$linux_dir/root/boot/vmlinuz-$kver
moddir=$linux_dir/root/lib/modules/$kver
[ -f "$vmlinuz" ] || die "$linux_pkg has no boot/vmlinuz-$kver"
[ -d "$moddir" ] || die "$linux_pkg has no lib/modules/$kver"
find "$moddir" -name 'xen-pciback.ko*' -print -quit | grep -q . ||
	die "$linux_pkg has no xen-pciback module"

{
	printf 'XEN417=%s\n' "$xen417"
	printf 'XEN420=%s\n' "$xen420"
	printf 'LINUX612=%s\n' "$vmlinuz"
	printf 'LINUX612_MODULES=%s\n' "$moddir"
} >"$PATHS_FILE.tmp"
mv -f "$PATHS_FILE.tmp" "$PATHS_FILE"
log "Xen 4.17: $xen417"
log "Xen 4.20: $xen420"
log "Linux $kver: $vmlinuz"
cat "$PATHS_FILE"
